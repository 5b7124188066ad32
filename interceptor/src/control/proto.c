/*
 * proto.c - parsing control requests and writing control replies (docs/control.md).
 *
 * A request line is validated whole by the strict JSON parser, then its envelope is read
 * member by member: unknown members, wrong types and oversized values are refused with a
 * precise message. Pure: no I/O. It must never echo request bytes other than a validated
 * id, and never write a reply that is not valid JSON.
 */
#include "control/proto.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"

#define SCRATCH_MAX (CTL_LINE_MAX + 16)

void ctl_proto_init(struct ctl_proto *p)
{
    json_doc_init(&p->doc, CTL_MAX_DEPTH, CTL_MAX_NODES);
    buf_init(&p->scratch_sid, SEAL_SID_MAX + 16);
    buf_init(&p->scratch, SCRATCH_MAX);
}

void ctl_proto_cleanup(struct ctl_proto *p)
{
    json_doc_cleanup(&p->doc);
    buf_cleanup(&p->scratch_sid);
    buf_cleanup(&p->scratch);
}

void ctl_proto_wipe(struct ctl_proto *p)
{
    if (p->scratch.data != NULL)
        explicit_bzero(p->scratch.data, p->scratch.cap);
}

const char *ctl_method_name(int method)
{
    switch (method) {
    case CTL_M_PING:
        return "ping";
    case CTL_M_STATUS:
        return "status";
    case CTL_M_INVALIDATE:
        return "invalidate";
    case CTL_M_TRACK:
        return "track";
    default:
        return "?";
    }
}

const char *ctl_inval_name(int kind)
{
    switch (kind) {
    case CTL_INVAL_REQUEST:
        return "request";
    case CTL_INVAL_TOOL:
        return "tool";
    case CTL_INVAL_SERVER:
        return "server";
    default:
        return "?";
    }
}

/* Is the (possibly escaped) member name of node n exactly `name`? */
static bool key_is(struct ctl_proto *p, uint32_t n, const char *name)
{
    const struct json_node *x = &p->doc.nodes[n];
    size_t nl = strlen(name);
    const char *k = p->doc.text + x->key_start;
    if (!(x->flags & JSON_F_KEY_ESCAPED))
        return x->key_len == nl && memcmp(k, name, nl) == 0;
    buf_reset(&p->scratch);
    if (json_unescape(k, x->key_len, &p->scratch) < 0)
        return false;
    return p->scratch.len == nl && memcmp(p->scratch.data, name, nl) == 0;
}

/* An integer node a JavaScript peer reads exactly: no fraction or exponent, not -0,
 * |v| <= 2^53 - 1. */
static bool safe_integer(const struct json_doc *doc, uint32_t n)
{
    const struct json_node *x = &doc->nodes[n];
    int64_t v;
    if (x->type != JSON_NUMBER || !(x->flags & JSON_F_INTEGER))
        return false;
    if (x->end - x->start == 2 && memcmp(doc->text + x->start, "-0", 2) == 0)
        return false;
    if (json_int(doc, n, &v) < 0)
        return false;
    return v <= CTL_MAX_SAFE_INT && v >= -CTL_MAX_SAFE_INT;
}

static bool read_id(struct ctl_proto *p, uint32_t n, struct ctl_request *req)
{
    const struct json_node *x = &p->doc.nodes[n];
    size_t raw = x->end - x->start;
    if (x->type == JSON_STRING ? raw > CTL_ID_MAX : !safe_integer(&p->doc, n))
        return false;
    req->id = p->doc.text + x->start;
    req->id_len = raw;
    return true;
}

int ctl_parse_request(struct ctl_proto *p, const char *line, size_t len, struct ctl_request *req,
                      char *msg, size_t msglen)
{
    memset(req, 0, sizeof(*req));
    if (len > CTL_LINE_MAX)
        return err_set(msg, msglen, CTL_E_REQUEST, "request longer than %d bytes", CTL_LINE_MAX);
    struct diag d = {0};
    int rc = json_parse(&p->doc, line, len, 2, &d);
    if (rc == -ENOMEM)
        return err_set(msg, msglen, CTL_E_INTERNAL, "out of memory");
    if (rc < 0)
        return err_set(msg, msglen, CTL_E_PARSE, "invalid JSON at byte %u: %s", d.col, d.msg);
    struct json_doc *doc = &p->doc;
    if (doc->nodes[0].type != JSON_OBJECT)
        return err_set(msg, msglen, CTL_E_REQUEST, "a request is a JSON object");
    if (doc->truncated)
        return err_set(msg, msglen, CTL_E_REQUEST, "a request holds at most %d values", CTL_MAX_NODES);

    uint32_t id = 0, session = 0, method = 0, params = 0;
    bool unknown = false;
    for (uint32_t c = json_first(doc, 0); c != 0; c = doc->nodes[c].next) {
        if (key_is(p, c, "id"))
            id = c;
        else if (key_is(p, c, "session"))
            session = c;
        else if (key_is(p, c, "method"))
            method = c;
        else if (key_is(p, c, "params"))
            params = c;
        else
            unknown = true;
    }
    bool id_ok = id != 0 && read_id(p, id, req); /* first: every later error carries it */
    if (unknown)
        return err_set(msg, msglen, CTL_E_REQUEST,
                    "unknown member: a request has only id, session, method and params");
    if (id == 0)
        return err_set(msg, msglen, CTL_E_REQUEST, "a request needs an \"id\" (integer or string)");
    if (!id_ok)
        return err_set(msg, msglen, CTL_E_REQUEST,
                    "\"id\" must be an integer of magnitude at most 2^53-1 (no fraction, "
                    "exponent or -0) or a string of at most %d bytes",
                    CTL_ID_MAX - 2);
    if (method == 0)
        return err_set(msg, msglen, CTL_E_REQUEST, "a request needs a \"method\" (string)");
    if (doc->nodes[method].type != JSON_STRING)
        return err_set(msg, msglen, CTL_E_REQUEST, "\"method\" must be a string");
    if (params != 0) {
        if (doc->nodes[params].type != JSON_OBJECT)
            return err_set(msg, msglen, CTL_E_REQUEST, "\"params\" must be an object");
        req->params = params;
    }

    const char *s;
    size_t n;
    buf_reset(&p->scratch);
    if (json_str(doc, method, &p->scratch, &s, &n) < 0)
        return err_set(msg, msglen, CTL_E_INTERNAL, "cannot read the method");
    static const int methods[] = {CTL_M_PING, CTL_M_STATUS, CTL_M_INVALIDATE, CTL_M_TRACK};
    for (size_t i = 0; n <= CTL_METHOD_MAX && i < sizeof(methods) / sizeof(methods[0]); i++) {
        const char *name = ctl_method_name(methods[i]);
        if (n == strlen(name) && memcmp(s, name, n) == 0)
            req->method = methods[i];
    }

    if (session == 0) {
        req->session_state = CTL_SID_ABSENT;
    } else if (doc->nodes[session].type != JSON_STRING) {
        req->session_state = CTL_SID_NOT_STRING;
    } else {
        req->session_state = CTL_SID_PRESENT;
        const struct json_node *x = &doc->nodes[session];
        size_t raw = x->end - x->start - 2;
        buf_reset(&p->scratch_sid);
        if (raw > SEAL_SID_MAX * 6) { /* too long whatever its escapes: verify says so */
            req->session = doc->text + x->start + 1;
            req->session_len = raw;
        } else if (json_str(doc, session, &p->scratch_sid, &req->session, &req->session_len) < 0) {
            req->session = doc->text + x->start + 1;
            req->session_len = raw;
        }
    }
    return 0;
}

/* A value an operator names: 1..CTL_VALUE_MAX bytes, no C0/C1 control characters or DEL,
 * no leading or trailing blank (an invalidations-file line could not carry them). */
static const char *check_value(const char *s, size_t n)
{
    if (n == 0)
        return "is empty";
    if (n > CTL_VALUE_MAX)
        return "is longer than 256 bytes";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return "holds a control character";
        if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] <= 0x9f)
            return "holds a control character"; /* U+0080..U+009F */
    }
    if (s[0] == ' ' || s[n - 1] == ' ')
        return "has a leading or trailing blank";
    return NULL;
}

/* track: {"value": "...", "labels": ["secret", ...]} */
static int parse_track(struct ctl_proto *p, struct ctl_request *req, char *msg, size_t msglen)
{
    struct json_doc *doc = &p->doc;
    static const char usage[] =
        "track takes params {\"value\": STRING, \"labels\": [LABEL, ...]} (labels optional)";
    uint32_t value = 0, labels = 0;
    req->nlabels = 0;
    if (req->params == 0)
        return err_set(msg, msglen, CTL_E_PARAMS, usage);
    for (uint32_t c = json_first(doc, req->params); c != 0; c = doc->nodes[c].next) {
        if (key_is(p, c, "value") && value == 0)
            value = c;
        else if (key_is(p, c, "labels") && labels == 0)
            labels = c;
        else
            return err_set(msg, msglen, CTL_E_PARAMS, usage);
    }
    if (value == 0 || doc->nodes[value].type != JSON_STRING)
        return err_set(msg, msglen, CTL_E_PARAMS, "params.value must be a string");
    if (labels != 0) {
        /* the request is indexed two levels deep: read the list's elements on their own */
        const struct json_node *l = &doc->nodes[labels];
        static const char bad[] = "params.labels must be a list of 1 to 8 label names, each "
                                  "1 to 64 characters of A-Z a-z 0-9 _ . : -";
        if (l->type != JSON_ARRAY || l->nchild == 0 || l->nchild > CTL_LABELS_MAX)
            return err_set(msg, msglen, CTL_E_PARAMS, bad);
        struct json_doc ld;
        struct diag d = {0};
        json_doc_init(&ld, 2, 2 * CTL_LABELS_MAX + 2);
        int rc = json_parse(&ld, doc->text + l->start, l->end - l->start, 1, &d) < 0 ? -1 : 0;
        for (uint32_t e = rc == 0 ? json_first(&ld, 0) : 0; e != 0 && rc == 0;
             e = ld.nodes[e].next) {
            const char *s;
            size_t n;
            buf_reset(&p->scratch);
            if (ld.nodes[e].type != JSON_STRING || json_str(&ld, e, &p->scratch, &s, &n) < 0 ||
                n == 0 || n > 64 || req->nlabels == CTL_LABELS_MAX) {
                rc = -1;
                break;
            }
            for (size_t i = 0; i < n && rc == 0; i++)
                if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-",
                           s[i]) == NULL || s[i] == '\0')
                    rc = -1;
            if (rc == 0) {
                memcpy(req->labels[req->nlabels], s, n);
                req->labels[req->nlabels++][n] = '\0';
            }
        }
        json_doc_cleanup(&ld);
        if (rc < 0 || req->nlabels == 0)
            return err_set(msg, msglen, CTL_E_PARAMS, bad);
    }
    buf_reset(&p->scratch);
    if (json_str(doc, value, &p->scratch, &req->track, &req->track_len) < 0)
        return err_set(msg, msglen, CTL_E_INTERNAL, "cannot read params.value");
    if (req->track_len < CTL_TRACK_MIN || req->track_len > CTL_TRACK_MAX)
        return err_set(msg, msglen, CTL_E_PARAMS,
                       "params.value must be %d to %d bytes: shorter would match noise",
                       CTL_TRACK_MIN, CTL_TRACK_MAX);
    return 0;
}

int ctl_parse_params(struct ctl_proto *p, struct ctl_request *req, char *msg, size_t msglen)
{
    struct json_doc *doc = &p->doc;
    if (req->method == CTL_M_UNKNOWN)
        return err_set(msg, msglen, CTL_E_METHOD,
                    "unknown method (the methods are ping, status, invalidate and track)");
    if (req->method == CTL_M_TRACK)
        return parse_track(p, req, msg, msglen);
    if (req->method != CTL_M_INVALIDATE) {
        if (req->params != 0 && doc->nodes[req->params].nchild > 0)
            return err_set(msg, msglen, CTL_E_PARAMS, "%s takes no params",
                        ctl_method_name(req->method));
        return 0;
    }
    static const char usage[] =
        "invalidate takes params with exactly one of \"request\", \"tool\" or \"server\"";
    if (req->params == 0 || doc->nodes[req->params].nchild != 1)
        return err_set(msg, msglen, CTL_E_PARAMS, usage);
    uint32_t c = json_first(doc, req->params);
    if (c == 0)
        return err_set(msg, msglen, CTL_E_PARAMS, usage);
    int kind = 0;
    static const int kinds[] = {CTL_INVAL_REQUEST, CTL_INVAL_TOOL, CTL_INVAL_SERVER};
    for (size_t i = 0; i < 3 && kind == 0; i++)
        if (key_is(p, c, ctl_inval_name(kinds[i])))
            kind = kinds[i];
    if (kind == 0)
        return err_set(msg, msglen, CTL_E_PARAMS, usage);
    const struct json_node *x = &doc->nodes[c];
    const char *s;
    size_t n;
    if (kind == CTL_INVAL_REQUEST && x->type == JSON_NUMBER) {
        if (!safe_integer(doc, c))
            return err_set(msg, msglen, CTL_E_PARAMS,
                        "params.request must be a request id: an integer of magnitude at most "
                        "2^53-1, or a string");
        s = doc->text + x->start;
        n = x->end - x->start;
    } else if (x->type != JSON_STRING) {
        return err_set(msg, msglen, CTL_E_PARAMS, "params.%s must be a string%s", ctl_inval_name(kind),
                    kind == CTL_INVAL_REQUEST ? " or an integer" : "");
    } else {
        buf_reset(&p->scratch);
        if (x->end - x->start - 2 > CTL_VALUE_MAX * 6)
            return err_set(msg, msglen, CTL_E_PARAMS, "params.%s is longer than %d bytes",
                        ctl_inval_name(kind), CTL_VALUE_MAX);
        if (json_str(doc, c, &p->scratch, &s, &n) < 0)
            return err_set(msg, msglen, CTL_E_INTERNAL, "cannot read params.%s", ctl_inval_name(kind));
    }
    const char *why = check_value(s, n);
    if (why != NULL)
        return err_set(msg, msglen, CTL_E_PARAMS, "params.%s %s", ctl_inval_name(kind), why);
    req->inval_kind = kind;
    memcpy(req->value, s, n);
    req->value[n] = '\0';
    req->value_len = n;
    return 0;
}

static int put_id(struct buf *out, const char *id, size_t id_len)
{
    int rc = buf_append(out, "{\"id\":", 6);
    if (rc == 0)
        rc = id != NULL ? buf_append(out, id, id_len) : buf_append(out, "null", 4);
    return rc;
}

int ctl_write_result(struct buf *out, const char *id, size_t id_len, const char *body,
                     size_t body_len)
{
    size_t mark = out->len;
    int rc = put_id(out, id, id_len);
    if (rc == 0)
        rc = buf_append(out, ",\"result\":{", 11);
    if (rc == 0)
        rc = buf_append(out, body, body_len);
    if (rc == 0)
        rc = buf_append(out, "}}\n", 3);
    if (rc < 0)
        out->len = mark;
    return rc;
}

int ctl_write_error(struct buf *out, const char *id, size_t id_len, int code, const char *msg)
{
    size_t mark = out->len;
    char clean[512];
    size_t n = 0;
    for (const char *m = msg ? msg : ""; *m != '\0' && n + 1 < sizeof(clean); m++) {
        unsigned char c = (unsigned char)*m;
        clean[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    clean[n] = '\0';
    int rc = put_id(out, id, id_len);
    if (rc == 0)
        rc = buf_printf(out, ",\"error\":{\"code\":%d,\"message\":\"", code);
    if (rc == 0)
        rc = buf_json_escape(out, clean, n);
    if (rc == 0)
        rc = buf_append(out, "\"}}\n", 4);
    if (rc < 0)
        out->len = mark;
    return rc;
}
