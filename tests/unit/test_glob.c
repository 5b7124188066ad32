/*
 * test_glob.c - tool-name globs: wildcards, classes, escapes, NUL bytes and UTF-8 in
 * names, the syntax check, and patterns built to make a backtracking matcher explode.
 */
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "policy/glob.h"

/* Match NUL-terminated pattern and name (for the common case). */
static bool M(const char *p, const char *s)
{
    return glob_match(p, strlen(p), s, strlen(s));
}

/* Explicit lengths, for NUL bytes; inputs copied to exact-size blocks for the sanitizer. */
static bool MN(const char *p, size_t pn, const char *s, size_t sn)
{
    char *pp = malloc(pn ? pn : 1), *ss = malloc(sn ? sn : 1);
    memcpy(pp, p, pn);
    memcpy(ss, s, sn);
    bool r = glob_match(pp, pn, ss, sn);
    free(pp);
    free(ss);
    return r;
}

#define ML(p, s) MN((p), sizeof(p) - 1, (s), sizeof(s) - 1)

static int check_at(const char *p, size_t *at)
{
    *at = 12345;
    return glob_check(p, strlen(p), at);
}

static void test_literals_and_star(void)
{
    CHECK(M("", ""));
    CHECK(!M("", "a"));
    CHECK(!M("a", ""));
    CHECK(M("echo", "echo"));
    CHECK(!M("echo", "Echo"));
    CHECK(!M("echo", "echo2"));
    CHECK(!M("echo", "ech"));
    CHECK(M("*", ""));
    CHECK(M("*", "anything/with/slashes and spaces"));
    CHECK(M("**", "x"));
    CHECK(M("shell_*", "shell_"));
    CHECK(M("shell_*", "shell_exec"));
    CHECK(!M("shell_*", "shell"));
    CHECK(!M("shell_*", "my_shell_exec"));
    CHECK(M("*_shell", "run_shell"));
    CHECK(!M("*_shell", "run_shell2"));
    CHECK(M("*shell*", "xxshellxx"));
    CHECK(!M("*shell*", "xxshelxx"));
    CHECK(M("a*b", "ab"));
    CHECK(M("a*b", "axxxb"));
    CHECK(!M("a*b", "axxxbc"));
    CHECK(M("a*b*c", "abxbc"));
    CHECK(M("*ab", "aab"));
    CHECK(M("*a", "ba"));
    CHECK(!M("a*", "ba"));
    CHECK(M("*.*", "a.b.c"));
    CHECK(M("x*y*z", "xyyzz"));
    CHECK(!M("x*y*z", "xzy"));
    CHECK(M("*aab", "aaab")); /* needs the restart point to move by one */
    CHECK(M("a*a*a", "aaa"));
    CHECK(!M("a*a*a", "aa"));
}

static void test_question(void)
{
    CHECK(M("?", "a"));
    CHECK(!M("?", ""));
    CHECK(!M("?", "ab"));
    CHECK(M("??", "ab"));
    CHECK(M("a?c", "abc"));
    CHECK(!M("a?c", "ac"));
    /* ? is one UTF-8 character, not one byte */
    CHECK(M("?", "\xC3\xA9"));
    CHECK(M("?", "\xE2\x82\xAC"));
    CHECK(M("?", "\xF0\x9F\x98\x80"));
    CHECK(!M("??", "\xC3\xA9"));
    CHECK(M("a?c", "a\xC3\xA9"
                   "c"));
    CHECK(M("a??c", "a\xC3\xA9\xE2\x82\xAC"
                    "c"));
    CHECK(!M("a?c", "a\xC3\xA9\xE2\x82\xAC"
                    "c"));
    CHECK(M("*?", "\xF0\x9F\x98\x80"));
    CHECK(M("?*?", "\xC3\xA9\xC3\xA9"));
    /* a truncated sequence at the end is consumed without reading past it */
    CHECK(ML("?", "\xF0"));
    CHECK(ML("?", "\xE2\x82"));
    CHECK(!ML("a?b", "a\xE2"
                     "b"));
}

static void test_classes(void)
{
    CHECK(M("[abc]", "b"));
    CHECK(!M("[abc]", "d"));
    CHECK(!M("[abc]", ""));
    CHECK(!M("[abc]", "ab"));
    CHECK(M("[a-c]x", "bx"));
    CHECK(!M("[a-c]x", "dx"));
    CHECK(M("[a-cx-z]", "y"));
    CHECK(!M("[a-cx-z]", "m"));
    CHECK(M("[!a-c]", "d"));
    CHECK(!M("[!a-c]", "a"));
    CHECK(M("[^a]", "b"));
    CHECK(!M("[^a]", "a"));
    CHECK(M("[]]", "]"));
    CHECK(!M("[]]", "a"));
    CHECK(M("[!]]", "a"));
    CHECK(!M("[!]]", "]"));
    CHECK(M("[a-]", "-"));
    CHECK(M("[a-]", "a"));
    CHECK(!M("[a-]", "b"));
    CHECK(M("[\\]]", "]"));
    CHECK(M("[a\\-z]", "-"));
    CHECK(M("[a\\-z]", "z"));
    CHECK(!M("[a\\-z]", "b")); /* the escaped '-' is not a range */
    CHECK(M("[[]", "["));
    CHECK(M("[*?]", "*"));
    CHECK(!M("[*?]", "x")); /* no wildcards inside a class */
    CHECK(M("tool_[0-9][0-9]", "tool_42"));
    CHECK(!M("tool_[0-9][0-9]", "tool_4x"));
    CHECK(M("*[0-9]", "abc7"));
    CHECK(!M("*[0-9]", "abc"));
    /* a class matches one byte */
    CHECK(!M("[\xC3\xA9]", "\xC3\xA9"));
    CHECK(M("[\xC3\xA9][\xC3\xA9]", "\xC3\xA9"));
    CHECK(M("[!a]", "\x80"));
    CHECK(ML("[\x01-\x7f]", "\x7f"));
    CHECK(!ML("[\x01-\x7f]", "\x80"));
}

static void test_escapes(void)
{
    CHECK(M("\\*", "*"));
    CHECK(!M("\\*", "a"));
    CHECK(!M("\\*", ""));
    CHECK(M("\\?", "?"));
    CHECK(!M("\\?", "x"));
    CHECK(M("a\\[b", "a[b"));
    CHECK(M("a\\\\b", "a\\b"));
    CHECK(M("\\a", "a"));
    CHECK(M("*\\*", "xyz*"));
    CHECK(!M("*\\*", "xyz"));
}

static void test_nul_bytes(void)
{
    CHECK(ML("a\0b", "a\0b"));
    CHECK(!ML("a\0b", "a"));
    CHECK(!ML("a", "a\0b"));
    CHECK(!ML("a\0b", "a\0c"));
    CHECK(ML("a*", "a\0zzz"));
    CHECK(ML("*\0*", "x\0y"));
    CHECK(!ML("*\0*", "xy"));
    CHECK(ML("?", "\0"));
    CHECK(ML("[\0]", "\0"));
    CHECK(!ML("[\0]", "a"));
    CHECK(ML("echo\0", "echo\0"));
    CHECK(!ML("echo", "echo\0"));
}

static void test_pathological(void)
{
    /* each of these is exponential for a naive recursive matcher */
    size_t n = 200000;
    char *s = malloc(n + 1);
    memset(s, 'a', n);
    s[n] = '\0';
    CHECK(!glob_match("a*a*a*a*a*a*a*a*a*b", 19, s, n));
    CHECK(!glob_match("*a*a*a*a*a*a*a*a*a*b*", 21, s, n));
    CHECK(glob_match("*a*a*a*a*a*a*a*a*a*a", 20, s, n));
    CHECK(glob_match("a*a*a*a*a*a*a*a*a*a", 19, s, n));
    CHECK(!glob_match("*??????????????????b", 20, s, n));
    CHECK(!glob_match("*[a][a][a][a][a]b", 17, s, n));
    s[n - 1] = 'b';
    CHECK(glob_match("a*a*a*a*a*a*a*a*a*b", 19, s, n));
    CHECK(glob_match("*[a][a][a][a][a]b", 17, s, n));
    free(s);
    /* a long pattern of stars against a long name */
    {
        size_t pn = 10000;
        char *p = malloc(pn);
        for (size_t i = 0; i < pn; i++)
            p[i] = i % 2 ? '*' : 'a';
        char *t = malloc(20000);
        memset(t, 'a', 20000);
        CHECK(glob_match(p, pn, t, 20000));
        CHECK(!glob_match(p, pn, t, 4000));
        free(p);
        free(t);
    }
}

static void test_check(void)
{
    size_t at;
    CHECK_INT(check_at("", &at), 0);
    CHECK_INT(check_at("abc", &at), 0);
    CHECK_INT(check_at("*?*", &at), 0);
    CHECK_INT(check_at("[abc]", &at), 0);
    CHECK_INT(check_at("[]]", &at), 0);
    CHECK_INT(check_at("[!]]", &at), 0);
    CHECK_INT(check_at("[a\\]]", &at), 0);
    CHECK_INT(check_at("[[]", &at), 0);
    CHECK_INT(check_at("\\[", &at), 0);
    CHECK_INT(check_at("\\\\", &at), 0);
    CHECK_INT(check_at("x]", &at), 0); /* a lone ']' is a literal */

    CHECK_INT(check_at("a\\", &at), -EINVAL);
    CHECK_INT(at, 1);
    CHECK_INT(check_at("\\", &at), -EINVAL);
    CHECK_INT(at, 0);
    CHECK_INT(check_at("[abc", &at), -EINVAL);
    CHECK_INT(at, 0);
    CHECK_INT(check_at("x[", &at), -EINVAL);
    CHECK_INT(at, 1);
    CHECK_INT(check_at("ab[]", &at), -EINVAL);
    CHECK_INT(at, 2);
    CHECK_INT(check_at("[!]", &at), -EINVAL);
    CHECK_INT(at, 0);
    CHECK_INT(check_at("[^", &at), -EINVAL);
    CHECK_INT(check_at("[\\]", &at), -EINVAL);
    CHECK_INT(check_at("[a\\", &at), -EINVAL);
    CHECK_INT(check_at("[a]b[c", &at), -EINVAL);
    CHECK_INT(at, 4);
    CHECK_INT(glob_check("[a\0]", 4, &at), 0);
    CHECK_INT(glob_check("a\0\\", 3, &at), -EINVAL);
    CHECK_INT(at, 2);
}

static void test_literal(void)
{
    CHECK(glob_is_literal("", 0));
    CHECK(glob_is_literal("echo", 4));
    CHECK(glob_is_literal("a\0b", 3));
    CHECK(glob_is_literal("a]b-c!", 6));
    CHECK(!glob_is_literal("a*", 2));
    CHECK(!glob_is_literal("a?", 2));
    CHECK(!glob_is_literal("[a]", 3));
    CHECK(!glob_is_literal("a\\b", 3)); /* an escape is not a plain name either */
}

int main(void)
{
    test_literals_and_star();
    test_question();
    test_classes();
    test_escapes();
    test_nul_bytes();
    test_pathological();
    test_check();
    test_literal();
    return check_done();
}
