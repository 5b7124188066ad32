/*
 * tracked_enc.c - the patterns of a tracked value (see tracked_enc.h and the variant rules in
 * tracked.h). Exists so that the loop (keys of pending values, verification) and the worker
 * (the tiers' indexes) derive exactly the same strings. Pure: never allocates, never logs.
 */
#include "scan/tracked_enc.h"

#include "scan/fold.h" /* fold_view: the reversed and ROT13 forms */

#include <string.h>

static const char hex_lower[] = "0123456789abcdef";
static const char b64_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* clang-format off */
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
const int8_t enc_b64val[256] = {
    R16(-1), R16(-1),
    /* 0x20 */ -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, 62, -1, 63,
    /* 0x30 */ 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
    /* 0x40 */ -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    /* 0x50 */ 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, 63,
    /* 0x60 */ -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    /* 0x70 */ 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
    R16(-1), R16(-1), R16(-1), R16(-1), R16(-1), R16(-1), R16(-1), R16(-1),
};
const int8_t enc_hexval[256] = {
    R16(-1), R16(-1), R16(-1),
    /* 0x30 */ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, -1, -1, -1, -1,
    /* 0x40 */ -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    R16(-1),
    /* 0x60 */ -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    R16(-1), R16(-1), R16(-1), R16(-1), R16(-1), R16(-1), R16(-1), R16(-1), R16(-1),
};
#undef R16
/* clang-format on */

size_t enc_bound(size_t len)
{
    /* raw, JSON (6 per byte at worst), three base64 alignments, hex, the three transformed
     * forms (and room for one more, where the reversed one is made) */
    return len + 6 * len + 3 * (4 * len / 3 + 8) + 2 * len + 4 * len + 16;
}

static size_t json_escape(const uint8_t *v, size_t len, uint8_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = v[i];
        char e = 0;
        switch (c) {
        case '"':
            e = '"';
            break;
        case '\\':
            e = '\\';
            break;
        case '\b':
            e = 'b';
            break;
        case '\f':
            e = 'f';
            break;
        case '\n':
            e = 'n';
            break;
        case '\r':
            e = 'r';
            break;
        case '\t':
            e = 't';
            break;
        default:
            break;
        }
        if (e) {
            out[n++] = '\\';
            out[n++] = (uint8_t)e;
        } else if (c < 0x20) {
            memcpy(out + n, "\\u00", 4);
            n += 4;
            out[n++] = (uint8_t)hex_lower[c >> 4];
            out[n++] = (uint8_t)hex_lower[c & 15];
        } else {
            out[n++] = c;
        }
    }
    return n;
}

static size_t hex_encode(const uint8_t *v, size_t len, uint8_t *out)
{
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = (uint8_t)hex_lower[v[i] >> 4];
        out[2 * i + 1] = (uint8_t)hex_lower[v[i] & 15];
    }
    return 2 * len;
}

size_t enc_b64_full_len(size_t len, unsigned a)
{
    size_t first = (8 * a + 5) / 6, end = (8 * a + 8 * len) / 6;
    return end - first;
}

/* The six bits of character k of the stream (a zero bytes, v, zero bytes). */
static unsigned b64_char(const uint8_t *v, size_t len, unsigned a, size_t k)
{
    size_t bit = 6 * k, byte = bit / 8;
    unsigned w = 0;
    for (size_t i = 0; i < 2; i++) { /* the two bytes the six bits may straddle */
        size_t j = byte + i;
        unsigned b = j >= a && j - a < len ? v[j - a] : 0;
        w = w << 8 | b;
    }
    return (w >> (10 - bit % 8)) & 63;
}

/* The full characters of v at alignment a, and the edges. */
static size_t b64_full(const uint8_t *v, size_t len, unsigned a, uint8_t *out, struct enc_edges *e)
{
    size_t first = (8 * a + 5) / 6, endbit = 8 * a + 8 * len, end = endbit / 6, n = 0;
    size_t k = first;
    /* whole 3-byte groups of the value go four characters at a time */
    if (k % 4 != 0) {
        for (; k % 4 != 0 && k < end; k++)
            out[n++] = (uint8_t)b64_alpha[b64_char(v, len, a, k)];
    }
    for (; k + 4 <= end; k += 4) {
        size_t byte = k / 4 * 3 - a; /* k / 4 * 3 >= a once k >= 4 */
        uint32_t w = (uint32_t)v[byte] << 16 | (uint32_t)v[byte + 1] << 8 | v[byte + 2];
        out[n++] = (uint8_t)b64_alpha[w >> 18];
        out[n++] = (uint8_t)b64_alpha[(w >> 12) & 63];
        out[n++] = (uint8_t)b64_alpha[(w >> 6) & 63];
        out[n++] = (uint8_t)b64_alpha[w & 63];
    }
    for (; k < end; k++)
        out[n++] = (uint8_t)b64_alpha[b64_char(v, len, a, k)];
    if (e != NULL) {
        memset(e, 0, sizeof(*e));
        if (a != 0) {
            unsigned bits = (unsigned)(6 * first - 8 * a); /* low bits of the character before */
            e->lead_mask = (uint8_t)((1u << bits) - 1);
            e->lead_val = (uint8_t)(b64_char(v, len, a, first - 1) & e->lead_mask);
        }
        if (endbit % 6 != 0) {
            unsigned bits = (unsigned)(endbit % 6); /* high bits of the character after */
            e->trail_mask = (uint8_t)(((1u << bits) - 1) << (6 - bits));
            e->trail_val = (uint8_t)(b64_char(v, len, a, end) & e->trail_mask);
        }
    }
    return n;
}

/* compact_map[c]: what c becomes (letters in lower case); compact_keep[c]: whether it stays */
#define CM_KEEP(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || \
                    ((c) >= '0' && (c) <= '9') || (c) >= 0x80)
#define CM_MAP(c) ((c) >= 'A' && (c) <= 'Z' ? (c) | 0x20 : (c))
#define CM4(F, i) F(i), F(i + 1), F(i + 2), F(i + 3)
#define CM16(F, i) CM4(F, i), CM4(F, i + 4), CM4(F, i + 8), CM4(F, i + 12)
#define CM64(F, i) CM16(F, i), CM16(F, i + 16), CM16(F, i + 32), CM16(F, i + 48)
#define CM256(F) CM64(F, 0), CM64(F, 64), CM64(F, 128), CM64(F, 192)
static const uint8_t compact_keep[256] = {CM256(CM_KEEP)};
static const uint8_t compact_map[256] = {CM256(CM_MAP)};

size_t enc_compact(const uint8_t *in, size_t n, uint8_t *out)
{
    /* branch-free: every byte is written, the index moves past those kept (out has room for
     * n bytes, and the last write lands at most at k <= i) */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        out[k] = compact_map[in[i]];
        k += compact_keep[in[i]];
    }
    return k;
}

size_t enc_one(unsigned kind, const uint8_t *v, size_t len, uint8_t *out, struct enc_edges *e)
{
    switch (kind) {
    case ENC_JSON:
        return json_escape(v, len, out);
    case ENC_B64_0:
    case ENC_B64_1:
    case ENC_B64_2:
        return b64_full(v, len, kind - ENC_B64_0, out, e);
    case ENC_HEX:
        return hex_encode(v, len, out);
    case ENC_CMP:
        return enc_compact(v, len, out);
    case ENC_CMP_REV: /* out has room for two compact forms (enc_bound) */
        return fold_view(FOLD_REVERSED, (const char *)out + len, enc_compact(v, len, out + len),
                         (char *)out);
    case ENC_CMP_ROT13: {
        size_t n = enc_compact(v, len, out + len);
        return fold_view(FOLD_ROT13, (const char *)out + len, n, (char *)out);
    }
    default:
        memcpy(out, v, len);
        return len;
    }
}

size_t enc_variants(const uint8_t *v, size_t len, uint8_t *buf, unsigned which,
                    struct enc_variant out[ENC_MAX_VARIANTS])
{
    size_t n = 0, off = 0, cmp = ENC_MAX_VARIANTS;
    /* a value with a control byte is binary (a key's DER bytes): its compact forms would be
     * the few letters left among its bytes, so it has none */
    bool binary = false;
    for (size_t i = 0; i < len && !binary; i++)
        binary = v[i] < 0x20 || v[i] == 0x7f;
    for (unsigned k = 0; k < ENC_NKINDS; k++) {
        if (!(which & (1u << k)) || (binary && ENC_IS_ALT(k)))
            continue;
        size_t l = enc_one(k, v, len, buf + off, NULL);
        if (k == ENC_JSON && l == len && memcmp(buf + off, v, len) == 0)
            continue; /* the raw form already */
        if (ENC_IS_ALT(k) && l < ENC_COMPACT_MIN)
            continue; /* too short to mean anything */
        if (k == ENC_CMP)
            cmp = n;
        else if ((k == ENC_CMP_REV || k == ENC_CMP_ROT13) && cmp < n && out[cmp].len == l &&
                 memcmp(buf + out[cmp].off, buf + off, l) == 0)
            continue; /* the compact form already (a palindrome; no letters) */
        out[n++] =
            (struct enc_variant){.kind = (uint8_t)k, .off = (uint32_t)off, .len = (uint32_t)l};
        off += l;
    }
    return n;
}
