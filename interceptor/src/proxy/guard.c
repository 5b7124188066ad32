/*
 * guard.c - the content guards of a session (guard.h): glue between the session and the
 * detectors (scan/detect.h), the tracked-value store (scan/tracked.h), spotlighting
 * (mcp/spotlight.h), pins (proxy/pins.h) and input schemas (mcp/schema.h).
 */
#include "proxy/guard.h"
#include "scan/fold.h"
#include "scan/unwrap.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/hash.h"
#include "mcp/json.h"
#include "mcp/uri.h"
#include "mcp/outschema.h"
#include "mcp/schema.h"
#include "mcp/spotlight.h"
#include "policy/policy.h"
#include "proxy/pins.h"
#include "scan/detect.h"
#include "scan/tracked_enc.h" /* enc_b64val */
#include "scan/tracked.h"

#define GUARD_HITS 64
/* one string with more secret and PII hits than this (a dump of customers' addresses) tracks
 * this many and labels the session `untracked` */
#define GUARD_TRACK_HITS_MAX 16384
#define GUARD_VIEW_KEEP (1u << 20) /* the params view keeps this much memory between calls */
#define GUARD_DECODE_MIN UNWRAP_LONG_MIN /* shorter strings: nothing worth decoding */
/* A phrase split over two strings of a result (two text blocks) is found in the seam between
 * them: this many bytes of each side (what came before, across short strings, and what
 * follows). Longer than any rule's phrase. */
#define GUARD_SEAM 512
#define GUARD_SEAM_CHUNK (64u << 10)

struct schema_slot {
    char *name; /* NULL: empty */
    size_t len;
    struct schema *s;
    char *unsupported; /* JSON pointers of keywords not enforced, or NULL */
    char *out_schema;  /* the tool's outputSchema, raw JSON text, or NULL */
    size_t out_len;
    unsigned poison;   /* the description's worst poisoning score */
    char poison_kind[40];
    bool seen; /* listed in the current listing */
    bool dup;  /* ... more than once: which definition applies is ambiguous */
    bool out_stale; /* listed by sentinel itself with an outputSchema other than the one the
                     * client was last shown: the client checks results against that one */
    char *schema_err; /* listed, but its inputSchema is absent or could not be compiled */
};

/* A listed resource template: resources/read of a URI it matches is judged by its pin. */
struct tmpl {
    char *name, *uri_template;
    size_t name_len;
    unsigned poison; /* the definition's worst poisoning score */
    char poison_kind[40];
};

struct guard {
    char *pins_path;
    struct tmpl *tmpls; /* the last resources/templates/list, all pages */
    size_t ntmpls, tmpls_cap;
    struct detector *res_det, *arg_det, *desc_det;
    struct detect_scratch *res_scr, *arg_scr, *desc_scr;
    struct tracked *tracked;
    struct pin_store *pins;
    unsigned strong[8], nstrong; /* kinds of 50 or more in the definition being judged */
    struct schema_slot *schemas; /* open addressing, power of two */
    size_t schemas_cap, nschemas;
    bool schemas_full;   /* the last listing had tools past GUARD_MAX_SCHEMAS: unknown schemas */
    /* the table of the client's last listing, kept while sentinel's own re-lists (answered
     * to nobody) fill `schemas`; has_shown: it is kept (empty: the client listed nothing) */
    struct schema_slot *shown;
    size_t shown_cap;
    bool has_shown;
    struct json_doc doc; /* deep parses of results and listings */
    struct json_doc sdoc; /* an outputSchema, for spotlighting structuredContent */
    const char *parsed_line; /* *cur holds a full parse of this result line (from its scan) */
    size_t parsed_len;
    struct json_doc *cur; /* the parse scan_node walks: &doc, or the caller's */
    struct buf str;      /* unescaped strings */
    struct buf view;     /* the arguments' strings decoded, for tracked values (args_view) */
    struct buf seam;     /* a result's strings joined by newlines, a chunk at a time (seam) */
    struct buf fold;     /* a string as a reader sees it (scan/fold.h), when that differs */
    struct buf sepv;     /* the arguments' strings one a line (args_view) */
    struct buf alt[2];   /* the arguments' encoded runs decoded, twice (unwrap) */
    bool seam_joined;    /* ... and the chunk holds a join not yet scanned */
    struct detect_hit hits[GUARD_HITS];
};

int guard_new(struct guard **out, const struct guard_opts *o, char *err, size_t errlen)
{
    struct guard *g = calloc(1, sizeof(*g));
    if (g == NULL)
        return -ENOMEM;
    if (o->pins_path != NULL && (g->pins_path = strdup(o->pins_path)) == NULL) {
        free(g);
        return -ENOMEM;
    }
    json_doc_init(&g->doc, JSON_DEFAULT_MAX_DEPTH, JSON_DEFAULT_MAX_NODES);
    json_doc_init(&g->sdoc, JSON_DEFAULT_MAX_DEPTH, 1u << 16);
    buf_init(&g->str, (size_t)1 << 30);
    buf_init(&g->view, (size_t)1 << 30);
    buf_init(&g->seam, GUARD_SEAM_CHUNK + 2 * GUARD_SEAM + 1);
    buf_init(&g->fold, (size_t)1 << 30);
    buf_init(&g->sepv, (size_t)1 << 30);
    buf_init(&g->alt[0], (size_t)1 << 30);
    buf_init(&g->alt[1], (size_t)1 << 30);
    (void)err;
    (void)errlen;
    *out = g;
    return 0;
}

static struct schema_slot *schema_slot(struct guard *g, const char *name, size_t len,
                                       bool insert);
static const struct tmpl *tmpl_find(const struct guard *g, const char *name, size_t len);

static void tmpls_clear(struct guard *g)
{
    for (size_t i = 0; i < g->ntmpls; i++) {
        free(g->tmpls[i].name);
        free(g->tmpls[i].uri_template);
    }
    free(g->tmpls);
    g->tmpls = NULL;
    g->ntmpls = g->tmpls_cap = 0;
}

static void slots_free(struct schema_slot *v, size_t cap)
{
    for (size_t i = 0; i < cap; i++) {
        free(v[i].name);
        schema_free(v[i].s);
        free(v[i].unsupported);
        free(v[i].out_schema);
        free(v[i].schema_err);
    }
    free(v);
}

static void schemas_clear(struct guard *g)
{
    slots_free(g->schemas, g->schemas_cap);
    g->schemas = NULL;
    g->schemas_cap = g->nschemas = 0;
    g->schemas_full = false;
}

static void shown_clear(struct guard *g)
{
    slots_free(g->shown, g->shown_cap);
    g->shown = NULL;
    g->shown_cap = 0;
    g->has_shown = false;
}

/* A listing of tools starts: sentinel's own keeps the table the client was shown. */
static void schemas_begin(struct guard *g, bool internal)
{
    if (internal && !g->has_shown) {
        g->shown = g->schemas;
        g->shown_cap = g->schemas_cap;
        g->has_shown = true;
        g->schemas = NULL;
        g->schemas_cap = g->nschemas = 0;
    } else if (!internal) {
        shown_clear(g);
    }
    schemas_clear(g);
}

/* Did the client's last listing show tool `name` with another outputSchema (or twice)? */
static bool out_changed(const struct guard *g, const struct schema_slot *sl)
{
    if (!g->has_shown || g->shown_cap == 0)
        return false;
    size_t j = hash_fnv1a64(sl->name, sl->len) & (g->shown_cap - 1);
    for (; g->shown[j].name != NULL; j = (j + 1) & (g->shown_cap - 1)) {
        const struct schema_slot *w = &g->shown[j];
        if (w->len != sl->len || memcmp(w->name, sl->name, sl->len) != 0)
            continue;
        if (w->dup || (w->out_schema == NULL) != (sl->out_schema == NULL))
            return true;
        return w->out_schema != NULL &&
               (w->out_len != sl->out_len || memcmp(w->out_schema, sl->out_schema, w->out_len));
    }
    return false; /* not shown: the client holds no outputSchema for it */
}

void guard_free(struct guard *g)
{
    if (g == NULL)
        return;
    detect_scratch_free(g->res_scr);
    detect_scratch_free(g->arg_scr);
    detect_scratch_free(g->desc_scr);
    detector_free(g->res_det);
    detector_free(g->arg_det);
    detector_free(g->desc_det);
    tracked_free(g->tracked);
    pins_free(g->pins);
    schemas_clear(g);
    shown_clear(g);
    tmpls_clear(g);
    json_doc_cleanup(&g->doc);
    json_doc_cleanup(&g->sdoc);
    buf_cleanup(&g->str);
    buf_cleanup(&g->view);
    buf_cleanup(&g->seam);
    buf_cleanup(&g->fold);
    buf_cleanup(&g->sepv);
    buf_cleanup(&g->alt[0]);
    buf_cleanup(&g->alt[1]);
    free(g->pins_path);
    free(g);
}

static int make_detector(struct detector **d, struct detect_scratch **s, unsigned families,
                         char *err, size_t errlen)
{
    if (*d != NULL)
        return 0;
    int rc = detector_new(d, families, err, errlen);
    if (rc == 0 && (rc = detect_scratch_new(*d, s)) < 0) {
        detector_free(*d);
        *d = NULL;
        snprintf(err, errlen, "detector scratch: %s", strerror(-rc));
    }
    return rc;
}

/* what threat scores read in arguments (run, explain and replay: one detector) */
#define ARG_FAMILIES (DETECT_ARGUMENTS | DETECT_PII)

#define GUARD_MARKS_FILE_MAX (16u << 20) /* a taint.track file */

static void track_windows(struct guard *g, const char *p, size_t n, const struct labelset *l,
                          const struct tracked_prov *prov, uint64_t now_ns, size_t *added,
                          size_t *refused);

int guard_mark(struct guard *g, const void *value, size_t len, const struct labelset *labels,
               const char *what, bool *is_new, char digest[65], char *err, size_t errlen)
{
    if (g->tracked == NULL) {
        int rc = tracked_new(NULL, &g->tracked);
        if (rc < 0) {
            snprintf(err, errlen, "tracked values: %s", strerror(-rc));
            return rc;
        }
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    struct tracked_prov prov = {.origin = TRACKED_FROM_OPERATOR, .tool = what,
                                .tool_len = strlen(what)};
    uint32_t id = 0;
    uint64_t now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    int rc = tracked_add(g->tracked, value, len, labels, &prov, now, &id);
    if (rc >= 0) {
        /* like a secret found in a result: most of it is it (the key without its last
         * character, its first thirty); windows the tracker cannot take are not an error */
        size_t added = 0, refused = 0;
        track_windows(g, value, len, labels, &prov, now, &added, &refused);
        if (is_new != NULL)
            *is_new = rc == 0;
        if (digest != NULL)
            tracked_value_digest(g->tracked, id, digest);
        return 0;
    }
    snprintf(err, errlen, "%s: %s", what,
             rc == -EINVAL    ? "shorter than 8 bytes: too short to track without matching noise"
             : rc == -EMSGSIZE ? "longer than the 4,096 bytes a tracked value may have"
             : rc == -EAGAIN   ? "more values than the tracker takes at once (16,384)"
             : rc == -ENOMEM   ? "out of memory"
                               : "the tracker is full (100,000 values or 16 MiB)");
    return rc;
}

/* Track one value the operator marked in the policy; `what` names where it came from
 * ("env:NAME", "file:PATH:LINE"). 0 or -1 with err set. */
static int add_mark(struct guard *g, const struct track_mark *m, const char *v, size_t n,
                    const char *what, char *err, size_t errlen)
{
    char why[200];
    if (guard_mark(g, v, n, &m->labels, what, NULL, NULL, why, sizeof(why)) == 0)
        return 0;
    snprintf(err, errlen, "taint.track (line %u): %s", m->line, why);
    return -1;
}

/* The values of a taint.track file: one per line (LF or CRLF), empty lines skipped. The file
 * holds secrets: it must not be readable by group or others. */
static int add_mark_file(struct guard *g, const struct track_mark *m, const char *source,
                         char *err, size_t errlen)
{
    char path[4096];
    const char *slash = source != NULL ? strrchr(source, '/') : NULL;
    if (m->file[0] == '/' || slash == NULL)
        snprintf(path, sizeof(path), "%s", m->file);
    else
        snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - source), source, m->file);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK); /* a FIFO must not block */
    struct stat st;
    if (fd < 0) {
        if (m->optional && errno == ENOENT)
            return 0;
        snprintf(err, errlen, "taint.track (line %u): %s: %s", m->line, path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) != 0 ||
        st.st_size > (off_t)GUARD_MARKS_FILE_MAX) {
        snprintf(err, errlen, "taint.track (line %u): %s: %s", m->line, path,
                 !S_ISREG(st.st_mode)      ? "not a regular file"
                 : (st.st_mode & 077) != 0 ? "readable by group or others: a file of secrets "
                                             "must be 0600 or stricter (chmod 600)"
                                           : "larger than 16 MiB");
        close(fd);
        return -1;
    }
    size_t cap = (size_t)st.st_size, len = 0;
    char *text = malloc(cap + 1);
    int rc = text != NULL ? 0 : -1;
    while (rc == 0 && len < cap) {
        ssize_t r = read(fd, text + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (rc < 0) {
        snprintf(err, errlen, "taint.track (line %u): %s: out of memory", m->line, path);
        return -1;
    }
    unsigned line = 0;
    for (size_t at = 0; at < len && rc == 0;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len, n = end - at;
        line++;
        if (n > 0 && text[at + n - 1] == '\r')
            n--;
        if (n > 0) {
            char what[160];
            snprintf(what, sizeof(what), "file:%s:%u", m->file, line);
            rc = add_mark(g, m, text + at, n, what, err, errlen);
        }
        at = end + 1;
    }
    explicit_bzero(text, len);
    free(text);
    return rc;
}

/* taint.track: the values the operator marks, tracked before any call. Again on a reload:
 * a value already tracked keeps its id and gains nothing but the source. */
static int add_marks(struct guard *g, const struct policy *p, char *err, size_t errlen)
{
    for (size_t i = 0; i < p->nmarks; i++) {
        const struct track_mark *m = &p->marks[i];
        if (m->file != NULL) {
            if (add_mark_file(g, m, p->source, err, errlen) < 0)
                return SE_EINPUT;
            continue;
        }
        const char *v = getenv(m->env);
        if (v == NULL || *v == '\0') {
            if (m->optional)
                continue;
            snprintf(err, errlen,
                     "taint.track (line %u): the environment variable %s is not set (or empty); "
                     "say optional: true if it may be absent", m->line, m->env);
            return SE_EINPUT;
        }
        char what[160];
        snprintf(what, sizeof(what), "env:%s", m->env);
        if (add_mark(g, m, v, strlen(v), what, err, errlen) < 0)
            return SE_EINPUT;
    }
    return 0;
}

int guard_prepare_facts(struct guard *g, const struct policy *p, char *err, size_t errlen)
{
    if (!p->needs_facts)
        return 0;
    return make_detector(&g->arg_det, &g->arg_scr, ARG_FAMILIES, err, errlen);
}

int guard_prepare(struct guard *g, const struct policy *p, char *err, size_t errlen)
{
    int rc = 0;
    if (p->scan_results)
        rc = make_detector(&g->res_det, &g->res_scr, DETECT_RESULTS, err, errlen);
    if (rc == 0)
        rc = guard_prepare_facts(g, p, err, errlen);
    if (rc == 0 && (p->pins > PINS_OFF || g->pins_path != NULL))
        rc = make_detector(&g->desc_det, &g->desc_scr, DETECT_DESCRIPTIONS, err, errlen);
    if (rc == 0 && (p->track_values || p->nmarks > 0) && g->tracked == NULL) {
        rc = tracked_new(NULL, &g->tracked);
        if (rc < 0)
            snprintf(err, errlen, "tracked values: %s", strerror(-rc));
    }
    if (rc == 0 && p->nmarks > 0)
        rc = add_marks(g, p, err, errlen);
    if (rc == 0 && g->pins == NULL && (p->pins > PINS_OFF || g->pins_path != NULL)) {
        rc = pins_open(&g->pins, g->pins_path, PINS_O_CREATE, err, errlen);
    }
    return rc;
}

void guard_prep_build(const struct guard *g, const struct policy *p, struct guard_prep *out)
{
    memset(out, 0, sizeof(*out));
    bool want[3] = {p->scan_results && g->res_det == NULL,
                    p->needs_facts && g->arg_det == NULL,
                    (p->pins > PINS_OFF || g->pins_path != NULL) && g->desc_det == NULL};
    static const unsigned fams[3] = {DETECT_RESULTS, ARG_FAMILIES, DETECT_DESCRIPTIONS};
    for (int i = 0; i < 3 && out->rc == 0; i++)
        if (want[i])
            out->rc = make_detector(&out->det[i], &out->scr[i], fams[i], out->err,
                                    sizeof(out->err));
}

void guard_prep_install(struct guard *g, struct guard_prep *prep)
{
    struct detector **d[3] = {&g->res_det, &g->arg_det, &g->desc_det};
    struct detect_scratch **sc[3] = {&g->res_scr, &g->arg_scr, &g->desc_scr};
    for (int i = 0; i < 3; i++) {
        if (prep->det[i] == NULL)
            continue;
        if (*d[i] == NULL) {
            *d[i] = prep->det[i];
            *sc[i] = prep->scr[i];
        } else {
            detect_scratch_free(prep->scr[i]);
            detector_free(prep->det[i]);
        }
        prep->det[i] = NULL;
        prep->scr[i] = NULL;
    }
}

/* ---- results ---------------------------------------------------------------------- */

static void add_label(struct labelset *l, const char *name)
{
    int id = label_intern(name, strlen(name));
    if (id >= 0)
        labelset_add(l, id);
}

/* The findings of the last scan with res_scr, into out. */
static void merge_summary(struct guard *g, struct guard_scan *out)
{
    struct detect_summary sum;
    detect_last_summary(g->res_scr, &sum);
    out->families |= sum.families;
    for (int i = 0; i < 8; i++)
        if (sum.max_score[i] > out->max_score[i])
            out->max_score[i] = sum.max_score[i];
    for (unsigned k = DETECT_K_HINT_FIRST; k < DETECT_K_COUNT; k++) /* hints are not findings */
        sum.kinds[k / 64] &= ~(1ull << (k % 64));
    out->kinds[0] |= sum.kinds[0];
    out->kinds[1] |= sum.kinds[1];
}

/* After a scan of text[0..len): the other readings its hints ask for (ROT13, reversed, spelled
 * out, leetspeak; scan/fold.h fold_view), each scanned in g->fold; findings merge. */
static int scan_hinted(struct guard *g, const char *text, size_t len, struct guard_scan *out)
{
    struct detect_summary sum;
    detect_last_summary(g->res_scr, &sum);
    static const struct {
        unsigned kind;
        enum fold_view view;
    } hints[] = {{DETECT_K_HINT_ROT13, FOLD_ROT13},
                 {DETECT_K_HINT_REVERSED, FOLD_REVERSED},
                 {DETECT_K_HINT_SPACED, FOLD_SPACED},
                 {DETECT_K_HINT_LEET, FOLD_LEET}};
    for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
        unsigned k = hints[i].kind;
        if (!(sum.kinds[k / 64] >> (k % 64) & 1))
            continue;
        buf_reset(&g->fold);
        if (buf_reserve(&g->fold, len) < 0)
            return -ENOMEM;
        g->fold.len = fold_view(hints[i].view, text, len, g->fold.data);
        size_t n = 0;
        int rc = detect_scan(g->res_det, g->res_scr, g->fold.data, g->fold.len, g->hits,
                             GUARD_HITS, &n);
        if (rc < 0)
            return rc;
        merge_summary(g, out);
        out->views++;
    }
    return 0;
}

/*
 * The seams between a result's strings: the model reads text blocks one after the other, so
 * "IMPORTANT: ignore all previous" and "instructions and ..." in two blocks are one
 * instruction. The strings are joined with newlines into g->seam (a long string gives only its
 * first and last GUARD_SEAM bytes: its inside was scanned whole), and the joined text is
 * scanned in chunks of GUARD_SEAM_CHUNK that overlap by GUARD_SEAM, only when a chunk holds a
 * join. Findings count like any other; values are not tracked from a seam (each side was
 * scanned whole and tracked). Empty strings do not break a seam. Cost: every byte of short
 * strings is scanned about once more.
 */
static int seam_flush(struct guard *g, struct guard_scan *out, bool keep)
{
    struct buf *w = &g->seam;
    int rc = 0;
    size_t n = 0;
    if (g->seam_joined &&
        (rc = detect_scan(g->res_det, g->res_scr, w->data, w->len, g->hits, GUARD_HITS, &n)) == 0)
        merge_summary(g, out);
    g->seam_joined = false;
    if (keep && w->len > GUARD_SEAM)
        buf_consume(w, w->len - GUARD_SEAM);
    else if (!keep)
        buf_reset(w);
    return rc;
}

static int seam(struct guard *g, const char *p, size_t len, struct guard_scan *out)
{
    struct buf *w = &g->seam;
    int rc = 0;
    if (len == 0)
        return 0;
    if (w->len > 0) {
        if ((rc = buf_putc(w, '\n')) < 0)
            return rc;
        g->seam_joined = true;
    }
    if (len > 2 * GUARD_SEAM) {
        if ((rc = buf_append(w, p, GUARD_SEAM)) < 0 || (rc = seam_flush(g, out, false)) < 0)
            return rc;
        return buf_append(w, p + len - GUARD_SEAM, GUARD_SEAM);
    }
    if ((rc = buf_append(w, p, len)) < 0)
        return rc;
    return w->len >= GUARD_SEAM_CHUNK ? seam_flush(g, out, true) : 0;
}

/* Members whose values are names, not text the model reads: a block's "type" between two
 * text blocks must not break the seam. */
static bool seam_skips(const char *key, size_t len)
{
    static const struct {
        const char *s;
        size_t n;
    } names[] = {{"type", 4}, {"mimeType", 8}, {"uri", 3}, {"blob", 4}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (len == names[i].n && memcmp(key, names[i].s, len) == 0)
            return true;
    return false;
}



/*
 * Fragments of a secret, each tracked as a value of its own: an agent told to send "the key
 * without its last character" or "its first thirty characters" still sends most of it.
 * At most FRAG_MAX windows of FRAG_LEN characters spread over the value, FRAG_STEP or more
 * apart, the last at its end: any part of FRAG_LEN + step - 1 characters holds one (19 for a
 * value of up to 60 characters, 23 for 100, 29 for 164), from secrets of FRAG_MIN_VALUE
 * characters or more. A window must look random (letters and digits, FRAG_DISTINCT different
 * characters), so that a common prefix ("https://hooks.slack.com/") or a passphrase's words
 * are no fragment; of a JWT only the signature, as its header and claims are shared by many.
 * Not PII: a part of an address or a number is someone else's too.
 */
#define FRAG_LEN 16
#define FRAG_STEP 4
#define FRAG_MAX 12
#define FRAG_MIN_VALUE 24
#define FRAG_DISTINCT 10

static bool fragment_kind(unsigned kind)
{
    switch (kind) {
    case DETECT_K_AWS_SECRET_KEY:
    case DETECT_K_AZURE_STORAGE_KEY:
    case DETECT_K_JWT:
    case DETECT_K_GITHUB_TOKEN:
    case DETECT_K_GITLAB_TOKEN:
    case DETECT_K_SLACK_TOKEN:
    case DETECT_K_WEBHOOK_URL:
    case DETECT_K_STRIPE_KEY:
    case DETECT_K_NPM_TOKEN:
    case DETECT_K_OPENAI_KEY:
    case DETECT_K_ANTHROPIC_KEY:
    case DETECT_K_SERVICE_TOKEN:
    case DETECT_K_URL_PASSWORD:
    case DETECT_K_BEARER_TOKEN:
    case DETECT_K_GENERIC_SECRET:
        return true;
    default:
        return false;
    }
}

/* Letters and digits, or letters of both cases (base64 without a digit in 16 characters is
 * 1 in 28), with FRAG_DISTINCT different characters: no word, no run of one character. */
static bool random_window(const unsigned char *p, size_t n)
{
    bool seen[128] = {false}, alpha = false, digit = false, upper = false, lower = false;
    unsigned distinct = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= 128)
            return false;
        alpha |= isalpha(p[i]) != 0;
        digit |= isdigit(p[i]) != 0;
        upper |= isupper(p[i]) != 0;
        lower |= islower(p[i]) != 0;
        distinct += !seen[p[i]];
        seen[p[i]] = true;
    }
    return alpha && (digit || (upper && lower && distinct >= FRAG_DISTINCT + 2)) &&
           distinct >= FRAG_DISTINCT;
}

/* The windows of track_fragments over p[0..n): each one that looks random is a value of its
 * own (one that does not is moved by up to 3 characters to one that does). */
static void track_windows(struct guard *g, const char *p, size_t n, const struct labelset *l,
                          const struct tracked_prov *prov, uint64_t now_ns, size_t *added,
                          size_t *refused)
{
    if (n < FRAG_MIN_VALUE)
        return;
    /* spread over the whole value: a longer one gets a longer step */
    size_t step = (n - FRAG_LEN + FRAG_MAX - 2) / (FRAG_MAX - 1);
    if (step < FRAG_STEP)
        step = FRAG_STEP;
    for (size_t k = 0, at = 0; k < FRAG_MAX && at + FRAG_LEN <= n; k++, at += step) {
        if (at + step + FRAG_LEN > n)
            at = n - FRAG_LEN; /* the last window ends where the value does */
        size_t w = at;
        bool ok = random_window((const unsigned char *)p + w, FRAG_LEN);
        for (size_t d = 1; d <= 3 && !ok; d++) {
            if (at + d + FRAG_LEN <= n && random_window((const unsigned char *)p + at + d, FRAG_LEN))
                w = at + d, ok = true;
            else if (at >= d && random_window((const unsigned char *)p + at - d, FRAG_LEN))
                w = at - d, ok = true;
        }
        if (!ok)
            continue;
        int r = tracked_add(g->tracked, p + w, FRAG_LEN, l, prov, now_ns, NULL);
        if (r == 0)
            (*added)++;
        else if (r == SE_ELIMIT || r == -EAGAIN || r == -ENOMEM)
            (*refused)++;
    }
}

static void track_fragments(struct guard *g, unsigned kind, const char *p, size_t n,
                            const struct labelset *l, const struct tracked_prov *prov,
                            uint64_t now_ns, struct guard_scan *out)
{
    if (!fragment_kind(kind) || n < FRAG_MIN_VALUE)
        return;
    if (kind == DETECT_K_JWT) { /* the signature: after the last '.' */
        const char *dot = memrchr(p, '.', n);
        if (dot == NULL)
            return;
        n -= (size_t)(dot + 1 - p);
        p = dot + 1;
    }
    if (n < FRAG_LEN)
        return;
    size_t added = 0, refused = 0;
    track_windows(g, p, n, l, prov, now_ns, &added, &refused);
    out->tracked_added += added;
    out->tracked_refused += refused;
}

/*
 * A PEM private key's body: each line of 40 characters or more as a value of its own (the key
 * leaves without its armour: the body alone, the block without BEGIN or END, a renamed
 * header, the DER as one base64 run), up to PEM_LINES_MAX of them; and the key material, any
 * part of a line (a line without its first or last
 * characters, the seed of an Ed25519 key): windows of FRAG_LEN characters every FRAG_STEP over
 * the body's base64 joined without its line breaks, as values of their own. Not over what
 * keys of a kind share or a public key file holds too: the first 24 characters (the DER or
 * OpenSSH header), and of a body over 1,000 characters (RSA) its first quarter, where the
 * public modulus is. At most PEM_WINDOWS_MAX, each looking random (random_window).
 */
#define PEM_WINDOWS_MAX 512
#define PEM_LINE_MIN 40 /* a line shorter (a last line) is no value of its own */
#define PEM_LINES_MAX 128
#define PEM_DER_WINDOW 12

static void pem_track(struct guard *g, const char *v, size_t n, const struct labelset *l,
                      const struct tracked_prov *prov, uint64_t now_ns, struct guard_scan *out)
{
    int r = tracked_add(g->tracked, v, n, l, prov, now_ns, NULL);
    if (r == 0)
        out->tracked_added++;
    else if (r == SE_ELIMIT || r == -EAGAIN || r == -ENOMEM)
        out->tracked_refused++;
}

/* The public key blob of an OpenSSH private key (der[0..dl), "openssh-key-v1\0" first):
 * its first string after the cipher, kdf, kdf options and key count; NULL when not one. */
static const unsigned char *openssh_public(const unsigned char *der, size_t dl, size_t *pl)
{
    static const char magic[] = "openssh-key-v1";
    size_t at = sizeof(magic);
    if (dl < at || memcmp(der, magic, sizeof(magic)) != 0)
        return NULL;
    for (int field = 0; field < 5; field++) {
        if (at + 4 > dl)
            return NULL;
        uint32_t n = (uint32_t)der[at] << 24 | (uint32_t)der[at + 1] << 16 |
                     (uint32_t)der[at + 2] << 8 | der[at + 3];
        at += 4;
        if (field == 3)
            continue; /* the number of keys: no string */
        if (n > dl - at)
            return NULL;
        if (field == 4) {
            *pl = n;
            return der + at;
        }
        at += n;
    }
    return NULL;
}

/*
 * The PEM block as its lines stand (into out, n bytes at most): a key kept inside JSON or a
 * .env value has its line breaks written as \n (or \u000a, and doubled backslashes when the
 * JSON is itself held in a JSON string; a slash as \/), in XML as &#10;, and one in YAML under
 * `key: |`, a here-document, a comment (`# `) or a quote (`> `) is indented or prefixed, and a
 * CI variable may have its line breaks flattened to spaces, or source code may hold it as
 * quoted lines. Base64 has no space or quote: each ends a line, and each escape becomes what
 * it stands for; what is left of a prefix is a line that is no part of the body.
 */
static size_t pem_lines(const char *p, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '-' && i + 5 <= n && memcmp(p + i, "-----", 5) == 0) {
            /* the armour (-----BEGIN RSA PRIVATE KEY-----) as it is: its words are no body */
            const char *e = i + 5 < n ? memmem(p + i + 5, n - i - 5, "-----", 5) : NULL;
            size_t to = e != NULL ? (size_t)(e - p) + 5 : n;
            memcpy(out + o, p + i, to - i);
            o += to - i;
            i = to - 1;
            continue;
        }
        if (c == '\\') {
            size_t j = i;
            while (j < n && p[j] == '\\')
                j++; /* \\n in JSON within JSON: one escape */
            if (j < n && (p[j] == 'n' || p[j] == 'r')) {
                out[o++] = '\n';
                i = j;
                continue;
            }
            if (j < n && p[j] == '/') {
                out[o++] = '/';
                i = j;
                continue;
            }
            if (j + 4 < n && p[j] == 'u' && p[j + 1] == '0' && p[j + 2] == '0' &&
                (p[j + 3] == '0' || p[j + 3] == '2') &&
                strchr("aAdD", p[j + 4]) != NULL) { /* \u000a, \u000d */
                out[o++] = '\n';
                i = j + 4;
                continue;
            }
            out[o++] = c;
            continue;
        }
        if (c == '&' && i + 4 < n && p[i + 1] == '#') { /* &#10; &#13; &#xa; &#xd; */
            size_t j = i + 2;
            while (j < n && j < i + 8 && p[j] != ';')
                j++;
            if (j < n && p[j] == ';' && (j - i == 4 || j - i == 5)) {
                char num[8] = {0};
                memcpy(num, p + i + 2, j - i - 2);
                if (!strcmp(num, "10") || !strcmp(num, "13") || !strcasecmp(num, "xa") ||
                    !strcasecmp(num, "xd")) {
                    out[o++] = '\n';
                    i = j;
                    continue;
                }
            }
        }
        /* (quotes too: a key as a C string concatenation or a list of lines) */
        out[o++] = c == ' ' || c == '\t' || c == '"' || c == '\'' ? '\n' : c;
    }
    return o;
}

static void track_pem(struct guard *g, const char *raw, size_t rawn, const struct labelset *l,
                      const struct tracked_prov *prov, uint64_t now_ns, struct guard_scan *out)
{
    char *body = malloc(3 * rawn + 1), *der = body + rawn, *p = der + rawn;
    size_t bl = 0, dl = 0, line_at[PEM_LINES_MAX], line_len[PEM_LINES_MAX], nlines = 0;
    if (body == NULL)
        return;
    size_t n = pem_lines(raw, rawn, p);
    for (size_t at = 0; at < n;) {
        const char *nl = memchr(p + at, '\n', n - at);
        size_t end = nl ? (size_t)(nl - p) : n, w = end;
        if (w > at && p[w - 1] == '\r')
            w--;
        size_t k = at;
        while (k < w && (isalnum((unsigned char)p[k]) || p[k] == '+' || p[k] == '/' || p[k] == '='))
            k++;
        if (k == w && w > at) { /* a line of the body (not BEGIN/END, not a header) */
            if (w - at >= PEM_LINE_MIN && nlines < PEM_LINES_MAX) {
                line_at[nlines] = bl;
                line_len[nlines++] = w - at;
            }
            memcpy(body + bl, p + at, w - at);
            bl += w - at;
        }
        at = end + 1;
    }
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < bl && body[i] != '='; i++) {
        acc = acc << 6 | (uint32_t)enc_b64val[(unsigned char)body[i]];
        if ((bits += 6) >= 8) {
            bits -= 8;
            der[dl++] = (char)(acc >> bits & 0xff);
        }
    }
    /* what a public key file holds too: an OpenSSH key repeats its public key inside */
    size_t pl = 0;
    const unsigned char *pub = openssh_public((const unsigned char *)der, dl, &pl);
    /* each line of the body as it stands (the block without BEGIN or END, a renamed header,
     * the DER as one run), but not one that is all public key */
    for (size_t i = 0; i < nlines; i++) {
        size_t b0 = (line_at[i] * 3 + 3) / 4, b1 = (line_at[i] + line_len[i]) * 3 / 4;
        if (pub != NULL && b1 > b0 && b1 <= dl && memmem(pub, pl, der + b0, b1 - b0) != NULL)
            continue;
        pem_track(g, body + line_at[i], line_len[i], l, prov, now_ns, out);
    }
    size_t skip = (bl > 1000 ? bl / 4 : 24) & ~(size_t)3;
    unsigned added = 0;
    for (size_t at = skip; at + FRAG_LEN <= bl && added < PEM_WINDOWS_MAX; at += FRAG_STEP) {
        /* a window of 16 characters from a multiple of 4 is 12 bytes of the DER */
        if (!random_window((const unsigned char *)body + at, FRAG_LEN) ||
            (pub != NULL && at / 4 * 3 + 12 <= dl &&
             memmem(pub, pl, der + at / 4 * 3, 12) != NULL))
            continue;
        added++;
        pem_track(g, body + at, FRAG_LEN, l, prov, now_ns, out);
    }
    /* and the DER bytes, so that a part decoded and written again (the seed in hex or in
     * base64 of its own) is found in the encodings the tracker matches: windows of
     * PEM_DER_WINDOW bytes every 3, past the same structure */
    for (size_t at = skip * 3 / 4; at + PEM_DER_WINDOW <= dl && added < 2 * PEM_WINDOWS_MAX;
         at += 3) {
        if (pub != NULL && memmem(pub, pl, der + at, PEM_DER_WINDOW) != NULL)
            continue;
        /* a window with a control byte is binary to the tracker: no compact form, whose
         * letters alone could match public bytes beside them; one without is left out */
        unsigned zeros = 0, controls = 0;
        for (size_t k = 0; k < PEM_DER_WINDOW; k++) {
            unsigned char c = (unsigned char)der[at + k];
            zeros += c == 0;
            controls += c < 0x20 || c == 0x7f;
        }
        if (zeros >= 2 || controls == 0)
            continue; /* a length field (00 00 00 40): structure */
        added++;
        pem_track(g, der + at, PEM_DER_WINDOW, l, prov, now_ns, out);
    }
    explicit_bzero(body, bl);
    explicit_bzero(der, dl);
    explicit_bzero(p, n);
    free(body);
}

/*
 * Is a password or a generic secret worth tracking? One a person chose can be a word any text
 * holds ("postgres" in postgres://postgres:postgres@..., "localhost", "admin123"): tracked,
 * every later mention of the word would carry the label. Such a value is tracked only when it
 * mixes three kinds of character (lower, upper, digit, other) or two over 16 characters; the
 * session is still labelled by the finding.
 */
static bool worth_tracking(unsigned kind, const unsigned char *p, size_t n)
{
    if (kind != DETECT_K_URL_PASSWORD && kind != DETECT_K_GENERIC_SECRET &&
        kind != DETECT_K_BEARER_TOKEN)
        return true;
    bool lo = false, up = false, dg = false, ot = false;
    for (size_t i = 0; i < n; i++) {
        lo |= p[i] >= 'a' && p[i] <= 'z';
        up |= p[i] >= 'A' && p[i] <= 'Z';
        dg |= p[i] >= '0' && p[i] <= '9';
        ot |= !isalnum(p[i]);
    }
    int kinds = lo + up + dg + ot;
    return kinds >= 3 || (kinds == 2 && n > 16);
}

/* Scan one text; merge into out; track secret/PII values. */
static int scan_text_raw(struct guard *g, const char *text, size_t len, bool track,
                         const struct tracked_prov *prov, uint64_t now_ns, struct guard_scan *out)
{
    size_t n = 0;
    int rc = detect_scan(g->res_det, g->res_scr, text, len, g->hits, GUARD_HITS, &n);
    if (rc < 0)
        return rc;
    merge_summary(g, out);
    if (!track || g->tracked == NULL)
        return 0;
    /* every value found is tracked: past the first GUARD_HITS, scan again with room for all */
    const struct detect_hit *hits = g->hits;
    struct detect_hit *more = NULL;
    if (n > GUARD_HITS) {
        size_t want = n < GUARD_TRACK_HITS_MAX ? n : GUARD_TRACK_HITS_MAX, got = 0;
        more = malloc(want * sizeof(*more));
        if (more != NULL && detect_scan(g->res_det, g->res_scr, text, len, more, want, &got) == 0) {
            hits = more;
            if (got > want)
                out->tracked_refused += got - want; /* beyond the cap: not tracked */
            n = got < want ? got : want;
        } else {
            out->tracked_refused += n - GUARD_HITS;
            n = GUARD_HITS;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const struct detect_hit *h = &hits[i];
        if (!(h->family & (DETECT_SECRET | DETECT_PII)) || h->score < GUARD_LABEL_SCORE)
            continue;
        if (!worth_tracking(h->kind, (const unsigned char *)text + h->off, h->len))
            continue;
        struct labelset l = {0};
        add_label(&l, h->family == DETECT_SECRET ? GUARD_LABEL_SECRET : GUARD_LABEL_PII);
        int r = tracked_add(g->tracked, text + h->off, h->len, &l, prov, now_ns, NULL);
        if (r == 0)
            out->tracked_added++;
        else if (r == SE_ELIMIT || r == -EAGAIN || r == -ENOMEM)
            out->tracked_refused++; /* a value that leaves unnoticed: said, never silent */
        if (h->kind == DETECT_K_PRIVATE_KEY)
            track_pem(g, text + h->off, h->len, &l, prov, now_ns, out);
        else
            track_fragments(g, h->kind, text + h->off, h->len, &l, prov, now_ns, out);
    }
    free(more);
    return 0;
}

/* p[0..len) as a reader sees it (scan/fold.h) in g->fold, or NULL when that is the same. */
static const char *folded(struct guard *g, const char *p, size_t len, size_t *flen)
{
    buf_reset(&g->fold);
    if (len == 0 || buf_reserve(&g->fold, len) < 0)
        return NULL; /* out of memory: the raw scan stands alone */
    if (!fold_text(p, len, g->fold.data, flen))
        return NULL;
    g->fold.len = *flen;
    return g->fold.data;
}

static size_t html_tag(const unsigned char *p, size_t n);
static size_t named_ref(const unsigned char *p, size_t n, unsigned char *out);
static size_t char_ref(const unsigned char *p, size_t n, unsigned char *out);

#define GUARD_MARKUP_MAX (4u << 20) /* longest text read again without its markup */

/* Is the tag p[0..l) (html_tag's) a comment or an inline element, which renders inside a word? */
static bool inline_tag(const unsigned char *p, size_t l)
{
    static const char *const names[] = {
        "a",    "abbr", "b",     "bdi",   "bdo",  "big",  "cite", "code", "data", "del",
        "dfn",  "em",   "font",  "i",     "ins",  "kbd",  "mark", "nobr", "q",    "s",
        "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt",  "u",
        "var",  "wbr"};
    if (l >= 4 && memcmp(p, "<!--", 4) == 0)
        return true;
    size_t i = p[1] == '/' ? 2 : 1, e = i;
    while (e < l && isalpha(p[e]))
        e++;
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
        if (strlen(names[k]) == e - i && strncasecmp((const char *)p + i, names[k], e - i) == 0 &&
            (e == l || !isalnum(p[e])))
            return true;
    return false;
}

/*
 * The text as a page or a Markdown renderer shows it, when markup may split a phrase ("**Ignore**
 * all _previous_ instructions", "<p>Ignore <b>all</b> previous", "Ig&shy;nore"): tags and
 * comments dropped, character references decoded (invisible ones dropped), '*', '~' and '`'
 * dropped and an emphasis '_' (not one inside an identifier) read as a space. NULL when the text has no such markup (or is longer than
 * GUARD_MARKUP_MAX, or memory is short).
 */
static const char *unmarked(struct guard *g, const char *p, size_t len, size_t *mlen)
{
    const unsigned char *t = (const unsigned char *)p;
    if (len == 0 || len > GUARD_MARKUP_MAX)
        return NULL;
    /* found by memchr (libc's vector code) for each character markup starts with: a text
     * without any costs six passes at memory speed */
    static const unsigned char cs[] = {'<', '&', '*', '_', '~', '`'};
    bool markup = false;
    for (size_t k = 0; k < sizeof(cs) && !markup; k++) {
        for (const unsigned char *q = memchr(t, cs[k], len - 1); q != NULL && !markup;
             q = q + 1 < t + len - 1 ? memchr(q + 1, cs[k], (size_t)(t + len - 1 - (q + 1)))
                                     : NULL) {
            unsigned char d = q[1] | 0x20;
            markup = (d >= 'a' && d <= 'z') || (cs[k] == '<' && (q[1] == '/' || q[1] == '!')) ||
                     (cs[k] == '&' && q[1] == '#');
        }
    }
    if (!markup)
        return NULL;
    struct buf *b = &g->alt[1];
    buf_reset(b);
    if (buf_reserve(b, len) < 0)
        return NULL;
    unsigned char *w = (unsigned char *)b->data;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t l;
        unsigned char c = t[i];
        if (c == '<' && (l = html_tag(t + i, len - i)) > 0) {
            /* an inline element or a comment does not break a word ("<b>Ig</b>nore",
             * "Ig<!-- x -->nore"); a block or a line break does */
            if (!inline_tag(t + i, l))
                w[o++] = ' ';
            i += l;
        } else if (c == '&' && ((l = char_ref(t + i, len - i, w + o)) > 0 ||
                                (l = named_ref(t + i, len - i, w + o)) > 0)) {
            o += w[o] == 0 ? 0 : w[o] < 0x80 ? 1 : w[o] < 0xE0 ? 2 : w[o] < 0xF0 ? 3 : 4;
            i += l;
        } else if (c == '*' || c == '~' || c == '`') {
            i++;
        } else if (c == '_' && !(i > 0 && isalnum(t[i - 1]) && i + 1 < len &&
                                 isalnum(t[i + 1]))) {
            w[o++] = ' '; /* emphasis ("_previous_"), not an identifier's ("max_len") */
            i++;
        } else {
            w[o++] = c;
            i++;
        }
    }
    b->len = o;
    *mlen = o;
    return b->data;
}

/*
 * Text smuggled in invisible code points ("ASCII smuggling"): runs of tag characters
 * (U+E0020-E007E spell ASCII) and of variation selectors (U+FE00-FE0F and U+E0100-E01EF carry a
 * byte each), decoded into g->alt[1], one run a line. A model reads them; a person does not see
 * them. A run goes on across the invisible joiners an attacker may put between its pieces
 * (zero widths, word joiner, BOM, the language tag U+E0001, a cancel tag). Not counted as hidden
 * text (but still decoded): a flag emoji's region tags (U+1F3F4, then 4 to 7 lower-case letters
 * or digits, then the cancel tag U+E007F), and a lone selector (emoji presentation). NULL when
 * there are none; *hidden is how many code points of hidden text were decoded.
 */
#define HIDDEN_RUN_MIN 2   /* code points in a row that carry text */
#define HIDDEN_SENTENCE 12 /* ... that make a hidden instruction on their own */
#define HIDDEN_SCORE 70
static const char *hidden_text(struct guard *g, const char *p, size_t len, size_t *hl,
                               size_t *hidden)
{
    const unsigned char *t = (const unsigned char *)p;
    *hidden = 0;
    /* every such code point is F3 A0 .. or EF B8 80-8F in UTF-8 */
    if (len < 8 || (memmem(t, len, "\xF3\xA0", 2) == NULL && memmem(t, len, "\xEF\xB8", 2) == NULL))
        return NULL;
    struct buf *b = &g->alt[1];
    buf_reset(b);
    if (buf_reserve(b, len / 3 + 2) < 0)
        return NULL;
    unsigned char *w = (unsigned char *)b->data;
    size_t o = 0, run = 0, start = 0;
    bool flag = false;  /* the run began right after U+1F3F4 */
    bool flagok = true; /* ... and is lower-case letters or digits so far */
    bool tags = false;  /* the run holds a tag character (never presentation alone) */
    for (size_t i = 0; i <= len;) {
        int v = -1; /* the byte a code point carries; -2 a joiner; -3 a cancel tag */
        size_t l = 1;
        bool black_flag = false;
        if (i == len) {
            v = -1;
        } else if (i + 4 <= len && t[i] == 0xF3 && t[i + 1] == 0xA0) {
            uint32_t cp = 0xE0000 | (uint32_t)(t[i + 1] & 0x3F) << 12 |
                          (uint32_t)(t[i + 2] & 0x3F) << 6 | (t[i + 3] & 0x3F);
            l = 4;
            if (cp >= 0xE0020 && cp <= 0xE007E)
                v = (int)(cp - 0xE0000);
            else if (cp >= 0xE0100 && cp <= 0xE01EF)
                v = (int)(cp - 0xE0100 + 16);
            else if (cp == 0xE007F)
                v = -3;
            else if (cp == 0xE0001)
                v = -2;
        } else if (i + 3 <= len && t[i] == 0xEF && t[i + 1] == 0xB8 && t[i + 2] >= 0x80 &&
                   t[i + 2] <= 0x8F) {
            v = t[i + 2] - 0x80;
            l = 3;
        } else if (i + 3 <= len && ((t[i] == 0xE2 && t[i + 1] == 0x80 && t[i + 2] >= 0x8B &&
                                     t[i + 2] <= 0x8D) ||
                                    (t[i] == 0xE2 && t[i + 1] == 0x81 && t[i + 2] == 0xA0) ||
                                    (t[i] == 0xEF && t[i + 1] == 0xBB && t[i + 2] == 0xBF))) {
            v = -2; /* ZWSP, ZWNJ, ZWJ, word joiner, BOM */
            l = 3;
        } else if (i + 4 <= len && t[i] == 0xF0 && t[i + 1] == 0x9F && t[i + 2] == 0x8F &&
                   t[i + 3] == 0xB4) {
            l = 4;
            black_flag = true;
        }
        if (v >= 0) {
            if (run == 0)
                start = o;
            w[o++] = (unsigned char)v;
            run++;
            tags = tags || (l == 4 && t[i + 2] < 0x84);
            flagok = flagok && ((v >= 'a' && v <= 'z') || (v >= '0' && v <= '9'));
        } else if (v == -2 && run > 0) {
            /* a joiner inside a run: the run goes on */
        } else if (v == -3 && run > 0 && flag && flagok && run >= 4 && run <= 7) {
            w[o++] = '\n'; /* a region's flag: decoded, not counted */
            run = 0;
        } else if (v != -3 || run > 0) {
            if (run > 0 && run < HIDDEN_RUN_MIN && !tags)
                o = start; /* a lone selector: presentation, not text */
            else if (run > 0) {
                w[o++] = '\n';
                *hidden += run;
            }
            run = 0;
        }
        if (run == 0) {
            flag = black_flag;
            flagok = true;
            tags = false;
        }
        i += l;
    }
    if (o == 0)
        return NULL;
    b->len = o;
    *hl = o;
    return b->data;
}

/* Scan one text, and again as a reader sees it when that differs ("ignore all previous" with
 * no-break spaces, zero widths or a Cyrillic 'о'): findings merge; values are tracked from the
 * text itself only. `plain`: the parser saw neither an escape nor a byte >= 0x80 in it, so
 * folding cannot change it (saves a pass over a large ASCII result). `decode`: its base64,
 * base32 and hex runs are decoded and scanned too (an instruction or a secret a model is asked
 * to decode), and values found there tracked; not for media data (an image's base64). */
static int scan_text(struct guard *g, const char *text, size_t len, bool track,
                     const struct tracked_prov *prov, uint64_t now_ns, bool plain, bool decode,
                     struct guard_scan *out)
{
    int rc = scan_text_raw(g, text, len, track, prov, now_ns, out);
    if (rc == 0)
        rc = scan_hinted(g, text, len, out);
    size_t fl = 0, n = 0;
    const char *f = rc < 0 || plain ? NULL : folded(g, text, len, &fl);
    if (f != NULL &&
        (rc = detect_scan(g->res_det, g->res_scr, f, fl, g->hits, GUARD_HITS, &n)) == 0)
        merge_summary(g, out);
    /* and as a page or Markdown renders it: markup inside a phrase does not hide it */
    size_t ml = 0;
    const char *mk = rc < 0 ? NULL : unmarked(g, text, len, &ml);
    if (mk != NULL &&
        (rc = detect_scan(g->res_det, g->res_scr, mk, ml, g->hits, GUARD_HITS, &n)) == 0)
        merge_summary(g, out);
    if (mk != NULL) {
        explicit_bzero(g->alt[1].data, g->alt[1].len); /* may hold a secret */
        buf_trim(&g->alt[1], GUARD_VIEW_KEEP);
    }
    /* and what it hides in invisible code points: scanned, and itself an injection when a
     * sentence long (nobody hides words in a result for a person) */
    size_t hl = 0, hidden = 0;
    const char *hid = rc < 0 || plain ? NULL : hidden_text(g, text, len, &hl, &hidden);
    if (hid != NULL) {
        rc = scan_text_raw(g, hid, hl, track, prov, now_ns, out);
        if (rc == 0 && hidden >= HIDDEN_SENTENCE) {
            int fi = detect_family_index(DETECT_INJECTION);
            out->families |= DETECT_INJECTION;
            if (fi >= 0 && out->max_score[fi] < HIDDEN_SCORE)
                out->max_score[fi] = HIDDEN_SCORE;
            out->kinds[DETECT_K_TAG_CHARS / 64] |= 1ull << (DETECT_K_TAG_CHARS % 64);
        }
        explicit_bzero(g->alt[1].data, g->alt[1].len);
        buf_trim(&g->alt[1], GUARD_VIEW_KEEP);
    }
    if (rc < 0 || !decode || len < GUARD_DECODE_MIN)
        return rc;
    struct buf *d = &g->alt[0];
    buf_reset(d);
    if ((rc = unwrap(text, len, UNWRAP_RUNS | UNWRAP_LONG | UNWRAP_TEXT, d)) > 0) {
        out->decoded += d->len;
        rc = scan_text_raw(g, d->data, d->len, track, prov, now_ns, out);
        explicit_bzero(d->data, d->len); /* may hold a secret */
    }
    buf_trim(d, GUARD_VIEW_KEEP);
    return rc < 0 ? rc : 0;
}

/* A resource blob decoded whole (binary too: a secret behind a PDF header, in a Latin-1 or
 * UTF-16 file) and its bytes scanned; values found there are tracked. */
static int scan_blob(struct guard *g, const char *text, size_t len, bool track,
                     const struct tracked_prov *prov, uint64_t now_ns, struct guard_scan *out)
{
    /* base64 wrapped at any width: whatever is not its alphabet means nothing to a client's
     * decoder (line breaks, form feeds, '*' ...); a '=' ends a run, and what follows is read
     * as another (a decoder stops there) */
    struct buf *c = &g->alt[1], *d = &g->alt[0];
    buf_reset(c);
    buf_reset(d);
    int rc = 0;
    for (size_t i = 0; i < len && rc == 0; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (isalnum(ch) || ch == '+' || ch == '/' || ch == '-' || ch == '_' || ch == '=')
            rc = buf_putc(c, (char)ch);
    }
    if (rc == 0)
        rc = unwrap(c->data ? c->data : "", c->len, UNWRAP_RUNS, d);
    if (rc > 0) {
        out->decoded += d->len;
        rc = scan_text_raw(g, d->data, d->len, track, prov, now_ns, out);
        /* UTF-16 text: its ASCII letters without the zero bytes between them */
        size_t zeros = 0;
        for (size_t i = 0; i < d->len; i++)
            zeros += d->data[i] == 0;
        if (rc == 0 && zeros > d->len / 4) {
            size_t w = 0;
            for (size_t i = 0; i < d->len; i++)
                if (d->data[i] != 0)
                    d->data[w++] = d->data[i];
            rc = scan_text_raw(g, d->data, w, track, prov, now_ns, out);
        }
        explicit_bzero(d->data, d->len); /* may hold a secret */
    }
    if (c->data != NULL)
        explicit_bzero(c->data, c->len);
    buf_trim(c, GUARD_VIEW_KEEP);
    buf_trim(d, GUARD_VIEW_KEEP);
    return rc < 0 ? rc : 0;
}

/* The closing quote of the string literal whose opening quote is t[i], in validated JSON text
 * t[0..n): the first quote after an even run of backslashes. Its index, or 0 if none. */
static size_t string_end(const char *t, size_t n, size_t i)
{
    for (size_t j = i;;) {
        const char *e = memchr(t + j + 1, '"', n - j - 1);
        if (e == NULL)
            return 0;
        j = (size_t)(e - t);
        size_t bs = 0;
        while (j - bs > i + 1 && t[j - bs - 1] == '\\')
            bs++;
        if (bs % 2 == 0)
            return j;
    }
}

/*
 * Every string literal of validated JSON text t[0..n) (member names too), unescaped and
 * scanned, for a part of a result the index does not cover: what the model reads, not the
 * escapes (a result of a million numbers and then "\u5ffd\u7565..." is still read).
 */
static int scan_strings(struct guard *g, const char *t, size_t n, bool track,
                        const struct tracked_prov *prov, uint64_t now_ns, struct guard_scan *out)
{
    for (const char *q = memchr(t, '"', n); q != NULL;) {
        size_t i = (size_t)(q - t), j = string_end(t, n, i);
        if (j == 0)
            return SE_EPARSE;
        buf_reset(&g->str);
        int rc = json_unescape(t + i + 1, j - i - 1, &g->str);
        if (rc == 0)
            rc = scan_text(g, g->str.data ? g->str.data : "", g->str.len, track, prov, now_ns,
                           false, true, out);
        if (rc == 0)
            rc = seam(g, g->str.data ? g->str.data : "", g->str.len, out);
        if (rc < 0)
            return rc;
        out->strings++;
        q = j + 1 < n ? memchr(t + j + 1, '"', n - j - 1) : NULL;
    }
    return 0;
}

static bool key_is(const struct json_doc *doc, const struct json_node *n, const char *k)
{
    size_t kl = strlen(k);
    return n->key_len == kl && memcmp(doc->text + n->key_start, k, kl) == 0;
}

/* Every string below node `at` (depth-first), unescaped and scanned. `media`: `at` is a member
 * of an image or audio content block (its `data` is the picture's or the sound's base64). */
/* Keys shorter than this hold neither a secret nor an instruction worth a scan. */
#define KEY_SCAN_MIN 12

/*
 * The name of member `at` is text a client may show the model too (structuredContent or a log
 * line's data printed as JSON): a name of KEY_SCAN_MIN bytes or more is scanned like a string,
 * so a secret or an instruction cannot hide in a key.
 */
static int scan_key(struct guard *g, uint32_t at, bool track, const struct tracked_prov *prov,
                    uint64_t now_ns, struct guard_scan *out)
{
    const struct json_node *n = &g->cur->nodes[at];
    if (n->key_len < KEY_SCAN_MIN)
        return 0;
    const char *k = g->cur->text + n->key_start;
    size_t kl = n->key_len;
    bool plain = memchr(k, '\\', kl) == NULL;
    if (!plain) {
        buf_reset(&g->str);
        int rc = json_unescape(k, kl, &g->str);
        if (rc < 0)
            return rc;
        k = g->str.data;
        kl = g->str.len;
    }
    for (size_t i = 0; plain && i < kl; i++)
        plain = (unsigned char)k[i] < 0x80;
    out->strings++;
    return scan_text(g, k, kl, track, prov, now_ns, plain, true, out);
}

static int scan_blob(struct guard *g, const char *text, size_t len, bool track,
                     const struct tracked_prov *prov, uint64_t now_ns, struct guard_scan *out);

static int scan_node(struct guard *g, uint32_t at, bool track, const struct tracked_prov *prov,
                     uint64_t now_ns, bool media, struct guard_scan *out)
{
    const struct json_node *n = &g->cur->nodes[at];
    if (n->type == JSON_STRING) {
        const char *p;
        size_t len;
        buf_reset(&g->str);
        int rc = json_str(g->cur, at, &g->str, &p, &len);
        if (rc < 0)
            return rc;
        out->strings++;
        /* a resource's blob is decoded whole and read whatever it holds (a text file read
         * as media comes back as one, in any encoding, behind any header); an image's or
         * audio's data is not: it is no text */
        bool blob = key_is(g->cur, n, "blob");
        bool decode = !blob && !(media && key_is(g->cur, n, "data"));
        rc = scan_text(g, p, len, track, prov, now_ns,
                       !(n->flags & (JSON_F_ESCAPED | JSON_F_NONASCII)), decode, out);
        if (rc == 0 && blob && len >= GUARD_DECODE_MIN)
            rc = scan_blob(g, p, len, track, prov, now_ns, out);
        if (rc < 0 || seam_skips(g->cur->text + n->key_start, n->key_len))
            return rc;
        return seam(g, p, len, out);
    }
    if (n->type != JSON_ARRAY && n->type != JSON_OBJECT)
        return 0;
    if (n->flags & JSON_F_PARTIAL) { /* not indexed (node cap): its strings found in its text */
        out->raw_fallback = true;
        return scan_strings(g, g->cur->text + n->start, n->end - n->start, track, prov, now_ns,
                            out);
    }
    uint32_t type = n->type == JSON_OBJECT ? json_get(g->cur, at, "type", 4) : 0;
    bool m = type != 0 && (json_str_eqz(g->cur, type, "image") || json_str_eqz(g->cur, type, "audio"));
    for (uint32_t c = json_first(g->cur, at); c != 0; c = g->cur->nodes[c].next) {
        int rc = n->type == JSON_OBJECT ? scan_key(g, c, track, prov, now_ns, out) : 0;
        if (rc == 0)
            rc = scan_node(g, c, track, prov, now_ns, m, out);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* A full parse of line: the caller's when it is one (saves a validating pass), else ours. */
static int full_parse(struct guard *g, struct json_doc *parsed, const char *line, size_t len)
{
    g->parsed_line = NULL;
    if (parsed != NULL && parsed->text == line && parsed->len == len && parsed->count > 0 &&
        !parsed->truncated && parsed->index_depth >= parsed->max_depth) {
        g->cur = parsed;
    } else {
        struct diag d = {0};
        int rc = json_parse(&g->doc, line, len, JSON_DEFAULT_MAX_DEPTH, &d);
        if (rc < 0)
            return rc;
        g->cur = &g->doc;
    }
    g->parsed_line = line; /* for guard_spotlight, right after */
    g->parsed_len = len;
    return 0;
}

int guard_scan_result(struct guard *g, struct json_doc *parsed, const char *line, size_t len,
                      const char *member, bool track, const char *request_id, size_t request_id_len,
                      const char *tool, size_t tool_len, const char *server, uint64_t seq,
                      uint64_t now_ns, struct guard_scan *out)
{
    memset(out, 0, sizeof(*out));
    g->parsed_line = NULL;
    if (g->res_det == NULL)
        return 0;
    int rc = full_parse(g, parsed, line, len);
    if (rc < 0)
        return rc;
    uint32_t res = json_get(g->cur, 0, member, strlen(member));
    if (res == 0)
        return 0;
    struct tracked_prov prov = {.origin = TRACKED_FROM_RESULT,
                                .request_id = request_id,
                                .request_id_len = request_id_len,
                                .tool = tool,
                                .tool_len = tool_len,
                                .server = server,
                                .server_len = server ? strlen(server) : 0,
                                .seq = seq};
    buf_reset(&g->seam);
    g->seam_joined = false;
    rc = scan_node(g, res, track, &prov, now_ns, false, out);
    if (rc >= 0)
        rc = seam_flush(g, out, false);
    if (rc < 0)
        return rc;
    static const struct {
        unsigned fam;
        const char *label;
    } map[] = {{DETECT_SECRET, GUARD_LABEL_SECRET},
               {DETECT_PII, GUARD_LABEL_PII},
               {DETECT_INJECTION, GUARD_LABEL_INJECTION}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (out->max_score[detect_family_index(map[i].fam)] >= GUARD_LABEL_SCORE)
            add_label(&out->labels, map[i].label);
    if (out->tracked_refused > 0)
        add_label(&out->labels, GUARD_LABEL_UNTRACKED);
    return 0;
}

void guard_scan_json(const struct guard_scan *sc, struct buf *out)
{
    buf_putc(out, '[');
    bool first = true;
    for (unsigned k = 1; k < DETECT_K_COUNT && k < 128; k++) {
        if (!(sc->kinds[k / 64] >> (k % 64) & 1))
            continue;
        buf_printf(out, "%s\"%s\"", first ? "" : ",", detect_kind_name(k));
        first = false;
    }
    buf_putc(out, ']');
}

/* ---- spotlighting ------------------------------------------------------------------ */

static enum spotlight_mode spot_mode(int mode)
{
    switch (mode) {
    case SPOT_DELIMIT:
        return SPOTLIGHT_DELIMIT;
    case SPOT_DATAMARK:
        return SPOTLIGHT_DATAMARK;
    case SPOT_ENCODE:
        return SPOTLIGHT_ENCODE;
    default:
        return SPOTLIGHT_OFF;
    }
}

/* structuredContent strings: what the tool's outputSchema says about the string at ptr. */
struct out_ctx {
    struct guard *g;
    const struct schema_slot *sl;
    bool parsed, bad;
    unsigned long budget; /* outschema work left for this response */
};

static int may_rewrite(void *vctx, const char *ptr, size_t len)
{
    struct out_ctx *c = vctx;
    if (c->sl != NULL && (c->sl->dup || c->sl->out_stale))
        return SPOTLIGHT_SC_KEEP; /* two outputSchemas: either may be the client's */
    if (c->sl == NULL && c->g->schemas_full)
        return SPOTLIGHT_SC_KEEP; /* listed, but past what we keep: its outputSchema is unknown */
    if (c->sl == NULL || c->sl->out_schema == NULL)
        return SPOTLIGHT_SC_REWRITE; /* no outputSchema: nothing the text must stay valid against */
    struct json_doc *doc = &c->g->sdoc;
    if (!c->parsed) {
        struct diag d = {0};
        c->parsed = true;
        c->bad = json_parse(doc, c->sl->out_schema, c->sl->out_len, JSON_DEFAULT_MAX_DEPTH, &d) <
                     0 ||
                 doc->truncated;
    }
    if (c->bad)
        return SPOTLIGHT_SC_KEEP;
    switch (outschema_string(doc, ptr, len, &c->budget)) {
    case OUTSCHEMA_REWRITE:
        return SPOTLIGHT_SC_REWRITE;
    case OUTSCHEMA_NEUTRALISE:
        return SPOTLIGHT_SC_NEUTRALISE;
    case OUTSCHEMA_OVER:
        return SPOTLIGHT_SC_UNCHECKED;
    default:
        return SPOTLIGHT_SC_KEEP;
    }
}

void guard_line_start(struct guard *g)
{
    if (g != NULL)
        g->parsed_line = NULL; /* a parse of the line before may sit at the same address */
}

static int spotlight_line(struct guard *g, int mode, bool prompt, bool task, const char *tool,
                          size_t tool_len, struct json_doc *parsed, const char *line, size_t len,
                          struct buf *out, struct spotlight_stats *st);

int guard_spotlight(struct guard *g, int mode, bool prompt, const char *tool, size_t tool_len,
                    struct json_doc *parsed, const char *line, size_t len, struct buf *out,
                    struct spotlight_stats *st)
{
    return spotlight_line(g, mode, prompt, false, tool, tool_len, parsed, line, len, out, st);
}

int guard_spotlight_task(struct guard *g, int mode, const char *tool, size_t tool_len,
                         struct json_doc *parsed, const char *line, size_t len, struct buf *out,
                         struct spotlight_stats *st)
{
    return spotlight_line(g, mode, false, true, tool, tool_len, parsed, line, len, out, st);
}

static int spotlight_line(struct guard *g, int mode, bool prompt, bool task, const char *tool,
                          size_t tool_len, struct json_doc *parsed, const char *line, size_t len,
                          struct buf *out, struct spotlight_stats *st)
{
    if (g->parsed_line != line && parsed != NULL && full_parse(g, parsed, line, len) < 0)
        g->parsed_line = NULL;
    struct out_ctx ctx = {.g = g,
                          .sl = tool != NULL ? schema_slot(g, tool, tool_len, false) : NULL,
                          .budget = OUTSCHEMA_BUDGET};
    struct spotlight_opts o = {.mode = spot_mode(mode),
                               .structured = true,
                               .may_rewrite = may_rewrite,
                               .ctx = &ctx,
                               .prompt = prompt,
                               .task = task};
    int rc = SE_ELIMIT;
    /* the result scan parsed this very line in full: rewrite on that parse (one pass saved) */
    if (g->parsed_line == line && g->parsed_len == len && !g->cur->truncated)
        rc = spotlight_rewrite_doc(&o, g->cur, out, st);
    g->parsed_line = NULL;
    if (rc == SE_ELIMIT) {
        ctx.budget = OUTSCHEMA_BUDGET;
        rc = spotlight_rewrite(&o, &g->doc, line, len, out, st);
    }
    return rc;
}

int guard_neutralise(struct guard *g, struct json_doc *parsed, const char *line, size_t len,
                     struct buf *out, struct spotlight_stats *st)
{
    /* the caller's full parse when it is one (the data path's), else ours: a parse left from
     * an earlier scan is not trusted, its line may have been read into the same buffer */
    int rc = full_parse(g, parsed, line, len);
    g->parsed_line = NULL;
    return rc < 0 ? rc : spotlight_neutralise_doc(g->cur, out, st);
}

const char *guard_spotlight_instructions(int mode)
{
    enum spotlight_mode m = spot_mode(mode);
    return m == SPOTLIGHT_OFF ? NULL : spotlight_instructions(m);
}

/* ---- calls ------------------------------------------------------------------------- */

void guard_call_init(struct guard_call *c)
{
    memset(c, 0, sizeof(*c));
    buf_init(&c->prov, 1u << 20);
}

void guard_call_cleanup(struct guard_call *c)
{
    buf_cleanup(&c->prov);
}

/* Length of the ignorable code point UTF-8 encodes at t[i], or 0. */
static size_t ignorable_at(const unsigned char *t, size_t n, size_t i)
{
    unsigned cp;
    size_t l;
    if (t[i] >= 0xC2 && t[i] < 0xE0 && i + 2 <= n) {
        cp = (t[i] & 0x1Fu) << 6 | (t[i + 1] & 0x3Fu);
        l = 2;
    } else if (t[i] >= 0xE0 && t[i] < 0xF0 && i + 3 <= n) {
        cp = (t[i] & 0x0Fu) << 12 | (t[i + 1] & 0x3Fu) << 6 | (t[i + 2] & 0x3Fu);
        l = 3;
    } else if (t[i] >= 0xF0 && t[i] < 0xF5 && i + 4 <= n) {
        cp = (t[i] & 0x07u) << 18 | (t[i + 1] & 0x3Fu) << 12 | (t[i + 2] & 0x3Fu) << 6 |
             (t[i + 3] & 0x3Fu);
        l = 4;
    } else {
        return 0;
    }
    return fold_ignorable(cp) ? l : 0;
}

/* The length of the prefix of t[0..n) with no '\\', '&' or byte above 0x7F (eight at a time). */
static size_t plain_prefix(const unsigned char *t, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t i = 0;
    while (i + 8 <= n) {
        uint64_t w, b, a;
        memcpy(&w, t + i, 8);
        b = w ^ (ones * '\\');
        a = w ^ (ones * '&');
        uint64_t l = w ^ (ones * '<');
        if (((w | ((b - ones) & ~b) | ((a - ones) & ~a) | ((l - ones) & ~l)) & highs) != 0)
            break;
        i += 8;
    }
    while (i < n && t[i] != '\\' && t[i] != '&' && t[i] != '<' && t[i] < 0x80)
        i++;
    return i;
}

/*
 * An HTML named character reference at p ("&shy;", "&ZeroWidthSpace;", "&sol;"): those a
 * value can hide behind, the invisible ones (dropped: out[0] = 0) and the ASCII punctuation
 * HTML names (a base64 value's "&sol;", "&plus;", "&equals;"). Its length, 0 if none; the ';'
 * is required (browsers want it for these).
 */
static size_t named_ref(const unsigned char *p, size_t n, unsigned char *out)
{
    static const struct {
        const char *name;
        char c; /* 0: invisible */
    } refs[] = {
        {"shy", 0}, {"ZeroWidthSpace", 0}, {"NoBreak", 0}, {"zwj", 0}, {"zwnj", 0},
        {"lrm", 0}, {"rlm", 0}, {"InvisibleTimes", 0}, {"InvisibleComma", 0}, {"it", 0},
        {"ic", 0}, {"af", 0}, {"ApplyFunction", 0}, {"NegativeVeryThinSpace", 0},
        {"NegativeThinSpace", 0}, {"NegativeMediumSpace", 0}, {"NegativeThickSpace", 0},
        {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
        {"excl", '!'}, {"num", '#'}, {"dollar", '$'}, {"percnt", '%'}, {"lpar", '('},
        {"rpar", ')'}, {"ast", '*'}, {"plus", '+'}, {"comma", ','}, {"period", '.'},
        {"sol", '/'}, {"colon", ':'}, {"semi", ';'}, {"equals", '='}, {"quest", '?'},
        {"commat", '@'}, {"lsqb", '['}, {"lbrack", '['}, {"bsol", '\\'}, {"rsqb", ']'},
        {"rbrack", ']'}, {"Hat", '^'}, {"lowbar", '_'}, {"UnderBar", '_'}, {"grave", '`'},
        {"lcub", '{'}, {"lbrace", '{'}, {"verbar", '|'}, {"vert", '|'}, {"rcub", '}'},
        {"rbrace", '}'}, {"hyphen", '-'}, {"dash", '-'},
    };
    size_t k = 1;
    while (k < n && k < 24 && (p[k] | 0x20) >= 'a' && (p[k] | 0x20) <= 'z')
        k++;
    if (k == 1 || k >= n || p[k] != ';')
        return 0;
    for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
        if (strlen(refs[i].name) == k - 1 && memcmp(refs[i].name, p + 1, k - 1) == 0) {
            out[0] = (unsigned char)refs[i].c;
            return k + 1;
        }
    return 0;
}

/* An HTML tag or comment at p ("<wbr>", "</span>", "<i class=x>", "<!-- -->"), which a
 * rendered page does not show: its length, 0 if none. */
static size_t html_tag(const unsigned char *p, size_t n)
{
    size_t i = 1;
    if (n >= 7 && memcmp(p, "<!--", 4) == 0) {
        for (i = 4; i + 3 <= n && i < 512; i++)
            if (p[i] == '-' && p[i + 1] == '-' && p[i + 2] == '>')
                return i + 3;
        return 0;
    }
    if (i < n && p[i] == '/')
        i++;
    size_t name = i;
    while (i < n && i - name < 16 &&
           (((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z') ||
            (i > name && p[i] >= '0' && p[i] <= '9')))
        i++;
    if (i == name || i >= n)
        return 0;
    if (p[i] != '>' && p[i] != ' ' && p[i] != '/' && p[i] != '\t' && p[i] != '\n')
        return 0;
    for (; i < n && i < 512; i++) {
        if (p[i] == '>')
            return i + 1;
        if (p[i] == '<')
            return 0;
    }
    return 0;
}

/* Whether a scan of the characters of JSON text t may miss a value its strings hold: a \u
 * or \/ escape (the store's json pattern has only the escapes an encoder must make), an
 * ignorable code point (inserted into a value, it still reads as the value) or an HTML
 * character reference (a mail or a page shows "&#119;" as "w"). */
static bool needs_view(const char *text, size_t n)
{
    const unsigned char *t = (const unsigned char *)text;
    for (size_t i = 0; i < n; i++) {
        if ((i += plain_prefix(t + i, n - i)) >= n)
            break;
        if (t[i] == '\\') {
            if (i + 1 < n && (t[i + 1] == 'u' || t[i + 1] == '/'))
                return true;
            i++; /* an escaped backslash escapes nothing after it */
        } else if (t[i] >= 0xC2 && ignorable_at(t, n, i) > 0) {
            return true;
        } else if (t[i] == '&' && i + 1 < n && t[i + 1] == '#') {
            return true;
        } else if (t[i] == '&') {
            unsigned char c;
            if (named_ref(t + i, n - i, &c) > 0)
                return true;
        } else if (t[i] == '<' && html_tag(t + i, n - i) > 0) {
            return true;
        }
    }
    return false;
}

static size_t utf8_len(unsigned char lead)
{
    return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

/* An HTML numeric character reference at p ("&#119;", "&#x77;"; the ';' may be missing, as
 * browsers allow): its code point's UTF-8 written to out (never longer than the reference;
 * out[0] = 0 for an ignorable or invalid one, which is dropped), and its length; 0 if p
 * holds none. */
static size_t char_ref(const unsigned char *p, size_t n, unsigned char *out)
{
    size_t i = 2, digits = 0;
    unsigned long cp = 0;
    bool hex = n > 2 && (p[2] == 'x' || p[2] == 'X');
    if (n < 3 || p[1] != '#')
        return 0;
    if (hex)
        i++;
    for (; i < n && digits < 8; i++, digits++) {
        unsigned v;
        if (p[i] >= '0' && p[i] <= '9')
            v = p[i] - '0';
        else if (hex && (p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'f')
            v = (p[i] | 0x20) - 'a' + 10;
        else
            break;
        cp = cp * (hex ? 16 : 10) + v;
    }
    if (digits == 0)
        return 0;
    if (i < n && p[i] == ';')
        i++;
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
        fold_ignorable((uint32_t)cp)) {
        out[0] = 0;
        return i;
    }
    /* "&#N;" is at least 4 bytes and N's UTF-8 at most as long: 0x80+ needs "&#128;" */
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
    } else if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | cp >> 6);
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | cp >> 12);
        out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
    } else {
        out[0] = (unsigned char)(0xF0 | cp >> 18);
        out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    }
    return i;
}

/* Whether decoded text holds what read_as_shown changes: an ignorable code point or a
 * character reference ("&#"). Two passes that the compiler and libc vectorise: non-ASCII
 * bytes (only they can start an ignorable), then each '&'. */
static bool shown_differs(const unsigned char *t, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = i;
        while (k + 32 <= n) {
            unsigned char or = 0;
            for (size_t j = 0; j < 32; j++)
                or |= t[k + j];
            if (or & 0x80)
                break;
            k += 32;
        }
        while (k < n && t[k] < 0x80)
            k++;
        if (k >= n)
            break;
        if (t[k] >= 0xC2 && ignorable_at(t, n, k) > 0)
            return true;
        i = k + 1;
    }
    unsigned char c;
    for (const unsigned char *a = memchr(t, '&', n); a != NULL;
         a = memchr(a + 1, '&', n - (size_t)(a + 1 - t)))
        if ((a + 1 < t + n && a[1] == '#') || named_ref(a, n - (size_t)(a - t), &c) > 0)
            return true;
    for (const unsigned char *a = memchr(t, '<', n); a != NULL;
         a = memchr(a + 1, '<', n - (size_t)(a + 1 - t)))
        if (html_tag(a, n - (size_t)(a - t)) > 0)
            return true;
    return false;
}

/* Decoded text b[from..len) as a reader is shown it, in place: character references (numeric,
 * and the named ones named_ref knows) decoded, HTML tags and comments (unless keep_tags) and
 * ignorable code points dropped (none makes the text longer). */
static void read_as_shown(struct buf *b, size_t from, bool keep_tags)
{
    unsigned char *d = (unsigned char *)b->data;
    size_t w = from + plain_prefix(d + from, b->len - from); /* what stays as it is */
    for (size_t r = w; r < b->len;) {
        size_t l = d[r] >= 0xC2 ? ignorable_at(d, b->len, r) : 0;
        if (l > 0) {
            r += l;
            continue;
        }
        if (d[r] == '&' && (l = char_ref(d + r, b->len - r, d + w)) > 0) {
            r += l;
            w += d[w] == 0 ? 0 : utf8_len(d[w]);
            continue;
        }
        if (d[r] == '&' && (l = named_ref(d + r, b->len - r, d + w)) > 0) {
            r += l;
            w += d[w] == 0 ? 0 : 1;
            continue;
        }
        if (!keep_tags && d[r] == '<' && (l = html_tag(d + r, b->len - r)) > 0) {
            r += l; /* a rendered page does not show it */
            continue;
        }
        d[w++] = d[r++];
    }
    b->len = w;
}

/*
 * Validated JSON text as the server reads it: its string values unescaped (json_unescape) and
 * joined end to end in document order, so that a value split over two strings ("a": "first
 * half", "b": "second half") is whole again; then '"' and the member names, each between
 * quotes; then '"' and the numbers, space-separated (a card number sent as a number). keys is
 * scratch. What the server reads is exactly these bytes: character references and ignorable
 * code points are left as they are here (read_as_shown is the second view). sep (may be NULL)
 * gets the string values again, each followed by '\n': where each begins, for unwrap; and
 * the numbers, each followed by a space (an array of character codes).
 */
static int args_view_names(struct buf *out, struct buf *keys, struct buf *sep, const char *text,
                           size_t n, bool inline_names, bool *odd_names)
{
    const unsigned char *t = (const unsigned char *)text;
    buf_reset(out);
    buf_reset(keys);
    if (sep != NULL)
        buf_reset(sep);
    int rc = 0;
    bool value_is_tag = false; /* the string that follows is the value of a tag member */
    for (size_t i = 0; i < n && rc == 0; i++) {
        if ((t[i] >= '0' && t[i] <= '9') || t[i] == '-') {
            size_t j = i;
            while (j < n && strchr("0123456789+-.eE", t[j]) != NULL && t[j] != '\0')
                j++;
            if ((rc = buf_append(keys, " ", 1)) == 0)
                rc = buf_append(keys, text + i, j - i);
            /* numbers side by side read as character codes too ("body": [107, 81, 55, ...]),
             * written as integers ("107.0" and "1.07e2" are the same number to a server) */
            if (rc == 0 && sep != NULL) {
                char num[40];
                size_t nl = j - i < sizeof(num) - 1 ? j - i : sizeof(num) - 1;
                memcpy(num, text + i, nl);
                num[nl] = '\0';
                char *endp = NULL;
                double v = strtod(num, &endp);
                if (endp == num + nl && v >= 0 && v <= 0x10FFFF && v == (double)(long)v)
                    rc = buf_printf(sep, "%ld ", (long)v);
                else if ((rc = buf_append(sep, text + i, j - i)) == 0)
                    rc = buf_putc(sep, ' ');
            }
            i = j - 1;
            continue;
        }
        if (t[i] != '"')
            continue;
        size_t j = string_end(text, n, i);
        if (j == 0)
            return SE_EPARSE;
        size_t k = j + 1;
        while (k < n && (t[k] == ' ' || t[k] == '\t' || t[k] == '\n' || t[k] == '\r'))
            k++;
        /* the value of "type", "role" or "mimeType" goes with the names: a value split over
         * two content blocks ({"type": "text", "text": "first half"}, ...) is whole again */
        bool tag = !inline_names && k < n && t[k] == ':' &&
                   ((j - i - 1 == 4 && memcmp(text + i + 1, "type", 4) == 0) ||
                    (j - i - 1 == 4 && memcmp(text + i + 1, "role", 4) == 0) ||
                    (j - i - 1 == 8 && memcmp(text + i + 1, "mimeType", 8) == 0));
        if (k < n && t[k] == ':' && inline_names) { /* a name, where it stands */
            rc = json_unescape(text + i + 1, j - i - 1, out);
        } else if (k < n && t[k] == ':') { /* a member name */
            size_t at = keys->len + 1;
            if ((rc = buf_putc(keys, '"')) == 0 &&
                (rc = json_unescape(text + i + 1, j - i - 1, keys)) == 0) {
                /* a name that could be half a value: digits, '.', '@', '+', '/', '=', or long */
                for (size_t q = at; odd_names != NULL && !*odd_names && q < keys->len; q++)
                    *odd_names = (keys->data[q] >= '0' && keys->data[q] <= '9') ||
                                 strchr(".@+/=", keys->data[q]) != NULL || keys->len - at >= 16;
                rc = buf_putc(keys, '"');
            }
        } else if (value_is_tag) {
            if ((rc = buf_putc(keys, '"')) == 0 &&
                (rc = json_unescape(text + i + 1, j - i - 1, keys)) == 0)
                rc = buf_putc(keys, '"');
        } else {
            size_t at = out->len;
            rc = json_unescape(text + i + 1, j - i - 1, out);
            if (rc == 0 && sep != NULL && (rc = buf_append(sep, out->data + at, out->len - at)) == 0)
                rc = buf_putc(sep, '\n');
        }
        value_is_tag = tag;
        i = j;
    }
    if (inline_names)
        return rc;
    if (rc == 0)
        rc = buf_putc(out, '"');
    return rc < 0 ? rc : buf_append(out, keys->data, keys->len);
}

static int args_view(struct buf *out, struct buf *keys, struct buf *sep, const char *text,
                     size_t n, bool *odd_names)
{
    return args_view_names(out, keys, sep, text, n, false, odd_names);
}

/* Add the values of one scan to the call, except those already in seen[0..*nseen), which
 * then gets these; `via` names the view ("" for the raw text). */
/* Views a call's params are read in (as read, names in place, invisibles dropped, as shown,
 * folded, compact, unwrapped twice and each as shown), 16 hits each at most. */
#define GUARD_SEEN_MAX (12 * 16)

static void add_hits(struct guard *g, const struct tracked_hits *h, const char *via,
                     uint32_t *seen, size_t *nseen, struct guard_call *c)
{
    if (h->nvalues == 0)
        return;
    c->tracked_hit = true;
    labelset_union(&c->labels, &h->labels);
    c->invalidated = c->invalidated || h->invalidated;
    size_t before = *nseen;
    for (size_t i = 0; i < h->n; i++) {
        const struct tracked_match *m = &h->match[i];
        bool dup = false;
        for (size_t k = 0; k < before && !dup; k++)
            dup = seen[k] == m->value.id;
        if (dup)
            continue;
        if (*nseen < GUARD_SEEN_MAX)
            seen[(*nseen)++] = m->value.id;
        char dg[65];
        tracked_value_digest(g->tracked, m->value.id, dg);
        const struct tracked_source *src = m->value.nsources ? m->value.sources[0] : NULL;
        buf_printf(&c->prov, "%s{\"value\":\"%s\",\"variant\":\"%s\"", c->prov.len ? "," : "",
                   dg, tracked_variant_name(m->variant));
        if (*via != '\0')
            buf_printf(&c->prov, ",\"via\":\"%s\"", via);
        if (src != NULL && src->prov.origin == TRACKED_FROM_OPERATOR) {
            /* marked by the operator (taint.track): no call produced it */
            buf_append(&c->prov, ",\"origin\":\"operator\",\"mark\":\"", 29);
            buf_json_escape(&c->prov, src->prov.tool, src->prov.tool_len);
            buf_putc(&c->prov, '"');
            if (src->invalidated)
                buf_append(&c->prov, ",\"invalidated\":true", 19);
        } else if (src != NULL) {
            /* the source's request id is JSON text already */
            buf_append(&c->prov, ",\"source\":", 10);
            buf_append(&c->prov, src->prov.request_id, src->prov.request_id_len);
            buf_append(&c->prov, ",\"tool\":\"", 9);
            buf_json_escape(&c->prov, src->prov.tool, src->prov.tool_len);
            buf_putc(&c->prov, '"');
            if (src->invalidated)
                buf_append(&c->prov, ",\"invalidated\":true", 19);
        }
        buf_putc(&c->prov, '}');
    }
}

/* Has p[0..n) a byte >= 0x80? Eight at a time. */
static bool has_high_byte(const char *p, size_t n)
{
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        uint64_t w[4];
        memcpy(w, p + i, 32);
        if ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ull)
            return true;
    }
    for (; i < n; i++)
        if ((unsigned char)p[i] >= 0x80)
            return true;
    return false;
}

int guard_track_args(struct guard *g, const char *args, size_t len, struct guard_call *c)
{
    if (g->tracked == NULL || tracked_empty(g->tracked))
        return 0;
    struct tracked_match m[16];
    struct tracked_hits h = {.match = m, .cap = 16};
    uint32_t seen[GUARD_SEEN_MAX]; /* the values reported so far, over every view */
    size_t nseen = 0;
    int rc;
    /* every size: padding params past a limit must not bring back the raw text's blind spots
     * (a value split over two strings) */
    bool odd_names = false;
    if ((rc = args_view(&g->view, &g->str, &g->sepv, args, len, &odd_names)) == 0 &&
        (rc = tracked_scan(g->tracked, g->view.data, g->view.len, &h)) >= 0 && h.nvalues > 0)
        add_hits(g, &h, needs_view(args, len) ? "decoded" : "", seen, &nseen, c);
    /* a value split between a member's name and its value ({"jane.doe": "@acme.example"}):
     * names where they stand, when one could be half a value */
    if (rc >= 0 && odd_names) {
        struct buf *pv = &g->alt[1];
        if ((rc = args_view_names(pv, &g->fold, NULL, args, len, true, NULL)) == 0) {
            h = (struct tracked_hits){.match = m, .cap = 16};
            if ((rc = tracked_scan(g->tracked, pv->data ? pv->data : "", pv->len, &h)) >= 0)
                add_hits(g, &h, "decoded", seen, &nseen, c);
        }
        if (pv->data != NULL)
            explicit_bzero(pv->data, pv->len);
        buf_reset(pv);
    }
    /* as shown, but with the tags left in: a value that holds "<x>" itself, with references or
     * a zero width put inside it (the shown view below drops the value's own tag) */
    if (rc >= 0 && memchr(g->view.data, '<', g->view.len) != NULL &&
        shown_differs((const unsigned char *)g->view.data, g->view.len)) {
        buf_reset(&g->fold);
        if (buf_append(&g->fold, g->view.data, g->view.len) == 0) {
            read_as_shown(&g->fold, 0, true);
            h = (struct tracked_hits){.match = m, .cap = 16};
            if ((rc = tracked_scan(g->tracked, g->fold.data, g->fold.len, &h)) >= 0)
                add_hits(g, &h, "decoded", seen, &nseen, c);
            explicit_bzero(g->fold.data, g->fold.len);
        }
    }
    /* and as a reader is shown them: a value hidden by character references or invisible
     * code points. Both views: a value may itself hold "&#" or a zero width joiner, and then
     * only the first has it as the server receives it. */
    if (rc >= 0 && shown_differs((const unsigned char *)g->view.data, g->view.len)) {
        read_as_shown(&g->view, 0, false);
        h = (struct tracked_hits){.match = m, .cap = 16};
        if ((rc = tracked_scan(g->tracked, g->view.data, g->view.len, &h)) >= 0)
            add_hits(g, &h, "decoded", seen, &nseen, c);
    }
    /* and folded as a reader sees it (scan/fold.h): fullwidth or mathematical letters, a
     * Cyrillic or Greek look-alike inside a Latin word; the compact view starts from this */
    if (rc >= 0 && has_high_byte(g->view.data, g->view.len)) {
        size_t fl = 0;
        const char *f = NULL;
        buf_reset(&g->fold);
        if (buf_reserve(&g->fold, g->view.len) == 0 &&
            fold_ident(g->view.data, g->view.len, g->fold.data, &fl))
            f = g->fold.data;
        if (f != NULL) {
            h = (struct tracked_hits){.match = m, .cap = 16};
            if ((rc = tracked_scan(g->tracked, f, fl, &h)) >= 0)
                add_hits(g, &h, "decoded", seen, &nseen, c);
            memcpy(g->view.data, f, fl);
            g->view.len = fl;
            explicit_bzero(g->fold.data, fl);
        }
    }
    /* without the separators and case an agent was told to add ("s k - p r o j",
     * "4111-1111-...") */
    if (rc >= 0) { /* g->str: args_view's scratch, free again */
        if (g->str.data != NULL)
            explicit_bzero(g->str.data, g->str.len);
        buf_reset(&g->str);
        if ((rc = buf_reserve(&g->str, g->view.len)) == 0) {
            g->str.len = tracked_compact(g->view.data, g->view.len, g->str.data);
            h = (struct tracked_hits){.match = m, .cap = 16};
            if (g->str.len != g->view.len &&
                (rc = tracked_scan_compact(g->tracked, g->str.data, g->str.len, &h)) >= 0)
                add_hits(g, &h, "compact", seen, &nseen, c);
        }
    }
    /* with its encodings undone, twice: base64 of base64, hex of base64, base32, character
     * codes (scan/unwrap.h); the tracker matches one more encoding where it stands */
    const struct buf *from = &g->sepv; /* one string a line: a run starts where its string does */
    for (int depth = 0; rc >= 0 && depth < 2; depth++) {
        struct buf *to = &g->alt[depth];
        buf_reset(to); /* wiped after the last call */
        if ((rc = unwrap(from->data, from->len, UNWRAP_ALL, to)) <= 0)
            break;
        h = (struct tracked_hits){.match = m, .cap = 16};
        if ((rc = tracked_scan(g->tracked, to->data, to->len, &h)) >= 0)
            add_hits(g, &h, "unwrapped", seen, &nseen, c);
        /* and as shown: an invisible code point, a reference or a tag that was encoded with
         * the value ("%E2%80%8B", base64 of "<wbr>") */
        if (rc >= 0 && shown_differs((const unsigned char *)to->data, to->len)) {
            read_as_shown(to, 0, false);
            h = (struct tracked_hits){.match = m, .cap = 16};
            if ((rc = tracked_scan(g->tracked, to->data, to->len, &h)) >= 0)
                add_hits(g, &h, "unwrapped", seen, &nseen, c);
        }
        /* and compact: the value reversed or in ROT13 before it was encoded */
        buf_reset(&g->str);
        if (rc >= 0 && (rc = buf_reserve(&g->str, to->len)) == 0) {
            g->str.len = tracked_compact(to->data, to->len, g->str.data);
            h = (struct tracked_hits){.match = m, .cap = 16};
            if ((rc = tracked_scan_compact(g->tracked, g->str.data, g->str.len, &h)) >= 0)
                add_hits(g, &h, "unwrapped", seen, &nseen, c);
            explicit_bzero(g->str.data, g->str.len);
        }
        from = to;
    }
    /* argument bytes that may hold a value */
    struct buf *wipe[] = {&g->view, &g->str, &g->sepv, &g->alt[0], &g->alt[1]};
    for (size_t i = 0; i < sizeof(wipe) / sizeof(wipe[0]); i++) {
        if (wipe[i]->data != NULL)
            explicit_bzero(wipe[i]->data, wipe[i]->len);
        buf_trim(wipe[i], GUARD_VIEW_KEEP);
    }
    return rc < 0 ? rc : 0;
}

bool guard_json_carries(struct guard *g, const char *json, size_t len)
{
    struct guard_call c;
    guard_call_init(&c);
    bool hit = guard_track_args(g, json, len, &c) < 0 || c.tracked_hit;
    guard_call_cleanup(&c);
    return hit;
}

static int facts_node(struct guard *g, struct json_doc *doc, uint32_t at, struct guard_call *c,
                      int depth)
{
    const struct json_node *n = &doc->nodes[at];
    if (n->type == JSON_STRING) {
        const char *p;
        size_t len, nh = 0;
        buf_reset(&g->str);
        int rc = json_str(doc, at, &g->str, &p, &len);
        if (rc < 0)
            return rc;
        /* the string, then as a reader sees it when that differs (scan/fold.h) */
        size_t fl = 0;
        const char *f = NULL;
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1 && (!(n->flags & (JSON_F_ESCAPED | JSON_F_NONASCII)) ||
                              (f = folded(g, p, len, &fl)) == NULL))
                break;
            if ((rc = detect_scan(g->arg_det, g->arg_scr, pass ? f : p, pass ? fl : len, g->hits,
                                  GUARD_HITS, &nh)) < 0)
                return rc;
            struct detect_summary sum;
            detect_last_summary(g->arg_scr, &sum);
            static const struct {
                unsigned fam;
                int fact;
            } map[] = {{DETECT_SECRET, FACT_THREAT_SECRET},
                       {DETECT_PII, FACT_THREAT_PII},
                       {DETECT_INJECTION, FACT_THREAT_INJECTION},
                       {DETECT_CMDI, FACT_THREAT_CMDI},
                       {DETECT_TRAVERSAL, FACT_THREAT_TRAVERSAL},
                       {DETECT_URL, FACT_THREAT_URL}};
            for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
                double v = sum.max_score[detect_family_index(map[i].fam)];
                if (v > c->facts.v[map[i].fact])
                    c->facts.v[map[i].fact] = v;
                if (v > c->facts.v[FACT_THREAT_ANY])
                    c->facts.v[FACT_THREAT_ANY] = v;
            }
        }
        return 0;
    }
    if (n->type != JSON_ARRAY && n->type != JSON_OBJECT)
        return 0;
    if ((n->flags & JSON_F_PARTIAL) || depth > 256)
        return -E2BIG; /* cannot see everything: the caller fails closed */
    for (uint32_t k = json_first(doc, at); k != 0; k = doc->nodes[k].next) {
        int rc = facts_node(g, doc, k, c, depth + 1);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int guard_facts(struct guard *g, struct json_doc *doc, uint32_t args, struct guard_call *c)
{
    if (g->arg_det == NULL)
        return 0;
    memset(&c->facts, 0, sizeof(c->facts));
    c->facts.present = (1u << FACT_MAX) - 1; /* scanned: every score known (0 = nothing) */
    if (doc == NULL)
        return 0;
    if (doc->truncated)
        return -E2BIG;
    return facts_node(g, doc, args, c, 0);
}

#define NO_SERVER_ID                                                                       \
    "the server reported no usable serverInfo.name (empty, over 128 bytes, or holding a "   \
    "NUL): its definitions cannot be pinned under it; name the server with --server-id"

bool guard_pin_blocked(struct guard *g, int kind, const char *server, const char *name,
                       size_t len, char *why, size_t whylen)
{
    if (g->pins == NULL)
        return false;
    if (server == NULL) { /* no identity to pin under: nothing can be checked */
        snprintf(why, whylen, "%s", NO_SERVER_ID);
        return true;
    }
    const struct schema_slot *sl = kind == PIN_TOOL ? schema_slot(g, name, len, false) : NULL;
    const struct tmpl *tp = kind == PIN_TEMPLATE ? tmpl_find(g, name, len) : NULL;
    unsigned poison = sl != NULL ? sl->poison : tp != NULL ? tp->poison : 0;
    if (poison >= GUARD_POISON_BLOCK) {
        /* a poisoned description: only an operator's approval of this very definition lets
         * the tool be called */
        struct pin_info info;
        bool approved =
            pins_info(g->pins, server ? server : "", (enum pin_kind)kind, name, len, &info) == 0 &&
            info.by_operator && !info.pending;
        if (!approved) {
            snprintf(why, whylen,
                     "the %s's description looks poisoned (%s, score %u); approve it with "
                     "`sentinel pins approve` after reading it",
                     kind == PIN_TOOL ? "tool" : "resource template",
                     sl != NULL ? sl->poison_kind : tp->poison_kind, poison);
            return true;
        }
    }
    if (!pins_blocked(g->pins, server ? server : "", (enum pin_kind)kind, name, len))
        return false;
    struct pin_info info;
    static const char never[] = "0000000000000000000000000000000000000000000000000000000000000000";
    if (pins_info(g->pins, server ? server : "", (enum pin_kind)kind, name, len, &info) == 0 &&
        info.pending && strcmp(info.approved, never) == 0)
        snprintf(why, whylen,
                 "the definition was never approved: it reads like a pinned name that "
                 "disappeared, or its name was listed with two definitions on first sight; "
                 "approve it with `sentinel pins approve` after reading it");
    else if (pins_info(g->pins, server ? server : "", (enum pin_kind)kind, name, len, &info) == 0 &&
             info.pending)
        snprintf(why, whylen,
                 "the definition changed since it was approved (%s; pending %.12s); "
                 "approve it with `sentinel pins approve`",
                 info.changed[0] ? info.changed : "definition", info.latest);
    else
        snprintf(why, whylen,
                 "the definition could not be pinned (malformed, over a limit of the store, or "
                 "listed twice with different definitions); blocked");
    return true;
}

static const struct tmpl *tmpl_find(const struct guard *g, const char *name, size_t len)
{
    for (size_t i = 0; i < g->ntmpls; i++)
        if (g->tmpls[i].name_len == len && memcmp(g->tmpls[i].name, name, len) == 0)
            return &g->tmpls[i];
    return NULL;
}

/* Could the RFC 6570 template t have produced uri[0..n)? Every {expression} stands for any
 * run of characters (more URIs match than the template can produce: a blocked template
 * errs on the side of refusing), everything else must match byte for byte. */
static bool tmpl_match(const char *t, const char *uri, size_t n)
{
    const char *star = NULL; /* the template just after the last expression */
    size_t i = 0, star_u = 0;
    while (i < n || *t) {
        if (*t == '{') {
            const char *close = strchr(t, '}');
            if (close == NULL)
                return false; /* malformed: matches nothing by itself (the name still does) */
            t = star = close + 1;
            star_u = i;
            continue;
        }
        if (*t && i < n && *t == uri[i]) {
            t++;
            i++;
            continue;
        }
        if (star == NULL || star_u >= n)
            return false;
        t = star; /* the last expression takes one more byte */
        i = ++star_u;
    }
    return true;
}

/*
 * A URI as the server may read it, coarser than any of its readings: a reader such as WHATWG
 * URL (the TypeScript SDK's new URL(uri)) strips C0 controls and spaces at both ends, drops
 * tabs and line breaks anywhere, lowercases the scheme (and a special scheme's host), and a
 * server may decode %XX. So: all of that, every %XX decoded, every ASCII letter lowercased.
 * Matching the folded URI against the folded template matches more, never fewer: a blocked
 * template errs on the side of refusing. In a template, %7B and %7D stay as they are (they
 * are not expressions). 0 or -ENOBUFS/-ENOMEM; out is NUL-terminated.
 */
static int hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static int uri_fold(const char *in, size_t n, bool tmpl, struct buf *out)
{
    while (n > 0 && (unsigned char)in[0] <= 0x20) {
        in++;
        n--;
    }
    while (n > 0 && (unsigned char)in[n - 1] <= 0x20)
        n--;
    buf_reset(out);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        int hi, lo;
        if (c == '%' && i + 2 < n && (hi = hex_digit(in[i + 1])) >= 0 &&
            (lo = hex_digit(in[i + 2])) >= 0) {
            unsigned char d = (unsigned char)(hi << 4 | lo);
            if (!(tmpl && (d == '{' || d == '}' || d == 0))) {
                c = d;
                i += 2;
            }
        }
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        rc = buf_putc(out, (char)c);
    }
    return rc ? rc : buf_putc(out, '\0');
}

bool guard_template_blocked(struct guard *g, const char *server, const char *uri, size_t len,
                            char *why, size_t whylen)
{
    if (g->pins == NULL || g->ntmpls == 0)
        return false;
    if (server == NULL) {
        snprintf(why, whylen, "%s", NO_SERVER_ID);
        return true;
    }
    struct buf fu, fc, cu, ft;
    buf_init(&fu, 3 * len + 16);
    buf_init(&fc, 3 * len + 3 * URI_CANON_SLACK + 16);
    buf_init(&cu, len + URI_CANON_SLACK + 16);
    buf_init(&ft, 1u << 20);
    bool blocked = false;
    /* the URI as written, and as a WHATWG reader resolves it (file:/p, file://localhost/p,
     * dot segments, doubled slashes, backslashes): either matching a template counts */
    if (uri_fold(uri, len, false, &fu) < 0 || uri_canon(uri, len, &cu) < 0 ||
        uri_fold(cu.data ? cu.data : "", cu.len, false, &fc) < 0) {
        snprintf(why, whylen, "the URI could not be checked against the resource templates");
        blocked = true;
        goto out;
    }
    for (size_t i = 0; i < g->ntmpls; i++) {
        const struct tmpl *tp = &g->tmpls[i];
        if (tp->uri_template == NULL)
            continue;
        /* (a template that cannot be folded counts as matching: fail closed) */
        if (uri_fold(tp->uri_template, strlen(tp->uri_template), true, &ft) == 0 &&
            !tmpl_match(ft.data, fu.data, fu.len - 1) &&
            !tmpl_match(ft.data, fc.data, fc.len - 1))
            continue;
        char w[300];
        if (guard_pin_blocked(g, PIN_TEMPLATE, server, tp->name, tp->name_len, w, sizeof(w))) {
            snprintf(why, whylen, "the URI matches the resource template '%.*s' (%.100s): %s",
                     (int)(tp->name_len > 64 ? 64 : tp->name_len), tp->name, tp->uri_template, w);
            blocked = true;
            break;
        }
    }
out:
    buf_cleanup(&fu);
    buf_cleanup(&fc);
    buf_cleanup(&cu);
    buf_cleanup(&ft);
    return blocked;
}

static struct schema_slot *schema_slot(struct guard *g, const char *name, size_t len,
                                       bool insert)
{
    if (g->schemas_cap == 0) {
        if (!insert)
            return NULL;
        g->schemas = calloc(64, sizeof(*g->schemas));
        if (g->schemas == NULL)
            return NULL;
        g->schemas_cap = 64;
    }
    if (insert && (g->nschemas + 1) * 2 > g->schemas_cap) {
        size_t ncap = g->schemas_cap * 2;
        struct schema_slot *ns = calloc(ncap, sizeof(*ns));
        if (ns == NULL)
            return NULL;
        for (size_t i = 0; i < g->schemas_cap; i++) {
            if (g->schemas[i].name == NULL)
                continue;
            size_t j = hash_fnv1a64(g->schemas[i].name, g->schemas[i].len) & (ncap - 1);
            while (ns[j].name != NULL)
                j = (j + 1) & (ncap - 1);
            ns[j] = g->schemas[i];
        }
        free(g->schemas);
        g->schemas = ns;
        g->schemas_cap = ncap;
    }
    size_t j = hash_fnv1a64(name, len) & (g->schemas_cap - 1);
    for (; g->schemas[j].name != NULL; j = (j + 1) & (g->schemas_cap - 1))
        if (g->schemas[j].len == len && memcmp(g->schemas[j].name, name, len) == 0)
            return &g->schemas[j];
    if (!insert || g->nschemas >= GUARD_MAX_SCHEMAS)
        return NULL;
    if ((g->schemas[j].name = malloc(len + 1)) == NULL)
        return NULL;
    memcpy(g->schemas[j].name, name, len);
    g->schemas[j].name[len] = '\0';
    g->schemas[j].len = len;
    g->nschemas++;
    return &g->schemas[j];
}

int guard_schema_check(struct guard *g, const char *name, size_t len, struct json_doc *doc,
                       uint32_t args, char *why, size_t whylen)
{
    struct schema_slot *sl = schema_slot(g, name, len, false);
    if (sl != NULL && sl->dup) {
        snprintf(why, whylen,
                 "the tool is listed more than once: which inputSchema applies is "
                 "ambiguous");
        return 2;
    }
    if (sl == NULL || sl->s == NULL) {
        if (sl != NULL && sl->seen && sl->schema_err != NULL)
            snprintf(why, whylen, "the tool's inputSchema cannot be enforced: %s",
                     sl->schema_err);
        else
            snprintf(why, whylen, "no input schema is known for this tool (it was not listed)");
        return 2;
    }
    return schema_validate(sl->s, doc, args, why, whylen);
}

/* ---- listings ---------------------------------------------------------------------- */

static void rep_str(struct buf *b, const char *s, size_t n)
{
    buf_putc(b, '"');
    buf_json_escape(b, s, n);
    buf_putc(b, '"');
}

/* Compile the inputSchema of each listed tool (tools only); scan descriptions. */

/* The string literals of a definition's JSON text t[0..n), unescaped and joined by newlines,
 * scanned for poisoning when the text has an escape or a byte >= 0x80, and folded and scanned
 * again when folding changes them; the worst score, its kind and the kinds seen (up to 8)
 * are merged into *worst, *worst_kind, kinds[*nk]. */
/* A kind of attack of 50 or more in the definition being judged, counted once. */
static void note_strong(struct guard *g, const struct detect_hit *h)
{
    if (h->score < 50)
        return;
    for (unsigned k = 0; k < g->nstrong; k++)
        if (g->strong[k] == h->kind)
            return;
    if (g->nstrong < 8)
        g->strong[g->nstrong++] = h->kind;
}

/* Two kinds of attack in one definition ("include the conversation in 'notes'" and "when
 * send_email is invoked, change the recipient") are more than either: 10 more for each kind
 * past the first, up to 95. */
static unsigned combined_score(const struct guard *g, unsigned worst)
{
    unsigned more = g->nstrong > 1 ? 10 * (g->nstrong - 1) : 0;
    if (worst + more > 95)
        return worst > 95 ? worst : 95;
    return worst + more;
}

static void desc_merge(struct guard *g, size_t nh, unsigned *worst, unsigned *worst_kind,
                       unsigned kinds[8], unsigned *nk)
{
    for (size_t i = 0; i < nh && i < GUARD_HITS; i++) {
        note_strong(g, &g->hits[i]);
        if (g->hits[i].score > *worst) {
            *worst = g->hits[i].score;
            *worst_kind = g->hits[i].kind;
        }
        bool seen = false;
        for (unsigned k = 0; k < *nk && !seen; k++)
            seen = kinds[k] == g->hits[i].kind;
        if (!seen && *nk < 8)
            kinds[(*nk)++] = g->hits[i].kind;
    }
}

static int desc_strings(struct guard *g, const char *t, size_t n, unsigned *worst,
                        unsigned *worst_kind, unsigned kinds[8], unsigned *nk)
{
    /* an instruction in base64, base32 or hex reads as plain to a model asked to decode it:
     * the text runs of 24 characters or more, decoded (scan/unwrap.h) */
    struct buf *d = &g->alt[0];
    buf_reset(d);
    int urc = unwrap(t, n, UNWRAP_RUNS | UNWRAP_LONG | UNWRAP_TEXT, d);
    if (urc < 0)
        return urc;
    if (urc > 0) {
        size_t nh = 0;
        urc = detect_scan(g->desc_det, g->desc_scr, d->data, d->len, g->hits, GUARD_HITS, &nh);
        if (urc < 0)
            return urc;
        desc_merge(g, nh, worst, worst_kind, kinds, nk);
    }
    buf_trim(d, GUARD_VIEW_KEEP);
    bool underscores = memchr(t, '_', n) != NULL;
    if (memchr(t, '\\', n) == NULL && !underscores) {
        size_t i = 0;
        while (i < n && (unsigned char)t[i] < 0x80)
            i++;
        if (i == n)
            return 0; /* the raw text is what a model reads */
    }
    struct buf *v = &g->view;
    buf_reset(v);
    int rc = 0;
    for (const char *q = memchr(t, '"', n); q != NULL && rc == 0;) {
        size_t i = (size_t)(q - t), j = string_end(t, n, i);
        if (j == 0)
            return SE_EPARSE;
        if ((rc = json_unescape(t + i + 1, j - i - 1, v)) == 0)
            rc = buf_putc(v, '\n');
        q = j + 1 < n ? memchr(t + j + 1, '"', n - j - 1) : NULL;
    }
    for (int pass = 0; pass < 3 && rc == 0; pass++) {
        const char *x = v->data ? v->data : "";
        size_t xl = v->len, nh = 0;
        if (pass == 1 && (x = folded(g, v->data ? v->data : "", v->len, &xl)) == NULL)
            continue;
        if (pass == 2) { /* underscores read as spaces: "ignore_all_previous_instructions" */
            if (!underscores)
                break;
            buf_reset(&g->sepv);
            if ((rc = buf_append(&g->sepv, v->data ? v->data : "", v->len)) < 0)
                break;
            for (size_t i = 0; i < g->sepv.len; i++)
                if (g->sepv.data[i] == '_')
                    g->sepv.data[i] = ' ';
            x = g->sepv.data ? g->sepv.data : "";
        }
        if ((rc = detect_scan(g->desc_det, g->desc_scr, x, xl, g->hits, GUARD_HITS, &nh)) < 0)
            break;
        desc_merge(g, nh, worst, worst_kind, kinds, nk);
    }
    buf_reset(v);
    return rc;
}

int guard_instructions_poison(struct guard *g, const struct json_doc *doc, uint32_t node,
                              unsigned *score, char kind[40])
{
    *score = 0;
    kind[0] = '\0';
    if (g == NULL || g->desc_det == NULL || node == 0)
        return 0;
    const struct json_node *n = &doc->nodes[node];
    size_t nh = 0;
    int rc = detect_scan(g->desc_det, g->desc_scr, doc->text + n->start, n->end - n->start,
                         g->hits, GUARD_HITS, &nh);
    if (rc < 0)
        return rc;
    unsigned worst = 0, worst_kind = 0, kinds[8], nk = 0;
    g->nstrong = 0;
    for (size_t i = 0; i < nh && i < GUARD_HITS; i++) {
        if (g->hits[i].score > worst) {
            worst = g->hits[i].score;
            worst_kind = g->hits[i].kind;
        }
        note_strong(g, &g->hits[i]);
    }
    rc = desc_strings(g, doc->text + n->start, n->end - n->start, &worst, &worst_kind, kinds,
                      &nk);
    if (rc < 0)
        return rc;
    worst = combined_score(g, worst);
    *score = worst;
    if (worst > 0)
        snprintf(kind, 40, "%s", detect_kind_name(worst_kind));
    return 0;
}

int guard_pin_instructions(struct guard *g, const char *server, struct json_doc *doc,
                           uint32_t node, unsigned poison, char *why, size_t whylen,
                           char hash[CANON_SHA256_HEX])
{
    static const char name[] = PIN_INSTRUCTIONS_NAME;
    hash[0] = '\0';
    if (g == NULL)
        return 0;
    if (g->pins == NULL) {
        if (poison < GUARD_POISON_BLOCK)
            return 0;
        snprintf(why, whylen, "the server's instructions look poisoned (score %u)", poison);
        return 1;
    }
    if (server == NULL) {
        snprintf(why, whylen, "%s", NO_SERVER_ID);
        return 1;
    }
    struct pin_digest dg;
    struct diag d = {0};
    int rc;
    if (node != 0) {
        rc = pins_digest(doc, node, &dg, &d);
    } else { /* none: pinned as null, so that instructions appearing later are a change */
        struct json_doc nd;
        json_doc_init(&nd, 2, 4);
        rc = json_parse(&nd, "null", 4, 2, &d);
        rc = rc < 0 ? rc : pins_digest(&nd, 0, &dg, &d);
        json_doc_cleanup(&nd);
    }
    if (rc < 0) {
        snprintf(why, whylen, "the instructions could not be pinned: %s",
                 d.msg[0] ? d.msg : "malformed");
        return 1;
    }
    memcpy(hash, dg.hash, CANON_SHA256_HEX);
    enum pin_state st = pins_check(g->pins, server, PIN_INSTRUCTIONS, name, sizeof(name) - 1, &dg);
    struct pin_info info;
    bool known = pins_info(g->pins, server, PIN_INSTRUCTIONS, name, sizeof(name) - 1, &info) == 0;
    switch (st) {
    case PIN_NEW:
    case PIN_SAME:
        break;
    case PIN_CHANGED:
        snprintf(why, whylen,
                 "the server's instructions changed since they were approved (pending %.12s); "
                 "approve them with `sentinel pins approve --kind instructions` after reading "
                 "them",
                 dg.hash);
        return 1;
    default:
        snprintf(why, whylen, "the server's instructions could not be pinned (store limits)");
        return 1;
    }
    if (poison >= GUARD_POISON_BLOCK && !(known && info.by_operator && !info.pending)) {
        snprintf(why, whylen,
                 "the server's instructions look poisoned (score %u); approve them with "
                 "`sentinel pins approve --kind instructions` after reading them",
                 poison);
        return 1;
    }
    return 0;
}

/* Remember a listed resource template (name, uriTemplate) for resources/read. */
static struct tmpl *tmpl_add(struct guard *g, uint32_t t, const char *name, size_t len)
{
    if (g->ntmpls >= GUARD_MAX_SCHEMAS)
        return NULL;
    if (g->ntmpls == g->tmpls_cap) {
        size_t ncap = g->tmpls_cap ? 2 * g->tmpls_cap : 16;
        struct tmpl *nt = realloc(g->tmpls, ncap * sizeof(*nt));
        if (nt == NULL)
            return NULL;
        g->tmpls = nt;
        g->tmpls_cap = ncap;
    }
    struct tmpl *tp = &g->tmpls[g->ntmpls];
    memset(tp, 0, sizeof(*tp));
    if ((tp->name = malloc(len + 1)) == NULL)
        return NULL;
    memcpy(tp->name, name, len);
    tp->name[len] = '\0';
    tp->name_len = len;
    uint32_t ut = json_get(&g->doc, t, "uriTemplate", 11);
    const char *p;
    size_t n;
    buf_reset(&g->str);
    if (ut != 0 && g->doc.nodes[ut].type == JSON_STRING &&
        json_str(&g->doc, ut, &g->str, &p, &n) == 0 && (tp->uri_template = malloc(n + 1)) != NULL) {
        memcpy(tp->uri_template, p, n);
        tp->uri_template[n] = '\0';
    }
    g->ntmpls++;
    return tp;
}

static void note_tool(struct guard_list_out *o, const char *name, size_t len)
{
    if (o->first_tool[0] == '\0')
        snprintf(o->first_tool, sizeof(o->first_tool), "%.*s", (int)(len > 60 ? 60 : len), name);
}

static int list_tools(struct guard *g, uint32_t tools, int kind, struct buf *rep, bool *bad,
                      struct guard_list_out *lo)
{
    bool is_tools = kind == PIN_TOOL;
    struct buf name;
    buf_init(&name, 1u << 16);
    bool first = true;
    int rc = 0;
    for (uint32_t t = json_first(&g->doc, tools); t != 0 && rc >= 0; t = g->doc.nodes[t].next) {
        if (g->doc.nodes[t].type != JSON_OBJECT)
            continue;
        uint32_t nn = json_get(&g->doc, t, "name", 4);
        if (nn == 0 || g->doc.nodes[nn].type != JSON_STRING)
            continue;
        const char *p;
        size_t len;
        buf_reset(&name);
        if (json_str(&g->doc, nn, &name, &p, &len) < 0)
            continue;
        /* the input schema, compiled for schema enforcement */
        uint32_t is = json_get(&g->doc, t, "inputSchema", 11);
        struct schema_slot *sl = is_tools ? schema_slot(g, p, len, true) : NULL;
        if (is_tools && sl == NULL)
            g->schemas_full = true;
        struct tmpl *tp = kind == PIN_TEMPLATE ? tmpl_add(g, t, p, len) : NULL;
        if (sl != NULL && sl->seen) {
            /* the same name twice: neither schema can be trusted to be the one that runs */
            if (!sl->dup) {
                lo->duplicates++;
                note_tool(lo, p, len);
            }
            sl->dup = true;
            schema_free(sl->s);
            sl->s = NULL;
            free(sl->out_schema);
            sl->out_schema = NULL;
            buf_printf(rep, "%s{\"tool\":", first ? "" : ",");
            rep_str(rep, p, len);
            buf_append(rep, ",\"duplicate\":true}", 18);
            first = false;
        } else if (sl != NULL) {
            sl->seen = true;
            schema_free(sl->s);
            sl->s = NULL;
            free(sl->unsupported);
            sl->unsupported = NULL;
            free(sl->out_schema);
            sl->out_schema = NULL;
            uint32_t os = json_get(&g->doc, t, "outputSchema", 12);
            if (os != 0 && g->doc.nodes[os].type == JSON_OBJECT) {
                const struct json_node *on = &g->doc.nodes[os];
                size_t olen = on->end - on->start;
                if ((sl->out_schema = malloc(olen)) != NULL) {
                    memcpy(sl->out_schema, g->doc.text + on->start, olen);
                    sl->out_len = olen;
                }
            }
            sl->out_stale = out_changed(g, sl);
            char err[256] = "";
            free(sl->schema_err);
            sl->schema_err = NULL;
            if (is == 0)
                sl->schema_err = strdup("it was listed without one");
            if (is != 0 && schema_compile(&g->doc, is, &sl->s, err, sizeof(err)) < 0) {
                sl->schema_err = strdup(err);
                buf_printf(rep, "%s{\"tool\":", first ? "" : ",");
                rep_str(rep, p, len);
                buf_append(rep, ",\"schema_error\":", 16);
                rep_str(rep, err, strlen(err));
                buf_putc(rep, '}');
                first = false;
            } else if (sl->s != NULL) {
                const char *const *ptrs;
                size_t nu = schema_unsupported(sl->s, &ptrs);
                if (nu > 0) {
                    lo->unsupported++;
                    note_tool(lo, p, len);
                    buf_printf(rep, "%s{\"tool\":", first ? "" : ",");
                    rep_str(rep, p, len);
                    buf_append(rep, ",\"schema_unsupported\":[", 23);
                    for (size_t i = 0; i < nu && i < 8; i++) {
                        if (i)
                            buf_putc(rep, ',');
                        rep_str(rep, ptrs[i], strlen(ptrs[i]));
                    }
                    buf_append(rep, "]}", 2);
                    first = false;
                }
            }
        }
        /* poisoning of the description (and anything else in the definition's strings) */
        if (g->desc_det != NULL) {
            const struct json_node *tn = &g->doc.nodes[t];
            size_t nh = 0;
            /* the definition's raw text: descriptions nested in the schema count too */
            if ((rc = detect_scan(g->desc_det, g->desc_scr, g->doc.text + tn->start,
                                  tn->end - tn->start, g->hits, GUARD_HITS, &nh)) < 0)
                break;
            if (nh > GUARD_HITS)
                nh = GUARD_HITS;
            unsigned worst = 0, worst_kind = 0, kinds[8], nk = 0;
            g->nstrong = 0;
            for (size_t i = 0; i < nh; i++) {
                if (g->hits[i].score > worst) {
                    worst = g->hits[i].score;
                    worst_kind = g->hits[i].kind;
                }
                if (nk < 8)
                    kinds[nk++] = g->hits[i].kind;
                note_strong(g, &g->hits[i]);
            }
            /* and its strings as a model reads them: escapes undone ("\u003cIMPORTANT\u003e"),
             * then folded (a Cyrillic 'І' in "<ІMPORTANT>", scan/fold.h) */
            if ((rc = desc_strings(g, g->doc.text + tn->start, tn->end - tn->start, &worst,
                                   &worst_kind, kinds, &nk)) < 0)
                break;
            worst = combined_score(g, worst);
            if (sl != NULL && (!sl->dup || worst > sl->poison)) {
                sl->poison = worst;
                snprintf(sl->poison_kind, sizeof(sl->poison_kind), "%s",
                         worst ? detect_kind_name(worst_kind) : "");
            }
            if (tp != NULL) {
                tp->poison = worst;
                snprintf(tp->poison_kind, sizeof(tp->poison_kind), "%s",
                         worst ? detect_kind_name(worst_kind) : "");
            }
            if (nk > 0) {
                buf_printf(rep, "%s{\"tool\":", first ? "" : ",");
                rep_str(rep, p, len);
                buf_printf(rep, ",\"poison_score\":%u,\"findings\":[", worst);
                for (size_t i = 0; i < nk; i++)
                    buf_printf(rep, "%s\"%s\"", i ? "," : "", detect_kind_name(kinds[i]));
                buf_append(rep, "]}", 2);
                first = false;
                if (worst >= GUARD_POISON_BLOCK)
                    *bad = true;
            }
        }
    }
    buf_cleanup(&name);
    return rc < 0 ? rc : 0;
}

int guard_list(struct guard *g, int kind, const char *server, const char *line, size_t len,
               bool first, bool last, bool internal, struct buf *rep,
               struct guard_list_out *out)
{
    static const char *const keys[] = {"tools", "prompts", "resourceTemplates"};
    memset(out, 0, sizeof(*out));
    bool *blocked_any = &out->blocked;
    g->parsed_line = NULL;
    struct diag d = {0};
    int rc = json_parse(&g->doc, line, len, JSON_DEFAULT_MAX_DEPTH, &d);
    if (rc < 0) {
        snprintf(out->why, sizeof(out->why), "the list cannot be read: %.150s (at byte %u)",
                 d.msg, d.col);
        return rc;
    }
    uint32_t res = json_get(&g->doc, 0, "result", 6);
    const char *key = keys[kind];
    uint32_t list = res ? json_get(&g->doc, res, key, strlen(key)) : 0;
    if (list == 0 || g->doc.nodes[list].type != JSON_ARRAY)
        return 0;
    if (server == NULL && g->pins != NULL) {
        snprintf(out->why, sizeof(out->why), "%s", NO_SERVER_ID);
        return -EINVAL;
    }
    if (first && kind == PIN_TOOL)
        schemas_begin(g, internal);
    if (first && kind == PIN_TEMPLATE)
        tmpls_clear(g);
    buf_printf(rep, "\"%s\":[", key);
    bool poisoned = false;
    if ((rc = list_tools(g, list, kind, rep, &poisoned, out)) < 0) {
        if (out->why[0] == '\0')
            snprintf(out->why, sizeof(out->why), "a definition could not be checked: %s",
                     strerror(rc < 0 ? -rc : rc));
        return rc;
    }
    buf_putc(rep, ']');
    if (g->pins != NULL) {
        struct pin_report pr;
        pins_report_init(&pr);
        unsigned page = (first ? PINS_PAGE_FIRST : 0) | (last ? PINS_PAGE_LAST : 0);
        rc = pins_scan_list(g->pins, server ? server : "", (enum pin_kind)kind, &g->doc, res, page, &pr,
                            &d);
        if (rc == 0) {
            buf_printf(rep,
                       ",\"pins\":{\"new\":%zu,\"same\":%zu,\"changed\":%zu,\"removed\":%zu,"
                       "\"refused\":%zu,\"duplicates\":%zu,\"lookalikes\":%zu,\"shadows\":%zu,"
                       "\"imitates\":%zu",
                       pr.n_new, pr.n_same, pr.n_changed, pr.n_removed, pr.n_refused,
                       pr.n_duplicate, pr.n_lookalike, pr.n_shadows, pr.n_imitates);
            bool any = false;
            for (size_t i = 0; i < pr.count; i++) {
                const struct pin_item *it = &pr.items[i];
                if (it->state == PIN_SAME && it->flags == 0)
                    continue;
                static const char *const st[] = {"new", "same", "changed", "removed", "refused"};
                buf_printf(rep, "%s", any ? "," : ",\"items\":[");
                any = true;
                buf_append(rep, "{\"name\":", 8);
                if (it->name)
                    rep_str(rep, it->name, it->name_len);
                else
                    buf_append(rep, "null", 4);
                buf_printf(rep, ",\"state\":\"%s\",\"hash\":\"%.16s\"", st[it->state], it->hash);
                if (it->changed[0])
                    buf_printf(rep, ",\"changed\":\"%s\"", it->changed);
                if (it->well_known && (it->flags & PIN_ITEM_IMITATES))
                    buf_printf(rep, ",\"imitates\":\"%s\"", it->well_known);
                if (it->well_known && (it->flags & PIN_ITEM_SHADOWS))
                    buf_printf(rep, ",\"shadows\":\"%s\"", it->well_known);
                if (it->flags & PIN_ITEM_DUPLICATE)
                    buf_append(rep, ",\"duplicate\":true", 17);
                buf_putc(rep, '}');
                if (it->state == PIN_CHANGED || it->state == PIN_REFUSED)
                    *blocked_any = true;
            }
            if (any)
                buf_putc(rep, ']');
            buf_putc(rep, '}');
        }
        pins_report_cleanup(&pr);
        if (rc < 0) {
            snprintf(out->why, sizeof(out->why), "the pins: %.180s",
                     d.msg[0] ? d.msg : strerror(rc < 0 ? -rc : rc));
            return rc;
        }
    }
    if (poisoned)
        *blocked_any = true;
    return 0;
}

int guard_invalidate(struct guard *g, const char *request_id, const char *tool,
                     const char *server)
{
    if (g->tracked == NULL)
        return 0;
    struct tracked_selector sel = {0};
    if (request_id) {
        sel.request_id = request_id;
        sel.request_id_len = strlen(request_id);
    }
    if (tool) {
        sel.tool = tool;
        sel.tool_len = strlen(tool);
    }
    if (server) {
        sel.server = server;
        sel.server_len = strlen(server);
    }
    return tracked_invalidate_source(g->tracked, &sel);
}

struct tracked *guard_tracked(struct guard *g)
{
    return g->tracked;
}

struct pin_store *guard_pins_file(struct guard *g, const char **path)
{
    *path = g->pins_path;
    return g->pins_path != NULL ? g->pins : NULL;
}
