/*
 * approval.c - held calls wait here for a human's y/N on a terminal. One question is on
 * screen at a time; untrusted text is escaped byte by byte before it reaches the terminal,
 * and input only counts once the whole prompt was written and older input flushed. It must
 * never block the loop, never call back inside approver_ask, and never approve by default.
 */
#include "proxy/approval.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include "base/buf.h"

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

/*
 * Untrusted text is broken into lines of at most WRAP_BYTES output bytes, each continuation
 * led by GUTTER. No character is wider on screen than its UTF-8 length, so on any terminal
 * wider than the gutter plus WRAP_BYTES columns the text never soft-wraps to column 0: a
 * detail cannot line up text that looks like one of our own lines.
 */
#define WRAP_BYTES 64
#define GUTTER "\r\n         | "
/* Worst case: 4 output bytes per input byte, plus a gutter per line, plus fixed text. */
#define PROMPT_MAX                                                                                 \
    ((APPROVAL_SUMMARY_MAX + APPROVAL_DETAIL_MAX) * 4 / WRAP_BYTES * (WRAP_BYTES + 16) + 1024)
#define READS_PER_WAKEUP 16
#define MIN_SHOW_CAP_MS 2000

_Static_assert(PROMPT_MAX * 2 <= APPROVAL_OUT_LIMIT, "a prompt must fit the output queue");

struct question {
    struct question *prev, *next;
    uint64_t ticket;
    uint64_t deadline; /* uv_hrtime() milliseconds */
    approval_cb cb;
    void *ctx;
    enum approval_answer answer;     /* set when it moves to `answered` */
    size_t summary_len, summary_cut; /* bytes kept in text, bytes dropped */
    size_t detail_len, detail_cut;
    char text[]; /* summary_len bytes, then detail_len bytes; not NUL-terminated */
};

struct qlist {
    struct question *head, *tail;
    size_t n;
};

struct approver {
    uv_loop_t *loop;
    int fd;
    unsigned timeout_ms;
    unsigned min_show_ms; /* never put a question on screen with less time left */
    uv_poll_t tty_poll;
    uv_timer_t deadline_timer;
    uv_idle_t kick_idle; /* from the loop: settle after an API call, run callbacks */
    bool kicked;         /* an API call changed the queues: settle on the next round */
    int poll_events;     /* what tty_poll waits for now; 0 = stopped */
    int pending_closes;
    struct qlist waiting;  /* in arrival order; the head is the one on screen, if any */
    struct qlist answered; /* decided, callback not run yet */
    struct question *shown;
    bool armed;   /* shown's prompt fully written and older input flushed */
    bool gone;    /* the terminal is unusable: everything is UNAVAILABLE */
    bool closing; /* approver_close was called: no callbacks, free when closed */
    uint64_t last_ticket;
    struct buf out; /* bytes for the terminal not yet accepted by write(2) */
    char line[APPROVAL_LINE_MAX];
    size_t line_len;
    bool line_long; /* the current answer line overflowed `line`: it refuses */
};

/* ---- small helpers ---- */

static uint64_t now_ms(void)
{
    return uv_hrtime() / 1000000u;
}

static void list_push(struct qlist *l, struct question *q)
{
    q->next = NULL;
    q->prev = l->tail;
    if (l->tail != NULL)
        l->tail->next = q;
    else
        l->head = q;
    l->tail = q;
    l->n++;
}

static void list_unlink(struct qlist *l, struct question *q)
{
    if (q->prev != NULL)
        q->prev->next = q->next;
    else
        l->head = q->next;
    if (q->next != NULL)
        q->next->prev = q->prev;
    else
        l->tail = q->prev;
    q->prev = q->next = NULL;
    l->n--;
}

static struct question *list_find(const struct qlist *l, uint64_t ticket)
{
    for (struct question *q = l->head; q != NULL; q = q->next)
        if (q->ticket == ticket)
            return q;
    return NULL;
}

static void list_free(struct qlist *l)
{
    struct question *q = l->head;
    while (q != NULL) {
        struct question *next = q->next;
        free(q);
        q = next;
    }
    l->head = l->tail = NULL;
    l->n = 0;
}

/* How many of n bytes to keep under max, not cutting a UTF-8 sequence in two. */
static size_t keep_len(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    size_t k = max;
    while (k > 0 && k + 3 > max && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

/* ---- rendering untrusted text ---- */

/* Length (1-4) of the valid UTF-8 sequence at s, its code point in *cp; 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1Fu;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        v = c & 0x0Fu;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07u;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* Code points that control the terminal or hide, reorder or fake text on screen. */
static const struct {
    uint32_t lo, hi;
} hidden[] = {
    {0x80, 0x9F},       /* C1 controls (CSI, OSC, ...) */
    {0xAD, 0xAD},       /* soft hyphen */
    {0x61C, 0x61C},     /* Arabic letter mark (bidi) */
    {0x115F, 0x1160},   /* Hangul fillers (blank) */
    {0x180E, 0x180E},   /* Mongolian vowel separator */
    {0x200B, 0x200F},   /* zero width space/joiners, LRM, RLM */
    {0x2028, 0x202E},   /* line/paragraph separators, bidi embeddings and overrides */
    {0x2060, 0x206F},   /* word joiner, invisible operators, bidi isolates */
    {0x3164, 0x3164},   /* Hangul filler */
    {0xFEFF, 0xFEFF},   /* zero-width no-break space */
    {0xFFA0, 0xFFA0},   /* halfwidth Hangul filler */
    {0xFFF9, 0xFFFB},   /* interlinear annotation */
    {0xE0000, 0xE007F}, /* tag characters */
};

static bool is_hidden(uint32_t cp)
{
    for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
        if (cp >= hidden[i].lo && cp <= hidden[i].hi)
            return true;
    return false;
}

/*
 * The screen form of the next character of s (n > 0 bytes): written to unit, its length in
 * *ulen; returns how many input bytes it consumed. Printable ASCII and harmless UTF-8 pass
 * through; everything else becomes visible escape text.
 */
static size_t render_unit(const char *s, size_t n, char unit[16], size_t *ulen)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t cp;
    size_t len = utf8_decode(u, n, &cp);
    int w;
    if (len == 0) {
        w = snprintf(unit, 16, "\\x%02x", u[0]); /* invalid UTF-8: one byte at a time */
        len = 1;
    } else if (cp == '\n') {
        w = snprintf(unit, 16, "\\n");
    } else if (cp == '\r') {
        w = snprintf(unit, 16, "\\r");
    } else if (cp == '\t') {
        w = snprintf(unit, 16, "\\t");
    } else if (cp < 0x20 || cp == 0x7F) {
        w = snprintf(unit, 16, "\\x%02x", (unsigned)cp);
    } else if (is_hidden(cp)) {
        w = snprintf(unit, 16, "\\u{%" PRIX32 "}", cp);
    } else {
        memcpy(unit, s, len);
        w = (int)len;
    }
    *ulen = (size_t)w;
    return len;
}

static int put_text(struct buf *b, const char *s, size_t n)
{
    size_t col = 0;
    int rc = 0;
    while (n > 0 && rc == 0) {
        char unit[16];
        size_t ulen;
        size_t used = render_unit(s, n, unit, &ulen);
        if (col + ulen > WRAP_BYTES) {
            rc = buf_append(b, GUTTER, sizeof(GUTTER) - 1);
            col = 0;
        }
        rc = rc ? rc : buf_append(b, unit, ulen);
        col += ulen;
        s += used;
        n -= used;
    }
    return rc;
}

static int put_prompt(struct approver *a, const struct question *q)
{
    struct buf *b = &a->out;
    uint64_t now = now_ms();
    uint64_t left = q->deadline > now ? q->deadline - now : 0;
    int rc = buf_printf(b, "\r\n=== sentinel approval #%" PRIu64 " (%zu more waiting) ===\r\n",
                        q->ticket, a->waiting.n - 1);
    rc = rc ? rc : buf_printf(b, "request: ");
    rc = rc ? rc : put_text(b, q->text, q->summary_len);
    if (rc == 0 && q->summary_cut > 0)
        rc = buf_printf(b, GUTTER "[%zu more bytes not shown]", q->summary_cut);
    rc = rc ? rc : buf_printf(b, "\r\ndetails: ");
    if (rc == 0 && q->detail_len == 0 && q->detail_cut == 0)
        rc = buf_printf(b, "(none)");
    rc = rc ? rc : put_text(b, q->text + q->summary_len, q->detail_len);
    if (rc == 0 && q->detail_cut > 0)
        rc = buf_printf(b, GUTTER "[%zu more bytes not shown]", q->detail_cut);
    rc =
        rc ? rc
           : buf_printf(b, "\r\nanswer within %" PRIu64 " s. approve? [y/N] ", (left + 999) / 1000);
    return rc;
}

/* A status line of ours; dropped when the terminal is not keeping up (it is only news). */
static void say(struct approver *a, const char *what, uint64_t ticket)
{
    if (a->gone)
        return;
    char line[224];
    int n = snprintf(line, sizeof(line), "\r\n--- approval #%" PRIu64 " %s\r\n", ticket, what);
    if (n > 0 && (size_t)n < sizeof(line))
        buf_append(&a->out, line, (size_t)n);
}

/* ---- state changes (none of them calls back: answers wait in `answered`) ---- */

static void answer(struct approver *a, struct question *q, enum approval_answer ans)
{
    list_unlink(&a->waiting, q);
    if (a->shown == q) {
        a->shown = NULL;
        a->armed = false;
    }
    q->answer = ans;
    list_push(&a->answered, q);
}

static void go_unavailable(struct approver *a)
{
    if (a->gone)
        return;
    a->gone = true;
    a->shown = NULL;
    a->armed = false;
    buf_reset(&a->out);
    if (a->poll_events != 0)
        uv_poll_stop(&a->tty_poll);
    a->poll_events = 0;
    uv_timer_stop(&a->deadline_timer);
    while (a->waiting.head != NULL)
        answer(a, a->waiting.head, APPROVAL_UNAVAILABLE);
}

static void flush_out(struct approver *a)
{
    while (a->out.len > 0 && !a->gone) {
        ssize_t w = write(a->fd, a->out.data, a->out.len);
        if (w > 0) {
            buf_consume(&a->out, (size_t)w);
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return; /* tty_poll waits for UV_WRITABLE */
        } else {
            go_unavailable(a);
        }
    }
}

/* The prompt is on the terminal: from now on a line answers it, and nothing older does. */
static void arm(struct approver *a)
{
    if (tcflush(a->fd, TCIFLUSH) < 0) {
        go_unavailable(a);
        return;
    }
    a->line_len = 0;
    a->line_long = false;
    a->armed = true;
}

/* Answer TIMEOUT everything whose deadline passed (deadlines grow along the queue). */
static void expire(struct approver *a)
{
    uint64_t now = now_ms();
    while (a->waiting.head != NULL && a->waiting.head->deadline <= now) {
        struct question *q = a->waiting.head;
        if (q == a->shown)
            say(a, "timed out: refused", q->ticket);
        answer(a, q, APPROVAL_TIMEOUT);
    }
}

static void show_next(struct approver *a)
{
    while (a->shown == NULL && !a->gone && a->waiting.head != NULL) {
        struct question *q = a->waiting.head;
        uint64_t now = now_ms();
        if (q->deadline < now + a->min_show_ms) {
            answer(a, q, APPROVAL_TIMEOUT); /* too late to read it: never shown */
            continue;
        }
        if (a->out.len + PROMPT_MAX > APPROVAL_OUT_LIMIT)
            return; /* the terminal is not keeping up: retried when output drains */
        size_t mark = a->out.len;
        if (put_prompt(a, q) < 0) {
            a->out.len = mark; /* out of memory: it stays queued and times out */
            return;
        }
        a->shown = q;
        a->armed = false;
    }
}

static void on_timer(uv_timer_t *t);
static void on_poll(uv_poll_t *h, int status, int events);
static void on_kick(uv_idle_t *h);

/* Bring handles and screen in line with the queues. Called at the end of every entry. */
static void settle(struct approver *a)
{
    if (a->closing)
        return;
    expire(a);
    show_next(a);
    flush_out(a);
    if (a->shown != NULL && !a->armed && a->out.len == 0 && !a->gone)
        arm(a);
    if (!a->gone && a->waiting.head != NULL) {
        uint64_t now = now_ms(), due = a->waiting.head->deadline;
        uv_timer_start(&a->deadline_timer, on_timer, due > now ? due - now : 0, 0);
    } else {
        uv_timer_stop(&a->deadline_timer);
    }
    /* read only while a question is on screen: the terminal may be shared, and what is
     * typed in between is flushed by arm() anyway */
    int ev = (a->shown != NULL ? UV_READABLE : 0) | (a->out.len > 0 ? UV_WRITABLE : 0);
    if (!a->gone && ev != a->poll_events) {
        if (ev == 0) {
            uv_poll_stop(&a->tty_poll);
            a->poll_events = 0;
        } else if (uv_poll_start(&a->tty_poll, ev, on_poll) == 0) {
            a->poll_events = ev;
        } else {
            go_unavailable(a);
        }
    }
    if (a->answered.head != NULL)
        uv_idle_start(&a->kick_idle, on_kick);
}

/* The API only edits the queues; the screen and the callbacks follow from the loop. */
static void kick(struct approver *a)
{
    a->kicked = true;
    uv_idle_start(&a->kick_idle, on_kick);
}

/* ---- input ---- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static bool is_yes(const char *s, size_t n)
{
    while (n > 0 && is_space(s[0]))
        s++, n--;
    while (n > 0 && is_space(s[n - 1]))
        n--;
    return (n == 1 && (s[0] == 'y' || s[0] == 'Y')) || (n == 3 && strncasecmp(s, "yes", 3) == 0);
}

/* Feed input bytes; true when a line answered the question on screen (the rest is dropped). */
static bool feed(struct approver *a, const char *p, size_t n)
{
    if (!a->armed)
        return false; /* nothing on screen, or typed before the prompt was: ignored */
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n' || p[i] == '\r') {
            struct question *q = a->shown;
            bool yes = !a->line_long && is_yes(a->line, a->line_len);
            say(a, yes ? "approved" : "refused", q->ticket);
            answer(a, q, yes ? APPROVAL_YES : APPROVAL_NO);
            return true;
        }
        if (a->line_len < sizeof(a->line))
            a->line[a->line_len++] = p[i];
        else
            a->line_long = true;
    }
    return false;
}

static void read_input(struct approver *a)
{
    char chunk[256];
    for (int i = 0; i < READS_PER_WAKEUP && !a->gone; i++) {
        ssize_t r = read(a->fd, chunk, sizeof(chunk));
        if (r > 0) {
            if (feed(a, chunk, (size_t)r))
                return; /* what follows is older than the next prompt: arm() flushes it */
        } else if (r < 0 && errno == EINTR) {
            continue;
        } else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        } else {
            go_unavailable(a); /* EOF (^D, hangup) or an error: nobody can answer */
        }
    }
}

/* ---- loop callbacks ---- */

static void on_poll(uv_poll_t *h, int status, int events)
{
    struct approver *a = container_of(h, struct approver, tty_poll);
    if (status < 0) {
        go_unavailable(a);
    } else {
        expire(a); /* a late answer does not count */
        if (events & UV_READABLE)
            read_input(a);
    }
    settle(a);
}

static void on_timer(uv_timer_t *t)
{
    settle(container_of(t, struct approver, deadline_timer));
}

static void on_kick(uv_idle_t *h)
{
    struct approver *a = container_of(h, struct approver, kick_idle);
    a->kicked = false;
    settle(a);
    /* only those decided before this round: a callback that asks again waits a round */
    size_t n = a->answered.n;
    while (n-- > 0 && !a->closing && a->answered.head != NULL) {
        struct question *q = a->answered.head;
        list_unlink(&a->answered, q);
        q->cb(q->ctx, q->ticket, q->answer);
        free(q);
    }
    if (!a->closing && !a->kicked && a->answered.head == NULL)
        uv_idle_stop(&a->kick_idle);
}

static void on_closed(uv_handle_t *h)
{
    struct approver *a = h->data;
    if (--a->pending_closes > 0)
        return;
    close(a->fd);
    list_free(&a->waiting);
    list_free(&a->answered);
    buf_cleanup(&a->out);
    free(a);
}

/* ---- API ---- */

static int open_device(const char *device, int *fd, char *err, size_t errlen)
{
    *fd = open(device, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    if (*fd < 0) {
        int e = errno;
        snprintf(err, errlen, "cannot open approval terminal %s: %s (errno %d)", device,
                 strerror(e), e);
        return -e;
    }
    if (!isatty(*fd)) {
        snprintf(err, errlen, "approval terminal %s is not a terminal (errno %d)", device, ENOTTY);
        close(*fd);
        return -ENOTTY;
    }
    /* Our controlling terminal with another foreground job: a read would stop us (SIGTTIN). */
    pid_t sid = tcgetsid(*fd), fg = tcgetpgrp(*fd);
    if (sid >= 0 && sid == getsid(0) && fg >= 0 && fg != getpgrp()) {
        snprintf(err, errlen,
                 "approval terminal %s: sentinel is not in its foreground process group "
                 "(reading it would stop the process) (errno %d)",
                 device, EBUSY);
        close(*fd);
        return -EBUSY;
    }
    return 0;
}

int approver_open(struct approver **out, uv_loop_t *loop, const char *device, unsigned timeout_ms,
                  char *err, size_t errlen)
{
    *out = NULL;
    if (device == NULL || timeout_ms == 0) {
        snprintf(err, errlen, "approval terminal %s: %s", device ? device : "(none)",
                 device ? "the timeout must be above 0 ms" : "no device given");
        return -EINVAL;
    }
    struct approver *a = calloc(1, sizeof(*a));
    if (a == NULL) {
        snprintf(err, errlen, "approval terminal %s: out of memory", device);
        return -ENOMEM;
    }
    int rc = open_device(device, &a->fd, err, errlen);
    if (rc < 0) {
        free(a);
        return rc;
    }
    rc = uv_poll_init(loop, &a->tty_poll, a->fd);
    if (rc < 0) {
        snprintf(err, errlen, "approval terminal %s: %s", device, uv_strerror(rc));
        close(a->fd);
        free(a);
        return rc;
    }
    /* timers and idles cannot fail to initialise on Unix */
    uv_timer_init(loop, &a->deadline_timer);
    uv_idle_init(loop, &a->kick_idle);
    a->tty_poll.data = a->deadline_timer.data = a->kick_idle.data = a;
    a->loop = loop;
    a->timeout_ms = timeout_ms;
    a->min_show_ms = timeout_ms / 4 < MIN_SHOW_CAP_MS ? timeout_ms / 4 : MIN_SHOW_CAP_MS;
    buf_init(&a->out, APPROVAL_OUT_LIMIT);
    *out = a;
    return 0;
}

int approver_ask(struct approver *a, const char *summary, const char *detail, size_t detail_len,
                 approval_cb cb, void *ctx, uint64_t *ticket)
{
    if (summary == NULL || cb == NULL || (detail == NULL && detail_len > 0))
        return -EINVAL;
    if (a->closing)
        return -ESHUTDOWN;
    if (approver_pending(a) >= APPROVAL_MAX_PENDING)
        return -ENOBUFS;
    size_t slen = strlen(summary);
    size_t skeep = keep_len(summary, slen, APPROVAL_SUMMARY_MAX);
    size_t dkeep = keep_len(detail, detail_len, APPROVAL_DETAIL_MAX);
    struct question *q = malloc(sizeof(*q) + skeep + dkeep);
    if (q == NULL)
        return -ENOMEM;
    q->ticket = ++a->last_ticket;
    q->deadline = now_ms() + a->timeout_ms;
    q->cb = cb;
    q->ctx = ctx;
    q->answer = APPROVAL_UNAVAILABLE;
    q->summary_len = skeep;
    q->summary_cut = slen - skeep;
    q->detail_len = dkeep;
    q->detail_cut = detail_len - dkeep;
    memcpy(q->text, summary, skeep);
    if (dkeep > 0)
        memcpy(q->text + skeep, detail, dkeep);
    if (a->gone)
        list_push(&a->answered, q); /* UNAVAILABLE, delivered from the loop */
    else
        list_push(&a->waiting, q);
    if (ticket != NULL)
        *ticket = q->ticket;
    kick(a); /* shown from the loop, so a burst of asks is counted in "more waiting" */
    return 0;
}

void approver_cancel(struct approver *a, uint64_t ticket, const char *why)
{
    if (a == NULL || a->closing)
        return;
    struct question *q = list_find(&a->answered, ticket);
    if (q != NULL) {
        list_unlink(&a->answered, q);
        free(q);
        return;
    }
    q = list_find(&a->waiting, ticket);
    if (q == NULL)
        return;
    if (q == a->shown) {
        a->shown = NULL;
        a->armed = false;
        char what[160];
        snprintf(what, sizeof(what), "withdrawn %.120s: not approved", why);
        say(a, what, ticket);
    }
    list_unlink(&a->waiting, q);
    free(q);
    kick(a);
}

size_t approver_pending(const struct approver *a)
{
    return a->waiting.n + a->answered.n;
}

void approver_close(struct approver *a)
{
    if (a == NULL || a->closing)
        return;
    if (a->shown != NULL)
        say(a, "withdrawn: sentinel is closing", a->shown->ticket);
    flush_out(a); /* what was said last (a withdrawal), best effort, never waits */
    a->closing = true;
    a->pending_closes = 3;
    uv_close((uv_handle_t *)&a->tty_poll, on_closed);
    uv_close((uv_handle_t *)&a->deadline_timer, on_closed);
    uv_close((uv_handle_t *)&a->kick_idle, on_closed);
}
