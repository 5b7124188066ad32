/*
 * report.c - `sentinel report`: reads an audit log into the counts and tables of a compliance
 * report (report_int.h), maps them onto the controls sentinel provides, and runs the command.
 * The log is hostile input: it is read a bounded line at a time with the framer and the strict
 * JSON parser, as replay and chain read it, every field is type-checked, and strings are kept
 * as bounded raw copies for the renderers to escape. Memory grows with the number of distinct
 * keys (capped per table), never with the number of records. It never claims what the log
 * does not show: a control with no records is reported as not in evidence.
 */
#include "audit/report_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/num.h"
#include "base/file.h"
#include "base/hash.h"
#include "seal/key.h"

#define READ_WANT (256 * 1024)
#define DEFAULT_MAX_LINE ((size_t)65 << 20)
#define SUB_MAX_NODES 65536u
#define REC_MAX_DEPTH AUDIT_REC_MAX_DEPTH /* as verify and the next run parse them */

/* ---- bounded strings ------------------------------------------------------------------ */

void rs_set(char *dst, size_t cap, uint16_t *n, bool *cut, const char *p, size_t len)
{
    *cut = false;
    if (len > cap) {
        len = cap;
        /* back off to the start of a UTF-8 sequence so the copy stays well-formed */
        while (len > 0 && ((unsigned char)p[len] & 0xC0) == 0x80)
            len--;
        *cut = true;
    }
    memcpy(dst, p, len);
    *n = (uint16_t)len;
}

static void rex_add(struct rex *x, uint64_t seq, const char *id, size_t idn)
{
    if (x->n >= RPT_EX)
        return;
    x->seq[x->n] = seq;
    RS_SET(x->id[x->n], id ? id : "", id ? idn : 0);
    x->n++;
}

/* ---- latency histograms --------------------------------------------------------------- */

static unsigned hist_bin(uint64_t v)
{
    if (v < 8)
        return (unsigned)v;
    unsigned e = 63u - (unsigned)__builtin_clzll(v); /* >= 3 */
    if (e > 51)
        return HIST_BINS - 1;
    unsigned sub = (unsigned)(v >> (e - 3)) & 7u;
    return 8 + (e - 3) * 8 + sub;
}

/* The lowest value of bin b and its width. */
static void bin_range(unsigned b, uint64_t *lo, uint64_t *width)
{
    if (b < 8) {
        *lo = b;
        *width = 1;
        return;
    }
    unsigned e = (b - 8) / 8 + 3, sub = (b - 8) % 8;
    *lo = ((uint64_t)(8 + sub)) << (e - 3);
    *width = (uint64_t)1 << (e - 3);
}

void hist_add(struct rhist *h, uint64_t v)
{
    if (h->bin == NULL) {
        h->bin = calloc(HIST_BINS, sizeof(*h->bin));
        if (h->bin == NULL)
            return; /* out of memory: the figure is left out, the rest goes on */
    }
    unsigned b = hist_bin(v);
    if (h->bin[b] < UINT32_MAX)
        h->bin[b]++;
    if (h->n == 0 || v < h->min)
        h->min = v;
    if (h->n == 0 || v > h->max)
        h->max = v;
    h->n++;
}

uint64_t hist_quantile(const struct rhist *h, double q)
{
    if (h->n == 0 || h->bin == NULL)
        return 0;
    uint64_t total = 0;
    for (unsigned b = 0; b < HIST_BINS; b++)
        total += h->bin[b];
    uint64_t rank = (uint64_t)(q * (double)total);
    if ((double)rank < q * (double)total)
        rank++;
    if (rank == 0)
        rank = 1;
    uint64_t seen = 0;
    for (unsigned b = 0; b < HIST_BINS; b++) {
        seen += h->bin[b];
        if (seen >= rank) {
            uint64_t lo, w;
            bin_range(b, &lo, &w);
            uint64_t mid = lo + w / 2;
            return mid < h->min ? h->min : mid > h->max ? h->max : mid;
        }
    }
    return h->max;
}

void hist_cleanup(struct rhist *h)
{
    free(h->bin);
    h->bin = NULL;
}

/* ---- tables ---------------------------------------------------------------------------- */

void rtab_init(struct rtab *t, size_t esize, size_t max)
{
    memset(t, 0, sizeof(*t));
    t->esize = esize;
    t->max = max;
    if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) != (ssize_t)sizeof(t->seed))
        t->seed = (uint64_t)(uintptr_t)t ^ (uint64_t)getpid() << 32;
}

void rtab_cleanup(struct rtab *t, void (*row_cleanup)(void *row))
{
    for (size_t i = 0; i < t->n; i++) {
        if (row_cleanup)
            row_cleanup(rtab_row(t, i));
        free(t->key[i]);
    }
    if (row_cleanup && t->other)
        row_cleanup(t->other);
    free(t->key);
    free(t->klen);
    free(t->rows);
    free(t->slot);
    free(t->other);
    memset(t, 0, sizeof(*t));
}

static uint64_t key_hash(uint64_t seed, const char *k, size_t n)
{
    uint64_t h = 1469598103934665603ULL ^ seed;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)k[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 31);
}

static size_t rtab_lookup(const struct rtab *t, const char *k, size_t n, size_t *slot_out)
{
    if (t->nslot == 0) {
        *slot_out = SIZE_MAX;
        return SIZE_MAX;
    }
    size_t mask = t->nslot - 1;
    for (size_t i = key_hash(t->seed, k, n) & mask;; i = (i + 1) & mask) {
        uint32_t x = t->slot[i];
        if (x == 0) {
            *slot_out = i;
            return SIZE_MAX;
        }
        if (t->klen[x - 1] == n && memcmp(t->key[x - 1], k, n) == 0) {
            *slot_out = i;
            return x - 1;
        }
    }
}

void *rtab_find(const struct rtab *t, const char *k, size_t n)
{
    size_t s;
    if (n > RTAB_KEY_MAX)
        n = RTAB_KEY_MAX;
    size_t i = rtab_lookup(t, k, n, &s);
    return i == SIZE_MAX ? NULL : rtab_row(t, i);
}

static int rtab_grow_slots(struct rtab *t)
{
    size_t n = t->nslot ? t->nslot * 2 : 64;
    uint32_t *slot = calloc(n, sizeof(*slot));
    if (slot == NULL)
        return -ENOMEM;
    for (size_t i = 0; i < t->n; i++) {
        size_t j = key_hash(t->seed, t->key[i], t->klen[i]) & (n - 1);
        while (slot[j] != 0)
            j = (j + 1) & (n - 1);
        slot[j] = (uint32_t)i + 1;
    }
    free(t->slot);
    t->slot = slot;
    t->nslot = n;
    return 0;
}

/* rtab_get, also giving the row's index (SIZE_MAX for the others row). */
static void *rtab_get_i(struct rtab *t, const char *k, size_t n, bool *created, size_t *idx)
{
    bool dummy;
    if (created == NULL)
        created = &dummy;
    *created = false;
    if (n > RTAB_KEY_MAX)
        n = RTAB_KEY_MAX;
    size_t s;
    size_t i = rtab_lookup(t, k, n, &s);
    if (i != SIZE_MAX) {
        if (idx)
            *idx = i;
        return rtab_row(t, i);
    }
    if (t->n >= t->max) {
        if (t->other == NULL) {
            t->other = calloc(1, t->esize);
            if (t->other == NULL)
                return NULL;
            *created = true;
        }
        t->other_hits++;
        if (idx)
            *idx = SIZE_MAX;
        return t->other;
    }
    if ((t->n + 1) * 2 > t->nslot) {
        if (rtab_grow_slots(t) < 0)
            return NULL;
        rtab_lookup(t, k, n, &s);
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **key = realloc(t->key, cap * sizeof(*key));
        if (key == NULL)
            return NULL;
        t->key = key;
        uint32_t *klen = realloc(t->klen, cap * sizeof(*klen));
        if (klen == NULL)
            return NULL;
        t->klen = klen;
        unsigned char *rows = realloc(t->rows, cap * t->esize);
        if (rows == NULL)
            return NULL;
        t->rows = rows;
        t->cap = cap;
    }
    char *copy = malloc(n + 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, k, n);
    copy[n] = '\0';
    t->key[t->n] = copy;
    t->klen[t->n] = (uint32_t)n;
    memset(rtab_row(t, t->n), 0, t->esize);
    t->slot[s] = (uint32_t)t->n + 1;
    *created = true;
    if (idx)
        *idx = t->n;
    return rtab_row(t, t->n++);
}

void *rtab_get(struct rtab *t, const char *k, size_t n, bool *created)
{
    return rtab_get_i(t, k, n, created, NULL);
}

struct sort_ctx {
    const struct rtab *t;
    uint64_t (*key)(const void *row);
};

static int by_key_desc(const void *a, const void *b, void *arg)
{
    const struct sort_ctx *sc = arg;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    uint64_t kx = sc->key(rtab_row(sc->t, x)), ky = sc->key(rtab_row(sc->t, y));
    if (kx != ky)
        return kx > ky ? -1 : 1;
    return x < y ? -1 : x > y; /* stable: first seen first */
}

size_t report_top(const struct rtab *t, uint64_t (*key)(const void *row), size_t max, size_t **idx)
{
    *idx = NULL;
    if (t->n == 0)
        return 0;
    size_t *v = malloc(t->n * sizeof(*v));
    if (v == NULL)
        return 0;
    for (size_t i = 0; i < t->n; i++)
        v[i] = i;
    if (key != NULL) {
        struct sort_ctx sc = {t, key};
        qsort_r(v, t->n, sizeof(*v), by_key_desc, &sc);
    }
    *idx = v;
    return t->n < max ? t->n : max;
}

/* ---- time --------------------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool digits(const char *s, size_t n, size_t at, size_t k, unsigned *v)
{
    if (at + k > n)
        return false;
    unsigned x = 0;
    for (size_t i = 0; i < k; i++) {
        if (s[at + i] < '0' || s[at + i] > '9')
            return false;
        x = x * 10 + (unsigned)(s[at + i] - '0');
    }
    *v = x;
    return true;
}

int report_parse_time(const char *s, size_t n, bool cli, int64_t *ns)
{
    unsigned Y, M, D, h = 0, mi = 0, sec = 0;
    if (!digits(s, n, 0, 4, &Y) || n < 10 || s[4] != '-' || !digits(s, n, 5, 2, &M) ||
        s[7] != '-' || !digits(s, n, 8, 2, &D))
        return -EINVAL;
    size_t at = 10;
    int64_t frac = 0;
    int64_t offset = 0;
    bool zone = false;
    if (at == n) {
        if (!cli)
            return -EINVAL;
    } else {
        if (s[at] != 'T' && s[at] != 't' && !(cli && s[at] == ' '))
            return -EINVAL;
        if (!digits(s, n, at + 1, 2, &h) || at + 3 >= n || s[at + 3] != ':' ||
            !digits(s, n, at + 4, 2, &mi))
            return -EINVAL;
        at += 6;
        if (at < n && s[at] == ':') {
            if (!digits(s, n, at + 1, 2, &sec))
                return -EINVAL;
            at += 3;
            if (at < n && s[at] == '.') {
                size_t k = 0;
                at++;
                while (at < n && s[at] >= '0' && s[at] <= '9') {
                    if (k < 9)
                        frac = frac * 10 + (s[at] - '0');
                    k++;
                    at++;
                }
                if (k == 0)
                    return -EINVAL;
                for (; k < 9; k++)
                    frac *= 10;
            }
        } else if (!cli) {
            return -EINVAL;
        }
        if (at < n && (s[at] == 'Z' || s[at] == 'z')) {
            zone = true;
            at++;
        } else if (at < n && (s[at] == '+' || s[at] == '-')) {
            unsigned oh, om;
            if (!digits(s, n, at + 1, 2, &oh) || at + 3 >= n || s[at + 3] != ':' ||
                !digits(s, n, at + 4, 2, &om) || oh > 23 || om > 59)
                return -EINVAL;
            offset = (int64_t)(oh * 3600 + om * 60) * (s[at] == '-' ? -1 : 1);
            zone = true;
            at += 6;
        }
        if (!zone && !cli)
            return -EINVAL;
    }
    if (at != n)
        return -EINVAL;
    static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (Y < 1678 || Y > 2261 || M < 1 || M > 12 || D < 1 || D > mdays[M - 1] || h > 23 || mi > 59 ||
        sec > 60)
        return -EINVAL;
    bool leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
    if (M == 2 && D == 29 && !leap)
        return -EINVAL;
    int64_t secs = days_from_civil(Y, M, D) * 86400 + h * 3600 + mi * 60 + sec - offset;
    *ns = secs * 1000000000LL + frac;
    return 0;
}

void report_fmt_time(int64_t t, bool ns, char out[40])
{
    if (t == RPT_NOTIME) {
        snprintf(out, 40, "-");
        return;
    }
    int64_t secs = t / 1000000000LL, frac = t % 1000000000LL;
    if (frac < 0) {
        frac += 1000000000LL;
        secs--;
    }
    int64_t days = secs / 86400, rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (ns)
        snprintf(out, 40, "%04" PRId64 "-%02u-%02u %02u:%02u:%02u.%09" PRId64, y, m, d,
                 (unsigned)(rem / 3600), (unsigned)(rem / 60 % 60), (unsigned)(rem % 60), frac);
    else
        snprintf(out, 40, "%04" PRId64 "-%02u-%02u %02u:%02u:%02u", y, m, d, (unsigned)(rem / 3600),
                 (unsigned)(rem / 60 % 60), (unsigned)(rem % 60));
}

void report_fmt_dur(uint64_t ns, char out[32])
{
    if (ns < 10000)
        snprintf(out, 32, "%.1f µs", (double)ns / 1e3);
    else if (ns < 1000000)
        snprintf(out, 32, "%.0f µs", (double)ns / 1e3);
    else if (ns < 1000000000)
        snprintf(out, 32, "%.1f ms", (double)ns / 1e6);
    else if (ns < 600000000000ULL)
        snprintf(out, 32, "%.2f s", (double)ns / 1e9);
    else if (ns < 36000000000000ULL)
        snprintf(out, 32, "%.1f min", (double)ns / 6e10);
    else
        snprintf(out, 32, "%.1f h", (double)ns / 3.6e12);
}

void report_fmt_n(uint64_t n, char out[32])
{
    char tmp[32];
    int len = snprintf(tmp, sizeof(tmp), "%" PRIu64, n);
    int o = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = tmp[i];
    }
    out[o] = '\0';
}

/* ---- the timeline ----------------------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void tl_add(struct report *r, int64_t t, int series)
{
    struct rtimeline *tl = &r->tl;
    if (t == RPT_NOTIME)
        return;
    if (tl->count == NULL) {
        tl->count = calloc(RPT_BUCKETS, sizeof(*tl->count));
        if (tl->count == NULL)
            return;
    }
    if (tl->width == 0) {
        tl->width = 1000000; /* 1 ms to begin with */
        tl->origin = floor_div(t, tl->width) * tl->width;
    }
    int64_t end = tl->origin + (int64_t)RPT_BUCKETS * tl->width;
    if (t < tl->origin || t >= end) {
        /* widen (doubling) until old range and t fit, merging buckets */
        int64_t lo = t < tl->origin ? t : tl->origin, hi = t >= end ? t + 1 : end;
        int64_t w = tl->width, o;
        do {
            if (w > INT64_MAX / 4)
                return; /* a span beyond any real log: leave it out */
            w *= 2;
            o = floor_div(lo, w) * w;
        } while (o + (int64_t)RPT_BUCKETS * w < hi);
        uint32_t(*merged)[TS_N] = calloc(RPT_BUCKETS, sizeof(*merged));
        if (merged == NULL)
            return;
        for (size_t i = 0; i < RPT_BUCKETS; i++) {
            size_t j = (size_t)((tl->origin + (int64_t)i * tl->width - o) / w);
            for (int k = 0; k < TS_N; k++) {
                uint64_t s = (uint64_t)merged[j][k] + tl->count[i][k];
                merged[j][k] = s > UINT32_MAX ? UINT32_MAX : (uint32_t)s;
            }
        }
        free(tl->count);
        tl->count = merged;
        tl->origin = o;
        tl->width = w;
    }
    size_t i = (size_t)((t - tl->origin) / tl->width);
    if (tl->count[i][series] < UINT32_MAX)
        tl->count[i][series]++;
}

bool report_timeline(const struct report *r, size_t max, int64_t *start, int64_t *width, size_t *n,
                     uint64_t (*out)[TS_N])
{
    const struct rtimeline *tl = &r->tl;
    if (tl->count == NULL || tl->width == 0 || r->tmin == RPT_NOTIME)
        return false;
    static const int64_t nice[] = {
        1000000LL,          10000000LL,         100000000LL,        250000000LL,
        500000000LL,        1000000000LL,       2000000000LL,       5000000000LL,
        10000000000LL,      15000000000LL,      30000000000LL,      60000000000LL,
        120000000000LL,     300000000000LL,     600000000000LL,     900000000000LL,
        1800000000000LL,    3600000000000LL,    7200000000000LL,    10800000000000LL,
        21600000000000LL,   43200000000000LL,   86400000000000LL,   172800000000000LL,
        604800000000000LL,  1209600000000000LL, 2592000000000000LL, 7776000000000000LL,
        31536000000000000LL};
    /* the span of the buckets that hold anything */
    size_t first = SIZE_MAX, last = 0;
    for (size_t i = 0; i < RPT_BUCKETS; i++)
        for (int k = 0; k < TS_N; k++)
            if (tl->count[i][k]) {
                if (first == SIZE_MAX)
                    first = i;
                last = i;
            }
    if (first == SIZE_MAX)
        return false;
    int64_t lo = tl->origin + (int64_t)first * tl->width;
    int64_t hi = tl->origin + (int64_t)(last + 1) * tl->width;
    int64_t w = nice[sizeof(nice) / sizeof(nice[0]) - 1];
    for (size_t i = 0; i < sizeof(nice) / sizeof(nice[0]); i++) {
        if (nice[i] < tl->width)
            continue;
        int64_t s = floor_div(lo, nice[i]) * nice[i];
        if ((hi - s + nice[i] - 1) / nice[i] <= (int64_t)max) {
            w = nice[i];
            break;
        }
    }
    int64_t s = floor_div(lo, w) * w;
    size_t cnt = (size_t)((hi - s + w - 1) / w);
    if (cnt > max)
        cnt = max;
    if (cnt == 0)
        cnt = 1;
    for (size_t i = first; i <= last; i++) {
        int64_t t = tl->origin + (int64_t)i * tl->width;
        size_t j = (size_t)((t - s) / w);
        if (j >= cnt)
            j = cnt - 1;
        for (int k = 0; k < TS_N; k++)
            out[j][k] += tl->count[i][k];
    }
    *start = s;
    *width = w;
    *n = cnt;
    return true;
}

/* ---- the fields of a record --------------------------------------------------------------- */

enum field {
    FL_SEQ,
    FL_TIME,
    FL_SESSION,
    FL_EVENT,
    FL_DECISION_ID,
    FL_METHOD,
    FL_TOOL,
    FL_NAME,
    FL_URI,
    FL_DIRECTION,
    FL_REQUEST_ID,
    FL_EFFECT,
    FL_RULE,
    FL_REASON,
    FL_MODE,
    FL_FORWARDED,
    FL_OBSERVED,
    FL_LABELS,
    FL_PROVENANCE,
    FL_INFLUENCED_BY,
    FL_SCHEMA_VIOLATION,
    FL_PIN_WARNING,
    FL_AGENT,
    FL_ROLES,
    FL_SERVER,
    FL_ARGUMENTS,
    FL_ARGS_DIGEST,
    FL_DECIDE_US,
    FL_ANSWER,
    FL_ADDED,
    FL_REMOVED,
    FL_FINDINGS,
    FL_SCORES,
    FL_TRACKED,
    FL_FORGED,
    FL_SOURCES,
    FL_REQUEST_ID_TEXT,
    FL_RUN_ID,
    FL_POLICY,
    FL_POLICY_NAME,
    FL_POLICY_HASH,
    FL_UPSTREAM,
    FL_PID,
    FL_FSYNC,
    FL_SANDBOX,
    FL_IDENTITY,
    FL_OK,
    FL_RULES,
    FL_ERROR,
    FL_STATUS,
    FL_SIGNAL,
    FL_BY_SENTINEL,
    FL_EXIT_STATUS,
    FL_DECISIONS,
    FL_ALG,
    FL_FINAL,
    FL_OUTCOME,
    FL_LATENCY_US,
    FL_HIDDEN,
    FL_TOOLS,
    FL_PROMPTS,
    FL_TEMPLATES,
    FL_PINS,
    FL_RAW_FALLBACK,
    FL_COUNT
};

static const char *const field_names[FL_COUNT] = {
    "seq",
    "time",
    "session",
    "event",
    "decision_id",
    "method",
    "tool",
    "name",
    "uri",
    "direction",
    "request_id",
    "effect",
    "rule",
    "reason",
    "mode",
    "forwarded",
    "observed",
    "labels",
    "provenance",
    "influenced_by",
    "schema_violation",
    "pin_warning",
    "agent",
    "roles",
    "server",
    "arguments",
    "args_digest",
    "decide_us",
    "answer",
    "added",
    "removed",
    "findings",
    "scores",
    "tracked",
    "forged_markers",
    "sources",
    "request_id_text",
    "run_id",
    "policy",
    "policy_name",
    "policy_hash",
    "upstream",
    "pid",
    "fsync",
    "sandbox",
    "identity",
    "ok",
    "rules",
    "error",
    "status",
    "signal",
    "by_sentinel",
    "exit_status",
    "decisions",
    "alg",
    "final",
    "outcome",
    "latency_us",
    "hidden",
    "tools",
    "prompts",
    "resourceTemplates",
    "pins",
    "raw_fallback",
};

#define FSLOTS 256
static uint8_t fslot[FSLOTS]; /* field + 1; built once, read-only after */
static bool fslot_ready;

static void fslot_build(void)
{
    if (fslot_ready)
        return;
    for (int f = 0; f < FL_COUNT; f++) {
        size_t i = hash_fnv1a64(field_names[f], strlen(field_names[f])) & (FSLOTS - 1);
        while (fslot[i] != 0)
            i = (i + 1) & (FSLOTS - 1);
        fslot[i] = (uint8_t)(f + 1);
    }
    fslot_ready = true;
}

static int field_of(const char *k, size_t n)
{
    for (size_t i = hash_fnv1a64(k, n) & (FSLOTS - 1);; i = (i + 1) & (FSLOTS - 1)) {
        int f = fslot[i];
        if (f == 0)
            return -1;
        const char *name = field_names[f - 1];
        if (strlen(name) == n && memcmp(name, k, n) == 0)
            return f - 1;
    }
}

/* One record being read: its fields as nodes of r->rec (0 = absent). */
struct rec {
    uint32_t f[FL_COUNT];
    int64_t time;
    uint64_t seq; /* 0 = none */
    bool in;      /* within the window */
    size_t sess;  /* the session's row index, SIZE_MAX = others */
};

static bool is_type(const struct report *r, uint32_t node, int type)
{
    return node != 0 && r->rec.nodes[node].type == type;
}

/* A string field's unescaped bytes (in scratch when escaped). False when absent or not one. */
static bool fstr(struct report *r, const struct rec *c, int f, struct buf *scratch, const char **p,
                 size_t *n)
{
    uint32_t x = c->f[f];
    if (!is_type(r, x, JSON_STRING))
        return false;
    return json_str(&r->rec, x, scratch, p, n) == 0;
}

static bool fstr_eq(struct report *r, const struct rec *c, int f, const char *s)
{
    uint32_t x = c->f[f];
    return is_type(r, x, JSON_STRING) && json_str_eq(&r->rec, x, s, strlen(s));
}

/* A non-negative integer field. */
static bool fu64(struct report *r, const struct rec *c, int f, uint64_t *v)
{
    int64_t x;
    if (!is_type(r, c->f[f], JSON_NUMBER) || json_int(&r->rec, c->f[f], &x) < 0 || x < 0)
        return false;
    *v = (uint64_t)x;
    return true;
}

static bool fi64(struct report *r, const struct rec *c, int f, int64_t *v)
{
    return is_type(r, c->f[f], JSON_NUMBER) && json_int(&r->rec, c->f[f], v) == 0;
}

/* A duration field in microseconds (integer or fraction, >= 0) as nanoseconds. */
static bool fus_ns(struct report *r, const struct rec *c, int f, uint64_t *ns)
{
    uint32_t x = c->f[f];
    if (!is_type(r, x, JSON_NUMBER))
        return false;
    const struct json_node *nd = &r->rec.nodes[x];
    size_t n = nd->end - nd->start;
    char b[64];
    if (n >= sizeof(b))
        return false;
    memcpy(b, r->rec.text + nd->start, n);
    b[n] = '\0';
    char *end;
    double v = strtod(b, &end);
    if (end != b + n || !(v >= 0) || v > 1e12) /* 11 days: larger is not a latency */
        return false;
    *ns = (uint64_t)(v * 1000.0 + 0.5);
    return true;
}

/* The raw JSON text of a field (ids of requests: a number or a string, as written). */
static void fraw(const struct report *r, const struct rec *c, int f, const char **p, size_t *n)
{
    uint32_t x = c->f[f];
    if (x == 0) {
        *p = "";
        *n = 0;
        return;
    }
    const struct json_node *nd = &r->rec.nodes[x];
    *p = r->rec.text + nd->start;
    *n = nd->end - nd->start;
}

/* Parse field f (an array or object) into r->sub, indexed `depth` deep. False if not one. */
static bool fsub(struct report *r, const struct rec *c, int f, int type, unsigned depth)
{
    uint32_t x = c->f[f];
    if (!is_type(r, x, type))
        return false;
    const struct json_node *n = &r->rec.nodes[x];
    struct diag d = {0};
    return json_parse(&r->sub, r->rec.text + n->start, n->end - n->start, depth, &d) == 0;
}

/* Each string element of an array already parsed into r->sub (root 0). */
#define FOR_SUB_STRINGS(r, e, p, n)                                                                \
    for (uint32_t e = json_first(&(r)->sub, 0); e != 0; e = (r)->sub.nodes[e].next)                \
        if ((r)->sub.nodes[e].type == JSON_STRING &&                                               \
            json_str(&(r)->sub, e, &(r)->tmp2, &(p), &(n)) == 0)

/* ---- rows ---------------------------------------------------------------------------- */

static void ract_cleanup(void *row)
{
    struct ract *a = row;
    hist_cleanup(&a->decide);
    hist_cleanup(&a->latency);
}

static void ract_init_if(struct ract *a, bool created)
{
    if (created) {
        a->first = RPT_NOTIME;
        a->last = RPT_NOTIME;
    }
}

static void span(int64_t *first, int64_t *last, int64_t t)
{
    if (t == RPT_NOTIME)
        return;
    if (*first == RPT_NOTIME || t < *first)
        *first = t;
    if (*last == RPT_NOTIME || t > *last)
        *last = t;
}

static void count_init_if(struct rcount *x, bool created)
{
    if (created) {
        x->first = RPT_NOTIME;
        x->last = RPT_NOTIME;
    }
}

/* A row of a counting table, or NULL on ENOMEM (the record is counted elsewhere). */
static struct rcount *counter(struct rtab *t, const char *k, size_t n, int64_t time)
{
    bool created;
    struct rcount *x = rtab_get(t, k, n, &created);
    if (x == NULL)
        return NULL;
    count_init_if(x, created);
    span(&x->first, &x->last, time);
    return x;
}

/* ---- sessions and policies --------------------------------------------------------------- */

static struct rsess *session_row(struct report *r, const char *k, size_t n, size_t *idx)
{
    if (r->last_sess != 0 && r->last_sess_key.len == n &&
        memcmp(r->last_sess_key.data, k, n) == 0) {
        if (r->last_sess == SIZE_MAX) {
            *idx = SIZE_MAX;
            return (struct rsess *)r->sessions.other;
        }
        *idx = r->last_sess - 1;
        return rtab_row(&r->sessions, *idx);
    }
    bool created;
    size_t i;
    struct rsess *s = rtab_get_i(&r->sessions, k, n, &created, &i);
    if (s == NULL)
        return NULL;
    if (created) {
        s->order = r->sessions.n;
        s->first = s->last = s->start = s->stop = RPT_NOTIME;
    }
    buf_reset(&r->last_sess_key);
    if (n <= RTAB_KEY_MAX && buf_append(&r->last_sess_key, k, n) == 0)
        r->last_sess = i == SIZE_MAX ? SIZE_MAX : i + 1;
    else
        r->last_sess = 0;
    *idx = i;
    return s;
}

/* The session a record belongs to: its "session", else the last start's. */
static struct rsess *session_of(struct report *r, struct rec *c)
{
    const char *p;
    size_t n;
    if (fstr(r, c, FL_SESSION, &r->tmp, &p, &n) && n > 0)
        return session_row(r, p, n, &c->sess);
    if (r->cur_known)
        return session_row(r, r->cur_sess.data, r->cur_sess.len, &c->sess);
    return session_row(r, "(before any start record)", 25, &c->sess);
}

static struct rsess *sess_at(struct report *r, size_t i)
{
    if (i == SIZE_MAX)
        return (struct rsess *)r->sessions.other;
    return i < r->sessions.n ? rtab_row(&r->sessions, i) : NULL;
}

static void policy_close(struct report *r, struct rsess *s, int64_t t)
{
    if (s->pol != 0 && r->pol[s->pol - 1].to == RPT_NOTIME)
        r->pol[s->pol - 1].to = t;
}

/* A new entry of the policies table (NULL when full: counted as dropped). */
static struct rpol *policy_new(struct report *r, const struct rec *c)
{
    if (r->npol >= RPT_POLICIES_MAX) {
        r->pol_dropped++;
        return NULL;
    }
    if (r->npol == r->pol_cap) {
        size_t cap = r->pol_cap ? r->pol_cap * 2 : 16;
        struct rpol *v = realloc(r->pol, cap * sizeof(*v));
        if (v == NULL)
            return NULL;
        r->pol = v;
        r->pol_cap = cap;
    }
    struct rpol *p = &r->pol[r->npol++];
    memset(p, 0, sizeof(*p));
    p->sess = c->sess;
    p->from = c->time;
    p->to = RPT_NOTIME;
    p->seq = c->seq;
    return p;
}

static void policy_fields(struct report *r, const struct rec *c, struct rpol *p)
{
    const char *s;
    size_t n;
    if (fstr(r, c, FL_POLICY, &r->tmp, &s, &n))
        RS_SET(p->path, s, n);
    if (fstr(r, c, FL_POLICY_NAME, &r->tmp, &s, &n))
        RS_SET(p->name, s, n);
    if (fstr(r, c, FL_POLICY_HASH, &r->tmp, &s, &n))
        RS_SET(p->hash, s, n);
    if (fstr(r, c, FL_ERROR, &r->tmp, &s, &n))
        RS_SET(p->error, s, n);
    p->has_rules = fu64(r, c, FL_RULES, &p->rules);
}

/* "key=value, ..." for an identity object's scalar members; the string itself otherwise. */
static void identity_summary(struct report *r, const struct rec *c, struct rsess *s)
{
    const char *p;
    size_t n;
    if (fstr(r, c, FL_IDENTITY, &r->tmp, &p, &n)) {
        RS_SET(s->identity, p, n);
        return;
    }
    if (!fsub(r, c, FL_IDENTITY, JSON_OBJECT, 2))
        return;
    struct buf *b = &r->tmp;
    buf_reset(b);
    for (uint32_t e = json_first(&r->sub, 0); e != 0 && b->len < 400; e = r->sub.nodes[e].next) {
        const struct json_node *nd = &r->sub.nodes[e];
        struct buf key;
        buf_init(&key, 256);
        if (json_unescape(r->sub.text + nd->key_start, nd->key_len, &key) < 0) {
            buf_cleanup(&key);
            continue;
        }
        if (b->len)
            buf_append(b, ", ", 2);
        buf_append(b, key.data ? key.data : "", key.len);
        buf_putc(b, '=');
        if (nd->type == JSON_STRING) {
            const char *v;
            size_t vn;
            if (json_str(&r->sub, e, &r->tmp2, &v, &vn) == 0) {
                buf_append(b, v, vn);
                if (s->agent.n == 0 && key.len == 5 && memcmp(key.data, "agent", 5) == 0)
                    RS_SET(s->agent, v, vn);
            }
        } else if (nd->type == JSON_ARRAY) {
            bool first = true;
            for (uint32_t x = json_first(&r->sub, e); x != 0; x = r->sub.nodes[x].next) {
                const char *v;
                size_t vn;
                if (r->sub.nodes[x].type != JSON_STRING ||
                    json_str(&r->sub, x, &r->tmp2, &v, &vn) < 0)
                    continue;
                if (!first)
                    buf_putc(b, '|');
                buf_append(b, v, vn);
                first = false;
            }
        } else {
            buf_append(b, r->sub.text + nd->start, nd->end - nd->start);
        }
        buf_cleanup(&key);
    }
    RS_SET(s->identity, b->data ? b->data : "", b->len);
}

static void on_start(struct report *r, struct rec *c)
{
    const char *p;
    size_t n;
    /* the session of what follows without a "session" of its own */
    buf_reset(&r->cur_sess);
    if (fstr(r, c, FL_SESSION, &r->tmp, &p, &n) && n > 0) {
        r->cur_known = buf_append(&r->cur_sess, p, n) == 0;
    } else if (fstr(r, c, FL_RUN_ID, &r->tmp, &p, &n) && n > 0) {
        r->cur_known =
            buf_append(&r->cur_sess, "run ", 4) == 0 && buf_append(&r->cur_sess, p, n) == 0;
    } else {
        char k[64];
        int kn = snprintf(k, sizeof(k), "(start at line %" PRIu64 ")", r->lineno);
        r->cur_known = buf_append(&r->cur_sess, k, (size_t)kn) == 0;
    }
    struct rsess *s = session_of(r, c);
    if (s == NULL)
        return;
    s->has_start = true;
    s->start = c->time;
    s->start_seq = c->seq;
    if (fstr(r, c, FL_RUN_ID, &r->tmp, &p, &n))
        RS_SET(s->run_id, p, n);
    if (fstr(r, c, FL_UPSTREAM, &r->tmp, &p, &n))
        RS_SET(s->upstream, p, n);
    if (fstr(r, c, FL_MODE, &r->tmp, &p, &n))
        RS_SET(s->mode, p, n);
    if (fstr(r, c, FL_FSYNC, &r->tmp, &p, &n))
        RS_SET(s->fsync, p, n);
    if (fstr(r, c, FL_AGENT, &r->tmp, &p, &n))
        RS_SET(s->agent, p, n);
    s->has_pid = fi64(r, c, FL_PID, &s->pid);
    s->sandbox_unenforced = c->f[FL_SANDBOX] != 0;
    identity_summary(r, c, s);
    policy_close(r, s, c->time);
    size_t sess = c->sess;
    struct rpol *pol = policy_new(r, c);
    if (pol != NULL) {
        pol->ok = true;
        policy_fields(r, c, pol);
        s = sess_at(r, sess);
        if (s)
            s->pol = (size_t)(pol - r->pol) + 1;
    }
    if (!c->in)
        return;
    r->starts++;
    rex_add(&r->start_ex, c->seq, NULL, 0);
    if (fstr_eq(r, c, FL_MODE, "observe"))
        r->starts_observe++;
    else
        r->starts_enforce++;
    if (c->f[FL_IDENTITY] != 0) {
        r->starts_identity++;
        rex_add(&r->identity_ex, c->seq, NULL, 0);
        const char *ip;
        size_t in;
        if (fstr(r, c, FL_IDENTITY, &r->tmp, &ip, &in) && in > 6 && memcmp(ip, "token:", 6) == 0)
            r->starts_token++;
    }
    if (c->f[FL_POLICY_HASH] != 0)
        r->starts_hash++;
}

static void on_reload(struct report *r, struct rec *c)
{
    struct rsess *s = session_of(r, c);
    if (s == NULL)
        return;
    bool ok = c->f[FL_OK] == 0 || is_type(r, c->f[FL_OK], JSON_TRUE);
    if (ok)
        policy_close(r, s, c->time);
    size_t sess = c->sess;
    struct rpol *pol = policy_new(r, c);
    if (pol != NULL) {
        pol->reload = true;
        pol->ok = ok;
        policy_fields(r, c, pol);
        if (!ok)
            pol->to = c->time; /* nothing took force */
        s = sess_at(r, sess);
        if (s && ok)
            s->pol = (size_t)(pol - r->pol) + 1;
    }
    if (!c->in)
        return;
    r->reloads++;
    if (ok)
        r->reloads_ok++;
    else
        r->reloads_failed++;
    rex_add(&r->reload_ex, c->seq, NULL, 0);
    if (ok && c->f[FL_POLICY_HASH] != 0)
        r->starts_hash++;
}

static void on_stop(struct report *r, struct rec *c)
{
    struct rsess *s = session_of(r, c);
    if (s == NULL)
        return;
    s->has_stop = true;
    s->stop = c->time;
    s->stop_seq = c->seq;
    s->has_exit = fi64(r, c, FL_EXIT_STATUS, &s->exit_status);
    fu64(r, c, FL_DECISIONS, &s->stop_decisions);
    policy_close(r, s, c->time);
    if (c->in)
        r->stops++;
}

/* A run refused before it began (sentinel run: an agent token rejected, or none given where
 * the policy requires one): no session, nothing decided. */
static void on_refused(struct report *r, struct rec *c)
{
    if (!c->in)
        return;
    r->refused++;
    rex_add(&r->refused_ex, c->seq, NULL, 0);
}

static void on_upstream_exit(struct report *r, struct rec *c)
{
    struct rsess *s = session_of(r, c);
    if (s == NULL)
        return;
    s->has_up_exit = fi64(r, c, FL_STATUS, &s->up_status);
    if (!fi64(r, c, FL_SIGNAL, &s->up_signal))
        s->up_signal = 0;
    s->up_by_sentinel = is_type(r, c->f[FL_BY_SENTINEL], JSON_TRUE);
}

static void on_checkpoint(struct report *r, struct rec *c)
{
    bool final = is_type(r, c->f[FL_FINAL], JSON_TRUE);
    struct rsess *s = session_of(r, c);
    if (s && final)
        s->sealed = true;
    if (!c->in)
        return;
    r->checkpoints++;
    if (final)
        r->ck_final++;
    if (fstr_eq(r, c, FL_ALG, "hmac-sha256"))
        r->ck_hmac++;
    else if (fstr_eq(r, c, FL_ALG, "ed25519"))
        r->ck_ed25519++;
    else if (fstr_eq(r, c, FL_ALG, "none"))
        r->ck_none++;
    else
        r->ck_other++;
    rex_add(&r->ck_ex, c->seq, NULL, 0);
}

/* ---- decisions and results ----------------------------------------------------------------- */

enum eff { E_ALLOW, E_DENY, E_APPROVE, E_REDACT, E_OTHER };

static void act_decision(struct ract *a, enum eff e, bool observe, uint64_t dus, bool has_dus,
                         int64_t t, uint64_t seq, const char *did, size_t didn)
{
    a->calls++;
    span(&a->first, &a->last, t);
    if (observe) {
        a->observed++;
        if (e == E_DENY || e == E_APPROVE)
            a->would_block++;
    } else if (e == E_ALLOW) {
        a->allow++;
    } else if (e == E_DENY) {
        a->deny++;
        rex_add(&a->deny_ex, seq, did, didn);
    } else if (e == E_APPROVE) {
        a->approve++;
    } else if (e == E_REDACT) {
        a->redact++;
    }
    if (has_dus)
        hist_add(&a->decide, dus);
}

/* The tool table's key of a decision: the tool's name for tools/call, else "method target". */
static void target_key(struct report *r, const struct rec *c, struct buf *k)
{
    const char *p, *m = NULL;
    size_t n, mn = 0;
    buf_reset(k);
    bool call = c->f[FL_METHOD] == 0 || fstr_eq(r, c, FL_METHOD, "tools/call");
    if (call && fstr(r, c, FL_TOOL, &r->tmp, &p, &n)) {
        buf_append(k, p, n < RTAB_KEY_MAX ? n : RTAB_KEY_MAX);
        return;
    }
    if (fstr(r, c, FL_METHOD, &r->tmp, &m, &mn))
        buf_append(k, m, mn < 64 ? mn : 64);
    else
        buf_append(k, "?", 1);
    if (fstr(r, c, FL_TOOL, &r->tmp, &p, &n) || fstr(r, c, FL_NAME, &r->tmp, &p, &n) ||
        fstr(r, c, FL_URI, &r->tmp, &p, &n)) {
        buf_putc(k, ' ');
        buf_append(k, p, n < RTAB_KEY_MAX ? n : RTAB_KEY_MAX);
    }
}

static bool starts_with(const char *p, size_t n, const char *pre)
{
    size_t k = strlen(pre);
    return n >= k && memcmp(p, pre, k) == 0;
}

static bool contains(const char *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    if (k > n)
        return false;
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(p + i, needle, k) == 0)
            return true;
    return false;
}

static void rule_count(struct report *r, const struct rec *c, char letter, const char *effect,
                       const char *rule, size_t rn, const char *reason, size_t reasonn,
                       bool observe, const char *did, size_t didn)
{
    char key[RTAB_KEY_MAX];
    key[0] = letter;
    if (rn > RTAB_KEY_MAX - 1)
        rn = RTAB_KEY_MAX - 1;
    memcpy(key + 1, rule, rn);
    bool created;
    struct rrule *x = rtab_get(&r->rules, key, rn + 1, &created);
    if (x == NULL)
        return;
    if (created) {
        x->first = x->last = RPT_NOTIME;
        snprintf(x->effect, sizeof(x->effect), "%s", effect);
        if (reason)
            RS_SET(x->reason, reason, reasonn);
    } else if (reason && !x->reasons_vary) {
        bool same = x->reason.cut
                        ? reasonn >= x->reason.n && memcmp(reason, x->reason.s, x->reason.n) == 0
                        : reasonn == x->reason.n && memcmp(reason, x->reason.s, reasonn) == 0;
        x->reasons_vary = !same;
    }
    x->count++;
    if (observe)
        x->observed++;
    else
        x->enforced++;
    span(&x->first, &x->last, c->time);
    rex_add(&x->ex, c->seq, did, didn);
}

static void on_decision(struct report *r, struct rec *c)
{
    struct rsess *s = session_of(r, c);
    if (!c->in)
        return;
    const char *p, *did = NULL;
    size_t n, didn = 0;
    enum eff e = E_OTHER;
    const char *ename = "other";
    if (fstr_eq(r, c, FL_EFFECT, "allow"))
        e = E_ALLOW, ename = "allow";
    else if (fstr_eq(r, c, FL_EFFECT, "deny"))
        e = E_DENY, ename = "deny";
    else if (fstr_eq(r, c, FL_EFFECT, "approve"))
        e = E_APPROVE, ename = "approve";
    else if (fstr_eq(r, c, FL_EFFECT, "redact"))
        e = E_REDACT, ename = "redact";
    bool observe = fstr_eq(r, c, FL_MODE, "observe");
    uint64_t dus = 0;
    bool has_dus = fus_ns(r, c, FL_DECIDE_US, &dus);
    /* decision ids are copied out of the record before any other string is read */
    char didbuf[64];
    if (fstr(r, c, FL_DECISION_ID, &r->tmp, &p, &n)) {
        didn = n < sizeof(didbuf) ? n : sizeof(didbuf);
        memcpy(didbuf, p, didn);
        did = didbuf;
    }

    r->decisions++;
    rex_add(&r->decision_ex, c->seq, did, didn);
    if (observe) {
        r->observed++;
        rex_add(&r->observe_ex, c->seq, did, didn);
        if (e == E_DENY || e == E_APPROVE)
            r->would_block++;
    } else {
        r->enforce_decisions++;
        if (e == E_ALLOW)
            r->allow++;
        else if (e == E_DENY)
            r->deny++, rex_add(&r->deny_ex, c->seq, did, didn);
        else if (e == E_APPROVE)
            r->approve++;
        else if (e == E_REDACT)
            r->redact++;
    }
    if (is_type(r, c->f[FL_FORWARDED], JSON_TRUE))
        r->forwarded++;
    if (has_dus)
        hist_add(&r->decide_all, dus);
    tl_add(r, c->time,
           observe          ? TS_OBSERVE
           : e == E_DENY    ? TS_DENY
           : e == E_APPROVE ? TS_APPROVE
           : e == E_REDACT  ? TS_REDACT
                            : TS_ALLOW);
    if (s != NULL) {
        s->decisions++;
        if (!observe && e == E_DENY)
            s->denials++;
        if (!observe && e == E_APPROVE)
            s->held++;
        if (s->agent.n == 0 && fstr(r, c, FL_AGENT, &r->tmp, &p, &n))
            RS_SET(s->agent, p, n);
        if (s->server.n == 0 && fstr(r, c, FL_SERVER, &r->tmp, &p, &n))
            RS_SET(s->server, p, n);
    }

    /* per tool, per agent */
    bool created;
    char tkey[RTAB_KEY_MAX + 80];
    size_t tkn;
    target_key(r, c, &r->tmp2);
    tkn = r->tmp2.len < sizeof(tkey) ? r->tmp2.len : sizeof(tkey);
    if (tkn > 0)
        memcpy(tkey, r->tmp2.data, tkn);
    size_t ti;
    struct ract *a = rtab_get_i(&r->tools, tkey, tkn, &created, &ti);
    if (a != NULL && did != NULL && didn <= sizeof(r->dcache->id) && r->dcache != NULL) {
        struct dcache *dc = &r->dcache[hash_fnv1a64(did, didn) & (RPT_DCACHE - 1)];
        memcpy(dc->id, did, didn);
        dc->len = (uint8_t)didn;
        dc->tool = ti == SIZE_MAX ? UINT32_MAX : (uint32_t)ti + 1;
    }
    if (a) {
        ract_init_if(a, created);
        act_decision(a, e, observe, dus, has_dus, c->time, c->seq, did, didn);
    }
    if (fstr(r, c, FL_AGENT, &r->tmp, &p, &n)) {
        r->with_agent++;
        rex_add(&r->agent_ex, c->seq, did, didn);
    } else {
        p = "";
        n = 0;
    }
    a = rtab_get(&r->agents, p, n, &created);
    if (a) {
        ract_init_if(a, created);
        act_decision(a, e, observe, dus, has_dus, c->time, c->seq, did, didn);
    }
    if (c->f[FL_ROLES] != 0)
        r->with_roles++;
    if (c->f[FL_SERVER] != 0)
        r->with_server++;
    if (c->f[FL_ARGS_DIGEST] != 0)
        r->with_args_digest++;
    if (c->f[FL_ARGUMENTS] != 0)
        r->with_arguments++;

    /* the rule that decided, and what kind of rule it was */
    const char *rule = "(none)", *reason = NULL;
    size_t rn = 6, reasonn = 0;
    char rulebuf[RTAB_KEY_MAX];
    if (fstr(r, c, FL_RULE, &r->tmp, &p, &n)) {
        rn = n < sizeof(rulebuf) ? n : sizeof(rulebuf);
        memcpy(rulebuf, p, rn);
        rule = rulebuf;
    }
    if (fstr(r, c, FL_REASON, &r->tmp, &p, &n)) {
        reason = p;
        reasonn = n;
    }
    static const char letters[] = {'a', 'd', 'q', 'r', 'x'};
    rule_count(r, c, letters[e], ename, rule, rn, reason, reasonn, observe, did, didn);
#define RULE_IS(s) (rn == sizeof(s) - 1 && memcmp(rule, s, rn) == 0)
    if (e == E_DENY && RULE_IS("pins")) {
        r->pin_blocks++;
        rex_add(&r->pinb_ex, c->seq, did, didn);
    }
    if (e == E_DENY && RULE_IS("schema")) {
        r->schema_blocks++;
        rex_add(&r->schemab_ex, c->seq, did, didn);
        struct rcount *x = counter(&r->schema_tools, tkey, tkn, c->time);
        if (x)
            x->n2++, rex_add(&x->ex, c->seq, did, didn);
    }
    if (e == E_DENY && RULE_IS("lethal-trifecta")) {
        r->trifecta_blocks++;
        rex_add(&r->trifecta_ex, c->seq, did, didn);
    }
    if (e == E_DENY && RULE_IS("guard"))
        r->guard_denials++;
#undef RULE_IS
    if (e == E_DENY && reason != NULL) {
        if (starts_with(reason, reasonn, "budget '"))
            r->budget_denials++, rex_add(&r->limit_ex, c->seq, did, didn);
        else if (starts_with(reason, reasonn, "rate limit of"))
            r->rate_denials++, rex_add(&r->limit_ex, c->seq, did, didn);
        if (contains(reason, reasonn, "failing closed")) {
            r->fail_closed++;
            rex_add(&r->failc_ex, c->seq, did, didn);
        }
    }

    /* observe rules that matched */
    if (fsub(r, c, FL_OBSERVED, JSON_ARRAY, 1)) {
        const char *o;
        size_t on;
        FOR_SUB_STRINGS(r, el, o, on)
        rule_count(r, c, 'o', "observe", o, on, NULL, 0, true, did, didn);
    }
    /* labels, provenance, contamination */
    if (fsub(r, c, FL_LABELS, JSON_ARRAY, 1) && r->sub.nodes[0].nchild > 0) {
        r->dec_labelled++;
        const char *l;
        size_t ln;
        FOR_SUB_STRINGS(r, el, l, ln)
        {
            struct rcount *x = counter(&r->labels, l, ln, c->time);
            if (x)
                x->n3++;
            if (ln == 11 && memcmp(l, "invalidated", 11) == 0) {
                r->dec_invalidated++;
                rex_add(&r->invd_ex, c->seq, did, didn);
            }
        }
    }
    if (is_type(r, c->f[FL_PROVENANCE], JSON_ARRAY) && r->rec.nodes[c->f[FL_PROVENANCE]].nchild) {
        r->dec_provenance++;
        rex_add(&r->prov_ex, c->seq, did, didn);
    }
    if (is_type(r, c->f[FL_INFLUENCED_BY], JSON_ARRAY) &&
        r->rec.nodes[c->f[FL_INFLUENCED_BY]].nchild) {
        r->dec_influenced++;
        rex_add(&r->infl_ex, c->seq, did, didn);
    }
    if (c->f[FL_SCHEMA_VIOLATION] != 0) {
        r->schema_warnings++;
        rex_add(&r->schemaw_ex, c->seq, did, didn);
        struct rcount *x = counter(&r->schema_tools, tkey, tkn, c->time);
        if (x) {
            x->n++;
            if (x->detail.n == 0 && fstr(r, c, FL_SCHEMA_VIOLATION, &r->tmp, &p, &n))
                RS_SET(x->detail, p, n);
        }
        tl_add(r, c->time, TS_GUARD);
    }
    if (c->f[FL_PIN_WARNING] != 0) {
        r->pin_warnings++;
        rex_add(&r->pinw_ex, c->seq, did, didn);
        tl_add(r, c->time, TS_GUARD);
    }
}

static void on_result(struct report *r, struct rec *c)
{
    session_of(r, c);
    if (!c->in)
        return;
    const char *p;
    size_t n;
    char id[64];
    size_t idn = 0;
    if (fstr(r, c, FL_DECISION_ID, &r->tmp, &p, &n)) {
        idn = n < sizeof(id) ? n : sizeof(id);
        memcpy(id, p, idn);
    }
    r->results++;
    rex_add(&r->result_ex, c->seq, id, idn);
    int o = fstr_eq(r, c, FL_OUTCOME, "ok")           ? 0
            : fstr_eq(r, c, FL_OUTCOME, "tool_error") ? 1
            : fstr_eq(r, c, FL_OUTCOME, "error")      ? 2
                                                      : 3;
    uint64_t lat = 0;
    bool has_lat = fus_ns(r, c, FL_LATENCY_US, &lat);
    uint64_t *tot[] = {&r->res_ok, &r->res_tool_error, &r->res_error, &r->res_other};
    (*tot[o])++;
    if (has_lat)
        hist_add(&r->latency_all, lat);
    struct ract *a = NULL;
    if (fstr(r, c, FL_TOOL, &r->tmp, &p, &n)) {
        bool created;
        if ((a = rtab_get(&r->tools, p, n, &created)) != NULL)
            ract_init_if(a, created);
    } else if (idn > 0 && idn <= sizeof(r->dcache->id) && r->dcache != NULL) {
        /* the tool of the decision this result answers */
        const struct dcache *dc = &r->dcache[hash_fnv1a64(id, idn) & (RPT_DCACHE - 1)];
        if (dc->tool != 0 && dc->len == idn && memcmp(dc->id, id, idn) == 0)
            a = dc->tool == UINT32_MAX ? (struct ract *)r->tools.other
                                       : rtab_row(&r->tools, dc->tool - 1);
    }
    if (a == NULL) {
        r->results_unattributed++;
        return;
    }
    a->results++;
    uint64_t *cnt[] = {&a->ok, &a->tool_error, &a->error, &a->other_outcome};
    (*cnt[o])++;
    if (has_lat)
        hist_add(&a->latency, lat);
}

static void on_approval(struct report *r, struct rec *c)
{
    session_of(r, c);
    if (!c->in)
        return;
    const char *p;
    size_t n;
    char did[64], rule[RTAB_KEY_MAX];
    size_t didn = 0, rn = 6;
    if (fstr(r, c, FL_DECISION_ID, &r->tmp, &p, &n)) {
        didn = n < sizeof(did) ? n : sizeof(did);
        memcpy(did, p, didn);
    }
    memcpy(rule, "(none)", 6);
    if (fstr(r, c, FL_RULE, &r->tmp, &p, &n) && n > 0) {
        rn = n < sizeof(rule) - 1 ? n : sizeof(rule) - 1;
        memcpy(rule, p, rn);
    }
    r->approvals++;
    rex_add(&r->approval_ex, c->seq, did, didn);
    if (is_type(r, c->f[FL_FORWARDED], JSON_TRUE))
        r->forwarded++; /* held by its decision, forwarded by this answer */
    char key[RTAB_KEY_MAX + 1];
    key[0] = 'q';
    memcpy(key + 1, rule, rn);
    bool created;
    struct rrule *x = rtab_get(&r->rules, key, rn + 1, &created);
    if (x != NULL && created) {
        x->first = x->last = RPT_NOTIME;
        snprintf(x->effect, sizeof(x->effect), "approve");
    }
    uint64_t *g, *l;
    if (fstr_eq(r, c, FL_ANSWER, "yes"))
        g = &r->ans_yes, l = x ? &x->yes : NULL;
    else if (fstr_eq(r, c, FL_ANSWER, "no"))
        g = &r->ans_no, l = x ? &x->no : NULL;
    else if (fstr_eq(r, c, FL_ANSWER, "timeout"))
        g = &r->ans_timeout, l = x ? &x->timeout : NULL;
    else if (fstr_eq(r, c, FL_ANSWER, "unavailable"))
        g = &r->ans_unavailable, l = x ? &x->unavailable : NULL;
    else if (fstr_eq(r, c, FL_ANSWER, "cancelled"))
        g = &r->ans_cancelled, l = x ? &x->cancelled : NULL;
    else
        g = &r->ans_other, l = x ? &x->other_answer : NULL;
    (*g)++;
    if (x) {
        (*l)++;
        x->answers++;
    }
}

/* ---- information flow and guards ------------------------------------------------------------ */

static void label_list(struct report *r, struct rec *c, int f, bool added)
{
    if (!fsub(r, c, f, JSON_ARRAY, 1))
        return;
    const char *rid;
    size_t ridn;
    fraw(r, c, FL_REQUEST_ID, &rid, &ridn);
    const char *l;
    size_t ln;
    FOR_SUB_STRINGS(r, el, l, ln)
    {
        struct rcount *x = counter(&r->labels, l, ln, c->time);
        if (added)
            r->labels_added++;
        else
            r->labels_removed++;
        if (x == NULL)
            continue;
        if (added) {
            x->n++;
            rex_add(&x->ex, c->seq, rid, ridn);
        } else {
            x->n2++;
        }
    }
}

static void on_taint(struct report *r, struct rec *c)
{
    session_of(r, c);
    if (!c->in)
        return;
    const char *rid;
    size_t ridn;
    fraw(r, c, FL_REQUEST_ID, &rid, &ridn);
    r->taint_events++;
    rex_add(&r->taint_ex, c->seq, rid, ridn);
    label_list(r, c, FL_ADDED, true);
    label_list(r, c, FL_REMOVED, false);
    tl_add(r, c->time, TS_TAINT);
}

static void on_scan(struct report *r, struct rec *c)
{
    session_of(r, c);
    if (!c->in)
        return;
    const char *rid, *p;
    size_t ridn, n;
    fraw(r, c, FL_REQUEST_ID, &rid, &ridn);
    r->scans++;
    rex_add(&r->scan_ex, c->seq, rid, ridn);
    tl_add(r, c->time, TS_SCAN);
    if (is_type(r, c->f[FL_RAW_FALLBACK], JSON_TRUE))
        r->scan_raw_fallback++;
    uint64_t tr;
    if (fu64(r, c, FL_TRACKED, &tr))
        r->tracked_added += tr;
    /* what was read: a tool, a resource, a prompt, or a message the server sent of its own
     * accord (named by its method) */
    if (fstr(r, c, FL_TOOL, &r->tmp, &p, &n) || fstr(r, c, FL_URI, &r->tmp, &p, &n) ||
        fstr(r, c, FL_NAME, &r->tmp, &p, &n) || fstr(r, c, FL_METHOD, &r->tmp, &p, &n)) {
        struct rcount *x = counter(&r->scan_tools, p, n, c->time);
        if (x)
            x->n++, rex_add(&x->ex, c->seq, rid, ridn);
    }
    if (fsub(r, c, FL_FINDINGS, JSON_ARRAY, 1)) {
        const char *k;
        size_t kn;
        FOR_SUB_STRINGS(r, el, k, kn)
        {
            struct rcount *x = counter(&r->scan_kinds, k, kn, c->time);
            if (x)
                x->n++, rex_add(&x->ex, c->seq, rid, ridn);
        }
    }
    if (fsub(r, c, FL_SCORES, JSON_OBJECT, 1)) {
        static const char *const fam[] = {"secret", "pii", "injection"};
        for (int i = 0; i < 3; i++) {
            uint32_t x = json_get(&r->sub, 0, fam[i], strlen(fam[i]));
            int64_t v;
            if (x == 0 || r->sub.nodes[x].type != JSON_NUMBER || json_int(&r->sub, x, &v) < 0 ||
                v <= 0)
                continue;
            r->scan_family[i]++;
            if (v > (int64_t)r->scan_max[i])
                r->scan_max[i] = v > 1000000 ? 1000000 : (unsigned)v;
        }
    }
    label_list(r, c, FL_ADDED, true);
}

static void on_spotlight(struct report *r, struct rec *c)
{
    session_of(r, c);
    if (!c->in)
        return;
    uint64_t k = 0;
    fu64(r, c, FL_FORGED, &k);
    r->spotlights++;
    r->forged_markers += k;
    const char *rid;
    size_t ridn;
    fraw(r, c, FL_REQUEST_ID, &rid, &ridn);
    rex_add(&r->spot_ex, c->seq, rid, ridn);
    tl_add(r, c->time, TS_GUARD);
}

/* A value the operator marked (`sentinel ctl track`): the record holds its digest only. */
static void on_track(struct report *r, struct rec *c)
{
    session_of(r, c);
    if (!c->in)
        return;
    r->marks++;
    rex_add(&r->mark_ex, c->seq, NULL, 0);
    tl_add(r, c->time, TS_GUARD);
}

static void on_invalidation(struct report *r, struct rec *c)
{
    session_of(r, c);
    if (!c->in)
        return;
    r->invalidations++;
    uint64_t src = 0;
    bool has = fu64(r, c, FL_SOURCES, &src);
    r->inval_sources += src;
    tl_add(r, c->time, TS_GUARD);
    if (r->ninval >= RPT_INVAL_MAX)
        return;
    if (r->ninval == r->inval_cap) {
        size_t cap = r->inval_cap ? r->inval_cap * 2 : 16;
        struct rinval *nv = realloc(r->inval, cap * sizeof(*nv));
        if (nv == NULL)
            return;
        r->inval = nv;
        r->inval_cap = cap;
    }
    struct rinval *v = &r->inval[r->ninval++];
    memset(v, 0, sizeof(*v));
    v->time = c->time;
    v->seq = c->seq;
    v->sources = src;
    v->has_sources = has;
    const char *p;
    size_t n;
    if (c->f[FL_REQUEST_ID] != 0) {
        snprintf(v->kind, sizeof(v->kind), "request");
        fraw(r, c, FL_REQUEST_ID, &p, &n);
        RS_SET(v->value, p, n);
    } else if (fstr(r, c, FL_REQUEST_ID_TEXT, &r->tmp, &p, &n)) {
        snprintf(v->kind, sizeof(v->kind), "request");
        RS_SET(v->value, p, n);
    } else if (fstr(r, c, FL_TOOL, &r->tmp, &p, &n)) {
        snprintf(v->kind, sizeof(v->kind), "tool");
        RS_SET(v->value, p, n);
    } else if (fstr(r, c, FL_SERVER, &r->tmp, &p, &n)) {
        snprintf(v->kind, sizeof(v->kind), "server");
        RS_SET(v->value, p, n);
    } else {
        snprintf(v->kind, sizeof(v->kind), "?");
    }
}

static uint64_t sub_u64(struct report *r, uint32_t obj, const char *k)
{
    uint32_t x = json_get(&r->sub, obj, k, strlen(k));
    int64_t v;
    if (x == 0 || r->sub.nodes[x].type != JSON_NUMBER || json_int(&r->sub, x, &v) < 0 || v < 0)
        return 0;
    return (uint64_t)v;
}

/* A tools_list / prompts_list / templates_list record: pins, schemas, poisoned definitions. */
static void on_list(struct report *r, struct rec *c, int listf)
{
    session_of(r, c);
    if (!c->in)
        return;
    const char *rid;
    size_t ridn;
    fraw(r, c, FL_REQUEST_ID, &rid, &ridn);
    bool notable = false;
    if (fsub(r, c, listf, JSON_ARRAY, 3)) {
        for (uint32_t e = json_first(&r->sub, 0); e != 0; e = r->sub.nodes[e].next) {
            if (r->sub.nodes[e].type != JSON_OBJECT)
                continue;
            uint32_t tn = json_getz(&r->sub, e, "tool");
            const char *name = "?";
            size_t nn = 1;
            if (tn != 0 && r->sub.nodes[tn].type == JSON_STRING)
                json_str(&r->sub, tn, &r->tmp2, &name, &nn);
            /* copy: tmp2 is reused below */
            char nbuf[RTAB_KEY_MAX];
            nn = nn < sizeof(nbuf) ? nn : sizeof(nbuf);
            memcpy(nbuf, name, nn);
            if (json_getz(&r->sub, e, "schema_error") != 0) {
                r->schema_errors++;
                notable = true;
            }
            if (json_getz(&r->sub, e, "schema_unsupported") != 0)
                r->schema_unsupported++;
            uint32_t ps = json_getz(&r->sub, e, "poison_score");
            if (ps != 0) {
                unsigned score = (unsigned)sub_u64(r, e, "poison_score");
                r->poison_defs++;
                rex_add(&r->poison_ex, c->seq, nbuf, nn);
                notable = true;
                struct rcount *x = counter(&r->poison, nbuf, nn, c->time);
                if (x == NULL)
                    continue;
                x->n++;
                rex_add(&x->ex, c->seq, rid, ridn);
                if (score > x->score)
                    x->score = score;
                uint32_t fk = json_getz(&r->sub, e, "findings");
                if (x->detail.n == 0 && fk != 0 && r->sub.nodes[fk].type == JSON_ARRAY) {
                    struct buf *b = &r->tmp;
                    buf_reset(b);
                    for (uint32_t k = json_first(&r->sub, fk); k != 0; k = r->sub.nodes[k].next) {
                        const char *s;
                        size_t sn;
                        if (r->sub.nodes[k].type != JSON_STRING ||
                            json_str(&r->sub, k, &r->tmp2, &s, &sn) < 0)
                            continue;
                        if (b->len)
                            buf_append(b, ", ", 2);
                        buf_append(b, s, sn);
                    }
                    RS_SET(x->detail, b->data ? b->data : "", b->len);
                }
            }
        }
    }
    if (fsub(r, c, FL_PINS, JSON_OBJECT, 3)) {
        r->pin_lists++;
        rex_add(&r->pinl_ex, c->seq, rid, ridn);
        uint64_t ch = sub_u64(r, 0, "changed"), rf = sub_u64(r, 0, "refused");
        uint64_t lk = sub_u64(r, 0, "lookalikes"), sh = sub_u64(r, 0, "shadows"),
                 im = sub_u64(r, 0, "imitates");
        r->pins_new += sub_u64(r, 0, "new");
        r->pins_changed += ch;
        r->pins_refused += rf;
        r->pins_removed += sub_u64(r, 0, "removed");
        r->pins_lookalike += lk;
        r->pins_shadows += sh;
        r->pins_imitates += im;
        r->pins_duplicates += sub_u64(r, 0, "duplicates");
        if (ch + rf + lk + sh + im > 0)
            notable = true;
        uint32_t items = json_getz(&r->sub, 0, "items");
        if (items != 0 && r->sub.nodes[items].type == JSON_ARRAY) {
            for (uint32_t e = json_first(&r->sub, items); e != 0; e = r->sub.nodes[e].next) {
                uint32_t st = json_getz(&r->sub, e, "state"), nm = json_getz(&r->sub, e, "name");
                const char *s = "?", *nmp = "(unnamed)";
                size_t sn = 1, nmn = 9;
                if (st != 0 && r->sub.nodes[st].type == JSON_STRING)
                    json_str(&r->sub, st, &r->tmp, &s, &sn);
                char key[RTAB_KEY_MAX];
                size_t kn = sn < 32 ? sn : 32;
                memcpy(key, s, kn);
                key[kn++] = '\0';
                if (nm != 0 && r->sub.nodes[nm].type == JSON_STRING)
                    json_str(&r->sub, nm, &r->tmp2, &nmp, &nmn);
                size_t take = nmn < sizeof(key) - kn ? nmn : sizeof(key) - kn;
                memcpy(key + kn, nmp, take);
                struct rcount *x = counter(&r->pin_items, key, kn + take, c->time);
                if (x == NULL)
                    continue;
                x->n++;
                rex_add(&x->ex, c->seq, rid, ridn);
                const char *flag = json_getz(&r->sub, e, "imitates")    ? "imitates"
                                   : json_getz(&r->sub, e, "shadows")   ? "shadows"
                                   : json_getz(&r->sub, e, "duplicate") ? "duplicate"
                                   : json_getz(&r->sub, e, "changed")   ? "changed"
                                                                        : NULL;
                if (flag != NULL && x->detail.n == 0) {
                    uint32_t fv = json_get(&r->sub, e, flag, strlen(flag));
                    struct buf *b = &r->tmp;
                    buf_reset(b);
                    buf_append(b, flag, strlen(flag));
                    const char *v;
                    size_t vn;
                    if (r->sub.nodes[fv].type == JSON_STRING &&
                        json_str(&r->sub, fv, &r->tmp2, &v, &vn) == 0) {
                        buf_putc(b, ' ');
                        buf_append(b, v, vn);
                    }
                    RS_SET(x->detail, b->data, b->len);
                }
            }
        }
    }
    if (notable)
        tl_add(r, c->time, TS_GUARD);
}

static void on_list_filter(struct report *r, struct rec *c)
{
    session_of(r, c);
    if (!c->in)
        return;
    uint64_t h = 0;
    fu64(r, c, FL_HIDDEN, &h);
    r->list_filters++;
    r->hidden += h;
    rex_add(&r->filter_ex, c->seq, NULL, 0);
}

/* ---- reading ----------------------------------------------------------------------------------
 */

static void bad_line(struct report *r, const char *why)
{
    r->bad++;
    if (r->nbad_ex >= RPT_BAD_EX)
        return;
    struct rbad *b = &r->bad_ex[r->nbad_ex++];
    b->file = r->file;
    b->line = r->lineno;
    snprintf(b->why, sizeof(b->why), "%s", why);
    for (char *p = b->why; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            *p = '?';
}

static void count_event(struct report *r, const struct rec *c, const char *ev, size_t evn)
{
    struct rcount *x = counter(&r->events, ev, evn, c->time);
    if (x) {
        x->n++;
        rex_add(&x->ex, c->seq, NULL, 0);
    }
}

/* Shaped like a record of the chain, as the verifier requires: its last member the hash in the
 * writer's fixed form, an integer seq and a 64-hex prev. Anything else is not evidence. */
static bool chained_shape(struct report *r, const struct rec *c, const char *line, size_t len)
{
    static const char tail[] = ",\"hash\":\"";
    if (len < 75 + 2 || memcmp(line + len - 75, tail, sizeof(tail) - 1) != 0 ||
        memcmp(line + len - 2, "\"}", 2) != 0)
        return false;
    for (size_t i = len - 66; i < len - 2; i++)
        if (!((line[i] >= '0' && line[i] <= '9') || (line[i] >= 'a' && line[i] <= 'f')))
            return false;
    uint64_t seq;
    const char *p;
    size_t n;
    uint32_t v = json_getz(&r->rec, 0, "prev");
    if (!fu64(r, c, FL_SEQ, &seq) || seq == 0 || v == 0 || r->rec.nodes[v].type != JSON_STRING ||
        json_str(&r->rec, v, &r->tmp2, &p, &n) < 0 || n != 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
            return false;
    return true;
}

/* Past what the verifier accepted (report_limit): from the damage on, nothing is counted. */
static bool past_verified(struct report *r)
{
    if (!r->limited || r->stopped)
        return r->stopped;
    const struct verify_result *v = &r->v;
    if (v->status == VERIFY_DAMAGED && v->line > 0 && strcmp(r->file, v->file) == 0 &&
        r->lineno >= v->line)
        r->stopped = true;
    return r->stopped;
}

int report_line(struct report *r, const char *line, size_t len, bool torn)
{
    r->lines++;
    r->lineno++;
    if (past_verified(r)) {
        r->unverified++;
        return 0;
    }
    if (torn) {
        /* the verifier ignores a torn last line: whatever it holds, nobody sealed it */
        r->torn++;
        bad_line(r, "a torn last line (the file ends mid-record): not verified, not counted");
        return 0;
    }
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n'))
        i++;
    if (i == len) {
        r->blank++;
        return 0;
    }
    struct diag d = {0};
    if (json_parse(&r->rec, line, len, 1, &d) < 0) {
        char msg[200];
        snprintf(msg, sizeof(msg), "not valid JSON: %.120s", d.msg);
        bad_line(r, msg);
        return 0;
    }
    if (r->rec.nodes[0].type != JSON_OBJECT) {
        bad_line(r, "not a JSON object");
        return 0;
    }
    if (r->rec.truncated) {
        bad_line(r, "a record with too many members");
        return 0;
    }
    struct rec c;
    memset(c.f, 0, sizeof(c.f));
    for (uint32_t m = json_first(&r->rec, 0); m != 0; m = r->rec.nodes[m].next) {
        const struct json_node *nd = &r->rec.nodes[m];
        const char *k = r->rec.text + nd->key_start;
        size_t kn = nd->key_len;
        if (nd->flags & JSON_F_KEY_ESCAPED) {
            buf_reset(&r->tmp);
            if (json_unescape(k, kn, &r->tmp) < 0)
                continue;
            k = r->tmp.data ? r->tmp.data : "";
            kn = r->tmp.len;
        }
        int f = field_of(k, kn);
        if (f >= 0)
            c.f[f] = m;
    }
    const char *ev;
    size_t evn;
    char evbuf[64];
    if (!is_type(r, c.f[FL_EVENT], JSON_STRING) ||
        json_str(&r->rec, c.f[FL_EVENT], &r->tmp, &ev, &evn) < 0) {
        bad_line(r, c.f[FL_EVENT] ? "\"event\" is not a string" : "a record without \"event\"");
        return 0;
    }
    evn = evn < sizeof(evbuf) ? evn : sizeof(evbuf);
    memcpy(evbuf, ev, evn);
    ev = evbuf;
    if (evn == 0 || !chained_shape(r, &c, line, len)) {
        bad_line(r, "not a record of the hash chain (no seq, prev or final hash member)");
        return 0;
    }
    if (r->limited && r->records >= r->v.records) {
        r->stopped = true;
        r->unverified++;
        return 0;
    }
    r->records++;
    c.seq = 0;
    fu64(r, &c, FL_SEQ, &c.seq);
    c.time = RPT_NOTIME;
    const char *ts;
    size_t tn;
    int64_t t;
    if (fstr(r, &c, FL_TIME, &r->tmp, &ts, &tn) && report_parse_time(ts, tn, false, &t) == 0)
        c.time = t;
    c.in = true;
    if (r->o.has_since || r->o.has_until) {
        if (c.time == RPT_NOTIME) {
            c.in = false;
            r->notime++;
        } else if ((r->o.has_since && c.time < r->o.since_ns) ||
                   (r->o.has_until && c.time >= r->o.until_ns)) {
            c.in = false;
            r->outside++;
        }
    } else if (c.time == RPT_NOTIME) {
        r->notime++;
    }
    c.sess = SIZE_MAX;
    if (c.in) {
        r->records_in++;
        span(&r->tmin, &r->tmax, c.time);
        if (c.seq != 0) {
            if (!r->seq_known || c.seq < r->seq_min)
                r->seq_min = c.seq;
            if (!r->seq_known || c.seq > r->seq_max)
                r->seq_max = c.seq;
            r->seq_known = true;
        }
        count_event(r, &c, ev, evn);
    }
#define EV(s) (evn == sizeof(s) - 1 && memcmp(ev, s, evn) == 0)
    if (EV("decision"))
        on_decision(r, &c);
    else if (EV("result"))
        on_result(r, &c);
    else if (EV("start"))
        on_start(r, &c);
    else if (EV("policy_reload") || EV("policy_load"))
        on_reload(r, &c);
    else if (EV("stop"))
        on_stop(r, &c);
    else if (EV("upstream_exit"))
        on_upstream_exit(r, &c);
    else if (EV("refused"))
        on_refused(r, &c);
    else if (EV("checkpoint"))
        on_checkpoint(r, &c);
    else if (EV("approval"))
        on_approval(r, &c);
    else if (EV("taint"))
        on_taint(r, &c);
    else if (EV("scan"))
        on_scan(r, &c);
    else if (EV("track"))
        on_track(r, &c);
    else if (EV("spotlight"))
        on_spotlight(r, &c);
    else if (EV("invalidation"))
        on_invalidation(r, &c);
    else if (EV("tools_list"))
        on_list(r, &c, FL_TOOLS);
    else if (EV("prompts_list"))
        on_list(r, &c, FL_PROMPTS);
    else if (EV("templates_list"))
        on_list(r, &c, FL_TEMPLATES);
    else if (EV("list_filter"))
        on_list_filter(r, &c);
    else {
        session_of(r, &c);
        if (c.in && EV("rotated"))
            r->rotations++;
        else if (c.in && EV("recovered"))
            r->recoveries++, rex_add(&r->recover_ex, c.seq, NULL, 0);
        else if (c.in && EV("pins_write_failed"))
            r->pins_write_failed++;
    }
#undef EV
    /* the record's session: counted, its time range */
    struct rsess *s = sess_at(r, c.sess);
    if (s != NULL) {
        span(&s->first, &s->last, c.time);
        if (c.in) {
            s->records++;
            s->in_window = true;
        }
    }
    return 0;
}

int report_read_fd(struct report *r, int fd, const char *name)
{
    r->file = name;
    r->lineno = 0;
    r->nfiles++;
    framer_cleanup(&r->in);
    if (framer_init(&r->in, r->o.max_line) < 0)
        return -ENOMEM;
    bool eof = false, torn = false;
    for (;;) {
        const char *line;
        size_t len;
        enum frame_status s;
        while ((s = framer_next(&r->in, &line, &len)) != FRAME_NONE) {
            if (s == FRAME_TOOBIG) {
                char msg[160];
                r->lines++;
                r->lineno++;
                r->toolong++;
                snprintf(msg, sizeof(msg), "a line of %zu bytes, longer than the limit (%zu)",
                         framer_dropped_size(&r->in), r->o.max_line);
                bad_line(r, msg);
                continue;
            }
            int rc = report_line(r, line, len, torn);
            if (rc < 0)
                return rc;
        }
        if (eof)
            return 0;
        char *p;
        size_t n;
        int rc = framer_space(&r->in, READ_WANT, &p, &n);
        if (rc < 0)
            return rc;
        ssize_t got;
        do
            got = read(fd, p, n);
        while (got < 0 && errno == EINTR);
        if (got < 0)
            return -errno;
        if (got > 0) {
            framer_commit(&r->in, (size_t)got);
            continue;
        }
        eof = true;
        if (r->in.discarding || framer_pending(&r->in) > 0) {
            /* the last line has no newline (a crash mid-write): end it so it is read */
            if ((rc = framer_space(&r->in, 1, &p, &n)) < 0)
                return rc;
            p[0] = '\n';
            framer_commit(&r->in, 1);
            torn = true;
        }
    }
}

/* ---- life cycle --------------------------------------------------------------------------- */

int report_new(struct report **out, const struct report_opts *o)
{
    *out = NULL;
    fslot_build();
    struct report *r = calloc(1, sizeof(*r));
    if (r == NULL)
        return -ENOMEM;
    r->o = *o;
    if (r->o.max_line == 0)
        r->o.max_line = DEFAULT_MAX_LINE;
    if (r->o.max_keys == 0)
        r->o.max_keys = REPORT_MAX_KEYS;
    size_t mk = r->o.max_keys;
    json_doc_init(&r->rec, REC_MAX_DEPTH, 0);
    json_doc_init(&r->sub, 64, SUB_MAX_NODES);
    buf_init(&r->tmp, r->o.max_line + 1024);
    buf_init(&r->tmp2, r->o.max_line + 1024);
    buf_init(&r->cur_sess, RTAB_KEY_MAX);
    buf_init(&r->last_sess_key, RTAB_KEY_MAX);
    r->tmin = r->tmax = RPT_NOTIME;
    rtab_init(&r->sessions, sizeof(struct rsess), mk);
    rtab_init(&r->agents, sizeof(struct ract), mk);
    rtab_init(&r->tools, sizeof(struct ract), mk);
    rtab_init(&r->rules, sizeof(struct rrule), mk);
    rtab_init(&r->labels, sizeof(struct rcount), mk);
    rtab_init(&r->scan_kinds, sizeof(struct rcount), mk);
    rtab_init(&r->scan_tools, sizeof(struct rcount), mk);
    rtab_init(&r->pin_items, sizeof(struct rcount), mk);
    rtab_init(&r->poison, sizeof(struct rcount), mk);
    rtab_init(&r->schema_tools, sizeof(struct rcount), mk);
    rtab_init(&r->events, sizeof(struct rcount), mk);
    r->dcache = calloc(RPT_DCACHE, sizeof(*r->dcache));
    if (r->dcache == NULL || framer_init(&r->in, r->o.max_line) < 0) {
        report_free(r);
        return -ENOMEM;
    }
    *out = r;
    return 0;
}

void report_free(struct report *r)
{
    if (r == NULL)
        return;
    framer_cleanup(&r->in);
    json_doc_cleanup(&r->rec);
    json_doc_cleanup(&r->sub);
    buf_cleanup(&r->tmp);
    buf_cleanup(&r->tmp2);
    buf_cleanup(&r->cur_sess);
    buf_cleanup(&r->last_sess_key);
    hist_cleanup(&r->decide_all);
    hist_cleanup(&r->latency_all);
    rtab_cleanup(&r->sessions, NULL);
    rtab_cleanup(&r->agents, ract_cleanup);
    rtab_cleanup(&r->tools, ract_cleanup);
    rtab_cleanup(&r->rules, NULL);
    rtab_cleanup(&r->labels, NULL);
    rtab_cleanup(&r->scan_kinds, NULL);
    rtab_cleanup(&r->scan_tools, NULL);
    rtab_cleanup(&r->pin_items, NULL);
    rtab_cleanup(&r->poison, NULL);
    rtab_cleanup(&r->schema_tools, NULL);
    rtab_cleanup(&r->events, NULL);
    free(r->pol);
    free(r->inval);
    free(r->tl.count);
    free(r->dcache);
    free(r);
}

void report_set_integrity(struct report *r, const struct verify_result *v, const char *keyfile)
{
    r->verified = true;
    r->v = *v;
    r->keyfile = keyfile;
}

void report_limit(struct report *r)
{
    r->limited = true;
}

const char *report_strict(const struct report *r, char *why, size_t cap)
{
    if (!r->verified || r->v.status != VERIFY_INTACT)
        return NULL;
    return audit_verify_strict(&r->v, why, cap);
}

bool report_intact(const struct report *r)
{
    return r->verified && r->v.status == VERIFY_INTACT;
}

int report_write(struct report *r, FILE *f)
{
    report_controls(r);
    return report_write_doc(r, f, r->o.format == REPORT_HTML);
}

/* ---- the control mapping -------------------------------------------------------------------- */

/* " (seq 12, 98, 311)" from examples; "" when none has a seq. */
static void seqs(char *out, size_t cap, const struct rex *x)
{
    size_t o = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < x->n && o < cap; i++) {
        if (x->seq[i] == 0)
            continue;
        int k = snprintf(out + o, cap - o, "%s%" PRIu64, o ? ", " : " (seq ", x->seq[i]);
        if (k < 0)
            break;
        o += (size_t)k;
    }
    if (o > 0 && o + 1 < cap) {
        out[o++] = ')';
        out[o] = '\0';
    }
}

static struct rctl *ctl(struct report *r, const char *name, const char *what, const char *nist,
                        const char *owasp)
{
    if (r->nctl >= sizeof(r->ctl) / sizeof(r->ctl[0]))
        return &r->ctl[r->nctl - 1]; /* never: the list below is fixed */
    struct rctl *c = &r->ctl[r->nctl++];
    c->name = name;
    c->what = what;
    c->nist = nist;
    c->owasp = owasp;
    c->status = CTL_ABSENT;
    c->evidence[0] = '\0';
    return c;
}

#define EVI(c, ...) snprintf((c)->evidence, sizeof((c)->evidence), __VA_ARGS__)

void report_controls(struct report *r)
{
    char a[32], b[32], s1[96], s2[96];
    struct rctl *c;
    r->nctl = 0;

    c = ctl(r, "Policy enforcement",
            "every tools/call, resources/read, prompts/get and server request is decided by the "
            "policy; a denied call never reaches the server",
            "GOVERN 1.4, MANAGE 1.3", "ASI02, ASI05");
    if (r->enforce_decisions > 0) {
        c->status = CTL_ACTIVE;
        report_fmt_n(r->enforce_decisions, a);
        report_fmt_n(r->deny, b);
        seqs(s1, sizeof(s1), r->deny ? &r->deny_ex : &r->decision_ex);
        EVI(c, "%s decisions enforced, %s denials%s", a, b, s1);
    } else if (r->starts_enforce > 0) {
        c->status = CTL_SILENT;
        seqs(s1, sizeof(s1), &r->start_ex);
        EVI(c, "%" PRIu64 " session(s) started in enforce mode%s; no call was decided",
            r->starts_enforce, s1);
    } else if (r->observed > 0) {
        c->status = CTL_SILENT;
        EVI(c, "observe mode only: nothing was enforced (see shadow evaluation)");
    }

    c = ctl(r, "Shadow evaluation (observe mode)",
            "a policy is evaluated on live traffic without enforcing it; what it would have "
            "blocked is recorded",
            "MEASURE 2.3, MEASURE 2.4", "-");
    if (r->observed > 0) {
        c->status = CTL_ACTIVE;
        report_fmt_n(r->observed, a);
        report_fmt_n(r->would_block, b);
        seqs(s1, sizeof(s1), &r->observe_ex);
        EVI(c, "%s decisions recorded in observe mode, %s would have been blocked%s", a, b, s1);
    }

    c = ctl(r, "Agent identity and least privilege",
            "decisions carry the agent's identity and roles; rules scope tools per agent and "
            "role; agent tokens are signed",
            "GOVERN 1.4, MEASURE 2.8", "ASI03, ASI10");
    if (r->with_agent > 0 || r->starts_identity > 0) {
        c->status = CTL_ACTIVE;
        report_fmt_n(r->with_agent, a);
        seqs(s1, sizeof(s1), r->with_agent ? &r->agent_ex : &r->identity_ex);
        EVI(c,
            "%s decisions attributed to %zu agent(s), %" PRIu64 " with roles; %" PRIu64
            " session(s) started with an identity: %" PRIu64 " recorded as verified by a "
            "signed agent token (as true as the integrity line above), %" PRIu64 " only "
            "asserted (--agent/--role, not verified)%s",
            a, r->agents.n - (rtab_find(&r->agents, "", 0) ? 1 : 0), r->with_roles,
            r->starts_identity, r->starts_token, r->starts_identity - r->starts_token, s1);
    }
    if (r->refused > 0) {
        c->status = CTL_ACTIVE;
        seqs(s1, sizeof(s1), &r->refused_ex);
        EVI(c, "%" PRIu64 " run(s) refused at start: the agent's token rejected, or none where "
            "the policy requires one%s", r->refused, s1);
    }

    c = ctl(r, "Human approval",
            "calls matching an approve rule wait for a person's answer; without an approver "
            "they are denied",
            "GOVERN 3.2, MAP 3.5", "ASI09, ASI02");
    {
        uint64_t noapprover = 0;
        for (size_t i = 0; i < r->rules.n; i++) {
            const struct rrule *x = rtab_row(&r->rules, i);
            if (r->rules.key[i][0] == 'd' && x->reason.n > 0 &&
                contains(x->reason.s, x->reason.n, "no approver is configured"))
                noapprover += x->count;
        }
        if (r->approve > 0 || r->approvals > 0) {
            c->status = CTL_ACTIVE;
            seqs(s1, sizeof(s1), &r->approval_ex);
            EVI(c,
                "%" PRIu64 " call(s) held; answers: %" PRIu64 " yes, %" PRIu64 " no, %" PRIu64
                " timeout, %" PRIu64 " other%s; %" PRIu64 " denied for want of an approver",
                r->approve, r->ans_yes, r->ans_no, r->ans_timeout,
                r->ans_unavailable + r->ans_cancelled + r->ans_other, s1, noapprover);
        } else if (noapprover > 0) {
            c->status = CTL_ACTIVE;
            EVI(c,
                "%" PRIu64 " call(s) needing approval denied, failing closed: no approver was "
                "configured",
                noapprover);
        }
    }

    c = ctl(r, "Session labels (taint) and flow rules",
            "results of source tools label the session; rules deny sinks while a label is held",
            "MEASURE 2.10, MANAGE 1.3", "ASI01, ASI02, ASI06");
    if (r->taint_events > 0 || r->dec_labelled > 0) {
        c->status = CTL_ACTIVE;
        seqs(s1, sizeof(s1), &r->taint_ex);
        EVI(c,
            "%" PRIu64 " taint event(s) (%" PRIu64 " labels added, %" PRIu64 " removed)%s; %" PRIu64
            " decision(s) made with labels held",
            r->taint_events, r->labels_added, r->labels_removed, s1, r->dec_labelled);
    }

    c = ctl(r, "Lethal-trifecta protection",
            "a sink that can send data out is denied once private data and untrusted input are "
            "both in the session",
            "MEASURE 2.10, MANAGE 1.3", "ASI01, ASI02");
    if (r->trifecta_blocks > 0) {
        c->status = CTL_ACTIVE;
        seqs(s1, sizeof(s1), &r->trifecta_ex);
        EVI(c, "%" PRIu64 " call(s) denied by rule lethal-trifecta%s", r->trifecta_blocks, s1);
    }

    c = ctl(r, "Result scanning",
            "tool results are scanned for secrets, personal data and injected instructions; "
            "findings label the session",
            "MEASURE 2.4, MEASURE 2.7, MEASURE 2.10", "ASI01, ASI06");
    if (r->scans > 0) {
        c->status = CTL_ACTIVE;
        seqs(s1, sizeof(s1), &r->scan_ex);
        EVI(c,
            "%" PRIu64 " result(s) with findings (secret %" PRIu64 ", pii %" PRIu64
            ", injection %" PRIu64 ")%s",
            r->scans, r->scan_family[0], r->scan_family[1], r->scan_family[2], s1);
    }

    c = ctl(r, "Tracked values and provenance",
            "secrets and personal data seen in results are recognised again in later arguments, "
            "raw or encoded; decisions name the calls they came from",
            "MEASURE 3.1, MEASURE 2.8", "ASI06, ASI08");
    if (r->dec_provenance + r->dec_influenced > 0) {
        c->status = CTL_ACTIVE;
        seqs(s1, sizeof(s1), r->dec_provenance ? &r->prov_ex : &r->infl_ex);
        EVI(c,
            "%" PRIu64 " decision(s) with value provenance, %" PRIu64
            " influenced by labelled results%s",
            r->dec_provenance, r->dec_influenced, s1);
    }
    if (r->marks > 0) {
        /* after the provenance evidence, if any */
        size_t at = c->status == CTL_ACTIVE ? strlen(c->evidence) : 0;
        c->status = CTL_ACTIVE;
        seqs(s1, sizeof(s1), &r->mark_ex);
        snprintf(c->evidence + at, sizeof(c->evidence) - at,
                 "%s%" PRIu64 " value(s) marked by the operator while the session ran%s",
                 at > 0 ? "; " : "", r->marks, s1);
    }

    c = ctl(r, "Invalidation of distrusted sources",
            "the operator names a request, tool or server it no longer trusts; calls depending "
            "on it carry the label 'invalidated'",
            "MANAGE 2.3, MANAGE 4.3", "ASI06, ASI08");
    if (r->invalidations + r->dec_invalidated > 0) {
        c->status = CTL_ACTIVE;
        seqs(s1, sizeof(s1), &r->invd_ex);
        EVI(c,
            "%" PRIu64 " invalidation(s) covering %" PRIu64 " source(s); %" PRIu64
            " later decision(s) carried 'invalidated'%s",
            r->invalidations, r->inval_sources, r->dec_invalidated, s1);
    }

    c = ctl(r, "Spotlighting of untrusted output",
            "tool output is fenced or encoded so the model can tell data from instructions; "
            "forged fence markers are neutralised",
            "MANAGE 1.3, MEASURE 2.7", "ASI01, ASI06");
    if (r->spotlights > 0) {
        c->status = CTL_ACTIVE;
        seqs(s1, sizeof(s1), &r->spot_ex);
        EVI(c, "%" PRIu64 " result(s) carried %" PRIu64 " forged marker(s), neutralised%s",
            r->spotlights, r->forged_markers, s1);
    } else {
        EVI(c, "the log records spotlighting only when a forged marker is found");
    }

    c = ctl(r, "Tool pinning",
            "tool, prompt and template definitions are hashed on first sight; a changed, "
            "look-alike or shadowing definition is blocked or flagged",
            "GOVERN 6.1, MAP 4.2, MANAGE 3.1", "ASI04");
    {
        uint64_t flagged = r->pins_changed + r->pins_refused + r->pins_lookalike + r->pins_shadows +
                           r->pins_imitates + r->pin_warnings + r->pin_blocks;
        seqs(s1, sizeof(s1), r->pin_blocks ? &r->pinb_ex : &r->pinl_ex);
        if (flagged > 0) {
            c->status = CTL_ACTIVE;
            EVI(c,
                "%" PRIu64 " list(s) checked: %" PRIu64 " changed, %" PRIu64 " refused, %" PRIu64
                " look-alike/shadowing; %" PRIu64 " call(s) blocked, %" PRIu64 " warned%s",
                r->pin_lists, r->pins_changed, r->pins_refused,
                r->pins_lookalike + r->pins_shadows + r->pins_imitates, r->pin_blocks,
                r->pin_warnings, s1);
        } else if (r->pin_lists > 0) {
            c->status = CTL_SILENT;
            EVI(c,
                "%" PRIu64 " list(s) checked against pins (%" PRIu64
                " new definitions), none changed%s",
                r->pin_lists, r->pins_new, s1);
        }
    }

    c = ctl(r, "Tool definition poisoning detection",
            "descriptions and schemas of listed tools are scanned for hidden instructions",
            "MANAGE 3.1, MEASURE 2.7", "ASI04, ASI01");
    if (r->poison_defs > 0) {
        c->status = CTL_ACTIVE;
        seqs(s1, sizeof(s1), &r->poison_ex);
        EVI(c, "%" PRIu64 " definition finding(s) in %zu tool(s)%s", r->poison_defs, r->poison.n,
            s1);
    }

    c = ctl(r, "Input schema validation",
            "tools/call arguments are checked against the tool's inputSchema (warn or enforce)",
            "MEASURE 2.7, MANAGE 1.3", "ASI02, ASI05");
    if (r->schema_warnings + r->schema_blocks > 0) {
        c->status = CTL_ACTIVE;
        seqs(s1, sizeof(s1), r->schema_blocks ? &r->schemab_ex : &r->schemaw_ex);
        EVI(c, "%" PRIu64 " call(s) denied, %" PRIu64 " warned%s", r->schema_blocks,
            r->schema_warnings, s1);
    }

    c = ctl(r, "Budgets and rate limits",
            "allow rules hold only within a per-session budget or call rate",
            "MANAGE 2.4, MEASURE 2.6", "ASI08, ASI10");
    if (r->budget_denials + r->rate_denials > 0) {
        c->status = CTL_ACTIVE;
        seqs(s1, sizeof(s1), &r->limit_ex);
        EVI(c, "%" PRIu64 " call(s) denied by a budget, %" PRIu64 " by a rate limit%s",
            r->budget_denials, r->rate_denials, s1);
    } else {
        EVI(c, "a limit leaves a record only when it is reached");
    }

    c = ctl(r, "Tool visibility filtering",
            "tools, prompts and resources the policy can never allow are removed from list "
            "results",
            "MANAGE 1.3", "ASI02");
    if (r->list_filters > 0) {
        c->status = CTL_ACTIVE;
        seqs(s1, sizeof(s1), &r->filter_ex);
        EVI(c, "%" PRIu64 " list(s) filtered, %" PRIu64 " entries hidden%s", r->list_filters,
            r->hidden, s1);
    }

    c = ctl(r, "Fail-closed handling",
            "when a guard, the approver or the audit log fails, the call is denied", "MEASURE 2.6",
            "ASI08");
    if (r->fail_closed > 0) {
        c->status = CTL_ACTIVE;
        seqs(s1, sizeof(s1), &r->failc_ex);
        EVI(c, "%" PRIu64 " call(s) denied failing closed%s", r->fail_closed, s1);
    }

    c = ctl(r, "Tamper-evident audit log",
            "records are SHA-256 chained; checkpoints sign the chain head so a deleted tail is "
            "detected",
            "MEASURE 2.8, MANAGE 4.1, MANAGE 4.3", "ASI10");
    if (r->verified && r->v.status == VERIFY_DAMAGED) {
        c->status = CTL_ACTIVE;
        EVI(c, "damage detected: %s at line %" PRIu64 " (seq %" PRIu64 ")",
            r->v.damage ? r->v.damage : "?", r->v.line, r->v.seq);
    } else if (r->verified && r->v.status == VERIFY_INTACT) {
        c->status = r->v.records > 0 ? CTL_ACTIVE : CTL_SILENT;
        report_fmt_n(r->v.records, a);
        seqs(s2, sizeof(s2), &r->ck_ex);
        if (r->v.signed_checkpoints > 0)
            EVI(c,
                "%s records verified; %" PRIu64 " of %" PRIu64
                " checkpoint signatures checked with the key%s",
                a, r->v.signed_checkpoints, r->v.checkpoints, s2);
        else if (r->v.checkpoints > 0 && r->ck_none == r->checkpoints)
            EVI(c,
                "%s records verified; %" PRIu64 " checkpoint(s)%s, all unsigned (alg none): "
                "the writer is not authenticated",
                a, r->v.checkpoints, s2);
        else if (r->v.checkpoints > 0)
            EVI(c,
                "%s records verified; %" PRIu64 " checkpoint(s)%s, signatures not checked "
                "(no --key)",
                a, r->v.checkpoints, s2);
        else
            EVI(c, "%s records verified; no checkpoint: a deleted tail would not be detected", a);
        size_t el = strlen(c->evidence);
        if (r->v.head_file == VERIFY_HEAD_MISSING && el < sizeof(c->evidence))
            snprintf(c->evidence + el, sizeof(c->evidence) - el,
                     "; NO head file: a deleted tail would not be detected");
        uint64_t loose = r->v.declared_unsealed + (r->v.sealed ? 0 : r->v.unsealed);
        el = strlen(c->evidence);
        if (loose > 0 && el < sizeof(c->evidence))
            snprintf(c->evidence + el, sizeof(c->evidence) - el,
                     "; %" PRIu64 " record(s) signed by no checkpoint of their own run", loose);
    } else {
        EVI(c, "the log was not verified");
    }

    c = ctl(r, "Policy version control",
            "the hash of the policy in force is recorded at start and at every reload",
            "GOVERN 1.4, MANAGE 4.1", "-");
    if (r->starts_hash > 0) {
        c->status = CTL_ACTIVE;
        seqs(s1, sizeof(s1), &r->start_ex);
        EVI(c,
            "%" PRIu64 " policy load(s) with their SHA-256; %" PRIu64 " reload(s), %" PRIu64
            " failed%s",
            r->starts_hash, r->reloads, r->reloads_failed, s1);
    } else if (r->starts + r->reloads > 0) {
        c->status = CTL_SILENT;
        EVI(c, "%" PRIu64 " policy load(s) name the file but carry no hash",
            r->starts + r->reloads);
    }

    c = ctl(r, "Sandbox (egress and process spawning)",
            "the policy's sandbox section, enforced by the kernel monitor", "MANAGE 2.4", "ASI05");
    {
        uint64_t n = 0;
        for (size_t i = 0; i < r->sessions.n; i++)
            n += ((struct rsess *)rtab_row(&r->sessions, i))->sandbox_unenforced;
        if (n > 0) {
            c->status = CTL_NOT_ENFORCED;
            EVI(c, "%" PRIu64 " session(s) had a sandbox section that this build did not enforce",
                n);
        }
    }
}

/* ---- the command line ----------------------------------------------------------------------- */

#define EX_USAGE 64
#define EX_NOINPUT 66
#define EX_SOFTWARE 70
#define EX_CANTCREAT 73
#define EX_IOERR 74

static void usage(FILE *f)
{
    fputs("usage: sentinel report AUDIT_LOG [--format md|html] [--key FILE] [--strict]\n"
          "                       [--out FILE] [--since TIME] [--until TIME] [--max-line BYTES]\n"
          "Compliance evidence from an audit log: integrity, policies in force, sessions,\n"
          "activity per agent and tool, denials and approvals by rule, information-flow\n"
          "events, and the mapping of sentinel's controls to NIST AI RMF and the OWASP Top 10\n"
          "for Agentic Applications. Rotated files (LOG.1, LOG.2, ...) are read too.\n"
          "  --format md|html  Markdown (default) or one self-contained HTML file with charts\n"
          "  --key FILE        check checkpoint signatures with this key file\n"
          "  --strict          as `sentinel verify --strict`: exit 1 unless the log is also\n"
          "                    sealed (a final checkpoint, no records a crash left unsealed)\n"
          "  --out FILE        write the report to FILE instead of standard output\n"
          "  --since TIME      only records at or after TIME (RFC 3339, or YYYY-MM-DD, UTC)\n"
          "  --until TIME      only records before TIME\n"
          "  --max-line BYTES  longest line read (default 65M; 64 .. 2G, K/M/G binary)\n"
          "Exit status: 0 written and the log verified intact; 1 written, but the log is\n"
          "damaged, was not verified, or (--strict) is not sealed; 64 usage; 66 the log or\n"
          "key cannot be read; 70 out of memory or internal error; 73 the output cannot be\n"
          "created; 74 I/O error (reading or writing failed midway, or the log changed\n"
          "while it was read).\n",
          f);
}

static int by_number(const void *a, const void *b)
{
    unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
    return x < y ? -1 : x > y;
}

/*
 * The files of the log in order, as the verifier takes them: every LOG.<n> beside LOG in
 * numeric order (oldest first), then LOG. "-" is standard input alone.
 */
static int log_files(const char *path, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    unsigned long *num = NULL;
    size_t cnt = 0, cap = 0;
    if (strcmp(path, "-") != 0) {
        char dir[PATH_MAX];
        const char *slash = strrchr(path, '/');
        const char *base = slash ? slash + 1 : path;
        if (slash)
            snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path + (slash == path)), path);
        else
            snprintf(dir, sizeof(dir), ".");
        size_t blen = strlen(base);
        DIR *d = opendir(dir);
        struct dirent *e;
        while (d != NULL && (e = readdir(d)) != NULL) {
            const char *q = e->d_name + blen + 1;
            if (strncmp(e->d_name, base, blen) != 0 || e->d_name[blen] != '.' || *q < '1' ||
                *q > '9' || strlen(q) > 9 || strspn(q, "0123456789") != strlen(q))
                continue;
            if (cnt == cap) {
                cap = cap ? cap * 2 : 16;
                unsigned long *nn = cap <= 100000 ? realloc(num, cap * sizeof(*num)) : NULL;
                if (nn == NULL) {
                    closedir(d);
                    free(num);
                    return cap > 100000 ? -E2BIG : -ENOMEM;
                }
                num = nn;
            }
            num[cnt++] = strtoul(q, NULL, 10);
        }
        if (d != NULL)
            closedir(d);
        if (cnt > 1)
            qsort(num, cnt, sizeof(*num), by_number);
    }
    char **v = calloc(cnt + 1, sizeof(*v));
    if (v == NULL) {
        free(num);
        return -ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < cnt; i++) {
        size_t l = strlen(path) + 24;
        if ((v[k] = malloc(l)) == NULL)
            goto nomem;
        snprintf(v[k++], l, "%s.%lu", path, num[i]);
    }
    if ((v[k] = strdup(path)) == NULL)
        goto nomem;
    free(num);
    *out = v;
    *n = k + 1;
    return 0;
nomem:
    for (size_t i = 0; i < k; i++)
        free(v[i]);
    free(v);
    free(num);
    return -ENOMEM;
}

/* Every file of the log into r; 0 or an exit status after saying why. *id and *changed as
 * the verifier's files_id and changed (verify.h): which bytes were counted. */
static int read_files(struct report *r, char **files, size_t nfiles, uint64_t *id, bool *changed)
{
    struct stat prev = {0};
    *id = 0;
    *changed = false;
    for (size_t i = 0; i < nfiles; i++) {
        int fd = -1;
        bool owned = false;
        int rc = file_open_input(files[i], &fd, &owned);
        if (rc < 0) {
            fprintf(stderr, "sentinel report: cannot open '%s': %s\n", files[i], err_str(rc));
            return i + 1 == nfiles ? EX_NOINPUT : EX_IOERR;
        }
        struct stat s0, s1;
        if (fstat(fd, &s0) < 0)
            memset(&s0, 0, sizeof(s0));
        if (i > 0 && i + 1 == nfiles && s0.st_ino == prev.st_ino && s0.st_dev == prev.st_dev) {
            /* LOG a second name of LOG.<n> (a rotation cut short): read once, as verify does */
            if (owned)
                close(fd);
            break;
        }
        rc = report_read_fd(r, fd, files[i]);
        if (fstat(fd, &s1) < 0 || s1.st_ino != s0.st_ino || s1.st_size != s0.st_size ||
            s1.st_ctim.tv_sec != s0.st_ctim.tv_sec || s1.st_ctim.tv_nsec != s0.st_ctim.tv_nsec)
            *changed = true;
        else
            *id = audit_file_id(*id, &s1);
        prev = s1;
        if (owned)
            close(fd);
        if (rc < 0) {
            fprintf(stderr, "sentinel report: cannot read '%s': %s\n", files[i], err_str(rc));
            return rc == -ENOMEM ? EX_SOFTWARE : EX_IOERR;
        }
    }
    return 0;
}

struct verify_job {
    pthread_t thread;
    bool running;
    const char *path;
    const struct seal_keyring *keys;
    struct verify_result vr;
};

static void *verify_thread(void *arg)
{
    struct verify_job *vj = arg;
    audit_verify(vj->path, vj->keys, &vj->vr);
    return NULL;
}

int report_cli(int argc, char **argv)
{
    struct report_opts o = {.format = REPORT_MD};
    const char *log_path = NULL, *key_path = NULL, *out_path = NULL;
    bool strict = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        bool takes = strcmp(a, "--format") == 0 || strcmp(a, "--key") == 0 ||
                     strcmp(a, "--out") == 0 || strcmp(a, "--since") == 0 ||
                     strcmp(a, "--until") == 0 || strcmp(a, "--max-line") == 0;
        if (takes && (v == NULL || v[0] == '\0')) {
            fprintf(stderr, "sentinel report: %s needs a value\n", a);
            return EX_USAGE;
        }
        if (strcmp(a, "--format") == 0) {
            if (strcmp(v, "md") == 0 || strcmp(v, "markdown") == 0)
                o.format = REPORT_MD;
            else if (strcmp(v, "html") == 0)
                o.format = REPORT_HTML;
            else {
                fprintf(stderr, "sentinel report: --format takes md or html, not '%s'\n", v);
                return EX_USAGE;
            }
        } else if (strcmp(a, "--key") == 0) {
            key_path = v;
        } else if (strcmp(a, "--strict") == 0) {
            strict = true;
        } else if (strcmp(a, "--out") == 0) {
            out_path = v;
        } else if (strcmp(a, "--since") == 0 || strcmp(a, "--until") == 0) {
            int64_t t;
            if (report_parse_time(v, strlen(v), true, &t) < 0) {
                fprintf(stderr,
                        "sentinel report: %s takes an RFC 3339 time or a date (YYYY-MM-DD, "
                        "UTC), not '%s'\n",
                        a, v);
                return EX_USAGE;
            }
            if (a[2] == 's') {
                o.has_since = true;
                o.since_ns = t;
            } else {
                o.has_until = true;
                o.until_ns = t;
            }
        } else if (strcmp(a, "--max-line") == 0) {
            if (num_parse_size(v, 64, (size_t)2 << 30, &o.max_line) < 0) {
                fprintf(stderr, "sentinel report: --max-line must be 64 bytes .. 2G, got '%s'\n",
                        v);
                return EX_USAGE;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "sentinel report: unknown option '%s'\n", a);
            usage(stderr);
            return EX_USAGE;
        } else if (log_path == NULL) {
            log_path = a;
        } else {
            fprintf(stderr, "sentinel report: one audit log at a time ('%s', '%s')\n", log_path, a);
            return EX_USAGE;
        }
        if (takes)
            i++;
    }
    if (log_path == NULL) {
        fputs("sentinel report: which audit log? ", stderr);
        usage(stderr);
        return EX_USAGE;
    }
    if (o.has_since && o.has_until && o.until_ns <= o.since_ns) {
        fputs("sentinel report: --until must be later than --since\n", stderr);
        return EX_USAGE;
    }
    o.title_path = log_path;

    int status = 0, rc;
    char **files = NULL;
    size_t nfiles = 0;
    struct report *r = NULL;
    struct seal_keyring keys = {0};
    FILE *out = NULL;
    struct verify_job *vj = NULL;
    char tmp_path[PATH_MAX] = "";
    int fd = -1;
    bool owned = false;

    /* the active file first: a log that is not there is a usage error of its own (66) */
    if ((rc = file_open_input(log_path, &fd, &owned)) < 0) {
        fprintf(stderr, "sentinel report: cannot open audit log '%s': %s\n", log_path, err_str(rc));
        return EX_NOINPUT;
    }
    if (owned)
        close(fd);
    fd = -1;
    if (key_path != NULL) {
        char err[512] = "";
        if ((rc = seal_keyring_load(&keys, key_path, err, sizeof(err))) < 0) {
            fprintf(stderr, "sentinel report: --key: %s\n", err[0] ? err : seal_err_str(rc));
            return EX_NOINPUT;
        }
    }
    if ((rc = report_new(&r, &o)) < 0 || (rc = log_files(log_path, &files, &nfiles)) < 0) {
        fprintf(stderr, "sentinel report: %s\n", err_str(rc));
        status = EX_SOFTWARE;
        goto out;
    }

    /* 1. integrity: the verifier reads the log on its own, on a thread of its own while the
     * evidence is read here (each pass is bound by parsing; together they take the longer) */
    if (strcmp(log_path, "-") != 0) {
        if ((vj = calloc(1, sizeof(*vj))) == NULL) {
            status = EX_SOFTWARE;
            goto out;
        }
        vj->path = log_path;
        vj->keys = key_path ? &keys : NULL;
        if (pthread_create(&vj->thread, NULL, verify_thread, vj) == 0)
            vj->running = true;
        else
            verify_thread(vj);
    }

    /* 2. the evidence, one file after another */
    uint64_t read_id;
    bool read_changed;
    if ((status = read_files(r, files, nfiles, &read_id, &read_changed)) != 0)
        goto out;

    if (vj != NULL) {
        if (vj->running)
            pthread_join(vj->thread, NULL);
        vj->running = false;
        if (vj->vr.status == VERIFY_INTACT &&
            (read_changed || vj->vr.changed || read_id != vj->vr.files_id)) {
            /* the verifier and the count each open the files by name: they must have read the
             * same ones, unchanged, or what was verified is not what would be counted */
            fprintf(stderr,
                    "sentinel report: the log %s changed (a file written, replaced or "
                    "renamed) while it was being read: nothing is reported. Report on "
                    "a log no run is writing, or on a copy of it\n",
                    log_path);
            status = EX_IOERR;
            goto out;
        }
        report_set_integrity(r, &vj->vr, key_path);
        if (vj->vr.status != VERIFY_INTACT) {
            /* count only what the verifier accepted: read again, stopping where it stopped
             * (an intact log, the common case, is read once, beside the verifier) */
            report_free(r);
            r = NULL;
            if ((rc = report_new(&r, &o)) < 0) {
                fprintf(stderr, "sentinel report: %s\n", err_str(rc));
                status = EX_SOFTWARE;
                goto out;
            }
            report_set_integrity(r, &vj->vr, key_path);
            report_limit(r);
            if ((status = read_files(r, files, nfiles, &read_id, &read_changed)) != 0)
                goto out;
        }
        r->strict = strict;
    }

    /* 3. the report, written whole or not at all */
    if (out_path != NULL) {
        if ((size_t)snprintf(tmp_path, sizeof(tmp_path), "%s.tmp.%d", out_path, (int)getpid()) >=
            sizeof(tmp_path)) {
            fprintf(stderr, "sentinel report: --out: path too long\n");
            status = EX_CANTCREAT;
            goto out;
        }
        int ofd = open(tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (ofd < 0 || (out = fdopen(ofd, "w")) == NULL) {
            fprintf(stderr, "sentinel report: cannot create '%s': %s\n", out_path, strerror(errno));
            if (ofd >= 0)
                close(ofd);
            tmp_path[0] = '\0';
            status = EX_CANTCREAT;
            goto out;
        }
    }
    FILE *f = out ? out : stdout;
    rc = report_write(r, f);
    if (rc == 0 && fflush(f) != 0)
        rc = -EIO;
    if (out != NULL) {
        FILE *x = out;
        out = NULL;
        if (fclose(x) != 0)
            rc = -EIO;
        if (rc == 0 && rename(tmp_path, out_path) < 0)
            rc = -errno;
    }
    if (rc < 0) {
        fprintf(stderr, "sentinel report: cannot write the report: %s\n", err_str(rc));
        status = EX_IOERR;
        goto out;
    }
    tmp_path[0] = '\0';
    char why[512];
    const char *strict_why = strict ? report_strict(r, why, sizeof(why)) : NULL;
    if (strict_why != NULL) {
        fprintf(stderr, "sentinel report: --strict: %s; the report says so\n", strict_why);
        status = 1;
    } else if (!report_intact(r)) {
        if (r->verified && r->v.status == VERIFY_DAMAGED)
            fprintf(stderr,
                    "sentinel report: the log is damaged: %s at %s:%" PRIu64 " (seq %" PRIu64
                    "); the report says so\n",
                    r->v.damage ? r->v.damage : "?", r->v.file, r->v.line, r->v.seq);
        else if (r->verified)
            fprintf(stderr, "sentinel report: the log could not be verified: %s\n", r->v.message);
        else
            fprintf(stderr, "sentinel report: the log was not verified (standard input)\n");
        status = 1;
    }
out:
    if (vj != NULL && vj->running)
        pthread_join(vj->thread, NULL);
    free(vj);
    if (out != NULL)
        fclose(out);
    if (tmp_path[0] != '\0')
        unlink(tmp_path);
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    report_free(r);
    seal_keyring_free(&keys);
    return status;
}
