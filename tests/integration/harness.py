"""Test harness: start the real sentinel binary around a server and talk to it.

Every test process is bounded by timeouts; `Run.finish()` fails the test when the
interceptor died of a signal or printed a sanitizer report on stderr.
"""
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SENTINEL = os.environ.get("SENTINEL_BIN", os.path.join(ROOT, "build", "bin", "sentinel"))
FAKE = [sys.executable, os.path.join(HERE, "fake_server.py")]
POLICIES = os.path.join(ROOT, "policies")

SANITIZER_MARKS = (b"AddressSanitizer", b"LeakSanitizer", b"runtime error:",
                   b"UndefinedBehaviorSanitizer")

INIT = {"jsonrpc": "2.0", "id": 0, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "it", "version": "1"}}}


def pid_alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def children_of(pid):
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                out.append(int(d))
        except (OSError, IndexError, ValueError):
            pass
    return out


def descendants(pid):
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in children_of(p):
            if c not in seen:
                seen.append(c)
                todo.append(c)
    return seen


class Run:
    """One `sentinel run` process with the fake server (or any command) upstream."""

    def __init__(self, server=None, opts=(), policy=None, env=None, stdin=None):
        self.tmp = tempfile.TemporaryDirectory(prefix="sentinel-it-")
        self.stderr_path = os.path.join(self.tmp.name, "stderr")
        self.errf = open(self.stderr_path, "wb")
        cmd = [SENTINEL, "run"]
        if policy is not None:
            cmd += ["--policy", policy]
        cmd += list(opts) + ["--"] + (server if server is not None else FAKE)
        self.proc = subprocess.Popen(cmd, stdin=stdin or subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.errf,
                                     env=env or os.environ.copy())
        self.lines = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, obj):
        self.send_raw(json.dumps(obj, separators=(",", ":")).encode() + b"\n")

    def recv_raw(self, timeout=5.0):
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("no message from sentinel within %.1fs; stderr:\n%s"
                                 % (timeout, self.stderr()))
        if line is None:
            raise AssertionError("sentinel closed stdout; stderr:\n%s" % self.stderr())
        return line

    def recv(self, timeout=5.0):
        return json.loads(self.recv_raw(timeout))

    def recv_id(self, mid, timeout=5.0, skip_notifications=True):
        """Next response with this id; notifications before it are skipped."""
        deadline = time.time() + timeout
        while True:
            m = self.recv(max(0.05, deadline - time.time()))
            if "id" in m and m["id"] == mid and type(m["id"]) is type(mid) and "method" not in m:
                return m
            if not skip_notifications:
                raise AssertionError("unexpected message %r" % m)

    def no_message(self, wait=0.3):
        try:
            line = self.lines.get(timeout=wait)
        except queue.Empty:
            return
        raise AssertionError("unexpected message: %r" % line)

    def request(self, mid, method, params=None, timeout=5.0):
        msg = {"jsonrpc": "2.0", "id": mid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.recv_id(mid, timeout)

    def call(self, mid, tool, args=None, timeout=5.0):
        return self.request(mid, "tools/call", {"name": tool, "arguments": args or {}}, timeout)

    def initialize(self, version="2025-06-18"):
        init = json.loads(json.dumps(INIT))
        init["params"]["protocolVersion"] = version
        self.send(init)
        # generous: guards compile their scanner databases at start (slow under sanitizers)
        r = self.recv_id(0, timeout=60)
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return r

    def upstream_pid(self):
        kids = [p for p in children_of(self.proc.pid) if _comm(p) != "sentinel-wd"]
        return kids[0] if kids else None

    def close_stdin(self):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass

    def wait(self, timeout=10.0):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("sentinel did not exit within %.1fs; stderr:\n%s"
                                 % (timeout, self.stderr()))

    def stderr(self):
        if not self.errf.closed:
            self.errf.flush()
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def finish(self, tc, expect_status=None, timeout=10.0):
        """Close stdin, wait, and check the exit: no signal death, no sanitizer report."""
        self.close_stdin()
        st = self.wait(timeout)
        err = self.stderr().encode()
        for mark in SANITIZER_MARKS:
            tc.assertNotIn(mark, err, "sanitizer report:\n" + err.decode("utf-8", "replace"))
        tc.assertGreaterEqual(st, 0, "sentinel died of signal %d" % -st if st < 0 else "")
        if expect_status is not None:
            tc.assertEqual(st, expect_status, "exit status; stderr:\n" + self.stderr())
        self.reader.join(2)
        self.proc.stdout.close()
        self.errf.close()
        self.tmp.cleanup()
        return st

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                if f and not f.closed:
                    f.close()
            except OSError:
                pass
        if not self.errf.closed:
            self.errf.close()
        self.tmp.cleanup()


def _comm(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return ""


class Case(unittest.TestCase):
    """Base class: every Run started through self.run_sentinel is killed at teardown."""

    def setUp(self):
        self.runs = []
        tmp = tempfile.TemporaryDirectory(prefix="sentinel-case-")
        self.addCleanup(tmp.cleanup)
        self.tmpdir = tmp.name

    def tearDown(self):
        for r in self.runs:
            r.kill()

    def start(self, *a, **kw):
        r = Run(*a, **kw)
        self.runs.append(r)
        return r

    def write_policy(self, text):
        fd, path = tempfile.mkstemp(prefix="policy-", suffix=".yaml")
        with os.fdopen(fd, "w") as f:
            f.write(text)
        self.addCleanup(os.unlink, path)
        return path

    def assertError(self, msg, code, mid=None):
        self.assertIn("error", msg, "expected an error, got %r" % msg)
        self.assertEqual(msg["error"]["code"], code, msg)
        if mid is not None:
            self.assertEqual(msg.get("id"), mid, msg)
            self.assertIs(type(msg.get("id")), type(mid), msg)

    def assertGone(self, pids, within):
        deadline = time.time() + within
        while time.time() < deadline:
            if not any(pid_alive(p) for p in pids):
                return
            time.sleep(0.02)
        alive = [p for p in pids if pid_alive(p)]
        for p in alive:
            os.kill(p, signal.SIGKILL)
        self.fail("processes still alive after %.1fs: %r" % (within, alive))
