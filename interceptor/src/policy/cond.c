/*
 * cond.c - evaluation of `when` condition trees over request arguments (PCRE2 is used
 * only here and in its compile helper). Evaluation allocates nothing on the common path
 * and never guesses: an argument it cannot read or a regex that hits its limit is an
 * error, and the session denies.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "policy/cond.h"

#include <errno.h>
#include <math.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "mcp/json.h"

int cond_regex_compile(const char *pat, size_t len, void **out, char *err, size_t errlen,
                       size_t *at)
{
    int ec;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, len, PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C,
                                   &ec, &off, NULL);
    if (re == NULL) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(ec, msg, sizeof(msg));
        snprintf(err, errlen, "%s", (const char *)msg);
        *at = off;
        return -EINVAL;
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* best effort: the interpreter is the fallback */
    *out = re;
    return 0;
}

/* ---- reading a value by path ------------------------------------------------------ */

/* Node at `path` below `node`, or 0 when absent. -1 when the index cannot tell. */
static int64_t lookup(struct json_doc *doc, uint32_t node, const char *path, size_t len)
{
    size_t i = 0;
    while (i <= len) {
        size_t j = i;
        while (j < len && path[j] != '.')
            j++;
        const struct json_node *n = &doc->nodes[node];
        if (n->flags & JSON_F_PARTIAL)
            return -1;
        uint32_t next = 0;
        if (n->type == JSON_OBJECT) {
            next = json_get(doc, node, path + i, j - i);
        } else if (n->type == JSON_ARRAY) {
            size_t idx = 0;
            if (j == i || j - i > 9)
                return 0;
            for (size_t k = i; k < j; k++) {
                if (path[k] < '0' || path[k] > '9')
                    return 0;
                idx = idx * 10 + (size_t)(path[k] - '0');
            }
            uint32_t c = json_first(doc, node);
            for (size_t k = 0; c != 0 && k < idx; k++)
                c = doc->nodes[c].next;
            next = c;
        }
        if (next == 0)
            return 0;
        node = next;
        i = j + 1;
    }
    return node;
}

static int number_of(struct json_doc *doc, uint32_t node, double *out)
{
    const struct json_node *n = &doc->nodes[node];
    char tmp[64];
    size_t len = n->end - n->start;
    if (len >= sizeof(tmp)) {
        /* very long numerals: strtod on a copy bounded by the message */
        char *big = malloc(len + 1);
        if (big == NULL)
            return -ENOMEM;
        memcpy(big, doc->text + n->start, len);
        big[len] = '\0';
        *out = strtod(big, NULL);
        free(big);
        return 0;
    }
    memcpy(tmp, doc->text + n->start, len);
    tmp[len] = '\0';
    *out = strtod(tmp, NULL);
    return 0;
}

/* A JSON value read for comparison. Strings point into the text or `scratch`. */
struct jval {
    enum pval_type type;
    bool b;
    double num;
    const char *s;
    size_t len;
};

static int read_value(struct json_doc *doc, uint32_t node, struct buf *scratch, struct jval *v)
{
    const struct json_node *n = &doc->nodes[node];
    switch (n->type) {
    case JSON_NULL:
        v->type = PVAL_NULL;
        return 0;
    case JSON_TRUE:
    case JSON_FALSE:
        v->type = PVAL_BOOL;
        v->b = n->type == JSON_TRUE;
        return 0;
    case JSON_NUMBER:
        v->type = PVAL_NUMBER;
        return number_of(doc, node, &v->num);
    case JSON_STRING:
        v->type = PVAL_STRING;
        return json_str(doc, node, scratch, &v->s, &v->len);
    default:
        return 1; /* containers compare with nothing */
    }
}

static int cmp_eq(const struct jval *a, const struct pval *b)
{
    if ((int)a->type != (int)b->type)
        return 0;
    switch (b->type) {
    case PVAL_NULL:
        return 1;
    case PVAL_BOOL:
        return a->b == b->b;
    case PVAL_NUMBER:
        return a->num == b->num;
    case PVAL_STRING:
        return a->len == b->len && memcmp(a->s, b->s, b->len) == 0;
    }
    return 0;
}

/* -1, 0, 1 for ordered comparison; 2 when the types cannot be ordered. */
static int order(const struct jval *a, const struct pval *b)
{
    if (a->type == PVAL_NUMBER && b->type == PVAL_NUMBER) {
        if (isnan(a->num) || isnan(b->num))
            return 2;
        return a->num < b->num ? -1 : a->num > b->num;
    }
    if (a->type == PVAL_STRING && b->type == PVAL_STRING) {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = memcmp(a->s, b->s, n);
        if (c != 0)
            return c < 0 ? -1 : 1;
        return a->len < b->len ? -1 : a->len > b->len;
    }
    return 2;
}

static int regex_match(const struct cond *c, const char *s, size_t len)
{
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    int rc;
    if (md == NULL || mc == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    pcre2_set_match_limit(mc, COND_MATCH_LIMIT);
    pcre2_set_depth_limit(mc, COND_DEPTH_LIMIT);
    /* subjects are valid UTF-8: json.c refused anything else */
    int m = pcre2_match(c->re, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, md, mc);
    if (m >= 0)
        rc = 1;
    else if (m == PCRE2_ERROR_NOMATCH)
        rc = 0;
    else
        rc = -E2BIG; /* match or depth limit: cannot decide */
out:
    pcre2_match_data_free(md);
    pcre2_match_context_free(mc);
    return rc;
}

static const char *const fact_names[FACT_MAX] = {"any", "secret", "pii", "injection",
                                                "cmdi", "traversal", "url"};

int cond_fact_of(const char *name)
{
    for (int i = 0; i < FACT_MAX; i++)
        if (strcmp(fact_names[i], name) == 0)
            return i;
    return -1;
}

const char *cond_fact_name(int fact)
{
    return fact >= 0 && fact < FACT_MAX ? fact_names[fact] : "?";
}

bool cond_uses_facts(const struct cond *c)
{
    if (c->op == COND_ALL || c->op == COND_ANY || c->op == COND_NOT) {
        for (size_t i = 0; i < c->nkids; i++)
            if (cond_uses_facts(&c->kids[i]))
                return true;
        return false;
    }
    return c->fact > 0;
}

/* A fact leaf: a number compared like an argument (absent when the fact is not known). */
static int eval_fact(const struct cond *c, const struct cond_facts *facts)
{
    int f = c->fact - 1;
    bool present = facts != NULL && (facts->present >> f & 1u);
    if (c->op == COND_EXISTS)
        return present == c->exists;
    if (!present)
        return c->op == COND_NE || c->op == COND_NOT_IN;
    struct jval v = {.type = PVAL_NUMBER, .num = facts->v[f]};
    switch (c->op) {
    case COND_EQ:
        return cmp_eq(&v, &c->vals[0]);
    case COND_NE:
        return !cmp_eq(&v, &c->vals[0]);
    case COND_LT:
    case COND_LE:
    case COND_GT:
    case COND_GE: {
        int o = order(&v, &c->vals[0]);
        if (o == 2)
            return 0;
        return c->op == COND_LT ? o < 0 : c->op == COND_LE ? o <= 0 : c->op == COND_GT ? o > 0
                                                                                       : o >= 0;
    }
    case COND_IN:
    case COND_NOT_IN: {
        int hit = 0;
        for (size_t i = 0; i < c->nvals && !hit; i++)
            hit = cmp_eq(&v, &c->vals[i]);
        return c->op == COND_IN ? hit : !hit;
    }
    default:
        return 0; /* string operators on a number: false (refused at load) */
    }
}

static int eval_leaf(const struct cond *c, struct json_doc *doc, uint32_t args)
{
    int64_t node = 0;
    if (doc != NULL) {
        if (doc->truncated)
            return -E2BIG;
        node = lookup(doc, args, c->path, c->path_len);
        if (node < 0)
            return -E2BIG;
    }
    if (c->op == COND_EXISTS)
        return (node != 0) == c->exists;
    if (node == 0)
        return c->op == COND_NE || c->op == COND_NOT_IN;

    struct buf scratch;
    buf_init(&scratch, doc->len + 1);
    struct jval v = {0};
    int rc = read_value(doc, (uint32_t)node, &scratch, &v);
    const struct json_node *n = &doc->nodes[node];
    if (rc < 0)
        goto out;
    if (rc == 1 && !(c->op == COND_CONTAINS && n->type == JSON_ARRAY)) {
        /* an object or array compared to a scalar */
        rc = c->op == COND_NE || c->op == COND_NOT_IN;
        goto out;
    }
    switch (c->op) {
    case COND_EQ:
        rc = cmp_eq(&v, &c->vals[0]);
        break;
    case COND_NE:
        rc = !cmp_eq(&v, &c->vals[0]);
        break;
    case COND_LT:
    case COND_LE:
    case COND_GT:
    case COND_GE: {
        int o = order(&v, &c->vals[0]);
        if (o == 2)
            rc = 0;
        else
            rc = c->op == COND_LT ? o < 0 : c->op == COND_LE ? o <= 0 : c->op == COND_GT ? o > 0
                                                                                         : o >= 0;
        break;
    }
    case COND_IN:
    case COND_NOT_IN: {
        int hit = 0;
        for (size_t i = 0; i < c->nvals && !hit; i++)
            hit = cmp_eq(&v, &c->vals[i]);
        rc = c->op == COND_IN ? hit : !hit;
        break;
    }
    case COND_CONTAINS:
        if (n->type == JSON_ARRAY) {
            if (n->flags & JSON_F_PARTIAL) {
                rc = -E2BIG;
                break;
            }
            rc = 0;
            for (uint32_t e = json_first(doc, (uint32_t)node); e != 0 && rc == 0;
                 e = doc->nodes[e].next) {
                struct jval ev = {0};
                int r = read_value(doc, e, &scratch, &ev);
                if (r < 0) {
                    rc = r;
                    break;
                }
                rc = r == 0 && cmp_eq(&ev, &c->vals[0]);
            }
        } else {
            rc = v.type == PVAL_STRING && c->vals[0].type == PVAL_STRING &&
                 memmem(v.s, v.len, c->vals[0].s, c->vals[0].len) != NULL;
        }
        break;
    case COND_STARTSWITH:
        rc = v.type == PVAL_STRING && v.len >= c->vals[0].len &&
             memcmp(v.s, c->vals[0].s, c->vals[0].len) == 0;
        break;
    case COND_ENDSWITH:
        rc = v.type == PVAL_STRING && v.len >= c->vals[0].len &&
             memcmp(v.s + v.len - c->vals[0].len, c->vals[0].s, c->vals[0].len) == 0;
        break;
    case COND_MATCHES:
        rc = v.type == PVAL_STRING ? regex_match(c, v.s, v.len) : 0;
        break;
    default:
        rc = -EINVAL;
    }
out:
    buf_cleanup(&scratch);
    return rc;
}

int cond_eval(const struct cond *c, struct json_doc *doc, uint32_t args,
              const struct cond_facts *facts)
{
    switch (c->op) {
    case COND_ALL:
        for (size_t i = 0; i < c->nkids; i++) {
            int r = cond_eval(&c->kids[i], doc, args, facts);
            if (r <= 0)
                return r;
        }
        return 1;
    case COND_ANY: {
        int err = 0;
        for (size_t i = 0; i < c->nkids; i++) {
            int r = cond_eval(&c->kids[i], doc, args, facts);
            if (r == 1)
                return 1;
            if (r < 0)
                err = r;
        }
        return err ? err : 0;
    }
    case COND_NOT: {
        int r = cond_eval(&c->kids[0], doc, args, facts);
        return r < 0 ? r : !r;
    }
    default:
        return c->fact > 0 ? eval_fact(c, facts) : eval_leaf(c, doc, args);
    }
}

int cond_number_at(struct json_doc *doc, const char *path, size_t len, double *out)
{
    if (doc == NULL)
        return 1;
    if (doc->truncated)
        return -E2BIG;
    int64_t node = lookup(doc, 0, path, len);
    if (node < 0)
        return -E2BIG;
    if (node == 0 || doc->nodes[node].type != JSON_NUMBER)
        return 1;
    return number_of(doc, (uint32_t)node, out);
}

int64_t cond_lookup(struct json_doc *doc, uint32_t from, const char *path, size_t len)
{
    if (doc->truncated)
        return -E2BIG;
    return lookup(doc, from, path, len);
}

void cond_cleanup(struct cond *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->nkids; i++)
        cond_cleanup(&c->kids[i]);
    free(c->kids);
    for (size_t i = 0; i < c->nvals; i++)
        free(c->vals[i].s);
    free(c->vals);
    free(c->path);
    if (c->re)
        pcre2_code_free(c->re);
    memset(c, 0, sizeof(*c));
}
