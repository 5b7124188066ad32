/*
 * batch.h - the answers owed to one JSON-RPC batch from the client (2025-03-26 only).
 *
 * sentinel splits a batch and forwards its elements singly; the answers (from the server
 * or from sentinel itself) are collected here and leave as one array once the last one
 * is in, as JSON-RPC requires. Bounded by the message limit: answers past it make the
 * whole batch one -32005 error instead of a broken array. Pure: no I/O.
 */
#ifndef SENTINEL_PROXY_BATCH_H
#define SENTINEL_PROXY_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

struct batch {
    size_t expected; /* answers still owed by the server */
    struct buf parts;
    size_t nparts;
    bool closed;   /* every element has been dispatched */
    bool overflow; /* the answers outgrew the limit */
};

struct batch *batch_new(size_t limit);
void batch_free(struct batch *b);
/* Add one answer (a JSON-RPC response, no newline). */
void batch_add(struct batch *b, const char *msg, size_t len);
/* True when every element is dispatched and every answer is in. */
bool batch_ready(const struct batch *b);
/*
 * Append the line the client gets (with '\n'; nothing when the batch held only
 * notifications) to out. The caller then frees the batch.
 */
int batch_render(const struct batch *b, struct buf *out);

#endif
