/*
 * policy.h - a compiled policy and its evaluation.
 *
 * The language (docs/policy.md): `version: 1`, `name`, `description`, `default`, `include`,
 * `rules` of {id, effect, methods, tools, resources, servers, agents, roles, when, taint,
 * budget, rate, redact, reason}, `taint` {sources, clears, sinks,
 * protect_lethal_trifecta}, `identity` {require}; the seed Sentinel's keys are translated to the
 * same structures. First match wins (observe rules record and let evaluation go on), `default`
 * decides the rest. Anything else in a policy file is a load error, never silently ignored: a key
 * this version does not enforce must not look enforced. Pure: no I/O except policy_load_file
 * reading the file.
 */
#ifndef SENTINEL_POLICY_POLICY_H
#define SENTINEL_POLICY_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "policy/cond.h"
#include "policy/labels.h"

struct json_doc;
struct policy_index;

/*
 * REDACT: forwarded with the rule's `redact` argument fields masked. APPROVE: held until a
 * human answers (deny on timeout or without an approver). OBSERVE: not a decision: the match
 * is recorded and evaluation goes on to the rules below.
 */
enum effect { EFFECT_ALLOW = 1, EFFECT_DENY, EFFECT_REDACT, EFFECT_APPROVE, EFFECT_OBSERVE };

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

/* A rule's `taint:` test of the session's labels; every part that is set must hold. */
#define TAINT_ANY_MAX 4
struct taint_match {
    struct labelset all;  /* each of these present */
    struct labelset none; /* none of these present */
    struct labelset any[TAINT_ANY_MAX]; /* per group: at least one present */
    unsigned nany;
};

/* The reason of a deny rule that gives none (`data.reason` of its denials). */
#define POLICY_DENY_REASON "denied by policy"

/* Where a rule or a taint.track entry is written, for messages: the policy's own file, or
 * line:col of a shipped pack that the policy's `include` at inc_line:inc_col brought in. */
struct origin {
    const char *pack; /* the pack's name (static: sentinel_packs); NULL: the policy's own file */
    unsigned inc_line, inc_col;
};

struct rule {
    char *id;
    enum effect effect;
    unsigned methods;      /* PM_* bits it applies to */
    struct pattern *tools; /* names (tool, prompt); none = any name */
    size_t ntools;
    struct pattern *resources; /* URIs; none = any URI */
    size_t nresources;
    struct pattern *servers; /* server identities; none = any server */
    size_t nservers;
    struct pattern *agents; /* agent ids; none = any agent (also an unidentified one) */
    size_t nagents;
    struct pattern *roles; /* the agent has at least one of these roles; none = any */
    size_t nroles;
    struct taint_match *taint; /* NULL = whatever the labels */
    struct cond *when; /* NULL = always */
    char *reason;      /* may be NULL */
    unsigned line, col;
    struct origin from;
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

/* A taint source or clear: a successful result of a matching request adds/removes labels. */
struct taint_flow {
    unsigned methods; /* PM_* bits */
    struct pattern *tools;
    size_t ntools;
    struct pattern *resources;
    size_t nresources;
    struct pattern *servers;
    size_t nservers;
    struct labelset labels;
    unsigned line;
};

/* One `taint.track` entry: values the operator marks, tracked from the start (proxy/guard.c
 * reads them; the policy holds names, never values). */
struct track_mark {
    char *env;  /* an environment variable's name, or NULL */
    char *file; /* a file of values, one per line (relative to the policy's directory), or NULL */
    struct labelset labels; /* default: secret */
    bool optional; /* an unset variable or a missing file is not an error */
    unsigned line, col;
    struct origin from;
};

/* One `sandbox.egress.allow` entry: HOST:PORT. */
enum egress_kind { EGRESS_DNS, EGRESS_IPV4, EGRESS_IPV6 };
struct egress_rule {
    enum egress_kind kind;
    char *host;         /* DNS: the name, "*." prefix allowed (lowercase); IP: the text */
    uint8_t addr[16];   /* IPv4 in the first 4 bytes */
    unsigned prefix;    /* CIDR prefix length */
    uint16_t port_lo, port_hi;
};

/* What the server process may do (enforced by the kernel monitor, see docs/policy.md). */
struct sandbox {
    bool set;            /* some document had a sandbox section */
    enum effect egress_default; /* 0 = unsaid */
    struct egress_rule *egress;
    size_t negress;
    int spawn; /* -1 unsaid, 0 denied, 1 allowed */
    char **programs; /* absolute paths spawn is limited to (none: any) */
    size_t nprograms;
};

enum audit_fsync {
    AUDIT_FSYNC_UNSET = 0,
    AUDIT_FSYNC_NEVER,
    AUDIT_FSYNC_INTERVAL,
    AUDIT_FSYNC_ALWAYS,
    AUDIT_FSYNC_COMMIT /* always, and calls wait at the commit gate (docs/audit.md) */
};
enum audit_args { AUDIT_ARGS_UNSET = 0, AUDIT_ARGS_NONE, AUDIT_ARGS_FULL };

/* The policy's demands on the audit log. */
struct audit_policy {
    bool required; /* run refuses to start without --audit */
    enum audit_fsync fsync;
    enum audit_args arguments;
};

/* The policy's demand on how the agent is known (`identity:`). */
struct identity_policy {
    bool require_token; /* require: token — the agent id and roles come from a verified agent
                         * token, never from --agent/--role (run refuses to start otherwise) */
};

/* `spotlight:` — how untrusted output is fenced off from the model (mcp/spotlight.h). */
enum spot_mode { SPOT_UNSET = 0, SPOT_OFF, SPOT_DELIMIT, SPOT_DATAMARK, SPOT_ENCODE };
struct spotlight_policy {
    enum spot_mode mode;
    struct pattern *tools; /* results of these tools (none listed: every tool) */
    size_t ntools;
    struct pattern *resources; /* resources/read contents of these URIs (none: every URI) */
    size_t nresources;
    bool structured; /* also plain strings of structuredContent (where the schema allows) */
};

/* `schema:` — tools/call arguments against the tool's pinned inputSchema. */
enum schema_mode { SCHEMA_UNSET = 0, SCHEMA_OFF, SCHEMA_WARN, SCHEMA_ENFORCE };
struct schema_policy {
    enum schema_mode mode; /* for tools not listed below */
    struct pattern *warn, *off, *enforce; /* per-tool exceptions (first listed wins: enforce, warn, off) */
    size_t nwarn, noff, nenforce;
};

/* `pins:` — tool surface pinning (the store is --pins FILE). */
enum pin_mode { PINS_UNSET = 0, PINS_OFF, PINS_WARN, PINS_BLOCK };

struct policy {
    char *name;   /* may be NULL */
    char *description; /* the top file's one-line description, may be NULL */
    char *source; /* file it came from, or "<builtin:default>" */
    char *text;   /* the top file's bytes as loaded (hashed into the audit log) */
    size_t text_len;
    enum effect default_effect;
    struct rule *rules;
    size_t nrules, rules_cap;
    bool has_deny;   /* some rule or the default can deny: list filtering is needed */
    bool needs_args; /* some rule has `when`: decisions read the arguments */
    bool needs_facts; /* some condition reads threat_score: arguments are scanned */
    bool has_approve; /* some rule can hold a call for approval */
    bool needs_server; /* some rule or flow names servers */
    struct taint_flow *sources; /* taint.sources, in order */
    size_t nsources;
    struct taint_flow *clears; /* taint.clears */
    size_t nclears;
    struct pattern *sinks; /* taint.sinks: tools that can send data out (the trifecta's third) */
    size_t nsinks;
    bool trifecta; /* protect_lethal_trifecta: the rule "lethal-trifecta" comes first */
    struct sandbox sandbox;
    struct audit_policy audit;
    struct identity_policy identity;
    struct spotlight_policy spotlight;
    struct schema_policy schema;
    enum pin_mode pins;
    bool scan_results; /* taint.scan_results: results are scanned; hits label the session */
    bool track_values; /* secrets/PII found are tracked in later arguments (default: scan_results) */
    bool track_values_set;
    /* taint.other_messages: a tracked value leaving in a message no rule decides (a request
     * outside the rule methods, a notification, an answer to another server request):
     * denied unless the file says allow and no pack says deny */
    bool other_allow, other_deny;
    struct track_mark *marks; /* taint.track */
    size_t nmarks;
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
    const struct labelset *labels; /* the session's labels; NULL = none */
    const struct cond_facts *facts; /* threat scores of the arguments; NULL = not scanned */
    const char *agent; /* the identified agent, NULL when unidentified */
    size_t agent_len;
    const char *const *roles; /* its roles (NUL-terminated strings) */
    size_t nroles;
    const char *server; /* the server's identity, NULL while unknown */
    size_t server_len;
};

#define DECISION_OBSERVED_MAX 8
struct decision {
    enum effect effect;      /* never EFFECT_OBSERVE */
    const struct rule *rule; /* NULL when the default decided */
    const char *rule_id;     /* rule id or "default" */
    const char *reason;      /* never NULL */
    /* observe rules that matched before the deciding one (the first DECISION_OBSERVED_MAX) */
    const struct rule *observed[DECISION_OBSERVED_MAX];
    unsigned nobserved;
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
/*
 * Would a request like `req` (method, name or uri, agent, roles, server; its arguments and
 * labels are ignored) be allowed for some arguments and labels? Used to filter lists: a tool
 * is hidden only when every call of it is denied whatever its arguments and the session's
 * labels.
 */
bool policy_may_allow(const struct policy *p, const struct policy_request *req);

/*
 * The reference walk: every rule in order, with the same decision as policy_eval and
 * policy_may_allow but a cost linear in the number of rules. For tests and benchmarks.
 */
void policy_eval_linear(const struct policy *p, const struct policy_request *req,
                        struct decision *out);
bool policy_may_allow_linear(const struct policy *p, const struct policy_request *req);

/*
 * The labels a successful result of `req` adds (taint.sources) and removes (taint.clears).
 * The caller applies the removals first, then the additions.
 */
void policy_taint_flow(const struct policy *p, const struct policy_request *req,
                       struct labelset *add, struct labelset *del);

const char *effect_name(enum effect e);
void sandbox_cleanup(struct sandbox *sb);
void content_cleanup(struct policy *p);
/* The schema mode for tool `name`. */
enum schema_mode policy_schema_mode(const struct policy *p, const char *name, size_t len);
/* Should the result of this tools/call (name) or resources/read (uri) be spotlighted? */
bool policy_spotlights(const struct policy *p, unsigned method, const char *name, size_t len,
                       const char *uri, size_t uri_len);
/* Does a rule's taint test hold for these labels (NULL = none)? */
bool taint_match_holds(const struct taint_match *t, const struct labelset *labels);

#endif
