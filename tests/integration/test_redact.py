"""effect: redact — listed argument fields are masked before forwarding, the audit says
which, and everything else of the message stays byte for byte."""
import json
import os
import unittest

from harness import FAKE, Case

POLICY = """
version: 1
default: allow
rules:
  - id: strip-secrets
    effect: redact
    tools: [write_file]
    redact: [token, headers.authorization, items.0]
  - id: prompt-redact
    effect: redact
    methods: [prompts/get]
    tools: [summarize]
    redact: [password]
"""


class RedactTest(Case):
    def test_a_call_without_arguments_is_sent_as_it_came(self):
        """A redact rule matching a call with no arguments masks nothing. It once rewrote
        the message at the previous call's offsets: the server read a denied tool."""
        pol = self.write_policy(POLICY + """\
  - {id: no-danger, effect: deny, tools: [run_command]}
  - {id: strip-token, effect: redact, tools: ["*"], redact: [token]}
""")
        rec = os.path.join(self.tmpdir, "rec")
        r = self.start(server=FAKE + ["--record", rec], policy=pol)
        r.initialize()
        second = ('{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo"},'
                  '"extra":{"c":"w","name":"run_command","arguments":{"cmd":"id"}}}')
        s, e = second.index('"echo"'), second.index('"w"') + 3
        head, mid = '{"p":"', '","token":'
        val = '"' + "x" * (e - s - 2) + '"'
        args = head + "P" * (s - len(head) - len(mid)) + mid + val + "}"
        first = ('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo",'
                 '"arguments":' + args + '}}')
        # the token's offsets within the arguments fall on "echo" of the second line
        self.assertEqual(args.index(val), s)
        r.send_raw(first.encode() + b"\n")
        self.assertIn("result", r.recv_id(1))
        r.send_raw(second.encode() + b"\n")
        m = r.recv_id(2)
        self.assertNotIn("run_command", json.dumps(m))
        r.finish(self, 0)
        with open(rec, "rb") as f:
            got = f.read().split(b"\n")
        self.assertIn(second.encode(), got)  # byte for byte
        self.assertFalse(any(b"[REDACTED]" in x and b'"id":2' in x for x in got))

    def test_fields_masked_rest_untouched(self):
        rec = os.path.join(self.tmpdir, "rec")
        audit = os.path.join(self.tmpdir, "audit.jsonl")
        r = self.start(server=FAKE + ["--record", rec], policy=self.write_policy(POLICY),
                       opts=["--audit", audit])
        r.initialize()
        line = (b'{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"write_file",'
                b'"arguments":{"path":"/tmp/x","token":"s3cr3t","headers":{"authorization":"Bearer abc","x":1},'
                b'"items":[{"k":"v"},2],"n":1.50}}}')
        r.send_raw(line + b"\n")
        res = r.recv_id(5)
        self.assertIn("result", res)
        echoed = json.loads(res["result"]["content"][0]["text"].split(" ok ", 1)[1])
        self.assertEqual(echoed["token"], "[REDACTED]")
        self.assertEqual(echoed["headers"], {"authorization": "[REDACTED]", "x": 1})
        self.assertEqual(echoed["items"], ["[REDACTED]", 2])
        self.assertEqual(echoed["path"], "/tmp/x")
        # absent fields: nothing to mask, forwarded as sent
        plain = b'{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"write_file","arguments":{"path":"/a"}}}'
        r.send_raw(plain + b"\n")
        r.recv_id(6)
        self.assertEqual(r.request(7, "prompts/get", {"name": "summarize", "arguments": {"password": "p", "style": "s"}})["result"]["messages"][0]["content"]["text"],
                         'prompt summarize {"password": "[REDACTED]", "style": "s"}')
        r.finish(self, 0)
        with open(rec, "rb") as f:
            got = f.read().split(b"\n")
        want = (b'{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"write_file",'
                b'"arguments":{"path":"/tmp/x","token":"[REDACTED]","headers":{"authorization":"[REDACTED]","x":1},'
                b'"items":["[REDACTED]",2],"n":1.50}}}')
        self.assertIn(want, got)          # only the values changed, byte for byte elsewhere
        self.assertNotIn(line, got)
        self.assertIn(plain, got)
        self.assertFalse(any(b"s3cr3t" in x or b"Bearer abc" in x for x in got))
        with open(audit) as f:
            dec = [json.loads(x) for x in f if '"decision"' in x]
        self.assertEqual(dec[0]["effect"], "redact")
        self.assertEqual(dec[0]["redacted"], ["token", "headers.authorization", "items.0"])
        self.assertEqual(dec[1]["redacted"], [])

    def test_observe_changes_nothing(self):
        rec = os.path.join(self.tmpdir, "rec")
        r = self.start(server=FAKE + ["--record", rec], policy=self.write_policy(POLICY), opts=["--observe"])
        r.initialize()
        line = b'{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"write_file","arguments":{"token":"t"}}}'
        r.send_raw(line + b"\n")
        r.recv_id(5)
        r.finish(self, 0)
        with open(rec, "rb") as f:
            self.assertIn(line, f.read().split(b"\n"))

    def test_load_errors(self):
        import subprocess
        from harness import SENTINEL
        for extra, want in (("effect: redact, tools: [t]", "go together"),
                            ("effect: deny, tools: [t], redact: [a]", "go together"),
                            ("effect: redact, tools: [t], redact: ['.a']", "dotted argument path"),
                            ("effect: redact, methods: [resources/read], redact: [a]", "tools/call and prompts/get only")):
            with self.subTest(extra=extra):
                path = self.write_policy("version: 1\nrules:\n  - {id: x, %s}\n" % extra)
                p = subprocess.run([SENTINEL, "check", path], capture_output=True, text=True, timeout=10)
                self.assertEqual(p.returncode, 1, p.stdout)
                self.assertIn(want, p.stderr)


if __name__ == "__main__":
    unittest.main()
