/*
 * report_int.h - what `sentinel report` gathers from a log: shared by the reader (report.c)
 * and the renderers (report_md.c, report_html.c), nobody else. Every string kept from the log
 * is a bounded raw copy (struct fields named *_s below); renderers escape it, the reader never
 * does. Memory: each table holds at most max_keys entries plus one "others" row.
 */
#ifndef SENTINEL_AUDIT_REPORT_INT_H
#define SENTINEL_AUDIT_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "audit/report.h"
#include "audit/verify.h"
#include "base/buf.h"
#include "mcp/frame.h"
#include "mcp/json.h"

#define RPT_EX 3         /* examples (seq, id) kept per row */
#define RPT_BUCKETS 2048 /* timeline resolution gathered; drawn coarser */
#define RPT_BAD_EX 10    /* unreadable lines kept as examples */
#define RPT_POLICIES_MAX 10000
#define RPT_INVAL_MAX 1000
#define RPT_NOTIME INT64_MIN /* a time that is not known */
#define RPT_DCACHE 65536     /* decisions remembered for their results */

/* A bounded copy of a string from the log: raw bytes, cut at a UTF-8 boundary when longer. */
#define RSTR(N)                                                                                    \
    struct {                                                                                       \
        uint16_t n;                                                                                \
        bool cut;                                                                                  \
        char s[N];                                                                                 \
    }
#define RS_SET(x, p, len) rs_set((x).s, sizeof((x).s), &(x).n, &(x).cut, (p), (len))
void rs_set(char *dst, size_t cap, uint16_t *n, bool *cut, const char *p, size_t len);

/* ---- building blocks ----------------------------------------------------------------- */

/* Examples of a row: the first RPT_EX records' seq numbers and ids (decision or request). */
struct rex {
    uint64_t seq[RPT_EX];
    RSTR(64) id[RPT_EX];
    unsigned n;
};

/* A latency distribution in nanoseconds: log-linear bins (8 per octave, up to 2^51 ns, about
 * 26 days), made on first use. */
#define HIST_BINS (8 + 49 * 8)
struct rhist {
    uint32_t *bin;
    uint64_t n, min, max;
};
void hist_add(struct rhist *h, uint64_t v);
/* The q-quantile (0 < q <= 1) to within one bin (about 6%), clamped to [min, max]. */
uint64_t hist_quantile(const struct rhist *h, double q);
void hist_cleanup(struct rhist *h);

/*
 * A table of string keys to fixed-size rows. The first max_keys distinct keys get their own
 * row; later ones share the "others" row. Keys are cut at RTAB_KEY_MAX bytes. Rows are kept in
 * insertion order (rtab_row(t, i), i < t->n) and move when the table grows: do not hold a row
 * pointer across another rtab_get on the same table.
 */
#define RTAB_KEY_MAX 512
struct rtab {
    size_t esize, n, cap, max;
    char **key; /* n owned copies */
    uint32_t *klen;
    unsigned char *rows; /* n * esize */
    uint32_t *slot;      /* index + 1, 0 = empty */
    size_t nslot;
    uint64_t seed;
    unsigned char *other; /* the "others" row */
    uint64_t other_hits;  /* lookups that landed there */
};
void rtab_init(struct rtab *t, size_t esize, size_t max);
void rtab_cleanup(struct rtab *t, void (*row_cleanup)(void *row));
/* The row for key (created zeroed; *created says so), the others row when full, NULL on ENOMEM. */
void *rtab_get(struct rtab *t, const char *k, size_t n, bool *created);
/* The row of key, or NULL when it has none of its own. */
void *rtab_find(const struct rtab *t, const char *k, size_t n);
static inline void *rtab_row(const struct rtab *t, size_t i)
{
    return t->rows + i * t->esize;
}

/* ---- rows ------------------------------------------------------------------------------ */

/* Activity of an agent or a tool. Decisions recorded in observe mode count as observed only. */
struct ract {
    uint64_t calls, allow, deny, approve, redact, observed, would_block;
    uint64_t results, ok, tool_error, error, other_outcome;
    struct rhist decide, latency;
    int64_t first, last;
    struct rex deny_ex;
};

/* A rule with one effect (the table key is the effect's letter and the rule id). */
struct rrule {
    char effect[8];
    uint64_t count, enforced, observed;
    int64_t first, last;
    RSTR(240) reason;
    bool reasons_vary;
    struct rex ex;
    uint64_t answers, yes, no, timeout, unavailable, cancelled, other_answer;
};

/* A count with its examples and time range (labels, scan kinds, pin states, ...). */
struct rcount {
    uint64_t n, n2; /* n2: a second count where the table has one (labels: removed) */
    uint64_t n3;    /* labels: decisions carrying it */
    int64_t first, last;
    struct rex ex;
    unsigned score; /* poisoned definitions: worst score */
    RSTR(120) detail;
};

struct rsess {
    uint64_t order; /* first seen */
    RSTR(48) run_id;
    RSTR(130) agent;
    RSTR(240) identity;
    RSTR(240) upstream;
    RSTR(130) server;
    RSTR(16) mode;
    RSTR(16) fsync;
    bool has_pid, has_start, has_stop, has_exit, has_up_exit, up_by_sentinel, sealed;
    bool in_window, sandbox_unenforced;
    int64_t pid, exit_status, up_status, up_signal;
    int64_t start, stop, first, last;
    uint64_t start_seq, stop_seq, stop_decisions;
    uint64_t records, decisions, denials, held;
    size_t pol; /* policy epoch in force + 1; 0 = none known */
};

/* One policy in force: from a start or a reload until the next one (or the session's end). */
struct rpol {
    size_t sess; /* index into the sessions table; SIZE_MAX = others */
    int64_t from, to;
    uint64_t seq;
    bool reload, ok, has_rules;
    uint64_t rules;
    RSTR(300) path;
    RSTR(130) name;
    RSTR(80) hash;
    RSTR(300) error;
};

struct rinval {
    int64_t time;
    uint64_t seq, sources;
    bool has_sources;
    char kind[16];
    RSTR(200) value;
};

struct rbad {
    const char *file; /* borrowed name */
    uint64_t line;
    char why[200];
};

/* Timeline series */
enum { TS_ALLOW, TS_REDACT, TS_APPROVE, TS_DENY, TS_OBSERVE, TS_TAINT, TS_SCAN, TS_GUARD, TS_N };

struct rtimeline {
    int64_t origin, width; /* ns; width 0 = empty */
    uint32_t (*count)[TS_N];
};

/* One of sentinel's controls and what this log shows of it (report_controls). */
enum { CTL_ACTIVE = 1, CTL_SILENT, CTL_ABSENT, CTL_NOT_ENFORCED };
struct rctl {
    const char *name;
    const char *what;  /* what the control does, one line */
    const char *nist;  /* NIST AI RMF subcategories */
    const char *owasp; /* OWASP Agentic Top 10 (2026) ids */
    int status;
    char evidence[400]; /* built from counts and seq numbers only */
};
#define RPT_CONTROLS 24

/* ---- the report -------------------------------------------------------------------------- */

struct report {
    struct report_opts o;
    /* reading */
    struct framer in;
    struct json_doc rec, sub;
    struct buf tmp, tmp2;
    const char *file;
    uint64_t lineno;
    struct buf cur_sess; /* session of records that carry none: the last start's */
    bool cur_known;
    size_t last_sess; /* cache: index + 1 of the session row of the last record */
    struct buf last_sess_key;
    /* what the files were */
    size_t nfiles;
    uint64_t lines, blank, records, records_in, bad, torn, toolong, outside, notime;
    bool limited, stopped; /* report_limit: counting stopped where the verifier's did */
    uint64_t unverified;   /* ... lines from there on, not counted */
    bool strict;           /* --strict: the log must also be sealed (audit_verify_strict) */
    struct rbad bad_ex[RPT_BAD_EX];
    size_t nbad_ex;
    /* integrity */
    bool verified;
    struct verify_result v;
    const char *keyfile;
    /* totals (in the window) */
    int64_t tmin, tmax;
    uint64_t seq_min, seq_max;
    bool seq_known;
    uint64_t decisions, allow, deny, approve, redact, observed, would_block, forwarded;
    uint64_t enforce_decisions;
    struct rex deny_ex, observe_ex, decision_ex;
    struct rhist decide_all, latency_all;
    uint64_t results, res_ok, res_tool_error, res_error, res_other;
    struct rex result_ex;
    uint64_t with_agent, with_roles, with_server, with_args_digest, with_arguments;
    struct rex agent_ex;
    uint64_t starts, starts_enforce, starts_observe, starts_identity, starts_hash, stops;
    struct rex identity_ex, start_ex;
    uint64_t refused; /* runs refused at start (their agent identity refused) */
    uint64_t starts_token; /* ... of starts_identity: verified by an agent token */
    struct rex refused_ex;
    uint64_t reloads, reloads_ok, reloads_failed;
    struct rex reload_ex;
    uint64_t checkpoints, ck_final, ck_hmac, ck_ed25519, ck_none, ck_other;
    struct rex ck_ex;
    uint64_t rotations, recoveries;
    struct rex recover_ex;
    uint64_t approvals, ans_yes, ans_no, ans_timeout, ans_unavailable, ans_cancelled, ans_other;
    struct rex approval_ex;
    uint64_t taint_events, labels_added, labels_removed;
    struct rex taint_ex;
    uint64_t scans, scan_raw_fallback, tracked_added;
    unsigned scan_max[3];    /* secret, pii, injection */
    uint64_t scan_family[3]; /* scan records with a score > 0 in the family */
    struct rex scan_ex;
    uint64_t spotlights, forged_markers;
    struct rex spot_ex;
    uint64_t invalidations, inval_sources;
    uint64_t marks;      /* values the operator marked at run time ("track" records) */
    struct rex mark_ex;
    struct rinval *inval;
    size_t ninval, inval_cap;
    uint64_t dec_provenance, dec_influenced, dec_invalidated, dec_labelled;
    struct rex prov_ex, infl_ex, invd_ex;
    uint64_t pin_warnings, pin_blocks, pin_lists, pins_new, pins_changed, pins_refused,
        pins_removed, pins_lookalike, pins_shadows, pins_imitates, pins_duplicates;
    struct rex pinw_ex, pinb_ex, pinl_ex;
    uint64_t schema_warnings, schema_blocks, schema_errors, schema_unsupported;
    struct rex schemaw_ex, schemab_ex;
    uint64_t poison_defs, poison_blocking;
    struct rex poison_ex;
    uint64_t trifecta_blocks, budget_denials, rate_denials, fail_closed, guard_denials;
    struct rex trifecta_ex, limit_ex, failc_ex;
    uint64_t list_filters, hidden;
    struct rex filter_ex;
    uint64_t pins_write_failed;
    /* tables */
    struct rtab sessions, agents, tools, rules, labels, scan_kinds, scan_tools, pin_items, poison,
        schema_tools, events;
    struct rpol *pol;
    size_t npol, pol_cap;
    uint64_t pol_dropped;
    struct rtimeline tl;
    /* decision id -> tool row, for result records that do not name their tool: a fixed-size
     * cache (a result follows its decision closely; an evicted one counts as unattributed) */
    struct dcache {
        char id[48];
        uint8_t len;
        uint32_t tool; /* row + 1; 0 = none, UINT32_MAX = the others row */
    } * dcache;
    uint64_t results_unattributed;
    struct rctl ctl[RPT_CONTROLS];
    size_t nctl;
};

/* Fill r->ctl from the counts (both renderers show the same mapping). */
void report_controls(struct report *r);

/* "2026-11-22 03:01:02" (UTC; with .nnnnnnnnn when ns) into out[40]; "-" when unknown. */
void report_fmt_time(int64_t t, bool ns, char out[40]);
/* "12.3 ms" style for nanoseconds into out[32]. */
void report_fmt_dur(uint64_t ns, char out[32]);
/* "1,234,567" into out[32]. */
void report_fmt_n(uint64_t n, char out[32]);

/* Display buckets for the timeline: at most `max` buckets of a round width covering
 * [tmin, tmax]; *n buckets starting at *start, each *width ns; counts summed into out (n * TS_N,
 * zeroed by the caller). False when there is nothing to draw. */
bool report_timeline(const struct report *r, size_t max, int64_t *start, int64_t *width, size_t *n,
                     uint64_t (*out)[TS_N]);

/* Rows of table t sorted by a key the caller gives (descending), at most `max` of them;
 * *idx is malloc'd (free it). Returns the count, or 0 (also on ENOMEM). */
size_t report_top(const struct rtab *t, uint64_t (*key)(const void *row), size_t max, size_t **idx);

/* ---- writing ------------------------------------------------------------------------- */

/*
 * The writer the sections are written with (report_write.c), so that Markdown and HTML carry
 * the same content. Text goes through the format's escaper, always; only the writer's own
 * markup is written raw.
 */
struct rw {
    FILE *f;
    bool html;
};
/* Escape s[0..n) (any bytes: invalid UTF-8, controls, bidi overrides) for the format. */
void md_text(FILE *f, const char *s, size_t n);
void html_text(FILE *f, const char *s, size_t n);
/* One UTF-8 sequence at s: its length and code point, or 0 when it is not valid UTF-8. */
size_t report_utf8(const char *s, size_t n, uint32_t *cp);
/* Control, bidirectional and invisible code points, shown as escapes. */
bool report_hidden(uint32_t cp);
/* Write the non-ASCII sequence at s (n > 0): as is, or \xNN when it is not valid UTF-8, or
 * \u{XXXX} when it is hidden; returns the bytes it took. */
size_t report_put_utf8(FILE *f, const char *s, size_t n);

/* HTML pieces (report_html.c): the document's head with its style, and the charts. */
void html_begin(FILE *f, const char *title);
void html_end(FILE *f);
void html_chart_timeline(const struct report *r, FILE *f);
void html_chart_tools(const struct report *r, FILE *f);
void html_chart_rules(const struct report *r, FILE *f);
void html_chart_answers(const struct report *r, FILE *f);
/* Markdown pieces (report_md.c): the timeline as a text chart. */
void md_timeline(const struct report *r, FILE *f);

/* Write the whole report in the writer's format. 0 or -EIO. */
int report_write_doc(struct report *r, FILE *f, bool html);

/* Sort helpers for the renderers */
uint64_t ract_calls(const void *row);
uint64_t rrule_count(const void *row);

#endif
