/*
 * tracked_dec.c - finding the encoded runs of a text (tracked_dec.h): hex runs and line-wrapped
 * base64 handed to the matcher, percent and form encoding decoded. Runs are found 64 bytes at a
 * time with class bit masks (SSE2 where available) and a run-length filter, so prose costs a
 * fraction of a nanosecond per byte; only long runs are looked at.
 * Must never be quadratic in the text, never allocate per scan, never leave decoded bytes
 * (which may be secrets) in its buffers after dec_scan.
 */
#include "scan/tracked_dec.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "scan/tracked.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum cls { CLS_B64, CLS_HEX, CLS_PCT, CLS_ESC };

/* A run whose only escapes are '+' inside a long base64 run is base64, not a form: decoding it
 * would only add work. b64_pass records such runs for pct_pass. */
#define PLUS_IN_B64_MAX 512

static bool is_alnum(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static inline bool in_cls(uint8_t c, enum cls k)
{
    switch (k) {
    case CLS_B64:
        return is_alnum(c) || c == '+' || c == '/' || c == '-' || c == '_';
    case CLS_HEX:
        return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
    case CLS_PCT:
        return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '!' ||
               c == '*' || c == '\'' || c == '(' || c == ')' || c == '+' || c == '%';
    case CLS_ESC:
        return c == '%' || c == '+';
    }
    return false;
}

#ifdef __SSE2__
static inline __attribute__((always_inline)) __m128i in_range(__m128i v, uint8_t lo, uint8_t hi)
{
    __m128i t = _mm_sub_epi8(v, _mm_set1_epi8((char)lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8((char)(hi - lo))), t);
}

static inline __attribute__((always_inline)) __m128i eq(__m128i v, char c)
{
    return _mm_cmpeq_epi8(v, _mm_set1_epi8(c));
}

static inline __attribute__((always_inline)) unsigned mask16(const uint8_t *p, enum cls k)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p), m;
    __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
    switch (k) {
    case CLS_B64:
        m = _mm_or_si128(in_range(lower, 'a', 'z'), in_range(v, '0', '9'));
        m = _mm_or_si128(m, _mm_or_si128(eq(v, '+'), eq(v, '/')));
        m = _mm_or_si128(m, _mm_or_si128(eq(v, '-'), eq(v, '_')));
        break;
    case CLS_HEX:
        m = _mm_or_si128(in_range(lower, 'a', 'f'), in_range(v, '0', '9'));
        break;
    case CLS_PCT:
        m = _mm_or_si128(in_range(lower, 'a', 'z'), in_range(v, '0', '9'));
        m = _mm_or_si128(m, in_range(v, '\'', '+')); /* ' ( ) * + */
        m = _mm_or_si128(m, in_range(v, '-', '.'));
        m = _mm_or_si128(m, _mm_or_si128(eq(v, '_'), eq(v, '~')));
        m = _mm_or_si128(m, _mm_or_si128(eq(v, '!'), eq(v, '%')));
        break;
    default:
        m = _mm_or_si128(eq(v, '%'), eq(v, '+'));
        break;
    }
    return (unsigned)_mm_movemask_epi8(m);
}
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define DEC_AVX2 1
/*
 * With AVX2, 32 characters are classified at once by two table lookups on their nibbles (the
 * simdjson technique): bit b of lut_lo[c & 15] & lut_hi[c >> 4] is set when c is in piece b of
 * a class. Pieces: 0 "+-/", 1 digits, 2 A-O a-o, 3 P-Z p-z, 4 '_', 5 A-F a-f, 6 "%+".
 * Base64 is pieces 0-4, hex 1 and 5, the escapes 6 (the url class stays on the SSE2 path).
 */
static bool dec_avx2;

__attribute__((target("avx2"))) static uint64_t mask64_avx2(const uint8_t *p, enum cls k)
{
    const __m256i lut_lo =
        _mm256_setr_epi8(10, 46, 46, 46, 46, 110, 46, 14, 14, 14, 12, 69, 4, 5, 4, 21, 10, 46, 46,
                         46, 46, 110, 46, 14, 14, 14, 12, 69, 4, 5, 4, 21);
    const __m256i lut_hi = _mm256_setr_epi8(0, 0, 65, 2, 36, 24, 36, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                            0, 65, 2, 36, 24, 36, 8, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i nib = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256();
    const __m256i sel = _mm256_set1_epi8(k == CLS_B64 ? 0x1f : k == CLS_HEX ? 0x22 : 0x40);
    uint64_t m = 0;
    for (unsigned i = 0; i < 2; i++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * i));
        __m256i lo = _mm256_and_si256(v, nib);
        __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), nib);
        __m256i c =
            _mm256_and_si256(_mm256_shuffle_epi8(lut_lo, lo), _mm256_shuffle_epi8(lut_hi, hi));
        __m256i none = _mm256_cmpeq_epi8(_mm256_and_si256(c, sel), zero);
        m |= (uint64_t)(uint32_t)~_mm256_movemask_epi8(none) << (32 * i);
    }
    return m;
}
#endif

#ifdef DEC_AVX2
/* Base64 and hex masks of 64 characters from one classification. */
__attribute__((target("avx2"))) static void mask64x2_avx2(const uint8_t *p, uint64_t *b64,
                                                          uint64_t *hex)
{
    const __m256i lut_lo =
        _mm256_setr_epi8(10, 46, 46, 46, 46, 110, 46, 14, 14, 14, 12, 69, 4, 5, 4, 21, 10, 46, 46,
                         46, 46, 110, 46, 14, 14, 14, 12, 69, 4, 5, 4, 21);
    const __m256i lut_hi = _mm256_setr_epi8(0, 0, 65, 2, 36, 24, 36, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                            0, 65, 2, 36, 24, 36, 8, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i nib = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256();
    const __m256i sb = _mm256_set1_epi8(0x1f), sh = _mm256_set1_epi8(0x22);
    uint64_t mb = 0, mh = 0;
    for (unsigned i = 0; i < 2; i++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * i));
        __m256i lo = _mm256_and_si256(v, nib);
        __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), nib);
        __m256i c =
            _mm256_and_si256(_mm256_shuffle_epi8(lut_lo, lo), _mm256_shuffle_epi8(lut_hi, hi));
        __m256i nb = _mm256_cmpeq_epi8(_mm256_and_si256(c, sb), zero);
        __m256i nh = _mm256_cmpeq_epi8(_mm256_and_si256(c, sh), zero);
        mb |= (uint64_t)(uint32_t)~_mm256_movemask_epi8(nb) << (32 * i);
        mh |= (uint64_t)(uint32_t)~_mm256_movemask_epi8(nh) << (32 * i);
    }
    *b64 = mb;
    *hex = mh;
}
#endif

/* Bit i: text[at + i] is in the class (0 past len). Inlined so that the class folds. */
static inline __attribute__((always_inline)) uint64_t block_mask(const uint8_t *t, size_t len,
                                                                 size_t at, enum cls k)
{
    if (at >= len)
        return 0;
    uint64_t m = 0;
#ifdef __SSE2__
    const uint8_t *p = t + at;
    uint8_t tail[64];
    if (len - at < 64) { /* the last bytes, padded with a byte of no class */
        memset(tail, 0, sizeof(tail));
        memcpy(tail, p, len - at);
        p = tail;
    }
#ifdef DEC_AVX2
    if (k != CLS_PCT && dec_avx2)
        return mask64_avx2(p, k);
#endif
    for (unsigned i = 0; i < 4; i++)
        m |= (uint64_t)mask16(p + 16 * i, k) << (16 * i);
#else
    size_t n = len - at < 64 ? len - at : 64;
    for (size_t i = 0; i < n; i++)
        m |= (uint64_t)in_cls(t[at + i], k) << i;
#endif
    return m;
}

static void block_masks2(const uint8_t *t, size_t len, size_t at, uint64_t *b64, uint64_t *hex)
{
#ifdef DEC_AVX2
    if (dec_avx2 && at < len) {
        uint8_t tail[64];
        const uint8_t *p = t + at;
        if (len - at < 64) {
            memset(tail, 0, sizeof(tail));
            memcpy(tail, p, len - at);
            p = tail;
        }
        mask64x2_avx2(p, b64, hex);
        return;
    }
#endif
    *b64 = block_mask(t, len, at, CLS_B64);
    *hex = block_mask(t, len, at, CLS_HEX);
}

/* Bit i: bits i .. i+k-1 of lo:hi (128 bits) are all set (1 <= k <= 64). */
static uint64_t runs_ge(uint64_t lo, uint64_t hi, unsigned k)
{
    unsigned __int128 r = (unsigned __int128)hi << 64 | lo;
    for (unsigned have = 1; have < k;) {
        unsigned s = have <= k - have ? have : k - have;
        r &= r >> s;
        have += s;
    }
    return (uint64_t)r;
}

/* The first j >= pos that starts k characters of the class, or len. */
static inline __attribute__((always_inline)) size_t find_run(const uint8_t *t, size_t len,
                                                             size_t pos, enum cls c, size_t k)
{
    unsigned kk = k > 64 ? 64 : (unsigned)k;
    uint64_t m0 = block_mask(t, len, pos, c);
    for (size_t at = pos; at < len; at += 64) {
        uint64_t m1 = block_mask(t, len, at + 64, c);
        uint64_t r = runs_ge(m0, m1, kk);
        if (r)
            return at + (size_t)__builtin_ctzll(r);
        m0 = m1;
    }
    return len;
}

/* The first index >= j not in the class. */
static inline __attribute__((always_inline)) size_t run_end(const uint8_t *t, size_t len, size_t j,
                                                            enum cls c)
{
    for (size_t at = j; at < len; at += 64) {
        uint64_t inv = ~block_mask(t, len, at, c);
        if (inv)
            return at + (size_t)__builtin_ctzll(inv);
    }
    return len;
}

/* The first '%' or '+' at or after pos, or len. */
static size_t find_esc(const uint8_t *t, size_t len, size_t pos)
{
    for (size_t at = pos; at < len; at += 64) {
        uint64_t m = block_mask(t, len, at, CLS_ESC);
        if (m)
            return at + (size_t)__builtin_ctzll(m);
    }
    return len;
}

static inline __attribute__((always_inline)) size_t
next_run(const uint8_t *t, size_t len, size_t pos, size_t minrun, size_t *s, enum cls c)
{
    /* A run of minrun characters holds minrun / 64 - 1 whole aligned 64-byte blocks: probing
     * one block in that many finds it (prose costs one block mask per probe). */
    size_t every = minrun / 64 > 1 ? minrun / 64 - 1 : 0;
    while (every && pos < len) {
        size_t i = (pos + 63) / 64;
        i = (i + every - 1) / every * every;
        size_t at = 64 * i;
        while (at + 64 <= len && ~block_mask(t, len, at, c) != 0)
            at += 64 * every;
        if (at + 64 > len)
            break;
        size_t j = at;
        while (j > pos && in_cls(t[j - 1], c))
            j--;
        size_t e = run_end(t, len, at, c);
        if (e - j >= minrun) {
            *s = j;
            return e;
        }
        pos = e;
    }
    while (!every && pos < len) {
        size_t j = find_run(t, len, pos, c, minrun);
        if (j >= len)
            break;
        size_t e = run_end(t, len, j, c);
        if (e - j >= minrun) {
            *s = j;
            return e;
        }
        pos = e;
    }
    *s = len;
    return len;
}

size_t dec_hex_run(const uint8_t *t, size_t len, size_t pos, size_t minrun, size_t *s)
{
    return next_run(t, len, pos, minrun, s, CLS_HEX);
}

size_t dec_b64_run(const uint8_t *t, size_t len, size_t pos, size_t minrun, size_t *s)
{
    return next_run(t, len, pos, minrun, s, CLS_B64);
}

bool dec_is_b64(uint8_t c)
{
    return in_cls(c, CLS_B64);
}

/* ---- lifecycle ---- */

static uint8_t hexval(uint8_t c)
{
    return c <= '9' ? (uint8_t)(c - '0') : (uint8_t)((c | 0x20) - 'a' + 10);
}

int dec_init(struct dec *d, size_t min_len, size_t max_len)
{
#ifdef DEC_AVX2
    dec_avx2 = __builtin_cpu_supports("avx2");
#endif
    memset(d, 0, sizeof(*d));
    d->min_len = min_len;
    d->max_len = max_len;
    d->cap = 2 * DEC_WINDOW + 64;
    d->buf = sodium_malloc(d->cap + 16);
    d->stage = sodium_malloc(DEC_WINDOW);
    /* lines are at least 16 characters but the last; one more after a window moved on */
    d->line_stage = malloc((DEC_WINDOW / 16 + 8) * sizeof(uint32_t));
    d->line_src = malloc((DEC_WINDOW / 16 + 8) * sizeof(uint32_t));
    d->segs = malloc(DEC_SEGS * sizeof(*d->segs));
    if (!d->buf || !d->stage || !d->line_stage || !d->line_src || !d->segs) {
        dec_cleanup(d);
        return -ENOMEM;
    }
    return 0;
}

void dec_cleanup(struct dec *d)
{
    sodium_free(d->buf);
    sodium_free(d->stage);
    free(d->line_stage);
    free(d->line_src);
    free(d->segs);
    memset(d, 0, sizeof(*d));
}

/* ---- percent decoding ---- */

/* One %XX, '+' or literal character at c[p] (p < end): its byte, and how many characters. */
static unsigned pct_unit(const uint8_t *c, size_t p, size_t end, uint8_t *byte)
{
    if (c[p] == '%' && p + 2 < end && in_cls(c[p + 1], CLS_HEX) && in_cls(c[p + 2], CLS_HEX)) {
        *byte = (uint8_t)(hexval(c[p + 1]) << 4 | hexval(c[p + 2]));
        return 3;
    }
    *byte = c[p] == '+' ? ' ' : c[p];
    return 1;
}

/* ---- chunks ---- */

struct run_ctx {
    struct dec *d;
    const uint8_t *text;
    size_t len;
    const struct dec_ops *ops;
    void *ctx;
    int err;
};

static void flush(struct run_ctx *r)
{
    struct dec *d = r->d;
    if (d->nsegs && r->err == 0)
        r->err = r->ops->flush(r->ctx, d);
    if (d->used > d->high)
        d->high = d->used;
    d->used = 0;
    d->nsegs = 0;
}

/* Room for `need` more bytes and `segs` more decodings. */
static void room(struct run_ctx *r, size_t need, size_t segs)
{
    if (r->d->used + need > r->d->cap || r->d->nsegs + segs > DEC_SEGS)
        flush(r);
}

static void add_seg(struct dec *d, size_t n, size_t src_off, size_t src_len)
{
    d->segs[d->nsegs++] = (struct dec_seg){.dec_off = (uint32_t)d->used,
                                           .dec_len = (uint32_t)n,
                                           .src_off = (uint32_t)src_off,
                                           .src_len = (uint32_t)src_len};
    d->used += n;
    d->decoded += n;
}

static size_t b64_min_chars(const struct dec *d)
{
    return (4 * d->min_len + 2) / 3;
}

static size_t b64_overlap(const struct dec *d)
{
    return 4 * ((d->max_len + 2) / 3 + 1); /* the characters of any value, at any offset */
}

/* Hex runs inside text[s..e). */
static void hex_runs(struct run_ctx *r, size_t s, size_t e)
{
    size_t minrun = 2 * r->d->min_len;
    for (size_t pos = s; pos + minrun <= e && r->err == 0;) {
        size_t j = find_run(r->text, e, pos, CLS_HEX, minrun);
        if (j >= e)
            break;
        size_t end = run_end(r->text, e, j, CLS_HEX);
        if (end - j >= minrun)
            r->err = r->ops->hex_run(r->ctx, j, end);
        pos = end;
    }
}

/* ---- line-wrapped base64 ---- */

/* The length of a line break at text[p] (LF, CRLF, \n, \r\n as JSON escapes), or 0. */
static size_t line_break(const uint8_t *t, size_t len, size_t p)
{
    if (p < len && t[p] == '\n')
        return 1;
    if (p + 1 < len && t[p] == '\r' && t[p + 1] == '\n')
        return 2;
    if (p + 1 < len && t[p] == '\\' && t[p + 1] == 'n')
        return 2;
    if (p + 3 < len && memcmp(t + p, "\\r\\n", 4) == 0)
        return 4;
    return 0;
}

/* The staged characters as one window; the span from the first staged line's source to the
 * end of the last character. */
static void stage_emit(struct run_ctx *r, size_t end_src)
{
    struct dec *d = r->d;
    if (d->nstage == 0)
        return;
    size_t lo = d->line_src[0];
    if (r->err == 0 && d->nstage >= b64_min_chars(d))
        r->err = r->ops->stage(r->ctx, d->stage, d->nstage, lo, end_src - lo);
}

/* Append text[a..b) to the stage, emitting full windows (which keep their overlap). */
static void stage_line(struct run_ctx *r, size_t a, size_t b)
{
    struct dec *d = r->d;
    while (a < b) {
        size_t n = b - a, room_left = DEC_WINDOW - d->nstage;
        if (n > room_left)
            n = room_left;
        d->line_stage[d->nlines] = (uint32_t)d->nstage;
        d->line_src[d->nlines++] = (uint32_t)a;
        memcpy(d->stage + d->nstage, r->text + a, n);
        d->nstage += n;
        if (d->nstage > d->stage_high)
            d->stage_high = d->nstage;
        a += n;
        if (d->nstage < DEC_WINDOW)
            continue;
        stage_emit(r, a);
        /* keep the last characters (dropping a multiple of 4) and the lines they are on */
        size_t drop = (DEC_WINDOW - b64_overlap(d)) & ~(size_t)3, first = 0;
        while (first + 1 < d->nlines && d->line_stage[first + 1] <= drop)
            first++;
        size_t src0 = d->line_src[first] + (drop - d->line_stage[first]);
        memmove(d->stage, d->stage + drop, d->nstage - drop);
        d->nstage -= drop;
        size_t nl = 0;
        d->line_stage[nl] = 0;
        d->line_src[nl++] = (uint32_t)src0;
        for (size_t i = first + 1; i < d->nlines; i++) {
            d->line_stage[nl] = d->line_stage[i] - (uint32_t)drop;
            d->line_src[nl++] = d->line_src[i];
        }
        d->nlines = nl;
    }
}

/* text[s..e) is a run of width w = e - s followed by a line break: join the lines of the same
 * width that follow (the last may be shorter). Returns where the joined run ends. */
static size_t b64_wrapped(struct run_ctx *r, size_t s, size_t e)
{
    struct dec *d = r->d;
    const uint8_t *t = r->text;
    size_t w = e - s, p = e, staged = e;
    d->nstage = d->nlines = 0;
    stage_line(r, s, e);
    for (;;) {
        size_t brk = line_break(t, r->len, p);
        if (!brk || p + brk >= r->len || !in_cls(t[p + brk], CLS_B64))
            break;
        size_t a = p + brk, b = run_end(t, r->len, a, CLS_B64);
        if (b - a > w) {
            /* another run, which the caller's loop finds; or the last line glued to what
             * follows it (the next string in the params' joined view): staged as that too */
            stage_line(r, a, a + w);
            staged = a + w;
            break;
        }
        hex_runs(r, a, b);
        stage_line(r, a, b);
        p = staged = b;
        if (b - a < w)
            break; /* the last line */
    }
    stage_emit(r, staged);
    d->nstage = d->nlines = 0;
    return p;
}

/* Runs of at least 16 characters: hex runs are at least 2 min_len >= 16 long, and a
 * line-wrapped block's first line is at least 16; shorter runs need nothing from here. */
/*
 * The end of the base64 run that starts at j, found together with its hex runs: one
 * classification per 64 characters gives both masks, and only where a run of 2 min_len hex
 * characters starts (the first such run of a hex run is at its start) does hex_runs take over
 * for the rest of the run. Random base64 (a third of it hex digits) then costs one pass.
 */
static size_t b64_run_end_hex(struct run_ctx *r, size_t j)
{
    const uint8_t *t = r->text;
    size_t len = r->len, k = 2 * r->d->min_len, hexfrom = SIZE_MAX, at = j, e = len;
    unsigned kk = k > 64 ? 64 : (unsigned)k;
    uint64_t hprev = 0;
    for (; at < len; at += 64) {
        uint64_t b, h;
        block_masks2(t, len, at, &b, &h);
        unsigned lim = ~b ? (unsigned)__builtin_ctzll(~b) : 64;
        if (lim < 64)
            h &= (1ull << lim) - 1;
        if (hexfrom == SIZE_MAX && runs_ge(hprev, h, kk) != 0)
            hexfrom = at - 64; /* a long hex run starts in the previous block */
        hprev = h;
        if (lim < 64) {
            e = at + lim;
            break;
        }
    }
    if (hexfrom == SIZE_MAX && runs_ge(hprev, 0, kk) != 0)
        hexfrom = at < len ? at : (len - 1) / 64 * 64 < j ? j : (len - 1) / 64 * 64;
    if (hexfrom != SIZE_MAX)
        hex_runs(r, hexfrom < j ? j : hexfrom, e);
    return e;
}

/*
 * text[s..e) ends a line, and base64 follows the break of brk characters, but its length is
 * no multiple of 4: the first line of a wrapped block glued to what stands before it (in the
 * params' joined view, the string before: "/tmp/out.txt" + "Z2hw..."). Where it may start:
 * e minus the width of the next line when a further line follows that one; else (two lines,
 * the second perhaps glued to what follows too) e minus 76 and e minus 64, the common widths
 * (base64 and MIME; PEM), where the run is that long. Returns how many starts (0 to 2).
 */
static int wrapped_first(const uint8_t *t, size_t len, size_t s, size_t e, size_t brk,
                         size_t starts[2])
{
    size_t a = e + brk, b = run_end(t, len, a, CLS_B64), w = b - a, brk2 = line_break(t, len, b);
    if (brk2 != 0 && b + brk2 < len && in_cls(t[b + brk2], CLS_B64)) {
        if (w % 4 != 0 || w < 16 || e - s <= w)
            return 0;
        starts[0] = e - w;
        return 1;
    }
    int n = 0;
    if (e - s > 76)
        starts[n++] = e - 76;
    if (e - s > 64)
        starts[n++] = e - 64;
    return n;
}

static void b64_pass(struct run_ctx *r)
{
    const uint8_t *t = r->text;
    size_t len = r->len, minrun = 2 * r->d->min_len < 16 ? 2 * r->d->min_len : 16;
    for (size_t pos = 0; pos + minrun <= len;) {
        size_t j = find_run(t, len, pos, CLS_B64, minrun);
        if (j >= len)
            break;
        size_t e = b64_run_end_hex(r, j);
        if (e - j < minrun) { /* minrun > 64: the filter found 64 */
            pos = e;
            continue;
        }
        if (e - j >= PLUS_IN_B64_MAX && r->d->nlong_b64 < 64) {
            r->d->long_b64[r->d->nlong_b64][0] = j;
            r->d->long_b64[r->d->nlong_b64++][1] = e;
        }
        /* a first line right after a JSON "\n" starts with its 'n' */
        size_t s0 = j > 0 && t[j - 1] == '\\' ? j + 1 : j, brk;
        if ((brk = line_break(t, len, e)) != 0 && e + brk < len && in_cls(t[e + brk], CLS_B64)) {
            size_t starts[2], end = e;
            int ns = 0;
            if ((e - s0) % 4 == 0 && e - s0 >= 16) {
                starts[ns++] = s0;
            } else {
                ns = wrapped_first(t, len, s0, e, brk, starts);
            }
            for (int i = 0; i < ns; i++) {
                size_t z = b64_wrapped(r, starts[i], e);
                end = z > end ? z : end;
            }
            e = end;
        }
        pos = e;
        if (r->err)
            return;
    }
}

/* ---- percent and form encoding ---- */

/* A run text[s..e) with a '%' or '+', decoded in windows of DEC_WINDOW characters that start
 * on a unit boundary and overlap by the longest encoded value (3 max_len characters). */
static void pct_run(struct run_ctx *r, size_t s, size_t e)
{
    struct dec *d = r->d;
    const uint8_t *t = r->text;
    size_t span = DEC_WINDOW - 3 * d->max_len - 3;
    for (size_t at = s; at < e;) {
        room(r, DEC_WINDOW + 16, 1);
        uint8_t *out = d->buf + d->used;
        size_t p = at, m = 0, next = 0, limit = e - at < DEC_WINDOW ? e : at + DEC_WINDOW;
        bool changed = false;
        while (p < limit) {
            if (next == 0 && p >= at + span)
                next = p;
            changed |= t[p] == '%' || t[p] == '+';
            p += pct_unit(t, p, e, &out[m++]);
        }
        /* a literal '%' (not followed by two hex digits) changed nothing, but costs nothing */
        if (changed && m >= d->min_len)
            add_seg(d, m, at, p - at);
        if (p >= e || next == 0)
            break;
        at = next;
    }
}

static void pct_pass(struct run_ctx *r)
{
    const uint8_t *t = r->text;
    size_t len = r->len, blo = 0, bhi = 0; /* the last base64 run looked at */
    size_t cur = 0;                        /* the next recorded long run */
    for (size_t pos = 0; pos < len;) {
        size_t q = find_esc(t, len, pos);
        if (q >= len)
            break;
        while (cur < r->d->nlong_b64 && r->d->long_b64[cur][1] <= q)
            cur++;
        if (t[q] == '+' && cur < r->d->nlong_b64 && r->d->long_b64[cur][0] <= q) {
            blo = r->d->long_b64[cur][0]; /* b64_pass measured it already */
            bhi = r->d->long_b64[cur][1];
        }
        if (t[q] == '+') {
            if (q < blo || q >= bhi) { /* base64 runs are disjoint: each is walked once */
                blo = q;
                while (blo > bhi && in_cls(t[blo - 1], CLS_B64))
                    blo--;
                bhi = run_end(t, len, q, CLS_B64);
            }
            if (bhi - blo >= PLUS_IN_B64_MAX) {
                /* no '%' is inside the run (it is no base64 character): go on after its last
                 * '+', where a '%' escape right after the run still starts its own run */
                const uint8_t *last = memrchr(t + q, '+', bhi - q);
                pos = (size_t)(last - t) + 1;
                continue;
            }
        }
        size_t s = q;
        while (s > pos && in_cls(t[s - 1], CLS_PCT))
            s--;
        size_t e = run_end(t, len, q, CLS_PCT);
        if (e - s >= r->d->min_len)
            pct_run(r, s, e);
        pos = e;
        if (r->err)
            return;
    }
}

int dec_scan(struct dec *d, const uint8_t *text, size_t len, const struct dec_ops *ops, void *ctx)
{
    struct run_ctx r = {.d = d, .text = text, .len = len, .ops = ops, .ctx = ctx};
    d->used = d->nsegs = d->high = d->stage_high = 0;
    d->nlong_b64 = 0;
    d->decoded = 0;
    b64_pass(&r);
    if (r.err == 0)
        pct_pass(&r);
    flush(&r);
    sodium_memzero(d->buf, d->high + 16);
    sodium_memzero(d->stage, d->stage_high);
    return r.err;
}

/* ---- mapping a match back to the text ---- */

static bool span_has(const uint8_t *t, size_t off, size_t len, const char *set)
{
    for (size_t i = 0; i < len; i++)
        if (t[off + i] && strchr(set, t[off + i]))
            return true;
    return false;
}

bool dec_map(const struct dec *d, const uint8_t *text, size_t off, size_t len, struct dec_hit *out)
{
    size_t lo = 0, hi = d->nsegs;
    while (hi - lo > 1) { /* the last decoding that starts at or before off */
        size_t mid = (lo + hi) / 2;
        if (d->segs[mid].dec_off <= off)
            lo = mid;
        else
            hi = mid;
    }
    if (d->nsegs == 0)
        return false;
    const struct dec_seg *s = &d->segs[lo];
    if (off < s->dec_off || off + len > (size_t)s->dec_off + s->dec_len)
        return false;
    size_t rel = off - s->dec_off;
    size_t p = s->src_off, end = s->src_off + s->src_len, a = p;
    uint8_t byte;
    for (size_t i = 0; i < rel + len && p < end; i++) {
        if (i == rel)
            a = p;
        p += pct_unit(text, p, end, &byte);
    }
    out->off = a;
    out->len = p - a;
    out->variant = span_has(text, a, p - a, "+") ? TRACKED_URL_FORM : TRACKED_URL;
    return true;
}
