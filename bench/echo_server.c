/*
 * echo_server.c - the fastest honest MCP server we can write, so that the benchmark measures
 * the proxy and not the server. Newline-delimited JSON-RPC on fds 0/1, single-threaded, one
 * write per batch of replies; blob results leave through writev straight from a pattern buffer.
 * It trusts the load generator's input format and must never be used as a real server.
 */
#include "jscan.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define READ_MIN (64 * 1024)         /* free space kept for each read() */
#define MAX_LINE (64u * 1024 * 1024) /* a longer request is a fatal error */
#define MAX_BLOB (512u * 1024 * 1024)
#define FLUSH_AT (1024 * 1024) /* flush the reply buffer once it holds this much */

struct server {
    char *in;
    size_t in_start; /* first unconsumed byte */
    size_t in_len;   /* end of valid bytes */
    size_t in_cap;
    size_t scanned; /* bytes after in_start already searched for '\n' */
    char *out;
    size_t out_len;
    size_t out_cap;
    char *pattern; /* 'a'..'z' repeated, pattern_len bytes */
    size_t pattern_len;
};

static const char INIT_RESULT[] =
    "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}},"
    "\"serverInfo\":{\"name\":\"sentinel-bench-echo\",\"version\":\"0.1.0\"}}";

static const char TOOLS_RESULT[] =
    "{\"tools\":[{\"name\":\"echo\",\"description\":\"Returns the text argument unchanged.\","
    "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},"
    "\"required\":[\"text\"]}},"
    "{\"name\":\"blob\",\"description\":\"Returns size bytes of ASCII text (a..z repeated).\","
    "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"size\":{\"type\":\"integer\","
    "\"minimum\":0}},\"required\":[\"size\"]}}]}";

static int write_all(int fd, struct iovec *iov, int cnt)
{
    while (cnt > 0) {
        ssize_t n = writev(fd, iov, cnt);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) { /* a non-blocking stdout (Node's socketpairs): wait */
                struct pollfd pfd = {.fd = fd, .events = POLLOUT};
                (void)poll(&pfd, 1, -1);
                continue;
            }
            return -errno;
        }
        while (cnt > 0 && (size_t)n >= iov->iov_len) {
            n -= (ssize_t)iov->iov_len;
            iov++;
            cnt--;
        }
        if (cnt > 0) {
            iov->iov_base = (char *)iov->iov_base + n;
            iov->iov_len -= (size_t)n;
        }
    }
    return 0;
}

static int flush_out(struct server *s)
{
    struct iovec iov = {.iov_base = s->out, .iov_len = s->out_len};
    int rc;

    if (s->out_len == 0)
        return 0;
    rc = write_all(STDOUT_FILENO, &iov, 1);
    s->out_len = 0;
    return rc;
}

static int out_append(struct server *s, const void *p, size_t n)
{
    if (s->out_cap - s->out_len < n) {
        size_t cap = s->out_cap ? s->out_cap : 64 * 1024;
        char *nb;

        while (cap - s->out_len < n)
            cap *= 2;
        nb = realloc(s->out, cap);
        if (!nb)
            return -ENOMEM;
        s->out = nb;
        s->out_cap = cap;
    }
    memcpy(s->out + s->out_len, p, n);
    s->out_len += n;
    return 0;
}

static int out_str(struct server *s, const char *str)
{
    return out_append(s, str, strlen(str));
}

/* Start a reply: `{"jsonrpc":"2.0","id":<id raw>,` */
static int reply_head(struct server *s, struct jspan id)
{
    int rc = out_str(s, "{\"jsonrpc\":\"2.0\",\"id\":");

    if (!rc)
        rc = out_append(s, id.p, id.n);
    if (!rc)
        rc = out_str(s, ",");
    return rc;
}

static int reply_result(struct server *s, struct jspan id, const char *result)
{
    int rc = reply_head(s, id);

    if (!rc)
        rc = out_str(s, "\"result\":");
    if (!rc)
        rc = out_str(s, result);
    if (!rc)
        rc = out_str(s, "}\n");
    return rc;
}

static int reply_error(struct server *s, struct jspan id, const char *code_and_message)
{
    int rc = reply_head(s, id);

    if (!rc)
        rc = out_str(s, "\"error\":{");
    if (!rc)
        rc = out_str(s, code_and_message);
    if (!rc)
        rc = out_str(s, "}}\n");
    return rc;
}

static int ensure_pattern(struct server *s, size_t n)
{
    char *p;

    if (s->pattern_len >= n)
        return 0;
    p = realloc(s->pattern, n);
    if (!p)
        return -ENOMEM;
    for (size_t i = s->pattern_len; i < n; i++)
        p[i] = (char)('a' + i % 26);
    s->pattern = p;
    s->pattern_len = n;
    return 0;
}

/* The blob body goes out by writev from the pattern buffer: no copy of the payload. */
static int reply_blob(struct server *s, struct jspan id, size_t size)
{
    static const char tail[] = "\"}]}}\n";
    struct iovec iov[3];
    int rc;

    rc = ensure_pattern(s, size);
    if (!rc)
        rc = reply_head(s, id);
    if (!rc)
        rc = out_str(s, "\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"");
    if (rc)
        return rc;
    iov[0] = (struct iovec){.iov_base = s->out, .iov_len = s->out_len};
    iov[1] = (struct iovec){.iov_base = s->pattern, .iov_len = size};
    iov[2] = (struct iovec){.iov_base = (void *)tail, .iov_len = sizeof(tail) - 1};
    rc = write_all(STDOUT_FILENO, iov, 3);
    s->out_len = 0;
    return rc;
}

static int handle_call(struct server *s, struct jspan id, struct jspan params)
{
    struct jspan name, args, text, size;
    uint64_t n;
    int rc;

    if (js_get(params, "name", &name) || js_get(params, "arguments", &args) || !js_is_object(args))
        return reply_error(s, id, "\"code\":-32602,\"message\":\"name and arguments required\"");
    if (js_str_is(name, "echo")) {
        if (js_get(args, "text", &text) || !js_is_string(text))
            return reply_error(s, id, "\"code\":-32602,\"message\":\"text must be a string\"");
        rc = reply_head(s, id);
        if (!rc)
            rc = out_str(s, "\"result\":{\"content\":[{\"type\":\"text\",\"text\":");
        if (!rc)
            rc = out_append(s, text.p, text.n);
        if (!rc)
            rc = out_str(s, "}]}}\n");
        return rc;
    }
    if (js_str_is(name, "blob")) {
        if (js_get(args, "size", &size) || js_u64(size, &n) || n > MAX_BLOB)
            return reply_error(s, id, "\"code\":-32602,\"message\":\"bad size\"");
        return reply_blob(s, id, (size_t)n);
    }
    return reply_error(s, id, "\"code\":-32602,\"message\":\"unknown tool\"");
}

static int handle_line(struct server *s, const char *line, size_t len)
{
    static const struct jspan null_id = {.p = "null", .n = 4};
    struct jspan msg, id, method, params;

    if (js_value(line, len, &msg) || !js_is_object(msg))
        return reply_error(s, null_id, "\"code\":-32700,\"message\":\"parse error\"");
    if (js_get(msg, "method", &method))
        return 0; /* a response to a request we never sent: ignore */
    if (js_get(msg, "id", &id))
        return 0; /* notifications get no reply */
    if (js_str_is(method, "tools/call")) {
        if (js_get(msg, "params", &params) || !js_is_object(params))
            return reply_error(s, id, "\"code\":-32602,\"message\":\"params required\"");
        return handle_call(s, id, params);
    }
    if (js_str_is(method, "ping"))
        return reply_result(s, id, "{}");
    if (js_str_is(method, "initialize"))
        return reply_result(s, id, INIT_RESULT);
    if (js_str_is(method, "tools/list"))
        return reply_result(s, id, TOOLS_RESULT);
    return reply_error(s, id, "\"code\":-32601,\"message\":\"method not found\"");
}

/* Handle every complete line in the input buffer. */
static int drain_lines(struct server *s)
{
    for (;;) {
        size_t avail = s->in_len - s->in_start;
        char *nl;
        int rc;

        if (avail == s->scanned)
            return 0; /* (and s->in may still be NULL) */
        char *start = s->in + s->in_start;
        nl = memchr(start + s->scanned, '\n', avail - s->scanned);
        if (!nl) {
            s->scanned = avail;
            return 0;
        }
        rc = handle_line(s, start, (size_t)(nl - start));
        if (rc)
            return rc;
        s->in_start += (size_t)(nl - start) + 1;
        s->scanned = 0;
        if (s->out_len >= FLUSH_AT) {
            rc = flush_out(s);
            if (rc)
                return rc;
        }
    }
}

/* Make room for one more read: move the partial line to the front, grow if needed. */
static int make_room(struct server *s)
{
    size_t keep = s->in_len - s->in_start;

    if (s->in_start > 0) {
        memmove(s->in, s->in + s->in_start, keep);
        s->in_start = 0;
        s->in_len = keep;
    }
    if (keep > MAX_LINE)
        return -E2BIG;
    if (s->in_cap - s->in_len < READ_MIN) {
        size_t cap = s->in_cap ? s->in_cap * 2 : 256 * 1024;
        char *nb = realloc(s->in, cap);

        if (!nb)
            return -ENOMEM;
        s->in = nb;
        s->in_cap = cap;
    }
    return 0;
}

static int serve(struct server *s)
{
    for (;;) {
        ssize_t n;
        int rc = drain_lines(s);

        if (!rc)
            rc = flush_out(s);
        if (!rc)
            rc = make_room(s);
        if (rc)
            return rc;
        n = read(STDIN_FILENO, s->in + s->in_len, s->in_cap - s->in_len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return 0;
        s->in_len += (size_t)n;
    }
}

int main(int argc, char **argv)
{
    struct server s = {0};
    int rc;

    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: echo_server  (speaks MCP on stdin/stdout; no options)\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    rc = serve(&s);
    if (rc && rc != -EPIPE)
        fprintf(stderr, "echo_server: %s\n", strerror(-rc));
    free(s.in);
    free(s.out);
    free(s.pattern);
    return rc && rc != -EPIPE ? 1 : 0;
}
