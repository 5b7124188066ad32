/*
 * spotlight_bench.c - what spotlighting costs per mode (delimit, datamark, encode): MB/s of
 * response bytes through spotlight_rewrite (parse + rewrite) for one 10 MiB text block, for
 * one response of 10,000 blocks of 1 KiB, and for 10,000 small responses of 200 bytes (the
 * per-response cost: parse, CSPRNG markers, splice), and through spotlight_rewrite_doc on a
 * document parsed beforehand (what the data path pays, as it parses every line anyway).
 * json_parse and memcpy of the same bytes are printed as the floor. Times are this thread's
 * CPU time, median of the rounds. Prints a table and one JSON line; its exit status never
 * depends on a timing, only on every output parsing (docs/performance.md has the targets).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "mcp/json.h"
#include "mcp/spotlight.h"

#define MAX_ROUNDS 51

struct opts {
    bool smoke;
    unsigned rounds;
};

struct input {
    const char *name;
    struct buf line; /* one response, or `count` of them back to back */
    size_t count;    /* responses */
    size_t each;     /* bytes per response */
};

/* CPU time of this thread: on a shared 2-core VM, time spent preempted is not ours. */
static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Text a file or a web page might be as a JSON string body: prose in lines of about 70
 * characters ("\n" escapes), some quotes, a few accented letters and dashes. */
static int gen_text(struct buf *b, size_t n, uint32_t seed)
{
    static const char *const words[] = {
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "it",
        "as",
        "was",
        "with",
        "be",
        "by",
        "on",
        "not",
        "he",
        "this",
        "are",
        "or",
        "his",
        "from",
        "at",
        "which",
        "but",
        "have",
        "an",
        "had",
        "they",
        "you",
        "were",
        "their",
        "one",
        "all",
        "we",
        "function",
        "server",
        "request",
        "response",
        "configuration",
        "network",
        "value",
        "\\\"quoted\\\"",
        "caf\xC3\xA9",
        "na\xC3\xAFve",
        "\xE2\x80\x94",
        "data,",
        "result.",
        "(see",
        "below)",
        "x<y",
        "2^10",
        "path/to/file",
        "user@example.com",
    };
    const size_t nw = sizeof(words) / sizeof(words[0]);
    size_t col = 0;
    while (b->len < n) {
        seed = seed * 1103515245u + 12345u;
        const char *w = words[(seed >> 8) % nw];
        size_t wl = strlen(w);
        if (buf_append(b, w, wl) < 0)
            return -1;
        col += wl + 1;
        if (col > 70) {
            if (buf_append(b, "\\n", 2) < 0)
                return -1;
            col = 0;
        } else if (buf_putc(b, ' ') < 0) {
            return -1;
        }
    }
    /* end on a whole escape: cut back to the last space or "\n" */
    while (b->len > 0 && b->data[b->len - 1] != ' ' && b->data[b->len - 1] != 'n')
        b->len--;
    return 0;
}

static int gen_one_block(struct input *in, size_t text_bytes)
{
    struct buf t;
    buf_init(&t, text_bytes + 256);
    int rc = gen_text(&t, text_bytes, 1);
    rc = rc ? rc
            : buf_printf(&in->line, "{\"jsonrpc\":\"2.0\",\"id\":42,\"result\":{\"content\":["
                                    "{\"type\":\"text\",\"text\":\"");
    rc = rc ? rc : buf_append(&in->line, t.data, t.len);
    rc = rc ? rc : buf_printf(&in->line, "\"}],\"isError\":false}}");
    buf_cleanup(&t);
    in->count = 1;
    in->each = in->line.len;
    return rc;
}

static int gen_many_blocks(struct input *in, size_t blocks, size_t block_bytes)
{
    struct buf t;
    buf_init(&t, block_bytes + 256);
    int rc = buf_printf(&in->line, "{\"jsonrpc\":\"2.0\",\"id\":42,\"result\":{\"content\":[");
    for (size_t i = 0; i < blocks && rc == 0; i++) {
        buf_reset(&t);
        rc = gen_text(&t, block_bytes, (uint32_t)i + 7);
        rc = rc ? rc : buf_printf(&in->line, "%s{\"type\":\"text\",\"text\":\"", i ? "," : "");
        rc = rc ? rc : buf_append(&in->line, t.data, t.len);
        rc = rc ? rc : buf_append(&in->line, "\"}", 2);
    }
    rc = rc ? rc : buf_printf(&in->line, "]}}");
    buf_cleanup(&t);
    in->count = 1;
    in->each = in->line.len;
    return rc;
}

static int gen_small_responses(struct input *in, size_t count, size_t text_bytes)
{
    struct buf t;
    buf_init(&t, text_bytes + 256);
    int rc = gen_text(&t, text_bytes, 3);
    for (size_t i = 0; i < count && rc == 0; i++) {
        rc = buf_printf(&in->line,
                        "{\"jsonrpc\":\"2.0\",\"id\":\"r%06zu\",\"result\":{\"content\":["
                        "{\"type\":\"text\",\"text\":\"",
                        i);
        rc = rc ? rc : buf_append(&in->line, t.data, t.len);
        rc = rc ? rc : buf_printf(&in->line, "\"}]}}");
        if (i == 0)
            in->each = in->line.len;
    }
    buf_cleanup(&t);
    in->count = count;
    return rc;
}

/* Operations: the two floors, then each mode through spotlight_rewrite (parse included),
 * then each mode through spotlight_rewrite_doc on a document parsed before the clock starts
 * (what the data path pays, as it parses every line anyway; single responses only). */
enum { OP_MEMCPY = -2, OP_PARSE = -1, OP_DOC = 8 };

static const char *op_name(int op)
{
    static const char *const doc_names[] = {"", "delimit, parsed", "datamark, parsed",
                                            "encode, parsed"};
    if (op >= OP_DOC)
        return doc_names[op - OP_DOC];
    return op == OP_MEMCPY ? "memcpy" : op == OP_PARSE ? "json_parse" : spotlight_mode_name(op);
}

/* One pass over the input with `op`; false when an output does not parse. */
static bool one_pass(const struct input *in, int op, struct json_doc *doc, struct json_doc *check,
                     struct buf *out, bool verify, size_t *out_bytes)
{
    struct spotlight_opts o = {.mode = (enum spotlight_mode)(op < 0 ? 0 : op % OP_DOC)};
    *out_bytes = 0;
    for (size_t k = 0; k < in->count; k++) {
        const char *line = in->line.data + k * in->each;
        buf_reset(out);
        if (op == OP_MEMCPY) {
            if (buf_append(out, line, in->each) < 0)
                return false;
        } else if (op == OP_PARSE) {
            if (json_parse(doc, line, in->each, SPOTLIGHT_INDEX_DEPTH, NULL) < 0)
                return false;
        } else if (op >= OP_DOC) {
            /* the caller parsed it already (see bench()) */
            if (spotlight_rewrite_doc(&o, doc, out, NULL) != 1)
                return false;
            if (verify && json_parse(check, out->data, out->len, 4, NULL) < 0)
                return false;
        } else {
            if (spotlight_rewrite(&o, doc, line, in->each, out, NULL) != 1)
                return false;
            if (verify && json_parse(check, out->data, out->len, 4, NULL) < 0)
                return false;
        }
        *out_bytes += out->len;
    }
    return true;
}

struct result {
    const char *input;
    const char *op;
    double mbps, mbps_max, growth;
};

static struct result results[32];
static unsigned nresults;

static int bench(const struct opts *o, const struct input *in, int op)
{
    struct json_doc doc, check;
    struct buf out;
    json_doc_init(&doc, 0, 0);
    json_doc_init(&check, 0, 0);
    buf_init(&out, 512u << 20);
    size_t total = in->count * in->each, out_bytes = 0;
    int rc = 0;
    if (op >= OP_DOC && (in->count != 1 || json_parse(&doc, in->line.data, in->each,
                                                      SPOTLIGHT_INDEX_DEPTH, NULL) < 0)) {
        rc = in->count == 1 ? -1 : 0;
        goto out;
    }
    /* the first pass checks every output and warms the buffers */
    if (!one_pass(in, op, &doc, &check, &out, true, &out_bytes)) {
        fprintf(stderr, "spotlight_bench: %s / %s: an output did not parse\n", in->name,
                op_name(op));
        rc = -1;
        goto out;
    }
    double samples[MAX_ROUNDS];
    unsigned rounds = o->smoke ? 1 : o->rounds;
    for (unsigned r = 0; r < rounds; r++) {
        double t0 = now_ns();
        one_pass(in, op, &doc, &check, &out, false, &out_bytes);
        samples[r] = now_ns() - t0;
    }
    qsort(samples, rounds, sizeof(samples[0]), cmp_double);
    struct result *res = &results[nresults++];
    res->input = in->name;
    res->op = op_name(op);
    res->mbps = (double)total / (samples[rounds / 2] / 1e9) / 1e6;
    res->mbps_max = (double)total / (samples[0] / 1e9) / 1e6;
    res->growth = op >= 0 ? (double)out_bytes / (double)total : 1.0;
out:
    json_doc_cleanup(&doc);
    json_doc_cleanup(&check);
    buf_cleanup(&out);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: spotlight_bench [--smoke] [--rounds N]\n"
               "  --smoke     small inputs, one round: checks that every output parses\n"
               "  --rounds N  timed passes per case, the median is reported (default 11)\n");
}

int main(int argc, char **argv)
{
    struct opts o = {.rounds = 11};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--smoke") == 0) {
            o.smoke = true;
        } else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            o.rounds = (unsigned)strtoul(argv[++i], NULL, 10);
            if (o.rounds == 0 || o.rounds > MAX_ROUNDS)
                o.rounds = 11;
        } else {
            usage(strcmp(argv[i], "--help") == 0 ? stdout : stderr);
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    size_t big = o.smoke ? 64u << 10 : 10u << 20;
    struct input inputs[3] = {
        {.name = o.smoke ? "one 64 KiB block" : "one 10 MiB block"},
        {.name = o.smoke ? "64 blocks of 1 KiB" : "10,000 blocks of 1 KiB"},
        {.name = o.smoke ? "64 responses of 200 B" : "10,000 responses of 200 B"},
    };
    for (int i = 0; i < 3; i++)
        buf_init(&inputs[i].line, SIZE_MAX / 2);
    if (gen_one_block(&inputs[0], big) < 0 ||
        gen_many_blocks(&inputs[1], o.smoke ? 64 : 10000, 1024) < 0 ||
        gen_small_responses(&inputs[2], o.smoke ? 64 : 10000, 120) < 0) {
        fprintf(stderr, "spotlight_bench: out of memory\n");
        return 1;
    }
    int rc = 0;
    static const int ops[] = {OP_MEMCPY,
                              OP_PARSE,
                              SPOTLIGHT_DELIMIT,
                              SPOTLIGHT_DATAMARK,
                              SPOTLIGHT_ENCODE,
                              OP_DOC + SPOTLIGHT_DELIMIT,
                              OP_DOC + SPOTLIGHT_DATAMARK,
                              OP_DOC + SPOTLIGHT_ENCODE};
    for (int i = 0; i < 3 && rc == 0; i++)
        for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]) && rc == 0; k++)
            rc = bench(&o, &inputs[i], ops[k]);
    if (rc == 0) {
        printf("| input | operation | MB/s (median) | MB/s (best) | output / input |\n");
        printf("|---|---|---:|---:|---:|\n");
        for (unsigned i = 0; i < nresults; i++)
            printf("| %s | %s | %.0f | %.0f | %.2f |\n", results[i].input, results[i].op,
                   results[i].mbps, results[i].mbps_max, results[i].growth);
        printf("{\"bench\":\"spotlight\",\"smoke\":%s,\"rounds\":%u,\"rows\":[",
               o.smoke ? "true" : "false", o.smoke ? 1 : o.rounds);
        for (unsigned i = 0; i < nresults; i++)
            printf("%s{\"input\":\"%s\",\"op\":\"%s\",\"mbps\":%.1f,\"mbps_best\":%.1f,"
                   "\"growth\":%.3f}",
                   i ? "," : "", results[i].input, results[i].op, results[i].mbps,
                   results[i].mbps_max, results[i].growth);
        printf("]}\n");
    }
    for (int i = 0; i < 3; i++)
        buf_cleanup(&inputs[i].line);
    return rc == 0 ? 0 : 1;
}
