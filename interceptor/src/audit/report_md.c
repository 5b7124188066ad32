/*
 * report_md.c - what is particular to the Markdown form of `sentinel report`: the escaper for
 * text from the log, and the timeline drawn as text. The escaper leaves no way out of a table
 * cell or into markup: '|' and the emphasis, code and link characters are backslash-escaped,
 * '<' '>' '&' become entities (no raw HTML, no autolinks), "://" and "www." lose their link, and control,
 * bidirectional and invisible characters (and bytes that are not UTF-8) are shown as escapes.
 */
#include "audit/report_int.h"

#include <inttypes.h>
#include <string.h>

size_t report_utf8(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    size_t len;
    uint32_t c, min;
    if ((u[0] & 0xE0) == 0xC0)
        len = 2, c = u[0] & 0x1F, min = 0x80;
    else if ((u[0] & 0xF0) == 0xE0)
        len = 3, c = u[0] & 0x0F, min = 0x800;
    else if ((u[0] & 0xF8) == 0xF0)
        len = 4, c = u[0] & 0x07, min = 0x10000;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

bool report_hidden(uint32_t c)
{
    return (c >= 0x80 && c <= 0x9F) || /* C1 controls */
           c == 0xAD || c == 0x34F ||  /* soft hyphen, combining grapheme joiner */
           c == 0x61C ||               /* arabic letter mark */
           c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5 || c == 0x180E ||
           (c >= 0x200B && c <= 0x200F) || /* zero widths, LRM, RLM */
           (c >= 0x2028 && c <= 0x202E) || /* separators, embeddings, overrides */
           (c >= 0x2060 && c <= 0x206F) || /* word joiner, invisible operators, isolates */
           c == 0x3164 || c == 0xFEFF || c == 0xFFA0 || (c >= 0xFFF9 && c <= 0xFFFB) ||
           (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0000 && c <= 0xE0FFF);
}

size_t report_put_utf8(FILE *f, const char *s, size_t n)
{
    uint32_t cp;
    size_t len = report_utf8(s, n, &cp);
    if (len == 0) {
        fprintf(f, "\\x%02x", (unsigned char)s[0]);
        return 1;
    }
    if (report_hidden(cp))
        fprintf(f, "\\u{%04" PRIX32 "}", cp);
    else
        fwrite(s, 1, len, f);
    return len;
}

void md_text(FILE *f, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x80) {
            i++;
            if (ch < 0x20 || ch == 0x7F) {
                fprintf(f, "\\x%02x", ch);
                continue;
            }
            switch (ch) {
            case '\\':
            case '`':
            case '*':
            case '_':
            case '[':
            case ']':
            case '|':
            case '~':
            case '#':
            case '!':
                fputc('\\', f);
                fputc(ch, f);
                break;
            case '<':
                fputs("&lt;", f);
                break;
            case '>':
                fputs("&gt;", f);
                break;
            case '&':
                fputs("&amp;", f);
                break;
            case ':':
                fputs(i + 1 < n && s[i] == '/' && s[i + 1] == '/' ? "\\:" : ":", f);
                break;
            case '@':
                fputs("\\@", f); /* no e-mail autolinks */
                break;
            case 'w':
            case 'W':
                /* no "www." autolinks (GitHub's extension): the dot escaped */
                if (i + 2 < n && (s[i] | 0x20) == 'w' && (s[i + 1] | 0x20) == 'w' &&
                    s[i + 2] == '.') {
                    fputc(ch, f);
                    fputc(s[i], f);
                    fputc(s[i + 1], f);
                    fputs("\\.", f);
                    i += 3;
                    break;
                }
                fputc(ch, f);
                break;
            default:
                fputc(ch, f);
            }
            continue;
        }
        i += report_put_utf8(f, s + i, n - i);
    }
}

/* The timeline as text: one row per bucket, a bar of the decisions and the guard events. */
void md_timeline(const struct report *r, FILE *f)
{
    uint64_t b[24][TS_N];
    memset(b, 0, sizeof(b));
    int64_t start, width;
    size_t n;
    if (!report_timeline(r, 24, &start, &width, &n, b))
        return;
    uint64_t max = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t s =
            b[i][TS_ALLOW] + b[i][TS_REDACT] + b[i][TS_APPROVE] + b[i][TS_DENY] + b[i][TS_OBSERVE];
        if (s > max)
            max = s;
    }
    char w[32];
    report_fmt_dur((uint64_t)width, w);
    fprintf(f,
            "Decisions over time (UTC, %s per row; = allowed, ~ held or redacted, "
            "# denied, . observed only):\n\n```text\n",
            w);
    for (size_t i = 0; i < n; i++) {
        char t[40];
        report_fmt_time(start + (int64_t)i * width, width < 1000000000LL, t);
        t[23] = '\0'; /* milliseconds at most */
        const uint64_t *c = b[i];
        uint64_t tot = c[TS_ALLOW] + c[TS_REDACT] + c[TS_APPROVE] + c[TS_DENY] + c[TS_OBSERVE];
        unsigned cols = 40;
        unsigned wa = max ? (unsigned)(c[TS_ALLOW] * cols / max) : 0;
        unsigned wh = max ? (unsigned)((c[TS_REDACT] + c[TS_APPROVE]) * cols / max) : 0;
        unsigned wd = max ? (unsigned)(c[TS_DENY] * cols / max) : 0;
        unsigned wo = max ? (unsigned)(c[TS_OBSERVE] * cols / max) : 0;
        /* a non-zero count always shows */
        if (c[TS_DENY] && wd == 0)
            wd = 1;
        if (c[TS_REDACT] + c[TS_APPROVE] && wh == 0)
            wh = 1;
        fprintf(f, "%s  ", t);
        unsigned used = 0;
        for (unsigned k = 0; k < wa; k++, used++)
            fputc('=', f);
        for (unsigned k = 0; k < wh; k++, used++)
            fputc('~', f);
        for (unsigned k = 0; k < wd; k++, used++)
            fputc('#', f);
        for (unsigned k = 0; k < wo; k++, used++)
            fputc('.', f);
        for (; used < cols + 3; used++)
            fputc(' ', f);
        fprintf(f, "%6" PRIu64, tot);
        if (c[TS_DENY])
            fprintf(f, "  denied %" PRIu64, c[TS_DENY]);
        if (c[TS_TAINT])
            fprintf(f, "  taint %" PRIu64, c[TS_TAINT]);
        if (c[TS_SCAN])
            fprintf(f, "  scan %" PRIu64, c[TS_SCAN]);
        if (c[TS_GUARD])
            fprintf(f, "  guard %" PRIu64, c[TS_GUARD]);
        fputc('\n', f);
    }
    fputs("```\n\n", f);
}
