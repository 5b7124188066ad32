/*
 * term.c - text from others made safe for a terminal: controls, bidi and invisible format
 * characters and invalid UTF-8 become '?' (term.h). Used wherever sentinel prints what a
 * peer, a reply or a token said; it must never let a byte through that moves the cursor,
 * changes colours or reverses the order of what follows.
 */
#include "base/term.h"

#include <string.h>

bool term_unsafe(uint32_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) ||        /* C0, DEL, C1 */
           c == 0xAD || c == 0x61C ||                     /* soft hyphen, arabic letter mark */
           c == 0x180E || (c >= 0x200B && c <= 0x200F) || /* zero widths, LRM, RLM */
           (c >= 0x2028 && c <= 0x202E) ||                /* separators, embeddings, overrides */
           (c >= 0x2060 && c <= 0x206F) ||                /* joiners, isolates, deprecated */
           c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB) || (c >= 0xE0000 && c <= 0xE0FFF) ||
           c == 0x34F || c == 0x115F || c == 0x1160 || c == 0x2800 || /* grapheme joiner, fillers */
           c == 0x3164 || c == 0xFFA0 || (c >= 0xFE00 && c <= 0xFE0F) || /* variation selectors */
           (c >= 0x1D173 && c <= 0x1D17A);                             /* musical format controls */
}

/* The UTF-8 sequence at s[0..n): its length, 0 when it is not valid (overlong, surrogate,
 * beyond U+10FFFF, cut short). */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len;
    uint32_t c, min;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    } else if ((s[0] & 0xE0) == 0xC0) {
        len = 2, c = s[0] & 0x1F, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3, c = s[0] & 0x0F, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4, c = s[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* The next piece of s[0..n): a safe character (ok) or one byte or character to replace. */
static size_t next_piece(const char *s, size_t n, bool *ok)
{
    uint32_t cp;
    size_t len = utf8_seq((const unsigned char *)s, n, &cp);
    *ok = len > 0 && !term_unsafe(cp);
    return len > 0 ? len : 1;
}

size_t utf8_find_invalid(const char *s, size_t n)
{
    for (size_t at = 0; at < n;) {
        if ((unsigned char)s[at] < 0x80) {
            at++;
            continue;
        }
        uint32_t cp;
        size_t k = utf8_seq((const unsigned char *)s + at, n - at, &cp);
        if (k == 0)
            return at;
        at += k;
    }
    return n;
}

size_t term_find_unsafe(const char *s, size_t n, uint32_t *cp)
{
    for (size_t at = 0; at < n;) {
        bool ok;
        size_t k = next_piece(s + at, n - at, &ok);
        if (!ok) {
            if (utf8_seq((const unsigned char *)s + at, n - at, cp) == 0)
                *cp = UINT32_MAX;
            return at;
        }
        at += k;
    }
    return n;
}

bool term_safe(const char *s, size_t n)
{
    uint32_t cp;
    return term_find_unsafe(s, n, &cp) == n;
}

void term_put(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        bool ok;
        size_t len = next_piece(s + i, n - i, &ok);
        if (ok)
            fwrite(s + i, 1, len, f);
        else
            fputc('?', f);
        i += len;
    }
}

char *term_clean(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        bool ok;
        size_t len = next_piece(s + i, n - i, &ok);
        size_t w = ok ? len : 1;
        if (o + w >= cap)
            break;
        if (ok)
            memcpy(out + o, s + i, len);
        else
            out[o] = '?';
        o += w;
        i += len;
    }
    out[o] = '\0';
    return out;
}
