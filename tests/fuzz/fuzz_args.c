/*
 * fuzz_args.c - tracked values in a request's params as the server reads them
 * (guard_track_args): whatever way valid JSON spells a tracked value, the call carries it.
 *
 * Input: byte 0 the value's length (8..63), byte 1 the obfuscation seed's first byte; then the
 * value (made valid UTF-8), then the bytes that drive how it is written. The value is marked
 * (guard_mark) in a guard kept across inputs (renewed every RENEW inputs), and written into a
 * params object the way a JSON encoder, or an attacker, may: split over several string values
 * (members, array elements, nested), characters as \uXXXX escapes (surrogate pairs above the
 * BMP), '/' as "\/", ignorable code points (zero widths, soft hyphen, bidi controls, variation
 * selectors, tag characters) inserted raw or escaped, ASCII characters as HTML character
 * references, and numbers and member names around it.
 *
 * Invariants: the params are valid JSON (json_parse); guard_track_args finds the value (the
 * call is labelled `secret`); and any valid JSON input, the raw fuzz input included, is
 * scanned without error.
 */
#include <errno.h>
#include <string.h>

#include "base/buf.h"
#include "fuzz.h"
#include "fuzz_util.h"
#include "mcp/json.h"
#include "policy/labels.h"
#include "proxy/guard.h"
#include "scan/fold.h"

#define RENEW 2000
#define VMAX 64

struct rng {
    const uint8_t *p;
    size_t n, i;
    uint32_t x;
};

static unsigned next(struct rng *r, unsigned mod)
{
    uint32_t b = r->i < r->n ? r->p[r->i++] : 0;
    r->x = r->x * 1103515245u + 12345u + b;
    return mod ? (r->x >> 8) % mod : 0;
}

static const char HEX[] = "0123456789abcdef";

static void put_u(struct buf *o, unsigned cp)
{
    char e[7] = {'\\', 'u', HEX[cp >> 12 & 15], HEX[cp >> 8 & 15], HEX[cp >> 4 & 15], HEX[cp & 15]};
    buf_append(o, e, 6);
}

/* One code point of the value (its UTF-8 bytes at p, l of them) as a JSON string body. */
static void put_char(struct buf *o, const uint8_t *p, size_t l, struct rng *r, bool refs)
{
    unsigned cp = p[0];
    if (l == 2)
        cp = (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu);
    else if (l == 3)
        cp = (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
    else if (l == 4)
        cp = (p[0] & 0x07u) << 18 | (p[1] & 0x3Fu) << 12 | (p[2] & 0x3Fu) << 6 | (p[3] & 0x3Fu);
    unsigned how = next(r, 8);
    if (how == 0 || cp < 0x20) { /* \uXXXX, a surrogate pair above the BMP */
        if (cp >= 0x10000) {
            put_u(o, 0xD800 + ((cp - 0x10000) >> 10));
            put_u(o, 0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            put_u(o, cp);
        }
    } else if (how == 1 && refs && cp < 0x80 && cp != '&' && cp != '\\' && cp != '"') {
        buf_printf(o, next(r, 2) ? "&#%u;" : "&#x%x;", cp); /* an HTML character reference */
    } else if (cp == '"' || cp == '\\') {
        buf_putc(o, '\\');
        buf_putc(o, (char)cp);
    } else if (cp == '/' && how == 2) {
        buf_append(o, "\\/", 2);
    } else {
        buf_append(o, p, l);
    }
}

static void put_ignorable(struct buf *o, struct rng *r)
{
    static const unsigned ign[] = {0xAD,   0x200B, 0x200C, 0x200D, 0x200E,  0x202E,
                                   0x2060, 0x2063, 0xFE0F, 0xFEFF, 0xE0041, 0xE007F};
    unsigned cp = ign[next(r, sizeof(ign) / sizeof(ign[0]))];
    if (next(r, 2)) {
        if (cp >= 0x10000) {
            put_u(o, 0xD800 + ((cp - 0x10000) >> 10));
            put_u(o, 0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            put_u(o, cp);
        }
        return;
    }
    uint8_t u[4];
    size_t l;
    if (cp < 0x800) {
        u[0] = (uint8_t)(0xC0 | cp >> 6), u[1] = (uint8_t)(0x80 | (cp & 0x3F)), l = 2;
    } else if (cp < 0x10000) {
        u[0] = (uint8_t)(0xE0 | cp >> 12), u[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (uint8_t)(0x80 | (cp & 0x3F)), l = 3;
    } else {
        u[0] = (uint8_t)(0xF0 | cp >> 18), u[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
        u[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F)), u[3] = (uint8_t)(0x80 | (cp & 0x3F)), l = 4;
    }
    buf_append(o, u, l);
}

/* Between two string values: a member name, a number, a nesting (stack: what is open). */
static void put_gap(struct buf *o, struct rng *r, char *stack, int *sp, unsigned *names)
{
    bool in_array = stack[*sp - 1] == '[';
    buf_putc(o, ',');
    unsigned what = next(r, 4);
    if (what == 0) {
        if (!in_array)
            buf_printf(o, "\"n%u\":", (*names)++); /* names unique: duplicates are refused */
        buf_printf(o, "%u,", next(r, 100000));
    } else if ((what == 1 || what == 2) && *sp < 12) {
        if (!in_array)
            buf_printf(o, "\"a%u\":", (*names)++);
        stack[(*sp)++] = what == 1 ? '[' : '{';
        buf_putc(o, stack[*sp - 1]);
        in_array = what == 1;
    }
    if (!in_array)
        buf_printf(o, "\"k%u\":", (*names)++);
}

/* The value (valid UTF-8) holds "&#" or an ignorable code point. */
static bool value_shown_differs(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t l = fz_utf8_len(p + i, n - i);
        unsigned cp = p[i];
        if (l == 2)
            cp = (p[i] & 0x1Fu) << 6 | (p[i + 1] & 0x3Fu);
        else if (l == 3)
            cp = (p[i] & 0x0Fu) << 12 | (p[i + 1] & 0x3Fu) << 6 | (p[i + 2] & 0x3Fu);
        else if (l == 4)
            cp = (p[i] & 0x07u) << 18 | (p[i + 1] & 0x3Fu) << 12 | (p[i + 2] & 0x3Fu) << 6 |
                 (p[i + 3] & 0x3Fu);
        if ((cp == '&' && i + 1 < n && p[i + 1] == '#') || fold_ignorable(cp))
            return true;
        i += l ? l : 1;
    }
    return false;
}

static struct guard *guard;
static unsigned uses;
static int sec;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    if (guard == NULL || uses++ >= RENEW) {
        guard_free(guard);
        struct guard_opts go = {0};
        FUZZ_CHECK(guard_new(&guard, &go, err, sizeof(err)) == 0);
        sec = label_intern("secret", 6);
        uses = 1;
    }
    if (size < 2)
        return 0;
    size_t want = 8 + data[0] % (VMAX - 8);
    struct buf v, o, scratch;
    buf_init(&v, 1u << 20);
    buf_init(&o, 1u << 24);
    buf_init(&scratch, 1u << 20);
    fz_utf8_clean(&v, data + 2, size - 2 < want ? size - 2 : want);
    /* a value with a NUL, or ending inside what an attacker cannot write, is still a value;
     * shorter than 8 bytes is refused (and not looked for) */
    struct labelset ls = {0};
    labelset_add(&ls, sec);
    bool marked = v.len >= 8 && v.len <= 4096 &&
                  guard_mark(guard, v.data, v.len, &ls, "fuzz", NULL, NULL, err, sizeof(err)) == 0;
    struct rng r = {.p = data + 2 + (size - 2 < want ? size - 2 : want),
                    .n = size - 2 - (size - 2 < want ? size - 2 : want),
                    .x = data[1]};

    /* the params: {"pre":"...", then the value's characters over string values } */
    buf_append(&o, "{\"arguments\":{\"text\":\"", 22);
    const uint8_t *p = (const uint8_t *)v.data, *p0 = p;
    /* a value holding "&#" or an invisible code point itself is written with JSON escapes and
     * splits only: references or invisibles added elsewhere would make it ambiguous (the
     * reader's view decodes them all, the server's none) */
    bool refs = !value_shown_differs(p0, v.len);
    char stack[16] = {'{', '{'};
    unsigned names = 0;
    int sp = 2;
    for (size_t i = 0; i < v.len;) {
        size_t l = fz_utf8_len(p + i, v.len - i);
        FUZZ_CHECK(l > 0);               /* cleaned */
        if (i > 0 && next(&r, 6) == 0) { /* close this string, open another */
            buf_putc(&o, '"');
            put_gap(&o, &r, stack, &sp, &names);
            buf_putc(&o, '"');
        }
        if (i > 0 && refs && next(&r, 5) == 0)
            put_ignorable(&o, &r);
        put_char(&o, p + i, l, &r, refs);
        i += l;
    }
    buf_putc(&o, '"');
    while (sp > 0)
        buf_putc(&o, stack[--sp] == '{' ? '}' : ']');

    struct json_doc doc;
    json_doc_init(&doc, 0, 0);
    int prc = json_parse(&doc, o.data, o.len, JSON_DEFAULT_MAX_DEPTH, NULL);
    if (prc != 0)
        fprintf(stderr, "not JSON: %.*s\n", (int)o.len, o.data);
    FUZZ_CHECK(prc == 0);
    json_doc_cleanup(&doc);

    struct guard_call c;
    guard_call_init(&c);
    FUZZ_CHECK(guard_track_args(guard, o.data, o.len, &c) == 0);
    if (marked && !labelset_has(&c.labels, sec))
        fprintf(stderr, "missed: %.*s\n", (int)o.len, o.data);
    FUZZ_CHECK(!marked || labelset_has(&c.labels, sec));
    guard_call_cleanup(&c);

    /* the raw input as params, when it is JSON */
    json_doc_init(&doc, 0, 0);
    if (json_parse(&doc, (const char *)data, size, JSON_DEFAULT_MAX_DEPTH, NULL) == 0) {
        guard_call_init(&c);
        FUZZ_CHECK(guard_track_args(guard, (const char *)data, size, &c) == 0);
        guard_call_cleanup(&c);
    }
    json_doc_cleanup(&doc);
    buf_cleanup(&v);
    buf_cleanup(&o);
    buf_cleanup(&scratch);
    return 0;
}
