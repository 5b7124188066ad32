/*
 * report_write.c - the sections of `sentinel report`, written once for both formats through a
 * small writer (headings, paragraphs, tables, cells) whose Markdown and HTML forms differ only
 * in markup. Every piece of text, ours or the log's, goes through the format's escaper; only
 * the writer's markup is raw, so no string from the log can open a tag, a link or a table cell.
 */
#include "audit/report_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SHOW_SESSIONS 200
#define SHOW_ACTIVITY 100
#define SHOW_RULES 200
#define SHOW_ROWS 100

/* ---- the writer ---------------------------------------------------------------------------- */

static void raw(struct rw *w, const char *s)
{
    fputs(s, w->f);
}

/* Text (ours or the log's), escaped for the format. */
static void txt(struct rw *w, const char *s, size_t n)
{
    if (w->html)
        html_text(w->f, s, n);
    else
        md_text(w->f, s, n);
}

static void t(struct rw *w, const char *s)
{
    txt(w, s, strlen(s));
}

static void tf(struct rw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tf(struct rw *w, const char *fmt, ...)
{
    char b[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b, sizeof(b), fmt, ap);
    va_end(ap);
    if (n > 0)
        txt(w, b, (size_t)n < sizeof(b) ? (size_t)n : sizeof(b) - 1);
}

/* A bounded string from the log, with an ellipsis when it was cut. */
#define LOGS(w, x)                                                                                 \
    do {                                                                                           \
        txt((w), (x).s, (x).n);                                                                    \
        if ((x).cut)                                                                               \
            t((w), "…");                                                                           \
    } while (0)

static void num(struct rw *w, uint64_t n)
{
    char b[32];
    report_fmt_n(n, b);
    t(w, b);
}

static void heading(struct rw *w, int level, const char *id, const char *text)
{
    if (w->html) {
        fprintf(w->f, "<h%d id=\"%s\">", level, id);
        t(w, text);
        fprintf(w->f, "</h%d>\n", level);
    } else {
        fprintf(w->f, "\n%.*s ", level, "######");
        t(w, text);
        raw(w, "\n\n");
    }
}

static void p_begin(struct rw *w)
{
    raw(w, w->html ? "<p>" : "");
}

static void p_end(struct rw *w)
{
    raw(w, w->html ? "</p>\n" : "\n\n");
}

static void para(struct rw *w, const char *text)
{
    p_begin(w);
    t(w, text);
    p_end(w);
}

static void b_begin(struct rw *w)
{
    raw(w, w->html ? "<strong>" : "**");
}

static void b_end(struct rw *w)
{
    raw(w, w->html ? "</strong>" : "**");
}

static void code_begin(struct rw *w)
{
    /* Markdown code spans take no escapes, so log text never goes in one: plain text there */
    if (w->html)
        raw(w, "<code>");
}

static void code_end(struct rw *w)
{
    if (w->html)
        raw(w, "</code>");
}

/* align: one letter per column, 'l' or 'r' */
static void table(struct rw *w, const char *align, const char *const *heads)
{
    size_t n = strlen(align);
    if (w->html) {
        raw(w, "<div class=\"tw\"><table><thead><tr>");
        for (size_t i = 0; i < n; i++) {
            raw(w, align[i] == 'r' ? "<th class=\"r\">" : "<th>");
            t(w, heads[i]);
            raw(w, "</th>");
        }
        raw(w, "</tr></thead><tbody>\n");
        return;
    }
    raw(w, "|");
    for (size_t i = 0; i < n; i++) {
        raw(w, " ");
        t(w, heads[i]);
        raw(w, " |");
    }
    raw(w, "\n|");
    for (size_t i = 0; i < n; i++)
        raw(w, align[i] == 'r' ? "---:|" : "---|");
    raw(w, "\n");
}

static void table_end(struct rw *w)
{
    raw(w, w->html ? "</tbody></table></div>\n" : "\n");
}

static void row(struct rw *w)
{
    raw(w, w->html ? "<tr>" : "|");
}

static void row_end(struct rw *w)
{
    raw(w, w->html ? "</tr>\n" : "\n");
}

static void cell(struct rw *w)
{
    raw(w, w->html ? "<td>" : " ");
}

static void cell_r(struct rw *w)
{
    raw(w, w->html ? "<td class=\"r\">" : " ");
}

static void cell_end(struct rw *w)
{
    raw(w, w->html ? "</td>" : " |");
}

static void c_txt(struct rw *w, const char *s)
{
    cell(w);
    t(w, s);
    cell_end(w);
}

static void c_num(struct rw *w, uint64_t n)
{
    cell_r(w);
    num(w, n);
    cell_end(w);
}

/* A count that is 0 shows as a dash, so that what happened stands out. */
static void c_cnt(struct rw *w, uint64_t n)
{
    cell_r(w);
    if (n)
        num(w, n);
    else
        t(w, "-");
    cell_end(w);
}

static void c_time(struct rw *w, int64_t tm)
{
    char b[40];
    report_fmt_time(tm, false, b);
    c_txt(w, b);
}

static void c_us(struct rw *w, const struct rhist *h, double q)
{
    cell_r(w);
    if (h->n) {
        char b[32];
        report_fmt_dur(hist_quantile(h, q), b);
        t(w, b);
    } else {
        t(w, "-");
    }
    cell_end(w);
}

/* Examples: "seq 12 (id), ..." with the ids escaped. */
static void examples(struct rw *w, const struct rex *x)
{
    for (unsigned i = 0; i < x->n; i++) {
        if (i)
            t(w, ", ");
        if (x->seq[i])
            tf(w, "seq %" PRIu64, x->seq[i]);
        if (x->id[i].n) {
            t(w, x->seq[i] ? " (" : "");
            code_begin(w);
            LOGS(w, x->id[i]);
            code_end(w);
            t(w, x->seq[i] ? ")" : "");
        }
    }
    if (x->n == 0)
        t(w, "-");
}

static void c_ex(struct rw *w, const struct rex *x)
{
    cell(w);
    examples(w, x);
    cell_end(w);
}

/* A key of a table (raw bytes from the log), or `empty` for the empty key. */
static void c_key(struct rw *w, const struct rtab *tb, size_t i, const char *empty, size_t skip)
{
    cell(w);
    size_t n = tb->klen[i];
    if (n <= skip) {
        t(w, empty);
    } else {
        code_begin(w);
        txt(w, tb->key[i] + skip, n - skip);
        if (n >= RTAB_KEY_MAX)
            t(w, "…");
        code_end(w);
    }
    cell_end(w);
}

static void others_row(struct rw *w, const struct rtab *tb, size_t cols, const char *what)
{
    if (tb->other == NULL)
        return;
    row(w);
    cell(w);
    b_begin(w);
    tf(w, "others: %" PRIu64 " record(s) of further %s beyond the %zu-key cap", tb->other_hits,
       what, tb->max);
    b_end(w);
    cell_end(w);
    for (size_t i = 1; i < cols; i++)
        c_txt(w, "");
    row_end(w);
}

static void more_row(struct rw *w, size_t shown, size_t total, size_t cols)
{
    if (total <= shown)
        return;
    row(w);
    cell(w);
    tf(w, "… %zu more not shown", total - shown);
    cell_end(w);
    for (size_t i = 1; i < cols; i++)
        c_txt(w, "");
    row_end(w);
}

static void banner(struct rw *w, bool bad, const char *title)
{
    if (w->html) {
        fprintf(w->f, "<div class=\"banner %s\"><strong>", bad ? "bad" : "warn");
        t(w, title);
        raw(w, "</strong> ");
    } else {
        raw(w, "> **");
        t(w, title);
        raw(w, "** ");
    }
}

static void banner_end(struct rw *w)
{
    raw(w, w->html ? "</div>\n" : "\n\n");
}

static void status_badge(struct rw *w, int st)
{
    static const char *const names[] = {"", "active", "configured, silent", "not in evidence",
                                        "configured, NOT enforced"};
    static const char *const cls[] = {"", "act", "sil", "abs", "ne"};
    if (w->html) {
        fprintf(w->f, "<span class=\"st %s\">", cls[st]);
        t(w, names[st]);
        raw(w, "</span>");
    } else if (st == CTL_ACTIVE || st == CTL_NOT_ENFORCED) {
        b_begin(w);
        t(w, st == CTL_ACTIVE ? "ACTIVE" : names[st]);
        b_end(w);
    } else {
        t(w, names[st]);
    }
}

/* ---- sort keys --------------------------------------------------------------------------- */

uint64_t ract_calls(const void *row)
{
    return ((const struct ract *)row)->calls; /* rows with results only come last */
}

uint64_t rrule_count(const void *row)
{
    return ((const struct rrule *)row)->count;
}

static uint64_t rcount_n(const void *row)
{
    const struct rcount *x = row;
    return x->n + x->n2 + x->n3;
}

static uint64_t rsess_order(const void *row)
{
    return UINT64_MAX - ((const struct rsess *)row)->order; /* first seen first */
}

/* ---- sections ------------------------------------------------------------------------------- */

static void header(struct rw *w, struct report *r)
{
    char a[40], b[40], now[40];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    report_fmt_time((int64_t)ts.tv_sec * 1000000000LL, false, now);
    if (w->html) {
        raw(w, "<h1>");
        t(w, "Sentinel audit report");
        raw(w, "</h1>\n");
    } else {
        raw(w, "# ");
        t(w, "Sentinel audit report");
        raw(w, "\n\n");
    }
    /* the banner comes first: a damaged log must not be missed */
    char why[512];
    if (!r->verified) {
        banner(w, true, "NOT VERIFIED.");
        t(w, "The log was read from standard input and its hash chain was not checked; nothing "
             "below is attested.");
        banner_end(w);
    } else if (r->v.status == VERIFY_DAMAGED) {
        banner(w, true, "INTEGRITY FAILURE: this audit log is damaged.");
        tf(w, "First damage: %s at ", r->v.damage ? r->v.damage : "?");
        code_begin(w);
        t(w, r->v.file);
        code_end(w);
        tf(w, " line %" PRIu64 ", seq %" PRIu64 ": ", r->v.line, r->v.seq);
        t(w, r->v.message);
        tf(w,
           ". %" PRIu64 " record(s) before it verified. The figures below count only the "
           "%" PRIu64 " record(s) read before the damage; the %" PRIu64 " line(s) from it on are "
           "not verified and not counted.",
           r->v.records, r->records, r->unverified);
        banner_end(w);
    } else if (r->v.status != VERIFY_INTACT) {
        banner(w, true, "INTEGRITY NOT ESTABLISHED:");
        t(w, "the log could not be verified: ");
        t(w, r->v.message);
        t(w, ". Nothing below is counted.");
        banner_end(w);
    } else if (r->strict && report_strict(r, why, sizeof(why)) != NULL) {
        banner(w, true, "NOT SEALED (--strict):");
        t(w, why);
        t(w, ".");
        banner_end(w);
    } else if (r->v.declared_unsealed > 0 || (!r->v.sealed && r->v.unsealed > 0)) {
        /* counted, but no checkpoint of the run that wrote them vouches for them */
        banner(w, false, "Unsealed records:");
        tf(w,
           "%" PRIu64 " record(s) counted below are not signed by a checkpoint of the run that "
           "wrote them (a crash%s); nothing but the chain vouches for them, and --strict "
           "refuses this log.",
           r->v.declared_unsealed + (r->v.sealed ? 0 : r->v.unsealed),
           r->v.sealed ? ", declared by the next run" : ", or a run still writing");
        if (r->bad > 0)
            tf(w, " %" PRIu64 " unreadable line(s) are left out (see the appendix).", r->bad);
        banner_end(w);
    } else if (r->bad > 0) {
        banner(w, false, "Unreadable lines:");
        tf(w,
           "%" PRIu64 " line(s) of the log could not be read and are left out (see the "
           "appendix).",
           r->bad);
        banner_end(w);
    }
    static const char *const h2[] = {"", ""};
    table(w, "ll", h2);
    row(w);
    c_txt(w, "Audit log");
    cell(w);
    code_begin(w);
    t(w, r->o.title_path ? r->o.title_path : "-");
    code_end(w);
    if (r->nfiles > 1)
        tf(w, " and %zu rotated file(s)", r->nfiles - 1);
    cell_end(w);
    row_end(w);
    row(w);
    c_txt(w, "Window (UTC)");
    cell(w);
    if (!r->o.has_since && !r->o.has_until) {
        t(w, "every record");
    } else {
        report_fmt_time(r->o.has_since ? r->o.since_ns : RPT_NOTIME, false, a);
        report_fmt_time(r->o.has_until ? r->o.until_ns : RPT_NOTIME, false, b);
        tf(w,
           "from %s (inclusive) until %s (exclusive); %" PRIu64 " record(s) outside, %" PRIu64
           " without a time left out",
           r->o.has_since ? a : "the start", r->o.has_until ? b : "the end", r->outside, r->notime);
    }
    cell_end(w);
    row_end(w);
    row(w);
    c_txt(w, "Records");
    cell(w);
    num(w, r->records_in);
    if (r->seq_known)
        tf(w, " (seq %" PRIu64 " to %" PRIu64 ")", r->seq_min, r->seq_max);
    report_fmt_time(r->tmin, false, a);
    report_fmt_time(r->tmax, false, b);
    tf(w, ", %s to %s UTC", a, b);
    cell_end(w);
    row_end(w);
    row(w);
    c_txt(w, "Generated");
    cell(w);
    tf(w, "%s UTC by sentinel report", now);
    cell_end(w);
    row_end(w);
    table_end(w);
}

static void summary(struct rw *w, struct report *r)
{
    heading(w, 2, "summary", "Summary");
    size_t sessions = 0;
    for (size_t i = 0; i < r->sessions.n; i++)
        sessions += ((struct rsess *)rtab_row(&r->sessions, i))->in_window;
    if (w->html) {
        raw(w, "<div class=\"cards\">");
        struct {
            const char *label;
            uint64_t n;
            const char *cls;
        } cards[] = {
            {"sessions", sessions, ""},
            {"decisions", r->decisions, ""},
            {"allowed", r->allow, "c-allow"},
            {"denied", r->deny, "c-deny"},
            {"held for approval", r->approve, "c-approve"},
            {"redacted", r->redact, "c-redact"},
            {"observed only", r->observed, "c-observe"},
            {"taint events", r->taint_events, "c-taint"},
            {"scan findings", r->scans, "c-scan"},
        };
        for (size_t i = 0; i < sizeof(cards) / sizeof(cards[0]); i++) {
            fprintf(w->f, "<div class=\"card %s\"><div class=\"n\">", cards[i].cls);
            num(w, cards[i].n);
            raw(w, "</div><div class=\"l\">");
            t(w, cards[i].label);
            raw(w, "</div></div>");
        }
        raw(w, "</div>\n");
        html_chart_timeline(r, w->f);
        return;
    }
    char n[9][32];
    report_fmt_n(sessions, n[0]);
    report_fmt_n(r->decisions, n[1]);
    report_fmt_n(r->allow, n[2]);
    report_fmt_n(r->deny, n[3]);
    report_fmt_n(r->approve, n[4]);
    report_fmt_n(r->redact, n[5]);
    report_fmt_n(r->observed, n[6]);
    report_fmt_n(r->taint_events, n[7]);
    report_fmt_n(r->scans, n[8]);
    tf(w,
       "- %s session(s), %s decision(s): %s allowed, %s denied, %s held for approval, %s "
       "redacted, %s observed only",
       n[0], n[1], n[2], n[3], n[4], n[5], n[6]);
    raw(w, "\n");
    tf(w,
       "- %s taint event(s), %s result(s) with scan findings, %" PRIu64 " invalidation(s), %" PRIu64
       " pin or schema finding(s)",
       n[7], n[8], r->invalidations,
       r->pins_changed + r->pins_refused + r->pin_warnings + r->pin_blocks + r->schema_warnings +
           r->schema_blocks + r->poison_defs);
    raw(w, "\n\n");
    md_timeline(r, w->f);
}

static const char *verify_word(const struct report *r)
{
    if (!r->verified)
        return "NOT VERIFIED (standard input)";
    switch (r->v.status) {
    case VERIFY_INTACT:
        return "INTACT";
    case VERIFY_DAMAGED:
        return "DAMAGED";
    default:
        return "COULD NOT BE VERIFIED";
    }
}

static void kv(struct rw *w, const char *k)
{
    row(w);
    c_txt(w, k);
    cell(w);
}

static void kv_end(struct rw *w)
{
    cell_end(w);
    row_end(w);
}

static void integrity(struct rw *w, struct report *r)
{
    heading(w, 2, "integrity", "1. Integrity attestation");
    const struct verify_result *v = &r->v;
    static const char *const h[] = {"Check", "Result"};
    table(w, "ll", h);
    kv(w, "Hash chain");
    b_begin(w);
    t(w, verify_word(r));
    b_end(w);
    if (r->verified && v->status != VERIFY_INTACT) {
        t(w, ": ");
        t(w, v->message);
    }
    kv_end(w);
    if (r->verified && v->status == VERIFY_DAMAGED) {
        kv(w, "First damage");
        tf(w, "%s at ", v->damage ? v->damage : "?");
        code_begin(w);
        t(w, v->file);
        code_end(w);
        tf(w, " line %" PRIu64 ", seq %" PRIu64, v->line, v->seq);
        kv_end(w);
    }
    if (r->verified) {
        kv(w, "Records verified");
        num(w, v->records);
        if (v->records)
            tf(w, " (seq %" PRIu64 " to %" PRIu64 ") in %zu file(s)", v->first_seq, v->last_seq,
               v->nfiles);
        kv_end(w);
        kv(w, "Checkpoints");
        num(w, v->checkpoints);
        if (r->checkpoints)
            tf(w,
               " (in the records read: %" PRIu64 " hmac-sha256, %" PRIu64 " ed25519, %" PRIu64
               " unsigned, %" PRIu64 " final)",
               r->ck_hmac, r->ck_ed25519, r->ck_none, r->ck_final);
        kv_end(w);
        kv(w, "Signatures checked");
        if (r->keyfile) {
            tf(w, "%" PRIu64 " of %" PRIu64 " checkpoint(s), with key file ", v->signed_checkpoints,
               v->checkpoints);
            code_begin(w);
            t(w, r->keyfile);
            code_end(w);
        } else {
            t(w, "not checked: no key given (--key FILE)");
        }
        kv_end(w);
        kv(w, "Tail");
        if (v->sealed)
            t(w, "sealed: the log ends with a final checkpoint (a clean close)");
        else
            tf(w, "not sealed: %" PRIu64 " record(s) after the last checkpoint", v->unsealed);
        if (v->torn_tail)
            t(w, "; the last line was torn (a crash mid-write): not verified, not counted");
        if (v->head_file == VERIFY_HEAD_MISSING)
            t(w, "; the log has no head file (LOG.head): a deleted tail cannot be told from a "
                 "complete log");
        if (v->sealed_v1)
            t(w, "; the final checkpoint is signed in the v1 form, which does not cover the "
                 "final flag");
        kv_end(w);
        if (v->declared_unsealed > 0) {
            kv(w, "Never sealed");
            tf(w,
               "%" PRIu64 " record(s) were written by a run that crashed before signing them "
               "(declared by the next run): they chain, but no checkpoint of their own run "
               "vouches for them",
               v->declared_unsealed);
            kv_end(w);
        }
        if (v->unclean_ends > 0) {
            kv(w, "Unclean ends");
            tf(w,
               "%" PRIu64 " run(s) ended without their final checkpoint, the first after seq "
               "%" PRIu64 ": a crash, or records deleted up to a checkpoint; what those runs did "
               "after it is not in the log",
               v->unclean_ends, v->unclean_seq);
            kv_end(w);
        }
        if (v->time_backwards > 0) {
            kv(w, "Clock");
            tf(w,
               "%" PRIu64 " record(s) carry a time before their predecessor's, the first at seq "
               "%" PRIu64 ": the clock was stepped back, or times were edited before the chain "
               "was made; the period and the charts order records by their times",
               v->time_backwards, v->time_backwards_seq);
            kv_end(w);
        }
        if (v->head_hash[0]) {
            kv(w, "Chain head");
            code_begin(w);
            t(w, v->head_hash);
            code_end(w);
            kv_end(w);
        }
    }
    kv(w, "Rotations, crash recoveries");
    tf(w, "%" PRIu64 " rotation(s), %" PRIu64 " recovered torn record(s)", r->rotations,
       r->recoveries);
    if (r->recoveries) {
        t(w, ": ");
        examples(w, &r->recover_ex);
    }
    kv_end(w);
    kv(w, "Lines read");
    num(w, r->lines);
    tf(w, " (%" PRIu64 " blank, %" PRIu64 " unreadable", r->blank, r->bad);
    if (r->toolong)
        tf(w, ", %" PRIu64 " too long", r->toolong);
    if (r->torn)
        tf(w, ", %" PRIu64 " torn", r->torn);
    if (r->unverified)
        tf(w, ", %" PRIu64 " from the damage on: not counted", r->unverified);
    t(w, ")");
    kv_end(w);
    table_end(w);

    heading(w, 3, "policies", "Policies in force");
    bool windowed = r->o.has_since || r->o.has_until;
    size_t shown = 0;
    static const char *const ph[] = {"Session",     "Event", "From (UTC)", "Until (UTC)",
                                     "Policy file", "Name",  "SHA-256",    "Rules"};
    for (size_t i = 0; i < r->npol; i++) {
        const struct rpol *p = &r->pol[i];
        const struct rsess *s = p->sess == SIZE_MAX       ? r->sessions.other
                                : p->sess < r->sessions.n ? rtab_row(&r->sessions, p->sess)
                                                          : NULL;
        int64_t to = p->to != RPT_NOTIME ? p->to : s ? s->last : RPT_NOTIME;
        if (windowed && ((r->o.has_until && p->from != RPT_NOTIME && p->from >= r->o.until_ns) ||
                         (r->o.has_since && to != RPT_NOTIME && to < r->o.since_ns)))
            continue;
        if (shown == 0)
            table(w, "lllllllr", ph);
        if (++shown > SHOW_ROWS * 10)
            continue;
        row(w);
        cell(w);
        if (s && s->run_id.n) {
            code_begin(w);
            LOGS(w, s->run_id);
            code_end(w);
        } else if (p->sess < r->sessions.n) {
            code_begin(w);
            size_t kn = r->sessions.klen[p->sess];
            txt(w, r->sessions.key[p->sess], kn > 24 ? 24 : kn);
            if (kn > 24)
                t(w, "…");
            code_end(w);
        } else {
            t(w, "(others)");
        }
        cell_end(w);
        c_txt(w, !p->reload ? "start" : p->ok ? "reload" : "reload FAILED (kept the previous)");
        c_time(w, p->from);
        c_time(w, to);
        cell(w);
        code_begin(w);
        LOGS(w, p->path);
        code_end(w);
        if (!p->ok && p->error.n) {
            t(w, ": ");
            LOGS(w, p->error);
        }
        cell_end(w);
        cell(w);
        LOGS(w, p->name);
        cell_end(w);
        cell(w);
        if (p->hash.n) {
            code_begin(w);
            LOGS(w, p->hash);
            code_end(w);
        } else {
            t(w, "(not recorded)");
        }
        cell_end(w);
        if (p->has_rules)
            c_num(w, p->rules);
        else
            c_txt(w, "");
        row_end(w);
    }
    if (shown > 0) {
        more_row(w, SHOW_ROWS * 10, shown, 8);
        table_end(w);
    } else {
        para(w, "No start or policy reload record in the window.");
    }
    if (r->pol_dropped)
        tf(w, "%" PRIu64 " further policy load(s) not listed (cap %d).\n\n", r->pol_dropped,
           RPT_POLICIES_MAX);
}

static void sessions(struct rw *w, struct report *r)
{
    heading(w, 2, "sessions", "2. Sessions");
    static const char *const h[] = {
        "Session (run id)", "Agent", "Identity", "Upstream",  "Server", "Mode", "Start (UTC)",
        "Stop (UTC)",       "Exit",  "Records",  "Decisions", "Denied", "Held", "Sealed"};
    size_t *idx;
    size_t n = report_top(&r->sessions, rsess_order, SIZE_MAX, &idx);
    size_t shown = 0, total = 0;
    for (size_t k = 0; k < n; k++) {
        const struct rsess *s = rtab_row(&r->sessions, idx[k]);
        if (!s->in_window)
            continue;
        if (total++ == 0)
            table(w, "lllllllllrrrrl", h);
        if (shown >= SHOW_SESSIONS)
            continue;
        shown++;
        row(w);
        cell(w);
        code_begin(w);
        if (s->run_id.n)
            LOGS(w, s->run_id);
        else
            txt(w, r->sessions.key[idx[k]], r->sessions.klen[idx[k]]);
        code_end(w);
        if (s->run_id.n && r->sessions.klen[idx[k]] > 0 &&
            !(r->sessions.klen[idx[k]] == (size_t)s->run_id.n + 4 &&
              memcmp(r->sessions.key[idx[k]], "run ", 4) == 0)) {
            t(w, " ");
            if (w->html)
                raw(w, "<span class=\"sid\">");
            t(w, "session ");
            size_t kn = r->sessions.klen[idx[k]];
            txt(w, r->sessions.key[idx[k]], kn > 40 ? 40 : kn);
            if (kn > 40)
                t(w, "…");
            if (w->html)
                raw(w, "</span>");
        }
        cell_end(w);
        cell(w);
        if (s->agent.n)
            LOGS(w, s->agent);
        else
            t(w, "-");
        cell_end(w);
        cell(w);
        LOGS(w, s->identity);
        cell_end(w);
        cell(w);
        code_begin(w);
        LOGS(w, s->upstream);
        code_end(w);
        if (s->has_pid)
            tf(w, " (pid %" PRId64 ")", s->pid);
        cell_end(w);
        cell(w);
        LOGS(w, s->server);
        cell_end(w);
        cell(w);
        LOGS(w, s->mode);
        cell_end(w);
        c_time(w, s->has_start ? s->start : s->first);
        c_time(w, s->has_stop ? s->stop : RPT_NOTIME);
        cell(w);
        if (s->has_exit)
            tf(w, "status %" PRId64, s->exit_status);
        if (s->has_up_exit) {
            tf(w, "%supstream ", s->has_exit ? "; " : "");
            if (s->up_signal)
                tf(w, "signal %" PRId64, s->up_signal);
            else
                tf(w, "status %" PRId64, s->up_status);
            if (s->up_by_sentinel)
                t(w, " (stopped by sentinel)");
        }
        if (!s->has_exit && !s->has_up_exit)
            t(w, s->has_stop ? "-" : "no stop record");
        cell_end(w);
        c_num(w, s->records);
        c_num(w, s->decisions);
        c_cnt(w, s->denials);
        c_cnt(w, s->held);
        c_txt(w, s->sealed ? "yes" : "no");
        row_end(w);
    }
    free(idx);
    if (total == 0) {
        para(w, "No session in the window.");
        return;
    }
    more_row(w, shown, total, 14);
    others_row(w, &r->sessions, 14, "sessions");
    table_end(w);
}

static void activity_row(struct rw *w, const struct ract *a, bool tools)
{
    c_num(w, a->calls);
    c_cnt(w, a->allow);
    c_cnt(w, a->deny);
    c_cnt(w, a->approve);
    c_cnt(w, a->redact);
    cell_r(w);
    if (a->observed) {
        num(w, a->observed);
        if (a->would_block)
            tf(w, " (%" PRIu64 " would block)", a->would_block);
    } else {
        t(w, "-");
    }
    cell_end(w);
    c_us(w, &a->decide, 0.5);
    c_us(w, &a->decide, 0.99);
    if (!tools)
        return;
    cell_r(w);
    if (a->results)
        tf(w, "%" PRIu64 " / %" PRIu64 " / %" PRIu64, a->ok, a->tool_error,
           a->error + a->other_outcome);
    else
        t(w, "-");
    cell_end(w);
    c_us(w, &a->latency, 0.5);
    c_us(w, &a->latency, 0.99);
}

static void activity(struct rw *w, struct report *r)
{
    heading(w, 2, "activity", "3. Activity");
    para(w, "Decisions per agent and per tool. Decisions recorded in observe mode were not "
            "enforced and count only as observed. Latency figures are the time the decision "
            "took (decide) and, from result records, the call's round trip; percentiles are "
            "read from log-scale histograms, accurate to about 6%.");
    heading(w, 3, "by-agent", "By agent");
    static const char *const ha[] = {"Agent",    "Calls",         "Allowed",    "Denied",    "Held",
                                     "Redacted", "Observed only", "Decide p50", "Decide p99"};
    size_t *idx;
    size_t n = report_top(&r->agents, ract_calls, SHOW_ACTIVITY, &idx);
    if (n == 0) {
        para(w, "No decision in the window.");
    } else {
        table(w, "lrrrrrrrr", ha);
        for (size_t k = 0; k < n; k++) {
            row(w);
            c_key(w, &r->agents, idx[k], "(no agent id)", 0);
            activity_row(w, rtab_row(&r->agents, idx[k]), false);
            row_end(w);
        }
        more_row(w, n, r->agents.n, 9);
        others_row(w, &r->agents, 9, "agents");
        table_end(w);
    }
    free(idx);

    heading(w, 3, "by-tool", "By tool");
    if (w->html)
        html_chart_tools(r, w->f);
    static const char *const ht[] = {"Tool or target", "Calls",
                                     "Allowed",        "Denied",
                                     "Held",           "Redacted",
                                     "Observed only",  "Decide p50",
                                     "Decide p99",     "Results ok / tool error / error",
                                     "Latency p50",    "Latency p99"};
    n = report_top(&r->tools, ract_calls, SHOW_ACTIVITY, &idx);
    if (n == 0) {
        para(w, "No call in the window.");
    } else {
        table(w, "lrrrrrrrrrrr", ht);
        for (size_t k = 0; k < n; k++) {
            row(w);
            c_key(w, &r->tools, idx[k], "(unnamed)", 0);
            activity_row(w, rtab_row(&r->tools, idx[k]), true);
            row_end(w);
        }
        more_row(w, n, r->tools.n, 12);
        others_row(w, &r->tools, 12, "tools");
        /* every call */
        struct ract all = {.calls = r->decisions,
                           .allow = r->allow,
                           .deny = r->deny,
                           .approve = r->approve,
                           .redact = r->redact,
                           .observed = r->observed,
                           .would_block = r->would_block,
                           .results = r->results,
                           .ok = r->res_ok,
                           .tool_error = r->res_tool_error,
                           .error = r->res_error,
                           .other_outcome = r->res_other,
                           .decide = r->decide_all,
                           .latency = r->latency_all};
        row(w);
        cell(w);
        b_begin(w);
        t(w, "all");
        b_end(w);
        cell_end(w);
        activity_row(w, &all, true);
        row_end(w);
        table_end(w);
    }
    free(idx);
}

static void rule_rows(struct rw *w, struct report *r, char letter, bool approvals)
{
    size_t *idx;
    size_t n = report_top(&r->rules, rrule_count, SIZE_MAX, &idx);
    size_t shown = 0, total = 0;
    static const char *const hd[] = {"Rule",
                                     "Reason",
                                     "Count",
                                     "of which observe mode",
                                     "First (UTC)",
                                     "Last (UTC)",
                                     "Examples (decision id)"};
    static const char *const hq[] = {
        "Rule",    "Held",  "Answered",    "yes",        "no",
        "timeout", "other", "First (UTC)", "Last (UTC)", "Examples (decision id)"};
    for (size_t k = 0; k < n; k++) {
        if (r->rules.key[idx[k]][0] != letter)
            continue;
        const struct rrule *x = rtab_row(&r->rules, idx[k]);
        if (total++ == 0)
            approvals ? table(w, "lrrrrrrlll", hq) : table(w, "llrrlll", hd);
        if (shown >= SHOW_RULES)
            continue;
        shown++;
        row(w);
        c_key(w, &r->rules, idx[k], "(none)", 1);
        if (approvals) {
            c_num(w, x->count);
            c_cnt(w, x->answers);
            c_cnt(w, x->yes);
            c_cnt(w, x->no);
            c_cnt(w, x->timeout);
            c_cnt(w, x->unavailable + x->cancelled + x->other_answer);
        } else {
            cell(w);
            LOGS(w, x->reason);
            if (x->reasons_vary)
                t(w, " (and other reasons)");
            cell_end(w);
            c_num(w, x->count);
            c_cnt(w, x->observed);
        }
        c_time(w, x->first);
        c_time(w, x->last);
        c_ex(w, &x->ex);
        row_end(w);
    }
    free(idx);
    if (total == 0) {
        para(w, approvals ? "No call was held for approval." : "None in the window.");
        return;
    }
    more_row(w, shown, total, approvals ? 10 : 7);
    others_row(w, &r->rules, approvals ? 10 : 7, "rules");
    table_end(w);
}

static void rules(struct rw *w, struct report *r)
{
    heading(w, 2, "rules", "4. Denials and approvals by rule");
    if (w->html)
        html_chart_rules(r, w->f);
    heading(w, 3, "denials", "Denials");
    para(w, "Rules named pins, schema and guard are sentinel's own checks (tool pins, input "
            "schemas, guards that failed closed); default is the policy's default effect.");
    rule_rows(w, r, 'd', false);
    heading(w, 3, "approvals", "Held for approval, and the answers");
    if (w->html)
        html_chart_answers(r, w->f);
    rule_rows(w, r, 'q', true);
    if (r->approvals) {
        p_begin(w);
        tf(w,
           "Answers: %" PRIu64 " yes, %" PRIu64 " no, %" PRIu64 " timeout, %" PRIu64
           " approver unavailable, %" PRIu64 " cancelled, %" PRIu64 " other. Examples: ",
           r->ans_yes, r->ans_no, r->ans_timeout, r->ans_unavailable, r->ans_cancelled,
           r->ans_other);
        examples(w, &r->approval_ex);
        p_end(w);
    }
    heading(w, 3, "redactions", "Redactions");
    rule_rows(w, r, 'r', false);
    heading(w, 3, "observe-rules", "Observe rules that matched");
    rule_rows(w, r, 'o', false);
    heading(w, 3, "allow-rules", "Allowed, by rule");
    rule_rows(w, r, 'a', false);
}

static void count_table(struct rw *w, const struct rtab *tb, const char *what,
                        const char *const *heads, const char *align, int kind)
{
    size_t *idx;
    size_t n = report_top(tb, rcount_n, SHOW_ROWS, &idx);
    if (n == 0) {
        free(idx);
        para(w, "None in the window.");
        return;
    }
    size_t cols = strlen(align);
    table(w, align, heads);
    for (size_t k = 0; k < n; k++) {
        const struct rcount *x = rtab_row(tb, idx[k]);
        row(w);
        if (kind == 3) { /* pin items: state NUL name */
            const char *key = tb->key[idx[k]];
            size_t sl = strnlen(key, tb->klen[idx[k]]);
            cell(w);
            txt(w, key, sl);
            cell_end(w);
            cell(w);
            code_begin(w);
            if (sl + 1 < tb->klen[idx[k]])
                txt(w, key + sl + 1, tb->klen[idx[k]] - sl - 1);
            code_end(w);
            cell_end(w);
        } else {
            c_key(w, tb, idx[k], "(empty)", 0);
        }
        switch (kind) {
        case 0: /* labels */
            c_cnt(w, x->n);
            c_cnt(w, x->n2);
            c_cnt(w, x->n3);
            break;
        case 1: /* plain count */
            c_num(w, x->n);
            break;
        case 2: /* poisoned definitions */
            c_num(w, x->score);
            cell(w);
            LOGS(w, x->detail);
            cell_end(w);
            c_num(w, x->n);
            break;
        case 3: /* pin items */
            cell(w);
            LOGS(w, x->detail);
            cell_end(w);
            c_num(w, x->n);
            break;
        case 4: /* schema */
            c_cnt(w, x->n);
            c_cnt(w, x->n2);
            cell(w);
            LOGS(w, x->detail);
            cell_end(w);
            break;
        }
        c_time(w, x->first);
        c_time(w, x->last);
        c_ex(w, &x->ex);
        row_end(w);
    }
    more_row(w, n, tb->n, cols);
    others_row(w, tb, cols, what);
    table_end(w);
    free(idx);
}

static void flow(struct rw *w, struct report *r)
{
    heading(w, 2, "flow", "5. Information flow and content guards");

    heading(w, 3, "taint", "Session labels (taint)");
    p_begin(w);
    tf(w,
       "%" PRIu64 " taint event(s): %" PRIu64 " label(s) added, %" PRIu64 " removed. %" PRIu64
       " decision(s) were made while the session held labels.",
       r->taint_events, r->labels_added, r->labels_removed, r->dec_labelled);
    if (r->taint_events) {
        t(w, " Examples (source request): ");
        examples(w, &r->taint_ex);
    }
    p_end(w);
    static const char *const hl[] = {"Label",
                                     "Added",
                                     "Removed",
                                     "Decisions carrying it",
                                     "First (UTC)",
                                     "Last (UTC)",
                                     "Source requests (request id)"};
    count_table(w, &r->labels, "labels", hl, "lrrrlll", 0);

    heading(w, 3, "scans", "Result scans");
    p_begin(w);
    tf(w,
       "%" PRIu64 " result(s) with findings. Highest scores: secret %u, pii %u, injection "
       "%u. %" PRIu64 " value(s) tracked for later arguments",
       r->scans, r->scan_max[0], r->scan_max[1], r->scan_max[2], r->tracked_added);
    if (r->scan_raw_fallback)
        tf(w, "; %" PRIu64 " read past the parse's node cap", r->scan_raw_fallback);
    t(w, ".");
    p_end(w);
    static const char *const hk[] = {"Finding", "Results", "First (UTC)", "Last (UTC)",
                                     "Examples (request id)"};
    count_table(w, &r->scan_kinds, "finding kinds", hk, "lrlll", 1);
    if (r->scan_tools.n) {
        static const char *const hs[] = {"Tool or resource", "Results with findings", "First (UTC)",
                                         "Last (UTC)", "Examples (request id)"};
        count_table(w, &r->scan_tools, "tools", hs, "lrlll", 1);
    }

    heading(w, 3, "spotlight", "Spotlighting");
    p_begin(w);
    if (r->spotlights) {
        tf(w,
           "%" PRIu64 " result(s) carried %" PRIu64
           " forged fence marker(s), neutralised and labelled injection. Examples: ",
           r->spotlights, r->forged_markers);
        examples(w, &r->spot_ex);
    } else {
        t(w, "No forged marker was found (the log records spotlighting only then).");
    }
    p_end(w);

    heading(w, 3, "contamination", "Provenance, contamination and invalidation");
    static const char *const hc[] = {"What", "Decisions", "Examples"};
    table(w, "lrl", hc);
    struct {
        const char *what;
        uint64_t n;
        const struct rex *ex;
    } cont[] = {
        {"arguments holding a tracked value (provenance)", r->dec_provenance, &r->prov_ex},
        {"made while labels from earlier results were held (influenced_by)", r->dec_influenced,
         &r->infl_ex},
        {"depending on an invalidated source (label invalidated)", r->dec_invalidated, &r->invd_ex},
        {"denied by the lethal-trifecta rule", r->trifecta_blocks, &r->trifecta_ex},
        {"denied by a budget or a rate limit", r->budget_denials + r->rate_denials, &r->limit_ex},
        {"denied failing closed", r->fail_closed, &r->failc_ex},
    };
    for (size_t i = 0; i < sizeof(cont) / sizeof(cont[0]); i++) {
        row(w);
        c_txt(w, cont[i].what);
        c_cnt(w, cont[i].n);
        c_ex(w, cont[i].ex);
        row_end(w);
    }
    table_end(w);
    if (r->invalidations) {
        p_begin(w);
        tf(w,
           "%" PRIu64 " invalidation(s) by the operator, covering %" PRIu64 " tracked source(s):",
           r->invalidations, r->inval_sources);
        p_end(w);
        static const char *const hi[] = {"Time (UTC)", "Seq", "Kind", "Value", "Tracked sources"};
        table(w, "lrllr", hi);
        for (size_t i = 0; i < r->ninval && i < SHOW_ROWS; i++) {
            const struct rinval *v = &r->inval[i];
            row(w);
            c_time(w, v->time);
            c_num(w, v->seq);
            c_txt(w, v->kind);
            cell(w);
            code_begin(w);
            LOGS(w, v->value);
            code_end(w);
            cell_end(w);
            if (v->has_sources)
                c_num(w, v->sources);
            else
                c_txt(w, "-");
            row_end(w);
        }
        more_row(w, r->ninval < SHOW_ROWS ? r->ninval : SHOW_ROWS, (size_t)r->invalidations, 5);
        table_end(w);
    }

    heading(w, 3, "definitions", "Tool definitions: pins, poisoning, schemas");
    p_begin(w);
    if (r->pin_lists) {
        tf(w,
           "%" PRIu64 " list result(s) checked against pins: %" PRIu64 " new, %" PRIu64
           " changed, %" PRIu64 " refused, %" PRIu64 " removed, %" PRIu64 " look-alike, %" PRIu64
           " shadowing, %" PRIu64 " imitating, %" PRIu64 " duplicate. ",
           r->pin_lists, r->pins_new, r->pins_changed, r->pins_refused, r->pins_removed,
           r->pins_lookalike, r->pins_shadows, r->pins_imitates, r->pins_duplicates);
    } else {
        t(w, "No list result was checked against pins. ");
    }
    tf(w, "%" PRIu64 " call(s) blocked by a changed pin, %" PRIu64 " warned.", r->pin_blocks,
       r->pin_warnings);
    if (r->pins_write_failed)
        tf(w, " The pin store could not be written %" PRIu64 " time(s).", r->pins_write_failed);
    p_end(w);
    if (r->pin_items.n) {
        static const char *const hp[] = {"State",
                                         "Name",
                                         "Detail",
                                         "Seen",
                                         "First (UTC)",
                                         "Last (UTC)",
                                         "Examples (request id)"};
        count_table(w, &r->pin_items, "definitions", hp, "lllrlll", 3);
    }
    if (r->poison.n) {
        p_begin(w);
        tf(w,
           "%" PRIu64 " definition finding(s) (hidden instructions in descriptions or "
           "schemas):",
           r->poison_defs);
        p_end(w);
        static const char *const hpo[] = {
            "Tool",       "Worst score",          "Findings", "Seen", "First (UTC)",
            "Last (UTC)", "Examples (request id)"};
        count_table(w, &r->poison, "tools", hpo, "lrlrlll", 2);
    }
    p_begin(w);
    tf(w,
       "Input schemas: %" PRIu64 " call(s) denied, %" PRIu64 " warned; %" PRIu64
       " schema(s) could not be compiled, %" PRIu64 " used unsupported keywords.",
       r->schema_blocks, r->schema_warnings, r->schema_errors, r->schema_unsupported);
    p_end(w);
    if (r->schema_tools.n) {
        static const char *const hsc[] = {
            "Tool",        "Warned",     "Denied",  "Example violation",
            "First (UTC)", "Last (UTC)", "Examples"};
        count_table(w, &r->schema_tools, "tools", hsc, "lrrllll", 4);
    }
    if (r->list_filters) {
        p_begin(w);
        tf(w,
           "Tool visibility: %" PRIu64 " list result(s) filtered, %" PRIu64
           " entries the policy can never allow hidden. Examples: ",
           r->list_filters, r->hidden);
        examples(w, &r->filter_ex);
        p_end(w);
    }
}

static void controls(struct rw *w, struct report *r)
{
    heading(w, 2, "controls", "6. Control mapping");
    para(w, "Each of sentinel's controls, whether this log shows it at work, and the framework "
            "outcomes it supports. Active: the log holds records of the control acting (counts "
            "and example sequence numbers). Configured, silent: the log shows the control was "
            "set up but it had nothing to act on. Not in evidence: nothing in the log shows "
            "it; it may be configured, but this report does not claim it.");
    static const char *const h[] = {"Control", "Status", "Evidence in this log", "NIST AI RMF 1.0",
                                    "OWASP Agentic Top 10 (2026)"};
    table(w, "lllll", h);
    for (size_t i = 0; i < r->nctl; i++) {
        const struct rctl *c = &r->ctl[i];
        row(w);
        cell(w);
        b_begin(w);
        t(w, c->name);
        b_end(w);
        t(w, ": ");
        t(w, c->what);
        cell_end(w);
        cell(w);
        status_badge(w, c->status);
        cell_end(w);
        c_txt(w, c->evidence[0] ? c->evidence : "-");
        c_txt(w, c->nist);
        c_txt(w, c->owasp);
        row_end(w);
    }
    table_end(w);
    para(w, "OWASP Top 10 for Agentic Applications (2026): ASI01 Agent Goal Hijack; ASI02 Tool "
            "Misuse & Exploitation; ASI03 Identity & Privilege Abuse; ASI04 Agentic Supply "
            "Chain Vulnerabilities; ASI05 Unexpected Code Execution; ASI06 Memory & Context "
            "Poisoning; ASI07 Insecure Inter-Agent Communication; ASI08 Cascading Failures; "
            "ASI09 Human-Agent Trust Exploitation; ASI10 Rogue Agents. Sentinel sits between "
            "one agent and its tool servers: it does not see agent-to-agent traffic (ASI07).");
    para(w, "NIST AI RMF 1.0 subcategories cited: GOVERN 1.4 (risk management through "
            "transparent policies and controls), GOVERN 3.2 (human-AI oversight roles), GOVERN "
            "6.1 (third-party risks), MAP 3.5 (human oversight processes), MAP 4.2 (internal "
            "risk controls for third-party components), MEASURE 2.3 (performance measured in "
            "deployment-like conditions), MEASURE 2.4 (behaviour monitored in production), "
            "MEASURE 2.6 (fails safely), MEASURE 2.7 (security and resilience), MEASURE 2.8 "
            "(transparency and accountability), MEASURE 2.10 (privacy risk), MEASURE 3.1 "
            "(tracking emergent risks), MANAGE 1.3 (responses to high-priority risks), MANAGE "
            "2.3 (response to newly identified risks), MANAGE 2.4 (disengaging systems acting "
            "outside intended use), MANAGE 3.1 (third-party resources monitored), MANAGE 4.1 "
            "(post-deployment monitoring, change management), MANAGE 4.3 (incidents tracked "
            "and documented).");
}

static void appendix(struct rw *w, struct report *r)
{
    heading(w, 2, "appendix", "Appendix");
    heading(w, 3, "events", "Records by event");
    static const char *const he[] = {"Event", "Records", "First (UTC)", "Last (UTC)", "Examples"};
    count_table(w, &r->events, "events", he, "lrlll", 1);
    heading(w, 3, "unreadable", "Unreadable lines");
    if (r->bad == 0) {
        para(w, "None.");
    } else {
        static const char *const hb[] = {"File", "Line", "Why"};
        table(w, "lrl", hb);
        for (size_t i = 0; i < r->nbad_ex; i++) {
            row(w);
            cell(w);
            code_begin(w);
            t(w, r->bad_ex[i].file ? r->bad_ex[i].file : "-");
            code_end(w);
            cell_end(w);
            c_num(w, r->bad_ex[i].line);
            c_txt(w, r->bad_ex[i].why);
            row_end(w);
        }
        more_row(w, r->nbad_ex, (size_t)r->bad, 3);
        table_end(w);
    }
    heading(w, 3, "method", "How this report was made");
    para(w, "The hash chain and checkpoint signatures were checked by the same verifier as "
            "sentinel verify, over the whole log whatever the window. The log was then read "
            "once, a line at a time; each table keeps at most its cap of distinct keys and "
            "counts the rest in an others row, so memory does not grow with the log. Strings "
            "from the log are shown escaped: control, bidirectional and invisible characters "
            "appear as \\x or \\u{} escapes. Times are UTC.");
}

int report_write_doc(struct report *r, FILE *f, bool html)
{
    struct rw w = {.f = f, .html = html};
    if (html)
        html_begin(f, "Sentinel audit report");
    header(&w, r);
    summary(&w, r);
    integrity(&w, r);
    sessions(&w, r);
    activity(&w, r);
    rules(&w, r);
    flow(&w, r);
    controls(&w, r);
    appendix(&w, r);
    if (html)
        html_end(f);
    return ferror(f) ? -EIO : 0;
}
