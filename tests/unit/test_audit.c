/*
 * test_audit.c - the audit writer on a real loop and files: every record chained and verified,
 * checkpoints by count and at close (signed with an HMAC and an Ed25519 key), LOG.head, rotation
 * across files, the chain continued by a second writer, a torn last line declared, a field
 * holding a raw newline kept on one line, and verify's verdicts on edits.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "audit/audit.h"
#include "audit/verify.h"
#include "check.h"
#include "seal/key.h"

static char dir[64];

static void path_of(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

/* Write n records (every 7th with a raw newline in its fields) and close. */
static int write_log(const char *path, int n, const struct seal_key *k, uint64_t rotate,
                     uint64_t every)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    struct audit *a;
    char err[256];
    int rc = audit_open(&a, &loop, path, err, sizeof(err));
    if (rc < 0) {
        fprintf(stderr, "audit_open: %s\n", err);
        uv_loop_close(&loop);
        return rc;
    }
    audit_set_session(a, "v1.test-session.mac");
    audit_set_signer(a, k);
    audit_set_rotate(a, rotate);
    if (every > 0)
        audit_set_checkpoint(a, every);
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
        CHECK_INT(write_log(log, 300, rings[k] ? &rings[k]->keys[0] : NULL, 0, 100), 0);
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
        CHECK_INT(write_log(log, 10, rings[k] ? &rings[k]->keys[0] : NULL, 0, 0), 0);
        CHECK_INT(audit_verify(log, rings[k], &r), VERIFY_INTACT);
        CHECK_INT(r.records, 304 + 11);
        CHECK_INT(r.first_seq, 1);
        CHECK_INT(r.last_seq, 315);
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
    CHECK(audit_open(&a, &loop, plain, err, sizeof(err)) < 0);
    CHECK(strstr(err, "not a chained") != NULL);
    uv_loop_close(&loop);
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
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_done();
}
