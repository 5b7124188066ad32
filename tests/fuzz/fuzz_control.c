/*
 * fuzz_control.c - the control protocol (control/proto.c, control/auth.c) on hostile request
 * lines, the way the control server uses it: parse the envelope, check the session, check
 * the params, write the reply. Each input runs twice: as given, and with every "$SID"
 * replaced by a valid session id of the run, so the paths behind the session check are
 * reached too. Invariants: every reply is one line of strict JSON, an object holding the
 * id that was read (or null) and exactly one of result and error, the error code is the
 * one returned; only this run's id passes the check; accepted invalidate values are
 * 1..256 bytes without control characters.
 */
#include <string.h>
#include <time.h>

#include "control/auth.h"
#include "control/proto.h"
#include "fuzz.h"
#include "seal/key.h"
#include "seal/sid.h"

static const char KEY_TEXT[] =
    "sentinel-key v1 hmac-sha256 fuzz-1 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\n";

static struct seal_keyring keys;
static struct ctl_auth auth;
static struct ctl_proto proto;
static char own[SEAL_SID_BUF];
static uint64_t now;
static int ready;

static void setup(void)
{
    char err[256];
    FUZZ_CHECK(
        seal_keyring_parse(&keys, KEY_TEXT, sizeof(KEY_TEXT) - 1, "fuzz", err, sizeof(err)) == 0);
    now = (uint64_t)time(NULL);
    FUZZ_CHECK(seal_sid_mint(&keys.keys[0], now, 3600, own, sizeof(own)) == 0);
    FUZZ_CHECK(ctl_auth_init(&auth, &keys, own, now, err, sizeof(err)) == 0);
    ctl_proto_init(&proto);
    ready = 1;
}

/* The reply is one line of strict JSON: {"id": <id or null>, "result"|"error": {...}}. */
static void check_reply(const struct buf *out, const struct ctl_request *req, int code)
{
    FUZZ_CHECK(out->len > 1 && out->data[out->len - 1] == '\n');
    FUZZ_CHECK(memchr(out->data, '\n', out->len - 1) == NULL);
    struct json_doc doc;
    json_doc_init(&doc, 16, 0);
    FUZZ_CHECK(json_parse(&doc, out->data, out->len - 1, 2, NULL) == 0);
    FUZZ_CHECK(doc.nodes[0].type == JSON_OBJECT && doc.nodes[0].nchild == 2);
    uint32_t id = json_getz(&doc, 0, "id");
    FUZZ_CHECK(id != 0);
    const struct json_node *n = &doc.nodes[id];
    if (req->id == NULL) {
        FUZZ_CHECK(n->type == JSON_NULL);
    } else {
        FUZZ_CHECK(n->end - n->start == req->id_len);
        FUZZ_CHECK(memcmp(doc.text + n->start, req->id, req->id_len) == 0);
        FUZZ_CHECK(n->type == JSON_STRING ||
                   (n->type == JSON_NUMBER && (n->flags & JSON_F_INTEGER)));
    }
    if (code == 0) {
        uint32_t r = json_getz(&doc, 0, "result");
        FUZZ_CHECK(r != 0 && doc.nodes[r].type == JSON_OBJECT);
    } else {
        uint32_t e = json_getz(&doc, 0, "error");
        FUZZ_CHECK(e != 0 && doc.nodes[e].type == JSON_OBJECT);
        uint32_t c = json_getz(&doc, e, "code"), m = json_getz(&doc, e, "message");
        int64_t v = 0;
        FUZZ_CHECK(c != 0 && json_int(&doc, c, &v) == 0 && v == code);
        FUZZ_CHECK(m != 0 && doc.nodes[m].type == JSON_STRING);
    }
    json_doc_cleanup(&doc);
}

static void one(const char *line, size_t len)
{
    struct ctl_request req;
    struct buf out;
    char msg[320];
    buf_init(&out, 1u << 20);
    int rc = ctl_parse_request(&proto, line, len, &req, msg, sizeof(msg));
    if (rc == 0) {
        rc = ctl_auth_check(&auth, &req, now, msg, sizeof(msg));
        if (rc == 0) {
            /* only our own id passes */
            FUZZ_CHECK(req.session_state == CTL_SID_PRESENT);
            FUZZ_CHECK(req.session_len == strlen(own) &&
                       memcmp(req.session, own, req.session_len) == 0);
            rc = ctl_parse_params(&proto, &req, msg, sizeof(msg));
        } else {
            FUZZ_CHECK(rc <= CTL_E_SESSION_MISSING && rc >= CTL_E_SESSION_FOREIGN);
        }
    }
    if (rc == 0) {
        FUZZ_CHECK(req.method >= CTL_M_PING && req.method <= CTL_M_TRACK);
        if (req.method == CTL_M_TRACK) {
            FUZZ_CHECK(req.track != NULL && req.track_len >= CTL_TRACK_MIN &&
                       req.track_len <= CTL_TRACK_MAX);
            FUZZ_CHECK(req.nlabels <= CTL_LABELS_MAX);
            for (size_t i = 0; i < req.nlabels; i++) {
                size_t n = strlen(req.labels[i]);
                FUZZ_CHECK(n >= 1 && n <= 64);
                FUZZ_CHECK(strspn(req.labels[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                 "0123456789_.:-") == n);
            }
            ctl_proto_wipe(&proto);
        }
        if (req.method == CTL_M_INVALIDATE) {
            FUZZ_CHECK(req.inval_kind >= CTL_INVAL_REQUEST && req.inval_kind <= CTL_INVAL_SERVER);
            FUZZ_CHECK(req.value_len >= 1 && req.value_len <= CTL_VALUE_MAX);
            FUZZ_CHECK(strlen(req.value) == req.value_len);
            for (size_t i = 0; i < req.value_len; i++)
                FUZZ_CHECK((unsigned char)req.value[i] >= 0x20 && req.value[i] != 0x7f);
        }
        FUZZ_CHECK(ctl_write_result(&out, req.id, req.id_len, "\"pong\":true", 11) == 0);
    } else {
        FUZZ_CHECK(msg[0] != '\0');
        FUZZ_CHECK(ctl_write_error(&out, req.id, req.id_len, rc, msg) == 0);
    }
    check_reply(&out, &req, rc);
    buf_cleanup(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready)
        setup();
    if (size > CTL_LINE_MAX)
        return 0; /* the server never passes a longer line */
    one((const char *)data, size);

    /* again with "$SID" replaced by this run's id */
    const char *t = (const char *)data;
    if (memmem(t, size, "$SID", 4) == NULL)
        return 0;
    struct buf x;
    buf_init(&x, CTL_LINE_MAX * 2);
    size_t sl = strlen(own);
    for (size_t i = 0; i < size;) {
        if (i + 4 <= size && memcmp(t + i, "$SID", 4) == 0) {
            buf_append(&x, own, sl);
            i += 4;
        } else {
            buf_putc(&x, t[i++]);
        }
    }
    if (x.len <= CTL_LINE_MAX)
        one(x.data, x.len);
    buf_cleanup(&x);
    return 0;
}
