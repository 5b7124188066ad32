/*
 * test_tracked.c - tracked values (scan/tracked.h): every encoded form is found, embedded in
 * larger arguments, while pending and after background builds run on a real worker thread;
 * values added during a build; base64 behind junk, line-wrapped, across decoding windows; what
 * is not found (a value split over two runs); hostile inputs (huge base64, hex and percent runs)
 * complete without false positives; provenance, labels, dedup, limits, invalidation, digests;
 * and no plaintext left in memory after tracked_free (as far as /proc/self/mem can tell).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "check.h"
#include "scan/tracked.h"
#include "scan/unwrap.h"

static int L_SECRET, L_PII;

static uint64_t rng_state = 0x1234567;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static struct tracked_prov prov(const char *rid, const char *tool, const char *server, uint64_t seq)
{
    return (struct tracked_prov){.origin = TRACKED_FROM_RESULT,
                                 .request_id = rid,
                                 .request_id_len = strlen(rid),
                                 .tool = tool,
                                 .tool_len = strlen(tool),
                                 .server = server,
                                 .server_len = strlen(server),
                                 .seq = seq};
}

static struct labelset ls(int a, int b)
{
    struct labelset s = {0};
    if (a >= 0)
        labelset_add(&s, a);
    if (b >= 0)
        labelset_add(&s, b);
    return s;
}

static int add(struct tracked *t, const char *v, uint32_t *id)
{
    struct labelset s = ls(L_SECRET, -1);
    struct tracked_prov p = prov("1", "read_file", "fs", 1);
    return tracked_add(t, v, strlen(v), &s, &p, 1000, id);
}

/* ---- builds on a real worker thread ---- */

static void *worker(void *arg)
{
    tracked_build_run(arg);
    return NULL;
}

struct running {
    struct tracked_build *b;
    pthread_t th;
};

static bool build_start(struct tracked *t, struct running *r)
{
    r->b = tracked_build_begin(t);
    if (!r->b)
        return false;
    return pthread_create(&r->th, NULL, worker, r->b) == 0;
}

static int build_join(struct tracked *t, struct running *r)
{
    pthread_join(r->th, NULL);
    return tracked_build_finish(t, r->b);
}

/* Build until nothing is left to do (including releasing replaced databases). */
static int build_all(struct tracked *t)
{
    struct running r;
    int rc = 0;
    while (rc == 0 && build_start(t, &r))
        rc = build_join(t, &r);
    return rc;
}

/* ---- independent encoders for the arguments ---- */

static size_t b64(const uint8_t *v, size_t n, bool url, char *out, size_t cap)
{
    int var = url ? sodium_base64_VARIANT_URLSAFE : sodium_base64_VARIANT_ORIGINAL;
    sodium_bin2base64(out, cap, v, n, var);
    return strlen(out);
}

static size_t hex(const uint8_t *v, size_t n, bool upper, char *out)
{
    static const char lo[] = "0123456789abcdef", up[] = "0123456789ABCDEF";
    const char *d = upper ? up : lo;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = d[v[i] >> 4];
        out[2 * i + 1] = d[v[i] & 15];
    }
    out[2 * n] = 0;
    return 2 * n;
}

/* mode 0: RFC 3986 upper; 1: lower-case hex; 2: form ('+' for space); 3: encodeURIComponent */
static size_t urlenc(const uint8_t *v, size_t n, int mode, char *out)
{
    const char *d = mode == 1 ? "0123456789abcdef" : "0123456789ABCDEF";
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = v[i];
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    strchr("-._~", c) != NULL;
        if (mode == 3 && c && strchr("!*'()", c))
            keep = true;
        if (c == 0)
            keep = false;
        if (keep) {
            out[o++] = (char)c;
        } else if (c == ' ' && mode == 2) {
            out[o++] = '+';
        } else {
            out[o++] = '%';
            out[o++] = d[c >> 4];
            out[o++] = d[c & 15];
        }
    }
    out[o] = 0;
    return o;
}

/* ---- checks ---- */

struct expect {
    enum tracked_variant variant;
    size_t off, len; /* len 0: span only has to lie within [off, off + within) */
    size_t within;
};

/* text must yield exactly one match: value id with the expected variant and span */
static void expect_one(struct tracked *t, const char *what, const char *text, size_t n, uint32_t id,
                       struct expect e)
{
    struct tracked_match m[4];
    struct tracked_hits h = {.match = m, .cap = 4};
    int rc = tracked_scan(t, text, n, &h);
    check_count++;
    if (rc != 1 || h.nvalues != 1 || m[0].value.id != id || m[0].variant != e.variant) {
        check_failures++;
        fprintf(stderr, "%s: rc %d nvalues %zu id %u variant %s (want id %u %s)\n", what, rc,
                h.nvalues, rc > 0 ? m[0].value.id : 0,
                rc > 0 ? tracked_variant_name(m[0].variant) : "-", id,
                tracked_variant_name(e.variant));
        return;
    }
    if (e.len) {
        CHECK_INT(m[0].off, e.off);
        CHECK_INT(m[0].len, e.len);
    } else {
        CHECK(m[0].off >= e.off && m[0].off + m[0].len <= e.off + e.within);
        CHECK(m[0].len >= 8);
    }
    CHECK(labelset_has(&h.labels, L_SECRET));
}

static void expect_none(struct tracked *t, const char *what, const char *text, size_t n)
{
    struct tracked_hits h = {0};
    int rc = tracked_scan(t, text, n, &h);
    check_count++;
    if (rc != 0 || h.nvalues != 0) {
        check_failures++;
        fprintf(stderr, "%s: unexpected match (rc %d, %zu values)\n", what, rc, h.nvalues);
    }
}

static size_t embed(char *text, const char *pre, const char *e, size_t elen, const char *post)
{
    size_t k = strlen(pre);
    memcpy(text, pre, k);
    memcpy(text + k, e, elen);
    k += elen;
    memcpy(text + k, post, strlen(post));
    return k + strlen(post);
}

/* Every encoded form of v, embedded in a JSON-ish argument, is found as value id. */
static void all_forms(struct tracked *t, const uint8_t *v, size_t n, uint32_t id, const char *tag)
{
    static char text[16384], enc[8192], what[128];
    static const char pre[] = "{\"path\":\"/tmp/x\",\"body\":\"see: ", post[] = " -- end\"}";
    uint8_t stream[4096];
    size_t k;

#define EMBED(e, elen) (k = embed(text, pre, (e), (elen), post))

    memcpy(enc, v, n);
    EMBED(enc, n);
    snprintf(what, sizeof(what), "%s raw", tag);
    expect_one(t, what, text, k, id, (struct expect){TRACKED_RAW, strlen(pre), n, 0});

    for (int url = 0; url < 2; url++) {
        for (size_t pad = 0; pad < 6; pad++) { /* alignments 0, 1, 2, twice */
            size_t sl = 0;
            for (size_t i = 0; i < pad; i++)
                stream[sl++] = (uint8_t)rnd();
            memcpy(stream + sl, v, n);
            sl += n;
            for (size_t i = 0, tail = rnd() % 7; i < tail; i++)
                stream[sl++] = (uint8_t)rnd();
            size_t el = b64(stream, sl, url, enc, sizeof(enc));
            EMBED(enc, el);
            snprintf(what, sizeof(what), "%s base64%s align %zu", tag, url ? "url" : "", pad % 3);
            /* url-safe text is reported as such only when it used '-' or '_' */
            enum tracked_variant want = TRACKED_BASE64;
            if (url && strpbrk(enc, "-_"))
                want = TRACKED_BASE64URL;
            struct tracked_match m[2];
            struct tracked_hits h = {.match = m, .cap = 2};
            int rc = tracked_scan(t, text, k, &h);
            check_count++;
            if (rc != 1 || m[0].value.id != id ||
                (m[0].variant != TRACKED_BASE64 && m[0].variant != TRACKED_BASE64URL)) {
                check_failures++;
                fprintf(stderr, "%s: not found (rc %d)\n", what, rc);
                continue;
            }
            /* the span lies inside the encoded run and the alignment is right */
            CHECK(m[0].off >= strlen(pre) && m[0].off + m[0].len <= strlen(pre) + el);
            CHECK_INT(m[0].align, pad % 3);
            if (want == TRACKED_BASE64URL) {
                /* only when the core itself contains '-' or '_' */
                bool core_url = memchr(text + m[0].off, '-', m[0].len) ||
                                memchr(text + m[0].off, '_', m[0].len);
                CHECK_INT(m[0].variant, core_url ? TRACKED_BASE64URL : TRACKED_BASE64);
            } else {
                CHECK_INT(m[0].variant, TRACKED_BASE64);
            }
        }
    }

    for (int up = 0; up < 2; up++) {
        size_t el = hex(v, n, up, enc);
        EMBED(enc, el);
        snprintf(what, sizeof(what), "%s hex %s", tag, up ? "upper" : "lower");
        expect_one(t, what, text, k, id, (struct expect){TRACKED_HEX, strlen(pre), el, 0});
    }
    /* mixed case */
    size_t el = hex(v, n, false, enc);
    for (size_t i = 0; i < el; i += 3)
        if (enc[i] >= 'a')
            enc[i] = (char)(enc[i] - 32);
    EMBED(enc, el);
    snprintf(what, sizeof(what), "%s hex mixed", tag);
    expect_one(t, what, text, k, id, (struct expect){TRACKED_HEX, strlen(pre), el, 0});

    bool plain = true, space = false;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = v[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              (c && strchr("-._~", c))))
            plain = false;
        space |= c == ' ';
    }
    if (!plain) {
        for (int mode = 0; mode < 4; mode++) {
            if (mode == 2 && !space)
                continue;
            el = urlenc(v, n, mode, enc);
            EMBED(enc, el);
            snprintf(what, sizeof(what), "%s url mode %d", tag, mode);
            enum tracked_variant want = mode == 2 ? TRACKED_URL_FORM : TRACKED_URL;
            if (el == n && memcmp(enc, v, n) == 0)
                want = TRACKED_RAW; /* only ! ' ( ) * to escape: encodeURIComponent keeps them */
            /* a form encoding without a space is the plain percent encoding */
            expect_one(t, what, text, k, id, (struct expect){want, strlen(pre), el, 0});
        }
    }
#undef EMBED
}

/* ---- the tests ---- */

static void test_forms(bool build)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    const char *vals[] = {
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",           /* unreserved only */
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY+z", /* '/' and '+' */
        "p@ss word with \"quotes\" & (parens)!*'",    /* space, quote, JS-unescaped */
        "line1\nline2\ttab\\back",                    /* JSON escapes */
    };
    uint32_t ids[4];
    for (int i = 0; i < 4; i++)
        CHECK_INT(add(t, vals[i], &ids[i]), 0);
    /* binary value (not JSON-safe raw) */
    uint8_t bin[24];
    for (size_t i = 0; i < sizeof(bin); i++)
        bin[i] = (uint8_t)(rnd() | 0x80);
    uint32_t bin_id;
    struct tracked_prov p = prov("2", "t", "s", 2);
    struct labelset s = ls(L_SECRET, -1);
    CHECK_INT(tracked_add(t, bin, sizeof(bin), &s, &p, 1, &bin_id), 0);

    const char *tag = "pending";
    if (build) {
        CHECK_INT(build_all(t), 0);
        struct tracked_stats st;
        tracked_stats(t, &st);
        CHECK_INT(st.pending, 0);
        CHECK_INT(st.main, 5);
        tag = "main";
    }
    for (int i = 0; i < 4; i++)
        all_forms(t, (const uint8_t *)vals[i], strlen(vals[i]), ids[i], tag);
    all_forms(t, bin, sizeof(bin), bin_id, tag);

    /* JSON-escaped raw value inside a JSON document */
    const char *js = "{\"a\":\"line1\\nline2\\ttab\\\\back\"}";
    expect_one(t, "json", js, strlen(js), ids[3], (struct expect){TRACKED_JSON, 6, 23, 0});
    const char *js2 = "{\"p\":\"p@ss word with \\\"quotes\\\" & (parens)!*'\"}";
    expect_one(t, "json quote", js2, strlen(js2), ids[2],
               (struct expect){TRACKED_JSON, 6, strlen(js2) - 8, 0});

    /* near misses */
    expect_none(t, "truncated", "sk_live_4eC39HqLyjWDarjtT1zdp7d", 31);
    expect_none(t, "changed", "sk_live_4eC39HqLyjWDarjtT1zdp7dC", 32);
    expect_none(t, "short text", "sk_live", 7);
    expect_none(t, "empty", "", 0);
    tracked_free(t);
}

/* Reversed, ROT13 and compact forms in a text; the compact view (tracked_scan_compact). */
static void compact_hits(struct tracked *t, const char *text, size_t *nvalues,
                         enum tracked_variant *var)
{
    char view[512];
    size_t n = tracked_compact(text, strlen(text), view);
    struct tracked_match m[4];
    struct tracked_hits h = {.match = m, .cap = 4};
    CHECK(tracked_scan_compact(t, view, n, &h) >= 0);
    *nvalues = h.nvalues;
    *var = h.n ? m[0].variant : TRACKED_RAW;
}

static void test_transformed(bool build)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    uint32_t key, card, phone, lower, shortv, ph10;
    CHECK_INT(add(t, "sk-Proj_4eC39HqLyjWDarjtT1zdp7dc", &key), 0);
    CHECK_INT(add(t, "4111 1111 1111 1111", &card), 0);
    CHECK_INT(add(t, "+1 (555) 010-9999", &phone), 0); /* compact: 15550109999 */
    CHECK_INT(add(t, "abcd3fgh1jk", &lower), 0);        /* its own compact form */
    CHECK_INT(add(t, "ab-cd-ef-gh", &shortv), 0);       /* compact "abcdefgh": 8, kept */
    CHECK_INT(add(t, "555.0109", &ph10), 0);            /* compact 7 digits: none */
    if (build)
        CHECK_INT(build_all(t), 0);

    /* reversed, rot13, compact: found in the compact view only (the ordinary scan does not
     * pay for them) */
    size_t nv;
    enum tracked_variant var;
    const char *rev = "x cd7pdz1TtjraDWjyLqH93Ce4_jorP-ks y", *r13 = "x fx-Cebw_4rP39UdYlwJQnewgG1mqc7qp y";
    expect_none(t, "reversed, ordinary scan", rev, strlen(rev));
    compact_hits(t, rev, &nv, &var);
    CHECK_INT(nv, 1);
    CHECK_INT(var, TRACKED_REVERSED);
    compact_hits(t, "C D 7 P D Z 1 T T J R A D W J Y L Q H 9 3 C E 4 J O R P K S", &nv, &var);
    CHECK_INT(nv, 1); /* reversed, spaced out and in upper case */
    CHECK_INT(var, TRACKED_REVERSED);
    compact_hits(t, r13, &nv, &var);
    CHECK_INT(nv, 1);
    CHECK_INT(var, TRACKED_ROT13);
    compact_hits(t, "pay 4111111111111111 now", &nv, &var); /* compact forms sent as they are */
    CHECK_INT(nv, 1);
    CHECK_INT(var, TRACKED_COMPACT);
    compact_hits(t, "skproj4ec39hqlyjwdarjtt1zdp7dc", &nv, &var);
    CHECK_INT(nv, 1);
    compact_hits(t, "pay 411111111111111 now", &nv, &var);
    CHECK_INT(nv, 0);
    /* a hex dump of it, bytes spaced out (and in capitals) */
    char dump[256];
    const char *key_s = "sk-Proj_4eC39HqLyjWDarjtT1zdp7dc";
    for (size_t i = 0; key_s[i]; i++)
        snprintf(dump + 3 * i, 4, "%02X ", (unsigned char)key_s[i]);
    compact_hits(t, dump, &nv, &var);
    CHECK_INT(nv, 1);
    CHECK_INT(var, TRACKED_HEX);

    /* the compact view: separators and case added by an agent */
    compact_hits(t, "send 4111-1111-1111-1111 today", &nv, &var);
    CHECK_INT(nv, 1);
    CHECK_INT(var, TRACKED_COMPACT);
    compact_hits(t, "s k - P R O J _ 4 e C 3 9 H q L y j W D a r j t T 1 z d p 7 d c", &nv, &var);
    CHECK_INT(nv, 1);
    compact_hits(t, "call 1-555-010-9999", &nv, &var); /* 11 digits */
    CHECK_INT(nv, 1);
    compact_hits(t, "ABCD3FGH1JK", &nv, &var); /* a value that is its own compact form */
    CHECK_INT(nv, 1);
    CHECK_INT(var, TRACKED_COMPACT);
    compact_hits(t, "a.b.c.d.e.f.g.h", &nv, &var);
    CHECK_INT(nv, 1);
    /* near misses and short digits: the view joins neighbouring numbers */
    compact_hits(t, "send 4111-1111-1111-111 today", &nv, &var);
    CHECK_INT(nv, 0);
    compact_hits(t, "[555, 109, 99, 1, 5550, 109]", &nv, &var);
    CHECK_INT(nv, 0);
    expect_none(t, "short digits raw", "5550109", 7);
    tracked_free(t);
}

static void test_unwrap(void)
{
    struct {
        const char *in, *out; /* out: the decodings, each followed by '\n' */
        int runs;
    } cases[] = {
        {"x ZDBvNGNsaDBWWEU1 y", "d0o4clh0VXE5\n", 1},             /* base64 */
        {"ZDBvNGNsaDBWWEU1VQ==", "d0o4clh0VXE5U\n", 1},             /* padding */
        {"ZDBv-_8x_A4a", "d0o\xfb\xff" "1\xfc\x0e\x1a\n", 1},         /* url-safe */
        {"ORSXG5BAMJQXGZJTGI", "test base32\n", 1},                /* base32 */
        /* lower-case base32 is also base64: both */
        {"orsxg5bamjqxgzjtgi", "test base32\n\xa2\xbb" "1\x83\x96\xda\x9a:\xb1\x83" "8\xed\x82\n", 2},
        {"68656c6c6f20776f726c64", "hello world\n", 1},              /* hex, not base64 */
        {"a%2Fb%3Dc%20d", "a/b=c d\n", 1},                            /* percent */
        {"104 101 108 108 111 32 119 111", "hello wo\n", 1},         /* character codes */
        {"[104,101,108,108,111,44,32,119,111]", "hello, wo\n", 1},
        {"104\n101\n108\n108\n111\n44\n32\n119\n111\n", "hello, wo\n", 1}, /* one a line */
        {"\\x68\\x65\\x6c\\x6c\\x6f\\x20\\x77\\x6f", "hello wo\n", 1}, /* escapes */
        {"\\150\\145\\154\\154\\157\\040\\167\\157", "hello wo\n", 1}, /* octal */
        {"01101000 01100101 01101100 01101100 01101111 00100000 01110111 01101111",
         "hello wo\n", 1}, /* binary */
        {"0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x77, 0x6f", "hello wo\n", 1},
        {"aGVs bG8g d29y bGQh", "hello world!\n", 1}, /* base64 in groups */
        {"aGVs\nbG8g\nd29y\nbGQh", "hello world!\n", 1}, /* ... one a line */
        {"aGVs\n\n  bG8g\n\n  d29y\n\n  bGQh", "hello world!\n", 1}, /* blank lines, indents */
        {"aGVs bG8g d29y bGQh\nafterwards", "hello world!\n", 1},   /* text after them */
        /* punctuation around them (red-team round 8) */
        {"Here it is: aGVs bG8g d29y bGQh.", "hello world!\n", 1},
        {"(aGVs bG8g d29y bGQh)", "hello world!\n", 1},
        {"k='aGVs bG8g d29y bGQh',", "hello world!\n", 1},
        {"aGVs bG8g d29y bGQh :end", "hello world!\n", 1},
        {"aGVs bG8g d29y bGQh :end\n", "hello world!\n", 1},
        {"aGVsbG8g\r\nd29ybGQh\r\nIGFuZCBt\r\nb3JlIHRl\r\neHQ=", "hello world! and more text\n", 1},
        {"aGVsbG8g\td29ybGQh IGFuZCBt b3JlIHRl eHQ=", "hello world! and more text\n", 1},
        {"\\u0068\\u00e9\\u006c\\u006c\\u006f\\u0020\\u0077\\u006f", "h\xc3\xa9llo wo\n", 1},
        /* other joiners, unspaced binary, JavaScript's escape() */
        {"104.101.108.108.111.32.119.111", "hello wo\n", 1},
        {"104|101|108|108|111|32|119|111", "hello wo\n", 1},
        {"0110100001100101011011000110110001101111001000000111011101101111", "hello wo\n", 1},
        {"%u0068%u0065%u006C%u006c%u006f%u00e9", "hello\xc3\xa9\n", 1},
        {"x%u0068%41y", "xhAy\n", 1},
        /* nothing to decode */
        {"short words only, nothing long here", "", 0},
        {"", "", 0},
        {"104 101 108 108 111 32 119", "", 0},          /* seven codes */
        {"104 101 108 1080 111 32 119 111 104", "", 0}, /* a number out of range */
        {"100%   sure", "", 0},
        {"0x1234 0x5678 0x9abc 0xdef0 0x1234 0x5678 0x9abc 0xdef0", "", 0}, /* numbers */
    };
    /* results: only runs of 24 or more, and of a long run its first and last 4096 characters
     * (the tail decoded from a multiple of 8 into the run) */
    {
        static char plain[15000], enc[20100];
        memset(plain, '.', sizeof(plain));
        memcpy(plain, "HEAD-MARK", 9);
        memcpy(plain + sizeof(plain) - 9, "TAIL-MARK", 9);
        sodium_bin2base64(enc, sizeof(enc), (const unsigned char *)plain, sizeof(plain),
                          sodium_base64_VARIANT_ORIGINAL);
        struct buf b;
        buf_init(&b, 1 << 20);
        CHECK_INT(unwrap(enc, strlen(enc), UNWRAP_RUNS | UNWRAP_LONG, &b), 2);
        CHECK(b.len <= 2 * 3072 + 2);
        CHECK(memmem(b.data, b.len, "HEAD-MARK", 9) != NULL);
        CHECK(memmem(b.data, b.len, "TAIL-MARK", 9) != NULL);
        buf_reset(&b);
        CHECK_INT(unwrap("aGVsbG8gd29ybGQ= short", 23, UNWRAP_RUNS | UNWRAP_LONG, &b), 0);
        /* text only: a hash, a long word and base64 of random bytes are not; text is */
        const unsigned what = UNWRAP_RUNS | UNWRAP_LONG | UNWRAP_TEXT;
        buf_reset(&b);
        const char *hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 "
                           "abcdefghijklmnopqrstuvwxyzabcdefghij q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQ";
        CHECK_INT(unwrap(hash, strlen(hash), what, &b), 0);
        CHECK_INT(b.len, 0);
        const char *txt = "see SWdub3JlIGFsbCBwcmV2aW91cyBpbnN0cnVjdGlvbnM= and "
                          "49676e6f726520616c6c2070726576696f7573";
        CHECK_INT(unwrap(txt, strlen(txt), what, &b), 2);
        CHECK(memmem(b.data, b.len, "Ignore all previous instructions\n", 33) != NULL);
        CHECK(memmem(b.data, b.len, "Ignore all previous\n", 20) != NULL);
        buf_reset(&b);
        CHECK_INT(unwrap(enc, strlen(enc), UNWRAP_ALL, &b), 1); /* params: all of it */
        CHECK(b.len >= sizeof(plain));
        buf_cleanup(&b);
    }
    struct buf e;
    buf_init(&e, 1 << 20);
    /* '-' and '_' are base64url characters too: the codes are decoded besides that */
    static const char *const joined[] = {"104-101-108-108-111-32-119-111",
                                         "104:101/108_108\t111-32-119-111"};
    for (size_t i = 0; i < 2; i++) {
        buf_reset(&e);
        CHECK(unwrap(joined[i], strlen(joined[i]), UNWRAP_ALL, &e) >= 1);
        CHECK(memmem(e.data, e.len, "\nhello wo\n", 10) != NULL ||
              (e.len >= 9 && memcmp(e.data, "hello wo\n", 9) == 0));
    }
    /* binary digits not a multiple of 8 long: hex, not binary */
    buf_reset(&e);
    static const char odd[] = "0110100001100101011011000110110001101111001000000111011101101";
    CHECK_INT(unwrap(odd, sizeof(odd) - 1, UNWRAP_ALL, &e), 1);
    CHECK(memmem(e.data, e.len, "hello", 5) == NULL);
    buf_reset(&e);
    CHECK_INT(unwrap(NULL, 0, UNWRAP_ALL, &e), 0); /* params without a string */
    CHECK_INT(e.len, 0);
    buf_cleanup(&e);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct buf b;
        buf_init(&b, 1 << 20);
        int rc = unwrap(cases[i].in, strlen(cases[i].in), UNWRAP_ALL, &b);
        CHECK_INT(rc, cases[i].runs);
        if (rc > 0)
            CHECK_MEM(b.data, b.len, cases[i].out);
        else
            CHECK_INT(b.len, 0);
        CHECK(b.len <= strlen(cases[i].in) * 3 / 2);
        buf_cleanup(&b);
    }
}

/* A raw value that starts with NUL bytes, and one made only of them (not indexed raw: runs of
 * NULs are measured instead). */
static void test_leading_nul(void)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    static const uint8_t v[] = "\0\0secret-after-nuls";
    static const uint8_t zeros[16] = {0};
    struct tracked_prov p = prov("1", "t", "s", 1);
    struct labelset s = ls(L_SECRET, -1);
    uint32_t id, zid;
    CHECK_INT(tracked_add(t, v, sizeof(v) - 1, &s, &p, 1, &id), 0);
    CHECK_INT(tracked_add(t, zeros, sizeof(zeros), &s, &p, 1, &zid), 0);
    char hx[40], b[64];
    hex(zeros, sizeof(zeros), false, hx);
    b64(zeros, sizeof(zeros), false, b, sizeof(b));
    for (int round = 0; round < 2; round++) {
        char text[64] = "xx";
        memcpy(text + 2, v, sizeof(v) - 1);
        memcpy(text + 2 + sizeof(v) - 1, "yy", 2);
        expect_one(t, "leading NUL", text, sizeof(v) + 3, id,
                   (struct expect){TRACKED_RAW, 2, sizeof(v) - 1, 0});
        text[3] = 'x'; /* one NUL short */
        expect_none(t, "one NUL missing", text, sizeof(v) + 3);
        /* an all-NUL value (no literal can hold it: the scan looks for runs of NULs), raw and
         * decoded, pending and after a build */
        expect_one(t, "zeros hex", hx, 32, zid, (struct expect){TRACKED_HEX, 0, 32, 0});
        struct tracked_hits h = {0};
        CHECK_INT(tracked_scan(t, b, strlen(b), &h), 0);
        CHECK_INT(h.nvalues, 1);
        CHECK_INT(tracked_scan(t, (const char *)zeros, sizeof(zeros), &h), 0);
        CHECK_INT(h.nvalues, 1);
        CHECK_INT(tracked_scan(t, (const char *)zeros, sizeof(zeros) - 1, &h), 0);
        CHECK_INT(h.nvalues, 0);
        CHECK_INT(build_all(t), 0);
    }
    tracked_free(t);
}

static void test_min_len(void)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    CHECK_INT(add(t, "short12", NULL), -EINVAL);
    CHECK_INT(add(t, "eight_ch", NULL), 0);
    struct tracked_stats st;
    tracked_stats(t, &st);
    CHECK_INT(st.refused_short, 1);
    CHECK_INT(st.values, 1);
    expect_none(t, "below minimum", "xx short12 yy", 13);
    struct tracked_config c;
    tracked_config_default(&c);
    c.min_len = 7;
    struct tracked *t2 = NULL;
    CHECK_INT(tracked_new(&c, &t2), -EINVAL);
    CHECK(t2 == NULL);
    c.min_len = 12;
    CHECK_INT(tracked_new(&c, &t2), 0);
    CHECK_INT(add(t2, "eleven_char", NULL), -EINVAL);
    CHECK_INT(add(t2, "twelve_chars", NULL), 0);
    tracked_free(t2);
    tracked_free(t);
}

/* The value id must be found in text[0..n) with this variant (base64: either alphabet). */
static void expect_found(struct tracked *t, const char *what, const char *text, size_t n,
                         uint32_t id, enum tracked_variant want)
{
    struct tracked_match m[4];
    struct tracked_hits h = {.match = m, .cap = 4};
    int rc = tracked_scan(t, text, n, &h);
    bool ok = rc >= 1 && m[0].value.id == id;
    if (ok && want == TRACKED_BASE64)
        ok = m[0].variant == TRACKED_BASE64 || m[0].variant == TRACKED_BASE64URL;
    else if (ok)
        ok = m[0].variant == want;
    check_count++;
    if (!ok) {
        check_failures++;
        fprintf(stderr, "%s: not found (rc %d, variant %s)\n", what, rc,
                rc > 0 ? tracked_variant_name(m[0].variant) : "-");
        return;
    }
    CHECK(m[0].off + m[0].len <= n);
}

/* A stream of `pad` random bytes, v, and `tail` random bytes, base64-encoded into out. */
static size_t b64_stream(const uint8_t *v, size_t n, size_t pad, size_t tail, bool url, char *out,
                         size_t cap)
{
    static uint8_t stream[1 << 20];
    size_t sl = 0;
    for (size_t i = 0; i < pad; i++)
        stream[sl++] = (uint8_t)rnd();
    memcpy(stream + sl, v, n);
    sl += n;
    for (size_t i = 0; i < tail; i++)
        stream[sl++] = (uint8_t)rnd();
    return b64(stream, sl, url, out, cap);
}

/* Values added while a build runs stay pending, are found, and reach a database next time. */
static void test_during_build(void)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    char v[64];
    uint32_t first[2000];
    for (int i = 0; i < 2000; i++) {
        snprintf(v, sizeof(v), "tok_%08x_%016llx", i, (unsigned long long)rnd());
        CHECK_INT(add(t, v, &first[i]), 0);
    }
    struct running r;
    CHECK(build_start(t, &r));
    CHECK(tracked_build_begin(t) == NULL); /* one at a time */
    struct tracked_stats st;
    tracked_stats(t, &st);
    CHECK(st.building);
    uint32_t later[50];
    char lv[50][64];
    for (int i = 0; i < 50; i++) {
        snprintf(lv[i], sizeof(lv[i]), "later-secret-%d-%016llx", i, (unsigned long long)rnd());
        CHECK_INT(add(t, lv[i], &later[i]), 0);
    }
    char text[256];
    for (int i = 0; i < 50; i += 7) {
        int n = snprintf(text, sizeof(text), "{\"x\":\"%s\"}", lv[i]);
        expect_one(t, "pending during build", text, (size_t)n, later[i],
                   (struct expect){TRACKED_RAW, 6, strlen(lv[i]), 0});
        /* encoded, and values of the database being replaced: still found meanwhile */
        char enc[160];
        size_t el = hex((const uint8_t *)lv[i], strlen(lv[i]), true, enc);
        expect_found(t, "hex during build", enc, el, later[i], TRACKED_HEX);
        el = b64_stream((const uint8_t *)lv[i], strlen(lv[i]), (size_t)i % 3, 1, false, enc,
                        sizeof(enc));
        expect_found(t, "base64 during build", enc, el, later[i], TRACKED_BASE64);
    }
    CHECK_INT(build_join(t, &r), 0);
    tracked_stats(t, &st);
    CHECK_INT(st.main, 2000);
    CHECK_INT(st.pending, 50);
    struct tracked_value_info info;
    CHECK_INT(tracked_value_info(t, first[5], &info), 0);
    CHECK_INT(info.tier, TRACKED_MAIN);
    CHECK_INT(tracked_value_info(t, later[5], &info), 0);
    CHECK_INT(info.tier, TRACKED_PENDING);
    for (int i = 0; i < 50; i += 7) {
        int n = snprintf(text, sizeof(text), "{\"x\":\"%s\"}", lv[i]);
        expect_one(t, "pending after build", text, (size_t)n, later[i],
                   (struct expect){TRACKED_RAW, 6, strlen(lv[i]), 0});
    }
    /* next build: a small "recent" database (main stays) */
    CHECK_INT(build_all(t), 0);
    tracked_stats(t, &st);
    CHECK_INT(st.pending, 0);
    CHECK_INT(st.recent, 50);
    CHECK_INT(st.main, 2000);
    CHECK_INT(tracked_value_info(t, later[5], &info), 0);
    CHECK_INT(info.tier, TRACKED_RECENT);
    for (int i = 0; i < 50; i += 7) {
        int n = snprintf(text, sizeof(text), "{\"x\":\"%s\"}", lv[i]);
        expect_one(t, "recent", text, (size_t)n, later[i],
                   (struct expect){TRACKED_RAW, 6, strlen(lv[i]), 0});
    }
    /* one more, through a third build, in base64 */
    uint8_t stream[64];
    char b[128];
    struct tracked_match m[2];
    struct tracked_hits h = {.match = m, .cap = 2};
    CHECK_INT(add(t, "known-main-value-0001", NULL), 0);
    CHECK_INT(build_all(t), 0);
    memcpy(stream, "ab", 2);
    memcpy(stream + 2, "known-main-value-0001", 21);
    b64(stream, 23, false, b, sizeof(b));
    CHECK_INT(tracked_scan(t, b, strlen(b), &h), 1);
    tracked_free(t);
}

/* A build that never ran (uv_cancel) or failed leaves its values pending, and is retried. */
static void test_cancelled_build(void)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    uint32_t id;
    CHECK_INT(add(t, "cancelled-build-secret", &id), 0);
    struct tracked_build *b = tracked_build_begin(t);
    CHECK(b != NULL);
    CHECK_INT(add(t, "added-after-begin-secret", NULL), 0);
    CHECK_INT(tracked_build_finish(t, b), -ECANCELED);
    struct tracked_stats st;
    tracked_stats(t, &st);
    CHECK_INT(st.build_failures, 1);
    CHECK_INT(st.pending, 2);
    expect_one(t, "after cancel", "x cancelled-build-secret y", 26, id,
               (struct expect){TRACKED_RAW, 2, 22, 0});
    CHECK(!tracked_build_wanted(t, 1000)); /* backs off */
    CHECK(tracked_build_wanted(t, 1000 + 1000000000ull));
    CHECK_INT(build_all(t), 0);
    tracked_stats(t, &st);
    CHECK_INT(st.pending, 0);
    CHECK_INT(st.main + st.recent, 2);
    expect_one(t, "after retry", "x cancelled-build-secret y", 26, id,
               (struct expect){TRACKED_RAW, 2, 22, 0});
    tracked_free(t);
}

static void test_wanted(void)
{
    struct tracked_config c;
    tracked_config_default(&c);
    c.build_batch = 4;
    c.build_delay_ns = 50;
    struct tracked *t;
    CHECK_INT(tracked_new(&c, &t), 0);
    CHECK(!tracked_build_wanted(t, 0));
    CHECK(tracked_build_begin(t) == NULL);
    struct tracked_prov p = prov("1", "a", "b", 1);
    char v[32];
    for (int i = 0; i < 3; i++) {
        snprintf(v, sizeof(v), "wanted-value-%d", i);
        CHECK_INT(tracked_add(t, v, strlen(v), NULL, &p, 100, NULL), 0);
    }
    CHECK(!tracked_build_wanted(t, 120));
    CHECK(tracked_build_wanted(t, 150)); /* the first one waited build_delay_ns */
    CHECK_INT(tracked_add(t, "wanted-value-3", 14, NULL, &p, 100, NULL), 0);
    CHECK(tracked_build_wanted(t, 100)); /* a batch */
    CHECK_INT(build_all(t), 0);
    CHECK(!tracked_build_wanted(t, 1000));
    /* a main rebuild replaces the old database: releasing it is work for a worker */
    c.recent_max = 1;
    tracked_free(t);
    CHECK_INT(tracked_new(&c, &t), 0);
    CHECK_INT(tracked_add(t, "wanted-value-a", 14, NULL, &p, 100, NULL), 0);
    CHECK_INT(build_all(t), 0);
    CHECK_INT(tracked_add(t, "wanted-value-b", 14, NULL, &p, 100, NULL), 0);
    struct running r;
    CHECK(build_start(t, &r));
    CHECK_INT(build_join(t, &r), 0);
    struct tracked_stats st;
    tracked_stats(t, &st);
    CHECK_INT(st.main, 2);
    CHECK(tracked_build_wanted(t, 100)); /* the old main waits to be released */
    CHECK(build_start(t, &r));
    CHECK_INT(build_join(t, &r), 0);
    CHECK(!tracked_build_wanted(t, 100));
    tracked_free(t);
}

static void test_provenance(void)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    struct tracked_prov p1 = prov("\"req-7\"", "read_file", "fs-server", 7);
    struct tracked_prov p2 = prov("42", "query_db", "db-server", 9);
    struct labelset s1 = ls(L_SECRET, -1), s2 = ls(L_PII, -1);
    uint32_t id, id2;
    CHECK_INT(tracked_add(t, "AKIAIOSFODNN7EXAMPLE", 20, &s1, &p1, 111, &id), 0);
    CHECK_INT(tracked_add(t, "AKIAIOSFODNN7EXAMPLE", 20, &s2, &p2, 222, &id2), 1);
    CHECK_INT(id2, id);
    CHECK_INT(tracked_add(t, "AKIAIOSFODNN7EXAMPLE", 20, &s2, &p2, 333, &id2), 1);
    for (int round = 0; round < 2; round++) {
        const char *text = "{\"url\":\"https://x.example/?k=AKIAIOSFODNN7EXAMPLE\"}";
        struct tracked_match m[2];
        struct tracked_hits h = {.match = m, .cap = 2};
        CHECK_INT(tracked_scan(t, text, strlen(text), &h), 1);
        CHECK_INT(m[0].value.id, id);
        CHECK_INT(m[0].off, 29);
        CHECK_INT(m[0].len, 20);
        CHECK(labelset_has(&m[0].value.labels, L_SECRET));
        CHECK(labelset_has(&m[0].value.labels, L_PII));
        CHECK(labelset_has(&h.labels, L_PII));
        CHECK_INT(m[0].value.added_ns, 111);
        CHECK_INT(m[0].value.nsources, 2);
        CHECK(!m[0].value.invalidated);
        const struct tracked_source *a = m[0].value.sources[0], *b = m[0].value.sources[1];
        CHECK_STR(a->prov.request_id, "\"req-7\"");
        CHECK_STR(a->prov.tool, "read_file");
        CHECK_STR(a->prov.server, "fs-server");
        CHECK_INT(a->prov.seq, 7);
        CHECK_INT(a->prov.origin, TRACKED_FROM_RESULT);
        CHECK_STR(b->prov.request_id, "42");
        CHECK_STR(b->prov.tool, "query_db");
        CHECK_INT(b->prov.seq, 9);
        CHECK(tracked_source_get(t, b->index) == b);
        CHECK_INT(build_all(t), 0);
    }
    /* an operator-marked value; long provenance strings are truncated, not refused */
    char longtool[300];
    memset(longtool, 'x', sizeof(longtool));
    struct tracked_prov op = {
        .origin = TRACKED_FROM_OPERATOR, .tool = longtool, .tool_len = sizeof(longtool)};
    CHECK_INT(tracked_add(t, "operator-marked-value", 21, NULL, &op, 5, &id2), 0);
    struct tracked_value_info info;
    CHECK_INT(tracked_value_info(t, id2, &info), 0);
    CHECK_INT(info.sources[0]->prov.origin, TRACKED_FROM_OPERATOR);
    CHECK_INT(info.sources[0]->prov.tool_len, TRACKED_TEXT_MAX);
    CHECK_STR(info.sources[0]->prov.request_id, "");
    CHECK_INT(tracked_value_info(t, 999, &info), SE_ENOTFOUND);
    /* more sources than are remembered are counted */
    for (int i = 0; i < 6; i++) {
        struct tracked_prov q = prov("r", "tool", "srv", 100 + (uint64_t)i);
        CHECK_INT(tracked_add(t, "operator-marked-value", 21, NULL, &q, 5, NULL), 1);
    }
    CHECK_INT(tracked_value_info(t, id2, &info), 0);
    CHECK_INT(info.nsources, TRACKED_SOURCES_MAX);
    CHECK_INT(info.more_sources, 3);
    tracked_free(t);
}

static void test_dedup_and_cap(void)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    struct tracked_prov p = prov("1", "a", "b", 1);
    struct labelset s1 = ls(L_SECRET, -1), s2 = ls(L_PII, -1);
    uint32_t a, b;
    CHECK_INT(tracked_add(t, "first-secret-value", 18, &s1, &p, 1, &a), 0);
    CHECK_INT(tracked_add(t, "second-secret-value", 19, &s2, &p, 1, &b), 0);
    char hx[64];
    hex((const uint8_t *)"first-secret-value", 18, false, hx);
    char text[512];
    int n = snprintf(text, sizeof(text),
                     "second-secret-value %s first-secret-value first-secret-value "
                     "second-secret-value first-secret-value",
                     hx);
    for (int round = 0; round < 2; round++) {
        struct tracked_match m[4];
        struct tracked_hits h = {.match = m, .cap = 4};
        CHECK_INT(tracked_scan(t, text, (size_t)n, &h), 2);
        CHECK_INT(h.nvalues, 2);
        CHECK_INT(m[0].value.id, b); /* sorted by offset */
        CHECK_INT(m[0].off, 0);
        CHECK_INT(m[1].value.id, a);
        CHECK(m[1].off <= 20 + 36 + 1);
        /* capped: both values still counted and labelled */
        h = (struct tracked_hits){.match = m, .cap = 1};
        CHECK_INT(tracked_scan(t, text, (size_t)n, &h), 1);
        CHECK_INT(h.nvalues, 2);
        CHECK(labelset_has(&h.labels, L_SECRET) && labelset_has(&h.labels, L_PII));
        h = (struct tracked_hits){0};
        CHECK_INT(tracked_scan(t, text, (size_t)n, &h), 0);
        CHECK_INT(h.nvalues, 2);
        CHECK_INT(build_all(t), 0);
    }
    tracked_free(t);
}

static void test_limits(void)
{
    struct tracked_config c;
    tracked_config_default(&c);
    c.max_values = 3;
    c.max_len = 32;
    c.max_bytes = 1000;
    struct tracked *t;
    CHECK_INT(tracked_new(&c, &t), 0);
    CHECK_INT(add(t, "limit-value-1", NULL), 0);
    CHECK_INT(add(t, "limit-value-2", NULL), 0);
    CHECK_INT(add(t, "limit-value-3", NULL), 0);
    CHECK_INT(add(t, "limit-value-4", NULL), SE_ELIMIT);
    CHECK_INT(add(t, "limit-value-2", NULL), 1); /* known values still merge */
    CHECK_INT(add(t, "0123456789012345678901234567890123", NULL), -EMSGSIZE);
    struct tracked_stats st;
    tracked_stats(t, &st);
    CHECK_INT(st.values, 3);
    CHECK_INT(st.refused_limit, 1);
    CHECK_INT(st.refused_long, 1);
    CHECK_INT(st.duplicates, 1);
    /* nothing was evicted */
    expect_one(t, "oldest kept", "..limit-value-1..", 17, 0,
               (struct expect){TRACKED_RAW, 2, 13, 0});
    expect_none(t, "refused", "..limit-value-4..", 17);
    tracked_free(t);

    c = (struct tracked_config){.max_bytes = 30};
    CHECK_INT(tracked_new(&c, &t), 0);
    CHECK_INT(add(t, "fifteen-bytes-1", NULL), 0);
    CHECK_INT(add(t, "fifteen-bytes-2", NULL), 0);
    CHECK_INT(add(t, "fifteen-bytes-3", NULL), SE_ELIMIT);
    tracked_free(t);

    /* a full pending generation refuses (never blocks) until a build drains it */
    c = (struct tracked_config){.pending_max = 2};
    CHECK_INT(tracked_new(&c, &t), 0);
    CHECK_INT(add(t, "pending-value-1", NULL), 0);
    CHECK_INT(add(t, "pending-value-2", NULL), 0);
    CHECK_INT(add(t, "pending-value-3", NULL), -EAGAIN);
    struct running r;
    CHECK(build_start(t, &r));
    CHECK_INT(add(t, "pending-value-3", NULL), 0); /* the other generation */
    CHECK_INT(add(t, "pending-value-4", NULL), 0);
    CHECK_INT(add(t, "pending-value-5", NULL), -EAGAIN);
    CHECK_INT(build_join(t, &r), 0);
    tracked_stats(t, &st);
    CHECK_INT(st.refused_busy, 2);
    CHECK_INT(build_all(t), 0);
    CHECK_INT(add(t, "pending-value-5", NULL), 0);
    tracked_free(t);

    c = (struct tracked_config){.max_len = TRACKED_MAX_LEN_CAP + 1};
    CHECK_INT(tracked_new(&c, &t), -EINVAL);
}

static void test_invalidate(void)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    struct tracked_prov p1 = prov("5", "fetch_url", "web", 10);
    struct tracked_prov p2 = prov("6", "read_file", "fs", 11);
    struct tracked_prov p3 = prov("7", "read_file", "fs", 12);
    uint32_t a, b, c;
    CHECK_INT(tracked_add(t, "value-from-web-0001", 19, NULL, &p1, 1, &a), 0);
    CHECK_INT(tracked_add(t, "value-from-fs-00002", 19, NULL, &p2, 1, &b), 0);
    CHECK_INT(tracked_add(t, "value-from-fs-00003", 19, NULL, &p3, 1, &c), 0);
    struct tracked_selector none = {0};
    CHECK_INT(tracked_invalidate_source(t, &none), -EINVAL);
    struct tracked_selector by_tool = {.tool = "fetch_url", .tool_len = 9};
    CHECK_INT(tracked_invalidate_source(t, &by_tool), 1);
    CHECK_INT(tracked_invalidate_source(t, &by_tool), 0); /* already */
    for (int round = 0; round < 2; round++) {
        struct tracked_match m[4];
        struct tracked_hits h = {.match = m, .cap = 4};
        CHECK_INT(tracked_scan(t, "value-from-web-0001", 19, &h), 1);
        CHECK(h.invalidated && m[0].value.invalidated);
        CHECK(m[0].value.sources[0]->invalidated);
        CHECK_INT(tracked_scan(t, "value-from-fs-00002 value-from-fs-00003", 39, &h), 2);
        CHECK(!h.invalidated && !m[0].value.invalidated && !m[1].value.invalidated);
        CHECK_INT(build_all(t), 0);
    }
    struct tracked_selector by_rid = {
        .request_id = "6", .request_id_len = 1, .server = "fs", .server_len = 2};
    CHECK_INT(tracked_invalidate_source(t, &by_rid), 1);
    struct tracked_selector by_seq = {.by_seq = true, .seq = 12};
    CHECK_INT(tracked_invalidate_source(t, &by_seq), 1);
    struct tracked_hits h = {0};
    CHECK_INT(tracked_scan(t, "value-from-fs-00003", 19, &h), 0);
    CHECK(h.invalidated);
    /* a value seen from a clean and an invalidated source is invalidated */
    struct tracked_prov p4 = prov("8", "other", "x", 13);
    CHECK_INT(tracked_add(t, "value-from-web-0001", 19, NULL, &p4, 1, NULL), 1);
    CHECK_INT(tracked_scan(t, "value-from-web-0001", 19, &h), 0);
    CHECK(h.invalidated);
    struct tracked_stats st;
    tracked_stats(t, &st);
    CHECK_INT(st.invalidated_sources, 3);
    tracked_free(t);
}

static void test_digest(void)
{
    struct tracked *t1, *t2, *t3, *t4;
    uint8_t key[TRACKED_KEY_BYTES];
    memset(key, 7, sizeof(key));
    struct tracked_config c = {.digest_key = key};
    CHECK_INT(tracked_new(NULL, &t1), 0);
    CHECK_INT(tracked_new(NULL, &t2), 0);
    CHECK_INT(tracked_new(&c, &t3), 0);
    CHECK_INT(tracked_new(&c, &t4), 0);
    const char *v = "digest-me-please-0001";
    uint32_t i1, i2, i3, i4;
    CHECK_INT(add(t1, v, &i1), 0);
    CHECK_INT(add(t2, v, &i2), 0);
    CHECK_INT(add(t3, v, &i3), 0);
    CHECK_INT(add(t4, v, &i4), 0);
    char d1[65], d1b[65], d2[65], d3[65], d4[65], hv[128];
    tracked_value_digest(t1, i1, d1);
    CHECK_INT(build_all(t1), 0);
    tracked_value_digest(t1, i1, d1b);
    tracked_value_digest(t2, i2, d2);
    tracked_value_digest(t3, i3, d3);
    tracked_value_digest(t4, i4, d4);
    CHECK_INT(strlen(d1), 64);
    CHECK_STR(d1b, d1);         /* stable */
    CHECK(strcmp(d1, d2) != 0); /* keyed per tracker */
    CHECK_STR(d3, d4);          /* ... unless the key is shared */
    hex((const uint8_t *)v, strlen(v), false, hv);
    CHECK(strstr(d1, v) == NULL && strstr(hv, d1) == NULL && strncmp(d1, hv, 64) != 0);
    /* the keyed hash is BLAKE2b-256 over the bytes */
    uint8_t want[32];
    char wanthex[65];
    crypto_generichash(want, 32, (const uint8_t *)v, strlen(v), key, sizeof(key));
    sodium_bin2hex(wanthex, sizeof(wanthex), want, 32);
    CHECK_STR(d3, wanthex);
    char none[65] = "x";
    tracked_value_digest(t1, 12345, none);
    CHECK_STR(none, "");
    tracked_free(t1);
    tracked_free(t2);
    tracked_free(t3);
    tracked_free(t4);
}

/* Random values of every byte class, embedded at random, agree before and after builds. */
static void test_random(void)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    enum { N = 120 };
    static uint8_t vals[N][48];
    static size_t lens[N];
    uint32_t ids[N];
    static const char alpha[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                "+/=-_.~!*'() \"\\%&:;?@[]{}";
    for (int i = 0; i < N; i++) {
        lens[i] = 8 + rnd() % 33;
        for (size_t k = 0; k < lens[i]; k++)
            vals[i][k] = i % 3 == 0 ? (uint8_t)rnd() : (uint8_t)alpha[rnd() % (sizeof(alpha) - 1)];
        struct tracked_prov p = prov("r", "t", "s", (uint64_t)i);
        struct labelset s = ls(L_SECRET, -1);
        int rc = tracked_add(t, vals[i], lens[i], &s, &p, 1, &ids[i]);
        CHECK(rc == 0 || rc == 1);
        if (i == N / 2)
            CHECK_INT(build_all(t), 0); /* half in main, half pending, then recent */
    }
    char tag[32];
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < N; i += 5) {
            snprintf(tag, sizeof(tag), "random %d round %d", i, round);
            struct tracked_value_info info;
            tracked_value_info(t, ids[i], &info);
            all_forms(t, vals[i], lens[i], ids[i], tag);
        }
        CHECK_INT(build_all(t), 0);
    }
    tracked_free(t);
}

/* ---- decoding: junk, line wraps, windows, what is not found ---- */

static void test_decoding(bool build)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    static const char v[] = "ghp_R3allySecretT0kenValue1234567890ab";
    uint32_t id;
    CHECK_INT(add(t, v, &id), 0);
    if (build)
        CHECK_INT(build_all(t), 0);
    static char text[1 << 16], enc[1 << 15], what[96];
    size_t n = strlen(v);

    /* 1-3 junk characters of the base64 alphabet glued before the stream, every alignment */
    static const char *const junk[] = {"x", "Qz", "a/9", "-", "_Z"};
    for (size_t j = 0; j < sizeof(junk) / sizeof(junk[0]); j++) {
        for (size_t pad = 0; pad < 3; pad++) {
            size_t el = b64_stream((const uint8_t *)v, n, pad, 2, j >= 3, enc, sizeof(enc));
            int k = snprintf(text, sizeof(text), "{\"blob\":\"%s%s\"}", junk[j], enc);
            snprintf(what, sizeof(what), "junk '%s' align %zu", junk[j], pad);
            expect_found(t, what, text, (size_t)k, id, TRACKED_BASE64);
            (void)el;
        }
    }

    /* line-wrapped at 64 and 76 characters with LF, CRLF and their JSON escapes, the value
     * crossing a line break */
    static const char *const brk[] = {"\n", "\r\n", "\\n", "\\r\\n"};
    for (size_t width = 64; width <= 76; width += 12) {
        for (size_t b = 0; b < 4; b++) {
            for (size_t pad = 40; pad < 43; pad++) { /* the value starts on line 1, ends on 2 */
                size_t el = b64_stream((const uint8_t *)v, n, pad, 100, false, enc, sizeof(enc));
                size_t k = (size_t)snprintf(text, sizeof(text), "{\"pem\":\"");
                for (size_t i = 0; i < el; i += width) {
                    size_t w = el - i < width ? el - i : width;
                    memcpy(text + k, enc + i, w);
                    k += w;
                    if (i + w < el)
                        k += (size_t)snprintf(text + k, sizeof(text) - k, "%s", brk[b]);
                }
                k += (size_t)snprintf(text + k, sizeof(text) - k, "\"}");
                snprintf(what, sizeof(what), "wrapped %zu break %zu pad %zu", width, b, pad);
                expect_found(t, what, text, k, id, TRACKED_BASE64);
            }
        }
    }

    /* the same glued to base64-class text before it (the params' joined view puts a path
     * such as "/tmp/out.txt" right before the block): more lines, or one more short line */
    static const char *const glue[] = {"/tmp/out", "txt", "a/b/c/notes9"};
    for (size_t width = 64; width <= 76; width += 12) {
        for (size_t g = 0; g < sizeof(glue) / sizeof(glue[0]); g++) {
            for (size_t pad = 10; pad < 48; pad += 9) {
                size_t bpl = width / 4 * 3, full = (bpl - (pad + n) % bpl) % bpl; /* last line full */
                size_t el = b64_stream((const uint8_t *)v, n, pad, pad % 2 ? full : 1, false, enc,
                                       sizeof(enc));
                size_t k = (size_t)snprintf(text, sizeof(text), "{\"c\":\"%s", glue[g]);
                for (size_t i = 0; i < el; i += width) {
                    size_t w = el - i < width ? el - i : width;
                    memcpy(text + k, enc + i, w);
                    k += w;
                    if (i + w < el)
                        k += (size_t)snprintf(text + k, sizeof(text) - k, "\n");
                }
                /* and what follows glued to its last line */
                k += (size_t)snprintf(text + k, sizeof(text) - k, "%s\"}", glue[g] + 1);
                snprintf(what, sizeof(what), "wrapped %zu glued '%s' pad %zu", width, glue[g], pad);
                expect_found(t, what, text, k, id, TRACKED_BASE64);
            }
        }
    }

    /* a value split over two base64 strings is not found: each run decodes on its own */
    char b1[128], b2[128];
    b64((const uint8_t *)v, n / 2, false, b1, sizeof(b1));
    b64((const uint8_t *)v + n / 2, n - n / 2, false, b2, sizeof(b2));
    int k = snprintf(text, sizeof(text), "{\"a\":\"%s\",\"b\":\"%s\"}", b1, b2);
    expect_none(t, "split over two runs", text, (size_t)k);
    k = snprintf(text, sizeof(text), "%s%s", b1, b2); /* glued: the '=' of the first ends it */
    if (strchr(b1, '='))
        expect_none(t, "split, glued after padding", text, (size_t)k);
    /* nor a value with a byte changed in its encoding */
    b64((const uint8_t *)v, n, false, b1, sizeof(b1));
    b1[10] = b1[10] == 'A' ? 'B' : 'A';
    expect_none(t, "changed base64", b1, strlen(b1));

    /* in a query string, percent-encoded; and hex and base64 inside larger runs */
    char pct[256];
    urlenc((const uint8_t *)"p@ss/w0rd with space!", 21, 0, pct);
    uint32_t id2;
    CHECK_INT(add(t, "p@ss/w0rd with space!", &id2), 0);
    k = snprintf(text, sizeof(text), "GET https://x.example/login?user=bob&pw=%s&next=%%2F HTTP",
                 pct);
    expect_found(t, "query string", text, (size_t)k, id2, TRACKED_URL);
    tracked_free(t);
}

/* Encoded values across the decoder's windows (runs longer than 128 Ki characters). */
static void test_long_runs(void)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    static const char v[] = "long-run-secret-0123456789";
    size_t n = strlen(v);
    static const char v2[] = "long-run secret/0123456789"; /* as long as v */
    uint32_t id, id2;
    CHECK_INT(add(t, v, &id), 0);
    CHECK_INT(add(t, v2, &id2), 0);
    static char text[1 << 20];
    char what[64];
    for (int round = 0; round < 2; round++) {
        /* base64: the value's characters at and around character 131072, at each alignment */
        for (size_t pad = 98290; pad < 98310; pad += 3) {
            size_t el = b64_stream((const uint8_t *)v, n, pad, 200000, round, text, sizeof(text));
            snprintf(what, sizeof(what), "base64 window pad %zu", pad);
            expect_found(t, what, text, el, id, TRACKED_BASE64);
        }
        /* hex around character 131072 */
        for (size_t at = 131040; at < 131080; at += 7) {
            for (size_t i = 0; i < 400000; i++)
                text[i] = "0123456789abcdef"[rnd() % 16];
            hex((const uint8_t *)v, n, round, text + at);
            text[at + 2 * n] = 'f';
            snprintf(what, sizeof(what), "hex window at %zu", at);
            expect_found(t, what, text, 400000, id, TRACKED_HEX);
        }
        /* percent and form encoding around character 131072 of one run of "%41" */
        char pct[128];
        for (int mode = 0; mode < 3; mode += 2) {
            for (size_t i = 0; i < 300000; i += 3)
                memcpy(text + i, "%41", 3);
            size_t pl = urlenc((const uint8_t *)v2, n, mode, pct);
            size_t at = mode ? 131061 : 131060; /* on an escape, and in the middle of one */
            memcpy(text + at, pct, pl);
            snprintf(what, sizeof(what), "percent mode %d window", mode);
            expect_found(t, what, text, 300000, id2, mode ? TRACKED_URL_FORM : TRACKED_URL);
        }
        CHECK_INT(build_all(t), 0);
    }
    tracked_free(t);
}

/* Hostile arguments: huge runs of every kind finish (the bench times them) and find nothing
 * among 100 random values; alternating short runs likewise. */
static void test_hostile(void)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    for (int i = 0; i < 100; i++) {
        uint8_t v[32];
        size_t n = 8 + rnd() % 24;
        for (size_t k = 0; k < n; k++)
            v[k] = i % 2 ? (uint8_t)rnd()
                         : (uint8_t)("abcdefghijklmnopqrstuvwxyz0123456789"[rnd() % 36]);
        struct tracked_prov p = prov("r", "t", "s", (uint64_t)i);
        CHECK(tracked_add(t, v, n, NULL, &p, 1, NULL) >= 0);
    }
    size_t big = 10u << 20;
    char *text = malloc(big);
    CHECK(text != NULL);
    if (!text) {
        tracked_free(t);
        return;
    }
    static const char b64a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < big; i++)
            text[i] = b64a[rnd() % 64];
        expect_none(t, "10 MiB random base64", text, big);
        for (size_t i = 0; i < big; i++)
            text[i] = "0123456789abcdef"[rnd() % 16];
        expect_none(t, "10 MiB random hex", text, big);
        for (size_t i = 0; i + 3 <= (1u << 20); i += 3)
            memcpy(text + i, "%41", 3);
        expect_none(t, "1 MiB of %41", text, (1u << 20) - 1);
        for (size_t i = 0; i + 12 <= (1u << 20); i += 12)
            memcpy(text + i, "AAAAAAAAAAA ", 12);
        expect_none(t, "alternating short runs", text, 1u << 20);
        for (size_t i = 0; i + 20 <= (1u << 20); i += 20)
            memcpy(text + i, "QUFBQUFBQUFBQUFB\\n", 18), memcpy(text + i + 18, "x ", 2);
        expect_none(t, "many short wrapped lines", text, 1u << 20);
        CHECK_INT(build_all(t), 0);
    }
    free(text);
    tracked_free(t);
}

/* ---- the character-domain matcher's edges ---- */

/* Values of 8 to 12 bytes: raw and JSON forms of 8-10 characters and base64 of 10 go to the
 * 5-character index, the rest to the 8-character one; every form is found either way. */
static void test_short_values(void)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    static uint8_t vals[10][16];
    uint32_t ids[10];
    for (int i = 0; i < 10; i++) {
        size_t n = 8 + (size_t)i / 2;
        for (size_t k = 0; k < n; k++)
            vals[i][k] =
                i % 2 ? (uint8_t)rnd() : (uint8_t)("abcdefghijkmnopqrstuvwxyz"[rnd() % 25]);
        struct tracked_prov p = prov("s", "t", "x", (uint64_t)i);
        struct labelset s = ls(L_SECRET, -1);
        CHECK_INT(tracked_add(t, vals[i], n, &s, &p, 1, &ids[i]), 0);
    }
    char tag[32];
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 10; i++) {
            snprintf(tag, sizeof(tag), "short %d round %d", i, round);
            all_forms(t, vals[i], 8 + (size_t)i / 2, ids[i], tag);
        }
        CHECK_INT(build_all(t), 0);
    }
    tracked_free(t);
}

/* The base64 characters on either side of a value's own carry some of its bits: they must
 * match, and the stream's other bits must not matter. */
static void test_base64_edges(void)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    static const uint8_t v[] = "edge-bits-value!";
    size_t n = sizeof(v) - 1;
    uint32_t id;
    struct tracked_prov p = prov("e", "t", "x", 1);
    CHECK_INT(tracked_add(t, v, n, NULL, &p, 1, &id), 0);
    static const char b64a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char enc[128], what[64];
    for (int round = 0; round < 2; round++) {
        for (size_t pad = 1; pad <= 2; pad++) { /* alignments 1 and 2: a lead character */
            uint8_t stream[64] = {0};
            memcpy(stream + pad, v, n);
            size_t el = b64(stream, pad + n + 3, false, enc, sizeof(enc));
            size_t lead = pad == 1 ? 1 : 2; /* the character holding the value's first bits */
            unsigned mask = pad == 1 ? 0x0f : 0x03;
            int val = (int)(strchr(b64a, enc[lead]) - b64a);
            /* other bits of the lead character: still the value */
            enc[lead] = b64a[(val & (int)mask) | (~val & 0x3f & ~(int)mask)];
            snprintf(what, sizeof(what), "lead prefix bits, pad %zu", pad);
            expect_found(t, what, enc, el, id, TRACKED_BASE64);
            /* one of the value's bits in it: not the value */
            enc[lead] = b64a[val ^ 1];
            snprintf(what, sizeof(what), "lead value bit, pad %zu", pad);
            expect_none(t, what, enc, el);
        }
        /* a trailing partial character: 16 bytes at alignment 0 end 2 bits into character 21 */
        size_t el = b64(v, n, false, enc, sizeof(enc));
        CHECK(el > 22);
        int val = (int)(strchr(b64a, enc[21]) - b64a);
        enc[21] = b64a[val ^ 0x03]; /* padding bits only */
        expect_found(t, "trail padding bits", enc, el, id, TRACKED_BASE64);
        enc[21] = b64a[val ^ 0x10];
        expect_none(t, "trail value bit", enc, el);
        /* the trailing character missing (the run ends there): not found */
        b64(v, n, false, enc, sizeof(enc));
        expect_none(t, "trail character missing", enc, 21);
        CHECK_INT(build_all(t), 0);
    }
    tracked_free(t);
}

/* '-' and '_' in a standard-alphabet stream (Node decodes both alphabets mixed). */
static void test_mixed_alphabet(void)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    uint8_t v[40];
    for (size_t i = 0; i < sizeof(v); i++)
        v[i] = (uint8_t)(0xf8 | (rnd() & 7)); /* base64 full of '+' and '/' */
    uint32_t id;
    struct tracked_prov p = prov("m", "t", "x", 1);
    struct labelset s = ls(L_SECRET, -1);
    CHECK_INT(tracked_add(t, v, sizeof(v), &s, &p, 1, &id), 0);
    char enc[128];
    for (int round = 0; round < 2; round++) {
        size_t el = b64(v, sizeof(v), false, enc, sizeof(enc));
        bool swapped = false;
        for (size_t i = 0; i < el; i += 2) { /* every other '+' as '-', '/' kept */
            if (enc[i] == '+') {
                enc[i] = '-';
                swapped = true;
            }
        }
        CHECK(swapped && strchr(enc, '/') != NULL);
        expect_one(t, "mixed alphabets", enc, el, id, (struct expect){TRACKED_BASE64URL, 0, 0, el});
        CHECK_INT(build_all(t), 0);
    }
    tracked_free(t);
}

/* Values across the scan's 32 KiB blocks, in blocks that are normalised ('-' or '_' in them)
 * and blocks that are not, raw, base64 and hex. */
static void test_blocks(void)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    static const char v[] = "block-boundary-secret-42";
    size_t n = strlen(v);
    uint32_t id;
    CHECK_INT(add(t, v, &id), 0);
    size_t big = 200u << 10;
    char *text = malloc(big), enc[128], what[96];
    CHECK(text != NULL);
    if (!text) {
        tracked_free(t);
        return;
    }
    for (int round = 0; round < 2; round++) {
        for (int under = 0; under < 2; under++) {
            for (size_t at = 32768 - 30; at < 32768 + 4; at += 3) {
                for (size_t i = 0; i < big; i++)
                    text[i] = " abcdefgh"[rnd() % 9];
                if (under)
                    text[at - 100] = '_';
                memcpy(text + at, v, n);
                snprintf(what, sizeof(what), "raw at %zu, '_' %d", at, under);
                expect_one(t, what, text, big, id, (struct expect){TRACKED_RAW, at, n, 0});
                size_t el = b64_stream((const uint8_t *)v, n, at % 3, 3, false, enc, sizeof(enc));
                memcpy(text + at, enc, el);
                snprintf(what, sizeof(what), "base64 at %zu, '_' %d", at, under);
                expect_found(t, what, text, big, id, TRACKED_BASE64);
                el = hex((const uint8_t *)v, n, at % 2, enc);
                memcpy(text + at, enc, el);
                snprintf(what, sizeof(what), "hex at %zu, '_' %d", at, under);
                expect_found(t, what, text, big, id, TRACKED_HEX);
            }
        }
        CHECK_INT(build_all(t), 0);
    }
    free(text);
    tracked_free(t);
}

/* A long hex run: its interior is not probed for other patterns once built (a pattern that is
 * not made of hex digits cannot lie there), unless a tracked pattern is made of hex digits or
 * values are pending. Every case must still find what is there. */
static void test_hex_interior(void)
{
    static const char v[] = "not-hex-value-0001";
    static const char hv[] = "0123456789abcdef0123"; /* a raw value of hex digits */
    size_t big = 300u << 10, mid = big / 2 + 1;
    char *text = malloc(big), enc[128];
    CHECK(text != NULL);
    if (!text)
        return;
    for (int with_hexlike = 0; with_hexlike < 2; with_hexlike++) {
        struct tracked *t;
        CHECK_INT(tracked_new(NULL, &t), 0);
        uint32_t id, hid = 0;
        CHECK_INT(add(t, v, &id), 0);
        if (with_hexlike)
            CHECK_INT(add(t, hv, &hid), 0);
        for (int round = 0; round < 3; round++) {
            if (round > 0)
                CHECK_INT(build_all(t), 0);
            if (round == 2) /* one pending value: nothing may be skipped then */
                CHECK_INT(add(t, "pending-during-hex-run", NULL), 0);
            for (size_t i = 0; i < big; i++)
                text[i] = "0123456789abcdef"[rnd() % 16];
            size_t el = hex((const uint8_t *)v, strlen(v), round == 1, enc);
            memcpy(text + mid, enc, el);
            expect_found(t, "hex in a long run", text, big, id, TRACKED_HEX);
            if (with_hexlike) {
                memcpy(text + mid + 1001, hv, strlen(hv));
                struct tracked_match m[4];
                struct tracked_hits h = {.match = m, .cap = 4};
                CHECK_INT(tracked_scan(t, text, big, &h), 2);
                CHECK(h.nvalues == 2 && (m[1].value.id == hid || m[0].value.id == hid));
            }
        }
        tracked_free(t);
    }
    free(text);
}

/* Values sharing their ends (e-mail domains) or their beginnings (vendor prefixes) are spread
 * over different sampled windows and all found. */
static void test_shared_affixes(void)
{
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    enum { N = 400 };
    static char vals[N][48];
    uint32_t ids[N];
    for (int i = 0; i < N; i++) {
        if (i % 2)
            snprintf(vals[i], sizeof(vals[i]), "user.%04d@example-corp.com", i);
        else
            snprintf(vals[i], sizeof(vals[i]), "ghp_%016llx%04d", (unsigned long long)rnd(), i);
        CHECK_INT(add(t, vals[i], &ids[i]), 0);
    }
    CHECK_INT(build_all(t), 0);
    char text[256], enc[128], what[64];
    for (int i = 0; i < N; i += 7) {
        int k = snprintf(text, sizeof(text), "{\"to\":\"%s\"}", vals[i]);
        snprintf(what, sizeof(what), "affix %d raw", i);
        expect_one(t, what, text, (size_t)k, ids[i],
                   (struct expect){TRACKED_RAW, 7, strlen(vals[i]), 0});
        size_t el = b64_stream((const uint8_t *)vals[i], strlen(vals[i]), (size_t)i % 3, 2, false,
                               enc, sizeof(enc));
        snprintf(what, sizeof(what), "affix %d base64", i);
        expect_found(t, what, enc, el, ids[i], TRACKED_BASE64);
    }
    tracked_free(t);
}

/* ---- plaintext in memory ---- */

#define MASK 0x5a

/* Occurrences of the masked pattern in every readable private mapping of this process. */
static int count_in_memory(const uint8_t *masked, size_t n)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    int mem = open("/proc/self/mem", O_RDONLY);
    if (!maps || mem < 0) {
        if (maps)
            fclose(maps);
        if (mem >= 0)
            close(mem);
        return -1;
    }
    static uint8_t buf[1 << 20];
    char line[512];
    int found = 0;
    while (fgets(line, sizeof(line), maps)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r' ||
            hi - lo > (512ul << 20) || strstr(line, "[vvar]") || strstr(line, "[vsyscall]"))
            continue;
        if ((uintptr_t)buf >= lo && (uintptr_t)buf < hi)
            continue; /* our own read buffer */
        for (unsigned long at = lo; at < hi;) {
            size_t want = hi - at < sizeof(buf) ? hi - at : sizeof(buf);
            ssize_t got = pread(mem, buf, want, (off_t)at);
            if (got <= 0)
                break;
            const uint8_t first = (uint8_t)(masked[0] ^ MASK), *end = buf + got;
            for (const uint8_t *q = buf; (q = memchr(q, first, (size_t)(end - q))); q++) {
                size_t j = 1;
                while (j < n && q + j < end && q[j] == (uint8_t)(masked[j] ^ MASK))
                    j++;
                if (j == n)
                    found++;
            }
            if ((size_t)got <= n)
                break;
            at += (size_t)got - n + 1; /* overlap so no occurrence straddles a read */
        }
    }
    memset(buf, 0, sizeof(buf));
    fclose(maps);
    close(mem);
    return found;
}

static void test_no_plaintext(void)
{
    uint8_t v[32], masked[32];
    randombytes_buf(v, sizeof(v));
    for (size_t i = 0; i < sizeof(v); i++)
        masked[i] = v[i] ^ MASK;
    struct tracked *t;
    CHECK_INT(tracked_new(NULL, &t), 0);
    struct tracked_prov p = prov("1", "t", "s", 1);
    uint32_t id;
    CHECK_INT(tracked_add(t, v, sizeof(v), NULL, &p, 1, &id), 0);
    sodium_memzero(v, sizeof(v));
    int before = count_in_memory(masked, sizeof(masked));
    if (before < 0) {
        printf("skip: /proc/self/mem not readable\n");
        tracked_free(t);
        return;
    }
    CHECK(before >= 1); /* the search works: the pending arena holds it */
    struct tracked_hits h = {0};
    CHECK_INT(tracked_scan(t, "nothing to see here, nothing at all", 35, &h), 0);
    tracked_free(t);
    CHECK_INT(count_in_memory(masked, sizeof(masked)), 0);

    /* after a build: the pending copy is wiped at finish, the database and blob at free */
    randombytes_buf(v, sizeof(v));
    for (size_t i = 0; i < sizeof(v); i++)
        masked[i] = v[i] ^ MASK;
    CHECK_INT(tracked_new(NULL, &t), 0);
    CHECK_INT(tracked_add(t, v, sizeof(v), NULL, &p, 1, &id), 0);
    sodium_memzero(v, sizeof(v));
    CHECK_INT(build_all(t), 0);
    tracked_free(t);
    int left = count_in_memory(masked, sizeof(masked));
    /* the indexes live in sodium memory too: nothing is left */
    CHECK_INT(left, 0);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    L_SECRET = label_intern("secret", 6);
    L_PII = label_intern("pii", 3);
    test_forms(false);
    test_forms(true);
    test_transformed(false);
    test_transformed(true);
    test_unwrap();
    test_min_len();
    test_leading_nul();
    test_during_build();
    test_cancelled_build();
    test_wanted();
    test_provenance();
    test_dedup_and_cap();
    test_limits();
    test_invalidate();
    test_digest();
    test_random();
    test_decoding(false);
    test_decoding(true);
    test_long_runs();
    test_short_values();
    test_base64_edges();
    test_mixed_alphabet();
    test_blocks();
    test_hex_interior();
    test_shared_affixes();
    test_hostile();
    test_no_plaintext();
    return check_done();
}
