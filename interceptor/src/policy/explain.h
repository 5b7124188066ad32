/*
 * explain.h - why a policy decides a request the way it does, for `sentinel explain`.
 *
 * Walks the rules in order like the evaluator and says, for every rule before the one
 * that decided, why it did not match (method, name, URI, condition). Pure: no I/O.
 */
#ifndef SENTINEL_POLICY_EXPLAIN_H
#define SENTINEL_POLICY_EXPLAIN_H

#include "base/buf.h"
#include "policy/policy.h"

/*
 * Decide `req` with policy_eval and append one JSON object (no newline) to out:
 * {"effect":…,"rule":…,"reason":…} and, when `why` is set, "why":[{"rule":…,
 * "matched":false,"because":…},…] for the rules walked before the decision.
 */
int policy_explain(const struct policy *p, const struct policy_request *req, bool why,
                   struct buf *out);

#endif
