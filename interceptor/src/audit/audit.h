/*
 * audit.h - the decision log: one JSON line per decision and lifecycle event.
 *
 * Writes never block the loop: lines are appended to a bounded buffer and written by
 * uv_fs_write on the thread pool, one write in flight at a time. The first write error
 * is kept (audit_error) so the session can fail closed; the buffer limit makes a stuck
 * disk an error instead of unbounded memory. Hash chaining comes with a later issue.
 */
#ifndef SENTINEL_AUDIT_AUDIT_H
#define SENTINEL_AUDIT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "base/buf.h"

#define AUDIT_BUFFER_LIMIT (64u << 20)

struct audit;

/* Open (create, append) `path` with mode 0600. 0 or -errno with text in err. */
int audit_open(struct audit **out, uv_loop_t *loop, const char *path, char *err, size_t errlen);

/*
 * Append one record: {"seq":N,"time":"<RFC 3339, ns>","event":"<event>",<fields>}.
 * `fields` is a JSON object body without braces (may be empty). Returns 0 or the
 * sticky error.
 */
int audit_record(struct audit *a, const char *event, const char *fields, size_t len);

/* Durability: NEVER leaves it to the kernel; INTERVAL fdatasyncs after a write at most once a
 * second; ALWAYS fdatasyncs after every write, and records appended meanwhile share the next
 * one (group commit). Syncs run on the thread pool; a failed sync is a write error. */
enum { AUDIT_SYNC_NEVER = 0, AUDIT_SYNC_INTERVAL, AUDIT_SYNC_ALWAYS };
void audit_set_fsync(struct audit *a, int mode);
uint64_t audit_syncs(const struct audit *a);

/* 0 while every write so far succeeded, else the first -errno. */
int audit_error(const struct audit *a);
const char *audit_path(const struct audit *a);

/* Flush what is buffered and close; frees `a` once the last write completes. */
void audit_close(struct audit *a);

/* Write "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ" (31 bytes incl. NUL) for the realtime clock. */
void audit_timestamp(char out[32]);
/* (years past 9999 are not supported) */

#endif
