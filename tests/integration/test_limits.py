"""Budgets and rate limits of allow rules, per session, through the real binary."""
import os
import unittest

from harness import Case

POLICY = """
version: 1
default: allow
rules:
  - id: refunds
    effect: allow
    tools: [add]
    when: {arg: a, lt: 1500}
    budget: {key: refund_total, sum: a, limit: 2000}
  - id: big
    effect: deny
    tools: [add]
    reason: too big
  - id: echo-rate
    effect: allow
    tools: [echo]
    rate: {calls: 3, per: 60s}
  - id: per-tool
    effect: allow
    tools: ["read_*", "write_*"]
    rate: {calls: 2, per: 1h, scope: tool}
  - id: count-calls
    effect: allow
    tools: [slow]
    budget: {key: slow_calls, count: true, limit: 2}
"""


class LimitsTest(Case):
    def setUp(self):
        super().setUp()
        self.r = self.start(policy=self.write_policy(POLICY))
        self.r.initialize()
        self.n = 0

    def call(self, tool, args):
        self.n += 1
        return self.r.call(self.n, tool, args)

    def test_budget_sums_an_argument_and_refusals_cost_nothing(self):
        self.assertIn("result", self.call("add", {"a": 1400, "b": 0}))
        m = self.call("add", {"a": 700, "b": 0})  # 1400 + 700 > 2000
        self.assertError(m, -32001)
        self.assertEqual(m["error"]["data"]["rule"], "refunds")
        self.assertIn("budget 'refund_total' exhausted", m["error"]["data"]["reason"])
        self.assertIn("result", self.call("add", {"a": 600, "b": 0}))  # exactly 2000: fine
        self.assertError(self.call("add", {"a": 0.5, "b": 0}), -32001)
        self.assertIn("result", self.call("add", {"a": 0, "b": 0}))
        # a call above the per-call bound falls to the next rule, as before
        m = self.call("add", {"a": 5000, "b": 0})
        self.assertEqual(m["error"]["data"]["rule"], "big")
        # no number where the budget sums: refused, not free
        m = self.call("add", {"a": "100", "b": 0})
        self.assertEqual(m["error"]["data"]["rule"], "big")  # "100" is not < 1500: the condition fails
        self.r.finish(self, 0)

    def test_missing_amount_is_refused(self):
        pol = self.write_policy("version: 1\ndefault: allow\nrules:\n"
                                "  - {id: b, effect: allow, tools: [add], budget: {key: k, sum: a, limit: 10}}\n")
        r = self.start(policy=pol)
        r.initialize()
        m = r.call(1, "add", {"b": 1})
        self.assertError(m, -32001, 1)
        self.assertIn("has no number", m["error"]["data"]["reason"])
        self.assertError(r.call(2, "add", {"a": -5}), -32001, 2)
        self.assertIn("result", r.call(3, "add", {"a": 10}))
        r.finish(self, 0)

    def test_rate_per_rule_and_per_tool(self):
        for i in range(3):
            self.assertIn("result", self.call("echo", {"text": str(i)}))
        m = self.call("echo", {"text": "4"})
        self.assertError(m, -32001)
        self.assertIn("rate limit of 3 calls per 60000 ms", m["error"]["data"]["reason"])
        # per tool: read_file and write_file each get 2
        for tool in ("read_file", "write_file"):
            self.assertIn("result", self.call(tool, {}))
            self.assertIn("result", self.call(tool, {}))
            self.assertError(self.call(tool, {}), -32001)
        self.r.finish(self, 0)

    def test_count_budget(self):
        self.assertIn("result", self.call("slow", {"ms": 1}))
        self.assertIn("result", self.call("slow", {"ms": 1}))
        m = self.call("slow", {"ms": 1})
        self.assertIn("budget 'slow_calls' exhausted", m["error"]["data"]["reason"])
        self.r.finish(self, 0)

    def test_rate_window_slides(self):
        pol = self.write_policy("version: 1\ndefault: allow\nrules:\n"
                                "  - {id: fast, effect: allow, tools: [echo], rate: {calls: 2, per: 300ms}}\n")
        r = self.start(policy=pol)
        r.initialize()
        self.assertIn("result", r.call(1, "echo", {"text": "a"}))
        self.assertIn("result", r.call(2, "echo", {"text": "b"}))
        self.assertError(r.call(3, "echo", {"text": "c"}), -32001, 3)
        import time
        time.sleep(0.7)  # more than two windows later, the previous one no longer counts
        self.assertIn("result", r.call(4, "echo", {"text": "d"}))
        r.finish(self, 0)

    def test_load_errors(self):
        import subprocess
        from harness import SENTINEL
        cases = [
            ("budget: {key: k, limit: 5}", "exactly one of 'sum: ARG' and 'count: true'"),
            ("budget: {sum: a, limit: 5}", "needs a 'key'"),
            ("budget: {key: k, sum: a}", "needs a 'limit'"),
            ("budget: {key: k, sum: a, limit: -1}", "'limit' must be a decimal number >= 0"),
            ("budget: {key: k, sum: a, limit: 0x10}", "YAML reads it as the number 16"),
            ("rate: {calls: 0, per: 1s}", "'calls' must be a decimal number >= 1"),
            ("rate: {calls: 017, per: 1s}", "'calls' must be a decimal number"),
            ("rate: {calls: 1.5, per: 1s}", "whole number"),
            ("rate: {calls: 3, per: 5 days}", "with a unit"),
            ("rate: {calls: 3, per: 60}", "with a unit"),
            ("rate: {calls: 3, per: 0x10s}", "with a unit"),
            ("rate: {calls: 3, per: 0.0001ms}", "at least 1ms"),
            ("rate: {calls: 3}", "needs 'calls' and 'per'"),
            ("rate: {calls: 3, per: 1s, scope: agent}", "'scope' is 'rule' or 'tool'"),
        ]
        for extra, want in cases:
            with self.subTest(extra=extra):
                path = self.write_policy("version: 1\nrules:\n  - {id: x, effect: allow, tools: [t], %s}\n" % extra)
                p = subprocess.run([SENTINEL, "check", path], capture_output=True, text=True, timeout=10)
                self.assertEqual(p.returncode, 1, p.stdout)
                self.assertIn(want, p.stderr)
        path = self.write_policy("version: 1\nrules:\n  - {id: x, effect: deny, tools: [t], rate: {calls: 1, per: 1s}}\n")
        p = subprocess.run([SENTINEL, "check", path], capture_output=True, text=True, timeout=10)
        self.assertIn("need effect: allow", p.stderr)


if __name__ == "__main__":
    unittest.main()
