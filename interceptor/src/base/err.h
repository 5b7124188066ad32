/*
 * err.h - the project's error codes and the diagnostic record that carries detail.
 *
 * Functions return 0 or a negative code: either a negated errno value or one of the
 * SE_* codes below (all below -4000, far from any errno). err_name()/err_str() turn
 * either kind into text. Library code never prints; it fills a struct diag.
 */
#ifndef SENTINEL_BASE_ERR_H
#define SENTINEL_BASE_ERR_H

#include <stddef.h>

#define SE_ERRNO_MAP(X)                                                                    \
    X(SE_EPARSE, -4001, "malformed JSON")                                                  \
    X(SE_EUTF8, -4002, "invalid UTF-8")                                                    \
    X(SE_EDEPTH, -4003, "nesting too deep")                                                \
    X(SE_EDUPKEY, -4004, "duplicate object key")                                           \
    X(SE_ETOOBIG, -4005, "message too large")                                              \
    X(SE_ESHAPE, -4006, "not a valid JSON-RPC message")                                    \
    X(SE_EPOLICY, -4007, "invalid policy")                                                 \
    X(SE_EUSAGE, -4008, "invalid usage")                                                   \
    X(SE_ELIMIT, -4009, "limit reached")                                                   \
    X(SE_ENOTFOUND, -4010, "not found")                                                \
    X(SE_EINPUT, -4011, "an input the configuration names cannot be used")

enum se_err {
#define X(name, val, text) name = val,
    SE_ERRNO_MAP(X)
#undef X
};

/* Symbolic name ("SE_EPARSE", "ENOENT") of a negative code; "OK" for 0. Never NULL. */
const char *err_name(int code);
/* Human text of a negative code. Never NULL. */
const char *err_str(int code);

/* Where and why something was refused. Positions are 1-based; 0 means unknown. */
struct diag {
    const char *file; /* borrowed; may be NULL */
    unsigned line;
    unsigned col;
    char msg[256];
};

/* The same for a caller's (err, errlen) text buffer: returns `code`; err may be NULL. */
int err_set(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* printf-style setter; returns `code` so callers can `return diag_set(d, ...)`. d may be NULL. */
int diag_set(struct diag *d, int code, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
