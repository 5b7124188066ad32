/*
 * control.c - the control socket server: listening, peer credentials, per-connection
 * limits, line framing and reply queues (docs/control.md).
 *
 * It shares the loop with the MCP data path, so nothing a client does may block or starve
 * it: every buffer is bounded, a client that does not read is cut off, a slow or silent one
 * times out, and requests are parsed and answered synchronously in a few microseconds. The
 * protocol is proto.c's and the session check auth.c's; what the methods do is the
 * session's (callbacks). It must never answer a request whose session did not verify.
 */
#include "control/control.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "control/auth.h"
#include "control/proto.h"

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

#define IN_CAP (CTL_LINE_MAX + 1) /* a full line and its newline */
#define BACKLOG 64                /* connections the kernel holds until accepted */

struct ctl_conn {
    uv_pipe_t pipe;
    uv_timer_t idle_timer; /* idle deadline; while draining, the drain deadline */
    struct control *ctl;
    struct ctl_conn *next, **pprev;
    char *in; /* IN_CAP bytes: the line being received */
    size_t in_len;
    struct buf queue;    /* replies not yet handed to a write */
    struct buf inflight; /* the bytes of the write in progress */
    uv_write_t wreq;
    unsigned failures; /* failed session checks */
    unsigned open_handles;
    bool counted; /* holds one of the CONTROL_MAX_CONNS slots */
    bool writing;
    bool draining; /* no more requests: close once the queue is written */
    bool closing;
};

struct control {
    uv_loop_t *loop;
    uv_pipe_t server;
    bool server_open;
    bool closing;
    char *path, *sid_path;
    struct stat sock_st, sid_st; /* what we created, so only that is removed */
    bool have_sock, have_sid;
    unsigned idle_ms;
    void *ctx;
    control_status_cb status;
    control_invalidate_cb invalidate;
    control_track_cb track;
    struct ctl_auth auth;
    struct ctl_proto proto;
    struct buf body;  /* result members under construction */
    struct buf reply; /* one reply line under construction */
    struct ctl_conn *conns;
    unsigned nconns;    /* counted connections */
    uint64_t refused;   /* connections refused at the limit, not yet said ... */
    uint64_t full_ms;   /* ... said at most once a second, at this loop time last */
    uint64_t warned_ms; /* loop time of the last warning about a client */
};

static void conn_close(struct ctl_conn *k);
static void conn_flush(struct ctl_conn *k);

/* Warnings a client can provoke are written at most once a second: stderr is a blocking
 * write, and a client must not be able to flood it (the others go to debug). */
#define WARN(c, ...)                                                                               \
    do {                                                                                           \
        uint64_t now_ = uv_now((c)->loop);                                                         \
        if ((c)->warned_ms == 0 || now_ - (c)->warned_ms >= 1000) {                                \
            (c)->warned_ms = now_ ? now_ : 1;                                                      \
            log_warn(__VA_ARGS__);                                                                 \
        } else {                                                                                   \
            log_debug(__VA_ARGS__);                                                                \
        }                                                                                          \
    } while (0)

/* ---- lifetime ---------------------------------------------------------------------- */

static void maybe_free(struct control *c)
{
    if (!c->closing || c->server_open || c->conns != NULL)
        return;
    ctl_proto_cleanup(&c->proto);
    buf_cleanup(&c->body);
    buf_cleanup(&c->reply);
    free(c->path);
    free(c->sid_path);
    free(c);
}

static void on_server_closed(uv_handle_t *h)
{
    struct control *c = container_of((uv_pipe_t *)h, struct control, server);
    c->server_open = false;
    maybe_free(c);
}

static void on_conn_closed(uv_handle_t *h)
{
    struct ctl_conn *k = h->data;
    if (--k->open_handles > 0)
        return;
    struct control *c = k->ctl;
    *k->pprev = k->next;
    if (k->next != NULL)
        k->next->pprev = k->pprev;
    free(k->in);
    buf_cleanup(&k->queue);
    buf_cleanup(&k->inflight);
    free(k);
    maybe_free(c);
}

static void conn_close(struct ctl_conn *k)
{
    if (k->closing)
        return;
    k->closing = true;
    if (k->counted) {
        k->counted = false;
        k->ctl->nconns--;
    }
    uv_close((uv_handle_t *)&k->pipe, on_conn_closed); /* cancels a write in progress */
    uv_close((uv_handle_t *)&k->idle_timer, on_conn_closed);
}

/* Remove path if it is still the file we made (same device and inode). */
static void remove_ours(const char *path, const struct stat *ours)
{
    struct stat st;
    if (path != NULL && lstat(path, &st) == 0 && st.st_dev == ours->st_dev &&
        st.st_ino == ours->st_ino)
        unlink(path);
}

void control_close(struct control *c)
{
    if (c == NULL || c->closing)
        return;
    c->closing = true;
    if (c->have_sid)
        remove_ours(c->sid_path, &c->sid_st);
    if (c->have_sock)
        remove_ours(c->path, &c->sock_st);
    c->have_sid = c->have_sock = false;
    if (c->server_open)
        uv_close((uv_handle_t *)&c->server, on_server_closed);
    for (struct ctl_conn *k = c->conns; k != NULL; k = k->next)
        conn_close(k);
    maybe_free(c);
}

/* ---- writing ----------------------------------------------------------------------- */

static void on_write(uv_write_t *req, int status)
{
    struct ctl_conn *k = container_of(req, struct ctl_conn, wreq);
    k->writing = false;
    buf_reset(&k->inflight);
    if (k->closing)
        return;
    if (status < 0) {
        log_debug("control: write failed: %s", uv_strerror(status));
        conn_close(k);
        return;
    }
    conn_flush(k);
}

/* Hand queued bytes to the kernel: a direct write first, the rest as one uv_write. */
static void conn_flush(struct ctl_conn *k)
{
    if (k->closing || k->writing)
        return;
    if (k->queue.len > 0) {
        uv_buf_t b = uv_buf_init(k->queue.data, (unsigned)k->queue.len);
        int n = uv_try_write((uv_stream_t *)&k->pipe, &b, 1);
        if (n < 0 && n != UV_EAGAIN) {
            log_debug("control: write failed: %s", uv_strerror(n));
            conn_close(k);
            return;
        }
        if (n > 0)
            buf_consume(&k->queue, (size_t)n);
    }
    if (k->queue.len > 0) {
        struct buf t = k->inflight; /* empty: no write in progress */
        k->inflight = k->queue;
        k->queue = t;
        uv_buf_t b = uv_buf_init(k->inflight.data, (unsigned)k->inflight.len);
        int rc = uv_write(&k->wreq, (uv_stream_t *)&k->pipe, &b, 1, on_write);
        if (rc < 0) {
            log_debug("control: write failed: %s", uv_strerror(rc));
            conn_close(k);
            return;
        }
        k->writing = true;
        return;
    }
    if (k->draining)
        conn_close(k);
}

/* Queue one reply line; a client with more than CONTROL_QUEUE_MAX bytes unread is cut off. */
static void conn_send(struct ctl_conn *k, const char *data, size_t len)
{
    if (k->closing)
        return;
    if (k->queue.len + k->inflight.len + len > CONTROL_QUEUE_MAX ||
        buf_append(&k->queue, data, len) < 0) {
        WARN(k->ctl,
             "control: a client does not read its replies (%zu bytes queued); "
             "disconnected",
             k->queue.len + k->inflight.len);
        conn_close(k);
        return;
    }
    conn_flush(k);
}

static void on_idle(uv_timer_t *t);

/* No more requests from this connection: write what is queued, then close (bounded). */
static void conn_drain(struct ctl_conn *k)
{
    if (k->closing || k->draining)
        return;
    k->draining = true;
    uv_read_stop((uv_stream_t *)&k->pipe);
    uv_timer_start(&k->idle_timer, on_idle, CONTROL_DRAIN_MS, 0);
    conn_flush(k);
}

static void send_error(struct ctl_conn *k, const char *id, size_t id_len, int code, const char *msg)
{
    struct control *c = k->ctl;
    buf_reset(&c->reply);
    if (ctl_write_error(&c->reply, id, id_len, code, msg) < 0) {
        conn_close(k);
        return;
    }
    conn_send(k, c->reply.data, c->reply.len);
}

static void on_idle(uv_timer_t *t)
{
    struct ctl_conn *k = container_of(t, struct ctl_conn, idle_timer);
    if (k->draining) { /* the client did not read its last reply in time */
        conn_close(k);
        return;
    }
    char msg[96];
    snprintf(msg, sizeof(msg), "no complete request for %u s; closing the connection",
             (k->ctl->idle_ms + 999) / 1000);
    send_error(k, NULL, 0, CTL_E_IDLE, msg);
    conn_drain(k);
}

/* ---- requests ---------------------------------------------------------------------- */

static bool blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
            return false;
    return true;
}

/* Answer one request line. True when its session checked out (the client is not idle). */
static bool handle_request(struct ctl_conn *k, const char *line, size_t len,
                           struct ctl_request *reqp)
{
    struct control *c = k->ctl;
    struct ctl_request req;
    char msg[320];
    int rc = ctl_parse_request(&c->proto, line, len, &req, msg, sizeof(msg));
    reqp->method = req.method;
    if (rc != 0) {
        send_error(k, req.id, req.id_len, rc, msg);
        return false;
    }
    rc = ctl_auth_check(&c->auth, &req, (uint64_t)time(NULL), msg, sizeof(msg));
    if (rc != 0) {
        if (rc != CTL_E_INTERNAL && ++k->failures >= CONTROL_AUTH_FAILURES) {
            size_t n = strlen(msg);
            snprintf(msg + n, sizeof(msg) - n,
                     "; closing the connection after %d failed "
                     "session checks",
                     CONTROL_AUTH_FAILURES);
            WARN(c, "control: closed a connection after %d failed session checks",
                 CONTROL_AUTH_FAILURES);
            send_error(k, req.id, req.id_len, rc, msg);
            conn_drain(k);
            return false;
        }
        send_error(k, req.id, req.id_len, rc, msg);
        return false;
    }
    rc = ctl_parse_params(&c->proto, &req, msg, sizeof(msg));
    if (rc != 0) {
        send_error(k, req.id, req.id_len, rc, msg);
        return true;
    }
    buf_reset(&c->body);
    switch (req.method) {
    case CTL_M_PING:
        rc = buf_append(&c->body, "\"pong\":true", 11);
        break;
    case CTL_M_STATUS:
        rc = c->status ? c->status(c->ctx, &c->body) : -ENOSYS;
        break;
    case CTL_M_INVALIDATE:
        rc = c->invalidate ? c->invalidate(c->ctx, req.inval_kind, req.value, &c->body) : -ENOSYS;
        break;
    case CTL_M_TRACK:
        msg[0] = '\0';
        rc = c->track ? c->track(c->ctx, req.track, req.track_len, req.labels, req.nlabels,
                                 &c->body, msg, sizeof(msg))
                      : -ENOSYS;
        if (rc < 0 && msg[0] != '\0') {
            send_error(k, req.id, req.id_len, CTL_E_PARAMS, msg);
            return true;
        }
        break;
    default:
        rc = -EINVAL;
    }
    if (rc < 0) {
        snprintf(msg, sizeof(msg), "%s failed: %s", ctl_method_name(req.method),
                 rc == -ENOBUFS ? "result too large" : strerror(-rc));
        send_error(k, req.id, req.id_len, CTL_E_INTERNAL, msg);
        return true;
    }
    buf_reset(&c->reply);
    if (ctl_write_result(&c->reply, req.id, req.id_len, c->body.data, c->body.len) < 0) {
        send_error(k, req.id, req.id_len, CTL_E_INTERNAL, "result too large");
        return true;
    }
    conn_send(k, c->reply.data, c->reply.len);
    return true;
}

/* Handle one line. True when it was a request whose session checked out. */
static bool handle_line(struct ctl_conn *k, char *line, size_t len)
{
    struct ctl_request req = {.method = CTL_M_UNKNOWN};
    if (blank(line, len))
        return false; /* not a request: no reply */
    bool authenticated = handle_request(k, line, len, &req);
    /* a track request's value is a secret: nothing of it stays in the parser or the line (any
     * line is wiped: one that failed to parse may have been a track request) */
    if (req.method == CTL_M_TRACK)
        ctl_proto_wipe(&k->ctl->proto);
    explicit_bzero(line, len);
    return authenticated;
}

/* ---- reading ----------------------------------------------------------------------- */

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
    struct ctl_conn *k = h->data;
    (void)hint;
    *b = uv_buf_init(k->in + k->in_len, (unsigned)(IN_CAP - k->in_len)); /* never 0: see on_read */
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
    struct ctl_conn *k = s->data;
    (void)b;
    if (k->closing || k->draining)
        return;
    if (nread < 0) {
        if (nread != UV_EOF)
            log_debug("control: read failed: %s", uv_strerror((int)nread));
        if (nread == UV_EOF && k->in_len > 0 && !blank(k->in, k->in_len)) {
            handle_line(k, k->in, k->in_len); /* a last line without its newline */
            k->in_len = 0;
        }
        if (nread == UV_EOF)
            conn_drain(k); /* the client may still read its replies */
        else
            conn_close(k);
        return;
    }
    size_t scan = k->in_len, start = 0;
    k->in_len += (size_t)nread;
    while (!k->closing && !k->draining) {
        char *nl = memchr(k->in + scan, '\n', k->in_len - scan);
        if (nl == NULL)
            break;
        size_t end = (size_t)(nl - k->in);
        /* only a request with this run's session id shows a live client: blank lines,
         * garbage and failed session checks must not hold a slot past the idle time */
        if (handle_line(k, k->in + start, end - start) && !k->closing && !k->draining)
            uv_timer_again(&k->idle_timer);
        start = scan = end + 1;
    }
    if (k->closing || k->draining)
        return;
    if (start > 0) {
        memmove(k->in, k->in + start, k->in_len - start);
        k->in_len -= start;
        explicit_bzero(k->in + k->in_len, start); /* the moved bytes' old copies */
    }
    if (k->in_len >= IN_CAP) { /* a full buffer without a newline */
        char msg[96];
        snprintf(msg, sizeof(msg), "request line longer than %d bytes; closing the connection",
                 CTL_LINE_MAX);
        WARN(k->ctl, "control: %s", msg);
        k->in_len = 0;
        send_error(k, NULL, 0, CTL_E_LINE_TOO_LONG, msg);
        conn_drain(k);
    }
}

/* ---- accepting --------------------------------------------------------------------- */

/* The peer runs as our effective uid, or as root. */
static bool peer_allowed(struct ctl_conn *k)
{
    uv_os_fd_t fd;
    struct ucred cr;
    socklen_t len = sizeof(cr);
    if (uv_fileno((uv_handle_t *)&k->pipe, &fd) < 0 ||
        getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || len != sizeof(cr)) {
        WARN(k->ctl, "control: cannot read a client's credentials; connection closed");
        return false;
    }
    if (cr.uid != geteuid() && cr.uid != 0) {
        WARN(k->ctl,
             "control: refused a connection from uid %u (pid %d): only uid %u and root "
             "may connect",
             (unsigned)cr.uid, (int)cr.pid, (unsigned)geteuid());
        return false;
    }
    return true;
}

static void on_connection(uv_stream_t *server, int status)
{
    struct control *c = container_of((uv_pipe_t *)server, struct control, server);
    if (status < 0) {
        log_warn("control: accept: %s", uv_strerror(status));
        return;
    }
    struct ctl_conn *k = calloc(1, sizeof(*k));
    if (k == NULL) {
        log_warn("control: out of memory; a connection waits");
        return;
    }
    k->ctl = c;
    buf_init(&k->queue, CONTROL_QUEUE_MAX);
    buf_init(&k->inflight, CONTROL_QUEUE_MAX);
    uv_pipe_init(c->loop, &k->pipe, 0);
    uv_timer_init(c->loop, &k->idle_timer);
    k->pipe.data = k->idle_timer.data = k;
    uv_unref((uv_handle_t *)&k->pipe);
    uv_unref((uv_handle_t *)&k->idle_timer);
    k->open_handles = 2;
    k->next = c->conns;
    k->pprev = &c->conns;
    if (c->conns != NULL)
        c->conns->pprev = &k->next;
    c->conns = k;
    int rc = uv_accept(server, (uv_stream_t *)&k->pipe);
    if (rc < 0) {
        log_warn("control: accept: %s", uv_strerror(rc));
        conn_close(k);
        return;
    }
    if (!peer_allowed(k)) {
        conn_close(k); /* no reply: a stranger learns nothing */
        return;
    }
    if (c->nconns >= CONTROL_MAX_CONNS) {
        /* a client can provoke this at will: said at most once a second, with the count */
        uint64_t now = uv_now(c->loop);
        c->refused++;
        if (c->full_ms == 0 || now - c->full_ms >= 1000) {
            log_warn("control: %d connections open; further ones are refused until one closes "
                     "(%" PRIu64 " refused%s)",
                     CONTROL_MAX_CONNS, c->refused,
                     c->full_ms == 0 ? "" : " since the last warning");
            c->refused = 0;
            c->full_ms = now ? now : 1;
        }
        char msg[96];
        snprintf(msg, sizeof(msg), "too many control connections (at most %d at once)",
                 CONTROL_MAX_CONNS);
        buf_reset(&c->reply);
        if (ctl_write_error(&c->reply, NULL, 0, CTL_E_TOO_MANY, msg) == 0) {
            uv_buf_t b = uv_buf_init(c->reply.data, (unsigned)c->reply.len);
            (void)uv_try_write((uv_stream_t *)&k->pipe, &b, 1); /* best effort, never waits */
        }
        conn_close(k);
        return;
    }
    if ((k->in = malloc(IN_CAP)) == NULL) {
        conn_close(k);
        return;
    }
    k->counted = true;
    c->nconns++;
    uv_timer_start(&k->idle_timer, on_idle, c->idle_ms, c->idle_ms);
    if ((rc = uv_read_start((uv_stream_t *)&k->pipe, on_alloc, on_read)) < 0) {
        log_warn("control: read: %s", uv_strerror(rc));
        conn_close(k);
    }
}

/* ---- opening ----------------------------------------------------------------------- */

/* Make room for the socket at path: nothing there, or a stale socket (removed). */
static int clear_path(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(path, &st) < 0) {
        if (errno == ENOENT)
            return 0;
        int e = errno;
        snprintf(err, errlen, "--control %s: %s", path, strerror(e));
        return -e;
    }
    if (!S_ISSOCK(st.st_mode)) {
        snprintf(err, errlen,
                 "--control %s: the path exists and is not a socket; refusing to "
                 "replace it",
                 path);
        return -EEXIST;
    }
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "--control: socket: %s", strerror(e));
        return -e;
    }
    int rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
    int e = rc < 0 ? errno : 0;
    close(fd);
    if (rc == 0 || e == EAGAIN || e == EINPROGRESS) {
        snprintf(err, errlen, "--control %s: another sentinel is listening on %s", path, path);
        return -EADDRINUSE;
    }
    if (e == ENOENT)
        return 0;
    if (e != ECONNREFUSED) {
        snprintf(err, errlen, "--control %s: cannot tell whether the socket is in use: %s", path,
                 strerror(e));
        return -e;
    }
    if (unlink(path) < 0 && errno != ENOENT) {
        e = errno;
        snprintf(err, errlen, "--control %s: cannot remove the stale socket: %s", path,
                 strerror(e));
        return -e;
    }
    log_info("control: replaced the stale socket %s", path);
    return 0;
}

/* A listening socket at path, mode 0600 from birth (umask around bind). fd or -errno. */
static int listen_at(struct control *c, const char *path, char *err, size_t errlen)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "--control: socket: %s", strerror(e));
        return -e;
    }
    mode_t old = umask(0177);
    int rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
    int e = errno;
    umask(old);
    if (rc < 0) {
        snprintf(err, errlen, "--control %s: %s", path, strerror(e));
        close(fd);
        return -e;
    }
    if (lstat(path, &c->sock_st) < 0 || !S_ISSOCK(c->sock_st.st_mode) || chmod(path, 0600) < 0) {
        e = errno ? errno : EIO;
        snprintf(err, errlen, "--control %s: cannot secure the socket: %s", path, strerror(e));
        unlink(path);
        close(fd);
        return -e;
    }
    c->have_sock = true;
    return fd;
}

/* PATH.session: the session id, 0600, created fresh (a leftover of a dead run is replaced). */
static int write_sid_file(struct control *c, const char *sid, char *err, size_t errlen)
{
    struct stat st;
    int e;
    if (lstat(c->sid_path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "--control: %s is a directory", c->sid_path);
            return -EISDIR;
        }
        if (unlink(c->sid_path) < 0 && errno != ENOENT) {
            e = errno;
            snprintf(err, errlen, "--control: cannot replace %s: %s", c->sid_path, strerror(e));
            return -e;
        }
    }
    int fd = open(c->sid_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        e = errno;
        snprintf(err, errlen, "--control: cannot create %s: %s", c->sid_path, strerror(e));
        return -e;
    }
    size_t n = strlen(sid);
    char line[SEAL_SID_BUF + 1];
    memcpy(line, sid, n);
    line[n++] = '\n';
    ssize_t w = write(fd, line, n);
    e = w < 0 ? errno : EIO;
    if (w != (ssize_t)n || fstat(fd, &c->sid_st) < 0) {
        snprintf(err, errlen, "--control: cannot write %s: %s", c->sid_path, strerror(e));
        close(fd);
        unlink(c->sid_path);
        return -e;
    }
    close(fd);
    c->have_sid = true;
    return 0;
}

int control_open(struct control **out, uv_loop_t *loop, const struct control_opts *o, char *err,
                 size_t errlen)
{
    *out = NULL;
    struct sockaddr_un sa;
    if (o->path == NULL || o->path[0] == '\0' || o->session_id == NULL ||
        strlen(o->session_id) > SEAL_SID_MAX) {
        snprintf(err, errlen, "--control: no socket path or session id");
        return -EINVAL;
    }
    if (strlen(o->path) >= sizeof(sa.sun_path)) {
        snprintf(err, errlen, "--control %s: a socket path has at most %zu bytes", o->path,
                 sizeof(sa.sun_path) - 1);
        return -ENAMETOOLONG;
    }
    struct control *c = calloc(1, sizeof(*c));
    size_t pl = strlen(o->path);
    if (c == NULL || (c->path = strdup(o->path)) == NULL ||
        (c->sid_path = malloc(pl + sizeof(".session"))) == NULL) {
        if (c != NULL)
            free(c->path);
        free(c);
        snprintf(err, errlen, "--control: out of memory");
        return -ENOMEM;
    }
    memcpy(c->sid_path, o->path, pl);
    memcpy(c->sid_path + pl, ".session", sizeof(".session"));
    c->loop = loop;
    c->idle_ms = o->idle_ms ? o->idle_ms : CONTROL_IDLE_MS;
    c->ctx = o->ctx;
    c->status = o->status;
    c->invalidate = o->invalidate;
    c->track = o->track;
    ctl_proto_init(&c->proto);
    buf_init(&c->body, CONTROL_BODY_MAX);
    buf_init(&c->reply, CONTROL_BODY_MAX + CTL_ID_MAX + 64);

    int rc =
        ctl_auth_init(&c->auth, o->session_keys, o->session_id, (uint64_t)time(NULL), err, errlen);
    if (rc < 0)
        goto fail;
    if ((rc = clear_path(c->path, err, errlen)) < 0)
        goto fail;
    int fd = listen_at(c, c->path, err, errlen);
    if (fd < 0) {
        rc = fd;
        goto fail;
    }
    uv_pipe_init(loop, &c->server, 0);
    c->server_open = true;
    uv_unref((uv_handle_t *)&c->server);
    if ((rc = uv_pipe_open(&c->server, fd)) < 0) {
        close(fd);
        snprintf(err, errlen, "--control %s: %s", c->path, uv_strerror(rc));
        goto fail;
    }
    if ((rc = uv_listen((uv_stream_t *)&c->server, BACKLOG, on_connection)) < 0) {
        snprintf(err, errlen, "--control %s: listen: %s", c->path, uv_strerror(rc));
        goto fail;
    }
    if ((rc = write_sid_file(c, o->session_id, err, errlen)) < 0)
        goto fail;
    *out = c;
    return 0;
fail:
    control_close(c); /* frees now, or after the server handle's close callback */
    return rc;
}
