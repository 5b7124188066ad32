/*
 * frame.c - line framing with a hard per-line limit. The search for '\n' never looks
 * at a byte twice (f->scanned), so a 10 MiB line arriving in 64 KiB reads costs one pass.
 * An oversized line is skipped in constant memory; it must never grow the buffer.
 */
#include "mcp/frame.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define READ_CHUNK (256 * 1024)

int framer_init(struct framer *f, size_t max_line)
{
    memset(f, 0, sizeof(*f));
    f->max_line = max_line;
    /* the line, its newline, and room for one more read */
    buf_init(&f->in, max_line + 1 + READ_CHUNK);
    return 0;
}

void framer_cleanup(struct framer *f)
{
    buf_cleanup(&f->in);
}

int framer_space(struct framer *f, size_t want, char **p, size_t *n)
{
    if (want > READ_CHUNK)
        want = READ_CHUNK;
    if (f->in.cap - f->in.len < want) {
        framer_compact(f);
        int rc = buf_reserve(&f->in, want);
        if (rc < 0)
            return rc;
    }
    *p = f->in.data + f->in.len;
    *n = f->in.cap - f->in.len;
    return 0;
}

void framer_commit(struct framer *f, size_t n)
{
    f->in.len += n;
}

static void keep_tail(struct framer *f, const char *p, size_t n)
{
    if (n >= FRAME_TAIL_KEEP) {
        memcpy(f->tail, p + n - FRAME_TAIL_KEEP, FRAME_TAIL_KEEP);
        f->tail_len = FRAME_TAIL_KEEP;
        return;
    }
    size_t keep = FRAME_TAIL_KEEP - n;
    if (keep > f->tail_len)
        keep = f->tail_len;
    memmove(f->tail, f->tail + f->tail_len - keep, keep);
    memcpy(f->tail + keep, p, n);
    f->tail_len = keep + n;
}

enum frame_status framer_next(struct framer *f, const char **line, size_t *len)
{
    for (;;) {
        size_t avail = f->in.len - f->start;
        if (avail == 0)
            return FRAME_NONE; /* before the first read in.data is NULL: no pointer math */
        char *base = f->in.data + f->start;
        if (f->discarding) {
            char *nl = memchr(base, '\n', avail);
            size_t take = nl ? (size_t)(nl - base) : avail;
            keep_tail(f, base, take);
            f->discarded += take;
            f->start += take + (nl ? 1 : 0);
            f->scanned = 0;
            if (!nl)
                return FRAME_NONE;
            f->discarding = false;
            *line = f->head;
            *len = f->head_len;
            return FRAME_TOOBIG;
        }
        char *nl = memchr(base + f->scanned, '\n', avail - f->scanned);
        if (nl != NULL) {
            size_t n = (size_t)(nl - base);
            f->start += n + 1;
            f->scanned = 0;
            /* a line may end in CRLF: the '\r' is not part of the message (the limit is
             * the message's, without its line end) */
            if (n - (n > 0 && base[n - 1] == '\r') > f->max_line) {
                f->head_len = n < FRAME_HEAD_KEEP ? n : FRAME_HEAD_KEEP;
                memcpy(f->head, base, f->head_len);
                f->tail_len = 0;
                keep_tail(f, base, n);
                f->discarded = n;
                *line = f->head;
                *len = f->head_len;
                return FRAME_TOOBIG;
            }
            *line = base;
            *len = n;
            return FRAME_LINE;
        }
        f->scanned = avail;
        if (avail <= f->max_line || (avail == f->max_line + 1 && base[avail - 1] == '\r'))
            return FRAME_NONE; /* (the CR of a CRLF may come before its LF does) */
        /* too long already: keep head and tail, drop the rest as it arrives */
        f->head_len = avail < FRAME_HEAD_KEEP ? avail : FRAME_HEAD_KEEP;
        memcpy(f->head, base, f->head_len);
        f->tail_len = 0;
        keep_tail(f, base, avail);
        f->discarded = avail;
        f->discarding = true;
        f->start = f->in.len;
        f->scanned = 0;
    }
}

size_t framer_dropped_size(const struct framer *f)
{
    return f->discarded;
}

void framer_tail(const struct framer *f, const char **p, size_t *n)
{
    *p = f->tail;
    *n = f->tail_len;
}

void framer_compact(struct framer *f)
{
    if (f->start == 0)
        return;
    buf_consume(&f->in, f->start);
    f->start = 0;
    if (f->in.len == 0)
        buf_trim(&f->in, FRAME_KEEP_MAX);
}

size_t framer_pending(const struct framer *f)
{
    return f->in.len - f->start;
}

char *framer_detach(struct framer *f)
{
    size_t rest = f->in.len - f->start;
    struct buf nb;
    buf_init(&nb, f->in.limit);
    if (rest > 0 && buf_append(&nb, f->in.data + f->start, rest) < 0)
        return NULL;
    char *old = f->in.data;
    f->in = nb;
    f->start = 0;
    return old;
}

bool framer_adopt(struct framer *f, char *buf, size_t cap)
{
    size_t rest = f->in.len - f->start;
    if (cap <= f->in.cap || cap > f->in.limit || cap > FRAME_KEEP_MAX || rest > cap)
        return false;
    if (rest > 0)
        memcpy(buf, f->in.data + f->start, rest);
    free(f->in.data);
    f->in.data = buf;
    f->in.cap = cap;
    f->in.len = rest;
    f->start = 0;
    return true;
}

bool framer_owns(const struct framer *f, const char *p)
{
    return f->in.data != NULL && p >= f->in.data && p < f->in.data + f->in.len;
}
