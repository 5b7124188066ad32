/*
 * uri.c - a resource URI in the one spelling the policy matches (uri.h).
 *
 * The work is done in out's own memory: every step only removes or shortens, so the text
 * never grows past the input's length.
 */
#include "mcp/uri.h"

#include <errno.h>
#include <stdbool.h>
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
    while (i < n && (is_alpha(d[i]) || (d[i] >= '0' && d[i] <= '9') || d[i] == '+' ||
                     d[i] == '-' || d[i] == '.'))
        i++;
    return i < n && d[i] == ':' ? i : 0;
}

static bool is_special(const char *s, size_t n)
{
    static const char *const special[] = {"file", "http", "https", "ws", "wss", "ftp"};
    for (size_t k = 0; k < sizeof(special) / sizeof(special[0]); k++)
        if (strlen(special[k]) == n && memcmp(special[k], s, n) == 0)
            return true;
    return false;
}

/* Decode the escapes of d[0..n) in place (uri.h says which); the new length. */
static size_t decode(char *d, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (d[i] != '%' || i + 2 >= n || (hi = hexv(d[i + 1])) < 0 ||
            (lo = hexv(d[i + 2])) < 0) {
            d[o++] = d[i];
            continue;
        }
        unsigned char c = (unsigned char)(hi << 4 | lo);
        if (c >= 0x20 && c <= 0x7e && !strchr("/?#%\\", c)) {
            d[o++] = (char)c;
        } else {
            d[o++] = '%';
            d[o++] = hex[c >> 4];
            d[o++] = hex[c & 15];
        }
        i += 2;
    }
    return o;
}

/*
 * Resolve the path d[0..n) (it starts with '/') in place: repeated slashes are one, "." and
 * ".." segments are resolved, ".." stops at the root; a path that ended in '/', "." or ".."
 * keeps its trailing slash. The new length.
 */
static size_t resolve(char *d, size_t n)
{
    size_t o = 0; /* d[0..o) is the resolved path so far, without a trailing slash */
    size_t i = 0;
    bool trailing = false;
    while (i < n) {
        while (i < n && d[i] == '/')
            i++;
        size_t s = i;
        while (i < n && d[i] != '/')
            i++;
        size_t len = i - s;
        trailing = i == n ? len == 0 : false;
        if (len == 0)
            continue;
        if (len == 1 && d[s] == '.') {
            trailing = i == n;
            continue;
        }
        if (len == 2 && d[s] == '.' && d[s + 1] == '.') {
            while (o > 0 && d[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* the slash before the segment removed */
            trailing = i == n;
            continue;
        }
        d[o++] = '/';
        memmove(d + o, d + s, len);
        o += len;
    }
    if (o == 0 || trailing)
        d[o++] = '/';
    return o;
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
    int rc = buf_reserve(out, n + 1);
    if (rc < 0)
        return rc;
    char *d = out->data;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (in[i] != '\t' && in[i] != '\n' && in[i] != '\r')
            d[m++] = in[i];

    /* the structure is read before anything is decoded: an escape never makes a part */
    size_t sl = scheme_len(d, m);
    for (size_t i = 0; i < sl; i++)
        d[i] = lower(d[i]);
    size_t p = sl > 0 ? sl + 1 : 0; /* after "scheme:" */
    size_t q = p;                   /* the end of the hierarchical part: '?', '#' or the end */
    while (q < m && d[q] != '?' && d[q] != '#')
        q++;
    if (sl > 0 && is_special(d, sl))
        for (size_t i = p; i < q; i++)
            if (d[i] == '\\')
                d[i] = '/';
    size_t rest = m - q; /* query and fragment, decoded on their own below */
    size_t hl = decode(d + p, q - p);
    memmove(d + p + hl, d + q, rest);
    q = p + hl;
    m = q + decode(d + q, rest);

    /* the authority's host, lowercased */
    size_t path = p;
    if (q - p >= 2 && d[p] == '/' && d[p + 1] == '/') {
        size_t a = p + 2, z = a;
        while (z < q && d[z] != '/')
            z++;
        size_t host = a;
        for (size_t i = a; i < z; i++)
            if (d[i] == '@')
                host = i + 1;
        for (size_t i = host; i < z; i++) {
            if (d[i] == '%')
                i += 2; /* an escape's hex stays upper case */
            else
                d[i] = lower(d[i]);
        }
        path = z;
    }
    if (path < q && d[path] == '/') {
        size_t rl = resolve(d + path, q - path);
        memmove(d + path + rl, d + q, m - q);
        m = path + rl + (m - q);
    }
    out->len = m;
    return 0;
}
