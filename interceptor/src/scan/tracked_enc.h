/*
 * tracked_enc.h - the forms ("patterns") under which a tracked value is looked for, in the
 * characters of the scanned text: its raw bytes, its JSON string escaping (when it differs),
 * the base64 characters it encodes to at each of the three byte alignments of a stream, and its
 * lower-case hex. Internal to tracked*.c; pure functions over bytes, no allocation.
 *
 * Base64 is matched without decoding: for a value v at byte offset a (mod 3) of any stream, the
 * characters whose six bits all come from v are fixed ("full" characters, standard alphabet),
 * and so are some bits of the characters on either side (the "edges"): the low 4 (a = 1) or 2
 * (a = 2) bits of the character before, the high bits of the character after when 8 (a + len)
 * is not a multiple of 6. A stream holds v exactly when the full characters and the edge bits
 * are there, whatever the other characters of the stream are - which is what decoding the
 * stream from each of its four character offsets and comparing bytes tested before. The text is
 * compared through enc_norm ('-' as '+', '_' as '/'), so base64url and mixed alphabets match
 * as the decoder accepted them.
 *
 * Transformed forms, matched in the compact view of a text (tracked_scan_compact) only: the
 * value "compact" (what is left of it without punctuation, spaces and case: "4111 1111-1111
 * 1111" and "sk-Proj_AB" become "4111111111111111" and "skprojab"), and that reversed (by code
 * point) and in ROT13. The view drops the separators and case an agent was told to add ("s k -
 * p r o j"); a digit-only pattern must be ENC_COMPACT_DIGITS_MIN long there, since the view
 * joins neighbouring numbers ("555 1234 5678" of a list).
 *
 * Every pattern is at least TRACKED_MIN_LEN characters long for a value of at least that length
 * (base64: 10 full characters for 8 bytes; hex: 16; compact: left out when shorter): the
 * matchers sample every fourth 5-byte window of the text.
 */
#ifndef SENTINEL_SCAN_TRACKED_ENC_H
#define SENTINEL_SCAN_TRACKED_ENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Pattern kinds. */
enum enc_kind {
    ENC_RAW,   /* the bytes */
    ENC_JSON,  /* JSON string escaping, only when it differs from the bytes */
    ENC_B64_0, /* base64 full characters of the value at byte alignment 0, 1, 2 */
    ENC_B64_1,
    ENC_B64_2,
    ENC_HEX, /* lower-case hex; the text is compared case-insensitively */
    ENC_NMAIN,
    /* the transformed forms, matched only in a compact view (tracked_scan_compact) and
     * indexed apart so that they cost the ordinary scan nothing; at least ENC_COMPACT_MIN
     * long, else left out */
    ENC_CMP = ENC_NMAIN, /* the compact form (enc_compact), always */
    ENC_CMP_REV,         /* ... with its code points reversed, when that differs */
    ENC_CMP_ROT13,       /* ... with its letters rotated by 13, when that differs */
    ENC_NKINDS
};
#define ENC_MAX_VARIANTS ENC_NKINDS
#define ENC_ALL ((1u << ENC_NMAIN) - 1)                          /* every main kind (bits) */
#define ENC_ALT_ALL ((1u << ENC_NKINDS) - 1 - ENC_ALL)            /* every transformed kind */
#define ENC_IS_ALT(k) ((k) >= ENC_NMAIN)
#define ENC_TEXT_KINDS (ENC_ALL - (1u << ENC_HEX)) /* all main kinds but hex */
#define ENC_IS_B64(k) ((k) >= ENC_B64_0 && (k) <= ENC_B64_2)

struct enc_variant {
    uint8_t kind; /* enum enc_kind */
    uint32_t off; /* in the output buffer */
    uint32_t len;
};

/* The bits of the characters around a base64 pattern that the value fixes (mask 0: none). */
struct enc_edges {
    uint8_t lead_mask, lead_val;   /* the character before the full ones */
    uint8_t trail_mask, trail_val; /* the character after */
};

/* The six-bit value of a base64 character of either alphabet, or -1; a hex digit's value
 * (either case), or -1. */
extern const int8_t enc_b64val[256];
extern const int8_t enc_hexval[256];

static inline uint8_t enc_norm(uint8_t c)
{
    return c == '-' ? '+' : c == '_' ? '/' : c;
}

/* ---- keys: what the matchers sample ----
 * A key is the five characters at a sampled position (little-endian in a uint64_t), each through
 * enc_norm; its hash is key * TRACK_MUL. Filters (the tiers' and the pending one) are blocked
 * Bloom filters: the word from the hash's top bits, three bits of it from bits 20..37. */
#define TRACK_KEY_BYTES 5
#define TRACK_KEY_MASK 0xffffffffffull
#define TRACK_STRIDE 4 /* every pattern is at least TRACK_STRIDE - 1 + TRACK_KEY_BYTES long */
#define TRACK_MUL 0x9e3779b97f4a7c15ull
/* Patterns of at least TRACK_LONG_MIN characters are sampled with 8 characters every 4 instead
 * (48 bits of a base64 text: random windows never equal a key). */
#define TRACK_LONG_KEY_BYTES 8
#define TRACK_LONG_MIN (TRACK_STRIDE - 1 + TRACK_LONG_KEY_BYTES)

static inline uint64_t track_bits(uint64_t h)
{
    return UINT64_C(1) << ((h >> 20) & 63) | UINT64_C(1) << ((h >> 26) & 63) |
           UINT64_C(1) << ((h >> 32) & 63);
}

/* The key of the five characters at p (reads exactly five). */
static inline uint64_t track_key(const uint8_t *p)
{
    uint64_t x = 0;
    for (int i = TRACK_KEY_BYTES - 1; i >= 0; i--)
        x = x << 8 | enc_norm(p[i]);
    return x;
}

/* The key of the eight characters at p (reads exactly eight). */
static inline uint64_t track_key8(const uint8_t *p)
{
    uint64_t x = 0;
    for (int i = TRACK_LONG_KEY_BYTES - 1; i >= 0; i--)
        x = x << 8 | enc_norm(p[i]);
    return x;
}

#define ENC_COMPACT_MIN 8         /* = TRACKED_MIN_LEN */
#define ENC_COMPACT_DIGITS_MIN 9 /* digit-only patterns matched in a compact view (an SSN) */

/* The compact form of in[0..n) written to out (n bytes at most); returns its length. */
size_t enc_compact(const uint8_t *in, size_t n, uint8_t *out);

/* Bytes enc_variants() may write for a value of `len` bytes (every kind). */
size_t enc_bound(size_t len);

/* Writes the variants of v[0..len) whose kinds are in `which` (bits of enum enc_kind; the JSON
 * form is left out when it is the raw one) into buf (enc_bound(len) bytes) and describes them
 * in out, in kind order; returns how many. */
size_t enc_variants(const uint8_t *v, size_t len, uint8_t *buf, unsigned which,
                    struct enc_variant out[ENC_MAX_VARIANTS]);

/* One pattern of kind `kind` written to out (enc_bound(len) bytes); returns its length. For
 * base64 kinds *e (may be NULL) gets the edges. */
size_t enc_one(unsigned kind, const uint8_t *v, size_t len, uint8_t *out, struct enc_edges *e);

/* The number of full base64 characters of a value of len bytes at alignment a. */
size_t enc_b64_full_len(size_t len, unsigned a);

#endif
