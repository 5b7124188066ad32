/*
 * audit.h - the decision log: one hash-chained JSON line per decision and lifecycle event.
 *
 * Each record is {"seq":N,"time":"<RFC 3339, ns>","session":"<id>","event":"<event>",
 * <fields>,"prev":"<hex>","hash":"<hex>"}: hash is SHA-256 over the line's bytes before
 * `,"hash":"`, prev the hash of the record before (seal/chain.h). The chain continues
 * across runs appending to the same file and across rotated files (LOG.1, LOG.2, ...,
 * oldest first). Checkpoint records sign the chain head every N records (or 8 MiB), a second
 * after the last unsigned record, before a rotation and at close ("final":true); the latest
 * checkpoint is also written to LOG.head so that a deleted tail is detectable.
 *
 * Writes never block the loop: lines are appended to a bounded buffer and written, synced,
 * rotated and sealed by one job at a time on the thread pool. The first write error is
 * kept (audit_error) so the session can fail closed; the buffer limit makes a stuck disk
 * an error instead of unbounded memory.
 */
#ifndef SENTINEL_AUDIT_AUDIT_H
#define SENTINEL_AUDIT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "base/buf.h"

#define AUDIT_BUFFER_LIMIT (64u << 20)
#define AUDIT_CHECKPOINT_EVERY 1000u    /* records between checkpoints, by default */
#define AUDIT_CHECKPOINT_MAX 1000000u   /* ... and at most (`--audit-checkpoint`) */
#define AUDIT_CHECKPOINT_DELAY_MS 1000u /* ... or this long after the first unsigned one */
/* ... or once this much log follows the last one (large records) */
#define AUDIT_CHECKPOINT_BYTES (8u << 20)
#define AUDIT_BATCH_MS 1u               /* records wait at most this long for their job ... */
#define AUDIT_BATCH_BYTES (256u << 10)  /* ... or until this much has accumulated */
#define AUDIT_HIGH_WATER (16u << 20)    /* log bytes waiting: behind at this much ... */
#define AUDIT_LOW_WATER (4u << 20)      /* ... caught up again at this much */

struct audit;
struct seal_keyring;

/*
 * Open (create, append) `path` with mode 0600. `keys` (borrowed, must outlive a; NULL or
 * empty: checkpoints unsigned, "alg":"none"): keys[0] signs the checkpoints and every key
 * verifies those of the log being continued.
 *
 * An existing log is continued only as far as it verifies: it must hold the checkpoint
 * LOG.head names (signed with one of `keys`, if given; a signed log is refused without keys),
 * and every record after it is re-verified. A log without a head file, or whose head it does
 * not hold, is refused, and so is a file that is not a chained log. A torn last line (a crash)
 * is closed, and it and any records no checkpoint seals are declared by a "recovered" record.
 * A new log gets an empty LOG.head at once. 0 or -errno with text in err.
 */
int audit_open(struct audit **out, uv_loop_t *loop, const char *path,
               const struct seal_keyring *keys, char *err, size_t errlen);

/* Every record from now on carries "session":sid (copied). */
void audit_set_session(struct audit *a, const char *sid);
/* Rotate once the file reaches `bytes` (0 = never). */
void audit_set_rotate(struct audit *a, uint64_t bytes);
/* A checkpoint every n records (0 = only by time and at close). */
void audit_set_checkpoint(struct audit *a, uint64_t n);
uint64_t audit_checkpoint_every(const struct audit *a);

/*
 * Append one record. `fields` is a JSON object body without braces (may be empty).
 * Returns 0 or the sticky error.
 */
int audit_record(struct audit *a, const char *event, const char *fields, size_t len);

/*
 * A SHA-256 digest the record carries, computed off the loop thread: `fields` holds
 * AUDIT_DIGEST_HEX placeholder characters at offset `at`, which become the lowercase hex
 * digest of `data`. The bytes are copied (so `data` need not outlive the call), unless they
 * are large or the buffer is half full: then they are hashed at once, on the caller's thread.
 */
#define AUDIT_DIGEST_HEX 64
struct audit_digest {
    size_t at;
    const void *data;
    size_t len;
};
int audit_record_digests(struct audit *a, const char *event, const char *fields, size_t len,
                         const struct audit_digest *d, size_t nd);
/* (audit_record_digests and audit_record return -EMSGSIZE, the log unharmed, for one record
 * larger than half of AUDIT_BUFFER_LIMIT: its caller must not act on what it records.) */

/*
 * Backpressure: the log is behind once AUDIT_HIGH_WATER bytes of log wait for the disk (or
 * for hashing: counted as the lines the waiting records become, with any bytes still to be
 * hashed), and stays behind until the backlog is down to AUDIT_LOW_WATER; then `drained` is
 * called once (never after audit_close). The owner stops taking in work meanwhile, so a log
 * that cannot keep up slows the data path instead of filling AUDIT_BUFFER_LIMIT and failing
 * closed.
 */
bool audit_behind(const struct audit *a);
/* Twice AUDIT_HIGH_WATER waits: what the client does not send (a server's own messages that
 * are recorded) has filled the log past its bound; the owner stops reading the server too,
 * until `drained`. */
bool audit_far_behind(const struct audit *a);
/* Bytes written by every log of the process so far (any thread): a stalled writer (a FIFO
 * whose reader stopped) makes no progress. */
uint64_t audit_write_progress(void);
void audit_on_drained(struct audit *a, void (*drained)(void *arg), void *arg);

/*
 * Commit points, for callers that must not act before a record is on disk. Entries (records
 * and checkpoints) are counted as they are appended; audit_durable() is how many of them a
 * completed job has written (and, with AUDIT_SYNC_ALWAYS, fdatasynced). `durable` is called
 * after every job that advanced it, and once when the log fails (audit_error() then says
 * why). audit_commit_now() starts a job for what is pending without waiting for the batch
 * timer (a running job is followed by the next at once: group commit).
 */
uint64_t audit_appended(const struct audit *a);
uint64_t audit_durable(const struct audit *a);
/* Entries appended that no completed job has written: once the log failed, the records (and
 * checkpoints) it lost, at most (the failed job may have written some of its own). */
uint64_t audit_unwritten(const struct audit *a);
void audit_on_durable(struct audit *a, void (*durable)(void *arg), void *arg);
void audit_commit_now(struct audit *a);

/* Durability: NEVER leaves it to the kernel; INTERVAL fdatasyncs after a write at most once a
 * second; ALWAYS fdatasyncs after every write, and records appended meanwhile share the next
 * one (group commit). Syncs run on the thread pool; a failed sync is a write error. */
enum { AUDIT_SYNC_NEVER = 0, AUDIT_SYNC_INTERVAL, AUDIT_SYNC_ALWAYS };
void audit_set_fsync(struct audit *a, int mode);
uint64_t audit_syncs(const struct audit *a);
uint64_t audit_records(const struct audit *a);

/* 0 while every write so far succeeded, else the first -errno. */
int audit_error(const struct audit *a);
const char *audit_path(const struct audit *a);

/* Seal with a final checkpoint, flush and close; frees `a` once the last job completes
 * (the caller runs the loop until then). */
void audit_close(struct audit *a);

/* Write "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ" (31 bytes incl. NUL) for the realtime clock. */
void audit_timestamp(char out[32]);
/* (years past 9999 are not supported) */

/*
 * One chained line, checked for shape: it ends in `,"hash":"<64 hex>"}`, parses as a JSON
 * object with an integer "seq" >= 1, a 64-hex "prev" and "event"; `hash` is recomputed
 * (audit_line_check) by the caller. 0 or -1 with why in err.
 */
struct audit_line {
    uint64_t seq;
    char prev[65];
    char hash[65];       /* as written */
    size_t prefix_len;   /* bytes the hash covers */
};
int audit_line_parse(const char *line, size_t len, struct audit_line *out, char *err,
                     size_t errlen);

#endif
