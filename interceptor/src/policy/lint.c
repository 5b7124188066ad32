/*
 * lint.c - shadowed rules and patterns that cannot match. A rule is reported unreachable
 * only when an earlier unconditional rule provably matches every request it matches;
 * anything less certain is left alone, so a warning is never a false alarm.
 */
#include "policy/lint.h"

#include <stdio.h>
#include <string.h>

/* Length of the literal prefix of a glob (up to the first wildcard or escape). */
static size_t literal_prefix(const struct pattern *p)
{
    size_t i = 0;
    while (i < p->len && p->text[i] != '*' && p->text[i] != '?' && p->text[i] != '[' &&
           p->text[i] != '\\')
        i++;
    return i;
}

/* Does pattern a match every string pattern b matches? (sufficient conditions only) */
static bool covers(const struct pattern *a, const struct pattern *b)
{
    if (a->len == b->len && memcmp(a->text, b->text, a->len) == 0)
        return true;
    size_t pa = literal_prefix(a);
    /* a is "X*" with a plain literal X: covers whatever b can only produce after X */
    if (pa + 1 == a->len && a->text[pa] == '*') {
        size_t pb = literal_prefix(b);
        return pb >= pa && memcmp(a->text, b->text, pa) == 0;
    }
    return false;
}

static bool list_covers(const struct pattern *a, size_t na, const struct pattern *b, size_t nb)
{
    if (na == 0)
        return true; /* no list: every value */
    if (nb == 0)
        return false;
    for (size_t j = 0; j < nb; j++) {
        bool hit = false;
        for (size_t i = 0; i < na && !hit; i++)
            hit = covers(&a[i], &b[j]);
        if (!hit)
            return false;
    }
    return true;
}

/* A URI has a scheme: a pattern that starts with neither a wildcard nor one cannot match. */
static bool uri_pattern_possible(const struct pattern *p)
{
    size_t i = 0;
    if (p->len == 0)
        return false;
    char c = p->text[0];
    if (c == '*' || c == '?' || c == '[' || c == '\\')
        return true;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        return false;
    for (i = 1; i < p->len; i++) {
        c = p->text[i];
        if (c == ':')
            return true;
        if (c == '*' || c == '?' || c == '[' || c == '\\')
            return true; /* the scheme may come from the wildcard */
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '-' || c == '.'))
            return false;
    }
    return false;
}

/* Report msg about what is written at line:col of `from`. */
static void report(lint_cb cb, void *ctx, const struct origin *from, unsigned line, unsigned col,
                   const char *msg)
{
    if (from->pack == NULL) {
        cb(ctx, line, col, msg);
        return;
    }
    char where[768];
    snprintf(where, sizeof(where), "in pack:%s:%u:%u: %s", from->pack, line, col, msg);
    cb(ctx, from->inc_line, from->inc_col, where);
}

/* Where the earlier rule e is, as seen from a message about r: "line N" in the same file. */
static void place(char *out, size_t n, const struct policy *p, const struct rule *e,
                  const struct rule *r)
{
    if (e->from.pack == r->from.pack)
        snprintf(out, n, "line %u", e->line);
    else if (e->from.pack != NULL)
        snprintf(out, n, "pack:%s:%u", e->from.pack, e->line);
    else
        snprintf(out, n, "%s:%u", p->source ? p->source : "the policy", e->line);
}

size_t policy_lint(const struct policy *p, lint_cb cb, void *ctx)
{
    size_t n = 0;
    char msg[512];
    for (size_t j = 0; j < p->nrules; j++) {
        const struct rule *r = &p->rules[j];
        for (size_t k = 0; k < r->nresources; k++) {
            if (uri_pattern_possible(&r->resources[k]))
                continue;
            snprintf(msg, sizeof(msg),
                     "rule '%s': resources pattern '%s' can never match a URI (no scheme such "
                     "as file:// and no leading wildcard)",
                     r->id, r->resources[k].text);
            report(cb, ctx, &r->from, r->line, r->col, msg);
            n++;
        }
        /* a completion names a prompt (ref/prompt: a name) or a resource template
         * (ref/resource: a URI), never both: a rule's `tools` does not reach the second
         * kind, its `resources` not the first, and with both it reaches neither */
        if ((r->methods & PM_COMPLETE) && (r->ntools > 0 || r->nresources > 0)) {
            const char *what =
                r->ntools > 0 && r->nresources > 0
                    ? "has both tools and resources, and no completion carries both a name and a "
                      "URI: it matches no completion/complete"
                : r->ntools > 0
                    ? "matches completion/complete of prompts only (ref/prompt, by name): a "
                      "completion of a resource template (ref/resource) has a URI, not a name; "
                      "add a rule with resources for those"
                    : "matches completion/complete of resource templates only (ref/resource, "
                      "by URI): a completion of a prompt (ref/prompt) has a name, not a URI; "
                      "add a rule with tools for those";
            snprintf(msg, sizeof(msg), "rule '%s' %s", r->id, what);
            report(cb, ctx, &r->from, r->line, r->col, msg);
            n++;
        }
        for (size_t i = 0; i < j; i++) {
            const struct rule *e = &p->rules[i];
            /* observe rules decide nothing; conditions and labels vary per call */
            if (e->effect == EFFECT_OBSERVE || e->when != NULL || e->taint != NULL ||
                (r->methods & ~e->methods) != 0)
                continue;
            if (!list_covers(e->tools, e->ntools, r->tools, r->ntools) ||
                !list_covers(e->resources, e->nresources, r->resources, r->nresources) ||
                !list_covers(e->servers, e->nservers, r->servers, r->nservers) ||
                !list_covers(e->agents, e->nagents, r->agents, r->nagents) ||
                !list_covers(e->roles, e->nroles, r->roles, r->nroles))
                continue;
            char at[256];
            place(at, sizeof(at), p, e, r);
            snprintf(msg, sizeof(msg),
                     "rule '%s' can never match: rule '%s' (%s) matches every request it "
                     "does and comes first",
                     r->id, e->id, at);
            report(cb, ctx, &r->from, r->line, r->col, msg);
            n++;
            break;
        }
    }
    /* values the operator marks whose labels no rule reads: recorded, never denied */
    struct labelset read = {0};
    for (size_t j = 0; j < p->nrules; j++) {
        const struct taint_match *t = p->rules[j].taint;
        if (t == NULL)
            continue;
        labelset_union(&read, &t->all);
        labelset_union(&read, &t->none);
        for (unsigned k = 0; k < t->nany; k++)
            labelset_union(&read, &t->any[k]);
    }
    for (size_t i = 0; i < p->nmarks; i++) {
        const struct track_mark *m = &p->marks[i];
        if (labelset_meets(&m->labels, &read))
            continue;
        snprintf(msg, sizeof(msg),
                 "taint.track entry %s%s: no rule's taint reads its labels, so a request carrying "
                 "the value is recorded with its provenance but never denied",
                 m->env ? "env " : "file ", m->env ? m->env : m->file);
        report(cb, ctx, &m->from, m->line, m->col, msg);
        n++;
    }
    return n;
}
