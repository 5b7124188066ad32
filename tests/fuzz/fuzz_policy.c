/*
 * fuzz_policy.c - policy loading on arbitrary bytes, and the glob matcher on the same
 * bytes split at the first newline into (pattern, name). A loaded policy must be
 * internally consistent and decide every name; a refusal must say where and why. A glob
 * that passes glob_check must match in bounded time, and a literal must match itself.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "policy/glob.h"
#include "policy/policy.h"

static void check_decision(const struct policy *p, const char *name, size_t len)
{
    struct decision d;
    memset(&d, 0, sizeof(d));
    policy_eval_tool(p, name, len, &d);
    FUZZ_CHECK(d.effect >= EFFECT_ALLOW && d.effect <= EFFECT_APPROVE);
    FUZZ_CHECK(d.reason != NULL && d.rule_id != NULL);
    if (d.rule == NULL) {
        FUZZ_CHECK(d.effect == p->default_effect);
        FUZZ_CHECK(strcmp(d.rule_id, "default") == 0);
    } else {
        FUZZ_CHECK(d.rule >= p->rules && d.rule < p->rules + p->nrules);
        FUZZ_CHECK(d.rule->effect != EFFECT_OBSERVE);
        /* the rule's effect, or a denial when it cannot be decided (fail closed) */
        FUZZ_CHECK(d.effect == d.rule->effect || d.effect == EFFECT_DENY);
        FUZZ_CHECK(d.rule_id == d.rule->id);
    }
}

static void check_policy(const struct policy *p)
{
    bool deny = p->default_effect == EFFECT_DENY;
    FUZZ_CHECK(p->source != NULL);
    for (size_t i = 0; i < p->nrules; i++) {
        const struct rule *r = &p->rules[i];
        FUZZ_CHECK(r->id != NULL && r->id[0] != '\0');
        FUZZ_CHECK(r->effect >= EFFECT_ALLOW && r->effect <= EFFECT_OBSERVE);
        FUZZ_CHECK(r->ntools > 0 || r->nresources > 0 || r->methods != 0 || r->when != NULL);
        deny |= r->effect == EFFECT_DENY || r->effect == EFFECT_APPROVE;
        /* rules that need labels or an identity, and observe rules, never decide a bare call */
        bool decides = r->effect != EFFECT_OBSERVE && r->taint == NULL && r->nagents == 0 &&
                       r->nroles == 0 && r->nservers == 0;
        for (size_t j = 0; j < i; j++)
            FUZZ_CHECK(strcmp(p->rules[j].id, r->id) != 0);
        for (size_t k = 0; k < r->ntools; k++) {
            size_t at;
            const struct pattern *pt = &r->tools[k];
            FUZZ_CHECK(pt->len > 0 && pt->text[pt->len] == '\0');
            FUZZ_CHECK(glob_check(pt->text, pt->len, &at) == 0);
            check_decision(p, pt->text, pt->len);
            /* a literal pattern names a tool this rule (or an earlier one) decides */
            if (decides && glob_is_literal(pt->text, pt->len)) {
                struct decision d;
                policy_eval_tool(p, pt->text, pt->len, &d);
                FUZZ_CHECK(d.rule != NULL && d.rule <= r);
            }
        }
    }
    FUZZ_CHECK(p->has_deny == deny);
    check_decision(p, "", 0);
    check_decision(p, "shell", 5);
    check_decision(p, "x\0y", 3);
    check_decision(p, "\xC3\xA9", 2);
}

static void fuzz_glob(const char *pat, size_t plen, const char *name, size_t nlen)
{
    size_t at = (size_t)-1;
    if (glob_check(pat, plen, &at) < 0) {
        FUZZ_CHECK(at < plen);
        return;
    }
    bool m = glob_match(pat, plen, name, nlen);
    if (glob_is_literal(pat, plen)) {
        FUZZ_CHECK(m == (plen == nlen && memcmp(pat, name, plen) == 0));
        FUZZ_CHECK(glob_match(pat, plen, pat, plen));
    }
    /* a trailing star can only add matches */
    if (m && plen > 0 && pat[plen - 1] != '\\') {
        char buf[512];
        if (plen < sizeof(buf)) {
            memcpy(buf, pat, plen);
            buf[plen] = '*';
            FUZZ_CHECK(glob_match(buf, plen + 1, name, nlen));
        }
    }
    FUZZ_CHECK(glob_match("*", 1, name, nlen));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct policy *p = (struct policy *)&p; /* must be reset to NULL on failure */
    struct diag d;
    memset(&d, 0, sizeof(d));
    int rc = policy_load_text(text, size, "fuzz.yaml", &p, &d);
    if (rc == 0) {
        FUZZ_CHECK(p != NULL);
        check_policy(p);
        policy_free(p);
    } else {
        FUZZ_CHECK(p == NULL);
        FUZZ_CHECK(rc == SE_EPOLICY || rc == -ENOMEM);
        FUZZ_CHECK(d.msg[0] != '\0');
        FUZZ_CHECK(d.file != NULL && strcmp(d.file, "fuzz.yaml") == 0);
    }

    const char *nl = memchr(text, '\n', size);
    if (nl != NULL)
        fuzz_glob(text, (size_t)(nl - text), nl + 1, size - (size_t)(nl - text) - 1);
    return 0;
}
