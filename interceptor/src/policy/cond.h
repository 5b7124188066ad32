/*
 * cond.h - `when` conditions of policy rules: compiled trees evaluated against the
 * arguments of a request.
 *
 * Leaves read one value by a dotted path into the arguments (`filters.region`, `items.0`)
 * and compare it: eq ne lt le gt ge in not_in contains startswith endswith matches
 * exists. Numbers compare as numbers, strings as exact bytes after JSON unescaping, and
 * values of different types are never equal. An absent value makes every comparison
 * false except `ne`, `not_in` (absent is not equal to anything) and `exists: false`.
 * Regexes are PCRE2 (UTF, JIT), compiled once at load, matched with a bounded match
 * and depth limit; a match that hits a limit is an evaluation error, which the caller
 * turns into a denial. Pure: no I/O.
 */
#ifndef SENTINEL_POLICY_COND_H
#define SENTINEL_POLICY_COND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_doc;

enum cond_op {
    COND_ALL = 1,
    COND_ANY,
    COND_NOT,
    COND_EQ,
    COND_NE,
    COND_LT,
    COND_LE,
    COND_GT,
    COND_GE,
    COND_IN,
    COND_NOT_IN,
    COND_CONTAINS,
    COND_STARTSWITH,
    COND_ENDSWITH,
    COND_MATCHES,
    COND_EXISTS,
};

enum pval_type { PVAL_NULL = 1, PVAL_BOOL, PVAL_NUMBER, PVAL_STRING };

struct pval {
    enum pval_type type;
    bool b;
    double num;
    char *s; /* owned; NUL-terminated, matched by length */
    size_t len;
};

/*
 * Facts about a request that are not in its arguments: the heuristic scanners' threat scores
 * (0..100) of its arguments, by category. A leaf `{threat_score: CATEGORY, OP: number}` reads
 * one; an absent fact (nothing scanned) compares like an absent argument.
 */
enum cond_fact {
    FACT_THREAT_ANY = 0, /* the highest of the categories below */
    FACT_THREAT_SECRET,
    FACT_THREAT_PII,
    FACT_THREAT_INJECTION,
    FACT_THREAT_CMDI,
    FACT_THREAT_TRAVERSAL,
    FACT_THREAT_URL,
    FACT_MAX
};
struct cond_facts {
    double v[FACT_MAX];
    unsigned present; /* bit per fact */
};
/* Why a request whose arguments could not be scored is denied (run, explain and replay alike:
 * rule "guard"). */
#define COND_FACTS_UNSCANNED "the arguments could not be scanned for threat scores; failing closed"
/* The fact named `name` (any, secret, pii, injection, cmdi, traversal, url), or -1. */
int cond_fact_of(const char *name);
const char *cond_fact_name(int fact);

struct cond {
    enum cond_op op;
    struct cond *kids; /* all/any: nkids; not: 1 */
    size_t nkids;
    char *path; /* dotted path into the arguments (leaves); NULL for a fact leaf */
    int fact;   /* a fact leaf: FACT_* + 1; 0 otherwise */
    size_t path_len;
    struct pval *vals; /* eq..endswith: 1; in/not_in: nvals */
    size_t nvals;
    void *re; /* pcre2_code * for matches */
    bool exists;
    unsigned line, col;
};

#define COND_MATCH_LIMIT 100000u
#define COND_DEPTH_LIMIT 1000u

/* Compile a regex; 0, or -EINVAL with PCRE2's message and the offset of the fault. */
int cond_regex_compile(const char *pat, size_t len, void **out, char *err, size_t errlen,
                       size_t *at);

/*
 * Evaluate against the arguments object `args` of `doc` (parsed with enough index depth
 * for the paths; a truncated index is an error). doc NULL means the request has no
 * arguments: every path is absent.
 * Returns 1 (holds), 0 (does not), or a negative code when it cannot be decided.
 */
int cond_eval(const struct cond *c, struct json_doc *doc, uint32_t args,
              const struct cond_facts *facts);
/* Does the tree read a fact? */
bool cond_uses_facts(const struct cond *c);

/* The number at `path` in the arguments: 0 and *out, 1 when absent or not a number,
 * negative when the index cannot tell. doc NULL: absent. */
int cond_number_at(struct json_doc *doc, const char *path, size_t len, double *out);

/* Node of the value at `path` below node `from`: >0, 0 when absent, negative when the index
 * cannot tell. */
int64_t cond_lookup(struct json_doc *doc, uint32_t from, const char *path, size_t len);

void cond_cleanup(struct cond *c);

#endif
