/*
 * test_policy.c - loading policy YAML (every refusal with its exact file:line:col) and
 * evaluating tool names against it (first match wins, the default decides the rest).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "policy/policy.h"

/* policies/default.yaml, embedded into the core library at build time */
extern const char sentinel_default_policy[];
extern const size_t sentinel_default_policy_len;

static struct diag last;

/* Load NUL-terminated YAML; returns the code, the policy in *out (or NULL). */
static int load(const char *text, struct policy **out)
{
    memset(&last, 0, sizeof(last));
    return policy_load_text(text, strlen(text), "t.yaml", out, &last);
}

/* Expect a refusal at line:col whose message contains `needle`. */
static void refuse_at(const char *text, unsigned line, unsigned col, const char *needle, int at)
{
    struct policy *p = (struct policy *)1;
    int rc = load(text, &p);
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

static struct decision eval(const struct policy *p, const char *name)
{
    struct decision d;
    memset(&d, 0xAA, sizeof(d));
    policy_eval_tool(p, name, strlen(name), &d);
    return d;
}

static const char *const good = "# a comment\n"
                                "version: 1\n"
                                "name: test policy\n"
                                "description: for the unit test\n"
                                "default: allow\n"
                                "rules:\n"
                                "  - id: no-shells\n"
                                "    description: shells run anything\n"
                                "    effect: deny\n"
                                "    tools: [\"shell_*\", exec, \"*_shell\"]\n"
                                "    reason: no shells here\n"
                                "  - id: safe-shell\n"
                                "    effect: allow\n"
                                "    tools:\n"
                                "      - shell_safe\n"
                                "      - \"*\"\n"
                                "  - id: never-reached\n"
                                "    effect: deny\n"
                                "    tools: anything\n";

static void test_valid(void)
{
    struct policy *p = NULL;
    CHECK_INT(load(good, &p), 0);
    CHECK(p != NULL);
    if (p == NULL)
        return;
    CHECK_STR(p->name, "test policy");
    CHECK_STR(p->source, "t.yaml");
    CHECK_INT(p->default_effect, EFFECT_ALLOW);
    CHECK_INT(p->nrules, 3);
    CHECK(p->has_deny);
    CHECK_STR(p->rules[0].id, "no-shells");
    CHECK_INT(p->rules[0].ntools, 3);
    CHECK_INT(p->rules[0].line, 7);
    CHECK_INT(p->rules[0].col, 5);
    CHECK_INT(p->rules[1].ntools, 2);
    CHECK_INT(p->rules[2].ntools, 1); /* a single string is a one-element list */
    CHECK_STR(p->rules[2].tools[0].text, "anything");

    /* first match wins: shell_safe is denied by the earlier rule */
    struct decision d = eval(p, "shell_safe");
    CHECK_INT(d.effect, EFFECT_DENY);
    CHECK(d.rule == &p->rules[0]);
    CHECK_STR(d.rule_id, "no-shells");
    CHECK_STR(d.reason, "no shells here");
    d = eval(p, "exec");
    CHECK_INT(d.effect, EFFECT_DENY);
    CHECK_STR(d.rule_id, "no-shells");
    d = eval(p, "bash_shell");
    CHECK_INT(d.effect, EFFECT_DENY);
    d = eval(p, "execute");
    CHECK_INT(d.effect, EFFECT_ALLOW);
    CHECK(d.rule == &p->rules[1]);
    CHECK_STR(d.rule_id, "safe-shell");
    CHECK_STR(d.reason, "allowed by policy"); /* no reason given */
    d = eval(p, "anything");
    CHECK_STR(d.rule_id, "safe-shell"); /* "*" came first */
    CHECK_STR(effect_name(EFFECT_ALLOW), "allow");
    CHECK_STR(effect_name(EFFECT_DENY), "deny");
    CHECK_STR(effect_name((enum effect)0), "?");
    policy_free(p);

    /* the default decides what no rule matches */
    CHECK_INT(load("version: 1\ndefault: deny\nrules:\n  - id: r\n    effect: allow\n"
                   "    tools: [read_*]\n",
                   &p),
              0);
    d = eval(p, "read_file");
    CHECK_INT(d.effect, EFFECT_ALLOW);
    d = eval(p, "write_file");
    CHECK_INT(d.effect, EFFECT_DENY);
    CHECK(d.rule == NULL);
    CHECK_STR(d.rule_id, "default");
    CHECK(d.reason != NULL && strstr(d.reason, "default: deny") != NULL);
    CHECK(p->has_deny); /* the default can deny */
    CHECK(p->name == NULL);
    policy_free(p);

    /* no default: deny (fail closed) */
    CHECK_INT(load("version: 1\n", &p), 0);
    CHECK_INT(p->default_effect, EFFECT_DENY);
    CHECK(p->has_deny);
    CHECK_INT(p->nrules, 0);
    d = eval(p, "x");
    CHECK_INT(d.effect, EFFECT_DENY);
    policy_free(p);

    /* allow-only: no list filtering needed */
    CHECK_INT(load("version: 1\ndefault: allow\nrules:\n  - id: r\n    effect: allow\n"
                   "    tools: [x]\n",
                   &p),
              0);
    CHECK(!p->has_deny);
    d = eval(p, "y");
    CHECK_INT(d.effect, EFFECT_ALLOW);
    CHECK(d.rule == NULL);
    CHECK(strstr(d.reason, "default: allow") != NULL);
    policy_free(p);

    /* "rules:" with nothing after it, and an empty list */
    CHECK_INT(load("version: 1\ndefault: allow\nrules:\n", &p), 0);
    CHECK_INT(p->nrules, 0);
    CHECK(!p->has_deny);
    policy_free(p);
    CHECK_INT(load("version: 1\ndefault: allow\nrules: []\n", &p), 0);
    CHECK_INT(p->nrules, 0);
    policy_free(p);

    /* flow style, quoted keys, a NULL filename, a deny rule with its default reason */
    {
        const char *t = "{\"version\": 1, default: allow, rules: [{id: a, effect: deny, "
                        "tools: ['x*']}]}";
        struct diag dg;
        CHECK_INT(policy_load_text(t, strlen(t), NULL, &p, &dg), 0);
        CHECK_STR(p->source, "<policy>");
        d = eval(p, "xy");
        CHECK_INT(d.effect, EFFECT_DENY);
        CHECK_STR(d.reason, "denied by policy");
        policy_free(p);
        /* and a NULL diag on failure */
        CHECK_INT(policy_load_text("version: 2", 10, NULL, &p, NULL), SE_EPOLICY);
        CHECK(p == NULL);
    }

    /* names with NUL bytes and escaped patterns */
    CHECK_INT(load("version: 1\ndefault: allow\nrules:\n  - id: nul\n    effect: deny\n"
                   "    tools: [\"a\\0b\", \"\\u00e9*\"]\n",
                   &p),
              0);
    CHECK_INT(p->rules[0].tools[0].len, 3);
    policy_eval_tool(p, "a\0b", 3, &d);
    CHECK_INT(d.effect, EFFECT_DENY);
    policy_eval_tool(p, "a", 1, &d);
    CHECK_INT(d.effect, EFFECT_ALLOW);
    policy_eval_tool(p, "a\0bc", 4, &d);
    CHECK_INT(d.effect, EFFECT_ALLOW);
    d = eval(p, "\xC3\xA9t\xC3\xA9");
    CHECK_INT(d.effect, EFFECT_DENY);
    policy_free(p);

    /* the shipped default pack loads and denies what it says */
    CHECK_INT(policy_load_text(sentinel_default_policy, sentinel_default_policy_len,
                               "<builtin:default>", &p, &last),
              0);
    if (p != NULL) {
        CHECK_INT(p->default_effect, EFFECT_ALLOW);
        CHECK(p->has_deny);
        CHECK_INT(eval(p, "bash").effect, EFFECT_DENY);
        CHECK_INT(eval(p, "shell_exec").effect, EFFECT_DENY);
        CHECK_INT(eval(p, "my_shell").effect, EFFECT_DENY);
        CHECK_INT(eval(p, "read_file").effect, EFFECT_ALLOW);
        CHECK_INT(eval(p, "bash2").effect, EFFECT_ALLOW);
        CHECK_STR(eval(p, "eval").rule_id, "no-arbitrary-commands");
        policy_free(p);
    }
    policy_free(NULL);
}

static void test_errors(void)
{
    /* unknown and future keys */
    REFUSE("version: 1\nfoo: 1\n", 2, 1, "unknown key 'foo' in the policy");
    REFUSE("version: 1\nspotlight: {mode: bright}\n", 2, 19, "spotlight mode is delimit");
    REFUSE("version: 1\nspotlight: {mode: delimit, structured: true}\n", 2, 28,
           "'structured' is not a setting");
    REFUSE("version: 1\nschema: strict\n", 2, 9, "schema mode is enforce, warn or off");
    REFUSE("version: 1\npins: {mode: maybe}\n", 2, 14, "pins mode is block, warn or off");
    REFUSE("version: 1\ntaint: {scan_results: maybe}\n", 2, 23, "true or false");
    REFUSE("version: 1\ntaint: {sources: [{tools: [x]}]}\n", 2, 19, "needs 'add: [labels]'");
    REFUSE("version: 1\ntaint: {sources: [{add: [x]}]}\n", 2, 19, "needs tools, resources");
    REFUSE("version: 1\ntaint: {clears: [{tools: [x], add: [y]}]}\n", 2, 31, "unknown key 'add'");
    REFUSE("version: 1\ntaint: {sources: [{tools: [x], add: ['a b']}]}\n", 2, 38, "label 'a b'");
    REFUSE("version: 1\ntaint: {protect_lethal_trifecta: yes}\n", 2, 34, "true or false");
    REFUSE("version: 1\ntaint: {other_messages: drop}\n", 2, 25, "deny or allow");
    REFUSE("version: 1\ntaint: {other_messages: [deny]}\n", 2, 25, "deny or allow");
    REFUSE("version: 1\ntaint: {sources: [{methods: [roots/list], add: [x]}]}\n", 2, 29,
           "server requests cannot be sources");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: [x]\n    when: y\n", 6, 11,
           "a condition must be a mapping");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: [x]\n    taint: {some: [s]}\n",
           6, 13, "unknown key 'some' in a rule's taint");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: [x]\n    taint: {}\n", 6, 12,
           "needs any, all or none");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: [x]\n    colour: red\n", 6,
           5, "unknown key 'colour' in a rule");
    REFUSE("version: 1\nrules:\n  - {id: a, effect: deny, tools: [x]}\n"
           "  - {id: b, effect: deny, tools: [x], agents: []}\n",
           4, 47, "'agents' is empty");
    REFUSE("version: 1\nrules:\n  - {id: lethal-trifecta, effect: deny, tools: [x]}\n"
           "taint: {protect_lethal_trifecta: true}\n",
           3, 5, "reserved");
    REFUSE("version: 1\nrules:\n  - {id: a, effect: approve, methods: [roots/list]}\n", 3, 5,
           "cannot wait for approval");
    REFUSE("version: 1\nrules:\n  - {id: a, effect: observe, tools: [x], rate: {calls: 1, per: 1s}}\n",
           3, 5, "need effect: allow");
    REFUSE("version: 1\nrules:\n  - {id: b, effect: deny, tools: [x], redact: [a]}\n", 3, 5,
           "go together");
    /* bad UTF-8 is named where it is, in a value or a comment */
    REFUSE("version: 1\nrules:\n  - {id: r\xff, effect: deny, tools: [x]}\n", 3, 11,
           "not valid UTF-8 (byte 0xFF)");
    REFUSE("version: 1\n# caf\xc3\xa9 \xc3\n", 2, 8, "not valid UTF-8 (byte 0xC3)");
    /* a byte-order mark is not part of the text */
    {
        struct policy *bp = NULL;
        CHECK_INT(load("\xEF\xBB\xBFversion: 1\ndefault: deny\n", &bp), 0);
        policy_free(bp);
    }
    /* numbers YAML reads in other bases or with separators: refused, never strings */
    REFUSE("version: 1\nrules:\n  - {id: r, effect: deny, tools: [x], when: {arg: a, gt: 0x1F4}}\n",
           3, 58, "YAML reads it as the number 500: write it in decimal (500)");
    REFUSE("version: 1\nrules:\n  - {id: r, effect: deny, tools: [x], when: {arg: a, eq: 1_000}}\n",
           3, 58, "without '_' separators");
    REFUSE("version: 1\nrules:\n  - {id: r, effect: deny, tools: [x], when: {arg: a, in: [1, 0o17]}}\n",
           3, 62, "the number 15");
    REFUSE("version: 1\nrules:\n  - {id: r, effect: deny, tools: [x], when: {arg: a, lt: 1e999}}\n",
           3, 58, "out of the range");
    REFUSE("version: 1\nrules:\n  - {id: r, effect: deny, tools: [x], when: {arg: a, lt: -.inf}}\n",
           3, 58, "infinity and NaN");
    /* YAML 1.1's boolean words and leading zeros mean one thing there and another in 1.2 */
    REFUSE("version: 1\nrules:\n  - {id: r, effect: deny, tools: [x], when: {arg: a, eq: yes}}\n",
           3, 58, "a boolean in YAML 1.1 and a string in YAML 1.2");
    REFUSE("version: 1\nrules:\n  - {id: r, effect: deny, tools: [x], when: {arg: a, eq: 0777}}\n",
           3, 58, "a leading zero makes it octal in YAML 1.1");
    {
        /* True, TRUE, Null... are YAML 1.2's booleans and null: a deny on True fires */
        struct policy *bp = NULL;
        CHECK_INT(load("version: 1\ndefault: allow\nrules:\n  - {id: r, effect: deny, tools: "
                       "[x], when: {any: [{arg: a, eq: True}, {arg: b, eq: NULL}, "
                       "{arg: c, eq: 4.9e-324}]}}\n",
                       &bp),
                  0);
        policy_free(bp);
    }
    /* resources alone default to resources/read: nothing there to redact */
    REFUSE("version: 1\nrules:\n  - {id: r, effect: redact, resources: [\"*\"], redact: [uri]}\n",
           3, 5, "redact masks arguments of tools/call and prompts/get only");
    /* effects this version cannot enforce */
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: redact\n    tools: [x]\n", 3, 5,
           "effect redact and a 'redact' list of argument paths go together");
    REFUSE("version: 1\ndefault: redact\n", 2, 10, "default must be 'allow' or 'deny'");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: maybe\n    tools: [x]\n", 4, 13,
           "effect must be allow, deny, approve, redact or observe");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: Deny\n    tools: [x]\n", 4, 13,
           "effect must be");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: [deny]\n    tools: [x]\n", 4, 13,
           "effect must be");
    REFUSE("version: 1\ndefault: block\n", 2, 10, "default must be 'allow' or 'deny'");
    REFUSE("version: 1\ndefault: approve\n", 2, 10, "default must be 'allow' or 'deny'");
    /* missing pieces of a rule: reported at the rule */
    REFUSE("version: 1\nrules:\n  - effect: deny\n    tools: [x]\n", 3, 5, "needs an 'id'");
    REFUSE("version: 1\nrules:\n  - id: a\n    tools: [x]\n", 3, 5, "needs an 'effect'");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n", 3, 5, "nothing to match on");
    REFUSE("version: 1\nrules:\n  - id: \"\"\n    effect: deny\n    tools: [x]\n", 3, 9,
           "must not be empty");
    REFUSE("version: 1\nrules:\n  - id: [a]\n    effect: deny\n    tools: [x]\n", 3, 9,
           "'id' must be a string");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: [x]\n    reason: [r]\n", 6,
           13, "'reason' must be a string");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: {a: 1}\n", 5, 12,
           "'tools' must be a list of globs");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: []\n", 5, 12,
           "'tools' is empty");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: [x, [y]]\n", 5, 16,
           "each entry of 'tools' must be a string");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: [\"\"]\n", 5, 13,
           "empty pattern in 'tools'");
    REFUSE("version: 1\nrules:\n  - 5\n", 3, 5, "a rule must be a mapping");
    REFUSE("version: 1\nrules: 5\n", 2, 8, "'rules' must be a list");
    REFUSE("version: 1\nrules: {a: 1}\n", 2, 8, "'rules' must be a list");
    /* duplicates */
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: [x]\n"
           "  - id: b\n    effect: deny\n    tools: [x]\n"
           "  - id: a\n    effect: allow\n    tools: [y]\n",
           9, 5, "duplicate rule id 'a' (first at line 3)");
    REFUSE("version: 1\nname: a\nname: b\n", 3, 1,
           "duplicate key 'name' in the policy (first "
           "at line 2)");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    effect: allow\n    tools: [x]\n",
           5, 5, "duplicate key 'effect' in a rule");
    REFUSE("version: 1\n\"version\": 1\n", 2, 1, "duplicate key 'version'");
    /* anchors, aliases, tags */
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: &t [x]\n", 5, 12,
           "anchors are not supported");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: [*x]\n", 5, 13,
           "aliases are not supported");
    REFUSE("version: !!int 1\n", 1, 10, "explicit YAML tags are not supported");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: !deny deny\n    tools: [x]\n", 4, 13,
           "tags are not supported");
    REFUSE("!!map\nversion: 1\n", 1, 1, "tags are not supported");
    /* version */
    REFUSE("name: x\n", 1, 1, "policy needs 'version: 1'");
    REFUSE("\n\nname: x\n", 3, 1, "policy needs 'version: 1'");
    REFUSE("version: 2\n", 1, 10, "unsupported policy version");
    REFUSE("version: \"1\"\n", 1, 10, "unsupported policy version");
    REFUSE("version: '1'\n", 1, 10, "unsupported policy version");
    REFUSE("version: 1.0\n", 1, 10, "unsupported policy version");
    REFUSE("version: [1]\n", 1, 10, "unsupported policy version");
    REFUSE("version:\n", 1, 9, "unsupported policy version");
    /* empty and not a mapping */
    REFUSE("", 1, 1, "empty policy");
    REFUSE("# only a comment\n", 1, 1, "empty policy");
    REFUSE("- a\n", 1, 1, "the policy must be a mapping");
    REFUSE("just a string\n", 1, 1, "the policy must be a mapping");
    REFUSE("? [a]\n: b\n", 1, 3, "keys in the policy must be plain names");
    REFUSE("version: 1\n---\nversion: 1\n", 2, 1, "exactly one YAML document");
    /* YAML syntax errors carry libyaml's position */
    REFUSE("version: 1\nrules: [\n", 3, 1, "YAML syntax error");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: [a[b]\n", 5, 14,
           "YAML syntax error");
    REFUSE("\tversion: 1\n", 1, 1, "YAML syntax error");
    REFUSE("version: 1\n  bad indent: x\n", 2, 13, "YAML syntax error");
    REFUSE("version: \"1\n", 2, 1, "YAML syntax error");
    /* malformed globs point into the pattern, quoted or plain */
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: [\"a[b\"]\n", 5, 15,
           "malformed glob 'a[b'");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: ['xy\\']\n", 5, 16,
           "malformed glob");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools:\n      - ab[c\n", 6, 11,
           "malformed glob 'ab[c'");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: ok\\\n", 5, 14,
           "malformed glob");
    /* NUL characters: raw in the file, or escaped where a name is expected */
    {
        struct policy *p = (struct policy *)1;
        const char t[] = "version: 1\nname: a\0b\n";
        memset(&last, 0, sizeof(last));
        CHECK_INT(policy_load_text(t, sizeof(t) - 1, "t.yaml", &p, &last), SE_EPOLICY);
        CHECK(p == NULL);
        CHECK(strstr(last.msg, "NUL") != NULL);
        CHECK_INT(last.line, 0);
        CHECK_INT(last.col, 0);
    }
    REFUSE("version: 1\nname: \"a\\0b\"\n", 2, 7, "must not contain NUL");
    REFUSE("version: 1\n\"default\\0x\": deny\n", 2, 1, "must not contain NUL");
    REFUSE("version: 1\nrules:\n  - id: a\n    \"tools\\0\": [x]\n    effect: deny\n", 4, 5,
           "must not contain NUL");
    REFUSE("version: 1\nrules:\n  - id: a\n    effect: \"deny\\0junk\"\n    tools: [x]\n", 4, 13,
           "effect must be");
    REFUSE("version: 1\nrules:\n  - id: \"a\\0\"\n    effect: deny\n    tools: [x]\n", 3, 9,
           "must not contain NUL");
    /* deep nesting */
    {
        char t[512];
        int n = snprintf(t, sizeof(t), "version: 1\nx: ");
        for (int i = 0; i < 100; i++)
            t[n++] = '[';
        for (int i = 0; i < 100; i++)
            t[n++] = ']';
        t[n++] = '\n';
        t[n] = '\0';
        struct policy *p = NULL;
        CHECK_INT(load(t, &p), SE_EPOLICY);
        CHECK(p == NULL);
        CHECK(strstr(last.msg, "deeper") != NULL || strstr(last.msg, "YAML") != NULL);
        CHECK_INT(last.line, 2);
    }
    /* 63 sequences under the root mapping make 64 levels: fine structurally (then refused
     * as an unknown key); one more is refused at its '[' */
    for (int k = 63; k <= 64; k++) {
        char t[512];
        int n = snprintf(t, sizeof(t), "version: 1\nx: ");
        for (int i = 0; i < k; i++)
            t[n++] = '[';
        for (int i = 0; i < k; i++)
            t[n++] = ']';
        t[n] = '\0';
        if (k == 63)
            REFUSE(t, 2, 1, "unknown key 'x'");
        else
            REFUSE(t, 2, 67, "deeper than 64");
    }
    /* too large */
    {
        size_t n = POLICY_MAX_FILE + 1;
        char *t = malloc(n);
        memset(t, '#', n);
        struct policy *p = NULL;
        memset(&last, 0, sizeof(last));
        CHECK_INT(policy_load_text(t, n, "big.yaml", &p, &last), SE_EPOLICY);
        CHECK(strstr(last.msg, "larger") != NULL);
        free(t);
    }
}

static void test_file(void)
{
    char path[] = "/tmp/sentinel-test-policy-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    const char *t = "version: 1\ndefault: allow\nrules:\n  - id: r\n    effect: deny\n"
                    "    tools: [rm]\n";
    CHECK_INT(write(fd, t, strlen(t)), (long long)strlen(t));
    close(fd);
    struct policy *p = NULL;
    struct diag d;
    CHECK_INT(policy_load_file(path, &p, &d), 0);
    if (p != NULL) {
        CHECK_STR(p->source, path);
        struct decision dec = eval(p, "rm");
        CHECK_INT(dec.effect, EFFECT_DENY);
        policy_free(p);
    }
    /* an error names the file */
    fd = open(path, O_WRONLY | O_TRUNC);
    CHECK_INT(write(fd, "version: 1\nbad: 1\n", 18), 18);
    close(fd);
    memset(&d, 0, sizeof(d));
    CHECK_INT(policy_load_file(path, &p, &d), SE_EPOLICY);
    CHECK(p == NULL);
    CHECK(d.file != NULL && strcmp(d.file, path) == 0);
    CHECK_INT(d.line, 2);
    unlink(path);
    memset(&d, 0, sizeof(d));
    CHECK_INT(policy_load_file(path, &p, &d), SE_EPOLICY);
    CHECK(strstr(d.msg, "cannot open") != NULL);
    CHECK_INT(policy_load_file("/tmp", &p, &d), SE_EPOLICY);
    CHECK(strstr(d.msg, "not a regular file") != NULL);
    CHECK(p == NULL);
}

int main(void)
{
    test_valid();
    test_errors();
    test_file();
    return check_done();
}
