/*
 * tracked.c - tracked values (tracked.h): the value and source tables, matching over three
 * tiers (main and recent hash indexes built in the background, the pending set), and the
 * background build. It exists so that a secret read from one tool cannot leave through another,
 * even encoded, without the call carrying the secret's labels and provenance.
 * It must never build an index or wipe a large one on the caller's thread, never keep a value's
 * bytes outside sodium memory, and never hand a value's bytes to its caller.
 */
#include "scan/tracked.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "base/err.h"
#include "scan/tracked_dec.h"
#include "scan/tracked_enc.h"
#include "scan/tracked_pend.h"

#define STR_CHUNK (64u * 1024u)
#define GRAVE_MAX 8
#define BLOCK (32u << 10) /* text positions probed per normalisation block (a multiple of 4) */
/* Hex patterns (at least 16 characters) are sampled with 8 case-folded characters every 8. */
#define HEX_KEY_BYTES 8
#define HEX_STRIDE 8
#define HEX_FOLD 0x2020202020202020ull
/* Other patterns of at least LONG_PAT_MIN characters are sampled with 8 characters every 4 (48 bits
 * of a base64 text: random windows never equal a key); shorter ones (8 to 10 characters) with
 * TRACK_KEY_BYTES every 4, in a separate small index. */
#define LONG_KEY_BYTES TRACK_LONG_KEY_BYTES
#define LONG_PAT_MIN TRACK_LONG_MIN
#define PB 32 /* probes per prefetched batch */
#define SKIP_MAX 32
/* filter words per key: 32 to 64 bits per key, about 0.1% false positives */
#define FILTER_DIV 2

#define SKETCH_LOG2 20 /* the build's count sketch of keys: 1 MiB of 8-bit counters */
#define KEY_CHOICES 8  /* candidate window positions per pattern */

/* One value. Its bytes are in the tier that holds it (pending arena or an index's blob). */
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

/* One sampled window of a pattern: a pattern starting `off` characters before a text window
 * equal to `key` may be the value's. */
struct islot {
    uint64_t key; /* the window's characters (see struct cidx) */
    uint32_t tv;  /* index in the tier's vals */
    uint16_t off; /* the window's offset in the pattern */
    uint8_t kind; /* enum enc_kind */
    uint8_t used;
};

/* Windows of patterns in an open-addressing table behind a blocked Bloom filter (one word per
 * probe, about 32 bits per key). A filter hit costs one more cache line: the window's slot. */
struct cidx {
    uint64_t *filter;
    unsigned shift;      /* the word is hash >> shift */
    struct islot *slots; /* sodium: the windows are pieces of the values' patterns */
    size_t nslots, nent;
};

/* An index of values and their bytes. Immutable once built; released on a worker. */
struct tier {
    uint8_t *blob; /* sodium: the raw bytes of its values */
    size_t blob_size;
    struct tier_val *vals;
    size_t nvals;
    /* [0]: raw, JSON and base64 patterns; [1]: the transformed ones (compact, reversed, rot13),
     * probed by tracked_scan_compact only */
    struct cidx text[2]; /* 8 characters (through enc_norm) every 4 */
    struct cidx shrt[2]; /* patterns shorter than LONG_PAT_MIN: 5 characters every 4 */
    struct cidx hex;  /* hex patterns: 8 characters every 8, case-folded */
    size_t npats;     /* patterns indexed */
    size_t max_long;  /* the longest pattern of the text index */
    /* recent tiers: main's text filter with this tier's keys added, so that a scan probes one
     * filter for both (main's must be the one it was built from) */
    uint64_t *ufilter;
    unsigned ushift;
    const struct tier *umain;
    bool hexlike; /* one of them is made of hex digits only */
    size_t bytes; /* memory of the indexes */
};

enum build_kind { BUILD_DISPOSE, BUILD_RECENT, BUILD_MAIN };

struct tracked_build {
    enum build_kind kind;
    const struct tier *in[2]; /* old tiers whose values go into the new one */
    size_t nin;
    const struct tier *recent_in; /* MAIN: the recent tier merged in */
    const struct tier *main_ref;  /* RECENT: main, whose filter the new one extends */
    const struct pend_val *pvals; /* the frozen pending generation */
    size_t npvals;
    size_t max_len;
    struct tier *grave[GRAVE_MAX]; /* replaced tiers to release on the worker */
    size_t ngrave;
    bool disposed, ran;
    int err;
    struct tier *out;
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
    struct pend apend; /* the same values' transformed patterns (index set 1) */
    int cur;     /* generation taking adds */
    bool frozen; /* generation 1 - cur holds values given to a build (or left by a failed one) */

    struct tier *main, *recent;
    /* Replaced tiers wait for the next build's worker: wiping a large index takes milliseconds,
     * and freeing memory the worker allocated can make glibc consolidate the worker's arena on
     * the caller's thread. */
    struct tier *grave[GRAVE_MAX];
    size_t ngrave;
    bool building;

    uint8_t *encbuf;  /* sodium: enc_bound(max_len), every variant of one value */
    uint8_t *vbuf;    /* sodium: one pattern, for verification */
    uint8_t *normbuf; /* sodium: a block of text through enc_norm */
    struct dec dec;   /* the encoded runs of the text being scanned */
    /* all-NUL values, by length: their raw form is not indexed (a text of NULs would make every
     * probe a candidate), the scan looks for runs of NULs instead; at most one per length */
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
    [TRACKED_URL_FORM] = "url-form", [TRACKED_REVERSED] = "reversed",
    [TRACKED_ROT13] = "rot13",       [TRACKED_COMPACT] = "compact",
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

static void cidx_free(struct cidx *ix)
{
    free(ix->filter);
    sodium_free(ix->slots); /* wipes */
    memset(ix, 0, sizeof(*ix));
}

static void tier_free(struct tier *tr)
{
    if (!tr)
        return;
    sodium_free(tr->blob);
    free(tr->vals);
    for (int k = 0; k < 2; k++) {
        cidx_free(&tr->text[k]);
        cidx_free(&tr->shrt[k]);
    }
    free(tr->ufilter);
    cidx_free(&tr->hex);
    free(tr);
}

static void *locked_alloc(size_t size)
{
    return sodium_malloc(size ? size : 1);
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
    t->vbuf = sodium_malloc(enc_bound(c.max_len));
    t->normbuf = sodium_malloc(BLOCK + 16);
    t->zeros = calloc(c.max_len - c.min_len + 1, sizeof(*t->zeros));
    if (!t->key || !t->vals || !t->srcs || !t->vhash || !t->shash || !t->encbuf || !t->vbuf ||
        !t->normbuf || !t->zeros || pend_init(&t->pend, c.pending_max, ENC_NMAIN) < 0 ||
        pend_init(&t->apend, c.pending_max, ENC_NKINDS - ENC_NMAIN) < 0 ||
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
    pend_cleanup(&t->pend);
    pend_cleanup(&t->apend);
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
    sodium_free(t->normbuf);
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
    struct enc_variant vars[ENC_MAX_VARIANTS], avars[ENC_MAX_VARIANTS];
    size_t nvar = enc_variants(value, len, t->encbuf, ENC_ALL, vars);
    size_t used = vars[nvar - 1].off + vars[nvar - 1].len;
    /* the transformed forms after the others in encbuf (enc_bound has room for both) */
    uint8_t *abuf = t->encbuf + used;
    size_t navar = enc_variants(value, len, abuf, ENC_ALT_ALL, avars);
    used += navar ? avars[navar - 1].off + avars[navar - 1].len : 0;
    if (!pend_has_room(&t->pend, t->cur, nvar) || !pend_has_room(&t->apend, t->cur, navar)) {
        sodium_memzero(t->encbuf, used);
        t->st.refused_busy++;
        return -EAGAIN;
    }
    rc = src_intern(t, prov, &src);
    if (rc == 0)
        rc = pend_add(&t->pend, t->cur, (uint32_t)t->nvals, value, len, vars, nvar, t->encbuf,
                      now_ns);
    /* out of memory here (before anything is added): the value is still tracked, its
     * transformed forms only once it is built into a tier */
    if (rc == 0 && navar > 0)
        (void)pend_add(&t->apend, t->cur, (uint32_t)t->nvals, value, len, avars, navar, abuf,
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
    s->db_bytes = (t->recent ? t->recent->bytes : 0) + (t->main ? t->main->bytes : 0);
    s->building = t->building;
}

/* ---- scanning ---- */

/*
 * Every buffer is probed the same way: at every fourth position the five characters there
 * (through enc_norm) are a key; its hash selects a word of each filter in use (the tiers' text
 * indexes and the pending set), and only a key whose bits are all set looks at a table, where an
 * equal key is a candidate verified in full against the buffer (candidate()). Hex runs are
 * probed again with 8 case-folded characters every 8 against the tiers' hex indexes.
 */
enum scan_mode {
    M_TEXT,    /* the argument: every kind of pattern */
    M_STAGE,   /* joined line-wrapped base64: base64 patterns, reported at the window's span */
    M_HEX,     /* a hex run, case-folded: hex patterns */
    M_DECODED, /* a chunk of decoded url runs: raw and JSON patterns, mapped back */
};

struct scan_ctx {
    struct tracked *t;
    const uint8_t *text; /* the argument */
    size_t len;
    enum scan_mode mode;
    unsigned kinds;     /* enum enc_kind bits this mode accepts */
    const uint8_t *buf; /* what candidates are verified against */
    size_t buf_len;
    size_t span_off, span_len; /* M_STAGE: the text the stage came from */
    const struct dec *dec;     /* M_DECODED: the chunk's decodings */
    size_t zero_next;          /* t->zeros[0 .. zero_next) have been looked for */
    bool normbuf_used;
    bool compact;          /* tracked_scan_compact: */
    unsigned set;          /* ... the tiers' index set 1 (transformed forms), and */
    const struct pend *pd; /* ... the pending values' transformed forms */
    const struct tier *tiers[2]; /* with a (long) text index */
    unsigned ntiers;
    const struct tier *stiers[2]; /* with a short index */
    unsigned nstiers;
    const struct tier *htiers[2]; /* with a hex index */
    unsigned nhtiers;
    bool pend, pend_long, pend_short; /* values are pending; with long, short keys */
    const uint64_t *ufilter;          /* main's and recent's text keys in one filter, or NULL */
    unsigned ushift;
    /* interiors of long hex runs where no pattern of the text indexes can lie (positions,
     * multiples of 4, sorted): the text pass skips their long windows */
    size_t skip[SKIP_MAX][2];
    unsigned nskip;
    struct tracked_hits *h;
};

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

static bool span_url(const uint8_t *p, size_t n)
{
    return memchr(p, '-', n) != NULL || memchr(p, '_', n) != NULL;
}

/* Base64 characters equal to a pattern's (standard alphabet) through enc_norm. */
static bool b64_eq(const uint8_t *b, const uint8_t *pat, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (enc_norm(b[i]) != pat[i])
            return false;
    return true;
}

/* Hex digits of either case spelling v. */
static bool hex_eq(const uint8_t *b, const uint8_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = enc_hexval[b[2 * i]], lo = enc_hexval[b[2 * i + 1]];
        if (hi < 0 || lo < 0 || (unsigned)(hi << 4 | lo) != v[i])
            return false;
    }
    return true;
}

static bool all_digits(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

/* The pattern `kind` of value v (vlen bytes) may start at buf[at]: verify it and report it. */
static void candidate(struct scan_ctx *c, uint32_t value, const uint8_t *v, size_t vlen,
                      unsigned kind, size_t at)
{
    struct tracked *t = c->t;
    if (!(c->kinds >> kind & 1) || t->vals[value].mark == t->scan_gen || at >= c->buf_len)
        return;
    const uint8_t *b = c->buf;
    size_t room = c->buf_len - at, off = at, len;
    unsigned align = 0;
    enum tracked_variant var;
    switch (kind) {
    case ENC_RAW:
        if (vlen > room || memcmp(b + at, v, vlen) != 0)
            return;
        len = vlen;
        var = TRACKED_RAW;
        break;
    case ENC_JSON:
    case ENC_CMP:
    case ENC_CMP_REV:
    case ENC_CMP_ROT13: {
        size_t pl = enc_one(kind, v, vlen, t->vbuf, NULL);
        bool eq = pl <= room && memcmp(b + at, t->vbuf, pl) == 0;
        if (eq && c->compact) /* digits joined by the compact view: long enough to mean it */
            eq = pl >= ENC_COMPACT_DIGITS_MIN || !all_digits(t->vbuf, pl);
        sodium_memzero(t->vbuf, pl);
        if (!eq)
            return;
        len = pl;
        var = kind == ENC_JSON        ? TRACKED_JSON
              : kind == ENC_CMP_REV   ? TRACKED_REVERSED
              : kind == ENC_CMP_ROT13 ? TRACKED_ROT13
                                      : TRACKED_COMPACT;
        break;
    }
    case ENC_HEX:
        if (2 * vlen > room || !hex_eq(b + at, v, vlen))
            return;
        len = 2 * vlen;
        var = TRACKED_HEX;
        break;
    default: {
        struct enc_edges e;
        size_t pl = enc_one(kind, v, vlen, t->vbuf, &e);
        size_t lead = e.lead_mask != 0, trail = e.trail_mask != 0;
        bool eq = at >= lead && pl + trail <= room && b64_eq(b + at, t->vbuf, pl);
        if (eq && lead) {
            int x = enc_b64val[b[at - 1]];
            eq = x >= 0 && (x & e.lead_mask) == e.lead_val;
        }
        if (eq && trail) {
            int x = enc_b64val[b[at + pl]];
            eq = x >= 0 && (x & e.trail_mask) == e.trail_val;
        }
        sodium_memzero(t->vbuf, pl);
        sodium_memzero(&e, sizeof(e));
        if (!eq)
            return;
        off = at - lead;
        len = pl + lead + trail;
        align = kind - ENC_B64_0;
        var = span_url(b + off, len) ? TRACKED_BASE64URL : TRACKED_BASE64;
        break;
    }
    }
    if (c->mode == M_STAGE) { /* a line-wrapped run: the whole window, an approximation */
        off = c->span_off;
        len = c->span_len;
        var = span_url(c->text + off, len) ? TRACKED_BASE64URL : TRACKED_BASE64;
    } else if (c->mode == M_DECODED) {
        struct dec_hit m;
        if (!dec_map(c->dec, c->text, off, len, &m)) /* it straddles two runs: no match */
            return;
        off = m.off;
        len = m.len;
        var = (enum tracked_variant)m.variant;
    }
    record(c, value, var, align, off, len);
}

static void on_pend_cand(void *ctx, uint32_t value, const uint8_t *bytes, size_t len, unsigned kind,
                         size_t at)
{
    candidate(ctx, value, bytes, len, kind, at);
}

static size_t slot_of(uint64_t h, size_t n)
{
    return (size_t)(((h >> 32) * (uint64_t)n) >> 32);
}

/* The windows of ix equal to key, at buffer position i. */
static void ix_candidates(struct scan_ctx *c, const struct tier *tr, const struct cidx *ix,
                          uint64_t key, uint64_t h, size_t i)
{
    for (size_t s = slot_of(h, ix->nslots); ix->slots[s].used; s = s + 1 < ix->nslots ? s + 1 : 0) {
        const struct islot *e = &ix->slots[s];
        if (e->key != key || e->off > i)
            continue;
        const struct tier_val *tv = &tr->vals[e->tv];
        candidate(c, tv->value, tr->blob + tv->off, tv->len, e->kind, i - e->off);
    }
}

/* 8 bytes at p as a number whose lowest byte is p[0] */
static inline uint64_t load8(const uint8_t *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    return x;
}

static inline bool in_filter(const struct cidx *ix, uint64_t h, uint64_t m)
{
    return (ix->filter[h >> ix->shift] & m) == m;
}

/* BMI2 (shlx, shrx) makes track_bits three instructions cheaper per probe: a copy of the loops
 * for x86-64-v3 is chosen at load time where the CPU has it. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_ADDRESS__)
#define HOT_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define HOT_CLONES
#endif
#define PREFETCH_FROM (256u << 10) /* filters at least this large are prefetched */

/*
 * 8-character windows at positions base + p, p in [from, to) stepping by `stride`, of a view
 * that holds the buffer's bytes base .. base + vlen (through enc_norm for the text indexes,
 * case-folded with `fold` for the hex ones), against the text (or hex) index of tiers
 * trs[0 .. nt) (main and recent) and, for text, the pending keys. When a filter is large (the
 * main tier's is several MiB at 100,000 values) the loop is bound by its cache misses: the
 * hashes of the next PB positions are computed and their words in the largest filter prefetched
 * while this batch is tested.
 */
HOT_CLONES
static void probe_ix(struct scan_ctx *c, const struct tier *const *trs, unsigned nt, bool hex,
                     const uint8_t *view, size_t vlen, size_t base, size_t from, size_t to,
                     size_t stride, uint64_t fold)
{
    bool pend = !hex && c->pend_long;
    if ((nt == 0 && !pend) || vlen < LONG_KEY_BYTES)
        return;
    if (to > vlen - LONG_KEY_BYTES + 1)
        to = vlen - LONG_KEY_BYTES + 1;
    if (to <= from)
        return;
    /* ix[0] the largest index (prefetched), ix[1] the other tier's or none */
    const struct cidx *ix[2] = {NULL, NULL};
    const struct tier *tr[2] = {NULL, NULL};
    for (unsigned k = 0; k < nt && k < 2; k++) {
        tr[k] = trs[k];
        ix[k] = hex ? &trs[k]->hex : &trs[k]->text[c->set];
    }
    bool uni = !hex && c->ufilter && nt == 2;
    if (!uni && ix[1] && ix[1]->nslots > ix[0]->nslots) {
        const struct cidx *x = ix[0];
        const struct tier *y = tr[0];
        ix[0] = ix[1], tr[0] = tr[1];
        ix[1] = x, tr[1] = y;
    }
    static const uint64_t never[2]; /* a filter no key passes (shift 63): no tier */
    const uint64_t *f0 = ix[0] ? ix[0]->filter : never, *f1 = ix[1] ? ix[1]->filter : NULL;
    unsigned sh0 = ix[0] ? ix[0]->shift : 63, sh1 = ix[1] ? ix[1]->shift : 63;
    if (uni) { /* one filter for both tiers (trs[0] is main): a pass looks in both tables */
        f0 = c->ufilter;
        sh0 = c->ushift;
        f1 = NULL;
    }
    const struct pend *pd = c->pd;
    bool big = ix[0] && ((size_t)8 << (64 - sh0)) >= PREFETCH_FROM;
    size_t p = from;
    if (big && !f1 && !pend && to - p >= 2 * stride * PB) { /* the usual case, kept tight */
        uint64_t hs[PB], nh[PB];
        for (unsigned j = 0; j < PB; j++) {
            hs[j] = (load8(view + p + stride * j) | fold) * TRACK_MUL;
            __builtin_prefetch(&f0[hs[j] >> sh0]);
        }
        for (; to - p >= 2 * stride * PB; p += stride * PB) {
            const uint8_t *q = view + p + stride * PB;
            for (unsigned j = 0; j < PB; j++) {
                nh[j] = (load8(q + stride * j) | fold) * TRACK_MUL;
                __builtin_prefetch(&f0[nh[j] >> sh0]);
            }
            for (unsigned j = 0; j < PB; j++) {
                uint64_t m = track_bits(hs[j]);
                if ((f0[hs[j] >> sh0] & m) == m) {
                    size_t at = p + stride * j;
                    uint64_t key = load8(view + at) | fold;
                    ix_candidates(c, tr[0], ix[0], key, hs[j], base + at);
                    if (uni)
                        ix_candidates(c, tr[1], ix[1], key, hs[j], base + at);
                }
            }
            memcpy(hs, nh, sizeof(hs));
        }
    } else if (big && to - p >= 2 * stride * PB) {
        uint64_t hs[PB], nh[PB];
        for (unsigned j = 0; j < PB; j++) {
            hs[j] = (load8(view + p + stride * j) | fold) * TRACK_MUL;
            __builtin_prefetch(&f0[hs[j] >> sh0]);
        }
        for (; to - p >= 2 * stride * PB; p += stride * PB) {
            const uint8_t *q = view + p + stride * PB;
            for (unsigned j = 0; j < PB; j++) {
                nh[j] = (load8(q + stride * j) | fold) * TRACK_MUL;
                __builtin_prefetch(&f0[nh[j] >> sh0]);
            }
            for (unsigned j = 0; j < PB; j++) {
                uint64_t h = hs[j], m = track_bits(h);
                bool a = (f0[h >> sh0] & m) == m;
                bool b = uni ? a : f1 && (f1[h >> sh1] & m) == m;
                bool d = pend && pend_filter(pd, h, m);
                if (a | b | d) {
                    size_t at = p + stride * j;
                    uint64_t key = load8(view + at) | fold;
                    if (a)
                        ix_candidates(c, tr[0], ix[0], key, h, base + at);
                    if (b)
                        ix_candidates(c, tr[1], ix[1], key, h, base + at);
                    if (d)
                        pend_candidates(pd, key, h, base + at, on_pend_cand, c);
                }
            }
            memcpy(hs, nh, sizeof(hs));
        }
        /* the batch whose hashes are in hs: tested below with the rest */
    }
    if (!f1 && !pend) {
        for (; p < to; p += stride) {
            uint64_t key = load8(view + p) | fold, h = key * TRACK_MUL, m = track_bits(h);
            if ((f0[h >> sh0] & m) == m) {
                ix_candidates(c, tr[0], ix[0], key, h, base + p);
                if (uni)
                    ix_candidates(c, tr[1], ix[1], key, h, base + p);
            }
        }
        return;
    }
    for (; p < to; p += stride) {
        uint64_t key = load8(view + p) | fold, h = key * TRACK_MUL, m = track_bits(h);
        bool a = (f0[h >> sh0] & m) == m;
        if (a)
            ix_candidates(c, tr[0], ix[0], key, h, base + p);
        if (uni ? a : f1 && (f1[h >> sh1] & m) == m)
            ix_candidates(c, tr[1], ix[1], key, h, base + p);
        if (pend && pend_filter(pd, h, m))
            pend_candidates(pd, key, h, base + p, on_pend_cand, c);
    }
}

/* The short windows (5 characters every 4): the tiers' short indexes and pending values. */
HOT_CLONES
static void probe_short(struct scan_ctx *c, const uint8_t *view, size_t vlen, size_t base,
                        size_t from, size_t to)
{
    if (c->nstiers == 0 && !c->pend_short)
        return;
    for (size_t p = from; p < to && p + TRACK_KEY_BYTES <= vlen; p += TRACK_STRIDE) {
        uint64_t key = p + 8 <= vlen ? load8(view + p) & TRACK_KEY_MASK : track_key(view + p);
        uint64_t h = key * TRACK_MUL, m = track_bits(h);
        for (unsigned k = 0; k < c->nstiers; k++)
            if (in_filter(&c->stiers[k]->shrt[c->set], h, m))
                ix_candidates(c, c->stiers[k], &c->stiers[k]->shrt[c->set], key, h, base + p);
        if (c->pend_short && pend_filter(c->pd, h, m))
            pend_candidates(c->pd, key, h, base + p, on_pend_cand, c);
    }
}

/* Positions base + [from, to) of a view: long windows (except inside the skipped interiors of
 * long hex runs, see tracked_scan) and short ones. */
static void probe_view(struct scan_ctx *c, const uint8_t *view, size_t vlen, size_t base,
                       size_t from, size_t to)
{
    size_t p = from;
    for (unsigned k = 0; k < c->nskip && p < to; k++) {
        if (c->skip[k][1] <= base + p)
            continue;
        if (c->skip[k][0] >= base + to)
            break;
        if (c->skip[k][0] > base + p)
            probe_ix(c, c->tiers, c->ntiers, false, view, vlen, base, p, c->skip[k][0] - base,
                     TRACK_STRIDE, 0);
        p = c->skip[k][1] - base;
    }
    if (p < to)
        probe_ix(c, c->tiers, c->ntiers, false, view, vlen, base, p, to, TRACK_STRIDE, 0);
    probe_short(c, view, vlen, base, from, to);
}

/* Whether p[0..n) holds '-' or '_' (the characters enc_norm changes). */
static bool has_url_chars(const uint8_t *p, size_t n)
{
    size_t i = 0;
#ifdef __SSE2__
    const __m128i dash = _mm_set1_epi8('-'), us = _mm_set1_epi8('_');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, dash), _mm_cmpeq_epi8(v, us))))
            return true;
    }
#endif
    for (; i < n; i++)
        if (p[i] == '-' || p[i] == '_')
            return true;
    return false;
}

static void norm_copy(uint8_t *out, const uint8_t *p, size_t n)
{
    size_t i = 0;
#ifdef __SSE2__
    const __m128i dash = _mm_set1_epi8('-'), us = _mm_set1_epi8('_');
    const __m128i two = _mm_set1_epi8(2), x30 = _mm_set1_epi8(0x30);
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i d = _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(v, dash), two),
                                 _mm_and_si128(_mm_cmpeq_epi8(v, us), x30));
        _mm_storeu_si128((__m128i *)(void *)(out + i), _mm_sub_epi8(v, d));
    }
#endif
    for (; i < n; i++)
        out[i] = enc_norm(p[i]);
}

/* Every sampled position of b[0..n), in blocks: a block with '-' or '_' is probed through a
 * normalised copy, any other in place. */
static void probe_buf(struct scan_ctx *c, const uint8_t *b, size_t n)
{
    for (size_t bs = 0; bs + TRACK_KEY_BYTES <= n; bs += BLOCK) {
        size_t be = n - bs > BLOCK ? bs + BLOCK : n, vend = n - be > 8 ? be + 8 : n;
        const uint8_t *view = b + bs;
        if (has_url_chars(view, vend - bs)) {
            norm_copy(c->t->normbuf, view, vend - bs);
            view = c->t->normbuf;
            c->normbuf_used = true;
        }
        probe_view(c, view, vend - bs, bs, 0, be - bs);
    }
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
            if (t->vals[id].mark != t->scan_gen) {
                if (c->mode == M_DECODED) {
                    struct dec_hit m;
                    if (dec_map(c->dec, c->text, s, t->vals[id].len, &m))
                        record(c, id, (enum tracked_variant)m.variant, 0, m.off, m.len);
                } else {
                    record(c, id, TRACKED_RAW, 0, s, t->vals[id].len);
                }
            }
        }
        i = e;
    }
}

static bool all_found(const struct scan_ctx *c)
{
    return c->h->nvalues == c->t->nvals;
}

/* A hex run text[s..e): the tiers' hex indexes, and pending values when it has capitals (the
 * text pass saw lower-case hex only). */
static int on_hex_run(void *ctx, size_t s, size_t e)
{
    struct scan_ctx *c = ctx;
    if (all_found(c))
        return 0;
    c->mode = M_HEX;
    c->kinds = 1u << ENC_HEX;
    probe_ix(c, c->htiers, c->nhtiers, true, c->text, c->len, 0, s, e - HEX_KEY_BYTES + 1,
             HEX_STRIDE, HEX_FOLD);
    /* pending values' hex keys (the ordinary set's): the text pass saw lower-case hex, so only
     * a run with capitals needs them here; a compact text's pass did not look for hex at all */
    bool probe = c->compact && pend_has_long(&c->t->pend);
    for (size_t p = s; p < e && !probe && c->pend_long && !c->compact; p++)
        probe = c->text[p] >= 'A' && c->text[p] <= 'F';
    for (size_t p = s; probe && p + LONG_KEY_BYTES <= e; p += TRACK_STRIDE) {
        uint64_t key = load8(c->text + p) | HEX_FOLD, h = key * TRACK_MUL, m = track_bits(h);
        if (pend_filter(&c->t->pend, h, m))
            pend_candidates(&c->t->pend, key, h, p, on_pend_cand, c);
    }
    c->mode = M_TEXT;
    c->kinds = c->compact ? ENC_ALT_ALL : ENC_ALL;
    return 0;
}

/* Joined line-wrapped base64 (writable): base64 patterns only. */
static int on_stage(void *ctx, uint8_t *stage, size_t n, size_t src_off, size_t src_len)
{
    struct scan_ctx *c = ctx;
    if (all_found(c))
        return 0;
    norm_copy(stage, stage, n);
    c->mode = M_STAGE;
    c->kinds = (1u << ENC_B64_0) | (1u << ENC_B64_1) | (1u << ENC_B64_2);
    c->buf = stage;
    c->buf_len = n;
    c->span_off = src_off;
    c->span_len = src_len;
    unsigned nskip = c->nskip;
    c->nskip = 0;
    probe_view(c, stage, n, 0, 0, n);
    c->nskip = nskip;
    c->mode = M_TEXT;
    c->kinds = ENC_ALL;
    c->buf = c->text;
    c->buf_len = c->len;
    return 0;
}

/* A chunk of decoded url runs: raw and JSON patterns, and runs of NULs. */
static int on_decoded(void *ctx, const struct dec *d)
{
    struct scan_ctx *c = ctx;
    if (all_found(c))
        return 0;
    c->mode = M_DECODED;
    c->kinds = (1u << ENC_RAW) | (1u << ENC_JSON);
    c->dec = d;
    c->buf = d->buf;
    c->buf_len = d->used;
    unsigned nskip = c->nskip;
    c->nskip = 0;
    probe_buf(c, d->buf, d->used);
    c->nskip = nskip;
    for (size_t i = 0; i < d->nsegs && c->t->nzeros; i++) {
        c->zero_next = 0;
        zero_scan(c, d->segs[i].dec_off, (size_t)d->segs[i].dec_off + d->segs[i].dec_len);
    }
    c->mode = M_TEXT;
    c->kinds = ENC_ALL;
    c->dec = NULL;
    c->buf = c->text;
    c->buf_len = c->len;
    return 0;
}

/*
 * A text pattern that is not made of hex digits cannot lie inside a hex run, and its sampled
 * window is at most max_long characters from its ends: the long windows of a hex run's interior
 * (max_long in from either end) need no probe when no tier has such a pattern (a text that is
 * one long hex dump then costs the hex index's probes only).
 */
static void hex_interiors(struct scan_ctx *c)
{
    if (c->pend_long)
        return; /* pending patterns are probed with the same windows: none may be skipped */
    size_t m = 0;
    for (unsigned k = 0; k < c->ntiers; k++) {
        if (c->tiers[k]->hexlike)
            return;
        if (c->tiers[k]->max_long > m)
            m = c->tiers[k]->max_long;
    }
    size_t minrun = 2 * m + 8 * BLOCK, s;
    for (size_t pos = 0; c->ntiers && pos < c->len && c->nskip < SKIP_MAX;) {
        size_t e = dec_hex_run(c->text, c->len, pos, minrun, &s);
        if (s >= c->len)
            break;
        c->skip[c->nskip][0] = (s + m + 3) & ~(size_t)3;
        c->skip[c->nskip][1] = (e - m) & ~(size_t)3;
        c->nskip++;
        pos = e;
    }
}

bool tracked_empty(const struct tracked *t)
{
    return t->nvals == 0;
}

size_t tracked_compact(const void *text, size_t len, void *out)
{
    return enc_compact(text, len, out);
}

static int scan(struct tracked *t, const void *text, size_t len, bool compact,
                struct tracked_hits *h)
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
    struct scan_ctx c = {.t = t,
                         .text = text,
                         .len = len,
                         .mode = M_TEXT,
                         .kinds = compact ? ENC_ALT_ALL : ENC_ALL,
                         .compact = compact,
                         .set = compact,
                         .pd = compact ? &t->apend : &t->pend,
                         .buf = text,
                         .buf_len = len,
                         .pend = !pend_empty(compact ? &t->apend : &t->pend),
                         .pend_long = pend_has_long(compact ? &t->apend : &t->pend),
                         .pend_short = pend_has_short(compact ? &t->apend : &t->pend),
                         .h = h};
    const struct tier *tiers[2] = {t->main, t->recent};
    for (int k = 0; k < 2; k++) {
        if (tiers[k] && tiers[k]->text[c.set].nent)
            c.tiers[c.ntiers++] = tiers[k];
        if (tiers[k] && tiers[k]->shrt[c.set].nent)
            c.stiers[c.nstiers++] = tiers[k];
        if (tiers[k] && tiers[k]->hex.nent)
            c.htiers[c.nhtiers++] = tiers[k];
    }
    if (c.ntiers == 2 && !compact && t->recent->ufilter && t->recent->umain == t->main) {
        c.ufilter = t->recent->ufilter;
        c.ushift = t->recent->ushift;
    }
    if (!compact)
        hex_interiors(&c);
    probe_buf(&c, text, len);
    if (t->nzeros && !compact)
        zero_scan(&c, 0, len);
    /* then the encoded runs: hex, line-wrapped base64, url (decoded and wiped by dec_scan); a
     * compact text has only hex runs ("41 4b 49 41" spaced out by an agent, joined), found
     * directly (dec_scan would walk the whole text as one base64 run) */
    static const struct dec_ops ops = {
        .hex_run = on_hex_run, .stage = on_stage, .flush = on_decoded};
    int rc = 0;
    if (compact) {
        size_t s;
        for (size_t pos = 0;
             !all_found(&c) && (pos = dec_hex_run(text, len, pos, 2 * t->cfg.min_len, &s)) > s;)
            on_hex_run(&c, s, pos);
    } else if (!all_found(&c)) {
        rc = dec_scan(&t->dec, text, len, &ops, &c);
    }
    if (c.normbuf_used)
        sodium_memzero(t->normbuf, BLOCK + 16);
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

int tracked_scan(struct tracked *t, const void *text, size_t len, struct tracked_hits *h)
{
    return scan(t, text, len, false, h);
}

int tracked_scan_compact(struct tracked *t, const void *text, size_t len, struct tracked_hits *h)
{
    return scan(t, text, len, true, h);
}

/* ---- builds ---- */

bool tracked_build_wanted(const struct tracked *t, uint64_t now_ns)
{
    if (t->building)
        return false;
    if (t->ngrave > 0)
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
    if (!t->frozen && t->pend.gen[t->cur].nvals == 0 && t->ngrave == 0)
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
            b->main_ref = t->main;
        }
        if (t->recent)
            b->in[b->nin++] = t->recent;
        if (b->kind == BUILD_MAIN)
            b->recent_in = t->recent;
    }
    memcpy(b->grave, t->grave, t->ngrave * sizeof(t->grave[0]));
    b->ngrave = t->ngrave;
    t->ngrave = 0;
    t->building = true;
    return b;
}

/*
 * A tier's indexes. Every pattern of every value (raw unless all NUL, JSON when it differs,
 * base64 at three alignments: the text index; hex: the hex index) contributes the windows at
 * one position o .. o + stride - 1 (TRACK_STRIDE 5-character windows, or HEX_STRIDE 8-character
 * ones), so that a scan sampling every stride-th position of the text sees exactly one of them
 * in any occurrence. o is chosen among KEY_CHOICES positions as the one whose windows are the
 * rarest so far (a count sketch): values that share a prefix or suffix (vendor token prefixes,
 * e-mail domains) would otherwise pile up under the same keys and make every such text window a
 * candidate.
 */
struct ibuild {
    struct tier *out;
    uint8_t *sketch; /* SKETCH_LOG2 saturating counters */
    bool fill;       /* pass 1 counts, pass 2 fills */
    size_t ntext[2], nshrt[2], nhex;
};

static bool all_nul(const uint8_t *v, size_t n)
{
    return v[0] == 0 && memcmp(v, v + 1, n - 1) == 0;
}

enum win { W_LONG, W_SHORT, W_HEX };

/* The key of the window at p, as the scan computes it. */
static uint64_t window(const uint8_t *p, enum win w)
{
    switch (w) {
    case W_SHORT:
        return track_key(p);
    case W_HEX:
        return load8(p) | HEX_FOLD;
    default: {
        uint64_t x = 0;
        for (int i = LONG_KEY_BYTES - 1; i >= 0; i--)
            x = x << 8 | enc_norm(p[i]);
        return x;
    }
    }
}

static size_t sketch_at(uint64_t key, int row)
{
    uint64_t h = key * TRACK_MUL;
    return (size_t)(row ? h >> (64 - SKETCH_LOG2) : (h >> 8) & ((1u << SKETCH_LOG2) - 1));
}

static unsigned sketch_get(const uint8_t *sk, uint64_t key)
{
    unsigned a = sk[sketch_at(key, 0)], b = sk[sketch_at(key, 1)];
    return a < b ? a : b;
}

static void sketch_add(uint8_t *sk, uint64_t key)
{
    for (int r = 0; r < 2; r++) {
        size_t i = sketch_at(key, r);
        if (sk[i] < 255)
            sk[i]++;
    }
}

static void cidx_put(struct cidx *ix, uint64_t key, uint32_t tv, size_t off, uint8_t kind)
{
    uint64_t h = key * TRACK_MUL;
    ix->filter[h >> ix->shift] |= track_bits(h);
    size_t s = slot_of(h, ix->nslots);
    while (ix->slots[s].used)
        s = s + 1 < ix->nslots ? s + 1 : 0;
    ix->slots[s] =
        (struct islot){.key = key, .tv = tv, .off = (uint16_t)off, .kind = kind, .used = 1};
    ix->nent++;
}

static void index_pattern(struct ibuild *ib, uint32_t tv, const uint8_t *p, size_t n, uint8_t kind)
{
    enum win w = kind == ENC_HEX ? W_HEX : n >= LONG_PAT_MIN ? W_LONG : W_SHORT;
    unsigned set = ENC_IS_ALT(kind);
    size_t stride = w == W_HEX ? HEX_STRIDE : TRACK_STRIDE;
    size_t klen = w == W_HEX ? HEX_KEY_BYTES : w == W_LONG ? LONG_KEY_BYTES : TRACK_KEY_BYTES;
    struct cidx *ix = w == W_HEX    ? &ib->out->hex
                      : w == W_LONG ? &ib->out->text[set]
                                    : &ib->out->shrt[set];
    if (n < stride - 1 + klen)
        return; /* cannot happen: every pattern is long enough (tracked_enc.h) */
    if (!ib->fill) {
        *(w == W_HEX ? &ib->nhex : w == W_LONG ? &ib->ntext[set] : &ib->nshrt[set]) += stride;
        return;
    }
    size_t maxo = n - (stride - 1 + klen), best = maxo;
    unsigned best_cost = UINT_MAX;
    for (unsigned k = 0; k < KEY_CHOICES; k++) {
        size_t o = maxo - maxo * k / (KEY_CHOICES - 1); /* from the end (more varied) */
        unsigned cost = 0;
        for (size_t j = 0; j < stride; j++)
            cost += sketch_get(ib->sketch, window(p + o + j, w));
        if (cost < best_cost) {
            best_cost = cost;
            best = o;
        }
        if (cost == 0 || maxo == 0)
            break;
    }
    for (size_t j = 0; j < stride; j++) {
        uint64_t key = window(p + best + j, w);
        sketch_add(ib->sketch, key);
        cidx_put(ix, key, tv, best + j, kind);
    }
    if (w == W_LONG && set == 0) { /* hex_interiors: the ordinary scan's text index */
        if (n > ib->out->max_long)
            ib->out->max_long = n;
        size_t h = 0;
        while (h < n && enc_hexval[p[h]] >= 0)
            h++;
        ib->out->hexlike |= h == n;
    }
}

static void value_patterns(struct ibuild *ib, uint32_t tv, const uint8_t *v, size_t len,
                           uint8_t *encbuf)
{
    struct enc_variant vars[ENC_MAX_VARIANTS];
    size_t nvar = enc_variants(v, len, encbuf, ENC_ALL | ENC_ALT_ALL, vars);
    for (size_t i = 0; i < nvar; i++) {
        if (vars[i].kind == ENC_RAW && all_nul(v, len))
            continue; /* zero_scan finds it */
        index_pattern(ib, tv, encbuf + vars[i].off, vars[i].len, vars[i].kind);
        if (ib->fill)
            ib->out->npats++;
    }
    sodium_memzero(encbuf, vars[nvar - 1].off + vars[nvar - 1].len);
}

static int cidx_alloc(struct cidx *ix, size_t n)
{
    if (n == 0)
        return 0;
    size_t words = pow2_at_least(n / FILTER_DIV > 64 ? n / FILTER_DIV : 64);
    unsigned lg = 0;
    while (((size_t)1 << lg) < words)
        lg++;
    ix->shift = 64 - lg;
    ix->filter = calloc(words, sizeof(uint64_t));
    ix->nslots = n + n / 2 + 16; /* at most 2/3 full */
    ix->slots = locked_alloc(ix->nslots * sizeof(struct islot));
    if (ix->slots)
        memset(ix->slots, 0, ix->nslots * sizeof(struct islot));
    return ix->filter && ix->slots ? 0 : -ENOMEM;
}

static size_t cidx_bytes(const struct cidx *ix)
{
    if (!ix->filter)
        return 0;
    return ((size_t)1 << (64 - ix->shift)) * sizeof(uint64_t) + ix->nslots * sizeof(struct islot);
}

void tracked_build_run(struct tracked_build *b)
{
    uint64_t t0 = mono_ns();
    for (size_t i = 0; i < b->ngrave; i++)
        tier_free(b->grave[i]); /* wiping a large index is the worker's job */
    b->ngrave = 0;
    b->disposed = true;
    b->ran = true;
    if (b->kind == BUILD_DISPOSE)
        return;

    struct tier *out = calloc(1, sizeof(*out));
    uint8_t *encbuf = sodium_malloc(enc_bound(b->max_len));
    struct ibuild ib = {.out = out};
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
    out->vals = malloc((nvals ? nvals : 1) * sizeof(*out->vals));
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
            ib.sketch = calloc((size_t)1 << SKETCH_LOG2, 1);
            if (!ib.sketch || cidx_alloc(&out->text[0], ib.ntext[0]) < 0 ||
                cidx_alloc(&out->shrt[0], ib.nshrt[0]) < 0 ||
                cidx_alloc(&out->text[1], ib.ntext[1]) < 0 ||
                cidx_alloc(&out->shrt[1], ib.nshrt[1]) < 0 || cidx_alloc(&out->hex, ib.nhex) < 0)
                goto out;
            ib.fill = true;
        }
        for (size_t k = 0; k < out->nvals; k++)
            value_patterns(&ib, (uint32_t)k, out->blob + out->vals[k].off, out->vals[k].len,
                           encbuf);
    }
    if (b->main_ref && b->main_ref->text[0].nent && out->text[0].nent) {
        const struct cidx *mx = &b->main_ref->text[0];
        size_t words = (size_t)1 << (64 - mx->shift);
        out->ufilter = malloc(words * sizeof(uint64_t));
        if (!out->ufilter)
            goto out;
        memcpy(out->ufilter, mx->filter, words * sizeof(uint64_t));
        for (size_t i = 0; i < out->text[0].nslots; i++) {
            if (!out->text[0].slots[i].used)
                continue;
            uint64_t h = out->text[0].slots[i].key * TRACK_MUL;
            out->ufilter[h >> mx->shift] |= track_bits(h);
        }
        out->ushift = mx->shift;
        out->umain = b->main_ref;
    }
    out->bytes = cidx_bytes(&out->text[0]) + cidx_bytes(&out->shrt[0]) +
                 cidx_bytes(&out->text[1]) + cidx_bytes(&out->shrt[1]) + cidx_bytes(&out->hex) +
                 (out->ufilter ? (sizeof(uint64_t) << (64 - out->ushift)) : 0);
    b->out = out;
    out = NULL;
    rc = 0;
out:
    free(ib.sketch);
    sodium_free(encbuf);
    tier_free(out);
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
        pend_clear(&t->pend, 1 - t->cur);
        pend_clear(&t->apend, 1 - t->cur);
        t->frozen = false;
        t->st.builds++;
        t->failures = 0;
        t->st.last_build_ns = b->ns;
        t->st.last_build_patterns = out->npats;
    }
    free(b);
    return 0;
}
