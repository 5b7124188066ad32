/*
 * glob.c - shell-style globbing over byte strings. Uses the classic single-star
 * backtracking walk (each '*' replaces the previous restart point), which is O(n*m)
 * worst case and never recursive, so a hostile pattern cannot blow the stack.
 */
#include "policy/glob.h"

#include <errno.h>

static size_t utf8_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        return 2;
    if ((c & 0xF0) == 0xE0)
        return 3;
    if ((c & 0xF8) == 0xF0)
        return 4;
    return 1;
}

/* Match one byte against the class starting after '['; *end is past the ']'. */
static bool class_match(const char *p, size_t plen, size_t i, unsigned char c, size_t *end)
{
    bool neg = false, hit = false;
    if (i < plen && (p[i] == '!' || p[i] == '^')) {
        neg = true;
        i++;
    }
    bool first = true;
    while (i < plen && (p[i] != ']' || first)) {
        first = false;
        unsigned char lo = (unsigned char)p[i];
        if (lo == '\\' && i + 1 < plen)
            lo = (unsigned char)p[++i];
        unsigned char hi = lo;
        if (i + 2 < plen && p[i + 1] == '-' && p[i + 2] != ']') {
            hi = (unsigned char)p[i + 2];
            if (hi == '\\' && i + 3 < plen) {
                hi = (unsigned char)p[i + 3];
                i++;
            }
            i += 2;
        }
        if (c >= lo && c <= hi)
            hit = true;
        i++;
    }
    *end = i + 1; /* past ']' (glob_check guarantees it exists) */
    return hit != neg;
}

bool glob_match(const char *p, size_t plen, const char *s, size_t slen)
{
    size_t pi = 0, si = 0;
    size_t star_p = (size_t)-1, star_s = 0;
    while (si < slen) {
        if (pi < plen) {
            char c = p[pi];
            if (c == '*') {
                star_p = ++pi;
                star_s = si;
                continue;
            }
            if (c == '?') {
                pi++;
                si += utf8_len((unsigned char)s[si]);
                if (si > slen)
                    si = slen;
                continue;
            }
            if (c == '[') {
                size_t end;
                if (class_match(p, plen, pi + 1, (unsigned char)s[si], &end)) {
                    pi = end;
                    si++;
                    continue;
                }
            } else {
                if (c == '\\' && pi + 1 < plen)
                    c = p[++pi];
                if (c == s[si]) {
                    pi++;
                    si++;
                    continue;
                }
            }
        }
        if (star_p == (size_t)-1)
            return false;
        pi = star_p;
        si = ++star_s;
    }
    while (pi < plen && p[pi] == '*')
        pi++;
    return pi == plen;
}

int glob_check(const char *p, size_t plen, size_t *at)
{
    for (size_t i = 0; i < plen; i++) {
        if (p[i] == '\\') {
            if (i + 1 >= plen) {
                *at = i;
                return -EINVAL;
            }
            i++;
        } else if (p[i] == '[') {
            size_t j = i + 1;
            if (j < plen && (p[j] == '!' || p[j] == '^'))
                j++;
            if (j < plen && p[j] == ']')
                j++;
            while (j < plen && p[j] != ']')
                j += (p[j] == '\\') ? 2 : 1;
            if (j >= plen) {
                *at = i;
                return -EINVAL;
            }
            i = j;
        }
    }
    return 0;
}

bool glob_is_literal(const char *p, size_t plen)
{
    for (size_t i = 0; i < plen; i++)
        if (p[i] == '*' || p[i] == '?' || p[i] == '[' || p[i] == '\\')
            return false;
    return true;
}
