/*
 * tracked_pend.h - the pending tier of tracked values: values added since the last build
 * began, matched without any index built for them. Internal to tracked*.c.
 *
 * Two generations: values are added to the current one; a build freezes it (its values and
 * bytes stay immutable and are read by the worker) and adds go to the other, which is empty.
 * When the build is finished the frozen generation is wiped. Both are scanned meanwhile.
 */
#ifndef SENTINEL_SCAN_TRACKED_PEND_H
#define SENTINEL_SCAN_TRACKED_PEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scan/tracked_enc.h"

struct pend_val {
    uint32_t value; /* the tracker's value index */
    uint32_t len;
    const uint8_t *bytes; /* in the generation's locked arena */
};

struct pend_key;

struct pend_gen {
    struct pend_val *vals; /* cap_vals entries, allocated once */
    size_t nvals, cap_vals;
    struct pend_key *keys; /* one per variant and sampled offset */
    size_t nkeys, cap_keys;
    size_t nlong;    /* keys of 8 characters (patterns of at least TRACK_LONG_MIN) */
    uint32_t *slots; /* open addressing: 1-based key index, 0 empty */
    size_t slot_mask;
    uint8_t **chunks; /* locked arena, kept across clears */
    size_t *chunk_size;
    size_t nchunks, cap_chunks, cur_chunk, chunk_used;
    size_t bytes;
    uint64_t first_ns; /* when its first value was added */
};

#define PEND_FILTER_WORDS_LOG2 17

struct pend {
    struct pend_gen gen[2];
    uint64_t *filter; /* one bit per hash of a key; both generations */
};

/* A pattern of a pending value may start at `at` of the text the key came from (the key, five
 * characters, matched; nothing else was checked). */
typedef void (*pend_cand_cb)(void *ctx, uint32_t value, const uint8_t *bytes, size_t len,
                             unsigned kind, size_t at);
/* (kind: enum enc_kind) */

/* Room for max_vals values of at most nvar patterns each, per generation. */
int pend_init(struct pend *p, size_t max_vals, size_t nvar);
void pend_cleanup(struct pend *p);

/* Whether generation g can take one more value with nvar variants. */
bool pend_has_room(const struct pend *p, int g, size_t nvar);
/* Copy v into generation g and key its variants (described by vars over encbuf). 0 or -ENOMEM.
 * The caller has checked pend_has_room. */
int pend_add(struct pend *p, int g, uint32_t value, const uint8_t *v, size_t len,
             const struct enc_variant *vars, size_t nvar, const uint8_t *encbuf, uint64_t now_ns);
/* Wipe generation g (bytes zeroed, keys dropped) and rebuild the filter from the other. */
void pend_clear(struct pend *p, int g);
/* No value is pending; some pending pattern has long (8-character) or short keys. */
bool pend_empty(const struct pend *p);
bool pend_has_long(const struct pend *p);
bool pend_has_short(const struct pend *p);

/*
 * The scan, one sampled position at a time (the caller samples every fourth position of its
 * text and hashes the eight characters there, and the five characters when pend_has_short,
 * through enc_norm as track_key8() and track_key() do): key is that window, h = key *
 * TRACK_MUL. pend_filter says whether any pending key may be it;
 * pend_candidates reports every pending pattern with that key at that window, which the caller
 * verifies in full.
 */
static inline bool pend_filter(const struct pend *p, uint64_t h, uint64_t bits)
{
    return (p->filter[h >> (64 - PEND_FILTER_WORDS_LOG2)] & bits) == bits;
}
void pend_candidates(const struct pend *p, uint64_t key, uint64_t h, size_t i, pend_cand_cb cb,
                     void *ctx);

#endif
