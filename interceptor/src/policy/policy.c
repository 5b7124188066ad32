/*
 * policy.c - evaluation of a compiled policy, and its release. Evaluation visits the rules
 * that could match in rule order (first match wins): the index (policy/index.c) names them, the
 * linear walk visits all; both reach the same decision. It allocates nothing and cannot fail, so
 * a decision is always available on the data path.
 */
#include "policy/policy.h"

#include <stdlib.h>
#include <string.h>

#include "policy/glob.h"
#include "policy/index.h"

const char *effect_name(enum effect e)
{
    switch (e) {
    case EFFECT_ALLOW:
        return "allow";
    case EFFECT_DENY:
        return "deny";
    case EFFECT_REDACT:
        return "redact";
    case EFFECT_APPROVE:
        return "approve";
    case EFFECT_OBSERVE:
        return "observe";
    }
    return "?";
}

static const struct {
    unsigned bit;
    const char *name;
} methods[] = {
    {PM_TOOLS_CALL, "tools/call"},
    {PM_RESOURCES_READ, "resources/read"},
    {PM_PROMPTS_GET, "prompts/get"},
    {PM_COMPLETE, "completion/complete"},
    {PM_SAMPLING, "sampling/createMessage"},
    {PM_ELICITATION, "elicitation/create"},
    {PM_ROOTS, "roots/list"},
};

unsigned pmethod_of(const char *method, size_t len)
{
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
        if (strlen(methods[i].name) == len && memcmp(methods[i].name, method, len) == 0)
            return methods[i].bit;
    return 0;
}

const char *pmethod_name(unsigned bit)
{
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
        if (methods[i].bit == bit)
            return methods[i].name;
    return "?";
}

static bool any_glob(const struct pattern *pats, size_t n, const char *s, size_t len)
{
    if (n == 0)
        return true; /* no list: any value */
    if (s == NULL)
        return false; /* a list, but the request has no such value */
    for (size_t k = 0; k < n; k++)
        if (glob_match(pats[k].text, pats[k].len, s, len))
            return true;
    return false;
}

/* Method, name and URI match: the rule applies whatever `when` says. */
static bool rule_targets(const struct rule *r, unsigned method, const char *name, size_t name_len,
                         const char *uri, size_t uri_len)
{
    return (r->methods & method) && any_glob(r->tools, r->ntools, name, name_len) &&
           any_glob(r->resources, r->nresources, uri, uri_len);
}

enum ident { ID_MATCH, ID_NO, ID_UNKNOWN_SERVER };

/* The rule's servers, agents and roles against who is asking of whom. */
static enum ident identity(const struct rule *r, const struct policy_request *req)
{
    if (r->nagents > 0 &&
        (req->agent == NULL || !any_glob(r->agents, r->nagents, req->agent, req->agent_len)))
        return ID_NO; /* an unidentified agent is none of the named ones */
    if (r->nroles > 0) {
        bool hit = false;
        for (size_t i = 0; i < req->nroles && !hit; i++)
            hit = any_glob(r->roles, r->nroles, req->roles[i], strlen(req->roles[i]));
        if (!hit)
            return ID_NO;
    }
    if (r->nservers > 0) {
        if (req->server == NULL)
            return ID_UNKNOWN_SERVER;
        if (!any_glob(r->servers, r->nservers, req->server, req->server_len))
            return ID_NO;
    }
    return ID_MATCH;
}

bool taint_match_holds(const struct taint_match *t, const struct labelset *labels)
{
    static const struct labelset empty;
    if (labels == NULL)
        labels = &empty;
    if (!labelset_covers(labels, &t->all) || labelset_meets(labels, &t->none))
        return false;
    for (unsigned i = 0; i < t->nany; i++)
        if (!labelset_meets(labels, &t->any[i]))
            return false;
    return true;
}

static const char *default_reason(enum effect e)
{
    switch (e) {
    case EFFECT_DENY:
        return POLICY_DENY_REASON;
    case EFFECT_REDACT:
        return "forwarded with fields masked";
    case EFFECT_APPROVE:
        return "held for approval";
    default:
        return "allowed by policy";
    }
}

static void decide(const struct rule *r, struct decision *out)
{
    out->effect = r->effect;
    out->rule = r;
    out->rule_id = r->id;
    out->reason = r->reason ? r->reason : default_reason(r->effect);
}

static void fail_closed(const struct rule *r, const char *why, struct decision *out)
{
    out->effect = EFFECT_DENY;
    out->rule = r;
    out->rule_id = r->id;
    out->reason = why;
}

/*
 * The first rule among the cursor's candidates that matches decides, else the default.
 * Observe rules that match on the way are recorded and passed.
 */
static void eval_walk(const struct policy *p, const struct policy_request *req,
                      struct policy_cursor *c, struct decision *out)
{
    out->nobserved = 0;
    for (size_t i; (i = policy_cursor_next(c)) != POLICY_CURSOR_END;) {
        const struct rule *r = &p->rules[i];
        if (!rule_targets(r, req->method, req->name, req->name_len, req->uri, req->uri_len))
            continue;
        enum ident id = identity(r, req);
        if (id == ID_NO)
            continue;
        if (id == ID_UNKNOWN_SERVER) {
            if (r->effect == EFFECT_OBSERVE)
                continue;
            fail_closed(r,
                        "the rule names servers and the server's identity is not known yet; "
                        "failing closed",
                        out);
            return;
        }
        if (r->taint != NULL && !taint_match_holds(r->taint, req->labels))
            continue;
        if (r->when != NULL) {
            int rc = cond_eval(r->when, req->args, 0, req->facts);
            if (rc < 0) {
                if (r->effect == EFFECT_OBSERVE)
                    continue;
                /* cannot decide: fail closed, naming the rule that could not be evaluated */
                fail_closed(r,
                            "the rule's condition could not be evaluated (argument beyond "
                            "the index limits or regex over its match limit); failing closed",
                            out);
                return;
            }
            if (rc == 0)
                continue;
        }
        if (r->effect == EFFECT_OBSERVE) {
            if (out->nobserved < DECISION_OBSERVED_MAX)
                out->observed[out->nobserved++] = r;
            continue;
        }
        decide(r, out);
        return;
    }
    out->rule = NULL;
    out->rule_id = "default";
    if (req->method & PM_SERVER_REQUESTS) {
        /* `default` speaks for what the agent asks; a server's requests of the client are
         * allowed unless a rule denies them */
        out->effect = EFFECT_ALLOW;
        out->reason = "no rule matched (server requests are allowed unless a rule denies them)";
        return;
    }
    out->effect = p->default_effect;
    out->reason = p->default_effect == EFFECT_DENY ? "no rule allows this (default: deny)"
                                                   : "no rule matched (default: allow)";
}

void policy_eval(const struct policy *p, const struct policy_request *req, struct decision *out)
{
    struct policy_cursor c;
    policy_cursor_start(&c, p, req->method, req->name, req->name_len, req->uri, req->uri_len);
    eval_walk(p, req, &c, out);
}

void policy_eval_linear(const struct policy *p, const struct policy_request *req,
                        struct decision *out)
{
    struct policy_cursor c;
    policy_cursor_linear(&c, p);
    eval_walk(p, req, &c, out);
}

void policy_eval_tool(const struct policy *p, const char *name, size_t len, struct decision *out)
{
    struct policy_request req = {.method = PM_TOOLS_CALL, .name = name, .name_len = len};
    policy_eval(p, &req, out);
}

static bool may_allow_walk(const struct policy *p, const struct policy_request *req,
                           struct policy_cursor *c)
{
    for (size_t i; (i = policy_cursor_next(c)) != POLICY_CURSOR_END;) {
        const struct rule *r = &p->rules[i];
        if (r->effect == EFFECT_OBSERVE ||
            !rule_targets(r, req->method, req->name, req->name_len, req->uri, req->uri_len))
            continue;
        enum ident id = identity(r, req);
        if (id == ID_NO)
            continue;
        if (r->effect != EFFECT_DENY)
            return true; /* allowed at least for the arguments its condition accepts */
        if (r->when == NULL && r->taint == NULL && id == ID_MATCH)
            return false; /* denied whatever the arguments and labels */
        /* a conditional deny: other arguments, labels or servers fall through */
    }
    return p->default_effect == EFFECT_ALLOW;
}

bool policy_may_allow(const struct policy *p, const struct policy_request *req)
{
    struct policy_cursor c;
    policy_cursor_start(&c, p, req->method, req->name, req->name_len, req->uri, req->uri_len);
    return may_allow_walk(p, req, &c);
}

bool policy_may_allow_linear(const struct policy *p, const struct policy_request *req)
{
    struct policy_cursor c;
    policy_cursor_linear(&c, p);
    return may_allow_walk(p, req, &c);
}

static bool flow_matches(const struct taint_flow *f, const struct policy_request *req)
{
    if (!(f->methods & req->method) || !any_glob(f->tools, f->ntools, req->name, req->name_len) ||
        !any_glob(f->resources, f->nresources, req->uri, req->uri_len))
        return false;
    if (f->nservers > 0)
        return req->server != NULL && any_glob(f->servers, f->nservers, req->server,
                                               req->server_len);
    return true;
}

void policy_taint_flow(const struct policy *p, const struct policy_request *req,
                       struct labelset *add, struct labelset *del)
{
    memset(add, 0, sizeof(*add));
    memset(del, 0, sizeof(*del));
    for (size_t i = 0; i < p->nsources; i++)
        if (flow_matches(&p->sources[i], req))
            labelset_union(add, &p->sources[i].labels);
    for (size_t i = 0; i < p->nclears; i++)
        if (flow_matches(&p->clears[i], req))
            labelset_union(del, &p->clears[i].labels);
}

static void free_patterns(struct pattern *pats, size_t n)
{
    for (size_t k = 0; k < n; k++)
        free(pats[k].text);
    free(pats);
}

void policy_free(struct policy *p)
{
    if (p == NULL)
        return;
    policy_index_free(p->index); /* borrows the patterns: goes first */
    for (size_t i = 0; i < p->nrules; i++) {
        struct rule *r = &p->rules[i];
        free(r->id);
        free(r->reason);
        free_patterns(r->tools, r->ntools);
        free_patterns(r->resources, r->nresources);
        free_patterns(r->servers, r->nservers);
        free_patterns(r->agents, r->nagents);
        free_patterns(r->roles, r->nroles);
        free(r->taint);
        if (r->when != NULL) {
            cond_cleanup(r->when);
            free(r->when);
        }
        free(r->budget_key);
        free(r->budget_sum);
        for (size_t k = 0; k < r->nredact; k++)
            free(r->redact[k]);
        free(r->redact);
    }
    free(p->rules);
    for (int c = 0; c < 2; c++) {
        struct taint_flow *fl = c ? p->clears : p->sources;
        size_t n = c ? p->nclears : p->nsources;
        for (size_t i = 0; i < n; i++) {
            free_patterns(fl[i].tools, fl[i].ntools);
            free_patterns(fl[i].resources, fl[i].nresources);
            free_patterns(fl[i].servers, fl[i].nservers);
        }
        free(fl);
    }
    free_patterns(p->sinks, p->nsinks);
    for (size_t i = 0; i < p->nmarks; i++) {
        free(p->marks[i].env);
        free(p->marks[i].file);
    }
    free(p->marks);
    sandbox_cleanup(&p->sandbox);
    content_cleanup(p);
    free(p->name);
    free(p->description);
    free(p->text);
    free(p->source);
    free(p);
}
