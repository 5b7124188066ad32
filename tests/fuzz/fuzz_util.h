/*
 * fuzz_util.h - small helpers shared by the newer fuzz targets (header-only, static):
 * make arbitrary bytes valid UTF-8 so they can be embedded in a JSON string.
 */
#ifndef SENTINEL_TESTS_FUZZ_UTIL_H
#define SENTINEL_TESTS_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* Length of the valid UTF-8 sequence at p (strict: no overlongs, surrogates or > U+10FFFF),
 * 0 when the bytes there are not one. */
static inline size_t fz_utf8_len(const uint8_t *p, size_t n)
{
    uint8_t c = p[0];
    if (c < 0x80)
        return 1;
    size_t k;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF)
        k = 2, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        k = 3, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        k = 4, cp = c & 0x07, min = 0x10000;
    else
        return 0;
    if (n < k)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return k;
}

/* Append data with every invalid UTF-8 byte replaced by '?'. */
static inline int fz_utf8_clean(struct buf *out, const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < size;) {
        size_t k = fz_utf8_len(data + i, size - i);
        int rc = k ? buf_append(out, data + i, k) : buf_putc(out, '?');
        if (rc < 0)
            return rc;
        i += k ? k : 1;
    }
    return 0;
}

/* Append `"` + JSON escape of the UTF-8-cleaned bytes + `"`. */
static inline int fz_json_string(struct buf *out, const uint8_t *data, size_t size)
{
    struct buf clean;
    buf_init(&clean, (size_t)-1);
    int rc = fz_utf8_clean(&clean, data, size);
    if (rc == 0)
        rc = buf_putc(out, '"');
    if (rc == 0)
        rc = buf_json_escape(out, clean.data ? clean.data : "", clean.len);
    if (rc == 0)
        rc = buf_putc(out, '"');
    buf_cleanup(&clean);
    return rc;
}

#endif
