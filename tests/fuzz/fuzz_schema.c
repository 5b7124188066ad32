/*
 * fuzz_schema.c - JSON Schema compilation and validation on hostile schemas and values.
 * The input is split at its first NUL byte into a schema and an instance (no NUL: the
 * whole input is the schema and the absent-arguments value {} is validated). Invariants:
 * compile returns a documented code with a NUL-terminated message; unsupported keywords
 * are listed as strings; validate returns 1, 0 or a negative code with a NUL-terminated,
 * non-empty `why` (even with tiny buffers); validating twice gives the same answer and
 * text; a shallowly indexed instance gives the same answer or fails closed (-E2BIG).
 */
#include <errno.h>
#include <string.h>

#include "base/err.h"
#include "fuzz.h"
#include "mcp/schema.h"

#define WHY 256

static int validate(const struct schema *s, const struct json_doc *doc, uint32_t val, char *why,
                    size_t whylen)
{
    memset(why, 0x55, whylen);
    int rc = schema_validate(s, doc, val, why, whylen);
    FUZZ_CHECK(rc == 1 || rc == 0 || rc < 0);
    if (whylen > 0)
        FUZZ_CHECK(memchr(why, '\0', whylen) != NULL);
    if (rc != 1 && whylen > 1)
        FUZZ_CHECK(why[0] != '\0');
    return rc;
}

static void check_value(const struct schema *s, const struct json_doc *doc, uint32_t val)
{
    char why1[WHY], why2[WHY], tiny[8];
    int r1 = validate(s, doc, val, why1, sizeof(why1));
    int r2 = validate(s, doc, val, why2, sizeof(why2));
    FUZZ_CHECK(r1 == r2);
    FUZZ_CHECK(strcmp(why1, why2) == 0);
    FUZZ_CHECK(validate(s, doc, val, tiny, sizeof(tiny)) == r1);
    FUZZ_CHECK(validate(s, doc, val, tiny, 1) == r1);
    FUZZ_CHECK(schema_validate(s, doc, val, NULL, 0) == r1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    size_t slen = nul ? (size_t)(nul - text) : size;

    struct json_doc sd;
    json_doc_init(&sd, 0, 0);
    if (json_parse(&sd, text, slen, JSON_DEFAULT_MAX_DEPTH, NULL) != 0) {
        json_doc_cleanup(&sd);
        return 0;
    }
    struct schema *s = NULL;
    char err[256];
    memset(err, 0x55, sizeof(err));
    int rc = schema_compile(&sd, 0, &s, err, sizeof(err));
    FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == SE_EDEPTH || rc == SE_ELIMIT ||
               rc == -ELOOP || rc == -E2BIG || rc == -ENOMEM);
    FUZZ_CHECK((rc == 0) == (s != NULL));
    if (rc < 0) {
        FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
        json_doc_cleanup(&sd);
        return 0;
    }

    const char *const *ptrs = NULL;
    size_t nu = schema_unsupported(s, &ptrs);
    size_t listed = nu < SCHEMA_MAX_UNSUPPORTED ? nu : SCHEMA_MAX_UNSUPPORTED;
    FUZZ_CHECK(listed == 0 || ptrs != NULL);
    for (size_t i = 0; i < listed; i++) {
        FUZZ_CHECK(ptrs[i] != NULL && strlen(ptrs[i]) < 1u << 20);
        const char *why = schema_unsupported_reason(s, i);
        FUZZ_CHECK(why != NULL && strlen(why) < 1u << 20);
    }
    FUZZ_CHECK(schema_unsupported(s, NULL) == nu);

    /* a compiled schema does not refer to its document */
    json_doc_cleanup(&sd);

    /* the absent-arguments value */
    check_value(s, NULL, 0);

    if (nul != NULL) {
        const char *it = nul + 1;
        size_t ilen = size - slen - 1;
        struct json_doc id;
        json_doc_init(&id, 0, 0);
        if (json_parse(&id, it, ilen, JSON_DEFAULT_MAX_DEPTH, NULL) == 0) {
            check_value(s, &id, 0);
            char why[WHY];
            int full = validate(s, &id, 0, why, sizeof(why));
            /* every element of a top-level array or object, as a value of its own */
            for (uint32_t c = json_first(&id, 0); c != 0; c = id.nodes[c].next)
                check_value(s, &id, c);
            /* an index too shallow never turns a verdict around: same answer or -E2BIG */
            struct json_doc sh;
            json_doc_init(&sh, 0, 0);
            FUZZ_CHECK(json_parse(&sh, it, ilen, 1, NULL) == 0);
            int shallow = validate(s, &sh, 0, why, sizeof(why));
            FUZZ_CHECK(shallow == full || shallow == -E2BIG);
            json_doc_cleanup(&sh);
        }
        json_doc_cleanup(&id);
    }
    schema_free(s);
    return 0;
}
