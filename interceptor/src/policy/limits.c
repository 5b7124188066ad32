/*
 * limits.c - budget and rate state of one session. One open-addressing table of string
 * keys ("b" + budget key, "r" + rule id [+ NUL + tool]); entries are never evicted while
 * the session lives, so a budget cannot be reset by flooding the table: a full table
 * refuses new keys instead.
 */
#include "policy/limits.h"


#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"

struct entry {
    char *key;
    size_t key_len;
    double used;      /* budget: sum charged so far */
    uint64_t win;     /* rate: start of the current window */
    uint64_t cur;     /* rate: calls in the current window */
    uint64_t prev;    /* rate: calls in the previous window */
};

struct limits {
    struct entry *slots;
    size_t cap, count;
};

struct limits *limits_new(void)
{
    return calloc(1, sizeof(struct limits));
}

void limits_free(struct limits *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->cap; i++)
        free(l->slots[i].key);
    free(l->slots);
    free(l);
}

static struct entry *find(struct limits *l, const char *key, size_t len, int *err)
{
    if ((l->count + 1) * 2 > l->cap) {
        if (l->count >= LIMITS_MAX_ENTRIES) {
            /* look up only: an existing key may still be charged */
        } else {
            size_t ncap = l->cap ? l->cap * 2 : 64;
            struct entry *ns = calloc(ncap, sizeof(*ns));
            if (ns == NULL) {
                *err = -ENOMEM;
                return NULL;
            }
            for (size_t i = 0; i < l->cap; i++) {
                if (l->slots[i].key == NULL)
                    continue;
                size_t j = hash_fnv1a64(l->slots[i].key, l->slots[i].key_len) & (ncap - 1);
                while (ns[j].key != NULL)
                    j = (j + 1) & (ncap - 1);
                ns[j] = l->slots[i];
            }
            free(l->slots);
            l->slots = ns;
            l->cap = ncap;
        }
    }
    size_t j = hash_fnv1a64(key, len) & (l->cap - 1);
    for (; l->slots[j].key != NULL; j = (j + 1) & (l->cap - 1))
        if (l->slots[j].key_len == len && memcmp(l->slots[j].key, key, len) == 0)
            return &l->slots[j];
    if (l->count >= LIMITS_MAX_ENTRIES) {
        *err = -ENOSPC;
        return NULL;
    }
    struct entry *e = &l->slots[j];
    e->key = malloc(len);
    if (e->key == NULL) {
        *err = -ENOMEM;
        return NULL;
    }
    memcpy(e->key, key, len);
    e->key_len = len;
    l->count++;
    return e;
}

/* Calls counted in the sliding window ending at now. */
static double rate_estimate(const struct entry *e, uint64_t window, uint64_t now)
{
    uint64_t into = now - e->win;
    double prev_weight = 1.0 - (double)into / (double)window;
    return (double)e->prev * (prev_weight > 0 ? prev_weight : 0) + (double)e->cur;
}

static void rate_advance(struct entry *e, uint64_t window, uint64_t now)
{
    if (e->win == 0 && e->cur == 0 && e->prev == 0) {
        e->win = now;
        return;
    }
    if (now < e->win)
        return; /* a clock that went back: keep the window */
    uint64_t windows = (now - e->win) / window;
    if (windows == 0)
        return;
    e->prev = windows == 1 ? e->cur : 0;
    e->cur = 0;
    e->win += windows * window;
}

int limits_charge(struct limits *l, const struct rule *r, const struct policy_request *req,
                  uint64_t now_ms, char *why, size_t whylen)
{
    struct entry *budget = NULL, *rate = NULL;
    double amount = 1;
    int err = 0;
    char key[600];
    size_t klen;

    if (r->budget_key != NULL) {
        if (r->budget_sum != NULL) {
            int rc = cond_number_at(req->args, r->budget_sum, strlen(r->budget_sum), &amount);
            if (rc != 0 || !isfinite(amount) || amount < 0) {
                snprintf(why, whylen, "budget '%s' sums '%s', and the call has no number >= 0 there",
                         r->budget_key, r->budget_sum);
                return -EINVAL;
            }
        }
        klen = (size_t)snprintf(key, sizeof(key), "b%s", r->budget_key);
        if (klen >= sizeof(key))
            klen = sizeof(key) - 1;
        if ((budget = find(l, key, klen, &err)) == NULL)
            goto full;
        if (budget->used + amount > r->budget_limit) {
            snprintf(why, whylen, "budget '%s' exhausted: %g used + %g > limit %g", r->budget_key,
                     budget->used, amount, r->budget_limit);
            return 1;
        }
    }
    if (r->rate_calls > 0) {
        klen = (size_t)snprintf(key, sizeof(key), "r%s", r->id);
        if (klen >= sizeof(key))
            klen = sizeof(key) - 1;
        if (r->rate_per_tool && req->name != NULL) {
            size_t room = sizeof(key) - klen - 1;
            size_t n = req->name_len < room ? req->name_len : room;
            key[klen++] = '\0';
            memcpy(key + klen, req->name, n);
            klen += n;
        }
        if ((rate = find(l, key, klen, &err)) == NULL)
            goto full;
        rate_advance(rate, r->rate_window_ms, now_ms);
        if (rate_estimate(rate, r->rate_window_ms, now_ms) + 1 > (double)r->rate_calls) {
            snprintf(why, whylen, "rate limit of %llu calls per %llu ms reached (rule '%s')",
                     (unsigned long long)r->rate_calls, (unsigned long long)r->rate_window_ms,
                     r->id);
            return 1;
        }
    }
    /* both hold: charge both */
    if (budget != NULL)
        budget->used += amount;
    if (rate != NULL)
        rate->cur++;
    return 0;
full:
    snprintf(why, whylen, "budget and rate state is full (%d keys) or out of memory; failing closed",
             LIMITS_MAX_ENTRIES);
    return err ? err : -ENOSPC;
}
