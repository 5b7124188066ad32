/*
 * ctl_cli.c - `sentinel ctl`: send one request to a control socket and print the reply.
 *
 * A short-lived command with plain blocking sockets (every wait bounded by --timeout); the
 * session id comes from --session, SENTINEL_SESSION or the PATH.session file the
 * interceptor writes. Replies are parsed with the strict JSON parser, and text shown on a
 * terminal has its control characters replaced, so a reply cannot drive the terminal.
 */
#include "control/ctl_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/term.h"
#include "control/proto.h"
#include "mcp/json.h"
#include "seal/sid.h"

enum {
    EX_OK = 0,
    EX_ERRREPLY = 1,
    EX_USAGE = 64,
    EX_UNAVAILABLE = 69,
    EX_SOFTWARE = 70,
    EX_NOPERM = 77, /* the socket is served by another user */
};

#define REPLY_MAX (1u << 20)
#define REQUEST_ID 1

static void usage(FILE *f)
{
    fputs("usage: sentinel ctl --socket PATH [--session ID] [--json] [--timeout S] COMMAND\n"
          "  ping                      is the interceptor alive?\n"
          "  status                    session, agent, server, policy, decisions, pending\n"
          "                            requests, taint labels, audit log\n"
          "  invalidate --request ID   distrust one request's result (7, or '\"abc\"' or abc\n"
          "                            for a string id)\n"
          "  invalidate --tool NAME    distrust every result of a tool\n"
          "  invalidate --server ID    distrust the server\n"
          "  track [--label L]...      track the value read from standard input (one line,\n"
          "                            8 to 4,096 bytes) like a secret found in a result:\n"
          "                            later requests carrying it get its labels (default\n"
          "                            secret); never on the command line, where ps shows it\n"
          "  --session ID   this run's session id (default: $SENTINEL_SESSION, else the file\n"
          "                 PATH.session that `sentinel run --control PATH` writes)\n"
          "  --json         print the reply's result (or error) as JSON\n"
          "  --timeout S    seconds to wait for the reply (default 10)\n"
          "exit: 0 result, 1 error reply, 64 usage, 69 cannot connect or no reply, 70 bad reply,\n"
          "      77 the socket is served by another user (nothing was sent)\n",
          f);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wait for fd to be ready for `events` until `deadline`. 1 ready, 0 timeout, -1 error. */
static int wait_fd(int fd, short events, double deadline)
{
    for (;;) {
        double left = deadline - now_s();
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = fd, .events = events};
        int rc = poll(&p, 1, (int)(left * 1000) + 1);
        if (rc > 0)
            return 1;
        if (rc < 0 && errno != EINTR)
            return -1;
    }
}

/* The session id from PATH.session: 0, or -errno. */
static int read_sid_file(const char *sock, char *out, size_t cap)
{
    char path[4096];
    if (snprintf(path, sizeof(path), "%s.session", sock) >= (int)sizeof(path))
        return -ENAMETOOLONG;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t n = read(fd, out, cap - 1);
    int e = errno;
    close(fd);
    if (n < 0)
        return -e;
    out[n] = '\0';
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' '))
        out[--n] = '\0';
    return n > 0 ? 0 : -ENODATA;
}

/* The request id in the form the invalidations file (and the audit log) writes it: an
 * integer as is, a string as JSON text. "abc" and '"abc"' both name the string id abc. */
static int request_id_text(const char *v, struct buf *out)
{
    size_t n = strlen(v);
    size_t d = v[0] == '-' ? 1 : 0;
    bool integer = n > d && strspn(v + d, "0123456789") == n - d;
    if (integer || (n >= 2 && v[0] == '"' && v[n - 1] == '"'))
        return buf_append(out, v, n);
    if (strpbrk(v, "\"\\") != NULL)
        return -EINVAL;
    int rc = buf_putc(out, '"');
    rc = rc ? rc : buf_append(out, v, n);
    return rc ? rc : buf_putc(out, '"');
}

/* Print s[0..n) with control, bidi and invisible characters replaced (base/term.h). */
static void put_clean(const char *s, size_t n)
{
    term_put(stdout, s, n);
}

static void print_scalar(struct json_doc *doc, uint32_t node, struct buf *tmp)
{
    const struct json_node *x = &doc->nodes[node];
    const char *p;
    size_t n;
    buf_reset(tmp);
    if (x->type == JSON_STRING && json_str(doc, node, tmp, &p, &n) == 0)
        put_clean(p, n);
    else
        put_clean(doc->text + x->start, x->end - x->start);
}

/* "prefix.key: value" lines for an object; arrays of scalars as "a, b, c". */
static void print_flat(struct json_doc *doc, uint32_t obj, const char *prefix, struct buf *tmp)
{
    for (uint32_t c = json_first(doc, obj); c != 0; c = doc->nodes[c].next) {
        const struct json_node *x = &doc->nodes[c];
        char key[160];
        struct buf kb;
        buf_init(&kb, 128);
        if (json_unescape(doc->text + x->key_start, x->key_len, &kb) < 0)
            buf_reset(&kb);
        snprintf(key, sizeof(key), "%s%s%.*s", prefix, prefix[0] ? "." : "", (int)kb.len,
                 kb.data ? kb.data : "");
        buf_cleanup(&kb);
        if (x->type == JSON_OBJECT && !(x->flags & JSON_F_PARTIAL) && x->nchild > 0) {
            print_flat(doc, c, key, tmp);
            continue;
        }
        put_clean(key, strlen(key));
        fputs(": ", stdout);
        if (x->type == JSON_ARRAY && !(x->flags & JSON_F_PARTIAL)) {
            if (x->nchild == 0)
                fputs("(none)", stdout);
            bool first = true;
            for (uint32_t e = json_first(doc, c); e != 0; e = doc->nodes[e].next) {
                if (!first)
                    fputs(", ", stdout);
                first = false;
                print_scalar(doc, e, tmp);
            }
        } else {
            print_scalar(doc, c, tmp);
        }
        putchar('\n');
    }
}

/*
 * The process listening on the socket runs as our effective uid, or as root: the mirror of the
 * server's own peer check. Anyone else (a socket another user bound in a shared directory)
 * would receive the session id and any value to track, and could answer with a fake
 * result, so nothing is sent to it.
 */
static bool server_allowed(int fd, const char *path)
{
    struct ucred cr;
    socklen_t len = sizeof(cr);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || len != sizeof(cr)) {
        fprintf(stderr,
                "sentinel ctl: %s: cannot read the listener's credentials (%s); "
                "nothing sent\n",
                path, strerror(errno));
        return false;
    }
    if (cr.uid != geteuid() && cr.uid != 0) {
        fprintf(stderr,
                "sentinel ctl: %s is served by uid %u (pid %d), not by uid %u%s: "
                "refusing to send it the session id; nothing sent\n",
                path, (unsigned)cr.uid, (int)cr.pid, (unsigned)geteuid(),
                geteuid() != 0 ? " or root" : "");
        return false;
    }
    return true;
}

/* Connect, send the request line, read one reply line into reply. 0 or an exit status. */
static int exchange(const char *path, const struct buf *req, double timeout, struct buf *reply)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "sentinel ctl: --socket %s: a socket path has at most %zu bytes\n", path,
                sizeof(sa.sun_path) - 1);
        return EX_USAGE;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        fprintf(stderr, "sentinel ctl: socket: %s\n", strerror(errno));
        return EX_UNAVAILABLE;
    }
    double deadline = now_s() + timeout;
    int status = EX_UNAVAILABLE, send_err = 0;
    while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        /* EAGAIN: the listener's backlog is full, and a Unix socket does not wait for it in
         * the background (it stays unconnected): try again until the deadline */
        if ((errno == EAGAIN || errno == EINTR) && now_s() < deadline) {
            poll(NULL, 0, 10);
            continue;
        }
        fprintf(stderr, "sentinel ctl: cannot connect to %s: %s\n", path,
                errno == EAGAIN ? "its backlog stayed full until the timeout" : strerror(errno));
        goto out;
    }
    if (!server_allowed(fd, path)) {
        status = EX_NOPERM;
        goto out;
    }
    for (size_t off = 0; off < req->len;) {
        ssize_t n = send(fd, req->data + off, req->len - off, MSG_NOSIGNAL);
        if (n > 0) {
            off += (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (wait_fd(fd, POLLOUT, deadline) <= 0) {
                fprintf(stderr, "sentinel ctl: %s: the request could not be sent in time\n", path);
                goto out;
            }
        } else if (errno == EPIPE || errno == ECONNRESET) {
            /* closed on us: it may have said why first (too many connections) */
            send_err = errno;
            break;
        } else {
            fprintf(stderr, "sentinel ctl: %s: sending the request failed: %s\n", path,
                    strerror(errno));
            goto out;
        }
    }
    for (;;) {
        char *nl = reply->len ? memchr(reply->data, '\n', reply->len) : NULL;
        if (nl != NULL) {
            reply->len = (size_t)(nl - reply->data);
            status = EX_OK;
            goto out;
        }
        if (buf_reserve(reply, 4096) < 0) {
            fprintf(stderr, "sentinel ctl: %s: reply longer than %u bytes\n", path, REPLY_MAX);
            status = EX_SOFTWARE;
            goto out;
        }
        ssize_t n = recv(fd, reply->data + reply->len, reply->cap - reply->len, 0);
        if (n > 0) {
            reply->len += (size_t)n;
        } else if (n == 0 || (n < 0 && send_err != 0 && errno == ECONNRESET)) {
            if (send_err != 0)
                fprintf(stderr, "sentinel ctl: %s: sending the request failed: %s\n", path,
                        strerror(send_err));
            else
                fprintf(stderr, "sentinel ctl: %s: the connection closed without a reply\n", path);
            goto out;
        } else if (errno == EAGAIN || errno == EINTR) {
            int w = wait_fd(fd, POLLIN, deadline);
            if (w <= 0) {
                fprintf(stderr, "sentinel ctl: %s: no reply within %g s\n", path, timeout);
                goto out;
            }
        } else {
            fprintf(stderr, "sentinel ctl: %s: reading the reply failed: %s\n", path,
                    strerror(errno));
            goto out;
        }
    }
out:
    close(fd);
    return status;
}

int ctl_cli(int argc, char **argv)
{
    const char *sock = NULL, *session = NULL, *command = NULL;
    const char *inval_opt = NULL, *inval_val = NULL;
    const char *labels[CTL_LABELS_MAX];
    size_t nlabels = 0;
    bool json = false;
    double timeout = 10;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return EX_OK;
        }
        if (strcmp(a, "--json") == 0) {
            json = true;
            continue;
        }
        if (strcmp(a, "--label") == 0) {
            if (v == NULL || nlabels == CTL_LABELS_MAX) {
                fprintf(stderr, "sentinel ctl: --label needs a value (at most %d labels)\n",
                        CTL_LABELS_MAX);
                return EX_USAGE;
            }
            labels[nlabels++] = v;
            i++;
            continue;
        }
        bool inval =
            strcmp(a, "--request") == 0 || strcmp(a, "--tool") == 0 || strcmp(a, "--server") == 0;
        if (inval || strcmp(a, "--socket") == 0 || strcmp(a, "--session") == 0 ||
            strcmp(a, "--timeout") == 0) {
            if (v == NULL) {
                fprintf(stderr, "sentinel ctl: %s needs a value\n", a);
                return EX_USAGE;
            }
            i++;
            if (inval) {
                if (inval_opt != NULL) {
                    fprintf(stderr, "sentinel ctl: invalidate takes one of --request, --tool, "
                                    "--server\n");
                    return EX_USAGE;
                }
                inval_opt = a;
                inval_val = v;
            } else if (a[2] == 's' && a[3] == 'o') {
                sock = v;
            } else if (a[2] == 's') {
                session = v;
            } else {
                char *end;
                timeout = strtod(v, &end);
                if (*end != '\0' || !(timeout > 0 && timeout <= 3600)) {
                    fputs("sentinel ctl: --timeout takes seconds, 0 < S <= 3600\n", stderr);
                    return EX_USAGE;
                }
            }
            continue;
        }
        if (a[0] == '-') {
            fprintf(stderr, "sentinel ctl: unknown option '%s'\n", a);
            usage(stderr);
            return EX_USAGE;
        }
        if (command != NULL) {
            fprintf(stderr, "sentinel ctl: one command at a time ('%s', '%s')\n", command, a);
            return EX_USAGE;
        }
        command = a;
    }
    if (sock == NULL || command == NULL) {
        fputs("sentinel ctl: which socket and which command? (sentinel ctl --socket PATH "
              "ping|status|invalidate|track ...)\n",
              stderr);
        return EX_USAGE;
    }
    int method = strcmp(command, "ping") == 0         ? CTL_M_PING
                 : strcmp(command, "status") == 0     ? CTL_M_STATUS
                 : strcmp(command, "invalidate") == 0 ? CTL_M_INVALIDATE
                 : strcmp(command, "track") == 0      ? CTL_M_TRACK
                                                      : CTL_M_UNKNOWN;
    if (method == CTL_M_UNKNOWN) {
        fprintf(stderr, "sentinel ctl: unknown command '%s' (ping, status, invalidate, track)\n",
                command);
        return EX_USAGE;
    }
    if (nlabels > 0 && method != CTL_M_TRACK) {
        fputs("sentinel ctl: --label goes with track\n", stderr);
        return EX_USAGE;
    }
    if ((method == CTL_M_INVALIDATE) != (inval_opt != NULL)) {
        fputs(method == CTL_M_INVALIDATE
                  ? "sentinel ctl: invalidate needs --request ID, --tool NAME or --server ID\n"
                  : "sentinel ctl: --request, --tool and --server go with invalidate\n",
              stderr);
        return EX_USAGE;
    }
    char sid[SEAL_SID_BUF + 8];
    if (session == NULL)
        session = getenv("SENTINEL_SESSION");
    if (session == NULL || session[0] == '\0') {
        int rc = read_sid_file(sock, sid, sizeof(sid));
        if (rc < 0) {
            fprintf(stderr,
                    "sentinel ctl: no session id: give --session ID or set SENTINEL_SESSION "
                    "(%s.session: %s)\n",
                    sock, strerror(-rc));
            return rc == -ENOENT && access(sock, F_OK) != 0 ? EX_UNAVAILABLE : EX_USAGE;
        }
        session = sid;
    }

    struct buf req, reply, tmp;
    buf_init(&req, CTL_LINE_MAX);
    buf_init(&reply, REPLY_MAX);
    buf_init(&tmp, REPLY_MAX);
    int status = EX_SOFTWARE;
    buf_printf(&req, "{\"id\":%d,\"session\":\"", REQUEST_ID);
    buf_json_escape(&req, session, strlen(session));
    buf_printf(&req, "\",\"method\":\"%s\"", ctl_method_name(method));
    if (method == CTL_M_INVALIDATE) {
        const char *kind = inval_opt + 2;
        buf_printf(&req, ",\"params\":{\"%s\":\"", kind);
        if (kind[0] == 'r') {
            if (request_id_text(inval_val, &tmp) < 0) {
                fputs("sentinel ctl: --request: a string id with quotes or backslashes is given "
                      "in its JSON form, e.g. '\"a\\\\b\"'\n",
                      stderr);
                status = EX_USAGE;
                goto out;
            }
            buf_json_escape(&req, tmp.data, tmp.len);
        } else {
            buf_json_escape(&req, inval_val, strlen(inval_val));
        }
        buf_append(&req, "\"}", 2);
    }
    if (method == CTL_M_TRACK) {
        /* the value: standard input's first line, without its line end */
        size_t cap = CTL_TRACK_MAX + 3, n = 0;
        char *value = malloc(cap);
        if (value == NULL)
            goto out;
        for (;;) {
            ssize_t r = read(0, value + n, cap - n);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            n += (size_t)r;
            if (memchr(value, '\n', n) != NULL || n == cap)
                break;
        }
        char *nl = memchr(value, '\n', n);
        if (nl != NULL)
            n = (size_t)(nl - value);
        if (n > 0 && value[n - 1] == '\r')
            n--;
        if (n < CTL_TRACK_MIN || n > CTL_TRACK_MAX) {
            fprintf(stderr, "sentinel ctl: track reads one value of %d to %d bytes from standard "
                            "input (got %zu)\n", CTL_TRACK_MIN, CTL_TRACK_MAX, n);
            explicit_bzero(value, cap);
            free(value);
            status = EX_USAGE;
            goto out;
        }
        buf_append(&req, ",\"params\":{\"value\":\"", 20);
        buf_json_escape(&req, value, n);
        buf_putc(&req, '"');
        explicit_bzero(value, cap);
        free(value);
        if (nlabels > 0) {
            buf_append(&req, ",\"labels\":[", 11);
            for (size_t i = 0; i < nlabels; i++) {
                buf_printf(&req, "%s\"", i ? "," : "");
                buf_json_escape(&req, labels[i], strlen(labels[i]));
                buf_putc(&req, '"');
            }
            buf_putc(&req, ']');
        }
        buf_putc(&req, '}');
    }
    if (buf_append(&req, "}\n", 2) < 0) {
        fputs("sentinel ctl: the request is too long\n", stderr);
        status = EX_USAGE;
        goto out;
    }

    status = exchange(sock, &req, timeout, &reply);
    if (status != EX_OK)
        goto out;
    status = EX_SOFTWARE;
    struct json_doc doc;
    struct diag d = {0};
    json_doc_init(&doc, 64, 1u << 16);
    if (json_parse(&doc, reply.data, reply.len, 6, &d) < 0 || doc.nodes[0].type != JSON_OBJECT) {
        fprintf(stderr, "sentinel ctl: the reply is not a JSON object%s%s\n", d.msg[0] ? ": " : "",
                d.msg);
        goto done;
    }
    uint32_t idn = json_getz(&doc, 0, "id");
    int64_t idv = 0;
    if (idn == 0 || (doc.nodes[idn].type != JSON_NULL &&
                     (doc.nodes[idn].type != JSON_NUMBER || json_int(&doc, idn, &idv) < 0 ||
                      idv != REQUEST_ID))) {
        fputs("sentinel ctl: the reply does not answer the request (wrong or missing id)\n",
              stderr);
        goto done;
    }
    uint32_t result = json_getz(&doc, 0, "result"), error = json_getz(&doc, 0, "error");
    if (result != 0 && doc.nodes[result].type == JSON_OBJECT && error == 0) {
        const struct json_node *r = &doc.nodes[result];
        if (json) {
            fwrite(reply.data + r->start, 1, r->end - r->start, stdout);
            putchar('\n');
        } else if (method == CTL_M_PING) {
            puts("pong");
        } else if (method == CTL_M_INVALIDATE) {
            uint32_t fresh = json_getz(&doc, result, "new");
            printf("invalidated %s ", inval_opt + 2);
            put_clean(inval_val, strlen(inval_val));
            if (fresh != 0 && doc.nodes[fresh].type == JSON_FALSE)
                fputs(" (already invalidated)", stdout);
            putchar('\n');
            print_flat(&doc, result, "", &tmp);
        } else if (method == CTL_M_TRACK) {
            uint32_t fresh = json_getz(&doc, result, "new");
            fputs(fresh != 0 && doc.nodes[fresh].type == JSON_FALSE ? "already tracked\n"
                                                                    : "tracked\n",
                  stdout);
            print_flat(&doc, result, "", &tmp);
        } else {
            print_flat(&doc, result, "", &tmp);
        }
        status = fflush(stdout) == 0 ? EX_OK : 74;
    } else if (error != 0 && doc.nodes[error].type == JSON_OBJECT && result == 0) {
        uint32_t code = json_getz(&doc, error, "code"), msg = json_getz(&doc, error, "message");
        int64_t c = 0;
        const char *m = "";
        size_t mn = 0;
        if (code == 0 || json_int(&doc, code, &c) < 0 || msg == 0 ||
            json_str(&doc, msg, &tmp, &m, &mn) < 0) {
            fputs("sentinel ctl: the reply's error has no code or message\n", stderr);
            goto done;
        }
        if (json) {
            const struct json_node *e = &doc.nodes[error];
            fwrite(reply.data + e->start, 1, e->end - e->start, stdout);
            putchar('\n');
            fflush(stdout);
        }
        fprintf(stderr, "sentinel ctl: %s: error %lld: ", command, (long long)c);
        term_put(stderr, m, mn);
        fputc('\n', stderr);
        status = EX_ERRREPLY;
    } else {
        fputs("sentinel ctl: the reply has neither a result object nor an error object\n", stderr);
    }
done:
    json_doc_cleanup(&doc);
out:
    if (req.data != NULL)
        explicit_bzero(req.data, req.cap); /* a track request holds the value */
    buf_cleanup(&req);
    buf_cleanup(&reply);
    buf_cleanup(&tmp);
    return status;
}
