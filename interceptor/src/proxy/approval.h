/*
 * approval.h - a human answers `effect: approve` questions on a terminal.
 *
 * Questions are shown one at a time in arrival order on a terminal device (normally
 * /dev/tty) read in line mode: "y" or "yes" approves, any other line refuses, and no
 * answer within the per-question timeout (counted from approver_ask) refuses too. Input
 * typed before a question was fully on screen never answers it. The summary and detail
 * are untrusted agent input: every byte that could move the cursor, change the terminal
 * or hide/reorder text is shown escaped, so a detail cannot forge a verdict line.
 *
 * Every answer reaches its callback from the loop, never inside approver_ask. Bounded:
 * APPROVAL_MAX_PENDING questions, APPROVAL_DETAIL_MAX bytes of detail shown (the rest is
 * counted, not kept), APPROVAL_OUT_LIMIT bytes of output queued for the terminal.
 */
#ifndef SENTINEL_PROXY_APPROVAL_H
#define SENTINEL_PROXY_APPROVAL_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#define APPROVAL_MAX_PENDING 256       /* questions asked and not yet answered back */
#define APPROVAL_SUMMARY_MAX 512       /* bytes of summary kept and shown */
#define APPROVAL_DETAIL_MAX 2048       /* bytes of detail kept and shown */
#define APPROVAL_LINE_MAX 128          /* longer answer lines refuse */
#define APPROVAL_OUT_LIMIT (64 * 1024) /* output queued for a slow terminal */

enum approval_answer {
    APPROVAL_YES = 1,     /* the human approved */
    APPROVAL_NO,          /* the human refused (or typed anything but yes) */
    APPROVAL_TIMEOUT,     /* no answer within the timeout */
    APPROVAL_UNAVAILABLE, /* the terminal is gone (EOF, read/write error): nobody can answer */
};

typedef void (*approval_cb)(void *ctx, uint64_t ticket, enum approval_answer a);

struct approver;

/*
 * Open the approval terminal `device` (normally "/dev/tty"; tests pass a pty slave path)
 * O_RDWR|O_NOCTTY|O_CLOEXEC|O_NONBLOCK, with a per-question timeout (> 0). The terminal
 * settings are left as they are (line mode is expected; '\r' also ends an answer), and the
 * terminal is read only while a question is on screen, so it can be shared. A
 * question is only put on screen while at least a quarter of the timeout (at most 2 s)
 * remains; one that has less left while waiting its turn is answered TIMEOUT unseen.
 * 0, or -errno with a human message naming the device in err (-ENOTTY: not a terminal,
 * -EBUSY: it is our controlling terminal and another job is in the foreground, so a read
 * would stop the process, -EINVAL: bad argument). On failure nothing is left to free.
 */
int approver_open(struct approver **out, uv_loop_t *loop, const char *device, unsigned timeout_ms,
                  char *err, size_t errlen);

/*
 * Queue a question. `summary` is one NUL-terminated line (e.g. "tools/call 'send_email'
 * (rule approve-mail)"), `detail` the arguments JSON (detail_len bytes, may be NULL when
 * 0, may hold anything). Both are borrowed: the approver copies what it shows. On success
 * *ticket (if not NULL) is set (never 0) and cb is called exactly once, later, from the
 * loop - unless the question is withdrawn with approver_cancel or the approver closed.
 * After the terminal is gone, asks still succeed and are answered UNAVAILABLE.
 * Returns 0, -EINVAL (NULL summary or cb), -ENOBUFS when APPROVAL_MAX_PENDING questions
 * await their callback, -ESHUTDOWN after approver_close, -ENOMEM. On failure cb is never
 * called.
 */
int approver_ask(struct approver *a, const char *summary, const char *detail, size_t detail_len,
                 approval_cb cb, void *ctx, uint64_t *ticket);

/*
 * Withdraw a question (the client cancelled the call, the session ends): its cb is not
 * called, even if the answer is already decided and only waiting for the loop. Unknown or
 * finished tickets are ignored. If it was on screen, the terminal says "withdrawn WHY: not
 * approved" (why: "by the client", "(the server exited ...)") and shows the next. Safe to call
 * from an approval_cb.
 */
void approver_cancel(struct approver *a, uint64_t ticket, const char *why);

/* Questions asked whose callback has not run yet (on screen, waiting, or decided). */
size_t approver_pending(const struct approver *a);

/*
 * Close: no further callbacks for anything still queued or decided. Frees itself once its
 * libuv handles are closed (the loop must run afterwards, as with uv_close). NULL is a
 * no-op. Safe to call from an approval_cb; `a` must not be used afterwards.
 */
void approver_close(struct approver *a);

#endif
