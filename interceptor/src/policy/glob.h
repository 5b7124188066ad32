/*
 * glob.h - shell-style pattern matching on byte strings (tool names, later URIs).
 *
 * `*` matches any run of bytes (including '/'), `?` one UTF-8 character, `[abc]`,
 * `[a-z]` and `[!x]` one byte from a set, `\x` the byte x. Names may hold NUL bytes
 * (JSON allows "\u0000"), so both sides are (pointer, length). Matching is iterative
 * with one backtrack point: linear in practice, never exponential.
 */
#ifndef SENTINEL_POLICY_GLOB_H
#define SENTINEL_POLICY_GLOB_H

#include <stdbool.h>
#include <stddef.h>

bool glob_match(const char *pat, size_t plen, const char *s, size_t slen);
/* 0 if the pattern is well formed, else -EINVAL and the offset of the fault in *at. */
int glob_check(const char *pat, size_t plen, size_t *at);
/* True when the pattern has no wildcard: it matches exactly one name. */
bool glob_is_literal(const char *pat, size_t plen);

#endif
