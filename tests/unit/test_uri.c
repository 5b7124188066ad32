/* test_uri.c - mcp/uri: the spelling of a resource URI the policy matches. */
#include <string.h>

#include "check.h"
#include "mcp/uri.h"

static const char *canon(const char *s)
{
    static struct buf out;
    static char text[512];
    if (out.limit == 0)
        buf_init(&out, 4096);
    CHECK_INT(uri_canon(s, strlen(s), &out), 0);
    CHECK(out.len <= strlen(s));
    snprintf(text, sizeof(text), "%.*s", (int)out.len, out.data ? out.data : "");
    return text;
}

static void test_spellings_of_one_file(void)
{
    /* every spelling a server built on new URL() reads as file:///private/secret.txt */
    static const char *const same[] = {
        "file:///private/secret.txt",
        "FILE:///private/secret.txt",
        "file:///%70rivate/secret.txt",
        "file:///%70%72ivate/secret%2etxt",
        "file:///public/../private/secret.txt",
        "file:///public/%2e%2e/private/secret.txt",
        "file:///./private/./secret.txt",
        "file:////private//secret.txt",
        "file:///../../private/secret.txt",
        "file:\\\\\\private\\secret.txt",
        "  file:///private/sec\tret.txt\n",
        "file:///private/x/../secret.txt",
    };
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        CHECK_STR(canon(same[i]), "file:///private/secret.txt");
}

static void test_structure_is_kept(void)
{
    /* escapes that would make a new part stay escaped (upper-case hex) */
    CHECK_STR(canon("file:///public%2f..%2fprivate/x"), "file:///public%2F..%2Fprivate/x");
    CHECK_STR(canon("mem://A%3fb%23c%25d/x"), "mem://a%3Fb%23c%25d/x");
    CHECK_STR(canon("file:///a%00b%0a"), "file:///a%00b%0A");
    CHECK_STR(canon("file:///caf%c3%a9"), "file:///caf%C3%A9");
    /* the host is lowercased, the path is not; userinfo and port kept */
    CHECK_STR(canon("HTTPS://User@Example.COM:8443/A/B"), "https://User@example.com:8443/A/B");
    /* the query and fragment are not paths */
    CHECK_STR(canon("https://h/a/../b?x=/../y#/./z"), "https://h/b?x=/../y#/./z");
    /* a trailing slash, and the root */
    CHECK_STR(canon("file:///a/b/"), "file:///a/b/");
    CHECK_STR(canon("file:///a/b/.."), "file:///a/");
    CHECK_STR(canon("file:///.."), "file:///");
    CHECK_STR(canon("file://"), "file://");
    /* not special: a backslash stays; no scheme: left as a relative reference */
    CHECK_STR(canon("mem:\\notes\\1"), "mem:\\notes\\1");
    CHECK_STR(canon("notes/../x"), "notes/../x");
    CHECK_STR(canon("/notes/../x"), "/x");
    CHECK_STR(canon("urn:ISBN:0451450523"), "urn:ISBN:0451450523");
    CHECK_STR(canon(""), "");
    CHECK_STR(canon("%"), "%");
    CHECK_STR(canon("file:///a%2"), "file:///a%2");
}

int main(void)
{
    test_spellings_of_one_file();
    test_structure_is_kept();
    return check_done();
}
