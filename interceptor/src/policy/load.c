/*
 * load.c - YAML policy files to a compiled struct policy (libyaml is used only here).
 *
 * Events are first built into a small positioned tree so every error can name its
 * file:line:col, then the tree is compiled. Refused outright: aliases and anchors (no
 * billion-laughs expansion), explicit tags, duplicate mapping keys, nesting deeper than
 * YTREE_MAX_DEPTH, more than YTREE_MAX_NODES nodes, files over POLICY_MAX_FILE, and any
 * key this version cannot enforce.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "policy/glob.h"
#include "base/hash.h"
#include "policy/index.h"
#include "policy/packs.h"
#include "policy/policy.h"
#include "base/term.h"
#include "policy/load_int.h"

void ynode_free(struct ynode *y)
{
    if (y == NULL)
        return;
    for (size_t i = 0; i < y->n; i++)
        ynode_free(y->items[i]);
    free(y->items);
    free(y->str);
    free(y);
}

int perr(struct loader *L, unsigned line, unsigned col, const char *fmt, ...)
{
    if (L->d == NULL)
        return SE_EPOLICY;
    va_list ap;
    va_start(ap, fmt);
    L->d->file = L->file;
    L->d->line = line;
    L->d->col = col;
    vsnprintf(L->d->msg, sizeof(L->d->msg), fmt, ap);
    va_end(ap);
    return SE_EPOLICY;
}

static int push_item(struct ynode *parent, struct ynode *child)
{
    if (parent->n == parent->cap) {
        size_t ncap = parent->cap ? parent->cap * 2 : 8;
        struct ynode **p = realloc(parent->items, ncap * sizeof(*p));
        if (p == NULL)
            return -ENOMEM;
        parent->items = p;
        parent->cap = ncap;
    }
    parent->items[parent->n++] = child;
    return 0;
}

/* Build the tree of the single document in `text`. */
static int build_tree(struct loader *L, const char *text, size_t len, struct ynode **root)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    struct ynode *stack[YTREE_MAX_DEPTH + 1];
    int depth = 0;
    int rc = 0;
    bool done = false;
    *root = NULL;

    /* a byte-order mark (editors on Windows write one) is not part of the text; bad UTF-8 is
     * named where it is (libyaml's reader says 1:1 for any of it) */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    size_t bad = utf8_find_invalid(text, len);
    if (bad < len) {
        unsigned line = 1, col = 1;
        for (size_t i = 0; i < bad; i++) {
            if (text[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
                col++; /* columns count characters */
            }
        }
        return perr(L, line, col, "not valid UTF-8 (byte 0x%02X)", (unsigned char)text[bad]);
    }
    if (!yaml_parser_initialize(&parser))
        return -ENOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

    while (!done) {
        if (!yaml_parser_parse(&parser, &ev)) {
            /* `tools: [*]`: the glob everyone writes first is, unquoted, a broken alias */
            bool alias = parser.context != NULL && strstr(parser.context, "an alias") != NULL;
            rc = perr(L, (unsigned)parser.problem_mark.line + 1,
                      (unsigned)parser.problem_mark.column + 1, "YAML syntax error: %s%s%s%s",
                      parser.problem ? parser.problem : "unknown",
                      parser.context ? " " : "", parser.context ? parser.context : "",
                      alias ? " (a bare * starts a YAML alias: quote it: '*')" : "");
            goto out;
        }
        unsigned line = (unsigned)ev.start_mark.line + 1, col = (unsigned)ev.start_mark.column + 1;
        struct ynode *n = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (*root != NULL) {
                rc = perr(L, line, col, "a policy file holds exactly one YAML document");
                goto out_ev;
            }
            break;
        case YAML_ALIAS_EVENT:
            rc = perr(L, line, col,
                      "YAML aliases are not supported in policies (quote a glob that "
                      "starts with '*')");
            goto out_ev;
        case YAML_SCALAR_EVENT:
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            const unsigned char *anchor = ev.type == YAML_SCALAR_EVENT ? ev.data.scalar.anchor
                                          : ev.type == YAML_SEQUENCE_START_EVENT
                                              ? ev.data.sequence_start.anchor
                                              : ev.data.mapping_start.anchor;
            const unsigned char *tag = ev.type == YAML_SCALAR_EVENT ? ev.data.scalar.tag
                                       : ev.type == YAML_SEQUENCE_START_EVENT
                                           ? ev.data.sequence_start.tag
                                           : ev.data.mapping_start.tag;
            if (anchor != NULL) {
                rc = perr(L, line, col, "YAML anchors are not supported in policies");
                goto out_ev;
            }
            if (tag != NULL) {
                rc = perr(L, line, col, "explicit YAML tags are not supported in policies");
                goto out_ev;
            }
            if (++L->nodes > YTREE_MAX_NODES) {
                rc = perr(L, line, col, "policy has more than %d YAML nodes", YTREE_MAX_NODES);
                goto out_ev;
            }
            n = calloc(1, sizeof(*n));
            if (n == NULL) {
                rc = -ENOMEM;
                goto out_ev;
            }
            n->line = line;
            n->col = col;
            if (ev.type == YAML_SCALAR_EVENT) {
                n->type = Y_SCALAR;
                n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
                n->len = ev.data.scalar.length;
                n->str = malloc(n->len + 1);
                if (n->str == NULL) {
                    free(n);
                    rc = -ENOMEM;
                    goto out_ev;
                }
                memcpy(n->str, ev.data.scalar.value, n->len);
                n->str[n->len] = '\0';
            } else {
                n->type = ev.type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP;
            }
            if (depth == 0) {
                *root = n;
            } else if ((rc = push_item(stack[depth - 1], n)) < 0) {
                ynode_free(n);
                goto out_ev;
            }
            if (n->type != Y_SCALAR) {
                if (depth >= YTREE_MAX_DEPTH) {
                    rc = perr(L, line, col, "policy nests deeper than %d levels",
                              YTREE_MAX_DEPTH);
                    goto out_ev;
                }
                stack[depth++] = n;
            }
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
        continue;
    out_ev:
        yaml_event_delete(&ev);
        goto out;
    }
out:
    yaml_parser_delete(&parser);
    if (rc < 0) {
        ynode_free(*root);
        *root = NULL;
    }
    return rc;
}

/* ---- compile --------------------------------------------------------------------- */

static const char *const future_top_keys[] = {NULL};
static const char *const future_rule_keys[] = {NULL};

bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

int unknown_key(struct loader *L, const struct ynode *k, const char *const *future,
                       const char *where)
{
    if (in_list(future, k->str))
        return perr(L, k->line, k->col,
                    "'%s' is not supported by this version of sentinel; refusing to load a "
                    "policy that would not be enforced as written",
                    k->str);
    return perr(L, k->line, k->col, "unknown key '%s' in %s", k->str, where);
}

int check_map(struct loader *L, const struct ynode *m, const char *what)
{
    if (m->type != Y_MAP)
        return perr(L, m->line, m->col, "%s must be a mapping", what);
    for (size_t i = 0; i < m->n; i += 2) {
        const struct ynode *k = m->items[i];
        if (k->type != Y_SCALAR)
            return perr(L, k->line, k->col, "keys in %s must be plain names", what);
        if (strlen(k->str) != k->len) /* "tools\0x" must not read as "tools" */
            return perr(L, k->line, k->col, "keys in %s must not contain NUL characters", what);
        for (size_t j = 0; j < i; j += 2)
            if (strcmp(m->items[j]->str, k->str) == 0)
                return perr(L, k->line, k->col, "duplicate key '%s' in %s (first at line %u)",
                            k->str, what, m->items[j]->line);
    }
    return 0;
}

int want_string(struct loader *L, const struct ynode *v, const char *key, char **out)
{
    if (v->type != Y_SCALAR)
        return perr(L, v->line, v->col, "'%s' must be a string", key);
    if (strlen(v->str) != v->len)
        return perr(L, v->line, v->col, "'%s' must not contain NUL characters", key);
    *out = strdup(v->str);
    return *out ? 0 : -ENOMEM;
}

static int want_effect(struct loader *L, const struct ynode *v, const char *key, enum effect *e)
{
    static const struct {
        const char *name;
        enum effect e;
    } effects[] = {{"allow", EFFECT_ALLOW},   {"deny", EFFECT_DENY},
                   {"redact", EFFECT_REDACT}, {"approve", EFFECT_APPROVE},
                   {"observe", EFFECT_OBSERVE}};
    bool rule = strcmp(key, "effect") == 0;
    for (size_t i = 0; v->type == Y_SCALAR && strlen(v->str) == v->len &&
                       i < sizeof(effects) / sizeof(effects[0]);
         i++) {
        if (strcmp(v->str, effects[i].name) != 0)
            continue;
        if (!rule && effects[i].e != EFFECT_ALLOW && effects[i].e != EFFECT_DENY)
            break;
        *e = effects[i].e;
        return 0;
    }
    return perr(L, v->line, v->col, rule ? "effect must be allow, deny, approve, redact or observe"
                                         : "%s must be 'allow' or 'deny'",
                key);
}

/* ---- conditions ------------------------------------------------------------------- */

#define COND_MAX_DEPTH 32

/*
 * YAML reads these plain scalars as numbers (hex, octal, binary, digits with '_', .inf,
 * .nan), this loader does not: compared as strings they would never equal or order against a
 * number, and a numeric deny would silently never fire. What to write instead, or NULL.
 */
static bool is_digit_c(char c)
{
    return c >= '0' && c <= '9';
}

static const char *number_lookalike(const char *s, char *why, size_t cap)
{
    const char *p = s + (*s == '+' || *s == '-');
    if (strcmp(p, ".inf") == 0 || strcmp(p, ".Inf") == 0 || strcmp(p, ".INF") == 0 ||
        strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 || strcmp(s, ".NAN") == 0)
        return "infinity and NaN are not numbers a JSON argument can hold; quote it to compare "
               "a string";
    int base = 0;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        base = 16;
    else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
        base = 8;
    else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
        base = 2;
    const char *digits = base ? p + 2 : p;
    size_t n = strlen(digits);
    if (n == 0)
        return NULL;
    bool underscore = strchr(digits, '_') != NULL;
    const char *set = base == 16 ? "0123456789abcdefABCDEF_" : base == 8 ? "01234567_"
                      : base == 2 ? "01_" : "0123456789_.eE+-";
    if (strspn(digits, set) != n || (!base && !underscore) || !(digits[0] >= '0' && digits[0] <= '9'))
        return NULL;
    char clean[64];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof(clean); i++)
        if (digits[i] != '_')
            clean[k++] = digits[i];
    clean[k] = '\0';
    if (base) {
        errno = 0;
        unsigned long long u = strtoull(clean, NULL, base);
        if (errno == 0 && k > 0 && k < sizeof(clean) - 1) {
            snprintf(why, cap, "YAML reads it as the number %s%llu: write it in decimal (%s%llu), "
                     "or quote it to compare a string", *s == '-' ? "-" : "", u,
                     *s == '-' ? "-" : "", u);
            return why;
        }
    }
    return "YAML reads it as a number: write numbers in decimal without '_' separators, or "
           "quote it to compare a string";
}

static int scalar_pval(struct loader *L, const struct ynode *v, struct pval *out)
{
    if (v->type != Y_SCALAR)
        return perr(L, v->line, v->col, "a condition value must be a scalar");
    if (v->plain) {
        /* YAML 1.2's core schema: each in three spellings */
        if (v->len == 0 || strcmp(v->str, "~") == 0 || strcmp(v->str, "null") == 0 ||
            strcmp(v->str, "Null") == 0 || strcmp(v->str, "NULL") == 0) {
            out->type = PVAL_NULL;
            return 0;
        }
        static const char *const bools[] = {"true", "True", "TRUE", "false", "False", "FALSE"};
        for (size_t i = 0; i < 6; i++)
            if (strcmp(v->str, bools[i]) == 0) {
                out->type = PVAL_BOOL;
                out->b = i < 3;
                return 0;
            }
        /* YAML 1.1 (PyYAML) reads these as booleans, YAML 1.2 as strings: say which */
        static const char *const words[] = {"yes", "Yes", "YES", "no", "No", "NO", "on", "On",
                                            "ON", "off", "Off", "OFF"};
        for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
            if (strcmp(v->str, words[i]) == 0)
                return perr(L, v->line, v->col,
                            "'%s' is a boolean in YAML 1.1 and a string in YAML 1.2: write true "
                            "or false, or quote it ('%s') to compare a string",
                            v->str, v->str);
        /* 0777: octal in YAML 1.1, decimal in 1.2 */
        const char *dg = v->str + (v->str[0] == '-' || v->str[0] == '+');
        if (dg[0] == '0' && is_digit_c(dg[1]) && strspn(dg, "0123456789") == strlen(dg))
            return perr(L, v->line, v->col,
                        "'%s': a leading zero makes it octal in YAML 1.1 and decimal in 1.2: "
                        "write it without the zero, or quote it to compare a string",
                        v->str);
        char *end;
        errno = 0;
        double d = strtod(v->str, &end);
        bool numeral = end != v->str && *end == '\0' && strspn(v->str, "+-0123456789.eE") == v->len;
        if (numeral && (errno == 0 || (errno == ERANGE && d != 0 && isfinite(d))) && isfinite(d)) {
            out->type = PVAL_NUMBER;
            out->num = d;
            return 0;
        }
        if (numeral) /* 1e999, 1e-400: no double holds it */
            return perr(L, v->line, v->col,
                        "'%s' is out of the range of numbers (doubles) a condition compares; "
                        "quote it to compare a string", v->str);
        char why[200];
        const char *alt = number_lookalike(v->str, why, sizeof(why));
        if (alt != NULL)
            return perr(L, v->line, v->col, "'%s': %s", v->str, alt);
    }
    out->type = PVAL_STRING;
    out->s = malloc(v->len + 1);
    if (out->s == NULL)
        return -ENOMEM;
    memcpy(out->s, v->str, v->len + 1);
    out->len = v->len;
    return 0;
}

static const struct {
    const char *key;
    enum cond_op op;
} cond_ops[] = {
    {"eq", COND_EQ},
    {"ne", COND_NE},
    {"lt", COND_LT},
    {"le", COND_LE},
    {"gt", COND_GT},
    {"ge", COND_GE},
    {"in", COND_IN},
    {"not_in", COND_NOT_IN},
    {"contains", COND_CONTAINS},
    {"startswith", COND_STARTSWITH},
    {"endswith", COND_ENDSWITH},
    {"matches", COND_MATCHES},
    {"exists", COND_EXISTS},
};


static int compile_kids(struct loader *L, const struct ynode *v, struct cond *c, int depth,
                        const char *what)
{
    if (v->type != Y_SEQ || v->n == 0)
        return perr(L, v->line, v->col, "'%s' takes a non-empty list of conditions", what);
    c->kids = calloc(v->n, sizeof(*c->kids));
    if (c->kids == NULL)
        return -ENOMEM;
    for (size_t i = 0; i < v->n; i++) {
        c->nkids = i + 1;
        int rc = compile_cond(L, v->items[i], &c->kids[i], depth + 1);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The operator and value of a leaf (c->op set). */
static int compile_leaf_value(struct loader *L, struct cond *c, const struct ynode *opk,
                              const struct ynode *opv)
{
    int rc;
    switch (c->op) {
    case COND_EXISTS:
        if (opv->type != Y_SCALAR || !opv->plain ||
            (strcmp(opv->str, "true") != 0 && strcmp(opv->str, "false") != 0))
            return perr(L, opv->line, opv->col, "'exists' takes true or false");
        c->exists = opv->str[0] == 't';
        return 0;
    case COND_IN:
    case COND_NOT_IN:
        if (opv->type != Y_SEQ || opv->n == 0)
            return perr(L, opv->line, opv->col, "'%s' takes a non-empty list", opk->str);
        c->vals = calloc(opv->n, sizeof(*c->vals));
        if (c->vals == NULL)
            return -ENOMEM;
        for (size_t i = 0; i < opv->n; i++) {
            c->nvals = i + 1;
            if ((rc = scalar_pval(L, opv->items[i], &c->vals[i])) < 0)
                return rc;
        }
        return 0;
    default:
        break;
    }
    c->vals = calloc(1, sizeof(*c->vals));
    if (c->vals == NULL)
        return -ENOMEM;
    c->nvals = 1;
    if ((rc = scalar_pval(L, opv, &c->vals[0])) < 0)
        return rc;
    bool needs_string = c->op == COND_STARTSWITH || c->op == COND_ENDSWITH || c->op == COND_MATCHES;
    if (needs_string && c->vals[0].type != PVAL_STRING)
        return perr(L, opv->line, opv->col, "'%s' takes a string (quote it)", opk->str);
    if (c->op == COND_MATCHES) {
        char err[200];
        size_t at = 0;
        if (strlen(opv->str) != opv->len)
            return perr(L, opv->line, opv->col, "regex must not contain NUL characters");
        if (cond_regex_compile(opv->str, opv->len, &c->re, err, sizeof(err), &at) < 0)
            return perr(L, opv->line, opv->col, "invalid regex (at offset %zu): %s", at, err);
    }
    return 0;
}

int compile_cond(struct loader *L, const struct ynode *m, struct cond *c, int depth)
{
    if (depth > COND_MAX_DEPTH)
        return perr(L, m->line, m->col, "conditions nest deeper than %d", COND_MAX_DEPTH);
    int rc = check_map(L, m, "a condition");
    if (rc < 0)
        return rc;
    c->line = m->line;
    c->col = m->col;
    if (m->n == 2 && (strcmp(m->items[0]->str, "all") == 0 || strcmp(m->items[0]->str, "any") == 0)) {
        c->op = m->items[0]->str[1] == 'l' ? COND_ALL : COND_ANY;
        return compile_kids(L, m->items[1], c, depth, m->items[0]->str);
    }
    if (m->n == 2 && strcmp(m->items[0]->str, "not") == 0) {
        c->op = COND_NOT;
        c->kids = calloc(1, sizeof(*c->kids));
        if (c->kids == NULL)
            return -ENOMEM;
        c->nkids = 1;
        return compile_cond(L, m->items[1], &c->kids[0], depth + 1);
    }
    const struct ynode *arg = NULL, *opk = NULL, *opv = NULL;
    bool fact = false;
    for (size_t i = 0; i < m->n; i += 2) {
        const struct ynode *k = m->items[i], *v = m->items[i + 1];
        if (strcmp(k->str, "arg") == 0 || strcmp(k->str, "threat_score") == 0) {
            if (arg != NULL)
                return perr(L, k->line, k->col, "a condition reads one value: 'arg' or "
                            "'threat_score'");
            arg = v;
            fact = k->str[0] == 't';
            continue;
        }
        bool known = false;
        for (size_t j = 0; j < sizeof(cond_ops) / sizeof(cond_ops[0]); j++)
            if (strcmp(k->str, cond_ops[j].key) == 0) {
                known = true;
                if (opk != NULL)
                    return perr(L, k->line, k->col,
                                "one operator per condition ('%s' and '%s'); use all: [...]",
                                opk->str, k->str);
                opk = k;
                opv = v;
                c->op = cond_ops[j].op;
            }
        if (!known) {
            if (strcmp(k->str, "all") == 0 || strcmp(k->str, "any") == 0 ||
                strcmp(k->str, "not") == 0)
                return perr(L, k->line, k->col, "'%s' must be the only key of its condition",
                            k->str);
            return perr(L, k->line, k->col,
                        "unknown condition key '%s' (arg, eq, ne, lt, le, gt, ge, in, not_in, "
                        "contains, startswith, endswith, matches, exists, all, any, not)",
                        k->str);
        }
    }
    if (arg == NULL)
        return perr(L, m->line, m->col, "a condition needs 'arg' (a dotted path into the arguments)");
    if (opk == NULL)
        return perr(L, m->line, m->col, "a condition needs an operator (eq, lt, matches, ...)");
    if (fact) {
        c->fact = (arg->type == Y_SCALAR ? cond_fact_of(arg->str) : -1) + 1;
        if (c->fact == 0)
            return perr(L, arg->line, arg->col,
                        "'threat_score' names a category: any, secret, pii, injection, cmdi, "
                        "traversal or url");
        if (c->op == COND_CONTAINS || c->op == COND_STARTSWITH || c->op == COND_ENDSWITH ||
            c->op == COND_MATCHES)
            return perr(L, opk->line, opk->col,
                        "a threat score is a number: use eq, ne, lt, le, gt, ge, in, not_in or "
                        "exists");
        return compile_leaf_value(L, c, opk, opv);
    }
    if (arg->type != Y_SCALAR || arg->len == 0 || strlen(arg->str) != arg->len ||
        arg->str[0] == '.' || arg->str[arg->len - 1] == '.' || strstr(arg->str, "..") != NULL)
        return perr(L, arg->line, arg->col, "'arg' must be a dotted path like 'filters.region'");
    c->path = strdup(arg->str);
    if (c->path == NULL)
        return -ENOMEM;
    c->path_len = arg->len;
    return compile_leaf_value(L, c, opk, opv);
}

int add_patterns(struct loader *L, const struct ynode *v, const char *key,
                        struct pattern **out, size_t *n)
{
    size_t count = v->type == Y_SEQ ? v->n : 1;
    if (v->type == Y_MAP)
        return perr(L, v->line, v->col, "'%s' must be a list of globs", key);
    if (count == 0)
        return perr(L, v->line, v->col, "'%s' is empty: the rule can never match", key);
    /* appends: a list can be given in several places (taint.sinks of a file and its packs) */
    struct pattern *grown = realloc(*out, (*n + count) * sizeof(**out));
    if (grown == NULL)
        return -ENOMEM;
    memset(grown + *n, 0, count * sizeof(*grown));
    *out = grown;
    for (size_t i = 0; i < count; i++) {
        const struct ynode *e = v->type == Y_SEQ ? v->items[i] : v;
        if (e->type != Y_SCALAR)
            return perr(L, e->line, e->col, "each entry of '%s' must be a string", key);
        if (e->len == 0)
            return perr(L, e->line, e->col, "empty pattern in '%s'", key);
        size_t at;
        if (glob_check(e->str, e->len, &at) < 0)
            return perr(L, e->line, e->col + (e->plain ? 0 : 1) + (unsigned)at,
                        "malformed glob '%s'", e->str);
        struct pattern *p = &(*out)[*n];
        p->text = malloc(e->len + 1);
        if (p->text == NULL)
            return -ENOMEM;
        memcpy(p->text, e->str, e->len + 1);
        p->len = e->len;
        (*n)++;
    }
    return 0;
}

int compile_methods(struct loader *L, const struct ynode *v, unsigned *out)
{
    size_t count = v->type == Y_SEQ ? v->n : 1;
    if (v->type == Y_MAP || count == 0)
        return perr(L, v->line, v->col, "'methods' must be a non-empty list of method names");
    for (size_t i = 0; i < count; i++) {
        const struct ynode *e = v->type == Y_SEQ ? v->items[i] : v;
        unsigned bit = e->type == Y_SCALAR ? pmethod_of(e->str, e->len) : 0;
        if (bit == 0)
            return perr(L, e->line, e->col,
                        "unknown method '%s' (tools/call, resources/read, prompts/get, "
                        "completion/complete, sampling/createMessage, elicitation/create, "
                        "roots/list)",
                        e->type == Y_SCALAR ? e->str : "?");
        *out |= bit;
    }
    return 0;
}

/* ---- budgets and rate limits ------------------------------------------------------- */

int want_number(struct loader *L, const struct ynode *v, const char *key, double min,
                       double *out)
{
    char *end;
    if (v->type != Y_SCALAR || !v->plain || v->len == 0)
        return perr(L, v->line, v->col, "'%s' must be a number", key);
    char why[200];
    const char *alt = number_lookalike(v->str, why, sizeof(why));
    if (alt != NULL)
        return perr(L, v->line, v->col, "'%s': '%s': %s", key, v->str, alt);
    const char *dg = v->str + (v->str[0] == '-' || v->str[0] == '+');
    errno = 0;
    double d = strtod(v->str, &end);
    if (*end != '\0' || errno != 0 || !isfinite(d) || d < min ||
        strspn(v->str, "+-0123456789.eE") != v->len || (dg[0] == '0' && is_digit_c(dg[1])))
        return perr(L, v->line, v->col, "'%s' must be a decimal number >= %g", key, min);
    *out = d;
    return 0;
}

static int compile_budget(struct loader *L, const struct ynode *m, struct rule *r)
{
    int rc = check_map(L, m, "a budget");
    if (rc < 0)
        return rc;
    const struct ynode *limit = NULL;
    bool count = false;
    for (size_t i = 0; i < m->n; i += 2) {
        const struct ynode *k = m->items[i], *v = m->items[i + 1];
        if (strcmp(k->str, "key") == 0) {
            if ((rc = want_string(L, v, "key", &r->budget_key)) < 0)
                return rc;
        } else if (strcmp(k->str, "sum") == 0) {
            if ((rc = want_string(L, v, "sum", &r->budget_sum)) < 0)
                return rc;
        } else if (strcmp(k->str, "count") == 0) {
            if (v->type != Y_SCALAR || !v->plain || strcmp(v->str, "true") != 0)
                return perr(L, v->line, v->col, "'count' takes true");
            count = true;
        } else if (strcmp(k->str, "limit") == 0) {
            limit = v;
        } else {
            return perr(L, k->line, k->col, "unknown key '%s' in a budget (key, sum, count, limit)",
                        k->str);
        }
    }
    if (r->budget_key == NULL || r->budget_key[0] == '\0')
        return perr(L, m->line, m->col, "a budget needs a 'key' (its name in the session)");
    if ((r->budget_sum != NULL) == count)
        return perr(L, m->line, m->col, "a budget needs exactly one of 'sum: ARG' and 'count: true'");
    if (limit == NULL)
        return perr(L, m->line, m->col, "a budget needs a 'limit'");
    return want_number(L, limit, "limit", 0, &r->budget_limit);
}

static int compile_rate(struct loader *L, const struct ynode *m, struct rule *r)
{
    int rc = check_map(L, m, "a rate limit");
    if (rc < 0)
        return rc;
    const struct ynode *calls = NULL, *per = NULL;
    for (size_t i = 0; i < m->n; i += 2) {
        const struct ynode *k = m->items[i], *v = m->items[i + 1];
        if (strcmp(k->str, "calls") == 0) {
            calls = v;
        } else if (strcmp(k->str, "per") == 0) {
            per = v;
        } else if (strcmp(k->str, "scope") == 0) {
            if (v->type != Y_SCALAR || (strcmp(v->str, "rule") != 0 && strcmp(v->str, "tool") != 0))
                return perr(L, v->line, v->col, "'scope' is 'rule' or 'tool'");
            r->rate_per_tool = v->str[0] == 't';
        } else {
            return perr(L, k->line, k->col, "unknown key '%s' in a rate (calls, per, scope)",
                        k->str);
        }
    }
    if (calls == NULL || per == NULL)
        return perr(L, m->line, m->col, "a rate needs 'calls' and 'per' (e.g. {calls: 10, per: 60s})");
    double n;
    if ((rc = want_number(L, calls, "calls", 1, &n)) < 0)
        return rc;
    if (n != (double)(uint64_t)n || n > 1e12)
        return perr(L, calls->line, calls->col, "'calls' must be a whole number");
    r->rate_calls = (uint64_t)n;
    /* per: seconds, or a number with ms, s, m, h */
    if (per->type != Y_SCALAR || per->len == 0)
        return perr(L, per->line, per->col, "'per' must be a duration like 500ms, 60s, 5m, 1h");
    size_t digits = strspn(per->str, "0123456789.");
    if (digits == 0 || (per->str[digits] != 'm' && per->str[digits] != 's' &&
                        per->str[digits] != 'h'))
        return perr(L, per->line, per->col,
                    "'per' must be a decimal number with a unit: 500ms, 60s, 5m, 1h");
    char *end;
    double v = strtod(per->str, &end);
    double mult = 1000;
    if (end != per->str + digits)
        return perr(L, per->line, per->col, "'per' must be a duration like 500ms, 60s, 5m, 1h");
    if (strcmp(end, "ms") == 0)
        mult = 1;
    else if (strcmp(end, "s") == 0)
        mult = 1000;
    else if (strcmp(end, "m") == 0)
        mult = 60000;
    else if (strcmp(end, "h") == 0)
        mult = 3600000;
    else
        return perr(L, per->line, per->col, "'per' must be a duration like 500ms, 60s, 5m, 1h");
    if (end == per->str || !isfinite(v) || v <= 0 || v * mult > 366.0 * 86400000)
        return perr(L, per->line, per->col, "'per' must be a positive duration up to a year");
    r->rate_window_ms = (uint64_t)(v * mult);
    if (r->rate_window_ms == 0)
        return perr(L, per->line, per->col, "'per' must be at least 1ms");
    return 0;
}

/* ---- labels and taint ---------------------------------------------------------------- */

int compile_labels(struct loader *L, const struct ynode *v, const char *key, struct labelset *s)
{
    size_t count = v->type == Y_SEQ ? v->n : 1;
    if (v->type == Y_MAP || count == 0)
        return perr(L, v->line, v->col, "'%s' must be a label or a non-empty list of labels", key);
    for (size_t i = 0; i < count; i++) {
        const struct ynode *e = v->type == Y_SEQ ? v->items[i] : v;
        if (e->type != Y_SCALAR)
            return perr(L, e->line, e->col, "each entry of '%s' must be a label name", key);
        int id = label_intern(e->str, e->len);
        if (id == -ENOSPC)
            return perr(L, e->line, e->col, "more than %d distinct labels", LABELS_MAX);
        if (id < 0)
            return perr(L, e->line, e->col,
                        "label '%s' must be 1 to %d characters of A-Z a-z 0-9 _ . : -", e->str,
                        LABEL_NAME_MAX);
        labelset_add(s, id);
    }
    return 0;
}

/* A rule's taint: {any: [..], all: [..], none: [..]} (a list alone means any). */
static int compile_taint_match(struct loader *L, const struct ynode *v, struct taint_match **out)
{
    struct taint_match *t = calloc(1, sizeof(*t));
    if (t == NULL)
        return -ENOMEM;
    *out = t;
    if (v->type != Y_MAP) {
        t->nany = 1;
        return compile_labels(L, v, "taint", &t->any[0]);
    }
    int rc = check_map(L, v, "a rule's taint");
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < v->n; i += 2) {
        const struct ynode *k = v->items[i], *e = v->items[i + 1];
        if (strcmp(k->str, "any") == 0) {
            t->nany = 1;
            rc = compile_labels(L, e, "any", &t->any[0]);
        } else if (strcmp(k->str, "all") == 0) {
            rc = compile_labels(L, e, "all", &t->all);
        } else if (strcmp(k->str, "none") == 0) {
            rc = compile_labels(L, e, "none", &t->none);
        } else {
            return perr(L, k->line, k->col, "unknown key '%s' in a rule's taint (any, all, none)",
                        k->str);
        }
        if (rc < 0)
            return rc;
    }
    if (v->n == 0)
        return perr(L, v->line, v->col, "a rule's taint needs any, all or none");
    return 0;
}

/* One entry of taint.sources (clear = false: `add`) or taint.clears (`remove`). */
static int compile_flow(struct loader *L, const struct ynode *m, struct taint_flow *f, bool clear)
{
    int rc = check_map(L, m, clear ? "a taint clear" : "a taint source");
    if (rc < 0)
        return rc;
    f->line = m->line;
    const char *verb = clear ? "remove" : "add";
    const struct ynode *labels = NULL, *methods = NULL;
    for (size_t i = 0; i < m->n; i += 2) {
        const struct ynode *k = m->items[i], *v = m->items[i + 1];
        if (strcmp(k->str, "tools") == 0)
            rc = add_patterns(L, v, "tools", &f->tools, &f->ntools);
        else if (strcmp(k->str, "resources") == 0)
            rc = add_patterns(L, v, "resources", &f->resources, &f->nresources);
        else if (strcmp(k->str, "servers") == 0)
            rc = add_patterns(L, v, "servers", &f->servers, &f->nservers);
        else if (strcmp(k->str, "methods") == 0)
            rc = compile_methods(L, (methods = v), &f->methods);
        else if (strcmp(k->str, verb) == 0)
            rc = compile_labels(L, (labels = v), verb, &f->labels);
        else if (strcmp(k->str, "description") == 0)
            rc = v->type == Y_SCALAR ? 0 : perr(L, v->line, v->col, "'description' must be a string");
        else
            return perr(L, k->line, k->col, "unknown key '%s' in %s (tools, resources, servers, "
                        "methods, %s)", k->str, clear ? "a taint clear" : "a taint source", verb);
        if (rc < 0)
            return rc;
    }
    if (labels == NULL)
        return perr(L, m->line, m->col, "%s needs '%s: [labels]'",
                    clear ? "a taint clear" : "a taint source", verb);
    if (f->ntools == 0 && f->nresources == 0 && f->nservers == 0 && methods == NULL)
        return perr(L, m->line, m->col, "%s needs tools, resources, servers or methods",
                    clear ? "a taint clear" : "a taint source");
    if (methods == NULL) {
        if (f->ntools > 0)
            f->methods |= PM_TOOLS_CALL;
        if (f->nresources > 0)
            f->methods |= PM_RESOURCES_READ;
        if (f->methods == 0) /* servers alone: whatever comes back from them */
            f->methods = PM_TOOLS_CALL | PM_RESOURCES_READ | PM_PROMPTS_GET;
    }
    if (f->methods & PM_SERVER_REQUESTS)
        return perr(L, methods->line, methods->col,
                    "taint flows follow what the agent receives: server requests cannot be "
                    "sources or clears");
    if (f->ntools > 0 && !(f->methods & (PM_TOOLS_CALL | PM_PROMPTS_GET | PM_COMPLETE)))
        return perr(L, m->line, m->col, "'tools' names need tools/call, prompts/get or "
                    "completion/complete");
    if (f->nresources > 0 && !(f->methods & (PM_RESOURCES_READ | PM_COMPLETE)))
        return perr(L, m->line, m->col, "'resources' need resources/read or completion/complete");
    return 0;
}

static int compile_flows(struct loader *L, const struct ynode *v, bool clear, struct policy *p)
{
    const char *key = clear ? "clears" : "sources";
    if (v->type != Y_SEQ)
        return perr(L, v->line, v->col, "'%s' must be a list", key);
    struct taint_flow **arr = clear ? &p->clears : &p->sources;
    size_t *n = clear ? &p->nclears : &p->nsources;
    struct taint_flow *grown = realloc(*arr, (*n + v->n) * sizeof(**arr));
    if (grown == NULL && *n + v->n > 0)
        return -ENOMEM;
    *arr = grown;
    for (size_t i = 0; i < v->n; i++) {
        struct taint_flow *f = &(*arr)[(*n)++];
        memset(f, 0, sizeof(*f));
        int rc = compile_flow(L, v->items[i], f, clear);
        if (rc < 0)
            return rc;
        if (f->nservers > 0)
            p->needs_server = true;
    }
    return 0;
}

int want_bool(struct loader *L, const struct ynode *v, const char *key, bool *out)
{
    if (v->type == Y_SCALAR && v->plain && (strcmp(v->str, "true") == 0 || strcmp(v->str, "false") == 0)) {
        *out = v->str[0] == 't';
        return 0;
    }
    return perr(L, v->line, v->col, "'%s' must be true or false", key);
}

/* taint.track: [{env: NAME | file: PATH, add: [labels], optional: bool}, ...] */
static int compile_marks(struct loader *L, const struct ynode *v, struct policy *p)
{
    if (v->type != Y_SEQ)
        return perr(L, v->line, v->col, "'track' must be a list of {env: NAME} or {file: PATH}");
    struct track_mark *grown = realloc(p->marks, (p->nmarks + v->n) * sizeof(*p->marks));
    if (grown == NULL && p->nmarks + v->n > 0)
        return -ENOMEM;
    p->marks = grown;
    for (size_t i = 0; i < v->n; i++) {
        const struct ynode *m = v->items[i];
        struct track_mark *t = &p->marks[p->nmarks++];
        memset(t, 0, sizeof(*t));
        t->line = m->line;
        t->col = m->col;
        t->from = L->from;
        int rc = check_map(L, m, "a taint.track entry");
        if (rc < 0)
            return rc;
        bool labels = false;
        for (size_t k = 0; k < m->n; k += 2) {
            const struct ynode *key = m->items[k], *val = m->items[k + 1];
            char **str = strcmp(key->str, "env") == 0    ? &t->env
                         : strcmp(key->str, "file") == 0 ? &t->file
                                                         : NULL;
            if (str != NULL) {
                if (val->type != Y_SCALAR || val->len == 0)
                    return perr(L, val->line, val->col, "'%s' must be a non-empty string",
                                key->str);
                if (str == &t->env && strspn(val->str, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                       "abcdefghijklmnopqrstuvwxyz0123456789_") !=
                                          val->len)
                    return perr(L, val->line, val->col,
                                "'env' must be a variable name (letters, digits, _)");
                if ((*str = strdup(val->str)) == NULL)
                    return -ENOMEM;
                rc = 0;
            } else if (strcmp(key->str, "add") == 0) {
                rc = compile_labels(L, val, "add", &t->labels);
                labels = true;
            } else if (strcmp(key->str, "optional") == 0) {
                rc = want_bool(L, val, "optional", &t->optional);
            } else {
                return perr(L, key->line, key->col,
                            "unknown key '%s' in a taint.track entry (env, file, add, optional)",
                            key->str);
            }
            if (rc < 0)
                return rc;
        }
        if ((t->env == NULL) == (t->file == NULL))
            return perr(L, m->line, m->col, "a taint.track entry needs exactly one of env, file");
        if (!labels) {
            int id = label_intern("secret", 6);
            if (id < 0)
                return id;
            labelset_add(&t->labels, id);
        }
    }
    return 0;
}

/* The top-level `taint:` section (of the file or of an included pack: they add up). */
static int compile_taint_section(struct loader *L, const struct ynode *m, struct policy *p)
{
    int rc = check_map(L, m, "taint");
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < m->n; i += 2) {
        const struct ynode *k = m->items[i], *v = m->items[i + 1];
        bool on;
        if (strcmp(k->str, "sources") == 0) {
            rc = compile_flows(L, v, false, p);
        } else if (strcmp(k->str, "clears") == 0) {
            rc = compile_flows(L, v, true, p);
        } else if (strcmp(k->str, "sinks") == 0) {
            const struct ynode *t = v;
            if (v->type == Y_MAP) { /* {tools: [...]} */
                if ((rc = check_map(L, v, "taint.sinks")) < 0)
                    return rc;
                if (v->n != 2 || strcmp(v->items[0]->str, "tools") != 0)
                    return perr(L, v->line, v->col, "'sinks' is a list of tool globs");
                t = v->items[1];
            }
            rc = add_patterns(L, t, "sinks", &p->sinks, &p->nsinks);
        } else if (strcmp(k->str, "protect_lethal_trifecta") == 0) {
            if ((rc = want_bool(L, v, "protect_lethal_trifecta", &on)) == 0 && on)
                p->trifecta = true; /* a pack can turn it on, never off */
        } else if (strcmp(k->str, "scan_results") == 0) {
            if ((rc = want_bool(L, v, "scan_results", &on)) == 0 && on)
                p->scan_results = true; /* a pack can turn it on, never off */
        } else if (strcmp(k->str, "track") == 0) {
            rc = compile_marks(L, v, p);
        } else if (strcmp(k->str, "other_messages") == 0) {
            bool allow = v->type == Y_SCALAR && strcmp(v->str, "allow") == 0;
            if (!allow && !(v->type == Y_SCALAR && strcmp(v->str, "deny") == 0))
                return perr(L, v->line, v->col, "'other_messages' is deny or allow");
            if (allow)
                p->other_allow = true;
            else
                p->other_deny = true; /* a pack can make it stricter, never looser */
        } else if (strcmp(k->str, "track_values") == 0) {
            if ((rc = want_bool(L, v, "track_values", &on)) == 0) {
                p->track_values_set = true;
                p->track_values = p->track_values || on;
            }
        } else {
            return perr(L, k->line, k->col,
                        "unknown key '%s' in taint (sources, clears, sinks, "
                        "protect_lethal_trifecta, scan_results, track_values, track, "
                        "other_messages)",
                        k->str);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Tools that can carry data out of the session when the policy names no sinks. */
static const char *const default_sinks[] = {
    "*fetch*", "*Fetch*",  "*http*",     "*request*", "*post*",    "*Post*",     "*send*",
    "*Send*",  "*mail*",   "*upload*",   "*webhook*", "*slack*",   "*message*",  "*publish*",
    "*push*",  "*curl*",   "*wget*",     "*browser*", "*navigate*", "*exec*",    "*shell*",
    "*Bash*",  "*bash*",   "*command*",  "*run_*",    "*eval*",    "*issue*",    "*comment*",
    "*pull_request*", "*gist*", "*sms*", "*notify*", "*tweet*", "*share*", NULL};

/* protect_lethal_trifecta: deny sinks once private data and untrusted input are both in. */
static int add_trifecta_rule(struct loader *L, struct policy *p)
{
    static const char *const private_labels[] = {"private", "secret", "pii", "phi",
                                                  "cardholder", "ACCESS_PRIVATE", NULL};
    static const char *const untrusted_labels[] = {"untrusted", "injection", "UNTRUSTED_SOURCE",
                                                   NULL};
    for (size_t i = 0; i < p->nrules; i++)
        if (strcmp(p->rules[i].id, "lethal-trifecta") == 0)
            return perr(L, p->rules[i].line, p->rules[i].col,
                        "rule id 'lethal-trifecta' is reserved for protect_lethal_trifecta");
    if (rule_append(p) == NULL)
        return -ENOMEM;
    memmove(p->rules + 1, p->rules, (p->nrules - 1) * sizeof(*p->rules));
    struct rule *r = &p->rules[0];
    memset(r, 0, sizeof(*r));
    r->effect = EFFECT_DENY;
    r->methods = PM_TOOLS_CALL;
    r->line = r->col = 0;
    r->id = strdup("lethal-trifecta");
    r->reason = strdup("lethal trifecta: this session holds private data and untrusted input, "
                       "so tools that can send data out are blocked");
    r->taint = calloc(1, sizeof(*r->taint));
    if (r->id == NULL || r->reason == NULL || r->taint == NULL)
        return -ENOMEM;
    r->taint->nany = 2;
    for (int g = 0; g < 2; g++)
        for (const char *const *n = g ? untrusted_labels : private_labels; *n; n++) {
            int id = label_intern(*n, strlen(*n));
            if (id < 0)
                return perr(L, 0, 0, "more than %d distinct labels", LABELS_MAX);
            labelset_add(&r->taint->any[g], id);
        }
    size_t n = p->nsinks;
    if (n == 0)
        while (default_sinks[n] != NULL)
            n++;
    r->tools = calloc(n, sizeof(*r->tools));
    if (r->tools == NULL)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *t = p->nsinks ? p->sinks[i].text : default_sinks[i];
        size_t len = p->nsinks ? p->sinks[i].len : strlen(t);
        if ((r->tools[i].text = malloc(len + 1)) == NULL)
            return -ENOMEM;
        memcpy(r->tools[i].text, t, len + 1);
        r->tools[i].len = len;
        r->ntools = i + 1;
    }
    p->has_deny = true;
    return 0;
}

static int compile_rule(struct loader *L, const struct ynode *m, struct rule *r)
{
    int rc = check_map(L, m, "a rule");
    if (rc < 0)
        return rc;
    r->line = m->line;
    r->col = m->col;
    const struct ynode *effect = NULL, *methods = NULL;
    for (size_t i = 0; i < m->n; i += 2) {
        const struct ynode *k = m->items[i], *v = m->items[i + 1];
        if (strcmp(k->str, "id") == 0) {
            if ((rc = want_string(L, v, "id", &r->id)) < 0)
                return rc;
            if (r->id[0] == '\0')
                return perr(L, v->line, v->col, "rule id must not be empty");
        } else if (strcmp(k->str, "effect") == 0) {
            effect = v;
            if ((rc = want_effect(L, v, "effect", &r->effect)) < 0)
                return rc;
        } else if (strcmp(k->str, "tools") == 0) {
            if ((rc = add_patterns(L, v, "tools", &r->tools, &r->ntools)) < 0)
                return rc;
        } else if (strcmp(k->str, "resources") == 0) {
            if ((rc = add_patterns(L, v, "resources", &r->resources, &r->nresources)) < 0)
                return rc;
        } else if (strcmp(k->str, "methods") == 0) {
            methods = v;
            if ((rc = compile_methods(L, v, &r->methods)) < 0)
                return rc;
        } else if (strcmp(k->str, "servers") == 0) {
            if ((rc = add_patterns(L, v, "servers", &r->servers, &r->nservers)) < 0)
                return rc;
        } else if (strcmp(k->str, "agents") == 0) {
            if ((rc = add_patterns(L, v, "agents", &r->agents, &r->nagents)) < 0)
                return rc;
        } else if (strcmp(k->str, "roles") == 0) {
            if ((rc = add_patterns(L, v, "roles", &r->roles, &r->nroles)) < 0)
                return rc;
        } else if (strcmp(k->str, "taint") == 0) {
            if ((rc = compile_taint_match(L, v, &r->taint)) < 0)
                return rc;
        } else if (strcmp(k->str, "when") == 0) {
            r->when = calloc(1, sizeof(*r->when));
            if (r->when == NULL)
                return -ENOMEM;
            if ((rc = compile_cond(L, v, r->when, 0)) < 0)
                return rc;
        } else if (strcmp(k->str, "reason") == 0) {
            if ((rc = want_string(L, v, "reason", &r->reason)) < 0)
                return rc;
        } else if (strcmp(k->str, "redact") == 0) {
            size_t n = v->type == Y_SEQ ? v->n : 1;
            if (v->type == Y_MAP || n == 0)
                return perr(L, v->line, v->col, "'redact' must be a list of argument paths");
            r->redact = calloc(n, sizeof(*r->redact));
            if (r->redact == NULL)
                return -ENOMEM;
            for (size_t j = 0; j < n; j++) {
                const struct ynode *e = v->type == Y_SEQ ? v->items[j] : v;
                if (e->type != Y_SCALAR || e->len == 0 || strlen(e->str) != e->len ||
                    e->str[0] == '.' || e->str[e->len - 1] == '.' || strstr(e->str, "..") != NULL)
                    return perr(L, e->line, e->col,
                                "each entry of 'redact' must be a dotted argument path");
                if ((r->redact[j] = strdup(e->str)) == NULL)
                    return -ENOMEM;
                r->nredact = j + 1;
            }
        } else if (strcmp(k->str, "budget") == 0) {
            if ((rc = compile_budget(L, v, r)) < 0)
                return rc;
        } else if (strcmp(k->str, "rate") == 0) {
            if ((rc = compile_rate(L, v, r)) < 0)
                return rc;
        } else if (strcmp(k->str, "description") == 0) {
            if (v->type != Y_SCALAR)
                return perr(L, v->line, v->col, "'description' must be a string");
        } else {
            return unknown_key(L, k, future_rule_keys, "a rule");
        }
    }
    if (r->id == NULL)
        return perr(L, m->line, m->col, "rule needs an 'id'");
    if (effect == NULL)
        return perr(L, m->line, m->col, "rule '%s' needs an 'effect'", r->id);
    if ((r->effect == EFFECT_REDACT) != (r->nredact > 0))
        return perr(L, m->line, m->col,
                    "rule '%s': effect redact and a 'redact' list of argument paths go together",
                    r->id);
    if (r->effect == EFFECT_APPROVE && methods != NULL &&
        (r->methods & ~(unsigned)(PM_TOOLS_CALL | PM_RESOURCES_READ | PM_PROMPTS_GET |
                                  PM_COMPLETE)) != 0)
        return perr(L, m->line, m->col,
                    "rule '%s': approve holds the agent's requests; a server's requests of the "
                    "client cannot wait for approval (deny or allow them)",
                    r->id);
    if ((r->budget_key != NULL || r->rate_calls > 0) && r->effect != EFFECT_ALLOW)
        return perr(L, m->line, m->col,
                    "rule '%s': budget and rate limit an allowance, so they need effect: allow",
                    r->id);
    if (methods == NULL && r->ntools == 0 && r->nresources == 0 && r->when == NULL &&
        r->taint == NULL && r->nservers == 0 && r->nagents == 0 && r->nroles == 0)
        return perr(L, m->line, m->col,
                    "rule '%s' has nothing to match on (tools, resources, methods, servers, "
                    "agents, roles, taint or when); "
                    "to match every tool write tools: [\"*\"]",
                    r->id);
    if (methods == NULL)
        r->methods = r->nresources > 0 ? PM_RESOURCES_READ : PM_TOOLS_CALL;
    if (r->effect == EFFECT_REDACT && (r->methods & ~(unsigned)(PM_TOOLS_CALL | PM_PROMPTS_GET)) != 0)
        return perr(L, m->line, m->col,
                    "rule '%s': redact masks arguments of tools/call and prompts/get only", r->id);
    if (r->nresources > 0 && !(r->methods & (PM_RESOURCES_READ | PM_COMPLETE)))
        return perr(L, m->line, m->col,
                    "rule '%s': 'resources' only applies to resources/read and "
                    "completion/complete",
                    r->id);
    if (r->ntools > 0 && !(r->methods & (PM_TOOLS_CALL | PM_PROMPTS_GET | PM_COMPLETE)))
        return perr(L, m->line, m->col,
                    "rule '%s': 'tools' names apply to tools/call, prompts/get and "
                    "completion/complete",
                    r->id);
    return 0;
}

/* ---- include: packs ------------------------------------------------------------------ */

#define INCLUDE_MAX_DEPTH 8

const struct policy_pack *policy_pack_find(const char *name)
{
    for (const struct policy_pack *k = sentinel_packs; k->name != NULL; k++)
        if (strcmp(k->name, name) == 0)
            return k;
    return NULL;
}

/* Append n bytes of text to buf[cap] (kept NUL-terminated) at *used; what does not fit is
 * dropped and *full set. */
static void append(char *buf, size_t cap, size_t *used, const char *text, size_t n, bool *full)
{
    if (n > cap - 1 - *used) {
        n = cap - 1 - *used;
        *full = true;
    }
    memcpy(buf + *used, text, n);
    *used += n;
    buf[*used] = '\0';
}

/*
 * The shipped packs' names for an error, those of one folder grouped ("presets/{gdpr, hipaa}"),
 * in at most cap bytes (with the NUL): when they do not all fit, the list stops after a whole
 * entry and ends with a pointer to `sentinel packs`.
 */
static void pack_names(char *out, size_t cap)
{
    static const char more[] = ", ...; sentinel packs lists them all";
    char all[2048];
    size_t used = 0;
    bool full = false;
    all[0] = '\0';
    for (const struct policy_pack *k = sentinel_packs, *end; k->name != NULL; k = end) {
        const char *slash = strrchr(k->name, '/');
        size_t dir = slash ? (size_t)(slash - k->name) + 1 : 0; /* "presets/" */
        end = k + 1; /* past the run of packs in the same folder */
        while (dir > 0 && end->name != NULL && strncmp(end->name, k->name, dir) == 0 &&
               strchr(end->name + dir, '/') == NULL)
            end++;
        bool group = end - k > 1;
        if (used > 0)
            append(all, sizeof(all), &used, ", ", 2, &full);
        if (group) {
            append(all, sizeof(all), &used, k->name, dir, &full);
            append(all, sizeof(all), &used, "{", 1, &full);
        }
        for (const struct policy_pack *e = k; e < end; e++) {
            const char *name = group ? e->name + dir : e->name;
            if (e > k)
                append(all, sizeof(all), &used, ", ", 2, &full);
            append(all, sizeof(all), &used, name, strlen(name), &full);
        }
        if (group)
            append(all, sizeof(all), &used, "}", 1, &full);
    }
    if (!full && used < cap) {
        memcpy(out, all, used + 1);
        return;
    }
    /* cut before the last ", " between whole entries (not inside a group) that leaves room */
    size_t keep = 0, limit = cap > sizeof(more) ? cap - sizeof(more) : 0;
    int depth = 0;
    for (size_t i = 0; i < limit && i < used; i++) {
        depth += all[i] == '{' ? 1 : all[i] == '}' ? -1 : 0;
        if (all[i] == ',' && depth == 0)
            keep = i;
    }
    snprintf(out, cap, "%.*s%s", (int)keep, all, keep > 0 ? more : more + 2);
}

/* Names of the include chain, to refuse cycles. */
struct chain {
    const char *names[INCLUDE_MAX_DEPTH + 1];
    int depth;
};

static int compile_doc(struct loader *L, const struct ynode *root, struct policy *p,
                       const char *prefix, struct chain *ch);

static int include_pack(struct loader *L, const struct ynode *at, const char *name,
                        struct policy *p, struct chain *ch)
{
    for (int i = 0; i < ch->depth; i++)
        if (strcmp(ch->names[i], name) == 0)
            return perr(L, at->line, at->col, "include cycle: '%s' includes itself", name);
    if (ch->depth >= INCLUDE_MAX_DEPTH)
        return perr(L, at->line, at->col, "includes nest deeper than %d", INCLUDE_MAX_DEPTH);
    const struct policy_pack *pack = policy_pack_find(name);
    if (pack == NULL) {
        static const char fmt[] = "unknown pack '%s' (shipped: %s)";
        size_t fixed = sizeof(fmt) - 5 + strlen(name); /* the message without the list */
        size_t room = sizeof(((struct diag *)0)->msg);
        char list[sizeof(((struct diag *)0)->msg)];
        pack_names(list, fixed < room - 48 ? room - fixed : 48);
        return perr(L, at->line, at->col, fmt, name, list);
    }
    char file[160];
    snprintf(file, sizeof(file), "pack:%s", name);
    struct loader sub = {.file = file, .d = L->d, .nodes = L->nodes, .ids = L->ids};
    sub.from.pack = pack->name;
    sub.from.inc_line = L->from.pack ? L->from.inc_line : at->line; /* the top file's include */
    sub.from.inc_col = L->from.pack ? L->from.inc_col : at->col;
    struct ynode *root = NULL;
    int rc = build_tree(&sub, pack->text, pack->len, &root);
    if (rc == 0) {
        ch->names[ch->depth++] = name;
        rc = compile_doc(&sub, root, p, name, ch);
        ch->depth--;
    }
    L->nodes = sub.nodes;
    ynode_free(root);
    if (rc < 0 && L->d != NULL && L->d->file == sub.file) {
        /* the diag must not point at this stack buffer once we return */
        char where[512];
        snprintf(where, sizeof(where), "in %s:%u:%u: %s", file, L->d->line, L->d->col,
                 L->d->msg);
        return perr(L, at->line, at->col, "%s", where);
    }
    return rc;
}

/* Record r (already in p->rules) under its id; *first is the earlier rule of the same id. */
static int ids_add(struct loader *L, const struct rule *r, const struct policy *p,
                   const struct rule **first)
{
    struct idset *set = L->ids;
    *first = NULL;
    if ((set->count + 1) * 2 > set->cap) {
        size_t ncap = set->cap ? set->cap * 2 : 64;
        size_t *ns = calloc(ncap, sizeof(*ns));
        if (ns == NULL)
            return -ENOMEM;
        for (size_t i = 0; i < set->cap; i++) {
            if (set->slots[i] == 0)
                continue;
            size_t j = hash_fnv1a64(p->rules[set->slots[i] - 1].id, strlen(p->rules[set->slots[i] - 1].id)) & (ncap - 1);
            while (ns[j] != 0)
                j = (j + 1) & (ncap - 1);
            ns[j] = set->slots[i];
        }
        free(set->slots);
        set->slots = ns;
        set->cap = ncap;
    }
    size_t j = hash_fnv1a64(r->id, strlen(r->id)) & (set->cap - 1);
    for (; set->slots[j] != 0; j = (j + 1) & (set->cap - 1)) {
        const struct rule *e = &p->rules[set->slots[j] - 1];
        if (strcmp(e->id, r->id) == 0) {
            *first = e;
            return 0;
        }
    }
    set->slots[j] = (size_t)(r - p->rules) + 1;
    set->count++;
    return 0;
}

struct rule *rule_append(struct policy *p)
{
    if (p->nrules == p->rules_cap) {
        size_t ncap = p->rules_cap ? p->rules_cap * 2 : 16;
        struct rule *grown = realloc(p->rules, ncap * sizeof(*p->rules));
        if (grown == NULL)
            return NULL;
        p->rules = grown;
        p->rules_cap = ncap;
    }
    struct rule *r = &p->rules[p->nrules++]; /* counted now: policy_free sees partial rules */
    memset(r, 0, sizeof(*r));
    return r;
}

int rule_finish(struct loader *L, struct policy *p, struct rule *r, const char *prefix)
{
    r->from = L->from;
    if (prefix != NULL) {
        size_t n = strlen(prefix) + 1 + strlen(r->id) + 1;
        char *id = malloc(n);
        if (id == NULL)
            return -ENOMEM;
        snprintf(id, n, "%s:%s", prefix, r->id);
        free(r->id);
        r->id = id;
    }
    const struct rule *first = NULL;
    int rc = ids_add(L, r, p, &first);
    if (rc < 0)
        return rc;
    if (first != NULL)
        return perr(L, r->line, r->col, "duplicate rule id '%s' (first at line %u)", r->id,
                    first->line);
    if (r->effect == EFFECT_DENY || r->effect == EFFECT_APPROVE)
        p->has_deny = true; /* approve can end in a denial: lists are filtered like for deny */
    if (r->effect == EFFECT_APPROVE)
        p->has_approve = true;
    if (r->nservers > 0)
        p->needs_server = true;
    if (r->when != NULL || r->budget_sum != NULL || r->nredact > 0)
        p->needs_args = true;
    if (r->when != NULL && cond_uses_facts(r->when))
        p->needs_facts = true;
    return 0;
}

/* Append the rules of `rules` to p; ids of an included pack are prefixed "pack:". */
static int compile_rules(struct loader *L, const struct ynode *rules, struct policy *p,
                         const char *prefix)
{
    if (rules->type == Y_SCALAR && rules->plain && rules->len == 0)
        return 0; /* "rules:" with nothing after it */
    if (rules->type != Y_SEQ)
        return perr(L, rules->line, rules->col, "'rules' must be a list");
    for (size_t i = 0; i < rules->n; i++) {
        struct rule *r = rule_append(p);
        if (r == NULL)
            return -ENOMEM;
        int rc = compile_rule(L, rules->items[i], r);
        if (rc == 0)
            rc = rule_finish(L, p, r, prefix);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/*
 * A policy document: the top file (prefix NULL) or an included pack. The including
 * file's own rules come first (native rules, then those translated from the seed
 * Sentinel's keys), then each pack's in `include` order, depth first. Only the top file's
 * `name` counts; `default` is the strictest of the file's and its packs' (a deny-by-default
 * preset makes the whole policy deny by default); taint sections add up.
 */
static int compile_doc(struct loader *L, const struct ynode *root, struct policy *p,
                       const char *prefix, struct chain *ch)
{
    if (root == NULL)
        return perr(L, 1, 1, "empty policy (expected a mapping with 'version: 1')");
    int rc = check_map(L, root, "the policy");
    if (rc < 0)
        return rc;
    bool top = prefix == NULL;
    const struct ynode *version = NULL, *rules = NULL, *dflt = NULL, *include = NULL;
    const struct ynode *taint = NULL;
    enum effect eff = EFFECT_ALLOW;
    bool compat = false, compat_rules = false; /* Sentinel keys; ones that carry rules */
    for (size_t i = 0; i < root->n; i += 2) {
        const struct ynode *k = root->items[i], *v = root->items[i + 1];
        if (strcmp(k->str, "version") == 0) {
            version = v;
        } else if (strcmp(k->str, "name") == 0) {
            if (top && (rc = want_string(L, v, "name", &p->name)) < 0)
                return rc;
        } else if (strcmp(k->str, "description") == 0) {
            if (v->type != Y_SCALAR)
                return perr(L, v->line, v->col, "'description' must be a string");
            if (top && (rc = want_string(L, v, "description", &p->description)) < 0)
                return rc;
        } else if (strcmp(k->str, "default") == 0) {
            dflt = v;
            if ((rc = want_effect(L, v, "default", &eff)) < 0)
                return rc;
        } else if (strcmp(k->str, "rules") == 0) {
            rules = v;
        } else if (strcmp(k->str, "include") == 0) {
            include = v;
        } else if (strcmp(k->str, "taint") == 0) {
            taint = v;
        } else if (strcmp(k->str, "sandbox") == 0) {
            if ((rc = compile_sandbox(L, v, p)) < 0)
                return rc;
        } else if (strcmp(k->str, "spotlight") == 0) {
            if ((rc = compile_spotlight(L, v, p, top)) < 0)
                return rc;
        } else if (strcmp(k->str, "schema") == 0) {
            if ((rc = compile_schema(L, v, p)) < 0)
                return rc;
        } else if (strcmp(k->str, "pins") == 0) {
            if ((rc = compile_pins(L, v, p)) < 0)
                return rc;
        } else if (strcmp(k->str, "audit") == 0) {
            if ((rc = compile_audit(L, v, p, top)) < 0)
                return rc;
        } else if (strcmp(k->str, "identity") == 0) {
            if ((rc = compile_identity(L, v, p)) < 0)
                return rc;
        } else if (compat_key(k->str)) {
            static const char *const meta[] = {"id", "customerId", "customer_id", "createdAt",
                                               "created_at", "schemaVersion", "schema_version",
                                               NULL};
            compat = true;
            compat_rules = compat_rules || !in_list(meta, k->str);
        } else {
            return unknown_key(L, k, future_top_keys, "the policy");
        }
    }
    if (version == NULL)
        return perr(L, root->line, root->col, "policy needs 'version: 1'");
    if (compat_rules) {
        /* a Sentinel file's `version` is its own revision number */
        if (version->type != Y_SCALAR || !version->plain || version->len == 0 ||
            version->len > 9 || strspn(version->str, "0123456789") != version->len)
            return perr(L, version->line, version->col,
                        "'version' of a Sentinel-format policy must be a whole number");
    } else if (version->type != Y_SCALAR || !version->plain || strcmp(version->str, "1") != 0) {
        return perr(L, version->line, version->col, "unsupported policy version (expected 1)");
    }
    if (top)
        p->default_effect = dflt == NULL ? EFFECT_DENY : eff; /* fail closed when unsaid */
    else if (dflt != NULL && eff == EFFECT_DENY)
        p->default_effect = EFFECT_DENY; /* the strictest default wins */
    if (rules != NULL && (rc = compile_rules(L, rules, p, prefix)) < 0)
        return rc;
    if (compat && (rc = compat_translate(L, root, p, prefix, dflt != NULL)) < 0)
        return rc;
    if (taint != NULL && (rc = compile_taint_section(L, taint, p)) < 0)
        return rc;
    if (include == NULL)
        return 0;
    size_t count = include->type == Y_SEQ ? include->n : 1;
    if (include->type == Y_MAP)
        return perr(L, include->line, include->col, "'include' must be a list of pack names");
    for (size_t i = 0; i < count; i++) {
        const struct ynode *e = include->type == Y_SEQ ? include->items[i] : include;
        if (e->type != Y_SCALAR || e->len == 0 || strlen(e->str) != e->len)
            return perr(L, e->line, e->col, "each entry of 'include' must be a pack name");
        if ((rc = include_pack(L, e, e->str, p, ch)) < 0)
            return rc;
    }
    return 0;
}

static int compile(struct loader *L, const struct ynode *root, struct policy *p)
{
    struct chain ch = {.depth = 0};
    struct idset ids = {0};
    L->ids = &ids;
    int rc = compile_doc(L, root, p, NULL, &ch);
    if (rc == 0 && !p->track_values_set)
        p->track_values = p->scan_results; /* what is found is tracked unless told otherwise */
    if (rc == 0 && p->trifecta)
        rc = add_trifecta_rule(L, p);
    free(ids.slots);
    L->ids = NULL;
    return rc;
}

int policy_load_text(const char *text, size_t len, const char *filename, struct policy **out,
                     struct diag *d)
{
    struct loader L = {.file = filename, .d = d};
    struct ynode *root = NULL;
    struct policy *p = NULL;
    int rc;
    *out = NULL;
    if (d) {
        d->file = filename;
        d->line = d->col = 0;
        d->msg[0] = '\0';
    }
    if (len > POLICY_MAX_FILE) {
        rc = perr(&L, 0, 0, "policy file larger than %u bytes", POLICY_MAX_FILE);
        goto out;
    }
    if (memchr(text, '\0', len) != NULL) {
        rc = perr(&L, 0, 0, "policy file contains NUL bytes");
        goto out;
    }
    if ((rc = build_tree(&L, text, len, &root)) < 0)
        goto out;
    p = calloc(1, sizeof(*p));
    if (p == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    p->source = strdup(filename ? filename : "<policy>");
    p->text = malloc(len + 1);
    if (p->text != NULL) {
        memcpy(p->text, text, len);
        p->text[len] = '\0';
        p->text_len = len;
    }
    if (p->source == NULL || p->text == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    if ((rc = compile(&L, root, p)) < 0)
        goto out;
    if ((rc = policy_index_build(p)) < 0) /* the rule index for evaluation (policy/index.h) */
        goto out;
    if (p->default_effect == EFFECT_DENY)
        p->has_deny = true;
    *out = p;
    p = NULL;
out:
    if (rc == -ENOMEM)
        perr(&L, 0, 0, "out of memory");
    ynode_free(root);
    policy_free(p);
    return rc;
}

int policy_load_file(const char *path, struct policy **out, struct diag *d)
{
    struct loader L = {.file = path, .d = d};
    char *text = NULL;
    int rc;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK); /* a FIFO must not block */
    *out = NULL;
    if (fd < 0)
        return perr(&L, 0, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        rc = perr(&L, 0, 0, "not a regular file");
        goto out;
    }
    if ((size_t)st.st_size > POLICY_MAX_FILE) {
        rc = perr(&L, 0, 0, "policy file larger than %u bytes", POLICY_MAX_FILE);
        goto out;
    }
    text = malloc((size_t)st.st_size + 1);
    if (text == NULL) {
        rc = perr(&L, 0, 0, "out of memory");
        goto out;
    }
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, text + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            rc = perr(&L, 0, 0, "read failed: %s", r < 0 ? strerror(errno) : "short read");
            goto out;
        }
        got += (size_t)r;
    }
    rc = policy_load_text(text, got, path, out, d);
out:
    free(text);
    close(fd);
    return rc;
}
