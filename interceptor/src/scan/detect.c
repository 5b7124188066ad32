/*
 * detect.c - the scanner's driver. All rules of the requested families go into ONE
 * Vectorscan block-mode database (compiled by the build and embedded where it can: detect_db.c)
 * without HS_FLAG_SOM_LEFTMOST (start tracking in a large
 * database costs about five times the scan); each text is scanned once and every candidate
 * goes to its verifier in the match callback. Rules that need their start get a small
 * single-pattern SOM database run over a bounded window ending at the candidate. Phrase rules
 * (injected instructions) are not in the main database at all: rare anchor words are, and an
 * anchor runs its phrases over a bounded window around it. Overlapping hits of a family are
 * merged (strongest kept). Never allocates during a scan; every window is bounded and never
 * rescanned more than a constant number of times, so scans stay linear on any input.
 */
#include "scan/detect.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "scan/detect_int.h"

static const char *const family_names[DETECT_NFAMILIES] = {
    "secret", "pii", "injection", "cmdi", "traversal", "url", "poison", "invisible"};

static const char *const kind_names[DETECT_K_COUNT] = {
    [DETECT_K_NONE] = "none",
    [DETECT_K_AWS_ACCESS_KEY] = "aws_access_key",
    [DETECT_K_AWS_SECRET_KEY] = "aws_secret_key",
    [DETECT_K_GCP_SERVICE_ACCOUNT] = "gcp_service_account",
    [DETECT_K_AZURE_STORAGE_KEY] = "azure_storage_key",
    [DETECT_K_PRIVATE_KEY] = "private_key",
    [DETECT_K_JWT] = "jwt",
    [DETECT_K_GITHUB_TOKEN] = "github_token",
    [DETECT_K_GITLAB_TOKEN] = "gitlab_token",
    [DETECT_K_SLACK_TOKEN] = "slack_token",
    [DETECT_K_WEBHOOK_URL] = "webhook_url",
    [DETECT_K_STRIPE_KEY] = "stripe_key",
    [DETECT_K_NPM_TOKEN] = "npm_token",
    [DETECT_K_OPENAI_KEY] = "openai_key",
    [DETECT_K_ANTHROPIC_KEY] = "anthropic_key",
    [DETECT_K_SERVICE_TOKEN] = "service_token",
    [DETECT_K_URL_PASSWORD] = "url_password",
    [DETECT_K_BEARER_TOKEN] = "bearer_token",
    [DETECT_K_GENERIC_SECRET] = "generic_secret",
    [DETECT_K_EMAIL] = "email",
    [DETECT_K_PHONE] = "phone",
    [DETECT_K_CARD_NUMBER] = "card_number",
    [DETECT_K_US_SSN] = "us_ssn",
    [DETECT_K_UK_NINO] = "uk_nino",
    [DETECT_K_IBAN] = "iban",
    [DETECT_K_NATIONAL_ID] = "national_id",
    [DETECT_K_IGNORE_PREVIOUS] = "ignore_previous",
    [DETECT_K_ROLE_OVERRIDE] = "role_override",
    [DETECT_K_NEW_INSTRUCTIONS] = "new_instructions",
    [DETECT_K_SYSTEM_PROMPT] = "system_prompt",
    [DETECT_K_PROMPT_LEAK] = "prompt_leak",
    [DETECT_K_SECRET_REQUEST] = "secret_request",
    [DETECT_K_TOOL_INSTRUCTION] = "tool_instruction",
    [DETECT_K_FAKE_ERROR] = "fake_error",
    [DETECT_K_CREDENTIAL_REQUEST] = "credential_request",
    [DETECT_K_ROLE_TOKEN] = "role_token",
    [DETECT_K_CHAT_ROLE_LINE] = "chat_role_line",
    [DETECT_K_CONCEAL] = "conceal",
    [DETECT_K_DATA_EXFIL] = "data_exfil",
    [DETECT_K_MD_IMAGE_EXFIL] = "md_image_exfil",
    [DETECT_K_ADDRESSES_MODEL] = "addresses_model",
    [DETECT_K_TASK_OVERRIDE] = "task_override",
    [DETECT_K_JAILBREAK] = "jailbreak",
    [DETECT_K_OBFUSCATED] = "obfuscated",
    [DETECT_K_ACTION_REQUEST] = "action_request",
    [DETECT_K_CMD_CHAIN] = "cmd_chain",
    [DETECT_K_CMD_SUBST] = "cmd_subst",
    [DETECT_K_REVERSE_SHELL] = "reverse_shell",
    [DETECT_K_DOWNLOAD_EXEC] = "download_exec",
    [DETECT_K_DESTRUCTIVE] = "destructive",
    [DETECT_K_DOTDOT] = "dotdot",
    [DETECT_K_DOTDOT_ENCODED] = "dotdot_encoded",
    [DETECT_K_SENSITIVE_PATH] = "sensitive_path",
    [DETECT_K_URL_IP_HOST] = "url_ip_host",
    [DETECT_K_URL_IP_OBFUSCATED] = "url_ip_obfuscated",
    [DETECT_K_URL_METADATA] = "url_metadata",
    [DETECT_K_URL_EXFIL_HOST] = "url_exfil_host",
    [DETECT_K_URL_CREDENTIALS] = "url_credentials",
    [DETECT_K_URL_SCHEME] = "url_scheme",
    [DETECT_K_URL_LONG_QUERY] = "url_long_query",
    [DETECT_K_IMPORTANT_TAG] = "important_tag",
    [DETECT_K_SENSITIVE_FILE] = "sensitive_file",
    [DETECT_K_BEFORE_USING] = "before_using",
    [DETECT_K_SEND_CONTENTS] = "send_contents",
    [DETECT_K_TOOL_PREFERENCE] = "tool_preference",
    [DETECT_K_TOOL_SHADOWING] = "tool_shadowing",
    [DETECT_K_HTML_COMMENT] = "html_comment",
    [DETECT_K_ZERO_WIDTH] = "zero_width",
    [DETECT_K_BIDI_CONTROL] = "bidi_control",
    [DETECT_K_TAG_CHARS] = "tag_chars",
    [DETECT_K_VARIATION_SELECTORS] = "variation_selectors",
    [DETECT_K_HINT_ROT13] = "hint_rot13",
    [DETECT_K_HINT_REVERSED] = "hint_reversed",
    [DETECT_K_HINT_SPACED] = "hint_spaced",
    [DETECT_K_HINT_LEET] = "hint_leet",
};

int detect_family_index(unsigned family)
{
    if (family == 0 || (family & (family - 1)) != 0 || family > DETECT_INVISIBLE)
        return -1;
    return __builtin_ctz(family);
}

const char *detect_family_name(unsigned family)
{
    int i = detect_family_index(family);
    return i < 0 ? "?" : family_names[i];
}

const char *detect_kind_name(unsigned kind)
{
    return kind < DETECT_K_COUNT && kind_names[kind] ? kind_names[kind] : "?";
}

static void set_err(char *err, size_t errlen, const char *a, const char *b)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "%s%s", a, b);
}

static int compile_failed(const struct detector *d, hs_compile_error_t *cerr, int id, char *err,
                          size_t errlen)
{
    char what[96];
    const char *kind =
        id >= 0 && (size_t)id < d->nrules ? detect_kind_name(d->rules[id]->kind) : "?";
    snprintf(what, sizeof(what), "rule %d (%s): ", id, kind);
    set_err(err, errlen, what, cerr ? cerr->message : "compile failed");
    hs_free_compile_error(cerr);
    return -EINVAL;
}

static int detector_make(struct detector **out, unsigned families, bool embedded, char *err,
                         size_t errlen)
{
    int rc = -ENOMEM;
    struct detector *d = NULL;
    const char **exprs = NULL;
    unsigned *flags = NULL, *ids = NULL;
    hs_compile_error_t *cerr = NULL;

    *out = NULL;
    if (families == 0 || (families & ~(unsigned)DETECT_ALL) != 0) {
        set_err(err, errlen, "invalid detector families", "");
        return -EINVAL;
    }
    d = calloc(1, sizeof(*d));
    exprs = calloc(detect_nrules, sizeof(*exprs));
    flags = calloc(detect_nrules, sizeof(*flags));
    ids = calloc(detect_nrules, sizeof(*ids));
    if (d == NULL || exprs == NULL || flags == NULL || ids == NULL)
        goto out;
    d->rules = calloc(detect_nrules, sizeof(*d->rules));
    if (d->rules == NULL)
        goto out;
    d->span_db = calloc(detect_nrules, sizeof(*d->span_db));
    d->check_db = calloc(detect_nrules, sizeof(*d->check_db));
    if (d->span_db == NULL || d->check_db == NULL)
        goto out;
    d->families = families;
    for (int b = 0; b < 64; b++)
        d->phrase_id[b] = SIZE_MAX;
    /* main rules first (ids 0..nmain-1), then the phrase rules only anchors run */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < detect_nrules; i++) {
            const struct rule *r = &detect_rules[i];
            if ((r->families & families) == 0 || (r->phrase != 0) != (pass == 1))
                continue;
            if (r->phrase > 64) { /* a broken table: refuse rather than write past phrase_id */
                rc = compile_failed(d, NULL, (int)i, err, errlen);
                goto out;
            }
            if (pass == 1)
                d->phrase_id[r->phrase - 1] = d->nrules;
            exprs[d->nrules] = r->re;
            flags[d->nrules] = r->flags & ~(unsigned)HS_FLAG_SOM_LEFTMOST;
            ids[d->nrules] = (unsigned)d->nrules;
            d->rules[d->nrules++] = r;
        }
        if (pass == 0)
            d->nmain = d->nrules;
    }
    /* the databases the build compiled for this very rule table, when this host can run them */
    const void *blob;
    size_t blen;
    if (embedded && detect_db_embedded(families, &blob, &blen) &&
        detect_db_unpack(d, blob, blen) == 0) {
        detect_db_release(blob, blen);
        d->loaded = true;
        *out = d;
        d = NULL;
        rc = 0;
        goto out;
    }
    if (hs_compile_multi(exprs, flags, ids, (unsigned)d->nmain, HS_MODE_BLOCK, NULL, &d->db,
                         &cerr) != HS_SUCCESS) {
        rc = compile_failed(d, cerr, cerr ? cerr->expression : -1, err, errlen);
        d->db = NULL;
        goto out;
    }
    for (size_t i = 0; i < d->nrules; i++) {
        const struct rule *r = d->rules[i];
        if (!(r->flags & HS_FLAG_SOM_LEFTMOST))
            continue;
        if (hs_compile(r->start ? r->start : r->re, r->flags, HS_MODE_BLOCK, NULL, &d->span_db[i],
                       &cerr) != HS_SUCCESS) {
            rc = compile_failed(d, cerr, (int)i, err, errlen);
            d->span_db[i] = NULL;
            goto out;
        }
    }
    /* each anchor's phrases, in one database scanned once per window */
    for (size_t i = 0; i < d->nmain; i++) {
        const struct rule *r = d->rules[i];
        unsigned k = 0;
        if (r->vfy != V_ANCHOR)
            continue;
        for (int b = 0; b < 64; b++) {
            size_t p = d->phrase_id[b];
            if (!(r->arg & (1ull << b)) || p == SIZE_MAX)
                continue;
            exprs[k] = d->rules[p]->re;
            flags[k] = d->rules[p]->flags & ~(unsigned)HS_FLAG_SOM_LEFTMOST;
            ids[k++] = (unsigned)p;
        }
        if (k > 0 && hs_compile_multi(exprs, flags, ids, k, HS_MODE_BLOCK, NULL, &d->check_db[i],
                                      &cerr) != HS_SUCCESS) {
            rc = compile_failed(d, cerr, (int)i, err, errlen);
            d->check_db[i] = NULL;
            goto out;
        }
    }
    *out = d;
    d = NULL;
    rc = 0;
out:
    free(exprs);
    free(flags);
    free(ids);
    if (d != NULL && rc == -ENOMEM)
        set_err(err, errlen, "out of memory", "");
    detector_free(d);
    return rc;
}

int detector_new(struct detector **out, unsigned families, char *err, size_t errlen)
{
    return detector_make(out, families, true, err, errlen);
}

int detector_new_compiled(struct detector **out, unsigned families, char *err, size_t errlen)
{
    return detector_make(out, families, false, err, errlen);
}

unsigned detector_families(const struct detector *d)
{
    return d->families;
}

void detector_free(struct detector *d)
{
    if (d == NULL)
        return;
    hs_free_database(d->db);
    for (size_t i = 0; i < d->nrules; i++) {
        if (d->span_db != NULL)
            hs_free_database(d->span_db[i]);
        if (d->check_db != NULL)
            hs_free_database(d->check_db[i]);
    }
    free(d->span_db);
    free(d->check_db);
    free(d->rules);
    free(d);
}

int detect_scratch_new(const struct detector *d, struct detect_scratch **out)
{
    struct detect_scratch *s;

    *out = NULL;
    if (d == NULL || d->db == NULL)
        return -EINVAL;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return -ENOMEM;
    s->d = d;
    s->cand = calloc(DETECT_MAX_CANDIDATES, sizeof(*s->cand));
    s->done = calloc(d->nrules ? d->nrules : 1, sizeof(*s->done));
    s->extra = calloc(d->nrules ? d->nrules : 1, sizeof(*s->extra));
    s->floor = calloc(d->nrules ? d->nrules : 1, sizeof(*s->floor));
    s->cover = calloc(d->nrules ? d->nrules : 1, sizeof(*s->cover));
    if (s->cand == NULL || s->done == NULL || s->extra == NULL || s->floor == NULL ||
        s->cover == NULL || hs_alloc_scratch(d->db, &s->hs) != HS_SUCCESS)
        goto fail;
    for (size_t i = 0; i < d->nrules; i++) {
        if (d->span_db[i] != NULL && hs_alloc_scratch(d->span_db[i], &s->span_hs) != HS_SUCCESS)
            goto fail;
        if (d->check_db[i] != NULL && hs_alloc_scratch(d->check_db[i], &s->check_hs) != HS_SUCCESS)
            goto fail;
    }
    *out = s;
    return 0;
fail:
    detect_scratch_free(s);
    return -ENOMEM;
}

void detect_scratch_free(struct detect_scratch *s)
{
    if (s == NULL)
        return;
    hs_free_scratch(s->hs);
    hs_free_scratch(s->span_hs);
    hs_free_scratch(s->check_hs);
    free(s->cand);
    free(s->done);
    free(s->extra);
    free(s->floor);
    free(s->cover);
    free(s);
}

/* Family order, then offset, then strongest first: the order merging wants. */
static int cmp_merge(const void *a, const void *b)
{
    const struct detect_hit *x = a, *y = b;
    if (x->family != y->family)
        return x->family < y->family ? -1 : 1;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->len != y->len)
        return x->len > y->len ? -1 : 1;
    return x->kind < y->kind ? -1 : x->kind > y->kind;
}

static int cmp_output(const void *a, const void *b)
{
    const struct detect_hit *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    if (x->family != y->family)
        return x->family < y->family ? -1 : 1;
    return x->len < y->len ? -1 : x->len > y->len;
}

static int stronger(const struct detect_hit *x, const struct detect_hit *y)
{
    if (x->score != y->score)
        return x->score > y->score;
    return x->len > y->len;
}

/*
 * Merge overlapping hits of the same family in place: a group is a run of hits whose spans
 * chain by overlap; the strongest of the group survives with its own span.
 */
static void compact(struct detect_scratch *s)
{
    size_t w = 0;
    qsort(s->cand, s->ncand, sizeof(*s->cand), cmp_merge);
    for (size_t i = 0; i < s->ncand;) {
        struct detect_hit best = s->cand[i];
        size_t end = best.off + best.len;
        size_t j = i + 1;
        while (j < s->ncand && s->cand[j].family == best.family && s->cand[j].off < end) {
            if (stronger(&s->cand[j], &best))
                best = s->cand[j];
            if (s->cand[j].off + s->cand[j].len > end)
                end = s->cand[j].off + s->cand[j].len;
            j++;
        }
        s->cand[w++] = best;
        i = j;
    }
    s->ncand = w;
}

void detect_emit(struct detect_scratch *s, unsigned families, unsigned kind, unsigned score,
                 size_t off, size_t len)
{
    families &= s->d->families;
    if (score > 100)
        score = 100;
    if (len == 0 || off > s->len || len > s->len - off)
        return;
    if (DETECT_IS_HINT(kind)) { /* no hit: the summary's kinds say it */
        if (families != 0)
            s->sum.kinds[kind / 64] |= 1ull << (kind % 64);
        return;
    }
    while (families) {
        unsigned fam = families & -families;
        int fi = __builtin_ctz(fam);
        families &= families - 1;

        s->sum.families |= fam;
        if (score > s->sum.max_score[fi])
            s->sum.max_score[fi] = score;
        s->sum.count[fi]++;
        s->sum.kinds[kind / 64] |= 1ull << (kind % 64);

        if (s->ncand > 0) { /* the same candidate reported again: nothing new */
            const struct detect_hit *l = &s->cand[s->ncand - 1];
            if (l->family == fam && l->kind == kind && l->off == off && l->len == len) {
                if (l->score < score)
                    s->cand[s->ncand - 1].score = score;
                continue;
            }
        }
        if (s->saturated) {
            s->dropped++;
            continue;
        }
        if (s->ncand == DETECT_MAX_CANDIDATES) {
            compact(s);
            if (s->ncand > DETECT_MAX_CANDIDATES / 4 * 3) {
                s->saturated = 1;
                s->dropped++;
                continue;
            }
        }
        s->cand[s->ncand++] = (struct detect_hit){
            .family = fam, .kind = kind, .score = score, .off = off, .len = len};
    }
}

struct span_find {
    unsigned long long want_to; /* relative end of the candidate */
    unsigned long long from;    /* leftmost start found, or ULLONG_MAX */
};

/* Leftmost start among the matches ending exactly at the candidate's end. */
static int on_span(unsigned int id, unsigned long long from, unsigned long long to,
                   unsigned int flags, void *ctx)
{
    struct span_find *f = ctx;
    (void)id;
    (void)flags;
    if (to == f->want_to && from < f->from)
        f->from = from;
    return 0;
}

/*
 * The start of a SOM rule's candidate ending at `to`: the rule's own SOM database run over
 * at most `back` bytes before it (plus one byte of context, so \b sees the real neighbour),
 * never over text a previous hit of the rule already covered (that keeps repeated matches
 * linear; overlapping hits merge anyway).
 */
static int find_start(struct detect_scratch *s, size_t id, size_t to, size_t floor, size_t *from)
{
    const struct rule *r = s->d->rules[id];
    size_t back = r->back ? r->back : 512, lo = to > back ? to - back : 0, ctx;
    struct span_find f = {.from = ULLONG_MAX};
    if (lo < floor)
        lo = floor;
    if (lo >= to)
        return 0;
    ctx = lo > 0;
    f.want_to = to - lo + ctx;
    if (hs_scan(s->d->span_db[id], (const char *)s->t + lo - ctx, (unsigned)(to - lo + ctx), 0,
                s->span_hs, on_span, &f) != HS_SUCCESS ||
        f.from == ULLONG_MAX || f.from < ctx)
        return 0;
    *from = lo - ctx + (size_t)f.from;
    return 1;
}

struct window {
    struct detect_scratch *s;
    size_t base;   /* text offset of the window's first byte (one byte of context) */
    size_t min_to; /* matches ending at or before this were reported by an earlier window */
    size_t max_to; /* matches ending after this may continue past the window */
};

/* A phrase matched in a window (no start yet): find its start, verify, emit. */
static int on_window(unsigned int id, unsigned long long from, unsigned long long to,
                     unsigned int flags, void *ctx)
{
    struct window *w = ctx;
    struct detect_scratch *s = w->s;
    size_t t = w->base + (size_t)to, start;
    (void)from;
    (void)flags;
    if (id >= s->d->nrules || t <= w->min_to || t > w->max_to || t <= s->floor[id])
        return 0;
    if (find_start(s, id, t, s->floor[id], &start)) {
        detect_verify(s, s->d->rules[id], start, t);
        s->floor[id] = t;
    }
    return 0;
}

/*
 * Run the phrases of anchor rule `id` around an anchor ending at `to`. A phrase contains its
 * anchor, is at most `back` bytes long, starts at most `before` bytes before the anchor's end
 * and ends at most `after` bytes after it (struct rule.arg: WIN() in the table); the window
 * is the widest of the anchor's phrases. The anchor's check database (its phrases without
 * SOM) scans it once; a phrase's own SOM database runs only on an actual match (find_start).
 * cover[id] is how far this anchor's windows have reached: text before it is not scanned
 * again except for `back` bytes of lead-in. When anchors come densely (a window would start
 * inside the last one) the window reaches further, doubling up to 64 KiB, so dense anchors
 * cost about one scan of the text while sparse anchors keep small windows.
 */
static void run_anchor(struct detect_scratch *s, size_t id, size_t to)
{
    const struct detector *d = s->d;
    const struct rule *a = d->rules[id];
    size_t before = 0, after = 0, back = 0, covered = s->cover[id], lo, hi, ctx_lo, ctx_hi;
    struct window w = {.s = s};

    if (d->check_db[id] == NULL)
        return;
    for (int b = 0; b < 64; b++) {
        const struct rule *r;
        size_t rb, ra, rk;
        if (!(a->arg & (1ull << b)) || d->phrase_id[b] == SIZE_MAX)
            continue;
        r = d->rules[d->phrase_id[b]];
        rk = r->back ? r->back : 256;
        rb = r->arg >> 16 ? r->arg >> 16 : rk;
        ra = r->arg & 0xffff ? r->arg & 0xffff : rk;
        before = rb > before ? rb : before;
        after = ra > after ? ra : after;
        back = rk > back ? rk : back;
    }
    if (covered > 0 && covered >= (to + after < s->len ? to + after : s->len))
        return; /* an earlier window already reached past every match this anchor can start */
    lo = to > before ? to - before : 0;
    if (covered > lo) {
        s->extra[id] = s->extra[id] ? s->extra[id] * 2 : 256;
        if (s->extra[id] > 65536)
            s->extra[id] = 65536;
        if (covered > back && lo < covered - back)
            lo = covered - back;
    } else {
        s->extra[id] = 0;
    }
    hi = to + after + s->extra[id];
    if (hi > s->len)
        hi = s->len;
    ctx_lo = lo > 0 ? lo - 1 : lo;
    ctx_hi = hi < s->len ? hi + 1 : hi;
    w.base = ctx_lo;
    w.min_to = covered;
    w.max_to = hi;
    s->cover[id] = hi;
    hs_scan(d->check_db[id], (const char *)s->t + ctx_lo, (unsigned)(ctx_hi - ctx_lo), 0,
            s->check_hs, on_window, &w);
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ctx)
{
    struct detect_scratch *s = ctx;
    const struct rule *r;
    size_t done, start = (size_t)from;
    (void)flags;

    if (id >= s->d->nmain || to > s->len)
        return 0;
    r = s->d->rules[id];
    if (r->vfy != V_ANCHOR && to <= s->done[id])
        return 0;
    if (r->vfy == V_ANCHOR) {
        run_anchor(s, id, (size_t)to);
        return 0;
    }
    if (s->d->span_db[id] != NULL && !find_start(s, id, (size_t)to, s->done[id], &start))
        return 0;
    done = detect_verify(s, r, start, (size_t)to);
    if (done > s->done[id])
        s->done[id] = done;
    return 0;
}

int detect_scan(const struct detector *d, struct detect_scratch *s, const char *text, size_t len,
                struct detect_hit *hits, size_t max, size_t *n)
{
    hs_error_t e;

    if (n != NULL)
        *n = 0;
    if (d == NULL || s == NULL || s->d != d || n == NULL || (text == NULL && len > 0) ||
        (hits == NULL && max > 0))
        return -EINVAL;
    if (len >= UINT_MAX)
        return SE_ETOOBIG;
    memset(&s->sum, 0, sizeof(s->sum));
    if (len == 0)
        return 0;

    s->t = (const unsigned char *)text;
    s->len = len;
    s->ncand = 0;
    s->dropped = 0;
    s->saturated = 0;
    s->url_end = 0;
    s->aws_seen = 0;
    s->card_head = -1;
    s->pem_end.valid = 0;
    s->comment_end.valid = 0;
    memset(s->done, 0, d->nrules * sizeof(*s->done));
    memset(s->extra, 0, d->nrules * sizeof(*s->extra));
    memset(s->floor, 0, d->nrules * sizeof(*s->floor));
    memset(s->cover, 0, d->nrules * sizeof(*s->cover));

    e = hs_scan(d->db, text, (unsigned)len, 0, s->hs, on_match, s);
    s->t = NULL;
    if (e != HS_SUCCESS) {
        s->ncand = 0;
        return e == HS_SCRATCH_IN_USE ? -EBUSY : e == HS_INVALID ? -EINVAL : -EIO;
    }
    compact(s);
    qsort(s->cand, s->ncand, sizeof(*s->cand), cmp_output);
    for (size_t i = 0; i < s->ncand && i < max; i++)
        hits[i] = s->cand[i];
    *n = s->ncand + s->dropped;
    return 0;
}

void detect_last_summary(const struct detect_scratch *s, struct detect_summary *out)
{
    *out = s->sum;
}

/* One code point of a 4-byte UTF-8 sequence at p (no validation beyond the lead byte). */
static unsigned cp4(const unsigned char *p)
{
    return ((unsigned)(p[0] & 0x07) << 18) | ((unsigned)(p[1] & 0x3f) << 12) |
           ((unsigned)(p[2] & 0x3f) << 6) | (unsigned)(p[3] & 0x3f);
}

size_t detect_hidden_text(const char *text, size_t len, const struct detect_hit *h, char *out,
                          size_t outlen)
{
    const unsigned char *p, *e;
    size_t n = 0;

    if (outlen > 0)
        out[0] = '\0';
    if (text == NULL || h == NULL || h->off > len || h->len > len - h->off)
        return 0;
    if (h->kind != DETECT_K_TAG_CHARS && h->kind != DETECT_K_VARIATION_SELECTORS)
        return 0;
    p = (const unsigned char *)text + h->off;
    e = p + h->len;
    while (p < e) {
        int b = -1;
        if (*p == 0xF3 && e - p >= 4) {
            unsigned cp = cp4(p);
            if (h->kind == DETECT_K_TAG_CHARS && cp >= 0xE0020 && cp <= 0xE007E)
                b = (int)(cp - 0xE0000);
            else if (h->kind == DETECT_K_VARIATION_SELECTORS && cp >= 0xE0100 && cp <= 0xE01EF)
                b = (int)(cp - 0xE0100 + 16);
            p += 4;
        } else if (*p == 0xEF && e - p >= 3 && p[1] == 0xB8 && p[2] >= 0x80 && p[2] <= 0x8F) {
            if (h->kind == DETECT_K_VARIATION_SELECTORS)
                b = p[2] - 0x80;
            p += 3;
        } else {
            p++;
        }
        if (b < 0)
            continue;
        if (outlen > 0 && n + 1 < outlen) {
            out[n] = (char)b;
            out[n + 1] = '\0';
        }
        n++;
    }
    return n;
}
