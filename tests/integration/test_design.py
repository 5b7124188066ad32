"""The policy example of the design brief (design_example.yaml, verbatim) through the real
binary: it loads, and each of its rules does what its comment says."""
import json
import os
import re
import subprocess
import unittest

from harness import Case, SENTINEL, HERE

DENIED = -32001
POLICY = os.path.join(HERE, "design_example.yaml")


def text_of(m):
    return m["result"]["content"][0]["text"]


class DesignExample(Case):
    def test_check(self):
        out = subprocess.run([SENTINEL, "check", "--strict", POLICY], capture_output=True,
                             text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("default deny", out.stdout)

    def test_rules(self):
        audit = os.path.join(self.tmpdir, "audit.jsonl")
        r = self.start(policy=POLICY, opts=["--role", "support-agent", "--audit", audit])
        init = r.initialize()
        self.assertIn("untrusted", init["result"]["instructions"])  # spotlight instructions
        # archetypes/filesystem allows reads; the result is fenced (spotlight delimit)
        t = text_of(r.call(2, "read_file", {"path": "notes.txt"}))
        self.assertRegex(t, r"^\u00abuntrusted:[0-9a-f]{16}\u00bb\n")
        # block-secret-files
        m = r.call(3, "read_file", {"path": "app/.env"})
        self.assertError(m, DENIED, 3)
        self.assertEqual(m["error"]["data"]["rule"], "block-secret-files")
        self.assertEqual(m["error"]["data"]["reason"], "secret files are off limits")
        # small-refunds: the role, the conditions and the per-session budget
        for i in range(6):
            self.assertIn("result", r.call(10 + i, "billing.refund",
                                           {"amount": 300, "currency": "USD"}))
        m = r.call(16, "billing.refund", {"amount": 300, "currency": "EUR"})
        self.assertError(m, DENIED, 16)
        self.assertEqual(m["error"]["data"]["rule"], "small-refunds")
        self.assertIn("refund_total", m["error"]["data"]["reason"])
        m = r.call(17, "billing.refund", {"amount": 10, "currency": "GBP"})
        self.assertEqual(m["error"]["data"]["rule"], "default")
        # strip-bcc
        t = text_of(r.call(20, "email.send", {"to": "a@example.com", "bcc": "spy@example.com"}))
        self.assertIn('"bcc": "[REDACTED]"', t)
        self.assertNotIn("spy@example.com", t)
        # no-exfiltration-after-secrets: scan_results labels the session when a secret is read
        m = r.call(30, "send_email", {"to": "a@example.com"})
        self.assertEqual(m["error"]["data"]["rule"], "default")
        self.assertIn("result", r.call(31, "read_file",
                                       {"path": "AKIAQYLPMN5HHHFPZAM2 in a file name"}))
        m = r.call(32, "send_email", {"to": "a@example.com"})
        self.assertError(m, DENIED, 32)
        self.assertEqual(m["error"]["data"]["rule"], "no-exfiltration-after-secrets")
        r.finish(self)
        with open(audit) as f:
            recs = [json.loads(l) for l in f]
        redacted = [x for x in recs if x.get("request_id") == 20 and x["event"] == "decision"]
        self.assertEqual(redacted[0]["redacted"], ["bcc"])

    def test_without_the_role_refunds_are_denied(self):
        r = self.start(policy=POLICY)
        r.initialize()
        m = r.call(2, "billing.refund", {"amount": 10, "currency": "USD"})
        self.assertEqual(m["error"]["data"]["rule"], "default")
        r.finish(self)


if __name__ == "__main__":
    unittest.main()
