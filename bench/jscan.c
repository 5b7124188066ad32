/*
 * jscan.c - locate JSON values as raw spans, for the benchmark programs only.
 * Strings are skipped with memchr so a 10 MiB tool result costs about one memory pass.
 * It checks structure, not content (no UTF-8 or escape validation); never reuse it in the
 * interceptor, which must parse strictly.
 */
#include "jscan.h"

#include <errno.h>
#include <string.h>

#define MAX_DEPTH 64

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* p points at the opening quote; returns the byte after the closing quote, or NULL. */
static const char *skip_string(const char *p, const char *end)
{
    const char *q = p + 1;

    for (;;) {
        const char *b;

        q = memchr(q, '"', (size_t)(end - q));
        if (!q)
            return NULL;
        b = q;
        while (b > p + 1 && b[-1] == '\\')
            b--;
        if (((q - b) & 1) == 0)
            return q + 1;
        q++;
    }
}

static const char *skip_literal(const char *p, const char *end, const char *lit)
{
    size_t n = strlen(lit);

    if ((size_t)(end - p) < n || memcmp(p, lit, n) != 0)
        return NULL;
    return p + n;
}

static const char *skip_number(const char *p, const char *end)
{
    const char *s = p;

    while (p < end && ((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == '.' ||
                       *p == 'e' || *p == 'E'))
        p++;
    return p == s ? NULL : p;
}

static const char *skip_value(const char *p, const char *end, int depth);

/* Skip an object or array body; p points at '{' or '['. */
static const char *skip_container(const char *p, const char *end, int depth)
{
    char close = *p == '{' ? '}' : ']';
    bool obj = *p == '{';

    if (depth >= MAX_DEPTH)
        return NULL;
    p = skip_ws(p + 1, end);
    if (p < end && *p == close)
        return p + 1;
    for (;;) {
        if (obj) {
            if (p >= end || *p != '"')
                return NULL;
            p = skip_string(p, end);
            if (!p)
                return NULL;
            p = skip_ws(p, end);
            if (p >= end || *p != ':')
                return NULL;
            p = skip_ws(p + 1, end);
        }
        p = skip_value(p, end, depth + 1);
        if (!p)
            return NULL;
        p = skip_ws(p, end);
        if (p >= end)
            return NULL;
        if (*p == close)
            return p + 1;
        if (*p != ',')
            return NULL;
        p = skip_ws(p + 1, end);
    }
}

static const char *skip_value(const char *p, const char *end, int depth)
{
    if (p >= end)
        return NULL;
    switch (*p) {
    case '"':
        return skip_string(p, end);
    case '{':
    case '[':
        return skip_container(p, end, depth);
    case 't':
        return skip_literal(p, end, "true");
    case 'f':
        return skip_literal(p, end, "false");
    case 'n':
        return skip_literal(p, end, "null");
    default:
        return skip_number(p, end);
    }
}

int js_value(const char *text, size_t len, struct jspan *out)
{
    const char *end = text + len;
    const char *p = skip_ws(text, end);
    const char *q = skip_value(p, end, 0);

    if (!q || skip_ws(q, end) != end)
        return -EINVAL;
    out->p = p;
    out->n = (size_t)(q - p);
    return 0;
}

int js_get(struct jspan obj, const char *key, struct jspan *out)
{
    const char *end = obj.p + obj.n;
    const char *p;
    size_t klen = strlen(key);

    if (!js_is_object(obj))
        return -EINVAL;
    p = skip_ws(obj.p + 1, end);
    if (p < end && *p == '}')
        return -ENOENT;
    for (;;) {
        const char *k = p, *v;

        if (p >= end || *p != '"')
            return -EINVAL;
        p = skip_string(p, end);
        if (!p)
            return -EINVAL;
        bool match = (size_t)(p - k) == klen + 2 && memcmp(k + 1, key, klen) == 0;
        p = skip_ws(p, end);
        if (p >= end || *p != ':')
            return -EINVAL;
        v = skip_ws(p + 1, end);
        p = skip_value(v, end, 1);
        if (!p)
            return -EINVAL;
        if (match) {
            out->p = v;
            out->n = (size_t)(p - v);
            return 0;
        }
        p = skip_ws(p, end);
        if (p >= end)
            return -EINVAL;
        if (*p == '}')
            return -ENOENT;
        if (*p != ',')
            return -EINVAL;
        p = skip_ws(p + 1, end);
    }
}

int js_index(struct jspan arr, size_t idx, struct jspan *out)
{
    const char *end = arr.p + arr.n;
    const char *p;

    if (arr.n < 2 || arr.p[0] != '[')
        return -EINVAL;
    p = skip_ws(arr.p + 1, end);
    if (p < end && *p == ']')
        return -ENOENT;
    for (size_t i = 0;; i++) {
        const char *v = p;

        p = skip_value(v, end, 1);
        if (!p)
            return -EINVAL;
        if (i == idx) {
            out->p = v;
            out->n = (size_t)(p - v);
            return 0;
        }
        p = skip_ws(p, end);
        if (p >= end)
            return -EINVAL;
        if (*p == ']')
            return -ENOENT;
        if (*p != ',')
            return -EINVAL;
        p = skip_ws(p + 1, end);
    }
}

int js_u64(struct jspan v, uint64_t *out)
{
    uint64_t x = 0;

    if (v.n == 0 || v.n > 19)
        return -EINVAL;
    for (size_t i = 0; i < v.n; i++) {
        if (v.p[i] < '0' || v.p[i] > '9')
            return -EINVAL;
        x = x * 10 + (uint64_t)(v.p[i] - '0');
    }
    *out = x;
    return 0;
}

bool js_str_is(struct jspan v, const char *lit)
{
    size_t n = strlen(lit);

    return js_is_string(v) && v.n == n + 2 && memcmp(v.p + 1, lit, n) == 0;
}

bool js_is_object(struct jspan v)
{
    return v.n >= 2 && v.p[0] == '{';
}

bool js_is_string(struct jspan v)
{
    return v.n >= 2 && v.p[0] == '"';
}
