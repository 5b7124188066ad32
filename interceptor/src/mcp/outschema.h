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
/* Work for one response (all its strings): members and set entries looked at. Past it every
 * remaining string is kept (OUTSCHEMA_OVER): a server's schema and result must not hold the
 * event loop (an 800 KB schema of wide anyOf branches and a result 55 deep took seconds). */
#define OUTSCHEMA_BUDGET (1ul << 24)

enum outschema_verdict {
    OUTSCHEMA_KEEP = 0,       /* leave the string as it came */
    OUTSCHEMA_REWRITE = 1,    /* any rewrite keeps the result valid */
    OUTSCHEMA_NEUTRALISE = 2, /* only a rewrite that keeps the code point count */
    OUTSCHEMA_OVER = 3,       /* the budget is spent: leave the string as it came */
};

/*
 * The verdict for the string at `json_pointer` (RFC 6901, `len` bytes, U+0000 allowed in a
 * member name, relative to
 * structuredContent: "" is its root) under the outputSchema indexed in full in `doc` (node
 * 0, an object or a boolean). `doc` is borrowed; its scratch buffers are used. `*budget`
 * (start it at OUTSCHEMA_BUDGET for each response) is charged for the work done; once it
 * is spent, this and every later call answer OUTSCHEMA_OVER at once.
 */
enum outschema_verdict outschema_string(struct json_doc *doc, const char *json_pointer, size_t len,
                                        unsigned long *budget);

#endif
