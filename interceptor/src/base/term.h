/*
 * term.h - text from others made safe to show on a terminal or in a log line.
 *
 * A reply, a token's claims or a server's name can carry bytes that drive a terminal
 * (escape sequences, C1 controls such as U+009B CSI) or reorder what is shown (bidi
 * overrides). These functions replace every such character with '?' and leave the rest,
 * printable ASCII and valid UTF-8, as it is. libc only.
 */
#ifndef SENTINEL_BASE_TERM_H
#define SENTINEL_BASE_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Is code point cp unsafe to show: C0 and C1 controls, DEL, bidirectional controls,
 * zero widths, line and paragraph separators, other invisible format characters? */
bool term_unsafe(uint32_t cp);

/* Is s[0..n) valid UTF-8 without an unsafe character (nothing term_put would replace)? */
bool term_safe(const char *s, size_t n);

/* The offset of the first piece of s[0..n) that term_put would replace, or n when there is
 * none; *cp is its code point, or UINT32_MAX when the bytes there are not valid UTF-8. */
size_t term_find_unsafe(const char *s, size_t n, uint32_t *cp);

/* The offset of the first byte of s[0..n) that is not part of valid UTF-8 (overlong,
 * surrogate, beyond U+10FFFF, cut short), or n. */
size_t utf8_find_invalid(const char *s, size_t n);

/* Write s[0..n) to f with every unsafe character, and every byte that is not part of valid
 * UTF-8, replaced by '?'. */
void term_put(FILE *f, const char *s, size_t n);

/* The same into out[0..cap) (cap > 0), NUL-terminated, cut at a character boundary when it
 * does not fit. Returns out. */
char *term_clean(const char *s, size_t n, char *out, size_t cap);

#endif
