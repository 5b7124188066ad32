/*
 * test_cond.c - `when` conditions: every operator, type rules, absent values, paths into
 * objects and arrays, trees, regex limits, and the list-filtering approximation.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mcp/json.h"
#include "policy/policy.h"

static bool may_allow(const struct policy *p, unsigned method, const char *name, size_t len,
                      const char *uri, size_t uri_len)
{
    struct policy_request q = {.method = method, .name = name, .name_len = len, .uri = uri,
                               .uri_len = uri_len};
    return policy_may_allow(p, &q);
}

/* Effect of tools/call "t" with `args` (JSON text or NULL) under a one-rule policy. */
static int verdict(const char *when, const char *args)
{
    char text[2048];
    snprintf(text, sizeof(text),
             "version: 1\ndefault: allow\nrules:\n  - id: r\n    effect: deny\n    tools: [t]\n"
             "    when: %s\n",
             when);
    struct policy *p = NULL;
    struct diag d = {0};
    if (policy_load_text(text, strlen(text), "t.yaml", &p, &d) < 0) {
        fprintf(stderr, "load failed: %u:%u %s\n  %s\n", d.line, d.col, d.msg, when);
        return -100;
    }
    struct json_doc doc;
    json_doc_init(&doc, 64, 0);
    struct policy_request req = {.method = PM_TOOLS_CALL, .name = "t", .name_len = 1};
    if (args != NULL) {
        if (json_parse(&doc, args, strlen(args), 64, &d) < 0) {
            fprintf(stderr, "bad test args %s\n", args);
            json_doc_cleanup(&doc);
            policy_free(p);
            return -101;
        }
        req.args = &doc;
    }
    struct decision dec;
    policy_eval(p, &req, &dec);
    int v = dec.effect == EFFECT_DENY ? (strcmp(dec.rule_id, "r") == 0 ? 1 : 2) : 0;
    if (dec.effect == EFFECT_DENY && strstr(dec.reason, "could not be evaluated"))
        v = 3;
    json_doc_cleanup(&doc);
    policy_free(p);
    return v;
}

#define HOLDS(w, a) CHECK_INT(verdict((w), (a)), 1)
#define FAILS(w, a) CHECK_INT(verdict((w), (a)), 0)
#define UNDECIDED(w, a) CHECK_INT(verdict((w), (a)), 3)

static void test_comparisons(void)
{
    HOLDS("{arg: n, eq: 5}", "{\"n\":5}");
    HOLDS("{arg: n, eq: 5}", "{\"n\":5.0}");
    HOLDS("{arg: n, eq: 5}", "{\"n\":5e0}");
    FAILS("{arg: n, eq: 5}", "{\"n\":\"5\"}"); /* types differ */
    HOLDS("{arg: s, eq: '5'}", "{\"s\":\"5\"}");
    FAILS("{arg: s, eq: '5'}", "{\"s\":5}");
    HOLDS("{arg: s, eq: abc}", "{\"s\":\"\\u0061bc\"}"); /* unescaped before comparing */
    HOLDS("{arg: b, eq: true}", "{\"b\":true}");
    FAILS("{arg: b, eq: true}", "{\"b\":\"true\"}");
    HOLDS("{arg: z, eq: null}", "{\"z\":null}");
    HOLDS("{arg: n, ne: 5}", "{\"n\":6}");
    FAILS("{arg: n, ne: 5}", "{\"n\":5}");
    HOLDS("{arg: n, lt: 10}", "{\"n\":9.99}");
    FAILS("{arg: n, lt: 10}", "{\"n\":10}");
    HOLDS("{arg: n, le: 10}", "{\"n\":10}");
    HOLDS("{arg: n, gt: -1}", "{\"n\":0}");
    HOLDS("{arg: n, ge: 1e3}", "{\"n\":1000}");
    FAILS("{arg: n, gt: 1}", "{\"n\":\"2\"}"); /* no ordering across types */
    HOLDS("{arg: s, lt: b}", "{\"s\":\"a\"}"); /* strings: bytes */
    FAILS("{arg: s, lt: a}", "{\"s\":\"a\"}");
    HOLDS("{arg: s, in: [x, y, 3]}", "{\"s\":\"y\"}");
    HOLDS("{arg: s, in: [x, y, 3]}", "{\"s\":3}");
    FAILS("{arg: s, in: [x, y, 3]}", "{\"s\":\"3\"}");
    HOLDS("{arg: s, not_in: [x]}", "{\"s\":\"q\"}");
    FAILS("{arg: s, not_in: [x]}", "{\"s\":\"x\"}");
    HOLDS("{arg: s, contains: lo w}", "{\"s\":\"hello world\"}");
    HOLDS("{arg: a, contains: 2}", "{\"a\":[1,2,3]}");
    FAILS("{arg: a, contains: 2}", "{\"a\":[1,\"2\",3]}");
    HOLDS("{arg: a, contains: x}", "{\"a\":[1,{\"y\":1},\"x\"]}");
    HOLDS("{arg: s, startswith: 'rm '}", "{\"s\":\"rm -rf /\"}");
    FAILS("{arg: s, startswith: 'rm '}", "{\"s\":\" rm\"}");
    HOLDS("{arg: s, endswith: .pem}", "{\"s\":\"k.pem\"}");
    FAILS("{arg: s, endswith: .pem}", "{\"s\":\"pem\"}");
    HOLDS("{arg: s, matches: '^a.c$'}", "{\"s\":\"a\\u00e9c\"}"); /* UTF-8: . is one character */
    FAILS("{arg: s, matches: '^a.c$'}", "{\"s\":\"a\\u00e9\\u00e9c\"}");
    FAILS("{arg: s, matches: 'x'}", "{\"s\":5}");
    /* a string with NUL bytes is compared on all its bytes */
    FAILS("{arg: s, eq: ab}", "{\"s\":\"a\\u0000b\"}");
    HOLDS("{arg: s, contains: b}", "{\"s\":\"a\\u0000b\"}");
}

static void test_absent_and_containers(void)
{
    FAILS("{arg: n, eq: 5}", "{}");
    FAILS("{arg: n, eq: 5}", NULL);
    HOLDS("{arg: n, ne: 5}", "{}");
    HOLDS("{arg: n, not_in: [5]}", NULL);
    FAILS("{arg: n, lt: 5}", "{}");
    HOLDS("{arg: n, exists: false}", "{}");
    FAILS("{arg: n, exists: true}", "{}");
    HOLDS("{arg: n, exists: true}", "{\"n\":null}");
    FAILS("{arg: o, eq: x}", "{\"o\":{\"a\":1}}"); /* containers compare with nothing */
    HOLDS("{arg: o, ne: x}", "{\"o\":[1]}");
}

static void test_paths(void)
{
    HOLDS("{arg: a.b.c, eq: 1}", "{\"a\":{\"b\":{\"c\":1}}}");
    FAILS("{arg: a.b.c, eq: 1}", "{\"a\":{\"b\":{\"d\":1}}}");
    HOLDS("{arg: items.1.k, eq: v}", "{\"items\":[{\"k\":\"w\"},{\"k\":\"v\"}]}");
    FAILS("{arg: items.2.k, eq: v}", "{\"items\":[{\"k\":\"w\"},{\"k\":\"v\"}]}");
    FAILS("{arg: items.x, eq: v}", "{\"items\":[\"v\"]}");
    HOLDS("{arg: items.0, eq: v}", "{\"items\":[\"v\"]}");
    HOLDS("{arg: key, eq: v}", "{\"k\\u0065y\":\"v\"}"); /* escaped member names */
    FAILS("{arg: a.b, eq: 1}", "{\"a\":5}");
}

static void test_trees(void)
{
    HOLDS("{all: [{arg: a, eq: 1}, {arg: b, eq: 2}]}", "{\"a\":1,\"b\":2}");
    FAILS("{all: [{arg: a, eq: 1}, {arg: b, eq: 2}]}", "{\"a\":1,\"b\":3}");
    HOLDS("{any: [{arg: a, eq: 1}, {arg: b, eq: 2}]}", "{\"a\":0,\"b\":2}");
    FAILS("{any: [{arg: a, eq: 1}, {arg: b, eq: 2}]}", "{}");
    HOLDS("{not: {arg: a, eq: 1}}", "{\"a\":2}");
    FAILS("{not: {not: {arg: a, eq: 1}}}", "{\"a\":2}");
    HOLDS("{all: [{any: [{arg: a, gt: 5}, {arg: b, exists: true}]}, {not: {arg: c, eq: x}}]}",
          "{\"b\":0,\"c\":\"y\"}");
}

static void test_regex_limit_fails_closed(void)
{
    char args[256];
    memset(args, 0, sizeof(args));
    strcpy(args, "{\"s\":\"");
    memset(args + 6, 'a', 60);
    strcpy(args + 66, "b\"}");
    UNDECIDED("{arg: s, matches: '^(a|a)*$'}", args);
    /* inside any: an undecidable branch does not turn into false */
    UNDECIDED("{any: [{arg: s, matches: '^(a|a)*$'}, {arg: n, eq: 1}]}", args);
    /* ...unless another branch decides */
    char args2[300];
    snprintf(args2, sizeof(args2), "{\"n\":1,%s", args + 1);
    HOLDS("{any: [{arg: s, matches: '^(a|a)*$'}, {arg: n, eq: 1}]}", args2);
}

static void test_may_allow(void)
{
    const char *text = "version: 1\ndefault: deny\nrules:\n"
                       "  - {id: d1, effect: deny, tools: [x], when: {arg: a, eq: 1}}\n"
                       "  - {id: a1, effect: allow, tools: [x, y]}\n"
                       "  - {id: d2, effect: deny, tools: [z]}\n"
                       "  - {id: a2, effect: allow, tools: [w], when: {arg: a, eq: 1}}\n"
                       "  - {id: r1, effect: deny, resources: ['file:///p/*']}\n"
                       "  - {id: r2, effect: allow, resources: ['file:///*']}\n";
    struct policy *p = NULL;
    struct diag d = {0};
    CHECK_INT(policy_load_text(text, strlen(text), "t.yaml", &p, &d), 0);
    if (p == NULL)
        return;
    CHECK(may_allow(p, PM_TOOLS_CALL, "x", 1, NULL, 0)); /* conditional deny, then allow */
    CHECK(may_allow(p, PM_TOOLS_CALL, "y", 1, NULL, 0));
    CHECK(!may_allow(p, PM_TOOLS_CALL, "z", 1, NULL, 0));
    CHECK(may_allow(p, PM_TOOLS_CALL, "w", 1, NULL, 0)); /* allowed for some args */
    CHECK(!may_allow(p, PM_TOOLS_CALL, "v", 1, NULL, 0)); /* default deny */
    CHECK(!may_allow(p, PM_RESOURCES_READ, NULL, 0, "file:///p/k", 11));
    CHECK(may_allow(p, PM_RESOURCES_READ, NULL, 0, "file:///q/k", 11));
    CHECK(!may_allow(p, PM_RESOURCES_READ, NULL, 0, "mem://x", 7));
    CHECK(!may_allow(p, PM_PROMPTS_GET, "x", 1, NULL, 0)); /* tools rules are tools/call */
    struct policy_request req = {.method = PM_ROOTS};
    struct decision dec;
    policy_eval(p, &req, &dec);
    CHECK_INT(dec.effect, EFFECT_ALLOW); /* server requests: default does not apply */
    policy_free(p);
}

static void test_load_errors(void)
{
    static const char *bad[] = {
        "{arg: a}",
        "{eq: 1}",
        "{arg: a, eq: 1, ne: 2}",
        "{arg: a, in: 5}",
        "{arg: a, in: []}",
        "{arg: a, exists: maybe}",
        "{arg: a, matches: '(x'}",
        "{arg: a, startswith: 5}",
        "{arg: .a, eq: 1}",
        "{arg: a..b, eq: 1}",
        "{all: []}",
        "{all: [{arg: a, eq: 1}], any: []}",
        "{not: [{arg: a, eq: 1}]}",
        "{arg: a, between: [1, 2]}",
        "[{arg: a, eq: 1}]",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK_INT(verdict(bad[i], NULL), -100);
}

int main(void)
{
    test_comparisons();
    test_absent_and_containers();
    test_paths();
    test_trees();
    test_regex_limit_fails_closed();
    test_may_allow();
    test_load_errors();
    return check_done();
}
