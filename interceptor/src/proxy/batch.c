/*
 * batch.c - collection of a client batch's answers into one array. It never emits a
 * partial or malformed array: an overflow turns into a single error response.
 */
#include "proxy/batch.h"

#include <stdio.h>
#include <stdlib.h>

#include "mcp/jsonrpc.h"

struct batch *batch_new(size_t limit)
{
    struct batch *b = calloc(1, sizeof(*b));
    if (b != NULL)
        buf_init(&b->parts, limit);
    return b;
}

void batch_free(struct batch *b)
{
    if (b == NULL)
        return;
    buf_cleanup(&b->parts);
    free(b);
}

void batch_add(struct batch *b, const char *msg, size_t len)
{
    if (b->overflow)
        return;
    if ((b->nparts++ > 0 && buf_putc(&b->parts, ',') < 0) ||
        buf_append(&b->parts, msg, len) < 0) {
        b->overflow = true;
        buf_cleanup(&b->parts);
    }
}

bool batch_ready(const struct batch *b)
{
    return b->closed && b->expected == 0;
}

int batch_render(const struct batch *b, struct buf *out)
{
    if (b->overflow) {
        char msg[160];
        snprintf(msg, sizeof(msg), "sentinel: the batch's answers exceed the limit of %zu bytes",
                 b->parts.limit);
        return rpc_write_error(out, NULL, 0, RPC_TOO_LARGE, msg, NULL);
    }
    if (b->nparts == 0)
        return 0;
    int rc = buf_putc(out, '[');
    rc = rc ? rc : buf_append(out, b->parts.data, b->parts.len);
    return rc ? rc : buf_append(out, "]\n", 2);
}
