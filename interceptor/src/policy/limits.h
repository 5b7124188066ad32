/*
 * limits.h - per-session budgets and rate limits of `allow` rules, charged atomically
 * with the decision.
 *
 * A budget sums an argument (or counts calls) under a key for the whole session; a rate
 * allows at most N calls per window per rule (or per rule and tool name), estimated with
 * a sliding window over two fixed windows. Both are checked before either is charged, so
 * a refused call costs nothing. State is bounded (LIMITS_MAX_ENTRIES keys); a full table
 * refuses, it never forgets. Pure: the caller passes the time.
 */
#ifndef SENTINEL_POLICY_LIMITS_H
#define SENTINEL_POLICY_LIMITS_H

#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

#define LIMITS_MAX_ENTRIES 65536

struct limits;

struct limits *limits_new(void);
void limits_free(struct limits *l);

/*
 * Charge the request `req` allowed by rule r at time now_ms. Returns 0 when charged (the
 * allowance holds), 1 when a budget or rate is exhausted, negative when the request cannot
 * be charged (no number at the budget's path, table full); in the last two cases `why`
 * says why and nothing was charged.
 */
int limits_charge(struct limits *l, const struct rule *r, const struct policy_request *req,
                  uint64_t now_ms, char *why, size_t whylen);

#endif
