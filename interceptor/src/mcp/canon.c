/*
 * canon.c - canonical JSON (RFC 8785) of a parsed value, and its SHA-256.
 *
 * Exists so that a tool definition can be pinned by hash: equal values must give equal
 * bytes however the server spells them (member order, escapes, 1.0 vs 1), and any change
 * of value must give different bytes. It never guesses: a value it cannot put in canonical
 * form (a number beyond the double range, a subtree it cannot index) is an error.
 * Recursion is bounded by the parser's depth limit (CANON_MAX_DEPTH).
 */
#include "mcp/canon.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- strings --------------------------------------------------------------------- */

/* Append s[0..n) (unescaped, valid UTF-8) as a JCS string body, without the quotes. */
static int put_escaped(struct buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t run = 0;
    int rc;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if ((rc = buf_append(out, s + run, i - run)) < 0)
            return rc;
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t en = 2;
        switch (c) {
        case '"':
        case '\\':
            esc[1] = (char)c;
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            en = 6;
            break;
        }
        if ((rc = buf_append(out, esc, en)) < 0)
            return rc;
        run = i + 1;
    }
    return buf_append(out, s + run, n - run);
}

static int put_string(struct buf *out, const char *s, size_t n)
{
    int rc = buf_putc(out, '"');
    if (rc == 0)
        rc = put_escaped(out, s, n);
    if (rc == 0)
        rc = buf_putc(out, '"');
    return rc;
}

/* Next code point of valid UTF-8 at s[*i]; a stray byte counts as itself. */
static uint32_t next_cp(const unsigned char *s, size_t n, size_t *i)
{
    unsigned char c = s[*i];
    size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (k > n - *i)
        k = 1;
    uint32_t cp = k == 1 ? c : k == 2 ? c & 0x1Fu : k == 3 ? c & 0x0Fu : c & 0x07u;
    for (size_t j = 1; j < k; j++)
        cp = (cp << 6) | (s[*i + j] & 0x3Fu);
    *i += k;
    return cp;
}

int canon_utf16_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    size_t i = 0, j = 0;
    while (i < an && j < bn) {
        uint32_t ca = next_cp(x, an, &i), cb = next_cp(y, bn, &j);
        if (ca == cb)
            continue;
        /* compare the first UTF-16 unit, then (both supplementary) the second */
        uint32_t ua = ca < 0x10000 ? ca : 0xD800 + ((ca - 0x10000) >> 10);
        uint32_t ub = cb < 0x10000 ? cb : 0xD800 + ((cb - 0x10000) >> 10);
        if (ua != ub)
            return ua < ub ? -1 : 1;
        return ca < cb ? -1 : 1; /* same high surrogate: low surrogates order as cp */
    }
    if (i < an)
        return 1;
    if (j < bn)
        return -1;
    return 0;
}

/* ---- numbers --------------------------------------------------------------------- */

static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static locale_t c_locale;

static void make_c_locale(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* strtod in the C locale, whatever the process locale is */
static double c_strtod(const char *s)
{
    pthread_once(&c_locale_once, make_c_locale);
    if (c_locale != (locale_t)0)
        return strtod_l(s, NULL, c_locale);
    return strtod(s, NULL);
}

/* The double denoted by digits d[0..k) (no point) times 10^(e - k + 1). */
static double digits_value(const char *d, size_t k, int e)
{
    char s[48];
    size_t n = 0;
    s[n++] = d[0];
    if (k > 1) {
        s[n++] = '.';
        memcpy(s + n, d + 1, k - 1);
        n += k - 1;
    }
    snprintf(s + n, sizeof(s) - n, "e%d", e);
    return c_strtod(s);
}

/*
 * Shortest digits d (k of them, no trailing zeros) and exponent e with d[0].d[1..] * 10^e
 * == v, choosing the closest when several of the shortest length qualify (ECMA-262
 * Number::toString step 5). v is finite and > 0. Correctly rounded printf gives the
 * closest candidate of each length; at a power of two the rounding interval is lopsided,
 * so its neighbours one unit away are tried too.
 */
static void shortest_digits(double v, char d[20], size_t *kout, int *eout)
{
    for (int p = 1; p <= 17; p++) {
        char tmp[64];
        snprintf(tmp, sizeof(tmp), "%.*e", p - 1, v);
        char dg[20];
        size_t k = 0;
        const char *q = tmp;
        for (; *q && *q != 'e'; q++)
            if (*q >= '0' && *q <= '9' && k < 18)
                dg[k++] = *q;
        int e = *q == 'e' ? (int)strtol(q + 1, NULL, 10) : 0;
        bool found = digits_value(dg, k, e) == v;
        if (!found && p < 17) {
            for (int dir = 1; dir >= -1 && !found; dir -= 2) {
                char nb[20];
                memcpy(nb, dg, k);
                size_t nk = k;
                int ne = e;
                size_t i = k;
                if (dir > 0) { /* add one unit in the last place */
                    while (i > 0 && nb[i - 1] == '9')
                        nb[--i] = '0';
                    if (i == 0) {
                        nb[0] = '1';
                        memset(nb + 1, '0', k - 1);
                        ne++;
                    } else {
                        nb[i - 1]++;
                    }
                } else { /* subtract one */
                    while (i > 0 && nb[i - 1] == '0')
                        nb[--i] = '9';
                    if (i == 0)
                        continue;
                    nb[i - 1]--;
                    if (nb[0] == '0') {
                        if (k == 1)
                            continue;
                        memmove(nb, nb + 1, k - 1);
                        nk = k - 1;
                        ne--;
                    }
                }
                if (digits_value(nb, nk, ne) == v) {
                    memcpy(dg, nb, nk);
                    k = nk;
                    e = ne;
                    found = true;
                }
            }
        }
        if (found || p == 17) {
            while (k > 1 && dg[k - 1] == '0')
                k--;
            memcpy(d, dg, k);
            *kout = k;
            *eout = e;
            return;
        }
    }
}

/* ECMA-262 Number::toString(v) for a finite double */
static int put_double(struct buf *out, double v)
{
    char s[64];
    size_t n = 0;
    if (v == 0) /* also -0 */
        return buf_putc(out, '0');
    if (v < 0) {
        s[n++] = '-';
        v = -v;
    }
    char d[20];
    size_t k;
    int e;
    shortest_digits(v, d, &k, &e);
    int nexp = e + 1; /* the n of the specification: value = 0.d * 10^nexp */
    int kk = (int)k;
    if (kk <= nexp && nexp <= 21) {
        memcpy(s + n, d, k);
        n += k;
        for (int i = 0; i < nexp - kk; i++)
            s[n++] = '0';
    } else if (0 < nexp && nexp <= 21) {
        memcpy(s + n, d, (size_t)nexp);
        n += (size_t)nexp;
        s[n++] = '.';
        memcpy(s + n, d + nexp, k - (size_t)nexp);
        n += k - (size_t)nexp;
    } else if (-6 < nexp && nexp <= 0) {
        s[n++] = '0';
        s[n++] = '.';
        for (int i = 0; i < -nexp; i++)
            s[n++] = '0';
        memcpy(s + n, d, k);
        n += k;
    } else {
        s[n++] = d[0];
        if (k > 1) {
            s[n++] = '.';
            memcpy(s + n, d + 1, k - 1);
            n += k - 1;
        }
        n += (size_t)snprintf(s + n, sizeof(s) - n, "e%c%d", nexp - 1 < 0 ? '-' : '+',
                              abs(nexp - 1));
    }
    return buf_append(out, s, n);
}

int canon_number(const char *text, size_t len, struct buf *out)
{
    if (len == 0)
        return -EINVAL;
    /* fast path: an integer of at most 15 digits is exact and prints as itself */
    size_t i = text[0] == '-' ? 1 : 0;
    size_t digits = 0;
    while (i + digits < len && text[i + digits] >= '0' && text[i + digits] <= '9')
        digits++;
    if (digits == 0)
        return -EINVAL;
    if (i + digits == len && digits <= 15) {
        if (digits == 1 && text[i] == '0')
            return buf_putc(out, '0'); /* 0 and -0 */
        if (digits > 1 && text[i] == '0')
            return -EINVAL; /* not JSON */
        return buf_append(out, text, len);
    }
    char small[128];
    char *copy = len < sizeof(small) ? small : malloc(len + 1);
    if (copy == NULL)
        return -ENOMEM;
    memcpy(copy, text, len);
    copy[len] = '\0';
    double v = c_strtod(copy);
    if (copy != small)
        free(copy);
    if (!isfinite(v))
        return -ERANGE;
    return put_double(out, v);
}

/* ---- values ---------------------------------------------------------------------- */

struct member {
    uint32_t node;
    size_t koff; /* unescaped name in ctx->keys */
    size_t klen;
};

struct ctx {
    struct json_doc *doc;
    struct buf *out;
    struct buf keys; /* unescaped member names of the objects open on the stack */
    struct buf str;  /* one unescaped string value */
    struct diag *d;
};

static int member_cmp(const void *a, const void *b, void *arg)
{
    const struct member *x = a, *y = b;
    const char *base = arg ? arg : "";
    return canon_utf16_cmp(base + x->koff, x->klen, base + y->koff, y->klen);
}

static int emit(struct ctx *c, uint32_t node, unsigned depth);

static int emit_object(struct ctx *c, uint32_t node, unsigned depth)
{
    struct json_doc *doc = c->doc;
    uint32_t n = doc->nodes[node].nchild;
    size_t keys_base = c->keys.len;
    struct member *m = NULL;
    int rc = buf_putc(c->out, '{');
    if (rc < 0 || n == 0)
        goto out;
    m = calloc(n, sizeof(*m));
    if (m == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    uint32_t cnt = 0;
    for (uint32_t ch = json_first(doc, node); ch != 0 && cnt < n; ch = doc->nodes[ch].next) {
        const struct json_node *x = &doc->nodes[ch];
        m[cnt].node = ch;
        m[cnt].koff = c->keys.len;
        if (x->flags & JSON_F_KEY_ESCAPED)
            rc = json_unescape(doc->text + x->key_start, x->key_len, &c->keys);
        else
            rc = buf_append(&c->keys, doc->text + x->key_start, x->key_len);
        if (rc < 0)
            goto out;
        m[cnt].klen = c->keys.len - m[cnt].koff;
        cnt++;
    }
    if (cnt != n) {
        rc = diag_set(c->d, SE_ELIMIT, 0, 0, "object not fully indexed");
        goto out;
    }
    if (buf_reserve(&c->keys, 1) < 0) { /* so that keys.data is never NULL below */
        rc = -ENOMEM;
        goto out;
    }
    qsort_r(m, n, sizeof(*m), member_cmp, c->keys.data);
    for (uint32_t i = 0; i < n; i++) {
        if (i > 0 && (rc = buf_putc(c->out, ',')) < 0)
            goto out;
        /* c->keys may move while nested objects add names: index it afresh */
        if ((rc = buf_putc(c->out, '"')) < 0 ||
            (rc = put_escaped(c->out, c->keys.data + m[i].koff, m[i].klen)) < 0 ||
            (rc = buf_append(c->out, "\":", 2)) < 0)
            goto out;
        if ((rc = emit(c, m[i].node, depth + 1)) < 0)
            goto out;
    }
out:
    if (rc == 0)
        rc = buf_putc(c->out, '}');
    free(m);
    c->keys.len = keys_base;
    return rc;
}

static int emit(struct ctx *c, uint32_t node, unsigned depth)
{
    struct json_doc *doc = c->doc;
    const struct json_node *x = &doc->nodes[node];
    int rc;
    if (depth > CANON_MAX_DEPTH)
        return diag_set(c->d, SE_EDEPTH, 0, 0, "nesting deeper than %u", CANON_MAX_DEPTH);
    switch (x->type) {
    case JSON_NULL:
        return buf_append(c->out, "null", 4);
    case JSON_TRUE:
        return buf_append(c->out, "true", 4);
    case JSON_FALSE:
        return buf_append(c->out, "false", 5);
    case JSON_NUMBER:
        rc = canon_number(doc->text + x->start, x->end - x->start, c->out);
        if (rc == -ERANGE)
            return diag_set(c->d, rc, 1, x->start + 1, "number beyond the double range");
        if (rc == -EINVAL)
            return diag_set(c->d, SE_EPARSE, 1, x->start + 1, "malformed number");
        return rc;
    case JSON_STRING: {
        const char *p;
        size_t n;
        if (!(x->flags & JSON_F_ESCAPED)) {
            p = doc->text + x->start + 1;
            n = x->end - x->start - 2;
        } else {
            buf_reset(&c->str);
            if ((rc = json_unescape(doc->text + x->start + 1, x->end - x->start - 2, &c->str)) < 0)
                return rc;
            p = c->str.data ? c->str.data : "";
            n = c->str.len;
        }
        return put_string(c->out, p, n);
    }
    case JSON_ARRAY: {
        if ((rc = buf_putc(c->out, '[')) < 0)
            return rc;
        uint32_t i = 0;
        for (uint32_t ch = json_first(doc, node); ch != 0; ch = doc->nodes[ch].next, i++) {
            if (i > 0 && (rc = buf_putc(c->out, ',')) < 0)
                return rc;
            if ((rc = emit(c, ch, depth + 1)) < 0)
                return rc;
        }
        if (i != x->nchild)
            return diag_set(c->d, SE_ELIMIT, 0, 0, "array not fully indexed");
        return buf_putc(c->out, ']');
    }
    case JSON_OBJECT:
        return emit_object(c, node, depth);
    default:
        return diag_set(c->d, SE_EPARSE, 0, 0, "unknown node type");
    }
}

static int walk(struct json_doc *doc, uint32_t node, struct buf *out, struct diag *d)
{
    struct ctx c = {.doc = doc, .out = out, .d = d};
    buf_init(&c.keys, SIZE_MAX / 2);
    buf_init(&c.str, SIZE_MAX / 2);
    int rc = emit(&c, node, 0);
    buf_cleanup(&c.keys);
    buf_cleanup(&c.str);
    return rc;
}

int canon_text(const char *text, size_t len, struct buf *out, struct diag *d)
{
    struct json_doc doc;
    json_doc_init(&doc, CANON_MAX_DEPTH, JSON_DEFAULT_MAX_NODES);
    int rc = json_parse(&doc, text, len, CANON_MAX_DEPTH, d);
    if (rc == 0 && (doc.truncated || doc.count == 0))
        rc = diag_set(d, SE_ELIMIT, 0, 0, "more than %u JSON values", JSON_DEFAULT_MAX_NODES);
    if (rc == 0)
        rc = walk(&doc, 0, out, d);
    json_doc_cleanup(&doc);
    return rc;
}

/* True when every value under `node` has a node of its own. */
static bool fully_indexed(const struct json_doc *doc, uint32_t node)
{
    if (doc->truncated)
        return false;
    uint32_t end = doc->nodes[node].end;
    for (uint32_t i = node; i < doc->count && (i == node || doc->nodes[i].start < end); i++)
        if (doc->nodes[i].flags & JSON_F_PARTIAL)
            return false;
    return true;
}

int canon_node(struct json_doc *doc, uint32_t node, struct buf *out, struct diag *d)
{
    if (node >= doc->count)
        return diag_set(d, -EINVAL, 0, 0, "no such node");
    if (fully_indexed(doc, node))
        return walk(doc, node, out, d);
    const struct json_node *x = &doc->nodes[node];
    return canon_text(doc->text + x->start, x->end - x->start, out, d);
}

void canon_sha256_hex(const void *data, size_t len, char hex[CANON_SHA256_HEX])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    /* idempotent and thread-safe; it fails only without a randomness source, which
     * SHA-256 does not need, so its result does not matter here */
    int init_rc = sodium_init();
    (void)init_rc;
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(hex, CANON_SHA256_HEX, h, sizeof(h));
}

int canon_hash_node(struct json_doc *doc, uint32_t node, size_t max_bytes,
                    char hex[CANON_SHA256_HEX], struct diag *d)
{
    struct buf b;
    buf_init(&b, max_bytes);
    int rc = canon_node(doc, node, &b, d);
    if (rc == -ENOBUFS)
        diag_set(d, rc, 0, 0, "canonical form larger than %zu bytes", max_bytes);
    if (rc == 0)
        canon_sha256_hex(b.data ? b.data : "", b.len, hex);
    buf_cleanup(&b);
    return rc;
}
