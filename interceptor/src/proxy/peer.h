/*
 * peer.h - one side of the relay: a framed reader and a bounded writer on libuv streams.
 *
 * The client peer reads fd 0 and writes fd 1; the upstream peer reads the server's
 * stdout and writes its stdin. Complete lines go to the owner's on_line callback; bytes
 * written with peer_write are queued and sent by peer_flush with uv_try_write first and
 * uv_write for the rest. The owner reads peer_queued() to apply backpressure. A peer
 * owns two libuv handles; peer_close calls back once both are closed.
 *
 * Large messages are not copied on the way out: an unchanged line is written from the
 * read buffer (peer_forward_line), a rewritten one is moved into an empty queue
 * (peer_write_buf), and what uv_try_write did not take is handed to uv_write in place.
 */
#ifndef SENTINEL_PROXY_PEER_H
#define SENTINEL_PROXY_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

#include "base/buf.h"
#include "mcp/frame.h"

struct peer;

typedef void (*peer_line_cb)(struct peer *p, const char *line, size_t len);
typedef void (*peer_toobig_cb)(struct peer *p, const char *head, size_t head_len,
                               const char *tail, size_t tail_len, size_t size);
typedef void (*peer_eof_cb)(struct peer *p, int status); /* 0 = EOF, else -errno */
typedef void (*peer_batch_cb)(struct peer *p);           /* after each read's lines */
typedef void (*peer_drain_cb)(struct peer *p);           /* a write completed */
typedef void (*peer_close_cb)(struct peer *p);

union peer_handle {
    uv_handle_t handle;
    uv_stream_t stream;
    uv_pipe_t pipe;
    uv_tty_t tty;
    uv_idle_t idle; /* regular-file input: read a chunk per loop iteration */
};

struct peer {
    const char *name; /* "client" or "upstream", for logs */
    void *owner;
    union peer_handle in, out;
    bool in_open, out_open;
    int in_file_fd;  /* >= 0 when the input is a regular file (read with read(2)) */
    int out_file_fd; /* >= 0 when the output is a regular file (written with write(2)) */
    bool reading;   /* uv_read_start active */
    bool eof;       /* no more input */
    bool write_err; /* the writer failed: the peer is gone */
    bool shutdown_requested, shutdown_done;
    struct framer framer;
    /* reading stopped in the middle of a read's lines (the owner's queues filled up): the
     * rest wait in the framer, and `redo` hands them out once reading starts again */
    bool held;
    bool redo_open;
    uv_idle_t redo;
    struct buf pending; /* queued, not yet handed to libuv */
    size_t inflight;    /* handed to uv_write, not yet completed */
    char *spare;        /* a written-out queue buffer kept for reuse, NULL when none */
    size_t spare_cap;   /* 0 when spare is NULL; never over PEER_KEEP_MAX */
    size_t writes_in_flight;
    size_t pending_closes;
    peer_line_cb on_line;
    peer_toobig_cb on_toobig;
    peer_eof_cb on_eof;
    peer_batch_cb on_batch;
    peer_drain_cb on_drain;
    peer_close_cb on_close;
};

/*
 * Wrap descriptors `in_fd` (read) and `out_fd` (write); either may be -1. Pipes, sockets
 * and terminals go through libuv streams; regular files (`sentinel run < requests.jsonl
 * > out.jsonl`) are read and written with plain read/write, which never wait on a file.
 */
int peer_init(struct peer *p, uv_loop_t *loop, const char *name, int in_fd, int out_fd,
              size_t max_line, size_t queue_hard_limit, char *err, size_t errlen);
int peer_read_start(struct peer *p);
void peer_read_stop(struct peer *p);

/*
 * Idle buffers up to this capacity are kept for reuse (the queue's memory, its spare, the
 * buffer peer_write_buf hands back); larger ones are freed once written, so memory
 * returns to this bound after a huge message. 16 MiB holds a 10 MiB result with room.
 */
#define PEER_KEEP_MAX ((size_t)16 << 20)

/* Queue bytes. -ENOBUFS past the hard limit (the peer is not reading: caller closes). */
int peer_write(struct peer *p, const void *data, size_t len);
/*
 * Queue the bytes of b, like peer_write(p, b->data, b->len), without copying them when
 * nothing is queued: b's memory becomes the queue and b gets the peer's idle buffer
 * instead (the larger of the empty queue's and the spare; none over PEER_KEEP_MAX), so a
 * caller that rewrites message after message into b reuses warm memory. When bytes are
 * queued already they are copied after them: the order of bytes never changes. b keeps
 * its limit. On success b is empty; on error (as peer_write) b is unchanged.
 */
int peer_write_buf(struct peer *p, struct buf *b);
/*
 * Forward `line` (len bytes, followed by its '\n' in src's read buffer) to p without
 * copying it when it is large and nothing else is queued: written straight from the
 * buffer, the unwritten rest handed to libuv with the buffer itself. Returns false when
 * the caller must use peer_write instead.
 */
bool peer_forward_line(struct peer *p, struct peer *src, const char *line, size_t len);
/* Hand queued bytes to the kernel/libuv. */
void peer_flush(struct peer *p);
/* Bytes queued or in flight. */
size_t peer_queued(const struct peer *p);
/* After the queue drains, close the write side (EOF to the other end). */
void peer_shutdown_write(struct peer *p);
/* Close both handles; on_close runs once both are closed. */
void peer_close(struct peer *p);
void peer_cleanup(struct peer *p);

#endif
