/*
 * tracked.c - tracked values (tracked.h): the value and source tables, matching over three
 * tiers (main and recent Vectorscan databases, the pending set), and the background build.
 * It exists so that a secret read from one tool cannot leave through another, even encoded,
 * without the call carrying the secret's labels and provenance.
 * It must never compile a database or wipe a large one on the caller's thread, never keep a
 * value's bytes outside sodium memory, and never hand a value's bytes to its caller.
 */
#include "scan/tracked.h"

#include <assert.h>
#include <errno.h>
#include <hs/hs.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "scan/tracked_dec.h"
#include "scan/tracked_enc.h"
#include "scan/tracked_pend.h"

#define STR_CHUNK (64u * 1024u)
#define GRAVE_MAX 8
/* Base64 runs at least this long (and 2 ext longer) are matched with the tier's hash index
 * rather than Vectorscan, whose literal matcher confirms nearly every position of text that
 * looks like its literals (random base64 against 100,000 tokens: 0.05 GB/s). */
#define LONG_RUN 512
#define IKEY_BYTES 5
#define IMUL 0x9e3779b97f4a7c15ull

/* One value. Its bytes are in the tier that holds it (pending arena or a database's blob). */
struct tval {
    uint8_t digest[crypto_generichash_BYTES];
    struct labelset labels;
    uint64_t added_ns;
    uint32_t src[TRACKED_SOURCES_MAX];
    uint32_t mark; /* scan generation that reported it (dedup) */
    uint32_t len;
    uint32_t more_sources;
    uint8_t nsrc;
    uint8_t tier;
};

struct tsrc {
    struct tracked_source pub;
    uint64_t hash;
    uint32_t next; /* hash chain, 1-based */
};

struct tier_val {
    uint32_t value, off, len; /* bytes at blob + off */
};

/* A database pattern is a whole variant, or a raw value without its leading NUL bytes
 * (Vectorscan's literal API takes a literal starting with NUL for an empty one): then
 * anchor_off NULs must precede the hit (verify). */
struct tier_pat {
    uint32_t tv;         /* index in the tier's vals */
    uint32_t plen;       /* pattern length */
    uint16_t anchor_off; /* verify: the leading NULs left out */
    uint8_t kind;        /* TRACKED_RAW or TRACKED_JSON */
    uint8_t verify;
};

/* A key of the hash index: IKEY_BYTES of a pattern at offset off (in locked memory). */
struct ikey {
    uint64_t key;
    uint32_t pat;
    uint32_t off;
};

/* A compiled database and the values it holds. Immutable once built; released on a worker. */
struct tier {
    hs_database_t *db; /* deserialised into db_mem (sodium) */
    void *db_mem;
    size_t db_size;
    uint8_t *blob; /* sodium: the raw bytes of its values */
    size_t blob_size;
    struct tier_val *vals;
    size_t nvals;
    struct tier_pat *pats;
    size_t npats;
    /* The hash index of the patterns made only of base64-class characters, for long base64
     * runs: every pattern's IKEY_BYTES windows at offsets o..o+3 (o = len - 8, its end, which
     * varies more than token prefixes), in a table behind a one-word-per-probe Bloom filter. */
    uint64_t *ifilter;
    size_t ifilter_mask;
    struct ikey *ikeys; /* sodium */
    size_t nikeys;
    uint32_t *islots; /* 1-based key index, 0 empty */
    size_t islot_mask;
    size_t ext; /* 1 + the longest base64-class prefix or suffix of the other patterns */
};

enum build_kind { BUILD_DISPOSE, BUILD_RECENT, BUILD_MAIN };

struct tracked_build {
    enum build_kind kind;
    const struct tier *in[2]; /* old tiers whose values go into the new one */
    size_t nin;
    const struct tier *recent_in; /* MAIN: the recent tier merged in */
    const struct pend_val *pvals; /* the frozen pending generation */
    size_t npvals;
    const hs_database_t *keep_db; /* RECENT: main's database, which the new scratch must fit */
    size_t max_len;
    struct tier *grave[GRAVE_MAX]; /* replaced tiers to release on the worker */
    size_t ngrave;
    hs_scratch_t *old_scratch[GRAVE_MAX]; /* replaced scratch, likewise */
    size_t nold_scratch;
    bool disposed, ran;
    int err;
    struct tier *out;
    hs_scratch_t *scratch;
    uint64_t ns;
};

struct str_arena {
    char **chunks;
    size_t n, cap, used;
};

struct tracked {
    struct tracked_config cfg;
    uint8_t *key;                            /* sodium: digest key */
    uint8_t skey[crypto_shorthash_KEYBYTES]; /* source table hash key */

    struct tval *vals; /* max_values entries, allocated once (pointers stay valid) */
    size_t nvals, bytes;
    uint32_t *vhash; /* digest → value, 1-based, open addressing */
    size_t vhash_mask;

    struct tsrc *srcs; /* max_values entries, allocated once */
    size_t nsrcs;
    uint32_t *shash; /* chain heads, 1-based */
    size_t shash_mask;
    struct str_arena strs;

    struct pend pend;
    int cur;     /* generation taking adds */
    bool frozen; /* generation 1 - cur holds values given to a build (or left by a failed one) */

    struct tier *main, *recent;
    /* Replaced tiers and scratch wait for the next build's worker: wiping a large database takes
     * milliseconds, and freeing memory the worker allocated can make glibc consolidate the
     * worker's arena (the compiler's millions of small blocks) on the caller's thread. */
    struct tier *grave[GRAVE_MAX];
    size_t ngrave;
    hs_scratch_t *old_scratch[GRAVE_MAX];
    size_t nold_scratch;
    hs_scratch_t *scratch;
    bool building;

    uint8_t *encbuf; /* sodium: enc_bound(max_len), every variant of one value */
    uint8_t *vbuf;   /* sodium: one variant */
    struct dec dec;  /* the encoded runs of the text being scanned, decoded */
    /* all-NUL values, by length: no literal can hold them (see tier_pat), so the scan looks
     * for runs of NULs instead; at most one per length */
    uint32_t *zeros;
    size_t nzeros;
    uint32_t scan_gen;
    unsigned failures; /* consecutive failed builds */
    struct tracked_stats st;
};

static const char *const variant_names[] = {
    [TRACKED_RAW] = "raw",           [TRACKED_JSON] = "json",
    [TRACKED_BASE64] = "base64",     [TRACKED_BASE64URL] = "base64url",
    [TRACKED_HEX] = "hex",           [TRACKED_URL] = "url",
    [TRACKED_URL_FORM] = "url-form",
};

const char *tracked_variant_name(enum tracked_variant v)
{
    if ((unsigned)v < sizeof(variant_names) / sizeof(variant_names[0]) && variant_names[v])
        return variant_names[v];
    return "?";
}

void tracked_config_default(struct tracked_config *c)
{
    *c = (struct tracked_config){
        .min_len = TRACKED_MIN_LEN,
        .max_len = 4096,
        .max_values = 100000,
        .max_bytes = 16u << 20,
        .pending_max = 16384,
        .recent_max = 0,
        .build_batch = 64,
        .build_delay_ns = 100 * 1000 * 1000ull,
    };
}

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- tiers ---- */

static void tier_free(struct tier *tr)
{
    if (!tr)
        return;
    sodium_free(tr->db_mem); /* wipes */
    sodium_free(tr->blob);
    free(tr->vals);
    free(tr->pats);
    free(tr->ifilter);
    sodium_free(tr->ikeys);
    free(tr->islots);
    free(tr);
}

static void *locked_alloc(size_t size)
{
    /* sodium_malloc places the block against a guard page: a size rounded to 64 keeps the
     * pointer 64-byte aligned, as Vectorscan wants its database. */
    return sodium_malloc(size ? (size + 63) & ~(size_t)63 : 64);
}

/* ---- lifecycle ---- */

static size_t pow2_at_least(size_t n)
{
    size_t p = 16;
    while (p < n)
        p *= 2;
    return p;
}

int tracked_new(const struct tracked_config *cfg, struct tracked **out)
{
    struct tracked_config c;
    tracked_config_default(&c);
    if (cfg) {
        if (cfg->min_len)
            c.min_len = cfg->min_len;
        if (cfg->max_len)
            c.max_len = cfg->max_len;
        if (cfg->max_values)
            c.max_values = cfg->max_values;
        if (cfg->max_bytes)
            c.max_bytes = cfg->max_bytes;
        if (cfg->pending_max)
            c.pending_max = cfg->pending_max;
        if (cfg->recent_max)
            c.recent_max = cfg->recent_max;
        if (cfg->build_batch)
            c.build_batch = cfg->build_batch;
        if (cfg->build_delay_ns)
            c.build_delay_ns = cfg->build_delay_ns;
        c.digest_key = cfg->digest_key;
    }
    *out = NULL;
    if (c.min_len < TRACKED_MIN_LEN || c.max_len < c.min_len || c.max_len > TRACKED_MAX_LEN_CAP ||
        c.max_values > (1u << 24) || c.max_bytes > ((size_t)1 << 31))
        return -EINVAL;
    if (sodium_init() < 0)
        return -ENOMEM;

    struct tracked *t = calloc(1, sizeof(*t));
    if (!t)
        return -ENOMEM;
    t->cfg = c;
    t->cfg.digest_key = NULL;
    t->key = sodium_malloc(TRACKED_KEY_BYTES);
    t->vals = calloc(c.max_values, sizeof(*t->vals));
    t->srcs = calloc(c.max_values, sizeof(*t->srcs));
    t->vhash_mask = pow2_at_least(2 * c.max_values) - 1;
    t->vhash = calloc(t->vhash_mask + 1, sizeof(*t->vhash));
    t->shash_mask = pow2_at_least(c.max_values) - 1;
    t->shash = calloc(t->shash_mask + 1, sizeof(*t->shash));
    t->encbuf = sodium_malloc(enc_bound(c.max_len));
    t->vbuf = sodium_malloc(6 * c.max_len + 16);
    t->zeros = calloc(c.max_len - c.min_len + 1, sizeof(*t->zeros));
    if (!t->key || !t->vals || !t->srcs || !t->vhash || !t->shash || !t->encbuf || !t->vbuf ||
        !t->zeros || pend_init(&t->pend, c.pending_max) < 0 ||
        dec_init(&t->dec, c.min_len, c.max_len) < 0) {
        tracked_free(t);
        return -ENOMEM;
    }
    if (cfg && cfg->digest_key)
        memcpy(t->key, cfg->digest_key, TRACKED_KEY_BYTES);
    else
        randombytes_buf(t->key, TRACKED_KEY_BYTES);
    crypto_shorthash_keygen(t->skey);
    *out = t;
    return 0;
}

void tracked_free(struct tracked *t)
{
    if (!t)
        return;
    assert(!t->building); /* the worker may still read the frozen generation and the tiers */
    tier_free(t->main);
    tier_free(t->recent);
    for (size_t i = 0; i < t->ngrave; i++)
        tier_free(t->grave[i]);
    for (size_t i = 0; i < t->nold_scratch; i++)
        hs_free_scratch(t->old_scratch[i]);
    hs_free_scratch(t->scratch);
    pend_cleanup(&t->pend);
    dec_cleanup(&t->dec);
    free(t->zeros);
    if (t->vals)
        sodium_memzero(t->vals, t->nvals * sizeof(*t->vals)); /* digests and labels */
    free(t->vals);
    free(t->vhash);
    free(t->srcs);
    free(t->shash);
    for (size_t i = 0; i < t->strs.n; i++)
        free(t->strs.chunks[i]);
    free(t->strs.chunks);
    sodium_free(t->encbuf);
    sodium_free(t->vbuf);
    sodium_free(t->key);
    free(t);
}

/* ---- sources ---- */

static size_t clip(size_t n)
{
    return n > TRACKED_TEXT_MAX ? TRACKED_TEXT_MAX : n;
}

/* SipHash with the tracker's key: request ids and tool names come from peers, and a
 * predictable hash would let them pile every source into one chain. */
static uint64_t src_hash(const struct tracked *t, const struct tracked_prov *p)
{
    uint8_t buf[1 + 8 + 3 * (1 + TRACKED_TEXT_MAX)], h[crypto_shorthash_BYTES];
    size_t n = 0;
    buf[n++] = (uint8_t)p->origin;
    memcpy(buf + n, &p->seq, 8);
    n += 8;
    const char *s[3] = {p->request_id, p->tool, p->server};
    size_t len[3] = {p->request_id_len, p->tool_len, p->server_len};
    for (int i = 0; i < 3; i++) {
        size_t k = s[i] ? clip(len[i]) : 0;
        buf[n++] = (uint8_t)k;
        if (k)
            memcpy(buf + n, s[i], k);
        n += k;
    }
    crypto_shorthash(h, buf, n, t->skey);
    uint64_t v;
    memcpy(&v, h, sizeof(v));
    return v;
}

static bool str_eq(const char *a, size_t alen, const char *b, size_t blen)
{
    if (!a)
        alen = 0;
    if (!b)
        blen = 0;
    alen = clip(alen);
    blen = clip(blen);
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

static bool prov_eq(const struct tracked_prov *a, const struct tracked_prov *b)
{
    return a->origin == b->origin && a->seq == b->seq &&
           str_eq(a->request_id, a->request_id_len, b->request_id, b->request_id_len) &&
           str_eq(a->tool, a->tool_len, b->tool, b->tool_len) &&
           str_eq(a->server, a->server_len, b->server, b->server_len);
}

static const char *str_keep(struct str_arena *a, const char *s, size_t n)
{
    n = s ? clip(n) : 0;
    if (a->n == 0 || a->used + n + 1 > STR_CHUNK) {
        if (a->n == a->cap) {
            size_t cap = a->cap ? 2 * a->cap : 8;
            char **c = realloc(a->chunks, cap * sizeof(*c));
            if (!c)
                return NULL;
            a->chunks = c;
            a->cap = cap;
        }
        char *mem = malloc(STR_CHUNK);
        if (!mem)
            return NULL;
        a->chunks[a->n++] = mem;
        a->used = 0;
    }
    char *at = a->chunks[a->n - 1] + a->used;
    if (n)
        memcpy(at, s, n);
    at[n] = '\0';
    a->used += n + 1;
    return at;
}

/* The index of the source equal to p, interned if new; SE_ELIMIT or -ENOMEM. */
static int src_intern(struct tracked *t, const struct tracked_prov *p, uint32_t *index)
{
    uint64_t h = src_hash(t, p);
    size_t b = (size_t)h & t->shash_mask;
    for (uint32_t i = t->shash[b]; i; i = t->srcs[i - 1].next) {
        struct tsrc *s = &t->srcs[i - 1];
        if (s->hash == h && prov_eq(&s->pub.prov, p)) {
            *index = i - 1;
            return 0;
        }
    }
    if (t->nsrcs >= t->cfg.max_values)
        return SE_ELIMIT;
    struct tsrc *s = &t->srcs[t->nsrcs];
    const char *rid = str_keep(&t->strs, p->request_id, p->request_id_len);
    const char *tool = str_keep(&t->strs, p->tool, p->tool_len);
    const char *server = str_keep(&t->strs, p->server, p->server_len);
    if (!rid || !tool || !server)
        return -ENOMEM;
    s->pub = (struct tracked_source){
        .index = (uint32_t)t->nsrcs,
        .prov = {.origin = p->origin,
                 .request_id = rid,
                 .request_id_len = p->request_id ? clip(p->request_id_len) : 0,
                 .tool = tool,
                 .tool_len = p->tool ? clip(p->tool_len) : 0,
                 .server = server,
                 .server_len = p->server ? clip(p->server_len) : 0,
                 .seq = p->seq},
    };
    s->hash = h;
    s->next = t->shash[b];
    t->shash[b] = (uint32_t)++t->nsrcs;
    *index = s->pub.index;
    return 0;
}

static void val_add_src(struct tval *v, uint32_t src)
{
    for (unsigned i = 0; i < v->nsrc; i++)
        if (v->src[i] == src)
            return;
    if (v->nsrc < TRACKED_SOURCES_MAX)
        v->src[v->nsrc++] = src;
    else
        v->more_sources++;
}

const struct tracked_source *tracked_source_get(const struct tracked *t, uint32_t index)
{
    return index < t->nsrcs ? &t->srcs[index].pub : NULL;
}

int tracked_invalidate_source(struct tracked *t, const struct tracked_selector *sel)
{
    if (!sel || (!sel->request_id && !sel->tool && !sel->server && !sel->by_seq))
        return -EINVAL;
    int changed = 0;
    for (size_t i = 0; i < t->nsrcs; i++) {
        struct tracked_source *s = &t->srcs[i].pub;
        const struct tracked_prov *p = &s->prov;
        if (s->invalidated)
            continue;
        if (sel->request_id &&
            !str_eq(sel->request_id, sel->request_id_len, p->request_id, p->request_id_len))
            continue;
        if (sel->tool && !str_eq(sel->tool, sel->tool_len, p->tool, p->tool_len))
            continue;
        if (sel->server && !str_eq(sel->server, sel->server_len, p->server, p->server_len))
            continue;
        if (sel->by_seq && sel->seq != p->seq)
            continue;
        s->invalidated = true;
        changed++;
    }
    t->st.invalidated_sources += (uint64_t)changed;
    return changed;
}

/* ---- values ---- */

static void digest(const struct tracked *t, const uint8_t *v, size_t len,
                   uint8_t out[crypto_generichash_BYTES])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, t->key, TRACKED_KEY_BYTES, crypto_generichash_BYTES);
    crypto_generichash_update(&st, v, len);
    crypto_generichash_final(&st, out, crypto_generichash_BYTES);
    sodium_memzero(&st, sizeof(st));
}

static uint64_t digest_key(const uint8_t *d)
{
    uint64_t k;
    memcpy(&k, d, sizeof(k));
    return k;
}

/* The value with this digest, or -1. */
static long vhash_find(const struct tracked *t, const uint8_t *d)
{
    for (size_t s = (size_t)digest_key(d) & t->vhash_mask; t->vhash[s];
         s = (s + 1) & t->vhash_mask) {
        uint32_t i = t->vhash[s] - 1;
        if (memcmp(t->vals[i].digest, d, crypto_generichash_BYTES) == 0)
            return i;
    }
    return -1;
}

static void vhash_put(struct tracked *t, uint32_t i)
{
    size_t s = (size_t)digest_key(t->vals[i].digest) & t->vhash_mask;
    while (t->vhash[s])
        s = (s + 1) & t->vhash_mask;
    t->vhash[s] = i + 1;
}

int tracked_add(struct tracked *t, const void *value, size_t len, const struct labelset *labels,
                const struct tracked_prov *prov, uint64_t now_ns, uint32_t *id)
{
    if (!t || !value || !prov || len < t->cfg.min_len) {
        if (t)
            t->st.refused_short++;
        return -EINVAL;
    }
    if (len > t->cfg.max_len) {
        t->st.refused_long++;
        return -EMSGSIZE;
    }
    uint8_t d[crypto_generichash_BYTES];
    digest(t, value, len, d);
    long known = vhash_find(t, d);
    uint32_t src;
    int rc;
    if (known >= 0) {
        struct tval *v = &t->vals[known];
        if (labels)
            labelset_union(&v->labels, labels);
        if (src_intern(t, prov, &src) == 0)
            val_add_src(v, src);
        else
            v->more_sources++; /* the source table is full: still counted */
        t->st.duplicates++;
        if (id)
            *id = (uint32_t)known;
        return 1;
    }
    if (t->nvals >= t->cfg.max_values || t->bytes + len > t->cfg.max_bytes) {
        t->st.refused_limit++;
        return SE_ELIMIT;
    }
    struct enc_variant vars[ENC_MAX_VARIANTS];
    size_t nvar = enc_variants(value, len, t->encbuf, vars);
    size_t used = vars[nvar - 1].off + vars[nvar - 1].len;
    if (!pend_has_room(&t->pend, t->cur, nvar)) {
        sodium_memzero(t->encbuf, used);
        t->st.refused_busy++;
        return -EAGAIN;
    }
    rc = src_intern(t, prov, &src);
    if (rc == 0)
        rc = pend_add(&t->pend, t->cur, (uint32_t)t->nvals, value, len, vars, nvar, t->encbuf,
                      now_ns);
    sodium_memzero(t->encbuf, used);
    if (rc < 0) {
        if (rc == SE_ELIMIT)
            t->st.refused_limit++;
        return rc;
    }
    uint32_t i = (uint32_t)t->nvals++;
    struct tval *v = &t->vals[i];
    memset(v, 0, sizeof(*v));
    memcpy(v->digest, d, sizeof(d));
    if (labels)
        v->labels = *labels;
    v->added_ns = now_ns;
    v->len = (uint32_t)len;
    v->src[0] = src;
    v->nsrc = 1;
    v->tier = TRACKED_PENDING;
    vhash_put(t, i);
    const uint8_t *b = value;
    if (b[0] == 0 && memcmp(b, b + 1, len - 1) == 0) { /* all NUL: keep zeros sorted by length */
        size_t k = t->nzeros++;
        for (; k > 0 && t->vals[t->zeros[k - 1]].len > len; k--)
            t->zeros[k] = t->zeros[k - 1];
        t->zeros[k] = i;
    }
    t->bytes += len;
    t->st.added++;
    if (id)
        *id = i;
    return 0;
}

static bool val_invalidated(const struct tracked *t, const struct tval *v)
{
    for (unsigned i = 0; i < v->nsrc; i++)
        if (t->srcs[v->src[i]].pub.invalidated)
            return true;
    return false;
}

static void fill_info(const struct tracked *t, uint32_t id, struct tracked_value_info *o)
{
    const struct tval *v = &t->vals[id];
    memset(o, 0, sizeof(*o));
    o->id = id;
    o->len = v->len;
    o->labels = v->labels;
    o->added_ns = v->added_ns;
    o->invalidated = val_invalidated(t, v);
    o->tier = (enum tracked_tier)v->tier;
    o->nsources = v->nsrc;
    o->more_sources = v->more_sources;
    for (unsigned i = 0; i < v->nsrc; i++)
        o->sources[i] = &t->srcs[v->src[i]].pub;
}

int tracked_value_info(const struct tracked *t, uint32_t id, struct tracked_value_info *out)
{
    if (id >= t->nvals)
        return SE_ENOTFOUND;
    fill_info(t, id, out);
    return 0;
}

void tracked_value_digest(const struct tracked *t, uint32_t id, char out[65])
{
    out[0] = '\0';
    if (id < t->nvals)
        sodium_bin2hex(out, 65, t->vals[id].digest, crypto_generichash_BYTES);
}

void tracked_stats(const struct tracked *t, struct tracked_stats *s)
{
    *s = t->st;
    s->values = t->nvals;
    s->bytes = t->bytes;
    s->sources = t->nsrcs;
    s->pending = t->pend.gen[0].nvals + t->pend.gen[1].nvals;
    s->recent = t->recent ? t->recent->nvals : 0;
    s->main = t->main ? t->main->nvals : 0;
    s->patterns_recent = t->recent ? t->recent->npats : 0;
    s->patterns_main = t->main ? t->main->npats : 0;
    s->db_bytes = (t->recent ? t->recent->db_size : 0) + (t->main ? t->main->db_size : 0);
    s->building = t->building;
}

/* ---- scanning ---- */

struct scan_ctx {
    struct tracked *t;
    const struct tier *tier;
    const uint8_t *text; /* the argument */
    size_t len;
    const uint8_t *buf; /* what is scanned: the text, or a chunk of its decoded runs */
    size_t buf_len;
    const struct dec *dec; /* the chunk's decodings; NULL while the text itself is scanned */
    size_t base;           /* where the piece hs_scan is given starts in buf */
    size_t zero_next;      /* t->zeros[0 .. zero_next) have been looked for */
    struct tracked_hits *h;
};

static bool seen(void *ctx, uint32_t value)
{
    struct scan_ctx *c = ctx;
    return c->t->vals[value].mark == c->t->scan_gen;
}

static void record(struct scan_ctx *c, uint32_t value, enum tracked_variant kind, unsigned align,
                   size_t off, size_t len)
{
    struct tracked *t = c->t;
    struct tval *v = &t->vals[value];
    struct tracked_hits *h = c->h;
    v->mark = t->scan_gen;
    h->nvalues++;
    labelset_union(&h->labels, &v->labels);
    if (val_invalidated(t, v))
        h->invalidated = true;
    if (h->n < h->cap) {
        struct tracked_match *m = &h->match[h->n++];
        m->off = off;
        m->len = len;
        m->variant = kind;
        m->align = (uint8_t)align;
        fill_info(t, value, &m->value);
    }
}

/* A value's raw (or JSON) form at buf[off..off+len): in the text it is that variant; in a
 * decoded chunk it is the encoding of the run it came from, at that run's span. */
static void report(struct scan_ctx *c, uint32_t value, enum tracked_variant kind, size_t off,
                   size_t len)
{
    if (!c->dec) {
        record(c, value, kind, 0, off, len);
        return;
    }
    struct dec_hit m;
    if (dec_map(c->dec, c->text, off, len, &m)) /* else it straddles two runs: no match */
        record(c, value, (enum tracked_variant)m.variant, m.align, m.off, m.len);
}

static void on_pend_hit(void *ctx, uint32_t value, const struct enc_variant *spec, size_t off,
                        size_t len)
{
    report(ctx, value, spec->kind, off, len);
}

static int on_db_hit(unsigned int id, unsigned long long from, unsigned long long to,
                     unsigned int flags, void *ctx)
{
    (void)from; /* literals: the start is the end minus the pattern's length */
    (void)flags;
    struct scan_ctx *c = ctx;
    const struct tier *tr = c->tier;
    const struct tier_pat *p = &tr->pats[id];
    const struct tier_val *tv = &tr->vals[p->tv];
    if (c->t->vals[tv->value].mark == c->t->scan_gen)
        return 0;
    size_t start = c->base + (size_t)to - p->plen, len = p->plen;
    if (p->verify) { /* the leading NULs the pattern left out */
        if (start < p->anchor_off)
            return 0;
        start -= p->anchor_off;
        len += p->anchor_off;
        for (size_t i = 0; i < p->anchor_off; i++)
            if (c->buf[start + i] != 0)
                return 0;
    }
    report(c, tv->value, p->kind, start, len);
    return 0;
}

static int scan_tier(struct scan_ctx *c, const struct tier *tr, size_t from, size_t to)
{
    if (!tr || to <= from)
        return 0;
    c->tier = tr;
    c->base = from;
    hs_error_t e = hs_scan(tr->db, (const char *)c->buf + from, (unsigned int)(to - from), 0,
                           c->t->scratch, on_db_hit, c);
    return e == HS_SUCCESS ? 0 : -EIO;
}

/* IKEY_BYTES at p as a number (the same on the worker and the loop, whatever the byte order) */
static uint64_t load_ikey(const uint8_t *p)
{
    uint64_t x = 0;
    for (int i = IKEY_BYTES - 1; i >= 0; i--)
        x = x << 8 | p[i];
    return x;
}

/* The same, reading 8 bytes (p has at least 8): one load, no store-forwarding stall */
static uint64_t load_ikey8(const uint8_t *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    return x & ((UINT64_C(1) << (8 * IKEY_BYTES)) - 1);
}

static uint64_t ifilter_bits(uint64_t h)
{
    return UINT64_C(1) << ((h >> 20) & 63) | UINT64_C(1) << ((h >> 26) & 63) |
           UINT64_C(1) << ((h >> 32) & 63);
}

/* The base64-only patterns of a tier in the run buf[s..e): every fourth window is probed. */
static void index_scan(struct scan_ctx *c, const struct tier *tr, size_t s, size_t e)
{
    if (!tr || tr->nikeys == 0)
        return;
    const uint8_t *b = c->buf;
    for (size_t i = s; i + IKEY_BYTES <= e; i += 4) {
        uint64_t key = i + 8 <= c->buf_len ? load_ikey8(b + i) : load_ikey(b + i);
        uint64_t h = key * IMUL, m = ifilter_bits(h);
        if ((tr->ifilter[(h >> 40) & tr->ifilter_mask] & m) != m)
            continue;
        for (size_t sl = (size_t)(h >> 24) & tr->islot_mask; tr->islots[sl];
             sl = (sl + 1) & tr->islot_mask) {
            const struct ikey *k = &tr->ikeys[tr->islots[sl] - 1];
            if (k->key != key || k->off > i - s)
                continue;
            const struct tier_pat *p = &tr->pats[k->pat];
            const struct tier_val *tv = &tr->vals[p->tv];
            size_t at = i - k->off;
            if (p->plen > e - at || c->t->vals[tv->value].mark == c->t->scan_gen ||
                memcmp(b + at, tr->blob + tv->off, p->plen) != 0)
                continue;
            report(c, tv->value, p->kind, at, p->plen);
        }
    }
}

/* The tiers' databases over buf, except inside long base64 runs, which get the hash index:
 * Vectorscan still scans ext characters into each end of such a run, where a pattern with
 * other characters can overlap it (its base64-class prefix or suffix); a base64-only pattern
 * that overlaps the run lies inside it. */
static int scan_dbs(struct scan_ctx *c)
{
    struct tracked *t = c->t;
    const struct tier *tiers[2] = {t->main, t->recent};
    size_t ext = 0, len = c->buf_len, from = 0, s;
    for (int k = 0; k < 2; k++)
        if (tiers[k] && tiers[k]->ext > ext)
            ext = tiers[k]->ext;
    for (size_t pos = 0; pos < len;) {
        size_t e = dec_b64_run(c->buf, len, pos, LONG_RUN + 2 * ext, &s);
        if (s >= len)
            break;
        for (int k = 0; k < 2; k++) {
            int rc = scan_tier(c, tiers[k], from, s + ext);
            if (rc < 0)
                return rc;
            index_scan(c, tiers[k], s, e);
        }
        from = e - ext;
        pos = e;
    }
    for (int k = 0; k < 2; k++) {
        int rc = scan_tier(c, tiers[k], from, len);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* All-NUL values in buf[from..to): each run of NULs reports those not longer than it. The
 * zeros are sorted by length, so those reported are always a prefix: O(runs + zeros). */
static void zero_scan(struct scan_ctx *c, size_t from, size_t to)
{
    struct tracked *t = c->t;
    for (size_t i = from; i < to && c->zero_next < t->nzeros;) {
        const uint8_t *z = memchr(c->buf + i, 0, to - i);
        if (!z)
            break;
        size_t s = (size_t)(z - c->buf), e = s;
        while (e < to && c->buf[e] == 0)
            e++;
        for (; c->zero_next < t->nzeros; c->zero_next++) {
            uint32_t id = t->zeros[c->zero_next];
            if (t->vals[id].len > e - s)
                break;
            if (!seen(c, id))
                report(c, id, TRACKED_RAW, s, t->vals[id].len);
        }
        i = e;
    }
}

/* The current buffer against every tier. */
static int scan_buf(struct scan_ctx *c)
{
    struct tracked *t = c->t;
    int rc = scan_dbs(c);
    if (rc < 0)
        return rc;
    pend_scan(&t->pend, c->buf, c->buf_len, t->vbuf, seen, on_pend_hit, c);
    if (t->nzeros && !c->dec) {
        zero_scan(c, 0, c->buf_len);
        c->zero_next = 0; /* the decodings may hold longer runs */
    } else if (t->nzeros) {
        for (size_t i = 0; i < c->dec->nsegs; i++)
            zero_scan(c, c->dec->segs[i].dec_off,
                      (size_t)c->dec->segs[i].dec_off + c->dec->segs[i].dec_len);
    }
    return 0;
}

static int on_decoded(void *ctx, const struct dec *d)
{
    struct scan_ctx *c = ctx;
    if (c->h->nvalues == c->t->nvals)
        return 0; /* every value already found */
    c->dec = d;
    c->buf = d->buf;
    c->buf_len = d->used;
    return scan_buf(c);
}

int tracked_scan(struct tracked *t, const void *text, size_t len, struct tracked_hits *h)
{
    h->n = 0;
    h->nvalues = 0;
    memset(&h->labels, 0, sizeof(h->labels));
    h->invalidated = false;
    if (len > UINT_MAX)
        return -E2BIG;
    if (len < TRACKED_MIN_LEN || t->nvals == 0)
        return 0;
    if (++t->scan_gen == 0) { /* wrapped: forget every mark */
        for (size_t i = 0; i < t->nvals; i++)
            t->vals[i].mark = 0;
        t->scan_gen = 1;
    }
    struct scan_ctx c = {.t = t, .text = text, .len = len, .buf = text, .buf_len = len, .h = h};
    int rc = scan_buf(&c);
    /* then the encoded runs, decoded (the decoded bytes are wiped by dec_scan) */
    if (rc == 0 && h->nvalues < t->nvals)
        rc = dec_scan(&t->dec, text, len, on_decoded, &c);
    if (rc < 0)
        return rc;
    for (size_t i = 1; i < h->n; i++) { /* by offset; n is small */
        struct tracked_match m = h->match[i];
        size_t j = i;
        for (; j > 0 && h->match[j - 1].off > m.off; j--)
            h->match[j] = h->match[j - 1];
        h->match[j] = m;
    }
    return (int)h->n;
}

/* ---- builds ---- */

bool tracked_build_wanted(const struct tracked *t, uint64_t now_ns)
{
    if (t->building)
        return false;
    if (t->ngrave > 0 || t->nold_scratch > 0)
        return true;
    if (t->frozen) { /* left by a failed build: retry, less and less often */
        const struct pend_gen *f = &t->pend.gen[1 - t->cur];
        unsigned shift = t->failures < 16 ? t->failures : 16;
        return now_ns - f->first_ns >= (t->cfg.build_delay_ns << shift);
    }
    const struct pend_gen *g = &t->pend.gen[t->cur];
    return g->nvals >= t->cfg.build_batch ||
           (g->nvals > 0 && now_ns - g->first_ns >= t->cfg.build_delay_ns);
}

struct tracked_build *tracked_build_begin(struct tracked *t)
{
    if (t->building)
        return NULL;
    if (!t->frozen && t->pend.gen[t->cur].nvals == 0 && t->ngrave == 0 && t->nold_scratch == 0)
        return NULL;
    struct tracked_build *b = calloc(1, sizeof(*b));
    if (!b)
        return NULL;
    if (!t->frozen && t->pend.gen[t->cur].nvals > 0) {
        /* freeze: its values and bytes no longer change; adds go to the other (empty) one */
        t->cur = 1 - t->cur;
        t->frozen = true;
    }
    const struct pend_gen *fg = &t->pend.gen[1 - t->cur];
    b->max_len = t->cfg.max_len;
    b->kind = BUILD_DISPOSE;
    if (t->frozen) {
        size_t recent = t->recent ? t->recent->nvals : 0, main = t->main ? t->main->nvals : 0;
        size_t limit = t->cfg.recent_max;
        if (limit == 0)
            limit = main / 8 > 4096 ? main / 8 : 4096;
        b->pvals = fg->vals;
        b->npvals = fg->nvals;
        if (!t->main || recent + fg->nvals >= limit) {
            b->kind = BUILD_MAIN;
            if (t->main)
                b->in[b->nin++] = t->main;
        } else {
            b->kind = BUILD_RECENT;
            b->keep_db = t->main->db;
        }
        if (t->recent)
            b->in[b->nin++] = t->recent;
        if (b->kind == BUILD_MAIN)
            b->recent_in = t->recent;
    }
    memcpy(b->grave, t->grave, t->ngrave * sizeof(t->grave[0]));
    b->ngrave = t->ngrave;
    t->ngrave = 0;
    memcpy(b->old_scratch, t->old_scratch, t->nold_scratch * sizeof(t->old_scratch[0]));
    b->nold_scratch = t->nold_scratch;
    t->nold_scratch = 0;
    t->building = true;
    return b;
}

/* Patterns of one value: its raw form and its JSON form when that differs. A raw value that
 * starts with NULs is registered without them and verified; an all-NUL one not at all (the
 * scan's zero_scan finds it). Encoded forms are not registered: the scan decodes. */
struct pat_sink {
    struct tier *out;
    uint32_t tv;
    /* pass 1 counts; pass 2 fills */
    bool fill;
    size_t npats, nbytes;
    uint8_t *pbuf;
    const char **exprs;
    size_t *lens;
    unsigned *flags, *ids;
};

static void emit(struct pat_sink *s, const uint8_t *p, size_t n, uint8_t kind, size_t anchor_off)
{
    if (s->fill) {
        uint8_t *at = s->pbuf + s->nbytes;
        memcpy(at, p, n);
        s->exprs[s->npats] = (const char *)at;
        s->lens[s->npats] = n;
        s->flags[s->npats] = 0;
        s->ids[s->npats] = (unsigned)s->npats;
        s->out->pats[s->npats] = (struct tier_pat){.tv = s->tv,
                                                   .plen = (uint32_t)n,
                                                   .anchor_off = (uint16_t)anchor_off,
                                                   .kind = kind,
                                                   .verify = anchor_off > 0};
    }
    s->npats++;
    s->nbytes += n;
}

static void value_patterns(struct pat_sink *s, const uint8_t *v, size_t len, uint8_t *encbuf)
{
    struct enc_variant vars[ENC_MAX_VARIANTS];
    size_t nvar = enc_variants(v, len, encbuf, vars);
    for (size_t i = 0; i < nvar; i++) {
        const uint8_t *p = encbuf + vars[i].off;
        size_t lead = 0;
        while (lead < vars[i].len && p[lead] == '\0')
            lead++;
        if (lead < vars[i].len)
            emit(s, p + lead, vars[i].len - lead, vars[i].kind, lead);
    }
    sodium_memzero(encbuf, vars[nvar - 1].off + vars[nvar - 1].len);
}

/* The tier's hash index (see struct tier) of the patterns in s, and its ext. */
static int index_build(struct tier *out, const struct pat_sink *s)
{
    size_t nk = 0;
    for (size_t i = 0; i < s->npats; i++) {
        const uint8_t *p = (const uint8_t *)s->exprs[i];
        size_t n = s->lens[i], pre = 0, suf = 0;
        while (pre < n && dec_is_b64(p[pre]))
            pre++;
        if (pre == n) {
            nk += n >= TRACKED_MIN_LEN ? 4 : 0;
            continue;
        }
        while (suf < n && dec_is_b64(p[n - 1 - suf]))
            suf++;
        size_t x = 1 + (pre > suf ? pre : suf);
        if (x > out->ext)
            out->ext = x;
    }
    if (nk == 0)
        return 0;
    size_t words = pow2_at_least(nk / 4 > 64 ? nk / 4 : 64), slots = pow2_at_least(2 * nk);
    out->ifilter = calloc(words, sizeof(uint64_t));
    out->islots = calloc(slots, sizeof(uint32_t));
    out->ikeys = sodium_malloc(nk * sizeof(struct ikey));
    if (!out->ifilter || !out->islots || !out->ikeys)
        return -ENOMEM;
    out->ifilter_mask = words - 1;
    out->islot_mask = slots - 1;
    for (size_t i = 0; i < s->npats; i++) {
        const uint8_t *p = (const uint8_t *)s->exprs[i];
        size_t n = s->lens[i], k = 0;
        while (k < n && dec_is_b64(p[k]))
            k++;
        if (k < n || n < TRACKED_MIN_LEN)
            continue;
        for (uint32_t j = 0; j < 4; j++) {
            uint32_t off = (uint32_t)(n - 8) + j;
            uint64_t key = load_ikey(p + off), h = key * IMUL;
            out->ikeys[out->nikeys] = (struct ikey){.key = key, .pat = (uint32_t)i, .off = off};
            out->ifilter[(h >> 40) & out->ifilter_mask] |= ifilter_bits(h);
            size_t sl = (size_t)(h >> 24) & out->islot_mask;
            while (out->islots[sl])
                sl = (sl + 1) & out->islot_mask;
            out->islots[sl] = (uint32_t)++out->nikeys;
        }
    }
    return 0;
}

/* The compiled database, moved out of the libhs heap into locked memory; the heap copies are
 * wiped before they are freed. */
static int db_to_locked(hs_database_t *db, struct tier *out)
{
    char *ser = NULL;
    size_t ser_len = 0, size = 0, heap_size = 0;
    int rc = -ENOMEM;
    if (hs_serialize_database(db, &ser, &ser_len) != HS_SUCCESS ||
        hs_serialized_database_size(ser, ser_len, &size) != HS_SUCCESS)
        goto out;
    out->db_mem = locked_alloc(size);
    if (!out->db_mem)
        goto out;
    out->db_size = size;
    if (hs_deserialize_database_at(ser, ser_len, out->db_mem) != HS_SUCCESS) {
        rc = -EIO;
        goto out;
    }
    out->db = out->db_mem;
    rc = 0;
out:
    if (ser) {
        sodium_memzero(ser, ser_len);
        free(ser); /* hs_serialize_database allocates with the misc allocator: malloc */
    }
    /* hs_free_database checks only the leading magic word: wipe everything after it */
    if (hs_database_size(db, &heap_size) == HS_SUCCESS && heap_size > sizeof(uint32_t))
        sodium_memzero((char *)db + sizeof(uint32_t), heap_size - sizeof(uint32_t));
    hs_free_database(db);
    return rc;
}

void tracked_build_run(struct tracked_build *b)
{
    uint64_t t0 = mono_ns();
    for (size_t i = 0; i < b->ngrave; i++)
        tier_free(b->grave[i]); /* wiping a large database is the worker's job */
    b->ngrave = 0;
    for (size_t i = 0; i < b->nold_scratch; i++)
        hs_free_scratch(b->old_scratch[i]);
    b->nold_scratch = 0;
    b->disposed = true;
    b->ran = true;
    if (b->kind == BUILD_DISPOSE)
        return;

    struct tier *out = calloc(1, sizeof(*out));
    uint8_t *encbuf = sodium_malloc(enc_bound(b->max_len));
    struct pat_sink s = {.out = out};
    hs_database_t *db = NULL;
    hs_compile_error_t *cerr = NULL;
    int rc = -ENOMEM;
    if (!out || !encbuf)
        goto out;

    size_t nvals = b->npvals, nbytes = 0;
    for (size_t i = 0; i < b->nin; i++) {
        nvals += b->in[i]->nvals;
        nbytes += b->in[i]->blob_size;
    }
    for (size_t i = 0; i < b->npvals; i++)
        nbytes += b->pvals[i].len;
    out->blob = locked_alloc(nbytes);
    out->vals = malloc(nvals * sizeof(*out->vals));
    if (!out->blob || !out->vals)
        goto out;
    for (size_t i = 0; i < b->nin; i++) {
        const struct tier *in = b->in[i];
        for (size_t k = 0; k < in->nvals; k++) {
            struct tier_val tv = in->vals[k];
            memcpy(out->blob + out->blob_size, in->blob + tv.off, tv.len);
            tv.off = (uint32_t)out->blob_size;
            out->vals[out->nvals++] = tv;
            out->blob_size += tv.len;
        }
    }
    for (size_t i = 0; i < b->npvals; i++) {
        const struct pend_val *pv = &b->pvals[i];
        memcpy(out->blob + out->blob_size, pv->bytes, pv->len);
        out->vals[out->nvals++] =
            (struct tier_val){.value = pv->value, .off = (uint32_t)out->blob_size, .len = pv->len};
        out->blob_size += pv->len;
    }

    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            s.pbuf = locked_alloc(s.nbytes);
            s.exprs = malloc(s.npats * sizeof(*s.exprs));
            s.lens = malloc(s.npats * sizeof(*s.lens));
            s.flags = malloc(s.npats * sizeof(*s.flags));
            s.ids = malloc(s.npats * sizeof(*s.ids));
            out->pats = malloc(s.npats * sizeof(*out->pats));
            if (!s.pbuf || !s.exprs || !s.lens || !s.flags || !s.ids || !out->pats)
                goto out;
            s.fill = true;
            s.npats = s.nbytes = 0;
        }
        for (size_t k = 0; k < out->nvals; k++) {
            s.tv = (uint32_t)k;
            value_patterns(&s, out->blob + out->vals[k].off, out->vals[k].len, encbuf);
        }
    }
    out->npats = s.npats;
    rc = index_build(out, &s);
    if (rc < 0)
        goto out;
    rc = -ENOMEM;

    hs_error_t e = hs_compile_lit_multi(s.exprs, s.flags, s.ids, s.lens, (unsigned)s.npats,
                                        HS_MODE_BLOCK, NULL, &db, &cerr);
    if (e != HS_SUCCESS) {
        rc = e == HS_NOMEM ? -ENOMEM : -EIO;
        goto out;
    }
    rc = db_to_locked(db, out);
    db = NULL;
    if (rc < 0)
        goto out;
    if (hs_alloc_scratch(out->db, &b->scratch) != HS_SUCCESS ||
        (b->keep_db && hs_alloc_scratch(b->keep_db, &b->scratch) != HS_SUCCESS)) {
        rc = -ENOMEM;
        goto out;
    }
    b->out = out;
    out = NULL;
    rc = 0;
out:
    if (cerr)
        hs_free_compile_error(cerr);
    if (s.pbuf)
        sodium_free(s.pbuf); /* wipes the patterns */
    free(s.exprs);
    free(s.lens);
    free(s.flags);
    free(s.ids);
    sodium_free(encbuf);
    tier_free(out);
    if (rc < 0 && b->scratch) {
        hs_free_scratch(b->scratch);
        b->scratch = NULL;
    }
    b->err = rc;
    b->ns = mono_ns() - t0;
}

static void set_tier(struct tracked *t, const struct tier *tr, uint8_t tier)
{
    for (size_t i = 0; i < tr->nvals; i++)
        t->vals[tr->vals[i].value].tier = tier;
}

int tracked_build_finish(struct tracked *t, struct tracked_build *b)
{
    int rc = b->ran ? b->err : -ECANCELED;
    t->building = false;
    if (!b->disposed) { /* never ran: the old tiers still wait for a worker */
        for (size_t i = 0; i < b->ngrave; i++)
            t->grave[t->ngrave++] = b->grave[i];
        for (size_t i = 0; i < b->nold_scratch; i++)
            t->old_scratch[t->nold_scratch++] = b->old_scratch[i];
    }
    if (rc < 0) {
        /* the frozen generation stays frozen and scanned; the next build takes it again */
        t->st.build_failures++;
        t->failures++;
        free(b);
        return rc;
    }
    if (b->kind != BUILD_DISPOSE) {
        struct tier *out = b->out;
        if (b->kind == BUILD_MAIN) {
            if (t->main)
                t->grave[t->ngrave++] = t->main;
            if (t->recent)
                t->grave[t->ngrave++] = t->recent;
            t->main = out;
            t->recent = NULL;
            if (b->recent_in)
                set_tier(t, b->recent_in, TRACKED_MAIN);
        } else {
            if (t->recent)
                t->grave[t->ngrave++] = t->recent;
            t->recent = out;
        }
        uint8_t tier = b->kind == BUILD_MAIN ? TRACKED_MAIN : TRACKED_RECENT;
        for (size_t i = 0; i < b->npvals; i++)
            t->vals[b->pvals[i].value].tier = tier;
        if (t->scratch)
            t->old_scratch[t->nold_scratch++] = t->scratch;
        t->scratch = b->scratch;
        pend_clear(&t->pend, 1 - t->cur);
        t->frozen = false;
        t->st.builds++;
        t->failures = 0;
        t->st.last_build_ns = b->ns;
        t->st.last_build_patterns = out->npats;
    }
    free(b);
    return 0;
}
