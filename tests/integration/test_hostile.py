"""Hostile input from either side: a clear error, nothing forwarded unchecked, and the
interceptor keeps serving."""
import base64
import json
import os
import time
import unittest

from harness import FAKE, Case

# (raw line from the client, expected code, expected id)
CLIENT_CASES = [
    (b'{"jsonrpc":"2.0","id":1,"method":"ping"', -32700, 1),           # truncated
    (b'not json at all', -32700, None),
    (b'{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"\xff"}}', -32700, 2),
    (b'{"jsonrpc":"2.0","id":3,"method":"ping","method":"tools/call"}', -32600, 3),
    (b'{"jsonrpc":"2.0","id":4,"method":"ping","\\u006dethod":"x"}', -32600, 4),
    (b'{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"\\ud800"}}', -32700, 5),
    (b'{"jsonrpc":"2.0","id":6,"method":"ping",}', -32700, 6),
    (b'{"jsonrpc":"1.0","id":7,"method":"ping"}', -32600, 7),
    (b'{"id":8,"method":"ping"}', -32600, 8),
    (b'{"jsonrpc":"2.0","id":null,"method":"ping"}', -32600, None),
    (b'{"jsonrpc":"2.0","id":1.5,"method":"ping"}', -32600, None),
    (b'{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}', -32600, None),
    (b'{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}', -32600, None),
    (b'{"jsonrpc":"2.0","id":10,"method":7}', -32600, 10),
    (b'{"jsonrpc":"2.0","id":11,"method":"x","params":[1,2]}', -32600, 11),
    (b'{"jsonrpc":"2.0","id":12,"method":"tools/call","params":{}}', -32602, 12),
    (b'{"jsonrpc":"2.0","id":13,"method":"tools/call","params":{"name":5}}', -32602, 13),
    (b'{"jsonrpc":"2.0","id":14,"method":"tools/call","params":{"name":"echo","arguments":[]}}', -32602, 14),
    (b'[1,2', -32700, None),
    (b'"just a string"', -32600, None),
    (b'\xef\xbb\xbf{"jsonrpc":"2.0","id":16,"method":"ping"}', -32700, None),
    (b'{"jsonrpc":"2.0","id":17,"method":"ping","params":{"a":"\x01"}}', -32700, 17),
    (b'{"jsonrpc":"2.0","id":18,"method":"ping"} {"x":1}', -32700, 18),
    (b'{"jsonrpc":"2.0","id":19,"method":"ping","params":{"n":01}}', -32700, 19),
    (b'{"jsonrpc":"2.0","id":"' + b'a' * 2000 + b'","method":"ping"}', -32600, None),
]


class HostileClientTest(Case):
    def test_each_bad_message_gets_the_right_error_and_traffic_continues(self):
        r = self.start()
        r.initialize()
        for n, (line, code, mid) in enumerate(CLIENT_CASES):
            with self.subTest(line=line[:80]):
                r.send_raw(line + b"\n")
                m = r.recv()
                self.assertError(m, code)
                self.assertEqual(m.get("id"), mid)
                self.assertTrue(m["error"]["message"].startswith("sentinel:"), m)
                self.assertEqual(r.request(1000 + n, "ping")["result"], {})
        r.finish(self, 0)

    def test_broken_answer_to_a_server_request_goes_to_the_server(self):
        """An answer the client botched (duplicate key, too deep, over the size limit, a bad
        shape) is never answered back to the client: the server's request gets the error, so
        the tool call waiting on it finishes instead of hanging."""
        r = self.start(opts=["--max-message", "65536"])
        r.initialize()
        deep = b'{"a":' * 200 + b'1' + b'}' * 200
        broken = [
            (b'{"jsonrpc":"2.0","id":%s,"result":{"roots":[],"roots":[]}}', "duplicate key"),
            (b'{"jsonrpc":"2.0","id":%s,"result":{"roots":[],"x":' + deep + b'}}', "nesting"),
            (b'{"jsonrpc":"2.0","id":%s,"result":{"x":"' + b"y" * 70000 + b'"}}', "exceeds"),
            (b'{"jsonrpc":"2.0","id":%s,"result":{},"error":{"code":1,"message":"x"}}',
             "invalid request"),
        ]
        for n, (line, why) in enumerate(broken):
            with self.subTest(why=why):
                r.send({"jsonrpc": "2.0", "id": 10 + n, "method": "tools/call",
                        "params": {"name": "ask_client", "arguments": {"method": "roots/list"}}})
                ask = r.recv()
                self.assertEqual(ask.get("method"), "roots/list", ask)
                r.send_raw(line % json.dumps(ask["id"]).encode() + b"\n")
                m = r.recv(timeout=10)  # the call's result: what the server received
                self.assertEqual(m.get("id"), 10 + n, m)
                got = json.loads(m["result"]["content"][0]["text"])
                self.assertEqual(got["id"], ask["id"])
                self.assertIn("the client's answer could not be used", got["error"]["message"])
                self.assertIn(why, got["error"]["message"])
        self.assertEqual(r.request(99, "ping")["result"], {})  # nothing else came back
        # an answer to nothing pending is dropped, not answered (an error with its id would
        # reach the client as the answer to its own request of that id)
        r.send_raw(b'{"jsonrpc":"2.0","id":"nobody","result":{"a":1,"a":2}}\n')
        r.send_raw(b'{"jsonrpc":"2.0","id":15,"result":{},"error":{"code":1,"message":"x"}}\n')
        self.assertEqual(r.request(100, "ping")["result"], {})
        r.finish(self, 0)

    def test_a_batch_of_answers_outside_2025_03_26_answers_the_server(self):
        """A batch is refused outside 2025-03-26; an answer inside it still ends the server's
        request (with the error), so the tool call waiting on it does not hang."""
        r = self.start()
        r.initialize()
        r.send({"jsonrpc": "2.0", "id": 5, "method": "tools/call",
                "params": {"name": "ask_client", "arguments": {"method": "roots/list"}}})
        ask = r.recv()
        r.send_raw(b'[{"jsonrpc":"2.0","id":%s,"result":{"roots":[]}}]\n'
                   % json.dumps(ask["id"]).encode())
        self.assertError(r.recv(), -32600)  # the batch, to the client, no id
        got = json.loads(r.recv_id(5, timeout=10)["result"]["content"][0]["text"])
        self.assertEqual(got["id"], ask["id"])
        self.assertIn("batches are only valid", got["error"]["message"])
        r.finish(self, 0)

    def test_deep_nesting_refused(self):
        r = self.start(opts=["--max-depth", "16"])
        deep = b'{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":' + b"[" * 20 + b"]" * 20 + b"}}"
        r.send_raw(deep + b"\n")
        self.assertError(r.recv(), -32600, 1)
        ok = b'{"jsonrpc":"2.0","id":2,"method":"ping","params":{"a":' + b"[" * 10 + b"]" * 10 + b"}}"
        r.send_raw(ok + b"\n")
        self.assertEqual(r.recv_id(2)["result"], {})
        r.finish(self, 0)

    def test_message_size_limit(self):
        r = self.start(opts=["--max-message", "4096"])
        big = {"jsonrpc": "2.0", "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "x" * 8000}}, "id": 77}
        r.send(big)
        m = r.recv()
        self.assertError(m, -32005, 77)  # id recovered from the tail
        big2 = {"jsonrpc": "2.0", "id": 78, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "y" * 100000}}}
        r.send(big2)
        self.assertError(r.recv(), -32005, 78)  # id recovered from the head
        # exactly at the limit is fine
        base = {"jsonrpc": "2.0", "id": 79, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": ""}}}
        pad = 4096 - len(json.dumps(base, separators=(",", ":")))
        base["params"]["arguments"]["text"] = "z" * pad
        line = json.dumps(base, separators=(",", ":")).encode()
        self.assertEqual(len(line), 4096)
        r.send_raw(line + b"\n")
        self.assertEqual(len(r.recv_id(79)["result"]["content"][0]["text"]), pad)
        # the reply's message starts "sentinel:", the warning on stderr says it once
        self.assertRegex(m["error"]["message"],
                         r"^sentinel: message of \d+ bytes exceeds the limit of 4096$")
        err = r.stderr()
        r.finish(self, 0)
        self.assertIn("sentinel: warning: client: message of ", err)
        self.assertNotIn("client: sentinel:", err)

    def test_duplicate_id_in_flight(self):
        r = self.start()
        r.send({"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {"name": "slow", "arguments": {"ms": 300}}})
        r.send({"jsonrpc": "2.0", "id": 5, "method": "ping"})
        m = r.recv()
        self.assertError(m, -32600, 5)
        self.assertIn("in flight", m["error"]["message"])
        self.assertIn("result", r.recv_id(5))
        r.finish(self, 0)

    def test_pending_limit(self):
        r = self.start(opts=["--max-pending", "2"])
        for i in range(2):
            r.send({"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": {"name": "slow", "arguments": {"ms": 300}}})
        r.send({"jsonrpc": "2.0", "id": 2, "method": "ping"})
        self.assertError(r.recv(), -32006, 2)
        # the two slow calls may finish in either order
        self.assertEqual(sorted(r.recv(timeout=3)["id"] for _ in range(2)), [0, 1])
        self.assertEqual(r.request(3, "ping")["result"], {})
        r.finish(self, 0)

    def test_cancelled_calls_free_their_slots(self):
        """A server answers nothing once a call is cancelled (the official SDK does so): the
        cancelled calls must not hold --max-pending's slots for the rest of the run, nor be
        answered -32003 at the end."""
        audit = os.path.join(self.tmpdir, "audit.jsonl")
        r = self.start(opts=["--max-pending", "3", "--audit", audit])
        r.initialize()
        for rnd in range(4):  # 12 calls cancelled in all, 3 slots
            for i in range(3):
                mid = 100 + rnd * 10 + i
                r.send({"jsonrpc": "2.0", "id": mid, "method": "tools/call",
                        "params": {"name": "slow", "arguments": {"ms": 100}}})
                r.send({"jsonrpc": "2.0", "method": "notifications/cancelled",
                        "params": {"requestId": mid, "reason": "timeout"}})
            time.sleep(0.2)
            for i in range(3):
                m = r.call(200 + rnd * 10 + i, "echo", {"text": "still here"})
                self.assertIn("result", m, m)
        r.finish(self, 0)
        rest = []
        while not r.lines.empty():
            rest.append(r.lines.get() or b"")
        self.assertNotIn(b"-32003", b"".join(rest))  # nobody waits for the cancelled ones
        with open(audit) as f:
            recs = [json.loads(x) for x in f if x.strip()]
        outcomes = [x.get("outcome") for x in recs if x.get("event") == "result"]
        self.assertEqual(outcomes.count("cancelled"), 12, outcomes)
        self.assertEqual(outcomes.count("ok"), 12, outcomes)

    def test_replies_are_never_dropped_for_a_slow_reader(self):
        """A client that writes a flood of tiny bad lines (each gets a ~100-byte error) and
        reads nothing for a while: sentinel stops reading it before its reply queue is full,
        so every reply arrives once the client reads, none dropped."""
        import subprocess
        import threading
        from harness import SENTINEL
        p = subprocess.Popen([SENTINEL, "run", "--max-message", "65536", "--"] + FAKE,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        init = (b'{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":'
                b'"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}\n')
        n = 300000  # ~30 MB of error replies: past the 16 MiB queue limit
        data = init + b"1\n" * n + b"".join(
            b'{"jsonrpc":"2.0","id":%d,"method":"ping"}\n' % i for i in range(100))
        writer = threading.Thread(target=lambda: (p.stdin.write(data), p.stdin.flush()),
                                  daemon=True)
        writer.start()
        time.sleep(2)  # not reading
        ids, errors = set(), [0]

        def read():
            for line in p.stdout:
                m = json.loads(line)
                if m.get("id") is None:
                    errors[0] += 1
                else:
                    ids.add(m["id"])
                if len(ids) == 101:
                    return
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        writer.join(60)
        reader.join(60)
        p.stdin.close()
        err = p.stderr.read()
        p.wait(20)
        self.assertEqual(ids, set(range(100)) | {"init"})
        self.assertEqual(errors[0], n)
        self.assertNotIn(b"over its limit", err)

    def test_garbage_flood_then_valid(self):
        r = self.start()
        junk = bytes(range(256)).replace(b"\n", b"") * 400
        for _ in range(20):
            r.send_raw(junk + b"\n")
        for _ in range(20):
            self.assertError(r.recv(), -32700, None)
        self.assertEqual(r.request(1, "ping")["result"], {})
        r.finish(self, 0)

    def test_blank_lines_ignored(self):
        r = self.start()
        r.send_raw(b"\n\r\n   \n")
        self.assertEqual(r.request(1, "ping")["result"], {})
        r.finish(self, 0)


class HostileServerTest(Case):
    def emit(self, r, mid, raw, answer=True):
        r.send({"jsonrpc": "2.0", "id": mid, "method": "raw/emit" if answer else "raw/emit_only",
                "params": {"b64": base64.b64encode(raw).decode()}})

    def test_malformed_server_output_never_reaches_the_client(self):
        r = self.start()
        r.initialize()
        bad = [
            b'{"jsonrpc":"2.0","method":"notifications/message","params":{"data":"\xff"}}',
            b'{"jsonrpc":"2.0","method":"notifications/message","params":{"a":1,"a":2}}',
            b'{"jsonrpc":"2.0","method":"notifications/message"',
            b'[{"jsonrpc":"2.0","method":"notifications/message"}]',
            b'{"jsonrpc":"2.0","id":555,"result":{}}',
            b'{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}',
            b'{"jsonrpc":"2.0","method":7}',
            b'\x00\x01\x02',
        ]
        for n, line in enumerate(bad):
            with self.subTest(line=line):
                self.emit(r, 100 + n, line)
                m = r.recv()  # only the answer to raw/emit: the bad line was withheld
                self.assertEqual(m.get("id"), 100 + n, m)
        r.finish(self, 0)

    def test_malformed_response_fails_its_request(self):
        r = self.start()
        r.initialize()
        for n, tool in enumerate(["bad_json", "bad_utf8", "dup_key"]):
            with self.subTest(tool=tool):
                m = r.call(10 + n, tool)
                self.assertError(m, -32004, 10 + n)
        m = r.call(20, "unsolicited")
        self.assertEqual(m["result"]["content"][0]["text"], "after unsolicited")
        r.finish(self, 0)

    def test_oversized_server_response(self):
        r = self.start(opts=["--max-message", "65536"])
        r.initialize()
        m = r.call(3, "big", {"size": 200000})
        self.assertError(m, -32005, 3)
        self.assertRegex(m["error"]["message"],
                         r"^sentinel: the server's message of \d+ bytes exceeds the limit of 65536$")
        self.assertEqual(r.call(4, "big", {"size": 1000})["result"]["content"][0]["text"], "x" * 1000)
        err = r.stderr()
        r.finish(self, 0)
        self.assertIn("sentinel: warning: upstream: the server's message of ", err)
        self.assertNotIn("upstream: sentinel:", err)

    def test_large_result_relayed_intact(self):
        r = self.start()
        r.initialize()
        m = r.call(5, "big", {"size": 12 * 1024 * 1024}, timeout=30)
        self.assertEqual(len(m["result"]["content"][0]["text"]), 12 * 1024 * 1024)
        r.finish(self, 0)

    def test_an_unreadable_server_request_gets_an_error(self):
        """A server request too deep to read is withheld from the client and the server is
        told (it would wait forever)."""
        rec = os.path.join(self.tmpdir, "rec")
        r = self.start(server=FAKE + ["--record", rec], opts=["--max-depth", "16"])
        r.initialize()
        deep = b'{"a":' * 20 + b'1' + b'}' * 20
        self.emit(r, 1, b'{"jsonrpc":"2.0","id":"q1","method":"sampling/createMessage",'
                        b'"params":' + deep + b'}')
        self.assertEqual(r.recv()["id"], 1)  # only the answer to raw/emit
        self.assertEqual(r.request(2, "ping")["result"], {})
        r.finish(self, 0)
        with open(rec) as f:
            got = [json.loads(x) for x in f if x.strip()]
        err = [x for x in got if x.get("id") == "q1"]
        self.assertEqual(len(err), 1, got)
        self.assertIn("the request could not be read", err[0]["error"]["message"])

    def test_server_request_with_duplicate_id_refused(self):
        r = self.start()
        r.initialize()
        req = b'{"jsonrpc":"2.0","id":"s1","method":"roots/list"}'
        self.emit(r, 1, req, answer=False)
        self.assertEqual(r.recv()["id"], "s1")
        self.emit(r, 2, req)
        # the duplicate goes back to the server as an error, the client sees only the answer
        self.assertEqual(r.recv()["id"], 2)
        r.finish(self, 0)


if __name__ == "__main__":
    unittest.main()
