/*
 * tracked_pend.c - matching values that no database holds yet (tracked_pend.h). Adding one is
 * O(len): its bytes go to a locked arena, and the 5-byte windows at offsets 0..3 of each of its
 * variants become keys in a hash table. Every variant is at least 8 bytes long, so each of its
 * occurrences contains exactly one window at a text offset divisible by 4 whose offset in the
 * variant is 0..3: a scan hashes every fourth 5-byte window of the text and probes a bit filter,
 * and its cost does not grow with the number of pending values. Only windows whose hash is in
 * the filter look at the table; an equal key is checked on the variant's first 8 bytes, and only
 * then is the variant encoded and compared in full.
 * Must never compile, block or allocate per scan.
 */
#include "scan/tracked_pend.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (64u * 1024u)
/* The filter has about 32 bits per key, between 2^16 bits (8 KiB, in L1) and 2^23 (1 MiB): it is
 * rebuilt when keys outgrow it (O(keys), once per doubling) and shrunk when a generation is
 * cleared. */
#define FILTER_MIN 16
#define FILTER_MAX 23
#define FILTER_PER_KEY 32
#define FOLD 0x2020202020202020ull /* ASCII letters to lower case, for caseless variants */
#define KEY_BYTES 5
#define KEY_MASK 0xffffffffffull
#define MUL 0x9e3779b97f4a7c15ull
#define STRIDE 4 /* every variant is at least STRIDE - 1 + KEY_BYTES bytes long */
#define KEYS_PER_VARIANT STRIDE

struct pend_key {
    uint64_t key;  /* KEY_BYTES of the variant at offset off, folded */
    uint64_t head; /* its first 8 bytes, folded */
    uint32_t val;  /* index in the generation's vals */
    uint32_t off;
    struct enc_variant spec;
};

static uint64_t load8(const uint8_t *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x | FOLD;
}

/* The key at p, reading 8 bytes (p has at least 8) */
static uint64_t key8(const uint8_t *p)
{
    return load8(p) & KEY_MASK; /* little-endian: the first KEY_BYTES bytes */
}

/* The key at p, reading only KEY_BYTES (near the end of a buffer) */
static uint64_t load_key(const uint8_t *p)
{
    uint64_t x = 0;
    for (int i = KEY_BYTES - 1; i >= 0; i--)
        x = x << 8 | p[i];
    return x | (FOLD & KEY_MASK);
}

static uint64_t mix(uint64_t key)
{
    return key * MUL;
}

static size_t filter_bit(uint64_t h, unsigned bits)
{
    return (size_t)(h >> (64 - bits));
}

static void filter_set(struct pend *p, uint64_t key)
{
    size_t b = filter_bit(mix(key), p->filter_bits);
    p->filter[b >> 6] |= UINT64_C(1) << (b & 63);
}

/* Size the filter for the keys of both generations and set their bits. */
static void filter_rebuild(struct pend *p)
{
    size_t keys = p->gen[0].nkeys + p->gen[1].nkeys;
    unsigned bits = FILTER_MIN;
    while (bits < FILTER_MAX && ((size_t)1 << bits) < keys * FILTER_PER_KEY)
        bits++;
    memset(p->filter, 0, ((size_t)1 << (p->filter_bits > bits ? p->filter_bits : bits)) / 8);
    p->filter_bits = bits;
    for (int g = 0; g < 2; g++)
        for (size_t k = 0; k < p->gen[g].nkeys; k++)
            filter_set(p, p->gen[g].keys[k].key);
}

static size_t slot_of(uint64_t h, size_t mask)
{
    return (size_t)(h ^ (h >> 29)) & mask;
}

static int gen_init(struct pend_gen *g, size_t max_vals)
{
    memset(g, 0, sizeof(*g));
    g->cap_vals = max_vals;
    g->cap_keys = max_vals * ENC_MAX_VARIANTS * KEYS_PER_VARIANT;
    size_t slots = 16;
    while (slots < 2 * g->cap_keys)
        slots *= 2;
    g->slot_mask = slots - 1;
    /* calloc'd once at their largest: untouched pages cost nothing, and adding never
     * reallocates (no copy stalls on the loop) */
    g->vals = calloc(g->cap_vals, sizeof(*g->vals));
    g->keys = calloc(g->cap_keys, sizeof(*g->keys));
    g->slots = calloc(slots, sizeof(*g->slots));
    if (!g->vals || !g->keys || !g->slots)
        return -ENOMEM;
    return 0;
}

static void gen_cleanup(struct pend_gen *g)
{
    for (size_t i = 0; i < g->nchunks; i++)
        sodium_free(g->chunks[i]); /* wipes */
    free(g->chunks);
    free(g->vals);
    free(g->keys);
    free(g->slots);
    memset(g, 0, sizeof(*g));
}

int pend_init(struct pend *p, size_t max_vals)
{
    memset(p, 0, sizeof(*p));
    p->filter = calloc((size_t)1 << (FILTER_MAX - 6), sizeof(uint64_t));
    p->filter_bits = FILTER_MIN;
    if (!p->filter || gen_init(&p->gen[0], max_vals) < 0 || gen_init(&p->gen[1], max_vals) < 0) {
        pend_cleanup(p);
        return -ENOMEM;
    }
    return 0;
}

void pend_cleanup(struct pend *p)
{
    gen_cleanup(&p->gen[0]);
    gen_cleanup(&p->gen[1]);
    free(p->filter);
    p->filter = NULL;
}

bool pend_has_room(const struct pend *p, int g, size_t nvar)
{
    const struct pend_gen *G = &p->gen[g];
    return G->nvals < G->cap_vals && G->nkeys + nvar * KEYS_PER_VARIANT <= G->cap_keys;
}

/* Room for len bytes in the arena: the current chunk, the next kept one, or a new one. */
static uint8_t *arena_take(struct pend_gen *g, size_t len)
{
    if (g->nchunks > 0 && g->chunk_used + len <= CHUNK) {
        uint8_t *at = g->chunks[g->cur_chunk] + g->chunk_used;
        g->chunk_used += len;
        return at;
    }
    size_t next = g->nchunks > 0 ? g->cur_chunk + 1 : 0;
    if (next == g->nchunks) {
        if (g->nchunks == g->cap_chunks) {
            size_t cap = g->cap_chunks ? 2 * g->cap_chunks : 8;
            uint8_t **c = realloc(g->chunks, cap * sizeof(*c));
            if (!c)
                return NULL;
            g->chunks = c;
            g->cap_chunks = cap;
        }
        uint8_t *mem = sodium_malloc(CHUNK);
        if (!mem)
            return NULL;
        g->chunks[g->nchunks++] = mem;
    }
    g->cur_chunk = next;
    g->chunk_used = len;
    return g->chunks[next];
}

int pend_add(struct pend *p, int gi, uint32_t value, const uint8_t *v, size_t len,
             const struct enc_variant *vars, size_t nvar, const uint8_t *encbuf, uint64_t now_ns)
{
    struct pend_gen *g = &p->gen[gi];
    uint8_t *at = arena_take(g, len);
    if (!at)
        return -ENOMEM;
    memcpy(at, v, len);
    if (g->nvals == 0)
        g->first_ns = now_ns;
    uint32_t vi = (uint32_t)g->nvals++;
    g->vals[vi] = (struct pend_val){.value = value, .len = (uint32_t)len, .bytes = at};
    g->bytes += len;
    for (size_t k = 0; k < nvar; k++) {
        const uint8_t *x = encbuf + vars[k].off;
        for (uint32_t off = 0; off < KEYS_PER_VARIANT; off++) {
            uint64_t key = load_key(x + off);
            /* the URL-safe base64 core is verified leniently with the standard one: its own
             * key only where the two differ */
            bool dup = false;
            for (size_t j = 0; j < k && !dup; j++)
                dup = vars[j].lenient && vars[k].lenient && vars[j].align == vars[k].align &&
                      load_key(encbuf + vars[j].off + off) == key &&
                      load8(encbuf + vars[j].off) == load8(x);
            if (dup)
                continue;
            uint32_t ki = (uint32_t)g->nkeys++;
            g->keys[ki] = (struct pend_key){
                .key = key, .head = load8(x), .val = vi, .off = off, .spec = vars[k]};
            uint64_t h = mix(key);
            size_t s = slot_of(h, g->slot_mask);
            while (g->slots[s])
                s = (s + 1) & g->slot_mask;
            g->slots[s] = ki + 1;
            filter_set(p, key);
        }
    }
    size_t keys = p->gen[0].nkeys + p->gen[1].nkeys;
    if (p->filter_bits < FILTER_MAX && keys * FILTER_PER_KEY > ((size_t)1 << p->filter_bits))
        filter_rebuild(p);
    return 0;
}

void pend_clear(struct pend *p, int gi)
{
    struct pend_gen *g = &p->gen[gi];
    for (size_t c = 0; c < g->nchunks && c <= g->cur_chunk; c++)
        sodium_memzero(g->chunks[c], c == g->cur_chunk ? g->chunk_used : CHUNK);
    for (size_t k = 0; k < g->nkeys; k++) {
        /* every key of the generation goes, so clearing their slots leaves no broken chain */
        size_t s = slot_of(mix(g->keys[k].key), g->slot_mask);
        while (g->slots[s] != k + 1)
            s = (s + 1) & g->slot_mask;
        g->slots[s] = 0;
    }
    memset(g->keys, 0, g->nkeys * sizeof(*g->keys));
    memset(g->vals, 0, g->nvals * sizeof(*g->vals));
    g->nkeys = g->nvals = g->bytes = 0;
    g->cur_chunk = g->chunk_used = 0;
    g->first_ns = 0;
    filter_rebuild(p);
}

static void probe(const struct pend_gen *g, uint64_t key, uint64_t h, const uint8_t *text,
                  size_t len, size_t i, uint8_t *vbuf, pend_seen_cb seen, pend_hit_cb hit,
                  void *ctx)
{
    if (g->nkeys == 0)
        return;
    for (size_t s = slot_of(h, g->slot_mask); g->slots[s]; s = (s + 1) & g->slot_mask) {
        const struct pend_key *k = &g->keys[g->slots[s] - 1];
        if (k->key != key || k->off > i)
            continue;
        size_t at = i - k->off;
        const struct pend_val *v = &g->vals[k->val];
        if (k->spec.len > len - at || load8(text + at) != k->head || seen(ctx, v->value))
            continue;
        size_t n = enc_one(&k->spec, v->bytes, v->len, vbuf);
        bool eq = n == k->spec.len && enc_equal(&k->spec, text + at, vbuf, n);
        sodium_memzero(vbuf, n);
        if (eq)
            hit(ctx, v->value, &k->spec, at, n);
    }
}

void pend_scan(const struct pend *p, const uint8_t *text, size_t len, uint8_t *vbuf,
               pend_seen_cb seen, pend_hit_cb hit, void *ctx)
{
    if (len < 8 || (p->gen[0].nkeys == 0 && p->gen[1].nkeys == 0))
        return;
    const uint64_t *filter = p->filter;
    const unsigned bits = p->filter_bits;
    for (size_t i = 0; i + KEY_BYTES <= len; i += STRIDE) {
        uint64_t key = i + 8 <= len ? key8(text + i) : load_key(text + i);
        uint64_t h = mix(key);
        size_t b = filter_bit(h, bits);
        if (!((filter[b >> 6] >> (b & 63)) & 1))
            continue;
        probe(&p->gen[0], key, h, text, len, i, vbuf, seen, hit, ctx);
        probe(&p->gen[1], key, h, text, len, i, vbuf, seen, hit, ctx);
    }
}
