/*
 * tracked_dec.h - candidate encoded runs of a text (base64 and base64url, hex, percent and form
 * encoding), decoded into a locked buffer so that tracked values are matched in their raw form
 * only. Internal to tracked*.c; pure (no Vectorscan, no libuv), allocates only in dec_init.
 *
 * What is decoded (min_len is the tracker's shortest value, 8 by default):
 *   base64   maximal runs of [A-Za-z0-9+/_-] (the two alphabets together) of at least
 *            ceil(4 min_len / 3) characters, each decoded from its characters 0, 1, 2 and 3,
 *            so that whatever precedes the stream in the run (a 1-3 character prefix, the end of
 *            another token) one of the four decodings has the stream's block boundary; '='
 *            ends a run. Line-wrapped base64 is joined: a run whose length is a multiple of 4
 *            (at least 16) followed by a line break (LF, CRLF, or their JSON escapes \n, \r\n)
 *            and more lines of the same width (the last one may be shorter) is one run.
 *   hex      runs of [0-9A-Fa-f] of at least 2 min_len characters, decoded from characters 0
 *            and 1.
 *   url      runs of [A-Za-z0-9._~!*'()+%-] that hold a '%' or a '+': %XX is a byte, '+' a
 *            space; decoded once if that changed anything.
 * Not decoded: JSON \uXXXX escapes (a value is also registered JSON-escaped), other alphabets,
 * nested encodings (base64 of hex, ...), base64 wrapped at widths that are not a multiple of 4.
 * A value split over two runs (two separate base64 strings) is not found: each run decodes on
 * its own and a match must lie inside one decoding.
 *
 * Work is bounded and linear: the runs are found with 64-byte bit masks; a run longer than
 * DEC_WINDOW characters is decoded in windows that overlap by the longest encoded value, so the
 * bytes decoded are at most about 3.1x the base64 characters (four offsets), 1x the hex ones and
 * 1x the url ones (at most about 5x the text, 6x with max_len 16384), in chunks of at most
 * dec_buf_cap bytes handed to the flush callback.
 */
#ifndef SENTINEL_SCAN_TRACKED_DEC_H
#define SENTINEL_SCAN_TRACKED_DEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEC_WINDOW (128u << 10) /* characters decoded at once from one run */
#define DEC_SEGS 8192           /* decodings per flush */

/* One decoding: dec_len bytes at dec_off in the buffer, from the text at src_off. */
struct dec_seg {
    uint32_t dec_off, dec_len;
    uint32_t src_off, src_len; /* the characters decoded (exact), or the span they came from */
    uint8_t kind;              /* TRACKED_BASE64, TRACKED_HEX or TRACKED_URL */
    bool exact;                /* characters contiguous from src_off: spans map exactly */
};

struct dec {
    size_t min_len, max_len;
    uint8_t *buf; /* sodium: decoded bytes */
    size_t cap, used, high;
    uint8_t *stage; /* sodium: a line-wrapped run without its line breaks */
    size_t nstage, stage_high;
    uint32_t *line_stage, *line_src; /* staged lines: first character, and where it was */
    size_t nlines;
    struct dec_seg *segs;
    size_t nsegs;
    uint64_t decoded; /* bytes decoded by the last dec_scan */
    uint32_t b64[4][256];
    uint8_t val[256], hex[256];
};

/* A chunk is ready: d->buf[0..d->used) described by d->segs[0..d->nsegs). Return 0 to go on, a
 * negative code to stop dec_scan with it. */
typedef int (*dec_flush_cb)(void *ctx, const struct dec *d);

int dec_init(struct dec *d, size_t min_len, size_t max_len);
void dec_cleanup(struct dec *d);

/* Find and decode every candidate run of text[0..len), calling flush for each full chunk and
 * the last one. Wipes the buffer before returning. 0 or the callback's code. */
int dec_scan(struct dec *d, const uint8_t *text, size_t len, dec_flush_cb flush, void *ctx);

/* The next run of base64-class characters ([A-Za-z0-9+/_-]) of at least minrun characters in
 * t[pos..len): its start in *s, its end returned; len (and *s = len) when there is none. */
size_t dec_b64_run(const uint8_t *t, size_t len, size_t pos, size_t minrun, size_t *s);
bool dec_is_b64(uint8_t c);

/* Where a match at buf[off..off+len) came from. */
struct dec_hit {
    uint8_t variant; /* base64 or base64url (by the characters of the span), hex, url or
                        url-form (the span has a '+') */
    uint8_t align;   /* base64: the value's offset mod 3 in the decoded stream */
    size_t off, len; /* span in the text: the characters that decode to the match (base64: with
                        those it shares with its neighbours); the whole window when line-wrapped */
};

/* false when the match straddles two decodings (then it is no match). */
bool dec_map(const struct dec *d, const uint8_t *text, size_t off, size_t len, struct dec_hit *out);

#endif
