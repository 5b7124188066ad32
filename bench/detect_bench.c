/*
 * detect_bench.c - throughput of the content scanners (scan/detect.h): MB/s of detect_scan
 * on 10 MiB of (1) benign English and JSON-like text, (2) text dense with near-misses of every
 * detector, (3) a base64 blob, with the result families (SECRET|PII|INJECTION) and with all
 * families; plus the compile time of each database. Also two adversarial inputs that must
 * stay linear (10 MiB of near-matches, 5 MiB of "ignore " repeated). Prints a table and one
 * JSON line; the exit status never depends on a timing (--smoke: 1 MiB, one round). It fails
 * only if a scan fails or a benign corpus produces a hit scored 50 or more (the generator
 * can make weak ones by chance: "system prompt" is two ordinary words).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scan/detect.h"

#define MIB (1024u * 1024u)

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

struct text {
    char *p;
    size_t n, cap;
};

static void put(struct text *t, const char *s, size_t n)
{
    if (t->n + n > t->cap)
        n = t->cap - t->n;
    memcpy(t->p + t->n, s, n);
    t->n += n;
}

static void puts_(struct text *t, const char *s)
{
    put(t, s, strlen(s));
}

static const char *const words[] = {
    "the",       "of",       "and",      "to",         "in",       "is",          "that",
    "for",       "it",       "as",       "was",        "with",     "be",          "by",
    "on",        "not",      "he",       "this",       "are",      "or",          "his",
    "from",      "at",       "which",    "but",        "have",     "an",          "had",
    "they",      "you",      "were",     "their",      "one",      "all",         "we",
    "can",       "her",      "has",      "there",      "been",     "if",          "more",
    "when",      "will",     "would",    "who",        "so",       "no",          "file",
    "server",    "request",  "response", "value",      "table",    "user",        "data",
    "report",    "project",  "update",   "system",     "network",  "result",      "issue",
    "change",    "version",  "release",  "build",      "document", "meeting",     "customer",
    "order",     "invoice",  "account",  "weather",    "forecast", "river",       "mountain",
    "history",   "language", "library",  "market",     "quarter",  "revenue",     "growth",
    "team",      "review",   "schedule", "design",     "feature",  "now",         "on",
    "are",       "first",    "also",     "then",       "page",     "item",        "list",
    "time",      "year",     "people",   "way",        "day",      "state",       "company",
    "program",   "question", "work",     "government", "number",   "night",       "point",
    "home",      "water",    "room",     "mother",     "area",     "money",       "story",
    "fact",      "month",    "lot",      "right",      "study",    "book",        "eye",
    "job",       "word",     "business", "side",       "kind",     "head",        "house",
    "service",   "friend",   "father",   "power",      "hour",     "game",        "line",
    "end",       "member",   "law",      "car",        "city",     "community",   "name",
    "president", "minute",   "idea",     "kid",        "body",     "information", "back",
    "parent",    "face",     "others",   "level",      "office",   "door",        "health",
    "person",    "art",      "war",      "party",      "morning",  "reason",      "research",
    "girl",      "guy",      "moment",   "air",        "teacher",  "force",       "education",
    "could",     "should",   "about",    "into",       "than",     "only",        "other",
    "new",       "some",     "what",     "there",      "over",
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

/* Words the anchors of the injection rules look for: one word in a hundred, about one per
 * 600 bytes, denser than most tool output. */
static const char *const topic[] = {
    "tool",     "function", "token",     "history",     "messages",     "please",       "again",
    "login",    "error",    "following", "prompt",      "instructions", "secret",       "key",
    "password", "user",     "ignore",    "credentials", "retry",        "conversation", "without",
};
#define NTOPIC (sizeof(topic) / sizeof(topic[0]))

static const char *pick_word(void)
{
    if (next_rand() % 100 == 0)
        return topic[next_rand() % NTOPIC];
    return words[next_rand() % NWORDS];
}

static void sentence(struct text *t, int nw)
{
    for (int i = 0; i < nw; i++) {
        const char *w = pick_word();
        if (i == 0) {
            char c[2] = {(char)(w[0] - 32), 0};
            puts_(t, c);
            puts_(t, w + 1);
        } else {
            puts_(t, " ");
            puts_(t, w);
        }
        if (i > 2 && i + 1 < nw && next_rand() % 11 == 0)
            puts_(t, ",");
    }
    puts_(t, ". ");
}

/* Prose paragraphs and JSON records with ids, dates, counts, prices and plain URLs. */
static void gen_benign(struct text *t)
{
    char b[256];
    unsigned rec = 0;
    while (t->n < t->cap) {
        if (next_rand() % 3 == 0) {
            snprintf(b, sizeof(b), "{\"id\": %u, \"title\": \"", 100000 + rec++);
            puts_(t, b);
            sentence(t, 6);
            snprintf(b, sizeof(b),
                     "\", \"created_at\": \"2024-%02u-%02uT%02u:%02u:00Z\", \"count\": %u, "
                     "\"price\": %u.%02u, \"url\": \"https://docs.acme.org/guide/page%u.html\", "
                     "\"tags\": [\"%s\", \"%s\"], \"body\": \"",
                     (unsigned)(next_rand() % 12 + 1), (unsigned)(next_rand() % 28 + 1),
                     (unsigned)(next_rand() % 24), (unsigned)(next_rand() % 60),
                     (unsigned)(next_rand() % 5000), (unsigned)(next_rand() % 900),
                     (unsigned)(next_rand() % 100), (unsigned)(next_rand() % 300),
                     words[next_rand() % NWORDS], words[next_rand() % NWORDS]);
            puts_(t, b);
            for (int k = 0; k < 3; k++)
                sentence(t, 8 + (int)(next_rand() % 10));
            puts_(t, "\"}\n");
        } else {
            for (int k = 0; k < 5; k++)
                sentence(t, 6 + (int)(next_rand() % 14));
            puts_(t, "\n\n");
        }
    }
}

/* Near-misses of every detector: each looks like a hit and must be rejected in C. */
static void gen_near(struct text *t)
{
    static const char *const near[] = {
        "The MALAKIAQ3EGV5X7PLRZKM2T value. ",
        "AKIAIOSFODNN7EXAMPLE is the documented key. ",
        "card 4539 1488 0343 6468 failed. ",
        "order 1234567890123456 shipped. ",
        "commit 3f786850e387550fdab836ed7e6dc881de23001b merged. ",
        "Please ignore the previous paragraph's typo. ",
        "token: short, password: changeme, api_key=${API_KEY}. ",
        "see sk-learn-tutorial-for-beginners-2024 docs. ",
        "eyJub3QiOiJhIGp3dCJ9.eyJhIjoxfQ.c2lnbmF0dXJl ",
        "pip install ../lib and the path ./src/main.c. ",
        "version 1.2.3.4 released 2024-01-15 at 12:30. ",
        "ssn 987-65-4321 area invalid. ",
        "QQ123456C is the HMRC example. ",
        "GB82 WEST 1234 5698 7654 33 bad check. ",
        "user@example.com wrote logo@2x.png. ",
        "you are now logged in. ",
        "the system is up; cat food is sold out. ",
        "https://docs.acme.org/a?b=c ",
        "Call +1 (555) 12 to order. ",
        "xoxo-gossip and ghp_short tokens. ",
        "-----BEGIN PUBLIC KEY----- ",
        "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9 family. ",
    };
    while (t->n < t->cap)
        puts_(t, near[next_rand() % (sizeof(near) / sizeof(near[0]))]);
}

static void gen_base64(struct text *t)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    while (t->n < t->cap) {
        char line[77];
        for (int i = 0; i < 76; i++)
            line[i] = al[next_rand() % 64];
        line[76] = '\n';
        put(t, line, 77);
    }
}

static void gen_repeat(struct text *t, const char *unit)
{
    while (t->n < t->cap)
        puts_(t, unit);
}

struct corpus {
    const char *name;
    struct text t;
    int benign;
};

struct result {
    double mbps, ms;
    size_t hits;
};

static int run(const struct detector *d, struct detect_scratch *s, const struct corpus *c,
               unsigned rounds, struct result *r)
{
    static struct detect_hit hits[256];
    double best = 1e30;
    size_t n = 0, strong = 0;
    for (unsigned i = 0; i < rounds; i++) {
        double t0 = now_ms();
        int rc = detect_scan(d, s, c->t.p, c->t.n, hits, 256, &n);
        double ms = now_ms() - t0;
        if (rc != 0) {
            fprintf(stderr, "detect_scan: %d on %s\n", rc, c->name);
            return -1;
        }
        if (ms < best)
            best = ms;
    }
    r->ms = best;
    r->mbps = (double)c->t.n / MIB / (best / 1e3);
    r->hits = n;
    for (size_t i = 0; c->benign && i < n && i < 256; i++)
        if (hits[i].score >= 50) /* weak kinds (a bare "system prompt") may occur */
            strong++;
    if (strong > 0) {
        fprintf(stderr, "benign corpus %s: %zu hits, first %s/%s at %zu: %.*s\n", c->name, n,
                detect_family_name(hits[0].family), detect_kind_name(hits[0].kind), hits[0].off,
                (int)(hits[0].len > 80 ? 80 : hits[0].len), c->t.p + hits[0].off);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    size_t size = 10 * MIB;
    unsigned rounds = 5;
    int smoke = 0, fail = 0;
    struct corpus cs[5] = {
        {"benign", {0}, 1},   {"near_miss", {0}, 0},  {"base64", {0}, 1},
        {"adv_near", {0}, 0}, {"adv_ignore", {0}, 0},
    };
    static const struct {
        const char *name;
        unsigned families;
    } sets[] = {{"results", DETECT_RESULTS}, {"all", DETECT_ALL}};
    struct result res[2][5];
    double compile_ms[2];

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--smoke") == 0) {
            smoke = 1;
            size = MIB;
            rounds = 1;
        } else {
            fprintf(stderr, "usage: detect_bench [--smoke]\n");
            return 2;
        }
    }
    for (int i = 0; i < 5; i++) {
        size_t cap = i == 4 ? size / 2 : size;
        cs[i].t.p = malloc(cap);
        cs[i].t.cap = cap;
        if (cs[i].t.p == NULL)
            return 1;
    }
    gen_benign(&cs[0].t);
    gen_near(&cs[1].t);
    gen_base64(&cs[2].t);
    /* near-matches back to back, no separators to reset the automata */
    gen_repeat(&cs[3].t, "AKIA4111 1111 1111 111+1 555 ../..%2eeyJhbGciOi.eyJ-----BEGIN "
                         "<!--\xe2\x80\x8bhttp://0x7f.1@ ignore previous ");
    gen_repeat(&cs[4].t, "ignore ");

    printf("corpora of %zu MiB (adv_ignore: half), best of %u rounds\n", size / MIB, rounds);
    printf("%-10s %-16s %10s %10s %8s\n", "families", "corpus", "MiB/s", "ms", "hits");
    for (int f = 0; f < 2; f++) {
        struct detector *d;
        struct detect_scratch *s;
        char err[256];
        double t0 = now_ms();
        if (detector_new(&d, sets[f].families, err, sizeof(err)) != 0) {
            fprintf(stderr, "detector_new: %s\n", err);
            return 1;
        }
        compile_ms[f] = now_ms() - t0;
        if (detect_scratch_new(d, &s) != 0)
            return 1;
        printf("%-10s %-16s %10s %10.1f\n", sets[f].name, "(compile)", "", compile_ms[f]);
        for (int i = 0; i < 5; i++) {
            struct corpus c = cs[i];
            if (f == 1 && i == 0)
                c.benign = 0; /* the argument families see URLs in benign text */
            if (run(d, s, &c, rounds, &res[f][i]) != 0)
                fail = 1;
            printf("%-10s %-16s %10.0f %10.2f %8zu\n", sets[f].name, cs[i].name, res[f][i].mbps,
                   res[f][i].ms, res[f][i].hits);
        }
        detect_scratch_free(s);
        detector_free(d);
    }
    printf("{\"bench\":\"detect\",\"smoke\":%s,\"size_mib\":%zu,\"compile_ms\":{\"results\":%.1f,"
           "\"all\":%.1f}",
           smoke ? "true" : "false", size / MIB, compile_ms[0], compile_ms[1]);
    for (int f = 0; f < 2; f++) {
        printf(",\"%s\":{", sets[f].name);
        for (int i = 0; i < 5; i++)
            printf("%s\"%s_mbps\":%.0f", i ? "," : "", cs[i].name, res[f][i].mbps);
        printf("}");
    }
    printf("}\n");
    for (int i = 0; i < 5; i++)
        free(cs[i].t.p);
    return fail;
}
