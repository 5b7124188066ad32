/*
 * unwrap.h - the encoded runs of a text, decoded: what an agent told to "encode it first" makes
 * of a value that the tracker (scan/tracked.h) does not match in place. The tracker matches one
 * encoding where it stands (base64, hex, percent); proxy/guard.c scans this module's output
 * with it, and unwraps that once more, so that two and three encodings deep are found too
 * (base64 of base64, hex of base64, base64 of a percent-encoded value), as are encodings it does
 * not know at all:
 *
 *   base64   runs of [A-Za-z0-9+/_-] (either alphabet, '=' padding after) of at least 12
 *            characters that are not all hex digits, decoded from the run's first character
 *            (a trailing partial group is dropped);
 *   base32   runs of [A-Z2-7] or [a-z2-7] of at least 13 (RFC 4648; also decoded as base64
 *            when lower case, since base64 uses those characters too);
 *   hex      runs of hex digits of at least 16 (an odd last digit dropped);
 *   binary   runs of 0 and 1 of at least 64, a multiple of 8 (not with UNWRAP_TEXT): 8 bits a
 *            byte (instead of hex);
 *   percent  runs of non-space characters with a %XX or a %uXXXX (JavaScript's escape()): each
 *            %XX as its byte, each %uXXXX as UTF-8 ('+' kept);
 *   escapes  eight or more \xHH, \uHHHH or 0xHH in a row, with at most two separators between
 *            them ("\x73\x6b", "0x73, 0x6b"): the bytes, \u as UTF-8;
 *   codes    eight or more decimal character codes 32..126 of 2 or 3 digits (or binary ones of
 *            8), with one to three separators between them ("115 107 45 112", "115-107-45"):
 *            the characters. Separators: space, tab, line breaks and , ; - . : | / _
 *
 * Each decoding is appended to the output followed by '\n'. Each decoding is shorter than what
 * it decodes, but a character may be decoded twice (a lower-case base32 run is also base64; a
 * percent run holds base64 runs): the output is at most 2.5 times as long as the input. Garbage in (a long word decoded as base64) is garbage out,
 * and harmless: the output is only searched for tracked values, byte for byte. Linear; pure
 * (allocates only through the buf); any thread.
 */
#ifndef SENTINEL_SCAN_UNWRAP_H
#define SENTINEL_SCAN_UNWRAP_H

#include <stddef.h>

#include "base/buf.h"

#define UNWRAP_B64_MIN 12   /* base64 of the shortest tracked value (8 bytes) */
#define UNWRAP_B32_MIN 13   /* base32 of 8 bytes */
#define UNWRAP_HEX_MIN 16   /* hex of 8 bytes */
#define UNWRAP_CODES_MIN 8  /* character codes or escapes in a row */
#define UNWRAP_BIN_MIN 64   /* unspaced binary digits: 8 characters */

enum {
    UNWRAP_RUNS = 1,    /* base64, base32, hex */
    UNWRAP_PERCENT = 2, /* %XX */
    UNWRAP_CODES = 4,   /* escapes and character codes */
    UNWRAP_ALL = 7,
    UNWRAP_TEXT = 16, /* with RUNS: only decodings that read as text (valid UTF-8, few
                         control characters), which an instruction does and a hash, a long
                         word or random data does not */
    UNWRAP_LONG = 8, /* with RUNS: only runs of UNWRAP_LONG_MIN or more, and of a longer run
                        than 2 * UNWRAP_LONG_EDGE its first and last UNWRAP_LONG_EDGE
                        characters: what a model asked to decode it reads (for results) */
};
#define UNWRAP_LONG_MIN 24   /* base64 of 18 bytes: an instruction is longer */
#define UNWRAP_LONG_EDGE 4096

/* Appends the decodings of in[0..n) (the kinds in `what`) to out; returns how many runs were
 * decoded (0: none, and out is unchanged) or -ENOMEM. */
int unwrap(const char *in, size_t n, unsigned what, struct buf *out);

#endif
