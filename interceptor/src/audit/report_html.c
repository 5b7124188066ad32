/*
 * report_html.c - what is particular to the HTML form of `sentinel report`: one self-contained
 * file (inline CSS and SVG, no script, no external asset; a Content-Security-Policy that would
 * forbid them anyway), the escaper, and the charts. Every string from the log reaches the page
 * through html_text, which turns the five markup characters into entities and shows control,
 * bidirectional and invisible characters (and bytes that are not UTF-8) as visible escapes, so
 * the same function is safe in element text and in quoted attribute values.
 */
#include "audit/report_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void html_text(FILE *f, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x80) {
            i++;
            switch (ch) {
            case '&':
                fputs("&amp;", f);
                break;
            case '<':
                fputs("&lt;", f);
                break;
            case '>':
                fputs("&gt;", f);
                break;
            case '"':
                fputs("&quot;", f);
                break;
            case '\'':
                fputs("&#39;", f);
                break;
            default:
                if (ch < 0x20 || ch == 0x7F)
                    fprintf(f, "\\x%02x", ch);
                else
                    fputc(ch, f);
            }
            continue;
        }
        i += report_put_utf8(f, s + i, n - i);
    }
}

static void ht(FILE *f, const char *s)
{
    html_text(f, s, strlen(s));
}

/* At most max bytes of s, cut at a UTF-8 boundary, escaped, with an ellipsis when cut. */
static void html_short(FILE *f, const char *s, size_t n, size_t max)
{
    if (n <= max) {
        html_text(f, s, n);
        return;
    }
    size_t k = max;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    html_text(f, s, k);
    fputs("…", f);
}

static const char STYLE[] =
    ":root{--allow:#3a9d5d;--redact:#2f8fb0;--approve:#e0a526;--deny:#d64545;"
    "--observe:#9aa0a6;--taint:#8e44ad;--scan:#e67e22;--guard:#c0392b;--ink:#1d232a;"
    "--mute:#5f6b76;--line:#d9dee3}"
    "*{box-sizing:border-box}"
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);"
    "margin:0 auto;max-width:1180px;padding:24px}"
    "h1{font-size:26px;margin:0 0 12px}h2{font-size:20px;margin:32px 0 8px;padding-top:8px;"
    "border-top:2px solid var(--line)}h3{font-size:16px;margin:20px 0 6px}"
    "p{margin:6px 0 10px;max-width:110ch}"
    ".tw{overflow-x:auto;margin:6px 0 14px}"
    "table{border-collapse:collapse;font-size:13px;min-width:40%}"
    "th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;"
    "unicode-bidi:isolate;overflow-wrap:anywhere}"
    "th{background:#f3f5f7;font-weight:600}tbody tr:nth-child(even){background:#fafbfc}"
    ".r{text-align:right;white-space:nowrap}"
    "code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f5f7;"
    "padding:0 3px;border-radius:3px;unicode-bidi:isolate}"
    ".sid{color:var(--mute);font-size:11px;display:block}"
    ".banner{border-radius:6px;padding:12px 16px;margin:0 0 16px;font-size:15px}"
    ".banner.bad{background:#fde8e8;border:2px solid var(--deny);color:#7a1111}"
    ".banner.warn{background:#fff6e0;border:2px solid var(--approve);color:#6b4a00}"
    ".cards{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0 16px}"
    ".card{border:1px solid var(--line);border-left:5px solid var(--mute);border-radius:6px;"
    "padding:8px 12px;min-width:120px}"
    ".card .n{font-size:22px;font-weight:650}.card .l{color:var(--mute);font-size:12px}"
    ".c-allow{border-left-color:var(--allow)}.c-deny{border-left-color:var(--deny)}"
    ".c-approve{border-left-color:var(--approve)}.c-redact{border-left-color:var(--redact)}"
    ".c-observe{border-left-color:var(--observe)}.c-taint{border-left-color:var(--taint)}"
    ".c-scan{border-left-color:var(--scan)}"
    ".st{display:inline-block;border-radius:10px;padding:1px 8px;font-size:12px;"
    "white-space:nowrap;font-weight:600}"
    ".st.act{background:#dff3e6;color:#1e6b3a}.st.sil{background:#eef1f4;color:#44505b}"
    ".st.abs{background:#fff;color:#7b8691;border:1px dashed #b8c0c8}"
    ".st.ne{background:#fde8e8;color:#7a1111}"
    ".chart{margin:8px 0 16px;max-width:100%;height:auto}"
    ".chart text{font:11px system-ui,sans-serif;fill:var(--ink)}"
    ".chart .ax{stroke:#9aa5b1;stroke-width:1}.chart .grid{stroke:#e6e9ec;stroke-width:1}"
    ".chart .mute{fill:var(--mute)}"
    ".f-allow{fill:var(--allow)}.f-redact{fill:var(--redact)}.f-approve{fill:var(--approve)}"
    ".f-deny{fill:var(--deny)}.f-observe{fill:var(--observe)}.f-taint{fill:var(--taint)}"
    ".f-scan{fill:var(--scan)}.f-guard{fill:var(--guard)}"
    ".note{color:var(--mute)}"
    "@media print{body{max-width:none}.tw{overflow:visible}}";

void html_begin(FILE *f, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
          "<meta name=\"referrer\" content=\"no-referrer\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    ht(f, title);
    fputs("</title>\n<style>", f);
    fputs(STYLE, f);
    fputs("</style>\n</head>\n<body>\n", f);
}

void html_end(FILE *f)
{
    fputs("</body>\n</html>\n", f);
}

/* A round upper bound for an axis: 1, 2 or 5 times a power of ten. */
static uint64_t nice_max(uint64_t v)
{
    uint64_t p = 1;
    while (p * 10 <= v && p <= UINT64_MAX / 100)
        p *= 10;
    for (;;) {
        if (v <= p)
            return p;
        if (v <= 2 * p)
            return 2 * p;
        if (p >= 10 && v <= p / 2 * 5)
            return p / 2 * 5;
        if (v <= 5 * p)
            return 5 * p;
        p *= 10;
    }
}

static void legend(FILE *f, double x, double y, const char *cls, const char *label)
{
    fprintf(f,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" class=\"%s\"/>"
            "<text x=\"%.1f\" y=\"%.1f\">",
            x, y - 9, cls, x + 14, y);
    ht(f, label);
    fputs("</text>", f);
}

#define TL_MAX 60

void html_chart_timeline(const struct report *r, FILE *f)
{
    uint64_t(*b)[TS_N] = calloc(TL_MAX, sizeof(*b));
    int64_t start, width;
    size_t n;
    if (b == NULL || !report_timeline(r, TL_MAX, &start, &width, &n, b)) {
        fputs("<p class=\"note\">No timed record to draw.</p>\n", f);
        free(b);
        return;
    }
    static const int stack[] = {TS_ALLOW, TS_REDACT, TS_APPROVE, TS_DENY, TS_OBSERVE};
    static const char *const scls[] = {"f-allow", "f-redact", "f-approve", "f-deny", "f-observe"};
    static const char *const sname[] = {"allowed", "redacted", "held", "denied", "observed"};
    static const int strip[] = {TS_TAINT, TS_SCAN, TS_GUARD};
    static const char *const stcls[] = {"f-taint", "f-scan", "f-guard"};
    static const char *const stname[] = {"taint", "scans", "guards"};
    static const char *const sttitle[] = {
        "taint event(s)", "result(s) with scan findings",
        "guard event(s): pins, schemas, spotlight, invalidation, poisoned definitions"};
    uint64_t max = 0, smax[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        uint64_t s = 0;
        for (int k = 0; k < 5; k++)
            s += b[i][stack[k]];
        if (s > max)
            max = s;
        for (int k = 0; k < 3; k++)
            if (b[i][strip[k]] > smax[k])
                smax[k] = b[i][strip[k]];
    }
    const double W = 960, left = 64, right = 12, top = 28, ph = 180;
    const double pw = W - left - right, bw = pw / (double)n;
    const double strip_top = top + ph + 34, H = strip_top + 3 * 18 + 34;
    uint64_t ymax = nice_max(max ? max : 1);
    char w[32], t0[40], t1[40];
    report_fmt_dur((uint64_t)width, w);
    fprintf(f,
            "<h3 id=\"timeline\">Activity over time</h3>\n<svg class=\"chart\" "
            "role=\"img\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
            "xmlns=\"http://www.w3.org/2000/svg\"><title>",
            W, H, W, H);
    fprintf(f, "Decisions per %s, stacked by effect; guard events below", w);
    fputs("</title>\n", f);
    /* axes and grid */
    for (int k = 0; k <= 4; k++) {
        double y = top + ph - ph * k / 4.0;
        fprintf(f, "<line class=\"%s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>",
                k ? "grid" : "ax", left, W - right, y, y);
        char lab[32];
        report_fmt_n(ymax * (uint64_t)k / 4, lab);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"mute\">%s</text>",
                left - 6, y + 4, lab);
    }
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"mute\">decisions per %s</text>\n", left,
            top - 10, w);
    for (size_t i = 0; i < n; i++) {
        double x = left + bw * (double)i, y = top + ph;
        report_fmt_time(start + (int64_t)i * width, width < 1000000000LL, t0);
        t0[23] = '\0';
        fprintf(f, "<g><title>%s UTC: ", t0);
        for (int k = 0; k < 5; k++)
            fprintf(f, "%s%s %" PRIu64, k ? ", " : "", sname[k], b[i][stack[k]]);
        fputs("</title>", f);
        for (int k = 0; k < 5; k++) {
            uint64_t c = b[i][stack[k]];
            if (c == 0)
                continue;
            double h = ph * (double)c / (double)ymax;
            if (h < 1)
                h = 1;
            y -= h;
            fprintf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" class=\"%s\"/>",
                    x + (bw > 4 ? 0.5 : 0), y, bw > 4 ? bw - 1 : bw, h, scls[k]);
        }
        fputs("</g>\n", f);
    }
    /* time labels: first, middle, end */
    report_fmt_time(start, width < 1000000000LL, t0);
    report_fmt_time(start + (int64_t)n * width, width < 1000000000LL, t1);
    t0[23] = t1[23] = '\0';
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"mute\">%s</text>", left, top + ph + 16, t0);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"mute\">%s UTC</text>\n",
            W - right, top + ph + 16, t1);
    /* guard events: a strip per kind, shaded by count */
    for (int k = 0; k < 3; k++) {
        double y = strip_top + 18.0 * k;
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"mute\">", left - 6,
                y + 10);
        ht(f, stname[k]);
        fputs("</text>", f);
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"#f3f5f7\"/>",
                left, y, pw);
        for (size_t i = 0; i < n; i++) {
            uint64_t c = b[i][strip[k]];
            if (c == 0)
                continue;
            double op = 0.25 + 0.75 * (double)c / (double)(smax[k] ? smax[k] : 1);
            report_fmt_time(start + (int64_t)i * width, width < 1000000000LL, t0);
            t0[23] = '\0';
            fprintf(f,
                    "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"14\" class=\"%s\" "
                    "fill-opacity=\"%.2f\"><title>%s UTC: %" PRIu64 " ",
                    left + bw * (double)i, y, bw < 2 ? 2 : bw, stcls[k], op, t0, c);
            ht(f, sttitle[k]);
            fputs("</title></rect>", f);
        }
        fputs("\n", f);
    }
    static const char *const lcls[] = {"f-allow",   "f-redact", "f-approve", "f-deny",
                                       "f-observe", "f-taint",  "f-scan",    "f-guard"};
    static const char *const lname[] = {"allowed",      "redacted",      "held for approval",
                                        "denied",       "observed only", "taint",
                                        "scan finding", "guard event"};
    double lx = left;
    for (int k = 0; k < 8; k++) {
        legend(f, lx, H - 10, lcls[k], lname[k]);
        lx += 28 + 6.2 * (double)strlen(lname[k]);
    }
    fputs("</svg>\n", f);
    free(b);
}

/* Horizontal bars: one row per label, stacked segments. */
struct hbar {
    const char *label;
    size_t label_len;
    uint64_t seg[5];
};

static void hbars(FILE *f, const char *id, const char *title, const struct hbar *rows, size_t n,
                  const char *const *cls, const char *const *names, int nseg)
{
    uint64_t max = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t s = 0;
        for (int k = 0; k < nseg; k++)
            s += rows[i].seg[k];
        if (s > max)
            max = s;
    }
    const double W = 960, left = 260, right = 80, rowh = 22, top = 8;
    const double H = top + rowh * (double)n + 30;
    fprintf(f,
            "<svg class=\"chart\" id=\"%s\" role=\"img\" viewBox=\"0 0 %.0f %.0f\" "
            "width=\"%.0f\" height=\"%.0f\" xmlns=\"http://www.w3.org/2000/svg\"><title>",
            id, W, H, W, H);
    ht(f, title);
    fputs("</title>\n", f);
    for (size_t i = 0; i < n; i++) {
        double y = top + rowh * (double)i;
        uint64_t tot = 0;
        fputs("<g><title>", f);
        html_text(f, rows[i].label, rows[i].label_len);
        fputs(": ", f);
        for (int k = 0; k < nseg; k++) {
            fprintf(f, "%s%" PRIu64 " ", k ? ", " : "", rows[i].seg[k]);
            ht(f, names[k]);
            tot += rows[i].seg[k];
        }
        fputs("</title>", f);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", left - 8, y + 15);
        html_short(f, rows[i].label, rows[i].label_len, 36);
        fputs("</text>", f);
        double x = left;
        for (int k = 0; k < nseg; k++) {
            uint64_t c = rows[i].seg[k];
            if (c == 0)
                continue;
            double wdt = (W - left - right) * (double)c / (double)(max ? max : 1);
            if (wdt < 1)
                wdt = 1;
            fprintf(f, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"16\" class=\"%s\"/>", x,
                    y + 3, wdt, cls[k]);
            x += wdt;
        }
        char lab[32];
        report_fmt_n(tot, lab);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"mute\">%s</text></g>\n", x + 6, y + 15,
                lab);
    }
    double lx = left, ly = H - 8;
    for (int k = 0; k < nseg; k++) {
        legend(f, lx, ly, cls[k], names[k]);
        lx += 28 + 6.2 * (double)strlen(names[k]);
    }
    fputs("</svg>\n", f);
}

#define TOP_N 15

void html_chart_tools(const struct report *r, FILE *f)
{
    size_t *idx;
    size_t n = report_top(&r->tools, ract_calls, TOP_N, &idx);
    struct hbar rows[TOP_N];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct ract *a = rtab_row(&r->tools, idx[i]);
        if (a->calls == 0)
            continue;
        rows[k].label = r->tools.key[idx[i]];
        rows[k].label_len = r->tools.klen[idx[i]];
        rows[k].seg[0] = a->allow;
        rows[k].seg[1] = a->redact;
        rows[k].seg[2] = a->approve;
        rows[k].seg[3] = a->deny;
        rows[k].seg[4] = a->observed;
        k++;
    }
    free(idx);
    if (k == 0)
        return;
    static const char *const cls[] = {"f-allow", "f-redact", "f-approve", "f-deny", "f-observe"};
    static const char *const names[] = {"allowed", "redacted", "held", "denied", "observed"};
    hbars(f, "chart-tools", "Top tools by decisions", rows, k, cls, names, 5);
}

void html_chart_rules(const struct report *r, FILE *f)
{
    size_t *idx;
    size_t n = report_top(&r->rules, rrule_count, SIZE_MAX, &idx);
    struct hbar rows[TOP_N];
    size_t k = 0;
    for (size_t i = 0; i < n && k < TOP_N; i++) {
        if (r->rules.key[idx[i]][0] != 'd')
            continue;
        const struct rrule *x = rtab_row(&r->rules, idx[i]);
        rows[k].label = r->rules.key[idx[i]] + 1;
        rows[k].label_len = r->rules.klen[idx[i]] - 1;
        rows[k].seg[0] = x->enforced;
        rows[k].seg[1] = x->observed;
        k++;
    }
    free(idx);
    if (k == 0)
        return;
    static const char *const cls[] = {"f-deny", "f-observe"};
    static const char *const names[] = {"denied", "would deny (observe mode)"};
    fputs("<h3 id=\"denials-chart\">Denials by rule</h3>\n", f);
    hbars(f, "chart-rules", "Denials by rule", rows, k, cls, names, 2);
}

void html_chart_answers(const struct report *r, FILE *f)
{
    if (r->approvals == 0)
        return;
    struct hbar row = {.label = "answers",
                       .label_len = 7,
                       .seg = {r->ans_yes, r->ans_no, r->ans_timeout,
                               r->ans_unavailable + r->ans_cancelled + r->ans_other}};
    static const char *const cls[] = {"f-allow", "f-deny", "f-approve", "f-observe"};
    static const char *const names[] = {"yes", "no", "timeout", "other"};
    hbars(f, "chart-answers", "Approval answers", &row, 1, cls, names, 4);
}
