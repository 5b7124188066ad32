/*
 * test_jsonrpc.c - the JSON-RPC envelope: classification, the id rules that keep us
 * reading ids exactly as a JavaScript peer does, canonical id keys, and the exact bytes
 * of the error replies we write.
 */
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "mcp/jsonrpc.h"

struct ctx {
    struct json_doc doc;
    struct buf scratch;
    struct rpc_msg m;
    struct diag d;
    char *text;
};

static void ctx_init(struct ctx *c)
{
    memset(c, 0, sizeof(*c));
    json_doc_init(&c->doc, 0, 0);
    buf_init(&c->scratch, 1 << 16);
}

static void ctx_cleanup(struct ctx *c)
{
    json_doc_cleanup(&c->doc);
    buf_cleanup(&c->scratch);
    free(c->text);
}

/* Parse (the way the proxy does: index depth 3) and classify; -1000 if the JSON is bad. */
static int classify_n(struct ctx *c, const char *s, size_t n)
{
    free(c->text);
    c->text = malloc(n ? n : 1);
    memcpy(c->text, s, n);
    memset(&c->d, 0, sizeof(c->d));
    if (json_parse(&c->doc, c->text, n, 3, &c->d) < 0)
        return -1000;
    return rpc_classify(&c->doc, 0, &c->m, &c->scratch, &c->d);
}

static int classify(struct ctx *c, const char *s)
{
    return classify_n(c, s, strlen(s));
}

/* The canonical key of the message's id, as a NUL-terminated string in a static buffer. */
static const char *key_of(struct ctx *c, size_t *len)
{
    static char out[4096];
    struct buf b;
    buf_init(&b, sizeof(out));
    int rc = rpc_id_key(&c->doc, &c->m.id, &b);
    *len = 0;
    if (rc < 0) {
        buf_cleanup(&b);
        return "<error>";
    }
    memcpy(out, b.data, b.len);
    *len = b.len;
    buf_cleanup(&b);
    return out;
}

static void test_kinds(void)
{
    struct ctx c;
    size_t n;
    const char *k;
    ctx_init(&c);

    CHECK_INT(classify(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                           "\"params\":{\"name\":\"echo\",\"arguments\":{}}}"),
              0);
    CHECK_INT(c.m.kind, RPC_REQUEST);
    CHECK_INT(c.m.id.type, RPC_ID_INT);
    CHECK_INT(c.m.id.num, 1);
    CHECK_MEM(c.m.id.raw, c.m.id.raw_len, "1");
    CHECK_MEM(c.m.method, c.m.method_len, "tools/call");
    CHECK(c.m.params != 0);
    CHECK_INT(c.m.result, 0);
    CHECK_INT(c.m.error, 0);
    CHECK(json_getz(&c.doc, c.m.params, "name") != 0);

    /* the TS SDK's first message: id 0 is valid */
    CHECK_INT(classify(&c, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
                           "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                           "\"clientInfo\":{\"name\":\"c\",\"version\":\"1\"}}}"),
              0);
    CHECK_INT(c.m.kind, RPC_REQUEST);
    CHECK_INT(c.m.id.type, RPC_ID_INT);
    CHECK_INT(c.m.id.num, 0);

    /* no params at all is fine */
    CHECK_INT(classify(&c, "{\"jsonrpc\":\"2.0\",\"id\":\"r1\",\"method\":\"tools/list\"}"), 0);
    CHECK_INT(c.m.kind, RPC_REQUEST);
    CHECK_INT(c.m.id.type, RPC_ID_STR);
    CHECK_MEM(c.m.id.raw, c.m.id.raw_len, "\"r1\"");
    CHECK_INT(c.m.params, 0);

    CHECK_INT(classify(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"), 0);
    CHECK_INT(c.m.kind, RPC_NOTIFICATION);
    CHECK_INT(c.m.id.type, RPC_ID_NONE);
    CHECK_MEM(c.m.method, c.m.method_len, "notifications/initialized");

    CHECK_INT(classify(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
                           "\"params\":{\"requestId\":3,\"reason\":\"x\"}}"),
              0);
    CHECK_INT(c.m.kind, RPC_NOTIFICATION);

    CHECK_INT(classify(&c, "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"result\":{}}"), 0);
    CHECK_INT(c.m.kind, RPC_RESULT);
    CHECK_INT(c.m.id.type, RPC_ID_STR);
    CHECK(c.m.result != 0);
    CHECK_INT(c.m.method_len, 0);

    /* a result may be any JSON value, null included */
    CHECK_INT(classify(&c, "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":null}"), 0);
    CHECK_INT(c.m.kind, RPC_RESULT);
    CHECK_INT(classify(&c, "{\"result\":[1],\"id\":2,\"jsonrpc\":\"2.0\"}"), 0);
    CHECK_INT(c.m.kind, RPC_RESULT);

    CHECK_INT(classify(&c, "{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32601,"
                           "\"message\":\"nope\",\"data\":{\"x\":1}}}"),
              0);
    CHECK_INT(c.m.kind, RPC_ERROR);
    CHECK(c.m.error != 0);
    CHECK_INT(c.m.result, 0);

    /* member order and whitespace do not matter; escaped names are names */
    CHECK_INT(classify(&c, " { \"method\" : \"ping\" , \"id\" : 9 , \"jsonrpc\" : \"2.0\" }\r"), 0);
    CHECK_INT(c.m.kind, RPC_REQUEST);
    CHECK_INT(classify(&c, "{\"\\u006asonrpc\":\"2\\u002e0\",\"\\u0069d\":5,"
                           "\"m\\u0065thod\":\"tools\\/call\"}"),
              0);
    CHECK_INT(c.m.kind, RPC_REQUEST);
    CHECK_INT(c.m.id.num, 5);
    CHECK_MEM(c.m.method, c.m.method_len, "tools/call");
    CHECK(c.m.method >= c.scratch.data && c.m.method < c.scratch.data + c.scratch.cap);

    /* unknown members are relayed, not refused */
    CHECK_INT(classify(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"extra\":[1]}"), 0);

    k = key_of(&c, &n);
    CHECK_MEM(k, n, "i1");
    ctx_cleanup(&c);
}

static void test_id_rules(void)
{
    struct ctx c;
    size_t n;
    const char *k;
    ctx_init(&c);
    char msg[8192];

#define REQ(id) "{\"jsonrpc\":\"2.0\",\"id\":" id ",\"method\":\"m\"}"
    /* "1" and 1 are different keys; "\u0031" is "1" */
    CHECK_INT(classify(&c, REQ("1")), 0);
    k = key_of(&c, &n);
    CHECK_MEM(k, n, "i1");
    CHECK_INT(classify(&c, REQ("\"1\"")), 0);
    k = key_of(&c, &n);
    CHECK_MEM(k, n, "s1");
    CHECK_INT(classify(&c, REQ("\"\\u0031\"")), 0);
    k = key_of(&c, &n);
    CHECK_MEM(k, n, "s1");
    CHECK_MEM(c.m.id.raw, c.m.id.raw_len, "\"\\u0031\""); /* echoed as sent */
    CHECK_INT(classify(&c, REQ("-1")), 0);
    k = key_of(&c, &n);
    CHECK_MEM(k, n, "i-1");
    CHECK_INT(classify(&c, REQ("\"\"")), 0);
    k = key_of(&c, &n);
    CHECK_MEM(k, n, "s");
    CHECK_INT(classify(&c, REQ("\"a\\u0000b\"")), 0);
    k = key_of(&c, &n);
    CHECK_INT(n, 4);
    CHECK(n == 4 && memcmp(k, "sa\0b", 4) == 0);
    CHECK_INT(classify(&c, REQ("\"\\uD83D\\uDE00\"")), 0);
    k = key_of(&c, &n);
    CHECK_MEM(k, n, "s\xF0\x9F\x98\x80");

    /* the safe-integer range, both ends */
    CHECK_INT(classify(&c, REQ("9007199254740991")), 0);
    CHECK_INT(c.m.id.num, 9007199254740991LL);
    k = key_of(&c, &n);
    CHECK_MEM(k, n, "i9007199254740991");
    CHECK_INT(classify(&c, REQ("-9007199254740991")), 0);
    CHECK_INT(c.m.id.num, -9007199254740991LL);

    /* refused ids: m->id stays NONE */
    static const char *const bad[] = {
        REQ("9007199254740992"),
        REQ("-9007199254740992"),
        REQ("9223372036854775808"),
        REQ("1.0"),
        REQ("1e0"),
        REQ("1E2"),
        REQ("-0"),
        REQ("null"),
        REQ("true"),
        REQ("false"),
        REQ("[1]"),
        REQ("{}"),
        REQ("0.5"),
        REQ("-0.0"),
        REQ("99999999999999999999999"),
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_INT(classify(&c, bad[i]), SE_ESHAPE);
        CHECK_INT(c.m.id.type, RPC_ID_NONE);
    }
    /* also in responses */
    CHECK_INT(classify(&c, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
                           "\"message\":\"parse\"}}"),
              SE_ESHAPE);
    CHECK_INT(classify(&c, "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"result\":{}}"), SE_ESHAPE);

    /* string id length: 1024 bytes after unescaping is the limit */
    for (int esc = 0; esc < 2; esc++) {
        for (int len = 1023; len <= 1025; len++) {
            size_t m = 0;
            m += (size_t)snprintf(msg, sizeof(msg), "{\"jsonrpc\":\"2.0\",\"id\":\"");
            for (int i = 0; i < len; i++) {
                const char *piece = esc ? "\\u0041" : "A";
                memcpy(msg + m, piece, strlen(piece));
                m += strlen(piece);
            }
            m += (size_t)snprintf(msg + m, sizeof(msg) - m, "\",\"method\":\"m\"}");
            int rc = classify_n(&c, msg, m);
            CHECK_INT(rc, len <= RPC_MAX_ID_LEN ? 0 : SE_ESHAPE);
            if (len <= RPC_MAX_ID_LEN) {
                k = key_of(&c, &n);
                CHECK_INT(n, (size_t)len + 1);
            }
        }
    }
    /* the id is read even when something else is wrong, so the refusal can echo it */
    CHECK_INT(classify(&c, "{\"jsonrpc\":\"1.0\",\"id\":5,\"method\":\"m\"}"), SE_ESHAPE);
    CHECK_INT(c.m.id.type, RPC_ID_INT);
    CHECK_INT(c.m.id.num, 5);
    CHECK_INT(classify(&c, "{\"jsonrpc\":\"2.0\",\"id\":\"q\",\"method\":\"m\",\"params\":[]}"),
              SE_ESHAPE);
    CHECK_INT(c.m.id.type, RPC_ID_STR);
    CHECK_MEM(c.m.id.raw, c.m.id.raw_len, "\"q\"");
#undef REQ
    ctx_cleanup(&c);
}

static void test_shape_rejections(void)
{
    struct ctx c;
    ctx_init(&c);
    static const char *const bad[] = {
        /* jsonrpc member */
        "{\"id\":1,\"method\":\"m\"}",
        "{\"jsonrpc\":\"2.0 \",\"id\":1,\"method\":\"m\"}",
        "{\"jsonrpc\":\" 2.0\",\"id\":1,\"method\":\"m\"}",
        "{\"jsonrpc\":\"2\",\"id\":1,\"method\":\"m\"}",
        "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"m\"}",
        "{\"jsonrpc\":\"2.00\",\"id\":1,\"method\":\"m\"}",
        "{\"jsonrpc\":2.0,\"id\":1,\"method\":\"m\"}",
        "{\"jsonrpc\":null,\"id\":1,\"method\":\"m\"}",
        "{\"jsonrpc\":[\"2.0\"],\"id\":1,\"method\":\"m\"}",
        "{\"jsonrpc\":\"2.0\\u0000\",\"id\":1,\"method\":\"m\"}",
        "{\"JSONRPC\":\"2.0\",\"id\":1,\"method\":\"m\"}",
        /* params must be an object */
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":[1,2]}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":\"x\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":null}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[]}",
        /* method */
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":1}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":null}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\"}",
        "{\"jsonrpc\":\"2.0\",\"method\":{\"a\":1}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"result\":{}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"error\":{\"code\":1,\"message\":\"\"}}",
        /* responses */
        "{\"jsonrpc\":\"2.0\",\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{\"code\":1,\"message\":\"x\"}}",
        "{\"jsonrpc\":\"2.0\",\"result\":{}}",
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":1,\"message\":\"x\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"params\":{}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"message\":\"no code\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32600}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":\"-32600\",\"message\":\"x\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32600.5,\"message\":\"x\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1e3,\"message\":\"x\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1,\"message\":5}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1,\"message\":null}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":\"boom\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":null}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":[]}",
        /* not an object at all */
        "[]",
        "[{\"jsonrpc\":\"2.0\",\"method\":\"m\"}]",
        "\"2.0\"",
        "1",
        "null",
        "{}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = classify(&c, bad[i]);
        CHECK_INT(rc, SE_ESHAPE);
        if (rc != SE_ESHAPE)
            fprintf(stderr, "  accepted: %s\n", bad[i]);
        else
            CHECK(c.d.msg[0] != '\0');
    }
    /* method length limit */
    {
        char msg[2100];
        for (int len = 1024; len <= 1025; len++) {
            int m = snprintf(msg, sizeof(msg), "{\"jsonrpc\":\"2.0\",\"method\":\"");
            memset(msg + m, 'm', (size_t)len);
            m += len;
            m += snprintf(msg + m, sizeof(msg) - (size_t)m, "\"}");
            CHECK_INT(classify_n(&c, msg, (size_t)m), len <= RPC_MAX_METHOD_LEN ? 0 : SE_ESHAPE);
        }
    }
    /* a root that is not node 0: an element of a batch */
    const char *batch = "[{\"jsonrpc\":\"2.0\",\"method\":\"a\"},5]";
    CHECK_INT(json_parse(&c.doc, batch, strlen(batch), 3, NULL), 0);
    CHECK_INT(rpc_classify(&c.doc, 1, &c.m, &c.scratch, NULL), 0);
    CHECK_INT(c.m.kind, RPC_NOTIFICATION);
    CHECK_MEM(c.m.method, c.m.method_len, "a");
    CHECK(c.doc.nodes[1].next != 0);
    CHECK_INT(rpc_classify(&c.doc, c.doc.nodes[1].next, &c.m, &c.scratch, NULL), SE_ESHAPE);
    CHECK_INT(rpc_classify(&c.doc, 999, &c.m, &c.scratch, NULL), SE_ESHAPE);
    ctx_cleanup(&c);
}

static void test_write_error(void)
{
    struct buf b;
    buf_init(&b, 4096);
    CHECK_INT(rpc_write_error(&b, "7", 1, RPC_INVALID_REQUEST, "bad", NULL), 0);
    CHECK_MEM(b.data, b.len,
              "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32600,\"message\":\"bad\"}}\n");
    buf_reset(&b);
    CHECK_INT(rpc_write_error(&b, NULL, 0, RPC_PARSE_ERROR, "x", NULL), 0);
    /* unknown id: left out (the TypeScript SDK refuses "id":null) */
    CHECK_MEM(b.data, b.len,
              "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"x\"}}\n");
    buf_reset(&b);
    CHECK_INT(rpc_write_error(&b, "\"abc\"", 5, RPC_DENIED, "denied \"rm\"\\ by\tpolicy\n\x01",
                              "{\"rule\":\"r1\",\"reason\":\"no\"}"),
              0);
    CHECK_MEM(b.data, b.len,
              "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"error\":{\"code\":-32001,\"message\":"
              "\"denied \\\"rm\\\"\\\\ by\\u0009policy\\n\\u0001\",\"data\":{\"rule\":\"r1\","
              "\"reason\":\"no\"}}}\n");
    /* the id is echoed byte for byte, escapes and all; the message keeps UTF-8 */
    buf_reset(&b);
    CHECK_INT(rpc_write_error(&b, "\"\\u0031\"", 8, RPC_TOO_LARGE, "caf\xC3\xA9\x7f", NULL), 0);
    CHECK_MEM(b.data, b.len,
              "{\"jsonrpc\":\"2.0\",\"id\":\"\\u0031\",\"error\":{\"code\":-32005,\"message\":"
              "\"caf\xC3\xA9\\u007f\"}}\n");
    /* appends: it never clears what is already there */
    buf_reset(&b);
    buf_append(&b, "X", 1);
    CHECK_INT(rpc_write_error(&b, "0", 1, -1, "", NULL), 0);
    CHECK_MEM(b.data, b.len,
              "X{\"jsonrpc\":\"2.0\",\"id\":0,\"error\":{\"code\":-1,\"message\":\"\"}}\n");
    /* what we write parses and classifies as an error response with the same id */
    {
        struct ctx c;
        ctx_init(&c);
        buf_reset(&b);
        CHECK_INT(rpc_write_error(&b, "42", 2, RPC_DENIED, "denied\x01\x1f\"", "[1,{\"a\":null}]"),
                  0);
        CHECK(b.len > 0 && b.data[b.len - 1] == '\n');
        CHECK_INT(classify_n(&c, b.data, b.len - 1), 0);
        CHECK_INT(c.m.kind, RPC_ERROR);
        CHECK_INT(c.m.id.num, 42);
        uint32_t code = json_getz(&c.doc, c.m.error, "code");
        int64_t v = 0;
        CHECK_INT(json_int(&c.doc, code, &v), 0);
        CHECK_INT(v, RPC_DENIED);
        CHECK(json_str_eqz(&c.doc, json_getz(&c.doc, c.m.error, "message"), "denied\x01\x1f\""));
        ctx_cleanup(&c);
    }
    buf_cleanup(&b);
    /* a full buffer is an error, not a truncated reply */
    buf_init(&b, 30);
    CHECK_INT(rpc_write_error(&b, "1", 1, -32600, "a message too long for the buffer", NULL),
              -ENOBUFS);
    buf_cleanup(&b);
}

static void test_id_from_raw(void)
{
    struct rpc_id id;
    memset(&id, 0, sizeof(id));
    CHECK(rpc_id_from_raw("42", 2, &id));
    CHECK_INT(id.type, RPC_ID_INT);
    CHECK_INT(id.num, 42);
    CHECK_MEM(id.raw, id.raw_len, "42");
    CHECK(rpc_id_from_raw("-9007199254740991", 17, &id));
    CHECK_INT(id.num, -9007199254740991LL);
    CHECK(rpc_id_from_raw("0", 1, &id));
    CHECK_INT(id.num, 0);
    const char *s = "\"abc\"";
    CHECK(rpc_id_from_raw(s, 5, &id));
    CHECK_INT(id.type, RPC_ID_STR);
    CHECK(id.raw == s); /* borrows the caller's bytes */
    CHECK_INT(id.raw_len, 5);
    s = " 7 ";
    CHECK(rpc_id_from_raw(s, 3, &id));
    CHECK(id.raw == s + 1);
    CHECK_INT(id.raw_len, 1);
    CHECK(rpc_id_from_raw("\"\\u0031\"", 8, &id));
    {
        struct buf b;
        struct json_doc doc;
        buf_init(&b, 64);
        json_doc_init(&doc, 0, 0);
        CHECK_INT(rpc_id_key(&doc, &id, &b), 0);
        CHECK_MEM(b.data, b.len, "s1");
        json_doc_cleanup(&doc);
        buf_cleanup(&b);
    }
    static const char *const bad[] = {
        "",
        "-0",
        "1.0",
        "1e0",
        "01",
        "null",
        "true",
        "[]",
        "{}",
        "\"",
        "\"a",
        "a",
        "1 2",
        "1,",
        "-",
        "+1",
        "0x1",
        "\"\\uD800\"",
        "9007199254740992",
        "\"\xC0\x80\"",
        "{\"id\":1}",
        "\"a\"x",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        bool ok = rpc_id_from_raw(bad[i], strlen(bad[i]), &id);
        CHECK(!ok);
        if (ok)
            fprintf(stderr, "  accepted raw id: %s\n", bad[i]);
    }
    /* too long */
    {
        char raw[1100];
        raw[0] = '"';
        memset(raw + 1, 'x', 1025);
        raw[1026] = '"';
        CHECK(!rpc_id_from_raw(raw, 1027, &id));
        raw[1025] = '"';
        CHECK(rpc_id_from_raw(raw, 1026, &id));
    }
    /* the int key of an id that is neither kind is refused */
    {
        struct buf b;
        struct json_doc doc;
        struct rpc_id none = {0};
        buf_init(&b, 64);
        json_doc_init(&doc, 0, 0);
        CHECK_INT(rpc_id_key(&doc, &none, &b), -EINVAL);
        CHECK_INT(b.len, 0);
        json_doc_cleanup(&doc);
        buf_cleanup(&b);
    }
}

static void test_truncated_index(void)
{
    /* members hidden by the node cap must not change what a message is: here "method"
     * and "params" fall past the cap, and the rest would read as a plain response */
    struct json_doc doc;
    struct buf scratch;
    struct rpc_msg m;
    struct diag d = {0};
    json_doc_init(&doc, 0, 8);
    buf_init(&scratch, 4096);
    const char *t = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[0,0,0,0],\"method\":\"tools/call\","
                    "\"params\":{\"name\":\"rm\"}}";
    CHECK_INT(json_parse(&doc, t, strlen(t), 3, NULL), 0);
    CHECK(doc.truncated);
    CHECK_INT(json_getz(&doc, 0, "method"), 0);
    CHECK_INT(rpc_classify(&doc, 0, &m, &scratch, &d), SE_ESHAPE);
    /* the same message fully indexed is refused for what it is */
    json_doc_cleanup(&doc);
    json_doc_init(&doc, 0, 0);
    CHECK_INT(json_parse(&doc, t, strlen(t), 3, NULL), 0);
    CHECK_INT(rpc_classify(&doc, 0, &m, &scratch, &d), SE_ESHAPE);
    /* a cap that only cuts below the envelope is fine */
    json_doc_cleanup(&doc);
    json_doc_init(&doc, 0, 8);
    t = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":[1,2,3,4,5,6]}}";
    CHECK_INT(json_parse(&doc, t, strlen(t), 3, NULL), 0);
    CHECK(doc.truncated);
    CHECK_INT(rpc_classify(&doc, 0, &m, &scratch, &d), 0);
    CHECK_INT(m.kind, RPC_REQUEST);
    /* an index of the root alone cannot be classified either */
    CHECK_INT(json_parse(&doc, t, strlen(t), 0, NULL), 0);
    CHECK_INT(rpc_classify(&doc, 0, &m, &scratch, &d), SE_ESHAPE);
    buf_cleanup(&scratch);
    json_doc_cleanup(&doc);
}

int main(void)
{
    test_kinds();
    test_id_rules();
    test_shape_rejections();
    test_write_error();
    test_id_from_raw();
    test_truncated_index();
    return check_done();
}
