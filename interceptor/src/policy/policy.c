/*
 * policy.c - evaluation of a compiled policy, and its release. Evaluation walks the
 * rules in order (first match wins); it allocates nothing and cannot fail, so a decision
 * is always available on the data path.
 */
#include "policy/policy.h"

#include <stdlib.h>

#include "policy/glob.h"

const char *effect_name(enum effect e)
{
    switch (e) {
    case EFFECT_ALLOW:
        return "allow";
    case EFFECT_DENY:
        return "deny";
    }
    return "?";
}

void policy_eval_tool(const struct policy *p, const char *name, size_t len, struct decision *out)
{
    for (size_t i = 0; i < p->nrules; i++) {
        const struct rule *r = &p->rules[i];
        for (size_t k = 0; k < r->ntools; k++) {
            if (!glob_match(r->tools[k].text, r->tools[k].len, name, len))
                continue;
            out->effect = r->effect;
            out->rule = r;
            out->rule_id = r->id;
            out->reason = r->reason ? r->reason
                                    : (r->effect == EFFECT_DENY ? "denied by policy"
                                                                : "allowed by policy");
            return;
        }
    }
    out->effect = p->default_effect;
    out->rule = NULL;
    out->rule_id = "default";
    out->reason = p->default_effect == EFFECT_DENY ? "no rule allows this tool (default: deny)"
                                                   : "no rule matched (default: allow)";
}

void policy_free(struct policy *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->nrules; i++) {
        struct rule *r = &p->rules[i];
        free(r->id);
        free(r->reason);
        for (size_t k = 0; k < r->ntools; k++)
            free(r->tools[k].text);
        free(r->tools);
    }
    free(p->rules);
    free(p->name);
    free(p->source);
    free(p);
}
