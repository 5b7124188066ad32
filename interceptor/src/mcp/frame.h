/*
 * frame.h - newline-delimited framing of one byte stream into messages.
 *
 * Bytes are read straight into the framer's buffer (framer_space/framer_commit), so a
 * message is never copied to be framed. A line longer than max_line is not buffered:
 * its head (first FRAME_HEAD_KEEP bytes) and tail (last FRAME_TAIL_KEEP bytes) are kept
 * so the caller can recover its id for the error reply, the rest is discarded, and the
 * stream goes on with the next line. Pure: no I/O.
 */
#ifndef SENTINEL_MCP_FRAME_H
#define SENTINEL_MCP_FRAME_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

#define FRAME_HEAD_KEEP 4096
#define FRAME_TAIL_KEEP 256
#define FRAME_KEEP_MAX ((size_t)16 << 20) /* an idle buffer larger than this is given back */

enum frame_status {
    FRAME_NONE = 0, /* no complete line buffered yet */
    FRAME_LINE,     /* line and len hold one message, without its '\n' */
    FRAME_TOOBIG,   /* an oversized line ended; line and len hold its head, see framer_tail() */
};

struct framer {
    struct buf in;
    size_t start;   /* first byte of the current (unreturned) line */
    size_t scanned; /* bytes from `start` already known to hold no '\n' */
    size_t max_line;
    bool discarding; /* inside an oversized line */
    size_t discarded;
    char head[FRAME_HEAD_KEEP];
    size_t head_len;
    char tail[FRAME_TAIL_KEEP];
    size_t tail_len;
};

/* max_line: the largest message accepted, in bytes, without its newline. */
int framer_init(struct framer *f, size_t max_line);
void framer_cleanup(struct framer *f);

/* Writable room at the end of the buffer, at least `want` bytes unless near the limit. */
int framer_space(struct framer *f, size_t want, char **p, size_t *n);
void framer_commit(struct framer *f, size_t n);

/*
 * Next complete line. The returned pointer is valid until the next framer_space or
 * framer_compact. A trailing '\r' is kept (the message is forwarded byte for byte);
 * JSON treats it as whitespace.
 */
enum frame_status framer_next(struct framer *f, const char **line, size_t *len);
/* For FRAME_TOOBIG: the total size of the dropped line and its last bytes. */
size_t framer_dropped_size(const struct framer *f);
void framer_tail(const struct framer *f, const char **p, size_t *n);
/* Move an incomplete line to the front of the buffer; an empty buffer over FRAME_KEEP_MAX
 * (left by one huge message) is freed, so a session does not keep it for good. */
void framer_compact(struct framer *f);
/*
 * Hand the whole buffer (and with it every line returned so far) to the caller, who
 * frees it; the framer continues in a new buffer holding the bytes not yet returned.
 * Lets a large line be written out without a copy. NULL (-ENOMEM) leaves all as it was.
 */
char *framer_detach(struct framer *f);
/*
 * Give back a buffer of `cap` bytes (one framer_detach handed out, now written): when it
 * is larger than the current one, the framer moves its unread bytes into it and frees
 * the current one, so a stream of large messages reuses memory instead of faulting in
 * fresh pages for each; one over FRAME_KEEP_MAX is not taken. Returns true when it took
 * ownership of buf.
 */
bool framer_adopt(struct framer *f, char *buf, size_t cap);
/* True when p points into the framer's current buffer. */
bool framer_owns(const struct framer *f, const char *p);
/* Bytes buffered that are not yet part of a returned line. */
size_t framer_pending(const struct framer *f);

#endif
