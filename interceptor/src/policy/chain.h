/*
 * chain.h - `sentinel chain`: the contamination chain of a source, read from an audit log.
 *
 * The operator names a source: one request id, every call to a tool, or every call to a
 * server. Reading the log (JSON Lines, written by `sentinel run --audit`) in order, a decision
 * depends on the source set when one of its "provenance" sources or "influenced_by" ids is in
 * it; a dependent that was forwarded joins the set (its result came back and may carry the
 * contamination further). The set is kept per session: it starts again at every "start"
 * record, since request ids repeat across sessions.
 * Library code: reads the log, never prints; the caller pulls what there is to report.
 */
#ifndef SENTINEL_POLICY_CHAIN_H
#define SENTINEL_POLICY_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

enum chain_by {
    CHAIN_BY_REQUEST = 1, /* calls with this JSON-RPC id */
    CHAIN_BY_TOOL,        /* every tools/call of this tool */
    CHAIN_BY_SERVER,      /* every call to this server identity */
};

/* Longest request id kept, as JSON text: run refuses longer ones. */
#define CHAIN_ID_MAX 1024
/* Source ids listed per dependent and kind of dependence; more are counted in "more". */
#define CHAIN_VIA_MAX 64

struct chain_opts {
    enum chain_by by;
    /*
     * Borrowed, NUL-terminated. CHAIN_BY_REQUEST: a JSON number or string (`7`, `"abc"`), or
     * else taken as the string id itself (`abc`); the others: the tool name or server id.
     */
    const char *what;
    bool json;       /* one JSON object per item instead of human text */
    size_t max_line; /* longest line accepted, without its newline; 0 = replay's default */
};

struct chain_stats {
    uint64_t lines;      /* lines read, blank ones included */
    uint64_t records;    /* lines holding a JSON object */
    uint64_t sessions;   /* "start" records, plus one when records come before the first */
    uint64_t sources;    /* decisions selected as sources */
    uint64_t results;    /* scan and taint records of calls in the set */
    uint64_t dependents; /* decisions that depend on the set */
    uint64_t forwarded;  /* dependents that were forwarded */
    uint64_t bad;        /* lines skipped: not JSON objects, too long, unreadable records */
};

/* One thing to report: an item for stdout, or a skipped line for stderr. */
struct chain_item {
    bool bad;         /* a skipped line: text says why (no newline, printable ASCII) */
    uint64_t line;    /* its line number, from 1 */
    const char *text; /* bad: the reason; else one or more whole lines, '\n'-terminated */
    size_t len;       /* text is valid until the next call */
};

struct chain;

/*
 * Open the log at `path` ("-": standard input). o->what is borrowed and must outlive c.
 * 0, -EINVAL when o->what is empty or (by request) longer than CHAIN_ID_MAX, -errno when the
 * log cannot be opened (-EISDIR for a directory), -ENOMEM.
 */
int chain_open(struct chain **out, const char *path, const struct chain_opts *o);
void chain_free(struct chain *c);

/*
 * Read on to the next thing to report: 1 and *it, 0 at the end of the log, -errno when
 * reading fails, SE_ELIMIT when one session holds more ids than the set may (16M). A line
 * that is too long, is not a JSON object, or is a record with a field of the wrong type is
 * reported (it->bad), counted and skipped.
 */
int chain_next(struct chain *c, struct chain_item *it);

/*
 * Read one line (without its newline) as line number `lineno`; `torn` says it is the log's
 * last line and had no newline. 1 with *it when there is something to report, 0 when not,
 * or a negative code as chain_next.
 */
int chain_line(struct chain *c, uint64_t lineno, const char *line, size_t len, bool torn,
               struct chain_item *it);

const struct chain_stats *chain_stats(const struct chain *c);

/* Append the summary: one line, human or a JSON object as the options say. 0 or -ENOBUFS. */
int chain_summary(const struct chain *c, struct buf *out);

/*
 * `sentinel chain AUDIT_LOG (--request ID | --tool NAME | --server ID) [--json] [--exit-code]
 * [--max-line BYTES]`; argv[0..argc) are the arguments after "chain". Prints the chain on
 * stdout, skipped lines and diagnostics on stderr. Returns the exit status: 0, 1 with
 * --exit-code when there are dependents, 64 usage, 66 the log cannot be opened, 70 out of
 * memory or too many ids, 74 reading the log or writing the report failed.
 */
int chain_cli(int argc, char **argv);

#endif
