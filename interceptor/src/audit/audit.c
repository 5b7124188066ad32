/*
 * audit.c - asynchronous, bounded, hash-chained JSON Lines writer. It never blocks the loop
 * thread on the disk while the session runs: records are chained and buffered on the loop,
 * then written, synced, rotated and sealed by one job at a time on the thread pool. Only
 * audit_close's final flush may write synchronously, after the data path has stopped.
 */
#include "audit/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "seal/chain.h"
#include "seal/key.h"

#define HASH_TAIL_LEN 75 /* ,"hash":"<64 hex>"} */
#define RESUME_TAIL (256u << 10) /* the last complete record must lie in the file's last 256 KiB */

/* A run of records bound for the file, and what follows their write. */
struct batch {
    char *data;
    size_t len;
    char *head;       /* LOG.head contents once data is durable, or NULL */
    size_t head_len;
    unsigned rotate;  /* after the write: close the file, rename it LOG.<rotate>, reopen (0 = no) */
    bool sync;        /* fdatasync after the write */
    int rc;           /* the job's result */
    bool synced;
    struct batch *next;
};

struct audit {
    uv_loop_t *loop;
    int fd;
    char *path;
    char *head_path;
    char *head_tmp;
    struct buf pending;      /* chained records not yet handed to a job */
    char *pending_head;      /* the latest checkpoint's LOG.head line, written after pending */
    size_t pending_head_len;
    struct batch *queue, *queue_tail; /* sealed batches (a rotation ends one) */
    size_t queued_bytes;
    struct batch *job;       /* the batch on the thread pool */
    uv_work_t work;
    bool busy;
    bool closing;
    bool timer_open;
    int error;
    uint64_t seq;
    char prev[CHAIN_HEX + 1];
    char *session;
    const struct seal_key *signer;
    int fsync_mode;      /* AUDIT_SYNC_* */
    uint64_t last_sync;  /* uv_now of the last fdatasync */
    uint64_t syncs;
    uint64_t records;
    uint64_t rotate_bytes;
    uint64_t file_bytes; /* of the current file, counting records not yet written */
    unsigned next_index; /* the next rotated file is LOG.<next_index> */
    uint64_t cp_every;
    uint64_t since_cp;   /* records since the last checkpoint */
    uv_timer_t cp_timer;
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

/* ---- blocking I/O, on the thread pool (or at the final flush) ------------------------- */

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -errno;
        if (w == 0)
            return -EIO;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Replace LOG.head atomically: write a temporary, sync it (unless NEVER), rename. */
static int write_head(struct audit *a, const char *text, size_t len)
{
    int fd = open(a->head_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    int rc = write_all(fd, text, len);
    if (rc == 0 && a->fsync_mode != AUDIT_SYNC_NEVER && fdatasync(fd) < 0)
        rc = -errno;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    if (rc == 0 && rename(a->head_tmp, a->head_path) < 0)
        rc = -errno;
    return rc;
}

static int rotate_file(struct audit *a, unsigned index)
{
    size_t n = strlen(a->path) + 16;
    char *to = malloc(n);
    if (to == NULL)
        return -ENOMEM;
    snprintf(to, n, "%s.%u", a->path, index);
    int rc = 0;
    if (a->fsync_mode != AUDIT_SYNC_NEVER && fdatasync(a->fd) < 0)
        rc = -errno;
    if (rc == 0 && link(a->path, to) < 0) /* never replaces an existing LOG.N */
        rc = -errno;
    if (rc == 0 && unlink(a->path) < 0)
        rc = -errno;
    free(to);
    if (rc < 0)
        return rc;
    int fd = open(a->path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    close(a->fd);
    a->fd = fd;
    return 0;
}

static void run_batch(struct audit *a, struct batch *b)
{
    b->rc = write_all(a->fd, b->data, b->len);
    if (b->rc == 0 && b->sync) {
        if (fdatasync(a->fd) < 0)
            b->rc = -errno; /* a log that cannot be made durable fails closed like one unwritten */
        b->synced = true;
    }
    if (b->rc == 0 && b->head != NULL)
        b->rc = write_head(a, b->head, b->head_len);
    if (b->rc == 0 && b->rotate > 0)
        b->rc = rotate_file(a, b->rotate);
}

static void free_batch(struct batch *b)
{
    free(b->data);
    free(b->head);
    free(b);
}

/* ---- the job queue, on the loop ------------------------------------------------------- */

static void kick(struct audit *a);

static void job_work(uv_work_t *w)
{
    struct audit *a = w->data;
    run_batch(a, a->job);
}

static void finish(struct audit *a)
{
    /* final synchronous flush: the loop no longer carries traffic */
    while (a->error == 0 && (a->queue != NULL || a->pending.len > 0)) {
        struct batch *b = a->queue;
        if (b != NULL) {
            a->queue = b->next;
        } else {
            b = calloc(1, sizeof(*b));
            if (b == NULL)
                break;
            b->data = buf_steal(&a->pending, &b->len);
            b->head = a->pending_head;
            b->head_len = a->pending_head_len;
            a->pending_head = NULL;
        }
        b->sync = a->fsync_mode != AUDIT_SYNC_NEVER;
        run_batch(a, b);
        if (b->rc < 0)
            a->error = b->rc;
        free_batch(b);
    }
    while (a->queue != NULL) {
        struct batch *b = a->queue;
        a->queue = b->next;
        free_batch(b);
    }
    if (a->fd >= 0)
        close(a->fd);
    buf_cleanup(&a->pending);
    free(a->pending_head);
    free(a->path);
    free(a->head_path);
    free(a->head_tmp);
    free(a->session);
    free(a);
}

static void maybe_finish(struct audit *a)
{
    if (a->closing && !a->busy && !a->timer_open)
        finish(a);
}

static void job_done(uv_work_t *w, int status)
{
    struct audit *a = w->data;
    struct batch *b = a->job;
    a->job = NULL;
    a->busy = false;
    if (status < 0 && b->rc == 0)
        b->rc = status;
    if (b->rc < 0 && a->error == 0)
        a->error = b->rc;
    if (b->synced)
        a->syncs++;
    free_batch(b);
    kick(a);
}

static void kick(struct audit *a)
{
    if (a->busy || a->error != 0) {
        if (!a->busy)
            maybe_finish(a);
        return;
    }
    struct batch *b = a->queue;
    if (b != NULL) {
        a->queue = b->next;
        if (a->queue == NULL)
            a->queue_tail = NULL;
        a->queued_bytes -= b->len;
    } else if (a->pending.len > 0 && !a->closing) {
        b = calloc(1, sizeof(*b));
        if (b == NULL) {
            a->error = -ENOMEM;
            return;
        }
        b->data = buf_steal(&a->pending, &b->len);
        b->head = a->pending_head;
        b->head_len = a->pending_head_len;
        a->pending_head = NULL;
    } else {
        maybe_finish(a);
        return;
    }
    /* group commit: every record appended while this job runs shares the next fdatasync */
    uint64_t now = uv_now(a->loop);
    b->sync = a->fsync_mode == AUDIT_SYNC_ALWAYS ||
              (a->fsync_mode == AUDIT_SYNC_INTERVAL && now - a->last_sync >= 1000);
    if (b->sync)
        a->last_sync = now;
    a->job = b;
    a->work.data = a;
    int rc = uv_queue_work(a->loop, &a->work, job_work, job_done);
    if (rc < 0) {
        a->job = NULL;
        a->error = rc;
        free_batch(b);
        return;
    }
    a->busy = true;
}

/* ---- chaining, on the loop -------------------------------------------------------------- */

static int append(struct audit *a, const char *event, const char *fields, size_t len)
{
    struct buf *p = &a->pending;
    size_t start = p->len;
    char ts[32];
    audit_timestamp(ts);
    int rc = buf_printf(p, "{\"seq\":%" PRIu64 ",\"time\":\"%s\"", a->seq + 1, ts);
    if (rc == 0 && a->session != NULL)
        rc = buf_printf(p, ",\"session\":\"%s\"", a->session);
    rc = rc ? rc : buf_printf(p, ",\"event\":\"%s\"", event);
    if (rc == 0 && len > 0) {
        rc = buf_putc(p, ',');
        rc = rc ? rc : buf_append(p, fields, len);
    }
    rc = rc ? rc : buf_printf(p, ",\"prev\":\"%s\"", a->prev);
    char h[CHAIN_HEX + 1];
    if (rc == 0) {
        seal_chain_hash(p->data + start, p->len - start, h);
        rc = buf_printf(p, ",\"hash\":\"%s\"}\n", h);
    }
    if (rc == 0 && p->len + a->queued_bytes > AUDIT_BUFFER_LIMIT)
        rc = -ENOBUFS;
    if (rc < 0) {
        p->len = start; /* nothing half-written enters the chain */
        a->error = rc == -ENOBUFS ? -ENOSPC : rc;
        return a->error;
    }
    a->seq++;
    a->records++;
    memcpy(a->prev, h, sizeof(h));
    a->file_bytes += p->len - start;
    return 0;
}

/* Sign the chain head; the checkpoint's own line also becomes LOG.head. */
static int checkpoint(struct audit *a, bool final, const char *why)
{
    char fields[512], msg[256], sig[CHAIN_SIG_MAX + 1];
    const char *alg = a->signer ? seal_chain_alg(a->signer) : "none";
    uint64_t head_seq = a->seq;
    char head[CHAIN_HEX + 1];
    memcpy(head, a->prev, sizeof(head));
    int n;
    if (a->signer != NULL) {
        size_t ml = seal_checkpoint_msg(msg, sizeof(msg), alg, a->signer->kid, head_seq, head);
        if (ml == 0 || seal_checkpoint_sign(a->signer, msg, ml, sig) < 0) {
            a->error = -EINVAL;
            return a->error;
        }
        n = snprintf(fields, sizeof(fields),
                     "\"head_seq\":%" PRIu64 ",\"head\":\"%s\",\"reason\":\"%s\",\"alg\":\"%s\","
                     "\"kid\":\"%s\",\"sig\":\"%s\",\"final\":%s",
                     head_seq, head, why, alg, a->signer->kid, sig, final ? "true" : "false");
    } else {
        n = snprintf(fields, sizeof(fields),
                     "\"head_seq\":%" PRIu64 ",\"head\":\"%s\",\"reason\":\"%s\",\"alg\":\"none\","
                     "\"final\":%s",
                     head_seq, head, why, final ? "true" : "false");
    }
    size_t start = a->pending.len;
    int rc = append(a, "checkpoint", fields, (size_t)n);
    if (rc < 0)
        return rc;
    a->since_cp = 0;
    if (a->timer_open)
        uv_timer_stop(&a->cp_timer);
    /* LOG.head: the checkpoint line itself, so that it verifies like any record */
    size_t len = a->pending.len - start;
    char *line = malloc(len);
    if (line == NULL) {
        a->error = -ENOMEM;
        return a->error;
    }
    memcpy(line, a->pending.data + start, len);
    free(a->pending_head);
    a->pending_head = line;
    a->pending_head_len = len;
    return 0;
}

static void rotate(struct audit *a)
{
    if (checkpoint(a, false, "rotate") < 0)
        return;
    struct batch *b = calloc(1, sizeof(*b));
    if (b == NULL) {
        a->error = -ENOMEM;
        return;
    }
    unsigned index = a->next_index++;
    b->data = buf_steal(&a->pending, &b->len);
    b->head = a->pending_head;
    b->head_len = a->pending_head_len;
    a->pending_head = NULL;
    b->rotate = index;
    if (a->queue_tail)
        a->queue_tail->next = b;
    else
        a->queue = b;
    a->queue_tail = b;
    a->queued_bytes += b->len;
    a->file_bytes = 0;
    /* the new file opens with a record naming the one before; its prev links the two */
    const char *base = strrchr(a->path, '/');
    base = base ? base + 1 : a->path;
    struct buf f;
    buf_init(&f, 4096 + strlen(base) * 6);
    buf_append(&f, "\"previous_file\":\"", 17);
    buf_json_escape(&f, base, strlen(base));
    if (buf_printf(&f, ".%u\"", index) < 0)
        a->error = -ENOMEM;
    else
        append(a, "rotated", f.data, f.len);
    buf_cleanup(&f);
}

static void on_cp_timer(uv_timer_t *t)
{
    struct audit *a = t->data;
    if (a->error == 0 && a->since_cp > 0 && !a->closing) {
        checkpoint(a, false, "interval");
        kick(a);
    }
}

int audit_record(struct audit *a, const char *event, const char *fields, size_t len)
{
    if (a->error)
        return a->error;
    if (append(a, event, fields, len) < 0)
        return a->error;
    a->since_cp++;
    if (a->cp_every > 0 && a->since_cp >= a->cp_every)
        checkpoint(a, false, "count");
    else if (a->since_cp == 1 && a->timer_open)
        uv_timer_start(&a->cp_timer, on_cp_timer, AUDIT_CHECKPOINT_DELAY_MS, 0);
    if (a->error == 0 && a->rotate_bytes > 0 && a->file_bytes >= a->rotate_bytes)
        rotate(a);
    kick(a);
    return a->error;
}

/* ---- opening: continue the chain ------------------------------------------------------- */

static unsigned first_free_index(const char *path)
{
    size_t n = strlen(path) + 16;
    char *p = malloc(n);
    unsigned i = 1;
    struct stat st;
    if (p == NULL)
        return 1;
    for (;; i++) {
        snprintf(p, n, "%s.%u", path, i);
        if (lstat(p, &st) < 0)
            break;
    }
    free(p);
    return i;
}

/*
 * Find the last record of an existing log: its seq and hash continue the chain. A last line
 * without its newline is a torn write (a crash); *torn gets its length.
 */
static int resume(struct audit *a, off_t size, size_t *torn, char *err, size_t errlen)
{
    *torn = 0;
    if (size == 0)
        return 0;
    size_t want = size > (off_t)RESUME_TAIL ? RESUME_TAIL : (size_t)size;
    char *tail = malloc(want);
    if (tail == NULL)
        return -ENOMEM;
    ssize_t got = pread(a->fd, tail, want, size - (off_t)want);
    if (got != (ssize_t)want) {
        snprintf(err, errlen, "cannot read the end of audit log %s", a->path);
        free(tail);
        return -EIO;
    }
    size_t end = want;
    if (tail[end - 1] != '\n') {
        char *nl = memrchr(tail, '\n', end);
        size_t cut = nl ? (size_t)(nl - tail) + 1 : 0;
        *torn = end - cut;
        end = cut;
    }
    if (end == 0) {
        free(tail);
        if ((off_t)*torn == size) /* a lone torn first record: the chain starts afresh */
            return 0;
        snprintf(err, errlen,
                 "audit log %s: no complete record in its last %u KiB; use a new file", a->path,
                 RESUME_TAIL >> 10);
        return -EINVAL;
    }
    const char *last_end = tail + end - 1; /* its '\n' */
    const char *nl = memrchr(tail, '\n', (size_t)(last_end - tail));
    const char *line = nl ? nl + 1 : tail;
    if (nl == NULL && (off_t)want < size) {
        free(tail);
        snprintf(err, errlen, "audit log %s: its last record is longer than %u KiB", a->path,
                 RESUME_TAIL >> 10);
        return -EINVAL;
    }
    struct audit_line al;
    char why[160];
    if (audit_line_parse(line, (size_t)(last_end - line), &al, why, sizeof(why)) < 0) {
        snprintf(err, errlen,
                 "audit log %s is not a chained sentinel log (its last record: %s); use a new "
                 "file",
                 a->path, why);
        free(tail);
        return -EINVAL;
    }
    a->seq = al.seq;
    memcpy(a->prev, al.hash, sizeof(a->prev));
    free(tail);
    return 0;
}

int audit_open(struct audit **out, uv_loop_t *loop, const char *path, char *err, size_t errlen)
{
    *out = NULL;
    struct audit *a = calloc(1, sizeof(*a));
    if (a == NULL)
        return -ENOMEM;
    a->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (a->fd < 0) {
        int e = errno;
        snprintf(err, errlen, "cannot open audit log %s: %s", path, strerror(e));
        free(a);
        return -e;
    }
    a->loop = loop;
    a->path = strdup(path);
    size_t hl = strlen(path) + 16;
    a->head_path = malloc(hl);
    a->head_tmp = malloc(hl);
    buf_init(&a->pending, AUDIT_BUFFER_LIMIT);
    memcpy(a->prev, CHAIN_GENESIS, sizeof(a->prev));
    a->cp_every = AUDIT_CHECKPOINT_EVERY;
    struct stat st;
    int rc = 0;
    size_t torn = 0;
    if (a->path == NULL || a->head_path == NULL || a->head_tmp == NULL) {
        rc = -ENOMEM;
        snprintf(err, errlen, "out of memory");
    } else if (fstat(a->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        rc = -EINVAL;
        snprintf(err, errlen, "audit log %s is not a regular file", path);
    } else {
        snprintf(a->head_path, hl, "%s.head", path);
        snprintf(a->head_tmp, hl, "%s.head.tmp", path);
        rc = resume(a, st.st_size, &torn, err, errlen);
    }
    if (rc < 0) {
        a->busy = false;
        a->closing = true;
        finish(a);
        return rc;
    }
    a->file_bytes = (uint64_t)st.st_size;
    a->next_index = first_free_index(path);
    if (torn > 0) {
        /* end the torn line so the next record starts on its own; declare it in the chain */
        if ((rc = write_all(a->fd, "\n", 1)) < 0) {
            snprintf(err, errlen, "cannot write audit log %s: %s", path, strerror(-rc));
            a->closing = true;
            finish(a);
            return rc;
        }
        a->file_bytes++;
        char f[64];
        int n = snprintf(f, sizeof(f), "\"torn_bytes\":%zu", torn);
        append(a, "recovered", f, (size_t)n);
    }
    if (uv_timer_init(loop, &a->cp_timer) == 0) {
        a->cp_timer.data = a;
        uv_unref((uv_handle_t *)&a->cp_timer);
        a->timer_open = true;
    }
    *out = a;
    return 0;
}

void audit_set_session(struct audit *a, const char *sid)
{
    free(a->session);
    a->session = sid ? strdup(sid) : NULL;
}

void audit_set_signer(struct audit *a, const struct seal_key *k)
{
    a->signer = k;
}

void audit_set_rotate(struct audit *a, uint64_t bytes)
{
    a->rotate_bytes = bytes;
}

void audit_set_checkpoint(struct audit *a, uint64_t n)
{
    a->cp_every = n;
}

void audit_set_fsync(struct audit *a, int mode)
{
    a->fsync_mode = mode;
}

uint64_t audit_syncs(const struct audit *a)
{
    return a->syncs;
}

uint64_t audit_records(const struct audit *a)
{
    return a->records;
}

int audit_error(const struct audit *a)
{
    return a->error;
}

const char *audit_path(const struct audit *a)
{
    return a->path;
}

static void on_timer_closed(uv_handle_t *h)
{
    struct audit *a = h->data;
    a->timer_open = false;
    maybe_finish(a);
}

void audit_close(struct audit *a)
{
    if (a == NULL)
        return;
    if (a->error == 0 && a->records > 0)
        checkpoint(a, true, "close");
    a->closing = true;
    if (a->timer_open) {
        uv_timer_stop(&a->cp_timer);
        uv_close((uv_handle_t *)&a->cp_timer, on_timer_closed);
        return;
    }
    maybe_finish(a);
}
