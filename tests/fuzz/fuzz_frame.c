/*
 * fuzz_frame.c - the line framer against a trivially correct model. Byte 0 picks
 * max_line (mostly tiny, sometimes just around FRAME_HEAD_KEEP), byte 1 seeds the read
 * sizes, the rest is the stream. After every read the framer's output must be exactly
 * the model's: each complete line returned once, in order, without its '\n', never over
 * max_line; oversized lines reported with their true size, a prefix as head and the
 * true last bytes as tail; nothing complete left behind; the buffer within its limit.
 */
#include <string.h>

#include "fuzz.h"
#include "mcp/frame.h"

static uint32_t next_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static size_t next_chunk(uint32_t *seed, size_t left)
{
    uint32_t r = next_rand(seed);
    size_t c;
    switch (r % 8) {
    case 5:
    case 6:
        c = 1 + (r >> 8) % 300;
        break;
    case 7:
        c = left;
        break;
    default:
        c = 1 + (r >> 8) % 8;
        break;
    }
    return c < left ? c : left;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t max_line = data[0] < 224 ? data[0] % 64u : 4000 + (size_t)(data[0] - 224) * 8;
    uint32_t seed = (uint32_t)data[1] * 2654435761u | 1u;
    const char *s = (const char *)data + 2;
    size_t n = size - 2;
    size_t head_min = max_line + 1 < FRAME_HEAD_KEEP ? max_line + 1 : FRAME_HEAD_KEEP;

    struct framer f;
    FUZZ_CHECK(framer_init(&f, max_line) == 0);
    size_t pos = 0;        /* bytes fed so far */
    size_t line_start = 0; /* model: where the current line starts in s */
    while (pos < n) {
        size_t chunk = next_chunk(&seed, n - pos);
        char *dst;
        size_t room;
        FUZZ_CHECK(framer_space(&f, chunk, &dst, &room) == 0);
        FUZZ_CHECK(room >= chunk);
        memcpy(dst, s + pos, chunk);
        framer_commit(&f, chunk);
        pos += chunk;
        FUZZ_CHECK(f.in.cap <= f.in.limit);

        const char *line;
        size_t len;
        enum frame_status st;
        while ((st = framer_next(&f, &line, &len)) != FRAME_NONE) {
            const char *nl = memchr(s + line_start, '\n', pos - line_start);
            FUZZ_CHECK(nl != NULL); /* nothing is returned before its newline arrived */
            size_t L = (size_t)(nl - (s + line_start));
            /* the limit is the message's: a CRLF line end's '\r' does not count */
            size_t M = L - (L > 0 && s[line_start + L - 1] == '\r');
            if (st == FRAME_LINE) {
                FUZZ_CHECK(M <= max_line);
                FUZZ_CHECK(len == L);
                FUZZ_CHECK(memchr(line, '\n', len) == NULL);
                FUZZ_CHECK(memcmp(line, s + line_start, L) == 0);
            } else {
                FUZZ_CHECK(st == FRAME_TOOBIG);
                FUZZ_CHECK(M > max_line);
                FUZZ_CHECK(framer_dropped_size(&f) == L);
                FUZZ_CHECK(len >= head_min && len <= L && len <= FRAME_HEAD_KEEP);
                FUZZ_CHECK(memcmp(line, s + line_start, len) == 0);
                const char *t;
                size_t tn;
                framer_tail(&f, &t, &tn);
                FUZZ_CHECK(tn == (L < FRAME_TAIL_KEEP ? L : FRAME_TAIL_KEEP));
                FUZZ_CHECK(memcmp(t, s + line_start + L - tn, tn) == 0);
            }
            line_start += L + 1;
        }
        /* every complete line has been returned; the rest is pending or being dropped */
        FUZZ_CHECK(memchr(s + line_start, '\n', pos - line_start) == NULL);
        size_t partial = pos - line_start;
        bool cr_last = partial == max_line + 1 && s[pos - 1] == '\r'; /* its LF may follow */
        FUZZ_CHECK(framer_pending(&f) == (partial <= max_line || cr_last ? partial : 0));
    }
    framer_cleanup(&f);
    return 0;
}
