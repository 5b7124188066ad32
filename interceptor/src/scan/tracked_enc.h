/*
 * tracked_enc.h - the encoded forms ("variants") under which a tracked value is looked for:
 * raw, JSON-escaped, base64 (standard and URL-safe, each at the three byte alignments), hex and
 * percent/form encoding. Internal to tracked*.c; pure functions over bytes, no allocation.
 *
 * Every variant is at least TRACKED_MIN_LEN bytes long for a value of at least that length
 * (the pending matcher needs 7: it samples every fourth 4-byte window of the text).
 */
#ifndef SENTINEL_SCAN_TRACKED_ENC_H
#define SENTINEL_SCAN_TRACKED_ENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ENC_MAX_VARIANTS 12

/* Base64 patterns in the database are anchored on a run of at least this many characters
 * that is the same in both alphabets (no '+' or '/'); the whole core is verified on a hit. */
#define ENC_B64_ANCHOR_MIN 12

struct enc_variant {
    uint8_t kind;     /* enum tracked_variant */
    uint8_t align;    /* base64: the value's byte offset mod 3 in the encoded stream */
    bool caseless;    /* hex and percent forms: letters compare without case */
    bool lenient;     /* base64: '+' = '-' and '/' = '_' when comparing */
    uint32_t off;     /* in the output buffer */
    uint32_t len;
};

/* Bytes enc_variants() may write for a value of `len` bytes. */
size_t enc_bound(size_t len);

/* Writes every variant of v[0..len) into buf (enc_bound(len) bytes) and describes them in out;
 * returns how many. The raw form comes first; a form identical to the raw one or to an earlier
 * form of the same kind is left out (URL forms of a value with only unreserved bytes, the
 * URL-safe core when the standard one has no '+' or '/'). */
size_t enc_variants(const uint8_t *v, size_t len, uint8_t *buf,
                    struct enc_variant out[ENC_MAX_VARIANTS]);

/* One variant (as described by enc_variants) written to out; returns its length. */
size_t enc_one(const struct enc_variant *spec, const uint8_t *v, size_t len, uint8_t *out);

/* The stable base64 characters of v when it starts at byte offset `align` (0..2) of a 3-byte
 * group: the characters whose six bits come from v alone, whatever surrounds it. */
size_t enc_b64_core(const uint8_t *v, size_t len, unsigned align, bool urlsafe, uint8_t *out);
/* How many characters enc_b64_core writes. */
size_t enc_b64_core_len(size_t len, unsigned align);

/* Compare text[0..n) with pattern p[0..n) under the variant's rules (exact, caseless or
 * base64-lenient). */
bool enc_equal(const struct enc_variant *spec, const uint8_t *text, const uint8_t *p, size_t n);

/* The longest run of p[0..n) without '+' or '/': its offset in *off, its length returned. */
size_t enc_b64_clean_run(const uint8_t *p, size_t n, size_t *off);

#endif
