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

#define CHUNK (64u * 1024u) /* arena chunks after the first, which is sized at init */
#define BYTES_PER_VALUE 48  /* the first chunk's size per value of capacity */
/* A blocked Bloom filter: 2^17 words of 64 bits (1 MiB, fits in L2), three bits per key in one
 * word (one memory access per probe; about 1% false positives at 500,000 keys). Of a fixed size
 * so that adding never rebuilds it. */
#define FILTER_WORDS_LOG2 17
#define FILTER_READD_MAX 65536 /* keys re-added after a clear; beyond, stale bits stay */
#define KEYS_PER_VALUE 8       /* a generation's key capacity per value (raw and JSON forms) */
#define PAGE 4096
#define KEY_BYTES 5
#define KEY_MASK 0xffffffffffull
#define MUL 0x9e3779b97f4a7c15ull
#define STRIDE 4 /* every variant is at least STRIDE - 1 + KEY_BYTES bytes long */
#define KEYS_PER_VARIANT STRIDE

struct pend_key {
    uint64_t key;  /* KEY_BYTES of the variant at offset off */
    uint64_t head; /* its first 8 bytes */
    uint32_t val;  /* index in the generation's vals */
    uint32_t off;
    struct enc_variant spec;
};

static uint64_t load8(const uint8_t *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
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
    return x;
}

static uint64_t mix(uint64_t key)
{
    return key * MUL;
}

static size_t filter_word(uint64_t h)
{
    return (size_t)(h >> (64 - FILTER_WORDS_LOG2));
}

static uint64_t filter_mask(uint64_t h)
{
    return UINT64_C(1) << ((h >> 20) & 63) | UINT64_C(1) << ((h >> 26) & 63) |
           UINT64_C(1) << ((h >> 32) & 63);
}

static void filter_set(struct pend *p, uint64_t key)
{
    uint64_t h = mix(key);
    p->filter[filter_word(h)] |= filter_mask(h);
}

/* Fault in the pages now: a table written at random places would otherwise take a page
 * fault on most of the first few hundred adds. */
static void prefault(void *mem, size_t size)
{
    for (size_t i = 0; i < size; i += PAGE)
        ((volatile char *)mem)[i] = 0;
}

static size_t slot_of(uint64_t h, size_t mask)
{
    return (size_t)(h ^ (h >> 29)) & mask;
}

static int gen_init(struct pend_gen *g, size_t max_vals)
{
    memset(g, 0, sizeof(*g));
    g->cap_vals = max_vals;
    g->cap_keys = max_vals * KEYS_PER_VALUE;
    size_t slots = 16;
    while (slots < 2 * g->cap_keys)
        slots *= 2;
    g->slot_mask = slots - 1;
    /* calloc'd once at their largest: untouched pages cost nothing, and adding never
     * reallocates (no copy stalls on the loop) */
    g->vals = calloc(g->cap_vals, sizeof(*g->vals));
    g->keys = calloc(g->cap_keys, sizeof(*g->keys));
    g->slots = calloc(slots, sizeof(*g->slots));
    /* the first chunk now: allocating locked memory (mmap, mprotect, mlock) is what made an
     * occasional tracked_add slow */
    size_t first = max_vals * BYTES_PER_VALUE;
    first = first < CHUNK ? CHUNK : first > ((size_t)4 << 20) ? (size_t)4 << 20 : first;
    g->chunks = malloc(8 * sizeof(*g->chunks));
    g->chunk_size = malloc(8 * sizeof(*g->chunk_size));
    if (!g->vals || !g->keys || !g->slots || !g->chunks || !g->chunk_size)
        return -ENOMEM;
    g->cap_chunks = 8;
    g->chunks[0] = sodium_malloc(first);
    if (!g->chunks[0])
        return -ENOMEM;
    g->chunk_size[0] = first;
    g->nchunks = 1;
    prefault(g->slots, slots * sizeof(*g->slots));
    return 0;
}

static void gen_cleanup(struct pend_gen *g)
{
    for (size_t i = 0; i < g->nchunks; i++)
        sodium_free(g->chunks[i]); /* wipes */
    free(g->chunks);
    free(g->chunk_size);
    free(g->vals);
    free(g->keys);
    free(g->slots);
    memset(g, 0, sizeof(*g));
}

int pend_init(struct pend *p, size_t max_vals)
{
    memset(p, 0, sizeof(*p));
    p->filter = calloc((size_t)1 << FILTER_WORDS_LOG2, sizeof(uint64_t));
    if (!p->filter || gen_init(&p->gen[0], max_vals) < 0 || gen_init(&p->gen[1], max_vals) < 0) {
        pend_cleanup(p);
        return -ENOMEM;
    }
    prefault(p->filter, ((size_t)1 << FILTER_WORDS_LOG2) * sizeof(uint64_t));
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

/* Room for len (<= CHUNK) bytes in the arena: the current chunk, the next kept one, or a new
 * one. */
static uint8_t *arena_take(struct pend_gen *g, size_t len)
{
    if (g->chunk_used + len <= g->chunk_size[g->cur_chunk]) {
        uint8_t *at = g->chunks[g->cur_chunk] + g->chunk_used;
        g->chunk_used += len;
        return at;
    }
    size_t next = g->cur_chunk + 1;
    if (next == g->nchunks) {
        if (g->nchunks == g->cap_chunks) {
            size_t cap = 2 * g->cap_chunks;
            uint8_t **c = realloc(g->chunks, cap * sizeof(*c));
            if (c)
                g->chunks = c;
            size_t *z = realloc(g->chunk_size, cap * sizeof(*z));
            if (z)
                g->chunk_size = z;
            if (!c || !z)
                return NULL;
            g->cap_chunks = cap;
        }
        uint8_t *mem = sodium_malloc(CHUNK);
        if (!mem)
            return NULL;
        g->chunk_size[g->nchunks] = CHUNK;
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
    return 0;
}

void pend_clear(struct pend *p, int gi)
{
    struct pend_gen *g = &p->gen[gi];
    for (size_t c = 0; c < g->nchunks && c <= g->cur_chunk; c++)
        sodium_memzero(g->chunks[c], c == g->cur_chunk ? g->chunk_used : g->chunk_size[c]);
    if (g->nkeys > (g->slot_mask + 1) / 16) {
        /* cheaper than the random writes below once many keys are in */
        memset(g->slots, 0, (g->slot_mask + 1) * sizeof(*g->slots));
    } else {
        for (size_t k = 0; k < g->nkeys; k++) {
            /* every key of the generation goes, so clearing their slots leaves no broken
             * chain */
            size_t s = slot_of(mix(g->keys[k].key), g->slot_mask);
            while (g->slots[s] != k + 1)
                s = (s + 1) & g->slot_mask;
            g->slots[s] = 0;
        }
    }
    g->nkeys = g->nvals = g->bytes = 0;
    g->cur_chunk = g->chunk_used = 0;
    g->first_ns = 0;
    /* The filter keeps the other generation's bits. Re-adding many keys would stall the loop
     * (this runs in tracked_build_finish), so past FILTER_READD_MAX the cleared keys' bits
     * stay: a superset costs a few more table probes, never a miss. */
    const struct pend_gen *o = &p->gen[1 - gi];
    if (o->nkeys <= FILTER_READD_MAX) {
        memset(p->filter, 0, ((size_t)1 << FILTER_WORDS_LOG2) * sizeof(uint64_t));
        for (size_t k = 0; k < o->nkeys; k++)
            filter_set(p, o->keys[k].key);
    }
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
        bool eq = n == k->spec.len && memcmp(text + at, vbuf, n) == 0;
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
    for (size_t i = 0; i + KEY_BYTES <= len; i += STRIDE) {
        uint64_t key = i + 8 <= len ? key8(text + i) : load_key(text + i);
        uint64_t h = mix(key);
        uint64_t m = filter_mask(h);
        if ((filter[filter_word(h)] & m) != m)
            continue;
        probe(&p->gen[0], key, h, text, len, i, vbuf, seen, hit, ctx);
        probe(&p->gen[1], key, h, text, len, i, vbuf, seen, hit, ctx);
    }
}
