/*
 * jsonrpc.h - the JSON-RPC 2.0 envelope of one parsed message.
 *
 * rpc_classify checks the shape strictly (jsonrpc == "2.0"; a request has a string
 * method and a string or integer id; a notification has no id; a response has an id and
 * exactly one of result and error; params, when present, is an object as MCP requires)
 * and refuses ids a JavaScript peer would read differently from us: numbers with a
 * fraction or exponent, integers beyond 2^53 - 1, "-0". Pure: no I/O.
 */
#ifndef SENTINEL_MCP_JSONRPC_H
#define SENTINEL_MCP_JSONRPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "mcp/json.h"

#define RPC_MAX_ID_LEN 1024 /* bytes of a string id, unescaped */
#define RPC_MAX_METHOD_LEN 1024

/* Codes the interceptor answers with (ours stay in -32000..-32019, the range MCP leaves
 * to implementations). */
enum rpc_code {
    RPC_PARSE_ERROR = -32700,
    RPC_INVALID_REQUEST = -32600,
    RPC_METHOD_NOT_FOUND = -32601,
    RPC_INVALID_PARAMS = -32602,
    RPC_INTERNAL_ERROR = -32603,
    RPC_SENTINEL_INTERNAL = -32000, /* failing closed on an internal error */
    RPC_DENIED = -32001,            /* policy denied the request */
    RPC_UPSTREAM_GONE = -32003,     /* the server exited before answering */
    RPC_UPSTREAM_BAD = -32004,      /* the server's answer was malformed and withheld */
    RPC_TOO_LARGE = -32005,         /* message over the size limit */
    RPC_OVERLOADED = -32006,        /* a bounded queue is full */
};

enum rpc_kind { RPC_REQUEST = 1, RPC_NOTIFICATION, RPC_RESULT, RPC_ERROR };
enum rpc_id_type { RPC_ID_NONE = 0, RPC_ID_INT, RPC_ID_STR };

struct rpc_id {
    enum rpc_id_type type;
    int64_t num;
    const char *raw; /* the id's JSON text, to echo back (borrowed) */
    size_t raw_len;
};

struct rpc_msg {
    enum rpc_kind kind;
    struct rpc_id id;
    const char *method; /* unescaped (borrowed: doc text or the scratch passed in) */
    size_t method_len;
    uint32_t params; /* nodes; 0 = absent */
    uint32_t result;
    uint32_t error;
};

/*
 * Classify the message rooted at `root` of `doc`. `scratch` holds unescaped method
 * names and must outlive the use of m->method. Returns 0 or SE_ESHAPE with the reason
 * in `d`; m->id is filled whenever a valid id could be read, even on error.
 */
int rpc_classify(struct json_doc *doc, uint32_t root, struct rpc_msg *m, struct buf *scratch,
                 struct diag *d);

/*
 * Canonical key of an id for pending tables: 'i' + decimal, or 's' + unescaped bytes,
 * so "1" and 1 differ and "\u0031" equals "1". Appends to `out`.
 */
int rpc_id_key(struct json_doc *doc, const struct rpc_id *id, struct buf *out);

/* Validate a raw id (from json_recover_id) the same way; fills id borrowing raw. */
bool rpc_id_from_raw(const char *raw, size_t len, struct rpc_id *id);

/* Write an error response line (with '\n'). id_raw NULL leaves the id out (MCP ids are
 * never null; an error may omit it).
 * data_json, if not NULL, is a JSON value inserted as "data". */
int rpc_write_error(struct buf *out, const char *id_raw, size_t id_len, int code,
                    const char *message, const char *data_json);

#endif
