/*
 * jscan.h - a tiny JSON span scanner shared by the benchmark's echo server and load generator.
 *
 * It finds values by key or index and hands back raw byte spans; it never decodes escapes and
 * never allocates. It is not a validator: it is only as strict as the benchmark needs, and must
 * never be used to judge hostile input.
 */
#ifndef SENTINEL_BENCH_JSCAN_H
#define SENTINEL_BENCH_JSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A raw JSON token (value or key) as it appears in the text: strings keep their quotes. */
struct jspan {
    const char *p;
    size_t n;
};

/*
 * Trim surrounding whitespace from `text` and check it holds exactly one value.
 * 0 and *out set, or -EINVAL (empty, malformed, nested deeper than 64, or trailing bytes).
 */
int js_value(const char *text, size_t len, struct jspan *out);
/* The value of member `key` (an unescaped name) in object `obj`. 0, -ENOENT, or -EINVAL. */
int js_get(struct jspan obj, const char *key, struct jspan *out);
/* Element `idx` of array `arr`. 0, -ENOENT, or -EINVAL. */
int js_index(struct jspan arr, size_t idx, struct jspan *out);
/* A non-negative integer that fits in uint64_t. 0 or -EINVAL. */
int js_u64(struct jspan v, uint64_t *out);
/* True when `v` is a string token whose raw (still escaped) contents equal `lit`. */
bool js_str_is(struct jspan v, const char *lit);
/* True when `v` is of the given kind. */
bool js_is_object(struct jspan v);
bool js_is_string(struct jspan v);

#endif
