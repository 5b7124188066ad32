"""Fidelity: what passes through sentinel arrives as it was sent, both ways."""
import base64
import json
import os
import unittest

from harness import FAKE, POLICIES, Case

ALLOW_ALL = os.path.join(POLICIES, "allow-all.yaml")


class RelayTest(Case):
    def test_client_bytes_forwarded_exactly(self):
        rec = os.path.join(os.environ.get("TMPDIR", "/tmp"), "rec-%d" % os.getpid())
        self.addCleanup(lambda: os.path.exists(rec) and os.unlink(rec))
        r = self.start(server=FAKE + ["--record", rec])
        r.initialize()
        odd = [
            b'{ "jsonrpc" : "2.0" , "id" : 7 , "method" : "ping" }',
            b'{"method":"echo/raw","params":{"s":"\\u00e9\\ud83d\\ude00 \xc3\xa9 \\u0000"},"id":"x\\u0031","jsonrpc":"2.0"}',
            b'{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"echo","arguments":{"text":"a\\nb","n":1.50e3}}}\r',
            b'{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":1,"_meta":{"x":[1,{"y":null}]}}}',
        ]
        for line in odd:
            r.send_raw(line + b"\n")
        r.recv_id(7)
        r.recv_id("x1")
        r.recv_id(9)
        r.request(10, "ping")
        r.finish(self, 0)
        with open(rec, "rb") as f:
            got = f.read().split(b"\n")
        for line in odd:
            self.assertIn(line, got)

    def test_server_bytes_forwarded_exactly(self):
        r = self.start()
        r.initialize()
        lines = [
            b'{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":{"b":1,"a":[ 1 , 2 ]}}}',
            b'{ "params":{"progressToken":5,"progress":0.5},"method":"notifications/progress","jsonrpc":"2.0" }',
            b'{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}',
        ]
        for i, line in enumerate(lines):
            r.send({"jsonrpc": "2.0", "id": 100 + i, "method": "raw/emit",
                    "params": {"b64": base64.b64encode(line).decode()}})
            self.assertEqual(r.recv_raw().rstrip(b"\n"), line)
            r.recv_id(100 + i)
        r.finish(self, 0)

    def test_allow_all_rewrites_nothing(self):
        r = self.start(policy=ALLOW_ALL)
        r.initialize()
        r.send({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        raw = r.recv_raw()
        tools = [t["name"] for t in json.loads(raw)["result"]["tools"]]
        self.assertIn("run_command", tools)
        r.finish(self, 0)

    def test_string_and_integer_ids_are_distinct(self):
        r = self.start()
        r.initialize()
        r.send({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                "params": {"name": "slow", "arguments": {"ms": 300}}})
        r.send({"jsonrpc": "2.0", "id": "1", "method": "tools/call",
                "params": {"name": "echo", "arguments": {"text": "string id"}}})
        first = r.recv()
        self.assertEqual(first["id"], "1")
        self.assertEqual(first["result"]["content"][0]["text"], "string id")
        second = r.recv_id(1)
        self.assertEqual(second["result"]["content"][0]["text"], "slow done")
        r.finish(self, 0)

    def test_id_zero_and_negative(self):
        r = self.start()
        r.send({"jsonrpc": "2.0", "id": 0, "method": "ping"})
        self.assertEqual(r.recv_id(0)["result"], {})
        r.send({"jsonrpc": "2.0", "id": -5, "method": "ping"})
        self.assertEqual(r.recv_id(-5)["result"], {})
        r.finish(self, 0)

    def test_progress_flows_before_the_response(self):
        r = self.start()
        r.initialize()
        r.send({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                "params": {"name": "slow", "arguments": {"ms": 200}, "_meta": {"progressToken": "p1"}}})
        seen = []
        while True:
            m = r.recv()
            if m.get("method") == "notifications/progress":
                self.assertEqual(m["params"]["progressToken"], "p1")
                seen.append(m["params"]["progress"])
                continue
            self.assertEqual(m["id"], 3)
            break
        self.assertEqual(seen, [1, 2, 3, 4])
        r.finish(self, 0)

    def test_cancellation(self):
        rec = os.path.join(os.environ.get("TMPDIR", "/tmp"), "rec-c-%d" % os.getpid())
        self.addCleanup(lambda: os.path.exists(rec) and os.unlink(rec))
        r = self.start(server=FAKE + ["--record", rec])
        r.initialize()
        r.send({"jsonrpc": "2.0", "id": 4, "method": "tools/call",
                "params": {"name": "slow", "arguments": {"ms": 300, "late": True}}})
        cancel_pending = {"jsonrpc": "2.0", "method": "notifications/cancelled",
                          "params": {"requestId": 4, "reason": "user"}}
        cancel_unknown = {"jsonrpc": "2.0", "method": "notifications/cancelled",
                          "params": {"requestId": 999}}
        r.send(cancel_pending)
        r.send(cancel_unknown)
        r.recv_id(4)  # the fake server answers anyway: a late response is relayed
        r.request(5, "ping")
        r.finish(self, 0)
        with open(rec, "rb") as f:
            got = [json.loads(x) for x in f.read().splitlines() if x.strip()]
        self.assertIn(cancel_pending, got)
        self.assertNotIn(cancel_unknown, got)

    def test_server_to_client_request_round_trip(self):
        r = self.start()
        r.initialize()
        r.send({"jsonrpc": "2.0", "id": 6, "method": "tools/call",
                "params": {"name": "ask_client", "arguments": {"method": "roots/list"}}})
        req = r.recv()
        self.assertEqual(req["method"], "roots/list")
        # a response to an id the server never used is dropped, not forwarded
        r.send({"jsonrpc": "2.0", "id": 424242, "result": {"roots": []}})
        r.send({"jsonrpc": "2.0", "id": req["id"], "result": {"roots": [{"uri": "file:///x"}]}})
        res = r.recv_id(6)
        echoed = json.loads(res["result"]["content"][0]["text"])
        self.assertEqual(echoed["result"]["roots"][0]["uri"], "file:///x")
        r.finish(self, 0)

    def test_task_augmented_call_is_policed_like_a_plain_one(self):
        r = self.start()
        r.initialize()
        r.send({"jsonrpc": "2.0", "id": 8, "method": "tools/call",
                "params": {"name": "run_command", "arguments": {"cmd": "id"}, "task": {"ttl": 1000}}})
        self.assertError(r.recv_id(8), -32001, 8)
        r.finish(self, 0)

    def test_unknown_methods_pass_through(self):
        r = self.start()
        r.initialize()
        m = r.request(11, "server/discover", {})
        self.assertError(m, -32601, 11)  # the fake server's own answer
        r.finish(self, 0)


class BatchTest(Case):
    def test_batch_split_checked_and_reassembled_on_2025_03_26(self):
        r = self.start(server=FAKE + ["--version", "2025-03-26"])
        r.initialize("2025-03-26")
        batch = [
            {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
             "params": {"name": "echo", "arguments": {"text": "one"}}},
            {"jsonrpc": "2.0", "method": "notifications/progress",
             "params": {"progressToken": 1, "progress": 1}},
            {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
             "params": {"name": "run_command", "arguments": {}}},
            {"jsonrpc": "2.0", "id": 3, "method": 5},
            {"jsonrpc": "2.0", "id": 4, "method": "ping"},
        ]
        r.send(batch)
        arr = r.recv()
        self.assertIsInstance(arr, list)
        by_id = {m.get("id"): m for m in arr}
        self.assertEqual(len(arr), 4)
        self.assertEqual(by_id[1]["result"]["content"][0]["text"], "one")
        self.assertEqual(by_id[2]["error"]["code"], -32001)
        self.assertEqual(by_id[3]["error"]["code"], -32600)
        self.assertEqual(by_id[4]["result"], {})
        # all notifications: nothing comes back
        r.send([{"jsonrpc": "2.0", "method": "notifications/initialized"}])
        r.no_message()
        r.send([])
        self.assertError(r.recv(), -32600, None)
        r.finish(self, 0)

    def test_batch_refused_on_other_versions(self):
        r = self.start()
        r.initialize("2025-06-18")
        r.send([{"jsonrpc": "2.0", "id": 1, "method": "ping"}])
        m = r.recv()
        self.assertError(m, -32600, None)
        self.assertNotIn("id", m)  # unknown ids are left out, never null
        r.request(2, "ping")
        r.finish(self, 0)

    def test_batch_answers_bounded_by_the_message_limit(self):
        r = self.start(server=FAKE + ["--version", "2025-03-26"], opts=["--max-message", "65536"])
        r.initialize("2025-03-26")
        r.send([{"jsonrpc": "2.0", "id": i, "method": "tools/call",
                 "params": {"name": "big", "arguments": {"size": 20000}}} for i in range(5)])
        m = r.recv()
        self.assertError(m, -32005)
        self.assertNotIn("id", m)
        self.assertEqual(r.request(9, "ping")["result"], {})
        r.finish(self, 0)

    def test_initialize_must_not_be_batched(self):
        r = self.start(server=FAKE + ["--version", "2025-03-26"])
        r.initialize("2025-03-26")
        init = {"jsonrpc": "2.0", "id": 5, "method": "initialize", "params": {}}
        r.send([init])
        arr = r.recv()
        self.assertEqual(arr[0]["error"]["code"], -32600)
        r.finish(self, 0)


if __name__ == "__main__":
    unittest.main()
