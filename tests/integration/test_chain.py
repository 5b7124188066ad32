"""`sentinel chain`: the contamination chain of a source, from hand-written audit logs (value
provenance, label influence, transitive chains, non-forwarded dependents, selection by tool
and server, sessions kept apart, exact --json output, bad lines, usage errors) and from a log
recorded by the real `sentinel run` (a secret read, then sent)."""
import json
import os
import subprocess
import unittest

from harness import INIT, SANITIZER_MARKS, SENTINEL, Case

KEY = "AKIAQYLPMN5HHHFPZAM2"  # fake_server.FAKE_AWS_KEY
DIGEST = "ab" * 32

_seq = [0]


def dec(rid, tool, forwarded=True, effect=None, prov=(), infl=(), labels=None, **extra):
    """A decision record with the writer's fields, in the writer's order."""
    _seq[0] += 1
    r = {"seq": _seq[0], "time": "2026-11-22T03:01:02.123456789Z", "event": "decision",
         "decision_id": "a1b2c3d4e5f60708-%d" % _seq[0], "method": "tools/call"}
    if tool is not None:
        r["tool"] = tool
    r.update({"request_id": rid, "effect": effect or ("allow" if forwarded else "deny"),
              "rule": "default", "reason": "r", "mode": "enforce", "forwarded": forwarded})
    if labels is not None:
        r["labels"] = labels
    if prov:
        r["provenance"] = [{"value": DIGEST, "variant": "raw", "source": s, "tool": "t"}
                           for s in prov]
    if infl:
        r["influenced_by"] = list(infl)
    r.update(extra)
    return r


def start(run_id):
    return {"seq": 0, "time": "2026-11-22T03:01:02Z", "event": "start", "run_id": run_id,
            "policy": "p.yaml", "upstream": "python3", "pid": 1, "mode": "enforce"}


def scan(rid, tool, added=("secret",), tracked=1):
    return {"seq": 0, "event": "scan", "request_id": rid, "tool": tool, "findings": [],
            "scores": {"secret": 90, "pii": 0, "injection": 0}, "added": list(added),
            "tracked": tracked}


def line(obj):
    return json.dumps(obj, separators=(",", ":"))


class ChainCase(Case):
    def write_log(self, lines, name="audit.jsonl", last_newline=True):
        path = os.path.join(self.tmpdir, name)
        with open(path, "wb") as f:
            for i, x in enumerate(lines):
                b = x if isinstance(x, bytes) else (x if isinstance(x, str) else line(x)).encode()
                f.write(b + (b"\n" if last_newline or i < len(lines) - 1 else b""))
        return path

    def chain(self, log, *opts, stdin=None, expect=0):
        """Run `sentinel chain`; returns (status, stdout text, stderr text)."""
        cmd = [SENTINEL, "chain"] + ([log] if log is not None else []) + list(opts)
        p = subprocess.run(cmd, input=stdin, capture_output=True, timeout=60)
        for mark in SANITIZER_MARKS:
            self.assertNotIn(mark, p.stderr, p.stderr.decode("utf-8", "replace"))
        self.assertGreaterEqual(p.returncode, 0, "died of signal %d" % -p.returncode)
        err = p.stderr.decode("utf-8", "replace")
        if expect is not None:
            self.assertEqual(p.returncode, expect, err)
        return p.returncode, p.stdout.decode("utf-8", "replace"), err

    def items(self, log, *opts, expect=0):
        """--json: (items without the summary, the summary, stderr)."""
        _, out, err = self.chain(log, "--json", *opts, expect=expect)
        objs = [json.loads(x) for x in out.splitlines()]
        self.assertTrue(objs and objs[-1]["kind"] == "summary", out)
        return objs[:-1], objs[-1], err

    def dependents(self, log, *opts):
        objs, _, _ = self.items(log, *opts)
        return [(o["request_id"], o["via"]["value"], o["via"]["label"])
                for o in objs if o["kind"] == "dependent"]


class Semantics(ChainCase):
    def test_value_provenance(self):
        log = self.write_log([start("r1"), dec(3, "read_secret"), scan(3, "read_secret"),
                              dec(4, "echo"),
                              dec(5, "http_post", forwarded=False, prov=[3, 3], labels=[])])
        objs, summ, _ = self.items(log, "--request", "3")
        self.assertEqual([o["kind"] for o in objs], ["source", "result", "dependent"])
        d = objs[2]
        self.assertEqual((d["request_id"], d["tool"], d["effect"], d["forwarded"], d["joins"]),
                         (5, "http_post", "deny", False, False))
        self.assertEqual(d["via"], {"value": [3], "label": []})  # listed once
        self.assertEqual((summ["sources"], summ["dependents"], summ["forwarded"]), (1, 1, 0))

    def test_label_influence(self):
        log = self.write_log([start("r1"), dec(3, "read_secret"), scan(3, "read_secret"),
                              dec(4, "send_email", labels=["secret"], infl=[3])])
        self.assertEqual(self.dependents(log, "--request", "3"), [(4, [], [3])])

    def test_transitive_chain_through_a_forwarded_dependent(self):
        # A (3) -> B (4, forwarded) -> C (6 depends on 4 only); 5 depends on nothing
        log = self.write_log([start("r1"), dec(3, "read_secret"), scan(3, "read_secret"),
                              dec(4, "transform", prov=[3]), scan(4, "transform"),
                              dec(5, "echo", infl=[9]),
                              dec(6, "http_post", forwarded=False, infl=[4]),
                              dec(7, "send_email", prov=[6])])
        self.assertEqual(self.dependents(log, "--request", "3"),
                         [(4, [3], []), (6, [], [4])])
        objs, summ, _ = self.items(log, "--request", "3")
        self.assertEqual([o["request_id"] for o in objs if o["kind"] == "result"], [3, 4])
        self.assertEqual((summ["dependents"], summ["forwarded"], summ["results"]), (2, 1, 2))

    def test_a_dependent_that_was_not_forwarded_does_not_propagate(self):
        log = self.write_log([start("r1"), dec(3, "read_secret"),
                              dec(4, "http_post", forwarded=False, prov=[3]),
                              dec(5, "send_email", prov=[4], infl=[4])])
        objs, _, _ = self.items(log, "--request", "3")
        deps = [o for o in objs if o["kind"] == "dependent"]
        self.assertEqual([(o["request_id"], o["joins"]) for o in deps], [(4, False)])

    def test_a_held_dependent_reports_the_answer_and_joins_once_approved(self):
        def approval(rid, yes):
            return {"seq": 0, "event": "approval", "request_id": rid, "rule": "ask",
                    "answer": "yes" if yes else "no", "forwarded": yes}
        log = self.write_log([start("r1"), dec(3, "read_secret"),
                              dec(4, "http_post", forwarded=False, held=True, prov=[3],
                                  effect="approve"),
                              dec(5, "send_email", forwarded=False, held=True, prov=[3],
                                  effect="approve"),
                              approval(4, True), approval(5, False),
                              dec(6, "echo", prov=[4]), dec(7, "echo", prov=[5])])
        objs, summ, _ = self.items(log, "--request", "3")
        self.assertEqual([(o["kind"], o["request_id"]) for o in objs],
                         [("source", 3), ("dependent", 4), ("dependent", 5),
                          ("approval", 4), ("approval", 5), ("dependent", 6)])
        self.assertEqual([(o["answer"], o["forwarded"], o["joins"]) for o in objs[3:5]],
                         [("yes", True, True), ("no", False, False)])
        self.assertEqual((summ["dependents"], summ["forwarded"]), (3, 2))
        _, out, _ = self.chain(log, "--request", "3")
        self.assertRegex(out, r"dependent +seq \d+  request 4  http_post  approve, held for "
                              r"approval  via value of 3\n")
        self.assertRegex(out, r"approval +seq \d+  request 4  answered yes, forwarded\n")
        self.assertRegex(out, r"approval +seq \d+  request 5  answered no, not forwarded\n")

    def test_a_forged_marker_that_labelled_the_session_is_a_result(self):
        spot = {"seq": 0, "event": "spotlight", "request_id": 3, "tool": "fetch",
                "forged_markers": 2, "added": ["injection"]}
        quiet = dict(spot, request_id=4)
        quiet.pop("added")
        log = self.write_log([start("r1"), dec(3, "fetch"), spot, dec(4, "fetch"), quiet,
                              dec(5, "send_email", labels=["injection"], infl=[3])])
        objs, summ, _ = self.items(log, "--request", "3")
        self.assertEqual([(o["kind"], o.get("event")) for o in objs],
                         [("source", None), ("result", "spotlight"), ("dependent", None)])
        self.assertEqual(objs[1]["added"], ["injection"])
        _, out, _ = self.chain(log, "--request", "3")
        self.assertIn("spotlight: added injection", out)

    def test_selection_by_tool(self):
        log = self.write_log([start("r1"), dec(1, "read_secret"), dec(2, "echo"),
                              dec(3, "read_secret"), dec(4, "http_post", prov=[1]),
                              dec(5, "http_post", infl=[3]), dec(6, "http_post", infl=[2])])
        objs, summ, _ = self.items(log, "--tool", "read_secret")
        self.assertEqual([o["request_id"] for o in objs if o["kind"] == "source"], [1, 3])
        self.assertEqual([o["request_id"] for o in objs if o["kind"] == "dependent"], [4, 5])
        self.assertEqual(summ["sources"], 2)

    def test_selection_by_server(self):
        log = self.write_log([start("r1"), dec(1, "read", server="files"),
                              dec(2, "read", server="web"), dec(3, "post", server="web", prov=[1]),
                              dec(4, "post", server="web", infl=[2])])
        objs, _, _ = self.items(log, "--server", "files")
        self.assertEqual([(o["kind"], o["request_id"]) for o in objs],
                         [("source", 1), ("dependent", 3)])
        self.assertEqual(objs[0]["server"], "files")

    def test_two_sessions_in_one_file_are_not_mixed(self):
        # ids repeat across sessions: 4 forwarded in the first must not carry into the second
        log = self.write_log([start("run-one"), dec(3, "read_secret"), dec(4, "f", prov=[3]),
                              start("run-two"), dec(1, "read_secret"), dec(5, "g", infl=[4]),
                              dec(6, "h", infl=[3])])
        objs, summ, _ = self.items(log, "--request", "3")
        got = [(o["kind"], o["run_id"], o["request_id"]) for o in objs]
        self.assertEqual(got, [("source", "run-one", 3), ("dependent", "run-one", 4),
                               ("dependent", "run-two", 6)])
        self.assertEqual(summ["sessions"], 2)
        # by tool: read_secret's 3 in run one, its 1 in run two; 4 of run two is not 4 of one
        objs, _, _ = self.items(log, "--tool", "read_secret")
        self.assertEqual([(o["kind"], o["request_id"]) for o in objs],
                         [("source", 3), ("dependent", 4), ("source", 1)])

    def test_string_and_number_ids_are_distinct(self):
        log = self.write_log([start("r"), dec("3", "read_secret"), dec(4, "a", prov=[3]),
                              dec(5, "b", prov=["3"]), dec("x y", "c", infl=["3"]),
                              dec(7, "d", infl=["x y"])])
        self.assertEqual(self.dependents(log, "--request", '"3"'),
                         [(5, ["3"], []), ("x y", [], ["3"]), (7, [], ["x y"])])
        self.assertEqual(self.dependents(log, "--request", "3"), [(4, [3], [])])
        self.assertEqual(self.dependents(log, "--request", "x y")[:1], [(7, [], ["x y"])])

    def test_server_requests_neither_select_nor_carry(self):
        # a server->client request's id is the server's: it is not request 3, and its answer
        # is not a tool result
        log = self.write_log([start("r"), dec(3, "read_secret"),
                              dec(3, None, method="sampling/createMessage",
                                  direction="server->client", infl=[3]),
                              dec(5, "x", infl=[3])])
        objs, summ, _ = self.items(log, "--request", "3")
        self.assertEqual(summ["sources"], 1)
        deps = [o for o in objs if o["kind"] == "dependent"]
        self.assertEqual([(o["request_id"], o.get("direction"), o["joins"]) for o in deps],
                         [(3, "server->client", False), (5, None, True)])

    def test_a_servers_notification_is_no_call(self):
        # a value a log notification carried: scanned with no request_id, tracked with a null
        # source; neither is a bad line, neither joins a chain
        note = {"seq": 0, "event": "scan", "method": "notifications/message",
                "direction": "server->client", "findings": [], "added": ["secret"],
                "tracked": 1}
        d = dec(5, "http_post", forwarded=False)
        d["provenance"] = [{"value": DIGEST, "variant": "raw", "source": None,
                            "tool": "notifications/message"},
                           {"value": DIGEST, "variant": "raw", "source": 3, "tool": "t"}]
        log = self.write_log([start("r"), dec(3, "read_secret"), note, d])
        objs, summ, err = self.items(log, "--request", "3")
        self.assertEqual(summ["bad_lines"], 0, err)
        self.assertEqual([(o["kind"], o["request_id"]) for o in objs],
                         [("source", 3), ("dependent", 5)])

    def test_records_before_any_start_form_a_session(self):
        log = self.write_log([dec(3, "read_secret"), dec(4, "x", prov=[3])])
        objs, summ, _ = self.items(log, "--request", "3")
        self.assertEqual([o["run_id"] for o in objs], [None, None])
        self.assertEqual(summ["sessions"], 1)

    def test_request_absent_from_the_log_still_seeds(self):
        log = self.write_log([start("r"), dec(4, "x", prov=[3])])
        objs, summ, err = self.items(log, "--request", "3")
        self.assertEqual([o["request_id"] for o in objs], [4])
        self.assertEqual(summ["sources"], 0)
        self.assertIn("no decision", err)


class Output(ChainCase):
    def test_json_output_exact(self):
        log = self.write_log([
            '{"seq":1,"event":"start","run_id":"0123456789abcdef"}',
            '{"seq":2,"event":"decision","method":"tools/call","tool":"read_secret",'
            '"request_id":3,"effect":"allow","rule":"default","forwarded":true,"server":"fake"}',
            '{"seq":3,"event":"scan","request_id":3,"tool":"read_secret","findings":[],'
            '"added":["secret"],"tracked":2}',
            '{"seq":4,"event":"taint","request_id":3,"added":["pii"],"removed":[],'
            '"labels":["pii","secret"]}',
            '{"seq":5,"event":"decision","method":"tools/call","tool":"http_post",'
            '"request_id":7,"effect":"deny","rule":"no-out","forwarded":false,'
            '"labels":["secret"],"provenance":[{"value":"%s","variant":"base64","source":3,'
            '"tool":"read_secret"}],"influenced_by":[3,5],"server":"fake"}' % DIGEST,
            '{"seq":6,"event":"invalidation","request_id":3,"sources":1}',
        ])
        _, out, err = self.chain(log, "--request", "3", "--json")
        self.assertEqual(out.splitlines(), [
            '{"kind":"source","run_id":"0123456789abcdef","line":2,"seq":2,"request_id":3,'
            '"method":"tools/call","tool":"read_secret","server":"fake","effect":"allow",'
            '"forwarded":true}',
            '{"kind":"result","run_id":"0123456789abcdef","line":3,"event":"scan",'
            '"request_id":3,"tool":"read_secret","added":["secret"],"tracked":2}',
            '{"kind":"result","run_id":"0123456789abcdef","line":4,"event":"taint",'
            '"request_id":3,"added":["pii"],"removed":[]}',
            '{"kind":"dependent","run_id":"0123456789abcdef","line":5,"seq":5,"request_id":7,'
            '"method":"tools/call","tool":"http_post","server":"fake","effect":"deny",'
            '"forwarded":false,"joins":false,"via":{"value":[3],"label":[3]},'
            '"labels":["secret"]}',
            '{"kind":"summary","sessions":1,"sources":1,"dependents":1,"forwarded":0,'
            '"results":2,"lines":6,"bad_lines":0}',
        ])
        # a hand-written log is no chained log: said once on stderr, read all the same
        self.assertRegex(err, r"^sentinel chain: warning: .* does not verify: malformed at "
                              r"[^\n]*\n$")

    def test_human_output(self):
        log = self.write_log([start("0123456789abcdef"), dec(3, "read_secret", server="fake"),
                              scan(3, "read_secret", tracked=2),
                              dec(4, "http_post", prov=[3], infl=[3])])
        _, out, _ = self.chain(log, "--request", "3")
        lines = out.splitlines()
        self.assertEqual(lines[0], "run 0123456789abcdef (line 1)")
        self.assertRegex(lines[1], r"^  line 2 +source +seq \d+  request 3  read_secret @fake  "
                                   r"allow, forwarded$")
        self.assertRegex(lines[2], r"^  line 3 +result +request 3  read_secret  scan: added "
                                   r"secret; 2 values tracked$")
        self.assertRegex(lines[3], r"^  line 4 +dependent +seq \d+  request 4  http_post  "
                                   r"allow, forwarded  via value of 3; label of 3$")
        self.assertEqual(lines[4], "summary: sources 1, dependents 1 (1 forwarded), results 1, "
                                   "sessions 1, lines 4, bad lines 0")

    def test_hostile_text_is_escaped_for_the_terminal(self):
        log = self.write_log([start("r\u001b]0;x\u0007"), dec(3, "read_secret"),
                              dec("\u001b[2J", "evil\u202e\u001b[31m", prov=[3])])
        _, out, _ = self.chain(log, "--request", "3")
        self.assertNotIn("\x1b", out)
        self.assertNotIn("\u202e", out)
        self.assertIn("evil\\xe2\\x80\\xae\\x1b[31m", out)
        objs, _, _ = self.items(log, "--request", "3")
        self.assertEqual(objs[1]["tool"], "evil\u202e\u001b[31m")  # JSON keeps it, escaped
        self.assertEqual(objs[0]["run_id"], "r\u001b]0;x\u0007")

    def test_exit_code(self):
        log = self.write_log([start("r"), dec(3, "read_secret"), dec(4, "x", prov=[3])])
        self.chain(log, "--request", "3", "--exit-code", expect=1)
        self.chain(log, "--request", "4", "--exit-code", expect=0)
        self.chain(log, "--request", "3", expect=0)

    def test_standard_input(self):
        data = "\n".join(line(x) for x in [start("r"), dec(3, "a"), dec(4, "b", infl=[3])])
        _, out, _ = self.chain("-", "--request", "3", "--json", stdin=data.encode())
        self.assertIn('"request_id":4', out)


class BadInput(ChainCase):
    def test_bad_lines_are_reported_and_skipped(self):
        lines = [start("r"), dec(3, "read_secret"),
                 "garbage",
                 "[1,2]",
                 '{"event":"decision","request_id":4,"forwarded":true,"influenced_by":[3],'
                 '"influenced_by":[3]}',                       # duplicate key
                 line(dec([1], "x", infl=[3])),                 # request_id an array
                 line({"event": "decision", "request_id": 5, "influenced_by": [3]}),  # forwarded?
                 line(dec(6, "x", prov=[3])).replace('"source":3', '"source":{"a":1}'),
                 line(dec(7, "x", infl=[{"a": 1}])),
                 line(dec(8, "x", labels="secret", infl=[3])),
                 line(dec(9, 17, infl=[3])),                    # tool a number
                 '{"seq":1}',                                   # no event
                 b"\xff\xfe{}",
                 "",
                 "   ",
                 line(dec(10, "ok", infl=[3])),
                 '{"event":"decision","request_id":11,"forwarded":true,"influ']  # torn
        log = self.write_log(lines, last_newline=False)
        objs, summ, err = self.items(log, "--request", "3")
        self.assertEqual([(o["kind"], o["request_id"]) for o in objs],
                         [("source", 3), ("dependent", 10)])
        bad = [l for l in err.splitlines() if l.startswith("sentinel chain: " + log + ":")]
        got = [int(l.split(":")[2]) for l in bad]
        self.assertEqual(got, [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 17], err)
        self.assertIn("the log ends mid-record", bad[-1])
        self.assertIn("duplicate", bad[2])
        self.assertIn('"forwarded"', bad[4])
        self.assertEqual(summ["bad_lines"], 12)
        self.assertEqual(summ["lines"], 17)
        for l in bad:
            self.assertTrue(all(0x20 <= ord(ch) < 0x7f for ch in l), l)

    def test_overlong_lines_are_skipped(self):
        big = line(dec(4, "x", infl=[3], pad="y" * 5000))
        log = self.write_log([start("r"), dec(3, "a"), big, dec(5, "b", infl=[3])])
        objs, summ, err = self.items(log, "--request", "3", "--max-line", "4K")
        self.assertEqual([o["request_id"] for o in objs], [3, 5])
        self.assertIn(":3: a line of", err)
        self.assertEqual(summ["bad_lines"], 1)

    def test_hostile_structure_does_not_crash(self):
        deep = '{"event":"decision","request_id":4,"forwarded":true,"arguments":' + \
            "[" * 5000 + "]" * 5000 + ',"influenced_by":[3]}'
        many = line(dec(5, "x", infl=list(range(1000, 1200)) + [3] * 100,
                        provenance=[{"source": i} for i in range(1000, 1200)]))
        long_id = line(dec("i" * 5000, "x", infl=[3]))
        nested_prov = '{"event":"decision","request_id":6,"forwarded":true,' \
            '"provenance":[' + "[" * 200 + "]" * 200 + ']}'
        log = self.write_log([start("r"), dec(3, "a"), deep, many, long_id, nested_prov,
                              line(dec(7, "ok", infl=["i" * 5000]))])
        objs, summ, err = self.items(log, "--request", "3")
        deps = {o["request_id"]: o for o in objs if o["kind"] == "dependent"}
        self.assertIn(4, deps)
        self.assertEqual(deps[5]["via"], {"value": [], "label": [3]})  # listed once
        self.assertIn("i" * 5000, deps)  # reported, but too long an id to join the set
        self.assertFalse(deps["i" * 5000]["joins"])
        self.assertNotIn(7, deps)
        self.assertEqual(summ["bad_lines"], 1, err)  # the nested provenance

    def test_many_sources_listed_up_to_the_cap(self):
        recs = [start("r")] + [dec(i, "read_secret") for i in range(1, 101)]
        recs.append(dec(500, "x", infl=list(range(1, 101))))
        log = self.write_log(recs)
        objs, _, _ = self.items(log, "--tool", "read_secret")
        d = objs[-1]
        self.assertEqual(d["via"]["label"], list(range(1, 65)))
        self.assertEqual(d["via"]["more"], 36)


class Usage(ChainCase):
    def test_usage_errors(self):
        log = self.write_log([start("r")])
        for args in ([], [log], ["--request", "3"], [log, "--request"], [log, "--request", ""],
                     [log, "--request", "3", "--tool", "x"], [log, log, "--tool", "x"],
                     [log, "--tool", "x", "--bogus"], [log, "--tool", "x", "--max-line", "10"],
                     [log, "--tool", "x", "--max-line", "3G"],
                     [log, "--tool", "x", "--max-line", "12Q"],
                     [log, "--request", "1" * 2000]):
            st, out, err = self.chain(None, *args, expect=None)
            self.assertEqual(st, 64, (args, err))
            self.assertEqual(out, "", args)
            self.assertTrue(err.startswith("sentinel chain: "), err)
        st, out, _ = self.chain(None, "--help")
        self.assertIn("--request", out)

    def test_unreadable_log(self):
        self.chain(os.path.join(self.tmpdir, "missing.jsonl"), "--tool", "x", expect=66)
        self.chain(self.tmpdir, "--tool", "x", expect=66)


RECORDED = """version: 1
default: allow
taint:
  scan_results: true
"""


class Recorded(ChainCase):
    def test_secret_read_then_posted(self):
        audit = os.path.join(self.tmpdir, "audit.jsonl")
        r = self.start(policy=self.write_policy(RECORDED), opts=["--audit", audit])
        # scan_results compiles the scanners before the first answer: seconds under ASan
        r.send(INIT)
        r.recv_id(0, timeout=60)
        r.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        self.assertIn("result", r.call(2, "echo", {"text": "before"}))
        self.assertIn(KEY, r.call(3, "read_secret", {})["result"]["content"][0]["text"])
        self.assertIn("result", r.call(4, "http_post", {"url": "https://example.com",
                                                         "body": "k=" + KEY}))
        self.assertIn("result", r.call(5, "echo", {"text": "after"}))
        r.finish(self)
        objs, summ, err = self.items(audit, "--request", "3")
        kinds = [(o["kind"], o["request_id"]) for o in objs]
        self.assertEqual(kinds[0], ("source", 3), objs)
        self.assertEqual(objs[0]["tool"], "read_secret")
        self.assertIn(("result", 3), kinds)
        deps = {o["request_id"]: o for o in objs if o["kind"] == "dependent"}
        self.assertIn(4, deps, objs)
        self.assertEqual(deps[4]["tool"], "http_post")
        self.assertTrue(deps[4]["forwarded"])
        self.assertIn(3, deps[4]["via"]["value"])
        self.assertNotIn(2, deps)
        self.assertEqual(summ["bad_lines"], 0, err)
        self.assertEqual(summ["sessions"], 1)
        # by tool, the same chain; the human form names the call
        objs2, _, _ = self.items(audit, "--tool", "read_secret")
        self.assertEqual([o for o in objs2 if o["kind"] == "dependent"][:1],
                         [o for o in objs if o["kind"] == "dependent"][:1])
        _, out, err = self.chain(audit, "--request", "3", "--exit-code", expect=1)
        self.assertRegex(out, r"dependent +seq \d+  request 4  http_post")
        self.assertEqual(err, "")  # the log verifies: nothing to say
        # an edited record is followed as written, but the reader is told first
        with open(audit) as f:
            lines = f.readlines()
        at = next(i for i, l in enumerate(lines) if '"tool":"http_post"' in l)
        lines[at] = lines[at].replace('"http_post"', '"http_get!"')
        with open(audit, "w") as f:
            f.writelines(lines)
        _, out, err = self.chain(audit, "--request", "3")
        self.assertIn("http_get!", out)
        self.assertRegex(err, r"^sentinel chain: warning: .* does not verify: edited at .*:%d "
                              % (at + 1))
        # so is one whose signatures do not check with the key given
        lines[at] = lines[at].replace('"http_get!"', '"http_post"')
        with open(audit, "w") as f:
            f.writelines(lines)
        self.chain(audit, "--request", "3", "--key", os.path.join(self.tmpdir, "none"),
                   expect=66)
        # replay says it too
        p = subprocess.run([SENTINEL, "replay", "--policy", self.write_policy(RECORDED),
                            audit], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("warning", p.stderr)
        with open(audit, "a") as f:
            f.write(lines[at])  # a record appended again: out of sequence
        p = subprocess.run([SENTINEL, "replay", "--policy", self.write_policy(RECORDED),
                            audit], capture_output=True, text=True, timeout=60)
        self.assertRegex(p.stderr, r"sentinel replay: warning: .* does not verify")


if __name__ == "__main__":
    unittest.main()
