/*
 * peer.c - framed, bounded stream I/O for one side of the relay. Lines are handed out
 * straight from the read buffer; writes try the kernel first and hand the rest to libuv
 * in the buffer that holds it (no copy). It must never queue more than its hard limit,
 * reorder bytes, or call on_line after peer_close.
 */
#include "proxy/peer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

#define ZERO_COPY_MIN (256 * 1024)
#define PIPE_SIZE (1 << 20)

#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ 1031
#endif

/* One uv_write: data..data+len lies inside alloc, which the request owns. */
struct wreq {
    uv_write_t req;
    struct peer *p;
    char *alloc; /* freed (or kept as the spare) when the write completes */
    size_t alloc_cap;  /* capacity of alloc when it was a queue buffer, else 0 */
    struct peer *recycle_to; /* alloc is a detached read buffer of this peer */
    size_t recycle_cap;
    char *data;
    size_t len;
};

/* Keep the larger of the spare and mem (a written-out buffer) for reuse; free the other. */
static void keep_spare(struct peer *p, char *mem, size_t cap)
{
    if (mem == NULL)
        return;
    if (cap > PEER_KEEP_MAX || cap <= p->spare_cap) {
        free(mem);
        return;
    }
    free(p->spare);
    p->spare = mem;
    p->spare_cap = cap;
}

static int open_handle(uv_loop_t *loop, union peer_handle *h, int fd, bool readable, char *err,
                       size_t errlen, const char *name)
{
    uv_handle_type t = uv_guess_handle(fd);
    int rc;
    switch (t) {
    case UV_NAMED_PIPE:
    case UV_TCP:
    case UV_UDP:
        /* larger pipes mean fewer wakeups per large message; best effort */
        fcntl(fd, F_SETPIPE_SZ, PIPE_SIZE);
        if ((rc = uv_pipe_init(loop, &h->pipe, 0)) < 0)
            break;
        if ((rc = uv_pipe_open(&h->pipe, fd)) < 0)
            uv_close(&h->handle, NULL);
        break;
    case UV_TTY:
        rc = uv_tty_init(loop, &h->tty, fd, readable);
        break;
    case UV_FILE:
        if (!readable)
            return 1; /* written with write(2) */
        rc = uv_idle_init(loop, &h->idle);
        return rc < 0 ? rc : 1;
    default:
        snprintf(err, errlen, "%s fd %d: unsupported descriptor type", name, fd);
        return -EBADF;
    }
    if (rc < 0)
        snprintf(err, errlen, "%s fd %d: %s", name, fd, uv_strerror(rc));
    return rc;
}

int peer_init(struct peer *p, uv_loop_t *loop, const char *name, int in_fd, int out_fd,
              size_t max_line, size_t queue_hard_limit, char *err, size_t errlen)
{
    memset(p, 0, sizeof(*p));
    p->name = name;
    p->in_file_fd = p->out_file_fd = -1;
    framer_init(&p->framer, max_line);
    buf_init(&p->pending, queue_hard_limit);
    int rc;
    if (in_fd >= 0) {
        if ((rc = uv_idle_init(loop, &p->redo)) < 0) {
            snprintf(err, errlen, "%s: %s", name, uv_strerror(rc));
            return rc;
        }
        p->redo.data = p;
        p->redo_open = true;
        if ((rc = open_handle(loop, &p->in, in_fd, true, err, errlen, name)) < 0)
            return rc;
        if (rc == 1)
            p->in_file_fd = in_fd;
        p->in_open = true;
        p->in.handle.data = p;
    }
    if (out_fd >= 0) {
        if ((rc = open_handle(loop, &p->out, out_fd, false, err, errlen, name)) < 0)
            return rc;
        if (rc == 1) {
            p->out_file_fd = out_fd;
        } else {
            p->out_open = true;
            p->out.handle.data = p;
        }
    }
    return 0;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
    struct peer *p = h->data;
    char *ptr;
    size_t n;
    (void)suggested;
    if (framer_space(&p->framer, 256 * 1024, &ptr, &n) < 0) {
        b->base = NULL;
        b->len = 0;
        return;
    }
    b->base = ptr;
    b->len = n;
}

/*
 * Hand the framer's complete lines to the owner until there are none, or until the owner
 * stops reading (its queues are full): then the rest are held, in order, for peer_read_start.
 */
static void dispatch(struct peer *p)
{
    const char *line;
    size_t len;
    enum frame_status st;
    p->held = false;
    while (!p->eof) {
        if (!p->reading) {
            p->held = framer_pending(&p->framer) > 0;
            break;
        }
        if ((st = framer_next(&p->framer, &line, &len)) == FRAME_NONE)
            break;
        if (st == FRAME_LINE) {
            p->on_line(p, line, len);
        } else {
            const char *tail;
            size_t tlen;
            framer_tail(&p->framer, &tail, &tlen);
            p->on_toobig(p, line, len, tail, tlen, framer_dropped_size(&p->framer));
        }
    }
    framer_compact(&p->framer);
}

static void on_redo(uv_idle_t *h)
{
    struct peer *p = h->data;
    uv_idle_stop(h);
    if (!p->held || !p->reading)
        return;
    dispatch(p);
    if (p->on_batch)
        p->on_batch(p);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
    struct peer *p = ((uv_handle_t *)s)->data;
    (void)b;
    if (nread == UV_ENOBUFS || (nread == 0 && b->base == NULL)) {
        /* cannot happen with a framer limit above one read, but never spin */
        peer_read_stop(p);
        p->eof = true;
        if (p->on_eof)
            p->on_eof(p, -ENOBUFS);
        return;
    }
    if (nread > 0)
        framer_commit(&p->framer, (size_t)nread);
    dispatch(p);
    if (nread < 0 && p->held)
        return; /* the end comes after the lines held: read again, it is seen again */
    if (nread < 0 && !p->eof) {
        peer_read_stop(p);
        p->eof = true;
        if (p->on_eof)
            p->on_eof(p, nread == UV_EOF ? 0 : (int)nread);
        return;
    }
    if (p->on_batch)
        p->on_batch(p);
}

static void on_file_idle(uv_idle_t *h)
{
    struct peer *p = h->data;
    char *ptr;
    size_t n;
    uv_buf_t b = {0};
    if (framer_space(&p->framer, 256 * 1024, &ptr, &n) < 0) {
        on_read(&p->in.stream, UV_ENOBUFS, &b);
        return;
    }
    ssize_t r;
    do {
        r = read(p->in_file_fd, ptr, n);
    } while (r < 0 && errno == EINTR);
    b.base = ptr;
    on_read(&p->in.stream, r > 0 ? r : r == 0 ? UV_EOF : -errno, &b);
}

int peer_read_start(struct peer *p)
{
    if (!p->in_open || p->reading || p->eof)
        return 0;
    if (p->held && p->redo_open)
        uv_idle_start(&p->redo, on_redo); /* the lines held first, in order */
    if (p->in_file_fd >= 0) {
        int rc = uv_idle_start(&p->in.idle, on_file_idle);
        if (rc == 0)
            p->reading = true;
        return rc;
    }
    int rc = uv_read_start(&p->in.stream, on_alloc, on_read);
    if (rc == 0)
        p->reading = true;
    return rc;
}

void peer_read_stop(struct peer *p)
{
    if (p->in_open && p->reading) {
        if (p->in_file_fd >= 0)
            uv_idle_stop(&p->in.idle);
        else
            uv_read_stop(&p->in.stream);
        p->reading = false;
    }
}

int peer_write(struct peer *p, const void *data, size_t len)
{
    if ((!p->out_open && p->out_file_fd < 0) || p->write_err || p->shutdown_requested)
        return -EPIPE;
    return buf_append(&p->pending, data, len);
}

int peer_write_buf(struct peer *p, struct buf *b)
{
    if ((!p->out_open && p->out_file_fd < 0) || p->write_err || p->shutdown_requested)
        return -EPIPE;
    if (b->len == 0)
        return 0;
    if (p->pending.len > 0) { /* behind queued bytes: copied, in order */
        int rc = buf_append(&p->pending, b->data, b->len);
        if (rc == 0)
            b->len = 0;
        return rc;
    }
    if (b->len > p->pending.limit)
        return -ENOBUFS;
    /* writes in flight are not a reason to copy: libuv sends the queue after them */
    char *mem = p->pending.data;
    size_t cap = p->pending.cap;
    p->pending.data = b->data;
    p->pending.cap = b->cap;
    p->pending.len = b->len;
    if (p->spare_cap > cap) { /* b gets the larger idle buffer, the other stays spare */
        char *t = p->spare;
        size_t tcap = p->spare_cap;
        p->spare = mem;
        p->spare_cap = mem != NULL ? cap : 0;
        mem = t;
        cap = tcap;
    }
    if (cap > PEER_KEEP_MAX) {
        free(mem);
        mem = NULL;
        cap = 0;
    }
    b->data = mem;
    b->cap = mem != NULL ? cap : 0;
    b->len = 0;
    return 0;
}

size_t peer_queued(const struct peer *p)
{
    return p->pending.len + p->inflight;
}

static void maybe_shutdown(struct peer *p);

static void on_write(uv_write_t *req, int status)
{
    struct wreq *w = container_of(req, struct wreq, req);
    struct peer *p = w->p;
    p->inflight -= w->len;
    p->writes_in_flight--;
    if (w->recycle_to != NULL && framer_adopt(&w->recycle_to->framer, w->alloc, w->recycle_cap)) {
        /* the read buffer goes back to its reader */
    } else if (w->alloc_cap > 0) {
        keep_spare(p, w->alloc, w->alloc_cap); /* reuse instead of malloc/free per write */
    } else {
        free(w->alloc);
    }
    free(w);
    if (status < 0 && !p->write_err) {
        p->write_err = true;
        buf_reset(&p->pending);
    }
    if (p->on_drain)
        p->on_drain(p);
    maybe_shutdown(p);
}

static void flush_file(struct peer *p)
{
    size_t off = 0;
    while (off < p->pending.len) {
        ssize_t w = write(p->out_file_fd, p->pending.data + off, p->pending.len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            p->write_err = true;
            break;
        }
        off += (size_t)w;
    }
    buf_trim(&p->pending, PEER_KEEP_MAX);
    if (p->write_err && p->on_drain)
        p->on_drain(p);
}

/*
 * uv_write data..data+len, which lies inside alloc; the request owns alloc from here on
 * (alloc_cap > 0: a queue buffer, kept as the spare; recycle_to: a read buffer of that
 * peer, given back to it). On error nothing was handed over: alloc is still the caller's.
 */
static int submit(struct peer *p, char *alloc, size_t alloc_cap, struct peer *recycle_to,
                  size_t recycle_cap, char *data, size_t len)
{
    struct wreq *w = malloc(sizeof(*w));
    if (w == NULL)
        return -ENOMEM;
    w->p = p;
    w->alloc = alloc;
    w->alloc_cap = alloc_cap;
    w->recycle_to = recycle_to;
    w->recycle_cap = recycle_cap;
    w->data = data;
    w->len = len;
    uv_buf_t b = uv_buf_init(data, (unsigned)len);
    int rc = uv_write(&w->req, &p->out.stream, &b, 1, on_write);
    if (rc < 0) {
        free(w);
        return rc;
    }
    p->inflight += len;
    p->writes_in_flight++;
    return 0;
}

void peer_flush(struct peer *p)
{
    if (p->out_file_fd >= 0 && p->pending.len > 0) {
        flush_file(p);
        return;
    }
    if (!p->out_open || p->pending.len == 0)
        return;
    if (p->write_err) {
        buf_reset(&p->pending);
        return;
    }
    size_t off = 0;
    if (p->writes_in_flight == 0) {
        uv_buf_t b = uv_buf_init(p->pending.data, (unsigned)p->pending.len);
        int n = uv_try_write(&p->out.stream, &b, 1);
        if (n > 0)
            off = (size_t)n;
        else if (n < 0 && n != UV_EAGAIN) {
            p->write_err = true;
            buf_reset(&p->pending);
            if (p->on_drain)
                p->on_drain(p);
            return;
        }
    }
    if (off == p->pending.len) {
        buf_trim(&p->pending, PEER_KEEP_MAX);
        maybe_shutdown(p);
        return;
    }
    /* hand the buffer itself to libuv from `off` on; the queue continues in the spare */
    size_t cap = p->pending.cap, len;
    char *mem = buf_steal(&p->pending, &len);
    if (p->spare != NULL) {
        p->pending.data = p->spare;
        p->pending.cap = p->spare_cap;
        p->spare = NULL;
        p->spare_cap = 0;
    }
    if (submit(p, mem, cap, NULL, 0, mem + off, len - off) < 0) {
        free(mem);
        goto fail;
    }
    return;
fail:
    p->write_err = true;
    buf_reset(&p->pending);
    if (p->on_drain)
        p->on_drain(p);
}

bool peer_forward_line(struct peer *p, struct peer *src, const char *line, size_t len)
{
    size_t n = len + 1; /* with its newline */
    if (n < ZERO_COPY_MIN || !p->out_open || p->write_err || p->shutdown_requested ||
        p->pending.len > 0 || p->writes_in_flight > 0 || !framer_owns(&src->framer, line) ||
        !framer_owns(&src->framer, line + len) || line[len] != '\n')
        return false;
    uv_buf_t b = uv_buf_init((char *)line, (unsigned)n);
    int off = uv_try_write(&p->out.stream, &b, 1);
    if (off < 0 && off != UV_EAGAIN)
        return false;
    if (off < 0)
        off = 0;
    if ((size_t)off == n)
        return true;
    size_t base_cap = src->framer.in.cap;
    char *base = framer_detach(&src->framer);
    if (base == NULL)
        goto copy_rest;
    /* the unwritten rest is still inside `base` */
    int rc = submit(p, base, 0, src, base_cap, (char *)line + off, n - (size_t)off);
    if (rc == -ENOMEM) {
        buf_append(&p->pending, line + off, n - (size_t)off);
        free(base);
    } else if (rc < 0) {
        free(base);
        p->write_err = true; /* nothing more can reach this peer */
    }
    return true;
copy_rest:
    /* out of memory for the fast path: queue the rest like any other write */
    buf_append(&p->pending, line + off, n - (size_t)off);
    return true;
}

static void on_handle_closed(uv_handle_t *h);

/* Pipes have no half-close: EOF reaches the reader when the write end is closed. */
static void maybe_shutdown(struct peer *p)
{
    if (!p->shutdown_requested || p->shutdown_done)
        return;
    if (p->pending.len > 0 || p->writes_in_flight > 0)
        return;
    p->shutdown_done = true;
    if (p->out_open) {
        p->out_open = false;
        p->pending_closes++;
        uv_close(&p->out.handle, on_handle_closed);
    }
}

void peer_shutdown_write(struct peer *p)
{
    if (p->shutdown_requested)
        return;
    peer_flush(p);
    p->shutdown_requested = true;
    maybe_shutdown(p);
}

static void on_handle_closed(uv_handle_t *h)
{
    struct peer *p = h->data;
    if (--p->pending_closes == 0 && p->on_close)
        p->on_close(p);
}

void peer_close(struct peer *p)
{
    peer_read_stop(p);
    p->eof = true;
    if (p->redo_open) {
        p->redo_open = false;
        p->pending_closes++;
        uv_close((uv_handle_t *)&p->redo, on_handle_closed);
    }
    if (p->in_open) {
        p->in_open = false;
        p->pending_closes++;
        uv_close(&p->in.handle, on_handle_closed);
    }
    if (p->out_open) {
        p->out_open = false;
        p->pending_closes++;
        uv_close(&p->out.handle, on_handle_closed);
    }
    if (p->pending_closes == 0 && p->on_close)
        p->on_close(p);
}

void peer_cleanup(struct peer *p)
{
    framer_cleanup(&p->framer);
    buf_cleanup(&p->pending);
    free(p->spare);
    p->spare = NULL;
}
