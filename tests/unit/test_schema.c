/*
 * test_schema.c - JSON Schema subset: the real inputSchemas of the official servers and of
 * the SDK's and pydantic's converters (the JSON files in tests/unit/schemas, written by extract.mjs
 * and extract_pydantic.py) compile with nothing unsupported and accept/refuse real arguments; then
 * every supported keyword (valid and invalid), unsupported-keyword reporting, malformed schemas,
 * and hostile schemas (deep nesting, $ref cycles, exponential alternatives, catastrophic regexes,
 * huge objects and enums) that must fail fast. Usage: test_schema [fixture-dir]   (default:
 * schemas/ next to this source file)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "check.h"
#include "mcp/json.h"
#include "mcp/schema.h"

#define DEEP 30000u /* parse limits of the hostile cases */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Compile schema text (the doc is freed before returning: the schema must not need it). */
static struct schema *compile_text(const char *text, size_t len, int *rc, char *err, size_t n)
{
    struct json_doc doc;
    struct diag d = {0};
    struct schema *s = NULL;
    json_doc_init(&doc, DEEP, 0);
    *rc = json_parse(&doc, text, len, DEEP, &d);
    if (*rc < 0) {
        fprintf(stderr, "schema does not parse: %s: %.80s\n", d.msg, text);
        json_doc_cleanup(&doc);
        return NULL;
    }
    *rc = schema_compile(&doc, 0, &s, err, n);
    json_doc_cleanup(&doc);
    return s;
}

static int validate_text(const struct schema *s, const char *text, size_t len, char *why, size_t n)
{
    struct json_doc doc;
    struct diag d = {0};
    json_doc_init(&doc, DEEP, 0);
    int rc = json_parse(&doc, text, len, DEEP, &d);
    if (rc < 0) {
        fprintf(stderr, "instance does not parse: %s: %.80s\n", d.msg, text);
        json_doc_cleanup(&doc);
        return -1000;
    }
    rc = schema_validate(s, &doc, 0, why, n);
    json_doc_cleanup(&doc);
    return rc;
}

/* Validate `inst` against `s`: expect `want`, and when want == 0 exactly the message `msg`. */
static void expect(const struct schema *s, const char *label, const char *inst, int want,
                   const char *msg, int line)
{
    char why[512] = "";
    int rc = s ? validate_text(s, inst, strlen(inst), why, sizeof(why)) : -2000;
    check_count++;
    if (rc != want || (want == 0 && msg != NULL && strcmp(why, msg) != 0)) {
        check_failures++;
        fprintf(stderr, "line %d: %s against %s: got %d \"%s\", want %d \"%s\"\n", line, inst,
                label, rc, why, want, msg ? msg : "");
    }
}

/* ---- synthetic: one schema, several instances ------------------------------------------ */

struct vcase {
    const char *schema;
    const char *inst;
    int want;
    const char *why; /* exact message when want == 0 (NULL: not checked) */
};

static const struct vcase cases[] = {
    /* type */
    {"{\"type\":\"string\"}", "\"a\"", 1, NULL},
    {"{\"type\":\"string\"}", "1", 0, "(root): expected string, got integer"},
    {"{\"type\":[\"string\",\"null\"]}", "null", 1, NULL},
    {"{\"type\":[\"string\",\"null\"]}", "true", 0, "(root): expected null or string, got boolean"},
    {"{\"type\":\"integer\"}", "1.0", 1, NULL},
    {"{\"type\":\"integer\"}", "1e3", 1, NULL},
    {"{\"type\":\"integer\"}", "-0", 1, NULL},
    {"{\"type\":\"integer\"}", "12345678901234567890123", 1, NULL},
    {"{\"type\":\"integer\"}", "1.5", 0, "(root): expected integer, got number"},
    {"{\"type\":\"integer\"}", "1e-1", 0, "(root): expected integer, got number"},
    {"{\"type\":\"number\"}", "1", 1, NULL},
    {"{\"type\":\"number\"}", "\"1\"", 0, "(root): expected number, got string"},
    {"{\"type\":\"boolean\"}", "false", 1, NULL},
    {"{\"type\":\"boolean\"}", "0", 0, "(root): expected boolean, got integer"},
    {"{\"type\":\"null\"}", "null", 1, NULL},
    {"{\"type\":\"null\"}", "{}", 0, "(root): expected null, got object"},
    {"{\"type\":\"object\"}", "[]", 0, "(root): expected object, got array"},
    {"{\"type\":\"array\"}", "[]", 1, NULL},
    /* required, properties */
    {"{\"required\":[\"a\",\"b\"]}", "{\"a\":1,\"b\":2}", 1, NULL},
    {"{\"required\":[\"a\",\"b\",\"a\"]}", "{\"a\":1}", 0,
     "(root): missing required property \"b\""},
    {"{\"required\":[\"a\"]}", "\"not an object\"", 1, NULL},
    {"{\"required\":[\"a/b\"]}", "{\"a\\/b\":1}", 1, NULL},
    {"{\"properties\":{\"a\":{\"type\":\"string\"}}}", "{\"a\":\"x\",\"b\":1}", 1, NULL},
    {"{\"properties\":{\"a\":{\"type\":\"string\"}}}", "{\"a\":1}", 0,
     "/a: expected string, got integer"},
    {"{\"properties\":{\"a/b~c\":{\"type\":\"string\"}}}", "{\"a/b~c\":1}", 0,
     "/a~1b~0c: expected string, got integer"},
    {"{\"properties\":{\"\\u00e9\":{\"type\":\"string\"}}}", "{\"\xc3\xa9\":1}", 0,
     "/\xc3\xa9: expected string, got integer"},
    {"{\"properties\":{\"a\":false}}", "{\"a\":1}", 0, "/a: property not allowed (schema false)"},
    {"{\"properties\":{\"a\":{\"type\":\"string\"}},\"additionalProperties\":false}",
     "{\"\\u0061\":1}", 0, "/a: expected string, got integer"},
    /* additionalProperties */
    {"{\"properties\":{\"a\":{}},\"additionalProperties\":false}", "{\"a\":1}", 1, NULL},
    {"{\"properties\":{\"a\":{}},\"additionalProperties\":false}", "{\"a\":1,\"b\":2}", 0,
     "/(member 1): property not allowed (additionalProperties is false)"},
    /* a reason names members the schema declares, others by position: never argument text */
    {"{\"properties\":{\"a\":{}},\"additionalProperties\":false}",
     "{\"a\":1,\"LEAKKEY-sk_live_abc\":2}", 0,
     "/(member 1): property not allowed (additionalProperties is false)"},
    {"{\"properties\":{\"amount\":{\"maximum\":100}}}", "{\"amount\":987654.321}", 0,
     "/amount: number is greater than maximum 100"},
    {"{\"additionalProperties\":{\"type\":\"number\"}}", "{\"x\":1}", 1, NULL},
    {"{\"additionalProperties\":{\"type\":\"number\"}}", "{\"x\":\"1\"}", 0,
     "/(member 0): expected number, got string"},
    {"{\"additionalProperties\":true}", "{\"x\":1}", 1, NULL},
    /* patternProperties */
    {"{\"patternProperties\":{\"^x-\":{\"type\":\"string\"}},\"additionalProperties\":false}",
     "{\"x-a\":\"s\"}", 1, NULL},
    {"{\"patternProperties\":{\"^x-\":{\"type\":\"string\"}},\"additionalProperties\":false}",
     "{\"x-a\":1}", 0, "/(member 0): expected string, got integer"},
    {"{\"patternProperties\":{\"^x-\":{\"type\":\"string\"}},\"additionalProperties\":false}",
     "{\"y\":1}", 0, "/(member 0): property not allowed (additionalProperties is false)"},
    {"{\"properties\":{\"ab\":{\"minimum\":5}},\"patternProperties\":{\"b$\":{\"maximum\":6}}}",
     "{\"ab\":7}", 0, "/ab: number is greater than maximum 6"},
    /* propertyNames, minProperties, maxProperties */
    {"{\"propertyNames\":{\"maxLength\":3}}", "{\"abc\":1}", 1, NULL},
    {"{\"propertyNames\":{\"maxLength\":3}}", "{\"abcd\":1}", 0,
     "(root): the name of member 0 does not match propertyNames"},
    {"{\"propertyNames\":{\"enum\":[\"a\",\"b\"]}}", "{\"b\":1}", 1, NULL},
    {"{\"propertyNames\":{\"pattern\":\"^[a-z]+$\"}}", "{\"A\":1}", 0,
     "(root): the name of member 0 does not match propertyNames"},
    {"{\"minProperties\":1}", "{}", 0,
     "(root): object has 0 properties, fewer than minProperties 1"},
    {"{\"maxProperties\":1}", "{\"a\":1,\"b\":2}", 0,
     "(root): object has 2 properties, more than maxProperties 1"},
    {"{\"maxProperties\":1}", "{\"a\":1}", 1, NULL},
    /* enum, const */
    {"{\"enum\":[\"a\",1,null,[1,{\"x\":true}]]}", "\"a\"", 1, NULL},
    {"{\"enum\":[\"a\",1,null,[1,{\"x\":true}]]}", "1.0", 1, NULL},
    {"{\"enum\":[\"a\",1,null,[1,{\"x\":true}]]}", "10e-1", 1, NULL},
    {"{\"enum\":[\"a\",1,null,[1,{\"x\":true}]]}", "null", 1, NULL},
    {"{\"enum\":[\"a\",1,null,[1,{\"x\":true}]]}", "[1.0,{\"x\":true}]", 1, NULL},
    {"{\"enum\":[\"a\",1,null,[1,{\"x\":true}]]}", "\"b\"", 0,
     "(root): value is not one of the 4 enum values"},
    {"{\"enum\":[\"a\",1,null,[1,{\"x\":true}]]}", "\"1\"", 0, NULL},
    {"{\"enum\":[\"a\",1,null,[1,{\"x\":true}]]}", "[1,{\"x\":false}]", 0, NULL},
    {"{\"enum\":[\"a\",1,null,[1,{\"x\":true}]]}", "[{\"x\":true},1]", 0, NULL},
    {"{\"enum\":[\"\\u00e9\"]}", "\"\xc3\xa9\"", 1, NULL},
    {"{\"enum\":[\"a\\u0000b\"]}", "\"a\\u0000b\"", 1, NULL},
    {"{\"enum\":[\"a\\u0000b\"]}", "\"a\"", 0, NULL},
    {"{\"const\":{\"a\":[1,2],\"b\":\"x\"}}", "{\"b\":\"x\",\"a\":[1,2.0]}", 1, NULL},
    {"{\"const\":{\"a\":[1,2],\"b\":\"x\"}}", "{\"a\":[2,1],\"b\":\"x\"}", 0,
     "(root): value does not equal const"},
    {"{\"const\":{\"a\":[1,2],\"b\":\"x\"}}", "{\"a\":[1,2],\"b\":\"x\",\"c\":null}", 0, NULL},
    {"{\"const\":0}", "-0.0", 1, NULL},
    {"{\"const\":false}", "0", 0, NULL},
    {"{\"const\":\"s1:x\"}", "\"s1:x\"", 1, NULL},
    /* numbers */
    {"{\"minimum\":1}", "1", 1, NULL},
    {"{\"minimum\":1}", "0.999", 0, "(root): number is less than minimum 1"},
    {"{\"minimum\":1}", "\"a\"", 1, NULL},
    {"{\"minimum\":-10}", "-11", 0, "(root): number is less than minimum -10"},
    {"{\"minimum\":-10}", "-9.5", 1, NULL},
    {"{\"maximum\":10}", "10", 1, NULL},
    {"{\"maximum\":10}", "10.5", 0, "(root): number is greater than maximum 10"},
    {"{\"maximum\":1e3}", "1000", 1, NULL},
    {"{\"maximum\":1e3}", "1E+3", 1, NULL},
    {"{\"maximum\":1e3}", "1000.0001", 0, "(root): number is greater than maximum 1e3"},
    {"{\"maximum\":9007199254740992}", "9007199254740993", 0,
     "(root): number is greater than maximum 9007199254740992"},
    {"{\"maximum\":0.1}", "0.10000000000000000001", 0, NULL},
    {"{\"minimum\":-1e400}", "-1e399", 1, NULL},
    {"{\"exclusiveMinimum\":0}", "0", 0, "(root): number is not greater than exclusiveMinimum 0"},
    {"{\"exclusiveMinimum\":0}", "0.0001", 1, NULL},
    /* ... and as the double a server reads: 1e-400 is 0.0 there, 0.99999999999999999999 is 1.0 */
    {"{\"exclusiveMinimum\":0}", "1e-400", 0,
     "(root): number is not greater than exclusiveMinimum 0"},
    {"{\"exclusiveMinimum\":0}", "1e-300", 1, NULL},
    {"{\"exclusiveMaximum\":1}", "0.99999999999999999999", 0,
     "(root): number is not less than exclusiveMaximum 1"},
    {"{\"maximum\":1,\"exclusiveMaximum\":true}", "0.99999999999999999999", 0,
     "(root): number is not below the exclusive maximum 1"},
    {"{\"exclusiveMaximum\":1}", "0.9999999999999999", 1, NULL},
    {"{\"exclusiveMaximum\":5}", "5", 0, "(root): number is not less than exclusiveMaximum 5"},
    {"{\"exclusiveMaximum\":5}", "4.99", 1, NULL},
    {"{\"minimum\":5,\"exclusiveMinimum\":true}", "5", 0,
     "(root): number is not above the exclusive minimum 5"},
    {"{\"minimum\":5,\"exclusiveMinimum\":true}", "5.5", 1, NULL},
    {"{\"maximum\":5,\"exclusiveMaximum\":true}", "5", 0,
     "(root): number is not below the exclusive maximum 5"},
    {"{\"maximum\":5,\"exclusiveMaximum\":false}", "5", 1, NULL},
    {"{\"multipleOf\":0.1}", "0.3", 1, NULL},
    {"{\"multipleOf\":0.1}", "0.35", 0, "(root): number is not a multiple of 0.1"},
    {"{\"multipleOf\":3}", "9", 1, NULL},
    {"{\"multipleOf\":3}", "-9", 1, NULL},
    {"{\"multipleOf\":3}", "0", 1, NULL},
    {"{\"multipleOf\":3}", "10", 0, NULL},
    {"{\"multipleOf\":3}", "1e30", 0, NULL},
    {"{\"multipleOf\":3}", "3e30", 1, NULL},
    {"{\"multipleOf\":1}", "1.5", 0, NULL},
    {"{\"multipleOf\":1}", "2.0", 1, NULL},
    {"{\"multipleOf\":0.25}", "1.75", 1, NULL},
    {"{\"multipleOf\":0.25}", "1.1", 0, NULL},
    {"{\"multipleOf\":7e2}", "14000", 1, NULL},
    {"{\"multipleOf\":7e2}", "1400.5", 0, NULL},
    /* strings */
    {"{\"maxLength\":3}", "\"h\xc3\xa9\xc3\xa9\"", 1, NULL},
    {"{\"maxLength\":3}", "\"abcd\"", 0, "(root): string longer than maxLength 3 (length 4)"},
    {"{\"maxLength\":1}", "\"\xf0\x9f\x98\x80\"", 1, NULL},
    {"{\"maxLength\":1}", "\"\\ud83d\\ude00\"", 1, NULL},
    {"{\"maxLength\":1}", "\"\\n\\t\"", 0, NULL},
    {"{\"minLength\":2}", "\"\xc3\xa9\"", 0, "(root): string shorter than minLength 2 (length 1)"},
    {"{\"minLength\":2}", "5", 1, NULL},
    {"{\"pattern\":\"^[a-z]+$\"}", "\"abc\"", 1, NULL},
    {"{\"pattern\":\"^[a-z]+$\"}", "\"abc\\n\"", 0,
     "(root): string does not match pattern \"^[a-z]+$\""},
    {"{\"pattern\":\"^[a-z]+$\"}", "\"Abc\"", 0, NULL},
    {"{\"pattern\":\"b\"}", "\"abc\"", 1, NULL},
    {"{\"pattern\":\"^\\\\u00e9$\"}", "\"\xc3\xa9\"", 1, NULL},
    {"{\"pattern\":\"^.$\"}", "\"\xf0\x9f\x98\x80\"", 1, NULL},
    {"{\"pattern\":\"^a.c$\"}", "\"a\\u0000c\"", 1, NULL},
    {"{\"pattern\":\"^\\\\d+$\"}", "\"\xd9\xa3\"", 0, NULL}, /* \d is ASCII, as in ECMA-262 */
    /* \s is ECMA-262's Unicode whitespace; `.` excludes LF, CR, U+2028 and U+2029 */
    {"{\"pattern\":\"^\\\\S+$\"}", "\"ab\"", 1, NULL},
    {"{\"pattern\":\"^\\\\S+$\"}", "\"a\\u00a0b\"", 0, NULL},
    {"{\"pattern\":\"^\\\\S+$\"}", "\"a\\u2028b\"", 0, NULL},
    {"{\"pattern\":\"^\\\\S+$\"}", "\"a\\ufeffb\"", 0, NULL},
    {"{\"pattern\":\"^\\\\S+$\"}", "\"a\\u0085b\"", 1, NULL}, /* NEL is not ECMA whitespace */
    /* ECMA-262 with the u flag: \u{...}, backreferences to groups not set match empty */
    {"{\"pattern\":\"^\\\\u{61}b$\"}", "\"ab\"", 1, NULL},
    {"{\"pattern\":\"^(?:(a)|b)\\\\1c$\"}", "\"bc\"", 1, NULL},
    {"{\"pattern\":\"^\\\\k<n>(?<n>a)$\"}", "\"a\"", 1, NULL},
    {"{\"pattern\":\"^(a)\\\\1$\"}", "\"ab\"", 0, NULL},
    {"{\"pattern\":\"^\\\\s+$\"}", "\"\\u3000\\t\\u000b\"", 1, NULL},
    {"{\"pattern\":\"^[\\\\sx]+$\"}", "\"x\\u00a0x\"", 1, NULL},
    {"{\"pattern\":\"^[.]$\"}", "\"x\"", 0, NULL}, /* a dot in a class is a dot */
    {"{\"pattern\":\"^.+$\"}", "\"a\\rb\"", 0, NULL},
    {"{\"pattern\":\"^.+$\"}", "\"a\\u2029b\"", 0, NULL},
    {"{\"pattern\":\"^a\\\\.c$\"}", "\"abc\"", 0, NULL},
    {"{\"pattern\":\"^a\\\\.c$\"}", "\"a.c\"", 1, NULL},
    /* formats */
    {"{\"format\":\"email\"}", "\"a.b+c@example.co\"", 1, NULL},
    {"{\"format\":\"email\"}", "\"user@[192.168.0.1]\"", 1, NULL},
    {"{\"format\":\"email\"}", "\"ab.co\"", 0, "(root): string is not a valid \"email\""},
    {"{\"format\":\"email\"}", "\"a b@c.d\"", 0, NULL},
    {"{\"format\":\"email\"}", "\"@b.c\"", 0, NULL},
    {"{\"format\":\"email\"}", "\"a@\"", 0, NULL},
    {"{\"format\":\"email\"}", "\"a@b..c\"", 0, NULL},
    {"{\"format\":\"email\"}", "\"a@b.c.\"", 0, NULL},
    {"{\"format\":\"uri\"}", "\"https://x.y/z?q=1#f\"", 1, NULL},
    {"{\"format\":\"uri\"}", "\"urn:isbn:0451450523\"", 1, NULL},
    {"{\"format\":\"uri\"}", "\"data:text/plain;base64,SGk=\"", 1, NULL},
    {"{\"format\":\"uri\"}", "\"not a uri\"", 0, "(root): string is not a valid \"uri\""},
    {"{\"format\":\"uri\"}", "\"/relative/path\"", 0, NULL},
    {"{\"format\":\"uri\"}", "\"1http://x\"", 0, NULL},
    {"{\"format\":\"uri\"}", "\"http://x/\\ny\"", 0, NULL},
    {"{\"format\":\"date-time\"}", "\"2024-02-29T12:30:00Z\"", 1, NULL},
    {"{\"format\":\"date-time\"}", "\"2024-01-01t12:00:00.123+05:30\"", 1, NULL},
    {"{\"format\":\"date-time\"}", "\"2016-12-31T23:59:60Z\"", 1, NULL},
    {"{\"format\":\"date-time\"}", "\"2023-02-29T12:30:00Z\"", 0,
     "(root): string is not a valid \"date-time\""},
    {"{\"format\":\"date-time\"}", "\"2024-01-01T24:00:00Z\"", 0, NULL},
    {"{\"format\":\"date-time\"}", "\"2024-01-01 12:00:00Z\"", 1, NULL},
    {"{\"format\":\"date-time\"}", "\"2024-01-01_12:00:00Z\"", 0, NULL},
    {"{\"format\":\"date-time\"}", "\"2024-01-01T12:00:00\"", 0, NULL},
    {"{\"format\":\"date-time\"}", "\"2024-01-01T12:00:00.Z\"", 0, NULL},
    {"{\"format\":\"date\"}", "\"2000-02-29\"", 1, NULL},
    {"{\"format\":\"date\"}", "\"1900-02-29\"", 0, NULL},
    {"{\"format\":\"date\"}", "\"2024-13-01\"", 0, "(root): string is not a valid \"date\""},
    {"{\"format\":\"date\"}", "\"2024-1-01\"", 0, NULL},
    {"{\"format\":\"uuid\"}", "\"123e4567-E89B-12d3-a456-426614174000\"", 1, NULL},
    {"{\"format\":\"uuid\"}", "\"123e4567e89b12d3a456426614174000\"", 0,
     "(root): string is not a valid \"uuid\""},
    {"{\"format\":\"uuid\"}", "\"123e4567-e89b-12d3-a456-42661417400g\"", 0, NULL},
    {"{\"format\":\"ipv4\"}", "\"192.168.0.1\"", 1, NULL},
    {"{\"format\":\"ipv4\"}", "\"256.1.1.1\"", 0, "(root): string is not a valid \"ipv4\""},
    {"{\"format\":\"ipv4\"}", "\"01.1.1.1\"", 0, NULL},
    {"{\"format\":\"ipv4\"}", "\"1.1.1\"", 0, NULL},
    {"{\"format\":\"ipv4\"}", "\"1.1.1.1.1\"", 0, NULL},
    {"{\"format\":\"ipv6\"}", "\"::1\"", 1, NULL},
    {"{\"format\":\"ipv6\"}", "\"2001:db8::8a2e:370:7334\"", 1, NULL},
    {"{\"format\":\"ipv6\"}", "\"::ffff:1.2.3.4\"", 1, NULL},
    {"{\"format\":\"ipv6\"}", "\"1::2::3\"", 0, "(root): string is not a valid \"ipv6\""},
    {"{\"format\":\"ipv6\"}", "\"fe80::1%eth0\"", 0, NULL},
    {"{\"format\":\"ipv6\"}", "\"12345::\"", 0, NULL},
    {"{\"format\":\"hostname\"}", "\"!! not checked\"", 1, NULL},
    {"{\"format\":\"made-up\"}", "\"x\"", 1, NULL},
    {"{\"format\":\"email\"}", "5", 1, NULL},
    /* arrays */
    {"{\"items\":{\"type\":\"integer\"}}", "[1,2]", 1, NULL},
    {"{\"items\":{\"type\":\"integer\"}}", "[1,\"x\"]", 0, "/1: expected integer, got string"},
    {"{\"items\":[{\"type\":\"string\"},{\"type\":\"number\"}],\"additionalItems\":false}",
     "[\"a\",1]", 1, NULL},
    {"{\"items\":[{\"type\":\"string\"},{\"type\":\"number\"}],\"additionalItems\":false}",
     "[\"a\"]", 1, NULL},
    {"{\"items\":[{\"type\":\"string\"},{\"type\":\"number\"}],\"additionalItems\":false}",
     "[\"a\",1,2]", 0, "(root): array has 3 items, at most 2 allowed"},
    {"{\"items\":[{\"type\":\"string\"},{\"type\":\"number\"}],\"additionalItems\":false}", "[1]",
     0, "/0: expected string, got integer"},
    {"{\"items\":[{\"type\":\"string\"}],\"additionalItems\":{\"type\":\"number\"}}", "[\"a\",1,2]",
     1, NULL},
    {"{\"items\":[{\"type\":\"string\"}],\"additionalItems\":{\"type\":\"number\"}}",
     "[\"a\",\"b\"]", 0, "/1: expected number, got string"},
    {"{\"items\":[{\"type\":\"string\"}]}", "[\"a\",1]", 1, NULL},
    {"{\"items\":{\"type\":\"string\"},\"additionalItems\":false}", "[\"a\",\"b\"]", 1, NULL},
    {"{\"prefixItems\":[{\"type\":\"string\"}],\"items\":false}", "[\"a\"]", 1, NULL},
    {"{\"prefixItems\":[{\"type\":\"string\"}],\"items\":false}", "[\"a\",\"b\"]", 0,
     "(root): array has 2 items, at most 1 allowed"},
    {"{\"prefixItems\":[{\"type\":\"string\"}],\"items\":{\"type\":\"integer\"}}", "[\"a\",1]", 1,
     NULL},
    {"{\"prefixItems\":[{\"type\":\"string\"}],\"items\":{\"type\":\"integer\"}}", "[\"a\",1.5]", 0,
     "/1: expected integer, got number"},
    {"{\"minItems\":1}", "[]", 0, "(root): array has 0 items, fewer than minItems 1"},
    {"{\"maxItems\":1}", "[1,2]", 0, "(root): array has 2 items, more than maxItems 1"},
    {"{\"maxItems\":1}", "[1]", 1, NULL},
    {"{\"uniqueItems\":true}", "[1,2,3]", 1, NULL},
    {"{\"uniqueItems\":true}", "[1,2,1.0]", 0, "(root): items 0 and 2 are equal (uniqueItems)"},
    {"{\"uniqueItems\":true}", "[{\"a\":1,\"b\":2},{\"b\":2,\"a\":1}]", 0,
     "(root): items 0 and 1 are equal (uniqueItems)"},
    {"{\"uniqueItems\":true}", "[\"1\",1,[1],[1,1],{\"1\":1},true,\"true\"]", 1, NULL},
    {"{\"uniqueItems\":false}", "[1,1]", 1, NULL},
    {"{\"contains\":{\"type\":\"string\"}}", "[1,\"a\"]", 1, NULL},
    {"{\"contains\":{\"type\":\"string\"}}", "[1,2]", 0, "(root): no item matches \"contains\""},
    {"{\"contains\":{\"type\":\"string\"}}", "[]", 0, NULL},
    /* nesting */
    {"{\"properties\":{\"a\":{\"properties\":{\"b\":{\"items\":{\"required\":[\"c\"]}}}}}}",
     "{\"a\":{\"b\":[{\"c\":1},{}]}}", 0, "/a/b/1: missing required property \"c\""},
    /* combinators */
    {"{\"allOf\":[{\"type\":\"string\"},{\"maxLength\":2}]}", "\"ab\"", 1, NULL},
    {"{\"allOf\":[{\"type\":\"string\"},{\"maxLength\":2}]}", "\"abc\"", 0,
     "(root): string longer than maxLength 2 (length 3)"},
    {"{\"anyOf\":[{\"type\":\"string\",\"maxLength\":2},{\"type\":\"null\"}]}", "null", 1, NULL},
    {"{\"anyOf\":[{\"type\":\"string\",\"maxLength\":2},{\"type\":\"null\"}]}", "\"ab\"", 1, NULL},
    {"{\"anyOf\":[{\"type\":\"string\",\"maxLength\":2},{\"type\":\"null\"}]}", "\"abc\"", 0,
     "(root): matches none of the 2 anyOf alternatives (first: (root): string longer than "
     "maxLength 2 (length 3))"},
    {"{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":2}]}", "1", 1, NULL},
    {"{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":2}]}", "2.5", 1, NULL},
    {"{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":2}]}", "3", 0,
     "(root): matches oneOf alternatives 0 and 1, expected exactly one"},
    {"{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":2}]}", "1.5", 0,
     "(root): matches none of the 2 oneOf alternatives (first: (root): expected integer, got "
     "number)"},
    {"{\"not\":{\"type\":\"null\"}}", "1", 1, NULL},
    {"{\"not\":{\"type\":\"null\"}}", "null", 0, "(root): value must not match the \"not\" schema"},
    {"{\"not\":{\"not\":{\"type\":\"null\"}}}", "null", 1, NULL},
    {"{\"properties\":{\"a\":{\"anyOf\":[{\"required\":[\"x\"]},{\"required\":[\"y\"]}]}}}",
     "{\"a\":{\"y\":{}}}", 1, NULL},
    /* $ref */
    {"{\"definitions\":{\"s\":{\"type\":\"string\"}},\"properties\":{\"a\":{\"$ref\":\"#/"
     "definitions/s\"}}}",
     "{\"a\":1}", 0, "/a: expected string, got integer"},
    {"{\"$defs\":{\"s\":{\"type\":\"string\"}},\"properties\":{\"a\":{\"$ref\":\"#/$defs/s\"}}}",
     "{\"a\":\"x\"}", 1, NULL},
    {"{\"type\":\"object\",\"properties\":{\"kids\":{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}"
     "},"
     "\"additionalProperties\":false}",
     "{\"kids\":[{\"kids\":[]},{\"kids\":[{\"x\":1}]}]}", 0,
     "/kids/1/kids/0/(member 0): property not allowed (additionalProperties is false)"},
    {"{\"$defs\":{\"a/b\":{\"type\":\"string\"},\"c~d\":{\"type\":\"integer\"},\"e f\":{\"type\":"
     "\"null\"}},\"properties\":{\"x\":{\"$ref\":\"#/$defs/a~1b\"},\"y\":{\"$ref\":\"#/$defs/"
     "c~0d\"},\"z\":{\"$ref\":\"#/$defs/e%20f\"}}}",
     "{\"x\":\"s\",\"y\":1,\"z\":null}", 1, NULL},
    {"{\"$defs\":{\"a/b\":{\"type\":\"string\"},\"c~d\":{\"type\":\"integer\"},\"e f\":{\"type\":"
     "\"null\"}},\"properties\":{\"x\":{\"$ref\":\"#/$defs/a~1b\"},\"y\":{\"$ref\":\"#/$defs/"
     "c~0d\"},\"z\":{\"$ref\":\"#/$defs/e%20f\"}}}",
     "{\"z\":0}", 0, "/z: expected null, got integer"},
    {"{\"allOf\":[{\"type\":\"string\"}],\"properties\":{\"a\":{\"$ref\":\"#/allOf/0\"}}}",
     "{\"a\":1}", 0, "/a: expected string, got integer"},
    {"{\"$defs\":{\"s\":{\"type\":\"string\"}},\"properties\":{\"a\":{\"$ref\":\"#/$defs/s\","
     "\"maxLength\":2}}}",
     "{\"a\":\"abc\"}", 0, "/a: string longer than maxLength 2 (length 3)"},
    {"{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/b\"},\"b\":{\"type\":\"integer\"}},\"$ref\":\"#/$defs/"
     "a\"}",
     "\"x\"", 0, "(root): expected integer, got string"},
    /* boolean schemas and annotations */
    {"true", "{\"anything\":[1]}", 1, NULL},
    {"false", "1", 0, "(root): no value is allowed here (schema false)"},
    {"{}", "null", 1, NULL},
    {"{\"title\":\"t\",\"description\":\"d\",\"default\":5,\"examples\":[1],\"$schema\":\"https://"
     "json-schema.org/draft/2020-12/schema\",\"$id\":\"urn:x\",\"$comment\":\"c\",\"deprecated\":"
     "true,\"readOnly\":true,\"writeOnly\":false,\"contentMediaType\":\"text/plain\",\"x-vendor\":"
     "{\"if\":1},\"type\":\"integer\"}",
     "1", 1, NULL},
};

static void test_cases(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct vcase *c = &cases[i];
        char err[256] = "";
        int rc;
        struct schema *s = compile_text(c->schema, strlen(c->schema), &rc, err, sizeof(err));
        check_count++;
        if (s == NULL) {
            check_failures++;
            fprintf(stderr, "case %zu: %s does not compile: %d %s\n", i, c->schema, rc, err);
            continue;
        }
        const char *const *u;
        size_t nu = schema_unsupported(s, &u);
        if (nu != 0) {
            check_failures++;
            fprintf(stderr, "case %zu: %s: unexpected unsupported %s\n", i, c->schema, u[0]);
        }
        char label[64];
        snprintf(label, sizeof(label), "case %zu", i);
        expect(s, label, c->inst, c->want, c->why, (int)i);
        schema_free(s);
    }
}

/* ---- unsupported keywords, malformed schemas ------------------------------------------- */

static void check_unsupported(const char *schema, const char *const *want, size_t nwant,
                              const char *reason0)
{
    char err[256] = "";
    int rc;
    struct schema *s = compile_text(schema, strlen(schema), &rc, err, sizeof(err));
    CHECK_INT(rc, 0);
    if (s == NULL)
        return;
    const char *const *u;
    size_t n = schema_unsupported(s, &u);
    CHECK_INT(n, nwant);
    for (size_t i = 0; i < n && i < nwant; i++)
        CHECK_STR(u[i], want[i]);
    if (reason0 != NULL && n > 0)
        CHECK(strstr(schema_unsupported_reason(s, 0), reason0) != NULL);
    schema_free(s);
}

static void test_unsupported(void)
{
    static const char *const cls[] = {"/pattern"};
    check_unsupported("{\"pattern\":\"^[\\\\S]$\"}", cls, 1, "\\S inside a character class");
    /* what ECMA-262 (u flag) refuses and PCRE2 reads its own way: Python's \Z, inline flags,
     * comments, atomic groups, possessive quantifiers, \A, \Q...\E */
    static const char *const flavours[] = {"^[a-z]+\\\\Z", "(?i)abc", "a(?#note)b", "(?>a+)b",
                                           "a*+b", "\\\\Aabc", "\\\\Q.\\\\E", "a\\\\-b"};
    for (size_t i = 0; i < sizeof(flavours) / sizeof(flavours[0]); i++) {
        char schema[128];
        snprintf(schema, sizeof(schema), "{\"pattern\":\"%s\"}", flavours[i]);
        check_unsupported(schema, cls, 1, "not an ECMA-262 pattern");
    }
    /* and what it accepts stays a pattern */
    static const char *const ok[] = {"^(?:a|b)(?=c)(?!d)(?<=e)(?<!f)(?<g>h)\\\\k<g>$",
                                     "^[\\\\-\\\\]\\\\b]\\\\/\\\\u00e9\\\\p{L}\\\\cA$"};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char schema[160];
        snprintf(schema, sizeof(schema), "{\"pattern\":\"%s\"}", ok[i]);
        struct schema *sc = NULL;
        char err[256] = "";
        struct json_doc d;
        json_doc_init(&d, 64, 0);
        struct diag dg = {0};
        CHECK(json_parse(&d, schema, strlen(schema), 64, &dg) == 0);
        CHECK(schema_compile(&d, 0, &sc, err, sizeof(err)) == 0);
        const char *const *u;
        CHECK(sc != NULL && schema_unsupported(sc, &u) == 0);
        schema_free(sc);
        json_doc_cleanup(&d);
    }
    static const char *const a[] = {"/dependentSchemas", "/unevaluatedProperties",
                                    "/properties/a/if", "/properties/a/then"};
    check_unsupported("{\"properties\":{\"a\":{\"if\":{\"type\":\"string\"},\"then\":{"
                      "\"maxLength\":1}}},\"dependentSchemas\":{},\"unevaluatedProperties\":false}",
                      a, 4, "keyword not supported");
    static const char *const b[] = {"/$ref"};
    check_unsupported("{\"$ref\":\"http://example.com/s.json#/x\"}", b, 1, "remote");
    check_unsupported("{\"$ref\":\"other.json\"}", b, 1, "remote or relative");
    check_unsupported("{\"$ref\":\"#foo\",\"$anchor\":\"foo\"}",
                      (const char *const[]){"/$ref", "/$anchor"}, 2, "anchor");
    check_unsupported("{\"properties\":{\"a\":{\"$id\":\"urn:a\"}}}",
                      (const char *const[]){"/properties/a/$id"}, 1, "$id");
    check_unsupported("{\"properties\":{\"a\":{\"required\":true}}}",
                      (const char *const[]){"/properties/a/required"}, 1, "draft-03");
    check_unsupported("{\"multipleOf\":0.123456789012345678901}",
                      (const char *const[]){"/multipleOf"}, 1, "19 significant digits");
    check_unsupported("{\"properties\":{\"p\":{\"pattern\":\"(unclosed\"}}}",
                      (const char *const[]){"/properties/p/pattern"}, 1, "does not compile");
    check_unsupported("{\"patternProperties\":{\"[z-a]\":{},\"^ok$\":{\"type\":\"string\"}}}",
                      (const char *const[]){"/patternProperties/[z-a]"}, 1, "does not compile");
    check_unsupported("{\"nullable\":true,\"minContains\":1,\"dependentRequired\":{},"
                      "\"dependencies\":{},\"$dynamicRef\":\"#x\",\"else\":{}}",
                      (const char *const[]){"/nullable", "/minContains", "/dependentRequired",
                                            "/dependencies", "/$dynamicRef", "/else"},
                      6, NULL);
    /* definitions are compiled only when referenced: an unused one reports nothing */
    check_unsupported("{\"definitions\":{\"u\":{\"if\":{}}},\"type\":\"object\"}", NULL, 0, NULL);

    /* an unsupported keyword is not enforced, the rest of the schema is */
    int rc;
    char err[256];
    const char *t = "{\"properties\":{\"p\":{\"pattern\":\"(\",\"maxLength\":2},\"q\":{\"if\":{},"
                    "\"type\":\"string\"}}}";
    struct schema *s = compile_text(t, strlen(t), &rc, err, sizeof(err));
    CHECK_INT(schema_unsupported(s, NULL), 2);
    expect(s, "broken pattern", "{\"p\":\"x\"}", 1, NULL, __LINE__);
    expect(s, "broken pattern", "{\"p\":\"xyz\"}", 0,
           "/p: string longer than maxLength 2 (length 3)", __LINE__);
    expect(s, "if", "{\"q\":1}", 0, "/q: expected string, got integer", __LINE__);
    schema_free(s);

    /* more unsupported keywords than are listed */
    struct buf b2;
    buf_init(&b2, 1 << 20);
    buf_putc(&b2, '{');
    for (int i = 0; i < 100; i++)
        buf_printf(&b2, "%s\"k%d\":1", i ? "," : "", i);
    buf_putc(&b2, '}');
    s = compile_text(b2.data, b2.len, &rc, err, sizeof(err));
    CHECK_INT(rc, 0);
    const char *const *u;
    CHECK_INT(schema_unsupported(s, &u), 100);
    CHECK_STR(u[SCHEMA_MAX_UNSUPPORTED - 1], "/k63");
    CHECK(schema_unsupported_reason(s, SCHEMA_MAX_UNSUPPORTED - 1) != NULL);
    CHECK(schema_unsupported_reason(s, SCHEMA_MAX_UNSUPPORTED) == NULL);
    schema_free(s);
    buf_cleanup(&b2);
}

static void check_refused(const char *schema, int want, const char *msg)
{
    char err[256] = "";
    int rc;
    struct schema *s = compile_text(schema, strlen(schema), &rc, err, sizeof(err));
    CHECK(s == NULL);
    CHECK_INT(rc, want);
    if (msg != NULL && strcmp(err, msg) != 0) {
        check_failures++;
        fprintf(stderr, "%s: got \"%s\", want \"%s\"\n", schema, err, msg);
    }
    schema_free(s);
}

static void test_malformed(void)
{
    check_refused("{\"minimum\":\"1\"}", -EINVAL, "#/minimum: minimum must be a number");
    check_refused("{\"type\":\"strin\"}", -EINVAL, "#/type: unknown type \"strin\"");
    check_refused("{\"type\":[\"string\",1]}", -EINVAL,
                  "#/type/1: type must be a string or an array of strings");
    check_refused("{\"type\":[]}", -EINVAL, "#/type: type must not be an empty array");
    check_refused("{\"required\":\"a\"}", -EINVAL,
                  "#/required: required must be an array of strings");
    check_refused("{\"required\":[1]}", -EINVAL,
                  "#/required/0: required must be an array of strings");
    check_refused("{\"properties\":{\"a\":1}}", -EINVAL,
                  "#/properties/a: a property must be a schema (an object or a boolean)");
    check_refused("{\"properties\":[]}", -EINVAL, "#/properties: properties must be an object");
    check_refused("{\"$ref\":\"#/definitions/missing\"}", -EINVAL,
                  "#/$ref: $ref \"#/definitions/missing\" does not resolve");
    check_refused("{\"$ref\":\"#/%zz\"}", -EINVAL, "#/$ref: $ref has a malformed %-escape");
    check_refused("{\"$ref\":\"#/a~2\",\"a~2\":{}}", -EINVAL,
                  "#/$ref: $ref has a malformed ~ escape");
    check_refused("{\"items\":[{}],\"$ref\":\"#/items/01\"}", -EINVAL, NULL);
    check_refused("{\"$ref\":\"#/title\",\"title\":\"x\"}", -EINVAL,
                  "#/title: the target of $ref must be a schema (an object or a boolean)");
    check_refused("{\"multipleOf\":0}", -EINVAL, "#/multipleOf: multipleOf must be greater than 0");
    check_refused("{\"multipleOf\":-2}", -EINVAL, NULL);
    check_refused("{\"anyOf\":[]}", -EINVAL, "#/anyOf: anyOf must be a non-empty array of schemas");
    check_refused("{\"allOf\":{}}", -EINVAL, NULL);
    check_refused("{\"not\":[]}", -EINVAL, "#/not: not must be a schema (an object or a boolean)");
    check_refused("{\"minLength\":-1}", -EINVAL,
                  "#/minLength: minLength must be a non-negative integer");
    check_refused("{\"maxItems\":1.5}", -EINVAL, NULL);
    check_refused("{\"uniqueItems\":1}", -EINVAL, "#/uniqueItems: uniqueItems must be a boolean");
    check_refused("{\"pattern\":1}", -EINVAL, NULL);
    check_refused("{\"enum\":{}}", -EINVAL, "#/enum: enum must be an array");
    check_refused("{\"prefixItems\":[{}],\"items\":[{}]}", -EINVAL,
                  "#/items: items must be a schema when prefixItems is used");
    check_refused("5", -EINVAL, "#: inputSchema must be a schema (an object or a boolean)");
    check_refused("{\"definitions\":[]}", -EINVAL, "#/definitions: definitions must be an object");

    /* a doc indexed too shallowly cannot be compiled (nor validated) */
    const char *t = "{\"properties\":{\"a\":{\"type\":\"object\",\"required\":[\"b\"]}}}";
    struct json_doc doc;
    struct diag d = {0};
    struct schema *s = NULL;
    char err[256];
    json_doc_init(&doc, 64, 0);
    CHECK_INT(json_parse(&doc, t, strlen(t), 1, &d), 0);
    CHECK_INT(schema_compile(&doc, 0, &s, err, sizeof(err)), -E2BIG);
    CHECK(s == NULL);
    CHECK_INT(json_parse(&doc, t, strlen(t), 8, &d), 0);
    CHECK_INT(schema_compile(&doc, 0, &s, err, sizeof(err)), 0);
    const char *inst = "{\"a\":{\"b\":[1]},\"c\":\"x\"}";
    CHECK_INT(json_parse(&doc, inst, strlen(inst), 1, &d), 0);
    CHECK_INT(schema_validate(s, &doc, 0, err, sizeof(err)), -E2BIG);
    CHECK_STR(err, "/a: object not fully indexed (cannot decide)");
    json_doc_cleanup(&doc);

    /* an absent value (no "arguments") is the empty object */
    CHECK_INT(schema_validate(s, NULL, 0, err, sizeof(err)), 1);
    schema_free(s);
    t = "{\"required\":[\"a\"]}";
    s = compile_text(t, strlen(t), &(int){0}, err, sizeof(err));
    CHECK_INT(schema_validate(s, NULL, 0, err, sizeof(err)), 0);
    CHECK_STR(err, "(root): missing required property \"a\"");
    CHECK_INT(schema_validate(s, NULL, 0, NULL, 0), 0);
    schema_free(s);
    schema_free(NULL);
}

/* ---- hostile schemas --------------------------------------------------------------------- */

static char *repeat3(const char *head, const char *mid, const char *tail, unsigned n)
{
    struct buf b;
    buf_init(&b, SIZE_MAX / 2);
    for (unsigned i = 0; i < n; i++)
        buf_append(&b, head, strlen(head));
    buf_append(&b, mid, strlen(mid));
    for (unsigned i = 0; i < n; i++)
        buf_append(&b, tail, strlen(tail));
    buf_putc(&b, 0);
    return b.data;
}

static void test_hostile(void)
{
    char err[256], why[256];
    int rc;
    double t0;
    struct schema *s;

    /* depth 10000 nesting, three ways: refused, quickly */
    static const char *const nests[][3] = {
        {"{\"not\":", "{}", "}"},
        {"{\"properties\":{\"a\":", "{}", "}}"},
        {"{\"enum\":[", "1", "]}"},
    };
    for (size_t i = 0; i < 3; i++) {
        char *t = repeat3(nests[i][0], nests[i][1], nests[i][2], 10000);
        t0 = now();
        s = compile_text(t, strlen(t), &rc, err, sizeof(err));
        CHECK(s == NULL);
        CHECK_INT(rc, SE_EDEPTH);
        CHECK(now() - t0 < 1.0);
        free(t);
    }
    char *t = repeat3("[", "1", "]", 60); /* a deep constant within the depth limit is fine */
    {
        size_t n = strlen(t) + 16;
        char *sch = malloc(n);
        snprintf(sch, n, "{\"const\":%s}", t);
        s = compile_text(sch, strlen(sch), &rc, err, sizeof(err));
        CHECK_INT(rc, 0);
        expect(s, "deep const", t, 1, NULL, __LINE__);
        schema_free(s);
        free(sch);
    }
    free(t);

    /* $ref cycles that never descend into the value */
    check_refused("{\"$ref\":\"#\"}", -ELOOP,
                  "#: $ref/allOf/anyOf/oneOf/not cycle that never descends into the value");
    check_refused("{\"not\":{\"$ref\":\"#\"}}", -ELOOP, NULL);
    check_refused(
        "{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/b\"},\"b\":{\"anyOf\":[{\"type\":\"null\"},"
        "{\"$ref\":\"#/$defs/a\"}]}},\"properties\":{\"x\":{\"$ref\":\"#/$defs/a\"}}}",
        -ELOOP, NULL);
    check_refused("{\"properties\":{\"x\":{\"allOf\":[{\"$ref\":\"#/properties/x\"}]}}}", -ELOOP,
                  NULL);

    /* exponential alternatives: 40 levels of two $refs to the next level */
    struct buf b;
    buf_init(&b, SIZE_MAX / 2);
    buf_printf(&b, "{\"$ref\":\"#/$defs/d0\",\"$defs\":{");
    for (int i = 0; i < 40; i++)
        buf_printf(&b,
                   "\"d%d\":{\"anyOf\":[{\"$ref\":\"#/$defs/d%d\"},{\"$ref\":\"#/$defs/d%d\"}]},",
                   i, i + 1, i + 1);
    buf_printf(&b, "\"d40\":{\"type\":\"string\"}}}");
    s = compile_text(b.data, b.len, &rc, err, sizeof(err));
    CHECK_INT(rc, 0);
    expect(s, "exp", "\"fine\"", 1, NULL, __LINE__);
    t0 = now();
    CHECK_INT(validate_text(s, "1", 1, why, sizeof(why)), -E2BIG);
    CHECK(strstr(why, "(cannot decide)") != NULL);
    CHECK(now() - t0 < 2.0);
    schema_free(s);
    buf_cleanup(&b);

    /* catastrophic regex: the match limit, not a hang */
    const char *cat = "{\"pattern\":\"^(a+)+$\"}";
    s = compile_text(cat, strlen(cat), &rc, err, sizeof(err));
    buf_init(&b, SIZE_MAX / 2);
    buf_putc(&b, '"');
    for (int i = 0; i < 5000; i++)
        buf_putc(&b, 'a');
    buf_append(&b, "!\"", 2);
    t0 = now();
    CHECK_INT(validate_text(s, b.data, b.len, why, sizeof(why)), -E2BIG);
    CHECK_STR(why, "(root): regex match limit reached (cannot decide)");
    CHECK(now() - t0 < 2.0);
    expect(s, "catastrophic", "\"aaaa\"", 1, NULL, __LINE__);
    schema_free(s);
    buf_cleanup(&b);

    /* the regex budget across many strings */
    const char *pat = "{\"items\":{\"pattern\":\"^a\"}}";
    s = compile_text(pat, strlen(pat), &rc, err, sizeof(err));
    buf_init(&b, SIZE_MAX / 2);
    buf_putc(&b, '[');
    for (unsigned i = 0; i <= SCHEMA_MAX_MATCHES; i++)
        buf_append(&b, i ? ",\"a\"" : "\"a\"", i ? 4 : 3);
    buf_putc(&b, ']');
    CHECK_INT(validate_text(s, b.data, b.len, why, sizeof(why)), -E2BIG);
    CHECK(strstr(why, "regex matches") != NULL);
    schema_free(s);
    buf_cleanup(&b);

    /* 10k properties (each with a bound) compile and validate quickly; 20k are refused */
    buf_init(&b, SIZE_MAX / 2);
    struct buf inst;
    buf_init(&inst, SIZE_MAX / 2);
    buf_printf(&b, "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[");
    for (int i = 0; i < 10000; i++)
        buf_printf(&b, "%s\"p%d\"", i ? "," : "", i);
    buf_printf(&b, "],\"properties\":{");
    buf_putc(&inst, '{');
    for (int i = 0; i < 10000; i++) {
        buf_printf(&b, "%s\"p%d\":{\"type\":\"integer\",\"maximum\":%d}", i ? "," : "", i, i);
        buf_printf(&inst, "%s\"p%d\":%d", i ? "," : "", 9999 - i, 9999 - i);
    }
    buf_printf(&b, "}}");
    t0 = now();
    s = compile_text(b.data, b.len, &rc, err, sizeof(err));
    CHECK_INT(rc, 0);
    buf_putc(&inst, '}');
    CHECK_INT(validate_text(s, inst.data, inst.len, why, sizeof(why)), 1);
    inst.data[inst.len - 2] = '1'; /* "p0":1 > maximum 0 */
    CHECK_INT(validate_text(s, inst.data, inst.len, why, sizeof(why)), 0);
    CHECK_STR(why, "/p0: number is greater than maximum 0");
    CHECK(now() - t0 < 2.0);
    schema_free(s);
    buf_reset(&b);
    buf_printf(&b, "{\"properties\":{");
    for (int i = 0; i < 20000; i++)
        buf_printf(&b, "%s\"p%d\":{}", i ? "," : "", i);
    buf_printf(&b, "}}");
    s = compile_text(b.data, b.len, &rc, err, sizeof(err));
    CHECK(s == NULL);
    CHECK_INT(rc, SE_ELIMIT);
    CHECK(strstr(err, "subschemas") != NULL);

    /* a 50k-value enum: binary search; 300k long values exceed the byte budget */
    buf_reset(&b);
    buf_printf(&b, "{\"enum\":[");
    for (int i = 0; i < 50000; i++)
        buf_printf(&b, "%s\"v%d\"", i ? "," : "", i);
    buf_printf(&b, "]}");
    schema_free(s);
    t0 = now();
    s = compile_text(b.data, b.len, &rc, err, sizeof(err));
    CHECK_INT(rc, 0);
    expect(s, "enum", "\"v49999\"", 1, NULL, __LINE__);
    expect(s, "enum", "\"v50000\"", 0, "(root): value is not one of the 50000 enum values",
           __LINE__);
    CHECK(now() - t0 < 2.0);
    schema_free(s);
    buf_reset(&b);
    buf_printf(&b, "{\"enum\":[");
    for (int i = 0; i < 300000; i++)
        buf_printf(&b, "%s\"a-rather-long-enum-value-number-%08d\"", i ? "," : "", i);
    buf_printf(&b, "]}");
    s = compile_text(b.data, b.len, &rc, err, sizeof(err));
    CHECK(s == NULL);
    CHECK_INT(rc, SE_ELIMIT);

    /* more regexes than allowed */
    buf_reset(&b);
    buf_printf(&b, "{\"patternProperties\":{");
    for (unsigned i = 0; i <= SCHEMA_MAX_PATTERNS; i++)
        buf_printf(&b, "%s\"^p%u$\":{}", i ? "," : "", i);
    buf_printf(&b, "}}");
    s = compile_text(b.data, b.len, &rc, err, sizeof(err));
    CHECK(s == NULL);
    CHECK_INT(rc, SE_ELIMIT);

    /* $refs into a huge $defs: resolved through an index, not a scan per $ref */
    buf_reset(&b);
    buf_printf(&b, "{\"$defs\":{");
    for (int i = 0; i < 200000; i++)
        buf_printf(&b, "%s\"d\\u00%02x%d\":{\"type\":\"integer\"}", i ? "," : "", 0x41 + i % 26, i);
    buf_printf(&b, "},\"properties\":{");
    for (int i = 0; i < 10000; i++)
        buf_printf(&b, "%s\"p%d\":{\"$ref\":\"#/$defs/dH%d\"}", i ? "," : "", i,
                   199999 - 26 * (i % 100));
    buf_printf(&b, "},\"items\":{\"$ref\":\"#/properties/p9\"}}");
    t0 = now();
    s = compile_text(b.data, b.len, &rc, err, sizeof(err));
    CHECK_INT(rc, 0);
    CHECK(now() - t0 < 2.0);
    expect(s, "refs", "{\"p0\":1,\"p99\":2}", 1, NULL, __LINE__);
    expect(s, "refs", "{\"p5\":\"x\"}", 0, "/p5: expected integer, got string", __LINE__);
    expect(s, "refs", "[1,\"x\"]", 0, "/1: expected integer, got string", __LINE__);
    schema_free(s);

    /* regex sources too long in all (compiling costs their length), refused quickly */
    buf_reset(&b);
    buf_printf(&b, "{\"properties\":{");
    for (int i = 0; i < 100; i++) {
        buf_printf(&b, "%s\"p%d\":{\"pattern\":\"", i ? "," : "", i);
        for (int k = 0; k < 1000; k++)
            buf_append(&b, "(a|b)+c?", 8);
        buf_append(&b, "\"}", 2);
    }
    buf_printf(&b, "}}");
    t0 = now();
    s = compile_text(b.data, b.len, &rc, err, sizeof(err));
    CHECK(s == NULL);
    CHECK_INT(rc, SE_ELIMIT);
    CHECK(strstr(err, "regexes longer than") != NULL);
    CHECK(now() - t0 < 1.0);

    /* a recursive schema on a value nested deeper than the evaluation limit */
    const char *rec = "{\"items\":{\"$ref\":\"#\"}}";
    s = compile_text(rec, strlen(rec), &rc, err, sizeof(err));
    CHECK_INT(rc, 0);
    t = repeat3("[", "", "]", 600);
    CHECK_INT(validate_text(s, t, strlen(t), why, sizeof(why)), SE_EDEPTH);
    free(t);
    t = repeat3("[", "", "]", 100);
    CHECK_INT(validate_text(s, t, strlen(t), why, sizeof(why)), 1);
    free(t);
    schema_free(s);

    buf_cleanup(&b);
    buf_cleanup(&inst);
}

/* ---- the real schemas --------------------------------------------------------------------- */

struct fixture {
    char *text;
    size_t len;
    struct json_doc doc;
    uint32_t tools;
};

static char fixture_dir[1024];

static int load_fixture(struct fixture *f, const char *name)
{
    char path[1200];
    snprintf(path, sizeof(path), "%s/%s", fixture_dir, name);
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return -1;
    }
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    f->text = malloc((size_t)n + 1);
    f->len = fread(f->text, 1, (size_t)n, fp);
    fclose(fp);
    struct diag d = {0};
    json_doc_init(&f->doc, 128, 0);
    if (json_parse(&f->doc, f->text, f->len, 128, &d) < 0) {
        fprintf(stderr, "%s: %s\n", path, d.msg);
        return -1;
    }
    f->tools = json_getz(&f->doc, 0, "tools");
    return f->tools ? 0 : -1;
}

/* Every tool of the fixture compiles with nothing unsupported. Returns the tool count. */
static unsigned compile_all(struct fixture *f, const char *name)
{
    unsigned n = 0;
    for (uint32_t t = json_first(&f->doc, f->tools); t != 0; t = f->doc.nodes[t].next, n++) {
        char err[256] = "";
        struct schema *s = NULL;
        int rc = schema_compile(&f->doc, t, &s, err, sizeof(err));
        const char *const *u = NULL;
        size_t nu = s ? schema_unsupported(s, &u) : 0;
        check_count++;
        if (rc != 0 || nu != 0) {
            check_failures++;
            fprintf(stderr, "%s %.*s: rc %d %s, %zu unsupported (%s)\n", name,
                    (int)f->doc.nodes[t].key_len, f->text + f->doc.nodes[t].key_start, rc, err, nu,
                    nu ? u[0] : "");
        }
        schema_free(s);
    }
    return n;
}

static struct schema *tool(struct fixture *f, const char *name)
{
    uint32_t t = json_get(&f->doc, f->tools, name, strlen(name));
    struct schema *s = NULL;
    char err[256];
    if (t == 0 || schema_compile(&f->doc, t, &s, err, sizeof(err)) < 0) {
        fprintf(stderr, "tool %s missing or broken\n", name);
        exit(1);
    }
    return s;
}

#define EXPECT(s, inst, want, msg) expect((s), #s, (inst), (want), (msg), __LINE__)

static void test_filesystem(struct fixture *f)
{
    CHECK_INT(compile_all(f, "server-filesystem"), 14);
    struct schema *read = tool(f, "read_text_file");
    EXPECT(read, "{\"path\":\"/tmp/x\",\"head\":10}", 1, NULL);
    EXPECT(read, "{}", 0, "(root): missing required property \"path\"");
    EXPECT(read, "{\"path\":42}", 0, "/path: expected string, got integer");
    EXPECT(read, "{\"path\":\"a\",\"tail\":\"5\"}", 0, "/tail: expected number, got string");
    EXPECT(read, "[\"a\"]", 0, "(root): expected object, got array");
    /* the real schema has no additionalProperties: extra arguments are allowed */
    EXPECT(read, "{\"path\":\"a\",\"bogus\":1}", 1, NULL);
    schema_free(read);

    struct schema *multi = tool(f, "read_multiple_files");
    EXPECT(multi, "{\"paths\":[\"a\",\"b\"]}", 1, NULL);
    EXPECT(multi, "{\"paths\":[]}", 0, "/paths: array has 0 items, fewer than minItems 1");
    EXPECT(multi, "{\"paths\":[\"a\",7]}", 0, "/paths/1: expected string, got integer");
    EXPECT(multi, "{\"paths\":\"a\"}", 0, "/paths: expected array, got string");
    schema_free(multi);

    struct schema *edit = tool(f, "edit_file");
    EXPECT(edit,
           "{\"path\":\"f\",\"edits\":[{\"oldText\":\"a\",\"newText\":\"b\"}],\"dryRun\":true}", 1,
           NULL);
    EXPECT(edit,
           "{\"path\":\"f\",\"edits\":[{\"oldText\":\"a\",\"newText\":\"b\"},{\"oldText\":\"a\"}]}",
           0, "/edits/1: missing required property \"newText\"");
    EXPECT(edit, "{\"path\":\"f\",\"edits\":[],\"dryRun\":\"yes\"}", 0,
           "/dryRun: expected boolean, got string");
    schema_free(edit);

    struct schema *sizes = tool(f, "list_directory_with_sizes");
    EXPECT(sizes, "{\"path\":\"d\",\"sortBy\":\"size\"}", 1, NULL);
    EXPECT(sizes, "{\"path\":\"d\",\"sortBy\":\"date\"}", 0,
           "/sortBy: value is not one of the 2 enum values");
    schema_free(sizes);
}

static void test_everything(struct fixture *f)
{
    CHECK_INT(compile_all(f, "server-everything"), 17);
    struct schema *links = tool(f, "get-resource-links");
    EXPECT(links, "{\"count\":10}", 1, NULL);
    EXPECT(links, "{}", 1, NULL);
    EXPECT(links, "{\"count\":2.5}", 1, NULL);
    EXPECT(links, "{\"count\":0}", 0, "/count: number is less than minimum 1");
    EXPECT(links, "{\"count\":11}", 0, "/count: number is greater than maximum 10");
    schema_free(links);

    struct schema *annotated = tool(f, "get-annotated-message");
    EXPECT(annotated, "{\"messageType\":\"error\",\"includeImage\":true}", 1, NULL);
    EXPECT(annotated, "{\"messageType\":\"info\"}", 0,
           "/messageType: value is not one of the 3 enum values");
    schema_free(annotated);

    struct schema *sum = tool(f, "get-sum");
    EXPECT(sum, "{\"a\":1,\"b\":2.5}", 1, NULL);
    EXPECT(sum, "{\"a\":1}", 0, "(root): missing required property \"b\"");
    EXPECT(sum, "{\"a\":1,\"b\":\"2\"}", 0, "/b: expected number, got string");
    schema_free(sum);

    struct schema *gzip = tool(f, "gzip-file-as-resource");
    EXPECT(gzip, "{\"data\":\"https://example.com/README.md\"}", 1, NULL);
    EXPECT(gzip, "{\"data\":\"data:text/plain;base64,SGk=\",\"outputType\":\"resource\"}", 1, NULL);
    EXPECT(gzip, "{\"data\":\"not a url\"}", 0, "/data: string is not a valid \"uri\"");
    EXPECT(gzip, "{\"outputType\":\"zip\"}", 0,
           "/outputType: value is not one of the 2 enum values");
    schema_free(gzip);

    struct schema *echo = tool(f, "echo");
    EXPECT(echo, "{\"message\":\"hi\"}", 1, NULL);
    EXPECT(echo, "{\"message\":null}", 0, "/message: expected string, got null");
    schema_free(echo);
}

static void test_sdk_zod(struct fixture *f)
{
    CHECK_INT(compile_all(f, "sdk-zod"), 5);
    struct schema *w = tool(f, "strict_write");
    EXPECT(w, "{\"path\":\"src/a.txt\",\"lines\":[\"x\"],\"count\":3,\"mode\":\"append\"}", 1,
           NULL);
    EXPECT(w, "{\"path\":\"src/a.txt\",\"lines\":[],\"extra\":1}", 0,
           "/(member 2): property not allowed (additionalProperties is false)");
    EXPECT(w, "{\"path\":\"a b\",\"lines\":[]}", 0,
           "/path: string does not match pattern \"^[A-Za-z0-9_.\\/-]+$\"");
    EXPECT(w, "{\"path\":\"\",\"lines\":[]}", 0,
           "/path: string shorter than minLength 1 (length 0)");
    char longpath[400];
    snprintf(longpath, sizeof(longpath), "{\"path\":\"%0256d\",\"lines\":[]}", 0);
    EXPECT(w, longpath, 0, "/path: string longer than maxLength 255 (length 256)");
    EXPECT(w, "{\"path\":\"a\",\"lines\":[],\"count\":2.5}", 0,
           "/count: expected integer, got number");
    EXPECT(w, "{\"path\":\"a\",\"lines\":[],\"count\":-1}", 0,
           "/count: number is less than minimum 0");
    EXPECT(w, "{\"path\":\"a\",\"lines\":[],\"mode\":\"truncate\"}", 0,
           "/mode: value is not one of the 2 enum values");
    EXPECT(w, "{\"path\":\"a\",\"lines\":[1]}", 0, "/lines/0: expected string, got integer");
    EXPECT(w, "{\"path\":\"a\"}", 0, "(root): missing required property \"lines\"");
    schema_free(w);

    struct schema *fm = tool(f, "formats");
    EXPECT(fm,
           "{\"email\":\"a@example.com\",\"id\":\"123e4567-e89b-12d3-a456-426614174000\","
           "\"when\":\"2024-02-29T00:00:00Z\",\"day\":\"2024-02-29\",\"site\":\"https://x\","
           "\"ip4\":\"1.2.3.4\",\"ip6\":\"::1\"}",
           1, NULL);
    /* zod's own patterns are stricter than the formats: both apply */
    EXPECT(fm, "{\"email\":\"a@localhost\"}", 0, NULL);
    EXPECT(fm, "{\"id\":\"123e4567-e89b-02d3-a456-426614174000\"}", 0, NULL);
    EXPECT(fm, "{\"when\":\"2024-01-01T00:00:00+01:00\"}", 0, NULL);
    EXPECT(fm, "{\"day\":\"2023-02-29\"}", 0, NULL);
    EXPECT(fm, "{\"site\":\"example.com\"}", 0, "/site: string is not a valid \"uri\"");
    EXPECT(fm, "{\"ip4\":\"1.2.3.256\"}", 0, NULL);
    EXPECT(fm, "{\"ip6\":\"1:2\"}", 0, NULL);
    schema_free(fm);

    struct schema *n = tool(f, "nested");
    EXPECT(n,
           "{\"filters\":[{\"field\":\"a\",\"op\":\"eq\",\"value\":1}],\"kind\":\"search\","
           "\"limit\":5,\"step\":0.75,\"note\":null,\"tags\":{\"a\":\"b\"},\"pair\":[\"a\",1],"
           "\"unique\":[1,1]}",
           1, NULL);
    EXPECT(n, "{\"filters\":[{\"field\":\"a\",\"op\":\"eq\",\"value\":true}],\"kind\":\"search\"}",
           0, "/filters/0/value: expected number or string, got boolean");
    EXPECT(n, "{\"filters\":[{\"field\":\"a\",\"op\":\"ne\",\"value\":1}],\"kind\":\"search\"}", 0,
           "/filters/0/op: value is not one of the 3 enum values");
    EXPECT(
        n,
        "{\"filters\":[{\"field\":\"a\",\"op\":\"eq\",\"value\":1,\"x\":0}],\"kind\":\"search\"}",
        0, "/filters/0/(member 3): property not allowed (additionalProperties is false)");
    EXPECT(n, "{\"filters\":[],\"kind\":\"search\"}", 0,
           "/filters: array has 0 items, fewer than minItems 1");
    const char *ok = "{\"filters\":[{\"field\":\"a\",\"op\":\"eq\",\"value\":\"v\"}],\"kind\":";
    char buf[512];
#define WITH(extra) (snprintf(buf, sizeof(buf), "%s%s", ok, extra), buf)
    EXPECT(n, WITH("\"find\"}"), 0, "/kind: value does not equal const");
    EXPECT(n, WITH("\"search\",\"limit\":0}"), 0,
           "/limit: number is not greater than exclusiveMinimum 0");
    EXPECT(n, WITH("\"search\",\"limit\":9007199254740991}"), 1, NULL);
    EXPECT(n, WITH("\"search\",\"limit\":9007199254740992}"), 0,
           "/limit: number is greater than maximum 9007199254740991");
    EXPECT(n, WITH("\"search\",\"step\":0.3}"), 0, "/step: number is not a multiple of 0.25");
    EXPECT(n, WITH("\"search\",\"note\":5}"), 0, "/note: expected null or string, got integer");
    EXPECT(n, WITH("\"search\",\"tags\":{\"a\":1}}"), 0,
           "/tags/(member 0): expected string, got integer");
    EXPECT(n, WITH("\"search\",\"pair\":[\"a\",1,2]}"), 0,
           "/pair: array has 3 items, more than maxItems 2");
    EXPECT(n, WITH("\"search\",\"pair\":[1,\"a\"]}"), 0, "/pair/0: expected string, got integer");
#undef WITH
    schema_free(n);

    struct schema *tree = tool(f, "tree");
    EXPECT(tree,
           "{\"root\":{\"name\":\"a\",\"children\":[{\"name\":\"b\",\"children\":[{\"name\":\"c\"}]"
           "}]}}",
           1, NULL);
    EXPECT(
        tree,
        "{\"root\":{\"name\":\"a\",\"children\":[{\"name\":\"b\",\"children\":[{\"name\":5}]}]}}",
        0, "/root/children/0/children/0/name: expected string, got integer");
    EXPECT(tree, "{\"root\":{\"name\":\"a\",\"children\":[{}]}}", 0,
           "/root/children/0: missing required property \"name\"");
    schema_free(tree);

    struct schema *v3 = tool(f, "v3_search");
    EXPECT(v3, "{\"query\":\"x\",\"page\":2,\"both\":[\"a\"],\"nullable\":null}", 1, NULL);
    EXPECT(v3, "{\"query\":\"x\",\"page\":0}", 0, "/page: number is less than minimum 1");
    EXPECT(v3, "{\"query\":\"x\",\"limit\":5}", 0,
           "/(member 1): property not allowed (additionalProperties is false)");
    EXPECT(v3, "{\"query\":\"x\",\"both\":[\"a\",1]}", 0,
           "/both: matches none of the 2 anyOf alternatives (first: /both: expected string, got "
           "array)");
    EXPECT(v3, "{\"query\":\"x\",\"contact\":\"nobody\"}", 0,
           "/contact: string is not a valid \"email\"");
    EXPECT(v3, "{\"query\":\"x\",\"id\":\"42\"}", 0, "/id: string is not a valid \"uuid\"");
    schema_free(v3);
}

static void test_pydantic(struct fixture *f)
{
    CHECK_INT(compile_all(f, "pydantic"), 3);
    struct schema *ct = tool(f, "create_ticket");
    EXPECT(ct,
           "{\"title\":\"t\",\"body\":null,\"priority\":\"high\",\"labels\":[\"bug\"],"
           "\"attachments\":[{\"name\":\"log.txt\",\"size\":10}],\"due\":\"2024-12-31\","
           "\"assignee_id\":\"123e4567-e89b-12d3-a456-426614174000\"}",
           1, NULL);
    EXPECT(ct, "{\"title\":\"t\",\"priority\":\"urgent\"}", 0,
           "/priority: value is not one of the 2 enum values");
    EXPECT(ct, "{\"title\":\"t\",\"attachments\":[{\"name\":\"a b\",\"size\":1}]}", 0,
           "/attachments/0/name: string does not match pattern \"^[\\w.-]+$\"");
    EXPECT(ct, "{\"title\":\"t\",\"attachments\":[{\"name\":\"a\",\"size\":-1}]}", 0,
           "/attachments/0/size: number is less than minimum 0");
    EXPECT(ct, "{\"title\":\"t\",\"labels\":[\"Bad\"]}", 0,
           "/labels/0: string does not match pattern \"^[a-z][a-z0-9-]*$\"");
    EXPECT(ct, "{\"title\":\"t\",\"due\":\"2024-02-30\"}", 0,
           "/due: matches none of the 2 anyOf alternatives (first: /due: string is not a valid "
           "\"date\")");
    EXPECT(ct, "{\"body\":\"b\"}", 0, "(root): missing required property \"title\"");
    /* Python's \w is Unicode, PCRE2's (like ECMA-262's) is ASCII: stricter than the server */
    EXPECT(ct, "{\"title\":\"t\",\"attachments\":[{\"name\":\"\xc3\xa9\",\"size\":1}]}", 0, NULL);
    schema_free(ct);

    struct schema *fe = tool(f, "fetch");
    EXPECT(fe, "{\"url\":\"https://example.org\",\"timeout\":60,\"headers\":{\"a\":\"b\"}}", 1,
           NULL);
    EXPECT(fe, "{\"url\":\"https://example.org\",\"timeout\":0}", 0,
           "/timeout: number is not greater than exclusiveMinimum 0");
    EXPECT(fe, "{\"url\":\"https://example.org\",\"timeout\":60.5}", 0,
           "/timeout: number is greater than maximum 60");
    EXPECT(fe, "{\"url\":\"x\"}", 0, "/url: string is not a valid \"uri\"");
    EXPECT(fe, "{\"url\":\"https://x\",\"extra\":1}", 0,
           "/(member 1): property not allowed (additionalProperties is false)");
    EXPECT(fe, "{\"url\":\"https://x\",\"retries\":1.5}", 0,
           "/retries: expected integer, got number");
    EXPECT(fe, "{\"url\":\"https://x\",\"headers\":{\"a\":1}}", 0,
           "/headers/(member 0): expected string, got integer");
    EXPECT(fe, "{\"url\":\"https://x\",\"method\":\"POST\"}", 0,
           "/method: value is not one of the 2 enum values");
    schema_free(fe);

    struct schema *sc = tool(f, "schedule");
    EXPECT(sc,
           "{\"when\":\"2024-01-01T10:00:00+02:00\",\"host\":\"10.0.0.1\",\"path\":[{\"x\":1,"
           "\"y\":2}],\"tags\":[\"a\",\"b\"]}",
           1, NULL);
    EXPECT(sc, "{\"when\":\"2024-01-01T10:00:00Z\",\"host\":\"::1\",\"path\":[{\"x\":1,\"y\":2}]}",
           1, NULL);
    EXPECT(
        sc,
        "{\"when\":\"2024-01-01T10:00:00Z\",\"host\":\"999.0.0.1\",\"path\":[{\"x\":1,\"y\":2}]}",
        0,
        "/host: matches none of the 2 anyOf alternatives (first: /host: string is not a valid "
        "\"ipv4\")");
    EXPECT(sc, "{\"when\":\"2024-01-01T10:00:00Z\",\"host\":\"::1\",\"path\":[]}", 0,
           "/path: array has 0 items, fewer than minItems 1");
    EXPECT(sc, "{\"when\":\"2024-01-01T10:00:00Z\",\"host\":\"::1\",\"path\":[{\"x\":1}]}", 0,
           "/path/0: missing required property \"y\"");
    EXPECT(sc,
           "{\"when\":\"2024-01-01T10:00:00Z\",\"host\":\"::1\",\"path\":[{\"x\":1,\"y\":2}],"
           "\"tags\":[\"a\",\"a\"]}",
           0, "/tags: items 0 and 1 are equal (uniqueItems)");
    EXPECT(sc,
           "{\"when\":\"2024-01-01T10:00:00Z\",\"host\":\"::1\",\"path\":[{\"x\":1,\"y\":2}],"
           "\"mode\":\"twice\"}",
           0, "/mode: value does not equal const");
    EXPECT(sc, "{\"when\":\"yesterday\",\"host\":\"::1\",\"path\":[{\"x\":1,\"y\":2}]}", 0,
           "/when: string is not a valid \"date-time\"");
    schema_free(sc);
}

static void test_fixtures(void)
{
    static const char *const names[] = {"server-filesystem.json", "server-everything.json",
                                        "sdk-zod.json", "pydantic.json"};
    static void (*const fns[])(struct fixture *) = {test_filesystem, test_everything, test_sdk_zod,
                                                    test_pydantic};
    for (size_t i = 0; i < 4; i++) {
        struct fixture f = {0};
        check_count++;
        if (load_fixture(&f, names[i]) < 0) {
            check_failures++;
        } else {
            fns[i](&f);
        }
        json_doc_cleanup(&f.doc);
        free(f.text);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        snprintf(fixture_dir, sizeof(fixture_dir), "%s", argv[1]);
    } else {
        const char *slash = strrchr(__FILE__, '/');
        int n = slash ? (int)(slash - __FILE__) : 1;
        snprintf(fixture_dir, sizeof(fixture_dir), "%.*s/schemas", n, slash ? __FILE__ : ".");
    }
    test_cases();
    test_unsupported();
    test_malformed();
    test_hostile();
    test_fixtures();
    return check_done();
}
