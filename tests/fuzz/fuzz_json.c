/*
 * fuzz_json.c - the JSON validator on arbitrary bytes. Besides "no crash, no sanitizer
 * report", it checks that the verdict does not depend on how much is indexed, that the
 * index is self-consistent (spans, depths, nchild, iteration, json_get finds every
 * member under its unescaped name - which also proves duplicate keys were refused),
 * that every string unescapes to valid UTF-8, and that json_recover_id agrees with the
 * real parse whenever both succeed.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "mcp/json.h"

#define MAX_DEPTH 16
#define SMALL_NODES 64
#define SMALL_INDEX 3

/* Valid UTF-8 without surrogates or overlongs (NUL allowed: "\u0000" is legal). */
static int utf8_ok(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t k;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            k = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (n - i < k)
            return 0;
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += k;
    }
    return 1;
}

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Walk a fully indexed document and check every node. */
static void check_full(struct json_doc *doc, struct buf *scratch, struct buf *key)
{
    const unsigned char *t = (const unsigned char *)doc->text;
    FUZZ_CHECK(doc->count > 0);
    FUZZ_CHECK(!doc->truncated);
    const struct json_node *root = &doc->nodes[0];
    for (size_t i = 0; i < root->start; i++)
        FUZZ_CHECK(is_ws(t[i]));
    for (size_t i = root->end; i < doc->len; i++)
        FUZZ_CHECK(is_ws(t[i]));
    FUZZ_CHECK(root->depth == 0 && root->next == 0 && !(root->flags & JSON_F_MEMBER));

    for (uint32_t i = 0; i < doc->count; i++) {
        const struct json_node *n = &doc->nodes[i];
        FUZZ_CHECK(n->start < n->end && n->end <= doc->len);
        FUZZ_CHECK(n->depth <= MAX_DEPTH);
        FUZZ_CHECK(!(n->flags & JSON_F_PARTIAL));
        switch (n->type) {
        case JSON_STRING: {
            const char *p;
            size_t len;
            FUZZ_CHECK(t[n->start] == '"' && t[n->end - 1] == '"');
            FUZZ_CHECK(json_str(doc, i, scratch, &p, &len) == 0);
            FUZZ_CHECK(len <= n->end - n->start - 2);
            FUZZ_CHECK(utf8_ok((const unsigned char *)p, len));
            FUZZ_CHECK(!!(n->flags & JSON_F_ESCAPED) ==
                       (memchr(t + n->start + 1, '\\', n->end - n->start - 2) != NULL));
            {
                bool high = false;
                for (uint32_t k = n->start + 1; k + 1 < n->end && !high; k++)
                    high = (unsigned char)t[k] >= 0x80;
                FUZZ_CHECK(!!(n->flags & JSON_F_NONASCII) == high);
            }
            FUZZ_CHECK(json_str_eq(doc, i, p, len));
            break;
        }
        case JSON_NUMBER: {
            int64_t v;
            int rc = json_int(doc, i, &v);
            if (n->flags & JSON_F_INTEGER) {
                FUZZ_CHECK(rc == 0 || rc == -ERANGE);
                FUZZ_CHECK(memchr(t + n->start, '.', n->end - n->start) == NULL);
                if (rc == 0 && n->end - n->start < 19) {
                    char tmp[24];
                    memcpy(tmp, t + n->start, n->end - n->start);
                    tmp[n->end - n->start] = '\0';
                    FUZZ_CHECK(strtoll(tmp, NULL, 10) == v);
                }
            } else {
                FUZZ_CHECK(rc == -EINVAL);
            }
            break;
        }
        case JSON_NULL:
            FUZZ_CHECK(n->end - n->start == 4 && memcmp(t + n->start, "null", 4) == 0);
            break;
        case JSON_TRUE:
            FUZZ_CHECK(n->end - n->start == 4 && memcmp(t + n->start, "true", 4) == 0);
            break;
        case JSON_FALSE:
            FUZZ_CHECK(n->end - n->start == 5 && memcmp(t + n->start, "false", 5) == 0);
            break;
        case JSON_ARRAY:
        case JSON_OBJECT: {
            FUZZ_CHECK(t[n->start] == (n->type == JSON_ARRAY ? '[' : '{'));
            FUZZ_CHECK(t[n->end - 1] == (n->type == JSON_ARRAY ? ']' : '}'));
            uint32_t seen = 0;
            for (uint32_t c = json_first(doc, i); c != 0; c = doc->nodes[c].next) {
                const struct json_node *ch = &doc->nodes[c];
                FUZZ_CHECK(c > i && c < doc->count);
                FUZZ_CHECK(ch->depth == n->depth + 1);
                FUZZ_CHECK(ch->start > n->start && ch->end < n->end);
                FUZZ_CHECK(++seen <= n->nchild);
                FUZZ_CHECK(!!(ch->flags & JSON_F_MEMBER) == (n->type == JSON_OBJECT));
                if (n->type != JSON_OBJECT)
                    continue;
                FUZZ_CHECK(ch->key_start > n->start && ch->key_start + ch->key_len < ch->start);
                FUZZ_CHECK(!!(ch->flags & JSON_F_KEY_ESCAPED) ==
                           (memchr(t + ch->key_start, '\\', ch->key_len) != NULL));
                buf_reset(key);
                FUZZ_CHECK(json_unescape(doc->text + ch->key_start, ch->key_len, key) == 0);
                FUZZ_CHECK(utf8_ok((const unsigned char *)key->data, key->len));
                /* keys are unique after unescaping, so the lookup finds exactly this one */
                FUZZ_CHECK(json_get(doc, i, key->data ? key->data : "", key->len) == c);
            }
            FUZZ_CHECK(seen == n->nchild);
            break;
        }
        default:
            FUZZ_CHECK(!"unknown node type");
        }
    }
}

/* The small index must be a prefix-consistent subset of the full one. */
static void check_small(const struct json_doc *small, const struct json_doc *full)
{
    uint32_t j = 0;
    FUZZ_CHECK(small->count <= SMALL_NODES);
    if (small->truncated)
        FUZZ_CHECK(small->count == SMALL_NODES);
    for (uint32_t i = 0; i < small->count; i++) {
        const struct json_node *s = &small->nodes[i];
        FUZZ_CHECK(s->depth <= SMALL_INDEX);
        while (j < full->count && full->nodes[j].start != s->start)
            j++;
        FUZZ_CHECK(j < full->count);
        const struct json_node *f = &full->nodes[j];
        FUZZ_CHECK(f->end == s->end && f->type == s->type && f->depth == s->depth);
        FUZZ_CHECK(f->nchild == s->nchild);
        FUZZ_CHECK(f->key_start == s->key_start && f->key_len == s->key_len);
        bool container = s->type == JSON_ARRAY || s->type == JSON_OBJECT;
        if (container && s->depth == SMALL_INDEX && s->nchild > 0)
            FUZZ_CHECK(s->flags & JSON_F_PARTIAL);
        if (!small->truncated)
            FUZZ_CHECK(!!(s->flags & JSON_F_PARTIAL) ==
                       (container && s->depth == SMALL_INDEX && s->nchild > 0));
    }
    if (!small->truncated) {
        /* every node of the full index within the index depth is present */
        uint32_t want = 0;
        for (uint32_t i = 0; i < full->count; i++)
            want += full->nodes[i].depth <= SMALL_INDEX;
        FUZZ_CHECK(small->count == want);
    }
}

static void check_recover(const uint8_t *data, size_t size, struct json_doc *full, int rc)
{
    size_t a = 0, z = 0;
    if (!json_recover_id((const char *)data, size, &a, &z))
        return;
    FUZZ_CHECK(a < z && z <= size);
    FUZZ_CHECK(data[a] == '"' || data[a] == '-' || (data[a] >= '0' && data[a] <= '9'));
    if (rc != 0 || full->nodes[0].type != JSON_OBJECT)
        return;
    /* a valid message: the recovered span is its id member's value */
    uint32_t id = json_getz(full, 0, "id");
    FUZZ_CHECK(id != 0);
    FUZZ_CHECK(full->nodes[id].start == a && full->nodes[id].end == z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct json_doc full, small, tiny;
    struct buf scratch, key;
    const char *text = (const char *)data;
    json_doc_init(&full, MAX_DEPTH, 0);
    json_doc_init(&small, MAX_DEPTH, SMALL_NODES);
    json_doc_init(&tiny, MAX_DEPTH, 1);
    buf_init(&scratch, 1 << 20);
    buf_init(&key, 1 << 20);

    struct diag d1 = {0}, d2 = {0}, d3 = {0};
    int rc = json_parse(&full, text, size, MAX_DEPTH, &d1);
    int rc_small = json_parse(&small, text, size, SMALL_INDEX, &d2);
    int rc_tiny = json_parse(&tiny, text, size, 0, &d3);
    /* the verdict never depends on how much is indexed */
    FUZZ_CHECK(rc == rc_small && rc == rc_tiny);
    FUZZ_CHECK(rc == 0 || rc == SE_EPARSE || rc == SE_EUTF8 || rc == SE_EDEPTH || rc == SE_EDUPKEY);
    if (rc < 0) {
        FUZZ_CHECK(full.err_off == small.err_off && full.err_off == tiny.err_off);
        FUZZ_CHECK(full.err_off <= size);
        FUZZ_CHECK(d1.msg[0] != '\0');
    } else {
        check_full(&full, &scratch, &key);
        check_small(&small, &full);
        FUZZ_CHECK(tiny.count == 1 && tiny.nodes[0].end == full.nodes[0].end);
    }
    check_recover(data, size, &full, rc);

    buf_cleanup(&key);
    buf_cleanup(&scratch);
    json_doc_cleanup(&tiny);
    json_doc_cleanup(&small);
    json_doc_cleanup(&full);
    return 0;
}
