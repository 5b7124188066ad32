/*
 * unwrap.c - decode the encoded runs of a text (see unwrap.h).
 */
#include "scan/unwrap.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "scan/fold.h"        /* fold_utf8 */
#include "scan/tracked_dec.h" /* dec_b64_run */
#include "scan/tracked_enc.h" /* enc_b64val, enc_hexval */

enum {
    C_B64 = 1,  /* [A-Za-z0-9+/_-] */
    C_HEX = 2,  /* [0-9A-Fa-f] */
    C_B32U = 4, /* [A-Z2-7] */
    C_B32L = 8, /* [a-z2-7] */
};

#define CL_B64(c) (((c) >= 'A' && (c) <= 'Z') || ((c) >= 'a' && (c) <= 'z') || \
                   ((c) >= '0' && (c) <= '9') || (c) == '+' || (c) == '/' || (c) == '-' || \
                   (c) == '_')
#define CL_HEX(c) (((c) >= '0' && (c) <= '9') || ((c) >= 'a' && (c) <= 'f') || \
                   ((c) >= 'A' && (c) <= 'F'))
#define CL_B32U(c) (((c) >= 'A' && (c) <= 'Z') || ((c) >= '2' && (c) <= '7'))
#define CL_B32L(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= '2' && (c) <= '7'))
#define CL(c) (CL_B64(c) * C_B64 | CL_HEX(c) * C_HEX | CL_B32U(c) * C_B32U | CL_B32L(c) * C_B32L)
#define CL4(i) CL(i), CL(i + 1), CL(i + 2), CL(i + 3)
#define CL16(i) CL4(i), CL4(i + 4), CL4(i + 8), CL4(i + 12)
#define CL64(i) CL16(i), CL16(i + 16), CL16(i + 32), CL16(i + 48)
static const uint8_t cls_tab[256] = {CL64(0), CL64(64), CL64(128), CL64(192)};

static inline uint8_t cls(uint8_t c)
{
    return cls_tab[c];
}

/* The base64 of in[0..n) from its first character; a partial last group gives what its
 * whole bytes are. */
static size_t dec_b64(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t k = 0, i = 0;
    for (; i + 4 <= n; i += 4) {
        uint32_t w = (uint32_t)enc_b64val[in[i]] << 18 | (uint32_t)enc_b64val[in[i + 1]] << 12 |
                     (uint32_t)enc_b64val[in[i + 2]] << 6 | (uint32_t)enc_b64val[in[i + 3]];
        out[k++] = (uint8_t)(w >> 16);
        out[k++] = (uint8_t)(w >> 8);
        out[k++] = (uint8_t)w;
    }
    uint32_t acc = 0;
    unsigned bits = 0;
    for (; i < n; i++) {
        acc = acc << 6 | (uint32_t)enc_b64val[in[i]];
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[k++] = (uint8_t)(acc >> bits);
        }
    }
    return k;
}

static size_t dec_b32(const uint8_t *in, size_t n, uint8_t *out)
{
    uint64_t acc = 0;
    unsigned bits = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = in[i] | 0x20;
        acc = acc << 5 | (uint64_t)(c >= 'a' ? c - 'a' : c - '2' + 26);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out[k++] = (uint8_t)(acc >> bits);
        }
    }
    return k;
}

static size_t dec_hex(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i + 2 <= n; i += 2)
        out[k++] = (uint8_t)(enc_hexval[in[i]] << 4 | enc_hexval[in[i + 1]]);
    return k;
}

static size_t dec_bin(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i + 8 <= n; i += 8) {
        uint8_t v = 0;
        for (size_t b = 0; b < 8; b++)
            v = (uint8_t)(v << 1 | (in[i + b] - '0'));
        out[k++] = v;
    }
    return k;
}

/* Valid UTF-8 (a sequence cut at either end allowed) in which at most one code point in ten
 * is a control character other than tab and line breaks: what an encoded instruction decodes
 * to, and what a hash, a long word or random data almost never does (their first few bytes
 * are invalid UTF-8). */
static bool reads_as_text(const uint8_t *p, size_t n)
{
    size_t i = 0, cps = 0, ctl = 0;
    while (i < n && i < 3 && (p[i] & 0xc0) == 0x80)
        i++;
    while (i < n) {
        uint32_t cp;
        size_t l = fold_utf8(p + i, n - i, &cp);
        if (l == 0)
            return n - i < 4 && p[i] >= 0xc2 && p[i] <= 0xf4 && cps > 0 && ctl * 10 <= cps;
        cps++;
        ctl += (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7f;
        i += l;
    }
    return cps > 0 && ctl * 10 <= cps;
}

/* in[0..n) decoded by dec and appended with a '\n'; with `text`, only when it reads as text.
 * 1 when appended, 0 when not, -ENOMEM. */
static int emit(struct buf *out, const uint8_t *in, size_t n,
                size_t (*dec)(const uint8_t *, size_t, uint8_t *), bool text)
{
    if (buf_reserve(out, n + 1) < 0)
        return -ENOMEM;
    uint8_t *at = (uint8_t *)out->data + out->len;
    size_t k = dec(in, n, at);
    if (text && !reads_as_text(at, k))
        return 0;
    out->len += k;
    out->data[out->len++] = '\n';
    return 1;
}

static size_t put_utf8(uint8_t *o, uint32_t cp);

/* JavaScript's escape(): %uXXXX, a UTF-16 code unit */
static bool pctu_at(const uint8_t *t, size_t n, size_t i)
{
    return t[i] == '%' && i + 5 < n && (t[i + 1] | 0x20) == 'u' && enc_hexval[t[i + 2]] >= 0 &&
           enc_hexval[t[i + 3]] >= 0 && enc_hexval[t[i + 4]] >= 0 && enc_hexval[t[i + 5]] >= 0;
}

static bool pct_at(const uint8_t *t, size_t n, size_t i)
{
    return (t[i] == '%' && i + 2 < n && enc_hexval[t[i + 1]] >= 0 && enc_hexval[t[i + 2]] >= 0) ||
           pctu_at(t, n, i);
}

static bool run_char(uint8_t c)
{
    return c > ' ' && c != '"' && c != 0x7f;
}

/* Runs of non-space characters with a %XX. */
static int pct_runs(const uint8_t *t, size_t n, struct buf *out)
{
    int count = 0;
    size_t done = 0; /* everything before has been looked at */
    const uint8_t *p = t;
    while ((p = memchr(p, '%', n - (size_t)(p - t))) != NULL) {
        size_t at = (size_t)(p - t);
        if (!pct_at(t, n, at)) {
            p++;
            continue;
        }
        size_t s = at, e = at;
        while (s > done && run_char(t[s - 1]))
            s--;
        while (e < n && run_char(t[e]))
            e++;
        if (buf_reserve(out, e - s + 1) < 0)
            return -ENOMEM;
        uint8_t *o = (uint8_t *)out->data + out->len;
        size_t k = 0;
        for (size_t i = s; i < e;) {
            if (pctu_at(t, e, i)) {
                uint32_t cp = 0;
                for (size_t h = 2; h < 6; h++)
                    cp = cp << 4 | (uint32_t)enc_hexval[t[i + h]];
                k += put_utf8(o + k, cp); /* 6 characters, at most 3 bytes */
                i += 6;
            } else if (pct_at(t, e, i)) {
                o[k++] = (uint8_t)(enc_hexval[t[i + 1]] << 4 | enc_hexval[t[i + 2]]);
                i += 3;
            } else {
                o[k++] = t[i++];
            }
        }
        o[k++] = '\n';
        out->len += k;
        count++;
        done = e;
        if (e >= n)
            break;
        p = t + e;
    }
    return count;
}

static bool sep(uint8_t c)
{
    /* (a line break too: one code a line, or one a string in the params' view; and the
     * joiners a model picks when told to "separate them": - . : | / _ and tab) */
    return c == ' ' || c == ',' || c == ';' || c == '\n' || c == '\r' || c == '\t' ||
           c == '-' || c == '.' || c == ':' || c == '|' || c == '/' || c == '_';
}

/* One \xHH, \uHHHH, 0xHH or octal \ooo at t[i]: its end and code point, or 0. */
static size_t one_escape(const uint8_t *t, size_t n, size_t i, uint32_t *cp)
{
    size_t digits;
    if (i + 4 <= n && t[i] == '\\' && t[i + 1] >= '0' && t[i + 1] <= '3' && t[i + 2] >= '0' &&
        t[i + 2] <= '7' && t[i + 3] >= '0' && t[i + 3] <= '7') {
        *cp = (uint32_t)((t[i + 1] - '0') << 6 | (t[i + 2] - '0') << 3 | (t[i + 3] - '0'));
        return i + 4;
    }
    if (i + 4 <= n && t[i] == '\\' && t[i + 1] == 'x')
        digits = 2;
    else if (i + 6 <= n && t[i] == '\\' && t[i + 1] == 'u')
        digits = 4;
    else if (i + 4 <= n && t[i] == '0' && (t[i + 1] | 0x20) == 'x')
        digits = 2;
    else
        return 0;
    uint32_t v = 0;
    for (size_t k = 0; k < digits; k++) {
        int h = enc_hexval[t[i + 2 + k]];
        if (h < 0)
            return 0;
        v = v << 4 | (uint32_t)h;
    }
    size_t e = i + 2 + digits;
    if (digits == 2 && e < n && enc_hexval[t[e]] >= 0)
        return 0; /* 0x1234: a number, not a byte */
    *cp = v;
    return e;
}

/* One character code (32..126: 2 or 3 decimal digits, or 8 binary ones; not inside a longer
 * word) at t[i]. */
static size_t one_code(const uint8_t *t, size_t n, size_t i, uint32_t *cp)
{
    size_t e = i;
    uint32_t v = 0;
    while (e < n && e - i < 9 && (t[e] == '0' || t[e] == '1'))
        v = v << 1 | (uint32_t)(t[e++] - '0');
    if (e - i == 8 && (e == n || t[e] < '0' || t[e] > '9') && v >= 32 && v <= 126) {
        *cp = v;
        return e;
    }
    e = i;
    v = 0;
    while (e < n && e - i < 4 && t[e] >= '0' && t[e] <= '9')
        v = v * 10 + (uint32_t)(t[e++] - '0');
    if (e - i < 2 || e - i > 3 || v < 32 || v > 126)
        return 0;
    if (e < n && ((t[e] | 0x20) >= 'a' && (t[e] | 0x20) <= 'z'))
        return 0;
    *cp = v;
    return e;
}

static size_t put_utf8(uint8_t *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (uint8_t)(0xc0 | cp >> 6);
        o[1] = (uint8_t)(0x80 | (cp & 0x3f));
        return 2;
    }
    o[0] = (uint8_t)(0xe0 | cp >> 12);
    o[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
    o[2] = (uint8_t)(0x80 | (cp & 0x3f));
    return 3;
}

/* A sequence of escapes (maxsep 2) or codes (maxsep 3) starting at t[i]: its end when it has
 * UNWRAP_CODES_MIN or more, decoded into o (room for the sequence's length), or 0. */
static size_t sequence(const uint8_t *t, size_t n, size_t i, bool codes, uint8_t *o, size_t *ol)
{
    size_t count = 0, k = 0, end = i, maxsep = codes ? 3 : 2;
    for (;;) {
        uint32_t cp;
        size_t e = codes ? one_code(t, n, i, &cp) : one_escape(t, n, i, &cp);
        if (e == 0)
            break;
        k += put_utf8(o + k, cp); /* never longer than the characters it came from */
        count++;
        end = e;
        size_t j = e;
        while (j < n && j - e < maxsep && sep(t[j]))
            j++;
        if (j < n && sep(t[j]))
            break; /* too many separators */
        i = j;
    }
    *ol = k;
    return count >= UNWRAP_CODES_MIN ? end : 0;
}

/* A sequence of escapes or character codes at t[i] (a backslash, or a digit that begins a
 * word) decoded into out: its end, or 0 when there is none; *rc < 0 when out of memory. */
static size_t try_seq(const uint8_t *t, size_t n, size_t i, struct buf *out, int *rc)
{
    uint8_t c = t[i];
    for (int codes = 0; codes < 2; codes++) {
        /* codes begin with 1..9, or 0 when binary (01101000) */
        if (codes ? c < (i + 1 < n && (t[i + 1] == '1' || t[i + 1] == '0') ? '0' : '1') || c > '9'
                  : c != '\\' && c != '0')
            continue;
        if (buf_reserve(out, n - i + 1) < 0) {
            *rc = -ENOMEM;
            return 0;
        }
        size_t ol, e = sequence(t, n, i, codes, (uint8_t *)out->data + out->len, &ol);
        if (e != 0) {
            out->len += ol;
            out->data[out->len++] = '\n';
            return e;
        }
    }
    return 0;
}

/* Which decodings of the first 16 characters of t[0..len) read as text (bits: 1 hex, 2 base32,
 * 4 base64): a run whose start decodes to garbage (a hash, a long word) is not decoded whole.
 * 16 characters are 8, 10 and 12 whole bytes; random bytes pass for text about once in 10^5. */
static unsigned text_start(const uint8_t *t, size_t len)
{
    size_t n = len < 16 ? len : 16, k;
    uint8_t probe[16] = {0};
    bool hex = true, b32 = true;
    for (size_t i = 0; i < n; i++) {
        hex = hex && enc_hexval[t[i]] >= 0;
        b32 = b32 && (cls(t[i]) & (C_B32U | C_B32L));
    }
    unsigned ok = 0;
    if (hex) {
        k = dec_hex(t, n & ~(size_t)1, probe);
        ok |= reads_as_text(probe, k) ? 1u : 0u;
    }
    if (b32) {
        k = dec_b32(t, n, probe);
        ok |= reads_as_text(probe, k) ? 2u : 0u;
    }
    k = dec_b64(t, n, probe);
    ok |= reads_as_text(probe, k) ? 4u : 0u;
    return ok;
}

/* One run t[s..e) of base64, base32 or hex characters, decoded the ways it can be; with
 * `text`, only those whose start reads as text are tried (and kept only if all of it does). */
static int one_run(const uint8_t *t, size_t s, size_t e, bool text, struct buf *out)
{
    size_t len = e - s;
    unsigned ok = text ? text_start(t + s, len) : 7;
    if (ok == 0)
        return 0;
    bool hex = true, b32u = true, b32l = true;
    for (size_t i = s; i < e && (hex || b32u || b32l); i++) {
        uint8_t c = cls(t[i]);
        hex = hex && (c & C_HEX);
        b32u = b32u && (c & C_B32U);
        b32l = b32l && (c & C_B32L);
    }
    if (hex && len >= UNWRAP_BIN_MIN && len % 8 == 0 && !text) {
        /* binary digits, 8 a character, unspaced ("0110100001101001..."): hex too */
        bool bin = true;
        for (size_t i = s; i < e && bin; i++)
            bin = t[i] == '0' || t[i] == '1';
        int rc = bin ? emit(out, t + s, len, dec_bin, false) : 0;
        if (rc != 0)
            return rc;
    }
    if (hex) /* hex digits are base64 characters too: hex only */
        return (ok & 1) && len >= UNWRAP_HEX_MIN ? emit(out, t + s, len, dec_hex, text) : 0;
    int count = 0, rc;
    if ((ok & 2) && (b32u || b32l) && len >= UNWRAP_B32_MIN) {
        if ((rc = emit(out, t + s, len, dec_b32, text)) < 0)
            return rc;
        count += rc;
    }
    if ((ok & 4) && !b32u) {
        if ((rc = emit(out, t + s, len, dec_b64, text)) < 0)
            return rc;
        count += rc;
    }
    return count;
}

/* Runs of base64, base32 and hex characters (found 64 bytes at a time: tracked_dec.h) of at
 * least min characters; of a run longer than 2 * edge (edge 0: no limit), its first and last
 * `edge` characters (the last ones from a multiple of 8 into the run, so that they decode as
 * the whole run would). */
static int runs(const uint8_t *t, size_t n, size_t min, size_t edge, bool text, struct buf *out)
{
    int count = 0, rc;
    size_t s;
    for (size_t pos = 0; (pos = dec_b64_run(t, n, pos, min, &s)) > s;) {
        if (edge == 0 || pos - s <= 2 * edge) {
            rc = one_run(t, s, pos, text, out);
        } else {
            size_t tail = s + (pos - s - edge) / 8 * 8;
            rc = one_run(t, s, s + edge, text, out);
            int r2 = rc < 0 ? rc : one_run(t, tail, pos, text, out);
            rc = r2 < 0 ? r2 : rc + r2;
        }
        if (rc < 0)
            return rc;
        count += rc;
    }
    return count;
}

/* The characters of escapes and character codes; the shortest sequence (eight codes of two
 * digits and seven separators). */
#define SQ(c) (((c) >= '0' && (c) <= '9') || ((c) >= 'a' && (c) <= 'f') || \
               ((c) >= 'A' && (c) <= 'F') || (c) == 'x' || (c) == 'X' || (c) == 'u' || \
               (c) == '\\' || (c) == ' ' || (c) == ',' || (c) == ';' || (c) == '\n' || \
               (c) == '\r' || (c) == '\t' || (c) == '-' || (c) == '.' || (c) == ':' || \
               (c) == '|' || (c) == '/' || (c) == '_')
#define SQ4(i) SQ(i), SQ(i + 1), SQ(i + 2), SQ(i + 3)
#define SQ16(i) SQ4(i), SQ4(i + 4), SQ4(i + 8), SQ4(i + 12)
#define SQ64(i) SQ16(i), SQ16(i + 16), SQ16(i + 32), SQ16(i + 48)
static const bool seq_tab[256] = {SQ64(0), SQ64(64), SQ64(128), SQ64(192)};
#define SEQ_MIN (3 * UNWRAP_CODES_MIN - 1)

/* Sequences of escapes and character codes: at a backslash, or a digit that begins a word. */
static int seqs(const uint8_t *t, size_t n, struct buf *out)
{
    int count = 0, rc = 0;
    for (size_t i = 0; i < n; i++) {
        /* a sequence is at least SEQ_MIN long: one starting in i..i+SEQ_MIN-1 holds the last
         * of them, which then must be a character sequences are made of */
        while (i + SEQ_MIN - 1 < n && !seq_tab[t[i + SEQ_MIN - 1]])
            i += SEQ_MIN;
        if (i >= n)
            break;
        uint8_t c = t[i];
        if (c != '\\' && ((unsigned)(c - '0') > 9 || (i > 0 && (cls(t[i - 1]) & C_B64))))
            continue;
        size_t e = try_seq(t, n, i, out, &rc);
        if (rc < 0)
            return rc;
        if (e != 0) {
            count++;
            i = e - 1;
        }
    }
    return count;
}

/*
 * Base64, base32 or hex written in groups with a space, tab or line break between them
 * ("d0o4 clh0 VXE5"):
 * four or more groups of the same width (a multiple of 4 up to 16), and the group after them
 * when it is no wider (the last), joined and decoded like a run. Found from the separators
 * alone (one table lookup a byte); only a streak of equal widths is looked at further.
 */
#define GROUPS_MIN 4

/* t[s..e): groups separated by one space or tab each; joined into tmp and decoded, when every
 * group is made of base64 characters and not all of them of binary digits (seqs reads those). */
static bool wrap_punct(uint8_t c);

static int one_group_run(const uint8_t *t, size_t s, size_t e, struct buf *tmp, struct buf *out)
{
    /* punctuation the sentence puts around the groups is not theirs */
    while (e > s && wrap_punct(t[e - 1]) && t[e - 1] != '=')
        e--;
    while (s < e && wrap_punct(t[s]))
        s++;
    buf_reset(tmp);
    bool bits = true, digit = false, upper = false, hex = true;
    for (size_t i = s; i < e; i++) {
        if (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r' ||
            (t[i] == '=' && i + 3 > e))
            continue; /* separators, padding */
        uint8_t c = cls(t[i]);
        if (!(c & C_B64))
            return 0;
        bits = bits && (t[i] == '0' || t[i] == '1');
        digit = digit || (t[i] >= '0' && t[i] <= '9');
        upper = upper || (t[i] >= 'A' && t[i] <= 'Z');
        hex = hex && (c & C_HEX);
        if (buf_putc(tmp, (char)t[i]) < 0)
            return -ENOMEM;
    }
    /* encoded data has digits, and capitals unless it is hex: not words ("over lazy 2024") */
    if (bits || !digit || !(upper || hex) || tmp->len < UNWRAP_B64_MIN)
        return 0;
    return one_run((const uint8_t *)tmp->data, 0, tmp->len, false, out);
}

struct groups {
    size_t tok, width, streak, from;
    int count;
};

/* Punctuation a sentence wraps a value in: "(Wng5 ... SGMx).", "key: 'Wng5 ... SGMx'". */
static bool wrap_punct(uint8_t c)
{
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == '[' ||
           c == ']' || c == '{' || c == '}' || c == '"' || c == '\'' || c == '`' || c == '<' ||
           c == '>' || c == '!' || c == '?' || c == '=';
}

/* The first group of a streak may follow punctuation glued to it ("(Wng5", "k=Wng5"): the
 * token before `from`, when it is that and a group of `width` characters, starts the run. */
static size_t extend_back(const uint8_t *t, size_t from, size_t width)
{
    if (from < 2)
        return from;
    size_t e = from - 1, b = e; /* t[e] is the separator before the streak */
    while (b > 0 && t[b - 1] != ' ' && t[b - 1] != '\t' && t[b - 1] != '\n' && e - b < 64)
        b--;
    if (e - b <= width)
        return from;
    size_t core = e - width;
    for (size_t k = core; k < e; k++)
        if (!(cls(t[k]) & C_B64))
            return from;
    return wrap_punct(t[core - 1]) ? core : from;
}

/* The token t[tok..i) that ends a streak of `width`: how much of it is a last group, once
 * the punctuation after it is left out ("SGMx." "SGMx)" "SGMx',"); 0 when none is. */
static size_t last_group(const uint8_t *t, size_t tok, size_t i, size_t width)
{
    size_t e = i;
    while (e > tok && wrap_punct(t[e - 1]) && t[e - 1] != '=')
        e--;
    return e > tok && e - tok <= width ? e - tok : 0;
}

/* The separator at t[i] (or the end, i == n) ends the token t[g->tok..i). */
static int group_sep(struct groups *g, const uint8_t *t, size_t n, size_t i, struct buf *tmp,
                     struct buf *out)
{
    /* a line break separates groups too ("d0o4\r\nclh0\r\nVXE5" as one value, or one group
     * per string of a params view: the same value split over array elements); the text ends */
    bool end = i == n;
    size_t w = i - g->tok;
    if (i < n && t[i] == '\n' && w > 0 && t[i - 1] == '\r')
        w--;
    int rc;
    if (w == 0 && !end) { /* separators in a row ("\n  ", a blank line): one separator */
        g->tok = i + 1;
        return 0;
    }
    if (g->streak > 0 && w == g->width) {
        g->streak++;
    } else {
        /* the streak ends; the token that ends it is its last group when no wider (and
         * when that does not decode, text after the groups: without it) */
        size_t from = g->streak > 0 ? extend_back(t, g->from, g->width) : g->from;
        size_t lw = g->streak == 0      ? 0
                    : w > 0 && w < g->width ? w
                                            : last_group(t, g->tok, i, g->width);
        /* (a first and a last group glued to punctuation count towards the streak) */
        if (g->streak + (from != g->from) + (lw > 0 && w >= g->width) >= GROUPS_MIN) {
            rc = one_group_run(t, from, lw > 0 ? g->tok + lw : g->tok - 1, tmp, out);
            if (rc == 0 && lw > 0)
                rc = one_group_run(t, from, g->tok - 1, tmp, out);
            /* the streak's own last token may be text after the groups (" :end"): without
             * it */
            if (rc == 0 && g->streak > GROUPS_MIN && g->tok >= from + g->width + 2)
                rc = one_group_run(t, from, g->tok - 1 - g->width, tmp, out);
            if (rc < 0)
                return rc;
            g->count += rc;
        }
        g->streak = w >= 4 && w <= 16 && w % 4 == 0 ? 1 : 0;
        g->width = w;
        g->from = g->tok;
    }
    if (end) {
        size_t from = extend_back(t, g->from, g->width);
        rc = g->streak >= GROUPS_MIN ? one_group_run(t, from, i, tmp, out) : 0;
        /* the last token may be text after the groups (" :end"): without it */
        if (rc == 0 && g->streak > GROUPS_MIN && g->tok > from + 1)
            rc = one_group_run(t, from, g->tok - 1, tmp, out);
        if (rc != 0) {
            if (rc < 0)
                return rc;
            g->count += rc;
        }
        g->streak = 0;
    }
    g->tok = i + 1;
    return 0;
}

/* The bytes of x equal to c (broadcast in every byte of cb), as their high bits. Exact. */
static inline uint64_t bytes_eq(uint64_t x, uint64_t cb)
{
    uint64_t y = x ^ cb;
    return ~(((y & 0x7f7f7f7f7f7f7f7fu) + 0x7f7f7f7f7f7f7f7fu) | y) & 0x8080808080808080u;
}

/* Spaces, tabs and line feeds among the 8 bytes at p, as 8 bits (bit k: byte k). */
static inline unsigned seps8(const uint8_t *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    uint64_t m = bytes_eq(x, 0x2020202020202020u) | bytes_eq(x, 0x0909090909090909u) |
                 bytes_eq(x, 0x0a0a0a0a0a0a0a0au);
    return (unsigned)(((m >> 7) * 0x0102040810204080u) >> 56);
}

static int groups(const uint8_t *t, size_t n, struct buf *tmp, struct buf *out)
{
    struct groups g = {0};
    /* the streak in registers: g is only written around the rare calls of group_sep */
    size_t tok = 0, width = 0, streak = 0, from = 0;
    int rc;
    for (size_t base = 0; base < n; base += 8) {
        unsigned m;
        if (base + 8 <= n) {
            m = seps8(t + base);
        } else {
            m = 0;
            for (size_t k = base; k < n; k++)
                m |= (unsigned)(t[k] == ' ' || t[k] == '\t' || t[k] == '\n') << (k - base);
        }
        for (; m != 0; m &= m - 1) {
            size_t i = base + (size_t)__builtin_ctz(m), w = i - tok;
            if (w == 0) { /* separators in a row: one separator */
                tok = i + 1;
                continue;
            }
            if (streak + 1 < GROUPS_MIN && t[i] != '\n') {
                /* no streak long enough to decode yet: the common case, kept here and free
                 * of branches on the widths (prose makes them unpredictable) */
                size_t same = (size_t)(streak > 0) & (size_t)(w == width);
                size_t valid = (size_t)(w >= 4) & (size_t)(w <= 16) & (size_t)((w & 3) == 0);
                streak = same ? streak + 1 : valid;
                from = same ? from : tok;
                width = w;
                tok = i + 1;
                continue;
            }
            g = (struct groups){tok, width, streak, from, g.count};
            if ((rc = group_sep(&g, t, n, i, tmp, out)) < 0)
                return rc;
            tok = g.tok, width = g.width, streak = g.streak, from = g.from;
        }
    }
    g = (struct groups){tok, width, streak, from, g.count};
    return (rc = group_sep(&g, t, n, n, tmp, out)) < 0 ? rc : g.count;
}

int unwrap(const char *in, size_t n, unsigned what, struct buf *out)
{
    if (n == 0)
        return 0;
    const uint8_t *t = (const uint8_t *)in;
    size_t before = out->len;
    bool lng = what & UNWRAP_LONG;
    int a = what & UNWRAP_RUNS ? runs(t, n, lng ? UNWRAP_LONG_MIN : UNWRAP_B64_MIN,
                                      lng ? UNWRAP_LONG_EDGE : 0, what & UNWRAP_TEXT, out)
                               : 0;
    int b = a >= 0 && (what & UNWRAP_PERCENT) ? pct_runs(t, n, out) : 0;
    int c = a >= 0 && b >= 0 && (what & UNWRAP_CODES) ? seqs(t, n, out) : 0;
    int d = 0;
    if (a >= 0 && b >= 0 && c >= 0 && (what & UNWRAP_CODES)) {
        struct buf tmp;
        buf_init(&tmp, n);
        d = groups(t, n, &tmp, out);
        if (tmp.data != NULL)
            explicit_bzero(tmp.data, tmp.len);
        buf_cleanup(&tmp);
    }
    if (a < 0 || b < 0 || c < 0 || d < 0) {
        out->len = before;
        return -ENOMEM;
    }
    return a + b + c + d;
}
