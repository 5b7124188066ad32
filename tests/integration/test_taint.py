"""Session labels (taint), the lethal trifecta, identity matchers and observe rules through
the real binary and the fake server."""
import json
import os
import signal
import subprocess
import time
import unittest

from harness import SENTINEL, Case

DENIED = -32001

FLOW = """version: 1
default: allow
rules:
  - id: no-mail-after-pii
    effect: deny
    tools: [send_email, http_post]
    taint: {any: [pii, secret]}
    reason: personal data was read in this session
taint:
  sources:
    - {tools: [read_user_db], add: [pii]}
    - {tools: [fail, rpc_error], add: [secret]}
    - {resources: ["file:///private/*"], add: [secret]}
  clears:
    - {tools: [redact_data], remove: [pii]}
"""


def records(path, event=None):
    out = []
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if event is None or r["event"] == event:
                out.append(r)
    return out


class TaintFlow(Case):
    def run_flow(self, policy=FLOW, opts=()):
        pol = self.write_policy(policy)
        audit = os.path.join(self.tmpdir, "audit.jsonl")
        r = self.start(policy=pol, opts=["--audit", audit] + list(opts))
        r.initialize()
        return r, audit

    def test_source_then_sink_denied_and_clear_allows_again(self):
        r, audit = self.run_flow()
        self.assertIn("result", r.call(2, "send_email", {"to": "a@b.c"}))
        self.assertIn("result", r.call(3, "read_user_db", {"q": "*"}))
        m = r.call(4, "send_email", {"to": "a@b.c"})
        self.assertError(m, DENIED, 4)
        self.assertEqual(m["error"]["data"]["rule"], "no-mail-after-pii")
        self.assertIn("personal data", m["error"]["message"])
        self.assertIn("result", r.call(5, "redact_data", {}))
        self.assertIn("result", r.call(6, "send_email", {"to": "a@b.c"}))
        r.finish(self)
        taint = records(audit, "taint")
        self.assertEqual([t["added"] for t in taint], [["pii"], []])
        self.assertEqual([t["removed"] for t in taint], [[], ["pii"]])
        self.assertEqual(taint[0]["request_id"], 3)
        dec = {d["request_id"]: d for d in records(audit, "decision")}
        self.assertNotIn("labels", dec[2])
        self.assertEqual(dec[4]["labels"], ["pii"])
        self.assertEqual(dec[4]["effect"], "deny")
        self.assertNotIn("labels", dec[6])

    def test_failed_calls_add_nothing(self):
        r, audit = self.run_flow()
        m = r.call(2, "fail", {})
        self.assertTrue(m["result"]["isError"])
        self.assertError(r.call(3, "rpc_error", {}), -32000, 3)
        self.assertIn("result", r.call(4, "send_email", {}))
        r.finish(self)
        self.assertEqual(records(audit, "taint"), [])

    def test_resource_source(self):
        r, _ = self.run_flow()
        m = r.request(2, "resources/read", {"uri": "file:///public/readme.md"})
        self.assertIn("result", m)
        self.assertIn("result", r.call(3, "http_post", {"url": "https://x"}))
        m = r.request(4, "resources/read", {"uri": "file:///private/keys.txt"})
        self.assertIn("result", m)
        self.assertError(r.call(5, "http_post", {"url": "https://x"}), DENIED, 5)
        r.finish(self)

    def test_labels_are_per_session(self):
        r, _ = self.run_flow()
        self.assertIn("result", r.call(2, "read_user_db", {}))
        self.assertError(r.call(3, "send_email", {}), DENIED, 3)
        r.finish(self)
        r2, _ = self.run_flow()
        self.assertIn("result", r2.call(2, "send_email", {}))
        r2.finish(self)

    def test_labels_survive_reload_and_new_rules_see_them(self):
        r, audit = self.run_flow()
        pol = self.write_policy(FLOW)
        self.assertIn("result", r.call(2, "read_user_db", {}))
        # reload a policy where only echo is guarded by pii
        stricter = FLOW.replace("tools: [send_email, http_post]", "tools: [echo]")
        with open(r.proc.args[r.proc.args.index("--policy") + 1], "w") as f:
            f.write(stricter)
        r.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 5
        while time.time() < deadline:
            if any(x["event"] == "policy_reload" for x in records(audit)):
                break
            time.sleep(0.05)
        self.assertError(r.call(3, "echo", {"text": "x"}), DENIED, 3)
        self.assertIn("result", r.call(4, "send_email", {}))
        r.finish(self)
        del pol


TRIFECTA = """version: 1
default: allow
taint:
  protect_lethal_trifecta: %s
  sources:
    - {tools: [read_user_db], add: [private]}
    - {tools: [web_fetch], add: [untrusted]}
"""


class Trifecta(Case):
    def test_blocked_only_with_all_three(self):
        pol = self.write_policy(TRIFECTA % "true")
        r = self.start(policy=pol)
        r.initialize()
        self.assertIn("result", r.call(2, "http_post", {}))
        self.assertIn("result", r.call(3, "read_user_db", {}))
        self.assertIn("result", r.call(4, "http_post", {}))  # private, nothing untrusted
        self.assertIn("result", r.call(5, "web_fetch", {}))
        m = r.call(6, "http_post", {})
        self.assertError(m, DENIED, 6)
        self.assertEqual(m["error"]["data"]["rule"], "lethal-trifecta")
        self.assertIn("result", r.call(7, "echo", {"text": "not a sink"}))
        self.assertError(r.call(8, "send_email", {}), DENIED, 8)
        r.finish(self)

    def test_allowed_when_off(self):
        pol = self.write_policy(TRIFECTA % "false")
        r = self.start(policy=pol)
        r.initialize()
        for i, t in enumerate(["read_user_db", "web_fetch", "http_post"], 2):
            self.assertIn("result", r.call(i, t, {}))
        r.finish(self)


IDENT = """version: 1
default: deny
rules:
  - {id: support-refunds, effect: allow, tools: [echo], roles: [support]}
  - {id: agent-7-adds, effect: allow, tools: [add], agents: [agent-7]}
  - {id: fake-only, effect: allow, tools: [read_file], servers: [fake]}
  - {id: watch-all, effect: observe, tools: ["*"]}
  - {id: rest, effect: allow, tools: [write_file]}
"""


class Identity(Case):
    def test_roles_agents_servers(self):
        pol = self.write_policy(IDENT)
        audit = os.path.join(self.tmpdir, "a.jsonl")
        r = self.start(policy=pol, opts=["--agent", "agent-7", "--role", "dev,support",
                                         "--audit", audit])
        # before initialize the server's identity is unknown: a servers rule fails closed
        m = r.call(1, "read_file", {"path": "x"})
        self.assertError(m, DENIED, 1)
        self.assertIn("not known yet", m["error"]["data"]["reason"])
        r.initialize()
        self.assertIn("result", r.call(2, "echo", {"text": "x"}))
        self.assertIn("result", r.call(3, "add", {"a": 1, "b": 2}))
        self.assertIn("result", r.call(4, "read_file", {"path": "x"}))
        self.assertIn("result", r.call(5, "write_file", {"path": "x"}))
        r.finish(self)
        dec = {d["request_id"]: d for d in records(audit, "decision")}
        self.assertEqual(dec[2]["agent"], "agent-7")
        self.assertEqual(dec[2]["roles"], ["dev", "support"])
        self.assertEqual(dec[4]["server"], "fake")
        self.assertEqual(dec[5]["observed"], ["watch-all"])
        self.assertEqual(dec[5]["rule"], "rest")

    def test_other_identity_denied(self):
        pol = self.write_policy(IDENT)
        r = self.start(policy=pol, opts=["--agent", "agent-8", "--server-id", "github"])
        r.initialize()
        self.assertError(r.call(2, "echo", {"text": "x"}), DENIED, 2)
        self.assertError(r.call(3, "add", {"a": 1, "b": 2}), DENIED, 3)
        self.assertError(r.call(4, "read_file", {"path": "x"}), DENIED, 4)
        r.finish(self)

    def test_bad_identity_flags(self):
        pol = self.write_policy(IDENT)
        for opts in (["--agent", ""], ["--role", "a\x01b"], ["--server-id", "x" * 200]):
            r = self.start(policy=pol, opts=opts)
            self.assertEqual(r.wait(), 64, opts)


class ApproveWithoutApprover(Case):
    def test_denied_fail_closed(self):
        pol = self.write_policy("version: 1\ndefault: allow\nrules:\n"
                                "  - {id: ask, effect: approve, tools: [send_email]}\n")
        r = self.start(policy=pol)
        r.initialize()
        m = r.call(2, "send_email", {})
        self.assertError(m, DENIED, 2)
        self.assertIn("no approver", m["error"]["data"]["reason"])
        r.finish(self)


INFLUENCE = """version: 1
default: allow
rules:
  - {id: distrusted, effect: deny, tools: [send_email], taint: {any: [invalidated]}}
taint:
  sources:
    - {tools: [read_user_db, web_fetch], add: [pii]}
  clears:
    - {tools: [redact_data, web_fetch], remove: [pii]}
"""


class InfluenceEndsAtAClear(Case):
    """A source influences later calls (influenced_by, invalidation) through the labels it put
    in the session, until a clear removes them; a fresh source of the same label afterwards is
    the only influence of the calls that carry it."""

    def run_flow(self):
        inval = os.path.join(self.tmpdir, "inval.txt")
        with open(inval, "w") as f:
            f.write("request 3\n")  # distrusted from the start
        audit = os.path.join(self.tmpdir, "audit.jsonl")
        r = self.start(policy=self.write_policy(INFLUENCE),
                       opts=["--audit", audit, "--invalidations", inval])
        r.initialize()
        return r, audit

    def test_cleared_source_no_longer_influences(self):
        r, audit = self.run_flow()
        self.assertIn("result", r.call(3, "read_user_db", {}))
        self.assertError(r.call(4, "send_email", {"to": "a@b.c"}), DENIED, 4)  # pii of 3
        self.assertIn("result", r.call(5, "redact_data", {}))  # pii goes, and 3 with it
        self.assertIn("result", r.call(6, "read_user_db", {}))  # pii again, from 6
        m = r.call(7, "send_email", {"to": "a@b.c"})
        self.assertIn("result", m, "influence of the invalidated 3 survived the clear")
        r.finish(self)
        dec = {d["request_id"]: d for d in records(audit, "decision")}
        self.assertEqual(dec[4]["influenced_by"], [3])
        self.assertIn("invalidated", dec[4]["labels"])
        self.assertNotIn("influenced_by", dec[6])
        self.assertEqual(dec[7]["influenced_by"], [6])
        self.assertEqual(dec[7]["labels"], ["pii"])
        # the chain of 3 ends at the clear
        p = subprocess.run([SENTINEL, "chain", audit, "--request", "3", "--json"],
                           capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        deps = [json.loads(x)["request_id"] for x in p.stdout.splitlines()
                if json.loads(x)["kind"] == "dependent"]
        self.assertEqual(deps, [4, 5])

    def test_a_call_that_clears_and_adds_is_the_only_source(self):
        r, audit = self.run_flow()
        self.assertIn("result", r.call(3, "read_user_db", {}))
        self.assertIn("result", r.call(5, "web_fetch", {}))  # removes pii, then adds it back
        self.assertIn("result", r.call(7, "send_email", {"to": "a@b.c"}))
        r.finish(self)
        dec = {d["request_id"]: d for d in records(audit, "decision")}
        self.assertEqual(dec[5]["influenced_by"], [3])
        self.assertEqual(dec[7]["influenced_by"], [5])
        self.assertNotIn("invalidated", dec[7]["labels"])

    def test_a_second_source_of_a_held_label_counts_too(self):
        # 3 is distrusted; 8 adds pii first, then 3 adds it again: 3 influences what follows
        inval = os.path.join(self.tmpdir, "inval.txt")
        with open(inval, "w") as f:
            f.write("request 3\n")
        audit = os.path.join(self.tmpdir, "audit.jsonl")
        r = self.start(policy=self.write_policy(INFLUENCE),
                       opts=["--audit", audit, "--invalidations", inval])
        r.initialize()
        self.assertIn("result", r.call(8, "read_user_db", {}))
        self.assertIn("result", r.call(3, "read_user_db", {}))
        self.assertError(r.call(4, "send_email", {"to": "a@b.c"}), DENIED, 4)
        r.finish(self)
        dec = {d["request_id"]: d for d in records(audit, "decision")}
        self.assertEqual(sorted(dec[4]["influenced_by"]), [3, 8])
        self.assertIn("invalidated", dec[4]["labels"])


if __name__ == "__main__":
    unittest.main()
