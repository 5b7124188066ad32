/*
 * policy_bench.c - what one policy decision costs as the policy grows: 10, 1,000 and 10,000
 * rules (mostly literal tool names, some prefixes and suffixes, a few wildcards), for a name
 * the first rule decides, one the last rule decides and one no rule matches, through the index
 * (policy_eval) and through the linear walk (policy_eval_linear). Also the realistic 200-rule
 * policy of bench/policies with the echo server's tool. Prints a table, the ratios the target
 * is about, and one JSON line; its exit status never depends on a timing, only on the two walks
 * agreeing (docs/performance.md has the targets and the figures).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "policy/policy.h"

#define MAX_ROWS 32
#define MAX_ROUNDS 101

struct opts {
    double batch_ms;       /* one timed batch lasts about this long */
    unsigned rounds;       /* batches per case; the median is reported */
    const char *realistic; /* path of the 200-rule policy, or NULL */
    const char *realistic_name;
};

/* One policy and one query, timed both ways. */
struct row {
    char policy[48];
    const struct policy *p;
    size_t nrules;
    const char *query;
    char name[48];
    double load_ms;
    char rule_id[48]; /* copied: the policy is freed before the table is printed */
    uint64_t iters[2];
    double samples[2][MAX_ROUNDS];
    double ns[2], ns_min[2]; /* [0] linear, [1] indexed */
};

static struct row rows[MAX_ROWS];
static unsigned nrows;
static volatile uintptr_t sink; /* keeps the decisions from being optimised away */

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/*
 * A policy of n rules, in the proportions of a large real one: 15% namespace prefixes
 * (`ns12_*`), 4% suffixes (`*_x7`), `wild` unanchored wildcards spread through it (`*dbg3*`,
 * `?tmp3*`), and literal tool names for the rest (one to three per rule), alternating deny and
 * allow. Rule 0 and rule n-1 are literal: `t0_read` and `t<n-1>_read` decide the early and the
 * late query. Nothing matches `zz_unknown_tool`.
 */
static int gen_policy(struct buf *y, size_t n, size_t wild)
{
    static const char *const verbs[] = {"read", "write", "list", "delete"};
    buf_reset(y);
    buf_printf(y, "version: 1\nname: bench-%zu\ndefault: deny\nrules:\n", n);
    for (size_t i = 0; i < n; i++) {
        const char *effect = i % 2 ? "allow" : "deny";
        size_t w = wild ? n / wild : 0;
        buf_printf(y, "  - id: r%zu\n    effect: %s\n    tools: [", i, effect);
        if (i == 0 || i == n - 1)
            buf_printf(y, "t%zu_read", i);
        else if (w > 0 && i % w == w / 2)
            buf_printf(y, "\"%s%zu*\"", (i / w) % 2 ? "?tmp" : "*dbg", i);
        else if (i * 37 % 100 < 15) /* spread through the policy, not in runs */
            buf_printf(y, "\"ns%zu_*\"", i);
        else if (i * 37 % 100 < 19)
            buf_printf(y, "\"*_x%zu\"", i);
        else
            for (size_t k = 0; k <= i % 3; k++)
                buf_printf(y, "%st%zu_%s", k ? ", " : "", i, verbs[k]);
        buf_printf(y, "]\n");
    }
    return buf_putc(y, '\0');
}

/* ns per decision of one batch of `iters` decisions. */
static double run_batch(const struct row *r, bool indexed, uint64_t iters)
{
    struct policy_request q = {
        .method = PM_TOOLS_CALL, .name = r->name, .name_len = strlen(r->name)};
    struct decision d;
    double t0 = now_ns();
    for (uint64_t i = 0; i < iters; i++) {
        if (indexed)
            policy_eval(r->p, &q, &d);
        else
            policy_eval_linear(r->p, &q, &d);
        sink += (uintptr_t)d.rule;
    }
    return (now_ns() - t0) / (double)iters;
}

/* Iterations for a batch of about batch_ms. */
static uint64_t calibrate(const struct opts *o, const struct row *r, bool indexed)
{
    uint64_t iters = 1;
    for (;;) {
        double ns = run_batch(r, indexed, iters) * (double)iters;
        if (ns >= o->batch_ms * 1e5 || iters >= (1ull << 40))
            return iters * 10;
        iters *= 2;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/*
 * Every case gets one batch per round, the cases interleaved, so that a slow spell of the
 * VM (they last seconds and halve the speed here) lands on all of them alike.
 */
static void run_rounds(const struct opts *o)
{
    for (unsigned i = 0; i < nrows; i++)
        for (int m = 0; m < 2; m++)
            rows[i].iters[m] = calibrate(o, &rows[i], m);
    for (unsigned k = 0; k < o->rounds; k++)
        for (unsigned i = 0; i < nrows; i++)
            for (int m = 0; m < 2; m++)
                rows[i].samples[m][k] = run_batch(&rows[i], m, rows[i].iters[m]);
    for (unsigned i = 0; i < nrows; i++)
        for (int m = 0; m < 2; m++) {
            double *s = rows[i].samples[m];
            unsigned n = o->rounds;
            qsort(s, n, sizeof(*s), cmp_double);
            rows[i].ns[m] = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
            rows[i].ns_min[m] = s[0];
        }
}

/* Add a case; -1 when the two walks disagree (a bug, not a slow run). */
static int add_row(const char *label, const struct policy *p, double load_ms, const char *query,
                   const char *name)
{
    struct policy_request q = {.method = PM_TOOLS_CALL, .name = name, .name_len = strlen(name)};
    struct decision a, b;
    policy_eval(p, &q, &a);
    policy_eval_linear(p, &q, &b);
    if (a.rule != b.rule || a.effect != b.effect) {
        fprintf(stderr, "policy_bench: %s %s: indexed says %s, linear says %s\n", label, name,
                a.rule_id, b.rule_id);
        return -1;
    }
    if (nrows == MAX_ROWS)
        return 0;
    struct row *r = &rows[nrows++];
    snprintf(r->policy, sizeof(r->policy), "%s", label);
    snprintf(r->name, sizeof(r->name), "%s", name);
    snprintf(r->rule_id, sizeof(r->rule_id), "%s", a.rule_id);
    r->p = p;
    r->nrules = p->nrules;
    r->query = query;
    r->load_ms = load_ms;
    return 0;
}

static int load_generated(struct buf *y, size_t n, size_t wild, const char *label,
                          struct policy **out)
{
    struct diag d = {0};
    char early[32], late[32];
    if (gen_policy(y, n, wild) < 0) {
        fprintf(stderr, "policy_bench: out of memory generating %zu rules\n", n);
        return -1;
    }
    double t0 = now_ns();
    if (policy_load_text(y->data, y->len - 1, label, out, &d) < 0) {
        fprintf(stderr, "policy_bench: %s:%u:%u: %s\n", label, d.line, d.col, d.msg);
        return -1;
    }
    double load_ms = (now_ns() - t0) / 1e6;
    snprintf(early, sizeof(early), "t0_read");
    snprintf(late, sizeof(late), "t%zu_read", n - 1);
    if (add_row(label, *out, load_ms, "early", early) < 0 ||
        add_row(label, *out, load_ms, "late", late) < 0 ||
        add_row(label, *out, load_ms, "none", "zz_unknown_tool") < 0)
        return -1;
    return 0;
}

static int load_realistic(const struct opts *o, struct policy **out)
{
    struct diag d = {0};
    double t0 = now_ns();
    if (policy_load_file(o->realistic, out, &d) < 0) {
        fprintf(stderr, "policy_bench: %s:%u:%u: %s\n", o->realistic, d.line, d.col, d.msg);
        return -1;
    }
    double load_ms = (now_ns() - t0) / 1e6;
    const char *base = strrchr(o->realistic, '/');
    return add_row(base ? base + 1 : o->realistic, *out, load_ms, o->realistic_name,
                   o->realistic_name);
}

static void print_results(const struct opts *o)
{
    printf("| policy | rules | query | decided by | linear (ns) | indexed (ns) | load (ms) |\n");
    printf("|---|---:|---|---|---:|---:|---:|\n");
    for (unsigned i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        printf("| %s | %zu | %s | %s | %.1f (min %.1f) | %.1f (min %.1f) | %.1f |\n", r->policy,
               r->nrules, r->query, r->rule_id, r->ns[0], r->ns_min[0], r->ns[1], r->ns_min[1],
               r->load_ms);
    }
    /* the target: 10,000 rules at most twice the time of 10, per query */
    for (unsigned i = 0; i < nrows; i++)
        for (unsigned j = 0; j < nrows; j++)
            if (rows[i].nrules == 10 && rows[j].nrules == 10000 &&
                strcmp(rows[j].policy, "bench-10000") == 0 &&
                strcmp(rows[i].query, rows[j].query) == 0)
                printf("10,000 vs 10 rules, %s: linear %.1fx, indexed %.2fx (target <= 2x)\n",
                       rows[i].query, rows[j].ns[0] / rows[i].ns[0], rows[j].ns[1] / rows[i].ns[1]);
    printf("{\"bench\":\"policy\",\"batch_ms\":%g,\"rounds\":%u,\"rows\":[", o->batch_ms,
           o->rounds);
    for (unsigned i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        printf("%s{\"policy\":\"%s\",\"rules\":%zu,\"query\":\"%s\",\"rule\":\"%s\","
               "\"linear_ns\":%.2f,\"indexed_ns\":%.2f,\"linear_min_ns\":%.2f,"
               "\"indexed_min_ns\":%.2f,\"load_ms\":%.2f}",
               i ? "," : "", r->policy, r->nrules, r->query, r->rule_id, r->ns[0], r->ns[1],
               r->ns_min[0], r->ns_min[1], r->load_ms);
    }
    printf("]}\n");
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: policy_bench [--smoke] [--batch-ms MS] [--rounds N] [--realistic FILE]\n"
            "                    [--realistic-name NAME]\n"
            "  --smoke           tiny batches: checks that both walks agree, times nothing\n"
            "  --batch-ms MS     length of one timed batch (default 10)\n"
            "  --rounds N        batches per case, interleaved; the median is shown (default 15)\n"
            "  --realistic FILE  also time FILE (bench/policies/realistic-200.yaml) for\n"
            "                    tools/call NAME (default echo)\n");
}

int main(int argc, char **argv)
{
    struct opts o = {.batch_ms = 10, .rounds = 15, .realistic_name = "echo"};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--smoke") == 0) {
            o.batch_ms = 0.01;
            o.rounds = 1;
        } else if (strcmp(a, "--batch-ms") == 0 && i + 1 < argc) {
            o.batch_ms = strtod(argv[++i], NULL);
        } else if (strcmp(a, "--rounds") == 0 && i + 1 < argc) {
            o.rounds = (unsigned)strtoul(argv[++i], NULL, 10);
        } else if (strcmp(a, "--realistic") == 0 && i + 1 < argc) {
            o.realistic = argv[++i];
        } else if (strcmp(a, "--realistic-name") == 0 && i + 1 < argc) {
            o.realistic_name = argv[++i];
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (o.rounds == 0 || o.rounds > MAX_ROUNDS || !(o.batch_ms > 0)) {
        usage(stderr);
        return 2;
    }
    static const struct {
        size_t n, wild;
        const char *label;
    } sizes[] = {
        {10, 3, "bench-10"},
        {1000, 3, "bench-1000"},
        {10000, 3, "bench-10000"},
        /* the limit of the index: unanchored wildcards are checked for every name */
        {10000, 100, "bench-10000-wild1%"},
    };
    struct policy *ps[sizeof(sizes) / sizeof(sizes[0]) + 1] = {0};
    size_t np = 0;
    struct buf y;
    buf_init(&y, 64u << 20);
    int rc = 0;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]) && rc == 0; i++)
        rc = load_generated(&y, sizes[i].n, sizes[i].wild, sizes[i].label, &ps[np++]);
    if (rc == 0 && o.realistic != NULL)
        rc = load_realistic(&o, &ps[np++]);
    buf_cleanup(&y);
    if (rc == 0) {
        run_rounds(&o);
        print_results(&o);
    }
    for (size_t i = 0; i < np; i++)
        policy_free(ps[i]);
    return rc < 0 ? 1 : 0;
}
