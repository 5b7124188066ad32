/*
 * session.c - the stdio interception session: routing, policing and lifecycle.
 *
 * Every line from either side is parsed strictly, classified, decided and then either
 * forwarded byte for byte, rewritten (list filtering) or answered by us. Requests are
 * tracked per direction so that responses are routed only to requests that were really
 * sent, and so that every pending request gets an answer if the upstream dies. This
 * file holds decisions and routing; bytes on the wire are peer.c's, processes are
 * upstream.c's. It must never forward a message it did not parse and check.
 */
#include "proxy/session.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <uv.h>

#include "audit/audit.h"
#include "control/control.h"
#include "control/proto.h"
#include "seal/chain.h"
#include "seal/sid.h"
#include "seal/token.h"
#include "base/buf.h"
#include "base/hash.h"
#include "base/log.h"
#include "base/term.h"
#include "mcp/json.h"
#include "mcp/jsonrpc.h"
#include "mcp/mcp.h"
#include "mcp/spotlight.h"
#include "mcp/uri.h"
#include "policy/limits.h"
#include "policy/policy.h"
#include "proxy/approval.h"
#include "proxy/batch.h"
#include "proxy/guard.h"
#include "proxy/pins.h"
#include "scan/tracked.h"
#include "proxy/inflight.h"
#include "proxy/peer.h"
#include "proxy/upstream.h"

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

/* Index depth of a first parse: root, params/result, and their members. */
#define CLIENT_INDEX_DEPTH 2
#define UPSTREAM_INDEX_DEPTH 2
#define FINAL_FLUSH_MS 1000
#define SERVER_ID_MAX 128
/* after list_changed, a call of that kind waits at most this long for sentinel's re-list */
#define RELIST_HOLD_MS 5000

enum stop_reason { STOP_NONE = 0, STOP_CLIENT_EOF, STOP_SIGNAL, STOP_UPSTREAM, STOP_INTERNAL };


struct reload {
    uv_work_t work;
    struct session *s;
    struct policy *policy; /* the new one, when it loaded */
    struct diag diag;
    int rc;
    char *inval; /* the invalidations file, read again (NULL: none or unreadable) */
    int inval_err;
    struct guard_prep prep; /* detectors the new policy needs, compiled here */
};

#define INVAL_MAX 1024
/* MRTR: the keys of input requests the client was shown, remembered with their methods (a
 * ring: the oldest are forgotten, and an answer under a key not remembered is decided as the
 * answer of every method a server may ask) */
#define MRTR_KEYS 256
#define MRTR_KEY_MAX 64

struct session {
    const struct run_config *cfg;
    struct policy *policy; /* in force; owned */
    struct reload *reload; /* a reload on the thread pool, or NULL */
    struct limits *limits; /* budgets and rates of this session (survive reloads) */
    const struct rule *redact_rule; /* set by decide_request: forward with these fields masked */
    char list_why[220];             /* why the last list could not be checked (guard_list) */
    struct labelset labels;         /* the session's taint labels */
    bool flow;                      /* set by decide_request: the result moves labels */
    struct labelset flow_add, flow_del;
    bool audit_args;                /* decision records carry the arguments */
    struct approver *approver;      /* answers approve rules; NULL = nobody (they deny) */
    struct guard *guard;            /* scanners, tracked values, pins, schemas (proxy/guard.h) */
    uint64_t result_seq;            /* results seen, for provenance */
    uv_work_t tracked_work;         /* a background build of the tracked-value database */
    struct tracked_build *tbuild;   /* the build on the thread pool, or NULL */
    uv_work_t pins_work;            /* a background write of the pin store */
    bool pins_writing;
    bool pins_resync;               /* SIGHUP: read the pin store file again */
    struct buf pins_text, pins_merged;
    uint64_t pins_gen;
    char pins_err[256];
    int pins_rc;
    uint64_t relists;               /* sentinel's own tools/list requests (pins re-check) */
    /* after list_changed: re-list rounds not yet checked, per kind (tools, prompts,
     * templates); calls of that kind are held meanwhile (relist_hold), at most RELIST_HOLD_MS */
    unsigned relist_wait[3];        /* 0 or 1: one round at a time, per kind */
    bool relist_again[3];           /* list_changed during a round: one more round after it */
    bool relist_warned[3];          /* a re-list found blocked definitions: said once */
    bool relist_failed[3];          /* a round since the last release could not be checked */
    unsigned relist_pages[3];       /* pages of the current round */
    bool listed[3];                 /* a listing of the kind was checked in this session */
    uint64_t relist_cursor[3];      /* ... the hash of the last nextCursor followed */
    struct labelset call_labels;    /* set by decide_request: labels of the call (session + values) */
    /* which requests added the session's labels: "influenced_by" of decisions. Up to
     * SOURCES_PER_LABEL entries per held label, the first results that put it there or added
     * it again; a clear drops its labels' entries (forget_label_sources), so the ring never
     * holds more than SOURCES_PER_LABEL * LABELS_MAX */
    struct label_source {
        int label;
        char rid[64];
        char tool[64];
    } label_src[4 * LABELS_MAX];
    unsigned label_src_n;
    /* operator invalidations (--invalidations FILE): sources whose influence is suspect */
    char *inval_req[INVAL_MAX]; /* request ids as JSON text */
    char *inval_tool[INVAL_MAX];
    size_t ninval_req, ninval_tool;
    bool inval_server;
    bool hold;                      /* set by decide_request: hold the call for approval */
    char last_did[48];              /* decision id of the last decision */
    bool wh_id, wh_name, wh_uri;    /* the last decision's id, name, URI hold a tracked value */
    bool wh_method;                 /* so does the method a message no rule decides names */
    uint32_t msg_root;              /* the client message being handled: all of it (id, params,
                                     * any other member) is checked for tracked values */
    char hold_rule[256];            /* the approve rule of a held call */
    int audit_fsync;                /* AUDIT_SYNC_* in force */
    bool audit_commit;              /* the commit gate is on (--audit-fsync commit, policy) */
    bool audit_lost;                /* the log failed: said once on stderr */
    uint64_t untracked;             /* values found that could not be tracked, all told ... */
    uint64_t untracked_said;        /* ... when last said on stderr (at most once a minute) */
    uint64_t untracked_said_ms;
    char server[SERVER_ID_MAX + 1]; /* the server's identity, "" until known */
    bool server_known;
    bool identity_expired;          /* the agent token expired: every decision denies */
    char identity_why[200];         /* why, for the denials */
    uint32_t redact_args;           /* the arguments node (in doc) the masks apply to */
    bool reload_again;     /* SIGHUP arrived during a reload */
    uv_loop_t loop;
    struct peer client;
    struct peer up;
    struct upstream proc;
    struct inflight client_reqs; /* client -> server requests awaiting the server */
    struct inflight server_reqs; /* server -> client requests awaiting the client */
    /* tasks the agent's task-augmented tools/call created, by "t" + task id: the call's id,
     * tool, decision and the labels its final result moves (bounded by --max-pending) */
    struct inflight tasks;
    struct mrtr_key {
        unsigned pm; /* PM_* of the input requests seen under this key */
        uint8_t len;
        char key[MRTR_KEY_MAX]; /* the key as the server wrote it (JSON text, unquoted) */
    } mrtr_keys[MRTR_KEYS];
    unsigned mrtr_next;
    struct json_doc doc;         /* the message being handled */
    struct json_doc doc2;        /* re-parses (list filtering) */
    struct buf scratch;          /* unescaped method names */
    struct buf keybuf;           /* id keys */
    struct buf out;              /* replies and rewrites under construction */
    struct buf rewrite;          /* a response rewritten for the client (deliver_response) */
    struct buf tasknote;         /* a task notification read as a tasks/get answer */
    struct buf gate;             /* messages to the server waiting for their records to be on
                                  * disk (--audit-fsync commit): [u64 need][u64 len][bytes]... */
    bool gate_eof;               /* the server's EOF waits behind the gate */
    struct buf rec;              /* audit record under construction */
    struct audit_digest rec_dig[2]; /* ... and the digests it will carry (rec_digest) */
    size_t rec_ndig;
    struct audit *audit;
    struct control *control; /* --control PATH: the operator's socket, or NULL */
    char version[MCP_VERSION_MAX + 1]; /* negotiated protocol version, "" until known */
    char run_id[17];
    uint64_t decisions;

    uv_signal_t sig_term, sig_int, sig_hup, sig_chld;
    uv_timer_t term_timer, kill_timer, drain_timer, flush_timer, relist_timer;
    uv_timer_t exit_watch;   /* from shutdown on: a log that makes no progress cannot hold the exit */
    uint64_t watch_progress; /* audit_write_progress() at the last tick */
    unsigned watch_idle;     /* ticks without progress */
    uv_check_t flush_check; /* writes of one loop iteration go out together */
    bool dirty;
    unsigned open_handles;

    enum stop_reason stop;
    int stop_signal;
    bool stopping;
    bool client_eof;
    bool up_eof;
    bool pendings_failed;
    bool killed_by_us; /* we sent SIGTERM/SIGKILL to the upstream */
    bool closing;
    int exit_status;
};

static void begin_shutdown(struct session *s, enum stop_reason why, int sig);
static void maybe_finish(struct session *s);
static void on_flush_timer(uv_timer_t *t);
static void on_relist_timer(uv_timer_t *t);
static void flush_all(struct session *s);
static void relist_done(struct session *s, int kind, bool ok);
static bool relist(struct session *s, int kind, const char *cursor, size_t cursor_len);
static int pin_kind_of(enum req_kind k);

/* ---- small helpers ---------------------------------------------------------------- */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static bool is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return false;
    return true;
}

/* Send the batch's array once everything it is owed has arrived. */
static void batch_maybe_emit(struct session *s, struct batch *b)
{
    if (!batch_ready(b))
        return;
    buf_reset(&s->out);
    if (batch_render(b, &s->out) == 0 && s->out.len > 0)
        peer_write(&s->client, s->out.data, s->out.len);
    batch_free(b);
}

/* Deliver one message (no newline) to the client, or into its batch. */
static void to_client(struct session *s, struct batch *b, const char *msg, size_t len)
{
    if (b != NULL) {
        batch_add(b, msg, len);
        return;
    }
    if (peer_forward_line(&s->client, &s->up, msg, len))
        return;
    if (peer_write(&s->client, msg, len) < 0 || peer_write(&s->client, "\n", 1) < 0)
        log_warn("client output queue over its limit; the client is not reading");
}

/*
 * Deliver a rewritten message (b, no newline) to the client, or into its batch. Into an
 * empty queue b's memory is moved, not copied; b comes back empty (see peer_write_buf).
 */
static void to_client_buf(struct session *s, struct batch *bt, struct buf *b)
{
    if (bt != NULL) {
        batch_add(bt, b->data, b->len);
        return;
    }
    if (peer_write_buf(&s->client, b) < 0 || peer_write(&s->client, "\n", 1) < 0)
        log_warn("client output queue over its limit; the client is not reading");
}

static void up_write(struct session *s, const char *msg, size_t len)
{
    if (peer_forward_line(&s->up, &s->client, msg, len))
        return;
    if (peer_write(&s->up, msg, len) < 0 || peer_write(&s->up, "\n", 1) < 0)
        log_warn("upstream input queue over its limit or closed; message dropped");
}

/*
 * The commit gate of --audit-fsync commit: nothing reaches the server before every record
 * appended so far is on disk, so a call the server runs always has its decision in the log,
 * even after a crash of sentinel or of the machine. Messages wait in order in s->gate and
 * leave when the audit job that synced their records completes (on_audit_durable); the
 * records of many calls share one fdatasync (group commit).
 */
static bool gated(const struct session *s)
{
    return s->audit != NULL && s->audit_commit && audit_error(s->audit) == 0;
}

static void to_upstream(struct session *s, const char *msg, size_t len)
{
    if (gated(s)) {
        uint64_t need = audit_appended(s->audit);
        if (s->gate.len > 0 || audit_durable(s->audit) < need) {
            uint64_t hdr[2] = {need, len};
            if (buf_reserve(&s->gate, sizeof(hdr) + len) < 0) {
                log_warn("audit commit gate over its limit; message dropped");
                return;
            }
            buf_append(&s->gate, hdr, sizeof(hdr));
            buf_append(&s->gate, msg, len);
            audit_commit_now(s->audit);
            return;
        }
    }
    up_write(s, msg, len);
}

/* Reply with a JSON-RPC error. id_raw NULL means id null. */
static void reply_error(struct session *s, struct peer *dest, struct batch *b, const char *id_raw,
                        size_t id_len, int code, const char *message, const char *data)
{
    buf_reset(&s->out);
    if (rpc_write_error(&s->out, id_raw, id_len, code, message, data) < 0)
        return;
    size_t len = s->out.len - 1; /* without '\n' */
    if (dest == &s->client)
        to_client(s, b, s->out.data, len);
    else
        to_upstream(s, s->out.data, len);
}

static int id_key(struct session *s, const struct rpc_id *id)
{
    buf_reset(&s->keybuf);
    return rpc_id_key(&s->doc, id, &s->keybuf);
}

/* ---- audit -------------------------------------------------------------------------- */

/* `,"key":` (no comma first): records are built on every decision, without printf */
static void rec_key(struct buf *b, const char *key)
{
    size_t kl = strlen(key);
    if (buf_reserve(b, kl + 4) < 0)
        return;
    char *p = b->data + b->len;
    if (b->len > 0)
        *p++ = ',';
    *p++ = '"';
    memcpy(p, key, kl);
    p += kl;
    *p++ = '"';
    *p++ = ':';
    b->len = (size_t)(p - b->data);
}

static void rec_str(struct buf *b, const char *key, const char *v, size_t n)
{
    rec_key(b, key);
    buf_putc(b, '"');
    buf_json_escape(b, v, n);
    buf_putc(b, '"');
}

static void rec_raw(struct buf *b, const char *key, const char *json, size_t n)
{
    rec_key(b, key);
    buf_append(b, json, n);
}

/* What records and log lines show for a request id, tool name or URI that holds a tracked
 * value (docs/policy.md): the value never reaches the log in clear. */
#define WITHHELD_TEXT "(withheld: holds a tracked value)"
#define WITHHELD_JSON "\"" WITHHELD_TEXT "\""

/* An entry's request id and target as records may show them. */
static const char *shown_rid(const struct inflight_entry *e, size_t *len)
{
    *len = e->withheld_id ? sizeof(WITHHELD_JSON) - 1 : e->raw_len;
    return e->withheld_id ? WITHHELD_JSON : e->raw_id;
}

static const char *shown_target(const struct inflight_entry *e, size_t *len)
{
    *len = e->withheld_target ? sizeof(WITHHELD_TEXT) - 1 : e->target_len;
    return e->withheld_target ? WITHHELD_TEXT : e->target;
}

static void rec_entry_id(struct buf *b, const struct inflight_entry *e)
{
    size_t n;
    const char *id = shown_rid(e, &n);
    rec_raw(b, "request_id", id, n);
}

static void rec_us(struct buf *b, const char *key, uint64_t ns)
{
    rec_key(b, key);
    buf_put_us(b, ns);
}

static void rec_reset(struct session *s)
{
    buf_reset(&s->rec);
    s->rec_ndig = 0;
}

/* "key":"sha256:<hex>" of n bytes: what was sent, provable without being logged. The hex is
 * computed off the loop thread by the audit job (audit_record_digests); the bytes must stay
 * put until audit_emit. */
static void rec_digest(struct session *s, const char *key, const char *data, size_t n)
{
    struct buf *b = &s->rec;
    rec_key(b, key);
    buf_append(b, "\"sha256:", 8);
    size_t at = b->len;
    buf_append(b, "0000000000000000000000000000000000000000000000000000000000000000",
               AUDIT_DIGEST_HEX);
    buf_putc(b, '"');
    if (s->rec_ndig < sizeof(s->rec_dig) / sizeof(s->rec_dig[0]) && b->len == at + 65)
        s->rec_dig[s->rec_ndig++] = (struct audit_digest){at, data, n};
}

/* The log failed: said once on stderr, with the records it lost. */
static void audit_failed(struct session *s)
{
    if (s->audit_lost)
        return;
    s->audit_lost = true;
    char lost[320] = "";
    uint64_t n = audit_unwritten(s->audit);
    if (n > 0)
        snprintf(lost, sizeof(lost),
                 "; up to %" PRIu64 " record(s) appended before the failure are not in it%s", n,
                 s->audit_commit ? ""
                                 : " (without --audit-fsync commit a call goes to the server "
                                   "once its record is buffered: calls among them may have run "
                                   "without a decision record on disk)");
    if (!s->cfg->audit_fail_open)
        log_error("the audit log %s cannot be written (%s); failing closed: every call from now "
                  "on is denied%s",
                  audit_path(s->audit), err_str(audit_error(s->audit)), lost);
    else
        log_error("the audit log %s cannot be written (%s); serving on without it "
                  "(--audit-failure open)%s",
                  audit_path(s->audit), err_str(audit_error(s->audit)), lost);
}

/* Append the record in s->rec. 0, or why it is not in the log (-EMSGSIZE: too large alone,
 * the log goes on; else the log failed, audit_error). */
static int audit_emit(struct session *s, const char *event)
{
    size_t nd = s->rec_ndig;
    s->rec_ndig = 0;
    if (s->audit == NULL)
        return 0;
    int rc = audit_record_digests(s->audit, event, s->rec.data, s->rec.len, s->rec_dig, nd);
    if (rc < 0 && s->rec.len > 0)
        log_debug("audit record dropped: %s", err_str(rc));
    return rc;
}

static void rec_labels(struct buf *b, const char *key, const struct labelset *l)
{
    buf_printf(b, "%s\"%s\":[", b->len ? "," : "", key);
    bool first = true;
    for (int i = 0; i < LABELS_MAX; i++) {
        if (!labelset_has(l, i))
            continue;
        const char *n = label_name(i);
        buf_printf(b, "%s\"%s\"", first ? "" : ",", n ? n : "?"); /* names are [A-Za-z0-9_.:-] */
        first = false;
    }
    buf_putc(b, ']');
}

/* ---- policy decisions ------------------------------------------------------------- */

/* Has the agent token's exp, plus the skew tolerated at start, passed? */
static bool token_expired(const struct session *s)
{
    uint64_t exp = s->cfg->token_exp;
    return s->identity_expired ||
           (exp != 0 && (uint64_t)time(NULL) >= exp + SEAL_TOKEN_SKEW_S); /* vDSO, no syscall */
}

/* The token expired: said once on stderr and in the audit log (event `identity`). */
static void identity_expire(struct session *s)
{
    char when[40];
    seal_fmt_time(s->cfg->token_exp, when, sizeof(when));
    s->identity_expired = true;
    snprintf(s->identity_why, sizeof(s->identity_why),
             "the agent token expired at %s (+%d s tolerated skew); its identity no longer "
             "grants anything: restart sentinel with a fresh token",
             when, SEAL_TOKEN_SKEW_S);
    log_error("%s; denying every call", s->identity_why);
    if (s->audit == NULL)
        return;
    rec_reset(s);
    rec_str(&s->rec, "state", "expired", 7);
    if (s->cfg->agent != NULL)
        rec_str(&s->rec, "agent", s->cfg->agent, strlen(s->cfg->agent));
    if (s->cfg->identity != NULL)
        rec_str(&s->rec, "identity", s->cfg->identity, strlen(s->cfg->identity));
    rec_str(&s->rec, "expired_at", when, strlen(when));
    rec_str(&s->rec, "reason", s->identity_why, strlen(s->identity_why));
    audit_emit(s, "identity");
}

/*
 * Why the session's identity cannot decide anything, or NULL when it can: the policy
 * requires a token-verified identity (identity.require: token) and this one is asserted or
 * absent (a policy reloaded by SIGHUP; at start `run` refuses), or the agent token expired.
 * Fail closed: the caller denies.
 */
static const char *identity_refused(struct session *s)
{
    if (s->policy->identity.require_token && s->cfg->token_exp == 0)
        return "the policy requires a verified agent identity (identity.require: token) and "
               "this session's is only asserted (--agent/--role) or absent; restart sentinel "
               "with --agent-token and --trust-key";
    if (!token_expired(s))
        return NULL;
    if (!s->identity_expired)
        identity_expire(s);
    return s->identity_why;
}

/* Who is asking of whom, and what the session has seen: the parts of a request that are not
 * in the message. */
static void session_identity(struct session *s, struct policy_request *req)
{
    req->labels = &s->labels;
    if (s->cfg->agent != NULL) {
        req->agent = s->cfg->agent;
        req->agent_len = strlen(s->cfg->agent);
    }
    req->roles = s->cfg->roles;
    req->nroles = s->cfg->nroles;
    if (s->server_known) {
        req->server = s->server;
        req->server_len = strlen(s->server);
    }
}

/* List filtering: keep an element unless every request for it would be denied. */
struct keep_ctx {
    struct session *s;
    unsigned method;
    bool by_uri;
    bool templates; /* resource templates: kept unless blocked by their pins */
};

/* Do tools/list results go through the guard (pins, schemas, description scan)? Spotlighting
 * needs the outputSchemas: structuredContent must stay valid against them. */
static bool guard_lists(const struct session *s)
{
    const struct policy *p = s->policy;
    return s->guard != NULL &&
           (p->pins > PINS_OFF || s->cfg->pins_path != NULL || p->schema.mode > SCHEMA_OFF ||
            p->schema.nenforce > 0 || p->schema.nwarn > 0 || p->spotlight.mode > SPOT_OFF);
}

/* Pins or schemas: what a listing must be checked for before a call of its kind goes. */
static bool checks_lists(const struct session *s)
{
    const struct policy *p = s->policy;
    return s->guard != NULL && (p->pins > PINS_OFF || s->cfg->pins_path != NULL ||
                                p->schema.mode > SCHEMA_OFF || p->schema.nenforce > 0);
}

static bool keep_element(void *ctx, const char *name, size_t len)
{
    struct keep_ctx *k = ctx;
    struct policy_request req = {.method = k->method};
    if (identity_refused(k->s) != NULL)
        return false; /* every call would be denied; identity_refused says so once */
    session_identity(k->s, &req);
    struct buf canon;
    buf_init(&canon, len + URI_CANON_SLACK);
    if (k->by_uri) {
        /* matched as a resources/read of it would be (mcp/uri.h) */
        if (uri_canon(name, len, &canon) < 0) {
            buf_cleanup(&canon);
            return false;
        }
        req.uri = canon.data ? canon.data : "";
        req.uri_len = canon.len;
    } else {
        req.name = name;
        req.name_len = len;
    }
    char why[300];
    if (k->templates) {
        buf_cleanup(&canon);
        return k->s->guard == NULL || k->s->policy->pins == PINS_WARN ||
               !guard_pin_blocked(k->s->guard, PIN_TEMPLATE, k->s->server_known ? k->s->server : NULL,
                                  name, len, why, sizeof(why));
    }
    if ((k->method == PM_TOOLS_CALL || k->method == PM_PROMPTS_GET) && k->s->guard != NULL &&
        k->s->policy->pins != PINS_WARN &&
        guard_pin_blocked(k->s->guard, k->method == PM_TOOLS_CALL ? PIN_TOOL : PIN_PROMPT,
                          k->s->server_known ? k->s->server : NULL, name, len, why, sizeof(why))) {
        buf_cleanup(&canon);
        return false; /* blocked by its pin: not offered */
    }
    bool keep = policy_may_allow(k->s->policy, &req);
    buf_cleanup(&canon);
    return keep;
}

/* What a policed request targets, copied out of the message. */
struct target {
    unsigned method; /* PM_* bit */
    struct buf name; /* tool or prompt name; data NULL when none */
    struct buf uri;  /* resource URI; data NULL when none */
    struct buf uri_canon; /* ... as rules and sources match it (mcp/uri.h) */
    bool has_name, has_uri;
    uint32_t args;    /* node in s->doc of the value `when` paths start at; 0 = none */
    uint32_t params;  /* node in s->doc of the request's params; 0 = none */
    bool response;    /* the agent's answer to a server request of `method` (client_response):
                         decided again only for the tracked values it carries out */
    /* method 0: a message no rule decides, decided only for the tracked values it carries
     * (taint.other_messages); its method name (borrowed), and whether it is a notification
     * (nobody is answered) */
    const char *other;
    size_t other_len;
    bool notification;
    /* MRTR (2026-07-28): a request embedded in a result (inputRequests) or its answer in a
     * retry (inputResponses), under this key; a denial answers the client's request */
    bool embedded;
    const char *input_key;
    size_t input_key_len;
    bool id_withheld; /* the id is the client's and holds a tracked value (records withhold it) */
};

static void target_init(struct target *t, unsigned method)
{
    memset(t, 0, sizeof(*t));
    t->method = method;
    buf_init(&t->name, RPC_MAX_METHOD_LEN * 64);
    buf_init(&t->uri, 1u << 20);
    buf_init(&t->uri_canon, 1u << 20);
}

static void target_cleanup(struct target *t)
{
    buf_cleanup(&t->name);
    buf_cleanup(&t->uri);
    buf_cleanup(&t->uri_canon);
}

/* Copy string member `key` of `obj` into out. 1 copied, 0 absent, -1 present but not a string. */
static int copy_member(struct json_doc *doc, uint32_t obj, const char *key, struct buf *out)
{
    uint32_t n = obj ? json_get(doc, obj, key, strlen(key)) : 0;
    if (n == 0)
        return 0;
    if (doc->nodes[n].type != JSON_STRING)
        return -1;
    const char *p;
    size_t len;
    struct buf tmp;
    buf_init(&tmp, out->limit);
    int rc = json_str(doc, n, &tmp, &p, &len);
    if (rc == 0)
        rc = buf_append(out, p, len);
    buf_cleanup(&tmp);
    return rc == -ENOBUFS ? -2 : rc < 0 ? -1 : 1; /* -2: longer than out takes */
}

/*
 * Read what a request targets from its params (s->doc, node `params`). Returns NULL, or
 * the message of the -32602 error when params do not have the shape the method requires:
 * a request the interceptor cannot read is not forwarded.
 */
static const char *read_target(struct session *s, uint32_t params, struct target *t)
{
    struct json_doc *doc = &s->doc;
    int rc;
    t->params = params;
    switch (t->method) {
    case PM_TOOLS_CALL:
    case PM_PROMPTS_GET: {
        bool tool = t->method == PM_TOOLS_CALL;
        if ((rc = copy_member(doc, params, "name", &t->name)) == -2)
            return tool ? "sentinel: tools/call params.name is too long (a name is at most 64 KiB)"
                        : "sentinel: prompts/get params.name is too long (a name is at most 64 KiB)";
        if (rc != 1)
            return tool ? "sentinel: tools/call needs params.name (a string)"
                        : "sentinel: prompts/get needs params.name (a string)";
        t->has_name = true;
        uint32_t args = json_getz(doc, params, "arguments");
        if (args != 0 && doc->nodes[args].type != JSON_OBJECT)
            return tool ? "sentinel: tools/call params.arguments must be an object"
                        : "sentinel: prompts/get params.arguments must be an object";
        t->args = args;
        return NULL;
    }
    case PM_RESOURCES_READ:
        if (copy_member(doc, params, "uri", &t->uri) != 1)
            return "sentinel: resources/read needs params.uri (a string)";
        t->has_uri = true;
        t->args = params; /* conditions read `uri` (and any other member) as explain does */
        if ((rc = uri_canon(t->uri.data ? t->uri.data : "", t->uri.len, &t->uri_canon)) < 0)
            return rc == -EILSEQ ? "sentinel: resources/read params.uri has a host that is not "
                                   "ASCII; write it in punycode (xn--)"
                                 : "sentinel: resources/read params.uri is too long to be checked";
        return NULL;
    case PM_COMPLETE: {
        /* ref's members are one level below the first parse's index: read them again */
        struct diag d = {0};
        if (params == 0)
            return "sentinel: completion/complete needs params.ref";
        const struct json_node *pn = &doc->nodes[params];
        if (json_parse(&s->doc2, doc->text + pn->start, pn->end - pn->start, 2, &d) < 0)
            return "sentinel: completion/complete params could not be read";
        uint32_t ref = json_getz(&s->doc2, 0, "ref");
        if (ref == 0 || s->doc2.nodes[ref].type != JSON_OBJECT)
            return "sentinel: completion/complete needs params.ref (an object)";
        if ((rc = copy_member(&s->doc2, ref, "name", &t->name)) < 0)
            return "sentinel: completion/complete params.ref.name must be a string";
        t->has_name = rc == 1;
        if ((rc = copy_member(&s->doc2, ref, "uri", &t->uri)) < 0)
            return "sentinel: completion/complete params.ref.uri must be a string";
        t->has_uri = rc == 1;
        if (t->has_uri &&
            (rc = uri_canon(t->uri.data ? t->uri.data : "", t->uri.len, &t->uri_canon)) < 0)
            return rc == -EILSEQ ? "sentinel: completion/complete params.ref.uri has a host that "
                                   "is not ASCII; write it in punycode (xn--)"
                                 : "sentinel: completion/complete params.ref.uri is too long to be "
                                   "checked";
        t->args = json_getz(doc, params, "argument");
        return NULL;
    }
    default: /* server -> client requests: conditions read their params */
        t->args = params;
        return NULL;
    }
}

#define SOURCES_PER_LABEL 4

/* Remember which request added labels, also one the session held already (for
 * "influenced_by" and invalidation): up to SOURCES_PER_LABEL requests a label. */
static void note_label_source(struct session *s, const struct labelset *added, const char *rid,
                              size_t rid_len, const char *tool, size_t tool_len)
{
    size_t cap = sizeof(s->label_src) / sizeof(s->label_src[0]);
    size_t n = s->label_src_n < cap ? s->label_src_n : cap;
    char id[64];
    snprintf(id, sizeof(id), "%.*s", (int)(rid_len < 63 ? rid_len : 63), rid);
    for (int i = 0; i < LABELS_MAX; i++) {
        if (!labelset_has(added, i))
            continue;
        unsigned have = 0;
        bool dup = false;
        for (size_t k = 0; k < n && !dup; k++)
            if (s->label_src[k].label == i) {
                have++;
                dup = strcmp(s->label_src[k].rid, id) == 0;
            }
        if (dup || have >= SOURCES_PER_LABEL || s->label_src_n >= cap)
            continue;
        unsigned at = s->label_src_n++;
        s->label_src[at].label = i;
        snprintf(s->label_src[at].rid, sizeof(s->label_src[at].rid), "%.*s",
                 (int)(rid_len < 63 ? rid_len : 63), rid);
        snprintf(s->label_src[at].tool, sizeof(s->label_src[at].tool), "%.*s",
                 (int)(tool_len < 63 ? tool_len : 63), tool ? tool : "");
    }
}

/* The same for an entry's result, as records may show it. */
static void note_entry_source(struct session *s, const struct labelset *added,
                              const struct inflight_entry *e)
{
    size_t il, tl;
    const char *id = shown_rid(e, &il), *tool = shown_target(e, &tl);
    note_label_source(s, added, id, il, tool, tl);
}

/*
 * A clear removed these labels: the requests that had put them in the session no longer
 * influence later calls (influenced_by, invalidation). Their entries leave the ring, which
 * keeps the rest in order, oldest first.
 */
static void forget_label_sources(struct session *s, const struct labelset *removed)
{
    /* never wrapped: at most SOURCES_PER_LABEL entries for each of LABELS_MAX labels */
    size_t m = 0;
    for (size_t k = 0; k < s->label_src_n; k++)
        if (!labelset_has(removed, s->label_src[k].label))
            s->label_src[m++] = s->label_src[k];
    s->label_src_n = (unsigned)m;
}

/* "influenced_by": the requests whose results put the held labels in the session. */
static void rec_influenced(struct session *s, const struct labelset *held)
{
    size_t cap = sizeof(s->label_src) / sizeof(s->label_src[0]);
    size_t n = s->label_src_n < cap ? s->label_src_n : cap;
    const char *seen[16];
    size_t nseen = 0;
    for (size_t k = 0; k < n && nseen < 16; k++) {
        size_t at = (s->label_src_n - 1 - k) % cap; /* newest first */
        if (!labelset_has(held, s->label_src[at].label))
            continue;
        bool dup = false;
        for (size_t j = 0; j < nseen && !dup; j++)
            dup = strcmp(seen[j], s->label_src[at].rid) == 0;
        if (!dup)
            seen[nseen++] = s->label_src[at].rid;
    }
    if (nseen == 0)
        return;
    buf_append(&s->rec, ",\"influenced_by\":[", 18);
    for (size_t j = 0; j < nseen; j++)
        buf_printf(&s->rec, "%s%s", j ? "," : "", seen[j]); /* ids are JSON text */
    buf_putc(&s->rec, ']');
}

/* Did an invalidated source put one of these labels in the session? */
static bool labels_invalidated(const struct session *s, const struct labelset *held)
{
    if (s->ninval_req == 0 && s->ninval_tool == 0 && !s->inval_server)
        return false;
    size_t cap = sizeof(s->label_src) / sizeof(s->label_src[0]);
    size_t n = s->label_src_n < cap ? s->label_src_n : cap;
    for (size_t k = 0; k < n; k++) {
        if (!labelset_has(held, s->label_src[k].label))
            continue;
        if (s->inval_server)
            return true;
        for (size_t i = 0; i < s->ninval_req; i++)
            if (strcmp(s->inval_req[i], s->label_src[k].rid) == 0)
                return true;
        for (size_t i = 0; i < s->ninval_tool; i++)
            if (strcmp(s->inval_tool[i], s->label_src[k].tool) == 0)
                return true;
    }
    return false;
}

/*
 * Distrust one source: kind "request" (v: the id's JSON text), "tool" or "server", as an
 * invalidations-file line or the control socket names it. Audited as "invalidation" (with
 * "via" when given). 1 when new, 0 when already known, -ENOSPC past INVAL_MAX or -ENOMEM;
 * *sources (may be NULL) gets the number of tracked sources it touched.
 */
static int invalidate_one(struct session *s, const char *kind, const char *v, const char *via,
                          int *sources)
{
    bool req = strcmp(kind, "request") == 0, tool = strcmp(kind, "tool") == 0,
         server = strcmp(kind, "server") == 0;
    if (!req && !tool && !server)
        return -EINVAL;
    char **list = req ? s->inval_req : s->inval_tool;
    size_t *n = req ? &s->ninval_req : &s->ninval_tool;
    bool known = server && s->inval_server;
    for (size_t i = 0; !server && i < *n && !known; i++)
        known = strcmp(list[i], v) == 0;
    if (sources != NULL)
        *sources = 0;
    if (known)
        return 0;
    if (server) {
        s->inval_server = true;
    } else if (*n >= INVAL_MAX) {
        log_warn("invalidations: more than %d entries; ignored", INVAL_MAX);
        return -ENOSPC;
    } else if ((list[*n] = strdup(v)) == NULL) {
        return -ENOMEM;
    } else {
        (*n)++;
    }
    int count = s->guard ? guard_invalidate(s->guard, req ? v : NULL, tool ? v : NULL,
                                            server ? v : NULL)
                         : 0;
    if (sources != NULL)
        *sources = count < 0 ? 0 : count;
    rec_reset(s);
    size_t vl = strlen(v);
    bool json_ok = strspn(v, "0123456789") == vl ||
                   (vl >= 2 && v[0] == '"' && v[vl - 1] == '"' &&
                    strcspn(v + 1, "\"\\") == vl - 2);
    if (req && json_ok)
        rec_raw(&s->rec, "request_id", v, vl); /* a number or a plain string, as JSON */
    else if (req)
        rec_str(&s->rec, "request_id_text", v, vl);
    else
        rec_str(&s->rec, tool ? "tool" : "server", v, strlen(v));
    buf_printf(&s->rec, ",\"sources\":%d", count < 0 ? 0 : count);
    if (via != NULL)
        rec_str(&s->rec, "via", via, strlen(via));
    audit_emit(s, "invalidation");
    log_warn("invalidated %s %s%s%s: later calls depending on it carry the label '%s'", kind, v,
             via ? " via " : "", via ? via : "", GUARD_LABEL_INVALIDATED);
    return 1;
}

/*
 * Apply the invalidations file (lines "request ID", "tool NAME", "server ID"; # comments).
 * Entries already known are not counted again. Each new one is audited.
 */
static void apply_invalidations(struct session *s, const char *text)
{
    char *copy = strdup(text ? text : ""), *save = NULL;
    if (copy == NULL)
        return;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        while (*line == ' ' || *line == '\t')
            line++;
        size_t len = strlen(line);
        while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        char *sp = strchr(line, ' ');
        if (sp == NULL) {
            log_warn("invalidations: ignored line without a value: %.60s", line);
            continue;
        }
        *sp = '\0';
        if (invalidate_one(s, line, sp + 1, NULL, NULL) == -EINVAL)
            log_warn("invalidations: unknown kind '%.20s' (request, tool, server)", line);
    }
    free(copy);
}

/* What a denial's message says after "denied by policy: ": the reason, or, for a rule that
 * gives none (its reason is then POLICY_DENY_REASON, which would only repeat it), the rule.
 * data.reason keeps the reason as it is. */
static void deny_why(char *out, size_t n, const char *rule, const char *reason)
{
    if (strcmp(reason, POLICY_DENY_REASON) == 0)
        snprintf(out, n, "rule '%s'", rule);
    else
        snprintf(out, n, "%s", reason);
}

static bool decide_request_g(struct session *s, struct peer *from, struct batch *b,
                             const struct rpc_msg *m, struct target *t, struct guard_call *gc);

/*
 * Decide a policed request. Returns true when it may be forwarded; otherwise the error
 * reply has gone to `from` (the client, or the server for its own requests). Every
 * decision is audited.
 */
static bool decide_request(struct session *s, struct peer *from, struct batch *b,
                           const struct rpc_msg *m, struct target *t)
{
    struct guard_call gc;
    guard_call_init(&gc);
    bool ok = decide_request_g(s, from, b, m, t, &gc);
    guard_call_cleanup(&gc);
    return ok;
}

/* "<run id>-<n>" for the current decision into did[48]; its length */
static size_t decision_id(const struct session *s, char *did)
{
    size_t n = strlen(s->run_id);
    memcpy(did, s->run_id, n);
    did[n++] = '-';
    char tmp[20];
    int k = 0;
    uint64_t v = s->decisions;
    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (k > 0)
        did[n++] = tmp[--k];
    did[n] = '\0';
    return n;
}

/* Does this text (a name, a URI) hold a tracked value? */
static bool json_str_carries(struct session *s, const char *v, size_t n)
{
    struct buf js;
    buf_init(&js, s->cfg->max_message + 64 * 1024);
    bool ok = buf_putc(&js, '"') == 0 && buf_json_escape(&js, v, n) == 0 &&
              buf_putc(&js, '"') == 0;
    bool hit = !ok || guard_json_carries(s->guard, js.data, js.len);
    buf_cleanup(&js);
    return hit;
}

static bool decide_request_g(struct session *s, struct peer *from, struct batch *b,
                             const struct rpc_msg *m, struct target *t, struct guard_call *gc)
{
    struct decision d;
    char did[48];
    size_t didlen = 0;
    uint64_t t0 = s->audit != NULL ? now_ns() : 0;
    struct policy_request req = {.method = t->method};
    session_identity(s, &req);
    if (t->has_name) {
        req.name = t->name.data ? t->name.data : "";
        req.name_len = t->name.len;
    }
    if (t->has_uri) { /* rules and sources match the URI as a server reads it */
        req.uri = t->uri_canon.data ? t->uri_canon.data : "";
        req.uri_len = t->uri_canon.len;
    }
    /* tracked values in the arguments give the call their labels */
    s->call_labels = s->labels;
    req.labels = &s->call_labels;
    bool client_call = from == &s->client && t->method == PM_TOOLS_CALL;
    /* everything the agent sends a server carries data out: tool arguments, prompt
     * arguments, a resource URI, a completion's argument, an answer to the server's sampling
     * or elicitation request */
    bool outbound = from == &s->client &&
                    (t->response || t->method == 0 ||
                     (t->method & (PM_TOOLS_CALL | PM_PROMPTS_GET | PM_RESOURCES_READ | PM_COMPLETE)));
    /* who hears a denial: the requester, or for an answer the server that asked; for an
     * embedded request or answer, the client, whose request carried it or is answered by it */
    struct peer *reply_to = t->embedded ? &s->client : t->response ? &s->up : from;
    const char *guard_err = NULL;
    if (outbound && s->guard != NULL && guard_tracked(s->guard) != NULL) {
        /* the whole message: a value in the id or in a member beside params leaves too */
        const struct json_node *pn = &s->doc.nodes[s->msg_root];
        if (guard_track_args(s->guard, s->doc.text + pn->start, pn->end - pn->start, gc) < 0)
            guard_err = "the request could not be checked for tracked values; failing closed";
        labelset_union(&s->call_labels, &gc->labels);
    }
    /* a value in the id, the name or the URI: records and log lines show it withheld */
    s->wh_id = s->wh_name = s->wh_uri = s->wh_method = false;
    if (gc->tracked_hit) {
        s->wh_id = m->id.raw_len > 0 && guard_json_carries(s->guard, m->id.raw, m->id.raw_len);
        s->wh_method = t->method == 0 && json_str_carries(s, t->other, t->other_len);
        s->wh_name = t->has_name && json_str_carries(s, req.name, req.name_len);
        s->wh_uri = t->has_uri && (json_str_carries(s, t->uri.data ? t->uri.data : "", t->uri.len) ||
                                   json_str_carries(s, req.uri, req.uri_len));
    }
    if (t->id_withheld)
        s->wh_id = true;
    /* an answer's key is the client's to write: withheld like its id */
    const char *input_key = t->input_key;
    size_t input_key_len = t->input_key_len;
    if (input_key != NULL && gc->tracked_hit && json_str_carries(s, input_key, input_key_len)) {
        input_key = WITHHELD_TEXT;
        input_key_len = sizeof(WITHHELD_TEXT) - 1;
    }
    if (outbound && (gc->invalidated || labels_invalidated(s, &s->call_labels))) {
        /* it depends on a source the operator invalidated */
        int id = label_intern(GUARD_LABEL_INVALIDATED, strlen(GUARD_LABEL_INVALIDATED));
        if (id >= 0)
            labelset_add(&s->call_labels, id);
    }
    enum schema_mode smode = client_call && t->has_name
                                 ? policy_schema_mode(s->policy, req.name, req.name_len)
                                 : SCHEMA_OFF;
    if ((s->policy->needs_args || smode != SCHEMA_OFF) && t->args != 0) {
        /* conditions may look anywhere below the arguments: index all of them */
        struct diag dg = {0};
        const struct json_node *an = &s->doc.nodes[t->args];
        if (json_parse(&s->doc2, s->doc.text + an->start, an->end - an->start,
                       s->cfg->max_depth, &dg) == 0)
            req.args = &s->doc2;
        else
            req.args = NULL; /* cannot happen for validated text; conditions see nothing */
    }
    if (s->policy->needs_facts && s->guard != NULL) {
        /* threat scores of the arguments for `threat_score` conditions */
        if (guard_facts(s->guard, req.args, 0, gc) < 0 || (t->args != 0 && req.args == NULL))
            guard_err = COND_FACTS_UNSCANNED;
        req.facts = &gc->facts;
    }
    char other_why[300];
    if (t->method != 0) {
        policy_eval(s->policy, &req, &d);
    } else {
        /* no rule decides this message: only the tracked values it carries out do */
        bool allow = s->policy->other_allow && !s->policy->other_deny;
        memset(&d, 0, sizeof(d));
        d.effect = allow ? EFFECT_ALLOW : EFFECT_DENY;
        d.rule_id = "other-messages";
        snprintf(other_why, sizeof(other_why),
                 "%s carries a tracked value to the server, and no rule decides %.*s "
                 "(taint.other_messages: %s)",
                 t->notification ? "the notification" : t->response ? "the answer" : "the request",
                 s->wh_method ? (int)sizeof(WITHHELD_TEXT) - 1
                              : (int)(t->other_len > 120 ? 120 : t->other_len),
                 s->wh_method ? WITHHELD_TEXT : t->other, allow ? "allow" : "deny");
        d.reason = other_why;
    }
    if (guard_err != NULL) {
        d.effect = EFFECT_DENY;
        d.rule = NULL;
        d.rule_id = "guard";
        d.reason = guard_err;
    }
    const char *identity_why = identity_refused(s);
    if (identity_why != NULL) {
        d.effect = EFFECT_DENY;
        d.rule = NULL;
        d.rule_id = "identity";
        d.reason = identity_why;
    }
    /* a pinned tool whose definition changed, arguments outside the tool's schema */
    char pin_why[300], schema_why[400];
    const char *schema_flag = NULL;
    bool pin_flag = false;
    bool pinned_kind = from == &s->client && (t->method & (PM_TOOLS_CALL | PM_PROMPTS_GET));
    bool via_template = from == &s->client && t->method == PM_RESOURCES_READ && t->has_uri;
    if (d.effect != EFFECT_DENY && s->guard != NULL &&
        ((pinned_kind && t->has_name &&
          guard_pin_blocked(s->guard, t->method == PM_TOOLS_CALL ? PIN_TOOL : PIN_PROMPT,
                            s->server_known ? s->server : NULL, req.name, req.name_len, pin_why,
                            sizeof(pin_why))) ||
         (via_template &&
          guard_template_blocked(s->guard, s->server_known ? s->server : NULL,
                                 t->uri.data ? t->uri.data : "", t->uri.len, pin_why, sizeof(pin_why))))) {
        if (s->policy->pins == PINS_WARN) {
            pin_flag = true;
        } else {
            d.effect = EFFECT_DENY;
            d.rule = NULL;
            d.rule_id = "pins";
            d.reason = pin_why;
        }
    }
    if (smode != SCHEMA_OFF && d.effect != EFFECT_DENY && s->guard != NULL) {
        int rc = (t->args != 0 && req.args == NULL)
                     ? -EINVAL
                     : guard_schema_check(s->guard, req.name, req.name_len, req.args, 0,
                                          schema_why, sizeof(schema_why));
        if (rc == -EINVAL && req.args == NULL && t->args != 0)
            snprintf(schema_why, sizeof(schema_why), "the arguments could not be indexed");
        if (rc != 1) {
            schema_flag = schema_why;
            if (smode == SCHEMA_ENFORCE) {
                char tmp[sizeof(schema_why)];
                snprintf(tmp, sizeof(tmp), "%s: %.300s",
                         rc == 0   ? "the arguments do not match the tool's inputSchema"
                         : rc == 2 ? "schema enforcement"
                                   : "the arguments could not be checked against the tool's "
                                     "inputSchema; failing closed",
                         schema_why);
                memcpy(schema_why, tmp, sizeof(tmp));
                d.effect = EFFECT_DENY;
                d.rule = NULL;
                d.rule_id = "schema";
                d.reason = schema_why;
                schema_flag = NULL;
            }
        }
    }
    char limit_why[300];
    if (d.effect == EFFECT_ALLOW && d.rule != NULL && !t->response &&
        (d.rule->budget_key != NULL || d.rule->rate_calls > 0)) {
        /* the allowance holds only while its budget and rate do; charged only when it does */
        int rc = s->limits ? limits_charge(s->limits, d.rule, &req, uv_now(&s->loop), limit_why,
                                           sizeof(limit_why))
                           : -ENOMEM;
        if (rc != 0) {
            if (s->limits == NULL)
                snprintf(limit_why, sizeof(limit_why), "budget state unavailable; failing closed");
            d.effect = EFFECT_DENY;
            d.reason = limit_why;
        }
    }
    const char *method = t->method != 0 ? pmethod_name(t->method) : t->other;
    size_t method_len = t->method != 0 ? strlen(method) : t->other_len;
    if (s->wh_method) {
        method = WITHHELD_TEXT;
        method_len = sizeof(WITHHELD_TEXT) - 1;
    }

    /* redact: which of the listed fields are present (an unreadable one fails closed) */
    s->redact_rule = NULL;
    struct buf masked;
    buf_init(&masked, 64 * 1024);
    if (d.effect == EFFECT_REDACT) {
        bool unreadable = false;
        buf_putc(&masked, '[');
        for (size_t i = 0; req.args != NULL && i < d.rule->nredact; i++) {
            const char *path = d.rule->redact[i];
            int64_t node = cond_lookup(req.args, 0, path, strlen(path));
            if (node < 0)
                unreadable = true;
            if (node <= 0)
                continue;
            if (masked.len > 1)
                buf_putc(&masked, ',');
            buf_putc(&masked, '"');
            buf_json_escape(&masked, path, strlen(path));
            buf_putc(&masked, '"');
        }
        buf_putc(&masked, ']');
        if (unreadable || (req.args == NULL && t->args != 0)) {
            d.effect = EFFECT_DENY;
            d.reason = "the fields to redact could not be read; failing closed";
        } else if (t->args != 0 && req.args == &s->doc2 && masked.len > 2) {
            /* a field to mask is there: the message is rewritten from doc2, this request's
             * own parse of its arguments (none there, or no arguments: sent as it came) */
            s->redact_rule = d.rule;
            s->redact_args = t->args;
        }
    }

    s->hold = false;
    if (d.effect == EFFECT_APPROVE && s->cfg->observe) {
        /* observe: record that it would wait for a human, hold nothing */
    } else if (d.effect == EFFECT_APPROVE &&
               (s->approver == NULL || from != &s->client || t->response)) {
        /* the agent's request waits for a human; without one it cannot be approved */
        d.effect = EFFECT_DENY;
        d.reason = "this call needs approval and no approver is configured (sentinel run "
                   "--approval tty); failing closed";
    } else if (d.effect == EFFECT_APPROVE) {
        s->hold = true;
    }
    /* the labels its result will move, decided now: in-flight calls keep their policy */
    s->flow = false;
    if (from == &s->client && !t->response && t->method != 0 &&
        (s->policy->nsources > 0 || s->policy->nclears > 0)) {
        policy_taint_flow(s->policy, &req, &s->flow_add, &s->flow_del);
        s->flow = !labelset_empty(&s->flow_add) || !labelset_empty(&s->flow_del);
    }
    for (unsigned i = 0; i < d.nobserved; i++)
        log_info("observe: rule %s matched %s", d.observed[i]->id, pmethod_name(t->method));

    int aerr = s->audit ? audit_error(s->audit) : 0;
    bool fail_closed = aerr != 0 && !s->cfg->audit_fail_open;
    if (aerr != 0)
        audit_failed(s);
    bool enforce = !s->cfg->observe;
    bool forward = fail_closed ? false : (d.effect != EFFECT_DENY || !enforce);
    if (!enforce)
        s->redact_rule = NULL; /* observe: record, change nothing */
    s->decisions++;
    if (s->audit != NULL || !forward || s->hold)
        didlen = decision_id(s, did);
    memcpy(s->last_did, did, didlen);
    s->last_did[didlen] = '\0';

    if (s->audit != NULL) {
        rec_reset(s);
        rec_str(&s->rec, "decision_id", did, didlen);
        rec_str(&s->rec, "method", method, method_len);
        if (t->has_name)
            rec_str(&s->rec, t->method == PM_TOOLS_CALL ? "tool" : "name",
                    s->wh_name ? WITHHELD_TEXT : req.name,
                    s->wh_name ? sizeof(WITHHELD_TEXT) - 1 : req.name_len);
        if (t->has_uri)
            rec_str(&s->rec, "uri", s->wh_uri ? WITHHELD_TEXT : t->uri.data ? t->uri.data : "",
                    s->wh_uri ? sizeof(WITHHELD_TEXT) - 1 : t->uri.len); /* as it was sent */
        if (from == &s->up)
            rec_str(&s->rec, "direction", "server->client", 14);
        if (t->response) {
            rec_str(&s->rec, "direction", "client->server", 14);
            rec_raw(&s->rec, "response", "true", 4);
        }
        if (input_key != NULL)
            rec_str(&s->rec, "input_request", input_key, input_key_len);
        if (t->notification)
            rec_raw(&s->rec, "notification", "true", 4);
        else if (s->wh_id)
            rec_raw(&s->rec, "request_id", WITHHELD_JSON, sizeof(WITHHELD_JSON) - 1);
        else
            rec_raw(&s->rec, "request_id", m->id.raw, m->id.raw_len);
        rec_str(&s->rec, "effect", effect_name(d.effect), strlen(effect_name(d.effect)));
        rec_str(&s->rec, "rule", d.rule_id, strlen(d.rule_id));
        rec_str(&s->rec, "reason", d.reason, strlen(d.reason));
        rec_str(&s->rec, "mode", enforce ? "enforce" : "observe", 7);
        /* a call held for approval is not forwarded yet: its "approval" record says whether
         * it went */
        bool fwd = forward && !s->hold;
        rec_raw(&s->rec, "forwarded", fwd ? "true" : "false", fwd ? 4 : 5);
        if (s->hold)
            rec_raw(&s->rec, "held", "true", 4);
        if (d.effect == EFFECT_REDACT)
            rec_raw(&s->rec, "redacted", masked.data, masked.len);
        if (d.nobserved > 0) {
            buf_append(&s->rec, ",\"observed\":[", 13);
            for (unsigned i = 0; i < d.nobserved; i++) {
                if (i > 0)
                    buf_putc(&s->rec, ',');
                buf_putc(&s->rec, '"');
                buf_json_escape(&s->rec, d.observed[i]->id, strlen(d.observed[i]->id));
                buf_putc(&s->rec, '"');
            }
            buf_putc(&s->rec, ']');
        }
        if (!labelset_empty(&s->call_labels))
            rec_labels(&s->rec, "labels", &s->call_labels);
        if (gc->prov.len > 0) {
            buf_append(&s->rec, ",\"provenance\":[", 15);
            buf_append(&s->rec, gc->prov.data, gc->prov.len);
            buf_putc(&s->rec, ']');
        }
        rec_influenced(s, &s->call_labels);
        if (schema_flag != NULL)
            rec_str(&s->rec, "schema_violation", schema_flag, strlen(schema_flag));
        if (pin_flag)
            rec_str(&s->rec, "pin_warning", pin_why, strlen(pin_why));
        if (req.agent != NULL)
            rec_str(&s->rec, "agent", req.agent, req.agent_len);
        if (req.nroles > 0) {
            buf_append(&s->rec, ",\"roles\":[", 10);
            for (size_t i = 0; i < req.nroles; i++) {
                if (i > 0)
                    buf_putc(&s->rec, ',');
                buf_putc(&s->rec, '"');
                buf_json_escape(&s->rec, req.roles[i], strlen(req.roles[i]));
                buf_putc(&s->rec, '"');
            }
            buf_putc(&s->rec, ']');
        }
        if (req.server != NULL)
            rec_str(&s->rec, "server", req.server, req.server_len);
        if (t->args != 0) {
            const struct json_node *an = &s->doc.nodes[t->args];
            rec_digest(s, "args_digest", s->doc.text + an->start, an->end - an->start);
        }
        rec_us(&s->rec, "decide_us", now_ns() - t0);
        if (s->audit_args && t->args != 0) {
            const struct json_node *an = &s->doc.nodes[t->args];
            rec_raw(&s->rec, "arguments", s->doc.text + an->start, an->end - an->start);
        } else if (s->audit_args) {
            rec_raw(&s->rec, "arguments", "null", 4); /* recorded: there were none */
        }
        int erc = audit_emit(s, "decision");
        if (erc == -EMSGSIZE) {
            /* this call's record alone is too large: said in a record of its own, and the
             * call is denied (failing open: served without its record, and said so) */
            size_t rl = s->rec.len;
            rec_reset(s);
            rec_str(&s->rec, "decision_id", did, didlen);
            rec_raw(&s->rec, "request_id", s->wh_id ? WITHHELD_JSON : m->id.raw,
                    s->wh_id ? sizeof(WITHHELD_JSON) - 1 : m->id.raw_len);
            buf_printf(&s->rec, ",\"record_bytes\":%zu,\"served\":%s", rl,
                       s->cfg->audit_fail_open && forward ? "true" : "false");
            audit_emit(s, "decision_too_large");
            log_warn("a decision record of %zu bytes is larger than the audit log takes (%u "
                     "bytes): %s (record it without --audit-arguments, or lower --max-message)",
                     rl, AUDIT_BUFFER_LIMIT / 2,
                     s->cfg->audit_fail_open ? "the call is served without its record "
                                               "(--audit-failure open)"
                                             : "the call is denied");
        }
        if (erc == -EMSGSIZE && !s->cfg->audit_fail_open) {
            buf_cleanup(&masked);
            s->redact_rule = NULL;
            s->hold = false;
            if (!t->notification)
                reply_error(s, reply_to, b, m->id.raw, m->id.raw_len, RPC_SENTINEL_INTERNAL,
                            "sentinel: the call's decision record is too large for the audit "
                            "log; failing closed", NULL);
            return false;
        }
        if (erc < 0 && aerr == 0 && (aerr = audit_error(s->audit)) != 0) {
            /* this very record could not be kept: the call must not run without it */
            audit_failed(s);
            fail_closed = !s->cfg->audit_fail_open;
        }
    }
    buf_cleanup(&masked);

    if (fail_closed) {
        s->redact_rule = NULL;
        s->hold = false;
        char msg[256];
        snprintf(msg, sizeof(msg),
                 "sentinel: the audit log cannot be written (%s); failing closed",
                 err_str(aerr));
        if (!t->notification)
            reply_error(s, reply_to, b, m->id.raw, m->id.raw_len, RPC_SENTINEL_INTERNAL, msg,
                        NULL);
        return false;
    }
    const char *what = t->has_name ? req.name : t->has_uri && t->uri.data ? t->uri.data : "";
    int what_len = (int)(t->has_name ? req.name_len : t->has_uri ? t->uri.len : 0);
    if (t->has_name ? s->wh_name : s->wh_uri) {
        what = WITHHELD_TEXT;
        what_len = (int)sizeof(WITHHELD_TEXT) - 1;
    }
    if (forward) {
        if (d.effect == EFFECT_DENY)
            log_info("observe: would deny %.*s '%.*s' (rule %s)",
                     (int)(method_len > 120 ? 120 : method_len), method, what_len, what,
                     d.rule_id);
        else if (d.effect == EFFECT_APPROVE && !s->hold)
            log_info("observe: would hold %.*s '%.*s' for approval (rule %s)",
                     (int)(method_len > 120 ? 120 : method_len), method, what_len, what,
                     d.rule_id);
        if (s->hold)
            snprintf(s->hold_rule, sizeof(s->hold_rule), "%s", d.rule_id);
        return true;
    }
    log_info("denied %.*s '%.*s' (rule %s)", (int)(method_len > 120 ? 120 : method_len), method,
             what_len, what, d.rule_id);
    if (t->notification)
        return false; /* nobody to answer: the caller drops or strips it */
    struct buf data;
    buf_init(&data, 64 * 1024);
    buf_append(&data, "{\"rule\":\"", 9);
    buf_json_escape(&data, d.rule_id, strlen(d.rule_id));
    buf_append(&data, "\",\"reason\":\"", 12);
    buf_json_escape(&data, d.reason, strlen(d.reason));
    buf_printf(&data, "\",\"decision_id\":\"%s\"}", did);
    buf_putc(&data, '\0');
    char msg[400], why[200];
    deny_why(why, sizeof(why), d.rule_id, d.reason);
    if (t->embedded)
        snprintf(msg, sizeof(msg), "sentinel: denied by policy: %s %s (input request '%.*s'): %s",
                 t->response ? "the answer to the server's" : "the server's", method,
                 (int)(input_key_len > 64 ? 64 : input_key_len), input_key, why);
    else
        snprintf(msg, sizeof(msg), "sentinel: denied by policy: %s", why);
    reply_error(s, reply_to, b, m->id.raw, m->id.raw_len, RPC_DENIED, msg,
                data.data ? data.data : "null");
    buf_cleanup(&data);
    return false;
}

/* Does the client message being handled carry a tracked value out (or can it not be
 * checked)? All of it: its id and any member beside params or result leave too. */
static bool carries_tracked(struct session *s)
{
    if (s->guard == NULL || guard_tracked(s->guard) == NULL)
        return false;
    const struct json_node *bn = &s->doc.nodes[s->msg_root];
    struct guard_call gc;
    guard_call_init(&gc);
    int rc = guard_track_args(s->guard, s->doc.text + bn->start, bn->end - bn->start, &gc);
    bool carries = rc < 0 || gc.tracked_hit;
    guard_call_cleanup(&gc);
    return carries;
}

/*
 * A client->server message that no rule decides: a request outside the rule methods, a
 * notification, an answer to a server request other than sampling, elicitation or roots.
 * When the JSON value at `body` carries a tracked value it is decided (taint.other_messages)
 * and audited like a call. True: forward it; false: a request or answer has been denied (the
 * denial went to the requester), a notification must not go as it is.
 */
static bool decide_other(struct session *s, struct batch *b, const struct rpc_msg *m,
                         uint32_t body, const char *method, size_t method_len, bool response,
                         bool notification)
{
    if (!carries_tracked(s))
        return true;
    struct target t;
    target_init(&t, 0);
    t.params = body;
    t.response = response;
    t.notification = notification;
    t.other = method;
    t.other_len = method_len;
    bool ok = decide_request(s, &s->client, b, m, &t);
    target_cleanup(&t);
    return ok;
}

/* ---- client -> upstream ------------------------------------------------------------- */

static enum req_kind kind_of(const struct rpc_msg *m)
{
    if (mcp_method_is(m->method, m->method_len, "initialize"))
        return REQ_INITIALIZE;
    if (mcp_method_is(m->method, m->method_len, "tools/list"))
        return REQ_TOOLS_LIST;
    if (mcp_method_is(m->method, m->method_len, "prompts/list"))
        return REQ_PROMPTS_LIST;
    if (mcp_method_is(m->method, m->method_len, "resources/list"))
        return REQ_RESOURCES_LIST;
    if (mcp_method_is(m->method, m->method_len, "tools/call"))
        return REQ_TOOLS_CALL;
    if (mcp_method_is(m->method, m->method_len, "completion/complete"))
        return REQ_COMPLETE;
    if (mcp_method_is(m->method, m->method_len, "resources/read"))
        return REQ_RESOURCES_READ;
    if (mcp_method_is(m->method, m->method_len, "resources/templates/list"))
        return REQ_TEMPLATES_LIST;
    if (mcp_method_is(m->method, m->method_len, "tasks/result"))
        return REQ_TASKS_RESULT;
    if (mcp_method_is(m->method, m->method_len, "prompts/get"))
        return REQ_PROMPTS_GET;
    if (mcp_method_is(m->method, m->method_len, "tasks/get"))
        return REQ_TASKS_GET;
    if (mcp_method_is(m->method, m->method_len, "tasks/cancel") ||
        mcp_method_is(m->method, m->method_len, "tasks/list") ||
        mcp_method_is(m->method, m->method_len, "tasks/update"))
        return REQ_TASKS_OTHER;
    return REQ_OTHER;
}

struct span {
    size_t start, end;
};

static int by_start(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * Write `raw` with the values of the redact rule's fields replaced by "[REDACTED]" into
 * out. s->doc2 still holds the full parse of the arguments (decide_request made it).
 */
static int build_redacted(struct session *s, const char *raw, size_t rawlen, struct buf *out)
{
    const struct rule *r = s->redact_rule;
    const struct json_node *an = &s->doc.nodes[s->redact_args];
    /* doc2 must be the parse of exactly these arguments, inside raw: offsets from any other
     * parse would rewrite the wrong bytes (fail closed) */
    if (s->redact_args == 0 || s->doc.text + an->start < raw ||
        s->doc.text + an->end > raw + rawlen || s->doc2.text != s->doc.text + an->start ||
        s->doc2.len != an->end - an->start)
        return -EINVAL;
    size_t base = (size_t)(s->doc.text + an->start - raw); /* arguments, relative to raw */
    struct span spans[64];
    size_t n = 0;
    for (size_t i = 0; i < r->nredact; i++) {
        int64_t node = cond_lookup(&s->doc2, 0, r->redact[i], strlen(r->redact[i]));
        if (node <= 0)
            continue;
        if (n == sizeof(spans) / sizeof(spans[0]))
            return -E2BIG;
        const struct json_node *v = &s->doc2.nodes[node];
        if (v->start > v->end || v->end > s->doc2.len)
            return -EINVAL;
        spans[n].start = base + v->start;
        spans[n].end = base + v->end;
        n++;
    }
    qsort(spans, n, sizeof(spans[0]), by_start);
    size_t at = 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (spans[i].start < at)
            continue; /* inside a field already masked (a path and its parent) */
        rc = buf_append(out, raw + at, spans[i].start - at);
        rc = rc ? rc : buf_append(out, "\"[REDACTED]\"", 12);
        at = spans[i].end;
    }
    return rc ? rc : buf_append(out, raw + at, rawlen - at);
}

/* ---- approval ------------------------------------------------------------------------ */

/* Answer a call that never reached the server with a denial (rule, why), and let it go: it
 * is no longer in client_reqs. */
static void deny_entry(struct session *s, struct inflight_entry *e, const char *rule,
                       const char *why)
{
    struct buf data;
    buf_init(&data, 64 * 1024);
    buf_append(&data, "{\"rule\":\"", 9);
    buf_json_escape(&data, rule, strlen(rule));
    buf_append(&data, "\",\"reason\":\"", 12);
    buf_json_escape(&data, why, strlen(why));
    buf_printf(&data, "\",\"decision_id\":\"%s\"}", e->decision_id ? e->decision_id : "");
    buf_putc(&data, '\0');
    char msg[400], text[200];
    deny_why(text, sizeof(text), rule, why);
    snprintf(msg, sizeof(msg), "sentinel: denied by policy: %s", text);
    reply_error(s, &s->client, e->batch, e->raw_id, e->raw_len, RPC_DENIED, msg,
                data.data ? data.data : "null");
    buf_cleanup(&data);
    if (e->batch != NULL) {
        e->batch->expected--;
        batch_maybe_emit(s, e->batch);
    }
    inflight_entry_free(e);
}

static void audit_approval(struct session *s, const struct inflight_entry *e, const char *answer)
{
    rec_reset(s);
    rec_str(&s->rec, "decision_id", e->decision_id ? e->decision_id : "",
            e->decision_id ? strlen(e->decision_id) : 0);
    rec_entry_id(&s->rec, e);
    rec_str(&s->rec, "rule", e->what ? e->what : "", e->what ? strlen(e->what) : 0);
    rec_str(&s->rec, "answer", answer, strlen(answer));
    bool fwd = strcmp(answer, "yes") == 0;
    rec_raw(&s->rec, "forwarded", fwd ? "true" : "false", fwd ? 4 : 5);
    audit_emit(s, "approval");
}

/* The held request waiting for `ticket`, or NULL (answered, cancelled or failed meanwhile). */
static struct inflight_entry *held_by_ticket(struct session *s, uint64_t ticket)
{
    for (size_t i = 0; i < s->client_reqs.cap; i++) {
        struct inflight_entry *e = s->client_reqs.slots[i];
        if (e != NULL && e != INFLIGHT_TOMB && e->held && e->ticket == ticket)
            return e;
    }
    return NULL;
}

static void on_approval_answer(struct session *s, struct inflight_entry *e,
                               enum approval_answer a);

/* The approver's answers arrive from its idle handle, before the loop polls: what they write
 * goes out now (the check phase that flushes would wait for the next event). */
static void on_approval(void *ctx, uint64_t ticket, enum approval_answer a)
{
    struct session *s = ctx;
    struct inflight_entry *e = held_by_ticket(s, ticket);
    if (e == NULL)
        return;
    on_approval_answer(s, e, a);
    s->dirty = false;
    flush_all(s);
}

static void on_approval_answer(struct session *s, struct inflight_entry *e,
                               enum approval_answer a)
{
    /* the identity may have stopped counting while the call waited (its token expired, a
     * reload requires a verified one): an approval then grants nothing */
    const char *idwhy = a == APPROVAL_YES ? identity_refused(s) : NULL;
    if (a == APPROVAL_YES && idwhy == NULL && !s->pendings_failed && !s->up_eof &&
        !s->proc.exited) {
        audit_approval(s, e, "yes");
        size_t il;
        const char *id = shown_rid(e, &il);
        log_info("approved: request %.*s (rule %s)", (int)(il > 64 ? 64 : il), id, e->what);
        e->held = false;
        to_upstream(s, e->held_msg, e->held_len);
        free(e->held_msg);
        e->held_msg = NULL;
        return;
    }
    static const char *const answers[] = {"", "yes", "no", "timeout", "unavailable"};
    const char *why = idwhy != NULL             ? idwhy
                      : a == APPROVAL_NO        ? "the approver refused this call"
                      : a == APPROVAL_TIMEOUT ? "no approval within the timeout; denied"
                      : a == APPROVAL_YES     ? "approved, but the server is gone"
                                              : "the approval terminal is gone; denied";
    audit_approval(s, e, answers[a]);
    inflight_take(&s->client_reqs, e->key, e->key_len);
    size_t il;
    const char *id = shown_rid(e, &il);
    log_info("not approved: request %.*s (%s)", (int)(il > 64 ? 64 : il), id,
             idwhy != NULL ? "the identity no longer counts" : answers[a]);
    deny_entry(s, e, idwhy != NULL ? "identity" : e->what, why);
}

/* Hold e (already in client_reqs) until the approver answers. -errno when it cannot ask. */
static int hold_for_approval(struct session *s, struct inflight_entry *e, const char *msg,
                             size_t len, const struct target *t, const char *method)
{
    e->held_msg = malloc(len ? len : 1);
    e->what = strdup(s->hold_rule);
    if (e->decision_id == NULL)
        e->decision_id = strdup(s->last_did);
    if (e->held_msg == NULL || e->what == NULL || e->decision_id == NULL)
        return -ENOMEM;
    memcpy(e->held_msg, msg, len);
    e->held_len = len;
    char summary[APPROVAL_SUMMARY_MAX];
    const struct buf *tb = t->has_name ? &t->name : &t->uri;
    snprintf(summary, sizeof(summary), "%s '%.*s' (rule %s)", method,
             (int)(tb->len > 200 ? 200 : tb->len), tb->data ? tb->data : "", e->what);
    const char *detail = NULL;
    size_t dlen = 0;
    if (t->args != 0) {
        const struct json_node *an = &s->doc.nodes[t->args];
        detail = s->doc.text + an->start;
        dlen = an->end - an->start;
    }
    int rc = approver_ask(s->approver, summary, detail, dlen, on_approval, s, &e->ticket);
    if (rc == 0)
        e->held = true;
    return rc;
}

/* ---- calls held while a changed list is checked ---------------------------------------- */

/* Which re-list a call waits for: tools (0), prompts (1), resource templates (2), or -1. */
static int relist_kind(unsigned pm)
{
    return pm == PM_TOOLS_CALL ? 0 : pm == PM_PROMPTS_GET ? 1 : pm == PM_RESOURCES_READ ? 2 : -1;
}

/* Hold e (already in client_reqs, decided) until the re-list of its kind is checked. */
static int relist_hold(struct session *s, struct inflight_entry *e, const char *msg, size_t len,
                       const struct target *t)
{
    const struct buf *tb = t->has_name ? &t->name : &t->uri;
    e->held_msg = malloc(len ? len : 1);
    e->what = malloc(tb->len + 1);
    if (e->held_msg == NULL || e->what == NULL)
        return -ENOMEM;
    memcpy(e->held_msg, msg, len);
    e->held_len = len;
    memcpy(e->what, tb->data ? tb->data : "", tb->len);
    e->what[tb->len] = '\0';
    e->relist_kind = (uint8_t)relist_kind(t->method);
    e->relist_held = e->held = true;
    e->held_at_ms = uv_now(&s->loop);
    if (!uv_is_active((uv_handle_t *)&s->relist_timer))
        uv_timer_start(&s->relist_timer, on_relist_timer, RELIST_HOLD_MS, 0);
    log_debug("list changed: call %.*s held until the new list is checked",
              (int)(e->raw_len > 64 ? 64 : e->raw_len), e->raw_id);
    return 0;
}

/* May a held call go now that its list is checked? Its pin (and, under schema: enforce, its
 * arguments against the new inputSchema) are checked again; why says what failed. */
static bool relist_recheck(struct session *s, struct inflight_entry *e, const char **rule,
                           char *why, size_t whylen)
{
    const char *name = e->what;
    size_t len = strlen(name);
    const char *server = s->server_known ? s->server : NULL;
    const char *idwhy = identity_refused(s); /* it may have stopped counting meanwhile */
    if (idwhy != NULL) {
        *rule = "identity";
        snprintf(why, whylen, "%s", idwhy);
        return false;
    }
    *rule = "pins";
    if (s->guard == NULL)
        return true;
    if (e->relist_kind == 2)
        return !guard_template_blocked(s->guard, server, name, len, why, whylen) ||
               s->policy->pins == PINS_WARN;
    if (guard_pin_blocked(s->guard, e->relist_kind == 0 ? PIN_TOOL : PIN_PROMPT, server, name, len,
                          why, whylen) &&
        s->policy->pins != PINS_WARN)
        return false;
    if (e->relist_kind != 0 || policy_schema_mode(s->policy, name, len) != SCHEMA_ENFORCE)
        return true;
    /* the arguments against the tool's inputSchema as now listed */
    *rule = "schema";
    struct diag d = {0};
    uint32_t args = 0;
    if (json_parse(&s->doc2, e->held_msg, e->held_len, s->cfg->max_depth, &d) == 0) {
        uint32_t params = json_getz(&s->doc2, 0, "params");
        args = params ? json_getz(&s->doc2, params, "arguments") : 0;
    } else {
        snprintf(why, whylen, "the held call could not be read again; failing closed");
        return false;
    }
    char sw[300];
    int rc = guard_schema_check(s->guard, name, len, args ? &s->doc2 : NULL, args, sw, sizeof(sw));
    if (rc == 1)
        return true;
    snprintf(why, whylen, "%s: %s",
             rc == 0 ? "the arguments do not match the tool's inputSchema as listed again"
                     : "the arguments could not be checked against the tool's inputSchema; "
                       "failing closed",
             sw);
    return false;
}

/* Deny a held call (taken from client_reqs; freed). */
static void relist_deny(struct session *s, struct inflight_entry *e, const char *rule,
                        const char *why)
{
    rec_reset(s);
    rec_str(&s->rec, "decision_id", e->decision_id ? e->decision_id : "",
            e->decision_id ? strlen(e->decision_id) : 0);
    rec_entry_id(&s->rec, e);
    rec_str(&s->rec, "rule", rule, strlen(rule));
    rec_str(&s->rec, "outcome", "denied", 6);
    rec_str(&s->rec, "reason", why, strlen(why));
    audit_emit(s, "relist_hold");
    deny_entry(s, e, rule, why);
}

/* Release the held calls whose list is checked, deny those held too long; re-arm. */
static void on_relist_timer(uv_timer_t *timer)
{
    struct session *s = container_of(timer, struct session, relist_timer);
    uint64_t now = uv_now(&s->loop), next = UINT64_MAX;
    s->dirty = true;
    for (size_t i = 0; i < s->client_reqs.cap; i++) {
        struct inflight_entry *e = s->client_reqs.slots[i];
        if (e == NULL || e == INFLIGHT_TOMB || !e->relist_held)
            continue;
        int k = e->relist_kind;
        bool waiting = s->relist_wait[k] > 0;
        if (waiting && now < e->held_at_ms + RELIST_HOLD_MS) {
            if (e->held_at_ms + RELIST_HOLD_MS < next)
                next = e->held_at_ms + RELIST_HOLD_MS;
            continue;
        }
        char why[400];
        const char *rule = "pins";
        bool go = false;
        if (waiting)
            snprintf(why, sizeof(why),
                     "the server's list changed and sentinel could not check the new one "
                     "within %d ms; not forwarded",
                     RELIST_HOLD_MS);
        else if (s->relist_failed[k])
            snprintf(why, sizeof(why),
                     "the server's list changed and the new one could not be checked; not "
                     "forwarded");
        else
            go = relist_recheck(s, e, &rule, why, sizeof(why));
        if (!go || s->pendings_failed || s->up_eof || s->proc.exited) {
            if (go)
                snprintf(why, sizeof(why), "the server is gone; request not forwarded");
            relist_deny(s, inflight_take(&s->client_reqs, e->key, e->key_len), rule, why);
            continue;
        }
        e->relist_held = e->held = false; /* in flight now, where it stands in the table */
        free(e->what);
        e->what = NULL;
        char *msg = e->held_msg;
        size_t len = e->held_len;
        e->held_msg = NULL;
        log_debug("list checked: call %.*s forwarded", (int)(e->raw_len > 64 ? 64 : e->raw_len),
                  e->raw_id);
        to_upstream(s, msg, len);
        free(msg);
    }
    for (int k = 0; k < 3; k++)
        if (s->relist_wait[k] == 0)
            s->relist_failed[k] = false;
    if (next != UINT64_MAX && !s->closing)
        uv_timer_start(&s->relist_timer, on_relist_timer, next > now ? next - now : 0, 0);
    flush_all(s); /* a timer: no poll phase follows that would flush (on_flush_check) */
}

/*
 * Forget the requests of table t that their sender cancelled and that were never answered:
 * the official SDK server sends nothing once a call is cancelled, so each would hold a slot of
 * --max-pending for the rest of the run. They are kept until the table is full (a late answer
 * is still read: scanned, labelled, relayed), then dropped: a later answer to one is dropped
 * as not in flight. Client requests get a result record, outcome "cancelled". The number
 * dropped.
 */
static size_t purge_cancelled(struct session *s, struct inflight *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->cap; i++) {
        struct inflight_entry *e = t->slots[i];
        if (e == NULL || e == INFLIGHT_TOMB || !e->cancelled || e->held)
            continue;
        inflight_take(t, e->key, e->key_len);
        if (t == &s->client_reqs && s->audit != NULL && e->t0_ns != 0 && e->decision_id != NULL) {
            rec_reset(s);
            rec_str(&s->rec, "decision_id", e->decision_id, strlen(e->decision_id));
            rec_entry_id(&s->rec, e);
            rec_str(&s->rec, "outcome", "cancelled", 9);
            rec_us(&s->rec, "latency_us", now_ns() - e->t0_ns);
            audit_emit(s, "result");
        }
        if (e->batch != NULL) {
            e->batch->expected--;
            batch_maybe_emit(s, e->batch);
        }
        inflight_entry_free(e);
        n++;
    }
    if (n > 0)
        log_info("%zu cancelled request(s) the %s never answered forgotten: their slots are "
                 "needed", n, t == &s->client_reqs ? "server" : "client");
    return n;
}

/* ---- tasks and multi round-trip requests ------------------------------------------------- */

/* A task id is a string of at most this many bytes (unescaped); a longer one is never known. */
#define TASK_ID_MAX 1024

/* Does the client request name a task of the server's (params.taskId)? */
static bool names_task(const struct rpc_msg *m)
{
    return mcp_method_is(m->method, m->method_len, "tasks/get") ||
           mcp_method_is(m->method, m->method_len, "tasks/result") ||
           mcp_method_is(m->method, m->method_len, "tasks/cancel") ||
           mcp_method_is(m->method, m->method_len, "tasks/update");
}

/* "t" + the unescaped task id at string node `node` of doc into out (reset); false when it is
 * not a string of 1 .. TASK_ID_MAX bytes */
static bool task_key(struct json_doc *doc, uint32_t node, struct buf *out)
{
    buf_reset(out);
    if (node == 0 || doc->nodes[node].type != JSON_STRING)
        return false;
    struct buf tmp;
    buf_init(&tmp, (size_t)TASK_ID_MAX * 4 + 16);
    const char *p;
    size_t n;
    bool ok = json_str(doc, node, &tmp, &p, &n) == 0 && n > 0 && n <= TASK_ID_MAX &&
              buf_putc(out, 't') == 0 && buf_append(out, p, n) == 0;
    buf_cleanup(&tmp);
    return ok;
}

/* The task a client request names (params.taskId) in s->tasks, or NULL; its key into key. */
static struct inflight_entry *named_task(struct session *s, const struct rpc_msg *m,
                                         struct buf *key)
{
    uint32_t id = m->params != 0 && s->doc.nodes[m->params].type == JSON_OBJECT
                      ? json_getz(&s->doc, m->params, "taskId")
                      : 0;
    if (!task_key(&s->doc, id, key))
        return NULL;
    return inflight_find(&s->tasks, key->data, key->len);
}

/* MRTR: the client was shown an input request of method pm (0: one no rule decides) under
 * key (as the server wrote it). A key too long to remember is decided as unknown. */
static void mrtr_remember(struct session *s, const char *key, size_t len, unsigned pm)
{
    if (len > MRTR_KEY_MAX)
        return;
    struct mrtr_key *k = &s->mrtr_keys[s->mrtr_next++ % MRTR_KEYS];
    k->pm = pm;
    k->len = (uint8_t)len;
    memcpy(k->key, key, len);
}

/* The methods an answer under `key` may answer: those of the input requests remembered under
 * it, else (forgotten, never seen, or spelled differently) every method a server may ask. */
static unsigned mrtr_methods(const struct session *s, const char *key, size_t len)
{
    unsigned pm = 0;
    size_t n = s->mrtr_next < MRTR_KEYS ? s->mrtr_next : MRTR_KEYS;
    for (size_t i = 0; i < n; i++)
        if (s->mrtr_keys[i].len == len && memcmp(s->mrtr_keys[i].key, key, len) == 0)
            pm |= s->mrtr_keys[i].pm;
    return pm != 0 ? pm : PM_SERVER_REQUESTS;
}

/*
 * The agent's answer m leaves for the server: decided as the answer of each server request
 * method in pms (PM_SAMPLING...), every rule of each must let it go; the first denial answers
 * the server (or, for an MRTR answer under `key`, the client). body: the answer's node for
 * the decision, 0 for none. True: it may go.
 */
static bool decide_answer(struct session *s, const struct rpc_msg *m, struct batch *b,
                          unsigned pms, uint32_t body, const char *key, size_t key_len)
{
    for (unsigned bit = PM_SAMPLING; bit <= PM_ROOTS; bit <<= 1) {
        if ((pms & bit) == 0)
            continue;
        struct target t;
        target_init(&t, bit);
        t.params = body;
        t.response = true;
        if (key != NULL) {
            t.embedded = true;
            t.input_key = key;
            t.input_key_len = key_len;
        }
        bool ok = decide_request(s, &s->client, b, m, &t);
        target_cleanup(&t);
        if (!ok)
            return false;
    }
    return true;
}

/*
 * MRTR: the answers a client request carries in params.inputResponses (a retry of tools/call,
 * resources/read or prompts/get; a tasks/update) leave for the server like the answers to the
 * legacy server requests: each that carries a tracked value is decided as the answer of the
 * method asked under its key (of every method a server may ask when the key is not known).
 * True: go on; false: one was denied, the client has the denial and the server sees nothing.
 */
static bool police_input_responses(struct session *s, const struct rpc_msg *m, struct batch *b)
{
    uint32_t ir = m->params != 0 && s->doc.nodes[m->params].type == JSON_OBJECT
                      ? json_getz(&s->doc, m->params, "inputResponses")
                      : 0;
    if (ir == 0 || s->doc.nodes[ir].type != JSON_OBJECT || s->guard == NULL ||
        guard_tracked(s->guard) == NULL)
        return true; /* nothing to find (the whole message is still checked by its decision) */
    /* the answers are below the first parse's index: read them again (doc2 is not touched by
     * the decisions below, which have no arguments to read) */
    const struct json_node *n = &s->doc.nodes[ir];
    struct diag d = {0};
    if (json_parse(&s->doc2, s->doc.text + n->start, n->end - n->start, 1, &d) < 0 ||
        s->doc2.truncated) {
        reply_error(s, &s->client, b, m->id.raw, m->id.raw_len, RPC_SENTINEL_INTERNAL,
                    "sentinel: params.inputResponses could not be read; failing closed", NULL);
        return false;
    }
    for (uint32_t el = json_first(&s->doc2, 0); el != 0; el = s->doc2.nodes[el].next) {
        const struct json_node *en = &s->doc2.nodes[el];
        struct guard_call gc;
        guard_call_init(&gc);
        int rc = guard_track_args(s->guard, s->doc2.text + en->start, en->end - en->start, &gc);
        bool carries = rc < 0 || gc.tracked_hit;
        guard_call_cleanup(&gc);
        if (!carries)
            continue;
        const char *key = s->doc2.text + en->key_start;
        if (!decide_answer(s, m, b, mrtr_methods(s, key, en->key_len), 0, key, en->key_len))
            return false;
    }
    return true;
}

static void client_request(struct session *s, const struct rpc_msg *m, const char *raw,
                           size_t rawlen, struct batch *b)
{
    if (id_key(s, &m->id) < 0) {
        reply_error(s, &s->client, b, NULL, 0, RPC_SENTINEL_INTERNAL,
                    "sentinel: out of memory", NULL);
        return;
    }
    if (s->pendings_failed || s->up_eof || s->proc.exited || s->up.write_err) {
        /* the server can answer nothing more: say so now rather than never */
        reply_error(s, &s->client, b, m->id.raw, m->id.raw_len, RPC_UPSTREAM_GONE,
                    "sentinel: the server is gone; request not forwarded", NULL);
        return;
    }
    if (inflight_find(&s->client_reqs, s->keybuf.data, s->keybuf.len) != NULL) {
        reply_error(s, &s->client, b, m->id.raw, m->id.raw_len, RPC_INVALID_REQUEST,
                    "sentinel: id already used by a request still in flight", NULL);
        return;
    }
    enum req_kind kind = kind_of(m);
    if (kind == REQ_INITIALIZE && b != NULL) {
        reply_error(s, &s->client, b, m->id.raw, m->id.raw_len, RPC_INVALID_REQUEST,
                    "sentinel: initialize must not be part of a batch", NULL);
        return;
    }
    unsigned pm = pmethod_of(m->method, m->method_len);
    struct target t;
    struct buf fwd; /* the rewritten request, when fields were redacted */
    buf_init(&fwd, s->cfg->max_message + 64 * 1024);
    struct buf tkey; /* the key of the task it names */
    buf_init(&tkey, TASK_ID_MAX + 2);
    target_init(&t, pm);
    struct inflight_entry *task = NULL;
    if (names_task(m) && (task = named_task(s, m, &tkey)) == NULL) {
        /* only tasks the agent's own calls created through sentinel can be asked about */
        reply_error(s, &s->client, b, m->id.raw, m->id.raw_len, RPC_INVALID_PARAMS,
                    "sentinel: unknown task id: no task-augmented call in this session created "
                    "it; not forwarded",
                    NULL);
        goto out;
    }
    if (pm & (PM_TOOLS_CALL | PM_RESOURCES_READ | PM_PROMPTS_GET | PM_COMPLETE)) {
        const char *bad = read_target(s, m->params, &t);
        if (bad != NULL) {
            reply_error(s, &s->client, b, m->id.raw, m->id.raw_len, RPC_INVALID_PARAMS, bad,
                        NULL);
            goto out;
        }
        /* a retry's answers first: a denied one must not cost the call its budget */
        if (!police_input_responses(s, m, b) || !decide_request(s, &s->client, b, m, &t))
            goto out;
        if (s->redact_rule != NULL && build_redacted(s, raw, rawlen, &fwd) < 0) {
            reply_error(s, &s->client, b, m->id.raw, m->id.raw_len, RPC_SENTINEL_INTERNAL,
                        "sentinel: the request could not be redacted; failing closed", NULL);
            goto out;
        }
    } else if (!police_input_responses(s, m, b) ||
               !decide_other(s, b, m, m->params, m->method, m->method_len, false, false)) {
        goto out; /* a tracked value in a subscribe URI, a cursor, a custom method's params */
    }

    struct inflight_entry *e =
        inflight_entry_new(s->keybuf.data, s->keybuf.len, m->id.raw, m->id.raw_len);
    if (e == NULL) {
        reply_error(s, &s->client, b, m->id.raw, m->id.raw_len, RPC_SENTINEL_INTERNAL,
                    "sentinel: out of memory; failing closed", NULL);
        goto out;
    }
    e->kind = kind;
    e->batch = b;
    e->withheld_id = s->wh_id; /* set by this message's decision, or false */
    e->withheld_target = t.has_name ? s->wh_name : s->wh_uri;
    if (s->audit != NULL && (kind == REQ_TOOLS_CALL || kind == REQ_RESOURCES_READ ||
                             kind == REQ_TASKS_RESULT || kind == REQ_TASKS_GET ||
                             kind == REQ_PROMPTS_GET || kind == REQ_COMPLETE)) {
        /* a task's result is linked to the decision on the call that created the task */
        const char *did =
            task != NULL && task->decision_id != NULL ? task->decision_id : s->last_did;
        e->t0_ns = now_ns();
        e->decision_id = strdup(did); /* NULL: no result record, nothing else lost */
    }
    if (task != NULL && (kind == REQ_TASKS_RESULT || kind == REQ_TASKS_GET)) {
        /* its answer is the task's: scanned, fenced and labelled as the tool's result */
        e->task = malloc(task->key_len);
        if (e->task != NULL) {
            memcpy(e->task, task->key, task->key_len);
            e->task_len = task->key_len;
        }
        if (task->target != NULL && (e->target = malloc(task->target_len + 1)) != NULL) {
            memcpy(e->target, task->target, task->target_len + 1);
            e->target_len = task->target_len;
        }
        e->withheld_target = task->withheld_target;
        if (e->task == NULL || (task->target != NULL && e->target == NULL)) {
            reply_error(s, &s->client, b, m->id.raw, m->id.raw_len, RPC_SENTINEL_INTERNAL,
                        "sentinel: out of memory; failing closed", NULL);
            inflight_entry_free(e);
            goto out;
        }
    }
    if (kind == REQ_TOOLS_LIST || kind == REQ_PROMPTS_LIST || kind == REQ_TEMPLATES_LIST)
        e->first_page = m->params == 0 || json_getz(&s->doc, m->params, "cursor") == 0;
    /* the target names the source of the labels its result adds (invalidation by tool) */
    if ((kind == REQ_TOOLS_CALL || kind == REQ_RESOURCES_READ || kind == REQ_PROMPTS_GET ||
         kind == REQ_COMPLETE) &&
        (s->flow ||
         (s->guard != NULL && (s->policy->scan_results || s->policy->spotlight.mode > SPOT_OFF)))) {
        /* a completion's ref: either; a URI as the policy reads it (spotlighting's resource
         * globs match it too) */
        const struct buf *tb = t.has_name ? &t.name : &t.uri_canon;
        e->target = malloc(tb->len + 1);
        if (e->target != NULL) {
            memcpy(e->target, tb->data ? tb->data : "", tb->len);
            e->target[tb->len] = '\0';
            e->target_len = tb->len;
            e->target_is_uri = tb == &t.uri_canon;
        }
    }
    if (s->flow) {
        e->flow = true;
        e->taint_add = s->flow_add;
        e->taint_del = s->flow_del;
    }
    if (s->client_reqs.count >= s->client_reqs.limit)
        purge_cancelled(s, &s->client_reqs);
    int rc = inflight_put(&s->client_reqs, e);
    if (rc < 0) {
        char msg[160];
        snprintf(msg, sizeof(msg), "sentinel: too many requests in flight (limit %zu)",
                 s->client_reqs.limit);
        reply_error(s, &s->client, b, m->id.raw, m->id.raw_len, RPC_OVERLOADED, msg, NULL);
        inflight_entry_free(e);
        goto out;
    }
    if (b != NULL)
        b->expected++;
    int lk = relist_kind(t.method);
    if (lk >= 0 && !s->listed[lk] && s->relist_wait[lk] == 0 && !s->hold && checks_lists(s) &&
        !s->closing) {
        /* a call before this session saw the server's list of its kind (a client that kept
         * one from an earlier session): the definitions are checked first, as after
         * list_changed, so a changed one is not called unseen */
        if (relist(s, lk, NULL, 0))
            s->relist_wait[lk]++;
    }
    if (!s->hold && lk >= 0 && s->relist_wait[lk] > 0) {
        if (relist_hold(s, e, fwd.len ? fwd.data : raw, fwd.len ? fwd.len : rawlen, &t) < 0) {
            inflight_take(&s->client_reqs, e->key, e->key_len);
            if (b != NULL)
                b->expected--;
            reply_error(s, &s->client, b, m->id.raw, m->id.raw_len, RPC_DENIED,
                        "sentinel: denied: the server's list changed and the call could not be "
                        "held until it is checked; failing closed",
                        NULL);
            inflight_entry_free(e);
        }
        goto out;
    }
    if (s->hold) {
        rc = hold_for_approval(s, e, fwd.len ? fwd.data : raw, fwd.len ? fwd.len : rawlen, &t,
                               pmethod_name(t.method));
        if (rc < 0) {
            inflight_take(&s->client_reqs, e->key, e->key_len);
            if (b != NULL)
                b->expected--;
            reply_error(s, &s->client, b, m->id.raw, m->id.raw_len, RPC_DENIED,
                        rc == -ENOBUFS ? "sentinel: denied: too many calls await approval"
                                       : "sentinel: denied: the call could not be held for "
                                         "approval; failing closed",
                        NULL);
            inflight_entry_free(e);
        }
        goto out;
    }
    to_upstream(s, fwd.len ? fwd.data : raw, fwd.len ? fwd.len : rawlen);
out:
    s->redact_rule = NULL;
    s->flow = false;
    s->hold = false;
    buf_cleanup(&fwd);
    buf_cleanup(&tkey);
    target_cleanup(&t);
}

/* The id named by params.requestId of a notifications/cancelled, as a key in keybuf. */
static bool cancelled_key(struct session *s, const struct rpc_msg *m)
{
    struct json_doc *doc = &s->doc;
    uint32_t rid = m->params ? json_getz(doc, m->params, "requestId") : 0;
    if (rid == 0)
        return false;
    struct rpc_id id = {0};
    const struct json_node *n = &doc->nodes[rid];
    if (!rpc_id_from_raw(doc->text + n->start, n->end - n->start, &id))
        return false;
    buf_reset(&s->keybuf);
    return rpc_id_key(doc, &id, &s->keybuf) == 0;
}

static void client_notification(struct session *s, const struct rpc_msg *m, const char *raw,
                                size_t rawlen)
{
    bool cancelled = mcp_method_is(m->method, m->method_len, "notifications/cancelled");
    struct buf stripped;
    buf_init(&stripped, 4096);
    if (!decide_other(s, NULL, m, m->params, m->method, m->method_len, false, true)) {
        /* a cancellation still cancels, without the reason that carried the value; any
         * other notification is dropped (it answers nothing, so nothing waits for it) */
        uint32_t rid = cancelled ? json_getz(&s->doc, m->params, "requestId") : 0;
        if (rid == 0) {
            log_warn("client notification %.*s carried a tracked value; dropped",
                     s->wh_method ? (int)sizeof(WITHHELD_TEXT) - 1
                                  : (int)(m->method_len > 120 ? 120 : m->method_len),
                     s->wh_method ? WITHHELD_TEXT : m->method);
            goto out;
        }
        const struct json_node *n = &s->doc.nodes[rid];
        static const char head[] =
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":";
        buf_append(&stripped, head, sizeof(head) - 1);
        buf_append(&stripped, s->doc.text + n->start, n->end - n->start);
        buf_append(&stripped, "}}", 2);
        if (stripped.len != sizeof(head) - 1 + (n->end - n->start) + 2) {
            log_warn("client cancellation could not be rebuilt without its reason; dropped");
            goto out;
        }
        log_warn("client cancellation carried a tracked value in its reason; forwarded "
                 "without it");
        raw = stripped.data;
        rawlen = stripped.len;
    }
    if (cancelled) {
        struct inflight_entry *e = cancelled_key(s, m) ? inflight_find(&s->client_reqs,
                                                                        s->keybuf.data,
                                                                        s->keybuf.len)
                                                       : NULL;
        if (e == NULL) {
            log_debug("client cancelled a request that is not in flight upstream; swallowed");
            goto out;
        }
        if (e->held) {
            /* the server never saw it: withdraw the question, answer nothing (cancelled) */
            if (!e->relist_held) {
                approver_cancel(s->approver, e->ticket, "by the client");
                audit_approval(s, e, "cancelled");
            }
            inflight_take(&s->client_reqs, e->key, e->key_len);
            if (e->batch != NULL) {
                e->batch->expected--;
                batch_maybe_emit(s, e->batch);
            }
            inflight_entry_free(e);
            goto out;
        }
        e->cancelled = true; /* forgotten once its slot is needed (purge_cancelled) */
    }
    to_upstream(s, raw, rawlen);
out:
    buf_cleanup(&stripped);
}

static void audit_result(struct session *s, const struct inflight_entry *e,
                         const struct rpc_msg *m);

static void client_response(struct session *s, const struct rpc_msg *m, const char *raw,
                            size_t rawlen)
{
    if (id_key(s, &m->id) < 0)
        return;
    struct inflight_entry *e = inflight_take(&s->server_reqs, s->keybuf.data, s->keybuf.len);
    if (e == NULL) {
        /* the id is the client's to choose: withheld when it holds a tracked value itself
         * (the rest of the message is not shown) */
        bool hide = s->guard != NULL && guard_tracked(s->guard) != NULL &&
                    guard_json_carries(s->guard, m->id.raw, m->id.raw_len);
        log_warn("client sent a response to id %.*s, which the server never asked; dropped",
                 hide ? (int)sizeof(WITHHELD_TEXT) - 1 : (int)(m->id.raw_len > 64 ? 64 : m->id.raw_len),
                 hide ? WITHHELD_TEXT : m->id.raw);
        return;
    }
    if (s->audit != NULL && e->t0_ns != 0 && e->decision_id != NULL)
        audit_result(s, e, m);
    unsigned pm = e->pm;
    bool task_result = e->task_result;
    char method[RPC_MAX_METHOD_LEN];
    size_t method_len = 0;
    if (e->target != NULL) { /* the method of a server request no rule decides */
        method_len = e->target_len < sizeof(method) ? e->target_len : sizeof(method);
        memcpy(method, e->target, method_len);
    }
    inflight_entry_free(e);
    /* an answer to sampling or elicitation leaves for the server like a call's arguments: a
     * tracked value in it gets the request decided again, with the value's labels */
    uint32_t body = m->result != 0 ? m->result : m->error;
    if (task_result && m->result != 0) {
        /* a task-augmented sampling or elicitation delivers its answer here, as the answer
         * to the server's tasks/result. Which one the client writes (its shape could pass
         * for either): decided as both, each rule must let it go */
        pm = PM_SAMPLING | PM_ELICITATION;
    }
    if (pm != 0) {
        if (carries_tracked(s) && !decide_answer(s, m, NULL, pm, body, NULL, 0))
            return; /* the server got the denial instead */
    } else if (pm == 0 && !decide_other(s, NULL, m, body, method, method_len, true, false)) {
        return; /* an answer to a ping or a custom request carried a tracked value out */
    }
    to_upstream(s, raw, rawlen);
}

/*
 * A client message that could not be used (unparseable, over a limit, a bad shape) which is
 * an answer: a top-level "result" or "error" and no "method" in text[0..len) (the message, or
 * the head of one too large). JSON-RPC never answers an answer, so nothing goes back to the
 * client; the server's request it answers (id_raw, when it is pending) gets the error, or the
 * server and the tool call waiting on it would wait forever. True when it was one.
 */
static bool client_broken_answer(struct session *s, const char *text, size_t len,
                                 const char *id_raw, size_t id_len, int code, const char *msg)
{
    static const char *const keys[] = {"method", "result", "error"};
    unsigned k = json_recover_keys(text, len, keys, 3);
    if ((k & 1u) != 0 || (k & 6u) == 0)
        return false;
    struct rpc_id id;
    struct inflight_entry *e = NULL;
    buf_reset(&s->keybuf);
    if (id_raw != NULL && rpc_id_from_raw(id_raw, id_len, &id) &&
        rpc_id_key(&s->doc, &id, &s->keybuf) == 0)
        e = inflight_take(&s->server_reqs, s->keybuf.data, s->keybuf.len);
    if (e == NULL) {
        log_warn("client: an answer that could not be used, to no pending request of the "
                 "server's, dropped: %s", msg);
        return true;
    }
    char why[400];
    snprintf(why, sizeof(why), "sentinel: the client's answer could not be used: %s", msg);
    log_warn("client: %s; the server's request gets this error instead", why + 10);
    reply_error(s, &s->up, NULL, e->raw_id, e->raw_len, code, why, NULL);
    inflight_entry_free(e);
    return true;
}

static void client_message(struct session *s, uint32_t root, const char *raw, size_t rawlen,
                           struct batch *b)
{
    struct rpc_msg m;
    struct diag d = {0};
    s->msg_root = root;
    s->wh_id = s->wh_name = s->wh_uri = s->wh_method = false;
    if (rpc_classify(&s->doc, root, &m, &s->scratch, &d) < 0) {
        char msg[300];
        snprintf(msg, sizeof(msg), "sentinel: invalid request: %s", d.msg);
        if (b == NULL && m.id.type != RPC_ID_NONE &&
            client_broken_answer(s, raw, rawlen, m.id.raw, m.id.raw_len, RPC_INVALID_REQUEST,
                                 msg + 10))
            return;
        log_info("client: %s", msg);
        if (m.id.type != RPC_ID_NONE)
            reply_error(s, &s->client, b, m.id.raw, m.id.raw_len, RPC_INVALID_REQUEST, msg,
                        NULL);
        else
            reply_error(s, &s->client, b, NULL, 0, RPC_INVALID_REQUEST, msg, NULL);
        return;
    }
    switch (m.kind) {
    case RPC_REQUEST:
        client_request(s, &m, raw, rawlen, b);
        break;
    case RPC_NOTIFICATION:
        client_notification(s, &m, raw, rawlen);
        break;
    case RPC_RESULT:
    case RPC_ERROR:
        client_response(s, &m, raw, rawlen);
        break;
    }
}

static void client_batch(struct session *s, const char *line, size_t len)
{
    struct json_doc *doc = &s->doc;
    (void)line;
    (void)len;
    if (strcmp(s->version, "2025-03-26") != 0) {
        static const char why[] = "sentinel: JSON-RPC batches are only valid on a 2025-03-26 "
                                  "connection";
        /* an answer inside it answers a request of the server's that must not wait forever */
        for (uint32_t el = json_first(doc, 0); el != 0; el = doc->nodes[el].next) {
            const struct json_node *n = &doc->nodes[el];
            uint32_t id = n->type == JSON_OBJECT ? json_getz(doc, el, "id") : 0;
            if (id != 0)
                client_broken_answer(s, doc->text + n->start, n->end - n->start,
                                     doc->text + doc->nodes[id].start,
                                     doc->nodes[id].end - doc->nodes[id].start,
                                     RPC_INVALID_REQUEST, why + 10);
        }
        reply_error(s, &s->client, NULL, NULL, 0, RPC_INVALID_REQUEST, why, NULL);
        return;
    }
    if (doc->nodes[0].nchild == 0) {
        reply_error(s, &s->client, NULL, NULL, 0, RPC_INVALID_REQUEST,
                    "sentinel: empty batch", NULL);
        return;
    }
    if (doc->truncated || (doc->nodes[0].flags & JSON_F_PARTIAL)) {
        reply_error(s, &s->client, NULL, NULL, 0, RPC_INVALID_REQUEST,
                    "sentinel: batch has too many elements", NULL);
        return;
    }
    struct batch *b = batch_new(s->cfg->max_message);
    if (b == NULL)
        return;
    for (uint32_t el = json_first(doc, 0); el != 0; el = doc->nodes[el].next) {
        const struct json_node *n = &doc->nodes[el];
        client_message(s, el, doc->text + n->start, n->end - n->start, b);
    }
    b->closed = true;
    batch_maybe_emit(s, b);
}

static void parse_error_reply(struct session *s, struct peer *dest, const char *line, size_t len,
                              int rc, const struct diag *d)
{
    size_t a, z;
    struct rpc_id id;
    bool have_id = json_recover_id(line, len, &a, &z) && rpc_id_from_raw(line + a, z - a, &id);
    char msg[320];
    int code = (rc == SE_EPARSE || rc == SE_EUTF8) ? RPC_PARSE_ERROR : RPC_INVALID_REQUEST;
    snprintf(msg, sizeof(msg), "sentinel: %s: %s (at byte %u)",
             code == RPC_PARSE_ERROR ? "parse error" : "invalid request", d->msg, d->col);
    if (dest == &s->client && client_broken_answer(s, line, len, have_id ? line + a : NULL,
                                                   have_id ? z - a : 0, code, msg + 10))
        return;
    log_info("%s: %s", dest->name, msg);
    reply_error(s, dest, NULL, have_id ? line + a : NULL, have_id ? z - a : 0, code, msg, NULL);
}

static void client_line(struct peer *p, const char *line, size_t len)
{
    struct session *s = p->owner;
    struct diag d = {0};
    if (is_blank(line, len))
        return;
    int rc = json_parse(&s->doc, line, len, CLIENT_INDEX_DEPTH, &d);
    if (rc < 0) {
        parse_error_reply(s, &s->client, line, len, rc, &d);
        return;
    }
    if (s->doc.nodes[0].type == JSON_ARRAY) {
        /* a batch: one level deeper reaches each element's params members */
        if (json_parse(&s->doc, line, len, CLIENT_INDEX_DEPTH + 1, &d) < 0)
            return;
        client_batch(s, line, len);
    }
    else
        client_message(s, 0, line, len, NULL);
}

static void recover_toobig_id(const char *head, size_t hlen, const char *tail, size_t tlen,
                              char *idbuf, size_t *idlen)
{
    size_t a, z;
    struct rpc_id id;
    *idlen = 0;
    if (json_recover_id(head, hlen, &a, &z) && rpc_id_from_raw(head + a, z - a, &id)) {
        memcpy(idbuf, head + a, z - a);
        *idlen = z - a;
        return;
    }
    /* serializers often put the id last: ...,"id":42} */
    size_t e = tlen;
    while (e > 0 && (tail[e - 1] == ' ' || tail[e - 1] == '\r' || tail[e - 1] == '\t'))
        e--;
    if (e == 0 || tail[e - 1] != '}')
        return;
    size_t v = e - 1, vs = v;
    while (vs > 0 && tail[vs - 1] != ':')
        vs--;
    if (vs < 6 || memcmp(tail + vs - 6, ",\"id\":", 6) != 0)
        return;
    if (v - vs == 0 || v - vs > 128 || !rpc_id_from_raw(tail + vs, v - vs, &id))
        return;
    memcpy(idbuf, tail + vs, v - vs);
    *idlen = v - vs;
}

static void on_client_toobig(struct peer *p, const char *head, size_t hlen, const char *tail,
                             size_t tlen, size_t size)
{
    struct session *s = p->owner;
    char id[160], msg[200];
    size_t idlen;
    recover_toobig_id(head, hlen, tail, tlen, id, &idlen);
    snprintf(msg, sizeof(msg), "sentinel: message of %zu bytes exceeds the limit of %zu", size,
             s->cfg->max_message);
    if (client_broken_answer(s, head, hlen, idlen ? id : NULL, idlen, RPC_TOO_LARGE, msg + 10))
        return;
    log_warn("client: %s", msg + 10); /* the log adds its own "sentinel: " */
    reply_error(s, &s->client, NULL, idlen ? id : NULL, idlen, RPC_TOO_LARGE, msg, NULL);
}

/* ---- upstream -> client ------------------------------------------------------------- */

static void fail_pending(struct session *s, struct inflight_entry *e, int code, const char *msg)
{
    if (e->internal) { /* sentinel's own re-list: nobody to answer, its round failed */
        relist_done(s, pin_kind_of(e->kind), false);
        inflight_entry_free(e);
        return;
    }
    if (s->audit != NULL && e->t0_ns != 0 && e->decision_id != NULL) {
        /* a data call that got no answer: its record says so */
        rec_reset(s);
        rec_str(&s->rec, "decision_id", e->decision_id, strlen(e->decision_id));
        rec_entry_id(&s->rec, e);
        if (e->cancelled)
            rec_str(&s->rec, "outcome", "cancelled", 9);
        else
            rec_str(&s->rec, "outcome", "no_response", 11);
        rec_str(&s->rec, "error", msg, strlen(msg));
        rec_us(&s->rec, "latency_us", now_ns() - e->t0_ns);
        audit_emit(s, "result");
    }
    if (e->held && !e->relist_held && s->approver != NULL) {
        char why[120]; /* the operator sees why the question went away */
        snprintf(why, sizeof(why), "(%.100s)",
                 strncmp(msg, "sentinel: ", 10) == 0 ? msg + 10 : msg);
        approver_cancel(s->approver, e->ticket, why);
    }
    if (e->cancelled) { /* the client gave up on it: nobody waits for an answer */
        if (e->batch != NULL) {
            e->batch->expected--;
            batch_maybe_emit(s, e->batch);
        }
        inflight_entry_free(e);
        return;
    }
    reply_error(s, &s->client, e->batch, e->raw_id, e->raw_len, code, msg, NULL);
    if (e->batch != NULL) {
        e->batch->expected--;
        batch_maybe_emit(s, e->batch);
    }
    inflight_entry_free(e);
}

/* The server answered `id` with something unusable: fail that request, if it is pending. */
static void fail_pending_id(struct session *s, const struct rpc_id *id, int code, const char *msg)
{
    buf_reset(&s->keybuf);
    if (rpc_id_key(&s->doc, id, &s->keybuf) < 0)
        return;
    struct inflight_entry *e = inflight_find(&s->client_reqs, s->keybuf.data, s->keybuf.len);
    if (e != NULL && !e->held)
        fail_pending(s, inflight_take(&s->client_reqs, e->key, e->key_len), code, msg);
}

/* The server's identity: the operator's --server-id, else the name it reports. */
static void learn_server(struct session *s, const struct rpc_msg *m)
{
    if (s->server_known)
        return;
    uint32_t info = json_getz(&s->doc, m->result, "serverInfo");
    uint32_t name = 0;
    const char *p;
    size_t n;
    struct diag d = {0};
    if (info != 0 && s->doc.nodes[info].type == JSON_OBJECT) {
        /* serverInfo's members are below the first parse's index: read it again */
        const struct json_node *in = &s->doc.nodes[info];
        if (json_parse(&s->doc2, s->doc.text + in->start, in->end - in->start, 2, &d) == 0)
            name = json_getz(&s->doc2, 0, "name");
    }
    if (name == 0 || s->doc2.nodes[name].type != JSON_STRING ||
        json_str(&s->doc2, name, &s->scratch, &p, &n) < 0 || n == 0 || n > SERVER_ID_MAX ||
        memchr(p, '\0', n) != NULL) {
        if (s->policy->needs_server)
            log_warn("the server reported no usable serverInfo.name; rules naming servers "
                     "deny until --server-id names it");
        return;
    }
    memcpy(s->server, p, n);
    s->server[n] = '\0';
    s->server_known = true;
    char shown[SERVER_ID_MAX + 1];
    log_info("server identity '%s' (self-reported; --server-id sets it)",
             term_clean(s->server, n, shown, sizeof(shown)));
}

/* A tools/call result with isError: true failed, like a JSON-RPC error. */
static bool result_is_error(struct session *s, const struct rpc_msg *m)
{
    uint32_t e = json_getz(&s->doc, m->result, "isError");
    return e != 0 && s->doc.nodes[e].type == JSON_TRUE;
}

/* A successful result of a taint source or clear: move the session's labels, audit it. */
static void apply_flow(struct session *s, const struct inflight_entry *e)
{
    struct labelset before = s->labels;
    labelset_minus(&s->labels, &e->taint_del);
    /* what the clear removed ends its sources' influence, even when this call adds it back */
    struct labelset cleared = before;
    labelset_minus(&cleared, &s->labels);
    forget_label_sources(s, &cleared);
    note_entry_source(s, &e->taint_add, e); /* also a label it adds again */
    labelset_union(&s->labels, &e->taint_add);
    if (memcmp(&before, &s->labels, sizeof(before)) == 0)
        return;
    struct labelset added = s->labels, removed = before;
    labelset_minus(&added, &before);
    labelset_minus(&removed, &s->labels);
    rec_reset(s);
    rec_entry_id(&s->rec, e);
    rec_labels(&s->rec, "added", &added);
    rec_labels(&s->rec, "removed", &removed);
    rec_labels(&s->rec, "labels", &s->labels);
    audit_emit(s, "taint");
    size_t il;
    const char *id = shown_rid(e, &il);
    log_info("taint: session labels changed after request %.*s", (int)(il > 64 ? 64 : il), id);
}

/*
 * The server's instructions go into the client's system prompt: the most trusted text a
 * server writes. With definitions scanned (pins), instructions that look poisoned (from
 * GUARD_POISON_BLOCK, as a tool's description) are withheld: the client gets an empty string
 * (or only the spotlighting note), said on stderr and in an `instructions` record. With
 * spotlighting on, marker look-alikes in them are neutralised and the note that explains the
 * markers is added (it replaces a value that is not a string: a client that keeps one, or
 * none, would show markers that nothing explains). 1: rewritten into out, 0: as it came,
 * negative: fail closed.
 */
static void note_forged(struct session *s, const struct inflight_entry *e, const struct rpc_msg *m,
                        const struct spotlight_stats *st);

static int guard_initialize(struct session *s, const struct inflight_entry *e,
                            const struct rpc_msg *m, const char *raw, size_t rawlen,
                            struct buf *out)
{
    if (s->guard == NULL || s->cfg->observe || m->result == 0 ||
        s->doc.nodes[m->result].type != JSON_OBJECT)
        return 0;
    const char *note = s->policy->spotlight.mode > SPOT_OFF
                           ? guard_spotlight_instructions(s->policy->spotlight.mode)
                           : NULL;
    struct json_doc *doc = &s->doc;
    uint32_t res = m->result, in = json_getz(doc, res, "instructions");
    unsigned score = 0;
    char kind[40] = "";
    int rc = 0;
    if (in != 0 && doc->nodes[in].type == JSON_STRING &&
        (rc = guard_instructions_poison(s->guard, doc, in, &score, kind)) < 0)
        return rc;
    char why[400] = "", pin[CANON_SHA256_HEX];
    if ((rc = guard_pin_instructions(s->guard, s->server_known ? s->server : NULL, doc, in, score,
                                     why, sizeof(why), pin)) < 0)
        return rc;
    bool withhold = rc == 1 && in != 0; /* (none: nothing to withhold, the change is kept) */
    rc = 0;
    if (withhold) {
        log_warn("%s; withheld from the client", why);
        rec_reset(s);
        buf_printf(&s->rec, "\"withheld\":true,\"poison_score\":%u", score);
        if (kind[0] != '\0')
            rec_str(&s->rec, "kind", kind, strlen(kind));
        rec_str(&s->rec, "reason", why, strlen(why));
        if (pin[0] != '\0')
            rec_str(&s->rec, "pin", pin, strlen(pin));
        rec_digest(s, "instructions_digest", doc->text + doc->nodes[in].start,
                   doc->nodes[in].end - doc->nodes[in].start);
        audit_emit(s, "instructions");
    }
    if (note == NULL && !withhold)
        return 0;
    const char *base = raw;
    size_t blen = rawlen;
    if (note != NULL && !withhold && in != 0 && doc->nodes[in].type == JSON_STRING) {
        /* a forged marker in them (or anywhere in the answer) is made harmless first */
        struct spotlight_stats st = {0};
        struct buf *nb = &s->tasknote;
        buf_reset(nb);
        rc = guard_neutralise(s->guard, doc, raw, rawlen, nb, &st);
        if (rc < 0)
            return rc;
        if (rc > 0) {
            note_forged(s, e, m, &st);
            struct diag d = {0};
            if ((rc = json_parse(&s->doc2, nb->data, nb->len, UPSTREAM_INDEX_DEPTH, &d)) < 0)
                return rc;
            doc = &s->doc2;
            base = nb->data;
            blen = nb->len;
            res = json_getz(doc, 0, "result");
            in = res != 0 ? json_getz(doc, res, "instructions") : 0;
            if (res == 0 || in == 0)
                return SE_EPARSE;
        }
    }
    const char *text = note != NULL ? note : "";
    size_t at, to; /* the bytes [at, to) of base are replaced by the new text */
    bool quote;    /* ... which opens and closes its own quotes */
    if (in != 0 && (withhold || doc->nodes[in].type != JSON_STRING)) {
        at = doc->nodes[in].start; /* the value replaced */
        to = doc->nodes[in].end;
        quote = true;
        rc = buf_append(out, base, at);
    } else if (in != 0) {
        at = to = (size_t)doc->nodes[in].end - 1; /* before the closing quote */
        quote = false;
        rc = buf_append(out, base, at);
        rc = rc ? rc : buf_append(out, "\\n\\n", 4);
    } else {
        const struct json_node *rn = &doc->nodes[res];
        at = to = (size_t)rn->end - 1; /* before the closing brace */
        quote = true;
        rc = buf_append(out, base, at);
        rc = rc ? rc : buf_printf(out, "%s\"instructions\":", rn->nchild ? "," : "");
    }
    rc = rc ? rc : quote ? buf_putc(out, '"') : 0;
    rc = rc ? rc : buf_json_escape(out, text, strlen(text));
    rc = rc ? rc : quote ? buf_putc(out, '"') : 0;
    rc = rc ? rc : buf_append(out, base + to, blen - to);
    return rc < 0 ? rc : 1;
}

/* Pages one re-list round follows at most (sentinel scan stops there too). */
#define RELIST_MAX_PAGES 1000

/* Ask the server for its tools again (pins re-check after list_changed), answered to nobody. */
static const char *const list_methods[] = {"tools/list", "prompts/list",
                                           "resources/templates/list"};
static const enum req_kind list_kinds[] = {REQ_TOOLS_LIST, REQ_PROMPTS_LIST, REQ_TEMPLATES_LIST};

static bool relist(struct session *s, int kind, const char *cursor, size_t cursor_len)
{
    if (s->pendings_failed || s->up_eof || s->proc.exited)
        return false;
    char key[64], id[48];
    int idn = snprintf(id, sizeof(id), "\"sentinel-relist-%" PRIu64 "\"", ++s->relists);
    int keyn = snprintf(key, sizeof(key), "ssentinel-relist-%" PRIu64, s->relists);
    struct inflight_entry *e = inflight_entry_new(key, (size_t)keyn, id, (size_t)idn);
    if (e == NULL)
        return false;
    e->kind = list_kinds[kind];
    e->internal = true;
    e->first_page = cursor == NULL;
    if (cursor == NULL) {
        s->relist_pages[kind] = 0;
        s->relist_cursor[kind] = 0;
    }
    if (inflight_put(&s->client_reqs, e) < 0) {
        inflight_entry_free(e);
        return false;
    }
    buf_reset(&s->out);
    log_debug("pins: listing again (%s)", list_methods[kind]);
    buf_printf(&s->out, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"%s\"", id,
               list_methods[kind]);
    if (cursor != NULL) {
        buf_append(&s->out, ",\"params\":{\"cursor\":\"", 21);
        buf_json_escape(&s->out, cursor, cursor_len);
        buf_append(&s->out, "\"}", 2);
    }
    buf_putc(&s->out, '}');
    to_upstream(s, s->out.data, s->out.len);
    s->dirty = true;
    return true;
}

/* One re-list round of `kind` is over (ok: its last page was checked): once none is left,
 * the calls held meanwhile are released, on the next loop iteration (on_relist_timer). */
static void relist_done(struct session *s, int kind, bool ok)
{
    if (s->relist_wait[kind] == 0)
        return;
    s->relist_wait[kind]--;
    if (!ok)
        s->relist_failed[kind] = true;
    if (s->relist_wait[kind] == 0 && s->relist_again[kind] && !s->closing) {
        /* the list changed again while this round ran: its answer may predate the change */
        s->relist_again[kind] = false;
        if (relist(s, kind, NULL, 0)) {
            s->relist_wait[kind]++;
            return;
        }
        s->relist_failed[kind] = true;
    }
    if (s->relist_wait[kind] == 0 && !s->closing)
        uv_timer_start(&s->relist_timer, on_relist_timer, 0, 0);
}

/* Pins, schemas and description findings of a tools/list result (before it is filtered). */
static int pin_kind_of(enum req_kind k)
{
    return k == REQ_PROMPTS_LIST ? PIN_PROMPT : k == REQ_TEMPLATES_LIST ? PIN_TEMPLATE : PIN_TOOL;
}

static int guard_list_result(struct session *s, struct inflight_entry *e, const struct rpc_msg *m,
                             const char *raw, size_t rawlen)
{
    int kind = pin_kind_of(e->kind);
    uint32_t next = json_getz(&s->doc, m->result, "nextCursor");
    bool last = next == 0 || s->doc.nodes[next].type != JSON_STRING;
    struct guard_list_out lo;
    struct buf rep;
    buf_init(&rep, 4u << 20);
    int rc = guard_list(s->guard, kind, s->server_known ? s->server : NULL, raw, rawlen,
                        e->first_page, last, e->internal, &rep, &lo);
    bool blocked = rc == 0 && lo.blocked;
    if (rc == 0 && last)
        s->listed[kind] = true;
    if (rc == 0) {
        rec_reset(s);
        rec_entry_id(&s->rec, e);
        if (e->internal)
            buf_append(&s->rec, ",\"internal\":true", 16);
        buf_putc(&s->rec, ',');
        buf_append(&s->rec, rep.data, rep.len);
        static const char *const events[] = {"tools_list", "prompts_list", "templates_list"};
        audit_emit(s, events[kind]);
        if (blocked && e->internal)
            s->relist_warned[kind] = true;
        if (blocked && (!e->internal || !s->relist_warned[kind]))
            log_warn("%s: some definitions are blocked (changed since pinned, or poisoned); "
                     "see the audit log and `sentinel pins list`",
                     list_methods[kind]);
        const struct policy *p = s->policy;
        bool schemas = p->schema.mode > SCHEMA_OFF || p->schema.nenforce > 0 || p->schema.nwarn > 0;
        if (lo.duplicates > 0 && !e->internal)
            log_warn("tools/list: %u tool name(s) listed more than once ('%s'...): their schemas "
                     "are ambiguous%s",
                     lo.duplicates, lo.first_tool,
                     schemas ? "; calls to them are refused under schema: enforce" : "");
        if (lo.unsupported > 0 && schemas && !e->internal)
            log_warn("tools/list: %u tool(s) ('%s'...) have inputSchema keywords sentinel does not "
                     "enforce; see schema_unsupported in the audit log",
                     lo.unsupported, lo.first_tool);
    }
    buf_cleanup(&rep);
    if (rc < 0) {
        snprintf(s->list_why, sizeof(s->list_why), "%s",
                 lo.why[0] ? lo.why : "pins and schemas could not be read");
        log_warn("%s: %s; failing closed", list_methods[kind], s->list_why);
    }
    if (rc == 0 && e->internal && !last) {
        const char *p;
        size_t n;
        uint64_t h = 0;
        bool endless = false;
        if (json_str(&s->doc, next, &s->scratch, &p, &n) == 0) {
            /* a server that repeats its cursor, or pages on and on, is not followed for ever:
             * the round fails (calls held for it are refused) */
            h = hash_fnv1a64(p, n) | 1;
            endless = h == s->relist_cursor[kind] || ++s->relist_pages[kind] >= RELIST_MAX_PAGES;
            if (endless)
                log_warn("%s: the server %s; the definitions cannot be checked",
                         list_methods[kind],
                         h == s->relist_cursor[kind] ? "repeats its nextCursor"
                                                     : "lists more than 1,000 pages");
            s->relist_cursor[kind] = h;
        }
        if (h == 0 || endless || s->relists >= 100000 || !relist(s, kind, p, n))
            relist_done(s, kind, false); /* the round cannot be finished */
    } else if (rc == 0 && e->internal) {
        relist_done(s, kind, true);
    }
    return rc;
}

/* The rest of a "scan" record (findings, scores, labels added, values tracked), emitted. */
static void emit_scan(struct session *s, const struct guard_scan *sc, const struct labelset *added)
{
    buf_append(&s->rec, ",\"findings\":", 12);
    guard_scan_json(sc, &s->rec);
    static const char *const fam[] = {"secret", "pii", "injection"};
    buf_append(&s->rec, ",\"scores\":{", 11);
    for (int i = 0; i < 3; i++)
        buf_printf(&s->rec, "%s\"%s\":%u", i ? "," : "", fam[i], sc->max_score[i]);
    buf_putc(&s->rec, '}');
    rec_labels(&s->rec, "added", added);
    buf_printf(&s->rec, ",\"tracked\":%zu", sc->tracked_added);
    if (sc->tracked_refused > 0) {
        buf_printf(&s->rec, ",\"untracked\":%zu", sc->tracked_refused);
        /* once the store is full every result can find more: said the first time, then at
         * most once a minute with the count (each scan record has its own) */
        uint64_t now = uv_now(&s->loop);
        s->untracked += sc->tracked_refused;
        if (s->untracked_said == 0 || now - s->untracked_said_ms >= 60000) {
            log_warn("%" PRIu64 " secret or PII values found could not be tracked%s (%" PRIu64
                     " in this session); the session carries the label '%s'",
                     s->untracked - s->untracked_said,
                     s->untracked_said == 0 ? "" : " since the last warning", s->untracked,
                     GUARD_LABEL_UNTRACKED);
            s->untracked_said = s->untracked;
            s->untracked_said_ms = now;
        }
    }
    if (sc->raw_fallback)
        buf_append(&s->rec, ",\"raw_fallback\":true", 20);
    if (sc->decoded > 0)
        buf_printf(&s->rec, ",\"decoded\":%zu", sc->decoded);
    if (sc->views > 0)
        buf_printf(&s->rec, ",\"views\":%zu", sc->views);
    audit_emit(s, "scan");
}

/*
 * Marker look-alikes that spotlighting neutralised in what the server sent (or kept, where an
 * outputSchema forbids a rewrite), and strings left as they came because reading the
 * outputSchema passed its work bound: a "spotlight" record; a forged marker labels the session
 * `injection`. e: the client request answered, else (NULL) the server's own message m.
 */
static void note_forged(struct session *s, const struct inflight_entry *e, const struct rpc_msg *m,
                        const struct spotlight_stats *st)
{
    if (st->forged == 0 && st->forged_kept == 0 && st->unchecked == 0)
        return;
    rec_reset(s);
    if (e != NULL) {
        rec_entry_id(&s->rec, e);
    } else {
        if (m->id.type != RPC_ID_NONE)
            rec_raw(&s->rec, "request_id", m->id.raw, m->id.raw_len);
        rec_str(&s->rec, "method", m->method, m->method_len);
        rec_str(&s->rec, "direction", "server->client", 14);
    }
    buf_printf(&s->rec, ",\"forged_markers\":%zu", st->forged + st->forged_kept);
    if (st->forged_kept > 0)
        buf_printf(&s->rec, ",\"forged_kept\":%zu", st->forged_kept);
    if (st->unchecked > 0)
        buf_printf(&s->rec, ",\"structured_unchecked\":%zu", st->unchecked);
    /* a forged marker is an injection: the label it adds is said in the same record, so the
     * chain and the report see where it came from */
    int id = label_intern(GUARD_LABEL_INJECTION, strlen(GUARD_LABEL_INJECTION));
    bool adds = st->forged + st->forged_kept > 0 && id >= 0 && !labelset_has(&s->labels, id);
    if (adds)
        buf_printf(&s->rec, ",\"added\":[\"%s\"]", GUARD_LABEL_INJECTION);
    audit_emit(s, "spotlight");
    if (!adds)
        return;
    struct labelset added = {0};
    labelset_add(&added, id);
    labelset_add(&s->labels, id);
    if (e != NULL)
        note_entry_source(s, &added, e);
}

/*
 * Does a server notification carry text for the model or the user? A progress notification
 * does only with a `message`, and it is the common case: one lookup among its few members.
 * (list_changed and cancelled are bookkeeping, handled before this.)
 */
static bool notification_has_text(struct session *s, const struct rpc_msg *m)
{
    if (m->params == 0)
        return false;
    if (!mcp_method_is(m->method, m->method_len, "notifications/progress"))
        return true;
    const struct json_node *pn = &s->doc.nodes[m->params];
    return pn->type != JSON_OBJECT || (pn->flags & JSON_F_PARTIAL) ||
           json_getz(&s->doc, m->params, "message") != 0;
}

/* Are server messages read at all (scanned, or their forged markers neutralised)? */
static bool guard_reads(const struct session *s)
{
    return s->guard != NULL &&
           (s->policy->scan_results || (s->policy->spotlight.mode > SPOT_OFF && !s->cfg->observe));
}

/*
 * What a server sends the client of its own accord, a notification (a log line, a progress
 * message) or a request (sampling and elicitation put their text before the model or the user;
 * a ping's or a custom request's params reach the client too), is read like a result: its
 * params scanned (labels, tracked values: the labels name no source for `influenced_by`, the
 * id being the server's, not the agent's), and with spotlighting on its forged markers
 * neutralised, never fenced (a sampling prompt must mean what it meant). 1: rewritten into
 * out, 0: forward it as it came, negative: it could not be read (fail closed).
 */
static int guard_server_message(struct session *s, const struct rpc_msg *m, const char *raw,
                                size_t rawlen, struct buf *out)
{
    const struct policy *p = s->policy;
    if (p->scan_results) {
        struct guard_scan sc;
        bool notif = m->id.type == RPC_ID_NONE; /* its values' source: null (JSON text) */
        int rc = guard_scan_result(s->guard, &s->doc, raw, rawlen, "params", p->track_values,
                                   notif ? "null" : m->id.raw, notif ? 4 : m->id.raw_len, m->method,
                                   m->method_len, s->server_known ? s->server : NULL,
                                   ++s->result_seq, now_ns(), &sc);
        if (rc < 0)
            return rc;
        if (sc.families != 0) {
            struct labelset added = sc.labels;
            labelset_minus(&added, &s->labels);
            labelset_union(&s->labels, &sc.labels);
            rec_reset(s);
            if (m->id.type != RPC_ID_NONE)
                rec_raw(&s->rec, "request_id", m->id.raw, m->id.raw_len);
            rec_str(&s->rec, "method", m->method, m->method_len);
            rec_str(&s->rec, "direction", "server->client", 14);
            emit_scan(s, &sc, &added);
        }
    }
    if (p->spotlight.mode == SPOT_OFF || s->cfg->observe)
        return 0;
    struct spotlight_stats st = {0};
    int rc = guard_neutralise(s->guard, &s->doc, raw, rawlen, out, &st);
    if (rc > 0)
        note_forged(s, NULL, m, &st);
    return rc;
}

/* Does result object r (s->doc) hold what a tool, resource or prompt returns? */
static bool holds_payload(struct session *s, uint32_t r)
{
    struct json_doc *doc = &s->doc;
    return r != 0 && doc->nodes[r].type == JSON_OBJECT &&
           (json_getz(doc, r, "content") != 0 || json_getz(doc, r, "structuredContent") != 0 ||
            json_getz(doc, r, "contents") != 0 || json_getz(doc, r, "messages") != 0);
}

/* A tools/call, resources/read, prompts/get or completion/complete result: scanned (labels,
 * tracked values), spotlighted (a prompt and a completion's values only neutralised). */
static int guard_result(struct session *s, struct inflight_entry *e, const char *raw,
                        size_t rawlen, struct buf *out)
{
    const struct policy *p = s->policy;
    if (p->scan_results) {
        struct guard_scan sc;
        size_t il, tl;
        const char *id = shown_rid(e, &il), *tn = shown_target(e, &tl);
        /* an error's message and data are the server's words too (a database error that
         * echoes its connection string, an instruction in an exception) */
        const char *member = json_getz(&s->doc, 0, "result") != 0 ? "result" : "error";
        int rc = guard_scan_result(s->guard, &s->doc, raw, rawlen, member, p->track_values,
                                   id, il, e->target ? tn : NULL, tl,
                                   s->server_known ? s->server : NULL, ++s->result_seq,
                                   now_ns(), &sc);
        if (rc < 0)
            return rc;
        if (sc.families != 0) {
            struct labelset added = sc.labels;
            labelset_minus(&added, &s->labels);
            labelset_union(&s->labels, &sc.labels);
            note_entry_source(s, &sc.labels, e); /* a source of a label held already too */
            rec_reset(s);
            rec_entry_id(&s->rec, e);
            if (e->kind == REQ_PROMPTS_GET || e->kind == REQ_COMPLETE) {
                const char *mn = e->kind == REQ_COMPLETE ? "completion/complete" : "prompts/get";
                rec_str(&s->rec, "method", mn, strlen(mn));
            }
            if (e->target != NULL) /* named as the decision record names it */
                rec_str(&s->rec,
                        e->target_is_uri ? "uri"
                        : e->kind == REQ_PROMPTS_GET || e->kind == REQ_COMPLETE ? "name"
                                                                                : "tool",
                        tn, tl);
            emit_scan(s, &sc, &added);
        }
    }
    if (s->cfg->observe)
        return 0;
    uint32_t res = json_getz(&s->doc, 0, "result");
    bool asks = res != 0 && s->doc.nodes[res].type == JSON_OBJECT &&
                json_getz(&s->doc, res, "inputRequests") != 0;
    if (e->kind == REQ_COMPLETE || e->kind == REQ_TASKS_OTHER || asks) {
        /* values the client offers as they are, a task's bookkeeping, and the server's
         * requests for input (a prompt to a model or a user, like its own requests): never
         * fenced, their marker look-alikes neutralised */
        struct spotlight_stats st = {0};
        int rc = p->spotlight.mode > SPOT_OFF
                     ? guard_neutralise(s->guard, &s->doc, raw, rawlen, out, &st)
                     : 0;
        if (rc > 0)
            note_forged(s, e, NULL, &st);
        return rc;
    }
    unsigned pm = e->kind == REQ_RESOURCES_READ ? PM_RESOURCES_READ : PM_TOOLS_CALL;
    /* a task's result is its tool's (the task names it); without one, it is fenced when
     * every tool is; a prompt is neutralised (never fenced) whenever spotlighting is on */
    bool task = e->kind == REQ_TASKS_RESULT || e->kind == REQ_TASKS_GET;
    bool fence =
        (task && e->target == NULL) || e->kind == REQ_PROMPTS_GET
            ? p->spotlight.mode > SPOT_OFF &&
                  (p->spotlight.ntools == 0 || e->kind == REQ_PROMPTS_GET)
            : policy_spotlights(p, pm, pm == PM_TOOLS_CALL ? e->target : NULL, e->target_len,
                                pm == PM_RESOURCES_READ ? e->target : NULL, e->target_len);
    if (!fence)
        return 0;
    struct spotlight_stats st = {0};
    const char *tool = e->kind == REQ_TOOLS_CALL || task ? e->target : NULL;
    int rc = e->kind == REQ_TASKS_GET
                 ? guard_spotlight_task(s->guard, p->spotlight.mode, tool, e->target_len, &s->doc,
                                        raw, rawlen, out, &st)
                 : guard_spotlight(s->guard, p->spotlight.mode, e->kind == REQ_PROMPTS_GET, tool,
                                   e->target_len, &s->doc, raw, rawlen, out, &st);
    if (rc >= 0)
        note_forged(s, e, NULL, &st);
    return rc;
}

/* A response for a pending client request: rewrite if the policy needs it, deliver. */
/* What a data call returned: its digest, outcome and latency, linked to the decision. */
static void audit_result(struct session *s, const struct inflight_entry *e,
                         const struct rpc_msg *m)
{
    uint32_t node = m->kind == RPC_RESULT ? m->result : m->error;
    const char *outcome = m->kind != RPC_RESULT    ? "error"
                          : result_is_error(s, m) ? "tool_error"
                                                   : "ok";
    rec_reset(s);
    rec_str(&s->rec, "decision_id", e->decision_id, strlen(e->decision_id));
    rec_entry_id(&s->rec, e);
    if (e->pm != 0) /* the client's answer to a server request */
        rec_str(&s->rec, "direction", "client->server", 14);
    rec_str(&s->rec, "outcome", outcome, strlen(outcome));
    if (node != 0) {
        const struct json_node *n = &s->doc.nodes[node];
        rec_digest(s, "result_digest", s->doc.text + n->start, n->end - n->start);
        rec_key(&s->rec, "result_bytes");
        buf_put_u64(&s->rec, n->end - n->start);
    }
    rec_us(&s->rec, "latency_us", now_ns() - e->t0_ns);
    audit_emit(s, "result");
}

/* ---- tasks and MRTR: the server's answers ------------------------------------------------- */

/* What a result is: final, a task's handle (CreateTaskResult) or a request for input (MRTR). */
enum result_shape { SHAPE_FINAL, SHAPE_TASK, SHAPE_INPUT };

/*
 * A handle or a request for input carries no payload: a result that holds content,
 * structuredContent, contents or messages is final whatever else it says, so that a server
 * cannot keep a result's labels from moving by calling it a task or an input request.
 */
static enum result_shape result_shape(struct session *s, const struct rpc_msg *m)
{
    struct json_doc *doc = &s->doc;
    uint32_t r = m->result;
    if (m->kind != RPC_RESULT || doc->nodes[r].type != JSON_OBJECT || holds_payload(s, r))
        return SHAPE_FINAL;
    uint32_t rt = json_getz(doc, r, "resultType"); /* 2026-07-28 */
    if (rt != 0 && doc->nodes[rt].type == JSON_STRING) {
        if (json_str_eqz(doc, rt, "task"))
            return SHAPE_TASK;
        if (json_str_eqz(doc, rt, "input_required"))
            return SHAPE_INPUT;
    }
    uint32_t task = json_getz(doc, r, "task"); /* 2025-11-25: {task: {taskId, status, ...}} */
    return task != 0 && doc->nodes[task].type == JSON_OBJECT ? SHAPE_TASK : SHAPE_FINAL;
}

/* Forget the oldest task whose final result was delivered, to make room; false: none. */
static bool task_evict(struct session *s)
{
    struct inflight_entry *old = NULL;
    for (size_t i = 0; i < s->tasks.cap; i++) {
        struct inflight_entry *t = s->tasks.slots[i];
        if (t != NULL && t != INFLIGHT_TOMB && t->task_done && (old == NULL || t->seq < old->seq))
            old = t;
    }
    if (old == NULL)
        return false;
    inflight_entry_free(inflight_take(&s->tasks, old->key, old->key_len));
    return true;
}

/*
 * A tools/call answered with a task handle: remember the task under its id with the call's id,
 * tool, decision and the labels its final result will move (taken from e). NULL, or the
 * message of the error the client gets instead (a task whose results could not be policed).
 */
static const char *task_created(struct session *s, struct inflight_entry *e,
                                const struct rpc_msg *m)
{
    struct json_doc *doc = &s->doc;
    uint32_t id = json_getz(doc, m->result, "taskId"); /* 2026-07-28: the task is the result */
    uint32_t task = json_getz(doc, m->result, "task");
    if (id == 0 && task != 0 && doc->nodes[task].type == JSON_OBJECT) {
        /* 2025-11-25: {task: {...}}, one level below the first parse's index */
        const struct json_node *tn = &doc->nodes[task];
        struct diag d = {0};
        if (json_parse(&s->doc2, doc->text + tn->start, tn->end - tn->start, 1, &d) < 0)
            return "sentinel: the server's task could not be read; failing closed";
        doc = &s->doc2;
        id = json_getz(doc, 0, "taskId");
    }
    if (id == 0)
        return NULL; /* no id: nothing can ask about it */
    struct buf key;
    buf_init(&key, TASK_ID_MAX + 2);
    const char *why = NULL;
    struct inflight_entry *t = NULL;
    if (!task_key(doc, id, &key)) {
        why = "sentinel: the server's task id is not a string of 1 to 1024 bytes; failing closed";
        goto out;
    }
    t = inflight_entry_new(key.data, key.len, e->raw_id, e->raw_len);
    if (t == NULL)
        goto oom;
    t->kind = REQ_TOOLS_CALL;
    if (e->target != NULL) {
        if ((t->target = malloc(e->target_len + 1)) == NULL)
            goto oom;
        memcpy(t->target, e->target, e->target_len + 1);
        t->target_len = e->target_len;
    }
    if (e->decision_id != NULL && (t->decision_id = strdup(e->decision_id)) == NULL)
        goto oom;
    t->flow = e->flow;
    t->taint_add = e->taint_add;
    t->taint_del = e->taint_del;
    t->withheld_id = e->withheld_id;
    t->withheld_target = e->withheld_target;
    int rc = inflight_put(&s->tasks, t);
    if (rc == -ENOBUFS && task_evict(s))
        rc = inflight_put(&s->tasks, t);
    if (rc == -EEXIST)
        why = "sentinel: the server returned the id of a task it had already created; failing "
              "closed";
    else if (rc == -ENOBUFS)
        why = "sentinel: too many unfinished tasks (limit --max-pending); failing closed";
    else if (rc < 0)
        goto oom;
    else
        t = NULL; /* the table's */
    goto out;
oom:
    why = "sentinel: out of memory; failing closed";
out:
    inflight_entry_free(t);
    buf_cleanup(&key);
    return why;
}

/* Is object `obj` (s->doc) a failed tool result (isError: true)? Read again when its members
 * are below the index; unreadable counts as failed: nothing moves. */
static bool obj_is_error(struct session *s, uint32_t obj)
{
    struct json_doc *doc = &s->doc;
    uint32_t node = obj;
    if (doc->nodes[obj].flags & JSON_F_PARTIAL) {
        const struct json_node *n = &doc->nodes[obj];
        struct diag d = {0};
        if (json_parse(&s->doc2, doc->text + n->start, n->end - n->start, 1, &d) < 0) {
            log_warn("a task's result could not be read; its labels do not move");
            return true;
        }
        doc = &s->doc2;
        node = 0;
    }
    uint32_t v = json_getz(doc, node, "isError");
    return v != 0 && doc->nodes[v].type == JSON_TRUE;
}

/*
 * The answer to the agent's tasks/result or tasks/get about a task (e->task): when it is the
 * task's final result (tasks/result; a tasks/get with status completed and the result inline,
 * or failed, or cancelled), the labels of the call that created the task move, once, if it
 * succeeded.
 */
static void task_answered(struct session *s, const struct inflight_entry *e,
                          const struct rpc_msg *m, enum result_shape shape)
{
    struct inflight_entry *task = inflight_find(&s->tasks, e->task, e->task_len);
    if (task == NULL || task->task_done || m->kind != RPC_RESULT ||
        s->doc.nodes[m->result].type != JSON_OBJECT)
        return;
    bool failed;
    if (e->kind == REQ_TASKS_RESULT) {
        if (shape != SHAPE_FINAL)
            return;
        failed = result_is_error(s, m);
    } else {
        uint32_t st = json_getz(&s->doc, m->result, "status");
        uint32_t inner = json_getz(&s->doc, m->result, "result");
        if (holds_payload(s, m->result)) /* the payload itself: final, whatever it says */
            failed = result_is_error(s, m);
        else if (st == 0 || s->doc.nodes[st].type != JSON_STRING)
            return;
        else if (json_str_eqz(&s->doc, st, "completed") && inner != 0 &&
            s->doc.nodes[inner].type == JSON_OBJECT)
            failed = obj_is_error(s, inner);
        else if (json_str_eqz(&s->doc, st, "failed") || json_str_eqz(&s->doc, st, "cancelled"))
            failed = true;
        else
            return; /* working, input_required, or completed without the result (2025-11-25) */
    }
    if (!failed && task->flow)
        apply_flow(s, task);
    task->flow = false;
    task->task_done = true;
}

/*
 * Each of the server's input requests (object irs of s->doc) decided like its own request of
 * that method: 1 all may go; 0 one was denied (the denial answered as_client's id, or nobody
 * when `notification`); -1 they cannot be read (*why says so).
 */
static int decide_input_requests(struct session *s, uint32_t irs, struct batch *b,
                                 const struct rpc_msg *as_client, bool notification,
                                 bool id_withheld, const char **why)
{
    struct json_doc *doc = &s->doc;
    if (doc->nodes[irs].type != JSON_OBJECT) {
        *why = "sentinel: the server's inputRequests is not an object; withheld";
        return -1;
    }
    if (doc->truncated || (doc->nodes[irs].flags & JSON_F_PARTIAL)) {
        *why = "sentinel: the server's inputRequests could not be read in full; failing closed";
        return -1;
    }
    struct buf name;
    buf_init(&name, RPC_MAX_METHOD_LEN * 4);
    int rc = 1;
    for (uint32_t el = json_first(doc, irs); el != 0 && rc == 1; el = doc->nodes[el].next) {
        const struct json_node *en = &doc->nodes[el];
        uint32_t mn = en->type == JSON_OBJECT ? json_getz(doc, el, "method") : 0;
        const char *p;
        size_t n;
        if ((en->flags & JSON_F_PARTIAL) || mn == 0 || doc->nodes[mn].type != JSON_STRING ||
            json_str(doc, mn, &name, &p, &n) < 0) {
            *why = "sentinel: an input request of the server's has no readable method; withheld";
            rc = -1;
            break;
        }
        unsigned pm = pmethod_of(p, n) & PM_SERVER_REQUESTS;
        const char *key = doc->text + en->key_start;
        mrtr_remember(s, key, en->key_len, pm);
        if (pm == 0)
            continue; /* a method no rule decides passes, as the server's own request would */
        struct target t;
        target_init(&t, pm);
        read_target(s, json_getz(doc, el, "params"), &t);
        t.embedded = true;
        t.notification = notification;
        t.input_key = key;
        t.input_key_len = en->key_len;
        t.id_withheld = id_withheld;
        if (!decide_request(s, &s->up, b, as_client, &t))
            rc = 0;
        s->redact_rule = NULL;
        target_cleanup(&t);
    }
    buf_cleanup(&name);
    return rc;
}

/*
 * MRTR: a result's inputRequests (an input_required result of tools/call, resources/read or
 * prompts/get; a task's state from tasks/get) are the server's sampling, elicitation and roots
 * requests in another envelope: each is decided like the server's own request of its method,
 * and one denied fails the whole answer (the client's request gets the denial; the server's
 * requestState is never touched). True: deliver it; false: the client has an error instead
 * and e is freed.
 */
static bool police_input_requests(struct session *s, struct inflight_entry *e,
                                  const struct rpc_msg *m)
{
    struct json_doc *doc = &s->doc;
    if (m->kind != RPC_RESULT || doc->nodes[m->result].type != JSON_OBJECT)
        return true;
    uint32_t irs = json_getz(doc, m->result, "inputRequests");
    if (irs == 0)
        return true;
    /* the denial answers the client's request under the id it wrote */
    struct rpc_msg as_client = *m;
    as_client.id.raw = e->raw_id;
    as_client.id.raw_len = e->raw_len;
    const char *bad = NULL;
    int rc = decide_input_requests(s, irs, e->batch, &as_client, false, e->withheld_id, &bad);
    if (rc == 1)
        return true;
    if (rc < 0) {
        log_warn("%s", bad + 10);
        reply_error(s, &s->client, e->batch, e->raw_id, e->raw_len, RPC_UPSTREAM_BAD, bad, NULL);
    }
    if (e->batch != NULL) {
        e->batch->expected--;
        batch_maybe_emit(s, e->batch);
    }
    inflight_entry_free(e);
    return false;
}

static void deliver_response(struct session *s, struct inflight_entry *e, const struct rpc_msg *m,
                             const char *raw, size_t rawlen)
{
    /* the rewrite buffer lives as long as the session: no fresh pages per response */
    struct buf *rewritten = &s->rewrite;
    bool rewrote = false;
    buf_reset(rewritten);

    if (m->kind == RPC_RESULT && e->kind == REQ_INITIALIZE) {
        uint32_t v = json_getz(&s->doc, m->result, "protocolVersion");
        const char *p;
        size_t n;
        if (v != 0 && s->doc.nodes[v].type == JSON_STRING &&
            json_str(&s->doc, v, &s->scratch, &p, &n) == 0 && n <= MCP_VERSION_MAX) {
            memcpy(s->version, p, n);
            s->version[n] = '\0';
            log_info("protocol version %s", s->version);
        }
        learn_server(s, m);
        if (s->guard != NULL) {
            int rc = guard_initialize(s, e, m, raw, rawlen, rewritten);
            if (rc < 0) {
                fail_pending(s, e, RPC_SENTINEL_INTERNAL,
                             "sentinel: the server's instructions could not be checked or the "
                             "spotlighting note added; failing closed");
                goto out;
            }
            if (rc == 1)
                rewrote = true;
        }
    }
    if (s->audit != NULL && e->t0_ns != 0 && e->decision_id != NULL)
        audit_result(s, e, m);
    /* labels move with a final result: a task's handle moves them when the task's result
     * comes (task_answered), an input request with the retry's result */
    enum result_shape shape = result_shape(s, m);
    if (m->kind == RPC_RESULT && e->flow && !result_is_error(s, m) && shape == SHAPE_FINAL)
        apply_flow(s, e);
    if (!e->internal && !police_input_requests(s, e, m))
        goto out;
    if (shape == SHAPE_TASK && e->kind == REQ_TOOLS_CALL) {
        const char *why = task_created(s, e, m);
        if (why != NULL) {
            log_warn("%s", why + 10);
            fail_pending(s, e, RPC_SENTINEL_INTERNAL, why);
            goto out;
        }
    }
    if (e->task != NULL)
        task_answered(s, e, m, shape);
    /* results and errors alike: an error's message is the server's words too */
    if (s->guard != NULL &&
        (e->kind == REQ_TOOLS_CALL || e->kind == REQ_RESOURCES_READ ||
         e->kind == REQ_TASKS_RESULT || e->kind == REQ_TASKS_GET || e->kind == REQ_PROMPTS_GET ||
         e->kind == REQ_COMPLETE || e->kind == REQ_TASKS_OTHER)) {
        int rc = guard_result(s, e, raw, rawlen, rewritten);
        if (rc < 0) {
            fail_pending(s, e, RPC_SENTINEL_INTERNAL,
                         "sentinel: the result could not be scanned or spotlighted; failing "
                         "closed");
            goto out;
        }
        if (rc == 1)
            rewrote = true;
    }
    if (m->kind == RPC_RESULT && s->guard != NULL && guard_lists(s) &&
        (e->kind == REQ_TOOLS_LIST || e->kind == REQ_PROMPTS_LIST ||
         e->kind == REQ_TEMPLATES_LIST)) {
        if (guard_list_result(s, e, m, raw, rawlen) < 0) {
            if (e->internal) {
                relist_done(s, pin_kind_of(e->kind), false);
                inflight_entry_free(e);
                goto out;
            }
            char msg[320];
            snprintf(msg, sizeof(msg),
                     "sentinel: the list could not be checked (%s); failing closed", s->list_why);
            fail_pending(s, e, RPC_SENTINEL_INTERNAL, msg);
            goto out;
        }
    }
    if (e->internal) { /* sentinel's own re-list: nobody waits for it */
        int64_t code = 0;
        uint32_t cn = m->kind == RPC_ERROR ? json_getz(&s->doc, m->error, "code") : 0;
        if (cn != 0 && s->doc.nodes[cn].type == JSON_NUMBER)
            (void)json_int(&s->doc, cn, &code);
        if (e->kind == REQ_TEMPLATES_LIST && code == RPC_METHOD_NOT_FOUND)
            relist_done(s, PIN_TEMPLATE, true); /* no templates: nothing to check */
        else if (m->kind != RPC_RESULT || s->guard == NULL || !guard_lists(s))
            relist_done(s, pin_kind_of(e->kind), false); /* an error: nothing was checked */
        inflight_entry_free(e);
        goto out;
    }
    const char *list_key = NULL, *name_key = "name";
    struct keep_ctx kc = {.s = s};
    if (e->kind == REQ_TOOLS_LIST) {
        list_key = "tools";
        kc.method = PM_TOOLS_CALL;
    } else if (e->kind == REQ_PROMPTS_LIST) {
        list_key = "prompts";
        kc.method = PM_PROMPTS_GET;
    } else if (e->kind == REQ_RESOURCES_LIST) {
        list_key = "resources";
        name_key = "uri";
        kc.method = PM_RESOURCES_READ;
        kc.by_uri = true;
    } else if (e->kind == REQ_TEMPLATES_LIST && guard_lists(s)) {
        list_key = "resourceTemplates";
        kc.method = PM_RESOURCES_READ;
        kc.templates = true;
    }
    if (m->kind == RPC_RESULT && list_key != NULL && (s->policy->has_deny || guard_lists(s))) {
        struct diag d = {0};
        size_t dropped = 0;
        int rc = json_parse(&s->doc2, raw, rawlen, MCP_LIST_INDEX_DEPTH, &d);
        if (rc == 0)
            rc = mcp_filter_list(&s->doc2, list_key, name_key, keep_element, &kc, rewritten,
                                 &dropped);
        if (rc < 0) {
            char msg[160];
            snprintf(msg, sizeof(msg), "sentinel: the %s list could not be filtered; failing closed",
                     list_key);
            fail_pending(s, e, RPC_SENTINEL_INTERNAL, msg);
            goto out;
        }
        if (dropped > 0) {
            char method[32];
            snprintf(method, sizeof(method), "%s/list", list_key);
            rec_reset(s);
            rec_str(&s->rec, "method", method, strlen(method));
            buf_printf(&s->rec, ",\"hidden\":%zu,\"mode\":\"%s\"", dropped,
                       s->cfg->observe ? "observe" : "enforce");
            audit_emit(s, "list_filter");
            if (!s->cfg->observe)
                rewrote = true;
        }
    }
    if (rewrote)
        to_client_buf(s, e->batch, rewritten);
    else
        to_client(s, e->batch, raw, rawlen);
    if (e->batch != NULL) {
        e->batch->expected--;
        batch_maybe_emit(s, e->batch);
    }
    inflight_entry_free(e);
out:
    /* kept for the next response unless a huge one grew it (PEER_KEEP_MAX, peer.h) */
    buf_trim(rewritten, PEER_KEEP_MAX);
}

/*
 * A notification about one of the agent's tasks (notifications/tasks/status: the 2026-07-28
 * tasks extension pushes the task's whole state in it, as tasks/get would answer, with the
 * final `result`, the `error` or the `inputRequests`) is policed as that tasks/get answer
 * would be: its input requests decided (one denied: the notification is withheld, and the
 * client's tasks/get meets the denial), its payload scanned, fenced and labelled as its
 * tool's result. One that carries a payload about no task of this session's is withheld.
 * False: it carries no payload; it is handled like any other notification.
 */
static bool task_notification(struct session *s, const struct rpc_msg *m, const char *raw,
                              size_t rawlen)
{
    static const char head[] = "{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":";
    const size_t hl = sizeof(head) - 1;
    struct json_doc *doc = &s->doc;
    uint32_t pn = m->params;
    if (pn == 0 || doc->nodes[pn].type != JSON_OBJECT)
        return false;
    uint32_t id = json_getz(doc, pn, "taskId");
    if (id == 0 || !(json_getz(doc, pn, "result") != 0 || json_getz(doc, pn, "error") != 0 ||
                     json_getz(doc, pn, "inputRequests") != 0 || holds_payload(s, pn)))
        return false;
    struct buf key;
    buf_init(&key, TASK_ID_MAX + 2);
    struct inflight_entry *task =
        task_key(doc, id, &key) ? inflight_find(&s->tasks, key.data, key.len) : NULL;
    buf_cleanup(&key);
    if (task == NULL) {
        log_warn("a task notification carries a result or input requests for a task that no "
                 "call of this session created; withheld");
        return true;
    }
    /* read it as the answer to a tasks/get about the task: {"jsonrpc","id","result":params} */
    size_t ps = doc->nodes[pn].start, pe = doc->nodes[pn].end;
    struct buf *syn = &s->tasknote;
    buf_reset(syn);
    struct diag d = {0};
    struct rpc_msg r;
    const char *why = "could not be read";
    if (buf_append(syn, head, hl) < 0 || buf_append(syn, raw + ps, pe - ps) < 0 ||
        buf_putc(syn, '}') < 0 || json_parse(doc, syn->data, syn->len, s->cfg->max_depth, &d) < 0 ||
        rpc_classify(doc, 0, &r, &s->scratch, &d) < 0 || r.kind != RPC_RESULT)
        goto withheld;
    /* the task's entry stands for the tasks/get (borrowed: its id, tool, decision) */
    struct inflight_entry e = *task;
    e.kind = REQ_TASKS_GET;
    e.task = task->key;
    e.task_len = task->key_len;
    e.batch = NULL;
    e.t0_ns = 0;
    uint32_t irs = json_getz(doc, r.result, "inputRequests");
    if (irs != 0) {
        const char *bad = NULL;
        int rc = decide_input_requests(s, irs, NULL, m, true, task->withheld_id, &bad);
        if (rc < 0)
            log_warn("%s", bad + 10);
        if (rc <= 0) {
            why = "holds an input request the policy refuses";
            goto withheld;
        }
    }
    task_answered(s, &e, &r, result_shape(s, &r));
    if (s->guard == NULL)
        goto as_is;
    struct buf *out = &s->rewrite;
    buf_reset(out);
    guard_line_start(s->guard);
    int g = guard_result(s, &e, syn->data, syn->len, out);
    if (g == 0)
        goto as_is;
    /* the rewrite keeps the bytes around what it changed: the params are between the two */
    if (g < 0 || out->len < hl + 1 || memcmp(out->data, head, hl) != 0 ||
        out->data[out->len - 1] != '}') {
        why = "could not be scanned or spotlighted";
        goto withheld;
    }
    buf_reset(syn);
    if (buf_append(syn, raw, ps) < 0 || buf_append(syn, out->data + hl, out->len - hl - 1) < 0 ||
        buf_append(syn, raw + pe, rawlen - pe) < 0) {
        why = "could not be rewritten";
        goto withheld;
    }
    to_client_buf(s, NULL, syn);
    buf_trim(out, PEER_KEEP_MAX);
    buf_trim(syn, PEER_KEEP_MAX);
    return true;
as_is:
    to_client(s, NULL, raw, rawlen);
    buf_trim(syn, PEER_KEEP_MAX);
    return true;
withheld:
    log_warn("a task notification %s; withheld (the client's tasks/get is policed)", why);
    buf_trim(syn, PEER_KEEP_MAX);
    return true;
}

static void upstream_message(struct session *s, uint32_t root, const char *raw, size_t rawlen)
{
    struct rpc_msg m;
    struct diag d = {0};
    if (rpc_classify(&s->doc, root, &m, &s->scratch, &d) < 0) {
        log_warn("upstream sent an invalid message (%s); withheld from the client", d.msg);
        if (m.id.type != RPC_ID_NONE) {
            char msg[320];
            snprintf(msg, sizeof(msg), "sentinel: the server's response was malformed: %s", d.msg);
            fail_pending_id(s, &m.id, RPC_UPSTREAM_BAD, msg);
        }
        return;
    }
    switch (m.kind) {
    case RPC_RESULT:
    case RPC_ERROR: {
        if (id_key(s, &m.id) < 0)
            return;
        struct inflight_entry *e = inflight_find(&s->client_reqs, s->keybuf.data, s->keybuf.len);
        if (e == NULL || e->held) {
            log_warn("upstream answered id %.*s, which is not in flight; dropped",
                     (int)(m.id.raw_len > 64 ? 64 : m.id.raw_len), m.id.raw);
            return;
        }
        inflight_take(&s->client_reqs, e->key, e->key_len);
        deliver_response(s, e, &m, raw, rawlen);
        return;
    }
    case RPC_REQUEST: {
        if (id_key(s, &m.id) < 0)
            return;
        struct inflight_entry *e =
            inflight_entry_new(s->keybuf.data, s->keybuf.len, m.id.raw, m.id.raw_len);
        unsigned pm = pmethod_of(m.method, m.method_len);
        if (e != NULL) {
            e->pm = pm;
            e->task_result = mcp_method_is(m.method, m.method_len, "tasks/result");
            if (pm == 0 && s->guard != NULL && guard_tracked(s->guard) != NULL &&
                (e->target = malloc(m.method_len)) != NULL) {
                /* named in the decision record should its answer carry a tracked value */
                memcpy(e->target, m.method, m.method_len);
                e->target_len = m.method_len;
            }
        }
        if (pm != 0) {
            struct target t;
            target_init(&t, pm);
            read_target(s, m.params, &t);
            bool ok = decide_request(s, &s->up, NULL, &m, &t);
            s->redact_rule = NULL; /* redaction is for the agent's calls (load.c refuses more) */
            target_cleanup(&t);
            if (!ok) {
                inflight_entry_free(e);
                return;
            }
            if (e != NULL && s->audit != NULL) { /* the client's answer gets a result record */
                e->t0_ns = now_ns();
                e->decision_id = strdup(s->last_did);
            }
        }
        /* its text reaches the client like a result's (the rewrite buffer is free: no
         * response is being delivered) */
        struct buf *out = &s->rewrite;
        buf_reset(out);
        int g = m.params != 0 && guard_reads(s) ? guard_server_message(s, &m, raw, rawlen, out) : 0;
        if (g < 0) {
            reply_error(s, &s->up, NULL, m.id.raw, m.id.raw_len, RPC_SENTINEL_INTERNAL,
                        "sentinel: the request could not be scanned; failing closed", NULL);
            inflight_entry_free(e);
            buf_trim(out, PEER_KEEP_MAX);
            return;
        }
        if (s->server_reqs.count >= s->server_reqs.limit)
            purge_cancelled(s, &s->server_reqs);
        int rc = e ? inflight_put(&s->server_reqs, e) : -ENOMEM;
        if (rc < 0) {
            reply_error(s, &s->up, NULL, m.id.raw, m.id.raw_len,
                        rc == -EEXIST ? RPC_INVALID_REQUEST : RPC_OVERLOADED,
                        rc == -EEXIST ? "sentinel: id already used by a request still in flight"
                                      : "sentinel: too many server requests in flight",
                        NULL);
            inflight_entry_free(e);
            buf_trim(out, PEER_KEEP_MAX);
            return;
        }
        if (g > 0)
            to_client_buf(s, NULL, out);
        else
            to_client(s, NULL, raw, rawlen);
        buf_trim(out, PEER_KEEP_MAX);
        return;
    }
    case RPC_NOTIFICATION:
        if (guard_lists(s)) {
            static const char *const changed[] = {"notifications/tools/list_changed",
                                                  "notifications/prompts/list_changed",
                                                  "notifications/resources/list_changed"};
            for (int k = 0; k < 3; k++) {
                /* (mcp_method_is takes a literal: sizeof would see a pointer here) */
                if (m.method_len != strlen(changed[k]) ||
                    memcmp(m.method, changed[k], m.method_len) != 0)
                    continue;
                /* definitions may have changed under their pins: look before the agent does,
                 * holding its calls of this kind until the new list is checked; one round at
                 * a time (a flood of notifications costs one more round, not one each) */
                if (s->relist_wait[k] > 0)
                    s->relist_again[k] = true;
                else if (relist(s, k, NULL, 0))
                    s->relist_wait[k]++;
                to_client(s, NULL, raw, rawlen);
                return;
            }
        }
        if (mcp_method_is(m.method, m.method_len, "notifications/cancelled")) {
            struct inflight_entry *c = cancelled_key(s, &m) ? inflight_find(&s->server_reqs,
                                                                            s->keybuf.data,
                                                                            s->keybuf.len)
                                                            : NULL;
            if (c == NULL) {
                log_debug("server cancelled a request that is not in flight; swallowed");
                return;
            }
            c->cancelled = true; /* the client may never answer it (purge_cancelled) */
        } else if (task_notification(s, &m, raw, rawlen)) {
            return;
        } else if (guard_reads(s) && notification_has_text(s, &m)) {
            struct buf *out = &s->rewrite;
            buf_reset(out);
            int g = guard_server_message(s, &m, raw, rawlen, out);
            if (g < 0)
                log_warn("a server notification (%.*s) could not be scanned; withheld",
                         (int)(m.method_len > 64 ? 64 : m.method_len), m.method);
            else if (g > 0)
                to_client_buf(s, NULL, out);
            buf_trim(out, PEER_KEEP_MAX);
            if (g != 0)
                return;
        }
        to_client(s, NULL, raw, rawlen);
        return;
    }
}

static void upstream_line(struct peer *p, const char *line, size_t len)
{
    struct session *s = p->owner;
    struct diag d = {0};
    guard_line_start(s->guard);
    if (is_blank(line, len))
        return;
    /* with the content guards on, index everything once: they walk the results in full */
    bool deep = s->guard != NULL &&
                (s->policy->scan_results || s->policy->spotlight.mode > SPOT_OFF);
    int rc = json_parse(&s->doc, line, len, deep ? s->cfg->max_depth : UPSTREAM_INDEX_DEPTH, &d);
    if (rc < 0) {
        log_warn("upstream sent malformed JSON (%s at byte %u); withheld from the client", d.msg,
                 d.col);
        size_t a, z;
        struct rpc_id id;
        static const char *const keys[] = {"method"};
        if (json_recover_id(line, len, &a, &z) && rpc_id_from_raw(line + a, z - a, &id)) {
            char msg[320];
            if (json_recover_keys(line, len, keys, 1) != 0) {
                /* a request of the server's: it gets the error, or it would wait forever */
                snprintf(msg, sizeof(msg), "sentinel: the request could not be read: %s (at byte %u)",
                         d.msg, d.col);
                reply_error(s, &s->up, NULL, line + a, z - a,
                            rc == SE_EPARSE || rc == SE_EUTF8 ? RPC_PARSE_ERROR
                                                              : RPC_INVALID_REQUEST,
                            msg, NULL);
            } else {
                snprintf(msg, sizeof(msg), "sentinel: the server's response was malformed: %s",
                         d.msg);
                fail_pending_id(s, &id, RPC_UPSTREAM_BAD, msg);
            }
        }
        return;
    }
    if (s->doc.nodes[0].type != JSON_ARRAY) {
        uint32_t r =
            deep || s->doc.nodes[0].type != JSON_OBJECT ? 0 : json_getz(&s->doc, 0, "result");
        if (r != 0 && s->doc.nodes[r].type == JSON_OBJECT &&
            json_getz(&s->doc, r, "inputRequests") != 0 &&
            json_parse(&s->doc, line, len, s->cfg->max_depth, &d) < 0)
            return; /* (validated above: cannot fail) MRTR requests are decided in full */
        upstream_message(s, 0, line, len);
        return;
    }
    if (strcmp(s->version, "2025-03-26") != 0) {
        log_warn("upstream sent a JSON-RPC batch outside a 2025-03-26 connection; withheld");
        /* a response inside it answers a request that must not wait forever */
        if (json_parse(&s->doc, line, len, UPSTREAM_INDEX_DEPTH + 1, &d) < 0)
            return;
        for (uint32_t el = json_first(&s->doc, 0); el != 0; el = s->doc.nodes[el].next) {
            struct rpc_msg m;
            struct diag dd = {0};
            if (rpc_classify(&s->doc, el, &m, &s->scratch, &dd) == 0 &&
                (m.kind == RPC_RESULT || m.kind == RPC_ERROR))
                fail_pending_id(s, &m.id, RPC_UPSTREAM_BAD,
                                "sentinel: the server answered inside a JSON-RPC batch, which "
                                "only protocol version 2025-03-26 allows; withheld");
        }
        return;
    }
    if (json_parse(&s->doc, line, len, UPSTREAM_INDEX_DEPTH + 1, &d) < 0)
        return;
    if (s->doc.truncated || (s->doc.nodes[0].flags & JSON_F_PARTIAL)) {
        log_warn("upstream batch has too many elements; withheld");
        return;
    }
    for (uint32_t el = json_first(&s->doc, 0); el != 0; el = s->doc.nodes[el].next) {
        const struct json_node *n = &s->doc.nodes[el];
        upstream_message(s, el, s->doc.text + n->start, n->end - n->start);
    }
}

static void update_flow(struct session *s);

/* Each line, then the queues: a read's lines stop as soon as a destination fills up (the
 * rest wait in the framer, peer.h), so replies to a flood of small bad lines are never
 * dropped for want of room. */
static void on_upstream_line(struct peer *p, const char *line, size_t len)
{
    upstream_line(p, line, len);
    update_flow(p->owner);
}

static void on_client_line(struct peer *p, const char *line, size_t len)
{
    client_line(p, line, len);
    update_flow(p->owner);
}

static void on_upstream_toobig(struct peer *p, const char *head, size_t hlen, const char *tail,
                               size_t tlen, size_t size)
{
    struct session *s = p->owner;
    char id[160], msg[200];
    size_t idlen;
    recover_toobig_id(head, hlen, tail, tlen, id, &idlen);
    snprintf(msg, sizeof(msg), "sentinel: the server's message of %zu bytes exceeds the limit of %zu",
             size, s->cfg->max_message);
    log_warn("upstream: %s", msg + 10); /* the log adds its own "sentinel: " */
    if (idlen == 0)
        return;
    struct rpc_id rid;
    if (rpc_id_from_raw(id, idlen, &rid))
        fail_pending_id(s, &rid, RPC_TOO_LARGE, msg);
}

/* ---- flow control ------------------------------------------------------------------- */

static void update_flow(struct session *s)
{
    size_t lim = s->cfg->queue_limit;
    bool up_full = peer_queued(&s->up) > lim;
    bool client_full = peer_queued(&s->client) > lim;
    /* a source pauses when its destination is full, or when it ignores our replies; the
     * client also while the audit log is behind or the commit gate is full. The server is
     * not paused for the log: its answers end calls (pausing them would pile requests up
     * against the in-flight limit), and what it can ask of the client is bounded by that
     * limit, since the client, paused, answers nothing meanwhile. */
    bool behind = s->audit != NULL && audit_behind(s->audit);
    bool pause_client = up_full || peer_queued(&s->client) > 4 * lim || behind || s->gate.len > lim;
    /* ... unless the server's own messages (notifications that are recorded) fill the log
     * past twice its bound: then the server waits too, until the log drains */
    bool pause_up = client_full || peer_queued(&s->up) > 4 * lim ||
                    (s->audit != NULL && audit_far_behind(s->audit));
    if (pause_up)
        peer_read_stop(&s->up);
    else if (!s->up.eof)
        peer_read_start(&s->up);
    if (!s->stopping && !s->client_eof) {
        if (pause_client)
            peer_read_stop(&s->client);
        else
            peer_read_start(&s->client);
    }
}

static void on_audit_drained(void *arg)
{
    update_flow(arg);
}

/* Forward what the gate holds: up to `durable` entries' worth, or everything. */
static void gate_release(struct session *s, uint64_t durable, bool all)
{
    size_t off = 0;
    while (off < s->gate.len) {
        uint64_t hdr[2];
        memcpy(hdr, s->gate.data + off, sizeof(hdr));
        if (!all && hdr[0] > durable)
            break;
        up_write(s, s->gate.data + off + sizeof(hdr), (size_t)hdr[1]);
        off += sizeof(hdr) + (size_t)hdr[1];
    }
    if (off > 0) {
        memmove(s->gate.data, s->gate.data + off, s->gate.len - off);
        s->gate.len -= off;
    }
}

/*
 * The log failed with messages in the gate. Failing open, they go on. Failing closed, none
 * reaches the server: each request among them is answered with the error (and its pending
 * entry removed), notifications and responses are dropped.
 */
static void gate_fail(struct session *s)
{
    if (s->cfg->audit_fail_open) {
        gate_release(s, 0, true);
        return;
    }
    char msg[256];
    snprintf(msg, sizeof(msg), "sentinel: the audit log cannot be written (%s); failing closed",
             err_str(audit_error(s->audit)));
    size_t off = 0;
    while (off < s->gate.len) {
        uint64_t hdr[2];
        memcpy(hdr, s->gate.data + off, sizeof(hdr));
        const char *m = s->gate.data + off + sizeof(hdr);
        struct diag d = {0};
        struct rpc_msg rm;
        if (json_parse(&s->doc2, m, (size_t)hdr[1], 1, &d) == 0 &&
            rpc_classify(&s->doc2, 0, &rm, &s->scratch, &d) == 0 && rm.kind == RPC_REQUEST) {
            buf_reset(&s->keybuf);
            if (rpc_id_key(&s->doc2, &rm.id, &s->keybuf) == 0) {
                struct inflight_entry *e =
                    inflight_find(&s->client_reqs, s->keybuf.data, s->keybuf.len);
                if (e != NULL && !e->held)
                    fail_pending(s, inflight_take(&s->client_reqs, e->key, e->key_len),
                                 RPC_SENTINEL_INTERNAL, msg);
            }
        }
        off += sizeof(hdr) + (size_t)hdr[1];
    }
    s->gate.len = 0;
}

static void gate_check(struct session *s)
{
    if (s->gate.len > 0 && s->audit != NULL) {
        if (audit_error(s->audit) != 0)
            gate_fail(s);
        else
            gate_release(s, audit_durable(s->audit), false);
    }
    if (s->gate.len == 0 && s->gate_eof) {
        s->gate_eof = false;
        peer_shutdown_write(&s->up);
    }
}

static void on_audit_durable(void *arg)
{
    struct session *s = arg;
    if (audit_error(s->audit) != 0)
        audit_failed(s); /* said when it happens, not at the next call */
    gate_check(s);
    peer_flush(&s->up);
    peer_flush(&s->client);
    update_flow(s);
    maybe_finish(s);
}

static void flush_all(struct session *s)
{
    gate_check(s);
    peer_flush(&s->up);
    peer_flush(&s->client);
    update_flow(s);
}

/*
 * Lines read in one loop iteration, from either side, are written out together after
 * the poll phase: when both pipes were ready, each destination gets one write instead of
 * one per read, which halves the wakeups of the processes on the other ends.
 */
static void on_batch_done(struct peer *p)
{
    struct session *s = p->owner;
    s->dirty = true;
    /* a log that fell behind stops the client at once, not after the rest of this loop
     * iteration's reads (up to 32 of 256 KiB, each call in them a record) */
    if (p == &s->client && !s->stopping && !s->client_eof && s->audit != NULL &&
        audit_behind(s->audit))
        peer_read_stop(p);
}

/* ---- background work of the guard: tracked-value builds, pin store writes ------------ */

static void tracked_work_cb(uv_work_t *w)
{
    struct session *s = w->data;
    tracked_build_run(s->tbuild);
}

static void tracked_done_cb(uv_work_t *w, int status)
{
    struct session *s = w->data;
    (void)status;
    int rc = tracked_build_finish(guard_tracked(s->guard), s->tbuild);
    s->tbuild = NULL;
    if (rc < 0)
        log_warn("tracked values: a background build failed (%s); values stay pending",
                 err_str(rc));
}

static void pins_work_cb(uv_work_t *w)
{
    struct session *s = w->data;
    const char *path;
    guard_pins_file(s->guard, &path);
    buf_reset(&s->pins_merged);
    s->pins_rc = pins_sync_file(path, s->pins_text.data, s->pins_text.len, &s->pins_merged,
                                s->pins_err, sizeof(s->pins_err));
}

static void pins_done_cb(uv_work_t *w, int status)
{
    struct session *s = w->data;
    s->pins_writing = false;
    const char *path;
    struct pin_store *ps = guard_pins_file(s->guard, &path);
    if (status == 0 && s->pins_rc == 0 && ps != NULL) {
        char err[256];
        if (pins_absorb(ps, s->pins_merged.data, s->pins_merged.len, err, sizeof(err)) == 0)
            pins_mark_written(ps, s->pins_gen);
        return;
    }
    if (status == 0 && s->pins_rc < 0) {
        log_error("the pin store could not be written: %s", s->pins_err);
        rec_reset(s);
        rec_str(&s->rec, "error", s->pins_err, strlen(s->pins_err));
        audit_emit(s, "pins_write_failed");
    }
}

static void start_background(struct session *s)
{
    if (s->guard == NULL || s->closing)
        return;
    struct tracked *t = guard_tracked(s->guard);
    if (t != NULL && s->tbuild == NULL && tracked_build_wanted(t, now_ns())) {
        s->tbuild = tracked_build_begin(t);
        s->tracked_work.data = s;
        if (s->tbuild != NULL &&
            uv_queue_work(&s->loop, &s->tracked_work, tracked_work_cb, tracked_done_cb) < 0) {
            tracked_build_finish(t, s->tbuild);
            s->tbuild = NULL;
        }
    }
    const char *path;
    struct pin_store *ps = guard_pins_file(s->guard, &path);
    if (ps != NULL && !s->pins_writing && (pins_dirty(ps) || s->pins_resync)) {
        /* write what changed and take in what others wrote (`sentinel pins approve`) */
        s->pins_resync = false;
        buf_reset(&s->pins_text);
        if (pins_serialize(ps, &s->pins_text) < 0)
            return;
        s->pins_gen = pins_generation(ps);
        s->pins_work.data = s;
        if (uv_queue_work(&s->loop, &s->pins_work, pins_work_cb, pins_done_cb) == 0)
            s->pins_writing = true;
    }
}

static void on_flush_check(uv_check_t *h)
{
    struct session *s = h->data;
    start_background(s);
    if (!s->dirty)
        return;
    s->dirty = false;
    flush_all(s);
}

static void on_drain(struct peer *p)
{
    struct session *s = p->owner;
    if (p == &s->client && p->write_err && !s->stopping) {
        log_info("client output closed; shutting down");
        begin_shutdown(s, STOP_CLIENT_EOF, 0);
        return;
    }
    update_flow(s);
    maybe_finish(s);
}

/* ---- lifecycle ---------------------------------------------------------------------- */

static void fail_all_pending(struct session *s, int code, const char *msg)
{
    if (s->pendings_failed)
        return;
    s->pendings_failed = true;
    size_t n, answered = 0;
    struct inflight_entry **v = inflight_drain(&s->client_reqs, &n);
    for (size_t i = 0; v != NULL && i < n; i++) {
        answered += !v[i]->cancelled; /* nobody waits for a cancelled one: not answered */
        fail_pending(s, v[i], code, msg);
    }
    free(v);
    if (answered > 0)
        log_warn("answered %zu pending request(s): %s", answered, msg);
    v = inflight_drain(&s->server_reqs, &n);
    for (size_t i = 0; v != NULL && i < n; i++)
        inflight_entry_free(v[i]);
    free(v);
    peer_flush(&s->client);
}

static void upstream_gone_msg(struct session *s, char *msg, size_t len)
{
    if (s->proc.exited && WIFEXITED(s->proc.status))
        snprintf(msg, len, "sentinel: the server exited (status %d) before answering",
                 WEXITSTATUS(s->proc.status));
    else if (s->proc.exited && WIFSIGNALED(s->proc.status))
        snprintf(msg, len, "sentinel: the server was killed by signal %d before answering",
                 WTERMSIG(s->proc.status));
    else
        snprintf(msg, len, "sentinel: the server closed its output before answering");
}

static void close_handle(struct session *s, uv_handle_t *h)
{
    if (!uv_is_closing(h))
        uv_close(h, NULL);
    (void)s;
}

static void on_peer_closed(struct peer *p)
{
    (void)p;
}

static void finish(struct session *s)
{
    if (s->closing)
        return;
    s->closing = true;
    uv_handle_t *hs[] = {(uv_handle_t *)&s->sig_term,    (uv_handle_t *)&s->sig_int,
                         (uv_handle_t *)&s->sig_hup,     (uv_handle_t *)&s->sig_chld,
                         (uv_handle_t *)&s->term_timer,  (uv_handle_t *)&s->kill_timer,
                         (uv_handle_t *)&s->drain_timer, (uv_handle_t *)&s->flush_timer,
                         (uv_handle_t *)&s->relist_timer, (uv_handle_t *)&s->flush_check};
    for (size_t i = 0; i < sizeof(hs) / sizeof(hs[0]); i++)
        close_handle(s, hs[i]);
    approver_close(s->approver);
    s->approver = NULL;
    control_close(s->control);
    s->control = NULL;
    peer_close(&s->client);
    peer_close(&s->up);
}

/* Finish once the upstream is reaped, pending requests are answered and the client's
 * output is written (or the flush timer gave up on a client that does not read). */
static void maybe_finish(struct session *s)
{
    if (!s->stopping || s->closing || !s->proc.exited || !s->pendings_failed)
        return;
    if (peer_queued(&s->client) > 0 && !s->client.write_err) {
        if (!uv_is_active((uv_handle_t *)&s->flush_timer))
            uv_timer_start(&s->flush_timer, on_flush_timer, FINAL_FLUSH_MS, 0);
        peer_flush(&s->client);
        return;
    }
    finish(s);
}

/*
 * The upstream can answer nothing more: its output ended and it exited, or one of the
 * two happened and pending_ms passed. Every pending request gets an error now.
 */
static void upstream_gone(struct session *s)
{
    uv_timer_stop(&s->drain_timer);
    s->gate.len = 0; /* what waited for the log has no server to go to */
    s->gate_eof = false;
    char msg[160];
    upstream_gone_msg(s, msg, sizeof(msg));
    fail_all_pending(s, RPC_UPSTREAM_GONE, msg);
    flush_all(s);
    if (!s->stopping)
        begin_shutdown(s, STOP_UPSTREAM, 0);
    else
        maybe_finish(s);
}

static void on_flush_timer(uv_timer_t *t)
{
    struct session *s = container_of(t, struct session, flush_timer);
    log_warn("client did not read its last %zu bytes; closing", peer_queued(&s->client));
    finish(s);
}

static void on_kill_timer(uv_timer_t *t)
{
    struct session *s = container_of(t, struct session, kill_timer);
    if (!s->proc.exited) {
        log_warn("upstream did not stop after SIGTERM; sending SIGKILL to its process group");
        s->killed_by_us = true;
        upstream_signal(&s->proc, SIGKILL);
    }
}

static void on_term_timer(uv_timer_t *t)
{
    struct session *s = container_of(t, struct session, term_timer);
    if (!s->proc.exited) {
        log_info("upstream still running; sending SIGTERM to its process group");
        s->killed_by_us = true;
        upstream_signal(&s->proc, SIGTERM);
        uv_timer_start(&s->kill_timer, on_kill_timer, s->cfg->kill_ms, 0);
    }
}

static void on_drain_timer(uv_timer_t *t)
{
    struct session *s = container_of(t, struct session, drain_timer);
    upstream_gone(s);
}

/* Seconds the exit waits for a log that writes nothing (a FIFO whose reader stopped). */
#define EXIT_LOG_STALL_S 5

/*
 * From shutdown on, once a second: while the log still writes, the exit waits for it (every
 * record matters); once it has written nothing for EXIT_LOG_STALL_S seconds, sentinel says so
 * and exits without the records still waiting, instead of ignoring SIGTERM forever.
 */
static void on_exit_watch(uv_timer_t *t)
{
    struct session *s = t->data;
    uint64_t p = audit_write_progress();
    if (p != s->watch_progress) {
        s->watch_progress = p;
        s->watch_idle = 0;
        return;
    }
    if (++s->watch_idle < EXIT_LOG_STALL_S)
        return;
    log_error("the audit log has written nothing for %d s while sentinel stops (a FIFO whose "
              "reader stopped?): exiting without the records still waiting",
              EXIT_LOG_STALL_S);
    _exit(74);
}

static void begin_shutdown(struct session *s, enum stop_reason why, int sig)
{
    if (s->stopping) {
        if (why == STOP_SIGNAL && !s->proc.exited) {
            /* a signal during a graceful stop makes it immediate */
            uv_timer_stop(&s->term_timer);
            on_term_timer(&s->term_timer);
        }
        return;
    }
    s->stopping = true;
    s->stop = why;
    s->stop_signal = sig;
    if (s->cfg->audit_path != NULL) {
        s->exit_watch.data = s;
        s->watch_progress = audit_write_progress();
        uv_timer_start(&s->exit_watch, on_exit_watch, 1000, 1000);
    }
    peer_read_stop(&s->client);
    /* EOF to the server once what it is owed has been written (after the gate, if any) */
    if (s->gate.len > 0)
        s->gate_eof = true;
    else
        peer_shutdown_write(&s->up);
    if (!s->proc.exited) {
        unsigned delay = why == STOP_CLIENT_EOF ? s->cfg->grace_ms : 0;
        uv_timer_start(&s->term_timer, on_term_timer, delay, 0);
    }
    update_flow(s);
    maybe_finish(s);
}

/* ---- hot reload (SIGHUP) --------------------------------------------------------------
 * The new file is read and compiled on the thread pool; the swap happens on the loop
 * between two messages, so every decision is made whole under one policy. A file that
 * does not load changes nothing: the old policy stays and the error is logged and
 * audited. Requests already decided keep the decision they got. */

static void start_reload(struct session *s);

/* Read a small text file whole (at most 1 MiB). 0 or -errno. */
static int read_small_file(const char *path, char **out)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    char *buf = malloc((1u << 20) + 1);
    size_t got = 0;
    int rc = 0;
    while (buf != NULL && got < (1u << 20)) {
        ssize_t r = read(fd, buf + got, (1u << 20) - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            rc = -errno;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (buf == NULL)
        return -ENOMEM;
    if (rc < 0) {
        free(buf);
        return rc;
    }
    buf[got] = '\0';
    *out = buf;
    return 0;
}

static void reload_work(uv_work_t *w)
{
    struct reload *r = container_of(w, struct reload, work);
    r->rc = r->s->cfg->load_policy(r->s->cfg->policy_path, &r->policy, &r->diag);
    if (r->rc == 0 && r->s->guard != NULL)
        guard_prep_build(r->s->guard, r->policy, &r->prep);
    if (r->s->cfg->invalidations != NULL)
        r->inval_err = read_small_file(r->s->cfg->invalidations, &r->inval);
}

/*
 * Can the session honour what policy p demands of the audit log? NULL when it can (and it
 * now does: recording arguments, stronger fsync), else why not.
 */
static const char *audit_fits(struct session *s, const struct policy *p)
{
    if (p->audit.required && s->audit == NULL)
        return "the policy requires an audit log (audit.required) and this session has none; "
               "restart with --audit FILE";
    if (p->audit.arguments == AUDIT_ARGS_NONE && s->audit_args)
        return "the policy forbids recording arguments (audit.arguments: none) and this session "
               "records them (--audit-arguments)";
    if (p->audit.arguments == AUDIT_ARGS_FULL)
        s->audit_args = true;
    if (p->audit.fsync == AUDIT_FSYNC_COMMIT)
        s->audit_commit = true; /* like the level, a policy only raises it */
    int want = p->audit.fsync >= AUDIT_FSYNC_ALWAYS     ? AUDIT_SYNC_ALWAYS
               : p->audit.fsync == AUDIT_FSYNC_INTERVAL ? AUDIT_SYNC_INTERVAL
                                                        : AUDIT_SYNC_NEVER;
    if (s->audit != NULL && want > s->audit_fsync) {
        s->audit_fsync = want;
        audit_set_fsync(s->audit, want);
    }
    if (p->sandbox.set)
        log_warn("the policy's sandbox (egress, spawn) is not enforced: this build has no kernel "
                 "monitor");
    return NULL;
}

static void reload_done(uv_work_t *w, int status)
{
    struct reload *r = container_of(w, struct reload, work);
    struct session *s = r->s;
    s->reload = NULL;
    rec_reset(s);
    const char *unfit = NULL;
    char gerr[256] = "";
    if (r->prep.rc < 0)
        snprintf(gerr, sizeof(gerr), "%s", r->prep.err);
    if (s->guard != NULL)
        guard_prep_install(s->guard, &r->prep); /* frees what it does not keep */
    if (status == 0 && r->rc == 0 && !s->closing && s->guard != NULL &&
        (r->prep.rc < 0 || guard_prepare(s->guard, r->policy, gerr, sizeof(gerr)) < 0)) {
        r->rc = SE_EPOLICY;
        r->diag.line = 0;
        r->diag.file = r->policy->source;
        snprintf(r->diag.msg, sizeof(r->diag.msg), "%s", gerr);
    }
    if (status == 0 && r->rc == 0 && !s->closing && (unfit = audit_fits(s, r->policy)) != NULL) {
        r->rc = SE_EPOLICY;
        r->diag.line = 0;
        r->diag.file = r->policy->source;
        snprintf(r->diag.msg, sizeof(r->diag.msg), "%s", unfit);
    }
    if (status == 0 && r->rc == 0 && !s->closing) {
        struct policy *old = s->policy;
        s->policy = r->policy;
        r->policy = NULL;
        policy_free(old);
        log_warn("policy reloaded from %s (%zu rules)", s->policy->source, s->policy->nrules);
        if (s->policy->identity.require_token && s->cfg->token_exp == 0)
            log_error("the reloaded policy requires a verified agent identity "
                      "(identity.require: token) and this session's is not: every call is "
                      "denied until a reload lifts the requirement or sentinel restarts with "
                      "--agent-token and --trust-key");
        rec_str(&s->rec, "policy", s->policy->source, strlen(s->policy->source));
        rec_digest(s, "policy_hash", s->policy->text ? s->policy->text : "",
                   s->policy->text_len);
        buf_printf(&s->rec, ",\"ok\":true,\"rules\":%zu", s->policy->nrules);
    } else {
        char msg[400];
        if (r->diag.line > 0)
            snprintf(msg, sizeof(msg), "%s:%u:%u: %s", r->diag.file ? r->diag.file : "policy",
                     r->diag.line, r->diag.col, r->diag.msg);
        else
            snprintf(msg, sizeof(msg), "%s: %s", r->diag.file ? r->diag.file : "policy",
                     r->diag.msg[0] ? r->diag.msg : "reload cancelled");
        log_error("policy reload failed, keeping the policy in force: %s", msg);
        /* the file that was refused, and (when it was read) the hash of what it held */
        const char *path = s->cfg->policy_path ? s->cfg->policy_path : s->policy->source;
        rec_str(&s->rec, "policy", path, strlen(path));
        if (r->policy != NULL && r->policy->text != NULL)
            rec_digest(s, "policy_hash", r->policy->text, r->policy->text_len);
        rec_str(&s->rec, "error", msg, strlen(msg));
        buf_printf(&s->rec, ",\"ok\":false");
    }
    audit_emit(s, "policy_reload");
    if (s->cfg->invalidations != NULL) {
        if (r->inval_err < 0)
            log_error("invalidations file %s: %s", s->cfg->invalidations,
                      strerror(-r->inval_err));
        else
            apply_invalidations(s, r->inval);
    }
    free(r->inval);
    policy_free(r->policy);
    free(r);
    if (s->reload_again && !s->closing) {
        s->reload_again = false;
        start_reload(s);
    }
}

static void start_reload(struct session *s)
{
    if (s->reload != NULL) {
        s->reload_again = true; /* load once more when this one is done */
        return;
    }
    struct reload *r = calloc(1, sizeof(*r));
    if (r == NULL) {
        log_error("policy reload: out of memory");
        return;
    }
    r->s = s;
    if (uv_queue_work(&s->loop, &r->work, reload_work, reload_done) < 0) {
        log_error("policy reload: cannot queue the work");
        free(r);
        return;
    }
    s->reload = r;
}

static void on_sighup(uv_signal_t *h, int sig)
{
    struct session *s = h->data;
    (void)sig;
    s->pins_resync = true; /* take in approvals made with `sentinel pins approve` */
    s->dirty = true;
    if (s->cfg->load_policy == NULL || s->stopping)
        return;
    log_info("SIGHUP: reloading the policy");
    start_reload(s);
}

static void on_signal(uv_signal_t *h, int sig)
{
    struct session *s = h->data;
    log_info("received signal %d; stopping", sig);
    begin_shutdown(s, STOP_SIGNAL, sig);
}

static void on_sigchld(uv_signal_t *h, int sig)
{
    struct session *s = h->data;
    (void)sig;
    bool was = s->proc.exited;
    if (!upstream_reap(&s->proc) || was)
        return;
    int st = s->proc.status;
    if (WIFEXITED(st))
        log_info("upstream exited with status %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        log_info("upstream killed by signal %d", WTERMSIG(st));
    rec_reset(s);
    buf_printf(&s->rec, "\"status\":%d,\"signal\":%d,\"by_sentinel\":%s",
               WIFEXITED(st) ? WEXITSTATUS(st) : -1, WIFSIGNALED(st) ? WTERMSIG(st) : 0,
               s->killed_by_us ? "true" : "false");
    audit_emit(s, "upstream_exit");
    uv_timer_stop(&s->term_timer);
    uv_timer_stop(&s->kill_timer);
    /* whatever else is in its group goes with it */
    kill(-s->proc.pid, SIGKILL);
    if (s->up_eof)
        upstream_gone(s);
    else /* let its last output drain (a grandchild may hold the pipe: bounded wait) */
        uv_timer_start(&s->drain_timer, on_drain_timer, s->cfg->pending_ms, 0);
}

static void on_client_eof(struct peer *p, int status)
{
    struct session *s = p->owner;
    s->client_eof = true;
    if (framer_pending(&p->framer) > 0)
        log_warn("client input ended inside a message (%zu bytes); discarded",
                 framer_pending(&p->framer));
    if (status < 0)
        log_warn("client input failed: %s", uv_strerror(status));
    flush_all(s);
    begin_shutdown(s, STOP_CLIENT_EOF, 0);
}

static void on_upstream_eof(struct peer *p, int status)
{
    struct session *s = p->owner;
    s->up_eof = true;
    if (status < 0)
        log_warn("reading from upstream failed: %s", uv_strerror(status));
    if (framer_pending(&p->framer) > 0)
        log_warn("upstream output ended inside a message (%zu bytes); discarded",
                 framer_pending(&p->framer));
    flush_all(s);
    bool was = s->proc.exited;
    on_sigchld(&s->sig_chld, SIGCHLD); /* reaps, records, and calls upstream_gone */
    if (was)
        upstream_gone(s);
    else if (!s->proc.exited) /* wait briefly for its exit status, so the errors can say what happened */
        uv_timer_start(&s->drain_timer, on_drain_timer, s->cfg->pending_ms, 0);
}

static int exit_status(const struct session *s)
{
    if (s->exit_status != 0)
        return s->exit_status;
    if (s->stop == STOP_SIGNAL)
        return 128 + s->stop_signal;
    int st = s->proc.status;
    if (s->stop == STOP_CLIENT_EOF) {
        if (s->killed_by_us)
            return RUN_OK;
        if (WIFEXITED(st))
            return WEXITSTATUS(st);
        if (WIFSIGNALED(st))
            return 128 + WTERMSIG(st);
        return RUN_OK;
    }
    if (s->stop == STOP_UPSTREAM) {
        if (s->killed_by_us) /* it closed its output and had to be stopped */
            return RUN_UPSTREAM_EOF;
        if (s->proc.exited && WIFEXITED(st))
            return WEXITSTATUS(st) ? WEXITSTATUS(st) : RUN_UPSTREAM_EOF;
        if (s->proc.exited && WIFSIGNALED(st))
            return 128 + WTERMSIG(st);
        return RUN_UPSTREAM_EOF;
    }
    return RUN_INTERNAL;
}

void run_config_defaults(struct run_config *c)
{
    memset(c, 0, sizeof(*c));
    c->max_message = 64u << 20;
    c->max_depth = JSON_DEFAULT_MAX_DEPTH;
    c->max_pending = 4096;
    c->queue_limit = 4u << 20;
    c->grace_ms = 1000;
    c->kill_ms = 1000;
    c->pending_ms = 200;
    c->approval_ms = 60000;
    c->client_in_fd = 0;
    c->client_out_fd = 1;
}

/* ---- the control socket (control/control.h) ---------------------------------------- */

/* `status`: what an operator asks a running session. */
static int status_for_control(void *ctx, struct buf *out)
{
    struct session *s = ctx;
    const struct run_config *cfg = s->cfg;
    const char *sid = cfg->session_id ? cfg->session_id : "";
    rec_str(out, "session", sid, strlen(sid));
    rec_str(out, "run_id", s->run_id, strlen(s->run_id));
    if (cfg->agent != NULL)
        rec_str(out, "agent", cfg->agent, strlen(cfg->agent));
    else
        rec_raw(out, "agent", "null", 4);
    rec_key(out, "roles");
    buf_putc(out, '[');
    for (size_t i = 0; i < cfg->nroles; i++) {
        buf_append(out, i ? ",\"" : "\"", i ? 2 : 1);
        buf_json_escape(out, cfg->roles[i], strlen(cfg->roles[i]));
        buf_putc(out, '"');
    }
    buf_putc(out, ']');
    if (cfg->identity != NULL)
        rec_str(out, "identity", cfg->identity, strlen(cfg->identity));
    else
        rec_raw(out, "identity", "null", 4);
    if (cfg->token_exp != 0) {
        char when[40];
        seal_fmt_time(cfg->token_exp, when, sizeof(when));
        rec_str(out, "token_expires", when, strlen(when));
    } else {
        rec_raw(out, "token_expires", "null", 4);
    }
    buf_printf(out, ",\"identity_expired\":%s", token_expired(s) ? "true" : "false");
    const char *refused = identity_refused(s);
    if (refused != NULL)
        rec_str(out, "identity_refused", refused, strlen(refused));
    else
        rec_raw(out, "identity_refused", "null", 4);
    if (s->server_known)
        rec_str(out, "server", s->server, strlen(s->server));
    else
        rec_raw(out, "server", "null", 4);
    rec_str(out, "policy", s->policy->source, strlen(s->policy->source));
    if (s->policy->name != NULL)
        rec_str(out, "policy_name", s->policy->name, strlen(s->policy->name));
    rec_str(out, "mode", cfg->observe ? "observe" : "enforce", 7); /* both 7 bytes */
    buf_printf(out, ",\"decisions\":%" PRIu64 ",\"pending\":%zu,\"server_pending\":%zu",
               s->decisions, s->client_reqs.count, s->server_reqs.count);
    rec_labels(out, "labels", &s->labels);
    buf_printf(out, ",\"invalidated\":{\"requests\":%zu,\"tools\":%zu,\"server\":%s}",
               s->ninval_req, s->ninval_tool, s->inval_server ? "true" : "false");
    if (s->audit != NULL) {
        const char *path = audit_path(s->audit);
        int err = audit_error(s->audit);
        buf_append(out, ",\"audit\":{", 10);
        buf_append(out, "\"path\":\"", 8);
        buf_json_escape(out, path ? path : "", path ? strlen(path) : 0);
        buf_printf(out, "\",\"records\":%" PRIu64 ",\"unwritten\":%" PRIu64 ",\"error\":",
                   audit_records(s->audit), audit_unwritten(s->audit));
        if (err != 0) {
            buf_putc(out, '"');
            buf_json_escape(out, err_str(err), strlen(err_str(err)));
            buf_putc(out, '"');
        } else {
            buf_append(out, "null", 4);
        }
        buf_putc(out, '}');
    } else {
        rec_raw(out, "audit", "null", 4);
    }
    return buf_printf(out, ",\"stopping\":%s", s->stopping ? "true" : "false");
}

/* `invalidate`: exactly what an invalidations-file line does, audited with "via":"control". */
/* `sentinel ctl track`: a value the operator marks while the session runs. */
static int track_for_control(void *ctx, const char *value, size_t len, const char (*labels)[65],
                             size_t nlabels, struct buf *out, char *msg, size_t msglen)
{
    struct session *s = ctx;
    struct labelset set = {0};
    for (size_t i = 0; i < nlabels; i++) {
        int id = label_intern(labels[i], strlen(labels[i]));
        if (id < 0) {
            snprintf(msg, msglen, "params.labels: '%s': %s", labels[i],
                     id == -ENOSPC ? "too many distinct labels" : "not a label name");
            return id;
        }
        labelset_add(&set, id);
    }
    if (nlabels == 0) {
        int id = label_intern(GUARD_LABEL_SECRET, strlen(GUARD_LABEL_SECRET));
        if (id < 0)
            return id;
        labelset_add(&set, id);
    }
    bool is_new = false;
    char digest[65];
    int rc = s->guard ? guard_mark(s->guard, value, len, &set, "ctl", &is_new, digest, msg, msglen)
                      : -ENOSYS;
    if (rc < 0)
        return rc;
    rec_reset(s);
    rec_str(&s->rec, "value", digest, strlen(digest));
    rec_labels(&s->rec, "labels", &set);
    rec_raw(&s->rec, "new", is_new ? "true" : "false", is_new ? 4 : 5);
    rec_str(&s->rec, "via", "control", 7);
    audit_emit(s, "track");
    log_warn("tracking a value the operator marked via control (%s)", digest);
    return buf_printf(out, "\"ok\":true,\"new\":%s,\"value\":\"%s\"", is_new ? "true" : "false",
                      digest);
}

static int invalidate_for_control(void *ctx, int kind, const char *value, struct buf *out)
{
    struct session *s = ctx;
    int sources = 0;
    int rc = invalidate_one(s, ctl_inval_name(kind), value, "control", &sources);
    if (rc < 0)
        return rc;
    return buf_printf(out, "\"ok\":true,\"new\":%s,\"sources\":%d", rc ? "true" : "false",
                      sources);
}

static void make_run_id(char out[17])
{
    unsigned char r[8] = {0};
    if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
        uint64_t t = now_ns() ^ ((uint64_t)getpid() << 32);
        memcpy(r, &t, sizeof(r));
    }
    for (int i = 0; i < 8; i++)
        snprintf(out + 2 * i, 3, "%02x", r[i]);
}

static int setup_signals(struct session *s)
{
    struct {
        uv_signal_t *h;
        int sig;
        uv_signal_cb cb;
    } sigs[] = {{&s->sig_term, SIGTERM, on_signal},
                {&s->sig_int, SIGINT, on_signal},
                {&s->sig_hup, SIGHUP, on_sighup},
                {&s->sig_chld, SIGCHLD, on_sigchld}};
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        sigs[i].h->data = s;
        int rc = uv_signal_start(sigs[i].h, sigs[i].cb, sigs[i].sig);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* What the pin store learnt after its last background write (a change seen just before the
 * client left) is written before the session ends: the next session must see it pending. */
static void save_pins_at_exit(struct session *s)
{
    const char *path;
    struct pin_store *ps = s->guard != NULL ? guard_pins_file(s->guard, &path) : NULL;
    if (ps == NULL || !pins_dirty(ps))
        return;
    char err[256];
    buf_reset(&s->pins_text);
    buf_reset(&s->pins_merged);
    int rc = pins_serialize(ps, &s->pins_text);
    if (rc == 0)
        rc = pins_sync_file(path, s->pins_text.data, s->pins_text.len, &s->pins_merged, err,
                            sizeof(err));
    else
        snprintf(err, sizeof(err), "%s", err_str(rc));
    if (rc < 0)
        log_error("the pin store could not be written at exit: %s", err);
}

int session_run(const struct run_config *cfg)
{
    struct session *s = calloc(1, sizeof(*s));
    char err[512] = "";
    int status = RUN_INTERNAL;
    bool loop_ready = false, procs = false;
    char *deferred_inval = NULL;
    if (s == NULL)
        return RUN_INTERNAL;
    s->cfg = cfg;
    s->policy = cfg->policy;
    s->audit_args = cfg->audit_arguments;
    if (cfg->server_id != NULL) {
        snprintf(s->server, sizeof(s->server), "%s", cfg->server_id);
        s->server_known = true;
    }
    s->limits = limits_new();
    make_run_id(s->run_id);
    json_doc_init(&s->doc, cfg->max_depth, JSON_DEFAULT_MAX_NODES);
    json_doc_init(&s->doc2, cfg->max_depth, JSON_DEFAULT_MAX_NODES);
    buf_init(&s->scratch, cfg->max_message);
    buf_init(&s->keybuf, RPC_MAX_ID_LEN * 4 + 16);
    buf_init(&s->out, cfg->max_message + 4096);
    buf_init(&s->rewrite, cfg->max_message + 64);
    buf_init(&s->tasknote, cfg->max_message + 64);
    buf_init(&s->rec, cfg->max_message + 4096);
    /* the client pauses at queue_limit; one read's worth of messages may land on top */
    buf_init(&s->gate, cfg->queue_limit * 4 + cfg->max_message + 4096);
    buf_init(&s->pins_text, (size_t)256 << 20);
    buf_init(&s->pins_merged, (size_t)256 << 20);
    if (inflight_init(&s->client_reqs, cfg->max_pending) < 0 ||
        inflight_init(&s->server_reqs, cfg->max_pending) < 0 ||
        inflight_init(&s->tasks, cfg->max_pending) < 0)
        goto out;

    signal(SIGPIPE, SIG_IGN);
    /* block SIGCHLD until the loop watches it, so an early exit is not lost */
    int rc = upstream_spawn(&s->proc, cfg->argv, err, sizeof(err));
    if (rc < 0) {
        log_error("%s", err);
        status = RUN_SPAWN;
        goto out;
    }
    procs = true;

    if ((rc = uv_loop_init(&s->loop)) < 0) {
        log_error("uv_loop_init: %s", uv_strerror(rc));
        goto out;
    }
    loop_ready = true;
    uv_timer_init(&s->loop, &s->term_timer);
    uv_timer_init(&s->loop, &s->kill_timer);
    uv_timer_init(&s->loop, &s->drain_timer);
    uv_timer_init(&s->loop, &s->flush_timer);
    uv_timer_init(&s->loop, &s->relist_timer);
    uv_timer_init(&s->loop, &s->exit_watch);
    uv_unref((uv_handle_t *)&s->exit_watch); /* never what keeps the loop running */
    uv_check_init(&s->loop, &s->flush_check);
    s->flush_check.data = s;
    uv_check_start(&s->flush_check, on_flush_check);
    uv_signal_init(&s->loop, &s->sig_term);
    uv_signal_init(&s->loop, &s->sig_int);
    uv_signal_init(&s->loop, &s->sig_hup);
    uv_signal_init(&s->loop, &s->sig_chld);
    if ((rc = setup_signals(s)) < 0) {
        log_error("signal setup: %s", uv_strerror(rc));
        goto out_loop;
    }
    size_t hard = cfg->queue_limit * 4 + cfg->max_message + 4096;
    if ((rc = peer_init(&s->client, &s->loop, "client", cfg->client_in_fd, cfg->client_out_fd,
                        cfg->max_message, hard, err, sizeof(err))) < 0 ||
        (rc = peer_init(&s->up, &s->loop, "upstream", s->proc.stdout_fd, s->proc.stdin_fd,
                        cfg->max_message, hard, err, sizeof(err))) < 0) {
        log_error("%s", err);
        status = RUN_IO;
        goto out_loop;
    }
    s->proc.stdin_fd = s->proc.stdout_fd = -1; /* the peer owns them now */
    s->client.owner = s->up.owner = s;
    s->client.on_line = on_client_line;
    s->client.on_toobig = on_client_toobig;
    s->client.on_eof = on_client_eof;
    s->up.on_line = on_upstream_line;
    s->up.on_toobig = on_upstream_toobig;
    s->up.on_eof = on_upstream_eof;
    s->client.on_batch = s->up.on_batch = on_batch_done;
    s->client.on_drain = s->up.on_drain = on_drain;
    s->client.on_close = s->up.on_close = on_peer_closed;

    if (cfg->audit_path != NULL) {
        if ((rc = audit_open(&s->audit, &s->loop, cfg->audit_path, cfg->audit_keys, err,
                             sizeof(err))) < 0) {
            log_error("%s", err);
            status = RUN_IO;
            goto out_loop;
        }
        s->audit_fsync = cfg->audit_fsync;
        s->audit_commit = cfg->audit_commit;
        audit_set_fsync(s->audit, cfg->audit_fsync);
        audit_set_session(s->audit, cfg->session_id);
        audit_on_drained(s->audit, on_audit_drained, s);
        audit_on_durable(s->audit, on_audit_durable, s);
        audit_set_rotate(s->audit, cfg->audit_rotate);
        if (cfg->audit_checkpoint > 0)
            audit_set_checkpoint(s->audit, cfg->audit_checkpoint);
    }
    if (cfg->approval != NULL) {
        const char *dev = strcmp(cfg->approval, "tty") == 0 ? "/dev/tty" : cfg->approval + 4;
        if ((rc = approver_open(&s->approver, &s->loop, dev, cfg->approval_ms, err,
                                sizeof(err))) < 0) {
            log_error("--approval: %s", err);
            status = RUN_IO;
            goto out_loop;
        }
    } else if (s->policy->has_approve && !cfg->observe) {
        log_warn("the policy has approve rules and no approver is configured (--approval tty): "
                 "those calls will be denied");
    }
    struct guard_opts go = {.pins_path = cfg->pins_path};
    if ((rc = guard_new(&s->guard, &go, err, sizeof(err))) < 0 ||
        (rc = guard_prepare(s->guard, s->policy, err, sizeof(err))) < 0) {
        log_error("%s", err[0] ? err : err_str(rc));
        status = rc == SE_EINPUT ? RUN_NOINPUT : RUN_IO;
        goto out_loop;
    }
    if (cfg->invalidations != NULL) {
        char *text = NULL;
        if ((rc = read_small_file(cfg->invalidations, &text)) < 0 && rc != -ENOENT) {
            log_error("--invalidations %s: %s", cfg->invalidations, strerror(-rc));
            status = RUN_IO;
            goto out_loop;
        }
        deferred_inval = text; /* applied once the audit log is open */
    }
    const char *unfit = audit_fits(s, s->policy);
    if (unfit != NULL) {
        log_error("%s", unfit);
        status = RUN_USAGE;
        goto out_loop;
    }
    if (s->audit != NULL) {
        rec_reset(s);
        rec_str(&s->rec, "run_id", s->run_id, strlen(s->run_id));
        rec_str(&s->rec, "policy", s->policy->source, strlen(s->policy->source));
        if (s->policy->name)
            rec_str(&s->rec, "policy_name", s->policy->name, strlen(s->policy->name));
        rec_digest(s, "policy_hash", s->policy->text ? s->policy->text : "",
                   s->policy->text_len);
        rec_str(&s->rec, "upstream", cfg->argv[0], strlen(cfg->argv[0]));
        if (cfg->agent != NULL)
            rec_str(&s->rec, "agent", cfg->agent, strlen(cfg->agent));
        if (cfg->identity != NULL)
            rec_str(&s->rec, "identity", cfg->identity, strlen(cfg->identity));
        buf_printf(&s->rec, ",\"audit_signed\":%s,\"checkpoint_every\":%" PRIu64,
                   cfg->audit_keys ? "true" : "false", audit_checkpoint_every(s->audit));
        static const char *const syncs[] = {"never", "interval", "always"};
        buf_printf(&s->rec, ",\"pid\":%d,\"mode\":\"%s\",\"fsync\":\"%s\"", (int)s->proc.pid,
                   cfg->observe ? "observe" : "enforce",
                   s->audit_commit ? "commit" : syncs[s->audit_fsync]);
        if (s->policy->sandbox.set)
            buf_printf(&s->rec, ",\"sandbox\":\"not enforced (no kernel monitor)\"");
        audit_emit(s, "start");
    }
    if (cfg->session_id != NULL)
        log_info("session %s", cfg->session_id);
    if (cfg->control_path != NULL) {
        struct control_opts co = {.path = cfg->control_path,
                                  .session_id = cfg->session_id,
                                  .session_keys = cfg->session_keys,
                                  .idle_ms = cfg->control_idle_ms,
                                  .ctx = s,
                                  .status = status_for_control,
                                  .invalidate = invalidate_for_control,
                                  .track = track_for_control};
        if ((rc = control_open(&s->control, &s->loop, &co, err, sizeof(err))) < 0) {
            log_error("%s", err);
            status = rc == -EEXIST || rc == -EADDRINUSE || rc == -ENAMETOOLONG || rc == -EINVAL
                         ? RUN_USAGE
                         : RUN_IO;
            goto out_loop;
        }
        log_info("control socket %s (session id in %s.session)", cfg->control_path,
                 cfg->control_path);
    }
    if (deferred_inval != NULL) {
        apply_invalidations(s, deferred_inval);
        free(deferred_inval);
        deferred_inval = NULL;
    }
    /* the child may already have exited before the SIGCHLD watcher existed */
    on_sigchld(&s->sig_chld, SIGCHLD);

    peer_read_start(&s->client);
    peer_read_start(&s->up);
    uv_run(&s->loop, UV_RUN_DEFAULT);
    status = exit_status(s);
    save_pins_at_exit(s);
    /* a log that failed midway (every later call denied, or served unrecorded) is no clean
     * run: the exit status says so to a supervisor, as stderr said it when it happened */
    if (status == RUN_OK && s->audit != NULL && audit_error(s->audit) != 0)
        status = RUN_IO;

    if (s->audit) {
        rec_reset(s);
        buf_printf(&s->rec, "\"exit_status\":%d,\"decisions\":%" PRIu64 ",\"audit_syncs\":%" PRIu64,
                   status, s->decisions, audit_syncs(s->audit));
        audit_emit(s, "stop");
        audit_close(s->audit);
        s->audit = NULL;
        uv_run(&s->loop, UV_RUN_DEFAULT);
    }
out_loop:
    if (s->audit) {
        audit_close(s->audit);
        s->audit = NULL;
    }
    if (!s->closing)
        finish(s);
    uv_run(&s->loop, UV_RUN_DEFAULT);
    if (loop_ready && !uv_is_closing((uv_handle_t *)&s->exit_watch)) {
        uv_close((uv_handle_t *)&s->exit_watch, NULL);
        uv_run(&s->loop, UV_RUN_DEFAULT);
    }
    if (uv_loop_close(&s->loop) != 0) {
        log_error("internal: handles left open at exit");
        if (status == RUN_OK)
            status = RUN_INTERNAL;
    }
    loop_ready = false;
out:
    if (loop_ready)
        uv_loop_close(&s->loop);
    if (procs)
        upstream_cleanup(&s->proc);
    peer_cleanup(&s->client);
    peer_cleanup(&s->up);
    inflight_cleanup(&s->client_reqs);
    inflight_cleanup(&s->server_reqs);
    inflight_cleanup(&s->tasks);
    json_doc_cleanup(&s->doc);
    json_doc_cleanup(&s->doc2);
    buf_cleanup(&s->scratch);
    buf_cleanup(&s->keybuf);
    buf_cleanup(&s->out);
    buf_cleanup(&s->rewrite);
    buf_cleanup(&s->tasknote);
    buf_cleanup(&s->rec);
    buf_cleanup(&s->gate);
    policy_free(s->policy);
    limits_free(s->limits);
    guard_free(s->guard);
    free(deferred_inval);
    for (size_t i = 0; i < s->ninval_req; i++)
        free(s->inval_req[i]);
    for (size_t i = 0; i < s->ninval_tool; i++)
        free(s->inval_tool[i]);
    buf_cleanup(&s->pins_text);
    buf_cleanup(&s->pins_merged);
    free(s);
    return status;
}
