/*
 * fuzz_detect.c - the content scanners (every family) on arbitrary bytes. The detector is
 * compiled once (slow) and shared by every input. Invariants: a scan succeeds; every hit
 * is one known family and kind, scored 0..100, with a non-empty span inside the text;
 * hits are ordered by offset and hits of one family do not overlap (when no candidate was
 * dropped); *n counts at least the hits written; a smaller `max` gives a prefix of the
 * same hits; scanning twice gives the same hits and summary; the summary covers every hit;
 * detect_hidden_text stays within its buffer; the fold_text and fold_view readings keep their
 * length bounds, and ROT13 and reversal undo themselves.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_util.h"
#include "scan/detect.h"
#include "scan/fold.h"

#define MAXH 256

static struct detector *det;
static struct detect_scratch *scr;

static bool hits_eq(const struct detect_hit *a, const struct detect_hit *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].family != b[i].family || a[i].kind != b[i].kind || a[i].score != b[i].score ||
            a[i].off != b[i].off || a[i].len != b[i].len)
            return false;
    return true;
}

static bool summary_eq(const struct detect_summary *a, const struct detect_summary *b)
{
    if (a->families != b->families || a->kinds[0] != b->kinds[0] || a->kinds[1] != b->kinds[1])
        return false;
    for (int f = 0; f < DETECT_NFAMILIES; f++)
        if (a->max_score[f] != b->max_score[f] || a->count[f] != b->count[f])
            return false;
    return true;
}

static void init(void)
{
    char err[512];
    if (det != NULL)
        return;
    int rc = detector_new(&det, DETECT_ALL, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "detector_new: %d %s\n", rc, err);
    FUZZ_CHECK(rc == 0 && det != NULL);
    FUZZ_CHECK(detector_families(det) == DETECT_ALL);
    FUZZ_CHECK(detect_scratch_new(det, &scr) == 0 && scr != NULL);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct detect_hit h1[MAXH], h2[MAXH], h3[MAXH];
    const char *text = (const char *)data;
    size_t n1 = 0, n2 = 0, n3 = 0, n0 = 0;
    struct detect_summary s1, s2;
    init();

    FUZZ_CHECK(detect_scan(det, scr, text, size, h1, MAXH, &n1) == 0);
    detect_last_summary(scr, &s1);
    size_t w = n1 < MAXH ? n1 : MAXH;
    size_t cands = 0;
    for (int f = 0; f < DETECT_NFAMILIES; f++)
        cands += s1.count[f];
    FUZZ_CHECK(s1.families <= DETECT_ALL);
    for (size_t i = 0; i < w; i++) {
        const struct detect_hit *h = &h1[i];
        int fi = detect_family_index(h->family);
        FUZZ_CHECK(fi >= 0 && fi < DETECT_NFAMILIES);
        FUZZ_CHECK(h->kind > DETECT_K_NONE && h->kind < DETECT_K_COUNT);
        FUZZ_CHECK(strcmp(detect_kind_name(h->kind), "?") != 0);
        FUZZ_CHECK(h->score <= 100);
        FUZZ_CHECK(h->len > 0 && h->off <= size && h->len <= size - h->off);
        if (i > 0)
            FUZZ_CHECK(h1[i - 1].off <= h->off);
        /* the summary covers it */
        FUZZ_CHECK(s1.families & h->family);
        FUZZ_CHECK(s1.max_score[fi] >= h->score);
        FUZZ_CHECK(s1.count[fi] >= 1);
        FUZZ_CHECK(s1.kinds[h->kind / 64] >> (h->kind % 64) & 1);
        /* merged: hits of one family do not overlap */
        if (cands <= DETECT_MAX_CANDIDATES)
            for (size_t j = 0; j < i; j++)
                if (h1[j].family == h->family)
                    FUZZ_CHECK(h1[j].off + h1[j].len <= h->off);
        if (h->kind == DETECT_K_TAG_CHARS || h->kind == DETECT_K_VARIATION_SELECTORS) {
            char out[64];
            memset(out, 0x55, sizeof(out));
            size_t got = detect_hidden_text(text, size, h, out, sizeof(out));
            FUZZ_CHECK(memchr(out, '\0', sizeof(out)) != NULL);
            FUZZ_CHECK(out[got < sizeof(out) ? got : sizeof(out) - 1] == '\0'); /* bytes may be NUL */
            FUZZ_CHECK(detect_hidden_text(text, size, h, out, 0) == got);
        }
    }
    if (cands <= DETECT_MAX_CANDIDATES)
        FUZZ_CHECK(n1 <= cands);

    /* deterministic */
    FUZZ_CHECK(detect_scan(det, scr, text, size, h2, MAXH, &n2) == 0);
    detect_last_summary(scr, &s2);
    FUZZ_CHECK(n1 == n2);
    FUZZ_CHECK(hits_eq(h1, h2, w));
    FUZZ_CHECK(summary_eq(&s1, &s2));

    /* max 0 and a small max: the same count, a prefix of the same hits */
    FUZZ_CHECK(detect_scan(det, scr, text, size, NULL, 0, &n0) == 0);
    FUZZ_CHECK(n0 == n1);
    FUZZ_CHECK(detect_scan(det, scr, text, size, h3, 2, &n3) == 0);
    FUZZ_CHECK(n3 == n1);
    FUZZ_CHECK(hits_eq(h1, h3, w < 2 ? w : 2));
    detect_last_summary(scr, &s2);
    FUZZ_CHECK(summary_eq(&s1, &s2));

    /* folding (scan/fold.h): never longer, ASCII never changes, a fixed point for valid UTF-8
     * (in invalid UTF-8 a dropped code point may join stray bytes into a new sequence) */
    {
        char *f1 = malloc(size + 1), *f2 = malloc(size + 1);
        size_t l1 = 0, l2 = 0;
        FUZZ_CHECK(f1 != NULL && f2 != NULL);
        bool ascii = true, valid = true;
        for (size_t i = 0; i < size && ascii; i++)
            ascii = (unsigned char)text[i] < 0x80;
        for (size_t i = 0, k; i < size && valid; i += k)
            valid = (k = fz_utf8_len((const uint8_t *)text + i, size - i)) > 0;
        bool changed = fold_text(text, size, f1, &l1);
        FUZZ_CHECK(l1 <= size);
        FUZZ_CHECK(!ascii || (!changed && l1 == 0));
        if (changed && valid) {
            FUZZ_CHECK(!fold_text(f1, l1, f2, &l2) || (l2 == l1 && memcmp(f1, f2, l1) == 0));
        }
        /* the other readings: never longer; ROT13 and reversal undo themselves (reversal on
         * valid UTF-8); leetspeak keeps the length; spelled-out runs only shrink */
        FUZZ_CHECK(fold_view(FOLD_ROT13, text, size, f1) == size);
        FUZZ_CHECK(fold_view(FOLD_ROT13, f1, size, f2) == size && memcmp(f2, text, size) == 0);
        FUZZ_CHECK(fold_view(FOLD_REVERSED, text, size, f1) == size);
        FUZZ_CHECK(!valid || (fold_view(FOLD_REVERSED, f1, size, f2) == size &&
                              memcmp(f2, text, size) == 0));
        FUZZ_CHECK(fold_view(FOLD_LEET, text, size, f1) == size);
        FUZZ_CHECK(fold_view(FOLD_SPACED, text, size, f1) <= size);
        free(f1);
        free(f2);
    }
    return 0;
}
