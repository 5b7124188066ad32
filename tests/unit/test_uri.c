/* test_uri.c - mcp/uri: the spelling of a resource URI the policy matches. */
#include <errno.h>
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
    CHECK(out.len <= strlen(s) + 16);
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

static void test_as_new_url_reads_it(void)
{
    /* every spelling here is the same URL for the WHATWG parser (Node, the TypeScript SDK) */
    static const struct {
        const char *in, *want;
    } same[] = {
        {"file:///etc//../shadow", "file:///etc/shadow"}, /* .. takes the empty segment */
        {"file:///etc/a//../../shadow", "file:///etc/shadow"},
        {"file:/private/x", "file:///private/x"},
        {"file:private/x", "file:///private/x"},
        {"file://localhost/private/x", "file:///private/x"},
        {"FILE://LOCALHOST/private/x", "file:///private/x"},
        {"file://%6Cocalhost/private/x", "file:///private/x"},
        {"file:\\\\localhost\\private\\x", "file:///private/x"},
        {"file:.//private/x", "file:///private/x"},
        {"demo://@resource/static/x", "demo://resource/static/x"},
        {"demo://resource:/static/x", "demo://resource/static/x"},
        {"demo://:@resource/x", "demo://resource/x"},
        {"demo://resource/static//../document/a.md", "demo://resource/static/document/a.md"},
        {"https://internal.corp:443/x", "https://internal.corp/x"},
        {"https://internal.corp:0443/x", "https://internal.corp/x"},
        {"https:internal.corp/x", "https://internal.corp/x"},
        {"https:/internal.corp/x", "https://internal.corp/x"},
        {"https://@internal.corp/x", "https://internal.corp/x"},
        {"https://\xef\xbd\x89\xef\xbd\x8e\xef\xbd\x94\xef\xbd\x85\xef\xbd\x92"
         "\xef\xbd\x8e\xef\xbd\x81\xef\xbd\x8c.corp/x", "https://internal.corp/x"},
        {"http://0x7f.1/x", "http://127.0.0.1/x"},
        {"http://2130706433/x", "http://127.0.0.1/x"},
        {"http://127.1/x", "http://127.0.0.1/x"},
        {"http://127.0.0.1:80/x", "http://127.0.0.1/x"},
        {"http://[::1]:80/x", "http://[::1]/x"},
        {"https://h", "https://h/"},
    };
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        CHECK_STR(canon(same[i].in), same[i].want);
    /* not an address: a name that ends in letters, five parts, a part too large */
    CHECK_STR(canon("http://1.2.3.4.5/x"), "http://1.2.3.4.5/x");
    CHECK_STR(canon("http://256.1.1.1/x"), "http://256.1.1.1/x");
    CHECK_STR(canon("http://internal.corp:8443/x"), "http://internal.corp:8443/x");
    /* userinfo is not where the request goes: dropped */
    CHECK_STR(canon("http://u:p@Host/x"), "http://host/x");
    CHECK_STR(canon("https://internal.corp@internal.corp/admin/x"), "https://internal.corp/admin/x");
    /* a trailing dot is the same DNS name */
    CHECK_STR(canon("https://internal.corp./admin/x"), "https://internal.corp/admin/x");
}

/* new URL() maps a special URL's non-ASCII host by IDNA (drops U+200B, reads U+2113 as l,
 * U+2081 as 1): not repeated here, such a host is refused */
static void test_non_ascii_hosts_are_refused(void)
{
    static const char *const refused[] = {
        "file://\xe2\x84\x93ocalhost/srv/secret/key.pem",           /* U+2113 */
        "https://in\xe2\x80\x8bternal.corp/admin/x",                 /* zero width space */
        "https://in%E2%80%8Bternal.corp/admin/x",                      /* ... escaped */
        "http://10.0.0.\xe2\x82\x81/internal/x",                     /* subscript one */
        "https://internal.c\xf0\x9d\x90\xa8rp/admin/x",             /* mathematical o */
        "https://m\xc3\xbcnchen.de/",                                /* an IDN: punycode it */
    };
    struct buf out;
    buf_init(&out, 4096);
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        CHECK_INT(uri_canon(refused[i], strlen(refused[i]), &out), -EILSEQ);
    /* not special: an opaque host, compared as the SDK compares it (bytes) */
    CHECK_INT(uri_canon("demo://r\xc3\xa9s/x", 13, &out), 0);
    buf_cleanup(&out);
}

static void test_structure_is_kept(void)
{
    /* escapes that would make a new part stay escaped (upper-case hex) */
    CHECK_STR(canon("file:///public%2f..%2fprivate/x"), "file:///public%2F..%2Fprivate/x");
    CHECK_STR(canon("mem://A%3fb%23c%25d/x"), "mem://a%3Fb%23c%25d/x");
    CHECK_STR(canon("file:///a%00b%0a"), "file:///a%00b%0A");
    /* one UTF-8 character's escapes are the character (fileURLToPath decodes them) */
    CHECK_STR(canon("file:///caf%c3%a9"), "file:///caf\xc3\xa9");
    CHECK_STR(canon("file:///caf\xc3\xa9"), "file:///caf\xc3\xa9");
    CHECK_STR(canon("file:///a%c3%28"), "file:///a%C3(");
    /* the host is lowercased, the path is not; userinfo and port kept */
    CHECK_STR(canon("HTTPS://User@Example.COM:8443/A/B"), "https://example.com:8443/A/B");
    /* the query is not a path; the fragment never reaches a server; a file URL has no query
     * (fileURLToPath drops it) */
    CHECK_STR(canon("https://h/a/../b?x=/../y#/./z"), "https://h/b?x=/../y");
    CHECK_STR(canon("file:///srv/app/.env?v=1"), "file:///srv/app/.env");
    CHECK_STR(canon("file:///srv/app/.env#x"), "file:///srv/app/.env");
    CHECK_STR(canon("file:///srv/app/.env?"), "file:///srv/app/.env");
    /* a trailing slash, and the root */
    CHECK_STR(canon("file:///a/b/"), "file:///a/b/");
    CHECK_STR(canon("file:///a/b/.."), "file:///a/");
    CHECK_STR(canon("file:///.."), "file:///");
    CHECK_STR(canon("file://"), "file:///");
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
    test_as_new_url_reads_it();
    test_non_ascii_hosts_are_refused();
    test_structure_is_kept();
    return check_done();
}
