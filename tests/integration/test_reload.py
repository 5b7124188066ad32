"""Hot reload on SIGHUP: a new policy is swapped in whole or not at all; calls already
admitted finish under the policy that admitted them."""
import json
import os
import signal
import time
import unittest

from harness import Case

A = "version: 1\nname: A\ndefault: allow\nrules:\n  - {id: a-no-echo, effect: deny, tools: [echo]}\n"
B = "version: 1\nname: B\ndefault: allow\nrules:\n  - {id: b-no-slow, effect: deny, tools: [slow]}\n"
BROKEN = "version: 1\nrules:\n  - {id: x, effect: perhaps, tools: [echo]}\n"


class ReloadTest(Case):
    def wait_for(self, pred, what, timeout=3.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if pred():
                return
            time.sleep(0.02)
        self.fail("timed out waiting for " + what)

    def test_reload_swaps_atomically_and_keeps_the_old_policy_on_error(self):
        pol = os.path.join(self.tmpdir, "policy.yaml")
        audit = os.path.join(self.tmpdir, "audit.jsonl")
        with open(pol, "w") as f:
            f.write(A)
        r = self.start(policy=pol, opts=["--audit", audit, "-v"])
        r.initialize()
        self.assertError(r.call(1, "echo", {"text": "x"}), -32001, 1)
        # a slow call admitted under A ...
        r.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                "params": {"name": "slow", "arguments": {"ms": 400}}})
        time.sleep(0.05)
        with open(pol, "w") as f:
            f.write(B)
        os.kill(r.proc.pid, signal.SIGHUP)
        self.wait_for(lambda: "policy reloaded" in r.stderr(), "the reload")
        # ... finishes under A, while B decides new calls
        self.assertIn("result", r.call(3, "echo", {"text": "x"}))
        self.assertError(r.call(4, "slow", {"ms": 10}), -32001, 4)
        self.assertEqual(r.recv_id(2)["result"]["content"][0]["text"], "slow done")
        # a broken file changes nothing
        with open(pol, "w") as f:
            f.write(BROKEN)
        os.kill(r.proc.pid, signal.SIGHUP)
        self.wait_for(lambda: "policy reload failed" in r.stderr(), "the failed reload")
        self.assertIn("policy.yaml:3:", r.stderr())
        self.assertIn("result", r.call(5, "echo", {"text": "x"}))
        self.assertError(r.call(6, "slow", {"ms": 10}), -32001, 6)
        # a missing file neither
        os.unlink(pol)
        os.kill(r.proc.pid, signal.SIGHUP)
        self.wait_for(lambda: r.stderr().count("policy reload failed") == 2, "the second failure")
        self.assertError(r.call(7, "slow", {"ms": 10}), -32001, 7)
        # a FIFO in its place: refused at once, not waited on (later reloads still work)
        os.mkfifo(pol)
        os.kill(r.proc.pid, signal.SIGHUP)
        self.wait_for(lambda: r.stderr().count("policy reload failed") == 3, "the FIFO refusal")
        self.assertIn("not a regular file", r.stderr())
        os.unlink(pol)
        # many signals at once: the interceptor stays up and ends with one policy
        with open(pol, "w") as f:
            f.write(A)
        for _ in range(20):
            os.kill(r.proc.pid, signal.SIGHUP)
        self.wait_for(lambda: r.stderr().count("policy reloaded") >= 2, "the last reload")
        time.sleep(0.2)
        self.assertError(r.call(8, "echo", {"text": "x"}), -32001, 8)
        r.finish(self, 0)
        with open(audit) as f:
            recs = [json.loads(x) for x in f if x.strip()]
        reloads = [x for x in recs if x["event"] == "policy_reload"]
        self.assertTrue(reloads[0]["ok"])
        self.assertFalse(reloads[1]["ok"])
        self.assertIn("effect must be", reloads[1]["error"])
        self.assertEqual(reloads[1]["policy"], pol)  # which file was refused
        self.assertEqual(reloads[2]["policy"], pol)


if __name__ == "__main__":
    unittest.main()
