/*
 * schema.c - compile a tool's inputSchema (the JSON Schema subset listed in schema.h) and
 * check tools/call arguments against it.
 *
 * Why our own: no C JSON Schema library is packaged here, and the schema is written by the
 * server, which may be hostile. Compilation is a worklist (no recursion through $ref) that
 * bounds depth, size and regexes and refuses cycles that cannot terminate; validation is
 * bounded in depth, steps, $ref expansions and regex work. This file must never treat a
 * keyword it does not enforce as enforced: it lists it instead. Pure: no I/O.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "mcp/schema.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

#define NONE UINT32_MAX
#define NO_LIMIT UINT64_MAX

enum {
    T_NULL = 1,
    T_BOOLEAN = 2,
    T_OBJECT = 4,
    T_ARRAY = 8,
    T_NUMBER = 16,
    T_INTEGER = 32,
    T_STRING = 64,
};

static const struct {
    const char *name;
    uint8_t bit;
} type_names[] = {
    {"null", T_NULL},     {"boolean", T_BOOLEAN}, {"object", T_OBJECT}, {"array", T_ARRAY},
    {"number", T_NUMBER}, {"integer", T_INTEGER}, {"string", T_STRING},
};

enum fmt { FMT_NONE, FMT_EMAIL, FMT_URI, FMT_DATE_TIME, FMT_DATE, FMT_UUID, FMT_IPV4, FMT_IPV6 };

static const char *const fmt_names[] = {
    [FMT_EMAIL] = "email", [FMT_URI] = "uri",   [FMT_DATE_TIME] = "date-time", [FMT_DATE] = "date",
    [FMT_UUID] = "uuid",   [FMT_IPV4] = "ipv4", [FMT_IPV6] = "ipv6",
};

/* ---- exact decimals ---------------------------------------------------------------- */

/*
 * A JSON number as an exact decimal: value = (neg ? -1 : 1) * 0.D * 10^e, where D is the
 * n significant digits (no leading or trailing zeros) starting at p. The digits may run
 * across the '.' of the original text: `dot` is how many digits come before it (or
 * SIZE_MAX). n == 0 is zero (of either sign).
 */
struct dec {
    const char *p;
    size_t n;
    size_t dot;
    int64_t e;
    bool neg;
};

#define EXP_CAP 1000000000000000LL /* exponents saturate here: 1e(10^15) is "infinite" */

static inline char dec_digit(const struct dec *d, size_t k)
{
    return d->p[k + (k >= d->dot)];
}

/* Parse the text of a number json.c has validated. */
static void dec_parse(const char *s, size_t len, struct dec *d)
{
    const char *e = s + len;
    memset(d, 0, sizeof(*d));
    d->dot = SIZE_MAX;
    d->p = "";
    if (s < e && *s == '-') {
        d->neg = true;
        s++;
    }
    const char *i0 = s;
    while (s < e && *s >= '0' && *s <= '9')
        s++;
    size_t nint = (size_t)(s - i0);
    const char *f0 = s;
    size_t nfrac = 0;
    if (s < e && *s == '.') {
        f0 = ++s;
        while (s < e && *s >= '0' && *s <= '9')
            s++;
        nfrac = (size_t)(s - f0);
    }
    int64_t x = 0;
    if (s < e && (*s == 'e' || *s == 'E')) {
        bool xneg = false;
        s++;
        if (s < e && (*s == '+' || *s == '-'))
            xneg = *s++ == '-';
        for (; s < e && *s >= '0' && *s <= '9'; s++)
            if (x < EXP_CAP)
                x = x * 10 + (*s - '0');
        if (xneg)
            x = -x;
    }
    size_t total = nint + nfrac;
#define DIGIT_AT(k) ((k) < nint ? i0[(k)] : f0[(k)-nint])
    size_t lz = 0;
    while (lz < total && DIGIT_AT(lz) == '0')
        lz++;
    if (lz == total) {
        d->neg = false;
        return;
    }
    size_t tz = 0;
    while (DIGIT_AT(total - 1 - tz) == '0')
        tz++;
#undef DIGIT_AT
    d->n = total - lz - tz;
    d->e = (int64_t)nint - (int64_t)lz + x;
    if (lz < nint) {
        d->p = i0 + lz;
        d->dot = nint - lz;
    } else {
        d->p = f0 + (lz - nint);
    }
}

static int dec_cmp(const struct dec *a, const struct dec *b)
{
    int sa = a->n == 0 ? 0 : a->neg ? -1 : 1;
    int sb = b->n == 0 ? 0 : b->neg ? -1 : 1;
    if (sa != sb)
        return sa < sb ? -1 : 1;
    if (sa == 0)
        return 0;
    int mag = 0;
    if (a->e != b->e) {
        mag = a->e < b->e ? -1 : 1;
    } else {
        size_t n = a->n < b->n ? a->n : b->n;
        for (size_t k = 0; k < n && mag == 0; k++) {
            char x = dec_digit(a, k), y = dec_digit(b, k);
            if (x != y)
                mag = x < y ? -1 : 1;
        }
        if (mag == 0 && a->n != b->n)
            mag = a->n < b->n ? -1 : 1;
    }
    return sa > 0 ? mag : -mag;
}

static bool dec_is_integer(const struct dec *d)
{
    return d->n == 0 || d->e >= (int64_t)d->n;
}

/* Value of a non-negative integer decimal, saturating at UINT64_MAX. */
static uint64_t dec_u64(const struct dec *d)
{
    if (d->n == 0)
        return 0;
    if (d->e > 20)
        return NO_LIMIT;
    uint64_t v = 0;
    for (int64_t k = 0; k < d->e; k++) {
        unsigned dg = (size_t)k < d->n ? (unsigned)(dec_digit(d, (size_t)k) - '0') : 0;
        if (v > (UINT64_MAX - dg) / 10)
            return NO_LIMIT;
        v = v * 10 + dg;
    }
    return v;
}

static uint64_t mod_pow10(int64_t k, uint64_t m)
{
    unsigned __int128 r = 1 % m, b = 10 % m;
    while (k > 0) {
        if (k & 1)
            r = r * b % m;
        b = b * b % m;
        k >>= 1;
    }
    return (uint64_t)r;
}

/*
 * Is x a multiple of m = M * 10^em (M: m's significant digits as an integer)? Exact:
 * with X the digits of x, x / m = (X / M) * 10^(ex - em). When ex < em the quotient
 * needs X divisible by 10, impossible since X has no trailing zeros.
 */
static bool dec_multiple(const struct dec *x, uint64_t M, int64_t em)
{
    if (x->n == 0)
        return true;
    int64_t ex = x->e - (int64_t)x->n;
    if (ex < em)
        return false;
    unsigned __int128 r = 0;
    for (size_t k = 0; k < x->n; k++)
        r = (r * 10 + (unsigned)(dec_digit(x, k) - '0')) % M;
    r = r * mod_pow10(ex - em, M) % M;
    return r == 0;
}

/* ---- small helpers ------------------------------------------------------------------ */

struct sstr {
    char *p; /* owned, NUL-terminated (the bytes may hold NULs: use n) */
    size_t n;
};

static int sstr_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t n = an < bn ? an : bn;
    int c = n ? memcmp(a, b, n) : 0;
    if (c != 0)
        return c;
    return an < bn ? -1 : an > bn;
}

static int sstr_qcmp(const void *x, const void *y)
{
    const struct sstr *a = x, *b = y;
    return sstr_cmp(a->p, a->n, b->p, b->n);
}

/* Index of (p, n) in the sorted array, or -1. */
static long sstr_find(const struct sstr *v, size_t count, const char *p, size_t n)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = sstr_cmp(v[mid].p, v[mid].n, p, n);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static const char *buf_at(const struct buf *b, size_t off)
{
    return b->data ? b->data + off : "";
}

/* Unescaped member name of node `c`: direct when unescaped, else in `tmp`. */
static int key_of(const struct json_doc *doc, uint32_t c, struct buf *tmp, const char **p,
                  size_t *n)
{
    const struct json_node *x = &doc->nodes[c];
    if (!(x->flags & JSON_F_KEY_ESCAPED)) {
        *p = doc->text + x->key_start;
        *n = x->key_len;
        return 0;
    }
    buf_reset(tmp);
    int rc = json_unescape(doc->text + x->key_start, x->key_len, tmp);
    *p = buf_at(tmp, 0);
    *n = tmp->len;
    return rc;
}

/* Unescaped bytes of string node `c`: direct when unescaped, else in `tmp`. */
static int str_of(const struct json_doc *doc, uint32_t c, struct buf *tmp, const char **p,
                  size_t *n)
{
    const struct json_node *x = &doc->nodes[c];
    const char *body = doc->text + x->start + 1;
    size_t blen = x->end - x->start - 2;
    if (!(x->flags & JSON_F_ESCAPED)) {
        *p = body;
        *n = blen;
        return 0;
    }
    buf_reset(tmp);
    int rc = json_unescape(body, blen, tmp);
    *p = buf_at(tmp, 0);
    *n = tmp->len;
    return rc;
}

/* Append s as a JSON pointer token (~ and / escaped). */
static int put_token(struct buf *out, const char *s, size_t n)
{
    int rc = buf_putc(out, '/');
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (s[i] == '~')
            rc = buf_append(out, "~0", 2);
        else if (s[i] == '/')
            rc = buf_append(out, "~1", 2);
        else
            rc = buf_putc(out, s[i]);
    }
    return rc;
}

/*
 * Canonical bytes of a JSON value, equal exactly when the values are equal under JSON
 * Schema: "n" "t" "f"; numbers "#[-]<digits>e<exp>" ("#0" for zero); strings
 * "s<len>:<bytes>"; arrays "[" elements "]"; objects "{" members sorted by their own
 * canonical bytes "}" (a member is its name as a string followed by its value). Every
 * form is self-delimiting, so concatenations cannot collide.
 */
struct span {
    const char *p;
    size_t n;
    uint32_t idx;
};

static int span_qcmp(const void *x, const void *y)
{
    const struct span *a = x, *b = y;
    int c = sstr_cmp(a->p, a->n, b->p, b->n);
    if (c != 0)
        return c;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int canon_number(struct buf *out, const struct dec *d)
{
    if (d->n == 0)
        return buf_append(out, "#0", 2);
    int rc = buf_append(out, d->neg ? "#-" : "#", d->neg ? 2 : 1);
    for (size_t k = 0; k < d->n && rc == 0; k++)
        rc = buf_putc(out, dec_digit(d, k));
    return rc < 0 ? rc : buf_printf(out, "e%lld", (long long)d->e);
}

static int canon_bytes(struct buf *out, const char *p, size_t n)
{
    int rc = buf_printf(out, "s%zu:", n);
    return rc < 0 ? rc : buf_append(out, p, n);
}

static int canon_value(const struct json_doc *doc, uint32_t node, struct buf *out, struct buf *tmp,
                       unsigned depth_left)
{
    const struct json_node *x = &doc->nodes[node];
    const char *p;
    size_t n;
    int rc;
    switch (x->type) {
    case JSON_NULL:
        return buf_putc(out, 'n');
    case JSON_TRUE:
        return buf_putc(out, 't');
    case JSON_FALSE:
        return buf_putc(out, 'f');
    case JSON_NUMBER: {
        struct dec d;
        dec_parse(doc->text + x->start, x->end - x->start, &d);
        return canon_number(out, &d);
    }
    case JSON_STRING:
        if ((rc = str_of(doc, node, tmp, &p, &n)) < 0)
            return rc;
        return canon_bytes(out, p, n);
    default:
        break;
    }
    if (x->flags & JSON_F_PARTIAL)
        return -E2BIG;
    if (depth_left == 0)
        return SE_EDEPTH;
    if (x->type == JSON_ARRAY) {
        if ((rc = buf_putc(out, '[')) < 0)
            return rc;
        for (uint32_t c = json_first(doc, node); c != 0; c = doc->nodes[c].next)
            if ((rc = canon_value(doc, c, out, tmp, depth_left - 1)) < 0)
                return rc;
        return buf_putc(out, ']');
    }
    /* object: build the members apart, sort them, append */
    struct buf m;
    buf_init(&m, out->limit);
    size_t *offs = NULL;
    struct span *sp = NULL;
    uint32_t cnt = x->nchild;
    if (cnt > 0 && ((offs = calloc(cnt + 1u, sizeof(*offs))) == NULL ||
                    (sp = calloc(cnt, sizeof(*sp))) == NULL)) {
        rc = -ENOMEM;
        goto out;
    }
    uint32_t k = 0;
    for (uint32_t c = json_first(doc, node); c != 0 && k < cnt; c = doc->nodes[c].next, k++) {
        offs[k] = m.len;
        if ((rc = key_of(doc, c, tmp, &p, &n)) < 0 || (rc = canon_bytes(&m, p, n)) < 0 ||
            (rc = canon_value(doc, c, &m, tmp, depth_left - 1)) < 0)
            goto out;
    }
    if (cnt > 0)
        offs[k] = m.len;
    for (uint32_t i = 0; i < k; i++)
        sp[i] = (struct span){m.data + offs[i], offs[i + 1] - offs[i], i};
    if (k > 1)
        qsort(sp, k, sizeof(*sp), span_qcmp);
    rc = buf_putc(out, '{');
    for (uint32_t i = 0; i < k && rc == 0; i++)
        rc = buf_append(out, sp[i].p, sp[i].n);
    if (rc == 0)
        rc = buf_putc(out, '}');
out:
    free(offs);
    free(sp);
    buf_cleanup(&m);
    return rc;
}

/* ---- formats ------------------------------------------------------------------------ */

static bool digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

static unsigned num2(const char *p)
{
    return (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
}

static bool no_space_or_control(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] <= 0x20 || p[i] == 0x7f)
            return false;
    return true;
}

/* RFC 3339 full-date: YYYY-MM-DD with a real day of that month. */
static bool fmt_date(const char *p, size_t n)
{
    if (n != 10 || p[4] != '-' || p[7] != '-' || !digits(p, 4) || !digits(p + 5, 2) ||
        !digits(p + 8, 2))
        return false;
    unsigned y = num2(p) * 100 + num2(p + 2), m = num2(p + 5), d = num2(p + 8);
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return false;
    bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    return d <= dim[m - 1] + (unsigned)(m == 2 && leap);
}

/* RFC 3339 full-time: HH:MM:SS[.frac](Z|+HH:MM|-HH:MM), second 60 allowed (leap). */
static bool fmt_time(const char *p, size_t n)
{
    if (n < 9 || p[2] != ':' || p[5] != ':' || !digits(p, 2) || !digits(p + 3, 2) ||
        !digits(p + 6, 2) || num2(p) > 23 || num2(p + 3) > 59 || num2(p + 6) > 60)
        return false;
    size_t i = 8;
    if (p[i] == '.') {
        size_t f = ++i;
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
        if (i == f)
            return false;
    }
    if (i < n && (p[i] == 'Z' || p[i] == 'z'))
        return i + 1 == n;
    if (n - i != 6 || (p[i] != '+' && p[i] != '-') || p[i + 3] != ':' || !digits(p + i + 1, 2) ||
        !digits(p + i + 4, 2))
        return false;
    return num2(p + i + 1) <= 23 && num2(p + i + 4) <= 59;
}

/* full-date "T" full-time; also 't' and ' ' (RFC 3339 5.6 allows both; so do ajv, pydantic) */
static bool fmt_date_time(const char *p, size_t n)
{
    return n > 11 && (p[10] == 'T' || p[10] == 't' || p[10] == ' ') && fmt_date(p, 10) &&
           fmt_time(p + 11, n - 11);
}

static bool fmt_uuid(const char *p, size_t n)
{
    if (n != 36)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (p[i] != '-')
                return false;
        } else if (!((p[i] >= '0' && p[i] <= '9') ||
                     ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'f'))) {
            return false;
        }
    }
    return true;
}

/* Dotted quad, each part 0-255 without leading zeros (no octal ambiguity). */
static bool fmt_ipv4(const char *p, size_t n)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0 && (i >= n || p[i++] != '.'))
            return false;
        size_t s = i;
        unsigned v = 0;
        while (i < n && i - s < 3 && p[i] >= '0' && p[i] <= '9')
            v = v * 10 + (unsigned)(p[i++] - '0');
        if (i == s || v > 255 || (i - s > 1 && p[s] == '0'))
            return false;
    }
    return i == n;
}

/* RFC 4291 text forms as inet_pton(3) reads them (with an embedded IPv4 tail; no zone). */
static bool fmt_ipv6(const char *p, size_t n)
{
    char tmp[INET6_ADDRSTRLEN];
    unsigned char addr[16];
    if (n == 0 || n >= sizeof(tmp) || memchr(p, 0, n) != NULL)
        return false;
    memcpy(tmp, p, n);
    tmp[n] = 0;
    return inet_pton(AF_INET6, tmp, addr) == 1;
}

/* A non-empty local part, '@', a domain of non-empty dot-separated labels or [literal]. */
static bool fmt_email(const char *p, size_t n)
{
    const char *at = n ? memrchr(p, '@', n) : NULL;
    if (at == NULL || at == p || !no_space_or_control(p, n))
        return false;
    const char *d = at + 1, *e = p + n;
    if (d == e)
        return false;
    if (*d == '[')
        return e[-1] == ']' && e - d > 2;
    for (const char *label = d;;) {
        const char *dot = memchr(label, '.', (size_t)(e - label));
        const char *end = dot ? dot : e;
        if (end == label)
            return false;
        if (dot == NULL)
            return true;
        label = dot + 1;
    }
}

/* RFC 3986 scheme ":" and no whitespace or control characters anywhere. */
static bool fmt_uri(const char *p, size_t n)
{
    if (n == 0 || !((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z'))
        return false;
    size_t i = 1;
    while (i < n && (((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z') ||
                     (p[i] >= '0' && p[i] <= '9') || p[i] == '+' || p[i] == '-' || p[i] == '.'))
        i++;
    return i < n && p[i] == ':' && no_space_or_control(p, n);
}

static bool format_ok(unsigned f, const char *p, size_t n)
{
    switch (f) {
    case FMT_EMAIL:
        return fmt_email(p, n);
    case FMT_URI:
        return fmt_uri(p, n);
    case FMT_DATE_TIME:
        return fmt_date_time(p, n);
    case FMT_DATE:
        return fmt_date(p, n);
    case FMT_UUID:
        return fmt_uuid(p, n);
    case FMT_IPV4:
        return fmt_ipv4(p, n);
    case FMT_IPV6:
        return fmt_ipv6(p, n);
    default:
        return true;
    }
}

/* ---- the compiled form ---------------------------------------------------------------- */

struct bound {
    char *text; /* the number as written in the schema (owned); d points into it */
    struct dec d;
    double v; /* ... as a double, as the server reads it (strtod, round to nearest) */
    bool set;
    bool excl; /* draft-04 boolean exclusiveMinimum/exclusiveMaximum */
};

struct snum {
    struct bound min, max, xmin, xmax, mult;
    uint64_t mult_digits; /* multipleOf = mult_digits * 10^mult_exp */
    int64_t mult_exp;
};

struct sprop {
    struct sstr name;
    uint32_t schema;
};

struct spat {
    struct sstr src;
    pcre2_code *re;
    uint32_t schema;
};

enum kind { K_SCHEMA = 0, K_TRUE, K_FALSE };

struct snode {
    uint32_t json; /* the schema node it was compiled from (compile time only) */
    uint8_t kind;
    uint8_t types; /* T_* bits, 0 = any */
    uint8_t format;
    bool unique, has_enum, has_const;
    struct snum *num; /* NULL when no numeric keyword */
    uint64_t min_len, max_len;
    pcre2_code *pattern;
    struct sstr pattern_src;
    uint64_t min_items, max_items;
    uint32_t *prefix; /* prefixItems or array-form items */
    uint32_t nprefix;
    uint32_t items; /* items after the prefix, NONE = anything */
    uint32_t contains;
    struct sprop *props; /* sorted by name */
    uint32_t nprops;
    struct spat *pats;
    uint32_t npats;
    uint32_t addl;    /* additionalProperties, NONE = anything */
    uint32_t names;   /* propertyNames */
    struct sstr *req; /* sorted, unique */
    uint32_t nreq;
    uint64_t min_props, max_props;
    struct sstr *enums; /* canonical, sorted */
    uint32_t nenum;
    struct sstr cnst; /* canonical */
    uint32_t *all, *any, *one;
    uint32_t nall, nany, none;
    uint32_t not_;
    uint32_t ref;
};

struct schema {
    struct snode *nodes; /* nodes[0] is the root */
    uint32_t count, cap;
    char *unsup[SCHEMA_MAX_UNSUPPORTED];
    char *unsup_why[SCHEMA_MAX_UNSUPPORTED];
    size_t nunsup; /* including those not listed */
};

static void snode_cleanup(struct snode *n)
{
    if (n->num != NULL) {
        free(n->num->min.text);
        free(n->num->max.text);
        free(n->num->xmin.text);
        free(n->num->xmax.text);
        free(n->num->mult.text);
        free(n->num);
    }
    pcre2_code_free(n->pattern);
    free(n->pattern_src.p);
    free(n->prefix);
    for (uint32_t i = 0; i < n->nprops; i++)
        free(n->props[i].name.p);
    free(n->props);
    for (uint32_t i = 0; i < n->npats; i++) {
        free(n->pats[i].src.p);
        pcre2_code_free(n->pats[i].re);
    }
    free(n->pats);
    for (uint32_t i = 0; i < n->nreq; i++)
        free(n->req[i].p);
    free(n->req);
    for (uint32_t i = 0; i < n->nenum; i++)
        free(n->enums[i].p);
    free(n->enums);
    free(n->cnst.p);
    free(n->all);
    free(n->any);
    free(n->one);
}

void schema_free(struct schema *s)
{
    if (s == NULL)
        return;
    for (uint32_t i = 0; i < s->count; i++)
        snode_cleanup(&s->nodes[i]);
    free(s->nodes);
    size_t listed = s->nunsup < SCHEMA_MAX_UNSUPPORTED ? s->nunsup : SCHEMA_MAX_UNSUPPORTED;
    for (size_t i = 0; i < listed; i++) {
        free(s->unsup[i]);
        free(s->unsup_why[i]);
    }
    free(s);
}

size_t schema_unsupported(const struct schema *s, const char *const **pointers)
{
    if (pointers != NULL)
        *pointers = (const char *const *)s->unsup;
    return s->nunsup;
}

const char *schema_unsupported_reason(const struct schema *s, size_t i)
{
    if (i >= s->nunsup || i >= SCHEMA_MAX_UNSUPPORTED)
        return NULL;
    return s->unsup_why[i];
}

/* ---- compilation -------------------------------------------------------------------- */

struct cstate {
    const struct json_doc *doc;
    uint32_t root, end; /* the schema is doc nodes [root, end) */
    uint32_t *memo;     /* doc node - root -> compiled node + 1 */
    uint32_t *queue;    /* compiled nodes waiting for compile_node */
    size_t qhead, qlen, qcap;
    struct schema *s;
    char *err;
    size_t errlen;
    struct buf tmp, tmp2, ptr;
    size_t bytes;
    unsigned npatterns;
    size_t pattern_bytes;
    struct kids **kids; /* doc node - root -> index of a large container, built on demand */
};

/* Children of a large container, for $ref resolution in O(log n) instead of O(n). */
struct kid {
    const char *name; /* unescaped member name (objects), in `names` or the doc text */
    size_t len;
    uint32_t node;
};

struct kids {
    struct kid *v; /* objects: sorted by name; arrays: in order */
    uint32_t n;
    char *names;
};

#define KIDS_INDEX_MIN 16 /* smaller containers are scanned */

/* JSON pointer (relative to the schema root) of doc node `target`, in cs->ptr. */
static const char *pointer_of(struct cstate *cs, uint32_t target)
{
    const struct json_doc *doc = cs->doc;
    const struct json_node *t = &doc->nodes[target];
    buf_reset(&cs->ptr);
    uint32_t cur = cs->root;
    while (cur != target) {
        uint32_t found = 0, idx = 0;
        for (uint32_t c = json_first(doc, cur); c != 0; c = doc->nodes[c].next, idx++)
            if (doc->nodes[c].start <= t->start && t->start < doc->nodes[c].end) {
                found = c;
                break;
            }
        if (found == 0)
            break;
        if (doc->nodes[cur].type == JSON_OBJECT) {
            const char *p;
            size_t n;
            if (key_of(doc, found, &cs->tmp2, &p, &n) < 0 || put_token(&cs->ptr, p, n) < 0)
                break;
        } else if (buf_printf(&cs->ptr, "/%u", idx) < 0) {
            break;
        }
        cur = found;
    }
    if (buf_putc(&cs->ptr, 0) < 0)
        return "";
    return cs->ptr.data;
}

__attribute__((format(printf, 4, 5))) static int cs_fail(struct cstate *cs, uint32_t at, int code,
                                                         const char *fmt, ...)
{
    if (cs->errlen == 0)
        return code;
    int k = snprintf(cs->err, cs->errlen, "#%s: ", pointer_of(cs, at));
    if (k >= 0 && (size_t)k < cs->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(cs->err + k, cs->errlen - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return code;
}

static int unsupported(struct cstate *cs, uint32_t at, const char *why)
{
    struct schema *s = cs->s;
    if (s->nunsup < SCHEMA_MAX_UNSUPPORTED) {
        const char *p = pointer_of(cs, at);
        s->unsup[s->nunsup] = strdup(p);
        s->unsup_why[s->nunsup] = strdup(why);
        if (s->unsup[s->nunsup] == NULL || s->unsup_why[s->nunsup] == NULL) {
            free(s->unsup[s->nunsup]);
            free(s->unsup_why[s->nunsup]);
            return -ENOMEM;
        }
    }
    s->nunsup++;
    return 0;
}

static void *cs_alloc(struct cstate *cs, size_t n, int *rc)
{
    if (n > SCHEMA_MAX_BYTES || (cs->bytes += n) > SCHEMA_MAX_BYTES) {
        *rc = SE_ELIMIT;
        return NULL;
    }
    void *p = calloc(1, n ? n : 1);
    if (p == NULL)
        *rc = -ENOMEM;
    return p;
}

static int cs_strdup(struct cstate *cs, const char *p, size_t n, struct sstr *out)
{
    int rc = 0;
    out->p = cs_alloc(cs, n + 1, &rc);
    if (out->p == NULL)
        return rc;
    if (n)
        memcpy(out->p, p, n);
    out->n = n;
    return 0;
}

static int too_big(struct cstate *cs, uint32_t at)
{
    return cs_fail(cs, at, SE_ELIMIT, "schema larger than %u bytes compiled",
                   (unsigned)SCHEMA_MAX_BYTES);
}

/* The compiled node for schema doc node j: existing, or a new one queued for compiling. */
static int sub(struct cstate *cs, uint32_t j, uint32_t *out)
{
    uint32_t *m = &cs->memo[j - cs->root];
    if (*m != 0) {
        *out = *m - 1;
        return 0;
    }
    struct schema *s = cs->s;
    if (s->count >= SCHEMA_MAX_NODES)
        return cs_fail(cs, j, SE_ELIMIT, "more than %u subschemas", SCHEMA_MAX_NODES);
    if (s->count == s->cap) {
        uint32_t ncap = s->cap ? s->cap * 2 : 16;
        if (ncap > SCHEMA_MAX_NODES)
            ncap = SCHEMA_MAX_NODES;
        cs->bytes += (size_t)(ncap - s->cap) * sizeof(struct snode);
        if (cs->bytes > SCHEMA_MAX_BYTES)
            return too_big(cs, j);
        struct snode *p = realloc(s->nodes, (size_t)ncap * sizeof(*p));
        if (p == NULL)
            return -ENOMEM;
        s->nodes = p;
        s->cap = ncap;
    }
    if (cs->qlen == cs->qcap) {
        size_t ncap = cs->qcap ? cs->qcap * 2 : 16;
        uint32_t *q = realloc(cs->queue, ncap * sizeof(*q));
        if (q == NULL)
            return -ENOMEM;
        cs->queue = q;
        cs->qcap = ncap;
    }
    uint32_t idx = s->count++;
    struct snode *n = &s->nodes[idx];
    memset(n, 0, sizeof(*n));
    n->json = j;
    n->max_len = n->max_items = n->max_props = NO_LIMIT;
    n->items = n->contains = n->addl = n->names = n->not_ = n->ref = NONE;
    cs->queue[cs->qlen++] = idx;
    *m = idx + 1;
    *out = idx;
    return 0;
}

/* A member value that must be a schema (object or boolean). */
static int sub_schema(struct cstate *cs, uint32_t v, const char *kw, uint32_t *out)
{
    uint8_t t = cs->doc->nodes[v].type;
    if (t != JSON_OBJECT && t != JSON_TRUE && t != JSON_FALSE)
        return cs_fail(cs, v, -EINVAL, "%s must be a schema (an object or a boolean)", kw);
    return sub(cs, v, out);
}

/* An array of schemas: allOf/anyOf/oneOf (non-empty) and prefixItems/items. */
static int sub_list(struct cstate *cs, uint32_t v, const char *kw, bool nonempty, uint32_t **out,
                    uint32_t *count)
{
    const struct json_node *x = &cs->doc->nodes[v];
    if (x->type != JSON_ARRAY || (nonempty && x->nchild == 0))
        return cs_fail(cs, v, -EINVAL, "%s must be a%s array of schemas", kw,
                       nonempty ? " non-empty" : "n");
    if (x->flags & JSON_F_PARTIAL)
        return cs_fail(cs, v, -E2BIG, "not indexed deep enough");
    int rc = 0;
    free(*out); /* a duplicate keyword cannot happen (json.c refuses duplicate keys) */
    *out = cs_alloc(cs, (size_t)x->nchild * sizeof(**out), &rc);
    if (*out == NULL)
        return rc == SE_ELIMIT ? too_big(cs, v) : rc;
    *count = 0;
    for (uint32_t c = json_first(cs->doc, v); c != 0; c = cs->doc->nodes[c].next) {
        if ((rc = sub_schema(cs, c, kw, &(*out)[*count])) < 0)
            return rc;
        (*count)++;
    }
    return 0;
}

static int get_count(struct cstate *cs, uint32_t v, const char *kw, uint64_t *out)
{
    const struct json_node *x = &cs->doc->nodes[v];
    struct dec d;
    if (x->type == JSON_NUMBER) {
        dec_parse(cs->doc->text + x->start, x->end - x->start, &d);
        if (dec_is_integer(&d) && (!d.neg || d.n == 0)) {
            *out = dec_u64(&d);
            return 0;
        }
    }
    return cs_fail(cs, v, -EINVAL, "%s must be a non-negative integer", kw);
}

static int get_bound(struct cstate *cs, uint32_t v, const char *kw, struct bound *b)
{
    const struct json_node *x = &cs->doc->nodes[v];
    if (x->type != JSON_NUMBER)
        return cs_fail(cs, v, -EINVAL, "%s must be a number", kw);
    struct sstr t;
    int rc = cs_strdup(cs, cs->doc->text + x->start, x->end - x->start, &t);
    if (rc < 0)
        return rc == SE_ELIMIT ? too_big(cs, v) : rc;
    free(b->text);
    b->text = t.p;
    t.p[t.n] = '\0';
    dec_parse(t.p, t.n, &b->d);
    b->v = strtod(t.p, NULL);
    b->set = true;
    return 0;
}

static int get_num(struct cstate *cs, struct snode *nd, int *rc)
{
    if (nd->num == NULL)
        nd->num = cs_alloc(cs, sizeof(*nd->num), rc);
    return nd->num != NULL ? 0 : -1;
}

static int kw_type(struct cstate *cs, uint32_t v, struct snode *nd)
{
    const struct json_doc *doc = cs->doc;
    uint32_t one = v, c = v;
    bool list = doc->nodes[v].type == JSON_ARRAY;
    if (list) {
        if (doc->nodes[v].flags & JSON_F_PARTIAL)
            return cs_fail(cs, v, -E2BIG, "not indexed deep enough");
        c = json_first(doc, v);
        if (c == 0)
            return cs_fail(cs, v, -EINVAL, "type must not be an empty array");
    }
    for (; c != 0; c = list ? doc->nodes[c].next : 0) {
        one = c;
        const char *p;
        size_t n;
        if (doc->nodes[c].type != JSON_STRING)
            return cs_fail(cs, one, -EINVAL, "type must be a string or an array of strings");
        int rc = str_of(doc, c, &cs->tmp2, &p, &n);
        if (rc < 0)
            return rc;
        size_t k = 0;
        while (k < sizeof(type_names) / sizeof(type_names[0]) &&
               sstr_cmp(p, n, type_names[k].name, strlen(type_names[k].name)) != 0)
            k++;
        if (k == sizeof(type_names) / sizeof(type_names[0]))
            return cs_fail(cs, one, -EINVAL, "unknown type \"%.*s\"", (int)(n > 32 ? 32 : n), p);
        nd->types |= type_names[k].bit;
    }
    return 0;
}

static int canon_const(struct cstate *cs, uint32_t v, struct sstr *out)
{
    struct buf b;
    buf_init(&b, SCHEMA_MAX_BYTES);
    unsigned below = (unsigned)(cs->doc->nodes[v].depth - cs->doc->nodes[cs->root].depth);
    unsigned left = below < SCHEMA_MAX_DEPTH ? SCHEMA_MAX_DEPTH - below : 0;
    int rc = canon_value(cs->doc, v, &b, &cs->tmp2, left);
    if (rc == 0)
        rc = cs_strdup(cs, buf_at(&b, 0), b.len, out);
    buf_cleanup(&b);
    if (rc == -ENOBUFS || rc == SE_ELIMIT)
        return too_big(cs, v);
    if (rc == -E2BIG)
        return cs_fail(cs, v, rc, "not indexed deep enough");
    if (rc == SE_EDEPTH)
        return cs_fail(cs, v, rc, "nested deeper than %u", SCHEMA_MAX_DEPTH);
    return rc;
}

static int kw_enum(struct cstate *cs, uint32_t v, struct snode *nd)
{
    const struct json_node *x = &cs->doc->nodes[v];
    if (x->type != JSON_ARRAY)
        return cs_fail(cs, v, -EINVAL, "enum must be an array");
    if (x->flags & JSON_F_PARTIAL)
        return cs_fail(cs, v, -E2BIG, "not indexed deep enough");
    int rc = 0;
    nd->enums = cs_alloc(cs, (size_t)x->nchild * sizeof(*nd->enums), &rc);
    if (nd->enums == NULL)
        return rc == SE_ELIMIT ? too_big(cs, v) : rc;
    nd->has_enum = true;
    for (uint32_t c = json_first(cs->doc, v); c != 0; c = cs->doc->nodes[c].next) {
        if ((rc = canon_const(cs, c, &nd->enums[nd->nenum])) < 0)
            return rc;
        nd->nenum++;
    }
    qsort(nd->enums, nd->nenum, sizeof(*nd->enums), sstr_qcmp);
    return 0;
}

/* ECMA-262's WhiteSpace and LineTerminator (\s), in PCRE2 class syntax under ALT_BSUX (where
 * \v would be PCRE2's vertical-space class, so VT is \x0b) */
#define ECMA_WS                                                                                    \
    "\\x09\\x0a\\x0b\\x0c\\x0d\\x20\\u00a0\\u1680\\u2000-"                                         \
    "\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"                                                   \
    "\\ufeff"

/*
 * Rewrite an ECMA-262 pattern where PCRE2 reads it differently: \s and \S are Unicode
 * whitespace (ASCII in PCRE2 without UCP), and `.` excludes CR, U+2028 and U+2029 besides LF.
 * \d, \w and \b are ASCII in both. Returns 0, -ENOTSUP for \S inside a character class
 * (no exact PCRE2 spelling: the pattern is listed as unsupported), or -EINVAL for what
 * ECMA-262 with the u flag refuses and PCRE2 would read its own way (\Z, (?i), *+).
 */
static int ecma_translate(const char *p, size_t n, struct buf *out)
{
    bool in_class = false, class_start = false;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char c = p[i];
        if (!in_class && c == '(' && i + 1 < n && p[i + 1] == '?') {
            /* ECMA-262 groups: (?: (?= (?! (?<= (?<! (?<name>; not PCRE's (?i) (?# (?> ... */
            char e = i + 2 < n ? p[i + 2] : '\0';
            if (!(e == ':' || e == '=' || e == '!' || e == '<'))
                return -EINVAL;
        }
        if (!in_class && (c == '*' || c == '+' || c == '?' || c == '}') && i + 1 < n &&
            p[i + 1] == '+')
            return -EINVAL; /* a possessive quantifier: PCRE's, not ECMA-262's */
        if (c == '\\' && i + 1 < n) {
            char d = p[++i];
            /* with the u flag ECMA-262 knows only these escapes (\Z, \A, \Q...\E, \h are
             * PCRE's, and an error there) */
            if (strchr("dDwWsSbBfnrtv0123456789cxupPk^$\\.*+?()[]{}|/-", d) == NULL ||
                (d == 'k' && in_class) || (d == 'B' && in_class) || (d == '-' && !in_class))
                return -EINVAL;
            if (d == 's' || d == 'S') {
                if (in_class && d == 'S')
                    return -ENOTSUP;
                rc = in_class   ? buf_append(out, ECMA_WS, sizeof(ECMA_WS) - 1)
                     : d == 's' ? buf_append(out, "[" ECMA_WS "]", sizeof(ECMA_WS) + 1)
                                : buf_append(out, "[^" ECMA_WS "]", sizeof(ECMA_WS) + 2);
            } else {
                rc = buf_putc(out, '\\');
                rc = rc ? rc : buf_putc(out, d);
            }
            class_start = false;
            continue;
        }
        if (in_class) {
            if (c == ']' && !class_start)
                in_class = false;
            class_start = false;
            rc = buf_putc(out, c);
        } else if (c == '[') {
            in_class = class_start = true;
            rc = buf_putc(out, c);
            if (rc == 0 && i + 1 < n && p[i + 1] == '^')
                rc = buf_putc(out, p[++i]);
        } else if (c == '.') {
            static const char dot[] = "[^\\x0a\\x0d\\u2028\\u2029]";
            rc = buf_append(out, dot, sizeof(dot) - 1);
        } else {
            rc = buf_putc(out, c);
        }
    }
    return rc;
}

static int compile_regex(struct cstate *cs, uint32_t at, const char *p, size_t n, pcre2_code **out)
{
    if (cs->npatterns >= SCHEMA_MAX_PATTERNS)
        return cs_fail(cs, at, SE_ELIMIT, "more than %u regexes", SCHEMA_MAX_PATTERNS);
    /* compiling (and JIT-compiling) costs about the length of the source: bound the sum */
    if (n > SCHEMA_MAX_PATTERN_BYTES - cs->pattern_bytes)
        return cs_fail(cs, at, SE_ELIMIT, "regexes longer than %u bytes in all",
                       SCHEMA_MAX_PATTERN_BYTES);
    cs->npatterns++;
    cs->pattern_bytes += n;
    int ec;
    PCRE2_SIZE off = 0;
    struct buf ecma;
    buf_init(&ecma, 64 * (size_t)n + 64); /* \s (2 bytes) grows the most: 55 times */
    int trc = ecma_translate(p, n, &ecma);
    if (trc == -ENOTSUP) {
        buf_cleanup(&ecma);
        return unsupported(cs, at, "\\S inside a character class");
    }
    if (trc == -EINVAL) {
        buf_cleanup(&ecma);
        return unsupported(cs, at, "not an ECMA-262 pattern (an escape, group or quantifier "
                                   "of another regex flavour: \\Z, \\A, (?i), *+ ...)");
    }
    /* ECMA-262 flavour (with the u flag, as validators compile patterns) where PCRE2 has it:
     * \uXXXX and \u{X...}, `$` only at the very end, and a backreference to a group not
     * (yet) set matches the empty string, as \1 before its group or \k<n> ahead of it do */
    pcre2_compile_context *cc = trc < 0 ? NULL : pcre2_compile_context_create(NULL);
    if (cc != NULL)
        pcre2_set_compile_extra_options(cc, PCRE2_EXTRA_ALT_BSUX);
    *out = cc == NULL ? NULL
                      : pcre2_compile((PCRE2_SPTR)(ecma.data ? ecma.data : ""), ecma.len,
                                      PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY |
                                          PCRE2_MATCH_UNSET_BACKREF | PCRE2_NEVER_BACKSLASH_C,
                                      &ec, &off, cc);
    pcre2_compile_context_free(cc);
    buf_cleanup(&ecma);
    if (trc == 0 && cc == NULL)
        return -ENOMEM;
    if (trc < 0)
        return trc;
    if (*out == NULL) {
        PCRE2_UCHAR msg[160];
        char why[256];
        pcre2_get_error_message(ec, msg, sizeof(msg));
        snprintf(why, sizeof(why), "regex does not compile: %s at offset %zu", (const char *)msg,
                 (size_t)off);
        return unsupported(cs, at, why);
    }
    pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE); /* best effort: the interpreter is the fallback */
    return 0;
}

static int kw_properties(struct cstate *cs, uint32_t v, struct snode *nd)
{
    const struct json_doc *doc = cs->doc;
    const struct json_node *x = &doc->nodes[v];
    if (x->type != JSON_OBJECT)
        return cs_fail(cs, v, -EINVAL, "properties must be an object");
    if (x->flags & JSON_F_PARTIAL)
        return cs_fail(cs, v, -E2BIG, "not indexed deep enough");
    int rc = 0;
    nd->props = cs_alloc(cs, (size_t)x->nchild * sizeof(*nd->props), &rc);
    if (nd->props == NULL)
        return rc == SE_ELIMIT ? too_big(cs, v) : rc;
    for (uint32_t c = json_first(doc, v); c != 0; c = doc->nodes[c].next) {
        struct sprop *pr = &nd->props[nd->nprops];
        const char *p;
        size_t n;
        if ((rc = key_of(doc, c, &cs->tmp, &p, &n)) < 0)
            return rc;
        if ((rc = cs_strdup(cs, p, n, &pr->name)) < 0)
            return rc == SE_ELIMIT ? too_big(cs, c) : rc;
        nd->nprops++;
        if ((rc = sub_schema(cs, c, "a property", &pr->schema)) < 0)
            return rc;
    }
    qsort(nd->props, nd->nprops, sizeof(*nd->props), sstr_qcmp); /* name is the first member */
    return 0;
}

static int kw_pattern_properties(struct cstate *cs, uint32_t v, struct snode *nd)
{
    const struct json_doc *doc = cs->doc;
    const struct json_node *x = &doc->nodes[v];
    if (x->type != JSON_OBJECT)
        return cs_fail(cs, v, -EINVAL, "patternProperties must be an object");
    if (x->flags & JSON_F_PARTIAL)
        return cs_fail(cs, v, -E2BIG, "not indexed deep enough");
    int rc = 0;
    nd->pats = cs_alloc(cs, (size_t)x->nchild * sizeof(*nd->pats), &rc);
    if (nd->pats == NULL)
        return rc == SE_ELIMIT ? too_big(cs, v) : rc;
    for (uint32_t c = json_first(doc, v); c != 0; c = doc->nodes[c].next) {
        struct spat *pt = &nd->pats[nd->npats];
        const char *p;
        size_t n;
        if ((rc = key_of(doc, c, &cs->tmp, &p, &n)) < 0)
            return rc;
        if ((rc = cs_strdup(cs, p, n, &pt->src)) < 0)
            return rc == SE_ELIMIT ? too_big(cs, c) : rc;
        nd->npats++;
        if ((rc = compile_regex(cs, c, pt->src.p, pt->src.n, &pt->re)) < 0)
            return rc;
        if (pt->re == NULL) { /* listed as unsupported: matches nothing */
            free(pt->src.p);
            nd->npats--;
            continue;
        }
        if ((rc = sub_schema(cs, c, "a pattern property", &pt->schema)) < 0)
            return rc;
    }
    return 0;
}

static int kw_required(struct cstate *cs, uint32_t v, struct snode *nd)
{
    const struct json_doc *doc = cs->doc;
    const struct json_node *x = &doc->nodes[v];
    if (x->type == JSON_TRUE || x->type == JSON_FALSE) /* draft-03, inside a property */
        return unsupported(cs, v, "draft-03 boolean \"required\" is not supported");
    if (x->type != JSON_ARRAY)
        return cs_fail(cs, v, -EINVAL, "required must be an array of strings");
    if (x->flags & JSON_F_PARTIAL)
        return cs_fail(cs, v, -E2BIG, "not indexed deep enough");
    int rc = 0;
    nd->req = cs_alloc(cs, (size_t)x->nchild * sizeof(*nd->req), &rc);
    if (nd->req == NULL)
        return rc == SE_ELIMIT ? too_big(cs, v) : rc;
    for (uint32_t c = json_first(doc, v); c != 0; c = doc->nodes[c].next) {
        const char *p;
        size_t n;
        if (doc->nodes[c].type != JSON_STRING)
            return cs_fail(cs, c, -EINVAL, "required must be an array of strings");
        if ((rc = str_of(doc, c, &cs->tmp2, &p, &n)) < 0)
            return rc;
        if ((rc = cs_strdup(cs, p, n, &nd->req[nd->nreq])) < 0)
            return rc == SE_ELIMIT ? too_big(cs, c) : rc;
        nd->nreq++;
    }
    qsort(nd->req, nd->nreq, sizeof(*nd->req), sstr_qcmp);
    uint32_t w = 0; /* drop duplicates: each name is one bit when checking */
    for (uint32_t i = 0; i < nd->nreq; i++) {
        if (w > 0 && sstr_qcmp(&nd->req[w - 1], &nd->req[i]) == 0) {
            free(nd->req[i].p);
            continue;
        }
        nd->req[w++] = nd->req[i];
    }
    nd->nreq = w;
    return 0;
}

static int kw_pattern(struct cstate *cs, uint32_t v, struct snode *nd)
{
    const char *p;
    size_t n;
    if (cs->doc->nodes[v].type != JSON_STRING)
        return cs_fail(cs, v, -EINVAL, "pattern must be a string");
    int rc = str_of(cs->doc, v, &cs->tmp2, &p, &n);
    if (rc < 0 || (rc = cs_strdup(cs, p, n, &nd->pattern_src)) < 0)
        return rc == SE_ELIMIT ? too_big(cs, v) : rc;
    return compile_regex(cs, v, nd->pattern_src.p, nd->pattern_src.n, &nd->pattern);
}

static int kw_format(struct cstate *cs, uint32_t v, struct snode *nd)
{
    const char *p;
    size_t n;
    if (cs->doc->nodes[v].type != JSON_STRING)
        return cs_fail(cs, v, -EINVAL, "format must be a string");
    int rc = str_of(cs->doc, v, &cs->tmp2, &p, &n);
    if (rc < 0)
        return rc;
    for (unsigned f = 1; f < sizeof(fmt_names) / sizeof(fmt_names[0]); f++)
        if (sstr_cmp(p, n, fmt_names[f], strlen(fmt_names[f])) == 0)
            nd->format = (uint8_t)f;
    return 0; /* any other format is an annotation */
}

static int kw_multiple_of(struct cstate *cs, uint32_t v, struct snode *nd)
{
    int rc = 0;
    if (get_num(cs, nd, &rc) < 0)
        return rc == SE_ELIMIT ? too_big(cs, v) : rc;
    struct bound *b = &nd->num->mult;
    if ((rc = get_bound(cs, v, "multipleOf", b)) < 0)
        return rc;
    if (b->d.n == 0 || b->d.neg)
        return cs_fail(cs, v, -EINVAL, "multipleOf must be greater than 0");
    if (b->d.n > 19) {
        b->set = false;
        return unsupported(cs, v, "multipleOf with more than 19 significant digits");
    }
    uint64_t m = 0;
    for (size_t k = 0; k < b->d.n; k++)
        m = m * 10 + (uint64_t)(dec_digit(&b->d, k) - '0');
    nd->num->mult_digits = m;
    nd->num->mult_exp = b->d.e - (int64_t)b->d.n;
    return 0;
}

/* exclusiveMinimum/exclusiveMaximum: a number (draft-06+) or a boolean (draft-04). */
static int kw_exclusive(struct cstate *cs, uint32_t v, struct snode *nd, bool is_min, bool *draft4)
{
    uint8_t t = cs->doc->nodes[v].type;
    if (t == JSON_TRUE || t == JSON_FALSE) {
        *draft4 = t == JSON_TRUE;
        return 0;
    }
    int rc = 0;
    if (get_num(cs, nd, &rc) < 0)
        return rc == SE_ELIMIT ? too_big(cs, v) : rc;
    return get_bound(cs, v, is_min ? "exclusiveMinimum" : "exclusiveMaximum",
                     is_min ? &nd->num->xmin : &nd->num->xmax);
}

/* Percent-decode the fragment of a $ref (after '#') into out. */
static int pct_decode(const char *p, size_t n, struct buf *out)
{
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '%') {
            int v = 0;
            for (int k = 1; k <= 2; k++) {
                char h = i + (size_t)k < n ? (char)(p[i + (size_t)k] | 0x20) : 0;
                if (h >= '0' && h <= '9')
                    v = v * 16 + (h - '0');
                else if (h >= 'a' && h <= 'f')
                    v = v * 16 + (h - 'a' + 10);
                else
                    return -EINVAL;
            }
            c = (char)v;
            i += 2;
        }
        int rc = buf_putc(out, c);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int kid_qcmp(const void *x, const void *y)
{
    const struct kid *a = x, *b = y;
    return sstr_cmp(a->name, a->len, b->name, b->len);
}

static void kids_free(struct kids *k)
{
    if (k != NULL) {
        free(k->v);
        free(k->names);
        free(k);
    }
}

/* Build the index of container `cur` (escaped names are unescaped into one block). */
static struct kids *kids_build(struct cstate *cs, uint32_t cur)
{
    const struct json_doc *doc = cs->doc;
    uint32_t n = doc->nodes[cur].nchild, i = 0;
    bool object = doc->nodes[cur].type == JSON_OBJECT;
    struct kids *k = calloc(1, sizeof(*k));
    size_t *offs = calloc(n ? n : 1, sizeof(*offs)); /* in `names`, + 1; 0 = in the text */
    struct buf names;
    buf_init(&names, SCHEMA_MAX_BYTES);
    if (k == NULL || offs == NULL || (k->v = calloc(n ? n : 1, sizeof(*k->v))) == NULL)
        goto fail;
    for (uint32_t c = json_first(doc, cur); c != 0 && i < n; c = doc->nodes[c].next, i++) {
        const struct json_node *x = &doc->nodes[c];
        k->v[i].node = c;
        if (!object)
            continue;
        k->v[i].name = doc->text + x->key_start;
        k->v[i].len = x->key_len;
        if (x->flags & JSON_F_KEY_ESCAPED) {
            offs[i] = names.len + 1;
            if (json_unescape(doc->text + x->key_start, x->key_len, &names) < 0)
                goto fail;
            k->v[i].len = names.len - (offs[i] - 1);
        }
    }
    k->n = i;
    size_t total;
    k->names = buf_steal(&names, &total); /* no longer moves */
    for (uint32_t j = 0; j < k->n; j++)
        if (offs[j] != 0)
            k->v[j].name = k->names + offs[j] - 1;
    if (object)
        qsort(k->v, k->n, sizeof(*k->v), kid_qcmp);
    free(offs);
    return k;
fail:
    buf_cleanup(&names);
    free(offs);
    kids_free(k);
    return NULL;
}

/* Child of container `cur` named by pointer token tok[0..n) (~0 ~1 already decoded). */
static uint32_t ptr_step(struct cstate *cs, uint32_t cur, const char *tok, size_t n, int *rc)
{
    const struct json_doc *doc = cs->doc;
    bool object = doc->nodes[cur].type == JSON_OBJECT;
    uint32_t want = 0;
    if (!object) {
        if (doc->nodes[cur].type != JSON_ARRAY || n == 0 || n > 9 || !digits(tok, n) ||
            (n > 1 && tok[0] == '0'))
            return 0;
        want = (uint32_t)strtoul(tok, NULL, 10); /* tok is NUL-terminated */
    }
    if (doc->nodes[cur].nchild >= KIDS_INDEX_MIN) {
        struct kids **slot = &cs->kids[cur - cs->root];
        if (*slot == NULL && (*slot = kids_build(cs, cur)) == NULL) {
            *rc = -ENOMEM;
            return 0;
        }
        const struct kids *k = *slot;
        if (!object)
            return want < k->n ? k->v[want].node : 0;
        struct kid key = {.name = tok, .len = n};
        const struct kid *hit = bsearch(&key, k->v, k->n, sizeof(*k->v), kid_qcmp);
        return hit ? hit->node : 0;
    }
    uint32_t i = 0;
    for (uint32_t c = json_first(doc, cur); c != 0; c = doc->nodes[c].next, i++) {
        const char *p;
        size_t kn;
        if (!object) {
            if (i == want)
                return c;
        } else if (key_of(doc, c, &cs->tmp, &p, &kn) == 0 && sstr_cmp(p, kn, tok, n) == 0) {
            return c;
        }
    }
    return 0;
}

/* Resolve $ref value v: 0 and *target, 1 when unsupported (listed), or an error. */
static int resolve_ref(struct cstate *cs, uint32_t v, uint32_t *target)
{
    const struct json_doc *doc = cs->doc;
    const char *p;
    size_t n;
    if (doc->nodes[v].type != JSON_STRING)
        return cs_fail(cs, v, -EINVAL, "$ref must be a string");
    int rc = str_of(doc, v, &cs->tmp2, &p, &n);
    if (rc < 0)
        return rc;
    if (n == 0 || p[0] != '#') {
        rc = unsupported(cs, v, "remote or relative $ref is not supported (only \"#...\")");
        return rc < 0 ? rc : 1;
    }
    struct buf frag, tok;
    buf_init(&frag, SCHEMA_MAX_BYTES);
    buf_init(&tok, SCHEMA_MAX_BYTES);
    if ((rc = pct_decode(p + 1, n - 1, &frag)) < 0 || (rc = buf_putc(&frag, 0)) < 0) {
        rc = cs_fail(cs, v, -EINVAL, "$ref has a malformed %%-escape");
        goto out;
    }
    const char *f = frag.data;
    size_t fn = frag.len - 1;
    uint32_t cur = cs->root;
    if (fn > 0 && f[0] != '/') {
        rc = unsupported(cs, v, "$ref to an anchor is not supported (only JSON pointers)");
        rc = rc < 0 ? rc : 1;
        goto out;
    }
    for (size_t a = 1; a <= fn && fn > 0;) {
        size_t b = a;
        while (b < fn && f[b] != '/')
            b++;
        buf_reset(&tok);
        for (size_t i = a; i < b && rc == 0; i++) {
            char c = f[i];
            if (c == '~') {
                if (i + 1 >= b || (f[i + 1] != '0' && f[i + 1] != '1')) {
                    rc = cs_fail(cs, v, -EINVAL, "$ref has a malformed ~ escape");
                    goto out;
                }
                c = f[++i] == '0' ? '~' : '/';
            }
            rc = buf_putc(&tok, c);
        }
        if (rc == 0)
            rc = buf_putc(&tok, 0);
        if (rc < 0)
            goto out;
        if (doc->nodes[cur].flags & JSON_F_PARTIAL) {
            rc = cs_fail(cs, v, -E2BIG, "not indexed deep enough");
            goto out;
        }
        uint32_t next = ptr_step(cs, cur, tok.data, tok.len - 1, &rc);
        if (rc < 0)
            goto out;
        if (next == 0) {
            rc = cs_fail(cs, v, -EINVAL, "$ref \"%.*s\" does not resolve", (int)(n > 64 ? 64 : n),
                         p);
            goto out;
        }
        cur = next;
        a = b + 1;
    }
    *target = cur;
out:
    buf_cleanup(&frag);
    buf_cleanup(&tok);
    return rc;
}

#define KEY(lit) (kn == sizeof(lit) - 1 && memcmp(kp, lit, kn) == 0)

/* Compile the queued node idx from its schema doc node. */
static int compile_node(struct cstate *cs, uint32_t idx)
{
    const struct json_doc *doc = cs->doc;
    struct snode nd = cs->s->nodes[idx];
    uint32_t j = nd.json;
    const struct json_node *x = &doc->nodes[j];
    int rc = 0;
    uint32_t items = 0, prefix_items = 0, addl_items = 0;
    bool xmin4 = false, xmax4 = false;

    if ((unsigned)(x->depth - doc->nodes[cs->root].depth) > SCHEMA_MAX_DEPTH) {
        rc = cs_fail(cs, j, SE_EDEPTH, "schema nested deeper than %u", SCHEMA_MAX_DEPTH);
        goto out;
    }
    if (x->type == JSON_TRUE || x->type == JSON_FALSE) {
        nd.kind = x->type == JSON_TRUE ? K_TRUE : K_FALSE;
        goto out;
    }
    if (x->type != JSON_OBJECT) {
        rc = cs_fail(cs, j, -EINVAL, "a schema must be an object or a boolean");
        goto out;
    }
    if (x->flags & JSON_F_PARTIAL) {
        rc = cs_fail(cs, j, -E2BIG, "not indexed deep enough");
        goto out;
    }
    for (uint32_t v = json_first(doc, j); v != 0 && rc >= 0; v = doc->nodes[v].next) {
        const char *kp;
        size_t kn;
        if ((rc = key_of(doc, v, &cs->tmp, &kp, &kn)) < 0)
            break;
        uint8_t vt = doc->nodes[v].type;
        if (KEY("type")) {
            rc = kw_type(cs, v, &nd);
        } else if (KEY("enum")) {
            rc = kw_enum(cs, v, &nd);
        } else if (KEY("const")) {
            nd.has_const = true;
            rc = canon_const(cs, v, &nd.cnst);
        } else if (KEY("properties")) {
            rc = kw_properties(cs, v, &nd);
        } else if (KEY("patternProperties")) {
            rc = kw_pattern_properties(cs, v, &nd);
        } else if (KEY("additionalProperties")) {
            if (vt != JSON_TRUE)
                rc = sub_schema(cs, v, "additionalProperties", &nd.addl);
        } else if (KEY("propertyNames")) {
            rc = sub_schema(cs, v, "propertyNames", &nd.names);
        } else if (KEY("required")) {
            rc = kw_required(cs, v, &nd);
        } else if (KEY("minProperties")) {
            rc = get_count(cs, v, "minProperties", &nd.min_props);
        } else if (KEY("maxProperties")) {
            rc = get_count(cs, v, "maxProperties", &nd.max_props);
        } else if (KEY("items")) {
            items = v;
        } else if (KEY("prefixItems")) {
            prefix_items = v;
        } else if (KEY("additionalItems")) {
            addl_items = v;
        } else if (KEY("contains")) {
            rc = sub_schema(cs, v, "contains", &nd.contains);
        } else if (KEY("minItems")) {
            rc = get_count(cs, v, "minItems", &nd.min_items);
        } else if (KEY("maxItems")) {
            rc = get_count(cs, v, "maxItems", &nd.max_items);
        } else if (KEY("uniqueItems")) {
            if (vt != JSON_TRUE && vt != JSON_FALSE)
                rc = cs_fail(cs, v, -EINVAL, "uniqueItems must be a boolean");
            nd.unique = vt == JSON_TRUE;
        } else if (KEY("minLength")) {
            rc = get_count(cs, v, "minLength", &nd.min_len);
        } else if (KEY("maxLength")) {
            rc = get_count(cs, v, "maxLength", &nd.max_len);
        } else if (KEY("pattern")) {
            rc = kw_pattern(cs, v, &nd);
        } else if (KEY("format")) {
            rc = kw_format(cs, v, &nd);
        } else if (KEY("minimum") || KEY("maximum")) {
            bool is_min = KEY("minimum");
            if (get_num(cs, &nd, &rc) == 0)
                rc = get_bound(cs, v, is_min ? "minimum" : "maximum",
                               is_min ? &nd.num->min : &nd.num->max);
            else if (rc == SE_ELIMIT)
                rc = too_big(cs, v);
        } else if (KEY("exclusiveMinimum")) {
            rc = kw_exclusive(cs, v, &nd, true, &xmin4);
        } else if (KEY("exclusiveMaximum")) {
            rc = kw_exclusive(cs, v, &nd, false, &xmax4);
        } else if (KEY("multipleOf")) {
            rc = kw_multiple_of(cs, v, &nd);
        } else if (KEY("allOf")) {
            rc = sub_list(cs, v, "allOf", true, &nd.all, &nd.nall);
        } else if (KEY("anyOf")) {
            rc = sub_list(cs, v, "anyOf", true, &nd.any, &nd.nany);
        } else if (KEY("oneOf")) {
            rc = sub_list(cs, v, "oneOf", true, &nd.one, &nd.none);
        } else if (KEY("not")) {
            rc = sub_schema(cs, v, "not", &nd.not_);
        } else if (KEY("$ref")) {
            uint32_t t = 0;
            if ((rc = resolve_ref(cs, v, &t)) == 0)
                rc = sub_schema(cs, t, "the target of $ref", &nd.ref);
            else if (rc == 1)
                rc = 0;
        } else if (KEY("definitions") || KEY("$defs")) {
            if (vt != JSON_OBJECT)
                rc = cs_fail(cs, v, -EINVAL, "%.*s must be an object", (int)kn, kp);
        } else if (KEY("$id")) {
            if (j != cs->root)
                rc = unsupported(cs, v, "$id below the root changes $ref resolution");
        } else if (KEY("title") || KEY("description") || KEY("default") || KEY("examples") ||
                   KEY("$schema") || KEY("$comment") || KEY("deprecated") || KEY("readOnly") ||
                   KEY("writeOnly") || KEY("contentMediaType") || KEY("contentEncoding") ||
                   KEY("contentSchema") || (kn >= 2 && kp[0] == 'x' && kp[1] == '-')) {
            /* annotations */
        } else {
            rc = unsupported(cs, v, "keyword not supported");
        }
    }
    if (rc < 0)
        goto out;

    /* items: draft-07 array form (+ additionalItems), or 2020-12 prefixItems + items */
    if (items != 0 && doc->nodes[items].type == JSON_ARRAY) {
        if (prefix_items != 0) {
            rc = cs_fail(cs, items, -EINVAL, "items must be a schema when prefixItems is used");
            goto out;
        }
        if ((rc = sub_list(cs, items, "items", false, &nd.prefix, &nd.nprefix)) < 0)
            goto out;
        if (addl_items != 0 && doc->nodes[addl_items].type != JSON_TRUE &&
            (rc = sub_schema(cs, addl_items, "additionalItems", &nd.items)) < 0)
            goto out;
    } else {
        if (prefix_items != 0 &&
            (rc = sub_list(cs, prefix_items, "prefixItems", false, &nd.prefix, &nd.nprefix)) < 0)
            goto out;
        if (items != 0 && doc->nodes[items].type != JSON_TRUE &&
            (rc = sub_schema(cs, items, "items", &nd.items)) < 0)
            goto out;
        /* additionalItems without array-form items is ignored, as the spec says */
    }
    if (nd.num != NULL) {
        nd.num->min.excl = xmin4 && nd.num->min.set;
        nd.num->max.excl = xmax4 && nd.num->max.set;
    }
out:
    cs->s->nodes[idx] = nd;
    return rc;
}

#undef KEY

/* In-place applicator edges (same value): allOf, anyOf, oneOf, not, $ref. */
static uint32_t inplace_edge(const struct snode *n, uint32_t k)
{
    if (k < n->nall)
        return n->all[k];
    k -= n->nall;
    if (k < n->nany)
        return n->any[k];
    k -= n->nany;
    if (k < n->none)
        return n->one[k];
    k -= n->none;
    if (k == 0 && n->not_ != NONE)
        return n->not_;
    if (n->not_ != NONE)
        k--;
    if (k == 0 && n->ref != NONE)
        return n->ref;
    return NONE;
}

/* Refuse a cycle of in-place applicators: evaluating it would never terminate. */
static int check_cycles(struct cstate *cs)
{
    struct schema *s = cs->s;
    uint8_t *color = calloc(s->count, 1);
    struct frame {
        uint32_t node, edge;
    } *st = calloc(s->count, sizeof(*st));
    int rc = 0;
    if (color == NULL || st == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    for (uint32_t start = 0; start < s->count && rc == 0; start++) {
        if (color[start])
            continue;
        size_t sp = 0;
        st[sp++] = (struct frame){start, 0};
        color[start] = 1;
        while (sp > 0) {
            struct frame *f = &st[sp - 1];
            uint32_t e = inplace_edge(&s->nodes[f->node], f->edge++);
            if (e == NONE) {
                color[f->node] = 2;
                sp--;
            } else if (color[e] == 1) {
                rc = cs_fail(cs, s->nodes[e].json, -ELOOP,
                             "$ref/allOf/anyOf/oneOf/not cycle that never descends into the "
                             "value");
                break;
            } else if (color[e] == 0) {
                color[e] = 1;
                st[sp++] = (struct frame){e, 0};
            }
        }
    }
out:
    free(color);
    free(st);
    return rc;
}

int schema_compile(const struct json_doc *doc, uint32_t root, struct schema **out, char *err,
                   size_t errlen)
{
    struct cstate cs = {.doc = doc, .root = root, .err = err, .errlen = errlen};
    int rc = 0;
    *out = NULL;
    if (errlen > 0)
        err[0] = 0;
    if (root >= doc->count) {
        snprintf(err, errlen, "no such node");
        return -EINVAL;
    }
    buf_init(&cs.tmp, SCHEMA_MAX_BYTES);
    buf_init(&cs.tmp2, SCHEMA_MAX_BYTES);
    buf_init(&cs.ptr, SCHEMA_MAX_BYTES);
    cs.end = root + 1;
    while (cs.end < doc->count && doc->nodes[cs.end].start < doc->nodes[root].end)
        cs.end++;
    cs.s = calloc(1, sizeof(*cs.s));
    cs.memo = calloc(cs.end - root, sizeof(*cs.memo));
    cs.kids = calloc(cs.end - root, sizeof(*cs.kids));
    if (cs.s == NULL || cs.memo == NULL || cs.kids == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    uint32_t r;
    if ((rc = sub_schema(&cs, root, "inputSchema", &r)) < 0)
        goto out;
    while (cs.qhead < cs.qlen)
        if ((rc = compile_node(&cs, cs.queue[cs.qhead++])) < 0)
            goto out;
    if ((rc = check_cycles(&cs)) < 0)
        goto out;
    *out = cs.s;
    cs.s = NULL;
out:
    if (rc == -ENOMEM && errlen > 0 && err[0] == 0)
        snprintf(err, errlen, "out of memory");
    schema_free(cs.s);
    for (uint32_t i = 0; cs.kids != NULL && i < cs.end - root; i++)
        kids_free(cs.kids[i]);
    free(cs.kids);
    free(cs.memo);
    free(cs.queue);
    buf_cleanup(&cs.tmp);
    buf_cleanup(&cs.tmp2);
    buf_cleanup(&cs.ptr);
    return rc;
}

/* ---- validation ----------------------------------------------------------------------- */

/* A value being validated: a doc node, or a member name (for propertyNames). */
struct inst {
    uint32_t node;
    bool is_key;
    size_t koff, klen; /* the name, in vctx.keys */
};

struct seg {
    size_t off, len; /* member name in vctx.keys */
    uint32_t idx;    /* array index; for a member not named in "properties", its position */
    bool is_key;
    bool declared; /* a member named in "properties": the name is the schema's, not the caller's */
};

struct vctx {
    const struct schema *s;
    const struct json_doc *doc;
    char *why;
    size_t whylen;
    unsigned quiet; /* > 0 inside anyOf/oneOf/not/contains branches: failures are expected */
    unsigned depth, npath;
    uint32_t steps, refs, matches;
    struct seg path[SCHEMA_MAX_EVAL_DEPTH];
    struct buf keys; /* stack of the member names on the path */
    struct buf str, canon, tmp;
    pcre2_match_data *md;
    pcre2_match_context *mc;
};

/* Write "<pointer>: message" into why (unless quiet and rc == 0); returns rc. */
__attribute__((format(printf, 3, 4))) static int report(struct vctx *c, int rc, const char *fmt,
                                                        ...)
{
    if (c->whylen == 0 || (rc == 0 && c->quiet > 0))
        return rc;
    struct buf p;
    buf_init(&p, 4096);
    for (unsigned i = 0; i < c->npath; i++) {
        /* names the schema declares, positions otherwise: a reason carries no text of the
         * arguments (it is logged even when arguments are not) */
        const struct seg *g = &c->path[i];
        int w = g->is_key && g->declared ? put_token(&p, buf_at(&c->keys, g->off), g->len)
                : g->is_key              ? buf_printf(&p, "/(member %u)", g->idx)
                                         : buf_printf(&p, "/%u", g->idx);
        if (w < 0)
            break;
    }
    int k =
        snprintf(c->why, c->whylen, "%.*s: ", p.len ? (int)p.len : 6, p.len ? p.data : "(root)");
    buf_cleanup(&p);
    if (k >= 0 && (size_t)k < c->whylen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->why + k, c->whylen - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return rc;
}

static int eval(struct vctx *c, uint32_t sidx, const struct inst *in);

static int regex_match(struct vctx *c, const pcre2_code *re, const char *p, size_t n)
{
    if (++c->matches > SCHEMA_MAX_MATCHES)
        return report(c, -E2BIG, "more than %u regex matches in one validation",
                      SCHEMA_MAX_MATCHES);
    if (c->md == NULL) {
        c->md = pcre2_match_data_create(1, NULL);
        c->mc = pcre2_match_context_create(NULL);
        if (c->md == NULL || c->mc == NULL)
            return report(c, -ENOMEM, "out of memory");
        pcre2_set_match_limit(c->mc, SCHEMA_MATCH_LIMIT);
        pcre2_set_depth_limit(c->mc, SCHEMA_REGEX_DEPTH_LIMIT);
    }
    /* subjects are valid UTF-8: json.c refused anything else, unescaping keeps it valid */
    int m = pcre2_match(re, (PCRE2_SPTR)p, n, 0, PCRE2_NO_UTF_CHECK, c->md, c->mc);
    if (m >= 0)
        return 1;
    if (m == PCRE2_ERROR_NOMATCH)
        return 0;
    return report(c, -E2BIG, "regex match limit reached (cannot decide)");
}

static uint8_t type_of(const struct vctx *c, const struct inst *in, struct dec *num)
{
    if (in->is_key)
        return T_STRING;
    const struct json_node *x = &c->doc->nodes[in->node];
    switch (x->type) {
    case JSON_NULL:
        return T_NULL;
    case JSON_TRUE:
    case JSON_FALSE:
        return T_BOOLEAN;
    case JSON_OBJECT:
        return T_OBJECT;
    case JSON_ARRAY:
        return T_ARRAY;
    case JSON_STRING:
        return T_STRING;
    default:
        dec_parse(c->doc->text + x->start, x->end - x->start, num);
        return T_NUMBER | (dec_is_integer(num) ? T_INTEGER : 0);
    }
}

static const char *type_name(uint8_t t)
{
    if (t & T_INTEGER)
        return "integer";
    for (size_t k = 0; k < sizeof(type_names) / sizeof(type_names[0]); k++)
        if (type_names[k].bit == t)
            return type_names[k].name;
    return "?";
}

/* "string or null" from a T_* mask, into b. */
static const char *types_text(uint8_t types, char *b, size_t n)
{
    size_t k = 0;
    b[0] = 0;
    for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
        if (!(types & type_names[i].bit))
            continue;
        int w = snprintf(b + k, n - k, "%s%s", k ? " or " : "", type_names[i].name);
        if (w < 0 || (size_t)w >= n - k)
            break;
        k += (size_t)w;
    }
    return b;
}

static int inst_str(struct vctx *c, const struct inst *in, const char **p, size_t *n)
{
    if (in->is_key) {
        *p = buf_at(&c->keys, in->koff);
        *n = in->klen;
        return 0;
    }
    int rc = str_of(c->doc, in->node, &c->str, p, n);
    return rc < 0 ? report(c, rc, "cannot unescape string") : 0;
}

static int canon_inst(struct vctx *c, const struct inst *in)
{
    buf_reset(&c->canon);
    int rc;
    if (in->is_key)
        rc = canon_bytes(&c->canon, buf_at(&c->keys, in->koff), in->klen);
    else
        rc = canon_value(c->doc, in->node, &c->canon, &c->tmp, SCHEMA_MAX_EVAL_DEPTH);
    if (rc == -E2BIG)
        return report(c, rc, "value not fully indexed (cannot decide)");
    if (rc < 0)
        return report(c, rc, "cannot compare the value (%s)", err_name(rc));
    return 0;
}

static int eval_string(struct vctx *c, const struct snode *nd, const struct inst *in)
{
    const char *p;
    size_t n;
    int rc = inst_str(c, in, &p, &n);
    if (rc < 0)
        return rc;
    if (nd->min_len != 0 || nd->max_len != NO_LIMIT) {
        uint64_t cps = 0;
        for (size_t i = 0; i < n; i++)
            cps += ((unsigned char)p[i] & 0xC0) != 0x80;
        if (cps < nd->min_len)
            return report(c, 0, "string shorter than minLength %llu (length %llu)",
                          (unsigned long long)nd->min_len, (unsigned long long)cps);
        if (cps > nd->max_len)
            return report(c, 0, "string longer than maxLength %llu (length %llu)",
                          (unsigned long long)nd->max_len, (unsigned long long)cps);
    }
    if (nd->pattern != NULL) {
        if ((rc = regex_match(c, nd->pattern, p, n)) <= 0)
            return rc < 0 ? rc
                          : report(c, 0, "string does not match pattern \"%.*s\"",
                                   (int)(nd->pattern_src.n > 80 ? 80 : nd->pattern_src.n),
                                   nd->pattern_src.p);
    }
    if (nd->format != FMT_NONE && !format_ok(nd->format, p, n))
        return report(c, 0, "string is not a valid \"%s\"", fmt_names[nd->format]);
    return 1;
}

/* The instance number as a double, as a server reads it (strtod: round to nearest). */
static double inst_double(struct vctx *c, const struct inst *in)
{
    const struct json_node *x = &c->doc->nodes[in->node];
    buf_reset(&c->tmp);
    if (buf_append(&c->tmp, c->doc->text + x->start, x->end - x->start) < 0 ||
        buf_putc(&c->tmp, '\0') < 0)
        return NAN; /* compares false: every bound refuses it */
    return strtod(c->tmp.data, NULL);
}

/* Bounds hold both for the exact decimal and for the double a server reads: 1e-400 is not
 * above exclusiveMinimum 0, since the server gets 0.0. Reasons never show the value. */
static int eval_number(struct vctx *c, const struct snum *num, const struct dec *d,
                       const struct inst *in)
{
    bool bounded = num->min.set || num->xmin.set || num->max.set || num->xmax.set;
    double v = bounded ? inst_double(c, in) : 0;
    if (num->min.set) {
        int cmp = dec_cmp(d, &num->min.d);
        if (cmp < 0 || (cmp == 0 && num->min.excl) ||
            !(num->min.excl ? v > num->min.v : v >= num->min.v))
            return report(c, 0, "number is %s minimum %s",
                          num->min.excl ? "not above the exclusive" : "less than", num->min.text);
    }
    if (num->xmin.set && (dec_cmp(d, &num->xmin.d) <= 0 || !(v > num->xmin.v)))
        return report(c, 0, "number is not greater than exclusiveMinimum %s", num->xmin.text);
    if (num->max.set) {
        int cmp = dec_cmp(d, &num->max.d);
        if (cmp > 0 || (cmp == 0 && num->max.excl) ||
            !(num->max.excl ? v < num->max.v : v <= num->max.v))
            return report(c, 0, "number is %s maximum %s",
                          num->max.excl ? "not below the exclusive" : "greater than",
                          num->max.text);
    }
    if (num->xmax.set && (dec_cmp(d, &num->xmax.d) >= 0 || !(v < num->xmax.v)))
        return report(c, 0, "number is not less than exclusiveMaximum %s", num->xmax.text);
    if (num->mult.set && !dec_multiple(d, num->mult_digits, num->mult_exp))
        return report(c, 0, "number is not a multiple of %s", num->mult.text);
    return 1;
}

static int push_seg(struct vctx *c, struct seg g)
{
    if (c->npath >= SCHEMA_MAX_EVAL_DEPTH)
        return report(c, SE_EDEPTH, "value nested too deep to evaluate");
    c->path[c->npath++] = g;
    return 0;
}

static int check_required(struct vctx *c, const struct snode *nd, uint32_t node)
{
    uint64_t small = 0, *bits = &small;
    int rc = 1;
    if (nd->nreq > 64 && (bits = calloc((nd->nreq + 63) / 64, sizeof(*bits))) == NULL)
        return report(c, -ENOMEM, "out of memory");
    for (uint32_t m = json_first(c->doc, node); m != 0; m = c->doc->nodes[m].next) {
        const char *p;
        size_t n;
        if ((rc = key_of(c->doc, m, &c->tmp, &p, &n)) < 0) {
            rc = report(c, rc, "cannot unescape a member name");
            goto out;
        }
        long at = sstr_find(nd->req, nd->nreq, p, n);
        if (at >= 0)
            bits[at / 64] |= 1ull << (at % 64);
    }
    rc = 1;
    for (uint32_t i = 0; i < nd->nreq; i++)
        if (!(bits[i / 64] & (1ull << (i % 64)))) {
            rc = report(c, 0, "missing required property \"%.*s\"",
                        (int)(nd->req[i].n > 64 ? 64 : nd->req[i].n), nd->req[i].p);
            break;
        }
out:
    if (bits != &small)
        free(bits);
    return rc;
}

static const struct sprop *find_prop(const struct snode *nd, const char *p, size_t n)
{
    size_t lo = 0, hi = nd->nprops;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int k = sstr_cmp(nd->props[mid].name.p, nd->props[mid].name.n, p, n);
        if (k == 0)
            return &nd->props[mid];
        if (k < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Evaluate schema sidx on member `child` (position pos), named keys[koff..koff+klen) (a name
 * `declared` in "properties"). */
static int eval_member(struct vctx *c, uint32_t sidx, uint32_t child, uint32_t pos, size_t koff,
                       size_t klen, bool declared, const char *why_false)
{
    int rc = push_seg(
        c,
        (struct seg){.off = koff, .len = klen, .idx = pos, .is_key = true, .declared = declared});
    if (rc < 0)
        return rc;
    struct inst ci = {.node = child};
    if (c->s->nodes[sidx].kind == K_FALSE)
        rc = report(c, 0, "property not allowed (%s)", why_false);
    else
        rc = eval(c, sidx, &ci);
    c->npath--;
    return rc;
}

/* properties, patternProperties, additionalProperties and propertyNames on member m. */
static int eval_one_member(struct vctx *c, const struct snode *nd, uint32_t m, uint32_t pos,
                           size_t koff, size_t klen)
{
    int rc;
    if (nd->names != NONE) {
        struct inst ki = {.is_key = true, .koff = koff, .klen = klen};
        c->quiet++;
        rc = eval(c, nd->names, &ki);
        c->quiet--;
        if (rc == 0)
            rc = report(c, 0, "the name of member %u does not match propertyNames", pos);
        if (rc <= 0)
            return rc;
    }
    bool matched = false;
    const struct sprop *pr = find_prop(nd, buf_at(&c->keys, koff), klen);
    if (pr != NULL) {
        matched = true;
        if ((rc = eval_member(c, pr->schema, m, pos, koff, klen, true, "schema false")) <= 0)
            return rc;
    }
    for (uint32_t i = 0; i < nd->npats; i++) {
        /* the name is re-read each time: evaluating a member may grow c->keys */
        if ((rc = regex_match(c, nd->pats[i].re, buf_at(&c->keys, koff), klen)) < 0)
            return rc;
        if (rc == 0)
            continue;
        matched = true;
        if ((rc = eval_member(c, nd->pats[i].schema, m, pos, koff, klen, pr != NULL,
                              "schema false")) <= 0)
            return rc;
    }
    if (!matched && nd->addl != NONE)
        return eval_member(c, nd->addl, m, pos, koff, klen, false, "additionalProperties is false");
    return 1;
}

static int eval_object(struct vctx *c, const struct snode *nd, uint32_t node)
{
    const struct json_node *x = &c->doc->nodes[node];
    if (x->flags & JSON_F_PARTIAL)
        return report(c, -E2BIG, "object not fully indexed (cannot decide)");
    if (x->nchild < nd->min_props)
        return report(c, 0, "object has %u properties, fewer than minProperties %llu", x->nchild,
                      (unsigned long long)nd->min_props);
    if (x->nchild > nd->max_props)
        return report(c, 0, "object has %u properties, more than maxProperties %llu", x->nchild,
                      (unsigned long long)nd->max_props);
    int rc;
    if (nd->nreq > 0 && (rc = check_required(c, nd, node)) <= 0)
        return rc;
    if (nd->nprops == 0 && nd->npats == 0 && nd->addl == NONE && nd->names == NONE)
        return 1;
    uint32_t pos = 0;
    for (uint32_t m = json_first(c->doc, node); m != 0; m = c->doc->nodes[m].next, pos++) {
        const struct json_node *mn = &c->doc->nodes[m];
        size_t koff = c->keys.len;
        rc = json_unescape(c->doc->text + mn->key_start, mn->key_len, &c->keys);
        if (rc < 0)
            rc = report(c, rc, "cannot unescape a member name");
        else
            rc = eval_one_member(c, nd, m, pos, koff, c->keys.len - koff);
        c->keys.len = koff; /* pop the name */
        if (rc <= 0)
            return rc;
    }
    return 1;
}

static int check_unique(struct vctx *c, uint32_t node, uint32_t n)
{
    struct buf all;
    buf_init(&all, SIZE_MAX / 2);
    size_t *offs = calloc((size_t)n + 1, sizeof(*offs));
    struct span *sp = calloc(n, sizeof(*sp));
    int rc = 0;
    uint32_t i = 0;
    if (offs == NULL || sp == NULL) {
        rc = report(c, -ENOMEM, "out of memory");
        goto out;
    }
    for (uint32_t e = json_first(c->doc, node); e != 0 && i < n; e = c->doc->nodes[e].next) {
        offs[i++] = all.len;
        if ((rc = canon_value(c->doc, e, &all, &c->tmp, SCHEMA_MAX_EVAL_DEPTH)) < 0) {
            rc = report(c, rc, "cannot compare the items (%s)", err_name(rc));
            goto out;
        }
    }
    offs[i] = all.len;
    for (uint32_t k = 0; k < i; k++)
        sp[k] = (struct span){all.data + offs[k], offs[k + 1] - offs[k], k};
    qsort(sp, i, sizeof(*sp), span_qcmp);
    rc = 1;
    for (uint32_t k = 1; k < i; k++)
        if (sstr_cmp(sp[k - 1].p, sp[k - 1].n, sp[k].p, sp[k].n) == 0) {
            rc = report(c, 0, "items %u and %u are equal (uniqueItems)", sp[k - 1].idx, sp[k].idx);
            break;
        }
out:
    free(offs);
    free(sp);
    buf_cleanup(&all);
    return rc;
}

static int eval_array(struct vctx *c, const struct snode *nd, uint32_t node)
{
    const struct json_node *x = &c->doc->nodes[node];
    uint32_t n = x->nchild;
    int rc;
    if (x->flags & JSON_F_PARTIAL)
        return report(c, -E2BIG, "array not fully indexed (cannot decide)");
    if (n < nd->min_items)
        return report(c, 0, "array has %u items, fewer than minItems %llu", n,
                      (unsigned long long)nd->min_items);
    if (n > nd->max_items)
        return report(c, 0, "array has %u items, more than maxItems %llu", n,
                      (unsigned long long)nd->max_items);
    if (nd->nprefix > 0 || nd->items != NONE) {
        uint32_t i = 0;
        for (uint32_t e = json_first(c->doc, node); e != 0; e = c->doc->nodes[e].next, i++) {
            uint32_t sch = i < nd->nprefix ? nd->prefix[i] : nd->items;
            if (sch == NONE)
                break;
            if (i >= nd->nprefix && c->s->nodes[sch].kind == K_FALSE)
                return report(c, 0, "array has %u items, at most %u allowed", n, nd->nprefix);
            if ((rc = push_seg(c, (struct seg){.idx = i})) < 0)
                return rc;
            struct inst ei = {.node = e};
            rc = eval(c, sch, &ei);
            c->npath--;
            if (rc <= 0)
                return rc;
        }
    }
    if (nd->contains != NONE) {
        rc = 0;
        c->quiet++;
        for (uint32_t e = json_first(c->doc, node); e != 0 && rc == 0; e = c->doc->nodes[e].next) {
            struct inst ei = {.node = e};
            rc = eval(c, nd->contains, &ei);
        }
        c->quiet--;
        if (rc < 0)
            return rc;
        if (rc == 0)
            return report(c, 0, "no item matches \"contains\"");
    }
    if (nd->unique && n > 1)
        return check_unique(c, node, n);
    return 1;
}

/* No alternative matched: re-run the first one to say why, outside the hot frame. */
static __attribute__((noinline)) int no_alternative(struct vctx *c, const uint32_t *alt, uint32_t n,
                                                    bool any, const struct inst *in)
{
    if (c->quiet > 0 || c->whylen == 0)
        return 0;
    char first[200];
    int rc = eval(c, alt[0], in);
    if (rc != 0)
        return rc < 0 ? rc : report(c, 0, "alternatives disagree between runs");
    snprintf(first, sizeof(first), "%s", c->why);
    return report(c, 0, "matches none of the %u %s alternatives (first: %s)", n,
                  any ? "anyOf" : "oneOf", first);
}

/* anyOf (any = true: at least one alternative) or oneOf (exactly one). */
static int eval_alternatives(struct vctx *c, const uint32_t *alt, uint32_t n, bool any,
                             const struct inst *in)
{
    uint32_t valid = 0, which = 0;
    for (uint32_t i = 0; i < n; i++) {
        c->quiet++;
        int rc = eval(c, alt[i], in);
        c->quiet--;
        if (rc < 0)
            return rc;
        if (rc == 1) {
            if (any)
                return 1;
            if (valid++ > 0)
                return report(c, 0, "matches oneOf alternatives %u and %u, expected exactly one",
                              which, i);
            which = i;
        }
    }
    if (valid == 1)
        return 1;
    return no_alternative(c, alt, n, any, in);
}

static int eval_node(struct vctx *c, uint32_t sidx, const struct inst *in)
{
    const struct snode *nd = &c->s->nodes[sidx];
    if (nd->kind == K_TRUE)
        return 1;
    if (nd->kind == K_FALSE)
        return report(c, 0, "no value is allowed here (schema false)");
    struct dec num;
    uint8_t t = type_of(c, in, &num);
    int rc = 1;
    if (nd->types != 0 && !(nd->types & t)) {
        char want[96];
        return report(c, 0, "expected %s, got %s", types_text(nd->types, want, sizeof(want)),
                      type_name(t));
    }
    if (nd->has_const || nd->has_enum) {
        if ((rc = canon_inst(c, in)) < 0)
            return rc;
        const char *p = buf_at(&c->canon, 0);
        if (nd->has_const && sstr_cmp(p, c->canon.len, nd->cnst.p, nd->cnst.n) != 0)
            return report(c, 0, "value does not equal const");
        if (nd->has_enum && sstr_find(nd->enums, nd->nenum, p, c->canon.len) < 0)
            return report(c, 0, "value is not one of the %u enum values", nd->nenum);
        rc = 1;
    }
    switch (t & ~T_INTEGER) {
    case T_STRING:
        if (nd->min_len != 0 || nd->max_len != NO_LIMIT || nd->pattern != NULL ||
            nd->format != FMT_NONE)
            rc = eval_string(c, nd, in);
        break;
    case T_NUMBER:
        if (nd->num != NULL)
            rc = eval_number(c, nd->num, &num, in);
        break;
    case T_OBJECT:
        rc = eval_object(c, nd, in->node);
        break;
    case T_ARRAY:
        rc = eval_array(c, nd, in->node);
        break;
    default:
        break;
    }
    if (rc <= 0)
        return rc;
    for (uint32_t i = 0; i < nd->nall; i++)
        if ((rc = eval(c, nd->all[i], in)) <= 0)
            return rc;
    if (nd->nany > 0 && (rc = eval_alternatives(c, nd->any, nd->nany, true, in)) <= 0)
        return rc;
    if (nd->none > 0 && (rc = eval_alternatives(c, nd->one, nd->none, false, in)) <= 0)
        return rc;
    if (nd->not_ != NONE) {
        c->quiet++;
        rc = eval(c, nd->not_, in);
        c->quiet--;
        if (rc < 0)
            return rc;
        if (rc == 1)
            return report(c, 0, "value must not match the \"not\" schema");
    }
    if (nd->ref != NONE) {
        if (++c->refs > SCHEMA_MAX_REFS)
            return report(c, -E2BIG, "more than %u $ref expansions (cannot decide)",
                          SCHEMA_MAX_REFS);
        if ((rc = eval(c, nd->ref, in)) <= 0)
            return rc;
    }
    return 1;
}

static int eval(struct vctx *c, uint32_t sidx, const struct inst *in)
{
    if (++c->steps > SCHEMA_MAX_STEPS)
        return report(c, -E2BIG, "more than %u validation steps (cannot decide)", SCHEMA_MAX_STEPS);
    if (c->depth >= SCHEMA_MAX_EVAL_DEPTH)
        return report(c, SE_EDEPTH, "evaluation nested deeper than %u (cannot decide)",
                      SCHEMA_MAX_EVAL_DEPTH);
    c->depth++;
    int rc = eval_node(c, sidx, in);
    c->depth--;
    return rc;
}

int schema_validate(const struct schema *s, const struct json_doc *doc, uint32_t val, char *why,
                    size_t whylen)
{
    /* an absent value is validated as {} */
    struct json_node empty_node = {.start = 0, .end = 2, .type = JSON_OBJECT};
    struct json_doc empty = {.text = "{}", .len = 2, .nodes = &empty_node, .count = 1};
    if (doc == NULL) {
        doc = &empty;
        val = 0;
    }
    if (whylen > 0)
        why[0] = 0;
    if (val >= doc->count) {
        if (whylen > 0)
            snprintf(why, whylen, "(root): no such node");
        return -EINVAL;
    }
    struct vctx c = {.s = s, .doc = doc, .why = why, .whylen = whylen};
    buf_init(&c.keys, SIZE_MAX / 2);
    buf_init(&c.str, SIZE_MAX / 2);
    buf_init(&c.canon, SIZE_MAX / 2);
    buf_init(&c.tmp, SIZE_MAX / 2);
    struct inst in = {.node = val};
    int rc = eval(&c, 0, &in);
    if (rc == 1 && whylen > 0)
        why[0] = 0; /* failures of alternatives tried on the way are not violations */
    buf_cleanup(&c.keys);
    buf_cleanup(&c.str);
    buf_cleanup(&c.canon);
    buf_cleanup(&c.tmp);
    pcre2_match_data_free(c.md);
    pcre2_match_context_free(c.mc);
    return rc;
}
