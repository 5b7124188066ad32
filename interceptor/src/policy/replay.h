/*
 * replay.h - `sentinel replay`: decide the requests of an audit log again with a candidate
 * policy and report what would change.
 *
 * Each decision record of the log (JSON Lines, written by `sentinel run --audit`) becomes a
 * struct policy_request and is decided by policy_eval, the evaluator `run` enforces with; the
 * new decision is compared with the recorded one. Rules are replayed, budgets and rate limits
 * are not (they depend on the session's history). A record whose arguments were not recorded
 * is reported as needing them when the candidate's decision could depend on them.
 * Library code: reads the log from a descriptor, never prints; what it finds goes to the
 * caller's callbacks.
 */
#ifndef SENTINEL_POLICY_REPLAY_H
#define SENTINEL_POLICY_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

/* How a record fares under the candidate policy. */
enum replay_kind {
    REPLAY_UNCHANGED = 0,      /* same effect, same rule */
    REPLAY_NEWLY_DENIED,       /* now deny; was anything else */
    REPLAY_NEWLY_ALLOWED,      /* was deny; now allow or redact */
    REPLAY_NEWLY_APPROVAL,     /* now approve; was anything else */
    REPLAY_NO_LONGER_APPROVAL, /* was approve; now allow or redact */
    REPLAY_NEWLY_REDACTED,     /* was allow; now redact */
    REPLAY_NO_LONGER_REDACTED, /* was redact; now allow */
    REPLAY_RULE_CHANGED,       /* same effect, decided by another rule */
    REPLAY_NEEDS_ARGUMENTS,    /* undecidable: the log holds no arguments, the candidate reads them */
    REPLAY_LIMITED,            /* undecidable: a budget or rate limit denied it, and the
                                  candidate's deciding rule has one too */
    REPLAY_NKINDS
};

/* "unchanged", "newly_denied", ... as printed in the "change" member. */
const char *replay_kind_name(enum replay_kind k);
/* True for the kinds that are changes (neither unchanged nor undecidable). */
bool replay_kind_is_change(enum replay_kind k);

#define REPLAY_DEFAULT_MAX_LINE ((size_t)65 << 20) /* run's 64M message plus the record's fields */
/* Deepest nesting accepted in a record: `run --max-depth` allows 10000 in the arguments. */
#define REPLAY_MAX_DEPTH 10001u

struct replay_opts {
    bool all;        /* report unchanged records too */
    size_t max_line; /* longest line accepted, without its newline; 0 = the default */
};

struct replay_stats {
    uint64_t lines;     /* lines read, blank ones included */
    uint64_t records;   /* lines holding a JSON object */
    uint64_t decisions; /* decision records that could be read */
    uint64_t replayed;  /* decisions decided again (unchanged or changed) */
    uint64_t bad;       /* lines that are not JSON objects, or decision records missing fields */
    uint64_t kinds[REPLAY_NKINDS];
};

/* What replay_fd hands back. Both are borrowed for the duration of the call. */
struct replay_io {
    /* One JSON object followed by '\n' per reported record. A negative return stops the
     * replay with that code (e.g. stdout is gone). */
    int (*out_cb)(void *ctx, const char *line, size_t len);
    /* A line that was skipped, and why (NUL-terminated, no newline). */
    void (*bad_cb)(void *ctx, uint64_t line, const char *msg);
    void *ctx;
};

struct replay;

/* p is borrowed and must outlive r. 0 or -ENOMEM. */
int replay_new(struct replay **out, const struct policy *p, const struct replay_opts *o);
void replay_free(struct replay *r);

/*
 * Read the log from fd until EOF, line at a time (at most max_line bytes are held), and
 * replay every decision record. Lines that are not JSON objects, too long, or decision
 * records without the fields a decision needs are reported to bad_cb and counted; the replay
 * goes on. Returns 0 at EOF, -errno when reading fails, or out_cb's negative code.
 */
int replay_fd(struct replay *r, int fd, const struct replay_io *io);

/*
 * Replay one line (without its newline) as line number `lineno`; `torn` says it is the last
 * line of the log and had no newline. Same reporting as replay_fd.
 */
int replay_line(struct replay *r, uint64_t lineno, const char *line, size_t len, bool torn,
                const struct replay_io *io);

const struct replay_stats *replay_stats(const struct replay *r);
/* Number of changed records (every kind replay_kind_is_change accepts). */
uint64_t replay_changes(const struct replay *r);

#endif
