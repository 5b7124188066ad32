/*
 * outschema.c - may spotlighting rewrite a string of structuredContent (outschema.h)?
 *
 * Walks the outputSchema along the string's JSON pointer, carrying the set of subschemas
 * that may apply there (an over-approximation: never fewer than JSON Schema would apply).
 * It must never say "rewrite" for a string some keyword could judge differently afterwards.
 */
#include "mcp/outschema.h"

#include <stdbool.h>
#include <string.h>

struct set {
    uint32_t v[OUTSCHEMA_MAX_SET];
    unsigned n;
    unsigned steps;
    bool fail;           /* the answer is KEEP */
    unsigned long *left; /* the response's budget */
};

/* Charge `units` of work; false (and the set fails) once the budget is spent. */
static bool charge(struct set *s, unsigned long units)
{
    if (*s->left < units) {
        *s->left = 0;
        s->fail = true;
        return false;
    }
    *s->left -= units;
    return true;
}

/* What looking up keywords in schema node n costs: each lookup scans its members. */
static unsigned long width(const struct json_doc *doc, uint32_t n)
{
    return 1ul + doc->nodes[n].nchild;
}

static bool is_obj(const struct json_doc *doc, uint32_t n)
{
    return doc->nodes[n].type == JSON_OBJECT;
}

static bool is_schema(const struct json_doc *doc, uint32_t n)
{
    uint8_t t = doc->nodes[n].type;
    return t == JSON_OBJECT || t == JSON_TRUE || t == JSON_FALSE;
}

static void add(struct set *s, const struct json_doc *doc, uint32_t n)
{
    if (s->fail || !charge(s, 1ul + s->n))
        return;
    if (!is_schema(doc, n)) {
        s->fail = true; /* not a schema where one belongs: a malformed schema */
        return;
    }
    for (unsigned i = 0; i < s->n; i++)
        if (s->v[i] == n)
            return;
    if (s->n == OUTSCHEMA_MAX_SET || ++s->steps > OUTSCHEMA_MAX_STEPS) {
        s->fail = true;
        return;
    }
    s->v[s->n++] = n;
}

/* Member `key` of object node obj (0: none; node 0 is the root, never a member). */
static uint32_t get(struct json_doc *doc, uint32_t obj, const char *key, size_t n)
{
    return is_obj(doc, obj) ? json_get(doc, obj, key, n) : 0;
}
#define GETZ(doc, obj, key) get((doc), (obj), (key), sizeof(key) - 1)

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

#define NOWHERE UINT32_MAX

/* The node a local $ref names ("#" or "#/json/pointer", %-encoded), or NOWHERE. */
static uint32_t resolve(struct set *s, struct json_doc *doc, const char *p, size_t n)
{
    if (n == 0 || p[0] != '#')
        return NOWHERE;
    uint32_t cur = 0;
    size_t i = 1;
    if (i < n && p[i] != '/')
        return NOWHERE; /* an anchor: not resolved here */
    char seg[256];
    while (i < n) {
        size_t k = 0;
        for (i++; i < n && p[i] != '/'; i++) {
            char c = p[i];
            if (c == '%') {
                if (i + 2 >= n || hexval(p[i + 1]) < 0 || hexval(p[i + 2]) < 0)
                    return NOWHERE;
                c = (char)(hexval(p[i + 1]) << 4 | hexval(p[i + 2]));
                i += 2;
            }
            if (k + 1 >= sizeof(seg))
                return NOWHERE;
            seg[k++] = c;
        }
        /* RFC 6901 after the %-decoding */
        size_t w = 0;
        for (size_t r = 0; r < k; r++) {
            if (seg[r] == '~' && r + 1 < k && (seg[r + 1] == '0' || seg[r + 1] == '1'))
                seg[w++] = seg[++r] == '0' ? '~' : '/';
            else if (seg[r] == '~')
                return NOWHERE;
            else
                seg[w++] = seg[r];
        }
        if (!charge(s, 2 * width(doc, cur)))
            return NOWHERE;
        if (doc->nodes[cur].type == JSON_ARRAY) {
            if (w == 0 || w > 9 || strspn(seg, "0123456789") < w)
                return NOWHERE;
            unsigned long idx = 0;
            for (size_t r = 0; r < w; r++)
                idx = idx * 10 + (unsigned long)(seg[r] - '0');
            uint32_t c = json_first(doc, cur);
            while (c != 0 && idx-- > 0)
                c = doc->nodes[c].next;
            cur = c;
        } else if (is_obj(doc, cur)) {
            if (cur != 0 && GETZ(doc, cur, "$id") != 0)
                return NOWHERE; /* a new base: "#/..." below would mean something else */
            cur = json_get(doc, cur, seg, w);
        } else {
            return NOWHERE;
        }
        if (cur == 0)
            return NOWHERE; /* (node 0 is the root, never a member) */
    }
    return cur;
}

/* Add the elements of the array (or, with values, the member values of the object) `at`. */
static void add_all(struct set *s, struct json_doc *doc, uint32_t at, bool values)
{
    if (at == 0)
        return;
    uint8_t want = values ? JSON_OBJECT : JSON_ARRAY;
    if (doc->nodes[at].type != want) {
        s->fail = true;
        return;
    }
    for (uint32_t c = json_first(doc, at); c != 0 && !s->fail; c = doc->nodes[c].next)
        add(s, doc, c);
}

/* Close the set under the in-place applicators: whichever branch the value takes. */
static void expand(struct set *s, struct json_doc *doc)
{
    for (unsigned i = 0; i < s->n && !s->fail; i++) {
        uint32_t sch = s->v[i];
        if (!is_obj(doc, sch))
            continue;
        if (!charge(s, 13 * width(doc, sch)))
            return; /* the GETZ below, each a scan of the members */
        if (sch != 0 && GETZ(doc, sch, "$id") != 0) {
            s->fail = true; /* a nested resource: its $refs have another base */
            return;
        }
        if (GETZ(doc, sch, "$dynamicRef") != 0 || GETZ(doc, sch, "$recursiveRef") != 0) {
            s->fail = true;
            return;
        }
        add_all(s, doc, GETZ(doc, sch, "allOf"), false);
        add_all(s, doc, GETZ(doc, sch, "anyOf"), false);
        add_all(s, doc, GETZ(doc, sch, "oneOf"), false);
        add_all(s, doc, GETZ(doc, sch, "dependentSchemas"), true);
        static const char *const one[] = {"not", "if", "then", "else"};
        for (size_t k = 0; k < sizeof(one) / sizeof(one[0]); k++) {
            uint32_t c = get(doc, sch, one[k], strlen(one[k]));
            if (c != 0)
                add(s, doc, c);
        }
        uint32_t dep = GETZ(doc, sch, "dependencies"); /* draft-04..07: schemas or name lists */
        if (dep != 0 && is_obj(doc, dep))
            for (uint32_t c = json_first(doc, dep); c != 0 && !s->fail; c = doc->nodes[c].next)
                if (doc->nodes[c].type != JSON_ARRAY)
                    add(s, doc, c);
        uint32_t ref = GETZ(doc, sch, "$ref");
        if (ref != 0) {
            const char *p;
            size_t n;
            uint32_t to = NOWHERE;
            if (doc->nodes[ref].type == JSON_STRING &&
                json_str(doc, ref, &doc->scratch_a, &p, &n) == 0)
                to = resolve(s, doc, p, n);
            if (to == NOWHERE) {
                s->fail = true;
                return;
            }
            add(s, doc, to);
        }
    }
}

/* Is seg (n bytes) an array index? */
static bool index_of(const char *seg, size_t n, unsigned long *idx)
{
    if (n == 0 || n > 9 || strspn(seg, "0123456789") < n || (n > 1 && seg[0] == '0'))
        return false;
    *idx = 0;
    for (size_t i = 0; i < n; i++)
        *idx = *idx * 10 + (unsigned long)(seg[i] - '0');
    return true;
}

static uint32_t nth(const struct json_doc *doc, uint32_t arr, unsigned long idx)
{
    if (arr == 0 || doc->nodes[arr].type != JSON_ARRAY)
        return 0;
    uint32_t c = json_first(doc, arr);
    while (c != 0 && idx-- > 0)
        c = doc->nodes[c].next;
    return c;
}

/* One step down: the subschemas of `from` that may apply to member or element `seg`. */
static void step(struct set *to, const struct set *from, struct json_doc *doc, const char *seg,
                 size_t n)
{
    unsigned long idx = 0;
    bool is_index = index_of(seg, n, &idx);
    for (unsigned i = 0; i < from->n && !to->fail; i++) {
        uint32_t sch = from->v[i];
        if (!is_obj(doc, sch))
            continue; /* true and false say nothing about what is inside */
        if (!charge(to, 12 * width(doc, sch)))
            return;
        uint32_t u = GETZ(doc, sch, "uniqueItems");
        if (GETZ(doc, sch, "enum") != 0 || GETZ(doc, sch, "const") != 0 ||
            (u != 0 && doc->nodes[u].type == JSON_TRUE)) {
            to->fail = true; /* compares whole values: a changed string could change it */
            return;
        }
        uint32_t props = GETZ(doc, sch, "properties"), c;
        if ((c = get(doc, props, seg, n)) != 0)
            add(to, doc, c);
        add_all(to, doc, GETZ(doc, sch, "patternProperties"), true);
        if ((c = GETZ(doc, sch, "additionalProperties")) != 0)
            add(to, doc, c);
        if ((c = GETZ(doc, sch, "unevaluatedProperties")) != 0)
            add(to, doc, c);
        if (!is_index)
            continue;
        uint32_t items = GETZ(doc, sch, "items");
        if (items != 0 && doc->nodes[items].type == JSON_ARRAY) {
            if ((c = nth(doc, items, idx)) != 0)
                add(to, doc, c);
        } else if (items != 0) {
            add(to, doc, items);
        }
        if ((c = nth(doc, GETZ(doc, sch, "prefixItems"), idx)) != 0)
            add(to, doc, c);
        static const char *const more[] = {"additionalItems", "unevaluatedItems", "contains"};
        for (size_t k = 0; k < sizeof(more) / sizeof(more[0]); k++)
            if ((c = get(doc, sch, more[k], strlen(more[k]))) != 0)
                add(to, doc, c);
    }
}

/* Keywords that do not look at a string's content (annotations, other types' assertions,
 * applicators already followed). Anything else at the string's location keeps it. */
static const char *const blind[] = {"type",
                                    "title",
                                    "description",
                                    "default",
                                    "examples",
                                    "$schema",
                                    "$id",
                                    "$comment",
                                    "deprecated",
                                    "readOnly",
                                    "writeOnly",
                                    "$defs",
                                    "definitions",
                                    "$anchor",
                                    "$dynamicAnchor",
                                    "$recursiveAnchor",
                                    "$vocabulary",
                                    "$ref",
                                    "allOf",
                                    "anyOf",
                                    "oneOf",
                                    "not",
                                    "if",
                                    "then",
                                    "else",
                                    "dependentSchemas",
                                    "dependencies",
                                    "properties",
                                    "patternProperties",
                                    "additionalProperties",
                                    "propertyNames",
                                    "required",
                                    "dependentRequired",
                                    "minProperties",
                                    "maxProperties",
                                    "unevaluatedProperties",
                                    "items",
                                    "prefixItems",
                                    "additionalItems",
                                    "contains",
                                    "minContains",
                                    "maxContains",
                                    "minItems",
                                    "maxItems",
                                    "uniqueItems",
                                    "unevaluatedItems",
                                    "minimum",
                                    "maximum",
                                    "exclusiveMinimum",
                                    "exclusiveMaximum",
                                    "multipleOf",
                                    "nullable"};

static enum outschema_verdict leaf(struct set *s, struct json_doc *doc)
{
    enum outschema_verdict v = OUTSCHEMA_REWRITE;
    for (unsigned i = 0; i < s->n; i++) {
        uint32_t sch = s->v[i];
        if (!is_obj(doc, sch))
            continue;
        if (!charge(s, width(doc, sch) * (sizeof(blind) / sizeof(blind[0]))))
            return OUTSCHEMA_OVER;
        for (uint32_t m = json_first(doc, sch); m != 0; m = doc->nodes[m].next) {
            const struct json_node *mn = &doc->nodes[m];
            const char *k = doc->text + mn->key_start;
            size_t kl = mn->key_len;
            if (mn->flags & JSON_F_KEY_ESCAPED)
                return OUTSCHEMA_KEEP; /* no keyword needs an escape */
            if ((kl == 9 && memcmp(k, "minLength", 9) == 0) ||
                (kl == 9 && memcmp(k, "maxLength", 9) == 0)) {
                v = OUTSCHEMA_NEUTRALISE;
                continue;
            }
            if (kl >= 2 && memcmp(k, "x-", 2) == 0)
                continue; /* an extension: an annotation */
            bool known = false;
            for (size_t b = 0; b < sizeof(blind) / sizeof(blind[0]) && !known; b++)
                known = strlen(blind[b]) == kl && memcmp(blind[b], k, kl) == 0;
            if (!known)
                return OUTSCHEMA_KEEP;
        }
    }
    return v;
}

enum outschema_verdict outschema_string(struct json_doc *doc, const char *ptr, size_t len,
                                        unsigned long *budget)
{
    if (*budget == 0)
        return OUTSCHEMA_OVER;
    if (doc->count == 0 || doc->truncated || !is_schema(doc, 0))
        return OUTSCHEMA_KEEP;
    struct set a, b; /* 1 KiB each */
    struct set *cur = &a, *next = &b;
    cur->n = 0;
    cur->steps = 0;
    cur->fail = false;
    cur->left = next->left = budget;
    add(cur, doc, 0);
    expand(cur, doc);
    char seg[256];
    const char *end = ptr + len;
    for (const char *p = ptr; p < end && *p == '/' && !cur->fail;) {
        size_t n = 0;
        for (p++; p < end && *p != '/'; p++) {
            char ch = *p;
            if (ch == '~' && p + 1 < end && (p[1] == '0' || p[1] == '1'))
                ch = *++p == '0' ? '~' : '/';
            if (n + 1 >= sizeof(seg))
                return OUTSCHEMA_KEEP;
            seg[n++] = ch;
        }
        next->n = 0;
        next->steps = cur->steps;
        next->fail = false;
        seg[n] = '\0'; /* (index_of reads it with strspn) */
        step(next, cur, doc, seg, n);
        expand(next, doc);
        struct set *t = cur;
        cur = next;
        next = t;
    }
    if (*budget == 0)
        return OUTSCHEMA_OVER;
    return cur->fail ? OUTSCHEMA_KEEP : leaf(cur, doc);
}
