"""effect: approve through the real binary: a call is held until a human answers on a
terminal (a pty here, via --approval tty:DEVICE); no answer, a refusal, a cancelled call or a
vanished terminal never lets it through."""
import json
import os
import pty
import select
import time
import unittest

from harness import Case

DENIED = -32001
POLICY = """version: 1
default: allow
rules:
  - {id: ask-mail, effect: approve, tools: [send_email], reason: mail needs a human}
"""


class Terminal:
    def __init__(self):
        self.master, self.slave = pty.openpty()
        self.path = os.ttyname(self.slave)
        self.seen = b""

    def wait_for(self, needle, timeout=5.0):
        deadline = time.time() + timeout
        while needle not in self.seen:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError("terminal never showed %r; got %r" % (needle, self.seen))
            r, _, _ = select.select([self.master], [], [], left)
            if r:
                try:
                    self.seen += os.read(self.master, 65536)
                except OSError:
                    break
        return self.seen

    def answer(self, text):
        # a human takes longer than this: the prompt's type-ahead flush runs just after it is
        # written, and an answer racing it would be discarded as type-ahead
        time.sleep(0.2)
        os.write(self.master, text.encode() + b"\n")

    def close(self):
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass


class Approve(Case):
    def setUp(self):
        super().setUp()
        self.tty = Terminal()
        self.addCleanup(self.tty.close)
        self.audit = os.path.join(self.tmpdir, "audit.jsonl")

    def start_run(self, timeout="30", extra=()):
        pol = self.write_policy(POLICY)
        r = self.start(policy=pol, opts=["--approval", "tty:" + self.tty.path,
                                         "--approval-timeout", timeout, "--audit", self.audit]
                       + list(extra))
        r.initialize()
        return r

    def approvals(self):
        with open(self.audit) as f:
            return [json.loads(l) for l in f if '"event":"approval"' in l]

    def test_yes_forwards_the_call_unchanged(self):
        r = self.start_run()
        r.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                "params": {"name": "send_email", "arguments": {"to": "boss@example.com"}}})
        self.tty.wait_for(b"approve? [y/N]")
        self.assertIn(b"send_email", self.tty.seen)
        self.assertIn(b"boss@example.com", self.tty.seen)
        r.no_message(0.3)  # held: nothing reaches the client or the server yet
        self.tty.answer("y")
        m = r.recv_id(2)
        self.assertIn("result", m)
        self.assertIn("boss@example.com", m["result"]["content"][0]["text"])
        r.finish(self)
        self.assertEqual([(a["answer"], a["forwarded"]) for a in self.approvals()],
                         [("yes", True)])

    def test_an_answer_is_delivered_without_other_activity(self):
        """Without an audit log no timer wakes the loop: the answer still goes out at once
        (it once waited for the next message)."""
        pol = self.write_policy(POLICY)
        r = self.start(policy=pol, opts=["--approval", "tty:" + self.tty.path])
        r.initialize()
        for mid, ans in ((2, "n"), (3, "y")):
            r.send({"jsonrpc": "2.0", "id": mid, "method": "tools/call",
                    "params": {"name": "send_email", "arguments": {}}})
            self.tty.wait_for(b"approve? [y/N]")
            self.tty.seen = b""
            self.tty.answer(ans)
            m = r.recv_id(mid, timeout=3)
            self.assertIn("error" if ans == "n" else "result", m)
        r.finish(self)

    def test_no_and_garbage_deny(self):
        r = self.start_run()
        for mid, ans in ((2, "n"), (3, "sure")):
            r.send({"jsonrpc": "2.0", "id": mid, "method": "tools/call",
                    "params": {"name": "send_email", "arguments": {}}})
            self.tty.wait_for(b"approve? [y/N]")
            self.tty.seen = b""
            self.tty.answer(ans)
            m = r.recv_id(mid)
            self.assertError(m, DENIED, mid)
            self.assertEqual(m["error"]["data"]["rule"], "ask-mail")
            self.assertIn("refused", m["error"]["data"]["reason"])
        # other tools are not held
        self.assertIn("result", r.call(4, "echo", {"text": "x"}))
        r.finish(self)
        # the decision of a held call is not "forwarded"; its approval says whether it went
        with open(self.audit) as f:
            recs = [json.loads(l) for l in f]
        dec = [x for x in recs if x["event"] == "decision" and x["effect"] == "approve"]
        self.assertEqual([(x["forwarded"], x.get("held")) for x in dec], [(False, True)] * 2)
        self.assertEqual([(a["answer"], a["forwarded"]) for a in self.approvals()],
                         [("no", False), ("no", False)])

    def test_timeout_denies(self):
        r = self.start_run(timeout="1")
        t0 = time.time()
        m = r.call(2, "send_email", {}, timeout=5)
        self.assertError(m, DENIED, 2)
        self.assertIn("timeout", m["error"]["data"]["reason"])
        self.assertGreater(time.time() - t0, 0.8)
        r.finish(self)
        self.assertEqual([a["answer"] for a in self.approvals()], ["timeout"])

    def test_cancel_withdraws_and_server_never_sees_it(self):
        r = self.start_run()
        r.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                "params": {"name": "send_email", "arguments": {}}})
        self.tty.wait_for(b"approve? [y/N]")
        r.send({"jsonrpc": "2.0", "method": "notifications/cancelled",
                "params": {"requestId": 2, "reason": "user gave up"}})
        r.no_message(0.3)
        self.tty.answer("y")  # too late: withdrawn
        r.no_message(0.3)
        # the id is free again and the session goes on
        self.assertIn("result", r.call(2, "echo", {"text": "again"}))
        r.finish(self)
        self.assertEqual([a["answer"] for a in self.approvals()], ["cancelled"])

    def test_server_exit_withdraws_the_question_on_the_terminal(self):
        r = self.start_run()
        r.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                "params": {"name": "send_email", "arguments": {}}})
        self.tty.wait_for(b"approve? [y/N]")
        r.send({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                "params": {"name": "crash", "arguments": {}}})
        self.assertError(r.recv_id(2), -32003, 2)
        # the operator is told the question went away, and why
        self.tty.wait_for(b"withdrawn (the server exited")
        self.assertIn(b"not approved", self.tty.seen)
        r.kill()

    def test_terminal_gone_denies(self):
        r = self.start_run()
        r.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                "params": {"name": "send_email", "arguments": {}}})
        self.tty.wait_for(b"approve? [y/N]")
        self.tty.close()
        m = r.recv_id(2)
        self.assertError(m, DENIED, 2)
        self.assertIn("terminal is gone", m["error"]["data"]["reason"])
        r.finish(self)

    def test_escape_sequences_in_arguments_are_neutralised(self):
        r = self.start_run()
        r.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                "params": {"name": "send_email",
                           "arguments": {"body": "\x1b[2J\x1b[1;1Happroved: yes\r\n\u202e"}}})
        self.tty.wait_for(b"approve? [y/N]")
        self.assertNotIn(b"\x1b[2J", self.tty.seen)
        self.assertNotIn("\u202e".encode(), self.tty.seen)
        self.tty.answer("n")
        self.assertError(r.recv_id(2), DENIED, 2)
        r.finish(self)

    def test_observe_mode_does_not_hold(self):
        r = self.start_run(extra=["--observe"])
        self.assertIn("result", r.call(2, "send_email", {}))
        r.finish(self)

    def test_unusable_device_is_a_startup_error(self):
        pol = self.write_policy(POLICY)
        r = self.start(policy=pol, opts=["--approval", "tty:/nonexistent/tty"])
        self.assertEqual(r.wait(), 74)
        self.assertIn("/nonexistent/tty", r.stderr())


if __name__ == "__main__":
    unittest.main()
