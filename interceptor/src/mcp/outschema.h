/*
 * outschema.h - what a tool's outputSchema lets spotlighting do to one string of its
 * structuredContent, so that a valid result stays valid (MCP clients check
 * structuredContent against the outputSchema and reject the whole result otherwise).
 *
 * The answer is read from the schema alone and errs on the side of leaving a string as it
 * came. Every subschema that may apply at the string's location is collected: through
 * properties, patternProperties (all of them: names are not matched, so more apply, never
 * fewer), additionalProperties, items, prefixItems, additionalItems, contains and
 * unevaluated*, and through the in-place applicators allOf, anyOf, oneOf, not, if, then,
 * else, dependentSchemas and local $ref ("#", "#/json/pointer"), whichever branch the value
 * would take. The string may be rewritten when none of them looks at a string's content
 * (pattern, format, enum, const, content*, or any keyword this file does not know), and no
 * container on the way compares values (enum, const, uniqueItems). A spotlighted string is
 * then judged by every keyword exactly as the original was. When the only content keywords
 * are minLength and maxLength, the string may be neutralised (a forged marker's bracket
 * replaced, one code point for one) but not fenced. Anything unusual (a remote, anchor or
 * dynamic $ref, a nested $id on the way, more than OUTSCHEMA_MAX_SET subschemas at one
 * location) keeps the string. Pure: no I/O.
 */
#ifndef SENTINEL_MCP_OUTSCHEMA_H
#define SENTINEL_MCP_OUTSCHEMA_H

#include <stdint.h>

#include "mcp/json.h"

#define OUTSCHEMA_MAX_SET 256u     /* subschemas that may apply at one location */
#define OUTSCHEMA_MAX_STEPS 16384u /* subschemas visited for one string */

enum outschema_verdict {
    OUTSCHEMA_KEEP = 0,       /* leave the string as it came */
    OUTSCHEMA_REWRITE = 1,    /* any rewrite keeps the result valid */
    OUTSCHEMA_NEUTRALISE = 2, /* only a rewrite that keeps the code point count */
};

/*
 * The verdict for the string at `json_pointer` (RFC 6901, NUL-terminated, relative to
 * structuredContent: "" is its root) under the outputSchema indexed in full in `doc` (node
 * 0, an object or a boolean). `doc` is borrowed; its scratch buffers are used.
 */
enum outschema_verdict outschema_string(struct json_doc *doc, const char *json_pointer);

#endif
