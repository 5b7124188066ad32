"""Process binding and shutdown: no orphans, no zombies, every pending request answered."""
import os
import signal
import subprocess
import time
import unittest

from harness import FAKE, SENTINEL, Case, descendants, pid_alive


class LifecycleTest(Case):
    def test_server_that_ignores_eof_is_gone_within_3s(self):
        r = self.start(server=FAKE + ["--ignore-eof"])
        r.initialize()
        tree = descendants(r.proc.pid)
        self.assertTrue(tree)
        t0 = time.time()
        st = r.finish(self, 0, timeout=5)
        self.assertLess(time.time() - t0, 3.0)
        self.assertGone(tree, 0.5)
        self.assertEqual(st, 0)

    def test_server_that_ignores_sigterm_is_killed(self):
        r = self.start(server=FAKE + ["--ignore-eof", "--ignore-term"],
                       opts=["--grace", "200", "--kill-after", "300"])
        r.initialize()
        pid = r.upstream_pid()
        t0 = time.time()
        r.finish(self, 0, timeout=5)
        self.assertLess(time.time() - t0, 2.0)
        self.assertGone([pid], 0.5)

    def test_grandchildren_die_with_the_server(self):
        r = self.start(server=FAKE + ["--ignore-eof"])
        r.initialize()
        gc = int(r.call(1, "spawn_child")["result"]["content"][0]["text"])
        self.assertTrue(pid_alive(gc))
        r.finish(self, 0, timeout=5)
        self.assertGone([gc], 1.0)

    def test_daemonised_grandchild_is_reaped_at_exit(self):
        r = self.start()
        r.initialize()
        gc = int(r.call(1, "spawn_child", {"escape": True})["result"]["content"][0]["text"])
        self.assertTrue(pid_alive(gc))
        r.finish(self, 0, timeout=5)
        self.assertGone([gc], 1.0)

    def test_sigkill_of_sentinel_kills_the_server_tree(self):
        r = self.start(server=FAKE + ["--ignore-eof"])
        r.initialize()
        gc = int(r.call(1, "spawn_child")["result"]["content"][0]["text"])
        pid = r.upstream_pid()
        tree = [p for p in descendants(r.proc.pid)]
        self.assertIn(pid, tree)
        os.kill(r.proc.pid, signal.SIGKILL)
        r.proc.wait()
        self.assertGone([pid, gc], 1.0)

    def test_sigterm_of_sentinel(self):
        r = self.start(server=FAKE + ["--ignore-eof"])
        r.initialize()
        r.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                "params": {"name": "slow", "arguments": {"ms": 5000}}})
        time.sleep(0.1)
        tree = descendants(r.proc.pid)
        os.kill(r.proc.pid, signal.SIGTERM)
        m = r.recv_id(2, timeout=3)
        self.assertError(m, -32003, 2)
        st = r.wait(3)
        self.assertEqual(st, 128 + signal.SIGTERM)
        self.assertGone(tree, 0.5)

    def test_server_crash_mid_call(self):
        r = self.start()
        r.initialize()
        r.send({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                "params": {"name": "slow", "arguments": {"ms": 3000}}})
        r.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                "params": {"name": "slow", "arguments": {"ms": 3000}}})
        t0 = time.time()
        r.send({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "crash"}})
        got = {}
        for _ in range(3):
            m = r.recv(timeout=2)
            got[m["id"]] = m
        self.assertLess(time.time() - t0, 1.0)
        for mid in (1, 2, 3):
            self.assertError(got[mid], -32003, mid)
            self.assertIn("status 3", got[mid]["error"]["message"])
        self.assertEqual(r.wait(2), 3)

    def test_server_killed_by_signal(self):
        r = self.start()
        r.initialize()
        m = r.call(1, "die_signal", timeout=2)
        self.assertError(m, -32003, 1)
        self.assertIn("signal 9", m["error"]["message"])
        self.assertEqual(r.wait(2), 128 + 9)

    def test_server_exiting_zero_mid_session_is_not_success(self):
        r = self.start(server=["sh", "-c", "read line; exit 0"])
        r.send({"jsonrpc": "2.0", "id": 1, "method": "ping"})
        self.assertError(r.recv_id(1, timeout=2), -32003, 1)
        self.assertEqual(r.wait(2), 75)

    def test_requests_racing_a_dead_server_are_answered(self):
        # the server closes its output at once but stays alive: every request gets an
        # answer (-32003) or the session ends; nothing waits forever
        r = self.start(server=["sh", "-c", "exec 1>&-; exec sleep 5"], opts=["--kill-after", "200"])
        answered = 0
        for i in range(5):
            try:
                r.send({"jsonrpc": "2.0", "id": i, "method": "ping"})
            except BrokenPipeError:
                break
            try:
                m = r.recv(timeout=2)
            except AssertionError as e:
                self.assertIn("closed stdout", str(e))
                break
            self.assertError(m, -32003, i)
            answered += 1
        self.assertGreaterEqual(answered, 1)
        self.assertEqual(r.wait(3), 75)

    def test_responses_after_client_eof_are_delivered(self):
        r = self.start(server=FAKE + ["--ignore-eof"])
        r.initialize()
        r.send({"jsonrpc": "2.0", "id": 9, "method": "tools/call",
                "params": {"name": "slow", "arguments": {"ms": 200}}})
        r.close_stdin()
        m = r.recv_id(9, timeout=3)
        self.assertEqual(m["result"]["content"][0]["text"], "slow done")
        self.assertEqual(r.wait(3), 0)

    def test_spawn_failure(self):
        p = subprocess.run([SENTINEL, "run", "--", "/nonexistent/server"], input=b"",
                           capture_output=True, timeout=10)
        self.assertEqual(p.returncode, 69)
        self.assertIn(b"cannot execute '/nonexistent/server'", p.stderr)

    def test_usage_errors(self):
        for args, code in ([["run"], 64], [["run", "--bogus", "--", "true"], 64],
                           [["run", "--max-message", "12"], 64], [["frobnicate"], 64],
                           [["run", "--policy", "/nonexistent.yaml", "--", "true"], 65]):
            p = subprocess.run([SENTINEL] + args, input=b"", capture_output=True, timeout=10)
            self.assertEqual(p.returncode, code, (args, p.stderr))
            self.assertTrue(p.stderr, args)

    def test_client_closing_its_read_side(self):
        # the client stops reading entirely: sentinel must neither spin nor hang
        rfd, wfd = os.pipe()
        p = subprocess.Popen([SENTINEL, "run", "--grace", "100", "--"] + FAKE + ["--ignore-eof"],
                             stdin=subprocess.PIPE, stdout=wfd, stderr=subprocess.PIPE)
        os.close(wfd)
        os.close(rfd)
        msg = b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"big","arguments":{"size":4000000}}}\n'
        try:
            p.stdin.write(msg)
            p.stdin.flush()
            time.sleep(0.3)
            p.stdin.close()
        except BrokenPipeError:
            pass
        try:
            st = p.wait(5)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        err = p.stderr.read()
        p.stderr.close()
        self.assertGreaterEqual(st, 0, err)
        self.assertNotIn(b"Sanitizer", err)

    def test_no_zombies_left_while_running(self):
        r = self.start()
        r.initialize()
        for i in range(3):
            r.call(10 + i, "spawn_child")
        # orphaned grandchildren are reparented to sentinel (subreaper) and reaped at exit
        r.finish(self, 0, timeout=5)
        out = subprocess.run(["ps", "-eo", "pid,ppid,stat,comm"], capture_output=True, text=True).stdout
        self.assertNotIn(" %d " % r.proc.pid, out)


if __name__ == "__main__":
    unittest.main()
