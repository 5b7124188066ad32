/*
 * control.h - the control socket of `sentinel run --control PATH` (docs/control.md).
 *
 * A Unix stream socket on the session's loop: local operators (same uid, or root) who
 * present this run's session id can ping the interceptor, read its status and invalidate
 * sources. The server owns its handles and its connections; it never blocks the loop, never
 * keeps it alive (every handle is unref'd) and holds every client to fixed limits.
 */
#ifndef SENTINEL_CONTROL_CONTROL_H
#define SENTINEL_CONTROL_CONTROL_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "base/buf.h"

struct seal_keyring;
struct control;

#define CONTROL_MAX_CONNS 8            /* connections served at once; more get an error */
#define CONTROL_QUEUE_MAX (256u << 10) /* reply bytes queued per connection before it is cut */
#define CONTROL_IDLE_MS 60000          /* no complete request for this long: closed */
#define CONTROL_AUTH_FAILURES 3        /* failed session checks per connection, then closed */
#define CONTROL_DRAIN_MS 2000          /* a connection being closed gets this long to read */
#define CONTROL_BODY_MAX (128u << 10)  /* bytes of one result */

/*
 * `status`: append the members of the status result (no braces) to out.
 * `invalidate`: apply an invalidation (kind: enum ctl_inval, value NUL-terminated, checked by
 * proto.c) and append the members of its result to out. Both return 0 or a negative code
 * (then the client gets an internal error).
 */
typedef int (*control_status_cb)(void *ctx, struct buf *out);
typedef int (*control_invalidate_cb)(void *ctx, int kind, const char *value, struct buf *out);
/* `track`: track value[0..len) (a secret: do not keep or log it) with labels (nlabels names,
 * checked by proto.c; 0: the default) and append the members of the result to out. 0, or a
 * negative code with a message for the client in msg. */
typedef int (*control_track_cb)(void *ctx, const char *value, size_t len,
                                const char (*labels)[65], size_t nlabels, struct buf *out,
                                char *msg, size_t msglen);

struct control_opts {
    const char *path;                        /* socket path (copied) */
    const char *session_id;                  /* this run's id (copied to PATH.session) */
    const struct seal_keyring *session_keys; /* verifies presented ids; borrowed */
    unsigned idle_ms;                        /* 0 = CONTROL_IDLE_MS */
    void *ctx;
    control_status_cb status;
    control_invalidate_cb invalidate;
    control_track_cb track;
};

/*
 * Create the socket at o->path (mode 0600) and PATH.session (0600, the session id and a
 * newline), and start accepting. An existing PATH that is not a socket is refused
 * (-EEXIST), a socket something listens on is refused (-EADDRINUSE), a stale one (connect
 * refused) is replaced; a path longer than a socket address holds is -ENAMETOOLONG. Other
 * failures are -errno. The message is in err. On failure *out is NULL; handles it had
 * opened are already closing and finish when the loop runs next.
 */
int control_open(struct control **out, uv_loop_t *loop, const struct control_opts *o, char *err,
                 size_t errlen);

/*
 * Stop: remove PATH and PATH.session (when they are still the files we created), close the
 * listening socket and every connection. The struct frees itself after the last close
 * callback, so the caller runs the loop until idle. NULL is a no-op.
 */
void control_close(struct control *c);

#endif
