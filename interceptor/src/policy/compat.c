/*
 * compat.c - the seed Sentinel's policy keys (the format lilith-zero publishes today) translated
 * into native rules, taint flows and sinks, ordered so that first match wins gives the seed's
 * decisions (docs/sentinel-compat.md). It exists so that policies written for the seed keep
 * their meaning. It must never accept a key, action or value whose meaning it cannot reproduce
 * (that is a load error, never a silent allow), and never read a tool name as a glob.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/glob.h"
#include "policy/load_int.h"

/* More translated tool or URI patterns than this is a load error, not a memory blow-up. */
#define COMPAT_MAX_PATTERNS 1000000u

/* The top-level keys, each under its camelCase and snake_case spelling. */
enum slot {
    S_STATIC,
    S_TAINT,
    S_RESOURCE,
    S_CLASSES,
    S_TRIFECTA,
    S_ID,
    S_CUSTOMER,
    S_CREATED,
    S_SCHEMA,
    S_RATE,
    S_REPLAY,
    S_PIN,
    S_COUNT
};

static const struct {
    const char *key;
    enum slot slot;
} keys[] = {
    {"staticRules", S_STATIC},
    {"static_rules", S_STATIC},
    {"taintRules", S_TAINT},
    {"taint_rules", S_TAINT},
    {"resourceRules", S_RESOURCE},
    {"resource_rules", S_RESOURCE},
    {"toolClasses", S_CLASSES},
    {"tool_classes", S_CLASSES},
    {"protectLethalTrifecta", S_TRIFECTA},
    {"protect_lethal_trifecta", S_TRIFECTA},
    {"id", S_ID},
    {"customerId", S_CUSTOMER},
    {"customer_id", S_CUSTOMER},
    {"createdAt", S_CREATED},
    {"created_at", S_CREATED},
    {"schemaVersion", S_SCHEMA},
    {"schema_version", S_SCHEMA},
    {"rateLimit", S_RATE},
    {"rate_limit", S_RATE},
    {"replayWindowSecs", S_REPLAY},
    {"replay_window_secs", S_REPLAY},
    {"pinMode", S_PIN},
    {"pin_mode", S_PIN},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static int slot_of(const char *key)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].key, key) == 0)
            return (int)keys[i].slot;
    return -1;
}

bool compat_key(const char *key)
{
    return slot_of(key) >= 0;
}

/* ---- the parsed document ------------------------------------------------------------ */

enum action { A_ADD = 1, A_REMOVE, A_CHECK, A_BLOCK };

/* One entry of taintRules, checked; nodes borrowed from the tree. */
enum tfield { F_TOOL, F_CLASS, F_TAG, F_FORBIDDEN, F_REQUIRED, F_ERROR, F_COUNT };
struct trule {
    const struct ynode *m;          /* the entry */
    const struct ynode *k[F_COUNT]; /* each field's key, as spelled, or NULL */
    const struct ynode *v[F_COUNT]; /* its value */
    enum action action;
};

/* A tool in a class: from toolClasses, or from an ADD_TAINT rule adding that tag. */
struct member {
    const char *cls;
    const char *tool; /* NUL-free */
};

struct names {
    const char **v; /* borrowed, NUL-free */
    size_t n, cap;
};

struct xlate {
    struct loader *L;
    struct policy *p;
    const char *prefix;
    const struct ynode *key[S_COUNT], *val[S_COUNT];
    struct trule *rules; /* taintRules, checked */
    size_t nrules;
    struct member *base; /* toolClasses, sorted by class */
    size_t nbase;
    struct member *aug; /* ADD_TAINT tags as classes, sorted by class */
    size_t naug, augcap;
    struct names set;                 /* scratch: the tools of one rule */
    size_t npatterns;                 /* patterns made so far (COMPAT_MAX_PATTERNS) */
    const struct ynode *native_sinks; /* the document's taint.sinks key, if any */
};

static bool ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'a' && *a <= 'z' ? (char)(*a - 32) : *a;
        char y = *b >= 'a' && *b <= 'z' ? (char)(*b - 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

static const char *key_name(const struct xlate *X, enum slot s)
{
    return X->key[s]->str;
}

/* A non-empty, NUL-free string (a tool name, a class, a URI pattern). */
static int want_name(struct loader *L, const struct ynode *v, const char *what)
{
    if (v->type != Y_SCALAR)
        return perr(L, v->line, v->col, "%s must be a string", what);
    if (strlen(v->str) != v->len)
        return perr(L, v->line, v->col, "%s must not contain NUL characters", what);
    if (v->len == 0)
        return perr(L, v->line, v->col, "%s must not be empty", what);
    return 0;
}

static int names_push(struct names *s, const char *name)
{
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 16;
        const char **g = realloc(s->v, ncap * sizeof(*g));
        if (g == NULL)
            return -ENOMEM;
        s->v = g;
        s->cap = ncap;
    }
    s->v[s->n++] = name;
    return 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void names_sort_unique(struct names *s)
{
    if (s->n < 2)
        return;
    qsort(s->v, s->n, sizeof(*s->v), cmp_name);
    size_t w = 1;
    for (size_t i = 1; i < s->n; i++)
        if (strcmp(s->v[i], s->v[w - 1]) != 0)
            s->v[w++] = s->v[i];
    s->n = w;
}

static int cmp_member(const void *a, const void *b)
{
    const struct member *x = a, *y = b;
    int c = strcmp(x->cls, y->cls);
    return c ? c : strcmp(x->tool, y->tool);
}

/* Push the tools of class `cls` in the sorted array m[0..n) onto s; returns how many. */
static int push_class(struct names *s, const struct member *m, size_t n, const char *cls,
                      size_t *count)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(m[mid].cls, cls) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n && strcmp(m[lo].cls, cls) == 0; lo++) {
        int rc = names_push(s, m[lo].tool);
        if (rc < 0)
            return rc;
        (*count)++;
    }
    return 0;
}

/*
 * The tools a taint rule applies to, into X->set (sorted, distinct): its `tool`, and the
 * members of its `toolClass` - from toolClasses only (`augmented` false: how ADD_TAINT rules
 * match in the seed), or also the tools whose ADD_TAINT rules add that class as a tag.
 */
static int rule_tools(struct xlate *X, const struct trule *t, bool augmented)
{
    int rc;
    X->set.n = 0;
    if (t->v[F_TOOL] != NULL && (rc = names_push(&X->set, t->v[F_TOOL]->str)) < 0)
        return rc;
    const struct ynode *cls = t->v[F_CLASS];
    if (cls != NULL) {
        size_t count = 0;
        if ((rc = push_class(&X->set, X->base, X->nbase, cls->str, &count)) < 0)
            return rc;
        if (augmented && (rc = push_class(&X->set, X->aug, X->naug, cls->str, &count)) < 0)
            return rc;
        if (count == 0)
            return perr(X->L, cls->line, cls->col,
                        augmented ? "toolClass '%s' has no tools: no entry of %s lists it and no "
                                    "ADD_TAINT rule adds it as a tag, so the rule would never match"
                                  : "toolClass '%s' has no tools: no entry of %s lists it (an "
                                    "ADD_TAINT rule matches classes from toolClasses only), so the "
                                    "rule would never match",
                        cls->str, X->key[S_CLASSES] ? key_name(X, S_CLASSES) : "toolClasses");
    }
    names_sort_unique(&X->set);
    return 0;
}

/* ---- patterns ------------------------------------------------------------------------- */

/*
 * A glob matching exactly `s`, except that `star` keeps '*' a wildcard (the seed's URI
 * patterns know no other). Every other glob metacharacter is escaped.
 */
static int make_pattern(struct xlate *X, const struct ynode *at, const char *s, bool star,
                        struct pattern *out)
{
    if (++X->npatterns > COMPAT_MAX_PATTERNS)
        return perr(X->L, at->line, at->col,
                    "the Sentinel-format policy translates to more than %u tool and URI "
                    "patterns",
                    COMPAT_MAX_PATTERNS);
    size_t len = strlen(s), n = 0;
    char *t = malloc(2 * len + 1);
    if (t == NULL)
        return -ENOMEM;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '?' || c == '[' || c == ']' || c == '\\' || (c == '*' && !star))
            t[n++] = '\\';
        t[n++] = c;
    }
    t[n] = '\0';
    size_t bad;
    if (glob_check(t, n, &bad) < 0) { /* cannot happen: everything special is escaped */
        free(t);
        return perr(X->L, at->line, at->col, "malformed pattern '%s'", s);
    }
    out->text = t;
    out->len = n;
    return 0;
}

/* X->set as exact-name patterns into *out (counted in *n as they are made). */
static int set_patterns(struct xlate *X, const struct ynode *at, struct pattern **out, size_t *n)
{
    *out = calloc(X->set.n, sizeof(**out));
    if (*out == NULL)
        return -ENOMEM;
    for (size_t i = 0; i < X->set.n; i++) {
        int rc = make_pattern(X, at, X->set.v[i], false, &(*out)[i]);
        if (rc < 0)
            return rc;
        *n = i + 1;
    }
    return 0;
}

/* ---- rules and flows ------------------------------------------------------------------ */

static char *dup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dup_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s == NULL)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/*
 * Append a rule (ids "KEY.suffix" or "KEY[i]suffix") at node `at`. The rule is counted in
 * p at once, so policy_free releases it on any error; the caller fills in what it matches
 * and calls rule_finish.
 */
static struct rule *add_rule(struct xlate *X, const struct ynode *at, char *id, enum effect e,
                             unsigned methods)
{
    if (id == NULL)
        return NULL;
    struct rule *r = rule_append(X->p);
    if (r == NULL) {
        free(id);
        return NULL;
    }
    r->id = id;
    r->effect = e;
    r->methods = methods;
    r->line = at->line;
    r->col = at->col;
    return r;
}

static char *index_id(const char *key, size_t i, const char *suffix)
{
    return dup_printf("%s[%zu]%s", key, i, suffix);
}

/* Reserve room for `more` flows after the n in *arr (the count stays n). */
static int flows_reserve(struct taint_flow **arr, size_t n, size_t more)
{
    if (more == 0)
        return 0;
    struct taint_flow *g = realloc(*arr, (n + more) * sizeof(**arr));
    if (g == NULL)
        return -ENOMEM;
    *arr = g;
    return 0;
}

static struct taint_flow *flow_append(struct taint_flow *arr, size_t *n, unsigned line)
{
    struct taint_flow *f = &arr[(*n)++]; /* counted now: policy_free releases it */
    memset(f, 0, sizeof(*f));
    f->line = line;
    return f;
}

/* ---- toolClasses ---------------------------------------------------------------------- */

static int parse_classes(struct xlate *X)
{
    const struct ynode *m = X->val[S_CLASSES];
    if (m == NULL)
        return 0;
    int rc = check_map(X->L, m, key_name(X, S_CLASSES));
    if (rc < 0)
        return rc;
    size_t total = 0;
    for (size_t i = 1; i < m->n; i += 2) {
        const struct ynode *k = m->items[i - 1], *v = m->items[i];
        if ((rc = want_name(X->L, k, "a tool name")) < 0)
            return rc;
        if (v->type != Y_SEQ || v->n == 0)
            return perr(X->L, v->line, v->col,
                        "%s maps a tool name to a non-empty list of class names (tool '%s')",
                        key_name(X, S_CLASSES), k->str);
        total += v->n;
    }
    if (total == 0)
        return 0;
    X->base = calloc(total, sizeof(*X->base));
    if (X->base == NULL)
        return -ENOMEM;
    for (size_t i = 1; i < m->n; i += 2) {
        const struct ynode *k = m->items[i - 1], *v = m->items[i];
        for (size_t j = 0; j < v->n; j++) {
            if ((rc = want_name(X->L, v->items[j], "a class name")) < 0)
                return rc;
            X->base[X->nbase++] = (struct member){v->items[j]->str, k->str};
        }
    }
    qsort(X->base, X->nbase, sizeof(*X->base), cmp_member);
    return 0;
}

/* ---- taintRules: checking ------------------------------------------------------------- */

static const char *const valid_actions = "ADD_TAINT, REMOVE_TAINT, CHECK_TAINT, BLOCK";

static int parse_action(struct loader *L, const struct ynode *v, enum action *out)
{
    static const struct {
        const char *name;
        enum action a;
    } actions[] = {{"ADD_TAINT", A_ADD},
                   {"REMOVE_TAINT", A_REMOVE},
                   {"CHECK_TAINT", A_CHECK},
                   {"BLOCK", A_BLOCK}};
    if (v->type != Y_SCALAR || strlen(v->str) != v->len)
        return perr(L, v->line, v->col, "'action' must be one of %s", valid_actions);
    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
        if (ascii_ieq(v->str, actions[i].name)) {
            *out = actions[i].a;
            return 0;
        }
    if (ascii_ieq(v->str, "BLOCK_CURRENT") || ascii_ieq(v->str, "BLOCK_SECOND"))
        return perr(L, v->line, v->col,
                    "action '%s' needs a session-history 'pattern', which sentinel does not "
                    "translate (valid actions: %s; for argument conditions write a native rule "
                    "with 'when')",
                    v->str, valid_actions);
    return perr(L, v->line, v->col, "unknown action '%s' in a taint rule (valid: %s)", v->str,
                valid_actions);
}

static const struct {
    const char *camel, *snake;
    enum tfield f;
} tfields[] = {
    {"tool", NULL, F_TOOL},
    {"toolClass", "tool_class", F_CLASS},
    {"tag", NULL, F_TAG},
    {"forbiddenTags", "forbidden_tags", F_FORBIDDEN},
    {"requiredTaints", "required_taints", F_REQUIRED},
    {"error", NULL, F_ERROR},
};

static int tfield_of(const char *key)
{
    for (size_t i = 0; i < sizeof(tfields) / sizeof(tfields[0]); i++)
        if (strcmp(key, tfields[i].camel) == 0 ||
            (tfields[i].snake != NULL && strcmp(key, tfields[i].snake) == 0))
            return (int)tfields[i].f;
    return -1;
}

static int check_trule(struct xlate *X, const struct ynode *m, struct trule *t)
{
    struct loader *L = X->L;
    int rc = check_map(L, m, "a taint rule");
    if (rc < 0)
        return rc;
    t->m = m;
    const struct ynode *action = NULL;
    for (size_t i = 0; i < m->n; i += 2) {
        const struct ynode *k = m->items[i], *v = m->items[i + 1];
        int f = tfield_of(k->str);
        if (f >= 0) {
            if (t->k[f] != NULL)
                return perr(L, k->line, k->col, "'%s' and '%s' are the same key", t->k[f]->str,
                            k->str);
            t->k[f] = k;
            t->v[f] = v;
        } else if (strcmp(k->str, "action") == 0) {
            action = v;
        } else if (strcmp(k->str, "pattern") == 0 || strcmp(k->str, "exceptions") == 0 ||
                   strcmp(k->str, "matchArgs") == 0 || strcmp(k->str, "match_args") == 0) {
            return perr(L, k->line, k->col,
                        "'%s' in a taint rule is not supported by sentinel (session-history "
                        "patterns and argument conditions are not translated); refusing to load "
                        "a rule that would not be enforced as written: write a native rule with "
                        "'when' (docs/policy.md)",
                        k->str);
        } else {
            return perr(L, k->line, k->col,
                        "unknown key '%s' in a taint rule (tool, toolClass, action, tag, "
                        "forbiddenTags, requiredTaints, error)",
                        k->str);
        }
    }
    if (action == NULL)
        return perr(L, m->line, m->col, "a taint rule needs an 'action' (%s)", valid_actions);
    if ((rc = parse_action(L, action, &t->action)) < 0)
        return rc;
    if (t->v[F_TOOL] == NULL && t->v[F_CLASS] == NULL)
        return perr(L, m->line, m->col, "a taint rule needs 'tool' or 'toolClass'");
    if (t->v[F_TOOL] != NULL && (rc = want_name(L, t->v[F_TOOL], "'tool'")) < 0)
        return rc;
    if (t->v[F_CLASS] != NULL && (rc = want_name(L, t->v[F_CLASS], "'toolClass'")) < 0)
        return rc;
    bool flow = t->action == A_ADD || t->action == A_REMOVE;
    const char *verb = t->action == A_ADD ? "ADD_TAINT" : "REMOVE_TAINT";
    if (flow && t->v[F_TAG] == NULL)
        return perr(L, m->line, m->col, "%s needs a 'tag' (the label to %s)", verb,
                    t->action == A_ADD ? "add" : "remove");
    if (!flow && t->k[F_TAG] != NULL)
        return perr(L, t->k[F_TAG]->line, t->k[F_TAG]->col,
                    "'tag' applies to ADD_TAINT and REMOVE_TAINT only");
    if (flow && t->v[F_TAG]->type != Y_SCALAR)
        return perr(L, t->v[F_TAG]->line, t->v[F_TAG]->col, "'tag' must be one label");
    for (int f = F_FORBIDDEN; f <= F_REQUIRED; f++)
        if (t->k[f] != NULL && t->action != A_CHECK)
            return perr(L, t->k[f]->line, t->k[f]->col, "'%s' applies to CHECK_TAINT only",
                        t->k[f]->str);
    if (t->action == A_CHECK && t->v[F_FORBIDDEN] == NULL && t->v[F_REQUIRED] == NULL)
        return perr(L, m->line, m->col,
                    "CHECK_TAINT needs 'forbiddenTags' (deny when any is present) and/or "
                    "'requiredTaints' (deny when all are present)");
    if (flow && t->k[F_ERROR] != NULL)
        return perr(L, t->k[F_ERROR]->line, t->k[F_ERROR]->col,
                    "'error' is the denial reason of CHECK_TAINT and BLOCK; %s never denies", verb);
    return 0;
}

/* The tools of every ADD_TAINT rule become members of the class named by its tag. */
static int collect_aug(struct xlate *X)
{
    for (size_t i = 0; i < X->nrules; i++) {
        const struct trule *t = &X->rules[i];
        if (t->action != A_ADD)
            continue;
        int rc = rule_tools(X, t, false);
        if (rc < 0)
            return rc;
        for (size_t j = 0; j < X->set.n; j++) {
            if (X->naug == X->augcap) {
                size_t ncap = X->augcap ? X->augcap * 2 : 16;
                struct member *g = realloc(X->aug, ncap * sizeof(*g));
                if (g == NULL)
                    return -ENOMEM;
                X->aug = g;
                X->augcap = ncap;
            }
            if (X->naug >= COMPAT_MAX_PATTERNS)
                return perr(X->L, t->m->line, t->m->col,
                            "the ADD_TAINT rules put more than %u tools in classes",
                            COMPAT_MAX_PATTERNS);
            X->aug[X->naug++] = (struct member){t->v[F_TAG]->str, X->set.v[j]};
        }
    }
    if (X->naug > 1)
        qsort(X->aug, X->naug, sizeof(*X->aug), cmp_member);
    return 0;
}

static int parse_trules(struct xlate *X)
{
    const struct ynode *v = X->val[S_TAINT];
    if (v == NULL)
        return 0;
    if (v->type != Y_SEQ)
        return perr(X->L, v->line, v->col, "'%s' must be a list of taint rules",
                    key_name(X, S_TAINT));
    if (v->n == 0)
        return 0;
    X->rules = calloc(v->n, sizeof(*X->rules));
    if (X->rules == NULL)
        return -ENOMEM;
    for (size_t i = 0; i < v->n; i++) {
        int rc = check_trule(X, v->items[i], &X->rules[i]);
        if (rc < 0)
            return rc;
        X->nrules = i + 1;
    }
    return collect_aug(X);
}

/* ---- staticRules ---------------------------------------------------------------------- */

/* Every entry maps a tool name to ALLOW or DENY (any case). */
static int check_static(struct xlate *X)
{
    const struct ynode *m = X->val[S_STATIC];
    int rc = check_map(X->L, m, key_name(X, S_STATIC));
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < m->n; i += 2) {
        const struct ynode *k = m->items[i], *v = m->items[i + 1];
        if ((rc = want_name(X->L, k, "a tool name")) < 0)
            return rc;
        if (v->type != Y_SCALAR || strlen(v->str) != v->len ||
            (!ascii_ieq(v->str, "ALLOW") && !ascii_ieq(v->str, "DENY")))
            return perr(X->L, v->line, v->col, "%s: tool '%s' must be ALLOW or DENY",
                        key_name(X, S_STATIC), k->str);
    }
    return 0;
}

/* The static rules whose value is `deny` (DENY) or not (ALLOW), in file order. */
static int emit_static(struct xlate *X, bool deny)
{
    const struct ynode *m = X->val[S_STATIC];
    for (size_t i = 0; i < m->n; i += 2) {
        const struct ynode *k = m->items[i], *v = m->items[i + 1];
        if (ascii_ieq(v->str, "DENY") != deny)
            continue;
        struct rule *r = add_rule(X, k, dup_printf("%s.%s", key_name(X, S_STATIC), k->str),
                                  deny ? EFFECT_DENY : EFFECT_ALLOW, PM_TOOLS_CALL);
        if (r == NULL)
            return -ENOMEM;
        if (deny &&
            (r->reason = dup_printf("Tool '%s' is forbidden by static policy", k->str)) == NULL)
            return -ENOMEM;
        if ((r->tools = calloc(1, sizeof(*r->tools))) == NULL)
            return -ENOMEM;
        int rc = make_pattern(X, k, k->str, false, &r->tools[0]);
        if (rc < 0)
            return rc;
        r->ntools = 1;
        if ((rc = rule_finish(X->L, X->p, r, X->prefix)) < 0)
            return rc;
    }
    return 0;
}

/* ---- taintRules: translation ---------------------------------------------------------- */

/* A deny rule for taint rule i: its tools, and the labels of field f (none for BLOCK). */
static int emit_deny(struct xlate *X, const struct trule *t, size_t i, const char *suffix,
                     const char *fallback, int f)
{
    struct rule *r =
        add_rule(X, t->m, index_id(key_name(X, S_TAINT), i, suffix), EFFECT_DENY, PM_TOOLS_CALL);
    if (r == NULL)
        return -ENOMEM;
    int rc;
    if (t->v[F_ERROR] != NULL) {
        if ((rc = want_string(X->L, t->v[F_ERROR], "error", &r->reason)) < 0)
            return rc;
    } else if ((r->reason = strdup(fallback)) == NULL) {
        return -ENOMEM;
    }
    if ((rc = set_patterns(X, t->m, &r->tools, &r->ntools)) < 0)
        return rc;
    if (f >= 0) {
        if ((r->taint = calloc(1, sizeof(*r->taint))) == NULL)
            return -ENOMEM;
        if (f == F_REQUIRED) { /* deny when all are present */
            rc = compile_labels(X->L, t->v[f], t->k[f]->str, &r->taint->all);
        } else { /* deny when any is present */
            r->taint->nany = 1;
            rc = compile_labels(X->L, t->v[f], t->k[f]->str, &r->taint->any[0]);
        }
        if (rc < 0)
            return rc;
    }
    return rule_finish(X->L, X->p, r, X->prefix);
}

static int emit_trule(struct xlate *X, const struct trule *t, size_t i)
{
    struct policy *p = X->p;
    int rc = rule_tools(X, t, t->action != A_ADD);
    if (rc < 0)
        return rc;
    switch (t->action) {
    case A_ADD:
    case A_REMOVE: {
        bool clear = t->action == A_REMOVE;
        struct taint_flow *f = clear ? flow_append(p->clears, &p->nclears, t->m->line)
                                     : flow_append(p->sources, &p->nsources, t->m->line);
        f->methods = PM_TOOLS_CALL;
        if ((rc = set_patterns(X, t->m, &f->tools, &f->ntools)) < 0)
            return rc;
        return compile_labels(X->L, t->v[F_TAG], "tag", &f->labels);
    }
    case A_CHECK: {
        bool both = t->v[F_FORBIDDEN] != NULL && t->v[F_REQUIRED] != NULL;
        if (t->v[F_FORBIDDEN] != NULL &&
            (rc = emit_deny(X, t, i, "", "Forbidden taint detected", F_FORBIDDEN)) < 0)
            return rc;
        if (t->v[F_REQUIRED] != NULL)
            rc =
                emit_deny(X, t, i, both ? ".required" : "", "Required taints detected", F_REQUIRED);
        return rc;
    }
    case A_BLOCK:
        return emit_deny(X, t, i, "", "Tool block", -1);
    }
    return 0;
}

/* ---- resourceRules -------------------------------------------------------------------- */

struct rrule {
    const struct ynode *uri, *action, *taints;
    bool block;
};

static int check_rrule(struct xlate *X, const struct ynode *m, struct rrule *r)
{
    struct loader *L = X->L;
    int rc = check_map(L, m, "a resource rule");
    if (rc < 0)
        return rc;
    const struct ynode *uri_key = NULL, *taints_key = NULL;
    for (size_t i = 0; i < m->n; i += 2) {
        const struct ynode *k = m->items[i], *v = m->items[i + 1];
        if (strcmp(k->str, "uriPattern") == 0 || strcmp(k->str, "uri_pattern") == 0) {
            if (uri_key != NULL)
                return perr(L, k->line, k->col, "'%s' and '%s' are the same key", uri_key->str,
                            k->str);
            uri_key = k;
            r->uri = v;
        } else if (strcmp(k->str, "taintsToAdd") == 0 || strcmp(k->str, "taints_to_add") == 0) {
            if (taints_key != NULL)
                return perr(L, k->line, k->col, "'%s' and '%s' are the same key", taints_key->str,
                            k->str);
            taints_key = k;
            r->taints = v;
        } else if (strcmp(k->str, "action") == 0) {
            r->action = v;
        } else if (strcmp(k->str, "exceptions") == 0) {
            return perr(L, k->line, k->col,
                        "'exceptions' in a resource rule is not supported by sentinel; refusing "
                        "to load a rule that would not be enforced as written: write a native "
                        "rule with 'resources' and 'when' (docs/policy.md)");
        } else {
            return perr(L, k->line, k->col,
                        "unknown key '%s' in a resource rule (uriPattern, action, taintsToAdd)",
                        k->str);
        }
    }
    if (r->uri == NULL)
        return perr(L, m->line, m->col, "a resource rule needs a 'uriPattern'");
    if ((rc = want_name(L, r->uri, "'uriPattern'")) < 0)
        return rc;
    if (r->action == NULL)
        return perr(L, m->line, m->col, "a resource rule needs an 'action' (ALLOW or BLOCK)");
    const struct ynode *a = r->action;
    if (a->type != Y_SCALAR || strlen(a->str) != a->len ||
        (!ascii_ieq(a->str, "ALLOW") && !ascii_ieq(a->str, "BLOCK")))
        return perr(L, a->line, a->col, "a resource rule's action must be ALLOW or BLOCK%s%s%s",
                    a->type == Y_SCALAR ? " (not '" : "", a->type == Y_SCALAR ? a->str : "",
                    a->type == Y_SCALAR ? "')" : "");
    r->block = ascii_ieq(a->str, "BLOCK");
    if (r->block && r->taints != NULL)
        return perr(L, taints_key->line, taints_key->col,
                    "'%s' applies to ALLOW rules (a blocked read returns nothing to taint)",
                    taints_key->str);
    return 0;
}

static int emit_resources(struct xlate *X)
{
    const struct ynode *v = X->val[S_RESOURCE];
    if (v == NULL)
        return 0;
    if (v->type != Y_SEQ)
        return perr(X->L, v->line, v->col, "'%s' must be a list of resource rules",
                    key_name(X, S_RESOURCE));
    struct policy *p = X->p;
    size_t ntaint = 0;
    for (size_t i = 0; i < v->n; i++) {
        struct rrule rr = {0};
        int rc = check_rrule(X, v->items[i], &rr);
        if (rc < 0)
            return rc;
        ntaint += rr.taints != NULL;
    }
    int rc = flows_reserve(&p->sources, p->nsources, ntaint);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < v->n; i++) {
        const struct ynode *m = v->items[i];
        struct rrule rr = {0};
        if ((rc = check_rrule(X, m, &rr)) < 0)
            return rc;
        struct rule *r = add_rule(X, m, index_id(key_name(X, S_RESOURCE), i, ""),
                                  rr.block ? EFFECT_DENY : EFFECT_ALLOW, PM_RESOURCES_READ);
        if (r == NULL)
            return -ENOMEM;
        if (rr.block &&
            (r->reason = dup_printf("Resource blocked by rule: %s", rr.uri->str)) == NULL)
            return -ENOMEM;
        if ((r->resources = calloc(1, sizeof(*r->resources))) == NULL)
            return -ENOMEM;
        if ((rc = make_pattern(X, rr.uri, rr.uri->str, true, &r->resources[0])) < 0)
            return rc;
        r->nresources = 1;
        if ((rc = rule_finish(X->L, p, r, X->prefix)) < 0)
            return rc;
        if (rr.taints == NULL)
            continue;
        struct taint_flow *f = flow_append(p->sources, &p->nsources, m->line);
        f->methods = PM_RESOURCES_READ;
        if ((f->resources = calloc(1, sizeof(*f->resources))) == NULL)
            return -ENOMEM;
        if ((rc = make_pattern(X, rr.uri, rr.uri->str, true, &f->resources[0])) < 0)
            return rc;
        f->nresources = 1;
        if ((rc = compile_labels(X->L, rr.taints, "taintsToAdd", &f->labels)) < 0)
            return rc;
    }
    return 0;
}

/* ---- protect_lethal_trifecta ---------------------------------------------------------- */

/* The tools of class EXFILTRATION (as a CHECK_TAINT rule sees them) become p->sinks. */
static int emit_trifecta(struct xlate *X)
{
    const struct ynode *v = X->val[S_TRIFECTA];
    bool on = false;
    int rc = want_bool(X->L, v, key_name(X, S_TRIFECTA), &on);
    if (rc < 0 || !on)
        return rc;
    X->p->trifecta = true;
    X->set.n = 0;
    size_t count = 0;
    if ((rc = push_class(&X->set, X->base, X->nbase, "EXFILTRATION", &count)) < 0 ||
        (rc = push_class(&X->set, X->aug, X->naug, "EXFILTRATION", &count)) < 0)
        return rc;
    if (count == 0) /* the loader falls back to its default sink globs */
        return 0;
    names_sort_unique(&X->set);
    struct policy *p = X->p;
    struct pattern *g = realloc(p->sinks, (p->nsinks + X->set.n) * sizeof(*g));
    if (g == NULL)
        return -ENOMEM;
    p->sinks = g;
    for (size_t i = 0; i < X->set.n; i++) {
        if ((rc = make_pattern(X, v, X->set.v[i], false, &p->sinks[p->nsinks])) < 0)
            return rc;
        p->nsinks++;
    }
    return 0;
}

/* ---- the document --------------------------------------------------------------------- */

static int scan_keys(struct xlate *X, const struct ynode *root, const struct ynode **dflt)
{
    struct loader *L = X->L;
    *dflt = NULL;
    for (size_t i = 0; i < root->n; i += 2) {
        const struct ynode *k = root->items[i], *v = root->items[i + 1];
        if (strcmp(k->str, "default") == 0)
            *dflt = v;
        if (strcmp(k->str, "taint") == 0 && v->type == Y_MAP)
            for (size_t j = 0; j < v->n; j += 2)
                if (v->items[j]->type == Y_SCALAR && strcmp(v->items[j]->str, "sinks") == 0)
                    X->native_sinks = v->items[j];
        int s = slot_of(k->str);
        if (s < 0)
            continue;
        if (X->key[s] != NULL)
            return perr(L, k->line, k->col, "'%s' and '%s' are the same key", X->key[s]->str,
                        k->str);
        X->key[s] = k;
        X->val[s] = v;
        switch ((enum slot)s) {
        case S_ID:
        case S_CUSTOMER:
        case S_CREATED:
        case S_SCHEMA:
            if (v->type != Y_SCALAR)
                return perr(L, v->line, v->col, "'%s' must be a scalar", k->str);
            break;
        case S_RATE:
            return perr(L, k->line, k->col,
                        "'%s' is not translated by sentinel; refusing to load a policy that "
                        "would not be enforced as written: write native rules with "
                        "'rate: {calls: N, per: 60s}' or 'budget: {key: K, count: true, limit: "
                        "N}' (docs/policy.md)",
                        k->str);
        case S_REPLAY:
        case S_PIN:
            return perr(L, k->line, k->col,
                        "'%s' is not supported by this version of sentinel; refusing to load a "
                        "policy that would not be enforced as written",
                        k->str);
        default:
            break;
        }
    }
    return 0;
}

int compat_translate(struct loader *L, const struct ynode *root, struct policy *p,
                     const char *prefix, bool has_default)
{
    struct xlate X = {.L = L, .p = p, .prefix = prefix};
    const struct ynode *dflt = NULL;
    int rc = scan_keys(&X, root, &dflt);
    if (rc < 0)
        goto out;
    if (X.val[S_STATIC] != NULL) {
        if ((rc = check_static(&X)) < 0)
            goto out;
        if (has_default && dflt != NULL && dflt->type == Y_SCALAR &&
            strcmp(dflt->str, "allow") == 0) {
            rc = perr(L, dflt->line, dflt->col,
                      "'default: allow' contradicts %s: in the Sentinel format a tool that "
                      "%s does not list is denied; remove 'default' (or list the tool as "
                      "ALLOW)",
                      key_name(&X, S_STATIC), key_name(&X, S_STATIC));
            goto out;
        }
    }
    if ((rc = parse_classes(&X)) < 0 || (rc = parse_trules(&X)) < 0)
        goto out;

    /* flows: ADD_TAINT sources, REMOVE_TAINT clears (room reserved, counted as filled) */
    size_t nadd = 0, nremove = 0;
    for (size_t i = 0; i < X.nrules; i++) {
        nadd += X.rules[i].action == A_ADD;
        nremove += X.rules[i].action == A_REMOVE;
    }
    if ((rc = flows_reserve(&p->sources, p->nsources, nadd)) < 0 ||
        (rc = flows_reserve(&p->clears, p->nclears, nremove)) < 0)
        goto out;

    /* (a) static DENY, (b) taint rules in file order, (c) static ALLOW: first match wins */
    if (X.val[S_STATIC] != NULL && (rc = emit_static(&X, true)) < 0)
        goto out;
    for (size_t i = 0; i < X.nrules; i++)
        if ((rc = emit_trule(&X, &X.rules[i], i)) < 0)
            goto out;
    if (X.val[S_STATIC] != NULL && (rc = emit_static(&X, false)) < 0)
        goto out;
    if ((rc = emit_resources(&X)) < 0)
        goto out;
    if (X.val[S_TRIFECTA] != NULL && (rc = emit_trifecta(&X)) < 0)
        goto out;
    if (X.val[S_STATIC] != NULL)
        p->default_effect = EFFECT_DENY; /* a tool staticRules does not list is denied */
out:
    free(X.rules);
    free(X.base);
    free(X.aug);
    free(X.set.v);
    return rc;
}
