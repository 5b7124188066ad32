/*
 * tracked_pend.h - the pending tier of tracked values: values added since the last build
 * began, matched without any compiled database. Internal to tracked*.c.
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
    struct pend_key *keys; /* one per variant */
    size_t nkeys, cap_keys;
    uint32_t *slots; /* open addressing: 1-based key index, 0 empty */
    size_t slot_mask;
    uint8_t **chunks; /* locked arena, kept across clears */
    size_t *chunk_size;
    size_t nchunks, cap_chunks, cur_chunk, chunk_used;
    size_t bytes;
    uint64_t first_ns; /* when its first value was added */
};

struct pend {
    struct pend_gen gen[2];
    uint64_t *filter; /* one bit per hash of a key; both generations */
};

/* A variant of a pending value found at text[off..off+len). */
typedef void (*pend_hit_cb)(void *ctx, uint32_t value, const struct enc_variant *spec, size_t off,
                            size_t len);
/* Whether a value was already reported by this scan (its candidates are then not verified). */
typedef bool (*pend_seen_cb)(void *ctx, uint32_t value);

int pend_init(struct pend *p, size_t max_vals);
void pend_cleanup(struct pend *p);

/* Whether generation g can take one more value with nvar variants. */
bool pend_has_room(const struct pend *p, int g, size_t nvar);
/* Copy v into generation g and key its variants (described by vars over encbuf). 0 or -ENOMEM.
 * The caller has checked pend_has_room. */
int pend_add(struct pend *p, int g, uint32_t value, const uint8_t *v, size_t len,
             const struct enc_variant *vars, size_t nvar, const uint8_t *encbuf, uint64_t now_ns);
/* Wipe generation g (bytes zeroed, keys dropped) and rebuild the filter from the other. */
void pend_clear(struct pend *p, int g);
/* Report every variant of every pending value in text[0..len). vbuf holds one encoded variant
 * (6 * max_len + 16 bytes). Every fourth position costs one hash and one filter probe. */
void pend_scan(const struct pend *p, const uint8_t *text, size_t len, uint8_t *vbuf,
               pend_seen_cb seen, pend_hit_cb hit, void *ctx);

#endif
