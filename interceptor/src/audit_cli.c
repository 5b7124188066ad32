/*
 * audit_cli.c - `sentinel verify` and the --audit-key of `sentinel run`.
 */
#include "audit_cli.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/verify.h"
#include "base/log.h"
#include "base/buf.h"
#include "seal/key.h"

#define EX_OK 0
#define EX_USAGE 64
#define EX_NOINPUT 66

int audit_cli_signer(const char *path, struct seal_keyring *kr, const struct seal_key **signer)
{
    char err[512];
    if (seal_init() < 0) {
        fputs("sentinel run: libsodium could not be initialised\n", stderr);
        return 70;
    }
    if (seal_keyring_load(kr, path, err, sizeof(err)) < 0) {
        fprintf(stderr, "sentinel run: --audit-key: %s\n", err);
        return EX_NOINPUT; /* the key file cannot be used, as in every command */
    }
    const struct seal_key *k = kr->n > 0 ? &kr->keys[0] : NULL;
    if (k == NULL || (k->type != SEAL_KEY_HMAC && k->type != SEAL_KEY_ED25519_SECRET)) {
        fprintf(stderr,
                "sentinel run: --audit-key %s: the first key must be a secret (hmac-sha256 or "
                "ed25519-secret) to sign with; a public key only verifies\n",
                path);
        seal_keyring_free(kr);
        return EX_USAGE;
    }
    *signer = k;
    return 0;
}

static void put_json_str(FILE *f, const char *key, const char *v)
{
    struct buf b;
    buf_init(&b, 1u << 16);
    buf_json_escape(&b, v, strlen(v));
    fprintf(f, ",\"%s\":\"%.*s\"", key, (int)b.len, b.data ? b.data : "");
    buf_cleanup(&b);
}

static void print_json(const char *path, const struct verify_result *r, const char *strict_why)
{
    static const char *const st[] = {"intact", "damaged", "unreadable"};
    const char *status = strict_why ? "damaged" : st[r->status];
    printf("{\"status\":\"%s\"", status);
    put_json_str(stdout, "log", path);
    if (r->status == VERIFY_DAMAGED || strict_why) {
        put_json_str(stdout, "damage", !strict_why ? r->damage
                                       : r->sealed && r->unclean_ends == 0 ? VERIFY_UNSEALED
                                                                           : VERIFY_TRUNCATED);
        put_json_str(stdout, "file", r->file);
        printf(",\"line\":%" PRIu64 ",\"seq\":%" PRIu64, r->line, r->seq);
    }
    if (r->message[0] || strict_why)
        put_json_str(stdout, "message", strict_why ? strict_why : r->message);
    printf(",\"records\":%" PRIu64 ",\"first_seq\":%" PRIu64 ",\"last_seq\":%" PRIu64
           ",\"files\":%zu,\"checkpoints\":%" PRIu64 ",\"signed_checkpoints\":%" PRIu64
           ",\"sessions\":%" PRIu64 ",\"sealed\":%s,\"torn_tail\":%s,\"unsealed\":%" PRIu64
           ",\"declared_unsealed\":%" PRIu64 ",\"unclean_ends\":%" PRIu64,
           r->records, r->first_seq, r->last_seq, r->nfiles, r->checkpoints,
           r->signed_checkpoints, r->sessions, r->sealed ? "true" : "false",
           r->torn_tail ? "true" : "false", r->unsealed, r->declared_unsealed, r->unclean_ends);
    if (r->head_hash[0])
        put_json_str(stdout, "head", r->head_hash);
    static const char *const hf[] = {"present", "empty", "missing"};
    put_json_str(stdout, "head_file", hf[r->head_file]);
    if (r->v1_checkpoints > 0)
        printf(",\"v1_checkpoints\":%" PRIu64, r->v1_checkpoints);
    if (r->v2_checkpoints > 0)
        printf(",\"v2_checkpoints\":%" PRIu64, r->v2_checkpoints);
    if (r->time_backwards > 0)
        printf(",\"time_backwards\":%" PRIu64 ",\"time_backwards_seq\":%" PRIu64,
               r->time_backwards, r->time_backwards_seq);
    puts("}");
}

static void verify_usage(FILE *f)
{
    fputs("usage: sentinel verify [--key FILE] [--strict] [--json] AUDIT_LOG\n"
          "Walk the hash chain of AUDIT_LOG and its rotated files (LOG.1, LOG.2, ...) and name\n"
          "the first damage: edited, deleted, reordered, truncated, spliced, malformed or\n"
          "bad_signature records (docs/audit.md).\n"
          "  --key FILE  every checkpoint signature must verify with this key (the HMAC key,\n"
          "              or the .pub of an Ed25519 key)\n"
          "  --strict    the log must also end sealed by a clean close, with no records a\n"
          "              crashed run left unsealed\n"
          "  --json      one JSON object instead of text\n"
          "exit status: 0 intact, 1 damaged, 64 usage, 66 the log or the key cannot be read\n",
          f);
}

int audit_cli_verify(int argc, char **argv)
{
    const char *key_path = NULL, *log = NULL;
    bool strict = false, json = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            verify_usage(stdout);
            return EX_OK;
        } else if (strcmp(a, "--key") == 0 && i + 1 < argc) {
            key_path = argv[++i];
        } else if (strcmp(a, "--strict") == 0) {
            strict = true;
        } else if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "sentinel verify: unknown option '%s'\n", a);
            return EX_USAGE;
        } else if (log == NULL) {
            log = a;
        } else {
            fprintf(stderr, "sentinel verify: one log at a time ('%s', '%s')\n", log, a);
            return EX_USAGE;
        }
    }
    if (log == NULL) {
        verify_usage(stderr);
        return EX_USAGE;
    }
    struct seal_keyring kr = {0};
    if (key_path != NULL) {
        char err[512];
        if (seal_init() < 0 || seal_keyring_load(&kr, key_path, err, sizeof(err)) < 0) {
            fprintf(stderr, "sentinel verify: --key: %s\n", err);
            return EX_NOINPUT;
        }
    }
    static struct verify_result r; /* large (paths); one per process */
    int st = audit_verify(log, key_path ? &kr : NULL, &r);
    seal_keyring_free(&kr);
    if (st == VERIFY_UNREADABLE) {
        if (json)
            print_json(log, &r, NULL);
        fprintf(stderr, "sentinel verify: %s\n", r.message);
        return EX_NOINPUT;
    }
    /* --strict: a log must end sealed by its final checkpoint (a clean close), and every
     * record in it must have been sealed by the run that wrote it */
    char why[512];
    const char *strict_why = strict ? audit_verify_strict(&r, why, sizeof(why)) : NULL;
    if (json) {
        print_json(log, &r, strict_why);
    } else if (st == VERIFY_DAMAGED) {
        printf("%s: DAMAGED (%s) at %s:%" PRIu64 " (seq %" PRIu64 "): %s\n", log, r.damage,
               r.file, r.line, r.seq, r.message);
        printf("  %" PRIu64 " record(s) before it verified (seq %" PRIu64 "..%" PRIu64 ")\n",
               r.records, r.first_seq, r.last_seq);
    } else {
        printf("%s: %s: %" PRIu64 " records (seq %" PRIu64 "..%" PRIu64
               ") in %zu file(s), %" PRIu64 " session(s), %" PRIu64 " checkpoint(s)",
               log,
               !strict_why ? "intact"
               : r.sealed && r.unclean_ends == 0 ? "DAMAGED (" VERIFY_UNSEALED ")"
                                                 : "DAMAGED (" VERIFY_TRUNCATED ")",
               r.records, r.first_seq,
               r.last_seq, r.nfiles, r.sessions, r.checkpoints);
        if (key_path)
            printf(", %" PRIu64 " signature(s) verified", r.signed_checkpoints);
        printf("\n");
        if (strict_why)
            printf("  %s\n", strict_why);
        if (!key_path)
            printf("  note: signatures not checked (no --key); the chain alone does not prove "
                   "who wrote it\n");
        if (r.sealed && !r.sealed_v1)
            printf("  sealed: ends with the final checkpoint of a clean close\n");
        else if (r.sealed && !strict_why)
            printf("  sealed in the v1 form: ends with a checkpoint marked final, a mark its "
                   "signature does not cover\n");
        else if (!strict_why && r.unsealed == 0 && r.records > 0)
            printf("  note: the log ends with a checkpoint that is not a final one (a crash "
                   "right after it, a run still going, or a tail deleted up to it)\n");
        else if (!strict_why)
            printf("  note: %" PRIu64 " record(s) after the last checkpoint are chained but not "
                   "yet signed (a crash, a run still going, or a deleted tail)\n",
                   r.unsealed);
        if (r.head_file == VERIFY_HEAD_MISSING && r.records > 0 && !strict_why)
            printf("  note: the log has no head file (%s.head): a deleted tail cannot be told "
                   "from a complete log, and the next run refuses to continue it\n",
                   log);
        if (r.v1_checkpoints > 0)
            printf("  note: %" PRIu64 " checkpoint(s) are signed in the v1 form, which does not "
                   "cover their reason and final flag\n",
                   r.v1_checkpoints);
        if (r.v2_checkpoints > 0)
            printf("  note: %" PRIu64 " checkpoint(s) are signed in the v2 form, which does not "
                   "cover their own time\n",
                   r.v2_checkpoints);
        if (r.torn_tail)
            printf("  note: the last line is incomplete (a write torn by a crash); it is not "
                   "verified, everything before it is\n");
        if (r.declared_unsealed > 0)
            printf("  note: %" PRIu64 " record(s) were never sealed by the run that wrote them "
                   "(it crashed; the next run declared them)\n",
                   r.declared_unsealed);
        if (r.time_backwards > 0)
            printf("  note: %" PRIu64 " record(s) carry a time before their predecessor's, the "
                   "first at seq %" PRIu64 " (the clock was stepped back, or the times were "
                   "edited before the chain was made)\n",
                   r.time_backwards, r.time_backwards_seq);
        if (r.unclean_ends > 0 && !strict_why)
            printf("  note: %" PRIu64 " run(s) ended without their final checkpoint, the first "
                   "after seq %" PRIu64 " (a crash, or records deleted up to a checkpoint)\n",
                   r.unclean_ends, r.unclean_seq);
    }
    if (strict_why != NULL)
        return 1;
    return st == VERIFY_INTACT ? 0 : 1;
}

int audit_cli_refusal(const char *path, const struct seal_keyring *keys, const char *fields,
                      size_t len)
{
    uv_loop_t loop;
    if (uv_loop_init(&loop) != 0)
        return -1;
    struct audit *a = NULL;
    char err[512];
    int rc = audit_open(&a, &loop, path, keys, err, sizeof(err));
    if (rc < 0) {
        log_error("the refusal could not be recorded: %s", err);
    } else {
        audit_set_fsync(a, AUDIT_SYNC_ALWAYS);
        rc = audit_record(a, "refused", fields, len);
        audit_close(a); /* frees a once its last write and sync are done */
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    (void)uv_loop_close(&loop);
    return rc;
}
