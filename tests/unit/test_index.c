/*
 * test_index.c - the rule index must never change a decision. Random policies (literal names,
 * prefixes, suffixes, `?`, classes, escapes, NUL and UTF-8 bytes, URI globs, several methods,
 * `when` conditions) are decided through the index and by a plain first-match walk written
 * here, request by request; then a few cases the index treats specially.
 * The seed is fixed; `test_index SEED [POLICIES]` explores others.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/buf.h"
#include "check.h"
#include "mcp/json.h"
#include "policy/glob.h"
#include "policy/index.h"
#include "policy/policy.h"

static bool may_allow(const struct policy *p, unsigned method, const char *name, size_t len,
                      const char *uri, size_t uri_len)
{
    struct policy_request q = {.method = method, .name = name, .name_len = len, .uri = uri,
                               .uri_len = uri_len};
    return policy_may_allow(p, &q);
}

static bool may_allow_linear(const struct policy *p, unsigned method, const char *name, size_t len,
                             const char *uri, size_t uri_len)
{
    struct policy_request q = {.method = method, .name = name, .name_len = len, .uri = uri,
                               .uri_len = uri_len};
    return policy_may_allow_linear(p, &q);
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
    return (unsigned)(rnd() % n);
}

static bool chance(unsigned percent)
{
    return below(100) < percent;
}

/* ---- the reference: every rule, in order, straight from the language's definition ---- */

static bool ref_globs(const struct pattern *pats, size_t n, const char *s, size_t len)
{
    if (n == 0)
        return true;
    if (s == NULL)
        return false;
    for (size_t k = 0; k < n; k++)
        if (glob_match(pats[k].text, pats[k].len, s, len))
            return true;
    return false;
}

static bool ref_targets(const struct rule *r, unsigned method, const char *name, size_t name_len,
                        const char *uri, size_t uri_len)
{
    return (r->methods & method) != 0 && ref_globs(r->tools, r->ntools, name, name_len) &&
           ref_globs(r->resources, r->nresources, uri, uri_len);
}

/* The deciding rule (NULL: the default) and the effect. */
static const struct rule *ref_eval(const struct policy *p, const struct policy_request *q,
                                   enum effect *effect)
{
    for (size_t i = 0; i < p->nrules; i++) {
        const struct rule *r = &p->rules[i];
        if (!ref_targets(r, q->method, q->name, q->name_len, q->uri, q->uri_len))
            continue;
        int rc = r->when ? cond_eval(r->when, q->args, 0, q->facts) : 1;
        if (rc == 0)
            continue;
        *effect = rc < 0 ? EFFECT_DENY : r->effect;
        return r;
    }
    *effect = (q->method & PM_SERVER_REQUESTS) ? EFFECT_ALLOW : p->default_effect;
    return NULL;
}

static bool ref_may_allow(const struct policy *p, const struct policy_request *q)
{
    for (size_t i = 0; i < p->nrules; i++) {
        const struct rule *r = &p->rules[i];
        if (!ref_targets(r, q->method, q->name, q->name_len, q->uri, q->uri_len))
            continue;
        if (r->effect == EFFECT_ALLOW)
            return true;
        if (r->when == NULL)
            return false;
    }
    return p->default_effect == EFFECT_ALLOW;
}

/* ---- random policies ----------------------------------------------------------------- */

/* Few, overlapping pieces, so that random names hit random globs often. */
static const char *const name_pieces[] = {"a",     "b",    "fs",       "fs_",          "_", "x",
                                          "shell", "read", "\xc3\xa9", "\xe6\x97\xa5", "-", "ab"};
static const char *const uri_pieces[] = {"file:///", "private/", "pub/",  "a", "b",
                                         ".pem",     "/",        "s3://", "x", "\xc3\xa9"};
#define NPIECES(a) (sizeof(a) / sizeof((a)[0]))

static void put_piece(struct buf *b, bool uri)
{
    if (uri)
        buf_printf(b, "%s", uri_pieces[below(NPIECES(uri_pieces))]);
    else
        buf_printf(b, "%s", name_pieces[below(NPIECES(name_pieces))]);
}

/* A glob as raw bytes into b (not yet YAML-quoted). */
static void gen_glob(struct buf *b, bool uri)
{
    unsigned n = 1 + below(4);
    for (unsigned i = 0; i < n; i++) {
        switch (below(14)) {
        case 0:
        case 1:
            buf_putc(b, '*');
            break;
        case 2:
            buf_putc(b, '?');
            break;
        case 3:
            buf_printf(b, "%s", chance(50) ? "[ab]" : (chance(50) ? "[!a]" : "[a-f_]"));
            break;
        case 4:
            buf_printf(b, "\\%c", "*?[a\\"[below(5)]);
            break;
        case 5:
            if (chance(30))
                buf_putc(b, '\0');
            else
                buf_putc(b, ']');
            break;
        default:
            put_piece(b, uri);
            break;
        }
    }
}

/* A YAML double-quoted scalar of n raw bytes. */
static void put_quoted(struct buf *y, const char *s, size_t n)
{
    buf_putc(y, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\0')
            buf_printf(y, "\\0");
        else if (s[i] == '"' || s[i] == '\\')
            buf_printf(y, "\\%c", s[i]);
        else
            buf_putc(y, s[i]);
    }
    buf_putc(y, '"');
}

static void put_globs(struct buf *y, const char *key, bool uri)
{
    struct buf g;
    buf_init(&g, 16u << 20);
    unsigned n = 1 + below(3);
    buf_printf(y, "    %s: [", key);
    for (unsigned i = 0; i < n; i++) {
        buf_reset(&g);
        if (chance(45)) /* literal */
            for (unsigned k = 1 + below(3); k > 0; k--)
                put_piece(&g, uri);
        else
            gen_glob(&g, uri);
        if (i > 0)
            buf_printf(y, ", ");
        put_quoted(y, g.data, g.len);
    }
    buf_printf(y, "]\n");
    buf_cleanup(&g);
}

static const char *const conds[] = {
    "{arg: k, eq: 1}", "{arg: k, exists: true}", "{not: {arg: k, eq: 1}}",
    "{arg: s, matches: '^(a|a)*$'}", /* undecidable on a long run of a's: fails closed */
};

static const char *const method_names[] = {
    "tools/call",          "resources/read",         "prompts/get",
    "completion/complete", "sampling/createMessage", "elicitation/create",
    "roots/list"};

static void gen_rule(struct buf *y, unsigned i)
{
    bool tools = chance(85), res = chance(tools ? 15 : 80), when = chance(15), methods;
    buf_printf(y, "  - id: r%u\n    effect: %s\n", i, chance(50) ? "allow" : "deny");
    if (tools)
        put_globs(y, "tools", false);
    if (res)
        put_globs(y, "resources", true);
    /* a rule with names and URIs needs methods that carry both */
    methods = chance(40) || (tools && res) || (!tools && !res && !when);
    if (methods) {
        unsigned bits = 0;
        if (tools)
            bits |= chance(50) ? PM_TOOLS_CALL : (chance(50) ? PM_PROMPTS_GET : PM_COMPLETE);
        if (res)
            bits |= chance(50) ? PM_RESOURCES_READ : PM_COMPLETE;
        bits |= (unsigned)rnd() & (tools || res ? (chance(20) ? 0x7f : 0) : 0x7f);
        if (tools || res)
            bits |= (unsigned)rnd() & (tools ? (PM_TOOLS_CALL | PM_PROMPTS_GET | PM_COMPLETE)
                                             : (PM_RESOURCES_READ | PM_COMPLETE));
        if (bits == 0)
            bits = 1u << below(7);
        buf_printf(y, "    methods: [");
        const char *sep = "";
        for (unsigned m = 0; m < 7; m++)
            if (bits & (1u << m)) {
                buf_printf(y, "%s%s", sep, method_names[m]);
                sep = ", ";
            }
        buf_printf(y, "]\n");
    }
    if (when)
        buf_printf(y, "    when: %s\n", conds[below(NPIECES(conds))]);
}

static int gen_policy(struct buf *y, unsigned nrules, struct policy **out)
{
    struct diag d = {0};
    buf_reset(y);
    buf_printf(y, "version: 1\ndefault: %s\nrules:\n", chance(50) ? "allow" : "deny");
    for (unsigned i = 0; i < nrules; i++)
        gen_rule(y, i);
    int rc = policy_load_text(y->data, y->len, "random.yaml", out, &d);
    if (rc < 0 && rc != SE_EPOLICY)
        fprintf(stderr, "load: %d %u:%u %s\n", rc, d.line, d.col, d.msg);
    return rc;
}

/* A value likely to match one of the policy's globs: a glob with its wildcards filled in. */
static void instantiate(struct buf *b, const struct pattern *pt, bool uri)
{
    const char *p = pt->text;
    for (size_t i = 0; i < pt->len; i++) {
        if (p[i] == '*') {
            for (unsigned k = below(3); k > 0; k--)
                put_piece(b, uri);
        } else if (p[i] == '?') {
            put_piece(b, uri);
        } else if (p[i] == '[') {
            size_t j = i + 1;
            buf_putc(b, p[j] == '!' ? 'z' : p[j]);
            while (j < pt->len && p[j] != ']')
                j++;
            i = j;
        } else if (p[i] == '\\' && i + 1 < pt->len) {
            buf_putc(b, p[++i]);
        } else {
            buf_putc(b, p[i]);
        }
    }
}

static void gen_value(struct buf *b, const struct policy *p, bool uri)
{
    buf_reset(b);
    unsigned how = below(10);
    if (how < 6 && p->nrules > 0) {
        const struct rule *r = &p->rules[below((unsigned)p->nrules)];
        size_t n = uri ? r->nresources : r->ntools;
        if (n > 0) {
            instantiate(b, &(uri ? r->resources : r->tools)[below((unsigned)n)], uri);
            if (chance(10) && b->len > 0)
                b->len--; /* one byte short */
            if (chance(10))
                put_piece(b, uri); /* a little more */
            return;
        }
    }
    if (how == 9) { /* arbitrary bytes, not even UTF-8 */
        for (unsigned k = below(6); k > 0; k--)
            buf_putc(b, (char)below(256));
        return;
    }
    for (unsigned k = below(4); k > 0; k--)
        put_piece(b, uri);
}

static const char *const arg_texts[] = {
    "{\"k\":1}", "{\"k\":2}", "{}",
    "{\"s\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\",\"k\":1}"};

/* Mostly the methods that carry names and URIs; a few that are not one PM_* bit. */
static unsigned gen_method(void)
{
    unsigned r = below(100);
    if (r < 35)
        return PM_TOOLS_CALL;
    if (r < 50)
        return PM_RESOURCES_READ;
    if (r < 62)
        return PM_PROMPTS_GET;
    if (r < 74)
        return PM_COMPLETE;
    if (r < 90)
        return 1u << (4 + below(3)); /* the server's requests */
    return r < 94 ? 0 : (r < 97 ? PM_TOOLS_CALL | PM_COMPLETE : 1u << 9);
}

static unsigned ncases, nmatched, nglob, nlinear;

static void check_request(const struct policy *p, const struct policy_request *q)
{
    enum effect want = 0;
    const struct rule *wr = ref_eval(p, q, &want);
    struct decision got, lin;
    memset(&got, 0xAA, sizeof(got));
    policy_eval(p, q, &got);
    policy_eval_linear(p, q, &lin);
    ncases++;
    nmatched += wr != NULL;
    nglob += wr != NULL && (wr->ntools > 0 || wr->nresources > 0);
    struct policy_cursor c;
    policy_cursor_start(&c, p, q->method, q->name, q->name_len, q->uri, q->uri_len);
    nlinear += c.linear;
    bool ok = got.effect == want && got.rule == wr && lin.effect == want && lin.rule == wr &&
              strcmp(got.rule_id, wr ? wr->id : "default") == 0 && got.reason != NULL &&
              strcmp(got.reason, lin.reason) == 0;
    bool may = ref_may_allow(p, q);
    ok = ok && may_allow(p, q->method, q->name, q->name_len, q->uri, q->uri_len) == may &&
         may_allow_linear(p, q->method, q->name, q->name_len, q->uri, q->uri_len) == may;
    check_count++;
    if (!ok) {
        check_failures++;
        fprintf(stderr,
                "mismatch: method %#x name %s%.*s uri %s%.*s: want %s by %s, got %s by %s\n",
                q->method, q->name ? "" : "(none)", (int)q->name_len, q->name ? q->name : "",
                q->uri ? "" : "(none)", (int)q->uri_len, q->uri ? q->uri : "", effect_name(want),
                wr ? wr->id : "default", effect_name(got.effect), got.rule_id);
    }
}

static void test_random(uint64_t seed, unsigned npolicies)
{
    struct buf y, name, uri;
    struct json_doc docs[NPIECES(arg_texts)];
    buf_init(&y, 16u << 20);
    buf_init(&name, 16u << 20);
    buf_init(&uri, 16u << 20);
    for (size_t i = 0; i < NPIECES(arg_texts); i++) {
        struct diag d = {0};
        json_doc_init(&docs[i], 64, 0);
        CHECK_INT(json_parse(&docs[i], arg_texts[i], strlen(arg_texts[i]), 64, &d), 0);
    }
    rng_state = seed;
    unsigned loaded = 0, refused = 0;
    for (unsigned n = 0; n < npolicies; n++) {
        struct policy *p = NULL;
        unsigned nrules = n % 10 == 9 ? 50 + below(150) : below(25);
        if (gen_policy(&y, nrules, &p) < 0) {
            refused++;
            continue;
        }
        loaded++;
        for (unsigned k = 0; k < 200; k++) {
            struct policy_request q = {0};
            q.method = gen_method();
            if (chance(80)) {
                gen_value(&name, p, false);
                q.name = name.data ? name.data : "";
                q.name_len = name.len;
            }
            if (chance(q.method & (PM_RESOURCES_READ | PM_COMPLETE) ? 80 : 20)) {
                gen_value(&uri, p, true);
                q.uri = uri.data ? uri.data : "";
                q.uri_len = uri.len;
            }
            unsigned a = below(40);
            q.args = a < 12 ? &docs[a % 3] : (a == 12 ? &docs[3] : NULL);
            check_request(p, &q);
        }
        policy_free(p);
    }
    /* the generator must produce mostly loadable policies and many matching requests, or
     * this test tests nothing */
    CHECK(loaded > npolicies * 3 / 4);
    CHECK(nglob > ncases / 8);
    printf("seed %llu: %u policies (%u refused by the loader), %u requests, %u decided by a "
           "rule (%u of them by a glob), %u walked every rule\n",
           (unsigned long long)seed, loaded, refused, ncases, nmatched, nglob, nlinear);
    for (size_t i = 0; i < NPIECES(arg_texts); i++)
        json_doc_cleanup(&docs[i]);
    buf_cleanup(&y);
    buf_cleanup(&name);
    buf_cleanup(&uri);
}

/* ---- what the index does with particular policies -------------------------------------- */

static struct policy *load(const char *text)
{
    struct policy *p = NULL;
    struct diag d = {0};
    if (policy_load_text(text, strlen(text), "t.yaml", &p, &d) < 0)
        fprintf(stderr, "load failed: %u:%u %s\n", d.line, d.col, d.msg);
    return p;
}

/* The candidates of one request, as "i,j,k" (or "linear"). */
static const char *candidates(const struct policy *p, unsigned method, const char *name,
                              const char *uri)
{
    static char out[256];
    struct policy_cursor c;
    size_t n = 0, i;
    policy_cursor_start(&c, p, method, name, name ? strlen(name) : 0, uri, uri ? strlen(uri) : 0);
    if (c.linear)
        return "linear";
    out[0] = '\0';
    while ((i = policy_cursor_next(&c)) != POLICY_CURSOR_END && n < sizeof(out) - 16)
        n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%zu", n ? "," : "", i);
    return out;
}

static void test_candidates(void)
{
    struct policy *p = load("version: 1\n"
                            "rules:\n"
                            "  - {id: r0, effect: deny, tools: [fs_write, \"fs_*\"]}\n"
                            "  - {id: r1, effect: allow, tools: [fs_read]}\n"
                            "  - {id: r2, effect: deny, tools: [\"*_shell\", \"fs_read\"]}\n"
                            "  - {id: r3, effect: deny, tools: [\"*\"], methods: [prompts/get]}\n"
                            "  - {id: r4, effect: deny, resources: [\"file:///private/*\"]}\n"
                            "  - {id: r5, effect: deny, methods: [tools/call, resources/read]}\n"
                            "  - {id: r6, effect: allow, tools: [\"?x\", \"[ab]y\", \"\\\\*z\"]}\n"
                            "  - {id: r7, effect: allow, tools: [\"a\\0b\"]}\n");
    CHECK(p != NULL);
    if (p == NULL)
        return;
    CHECK_STR(candidates(p, PM_TOOLS_CALL, "fs_read", NULL), "0,1,2,5");
    CHECK_STR(candidates(p, PM_TOOLS_CALL, "fs_write", NULL), "0,5");
    CHECK_STR(candidates(p, PM_TOOLS_CALL, "my_shell", NULL), "2,5");
    CHECK_STR(candidates(p, PM_TOOLS_CALL, "other", NULL), "5");
    CHECK_STR(candidates(p, PM_TOOLS_CALL, "ay", NULL), "5,6"); /* "[ab]y": suffix y */
    CHECK_STR(candidates(p, PM_TOOLS_CALL, "zx", NULL), "5,6");
    CHECK_STR(candidates(p, PM_TOOLS_CALL, "*z", NULL), "5,6");
    CHECK_STR(candidates(p, PM_TOOLS_CALL, NULL, NULL), "5");
    CHECK_STR(candidates(p, PM_PROMPTS_GET, "fs_read", NULL), "3");
    CHECK_STR(candidates(p, PM_PROMPTS_GET, NULL, NULL), "");
    CHECK_STR(candidates(p, PM_RESOURCES_READ, NULL, "file:///private/key"), "4,5");
    CHECK_STR(candidates(p, PM_RESOURCES_READ, NULL, "file:///privat"), "5");
    CHECK_STR(candidates(p, PM_RESOURCES_READ, "fs_read", NULL), "5");
    CHECK_STR(candidates(p, PM_TOOLS_CALL | PM_PROMPTS_GET, "x", NULL), "linear");
    CHECK_STR(candidates(p, 0, "x", NULL), "linear");
    CHECK_STR(candidates(p, 1u << 20, "x", NULL), "linear");

    /* a name holding NUL: hashed and compared by length */
    struct policy_cursor c;
    policy_cursor_start(&c, p, PM_TOOLS_CALL, "a\0b", 3, NULL, 0);
    CHECK_INT(policy_cursor_next(&c), 5);
    CHECK_INT(policy_cursor_next(&c), 7);
    CHECK(policy_cursor_next(&c) == POLICY_CURSOR_END);
    struct decision d;
    policy_eval_tool(p, "a\0b", 3, &d);
    CHECK_STR(d.rule_id, "r5");
    policy_eval_tool(p, "a", 1, &d);
    CHECK_STR(d.rule_id, "r5");
    policy_free(p);
}

/* Rules that cannot match are not visited: 2,000 literal names, one candidate each. */
static void test_flat(void)
{
    struct buf y;
    buf_init(&y, 16u << 20);
    buf_printf(&y, "version: 1\ndefault: deny\nrules:\n");
    for (unsigned i = 0; i < 2000; i++)
        buf_printf(&y, "  - {id: r%u, effect: %s, tools: [tool_%u, \"svc%u_*\"]}\n", i,
                   i % 2 ? "allow" : "deny", i, i);
    buf_printf(&y, "  - {id: last, effect: allow, tools: [\"*\"]}\n");
    buf_putc(&y, '\0');
    struct policy *p = load(y.data);
    CHECK(p != NULL);
    if (p != NULL) {
        CHECK_STR(candidates(p, PM_TOOLS_CALL, "tool_1999", NULL), "1999,2000");
        CHECK_STR(candidates(p, PM_TOOLS_CALL, "svc7_read", NULL), "7,2000");
        CHECK_STR(candidates(p, PM_TOOLS_CALL, "nothing", NULL), "2000");
        struct decision d;
        policy_eval_tool(p, "tool_1999", 9, &d);
        CHECK_STR(d.rule_id, "r1999");
        CHECK(d.effect == EFFECT_ALLOW);
        policy_eval_tool(p, "nothing", 7, &d);
        CHECK_STR(d.rule_id, "last");
    }
    policy_free(p);
    buf_cleanup(&y);
}

/* More lists than a cursor holds: the walk falls back to every rule, same decision. */
static void test_too_many_lists(void)
{
    struct buf y;
    const char *name = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP";
    buf_init(&y, 16u << 20);
    buf_printf(&y, "version: 1\ndefault: allow\nrules:\n");
    for (unsigned i = 1; i <= 40; i++)
        buf_printf(&y, "  - {id: r%u, effect: %s, tools: [\"%.*s*\"], when: {arg: k, eq: %u}}\n", i,
                   i % 2 ? "allow" : "deny", (int)i, name, i);
    buf_putc(&y, '\0');
    struct policy *p = load(y.data);
    CHECK(p != NULL);
    if (p != NULL) {
        CHECK_STR(candidates(p, PM_TOOLS_CALL, name, NULL), "linear");
        CHECK_STR(candidates(p, PM_TOOLS_CALL, "abc", NULL), "0,1,2");
        struct json_doc doc;
        struct diag d = {0};
        json_doc_init(&doc, 8, 0);
        CHECK_INT(json_parse(&doc, "{\"k\":38}", 8, 8, &d), 0);
        struct policy_request q = {
            .method = PM_TOOLS_CALL, .name = name, .name_len = strlen(name), .args = &doc};
        struct decision dec;
        policy_eval(p, &q, &dec);
        CHECK_STR(dec.rule_id, "r38");
        CHECK(dec.effect == EFFECT_DENY);
        json_doc_cleanup(&doc);
    }
    policy_free(p);
    buf_cleanup(&y);
}

static void test_empty(void)
{
    struct policy *p = load("version: 1\ndefault: deny\nrules: []\n");
    CHECK(p != NULL);
    if (p == NULL)
        return;
    CHECK_STR(candidates(p, PM_TOOLS_CALL, "x", "u"), "");
    struct decision d;
    policy_eval_tool(p, "x", 1, &d);
    CHECK_STR(d.rule_id, "default");
    CHECK(!may_allow(p, PM_TOOLS_CALL, "x", 1, NULL, 0));
    policy_free(p);
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 20261122;
    unsigned npolicies = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 400;
    test_candidates();
    test_flat();
    test_too_many_lists();
    test_empty();
    test_random(seed, npolicies);
    return check_done();
}
