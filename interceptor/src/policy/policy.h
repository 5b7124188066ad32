/*
 * policy.h - a compiled policy and its evaluation.
 *
 * This slice of the language: `version: 1`, `name`, `description`, `default: allow|deny`
 * and `rules` of {id, effect: allow|deny, tools: [globs], reason}; first match wins,
 * `default` decides the rest. Anything else in a policy file is a load error, never
 * silently ignored: a key this version does not enforce must not look enforced.
 * Pure: no I/O except policy_load_file reading the file.
 */
#ifndef SENTINEL_POLICY_POLICY_H
#define SENTINEL_POLICY_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

enum effect { EFFECT_ALLOW = 1, EFFECT_DENY };

struct pattern {
    char *text; /* owned, NUL-terminated but matched by length */
    size_t len;
};

struct rule {
    char *id;
    enum effect effect;
    struct pattern *tools;
    size_t ntools;
    char *reason; /* may be NULL */
    unsigned line, col;
};

struct policy {
    char *name;   /* may be NULL */
    char *source; /* file it came from, or "<builtin:default>" */
    enum effect default_effect;
    struct rule *rules;
    size_t nrules;
    bool has_deny; /* some rule or the default can deny: list filtering is needed */
};

struct decision {
    enum effect effect;
    const struct rule *rule; /* NULL when the default decided */
    const char *rule_id;     /* rule id or "default" */
    const char *reason;      /* never NULL */
};

#define POLICY_MAX_FILE (4u << 20)

/* Parse and compile YAML text. On error returns SE_EPOLICY with file:line:col in d. */
int policy_load_text(const char *text, size_t len, const char *filename, struct policy **out,
                     struct diag *d);
int policy_load_file(const char *path, struct policy **out, struct diag *d);
void policy_free(struct policy *p);

/* Decide a tools/call of tool `name` (len bytes, may hold NUL). Never fails. */
void policy_eval_tool(const struct policy *p, const char *name, size_t len, struct decision *out);

const char *effect_name(enum effect e);

#endif
