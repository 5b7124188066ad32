/*
 * guard.h - the content guards of one session (issue "information flow"): scanning of
 * results for secrets, PII and injected instructions (labels + tracked values), tracked
 * values and threat scores in outgoing arguments, spotlighting of untrusted output, tool
 * surface pinning and schema enforcement. session.c decides when each applies; this module
 * owns the detectors, the tracked-value store, the pin store and the compiled input schemas.
 * Loop thread only, except tracked_build_run and the pin file write, which session.c runs
 * on the thread pool.
 */
#ifndef SENTINEL_PROXY_GUARD_H
#define SENTINEL_PROXY_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "mcp/canon.h"
#include "policy/cond.h"
#include "policy/labels.h"

struct json_doc;
struct policy;
struct detector;
struct detect_scratch;
struct tracked;
struct pin_store;

/* Labels a result scan adds (names fixed: the policy's rules and the trifecta use them). */
#define GUARD_LABEL_SECRET "secret"
#define GUARD_LABEL_PII "pii"
#define GUARD_LABEL_INJECTION "injection"
#define GUARD_LABEL_INVALIDATED "invalidated"
/* a secret or PII value was found but could not be tracked (too many in one string, or the
 * tracker full or behind): later calls cannot be checked for it */
#define GUARD_LABEL_UNTRACKED "untracked"
/* A finding labels the session from this score up (0..100). */
#define GUARD_LABEL_SCORE 50
/* A description scoring this much for poisoning blocks the tool until an operator approves it. */
#define GUARD_POISON_BLOCK 80
/* Input schemas kept per session (one per listed tool). */
#define GUARD_MAX_SCHEMAS 4096

struct guard;

struct guard_opts {
    const char *pins_path; /* NULL: pins live in memory for this session only */
    const char *server;    /* the server identity pins are kept under (may change: set later) */
};

int guard_new(struct guard **out, const struct guard_opts *o, char *err, size_t errlen);
void guard_free(struct guard *g);

/* Make sure what policy p needs exists (detectors, tracked store, pin store). 0 or -errno
 * with err set; SE_EINPUT when a taint.track source cannot be used (an unset variable; a
 * file missing, unreadable, open to others, not regular, too large; a value the tracker
 * refuses). The caller refuses the policy (at start: exit; on reload: keep the old). */
int guard_prepare(struct guard *g, const struct policy *p, char *err, size_t errlen);

/* Only the argument detector guard_facts needs, when policy p reads threat scores: for
 * `sentinel explain` and `replay`, which score arguments as run does and need nothing else
 * (no pin store, no tracked values, no taint.track files). 0 or -errno with err set. */
int guard_prepare_facts(struct guard *g, const struct policy *p, char *err, size_t errlen);

/*
 * The slow part of guard_prepare for a reload: compile the detectors policy p needs that g
 * lacks, on a worker thread (it only reads g). guard_prep_install then hands them to g on the
 * loop thread (or frees them if g got them meanwhile), before guard_prepare. Detector
 * databases take 0.4-1 s to compile: this keeps a reload from stalling the session.
 */
struct guard_prep {
    struct detector *det[3];
    struct detect_scratch *scr[3];
    int rc;
    char err[256];
};
void guard_prep_build(const struct guard *g, const struct policy *p, struct guard_prep *out);
void guard_prep_install(struct guard *g, struct guard_prep *prep);

/* ---- results ---------------------------------------------------------------------- */

struct guard_scan {
    unsigned families;               /* DETECT_* with a hit */
    unsigned max_score[8];           /* by family index */
    struct labelset labels;          /* labels to add to the session */
    size_t tracked_added;            /* values remembered */
    size_t tracked_refused;          /* values found but not remembered (labels `untracked`) */
    size_t strings;                  /* strings scanned */
    bool raw_fallback;               /* part of it beyond the parse's node cap: its strings
                                        were found in the text */
    size_t decoded;                  /* bytes decoded from its base64, base32 and hex runs and
                                        scanned as well (scan/unwrap.h) */
    size_t views;                    /* strings scanned again as read another way (ROT13,
                                        reversed, spelled out, leetspeak: scan/fold.h) */
    uint64_t kinds[2];               /* DETECT_K_* seen */
};

/*
 * Scan the result (the whole response line, validated) of a successful tools/call or
 * resources/read: every string under member `member` ("result"; "params" for what a server's
 * sampling or elicitation request puts before the model), unescaped. With `track`, secret and PII
 * values found are tracked with the given provenance. `parsed` (may be NULL) is the caller's
 * full-depth parse of exactly this line, used instead of parsing it again. Returns 0 or -errno
 * (fail closed).
 */
int guard_scan_result(struct guard *g, struct json_doc *parsed, const char *line, size_t len,
                      const char *member, bool track, const char *request_id, size_t request_id_len,
                      const char *tool, size_t tool_len, const char *server, uint64_t seq,
                      uint64_t now_ns, struct guard_scan *out);
/* Append the scan's findings as a JSON array body: [{"family":…,"kind":…,"score":…}] */
void guard_scan_json(const struct guard_scan *sc, struct buf *out);

/* ---- spotlighting ------------------------------------------------------------------ */

struct spotlight_stats;

/*
 * Rewrite a response line (mode: SPOT_* of policy.h) of tool `tool` (NULL: unknown). Text
 * blocks and an error's message are fenced, and so are the strings of structuredContent that
 * no keyword of the tool's outputSchema (as listed) looks at (mcp/outschema.h), or every
 * string when the tool declares no outputSchema; metadata strings are neutralised
 * (mcp/spotlight.h). `prompt`: a prompts/get answer, neutralised only. 1 rewritten into out,
 * 0 nothing to do, negative: fail closed. `st` (may be NULL) counts marker look-alikes
 * neutralised, those in structuredContent strings kept as they came, and the strings kept
 * because reading the outputSchema for this response passed OUTSCHEMA_BUDGET.
 */
int guard_spotlight(struct guard *g, int mode, bool prompt, const char *tool, size_t tool_len,
                    struct json_doc *parsed, const char *line, size_t len, struct buf *out,
                    struct spotlight_stats *st);
/*
 * Neutralise the marker look-alikes in every string of a message (whole line, validated)
 * except its jsonrpc, id and method, without fencing anything (spotlight_neutralise_doc): a
 * server's notification or request, a completion result. `parsed` (may be NULL): the caller's
 * parse of exactly this line. 1 rewritten into out, 0 no look-alike (out untouched), negative:
 * fail closed. `st` (may be NULL) counts what was replaced in st->forged.
 */
/*
 * The server's instructions (initialize result), the JSON string at `node` of doc, scanned
 * like a tool's description: *score its worst poisoning score (0 when definitions are not
 * scanned: no pins), kind that finding's kind. 0 or negative (fail closed).
 */
int guard_instructions_poison(struct guard *g, const struct json_doc *doc, uint32_t node,
                              unsigned *score, char kind[40]);

int guard_neutralise(struct guard *g, struct json_doc *parsed, const char *line, size_t len,
                     struct buf *out, struct spotlight_stats *st);
/* A new line from the server begins: forget the parse the last scan left for
 * guard_spotlight (the framer reuses its buffer: the next line may sit at the same address
 * with the same length). g may be NULL. */
void guard_line_start(struct guard *g);
/* The same for a tasks/get answer of a task tool `tool` created (2026-07-28 tasks
 * extension): the task's inline result is rewritten as the tool's result, a failed task's error
 * message fenced, its statusMessage neutralised (spotlight_opts.task). */
int guard_spotlight_task(struct guard *g, int mode, const char *tool, size_t tool_len,
                         struct json_doc *parsed, const char *line, size_t len, struct buf *out,
                         struct spotlight_stats *st);
/* The instruction for the model about the markers of `mode` (NULL for off). */
const char *guard_spotlight_instructions(int mode);

/* ---- calls ------------------------------------------------------------------------- */

struct guard_call {
    struct labelset labels; /* of the tracked values found in the arguments */
    bool tracked_hit;
    bool invalidated;       /* a value found comes from an invalidated source */
    struct cond_facts facts;
    struct buf prov;        /* JSON array body of provenance items (tracked values found) */
};

/*
 * Does `json` (the JSON text of one value: a request id, or a name or URI written as a JSON
 * string) hold a tracked value in any form guard_track_args finds? For the fields a record or
 * a log line would otherwise show in clear. An error counts as holding one.
 */
bool guard_json_carries(struct guard *g, const char *json, size_t len);

void guard_call_init(struct guard_call *c);
void guard_call_cleanup(struct guard_call *c);

/*
 * Track a value the operator marks (`what` names how: "ctl", "env:NAME", ...) with labels,
 * creating the store if the policy made none. *is_new (may be NULL): not tracked before;
 * digest (may be NULL): the value's keyed digest, its only form fit for logs. 0, or a negative
 * code with the reason in err.
 */
int guard_mark(struct guard *g, const void *value, size_t len, const struct labelset *labels,
               const char *what, bool *is_new, char digest[65], char *err, size_t errlen);

/*
 * Tracked values in a request's params (JSON text; the store matches raw, escaped and encoded
 * forms), looked for in the params as the server reads them, whatever their size: strings
 * unescaped and joined end to end so that a value split over two of them is whole, then member
 * names and numbers; and, when that text holds an HTML character reference or an ignorable
 * code point (zero widths, soft hyphens, bidi controls, tag characters...), a second time as a
 * reader is shown it (references decoded, ignorables dropped). Matches in params holding a \u
 * or \/ escape, a reference or an ignorable say "via":"decoded".
 */
int guard_track_args(struct guard *g, const char *args, size_t len, struct guard_call *c);
/* Threat scores of the arguments (doc fully indexed, node args; doc NULL: none). */
int guard_facts(struct guard *g, struct json_doc *doc, uint32_t args, struct guard_call *c);

/* Is a call to `name` (kind: PIN_TOOL, PIN_PROMPT, PIN_TEMPLATE of proxy/pins.h) of `server`
 * blocked by its pin (or, for tools and templates, a poisoned description)? why gets the
 * reason. */
bool guard_pin_blocked(struct guard *g, int kind, const char *server, const char *name,
                       size_t len, char *why, size_t whylen);
/*
 * The server's initialize `instructions` (node of doc, 0: none) against their pin
 * (PIN_INSTRUCTIONS; nothing to do without a pin store). `poison` is their poisoning score:
 * from GUARD_POISON_BLOCK they pass only once an operator approved this very text. 0: they
 * may reach the client (first sight, the approved text); 1: withhold them, why says why and
 * `hash` names the text (`sentinel pins approve --hash`); negative: cannot decide.
 */
int guard_pin_instructions(struct guard *g, const char *server, struct json_doc *doc,
                           uint32_t node, unsigned poison, char *why, size_t whylen,
                           char hash[CANON_SHA256_HEX]);
/* Is resources/read of `uri` (len bytes) blocked: does it match the uriTemplate of a listed
 * resource template blocked by its pin or a poisoned description? why gets the reason. */
bool guard_template_blocked(struct guard *g, const char *server, const char *uri, size_t len,
                            char *why, size_t whylen);
/*
 * Validate arguments against the tool's input schema as listed. 1 valid, 0 invalid (why),
 * 2 no schema known for this tool, negative: cannot decide (why).
 */
int guard_schema_check(struct guard *g, const char *name, size_t len, struct json_doc *doc,
                       uint32_t args, char *why, size_t whylen);

/* ---- listings ---------------------------------------------------------------------- */

/*
 * A tools/list, prompts/list or resources/templates/list result (whole response line; kind:
 * PIN_TOOL, PIN_PROMPT, PIN_TEMPLATE) from `server`: pin every definition, compile tools'
 * inputSchemas, scan definitions for poisoning. The report (JSON object body fields for the
 * audit) goes to `rep`; `out` says what deserves a diagnostic.
 * first/last: pagination (first page resets, last page reports removals). internal: sentinel's
 * own re-list, answered to nobody: the client still holds the outputSchemas it was last shown,
 * so a tool whose outputSchema differs from that one keeps its structuredContent strings as
 * they came (spotlighting) until the client lists again.
 */
struct guard_list_out {
    bool blocked;         /* a pin changed or a definition is blocked */
    unsigned unsupported; /* tools whose inputSchema has keywords not enforced */
    unsigned duplicates;  /* tool names listed more than once (their schemas are ambiguous) */
    char first_tool[64];  /* ... the first such tool, for a diagnostic */
    char why[200];        /* when guard_list fails: what could not be done */
};
int guard_list(struct guard *g, int kind, const char *server, const char *line, size_t len,
               bool first, bool last, bool internal, struct buf *rep,
               struct guard_list_out *out);

/* Invalidate tracked sources: by request id (JSON text), tool or server. Returns how many. */
int guard_invalidate(struct guard *g, const char *request_id, const char *tool,
                     const char *server);

/* The tracked store (for the session's background builds), NULL when not tracking. */
struct tracked *guard_tracked(struct guard *g);
/* Pin persistence: the store when it has a file (else NULL), and the file's path. */
struct pin_store *guard_pins_file(struct guard *g, const char **path);

#endif
