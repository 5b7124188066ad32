/*
 * fuzz_result.c - result scanning (guard_scan_result) on hostile results: what a server
 * sends back, scanned for secrets, PII and instructions, values tracked, seams between
 * strings read. The input, when it is JSON, is the response line as it is; in any case its
 * bytes (made UTF-8) are also split at each NUL into text blocks of a well-formed result
 * (so the seams see the fuzzer's splits).
 *
 * Invariants: a valid line scans with rc 0; scores are at most 100; labels only with a
 * finding; the same line scanned again (without tracking) gives the same families, scores and
 * string count. And no sanitizer report on the way (the seams, the tracker fed by the scan).
 */
#include <string.h>

#include "base/buf.h"
#include "fuzz.h"
#include "fuzz_util.h"
#include "mcp/json.h"
#include "policy/policy.h"
#include "proxy/guard.h"

#define RENEW 5000

static const char POLICY[] = "version: 1\n"
                             "default: allow\n"
                             "taint:\n"
                             "  scan_results: true\n"
                             "  track_values: true\n";

static struct guard *guard;
static struct policy *policy;
static unsigned uses;
static uint64_t seq;

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

static void scan_twice(const char *line, size_t len)
{
    struct json_doc doc;
    json_doc_init(&doc, 0, 0);
    int prc = json_parse(&doc, line, len, JSON_DEFAULT_MAX_DEPTH, NULL);
    json_doc_cleanup(&doc);
    if (prc != 0)
        return;
    struct guard_scan a, b;
    seq++;
    int rc = guard_scan_result(guard, NULL, line, len, "result", true, "1", 1, "read", 4, "srv",
                               seq, seq, &a);
    FUZZ_CHECK(rc == 0);
    for (int i = 0; i < 8; i++)
        FUZZ_CHECK(a.max_score[i] <= 100);
    FUZZ_CHECK(labelset_empty(&a.labels) || a.families != 0);
    rc = guard_scan_result(guard, NULL, line, len, "result", false, "1", 1, "read", 4, "srv", seq,
                           seq, &b);
    FUZZ_CHECK(rc == 0);
    FUZZ_CHECK(a.families == b.families && a.strings == b.strings);
    for (int i = 0; i < 8; i++)
        FUZZ_CHECK(a.max_score[i] == b.max_score[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (guard == NULL || uses++ >= RENEW)
        setup();
    /* the input as a response line */
    scan_twice((const char *)data, size);

    /* the input as text blocks, split at NUL bytes */
    struct buf line;
    buf_init(&line, 1u << 24);
    buf_append(&line, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[", 45);
    size_t from = 0, blocks = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i < size && data[i] != 0)
            continue;
        if (blocks++ > 0)
            buf_putc(&line, ',');
        buf_append(&line, "{\"type\":\"text\",\"text\":", 22);
        fz_json_string(&line, data + from, i - from);
        buf_putc(&line, '}');
        from = i + 1;
    }
    buf_append(&line, "]}}", 3);
    scan_twice(line.data, line.len);
    buf_cleanup(&line);
    return 0;
}
