/*
 * buf.h - a growable byte buffer with a hard limit set at creation.
 *
 * Growing past the limit is an error (-ENOBUFS), never a silent truncation and never
 * unbounded growth. The buffer owns its memory; buf_cleanup releases it.
 */
#ifndef SENTINEL_BASE_BUF_H
#define SENTINEL_BASE_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
    char *data;
    size_t len;
    size_t cap;
    size_t limit; /* len may never exceed this */
};

void buf_init(struct buf *b, size_t limit);
void buf_cleanup(struct buf *b);
/* Make room for `extra` more bytes. 0, -ENOBUFS past the limit, or -ENOMEM. */
int buf_reserve(struct buf *b, size_t extra);
int buf_append(struct buf *b, const void *p, size_t n);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append v in decimal (no printf on hot paths). */
int buf_put_u64(struct buf *b, uint64_t v);
/* Append ns as microseconds with one decimal: 8812 -> "8.8". */
int buf_put_us(struct buf *b, uint64_t ns);
/* Append `s` (n bytes) as the inside of a JSON string: quotes are not added. */
int buf_json_escape(struct buf *b, const char *s, size_t n);
/* Drop the first n bytes, moving the rest to the front. */
void buf_consume(struct buf *b, size_t n);
void buf_reset(struct buf *b);
/*
 * Empty b, and release its memory when its capacity is over `keep`: a buffer reused across
 * messages keeps the pages of ordinary ones, but one huge message does not pin its memory
 * for the buffer's lifetime.
 */
void buf_trim(struct buf *b, size_t keep);
/* Take the memory out of the buffer; the caller frees it with free(). b is left empty. */
char *buf_steal(struct buf *b, size_t *len);

#endif
