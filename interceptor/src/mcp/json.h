/*
 * json.h - a strict, single-pass JSON validator that indexes the top of a document.
 *
 * Accepts exactly RFC 8259 JSON text and refuses what a JavaScript peer could read
 * differently from us: invalid UTF-8 (overlongs, encoded surrogates, > U+10FFFF), lone
 * surrogate escapes, duplicate object keys (compared after unescaping, as JSON.parse
 * would), control characters in strings, and nesting deeper than the limit.
 *
 * The whole text is always validated; nodes (offset spans into the borrowed text) are
 * recorded only down to `index_depth`, so a 10 MiB tool result costs one scan and a
 * handful of nodes, not a tree. Pure: no I/O, no libuv. Not thread-safe per doc.
 */
#ifndef SENTINEL_MCP_JSON_H
#define SENTINEL_MCP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

enum json_type {
    JSON_NULL = 1,
    JSON_FALSE,
    JSON_TRUE,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
};

#define JSON_F_ESCAPED 0x01     /* string value holds backslash escapes */
#define JSON_F_KEY_ESCAPED 0x02 /* member name holds backslash escapes */
#define JSON_F_INTEGER 0x04     /* number has neither fraction nor exponent */
#define JSON_F_PARTIAL 0x08     /* container whose children are not indexed */
#define JSON_F_MEMBER 0x10      /* node is an object member (key_* valid) */
#define JSON_F_NONASCII 0x20    /* string value holds a byte >= 0x80 (raw, not escaped) */

struct json_node {
    uint32_t start;     /* first byte of the value (the quote, for strings) */
    uint32_t end;       /* one past its last byte */
    uint32_t key_start; /* member name, raw, inside its quotes */
    uint32_t key_len;
    uint32_t next;   /* next indexed sibling, 0 = none (the root is never a sibling) */
    uint32_t nchild; /* members or elements, counted even when not indexed */
    uint8_t type;
    uint8_t flags;
    uint16_t depth; /* root = 0 */
};

struct json_key; /* scratch used for duplicate detection */

struct json_doc {
    const char *text; /* borrowed from the caller of json_parse */
    size_t len;
    struct json_node *nodes; /* nodes[0] is the root when count > 0 */
    uint32_t count;
    bool truncated; /* the node cap was hit: some nodes within index_depth are missing */
    unsigned index_depth; /* as given to the last json_parse */
    size_t err_off; /* byte offset of the first error */

    /* limits, set by json_doc_init */
    unsigned max_depth;
    uint32_t max_nodes;

    /* reusable scratch */
    uint32_t cap;
    struct json_frame *stack;
    unsigned stack_cap;
    struct json_key *keys;
    size_t keys_len, keys_cap;
    struct buf scratch_a, scratch_b;
};

#define JSON_DEFAULT_MAX_DEPTH 128
#define JSON_DEFAULT_MAX_NODES (1u << 20)

void json_doc_init(struct json_doc *doc, unsigned max_depth, uint32_t max_nodes);
void json_doc_cleanup(struct json_doc *doc);

/*
 * Validate `text` (len bytes, borrowed until the next parse) and index values down to
 * `index_depth` (0 = root only). Returns 0, or SE_EPARSE / SE_EUTF8 / SE_EDEPTH /
 * SE_EDUPKEY / SE_ETOOBIG / -ENOMEM with doc->err_off and a message in `d`.
 * Leading/trailing JSON whitespace is allowed; anything else after the value is not.
 */
int json_parse(struct json_doc *doc, const char *text, size_t len, unsigned index_depth,
               struct diag *d);

/* Child of object `obj` named `key` (raw bytes, compared to the unescaped name). 0 = none. */
uint32_t json_get(struct json_doc *doc, uint32_t obj, const char *key, size_t keylen);
#define json_getz(doc, obj, key) json_get((doc), (obj), (key), sizeof(key) - 1)

/* First indexed child of a container, or 0. Siblings follow through node.next. */
uint32_t json_first(const struct json_doc *doc, uint32_t node);

/*
 * The unescaped bytes of a string node. Points into the text when the string has no
 * escapes, else into `scratch` (overwritten by the next call with the same scratch).
 */
int json_str(struct json_doc *doc, uint32_t node, struct buf *scratch, const char **p,
             size_t *n);
/* True when string node `node` equals the given bytes after unescaping. */
bool json_str_eq(struct json_doc *doc, uint32_t node, const char *s, size_t n);
#define json_str_eqz(doc, node, s) json_str_eq((doc), (node), (s), sizeof(s) - 1)

/* Integer value of an integer number node: 0, or -ERANGE outside int64. */
int json_int(const struct json_doc *doc, uint32_t node, int64_t *out);

/*
 * Decode the JSON string body text[0..n) (inside the quotes, already validated) into
 * out, appending. Used for names and short values; -ENOBUFS past out's limit.
 */
int json_unescape(const char *text, size_t n, struct buf *out);

/*
 * Lenient recovery for error replies: find the top-level "id" member of a message that
 * failed to parse, skipping strings byte-wise without validating them. Returns true and
 * the raw span when the value is a simple string or integer.
 */
bool json_recover_id(const char *text, size_t len, size_t *start, size_t *end);

/*
 * The same lenient reading for the top-level member names of such a message: bit k of the
 * result is set when names[k] (k < 32, compared as raw bytes, escapes not decoded) is one.
 */
unsigned json_recover_keys(const char *text, size_t len, const char *const *names, size_t n);

#endif
