/*
 * verify.h - checking an audit log's hash chain and checkpoint signatures.
 *
 * A log is the active file LOG plus its rotated predecessors LOG.1, LOG.2, ... (oldest
 * first); the chain runs across them. audit_verify reads them in order and stops at the
 * first damage, naming the file, line, sequence number and kind.
 */
#ifndef SENTINEL_AUDIT_VERIFY_H
#define SENTINEL_AUDIT_VERIFY_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct seal_keyring;
struct stat;

/* Deepest nesting a record may have: `run --max-depth` allows 10000 in recorded arguments, and
 * everything that reads a log (verify, the next run, report) parses records to this depth. */
#define AUDIT_REC_MAX_DEPTH 10001u

enum verify_status {
    VERIFY_INTACT = 0,  /* every record chains and every signature checks */
    VERIFY_DAMAGED = 1, /* the first bad record is named */
    VERIFY_UNREADABLE = 2,
};

/* kinds of damage, in verify_result.damage */
#define VERIFY_EDITED "edited"             /* a record's hash does not match its content */
#define VERIFY_REORDERED "reordered"       /* sequence goes backwards or repeats */
#define VERIFY_DELETED "deleted"           /* records missing (sequence gap / broken link) */
#define VERIFY_TRUNCATED "truncated"       /* the log ends before its signed head */
#define VERIFY_SPLICED "spliced"           /* records from another chain inserted */
#define VERIFY_MALFORMED "malformed"       /* a line that is not a chained record */
#define VERIFY_BAD_SIGNATURE "bad_signature" /* a checkpoint signature does not verify */
#define VERIFY_UNSEALED "unsealed" /* --strict: records their own run never sealed (a crash) */

struct verify_result {
    int status;                /* enum verify_status */
    const char *damage;        /* one of VERIFY_* when DAMAGED, else NULL */
    char file[PATH_MAX];       /* where the first damage is */
    uint64_t line;             /* 1-based line in that file */
    uint64_t seq;              /* its sequence number when readable, else 0 */
    char message[512];         /* one sentence for a human */
    uint64_t records;          /* records that verified */
    uint64_t first_seq, last_seq;
    uint64_t checkpoints;      /* checkpoint records seen */
    uint64_t signed_checkpoints; /* ... whose signature was checked with a given key */
    uint64_t v1_checkpoints;     /* ... of those, signed in the v1 form (final, reason unsigned) */
    uint64_t v2_checkpoints;     /* ... signed in the v2 form (their own time unsigned) */
    bool sealed_v1;              /* sealed by a v1-signed final checkpoint (--strict refuses) */
    uint64_t finals;             /* final checkpoints (clean closes) */
    int head_file;               /* VERIFY_HEAD_*: LOG.head as found */
    uint64_t sessions;         /* distinct sessions (runs) in the log */
    size_t nfiles;
    bool sealed;               /* the last record is a final checkpoint (clean close) */
    bool torn_tail;            /* the last line was incomplete (a crash); it is ignored */
    uint64_t unsealed;         /* records after the last checkpoint */
    uint64_t declared_unsealed; /* records a crashed run never sealed, declared by the next */
    uint64_t unclean_ends;     /* runs followed by another without their final checkpoint: a
                                * crash, or a tail deleted up to a checkpoint */
    uint64_t unclean_seq;      /* ... the last record of the first such run */
    uint64_t time_backwards;   /* records whose time is before their predecessor's (a clock
                                * stepped back, or times edited before the chain was made) */
    uint64_t time_backwards_seq; /* ... the first of them */
    char head_hash[65];        /* hash of the last verified record */
    /* which files were read, to bind a second reader (report) to the same bytes: device,
     * inode, size and change time of each (audit_file_id), and whether one changed meanwhile */
    uint64_t files_id;
    bool changed;
};

/* Fold one file read whole (its fstat after the read) into a files_id. */
uint64_t audit_file_id(uint64_t acc, const struct stat *st);

/* Verify LOG (and its rotated files). `keys` may be NULL: then signatures are not checked
 * (result.signed_checkpoints stays 0). Returns result->status. */
int audit_verify(const char *path, const struct seal_keyring *keys, struct verify_result *r);

/*
 * What `--strict` adds to an intact log: it ends with its final checkpoint (no torn line
 * after it), and no record in it was left unsealed by a run that crashed. NULL when the log
 * passes (or is not intact: the damage says more), else why not, written into `why`.
 */
const char *audit_verify_strict(const struct verify_result *r, char *why, size_t cap);

/*
 * The records a writer is about to continue: complete lines (each ending in '\n') that must
 * chain on from sp->seq / sp->hash (seq 0: from the start of a chain), every hash recomputed
 * and every checkpoint's signature checked with `keys` (NULL: a signed checkpoint is refused,
 * since the continued log would no longer verify with its key). A torn line must be declared,
 * as verify requires. On success sp holds the last record and the count of records after the
 * last checkpoint; 0, or -1 with why in err.
 */
enum { VERIFY_HEAD_PRESENT = 0, VERIFY_HEAD_EMPTY, VERIFY_HEAD_MISSING };

struct audit_span {
    uint64_t seq;
    char hash[65];
    uint64_t unsealed;    /* in and out: records after the last checkpoint */
    bool after_rotate;    /* in and out: the last record is a "rotate" checkpoint */
    bool after_final;     /* in and out: the last record is a final checkpoint (clean close) */
    uint64_t records;     /* out: added to */
    uint64_t checkpoints; /* out: added to */
    uint64_t finals;      /* out: added to: final checkpoints (clean closes) */
};
/*
 * For the commands that read a log as evidence (chain, replay): verify `path` (a regular
 * file; with the key at `key_path` when not NULL) and, when it does not verify, say so on
 * stderr as "sentinel PROG: warning: ...". 0 intact, 1 damaged or unverifiable (warned),
 * 2 not a regular file (standard input, a pipe: not verified), -1 the key cannot be used
 * (said on stderr).
 */
int audit_verify_warn(const char *prog, const char *path, const char *key_path);

/*
 * Whether a line without its newline can be a write torn by a crash: a prefix of a line the
 * writer makes ({"session":"... or {"seq":...) that ends before its JSON value does. A
 * complete JSON object (a record without its hash, one forged whole) never is.
 */
bool audit_tear_shaped(const char *p, size_t n);

int audit_verify_span(const char *buf, size_t len, const struct seal_keyring *keys,
                      struct audit_span *sp, char *err, size_t errlen);

#endif
