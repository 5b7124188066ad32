/*
 * report.h - `sentinel report`: compliance evidence an auditor reads instead of the raw log.
 *
 * The log (LOG and its rotated predecessors LOG.1, LOG.2, ..., oldest first) is verified with
 * audit_verify and then read once more, a bounded line at a time, into counters and tables
 * whose size depends on the number of distinct tools, rules, agents and sessions (each capped,
 * the rest folded into an "others" row), never on the length of the log. The result is written
 * as Markdown or as one self-contained HTML file (inline CSS and SVG, no script). Everything
 * that comes from the log is hostile and is escaped for the output format; a damaged log still
 * gets a report, under a banner naming the first damage. Library code: never prints, except
 * report_cli, the command line around it.
 */
#ifndef SENTINEL_AUDIT_REPORT_H
#define SENTINEL_AUDIT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct verify_result;
struct report;

enum report_format { REPORT_MD = 1, REPORT_HTML = 2 };

#define REPORT_MAX_KEYS 10000u /* distinct keys per table by default; more go to "others" */

struct report_opts {
    int format;                /* enum report_format */
    bool has_since, has_until; /* the window: since <= time < until (UTC, ns since 1970) */
    int64_t since_ns, until_ns;
    size_t max_line;        /* longest line read, without its newline; 0 = 65M */
    size_t max_keys;        /* per table; 0 = REPORT_MAX_KEYS */
    const char *title_path; /* the log's name as shown in the report (borrowed) */
};

/* 0, or -ENOMEM. */
int report_new(struct report **out, const struct report_opts *o);
void report_free(struct report *r);

/*
 * Read one file of the log from fd (borrowed, read to its end); `name` (borrowed until the
 * report is freed) labels the lines it reports. Lines longer than max_line are counted and
 * skipped in constant memory. 0, -errno when reading fails, -ENOMEM.
 */
int report_read_fd(struct report *r, int fd, const char *name);

/*
 * One line of the log (without its newline); `torn`: the file's last line, which had none.
 * Unreadable lines are counted and a few kept as examples; never fails on content.
 * 0 or -ENOMEM.
 */
int report_line(struct report *r, const char *line, size_t len, bool torn);

/*
 * The integrity attestation: the verifier's result (copied), whether a key checked the
 * signatures, and the key file's name (borrowed; NULL without --key). Without a call the
 * report says the log was not verified.
 */
void report_set_integrity(struct report *r, const struct verify_result *v, const char *keyfile);

/* True when the attestation is "intact" (verified, no damage). */
bool report_intact(const struct report *r);

/*
 * Count only what the verifier accepted (call after report_set_integrity, before reading):
 * records up to its first damage, and no more than it verified. An intact log needs no limit,
 * since records are counted only when shaped as the verifier requires and a torn last line
 * never counts; a damaged one is read again with it.
 */
void report_limit(struct report *r);

/* With an intact log: NULL when it also passes `verify --strict`, else why not (in why). */
const char *report_strict(const struct report *r, char *why, size_t cap);

/* Write the report. 0, or -EIO when the stream failed. */
int report_write(struct report *r, FILE *f);

/*
 * RFC 3339 time ("2026-11-22T03:01:02.123456789Z", an offset instead of Z, or for the
 * command line also a bare date "2026-11-22" and a time without zone, read as UTC) to
 * nanoseconds since 1970. Years 1678..2261 (what fits). 0 or -EINVAL.
 */
int report_parse_time(const char *s, size_t n, bool cli, int64_t *ns);

/*
 * `sentinel report LOG [--format md|html] [--key FILE] [--out FILE] [--since T] [--until T]
 * [--max-line BYTES]`. Returns the exit status: 0 report written and the log verified intact,
 * 1 written but the log is damaged or could not be verified, 64 usage, 66 the log (or the
 * key file) cannot be read, 70 out of memory, 73 the output cannot be created, 74 I/O error.
 */
int report_cli(int argc, char **argv);

#endif
