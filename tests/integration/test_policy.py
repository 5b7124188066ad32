"""The first policy slice through the real binary: deny, list filtering, observe, audit,
`sentinel check`, and failing closed when the audit log cannot be written."""
import json
import os
import re
import subprocess
import unittest

from harness import POLICIES, ROOT, SENTINEL, Case

POLICY = """\
version: 1
name: test
default: allow
rules:
  - id: allow-echo
    effect: allow
    tools: ["echo"]
  - id: no-writes
    effect: deny
    tools: ["write_*", "run_command"]
    reason: read-only session
  - id: shadowed
    effect: allow
    tools: ["write_file"]
"""


def audit_lines(path):
    with open(path) as f:
        return [json.loads(x) for x in f if x.strip()]


class PolicyTest(Case):
    def test_a_denial_without_reason_names_its_rule(self):
        """A rule without `reason`: the message names the rule instead of repeating "denied by
        policy"; data.reason stays the default text."""
        pol = self.write_policy("version: 1\ndefault: allow\nrules:\n"
                                "  - {id: no-x, effect: deny, tools: [x]}\n")
        r = self.start(policy=pol)
        r.initialize()
        m = r.call(2, "x", {})
        self.assertError(m, -32001, 2)
        self.assertEqual(m["error"]["message"], "sentinel: denied by policy: rule 'no-x'")
        self.assertEqual(m["error"]["data"]["rule"], "no-x")
        self.assertEqual(m["error"]["data"]["reason"], "denied by policy")
        r.finish(self, 0)

    def test_deny_and_filter(self):
        pol = self.write_policy(POLICY)
        audit = os.path.join(self.tmpdir, "audit.jsonl")
        r = self.start(policy=pol, opts=["--audit", audit])
        r.initialize()
        tools = [t["name"] for t in r.request(1, "tools/list")["result"]["tools"]]
        self.assertIn("echo", tools)
        self.assertIn("read_file", tools)
        self.assertNotIn("write_file", tools)
        self.assertNotIn("run_command", tools)
        m = r.call(2, "write_file", {"path": "/etc/passwd"})
        self.assertError(m, -32001, 2)
        self.assertEqual(m["error"]["data"]["rule"], "no-writes")
        self.assertEqual(m["error"]["data"]["reason"], "read-only session")
        self.assertEqual(m["error"]["message"], "sentinel: denied by policy: read-only session")
        self.assertTrue(m["error"]["data"]["decision_id"])
        self.assertEqual(r.call(3, "echo", {"text": "ok"})["result"]["content"][0]["text"], "ok")
        # an escaped name is the same name
        r.send_raw(b'{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"write\\u005ffile"}}\n')
        self.assertError(r.recv_id(4), -32001, 4)
        # a name with a NUL byte is not "write_file"; it is decided on its own bytes
        r.send_raw(b'{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo\\u0000x"}}\n')
        self.assertIn("error", r.recv_id(5))  # the fake server does not know it
        r.finish(self, 0)
        recs = audit_lines(audit)
        self.assertEqual(recs[0]["event"], "start")
        self.assertEqual(recs[-2]["event"], "stop")
        self.assertEqual(recs[-1]["event"], "checkpoint")  # the final seal
        self.assertTrue(recs[-1]["final"])
        decisions = [x for x in recs if x["event"] == "decision"]
        self.assertEqual([(d["tool"], d["effect"], d["rule"]) for d in decisions],
                         [("write_file", "deny", "no-writes"), ("echo", "allow", "allow-echo"),
                          ("write_file", "deny", "no-writes"), ("echo\u0000x", "allow", "default")])
        self.assertEqual(decisions[0]["decision_id"], m["error"]["data"]["decision_id"])
        self.assertEqual([x["seq"] for x in recs], list(range(1, len(recs) + 1)))
        self.assertTrue(any(x["event"] == "list_filter" and x["hidden"] == 2 for x in recs))

    def test_observe_forwards_and_records(self):
        pol = self.write_policy(POLICY)
        audit = os.path.join(self.tmpdir, "audit.jsonl")
        r = self.start(policy=pol, opts=["--observe", "--audit", audit])
        r.initialize()
        tools = [t["name"] for t in r.request(1, "tools/list")["result"]["tools"]]
        self.assertIn("write_file", tools)
        m = r.call(2, "write_file", {"path": "x"})
        self.assertIn("result", m)
        r.finish(self, 0)
        d = [x for x in audit_lines(audit) if x["event"] == "decision"][0]
        self.assertEqual((d["effect"], d["mode"], d["forwarded"]), ("deny", "observe", True))

    def test_default_deny(self):
        pol = self.write_policy("version: 1\ndefault: deny\nrules:\n  - {id: e, effect: allow, tools: [echo]}\n")
        r = self.start(policy=pol)
        r.initialize()
        tools = [t["name"] for t in r.request(1, "tools/list")["result"]["tools"]]
        self.assertEqual(tools, ["echo"])
        m = r.call(2, "add", {"a": 1, "b": 2})
        self.assertError(m, -32001, 2)
        self.assertEqual(m["error"]["data"]["rule"], "default")
        r.finish(self, 0)

    def test_builtin_default_policy(self):
        r = self.start()
        r.initialize()
        self.assertError(r.call(1, "run_command", {"cmd": "id"}), -32001, 1)
        self.assertIn("result", r.call(2, "add", {"a": 1, "b": 2}))
        r.finish(self, 0)

    def test_audit_failure_fails_closed(self):
        r = self.start(opts=["--audit", "/dev/full"])
        r.initialize()
        first = r.call(1, "echo", {"text": "x"})  # decided before the write error is known
        import time
        time.sleep(0.2)
        m = r.call(2, "echo", {"text": "x"})
        self.assertError(m, -32000, 2)
        self.assertIn("audit log", m["error"]["message"])
        self.assertIn("failing closed", m["error"]["message"])
        self.assertIn("result", r.request(3, "ping"))  # non-decisions still flow
        r.finish(self)
        del first

    def test_audit_unopenable(self):
        p = subprocess.run([SENTINEL, "run", "--audit", "/nonexistent/dir/a.jsonl", "--", "true"],
                           input=b"", capture_output=True, timeout=10)
        self.assertEqual(p.returncode, 74)
        self.assertIn(b"cannot open audit log", p.stderr)


class CheckTest(unittest.TestCase):
    def check(self, text):
        import tempfile
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write(text)
        try:
            p = subprocess.run([SENTINEL, "check", f.name], capture_output=True, text=True, timeout=10)
        finally:
            os.unlink(f.name)
        return p.returncode, p.stderr.replace(f.name, "P")

    def test_shipped_packs_pass(self):
        for name in ("allow-all.yaml", "default.yaml"):
            p = subprocess.run([SENTINEL, "check", os.path.join(POLICIES, name)],
                               capture_output=True, text=True, timeout=10)
            self.assertEqual(p.returncode, 0, p.stderr)

    def test_warnings_for_rules_that_can_never_match(self):
        text = ("version: 1\ndefault: allow\nrules:\n"
                "  - {id: all-fs, effect: deny, tools: [\"fs_*\"]}\n"
                "  - {id: fs-read, effect: allow, tools: [fs_read]}\n"
                "  - {id: cond, effect: deny, tools: [x], when: {arg: a, eq: 1}}\n"
                "  - {id: x-after-cond, effect: allow, tools: [x]}\n"
                "  - {id: bad-uri, effect: deny, resources: [\"private/*\"]}\n"
                "  - {id: ok-uri, effect: deny, resources: [\"file:///p/*\", \"*.pem\"]}\n")
        rc, err = self.check(text)
        self.assertEqual(rc, 0, err)
        self.assertIn("P:5:5: warning: rule 'fs-read' can never match: rule 'all-fs' (line 4)", err)
        self.assertIn("P:8:5: warning: rule 'bad-uri': resources pattern 'private/*' can never match", err)
        self.assertNotIn("x-after-cond", err)  # the earlier rule is conditional
        self.assertNotIn("ok-uri", err)
        self.assertEqual(err.count("warning:"), 2)

    def test_warnings_for_completion_rules_that_miss_a_kind(self):
        text = ("version: 1\ndefault: allow\nrules:\n"
                "  - {id: c-names, effect: deny, methods: [completion/complete], tools: [\"*\"]}\n"
                "  - {id: c-uris, effect: deny, methods: [completion/complete], "
                "resources: [\"*\"]}\n"
                "  - {id: c-all, effect: deny, methods: [completion/complete]}\n"
                "  - {id: calls, effect: deny, tools: [\"*\"]}\n")
        rc, err = self.check(text)
        self.assertEqual(rc, 0, err)
        self.assertIn("P:4:5: warning: rule 'c-names' matches completion/complete of prompts "
                      "only (ref/prompt, by name)", err)
        self.assertIn("P:5:5: warning: rule 'c-uris' matches completion/complete of resource "
                      "templates only", err)
        self.assertNotIn("'c-all'", err)
        self.assertNotIn("'calls'", err)
        self.assertEqual(err.count("warning:"), 2)

    def test_warning_for_marked_values_no_rule_reads(self):
        text = ("version: 1\ndefault: allow\nrules:\n"
                "  - {id: no-pii, effect: deny, tools: [x], taint: {any: [pii]}}\n"
                "taint:\n  track:\n    - {env: HOME}\n    - {file: ids.txt, add: [pii]}\n")
        rc, err = self.check(text)
        self.assertEqual(rc, 0, err)
        self.assertIn("P:7:7: warning: taint.track entry env HOME: no rule's taint reads its "
                      "labels", err)
        self.assertNotIn("ids.txt", err)
        self.assertEqual(err.count("warning:"), 1)

    def test_include_packs_by_name_after_own_rules(self):
        import tempfile
        text = ("version: 1\ndefault: allow\ninclude: [default]\nrules:\n"
                "  - {id: shell-ok, effect: allow, tools: [bash]}\n")
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write(text)
        self.addCleanup(os.unlink, f.name)
        def explain(tool):
            p = subprocess.run([SENTINEL, "explain", "--policy", f.name, "--tool", tool, "--why"],
                               capture_output=True, text=True, timeout=10)
            self.assertEqual(p.returncode, 0, p.stderr)
            return json.loads(p.stdout)
        # the including file's rules come first: its allow of bash wins over the pack's deny
        self.assertEqual((explain("bash")["effect"], explain("bash")["rule"]), ("allow", "shell-ok"))
        j = explain("run_command")
        self.assertEqual((j["effect"], j["rule"]), ("deny", "default:no-arbitrary-commands"))
        self.assertEqual([w["rule"] for w in j["why"]], ["shell-ok"])
        rc, err = self.check("version: 1\ninclude: [no-such-pack]\n")
        self.assertEqual(rc, 1)
        self.assertIn("P:2:11: unknown pack 'no-such-pack' (shipped: ", err)
        # every shipped pack is named (a folder's packs grouped: presets/{gdpr, hipaa, ...})
        packs = subprocess.run([SENTINEL, "packs"], capture_output=True, text=True, timeout=10)
        names = [l.split()[0] for l in packs.stdout.splitlines()]
        self.assertIn("presets/hipaa", names)
        listed = err.split("(shipped: ", 1)[1].rstrip().rstrip(")")
        self.assertNotIn("...", listed)
        for n in names:
            folder, _, base = n.rpartition("/")
            self.assertRegex(listed, r"(^|, )%s(, |\}|$)" % re.escape(base) if not folder else
                             r"%s/\{[^}]*\b%s\b" % (re.escape(folder), re.escape(base)))
        # a list that does not fit says so and where to look
        rc, err = self.check("version: 1\ninclude: ['%s']\n" % ("x" * 120))
        self.assertEqual(rc, 1)
        self.assertIn("(shipped: allow-all, ...; sentinel packs lists them all)", err)
        rc, err = self.check("version: 1\ninclude: {a: 1}\n")
        self.assertIn("'include' must be a list of pack names", err)
        rc, err = self.check("version: 1\ninclude: [default]\nrules:\n"
                             "  - {id: 'default:no-arbitrary-commands', effect: deny, tools: [x]}\n")
        self.assertEqual(rc, 1)
        self.assertIn("duplicate rule id 'default:no-arbitrary-commands'", err)

    def test_warnings_in_packs_name_the_pack(self):
        """A finding in an included pack is placed at the include, and names the pack's line,
        as a load error inside a pack is."""
        rc, err = self.check("version: 1\ninclude: [default, presets/soc2, presets/hipaa]\n")
        self.assertEqual(rc, 0, err)
        self.assertRegex(err, r"^P:2:34: warning: in pack:presets/hipaa:\d+:5: rule "
                              r"'presets/hipaa:audit-tampering' can never match: rule "
                              r"'presets/soc2:audit-tampering' \(pack:presets/soc2:\d+\)")
        rc, err = self.check("version: 1\ninclude: [default]\nrules:\n"
                             "  - {id: all, effect: deny, tools: ['*']}\n"
                             "  - {id: b, effect: deny, tools: [x]}\n")
        self.assertEqual(rc, 0, err)
        lines = err.splitlines()
        self.assertIn("P:5:5: warning: rule 'b' can never match: rule 'all' (line 4)", lines[0])
        self.assertRegex(lines[1], r"^P:2:11: warning: in pack:default:\d+:\d+: rule "
                                   r"'default:no-arbitrary-commands' can never match: rule 'all' "
                                   r"\(P:4\)")

    @staticmethod
    def compat_keys():
        """The seed-format keys compat.c knows, both spellings (its keys[] table)."""
        with open(os.path.join(ROOT, "interceptor", "src", "policy", "compat.c")) as f:
            table = f.read().split("} keys[] = {", 1)[1].split("};", 1)[0]
        return set(re.findall(r'\{"(\w+)", S_\w+\}', table))

    def test_schema_takes_the_seed_format_keys_the_loader_takes(self):
        """policies/schema.json has a property for each seed-format key `sentinel check`
        loads (snake_case and camelCase, metadata too) and none for those it refuses; the
        top-level keys of docs/sentinel-compat.md's examples are all in it."""
        with open(os.path.join(POLICIES, "schema.json")) as f:
            schema = json.load(f)
        keys = self.compat_keys()
        self.assertIn("static_rules", keys)
        self.assertIn("customerId", keys)
        sample = {"static": "{a: ALLOW}", "taint": "[]", "resource": "[]", "tool": "{a: [X]}",
                  "protect": "true"}
        for key in sorted(keys):
            value = next((v for k, v in sample.items() if key.lower().startswith(k)), "x")
            rc, err = self.check("version: 1\n%s: %s\n" % (key, value))
            with self.subTest(key=key, loads=rc == 0):
                self.assertEqual(key in schema["properties"], rc == 0, err)
        with open(os.path.join(ROOT, "docs", "sentinel-compat.md")) as f:
            doc = f.read()
        for block in re.findall(r"```yaml\n(.*?)```", doc, re.S):
            for key in re.findall(r"^([A-Za-z_]+):", block, re.M):
                self.assertIn(key, schema["properties"])

    def test_schema_lists_what_the_loader_accepts(self):
        with open(os.path.join(POLICIES, "schema.json")) as f:
            schema = json.load(f)
        for m in schema["$defs"]["method"]["enum"]:
            rc, err = self.check("version: 1\nrules:\n  - {id: a, effect: deny, methods: [%s]}\n" % m)
            self.assertEqual(rc, 0, (m, err))
        sample = {"in": "[1]", "not_in": "[1]", "exists": "true", "startswith": "x",
                  "endswith": "x", "matches": "x"}
        leaf = schema["$defs"]["condition"]["oneOf"][3]["properties"]
        for op in leaf:
            if op == "arg":
                continue
            rc, err = self.check("version: 1\nrules:\n  - {id: a, effect: deny, tools: [t], "
                                 "when: {arg: p, %s: %s}}\n" % (op, sample.get(op, "1")))
            self.assertEqual(rc, 0, (op, err))
        for key in schema["$defs"]["rule"]["properties"]:
            self.assertIn(key, ("id", "effect", "methods", "tools", "resources", "when", "reason",
                                "description", "budget", "rate", "redact", "servers", "agents",
                                "roles", "taint"))
        self.assertEqual(set(schema["$defs"]["rule"]["properties"]["effect"]["enum"]),
                         {"allow", "deny", "approve", "redact", "observe"})
        self.assertEqual(set(schema["properties"]) - self.compat_keys(),
                         {"version", "name", "description", "default", "include", "rules",
                          "taint", "sandbox", "audit", "identity", "spotlight", "schema",
                          "pins"})
        for value in schema["properties"]["identity"]["properties"]["require"]["enum"]:
            rc, err = self.check("version: 1\nidentity: {require: %s}\n" % value)
            self.assertEqual(rc, 0, (value, err))
        for key in schema["properties"]["taint"]["properties"]:
            rc, err = self.check("version: 1\ntaint: {%s: %s}\n" % (
                key, {"sources": "[{tools: [x], add: [l]}]", "clears": "[{tools: [x], remove: [l]}]",
                      "sinks": "[x]", "protect_lethal_trifecta": "true", "scan_results": "true",
                      "track_values": "false", "track": "[{env: HOME}]",
                      "other_messages": "allow"}[key]))
            self.assertEqual(rc, 0, (key, err))

    def test_errors_have_positions(self):
        cases = [
            ("version: 1\nrules:\n  - id: a\n    effect: maybe\n    tools: [x]\n", "P:4:13: effect must be allow, deny, approve, redact or observe"),
            ("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: [x]\n    taint: {any: ['no way']}\n", "P:6:19: label 'no way' must be"),
            ("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools: [x]\n    when: {arg: p}\n", "P:6:11: a condition needs an operator"),
            ("version: 1\nrules:\n  - id: a\n    effect: deny\n    when: {arg: p, matches: '(unclosed'}\n", "P:5:29: invalid regex"),
            ("version: 1\nrules:\n  - id: a\n    effect: deny\n    methods: [tools/delete]\n", "P:5:15: unknown method 'tools/delete'"),
            ("version: 1\nspotlight: {mode: bright}\n", "P:2:19: spotlight mode is delimit"),
            ("version: 2\n", "P:1:10: unsupported policy version"),
            ("version: 1\nrules:\n  - {id: a, effect: deny, tools: [x]}\n  - {id: a, effect: deny, tools: [y]}\n", "P:4:5: duplicate rule id 'a'"),
            ("version: 1\nversion: 1\n", "P:2:1: duplicate key 'version'"),
            ("version: 1\nrules:\n  - {id: a, effect: deny, tools: [*x]}\n", "YAML"),
            ("version: 1\nrules:\n  - {id: a, effect: deny, tools: [*]}\n",
             "P:3:36: YAML syntax error: did not find expected alphabetic or numeric character "
             "while scanning an alias (a bare * starts a YAML alias: quote it: '*')"),
            ("version: 1\nrules:\n  - id: a\n    effect: deny\n    tools:\n      - *\n",
             "(a bare * starts a YAML alias: quote it: '*')"),
            ("version: 1\nrules:\n  - {id: a, effect: deny, tools: ['[x']}\n", "P:3:36: malformed glob"),
            ("version: 1\nrules: [\n", "P:3:1: YAML syntax error"),
            ("", "empty policy"),
            ("version: 1\nfoo: bar\n", "P:2:1: unknown key 'foo'"),
            ("version: 1\nrules:\n  - {effect: deny, tools: [x]}\n", "P:3:5: rule needs an 'id'"),
        ]
        for text, want in cases:
            with self.subTest(text=text):
                rc, err = self.check(text)
                self.assertEqual(rc, 1, err)
                self.assertIn(want, err)


if __name__ == "__main__":
    unittest.main()
