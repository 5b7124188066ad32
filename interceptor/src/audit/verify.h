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
    uint64_t sessions;         /* distinct sessions (runs) in the log */
    size_t nfiles;
    bool sealed;               /* the last record is a final checkpoint (clean close) */
    bool torn_tail;            /* the last line was incomplete (a crash); it is ignored */
    uint64_t unsealed;         /* records after the last checkpoint */
    char head_hash[65];        /* hash of the last verified record */
};

/* Verify LOG (and its rotated files). `keys` may be NULL: then signatures are not checked
 * (result.signed_checkpoints stays 0). Returns result->status. */
int audit_verify(const char *path, const struct seal_keyring *keys, struct verify_result *r);

#endif
