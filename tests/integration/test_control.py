"""The control socket (`sentinel run --control PATH`, `sentinel ctl`) through the real binary:
ping, status and invalidate with this run's session id; every way a session id is refused
(missing, malformed, forged payload or MAC, unknown key, expired, not yet valid, foreign);
hostile clients (invalid JSON, a 100 KiB line, deep nesting, NUL bytes, 20 connections at
once, a client that never reads, a half line that stalls), after each of which an MCP call
through the same sentinel still works; the socket's path rules (regular file refused, stale
socket replaced, live socket refused, mode 0600, files removed at exit, peer credentials);
and the exit statuses of `sentinel ctl`."""
import base64
import hashlib
import hmac
import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
import unittest

from harness import Case, FAKE, SANITIZER_MARKS, SENTINEL

ALLOW = "version: 1\ndefault: allow\n"

INVAL = """version: 1
default: allow
rules:
  - {id: distrusted, effect: deny, tools: [http_post, send_email], taint: {any: [invalidated]}}
taint:
  scan_results: true   # keeps each call's tool name, which tool invalidation needs
  sources:
    - {tools: [read_user_db], add: [private]}
"""

# reply codes (docs/control.md)
E_PARSE, E_REQUEST, E_METHOD, E_PARAMS = -32700, -32600, -32601, -32602
E_MISSING, E_MALFORMED, E_FORGED, E_UNKNOWN_KEY = -32010, -32011, -32012, -32013
E_EXPIRED, E_NOT_YET, E_FOREIGN = -32014, -32015, -32016
E_TOO_LONG, E_TOO_MANY, E_IDLE = -32020, -32021, -32022
DENIED = -32001


def records(path, event=None):
    with open(path) as f:
        out = [json.loads(l) for l in f if l.strip()]
    return [r for r in out if event is None or r["event"] == event]


def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def unb64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def flip(sid, part, index):
    """sid with one base64url character of `part` (1 payload, 2 MAC) changed."""
    parts = sid.split(".")
    s = parts[part]
    c = "A" if s[index] != "A" else "B"
    parts[part] = s[:index] + c + s[index + 1:]
    return ".".join(parts)


class Conn:
    """One raw connection to a control socket (newline-delimited JSON)."""

    def __init__(self, path, timeout=5.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        deadline = time.time() + timeout
        while True:  # EAGAIN: the listener's backlog is full for a moment
            try:
                self.sock.connect(path)
                break
            except BlockingIOError:
                if time.time() > deadline:
                    raise
                time.sleep(0.01)
        self.buf = b""

    def send_raw(self, data):
        self.sock.sendall(data)

    def send(self, obj):
        self.send_raw(json.dumps(obj, separators=(",", ":")).encode() + b"\n")

    def recv_line(self):
        """The next line, or None when the connection ended."""
        while b"\n" not in self.buf:
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def recv(self):
        line = self.recv_line()
        if line is None:
            raise AssertionError("the control connection closed without a reply")
        return json.loads(line)

    def request(self, method, session, params=None, mid=1):
        msg = {"id": mid, "method": method}
        if session is not None:
            msg["session"] = session
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.recv()

    def closed(self, timeout=5.0):
        """True when the peer closes the connection (after any pending lines) in time."""
        self.sock.settimeout(timeout)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
                self.buf += chunk
        except ConnectionResetError:
            return True
        except socket.timeout:
            return False

    def close(self):
        self.sock.close()


class ControlCase(Case):
    def launch(self, policy=ALLOW, opts=(), key=True, init=True, verbose=False, server=None):
        self.audit = os.path.join(self.tmpdir, "audit.jsonl")
        extra = ["--audit", self.audit]
        if key:
            self.key = self.keygen("k1")
            extra += ["--session-key", self.key]
        if verbose:
            extra.append("-v")
        # the socket lives in the case's directory: Run's own one is created by Run itself
        self.sock = os.path.join(self.tmpdir, "ctl.sock")
        r = self.start(policy=self.write_policy(policy),
                       opts=extra + ["--control", self.sock] + list(opts), server=server)
        if init:
            r.initialize()
            self.sid = self.read_sid()
        return r

    def exited(self, r, status):
        """r exited by itself with `status`, without a sanitizer report."""
        st = r.wait()
        err = r.stderr()
        for mark in SANITIZER_MARKS:
            self.assertNotIn(mark.decode(), err)
        self.assertEqual(st, status, err)
        return err

    def keygen(self, name):
        path = os.path.join(self.tmpdir, name + ".key")
        if not os.path.exists(path):
            self.cli("keygen", "--scheme", "hmac", "--kid", name, "--out", path)
        return path

    def cli(self, *args, expect=0, env=None):
        p = subprocess.run([SENTINEL] + list(args), capture_output=True, timeout=60, env=env)
        for mark in SANITIZER_MARKS:
            self.assertNotIn(mark, p.stderr, p.stderr.decode("utf-8", "replace"))
        self.assertGreaterEqual(p.returncode, 0, "died of signal %d" % -p.returncode)
        if expect is not None:
            self.assertEqual(p.returncode, expect, p.stderr.decode("utf-8", "replace"))
        return p

    def mint(self, key, ttl="1h"):
        return self.cli("session", "mint", "--key", key, "--ttl", ttl).stdout.decode().strip()

    def read_sid(self):
        with open(self.sock + ".session") as f:
            return f.read().strip()

    def conn(self):
        c = Conn(self.sock)
        self.addCleanup(c.close)
        return c

    def ctl(self, *args, expect=0, env=None):
        return self.cli("ctl", "--socket", self.sock, *args, expect=expect, env=env)

    def assertReplyError(self, reply, code, mid=1):
        self.assertIn("error", reply, reply)
        self.assertNotIn("result", reply, reply)
        self.assertEqual(reply["error"]["code"], code, reply)
        self.assertTrue(reply["error"]["message"], reply)
        self.assertEqual(reply["id"], mid, reply)
        self.assertIs(type(reply["id"]), type(mid), reply)

    def assertServing(self, r, mid):
        """The MCP data path still works and sentinel runs; the control socket answers."""
        self.assertIsNone(r.proc.poll(), "sentinel exited; stderr:\n" + r.stderr())
        m = r.call(mid, "echo", {"text": "still here %d" % mid})
        self.assertEqual(m["result"]["content"][0]["text"], "still here %d" % mid)
        c = self.conn()
        self.assertEqual(c.request("ping", self.sid, mid=mid), {"id": mid, "result": {"pong": True}})
        c.close()


class Methods(ControlCase):
    def test_ping_status_invalidate(self):
        r = self.launch(policy=INVAL)
        c = self.conn()
        self.assertEqual(c.request("ping", self.sid), {"id": 1, "result": {"pong": True}})
        self.assertEqual(c.request("ping", self.sid, mid="a b"),
                         {"id": "a b", "result": {"pong": True}})
        st = c.request("status", self.sid, mid=2)["result"]
        self.assertEqual(st["session"], self.sid)
        self.assertEqual(len(st["run_id"]), 16)
        self.assertEqual(st["labels"], [])
        self.assertEqual(st["pending"], 0)
        self.assertEqual(st["agent"], None)
        self.assertTrue(st["policy"].endswith(".yaml"), st)
        self.assertEqual(st["mode"], "enforce")
        self.assertEqual(st["audit"]["path"], self.audit)
        self.assertIsNone(st["audit"]["error"])
        self.assertIsInstance(st["audit"]["unwritten"], int)  # records not yet written
        before = st["decisions"]

        # a taint source: the session's labels and the decision count move
        self.assertIn("result", r.call(3, "read_user_db", {}))
        st = c.request("status", self.sid, mid=3)["result"]
        self.assertEqual(st["labels"], ["private"])
        self.assertEqual(st["decisions"], before + 1)
        self.assertGreater(st["audit"]["records"], 1)
        self.assertIn("result", r.call(4, "send_email", {"body": "hi"}))  # nothing distrusted

        # pending: a slow call in flight
        r.send({"jsonrpc": "2.0", "id": 5, "method": "tools/call",
                "params": {"name": "slow", "arguments": {"ms": 1500}}})
        deadline = time.time() + 5
        while time.time() < deadline:
            if c.request("status", self.sid, mid=6)["result"]["pending"] == 1:
                break
            time.sleep(0.05)
        else:
            self.fail("status never showed the pending call")
        self.assertIn("result", r.recv_id(5))
        self.assertEqual(c.request("status", self.sid, mid=7)["result"]["pending"], 0)

        # invalidate the source tool: a later call depending on it carries `invalidated`
        m = c.request("invalidate", self.sid, {"tool": "read_user_db"}, mid=8)
        self.assertEqual(m["result"], {"ok": True, "new": True, "sources": 0})
        m = c.request("invalidate", self.sid, {"tool": "read_user_db"}, mid=9)
        self.assertEqual(m["result"]["new"], False)
        st = c.request("status", self.sid, mid=10)["result"]
        self.assertEqual(st["invalidated"], {"requests": 0, "tools": 1, "server": False})
        m = r.call(11, "send_email", {"body": "hello"})
        self.assertError(m, DENIED, 11)
        self.assertEqual(m["error"]["data"]["rule"], "distrusted")
        self.assertEqual(c.request("invalidate", self.sid, {"request": 3}, mid=12)["result"]["new"],
                         True)
        self.assertEqual(c.request("invalidate", self.sid, {"request": "\"x\""},
                                   mid=13)["result"]["new"], True)
        r.finish(self, expect_status=0)
        inv = records(self.audit, "invalidation")
        self.assertEqual(inv[0], {**inv[0], "tool": "read_user_db", "via": "control",
                                  "sources": 0})
        self.assertEqual(len(inv), 3)  # the repeated one is not audited again
        self.assertEqual((inv[1]["request_id"], inv[2]["request_id"]), (3, "x"))
        dec = [d for d in records(self.audit, "decision") if d["request_id"] == 11][0]
        self.assertIn("invalidated", dec["labels"])
        self.assertEqual(dec["rule"], "distrusted")
        for rec in records(self.audit):
            self.assertEqual(rec.get("session"), self.sid, rec)

    def test_invalidate_server_and_request_via_cli(self):
        r = self.launch(policy=INVAL)
        p = self.ctl("invalidate", "--request", "abc")
        self.assertIn(b"invalidated request abc", p.stdout)
        p = self.ctl("invalidate", "--server", "fake", "--json")
        self.assertEqual(json.loads(p.stdout), {"ok": True, "new": True, "sources": 0})
        # a name that reorders the terminal's text is said escaped on stderr (round 8)
        c = self.conn()
        self.assertIn("result", c.request("invalidate", self.sid, {"tool": "evil\u202egnp.exe"}))
        deadline = time.time() + 5
        while "invalidated tool" not in r.stderr() and time.time() < deadline:
            time.sleep(0.05)
        self.assertIn("evil\\u202Egnp.exe", r.stderr())
        self.assertNotIn("\u202e", r.stderr())
        st = json.loads(self.ctl("status", "--json").stdout)
        self.assertEqual(st["invalidated"], {"requests": 1, "tools": 1, "server": True})
        r.finish(self)
        inv = records(self.audit, "invalidation")
        self.assertEqual([(i.get("request_id"), i.get("server"), i["via"]) for i in inv],
                         [("abc", None, "control"), (None, "fake", "control"),
                          (None, None, "control")])

    def test_method_and_params_errors(self):
        r = self.launch()
        c = self.conn()
        self.assertReplyError(c.request("nope", self.sid), E_METHOD)
        self.assertReplyError(c.request("ping", self.sid, {"x": 1}), E_PARAMS)
        for params in (None, {}, {"tool": "a", "server": "b"}, {"tool": 3}, {"tool": ""},
                       {"tool": "a\u0001b"}, {"tool": "x" * 257}, {"tool": " a"},
                       {"request": 1.5}, {"request": [1]}, {"nope": "a"}, {"tool": "a\u0085"}):
            self.assertReplyError(c.request("invalidate", self.sid, params), E_PARAMS)
        self.assertIn("result", c.request("invalidate", self.sid, {"tool": "x" * 256}))
        # envelope errors: the id is echoed when it could be read
        c.send({"id": 5, "session": self.sid, "method": "ping", "jsonrpc": "2.0"})
        self.assertReplyError(c.recv(), E_REQUEST, 5)
        c.send({"session": self.sid, "method": "ping"})
        self.assertReplyError(c.recv(), E_REQUEST, None)
        for bad_id in (1.5, None, [1], {"a": 1}, 2 ** 53, True):
            c.send({"id": bad_id, "session": self.sid, "method": "ping"})
            self.assertReplyError(c.recv(), E_REQUEST, None)
        c.send_raw(b'{"id":-0,"session":"%s","method":"ping"}\n' % self.sid.encode())
        self.assertReplyError(c.recv(), E_REQUEST, None)
        c.send({"id": "x" * 300, "session": self.sid, "method": "ping"})
        self.assertReplyError(c.recv(), E_REQUEST, None)
        c.send({"id": 6, "session": self.sid, "method": 7})
        self.assertReplyError(c.recv(), E_REQUEST, 6)
        c.send({"id": 7, "session": self.sid, "method": "ping", "params": [1]})
        self.assertReplyError(c.recv(), E_REQUEST, 7)
        c.send([1, 2])
        self.assertReplyError(c.recv(), E_REQUEST, None)
        # escaped member names and strings are read as JSON.parse reads them
        c.send_raw(b'{"i\\u0064":8,"session":"%s","method":"p\\u0069ng"}\n' % self.sid.encode())
        self.assertEqual(c.recv(), {"id": 8, "result": {"pong": True}})
        # a blank line is not a request: no reply; the next request is answered
        c.send_raw(b"\n  \r\n")
        self.assertEqual(c.request("ping", self.sid, mid=9)["id"], 9)
        # several requests in one write, answered in order
        c.send_raw(b"".join(json.dumps({"id": i, "session": self.sid, "method": "ping"}).encode()
                            + b"\n" for i in range(20)))
        self.assertEqual([c.recv()["id"] for _ in range(20)], list(range(20)))
        c.close()
        self.assertServing(r, 20)
        r.finish(self, expect_status=0)

    def test_session_logged_and_in_file(self):
        r = self.launch(verbose=True)
        self.assertIn("session %s" % self.sid, r.stderr())
        self.assertEqual(r.stderr().count(self.sid), 1)
        r.finish(self, expect_status=0)
        self.assertTrue(all(rec["session"] == self.sid for rec in records(self.audit)))


TRACKP = """version: 1
default: allow
rules:
  - {id: no-secret-out, effect: deny, tools: [http_post], taint: {any: [secret]}}
  - {id: no-pii-out, effect: deny, tools: [send_email], taint: {any: [pii]}}
"""
LEAKED = "sk_live_operator_marked_0123456789"


class Track(ControlCase):
    """`track`: the operator marks a value while the session runs (no policy change)."""

    def track(self, value, *labels, expect=0):
        args = [SENTINEL, "ctl", "--socket", self.sock]
        for l in labels:
            args += ["--label", l]
        p = subprocess.run(args + ["track"], input=value, capture_output=True, timeout=60)
        for mark in SANITIZER_MARKS:
            self.assertNotIn(mark, p.stderr)
        self.assertEqual(p.returncode, expect, p.stderr.decode("utf-8", "replace"))
        return p

    def test_marked_at_run_time_then_denied(self):
        r = self.launch(policy=TRACKP)
        self.assertIn("result", r.call(2, "http_post", {"body": "key " + LEAKED}))
        out = self.track(LEAKED.encode() + b"\n").stdout.decode()
        self.assertTrue(out.startswith("tracked\n"), out)
        self.assertNotIn(LEAKED, out)
        m = r.call(3, "http_post", {"body": "key " + LEAKED})
        self.assertEqual(m["error"]["data"]["rule"], "no-secret-out", m)
        m = r.call(4, "http_post", {"body": base64.b64encode(LEAKED.encode()).decode()})
        self.assertEqual(m["error"]["data"]["rule"], "no-secret-out", m)
        self.assertIn("result", r.call(5, "send_email", {"body": LEAKED}))  # secret, not pii
        self.assertTrue(self.track(LEAKED.encode()).stdout.startswith(b"already tracked"))
        self.track(b"customer-4711-0815\r\n", "pii", "customer")
        m = r.call(6, "send_email", {"body": "customer-4711-0815"})
        self.assertEqual(m["error"]["data"]["rule"], "no-pii-out", m)
        # refused: too short, too long, bad label, nothing on stdin
        self.assertIn(b"8 to 4096 bytes", self.track(b"short\n", expect=64).stderr)
        self.track(b"x" * 5000, expect=64)
        self.track(b"", expect=64)
        self.assertIn(b"label", self.track(b"a-long-enough-value", "bad label!", expect=1).stderr)
        c = self.conn()
        for params in (None, {}, {"value": 5}, {"value": "short"}, {"value": "x" * 4097},
                       {"value": "long-enough-1", "labels": []},
                       {"value": "long-enough-1", "labels": ["a"] * 9},
                       {"value": "long-enough-1", "labels": [""]},
                       {"value": "long-enough-1", "extra": 1}):
            self.assertReplyError(c.request("track", self.sid, params), E_PARAMS)
        ok = c.request("track", self.sid, {"value": "via-the-socket-1"})["result"]
        self.assertEqual((ok["ok"], ok["new"]), (True, True))
        self.assertRegex(ok["value"], "^[0-9a-f]{64}$")
        r.finish(self)
        with open(self.audit) as f:
            log = f.read()
        for v in (LEAKED, "customer-4711-0815", "via-the-socket-1"):
            self.assertNotIn(v, log)
        recs = [json.loads(l) for l in log.splitlines()]
        tracks = [x for x in recs if x["event"] == "track"]
        self.assertEqual(len(tracks), 4, tracks)
        self.assertEqual(tracks[0]["labels"], ["secret"])
        self.assertEqual(tracks[0]["via"], "control")
        self.assertEqual([t["new"] for t in tracks], [True, False, True, True])
        dec = {x["request_id"]: x for x in recs if x["event"] == "decision"}
        self.assertEqual(dec[3]["provenance"][0]["mark"], "ctl")
        self.assertEqual(dec[3]["provenance"][0]["origin"], "operator")
        rep = self.cli("report", self.audit).stdout.decode()
        self.assertIn("4 value(s) marked by the operator while the session ran", rep)
        self.assertNotIn(LEAKED, rep)

    def test_unauthenticated_track_is_refused(self):
        r = self.launch(policy=TRACKP)
        c = self.conn()
        self.assertReplyError(c.request("track", "v1.forged.x", {"value": LEAKED}), E_MALFORMED)
        self.assertIn("result", r.call(2, "http_post", {"body": LEAKED}))
        r.finish(self)


class Rejections(ControlCase):
    def rejected(self, session, code, raw=None):
        c = self.conn()
        if raw is not None:
            c.send_raw(raw)
            m = c.recv()
        else:
            m = c.request("status", session)
        self.assertReplyError(m, code)
        self.assertNotIn("result", m)
        c.close()
        return m["error"]["message"]

    def test_every_rejection(self):
        r = self.launch()
        sid = self.sid
        self.assertIn("no session id", self.rejected(None, E_MISSING))
        self.rejected("", E_MALFORMED)
        self.rejected("hello", E_MALFORMED)
        self.rejected("v2.abc.def", E_MALFORMED)
        self.rejected(sid + "x", E_MALFORMED)
        self.rejected("v1." + "A" * 300, E_MALFORMED)
        self.rejected(None, E_MALFORMED,
                      raw=b'{"id":1,"session":12,"method":"status"}\n')
        self.assertIn("forged", self.rejected(flip(sid, 1, 5), E_FORGED))
        self.assertIn("forged", self.rejected(flip(sid, 2, 10), E_FORGED))
        foreign = self.mint(self.key)  # the same key file: authentic, another session
        self.assertIn("foreign", self.rejected(foreign, E_FOREIGN))
        other = self.keygen("k2")
        self.assertIn("k2", self.rejected(self.mint(other), E_UNKNOWN_KEY))
        # not yet valid: minted by hand an hour in the future with the run's key
        with open(self.key) as f:
            fields = [l.split() for l in f if l.startswith("sentinel-key")][0]
        kid, secret = fields[3], unb64(fields[4])
        now = int(time.time())
        payload = os.urandom(16) + (now + 3600).to_bytes(8, "big") + \
            (now + 7200).to_bytes(8, "big") + bytes([len(kid)]) + kid.encode()
        head = "v1." + b64(payload)
        future = head + "." + b64(hmac.new(secret, head.encode(), hashlib.sha256).digest())
        self.assertIn("future", self.rejected(future, E_NOT_YET))
        # expired: a one-second id, after its second
        short = self.mint(self.key, ttl="1s")
        time.sleep(2.1)
        self.assertIn("expired", self.rejected(short, E_EXPIRED))
        # the right one still works, and MCP was never disturbed
        self.assertServing(r, 2)
        r.finish(self, expect_status=0)

    def test_three_failures_close_the_connection(self):
        r = self.launch()
        c = self.conn()
        self.assertReplyError(c.request("ping", "nope", mid=1), E_MALFORMED, 1)
        self.assertReplyError(c.request("ping", None, mid=2), E_MISSING, 2)
        # a success does not reset the count: failures are per connection
        self.assertIn("result", c.request("ping", self.sid, mid=3))
        m = c.request("ping", flip(self.sid, 2, 3), mid=4)
        self.assertReplyError(m, E_FORGED, 4)
        self.assertIn("closing", m["error"]["message"])
        self.assertTrue(c.closed())
        self.assertServing(r, 5)
        r.finish(self, expect_status=0)

    def test_per_run_key_without_session_key(self):
        r = self.launch(key=False)
        c = self.conn()
        self.assertIn("result", c.request("ping", self.sid))
        k = self.keygen("k9")
        self.assertReplyError(c.request("ping", self.mint(k), mid=2), E_UNKNOWN_KEY, 2)
        r.finish(self, expect_status=0)


class Hostile(ControlCase):
    def test_invalid_json_nul_and_deep_nesting(self):
        r = self.launch()
        c = self.conn()
        for raw in (b"{not json\n", b'{"id":1,\x00"method":"ping"}\n', b"\x00\x00\x00\n",
                    b'{"id":1,"session":"a\x00b","method":"ping"}\n',
                    b"\xff\xfe\n", b'{"id":1,"id":2,"session":"x","method":"ping"}\n',
                    b"[" * 1000 + b"]" * 1000 + b"\n",
                    b'{"id":1,"session":"x","method":"ping","params":{"a":' + b"[" * 40
                    + b"]" * 40 + b"}}\n"):
            c.send_raw(raw)
            m = c.recv()
            self.assertReplyError(m, E_PARSE, None)
        # the connection is still usable (parse errors are not session failures)
        self.assertIn("result", c.request("ping", self.sid, mid=2))
        self.assertServing(r, 3)
        r.finish(self, expect_status=0)

    def test_line_too_long(self):
        r = self.launch()
        c = self.conn()
        try:
            c.send_raw(b"a" * (100 << 10) + b"\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        m = c.recv()
        self.assertReplyError(m, E_TOO_LONG, None)
        self.assertTrue(c.closed())
        # exactly 64 KiB is still a line (a request that is too large for its fields)
        c = self.conn()
        pad = b'{"id":1,"session":"%s","method":"ping","params":{"x":"' % self.sid.encode()
        line = pad + b"y" * (65536 - len(pad) - 3) + b'"}}'
        self.assertEqual(len(line), 65536)
        c.send_raw(line + b"\n")
        self.assertReplyError(c.recv(), E_PARAMS, 1)
        self.assertServing(r, 4)
        r.finish(self, expect_status=0)

    def test_twenty_connections(self):
        r = self.launch()
        conns = [self.conn() for _ in range(20)]
        served, refused = [], []
        for i, c in enumerate(conns):
            try:
                c.send({"id": i, "session": self.sid, "method": "ping"})
            except (BrokenPipeError, ConnectionResetError):
                pass  # a refused one may be closed already: its error line is still there
        for i, c in enumerate(conns):
            line = c.recv_line()
            if line is None:
                self.fail("connection %d closed without a line" % i)
            m = json.loads(line)
            if "result" in m:
                served.append(i)
            else:
                self.assertReplyError(m, E_TOO_MANY, None)
                self.assertTrue(c.closed())
                refused.append(i)
        self.assertEqual(len(served), 8, (served, refused))
        self.assertEqual(len(refused), 12)
        # MCP is fine meanwhile; once the served ones close, new ones are served again
        self.assertIn("result", r.call(31, "echo", {"text": "x"}))
        for i in served:
            conns[i].close()
        deadline = time.time() + 5
        ok = 0
        while time.time() < deadline and ok < 8:
            fresh = [Conn(self.sock) for _ in range(8)]
            ok = 0
            for c in fresh:
                try:
                    m = c.request("ping", self.sid)
                    ok += "result" in m
                except (AssertionError, OSError):
                    pass
                c.close()
            if ok < 8:
                time.sleep(0.1)
        self.assertEqual(ok, 8)
        self.assertServing(r, 32)
        r.finish(self, expect_status=0)

    def test_client_that_never_reads(self):
        r = self.launch()
        c = self.conn()
        c.sock.settimeout(10)
        req = json.dumps({"id": 1, "session": self.sid, "method": "status"}).encode() + b"\n"
        cut = False
        deadline = time.time() + 30
        sent = 0
        try:
            while time.time() < deadline:
                c.sock.sendall(req * 64)
                sent += 64
        except (BrokenPipeError, ConnectionResetError):
            cut = True
        except socket.timeout:
            pass
        self.assertTrue(cut, "a client that does not read was not disconnected (%d sent)" % sent)
        self.assertIn("does not read", r.stderr())
        self.assertServing(r, 2)
        r.finish(self, expect_status=0)

    def test_half_line_that_stalls(self):
        r = self.launch(opts=["--control-idle", "2"])
        stalled = self.conn()
        stalled.send_raw(b'{"id":1,"session":"' + self.sid.encode()[:20])
        t0 = time.time()
        # meanwhile everything else works
        self.assertServing(r, 2)
        m = stalled.recv()
        self.assertReplyError(m, E_IDLE, None)
        self.assertTrue(stalled.closed())
        self.assertGreaterEqual(time.time() - t0, 1.5)
        # a silent connection is closed the same way; an active one is not
        silent, active = self.conn(), self.conn()
        for i in range(6):
            time.sleep(0.5)
            self.assertIn("result", active.request("ping", self.sid, mid=i))
        self.assertReplyError(silent.recv(), E_IDLE, None)
        self.assertServing(r, 3)
        r.finish(self, expect_status=0)

    def test_blank_and_garbage_lines_do_not_keep_a_slot(self):
        """Only a request with this run's session id counts as activity: a client sending
        blank lines, invalid JSON or requests without a valid session is closed at the idle
        limit like a silent one, so 8 of them cannot lock the operator out."""
        r = self.launch(opts=["--control-idle", "2"])
        junk = [self.conn() for _ in range(8)]
        lines = (b"\n", b"{\n", b"  \r\n", b'{"id":1,"method":"ping"}\n')
        t0 = time.time()
        cut = set()
        while time.time() - t0 < 6 and len(cut) < len(junk):
            for i, c in enumerate(junk):
                if i in cut:
                    continue
                try:
                    c.send_raw(lines[i % len(lines)] if i % 4 != 3 else
                               json.dumps({"id": 1, "session": "v1.x.y",
                                           "method": "ping"}).encode() + b"\n")
                except (BrokenPipeError, ConnectionResetError):
                    cut.add(i)
            time.sleep(0.5)
        self.assertEqual(len(cut), len(junk), "connections kept alive by junk: %s"
                         % sorted(set(range(8)) - cut))
        self.assertEqual(self.ctl("ping").stdout, b"pong\n")
        self.assertServing(r, 2)
        r.finish(self, expect_status=0)

    def test_ctl_shows_too_many_connections(self):
        r = self.launch()
        held = [self.conn() for _ in range(8)]
        for i, c in enumerate(held):
            self.assertIn("result", c.request("ping", self.sid, mid=i))
        p = self.ctl("ping", expect=1)
        self.assertIn(b"error -32021: too many control connections", p.stderr)
        # a client cycling connections at the limit: refused each time, said at most once a
        # second on stderr (with the count), not once per connection
        t0 = time.monotonic()
        for i in range(30):
            held.pop(0).close()
            while True:  # (until sentinel has seen the close)
                c = Conn(self.sock)
                m = c.request("ping", self.sid, mid=100 + i)
                if "result" in m:
                    break
                self.assertEqual(m["error"]["code"], -32021, m)
                c.close()
                time.sleep(0.01)
            held.append(c)
            refused = Conn(self.sock)
            line = refused.recv_line()
            self.assertTrue(line is None or b"-32021" in line, line)
            refused.close()
        seconds = time.monotonic() - t0
        for c in held:
            c.close()
        r.close_stdin()
        r.wait()
        said = r.stderr().count("connections open; further ones are refused")
        self.assertLessEqual(said, 2 + int(seconds), r.stderr())
        r.finish(self, expect_status=0)


class Socket(ControlCase):
    def test_mode_files_and_removal(self):
        r = self.launch()
        st = os.lstat(self.sock)
        self.assertTrue(stat.S_ISSOCK(st.st_mode))
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o600)
        st = os.lstat(self.sock + ".session")
        self.assertTrue(stat.S_ISREG(st.st_mode))
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o600)
        self.assertEqual(st.st_uid, os.geteuid())
        self.assertRegex(self.sid, r"^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$")
        r.finish(self, expect_status=0)
        self.assertFalse(os.path.lexists(self.sock))
        self.assertFalse(os.path.lexists(self.sock + ".session"))

    def test_removed_on_sigterm(self):
        r = self.launch()
        r.proc.terminate()
        self.exited(r, 143)
        self.assertFalse(os.path.lexists(self.sock))
        self.assertFalse(os.path.lexists(self.sock + ".session"))

    def test_regular_file_refused(self):
        self.sock = os.path.join(self.tmpdir, "ctl.sock")
        with open(self.sock, "w") as f:
            f.write("precious\n")
        r = self.start(policy=self.write_policy(ALLOW), opts=["--control", self.sock])
        self.assertIn("exists and is not a socket", self.exited(r, 64))
        with open(self.sock) as f:
            self.assertEqual(f.read(), "precious\n")
        self.assertFalse(os.path.exists(self.sock + ".session"))

    def test_directory_refused_and_path_too_long(self):
        d = os.path.join(self.tmpdir, "dir")
        os.mkdir(d)
        r = self.start(policy=self.write_policy(ALLOW), opts=["--control", d])
        self.assertIn("not a socket", self.exited(r, 64))
        long = os.path.join(self.tmpdir, "x" * 120)
        r = self.start(policy=self.write_policy(ALLOW), opts=["--control", long])
        self.assertIn("at most 107 bytes", self.exited(r, 64))

    def test_session_file_path_unusable(self):
        # the socket is already listening when PATH.session fails: everything is undone
        self.sock = os.path.join(self.tmpdir, "ctl.sock")
        os.mkdir(self.sock + ".session")
        r = self.start(policy=self.write_policy(ALLOW), opts=["--control", self.sock])
        self.assertIn("is a directory", self.exited(r, 74))
        self.assertFalse(os.path.lexists(self.sock))
        self.assertTrue(os.path.isdir(self.sock + ".session"))

    def test_stale_socket_replaced(self):
        self.sock = os.path.join(self.tmpdir, "ctl.sock")
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(self.sock)
        s.close()  # the file stays, nothing listens: stale
        with open(self.sock + ".session", "w") as f:
            f.write("v1.old.old\n")
        r = self.launch()
        self.assertNotEqual(self.sid, "v1.old.old")
        self.assertIn("result", self.conn().request("ping", self.sid))
        r.finish(self, expect_status=0)
        self.assertFalse(os.path.lexists(self.sock))

    def test_live_socket_refused(self):
        r = self.launch()
        r2 = self.start(policy=self.write_policy(ALLOW), opts=["--control", self.sock])
        self.assertIn("another sentinel is listening", self.exited(r2, 64))
        # the first one's files are untouched
        self.assertEqual(self.read_sid(), self.sid)
        self.assertServing(r, 2)
        r.finish(self, expect_status=0)

    @unittest.skipUnless(os.geteuid() == 0, "needs root to connect as another uid")
    def test_other_uid_closed_without_reply(self):
        r = self.launch()
        os.chmod(self.tmpdir, 0o711)
        os.chmod(self.sock, 0o666)  # let the file system allow it: SO_PEERCRED must refuse
        code = ("import socket,sys\n"
                "s=socket.socket(socket.AF_UNIX);s.settimeout(5);s.connect(sys.argv[1])\n"
                "try:\n"
                " s.sendall(b'{\"id\":1,\"session\":\"%s\",\"method\":\"ping\"}\\n')\n"
                " d=s.recv(100)\n"
                "except (BrokenPipeError,ConnectionResetError):\n d=b''\n"
                "print(repr(d))\n" % self.sid)
        py = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
        p = subprocess.run([py, "-c", code, self.sock], capture_output=True,
                           timeout=30, user=65534, group=65534)
        self.assertEqual(p.stdout.strip(), b"b''", p.stderr)
        self.assertIn("refused a connection from uid 65534", r.stderr())
        self.assertServing(r, 2)
        r.finish(self, expect_status=0)

    def test_ctl_sends_nothing_to_another_users_socket(self):
        """A socket another user bound (in a shared directory) gets neither the session id
        nor a value to track, and its fake reply is never shown."""
        shared = os.path.join(self.tmpdir, "shared")
        os.mkdir(shared)
        os.chmod(shared, 0o1777)
        os.chmod(self.tmpdir, 0o711)
        sock, got = os.path.join(shared, "op.sock"), os.path.join(shared, "got")
        code = ("import os,socket,sys\n"
                "s=socket.socket(socket.AF_UNIX);s.bind(sys.argv[1]);os.chmod(sys.argv[1],0o777)\n"
                "s.listen(1);s.settimeout(20);c,_=s.accept();c.settimeout(20);d=b''\n"
                "while not d.endswith(b'\\n'):\n"
                " x=c.recv(65536)\n"
                " if not x: break\n"
                " d+=x\n"
                "open(sys.argv[2],'wb').write(d)\n"
                "try: c.sendall(b'{\"id\":1,\"result\":{\"ok\":true,\"new\":true}}\\n')\n"
                "except OSError: pass\n")
        py = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
        fake = subprocess.Popen([py, "-c", code, sock, got], user=65534, group=65534)
        self.addCleanup(fake.kill)
        deadline = time.time() + 10
        while not os.path.exists(sock) and time.time() < deadline:
            time.sleep(0.02)
        p = subprocess.run([SENTINEL, "ctl", "--socket", sock, "--session", "v1.secret.id",
                            "track"], input=b"AKIAQYLPMN5HHHFPZAM2-super-secret\n",
                           capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 77, p.stderr)
        self.assertIn(b"served by uid 65534", p.stderr)
        self.assertEqual(p.stdout, b"")
        fake.wait(timeout=30)
        with open(got, "rb") as f:
            self.assertEqual(f.read(), b"")


class Cli(ControlCase):
    def test_exit_codes_and_output(self):
        r = self.launch()
        self.assertEqual(self.ctl("ping").stdout, b"pong\n")  # session from PATH.session
        st = json.loads(self.ctl("status", "--json").stdout)
        self.assertEqual(st["session"], self.sid)
        text = self.ctl("status").stdout.decode()
        self.assertIn("session: %s\n" % self.sid, text)
        self.assertIn("audit.path: %s\n" % self.audit, text)
        self.assertIn("labels: (none)\n", text)
        # an error reply: exit 1, the message on stderr, the error object with --json
        p = self.ctl("--session", self.mint(self.key), "ping", expect=1)
        self.assertIn(b"foreign", p.stderr)
        p = self.ctl("--session", "v1.x.y", "ping", "--json", expect=1)
        self.assertEqual(json.loads(p.stdout)["code"], E_MALFORMED)
        # SENTINEL_SESSION when --session is absent (it wins over the file)
        env = dict(os.environ, SENTINEL_SESSION="bogus")
        self.ctl("ping", expect=1, env=env)
        env["SENTINEL_SESSION"] = self.sid
        self.ctl("ping", env=env)
        # usage
        self.ctl(expect=64)
        self.ctl("frobnicate", expect=64)
        self.ctl("invalidate", expect=64)
        self.ctl("ping", "--tool", "x", expect=64)
        self.ctl("invalidate", "--tool", "x", "--server", "y", expect=64)
        self.cli("ctl", "ping", expect=64)
        self.ctl("ping", "--timeout", "0", expect=64)
        # cannot connect
        self.cli("ctl", "--socket", os.path.join(self.tmpdir, "nothing"), "--session",
                 self.sid, "ping", expect=69)
        r.finish(self, expect_status=0)
        p = self.ctl("ping", "--session", self.sid, expect=69)
        self.assertIn(b"cannot connect", p.stderr)
        self.ctl("ping", expect=69)  # no socket and no session file

    def test_status_shows_no_terminal_controls(self):
        """C1 controls (U+009B is CSI) and bidi overrides in what ctl prints become '?'. The
        server names itself (serverInfo.name); an agent id with them is refused at start."""
        name = "srv\u009b31m\u202eevil\u2066x"
        r = self.launch(server=FAKE + ["--name", name])
        text = self.ctl("status").stdout
        self.assertIn(b"server: srv?31m?evil?x\n", text)
        for bad in ("\u009b", "\u202e", "\u2066"):
            self.assertNotIn(bad.encode(), text)
        # --json is JSON: the characters are there, escaped or not, for a program to read
        self.assertEqual(json.loads(self.ctl("status", "--json").stdout)["server"], name)
        r.finish(self, expect_status=0)

    def test_no_session_anywhere(self):
        r = self.launch()
        os.unlink(self.sock + ".session")
        env = {k: v for k, v in os.environ.items() if k != "SENTINEL_SESSION"}
        p = self.ctl("ping", expect=64, env=env)
        self.assertIn(b"no session id", p.stderr)
        r.finish(self, expect_status=0)
        self.assertFalse(os.path.lexists(self.sock))


if __name__ == "__main__":
    unittest.main()
