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

static void decide(const struct rule *r, struct decision *out)
{
    out->effect = r->effect;
    out->rule = r;
    out->rule_id = r->id;
    out->reason = r->reason ? r->reason
                            : (r->effect == EFFECT_DENY     ? "denied by policy"
                               : r->effect == EFFECT_REDACT ? "forwarded with fields masked"
                                                            : "allowed by policy");
}

/* The first rule among the cursor's candidates that matches decides, else the default. */
static void eval_walk(const struct policy *p, const struct policy_request *req,
                      struct policy_cursor *c, struct decision *out)
{
    for (size_t i; (i = policy_cursor_next(c)) != POLICY_CURSOR_END;) {
        const struct rule *r = &p->rules[i];
        if (!rule_targets(r, req->method, req->name, req->name_len, req->uri, req->uri_len))
            continue;
        if (r->when != NULL) {
            int rc = cond_eval(r->when, req->args, 0);
            if (rc < 0) {
                /* cannot decide: fail closed, naming the rule that could not be evaluated */
                out->effect = EFFECT_DENY;
                out->rule = r;
                out->rule_id = r->id;
                out->reason = "the rule's condition could not be evaluated (argument beyond "
                              "the index limits or regex over its match limit); failing closed";
                return;
            }
            if (rc == 0)
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

static bool may_allow_walk(const struct policy *p, unsigned method, const char *name, size_t len,
                           const char *uri, size_t uri_len, struct policy_cursor *c)
{
    for (size_t i; (i = policy_cursor_next(c)) != POLICY_CURSOR_END;) {
        const struct rule *r = &p->rules[i];
        if (!rule_targets(r, method, name, len, uri, uri_len))
            continue;
        if (r->effect != EFFECT_DENY)
            return true; /* allowed at least for the arguments its condition accepts */
        if (r->when == NULL)
            return false; /* denied whatever the arguments */
        /* a conditional deny: other arguments fall through to later rules */
    }
    return p->default_effect == EFFECT_ALLOW;
}

bool policy_may_allow(const struct policy *p, unsigned method, const char *name, size_t len,
                      const char *uri, size_t uri_len)
{
    struct policy_cursor c;
    policy_cursor_start(&c, p, method, name, len, uri, uri_len);
    return may_allow_walk(p, method, name, len, uri, uri_len, &c);
}

bool policy_may_allow_linear(const struct policy *p, unsigned method, const char *name, size_t len,
                             const char *uri, size_t uri_len)
{
    struct policy_cursor c;
    policy_cursor_linear(&c, p);
    return may_allow_walk(p, method, name, len, uri, uri_len, &c);
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
        for (size_t k = 0; k < r->ntools; k++)
            free(r->tools[k].text);
        free(r->tools);
        for (size_t k = 0; k < r->nresources; k++)
            free(r->resources[k].text);
        free(r->resources);
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
    free(p->name);
    free(p->source);
    free(p);
}
