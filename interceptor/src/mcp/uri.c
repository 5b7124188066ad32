/*
 * uri.c - a resource URI in the one spelling the policy matches (uri.h).
 *
 * The URI is taken apart (scheme, authority, path, query) on its raw text, each part is
 * rewritten as the WHATWG URL parser of the TypeScript SDK and Node read it, and the parts are
 * put together again in out. Every step only removes or shortens, except the IPv4 address
 * written in full (at most 15 bytes where the input had at least one), so out never grows
 * past the input's length plus 16 bytes.
 */
#include "mcp/uri.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexv(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The length of the scheme at d[0..n) (its ':' not counted), 0 when there is none. */
static size_t scheme_len(const char *d, size_t n)
{
    if (n == 0 || !is_alpha(d[0]))
        return 0;
    size_t i = 1;
    while (i < n && (is_alpha(d[i]) || is_digit(d[i]) || d[i] == '+' || d[i] == '-' ||
                     d[i] == '.'))
        i++;
    return i < n && d[i] == ':' ? i : 0;
}

/* The default port of a special scheme ("" for file), NULL for a scheme that is not special. */
static const char *special_port(const char *s, size_t n)
{
    static const struct {
        const char *scheme, *port;
    } special[] = {{"file", ""},  {"http", "80"}, {"https", "443"},
                   {"ws", "80"},  {"wss", "443"}, {"ftp", "21"}};
    for (size_t k = 0; k < sizeof(special) / sizeof(special[0]); k++)
        if (strlen(special[k].scheme) == n && memcmp(special[k].scheme, s, n) == 0)
            return special[k].port;
    return NULL;
}

/* The length of the valid UTF-8 sequence starting with lead byte b at s[0..n), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (len == 0 || s[0] >= 0xF5 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return len;
}

/*
 * Decode the escapes of d[0..n) in place; the new length. Printable ASCII and the space are
 * decoded except '/', '?', '#', '%' and '\' (they would make a new part); runs of escapes that
 * spell one UTF-8 character are decoded to it (fileURLToPath does; `new URL()` writes raw
 * UTF-8 escaped, so both spellings meet here). Every escape left has upper-case hex.
 */
static size_t decode(char *d, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (d[i] != '%' || i + 2 >= n || (hi = hexv(d[i + 1])) < 0 || (lo = hexv(d[i + 2])) < 0) {
            d[o++] = d[i];
            continue;
        }
        unsigned char c = (unsigned char)(hi << 4 | lo);
        if (c >= 0x20 && c <= 0x7e && !strchr("/?#%\\", c)) {
            d[o++] = (char)c;
            i += 2;
            continue;
        }
        if (c >= 0xC2) { /* the escapes of one UTF-8 character? */
            unsigned char u[4] = {c};
            size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2, k = 1;
            for (; k < want && i + 3 * k + 2 < n + 0 && d[i + 3 * k] == '%'; k++) {
                int h2 = hexv(d[i + 3 * k + 1]), l2 = hexv(d[i + 3 * k + 2]);
                if (h2 < 0 || l2 < 0)
                    break;
                u[k] = (unsigned char)(h2 << 4 | l2);
            }
            if (k == want && utf8_len(u, want) == want) {
                memcpy(d + o, u, want);
                o += want;
                i += 3 * want - 1;
                continue;
            }
        }
        d[o++] = '%';
        d[o++] = hex[c >> 4];
        d[o++] = hex[c & 15];
        i += 2;
    }
    return o;
}

/*
 * Fold a host: ASCII lower case, fullwidth ASCII (U+FF01..U+FF5E) and the ideographic full
 * stops (U+3002, U+FF61) to ASCII, as IDNA's mapping does. In place; the new length.
 */
static size_t fold_host(char *d, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        const unsigned char *u = (const unsigned char *)d + i;
        if (n - i >= 3 && u[0] == 0xEF &&
            ((u[1] == 0xBC && u[2] >= 0x81 && u[2] <= 0xBF) ||
             (u[1] == 0xBD && u[2] >= 0x80 && u[2] <= 0x9E))) {
            unsigned cp = 0xFF00u + ((unsigned)(u[1] & 0x03) << 6) + (u[2] & 0x3F);
            d[o++] = lower((char)(cp - 0xFF00u + 0x20));
            i += 3;
        } else if (n - i >= 3 && ((u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x82) ||
                                  (u[0] == 0xEF && u[1] == 0xBD && u[2] == 0xA1))) {
            d[o++] = '.';
            i += 3;
        } else if (d[i] == '%' && n - i >= 3) { /* an escape's hex stays as decode wrote it */
            memmove(d + o, d + i, 3);
            o += 3;
            i += 3;
        } else {
            d[o++] = lower(d[i]);
            i++;
        }
    }
    return o;
}

/* One part of an IPv4 host: decimal, 0x hex or 0-led octal, as WHATWG reads it. */
static bool ipv4_part(const char *s, size_t n, uint64_t *v)
{
    int base = 10;
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        n -= 2;
    } else if (n >= 2 && s[0] == '0') {
        base = 8;
        s++;
        n--;
    }
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        int d = hexv(s[i]);
        if (d < 0 || d >= base || x > (1ull << 40))
            return false;
        x = x * (uint64_t)base + (uint64_t)d;
    }
    *v = x;
    return true;
}

/* A host of numbers (127.1, 0x7f.0.0.1, 2130706433) written as the dotted address it is. The
 * new length (the host unchanged when it is not such a host). d has room for 15 bytes. */
static size_t ipv4_host(char *d, size_t n, size_t room)
{
    size_t m = n > 0 && d[n - 1] == '.' ? n - 1 : n; /* one trailing dot is allowed */
    uint64_t part[4];
    size_t np = 0, s = 0;
    for (size_t i = 0; i <= m; i++) {
        if (i < m && d[i] != '.')
            continue;
        if (np == 4 || i == s || !ipv4_part(d + s, i - s, &part[np]))
            return n;
        np++;
        s = i + 1;
    }
    if (np == 0)
        return n;
    uint64_t v = part[np - 1];
    if (v >= (1ull << (8 * (5 - np))))
        return n;
    for (size_t k = 0; k + 1 < np; k++) {
        if (part[k] > 255)
            return n;
        v += part[k] << (8 * (3 - k));
    }
    char buf[16];
    int w = snprintf(buf, sizeof(buf), "%u.%u.%u.%u", (unsigned)(v >> 24) & 255,
                     (unsigned)(v >> 16) & 255, (unsigned)(v >> 8) & 255, (unsigned)v & 255);
    if (w <= 0 || (size_t)w > room)
        return n;
    memcpy(d, buf, (size_t)w);
    return (size_t)w;
}

/*
 * Resolve the path d[0..n) (it starts with '/') in place, as WHATWG does and then as a file
 * system reads it: "." segments go, ".." takes away the segment before it (an empty one too:
 * /etc//../x is /etc/x) and stops at the root, and the repeated slashes left are one. A path
 * that ended in '/', "." or ".." keeps a trailing slash. The new length.
 */
static size_t resolve(char *d, size_t n)
{
    /* segment starts are offsets into d: the output never runs ahead of the input */
    size_t o = 0; /* d[0..o) is the resolved path so far: "/seg/seg..." */
    size_t i = 1;
    bool trailing = false;
    for (;;) {
        size_t s = i;
        while (i < n && d[i] != '/')
            i++;
        size_t len = i - s;
        bool last = i >= n;
        if (len == 1 && d[s] == '.') {
            trailing = last;
        } else if (len == 2 && d[s] == '.' && d[s + 1] == '.') {
            if (o > 0) { /* drop "/seg" (an empty one is just the '/') */
                while (o > 0 && d[o - 1] != '/')
                    o--;
                o--;
            }
            trailing = last;
        } else {
            d[o++] = '/';
            memmove(d + o, d + s, len);
            o += len;
            trailing = false;
        }
        if (last)
            break;
        i++; /* past the '/' */
    }
    if (trailing || o == 0)
        d[o++] = '/';
    /* repeated slashes (the empty segments no ".." took) are one */
    size_t w = 0;
    for (size_t r = 0; r < o; r++)
        if (!(d[r] == '/' && w > 0 && d[w - 1] == '/'))
            d[w++] = d[r];
    return w;
}

int uri_canon(const char *in, size_t n, struct buf *out)
{
    while (n > 0 && (unsigned char)in[0] <= 0x20) {
        in++;
        n--;
    }
    while (n > 0 && (unsigned char)in[n - 1] <= 0x20)
        n--;
    buf_reset(out);
    int rc = buf_reserve(out, n + URI_CANON_SLACK);
    if (rc < 0)
        return rc;
    char *tmp = malloc(n + 1);
    if (tmp == NULL)
        return -ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (in[i] != '\t' && in[i] != '\n' && in[i] != '\r')
            tmp[m++] = in[i];

    /* the structure is read before anything is decoded: an escape never makes a part */
    size_t sl = scheme_len(tmp, m);
    for (size_t i = 0; i < sl; i++)
        tmp[i] = lower(tmp[i]);
    const char *port0 = sl > 0 ? special_port(tmp, sl) : NULL;
    bool special = port0 != NULL, file = special && sl == 4 && memcmp(tmp, "file", 4) == 0;
    size_t p = sl > 0 ? sl + 1 : 0;
    /* the fragment never reaches a server; a file URL's query neither (fileURLToPath) */
    size_t end = p;
    while (end < m && tmp[end] != '#' && !(file && tmp[end] == '?'))
        end++;
    size_t q = p; /* the end of the hierarchical part */
    while (q < end && tmp[q] != '?')
        q++;
    if (special)
        for (size_t i = p; i < q; i++)
            if (tmp[i] == '\\')
                tmp[i] = '/';

    char *o = out->data;
    size_t k = 0;
    memcpy(o, tmp, p); /* "scheme:" (or nothing) */
    k = p;
    size_t a = p, z = p; /* the authority, tmp[a..z) */
    bool has_auth = false;
    if (special && !file) { /* any number of slashes, none included, lead to the authority */
        a = p;
        while (a < q && tmp[a] == '/')
            a++;
        has_auth = true;
    } else if (q - p >= 2 && tmp[p] == '/' && tmp[p + 1] == '/') {
        a = p + 2;
        has_auth = true;
    }
    z = a;
    if (has_auth)
        while (z < q && tmp[z] != '/')
            z++;
    if (has_auth) {
        o[k++] = '/';
        o[k++] = '/';
        size_t at = a;
        for (size_t i = a; i < z; i++)
            if (tmp[i] == '@')
                at = i + 1;
        /* userinfo is dropped: the host is what the request reaches (u@host is host) */
        size_t he = z; /* the host ends at the port's ':' (not one inside [IPv6]) */
        for (size_t i = z; i > at && tmp[i - 1] != ']'; i--) {
            if (tmp[i - 1] == ':') {
                he = i - 1;
                break;
            }
        }
        size_t h = k;
        memcpy(o + k, tmp + at, he - at);
        size_t hl = decode(o + h, he - at);
        hl = fold_host(o + h, hl);
        if (special) {
            /* the IDNA mapping of new URL() (dropped invisibles, letter-like symbols, other
             * digits) is not repeated here: a special URL's host that is not ASCII after the
             * fullwidth fold is refused (write it in punycode, xn--) */
            for (size_t i = 0; i < hl; i++)
                if ((unsigned char)o[h + i] >= 0x80) {
                    free(tmp);
                    out->len = 0;
                    return -EILSEQ;
                }
            if (hl > 1 && o[h + hl - 1] == '.') /* host. is host (DNS) */
                hl--;
        }
        if (special && !file)
            hl = ipv4_host(o + h, hl, hl + 16);
        if (file && hl == 9 && memcmp(o + h, "localhost", 9) == 0)
            hl = 0;
        k = h + hl;
        if (he < z) { /* a port: without leading zeros; empty or the scheme's default: none */
            size_t ps = he + 1;
            while (ps + 1 < z && tmp[ps] == '0')
                ps++;
            bool digits = ps < z;
            for (size_t i = ps; i < z; i++)
                digits = digits && is_digit(tmp[i]);
            if (ps < z && !(digits && port0 != NULL && strlen(port0) == z - ps &&
                            memcmp(port0, tmp + ps, z - ps) == 0)) {
                o[k++] = ':';
                memcpy(o + k, tmp + ps, z - ps);
                k += z - ps;
            }
        }
    } else if (file) {
        o[k++] = '/'; /* file:p and file:/p have the empty host of file:///p */
        o[k++] = '/';
    }
    /* the path */
    size_t ps = k;
    size_t from = has_auth ? z : p;
    if ((special || has_auth) && (from >= q || tmp[from] != '/'))
        o[k++] = '/'; /* file:p, https://h: paths start at the root */
    memcpy(o + k, tmp + from, q - from);
    k += decode(o + k, q - from);
    if (k > ps && o[ps] == '/')
        k = ps + resolve(o + ps, k - ps);
    /* the query, decoded but not resolved */
    if (q < end) {
        memcpy(o + k, tmp + q, end - q);
        k += decode(o + k, end - q);
    }
    out->len = k;
    free(tmp);
    return 0;
}
