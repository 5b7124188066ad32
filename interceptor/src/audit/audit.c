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
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/verify.h"
#include "base/log.h"
#include "seal/chain.h"
#include "seal/key.h"

#define TS_LEN 30                /* 2026-11-22T05:15:14.696041592Z */
#define RESUME_READ (256u << 10)   /* the end of a log is read back in steps from this much ... */
#define RESUME_MAX (64u << 20)     /* ... to this much: the records after LOG.head's checkpoint */
#define HEAD_MAX (64u << 10)       /* a head file is one checkpoint line */
#define OUT_FLUSH (1u << 20)     /* the job writes its lines in chunks of about this much */
#define DROP_LAG (8u << 20)      /* unsynced: pages this far behind the end are on disk by now */
#define HEAD_LAG (8u << 20)      /* a job this far past the head's checkpoint moves the head on */
/* What a line adds to its entry, at most (the session's bytes come on top): the braces and
 * names around the session, the seq, the time's quotes, the prev and the hash. The backlog
 * is counted in log bytes with it, so that its bounds hold for what a crash can lose. */
#define LINE_EXTRA 192

/*
 * The loop hands the job entries, not lines: a kind byte ('R' record, 'C' checkpoint), the
 * 30-byte time, then for a record its `"event":"…",fields` and for a checkpoint its reason
 * and 'F' when final; each ends in '\n' (JSON text holds no raw newline). A record whose
 * digests are still to be computed is an 'H' entry instead, sized rather than ended:
 * 'H', time, u32 body length, u32 digest count, the body, then per digest u32 offset of its
 * placeholder in the body, u32 length and the bytes to hash. The job numbers, chains, signs
 * and writes them: all hashing and signing happens off the loop thread.
 */
#define DIGESTS_MAX 8
_Static_assert(AUDIT_DIGEST_HEX == CHAIN_HEX, "a digest placeholder holds one chain hash");
#define DEFER_MAX (AUDIT_BUFFER_LIMIT / 4) /* larger digest inputs are hashed at once */
struct audit {
    uv_loop_t *loop;
    int fd;
    char *path;
    char *head_path;
    char *head_tmp;
    bool stream;             /* not a regular file: no resume, rotation or LOG.head */
    int lock_fd;             /* LOG.lock, flock'd while this writer lives; -1 = none */

    /* loop side */
    struct buf pending;      /* entries not yet handed to a job */
    struct buf job_in;       /* entries of the running job */
    uv_work_t work;
    bool busy;
    bool closing;
    bool timer_open;
    int error;
    int fsync_mode;          /* AUDIT_SYNC_* */
    uint64_t last_sync;      /* uv_now of the last fdatasync */
    uint64_t syncs;
    uint64_t records;
    uint64_t cp_every;
    uint64_t since_cp;       /* records since the last checkpoint entry */
    uint64_t cp_bytes;       /* ... and the log bytes they take, about (LINE_EXTRA) */
    uv_timer_t cp_timer;
    uv_timer_t batch;        /* hands the records of the last AUDIT_BATCH_MS to one job */
    bool batch_open;
    uv_timer_t idle_sync;    /* interval: syncs what an idle log left unsynced, 1 s on */
    bool idle_open;
    bool sync_owed;          /* ... the job it starts syncs, even with nothing to write */
    bool behind;             /* audit_behind(): over AUDIT_HIGH_WATER, not yet drained */
    uint64_t appended;       /* entries appended so far */
    size_t pending_n;        /* entries in pending ... */
    size_t job_n;            /* ... and in job_in */
    uint64_t job_upto;       /* ... when the running job took them */
    uint64_t durable;        /* ... written (and synced) by completed jobs */
    void (*on_durable)(void *);
    void *on_durable_arg;
    void (*drained)(void *);
    void *drained_arg;
    time_t ts_sec;           /* the cached "YYYY-MM-DDTHH:MM:SS." of this second */
    char ts_prefix[21];

    /* job side: the loop touches these only while no job runs */
    struct buf out;          /* chained lines on their way to the file */
    struct buf head;         /* the latest checkpoint line, for LOG.head */
    bool head_dirty;
    uint64_t seq;
    char prev[CHAIN_HEX + 1];
    char *session;
    size_t session_len;
    struct seal_chain_prefix prefix; /* SHA-256 state after `{"session":"<id>",` */
    const struct seal_key *signer;
    const struct seal_keyring *keys; /* keys[0] is the signer; all verify a resumed log */
    uint64_t rotate_bytes;
    uint64_t file_bytes;
    uint64_t head_at;        /* file_bytes when LOG.head last moved on */
    uint64_t dropped;        /* the file's page cache is dropped up to here (drop_cache) */
    unsigned next_index;     /* the next rotated file is LOG.<next_index> */
    bool job_sync;
    int job_fsync;           /* fsync_mode as the job started */
    bool job_synced;
    int job_rc;
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

/* The same, with the date part formatted once a second. */
static void stamp(struct audit *a, char out[TS_LEN])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (ts.tv_sec != a->ts_sec || a->ts_prefix[0] == '\0') {
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        if (strftime(a->ts_prefix, sizeof(a->ts_prefix), "%Y-%m-%dT%H:%M:%S.", &tm) != 20)
            memcpy(a->ts_prefix, "0000-00-00T00:00:00.", 20);
        a->ts_sec = ts.tv_sec;
    }
    memcpy(out, a->ts_prefix, 20);
    long ns = ts.tv_nsec % 1000000000L;
    for (int i = 28; i >= 20; i--) {
        out[i] = (char)('0' + ns % 10);
        ns /= 10;
    }
    out[29] = 'Z';
}

/* ---- the job: chaining, signing and blocking I/O, on the thread pool ------------------ */

/* Bytes every log of the process has written (job threads add, the loop reads). */
static uint64_t written_total;

uint64_t audit_write_progress(void)
{
    return __atomic_load_n(&written_total, __ATOMIC_RELAXED);
}

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
        __atomic_add_fetch(&written_total, (uint64_t)w, __ATOMIC_RELAXED);
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/*
 * The file being written must still be the log at its path: records written into a file that
 * was deleted or replaced are lost to every reader, so that is a write error (fail closed).
 * Checked once per checkpoint, before the head file vouches for it.
 */
static int still_the_log(struct audit *a)
{
    struct stat fst, pst;
    if (fstat(a->fd, &fst) < 0)
        return -errno;
    if (fst.st_nlink == 0)
        return -ENOENT;
    if (stat(a->path, &pst) < 0)
        return -errno;
    if (pst.st_ino != fst.st_ino || pst.st_dev != fst.st_dev)
        return -ESTALE;
    return 0;
}

/* Replace LOG.head atomically: write a temporary, sync it (unless NEVER), rename. Whatever
 * is at LOG.head.tmp is removed first and the new one created exclusively, never followed. */
static int write_head(struct audit *a)
{
    int rc = still_the_log(a);
    if (rc < 0)
        return rc;
    if (unlink(a->head_tmp) < 0 && errno != ENOENT)
        return -errno;
    int fd = open(a->head_tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    rc = write_all(fd, a->head.data, a->head.len);
    if (rc == 0 && a->job_fsync != AUDIT_SYNC_NEVER && fdatasync(fd) < 0)
        rc = -errno;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    if (rc == 0 && rename(a->head_tmp, a->head_path) < 0)
        rc = -errno;
    if (rc == 0)
        a->head_at = a->file_bytes;
    return rc;
}

/*
 * The log is written once and never read back here: its pages, once on disk, only crowd the
 * page cache, and writing into recycled pages is much cheaper than into fresh ones (a 256 KiB
 * append measured 5.6 GB/s against 0.4 GB/s on these VMs). After a sync everything written is
 * dropped; unsynced, the pages DROP_LAG behind the end are (writeback has had its time; a page
 * still dirty stays, and the next call covers it again).
 */
static void drop_cache(struct audit *a, int fd, bool synced)
{
    if (a->stream)
        return;
    uint64_t upto = a->file_bytes & ~(uint64_t)4095, from = a->dropped;
    if (!synced) {
        upto = upto > DROP_LAG ? upto - DROP_LAG : 0;
        from = from > DROP_LAG ? from - DROP_LAG : 0;
        if (upto < a->dropped + (1u << 20))
            return; /* once a MiB is enough */
    }
    if (upto <= from)
        return;
    (void)posix_fadvise(fd, (off_t)from, (off_t)(upto - from), POSIX_FADV_DONTNEED); /* a hint */
    a->dropped = upto;
}

static int flush_out(struct audit *a)
{
    int rc = write_all(a->fd, a->out.data, a->out.len);
    a->out.len = 0;
    return rc;
}

/* Rename LOG to LOG.<index>, never replacing a file: one atomic step (a crash leaves either
 * name, never both); where the file system cannot, link then unlink, and a crash between the
 * two leaves two names of one file, which the next run and verify recognise (same_file). */
static int rename_noreplace(const char *from, const char *to)
{
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return -errno;
    if (link(from, to) < 0 || unlink(from) < 0)
        return -errno;
    return 0;
}

/* Close the full file, keep it as LOG.<index> (never replacing one), start a new LOG. */
static int rotate_file(struct audit *a, unsigned index)
{
    size_t n = strlen(a->path) + 16;
    char *to = malloc(n);
    if (to == NULL)
        return -ENOMEM;
    snprintf(to, n, "%s.%u", a->path, index);
    int rc = 0;
    if (a->job_fsync != AUDIT_SYNC_NEVER && fdatasync(a->fd) < 0)
        rc = -errno;
    if (rc == 0)
        rc = rename_noreplace(a->path, to);
    free(to);
    if (rc < 0)
        return rc;
    int fd = open(a->path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) { /* the log's own lock (lock_log) */
        rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
        close(fd);
        return rc;
    }
    drop_cache(a, a->fd, a->job_fsync != AUDIT_SYNC_NEVER);
    close(a->fd);
    a->fd = fd;
    a->file_bytes = 0;
    a->head_at = 0;
    a->dropped = 0;
    return 0;
}

static char *put_u64(char *p, uint64_t v)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        *p++ = tmp[--n];
    return p;
}

static uint32_t get_u32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static void put_u32(char *p, uint32_t v)
{
    memcpy(p, &v, sizeof(v));
}

/* One chained line: {["session":S,]"seq":N,"time":T,BODY,"prev":P,"hash":H}\n. `dig` holds
 * nd digests of an 'H' entry, whose hex replaces their placeholders in the body. */
static int emit(struct audit *a, const char *ts, const char *body, size_t len, const char *dig,
                uint32_t nd)
{
    struct buf *o = &a->out;
    int rc = buf_reserve(o, len + a->session_len + TS_LEN + 256);
    if (rc < 0)
        return rc;
    size_t start = o->len;
    char *p = o->data + o->len;
    /* the session comes first: every line of a run then begins with the same bytes, whose
     * SHA-256 blocks are absorbed once (seal_chain_prefix) */
    if (a->session != NULL) {
        memcpy(p, "{\"session\":\"", 12);
        memcpy(p + 12, a->session, a->session_len);
        p += 12 + a->session_len;
        memcpy(p, "\",\"seq\":", 8);
        p += 8;
    } else {
        memcpy(p, "{\"seq\":", 7);
        p += 7;
    }
    p = put_u64(p, a->seq + 1);
    memcpy(p, ",\"time\":\"", 9);
    memcpy(p + 9, ts, TS_LEN);
    p += 9 + TS_LEN;
    *p++ = '"';
    *p++ = ',';
    o->len = (size_t)(p - o->data);
    size_t body_at = o->len;
    if ((rc = buf_append(o, body, len)) < 0 || (rc = buf_reserve(o, 160)) < 0)
        return rc;
    for (uint32_t i = 0; i < nd; i++) {
        uint32_t at = get_u32(dig), dl = get_u32(dig + 4);
        char h[CHAIN_HEX + 1];
        seal_chain_hash(dig + 8, dl, h);
        if ((size_t)at + CHAIN_HEX <= len) /* checked when the entry was made */
            memcpy(o->data + body_at + at, h, CHAIN_HEX);
        dig += 8 + (size_t)dl;
    }
    p = o->data + o->len;
    memcpy(p, ",\"prev\":\"", 9);
    memcpy(p + 9, a->prev, CHAIN_HEX);
    p += 9 + CHAIN_HEX;
    *p++ = '"';
    char h[CHAIN_HEX + 1];
    if (a->session != NULL)
        seal_chain_hash_prefixed(&a->prefix, o->data + start, (size_t)(p - (o->data + start)), h);
    else
        seal_chain_hash(o->data + start, (size_t)(p - (o->data + start)), h);
    memcpy(p, ",\"hash\":\"", 9);
    memcpy(p + 9, h, CHAIN_HEX);
    p += 9 + CHAIN_HEX;
    memcpy(p, "\"}\n", 3);
    p += 3;
    o->len = (size_t)(p - o->data);
    a->seq++;
    memcpy(a->prev, h, sizeof(h));
    a->file_bytes += o->len - start;
    return 0;
}


/* Sign the chain head; the checkpoint line also becomes LOG.head. */
static int emit_checkpoint(struct audit *a, const char *ts, const char *why, size_t whylen,
                           bool final)
{
    char body[512], msg[256], sig[CHAIN_SIG_MAX + 1];
    uint64_t head_seq = a->seq;
    int n;
    if (a->signer != NULL) {
        const char *alg = seal_chain_alg(a->signer);
        char reason[32];
        snprintf(reason, sizeof(reason), "%.*s", (int)whylen, why);
        char tsz[TS_LEN + 1];
        memcpy(tsz, ts, TS_LEN);
        tsz[TS_LEN] = '\0';
        size_t ml = seal_checkpoint_msg(msg, sizeof(msg), alg, a->signer->kid, head_seq, a->prev,
                                        reason, final, tsz);
        if (ml == 0 || seal_checkpoint_sign(a->signer, msg, ml, sig) < 0)
            return -EINVAL;
        n = snprintf(body, sizeof(body),
                     "\"event\":\"checkpoint\",\"head_seq\":%" PRIu64 ",\"head\":\"%s\","
                     "\"reason\":\"%.*s\",\"alg\":\"%s\",\"kid\":\"%s\",\"sig\":\"%s\","
                     "\"final\":%s",
                     head_seq, a->prev, (int)whylen, why, alg, a->signer->kid, sig,
                     final ? "true" : "false");
    } else {
        n = snprintf(body, sizeof(body),
                     "\"event\":\"checkpoint\",\"head_seq\":%" PRIu64 ",\"head\":\"%s\","
                     "\"reason\":\"%.*s\",\"alg\":\"none\",\"final\":%s",
                     head_seq, a->prev, (int)whylen, why, final ? "true" : "false");
    }
    if (n < 0 || (size_t)n >= sizeof(body))
        return -EINVAL;
    size_t start = a->out.len;
    int rc = emit(a, ts, body, (size_t)n, NULL, 0);
    if (rc < 0)
        return rc;
    a->head.len = 0;
    rc = buf_append(&a->head, a->out.data + start, a->out.len - start);
    a->head_dirty = rc == 0;
    return rc;
}

/* Past the size limit: seal the file, rotate, open the new one naming the old. */
static int rotate(struct audit *a, const char *ts)
{
    unsigned index = a->next_index;
    int rc = emit_checkpoint(a, ts, "rotate", 6, false);
    if (rc == 0)
        rc = flush_out(a);
    if (rc == 0 && a->head_dirty && !a->stream) {
        rc = write_head(a);
        a->head_dirty = false;
    }
    if (rc == 0)
        rc = rotate_file(a, index);
    if (rc < 0)
        return rc;
    a->next_index++;
    const char *base = strrchr(a->path, '/');
    base = base ? base + 1 : a->path;
    struct buf f;
    buf_init(&f, 4096 + strlen(base) * 6);
    static const char pre[] = "\"event\":\"rotated\",\"previous_file\":\"";
    buf_append(&f, pre, sizeof(pre) - 1);
    buf_json_escape(&f, base, strlen(base));
    rc = buf_printf(&f, ".%u\"", index);
    if (rc == 0)
        rc = emit(a, ts, f.data, f.len, NULL, 0);
    buf_cleanup(&f);
    return rc;
}

/*
 * A long job moves LOG.head on at a checkpoint once HEAD_LAG bytes were written since it last
 * did, instead of only at its end: the next run re-verifies what follows the head's
 * checkpoint, and a crash must not leave more of that than it reads back (RESUME_MAX). The
 * checkpoint is written (and synced, where the job syncs) before the head names it.
 */
static int head_now(struct audit *a, bool sync)
{
    int rc = flush_out(a);
    if (rc < 0 || a->stream)
        return rc;
    if (sync && fdatasync(a->fd) < 0)
        return -errno;
    drop_cache(a, a->fd, sync);
    rc = write_head(a);
    a->head_dirty = false;
    return rc;
}

/* Chain, sign and write the entries in `in`; then sync and update LOG.head. */
static int run_job(struct audit *a, const struct buf *in, bool sync, bool *synced)
{
    int rc = 0;
    const char *p = in->data, *end = in->data + in->len;
    while (rc == 0 && p < end) {
        const char *ts = p + 1, *body = p + 1 + TS_LEN, *dig = NULL, *next;
        size_t blen;
        uint32_t nd = 0;
        if (*p == 'H') {
            if (end - body < 8)
                return -EINVAL; /* cannot happen: the loop writes whole entries */
            blen = get_u32(body);
            nd = get_u32(body + 4);
            body += 8;
            if ((size_t)(end - body) < blen)
                return -EINVAL;
            dig = body + blen;
            next = dig;
            for (uint32_t i = 0; i < nd; i++) {
                if (end - next < 8 || (size_t)(end - next - 8) < get_u32(next + 4))
                    return -EINVAL;
                next += 8 + (size_t)get_u32(next + 4);
            }
        } else {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (nl == NULL || nl - p < 1 + TS_LEN)
                return -EINVAL;
            blen = (size_t)(nl - body);
            next = nl + 1;
        }
        if (*p == 'R' || *p == 'H') {
            rc = emit(a, ts, body, blen, dig, nd);
            if (rc == 0 && a->rotate_bytes > 0 && a->file_bytes >= a->rotate_bytes)
                rc = rotate(a, ts);
        } else {
            bool final = blen > 0 && body[blen - 1] == 'F';
            rc = emit_checkpoint(a, ts, body, blen - (final ? 1 : 0), final);
            /* (with interval syncs the log is synced first even in a job that does not
             * sync: the head never names a checkpoint that is not on disk) */
            if (rc == 0 && a->file_bytes - a->head_at >= HEAD_LAG)
                rc = head_now(a, sync || a->job_fsync == AUDIT_SYNC_INTERVAL);
        }
        if (rc == 0 && a->out.len >= OUT_FLUSH)
            rc = flush_out(a);
        p = next;
    }
    if (rc == 0)
        rc = flush_out(a);
    if (rc == 0 && sync && !a->stream) {
        if (fdatasync(a->fd) < 0)
            rc = -errno; /* a log that cannot be made durable fails closed like one unwritten */
        *synced = true;
    }
    /* the head names only a checkpoint on disk: with interval syncs, a job that did not sync
     * leaves it to the next that does, unless the head fell HEAD_LAG behind (then this one
     * syncs) */
    if (rc == 0 && a->head_dirty && !a->stream && !*synced &&
        a->job_fsync == AUDIT_SYNC_INTERVAL && a->file_bytes - a->head_at >= HEAD_LAG) {
        if (fdatasync(a->fd) < 0)
            rc = -errno;
        else
            *synced = true;
    }
    if (rc == 0)
        drop_cache(a, a->fd, *synced);
    if (rc == 0 && a->head_dirty && !a->stream &&
        (*synced || a->job_fsync == AUDIT_SYNC_NEVER)) {
        rc = write_head(a);
        a->head_dirty = false;
    }
    return rc;
}

/* ---- the loop side ---------------------------------------------------------------------- */

static void kick(struct audit *a);

/* The log bytes the entries not yet written will take, about (LINE_EXTRA), with any bytes
 * still to be hashed: what the backpressure bounds, and what a crash can lose. */
static size_t backlog(const struct audit *a)
{
    return a->pending.len + a->job_in.len +
           (a->pending_n + a->job_n) * (LINE_EXTRA + a->session_len);
}

static void job_work(uv_work_t *w)
{
    struct audit *a = w->data;
    a->job_synced = false;
    a->job_rc = run_job(a, &a->job_in, a->job_sync, &a->job_synced);
}

static void finish(struct audit *a)
{
    /* final synchronous flush: the loop no longer carries traffic */
    if (a->error == 0 && a->pending.len > 0) {
        bool synced = false;
        a->job_fsync = a->fsync_mode;
        int rc = run_job(a, &a->pending, a->fsync_mode != AUDIT_SYNC_NEVER, &synced);
        if (rc < 0)
            a->error = rc;
    }
    if (a->fd >= 0)
        close(a->fd);
    if (a->lock_fd >= 0)
        close(a->lock_fd); /* releases the lock, after the last byte is written */
    buf_cleanup(&a->pending);
    buf_cleanup(&a->job_in);
    buf_cleanup(&a->out);
    buf_cleanup(&a->head);
    free(a->path);
    free(a->head_path);
    free(a->head_tmp);
    free(a->session);
    free(a);
}

static void maybe_finish(struct audit *a)
{
    if (a->closing && !a->busy && !a->timer_open && !a->batch_open && !a->idle_open)
        finish(a);
}

static void on_idle_sync(uv_timer_t *t)
{
    struct audit *a = t->data;
    if (a->error != 0 || a->closing)
        return;
    a->sync_owed = true;
    kick(a); /* (busy: the running job's successor syncs, or this timer is armed again) */
}

static void job_done(uv_work_t *w, int status)
{
    struct audit *a = w->data;
    a->busy = false;
    if (status < 0 && a->job_rc == 0)
        a->job_rc = status;
    if (a->job_rc < 0 && a->error == 0)
        a->error = a->job_rc;
    if (a->job_synced)
        a->syncs++;
    bool advanced = a->job_rc == 0 && a->job_upto > a->durable;
    if (advanced)
        a->durable = a->job_upto;
    /* interval: what this job wrote without a sync (and the head, which names only synced
     * checkpoints) is synced within a second even if no record follows */
    if (a->fsync_mode == AUDIT_SYNC_INTERVAL && a->job_rc == 0 && !a->job_synced &&
        a->job_in.len > 0 && a->idle_open && !a->closing) {
        uint64_t now = uv_now(a->loop), due = a->last_sync + 1000;
        uv_timer_start(&a->idle_sync, on_idle_sync, due > now ? due - now : 0, 0);
    }
    a->job_in.len = 0;
    a->job_n = 0;
    kick(a);
    if ((advanced || a->error != 0) && a->on_durable != NULL && !a->closing)
        a->on_durable(a->on_durable_arg);
    /* a failed log is not behind: the session fails closed (or open) instead of waiting */
    if (a->behind && (a->error != 0 || backlog(a) <= AUDIT_LOW_WATER)) {
        a->behind = false;
        if (a->drained != NULL)
            a->drained(a->drained_arg);
    }
}

uint64_t audit_appended(const struct audit *a)
{
    return a->appended;
}

uint64_t audit_durable(const struct audit *a)
{
    return a->durable;
}

uint64_t audit_unwritten(const struct audit *a)
{
    return a->appended - a->durable;
}

void audit_on_durable(struct audit *a, void (*durable)(void *arg), void *arg)
{
    a->on_durable = durable;
    a->on_durable_arg = arg;
}

void audit_commit_now(struct audit *a)
{
    if (!a->busy && !a->closing && a->error == 0 && a->pending.len > 0)
        kick(a);
}

bool audit_behind(const struct audit *a)
{
    return a->behind && a->error == 0;
}

bool audit_far_behind(const struct audit *a)
{
    return a->behind && a->error == 0 && backlog(a) >= 2 * (size_t)AUDIT_HIGH_WATER;
}

void audit_on_drained(struct audit *a, void (*drained)(void *arg), void *arg)
{
    a->drained = drained;
    a->drained_arg = arg;
}

static void kick(struct audit *a)
{
    if (a->busy)
        return;
    if (a->error != 0 || (a->pending.len == 0 && !a->sync_owed) || a->closing) {
        maybe_finish(a); /* a closing log writes its rest synchronously */
        return;
    }
    /* group commit: every record appended while this job runs shares the next fdatasync */
    uint64_t now = uv_now(a->loop);
    a->job_sync = a->fsync_mode == AUDIT_SYNC_ALWAYS || a->sync_owed ||
                  (a->fsync_mode == AUDIT_SYNC_INTERVAL && now - a->last_sync >= 1000);
    a->sync_owed = false;
    if (a->job_sync)
        a->last_sync = now;
    a->job_fsync = a->fsync_mode;
    if (a->batch_open)
        uv_timer_stop(&a->batch);
    struct buf t = a->job_in;
    a->job_in = a->pending;
    a->pending = t;
    a->pending.len = 0;
    a->job_n = a->pending_n;
    a->pending_n = 0;
    a->job_upto = a->appended;
    a->work.data = a;
    int rc = uv_queue_work(a->loop, &a->work, job_work, job_done);
    if (rc < 0) {
        a->error = rc;
        return;
    }
    a->busy = true;
}

/* One record, one line: a raw newline can only be JSON whitespace (our fields hold valid
 * JSON), so a space means the same and keeps the line and the entry whole. */
static void one_line(char *p, size_t n)
{
    for (char *nl = n ? memchr(p, '\n', n) : NULL; nl != NULL;
         nl = memchr(nl, '\n', (size_t)(p + n - nl)))
        *nl = ' ';
}

static int entry(struct audit *a, char kind, const char *body1, size_t len1, const char *body2,
                 size_t len2)
{
    struct buf *p = &a->pending;
    size_t start = p->len;
    int rc = buf_reserve(p, 2 + TS_LEN + len1 + len2);
    if (rc == 0) {
        char *q = p->data + p->len;
        *q++ = kind;
        stamp(a, q);
        q += TS_LEN;
        memcpy(q, body1, len1);
        q += len1;
        if (len2 > 0)
            memcpy(q, body2, len2);
        one_line(q, len2);
        q += len2;
        *q++ = '\n';
        p->len = (size_t)(q - p->data);
        a->appended++;
        a->pending_n++;
    }
    if (rc < 0) {
        p->len = start;
        a->error = rc == -ENOBUFS ? -ENOSPC : rc;
        return a->error;
    }
    return 0;
}

/*
 * A record entry with digests: those worth deferring (their bytes fit in the buffer's lower
 * half) make it an 'H' entry carrying the bytes; the others are hashed here, into the copy.
 */
static int record_entry(struct audit *a, const char *head, size_t hl, const char *fields,
                        size_t len, const struct audit_digest *d, size_t nd)
{
    if (nd > DIGESTS_MAX)
        return -EINVAL;
    for (size_t i = 0; i < nd; i++)
        if (d[i].at > len || len - d[i].at < AUDIT_DIGEST_HEX)
            return -EINVAL;
    bool defer[DIGESTS_MAX];
    size_t extra = 0;
    uint32_t ndef = 0;
    struct buf *p = &a->pending;
    for (size_t i = 0; i < nd; i++) {
        defer[i] = d[i].len <= DEFER_MAX &&
                   p->len + hl + len + extra + d[i].len <= AUDIT_BUFFER_LIMIT / 2;
        if (defer[i]) {
            extra += 8 + d[i].len;
            ndef++;
        }
    }
    size_t start = p->len;
    char *body;
    if (ndef == 0) {
        if (entry(a, 'R', head, hl, fields, len) < 0)
            return a->error;
        body = p->data + start + 1 + TS_LEN;
    } else {
        int rc = buf_reserve(p, 1 + TS_LEN + 8 + hl + len + extra);
        if (rc < 0) {
            a->error = rc == -ENOBUFS ? -ENOSPC : rc;
            return a->error;
        }
        char *q = p->data + p->len;
        *q++ = 'H';
        stamp(a, q);
        q += TS_LEN;
        put_u32(q, (uint32_t)(hl + len));
        put_u32(q + 4, ndef);
        q += 8;
        body = q;
        memcpy(q, head, hl);
        memcpy(q + hl, fields, len);
        one_line(q + hl, len);
        q += hl + len;
        for (size_t i = 0; i < nd; i++) {
            if (!defer[i])
                continue;
            put_u32(q, (uint32_t)(hl + d[i].at));
            put_u32(q + 4, (uint32_t)d[i].len);
            if (d[i].len > 0)
                memcpy(q + 8, d[i].data, d[i].len);
            q += 8 + d[i].len;
        }
        p->len = (size_t)(q - p->data);
        a->appended++;
        a->pending_n++;
    }
    for (size_t i = 0; i < nd; i++) {
        if (defer[i])
            continue;
        char h[CHAIN_HEX + 1];
        seal_chain_hash(d[i].data, d[i].len, h);
        memcpy(body + hl + d[i].at, h, CHAIN_HEX);
    }
    return 0;
}

static void checkpoint(struct audit *a, const char *why, bool final)
{
    entry(a, 'C', why, strlen(why), final ? "F" : "", final ? 1 : 0);
    a->since_cp = 0;
    a->cp_bytes = 0;
    if (a->timer_open)
        uv_timer_stop(&a->cp_timer);
}


static void on_cp_timer(uv_timer_t *t)
{
    struct audit *a = t->data;
    if (a->error == 0 && a->since_cp > 0 && !a->closing) {
        checkpoint(a, "interval", false);
        kick(a);
    }
}

static void on_batch(uv_timer_t *h)
{
    kick(h->data);
}

int audit_record(struct audit *a, const char *event, const char *fields, size_t len)
{
    return audit_record_digests(a, event, fields, len, NULL, 0);
}

int audit_record_digests(struct audit *a, const char *event, const char *fields, size_t len,
                         const struct audit_digest *d, size_t nd)
{
    if (a->error)
        return a->error;
    char head[64];
    size_t el = strlen(event);
    if (el > sizeof(head) - 16)
        return -EINVAL;
    memcpy(head, "\"event\":\"", 9);
    memcpy(head + 9, event, el);
    head[9 + el] = '"';
    size_t hl = 10 + el;
    if (len > 0)
        head[hl++] = ',';
    /* one record larger than the buffer can hold is refused alone: the log goes on (the
     * caller must not act without it) */
    if (hl + len + 64 > AUDIT_BUFFER_LIMIT / 2)
        return -EMSGSIZE;
    size_t before = a->pending.len;
    int rc = record_entry(a, head, hl, fields, len, d, nd);
    if (rc < 0)
        return rc;
    a->records++;
    a->since_cp++;
    a->cp_bytes += a->pending.len - before + LINE_EXTRA + a->session_len;
    if (backlog(a) >= AUDIT_HIGH_WATER)
        a->behind = true;
    if (a->cp_every > 0 && a->since_cp >= a->cp_every)
        checkpoint(a, "count", false);
    else if (a->cp_bytes >= AUDIT_CHECKPOINT_BYTES) /* large records: the head stays close */
        checkpoint(a, "size", false);
    else if (a->since_cp == 1 && a->timer_open)
        uv_timer_start(&a->cp_timer, on_cp_timer, AUDIT_CHECKPOINT_DELAY_MS, 0);
    /* group the records of a millisecond into one job: one hand-off, one write, and under load
     * one fdatasync for hundreds of records; a busy job takes what accumulated when it ends */
    if (!a->batch_open || (!a->busy && a->pending.len >= AUDIT_BATCH_BYTES))
        kick(a);
    else if (!a->busy && !uv_is_active((uv_handle_t *)&a->batch))
        uv_timer_start(&a->batch, on_batch, AUDIT_BATCH_MS, 0);
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

/* What resume() found at the end of an existing log. */
struct resumed {
    size_t torn;                   /* bytes of a torn last line (a crash), 0 if none */
    char torn_hex[CHAIN_HEX + 1];  /* ... their SHA-256 */
    uint64_t unsealed;             /* records after the last checkpoint (a crash) */
    bool unclean;                  /* the last record is no final checkpoint: the run before
                                    * did not close cleanly (a crash, or a cut tail) */
    uint64_t last_seq;             /* ... its last record */
    bool fresh;                    /* a new log: no head file yet */
};

enum { HEAD_NONE, HEAD_EMPTY, HEAD_LINE };

/* LOG.head: absent, empty (a new log's mark: no checkpoint yet) or one line (without its
 * newline in *line, malloc'd). Otherwise -errno, and *why says what is wrong with it. */
static int read_head_file(const char *hp, char **line, size_t *len, const char **why)
{
    *line = NULL;
    *len = 0;
    *why = NULL;
    int fd = open(hp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 && errno == ELOOP)
        *why = "it is a symbolic link, which the writer never makes nor follows";
    if (fd < 0)
        return errno == ENOENT ? HEAD_NONE : -errno;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd); /* a FIFO would block the read, a device answer anything */
        *why = "it is not a regular file, which the writer always makes";
        return -EINVAL;
    }
    char *b = malloc(HEAD_MAX + 1);
    ssize_t n = b ? read(fd, b, HEAD_MAX + 1) : -1;
    int e = errno;
    close(fd);
    if (n < 0) {
        free(b);
        return b ? -e : -ENOMEM;
    }
    if (n == 0) {
        free(b);
        return HEAD_EMPTY;
    }
    if (n > (ssize_t)HEAD_MAX || b[n - 1] != '\n' || memchr(b, '\n', (size_t)n - 1) != NULL) {
        *why = n > (ssize_t)HEAD_MAX                    ? "it is longer than a checkpoint line"
               : memchr(b, '\n', (size_t)n - 1) != NULL ? "it holds more than one line"
                                                        : "its line is cut short: no newline";
        free(b);
        return -EINVAL;
    }
    *line = b;
    *len = (size_t)n - 1;
    return HEAD_LINE;
}

/* Read [size - want, size) of fd into a fresh buffer. */
static char *read_end(int fd, off_t size, size_t want)
{
    char *b = malloc(want + 1);
    if (b == NULL)
        return NULL;
    size_t got = 0;
    while (got < want) {
        ssize_t n = pread(fd, b + got, want - got, size - (off_t)want + (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            free(b);
            return NULL;
        }
        got += (size_t)n;
    }
    return b;
}

/* The next, larger amount of a log's end to read back (up to RESUME_MAX). */
static size_t read_more(size_t want, off_t size)
{
    size_t next = want * 4 > RESUME_MAX ? RESUME_MAX : want * 4;
    return (off_t)next > size ? (size_t)size : next;
}

/* Does the newest rotated file (LOG.<index>) end with exactly `line`? (A crash right after a
 * rotation leaves LOG empty, and the head naming the rotate checkpoint that ends that file.) */
static bool rotated_ends_with(const char *path, unsigned index, const char *line, size_t len)
{
    if (index == 0)
        return false;
    size_t n = strlen(path) + 16;
    char *p = malloc(n);
    if (p == NULL)
        return false;
    snprintf(p, n, "%s.%u", path, index);
    int fd = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    free(p);
    struct stat st;
    bool ok = false;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size > len) {
        char *b = read_end(fd, st.st_size, len + 2);
        ok = b != NULL && b[len + 1] == '\n' && memcmp(b + 1, line, len) == 0 &&
             ((size_t)st.st_size == len + 1 || b[0] == '\n');
        free(b);
    }
    if (fd >= 0)
        close(fd);
    return ok;
}

/*
 * Continue an existing log only as far as it can be vouched for. LOG.head is the last writer's
 * word for where its signed chain ended: the log must still hold that checkpoint (with a key,
 * its signature must verify), and every record after it is re-verified — hash, link, sequence,
 * the signature of any later checkpoint — before this run adds its own. A log without a head
 * file, or whose head names a checkpoint it does not hold, was changed since (a deleted tail,
 * a rewrite, a deleted or replaced log) and is refused. A new log gets an empty head file at
 * once, so that a crash before its first checkpoint still leaves the mark.
 */
static int resume(struct audit *a, off_t size, struct resumed *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    char hp[PATH_MAX + 16];
    snprintf(hp, sizeof(hp), "%s.head", a->path);
    char *hline = NULL, *tail = NULL;
    size_t hlen = 0;
    const char *hwhy;
    int hs = read_head_file(hp, &hline, &hlen, &hwhy), rc = 0;
    struct audit_span sp = {.seq = 0};
    memcpy(sp.hash, CHAIN_GENESIS, sizeof(sp.hash));
    char why[512];
    const char *fix = a->keys ? "sentinel verify --key KEY" : "sentinel verify";
    if (hs < 0) {
        snprintf(err, errlen,
                 "audit log %s: its head file %s is not one checkpoint line (%s); check the log "
                 "with `%s %s`, and continue in a new file",
                 a->path, hp, hwhy ? hwhy : strerror(-hs), fix, a->path);
        return -EINVAL;
    }
    if (hs == HEAD_LINE) {
        /* the head itself: a chained checkpoint, signed with our key when we have one */
        struct audit_line hl;
        char *copy = malloc(hlen + 1);
        if (copy == NULL) {
            rc = -ENOMEM;
            goto out;
        }
        memcpy(copy, hline, hlen);
        copy[hlen] = '\n';
        if (audit_line_parse(hline, hlen, &hl, why, sizeof(why)) == 0) {
            sp.seq = hl.seq - 1;
            memcpy(sp.hash, hl.prev, sizeof(sp.hash));
            rc = audit_verify_span(copy, hlen + 1, a->keys, &sp, why, sizeof(why));
        } else {
            rc = -1;
        }
        free(copy);
        /* the head verifies but for the key: given for an unsigned log, or missing */
        bool is_signed = a->keys == NULL && strstr(why, " is signed (") != NULL;
        if (rc < 0 && (is_signed || (a->keys != NULL && strstr(why, " is unsigned: ") != NULL))) {
            /* the key given or not does not fit the log: no damage, another way to run */
            snprintf(err, errlen,
                     "audit log %s cannot be continued: %s; check the log with `%s %s`", a->path,
                     why, is_signed ? "sentinel verify --key KEY" : "sentinel verify", a->path);
            rc = -EINVAL;
            goto out;
        }
        if (rc < 0 || sp.checkpoints != 1) {
            snprintf(err, errlen,
                     "audit log %s cannot be continued: the checkpoint in its head file %s does "
                     "not verify (%s); check the log with `%s %s`, and continue in a new file",
                     a->path, hp, rc < 0 ? why : "not a checkpoint", fix, a->path);
            rc = -EINVAL;
            goto out;
        }
    }
    if (size == 0) {
        if (hs == HEAD_LINE && !rotated_ends_with(a->path, a->next_index - 1, hline, hlen)) {
            snprintf(err, errlen,
                     "audit log %s is empty, but its head file names checkpoint seq %" PRIu64
                     ": the log was deleted or emptied after that checkpoint; check what is left "
                     "with `%s %s` and use a new file",
                     a->path, sp.seq, fix, a->path);
            rc = -EINVAL;
        } else if (hs == HEAD_NONE && a->next_index > 1) {
            snprintf(err, errlen,
                     "audit log %s is empty and has no head file, but its rotated files (%s.1 ...) "
                     "remain: the log and its head were deleted; check them with `%s %s` and use "
                     "a new file",
                     a->path, a->path, fix, a->path);
            rc = -EINVAL;
        } else {
            out->fresh = hs == HEAD_NONE;
            if (hs == HEAD_LINE) {
                a->seq = sp.seq;
                memcpy(a->prev, sp.hash, sizeof(a->prev));
                out->unclean = !sp.after_final;
                out->last_seq = sp.seq;
            }
        }
        goto out;
    }
    /* the end of the log, read back until it holds the head's checkpoint */
    size_t want = size > (off_t)RESUME_READ ? RESUME_READ : (size_t)size, cut = 0, from = 0;
    bool found = false;
    for (;;) {
        free(tail);
        if ((tail = read_end(a->fd, size, want)) == NULL) {
            snprintf(err, errlen, "cannot read the end of audit log %s", a->path);
            rc = -EIO;
            goto out;
        }
        bool whole = (off_t)want == size;
        char *nl = memrchr(tail, '\n', want);
        cut = nl ? (size_t)(nl - tail) + 1 : 0;
        /* the last complete record must be in what was read */
        const char *last = NULL;
        if (cut > 0) {
            char *pn = cut > 1 ? memrchr(tail, '\n', cut - 1) : NULL;
            last = pn ? pn + 1 : whole ? tail : NULL;
        }
        if (last == NULL && !(whole && cut == 0)) {
            if (want < RESUME_MAX && !whole) {
                want = read_more(want, size);
                continue;
            }
            snprintf(err, errlen,
                     "audit log %s: its last record (or torn line) is longer than %u MiB; check "
                     "it with `%s %s`, and continue in a new file",
                     a->path, RESUME_MAX >> 20, fix, a->path);
            rc = -EINVAL;
            goto out;
        }
        if (last != NULL) {
            struct audit_line al;
            if (audit_line_parse(last, (size_t)(tail + cut - 1 - last), &al, why, sizeof(why)) <
                0) {
                snprintf(err, errlen,
                         "audit log %s is not a chained sentinel log (its last record: %s); use "
                         "a new file",
                         a->path, why);
                rc = -EINVAL;
                goto out;
            }
        }
        if (hs == HEAD_NONE) {
            snprintf(err, errlen,
                     "audit log %s has no head file %s: without it nothing shows whether "
                     "records were removed from the end of the log. Check the log with `%s %s`; "
                     "if it is intact, continue in a new file (or restore the head: the log's "
                     "last checkpoint line)",
                     a->path, hp, fix, a->path);
            rc = -EINVAL;
            goto out;
        }
        if (hs == HEAD_LINE) {
            /* the head's line, whole, at a line start; once: a log holds each record once,
             * and a second copy would let what comes before it go unchecked */
            unsigned copies = 0;
            for (size_t at = 0; at + hlen < cut;) {
                char *q = memmem(tail + at, cut - at, hline, hlen);
                if (q == NULL)
                    break;
                size_t i = (size_t)(q - tail);
                if ((i > 0 ? tail[i - 1] == '\n' : whole) && tail[i + hlen] == '\n') {
                    from = i + hlen + 1;
                    found = true;
                    copies++;
                }
                at = i + 1;
            }
            if (copies > 1) {
                snprintf(err, errlen,
                         "audit log %s holds the checkpoint its head file names (seq %" PRIu64
                         ") more than once: records were copied into it. Check it with `%s %s`, "
                         "and use a new file",
                         a->path, sp.seq, fix, a->path);
                rc = -EINVAL;
                goto out;
            }
            if (found)
                break;
            if (whole) {
                /* a crash after a rotation: the head names the checkpoint ending LOG.<n> */
                struct audit_line fl;
                char *n1 = memchr(tail, '\n', cut);
                if (n1 != NULL &&
                    audit_line_parse(tail, (size_t)(n1 - tail), &fl, why, sizeof(why)) == 0 &&
                    fl.seq == sp.seq + 1 && strcmp(fl.prev, sp.hash) == 0 &&
                    rotated_ends_with(a->path, a->next_index - 1, hline, hlen))
                    break;
                snprintf(err, errlen,
                         "audit log %s does not hold the checkpoint its head file names (seq "
                         "%" PRIu64 "): the log was rewritten, truncated or replaced since. "
                         "Check it with `%s %s`, and use a new file",
                         a->path, sp.seq, fix, a->path);
                rc = -EINVAL;
                goto out;
            }
        } else if (whole) {
            break; /* an empty head: a new log, checked from its first record */
        }
        if (want >= RESUME_MAX) {
            snprintf(err, errlen,
                     "audit log %s: more than %u MiB at its end would have to be verified again "
                     "before it is continued; check it with `%s %s`, and continue in a new file",
                     a->path, RESUME_MAX >> 20, fix, a->path);
            rc = -EINVAL;
            goto out;
        }
        want = read_more(want, size);
    }
    /* a complete record missing only its newline is not torn: it is ended, and verified */
    out->torn = want - cut;
    if (out->torn > 0) {
        tail[want] = '\n';
        struct audit_span t = sp;
        if (audit_verify_span(tail + from, want + 1 - from, a->keys, &t, why, sizeof(why)) ==
            0) {
            if ((rc = write_all(a->fd, "\n", 1)) < 0) {
                snprintf(err, errlen, "cannot write audit log %s: %s", a->path, strerror(-rc));
                goto out;
            }
            cut = want + 1;
            out->torn = 0;
        } else {
            /* a whole record that does not verify is not a torn write: it is damage */
            struct audit_line tl;
            char twhy[160];
            if (audit_line_parse(tail + cut, out->torn, &tl, twhy, sizeof(twhy)) == 0) {
                snprintf(err, errlen,
                         "audit log %s cannot be continued: its last line is a whole record "
                         "(seq %" PRIu64 ", without its newline) that does not verify (%s). "
                         "Check it with `%s %s`, and use a new file",
                         a->path, tl.seq, why, fix, a->path);
                rc = -EINVAL;
                goto out;
            }
            if (!audit_tear_shaped(tail + cut, out->torn)) {
                snprintf(err, errlen,
                         "audit log %s cannot be continued: its last line (without a newline) is "
                         "neither a record nor a write torn by a crash (no writer's line ends as "
                         "it does). Check it with `%s %s`, and use a new file",
                         a->path, fix, a->path);
                rc = -EINVAL;
                goto out;
            }
            seal_chain_hash(tail + cut, out->torn, out->torn_hex);
        }
    }
    if (audit_verify_span(tail + from, cut - from, a->keys, &sp, why, sizeof(why)) < 0) {
        snprintf(err, errlen,
                 "audit log %s cannot be continued: after the checkpoint its head file names, %s. "
                 "Check it with `%s %s`, and use a new file",
                 a->path, why, fix, a->path);
        rc = -EINVAL;
        goto out;
    }
    if (hs == HEAD_EMPTY && sp.finals > 0) {
        /* an empty head marks a log without a checkpoint; a clean close writes its final one
         * into the head, and nothing empties it */
        snprintf(err, errlen,
                 "audit log %s cannot be continued: its head file is empty (the mark of a log "
                 "without a checkpoint), but it holds the final checkpoint of a clean close, "
                 "which the head named: the head was emptied, and records after its last "
                 "checkpoint may have been deleted. Check it with `%s %s`, and use a new file",
                 a->path, fix, a->path);
        rc = -EINVAL;
        goto out;
    }
    a->seq = sp.seq;
    memcpy(a->prev, sp.hash, sizeof(a->prev));
    out->unsealed = sp.unsealed;
    out->unclean = sp.seq > 0 && !sp.after_final;
    out->last_seq = sp.seq;
out:
    free(hline);
    free(tail);
    return rc;
}

/* Is LOG.<index> the file st describes (the same inode)? */
static bool same_file(const char *path, unsigned index, const struct stat *st)
{
    if (index == 0)
        return false;
    size_t n = strlen(path) + 16;
    char *p = malloc(n);
    struct stat rs;
    if (p == NULL)
        return false;
    snprintf(p, n, "%s.%u", path, index);
    bool same = lstat(p, &rs) == 0 && rs.st_ino == st->st_ino && rs.st_dev == st->st_dev;
    free(p);
    return same;
}

/* A new, empty LOG (after resume() accepted what was there), locked like the one it follows. */
static int create_log(struct audit *a, char *err, size_t errlen)
{
    a->fd = open(a->path, O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
    int rc = 0;
    if (a->fd < 0)
        rc = -errno;
    else if (flock(a->fd, LOCK_EX | LOCK_NB) < 0)
        rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
    if (rc < 0)
        snprintf(err, errlen, "cannot create audit log %s: %s", a->path, strerror(-rc));
    return rc;
}

/*
 * A hash chain has one writer: two runs appending to the same file would fork it. LOG.lock
 * (kept, 0600) is held with flock for the life of the writer, across rotations.
 */
static int lock_log(struct audit *a, size_t hl, char *err, size_t errlen)
{
    char *lp = malloc(hl);
    if (lp == NULL)
        return -ENOMEM;
    snprintf(lp, hl, "%s.lock", a->path);
    a->lock_fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    int rc = 0;
    if (a->lock_fd < 0) {
        rc = -errno;
        snprintf(err, errlen, "cannot open audit log %s: its lock file %s: %s", a->path, lp,
                 strerror(errno));
    } else if (flock(a->lock_fd, LOCK_EX | LOCK_NB) < 0) {
        rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
        snprintf(err, errlen,
                 rc == -EBUSY ? "audit log %s is being written by another sentinel; a hash chain "
                                "has one writer, so give each run its own log"
                              : "cannot lock %s: %s",
                 rc == -EBUSY ? a->path : lp, strerror(errno));
    }
    free(lp);
    return rc;
}

int audit_open(struct audit **out, uv_loop_t *loop, const char *path,
               const struct seal_keyring *keys, char *err, size_t errlen)
{
    *out = NULL;
    struct audit *a = calloc(1, sizeof(*a));
    if (a == NULL)
        return -ENOMEM;
    /* not created yet: a log this run refuses to continue must be left as it was */
    a->fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
    if (a->fd < 0 && errno != ENOENT) {
        int e = errno;
        snprintf(err, errlen, "cannot open audit log %s: %s", path, strerror(e));
        free(a);
        return -e;
    }
    a->loop = loop;
    a->lock_fd = -1;
    a->keys = keys != NULL && keys->n > 0 ? keys : NULL;
    a->signer = a->keys ? &a->keys->keys[0] : NULL;
    a->path = strdup(path);
    size_t hl = strlen(path) + 16;
    a->head_path = malloc(hl);
    a->head_tmp = malloc(hl);
    buf_init(&a->pending, AUDIT_BUFFER_LIMIT);
    buf_init(&a->job_in, AUDIT_BUFFER_LIMIT);
    buf_init(&a->out, AUDIT_BUFFER_LIMIT + (1u << 20));
    buf_init(&a->head, 1u << 16);
    memcpy(a->prev, CHAIN_GENESIS, sizeof(a->prev));
    a->cp_every = AUDIT_CHECKPOINT_EVERY;
    struct stat st = {0};
    int rc = 0;
    struct resumed rs = {0};
    if (a->path == NULL || a->head_path == NULL || a->head_tmp == NULL) {
        rc = -ENOMEM;
        snprintf(err, errlen, "out of memory");
    } else if (a->fd >= 0 && fstat(a->fd, &st) < 0) {
        rc = -errno;
        snprintf(err, errlen, "cannot stat audit log %s: %s", path, strerror(errno));
    } else if (a->fd >= 0 && !S_ISREG(st.st_mode)) {
        /* a device or pipe (a collector): records flow, but there is no file to continue,
         * rotate or keep a head file beside */
        a->stream = true;
        st.st_size = 0;
    } else if ((rc = lock_log(a, hl, err, errlen)) == 0) {
        snprintf(a->head_path, hl, "%s.head", path);
        snprintf(a->head_tmp, hl, "%s.head.tmp", path);
        /* reopen: a writer that held the lock until now may have rotated the file away */
        if (a->fd >= 0)
            close(a->fd);
        a->fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
        bool absent = a->fd < 0 && errno == ENOENT;
        if (absent) {
            st.st_size = 0; /* created below, once resume() accepts what is there */
        } else if (a->fd < 0 || fstat(a->fd, &st) < 0) { /* what the last writer left */
            rc = -errno;
            snprintf(err, errlen, "cannot open audit log %s: %s", path, strerror(errno));
        } else if (!S_ISREG(st.st_mode)) {
            rc = -EINVAL;
            snprintf(err, errlen, "audit log %s changed into a non-file", path);
        } else if (flock(a->fd, LOCK_EX | LOCK_NB) < 0) {
            /* the file's own lock: another name for it (a symlink, a hard link) has its own
             * LOG.lock, but not its own file */
            rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
            snprintf(err, errlen,
                     rc == -EBUSY ? "audit log %s is being written by another sentinel (under "
                                    "another name); a hash chain has one writer, so give each "
                                    "run its own log"
                                  : "cannot lock audit log %s",
                     path);
        }
        if (rc == 0) {
            a->next_index = first_free_index(path);
            /* LOG a second name of LOG.<n>: a rotation (link, then unlink) was cut short. The
             * file is LOG.<n>; LOG starts empty once resume() accepts the head. */
            bool cut_short = !absent && same_file(path, a->next_index - 1, &st);
            rc = resume(a, cut_short ? 0 : st.st_size, &rs, err, errlen);
            if (rc == 0 && cut_short) {
                if (unlink(path) < 0) {
                    rc = -errno;
                    snprintf(err, errlen, "cannot finish the rotation of audit log %s: %s", path,
                             strerror(errno));
                }
                close(a->fd);
                a->fd = -1;
                absent = true;
            }
            if (rc == 0 && absent)
                rc = create_log(a, err, errlen);
            if (rc == 0 && fstat(a->fd, &st) < 0) /* resume may have ended a last line */
                rc = -errno;
        }
    }
    if (rc == 0 && rs.fresh) {
        /* an empty head file marks a log that has no checkpoint yet (resume) */
        a->job_fsync = AUDIT_SYNC_ALWAYS;
        if ((rc = write_head(a)) < 0)
            snprintf(err, errlen, "cannot write %s: %s", a->head_path, strerror(-rc));
    }
    if (rc < 0) {
        a->busy = false;
        a->closing = true;
        finish(a);
        return rc;
    }
    a->file_bytes = (uint64_t)st.st_size;
    if (rs.torn > 0) {
        /* end the torn line so the next record starts on its own */
        if ((rc = write_all(a->fd, "\n", 1)) < 0) {
            snprintf(err, errlen, "cannot write audit log %s: %s", path, strerror(-rc));
            a->closing = true;
            finish(a);
            return rc;
        }
        a->file_bytes++;
    }
    if (rs.unclean)
        log_warn("audit log %s: the run before this one did not write its final checkpoint "
                 "(it crashed, or records after seq %" PRIu64 " were deleted); declared in a "
                 "\"recovered\" record", path, rs.last_seq);
    if (rs.torn > 0 || rs.unsealed > 0 || rs.unclean) {
        /* declare in the chain what this run found and did not write: a torn line (its length
         * and digest) and the records no checkpoint of their run seals. Queued, not started:
         * the session and signer are set before the first job. */
        char f[256];
        int n = 0;
        if (rs.torn > 0)
            n = snprintf(f, sizeof(f), "\"torn_bytes\":%zu,\"torn_sha256\":\"%s\"", rs.torn,
                         rs.torn_hex);
        if (rs.unsealed > 0)
            n += snprintf(f + n, sizeof(f) - (size_t)n, "%s\"unsealed\":%" PRIu64,
                          n > 0 ? "," : "", rs.unsealed);
        if (rs.unclean)
            n += snprintf(f + n, sizeof(f) - (size_t)n, "%s\"unclean\":true,\"after_seq\":%" PRIu64,
                          n > 0 ? "," : "", rs.last_seq);
        static const char ev[] = "\"event\":\"recovered\",";
        if (entry(a, 'R', ev, sizeof(ev) - 1, f, (size_t)n) == 0) {
            a->records++;
            a->since_cp++;
        }
    }
    if (uv_timer_init(loop, &a->cp_timer) == 0) {
        a->cp_timer.data = a;
        uv_unref((uv_handle_t *)&a->cp_timer);
        a->timer_open = true;
    }
    if (uv_timer_init(loop, &a->batch) == 0) {
        a->batch.data = a;
        a->batch_open = true;
    }
    if (uv_timer_init(loop, &a->idle_sync) == 0) {
        a->idle_sync.data = a;
        uv_unref((uv_handle_t *)&a->idle_sync);
        a->idle_open = true;
    }
    *out = a;
    return 0;
}

void audit_set_session(struct audit *a, const char *sid)
{
    free(a->session);
    a->session = sid ? strdup(sid) : NULL;
    a->session_len = a->session ? strlen(a->session) : 0;
    if (a->session != NULL) {
        size_t n = a->session_len + 15;
        char *pre = malloc(n);
        if (pre == NULL) {
            free(a->session);
            a->session = NULL;
            a->session_len = 0;
            a->error = -ENOMEM;
            return;
        }
        int k = snprintf(pre, n, "{\"session\":\"%s\",", a->session);
        seal_chain_prefix_init(&a->prefix, pre, (size_t)k);
        free(pre);
    }
}

void audit_set_rotate(struct audit *a, uint64_t bytes)
{
    a->rotate_bytes = a->stream ? 0 : bytes;
}

void audit_set_checkpoint(struct audit *a, uint64_t n)
{
    a->cp_every = n;
}

uint64_t audit_checkpoint_every(const struct audit *a)
{
    return a->cp_every;
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

static void on_idle_closed(uv_handle_t *h)
{
    struct audit *a = h->data;
    a->idle_open = false;
    maybe_finish(a);
}

static void on_batch_closed(uv_handle_t *h)
{
    struct audit *a = h->data;
    a->batch_open = false;
    maybe_finish(a);
}

void audit_close(struct audit *a)
{
    if (a == NULL)
        return;
    if (a->error == 0 && a->records > 0)
        checkpoint(a, "close", true);
    a->closing = true;
    a->drained = NULL; /* the owner is going away: no more callbacks */
    a->on_durable = NULL;
    bool waiting = false;
    if (a->batch_open) {
        uv_timer_stop(&a->batch);
        uv_close((uv_handle_t *)&a->batch, on_batch_closed);
        waiting = true;
    }
    if (a->timer_open) {
        uv_timer_stop(&a->cp_timer);
        uv_close((uv_handle_t *)&a->cp_timer, on_timer_closed);
        waiting = true;
    }
    if (a->idle_open) {
        uv_timer_stop(&a->idle_sync);
        uv_close((uv_handle_t *)&a->idle_sync, on_idle_closed);
        waiting = true;
    }
    if (!waiting)
        maybe_finish(a);
}
