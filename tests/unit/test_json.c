/*
 * test_json.c - the strict JSON validator: every RFC 8259 construct it must accept, every
 * hostile input it must refuse (with the right code and offset), the shallow index, and
 * the lenient id recovery used for error replies. Inputs are copied into exact-size heap
 * blocks so a sanitizer build catches any read past the end.
 */
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "mcp/json.h"

static char *owned; /* the text of the last parse, exactly n bytes long */

static int parse_n(struct json_doc *doc, const char *s, size_t n, unsigned index_depth)
{
    free(owned);
    owned = malloc(n ? n : 1);
    if (owned == NULL)
        abort();
    memcpy(owned, s, n);
    struct diag d = {0};
    return json_parse(doc, owned, n, index_depth, &d);
}

#define PARSE(doc, lit, depth) parse_n((doc), (lit), sizeof(lit) - 1, (depth))

/* Parse with the default limits and return the code. */
static int rc_of(const char *s, size_t n)
{
    struct json_doc doc;
    json_doc_init(&doc, 0, 0);
    int rc = parse_n(&doc, s, n, 8);
    json_doc_cleanup(&doc);
    return rc;
}

#define RC(lit) rc_of((lit), sizeof(lit) - 1)

/* Parse and return the error offset (or (size_t)-1 on success). */
static size_t err_off_of(const char *s, size_t n)
{
    struct json_doc doc;
    json_doc_init(&doc, 0, 0);
    int rc = parse_n(&doc, s, n, 8);
    size_t off = rc < 0 ? doc.err_off : (size_t)-1;
    json_doc_cleanup(&doc);
    return off;
}

#define ERR_OFF(lit) err_off_of((lit), sizeof(lit) - 1)

static void test_accepts(void)
{
    /* numbers */
    CHECK_INT(RC("0"), 0);
    CHECK_INT(RC("-0"), 0);
    CHECK_INT(RC("1e5"), 0);
    CHECK_INT(RC("1E+5"), 0);
    CHECK_INT(RC("1e-5"), 0);
    CHECK_INT(RC("0.5"), 0);
    CHECK_INT(RC("-0.5e-10"), 0);
    CHECK_INT(RC("0e0"), 0);
    CHECK_INT(RC("10"), 0);
    CHECK_INT(RC("123456789012345678901234567890"), 0);
    CHECK_INT(RC("1.7976931348623157e309"), 0);
    /* literals and empty containers */
    CHECK_INT(RC("true"), 0);
    CHECK_INT(RC("false"), 0);
    CHECK_INT(RC("null"), 0);
    CHECK_INT(RC("\"\""), 0);
    CHECK_INT(RC("[]"), 0);
    CHECK_INT(RC("{}"), 0);
    CHECK_INT(RC("[ ]"), 0);
    CHECK_INT(RC("{ }"), 0);
    /* whitespace everywhere it may go, trailing \r included */
    CHECK_INT(RC(" \t\r\n[ 1 , 2 ]\r\n"), 0);
    CHECK_INT(RC("{\"a\":1}\r"), 0);
    CHECK_INT(RC("{ \"a\" : 1 , \"b\" : [ true , null ] }"), 0);
    /* nesting */
    CHECK_INT(RC("[[[]]]"), 0);
    CHECK_INT(RC("{\"a\":{\"b\":[1,{\"c\":null}]},\"d\":\"e\"}"), 0);
    /* escapes */
    CHECK_INT(RC("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""), 0);
    CHECK_INT(RC("\"\\u0000\""), 0);
    CHECK_INT(RC("\"\\uD83D\\uDE00\""), 0);
    CHECK_INT(RC("\"\\ud83d\\ude00\""), 0);
    CHECK_INT(RC("\"\\uDBFF\\uDFFF\""), 0);
    CHECK_INT(RC("\"\\u00e9\\u20AC\\uFFFF\""), 0);
    /* raw UTF-8: 2, 3, 4 bytes, the highest code point, U+2028, DEL */
    CHECK_INT(RC("\"\xC3\xA9\""), 0);
    CHECK_INT(RC("\"\xE2\x82\xAC\""), 0);
    CHECK_INT(RC("\"\xF0\x9F\x98\x80\""), 0);
    CHECK_INT(RC("\"\xF4\x8F\xBF\xBF\""), 0);
    CHECK_INT(RC("\"\xE2\x80\xA8\""), 0);
    CHECK_INT(RC("\"\xED\x9F\xBF\""), 0); /* U+D7FF, just below the surrogates */
    CHECK_INT(RC("\"\xEE\x80\x80\""), 0); /* U+E000, just above */
    CHECK_INT(RC("\"\xC2\x80\""), 0);
    CHECK_INT(RC("\"\xE0\xA0\x80\""), 0);
    CHECK_INT(RC("\"\xF0\x90\x80\x80\""), 0);
    CHECK_INT(RC("\"\x7f\""), 0);
    CHECK_INT(RC("{\"\xC3\xA9\":\"\xE2\x82\xAC\"}"), 0);
}

static void test_types_and_flags(void)
{
    struct json_doc doc;
    json_doc_init(&doc, 0, 0);
    CHECK_INT(PARSE(&doc, "-0", 0), 0);
    CHECK_INT(doc.count, 1);
    CHECK_INT(doc.nodes[0].type, JSON_NUMBER);
    CHECK(doc.nodes[0].flags & JSON_F_INTEGER);
    CHECK_INT(PARSE(&doc, "0.5", 0), 0);
    CHECK(!(doc.nodes[0].flags & JSON_F_INTEGER));
    CHECK_INT(PARSE(&doc, "1e5", 0), 0);
    CHECK(!(doc.nodes[0].flags & JSON_F_INTEGER));
    CHECK_INT(PARSE(&doc, "1E+5", 0), 0);
    CHECK(!(doc.nodes[0].flags & JSON_F_INTEGER));
    CHECK_INT(PARSE(&doc, "  true ", 0), 0);
    CHECK_INT(doc.nodes[0].type, JSON_TRUE);
    CHECK_INT(doc.nodes[0].start, 2);
    CHECK_INT(doc.nodes[0].end, 6);
    CHECK_INT(PARSE(&doc, "false", 0), 0);
    CHECK_INT(doc.nodes[0].type, JSON_FALSE);
    CHECK_INT(PARSE(&doc, "null", 0), 0);
    CHECK_INT(doc.nodes[0].type, JSON_NULL);
    CHECK_INT(PARSE(&doc, "\"a\\nb\"", 0), 0);
    CHECK_INT(doc.nodes[0].type, JSON_STRING);
    CHECK(doc.nodes[0].flags & JSON_F_ESCAPED);
    CHECK_INT(PARSE(&doc, "\"ab\"", 0), 0);
    CHECK(!(doc.nodes[0].flags & JSON_F_ESCAPED));
    CHECK(!(doc.nodes[0].flags & JSON_F_NONASCII));
    CHECK_INT(PARSE(&doc, "\"caf\xc3\xa9\"", 0), 0);
    CHECK(doc.nodes[0].flags & JSON_F_NONASCII);
    CHECK(!(doc.nodes[0].flags & JSON_F_ESCAPED));
    CHECK_INT(PARSE(&doc, "\"caf\\u00e9\"", 0), 0); /* escaped: not raw non-ASCII */
    CHECK(!(doc.nodes[0].flags & JSON_F_NONASCII));
    CHECK(!(doc.nodes[0].flags & JSON_F_MEMBER));
    CHECK_INT(PARSE(&doc, "[1,\"x\"]", 1), 0);
    CHECK_INT(doc.nodes[0].type, JSON_ARRAY);
    CHECK_INT(doc.count, 3);
    CHECK(!(doc.nodes[1].flags & JSON_F_MEMBER)); /* array elements have no key */
    CHECK_INT(PARSE(&doc, "{\"k\":1,\"\\u006b2\":2}", 1), 0);
    CHECK_INT(doc.nodes[0].type, JSON_OBJECT);
    CHECK(doc.nodes[1].flags & JSON_F_MEMBER);
    CHECK(!(doc.nodes[1].flags & JSON_F_KEY_ESCAPED));
    CHECK_MEM(doc.text + doc.nodes[1].key_start, doc.nodes[1].key_len, "k");
    CHECK(doc.nodes[2].flags & JSON_F_KEY_ESCAPED);
    CHECK_MEM(doc.text + doc.nodes[2].key_start, doc.nodes[2].key_len, "\\u006b2");
    json_doc_cleanup(&doc);
}

static void test_utf8_rejections(void)
{
    CHECK_INT(RC("\"\xC0\x80\""), SE_EUTF8);         /* overlong NUL */
    CHECK_INT(RC("\"\xC1\xBF\""), SE_EUTF8);         /* overlong 2-byte */
    CHECK_INT(RC("\"\xE0\x80\x80\""), SE_EUTF8);     /* overlong 3-byte */
    CHECK_INT(RC("\"\xE0\x9F\xBF\""), SE_EUTF8);     /* overlong 3-byte, top */
    CHECK_INT(RC("\"\xF0\x80\x80\x80\""), SE_EUTF8); /* overlong 4-byte */
    CHECK_INT(RC("\"\xF0\x8F\xBF\xBF\""), SE_EUTF8); /* overlong 4-byte, top */
    CHECK_INT(RC("\"\xED\xA0\x80\""), SE_EUTF8);     /* encoded high surrogate */
    CHECK_INT(RC("\"\xED\xBF\xBF\""), SE_EUTF8);     /* encoded low surrogate */
    CHECK_INT(RC("\"\xF4\x90\x80\x80\""), SE_EUTF8); /* U+110000 */
    CHECK_INT(RC("\"\xF5\x80\x80\x80\""), SE_EUTF8);
    CHECK_INT(RC("\"\xF8\x88\x80\x80\x80\""), SE_EUTF8);
    CHECK_INT(RC("\"\xFF\""), SE_EUTF8);
    CHECK_INT(RC("\"\xFE\""), SE_EUTF8);
    CHECK_INT(RC("\"\x80\""), SE_EUTF8); /* lone continuation */
    CHECK_INT(RC("\"\xBF\""), SE_EUTF8);
    CHECK_INT(RC("\"a\x80"
                 "b\""),
              SE_EUTF8);
    CHECK_INT(RC("\"\xC3\xA9\xA9\""), SE_EUTF8); /* one continuation too many */
    CHECK_INT(RC("\"\xC3\""), SE_EUTF8);         /* truncated before the quote */
    CHECK_INT(RC("\"\xE2\x82\""), SE_EUTF8);
    CHECK_INT(RC("\"\xF0\x9F\x98\""), SE_EUTF8);
    CHECK_INT(RC("\"\xE2\x28\xA1\""), SE_EUTF8); /* bad second byte */
    CHECK_INT(RC("\"\xE2\x82\x28\""), SE_EUTF8); /* bad third byte */
    CHECK_INT(RC("\"\xF0\x9F\x98\x28\""), SE_EUTF8);
    /* truncated sequence at the very end of the input */
    CHECK_INT(RC("\"\xC3"), SE_EUTF8);
    CHECK_INT(RC("\"\xE2\x82"), SE_EUTF8);
    CHECK_INT(RC("\"\xF0\x9F\x98"), SE_EUTF8);
    CHECK_INT(RC("\"abcdefghij\xF0\x9F\x98"), SE_EUTF8);
    /* in a member name too */
    CHECK_INT(RC("{\"\xC0\x80\":1}"), SE_EUTF8);
    /* outside strings: an invalid byte is a UTF-8 error, valid non-ASCII a parse error */
    CHECK_INT(RC("\xFF"), SE_EUTF8);
    CHECK_INT(RC("[\x80]"), SE_EUTF8);
    CHECK_INT(RC("\xC3\xA9"), SE_EPARSE);
    CHECK_INT(RC("\xEF\xBB\xBF{}"), SE_EPARSE); /* a BOM is not JSON whitespace */
    {
        /* the error names the byte, not '?' */
        struct json_doc doc;
        struct diag d = {0};
        json_doc_init(&doc, 0, 0);
        CHECK(json_parse(&doc, "\xEF\xBB\xBF{}", 5, 8, &d) < 0);
        CHECK(strstr(d.msg, "byte-order mark") != NULL);
        CHECK(json_parse(&doc, "\f{}", 3, 8, &d) < 0);
        CHECK(strstr(d.msg, "unexpected byte 0x0C") != NULL);
        CHECK(json_parse(&doc, "\xC2\xA0{}", 4, 8, &d) < 0);
        CHECK(strstr(d.msg, "unexpected byte 0xC2") != NULL);
        json_doc_cleanup(&doc);
    }
    /* offsets point at the offending byte */
    CHECK_INT(ERR_OFF("[\"ab\xC0\x80\"]"), 4);
    CHECK_INT(ERR_OFF("\"\xED\xA0\x80\""), 1);
}

static void test_surrogate_escapes(void)
{
    CHECK_INT(RC("\"\\uD800\""), SE_EUTF8);
    CHECK_INT(RC("\"\\uDBFF\""), SE_EUTF8);
    CHECK_INT(RC("\"\\uDC00\""), SE_EUTF8);
    CHECK_INT(RC("\"\\uDFFF\""), SE_EUTF8);
    CHECK_INT(RC("\"\\uD800\\u0041\""), SE_EUTF8);
    CHECK_INT(RC("\"\\uD800\\uD800\""), SE_EUTF8);
    CHECK_INT(RC("\"\\uD800\\n\""), SE_EUTF8);
    CHECK_INT(RC("\"\\uD800x\\uDC00\""), SE_EUTF8);
    CHECK_INT(RC("\"\\uDC00\\uD800\""), SE_EUTF8); /* reversed pair */
    CHECK_INT(RC("\"\\uD800\\uDC0\""), SE_EUTF8);  /* low half too short */
    CHECK_INT(RC("\"\\uD800"), SE_EUTF8);          /* input ends after the high half */
    CHECK_INT(RC("{\"\\uDC00\":1}"), SE_EUTF8);
    CHECK_INT(RC("\"\\uD7FF\\uE000\""), 0); /* neighbours are fine */
    CHECK_INT(ERR_OFF("[1,\"ab\\uDC00\"]"), 6);
    CHECK_INT(ERR_OFF("[1,\"ab\\uD800\"]"), 6);
}

static void test_string_rejections(void)
{
    CHECK_INT(RC("\"a\x01"
                 "b\""),
              SE_EPARSE);
    CHECK_INT(RC("\"\x1f\""), SE_EPARSE);
    CHECK_INT(RC("\"\t\""), SE_EPARSE);
    CHECK_INT(RC("\"\n\""), SE_EPARSE);
    CHECK_INT(RC("\"\r\""), SE_EPARSE);
    CHECK_INT(RC("\"a\0b\""), SE_EPARSE);
    CHECK_INT(ERR_OFF("\"ab\tc\""), 3);
    CHECK_INT(RC("\"\\x\""), SE_EPARSE);
    CHECK_INT(RC("\"\\'\""), SE_EPARSE);
    CHECK_INT(RC("\"\\U0041\""), SE_EPARSE);
    CHECK_INT(RC("\"\\u12G4\""), SE_EPARSE);
    CHECK_INT(RC("\"\\u123\""), SE_EPARSE);
    CHECK_INT(RC("\"\\u12"), SE_EPARSE);
    CHECK_INT(RC("\"\\"), SE_EPARSE);
    CHECK_INT(RC("\"\\\""), SE_EPARSE);
    CHECK_INT(RC("\"\\0\""), SE_EPARSE);
    CHECK_INT(RC("'a'"), SE_EPARSE);
    /* unterminated */
    CHECK_INT(RC("\""), SE_EPARSE);
    CHECK_INT(RC("\"abc"), SE_EPARSE);
    CHECK_INT(RC("\"abcdefghijklmnopqrstuvwxyz"), SE_EPARSE);
    CHECK_INT(RC("{\"abc"), SE_EPARSE);
    CHECK_INT(ERR_OFF("[\"abc"), 5);
}

static void test_number_rejections(void)
{
    CHECK_INT(RC("01"), SE_EPARSE);
    CHECK_INT(RC("00"), SE_EPARSE);
    CHECK_INT(RC("-01"), SE_EPARSE);
    CHECK_INT(RC("[01]"), SE_EPARSE);
    CHECK_INT(RC("{\"a\":01}"), SE_EPARSE);
    CHECK_INT(RC("-"), SE_EPARSE);
    CHECK_INT(RC("- 1"), SE_EPARSE);
    CHECK_INT(RC("+1"), SE_EPARSE);
    CHECK_INT(RC("1."), SE_EPARSE);
    CHECK_INT(RC("1.e5"), SE_EPARSE);
    CHECK_INT(RC(".5"), SE_EPARSE);
    CHECK_INT(RC("1e"), SE_EPARSE);
    CHECK_INT(RC("1e+"), SE_EPARSE);
    CHECK_INT(RC("1E-"), SE_EPARSE);
    CHECK_INT(RC("0x10"), SE_EPARSE);
    CHECK_INT(RC("1,5"), SE_EPARSE);
    CHECK_INT(RC("Infinity"), SE_EPARSE);
    CHECK_INT(RC("-Infinity"), SE_EPARSE);
    CHECK_INT(RC("NaN"), SE_EPARSE);
    CHECK_INT(RC("[-]"), SE_EPARSE);
    CHECK_INT(ERR_OFF("[1,01]"), 4);
    CHECK_INT(ERR_OFF("[1.]"), 3);
}

static void test_structure_rejections(void)
{
    /* empty input */
    CHECK_INT(RC(""), SE_EPARSE);
    CHECK_INT(RC("   "), SE_EPARSE);
    CHECK_INT(RC("\r\n"), SE_EPARSE);
    CHECK_INT(ERR_OFF(""), 0);
    /* trailing commas and missing values */
    CHECK_INT(RC("[1,]"), SE_EPARSE);
    CHECK_INT(RC("{\"a\":1,}"), SE_EPARSE);
    CHECK_INT(RC("[,1]"), SE_EPARSE);
    CHECK_INT(RC("[1,,2]"), SE_EPARSE);
    CHECK_INT(RC("{,}"), SE_EPARSE);
    CHECK_INT(RC("[,]"), SE_EPARSE);
    CHECK_INT(ERR_OFF("[1,]"), 3);
    CHECK_INT(ERR_OFF("{\"a\":1,}"), 7);
    /* trailing garbage */
    CHECK_INT(RC("1 2"), SE_EPARSE);
    CHECK_INT(RC("{}x"), SE_EPARSE);
    CHECK_INT(RC("[]]"), SE_EPARSE);
    CHECK_INT(RC("{}}"), SE_EPARSE);
    CHECK_INT(RC("{} {}"), SE_EPARSE);
    CHECK_INT(RC("\"a\"\"b\""), SE_EPARSE);
    CHECK_INT(RC("nullx"), SE_EPARSE);
    CHECK_INT(RC("1\0"), SE_EPARSE);
    CHECK_INT(RC("{}\n\0"), SE_EPARSE);
    CHECK_INT(RC("{}\f"), SE_EPARSE); /* form feed is not JSON whitespace */
    CHECK_INT(RC("{}\v"), SE_EPARSE);
    CHECK_INT(ERR_OFF("{} x"), 3);
    /* bad literals */
    CHECK_INT(RC("tru"), SE_EPARSE);
    CHECK_INT(RC("t"), SE_EPARSE);
    CHECK_INT(RC("nul"), SE_EPARSE);
    CHECK_INT(RC("falsy"), SE_EPARSE);
    CHECK_INT(RC("True"), SE_EPARSE);
    CHECK_INT(RC("NULL"), SE_EPARSE);
    CHECK_INT(RC("nan"), SE_EPARSE);
    CHECK_INT(RC("[truex]"), SE_EPARSE);
    CHECK_INT(RC("undefined"), SE_EPARSE);
    /* objects */
    CHECK_INT(RC("{1:2}"), SE_EPARSE);
    CHECK_INT(RC("{a:1}"), SE_EPARSE);
    CHECK_INT(RC("{\"a\" 1}"), SE_EPARSE);
    CHECK_INT(RC("{\"a\"}"), SE_EPARSE);
    CHECK_INT(RC("{\"a\":}"), SE_EPARSE);
    CHECK_INT(RC("{\"a\":1 \"b\":2}"), SE_EPARSE);
    CHECK_INT(RC("{\"a\"::1}"), SE_EPARSE);
    CHECK_INT(RC("{'a':1}"), SE_EPARSE);
    CHECK_INT(RC("{\"a\":1]"), SE_EPARSE);
    CHECK_INT(RC("[1}"), SE_EPARSE);
    CHECK_INT(RC("[1 2]"), SE_EPARSE);
    /* unterminated containers */
    CHECK_INT(RC("["), SE_EPARSE);
    CHECK_INT(RC("{"), SE_EPARSE);
    CHECK_INT(RC("[1,2"), SE_EPARSE);
    CHECK_INT(RC("[1,"), SE_EPARSE);
    CHECK_INT(RC("{\"a\":1"), SE_EPARSE);
    CHECK_INT(RC("{\"a\""), SE_EPARSE);
    CHECK_INT(RC("{\"a\":"), SE_EPARSE);
    CHECK_INT(RC("[[[]]"), SE_EPARSE);
    CHECK_INT(ERR_OFF("[1,2"), 4);
    /* stray closers and punctuation */
    CHECK_INT(RC("]"), SE_EPARSE);
    CHECK_INT(RC("}"), SE_EPARSE);
    CHECK_INT(RC(":"), SE_EPARSE);
    CHECK_INT(RC(","), SE_EPARSE);
    CHECK_INT(RC("/* c */ 1"), SE_EPARSE);
}

static void test_diag(void)
{
    struct json_doc doc;
    struct diag d = {0};
    json_doc_init(&doc, 0, 0);
    const char *s = "[1,\"a\",tru]";
    CHECK_INT(json_parse(&doc, s, strlen(s), 1, &d), SE_EPARSE);
    CHECK_INT(doc.err_off, 7);
    CHECK_INT(d.col, 8); /* 1-based */
    CHECK_INT(d.line, 1);
    CHECK(d.msg[0] != '\0');
    /* a NULL diag is allowed */
    CHECK_INT(json_parse(&doc, s, strlen(s), 1, NULL), SE_EPARSE);
    CHECK_INT(json_parse(&doc, "[1]", 3, 1, NULL), 0);
    json_doc_cleanup(&doc);
}

static void test_duplicate_keys(void)
{
    CHECK_INT(RC("{\"a\":1,\"a\":2}"), SE_EDUPKEY);
    CHECK_INT(ERR_OFF("{\"a\":1,\"a\":2}"), 7);
    CHECK_INT(RC("{\"a\":1,\"b\":2,\"a\":3}"), SE_EDUPKEY);
    /* equal only after unescaping, either side */
    CHECK_INT(RC("{\"a\":1,\"\\u0061\":2}"), SE_EDUPKEY);
    CHECK_INT(RC("{\"\\u0061\":1,\"a\":2}"), SE_EDUPKEY);
    CHECK_INT(RC("{\"\\u0061\":1,\"\\u0061\":2}"), SE_EDUPKEY);
    CHECK_INT(RC("{\"\\/\":1,\"/\":2}"), SE_EDUPKEY);
    CHECK_INT(RC("{\"\\u00e9\":1,\"\xC3\xA9\":2}"), SE_EDUPKEY);
    CHECK_INT(RC("{\"\\uD83D\\uDE00\":1,\"\xF0\x9F\x98\x80\":2}"), SE_EDUPKEY);
    CHECK_INT(RC("{\"a\\u0000\":1,\"a\\u0000\":2}"), SE_EDUPKEY);
    CHECK_INT(RC("{\"\":1,\"\":2}"), SE_EDUPKEY);
    /* not equal */
    CHECK_INT(RC("{\"a\":1,\"A\":2}"), 0);
    CHECK_INT(RC("{\"a\\u0000\":1,\"a\":2}"), 0);
    CHECK_INT(RC("{\"a\":1,\"a \":2}"), 0);
    CHECK_INT(RC("{\"\\u0061\":1,\"\\u0062\":2}"), 0);
    /* different keys whose FNV-1a hashes collide are not duplicates */
    CHECK_INT(RC("{\"kdpov\":1,\"kkqneb\":2}"), 0);
    CHECK_INT(RC("{\"kdpov\":1,\"kkqneb\":2,\"kdpov\":3}"), SE_EDUPKEY);
    /* nested objects: the inner object is checked on its own ... */
    CHECK_INT(RC("{\"a\":{\"b\":1,\"b\":2}}"), SE_EDUPKEY);
    CHECK_INT(RC("[{\"b\":1,\"\\u0062\":2}]"), SE_EDUPKEY);
    CHECK_INT(RC("{\"a\":1,\"b\":{\"c\":1},\"a\":2}"), SE_EDUPKEY);
    /* ... and the same key in sibling or nested objects is fine */
    CHECK_INT(RC("{\"a\":{\"a\":1}}"), 0);
    CHECK_INT(RC("[{\"a\":1},{\"a\":1}]"), 0);
    CHECK_INT(RC("{\"x\":{\"a\":1},\"y\":{\"a\":1}}"), 0);
    CHECK_INT(RC("{\"a\":1,\"x\":{\"b\":1,\"c\":1},\"b\":2,\"c\":3}"), 0);
    CHECK_INT(RC("{\"a\":[{\"a\":[{\"a\":1}]}],\"b\":1}"), 0);
}

/* Build {"k0":0,...,"k<n-1>":n-1} plus `extra` members (raw text) into b. */
static void big_object(struct buf *b, int n, const char *extra_before, const char *extra)
{
    buf_reset(b);
    buf_putc(b, '{');
    if (extra_before)
        buf_printf(b, "%s,", extra_before);
    for (int i = 0; i < n; i++)
        buf_printf(b, "%s\"k%d\":%d", i ? "," : "", i, i);
    if (extra)
        buf_printf(b, ",%s", extra);
    buf_putc(b, '}');
}

static void test_duplicate_keys_large(void)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    big_object(&b, 16, NULL, NULL);
    CHECK_INT(rc_of(b.data, b.len), 0);
    big_object(&b, 17, NULL, NULL);
    CHECK_INT(rc_of(b.data, b.len), 0);
    big_object(&b, 100, NULL, NULL);
    CHECK_INT(rc_of(b.data, b.len), 0);
    /* 16 keys (the small path) with a duplicate at the end */
    big_object(&b, 15, NULL, "\"k3\":0");
    CHECK_INT(rc_of(b.data, b.len), SE_EDUPKEY);
    /* 17+ keys (the sorted path) */
    big_object(&b, 16, NULL, "\"k3\":0");
    CHECK_INT(rc_of(b.data, b.len), SE_EDUPKEY);
    big_object(&b, 40, NULL, "\"k\\u0035\":0");
    CHECK_INT(rc_of(b.data, b.len), SE_EDUPKEY);
    big_object(&b, 40, "\"k\\u0033\\u0039\":0", NULL); /* "k39" escaped, first */
    CHECK_INT(rc_of(b.data, b.len), SE_EDUPKEY);
    big_object(&b, 40, "\"kdpov\":1", "\"kkqneb\":2");
    CHECK_INT(rc_of(b.data, b.len), 0);
    big_object(&b, 40, "\"kdpov\":1", "\"kkqneb\":2,\"kdpov\":3");
    CHECK_INT(rc_of(b.data, b.len), SE_EDUPKEY);
    /* the offset names the later occurrence, whatever the sort did */
    big_object(&b, 30, "\"k29x\":0", "\"k7\":0");
    {
        size_t off = err_off_of(b.data, b.len);
        const char *last = memmem(b.data, b.len, ",\"k7\":0}", 8); /* b is not NUL-terminated */
        CHECK(last != NULL);
        if (last)
            CHECK_INT(off, (size_t)(last - b.data) + 1);
    }
    /* nested large objects: same 40 names at two levels, in siblings, no duplicates */
    {
        struct buf inner;
        buf_init(&inner, 1 << 20);
        big_object(&inner, 40, NULL, NULL);
        buf_reset(&b);
        buf_putc(&b, '{');
        for (int i = 0; i < 30; i++)
            buf_printf(&b, "%s\"k%d\":%.*s", i ? "," : "", i, (int)inner.len, inner.data);
        buf_putc(&b, '}');
        CHECK_INT(rc_of(b.data, b.len), 0);
        /* and a duplicate deep inside one of them is still found */
        buf_reset(&b);
        buf_printf(&b, "{\"a\":%.*s,\"b\":", (int)inner.len, inner.data);
        big_object(&inner, 40, NULL, "\"k12\":1");
        buf_printf(&b, "%.*s}", (int)inner.len, inner.data);
        CHECK_INT(rc_of(b.data, b.len), SE_EDUPKEY);
        buf_cleanup(&inner);
    }
    buf_cleanup(&b);
}

static void test_depth(void)
{
    struct json_doc doc;
    json_doc_init(&doc, 4, 0);
    CHECK_INT(doc.max_depth, 4);
    CHECK_INT(PARSE(&doc, "[[[[]]]]", 0), 0);
    CHECK_INT(PARSE(&doc, "[[[[1]]]]", 0), 0);
    CHECK_INT(PARSE(&doc, "[[[[[]]]]]", 0), SE_EDEPTH);
    CHECK_INT(doc.err_off, 4);
    CHECK_INT(PARSE(&doc, "{\"a\":{\"b\":[{\"c\":1}]}}", 0), 0);
    CHECK_INT(PARSE(&doc, "{\"a\":{\"b\":[{\"c\":{}}]}}", 0), SE_EDEPTH);
    CHECK_INT(PARSE(&doc, "{\"a\":{\"b\":[{\"c\":[]}]}}", 0), SE_EDEPTH);
    /* scalars at the deepest level do not count */
    CHECK_INT(PARSE(&doc, "[[[[\"s\",1,null]]]]", 8), 0);
    /* depth goes back down: many siblings at the limit */
    CHECK_INT(PARSE(&doc, "[[[[]]],[[[]]],[[[]]]]", 8), 0);
    json_doc_cleanup(&doc);

    json_doc_init(&doc, 1, 0);
    CHECK_INT(PARSE(&doc, "[]", 0), 0);
    CHECK_INT(PARSE(&doc, "[1,2]", 0), 0);
    CHECK_INT(PARSE(&doc, "[[]]", 0), SE_EDEPTH);
    CHECK_INT(PARSE(&doc, "{\"a\":{}}", 0), SE_EDEPTH);
    json_doc_cleanup(&doc);

    /* the default limit, exactly at the boundary, and a hostile 100k-deep input */
    json_doc_init(&doc, 0, 0);
    CHECK_INT(doc.max_depth, JSON_DEFAULT_MAX_DEPTH);
    {
        size_t n = JSON_DEFAULT_MAX_DEPTH;
        char *s = malloc(2 * n + 2);
        memset(s, '[', n);
        memset(s + n, ']', n);
        CHECK_INT(parse_n(&doc, s, 2 * n, 2), 0);
        memset(s, '[', n + 1);
        memset(s + n + 1, ']', n + 1);
        CHECK_INT(parse_n(&doc, s, 2 * n + 2, 2), SE_EDEPTH);
        CHECK_INT(doc.err_off, n);
        free(s);
        n = 100000;
        s = malloc(n);
        memset(s, '[', n);
        CHECK_INT(parse_n(&doc, s, n, 2), SE_EDEPTH);
        free(s);
    }
    json_doc_cleanup(&doc);
}

static void test_index_depth(void)
{
    struct json_doc doc;
    json_doc_init(&doc, 0, 0);
    const char *t = "{\"a\":{\"b\":{\"c\":1}},\"d\":[1,2,3],\"e\":[]}";

    CHECK_INT(parse_n(&doc, t, strlen(t), 0), 0);
    CHECK_INT(doc.count, 1);
    CHECK_INT(doc.nodes[0].nchild, 3);
    CHECK(doc.nodes[0].flags & JSON_F_PARTIAL);
    CHECK_INT(json_first(&doc, 0), 0);
    CHECK(!doc.truncated);

    CHECK_INT(parse_n(&doc, t, strlen(t), 1), 0);
    CHECK_INT(doc.count, 4);
    CHECK(!(doc.nodes[0].flags & JSON_F_PARTIAL));
    CHECK_INT(doc.nodes[0].nchild, 3);
    uint32_t a = json_getz(&doc, 0, "a"), d = json_getz(&doc, 0, "d"), e = json_getz(&doc, 0, "e");
    CHECK_INT(a, 1);
    CHECK_INT(d, 2);
    CHECK_INT(e, 3);
    CHECK_INT(doc.nodes[a].depth, 1);
    CHECK(doc.nodes[a].flags & JSON_F_PARTIAL);
    CHECK_INT(doc.nodes[a].nchild, 1);
    CHECK_INT(json_first(&doc, a), 0);
    CHECK_MEM(doc.text + doc.nodes[a].start, doc.nodes[a].end - doc.nodes[a].start,
              "{\"b\":{\"c\":1}}");
    CHECK(doc.nodes[d].flags & JSON_F_PARTIAL);
    CHECK_INT(doc.nodes[d].nchild, 3);
    CHECK_MEM(doc.text + doc.nodes[d].start, doc.nodes[d].end - doc.nodes[d].start, "[1,2,3]");
    CHECK(!(doc.nodes[e].flags & JSON_F_PARTIAL)); /* empty: nothing is missing */
    CHECK_INT(doc.nodes[e].nchild, 0);
    /* iteration */
    CHECK_INT(json_first(&doc, 0), a);
    CHECK_INT(doc.nodes[a].next, d);
    CHECK_INT(doc.nodes[d].next, e);
    CHECK_INT(doc.nodes[e].next, 0);
    CHECK_INT(doc.nodes[0].next, 0);
    CHECK_INT(json_first(&doc, e), 0);
    CHECK_INT(json_first(&doc, 99), 0);

    CHECK_INT(parse_n(&doc, t, strlen(t), 2), 0);
    CHECK_INT(doc.count, 8); /* root a b d 1 2 3 e */
    a = json_getz(&doc, 0, "a");
    CHECK(!(doc.nodes[a].flags & JSON_F_PARTIAL));
    uint32_t b = json_getz(&doc, a, "b");
    CHECK(b != 0);
    CHECK_INT(doc.nodes[b].depth, 2);
    CHECK(doc.nodes[b].flags & JSON_F_PARTIAL);
    CHECK_INT(json_getz(&doc, b, "c"), 0);
    d = json_getz(&doc, 0, "d");
    CHECK(!(doc.nodes[d].flags & JSON_F_PARTIAL));
    {
        int64_t want = 1, v;
        int n = 0;
        for (uint32_t c = json_first(&doc, d); c != 0; c = doc.nodes[c].next, want++, n++) {
            CHECK_INT(doc.nodes[c].depth, 2);
            CHECK_INT(json_int(&doc, c, &v), 0);
            CHECK_INT(v, want);
        }
        CHECK_INT(n, 3);
    }

    CHECK_INT(parse_n(&doc, t, strlen(t), 10), 0);
    CHECK_INT(doc.count, 9);
    for (uint32_t i = 0; i < doc.count; i++)
        CHECK(!(doc.nodes[i].flags & JSON_F_PARTIAL));
    uint32_t c = json_getz(&doc, json_getz(&doc, json_getz(&doc, 0, "a"), "b"), "c");
    CHECK(c != 0);
    CHECK_INT(doc.nodes[c].depth, 3);

    /* the whole text is still validated below the index depth */
    CHECK_INT(PARSE(&doc, "{\"a\":{\"b\":{\"c\":01}}}", 0), SE_EPARSE);
    CHECK_INT(PARSE(&doc, "{\"a\":{\"b\":{\"c\":1,\"c\":2}}}", 0), SE_EDUPKEY);
    CHECK_INT(PARSE(&doc, "[[[\"\xC0\x80\"]]]", 0), SE_EUTF8);
    json_doc_cleanup(&doc);
}

static void test_node_cap(void)
{
    struct json_doc doc;
    json_doc_init(&doc, 0, 3);
    CHECK_INT(doc.max_nodes, 3);
    CHECK_INT(PARSE(&doc, "[1,2]", 1), 0);
    CHECK_INT(doc.count, 3);
    CHECK(!doc.truncated);
    CHECK(!(doc.nodes[0].flags & JSON_F_PARTIAL));

    CHECK_INT(PARSE(&doc, "[1,2,3,4,5]", 1), 0);
    CHECK_INT(doc.count, 3);
    CHECK(doc.truncated);
    CHECK(doc.nodes[0].flags & JSON_F_PARTIAL);
    CHECK_INT(doc.nodes[0].nchild, 5);
    CHECK_INT(doc.nodes[0].end, 11);
    CHECK_INT(doc.nodes[doc.nodes[1].next].next, 0);

    /* nested: the container whose child is missing is marked */
    CHECK_INT(PARSE(&doc, "{\"a\":[1],\"b\":2}", 2), 0);
    CHECK(doc.truncated);
    CHECK_INT(doc.count, 3);
    CHECK(doc.nodes[0].flags & JSON_F_PARTIAL); /* "b" is missing */
    CHECK_INT(json_getz(&doc, 0, "b"), 0);

    /* the flag is reset by the next parse */
    CHECK_INT(PARSE(&doc, "[]", 1), 0);
    CHECK(!doc.truncated);
    CHECK_INT(doc.count, 1);
    /* the cap never hides an error further on */
    CHECK_INT(PARSE(&doc, "[1,2,3,4,5,]", 1), SE_EPARSE);
    CHECK_INT(PARSE(&doc, "[1,2,3,{\"a\":1,\"a\":2}]", 1), SE_EDUPKEY);
    json_doc_cleanup(&doc);

    /* nodes only within index_depth count against the cap */
    json_doc_init(&doc, 0, 2);
    CHECK_INT(PARSE(&doc, "{\"a\":[1,2,3,4,5,6,7,8]}", 1), 0);
    CHECK(!doc.truncated);
    CHECK_INT(doc.count, 2);
    json_doc_cleanup(&doc);
}

static void test_get(void)
{
    struct json_doc doc;
    json_doc_init(&doc, 0, 0);
    CHECK_INT(PARSE(&doc,
                    "{\"plain\":1,\"\\u0065cho\":2,\"a\\u0000b\":3,\"t\\\"q\":4,\"\":5,"
                    "\"\\uD83D\\uDE00\":6,\"x\\/y\":7}",
                    1),
              0);
    int64_t v;
    uint32_t n;
    CHECK((n = json_getz(&doc, 0, "plain")) != 0);
    CHECK_INT(json_int(&doc, n, &v), 0);
    CHECK_INT(v, 1);
    CHECK((n = json_getz(&doc, 0, "echo")) != 0);
    CHECK_INT(json_int(&doc, n, &v), 0);
    CHECK_INT(v, 2);
    CHECK_INT(json_getz(&doc, 0, "\\u0065cho"), 0);
    CHECK((n = json_get(&doc, 0, "a\0b", 3)) != 0);
    CHECK_INT(json_int(&doc, n, &v), 0);
    CHECK_INT(v, 3);
    CHECK_INT(json_getz(&doc, 0, "a"), 0);
    CHECK_INT(json_getz(&doc, 0, "ab"), 0);
    CHECK((n = json_getz(&doc, 0, "t\"q")) != 0);
    CHECK_INT(json_int(&doc, n, &v), 0);
    CHECK_INT(v, 4);
    CHECK((n = json_get(&doc, 0, "", 0)) != 0);
    CHECK_INT(json_int(&doc, n, &v), 0);
    CHECK_INT(v, 5);
    CHECK((n = json_getz(&doc, 0, "\xF0\x9F\x98\x80")) != 0);
    CHECK_INT(json_int(&doc, n, &v), 0);
    CHECK_INT(v, 6);
    CHECK((n = json_getz(&doc, 0, "x/y")) != 0);
    CHECK_INT(json_int(&doc, n, &v), 0);
    CHECK_INT(v, 7);
    CHECK_INT(json_getz(&doc, 0, "plai"), 0);
    CHECK_INT(json_getz(&doc, 0, "plainx"), 0);
    CHECK_INT(json_getz(&doc, 0, "PLAIN"), 0);
    CHECK_INT(json_getz(&doc, 1, "plain"), 0); /* not an object */
    CHECK_INT(json_getz(&doc, 1000, "plain"), 0);
    /* on arrays */
    CHECK_INT(PARSE(&doc, "[{\"a\":1}]", 2), 0);
    CHECK_INT(json_getz(&doc, 0, "a"), 0);
    CHECK(json_getz(&doc, 1, "a") != 0);
    json_doc_cleanup(&doc);
}

static void test_str(void)
{
    struct json_doc doc;
    struct buf scratch;
    const char *p;
    size_t n;
    json_doc_init(&doc, 0, 0);
    buf_init(&scratch, 1 << 16);

    CHECK_INT(PARSE(&doc, "\"plain text\"", 0), 0);
    CHECK_INT(json_str(&doc, 0, &scratch, &p, &n), 0);
    CHECK_MEM(p, n, "plain text");
    CHECK(p == doc.text + 1); /* no copy without escapes */
    CHECK(json_str_eqz(&doc, 0, "plain text"));
    CHECK(!json_str_eqz(&doc, 0, "plain tex"));

    CHECK_INT(PARSE(&doc, "\"\"", 0), 0);
    CHECK_INT(json_str(&doc, 0, &scratch, &p, &n), 0);
    CHECK_INT(n, 0);

    CHECK_INT(PARSE(&doc, "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", 0), 0);
    CHECK_INT(json_str(&doc, 0, &scratch, &p, &n), 0);
    CHECK_MEM(p, n, "\"\\/\b\f\n\r\t");

    CHECK_INT(PARSE(&doc, "\"a\\u0000b\"", 0), 0);
    CHECK_INT(json_str(&doc, 0, &scratch, &p, &n), 0);
    CHECK_INT(n, 3);
    CHECK(n == 3 && memcmp(p, "a\0b", 3) == 0);
    CHECK(json_str_eq(&doc, 0, "a\0b", 3));
    CHECK(!json_str_eqz(&doc, 0, "a"));

    static const struct {
        const char *json, *utf8;
    } esc[] = {
        {"\"\\u0041\"", "A"},
        {"\"\\u007f\"", "\x7f"},
        {"\"\\u0080\"", "\xC2\x80"},
        {"\"\\u00e9\"", "\xC3\xA9"},
        {"\"\\u07FF\"", "\xDF\xBF"},
        {"\"\\u0800\"", "\xE0\xA0\x80"},
        {"\"\\u20ac\"", "\xE2\x82\xAC"},
        {"\"\\uD7FF\"", "\xED\x9F\xBF"},
        {"\"\\uE000\"", "\xEE\x80\x80"},
        {"\"\\uFFFF\"", "\xEF\xBF\xBF"},
        {"\"\\uD800\\uDC00\"", "\xF0\x90\x80\x80"},
        {"\"\\uD83D\\uDE00\"", "\xF0\x9F\x98\x80"},
        {"\"\\uDBFF\\uDFFF\"", "\xF4\x8F\xBF\xBF"},
        {"\"x\\u0065cho\\n\"", "xecho\n"},
        {"\"\xC3\xA9\\t\xE2\x82\xAC\"", "\xC3\xA9\t\xE2\x82\xAC"},
    };
    for (size_t i = 0; i < sizeof(esc) / sizeof(esc[0]); i++) {
        CHECK_INT(parse_n(&doc, esc[i].json, strlen(esc[i].json), 0), 0);
        CHECK(doc.nodes[0].flags & JSON_F_ESCAPED);
        CHECK_INT(json_str(&doc, 0, &scratch, &p, &n), 0);
        CHECK_MEM(p, n, esc[i].utf8);
        CHECK(json_str_eq(&doc, 0, esc[i].utf8, strlen(esc[i].utf8)));
    }

    /* not a string */
    CHECK_INT(PARSE(&doc, "[\"a\",1]", 1), 0);
    CHECK_INT(json_str(&doc, 0, &scratch, &p, &n), -EINVAL);
    CHECK_INT(json_str(&doc, 2, &scratch, &p, &n), -EINVAL);
    CHECK_INT(json_str(&doc, 5, &scratch, &p, &n), -EINVAL);
    CHECK_INT(json_str(&doc, 1, &scratch, &p, &n), 0);
    CHECK(!json_str_eqz(&doc, 2, "1"));

    /* scratch limit */
    {
        struct buf tiny;
        buf_init(&tiny, 4);
        CHECK_INT(PARSE(&doc, "\"\\u0041BCDEFG\"", 0), 0);
        CHECK_INT(json_str(&doc, 0, &tiny, &p, &n), -ENOBUFS);
        CHECK_INT(PARSE(&doc, "\"\\u0041BC\"", 0), 0);
        CHECK_INT(json_str(&doc, 0, &tiny, &p, &n), 0);
        CHECK_MEM(p, n, "ABC");
        buf_cleanup(&tiny);
    }

    /* json_unescape directly, appending */
    buf_reset(&scratch);
    buf_append(&scratch, "<", 1);
    CHECK_INT(json_unescape("a\\nb\\u0063", 10, &scratch), 0);
    CHECK_MEM(scratch.data, scratch.len, "<a\nbc");
    buf_reset(&scratch);
    CHECK_INT(json_unescape("abc", 3, &scratch), 0);
    CHECK_MEM(scratch.data, scratch.len, "abc");
    buf_reset(&scratch);
    CHECK_INT(json_unescape("", 0, &scratch), 0);
    CHECK_INT(scratch.len, 0);
    CHECK_INT(json_unescape("a\\", 2, &scratch), SE_EPARSE);
    CHECK_INT(json_unescape("\\q", 2, &scratch), SE_EPARSE);
    CHECK_INT(json_unescape("\\u12", 4, &scratch), SE_EPARSE);
    CHECK_INT(json_unescape("\\uD800", 6, &scratch), SE_EUTF8);

    buf_cleanup(&scratch);
    json_doc_cleanup(&doc);
}

static void test_int(void)
{
    struct json_doc doc;
    int64_t v = 7;
    json_doc_init(&doc, 0, 0);
    static const struct {
        const char *text;
        int rc;
        int64_t v;
    } cases[] = {
        {"0", 0, 0},
        {"-0", 0, 0},
        {"42", 0, 42},
        {"-42", 0, -42},
        {"9007199254740993", 0, 9007199254740993LL},
        {"9223372036854775807", 0, INT64_MAX},
        {"-9223372036854775808", 0, INT64_MIN},
        {"9223372036854775808", -ERANGE, 0},
        {"-9223372036854775809", -ERANGE, 0},
        {"18446744073709551615", -ERANGE, 0},
        {"18446744073709551616", -ERANGE, 0},
        {"99999999999999999999999999", -ERANGE, 0},
        {"1.0", -EINVAL, 0},
        {"1e2", -EINVAL, 0},
        {"\"1\"", -EINVAL, 0},
        {"true", -EINVAL, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CHECK_INT(parse_n(&doc, cases[i].text, strlen(cases[i].text), 0), 0);
        v = 7;
        int rc = json_int(&doc, 0, &v);
        CHECK_INT(rc, cases[i].rc);
        if (cases[i].rc == 0)
            CHECK_INT(v, cases[i].v);
        else
            CHECK_INT(v, 7); /* untouched on failure */
    }
    CHECK_INT(json_int(&doc, 3, &v), -EINVAL);
    json_doc_cleanup(&doc);
}

static void test_reuse(void)
{
    /* one doc, many parses of different shapes, errors in between */
    struct json_doc doc;
    json_doc_init(&doc, 0, 0);
    for (int round = 0; round < 3; round++) {
        CHECK_INT(PARSE(&doc, "{\"a\":[1,2,{\"b\":\"c\"}]}", 3), 0);
        CHECK_INT(doc.count, 6);
        CHECK_INT(PARSE(&doc, "{\"a\":1,\"a\":2}", 3), SE_EDUPKEY);
        CHECK_INT(PARSE(&doc, "{\"a\":{\"x\":1", 3), SE_EPARSE);
        /* an error inside a nested object must not leave keys behind */
        CHECK_INT(PARSE(&doc, "{\"a\":1}", 3), 0);
        CHECK_INT(doc.count, 2);
        CHECK_INT(PARSE(&doc, "7", 3), 0);
        CHECK_INT(doc.count, 1);
    }
    json_doc_cleanup(&doc);
    json_doc_cleanup(&doc); /* cleanup twice is harmless */
}

/*
 * The scanner reads 16 bytes at a time (SSE2), then 8, then one: a 40-byte body puts a
 * special byte in two wide blocks, at every lane of each, and in the tails.
 */
#define BODY 40

/* Expected result for byte b at position p of a BODY-byte string body of 'a's. */
static void expect_fast_path(unsigned b, size_t p, size_t body, int *rc, size_t *off)
{
    *off = (size_t)-1;
    *rc = 0;
    if (b == '"') {
        /* the string ends early; what follows is trailing data (or another string) */
        *rc = SE_EPARSE;
        *off = p + 2;
    } else if (b == '\\') {
        *rc = SE_EPARSE;
        /* "\a" is an invalid escape; at the end it escapes the closing quote */
        *off = p + 1 == body ? body + 2 : p + 2;
    } else if (b < 0x20) {
        *rc = SE_EPARSE;
        *off = p + 1;
    } else if (b >= 0x80) {
        *rc = SE_EUTF8; /* a lone byte >= 0x80 followed by 'a' or '"' is never valid */
        *off = p + 1;
    }
}

static void test_fast_path_boundaries(void)
{
    struct json_doc doc;
    struct buf scratch;
    char s[BODY + 16];
    json_doc_init(&doc, 0, 0);
    buf_init(&scratch, 1 << 10);
    int bad = 0;
    /* every byte value at every position 0..BODY-1 */
    for (unsigned b = 0; b < 256; b++) {
        for (size_t p = 0; p < BODY; p++) {
            s[0] = '"';
            memset(s + 1, 'a', BODY);
            s[1 + p] = (char)b;
            s[BODY + 1] = '"';
            int rc = parse_n(&doc, s, BODY + 2, 0), want_rc;
            size_t want_off;
            expect_fast_path(b, p, BODY, &want_rc, &want_off);
            if (rc != want_rc || (rc < 0 && doc.err_off != want_off)) {
                if (bad++ < 10)
                    fprintf(stderr, "byte 0x%02x at %zu: rc %d off %zu, want %d off %zu\n", b, p,
                            rc, doc.err_off, want_rc, want_off);
            }
            if (rc == 0) {
                const char *q;
                size_t n;
                if (json_str(&doc, 0, &scratch, &q, &n) != 0 || n != BODY ||
                    (unsigned char)q[p] != b)
                    bad++;
            }
        }
    }
    CHECK_INT(bad, 0);

    /* the specials at each position, also at every alignment of the text */
    static const char *const ins[] = {
        "\\n", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\\u0000", "\\uD83D\\uDE00"};
    static const char *const out[] = {"\n", "\xC3\xA9",        "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                                      "",   "\xF0\x9F\x98\x80"};
    bad = 0;
    for (size_t k = 0; k < sizeof(ins) / sizeof(ins[0]); k++) {
        size_t il = strlen(ins[k]), ol = k == 4 ? 1 : strlen(out[k]);
        for (size_t lead = 0; lead < 8; lead++) {
            for (size_t p = 0; p + il <= BODY; p++) {
                size_t n = 0;
                memset(s, ' ', lead);
                n = lead;
                s[n++] = '"';
                memset(s + n, 'b', BODY);
                memcpy(s + n + p, ins[k], il);
                n += BODY;
                s[n++] = '"';
                int rc = parse_n(&doc, s, n, 0);
                const char *q;
                size_t qn;
                if (rc != 0 || json_str(&doc, 0, &scratch, &q, &qn) != 0 || qn != BODY - il + ol ||
                    memcmp(q + p, k == 4 ? "\0" : out[k], ol) != 0 || (p > 0 && q[p - 1] != 'b') ||
                    (p + ol < qn && q[p + ol] != 'b')) {
                    if (bad++ < 10)
                        fprintf(stderr, "insert %zu at %zu lead %zu: rc %d\n", k, p, lead, rc);
                }
            }
        }
    }
    CHECK_INT(bad, 0);

    /* long strings of every length with the special byte last, then a valid ending */
    bad = 0;
    for (size_t len = 1; len < 72; len++) {
        char *t = malloc(len + 2);
        t[0] = '"';
        memset(t + 1, 'c', len);
        t[len + 1] = '"';
        if (parse_n(&doc, t, len + 2, 0) != 0)
            bad++;
        t[len] = '\x1f';
        if (parse_n(&doc, t, len + 2, 0) != SE_EPARSE || doc.err_off != len)
            bad++;
        t[len] = '\x80';
        if (parse_n(&doc, t, len + 2, 0) != SE_EUTF8 || doc.err_off != len)
            bad++;
        t[len] = 'c';
        /* no closing quote at all: unterminated, never a read past the end */
        if (parse_n(&doc, t, len + 1, 0) != SE_EPARSE || doc.err_off != len + 1)
            bad++;
        free(t);
    }
    CHECK_INT(bad, 0);
    buf_cleanup(&scratch);
    json_doc_cleanup(&doc);
}

static bool recover(const char *s, const char **v, size_t *vn)
{
    size_t a = 0, z = 0;
    size_t n = strlen(s);
    char *t = malloc(n ? n : 1);
    memcpy(t, s, n);
    bool ok = json_recover_id(t, n, &a, &z);
    static char got[256];
    *vn = 0;
    if (ok && z >= a && z - a < sizeof(got) && z <= n) {
        memcpy(got, t + a, z - a);
        *vn = z - a;
    } else if (ok) {
        ok = false;
        got[0] = '!';
        *vn = 1;
    }
    *v = got;
    free(t);
    return ok;
}

static void test_recover_id(void)
{
    const char *v;
    size_t n;
    CHECK(recover("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":", &v, &n));
    CHECK_MEM(v, n, "42");
    CHECK(recover("{\"id\":\"abc\", broken", &v, &n));
    CHECK_MEM(v, n, "\"abc\"");
    CHECK(recover("  { \"id\" : -7 , x", &v, &n));
    CHECK_MEM(v, n, "-7");
    CHECK(recover("{\"id\":0}", &v, &n));
    CHECK_MEM(v, n, "0");
    CHECK(recover("{\"method\":\"id\",\"id\":7,\"x\":\xC0}", &v, &n));
    CHECK_MEM(v, n, "7");
    CHECK(recover("{\"params\":{\"id\":5},\"id\":6 ,", &v, &n));
    CHECK_MEM(v, n, "6");
    CHECK(recover("{\"a\":[{\"id\":1},\"id\"],\"id\":2,", &v, &n));
    CHECK_MEM(v, n, "2");
    CHECK(recover("{\"a\":\"x\\\"id\\\"\",\"id\":3}", &v, &n));
    CHECK_MEM(v, n, "3");
    CHECK(recover("{\"a\":\"\xff\xfe\",\"id\":\"q\"}", &v, &n));
    CHECK_MEM(v, n, "\"q\"");
    CHECK(recover("{\"id\":1234567890123456}", &v, &n));
    CHECK_MEM(v, n, "1234567890123456");
    /* nothing usable */
    CHECK(!recover("", &v, &n));
    CHECK(!recover("[{\"id\":1}]", &v, &n));
    CHECK(!recover("\"id\":1", &v, &n));
    CHECK(!recover("{\"id\":null}", &v, &n));
    CHECK(!recover("{\"id\":true}", &v, &n));
    CHECK(!recover("{\"id\":{\"a\":1}}", &v, &n));
    CHECK(!recover("{\"id\":[1]}", &v, &n));
    CHECK(!recover("{\"id\":-}", &v, &n));
    CHECK(!recover("{\"id\":12345678901234567}", &v, &n)); /* too long */
    CHECK(!recover("{\"id\":\"a\\\"b\"}", &v, &n));        /* escapes: not simple */
    CHECK(!recover("{\"id\":\"a\tb\"}", &v, &n));
    CHECK(!recover("{\"id\":\"\xC3\xA9\"}", &v, &n));
    CHECK(!recover("{\"id\":\"abc", &v, &n)); /* string cut off */
    CHECK(!recover("{\"id\"", &v, &n));
    CHECK(!recover("{\"id\":", &v, &n));
    CHECK(!recover("{\"id\" 5}", &v, &n));
    CHECK(!recover("{\"x\":{\"id\":5}}", &v, &n)); /* only the top level counts */
    CHECK(!recover("{\"x\":\"id\"}", &v, &n));     /* a value, not a key */
    CHECK(!recover("{\"x\":\"unterminated", &v, &n));
    CHECK(!recover("{\"x\":\"ends in backslash\\", &v, &n));
    CHECK(!recover("}{\"id\":1}", &v, &n));
    /* a number is only an id when it visibly ends: not a prefix cut off by the end of
     * the text (a frame head), not the integer part of a fraction or exponent */
    CHECK(!recover("{\"id\":12", &v, &n));
    CHECK(!recover("{\"method\":\"x\",\"id\":1234", &v, &n));
    CHECK(!recover("{\"id\":1.5}", &v, &n));
    CHECK(!recover("{\"id\":1e3}", &v, &n));
    CHECK(!recover("{\"id\":12abc}", &v, &n));
    CHECK(recover("{\"id\":12}", &v, &n));
    CHECK_MEM(v, n, "12");
    CHECK(recover("{\"id\":12\r\n", &v, &n));
    CHECK_MEM(v, n, "12");
    CHECK(recover("{\"id\":12\t,", &v, &n));
    CHECK_MEM(v, n, "12");
}

int main(void)
{
    test_accepts();
    test_types_and_flags();
    test_utf8_rejections();
    test_surrogate_escapes();
    test_string_rejections();
    test_number_rejections();
    test_structure_rejections();
    test_diag();
    test_duplicate_keys();
    test_duplicate_keys_large();
    test_depth();
    test_index_depth();
    test_node_cap();
    test_get();
    test_str();
    test_int();
    test_reuse();
    test_fast_path_boundaries();
    test_recover_id();
    free(owned);
    return check_done();
}
