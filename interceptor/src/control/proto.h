/*
 * proto.h - the control protocol: one request line in, one reply line out (docs/control.md).
 *
 * Request: {"id": <int|string>, "session": "v1.….…", "method": "...", "params": {...}}
 * Reply:   {"id": ..., "result": {...}}  or  {"id": ..., "error": {"code": N, "message": "..."}}
 *
 * Everything here is pure (no I/O, no libuv) so that it can be unit-tested and fuzzed:
 * the socket server (control.c) feeds it lines and writes what it returns. Every byte of
 * a request is hostile: it is parsed with the project's strict JSON parser (UTF-8,
 * duplicate keys, depth), every member is checked for type and length, and nothing a
 * request holds is echoed back except its id, whose JSON text the parser validated.
 */
#ifndef SENTINEL_CONTROL_PROTO_H
#define SENTINEL_CONTROL_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "mcp/json.h"
#include "seal/sid.h"

#define CTL_LINE_MAX 65536 /* bytes of a request line, without its newline */
#define CTL_MAX_DEPTH 16   /* JSON nesting of a request */
#define CTL_MAX_NODES 256  /* indexed values of a request (root, members, params') */
#define CTL_ID_MAX 256     /* bytes of a string id's JSON text, quotes included */
#define CTL_METHOD_MAX 64  /* bytes of a method name */
#define CTL_VALUE_MAX 256  /* bytes of an invalidate value */
#define CTL_TRACK_MIN 8     /* bytes of a value to track (scan/tracked.h: TRACKED_MIN_LEN) */
#define CTL_TRACK_MAX 4096  /* ... at most (the tracker's default max_len) */
#define CTL_LABELS_MAX 8    /* labels of a track request */
#define CTL_MAX_SAFE_INT 9007199254740991LL /* 2^53 - 1: ids a JavaScript peer reads exactly */

/* Error codes of replies (docs/control.md). */
enum ctl_code {
    CTL_E_PARSE = -32700,   /* not JSON (also invalid UTF-8, duplicate keys, too deep) */
    CTL_E_REQUEST = -32600, /* JSON, but not a request: shape, id, method, unknown members */
    CTL_E_METHOD = -32601,  /* no such method */
    CTL_E_PARAMS = -32602,  /* the method's params are wrong */
    CTL_E_INTERNAL = -32603,

    CTL_E_SESSION_MISSING = -32010,     /* no "session" member */
    CTL_E_SESSION_MALFORMED = -32011,   /* not a v1 session id (syntax, base64url, lengths) */
    CTL_E_SESSION_FORGED = -32012,      /* the MAC does not verify */
    CTL_E_SESSION_UNKNOWN_KEY = -32013, /* signed with a key this run does not hold */
    CTL_E_SESSION_EXPIRED = -32014,
    CTL_E_SESSION_NOT_YET = -32015, /* issued in the future */
    CTL_E_SESSION_FOREIGN = -32016, /* authentic and current, but another run's */

    CTL_E_LINE_TOO_LONG = -32020, /* request line over CTL_LINE_MAX: the connection closes */
    CTL_E_TOO_MANY = -32021,      /* connection limit reached: the connection closes */
    CTL_E_IDLE = -32022,          /* no complete request for too long: the connection closes */
};

enum ctl_method { CTL_M_UNKNOWN = 0, CTL_M_PING, CTL_M_STATUS, CTL_M_INVALIDATE, CTL_M_TRACK };
enum ctl_inval { CTL_INVAL_REQUEST = 1, CTL_INVAL_TOOL, CTL_INVAL_SERVER };
enum ctl_sid_state { CTL_SID_ABSENT = 0, CTL_SID_NOT_STRING, CTL_SID_PRESENT };

/* One parsed request. Pointers borrow the line or the parser's scratch and stay valid
 * until the next ctl_parse_request with the same parser. */
struct ctl_request {
    const char *id; /* the id's JSON text, to echo; NULL when no valid id was read */
    size_t id_len;
    int session_state;   /* enum ctl_sid_state */
    const char *session; /* unescaped bytes (CTL_SID_PRESENT only; may hold anything) */
    size_t session_len;
    int method;      /* enum ctl_method */
    uint32_t params; /* node of the params object; 0 = absent */
    /* filled by ctl_parse_params for invalidate */
    int inval_kind;                /* enum ctl_inval */
    char value[CTL_VALUE_MAX + 1]; /* NUL-terminated, no control characters */
    size_t value_len;
    /* filled by ctl_parse_params for track: the value (any bytes; borrows the parser's
     * scratch, which ctl_proto_wipe clears) and its labels (NUL-terminated, checked) */
    const char *track;
    size_t track_len;
    char labels[CTL_LABELS_MAX][65];
    size_t nlabels;
};

/* A reusable parser (one per control server; requests are handled one at a time). */
struct ctl_proto {
    struct json_doc doc;
    struct buf scratch_sid;
    struct buf scratch;
};

void ctl_proto_init(struct ctl_proto *p);
/* Zero what the last request left in the parser (a track request's value is a secret). */
void ctl_proto_wipe(struct ctl_proto *p);
void ctl_proto_cleanup(struct ctl_proto *p);

/*
 * Parse the envelope of one request line (without its newline). Returns 0, or CTL_E_PARSE /
 * CTL_E_REQUEST with a message for the reply in msg (printable ASCII). req->id is set
 * whenever a valid id was read, also on error, so the reply can carry it. The session is
 * only extracted here: checking it is auth.c's. An unknown method is not an error here
 * (req->method = CTL_M_UNKNOWN): it is answered after the session check, so that an
 * unauthenticated client learns nothing about the methods.
 */
int ctl_parse_request(struct ctl_proto *p, const char *line, size_t len, struct ctl_request *req,
                      char *msg, size_t msglen);

/*
 * Check req's params for its method (call after the session check). ping and status take
 * none (absent or {}); invalidate takes exactly one of "request" (string, or an integer),
 * "tool", "server" (strings of 1..CTL_VALUE_MAX bytes, no control characters, no leading
 * or trailing blank); track takes "value" (a string of CTL_TRACK_MIN..CTL_TRACK_MAX bytes)
 * and optionally "labels" (1..CTL_LABELS_MAX label names; default secret). 0, CTL_E_METHOD or
 * CTL_E_PARAMS with msg.
 */
int ctl_parse_params(struct ctl_proto *p, struct ctl_request *req, char *msg, size_t msglen);

/* Append {"id":ID,"result":{BODY}}\n (body: members without braces, may be empty; id NULL
 * writes null). 0 or -ENOBUFS/-ENOMEM. */
int ctl_write_result(struct buf *out, const char *id, size_t id_len, const char *body,
                     size_t body_len);
/* Append {"id":ID,"error":{"code":N,"message":"..."}}\n. Bytes of msg outside printable
 * ASCII are written as '?', so a reply is always valid JSON and valid UTF-8. */
int ctl_write_error(struct buf *out, const char *id, size_t id_len, int code, const char *msg);

/* "ping", "status", "invalidate", "track"; "?" otherwise. */
const char *ctl_method_name(int method);
/* "request", "tool", "server"; "?" otherwise. */
const char *ctl_inval_name(int kind);

#endif
