/*
 * test_frame.c - newline framing: lines split across many reads, many lines in one read,
 * the exact size limit, oversized lines skipped in constant memory with their head and
 * tail kept, and the stream carrying on after them.
 */
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "mcp/frame.h"

#define MAX_EVENTS 64

/* What the framer produced, copied out (its pointers die at the next framer_space). */
struct event {
    enum frame_status st;
    char *data; /* line, or head for FRAME_TOOBIG */
    size_t len;
    char *tail;
    size_t tail_len;
    size_t dropped;
};

struct sink {
    struct event ev[MAX_EVENTS];
    size_t n;
    size_t max_cap; /* largest buffer capacity seen */
};

static char *dup_mem(const char *p, size_t n)
{
    char *q = malloc(n ? n : 1);
    if (q == NULL)
        abort();
    memcpy(q, p, n);
    return q;
}

static void drain(struct framer *f, struct sink *k)
{
    const char *line;
    size_t len;
    enum frame_status st;
    while ((st = framer_next(f, &line, &len)) != FRAME_NONE) {
        if (k->n == MAX_EVENTS) {
            CHECK(!"too many events");
            return;
        }
        struct event *e = &k->ev[k->n++];
        e->st = st;
        e->data = dup_mem(line, len);
        e->len = len;
        e->tail = NULL;
        e->tail_len = 0;
        e->dropped = 0;
        if (st == FRAME_TOOBIG) {
            const char *t;
            size_t tn;
            framer_tail(f, &t, &tn);
            e->tail = dup_mem(t, tn);
            e->tail_len = tn;
            e->dropped = framer_dropped_size(f);
        }
    }
    if (f->in.cap > k->max_cap)
        k->max_cap = f->in.cap;
}

/* Feed `n` bytes in chunks of `chunk` bytes (read-into-buffer style), draining after each. */
static void feed(struct framer *f, struct sink *k, const char *p, size_t n, size_t chunk)
{
    while (n > 0) {
        char *dst;
        size_t room;
        size_t want = chunk < n ? chunk : n;
        int rc = framer_space(f, want, &dst, &room);
        if (rc < 0 || room < want) { /* checked only on failure: this runs 100k times */
            CHECK_INT(rc, 0);
            CHECK(room >= want);
            return;
        }
        size_t c = want < room ? want : room;
        memcpy(dst, p, c);
        framer_commit(f, c);
        p += c;
        n -= c;
        drain(f, k);
    }
}

static void sink_free(struct sink *k)
{
    for (size_t i = 0; i < k->n; i++) {
        free(k->ev[i].data);
        free(k->ev[i].tail);
    }
    k->n = 0;
}

static void test_one_byte_commits(void)
{
    struct framer f;
    struct sink k = {0};
    const char *in = "{\"a\":1}\nhello world\n\nx\r\n";
    framer_init(&f, 64);
    feed(&f, &k, in, strlen(in), 1);
    CHECK_INT(k.n, 4);
    CHECK_INT(k.ev[0].st, FRAME_LINE);
    CHECK_MEM(k.ev[0].data, k.ev[0].len, "{\"a\":1}");
    CHECK_MEM(k.ev[1].data, k.ev[1].len, "hello world");
    CHECK_INT(k.ev[2].st, FRAME_LINE);
    CHECK_INT(k.ev[2].len, 0);
    CHECK_MEM(k.ev[3].data, k.ev[3].len, "x\r");
    CHECK_INT(framer_pending(&f), 0);
    sink_free(&k);
    framer_cleanup(&f);
}

static void test_many_lines_one_commit(void)
{
    struct framer f;
    struct sink k = {0};
    const char *in = "a\nbb\n\nccc\r\n\r\n  dd  \npartial";
    framer_init(&f, 64);
    feed(&f, &k, in, strlen(in), 1000);
    CHECK_INT(k.n, 6);
    CHECK_MEM(k.ev[0].data, k.ev[0].len, "a");
    CHECK_MEM(k.ev[1].data, k.ev[1].len, "bb");
    CHECK_MEM(k.ev[2].data, k.ev[2].len, "");
    CHECK_MEM(k.ev[3].data, k.ev[3].len, "ccc\r");
    CHECK_MEM(k.ev[4].data, k.ev[4].len, "\r");
    CHECK_MEM(k.ev[5].data, k.ev[5].len, "  dd  ");
    for (size_t i = 0; i < k.n; i++)
        CHECK_INT(k.ev[i].st, FRAME_LINE);
    CHECK_INT(framer_pending(&f), 7);
    /* the rest of the partial line arrives */
    feed(&f, &k, " done\n", 6, 1000);
    CHECK_INT(k.n, 7);
    CHECK_MEM(k.ev[6].data, k.ev[6].len, "partial done");
    CHECK_INT(framer_pending(&f), 0);
    sink_free(&k);
    framer_cleanup(&f);
}

static void test_no_newline_means_nothing(void)
{
    struct framer f;
    const char *line = NULL;
    size_t len = 0;
    framer_init(&f, 16);
    CHECK_INT(framer_next(&f, &line, &len), FRAME_NONE); /* empty, never read */
    CHECK_INT(framer_pending(&f), 0);
    struct sink k = {0};
    feed(&f, &k, "abc", 3, 1);
    CHECK_INT(k.n, 0);
    CHECK_INT(framer_pending(&f), 3);
    CHECK_INT(framer_next(&f, &line, &len), FRAME_NONE);
    framer_cleanup(&f);
}

static void test_exact_limit(void)
{
    struct framer f;
    struct sink k = {0};
    char in[64];
    /* exactly max_line bytes: accepted */
    framer_init(&f, 16);
    memset(in, 'a', 16);
    in[16] = '\n';
    feed(&f, &k, in, 17, 1000);
    CHECK_INT(k.n, 1);
    CHECK_INT(k.ev[0].st, FRAME_LINE);
    CHECK_INT(k.ev[0].len, 16);
    sink_free(&k);
    /* the same, byte by byte (the pending check runs at every size) */
    feed(&f, &k, in, 17, 1);
    CHECK_INT(k.n, 1);
    CHECK_INT(k.ev[0].st, FRAME_LINE);
    CHECK_INT(k.ev[0].len, 16);
    sink_free(&k);
    /* a CRLF line end: the \r is not part of the message, so max_line bytes and \r\n pass,
     * in one read or byte by byte (the \r may arrive before its \n) */
    memset(in, 'a', 16);
    in[16] = '\r';
    in[17] = '\n';
    feed(&f, &k, in, 18, 1000);
    CHECK_INT(k.n, 1);
    CHECK_INT(k.ev[0].st, FRAME_LINE);
    CHECK_INT(k.ev[0].len, 17); /* the \r is the reader's to drop, as JSON whitespace */
    sink_free(&k);
    feed(&f, &k, in, 18, 1);
    CHECK_INT(k.n, 1);
    CHECK_INT(k.ev[0].st, FRAME_LINE);
    sink_free(&k);
    /* ... but max_line + 1 bytes before it are too many */
    memset(in, 'a', 17);
    in[17] = '\r';
    in[18] = '\n';
    feed(&f, &k, in, 19, 1);
    CHECK_INT(k.n, 1);
    CHECK_INT(k.ev[0].st, FRAME_TOOBIG);
    sink_free(&k);
    framer_cleanup(&f);

    /* max_line + 1 bytes in one commit with lines after it */
    framer_init(&f, 16);
    for (int i = 0; i < 17; i++)
        in[i] = (char)('A' + i);
    memcpy(in + 17, "\nnext\n{}\n", 9);
    feed(&f, &k, in, 26, 1000);
    CHECK_INT(k.n, 3);
    CHECK_INT(k.ev[0].st, FRAME_TOOBIG);
    CHECK_MEM(k.ev[0].data, k.ev[0].len, "ABCDEFGHIJKLMNOPQ");
    CHECK_MEM(k.ev[0].tail, k.ev[0].tail_len, "ABCDEFGHIJKLMNOPQ");
    CHECK_INT(k.ev[0].dropped, 17);
    CHECK_INT(k.ev[1].st, FRAME_LINE);
    CHECK_MEM(k.ev[1].data, k.ev[1].len, "next");
    CHECK_MEM(k.ev[2].data, k.ev[2].len, "{}");
    sink_free(&k);
    framer_cleanup(&f);

    /* max_line + 1 bytes byte by byte: detected before its newline arrives */
    framer_init(&f, 16);
    feed(&f, &k, in, 17, 1);
    CHECK_INT(k.n, 0);
    CHECK_INT(framer_pending(&f), 0); /* nothing of it is buffered any more */
    feed(&f, &k, in + 17, 9, 1);
    CHECK_INT(k.n, 3);
    CHECK_INT(k.ev[0].st, FRAME_TOOBIG);
    CHECK_MEM(k.ev[0].data, k.ev[0].len, "ABCDEFGHIJKLMNOPQ");
    CHECK_MEM(k.ev[0].tail, k.ev[0].tail_len, "ABCDEFGHIJKLMNOPQ");
    CHECK_INT(k.ev[0].dropped, 17);
    CHECK_MEM(k.ev[1].data, k.ev[1].len, "next");
    CHECK_MEM(k.ev[2].data, k.ev[2].len, "{}");
    sink_free(&k);
    framer_cleanup(&f);

    /* max_line 0: only empty lines pass */
    framer_init(&f, 0);
    feed(&f, &k, "\nx\n\n", 4, 1);
    CHECK_INT(k.n, 3);
    CHECK_INT(k.ev[0].st, FRAME_LINE);
    CHECK_INT(k.ev[1].st, FRAME_TOOBIG);
    CHECK_INT(k.ev[1].dropped, 1);
    CHECK_INT(k.ev[2].st, FRAME_LINE);
    sink_free(&k);
    framer_cleanup(&f);
}

/* A recognisable byte at each position: head and tail can be checked exactly. */
static char pat(size_t i)
{
    return (char)('a' + (i * 7 + i / 26) % 26);
}

static void check_head_tail(const struct event *e, size_t size, size_t head_min, size_t head_max)
{
    CHECK_INT(e->st, FRAME_TOOBIG);
    CHECK_INT(e->dropped, size);
    CHECK(e->len >= head_min && e->len <= head_max);
    int bad = 0;
    for (size_t i = 0; i < e->len; i++)
        bad += e->data[i] != pat(i);
    CHECK_INT(bad, 0);
    size_t tl = size < FRAME_TAIL_KEEP ? size : FRAME_TAIL_KEEP;
    CHECK_INT(e->tail_len, tl);
    bad = 0;
    for (size_t i = 0; i < e->tail_len; i++)
        bad += e->tail[i] != pat(size - tl + i);
    CHECK_INT(bad, 0);
}

static void test_oversized_many_chunks(void)
{
    const size_t max = 100, size = 10000;
    char *line = malloc(size + 1);
    for (size_t i = 0; i < size; i++)
        line[i] = pat(i);
    line[size] = '\n';
    static const size_t chunks[] = {1, 7, 99, 100, 101, 255, 256, 257, 4096, 100000};
    for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
        struct framer f;
        struct sink k = {0};
        framer_init(&f, max);
        feed(&f, &k, "before\n", 7, chunks[c]);
        feed(&f, &k, line, size + 1, chunks[c]);
        feed(&f, &k, "after\n", 6, chunks[c]);
        CHECK_INT(k.n, 3);
        if (k.n == 3) {
            CHECK_MEM(k.ev[0].data, k.ev[0].len, "before");
            /* the head is what was buffered when the line went over the limit */
            check_head_tail(&k.ev[1], size, max + 1, FRAME_HEAD_KEEP);
            CHECK_INT(k.ev[2].st, FRAME_LINE);
            CHECK_MEM(k.ev[2].data, k.ev[2].len, "after");
        }
        CHECK(k.max_cap <= f.in.limit);
        sink_free(&k);
        framer_cleanup(&f);
    }

    /* one commit: the full head is kept */
    {
        struct framer f;
        struct sink k = {0};
        framer_init(&f, 5000);
        feed(&f, &k, line, size + 1, 1 << 20);
        CHECK_INT(k.n, 1);
        if (k.n == 1)
            check_head_tail(&k.ev[0], size, FRAME_HEAD_KEEP, FRAME_HEAD_KEEP);
        sink_free(&k);
        framer_cleanup(&f);
    }
    /* two oversized lines back to back: the second's tail holds nothing of the first */
    {
        struct framer f;
        struct sink k = {0};
        framer_init(&f, 10);
        feed(&f, &k, line, size + 1, 3);
        feed(&f, &k, line, 20, 3);
        feed(&f, &k, "\n", 1, 3);
        CHECK_INT(k.n, 2);
        if (k.n == 2) {
            check_head_tail(&k.ev[0], size, 11, FRAME_HEAD_KEEP);
            check_head_tail(&k.ev[1], 20, 11, 20);
        }
        sink_free(&k);
        framer_cleanup(&f);
    }
    free(line);
}

static void test_no_growth(void)
{
    /* 8 MiB of one line against a 1 KiB limit, in 64 KiB reads: the buffer never grows
     * past its limit (line + newline + one read) */
    struct framer f;
    struct sink k = {0};
    const size_t chunk = 64 * 1024, total = 8u << 20;
    framer_init(&f, 1024);
    size_t limit = f.in.limit;
    CHECK(limit >= 1024 + 1);
    char *block = malloc(chunk);
    memset(block, 'z', chunk);
    for (size_t sent = 0; sent < total; sent += chunk)
        feed(&f, &k, block, chunk, chunk);
    CHECK_INT(k.n, 0);
    CHECK(k.max_cap <= limit);
    CHECK(f.in.cap <= limit);
    CHECK(framer_pending(&f) <= chunk);
    feed(&f, &k, "\nok\n", 4, chunk);
    CHECK_INT(k.n, 2);
    if (k.n == 2) {
        CHECK_INT(k.ev[0].st, FRAME_TOOBIG);
        CHECK_INT(k.ev[0].dropped, total);
        CHECK_MEM(k.ev[1].data, k.ev[1].len, "ok");
    }
    CHECK(k.max_cap <= limit);
    sink_free(&k);

    /* many small lines: the consumed ones are compacted away, no growth either */
    int bad = 0;
    for (int i = 0; i < 100000; i++) {
        feed(&f, &k, "{\"jsonrpc\":\"2.0\"}\n", 18, 18);
        if (k.n != 1 || k.ev[0].st != FRAME_LINE || k.ev[0].len != 17)
            bad++;
        sink_free(&k);
    }
    CHECK_INT(bad, 0);
    CHECK(k.max_cap <= limit);
    CHECK_INT(framer_pending(&f), 0);
    free(block);
    framer_cleanup(&f);
}

static void test_space_and_compact(void)
{
    struct framer f;
    char *p;
    size_t n;
    const char *line;
    size_t len;
    framer_init(&f, 32);
    CHECK_INT(framer_space(&f, 8, &p, &n), 0);
    CHECK(n >= 8);
    memcpy(p, "one\ntwo", 7);
    framer_commit(&f, 7);
    CHECK_INT(framer_next(&f, &line, &len), FRAME_LINE);
    CHECK_MEM(line, len, "one");
    CHECK_INT(framer_next(&f, &line, &len), FRAME_NONE);
    CHECK_INT(framer_pending(&f), 3);
    framer_compact(&f);
    CHECK_INT(f.start, 0);
    CHECK_INT(framer_pending(&f), 3);
    CHECK_MEM(f.in.data, f.in.len, "two");
    framer_compact(&f); /* nothing to move */
    CHECK_MEM(f.in.data, f.in.len, "two");
    CHECK_INT(framer_space(&f, 1, &p, &n), 0);
    *p = '\n';
    framer_commit(&f, 1);
    CHECK_INT(framer_next(&f, &line, &len), FRAME_LINE);
    CHECK_MEM(line, len, "two");
    /* a request for more than one read is clamped, never refused */
    CHECK_INT(framer_space(&f, (size_t)1 << 40, &p, &n), 0);
    CHECK(n > 0);
    CHECK(f.in.cap <= f.in.limit);
    framer_cleanup(&f);
    framer_cleanup(&f); /* twice is harmless */
}

static void test_detach(void)
{
    struct framer f;
    struct sink k = {0};
    const char *line;
    size_t len;
    framer_init(&f, 64);
    CHECK(!framer_owns(&f, "x")); /* nothing buffered yet */
    char *p;
    size_t n;
    CHECK_INT(framer_space(&f, 32, &p, &n), 0);
    memcpy(p, "first\nsecond\nthi", 16);
    framer_commit(&f, 16);
    CHECK_INT(framer_next(&f, &line, &len), FRAME_LINE);
    CHECK_MEM(line, len, "first");
    CHECK(framer_owns(&f, line));
    CHECK(framer_owns(&f, line + len)); /* its '\n' */
    CHECK(!framer_owns(&f, "first"));
    CHECK_INT(framer_next(&f, &line, &len), FRAME_LINE);
    CHECK_MEM(line, len, "second");
    /* the caller takes the buffer with both lines in it; the framer keeps "thi" */
    char *old = framer_detach(&f);
    CHECK(old != NULL);
    CHECK(line >= old && line < old + 16);
    CHECK_MEM(line, len, "second"); /* still valid: the caller owns it now */
    CHECK(!framer_owns(&f, line));
    CHECK_INT(framer_pending(&f), 3);
    free(old);
    feed(&f, &k, "rd\n", 3, 1);
    CHECK_INT(k.n, 1);
    if (k.n == 1)
        CHECK_MEM(k.ev[0].data, k.ev[0].len, "third");
    sink_free(&k);
    /* detaching with nothing pending leaves an empty, working framer */
    old = framer_detach(&f);
    free(old);
    CHECK_INT(framer_pending(&f), 0);
    feed(&f, &k, "again\n", 6, 2);
    CHECK_INT(k.n, 1);
    if (k.n == 1)
        CHECK_MEM(k.ev[0].data, k.ev[0].len, "again");
    sink_free(&k);
    framer_cleanup(&f);
}

/* One huge message does not leave its buffer behind: compacting an empty framer frees a
 * buffer over FRAME_KEEP_MAX, and adopt refuses one. */
static void test_huge_buffer_given_back(void)
{
    struct framer f;
    framer_init(&f, 64u << 20);
    size_t big = FRAME_KEEP_MAX + (1u << 20);
    size_t got = 0;
    while (got < big) {
        char *p;
        size_t n;
        CHECK_INT(framer_space(&f, big - got, &p, &n), 0);
        if (n > big - got)
            n = big - got;
        memset(p, 'x', n);
        framer_commit(&f, n);
        got += n;
    }
    char *p;
    size_t n;
    CHECK_INT(framer_space(&f, 1, &p, &n), 0);
    p[0] = '\n';
    framer_commit(&f, 1);
    const char *line;
    size_t len;
    CHECK_INT(framer_next(&f, &line, &len), FRAME_LINE);
    CHECK_INT(len, big);
    CHECK(f.in.cap > FRAME_KEEP_MAX);
    framer_compact(&f);
    CHECK(f.in.cap <= FRAME_KEEP_MAX);
    char *huge = malloc(FRAME_KEEP_MAX * 2);
    CHECK(!framer_adopt(&f, huge, FRAME_KEEP_MAX * 2));
    free(huge);
    /* and it still frames */
    struct sink k = {0};
    feed(&f, &k, "after\n", 6, 1);
    CHECK_INT(k.n, 1);
    sink_free(&k);
    framer_cleanup(&f);
}

int main(void)
{
    test_one_byte_commits();
    test_many_lines_one_commit();
    test_no_newline_means_nothing();
    test_exact_limit();
    test_oversized_many_chunks();
    test_no_growth();
    test_space_and_compact();
    test_detach();
    test_huge_buffer_given_back();
    return check_done();
}
