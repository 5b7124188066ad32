/*
 * lint.h - warnings about a policy that loads but does not mean what it says:
 * rules that can never match because an earlier rule always decides first, and URI
 * patterns that cannot match any URI. Conservative: a warning is only given when it is
 * certain. Pure: no I/O.
 */
#ifndef SENTINEL_POLICY_LINT_H
#define SENTINEL_POLICY_LINT_H

#include "policy/policy.h"

/*
 * Called once per finding, in rule order. line:col is in the policy's own file: a finding in
 * an included pack is placed at the `include` that brought the pack in, and its msg starts
 * "in pack:NAME:LINE:COL: ", as a load error inside a pack does.
 */
typedef void (*lint_cb)(void *ctx, unsigned line, unsigned col, const char *msg);

/* Returns the number of findings. */
size_t policy_lint(const struct policy *p, lint_cb cb, void *ctx);

#endif
