/*
 * canon.h - canonical JSON (RFC 8785, JSON Canonicalization Scheme) and its SHA-256.
 *
 * Two JSON texts that a JavaScript peer reads as the same value canonicalise to the same
 * bytes; any change of value gives different bytes. Object members are sorted by the
 * UTF-16 code units of their unescaped names, there is no whitespace, strings are
 * re-escaped the one JCS way (\" \\ \b \f \n \r \t, other controls as \u00xx, everything
 * else literal UTF-8), and numbers are printed as ECMAScript's Number::toString prints the
 * IEEE-754 double they denote (1.0, 1 and 1e0 are "1"; -0 is "0"; 1e21 is "1e+21").
 *
 * Numbers are JCS numbers, i.e. doubles: 9007199254740993 and 9007199254740992 are the
 * same value to every JavaScript client and canonicalise alike. A number outside the
 * double range (1e400: Infinity in JavaScript) is refused (-ERANGE), as JCS requires.
 *
 * Pure apart from SHA-256 (libsodium's crypto_hash_sha256): no I/O, no libuv.
 */
#ifndef SENTINEL_MCP_CANON_H
#define SENTINEL_MCP_CANON_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "mcp/json.h"

#define CANON_MAX_DEPTH JSON_DEFAULT_MAX_DEPTH /* deepest nesting canonicalised */
#define CANON_SHA256_HEX 65                    /* 64 lowercase hex digits and a NUL */

/*
 * Append the canonical form of the one JSON value in text[0..len) to `out`. The text is
 * validated as json_parse does (duplicate keys, bad UTF-8, lone surrogates are refused).
 * The output is bounded by out->limit (-ENOBUFS beyond it; out then holds a partial
 * value the caller must discard). Returns 0, a json_parse error, SE_EDEPTH, SE_ELIMIT
 * (more than JSON_DEFAULT_MAX_NODES values), -ERANGE (a number beyond the double range)
 * or -ENOMEM, with a message in `d` (may be NULL).
 */
int canon_text(const char *text, size_t len, struct buf *out, struct diag *d);

/*
 * Append the canonical form of node `node` of a parsed document. When the node's subtree
 * is fully indexed it is walked in place; otherwise its span is parsed again in full (the
 * document may have been indexed shallowly). Borrows `doc`; uses doc->scratch_a/b.
 */
int canon_node(struct json_doc *doc, uint32_t node, struct buf *out, struct diag *d);

/*
 * Append ECMAScript Number::toString of the JSON number literal text[0..len) (the literal
 * must be valid JSON number syntax). -ERANGE when it overflows a double, -EINVAL when it is
 * not a number, -ENOBUFS / -ENOMEM from `out`.
 */
int canon_number(const char *text, size_t len, struct buf *out);

/* Order of two UTF-8 strings by their UTF-16 code units (the JCS member order): <0, 0, >0. */
int canon_utf16_cmp(const char *a, size_t an, const char *b, size_t bn);

/* Lowercase hex SHA-256 of data[0..len), NUL-terminated. */
void canon_sha256_hex(const void *data, size_t len, char hex[CANON_SHA256_HEX]);

/*
 * SHA-256 hex of the canonical form of `node`, the canonical form limited to max_bytes.
 * Errors as canon_node (-ENOBUFS past max_bytes); hex is untouched on error.
 */
int canon_hash_node(struct json_doc *doc, uint32_t node, size_t max_bytes,
                    char hex[CANON_SHA256_HEX], struct diag *d);

#endif
