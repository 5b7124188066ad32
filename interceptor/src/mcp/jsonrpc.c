/*
 * jsonrpc.c - JSON-RPC envelope checks and error replies. This is where a message is
 * accepted as a request, notification or response, or refused with the reason; the
 * proxy never looks at raw members itself.
 */
#include "mcp/jsonrpc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define MAX_SAFE_INT 9007199254740991LL

static int read_id(struct json_doc *doc, uint32_t node, struct rpc_id *id, struct diag *d)
{
    const struct json_node *n = &doc->nodes[node];
    id->raw = doc->text + n->start;
    id->raw_len = n->end - n->start;
    if (n->type == JSON_STRING) {
        if (n->end - n->start - 2 > RPC_MAX_ID_LEN * 6)
            return diag_set(d, SE_ESHAPE, 0, 0, "id longer than %d bytes", RPC_MAX_ID_LEN);
        const char *p;
        size_t len;
        int rc = json_str(doc, node, &doc->scratch_b, &p, &len);
        if (rc < 0)
            return diag_set(d, SE_ESHAPE, 0, 0, "unreadable id");
        if (len > RPC_MAX_ID_LEN)
            return diag_set(d, SE_ESHAPE, 0, 0, "id longer than %d bytes", RPC_MAX_ID_LEN);
        id->type = RPC_ID_STR;
        return 0;
    }
    if (n->type == JSON_NUMBER) {
        int64_t v;
        if (!(n->flags & JSON_F_INTEGER))
            return diag_set(d, SE_ESHAPE, 0, 0, "id must be an integer or a string");
        if (json_int(doc, node, &v) < 0 || v > MAX_SAFE_INT || v < -MAX_SAFE_INT)
            return diag_set(d, SE_ESHAPE, 0, 0, "integer id outside +-(2^53 - 1)");
        if (v == 0 && doc->text[n->start] == '-')
            return diag_set(d, SE_ESHAPE, 0, 0, "id -0 is ambiguous");
        id->type = RPC_ID_INT;
        id->num = v;
        return 0;
    }
    if (n->type == JSON_NULL)
        return diag_set(d, SE_ESHAPE, 0, 0, "id must not be null");
    return diag_set(d, SE_ESHAPE, 0, 0, "id must be an integer or a string");
}

int rpc_classify(struct json_doc *doc, uint32_t root, struct rpc_msg *m, struct buf *scratch,
                 struct diag *d)
{
    memset(m, 0, sizeof(*m));
    if (root >= doc->count || doc->nodes[root].type != JSON_OBJECT)
        return diag_set(d, SE_ESHAPE, 0, 0, "message is not a JSON object");
    /* members past the node cap are not visible: a hidden "method" or "params" would
     * make us classify a different message than the peer reads */
    if (doc->nodes[root].flags & JSON_F_PARTIAL)
        return diag_set(d, SE_ESHAPE, 0, 0, "message has too many members to check");

    /* one pass over the members instead of a lookup per name (hot path) */
    uint32_t jv = 0, id = 0, method = 0;
    struct buf *kb = &doc->scratch_a;
    for (uint32_t c = json_first(doc, root); c != 0; c = doc->nodes[c].next) {
        const struct json_node *n = &doc->nodes[c];
        const char *k = doc->text + n->key_start;
        size_t kl = n->key_len;
        if (n->flags & JSON_F_KEY_ESCAPED) {
            buf_reset(kb);
            if (json_unescape(k, kl, kb) < 0)
                continue;
            k = kb->data ? kb->data : "";
            kl = kb->len;
        }
#define KEY_IS(lit) (kl == sizeof(lit) - 1 && memcmp(k, lit, kl) == 0)
        if (KEY_IS("id"))
            id = c;
        else if (KEY_IS("method"))
            method = c;
        else if (KEY_IS("params"))
            m->params = c;
        else if (KEY_IS("result"))
            m->result = c;
        else if (KEY_IS("jsonrpc"))
            jv = c;
        else if (KEY_IS("error"))
            m->error = c;
#undef KEY_IS
    }

    /* the id first, so that even a refused message can be answered with it */
    int id_rc = 0;
    if (id != 0) {
        id_rc = read_id(doc, id, &m->id, d);
        if (id_rc < 0)
            m->id.type = RPC_ID_NONE;
    }
    if (jv == 0 || !json_str_eqz(doc, jv, "2.0"))
        return diag_set(d, SE_ESHAPE, 0, 0, "\"jsonrpc\" must be \"2.0\"");
    if (id_rc < 0)
        return id_rc;

    if (method != 0) {
        if (doc->nodes[method].type != JSON_STRING)
            return diag_set(d, SE_ESHAPE, 0, 0, "\"method\" must be a string");
        if (m->result || m->error)
            return diag_set(d, SE_ESHAPE, 0, 0, "a request cannot carry result or error");
        if (json_str(doc, method, scratch, &m->method, &m->method_len) < 0)
            return diag_set(d, SE_ESHAPE, 0, 0, "unreadable method");
        if (m->method_len == 0 || m->method_len > RPC_MAX_METHOD_LEN)
            return diag_set(d, SE_ESHAPE, 0, 0, "method name empty or too long");
        if (m->params && doc->nodes[m->params].type != JSON_OBJECT)
            return diag_set(d, SE_ESHAPE, 0, 0, "\"params\" must be an object");
        m->kind = id ? RPC_REQUEST : RPC_NOTIFICATION;
        return 0;
    }
    if (m->params)
        return diag_set(d, SE_ESHAPE, 0, 0, "\"params\" without \"method\"");
    if (id == 0)
        return diag_set(d, SE_ESHAPE, 0, 0, "neither a request nor a response");
    if ((m->result != 0) == (m->error != 0))
        return diag_set(d, SE_ESHAPE, 0, 0, "a response needs exactly one of result and error");
    if (m->error) {
        uint32_t e = m->error, code, msg;
        if (doc->nodes[e].type != JSON_OBJECT || (code = json_getz(doc, e, "code")) == 0 ||
            doc->nodes[code].type != JSON_NUMBER ||
            !(doc->nodes[code].flags & JSON_F_INTEGER) ||
            (msg = json_getz(doc, e, "message")) == 0 || doc->nodes[msg].type != JSON_STRING)
            return diag_set(d, SE_ESHAPE, 0, 0,
                            "\"error\" must be an object with an integer code and a message");
        m->kind = RPC_ERROR;
    } else {
        m->kind = RPC_RESULT;
    }
    return 0;
}

int rpc_id_key(struct json_doc *doc, const struct rpc_id *id, struct buf *out)
{
    if (id->type == RPC_ID_INT) {
        /* hot path: no printf */
        char tmp[24];
        size_t n = sizeof(tmp);
        uint64_t v = id->num < 0 ? (uint64_t)0 - (uint64_t)id->num : (uint64_t)id->num;
        do {
            tmp[--n] = (char)('0' + v % 10);
            v /= 10;
        } while (v != 0);
        if (id->num < 0)
            tmp[--n] = '-';
        tmp[--n] = 'i';
        return buf_append(out, tmp + n, sizeof(tmp) - n);
    }
    if (id->type != RPC_ID_STR)
        return -EINVAL;
    int rc = buf_putc(out, 's');
    if (rc < 0)
        return rc;
    (void)doc;
    return json_unescape(id->raw + 1, id->raw_len - 2, out);
}

bool rpc_id_from_raw(const char *raw, size_t len, struct rpc_id *id)
{
    struct json_doc doc;
    struct diag d;
    bool ok = false;
    json_doc_init(&doc, 2, 4);
    if (json_parse(&doc, raw, len, 0, &d) == 0 && read_id(&doc, 0, id, &d) == 0)
        ok = true;
    json_doc_cleanup(&doc);
    return ok;
}

int rpc_write_error(struct buf *out, const char *id_raw, size_t id_len, int code,
                    const char *message, const char *data_json)
{
    /* an unknown id is left out, not null: MCP ids are never null, and the TypeScript
     * SDK refuses a response whose id is null */
    int rc = buf_append(out, "{\"jsonrpc\":\"2.0\",", 17);
    if (rc == 0 && id_raw != NULL) {
        rc = buf_append(out, "\"id\":", 5);
        rc = rc ? rc : buf_append(out, id_raw, id_len);
        rc = rc ? rc : buf_putc(out, ',');
    }
    if (rc == 0)
        rc = buf_printf(out, "\"error\":{\"code\":%d,\"message\":\"", code);
    if (rc == 0)
        rc = buf_json_escape(out, message, strlen(message));
    if (rc == 0)
        rc = buf_putc(out, '"');
    if (rc == 0 && data_json != NULL)
        rc = buf_printf(out, ",\"data\":%s", data_json);
    if (rc == 0)
        rc = buf_append(out, "}}\n", 3);
    return rc;
}
