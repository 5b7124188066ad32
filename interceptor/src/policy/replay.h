/*
 * replay.h - `sentinel replay`: decide the requests of an audit log again with a candidate
 * policy and report what would change.
 *
 * Each decision record of the log (JSON Lines, written by `sentinel run --audit`) becomes a
 * struct policy_request and is decided by policy_eval, the evaluator `run` enforces with; the
 * new decision is compared with the recorded one. Rules are replayed, budgets and rate limits
 * are not (they depend on the session's history). A record whose arguments were not recorded
 * is reported as needing them when the candidate's decision could depend on them.
 * Library code: reads the log, never prints; the caller pulls what there is to report.
 */
#ifndef SENTINEL_POLICY_REPLAY_H
#define SENTINEL_POLICY_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "policy/policy.h"

/* How a record fares under the candidate policy. */
enum replay_kind {
    REPLAY_UNCHANGED = 0,      /* same effect, same rule */
    REPLAY_NEWLY_DENIED,       /* now deny; was anything else */
    REPLAY_NEWLY_ALLOWED,      /* was deny; now allow or redact */
    REPLAY_NEWLY_APPROVAL,     /* now approve; was anything else */
    REPLAY_NO_LONGER_APPROVAL, /* was approve; now allow or redact */
    REPLAY_NEWLY_REDACTED,     /* was allow; now redact */
    REPLAY_NO_LONGER_REDACTED, /* was redact; now allow */
    REPLAY_RULE_CHANGED,       /* same effect, decided by another rule */
    REPLAY_NEEDS_ARGUMENTS,    /* undecidable: no arguments logged, the candidate reads them */
    REPLAY_LIMITED,            /* undecidable: a budget or rate denied it, the candidate's
                                  deciding rule has one too */
    REPLAY_NKINDS
};

/* "unchanged", "newly_denied", ... as printed in the "change" member. */
const char *replay_kind_name(enum replay_kind k);
/* True for the kinds that are changes (neither unchanged nor undecidable). */
bool replay_kind_is_change(enum replay_kind k);

/* Longest line read by default: run's 64M message plus the record's own fields. */
#define REPLAY_DEFAULT_MAX_LINE ((size_t)65 << 20)
/* Deepest nesting accepted in a record: `run --max-depth` allows 10000 in the arguments. */
#define REPLAY_MAX_DEPTH 10001u

/*
 * The threat scores of a request's arguments (doc fully indexed, its root the arguments
 * object; NULL: the request had none) into *out, for `threat_score` conditions: the caller
 * scans them with the scanner `run` uses (policy/ does not link it). 0, or negative when they
 * cannot be scored: the record is then decided as run decides it (deny, rule "guard").
 */
typedef int (*replay_facts_cb)(void *ctx, struct json_doc *args, struct cond_facts *out);

struct replay_opts {
    bool all;              /* report unchanged records too */
    size_t max_line;       /* longest line accepted, without its newline; 0 = the default */
    replay_facts_cb facts; /* required when the policy reads threat scores (needs_facts) */
    void *facts_ctx;
};

struct replay_stats {
    uint64_t lines;     /* lines read, blank ones included */
    uint64_t records;   /* lines holding a JSON object */
    uint64_t decisions; /* decision records that could be read */
    uint64_t replayed;  /* decisions decided again: unchanged or changed */
    uint64_t bad;       /* lines skipped: not JSON objects, too long, unreadable decisions */
    uint64_t kinds[REPLAY_NKINDS];
};

/* One thing to report: a record (JSON line) for stdout, or a skipped line for stderr. */
struct replay_item {
    bool bad;         /* a skipped line: text says why (no newline) */
    uint64_t line;    /* its line number, from 1 */
    const char *text; /* bad: the reason; else one JSON object and its '\n' */
    size_t len;       /* text is valid until the next call */
};

struct replay;

/*
 * Open the log at `path` ("-": standard input) for replay against p (borrowed: it must
 * outlive r). 0, -errno when the log cannot be opened (-EISDIR for a directory), -ENOMEM,
 * -EINVAL when p reads threat scores and o->facts is NULL.
 */
int replay_open(struct replay **out, const struct policy *p, const char *path,
                const struct replay_opts *o);
void replay_free(struct replay *r);

/*
 * Read on to the next thing to report: 1 and *it, 0 at the end of the log, -errno when
 * reading fails. Lines are read one at a time and at most max_line bytes of one are held;
 * a longer line, a line that is not a JSON object, or a decision record without the fields
 * a decision needs is reported (it->bad), counted, and skipped. Records of other events are
 * skipped silently; unchanged decisions are reported only with opts.all.
 */
int replay_next(struct replay *r, struct replay_item *it);

/*
 * Replay one line (without its newline) as line number `lineno`; `torn` says it is the
 * log's last line and had no newline. 1 with *it when there is something to report, else 0.
 */
int replay_line(struct replay *r, uint64_t lineno, const char *line, size_t len, bool torn,
                struct replay_item *it);

const struct replay_stats *replay_stats(const struct replay *r);
/* Number of changed records (every kind replay_kind_is_change accepts). */
uint64_t replay_changes(const struct replay *r);
/*
 * Append the human summary: a line of totals, then one "  <kind> <count>" line per kind
 * and "  bad_lines <count>". 0 or -ENOBUFS/-ENOMEM.
 */
int replay_summary(const struct replay *r, struct buf *out);

#endif
