/*
 * tracked_dec.h - the encoded runs of a text that tracked values are looked for in: hex runs,
 * line-wrapped base64 (joined), and percent/form-encoded runs (decoded into a locked buffer).
 * Contiguous base64 needs nothing from here: values are matched in its characters directly
 * (tracked_enc.h). Internal to tracked*.c (and unwrap.c, for the run finders); pure (no
 * libuv), allocates only in dec_init.
 *
 * What is handed out (min_len is the tracker's shortest value, 8 by default):
 *   hex      maximal runs of [0-9A-Fa-f] of at least 2 min_len characters (text offsets).
 *   wrapped  line-wrapped base64 inside runs of [A-Za-z0-9+/_-] of at least ceil(4 min_len / 3)
 *            characters: a run whose length is a multiple of 4 (at least 16) followed by a line
 *            break (LF, CRLF, or their JSON escapes \n, \r\n) and more lines of the same width
 *            (the last one may be shorter) is joined, without its breaks, into a stage buffer,
 *            in windows of DEC_WINDOW characters overlapping by the longest encoded value.
 *   url      runs of [A-Za-z0-9._~!*'()+%-] that hold a '%' or a '+': %XX is a byte, '+' a
 *            space; decoded once if that changed anything, in windows of DEC_WINDOW characters
 *            overlapping by the longest encoded value, in chunks of at most dec->cap bytes.
 * Not handled: JSON \uXXXX escapes (a value is also registered JSON-escaped), other alphabets,
 * nested encodings (base64 of hex, ...), base64 wrapped at widths that are not a multiple of 4.
 *
 * Work is bounded and linear: runs are found with 64-byte bit masks (SSE2 where available).
 */
#ifndef SENTINEL_SCAN_TRACKED_DEC_H
#define SENTINEL_SCAN_TRACKED_DEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEC_WINDOW (128u << 10) /* characters decoded or staged at once from one run */
#define DEC_SEGS 8192           /* decodings per flush */

/* One decoding: dec_len bytes at dec_off in the buffer, from the text at src_off. */
struct dec_seg {
    uint32_t dec_off, dec_len;
    uint32_t src_off, src_len; /* the characters decoded */
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
    uint64_t decoded;       /* bytes decoded by the last dec_scan */
    size_t long_b64[64][2]; /* base64 runs of PLUS_IN_B64_MAX or more, in order (pct_pass) */
    size_t nlong_b64;
};

/* What dec_scan hands out; each returns 0 to go on or a negative code to stop the scan. */
struct dec_ops {
    /* a hex run text[s..e) */
    int (*hex_run)(void *ctx, size_t s, size_t e);
    /* joined wrapped base64: stage[0..n) (writable until the call returns), from the text span
     * [src_off, src_off + src_len) */
    int (*stage)(void *ctx, uint8_t *stage, size_t n, size_t src_off, size_t src_len);
    /* decoded url runs: d->buf[0..d->used) described by d->segs[0..d->nsegs) */
    int (*flush)(void *ctx, const struct dec *d);
};

int dec_init(struct dec *d, size_t min_len, size_t max_len);
void dec_cleanup(struct dec *d);

/* Find every hex run, wrapped base64 run and url run of text[0..len) and hand them to ops.
 * Wipes the buffers before returning. 0 or the first negative code of a callback. */
int dec_scan(struct dec *d, const uint8_t *text, size_t len, const struct dec_ops *ops, void *ctx);

/* The next run of at least minrun characters of [0-9A-Fa-f] in t[pos..len): its start in *s,
 * its end returned; len (and *s = len) when there is none. */
size_t dec_hex_run(const uint8_t *t, size_t len, size_t pos, size_t minrun, size_t *s);
/* The same for runs of [A-Za-z0-9+/_-] (scan/unwrap.c). */
size_t dec_b64_run(const uint8_t *t, size_t len, size_t pos, size_t minrun, size_t *s);
/* c is one of [A-Za-z0-9+/_-]. */
bool dec_is_b64(uint8_t c);

/* Where a match at buf[off..off+len) of a url decoding came from. */
struct dec_hit {
    uint8_t variant; /* url or url-form (the span has a '+') */
    size_t off, len; /* span in the text: the characters that decode to the match */
};

/* false when the match straddles two decodings (then it is no match). */
bool dec_map(const struct dec *d, const uint8_t *text, size_t off, size_t len, struct dec_hit *out);

#endif
