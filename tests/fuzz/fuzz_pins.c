/*
 * fuzz_pins.c - the pin store's text format and listing checks on hostile bytes.
 *   1. The input is absorbed as store text into an in-memory store. Accepted: serialising,
 *      absorbing that into a fresh store and serialising again gives the same bytes, and
 *      absorbing it back into the first store changes nothing (merging is idempotent).
 *      Refused: the store is unchanged and the message is NUL-terminated.
 *   2. The input is wrapped as a tools/list result ({"tools": INPUT}) and, as a name, into
 *      a small listing; each listing is scanned twice on a fresh store: the first pass
 *      reports nothing CHANGED, the second nothing CHANGED or REMOVED either (duplicate
 *      names aside, whose definitions may legitimately differ); the store the scans built
 *      survives the serialise / absorb round trip too.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_util.h"
#include "proxy/pins.h"

#define NOW 1700000000
#define SERVER "fuzz-server"

static void serialize(const struct pin_store *s, struct buf *out)
{
    buf_reset(out);
    FUZZ_CHECK(pins_serialize(s, out) == 0);
}

static struct pin_store *open_mem(void)
{
    struct pin_store *s = NULL;
    char err[256];
    FUZZ_CHECK(pins_open(&s, NULL, 0, err, sizeof(err)) == 0 && s != NULL);
    pins_set_time(s, NOW);
    return s;
}

static bool same(const struct buf *a, const struct buf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* Serialise s, absorb that into a fresh store, serialise again: the same bytes. */
static void round_trip(struct pin_store *s)
{
    struct buf a, b;
    char err[256];
    buf_init(&a, PINS_MAX_FILE);
    buf_init(&b, PINS_MAX_FILE);
    serialize(s, &a);
    struct pin_store *t = open_mem();
    int rc = pins_absorb(t, a.data, a.len, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "round trip refused: %s\n", err);
    FUZZ_CHECK(rc == 0);
    serialize(t, &b);
    FUZZ_CHECK(same(&a, &b));
    /* merging what it already holds changes nothing */
    FUZZ_CHECK(pins_absorb(s, a.data, a.len, err, sizeof(err)) == 0);
    serialize(s, &b);
    FUZZ_CHECK(same(&a, &b));
    pins_free(t);
    buf_cleanup(&a);
    buf_cleanup(&b);
}

static void check_report(const struct pin_report *r, int pass)
{
    size_t counted[5] = {0};
    for (size_t i = 0; i < r->count; i++) {
        const struct pin_item *it = &r->items[i];
        FUZZ_CHECK(it->state >= PIN_NEW && it->state <= PIN_REFUSED);
        counted[it->state]++;
        FUZZ_CHECK(memchr(it->hash, '\0', sizeof(it->hash)) != NULL);
        FUZZ_CHECK(memchr(it->changed, '\0', sizeof(it->changed)) != NULL);
        if (it->flags & PIN_ITEM_DUPLICATE)
            continue;
        FUZZ_CHECK(it->state != PIN_CHANGED); /* the same listing again changes nothing */
        FUZZ_CHECK(it->state != PIN_REMOVED);
        if (pass == 2)
            FUZZ_CHECK(it->state != PIN_NEW || it->name == NULL);
    }
    FUZZ_CHECK(counted[PIN_NEW] == r->n_new && counted[PIN_SAME] == r->n_same &&
               counted[PIN_CHANGED] == r->n_changed && counted[PIN_REMOVED] == r->n_removed &&
               counted[PIN_REFUSED] == r->n_refused);
}

static void scan_twice(const char *text, size_t len)
{
    struct json_doc doc;
    json_doc_init(&doc, 0, 0);
    if (json_parse(&doc, text, len, 1, NULL) != 0) {
        json_doc_cleanup(&doc);
        return;
    }
    struct pin_store *s = open_mem();
    for (int pass = 1; pass <= 2; pass++) {
        struct pin_report r;
        struct diag d = {0};
        pins_report_init(&r);
        int rc = pins_scan_list(s, SERVER, PIN_TOOL, &doc, 0, PINS_PAGE_ALL, &r, &d);
        FUZZ_CHECK(rc <= 0);
        if (rc == 0)
            check_report(&r, pass);
        pins_report_cleanup(&r);
    }
    round_trip(s);
    pins_free(s);
    json_doc_cleanup(&doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    char err[256];
    struct buf empty, now;
    buf_init(&empty, PINS_MAX_FILE);
    buf_init(&now, PINS_MAX_FILE);

    /* 1. store text */
    struct pin_store *s = open_mem();
    serialize(s, &empty);
    memset(err, 0x55, sizeof(err));
    int rc = pins_absorb(s, text, size, err, sizeof(err));
    if (rc == 0) {
        round_trip(s);
    } else {
        FUZZ_CHECK(rc < 0);
        FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
        serialize(s, &now);
        FUZZ_CHECK(same(&empty, &now)); /* a refused text leaves the store as it was */
    }
    pins_free(s);

    /* 2. listings */
    struct buf l;
    buf_init(&l, (size_t)-1);
    FUZZ_CHECK(buf_append(&l, "{\"tools\":", 9) == 0 && buf_append(&l, text, size) == 0 &&
               buf_putc(&l, '}') == 0);
    scan_twice(l.data, l.len);
    buf_reset(&l);
    FUZZ_CHECK(buf_append(&l, "{\"tools\":[{\"name\":", 18) == 0);
    FUZZ_CHECK(fz_json_string(&l, data, size) == 0);
    FUZZ_CHECK(buf_printf(&l, ",\"inputSchema\":{\"type\":\"object\"}},{\"name\":\"read_file\","
                              "\"description\":") == 0);
    FUZZ_CHECK(fz_json_string(&l, data, size) == 0);
    FUZZ_CHECK(buf_printf(&l, "}]}") == 0);
    scan_twice(l.data, l.len);
    buf_cleanup(&l);

    buf_cleanup(&empty);
    buf_cleanup(&now);
    return 0;
}
