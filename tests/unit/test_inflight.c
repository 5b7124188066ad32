/*
 * test_inflight.c - the pending-request table: put/find/take, its refusals (-EEXIST,
 * -ENOBUFS), tombstone reuse over long put/take churn, a randomized comparison against
 * a trivially correct model, and draining in insertion order.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "check.h"
#include "proxy/inflight.h"

static struct inflight_entry *mk(const char *key)
{
    struct inflight_entry *e = inflight_entry_new(key, strlen(key), key + 1, strlen(key) - 1);
    if (e == NULL)
        abort();
    return e;
}

static struct inflight_entry *mkn(const char *key, size_t n)
{
    struct inflight_entry *e = inflight_entry_new(key, n, "x", 1);
    if (e == NULL)
        abort();
    return e;
}

static struct inflight_entry *find(struct inflight *t, const char *key)
{
    return inflight_find(t, key, strlen(key));
}

static struct inflight_entry *take(struct inflight *t, const char *key)
{
    return inflight_take(t, key, strlen(key));
}

static void test_basic(void)
{
    struct inflight t;
    CHECK_INT(inflight_init(&t, 3), 0);
    CHECK_INT(t.count, 0);
    CHECK(find(&t, "i1") == NULL);
    CHECK(take(&t, "i1") == NULL);

    struct inflight_entry *a = mk("i1"), *b = mk("s1"), *c = mk("s\"1\"");
    CHECK_INT(inflight_put(&t, a), 0);
    CHECK_INT(inflight_put(&t, b), 0);
    CHECK_INT(t.count, 2);
    CHECK(find(&t, "i1") == a);
    CHECK(find(&t, "s1") == b); /* "1" and 1 are different requests */
    CHECK(find(&t, "i") == NULL);
    CHECK(find(&t, "i10") == NULL);
    CHECK(find(&t, "") == NULL);

    /* a key in use is refused and the entry stays the caller's */
    struct inflight_entry *dup = mk("i1");
    CHECK_INT(inflight_put(&t, dup), -EEXIST);
    CHECK(find(&t, "i1") == a);
    inflight_entry_free(dup);
    CHECK_INT(t.count, 2);

    CHECK_INT(inflight_put(&t, c), 0);
    CHECK_INT(t.count, 3);
    /* at the limit */
    struct inflight_entry *d = mk("i4");
    CHECK_INT(inflight_put(&t, d), -ENOBUFS);
    CHECK(find(&t, "i4") == NULL);
    CHECK_INT(t.count, 3);

    /* take hands the entry over; it is gone after that */
    CHECK(take(&t, "i1") == a);
    CHECK(take(&t, "i1") == NULL);
    CHECK(find(&t, "i1") == NULL);
    CHECK(find(&t, "s1") == b);
    CHECK_INT(t.count, 2);
    inflight_entry_free(a);
    /* room again */
    CHECK_INT(inflight_put(&t, d), 0);
    CHECK(find(&t, "i4") == d);
    /* the key freed by take can be used again */
    a = mk("i1");
    CHECK_INT(inflight_put(&t, a), -ENOBUFS);
    inflight_entry_free(take(&t, "s1"));
    CHECK_INT(inflight_put(&t, a), 0);
    CHECK(find(&t, "i1") == a);
    inflight_cleanup(&t); /* frees what is left */

    /* limit 0 refuses everything */
    CHECK_INT(inflight_init(&t, 0), 0);
    a = mk("i1");
    CHECK_INT(inflight_put(&t, a), -ENOBUFS);
    inflight_entry_free(a);
    inflight_cleanup(&t);
}

static void test_entry(void)
{
    struct inflight_entry *e = inflight_entry_new("s\0x", 3, "\"\\u0000x\"", 9);
    CHECK(e != NULL);
    if (e == NULL)
        return;
    CHECK_INT(e->key_len, 3);
    CHECK(memcmp(e->key, "s\0x", 3) == 0);
    CHECK_INT(e->key[3], 0);
    CHECK_MEM(e->raw_id, e->raw_len, "\"\\u0000x\"");
    CHECK_INT(e->raw_id[9], 0);
    CHECK(e->batch == NULL);
    CHECK_INT(e->kind, REQ_OTHER);
    /* keys with NUL bytes are compared by length */
    struct inflight t;
    inflight_init(&t, 10);
    CHECK_INT(inflight_put(&t, e), 0);
    struct inflight_entry *f = mkn("s\0y", 3);
    CHECK_INT(inflight_put(&t, f), 0);
    CHECK(inflight_find(&t, "s\0x", 3) == e);
    CHECK(inflight_find(&t, "s\0y", 3) == f);
    CHECK(inflight_find(&t, "s", 1) == NULL);
    CHECK(inflight_find(&t, "s\0", 2) == NULL);
    inflight_cleanup(&t);
    inflight_entry_free(NULL);
    /* empty key and raw */
    e = inflight_entry_new("", 0, "", 0);
    CHECK(e != NULL);
    if (e != NULL)
        CHECK_INT(e->key[0], 0);
    inflight_entry_free(e);
}

static void test_tombstones(void)
{
    struct inflight t;
    char key[32];
    CHECK_INT(inflight_init(&t, 1000), 0);
    /* ten long-lived entries */
    for (int i = 0; i < 10; i++) {
        snprintf(key, sizeof(key), "sheld%d", i);
        CHECK_INT(inflight_put(&t, mk(key)), 0);
    }
    size_t cap0 = t.cap;
    int bad = 0;
    /* 100k put/take cycles with fresh keys: tombstones must be reused or swept */
    for (int i = 0; i < 100000; i++) {
        snprintf(key, sizeof(key), "i%d", i);
        struct inflight_entry *e = mk(key);
        if (inflight_put(&t, e) != 0) {
            bad++;
            inflight_entry_free(e);
            continue;
        }
        if (t.count != 11 || find(&t, key) != e)
            bad++;
        if (take(&t, key) != e)
            bad++;
        inflight_entry_free(e);
        if (t.count != 10 || t.tombs >= t.cap / 2 + 1)
            bad++;
    }
    CHECK_INT(bad, 0);
    CHECK_INT(t.count, 10);
    CHECK_INT(t.cap, cap0); /* churn never grows the table */
    for (int i = 0; i < 10; i++) {
        snprintf(key, sizeof(key), "sheld%d", i);
        CHECK(find(&t, key) != NULL);
    }
    /* the same key over and over */
    bad = 0;
    for (int i = 0; i < 100000; i++) {
        struct inflight_entry *e = mk("i7");
        if (inflight_put(&t, e) != 0 || take(&t, "i7") != e)
            bad++;
        inflight_entry_free(e);
    }
    CHECK_INT(bad, 0);
    CHECK_INT(t.count, 10);
    CHECK_INT(t.cap, cap0);
    /* fill to the limit after all that churn, then refuse */
    bad = 0;
    for (int i = 0; i < 990; i++) {
        snprintf(key, sizeof(key), "ifill%d", i);
        if (inflight_put(&t, mk(key)) != 0)
            bad++;
    }
    CHECK_INT(bad, 0);
    CHECK_INT(t.count, 1000);
    struct inflight_entry *e = mk("ione-more");
    CHECK_INT(inflight_put(&t, e), -ENOBUFS);
    inflight_entry_free(e);
    CHECK(t.cap <= 4096); /* bounded by the limit, not by history */
    inflight_cleanup(&t);
}

/* xorshift: deterministic and good enough to shuffle keys */
static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void test_against_model(void)
{
    enum { NKEYS = 500, LIMIT = 200, OPS = 200000 };
    struct inflight t;
    struct inflight_entry *model[NKEYS] = {0};
    size_t live = 0;
    char key[32];
    int bad = 0;
    CHECK_INT(inflight_init(&t, LIMIT), 0);
    for (int op = 0; op < OPS; op++) {
        int k = (int)(rng() % NKEYS);
        snprintf(key, sizeof(key), "%c%d", k % 2 ? 'i' : 's', k / 2);
        switch (rng() % 3) {
        case 0: {
            struct inflight_entry *e = mk(key);
            int rc = inflight_put(&t, e);
            int want = model[k] ? -EEXIST : live >= LIMIT ? -ENOBUFS : 0;
            if (model[k] && live >= LIMIT)
                want = -ENOBUFS; /* the limit is checked first */
            if (rc != want)
                bad++;
            if (rc == 0) {
                model[k] = e;
                live++;
            } else {
                inflight_entry_free(e);
            }
            break;
        }
        case 1: {
            struct inflight_entry *e = take(&t, key);
            if (e != model[k])
                bad++;
            if (e != NULL) {
                inflight_entry_free(e);
                model[k] = NULL;
                live--;
            }
            break;
        }
        default:
            if (find(&t, key) != model[k])
                bad++;
            break;
        }
        if (t.count != live)
            bad++;
    }
    CHECK_INT(bad, 0);
    inflight_cleanup(&t);
}

static void test_drain(void)
{
    struct inflight t;
    char key[32];
    size_t n = 99;
    CHECK_INT(inflight_init(&t, 1000), 0);

    struct inflight_entry **v = inflight_drain(&t, &n);
    CHECK(v != NULL);
    CHECK_INT(n, 0);
    free(v);

    /* insert in an order unrelated to the hash, take some out, insert more; seq is the
     * insertion rank (every put succeeds) */
    for (int i = 0; i < 300; i++) {
        snprintf(key, sizeof(key), "s%08" PRIx64, rng());
        struct inflight_entry *e = mk(key);
        if (inflight_put(&t, e) != 0)
            inflight_entry_free(e);
    }
    CHECK_INT(t.count, 300);
    /* take every third one by walking the slots (whatever their order) */
    size_t taken = 0;
    for (size_t i = 0; i < t.cap && taken < 100; i++) {
        struct inflight_entry *e = t.slots[i];
        if (e == NULL || e == (struct inflight_entry *)1 || e->seq % 3 != 0)
            continue;
        CHECK(inflight_take(&t, e->key, e->key_len) == e);
        inflight_entry_free(e);
        taken++;
    }
    CHECK_INT(taken, 100);
    for (int i = 300; i < 350; i++) {
        snprintf(key, sizeof(key), "i%d", 1000000 - i);
        struct inflight_entry *e = mk(key);
        CHECK_INT(inflight_put(&t, e), 0);
    }
    size_t expect = t.count;
    CHECK_INT(expect, 250);
    v = inflight_drain(&t, &n);
    CHECK(v != NULL);
    CHECK_INT(n, expect);
    int bad = 0;
    for (size_t i = 0; v && i < n; i++) {
        if (i > 0 && (v[i]->seq <= v[i - 1]->seq))
            bad++;
        if (v[i]->seq % 3 == 0 && v[i]->seq < 300)
            bad++; /* a taken entry came back */
    }
    CHECK_INT(bad, 0);
    for (size_t i = 0; v && i < n; i++)
        inflight_entry_free(v[i]);
    free(v);
    /* the table is empty and usable afterwards */
    CHECK_INT(t.count, 0);
    CHECK(find(&t, "i999700") == NULL);
    struct inflight_entry *e = mk("i1");
    CHECK_INT(inflight_put(&t, e), 0);
    CHECK(find(&t, "i1") == e);
    v = inflight_drain(&t, &n);
    CHECK_INT(n, 1);
    CHECK(v != NULL && v[0] == e);
    inflight_entry_free(e);
    free(v);
    inflight_cleanup(&t);
}

int main(void)
{
    test_basic();
    test_entry();
    test_tombstones();
    test_against_model();
    test_drain();
    return check_done();
}
