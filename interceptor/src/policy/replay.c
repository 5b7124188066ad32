/*
 * replay.c - a candidate policy against the decisions an audit log recorded. The decision
 * always comes from policy_eval, so replay predicts what `run` would enforce; the code here
 * only reads records, rebuilds requests and compares. It must never guess: a record the
 * candidate cannot decide from what the log holds is reported as such, never as a change.
 * The log is hostile input: read a bounded line at a time, every field checked.
 */
#include "policy/replay.h"
#include "policy/logread.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "base/buf.h"
#include "mcp/frame.h"
#include "mcp/json.h"
#include "mcp/uri.h"
#include "policy/glob.h"

#define SUB_MAX_NODES 65536u /* elements of "labels" or "roles" */

struct replay {
    const struct policy *p; /* borrowed */
    struct replay_opts o;
    struct replay_stats st;
    int fd;
    bool own_fd, eof, torn;
    uint64_t lineno;       /* of the line being replayed */
    uint64_t lines_framed; /* lines the framer returned so far */
    struct framer in;
    struct json_doc rec;  /* the record: members indexed */
    struct json_doc sub;  /* "labels", then "roles": elements indexed */
    struct json_doc args; /* "arguments": indexed in full, like run does for conditions */
    struct buf name, uri, agent, server, tmp; /* unescaped strings */
    struct buf uri_args; /* a resources/read's params, {"uri": ...}, for its conditions */
    struct buf uri_seen; /* its URI as run's rules read it */
    struct buf roles_text;                    /* roles, each NUL-terminated */
    size_t *role_off;
    const char **roles;
    size_t roles_cap;
    struct buf out; /* the item handed out by replay_next */
    /* rules whose decision may read the arguments (`when`, or a budget summing one), in order */
    size_t *sens;
    size_t nsens;
};

static const char *const kind_names[REPLAY_NKINDS] = {
    [REPLAY_UNCHANGED] = "unchanged",
    [REPLAY_NEWLY_DENIED] = "newly_denied",
    [REPLAY_NEWLY_ALLOWED] = "newly_allowed",
    [REPLAY_NEWLY_APPROVAL] = "newly_approval",
    [REPLAY_NO_LONGER_APPROVAL] = "no_longer_approval",
    [REPLAY_NEWLY_REDACTED] = "newly_redacted",
    [REPLAY_NO_LONGER_REDACTED] = "no_longer_redacted",
    [REPLAY_RULE_CHANGED] = "rule_changed",
    [REPLAY_NEEDS_ARGUMENTS] = "needs_arguments",
    [REPLAY_LIMITED] = "limited",
};

const char *replay_kind_name(enum replay_kind k)
{
    return (unsigned)k < REPLAY_NKINDS ? kind_names[k] : "?";
}

bool replay_kind_is_change(enum replay_kind k)
{
    return k != REPLAY_UNCHANGED && k != REPLAY_NEEDS_ARGUMENTS && k != REPLAY_LIMITED &&
           (unsigned)k < REPLAY_NKINDS;
}

/* ---- setup ---------------------------------------------------------------------------- */

static int init(struct replay *r, const struct policy *p, const struct replay_opts *o)
{
    if (p->needs_facts && o->facts == NULL)
        return -EINVAL; /* threat scores would read as absent: every such condition false */
    r->p = p;
    r->o = *o;
    if (r->o.max_line == 0)
        r->o.max_line = REPLAY_DEFAULT_MAX_LINE;
    size_t lim = r->o.max_line;
    framer_init(&r->in, lim);
    json_doc_init(&r->rec, REPLAY_MAX_DEPTH, 0);
    json_doc_init(&r->sub, 2, SUB_MAX_NODES);
    json_doc_init(&r->args, REPLAY_MAX_DEPTH - 1, 0);
    buf_init(&r->name, lim);
    buf_init(&r->uri, lim);
    buf_init(&r->agent, lim);
    buf_init(&r->server, lim);
    buf_init(&r->tmp, lim);
    buf_init(&r->uri_args, 6 * lim + 16);
    buf_init(&r->uri_seen, lim + URI_CANON_SLACK);
    buf_init(&r->roles_text, lim);
    /* raw copies of the record's strings (a line's worth at most), and the policy's rule
     * ids and reasons escaped (a policy file is at most 4 MiB) */
    buf_init(&r->out, lim + (128u << 20));
    for (size_t i = 0; i < p->nrules; i++) {
        const struct rule *x = &p->rules[i];
        if (x->effect != EFFECT_OBSERVE && (x->when != NULL || x->budget_sum != NULL))
            r->nsens++;
    }
    if (r->nsens > 0) {
        r->sens = calloc(r->nsens, sizeof(*r->sens));
        if (r->sens == NULL)
            return -ENOMEM;
        size_t k = 0;
        for (size_t i = 0; i < p->nrules; i++) {
            const struct rule *x = &p->rules[i];
            if (x->effect != EFFECT_OBSERVE && (x->when != NULL || x->budget_sum != NULL))
                r->sens[k++] = i;
        }
    }
    return 0;
}

int replay_open(struct replay **out, const struct policy *p, const char *path,
                const struct replay_opts *o)
{
    *out = NULL;
    struct replay *r = calloc(1, sizeof(*r));
    if (r == NULL)
        return -ENOMEM;
    r->fd = -1;
    int rc = init(r, p, o);
    if (rc < 0)
        goto fail;
    if ((rc = file_open_input(path, &r->fd, &r->own_fd)) < 0)
        goto fail;
    *out = r;
    return 0;
fail:
    replay_free(r);
    return rc;
}

void replay_free(struct replay *r)
{
    if (r == NULL)
        return;
    if (r->own_fd)
        close(r->fd);
    framer_cleanup(&r->in);
    json_doc_cleanup(&r->rec);
    json_doc_cleanup(&r->sub);
    json_doc_cleanup(&r->args);
    buf_cleanup(&r->name);
    buf_cleanup(&r->uri);
    buf_cleanup(&r->agent);
    buf_cleanup(&r->server);
    buf_cleanup(&r->tmp);
    buf_cleanup(&r->uri_args);
    buf_cleanup(&r->uri_seen);
    buf_cleanup(&r->roles_text);
    buf_cleanup(&r->out);
    free(r->role_off);
    free(r->roles);
    free(r->sens);
    free(r);
}

const struct replay_stats *replay_stats(const struct replay *r)
{
    return &r->st;
}

uint64_t replay_changes(const struct replay *r)
{
    uint64_t n = 0;
    for (unsigned k = 0; k < REPLAY_NKINDS; k++)
        if (replay_kind_is_change((enum replay_kind)k))
            n += r->st.kinds[k];
    return n;
}

/* ---- reading a record ----------------------------------------------------------------- */

/* What a decision record says, as nodes of r->rec (0 = absent) and the request it made. */
struct record {
    uint32_t seq, did, method, target, target_key, dir, effect, rule, reason, approval;
    enum effect was;
    bool args_known; /* "arguments" was recorded (an object, or null for none) */
    struct labelset labels;
    struct policy_request req;
};

/* Count a skipped line and hand out why, with anything unprintable replaced by '?'. */
static int bad(struct replay *r, struct replay_item *it, uint64_t line, const char *msg)
{
    r->st.bad++;
    buf_reset(&r->out);
    buf_append(&r->out, msg, strlen(msg));
    for (size_t i = 0; i < r->out.len; i++)
        if ((unsigned char)r->out.data[i] < 0x20 || (unsigned char)r->out.data[i] >= 0x7f)
            r->out.data[i] = '?';
    it->bad = true;
    it->line = line;
    it->text = r->out.data ? r->out.data : "";
    it->len = r->out.len;
    return 1;
}

/* Member `key` of the record when it is a string: its unescaped bytes in *s (via scratch).
 * 1 present, 0 absent, -1 present but not a string. */
static int member_str(struct replay *r, const char *key, uint32_t *node, struct buf *scratch,
                      const char **s, size_t *n)
{
    uint32_t x = json_get(&r->rec, 0, key, strlen(key));
    if (node != NULL)
        *node = x;
    if (x == 0)
        return 0;
    if (r->rec.nodes[x].type != JSON_STRING)
        return -1;
    if (s != NULL && json_str(&r->rec, x, scratch, s, n) < 0)
        return -1;
    return 1;
}

/* Parse member node x (an array of strings) into r->sub. NULL, or what is wrong. */
static const char *read_string_array(struct replay *r, uint32_t x)
{
    const struct json_node *n = &r->rec.nodes[x];
    struct diag d = {0};
    if (n->type != JSON_ARRAY)
        return "must be an array of strings";
    if (json_parse(&r->sub, r->rec.text + n->start, n->end - n->start, 1, &d) < 0)
        return "must be an array of strings";
    if (r->sub.truncated)
        return "holds too many entries";
    for (uint32_t e = json_first(&r->sub, 0); e != 0; e = r->sub.nodes[e].next)
        if (r->sub.nodes[e].type != JSON_STRING)
            return "must be an array of strings";
    return NULL;
}

static const char *read_labels(struct replay *r, struct record *rc)
{
    uint32_t x = json_getz(&r->rec, 0, "labels");
    if (x == 0)
        return NULL; /* none known: the session had no labels */
    const char *why = read_string_array(r, x);
    if (why != NULL)
        return why;
    for (uint32_t e = json_first(&r->sub, 0); e != 0; e = r->sub.nodes[e].next) {
        const char *s;
        size_t n;
        if (json_str(&r->sub, e, &r->tmp, &s, &n) < 0)
            return "must be an array of strings";
        /* a name the candidate never interned is in none of its rules: it cannot change a
         * decision, so it is left out rather than added to the process-wide table */
        int id = label_find(s, n);
        if (id >= 0)
            labelset_add(&rc->labels, id);
    }
    rc->req.labels = &rc->labels;
    return NULL;
}

static const char *read_roles(struct replay *r, struct record *rc)
{
    uint32_t x = json_getz(&r->rec, 0, "roles");
    if (x == 0)
        return NULL;
    const char *why = read_string_array(r, x);
    if (why != NULL)
        return why;
    buf_reset(&r->roles_text);
    size_t n = 0;
    for (uint32_t e = json_first(&r->sub, 0); e != 0; e = r->sub.nodes[e].next, n++) {
        const char *s;
        size_t len;
        if (json_str(&r->sub, e, &r->tmp, &s, &len) < 0)
            return "must be an array of strings";
        if (memchr(s, '\0', len) != NULL)
            return "must not hold NUL characters";
        if (n == r->roles_cap) {
            size_t cap = r->roles_cap ? r->roles_cap * 2 : 16;
            size_t *off = realloc(r->role_off, cap * sizeof(*off));
            if (off == NULL)
                return "could not be read (out of memory)";
            r->role_off = off;
            const char **ptrs = realloc(r->roles, cap * sizeof(*ptrs));
            if (ptrs == NULL)
                return "could not be read (out of memory)";
            r->roles = ptrs;
            r->roles_cap = cap;
        }
        r->role_off[n] = r->roles_text.len;
        if (buf_append(&r->roles_text, s, len) < 0 || buf_putc(&r->roles_text, '\0') < 0)
            return "could not be read (too large)";
    }
    for (size_t i = 0; i < n; i++)
        r->roles[i] = r->roles_text.data + r->role_off[i];
    rc->req.roles = r->roles;
    rc->req.nroles = n;
    return NULL;
}

static enum effect effect_of(struct replay *r, uint32_t node)
{
    static const enum effect effects[] = {EFFECT_ALLOW, EFFECT_DENY, EFFECT_REDACT, EFFECT_APPROVE};
    for (size_t i = 0; i < sizeof(effects) / sizeof(effects[0]); i++) {
        const char *name = effect_name(effects[i]);
        if (json_str_eq(&r->rec, node, name, strlen(name)))
            return effects[i];
    }
    return 0;
}

/*
 * Read decision record r->rec into rc. NULL, or what makes it unreadable (static text or
 * r->tmp's contents).
 */
static const char *read_decision(struct replay *r, struct record *rc)
{
    const char *s;
    size_t n;
    int k;
    memset(rc, 0, sizeof(*rc));
    if ((k = member_str(r, "method", &rc->method, &r->tmp, &s, &n)) <= 0)
        return k == 0 ? "decision record without \"method\"" : "\"method\" must be a string";
    rc->req.method = pmethod_of(s, n);
    if (rc->req.method == 0)
        return "decision record for a method policies do not decide";
    if ((k = member_str(r, "effect", &rc->effect, NULL, NULL, NULL)) <= 0 ||
        (rc->was = effect_of(r, rc->effect)) == 0)
        return k == 0 ? "decision record without \"effect\""
                      : "\"effect\" must be allow, deny, redact or approve";
    if ((k = member_str(r, "rule", &rc->rule, NULL, NULL, NULL)) <= 0)
        return k == 0 ? "decision record without \"rule\"" : "\"rule\" must be a string";
    if (member_str(r, "reason", &rc->reason, NULL, NULL, NULL) < 0)
        return "\"reason\" must be a string";
    if (member_str(r, "approval", &rc->approval, NULL, NULL, NULL) < 0)
        return "\"approval\" must be a string";
    if (member_str(r, "decision_id", &rc->did, NULL, NULL, NULL) < 0)
        return "\"decision_id\" must be a string";
    if (member_str(r, "direction", &rc->dir, NULL, NULL, NULL) < 0)
        return "\"direction\" must be a string";
    rc->seq = json_getz(&r->rec, 0, "seq");
    if (rc->seq != 0 && r->rec.nodes[rc->seq].type != JSON_NUMBER)
        return "\"seq\" must be a number";

    /* the target: "tool" for tools/call, "name" for prompts and completion refs, "uri" */
    const char *name_key = rc->req.method == PM_TOOLS_CALL ? "tool" : "name";
    uint32_t nn, un;
    if ((k = member_str(r, name_key, &nn, &r->name, &s, &n)) < 0)
        return rc->req.method == PM_TOOLS_CALL ? "\"tool\" must be a string"
                                               : "\"name\" must be a string";
    if (k == 1) {
        rc->req.name = s;
        rc->req.name_len = n;
    }
    if ((k = member_str(r, "uri", &un, &r->uri, &s, &n)) < 0)
        return "\"uri\" must be a string";
    if (k == 1) { /* recorded as sent; run's rules read it canonical (mcp/uri.h) */
        if (uri_canon(s, n, &r->uri_seen) < 0)
            return "\"uri\" cannot be read (run refuses a non-ASCII host of a special URL)";
        rc->req.uri = r->uri_seen.data ? r->uri_seen.data : "";
        rc->req.uri_len = r->uri_seen.len;
    }
    if (rc->req.method == PM_TOOLS_CALL && nn == 0)
        return "tools/call decision without \"tool\"";
    if (rc->req.method == PM_PROMPTS_GET && nn == 0)
        return "prompts/get decision without \"name\"";
    if (rc->req.method == PM_RESOURCES_READ && un == 0)
        return "resources/read decision without \"uri\"";
    rc->target = nn ? nn : un;
    rc->target_key = nn ? (rc->req.method == PM_TOOLS_CALL ? 1 : 2) : un ? 3 : 0;

    /* who asked, and the session's state */
    if ((k = member_str(r, "agent", NULL, &r->agent, &s, &n)) < 0)
        return "\"agent\" must be a string";
    if (k == 1) {
        rc->req.agent = s;
        rc->req.agent_len = n;
    }
    if ((k = member_str(r, "server", NULL, &r->server, &s, &n)) < 0)
        return "\"server\" must be a string";
    if (k == 1) {
        rc->req.server = s;
        rc->req.server_len = n;
    }
    const char *why;
    if ((why = read_labels(r, rc)) != NULL) {
        buf_reset(&r->tmp);
        buf_printf(&r->tmp, "\"labels\" %s", why);
        buf_putc(&r->tmp, '\0');
        return r->tmp.data ? r->tmp.data : "\"labels\" cannot be read";
    }
    if ((why = read_roles(r, rc)) != NULL) {
        buf_reset(&r->tmp);
        buf_printf(&r->tmp, "\"roles\" %s", why);
        buf_putc(&r->tmp, '\0');
        return r->tmp.data ? r->tmp.data : "\"roles\" cannot be read";
    }

    /* the arguments, when the run recorded them (--audit-arguments); null: there were none */
    uint32_t a = json_getz(&r->rec, 0, "arguments");
    if (a != 0) {
        const struct json_node *an = &r->rec.nodes[a];
        if (an->type != JSON_OBJECT && an->type != JSON_NULL)
            return "\"arguments\" must be an object or null";
        rc->args_known = true;
        if (an->type == JSON_OBJECT && r->p->needs_args) {
            /* conditions may look anywhere below the arguments: index all of them */
            struct diag d = {0};
            if (json_parse(&r->args, r->rec.text + an->start, an->end - an->start,
                           REPLAY_MAX_DEPTH - 1, &d) < 0)
                return "\"arguments\" cannot be read";
            rc->req.args = &r->args;
        }
    } else if (rc->req.method == PM_RESOURCES_READ && r->p->needs_args) {
        /* a resources/read's conditions read its params, and the URI is all they hold as the
         * log shows them: {"uri": ...} */
        struct diag d = {0};
        buf_reset(&r->uri_args);
        if (buf_append(&r->uri_args, "{\"uri\":\"", 8) < 0 ||
            buf_json_escape(&r->uri_args, rc->req.uri, rc->req.uri_len) < 0 ||
            buf_append(&r->uri_args, "\"}", 2) < 0 ||
            json_parse(&r->args, r->uri_args.data, r->uri_args.len, 2, &d) < 0)
            return "\"uri\" cannot be read";
        rc->args_known = true;
        rc->req.args = &r->args;
    }
    return NULL;
}

/* ---- deciding ------------------------------------------------------------------------- */

static bool glob_any(const struct pattern *pats, size_t n, const char *s, size_t len)
{
    for (size_t k = 0; k < n; k++)
        if (glob_match(pats[k].text, pats[k].len, s, len))
            return true;
    return false;
}

/*
 * Could rule x match req for some arguments? Errs on the side of yes: it answers no only
 * where the request certainly falls outside the rule (method, name, URI, a known server,
 * agent or roles, the labels).
 */
static bool may_target(const struct rule *x, const struct policy_request *req)
{
    if (!(x->methods & req->method))
        return false;
    /* names and URIs as the evaluator reads them: a list and no value never match */
    if (x->ntools > 0 &&
        (req->name == NULL || !glob_any(x->tools, x->ntools, req->name, req->name_len)))
        return false;
    if (x->nresources > 0 &&
        (req->uri == NULL || !glob_any(x->resources, x->nresources, req->uri, req->uri_len)))
        return false;
    if (x->nservers > 0 && req->server != NULL &&
        !glob_any(x->servers, x->nservers, req->server, req->server_len))
        return false;
    if (x->nagents > 0 && req->agent != NULL &&
        !glob_any(x->agents, x->nagents, req->agent, req->agent_len))
        return false;
    if (x->nroles > 0 && req->nroles > 0) {
        bool any = false;
        for (size_t i = 0; i < req->nroles && !any; i++)
            any = glob_any(x->roles, x->nroles, req->roles[i], strlen(req->roles[i]));
        if (!any)
            return false;
    }
    if (x->taint != NULL) {
        static const struct labelset none;
        const struct labelset *l = req->labels ? req->labels : &none;
        if (!labelset_covers(l, &x->taint->all) || labelset_meets(l, &x->taint->none))
            return false;
        for (unsigned g = 0; g < x->taint->nany && g < TAINT_ANY_MAX; g++)
            if (!labelset_meets(l, &x->taint->any[g]))
                return false;
    }
    return true;
}

/*
 * Without the arguments, could another set of them change the candidate's decision d? The
 * first rule, up to the deciding one, whose `when` reads them (or the deciding rule's budget
 * summing one) and that may match; NULL when the decision stands whatever the arguments.
 */
static const struct rule *reads_arguments(const struct replay *r, const struct policy_request *req,
                                          const struct decision *d)
{
    size_t upto = r->p->nrules;
    uintptr_t lo = (uintptr_t)r->p->rules, at = (uintptr_t)d->rule;
    if (d->rule != NULL && at >= lo && at < lo + r->p->nrules * sizeof(struct rule))
        upto = (size_t)(d->rule - r->p->rules);
    for (size_t k = 0; k < r->nsens && r->sens[k] <= upto; k++) {
        const struct rule *x = &r->p->rules[r->sens[k]];
        if (x->when == NULL && x != d->rule)
            continue; /* a budget only matters on the rule that decides */
        if (may_target(x, req))
            return x;
    }
    return NULL;
}

static bool starts(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}

/* Was the recorded denial a budget's or a rate limit's (proxy/session.c, policy/limits.c)? */
static bool denied_by_limit(struct replay *r, const struct record *rc)
{
    const char *s;
    size_t n;
    if (rc->was != EFFECT_DENY || rc->reason == 0 ||
        json_str(&r->rec, rc->reason, &r->tmp, &s, &n) < 0)
        return false;
    return starts(s, n, "budget '") || starts(s, n, "rate limit of ") ||
           starts(s, n, "budget and rate state") || starts(s, n, "budget state unavailable");
}

static enum replay_kind compare(struct replay *r, const struct record *rc, const struct decision *d)
{
    enum effect was = rc->was, now = d->effect;
    if (now == was)
        return json_str_eq(&r->rec, rc->rule, d->rule_id, strlen(d->rule_id)) ? REPLAY_UNCHANGED
                                                                              : REPLAY_RULE_CHANGED;
    if (now == EFFECT_DENY)
        return REPLAY_NEWLY_DENIED;
    if (now == EFFECT_APPROVE)
        return REPLAY_NEWLY_APPROVAL;
    if (was == EFFECT_DENY)
        return REPLAY_NEWLY_ALLOWED;
    if (was == EFFECT_APPROVE)
        return REPLAY_NO_LONGER_APPROVAL;
    if (now == EFFECT_REDACT)
        return REPLAY_NEWLY_REDACTED;
    return REPLAY_NO_LONGER_REDACTED;
}

/* ---- output --------------------------------------------------------------------------- */

/* <sep>"key":<the node's JSON text, verbatim> */
static int put_raw(struct buf *b, char sep, const char *key, const struct json_doc *doc,
                   uint32_t node)
{
    const struct json_node *n = &doc->nodes[node];
    int rc = buf_printf(b, "%c\"%s\":", sep, key);
    return rc < 0 ? rc : buf_append(b, doc->text + n->start, n->end - n->start);
}

/* <sep>"key":"<s, escaped>" */
static int put_str(struct buf *b, char sep, const char *key, const char *s, size_t n)
{
    int rc = buf_printf(b, "%c\"%s\":\"", sep, key);
    if (rc == 0)
        rc = buf_json_escape(b, s, n);
    return rc < 0 ? rc : buf_putc(b, '"');
}

#define PUT(call)                                                                                  \
    do {                                                                                           \
        if (rc == 0)                                                                               \
            rc = (call);                                                                           \
    } while (0)

/* Why a record could not be decided, in r->tmp. */
static void explain_undecided(struct replay *r, enum replay_kind kind, const struct rule *x)
{
    buf_reset(&r->tmp);
    if (kind == REPLAY_LIMITED)
        buf_printf(&r->tmp,
                   "a budget or rate limit denied it when recorded, and the candidate's rule "
                   "'%s' (line %u) has one too: replay does not evaluate budgets or rates",
                   x->id, x->line);
    else if (x->when != NULL)
        buf_printf(&r->tmp,
                   "the candidate's rule '%s' (line %u) has a condition on the arguments, and "
                   "the log holds none (record with sentinel run --audit-arguments)",
                   x->id, x->line);
    else
        buf_printf(&r->tmp,
                   "the candidate's rule '%s' (line %u) has a budget summing an argument, and "
                   "the log holds none (record with sentinel run --audit-arguments)",
                   x->id, x->line);
}

/* The JSON line for one record, as *it. 0, or -ENOBUFS when it does not fit. */
static int report(struct replay *r, struct replay_item *it, const struct record *c,
                  const struct decision *d, enum replay_kind kind, const struct rule *why_rule)
{
    static const char *const target_keys[] = {NULL, "tool", "name", "uri"};
    struct json_doc *doc = &r->rec;
    struct buf *b = &r->out;
    int rc = 0;
    buf_reset(b);
    PUT(buf_printf(b, "{\"line\":%llu", (unsigned long long)r->lineno));
    if (c->seq)
        PUT(put_raw(b, ',', "seq", doc, c->seq));
    if (c->did)
        PUT(put_raw(b, ',', "decision_id", doc, c->did));
    PUT(put_raw(b, ',', "method", doc, c->method));
    if (c->target)
        PUT(put_raw(b, ',', target_keys[c->target_key], doc, c->target));
    if (c->target_key == 2 && c->req.uri != NULL) /* a completion ref with both */
        PUT(put_raw(b, ',', "uri", doc, json_getz(doc, 0, "uri")));
    if (c->dir)
        PUT(put_raw(b, ',', "direction", doc, c->dir));
    PUT(buf_append(b, ",\"was\":", 7));
    PUT(put_raw(b, '{', "effect", doc, c->effect));
    PUT(put_raw(b, ',', "rule", doc, c->rule));
    if (c->approval)
        PUT(put_raw(b, ',', "approval", doc, c->approval));
    if (kind == REPLAY_LIMITED && c->reason)
        PUT(put_raw(b, ',', "reason", doc, c->reason));
    PUT(buf_putc(b, '}'));
    if (kind != REPLAY_NEEDS_ARGUMENTS) {
        const char *e = effect_name(d->effect);
        PUT(buf_append(b, ",\"now\":", 7));
        PUT(put_str(b, '{', "effect", e, strlen(e)));
        PUT(put_str(b, ',', "rule", d->rule_id, strlen(d->rule_id)));
        PUT(put_str(b, ',', "reason", d->reason, strlen(d->reason)));
        PUT(buf_putc(b, '}'));
    }
    const char *k = replay_kind_name(kind);
    PUT(put_str(b, ',', "change", k, strlen(k)));
    if (why_rule != NULL) {
        explain_undecided(r, kind, why_rule);
        PUT(put_str(b, ',', "why", r->tmp.data ? r->tmp.data : "", r->tmp.len));
    }
    PUT(buf_append(b, "}\n", 2));
    if (rc < 0)
        return rc;
    it->bad = false;
    it->line = r->lineno;
    it->text = b->data;
    it->len = b->len;
    return 0;
}

/* ---- driving -------------------------------------------------------------------------- */

int replay_line(struct replay *r, uint64_t lineno, const char *line, size_t len, bool torn,
                struct replay_item *it)
{
    char msg[400];
    r->lineno = lineno;
    r->st.lines++;
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n'))
        i++;
    if (i == len)
        return 0; /* blank */
    struct diag d = {0};
    if (json_parse(&r->rec, line, len, 1, &d) < 0) {
        const char *end = torn ? " (the log ends mid-record)" : "";
        if (d.col > 0)
            snprintf(msg, sizeof(msg), "not valid JSON: %s at byte %u%s", d.msg, d.col, end);
        else
            snprintf(msg, sizeof(msg), "not valid JSON: %s%s", d.msg, end);
        return bad(r, it, lineno, msg);
    }
    if (r->rec.nodes[0].type != JSON_OBJECT)
        return bad(r, it, lineno, "not a JSON object");
    if (r->rec.truncated)
        return bad(r, it, lineno, "a record with too many members");
    r->st.records++;
    uint32_t ev;
    int k = member_str(r, "event", &ev, NULL, NULL, NULL);
    if (k <= 0)
        return bad(r, it, lineno,
                   k == 0 ? "a record without \"event\"" : "\"event\" must be a string");
    if (!json_str_eqz(&r->rec, ev, "decision"))
        return 0; /* start, policy_load, list_filter, stop, ...: nothing to replay */
    uint32_t rule;
    if (member_str(r, "rule", &rule, NULL, NULL, NULL) > 0 &&
        json_str_eqz(&r->rec, rule, "other-messages"))
        return 0; /* a message no rule decides (taint.other_messages): no rule to replay */

    struct record rc;
    const char *why = read_decision(r, &rc);
    if (why != NULL)
        return bad(r, it, lineno, why);
    /* threat scores of the recorded arguments, as run computes them before deciding */
    struct cond_facts facts = {0};
    bool unscanned = false;
    if (r->p->needs_facts && rc.args_known) {
        unscanned = r->o.facts(r->o.facts_ctx, rc.req.args, &facts) < 0;
        rc.req.facts = &facts;
    }
    struct decision dec;
    policy_eval(r->p, &rc.req, &dec);
    if (unscanned) /* run fails closed the same way (proxy/session.c) */
        dec = (struct decision){
            .effect = EFFECT_DENY, .rule_id = "guard", .reason = COND_FACTS_UNSCANNED};
    enum replay_kind kind;
    const struct rule *why_rule = NULL;
    if (!rc.args_known && (why_rule = reads_arguments(r, &rc.req, &dec)) != NULL) {
        kind = REPLAY_NEEDS_ARGUMENTS;
    } else if (dec.effect != EFFECT_DENY && dec.rule != NULL &&
               (dec.rule->budget_key != NULL || dec.rule->rate_calls > 0) &&
               denied_by_limit(r, &rc)) {
        kind = REPLAY_LIMITED;
        why_rule = dec.rule;
    } else {
        kind = compare(r, &rc, &dec);
    }
    int shown = 0;
    if (kind != REPLAY_UNCHANGED || r->o.all) {
        if (report(r, it, &rc, &dec, kind, why_rule) < 0)
            return bad(r, it, lineno, "the report of this record is too large to print");
        shown = 1;
    }
    r->st.decisions++;
    if (kind != REPLAY_NEEDS_ARGUMENTS && kind != REPLAY_LIMITED)
        r->st.replayed++;
    r->st.kinds[kind]++;
    return shown;
}

int replay_next(struct replay *r, struct replay_item *it)
{
    memset(it, 0, sizeof(*it));
    for (;;) {
        const char *line;
        size_t len;
        enum frame_status s;
        while ((s = framer_next(&r->in, &line, &len)) != FRAME_NONE) {
            int k;
            uint64_t no = ++r->lines_framed;
            if (s == FRAME_TOOBIG) {
                char msg[160];
                r->lineno = no;
                r->st.lines++;
                snprintf(msg, sizeof(msg),
                         "a line of %zu bytes, longer than the limit (%zu); skipped",
                         framer_dropped_size(&r->in), r->o.max_line);
                k = bad(r, it, no, msg);
            } else {
                k = replay_line(r, no, line, len, r->torn, it);
            }
            if (k != 0)
                return k;
        }
        if (r->eof)
            return 0;
        int rc = logread_fill(&r->in, r->fd, &r->eof, &r->torn);
        if (rc < 0)
            return rc;
    }
}

int replay_summary(const struct replay *r, struct buf *out)
{
    const struct replay_stats *s = &r->st;
    int rc = buf_printf(out, "%llu lines, %llu records, %llu decisions, %llu replayed\n",
                        (unsigned long long)s->lines, (unsigned long long)s->records,
                        (unsigned long long)s->decisions, (unsigned long long)s->replayed);
    for (unsigned k = 0; k < REPLAY_NKINDS && rc == 0; k++)
        rc = buf_printf(out, "  %-20s %llu\n", replay_kind_name((enum replay_kind)k),
                        (unsigned long long)s->kinds[k]);
    if (rc == 0)
        rc = buf_printf(out, "  %-20s %llu\n", "bad_lines", (unsigned long long)s->bad);
    return rc;
}
