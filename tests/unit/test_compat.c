/*
 * test_compat.c - policies in the seed Sentinel's format (lilith-zero's staticRules,
 * taintRules, resourceRules, toolClasses, protect_lethal_trifecta): what they translate to,
 * that first match wins gives the seed's decisions, and every refusal with its line:col.
 */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "policy/policy.h"

static struct diag last;

static int load(const char *text, struct policy **out)
{
    memset(&last, 0, sizeof(last));
    int rc = policy_load_text(text, strlen(text), "t.yaml", out, &last);
    if (rc != 0)
        fprintf(stderr, "load failed: %u:%u: %s\n", last.line, last.col, last.msg);
    return rc;
}

/* Expect a refusal at line:col whose message contains `needle`. */
static void refuse_at(const char *text, unsigned line, unsigned col, const char *needle, int at)
{
    struct policy *p = (struct policy *)1;
    memset(&last, 0, sizeof(last));
    int rc = policy_load_text(text, strlen(text), "t.yaml", &p, &last);
    check_count++;
    if (rc != SE_EPOLICY || p != NULL || last.line != line || last.col != col ||
        strstr(last.msg, needle) == NULL || last.file == NULL || strcmp(last.file, "t.yaml") != 0) {
        check_failures++;
        fprintf(stderr,
                "%s:%d: want SE_EPOLICY at %u:%u containing \"%s\"\n  got %d at %u:%u \"%s\"\n"
                "  for: %s\n",
                __FILE__, at, line, col, needle, rc, last.line, last.col, last.msg, text);
    }
    if (rc == 0)
        policy_free(p);
}

#define REFUSE(text, line, col, needle) refuse_at((text), (line), (col), (needle), __LINE__)

/* Decide a tools/call of `name` with the session holding `labels` ("A,B"; "" = none). */
static struct decision call(const struct policy *p, const char *name, const char *labels)
{
    struct labelset ls = {0};
    size_t bad = 0;
    if (labels[0] != '\0' && labelset_parse(labels, &ls, &bad) < 0)
        fprintf(stderr, "bad labels '%s'\n", labels);
    struct policy_request req = {
        .method = PM_TOOLS_CALL, .name = name, .name_len = strlen(name), .labels = &ls};
    struct decision d;
    memset(&d, 0xAA, sizeof(d));
    policy_eval(p, &req, &d);
    struct decision lin;
    policy_eval_linear(p, &req, &lin); /* the index and the reference walk agree */
    CHECK_INT(lin.effect, d.effect);
    CHECK(lin.rule == d.rule);
    return d;
}

static struct decision read_uri(const struct policy *p, const char *uri)
{
    struct policy_request req = {.method = PM_RESOURCES_READ, .uri = uri, .uri_len = strlen(uri)};
    struct decision d;
    policy_eval(p, &req, &d);
    return d;
}

static bool has(const struct labelset *s, const char *label)
{
    int id = label_find(label, strlen(label));
    return id >= 0 && labelset_has(s, id);
}

/* The labels a successful call of `name` adds and removes. */
static void flow(const struct policy *p, const char *name, struct labelset *add,
                 struct labelset *del)
{
    struct policy_request req = {.method = PM_TOOLS_CALL, .name = name, .name_len = strlen(name)};
    policy_taint_flow(p, &req, add, del);
}

/* Expect `name` (with labels) decided by rule `rule` with effect e. */
static void expect_at(const struct policy *p, const char *name, const char *labels, enum effect e,
                      const char *rule, int at)
{
    struct decision d = call(p, name, labels);
    check_count++;
    if (d.effect != e || strcmp(d.rule_id, rule) != 0) {
        check_failures++;
        fprintf(stderr, "%s:%d: %s [%s]: want %s by %s, got %s by %s (%s)\n", __FILE__, at, name,
                labels, effect_name(e), rule, effect_name(d.effect), d.rule_id, d.reason);
    }
}
#define EXPECT(p, name, labels, e, rule) expect_at((p), (name), (labels), (e), (rule), __LINE__)

/* lilith-zero's README example, as published */
static const char *const readme = "id: my-policy\n"
                                  "customer_id: my-org\n"
                                  "name: \"My Agent Policy\"\n"
                                  "version: 1\n"
                                  "\n"
                                  "protect_lethal_trifecta: true\n"
                                  "\n"
                                  "tool_classes:\n"
                                  "  Read:      [ACCESS_PRIVATE]\n"
                                  "  WebFetch:  [UNTRUSTED_SOURCE]\n"
                                  "  WebSearch: [UNTRUSTED_SOURCE]\n"
                                  "  Bash:      [EXFILTRATION]\n"
                                  "\n"
                                  "static_rules:\n"
                                  "  Read:   ALLOW\n"
                                  "  Edit:   ALLOW\n"
                                  "  Write:  ALLOW\n"
                                  "  Bash:   DENY\n"
                                  "\n"
                                  "taint_rules:\n"
                                  "  - tool: Read\n"
                                  "    action: ADD_TAINT\n"
                                  "    tag: ACCESS_PRIVATE\n"
                                  "\n"
                                  "  - tool: WebFetch\n"
                                  "    action: ADD_TAINT\n"
                                  "    tag: UNTRUSTED_SOURCE\n"
                                  "\n"
                                  "resource_rules: []\n";

static void test_readme(void)
{
    struct policy *p = NULL;
    CHECK_INT(load(readme, &p), 0);
    if (p == NULL)
        return;
    CHECK_STR(p->name, "My Agent Policy");
    CHECK_INT(p->default_effect, EFFECT_DENY);
    CHECK(p->trifecta);
    /* lethal-trifecta first, then static DENY, then static ALLOW in file order */
    CHECK_INT(p->nrules, 5);
    const char *ids[] = {"lethal-trifecta", "static_rules.Bash", "static_rules.Read",
                         "static_rules.Edit", "static_rules.Write"};
    for (size_t i = 0; i < 5 && i < p->nrules; i++)
        CHECK_STR(p->rules[i].id, ids[i]);
    CHECK_INT(p->rules[1].line, 18);
    CHECK_INT(p->rules[1].col, 3);
    CHECK_INT(p->nsinks, 1); /* the EXFILTRATION class */
    CHECK_STR(p->sinks[0].text, "Bash");
    CHECK_INT(p->rules[0].ntools, 1);
    CHECK_INT(p->nsources, 2);
    CHECK_INT(p->nclears, 0);

    EXPECT(p, "Read", "", EFFECT_ALLOW, "static_rules.Read");
    EXPECT(p, "Edit", "ACCESS_PRIVATE,UNTRUSTED_SOURCE", EFFECT_ALLOW, "static_rules.Edit");
    EXPECT(p, "Bash", "", EFFECT_DENY, "static_rules.Bash");
    CHECK_STR(call(p, "Bash", "").reason, "Tool 'Bash' is forbidden by static policy");
    EXPECT(p, "Bash", "ACCESS_PRIVATE,UNTRUSTED_SOURCE", EFFECT_DENY, "lethal-trifecta");
    /* not listed: denied, like the seed ("forbidden by static policy") */
    EXPECT(p, "WebFetch", "", EFFECT_DENY, "default");
    EXPECT(p, "read", "", EFFECT_DENY, "default"); /* names are exact and case-sensitive */
    CHECK_INT(read_uri(p, "file:///x").effect, EFFECT_DENY); /* no resource rule: denied */

    struct labelset add, del;
    flow(p, "Read", &add, &del);
    CHECK(has(&add, "ACCESS_PRIVATE"));
    CHECK(!has(&add, "UNTRUSTED_SOURCE"));
    CHECK(labelset_empty(&del));
    flow(p, "WebFetch", &add, &del);
    CHECK(has(&add, "UNTRUSTED_SOURCE"));
    flow(p, "Bash", &add, &del);
    CHECK(labelset_empty(&add));
    policy_free(p);
}

/* The seed's order: static DENY, then taint rules in order, then static ALLOW. */
static void test_order(void)
{
    const char *t = "version: 3\n"
                    "staticRules:\n"
                    "  read_file: ALLOW\n"
                    "  send: allow\n"
                    "  bash: DENY\n"
                    "  rm: Allow\n"
                    "  redact: ALLOW\n"
                    "  fetch: ALLOW\n"
                    "taintRules:\n"
                    "  - {tool: read_file, action: ADD_TAINT, tag: ACCESS_PRIVATE}\n"
                    "  - {tool: send, action: CHECK_TAINT, forbiddenTags: [ACCESS_PRIVATE], "
                    "error: \"no exfil after private reads\"}\n"
                    "  - {tool: send, action: check_taint, requiredTaints: [UNTRUSTED_SOURCE, "
                    "SECRET_X]}\n"
                    "  - {tool: redact, action: Remove_Taint, tag: ACCESS_PRIVATE}\n"
                    "  - {tool: rm, action: block, error: never}\n"
                    "  - {tool: bash, action: BLOCK}\n"
                    "  - {tool: fetch, action: CHECK_TAINT, forbiddenTags: [A1], "
                    "requiredTaints: [B1, B2]}\n";
    struct policy *p = NULL;
    CHECK_INT(load(t, &p), 0);
    if (p == NULL)
        return;
    CHECK_INT(p->default_effect, EFFECT_DENY);
    CHECK(!p->trifecta);
    const char *ids[] = {"staticRules.bash",       "taintRules[1]",         "taintRules[2]",
                         "taintRules[4]",          "taintRules[5]",         "taintRules[6]",
                         "taintRules[6].required", "staticRules.read_file", "staticRules.send",
                         "staticRules.rm",         "staticRules.redact",    "staticRules.fetch"};
    CHECK_INT(p->nrules, 12);
    for (size_t i = 0; i < 12 && i < p->nrules; i++)
        CHECK_STR(p->rules[i].id, ids[i]);
    CHECK_INT(p->rules[1].line, 11);
    CHECK_INT(p->rules[1].col, 5);
    CHECK_INT(p->nsources, 1);
    CHECK_INT(p->nclears, 1);

    /* a static DENY beats everything, with the seed's reason */
    EXPECT(p, "bash", "", EFFECT_DENY, "staticRules.bash");
    CHECK_STR(call(p, "bash", "").reason, "Tool 'bash' is forbidden by static policy");
    /* CHECK_TAINT beats a static ALLOW */
    EXPECT(p, "send", "", EFFECT_ALLOW, "staticRules.send");
    EXPECT(p, "send", "ACCESS_PRIVATE", EFFECT_DENY, "taintRules[1]");
    CHECK_STR(call(p, "send", "ACCESS_PRIVATE").reason, "no exfil after private reads");
    /* requiredTaints: all of them */
    EXPECT(p, "send", "UNTRUSTED_SOURCE", EFFECT_ALLOW, "staticRules.send");
    EXPECT(p, "send", "UNTRUSTED_SOURCE,SECRET_X", EFFECT_DENY, "taintRules[2]");
    CHECK_STR(call(p, "send", "UNTRUSTED_SOURCE,SECRET_X").reason, "Required taints detected");
    /* BLOCK is unconditional */
    EXPECT(p, "rm", "", EFFECT_DENY, "taintRules[4]");
    CHECK_STR(call(p, "rm", "").reason, "never");
    /* both tests in one rule: two deny rules, default reasons */
    EXPECT(p, "fetch", "A1", EFFECT_DENY, "taintRules[6]");
    CHECK_STR(call(p, "fetch", "A1").reason, "Forbidden taint detected");
    EXPECT(p, "fetch", "B1", EFFECT_ALLOW, "staticRules.fetch");
    EXPECT(p, "fetch", "B1,B2", EFFECT_DENY, "taintRules[6].required");
    /* not listed */
    EXPECT(p, "echo", "", EFFECT_DENY, "default");
    /* the flows */
    struct labelset add, del;
    flow(p, "redact", &add, &del);
    CHECK(labelset_empty(&add));
    CHECK(has(&del, "ACCESS_PRIVATE"));
    flow(p, "read_file", &add, &del);
    CHECK(has(&add, "ACCESS_PRIVATE"));
    CHECK(labelset_empty(&del));
    policy_free(p);

    /* BLOCK without an error: the seed's reason */
    CHECK_INT(load("version: 1\nstaticRules: {x: ALLOW}\ntaintRules:\n"
                   "  - {tool: x, action: BLOCK}\n",
                   &p),
              0);
    CHECK_STR(call(p, "x", "").reason, "Tool block");
    policy_free(p);
}

/* Without staticRules the taint rules are appended and `default` keeps its meaning. */
static void test_without_static(void)
{
    struct policy *p = NULL;
    CHECK_INT(load("version: 1\ndefault: allow\n"
                   "rules:\n  - {id: native, effect: deny, tools: [native_*]}\n"
                   "taint_rules:\n"
                   "  - {tool: send, action: CHECK_TAINT, forbidden_tags: [P]}\n",
                   &p),
              0);
    if (p == NULL)
        return;
    CHECK_INT(p->default_effect, EFFECT_ALLOW);
    CHECK_INT(p->nrules, 2);
    CHECK_STR(p->rules[0].id, "native"); /* native rules come first */
    CHECK_STR(p->rules[1].id, "taint_rules[0]");
    EXPECT(p, "send", "", EFFECT_ALLOW, "default");
    EXPECT(p, "send", "P", EFFECT_DENY, "taint_rules[0]");
    EXPECT(p, "anything", "P", EFFECT_ALLOW, "default");
    policy_free(p);

    /* and without `default`, native deny-by-default */
    CHECK_INT(load("version: 1\ntaintRules:\n  - {tool: x, action: ADD_TAINT, tag: T}\n", &p), 0);
    CHECK_INT(p->default_effect, EFFECT_DENY);
    CHECK_INT(p->nrules, 0);
    CHECK_INT(p->nsources, 1);
    policy_free(p);

    /* default: deny next to staticRules is fine */
    CHECK_INT(load("version: 1\ndefault: deny\nstaticRules: {x: ALLOW}\n", &p), 0);
    EXPECT(p, "x", "", EFFECT_ALLOW, "staticRules.x");
    policy_free(p);
    /* an empty staticRules denies every tool */
    CHECK_INT(load("version: 1\nstaticRules: {}\ntaintRules: []\n", &p), 0);
    CHECK_INT(p->nrules, 0);
    EXPECT(p, "x", "", EFFECT_DENY, "default");
    policy_free(p);
}

static void test_classes(void)
{
    const char *t = "version: 1\n"
                    "toolClasses:\n"
                    "  read_db: [ACCESS_PRIVATE, DB]\n"
                    "  curl: [EXFILTRATION]\n"
                    "  wget: [EXFILTRATION, NETWORK]\n"
                    "  web: [NETWORK]\n"
                    "staticRules:\n"
                    "  read_db: ALLOW\n"
                    "  read_mail: ALLOW\n"
                    "  curl: ALLOW\n"
                    "  wget: ALLOW\n"
                    "  web: ALLOW\n"
                    "  scrub: ALLOW\n"
                    "  upload: ALLOW\n"
                    "taintRules:\n"
                    /* by class (from toolClasses): read_db */
                    "  - {toolClass: DB, action: ADD_TAINT, tag: ACCESS_PRIVATE}\n"
                    /* read_mail joins class ACCESS_PRIVATE by adding that tag */
                    "  - {tool: read_mail, action: ADD_TAINT, tag: ACCESS_PRIVATE}\n"
                    /* upload joins EXFILTRATION the same way */
                    "  - {tool: upload, action: ADD_TAINT, tag: EXFILTRATION}\n"
                    "  - {toolClass: EXFILTRATION, action: CHECK_TAINT, "
                    "forbiddenTags: [ACCESS_PRIVATE]}\n"
                    "  - {tool: scrub, toolClass: ACCESS_PRIVATE, action: BLOCK}\n"
                    "  - {tool_class: NETWORK, action: remove_taint, tag: UNTRUSTED}\n";
    struct policy *p = NULL;
    CHECK_INT(load(t, &p), 0);
    if (p == NULL)
        return;
    /* the CHECK_TAINT rule's tools: curl, upload, wget (sorted, exact) */
    CHECK_STR(p->rules[0].id, "taintRules[3]");
    CHECK_INT(p->rules[0].ntools, 3);
    if (p->rules[0].ntools == 3) {
        CHECK_STR(p->rules[0].tools[0].text, "curl");
        CHECK_STR(p->rules[0].tools[1].text, "upload");
        CHECK_STR(p->rules[0].tools[2].text, "wget");
    }
    EXPECT(p, "curl", "", EFFECT_ALLOW, "staticRules.curl");
    EXPECT(p, "curl", "ACCESS_PRIVATE", EFFECT_DENY, "taintRules[3]");
    EXPECT(p, "wget", "ACCESS_PRIVATE", EFFECT_DENY, "taintRules[3]");
    EXPECT(p, "upload", "ACCESS_PRIVATE", EFFECT_DENY, "taintRules[3]");
    EXPECT(p, "web", "ACCESS_PRIVATE", EFFECT_ALLOW, "staticRules.web");
    /* `tool` and `toolClass` both: either matches; class ACCESS_PRIVATE holds read_db
     * (toolClasses) and read_mail (adds the tag) */
    EXPECT(p, "scrub", "", EFFECT_DENY, "taintRules[4]");
    EXPECT(p, "read_db", "", EFFECT_DENY, "taintRules[4]");
    EXPECT(p, "read_mail", "", EFFECT_DENY, "taintRules[4]");
    EXPECT(p, "curl", "", EFFECT_ALLOW, "staticRules.curl");
    struct labelset add, del;
    flow(p, "read_db", &add, &del);
    CHECK(has(&add, "ACCESS_PRIVATE"));
    flow(p, "upload", &add, &del);
    CHECK(has(&add, "EXFILTRATION"));
    flow(p, "web", &add, &del);
    CHECK(has(&del, "UNTRUSTED"));
    flow(p, "wget", &add, &del);
    CHECK(has(&del, "UNTRUSTED"));
    flow(p, "curl", &add, &del);
    CHECK(labelset_empty(&del));
    policy_free(p);

    /* an ADD_TAINT rule matches classes from toolClasses only, not those of other tags */
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: ADD_TAINT, tag: X}\n"
           "  - {toolClass: X, action: ADD_TAINT, tag: Y}\n",
           4, 17, "toolClass 'X' has no tools");
    /* but a CHECK_TAINT rule sees them */
    CHECK_INT(load("version: 1\ntaintRules:\n  - {tool: a, action: ADD_TAINT, tag: X}\n"
                   "  - {toolClass: X, action: CHECK_TAINT, forbiddenTags: [Y]}\n",
                   &p),
              0);
    EXPECT(p, "a", "Y", EFFECT_DENY, "taintRules[1]");
    policy_free(p);
}

static void test_resources(void)
{
    const char *t = "version: 1\n"
                    "staticRules: {x: ALLOW}\n"
                    "resourceRules:\n"
                    "  - {uriPattern: \"file:///private/*\", action: BLOCK}\n"
                    "  - {uri_pattern: \"file:///*\", action: allow}\n"
                    "  - {uriPattern: \"http*\", action: Allow, taintsToAdd: [UNTRUSTED_SOURCE]}\n"
                    "  - {uriPattern: \"mem://q?a=[1]\", action: ALLOW, taints_to_add: [Q]}\n";
    struct policy *p = NULL;
    CHECK_INT(load(t, &p), 0);
    if (p == NULL)
        return;
    CHECK_INT(p->nrules, 5);
    CHECK_STR(p->rules[1].id, "resourceRules[0]");
    CHECK_INT(p->rules[1].line, 4);
    CHECK_INT(p->rules[1].col, 5);
    struct decision d = read_uri(p, "file:///private/keys");
    CHECK_INT(d.effect, EFFECT_DENY);
    CHECK_STR(d.rule_id, "resourceRules[0]");
    CHECK_STR(d.reason, "Resource blocked by rule: file:///private/*");
    d = read_uri(p, "file:///public/readme");
    CHECK_INT(d.effect, EFFECT_ALLOW);
    CHECK_STR(d.rule_id, "resourceRules[1]");
    CHECK_STR(read_uri(p, "https://example.com/").rule_id, "resourceRules[2]");
    CHECK_INT(read_uri(p, "mem://notes").effect, EFFECT_DENY); /* no match: denied */
    /* only '*' is a wildcard in the seed's URI patterns: ? and [ ] are literal */
    CHECK_INT(read_uri(p, "mem://q?a=[1]").effect, EFFECT_ALLOW);
    CHECK_INT(read_uri(p, "mem://qXa=1").effect, EFFECT_DENY);
    CHECK_INT(p->nsources, 2);
    struct labelset add, del;
    struct policy_request req = {.method = PM_RESOURCES_READ, .uri = "http://x", .uri_len = 8};
    policy_taint_flow(p, &req, &add, &del);
    CHECK(has(&add, "UNTRUSTED_SOURCE"));
    req.uri = "file:///a";
    req.uri_len = 9;
    policy_taint_flow(p, &req, &add, &del);
    CHECK(labelset_empty(&add));
    /* a tool call is not a resource read */
    flow(p, "http", &add, &del);
    CHECK(labelset_empty(&add));
    policy_free(p);
}

static void test_trifecta(void)
{
    struct policy *p = NULL;
    CHECK_INT(load("version: 1\n"
                   "protectLethalTrifecta: true\n"
                   "toolClasses: {post: [EXFILTRATION], read: [ACCESS_PRIVATE]}\n"
                   "staticRules: {post: ALLOW, read: ALLOW, mail: ALLOW, web: ALLOW, "
                   "fetch_it: ALLOW}\n"
                   "taintRules:\n"
                   "  - {tool: mail, action: ADD_TAINT, tag: EXFILTRATION}\n"
                   "  - {tool: read, action: ADD_TAINT, tag: ACCESS_PRIVATE}\n"
                   "  - {tool: web, action: ADD_TAINT, tag: UNTRUSTED_SOURCE}\n",
                   &p),
              0);
    if (p == NULL)
        return;
    CHECK(p->trifecta);
    CHECK_INT(p->nsinks, 2);
    CHECK_STR(p->rules[0].id, "lethal-trifecta");
    EXPECT(p, "post", "ACCESS_PRIVATE", EFFECT_ALLOW, "staticRules.post");
    EXPECT(p, "post", "ACCESS_PRIVATE,UNTRUSTED_SOURCE", EFFECT_DENY, "lethal-trifecta");
    EXPECT(p, "mail", "ACCESS_PRIVATE,UNTRUSTED_SOURCE", EFFECT_DENY, "lethal-trifecta");
    /* the class names the sinks: a name the default globs would catch is not one */
    EXPECT(p, "fetch_it", "ACCESS_PRIVATE,UNTRUSTED_SOURCE", EFFECT_ALLOW, "staticRules.fetch_it");
    EXPECT(p, "read", "ACCESS_PRIVATE,UNTRUSTED_SOURCE", EFFECT_ALLOW, "staticRules.read");
    policy_free(p);

    /* no EXFILTRATION tools: the loader's default sink globs */
    CHECK_INT(
        load("version: 1\nprotect_lethal_trifecta: true\nstaticRules: {fetch_it: ALLOW}\n", &p), 0);
    CHECK_INT(p->nsinks, 0);
    CHECK(p->rules[0].ntools > 1);
    EXPECT(p, "fetch_it", "ACCESS_PRIVATE,UNTRUSTED_SOURCE", EFFECT_DENY, "lethal-trifecta");
    policy_free(p);

    /* native taint.sinks next to the class: the lists join */
    CHECK_INT(load("version: 1\nprotect_lethal_trifecta: true\ntoolClasses: {curl: [EXFILTRATION]}\n"
                   "taint:\n  sinks: [a, b]\n",
                   &p),
              0);
    CHECK_INT(p->nsinks, 3);
    EXPECT(p, "curl", "ACCESS_PRIVATE,UNTRUSTED_SOURCE", EFFECT_DENY, "lethal-trifecta");
    EXPECT(p, "b", "ACCESS_PRIVATE,UNTRUSTED_SOURCE", EFFECT_DENY, "lethal-trifecta");
    policy_free(p);
    CHECK_INT(load("version: 1\nprotect_lethal_trifecta: true\ntoolClasses: {curl: [NET]}\n"
                   "taint:\n  sinks: [a, b]\n",
                   &p),
              0);
    CHECK_INT(p->nsinks, 2);
    EXPECT(p, "a", "ACCESS_PRIVATE,UNTRUSTED_SOURCE", EFFECT_DENY, "lethal-trifecta");
    policy_free(p);

    /* false: nothing */
    CHECK_INT(load("version: 1\nprotect_lethal_trifecta: false\nstaticRules: {a: ALLOW}\n", &p), 0);
    CHECK(!p->trifecta);
    CHECK_INT(p->nrules, 1);
    policy_free(p);
}

/* Tool names are exact: glob metacharacters in them are escaped. */
static void test_exact_names(void)
{
    struct policy *p = NULL;
    CHECK_INT(load("version: 1\n"
                   "staticRules:\n"
                   "  \"a*b\": ALLOW\n"
                   "  \"q?\": ALLOW\n"
                   "  \"[x]\": ALLOW\n"
                   "  'back\\slash': ALLOW\n"
                   "  \"*\": DENY\n"
                   "taintRules:\n"
                   "  - {tool: \"a*b\", action: CHECK_TAINT, forbiddenTags: [P]}\n",
                   &p),
              0);
    if (p == NULL)
        return;
    EXPECT(p, "a*b", "", EFFECT_ALLOW, "staticRules.a*b");
    EXPECT(p, "axxb", "", EFFECT_DENY, "default");
    EXPECT(p, "a*b", "P", EFFECT_DENY, "taintRules[0]");
    EXPECT(p, "axxb", "P", EFFECT_DENY, "default");
    EXPECT(p, "q?", "", EFFECT_ALLOW, "staticRules.q?");
    EXPECT(p, "qz", "", EFFECT_DENY, "default");
    EXPECT(p, "[x]", "", EFFECT_ALLOW, "staticRules.[x]");
    EXPECT(p, "x", "", EFFECT_DENY, "default");
    EXPECT(p, "back\\slash", "", EFFECT_ALLOW, "staticRules.back\\slash");
    EXPECT(p, "*", "", EFFECT_DENY, "staticRules.*");
    EXPECT(p, "anything", "", EFFECT_DENY, "default");
    struct policy_request req = {.method = PM_TOOLS_CALL, .name = "axxb", .name_len = 4};
    CHECK(!policy_may_allow(p, &req));
    req.name = "a*b";
    req.name_len = 3;
    CHECK(policy_may_allow(p, &req));
    policy_free(p);
}

static void test_metadata_and_version(void)
{
    struct policy *p = NULL;
    CHECK_INT(load("id: p1\ncustomerId: c\ncreatedAt: '2025-01-01T00:00:00Z'\nversion: 42\n"
                   "name: n\ndescription: d\nschemaVersion: 1\nstaticRules: {a: ALLOW}\n",
                   &p),
              0);
    CHECK_STR(p->name, "n");
    policy_free(p);
    CHECK_INT(load("id: p1\ncustomer_id: c\ncreated_at: x\nversion: 1\nstatic_rules: {}\n", &p), 0);
    policy_free(p);
    REFUSE("version: 1.5\nstaticRules: {}\n", 1, 10, "must be a whole number");
    REFUSE("version: 1\nid: [x]\n", 2, 5, "'id' must be a scalar");
    /* metadata alone does not make a Sentinel file: the native version rule holds */
    REFUSE("version: 7\nid: x\nrules: []\n", 1, 10, "unsupported policy version");
}

static void test_errors(void)
{
    /* default: allow contradicts staticRules */
    REFUSE("version: 1\ndefault: allow\nstaticRules: {a: ALLOW}\n", 2, 10,
           "'default: allow' contradicts staticRules");
    /* two spellings of one key */
    REFUSE("version: 1\nstaticRules: {}\nstatic_rules: {}\n", 3, 1,
           "'staticRules' and 'static_rules' are the same key");
    REFUSE("version: 1\nprotect_lethal_trifecta: true\nprotectLethalTrifecta: true\n", 3, 1,
           "the same key");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, toolClass: X, tool_class: X, action: BLOCK}\n",
           3, 29, "'toolClass' and 'tool_class' are the same key");
    /* shapes */
    REFUSE("version: 1\nstaticRules: [a]\n", 2, 14, "staticRules must be a mapping");
    REFUSE("version: 1\nstaticRules:\n", 2, 13, "staticRules must be a mapping");
    REFUSE("version: 1\nstaticRules: {a: MAYBE}\n", 2, 18, "tool 'a' must be ALLOW or DENY");
    REFUSE("version: 1\nstaticRules: {a: [ALLOW]}\n", 2, 18, "must be ALLOW or DENY");
    REFUSE("version: 1\nstaticRules: {\"a\\0b\": ALLOW}\n", 2, 15, "must not contain NUL");
    REFUSE("version: 1\nstaticRules: {\"\": ALLOW}\n", 2, 15, "a tool name must not be empty");
    REFUSE("version: 1\nstaticRules: {a: \"ALLOW\\0\"}\n", 2, 18, "must be ALLOW or DENY");
    REFUSE("version: 1\ntaintRules: {a: 1}\n", 2, 13, "'taintRules' must be a list");
    REFUSE("version: 1\ntaintRules: [5]\n", 2, 14, "a taint rule must be a mapping");
    REFUSE("version: 1\nresourceRules: x\n", 2, 16, "'resourceRules' must be a list");
    REFUSE("version: 1\nresourceRules: [[]]\n", 2, 17, "a resource rule must be a mapping");
    REFUSE("version: 1\ntoolClasses: [a]\n", 2, 14, "toolClasses must be a mapping");
    REFUSE("version: 1\ntoolClasses: {a: X}\n", 2, 18, "non-empty list of class names");
    REFUSE("version: 1\ntoolClasses: {a: []}\n", 2, 18, "non-empty list of class names");
    REFUSE("version: 1\ntoolClasses: {a: [[X]]}\n", 2, 19, "a class name must be a string");
    REFUSE("version: 1\ntoolClasses: {a: [\"X\\0\"]}\n", 2, 19, "must not contain NUL");
    REFUSE("version: 1\nprotect_lethal_trifecta: yes\n", 2, 26, "must be true or false");

    /* taint rules */
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: BLOCK_CURRENT}\n", 3, 23,
           "action 'BLOCK_CURRENT' needs a session-history 'pattern'");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: block_second}\n", 3, 23,
           "ADD_TAINT, REMOVE_TAINT, CHECK_TAINT, BLOCK");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: ALLOW}\n", 3, 23,
           "unknown action 'ALLOW' in a taint rule (valid: ADD_TAINT, REMOVE_TAINT, CHECK_TAINT, "
           "BLOCK)");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: [BLOCK]}\n", 3, 23,
           "'action' must be one of");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a}\n", 3, 5, "needs an 'action'");
    REFUSE("version: 1\ntaintRules:\n  - {action: BLOCK}\n", 3, 5, "needs 'tool' or 'toolClass'");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: ADD_TAINT}\n", 3, 5,
           "ADD_TAINT needs a 'tag'");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: REMOVE_TAINT}\n", 3, 5,
           "REMOVE_TAINT needs a 'tag'");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: ADD_TAINT, tag: [X]}\n", 3, 39,
           "'tag' must be one label");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: ADD_TAINT, tag: 'a b'}\n", 3, 39,
           "label 'a b' must be");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: BLOCK, tag: X}\n", 3, 30,
           "'tag' applies to ADD_TAINT and REMOVE_TAINT only");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: BLOCK, forbiddenTags: [X]}\n", 3, 30,
           "'forbiddenTags' applies to CHECK_TAINT only");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: ADD_TAINT, tag: X, error: e}\n", 3, 42,
           "ADD_TAINT never denies");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: CHECK_TAINT}\n", 3, 5,
           "CHECK_TAINT needs 'forbiddenTags'");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: CHECK_TAINT, forbiddenTags: []}\n", 3,
           51, "'forbiddenTags' must be a label or a non-empty list");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: CHECK_TAINT, required_taints: {}}\n", 3,
           53, "'required_taints' must be a label or a non-empty list");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: BLOCK, error: [e]}\n", 3, 37,
           "'error' must be a string");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: BLOCK, error: \"e\\0\"}\n", 3, 37,
           "'error' must not contain NUL");
    REFUSE("version: 1\ntaintRules:\n  - {tool: [a], action: BLOCK}\n", 3, 12,
           "'tool' must be a string");
    REFUSE("version: 1\ntaintRules:\n  - {tool: \"a\\0\", action: BLOCK}\n", 3, 12,
           "'tool' must not contain NUL");
    REFUSE("version: 1\ntaintRules:\n  - {toolClass: '', action: BLOCK}\n", 3, 17,
           "'toolClass' must not be empty");
    REFUSE("version: 1\ntaintRules:\n  - {toolClass: NOPE, action: BLOCK}\n", 3, 17,
           "toolClass 'NOPE' has no tools");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: BLOCK, pattern: {x: 1}}\n", 3, 30,
           "'pattern' in a taint rule is not supported");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: BLOCK, exceptions: []}\n", 3, 30,
           "write a native rule with 'when'");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: BLOCK, matchArgs: {}}\n", 3, 30,
           "'matchArgs' in a taint rule is not supported");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: BLOCK, match_args: {}}\n", 3, 30,
           "'match_args' in a taint rule is not supported");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: BLOCK, colour: red}\n", 3, 30,
           "unknown key 'colour' in a taint rule");
    REFUSE("version: 1\ntaintRules:\n  - {tool: a, action: BLOCK, \"error\\0\": x}\n", 3, 30,
           "must not contain NUL");

    /* resource rules */
    REFUSE("version: 1\nresourceRules:\n  - {action: BLOCK}\n", 3, 5, "needs a 'uriPattern'");
    REFUSE("version: 1\nresourceRules:\n  - {uriPattern: x}\n", 3, 5, "needs an 'action'");
    REFUSE("version: 1\nresourceRules:\n  - {uriPattern: x, action: DENY}\n", 3, 29,
           "action must be ALLOW or BLOCK (not 'DENY')");
    REFUSE("version: 1\nresourceRules:\n  - {uriPattern: '', action: BLOCK}\n", 3, 18,
           "'uriPattern' must not be empty");
    REFUSE("version: 1\nresourceRules:\n  - {uriPattern: [x], action: BLOCK}\n", 3, 18,
           "'uriPattern' must be a string");
    REFUSE("version: 1\nresourceRules:\n  - {uriPattern: x, action: BLOCK, exceptions: []}\n", 3,
           36, "'exceptions' in a resource rule is not supported");
    REFUSE("version: 1\nresourceRules:\n  - {uriPattern: x, action: BLOCK, taintsToAdd: [T]}\n", 3,
           36, "'taintsToAdd' applies to ALLOW rules");
    REFUSE("version: 1\nresourceRules:\n  - {uriPattern: x, action: ALLOW, taintsToAdd: []}\n", 3,
           49, "'taintsToAdd' must be a label or a non-empty list");
    REFUSE("version: 1\nresourceRules:\n  - {uriPattern: x, uri_pattern: y, action: ALLOW}\n", 3,
           21, "'uriPattern' and 'uri_pattern' are the same key");
    REFUSE("version: 1\nresourceRules:\n  - {uriPattern: x, action: ALLOW, tool: y}\n", 3, 36,
           "unknown key 'tool' in a resource rule");

    /* keys of the seed sentinel does not enforce */
    REFUSE("version: 1\nrateLimit: {maxCallsPerSession: 5}\n", 2, 1,
           "'rateLimit' is not translated by sentinel");
    REFUSE("version: 1\nreplay_window_secs: 30\n", 2, 1, "'replay_window_secs' is not supported");
    REFUSE("version: 1\npinMode: enforce\n", 2, 1, "'pinMode' is not supported");

    /* ids must be unique, across native and translated rules */
    REFUSE("version: 1\nrules:\n  - {id: staticRules.a, effect: deny, tools: [x]}\n"
           "staticRules: {a: DENY}\n",
           4, 15, "duplicate rule id 'staticRules.a'");
    REFUSE("version: 1\nrules:\n  - {id: lethal-trifecta, effect: deny, tools: [x]}\n"
           "protect_lethal_trifecta: true\n",
           3, 5, "reserved");
}

/* Large inputs load (and stay linear); nothing crashes or leaks on the way. */
static void test_large(void)
{
    size_t n = 20000, cap = n * 64 + 256, used = 0;
    char *t = malloc(cap);
    if (t == NULL)
        return;
    used += (size_t)snprintf(t + used, cap - used, "version: 1\ntoolClasses:\n");
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(t + used, cap - used, "  t%zu: [C]\n", i);
    used += (size_t)snprintf(t + used, cap - used, "staticRules:\n");
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(t + used, cap - used, "  t%zu: ALLOW\n", i);
    used += (size_t)snprintf(t + used, cap - used,
                             "taintRules:\n"
                             "  - {toolClass: C, action: CHECK_TAINT, forbiddenTags: [P]}\n"
                             "  - {toolClass: C, action: ADD_TAINT, tag: Q}\n");
    struct policy *p = NULL;
    CHECK_INT(policy_load_text(t, used, "big.yaml", &p, &last), 0);
    if (p != NULL) {
        CHECK_INT(p->nrules, n + 1);
        CHECK_INT(p->rules[0].ntools, n);
        EXPECT(p, "t19999", "", EFFECT_ALLOW, "staticRules.t19999");
        EXPECT(p, "t19999", "P", EFFECT_DENY, "taintRules[0]");
        EXPECT(p, "t20000", "", EFFECT_DENY, "default");
        policy_free(p);
    }
    /* an error at the very end frees everything appended before it */
    used += (size_t)snprintf(t + used, cap - used, "  - {tool: x, action: NOPE}\n");
    CHECK_INT(policy_load_text(t, used, "big.yaml", &p, &last), SE_EPOLICY);
    CHECK(p == NULL);
    CHECK(strstr(last.msg, "unknown action 'NOPE'") != NULL);
    free(t);
}

int main(void)
{
    test_readme();
    test_order();
    test_without_static();
    test_classes();
    test_resources();
    test_trifecta();
    test_exact_names();
    test_metadata_and_version();
    test_errors();
    test_large();
    return check_done();
}
