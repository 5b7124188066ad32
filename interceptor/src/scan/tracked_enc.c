/*
 * tracked_enc.c - the registered forms of a tracked value (see tracked_enc.h and the variant
 * rules in tracked.h). Exists so that the loop (keys of pending values, verification) and the
 * worker (database patterns) derive exactly the same strings. Pure: never allocates, never logs.
 */
#include "scan/tracked_enc.h"

#include <string.h>

#include "scan/tracked.h"

static const char hex_lower[] = "0123456789abcdef";

size_t enc_bound(size_t len)
{
    return len + 6 * len + 16; /* raw, JSON (6 per byte at worst) */
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

size_t enc_one(const struct enc_variant *spec, const uint8_t *v, size_t len, uint8_t *out)
{
    if (spec->kind == TRACKED_JSON)
        return json_escape(v, len, out);
    memcpy(out, v, len);
    return len;
}

size_t enc_variants(const uint8_t *v, size_t len, uint8_t *buf,
                    struct enc_variant out[ENC_MAX_VARIANTS])
{
    out[0] = (struct enc_variant){.kind = TRACKED_RAW, .off = 0, .len = (uint32_t)len};
    memcpy(buf, v, len);
    out[1] = (struct enc_variant){.kind = TRACKED_JSON, .off = (uint32_t)len};
    out[1].len = (uint32_t)json_escape(v, len, buf + len);
    if (out[1].len == len && memcmp(buf, buf + len, len) == 0)
        return 1;
    return 2;
}
