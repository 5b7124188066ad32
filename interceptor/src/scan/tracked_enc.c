/*
 * tracked_enc.c - the encoded forms of a tracked value (see tracked_enc.h and the variant rules
 * in tracked.h). Exists so that the loop (keys of pending values, verification) and the worker
 * (database patterns) derive exactly the same strings. Pure: never allocates, never logs.
 */
#include "scan/tracked_enc.h"

#include <string.h>

#include "scan/tracked.h"

static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

enum { URL_RFC3986 = 0, URL_COMPONENT = 1 };

size_t enc_bound(size_t len)
{
    /* raw, JSON (6 per byte at worst), six base64 cores, hex, three percent forms */
    return len + 6 * len + 6 * (len * 4 / 3 + 2) + 2 * len + 3 * 3 * len + 16;
}

size_t enc_b64_core_len(size_t len, unsigned align)
{
    size_t lo = (8 * (size_t)align + 5) / 6, hi = (8 * (size_t)align + 8 * len) / 6;
    return hi > lo ? hi - lo : 0;
}

size_t enc_b64_core(const uint8_t *v, size_t len, unsigned align, bool urlsafe, uint8_t *out)
{
    const char *alpha = urlsafe ? b64_url : b64_std;
    /* The value sits at byte `align` of a virtual stream; character j covers bits [6j, 6j+6).
     * Only characters whose bits all fall inside the value are stable. */
    size_t lo = (8 * (size_t)align + 5) / 6, hi = (8 * (size_t)align + 8 * len) / 6, n = 0;
    for (size_t j = lo; j < hi; j++) {
        size_t bit = 6 * j, k = bit / 8 - align, s = bit % 8;
        unsigned w = (unsigned)v[k] << 8;
        if (k + 1 < len)
            w |= v[k + 1];
        out[n++] = (uint8_t)alpha[(w >> (10 - s)) & 63];
    }
    return n;
}

static bool unreserved(uint8_t c, unsigned form)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    if (c == '-' || c == '.' || c == '_' || c == '~')
        return true;
    return form == URL_COMPONENT &&
           (c == '!' || c == '*' || c == '\'' || c == '(' || c == ')');
}

static size_t pct(const uint8_t *v, size_t len, unsigned form, bool plus, uint8_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = v[i];
        if (unreserved(c, form)) {
            out[n++] = c;
        } else if (c == ' ' && plus) {
            out[n++] = '+';
        } else {
            out[n++] = '%';
            out[n++] = (uint8_t)hex_upper[c >> 4];
            out[n++] = (uint8_t)hex_upper[c & 15];
        }
    }
    return n;
}

static size_t json_escape(const uint8_t *v, size_t len, uint8_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = v[i];
        char e = 0;
        switch (c) {
        case '"': e = '"'; break;
        case '\\': e = '\\'; break;
        case '\b': e = 'b'; break;
        case '\f': e = 'f'; break;
        case '\n': e = 'n'; break;
        case '\r': e = 'r'; break;
        case '\t': e = 't'; break;
        default: break;
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

size_t enc_one(const struct enc_variant *spec, const uint8_t *v, size_t len, uint8_t *out)
{
    switch ((enum tracked_variant)spec->kind) {
    case TRACKED_RAW:
        memcpy(out, v, len);
        return len;
    case TRACKED_JSON:
        return json_escape(v, len, out);
    case TRACKED_BASE64:
        return enc_b64_core(v, len, spec->align, false, out);
    case TRACKED_BASE64URL:
        return enc_b64_core(v, len, spec->align, true, out);
    case TRACKED_HEX:
        for (size_t i = 0; i < len; i++) {
            out[2 * i] = (uint8_t)hex_lower[v[i] >> 4];
            out[2 * i + 1] = (uint8_t)hex_lower[v[i] & 15];
        }
        return 2 * len;
    case TRACKED_URL:
        return pct(v, len, spec->align, false, out);
    case TRACKED_URL_FORM:
        return pct(v, len, URL_RFC3986, true, out);
    }
    return 0;
}

static bool same_as(const uint8_t *buf, const struct enc_variant *a, const struct enc_variant *b)
{
    return a->len == b->len && memcmp(buf + a->off, buf + b->off, a->len) == 0;
}

size_t enc_variants(const uint8_t *v, size_t len, uint8_t *buf,
                    struct enc_variant out[ENC_MAX_VARIANTS])
{
    size_t n = 0, used = 0;
    bool has_space = memchr(v, ' ', len) != NULL;

#define EMIT(k, a, ci, le)                                                                     \
    do {                                                                                       \
        out[n] = (struct enc_variant){.kind = (k), .align = (a), .caseless = (ci),             \
                                      .lenient = (le), .off = (uint32_t)used};                 \
        out[n].len = (uint32_t)enc_one(&out[n], v, len, buf + used);                           \
    } while (0)

    EMIT(TRACKED_RAW, 0, false, false);
    used += out[n++].len;
    EMIT(TRACKED_JSON, 0, false, false);
    if (!same_as(buf, &out[n], &out[0]))
        used += out[n++].len;
    size_t std_first = n;
    for (unsigned a = 0; a < 3; a++) {
        EMIT(TRACKED_BASE64, a, false, true);
        used += out[n++].len;
    }
    for (unsigned a = 0; a < 3; a++) {
        EMIT(TRACKED_BASE64URL, a, false, true);
        if (!same_as(buf, &out[n], &out[std_first + a]))
            used += out[n++].len;
    }
    EMIT(TRACKED_HEX, 0, true, false);
    used += out[n++].len;
    size_t url_first = n;
    EMIT(TRACKED_URL, URL_RFC3986, true, false);
    if (!same_as(buf, &out[n], &out[0]))
        used += out[n++].len;
    EMIT(TRACKED_URL, URL_COMPONENT, true, false);
    if (!same_as(buf, &out[n], &out[0]) && (n == url_first || !same_as(buf, &out[n], &out[url_first])))
        used += out[n++].len;
    if (has_space) {
        EMIT(TRACKED_URL_FORM, 0, true, false);
        used += out[n++].len;
    }
#undef EMIT
    return n;
}

static uint8_t lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c | 0x20) : c;
}

bool enc_equal(const struct enc_variant *spec, const uint8_t *text, const uint8_t *p, size_t n)
{
    if (spec->lenient) {
        for (size_t i = 0; i < n; i++) {
            uint8_t a = text[i], b = p[i];
            if (a == '-')
                a = '+';
            else if (a == '_')
                a = '/';
            if (b == '-')
                b = '+';
            else if (b == '_')
                b = '/';
            if (a != b)
                return false;
        }
        return true;
    }
    if (spec->caseless) {
        for (size_t i = 0; i < n; i++)
            if (lower(text[i]) != lower(p[i]))
                return false;
        return true;
    }
    return memcmp(text, p, n) == 0;
}

size_t enc_b64_clean_run(const uint8_t *p, size_t n, size_t *off)
{
    size_t best = 0, best_off = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || p[i] == '+' || p[i] == '/' || p[i] == '-' || p[i] == '_') {
            if (i - start > best) {
                best = i - start;
                best_off = start;
            }
            start = i + 1;
        }
    }
    *off = best_off;
    return best;
}
