/*
 * fuzz_list.c - tool listings from a hostile server (guard_list): every definition pinned,
 * its input schema compiled, its text judged for poisoning (raw, then its strings unescaped
 * and folded as they read). The input, when it is JSON, is the tools/list response line; in
 * any case its bytes (made UTF-8) are also the description of one tool, and its halves (split
 * at the first NUL) the descriptions of two.
 *
 * Invariants: a valid line is answered with rc 0 or a documented refusal; the report is a
 * JSON object body (it parses inside braces); listing the same line again reports no change
 * (pins are stable) and blocks exactly as much as the first time did when nothing changed.
 */
#include <errno.h>
#include <string.h>

#include "base/buf.h"
#include "fuzz.h"
#include "fuzz_util.h"
#include "mcp/json.h"
#include "policy/policy.h"
#include "proxy/guard.h"
#include "proxy/pins.h"

#define RENEW 2000

static const char POLICY[] = "version: 1\n"
                             "default: allow\n"
                             "pins: block\n";

static struct guard *guard;
static struct policy *policy;
static unsigned uses;

static void setup(void)
{
    char err[256];
    struct diag d = {0};
    if (policy == NULL)
        FUZZ_CHECK(policy_load_text(POLICY, sizeof(POLICY) - 1, "fuzz.yaml", &policy, &d) == 0);
    guard_free(guard);
    struct guard_opts go = {0};
    FUZZ_CHECK(guard_new(&guard, &go, err, sizeof(err)) == 0);
    FUZZ_CHECK(guard_prepare(guard, policy, err, sizeof(err)) == 0);
    uses = 0;
}

static void list_twice(const char *line, size_t len)
{
    struct json_doc doc;
    json_doc_init(&doc, 0, 0);
    int prc = json_parse(&doc, line, len, JSON_DEFAULT_MAX_DEPTH, NULL);
    json_doc_cleanup(&doc);
    if (prc != 0)
        return;
    struct buf rep;
    buf_init(&rep, 1u << 24);
    struct guard_list_out lo;
    int rc = guard_list(guard, PIN_TOOL, "fuzz", line, len, true, true, false, &rep, &lo);
    bool blocked = lo.blocked;
    FUZZ_CHECK(rc == 0 || rc == -ENOMEM || rc == -E2BIG || rc == SE_ELIMIT || rc == SE_EPARSE ||
               rc == SE_EDEPTH);
    if (rc == 0) {
        /* the report is an object body */
        struct buf obj;
        buf_init(&obj, 1u << 25);
        buf_putc(&obj, '{');
        buf_append(&obj, rep.data ? rep.data : "", rep.len);
        buf_putc(&obj, '}');
        json_doc_init(&doc, 0, 0);
        FUZZ_CHECK(json_parse(&doc, obj.data, obj.len, JSON_DEFAULT_MAX_DEPTH, NULL) == 0);
        json_doc_cleanup(&doc);
        buf_cleanup(&obj);
        /* the same listing again: what blocked stays blocked, nothing new blocks */
        struct guard_list_out again;
        buf_reset(&rep);
        FUZZ_CHECK(
            guard_list(guard, PIN_TOOL, "fuzz", line, len, true, true, false, &rep, &again) == 0);
        FUZZ_CHECK(again.blocked == blocked);
    }
    buf_cleanup(&rep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (guard == NULL || uses++ >= RENEW)
        setup();
    list_twice((const char *)data, size);

    /* the input as one tool's description, and its halves as two tools' */
    const uint8_t *nul = memchr(data, 0, size);
    size_t half = nul ? (size_t)(nul - data) : size;
    struct buf line;
    buf_init(&line, 1u << 24);
    static const char head[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":["
                               "{\"name\":\"one\",\"inputSchema\":{\"type\":\"object\"},"
                               "\"description\":",
                      mid[] = "},{\"name\":\"two\",\"inputSchema\":{\"type\":\"object\"},"
                              "\"description\":";
    buf_append(&line, head, sizeof(head) - 1);
    fz_json_string(&line, data, half);
    buf_append(&line, mid, sizeof(mid) - 1);
    fz_json_string(&line, nul ? nul + 1 : data, nul ? size - half - 1 : 0);
    buf_append(&line, "}]}}", 4);
    list_twice(line.data, line.len);
    buf_cleanup(&line);
    return 0;
}
