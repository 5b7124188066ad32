/*
 * load_int.h - the loader's positioned YAML tree and helpers, shared by load.c (the native
 * language) and compat.c (the seed Sentinel's keys). Private to policy/.
 */
#ifndef SENTINEL_POLICY_LOAD_INT_H
#define SENTINEL_POLICY_LOAD_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "policy/policy.h"

#define YTREE_MAX_DEPTH 64
#define YTREE_MAX_NODES 200000

enum ytype { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
    enum ytype type;
    unsigned line, col;
    bool plain; /* unquoted scalar */
    char *str;  /* scalar bytes, NUL-terminated */
    size_t len;
    struct ynode **items; /* seq: elements; map: key, value, key, value... */
    size_t n, cap;
};

struct loader {
    const char *file;
    struct origin from; /* what file means: the policy's own, or a pack it includes */
    struct diag *d;
    size_t nodes;
    struct idset *ids; /* rule ids seen so far (shared with included packs) */
};

/* Open-addressing set of rule indices keyed by id: duplicate checks stay linear. */
struct idset {
    size_t *slots; /* rule index + 1; 0 = empty */
    size_t cap;
    size_t count;
};

void ynode_free(struct ynode *y);
/* Record an error at line:col in the loader's diag; returns SE_EPOLICY. */
int perr(struct loader *L, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
bool in_list(const char *const *list, const char *s);
/* Refuse key k: "not supported by this version" when it is in `future`, else unknown. */
int unknown_key(struct loader *L, const struct ynode *k, const char *const *future,
                const char *where);
/* m must be a mapping of plain, distinct, NUL-free keys. */
int check_map(struct loader *L, const struct ynode *m, const char *what);
int want_string(struct loader *L, const struct ynode *v, const char *key, char **out);
int want_number(struct loader *L, const struct ynode *v, const char *key, double min,
                double *out);
/* A glob or list of globs appended to *out (checked with glob_check). */
int add_patterns(struct loader *L, const struct ynode *v, const char *key, struct pattern **out,
                 size_t *n);
int compile_methods(struct loader *L, const struct ynode *v, unsigned *out);
int compile_cond(struct loader *L, const struct ynode *m, struct cond *c, int depth);
int want_bool(struct loader *L, const struct ynode *v, const char *key, bool *out);
/* A label or list of labels, interned and added to *s. */
int compile_labels(struct loader *L, const struct ynode *v, const char *key, struct labelset *s);

/* Append a zeroed rule to p (counted at once, so policy_free releases a partial one); NULL
 * when out of memory. Pointers to p->rules are invalidated. */
struct rule *rule_append(struct policy *p);
/* Finish r, appended by rule_append and filled in: prefix its id with "prefix:" (packs),
 * refuse a duplicate id (error at r->line:r->col), update p's summary flags. */
int rule_finish(struct loader *L, struct policy *p, struct rule *r, const char *prefix);

/* sandbox.c: the `sandbox:`, `audit:` and `identity:` sections (top: the including file
 * itself). */
int compile_sandbox(struct loader *L, const struct ynode *m, struct policy *p);
int compile_audit(struct loader *L, const struct ynode *m, struct policy *p, bool top);
int compile_identity(struct loader *L, const struct ynode *m, struct policy *p);

/* content.c: `spotlight:`, `schema:`, `pins:`. */
int compile_spotlight(struct loader *L, const struct ynode *m, struct policy *p, bool top);
int compile_schema(struct loader *L, const struct ynode *m, struct policy *p);
int compile_pins(struct loader *L, const struct ynode *m, struct policy *p);

/* compat.c: the seed Sentinel's top-level keys. */
bool compat_key(const char *key);
/*
 * Translate the Sentinel keys of document `root` (staticRules, taintRules, resourceRules,
 * toolClasses, protect_lethal_trifecta and their snake_case spellings) into rules and taint
 * flows appended to p. `has_default`: the document set `default` itself.
 */
int compat_translate(struct loader *L, const struct ynode *root, struct policy *p,
                     const char *prefix, bool has_default);

#endif
