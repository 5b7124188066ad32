/*
 * mcp.h - the MCP message model the interceptor needs: method classes, the fields a
 * decision reads, and rewriting of list results. Pure: no I/O, no policy (decisions
 * come in through callbacks, so this layer does not depend on the policy layer).
 */
#ifndef SENTINEL_MCP_MCP_H
#define SENTINEL_MCP_MCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "mcp/json.h"

/* Index depth that reaches result.tools[i].name (root 0, result 1, tools 2, tool 3, name 4). */
#define MCP_LIST_INDEX_DEPTH 4

/* Protocol version strings up to this length are tracked. */
#define MCP_VERSION_MAX 32

/* Is `method` (len bytes) this literal? */
#define mcp_method_is(m, len, lit) ((len) == sizeof(lit) - 1 && memcmp((m), (lit), (len)) == 0)

/* Decision for one element of a list: keep it or not. */
typedef bool (*mcp_keep_cb)(void *ctx, const char *name, size_t len);

/*
 * Filter result.<array_key>[] of a response whose doc was parsed with at least
 * MCP_LIST_INDEX_DEPTH, keeping elements whose string member `name_key` passes `keep`.
 * Elements without a string name are dropped (nothing can call them by name). When
 * something is dropped, a "cacheScope" in the result is set to "private" (2026-07-28
 * lists). The rewritten message (no newline) is appended to `out` and *dropped is the
 * count; when nothing is dropped, `out` is untouched and the caller forwards the
 * original bytes. SE_ELIMIT when the doc's index is truncated (fail closed).
 */
int mcp_filter_list(struct json_doc *doc, const char *array_key, const char *name_key,
                    mcp_keep_cb keep, void *ctx, struct buf *out, size_t *dropped);

#endif
