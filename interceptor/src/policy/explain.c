/*
 * explain.c - the reasons behind a decision, rule by rule. The decision itself always
 * comes from policy_eval, so what `explain` prints is what `run` enforces; the walk here
 * only annotates the rules that were passed over.
 */
#include "policy/explain.h"

#include <stdio.h>
#include <string.h>

#include "policy/glob.h"

static void jstr(struct buf *b, const char *s, size_t n)
{
    buf_putc(b, '"');
    buf_json_escape(b, s, n);
    buf_putc(b, '"');
}

static bool any_glob(const struct pattern *pats, size_t n, const char *s, size_t len)
{
    for (size_t k = 0; k < n; k++)
        if (glob_match(pats[k].text, pats[k].len, s, len))
            return true;
    return false;
}

/* Why rule r does not decide req; NULL when it does. */
static const char *why_not(const struct rule *r, const struct policy_request *req, char *tmp,
                           size_t tmplen)
{
    if (!(r->methods & req->method)) {
        snprintf(tmp, tmplen, "does not apply to %s", pmethod_name(req->method));
        return tmp;
    }
    if (r->ntools > 0) {
        if (req->name == NULL)
            return "names tools, and the request has no name";
        if (!any_glob(r->tools, r->ntools, req->name, req->name_len))
            return "the name matches none of its tools patterns";
    }
    if (r->nresources > 0) {
        if (req->uri == NULL)
            return "names resources, and the request has no URI";
        if (!any_glob(r->resources, r->nresources, req->uri, req->uri_len))
            return "the URI matches none of its resources patterns";
    }
    if (r->nagents > 0 && (req->agent == NULL ||
                           !any_glob(r->agents, r->nagents, req->agent, req->agent_len)))
        return req->agent ? "the agent matches none of its agents patterns"
                          : "names agents, and the agent is unidentified";
    if (r->nroles > 0) {
        bool hit = false;
        for (size_t i = 0; i < req->nroles && !hit; i++)
            hit = any_glob(r->roles, r->nroles, req->roles[i], strlen(req->roles[i]));
        if (!hit)
            return "the agent has none of its roles";
    }
    if (r->nservers > 0 && req->server != NULL &&
        !any_glob(r->servers, r->nservers, req->server, req->server_len))
        return "the server matches none of its servers patterns";
    if (r->taint != NULL && !taint_match_holds(r->taint, req->labels))
        return "the session's labels do not satisfy its taint test";
    if (r->when != NULL) {
        int rc = cond_eval(r->when, req->args, 0, req->facts);
        if (rc == 0)
            return "its condition is false for these arguments";
        if (rc < 0)
            return NULL; /* undecidable: it decides (deny) */
    }
    return NULL;
}

int policy_explain(const struct policy *p, const struct policy_request *req, bool why,
                   struct buf *out)
{
    struct decision d;
    policy_eval(p, req, &d);
    buf_append(out, "{\"effect\":", 10);
    jstr(out, effect_name(d.effect), strlen(effect_name(d.effect)));
    buf_append(out, ",\"rule\":", 8);
    jstr(out, d.rule_id, strlen(d.rule_id));
    buf_append(out, ",\"reason\":", 10);
    jstr(out, d.reason, strlen(d.reason));
    if (d.rule != NULL && d.rule->line > 0)
        buf_printf(out, ",\"line\":%u", d.rule->line);
    if (d.nobserved > 0) {
        buf_append(out, ",\"observed\":[", 13);
        for (unsigned i = 0; i < d.nobserved; i++) {
            if (i > 0)
                buf_putc(out, ',');
            jstr(out, d.observed[i]->id, strlen(d.observed[i]->id));
        }
        buf_putc(out, ']');
    }
    if (why) {
        buf_append(out, ",\"why\":[", 8);
        bool first = true;
        for (size_t i = 0; i < p->nrules; i++) {
            const struct rule *r = &p->rules[i];
            if (r == d.rule)
                break;
            char tmp[96];
            const char *because = why_not(r, req, tmp, sizeof(tmp));
            bool observed = because == NULL && r->effect == EFFECT_OBSERVE;
            if (observed)
                because = "matches; an observe rule records and lets later rules decide";
            if (because == NULL)
                because = "matches, yet did not decide (internal inconsistency)";
            if (!first)
                buf_putc(out, ',');
            first = false;
            buf_append(out, "{\"rule\":", 8);
            jstr(out, r->id, strlen(r->id));
            buf_printf(out, ",\"line\":%u,\"matched\":%s,\"because\":", r->line,
                       observed ? "true" : "false");
            jstr(out, because, strlen(because));
            buf_putc(out, '}');
        }
        buf_putc(out, ']');
    }
    return buf_putc(out, '}');
}
