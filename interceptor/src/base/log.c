/*
 * log.c - one-line diagnostics on stderr. Each line is formatted into one buffer and
 * written with a single write(2) so it does not interleave with the upstream's stderr.
 *
 * A peer can make the same condition happen a million times (a server printing junk lines,
 * a client flooding bad requests): each kind of message (its format string) prints at most
 * LOG_BURST lines per LOG_WINDOW_S seconds; the rest are counted and reported in one line
 * when the window ends (at the next message of that kind) or at exit. Clients often keep a
 * server's stderr in a file: it must not grow with a hostile peer's output.
 */
#include "base/log.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define LOG_BURST 10
#define LOG_WINDOW_S 10
#define LOG_KINDS 64 /* slots, by format string; a collision only shares a budget */

static enum log_level current = LOG_WARN;

struct kind {
    const char *fmt; /* NULL: free */
    enum log_level level;
    time_t window;   /* start of the current window (monotonic seconds) */
    unsigned shown;  /* lines written in it */
    uint64_t hidden; /* lines suppressed in it */
};

static struct kind kinds[LOG_KINDS];
static pthread_mutex_t kinds_lock = PTHREAD_MUTEX_INITIALIZER;
static bool summary_registered;
static const char *const names[] = {"error", "warning", "info", "debug"};

void log_set_level(enum log_level level)
{
    current = level;
}

enum log_level log_get_level(void)
{
    return current;
}

static void put(const char *line, size_t len)
{
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}

static void say_hidden(const struct kind *k)
{
    char line[256];
    int n = snprintf(line, sizeof(line),
                     "sentinel: %s: %" PRIu64 " more message(s) \"%.80s\" suppressed (at most %d "
                     "every %d s)\n",
                     names[k->level], k->hidden, k->fmt, LOG_BURST, LOG_WINDOW_S);
    if (n > 0 && (size_t)n < sizeof(line))
        put(line, (size_t)n);
}

static void log_summary(void)
{
    pthread_mutex_lock(&kinds_lock);
    for (size_t i = 0; i < LOG_KINDS; i++)
        if (kinds[i].fmt != NULL && kinds[i].hidden > 0) {
            say_hidden(&kinds[i]);
            kinds[i].hidden = 0;
        }
    pthread_mutex_unlock(&kinds_lock);
}

/* May a line of this kind be written now? Reports what its last window hid. */
static bool admit(enum log_level level, const char *fmt)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    uintptr_t h = (uintptr_t)fmt;
    struct kind *k = &kinds[(h ^ (h >> 7) ^ (h >> 13)) % LOG_KINDS];
    bool ok;
    pthread_mutex_lock(&kinds_lock);
    if (k->fmt != fmt || ts.tv_sec - k->window >= LOG_WINDOW_S) {
        if (k->fmt != NULL && k->hidden > 0)
            say_hidden(k);
        k->fmt = fmt;
        k->level = level;
        k->window = ts.tv_sec;
        k->shown = 0;
        k->hidden = 0;
    }
    ok = k->shown < LOG_BURST;
    if (ok) {
        k->shown++;
    } else {
        k->hidden++;
        if (!summary_registered)
            summary_registered = atexit(log_summary) == 0;
    }
    pthread_mutex_unlock(&kinds_lock);
    return ok;
}

/*
 * Bytes of a message that would drive or mislead the terminal: C0 and C1 controls (ESC
 * sequences, line breaks inside a line), DEL, and the code points that reorder or break text
 * (bidi embeddings, overrides and isolates, LRM/RLM/ALM, line and paragraph separators).
 * Whatever text a message quotes, it stays one line that reads as it is.
 */
static size_t unsafe_at(const unsigned char *p, size_t n, uint32_t *cp)
{
    if (p[0] < 0x20 || p[0] == 0x7F) {
        *cp = p[0];
        return 1;
    }
    if (p[0] == 0xC2 && n > 1 && p[1] >= 0x80 && p[1] <= 0x9F) {
        *cp = p[1];
        return 2;
    }
    if (p[0] == 0xD8 && n > 1 && p[1] == 0x9C) { /* U+061C arabic letter mark */
        *cp = 0x61C;
        return 2;
    }
    if (p[0] == 0xE2 && n > 2) {
        uint32_t c = 0x2000u | (uint32_t)(p[1] & 0x3F) << 6 | (uint32_t)(p[2] & 0x3F);
        if ((p[1] == 0x80 || p[1] == 0x81) &&
            ((c >= 0x200E && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
             (c >= 0x2066 && c <= 0x2069))) {
            *cp = c;
            return 3;
        }
    }
    return 0;
}

static size_t sanitise(const char *in, size_t n, char *out, size_t cap)
{
    size_t w = 0;
    for (size_t i = 0; i < n && w + 9 < cap;) {
        uint32_t cp;
        size_t l = unsafe_at((const unsigned char *)in + i, n - i, &cp);
        if (l == 0) {
            out[w++] = in[i++];
            continue;
        }
        w += (size_t)snprintf(out + w, cap - w, cp < 0x100 ? "\\x%02X" : "\\u%04X", cp);
        i += l;
    }
    return w;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    if (level > current || !admit(level, fmt))
        return;
    char line[1024];
    int n = snprintf(line, sizeof(line), "sentinel: %s: ", names[level]);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        m = 0;
    size_t len = (size_t)n + (size_t)m;
    if (len > sizeof(line) - 2)
        len = sizeof(line) - 2;
    char safe[4096];
    size_t sl = sanitise(line, len, safe, sizeof(safe) - 1);
    safe[sl++] = '\n';
    put(safe, sl);
}
