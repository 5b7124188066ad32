/*
 * tracked_pend.c - matching values that no tier's index holds yet (tracked_pend.h). Adding one
 * is O(len): its bytes go to a locked arena, and the 5-byte windows at offsets 0..3 of each of
 * its patterns (raw, JSON, base64 at three alignments, hex) become keys in a hash table. Every
 * pattern is at least 8 characters long, so each of its occurrences contains exactly one window
 * at a text offset divisible by 4 whose offset in the pattern is 0..3: the scan hashes every
 * fourth 5-byte window of the text and probes a bit filter, and its cost does not grow with the
 * number of pending values. Only windows whose hash is in the filter look at the table; an
 * equal key is a candidate the caller verifies in full.
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
#define FILTER_WORDS ((size_t)1 << PEND_FILTER_WORDS_LOG2)
#define FILTER_READD_MAX 65536 /* keys re-added after a clear; beyond, stale bits stay */
#define PAGE 4096
#define KEYS_PER_VARIANT TRACK_STRIDE

struct pend_key {
    uint64_t key; /* TRACK_KEY_BYTES of the pattern at offset off, normalised */
    uint32_t val; /* index in the generation's vals */
    uint16_t off;
    uint8_t kind;
};

static size_t filter_word(uint64_t h)
{
    return (size_t)(h >> (64 - PEND_FILTER_WORDS_LOG2));
}

static void filter_set(struct pend *p, uint64_t key)
{
    uint64_t h = key * TRACK_MUL;
    p->filter[filter_word(h)] |= track_bits(h);
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

static int gen_init(struct pend_gen *g, size_t max_vals, size_t nvar)
{
    memset(g, 0, sizeof(*g));
    g->cap_vals = max_vals;
    g->cap_keys = max_vals * nvar * KEYS_PER_VARIANT; /* a generation's key capacity */
    size_t slots = 16; /* at most 3/4 full when the generation is */
    while (slots < g->cap_keys + g->cap_keys / 3)
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

int pend_init(struct pend *p, size_t max_vals, size_t nvar)
{
    memset(p, 0, sizeof(*p));
    p->filter = calloc(FILTER_WORDS, sizeof(uint64_t));
    if (!p->filter || gen_init(&p->gen[0], max_vals, nvar) < 0 ||
        gen_init(&p->gen[1], max_vals, nvar) < 0) {
        pend_cleanup(p);
        return -ENOMEM;
    }
    prefault(p->filter, FILTER_WORDS * sizeof(uint64_t));
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
        bool lng = vars[k].len >= TRACK_LONG_MIN;
        if (lng)
            g->nlong += KEYS_PER_VARIANT;
        for (uint32_t off = 0; off < KEYS_PER_VARIANT; off++) {
            /* hex patterns are lower-case: the text pass sees them as they are, the hex pass
             * through the same key with its characters folded */
            uint64_t key = lng ? track_key8(x + off) : track_key(x + off);
            uint32_t ki = (uint32_t)g->nkeys++;
            g->keys[ki] = (struct pend_key){
                .key = key, .val = vi, .off = (uint16_t)off, .kind = vars[k].kind};
            uint64_t h = key * TRACK_MUL;
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
            size_t s = slot_of(g->keys[k].key * TRACK_MUL, g->slot_mask);
            while (g->slots[s] != k + 1)
                s = (s + 1) & g->slot_mask;
            g->slots[s] = 0;
        }
    }
    g->nkeys = g->nvals = g->bytes = g->nlong = 0;
    g->cur_chunk = g->chunk_used = 0;
    g->first_ns = 0;
    /* The filter keeps the other generation's bits. Re-adding many keys would stall the loop
     * (this runs in tracked_build_finish), so past FILTER_READD_MAX the cleared keys' bits
     * stay: a superset costs a few more table probes, never a miss. */
    const struct pend_gen *o = &p->gen[1 - gi];
    if (o->nkeys <= FILTER_READD_MAX) {
        memset(p->filter, 0, FILTER_WORDS * sizeof(uint64_t));
        for (size_t k = 0; k < o->nkeys; k++)
            filter_set(p, o->keys[k].key);
    }
}

bool pend_empty(const struct pend *p)
{
    return p->gen[0].nkeys == 0 && p->gen[1].nkeys == 0;
}

bool pend_has_long(const struct pend *p)
{
    return p->gen[0].nlong + p->gen[1].nlong > 0;
}

bool pend_has_short(const struct pend *p)
{
    return p->gen[0].nkeys - p->gen[0].nlong + p->gen[1].nkeys - p->gen[1].nlong > 0;
}

void pend_candidates(const struct pend *p, uint64_t key, uint64_t h, size_t i, pend_cand_cb cb,
                     void *ctx)
{
    for (int gi = 0; gi < 2; gi++) {
        const struct pend_gen *g = &p->gen[gi];
        if (g->nkeys == 0)
            continue;
        for (size_t s = slot_of(h, g->slot_mask); g->slots[s]; s = (s + 1) & g->slot_mask) {
            const struct pend_key *k = &g->keys[g->slots[s] - 1];
            if (k->key != key || k->off > i)
                continue;
            const struct pend_val *v = &g->vals[k->val];
            cb(ctx, v->value, v->bytes, v->len, k->kind, i - k->off);
        }
    }
}
