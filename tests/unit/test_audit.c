/*
 * test_audit.c - the audit writer on a real loop and files: every record chained and verified,
 * checkpoints by count and at close (signed with an HMAC and an Ed25519 key), LOG.head, rotation
 * across files, the chain continued by a second writer, a torn last line declared, a field
 * holding a raw newline kept on one line, and verify's verdicts on edits; digests computed
 * by the job (or at once, when the buffer is half full); backpressure while the log's reader
 * stalls, counted in log bytes; LOG.head moved on within a long job; checkpoints by size.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "audit/audit.h"
#include "audit/verify.h"
#include "check.h"
#include "seal/chain.h"
#include "seal/key.h"

static char dir[64];

static void path_of(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

/* Write n records (every 7th with a raw newline in its fields) and close. */
static int write_log(const char *path, int n, const struct seal_keyring *k, uint64_t rotate,
                     uint64_t every)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    struct audit *a;
    char err[256];
    /* a writer continuing a log is a new run, as `sentinel run` is: its own session id and a
     * start record first (verify refuses records appended to a closed run) */
    static int runs;
    bool more = access(path, F_OK) == 0;
    int rc = audit_open(&a, &loop, path, k, err, sizeof(err));
    if (rc < 0) {
        fprintf(stderr, "audit_open: %s\n", err);
        uv_loop_close(&loop);
        return rc;
    }
    char sid[64];
    snprintf(sid, sizeof(sid), "v1.test-session-%d.mac", runs++);
    audit_set_session(a, more ? sid : "v1.test-session.mac");
    audit_set_rotate(a, rotate);
    if (every > 0)
        audit_set_checkpoint(a, every);
    if (more) {
        char st[96];
        int sl = snprintf(st, sizeof(st), "\"audit_signed\":%s,\"checkpoint_every\":%llu",
                          k != NULL && k->n > 0 ? "true" : "false",
                          (unsigned long long)audit_checkpoint_every(a));
        CHECK_INT(audit_record(a, "start", st, (size_t)sl), 0);
    }
    audit_set_fsync(a, AUDIT_SYNC_ALWAYS);
    for (int i = 0; i < n; i++) {
        char f[128];
        int len = i % 7 == 3 ? snprintf(f, sizeof(f), "\"i\":%d,\n\"x\":[1,\n2]", i)
                             : snprintf(f, sizeof(f), "\"i\":%d,\"pad\":\"%040d\"", i, i);
        CHECK_INT(audit_record(a, "decision", f, (size_t)len), 0);
        if (i % 50 == 0)
            uv_run(&loop, UV_RUN_NOWAIT); /* let jobs run between bursts */
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT(audit_error(a), 0);
    audit_close(a);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT(uv_loop_close(&loop), 0);
    return 0;
}

static int count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    int n = 0, c;
    if (f == NULL)
        return -1;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

static void test_plain_and_signed(void)
{
    char log[128], key[16];
    struct seal_keyring hk = {0}, ek = {0};
    char err[256];
    CHECK_INT(seal_keyring_generate(&hk, SEAL_KEY_HMAC, err, sizeof(err)), 0);
    CHECK_INT(seal_keyring_generate(&ek, SEAL_KEY_ED25519_SECRET, err, sizeof(err)), 0);
    const struct seal_keyring *rings[3] = {NULL, &hk, &ek};
    for (int k = 0; k < 3; k++) {
        snprintf(key, 16, "p%d.log", k);
        path_of(log, sizeof(log), key);
        CHECK_INT(write_log(log, 300, rings[k], 0, 100), 0);
        /* 300 records + 3 count checkpoints + the final one; no record split by its newline */
        CHECK_INT(count_lines(log), 304);
        static struct verify_result r;
        CHECK_INT(audit_verify(log, rings[k], &r), VERIFY_INTACT);
        CHECK_INT(r.records, 304);
        CHECK_INT(r.checkpoints, 4);
        CHECK_INT(r.signed_checkpoints, rings[k] ? 4 : 0);
        CHECK(r.sealed);
        /* the head file is the final checkpoint line */
        char hp[160];
        snprintf(hp, sizeof(hp), "%s.head", log);
        struct stat st;
        CHECK_INT(stat(hp, &st), 0);
        CHECK_INT(st.st_mode & 0777, 0600);
        /* a second writer continues the chain */
        CHECK_INT(write_log(log, 10, rings[k], 0, 0), 0);
        CHECK_INT(audit_verify(log, rings[k], &r), VERIFY_INTACT);
        CHECK_INT(r.records, 304 + 12); /* its start, 10 records, its final checkpoint */
        CHECK_INT(r.first_seq, 1);
        CHECK_INT(r.last_seq, 316);
    }
    /* the other kind of key does not verify it */
    path_of(log, sizeof(log), "p1.log");
    static struct verify_result r;
    CHECK_INT(audit_verify(log, &ek, &r), VERIFY_DAMAGED);
    CHECK(r.damage != NULL && strcmp(r.damage, VERIFY_BAD_SIGNATURE) == 0);
    seal_keyring_free(&hk);
    seal_keyring_free(&ek);
}

static void test_rotation(void)
{
    char log[128];
    path_of(log, sizeof(log), "r.log");
    CHECK_INT(write_log(log, 500, NULL, 8192, 0), 0);
    char p1[160];
    snprintf(p1, sizeof(p1), "%s.1", log);
    CHECK(access(p1, F_OK) == 0);
    static struct verify_result r;
    CHECK_INT(audit_verify(log, NULL, &r), VERIFY_INTACT);
    CHECK(r.nfiles >= 5);
    CHECK(r.sealed);
    CHECK_INT(r.first_seq, 1);
    /* a middle file goes missing */
    char p2[160];
    snprintf(p2, sizeof(p2), "%s.2", log);
    CHECK_INT(unlink(p2), 0);
    CHECK_INT(audit_verify(log, NULL, &r), VERIFY_DAMAGED);
    CHECK(r.damage != NULL && strcmp(r.damage, VERIFY_DELETED) == 0);
}

static void test_torn_and_edits(void)
{
    char log[128];
    path_of(log, sizeof(log), "t.log");
    CHECK_INT(write_log(log, 20, NULL, 0, 0), 0);
    int fd = open(log, O_WRONLY | O_APPEND);
    CHECK(fd >= 0);
    CHECK_INT(write(fd, "{\"seq\":99,\"ti", 13), 13);
    close(fd);
    static struct verify_result r;
    CHECK_INT(audit_verify(log, NULL, &r), VERIFY_INTACT);
    CHECK(r.torn_tail);
    CHECK_INT(write_log(log, 5, NULL, 0, 0), 0); /* declares the torn line, continues */
    CHECK_INT(audit_verify(log, NULL, &r), VERIFY_INTACT);
    CHECK(!r.torn_tail);
    CHECK(r.sealed);
    /* flip one byte of a record in the middle */
    FILE *f = fopen(log, "r+");
    CHECK(f != NULL);
    fseek(f, 300, SEEK_SET);
    int c = fgetc(f);
    fseek(f, 300, SEEK_SET);
    fputc(c == 'a' ? 'b' : 'a', f);
    fclose(f);
    CHECK_INT(audit_verify(log, NULL, &r), VERIFY_DAMAGED);
    CHECK(r.seq >= 1 && r.message[0] != '\0');
    /* a file that is not a chained log is refused for appending */
    char plain[128];
    path_of(plain, sizeof(plain), "plain.log");
    f = fopen(plain, "w");
    fputs("{\"seq\":1,\"event\":\"decision\"}\n", f);
    fclose(f);
    uv_loop_t loop;
    uv_loop_init(&loop);
    struct audit *a = NULL;
    char err[256] = "";
    CHECK(audit_open(&a, &loop, plain, NULL, err, sizeof(err)) < 0);
    CHECK(strstr(err, "not a chained") != NULL);
    uv_loop_close(&loop);
}


/* A record whose fields carry `n` digest placeholders ("d<i>":"sha256:000…"). */
static size_t digest_fields(char *f, size_t cap, int n, const char *const *data, const size_t *len,
                            struct audit_digest *d)
{
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        k += (size_t)snprintf(f + k, cap - k, "%s\"d%d\":\"sha256:", i ? "," : "", i);
        d[i] = (struct audit_digest){k, data[i], len[i]};
        memset(f + k, '0', AUDIT_DIGEST_HEX);
        k += AUDIT_DIGEST_HEX;
        k += (size_t)snprintf(f + k, cap - k, "\"");
    }
    return k;
}

/* Does the log hold a line with `"d<i>":"sha256:<hex of data>"`? */
static bool log_has_digest(const char *path, int i, const void *data, size_t len)
{
    char hex[CHAIN_HEX + 1], want[CHAIN_HEX + 32];
    seal_chain_hash(data, len, hex);
    snprintf(want, sizeof(want), "\"d%d\":\"sha256:%s\"", i, hex);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return false;
    static char line[1 << 16];
    bool found = false;
    while (!found && fgets(line, sizeof(line), f) != NULL)
        found = strstr(line, want) != NULL;
    fclose(f);
    return found;
}

static void test_digests(void)
{
    char log[128];
    path_of(log, sizeof(log), "d.log");
    uv_loop_t loop;
    uv_loop_init(&loop);
    struct audit *a;
    char err[256];
    CHECK_INT(audit_open(&a, &loop, log, NULL, err, sizeof(err)), 0);
    audit_set_session(a, "v1.digest-session.mac");
    static const char big_data[] = "{\"arguments\":\n{\"path\":\"/etc/passwd\"}}";
    const char *data[2] = {big_data, ""};
    size_t len[2] = {sizeof(big_data) - 1, 0};
    struct audit_digest d[2];
    char f[512];
    size_t n = digest_fields(f, sizeof(f), 2, data, len, d);
    CHECK_INT(audit_record_digests(a, "decision", f, n, d, 2), 0);
    /* the data may change once the call returns: the digest is of what it was */
    char scratch[64];
    memcpy(scratch, "abc", 4);
    const char *sd[1] = {scratch};
    size_t sl[1] = {3};
    n = digest_fields(f, sizeof(f), 1, sd, sl, d);
    CHECK_INT(audit_record_digests(a, "result", f, n, d, 1), 0);
    memcpy(scratch, "xyz", 4);
    /* a placeholder outside the fields is refused, and nothing is written */
    d[0].at = n - 10;
    CHECK_INT(audit_record_digests(a, "result", f, n, d, 1), -EINVAL);
    CHECK_INT(audit_error(a), 0);
    uv_run(&loop, UV_RUN_DEFAULT);
    audit_close(a);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT(uv_loop_close(&loop), 0);
    CHECK(log_has_digest(log, 0, big_data, sizeof(big_data) - 1));
    CHECK(log_has_digest(log, 1, "", 0));
    CHECK(log_has_digest(log, 0, "abc", 3));
    static struct verify_result r;
    CHECK_INT(audit_verify(log, NULL, &r), VERIFY_INTACT);
    CHECK_INT(r.records, 3); /* two records and the final checkpoint */
}

/* ---- backpressure: a log whose reader stalls -------------------------------------------- */

struct drain {
    int fd;
    uint64_t bytes, lines;
    char *copy; /* the stream, kept for the digest check */
    size_t copy_len, copy_cap;
};

static void drain_thread(void *arg)
{
    struct drain *dr = arg;
    char b[1 << 16];
    ssize_t n;
    while ((n = read(dr->fd, b, sizeof(b))) > 0) {
        dr->bytes += (uint64_t)n;
        for (ssize_t i = 0; i < n; i++)
            dr->lines += b[i] == '\n';
        if (dr->copy_len + (size_t)n > dr->copy_cap) {
            dr->copy_cap = (dr->copy_len + (size_t)n) * 2;
            dr->copy = realloc(dr->copy, dr->copy_cap);
        }
        memcpy(dr->copy + dr->copy_len, b, (size_t)n);
        dr->copy_len += (size_t)n;
    }
}

static int drained_calls;
static void on_drained(void *arg)
{
    (void)arg;
    drained_calls++;
}

static void test_backpressure(void)
{
    char fifo[128];
    path_of(fifo, sizeof(fifo), "slow.fifo");
    CHECK_INT(mkfifo(fifo, 0600), 0);
    int rfd = open(fifo, O_RDONLY | O_NONBLOCK); /* so the writer's open does not wait */
    CHECK(rfd >= 0);
    uv_loop_t loop;
    uv_loop_init(&loop);
    struct audit *a;
    char err[256];
    CHECK_INT(audit_open(&a, &loop, fifo, NULL, err, sizeof(err)), 0);
    audit_set_session(a, "v1.slow-reader.mac");
    audit_on_drained(a, on_drained, NULL);
    CHECK(!audit_behind(a));
    /* nobody reads: the first job blocks on the full pipe and records pile up */
    char f[1100];
    memset(f, 0, sizeof(f));
    int records = 0;
    while (!audit_behind(a) && records < 200000) {
        int len = snprintf(f, sizeof(f), "\"i\":%d,\"pad\":\"%01000d\"", records, records);
        CHECK_INT(audit_record(a, "decision", f, (size_t)len), 0);
        records++;
        if (records % 1000 == 0)
            uv_run(&loop, UV_RUN_NOWAIT);
    }
    CHECK(audit_behind(a));
    /* (the backlog counts the lines the records become, a little more than their fields) */
    CHECK((uint64_t)records * 1100 >= AUDIT_HIGH_WATER * 3 / 4 && records < 20000);
    /* an owner that ignores the signal still loses nothing until the hard limit; past half of
     * it, digests are hashed at once instead of copied */
    while (records < 36000) {
        int len = snprintf(f, sizeof(f), "\"i\":%d,\"pad\":\"%01000d\"", records, records);
        CHECK_INT(audit_record(a, "decision", f, (size_t)len), 0);
        records++;
    }
    static const char late[] = "hashed on the loop";
    const char *ld[1] = {late};
    size_t ll[1] = {sizeof(late) - 1};
    struct audit_digest d[1];
    size_t n = digest_fields(f, sizeof(f), 1, ld, ll, d);
    CHECK_INT(audit_record_digests(a, "result", f, n, d, 1), 0);
    records++;
    CHECK_INT(drained_calls, 0);
    /* the reader wakes up: the log catches up and says so once */
    int flags = fcntl(rfd, F_GETFL);
    CHECK_INT(fcntl(rfd, F_SETFL, flags & ~O_NONBLOCK), 0);
    struct drain dr = {.fd = rfd};
    uv_thread_t th;
    CHECK_INT(uv_thread_create(&th, drain_thread, &dr), 0);
    while (audit_behind(a))
        uv_run(&loop, UV_RUN_ONCE);
    CHECK_INT(drained_calls, 1);
    CHECK_INT(audit_error(a), 0);
    uv_run(&loop, UV_RUN_DEFAULT);
    audit_close(a);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT(uv_loop_close(&loop), 0);
    uv_thread_join(&th);
    close(rfd);
    /* every record arrived, each on its line, with the checkpoints */
    uint64_t events = 0;
    for (const char *q = dr.copy; q != NULL && (q = memmem(q, dr.copy_len - (size_t)(q - dr.copy),
                                                           "\"event\":\"", 9)) != NULL; q += 9)
        events++;
    CHECK_INT(events, dr.lines);
    uint64_t recs = 0;
    static const char *const kinds[] = {"\"event\":\"decision\"", "\"event\":\"result\""};
    for (int k = 0; k < 2; k++)
        for (const char *q = dr.copy; (q = memmem(q, dr.copy_len - (size_t)(q - dr.copy), kinds[k],
                                                  strlen(kinds[k]))) != NULL;
             q++)
            recs++;
    CHECK_INT(recs, (uint64_t)records);
    CHECK(dr.lines > (uint64_t)records);
    CHECK(memmem(dr.copy, dr.copy_len, "\"final\":true,", 13) != NULL);
    char hex[CHAIN_HEX + 1], want[CHAIN_HEX + 32];
    seal_chain_hash(late, sizeof(late) - 1, hex);
    snprintf(want, sizeof(want), "\"d0\":\"sha256:%s\"", hex);
    CHECK(dr.copy != NULL && memmem(dr.copy, dr.copy_len, want, strlen(want)) != NULL);
    free(dr.copy);
}

/* Run the loop until every entry appended so far is written. */
static void write_out(uv_loop_t *loop, struct audit *a)
{
    while (audit_durable(a) < audit_appended(a) && audit_error(a) == 0)
        uv_run(loop, UV_RUN_ONCE);
}

/* How many times LOG.head was put in place (renamed over) since the last call. */
static int head_moves(int in, const char *name)
{
    char ev[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    int moves = 0;
    ssize_t n;
    while ((n = read(in, ev, sizeof(ev))) > 0)
        for (char *q = ev; q < ev + n;
             q += sizeof(struct inotify_event) + ((struct inotify_event *)q)->len) {
            struct inotify_event *e = (struct inotify_event *)q;
            moves += (e->mask & IN_MOVED_TO) && e->len > 0 && strcmp(e->name, name) == 0;
        }
    return moves;
}

/*
 * The backlog is counted in log bytes: denied calls (small fields) under a long session id
 * become lines three times their entries, and the log is behind once AUDIT_HIGH_WATER bytes
 * of log wait, which is what a crash can lose, not three times that. A job much larger than
 * that (an owner ignoring the signal) moves LOG.head on as it goes, so that a crash in it
 * leaves little after the head's checkpoint for the next run to read back.
 */
static void test_backlog_in_log_bytes(void)
{
    char log[128];
    path_of(log, sizeof(log), "flood.log");
    uv_loop_t loop;
    uv_loop_init(&loop);
    struct audit *a;
    char err[256];
    CHECK_INT(audit_open(&a, &loop, log, NULL, err, sizeof(err)), 0);
    char sid[201];
    memset(sid, 'x', 200);
    memcpy(sid, "v1.", 3);
    sid[200] = '\0';
    audit_set_session(a, sid);
    audit_set_checkpoint(a, 50);
    audit_set_fsync(a, AUDIT_SYNC_NEVER);
    int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    CHECK(in >= 0);
    /* (the log's writes between two moves keep the kernel from merging them into one event) */
    CHECK(inotify_add_watch(in, dir, IN_MOVED_TO | IN_MODIFY) >= 0);
    char f[128];
    uint64_t records = 0;
    while (!audit_behind(a) && records < 1000000) {
        int len = snprintf(f, sizeof(f),
                           "\"method\":\"tools/call\",\"request_id\":%llu,"
                           "\"effect\":\"deny\"",
                           (unsigned long long)records);
        CHECK_INT(audit_record(a, "decision", f, (size_t)len), 0);
        records++;
    }
    CHECK(audit_behind(a));
    write_out(&loop, a);
    struct stat st;
    CHECK_INT(stat(log, &st), 0);
    CHECK((uint64_t)st.st_size >= AUDIT_HIGH_WATER * 9 / 10);
    CHECK((uint64_t)st.st_size <= AUDIT_HIGH_WATER + (AUDIT_HIGH_WATER >> 4));
    /* three times as much in one job: the head moves on about every 8 MiB of it */
    head_moves(in, "flood.log.head");
    off_t before = st.st_size;
    for (uint64_t i = 0; i < 3 * records; i++) {
        int len = snprintf(f, sizeof(f),
                           "\"method\":\"tools/call\",\"request_id\":%llu,"
                           "\"effect\":\"deny\"",
                           (unsigned long long)i);
        CHECK_INT(audit_record(a, "decision", f, (size_t)len), 0);
    }
    write_out(&loop, a);
    CHECK_INT(stat(log, &st), 0);
    CHECK(st.st_size - before >= 40 << 20);
    int moves = head_moves(in, "flood.log.head");
    CHECK(moves >= 5);
    CHECK_INT(audit_error(a), 0);
    audit_close(a);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT(uv_loop_close(&loop), 0);
    close(in);
    static struct verify_result r;
    CHECK_INT(audit_verify(log, NULL, &r), VERIFY_INTACT);
    CHECK(r.sealed);
    CHECK_INT(unlink(log), 0);
}

/* Large records are checkpointed every AUDIT_CHECKPOINT_BYTES, whatever the count: what
 * follows the head's checkpoint stays within what the next run reads back. */
static void test_checkpoint_by_size(void)
{
    char log[128];
    path_of(log, sizeof(log), "big.log");
    uv_loop_t loop;
    uv_loop_init(&loop);
    struct audit *a;
    char err[256];
    CHECK_INT(audit_open(&a, &loop, log, NULL, err, sizeof(err)), 0);
    audit_set_session(a, "v1.big-records.mac");
    static const char pre[] = "\"pad\":\"";
    size_t pl = sizeof(pre) - 1, big = 1u << 20;
    char *f = malloc(pl + big + 2);
    CHECK(f != NULL);
    if (f == NULL)
        return;
    memcpy(f, pre, pl);
    memset(f + pl, 'a', big);
    memcpy(f + pl + big, "\"", 2);
    for (int i = 0; i < 20; i++) {
        CHECK_INT(audit_record(a, "decision", f, pl + big + 1), 0);
        write_out(&loop, a);
    }
    free(f);
    audit_close(a);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT(uv_loop_close(&loop), 0);
    static struct verify_result r;
    CHECK_INT(audit_verify(log, NULL, &r), VERIFY_INTACT);
    CHECK_INT(r.records, 20 + 2 + 1);
    CHECK_INT(r.checkpoints, 2 + 1); /* after the 8th and the 16th, and at close */
    CHECK_INT(unlink(log), 0);
}

int main(void)
{
    if (seal_init() < 0)
        return 1;
    snprintf(dir, sizeof(dir), "/tmp/test-audit.XXXXXX");
    if (mkdtemp(dir) == NULL)
        return 1;
    test_plain_and_signed();
    test_rotation();
    test_torn_and_edits();
    test_digests();
    test_backpressure();
    test_backlog_in_log_bytes();
    test_checkpoint_by_size();
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_done();
}
