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
    line[len++] = '\n';
    put(line, len);
}
