/*
 * audit.c - asynchronous, bounded JSON Lines writer for decisions. It must never block
 * the loop thread on the disk while the session runs; only audit_close's final flush
 * may write synchronously, after the data path has stopped.
 */
#include "audit/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct audit {
    uv_loop_t *loop;
    int fd;
    char *path;
    struct buf pending;
    char *writing; /* buffer handed to the in-flight write */
    size_t writing_len;
    size_t writing_off;
    uv_fs_t req;
    bool busy;
    bool closing;
    int error;
    uint64_t seq;
    int fsync_mode;      /* AUDIT_SYNC_* */
    uint64_t last_sync;  /* uv_now of the last fdatasync */
    uint64_t syncs;
};

void audit_timestamp(char out[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%09ldZ", ts.tv_nsec % 1000000000L);
}

int audit_open(struct audit **out, uv_loop_t *loop, const char *path, char *err, size_t errlen)
{
    *out = NULL;
    struct audit *a = calloc(1, sizeof(*a));
    if (a == NULL)
        return -ENOMEM;
    a->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (a->fd < 0) {
        int e = errno;
        snprintf(err, errlen, "cannot open audit log %s: %s", path, strerror(e));
        free(a);
        return -e;
    }
    a->loop = loop;
    a->path = strdup(path);
    buf_init(&a->pending, AUDIT_BUFFER_LIMIT);
    *out = a;
    return 0;
}

static void start_write(struct audit *a);

static void finish(struct audit *a)
{
    /* final synchronous flush: the loop no longer carries traffic */
    if (a->error == 0 && a->pending.len > 0) {
        size_t off = 0;
        while (off < a->pending.len) {
            ssize_t w = write(a->fd, a->pending.data + off, a->pending.len - off);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            off += (size_t)w;
        }
    }
    if (a->fd >= 0 && a->fsync_mode != AUDIT_SYNC_NEVER)
        fdatasync(a->fd);
    if (a->fd >= 0)
        close(a->fd);
    buf_cleanup(&a->pending);
    free(a->path);
    free(a);
}

static void next_batch(struct audit *a)
{
    if (a->error == 0 && a->pending.len > 0) {
        a->writing = buf_steal(&a->pending, &a->writing_len);
        a->writing_off = 0;
        start_write(a);
        return;
    }
    if (a->closing)
        finish(a);
}

static void on_synced(uv_fs_t *req)
{
    struct audit *a = req->data;
    ssize_t r = req->result;
    uv_fs_req_cleanup(req);
    a->busy = false;
    a->syncs++;
    if (r < 0 && a->error == 0)
        a->error = (int)r; /* a log that cannot be made durable fails closed like one unwritten */
    next_batch(a);
}

static void on_written(uv_fs_t *req)
{
    struct audit *a = req->data;
    ssize_t r = req->result;
    uv_fs_req_cleanup(req);
    a->busy = false;
    if (r < 0) {
        if (a->error == 0)
            a->error = (int)r;
    } else {
        a->writing_off += (size_t)r;
        if (r == 0 && a->error == 0)
            a->error = -EIO;
    }
    if (a->error == 0 && a->writing_off < a->writing_len) {
        start_write(a);
        return;
    }
    free(a->writing);
    a->writing = NULL;
    /* group commit: every record written meanwhile shares the next fdatasync */
    uint64_t now = uv_now(a->loop);
    if (a->error == 0 && (a->fsync_mode == AUDIT_SYNC_ALWAYS ||
                          (a->fsync_mode == AUDIT_SYNC_INTERVAL && now - a->last_sync >= 1000))) {
        a->last_sync = now;
        a->req.data = a;
        if (uv_fs_fdatasync(a->loop, &a->req, a->fd, on_synced) == 0) {
            a->busy = true;
            return;
        }
        a->error = -EIO;
    }
    next_batch(a);
}

static void start_write(struct audit *a)
{
    uv_buf_t b = uv_buf_init(a->writing + a->writing_off,
                             (unsigned)(a->writing_len - a->writing_off));
    a->req.data = a;
    int rc = uv_fs_write(a->loop, &a->req, a->fd, &b, 1, -1, on_written);
    if (rc < 0) {
        a->error = rc;
        free(a->writing);
        a->writing = NULL;
        return;
    }
    a->busy = true;
}

int audit_record(struct audit *a, const char *event, const char *fields, size_t len)
{
    if (a->error)
        return a->error;
    char ts[32];
    audit_timestamp(ts);
    int rc = buf_printf(&a->pending, "{\"seq\":%" PRIu64 ",\"time\":\"%s\",\"event\":\"%s\"",
                        ++a->seq, ts, event);
    if (rc == 0 && len > 0) {
        rc = buf_putc(&a->pending, ',');
        rc = rc ? rc : buf_append(&a->pending, fields, len);
    }
    rc = rc ? rc : buf_append(&a->pending, "}\n", 2);
    if (rc < 0) {
        a->error = rc == -ENOBUFS ? -ENOSPC : rc;
        return a->error;
    }
    if (!a->busy) {
        a->writing = buf_steal(&a->pending, &a->writing_len);
        a->writing_off = 0;
        start_write(a);
    }
    return a->error;
}

void audit_set_fsync(struct audit *a, int mode)
{
    a->fsync_mode = mode;
}

uint64_t audit_syncs(const struct audit *a)
{
    return a->syncs;
}

int audit_error(const struct audit *a)
{
    return a->error;
}

const char *audit_path(const struct audit *a)
{
    return a->path;
}

void audit_close(struct audit *a)
{
    if (a == NULL)
        return;
    a->closing = true;
    if (!a->busy)
        finish(a);
}
