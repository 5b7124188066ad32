/*
 * schema.h - a bounded subset of JSON Schema for checking tools/call arguments against
 * the tool's declared inputSchema (draft-04/06/07 and 2019-09/2020-12 as MCP servers
 * emit them: zod-to-json-schema, pydantic, hand-written).
 *
 * A schema is compiled once (every regex compiled, every $ref resolved, constants
 * canonicalised) into a struct schema that no longer refers to the document it came
 * from, then used for any number of validations. A server is hostile: its schema is
 * bounded in size, depth, subschemas, regexes and bytes, and a keyword this module does
 * not enforce is listed (schema_unsupported), never silently treated as enforced.
 * Pure: no I/O, no libuv. A compiled schema is read-only: validations of one schema may
 * run concurrently (all scratch is per call).
 *
 * Enforced (assertions):
 *   type            string or array of "null" "boolean" "object" "array" "number"
 *                   "integer" "string"; "integer" is any number with no fractional part
 *                   (1.0 and 1e3 are integers, as in draft-06+)
 *   enum, const     structural equality: numbers compare by value (1 == 1.0), objects
 *                   ignore member order, strings compare as exact bytes after unescaping
 *   minimum maximum exclusiveMinimum exclusiveMaximum (draft-04 boolean and draft-06+
 *                   number forms) and multipleOf: numbers compare as exact decimals, so
 *                   integers beyond 2^53 and fractions like 0.1 are exact (exponents
 *                   saturate at +-10^15), and the bounds must hold for the double a
 *                   server reads too (strtod, round to nearest: 1e-400 is not above
 *                   exclusiveMinimum 0, 0.99999999999999999999 is not below
 *                   exclusiveMaximum 1); multipleOf with more than 19 significant digits
 *                   is unsupported
 *   minLength maxLength  counted in Unicode code points after unescaping
 *   pattern, patternProperties  PCRE2 in UTF mode with ECMA-262 compatibility where
 *                   PCRE2 offers it, as compiled with the u flag (\uXXXX and \u{X...}
 *                   escapes, `$` matches only at the very end, a backreference to a group
 *                   not set, \1 before its group or \k<n> ahead of it, matches empty);
 *                   not anchored, as in JSON Schema. \d and \w are ASCII-only as in
 *                   ECMA-262 (so stricter than Python's Unicode \w in pydantic patterns);
 *                   \s is ECMA-262's Unicode WhiteSpace and LineTerminator (U+00A0,
 *                   U+2028, U+FEFF..., not U+0085) and `.` excludes LF, CR, U+2028 and
 *                   U+2029: the pattern is rewritten before PCRE2 compiles it (\S inside
 *                   a character class has no exact spelling and is unsupported). Matched
 *                   with a match limit, a depth limit and a per-validation match budget. A
 *                   pattern PCRE2 cannot compile is listed as unsupported (and not
 *                   enforced); its error offset is in the rewritten pattern.
 *   format          asserted, minimally: what is certainly not the format is refused,
 *                   some odd values pass.
 *                     email      non-empty local part, '@', a domain of non-empty
 *                                dot-separated labels or a [literal]; no spaces/controls
 *                     uri        an RFC 3986 scheme and ':' (relative references fail);
 *                                no spaces or control characters
 *                     date-time  RFC 3339 (separator T, t or space; Z or +-HH:MM; second
 *                                60 allowed), with a real day of the month
 *                     date       RFC 3339 full-date with a real day of the month
 *                     uuid       8-4-4-4-12 hex digits, any version
 *                     ipv4       dotted quad of 0-255 without leading zeros
 *                     ipv6       what inet_pton(3) accepts (no zone id)
 *                   Every other format is an annotation: ignored, and not listed.
 *   items (schema, or the draft-07 array form with additionalItems), prefixItems,
 *   contains, minItems, maxItems, uniqueItems
 *   properties, required, additionalProperties (false, true or a schema),
 *   patternProperties, propertyNames, minProperties, maxProperties
 *   allOf anyOf oneOf not
 *   $ref to a location in the same schema: "#", "#/definitions/x", "#/$defs/x" or any
 *                   JSON pointer (~0 ~1 escapes, %-encoding of the URI fragment), always
 *                   resolved against the inputSchema root. Keywords next to $ref are
 *                   applied too (2019-09+ behaviour; draft-07 would ignore them).
 *   boolean schemas true and false
 * Ignored (annotations): title description default examples $schema $comment $id (at the
 *   root) deprecated readOnly writeOnly contentMediaType contentEncoding contentSchema,
 *   any keyword starting with "x-", and definitions/$defs (compiled only when referenced).
 * Unsupported (listed by schema_unsupported, not enforced): everything else, e.g.
 *   if/then/else, dependentSchemas, dependentRequired, dependencies, unevaluated*,
 *   minContains/maxContains, $anchor, $dynamicRef, $recursiveRef, nested $id, remote or
 *   relative $ref, anchor $ref ("#foo"), OpenAPI's nullable/discriminator. A keyword
 *   that is listed is not enforced, with one exception that errs on the strict side: a
 *   patternProperties regex that does not compile matches no name, so those names fall
 *   to additionalProperties.
 */
#ifndef SENTINEL_MCP_SCHEMA_H
#define SENTINEL_MCP_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "mcp/json.h"

/* Compile-time bounds (a schema beyond them is refused, never truncated). */
#define SCHEMA_MAX_DEPTH 64                  /* JSON nesting below the schema root */
#define SCHEMA_MAX_NODES 16384u              /* subschemas (10k properties still compile) */
#define SCHEMA_MAX_BYTES (16u << 20)         /* memory held by one compiled schema */
#define SCHEMA_MAX_PATTERNS 256u             /* compiled regexes */
#define SCHEMA_MAX_PATTERN_BYTES (64u << 10) /* their sources, in all (compile time) */
#define SCHEMA_MAX_UNSUPPORTED 64u           /* unsupported keywords listed (more are counted) */
/* Per-validation bounds (hitting one is an error: the caller fails closed). */
#define SCHEMA_MAX_EVAL_DEPTH 512u  /* nested evaluations (instance depth + applicators) */
#define SCHEMA_MAX_STEPS (1u << 20) /* (subschema, value) evaluations */
#define SCHEMA_MAX_REFS (1u << 18)  /* $ref expansions */
#define SCHEMA_MAX_MATCHES 4096u    /* regex matches */
#define SCHEMA_MATCH_LIMIT 100000u  /* PCRE2 match limit of one match */
#define SCHEMA_REGEX_DEPTH_LIMIT 1000u

struct schema;

/*
 * Compile the schema at node `root` of `doc` (an object or a boolean; the doc borrowed
 * only during the call, and indexed at least down to the schema's deepest node).
 * Returns 0 and *out (owned by the caller, schema_free), or:
 *   -EINVAL      a malformed schema ("minimum" not a number, "required" not an array of
 *                strings, unresolvable local $ref, ...); `err` names the keyword as a
 *                "#/json/pointer: why" into the schema
 *   SE_EDEPTH    nested deeper than SCHEMA_MAX_DEPTH
 *   SE_ELIMIT    more than SCHEMA_MAX_NODES subschemas, SCHEMA_MAX_PATTERNS regexes or
 *                SCHEMA_MAX_BYTES bytes
 *   -ELOOP       a $ref/allOf/anyOf/oneOf/not cycle that never descends into the value
 *                ({"$ref": "#"}): it could not terminate on any value
 *   -E2BIG       the doc was not indexed deep enough to see the whole schema
 *   -ENOMEM
 * Unsupported keywords do not fail compilation: they are listed.
 */
int schema_compile(const struct json_doc *doc, uint32_t root, struct schema **out, char *err,
                   size_t errlen);

/*
 * The unsupported keywords found while compiling, as JSON pointers into the schema
 * ("/properties/when/if"); *pointers (may be NULL) borrows an array owned by s. At most
 * SCHEMA_MAX_UNSUPPORTED are listed; the count returned includes the ones not listed,
 * so callers must index with min(count, SCHEMA_MAX_UNSUPPORTED). 0 = everything in the
 * schema that applies to a value is enforced.
 */
size_t schema_unsupported(const struct schema *s, const char *const **pointers);
/* Why the i-th listed keyword is unsupported ("keyword not supported", a PCRE2 error). */
const char *schema_unsupported_reason(const struct schema *s, size_t i);

/*
 * Validate the value at node `val` of `doc` (borrowed; indexed down to the value's deepest
 * node, else -E2BIG). doc NULL validates an absent value as the empty object {} (a
 * tools/call without "arguments"). Returns:
 *   1   valid
 *   0   invalid; `why` describes the first violation as "<instance JSON pointer>: message"
 *       ("/path: string longer than maxLength 255"; the root is written "(root)"). It never
 *       holds the value's text: the pointer names members the schema declares in
 *       "properties" and gives others by position ("/(member 2)"), numbers are "number"
 *       (it is logged even when arguments are not)
 *   <0  cannot decide (the caller fails closed): -E2BIG (index too shallow, step, $ref
 *       or regex budget, regex match limit), SE_EDEPTH (evaluation depth), -ENOMEM;
 *       `why` says which
 * `why` is always NUL-terminated when whylen > 0.
 */
int schema_validate(const struct schema *s, const struct json_doc *doc, uint32_t val, char *why,
                    size_t whylen);

/* Release a compiled schema; NULL is a no-op. */
void schema_free(struct schema *s);

#endif
