/*
 * loadgen.c - the benchmark's MCP client: spawns a target (the echo server, a relay in front
 * of it, or sentinel in front of it), does the initialize handshake, then measures latency,
 * pipelined throughput or large-result bandwidth, and the target's RSS. Every response is
 * checked (id, result, content); a wrong or missing answer is a failure, never a slow sample.
 */
#include "jscan.h"
#include "spawn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define READ_MIN (256 * 1024)    /* free space offered to each read() */
#define MAX_SAMPLES (1u << 24)   /* latency samples kept */
#define MAX_PAYLOAD (512u << 20) /* largest blob we ask for */
#define EXIT_FAIL 1
#define EXIT_USAGE 2
#define EXIT_TIMEOUT 3

enum mode { MODE_LATENCY, MODE_THROUGHPUT, MODE_PAYLOAD };

struct opts {
    enum mode mode;
    uint64_t calls;
    uint64_t warmup;
    bool warmup_set;
    uint64_t inflight;
    uint64_t size;
    uint64_t text_size;
    uint64_t rss_every;
    uint64_t pipe_size;
    unsigned timeout_s;
    bool string_ids;
    bool fenced; /* results come spotlighted (delimit): check the text inside the fence */
    bool json;
    const char *label;
    char **cmd;
};

/* Bytes from the target; lines are handed out in place and stay valid until the next fill. */
struct rbuf {
    char *buf;
    size_t start, len, cap, scanned;
    size_t limit; /* a longer line is a failure */
};

/* Requests not yet written. */
struct wbuf {
    char *buf;
    size_t off, len, cap;
};

struct lg {
    struct opts o;
    struct child c;
    struct rbuf in;
    struct wbuf out;
    char *pattern; /* the expected blob text */
    char text[4096];
    long rss_idle_kb;
    long rss_end_kb;
    long hwm_kb;
    long *rss_samples;
    size_t n_rss, cap_rss;
    uint64_t cpu0_ns, cpu1_ns; /* the target's CPU time around the measured calls */
    char human[512];           /* the mode's result line, completed with RSS */
    char json[512];            /* the mode's fields for the JSON line */
};

static volatile pid_t g_child_group;

static void on_alarm(int sig)
{
    static const char msg[] = "loadgen: FAIL: timeout, target killed\n";

    (void)sig;
    if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
        /* nothing more we can do */
    }
    if (g_child_group > 0)
        kill(-g_child_group, SIGKILL);
    _exit(EXIT_TIMEOUT);
}

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
    va_list ap;

    fputs("loadgen: FAIL: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -EPROTO;
}

/* Print at most 200 bytes of a line, for failure messages. */
static int fail_line(const char *what, const char *line, size_t len)
{
    return fail("%s: %.*s%s", what, (int)(len > 200 ? 200 : len), line, len > 200 ? "..." : "");
}

/* A field from /proc/<pid>/status in kB, or -1 when the process or field is gone. */
static long proc_kb(pid_t pid, const char *field)
{
    char path[64], buf[4096];
    ssize_t n;
    long kb = -1;
    int fd;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *p = strstr(buf, field);
    if (p)
        kb = strtol(p + strlen(field), NULL, 10);
    return kb;
}

/* CPU time of every thread of pid in ns, from schedstat (ns resolution, unlike stat's ticks). */
static uint64_t proc_cpu_ns(pid_t pid)
{
    char path[64], buf[128];
    struct dirent *e;
    uint64_t sum = 0;
    DIR *d;

    snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
    d = opendir(path);
    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        ssize_t n;
        int fd;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "/proc/%d/task/%.16s/schedstat", (int)pid, e->d_name);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n > 0) {
            buf[n] = '\0';
            sum += strtoull(buf, NULL, 10);
        }
    }
    closedir(d);
    return sum;
}

/* ---- reading lines ---- */

/* Take the next complete line out of the buffer, if there is one. */
static bool next_line(struct rbuf *r, char **line, size_t *len)
{
    size_t avail = r->len - r->start;
    char *nl;

    if (avail == r->scanned)
        return false; /* (and r->buf may still be NULL) */
    char *start = r->buf + r->start;
    nl = memchr(start + r->scanned, '\n', avail - r->scanned);
    if (!nl) {
        r->scanned = avail;
        return false;
    }
    *line = start;
    *len = (size_t)(nl - start);
    r->start += *len + 1;
    r->scanned = 0;
    return true;
}

/* One read(). Bytes read, 0 at end of file, or a negative errno (-EAGAIN when nonblocking). */
static ssize_t fill(struct rbuf *r, int fd)
{
    size_t keep = r->len - r->start;
    ssize_t n;

    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, keep);
        r->start = 0;
        r->len = keep;
    }
    if (keep > r->limit)
        return fail("a response line exceeds %zu bytes", r->limit);
    if (r->cap - r->len < READ_MIN) {
        size_t cap = r->cap ? r->cap * 2 : 1024 * 1024;
        char *nb = realloc(r->buf, cap);

        if (!nb)
            return -ENOMEM;
        r->buf = nb;
        r->cap = cap;
    }
    do {
        n = read(fd, r->buf + r->len, r->cap - r->len);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -errno;
    r->len += (size_t)n;
    return n;
}

/* Block until a complete line is available. */
static int read_line(struct lg *g, char **line, size_t *len)
{
    while (!next_line(&g->in, line, len)) {
        ssize_t n = fill(&g->in, g->c.from);

        if (n == 0)
            return fail("the target closed its stdout (exited?)");
        if (n < 0)
            return n == -EPROTO ? -EPROTO : fail("read: %s", strerror((int)-n));
    }
    return 0;
}

/* ---- writing requests ---- */

static int wbuf_reserve(struct wbuf *w, size_t n)
{
    if (w->off > 0 && w->off == w->len)
        w->off = w->len = 0;
    if (w->cap - w->len >= n)
        return 0;
    size_t cap = w->cap ? w->cap : 64 * 1024;
    while (cap - w->len < n)
        cap *= 2;
    char *nb = realloc(w->buf, cap);
    if (!nb)
        return -ENOMEM;
    w->buf = nb;
    w->cap = cap;
    return 0;
}

__attribute__((format(printf, 2, 3))) static int wbuf_printf(struct wbuf *w, const char *fmt, ...)
{
    va_list ap;
    int n;

    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(w->buf ? w->buf + w->len : NULL, w->cap - w->len, fmt, ap);
        va_end(ap);
        if (n < 0)
            return -EINVAL;
        if ((size_t)n < w->cap - w->len)
            break;
        int rc = wbuf_reserve(w, (size_t)n + 1);
        if (rc)
            return rc;
    }
    w->len += (size_t)n;
    return 0;
}

/* Write pending bytes. Blocking fds: all of them. Nonblocking: what fits now. */
static int flush_out(struct lg *g)
{
    struct wbuf *w = &g->out;

    while (w->off < w->len) {
        ssize_t n = write(g->c.to, w->buf + w->off, w->len - w->off);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return 0;
            return errno == EPIPE ? fail("the target closed its stdin") : -errno;
        }
        w->off += (size_t)n;
    }
    w->off = w->len = 0;
    return 0;
}

static int put_id(struct lg *g, uint64_t id)
{
    if (g->o.string_ids)
        return wbuf_printf(&g->out, "\"r%" PRIu64 "\"", id);
    return wbuf_printf(&g->out, "%" PRIu64, id);
}

/* The echo text for a call: unique per id, only characters every serializer leaves alone. */
static void make_text(struct lg *g, uint64_t id)
{
    int n = snprintf(g->text, sizeof(g->text), "loadgen call %012" PRIu64 " ", id);

    for (size_t i = (size_t)n; i < g->o.text_size; i++)
        g->text[i] = (char)('a' + i % 26);
    g->text[g->o.text_size > (size_t)n ? g->o.text_size : (size_t)n] = '\0';
}

static int put_echo(struct lg *g, uint64_t id)
{
    int rc = wbuf_printf(&g->out, "{\"jsonrpc\":\"2.0\",\"id\":");

    make_text(g, id);
    if (!rc)
        rc = put_id(g, id);
    if (!rc)
        rc = wbuf_printf(&g->out,
                         ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                         "\"arguments\":{\"text\":\"%s\"}}}\n",
                         g->text);
    return rc;
}

static int put_blob(struct lg *g, uint64_t id)
{
    int rc = wbuf_printf(&g->out, "{\"jsonrpc\":\"2.0\",\"id\":");

    if (!rc)
        rc = put_id(g, id);
    if (!rc)
        rc = wbuf_printf(&g->out,
                         ",\"method\":\"tools/call\",\"params\":{\"name\":\"blob\","
                         "\"arguments\":{\"size\":%" PRIu64 "}}}\n",
                         g->o.size);
    return rc;
}

/* ---- checking responses ---- */

static int parse_id(struct lg *g, struct jspan v, uint64_t *id)
{
    if (g->o.string_ids) {
        if (v.n < 4 || v.p[0] != '"' || v.p[1] != 'r' || v.p[v.n - 1] != '"')
            return -EINVAL;
        return js_u64((struct jspan){.p = v.p + 2, .n = v.n - 3}, id);
    }
    return js_u64(v, id);
}

/*
 * Check a line is a successful response and return its id and result.
 * 0, 1 for a notification (to be skipped), or -EPROTO after printing why.
 */
static int check_response(struct lg *g, const char *line, size_t len, uint64_t *id,
                          struct jspan *result)
{
    struct jspan msg, v;

    if (js_value(line, len, &msg) || !js_is_object(msg))
        return fail_line("not a JSON object", line, len);
    if (js_get(msg, "method", &v) == 0) {
        if (js_get(msg, "id", &v) == 0)
            return fail_line("unexpected request from the server", line, len);
        return 1;
    }
    if (js_get(msg, "jsonrpc", &v) || !js_str_is(v, "2.0"))
        return fail_line("missing \"jsonrpc\":\"2.0\"", line, len);
    if (js_get(msg, "error", &v) == 0)
        return fail_line("JSON-RPC error response", line, len);
    if (js_get(msg, "id", &v) || parse_id(g, v, id))
        return fail_line("response without a valid id", line, len);
    if (js_get(msg, "result", result) || !js_is_object(*result))
        return fail_line("response without a result object", line, len);
    return 0;
}

/* The text of result.content[0], which must be a text item; isError must not be true. */
static int result_text(struct jspan result, struct jspan *text)
{
    struct jspan content, item, v;

    if (js_get(result, "isError", &v) == 0 && v.n == 4 && memcmp(v.p, "true", 4) == 0)
        return -EINVAL;
    if (js_get(result, "content", &content) || js_index(content, 0, &item) ||
        js_get(item, "type", &v) || !js_str_is(v, "text") || js_get(item, "text", text) ||
        !js_is_string(*text))
        return -EINVAL;
    return 0;
}

/*
 * With --fenced, the JSON text of a delimit fence around the expected text:
 * "«untrusted:<16 hex>»\n" ... "\n«/untrusted:<16 hex>»" (« and » are 2 bytes of UTF-8, \n two
 * characters of JSON). Strips them from text (quotes included in the span).
 */
#define FENCE_HEAD 32 /* « untrusted: (10) 16 hex » \n */
#define FENCE_TAIL 33 /* \n « /untrusted: (11) 16 hex » */
static int unfence(const struct lg *g, struct jspan *text)
{
    if (!g->o.fenced)
        return 0;
    if (text->n < 2 + FENCE_HEAD + FENCE_TAIL ||
        memcmp(text->p + 1, "\xc2\xabuntrusted:", 12) != 0 ||
        memcmp(text->p + text->n - 1 - FENCE_TAIL, "\\n\xc2\xab/untrusted:", 15) != 0 ||
        memcmp(text->p + 1 + 12, text->p + text->n - 1 - 18, 16) != 0)
        return -EINVAL;
    text->p += FENCE_HEAD;
    text->n -= FENCE_HEAD + FENCE_TAIL;
    return 0;
}

static int check_echo(struct lg *g, uint64_t id, struct jspan result, const char *line, size_t len)
{
    struct jspan text;

    make_text(g, id);
    if (result_text(result, &text))
        return fail_line("echo result does not match the request", line, len);
    if (g->o.fenced) {
        size_t n = strlen(g->text);
        if (unfence(g, &text) || text.n != n + 2 || memcmp(text.p + 1, g->text, n) != 0)
            return fail_line("echo result does not match the request (inside the fence)", line,
                             len);
        return 0;
    }
    if (!js_str_is(text, g->text))
        return fail_line("echo result does not match the request", line, len);
    return 0;
}

static int check_blob(struct lg *g, struct jspan result, const char *line, size_t len)
{
    struct jspan text;

    if (result_text(result, &text) || unfence(g, &text) || text.n != g->o.size + 2 ||
        memcmp(text.p + 1, g->pattern, g->o.size) != 0)
        return fail_line("blob result is not the expected text", line, len);
    return 0;
}

/* Read until the response to `want` arrives, skipping notifications. */
static int await(struct lg *g, uint64_t want, char **line, size_t *len, struct jspan *result)
{
    uint64_t id;

    for (;;) {
        int rc = read_line(g, line, len);

        if (!rc)
            rc = check_response(g, *line, *len, &id, result);
        if (rc < 0)
            return rc;
        if (rc == 1)
            continue;
        if (id != want)
            return fail("response id %" PRIu64 " while waiting for %" PRIu64, id, want);
        return 0;
    }
}

static int sample_rss(struct lg *g, uint64_t calls)
{
    long kb = proc_kb(g->c.pid, "VmRSS:");

    if (g->n_rss == g->cap_rss) {
        size_t cap = g->cap_rss ? g->cap_rss * 2 : 64;
        long *nb = realloc(g->rss_samples, cap * sizeof(*nb));

        if (!nb)
            return -ENOMEM;
        g->rss_samples = nb;
        g->cap_rss = cap;
    }
    g->rss_samples[g->n_rss++] = kb;
    printf("rss calls=%" PRIu64 " rss_kb=%ld\n", calls, kb);
    fflush(stdout);
    return 0;
}

/* ---- the handshake ---- */

static bool has_tool(struct jspan tools, const char *name)
{
    struct jspan t, v;

    for (size_t i = 0; js_index(tools, i, &t) == 0; i++)
        if (js_get(t, "name", &v) == 0 && js_str_is(v, name))
            return true;
    return false;
}

static int handshake(struct lg *g)
{
    struct jspan result, v;
    char *line;
    size_t len;
    int rc;

    rc = wbuf_printf(&g->out, "{\"jsonrpc\":\"2.0\",\"id\":");
    if (!rc)
        rc = put_id(g, 0);
    if (!rc)
        rc = wbuf_printf(&g->out, ",\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                                  "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":"
                                  "\"sentinel-loadgen\",\"version\":\"0.1.0\"}}}\n");
    if (!rc)
        rc = flush_out(g);
    if (!rc)
        rc = await(g, 0, &line, &len, &result);
    if (rc)
        return rc;
    if (js_get(result, "protocolVersion", &v) || !js_str_is(v, "2025-06-18"))
        return fail_line("initialize did not agree on protocolVersion 2025-06-18", line, len);
    rc = wbuf_printf(&g->out, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                              "{\"jsonrpc\":\"2.0\",\"id\":");
    if (!rc)
        rc = put_id(g, 1);
    if (!rc)
        rc = wbuf_printf(&g->out, ",\"method\":\"tools/list\"}\n");
    if (!rc)
        rc = flush_out(g);
    if (!rc)
        rc = await(g, 1, &line, &len, &result);
    if (rc)
        return rc;
    if (js_get(result, "tools", &v) || !has_tool(v, "echo") || !has_tool(v, "blob"))
        return fail_line("tools/list does not offer echo and blob", line, len);
    return 0;
}

/* ---- the three modes ---- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted samples, in microseconds. */
static double pct_us(const uint64_t *s, size_t n, double p)
{
    size_t rank = (size_t)(p * (double)n + 0.999999);

    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return (double)s[rank - 1] / 1000.0;
}

static int run_latency(struct lg *g)
{
    uint64_t total = g->o.warmup + g->o.calls, sum = 0;
    uint64_t *samples = calloc(g->o.calls ? g->o.calls : 1, sizeof(*samples));
    int rc = 0;

    if (!samples)
        return -ENOMEM;
    for (uint64_t i = 0; i < total; i++) {
        uint64_t id = 2 + i, t0, t1;
        struct jspan result;
        char *line;
        size_t len;

        if (i == g->o.warmup)
            g->cpu0_ns = proc_cpu_ns(g->c.pid);
        rc = put_echo(g, id);
        t0 = now_ns();
        if (!rc)
            rc = flush_out(g);
        if (!rc)
            rc = await(g, id, &line, &len, &result);
        t1 = now_ns();
        if (!rc)
            rc = check_echo(g, id, result, line, len);
        if (rc)
            goto out;
        if (i >= g->o.warmup) {
            uint64_t done = i - g->o.warmup + 1;

            samples[i - g->o.warmup] = t1 - t0;
            sum += t1 - t0;
            if (g->o.rss_every && done % g->o.rss_every == 0 && (rc = sample_rss(g, done)))
                goto out;
        }
    }
    g->cpu1_ns = proc_cpu_ns(g->c.pid);
    g->rss_end_kb = proc_kb(g->c.pid, "VmRSS:");
    qsort(samples, g->o.calls, sizeof(*samples), cmp_u64);
    {
        size_t n = g->o.calls;
        double p50 = pct_us(samples, n, 0.50), p99 = pct_us(samples, n, 0.99);
        double p999 = pct_us(samples, n, 0.999), mean = (double)sum / (double)n / 1000.0;
        double mn = (double)samples[0] / 1000.0, mx = (double)samples[n - 1] / 1000.0;

        snprintf(g->human, sizeof(g->human),
                 "%s latency: %zu calls (%" PRIu64 " warm-up), text %" PRIu64
                 " B: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, mean %.1f us, min %.1f us, "
                 "max %.1f us",
                 g->o.label, n, g->o.warmup, g->o.text_size, p50, p99, p999, mean, mn, mx);
        snprintf(g->json, sizeof(g->json),
                 "{\"label\":\"%s\",\"mode\":\"latency\",\"calls\":%zu,\"p50_us\":%.2f,"
                 "\"p99_us\":%.2f,\"p999_us\":%.2f,\"mean_us\":%.2f,\"min_us\":%.2f,"
                 "\"max_us\":%.2f",
                 g->o.label, n, p50, p99, p999, mean, mn, mx);
    }
out:
    free(samples);
    return rc;
}

static int run_throughput(struct lg *g)
{
    uint64_t total = g->o.warmup + g->o.calls, sent = 0, recvd = 0, t0 = 0, t1;
    uint8_t *state = calloc(total ? total : 1, 1); /* 1 sent, 2 answered */
    int rc = 0;

    if (!state)
        return -ENOMEM;
    if (fcntl(g->c.to, F_SETFL, O_NONBLOCK) || fcntl(g->c.from, F_SETFL, O_NONBLOCK)) {
        rc = -errno;
        goto out;
    }
    if (g->o.warmup == 0) {
        g->cpu0_ns = proc_cpu_ns(g->c.pid);
        t0 = now_ns();
    }
    while (recvd < total) {
        struct pollfd pfd[2];
        char *line;
        size_t len;
        ssize_t n;

        while (sent < total && sent - recvd < g->o.inflight) {
            rc = put_echo(g, 2 + sent);
            if (rc)
                goto out;
            state[sent++] = 1;
        }
        rc = flush_out(g);
        if (rc)
            goto out;
        n = fill(&g->in, g->c.from);
        if (n == 0) {
            rc = fail("the target closed its stdout (exited?)");
            goto out;
        }
        if (n == -EAGAIN) {
            pfd[0] = (struct pollfd){.fd = g->c.from, .events = POLLIN};
            pfd[1] =
                (struct pollfd){.fd = g->out.len > g->out.off ? g->c.to : -1, .events = POLLOUT};
            if (poll(pfd, 2, -1) < 0 && errno != EINTR) {
                rc = -errno;
                goto out;
            }
            continue;
        }
        if (n < 0) {
            rc = (int)n;
            goto out;
        }
        while (next_line(&g->in, &line, &len)) {
            struct jspan result;
            uint64_t id;

            rc = check_response(g, line, len, &id, &result);
            if (rc == 1)
                continue;
            if (rc)
                goto out;
            if (id < 2 || id - 2 >= sent || state[id - 2] != 1) {
                rc = fail_line("response to a request not in flight", line, len);
                goto out;
            }
            rc = check_echo(g, id, result, line, len);
            if (rc)
                goto out;
            state[id - 2] = 2;
            recvd++;
            if (recvd == g->o.warmup) {
                g->cpu0_ns = proc_cpu_ns(g->c.pid);
                t0 = now_ns();
            }
            if (recvd > g->o.warmup && g->o.rss_every &&
                (recvd - g->o.warmup) % g->o.rss_every == 0 &&
                (rc = sample_rss(g, recvd - g->o.warmup)))
                goto out;
        }
        rc = 0; /* the last line may have been a skipped notification */
    }
    t1 = now_ns();
    g->cpu1_ns = proc_cpu_ns(g->c.pid);
    g->rss_end_kb = proc_kb(g->c.pid, "VmRSS:");
    {
        double secs = (double)(t1 - t0) / 1e9, rps = (double)g->o.calls / secs;

        snprintf(g->human, sizeof(g->human),
                 "%s throughput: %" PRIu64 " calls (%" PRIu64 " warm-up), %" PRIu64
                 " in flight: %.0f req/s (%.3f s)",
                 g->o.label, g->o.calls, g->o.warmup, g->o.inflight, rps, secs);
        snprintf(g->json, sizeof(g->json),
                 "{\"label\":\"%s\",\"mode\":\"throughput\",\"calls\":%" PRIu64
                 ",\"inflight\":%" PRIu64 ",\"rps\":%.1f,\"seconds\":%.4f",
                 g->o.label, g->o.calls, g->o.inflight, rps, secs);
    }
    /* back to blocking for the shutdown path */
    fcntl(g->c.to, F_SETFL, 0);
    fcntl(g->c.from, F_SETFL, 0);
out:
    free(state);
    return rc;
}

static int run_payload(struct lg *g)
{
    uint64_t total = g->o.warmup + g->o.calls, sum = 0;
    uint64_t *samples = calloc(g->o.calls ? g->o.calls : 1, sizeof(*samples));
    int rc = 0;

    g->pattern = malloc(g->o.size ? g->o.size : 1);
    if (!samples || !g->pattern) {
        rc = -ENOMEM;
        goto out;
    }
    for (uint64_t i = 0; i < g->o.size; i++)
        g->pattern[i] = (char)('a' + i % 26);
    for (uint64_t i = 0; i < total; i++) {
        uint64_t id = 2 + i, t0, t1;
        struct jspan result;
        char *line;
        size_t len;

        if (i == g->o.warmup)
            g->cpu0_ns = proc_cpu_ns(g->c.pid);
        rc = put_blob(g, id);
        t0 = now_ns();
        if (!rc)
            rc = flush_out(g);
        if (!rc)
            rc = await(g, id, &line, &len, &result);
        t1 = now_ns(); /* the full line is in: checking it is not part of the transfer */
        if (!rc)
            rc = check_blob(g, result, line, len);
        if (rc)
            goto out;
        if (i >= g->o.warmup) {
            samples[i - g->o.warmup] = t1 - t0;
            sum += t1 - t0;
        }
    }
    g->cpu1_ns = proc_cpu_ns(g->c.pid);
    g->rss_end_kb = proc_kb(g->c.pid, "VmRSS:");
    qsort(samples, g->o.calls, sizeof(*samples), cmp_u64);
    {
        size_t n = g->o.calls;
        double secs = (double)sum / 1e9;
        double mbs = (double)g->o.size * (double)n / secs / 1e6;
        double p50_ms = pct_us(samples, n, 0.5) / 1000.0, min_ms = (double)samples[0] / 1e6;

        snprintf(g->human, sizeof(g->human),
                 "%s payload: %zu x %" PRIu64 " B results (%" PRIu64
                 " warm-up): %.1f MB/s, per call p50 %.2f ms, min %.2f ms",
                 g->o.label, n, g->o.size, g->o.warmup, mbs, p50_ms, min_ms);
        snprintf(g->json, sizeof(g->json),
                 "{\"label\":\"%s\",\"mode\":\"payload\",\"size\":%" PRIu64 ",\"reps\":%zu,"
                 "\"mb_s\":%.1f,\"p50_ms\":%.3f,\"min_ms\":%.3f",
                 g->o.label, g->o.size, n, mbs, p50_ms, min_ms);
    }
out:
    free(samples);
    return rc;
}

/* Close the target's stdin; it must exit cleanly and say nothing more. */
static int finish(struct lg *g)
{
    int status = 0, rc = 0;
    char *line;
    size_t len;

    close(g->c.to);
    g->c.to = -1;
    for (;;) {
        ssize_t n = fill(&g->in, g->c.from);

        while (next_line(&g->in, &line, &len)) {
            struct jspan msg, v;

            if (len == 0 || rc)
                continue;
            if (js_value(line, len, &msg) || js_get(msg, "method", &v) == 0 ||
                js_get(msg, "id", &v) == 0) /* notifications are fine; nothing else is */
                rc = fail_line("unexpected message after the last response", line, len);
        }
        if (n <= 0)
            break;
    }
    close(g->c.from);
    g->c.from = -1;
    int w = spawn_wait(&g->c, &status, 10000, true);
    g->c.pid = -1;
    if (w == -ETIMEDOUT)
        return fail("the target did not exit within 10 s of its stdin closing");
    if (w)
        return fail("waitpid: %s", strerror(-w));
    if (WIFSIGNALED(status))
        return fail("the target died of signal %d", WTERMSIG(status));
    if (WEXITSTATUS(status) != 0)
        return fail("the target exited with status %d", WEXITSTATUS(status));
    return rc;
}

/* ---- arguments ---- */

static void usage(void)
{
    fprintf(stderr, "usage: loadgen --mode latency|throughput|payload [options] -- CMD [ARGS...]\n"
                    "  --calls N        measured calls (payload: repetitions)\n"
                    "  --warmup N       uncounted calls first (latency 2000, throughput calls/10\n"
                    "                   up to 20000, payload 1)\n"
                    "  --inflight K     requests kept in flight, throughput mode (64)\n"
                    "  --size BYTES     blob result size, payload mode (1048576)\n"
                    "  --text-size B    echo text length (100)\n"
                    "  --string-ids     use string ids (\"r123\") instead of integers\n"
                    "  --rss-every M    print the target's RSS every M measured calls\n"
                    "  --pipe-size B    F_SETPIPE_SZ on both pipes to the target (kernel default)\n"
                    "  --timeout S      kill the target and fail after S seconds (600)\n"
                    "  --label NAME     name printed with the results (target)\n"
                    "  --json           also print one JSON object line\n");
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;

    if (!s || *s < '0' || *s > '9')
        return -EINVAL;
    errno = 0;
    *out = strtoull(s, &end, 10);
    if (errno || *end)
        return -EINVAL;
    return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    uint64_t v;
    int i;

    *o = (struct opts){.mode = MODE_LATENCY,
                       .inflight = 64,
                       .size = 1024 * 1024,
                       .text_size = 100,
                       .timeout_s = 600,
                       .label = "target"};
    bool calls_set = false;
    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--json") == 0) {
            o->json = true;
            continue;
        }
        if (strcmp(a, "--string-ids") == 0) {
            o->string_ids = true;
            continue;
        }
        if (strcmp(a, "--fenced") == 0) {
            o->fenced = true;
            continue;
        }
        if (!val)
            return -EINVAL;
        i++;
        if (strcmp(a, "--mode") == 0) {
            if (strcmp(val, "latency") == 0)
                o->mode = MODE_LATENCY;
            else if (strcmp(val, "throughput") == 0)
                o->mode = MODE_THROUGHPUT;
            else if (strcmp(val, "payload") == 0)
                o->mode = MODE_PAYLOAD;
            else
                return -EINVAL;
        } else if (strcmp(a, "--label") == 0) {
            o->label = val;
        } else if (parse_u64(val, &v)) {
            return -EINVAL;
        } else if (strcmp(a, "--calls") == 0) {
            o->calls = v;
            calls_set = true;
        } else if (strcmp(a, "--warmup") == 0) {
            o->warmup = v;
            o->warmup_set = true;
        } else if (strcmp(a, "--inflight") == 0) {
            o->inflight = v;
        } else if (strcmp(a, "--size") == 0) {
            o->size = v;
        } else if (strcmp(a, "--text-size") == 0) {
            o->text_size = v;
        } else if (strcmp(a, "--pipe-size") == 0 && v <= (1u << 30)) {
            o->pipe_size = v;
        } else if (strcmp(a, "--rss-every") == 0) {
            o->rss_every = v;
        } else if (strcmp(a, "--timeout") == 0 && v > 0 && v < 86400) {
            o->timeout_s = (unsigned)v;
        } else {
            return -EINVAL;
        }
    }
    if (i + 1 >= argc)
        return -EINVAL;
    o->cmd = argv + i + 1;
    if (!calls_set)
        o->calls = o->mode == MODE_LATENCY ? 20000 : o->mode == MODE_THROUGHPUT ? 200000 : 20;
    if (!o->warmup_set)
        o->warmup = o->mode == MODE_LATENCY      ? 2000
                    : o->mode == MODE_THROUGHPUT ? (o->calls / 10 < 20000 ? o->calls / 10 : 20000)
                                                 : 1;
    if (o->calls == 0 || o->inflight == 0 || o->size > MAX_PAYLOAD || o->text_size > 3000 ||
        (o->mode != MODE_THROUGHPUT && o->calls > MAX_SAMPLES))
        return -EINVAL;
    if (strlen(o->label) > 64)
        return -EINVAL;
    for (const char *p = o->label; *p; p++)
        if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
            return -EINVAL;
    return 0;
}

int main(int argc, char **argv)
{
    struct lg g = {0};
    int rc, ret = EXIT_FAIL;

    if (parse_args(argc, argv, &g.o)) {
        usage();
        return EXIT_USAGE;
    }
    g.in.limit = (size_t)g.o.size + 64 * 1024 * 1024;
    g.c.pid = -1;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGALRM, on_alarm);
    alarm(g.o.timeout_s);
    rc = spawn_child(&g.c, g.o.cmd, true);
    if (rc) {
        rc = fail("cannot start %s: %s", g.o.cmd[0], strerror(-rc));
        goto out;
    }
    g_child_group = g.c.pid;
    if (g.o.pipe_size && (fcntl(g.c.to, F_SETPIPE_SZ, (int)g.o.pipe_size) < 0 ||
                          fcntl(g.c.from, F_SETPIPE_SZ, (int)g.o.pipe_size) < 0)) {
        rc = fail("F_SETPIPE_SZ %" PRIu64 ": %s", g.o.pipe_size, strerror(errno));
        goto out;
    }
    rc = handshake(&g);
    if (rc)
        goto out;
    g.rss_idle_kb = proc_kb(g.c.pid, "VmRSS:");
    if (g.o.mode == MODE_LATENCY)
        rc = run_latency(&g);
    else if (g.o.mode == MODE_THROUGHPUT)
        rc = run_throughput(&g);
    else
        rc = run_payload(&g);
    if (rc)
        goto out;
    g.hwm_kb = proc_kb(g.c.pid, "VmHWM:");
    /* the spawned process only: for relay and sentinel that excludes the echo server */
    double cpu_us = g.cpu1_ns > g.cpu0_ns ? (double)(g.cpu1_ns - g.cpu0_ns) / 1000.0 : 0.0;
    cpu_us /= (double)g.o.calls;
    printf("%s; %s: CPU %.2f us/call, rss idle %ld kB, end %ld kB, peak %ld kB\n", g.human,
           g.o.cmd[0], cpu_us, g.rss_idle_kb, g.rss_end_kb, g.hwm_kb);
    if (g.o.json) {
        printf("%s,\"cpu_us_per_call\":%.3f,\"rss_idle_kb\":%ld,\"rss_end_kb\":%ld,"
               "\"rss_peak_kb\":%ld,\"rss_samples_kb\":[",
               g.json, cpu_us, g.rss_idle_kb, g.rss_end_kb, g.hwm_kb);
        for (size_t i = 0; i < g.n_rss; i++)
            printf("%s%ld", i ? "," : "", g.rss_samples[i]);
        printf("]}\n");
    }
    fflush(stdout);
    rc = finish(&g);
    if (rc)
        goto out;
    ret = 0;
out:
    if (rc && rc != -EPROTO)
        fail("%s", strerror(-rc));
    if (g.c.pid > 0) {
        int status;

        if (g.c.to >= 0)
            close(g.c.to);
        spawn_wait(&g.c, &status, 2000, true);
    }
    alarm(0);
    free(g.in.buf);
    free(g.out.buf);
    free(g.pattern);
    free(g.rss_samples);
    return ret;
}
