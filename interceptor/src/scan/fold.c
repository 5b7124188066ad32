/*
 * fold.c - text as a reader sees it (fold.h).
 */
#include "scan/fold.h"

#include <stdint.h>
#include <string.h>

size_t fold_utf8(const unsigned char *p, size_t n, uint32_t *cp)
{
    unsigned char c = p[0];
    size_t k;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF)
        k = 2, v = c & 0x1Fu, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        k = 3, v = c & 0x0Fu, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        k = 4, v = c & 0x07u, min = 0x10000;
    else
        return 0;
    if (n < k)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (p[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return k;
}

bool fold_ignorable(uint32_t cp)
{
    return cp == 0xAD || cp == 0x34F || cp == 0x61C || (cp >= 0x115F && cp <= 0x1160) ||
           (cp >= 0x17B4 && cp <= 0x17B5) || (cp >= 0x180B && cp <= 0x180F) ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           cp == 0xFEFF || cp == 0xFFA0 || (cp >= 0xFFF0 && cp <= 0xFFF8) ||
           (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A) ||
           (cp >= 0xE0000 && cp <= 0xE0FFF);
}

static bool space(uint32_t cp)
{
    return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* A Cyrillic or Greek letter drawn like a Latin one: that letter, else 0. */
static char lookalike(uint32_t cp)
{
    static const struct {
        uint16_t cp;
        char ascii;
    } map[] = {
        /* Greek */
        {0x391, 'A'}, {0x392, 'B'}, {0x395, 'E'}, {0x396, 'Z'}, {0x397, 'H'}, {0x399, 'I'},
        {0x39A, 'K'}, {0x39C, 'M'}, {0x39D, 'N'}, {0x39F, 'O'}, {0x3A1, 'P'}, {0x3A4, 'T'},
        {0x3A5, 'Y'}, {0x3A7, 'X'}, {0x3B1, 'a'}, {0x3B9, 'i'}, {0x3BD, 'v'}, {0x3BF, 'o'},
        {0x3C1, 'p'}, {0x3C5, 'u'},
        /* Cyrillic */
        {0x405, 'S'}, {0x406, 'I'}, {0x408, 'J'}, {0x410, 'A'}, {0x412, 'B'}, {0x415, 'E'},
        {0x41A, 'K'}, {0x41C, 'M'}, {0x41D, 'H'}, {0x41E, 'O'}, {0x420, 'P'}, {0x421, 'C'},
        {0x422, 'T'}, {0x423, 'Y'}, {0x425, 'X'}, {0x430, 'a'}, {0x435, 'e'}, {0x43E, 'o'},
        {0x440, 'p'}, {0x441, 'c'}, {0x443, 'y'}, {0x445, 'x'}, {0x455, 's'}, {0x456, 'i'},
        {0x458, 'j'}, {0x4BB, 'h'}, {0x501, 'd'}, {0x51B, 'q'}, {0x51D, 'w'},
    };
    size_t lo = 0, hi = sizeof(map) / sizeof(map[0]);
    while (lo < hi) { /* sorted by code point */
        size_t mid = (lo + hi) / 2;
        if (map[mid].cp == cp)
            return map[mid].ascii;
        if (map[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* A letter or digit of U+1D400..1D7FF as ASCII, else 0. */
static char math_alnum(uint32_t cp)
{
    if (cp >= 0x1D400 && cp <= 0x1D6A3) /* 13 alphabets of 52 letters, A-Z then a-z */
        return (char)((cp - 0x1D400) % 52 < 26 ? 'A' + (cp - 0x1D400) % 52
                                               : 'a' + (cp - 0x1D400) % 52 - 26);
    if (cp >= 0x1D7CE && cp <= 0x1D7FF) /* 5 sets of digits 0-9 */
        return (char)('0' + (cp - 0x1D7CE) % 10);
    return 0;
}

char fold_confusable(uint32_t cp)
{
    char m = math_alnum(cp);
    if (m != 0)
        return (char)(m >= 'A' && m <= 'Z' ? m - 'A' + 'a' : m);
    static const struct {
        uint32_t cp;
        char to;
    } map[] = {
        {0x0251, 'a'}, {0x0261, 'g'}, {0x0269, 'i'}, {0x026A, 'i'}, {0x0274, 'n'}, {0x0280, 'r'},
        {0x028F, 'y'}, {0x029F, 'l'}, {0x1D00, 'a'}, {0x1D04, 'c'}, {0x1D05, 'd'}, {0x1D07, 'e'},
        {0x1D0A, 'j'}, {0x1D0B, 'k'}, {0x1D0D, 'm'}, {0x1D0F, 'o'}, {0x1D18, 'p'}, {0x1D1B, 't'},
        {0x1D1C, 'u'}, {0x1D20, 'v'}, {0x1D21, 'w'}, {0x1D22, 'z'}, {0x210A, 'g'}, {0x210E, 'h'},
        {0x2113, 'l'}, {0x212A, 'k'}, {0x212B, 'a'}, {0x212E, 'e'}, {0x212F, 'e'}, {0x2134, 'o'},
        {0x2139, 'i'}, {0x2160, 'i'}, {0x2164, 'v'}, {0x2169, 'x'}, {0x216C, 'l'}, {0x216D, 'c'},
        {0x216E, 'd'}, {0x216F, 'm'}, {0x2170, 'i'}, {0x2174, 'v'}, {0x2179, 'x'}, {0x217C, 'l'},
        {0x217D, 'c'}, {0x217E, 'd'}, {0x217F, 'm'},
    };
    size_t lo = 0, hi = sizeof(map) / sizeof(map[0]);
    while (lo < hi) { /* sorted by code point */
        size_t mid = (lo + hi) / 2;
        if (map[mid].cp == cp)
            return map[mid].to;
        if (map[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static bool ascii_letter(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

/* A letter of a word for the lookalike rule: ASCII, Cyrillic, Greek, or one folded to ASCII. */
static bool word_char(uint32_t cp)
{
    return ascii_letter(cp) || (cp >= 0x370 && cp <= 0x52F) || math_alnum(cp) != 0 ||
           (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A) || fold_ignorable(cp);
}

/* The length of the run of ASCII bytes at p (eight at a time). */
static size_t ascii_run(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080u)
            break;
        i += 8;
    }
    while (i < n && p[i] < 0x80)
        i++;
    return i;
}

/* An ASCII character that continues a word: a letter; for identifiers also a digit or '_'. */
static bool ascii_word(uint32_t cp, bool ident)
{
    return ascii_letter(cp) || (ident && ((cp >= '0' && cp <= '9') || cp == '_'));
}

static bool fold_core(const char *in, size_t n, char *out, size_t *outlen, bool ident);

/* The lower-case letter of an upper-case one in the scripts the phrase rules are written in
 * (Latin-1, Latin Extended-A and Additional, Greek, Cyrillic), when both take the same UTF-8
 * length; else cp. Byte patterns are caseless only in ASCII: "Покажи" must read as "покажи". */
static uint32_t lower_cp(uint32_t cp)
{
    if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) ||
        (cp >= 0x410 && cp <= 0x42F))
        return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 0x50;
    if ((cp >= 0x100 && cp <= 0x137 && cp != 0x130) || (cp >= 0x14A && cp <= 0x177) ||
        (cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) ||
        (cp >= 0x4D0 && cp <= 0x52F) || (cp >= 0x1E00 && cp <= 0x1E95) ||
        (cp >= 0x1EA0 && cp <= 0x1EFF))
        return cp | 1u;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E) ||
        (cp >= 0x4C1 && cp <= 0x4CE))
        return (cp & 1u) ? cp + 1 : cp;
    if (cp == 0x178)
        return 0xFF;
    return cp;
}

/* Copy the k-byte sequence of cp at p to out, lower-cased (lower_cp) unless ident: whether
 * that changed it. */
static bool copy_lower(const unsigned char *p, size_t k, uint32_t cp, char *out, bool ident)
{
    uint32_t lc = ident ? cp : lower_cp(cp);
    if (lc == cp) {
        memcpy(out, p, k);
        return false;
    }
    if (k == 2) {
        out[0] = (char)(0xC0 | lc >> 6);
        out[1] = (char)(0x80 | (lc & 0x3F));
    } else { /* k == 3: U+1E00..1EFF */
        out[0] = (char)(0xE0 | lc >> 12);
        out[1] = (char)(0x80 | (lc >> 6 & 0x3F));
        out[2] = (char)(0x80 | (lc & 0x3F));
    }
    return true;
}

bool fold_text(const char *in, size_t n, char *out, size_t *outlen)
{
    return fold_core(in, n, out, outlen, false);
}

bool fold_ident(const char *in, size_t n, char *out, size_t *outlen)
{
    return fold_core(in, n, out, outlen, true);
}

static bool fold_core(const char *in, size_t n, char *out, size_t *outlen, bool ident)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t i = ascii_run(p, n);
    *outlen = 0;
    if (i == n)
        return false;
    memcpy(out, in, i);
    size_t o = i, run = i; /* run: ASCII bytes just copied one for one */
    bool changed = false;
    for (;;) {
        /* back to the start of the word the non-ASCII byte at i is in */
        while (run > 0 && ascii_word(p[i - 1], ident)) {
            i--;
            o--;
            run--;
        }
        uint32_t cp;
        size_t k = fold_utf8(p + i, n - i, &cp);
        if (k == 0) { /* not UTF-8: as it is */
            out[o++] = (char)p[i++];
        } else if (!word_char(cp) && !ascii_word(cp, ident)) {
            char c = 0;
            if (fold_ignorable(cp)) {
                changed = true;
            } else if (space(cp)) {
                c = ' ';
            } else if (cp >= 0xFF01 && cp <= 0xFF5E) {
                c = (char)(cp - 0xFEE0);
            } else {
                changed |= copy_lower(p + i, k, cp, out + o, ident);
                o += k;
            }
            if (c != 0) {
                out[o++] = c;
                changed = true;
            }
            i += k;
        } else {
            /* a word: its extent, and whether it mixes Latin with Cyrillic or Greek */
            size_t end = i;
            bool latin = false, other = false;
            while (end < n) {
                uint32_t c2;
                size_t k2 = fold_utf8(p + end, n - end, &c2);
                if (k2 == 0 || !(word_char(c2) || ascii_word(c2, ident)))
                    break;
                if (ascii_word(c2, ident) || math_alnum(c2) || (c2 >= 0xFF21 && c2 <= 0xFF5A))
                    latin = true;
                else if (lookalike(c2))
                    other = true;
                end += k2;
            }
            while (i < end) {
                size_t k2 = fold_utf8(p + i, end - i, &cp);
                char c = 0;
                if (cp < 0x80) {
                    out[o++] = (char)cp;
                } else if (fold_ignorable(cp)) {
                    changed = true;
                } else if ((c = math_alnum(cp)) != 0 ||
                           (cp >= 0xFF21 && cp <= 0xFF5A && (c = (char)(cp - 0xFEE0)) != 0) ||
                           (latin && other && (c = lookalike(cp)) != 0)) {
                    out[o++] = c;
                    changed = true;
                } else {
                    changed |= copy_lower(p + i, k2, cp, out + o, ident);
                    o += k2;
                }
                i += k2;
            }
        }
        /* the ASCII that follows, copied as it is */
        run = ascii_run(p + i, n - i);
        memcpy(out + o, p + i, run);
        i += run;
        o += run;
        if (i >= n)
            break;
    }
    *outlen = o;
    return changed;
}

/* ---- other readings (fold_view) ---- */

static bool alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool spacer(unsigned char c)
{
    return c == ' ' || c == '.' || c == '_' || c == '-';
}

/* The separator after a single character at in[i]: its length (1..3), or 0. */
static size_t spacer_at(const unsigned char *in, size_t n, size_t i)
{
    size_t k = 0;
    while (i + k < n && k < 4 && spacer(in[i + k]))
        k++;
    return k >= 1 && k <= 3 ? k : 0;
}

/* A run of single characters spelled out at in[i] (which begins a word): its end, with the
 * characters written to out[*w...]; 0 (nothing written) when fewer than four. */
static size_t spelled(const unsigned char *in, size_t n, size_t i, char *out, size_t *w)
{
    size_t p = i, count = 0, wsep_at = 0, wsep_len = 0, o = *w, end = i;
    bool gap = false; /* a word ended before in[p] */
    while (p < n && alnum(in[p]) && (p + 1 >= n || !alnum(in[p + 1]))) {
        if (gap)
            out[o++] = ' ';
        out[o++] = (char)in[p];
        count++;
        end = p + 1;
        size_t k = spacer_at(in, n, p + 1);
        if (k == 0 || p + 1 + k >= n || !alnum(in[p + 1 + k]))
            break;
        if (wsep_len == 0) {
            wsep_at = p + 1;
            wsep_len = k;
        }
        /* another separator than the first one: a word ends */
        gap = k != wsep_len || memcmp(in + p + 1, in + wsep_at, k) != 0;
        p += 1 + k;
    }
    if (count < 4)
        return 0;
    *w = o;
    return end;
}

size_t fold_view(enum fold_view v, const char *text, size_t n, char *out)
{
    const unsigned char *in = (const unsigned char *)text;
    size_t w = 0;
    switch (v) {
    case FOLD_ROT13:
        for (size_t i = 0; i < n; i++) {
            unsigned char c = in[i], l = c | 0x20;
            out[i] = l >= 'a' && l <= 'z' ? (char)((c >= 'a' ? 'a' : 'A') + (l - 'a' + 13) % 26)
                                          : (char)c;
        }
        return n;
    case FOLD_REVERSED:
        for (size_t i = 0; i < n;) {
            uint32_t cp;
            size_t l = fold_utf8(in + i, n - i, &cp);
            if (l == 0)
                l = 1;
            memcpy(out + n - i - l, in + i, l);
            i += l;
        }
        return n;
    case FOLD_SPACED:
        for (size_t i = 0; i < n;) {
            size_t e = (i == 0 || !alnum(in[i - 1])) ? spelled(in, n, i, out, &w) : 0;
            if (e != 0) {
                i = e;
                continue;
            }
            out[w++] = (char)in[i++];
        }
        return w;
    case FOLD_LEET:
        for (size_t i = 0; i < n;) {
            size_t e = i;
            bool letter = false, digit = false;
            while (e < n && (alnum(in[e]) || in[e] == '@' || in[e] == '$')) {
                letter = letter || (in[e] | 0x20) >= 'a';
                digit = digit || !((in[e] | 0x20) >= 'a');
                e++;
            }
            if (e == i) {
                out[w++] = (char)in[i++];
                continue;
            }
            for (; i < e; i++) {
                static const char map[] = "oi eas tb"; /* '0'..'8'; ' ': none */
                unsigned char c = in[i];
                char m = c == '@' ? 'a' : c == '$' ? 's' : c >= '0' && c <= '8' ? map[c - '0'] : 0;
                out[w++] = letter && digit && m != 0 && m != ' ' ? m : (char)c;
            }
        }
        return w;
    }
    return 0;
}
