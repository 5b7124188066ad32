/*
 * labels.h - session labels (taint) as small bit sets.
 *
 * A label is a name ("secret", "pii", "ACCESS_PRIVATE"); names are interned once per process
 * into ids 0..LABELS_MAX-1, so a session's labels are a fixed-size bit set that survives policy
 * reloads (a reloaded policy interns the same names to the same ids). Interning takes a mutex
 * (policies compile on the thread pool); reading names and set operations do not.
 * Names are compared as exact bytes: "PII" and "pii" are two labels.
 */
#ifndef SENTINEL_POLICY_LABELS_H
#define SENTINEL_POLICY_LABELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LABELS_MAX 128
#define LABEL_NAME_MAX 64

struct labelset {
    uint64_t w[LABELS_MAX / 64];
};

/* The id of `name` (interned on first use): 0..LABELS_MAX-1, -ENAMETOOLONG for a name longer
 * than LABEL_NAME_MAX or not made of [A-Za-z0-9_.:-], -ENOSPC when LABELS_MAX names exist. */
int label_intern(const char *name, size_t len);
/* The id of an already interned name, or -1. */
int label_find(const char *name, size_t len);
/* The name of id (NULL for an id never interned). */
const char *label_name(int id);

static inline void labelset_add(struct labelset *s, int id)
{
    s->w[id >> 6] |= UINT64_C(1) << (id & 63);
}
static inline void labelset_del(struct labelset *s, int id)
{
    s->w[id >> 6] &= ~(UINT64_C(1) << (id & 63));
}
static inline bool labelset_has(const struct labelset *s, int id)
{
    return (s->w[id >> 6] >> (id & 63)) & 1;
}
static inline bool labelset_empty(const struct labelset *s)
{
    for (size_t i = 0; i < LABELS_MAX / 64; i++)
        if (s->w[i])
            return false;
    return true;
}
/* a ∩ b ≠ ∅ */
static inline bool labelset_meets(const struct labelset *a, const struct labelset *b)
{
    for (size_t i = 0; i < LABELS_MAX / 64; i++)
        if (a->w[i] & b->w[i])
            return true;
    return false;
}
/* sub ⊆ s */
static inline bool labelset_covers(const struct labelset *s, const struct labelset *sub)
{
    for (size_t i = 0; i < LABELS_MAX / 64; i++)
        if ((s->w[i] & sub->w[i]) != sub->w[i])
            return false;
    return true;
}
static inline void labelset_union(struct labelset *s, const struct labelset *o)
{
    for (size_t i = 0; i < LABELS_MAX / 64; i++)
        s->w[i] |= o->w[i];
}
static inline void labelset_minus(struct labelset *s, const struct labelset *o)
{
    for (size_t i = 0; i < LABELS_MAX / 64; i++)
        s->w[i] &= ~o->w[i];
}

/* Parse "a,b,c" (labels separated by commas, no spaces) into *s, interning each. 0 or -errno
 * with the offending label's offset in *bad. */
int labelset_parse(const char *list, struct labelset *s, size_t *bad);

#endif
