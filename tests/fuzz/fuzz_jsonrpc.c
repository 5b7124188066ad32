/*
 * fuzz_jsonrpc.c - the JSON-RPC envelope and list filtering on arbitrary bytes, the way
 * the proxy uses them: parse, classify (a batch element by element), key the id, answer
 * with an error reply, filter result.tools. Invariants: an accepted id reads back the
 * same from its raw bytes; error replies are valid JSON-RPC errors; a filtered list is
 * valid JSON, the same kind of message, and filtering it again drops nothing; a truncated
 * index never lets a list through.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "mcp/jsonrpc.h"
#include "mcp/mcp.h"

#define MAX_SAFE 9007199254740991LL

static bool keep_no_x(void *ctx, const char *name, size_t len)
{
    size_t *calls = ctx;
    (*calls)++;
    return len == 0 || name[0] != 'x';
}

/* Classify `out` (a message we produced) and return its kind; aborts if it is invalid. */
static enum rpc_kind reparse_kind(const char *p, size_t n)
{
    struct json_doc doc;
    struct buf scratch;
    struct rpc_msg m;
    json_doc_init(&doc, 0, 0);
    buf_init(&scratch, 1 << 20);
    FUZZ_CHECK(json_parse(&doc, p, n, 3, NULL) == 0);
    FUZZ_CHECK(rpc_classify(&doc, 0, &m, &scratch, NULL) == 0);
    buf_cleanup(&scratch);
    json_doc_cleanup(&doc);
    return m.kind;
}

static void check_id(struct json_doc *doc, const struct rpc_msg *m)
{
    struct buf k1, k2;
    struct rpc_id raw;
    buf_init(&k1, 16384);
    buf_init(&k2, 16384);
    FUZZ_CHECK(rpc_id_key(doc, &m->id, &k1) == 0);
    FUZZ_CHECK(k1.len >= 1 && k1.data[0] == (m->id.type == RPC_ID_INT ? 'i' : 's'));
    if (m->id.type == RPC_ID_INT)
        FUZZ_CHECK(m->id.num <= MAX_SAFE && m->id.num >= -MAX_SAFE);
    else
        FUZZ_CHECK(k1.len - 1 <= RPC_MAX_ID_LEN);
    /* the raw bytes we would echo read back as the same id */
    FUZZ_CHECK(rpc_id_from_raw(m->id.raw, m->id.raw_len, &raw));
    FUZZ_CHECK(raw.type == m->id.type && raw.raw == m->id.raw && raw.raw_len == m->id.raw_len);
    if (raw.type == RPC_ID_INT)
        FUZZ_CHECK(raw.num == m->id.num);
    FUZZ_CHECK(rpc_id_key(doc, &raw, &k2) == 0);
    FUZZ_CHECK(k1.len == k2.len && memcmp(k1.data, k2.data, k1.len) == 0);
    /* and an error reply carrying it is a valid error response */
    buf_reset(&k2);
    FUZZ_CHECK(rpc_write_error(&k2, m->id.raw, m->id.raw_len, RPC_DENIED, "denied \"\x01\"",
                               "{\"rule\":\"r\"}") == 0);
    FUZZ_CHECK(k2.len > 0 && k2.data[k2.len - 1] == '\n');
    FUZZ_CHECK(reparse_kind(k2.data, k2.len - 1) == RPC_ERROR);
    buf_cleanup(&k1);
    buf_cleanup(&k2);
}

static void classify_one(struct json_doc *doc, uint32_t node, struct buf *scratch)
{
    struct rpc_msg m;
    struct diag d = {0};
    int rc = rpc_classify(doc, node, &m, scratch, &d);
    if (rc < 0) {
        FUZZ_CHECK(rc == SE_ESHAPE);
        FUZZ_CHECK(d.msg[0] != '\0');
    } else {
        FUZZ_CHECK(m.kind >= RPC_REQUEST && m.kind <= RPC_ERROR);
        FUZZ_CHECK((m.kind == RPC_NOTIFICATION) == (m.id.type == RPC_ID_NONE));
        if (m.kind == RPC_REQUEST || m.kind == RPC_NOTIFICATION)
            FUZZ_CHECK(m.method_len > 0 && m.method_len <= RPC_MAX_METHOD_LEN);
        if (m.params)
            FUZZ_CHECK(doc->nodes[m.params].type == JSON_OBJECT);
        FUZZ_CHECK(m.kind != RPC_RESULT || (m.result != 0 && m.error == 0));
        FUZZ_CHECK(m.kind != RPC_ERROR || (m.error != 0 && m.result == 0));
    }
    if (m.id.type != RPC_ID_NONE)
        check_id(doc, &m);
}

static void check_filter(struct json_doc *doc, const uint8_t *data, size_t size, int classified,
                         enum rpc_kind kind)
{
    struct buf out;
    size_t dropped = 99, calls = 0;
    buf_init(&out, 1 << 22);
    int rc = mcp_filter_list(doc, "tools", "name", keep_no_x, &calls, &out, &dropped);
    if (doc->truncated) {
        FUZZ_CHECK(rc == SE_ELIMIT); /* fail closed */
        FUZZ_CHECK(out.len == 0);
    }
    if (rc < 0) {
        FUZZ_CHECK(rc == SE_ELIMIT);
        FUZZ_CHECK(out.len == 0);
        buf_cleanup(&out);
        return;
    }
    if (dropped == 0) {
        FUZZ_CHECK(out.len == 0);
        buf_cleanup(&out);
        return;
    }
    FUZZ_CHECK(out.len > 0 && out.len < size + 16);
    /* the rewrite parses, is the same kind of message, and has nothing left to drop */
    struct json_doc again;
    json_doc_init(&again, 0, 0);
    FUZZ_CHECK(json_parse(&again, out.data, out.len, MCP_LIST_INDEX_DEPTH, NULL) == 0);
    if (classified)
        FUZZ_CHECK(reparse_kind(out.data, out.len) == kind);
    struct buf out2;
    size_t dropped2 = 99, calls2 = 0;
    buf_init(&out2, 1 << 22);
    FUZZ_CHECK(mcp_filter_list(&again, "tools", "name", keep_no_x, &calls2, &out2, &dropped2) == 0);
    FUZZ_CHECK(dropped2 == 0 && out2.len == 0);
    uint32_t result = json_getz(&again, 0, "result");
    uint32_t tools = json_getz(&again, result, "tools");
    FUZZ_CHECK(tools != 0 && again.nodes[tools].nchild == calls2);
    /* text before the array is kept byte for byte, except a rewritten cacheScope */
    uint32_t scope = json_getz(&again, result, "cacheScope");
    if (scope == 0 || again.nodes[scope].start > again.nodes[tools].start)
        FUZZ_CHECK(memcmp(out.data, data, again.nodes[tools].start) == 0);
    else
        FUZZ_CHECK(json_str_eqz(&again, scope, "private"));
    buf_cleanup(&out2);
    json_doc_cleanup(&again);
    buf_cleanup(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct json_doc doc;
    struct buf scratch;
    json_doc_init(&doc, 32, 0);
    buf_init(&scratch, 1 << 20);

    /* as a client message or a server message is parsed */
    int rc = json_parse(&doc, text, size, 3, NULL);
    int classified = 0;
    enum rpc_kind kind = RPC_REQUEST;
    if (rc == 0) {
        if (doc.nodes[0].type == JSON_ARRAY) {
            for (uint32_t el = json_first(&doc, 0); el != 0; el = doc.nodes[el].next)
                classify_one(&doc, el, &scratch);
        } else {
            classify_one(&doc, 0, &scratch);
            struct rpc_msg m;
            classified = rpc_classify(&doc, 0, &m, &scratch, NULL) == 0;
            kind = m.kind;
        }
    } else {
        /* a refused message is answered with its recovered id, when there is one */
        size_t a, z;
        struct rpc_id id;
        if (json_recover_id(text, size, &a, &z) && rpc_id_from_raw(text + a, z - a, &id)) {
            struct buf out;
            buf_init(&out, 1 << 16);
            FUZZ_CHECK(rpc_write_error(&out, text + a, z - a, RPC_PARSE_ERROR, "parse", NULL) == 0);
            FUZZ_CHECK(reparse_kind(out.data, out.len - 1) == RPC_ERROR);
            buf_cleanup(&out);
        }
    }

    /* as a tools/list response is filtered: full node budget, then a tiny one */
    if (json_parse(&doc, text, size, MCP_LIST_INDEX_DEPTH, NULL) == 0)
        check_filter(&doc, data, size, classified, kind);
    json_doc_cleanup(&doc);
    json_doc_init(&doc, 32, 12);
    if (json_parse(&doc, text, size, MCP_LIST_INDEX_DEPTH, NULL) == 0)
        check_filter(&doc, data, size, classified, kind);

    buf_cleanup(&scratch);
    json_doc_cleanup(&doc);
    return 0;
}
