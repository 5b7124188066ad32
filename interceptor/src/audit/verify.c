/*
 * verify.c - walks an audit log's chain across its rotated files, recomputing every hash,
 * checking every link and every checkpoint signature, and names the first damage.
 *
 * Everything in the files is hostile: lines are bounded, parsed by the strict JSON parser
 * (duplicate keys refused, so a record cannot carry two "hash" members), and the hash
 * must be the line's last member in the one fixed form the writer produces.
 */
#include "audit/verify.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/hash.h"

#include "audit/audit.h"
#include "audit/report.h" /* report_parse_time */
#include "mcp/json.h"
#include "seal/chain.h"
#include "seal/key.h"

#define HASH_TAIL_LEN 75                /* ,"hash":"<64 hex>"} */
#define VERIFY_LINE_MAX (256u << 20)    /* longer than any record the writer can produce */
#define VERIFY_FILES_MAX 100000u

static bool is_hex64(const char *p)
{
    for (int i = 0; i < CHAIN_HEX; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
            return false;
    return true;
}

/* ---- one line --------------------------------------------------------------------------- */

struct rec {
    struct json_doc doc;
    struct buf scratch;
    struct audit_line al;
};

static int get_str(struct rec *r, const char *key, const char **p, size_t *n)
{
    uint32_t v = json_get(&r->doc, 0, key, strlen(key));
    if (v == 0 || r->doc.nodes[v].type != JSON_STRING)
        return -1;
    return json_str(&r->doc, v, &r->scratch, p, n) < 0 ? -1 : 0;
}

/* Parse and shape-check a line into r (doc indexed one level). */
static int parse_line(struct rec *r, const char *line, size_t len, char *err, size_t errlen)
{
    struct audit_line *al = &r->al;
    if (len < HASH_TAIL_LEN + 2 ||
        memcmp(line + len - HASH_TAIL_LEN, ",\"hash\":\"", 9) != 0 ||
        memcmp(line + len - 2, "\"}", 2) != 0 || !is_hex64(line + len - 66)) {
        snprintf(err, errlen, "it does not end in a \"hash\" member");
        return -1;
    }
    struct diag d = {0};
    if (json_parse(&r->doc, line, len, 1, &d) < 0 || r->doc.count == 0 ||
        r->doc.nodes[0].type != JSON_OBJECT) {
        snprintf(err, errlen, "it is not a JSON object");
        return -1;
    }
    int64_t seq;
    uint32_t v = json_getz(&r->doc, 0, "seq");
    if (v == 0 || json_int(&r->doc, v, &seq) < 0 || seq < 1) {
        snprintf(err, errlen, "it has no positive integer \"seq\"");
        return -1;
    }
    const char *p;
    size_t n;
    if (get_str(r, "prev", &p, &n) < 0 || n != CHAIN_HEX || !is_hex64(p)) {
        snprintf(err, errlen, "it has no 64-hex \"prev\"");
        return -1;
    }
    memcpy(al->prev, p, CHAIN_HEX);
    al->prev[CHAIN_HEX] = '\0';
    if (get_str(r, "event", &p, &n) < 0 || n == 0) {
        snprintf(err, errlen, "it has no \"event\"");
        return -1;
    }
    memcpy(al->hash, line + len - 66, CHAIN_HEX);
    al->hash[CHAIN_HEX] = '\0';
    al->seq = (uint64_t)seq;
    al->prefix_len = len - HASH_TAIL_LEN;
    return 0;
}

int audit_line_parse(const char *line, size_t len, struct audit_line *out, char *err,
                     size_t errlen)
{
    struct rec r;
    json_doc_init(&r.doc, AUDIT_REC_MAX_DEPTH, 0);
    buf_init(&r.scratch, VERIFY_LINE_MAX);
    int rc = parse_line(&r, line, len, err, errlen);
    if (rc == 0)
        *out = r.al;
    json_doc_cleanup(&r.doc);
    buf_cleanup(&r.scratch);
    return rc;
}

/* ---- the walk --------------------------------------------------------------------------- */

/* The session ids of the runs seen to start (64-bit hashes, open addressing; 0 = empty). */
struct sidset {
    uint64_t *slot;
    size_t cap, n;
};

/* Add h; false when it was there already (or no memory: a run is not refused for that). */
static bool sidset_add(struct sidset *t, uint64_t h)
{
    h |= 1;
    if (t->n * 2 >= t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 64;
        uint64_t *ns = calloc(nc, sizeof(*ns));
        if (ns == NULL)
            return true;
        for (size_t i = 0; i < t->cap; i++)
            if (t->slot[i] != 0) {
                size_t j = t->slot[i] & (nc - 1);
                while (ns[j] != 0)
                    j = (j + 1) & (nc - 1);
                ns[j] = t->slot[i];
            }
        free(t->slot);
        t->slot = ns;
        t->cap = nc;
    }
    size_t j = h & (t->cap - 1);
    while (t->slot[j] != 0) {
        if (t->slot[j] == h)
            return false;
        j = (j + 1) & (t->cap - 1);
    }
    t->slot[j] = h;
    t->n++;
    return true;
}

struct walker {
    struct verify_result *r;
    struct sidset starts; /* the session ids runs started with: a second start is forged */
    const struct seal_keyring *keys;
    struct rec rec;
    bool have_last;
    uint64_t last_seq;
    char last_hash[CHAIN_HEX + 1];
    char last_file[PATH_MAX];
    uint64_t last_line;
    char session[300];
    char next_session[300]; /* a new run's, from its "recovered" or "rotated" on */   /* the run the chain is in */
    bool last_was_cp;
    bool last_final;
    int64_t last_time;   /* the last record's time (ns since the epoch), valid with have_last */
    bool last_cp_v1;     /* the last checkpoint's signature is the v1 form (final unsigned) */
    bool last_stop;      /* the last record was a run's "stop": its final checkpoint is next */
    bool last_declared;  /* ... a "recovered" record declaring the unsealed records before it */
    bool last_rotate_cp; /* ... a "rotate" checkpoint: the writer's "rotated" record is next */
    bool last_opens;     /* ... that "rotated" record, the only one since the checkpoint */
    bool opening;        /* a "recovered" record opened a run whose start is still to come */
    uint64_t declared;   /* unsealed records declared since the last checkpoint */
    bool resume;         /* audit_verify_span for a writer: a signed log needs its key */
    uint64_t cp_every;   /* the running run's checkpoint interval (its start record), 0 = ? */
    uint64_t since_seal; /* records since the last checkpoint or declaration */
    /* a torn line waiting for its "recovered" record */
    bool torn_pending;
    size_t torn_len;
    uint64_t torn_line;
    char torn_why[160];
    char torn_digest[CHAIN_HEX + 1];
    /* after a sequence gap: looking for the missing records further on */
    uint64_t probe_lo, probe_hi;
    /* LOG.head */
    bool have_head;
    uint64_t head_seq;
    char head_hash[CHAIN_HEX + 1];
    char head_session[300];
    char *head_line;     /* its signature is checked in the log, or at the end if not there */
    size_t head_len;
    bool head_found;
};

#define PROBE (-2) /* damage found; scan on for the missing seqs */

static int damage(struct walker *w, const char *kind, const char *file, uint64_t line,
                  uint64_t seq, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int damage(struct walker *w, const char *kind, const char *file, uint64_t line,
                  uint64_t seq, const char *fmt, ...)
{
    struct verify_result *r = w->r;
    r->status = VERIFY_DAMAGED;
    r->damage = kind;
    snprintf(r->file, sizeof(r->file), "%s", file);
    r->line = line;
    r->seq = seq;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof(r->message), fmt, ap);
    va_end(ap);
    return -1;
}

/* A string member as one word of the signed message ("" when absent, too long or spaced). */
static void signed_token(struct rec *rc, const char *key, char *out, size_t cap)
{
    const char *v = NULL;
    size_t n = 0;
    out[0] = '\0';
    if (get_str(rc, key, &v, &n) == 0 && n < cap && memchr(v, ' ', n) == NULL) {
        memcpy(out, v, n);
        out[n] = '\0';
    }
}

/* A checkpoint: its head is the record before it, and its signature holds. */
static int check_checkpoint(struct walker *w, const char *file, uint64_t line, bool *final)
{
    struct rec *rc = &w->rec;
    const char *alg, *head, *kid = NULL, *sig = NULL;
    size_t alen, hlen, klen = 0, slen = 0;
    int64_t hseq;
    uint32_t v = json_getz(&rc->doc, 0, "head_seq");
    if (v == 0 || json_int(&rc->doc, v, &hseq) < 0 || get_str(rc, "alg", &alg, &alen) < 0)
        return damage(w, VERIFY_MALFORMED, file, line, rc->al.seq,
                      "checkpoint seq %" PRIu64 " lacks head_seq or alg", rc->al.seq);
    char algz[16];
    snprintf(algz, sizeof(algz), "%.*s", (int)(alen < 15 ? alen : 15), alg);
    char headz[CHAIN_HEX + 1];
    if (get_str(rc, "head", &head, &hlen) < 0 || hlen != CHAIN_HEX)
        return damage(w, VERIFY_MALFORMED, file, line, rc->al.seq,
                      "checkpoint seq %" PRIu64 " lacks its head hash", rc->al.seq);
    memcpy(headz, head, CHAIN_HEX);
    headz[CHAIN_HEX] = '\0';
    if ((uint64_t)hseq + 1 != rc->al.seq || strcmp(headz, rc->al.prev) != 0)
        return damage(w, VERIFY_EDITED, file, line, rc->al.seq,
                      "checkpoint seq %" PRIu64 " signs a head that is not the record before it",
                      rc->al.seq);
    v = json_getz(&rc->doc, 0, "final");
    *final = v != 0 && rc->doc.nodes[v].type == JSON_TRUE;
    /* the writer's members and no others: what its signature does not cover (a note added to
     * the last line, which nothing chains after) must not ride along */
    static const char *const known[] = {"session", "seq", "time", "event", "head_seq", "head",
                                        "reason", "alg", "kid", "sig", "final", "prev", "hash"};
    for (uint32_t m = json_first(&rc->doc, 0); m != 0; m = rc->doc.nodes[m].next) {
        const struct json_node *mn = &rc->doc.nodes[m];
        bool ok = false;
        for (size_t i = 0; i < sizeof(known) / sizeof(known[0]) && !ok; i++)
            ok = !(mn->flags & JSON_F_KEY_ESCAPED) && mn->key_len == strlen(known[i]) &&
                 memcmp(rc->doc.text + mn->key_start, known[i], mn->key_len) == 0;
        if (!ok)
            return damage(w, VERIFY_EDITED, file, line, rc->al.seq,
                          "checkpoint seq %" PRIu64 " holds a member the writer never writes "
                          "(\"%.*s\"): it was added after",
                          rc->al.seq, (int)(mn->key_len > 40 ? 40 : mn->key_len),
                          rc->doc.text + mn->key_start);
    }
    w->r->checkpoints++;
    if (w->keys == NULL && w->resume && strcmp(algz, "none") != 0)
        return damage(w, VERIFY_BAD_SIGNATURE, file, line, rc->al.seq,
                      "checkpoint seq %" PRIu64 " is signed (%s): the log is continued only with "
                      "its key (--audit-key KEY), or it would no longer verify with it",
                      rc->al.seq, algz);
    if (w->keys == NULL)
        return 0;
    if (strcmp(algz, "none") == 0 && w->resume)
        return damage(w, VERIFY_BAD_SIGNATURE, file, line, rc->al.seq,
                      "checkpoint seq %" PRIu64 " is unsigned: the log was written without a "
                      "key, so it is continued only without --audit-key (signed records go to a "
                      "new file)",
                      rc->al.seq);
    if (strcmp(algz, "none") == 0)
        return damage(w, VERIFY_BAD_SIGNATURE, file, line, rc->al.seq,
                      "checkpoint seq %" PRIu64 " is unsigned, and a key was given: the chain "
                      "from here on was not written by a holder of the key",
                      rc->al.seq);
    char kidz[SEAL_KID_MAX + 1];
    char sigz[CHAIN_SIG_MAX + 1];
    if (get_str(rc, "kid", &kid, &klen) < 0 || klen == 0 || klen > SEAL_KID_MAX ||
        get_str(rc, "sig", &sig, &slen) < 0 || slen == 0 || slen > CHAIN_SIG_MAX)
        return damage(w, VERIFY_BAD_SIGNATURE, file, line, rc->al.seq,
                      "checkpoint seq %" PRIu64 " has no usable kid/sig", rc->al.seq);
    memcpy(kidz, kid, klen);
    kidz[klen] = '\0';
    memcpy(sigz, sig, slen);
    sigz[slen] = '\0';
    const struct seal_key *k = seal_keyring_find(w->keys, kidz, klen);
    if (k == NULL)
        return damage(w, VERIFY_BAD_SIGNATURE, file, line, rc->al.seq,
                      "checkpoint seq %" PRIu64 " is signed by key '%s', which is not among "
                      "the keys given",
                      rc->al.seq, kidz);
    const char *kalg = seal_chain_alg(k);
    if (kalg == NULL || strcmp(kalg, algz) != 0)
        return damage(w, VERIFY_BAD_SIGNATURE, file, line, rc->al.seq,
                      "checkpoint seq %" PRIu64 " claims alg %s but key '%s' is %s",
                      rc->al.seq, algz, kidz, kalg ? kalg : "unusable");
    /* v2 signs the reason and whether it is final; v1 (logs written before) did not; v3 signs
     * the checkpoint's own time too */
    char whyz[32], timez[40];
    signed_token(rc, "reason", whyz, sizeof(whyz));
    signed_token(rc, "time", timez, sizeof(timez));
    char msg[320];
    size_t ml = whyz[0] && timez[0] ? seal_checkpoint_msg(msg, sizeof(msg), algz, kidz,
                                                         (uint64_t)hseq, headz, whyz, *final, timez)
                                    : 0;
    if ((ml == 0 || seal_checkpoint_verify(k, msg, ml, sigz, slen) < 0) && whyz[0]) {
        ml = seal_checkpoint_msg(msg, sizeof(msg), algz, kidz, (uint64_t)hseq, headz, whyz,
                                 *final, NULL);
        if (ml != 0 && seal_checkpoint_verify(k, msg, ml, sigz, slen) == 0)
            w->r->v2_checkpoints++;
        else
            ml = 0;
    }
    bool v1 = false;
    if (ml == 0) {
        ml = seal_checkpoint_msg(msg, sizeof(msg), algz, kidz, (uint64_t)hseq, headz, NULL, false,
                                 NULL);
        v1 = ml != 0 && seal_checkpoint_verify(k, msg, ml, sigz, slen) == 0;
        if (!v1)
            return damage(w, VERIFY_BAD_SIGNATURE, file, line, rc->al.seq,
                          "checkpoint seq %" PRIu64 ": the signature does not verify with key "
                          "'%s' (or its reason or final flag was changed)",
                          rc->al.seq, kidz);
        w->r->v1_checkpoints++;
    }
    w->last_cp_v1 = v1;
    w->r->signed_checkpoints++;
    return 0;
}

/*
 * Records no key holder signed. A run that ends cleanly seals its records (its "stop" is
 * followed by its final checkpoint), and a run that resumes a log after a crash declares the
 * unsealed records before it in its "recovered" record (a rotation that record triggers puts
 * the new file's "rotated" record between it and the run's "start": a key holder's checkpoint
 * seals what came before, and the one record after it is the writer's own, which a run
 * starting right after any checkpoint could equally follow). With a key, anything else is a chain
 * someone without the key wrote: a second run starting after records nobody sealed or
 * declared, a "stop" not followed by its checkpoint, a run that says it did not sign.
 */
static int unsigned_run(struct walker *w, const char *file, uint64_t lineno, uint64_t seq,
                        const char *ev)
{
    struct rec *rc = &w->rec;
    struct verify_result *r = w->r;
    bool stop = w->last_stop, declared = w->last_declared, opens = w->last_opens;
    w->last_stop = strcmp(ev, "stop") == 0;
    w->last_declared = false;
    /* a rotation seals the file with a "rotate" checkpoint and opens the next with a "rotated"
     * record; when it falls between a run's "recovered" record and its "start" (the recovered
     * record filled the file), that record is the only one before the start, and the run's own */
    w->last_opens = w->last_rotate_cp && strcmp(ev, "rotated") == 0;
    const char *why;
    size_t wl;
    w->last_rotate_cp = strcmp(ev, "checkpoint") == 0 && get_str(rc, "reason", &why, &wl) == 0 &&
                        wl == 6 && memcmp(why, "rotate", 6) == 0;
    if (strcmp(ev, "recovered") == 0) {
        /* it declares the records before it that no checkpoint seals; without "unsealed" (a
         * run that found only a torn line), none */
        uint32_t v = json_getz(&rc->doc, 0, "unsealed");
        int64_t n = v == 0 ? 0 : -1;
        if ((v != 0 && json_int(&rc->doc, v, &n) < 0) || n < 0 || (uint64_t)n != r->unsealed)
            return damage(w, VERIFY_EDITED, file, lineno, seq,
                          "record seq %" PRIu64 " declares %" PRId64 " unsealed record(s) before "
                          "it, but %" PRIu64 " follow the last checkpoint",
                          seq, n, r->unsealed);
        w->declared = (uint64_t)n;
        w->last_declared = true;
        w->since_seal = 0;
    }
    if (strcmp(ev, "checkpoint") == 0)
        w->since_seal = 0;
    else
        w->since_seal++;
    if (strcmp(ev, "start") == 0) {
        int64_t every = 0;
        uint32_t v = json_getz(&rc->doc, 0, "checkpoint_every");
        w->cp_every = v != 0 && json_int(&rc->doc, v, &every) == 0 && every > 0 ? (uint64_t)every
                                                                               : 0;
    }
    if (w->keys == NULL)
        return 0;
    /* a run checkpoints every cp_every records it counts; its file adds a "rotated" record per
     * rotation and the run's first record may be a "recovered" one */
    if (w->cp_every > 0 && w->since_seal > w->cp_every + 2 && strcmp(ev, "checkpoint") != 0)
        return damage(w, VERIFY_BAD_SIGNATURE, file, lineno, seq,
                      "record seq %" PRIu64 " is the %" PRIu64 "th since the last checkpoint, "
                      "but its run signs a checkpoint every %" PRIu64 " records: the "
                      "checkpoints were removed or the records were not written by it",
                      seq, w->since_seal, w->cp_every);
    if (stop && strcmp(ev, "checkpoint") != 0 && strcmp(ev, "recovered") != 0)
        return damage(w, VERIFY_BAD_SIGNATURE, file, lineno, seq,
                      "record seq %" PRIu64 " follows the \"stop\" of a run that never sealed "
                      "its records: a run that stops writes its final signed checkpoint next",
                      seq);
    if (strcmp(ev, "start") != 0)
        return 0;
    if (r->unsealed > 0 && !declared && !(opens && r->unsealed == 1))
        return damage(w, VERIFY_BAD_SIGNATURE, file, lineno, seq,
                      "a run starts at seq %" PRIu64 " after %" PRIu64 " record(s) that no "
                      "checkpoint signs and no \"recovered\" record declares: they were not "
                      "written by a holder of the key",
                      seq, r->unsealed);
    if (w->cp_every == 0 || w->cp_every > AUDIT_CHECKPOINT_MAX)
        return damage(w, VERIFY_BAD_SIGNATURE, file, lineno, seq,
                      "the run starting at seq %" PRIu64 " does not state how often it signs "
                      "(\"checkpoint_every\" 1 .. %u), as every signing run does: its records "
                      "would be bound by no checkpoint",
                      seq, AUDIT_CHECKPOINT_MAX);
    uint32_t v = json_getz(&rc->doc, 0, "audit_signed");
    if (v != 0 && rc->doc.nodes[v].type == JSON_FALSE)
        return damage(w, VERIFY_BAD_SIGNATURE, file, lineno, seq,
                      "the run starting at seq %" PRIu64 " did not sign its records "
                      "(\"audit_signed\":false), and a key was given",
                      seq);
    return 0;
}

/* The form every writer stamps: 2026-11-22T05:15:14.696041592Z (UTC, upper-case T and Z,
 * one to nine fraction digits, never a leap second's :60). An offset, a lower-case letter or a
 * second 60 is a time no writer wrote. */
static bool writer_time(const char *s, size_t n)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    if (n < 20 || n > 30 || s[n - 1] != 'Z')
        return false;
    for (size_t i = 0; i < 19; i++)
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
            return false;
    if (s[17] == '6')
        return false;
    if (n == 20)
        return true;
    if (s[19] != '.' || n < 22)
        return false;
    for (size_t i = 20; i < n - 1; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int one_record(struct walker *w, const char *file, uint64_t lineno, const char *line,
                      size_t len)
{
    struct verify_result *r = w->r;
    struct rec *rc = &w->rec;
    char why[160];
    if (parse_line(rc, line, len, why, sizeof(why)) < 0) {
        if (!w->torn_pending && !audit_tear_shaped(line, len))
            return damage(w, VERIFY_MALFORMED, file, lineno, 0,
                          "line %" PRIu64 " is not a chained record (%s), and not a write torn "
                          "by a crash either: no writer's line ends as it does",
                          lineno, why);
        if (!w->torn_pending) {
            /* perhaps a torn write that the next run declared: decided on the next line */
            w->torn_pending = true;
            w->torn_len = len;
            w->torn_line = lineno;
            snprintf(w->torn_why, sizeof(w->torn_why), "%s", why);
            seal_chain_hash(line, len, w->torn_digest);
            return 0;
        }
        return damage(w, VERIFY_MALFORMED, file, w->torn_line, 0,
                      "line %" PRIu64 " is not a chained record: %s", w->torn_line, w->torn_why);
    }
    uint64_t seq = rc->al.seq;
    const char *event, *sess = NULL;
    size_t elen, slen = 0;
    get_str(rc, "event", &event, &elen);
    char ev[32];
    snprintf(ev, sizeof(ev), "%.*s", (int)(elen < 31 ? elen : 31), event);
    if (get_str(rc, "session", &sess, &slen) < 0)
        slen = 0;
    char sessz[300];
    snprintf(sessz, sizeof(sessz), "%.*s", (int)(slen < 299 ? slen : 299), slen ? sess : "");

    if (w->torn_pending) {
        int64_t tb = -1;
        uint32_t v = json_getz(&rc->doc, 0, "torn_bytes");
        if (strcmp(ev, "recovered") != 0 || v == 0 || json_int(&rc->doc, v, &tb) < 0 ||
            (size_t)tb != w->torn_len)
            return damage(w, VERIFY_MALFORMED, file, w->torn_line, 0,
                          "line %" PRIu64 " is not a chained record: %s", w->torn_line,
                          w->torn_why);
        /* the declaration pins the torn bytes, not only their length (older writers gave the
         * length alone) */
        const char *td;
        size_t tdn;
        if (json_getz(&rc->doc, 0, "torn_sha256") != 0 &&
            (get_str(rc, "torn_sha256", &td, &tdn) < 0 || tdn != CHAIN_HEX ||
             memcmp(td, w->torn_digest, CHAIN_HEX) != 0))
            return damage(w, VERIFY_EDITED, file, w->torn_line, 0,
                          "line %" PRIu64 " is not the torn line that record seq %" PRIu64
                          " declares: its bytes were changed",
                          w->torn_line, rc->al.seq);
        w->torn_pending = false;
    }
    char h[CHAIN_HEX + 1];
    seal_chain_hash(line, rc->al.prefix_len, h);
    if (strcmp(h, rc->al.hash) != 0)
        return damage(w, VERIFY_EDITED, file, lineno, seq,
                      "record seq %" PRIu64 " was edited: its hash does not match its content",
                      seq);
    if (!w->have_last) {
        if (strcmp(rc->al.prev, CHAIN_GENESIS) != 0 || seq != 1) {
            damage(w, VERIFY_DELETED, file, lineno, seq,
                   "the log starts at seq %" PRIu64 " with a link to an earlier record: "
                   "its beginning (or an earlier rotated file) was deleted",
                   seq);
            if (seq <= 1 || w->resume)
                return -1;
            /* ... unless those records come later (files swapped): reordered */
            w->probe_lo = 1;
            w->probe_hi = seq - 1;
            w->last_seq = 0;
            return PROBE;
        }
        r->first_seq = seq;
    } else if (seq != w->last_seq + 1) {
        if (seq <= w->last_seq && strcmp(rc->al.prev, w->last_hash) != 0 &&
            (strcmp(rc->al.prev, CHAIN_GENESIS) == 0 ||
             (slen > 0 && w->session[0] && strcmp(sessz, w->session) != 0)))
            return damage(w, VERIFY_SPLICED, file, lineno, seq,
                          "record seq %" PRIu64 " after seq %" PRIu64 " begins or continues "
                          "another chain (session %.40s...): another log was spliced in",
                          seq, w->last_seq, sessz);
        if (seq <= w->last_seq)
            return damage(w, VERIFY_REORDERED, file, lineno, seq,
                          "record seq %" PRIu64 " follows seq %" PRIu64
                          ": records were reordered or repeated",
                          seq, w->last_seq);
        if (strcmp(rc->al.prev, w->last_hash) != 0 && slen > 0 && w->session[0] &&
            strcmp(sessz, w->session) != 0 && strcmp(ev, "start") != 0)
            return damage(w, VERIFY_SPLICED, file, lineno, seq,
                          "record seq %" PRIu64 " belongs to another chain (session %.40s...): "
                          "records were spliced in",
                          seq, sessz);
        damage(w, VERIFY_DELETED, file, lineno, seq,
               "%" PRIu64 " record(s) deleted before seq %" PRIu64 " (after seq %" PRIu64 ")",
               seq - w->last_seq - 1, seq, w->last_seq);
        /* ... unless the missing ones come later: then they were moved, not deleted */
        w->probe_lo = w->last_seq + 1;
        w->probe_hi = seq - 1;
        return PROBE;
    } else if (strcmp(rc->al.prev, w->last_hash) != 0) {
        if (slen > 0 && w->session[0] && strcmp(sessz, w->session) != 0 &&
            strcmp(ev, "start") != 0)
            return damage(w, VERIFY_SPLICED, file, lineno, seq,
                          "record seq %" PRIu64 " belongs to another chain (session %.40s...): "
                          "records were spliced in",
                          seq, sessz);
        return damage(w, VERIFY_EDITED, w->last_file, w->last_line, w->last_seq,
                      "record seq %" PRIu64 " was edited and re-hashed: the link from seq %" PRIu64
                      " (%s:%" PRIu64 ") to it does not hold",
                      w->last_seq, seq, file, lineno);
    }
    /* every writer stamps its records in RFC 3339 UTC; a record without a valid time was not
     * written by one (its chain recomputed: an unsigned log can be). Time may go backwards
     * when the clock is stepped: counted and told, not damage. */
    const char *ts;
    size_t tsn;
    int64_t t;
    if (get_str(rc, "time", &ts, &tsn) < 0 || !writer_time(ts, tsn) ||
        report_parse_time(ts, tsn, false, &t) < 0)
        return damage(w, VERIFY_MALFORMED, file, lineno, seq,
                      "record seq %" PRIu64 " has no valid \"time\" (RFC 3339 UTC, as every "
                      "writer stamps it): it was not written by sentinel",
                      seq);
    if (w->have_last && t < w->last_time && r->time_backwards++ == 0)
        r->time_backwards_seq = seq;
    w->last_time = t;
    /* after the final checkpoint of a clean close, only a new run writes: its start (after
     * a rotation or a refusal), never more records of the run that closed */
    if (w->have_last && w->last_was_cp && w->last_final && strcmp(ev, "start") != 0 &&
        strcmp(ev, "refused") != 0 && strcmp(ev, "rotated") != 0 &&
        strcmp(ev, "recovered") != 0)
        return damage(w, VERIFY_SPLICED, file, lineno, seq,
                      "record seq %" PRIu64 " (%s) follows the final checkpoint of a clean close "
                      "without a new run's start: records were appended to a closed run",
                      seq, ev);
    /* a new run (its "recovered" record, else its start; a refusal) after a run that did not
     * write its final checkpoint: that run crashed, or its tail was deleted up to one of its
     * checkpoints, which only the key could have made final */
    bool opens = strcmp(ev, "recovered") == 0 || strcmp(ev, "refused") == 0 ||
                 (strcmp(ev, "start") == 0 && !w->opening);
    if (w->have_last && opens && !(w->last_was_cp && w->last_final)) {
        if (r->unclean_ends++ == 0)
            r->unclean_seq = w->last_seq;
    }
    if (strcmp(ev, "recovered") == 0)
        w->opening = true;
    else if (strcmp(ev, "start") == 0 || strcmp(ev, "refused") == 0)
        w->opening = false;
    /* a run's records carry its own session id; another's is a splice (a new run's
     * "recovered" record, and the rotation it may cause, come before its start) */
    if (slen > 0 && w->session[0] && strcmp(sessz, w->session) != 0 &&
        (strcmp(ev, "recovered") == 0 || strcmp(ev, "rotated") == 0))
        snprintf(w->next_session, sizeof(w->next_session), "%s", sessz);
    if (slen > 0 && w->session[0] && strcmp(sessz, w->session) != 0 &&
        strcmp(sessz, w->next_session) != 0 && strcmp(ev, "start") != 0)
        return damage(w, VERIFY_SPLICED, file, lineno, seq,
                      "record seq %" PRIu64 " (%s) carries the session id of another run "
                      "(%.40s...), not the one that started last: records were spliced in",
                      seq, ev, sessz);
    if (strcmp(ev, "start") == 0 && slen > 0 &&
        !sidset_add(&w->starts, hash_fnv1a64(sessz, strlen(sessz))))
        return damage(w, VERIFY_SPLICED, file, lineno, seq,
                      "record seq %" PRIu64 " starts a run with the session id of an earlier "
                      "run (%.40s...): every run mints its own, so this start was copied or "
                      "forged",
                      seq, sessz);
    if (strcmp(ev, "start") == 0)
        w->next_session[0] = '\0';
    if (strcmp(ev, "start") == 0 || !w->have_last) {
        if (strcmp(ev, "start") == 0)
            r->sessions++;
        snprintf(w->session, sizeof(w->session), "%s", sessz);
    } else if (slen > 0 && strcmp(ev, "rotated") != 0) {
        if (w->session[0] == '\0')
            snprintf(w->session, sizeof(w->session), "%s", sessz);
    }
    if (unsigned_run(w, file, lineno, seq, ev) < 0)
        return -1;
    bool final = false;
    w->last_was_cp = strcmp(ev, "checkpoint") == 0;
    if (w->last_was_cp) {
        if (check_checkpoint(w, file, lineno, &final) < 0)
            return -1;
        r->finals += final;
        r->unsealed = 0;
        r->declared_unsealed += w->declared;
        w->declared = 0;
    } else {
        r->unsealed++;
    }
    w->last_final = final;
    if (w->have_head && seq == w->head_seq) {
        if (strcmp(rc->al.hash, w->head_hash) != 0 && w->head_session[0] && slen > 0 &&
            strcmp(sessz, w->head_session) != 0 && w->session[0] &&
            strcmp(w->session, w->head_session) != 0)
            return damage(w, VERIFY_SPLICED, file, lineno, seq,
                          "record seq %" PRIu64 " belongs to another chain than the one the head "
                          "file names (session %.40s...): another log was spliced in",
                          seq, sessz);
        if (strcmp(rc->al.hash, w->head_hash) != 0)
            return damage(w, VERIFY_EDITED, file, lineno, seq,
                          "record seq %" PRIu64 " is not the checkpoint the head file names",
                          seq);
        w->head_found = true;
    }
    w->have_last = true;
    w->last_seq = seq;
    memcpy(w->last_hash, rc->al.hash, sizeof(w->last_hash));
    snprintf(w->last_file, sizeof(w->last_file), "%s", file);
    w->last_line = lineno;
    r->records++;
    r->last_seq = seq;
    return 0;
}

/*
 * Lines of a file in bounded memory: read in chunks, a line handed out in place. A line longer
 * than `max` is not read further (the walk stops there anyway), so memory stays within max plus
 * a chunk, whatever the file holds.
 */
#define READ_CHUNK (1u << 20)
struct lines {
    FILE *f;
    char *buf;
    size_t cap, start, end;
    bool eof;
};

/* 1 with the next line in *line / *len (without its newline; *nl: it had one), 0 at the end,
 * -1 on a read error or out of memory, -2 for a line longer than max. */
static int next_line(struct lines *l, size_t max, const char **line, size_t *len, bool *nl)
{
    size_t scanned = 0;
    for (;;) {
        size_t have = l->end - l->start;
        char *q = have > scanned ? memchr(l->buf + l->start + scanned, '\n', have - scanned) : NULL;
        if (q != NULL || (l->eof && have > 0)) {
            size_t n = q ? (size_t)(q - (l->buf + l->start)) : have;
            if (n > max)
                return -2;
            *line = l->buf + l->start;
            *len = n;
            *nl = q != NULL;
            l->start += n + (q != NULL);
            return 1;
        }
        if (l->eof)
            return 0;
        if (have > max)
            return -2;
        scanned = have;
        if (l->start > 0) {
            memmove(l->buf, l->buf + l->start, have);
            l->start = 0;
            l->end = have;
        }
        if (l->cap - l->end < READ_CHUNK) {
            /* never more than the limit and two chunks: enough to see a line pass the limit */
            size_t nc = l->cap ? l->cap * 2 : READ_CHUNK;
            if (nc < l->end + READ_CHUNK)
                nc = l->end + READ_CHUNK;
            if (nc > max + 2 * READ_CHUNK)
                nc = max + 2 * READ_CHUNK;
            char *nb = realloc(l->buf, nc);
            if (nb == NULL)
                return -1;
            l->buf = nb;
            l->cap = nc;
        }
        size_t got = fread(l->buf + l->end, 1, l->cap - l->end, l->f);
        if (got == 0) {
            if (ferror(l->f))
                return -1;
            l->eof = true;
        }
        l->end += got;
    }
}

uint64_t audit_file_id(uint64_t acc, const struct stat *st)
{
    const uint64_t v[] = {(uint64_t)st->st_dev,          (uint64_t)st->st_ino,
                          (uint64_t)st->st_size,         (uint64_t)st->st_ctim.tv_sec,
                          (uint64_t)st->st_ctim.tv_nsec, (uint64_t)st->st_mtim.tv_nsec};
    uint64_t h = acc ? acc : 14695981039346656037ULL; /* FNV-1a, a word at a time */
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        h = (h ^ v[i]) * 1099511628211ULL;
    return h;
}

/* Did the file change between two fstat calls (while it was read)? */
static bool changed_between(const struct stat *a, const struct stat *b)
{
    return a->st_ino != b->st_ino || a->st_size != b->st_size ||
           a->st_ctim.tv_sec != b->st_ctim.tv_sec || a->st_ctim.tv_nsec != b->st_ctim.tv_nsec;
}

static int walk_file(struct walker *w, const char *file, bool last_file)
{
    /* never blocking in open (a FIFO planted as LOG or LOG.n): the writer makes regular files */
    int fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat s0, s1;
    if (fd >= 0 && (fstat(fd, &s0) != 0 || !S_ISREG(s0.st_mode))) {
        close(fd);
        fd = -1;
        errno = EINVAL;
    }
    if (fd >= 0)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    FILE *f = fd >= 0 ? fdopen(fd, "re") : NULL;
    if (f == NULL && fd >= 0)
        close(fd);
    if (f == NULL && errno == EINVAL) {
        w->r->status = VERIFY_UNREADABLE;
        snprintf(w->r->file, sizeof(w->r->file), "%s", file);
        snprintf(w->r->message, sizeof(w->r->message),
                 "cannot read %s: not a regular file (the writer makes only those)", file);
        return -1;
    }
    if (f == NULL) {
        w->r->status = VERIFY_UNREADABLE;
        snprintf(w->r->file, sizeof(w->r->file), "%s", file);
        snprintf(w->r->message, sizeof(w->r->message), "cannot open %s: %s", file,
                 strerror(errno));
        return -1;
    }
    struct lines lr = {.f = f};
    const char *line;
    size_t n;
    bool nl;
    uint64_t lineno = 0;
    int rc = 0, got;
    while ((got = next_line(&lr, VERIFY_LINE_MAX, &line, &n, &nl)) != 0) {
        lineno++;
        if (got == -2) {
            rc = damage(w, VERIFY_MALFORMED, file, lineno, 0,
                        "line %" PRIu64 " is longer than %u MiB", lineno, VERIFY_LINE_MAX >> 20);
            break;
        }
        if (got < 0) {
            w->r->status = VERIFY_UNREADABLE;
            snprintf(w->r->message, sizeof(w->r->message), "cannot read %s: %s", file,
                     ferror(f) ? "read error" : "out of memory");
            rc = -1;
            break;
        }
        if (!nl) {
            char why[160], h[CHAIN_HEX + 1];
            if (last_file && !w->torn_pending && w->probe_hi == 0 &&
                parse_line(&w->rec, line, n, why, sizeof(why)) == 0) {
                /* a whole record missing only its newline: the next run ends it and continues
                 * after it only if it chains on, so one that does not is damage, not a tear */
                const struct audit_line *al = &w->rec.al;
                seal_chain_hash(line, al->prefix_len, h);
                if (strcmp(h, al->hash) != 0 ||
                    (w->have_last &&
                     (al->seq != w->last_seq + 1 || strcmp(al->prev, w->last_hash) != 0))) {
                    rc = damage(w, VERIFY_EDITED, file, lineno, al->seq,
                                "line %" PRIu64 " is a whole record (seq %" PRIu64
                                ", without its newline) that does not chain on from the one "
                                "before it: not a write torn by a crash",
                                lineno, al->seq);
                    break;
                }
            }
            /* the file's last bytes have no newline: a write torn by a crash, if a writer's
             * line could end so */
            if (last_file && w->probe_hi == 0 && !audit_tear_shaped(line, n) &&
                parse_line(&w->rec, line, n, why, sizeof(why)) < 0) {
                rc = damage(w, VERIFY_MALFORMED, file, lineno, 0,
                            "line %" PRIu64 " (the last, without a newline) is neither a record "
                            "nor a write torn by a crash: no writer's line ends as it does",
                            lineno);
                break;
            }
            if (last_file) {
                w->r->torn_tail = true;
                break;
            }
            rc = damage(w, VERIFY_TRUNCATED, file, lineno, 0,
                        "rotated file %s ends in a torn line %" PRIu64, file, lineno);
            break;
        }
        if (w->probe_hi > 0) {
            unsigned long long q = 0;
            const char *sq = memmem(line, n, "\"seq\":", 6), *e = line + n;
            bool num = false;
            for (sq = sq ? sq + 6 : e; sq < e && *sq >= '0' && *sq <= '9' && q < (1ULL << 60);
                 sq++, num = true)
                q = q * 10 + (unsigned long long)(*sq - '0');
            if (num && sq < e && *sq == ',' && q >= w->probe_lo && q <= w->probe_hi) {
                char where[PATH_MAX + 64];
                snprintf(where, sizeof(where), "%s:%" PRIu64, file, lineno);
                if (!w->have_last)
                    snprintf(w->r->message, sizeof(w->r->message),
                             "the log starts at seq %" PRIu64 ", but seq %llu comes later (at "
                             "%.200s): files or records were reordered",
                             w->r->seq, q, where);
                else
                    snprintf(w->r->message, sizeof(w->r->message),
                             "record seq %" PRIu64 " comes after seq %" PRIu64
                             " where seq %llu belongs (it is at %.200s): records were reordered",
                             w->r->seq, w->last_seq, q, where);
                w->r->damage = VERIFY_REORDERED;
                w->probe_hi = 0;
                rc = -1;
                break;
            }
            continue;
        }
        if ((rc = one_record(w, file, lineno, line, n)) == PROBE)
            rc = 0;
        else if (rc < 0)
            break;
    }
    if (rc == 0 && ferror(f)) {
        w->r->status = VERIFY_UNREADABLE;
        snprintf(w->r->message, sizeof(w->r->message), "read error in %s", file);
        rc = -1;
    }
    free(lr.buf);
    if (fstat(fileno(f), &s1) < 0 || changed_between(&s0, &s1))
        w->r->changed = true;
    else
        w->r->files_id = audit_file_id(w->r->files_id, &s1);
    fclose(f);
    w->r->nfiles++;
    return rc;
}

/* LOG.1, LOG.2, ... in numeric order, then LOG. */
static int list_files(const char *path, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (slash)
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path + (slash == path)), path);
    else
        snprintf(dir, sizeof(dir), ".");
    size_t blen = strlen(base);
    DIR *d = opendir(dir);
    if (d == NULL)
        return -errno;
    unsigned long *idx = NULL;
    size_t cnt = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *nm = e->d_name;
        if (strncmp(nm, base, blen) != 0 || nm[blen] != '.')
            continue;
        const char *q = nm + blen + 1;
        if (*q < '1' || *q > '9' || strlen(q) > 9 || strspn(q, "0123456789") != strlen(q))
            continue;
        if (cnt == cap) {
            cap = cap ? cap * 2 : 16;
            if (cap > VERIFY_FILES_MAX) {
                closedir(d);
                free(idx);
                return -E2BIG;
            }
            unsigned long *ni = realloc(idx, cap * sizeof(*idx));
            if (ni == NULL) {
                closedir(d);
                free(idx);
                return -ENOMEM;
            }
            idx = ni;
        }
        idx[cnt++] = strtoul(q, NULL, 10);
    }
    closedir(d);
    /* insertion sort is enough for the handful of files a log keeps; qsort for many */
    for (size_t i = 1; i < cnt; i++) {
        unsigned long x = idx[i];
        size_t j = i;
        while (j > 0 && idx[j - 1] > x) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = x;
    }
    struct stat st;
    bool active = stat(path, &st) == 0;
    char **files = calloc(cnt + 1, sizeof(*files));
    if (files == NULL) {
        free(idx);
        return -ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < cnt; i++) {
        size_t l = strlen(path) + 24;
        files[k] = malloc(l);
        if (files[k] == NULL)
            break;
        snprintf(files[k++], l, "%s.%lu", path, idx[i]);
    }
    /* LOG a second name of the newest LOG.<n>: a rotation (link, then unlink) cut short by a
     * crash. The file is read once, as LOG.<n>; the next run finishes the rotation. */
    struct stat rst;
    if (active && k > 0 && k == cnt && stat(files[k - 1], &rst) == 0 && rst.st_ino == st.st_ino &&
        rst.st_dev == st.st_dev)
        active = false;
    if (active && k == cnt)
        files[k++] = strdup(path);
    free(idx);
    *out = files;
    *n = k;
    return k == 0 ? -ENOENT : 0;
}

/* LOG.head: a copy of the latest checkpoint line. */
static int read_head(struct walker *w, const char *path)
{
    char hp[PATH_MAX];
    snprintf(hp, sizeof(hp), "%s.head", path);
    /* read as the writer reads it (audit.c): never through a symlink, one line and no more */
    int fd = open(hp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 && errno == ELOOP)
        return damage(w, VERIFY_MALFORMED, hp, 1, 0,
                      "the head file is a symbolic link (the writer never makes one, and the "
                      "next run refuses it)");
    struct stat hst;
    if (fd >= 0 && (fstat(fd, &hst) != 0 || !S_ISREG(hst.st_mode))) {
        close(fd); /* a FIFO would hang the read: the writer makes a regular file */
        return damage(w, VERIFY_MALFORMED, hp, 1, 0,
                      "the head file is not a regular file (the writer makes one, and the next "
                      "run refuses anything else)");
    }
    FILE *f = fd < 0 ? NULL : fdopen(fd, "re");
    if (f == NULL) {
        if (fd >= 0)
            close(fd);
        w->r->head_file = VERIFY_HEAD_MISSING;
        return 0;
    }
    struct lines lr = {.f = f};
    const char *l = NULL;
    size_t len = 0;
    bool nl = false;
    int got = next_line(&lr, 1u << 16, &l, &len, &nl); /* one checkpoint line */
    bool empty = got == 0;
    if (got == 1 && nl) {
        /* anything after the line (buffered, or still in the file) is one line too many */
        if (lr.end > lr.start || (!lr.eof && fgetc(f) != EOF)) {
            free(lr.buf);
            fclose(f);
            return damage(w, VERIFY_MALFORMED, hp, 2, 0,
                          "the head file holds more than one line (the writer keeps one "
                          "checkpoint line, and the next run refuses more)");
        }
    }
    ssize_t n = got == 1 && nl ? (ssize_t)len + 1 : -1;
    char *line = lr.buf;
    if (n > 0 && l != line)
        memmove(line, l, len + 1);
    fclose(f);
    int rc = 0;
    char why[160];
    if (empty) {
        /* the writer's mark for a new log before its first checkpoint: nothing vouched yet */
        w->r->head_file = VERIFY_HEAD_EMPTY;
    } else if (n <= 1 || line[n - 1] != '\n' ||
        parse_line(&w->rec, line, (size_t)n - 1, why, sizeof(why)) < 0) {
        rc = damage(w, VERIFY_MALFORMED, hp, 1, 0, "the head file is not a checkpoint record");
    } else {
        char h[CHAIN_HEX + 1];
        seal_chain_hash(line, w->rec.al.prefix_len, h);
        if (strcmp(h, w->rec.al.hash) != 0) {
            rc = damage(w, VERIFY_EDITED, hp, 1, w->rec.al.seq, "the head file was edited");
        } else {
            /* its signature is checked where it is found in the log (the same bytes), so that
             * a wrong key is named at the log's first checkpoint; or at the end, if the log
             * does not hold it */
            bool final;
            uint64_t saved = w->r->checkpoints, ssaved = w->r->signed_checkpoints;
            const struct seal_keyring *keys = w->keys;
            w->keys = NULL;
            rc = check_checkpoint(w, hp, 1, &final);
            w->keys = keys;
            w->r->checkpoints = saved;
            w->r->signed_checkpoints = ssaved;
            w->have_head = true;
            w->head_seq = w->rec.al.seq;
            memcpy(w->head_hash, w->rec.al.hash, sizeof(w->head_hash));
            const char *sp;
            size_t sn;
            if (get_str(&w->rec, "session", &sp, &sn) == 0)
                snprintf(w->head_session, sizeof(w->head_session), "%.*s",
                         (int)(sn < 299 ? sn : 299), sp);
            w->head_line = line;
            w->head_len = (size_t)n - 1;
            line = NULL;
        }
    }
    free(line);
    return rc;
}

int audit_verify(const char *path, const struct seal_keyring *keys, struct verify_result *r)
{
    memset(r, 0, sizeof(*r));
    struct walker w = {.r = r, .keys = keys};
    json_doc_init(&w.rec.doc, AUDIT_REC_MAX_DEPTH, 0);
    buf_init(&w.rec.scratch, VERIFY_LINE_MAX);
    char **files = NULL;
    size_t nfiles = 0;
    int rc = list_files(path, &files, &nfiles);
    if (rc < 0) {
        char hp[PATH_MAX + 8];
        struct stat st;
        snprintf(hp, sizeof(hp), "%s.head", path);
        bool head = rc == -ENOENT && stat(hp, &st) == 0 && st.st_size > 0;
        r->status = VERIFY_UNREADABLE;
        snprintf(r->file, sizeof(r->file), "%s", path);
        snprintf(r->message, sizeof(r->message), "cannot read %s: %s%s", path, strerror(-rc),
                 head ? "; its head file remains, naming a checkpoint: the log was deleted" : "");
        goto out;
    }
    if (read_head(&w, path) < 0)
        goto out;
    for (size_t i = 0; i < nfiles; i++)
        if (walk_file(&w, files[i], i + 1 == nfiles) < 0)
            goto out;
    if (w.probe_hi > 0) /* the gap stayed a gap: deleted */
        goto out;
    if (w.torn_pending) {
        /* an unparsable last line that ends in a newline is damage, not a crash */
        damage(&w, VERIFY_MALFORMED, w.last_file[0] ? w.last_file : path, w.torn_line, 0,
               "line %" PRIu64 " is not a chained record: %s", w.torn_line, w.torn_why);
        goto out;
    }
    if (keys != NULL && w.last_stop) {
        /* a run that stops writes its final checkpoint next, in the same write */
        damage(&w, VERIFY_TRUNCATED, w.last_file, w.last_line + 1, w.last_seq + 1,
               "the log ends with the \"stop\" of a run (seq %" PRIu64 ") but not the final "
               "checkpoint that follows it: the checkpoint was deleted, or the run forged",
               w.last_seq);
        goto out;
    }
    if (r->head_file == VERIFY_HEAD_EMPTY && r->finals > 0) {
        /* a clean close writes its final checkpoint into the head, and nothing empties it */
        damage(&w, VERIFY_TRUNCATED, path, 0, 0,
               "the head file is empty (the mark of a log without a checkpoint), but the log "
               "holds %" PRIu64 " final checkpoint(s) of clean closes, each of which the head "
               "named: the head was emptied, and records after its last checkpoint may have "
               "been deleted",
               r->finals);
        snprintf(r->file, sizeof(r->file), "%s.head", path);
        goto out;
    }
    if (w.have_head && !w.head_found && keys != NULL) {
        /* a head naming what the log does not hold: is it the key holder's at all? */
        char why[160];
        bool final;
        if (parse_line(&w.rec, w.head_line, w.head_len, why, sizeof(why)) < 0 ||
            check_checkpoint(&w, w.last_file[0] ? w.last_file : path, 0, &final) < 0) {
            snprintf(r->file, sizeof(r->file), "%s.head", path);
            r->line = 1;
            goto out;
        }
    }
    if (w.have_head && !w.head_found) {
        if (!w.have_last || w.last_seq < w.head_seq)
            damage(&w, VERIFY_TRUNCATED, w.last_file[0] ? w.last_file : path, w.last_line + 1,
                   w.last_seq + 1,
                   "the log ends at seq %" PRIu64 " but its head file records a checkpoint at seq "
                   "%" PRIu64 ": the tail was deleted",
                   w.have_last ? w.last_seq : 0, w.head_seq);
        else
            damage(&w, VERIFY_EDITED, path, 0, w.head_seq,
                   "the checkpoint the head file names (seq %" PRIu64 ") is not in the log",
                   w.head_seq);
        goto out;
    }
    r->status = VERIFY_INTACT;
    /* a torn line after the final checkpoint is bytes nobody sealed */
    r->sealed = w.last_was_cp && w.last_final && !r->torn_tail;
    r->sealed_v1 = r->sealed && w.last_cp_v1;
    if (w.have_last)
        memcpy(r->head_hash, w.last_hash, sizeof(r->head_hash));
    r->message[0] = '\0';
out:
    r->nfiles = r->nfiles ? r->nfiles : nfiles;
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    free(w.starts.slot);
    json_doc_cleanup(&w.rec.doc);
    buf_cleanup(&w.rec.scratch);
    free(w.head_line);
    return r->status;
}

const char *audit_verify_strict(const struct verify_result *r, char *why, size_t cap)
{
    if (r->status != VERIFY_INTACT)
        return NULL;
    if (r->head_file == VERIFY_HEAD_MISSING && r->records > 0) {
        snprintf(why, cap,
                 "the log has no head file (LOG.head names its last checkpoint; the next run "
                 "refuses a log without one): a deleted tail cannot be told from a complete log");
        return why;
    }
    if (r->sealed_v1) {
        snprintf(why, cap,
                 "the final checkpoint is signed in the v1 form (logs written before signatures "
                 "covered the final flag): a mid-log checkpoint made to look final, with the "
                 "records after it deleted, would look the same");
        return why;
    }
    if (!r->sealed) {
        snprintf(why, cap,
                 "the log does not end with its final checkpoint: %" PRIu64
                 " record(s) after the last checkpoint%s (a crash, a run still going, or a "
                 "deleted tail)",
                 r->unsealed, r->torn_tail ? " and a torn line" : "");
        return why;
    }
    if (r->unclean_ends > 0) {
        snprintf(why, cap,
                 "%" PRIu64 " run(s) ended without their final checkpoint, the first after "
                 "seq %" PRIu64 " (a crash, or records deleted up to a checkpoint, which only "
                 "the key could have made final): nothing proves what came after",
                 r->unclean_ends, r->unclean_seq);
        return why;
    }
    if (r->declared_unsealed > 0) {
        snprintf(why, cap,
                 "%" PRIu64 " record(s) were never sealed by the run that wrote them (it "
                 "crashed; the next run declared them in a \"recovered\" record): nothing "
                 "proves they are what that run wrote",
                 r->declared_unsealed);
        return why;
    }
    return NULL;
}

int audit_verify_span(const char *buf, size_t len, const struct seal_keyring *keys,
                      struct audit_span *sp, char *err, size_t errlen)
{
    struct verify_result r;
    memset(&r, 0, sizeof(r));
    struct walker w = {.r = &r, .keys = keys, .resume = true};
    json_doc_init(&w.rec.doc, AUDIT_REC_MAX_DEPTH, 0);
    buf_init(&w.rec.scratch, VERIFY_LINE_MAX);
    w.have_last = sp->seq > 0;
    w.last_seq = sp->seq;
    memcpy(w.last_hash, sp->hash, sizeof(w.last_hash));
    r.unsealed = sp->unsealed;
    w.last_rotate_cp = sp->after_rotate;
    w.last_was_cp = w.last_final = sp->after_final;
    const char *p = buf, *end = buf + len;
    uint64_t lineno = 0;
    int rc = 0;
    while (rc == 0 && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL) {
            rc = damage(&w, VERIFY_MALFORMED, "", lineno + 1, 0, "the last line has no newline");
            break;
        }
        lineno++;
        rc = one_record(&w, "", lineno, p, (size_t)(nl - p));
        p = nl + 1;
    }
    if (rc == 0 && w.torn_pending)
        rc = damage(&w, VERIFY_MALFORMED, "", w.torn_line, 0, "a line is not a chained record: %s",
                    w.torn_why);
    if (rc < 0) {
        snprintf(err, errlen, "%s", r.message);
        rc = -1;
    } else {
        sp->seq = w.last_seq;
        memcpy(sp->hash, w.last_hash, sizeof(sp->hash));
        sp->unsealed = r.unsealed;
        sp->after_rotate = w.last_rotate_cp;
        sp->after_final = w.last_was_cp && w.last_final;
        sp->records += r.records;
        sp->checkpoints += r.checkpoints;
        sp->finals += r.finals;
    }
    free(w.starts.slot);
    json_doc_cleanup(&w.rec.doc);
    buf_cleanup(&w.rec.scratch);
    return rc;
}

int audit_verify_warn(const char *prog, const char *path, const char *key_path)
{
    struct stat st;
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 2; /* standard input, a pipe: read as it comes, not verified */
    struct seal_keyring kr = {0};
    if (key_path != NULL) {
        char err[512];
        if (seal_init() < 0 || seal_keyring_load(&kr, key_path, err, sizeof(err)) < 0) {
            fprintf(stderr, "sentinel %s: --key: %s\n", prog, err);
            return -1;
        }
    }
    static struct verify_result r; /* large (paths); one per process */
    int vs = audit_verify(path, key_path ? &kr : NULL, &r);
    seal_keyring_free(&kr);
    if (vs == VERIFY_INTACT)
        return 0;
    if (vs == VERIFY_DAMAGED)
        fprintf(stderr,
                "sentinel %s: warning: %s does not verify: %s at %s:%" PRIu64 " (seq %" PRIu64
                "): %s; what follows reads its records as they are written\n",
                prog, path, r.damage, r.file, r.line, r.seq, r.message);
    else
        fprintf(stderr,
                "sentinel %s: warning: %s could not be verified (%s); what follows reads its "
                "records as they are written\n",
                prog, path, r.message);
    return 1;
}

bool audit_tear_shaped(const char *p, size_t n)
{
    /* a writer's line begins so, and a tear leaves a prefix of one */
    static const char *const starts[] = {"{\"session\":\"", "{\"seq\":"};
    bool shaped = false;
    for (size_t i = 0; i < 2 && !shaped; i++) {
        size_t k = strlen(starts[i]);
        shaped = n > 0 && memcmp(p, starts[i], n < k ? n : k) == 0;
    }
    if (!shaped)
        return false;
    /* ... which ends before its value does: it never parses, and fails at its very end */
    struct json_doc doc;
    struct diag d = {0};
    json_doc_init(&doc, AUDIT_REC_MAX_DEPTH, 0);
    int rc = json_parse(&doc, p, n, 0, &d);
    bool cut = rc == SE_EPARSE && doc.err_off >= n;
    json_doc_cleanup(&doc);
    return cut;
}
