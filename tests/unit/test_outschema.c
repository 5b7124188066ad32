/*
 * test_outschema.c - which strings of structuredContent spotlighting may change, read from
 * the tool's outputSchema (mcp/outschema.h).
 */
#include "mcp/outschema.h"

#include "base/buf.h"
#include "check.h"

static struct json_doc doc;

static int verdict(const char *schema, const char *ptr)
{
    if (json_parse(&doc, schema, strlen(schema), JSON_DEFAULT_MAX_DEPTH, NULL) < 0)
        return -1;
    unsigned long budget = OUTSCHEMA_BUDGET;
    return (int)outschema_string(&doc, ptr, strlen(ptr), &budget);
}

#define KEEP OUTSCHEMA_KEEP
#define REWRITE OUTSCHEMA_REWRITE
#define NEUTRALISE OUTSCHEMA_NEUTRALISE

static void test_plain_and_constrained(void)
{
    const char *s = "{\"type\":\"object\",\"properties\":{"
                    "\"plain\":{\"type\":\"string\",\"description\":\"d\"},"
                    "\"limited\":{\"type\":\"string\",\"maxLength\":200},"
                    "\"pat\":{\"type\":\"string\",\"pattern\":\"^[a-z]+$\"},"
                    "\"email\":{\"type\":\"string\",\"format\":\"email\"},"
                    "\"en\":{\"enum\":[\"a\"]},\"c\":{\"const\":\"a\"},"
                    "\"nullable\":{\"type\":[\"string\",\"null\"]},\"any\":{},"
                    "\"odd\":{\"type\":\"string\",\"x-ui\":1,\"unknownKeyword\":1},"
                    "\"ext\":{\"type\":\"string\",\"x-ui\":1},"
                    "\"b64\":{\"type\":\"string\",\"contentEncoding\":\"base64\"}},"
                    "\"required\":[\"plain\"]}";
    CHECK_INT(verdict(s, "/plain"), REWRITE);
    CHECK_INT(verdict(s, "/limited"), NEUTRALISE);
    CHECK_INT(verdict(s, "/pat"), KEEP);
    CHECK_INT(verdict(s, "/email"), KEEP);
    CHECK_INT(verdict(s, "/en"), KEEP);
    CHECK_INT(verdict(s, "/c"), KEEP);
    CHECK_INT(verdict(s, "/nullable"), REWRITE);
    CHECK_INT(verdict(s, "/any"), REWRITE);
    CHECK_INT(verdict(s, "/any/deeper/0"), REWRITE);
    CHECK_INT(verdict(s, "/odd"), KEEP);
    CHECK_INT(verdict(s, "/ext"), REWRITE);
    CHECK_INT(verdict(s, "/b64"), KEEP);
    CHECK_INT(verdict(s, "/undeclared"), REWRITE); /* additionalProperties defaults to true */
    CHECK_INT(verdict("true", "/x"), REWRITE);
    CHECK_INT(verdict("{\"additionalProperties\":false}", "/x"), REWRITE);
}

static void test_applicators(void)
{
    /* patternProperties: every pattern may apply (names are not matched) */
    const char *pp = "{\"properties\":{\"pp\":{\"type\":\"object\",\"patternProperties\":"
                     "{\"^id_\":{\"type\":\"string\",\"pattern\":\"^[0-9]+$\"}},"
                     "\"additionalProperties\":{\"type\":\"string\"}}}}";
    CHECK_INT(verdict(pp, "/pp/id_1"), KEEP);
    CHECK_INT(verdict(pp, "/pp/other"), KEEP);
    /* allOf beside properties */
    const char *all =
        "{\"properties\":{\"inter\":{\"type\":\"object\",\"properties\":{\"a\":"
        "{\"type\":\"string\"}},\"allOf\":[{\"properties\":{\"a\":{\"maxLength\":30}}}]},"
        "\"b\":{\"allOf\":[{\"type\":\"string\"},{\"format\":\"uri\"}]}}}";
    CHECK_INT(verdict(all, "/inter/a"), NEUTRALISE);
    CHECK_INT(verdict(all, "/b"), KEEP);
    /* anyOf / oneOf / not / if: every branch */
    CHECK_INT(verdict("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}]}", ""), REWRITE);
    CHECK_INT(verdict("{\"oneOf\":[{\"type\":\"string\"},{\"pattern\":\"^a\"}]}", ""), KEEP);
    CHECK_INT(verdict("{\"not\":{\"const\":\"x\"}}", ""), KEEP);
    CHECK_INT(verdict("{\"if\":{\"minLength\":3},\"then\":{\"type\":\"string\"}}", ""), NEUTRALISE);
    /* prefixItems and the draft-07 array form of items */
    const char *tup =
        "{\"properties\":{\"t\":{\"type\":\"array\",\"prefixItems\":"
        "[{\"type\":\"string\",\"maxLength\":20}],\"items\":{\"type\":\"string\"}},"
        "\"d7\":{\"items\":[{\"type\":\"string\"},{\"format\":\"date\"}],"
        "\"additionalItems\":{\"type\":\"string\"}},"
        "\"c\":{\"type\":\"array\",\"contains\":{\"const\":\"x\"}},"
        "\"u\":{\"type\":\"array\",\"uniqueItems\":true,\"items\":{\"type\":\"string\"}},"
        "\"e\":{\"enum\":[[\"a\"]]}}}";
    CHECK_INT(verdict(tup, "/t/0"), NEUTRALISE);
    CHECK_INT(verdict(tup, "/t/1"), REWRITE);
    CHECK_INT(verdict(tup, "/d7/0"), REWRITE);
    CHECK_INT(verdict(tup, "/d7/1"), KEEP);
    CHECK_INT(verdict(tup, "/d7/2"), REWRITE);
    CHECK_INT(verdict(tup, "/c/0"), KEEP);
    CHECK_INT(verdict(tup, "/u/0"), KEEP); /* a rewrite could make two items equal */
    CHECK_INT(verdict(tup, "/e/0"), KEEP); /* a container compared as a whole */
}

static void test_refs(void)
{
    const char *r = "{\"properties\":{\"refd\":{\"$ref\":\"#/$defs/S\"},"
                    "\"pat\":{\"$ref\":\"#/$defs/P\"},\"esc\":{\"$ref\":\"#/$defs/a~1b%20c\"},"
                    "\"remote\":{\"$ref\":\"other.json#/x\"},\"anchor\":{\"$ref\":\"#S\"},"
                    "\"dyn\":{\"$dynamicRef\":\"#S\"},\"self\":{\"$ref\":\"#\"},"
                    "\"nested\":{\"$id\":\"http://x/y\",\"type\":\"string\"}},"
                    "\"$defs\":{\"S\":{\"type\":\"string\"},\"P\":{\"pattern\":\"x\"},"
                    "\"a/b c\":{\"type\":\"string\"}}}";
    CHECK_INT(verdict(r, "/refd"), REWRITE);
    CHECK_INT(verdict(r, "/pat"), KEEP);
    CHECK_INT(verdict(r, "/esc"), REWRITE);
    CHECK_INT(verdict(r, "/remote"), KEEP);
    CHECK_INT(verdict(r, "/anchor"), KEEP);
    CHECK_INT(verdict(r, "/dyn"), KEEP);
    CHECK_INT(verdict(r, "/self/refd"), REWRITE);
    CHECK_INT(verdict(r, "/self/pat"), KEEP);
    CHECK_INT(verdict(r, "/nested"), KEEP);
    /* a $ref cycle terminates (the set is deduplicated) */
    CHECK_INT(verdict("{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/b\"},\"b\":{\"$ref\":\"#/$defs/a\"}},"
                      "\"properties\":{\"x\":{\"$ref\":\"#/$defs/a\"}}}",
                      "/x"),
              REWRITE);
    /* a malformed schema keeps everything */
    CHECK_INT(verdict("{\"properties\":{\"x\":5}}", "/x"), KEEP);
    CHECK_INT(verdict("{\"allOf\":{}}", "/x"), KEEP);
}

/* A member name may hold U+0000: the pointer carries its length. */
static void test_nul_in_name(void)
{
    const char *s = "{\"properties\":{\"a\\u0000b\":{\"pattern\":\"x\"}}}";
    CHECK(json_parse(&doc, s, strlen(s), JSON_DEFAULT_MAX_DEPTH, NULL) == 0);
    unsigned long budget = OUTSCHEMA_BUDGET;
    CHECK_INT(outschema_string(&doc, "/a\0b", 4, &budget), KEEP);
    CHECK_INT(outschema_string(&doc, "/a", 2, &budget), REWRITE);
}

/* Wide anyOf branches, $ref items, a deep pointer: the budget ends the walk, and every later
 * string of the response is answered at once. */
static void test_budget(void)
{
    struct buf b;
    buf_init(&b, 1u << 22);
    buf_printf(&b, "%s", "{\"$defs\":{\"r\":{\"anyOf\":[");
    for (int i = 0; i < 200; i++) {
        buf_printf(&b, "%s", i ? ",{\"type\":\"array\"" : "{\"type\":\"array\"");
        for (int k = 0; k < 200; k++)
            buf_printf(&b, ",\"x-%d\":0", k);
        buf_putc(&b, '}');
    }
    buf_printf(&b, "%s", ",{\"items\":{\"$ref\":\"#/$defs/r\"}}]}},\"$ref\":\"#/$defs/r\"}");
    CHECK(json_parse(&doc, b.data, b.len, JSON_DEFAULT_MAX_DEPTH, NULL) == 0);
    CHECK(!doc.truncated);
    char ptr[2 * 55 + 1];
    for (int i = 0; i < 55; i++)
        memcpy(ptr + 2 * i, "/0", 2);
    unsigned long budget = OUTSCHEMA_BUDGET;
    CHECK_INT(outschema_string(&doc, ptr, 2, &budget), REWRITE); /* one level is cheap */
    CHECK_INT(outschema_string(&doc, ptr, 2 * 55, &budget), OUTSCHEMA_OVER);
    CHECK_INT(budget, 0);
    CHECK_INT(outschema_string(&doc, ptr, 2, &budget), OUTSCHEMA_OVER);
    buf_cleanup(&b);
}

int main(void)
{
    json_doc_init(&doc, JSON_DEFAULT_MAX_DEPTH, 1u << 16);
    test_plain_and_constrained();
    test_applicators();
    test_refs();
    test_nul_in_name();
    test_budget();
    json_doc_cleanup(&doc);
    return check_done();
}
