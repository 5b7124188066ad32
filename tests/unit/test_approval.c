/*
 * test_approval.c - the terminal approver against a real pty and a real uv loop: the test
 * plays the human on the master side (reads the screen, types answers). Covers answers,
 * ordering, timeouts on screen and in the queue, withdrawal, type-ahead, escaping of
 * hostile text, truncation, a vanished terminal, the pending limit and closing.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <uv.h>

#include "check.h"
#include "proxy/approval.h"

#define LONG_MS 10000 /* a timeout no test reaches */
#define SHORT_MS 80   /* a timeout tests wait out */
#define WAIT_MS 3000  /* give up waiting for something that should happen */

/* ---- the human's side: a pty master, what it has read, what was answered ---- */

static struct {
    uv_loop_t loop;
    int master, slave;
    char path[128];
    char screen[256 * 1024]; /* everything the master read */
    size_t len;
    char joined[256 * 1024]; /* the same with our wrapping gutters taken out */
    size_t joined_len;
} t;

static struct rec {
    uint64_t ticket;
    enum approval_answer a;
} recs[2 * APPROVAL_MAX_PENDING];
static size_t nrec;
static bool asking; /* inside approver_ask: a callback now would be synchronous */
static int sync_calls;

static void on_answer(void *ctx, uint64_t ticket, enum approval_answer a)
{
    (void)ctx;
    if (asking)
        sync_calls++;
    if (nrec < sizeof(recs) / sizeof(recs[0]))
        recs[nrec++] = (struct rec){ticket, a};
}

static void drain_master(void);

static void setup(void)
{
    memset(&t, 0, sizeof(t));
    nrec = 0;
    sync_calls = 0;
    if (uv_loop_init(&t.loop) != 0 || openpty(&t.master, &t.slave, t.path, NULL, NULL) != 0)
        abort();
    fcntl(t.master, F_SETFL, fcntl(t.master, F_GETFL) | O_NONBLOCK);
}

static void teardown(void)
{
    uv_run(&t.loop, UV_RUN_DEFAULT);
    drain_master();
    CHECK_INT(uv_loop_close(&t.loop), 0);
    if (t.master >= 0)
        close(t.master);
    close(t.slave);
    CHECK_INT(sync_calls, 0);
}

static struct approver *open_approver(unsigned timeout_ms)
{
    struct approver *a = NULL;
    char err[256] = "";
    int rc = approver_open(&a, &t.loop, t.path, timeout_ms, err, sizeof(err));
    CHECK_INT(rc, 0);
    if (rc != 0) {
        fprintf(stderr, "approver_open: %s\n", err);
        abort();
    }
    return a;
}

static uint64_t ask(struct approver *a, const char *summary, const char *detail)
{
    uint64_t ticket = 0;
    asking = true;
    int rc =
        approver_ask(a, summary, detail, detail ? strlen(detail) : 0, on_answer, NULL, &ticket);
    asking = false;
    CHECK_INT(rc, 0);
    CHECK(ticket != 0);
    return ticket;
}

static void drain_master(void)
{
    if (t.master < 0)
        return;
    for (;;) {
        size_t room = sizeof(t.screen) - 1 - t.len;
        ssize_t r = read(t.master, t.screen + t.len, room);
        if (r <= 0 || room == 0)
            break;
        t.len += (size_t)r;
    }
    t.screen[t.len] = '\0';
    /* the approver wraps untrusted text with "\r\n         | " (\r\r\n after ONLCR) */
    static const char gutter[] = "\r\r\n         | ";
    t.joined_len = 0;
    for (size_t i = 0; i < t.len;) {
        if (t.len - i >= sizeof(gutter) - 1 &&
            memcmp(t.screen + i, gutter, sizeof(gutter) - 1) == 0) {
            i += sizeof(gutter) - 1;
            continue;
        }
        t.joined[t.joined_len++] = t.screen[i++];
    }
}

static size_t count(const char *needle)
{
    size_t n = 0, nl = strlen(needle);
    for (const char *p = t.screen; (p = memmem(p, t.len - (size_t)(p - t.screen), needle, nl));
         p += nl)
        n++;
    return n;
}

static bool has(const char *needle)
{
    return count(needle) > 0;
}

/* Text that may have been wrapped over several screen lines. */
static bool has_text(const char *needle)
{
    return memmem(t.joined, t.joined_len, needle, strlen(needle)) != NULL;
}

static const char *want_text;

static bool got_text(size_t n)
{
    return count(want_text) >= n;
}

/* Run the loop, reading the master, until `until` holds or ms pass. */
static bool run(bool (*until)(size_t), size_t arg, unsigned ms)
{
    uint64_t end = uv_hrtime() + (uint64_t)ms * 1000000u;
    for (;;) {
        uv_run(&t.loop, UV_RUN_NOWAIT);
        drain_master();
        if (until != NULL && until(arg))
            return true;
        if (uv_hrtime() > end)
            return until == NULL;
        struct pollfd p = {.fd = t.master, .events = POLLIN};
        poll(&p, t.master >= 0 ? 1 : 0, 1);
    }
}

static bool got_answers(size_t n)
{
    return nrec >= n;
}

static bool got_prompts(size_t n)
{
    return count("approve? [y/N] ") >= n;
}

static void type(const char *s)
{
    CHECK_INT(write(t.master, s, strlen(s)), (long long)strlen(s));
}

/* ---- tests ---- */

static void test_open_errors(void)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    struct approver *a = (struct approver *)1;
    char err[256] = "";
    CHECK_INT(approver_open(&a, &loop, "/nonexistent/tty", 1000, err, sizeof(err)), -ENOENT);
    CHECK(a == NULL);
    CHECK(strstr(err, "/nonexistent/tty") != NULL);
    CHECK(strstr(err, "errno 2") != NULL);
    err[0] = '\0';
    CHECK_INT(approver_open(&a, &loop, "/dev/null", 1000, err, sizeof(err)), -ENOTTY);
    CHECK(strstr(err, "/dev/null") != NULL);
    CHECK_INT(approver_open(&a, &loop, "/dev/null", 0, err, sizeof(err)), -EINVAL);
    CHECK_INT(approver_open(&a, &loop, NULL, 1000, err, sizeof(err)), -EINVAL);
    CHECK_INT(uv_run(&loop, UV_RUN_DEFAULT), 0);
    CHECK_INT(uv_loop_close(&loop), 0);
}

static void one_answer(const char *typed, enum approval_answer want, const char *said)
{
    setup();
    struct approver *a = open_approver(LONG_MS);
    uint64_t id = ask(a, "tools/call 'send_email' (rule approve-mail)", "{\"to\":\"x@y\"}");
    CHECK_INT(id, 1);
    CHECK_INT(nrec, 0);
    CHECK_INT(approver_pending(a), 1);
    CHECK(run(got_prompts, 1, WAIT_MS));
    CHECK(has("sentinel approval #1 (0 more waiting)"));
    CHECK(has("request: tools/call 'send_email' (rule approve-mail)"));
    CHECK(has("details: {\"to\":\"x@y\"}"));
    CHECK(has("answer within 10 s. approve? [y/N] "));
    type(typed);
    CHECK(run(got_answers, 1, WAIT_MS));
    CHECK_INT(nrec, 1);
    CHECK_INT(recs[0].ticket, 1);
    if (recs[0].a != want)
        fprintf(stderr, "answer to \"%s\"\n", typed);
    CHECK_INT(recs[0].a, want);
    CHECK(has(said));
    CHECK_INT(approver_pending(a), 0);
    approver_close(a);
    teardown();
}

static void test_answers(void)
{
    one_answer("y\n", APPROVAL_YES, "approval #1 approved");
    one_answer("YES\n", APPROVAL_YES, "approval #1 approved");
    one_answer(" y \n", APPROVAL_YES, "approval #1 approved");
    one_answer("\tYeS \n", APPROVAL_YES, "approval #1 approved");
    one_answer("no\n", APPROVAL_NO, "approval #1 refused");
    one_answer("n\n", APPROVAL_NO, "approval #1 refused");
    one_answer("\n", APPROVAL_NO, "approval #1 refused");
    one_answer("sure\n", APPROVAL_NO, "approval #1 refused");
    one_answer("yes please\n", APPROVAL_NO, "approval #1 refused");
    one_answer("yess\n", APPROVAL_NO, "approval #1 refused");
    one_answer("y y\n", APPROVAL_NO, "approval #1 refused");
    char line[400];
    memset(line, 'y', sizeof(line) - 2); /* too long to be a yes, whatever it holds */
    line[sizeof(line) - 2] = '\n';
    line[sizeof(line) - 1] = '\0';
    one_answer(line, APPROVAL_NO, "approval #1 refused");
}

static void test_order(void)
{
    setup();
    struct approver *a = open_approver(LONG_MS);
    ask(a, "first", "{}");
    ask(a, "second", "{}");
    ask(a, "third", "{}");
    CHECK_INT(approver_pending(a), 3);
    CHECK(run(got_prompts, 1, WAIT_MS));
    run(NULL, 0, 20);
    CHECK_INT(count("approve? [y/N] "), 1); /* one at a time */
    CHECK(has("approval #1 (2 more waiting)"));
    CHECK(has("request: first"));
    CHECK(!has("second"));
    type("y\n");
    CHECK(run(got_prompts, 2, WAIT_MS));
    CHECK(has("approval #2 (1 more waiting)"));
    CHECK(has("request: second"));
    CHECK(!has("third"));
    type("n\n");
    CHECK(run(got_prompts, 3, WAIT_MS));
    CHECK(has("approval #3 (0 more waiting)"));
    type("yes\n");
    CHECK(run(got_answers, 3, WAIT_MS));
    CHECK_INT(nrec, 3);
    CHECK_INT(recs[0].ticket, 1);
    CHECK_INT(recs[0].a, APPROVAL_YES);
    CHECK_INT(recs[1].ticket, 2);
    CHECK_INT(recs[1].a, APPROVAL_NO);
    CHECK_INT(recs[2].ticket, 3);
    CHECK_INT(recs[2].a, APPROVAL_YES);
    approver_close(a);
    teardown();
}

static void test_timeouts(void)
{
    /* on screen: answered TIMEOUT, and the terminal says so */
    setup();
    struct approver *a = open_approver(SHORT_MS);
    uint64_t t0 = uv_hrtime();
    ask(a, "slow", NULL);
    CHECK(run(got_answers, 1, WAIT_MS));
    CHECK((uv_hrtime() - t0) / 1000000u >= SHORT_MS - 1);
    CHECK_INT(recs[0].a, APPROVAL_TIMEOUT);
    CHECK(has("details: (none)"));
    CHECK(has("approval #1 timed out: refused"));
    /* an answer after the timeout changes nothing */
    type("y\n");
    run(NULL, 0, 30);
    CHECK_INT(nrec, 1);
    CHECK(!has("approved"));
    approver_close(a);
    teardown();

    /* queued behind it: answered TIMEOUT too, in order, and never shown */
    setup();
    a = open_approver(SHORT_MS);
    ask(a, "front", "{}");
    ask(a, "behind", "{}");
    CHECK(run(got_answers, 2, WAIT_MS));
    CHECK_INT(recs[0].ticket, 1);
    CHECK_INT(recs[0].a, APPROVAL_TIMEOUT);
    CHECK_INT(recs[1].ticket, 2);
    CHECK_INT(recs[1].a, APPROVAL_TIMEOUT);
    CHECK(has("approval #1 (1 more waiting)"));
    CHECK(!has("sentinel approval #2"));
    CHECK(!has("behind"));
    CHECK_INT(approver_pending(a), 0);
    approver_close(a);
    teardown();

    /* asked later, it still has time when the front one expires: shown, then answered */
    setup();
    a = open_approver(SHORT_MS * 2);
    ask(a, "front", "{}");
    run(NULL, 0, SHORT_MS);
    ask(a, "later", "{}");
    CHECK(run(got_prompts, 2, WAIT_MS));
    CHECK_INT(nrec, 1);
    CHECK(has("approval #1 timed out"));
    CHECK(has("sentinel approval #2 (0 more waiting)"));
    type("y\n");
    CHECK(run(got_answers, 2, WAIT_MS));
    CHECK_INT(recs[1].ticket, 2);
    CHECK_INT(recs[1].a, APPROVAL_YES);
    approver_close(a);
    teardown();
}

static struct approver *reentrant;
static uint64_t reentrant_cancel, reentrant_asked;

static void on_answer_reenter(void *ctx, uint64_t ticket, enum approval_answer ans)
{
    on_answer(ctx, ticket, ans);
    reentrant_asked = ask(reentrant, "asked from a callback", "{}");
    approver_cancel(reentrant, reentrant_cancel, "by the client");
}

static void test_cancel(void)
{
    /* the question on screen: withdrawn, said so, the next shown, no callback */
    setup();
    struct approver *a = open_approver(LONG_MS);
    uint64_t q1 = ask(a, "one", "{}");
    ask(a, "two", "{}");
    CHECK(run(got_prompts, 1, WAIT_MS));
    approver_cancel(a, q1, "by the client");
    approver_cancel(a, q1, "by the client");   /* twice: ignored */
    approver_cancel(a, 9999, "by the client"); /* unknown: ignored */
    CHECK_INT(approver_pending(a), 1);
    CHECK(run(got_prompts, 2, WAIT_MS));
    CHECK(has("approval #1 withdrawn by the client: not approved"));
    CHECK(has("sentinel approval #2 (0 more waiting)"));
    type("y\n");
    CHECK(run(got_answers, 1, WAIT_MS));
    run(NULL, 0, 20);
    CHECK_INT(nrec, 1);
    CHECK_INT(recs[0].ticket, 2);
    CHECK_INT(recs[0].a, APPROVAL_YES);
    approver_close(a);
    teardown();

    /* a queued one: never shown, no callback */
    setup();
    a = open_approver(LONG_MS);
    ask(a, "one", "{}");
    uint64_t q2 = ask(a, "two", "{}");
    ask(a, "three", "{}");
    approver_cancel(a, q2, "by the client");
    CHECK_INT(approver_pending(a), 2);
    CHECK(run(got_prompts, 1, WAIT_MS));
    CHECK(has("approval #1 (1 more waiting)"));
    type("y\n");
    CHECK(run(got_prompts, 2, WAIT_MS));
    CHECK(has("sentinel approval #3 (0 more waiting)"));
    CHECK(!has("sentinel approval #2"));
    type("n\n");
    CHECK(run(got_answers, 2, WAIT_MS));
    run(NULL, 0, 20);
    CHECK_INT(nrec, 2);
    CHECK_INT(recs[0].ticket, 1);
    CHECK_INT(recs[1].ticket, 3);
    CHECK_INT(recs[1].a, APPROVAL_NO);
    approver_close(a);
    teardown();

    /* from inside a callback: cancel the next one (now on screen) and ask another */
    setup();
    a = reentrant = open_approver(LONG_MS);
    uint64_t id = 0;
    CHECK_INT(approver_ask(a, "one", "{}", 2, on_answer_reenter, NULL, &id), 0);
    reentrant_cancel = ask(a, "two", "{}");
    ask(a, "three", "{}");
    CHECK(run(got_prompts, 1, WAIT_MS));
    type("n\n");
    CHECK(run(got_answers, 1, WAIT_MS));
    CHECK_INT(reentrant_asked, 4);
    CHECK(run(got_prompts, 3, WAIT_MS)); /* #2 may have flashed before the callback */
    CHECK(has("sentinel approval #3 (1 more waiting)"));
    CHECK(!has("approval #2 approved"));
    type("y\n");
    CHECK(run(got_prompts, 4, WAIT_MS));
    CHECK(has("sentinel approval #4 (0 more waiting)"));
    type("y\n");
    CHECK(run(got_answers, 3, WAIT_MS));
    CHECK_INT(recs[0].ticket, 1);
    CHECK_INT(recs[0].a, APPROVAL_NO);
    CHECK_INT(recs[1].ticket, 3);
    CHECK_INT(recs[1].a, APPROVAL_YES);
    CHECK_INT(recs[2].ticket, 4);
    CHECK_INT(recs[2].a, APPROVAL_YES);
    approver_close(a);
    teardown();
}

static void test_type_ahead(void)
{
    /* typed while nothing was asked: flushed when the question appears */
    setup();
    struct approver *a = open_approver(LONG_MS);
    type("yes\n");
    want_text = "yes";
    CHECK(run(got_text, 1, WAIT_MS)); /* echoed: the line discipline has it */
    run(NULL, 0, 20);
    ask(a, "q", "{}");
    CHECK(run(got_prompts, 1, WAIT_MS));
    run(NULL, 0, 50);
    CHECK_INT(nrec, 0);
    type("n\n");
    CHECK(run(got_answers, 1, WAIT_MS));
    CHECK_INT(recs[0].a, APPROVAL_NO);
    approver_close(a);
    teardown();

    /* a half-typed line is flushed too: only what follows the prompt counts */
    setup();
    a = open_approver(LONG_MS);
    type("y");
    want_text = "y";
    CHECK(run(got_text, 1, WAIT_MS));
    run(NULL, 0, 20);
    ask(a, "q", "{}");
    CHECK(run(got_prompts, 1, WAIT_MS));
    type("\n");
    CHECK(run(got_answers, 1, WAIT_MS));
    CHECK_INT(recs[0].a, APPROVAL_NO);
    approver_close(a);
    teardown();

    /* a second line in the same burst as the answer does not answer the next question */
    setup();
    a = open_approver(LONG_MS);
    ask(a, "one", "{}");
    ask(a, "two", "{}");
    CHECK(run(got_prompts, 1, WAIT_MS));
    type("n\ny\n");
    CHECK(run(got_prompts, 2, WAIT_MS));
    run(NULL, 0, 50);
    CHECK_INT(nrec, 1);
    CHECK_INT(recs[0].a, APPROVAL_NO);
    type("n\n");
    CHECK(run(got_answers, 2, WAIT_MS));
    CHECK_INT(recs[1].ticket, 2);
    CHECK_INT(recs[1].a, APPROVAL_NO);
    approver_close(a);
    teardown();
}

static void test_escaping(void)
{
    setup();
    struct approver *a = open_approver(LONG_MS);
    static const char detail[] =
        "{\"a\":\"\x1b[2J\x1b[H\x1b]0;pwned\x07\r\n--- approval #1 approved\r\n"
        "\xc2\x9b"
        "31m" /* C1 CSI */
        "\xe2\x80\xae"
        "evil" /* RLO */
        "\xe2\x81\xa6"
        "x" /* LRI */
        "\xe2\x80\x8b"
        "\xef\xbb\xbf"             /* ZWSP, BOM */
        "\xf3\xa0\x81\x81"         /* TAG LATIN CAPITAL A */
        "\xff\xc0\xaf\xed\xa0\x80" /* invalid, overlong, surrogate */
        "\x7f\x01\t"
        " caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac\"}";
    ask(a, "tools/call 'x\x1b[8m' \xe2\x80\xaeok", detail);
    CHECK(run(got_prompts, 1, WAIT_MS));
    CHECK(memchr(t.screen, 0x1b, t.len) == NULL);
    CHECK(memchr(t.screen, 0x07, t.len) == NULL);
    CHECK(memchr(t.screen, 0x7f, t.len) == NULL);
    CHECK(memchr(t.screen, 0x9b, t.len) == NULL);
    CHECK(!has("\xe2\x80\xae"));
    CHECK(!has("\xe2\x81\xa6"));
    CHECK(!has("\xe2\x80\x8b"));
    CHECK(!has("\xef\xbb\xbf"));
    CHECK(!has("\xf3\xa0\x81\x81"));
    CHECK(!has("\n--- approval #1 approved"));
    CHECK(has_text("'x\\x1b[8m' \\u{202E}ok"));
    CHECK(has_text("\\x1b[2J\\x1b[H\\x1b]0;pwned\\x07\\r\\n--- approval #1 approved\\r\\n"));
    CHECK(has_text("\\u{9B}31m"));
    CHECK(has_text("\\u{202E}evil"));
    CHECK(has_text("\\u{2066}x"));
    CHECK(has_text("\\u{200B}\\u{FEFF}"));
    CHECK(has_text("\\u{E0041}"));
    CHECK(has_text("\\xff\\xc0\\xaf\\xed\\xa0\\x80"));
    CHECK(has_text("\\x7f\\x01\\t"));
    CHECK(has_text("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac")); /* ordinary UTF-8 stays readable */
    /* only our own line breaks, and no line long enough to wrap on an 80-column terminal */
    size_t col = 0, widest = 0, controls = 0;
    for (size_t i = 0; i < t.len; i++) {
        unsigned char c = (unsigned char)t.screen[i];
        if (c < 0x20 && c != '\r' && c != '\n')
            controls++;
        col = c == '\n' || c == '\r' ? 0 : col + 1;
        widest = col > widest ? col : widest;
    }
    CHECK_INT(controls, 0);
    CHECK(widest <= 80);
    type("n\n");
    CHECK(run(got_answers, 1, WAIT_MS));
    CHECK_INT(recs[0].a, APPROVAL_NO);
    CHECK(has("\n--- approval #1 refused"));
    CHECK(!has("\n--- approval #1 approved"));
    approver_close(a);
    teardown();
}

static void test_truncation(void)
{
    setup();
    struct approver *a = open_approver(LONG_MS);
    size_t n = 100000;
    char *big = malloc(n + 1);
    memset(big, 'A', n);
    big[n] = '\0';
    char summary[1001];
    memset(summary, 'S', 1000);
    summary[1000] = '\0';
    ask(a, summary, big);
    free(big);
    CHECK(run(got_prompts, 1, WAIT_MS));
    CHECK_INT(count("A"), APPROVAL_DETAIL_MAX);
    CHECK_INT(count("S"), APPROVAL_SUMMARY_MAX);
    CHECK(has("[97952 more bytes not shown]"));
    CHECK(has("[488 more bytes not shown]"));
    CHECK(!has_text("AAAA\\x")); /* nothing half-rendered at the cut */
    type("n\n");
    CHECK(run(got_answers, 1, WAIT_MS));
    approver_close(a);
    teardown();

    /* cut at a character boundary, not inside a UTF-8 sequence */
    setup();
    a = open_approver(LONG_MS);
    char utf[1 + 2 * 1500 + 1];
    utf[0] = 'a';
    for (size_t i = 0; i < 1500; i++)
        memcpy(utf + 1 + 2 * i, "\xc3\xa9", 2);
    utf[sizeof(utf) - 1] = '\0';
    ask(a, "s", utf);
    CHECK(run(got_prompts, 1, WAIT_MS));
    CHECK(has("[954 more bytes not shown]"));
    CHECK_INT(count("\xc3\xa9"), 1023);
    CHECK(!has("\\x"));
    approver_close(a);
    teardown();
}

static void test_unavailable(void)
{
    /* the human's terminal goes away with questions pending */
    setup();
    struct approver *a = open_approver(LONG_MS);
    ask(a, "one", "{}");
    ask(a, "two", "{}");
    CHECK(run(got_prompts, 1, WAIT_MS));
    close(t.master);
    t.master = -1;
    CHECK(run(got_answers, 2, WAIT_MS));
    CHECK_INT(recs[0].ticket, 1);
    CHECK_INT(recs[0].a, APPROVAL_UNAVAILABLE);
    CHECK_INT(recs[1].ticket, 2);
    CHECK_INT(recs[1].a, APPROVAL_UNAVAILABLE);
    /* later asks succeed and are answered UNAVAILABLE, from the loop */
    uint64_t q3 = ask(a, "three", "{}");
    CHECK_INT(nrec, 2);
    CHECK_INT(approver_pending(a), 1);
    CHECK(run(got_answers, 3, WAIT_MS));
    CHECK_INT(recs[2].ticket, q3);
    CHECK_INT(recs[2].a, APPROVAL_UNAVAILABLE);
    /* withdrawn before the loop delivered its answer: no callback */
    uint64_t q4 = ask(a, "four", "{}");
    approver_cancel(a, q4, "by the client");
    CHECK_INT(approver_pending(a), 0);
    run(NULL, 0, 20);
    CHECK_INT(nrec, 3);
    approver_close(a);
    teardown();

    /* gone while nothing was asked: noticed at the next question */
    setup();
    a = open_approver(LONG_MS);
    close(t.master);
    t.master = -1;
    ask(a, "one", "{}");
    CHECK_INT(nrec, 0);
    CHECK(run(got_answers, 1, WAIT_MS));
    CHECK_INT(recs[0].a, APPROVAL_UNAVAILABLE);
    approver_close(a);
    teardown();
}

static void on_answer_close(void *ctx, uint64_t ticket, enum approval_answer ans)
{
    on_answer(ctx, ticket, ans);
    approver_close(reentrant);
}

static void test_limits_and_close(void)
{
    /* APPROVAL_MAX_PENDING, then close with all of them pending: no callback, no leak */
    setup();
    struct approver *a = open_approver(LONG_MS);
    for (int i = 0; i < APPROVAL_MAX_PENDING; i++)
        ask(a, "q", "{}");
    uint64_t id = 0;
    CHECK_INT(approver_ask(a, "q", "{}", 2, on_answer, NULL, &id), -ENOBUFS);
    CHECK_INT(approver_ask(a, NULL, "{}", 2, on_answer, NULL, &id), -EINVAL);
    CHECK_INT(approver_ask(a, "q", "{}", 2, NULL, NULL, &id), -EINVAL);
    CHECK_INT(approver_pending(a), APPROVAL_MAX_PENDING);
    CHECK(run(got_prompts, 1, WAIT_MS));
    CHECK(has("(255 more waiting)"));
    /* answering one makes room for one more */
    type("y\n");
    CHECK(run(got_answers, 1, WAIT_MS));
    CHECK_INT(approver_pending(a), APPROVAL_MAX_PENDING - 1);
    ask(a, "q", "{}");
    CHECK_INT(approver_ask(a, "q", "{}", 2, on_answer, NULL, &id), -ENOBUFS);
    CHECK(run(got_prompts, 2, WAIT_MS));
    approver_close(a);
    teardown(); /* runs the loop to the end: the approver frees itself */
    CHECK_INT(nrec, 1);
    CHECK(has("withdrawn: sentinel is closing"));

    /* closed from inside a callback while more answers wait: they are never delivered */
    setup();
    a = reentrant = open_approver(LONG_MS);
    for (int i = 0; i < 3; i++)
        CHECK_INT(approver_ask(a, "q", "{}", 2, on_answer_close, NULL, &id), 0);
    CHECK(run(got_prompts, 1, WAIT_MS));
    close(t.master);
    t.master = -1;
    run(NULL, 0, 100);
    CHECK_INT(nrec, 1);
    CHECK_INT(recs[0].a, APPROVAL_UNAVAILABLE);
    teardown();

    /* closed right after asking: no callback at all */
    setup();
    a = open_approver(SHORT_MS);
    ask(a, "q", "{}");
    approver_close(a);
    teardown();
    CHECK_INT(nrec, 0);
}

int main(void)
{
    test_open_errors();
    test_answers();
    test_order();
    test_timeouts();
    test_cancel();
    test_type_ahead();
    test_escaping();
    test_truncation();
    test_unavailable();
    test_limits_and_close();
    return check_done();
}
