/*
 * test_peer.c - the writer of proxy/peer.c on a real loop and a real pipe: partial writes
 * keep byte order, peer_write_buf moves a buffer into an empty queue and copies behind
 * queued bytes, limits hold, and no idle buffer over PEER_KEEP_MAX is kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "base/buf.h"
#include "check.h"
#include "proxy/peer.h"

#define MIB ((size_t)1 << 20)

/* The other end of the pipe, read on the same loop into `got` until EOF. */
struct sink {
    uv_pipe_t pipe;
    struct buf got;
    char chunk[64 * 1024];
    bool eof;
};

static void sink_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
    struct sink *k = h->data;
    (void)suggested;
    *b = uv_buf_init(k->chunk, sizeof(k->chunk));
}

static void sink_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    struct sink *k = s->data;
    if (n > 0)
        CHECK_INT(buf_append(&k->got, b->base, (size_t)n), 0);
    if (n < 0) {
        k->eof = true;
        uv_close((uv_handle_t *)s, NULL);
    }
}

static void sink_start(uv_loop_t *loop, struct sink *k, int fd)
{
    buf_init(&k->got, 256 * MIB);
    k->eof = false;
    CHECK_INT(uv_pipe_init(loop, &k->pipe, 0), 0);
    CHECK_INT(uv_pipe_open(&k->pipe, fd), 0);
    k->pipe.data = k;
    CHECK_INT(uv_read_start((uv_stream_t *)&k->pipe, sink_alloc, sink_read), 0);
}

static void fill(struct buf *b, size_t n, unsigned seed)
{
    CHECK_INT(buf_reserve(b, n), 0);
    for (size_t i = 0; i < n; i++)
        b->data[b->len + i] = (char)('a' + (i * 7 + seed) % 26);
    b->len += n;
}

/* A peer writing into a pipe whose read end is returned in *rfd. */
static void pipe_peer(uv_loop_t *loop, struct peer *p, int *rfd, size_t hard)
{
    int fds[2];
    char err[128];
    CHECK_INT(pipe2(fds, O_CLOEXEC), 0);
    *rfd = fds[0];
    CHECK_INT(peer_init(p, loop, "test", -1, fds[1], 1024, hard, err, sizeof(err)), 0);
}

static void finish(uv_loop_t *loop, struct peer *p, struct sink *k, const struct buf *want)
{
    peer_shutdown_write(p); /* closes the pipe once everything is written: EOF */
    CHECK_INT(uv_run(loop, UV_RUN_DEFAULT), 0);
    CHECK(k->eof);
    CHECK_INT(k->got.len, want->len);
    CHECK(k->got.len == want->len && memcmp(k->got.data, want->data, want->len) == 0);
    CHECK_INT(peer_queued(p), 0);
    CHECK_INT(p->writes_in_flight, 0);
    CHECK(p->spare_cap <= PEER_KEEP_MAX);
    CHECK(p->pending.cap <= PEER_KEEP_MAX);
    peer_cleanup(p);
    buf_cleanup(&k->got);
}

/*
 * A buffer moved into the queue, partly written by uv_try_write, the rest handed to
 * uv_write in place; then a small write, a copy behind it, and a move while writes are
 * in flight. The reader must see every byte in the order it was queued.
 */
static void test_order(void)
{
    uv_loop_t loop;
    CHECK_INT(uv_loop_init(&loop), 0);
    struct peer p;
    struct sink k;
    int rfd;
    pipe_peer(&loop, &p, &rfd, 64 * MIB);
    struct buf want, b;
    buf_init(&want, 64 * MIB);
    buf_init(&b, 32 * MIB);

    fill(&b, 4 * MIB, 1); /* more than the pipe holds (1 MiB at most) */
    CHECK_INT(buf_append(&want, b.data, b.len), 0);
    char *moved = b.data;
    CHECK_INT(peer_write_buf(&p, &b), 0);
    CHECK(p.pending.data == moved); /* moved, not copied */
    CHECK_INT(p.pending.len, 4 * MIB);
    CHECK_INT(b.len, 0);
    CHECK(b.data != moved);
    peer_flush(&p);
    /* try_write took what the pipe holds; the rest is in flight, from the same memory */
    CHECK_INT(p.writes_in_flight, 1);
    CHECK(p.inflight > 0 && p.inflight < 4 * MIB);
    CHECK_INT(p.pending.len, 0);
    CHECK(p.pending.data != moved);

    CHECK_INT(peer_write(&p, "<small>", 7), 0);
    CHECK_INT(buf_append(&want, "<small>", 7), 0);
    buf_reset(&b);
    fill(&b, 2 * MIB, 2);
    CHECK_INT(buf_append(&want, b.data, b.len), 0);
    char *mine = b.data;
    CHECK_INT(peer_write_buf(&p, &b), 0); /* the queue is not empty: copied after it */
    CHECK(b.data == mine);
    CHECK_INT(b.len, 0);
    CHECK(p.pending.data != mine);
    CHECK_INT(p.pending.len, 7 + 2 * MIB);
    CHECK_MEM(p.pending.data, 7, "<small>");
    peer_flush(&p); /* a write in flight: no try_write, queued behind it */
    CHECK_INT(p.writes_in_flight, 2);

    fill(&b, 300 * 1024, 3);
    CHECK_INT(buf_append(&want, b.data, b.len), 0);
    moved = b.data;
    CHECK_INT(peer_write_buf(&p, &b), 0); /* empty queue, writes in flight: moved */
    CHECK(p.pending.data == moved);
    peer_flush(&p);
    CHECK_INT(p.writes_in_flight, 3);
    CHECK_INT(peer_queued(&p), p.inflight);

    sink_start(&loop, &k, rfd);
    finish(&loop, &p, &k, &want);
    CHECK_INT(uv_loop_close(&loop), 0);
    buf_cleanup(&b);
    buf_cleanup(&want);
}

/* The idle buffer handed back is the larger one the peer has, never one over the bound. */
static void test_hand_back(void)
{
    uv_loop_t loop;
    CHECK_INT(uv_loop_init(&loop), 0);
    struct peer p;
    struct sink k;
    int rfd;
    pipe_peer(&loop, &p, &rfd, 64 * MIB);
    struct buf want, b;
    buf_init(&want, 64 * MIB);
    buf_init(&b, 32 * MIB);

    /* a written-out 8 MiB buffer becomes the spare */
    fill(&b, 5 * MIB, 4);
    CHECK_INT(buf_append(&want, b.data, b.len), 0);
    size_t cap8 = b.cap;
    CHECK_INT(peer_write_buf(&p, &b), 0);
    peer_flush(&p);
    sink_start(&loop, &k, rfd);
    while (p.writes_in_flight > 0)
        uv_run(&loop, UV_RUN_ONCE);
    CHECK(cap8 <= PEER_KEEP_MAX);
    CHECK_INT(p.spare_cap, cap8);

    /* the next rewrite is handed the warm spare, not the small empty queue */
    fill(&b, 1000, 5);
    CHECK_INT(buf_append(&want, b.data, b.len), 0);
    char *spare = p.spare;
    CHECK_INT(peer_write_buf(&p, &b), 0);
    CHECK(b.data == spare);
    CHECK_INT(b.cap, cap8);
    CHECK(p.spare_cap < cap8);
    peer_flush(&p);

    /* a huge message: its 32 MiB buffer is not kept once written */
    fill(&b, 20 * MIB, 6);
    CHECK(b.cap > PEER_KEEP_MAX);
    CHECK_INT(buf_append(&want, b.data, b.len), 0);
    CHECK_INT(peer_write_buf(&p, &b), 0);
    peer_flush(&p);
    while (p.writes_in_flight > 0)
        uv_run(&loop, UV_RUN_ONCE);
    CHECK(p.spare_cap <= PEER_KEEP_MAX);
    CHECK(p.pending.cap <= PEER_KEEP_MAX);
    CHECK(b.cap <= PEER_KEEP_MAX);

    finish(&loop, &p, &k, &want);
    CHECK_INT(uv_loop_close(&loop), 0);
    buf_cleanup(&b);
    buf_cleanup(&want);
}

/* Limits and refusals leave the caller's buffer as it was. */
static void test_refusals(void)
{
    uv_loop_t loop;
    CHECK_INT(uv_loop_init(&loop), 0);
    struct peer p;
    int rfd;
    pipe_peer(&loop, &p, &rfd, 4096);
    struct buf b;
    buf_init(&b, MIB);
    fill(&b, 5000, 7);
    char *mine = b.data;
    CHECK_INT(peer_write_buf(&p, &b), -ENOBUFS); /* over the hard limit, even when moved */
    CHECK(b.data == mine);
    CHECK_INT(b.len, 5000);
    CHECK_INT(peer_queued(&p), 0);
    CHECK_INT(peer_write(&p, "x", 1), 0);
    CHECK_INT(peer_write_buf(&p, &b), -ENOBUFS); /* over it when copied */
    CHECK_INT(b.len, 5000);
    CHECK_INT(peer_queued(&p), 1);
    peer_shutdown_write(&p);
    CHECK_INT(peer_write_buf(&p, &b), -EPIPE);
    CHECK(b.data == mine);
    CHECK_INT(b.len, 5000);
    CHECK_INT(uv_run(&loop, UV_RUN_DEFAULT), 0);
    char c;
    CHECK_INT(read(rfd, &c, 1), 1);
    CHECK_INT(read(rfd, &c, 1), 0);
    close(rfd);
    peer_cleanup(&p);
    CHECK_INT(uv_loop_close(&loop), 0);
    buf_cleanup(&b);
}

/* A regular file as the output: moved in, written with write(2), a huge buffer released. */
static void test_file(void)
{
    uv_loop_t loop;
    CHECK_INT(uv_loop_init(&loop), 0);
    char path[] = "/tmp/test_peer_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    unlink(path);
    struct peer p;
    char err[128];
    CHECK_INT(peer_init(&p, &loop, "test", -1, fd, 1024, 64 * MIB, err, sizeof(err)), 0);
    struct buf b;
    buf_init(&b, 32 * MIB);
    CHECK_INT(peer_write(&p, "head|", 5), 0);
    peer_flush(&p);
    fill(&b, 20 * MIB, 8);
    char *moved = b.data;
    CHECK_INT(peer_write_buf(&p, &b), 0);
    CHECK(p.pending.data == moved);
    peer_flush(&p);
    CHECK_INT(p.pending.len, 0);
    CHECK(p.pending.data == NULL); /* over PEER_KEEP_MAX: released after the write */
    CHECK_INT(lseek(fd, 0, SEEK_END), 5 + 20 * MIB);
    char head[8];
    CHECK_INT(pread(fd, head, 6, 0), 6);
    CHECK_MEM(head, 6, "head|i");
    peer_close(&p);
    CHECK_INT(uv_run(&loop, UV_RUN_DEFAULT), 0);
    peer_cleanup(&p);
    close(fd);
    CHECK_INT(uv_loop_close(&loop), 0);
    buf_cleanup(&b);
}

int main(void)
{
    test_order();
    test_hand_back();
    test_refusals();
    test_file();
    return check_done();
}
