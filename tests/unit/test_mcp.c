/*
 * test_mcp.c - filtering of list results: denied tools disappear, every other byte is
 * kept as it came, cacheScope turns "private" only when something was hidden, and an
 * index that cannot show the whole list fails closed.
 */
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "mcp/jsonrpc.h"
#include "mcp/mcp.h"

/* Names the keep callback saw, for checking what it was given. */
struct seen {
    char names[32][64];
    size_t lens[32];
    size_t n;
};

/* Keep everything except names starting with 'x' (and record what was asked). */
static bool keep_no_x(void *ctx, const char *name, size_t len)
{
    struct seen *s = ctx;
    if (s != NULL && s->n < 32) {
        size_t c = len < 64 ? len : 64;
        memcpy(s->names[s->n], name, c);
        s->lens[s->n++] = len;
    }
    return len == 0 || name[0] != 'x';
}

static bool keep_all(void *ctx, const char *name, size_t len)
{
    (void)ctx;
    (void)name;
    (void)len;
    return true;
}

static bool keep_none(void *ctx, const char *name, size_t len)
{
    (void)ctx;
    (void)name;
    (void)len;
    return false;
}

struct run {
    struct json_doc doc;
    struct buf out;
    size_t dropped;
    int rc;
    char *text;
};

/* Parse `in` at MCP_LIST_INDEX_DEPTH (or `depth`) and filter result.tools by name. */
static void filter_d(struct run *r, const char *in, unsigned depth, uint32_t max_nodes,
                     mcp_keep_cb keep, void *ctx)
{
    size_t n = strlen(in);
    json_doc_init(&r->doc, 0, max_nodes);
    buf_init(&r->out, 1 << 20);
    r->text = malloc(n ? n : 1);
    memcpy(r->text, in, n);
    r->dropped = 12345;
    int prc = json_parse(&r->doc, r->text, n, depth, NULL);
    CHECK_INT(prc, 0);
    r->rc =
        prc < 0 ? prc : mcp_filter_list(&r->doc, "tools", "name", keep, ctx, &r->out, &r->dropped);
}

static void filter(struct run *r, const char *in, mcp_keep_cb keep, void *ctx)
{
    filter_d(r, in, MCP_LIST_INDEX_DEPTH, 0, keep, ctx);
}

static void run_free(struct run *r)
{
    json_doc_cleanup(&r->doc);
    buf_cleanup(&r->out);
    free(r->text);
}

/* The output must be a valid JSON-RPC result again. */
static void check_valid(struct run *r)
{
    struct json_doc d;
    struct buf scratch;
    struct rpc_msg m;
    json_doc_init(&d, 0, 0);
    buf_init(&scratch, 1 << 16);
    CHECK_INT(json_parse(&d, r->out.data, r->out.len, 4, NULL), 0);
    CHECK_INT(rpc_classify(&d, 0, &m, &scratch, NULL), 0);
    CHECK_INT(m.kind, RPC_RESULT);
    buf_cleanup(&scratch);
    json_doc_cleanup(&d);
}

static void test_drops_denied(void)
{
    struct run r;
    struct seen s = {0};
    filter(&r,
           "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"a\",\"description\":"
           "\"A\"}, {\"name\":\"xbad\",\"inputSchema\":{}} ,\n{ \"name\" : \"b\" , \"inputSchema\""
           ":{\"type\":\"object\",\"properties\":{\"p\":{\"type\":\"string\"}}}}],"
           "\"nextCursor\":\"c1\"}}",
           keep_no_x, &s);
    CHECK_INT(r.rc, 0);
    CHECK_INT(r.dropped, 1);
    CHECK_MEM(
        r.out.data, r.out.len,
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"a\",\"description\":"
        "\"A\"},{ \"name\" : \"b\" , \"inputSchema\":{\"type\":\"object\",\"properties\":"
        "{\"p\":{\"type\":\"string\"}}}}],\"nextCursor\":\"c1\"}}");
    check_valid(&r);
    CHECK_INT(s.n, 3);
    CHECK_MEM(s.names[0], s.lens[0], "a");
    CHECK_MEM(s.names[1], s.lens[1], "xbad");
    CHECK_MEM(s.names[2], s.lens[2], "b");
    run_free(&r);

    /* first, last, all */
    filter(&r,
           "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":[{\"name\":\"x1\"},{\"name\":"
           "\"ok\"},{\"name\":\"x2\"}]}}",
           keep_no_x, NULL);
    CHECK_INT(r.rc, 0);
    CHECK_INT(r.dropped, 2);
    CHECK_MEM(r.out.data, r.out.len,
              "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":[{\"name\":\"ok\"}]}}");
    run_free(&r);
    filter(&r,
           "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"tools\":[{\"name\":\"a\"},"
           "{\"name\":\"b\"}],\"x\":1}}\r",
           keep_none, NULL);
    CHECK_INT(r.rc, 0);
    CHECK_INT(r.dropped, 2);
    CHECK_MEM(r.out.data, r.out.len,
              "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"tools\":[],\"x\":1}}\r");
    check_valid(&r);
    run_free(&r);

    /* names are compared after unescaping; the name member may be escaped too */
    memset(&s, 0, sizeof(s));
    filter(&r,
           "{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{\"tools\":[{\"name\":\"\\u0078y\"},"
           "{\"n\\u0061me\":\"xz\"},{\"name\":\"ok\\u0000\"},{\"name\":\"\\u00e9\"}]}}",
           keep_no_x, &s);
    CHECK_INT(r.rc, 0);
    CHECK_INT(r.dropped, 2);
    CHECK_MEM(r.out.data, r.out.len,
              "{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{\"tools\":[{\"name\":\"ok\\u0000\"},"
              "{\"name\":\"\\u00e9\"}]}}");
    CHECK_INT(s.n, 4);
    CHECK_MEM(s.names[0], s.lens[0], "xy");
    CHECK_MEM(s.names[1], s.lens[1], "xz");
    CHECK_INT(s.lens[2], 3);
    CHECK(memcmp(s.names[2], "ok\0", 3) == 0);
    CHECK_MEM(s.names[3], s.lens[3], "\xC3\xA9");
    run_free(&r);

    /* another list and name key: the function is generic */
    {
        const char *in = "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"prompts\":[{\"title\":\"x\"},"
                         "{\"title\":\"y\"}],\"tools\":[{\"name\":\"xx\"}]}}";
        json_doc_init(&r.doc, 0, 0);
        buf_init(&r.out, 4096);
        CHECK_INT(json_parse(&r.doc, in, strlen(in), 4, NULL), 0);
        CHECK_INT(mcp_filter_list(&r.doc, "prompts", "title", keep_no_x, NULL, &r.out, &r.dropped),
                  0);
        CHECK_INT(r.dropped, 1);
        CHECK_MEM(r.out.data, r.out.len,
                  "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"prompts\":[{\"title\":\"y\"}],"
                  "\"tools\":[{\"name\":\"xx\"}]}}");
        json_doc_cleanup(&r.doc);
        buf_cleanup(&r.out);
    }
}

static void test_nameless_dropped(void)
{
    struct run r;
    filter(&r,
           "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{},{\"title\":\"t\"},"
           "{\"name\":1},{\"name\":null},{\"name\":[\"a\"]},{\"name\":{\"a\":1}},\"str\",5,"
           "null,[{\"name\":\"a\"}],{\"Name\":\"a\"},{\"name\":\"keep\"}]}}",
           keep_all, NULL);
    CHECK_INT(r.rc, 0);
    CHECK_INT(r.dropped, 11);
    CHECK_MEM(r.out.data, r.out.len,
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"keep\"}]}}");
    run_free(&r);
    /* an empty name is a name: the callback decides */
    filter(&r, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"\"}]}}", keep_all,
           NULL);
    CHECK_INT(r.rc, 0);
    CHECK_INT(r.dropped, 0);
    run_free(&r);
}

static void test_cache_scope(void)
{
    struct run r;
    /* before the array */
    filter(&r,
           "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"cacheScope\":\"public\",\"ttlMs\":5,"
           "\"tools\":[{\"name\":\"x\"},{\"name\":\"a\"}]}}",
           keep_no_x, NULL);
    CHECK_INT(r.rc, 0);
    CHECK_INT(r.dropped, 1);
    CHECK_MEM(r.out.data, r.out.len,
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"cacheScope\":\"private\",\"ttlMs\":5,"
              "\"tools\":[{\"name\":\"a\"}]}}");
    check_valid(&r);
    run_free(&r);
    /* after the array, with whitespace around it, and an escaped member name */
    filter(&r,
           "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"x\"},{\"name\":"
           "\"a\"}] , \"cache\\u0053cope\" : \"shared\" ,\"ttlMs\":5}}",
           keep_no_x, NULL);
    CHECK_INT(r.rc, 0);
    CHECK_MEM(r.out.data, r.out.len,
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"a\"}] , "
              "\"cache\\u0053cope\" : \"private\" ,\"ttlMs\":5}}");
    check_valid(&r);
    run_free(&r);
    /* any value is replaced, whatever its type */
    filter(&r,
           "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"cacheScope\":{\"a\":[1,2]},"
           "\"tools\":[{\"name\":\"x\"}]}}",
           keep_no_x, NULL);
    CHECK_INT(r.rc, 0);
    CHECK_MEM(
        r.out.data, r.out.len,
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"cacheScope\":\"private\",\"tools\":[]}}");
    run_free(&r);
    /* nothing dropped: out untouched, cacheScope stays as it was */
    filter(&r,
           "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"cacheScope\":\"public\","
           "\"tools\":[{\"name\":\"a\"}]}}",
           keep_no_x, NULL);
    CHECK_INT(r.rc, 0);
    CHECK_INT(r.dropped, 0);
    CHECK_INT(r.out.len, 0);
    run_free(&r);
    /* no cacheScope: none is added */
    filter(&r, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"x\"}]}}",
           keep_no_x, NULL);
    CHECK_MEM(r.out.data, r.out.len, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[]}}");
    run_free(&r);
    /* a cacheScope elsewhere (not a member of result) is left alone */
    filter(&r,
           "{\"jsonrpc\":\"2.0\",\"id\":1,\"_meta\":{\"cacheScope\":\"public\"},\"result\":"
           "{\"tools\":[{\"name\":\"x\",\"cacheScope\":\"p\"},{\"name\":\"a\",\"cacheScope\":"
           "\"public\"}]}}",
           keep_no_x, NULL);
    CHECK_MEM(r.out.data, r.out.len,
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"_meta\":{\"cacheScope\":\"public\"},\"result\":"
              "{\"tools\":[{\"name\":\"a\",\"cacheScope\":\"public\"}]}}");
    run_free(&r);
}

static void test_untouched(void)
{
    struct run r;
    static const char *const cases[] = {
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"a\"},{\"name\":\"b\"}]}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[]}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":{\"name\":\"x\"}}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":\"x\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[{\"name\":\"x\"}]}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1,\"message\":\"m\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"Tools\":[{\"name\":\"x\"}]}}",
        "[1,2]",
        "\"x\"",
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        filter(&r, cases[i], keep_no_x, NULL);
        CHECK_INT(r.rc, 0);
        CHECK_INT(r.dropped, 0);
        CHECK_INT(r.out.len, 0);
        run_free(&r);
    }
    /* out is appended to, never cleared */
    json_doc_init(&r.doc, 0, 0);
    buf_init(&r.out, 4096);
    buf_append(&r.out, "KEEP", 4);
    const char *in = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"x\"}]}}";
    CHECK_INT(json_parse(&r.doc, in, strlen(in), 4, NULL), 0);
    CHECK_INT(mcp_filter_list(&r.doc, "tools", "name", keep_all, NULL, &r.out, &r.dropped), 0);
    CHECK_MEM(r.out.data, r.out.len, "KEEP");
    CHECK_INT(mcp_filter_list(&r.doc, "tools", "name", keep_none, NULL, &r.out, &r.dropped), 0);
    CHECK_MEM(r.out.data, r.out.len,
              "KEEP{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[]}}");
    json_doc_cleanup(&r.doc);
    buf_cleanup(&r.out);
}

static void test_fail_closed(void)
{
    struct run r;
    const char *list = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"a\"},"
                       "{\"name\":\"x\"},{\"name\":\"b\"},{\"name\":\"c\"}]}}";
    /* node cap hit inside the array */
    filter_d(&r, list, MCP_LIST_INDEX_DEPTH, 8, keep_no_x, NULL);
    CHECK(r.doc.truncated);
    CHECK_INT(r.rc, SE_ELIMIT);
    CHECK_INT(r.out.len, 0);
    run_free(&r);
    /* node cap hit before "result" is even indexed: must not pass as "no list here" */
    {
        struct buf in;
        buf_init(&in, 1 << 20);
        buf_printf(&in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"pad\":[");
        for (int i = 0; i < 100; i++)
            buf_printf(&in, "%s0", i ? "," : "");
        buf_printf(&in, "],\"result\":{\"tools\":[{\"name\":\"xdenied\"}]}}");
        buf_putc(&in, '\0');
        filter_d(&r, in.data, MCP_LIST_INDEX_DEPTH, 50, keep_no_x, NULL);
        CHECK(r.doc.truncated);
        CHECK_INT(json_getz(&r.doc, 0, "result"), 0);
        CHECK_INT(r.rc, SE_ELIMIT);
        CHECK_INT(r.out.len, 0);
        run_free(&r);
        /* the same with the cap hit between "result" and its "tools" */
        buf_reset(&in);
        buf_printf(&in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"pad\":[");
        for (int i = 0; i < 100; i++)
            buf_printf(&in, "%s0", i ? "," : "");
        buf_printf(&in, "],\"tools\":[{\"name\":\"xdenied\"}]}}");
        buf_putc(&in, '\0');
        filter_d(&r, in.data, MCP_LIST_INDEX_DEPTH, 50, keep_no_x, NULL);
        CHECK(r.doc.truncated);
        CHECK_INT(r.rc, SE_ELIMIT);
        CHECK_INT(r.out.len, 0);
        run_free(&r);
        buf_cleanup(&in);
    }
    /* indexed too shallow: the elements' names are not visible */
    filter_d(&r, list, MCP_LIST_INDEX_DEPTH - 1, 0, keep_no_x, NULL);
    CHECK_INT(r.rc, SE_ELIMIT);
    CHECK_INT(r.out.len, 0);
    run_free(&r);
    filter_d(&r, list, 2, 0, keep_no_x, NULL);
    CHECK_INT(r.rc, SE_ELIMIT);
    run_free(&r);
    filter_d(&r, list, 1, 0, keep_no_x, NULL);
    CHECK_INT(r.rc, SE_ELIMIT);
    run_free(&r);
    filter_d(&r, list, 0, 0, keep_no_x, NULL);
    CHECK_INT(r.rc, SE_ELIMIT);
    run_free(&r);
    /* deeper than needed is fine */
    filter_d(&r, list, 10, 0, keep_no_x, NULL);
    CHECK_INT(r.rc, 0);
    CHECK_INT(r.dropped, 1);
    run_free(&r);
    /* out too small for the rewrite: an error, never a half message */
    {
        json_doc_init(&r.doc, 0, 0);
        buf_init(&r.out, 20);
        CHECK_INT(json_parse(&r.doc, list, strlen(list), 4, NULL), 0);
        CHECK_INT(mcp_filter_list(&r.doc, "tools", "name", keep_no_x, NULL, &r.out, &r.dropped),
                  -ENOBUFS);
        json_doc_cleanup(&r.doc);
        buf_cleanup(&r.out);
    }
}

int main(void)
{
    test_drops_denied();
    test_nameless_dropped();
    test_cache_scope();
    test_untouched();
    test_fail_closed();
    return check_done();
}
