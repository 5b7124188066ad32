/*
 * inflight.c - open-addressing hash table of pending requests (linear probing with
 * tombstones, FNV-1a). Sized to keep the load under one half; never grows past the
 * entry limit, so a peer cannot make it grow without bound.
 */
#include "proxy/inflight.h"


#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"

#define TOMB INFLIGHT_TOMB

int inflight_init(struct inflight *t, size_t limit)
{
    memset(t, 0, sizeof(*t));
    t->limit = limit;
    t->slots = calloc(64, sizeof(*t->slots));
    if (t->slots == NULL)
        return -ENOMEM; /* cap stays 0, so inflight_cleanup is still safe */
    t->cap = 64;
    return 0;
}

void inflight_cleanup(struct inflight *t)
{
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i] != NULL && t->slots[i] != TOMB)
            inflight_entry_free(t->slots[i]);
    free(t->slots);
    memset(t, 0, sizeof(*t));
}

static int rehash(struct inflight *t, size_t ncap)
{
    struct inflight_entry **ns = calloc(ncap, sizeof(*ns));
    if (ns == NULL)
        return -ENOMEM;
    for (size_t i = 0; i < t->cap; i++) {
        struct inflight_entry *e = t->slots[i];
        if (e == NULL || e == TOMB)
            continue;
        size_t j = hash_fnv1a64(e->key, e->key_len) & (ncap - 1);
        while (ns[j] != NULL)
            j = (j + 1) & (ncap - 1);
        ns[j] = e;
    }
    free(t->slots);
    t->slots = ns;
    t->cap = ncap;
    t->tombs = 0;
    return 0;
}

static size_t find_slot(const struct inflight *t, const char *key, size_t len, bool *found)
{
    size_t i = hash_fnv1a64(key, len) & (t->cap - 1), first_tomb = (size_t)-1;
    for (;;) {
        struct inflight_entry *e = t->slots[i];
        if (e == NULL) {
            *found = false;
            return first_tomb != (size_t)-1 ? first_tomb : i;
        }
        if (e == TOMB) {
            if (first_tomb == (size_t)-1)
                first_tomb = i;
        } else if (e->key_len == len && memcmp(e->key, key, len) == 0) {
            *found = true;
            return i;
        }
        i = (i + 1) & (t->cap - 1);
    }
}

int inflight_put(struct inflight *t, struct inflight_entry *e)
{
    if (t->count >= t->limit)
        return -ENOBUFS;
    if ((t->count + t->tombs + 1) * 2 > t->cap) {
        size_t ncap = (t->count + 1) * 4 > t->cap ? t->cap * 2 : t->cap;
        int rc = rehash(t, ncap);
        if (rc < 0)
            return rc;
    }
    bool found;
    size_t i = find_slot(t, e->key, e->key_len, &found);
    if (found)
        return -EEXIST;
    if (t->slots[i] == TOMB)
        t->tombs--;
    e->seq = t->next_seq++;
    t->slots[i] = e;
    t->count++;
    return 0;
}

struct inflight_entry *inflight_find(struct inflight *t, const char *key, size_t len)
{
    bool found;
    size_t i = find_slot(t, key, len, &found);
    return found ? t->slots[i] : NULL;
}

struct inflight_entry *inflight_take(struct inflight *t, const char *key, size_t len)
{
    bool found;
    size_t i = find_slot(t, key, len, &found);
    if (!found)
        return NULL;
    struct inflight_entry *e = t->slots[i];
    t->slots[i] = TOMB;
    t->tombs++;
    t->count--;
    return e;
}

static int by_seq(const void *a, const void *b)
{
    const struct inflight_entry *x = *(struct inflight_entry *const *)a;
    const struct inflight_entry *y = *(struct inflight_entry *const *)b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

struct inflight_entry **inflight_drain(struct inflight *t, size_t *n)
{
    struct inflight_entry **v = malloc((t->count ? t->count : 1) * sizeof(*v));
    *n = 0;
    if (v == NULL)
        return NULL;
    for (size_t i = 0; i < t->cap; i++) {
        if (t->slots[i] != NULL && t->slots[i] != TOMB)
            v[(*n)++] = t->slots[i];
        t->slots[i] = NULL;
    }
    t->count = t->tombs = 0;
    qsort(v, *n, sizeof(*v), by_seq);
    return v;
}

struct inflight_entry *inflight_entry_new(const char *key, size_t key_len, const char *raw_id,
                                          size_t raw_len)
{
    /* one allocation: the entry, then its key and raw id (hot path: one per request) */
    struct inflight_entry *e = malloc(sizeof(*e) + key_len + 1 + raw_len + 1);
    if (e == NULL)
        return NULL;
    memset(e, 0, sizeof(*e));
    e->key = (char *)(e + 1);
    memcpy(e->key, key, key_len);
    e->key[key_len] = '\0';
    e->key_len = key_len;
    e->raw_id = e->key + key_len + 1;
    memcpy(e->raw_id, raw_id, raw_len);
    e->raw_id[raw_len] = '\0';
    e->raw_len = raw_len;
    return e;
}

void inflight_entry_free(struct inflight_entry *e)
{
    if (e == NULL)
        return;
    free(e->held_msg);
    free(e->what);
    free(e->target);
    free(e->decision_id);
    free(e->task);
    free(e);
}
