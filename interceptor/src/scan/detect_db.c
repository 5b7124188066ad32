/*
 * detect_db.c - a detector's Vectorscan databases (the main one, the span and the check ones)
 * serialized into one blob and back. The build compiles the detectors sentinel uses
 * (detect_gen.c) and embeds their blobs, so that starting a scanning session costs a
 * deserialization (milliseconds) instead of a compile (0.4-0.6 s each). A blob that does not
 * fit - another Vectorscan version, a CPU without the instructions the build host had, a rule
 * table that changed - is refused, and detector_new compiles as before.
 *
 * Blob: "SDB1", families, the rule table's hash, nrules, nmain, then for the main database and
 * each rule's span and check database a length (0: none) and hs_serialize_database's bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/hash.h"
#include "scan/detect_int.h"

#define MAGIC 0x31424453u /* "SDB1" */

/* Everything in the rule table that shapes the databases. */
uint64_t detect_rules_hash(void)
{
    uint64_t h = hash_fnv1a64("", 0);
    for (size_t i = 0; i < detect_nrules; i++) {
        const struct rule *r = &detect_rules[i];
        uint64_t x[9] = {hash_fnv1a64(r->re, strlen(r->re)),
                         r->flags,
                         r->families,
                         r->kind,
                         r->vfy,
                         r->arg,
                         r->back,
                         r->phrase,
                         r->start ? hash_fnv1a64(r->start, strlen(r->start)) : 0};
        h = (h ^ hash_fnv1a64((const char *)x, sizeof(x))) * 0x100000001b3ull;
    }
    return h;
}

struct wr {
    char *p;
    size_t len, cap;
    int err;
};

static void put(struct wr *w, const void *src, size_t n)
{
    if (w->err)
        return;
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->len + n)
            cap *= 2;
        char *p = realloc(w->p, cap);
        if (!p) {
            w->err = -ENOMEM;
            return;
        }
        w->p = p;
        w->cap = cap;
    }
    memcpy(w->p + w->len, src, n);
    w->len += n;
}

static void put32(struct wr *w, uint32_t v)
{
    put(w, &v, sizeof(v));
}

static void put_db(struct wr *w, const hs_database_t *db)
{
    char *ser = NULL;
    size_t n = 0;
    if (db == NULL) {
        put32(w, 0);
        return;
    }
    if (hs_serialize_database(db, &ser, &n) != HS_SUCCESS || n > UINT32_MAX) {
        w->err = w->err ? w->err : -ENOMEM;
        free(ser);
        return;
    }
    put32(w, (uint32_t)n);
    put(w, ser, n);
    free(ser);
}

int detect_db_pack(const struct detector *d, char **out, size_t *len)
{
    struct wr w = {0};
    uint64_t h = detect_rules_hash();
    put32(&w, MAGIC);
    put32(&w, d->families);
    put(&w, &h, sizeof(h));
    put32(&w, (uint32_t)d->nrules);
    put32(&w, (uint32_t)d->nmain);
    put_db(&w, d->db);
    for (size_t i = 0; i < d->nrules; i++) {
        put_db(&w, d->span_db[i]);
        put_db(&w, d->check_db[i]);
    }
    if (w.err) {
        free(w.p);
        return w.err;
    }
    *out = w.p;
    *len = w.len;
    return 0;
}

struct rd {
    const char *p;
    size_t len, at;
};

static int get(struct rd *r, void *dst, size_t n)
{
    if (r->len - r->at < n)
        return -EINVAL;
    memcpy(dst, r->p + r->at, n);
    r->at += n;
    return 0;
}

static int get_db(struct rd *r, hs_database_t **db)
{
    uint32_t n;
    *db = NULL;
    if (get(r, &n, sizeof(n)) < 0 || r->len - r->at < n)
        return -EINVAL;
    if (n == 0)
        return 0;
    if (hs_deserialize_database(r->p + r->at, n, db) != HS_SUCCESS) {
        *db = NULL;
        return -EINVAL; /* another version or platform: the caller compiles */
    }
    r->at += n;
    return 0;
}

int detect_db_unpack(struct detector *d, const void *blob, size_t len)
{
    struct rd r = {.p = blob, .len = len};
    uint32_t magic, fam, nrules, nmain;
    uint64_t h;
    if (get(&r, &magic, 4) < 0 || get(&r, &fam, 4) < 0 || get(&r, &h, 8) < 0 ||
        get(&r, &nrules, 4) < 0 || get(&r, &nmain, 4) < 0 || magic != MAGIC || fam != d->families ||
        h != detect_rules_hash() || nrules != d->nrules || nmain != d->nmain)
        return -EINVAL;
    int rc = get_db(&r, &d->db);
    for (size_t i = 0; i < d->nrules && rc == 0; i++) {
        rc = get_db(&r, &d->span_db[i]);
        rc = rc ? rc : get_db(&r, &d->check_db[i]);
        /* the same shape detector_new would compile: a span database for each SOM rule */
        if (rc == 0 &&
            (d->span_db[i] != NULL) != ((d->rules[i]->flags & HS_FLAG_SOM_LEFTMOST) != 0))
            rc = -EINVAL;
    }
    if (rc == 0 && (d->db == NULL || r.at != r.len))
        rc = -EINVAL;
    if (rc < 0) { /* leave d as detector_new had it: nothing compiled yet */
        hs_free_database(d->db);
        d->db = NULL;
        for (size_t i = 0; i < d->nrules; i++) {
            hs_free_database(d->span_db[i]);
            hs_free_database(d->check_db[i]);
            d->span_db[i] = d->check_db[i] = NULL;
        }
    }
    return rc;
}

bool detect_db_embedded(unsigned families, const void **blob, size_t *len)
{
    for (size_t i = 0; i < detect_embedded_count; i++) {
        if (detect_embedded[i].families == families) {
            *blob = detect_embedded[i].start;
            *len = (size_t)(detect_embedded[i].end - detect_embedded[i].start);
            return *len > 0;
        }
    }
    return false;
}

void detect_db_release(const void *blob, size_t len)
{
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t lo, hi;
    if (page <= 0 || len == 0)
        return;
    lo = ((uintptr_t)blob + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    hi = ((uintptr_t)blob + len) & ~((uintptr_t)page - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_DONTNEED); /* advice only: nothing to undo */
}
