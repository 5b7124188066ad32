/*
 * mcp.c - rewriting of MCP list results by splicing spans of the original text. Only the
 * array being filtered (and cacheScope) changes; every other byte is copied as it came.
 */
#include "mcp/mcp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int mcp_filter_list(struct json_doc *doc, const char *array_key, const char *name_key,
                    mcp_keep_cb keep, void *ctx, struct buf *out, size_t *dropped)
{
    *dropped = 0;
    /* a truncated or too shallow index may hide the list itself: "not found" would then
     * forward it unfiltered, so both fail closed before anything is looked up */
    if (doc->truncated)
        return SE_ELIMIT;
    uint32_t result = json_getz(doc, 0, "result");
    if (result == 0 && doc->count > 0 && (doc->nodes[0].flags & JSON_F_PARTIAL))
        return SE_ELIMIT;
    if (result == 0 || doc->nodes[result].type != JSON_OBJECT)
        return 0;
    uint32_t arr = json_get(doc, result, array_key, strlen(array_key));
    if (arr == 0 && (doc->nodes[result].flags & JSON_F_PARTIAL))
        return SE_ELIMIT;
    if (arr == 0 || doc->nodes[arr].type != JSON_ARRAY || doc->nodes[arr].nchild == 0)
        return 0;
    if (doc->nodes[arr].flags & JSON_F_PARTIAL)
        return SE_ELIMIT;

    size_t nkeep = 0, n = doc->nodes[arr].nchild;
    uint32_t *kept = malloc(n * sizeof(*kept));
    if (kept == NULL)
        return -ENOMEM;
    struct buf scratch;
    buf_init(&scratch, 1 << 20);
    int rc = 0;
    for (uint32_t el = json_first(doc, arr); el != 0; el = doc->nodes[el].next) {
        bool k = false;
        if (doc->nodes[el].type == JSON_OBJECT) {
            if (doc->nodes[el].flags & JSON_F_PARTIAL) {
                rc = SE_ELIMIT;
                goto out;
            }
            uint32_t name = json_get(doc, el, name_key, strlen(name_key));
            const char *p;
            size_t len;
            if (name != 0 && doc->nodes[name].type == JSON_STRING &&
                json_str(doc, name, &scratch, &p, &len) == 0)
                k = keep(ctx, p, len);
        }
        if (k)
            kept[nkeep++] = el;
    }
    *dropped = n - nkeep;
    if (*dropped == 0)
        goto out;

    /* splice: text up to '[' + kept elements + text after ']', with cacheScope fixed */
    const struct json_node *a = &doc->nodes[arr];
    uint32_t scope = json_getz(doc, result, "cacheScope");
    const struct json_node *sc = scope ? &doc->nodes[scope] : NULL;
    size_t cut1 = a->start, resume = a->end;
    if (sc != NULL && sc->start < a->start) {
        rc = buf_append(out, doc->text, sc->start);
        rc = rc ? rc : buf_append(out, "\"private\"", 9);
        rc = rc ? rc : buf_append(out, doc->text + sc->end, cut1 - sc->end);
    } else {
        rc = buf_append(out, doc->text, cut1);
    }
    rc = rc ? rc : buf_putc(out, '[');
    for (size_t i = 0; i < nkeep && rc == 0; i++) {
        const struct json_node *e = &doc->nodes[kept[i]];
        if (i > 0)
            rc = buf_putc(out, ',');
        rc = rc ? rc : buf_append(out, doc->text + e->start, e->end - e->start);
    }
    rc = rc ? rc : buf_putc(out, ']');
    if (rc == 0 && sc != NULL && sc->start > a->end) {
        rc = buf_append(out, doc->text + resume, sc->start - resume);
        rc = rc ? rc : buf_append(out, "\"private\"", 9);
        resume = sc->end;
    }
    rc = rc ? rc : buf_append(out, doc->text + resume, doc->len - resume);
out:
    buf_cleanup(&scratch);
    free(kept);
    return rc;
}
