/*
 * index.c - the rule index: so that a decision costs the same whether the policy holds ten
 * rules or ten thousand that cannot match. Rules are filed by the literal prefix or suffix of
 * their globs in one open-addressing table; a request probes the table once per distinct key
 * length and merges the sorted rule lists it finds. It must never drop a rule that could match:
 * when in doubt a rule goes on a list that every request checks.
 */
#include "policy/index.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"

#define NMETHODS 7 /* PM_TOOLS_CALL .. PM_ROOTS */
#define NDIMS 2    /* what a rule is filed by: its name globs, or its URI globs */
#define DIM_NAME 0
#define DIM_URI 1
#define NLANES (NDIMS * NMETHODS)

/* How one glob is filed. */
enum kind {
    K_ALWAYS, /* the rule has neither names nor URIs: checked for every request */
    K_WILD,   /* no literal prefix or suffix (`*`, `?x*`): checked whenever there is a value */
    K_PREFIX, /* `fs_*`: the value starts with the key */
    K_SUFFIX, /* `*_shell`: the value ends with the key */
    K_EXACT,  /* no wildcard: the value is the key */
};

struct span {
    uint32_t off, n; /* into policy_index.rules */
};

/* One (dimension, method). */
struct lane {
    struct span wild;
    struct span plens, slens; /* distinct prefix / suffix key lengths, ascending, into lens */
    uint32_t max_plen, max_slen, max_exact;
    bool has_exact;
    /* first bytes of the prefix and exact keys, last bytes of the suffix keys: most values
     * skip most probes on one bit test */
    uint64_t pfirst[4], efirst[4], slast[4];
};

struct slot {
    uint64_t hash;
    const char *key; /* borrowed from the rule's pattern */
    uint32_t klen;
    struct span rules; /* n == 0: empty slot */
    uint8_t lane, kind;
};

struct policy_index {
    uint32_t *rules; /* every list, each strictly ascending */
    uint32_t *lens;
    struct span always[NMETHODS];
    struct lane lanes[NLANES];
    struct slot *slots;
    size_t mask;    /* slots - 1; no slots when there is no keyed glob */
    unsigned shift; /* 64 - log2(slots) */
    bool has_slots;
};

/* One glob (or one rule without globs) on the way into the index. */
struct entry {
    const char *key;
    uint32_t klen;
    uint32_t rule;
    uint8_t kind, lane;
};

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static inline uint64_t hash_step(uint64_t h, unsigned char c)
{
    return (h ^ c) * FNV_PRIME;
}

/* Mix the lane and kind into a byte hash; slots are picked by the top bits of the product. */
static inline uint64_t hash_finish(uint64_t h, unsigned lane, unsigned kind)
{
    return (h ^ (lane << 3 | kind)) * 0x9e3779b97f4a7c15ull;
}

/* Suffix keys are hashed from their last byte backwards, as requests are. */
static uint64_t hash_key(const char *key, size_t len, unsigned lane, unsigned kind)
{
    uint64_t h = FNV_OFFSET;
    if (kind == K_SUFFIX)
        for (size_t i = len; i > 0; i--)
            h = hash_step(h, (unsigned char)key[i - 1]);
    else
        for (size_t i = 0; i < len; i++)
            h = hash_step(h, (unsigned char)key[i]);
    return hash_finish(h, lane, kind);
}

static inline void bit_set(uint64_t *set, unsigned char c)
{
    set[c >> 6] |= 1ull << (c & 63);
}

static inline bool bit_has(const uint64_t *set, unsigned char c)
{
    return (set[c >> 6] >> (c & 63)) & 1;
}

static bool is_special(char c)
{
    return c == '*' || c == '?' || c == '[' || c == '\\';
}

/*
 * File one glob. Before its first special byte a glob matches byte for byte, so those bytes
 * are a prefix of every value it matches. After its last special byte or ']' (every class
 * ends with one, so no class reaches past it) it likewise matches byte for byte up to the
 * end of the value: a suffix. Escapes end both, which only makes a key shorter.
 */
static void classify(const struct pattern *pt, struct entry *e)
{
    size_t pre = 0, suf = 0;
    while (pre < pt->len && !is_special(pt->text[pre]))
        pre++;
    if (pre == pt->len) {
        e->kind = K_EXACT;
        e->key = pt->text;
        e->klen = (uint32_t)pt->len;
        return;
    }
    if (pre > 0) {
        e->kind = K_PREFIX;
        e->key = pt->text;
        e->klen = (uint32_t)pre;
        return;
    }
    while (suf < pt->len && !is_special(pt->text[pt->len - 1 - suf]) &&
           pt->text[pt->len - 1 - suf] != ']')
        suf++;
    if (suf > 0) {
        e->kind = K_SUFFIX;
        e->key = pt->text + pt->len - suf;
        e->klen = (uint32_t)suf;
        return;
    }
    e->kind = K_WILD;
    e->key = NULL;
    e->klen = 0;
}

static int entry_cmp(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->lane != y->lane)
        return x->lane < y->lane ? -1 : 1;
    if (x->klen != y->klen)
        return x->klen < y->klen ? -1 : 1;
    int c = x->klen ? memcmp(x->key, y->key, x->klen) : 0;
    if (c != 0)
        return c;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    return 0;
}

static bool same_key(const struct entry *x, const struct entry *y)
{
    return x->kind == y->kind && x->lane == y->lane && x->klen == y->klen &&
           (x->klen == 0 || memcmp(x->key, y->key, x->klen) == 0);
}

/* Where a rule's globs go: its names when it has any, else its URIs, else everywhere. */
static size_t rule_globs(const struct rule *r, const struct pattern **pats, unsigned *dim)
{
    if (r->ntools > 0) {
        *pats = r->tools;
        *dim = DIM_NAME;
        return r->ntools;
    }
    *pats = r->resources;
    *dim = DIM_URI;
    return r->nresources;
}

static size_t count_entries(const struct policy *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->nrules; i++) {
        const struct rule *r = &p->rules[i];
        const struct pattern *pats;
        unsigned dim;
        size_t np = rule_globs(r, &pats, &dim);
        for (unsigned m = 0; m < NMETHODS; m++)
            if (r->methods & (1u << m))
                n += np ? np : 1;
    }
    return n;
}

static void fill_entries(const struct policy *p, struct entry *es)
{
    size_t n = 0;
    for (size_t i = 0; i < p->nrules; i++) {
        const struct rule *r = &p->rules[i];
        const struct pattern *pats;
        unsigned dim;
        size_t np = rule_globs(r, &pats, &dim);
        for (unsigned m = 0; m < NMETHODS; m++) {
            if (!(r->methods & (1u << m)))
                continue;
            if (np == 0) {
                es[n++] = (struct entry){.kind = K_ALWAYS, .lane = (uint8_t)m, .rule = (uint32_t)i};
                continue;
            }
            for (size_t k = 0; k < np; k++) {
                struct entry *e = &es[n++];
                classify(&pats[k], e);
                e->lane = (uint8_t)(dim * NMETHODS + m);
                e->rule = (uint32_t)i;
            }
        }
    }
}

static void slot_insert(struct policy_index *ix, const struct entry *e, struct span sp)
{
    uint64_t h = hash_key(e->key, e->klen, e->lane, e->kind);
    size_t i = (size_t)(h >> ix->shift);
    while (ix->slots[i].rules.n != 0)
        i = (i + 1) & ix->mask;
    ix->slots[i] = (struct slot){
        .hash = h, .key = e->key, .klen = e->klen, .rules = sp, .lane = e->lane, .kind = e->kind};
}

/* Record a key length on its lane; groups arrive sorted by length within a lane. */
static void add_len(struct policy_index *ix, size_t *nlens, struct span *sp, uint32_t len,
                    uint32_t *max)
{
    if (sp->n > 0 && ix->lens[sp->off + sp->n - 1] == len)
        return;
    if (sp->n == 0)
        sp->off = (uint32_t)*nlens;
    ix->lens[(*nlens)++] = len;
    sp->n++;
    *max = len;
}

int policy_index_build(struct policy *p)
{
    struct entry *es = NULL;
    struct policy_index *ix = NULL;
    int rc = -ENOMEM;

    size_t n = count_entries(p);
    if (p->nrules >= UINT32_MAX || n >= UINT32_MAX)
        return 0; /* far beyond what a policy file can hold: walk every rule */
    ix = calloc(1, sizeof(*ix));
    es = malloc((n ? n : 1) * sizeof(*es));
    if (ix == NULL || es == NULL)
        goto out;
    fill_entries(p, es);
    qsort(es, n, sizeof(*es), entry_cmp);

    size_t ngroups = 0, nkeys = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || !same_key(&es[i - 1], &es[i])) {
            ngroups++;
            nkeys += es[i].kind >= K_PREFIX;
        }
    size_t nslots = 16;
    unsigned shift = 60;
    while (nslots < 2 * nkeys) {
        nslots *= 2;
        shift--;
    }
    ix->rules = malloc((n ? n : 1) * sizeof(*ix->rules));
    ix->lens = malloc((ngroups ? ngroups : 1) * sizeof(*ix->lens));
    ix->slots = nkeys ? calloc(nslots, sizeof(*ix->slots)) : NULL;
    if (ix->rules == NULL || ix->lens == NULL || (nkeys && ix->slots == NULL))
        goto out;
    ix->mask = nslots - 1;
    ix->shift = shift;
    ix->has_slots = nkeys > 0;

    size_t nout = 0, nlens = 0;
    for (size_t i = 0; i < n;) {
        const struct entry *g = &es[i];
        struct span sp = {.off = (uint32_t)nout, .n = 0};
        for (; i < n && same_key(g, &es[i]); i++)
            if (sp.n == 0 || ix->rules[nout - 1] != es[i].rule) {
                ix->rules[nout++] = es[i].rule;
                sp.n++;
            }
        struct lane *ln = &ix->lanes[g->lane % NLANES];
        switch (g->kind) {
        case K_ALWAYS:
            ix->always[g->lane] = sp;
            break;
        case K_WILD:
            ln->wild = sp;
            break;
        case K_PREFIX:
            add_len(ix, &nlens, &ln->plens, g->klen, &ln->max_plen);
            bit_set(ln->pfirst, (unsigned char)g->key[0]);
            slot_insert(ix, g, sp);
            break;
        case K_SUFFIX:
            add_len(ix, &nlens, &ln->slens, g->klen, &ln->max_slen);
            bit_set(ln->slast, (unsigned char)g->key[g->klen - 1]);
            slot_insert(ix, g, sp);
            break;
        case K_EXACT:
            ln->has_exact = true;
            bit_set(ln->efirst, (unsigned char)g->key[0]);
            if (g->klen > ln->max_exact)
                ln->max_exact = g->klen;
            slot_insert(ix, g, sp);
            break;
        default:
            break;
        }
    }
    p->index = ix;
    ix = NULL;
    rc = 0;
out:
    free(es);
    policy_index_free(ix);
    return rc;
}

void policy_index_free(struct policy_index *ix)
{
    if (ix == NULL)
        return;
    free(ix->rules);
    free(ix->lens);
    free(ix->slots);
    free(ix);
}

/* ---- the cursor --------------------------------------------------------------------- */

static bool add_list(struct policy_cursor *c, const struct policy_index *ix, struct span sp)
{
    if (sp.n == 0)
        return true;
    if (c->nlists == POLICY_CURSOR_LISTS)
        return false;
    c->pos[c->nlists] = ix->rules + sp.off;
    c->end[c->nlists] = ix->rules + sp.off + sp.n;
    c->nlists++;
    return true;
}

/* The list of key `s` (klen bytes, hashed to h), if any. */
static bool probe(struct policy_cursor *c, const struct policy_index *ix, uint64_t h, unsigned lane,
                  unsigned kind, const char *s, size_t klen)
{
    h = hash_finish(h, lane, kind);
    for (size_t i = (size_t)(h >> ix->shift);; i = (i + 1) & ix->mask) {
        const struct slot *sl = &ix->slots[i];
        if (sl->rules.n == 0)
            return true;
        if (sl->hash == h && sl->lane == lane && sl->kind == kind && sl->klen == klen &&
            memcmp(sl->key, s, klen) == 0)
            return add_list(c, ix, sl->rules);
    }
}

/*
 * Every list of one lane whose rules could match value s: the wildcards, then one probe per
 * prefix length, suffix length and the exact key, each skipped when no key of its kind starts
 * (ends) with the value's first (last) byte. Bytes past the longest key are never read, so a
 * long hostile value costs no more than a short one.
 */
static bool gather(struct policy_cursor *c, const struct policy_index *ix, unsigned lane,
                   const char *s, size_t len)
{
    const struct lane *ln = &ix->lanes[lane];
    if (!add_list(c, ix, ln->wild))
        return false;
    if (!ix->has_slots || len == 0) /* every key has at least one byte */
        return true;

    unsigned char first = (unsigned char)s[0], last = (unsigned char)s[len - 1];
    bool prefix = ln->plens.n > 0 && bit_has(ln->pfirst, first);
    bool exact = ln->has_exact && len <= ln->max_exact && bit_has(ln->efirst, first);
    size_t upto = exact ? len : !prefix ? 0 : ln->max_plen < len ? ln->max_plen : len;
    const uint32_t *pl = ix->lens + ln->plens.off, *pe = prefix ? pl + ln->plens.n : pl;
    uint64_t h = FNV_OFFSET;
    for (size_t k = 1; k <= upto; k++) {
        h = hash_step(h, (unsigned char)s[k - 1]);
        if (pl < pe && *pl == k) {
            pl++;
            if (!probe(c, ix, h, lane, K_PREFIX, s, k))
                return false;
        }
    }
    if (exact && !probe(c, ix, h, lane, K_EXACT, s, len))
        return false;

    upto = !bit_has(ln->slast, last) ? 0 : ln->max_slen < len ? ln->max_slen : len;
    pl = ix->lens + ln->slens.off;
    pe = pl + ln->slens.n;
    h = FNV_OFFSET;
    for (size_t k = 1; k <= upto; k++) {
        h = hash_step(h, (unsigned char)s[len - k]);
        if (pl < pe && *pl == k) {
            pl++;
            if (!probe(c, ix, h, lane, K_SUFFIX, s + len - k, k))
                return false;
        }
    }
    return true;
}

void policy_cursor_linear(struct policy_cursor *c, const struct policy *p)
{
    c->linear = true;
    c->next = 0;
    c->nrules = p->nrules;
    c->nlists = 0;
}

void policy_cursor_start(struct policy_cursor *c, const struct policy *p, unsigned method,
                         const char *name, size_t name_len, const char *uri, size_t uri_len)
{
    const struct policy_index *ix = p->index;
    if (ix == NULL || method == 0 || (method & (method - 1)) != 0 || method >= 1u << NMETHODS)
        goto linear;
    unsigned m = (unsigned)__builtin_ctz(method);
    c->linear = false;
    c->nlists = 0;
    if (!add_list(c, ix, ix->always[m]))
        goto linear;
    /* a rule filed by names needs a name (and likewise URIs): without one it cannot match */
    if (name != NULL && !gather(c, ix, DIM_NAME * NMETHODS + m, name, name_len))
        goto linear;
    if (uri != NULL && !gather(c, ix, DIM_URI * NMETHODS + m, uri, uri_len))
        goto linear;
    return;
linear:
    policy_cursor_linear(c, p);
}

size_t policy_cursor_next(struct policy_cursor *c)
{
    if (c->linear)
        return c->next < c->nrules ? c->next++ : POLICY_CURSOR_END;
    if (c->nlists == 0)
        return POLICY_CURSOR_END;
    uint32_t min = *c->pos[0];
    for (unsigned i = 1; i < c->nlists; i++)
        if (*c->pos[i] < min)
            min = *c->pos[i];
    /* advance every list at min (a rule can sit in several); drop the exhausted ones */
    for (unsigned i = 0; i < c->nlists;) {
        if (*c->pos[i] == min && ++c->pos[i] == c->end[i]) {
            c->nlists--;
            c->pos[i] = c->pos[c->nlists];
            c->end[i] = c->end[c->nlists];
            continue;
        }
        i++;
    }
    return min;
}
