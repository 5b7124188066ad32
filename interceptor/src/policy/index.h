/*
 * index.h - which rules of a compiled policy could match a request, in rule order.
 *
 * Built once at load: every rule is filed under each method it applies to, by the literal
 * prefix or suffix of its name globs (or, for rules without names, of its URI globs), or on a
 * list checked for every request when a glob has neither. A cursor then yields the candidate
 * rule indices of one request in ascending order: a superset of the rules that match, so the
 * caller still runs the full check and first-match-wins is unchanged. Pure; the cursor lives on
 * the caller's stack and never allocates.
 */
#ifndef SENTINEL_POLICY_INDEX_H
#define SENTINEL_POLICY_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct policy;
struct policy_index;

/*
 * Build the index of p's rules into p->index (replacing nothing: p->index must be NULL).
 * The index borrows the rules' pattern texts, so it must be freed before them (policy_free
 * does). Returns 0, or -ENOMEM with p->index left NULL. A policy without an index is still
 * evaluated correctly, by walking every rule.
 */
int policy_index_build(struct policy *p);
void policy_index_free(struct policy_index *ix);

/* Sorted lists a cursor merges; a request that needs more walks every rule instead. */
#define POLICY_CURSOR_LISTS 32
#define POLICY_CURSOR_END SIZE_MAX

struct policy_cursor {
    const uint32_t *pos[POLICY_CURSOR_LISTS];
    const uint32_t *end[POLICY_CURSOR_LISTS];
    unsigned nlists;
    bool linear; /* walking 0..nrules-1 */
    size_t next; /* linear: the next rule index */
    size_t nrules;
};

/*
 * Start a cursor over the rules that could match a request of `method` (one PM_* bit) for
 * name and uri (either NULL when the request has none; both borrowed until the cursor is
 * done). Without an index, with a method that is not exactly one PM_* bit, or when the
 * request would need more than POLICY_CURSOR_LISTS lists, the cursor walks every rule.
 */
void policy_cursor_start(struct policy_cursor *c, const struct policy *p, unsigned method,
                         const char *name, size_t name_len, const char *uri, size_t uri_len);
/* A cursor over every rule, in order (the reference walk). */
void policy_cursor_linear(struct policy_cursor *c, const struct policy *p);
/* The next candidate rule index, strictly ascending, or POLICY_CURSOR_END. */
size_t policy_cursor_next(struct policy_cursor *c);

#endif
