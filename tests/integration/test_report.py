"""`sentinel report`: compliance evidence from an audit log. A run recorded by the real binary
(allow, deny and approve rules without an approver, a taint source, a scan hit, an agent with a
role, a tool name full of markup) is reported in Markdown and HTML and the counts checked
against the log itself; a tampered copy gets the damage banner naming the seq; hostile strings
in every field come out escaped (no live markup, no bidi or control characters, no extra table
cells); signatures are checked with --key; the time window, the key cap's "others" row, torn
and malformed lines, old unchained logs, usage errors (64) and a missing log (66)."""
import hashlib
import html.parser
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
import time
import unittest

from harness import SANITIZER_MARKS, SENTINEL, Run

HOSTILE_TOOL = '<script>alert("x")</script>|`rm -rf`\u202egnp.exe*_[x](javascript:y)'

POLICY = """version: 1
name: report-test
default: allow
rules:
  - id: no-shell
    effect: deny
    tools: [run_command]
    reason: shell access is not allowed
  - id: no-mail-after-pii
    effect: deny
    tools: [send_email, http_post]
    taint: {any: [pii, secret]}
    reason: personal data was read in this session
  - id: confirm-writes
    effect: approve
    tools: [write_file]
    reason: writes need a person
taint:
  scan_results: true
  sources:
    - {tools: [read_user_db], add: [pii]}
"""

# what the recorded run does: (request id, tool, arguments)
CALLS = [(2, "echo", {"text": "hi"}), (3, "run_command", {"cmd": "ls"}),
         (4, "read_user_db", {"q": "*"}), (5, "send_email", {"to": "a@b.c"}),
         (6, "read_secret", {}), (7, "write_file", {"path": "/tmp/x"}),
         (8, HOSTILE_TOOL, {}), (9, "http_post", {"url": "https://x"}),
         (10, "echo", {"text": "bye"})]

SVG_TAGS = {"svg", "g", "rect", "line", "text", "title"}
HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "div",
             "table", "thead", "tbody", "tr", "th", "td", "code", "strong", "span"} | SVG_TAGS
ATTRS = {"charset", "http-equiv", "content", "name", "lang", "id", "class", "role", "viewbox",
         "width", "height", "xmlns", "x", "y", "x1", "x2", "y1", "y2", "text-anchor", "fill",
         "fill-opacity"}
# characters no report may carry raw: C0 controls but tab/newline, DEL, C1, bidi, invisibles
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                       "\u2060-\u206f\ufeff]")


class Tags(html.parser.HTMLParser):
    """Every tag and attribute of a document, and its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text, self.stack, self.errors = set(), set(), [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for k, v in attrs:
            self.attrs.add(k)
            if v and re.match(r"\s*javascript:", v, re.I):
                self.errors.append("javascript: URL in %s" % k)
        if tag != "meta":
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.add(tag)
        for k, _ in attrs:
            self.attrs.add(k)

    def handle_endtag(self, tag):
        if tag == "meta":
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("unbalanced </%s> (open: %s)" % (tag, self.stack[-3:]))
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def report(*args, expect=None, timeout=120):
    """Run `sentinel report`; (status, stdout as text, stderr)."""
    p = subprocess.run([SENTINEL, "report"] + list(args), capture_output=True, timeout=timeout)
    for mark in SANITIZER_MARKS:
        assert mark not in p.stderr, p.stderr.decode("utf-8", "replace")
    assert p.returncode >= 0, "sentinel report died of signal %d" % -p.returncode
    err = p.stderr.decode("utf-8", "replace")
    if expect is not None:
        assert p.returncode == expect, "exit %d, wanted %d: %s" % (p.returncode, expect, err)
    return p.returncode, p.stdout.decode("utf-8"), err


def records(path):
    with open(path, "rb") as f:
        return [json.loads(x) for x in f if x.strip()]


def chained(recs, session="v1.test.mac"):
    """Chained lines as the writer makes them: seq, time, session, event first; prev, hash last."""
    out, prev = [], "0" * 64
    for i, r in enumerate(recs, 1):
        r = dict(r)
        head = {"seq": i, "time": r.pop("time", "2026-11-22T03:01:02.123456789Z"),
                "session": r.pop("session", session), "event": r.pop("event")}
        body = json.dumps(head, separators=(",", ":"))[:-1]
        rest = json.dumps(r, separators=(",", ":"))[1:-1]
        line = body + ("," + rest if rest else "") + ',"prev":"%s"' % prev
        h = hashlib.sha256(line.encode()).hexdigest()
        out.append((line + ',"hash":"%s"}' % h).encode())
        prev = h
    return out


def md_cells(line):
    """The cells of a Markdown table row, splitting on unescaped '|' only."""
    cells, cur, i = [], "", 0
    while i < len(line):
        c = line[i]
        if c == "\\" and i + 1 < len(line):
            cur += line[i:i + 2]
            i += 2
            continue
        if c == "|":
            cells.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    cells.append(cur)
    return cells[1:-1]


class ReportCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="sentinel-report-")
        cls.policy = os.path.join(cls.dir, "policy.yaml")
        with open(cls.policy, "w") as f:
            f.write(POLICY)
        cls.key = os.path.join(cls.dir, "audit.key")
        p = subprocess.run([SENTINEL, "keygen", "--scheme", "hmac", "--out", cls.key],
                           capture_output=True, timeout=30)
        assert p.returncode == 0, p.stderr
        cls.log = os.path.join(cls.dir, "audit.jsonl")
        r = Run(policy=cls.policy, opts=["--audit", cls.log, "--audit-key", cls.key,
                                         "--agent", "agent-7", "--role", "ops"])
        try:
            r.initialize()
            cls.replies = {mid: r.call(mid, tool, args) for mid, tool, args in CALLS}
            r.close_stdin()
            st = r.wait(20)
            err = r.stderr().encode()
            assert st == 0, "sentinel run exited %d: %s" % (st, err)
            for mark in SANITIZER_MARKS:
                assert mark not in err, err
        finally:
            r.kill()
        cls.recs = records(cls.log)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def setUp(self):
        tmp = tempfile.TemporaryDirectory(prefix="sentinel-report-case-")
        self.addCleanup(tmp.cleanup)
        self.tmpdir = tmp.name

    def decisions(self):
        return [r for r in self.recs if r["event"] == "decision"]

    def write(self, name, lines, end=b"\n"):
        path = os.path.join(self.tmpdir, name)
        with open(path, "wb") as f:
            for i, x in enumerate(lines):
                f.write(x + (end if i < len(lines) - 1 else b"\n"))
        return path

    def check_html(self, text):
        """No live markup beyond the report's own: known tags and attributes, no script."""
        self.assertNotRegex(text, r"(?i)<script|<img|<iframe|<object|<a\s|<!--|<!\[")
        t = Tags()
        t.feed(text)
        t.close()
        self.assertEqual(t.errors, [])
        self.assertLessEqual(t.tags, HTML_TAGS, t.tags - HTML_TAGS)
        self.assertLessEqual(t.attrs, ATTRS, t.attrs - ATTRS)
        self.assertIsNone(FORBIDDEN.search(text), repr(FORBIDDEN.search(text)))
        self.assertIn("Content-Security-Policy", text)
        return "".join(t.text)

    def check_md_tables(self, text):
        """Every row of every table has as many cells as its header."""
        cols = None
        for line in text.split("\n"):
            if line.startswith("|"):
                n = len(md_cells(line))
                if cols is None:
                    cols = n
                self.assertEqual(n, cols, "a row with %d cells under %d: %r" % (n, cols, line))
            else:
                cols = None
        self.assertIsNone(FORBIDDEN.search(text), repr(FORBIDDEN.search(text)))


class TestRecordedRun(ReportCase):
    def test_the_run_did_what_the_report_will_count(self):
        dec = {d["request_id"]: d for d in self.decisions()}
        self.assertEqual(dec[3]["effect"], "deny")
        self.assertEqual(dec[5]["rule"], "no-mail-after-pii")
        self.assertEqual(dec[7]["rule"], "confirm-writes")  # denied: no approver
        self.assertEqual(dec[8]["tool"], HOSTILE_TOOL)
        self.assertTrue(any(r["event"] == "scan" for r in self.recs))
        self.assertTrue(any(r["event"] == "taint" for r in self.recs))

    def test_markdown(self):
        _, md, _ = report(self.log, expect=0)
        dec = self.decisions()
        denied = [d for d in dec if d["effect"] == "deny"]
        allowed = [d for d in dec if d["effect"] == "allow"]
        self.assertIn("- 1 session(s), %d decision(s): %d allowed, %d denied" %
                      (len(dec), len(allowed), len(denied)), md)
        self.assertIn("| Hash chain | **INTACT** |", md)
        self.assertIn("| Records verified | %d (seq 1 to %d) in 1 file(s) |" %
                      (len(self.recs), len(self.recs)), md)
        start = self.recs[0]
        self.assertEqual(start["event"], "start")
        self.assertIn(start["policy_hash"], md)
        self.assertIn("| report-test |", md)
        self.assertIn(start["run_id"], md)
        # the agent's row: calls, allowed, denied
        self.assertRegex(md, r"\| agent-7 \| %d \| %d \| %d \|" %
                         (len(dec), len(allowed), len(denied)))
        # denials by rule, with their decision ids
        by_rule = {}
        for d in denied:
            by_rule.setdefault(d["rule"], []).append(d)
        for rule, ds in by_rule.items():
            row = next(l for l in md.split("\n") if l.startswith("| %s |" % rule))
            self.assertIn("| %d |" % len(ds), row)
            self.assertIn(ds[0]["decision_id"], row)
            self.assertIn("seq %d" % ds[0]["seq"], row)
        self.assertIn("shell access is not allowed", md)
        # information flow
        self.assertRegex(md, r"\| pii \| 1 \|")
        self.assertIn("aws\\_access\\_key", md)
        self.assertRegex(md, r"Highest scores: secret \d+")
        # control mapping: evidence names the denials' seq numbers
        ctl = next(l for l in md.split("\n") if l.startswith("| **Policy enforcement**"))
        self.assertIn("**ACTIVE**", ctl)
        self.assertIn("%d decisions enforced, %d denials (seq %s)" %
                      (len(dec), len(denied), ", ".join(str(d["seq"]) for d in denied[:3])), ctl)
        for name in ("Result scanning", "Session labels (taint) and flow rules",
                     "Agent identity and least privilege", "Tamper-evident audit log",
                     "Policy version control"):
            row = next(l for l in md.split("\n") if l.startswith("| **%s**" % name))
            self.assertIn("**ACTIVE**", row, row)
        for name in ("Lethal-trifecta protection", "Tool pinning", "Budgets and rate limits",
                     "Invalidation of distrusted sources"):
            row = next(l for l in md.split("\n") if l.startswith("| **%s**" % name))
            self.assertIn("| not in evidence |", row, row)
        self.assertIn("ASI01 Agent Goal Hijack", md)
        self.assertIn("MANAGE 1.3", md)
        # the hostile tool name is escaped and stays in its cell
        self.assertNotIn("<script", md)
        self.assertIn("&lt;script&gt;", md)
        self.assertIn("\\u{202E}", md)
        self.check_md_tables(md)

    def test_html(self):
        out = os.path.join(self.tmpdir, "report.html")
        _, stdout, _ = report(self.log, "--format", "html", "--out", out, expect=0)
        self.assertEqual(stdout, "")
        self.assertEqual(stat.S_IMODE(os.stat(out).st_mode), 0o600)
        self.assertEqual([n for n in os.listdir(self.tmpdir) if ".tmp." in n], [])
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.assertTrue(text.startswith("<!DOCTYPE html>"))
        shown = self.check_html(text)
        dec = self.decisions()
        denied = [d for d in dec if d["effect"] == "deny"]
        self.assertEqual(text.count("<svg"), 3)  # timeline, tools, denials by rule (no answers)
        self.assertIn('id="timeline"', text)
        self.assertIn('id="chart-tools"', text)
        self.assertIn('id="chart-rules"', text)
        self.assertIn("INTACT", shown)
        self.assertIn(self.recs[0]["policy_hash"], shown)
        self.assertIn("agent-7", shown)
        self.assertIn("no-shell", shown)
        self.assertIn("%d decisions enforced, %d denials" % (len(dec), len(denied)), shown)
        # the hostile name is there, as text
        self.assertIn('<script>alert("x")</script>|`rm -rf`\\u{202E}gnp.exe', shown)
        self.assertNotIn("\u202e", text)

    def test_signatures_checked_with_key(self):
        _, md, _ = report(self.log, "--key", self.key, expect=0)
        cps = [r for r in self.recs if r["event"] == "checkpoint"]
        self.assertTrue(cps and all(c["alg"] == "hmac-sha256" for c in cps))
        self.assertIn("| Signatures checked | %d of %d checkpoint(s), with key file" %
                      (len(cps), len(cps)), md)
        _, md, _ = report(self.log, expect=0)
        self.assertIn("not checked: no key given", md)

    def test_wrong_key_is_damage(self):
        other = os.path.join(self.tmpdir, "other.key")
        subprocess.run([SENTINEL, "keygen", "--scheme", "hmac", "--out", other],
                       capture_output=True, timeout=30, check=True)
        st, md, err = report(self.log, "--key", other)
        self.assertEqual(st, 1, err)
        self.assertIn("INTEGRITY FAILURE", md)
        self.assertIn("bad\\_signature", md)

    def test_tampered_record_gets_the_banner(self):
        with open(self.log, "rb") as f:
            lines = f.read().split(b"\n")[:-1]
        i = next(i for i, l in enumerate(lines) if b'"rule":"no-shell"' in l)
        seq = json.loads(lines[i])["seq"]
        lines[i] = lines[i].replace(b'"effect":"deny"', b'"effect":"allow"')
        log = self.write("tampered.jsonl", lines)
        st, md, err = report(log)
        self.assertEqual(st, 1, err)
        self.assertIn("damaged", err)
        banner = md.split("\n")[2]
        self.assertTrue(banner.startswith("> **INTEGRITY FAILURE"), md[:400])
        self.assertIn("edited at", banner)
        self.assertIn("seq %d" % seq, banner)
        self.assertIn("| Hash chain | **DAMAGED**", md)
        # the rest of the report is still there
        self.assertIn("## 6. Control mapping", md)
        out = os.path.join(self.tmpdir, "t.html")
        st, _, _ = report(log, "--format", "html", "--out", out)
        self.assertEqual(st, 1)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.check_html(text)
        body = text[text.index("<body>"):]
        self.assertTrue(body.index('class="banner bad"') < body.index("<table"))
        self.assertRegex(body, r"INTEGRITY FAILURE.*edited at .* seq %d" % seq)

    def test_truncated_log_gets_the_banner(self):
        with open(self.log, "rb") as f:
            lines = f.read().split(b"\n")[:-1]
        log = self.write("cut.jsonl", lines[:-3])
        shutil.copy(self.log + ".head", log + ".head")
        st, md, _ = report(log)
        self.assertEqual(st, 1)
        self.assertIn("INTEGRITY FAILURE", md)
        self.assertIn("truncated", md)


class TestHostile(ReportCase):
    HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "a|b|c",
               "`code` **bold** [link](http://evil.example) ![i](x)", "line\nbreak\r\x00nul",
               "\u202eevil\u2066iso\u2069\u200b\ufeff", "&amp; &#x3c; \\x41", "</td></tr>",
               "\x85\x9b", "javascript:alert(1)", "<!-- c -->", "<![CDATA[x]]>",
               "<svg onload=alert(1)>", "<style>body{display:none}</style>",
               "www.evil-example.com/login"]

    def hostile_log(self):
        h = self.HOSTILE
        recs = [{"event": "start", "session": h[5], "run_id": h[0], "policy": h[1],
                 "policy_name": h[2], "policy_hash": h[3], "upstream": h[4], "agent": h[6],
                 "identity": {"agent": h[7], "roles": [h[8], h[9]], "scheme": h[10]},
                 "mode": "enforce", "pid": 1}]
        for i, s in enumerate(h):
            recs.append({"event": "decision", "session": h[5], "decision_id": s,
                         "method": "tools/call", "tool": s, "request_id": s,
                         "effect": "deny" if i % 2 else "approve", "rule": s, "reason": s,
                         "mode": "enforce", "forwarded": False, "agent": s, "roles": [s],
                         "server": s, "labels": [s], "observed": [s], "schema_violation": s,
                         "decide_us": 3})
            recs.append({"event": "approval", "decision_id": s, "rule": s, "answer": s})
            recs.append({"event": "taint", "request_id": s, "added": [s], "removed": [s]})
            recs.append({"event": "scan", "request_id": s, "tool": s, "findings": [s],
                         "scores": {"secret": 1}, "added": [s]})
            recs.append({"event": "invalidation", "tool": s, "sources": 1})
            recs.append({"event": "tools_list", "request_id": 1,
                         "tools": [{"tool": s, "poison_score": 80, "findings": [s]}],
                         "pins": {"new": 0, "changed": 1, "items": [{"name": s,
                                                                     "state": s,
                                                                     "changed": s}]}})
            recs.append({"event": "policy_reload", "policy": s, "ok": False, "error": s})
            recs.append({"event": s})
        recs.append({"event": "stop", "exit_status": 0})
        return self.write("hostile.jsonl", chained(recs, session=h[5]))

    def test_html_has_no_live_markup(self):
        log = self.hostile_log()
        out = os.path.join(self.tmpdir, "h.html")
        st, _, err = report(log, "--format", "html", "--out", out)
        self.assertIn(st, (0, 1), err)  # written either way; what matters is what is in it
        with open(out, encoding="utf-8") as f:
            text = f.read()
        shown = self.check_html(text)
        for s in ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</td></tr>",
                  "<svg onload=alert(1)>"):
            self.assertIn(s, shown)  # shown as text
        self.assertIn("\\u{202E}evil\\u{2066}iso\\u{2069}\\u{200B}\\u{FEFF}", shown)
        self.assertIn("line\\x0abreak\\x0d\\x00nul", shown)

    def test_markdown_cells_hold(self):
        log = self.hostile_log()
        st, md, _ = report(log)
        self.assertNotIn("<script", md)
        self.assertNotIn("<img", md)
        self.assertNotRegex(md, r"(?<!\\)\]\(")  # no link: every ']' is escaped
        self.assertNotIn("www.evil", md)  # no GitHub "www." autolink (red-team round 8)
        self.assertIn("www\\.evil", md)
        self.assertNotIn("\n break", md)
        self.check_md_tables(md)

    def test_old_unchained_log_is_not_counted(self):
        """Lines the verifier does not accept are not evidence: nothing after the damage counts."""
        recs = [{"seq": 1, "time": "2026-11-22T03:01:02.1Z", "event": "start", "run_id": "r1",
                 "policy": "p.yaml", "upstream": "x", "mode": "enforce"},
                {"seq": 2, "time": "2026-11-22T03:01:03Z", "event": "decision",
                 "decision_id": "r1-1", "tool": "echo", "request_id": 1, "effect": "deny",
                 "rule": "r", "reason": "no", "mode": "enforce", "forwarded": False}]
        log = self.write("old.jsonl", [json.dumps(r).encode() for r in recs])
        st, md, _ = report(log)
        self.assertEqual(st, 1)
        self.assertIn("INTEGRITY FAILURE", md)
        self.assertIn("0 decision(s): 0 allowed, 0 denied", md)
        self.assertIn("the 2 line(s) from it on are not verified and not counted", md)
        self.assertIn("2 from the damage on: not counted", md)

    def test_records_after_the_damage_are_not_counted(self):
        lines = chained([{"event": "start", "run_id": "r"}] +
                        [{"event": "decision", "decision_id": "r-%d" % i, "tool": "t%d" % i,
                          "request_id": i, "effect": "allow", "rule": "default",
                          "reason": "x", "mode": "enforce", "forwarded": True}
                         for i in range(6)])
        lines[4] = lines[4].replace(b'"effect":"allow"', b'"effect":"deny"')  # seq 5 edited
        log = self.write("edited.jsonl", lines)
        st, md, _ = report(log)
        self.assertEqual(st, 1)
        self.assertIn("edited at", md)
        self.assertIn("3 decision(s): 3 allowed, 0 denied", md)  # seq 2..4 only
        self.assertIn("| t2 |", md)
        self.assertNotIn("| t3 |", md)

    def test_torn_and_malformed_lines(self):
        good = chained([{"event": "start", "run_id": "r"},
                        {"event": "decision", "decision_id": "r-1", "tool": "echo",
                         "request_id": 1, "effect": "allow", "rule": "default", "reason": "x",
                         "mode": "enforce", "forwarded": True}])
        lines = good + [b"not json at all", b"[1,2,3]", b'{"no_event":1}',
                        b'{"event":"decision","tool":' + b"[" * 200000 + b"]",
                        b"\xff\xfe\x00", b'{"seq":9,"event":"decision","tool":"half']
        log = self.write("torn.jsonl", lines)
        with open(log, "rb+") as f:  # no newline after the last line: a crash mid-write
            f.seek(-1, os.SEEK_END)
            f.truncate()
        with open(log, "rb") as f:  # not verified: every line is read, the bad ones listed
            p = subprocess.run([SENTINEL, "report", "-"], stdin=f, capture_output=True,
                               timeout=60)
        self.assertEqual(p.returncode, 1, p.stderr)
        md = p.stdout.decode()
        self.assertIn("## Appendix", md)
        self.assertIn("(the file ends mid-record)", md)
        self.assertRegex(md, r"- \| 3 \| not valid JSON")
        self.assertRegex(md, r"\| Lines read \| 8 \(0 blank, 6 unreadable, 1 torn\) \|")
        self.assertIn("1 decision(s): 1 allowed", md)
        # in a file, the verifier stops at line 3 and nothing from there on is counted
        st, md, err = report(log)
        self.assertEqual(st, 1, err)
        self.assertIn("malformed at", md)
        self.assertIn("1 decision(s): 1 allowed", md)

    def test_a_torn_last_line_is_never_counted(self):
        """A complete forged record without its newline after the final checkpoint: the verifier
        ignores a torn line, so the report must not count it, and --strict refuses the log."""
        with open(self.log, "rb") as f:
            data = f.read()
        last = json.loads(data.split(b"\n")[-2])
        fake = {"session": last["session"], "seq": last["seq"] + 1,
                "time": "2026-11-22T17:34:54.000000000Z", "event": "decision",
                "decision_id": "x-99", "method": "tools/call", "tool": "transfer_funds",
                "request_id": 99, "effect": "allow", "rule": "default", "reason": "x",
                "mode": "enforce", "forwarded": True, "prev": last["hash"]}
        body = json.dumps(fake, separators=(",", ":"))[:-1]
        line = body + ',"hash":"%s"}' % hashlib.sha256(body.encode()).hexdigest()
        log = os.path.join(self.tmpdir, "forged.jsonl")
        with open(log, "wb") as f:
            f.write(data + line.encode())  # no newline: looks torn
        shutil.copy(self.log + ".head", log + ".head")
        st, md, err = report(log, "--key", self.key)
        self.assertEqual(st, 0, err)  # intact, as verify says without --strict ...
        self.assertNotIn("transfer", md)  # ... but the torn line is not evidence
        self.assertIn("the last line was torn (a crash mid-write): not verified, not counted", md)
        st, md, err = report(log, "--key", self.key, "--strict")
        self.assertEqual(st, 1, err)
        self.assertIn("NOT SEALED (--strict)", md)
        self.assertIn("--strict", err)
        p = subprocess.run([SENTINEL, "verify", "--key", self.key, "--strict", log],
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 1, p.stdout)
        st, _, err = report(self.log, "--key", self.key, "--strict")
        self.assertEqual(st, 0, err)

    def test_a_deep_record_shaped_last_line_is_damage(self):
        """A record-shaped last line nested deeper than 64 levels, without its newline and not
        chaining on: verify and report parse it alike (as deep as run writes), so it is not a
        torn line a later run could declare; the report refuses, counting nothing of it."""
        with open(self.log, "rb") as f:
            data = f.read()
        last = json.loads(data.split(b"\n")[-2])
        deep = "x"
        for _ in range(70):
            deep = [deep]
        fake = {"session": last["session"], "seq": last["seq"] + 1,
                "time": "2026-11-22T17:34:54.000000000Z", "event": "decision",
                "decision_id": "x-98", "method": "tools/call", "tool": "wire_money",
                "request_id": 98, "effect": "allow", "rule": "default", "reason": "x",
                "mode": "enforce", "forwarded": True, "agent": "mallory", "pad": deep,
                "prev": last["hash"]}
        line = json.dumps(fake, separators=(",", ":"))[:-1] + ',"hash":"%s"}' % ("ab" * 32)
        log = os.path.join(self.tmpdir, "deep.jsonl")
        with open(log, "wb") as f:
            f.write(data + line.encode())
        shutil.copy(self.log + ".head", log + ".head")
        st, md, err = report(log, "--key", self.key)
        self.assertEqual(st, 1, err)
        self.assertNotIn("wire_money", md)
        self.assertNotIn("mallory", md)

    def test_a_log_changing_under_the_report_is_refused(self):
        """The verifier and the count open the files by name: a file written meanwhile (here
        touched all along, as by a swap or a live writer) must not be verified in one
        state and counted in another."""
        recs = [{"event": "start", "run_id": "r"}]
        recs += [{"event": "decision", "decision_id": "r-%d" % i, "tool": "echo",
                  "request_id": i, "effect": "allow", "rule": "default", "reason": "x" * 200,
                  "mode": "enforce", "forwarded": True} for i in range(100000)]
        log = self.write("live.jsonl", chained(recs))
        p = subprocess.Popen([SENTINEL, "report", log, "--out", os.path.join(self.tmpdir, "o")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        while p.poll() is None:
            os.utime(log)  # its change time moves, as with any write; its bytes stay the same
            time.sleep(0.001)
        _, err = p.communicate(timeout=120)
        self.assertEqual(p.returncode, 74, err)
        self.assertIn(b"changed", err)
        self.assertFalse(os.path.exists(os.path.join(self.tmpdir, "o")))


class TestWindowAndCaps(ReportCase):
    def test_since_until(self):
        recs = [{"event": "start", "run_id": "r", "time": "2026-11-20T10:00:00Z"}]
        for day, n in ((20, 3), (21, 5), (22, 7)):
            for i in range(n):
                recs.append({"event": "decision", "time": "2026-11-%dT10:00:%02dZ" % (day, i),
                             "decision_id": "r-%d-%d" % (day, i), "tool": "t%d" % day,
                             "request_id": i, "effect": "deny", "rule": "r%d" % day,
                             "reason": "x", "mode": "enforce", "forwarded": False})
        log = self.write("w.jsonl", chained(recs))
        _, md, _ = report(log, "--since", "2026-11-21", "--until", "2026-11-22T00:00:00Z")
        self.assertIn("5 decision(s)", md)
        # no checkpoint signs these records: counted, with a warning
        self.assertIn("Unsealed records:", md.split("\n")[2])
        self.assertIn("11 record(s) outside", md)
        self.assertIn("| r21 |", md)
        self.assertNotIn("| r20 |", md)
        self.assertNotIn("| r22 |", md)
        _, md, _ = report(log, "--since", "2026-11-22T10:00:05+00:00")
        self.assertIn("2 decision(s)", md)

    def test_others_row_past_the_cap(self):
        recs = [{"event": "start", "run_id": "r"}]
        for i in range(10005):
            recs.append({"event": "decision", "decision_id": "r-%d" % i, "tool": "tool-%d" % i,
                         "request_id": i, "effect": "allow", "rule": "default", "reason": "x",
                         "mode": "enforce", "forwarded": True})
        log = self.write("many.jsonl", chained(recs))
        _, md, _ = report(log)
        self.assertIn("others: 5 record(s) of further tools beyond the 10000-key cap", md)
        self.assertIn("… 9900 more not shown", md)
        _, text, _ = report(log, "--format", "html")
        self.check_html(text)


class TestUsage(ReportCase):
    def test_usage_errors_exit_64(self):
        for args in (["--format", "pdf", self.log], ["--format"], [], ["--bogus", self.log],
                     [self.log, self.log], ["--since", "yesterday", self.log],
                     ["--since", "2026-11-22", "--until", "2026-11-21", self.log]):
            st, out, err = report(*args)
            self.assertEqual(st, 64, (args, err))
            self.assertEqual(out, "")
        st, out, _ = report("--help")
        self.assertEqual(st, 0)
        self.assertIn("--format md|html", out)

    def test_missing_log_exits_66(self):
        st, out, err = report(os.path.join(self.tmpdir, "nope.jsonl"))
        self.assertEqual(st, 66, err)
        self.assertEqual(out, "")
        self.assertIn("nope.jsonl", err)
        st, _, _ = report(self.tmpdir)  # a directory
        self.assertEqual(st, 66)
        st, _, _ = report(self.log, "--key", os.path.join(self.tmpdir, "nokey"))
        self.assertEqual(st, 66)

    def test_unwritable_out_exits_73(self):
        st, _, err = report(self.log, "--out", os.path.join(self.tmpdir, "no", "dir", "r.md"))
        self.assertEqual(st, 73, err)

    def test_standard_input_is_not_attested(self):
        with open(self.log, "rb") as f:
            p = subprocess.run([SENTINEL, "report", "-"], stdin=f, capture_output=True,
                               timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertIn(b"NOT VERIFIED", p.stdout)
        self.assertIn(b"report-test", p.stdout)


if __name__ == "__main__":
    unittest.main()
