/*
 * policy.h - a compiled policy and its evaluation.
 *
 * The language so far: `version: 1`, `name`, `description`, `default: allow|deny` and
 * `rules` of {id, effect: allow|deny, methods, tools: [globs], resources: [URI globs],
 * when: condition, reason}; first match wins, `default` decides the rest. Anything else
 * in a policy file is a load error, never silently ignored: a key this version does not
 * enforce must not look enforced. Pure: no I/O except policy_load_file reading the file.
 */
#ifndef SENTINEL_POLICY_POLICY_H
#define SENTINEL_POLICY_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "policy/cond.h"

struct json_doc;
struct policy_index;

/* REDACT: forwarded with the rule's `redact` argument fields masked. */
enum effect { EFFECT_ALLOW = 1, EFFECT_DENY, EFFECT_REDACT };

struct pattern {
    char *text; /* owned, NUL-terminated but matched by length */
    size_t len;
};

/* The requests a policy decides (a bit each). */
enum pmethod {
    PM_TOOLS_CALL = 1u << 0,
    PM_RESOURCES_READ = 1u << 1,
    PM_PROMPTS_GET = 1u << 2,
    PM_COMPLETE = 1u << 3,
    PM_SAMPLING = 1u << 4,    /* server -> client sampling/createMessage */
    PM_ELICITATION = 1u << 5, /* server -> client elicitation/create */
    PM_ROOTS = 1u << 6,       /* server -> client roots/list */
};
#define PM_SERVER_REQUESTS (PM_SAMPLING | PM_ELICITATION | PM_ROOTS)

/* The bit of a method name, 0 when the policy does not decide that method. */
unsigned pmethod_of(const char *method, size_t len);
const char *pmethod_name(unsigned bit);

struct rule {
    char *id;
    enum effect effect;
    unsigned methods;      /* PM_* bits it applies to */
    struct pattern *tools; /* names (tool, prompt); none = any name */
    size_t ntools;
    struct pattern *resources; /* URIs; none = any URI */
    size_t nresources;
    struct cond *when; /* NULL = always */
    char *reason;      /* may be NULL */
    unsigned line, col;
    /* budget: per session, the sum of an argument (or the number of calls) under a key */
    char *budget_key;   /* NULL = no budget */
    char *budget_sum;   /* dotted path of the summed argument; NULL = count calls */
    double budget_limit;
    /* rate: at most rate_calls per rate_window_ms, per rule or per tool name */
    uint64_t rate_calls; /* 0 = no rate limit */
    uint64_t rate_window_ms;
    bool rate_per_tool;
    /* redact: dotted paths of argument fields masked before forwarding */
    char **redact;
    size_t nredact;
};

struct policy {
    char *name;   /* may be NULL */
    char *source; /* file it came from, or "<builtin:default>" */
    enum effect default_effect;
    struct rule *rules;
    size_t nrules;
    bool has_deny;   /* some rule or the default can deny: list filtering is needed */
    bool needs_args; /* some rule has `when`: decisions read the arguments */
    /* the rule index (policy/index.h), owned; NULL: decisions walk every rule */
    struct policy_index *index;
};

/* One request to decide. */
struct policy_request {
    unsigned method; /* a PM_* bit */
    const char *name; /* tool or prompt name (may hold NUL), NULL when none */
    size_t name_len;
    const char *uri; /* resource URI, NULL when none */
    size_t uri_len;
    struct json_doc *args; /* arguments (doc root is the arguments object), NULL when none */
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

/*
 * Decide a request. Never fails: a condition that cannot be evaluated (an argument past
 * the index, a regex over its limits) denies, with the reason saying so.
 */
void policy_eval(const struct policy *p, const struct policy_request *req, struct decision *out);
/* Shorthand for a tools/call without arguments (list filtering, tests). */
void policy_eval_tool(const struct policy *p, const char *name, size_t len, struct decision *out);
/* Would a request of this method and name be allowed for some arguments? Used to filter
 * lists: a tool is hidden only when every call of it is denied whatever its arguments. */
bool policy_may_allow(const struct policy *p, unsigned method, const char *name, size_t len,
                      const char *uri, size_t uri_len);

/*
 * The reference walk: every rule in order, with the same decision as policy_eval and
 * policy_may_allow but a cost linear in the number of rules. For tests and benchmarks.
 */
void policy_eval_linear(const struct policy *p, const struct policy_request *req,
                        struct decision *out);
bool policy_may_allow_linear(const struct policy *p, unsigned method, const char *name, size_t len,
                             const char *uri, size_t uri_len);

const char *effect_name(enum effect e);

#endif
