/*
 * relay.c - a bare byte relay between our stdin/stdout and a child's pipes: the physical
 * limit for any stdio proxy, so the benchmark can tell the cost of the pipes from the cost of
 * the interceptor. poll() plus read/write through one large buffer per direction (what any
 * parsing proxy must at least do), or splice(2) with --splice. It never parses a byte.
 */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_BUF (256 * 1024)
#define SPLICE_CHUNK (1024 * 1024)

struct dir {
    int src, dst;
    char *buf;
    size_t cap, off, len; /* pending bytes are buf[off..len) */
    bool use_splice;
    bool dst_full; /* splice: the last attempt found dst full */
    bool eof;      /* src is finished and nothing is pending */
};

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -errno;
    return 0;
}

/* Write what dst takes now. 0 (possibly with bytes left), or a negative errno. */
static int flush_dir(struct dir *d)
{
    while (d->off < d->len) {
        ssize_t n = write(d->dst, d->buf + d->off, d->len - d->off);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN ? 0 : -errno;
        }
        d->off += (size_t)n;
    }
    d->off = d->len = 0;
    return 0;
}

/* src is readable: move bytes. 0, or a negative errno; sets d->eof at end of input. */
static int pump_copy(struct dir *d)
{
    ssize_t n = read(d->src, d->buf, d->cap);

    if (n < 0)
        return errno == EAGAIN || errno == EINTR ? 0 : -errno;
    if (n == 0) {
        d->eof = true;
        return 0;
    }
    d->off = 0;
    d->len = (size_t)n;
    return flush_dir(d); /* usually all of it goes at once: saves a poll round */
}

static int pump_splice(struct dir *d)
{
    bool moved = false;

    for (;;) {
        ssize_t n =
            splice(d->src, NULL, d->dst, NULL, SPLICE_CHUNK, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);

        if (n > 0) {
            moved = true;
            d->dst_full = false;
            continue;
        }
        if (n == 0) {
            d->eof = true;
            return 0;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN) {
            /*
             * Either src ran dry or dst is full. After progress, guess the former; with none,
             * the side we did not wait on is the one that blocks. A wrong guess costs one poll.
             */
            if (!moved)
                d->dst_full = !d->dst_full;
            return 0;
        }
        if (errno == EINVAL) { /* not a pipe on one side: fall back to copying */
            d->use_splice = false;
            d->dst_full = false;
            return 0;
        }
        return -errno;
    }
}

/*
 * The poll events this direction waits for, on its src (*ev_src) and dst (*ev_dst).
 * Splicing alternates: wait for input, and only after an EAGAIN with input present, for room.
 */
static void wanted(const struct dir *d, short *ev_src, short *ev_dst)
{
    *ev_src = *ev_dst = 0;
    if (d->eof)
        return;
    if (d->use_splice) {
        if (d->dst_full)
            *ev_dst = POLLOUT;
        else
            *ev_src = POLLIN;
    } else if (d->len > d->off) {
        *ev_dst = POLLOUT;
    } else {
        *ev_src = POLLIN;
    }
}

static int relay(struct dir *up, struct dir *down)
{
    struct dir *dirs[2] = {up, down};

    while (!down->eof) {
        struct pollfd pfd[4];
        int rc;

        for (int i = 0; i < 2; i++) {
            wanted(dirs[i], &pfd[2 * i].events, &pfd[2 * i + 1].events);
            pfd[2 * i].fd = pfd[2 * i].events ? dirs[i]->src : -1;
            pfd[2 * i + 1].fd = pfd[2 * i + 1].events ? dirs[i]->dst : -1;
            pfd[2 * i].revents = pfd[2 * i + 1].revents = 0;
        }
        if (poll(pfd, 4, -1) < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        for (int i = 0; i < 2; i++) {
            struct dir *d = dirs[i];
            bool src_ready = pfd[2 * i].revents != 0;
            bool dst_ready = pfd[2 * i + 1].revents != 0;

            rc = 0;
            if (d->use_splice && (src_ready || dst_ready)) {
                rc = pump_splice(d);
            } else if (dst_ready) {
                rc = flush_dir(d);
            } else if (src_ready) {
                rc = pump_copy(d);
            }
            if (rc == -EPIPE && d == up) {
                /* the child closed its stdin: drop what it will never read */
                d->eof = true;
                d->off = d->len = 0;
                rc = 0;
            }
            if (rc)
                return rc;
            if (d == up && d->eof && up->dst >= 0) {
                close(up->dst); /* the client is gone: the child sees EOF */
                up->dst = -1;
            }
        }
    }
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: relay [--splice] [--buf BYTES] [--pipe-size BYTES] -- CMD [ARGS...]\n"
                    "  --pipe-size: F_SETPIPE_SZ on all four pipe ends (sentinel uses 1 MiB)\n");
}

int main(int argc, char **argv)
{
    struct dir up = {.dst = -1}, down = {.dst = -1};
    struct child c;
    size_t cap = DEFAULT_BUF;
    unsigned long pipe_size = 0;
    bool use_splice = false;
    int i, rc, status = 0, ret = 1;

    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--splice") == 0) {
            use_splice = true;
        } else if (strcmp(argv[i], "--pipe-size") == 0 && i + 1 < argc) {
            char *end;

            pipe_size = strtoul(argv[++i], &end, 10);
            if (*end || pipe_size > (1ul << 30)) {
                usage();
                return 2;
            }
        } else if (strcmp(argv[i], "--buf") == 0 && i + 1 < argc) {
            char *end;

            cap = strtoul(argv[++i], &end, 10);
            if (*end || cap < 4096) {
                usage();
                return 2;
            }
        } else {
            usage();
            return 2;
        }
    }
    if (i + 1 >= argc) {
        usage();
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    rc = spawn_child(&c, argv + i + 1, false);
    if (rc) {
        fprintf(stderr, "relay: cannot start %s: %s\n", argv[i + 1], strerror(-rc));
        return 127;
    }
    up = (struct dir){.src = STDIN_FILENO, .dst = c.to, .use_splice = use_splice};
    down = (struct dir){.src = c.from, .dst = STDOUT_FILENO, .use_splice = use_splice};
    up.cap = down.cap = cap;
    up.buf = malloc(cap);
    down.buf = malloc(cap);
    if (!up.buf || !down.buf) {
        fprintf(stderr, "relay: out of memory\n");
        goto out;
    }
    if (pipe_size) {
        /* best effort, as in sentinel: a tty or file simply keeps its behaviour */
        int fds[4] = {STDIN_FILENO, STDOUT_FILENO, c.to, c.from};

        for (int k = 0; k < 4; k++)
            fcntl(fds[k], F_SETPIPE_SZ, (int)pipe_size);
    }
    /* O_NONBLOCK on stdin/stdout is shared with whoever else holds them; fine for a bench tool */
    if (set_nonblock(STDIN_FILENO) || set_nonblock(STDOUT_FILENO) || set_nonblock(c.to) ||
        set_nonblock(c.from)) {
        fprintf(stderr, "relay: fcntl: %s\n", strerror(errno));
        goto out;
    }
    rc = relay(&up, &down);
    if (rc && rc != -EPIPE)
        fprintf(stderr, "relay: %s\n", strerror(-rc));
    ret = 0;
out:
    if (up.dst >= 0)
        close(up.dst);
    close(c.from);
    if (spawn_wait(&c, &status, -1, false) == 0 && ret == 0)
        ret = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    free(up.buf);
    free(down.buf);
    return ret;
}
