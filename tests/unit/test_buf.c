/* test_buf.c - bounded buffers: limits, steal, and buf_trim's keep-or-release rule. */
#include <errno.h>
#include <stdlib.h>

#include "base/buf.h"
#include "check.h"

static void test_limit(void)
{
    struct buf b;
    buf_init(&b, 8);
    CHECK_INT(buf_append(&b, "12345678", 8), 0);
    CHECK_INT(buf_putc(&b, '9'), -ENOBUFS);
    CHECK_INT(b.len, 8);
    CHECK_MEM(b.data, b.len, "12345678");
    buf_cleanup(&b);
}

static void test_trim(void)
{
    struct buf b;
    buf_init(&b, 1u << 20);
    CHECK_INT(buf_reserve(&b, 1000), 0);
    CHECK_INT(buf_append(&b, "abc", 3), 0);
    char *mem = b.data;
    size_t cap = b.cap;
    buf_trim(&b, 4096); /* small: emptied, memory kept for the next message */
    CHECK_INT(b.len, 0);
    CHECK(b.data == mem);
    CHECK_INT(b.cap, cap);

    CHECK_INT(buf_reserve(&b, 100000), 0); /* a large message grew it */
    CHECK(b.cap > 4096);
    b.len = 100000;
    buf_trim(&b, 4096); /* over the bound: released */
    CHECK(b.data == NULL);
    CHECK_INT(b.len, 0);
    CHECK_INT(b.cap, 0);
    CHECK_INT(b.limit, 1u << 20);         /* the limit stays */
    CHECK_INT(buf_append(&b, "x", 1), 0); /* and it grows again from nothing */
    CHECK_MEM(b.data, b.len, "x");
    buf_cleanup(&b);
}

static void test_steal(void)
{
    struct buf b;
    buf_init(&b, 64);
    CHECK_INT(buf_append(&b, "hello", 5), 0);
    size_t len = 0;
    char *p = buf_steal(&b, &len);
    CHECK_INT(len, 5);
    CHECK_MEM(p, len, "hello");
    CHECK(b.data == NULL);
    CHECK_INT(b.len, 0);
    CHECK_INT(b.cap, 0);
    free(p);
    buf_cleanup(&b);
}

int main(void)
{
    test_limit();
    test_trim();
    test_steal();
    return check_done();
}
