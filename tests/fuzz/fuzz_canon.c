/*
 * fuzz_canon.c - RFC 8785 canonicalisation on hostile JSON. Invariants for an input
 * canon_text accepts: the canonical text parses with json_parse; it is a fixed point
 * (canon(canon(x)) == canon(x)); canon_node gives the same bytes on a fully indexed and
 * on a root-only document; canon_hash_node is the SHA-256 of those bytes. An input
 * json_parse accepts is refused by canon_text only for a documented reason.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "mcp/canon.h"

#define LIMIT (1u << 24)

static void same(const struct buf *a, const struct buf *b)
{
    FUZZ_CHECK(a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct buf c1, c2;
    struct diag d = {0};
    buf_init(&c1, LIMIT);
    buf_init(&c2, LIMIT);

    int rc = canon_text(text, size, &c1, &d);
    struct json_doc doc;
    json_doc_init(&doc, 0, 0);
    int prc = json_parse(&doc, text, size, JSON_DEFAULT_MAX_DEPTH, NULL);
    if (rc != 0) {
        /* refused: a parse error json_parse agrees with, or a documented limit */
        FUZZ_CHECK(rc < 0);
        FUZZ_CHECK(prc != 0 || rc == SE_EDEPTH || rc == SE_ELIMIT || rc == -ERANGE ||
                   rc == -ENOBUFS || rc == -ENOMEM);
        FUZZ_CHECK(d.msg[0] != '\0');
        goto out;
    }
    FUZZ_CHECK(prc == 0);
    FUZZ_CHECK(c1.len > 0 && c1.len < LIMIT);

    /* the canonical text is JSON and a fixed point */
    struct json_doc cd;
    json_doc_init(&cd, 0, 0);
    FUZZ_CHECK(json_parse(&cd, c1.data, c1.len, JSON_DEFAULT_MAX_DEPTH, NULL) == 0);
    FUZZ_CHECK(cd.nodes[0].type == doc.nodes[0].type);
    FUZZ_CHECK(cd.nodes[0].nchild == doc.nodes[0].nchild);
    json_doc_cleanup(&cd);
    FUZZ_CHECK(canon_text(c1.data, c1.len, &c2, &d) == 0);
    same(&c1, &c2);
    /* no insignificant whitespace is left */
    for (size_t i = 0; i < c1.len; i++)
        FUZZ_CHECK(c1.data[i] != '\n' && c1.data[i] != '\r' && c1.data[i] != '\t');

    /* canon_node agrees, indexed fully and root only */
    buf_reset(&c2);
    FUZZ_CHECK(canon_node(&doc, 0, &c2, &d) == 0);
    same(&c1, &c2);
    struct json_doc sh;
    json_doc_init(&sh, 0, 0);
    FUZZ_CHECK(json_parse(&sh, text, size, 0, NULL) == 0);
    buf_reset(&c2);
    FUZZ_CHECK(canon_node(&sh, 0, &c2, &d) == 0);
    same(&c1, &c2);
    /* and so does every indexed child, against canon_text of its span */
    for (uint32_t c = json_first(&doc, 0); c != 0; c = doc.nodes[c].next) {
        struct buf a, b;
        buf_init(&a, LIMIT);
        buf_init(&b, LIMIT);
        FUZZ_CHECK(canon_node(&doc, c, &a, &d) == 0);
        FUZZ_CHECK(canon_text(text + doc.nodes[c].start, doc.nodes[c].end - doc.nodes[c].start, &b,
                              &d) == 0);
        same(&a, &b);
        buf_cleanup(&a);
        buf_cleanup(&b);
    }

    /* the hash is the SHA-256 of the canonical bytes; too small a cap is -ENOBUFS */
    char h1[CANON_SHA256_HEX], h2[CANON_SHA256_HEX];
    canon_sha256_hex(c1.data, c1.len, h1);
    FUZZ_CHECK(canon_hash_node(&doc, 0, c1.len, h2, &d) == 0);
    FUZZ_CHECK(strcmp(h1, h2) == 0);
    memset(h2, 'x', sizeof(h2));
    FUZZ_CHECK(canon_hash_node(&doc, 0, c1.len - 1, h2, &d) == -ENOBUFS);
    FUZZ_CHECK(h2[0] == 'x'); /* untouched on error */
    json_doc_cleanup(&sh);

out:
    json_doc_cleanup(&doc);
    buf_cleanup(&c1);
    buf_cleanup(&c2);
    return 0;
}
