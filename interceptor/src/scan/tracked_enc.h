/*
 * tracked_enc.h - the forms ("variants") under which a tracked value is registered: its raw
 * bytes and, when it differs, its JSON string escaping (arguments are scanned as JSON text).
 * Encoded forms (base64, hex, percent) are not registered: the scan decodes the text's encoded
 * runs and looks for the raw form in them (tracked_dec.h). Internal to tracked*.c; pure
 * functions over bytes, no allocation.
 *
 * Every variant is at least TRACKED_MIN_LEN bytes long for a value of at least that length
 * (the pending matcher needs 8: it samples every fourth 5-byte window of the text).
 */
#ifndef SENTINEL_SCAN_TRACKED_ENC_H
#define SENTINEL_SCAN_TRACKED_ENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ENC_MAX_VARIANTS 2

struct enc_variant {
    uint8_t kind; /* TRACKED_RAW or TRACKED_JSON */
    uint32_t off; /* in the output buffer */
    uint32_t len;
};

/* Bytes enc_variants() may write for a value of `len` bytes. */
size_t enc_bound(size_t len);

/* Writes every variant of v[0..len) into buf (enc_bound(len) bytes) and describes them in out;
 * returns how many (1 or 2). The raw form comes first; the JSON form is left out when it is the
 * raw one. */
size_t enc_variants(const uint8_t *v, size_t len, uint8_t *buf,
                    struct enc_variant out[ENC_MAX_VARIANTS]);

/* One variant (as described by enc_variants) written to out; returns its length. */
size_t enc_one(const struct enc_variant *spec, const uint8_t *v, size_t len, uint8_t *out);

#endif
