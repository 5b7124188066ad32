/*
 * scan_cmd.c - `sentinel scan -- COMMAND`: start an MCP server, list its tools, prompts and
 * resource templates, and report what looks hostile (poisoned descriptions, invisible text,
 * look-alike names, schemas sentinel cannot enforce, definitions changed since pinned).
 * A synchronous client on poll(2) under one deadline, because the server is untrusted and
 * may stall, flood or ask questions back. It must never call a tool, get a prompt or read a
 * resource, never wait past the deadline, never leave a process behind, and never print
 * the server's bytes raw (everything it sends is escaped to printable ASCII first).
 */
#include "proxy/scan_cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/num.h"
#include "base/err.h"
#include "mcp/frame.h"
#include "mcp/json.h"
#include "mcp/jsonrpc.h"
#include "mcp/schema.h"
#include "proxy/pins.h"
#include "proxy/upstream.h"
#include "scan/detect.h"
#include "scan/fold.h"
#include "scan/unwrap.h"

enum {
    EX_OK = 0,
    EX_FINDINGS = 1,
    EX_USAGE = 64,
    EX_DATAERR = 65,     /* the pin store does not parse */
    EX_UNAVAILABLE = 69, /* the server could not be started */
    EX_SOFTWARE = 70,    /* internal error */
    EX_IOERR = 74,       /* our stdout or the pin store */
    EX_TEMPFAIL = 75,    /* the server misbehaved */
};

#define SCAN_PROTOCOL "2025-06-18"
#define SCAN_VERSION "0.1.0"
#define SCAN_DEFAULT_TIMEOUT 20.0
#define SCAN_DEFAULT_MAX_MESSAGE (64u << 20)
#define SCAN_DEFAULT_MIN_SCORE 50
#define SCAN_MAX_PAGES 1000            /* pages of one listing */
#define SCAN_MAX_CURSOR (64u << 10)    /* bytes of a nextCursor, as JSON */
#define SCAN_MAX_LISTING (256u << 20)  /* bytes of one kind's definitions, in all */
#define SCAN_MAX_SERVER_REQUESTS 10000 /* server->client requests answered */
#define SCAN_OUT_LIMIT (4u << 20)      /* bytes queued for the server's stdin */
#define SCAN_MAX_FINDINGS 64           /* kept per definition (more are counted) */
#define SCAN_HITS_PER_STRING 16
#define SCAN_GRACE_MS 500 /* after closing the server's stdin, before SIGTERM */
#define SCAN_KILL_MS 500  /* after SIGTERM, before SIGKILL */
#define EXCERPT_CONTEXT 24
#define EXCERPT_MAX 96
#define HIDDEN_MAX 256

/* Scores of the findings that do not come from the detector. */
#define SCORE_CHANGED 80
#define SCORE_DUPLICATE 70
#define SCORE_IMITATES 70
#define SCORE_LOOKALIKE 60
#define SCORE_INVALID 60
#define SCORE_SHADOWS 50
#define SCORE_REFUSED 50
#define SCORE_TOO_LARGE 50
#define SCORE_SCHEMA_INVALID 40
#define SCORE_NO_SCHEMA 30
#define SCORE_SCHEMA_UNSUPPORTED 20

static const struct kind_info {
    const char *label;  /* record kind */
    const char *plural; /* summary key */
    const char *method;
    const char *array;      /* member of the result holding the definitions */
    const char *capability; /* what the server must advertise */
} kinds[PIN_LIST_KINDS] = {
    {"tool", "tools", "tools/list", "tools", "tools"},
    {"prompt", "prompts", "prompts/list", "prompts", "prompts"},
    {"template", "templates", "resources/templates/list", "resourceTemplates", "resources"},
};

static const char *const state_names[] = {"new", "same", "changed", "removed", "refused"};

struct scan_opts {
    char **argv; /* the server's command line */
    const char *pins_path;
    const char *server_id;
    double timeout_s;
    size_t max_message;
    unsigned min_score;
    bool json, record, quiet;
};

/* ---- escaping: nothing the server sent reaches a terminal unescaped ----------------- */

/* One UTF-8 sequence at p[0..n): its length, and the code point or -1 for an invalid byte. */
static size_t utf8_next(const unsigned char *p, size_t n, long *cp)
{
    uint32_t v;
    size_t len = fold_utf8(p, n, &v);
    *cp = len ? (long)v : -1;
    return len ? len : 1;
}

/*
 * For people: printable ASCII stays, '\\' '"' and \n \r \t are escaped C-style, every other
 * code point is written \u{hex} and an invalid byte \xNN. The output is printable ASCII.
 */
static int put_display(struct buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0;) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
            size_t j = i;
            while (j < n && p[j] >= 0x20 && p[j] < 0x7f && p[j] != '\\' && p[j] != '"')
                j++;
            rc = buf_append(b, s + i, j - i);
            i = j;
            continue;
        }
        if (c == '\\' || c == '"') {
            rc = buf_printf(b, "\\%c", c);
            i++;
        } else if (c == '\n' || c == '\r' || c == '\t') {
            rc = buf_printf(b, "\\%c", c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
            i++;
        } else {
            long cp;
            size_t len = utf8_next(p + i, n - i, &cp);
            rc = cp < 0 ? buf_printf(b, "\\x%02x", c) : buf_printf(b, "\\u{%lx}", cp);
            i += len;
        }
    }
    return rc;
}

/* For programs: a JSON string in quotes, ASCII only (\uXXXX, surrogate pairs above BMP). */
static int put_json(struct buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    int rc = buf_putc(b, '"');
    for (size_t i = 0; i < n && rc == 0;) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
            size_t j = i;
            while (j < n && p[j] >= 0x20 && p[j] < 0x7f && p[j] != '\\' && p[j] != '"')
                j++;
            rc = buf_append(b, s + i, j - i);
            i = j;
            continue;
        }
        long cp;
        size_t len = utf8_next(p + i, n - i, &cp);
        i += len;
        if (cp == '\\' || cp == '"')
            rc = buf_printf(b, "\\%c", (int)cp);
        else if (cp == '\n')
            rc = buf_append(b, "\\n", 2);
        else if (cp == '\r')
            rc = buf_append(b, "\\r", 2);
        else if (cp == '\t')
            rc = buf_append(b, "\\t", 2);
        else if (cp < 0)
            rc = buf_append(b, "\\ufffd", 6);
        else if (cp >= 0x10000)
            rc = buf_printf(b, "\\u%04lx\\u%04lx", 0xd800 + ((cp - 0x10000) >> 10),
                            0xdc00 + ((cp - 0x10000) & 0x3ff));
        else
            rc = buf_printf(b, "\\u%04lx", cp);
    }
    return rc < 0 ? rc : buf_putc(b, '"');
}

static int put_jsonz(struct buf *b, const char *s)
{
    return s ? put_json(b, s, strlen(s)) : buf_append(b, "null", 4);
}

/* Our own message, which may quote the server: printable ASCII on stderr, rest escaped. */
static void print_safe(FILE *f, const char *prefix, const char *msg)
{
    fputs(prefix, f);
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
        if (*p >= 0x20 && *p < 0x7f)
            fputc(*p, f);
        else
            fprintf(f, "\\x%02x", *p);
    }
    fputc('\n', f);
}

/* ---- findings ------------------------------------------------------------------------ */

struct finding {
    const char *family, *kind; /* static strings */
    unsigned score;
    char *field;   /* JSON pointer into the definition, raw bytes (owned) */
    char *excerpt; /* display-escaped, printable ASCII (owned) */
    char *hidden;  /* decoded hidden text, display-escaped, or NULL (owned) */
    size_t order;
};

struct findings {
    struct finding *v;
    size_t n, cap;
    size_t dropped; /* beyond SCAN_MAX_FINDINGS */
    unsigned dropped_max;
};

static void findings_reset(struct findings *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        free(fs->v[i].field);
        free(fs->v[i].excerpt);
        free(fs->v[i].hidden);
    }
    fs->n = fs->dropped = 0;
    fs->dropped_max = 0;
}

static void findings_free(struct findings *fs)
{
    findings_reset(fs);
    free(fs->v);
    memset(fs, 0, sizeof(*fs));
}

static char *dup_bytes(const char *p, size_t n)
{
    char *s = malloc(n + 1);
    if (s != NULL) {
        if (n)
            memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

/* Record a finding. field is raw (n bytes); excerpt and hidden are escaped text or NULL. */
static int add_finding(struct findings *fs, const char *family, const char *kind, unsigned score,
                       const char *field, size_t field_len, const char *excerpt, const char *hidden)
{
    if (fs->n >= SCAN_MAX_FINDINGS) {
        fs->dropped++;
        if (score > fs->dropped_max)
            fs->dropped_max = score;
        return 0;
    }
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 8;
        struct finding *v = realloc(fs->v, cap * sizeof(*v));
        if (v == NULL)
            return -ENOMEM;
        fs->v = v;
        fs->cap = cap;
    }
    struct finding *f = &fs->v[fs->n];
    memset(f, 0, sizeof(*f));
    f->family = family;
    f->kind = kind;
    f->score = score;
    f->order = fs->n;
    f->field = dup_bytes(field, field_len);
    f->excerpt = dup_bytes(excerpt ? excerpt : "", excerpt ? strlen(excerpt) : 0);
    f->hidden = hidden ? dup_bytes(hidden, strlen(hidden)) : NULL;
    if (f->field == NULL || f->excerpt == NULL || (hidden && f->hidden == NULL)) {
        free(f->field);
        free(f->excerpt);
        free(f->hidden);
        return -ENOMEM;
    }
    fs->n++;
    return 0;
}

static int by_score(const void *a, const void *b)
{
    const struct finding *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* ---- the client: one server, one deadline ------------------------------------------- */

struct client {
    struct upstream up;
    bool spawned;
    int err_fd;   /* read end of the server's stderr, -1 when none */
    bool err_bol; /* the next stderr byte starts a line */
    bool quiet;
    struct framer fr;
    struct json_doc doc;  /* each incoming message, indexed shallowly */
    struct json_doc rdoc; /* the awaited response, parsed again as its caller needs */
    struct buf scratch;   /* method names */
    struct buf out;       /* bytes owed to the server's stdin */
    struct buf resp;      /* the awaited response line, copied out of the framer */
    bool resp_error;      /* it is an error response */
    int64_t deadline;     /* CLOCK_MONOTONIC milliseconds */
    double timeout_s;
    int64_t next_id;
    bool eof;
    unsigned server_requests;
    char why[512]; /* what went wrong (75, 70) */
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int set_why(struct client *c, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int set_why(struct client *c, int status, const char *fmt, ...)
{
    if (c->why[0] == '\0') {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->why, sizeof(c->why), fmt, ap);
        va_end(ap);
    }
    return status;
}
#define misbehaved(c, ...) set_why((c), EX_TEMPFAIL, __VA_ARGS__)
#define internal(c, ...) set_why((c), EX_SOFTWARE, __VA_ARGS__)

/* Copy the server's stderr to ours, escaped, each line prefixed "[server] ". */
static void relay_stderr(struct client *c, const char *p, size_t n)
{
    if (c->quiet)
        return;
    char out[4096 * 4 + 64];
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (c->err_bol) {
            memcpy(out + o, "[server] ", 9);
            o += 9;
            c->err_bol = false;
        }
        if (ch == '\n') {
            out[o++] = '\n';
            c->err_bol = true;
        } else if (ch == '\t' || (ch >= 0x20 && ch < 0x7f)) {
            out[o++] = (char)ch;
        } else {
            static const char hex[] = "0123456789abcdef";
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[ch >> 4];
            out[o++] = hex[ch & 15];
        }
        if (o > sizeof(out) - 16) {
            fwrite(out, 1, o, stderr);
            o = 0;
        }
    }
    fwrite(out, 1, o, stderr);
}

/* Read what the server wrote to stderr without blocking. At EOF the descriptor is closed. */
static void drain_stderr(struct client *c)
{
    for (int i = 0; c->err_fd >= 0 && i < 64; i++) {
        char b[4096];
        ssize_t r = read(c->err_fd, b, sizeof(b));
        if (r > 0) {
            relay_stderr(c, b, (size_t)r);
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            close(c->err_fd);
            c->err_fd = -1;
        }
        break;
    }
}

static void set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/*
 * Start the server with its stderr on a pipe of ours (so it can be escaped): fd 2 is
 * pointed at the pipe only around upstream_spawn, which hands the child our fd 2.
 * The scan is single-threaded, so nothing else writes to fd 2 meanwhile.
 */
static int spawn_server(struct client *c, char **argv)
{
    char err[512] = "";
    int pfd[2];
    int saved = -1;
    bool piped = pipe2(pfd, O_CLOEXEC) == 0;
    if (piped) {
        fflush(stderr);
        saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
        if (saved < 0 || dup2(pfd[1], STDERR_FILENO) < 0) {
            if (saved >= 0)
                close(saved);
            close(pfd[0]);
            close(pfd[1]);
            piped = false; /* the server's stderr stays ours, unescaped */
        }
    }
    int rc = upstream_spawn(&c->up, argv, err, sizeof(err));
    if (piped) {
        dup2(saved, STDERR_FILENO);
        close(saved);
        close(pfd[1]);
        if (rc == 0) {
            c->err_fd = pfd[0];
            set_nonblock(c->err_fd);
        } else {
            close(pfd[0]);
        }
    }
    if (rc < 0) {
        print_safe(stderr, "sentinel scan: ", err[0] ? err : "cannot start the server");
        return EX_UNAVAILABLE;
    }
    c->spawned = true;
    set_nonblock(c->up.stdin_fd);
    set_nonblock(c->up.stdout_fd);
    return 0;
}

/* Wait up to ms for the server to exit, draining its output. True when it has. */
static bool wait_exit(struct client *c, int ms)
{
    int64_t end = now_ms() + ms;
    for (;;) {
        if (upstream_reap(&c->up))
            return true;
        int64_t left = end - now_ms();
        if (left <= 0)
            return false;
        struct pollfd pf[2] = {{c->err_fd, POLLIN, 0}, {c->up.stdout_fd, POLLIN, 0}};
        poll(pf, 2, left < 10 ? (int)left : 10);
        drain_stderr(c);
        if (c->up.stdout_fd >= 0 && (pf[1].revents & (POLLIN | POLLHUP))) {
            char b[65536]; /* what it still says is discarded, so a blocked write can end */
            ssize_t r = read(c->up.stdout_fd, b, sizeof(b));
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
                close(c->up.stdout_fd);
                c->up.stdout_fd = -1;
            }
        }
    }
}

/* "exited with status 3", "was killed by signal 9", or "" when it still runs. */
static void exit_text(struct client *c, char *out, size_t n)
{
    out[0] = '\0';
    if (!c->up.exited)
        return;
    int st = c->up.status;
    if (WIFEXITED(st))
        snprintf(out, n, "exited with status %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        snprintf(out, n, "was killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
}

/*
 * Stop the server: close its stdin, give it SCAN_GRACE_MS to exit (gently only), then
 * SIGTERM its group and SCAN_KILL_MS later SIGKILL whatever is left, orphans included.
 */
static void stop_server(struct client *c, bool gently)
{
    if (!c->spawned)
        return;
    if (c->up.stdin_fd >= 0) {
        close(c->up.stdin_fd);
        c->up.stdin_fd = -1;
    }
    if (gently && !wait_exit(c, SCAN_GRACE_MS)) {
        upstream_signal(&c->up, SIGTERM);
        wait_exit(c, SCAN_KILL_MS);
    }
    upstream_cleanup(&c->up);
    c->spawned = false;
    /* every writer is gone, so EOF comes at once; bounded all the same */
    int64_t end = now_ms() + SCAN_KILL_MS;
    while (c->err_fd >= 0 && now_ms() < end) {
        struct pollfd pf = {c->err_fd, POLLIN, 0};
        poll(&pf, 1, 50);
        drain_stderr(c);
    }
    if (c->err_fd >= 0) {
        close(c->err_fd);
        c->err_fd = -1;
    }
    if (!c->err_bol && !c->quiet)
        fputc('\n', stderr);
    c->err_bol = true;
}

/* The server stopped talking (EOF or EPIPE) while `what` was awaited. */
static int server_gone(struct client *c, const char *what, const char *how)
{
    char ex[128];
    for (int i = 0; i < 20 && !upstream_reap(&c->up); i++) {
        drain_stderr(c);
        usleep(10000);
    }
    exit_text(c, ex, sizeof(ex));
    if (ex[0])
        return misbehaved(c, "the server %s before answering %s", ex, what);
    return misbehaved(c, "the server %s before answering %s", how, what);
}

/* Answer a server->client request so the server does not stall waiting on us. */
static int answer(struct client *c, const struct rpc_msg *m)
{
    if (c->server_requests >= SCAN_MAX_SERVER_REQUESTS)
        return misbehaved(c, "the server sent more than %d requests", SCAN_MAX_SERVER_REQUESTS);
    c->server_requests++;
    int rc;
#define IS(lit) (m->method_len == sizeof(lit) - 1 && memcmp(m->method, lit, sizeof(lit) - 1) == 0)
    if (IS("ping"))
        rc = buf_printf(&c->out, "{\"jsonrpc\":\"2.0\",\"id\":%.*s,\"result\":{}}\n",
                        (int)m->id.raw_len, m->id.raw);
    else if (IS("roots/list"))
        rc = buf_printf(&c->out, "{\"jsonrpc\":\"2.0\",\"id\":%.*s,\"result\":{\"roots\":[]}}\n",
                        (int)m->id.raw_len, m->id.raw);
    else
        rc = rpc_write_error(&c->out, m->id.raw, m->id.raw_len, RPC_METHOD_NOT_FOUND,
                             "sentinel scan: method not supported", NULL);
#undef IS
    if (rc == -ENOBUFS)
        return misbehaved(c, "the server does not read its input (more than %u bytes owed)",
                          SCAN_OUT_LIMIT);
    return rc < 0 ? internal(c, "out of memory") : 0;
}

/* One line from the server. 0: go on; 1: the awaited response (copied to c->resp); else an
 * exit status. */
static int handle_line(struct client *c, const char *line, size_t len, int64_t want)
{
    struct diag d = {0};
    if (json_parse(&c->doc, line, len, 2, &d) < 0) /* error.code is at depth 2 */
        return misbehaved(c, "the server sent malformed JSON (%s at byte %zu)", d.msg,
                          c->doc.err_off);
    if (c->doc.nodes[0].type != JSON_OBJECT)
        return misbehaved(c, "the server sent JSON that is not a JSON-RPC object");
    struct rpc_msg m;
    buf_reset(&c->scratch);
    if (rpc_classify(&c->doc, 0, &m, &c->scratch, &d) < 0)
        return misbehaved(c, "the server sent an invalid JSON-RPC message (%s)", d.msg);
    switch (m.kind) {
    case RPC_REQUEST:
        return answer(c, &m);
    case RPC_NOTIFICATION:
        return 0; /* logs, progress, list_changed: nothing a scan acts on */
    case RPC_RESULT:
    case RPC_ERROR:
        if (m.id.type != RPC_ID_INT || m.id.num != want)
            return 0; /* not awaited: a late or stray answer */
        buf_reset(&c->resp);
        if (buf_append(&c->resp, line, len) < 0)
            return internal(c, "out of memory");
        c->resp_error = m.kind == RPC_ERROR;
        return 1;
    }
    return 0;
}

/* Exchange bytes with the server until the response to `want` arrives or time is up. */
static int pump(struct client *c, int64_t want, const char *what)
{
    for (;;) {
        const char *line;
        size_t len;
        enum frame_status fs;
        while ((fs = framer_next(&c->fr, &line, &len)) != FRAME_NONE) {
            if (fs == FRAME_TOOBIG)
                return misbehaved(c, "the server sent a message of %zu bytes, over --max-message",
                                  framer_dropped_size(&c->fr));
            int rc = handle_line(c, line, len, want);
            if (rc == 1)
                return 0;
            if (rc != 0)
                return rc;
        }
        if (c->eof)
            return server_gone(c, what, "closed its output");
        int64_t left = c->deadline - now_ms();
        if (left <= 0)
            return misbehaved(c, "no answer to %s within %gs (--timeout)", what, c->timeout_s);
        struct pollfd pf[3] = {
            {c->up.stdout_fd, POLLIN, 0},
            {c->out.len > 0 ? c->up.stdin_fd : -1, POLLOUT, 0},
            {c->err_fd, POLLIN, 0},
        };
        int n = poll(pf, 3, left > 1000 ? 1000 : (int)left);
        if (n < 0 && errno != EINTR)
            return internal(c, "poll: %s", strerror(errno));
        if (n <= 0)
            continue;
        if (pf[2].revents)
            drain_stderr(c);
        if (pf[1].revents) {
            ssize_t w = write(c->up.stdin_fd, c->out.data, c->out.len);
            if (w > 0)
                buf_consume(&c->out, (size_t)w);
            else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                return server_gone(c, what, "closed its input");
        }
        if (pf[0].revents) {
            char *p;
            size_t room;
            if (framer_space(&c->fr, 256 * 1024, &p, &room) < 0)
                return internal(c, "out of memory");
            ssize_t r = read(c->up.stdout_fd, p, room);
            if (r > 0)
                framer_commit(&c->fr, (size_t)r);
            else if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
                c->eof = true;
        }
    }
}

/* Send a request (params: JSON object text or NULL) and wait for its response. */
static int request(struct client *c, const char *method, const char *params, size_t plen)
{
    int64_t id = c->next_id++;
    int rc = buf_printf(&c->out, "{\"jsonrpc\":\"2.0\",\"id\":%" PRId64 ",\"method\":\"%s\"", id,
                        method);
    if (rc == 0 && params != NULL) {
        rc = buf_append(&c->out, ",\"params\":", 10);
        if (rc == 0)
            rc = buf_append(&c->out, params, plen);
    }
    if (rc == 0)
        rc = buf_append(&c->out, "}\n", 2);
    if (rc == -ENOBUFS)
        return misbehaved(c, "the server does not read its input (more than %u bytes owed)",
                          SCAN_OUT_LIMIT);
    if (rc < 0)
        return internal(c, "out of memory");
    return pump(c, id, method);
}

/* "code -32601: Method not found" from an error response in c->rdoc (message escaped). */
static void error_text(struct client *c, uint32_t err, char *out, size_t n)
{
    int64_t code = 0;
    const char *p = NULL;
    size_t len = 0;
    struct buf msg;
    buf_init(&msg, 1024);
    uint32_t cn = err ? json_getz(&c->rdoc, err, "code") : 0;
    uint32_t mn = err ? json_getz(&c->rdoc, err, "message") : 0;
    if (cn != 0 && c->rdoc.nodes[cn].type == JSON_NUMBER)
        json_int(&c->rdoc, cn, &code);
    if (mn != 0 && c->rdoc.nodes[mn].type == JSON_STRING &&
        json_str(&c->rdoc, mn, &c->scratch, &p, &len) == 0)
        put_display(&msg, p, len > 160 ? 160 : len);
    snprintf(out, n, "code %" PRId64 ": %.*s%s", code, (int)msg.len, msg.data ? msg.data : "",
             len > 160 ? "..." : "");
    buf_cleanup(&msg);
}

static int64_t error_code(struct client *c, uint32_t err)
{
    int64_t code = 0;
    uint32_t cn = err ? json_getz(&c->rdoc, err, "code") : 0;
    if (cn != 0 && c->rdoc.nodes[cn].type == JSON_NUMBER)
        json_int(&c->rdoc, cn, &code);
    return code;
}

/* ---- the conversation ---------------------------------------------------------------- */

/* One kind's definitions, as the text {"tools":[def,def,...]} made of the server's spans. */
struct listing {
    struct buf text;
    size_t count;
    bool listed;   /* the server advertised the kind and a listing was attempted */
    bool complete; /* every page arrived */
    bool skipped;  /* resources/templates/list answered "method not found" */
};

struct server_info {
    struct buf init; /* the initialize result's JSON text */
    bool initialized;
    bool advertised[PIN_LIST_KINDS];
    char id[PINS_MAX_ID + 1];
    bool have_id;
};

static int list_kind(struct client *c, enum pin_kind k, struct listing *l)
{
    const struct kind_info *ki = &kinds[k];
    struct buf params, cursor;
    struct diag d = {0};
    int st = 0;
    buf_init(&params, SCAN_MAX_CURSOR + 64);
    buf_init(&cursor, SCAN_MAX_CURSOR);
    l->listed = true;
    if (buf_printf(&l->text, "{\"%s\":[", ki->array) < 0) {
        st = internal(c, "out of memory");
        goto out;
    }
    for (unsigned page = 0;; page++) {
        if (page >= SCAN_MAX_PAGES) {
            st = misbehaved(c, "%s: more than %d pages", ki->method, SCAN_MAX_PAGES);
            goto out;
        }
        buf_reset(&params);
        if (cursor.len > 0 &&
            (buf_append(&params, "{\"cursor\":", 10) < 0 ||
             buf_append(&params, cursor.data, cursor.len) < 0 || buf_putc(&params, '}') < 0)) {
            st = internal(c, "out of memory");
            goto out;
        }
        st = request(c, ki->method, cursor.len ? params.data : NULL, params.len);
        if (st != 0)
            goto out;
        if (json_parse(&c->rdoc, c->resp.data, c->resp.len, 3, &d) < 0 || c->rdoc.truncated) {
            st = misbehaved(c, "%s: the answer is too large to index", ki->method);
            goto out;
        }
        if (c->resp_error) {
            uint32_t err = json_getz(&c->rdoc, 0, "error");
            if (k == PIN_TEMPLATE && page == 0 && error_code(c, err) == RPC_METHOD_NOT_FOUND) {
                l->skipped = true; /* resources without templates: nothing to list */
                goto out;
            }
            char et[256];
            error_text(c, err, et, sizeof(et));
            st = misbehaved(c, "the server answered %s with an error (%s)", ki->method, et);
            goto out;
        }
        uint32_t res = json_getz(&c->rdoc, 0, "result");
        uint32_t arr = res && c->rdoc.nodes[res].type == JSON_OBJECT
                           ? json_get(&c->rdoc, res, ki->array, strlen(ki->array))
                           : 0;
        if (arr == 0 || c->rdoc.nodes[arr].type != JSON_ARRAY) {
            st = misbehaved(c, "the %s result has no \"%s\" array", ki->method, ki->array);
            goto out;
        }
        if (l->count + c->rdoc.nodes[arr].nchild > PINS_MAX_LIST) {
            st = misbehaved(c, "%s: more than %d %s", ki->method, PINS_MAX_LIST, ki->plural);
            goto out;
        }
        for (uint32_t el = json_first(&c->rdoc, arr); el != 0; el = c->rdoc.nodes[el].next) {
            const struct json_node *e = &c->rdoc.nodes[el];
            size_t mark = l->text.len;
            int rc = mark + 1 + (e->end - e->start) > SCAN_MAX_LISTING ? -ENOBUFS : 0;
            if (rc == 0 && l->count > 0)
                rc = buf_putc(&l->text, ',');
            if (rc == 0)
                rc = buf_append(&l->text, c->rdoc.text + e->start, e->end - e->start);
            if (rc < 0)
                l->text.len = mark; /* what was listed so far stays valid JSON */
            if (rc == -ENOBUFS) {
                st = misbehaved(c, "%s: more than %u bytes of definitions", ki->method,
                                SCAN_MAX_LISTING);
                goto out;
            }
            if (rc < 0) {
                st = internal(c, "out of memory");
                goto out;
            }
            l->count++;
        }
        uint32_t nc = json_getz(&c->rdoc, res, "nextCursor");
        if (nc == 0 || c->rdoc.nodes[nc].type == JSON_NULL ||
            (c->rdoc.nodes[nc].type == JSON_STRING &&
             c->rdoc.nodes[nc].end - c->rdoc.nodes[nc].start == 2))
            break; /* no cursor (an empty one too): the last page */
        const struct json_node *cn = &c->rdoc.nodes[nc];
        if (cn->type != JSON_STRING) {
            st = misbehaved(c, "%s: nextCursor is not a string", ki->method);
            goto out;
        }
        size_t clen = cn->end - cn->start;
        if (clen > SCAN_MAX_CURSOR) {
            st = misbehaved(c, "%s: nextCursor longer than %u bytes", ki->method, SCAN_MAX_CURSOR);
            goto out;
        }
        if (clen == cursor.len && memcmp(cursor.data, c->rdoc.text + cn->start, clen) == 0) {
            st = misbehaved(c, "%s: the server repeated its nextCursor", ki->method);
            goto out;
        }
        buf_reset(&cursor);
        if (buf_append(&cursor, c->rdoc.text + cn->start, clen) < 0) {
            st = internal(c, "out of memory");
            goto out;
        }
    }
    l->complete = true;
out:
    buf_cleanup(&params);
    buf_cleanup(&cursor);
    return st;
}

static int converse(struct client *c, const struct scan_opts *o, struct server_info *si,
                    struct listing lists[PIN_LIST_KINDS])
{
    static const char init[] =
        "{\"protocolVersion\":\"" SCAN_PROTOCOL "\",\"capabilities\":{},"
        "\"clientInfo\":{\"name\":\"sentinel-scan\",\"version\":\"" SCAN_VERSION "\"}}";
    struct diag d = {0};
    int st = request(c, "initialize", init, sizeof(init) - 1);
    if (st != 0)
        return st;
    if (json_parse(&c->rdoc, c->resp.data, c->resp.len, 3, &d) < 0)
        return misbehaved(c, "the initialize answer cannot be indexed (%s)", d.msg);
    if (c->resp_error) {
        char et[256];
        error_text(c, json_getz(&c->rdoc, 0, "error"), et, sizeof(et));
        return misbehaved(c, "the server answered initialize with an error (%s)", et);
    }
    uint32_t res = json_getz(&c->rdoc, 0, "result");
    if (res == 0 || c->rdoc.nodes[res].type != JSON_OBJECT)
        return misbehaved(c, "the initialize result is not an object");
    const struct json_node *rn = &c->rdoc.nodes[res];
    if (buf_append(&si->init, c->rdoc.text + rn->start, rn->end - rn->start) < 0)
        return internal(c, "out of memory");
    si->initialized = true;

    uint32_t caps = json_getz(&c->rdoc, res, "capabilities");
    for (int k = 0; k < PIN_LIST_KINDS; k++) {
        uint32_t cap =
            caps && c->rdoc.nodes[caps].type == JSON_OBJECT
                ? json_get(&c->rdoc, caps, kinds[k].capability, strlen(kinds[k].capability))
                : 0;
        /* an object by the spec; anything but null or false is taken as yes */
        si->advertised[k] = cap != 0 && c->rdoc.nodes[cap].type != JSON_NULL &&
                            c->rdoc.nodes[cap].type != JSON_FALSE;
    }
    if (o->server_id != NULL) {
        snprintf(si->id, sizeof(si->id), "%s", o->server_id);
        si->have_id = true;
    } else {
        uint32_t info = json_getz(&c->rdoc, res, "serverInfo");
        uint32_t name =
            info && c->rdoc.nodes[info].type == JSON_OBJECT ? json_getz(&c->rdoc, info, "name") : 0;
        const char *p;
        size_t n;
        if (name != 0 && c->rdoc.nodes[name].type == JSON_STRING &&
            json_str(&c->rdoc, name, &c->scratch, &p, &n) == 0 && n > 0 && n <= PINS_MAX_ID &&
            memchr(p, '\0', n) == NULL) {
            memcpy(si->id, p, n);
            si->id[n] = '\0';
            si->have_id = true;
        }
    }

    static const char initialized[] =
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n";
    if (buf_append(&c->out, initialized, sizeof(initialized) - 1) < 0)
        return internal(c, "out of memory");
    for (int k = 0; k < PIN_LIST_KINDS; k++)
        if (si->advertised[k] && (st = list_kind(c, (enum pin_kind)k, &lists[k])) != 0)
            return st;
    return 0;
}

/* ---- analysis ------------------------------------------------------------------------ */

struct analyzer {
    struct detector *det;
    struct detect_scratch *scr;
    struct json_doc edoc;  /* one definition, fully indexed */
    struct json_doc ldoc;  /* one kind's listing, shallowly */
    struct buf sval, skey; /* unescaped strings */
    struct buf ptr;        /* the JSON pointer being walked */
    struct buf tmp;        /* excerpts */
    struct buf rec;        /* the record being printed */
    struct findings fs;
    const struct scan_opts *o;
    bool compare_pins;
    /* totals */
    size_t defs[PIN_LIST_KINDS];
    size_t nfind, nabove;
    unsigned max_score;
    size_t states[5];
};

/* Escaped excerpt of s[0..n) around the span [off, off+len). */
static int excerpt(struct buf *b, const char *s, size_t n, size_t off, size_t len)
{
    size_t start = off > EXCERPT_CONTEXT ? off - EXCERPT_CONTEXT : 0;
    size_t end = off + (len > EXCERPT_MAX ? EXCERPT_MAX : len) + EXCERPT_CONTEXT;
    if (end > n)
        end = n;
    while (start > 0 && ((unsigned char)s[start] & 0xc0) == 0x80)
        start--;
    while (end < n && ((unsigned char)s[end] & 0xc0) == 0x80)
        end++;
    int rc = start > 0 ? buf_append(b, "...", 3) : 0;
    if (rc == 0)
        rc = put_display(b, s + start, end - start);
    if (rc == 0 && end < n)
        rc = buf_append(b, "...", 3);
    return rc == 0 ? buf_putc(b, '\0') : rc;
}

/* Run the description detectors over one string; field is a->ptr. `reads`: p is the string
 * folded (scan/fold.h), and the excerpt says so. */
static int scan_one(struct analyzer *a, const char *p, size_t n, bool reads)
{
    struct detect_hit hits[SCAN_HITS_PER_STRING];
    size_t nh = 0;
    if (n == 0)
        return 0;
    int rc = detect_scan(a->det, a->scr, p, n, hits, SCAN_HITS_PER_STRING, &nh);
    if (rc < 0)
        return rc;
    if (nh > SCAN_HITS_PER_STRING)
        nh = SCAN_HITS_PER_STRING;
    for (size_t i = 0; i < nh && rc == 0; i++) {
        const struct detect_hit *h = &hits[i];
        char hid[HIDDEN_MAX];
        struct buf hb;
        buf_init(&hb, 8 * HIDDEN_MAX);
        size_t hn = detect_hidden_text(p, n, h, hid, sizeof(hid));
        if (hn > 0) {
            size_t got = hn < sizeof(hid) ? hn : sizeof(hid) - 1;
            rc = put_display(&hb, hid, got);
            if (rc == 0 && got < hn)
                rc = buf_append(&hb, "...", 3);
            if (rc == 0)
                rc = buf_putc(&hb, '\0');
        }
        buf_reset(&a->tmp);
        if (rc == 0 && reads)
            rc = buf_append(&a->tmp, "(reads as) ", 11);
        if (rc == 0) /* a run of invisible characters: a few are enough to see it */
            rc = excerpt(&a->tmp, p, n, h->off,
                         h->family == DETECT_INVISIBLE && h->len > 32 ? 32 : h->len);
        if (rc == 0)
            rc = add_finding(&a->fs, detect_family_name(h->family), detect_kind_name(h->kind),
                             h->score, a->ptr.data ? a->ptr.data : "", a->ptr.len, a->tmp.data,
                             hn > 0 ? hb.data : NULL);
        buf_cleanup(&hb);
    }
    return rc;
}

/* Findings of a reading f[0..fl) of the string whose own findings start at `before`: only
 * kinds the string itself did not show are kept. */
static int scan_reading(struct analyzer *a, const char *f, size_t fl, size_t before)
{
    size_t mid = a->fs.n;
    int rc = scan_one(a, f, fl, true);
    size_t w = mid;
    for (size_t i = mid; i < a->fs.n; i++) {
        struct finding *x = &a->fs.v[i];
        bool dup = false;
        for (size_t k = before; k < mid && !dup; k++)
            dup = strcmp(a->fs.v[k].kind, x->kind) == 0;
        if (dup) {
            free(x->field);
            free(x->excerpt);
            free(x->hidden);
        } else {
            x->order = w;
            a->fs.v[w++] = *x;
        }
    }
    a->fs.n = w;
    return rc;
}

/* The string, as it reads when folding changes it (a Cyrillic 'І' in "<ІMPORTANT>"), with
 * its underscores read as spaces (a property named "ignore_all_previous_instructions"), and
 * its encoded runs decoded: findings of a reading that the string itself did not have are
 * added. */
static int scan_text(struct analyzer *a, const char *p, size_t n)
{
    size_t before = a->fs.n, fl = 0;
    int rc = scan_one(a, p, n, false);
    if (rc < 0 || n == 0)
        return rc;
    char *f = malloc(n);
    if (f == NULL)
        return -ENOMEM;
    if (fold_text(p, n, f, &fl))
        rc = scan_reading(a, f, fl, before);
    if (rc == 0 && memchr(p, '_', n) != NULL) {
        for (size_t i = 0; i < n; i++)
            f[i] = p[i] == '_' ? ' ' : p[i];
        rc = scan_reading(a, f, n, before);
    }
    free(f);
    if (rc < 0)
        return rc;
    /* base64, base32 or hex runs of text: what a model asked to decode them reads */
    struct buf d;
    buf_init(&d, 3 * n + 64); /* (a decoding is at most 2.5 times as long) */
    if ((rc = unwrap(p, n, UNWRAP_RUNS | UNWRAP_LONG | UNWRAP_TEXT, &d)) > 0)
        rc = scan_reading(a, d.data, d.len, before);
    buf_cleanup(&d);
    return rc < 0 ? rc : 0;
}

/* Append "/token" to the pointer, escaping '~' and '/' as RFC 6901 says. */
static int ptr_push(struct buf *ptr, const char *s, size_t n)
{
    int rc = buf_putc(ptr, '/');
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = s[i] == '~'   ? buf_append(ptr, "~0", 2)
             : s[i] == '/' ? buf_append(ptr, "~1", 2)
                           : buf_putc(ptr, s[i]);
    return rc;
}

/* Scan every string value and every member name below `node`. */
static int walk(struct analyzer *a, struct json_doc *doc, uint32_t node)
{
    const struct json_node *nd = &doc->nodes[node];
    const char *p;
    size_t n;
    if (nd->type == JSON_STRING) {
        int rc = json_str(doc, node, &a->sval, &p, &n);
        return rc < 0 ? rc : scan_text(a, p, n);
    }
    if (nd->type != JSON_OBJECT && nd->type != JSON_ARRAY)
        return 0;
    size_t mark = a->ptr.len;
    uint32_t i = 0;
    int rc = 0;
    for (uint32_t ch = json_first(doc, node); ch != 0 && rc == 0; ch = doc->nodes[ch].next, i++) {
        const struct json_node *cn = &doc->nodes[ch];
        a->ptr.len = mark;
        if (nd->type == JSON_OBJECT) {
            p = doc->text + cn->key_start;
            n = cn->key_len;
            if (cn->flags & JSON_F_KEY_ESCAPED) {
                buf_reset(&a->skey);
                if ((rc = json_unescape(p, n, &a->skey)) < 0)
                    break;
                p = a->skey.data;
                n = a->skey.len;
            }
            rc = ptr_push(&a->ptr, p, n);
            if (rc == 0)
                rc = scan_text(a, p, n); /* member names reach the model too */
        } else {
            rc = buf_printf(&a->ptr, "/%u", i);
        }
        if (rc == 0)
            rc = walk(a, doc, ch);
    }
    a->ptr.len = mark;
    return rc;
}

/* Compile one schema of a tool: {"ok":true,"unsupported":[...]} into sj, findings into a->fs. */
static int check_schema(struct analyzer *a, uint32_t node, const char *member, struct buf *sj)
{
    char err[256] = "";
    struct schema *s = NULL;
    int rc = schema_compile(&a->edoc, node, &s, err, sizeof(err));
    char field[32];
    snprintf(field, sizeof(field), "/%s", member);
    buf_reset(&a->tmp);
    if (rc < 0) {
        if (rc == -ENOMEM)
            return rc;
        if (err[0] == '\0')
            snprintf(err, sizeof(err), "%s", err_str(rc));
        /* the reason may quote the schema: escaped like an excerpt, in JSON too */
        int r = put_display(&a->tmp, err, strlen(err));
        if (r == 0)
            r = buf_putc(&a->tmp, '\0');
        if (r == 0)
            r = buf_append(sj, "{\"ok\":false,\"error\":", 20);
        if (r == 0)
            r = put_jsonz(sj, a->tmp.data);
        if (r == 0)
            r = buf_putc(sj, '}');
        if (r == 0)
            r = add_finding(&a->fs, "schema", "schema_invalid", SCORE_SCHEMA_INVALID, field,
                            strlen(field), a->tmp.data, NULL);
        return r;
    }
    const char *const *ptrs = NULL;
    size_t nu = schema_unsupported(s, &ptrs);
    size_t listed = nu < SCHEMA_MAX_UNSUPPORTED ? nu : SCHEMA_MAX_UNSUPPORTED;
    rc = buf_append(sj, "{\"ok\":true,\"unsupported\":[", 26);
    for (size_t i = 0; i < listed && rc == 0; i++) {
        const char *why = schema_unsupported_reason(s, i);
        rc = buf_printf(sj, "%s{\"pointer\":", i ? "," : "");
        if (rc == 0)
            rc = put_jsonz(sj, ptrs[i]);
        if (rc == 0)
            rc = buf_append(sj, ",\"reason\":", 10);
        if (rc == 0)
            rc = put_jsonz(sj, why);
        if (rc == 0)
            rc = buf_putc(sj, '}');
        if (rc == 0 && i < 4) /* the excerpt names the first few */
            rc = buf_printf(&a->tmp, "%s", i ? ", " : "");
        if (rc == 0 && i < 4)
            rc = put_display(&a->tmp, ptrs[i], strlen(ptrs[i]));
        if (rc == 0 && i < 4 && why != NULL) {
            rc = buf_append(&a->tmp, " (", 2);
            if (rc == 0)
                rc = put_display(&a->tmp, why, strlen(why));
            if (rc == 0)
                rc = buf_putc(&a->tmp, ')');
        }
    }
    if (rc == 0)
        rc = buf_printf(sj, "],\"unsupported_count\":%zu}", nu);
    if (rc == 0 && nu > 0) {
        if (nu > 4)
            rc = buf_printf(&a->tmp, " and %zu more", nu - 4);
        if (rc == 0)
            rc = buf_putc(&a->tmp, '\0');
        if (rc == 0)
            rc = add_finding(&a->fs, "schema", "schema_unsupported", SCORE_SCHEMA_UNSUPPORTED,
                             field, strlen(field), a->tmp.data, NULL);
    }
    schema_free(s);
    return rc;
}

/* Findings for what pins_scan_list flagged: duplicates, look-alikes, imitations, changes. */
static int surface_findings(struct analyzer *a, const struct pin_report *rep, size_t idx)
{
    const struct pin_item *it = &rep->items[idx];
    int rc = 0;
    struct buf *t = &a->tmp;
#define NOTE(...) (buf_reset(t), buf_printf(t, __VA_ARGS__))
    if (it->flags & PIN_ITEM_INVALID) {
        rc = add_finding(&a->fs, "surface", "invalid_definition", SCORE_INVALID, "", 0,
                         "not an object with a string name, or not canonicalisable", NULL);
    }
    if (rc == 0 && (it->flags & PIN_ITEM_DUPLICATE))
        rc = add_finding(&a->fs, "surface", "duplicate_name", SCORE_DUPLICATE, "/name", 5,
                         "the name is listed more than once", NULL);
    if (rc == 0 && (it->flags & PIN_ITEM_LOOKALIKE) && it->name != NULL) {
        char sk[256], sk2[256];
        pins_skeleton(it->name, it->name_len, sk, sizeof(sk));
        const struct pin_item *other = NULL;
        for (size_t j = 0; j < rep->count && other == NULL; j++) {
            const struct pin_item *o = &rep->items[j];
            if (j == idx || o->name == NULL || !(o->flags & PIN_ITEM_LOOKALIKE) ||
                o->index == UINT32_MAX)
                continue;
            pins_skeleton(o->name, o->name_len, sk2, sizeof(sk2));
            if (strcmp(sk, sk2) == 0 &&
                (o->name_len != it->name_len || memcmp(o->name, it->name, it->name_len) != 0))
                other = o;
        }
        rc = NOTE("looks like another listed name");
        if (rc == 0 && other != NULL) {
            buf_reset(t);
            rc = buf_append(t, "looks like the listed '", 23);
            if (rc == 0)
                rc = put_display(t, other->name, other->name_len);
            if (rc == 0)
                rc = buf_putc(t, '\'');
        }
        if (rc == 0)
            rc = buf_putc(t, '\0');
        if (rc == 0)
            rc = add_finding(&a->fs, "surface", "lookalike_name", SCORE_LOOKALIKE, "/name", 5,
                             t->data, NULL);
    }
    if (rc == 0 && (it->flags & PIN_ITEM_IMITATES) && it->well_known != NULL) {
        rc = NOTE("a look-alike spelling of the well-known '%s'", it->well_known);
        if (rc == 0)
            rc = buf_putc(t, '\0');
        if (rc == 0)
            rc = add_finding(&a->fs, "surface", "imitates_well_known", SCORE_IMITATES, "/name", 5,
                             t->data, NULL);
    }
    if (rc == 0 && (it->flags & PIN_ITEM_SHADOWS) && it->well_known != NULL) {
        rc = NOTE("'%s' is also offered by server '", it->well_known);
        if (rc == 0 && it->other_server != NULL)
            rc = put_display(t, it->other_server, strlen(it->other_server));
        if (rc == 0)
            rc = buf_append(t, "'", 2); /* the quote and the NUL */
        if (rc == 0)
            rc = add_finding(&a->fs, "surface", "shadows_well_known", SCORE_SHADOWS, "/name", 5,
                             t->data, NULL);
    }
    if (rc == 0 && a->compare_pins && it->state == PIN_CHANGED) {
        rc = NOTE("changed since pinned: ");
        if (rc == 0)
            rc = it->changed[0] ? put_display(t, it->changed, strlen(it->changed))
                                : buf_append(t, "(definition)", 12);
        if (rc == 0)
            rc = buf_putc(t, '\0');
        if (rc == 0)
            rc = add_finding(&a->fs, "pin", "definition_changed", SCORE_CHANGED, "", 0, t->data,
                             NULL);
    }
    if (rc == 0 && a->compare_pins && it->state == PIN_REFUSED && !(it->flags & PIN_ITEM_INVALID))
        rc = add_finding(&a->fs, "pin", "refused", SCORE_REFUSED, "", 0,
                         "could not be pinned (a limit of the store)", NULL);
#undef NOTE
    return rc;
}

/* Count and print the record of one definition (or one removed pin: def NULL). */
static int emit(struct analyzer *a, enum pin_kind k, const struct pin_item *it,
                const struct buf *schema_json)
{
    struct buf *r = &a->rec;
    int rc = 0;
    buf_reset(r);
    if (a->fs.n > 1)
        qsort(a->fs.v, a->fs.n, sizeof(*a->fs.v), by_score);
    for (size_t i = 0; i < a->fs.n; i++) {
        a->nfind++;
        a->nabove += a->fs.v[i].score >= a->o->min_score;
        if (a->fs.v[i].score > a->max_score)
            a->max_score = a->fs.v[i].score;
    }
    a->nfind += a->fs.dropped;
    if (a->fs.dropped > 0 && a->fs.dropped_max >= a->o->min_score)
        a->nabove += a->fs.dropped; /* at least one of them is; count them all */
    if (a->fs.dropped_max > a->max_score)
        a->max_score = a->fs.dropped_max;

    if (a->o->json) {
        rc = buf_printf(r, "{\"kind\":\"%s\",\"index\":", kinds[k].label);
        if (rc == 0)
            rc = it->index == UINT32_MAX ? buf_append(r, "null", 4)
                                         : buf_printf(r, "%" PRIu32, it->index);
        if (rc == 0)
            rc = buf_append(r, ",\"name\":", 8);
        if (rc == 0)
            rc = it->name ? put_json(r, it->name, it->name_len) : buf_append(r, "null", 4);
        if (rc == 0)
            rc = buf_append(r, ",\"pin\":{", 8);
        if (rc == 0 && a->compare_pins)
            rc = buf_printf(r, "\"state\":\"%s\",", state_names[it->state]);
        if (rc == 0)
            rc = it->hash[0] ? buf_printf(r, "\"hash\":\"%s\"", it->hash)
                             : buf_append(r, "\"hash\":null", 11);
        if (rc == 0 && a->compare_pins && it->state == PIN_CHANGED) {
            rc = buf_append(r, ",\"changed\":", 11);
            if (rc == 0)
                rc = put_jsonz(r, it->changed);
        }
        if (rc == 0)
            rc = buf_append(r, "},\"findings\":[", 14);
        for (size_t i = 0; i < a->fs.n && rc == 0; i++) {
            const struct finding *f = &a->fs.v[i];
            rc = buf_printf(r, "%s{\"family\":\"%s\",\"kind\":\"%s\",\"score\":%u,\"field\":",
                            i ? "," : "", f->family, f->kind, f->score);
            if (rc == 0)
                rc = put_jsonz(r, f->field);
            if (rc == 0)
                rc = buf_append(r, ",\"excerpt\":", 11);
            if (rc == 0)
                rc = put_jsonz(r, f->excerpt);
            if (rc == 0 && f->hidden != NULL) {
                rc = buf_append(r, ",\"hidden\":", 10);
                if (rc == 0)
                    rc = put_jsonz(r, f->hidden);
            }
            if (rc == 0)
                rc = buf_putc(r, '}');
        }
        if (rc == 0)
            rc = buf_printf(r, "],\"more_findings\":%zu,\"schema\":", a->fs.dropped);
        if (rc == 0)
            rc = schema_json && schema_json->len
                     ? buf_append(r, schema_json->data, schema_json->len)
                     : buf_append(r, "null", 4);
        if (rc == 0)
            rc = buf_append(r, "}\n", 2);
    } else {
        rc = buf_printf(r, "%s \"", kinds[k].label);
        if (rc == 0)
            rc = it->name ? put_display(r, it->name, it->name_len) : buf_append(r, "(no name)", 9);
        if (rc == 0)
            rc = buf_putc(r, '"');
        if (rc == 0 && a->compare_pins) {
            rc = buf_printf(r, " [%s", state_names[it->state]);
            if (rc == 0 && it->state == PIN_CHANGED) {
                rc = buf_append(r, ": ", 2);
                if (rc == 0)
                    rc = put_display(r, it->changed, strlen(it->changed));
            }
            if (rc == 0)
                rc = buf_putc(r, ']');
        }
        if (rc == 0 && it->state == PIN_REMOVED)
            rc = buf_append(r, " pinned but no longer listed", 28);
        if (rc == 0 && a->fs.n == 0 && it->state != PIN_REMOVED)
            rc = buf_append(r, ": no findings", 13);
        if (rc == 0)
            rc = buf_putc(r, '\n');
        for (size_t i = 0; i < a->fs.n && rc == 0; i++) {
            const struct finding *f = &a->fs.v[i];
            rc = buf_printf(r, "  [%3u] %s/%s", f->score, f->family, f->kind);
            if (rc == 0 && f->field[0]) {
                rc = buf_append(r, " at ", 4);
                if (rc == 0)
                    rc = put_display(r, f->field, strlen(f->field) > 120 ? 120 : strlen(f->field));
            }
            if (rc == 0)
                rc = buf_printf(r, ": \"%s\"\n", f->excerpt);
            if (rc == 0 && f->hidden != NULL)
                rc = buf_printf(r, "        hidden text: \"%s\"\n", f->hidden);
        }
        if (rc == 0 && a->fs.dropped > 0)
            rc = buf_printf(r, "  ... and %zu more findings\n", a->fs.dropped);
    }
    if (rc < 0)
        return rc;
    fwrite(r->data, 1, r->len, stdout);
    return 0;
}

/* Analyse one definition (text def[0..n)) and print its record. */
static int analyse_def(struct analyzer *a, enum pin_kind k, const char *def, size_t n,
                       const struct pin_report *rep, size_t idx)
{
    struct diag d = {0};
    struct buf sj;
    buf_init(&sj, 1u << 20);
    findings_reset(&a->fs);
    int rc = surface_findings(a, rep, idx);
    if (rc == 0 && json_parse(&a->edoc, def, n, JSON_DEFAULT_MAX_DEPTH, &d) < 0) {
        rc = -EINVAL; /* it parsed as part of the answer: cannot happen but for memory */
        goto out;
    }
    if (rc == 0 && a->edoc.truncated)
        rc = add_finding(&a->fs, "surface", "definition_too_large", SCORE_TOO_LARGE, "", 0,
                         "too many values to index: only part of it was scanned", NULL);
    buf_reset(&a->ptr);
    if (rc == 0)
        rc = walk(a, &a->edoc, 0);
    if (rc == 0 && k == PIN_TOOL && a->edoc.nodes[0].type == JSON_OBJECT) {
        uint32_t in = json_getz(&a->edoc, 0, "inputSchema");
        uint32_t outs = json_getz(&a->edoc, 0, "outputSchema");
        rc = buf_append(&sj, "{\"input\":", 9);
        if (rc == 0 && in == 0) {
            rc = buf_append(&sj, "null", 4);
            if (rc == 0)
                rc = add_finding(&a->fs, "schema", "missing_input_schema", SCORE_NO_SCHEMA,
                                 "/inputSchema", 12, "the tool declares no inputSchema", NULL);
        } else if (rc == 0) {
            rc = check_schema(a, in, "inputSchema", &sj);
        }
        if (rc == 0)
            rc = buf_append(&sj, ",\"output\":", 10);
        if (rc == 0)
            rc =
                outs == 0 ? buf_append(&sj, "null", 4) : check_schema(a, outs, "outputSchema", &sj);
        if (rc == 0)
            rc = buf_putc(&sj, '}');
    }
    if (rc == 0)
        rc = emit(a, k, &rep->items[idx], k == PIN_TOOL ? &sj : NULL);
out:
    buf_cleanup(&sj);
    return rc;
}

/* Pin-check and analyse one kind's listing. Returns 0 or an exit status. */
static int analyse_kind(struct analyzer *a, struct pin_store *store, const char *server,
                        enum pin_kind k, struct listing *l)
{
    struct diag d = {0};
    struct pin_report rep;
    int st = 0;
    pins_report_init(&rep);
    if (!l->listed || l->skipped || l->text.len == 0)
        return 0;
    if (buf_append(&l->text, "]}", 2) < 0 ||
        json_parse(&a->ldoc, l->text.data, l->text.len, 2, &d) < 0) {
        fprintf(stderr, "sentinel scan: internal: cannot read back the %s listing\n",
                kinds[k].label);
        return EX_SOFTWARE;
    }
    int rc = pins_scan_list(store, server, k, &a->ldoc, 0,
                            l->complete ? PINS_PAGE_ALL : PINS_PAGE_FIRST, &rep, &d);
    if (rc < 0) {
        print_safe(stderr, "sentinel scan: cannot check the listing against the pins: ", d.msg);
        st = rc == SE_ELIMIT ? EX_TEMPFAIL : EX_SOFTWARE;
        goto out;
    }
    uint32_t arr = json_first(&a->ldoc, 0);
    size_t i = 0;
    for (uint32_t el = arr ? json_first(&a->ldoc, arr) : 0; el != 0;
         el = a->ldoc.nodes[el].next, i++) {
        const struct json_node *e = &a->ldoc.nodes[el];
        if (i >= rep.count || rep.items[i].index != i) {
            fprintf(stderr, "sentinel scan: internal: pin report out of step\n");
            st = EX_SOFTWARE;
            goto out;
        }
        a->defs[k]++;
        a->states[rep.items[i].state]++;
        if (analyse_def(a, k, l->text.data + e->start, e->end - e->start, &rep, i) < 0) {
            fprintf(stderr, "sentinel scan: internal: out of memory\n");
            st = EX_SOFTWARE;
            goto out;
        }
    }
    for (; i < rep.count; i++) { /* pins no longer listed */
        if (rep.items[i].state != PIN_REMOVED)
            continue;
        a->states[PIN_REMOVED]++;
        findings_reset(&a->fs);
        if (emit(a, k, &rep.items[i], NULL) < 0) {
            st = EX_SOFTWARE;
            goto out;
        }
    }
out:
    pins_report_cleanup(&rep);
    return st;
}

/* The server record: identity, capabilities, and findings in instructions and serverInfo. */
static int analyse_server(struct analyzer *a, const struct server_info *si)
{
    struct diag d = {0};
    struct buf *r = &a->rec;
    findings_reset(&a->fs);
    buf_reset(r);
    if (!si->initialized)
        return 0;
    if (json_parse(&a->edoc, si->init.data, si->init.len, JSON_DEFAULT_MAX_DEPTH, &d) < 0)
        return -EINVAL;
    static const char *const members[] = {"serverInfo", "instructions"};
    int rc = 0;
    for (size_t m = 0; m < 2 && rc == 0; m++) {
        uint32_t node = json_get(&a->edoc, 0, members[m], strlen(members[m]));
        if (node == 0)
            continue;
        buf_reset(&a->ptr);
        rc = ptr_push(&a->ptr, members[m], strlen(members[m]));
        if (rc == 0)
            rc = walk(a, &a->edoc, node);
    }
    if (rc < 0)
        return rc;
    if (a->fs.n > 1)
        qsort(a->fs.v, a->fs.n, sizeof(*a->fs.v), by_score);
    for (size_t i = 0; i < a->fs.n; i++) {
        a->nfind++;
        a->nabove += a->fs.v[i].score >= a->o->min_score;
        if (a->fs.v[i].score > a->max_score)
            a->max_score = a->fs.v[i].score;
    }
    uint32_t info = json_getz(&a->edoc, 0, "serverInfo");
    uint32_t vals[3] = {
        info ? json_getz(&a->edoc, info, "name") : 0,
        info ? json_getz(&a->edoc, info, "version") : 0,
        json_getz(&a->edoc, 0, "protocolVersion"),
    };
    static const char *const keys[3] = {"name", "version", "protocolVersion"};
    const char *p;
    size_t n;
    if (a->o->json) {
        rc = buf_append(r, "{\"kind\":\"server\"", 16);
        for (int i = 0; i < 3 && rc == 0; i++) {
            rc = buf_printf(r, ",\"%s\":", keys[i]);
            if (rc == 0)
                rc = vals[i] && a->edoc.nodes[vals[i]].type == JSON_STRING &&
                             json_str(&a->edoc, vals[i], &a->sval, &p, &n) == 0
                         ? put_json(r, p, n)
                         : buf_append(r, "null", 4);
        }
        if (rc == 0)
            rc = buf_append(r, ",\"capabilities\":{", 17);
        for (int k = 0; k < PIN_LIST_KINDS && rc == 0; k++)
            rc = buf_printf(r, "%s\"%s\":%s", k ? "," : "", kinds[k].capability,
                            si->advertised[k] ? "true" : "false");
        if (rc == 0)
            rc = buf_append(r, "},\"findings\":[", 14);
        for (size_t i = 0; i < a->fs.n && rc == 0; i++) {
            const struct finding *f = &a->fs.v[i];
            rc = buf_printf(r, "%s{\"family\":\"%s\",\"kind\":\"%s\",\"score\":%u,\"field\":",
                            i ? "," : "", f->family, f->kind, f->score);
            if (rc == 0)
                rc = put_jsonz(r, f->field);
            if (rc == 0)
                rc = buf_append(r, ",\"excerpt\":", 11);
            if (rc == 0)
                rc = put_jsonz(r, f->excerpt);
            if (rc == 0 && f->hidden) {
                rc = buf_append(r, ",\"hidden\":", 10);
                if (rc == 0)
                    rc = put_jsonz(r, f->hidden);
            }
            if (rc == 0)
                rc = buf_putc(r, '}');
        }
        if (rc == 0)
            rc = buf_append(r, "]}\n", 3);
    } else {
        rc = buf_append(r, "server", 6);
        for (int i = 0; i < 3 && rc == 0; i++) {
            if (vals[i] == 0 || a->edoc.nodes[vals[i]].type != JSON_STRING ||
                json_str(&a->edoc, vals[i], &a->sval, &p, &n) < 0)
                continue;
            rc = buf_printf(r, " %s \"", keys[i]);
            if (rc == 0)
                rc = put_display(r, p, n > 200 ? 200 : n);
            if (rc == 0)
                rc = buf_putc(r, '"');
        }
        if (rc == 0)
            rc = buf_append(r, "; offers", 8);
        bool any = false;
        for (int k = 0; k < PIN_LIST_KINDS && rc == 0; k++) {
            if (si->advertised[k])
                rc = buf_printf(r, "%s %s", any ? "," : "", kinds[k].capability), any = true;
        }
        if (rc == 0)
            rc = buf_append(r, any ? "\n" : " nothing to list\n", any ? 1 : 17);
        for (size_t i = 0; i < a->fs.n && rc == 0; i++) {
            const struct finding *f = &a->fs.v[i];
            rc = buf_printf(r, "  [%3u] %s/%s at ", f->score, f->family, f->kind);
            if (rc == 0)
                rc = put_display(r, f->field, strlen(f->field) > 120 ? 120 : strlen(f->field));
            if (rc == 0)
                rc = buf_printf(r, ": \"%s\"\n", f->excerpt);
            if (rc == 0 && f->hidden)
                rc = buf_printf(r, "        hidden text: \"%s\"\n", f->hidden);
        }
    }
    if (rc == 0)
        fwrite(r->data, 1, r->len, stdout);
    return rc;
}

static int summary(struct analyzer *a, const struct server_info *si, const struct client *c,
                   bool complete, int status)
{
    struct buf *r = &a->rec;
    int rc;
    buf_reset(r);
    if (a->o->json) {
        rc = buf_append(r, "{\"kind\":\"summary\",\"server\":", 27);
        if (rc == 0)
            rc = si->have_id ? put_json(r, si->id, strlen(si->id)) : buf_append(r, "null", 4);
        for (int k = 0; k < PIN_LIST_KINDS && rc == 0; k++)
            rc = buf_printf(r, ",\"%s\":%zu", kinds[k].plural, a->defs[k]);
        if (rc == 0)
            rc = buf_printf(r,
                            ",\"findings\":%zu,\"at_or_above\":%zu,\"min_score\":%u,"
                            "\"max_score\":%u,\"pins\":",
                            a->nfind, a->nabove, a->o->min_score, a->max_score);
        if (rc == 0 && a->compare_pins)
            rc = buf_printf(r,
                            "{\"new\":%zu,\"same\":%zu,\"changed\":%zu,\"removed\":%zu,"
                            "\"refused\":%zu}",
                            a->states[PIN_NEW], a->states[PIN_SAME], a->states[PIN_CHANGED],
                            a->states[PIN_REMOVED], a->states[PIN_REFUSED]);
        else if (rc == 0)
            rc = buf_append(r, "null", 4);
        if (rc == 0)
            rc = buf_printf(r, ",\"server_requests\":%u,\"complete\":%s,\"error\":",
                            c->server_requests, complete ? "true" : "false");
        if (rc == 0)
            rc = c->why[0] ? put_jsonz(r, c->why) : buf_append(r, "null", 4);
        if (rc == 0)
            rc = buf_printf(r, ",\"status\":%d}\n", status);
    } else {
        rc = buf_printf(r,
                        "summary: %zu tools, %zu prompts, %zu templates; %zu findings, %zu at or "
                        "above %u",
                        a->defs[PIN_TOOL], a->defs[PIN_PROMPT], a->defs[PIN_TEMPLATE], a->nfind,
                        a->nabove, a->o->min_score);
        if (rc == 0 && a->nfind > 0)
            rc = buf_printf(r, " (highest %u)", a->max_score);
        if (rc == 0 && a->compare_pins)
            rc = buf_printf(r, "; pins: %zu new, %zu same, %zu changed, %zu removed",
                            a->states[PIN_NEW], a->states[PIN_SAME], a->states[PIN_CHANGED],
                            a->states[PIN_REMOVED]);
        if (rc == 0 && !complete)
            rc = buf_append(r, "; INCOMPLETE", 12);
        if (rc == 0)
            rc = buf_putc(r, '\n');
    }
    if (rc == 0)
        fwrite(r->data, 1, r->len, stdout);
    return rc;
}

/* ---- the command --------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fputs("usage: sentinel scan [options] -- COMMAND [ARGS...]\n"
          "Start COMMAND as an MCP server, list its tools, prompts and resource templates, and\n"
          "report what looks hostile. No tool is called, no prompt fetched, no resource read.\n"
          "  --json              one JSON object per line: server, definitions, summary\n"
          "  --min-score N       findings scored N or more (0-100, default 50) make the exit\n"
          "                      status 1\n"
          "  --timeout S         give up on the server after S seconds in all (default 20)\n"
          "  --pins FILE         compare with a pin store: new, same, changed, removed\n"
          "  --record            with --pins: write what was seen to FILE (first sights are\n"
          "                      approved, changes pending; FILE is created if missing);\n"
          "                      without it the store is only read\n"
          "  --server-id ID      the server's identity in the pin store (default: the\n"
          "                      serverInfo.name it reports)\n"
          "  --max-message BYTES largest message accepted from the server (default 64M)\n"
          "  -q, --quiet         drop the server's stderr (default: relayed, escaped,\n"
          "                      prefixed \"[server] \")\n"
          "exit status: 0 nothing at or above --min-score, 1 findings, 64 usage, 65 the pin\n"
          "store does not parse, 69 the server could not be started, 70 internal error,\n"
          "74 I/O error, 75 the server misbehaved (no answer in time, malformed message,\n"
          "exited early)\n",
          f);
}

/* 0, -1 usage error (printed), 1 help printed. */
static int parse_opts(int argc, char **argv, struct scan_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->timeout_s = SCAN_DEFAULT_TIMEOUT;
    o->max_message = SCAN_DEFAULT_MAX_MESSAGE;
    o->min_score = SCAN_DEFAULT_MIN_SCORE;
    int i;
    for (i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (strcmp(a, "--record") == 0) {
            o->record = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 1;
        } else if (strcmp(a, "--min-score") == 0 || strcmp(a, "--timeout") == 0 ||
                   strcmp(a, "--pins") == 0 || strcmp(a, "--server-id") == 0 ||
                   strcmp(a, "--max-message") == 0) {
            if (v == NULL) {
                fprintf(stderr, "sentinel scan: %s needs a value\n", a);
                return -1;
            }
            i++;
            char *end;
            if (strcmp(a, "--min-score") == 0) {
                errno = 0;
                unsigned long n = strtoul(v, &end, 10);
                if (errno || end == v || *end || *v == '-' || n > 100) {
                    fprintf(stderr, "sentinel scan: --min-score is 0 to 100\n");
                    return -1;
                }
                o->min_score = (unsigned)n;
            } else if (strcmp(a, "--timeout") == 0) {
                errno = 0;
                double t = strtod(v, &end);
                if (errno || end == v || *end || !(t >= 0.1 && t <= 3600)) {
                    fprintf(stderr, "sentinel scan: --timeout is 0.1 to 3600 seconds\n");
                    return -1;
                }
                o->timeout_s = t;
            } else if (strcmp(a, "--pins") == 0) {
                o->pins_path = v;
            } else if (strcmp(a, "--server-id") == 0) {
                if (*v == '\0' || strlen(v) > PINS_MAX_ID) {
                    fprintf(stderr, "sentinel scan: --server-id is 1 to %d bytes\n", PINS_MAX_ID);
                    return -1;
                }
                o->server_id = v;
            } else if (num_parse_size(v, 64, 1ULL << 30, &o->max_message) < 0) {
                fprintf(stderr, "sentinel scan: --max-message is 64 .. 1G bytes (K, M, G)\n");
                return -1;
            }
        } else {
            fprintf(stderr, "sentinel scan: unknown option '%s' (the command goes after --)\n", a);
            return -1;
        }
    }
    if (i >= argc) {
        fputs("sentinel scan: which server? (sentinel scan [options] -- COMMAND [ARGS...])\n",
              stderr);
        return -1;
    }
    if (o->record && o->pins_path == NULL) {
        fputs("sentinel scan: --record needs --pins FILE\n", stderr);
        return -1;
    }
    o->argv = argv + i;
    return 0;
}

static void client_init(struct client *c, const struct scan_opts *o)
{
    memset(c, 0, sizeof(*c));
    c->up.stdin_fd = c->up.stdout_fd = c->up.watchdog_fd = -1;
    c->err_fd = -1;
    c->err_bol = true;
    c->quiet = o->quiet;
    c->timeout_s = o->timeout_s;
    c->next_id = 1;
    framer_init(&c->fr, o->max_message);
    json_doc_init(&c->doc, JSON_DEFAULT_MAX_DEPTH, JSON_DEFAULT_MAX_NODES);
    json_doc_init(&c->rdoc, JSON_DEFAULT_MAX_DEPTH, JSON_DEFAULT_MAX_NODES);
    buf_init(&c->scratch, o->max_message);
    buf_init(&c->out, SCAN_OUT_LIMIT);
    buf_init(&c->resp, o->max_message);
}

static void client_cleanup(struct client *c)
{
    stop_server(c, false);
    if (c->err_fd >= 0)
        close(c->err_fd);
    framer_cleanup(&c->fr);
    json_doc_cleanup(&c->doc);
    json_doc_cleanup(&c->rdoc);
    buf_cleanup(&c->scratch);
    buf_cleanup(&c->out);
    buf_cleanup(&c->resp);
}

int scan_cli(int argc, char **argv)
{
    struct scan_opts o;
    int prc = parse_opts(argc, argv, &o);
    if (prc != 0)
        return prc > 0 ? EX_OK : EX_USAGE;
    signal(SIGPIPE, SIG_IGN);

    struct analyzer a;
    struct client c;
    struct server_info si;
    struct listing lists[PIN_LIST_KINDS];
    struct pin_store *file_store = NULL, *mem_store = NULL;
    char err[512] = "";
    int status = EX_OK;
    memset(&a, 0, sizeof(a));
    memset(&si, 0, sizeof(si));
    memset(lists, 0, sizeof(lists));
    a.o = &o;
    json_doc_init(&a.edoc, JSON_DEFAULT_MAX_DEPTH, JSON_DEFAULT_MAX_NODES);
    json_doc_init(&a.ldoc, JSON_DEFAULT_MAX_DEPTH, JSON_DEFAULT_MAX_NODES);
    buf_init(&a.sval, SCAN_MAX_LISTING);
    buf_init(&a.skey, SCAN_MAX_LISTING);
    buf_init(&a.ptr, SCAN_MAX_LISTING);
    buf_init(&a.tmp, 1u << 20);
    buf_init(&a.rec, SCAN_MAX_LISTING);
    buf_init(&si.init, o.max_message);
    for (int k = 0; k < PIN_LIST_KINDS; k++)
        buf_init(&lists[k].text, SCAN_MAX_LISTING + 2); /* and its closing "]}" */
    client_init(&c, &o);

    /* everything that can fail without the server fails before it starts */
    if (detector_new(&a.det, DETECT_DESCRIPTIONS, err, sizeof(err)) < 0 ||
        detect_scratch_new(a.det, &a.scr) < 0) {
        fprintf(stderr, "sentinel scan: cannot build the detectors: %s\n", err);
        status = EX_SOFTWARE;
        goto out;
    }
    if (o.pins_path != NULL) {
        int rc =
            pins_open(&file_store, o.pins_path, o.record ? PINS_O_CREATE : 0, err, sizeof(err));
        if (rc < 0) {
            fprintf(stderr, "sentinel scan: %s%s\n", err,
                    rc == -ENOENT && !o.record ? " (--record creates it)" : "");
            status = rc <= -4000 ? EX_DATAERR : EX_IOERR;
            goto out;
        }
    }
    if (pins_open(&mem_store, NULL, 0, err, sizeof(err)) < 0) {
        fprintf(stderr, "sentinel scan: %s\n", err);
        status = EX_SOFTWARE;
        goto out;
    }

    if ((status = spawn_server(&c, o.argv)) != 0)
        goto out;
    c.deadline = now_ms() + (int64_t)(o.timeout_s * 1000.0);
    int conv = converse(&c, &o, &si, lists);
    stop_server(&c, conv == 0);
    bool complete = conv == 0;

    if (file_store != NULL && !si.have_id && si.initialized) {
        conv = conv ? conv
                    : misbehaved(&c, "the server reports no usable serverInfo.name: pins not "
                                     "compared (--server-id names it)");
    }
    a.compare_pins = file_store != NULL && si.have_id;
    struct pin_store *store = a.compare_pins ? file_store : mem_store;
    const char *server = si.have_id ? si.id : "(unnamed)";

    if (analyse_server(&a, &si) < 0) {
        fprintf(stderr, "sentinel scan: internal: cannot analyse the initialize result\n");
        status = EX_SOFTWARE;
        goto out;
    }
    for (int k = 0; k < PIN_LIST_KINDS && status == 0; k++)
        status = analyse_kind(&a, store, server, (enum pin_kind)k, &lists[k]);
    if (status == 0 && conv != 0)
        status = conv;
    if (status == EX_TEMPFAIL || status == EX_SOFTWARE)
        print_safe(stderr,
                   status == EX_TEMPFAIL ? "sentinel scan: the server misbehaved: "
                                         : "sentinel scan: internal error: ",
                   c.why[0] ? c.why : "(no detail)");
    if (a.compare_pins && o.record && pins_dirty(file_store)) {
        int rc = pins_save(file_store, err, sizeof(err));
        if (rc < 0) {
            print_safe(stderr, "sentinel scan: cannot write the pin store: ", err);
            if (status == 0 || status == EX_FINDINGS)
                status = rc <= -4000 ? EX_DATAERR : EX_IOERR;
        }
    }
    if (status == 0 && a.nabove > 0)
        status = EX_FINDINGS;
    if (summary(&a, &si, &c, complete, status) < 0 && status < EX_USAGE)
        status = EX_SOFTWARE;
out:
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "sentinel scan: cannot write the report: %s\n", strerror(errno));
        if (status < EX_USAGE)
            status = EX_IOERR;
    }
    client_cleanup(&c);
    pins_free(file_store);
    pins_free(mem_store);
    findings_free(&a.fs);
    detect_scratch_free(a.scr);
    detector_free(a.det);
    json_doc_cleanup(&a.edoc);
    json_doc_cleanup(&a.ldoc);
    buf_cleanup(&a.sval);
    buf_cleanup(&a.skey);
    buf_cleanup(&a.ptr);
    buf_cleanup(&a.tmp);
    buf_cleanup(&a.rec);
    buf_cleanup(&si.init);
    for (int k = 0; k < PIN_LIST_KINDS; k++)
        buf_cleanup(&lists[k].text);
    return status;
}
