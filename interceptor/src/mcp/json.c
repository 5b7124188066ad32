/*
 * json.c - strict single-pass JSON validation with a shallow index.
 *
 * Why our own: the interceptor must reject everything a JavaScript peer could read
 * differently (lone surrogate escapes, duplicate keys after unescaping), must not build
 * a tree of a 10 MiB result, and must stay above 1 GB/s on long strings. Strings are
 * scanned eight bytes at a time while they are plain ASCII. This file must never
 * allocate per byte or recurse: nesting is an explicit stack bounded by max_depth.
 */
#include "mcp/json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

struct json_frame {
    uint32_t node;       /* index, or UINT32_MAX when the container is not indexed */
    uint32_t last_child; /* last indexed child, 0 = none */
    uint32_t nchild;
    size_t keys_base; /* first key of this object in doc->keys */
    bool is_object;
};

struct json_key {
    uint32_t off; /* raw name inside the quotes */
    uint32_t len;
    uint32_t hash; /* of the unescaped name */
    bool escaped;
};

void json_doc_init(struct json_doc *doc, unsigned max_depth, uint32_t max_nodes)
{
    memset(doc, 0, sizeof(*doc));
    doc->max_depth = max_depth ? max_depth : JSON_DEFAULT_MAX_DEPTH;
    doc->max_nodes = max_nodes ? max_nodes : JSON_DEFAULT_MAX_NODES;
    buf_init(&doc->scratch_a, SIZE_MAX / 2);
    buf_init(&doc->scratch_b, SIZE_MAX / 2);
}

void json_doc_cleanup(struct json_doc *doc)
{
    free(doc->nodes);
    free(doc->stack);
    free(doc->keys);
    buf_cleanup(&doc->scratch_a);
    buf_cleanup(&doc->scratch_b);
    memset(doc, 0, sizeof(*doc));
}

/* ---- scanning helpers ------------------------------------------------------------ */

#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL

static inline bool plain8(uint64_t v)
{
    /* true when none of the 8 bytes is '"', '\\', < 0x20 or >= 0x80 */
    uint64_t q = v ^ (ONES * '"');
    uint64_t b = v ^ (ONES * '\\');
    uint64_t t = ((q - ONES) & ~q) | ((b - ONES) & ~b) | ((v - ONES * 0x20) & ~v) | v;
    return (t & HIGH) == 0;
}

static inline int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static int hex4(const unsigned char *s, size_t len, size_t i, unsigned *out)
{
    if (len - i < 4)
        return -1;
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval(s[i + (size_t)k]);
        if (h < 0)
            return -1;
        v = (v << 4) | (unsigned)h;
    }
    *out = v;
    return 0;
}

/* Length of the valid UTF-8 sequence at s[i] (first byte >= 0x80), or 0 if invalid. */
static inline size_t utf8_seq(const unsigned char *s, size_t len, size_t i)
{
    unsigned char c = s[i];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F; /* no UTF-16 surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        return 0;
    }
    if (len - i < n)
        return 0;
    if (s[i + 1] < lo || s[i + 1] > hi)
        return 0;
    for (size_t k = 2; k < n; k++)
        if ((s[i + k] & 0xC0) != 0x80)
            return 0;
    return n;
}

/*
 * Scan a string whose opening quote is at s[*pos - 1]. On success *pos is one past the
 * closing quote. Sets *escaped when a backslash was seen, *nonascii when a byte >= 0x80 was.
 */
/* (aligned: the hottest loop of the parser; placed across cache lines as other code moved
 * around it, the same machine code took up to 60 % more time on a 10 MiB string, perf) */
__attribute__((aligned(64))) static int scan_string(struct json_doc *doc, const unsigned char *s, size_t len, size_t *pos,
                       bool *escaped, bool *nonascii, struct diag *d)
{
    size_t i = *pos;
    for (;;) {
#ifdef __SSE2__
        /* 16 bytes at a time: stop at '"', '\\', a control byte or any non-ASCII byte */
        const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
        const __m128i ctl = _mm_set1_epi8(0x1F);
        while (len - i >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            /* signed compare: bytes >= 0x80 are negative, so they count as <= 0x1F too */
            __m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
                                                    _mm_cmpeq_epi8(v, bslash)),
                                       _mm_cmplt_epi8(v, _mm_add_epi8(ctl, _mm_set1_epi8(1))));
            int mask = _mm_movemask_epi8(bad);
            if (mask != 0) {
                i += (size_t)__builtin_ctz((unsigned)mask);
                break;
            }
            i += 16;
        }
#endif
        while (len - i >= 8) {
            uint64_t v;
            memcpy(&v, s + i, 8);
            if (!plain8(v))
                break;
            i += 8;
        }
        if (i >= len)
            goto unterminated;
        unsigned char c = s[i];
        if (c == '"') {
            *pos = i + 1;
            return 0;
        }
        if (c < 0x20) {
            doc->err_off = i;
            return diag_set(d, SE_EPARSE, 1, (unsigned)i + 1,
                            "control character 0x%02x in string", c);
        }
        if (c < 0x80 && c != '\\') {
            i++;
            continue;
        }
        if (c >= 0x80) {
            /* a run of non-ASCII text: validate sequence after sequence in one loop */
            *nonascii = true;
            do {
                size_t n = utf8_seq(s, len, i);
                if (n == 0) {
                    doc->err_off = i;
                    return diag_set(d, SE_EUTF8, 1, (unsigned)i + 1, "invalid UTF-8 in string");
                }
                i += n;
            } while (i < len && s[i] >= 0x80);
            continue;
        }
        /* backslash escape */
        *escaped = true;
        if (++i >= len)
            goto unterminated;
        c = s[i];
        switch (c) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            i++;
            break;
        case 'u': {
            unsigned cp;
            if (hex4(s, len, i + 1, &cp) < 0)
                goto bad_escape;
            i += 5;
            if (cp >= 0xDC00 && cp <= 0xDFFF) {
                doc->err_off = i - 6;
                return diag_set(d, SE_EUTF8, 1, (unsigned)i - 5, "lone low surrogate escape");
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (len - i < 6 || s[i] != '\\' || s[i + 1] != 'u' ||
                    hex4(s, len, i + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF) {
                    doc->err_off = i - 6;
                    return diag_set(d, SE_EUTF8, 1, (unsigned)i - 5,
                                    "high surrogate escape without its low half");
                }
                i += 6;
            }
            break;
        }
        default:
            goto bad_escape;
        }
    }
bad_escape:
    doc->err_off = i;
    return diag_set(d, SE_EPARSE, 1, (unsigned)i + 1, "invalid escape in string");
unterminated:
    doc->err_off = len;
    return diag_set(d, SE_EPARSE, 1, (unsigned)len + 1, "unterminated string");
}

static int scan_number(struct json_doc *doc, const unsigned char *s, size_t len, size_t *pos,
                       bool *integer, struct diag *d)
{
    size_t i = *pos;
    *integer = true;
    if (i < len && s[i] == '-')
        i++;
    if (i >= len)
        goto bad;
    if (s[i] == '0') {
        i++;
    } else if (s[i] >= '1' && s[i] <= '9') {
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    } else {
        goto bad;
    }
    if (i < len && s[i] == '.') {
        *integer = false;
        i++;
        if (i >= len || s[i] < '0' || s[i] > '9')
            goto bad;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        *integer = false;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= len || s[i] < '0' || s[i] > '9')
            goto bad;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    *pos = i;
    return 0;
bad:
    doc->err_off = i;
    return diag_set(d, SE_EPARSE, 1, (unsigned)i + 1, "malformed number");
}

static inline size_t skip_ws(const unsigned char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

static uint32_t fnv1a(const char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 16777619u;
    }
    return h;
}

int json_unescape(const char *text, size_t n, struct buf *out)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t run = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] != '\\') {
            const unsigned char *bs = memchr(s + i, '\\', n - i);
            if (bs == NULL)
                break;
            i = (size_t)(bs - s);
        }
        int rc = buf_append(out, text + run, i - run);
        if (rc < 0)
            return rc;
        if (i + 1 >= n)
            return SE_EPARSE;
        char c = (char)s[i + 1];
        char one = 0;
        switch (c) {
        case '"':
        case '\\':
        case '/':
            one = c;
            break;
        case 'b':
            one = '\b';
            break;
        case 'f':
            one = '\f';
            break;
        case 'n':
            one = '\n';
            break;
        case 'r':
            one = '\r';
            break;
        case 't':
            one = '\t';
            break;
        case 'u':
            break;
        default:
            return SE_EPARSE;
        }
        if (c != 'u') {
            if ((rc = buf_putc(out, one)) < 0)
                return rc;
            i += 2;
            run = i;
            continue;
        }
        unsigned cp, lo;
        if (hex4(s, n, i + 2, &cp) < 0)
            return SE_EPARSE;
        i += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i + 6 > n || s[i] != '\\' || s[i + 1] != 'u' || hex4(s, n, i + 2, &lo) < 0)
                return SE_EUTF8;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
        }
        char u[4];
        size_t un;
        if (cp < 0x80) {
            u[0] = (char)cp;
            un = 1;
        } else if (cp < 0x800) {
            u[0] = (char)(0xC0 | (cp >> 6));
            u[1] = (char)(0x80 | (cp & 0x3F));
            un = 2;
        } else if (cp < 0x10000) {
            u[0] = (char)(0xE0 | (cp >> 12));
            u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[2] = (char)(0x80 | (cp & 0x3F));
            un = 3;
        } else {
            u[0] = (char)(0xF0 | (cp >> 18));
            u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
            u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[3] = (char)(0x80 | (cp & 0x3F));
            un = 4;
        }
        if ((rc = buf_append(out, u, un)) < 0)
            return rc;
        run = i;
    }
    return buf_append(out, text + run, n - run);
}

/* The unescaped bytes of key k, in `scratch` when escaped. */
static int key_bytes(struct json_doc *doc, const struct json_key *k, struct buf *scratch,
                     const char **p, size_t *n)
{
    if (!k->escaped) {
        *p = doc->text + k->off;
        *n = k->len;
        return 0;
    }
    buf_reset(scratch);
    int rc = json_unescape(doc->text + k->off, k->len, scratch);
    if (rc < 0)
        return rc;
    *p = scratch->data ? scratch->data : "";
    *n = scratch->len;
    return 0;
}

static int key_cmp_ctx_sort(const void *a, const void *b)
{
    const struct json_key *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return 0;
}

static int keys_equal(struct json_doc *doc, const struct json_key *a, const struct json_key *b,
                      bool *eq)
{
    const char *pa, *pb;
    size_t na, nb;
    int rc = key_bytes(doc, a, &doc->scratch_a, &pa, &na);
    if (rc == 0)
        rc = key_bytes(doc, b, &doc->scratch_b, &pb, &nb);
    if (rc < 0)
        return rc;
    *eq = na == nb && memcmp(pa, pb, na) == 0;
    return 0;
}

/* Hash of the unescaped name of k. */
static int key_hash(struct json_doc *doc, struct json_key *k)
{
    const char *p;
    size_t n;
    int rc = key_bytes(doc, k, &doc->scratch_a, &p, &n);
    if (rc < 0)
        return rc;
    k->hash = fnv1a(p, n);
    return 0;
}

/* Check the keys of the object closing now for duplicates, then drop them. */
static int close_object_keys(struct json_doc *doc, size_t base, struct diag *d)
{
    if (doc->keys_len - base < 2) {
        doc->keys_len = base;
        return 0;
    }
    struct json_key *k = doc->keys + base;
    size_t n = doc->keys_len - base;
    int rc = 0;
    bool eq;
    if (n <= 16) {
        /* small objects (nearly all of them): pairwise, no hashing */
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i; j++) {
                if (!k[i].escaped && !k[j].escaped) {
                    eq = k[i].len == k[j].len &&
                         memcmp(doc->text + k[i].off, doc->text + k[j].off, k[i].len) == 0;
                } else if ((rc = keys_equal(doc, &k[i], &k[j], &eq)) < 0) {
                    goto out;
                }
                if (eq) {
                    doc->err_off = k[i].off - 1;
                    rc = diag_set(d, SE_EDUPKEY, 1, k[i].off, "duplicate key \"%.*s\"",
                                  (int)(k[i].len > 64 ? 64 : k[i].len), doc->text + k[i].off);
                    goto out;
                }
            }
    } else {
        for (size_t i = 0; i < n; i++)
            if ((rc = key_hash(doc, &k[i])) < 0)
                goto out;
        qsort(k, n, sizeof(*k), key_cmp_ctx_sort);
        for (size_t i = 1; i < n; i++) {
            for (size_t j = i; j > 0 && k[j - 1].hash == k[i].hash; j--) {
                if ((rc = keys_equal(doc, &k[i], &k[j - 1], &eq)) < 0)
                    goto out;
                if (eq) {
                    size_t late = k[i].off > k[j - 1].off ? i : j - 1;
                    doc->err_off = k[late].off - 1;
                    rc = diag_set(d, SE_EDUPKEY, 1, k[late].off, "duplicate key \"%.*s\"",
                                  (int)(k[late].len > 64 ? 64 : k[late].len),
                                  doc->text + k[late].off);
                    goto out;
                }
            }
        }
    }
out:
    doc->keys_len = base;
    return rc;
}

static int push_key(struct json_doc *doc, uint32_t off, uint32_t len, bool escaped)
{
    if (doc->keys_len == doc->keys_cap) {
        size_t ncap = doc->keys_cap ? doc->keys_cap * 2 : 64;
        struct json_key *p = realloc(doc->keys, ncap * sizeof(*p));
        if (p == NULL)
            return -ENOMEM;
        doc->keys = p;
        doc->keys_cap = ncap;
    }
    struct json_key *k = &doc->keys[doc->keys_len++];
    k->off = off;
    k->len = len;
    k->escaped = escaped;
    k->hash = 0; /* computed only for objects large enough to be sorted */
    return 0;
}

/* Append a node; returns its index or UINT32_MAX when it is not indexed. */
static uint32_t add_node(struct json_doc *doc, struct json_frame *parent, bool indexable,
                         uint8_t type, uint32_t start, unsigned depth, int *err)
{
    if (parent != NULL)
        parent->nchild++;
    if (!indexable)
        return UINT32_MAX;
    if (doc->count >= doc->max_nodes) {
        doc->truncated = true;
        if (parent != NULL && parent->node != UINT32_MAX)
            doc->nodes[parent->node].flags |= JSON_F_PARTIAL;
        return UINT32_MAX;
    }
    if (doc->count == doc->cap) {
        uint32_t ncap = doc->cap ? doc->cap * 2 : 32;
        struct json_node *p = realloc(doc->nodes, (size_t)ncap * sizeof(*p));
        if (p == NULL) {
            *err = -ENOMEM;
            return UINT32_MAX;
        }
        doc->nodes = p;
        doc->cap = ncap;
    }
    uint32_t idx = doc->count++;
    struct json_node *n = &doc->nodes[idx];
    memset(n, 0, sizeof(*n));
    n->start = start;
    n->type = type;
    n->depth = (uint16_t)depth;
    if (parent != NULL) {
        if (parent->last_child)
            doc->nodes[parent->last_child].next = idx;
        parent->last_child = idx;
    }
    return idx;
}

int json_parse(struct json_doc *doc, const char *text, size_t len, unsigned index_depth,
               struct diag *d)
{
    const unsigned char *s = (const unsigned char *)text;
    doc->text = text;
    doc->len = len;
    doc->index_depth = index_depth;
    doc->count = 0;
    doc->truncated = false;
    doc->err_off = 0;
    doc->keys_len = 0;
    if (len >= UINT32_MAX)
        return diag_set(d, SE_ETOOBIG, 0, 0, "document larger than 4 GiB");

    unsigned depth = 0; /* number of open containers */
    size_t i = skip_ws(s, len, 0);
    int rc = 0;
    /* pending member name for the next value */
    bool have_key = false, key_escaped = false;
    uint32_t key_start = 0, key_len = 0;

    if (doc->stack_cap < doc->max_depth + 1) {
        struct json_frame *p = realloc(doc->stack, (doc->max_depth + 1) * sizeof(*p));
        if (p == NULL)
            return -ENOMEM;
        doc->stack = p;
        doc->stack_cap = doc->max_depth + 1;
    }

value:
    if (i >= len) {
        doc->err_off = i;
        return diag_set(d, SE_EPARSE, 1, (unsigned)i + 1,
                        len == 0 ? "empty message" : "unexpected end of message");
    }
    {
        struct json_frame *parent = depth ? &doc->stack[depth - 1] : NULL;
        bool indexable = depth <= index_depth && (parent == NULL || parent->node != UINT32_MAX);
        if (parent != NULL && parent->node != UINT32_MAX && depth > index_depth)
            doc->nodes[parent->node].flags |= JSON_F_PARTIAL;
        unsigned char c = s[i];
        uint8_t type;
        switch (c) {
        case '{':
            type = JSON_OBJECT;
            break;
        case '[':
            type = JSON_ARRAY;
            break;
        case '"':
            type = JSON_STRING;
            break;
        case 't':
            type = JSON_TRUE;
            break;
        case 'f':
            type = JSON_FALSE;
            break;
        case 'n':
            type = JSON_NULL;
            break;
        default:
            if (c == '-' || (c >= '0' && c <= '9')) {
                type = JSON_NUMBER;
                break;
            }
            doc->err_off = i;
            if (c >= 0x80 && utf8_seq(s, len, i) == 0)
                return diag_set(d, SE_EUTF8, 1, (unsigned)i + 1, "invalid UTF-8");
            if (c >= 0x20 && c < 0x7f)
                return diag_set(d, SE_EPARSE, 1, (unsigned)i + 1, "unexpected character '%c'",
                                c);
            if (c == 0xEF && len - i >= 3 && s[i + 1] == 0xBB && s[i + 2] == 0xBF)
                return diag_set(d, SE_EPARSE, 1, (unsigned)i + 1,
                                "unexpected byte-order mark (EF BB BF)");
            return diag_set(d, SE_EPARSE, 1, (unsigned)i + 1, "unexpected byte 0x%02X", c);
        }
        uint32_t idx = add_node(doc, parent, indexable, type, (uint32_t)i, depth, &rc);
        if (rc < 0)
            return diag_set(d, rc, 0, 0, "out of memory");
        struct json_node *n = idx != UINT32_MAX ? &doc->nodes[idx] : NULL;
        if (n != NULL && have_key) {
            n->flags |= JSON_F_MEMBER | (key_escaped ? JSON_F_KEY_ESCAPED : 0);
            n->key_start = key_start;
            n->key_len = key_len;
        }
        have_key = false;

        if (type == JSON_OBJECT || type == JSON_ARRAY) {
            if (depth >= doc->max_depth) {
                doc->err_off = i;
                return diag_set(d, SE_EDEPTH, 1, (unsigned)i + 1, "nesting deeper than %u",
                                doc->max_depth);
            }
            struct json_frame *f = &doc->stack[depth++];
            f->node = idx;
            f->last_child = 0;
            f->nchild = 0;
            f->keys_base = doc->keys_len;
            f->is_object = type == JSON_OBJECT;
            i = skip_ws(s, len, i + 1);
            if (i < len && s[i] == (type == JSON_OBJECT ? '}' : ']'))
                goto close;
            if (type == JSON_OBJECT)
                goto key;
            goto value;
        }
        if (type == JSON_STRING) {
            bool esc = false, high = false;
            i++;
            if ((rc = scan_string(doc, s, len, &i, &esc, &high, d)) < 0)
                return rc;
            if (n != NULL && esc)
                n->flags |= JSON_F_ESCAPED;
            if (n != NULL && high)
                n->flags |= JSON_F_NONASCII;
        } else if (type == JSON_NUMBER) {
            bool integer;
            if ((rc = scan_number(doc, s, len, &i, &integer, d)) < 0)
                return rc;
            if (n != NULL && integer)
                n->flags |= JSON_F_INTEGER;
        } else {
            const char *lit = type == JSON_TRUE ? "true" : type == JSON_FALSE ? "false" : "null";
            size_t ll = strlen(lit);
            if (len - i < ll || memcmp(s + i, lit, ll) != 0) {
                doc->err_off = i;
                return diag_set(d, SE_EPARSE, 1, (unsigned)i + 1, "invalid literal");
            }
            i += ll;
        }
        if (n != NULL)
            n->end = (uint32_t)i;
        goto after;
    }

key:
    if (i >= len || s[i] != '"') {
        doc->err_off = i;
        return diag_set(d, SE_EPARSE, 1, (unsigned)i + 1, "expected a member name");
    }
    {
        bool esc = false, high = false;
        size_t ks = ++i;
        if ((rc = scan_string(doc, s, len, &i, &esc, &high, d)) < 0)
            return rc;
        key_start = (uint32_t)ks;
        key_len = (uint32_t)(i - 1 - ks);
        key_escaped = esc;
        have_key = true;
        if ((rc = push_key(doc, key_start, key_len, esc)) < 0)
            return diag_set(d, rc, 0, 0, "out of memory");
        i = skip_ws(s, len, i);
        if (i >= len || s[i] != ':') {
            doc->err_off = i;
            return diag_set(d, SE_EPARSE, 1, (unsigned)i + 1, "expected ':'");
        }
        i = skip_ws(s, len, i + 1);
        goto value;
    }

after:
    if (depth == 0) {
        i = skip_ws(s, len, i);
        if (i != len) {
            doc->err_off = i;
            return diag_set(d, SE_EPARSE, 1, (unsigned)i + 1, "trailing data after the value");
        }
        return 0;
    }
    i = skip_ws(s, len, i);
    if (i >= len) {
        doc->err_off = i;
        return diag_set(d, SE_EPARSE, 1, (unsigned)i + 1, "unexpected end of message");
    }
    {
        struct json_frame *f = &doc->stack[depth - 1];
        if (s[i] == ',') {
            i = skip_ws(s, len, i + 1);
            if (f->is_object)
                goto key;
            goto value;
        }
        if (s[i] == (f->is_object ? '}' : ']'))
            goto close;
        doc->err_off = i;
        return diag_set(d, SE_EPARSE, 1, (unsigned)i + 1, "expected ',' or '%c'",
                        f->is_object ? '}' : ']');
    }

close: {
    struct json_frame *f = &doc->stack[--depth];
    if (f->is_object && (rc = close_object_keys(doc, f->keys_base, d)) < 0)
        return rc;
    i++;
    if (f->node != UINT32_MAX) {
        doc->nodes[f->node].end = (uint32_t)i;
        doc->nodes[f->node].nchild = f->nchild;
    }
    goto after;
}
}

uint32_t json_first(const struct json_doc *doc, uint32_t node)
{
    if (node >= doc->count)
        return 0;
    const struct json_node *n = &doc->nodes[node];
    if ((n->type != JSON_OBJECT && n->type != JSON_ARRAY) || n->nchild == 0)
        return 0;
    if (node + 1 < doc->count && doc->nodes[node + 1].depth == n->depth + 1 &&
        doc->nodes[node + 1].start > n->start && doc->nodes[node + 1].start < n->end)
        return node + 1;
    return 0;
}

uint32_t json_get(struct json_doc *doc, uint32_t obj, const char *key, size_t keylen)
{
    if (obj >= doc->count || doc->nodes[obj].type != JSON_OBJECT)
        return 0;
    for (uint32_t c = json_first(doc, obj); c != 0; c = doc->nodes[c].next) {
        const struct json_node *n = &doc->nodes[c];
        if (!(n->flags & JSON_F_KEY_ESCAPED)) {
            if (n->key_len == keylen && memcmp(doc->text + n->key_start, key, keylen) == 0)
                return c;
            continue;
        }
        buf_reset(&doc->scratch_a);
        if (json_unescape(doc->text + n->key_start, n->key_len, &doc->scratch_a) < 0)
            continue;
        if (doc->scratch_a.len == keylen && memcmp(doc->scratch_a.data, key, keylen) == 0)
            return c;
    }
    return 0;
}

int json_str(struct json_doc *doc, uint32_t node, struct buf *scratch, const char **p,
             size_t *n)
{
    if (node >= doc->count || doc->nodes[node].type != JSON_STRING)
        return -EINVAL;
    const struct json_node *x = &doc->nodes[node];
    const char *body = doc->text + x->start + 1;
    size_t blen = x->end - x->start - 2;
    if (!(x->flags & JSON_F_ESCAPED)) {
        *p = body;
        *n = blen;
        return 0;
    }
    buf_reset(scratch);
    int rc = json_unescape(body, blen, scratch);
    if (rc < 0)
        return rc;
    *p = scratch->data ? scratch->data : "";
    *n = scratch->len;
    return 0;
}

bool json_str_eq(struct json_doc *doc, uint32_t node, const char *s, size_t n)
{
    const char *p;
    size_t len;
    if (json_str(doc, node, &doc->scratch_b, &p, &len) < 0)
        return false;
    return len == n && memcmp(p, s, n) == 0;
}

int json_int(const struct json_doc *doc, uint32_t node, int64_t *out)
{
    if (node >= doc->count || doc->nodes[node].type != JSON_NUMBER ||
        !(doc->nodes[node].flags & JSON_F_INTEGER))
        return -EINVAL;
    const char *p = doc->text + doc->nodes[node].start;
    const char *e = doc->text + doc->nodes[node].end;
    bool neg = *p == '-';
    if (neg)
        p++;
    uint64_t v = 0;
    for (; p < e; p++) {
        uint64_t dgt = (uint64_t)(*p - '0');
        if (v > (UINT64_MAX - dgt) / 10)
            return -ERANGE;
        v = v * 10 + dgt;
    }
    if (!neg && v > (uint64_t)INT64_MAX)
        return -ERANGE;
    if (neg && v > (uint64_t)INT64_MAX + 1)
        return -ERANGE;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

/*
 * The lenient walk of both recoveries: the member names of the top-level object of text,
 * strings skipped byte-wise without validating them. For each name at depth 1, cb gets the
 * name (s + ks, kn) and the offset of its closing quote; a non-zero answer ends the walk and is
 * returned. 0 when the object (or the text) ends, -1 when text is no object.
 */
typedef int (*member_cb)(void *ctx, const unsigned char *s, size_t len, size_t ks, size_t kn,
                         size_t close);

static int top_members(const char *text, size_t len, member_cb cb, void *ctx)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = skip_ws(s, len, 0);
    if (i >= len || s[i] != '{')
        return -1;
    unsigned depth = 0;
    bool expect_key = true;
    for (; i < len; i++) {
        unsigned char c = s[i];
        if (c == '{' || c == '[') {
            depth++;
            expect_key = c == '{';
            continue;
        }
        if (c == '}' || c == ']') {
            if (depth == 0)
                return 0;
            depth--;
            continue;
        }
        if (c == ',') {
            expect_key = true; /* approximate inside arrays; harmless at depth > 1 */
            continue;
        }
        if (c != '"')
            continue;
        size_t ks = i + 1, j = ks;
        while (j < len && s[j] != '"')
            j += s[j] == '\\' ? 2 : 1;
        if (j >= len)
            return 0;
        if (depth == 1 && expect_key) {
            int rc = cb(ctx, s, len, ks, j - ks, j);
            if (rc != 0)
                return rc;
        }
        expect_key = false;
        i = j;
    }
    return 0;
}

struct id_span {
    size_t start, end;
};

/* The value of the first "id" member: 1 with its span when it is a simple string or integer
 * that visibly ends, -1 (stop: not recoverable) otherwise. */
static int find_id(void *ctx, const unsigned char *s, size_t len, size_t ks, size_t kn,
                   size_t close)
{
    struct id_span *out = ctx;
    if (kn != 2 || memcmp(s + ks, "id", 2) != 0)
        return 0;
    size_t v = skip_ws(s, len, close + 1);
    if (v >= len || s[v] != ':')
        return -1;
    v = skip_ws(s, len, v + 1);
    if (v >= len)
        return -1;
    size_t w = v;
    if (s[v] == '"') {
        w = v + 1;
        while (w < len && s[w] != '"' && s[w] != '\\' && s[w] >= 0x20 && s[w] < 0x80)
            w++;
        if (w >= len || s[w] != '"')
            return -1;
        w++;
    } else {
        if (s[w] == '-')
            w++;
        size_t digits = w;
        while (w < len && s[w] >= '0' && s[w] <= '9')
            w++;
        if (w == digits || w - digits > 16)
            return -1;
        /* it must visibly end here: not cut off by the end of the text (a frame
         * head), not the integer part of a fraction, an exponent or junk */
        if (w >= len || (s[w] != ',' && s[w] != '}' && s[w] != ' ' && s[w] != '\t' &&
                         s[w] != '\r' && s[w] != '\n'))
            return -1;
    }
    out->start = v;
    out->end = w;
    return 1;
}

bool json_recover_id(const char *text, size_t len, size_t *start, size_t *end)
{
    struct id_span sp;
    if (top_members(text, len, find_id, &sp) != 1)
        return false;
    *start = sp.start;
    *end = sp.end;
    return true;
}

struct key_set {
    const char *const *names;
    size_t n;
    unsigned seen;
};

static int note_key(void *ctx, const unsigned char *s, size_t len, size_t ks, size_t kn,
                    size_t close)
{
    struct key_set *k = ctx;
    (void)len;
    (void)close;
    for (size_t i = 0; i < k->n && i < 32; i++)
        if (strlen(k->names[i]) == kn && memcmp(s + ks, k->names[i], kn) == 0)
            k->seen |= 1u << i;
    return 0;
}

unsigned json_recover_keys(const char *text, size_t len, const char *const *names, size_t n)
{
    struct key_set k = {.names = names, .n = n};
    top_members(text, len, note_key, &k);
    return k.seen;
}
