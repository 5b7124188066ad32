"""The audit log as evidence: the hash chain, signed checkpoints, LOG.head, rotation, crash
recovery and `sentinel verify` against every kind of tampering (edit, re-hash, reorder,
delete, truncate, splice, forged or stripped signatures)."""
import hashlib
import json
import os
import signal
import subprocess
import threading
import time
import unittest

from harness import Case, SENTINEL, FAKE, POLICIES

ALLOW_ALL = os.path.join(POLICIES, "allow-all.yaml")
HASH_TAIL = 75  # ,"hash":"<64 hex>"}


def verify(log, *opts):
    p = subprocess.run([SENTINEL, "verify", "--json"] + list(opts) + [log],
                       capture_output=True, timeout=60)
    out = json.loads(p.stdout.decode()) if p.stdout.strip() else None
    return p.returncode, out, p.stderr.decode()


def read_lines(path):
    with open(path, "rb") as f:
        return f.read().split(b"\n")[:-1]


def write_lines(path, lines, tail=b"\n"):
    with open(path, "wb") as f:
        f.write(b"\n".join(lines) + (tail if lines else b""))


def rehash(line, prev=None):
    """What an attacker without the key can do: rewrite a record and recompute its hash."""
    rec = json.loads(line)
    if prev is not None:
        rec["prev"] = prev
    del rec["hash"]
    body = json.dumps(rec, separators=(",", ":")).encode()
    h = hashlib.sha256(body[:-1]).hexdigest()
    return body[:-1] + b',"hash":"' + h.encode() + b'"}'


def rechain(line, prev):
    """Link a record to a new predecessor (a checkpoint's signed head moves with it)."""
    rec = json.loads(line)
    if rec["event"] == "checkpoint":
        rec["head"] = prev
    return rehash(json.dumps(rec, separators=(",", ":")).encode(), prev)


def seq_of(line):
    return json.loads(line)["seq"]


class AuditCase(Case):
    def record(self, log, calls=5, opts=(), key=None):
        o = ["--audit", log] + list(opts)
        if key:
            o += ["--audit-key", key]
        r = self.start(policy=ALLOW_ALL, opts=o)
        r.initialize()
        for i in range(calls):
            m = r.call(100 + i, "echo", {"text": "call %d" % i})
            self.assertIn("result", m)
        r.close_stdin()
        r.finish(self, expect_status=0)
        return log

    def keygen(self, scheme):
        path = os.path.join(self.tmpdir, "audit-%s.key" % scheme)
        p = subprocess.run([SENTINEL, "keygen", "--scheme", scheme, "--out", path],
                           capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        return path

    def damaged(self, log, kind, seq=None, *opts):
        rc, out, err = verify(log, *opts)
        self.assertEqual(rc, 1, (out, err))
        self.assertEqual(out["status"], "damaged", out)
        self.assertEqual(out["damage"], kind, out)
        if seq is not None:
            self.assertEqual(out["seq"], seq, out)
        return out


class TestChain(AuditCase):
    def test_every_record_is_chained_and_verifies(self):
        log = self.record(os.path.join(self.tmpdir, "a.log"))
        lines = read_lines(log)
        prev = "0" * 64
        for i, line in enumerate(lines, 1):
            rec = json.loads(line)
            self.assertEqual(rec["seq"], i)
            self.assertEqual(rec["prev"], prev)
            self.assertEqual(hashlib.sha256(line[:-HASH_TAIL]).hexdigest(), rec["hash"])
            self.assertRegex(rec["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$")
            prev = rec["hash"]
        kinds = [json.loads(l)["event"] for l in lines]
        self.assertEqual(kinds[0], "start")
        self.assertEqual(kinds[-1], "checkpoint")
        self.assertTrue(json.loads(lines[-1])["final"])
        start = json.loads(lines[0])
        self.assertRegex(start["policy_hash"], r"^sha256:[0-9a-f]{64}$")
        with open(ALLOW_ALL, "rb") as f:
            self.assertEqual(start["policy_hash"], "sha256:" + hashlib.sha256(f.read()).hexdigest())
        dec = [json.loads(l) for l in lines if b'"event":"decision"' in l]
        res = [json.loads(l) for l in lines if b'"event":"result"' in l]
        self.assertEqual(len(dec), 5)
        self.assertEqual(len(res), 5)
        for d in dec:
            self.assertRegex(d["args_digest"], r"^sha256:[0-9a-f]{64}$")
            self.assertIn("decide_us", d)
            self.assertNotIn("arguments", d)  # digests, not values, unless asked
        for r in res:
            self.assertEqual(r["outcome"], "ok")
            self.assertRegex(r["result_digest"], r"^sha256:[0-9a-f]{64}$")
            self.assertGreater(r["latency_us"], 0)
        self.assertEqual({r["decision_id"] for r in res}, {d["decision_id"] for d in dec})
        if "session" in start:  # the signed session id rides on every record
            self.assertTrue(all(json.loads(l).get("session") == start["session"] for l in lines))
        rc, out, _ = verify(log)
        self.assertEqual(rc, 0, out)
        self.assertTrue(out["sealed"])
        self.assertEqual(out["records"], len(lines))
        self.assertEqual(out["head"], json.loads(lines[-1])["hash"])
        p = subprocess.run([SENTINEL, "verify", "--strict", log], capture_output=True)
        self.assertEqual(p.returncode, 0, p.stdout)
        self.assertIn(b"intact", p.stdout)

    def test_the_chain_continues_across_runs(self):
        log = os.path.join(self.tmpdir, "a.log")
        self.record(log, calls=2)
        n1 = len(read_lines(log))
        self.record(log, calls=2)
        lines = read_lines(log)
        second = json.loads(lines[n1])
        self.assertEqual(second["event"], "start")
        self.assertEqual(second["seq"], n1 + 1)
        self.assertEqual(second["prev"], json.loads(lines[n1 - 1])["hash"])
        rc, out, _ = verify(log)
        self.assertEqual(rc, 0, out)
        self.assertEqual(out["sessions"], 2)
        # deleting the whole first run is detected: the second's first record links to it
        write_lines(log, lines[n1:])
        os.unlink(log + ".head")
        self.damaged(log, "deleted")

    def test_one_writer_per_log(self):
        """Two runs appending to one file would fork the chain: the second is refused."""
        log = os.path.join(self.tmpdir, "shared.log")
        first = self.start(policy=ALLOW_ALL, opts=["--audit", log])
        first.initialize()
        second = self.start(policy=ALLOW_ALL, opts=["--audit", log])
        second.close_stdin()
        second.wait(10)
        err = second.stderr()
        second.finish(self, expect_status=74)
        self.assertIn("being written by another sentinel", err)
        self.assertIn("result", first.call(5, "echo", {"text": "still here"}))
        first.finish(self, expect_status=0)
        self.record(log, calls=1)  # once the first is gone, the next run continues its chain
        rc, out, _ = verify(log)
        self.assertEqual(rc, 0, out)
        self.assertEqual(out["sessions"], 2)

    def test_a_file_that_is_not_a_chained_log_is_refused(self):
        log = os.path.join(self.tmpdir, "plain.log")
        with open(log, "w") as f:
            f.write('{"seq":1,"event":"decision"}\n')
        r = self.start(policy=ALLOW_ALL, opts=["--audit", log])
        r.close_stdin()
        r.close_stdin()
        r.wait(10)
        err = r.stderr()
        r.finish(self, expect_status=74)
        self.assertIn("not a chained sentinel log", err)


class TestResultRecords(AuditCase):
    def test_prompts_completions_and_answers_to_server_requests_have_result_records(self):
        """Every decided exchange leaves the digest of what came back: a prompt, a completion,
        and the client's answer to the server's sampling request (a user's words may be in
        it), linked to its decision."""
        log = os.path.join(self.tmpdir, "r.log")
        r = self.start(policy=ALLOW_ALL, opts=["--audit", log])
        r.initialize()
        self.assertIn("result", r.request(2, "prompts/get", {"name": "greet"}))
        self.assertIn("result", r.request(3, "completion/complete", {
            "ref": {"type": "ref/prompt", "name": "greet"},
            "argument": {"name": "x", "value": "a"}}))
        r.send({"jsonrpc": "2.0", "id": 4, "method": "tools/call",
                "params": {"name": "ask_client", "arguments": {
                    "method": "sampling/createMessage", "params": {"messages": []}}}})
        req = r.recv()
        self.assertEqual(req["method"], "sampling/createMessage")
        answer = {"role": "assistant", "model": "m", "content": {"type": "text", "text": "hi"}}
        r.send({"jsonrpc": "2.0", "id": req["id"], "result": answer})
        r.recv_id(4)
        r.finish(self, expect_status=0)
        recs = [json.loads(l) for l in read_lines(log)]
        dec = {x["decision_id"]: x for x in recs if x["event"] == "decision"}
        res = [x for x in recs if x["event"] == "result"]
        by_method = {dec[x["decision_id"]].get("method"): x for x in res}
        for mth in ("prompts/get", "completion/complete", "sampling/createMessage"):
            self.assertIn(mth, by_method, res)
            self.assertTrue(by_method[mth]["result_digest"].startswith("sha256:"))
        samp = by_method["sampling/createMessage"]
        self.assertEqual(samp["direction"], "client->server")
        self.assertEqual(samp["request_id"], req["id"])
        want = hashlib.sha256(json.dumps(answer, separators=(",", ":")).encode()).hexdigest()
        self.assertEqual(samp["result_digest"], "sha256:" + want)
        rc, out, _ = verify(log, "--strict")
        self.assertEqual(rc, 0, out)


class TestTampering(AuditCase):
    def setUp(self):
        super().setUp()
        self.log = self.record(os.path.join(self.tmpdir, "t.log"), calls=6)
        self.lines = read_lines(self.log)
        self.assertGreaterEqual(len(self.lines), 15)

    def test_edit_in_the_middle(self):
        lines = list(self.lines)
        lines[5] = lines[5].replace(b'"effect":"allow"', b'"effect":"deny"')
        if lines[5] == self.lines[5]:
            lines[5] = lines[5].replace(b'"outcome":"ok"', b'"outcome":"error"')
        self.assertNotEqual(lines[5], self.lines[5])
        write_lines(self.log, lines)
        out = self.damaged(self.log, "edited", seq_of(lines[5]))
        self.assertEqual(out["line"], 6)

    def test_edit_and_rehash_breaks_the_next_link(self):
        lines = list(self.lines)
        rec = json.loads(lines[4])
        rec["time"] = "2020-01-01T00:00:00.000000000Z"
        lines[4] = rehash(json.dumps(rec, separators=(",", ":")).encode())
        write_lines(self.log, lines)
        out = self.damaged(self.log, "edited", seq_of(lines[4]))
        self.assertIn("re-hashed", out["message"])

    def rewrite_times(self, at, time):
        """An unsigned chain rewritten from record `at` on, its time replaced there."""
        lines = list(self.lines)
        rec = json.loads(lines[at])
        if time is None:
            del rec["time"]
        else:
            rec["time"] = time
        prev = json.loads(lines[at - 1])["hash"]
        lines[at] = rehash(json.dumps(rec, separators=(",", ":")).encode(), prev)
        prev = json.loads(lines[at])["hash"]
        for j in range(at + 1, len(lines)):
            lines[j] = rechain(lines[j], prev)
            prev = json.loads(lines[j])["hash"]
        write_lines(self.log, lines)
        with open(self.log + ".head", "wb") as f:
            f.write(lines[-1] + b"\n")
        return seq_of(lines[at])

    def test_a_record_without_a_valid_time_is_malformed(self):
        for bad in (None, "yesterday", "2026-13-01T00:00:00.000000000Z",
                    "2026-02-30T00:00:00.000000000Z", "2026-11-23T02:39:18.907366015",
                    "2026-11-23T02:39:18.907366015Z ",
                    # valid RFC 3339, but not what a writer stamps (round 10)
                    "2026-11-23T07:39:18.907366015+05:00", "2026-11-23t02:39:18.907366015z",
                    "2026-11-23T23:59:60.000000000Z"):
            with self.subTest(time=bad):
                seq = self.rewrite_times(4, bad)
                out = self.damaged(self.log, "malformed", seq)
                self.assertIn("time", out["message"])

    def test_a_time_before_its_predecessors_is_told(self):
        seq = self.rewrite_times(6, "2001-09-09T01:46:40.000000000Z")
        rc, out, err = verify(self.log)
        self.assertEqual(rc, 0, (out, err))
        self.assertEqual(out["status"], "intact", out)
        self.assertEqual(out["time_backwards"], 1, out)
        self.assertEqual(out["time_backwards_seq"], seq, out)
        p = subprocess.run([SENTINEL, "verify", self.log], capture_output=True, text=True,
                           timeout=30)
        self.assertIn("before their predecessor's, the first at seq %d" % seq, p.stdout)
        p = subprocess.run([SENTINEL, "report", self.log], capture_output=True, text=True,
                           timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("the first at seq %d: the clock was stepped back" % seq, p.stdout)
        # the writer's own log never goes back
        self.assertNotIn("time_backwards", verify(self.record(
            os.path.join(self.tmpdir, "u.log"), calls=20))[1])

    def test_reorder(self):
        lines = list(self.lines)
        lines[3], lines[4] = lines[4], lines[3]
        write_lines(self.log, lines)
        self.damaged(self.log, "reordered")

    def test_reorder_far_apart(self):
        lines = list(self.lines)
        moved = lines.pop(2)
        lines.insert(9, moved)
        write_lines(self.log, lines)
        self.damaged(self.log, "reordered")

    def test_duplicate(self):
        lines = list(self.lines)
        lines.insert(5, lines[4])
        write_lines(self.log, lines)
        self.damaged(self.log, "reordered")

    def test_delete_in_the_middle(self):
        lines = list(self.lines)
        gone = lines.pop(6)
        write_lines(self.log, lines)
        out = self.damaged(self.log, "deleted", seq_of(gone) + 1)
        self.assertIn("1 record(s) deleted", out["message"])

    def test_delete_and_renumber_is_still_caught(self):
        lines = list(self.lines)
        lines.pop(6)
        prev = json.loads(lines[5])["hash"]
        for i in range(6, len(lines)):
            rec = json.loads(lines[i])
            rec["seq"] -= 1
            lines[i] = rehash(json.dumps(rec, separators=(",", ":")).encode(), prev)
            prev = json.loads(lines[i])["hash"]
        write_lines(self.log, lines)
        # without the key the rewritten chain is self-consistent, but LOG.head still names
        # the real final checkpoint: the rewrite does not contain it
        rc, out, _ = verify(self.log)
        self.assertEqual(rc, 1, out)
        self.assertIn(out["damage"], ("edited", "truncated"))

    def test_delete_the_beginning(self):
        write_lines(self.log, self.lines[3:])
        self.damaged(self.log, "deleted", 4)

    def test_truncate_whole_records(self):
        write_lines(self.log, self.lines[:-3])
        out = self.damaged(self.log, "truncated")
        self.assertIn("tail was deleted", out["message"])

    def test_truncate_mid_record(self):
        with open(self.log, "r+b") as f:
            f.truncate(os.path.getsize(self.log) - 40)
        self.damaged(self.log, "truncated")

    def test_truncate_and_remove_the_head_file_fails_strict(self):
        write_lines(self.log, self.lines[:-2])
        os.unlink(self.log + ".head")
        rc, out, _ = verify(self.log)
        self.assertEqual(rc, 0, out)  # a chain that stops: could be a crash ...
        self.assertFalse(out["sealed"])
        rc, out, _ = verify(self.log, "--strict")  # ... but not a clean close
        self.assertEqual(rc, 1, out)
        self.assertEqual(out["damage"], "truncated")

    def test_splice_records_of_another_log(self):
        other = self.record(os.path.join(self.tmpdir, "other.log"), calls=6)
        olines = read_lines(other)
        lines = list(self.lines)
        lines[5:5] = olines[5:7]
        write_lines(self.log, lines)
        rc, out, _ = verify(self.log)
        self.assertEqual(rc, 1, out)
        if "session" in json.loads(self.lines[0]):
            self.assertEqual(out["damage"], "spliced", out)
        else:
            self.assertIn(out["damage"], ("spliced", "edited", "reordered"), out)

    def test_another_log_appended_or_prepended_is_a_splice(self):
        other = self.record(os.path.join(self.tmpdir, "other.log"), calls=6)
        olines = read_lines(other)
        write_lines(self.log, self.lines + olines)
        out = self.damaged(self.log, "spliced", 1)
        self.assertEqual(out["line"], len(self.lines) + 1)
        write_lines(self.log, olines + self.lines)
        self.damaged(self.log, "spliced")

    def test_truncated_at_a_checkpoint_says_so(self):
        log = self.record(os.path.join(self.tmpdir, "cp.log"), calls=6,
                          opts=["--audit-checkpoint", "5"])
        lines = read_lines(log)
        i = max(i for i, l in enumerate(lines) if b'"final":false' in l)
        write_lines(log, lines[:i + 1])
        os.unlink(log + ".head")
        p = subprocess.run([SENTINEL, "verify", log], capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stdout)
        self.assertIn(b"ends with a checkpoint that is not a final one", p.stdout)

    def test_a_start_reusing_a_session_id_is_forged(self):
        """Every run mints its own session id: a later start that carries an earlier run's
        (a forged tail claiming to continue a sealed session) is a splice."""
        lines = list(self.lines)
        first = json.loads(lines[0])
        self.assertEqual(first["event"], "start")
        prev = json.loads(lines[-1])["hash"]
        forged = dict(first, seq=json.loads(lines[-1])["seq"] + 1, agent="alice")
        lines.append(rehash(json.dumps(forged, separators=(",", ":")).encode(), prev))
        write_lines(self.log, lines)
        os.unlink(self.log + ".head")
        out = self.damaged(self.log, "spliced", forged["seq"])
        self.assertIn("session id of an earlier run", out["message"])

    def test_garbage_line(self):
        lines = list(self.lines)
        lines.insert(4, b'{"seq":5,"event":"decision","hash":"x"}')
        write_lines(self.log, lines)
        self.damaged(self.log, "malformed")

    def test_duplicate_hash_member_is_refused(self):
        lines = list(self.lines)
        rec = lines[4]
        lines[4] = rec[:1] + b'"hash":"' + b"0" * 64 + b'",' + rec[1:]
        write_lines(self.log, lines)
        self.damaged(self.log, "malformed")

    def test_head_file_edited(self):
        with open(self.log + ".head", "rb") as f:
            head = f.read()
        with open(self.log + ".head", "wb") as f:
            f.write(head.replace(b'"final":true', b'"final":false'))
        rc, out, _ = verify(self.log)
        self.assertEqual(rc, 1, out)
        self.assertEqual(out["damage"], "edited")

    def test_unreadable_and_usage(self):
        rc, out, err = verify(os.path.join(self.tmpdir, "missing.log"))
        self.assertEqual(rc, 66, err)
        p = subprocess.run([SENTINEL, "verify"], capture_output=True)
        self.assertEqual(p.returncode, 64)
        p = subprocess.run([SENTINEL, "verify", "--bogus", self.log], capture_output=True)
        self.assertEqual(p.returncode, 64)


class TestSignatures(AuditCase):
    def signed(self, scheme, calls=30, opts=("--audit-checkpoint", "10")):
        key = self.keygen(scheme)
        log = self.record(os.path.join(self.tmpdir, "%s.log" % scheme), calls=calls,
                          opts=opts, key=key)
        return key, log

    def check_scheme(self, scheme):
        key, log = self.signed(scheme)
        lines = read_lines(log)
        cps = [json.loads(l) for l in lines if b'"event":"checkpoint"' in l]
        self.assertGreaterEqual(len(cps), 6)
        alg = "ed25519" if scheme == "ed25519" else "hmac-sha256"
        self.assertTrue(all(c["alg"] == alg and c["sig"] for c in cps))
        vkey = key + ".pub" if scheme == "ed25519" else key
        rc, out, _ = verify(log, "--key", vkey)
        self.assertEqual(rc, 0, out)
        self.assertEqual(out["signed_checkpoints"], len(cps))
        # a forged signature
        lines2 = list(lines)
        i = next(i for i, l in enumerate(lines2) if b'"event":"checkpoint"' in l)
        rec = json.loads(lines2[i])
        sig = rec["sig"]
        rec["sig"] = ("A" if sig[0] != "A" else "B") + sig[1:]
        lines2[i] = rehash(json.dumps(rec, separators=(",", ":")).encode())
        prev = json.loads(lines2[i])["hash"]
        for j in range(i + 1, len(lines2)):  # the attacker re-chains everything after it
            lines2[j] = rechain(lines2[j], prev)
            prev = json.loads(lines2[j])["hash"]
        write_lines(log, lines2)
        os.unlink(log + ".head")
        out = self.damaged(log, "bad_signature", rec["seq"], "--key", vkey)
        # without a key the same log still chains: signatures are what prove authorship
        rc, out, _ = verify(log)
        self.assertEqual(rc, 0, out)
        return key, log

    def test_hmac(self):
        self.check_scheme("hmac")

    def test_ed25519(self):
        self.check_scheme("ed25519")

    def test_a_mid_log_checkpoint_cannot_be_made_final(self):
        """The signature covers a checkpoint's reason and final flag: cutting a signed log at
        a mid-run checkpoint and calling it the final one of a clean close does not verify."""
        key, log = self.signed("ed25519", calls=25)
        lines = read_lines(log)
        i = next(i for i, l in enumerate(lines) if b'"reason":"count"' in l)
        rec = json.loads(lines[i])
        rec["final"] = True
        rec["reason"] = "close"
        cut = rehash(json.dumps(rec, separators=(",", ":")).encode())
        write_lines(log, lines[:i] + [cut])
        with open(log + ".head", "wb") as f:
            f.write(cut + b"\n")
        self.damaged(log, "bad_signature", rec["seq"], "--key", key + ".pub", "--strict")
        # only the flag flipped (the reason kept): the same
        rec["reason"] = "count"
        cut = rehash(json.dumps(rec, separators=(",", ":")).encode())
        write_lines(log, lines[:i] + [cut])
        with open(log + ".head", "wb") as f:
            f.write(cut + b"\n")
        self.damaged(log, "bad_signature", rec["seq"], "--key", key + ".pub")

    def test_wrong_key(self):
        key, log = self.signed("ed25519", calls=3)
        other = os.path.join(self.tmpdir, "other.key")
        p = subprocess.run([SENTINEL, "keygen", "--scheme", "ed25519", "--out", other],
                           capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        rc, out, _ = verify(log, "--key", other + ".pub")
        self.assertEqual(rc, 1, out)
        self.assertEqual(out["damage"], "bad_signature")
        # named at the log's first checkpoint, not at the head file
        first = next(json.loads(l) for l in read_lines(log) if b'"event":"checkpoint"' in l)
        self.assertEqual(out["file"], log)
        self.assertEqual(out["seq"], first["seq"])
        self.assertEqual(out["records"], first["seq"] - 1)

    def test_unsigned_rewrite_fails_with_a_key(self):
        """An attacker who rewrites the chain from some point cannot sign its checkpoints."""
        key, log = self.signed("hmac", calls=12)
        lines = read_lines(log)
        cut = 8
        rec = json.loads(lines[cut])
        rec.pop("session", None)
        lines[cut] = rehash(json.dumps(rec, separators=(",", ":")).encode())
        prev = json.loads(lines[cut])["hash"]
        for j in range(cut + 1, len(lines)):
            r = json.loads(lines[j])
            if r["event"] == "checkpoint":
                r = {k: v for k, v in r.items() if k not in ("sig", "kid")}
                r["alg"] = "none"
                r["head"] = prev
            lines[j] = rehash(json.dumps(r, separators=(",", ":")).encode(), prev)
            prev = json.loads(lines[j])["hash"]
        write_lines(log, lines)
        os.unlink(log + ".head")
        self.damaged(log, "bad_signature", None, "--key", key)

    def test_a_public_key_cannot_sign(self):
        key = self.keygen("ed25519")
        r = self.start(policy=ALLOW_ALL,
                       opts=["--audit", os.path.join(self.tmpdir, "x.log"), "--audit-key",
                             key + ".pub"])
        r.close_stdin()
        r.close_stdin()
        r.wait(10)
        err = r.stderr()
        r.finish(self, expect_status=64)
        self.assertIn("public key only verifies", err)

    def test_audit_key_needs_audit(self):
        key = self.keygen("hmac")
        r = self.start(policy=ALLOW_ALL, opts=["--audit-key", key])
        r.close_stdin()
        r.finish(self, expect_status=64)


class TestRotation(AuditCase):
    def test_rotation_carries_the_chain(self):
        log = os.path.join(self.tmpdir, "r.log")
        key = self.keygen("hmac")
        self.record(log, calls=40, opts=["--audit-rotate", "4K"], key=key)
        rotated = sorted((f for f in os.listdir(self.tmpdir) if f.startswith("r.log.")
                          and f[6:].isdigit()), key=lambda f: int(f[6:]))
        self.assertGreaterEqual(len(rotated), 3, os.listdir(self.tmpdir))
        for f in rotated:
            self.assertLess(os.path.getsize(os.path.join(self.tmpdir, f)), 4096 + 2048)
            last = json.loads(read_lines(os.path.join(self.tmpdir, f))[-1])
            self.assertEqual(last["event"], "checkpoint")
            self.assertEqual(last["reason"], "rotate")
        first = json.loads(read_lines(log)[0])
        self.assertEqual(first["event"], "rotated")
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual(rc, 0, out)
        self.assertEqual(out["files"], len(rotated) + 1)
        self.assertTrue(out["sealed"])
        # a rotated file in the middle goes missing
        os.unlink(os.path.join(self.tmpdir, rotated[1]))
        self.damaged(log, "deleted")

    def test_swapped_rotated_files_are_reordered(self):
        log = os.path.join(self.tmpdir, "sw.log")
        self.record(log, calls=40, opts=["--audit-rotate", "4K"])
        os.rename(log + ".1", log + ".x")
        os.rename(log + ".2", log + ".1")
        os.rename(log + ".x", log + ".2")
        out = self.damaged(log, "reordered")
        self.assertIn("seq 1 comes later", out["message"])

    def test_a_later_run_continues_after_rotation(self):
        log = os.path.join(self.tmpdir, "r2.log")
        self.record(log, calls=20, opts=["--audit-rotate", "4K"])
        self.record(log, calls=20, opts=["--audit-rotate", "4K"])
        rc, out, _ = verify(log)
        self.assertEqual(rc, 0, out)
        self.assertEqual(out["sessions"], 2)


class TestCrash(AuditCase):
    def test_sigkill_under_load_leaves_a_verifiable_log(self):
        log = os.path.join(self.tmpdir, "crash.log")
        key = self.keygen("hmac")
        r = self.start(policy=ALLOW_ALL, opts=["--audit", log, "--audit-key", key,
                                               "--audit-fsync", "always",
                                               "--audit-checkpoint", "50"])
        r.initialize()
        for i in range(400):  # pipelined: many decisions in flight when the kill lands
            r.send({"jsonrpc": "2.0", "id": 1000 + i, "method": "tools/call",
                    "params": {"name": "echo", "arguments": {"text": "x" * 200}}})
        for i in range(50):
            r.recv(timeout=10)
        os.kill(r.proc.pid, signal.SIGKILL)
        r.proc.wait(timeout=10)
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual(rc, 0, out)
        # what was written verifies; records still in memory at the kill (at most one
        # fdatasync's worth) are lost, and the log is not sealed
        self.assertGreaterEqual(out["records"], 1)
        self.assertFalse(out["sealed"])
        # the next run continues the chain, declaring a torn line if there was one
        self.record(log, calls=2, key=key)
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual(rc, 0, out)
        self.assertTrue(out["sealed"])

    def test_a_torn_line_is_declared_by_the_next_run(self):
        log = os.path.join(self.tmpdir, "torn.log")
        self.record(log, calls=2)
        with open(log, "ab") as f:
            f.write(b'{"seq":99,"time":"2026-')  # a write cut short by a crash
        rc, out, _ = verify(log)
        self.assertEqual(rc, 0, out)
        self.assertTrue(out["torn_tail"])
        self.record(log, calls=2)
        lines = read_lines(log)
        rec = [json.loads(l) for l in lines if l.startswith(b'{"') and l.endswith(b"}")
               and b'"event":"recovered"' in l]
        self.assertEqual(len(rec), 1)
        self.assertEqual(rec[0]["torn_bytes"], len(b'{"seq":99,"time":"2026-'))
        rc, out, _ = verify(log)
        self.assertEqual(rc, 0, out)
        self.assertEqual(rec[0]["torn_sha256"],
                         hashlib.sha256(b'{"seq":99,"time":"2026-').hexdigest())
        # the declaration must match: a different torn length is damage
        lines2 = [l.replace(b'"torn_bytes":23', b'"torn_bytes":24') for l in lines]
        write_lines(log, lines2)
        rc, out, _ = verify(log)
        self.assertEqual(rc, 1, out)
        # ... and so are other bytes of the same length in the torn line's place
        i = next(i for i, l in enumerate(lines) if l == b'{"seq":99,"time":"2026-')
        lines2 = list(lines)
        lines2[i] = b'{"seq":99,"time":"2027-'  # a tear's shape, other bytes
        write_lines(log, lines2)
        out = self.damaged(log, "edited")
        self.assertIn("not the torn line", out["message"])
        lines2[i] = b'{"tool":"wire_money"}  '[:23]  # a whole object: no tear at all
        self.assertEqual(len(lines2[i]), 23)
        write_lines(log, lines2)
        out = self.damaged(log, "malformed")
        self.assertIn("not a write torn by a crash", out["message"])


class TestLimits(AuditCase):
    def test_a_huge_line_is_refused_in_bounded_memory(self):
        """verify (and report, which runs it) stop at a line over 256 MiB without reading it
        whole: a 1 GiB sparse file without a newline costs about the limit, not the file."""
        log = os.path.join(self.tmpdir, "huge.log")
        with open(log, "wb") as f:
            f.truncate(1 << 30)
        probe = ("import resource, subprocess, sys; "
                 "p = subprocess.run(sys.argv[1:], capture_output=True); "
                 "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
                 "p.stdout.decode(errors='replace').splitlines()[:1])")
        env = dict(os.environ)  # (a sanitizer build: freed blocks are not kept for later)
        env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=0"
        for cmd in (["verify", log], ["report", "--out", log + ".md", log]):
            p = subprocess.run(["python3", "-c", probe, SENTINEL] + cmd, capture_output=True,
                               timeout=120, env=env)
            rc, kib = p.stdout.decode().split()[:2]
            self.assertEqual(int(rc), 1, p.stdout)
            self.assertLess(int(kib), 700 * 1024, (cmd, p.stdout))
        rc, out, _ = verify(log)
        self.assertEqual(out["damage"], "malformed")
        self.assertIn("longer than 256 MiB", out["message"])


class TestRecordTooLarge(AuditCase):
    def test_a_record_too_large_for_the_log_denies_its_call_and_the_log_goes_on(self):
        """With --audit-arguments a 40 MB call makes a decision record larger than the log
        takes: the call must not reach the server without it (commit or not), the denial is
        recorded on its own, and later calls are decided and recorded as usual."""
        for fsync in ("always", "commit"):
            with self.subTest(fsync=fsync):
                log = os.path.join(self.tmpdir, "big-%s.log" % fsync)
                rec = os.path.join(self.tmpdir, "srv-%s.jsonl" % fsync)
                r = self.start(server=FAKE + ["--record", rec], policy=ALLOW_ALL,
                               opts=["--audit", log, "--audit-arguments", "--audit-fsync", fsync,
                                     "--max-message", "100M"])
                r.initialize()
                m = r.call(2, "echo", {"text": "x" * (40 << 20)}, timeout=60)
                self.assertEqual(m["error"]["code"], -32000, str(m)[:300])
                self.assertIn("too large for the audit log", m["error"]["message"])
                self.assertIn("result", r.call(3, "echo", {"text": "small"}))
                r.finish(self, expect_status=0)
                with open(rec, "rb") as f:
                    self.assertNotIn(b'"id":2,', f.read())  # never reached the server
                rc, out, err = verify(log, "--strict")
                self.assertEqual(rc, 0, (out, err))
                events = [json.loads(x)["event"] for x in read_lines(log)]
                self.assertIn("decision_too_large", events)
                self.assertEqual(events.count("decision"), 1)  # call 3's


class TestResume(AuditCase):
    """A run continues a log only as far as it verifies it: from the checkpoint LOG.head names,
    every record after it re-checked, with the key when one is given."""

    def refused(self, log, needle, key=None):
        before = open(log, "rb").read() if os.path.exists(log) else None
        head = log + ".head"
        hbefore = open(head, "rb").read() if os.path.exists(head) else None
        o = ["--audit", log] + (["--audit-key", key] if key else [])
        r = self.start(policy=ALLOW_ALL, opts=o)
        r.close_stdin()
        r.wait(10)
        err = r.stderr()
        r.finish(self, expect_status=74)
        self.assertIn(needle, err)
        self.assertIn("sentinel verify", err)
        # nothing was added to the evidence, and the head still names what it named
        self.assertEqual(open(log, "rb").read() if os.path.exists(log) else None, before)
        self.assertEqual(open(head, "rb").read() if os.path.exists(head) else None, hbefore)
        return err

    def signed_log(self, calls=12):
        key = self.keygen("hmac")
        log = self.record(os.path.join(self.tmpdir, "s.log"), calls=calls, key=key,
                          opts=["--audit-checkpoint", "5"])
        return key, log

    def test_an_emptied_head_after_a_clean_close_is_refused(self):
        """An empty head marks a log without a checkpoint; a clean close writes its final
        checkpoint into the head and nothing empties it. Emptied after a closed run (to hide
        a later run, cut away), verify calls the log truncated and the next run refuses it; a
        missing head fails --strict."""
        key, log = self.signed_log(calls=6)
        one = len(read_lines(log))
        self.record(log, calls=6, key=key, opts=["--audit-checkpoint", "5"])
        lines = read_lines(log)
        # the second run cut after its first checkpoint ...
        cp2 = next(i for i in range(one, len(lines)) if b'"event":"checkpoint"' in lines[i])
        write_lines(log, lines[:cp2 + 1])
        with open(log + ".head", "wb"):
            pass  # ... and the head emptied
        rc, out, _ = verify(log)
        self.assertEqual((rc, out["damage"]), (1, "truncated"), out)
        self.assertEqual(out["head_file"], "empty")
        write_lines(log, lines)  # the whole log, the head emptied: still two runs' checkpoints
        self.refused(log, "its head file is empty", key=key)
        # a run that crashed before its head was written (no final checkpoint): not damage
        stop = next(i for i in range(one) if b'"event":"stop"' in lines[i])
        write_lines(log, lines[:stop])
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual(rc, 0, out)
        write_lines(log, lines[:one])
        os.unlink(log + ".head")
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual((rc, out["head_file"]), (0, "missing"), out)
        rc, out, _ = verify(log, "--key", key, "--strict")
        self.assertEqual(rc, 1, out)
        self.assertIn("no head file", out["message"])

    def test_an_idle_interval_log_is_synced_and_its_head_moves(self):
        """--audit-fsync interval: records a burst left unsynced are synced within a second
        even when nothing follows, and the head names their checkpoint; runs killed while
        idle leave a log that verifies and that the next run continues."""
        for every, calls in ((2, 3), (2, 4), (3, 4)):
            log = os.path.join(self.tmpdir, "i%d%d.log" % (every, calls))
            for _ in range(2):
                r = self.start(policy=ALLOW_ALL, opts=["--audit", log, "--audit-fsync",
                                                      "interval", "--audit-checkpoint",
                                                      str(every)])
                r.initialize()
                for i in range(calls):
                    self.assertIn("result", r.call(100 + i, "echo", {"text": "x"}))
                time.sleep(1.1)  # synced within a second; a loaded machine may be late
                deadline = time.monotonic() + 20
                while os.path.getsize(log + ".head") == 0 and time.monotonic() < deadline:
                    time.sleep(0.05)
                self.assertGreater(os.path.getsize(log + ".head"), 0, (every, calls))
                os.kill(r.proc.pid, signal.SIGKILL)
                r.proc.wait(timeout=10)
            rc, out, _ = verify(log)
            self.assertEqual(rc, 0, out)
            self.record(log, calls=1)  # continued

    def test_a_rewritten_chain_is_not_signed_over(self):
        """Checkpoints dropped, the chain renumbered and re-hashed: the next run refuses."""
        key, log = self.signed_log()
        lines = [l for l in read_lines(log) if b'"event":"checkpoint"' not in l]
        lines = [l.replace(b"call 3", b"call 9") for l in lines]
        prev = "0" * 64
        for j, l in enumerate(lines):
            r = json.loads(l)
            r["seq"] = j + 1
            lines[j] = rehash(json.dumps(r, separators=(",", ":")).encode(), prev)
            prev = json.loads(lines[j])["hash"]
        write_lines(log, lines)
        self.refused(log, "does not hold the checkpoint its head file names", key)
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual(rc, 1, out)
        # unsigned records far past the run's checkpoint interval, or the head's checkpoint gone
        self.assertIn(out["damage"], ("bad_signature", "truncated"), out)
        os.unlink(log + ".head")
        self.damaged(log, "bad_signature", 8, "--key", key)  # past 5 + 2 records unsigned

    def test_a_deleted_tail_is_not_signed_over(self):
        key, log = self.signed_log()
        lines = read_lines(log)
        cps = [i for i, l in enumerate(lines) if b'"event":"checkpoint"' in l]
        write_lines(log, lines[:cps[-2] + 1])  # cut back to an earlier (signed) checkpoint
        self.refused(log, "does not hold the checkpoint its head file names", key)

    def test_a_tail_cut_to_a_checkpoint_stays_visible_after_the_next_run(self):
        """Cut back to a mid-run (signed, not final) checkpoint with the head pointed at it,
        the log looks like a crash right after that checkpoint. The next run continues it, but
        says so in a "recovered" record, and --strict fails for a run that ended without its
        final checkpoint whichever way (red-team round 8)."""
        key, log = self.signed_log()
        lines = read_lines(log)
        cps = [i for i, l in enumerate(lines) if b'"event":"checkpoint"' in l]
        write_lines(log, lines[:cps[1] + 1])
        with open(log + ".head", "wb") as f:
            f.write(lines[cps[1]] + b"\n")
        rc, out, _ = verify(log, "--strict", "--key", key)
        self.assertEqual(rc, 1, out)
        self.record(log, calls=1, key=key, opts=["--audit-checkpoint", "5"])
        rec = [json.loads(l) for l in read_lines(log) if b'"event":"recovered"' in l]
        self.assertEqual([(r.get("unclean"), r.get("after_seq")) for r in rec],
                         [(True, json.loads(lines[cps[1]])["seq"])])
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual((rc, out["unclean_ends"]), (0, 1), out)
        rc, out, _ = verify(log, "--strict", "--key", key)
        self.assertEqual((rc, out["damage"]), (1, "truncated"), out)
        self.assertIn("ended without their final checkpoint", out["message"])
        p = subprocess.run([SENTINEL, "report", "--strict", "--key", key, log],
                           capture_output=True, timeout=60)
        self.assertNotEqual(p.returncode, 0)

    def test_a_whole_object_without_a_newline_is_no_torn_write(self):
        """A tear leaves a prefix of a writer's line, which never parses: a complete JSON
        object appended without its newline (a forged decision without a hash) is damage, and
        the next run refuses to declare it torn (red-team round 8)."""
        key, log = self.signed_log(calls=3)
        lines = read_lines(log)
        fake = json.loads(lines[1])
        fake.pop("prev", None)
        fake.pop("hash", None)
        fake.update({"tool": "http_post", "request_id": 77})
        write_lines(log, lines + [json.dumps(fake, separators=(",", ":")).encode()], tail=b"")
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual((rc, out["damage"]), (1, "malformed"), out)
        self.refused(log, "neither a record nor a write torn by a crash", key)
        # a real tear (a prefix of a record) is still one
        write_lines(log, lines + [lines[2][:40]], tail=b"")
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual((rc, out["torn_tail"]), (0, True), out)

    def test_a_fifo_as_head_is_refused_without_hanging(self):
        """A FIFO planted as LOG.head would block a reader in open(): verify and run refuse it
        at once (red-team round 8)."""
        key, log = self.signed_log(calls=2)
        os.unlink(log + ".head")
        os.mkfifo(log + ".head", 0o600)
        rc, out, _ = verify(log, "--key", key)  # (verify's timeout is 60 s)
        self.assertEqual((rc, out["damage"]), (1, "malformed"), out)
        self.assertIn("not a regular file", out["message"])
        r = self.start(policy=ALLOW_ALL, opts=["--audit", log, "--audit-key", key])
        r.close_stdin()
        r.wait(10)
        err = r.stderr()
        r.finish(self, expect_status=74)
        self.assertIn("not a regular file", err)

    def test_the_final_checkpoints_own_fields_are_covered(self):
        """The last line has nothing chained after it: its time is signed (v3), and a member
        the writer never writes is refused, so neither can be changed without the key (red-team
        round 8: the report's period was moved to 2099)."""
        key, log = self.signed_log(calls=3)
        lines = read_lines(log)
        rc, out, _ = verify(log, "--strict", "--key", key)
        self.assertEqual((rc, out.get("v2_checkpoints")), (0, None), out)
        for change in ('"time":"2099-', None):
            rec = json.loads(lines[-1])
            if change:
                rec["time"] = "2099" + rec["time"][4:]
            else:
                rec["note"] = "operator: no incidents"
            forged = rehash(json.dumps(rec, separators=(",", ":")).encode())
            write_lines(log, lines[:-1] + [forged])
            with open(log + ".head", "wb") as f:
                f.write(forged + b"\n")
            rc, out, _ = verify(log, "--strict", "--key", key)
            self.assertEqual(rc, 1, out)
            self.assertEqual(out["damage"], "bad_signature" if change else "edited", out)

    def test_a_deleted_log_or_head_is_not_restarted(self):
        key, log = self.signed_log(calls=3)
        os.rename(log, log + ".saved")
        open(log, "wb").close()  # (a refused run leaves at most an empty file)
        self.refused(log, "is empty, but its head file names checkpoint", key)
        os.unlink(log)
        os.rename(log + ".saved", log)
        os.unlink(log + ".head")
        self.refused(log, "has no head file", key)

    def test_an_edited_unsealed_record_is_refused(self):
        """Records after the head's checkpoint are re-verified, not trusted."""
        key, log = self.signed_log(calls=3)
        lines = read_lines(log)
        fake = json.loads(lines[-1])
        extra = {"session": fake["session"], "seq": fake["seq"] + 1, "time": fake["time"],
                 "event": "decision", "tool": "wire_money", "effect": "allow"}
        body = json.dumps(extra, separators=(",", ":"))[:-1] + ',"prev":"%s"' % fake["hash"]
        forged = (body + ',"hash":"%s"}' % ("0" * 64)).encode()  # a hash that does not hold
        write_lines(log, lines + [forged])
        self.refused(log, "was edited", key)

    def test_records_appended_to_a_closed_run_are_refused(self):
        """A correctly hashed record appended after the final checkpoint of a clean close: no
        writer leaves one there (a new run begins with its start), a forger does. verify calls
        it a splice, and the next run refuses to sign over it; so does a record that carries
        another run's session id."""
        key, log = self.signed_log(calls=3)
        lines = read_lines(log)
        last = json.loads(lines[-1])
        extra = {"session": last["session"], "seq": last["seq"] + 1, "time": last["time"],
                 "event": "decision", "tool": "wire_money", "effect": "allow"}
        body = json.dumps(extra, separators=(",", ":"))[:-1] + ',"prev":"%s"' % last["hash"]
        write_lines(log, lines + [(body + ',"hash":"%s"}' %
                                   hashlib.sha256(body.encode()).hexdigest()).encode()])
        out = self.damaged(log, "spliced", last["seq"] + 1, "--key", key)
        self.assertIn("appended to a closed run", out["message"])
        self.refused(log, "appended to a closed run", key=key)
        # a second run, then a record of the first run's session after the second's start
        write_lines(log, lines)
        self.record(log, calls=1, key=key)
        lines = read_lines(log)
        first = json.loads(lines[0])["session"]
        i = next(i for i, l in enumerate(lines) if i > 0 and b'"event":"start"' in l)
        rec = json.loads(lines[i + 1])
        rec["session"] = first
        lines[i + 1] = rehash(json.dumps(rec, separators=(",", ":")).encode())
        prev = json.loads(lines[i + 1])["hash"]
        for j in range(i + 2, len(lines)):
            lines[j] = rechain(lines[j], prev)
            prev = json.loads(lines[j])["hash"]
        write_lines(log, lines)
        out = self.damaged(log, "spliced", rec["seq"])
        self.assertIn("session id of another run", out["message"])

    def test_a_signed_log_needs_its_runs_to_state_their_checkpoint_interval(self):
        """A forged run start without "checkpoint_every" would bind its records by no
        checkpoint at all: with a key, verify refuses it."""
        key, log = self.signed_log(calls=1)
        lines = read_lines(log)
        prev = json.loads(lines[-1])["hash"]
        seq = json.loads(lines[-1])["seq"]
        sess = "v1.forged.run"  # a session id of its own (reusing one is a splice)
        for rec in ([{"event": "start", "run_id": "f", "audit_signed": True}] +
                    [{"event": "decision", "tool": "exfiltrate", "effect": "allow"}] * 30):
            seq += 1
            body = json.dumps(dict({"session": sess, "seq": seq, "time": "2026-11-22T19:00:00Z"},
                                   **rec), separators=(",", ":"))[:-1] + ',"prev":"%s"' % prev
            prev = hashlib.sha256(body.encode()).hexdigest()
            lines.append((body + ',"hash":"%s"}' % prev).encode())
        write_lines(log, lines)
        out = self.damaged(log, "bad_signature", None, "--key", key)
        self.assertIn("checkpoint_every", out["message"])

    def test_a_long_last_record_is_continued(self):
        """A crash after a record over 256 KiB: the next run reads back as far as it needs."""
        log = self.record(os.path.join(self.tmpdir, "big.log"), calls=0,
                          opts=["--audit-arguments"])
        r = self.start(policy=ALLOW_ALL, opts=["--audit", log, "--audit-arguments"])
        r.initialize()
        self.assertIn("result", r.call(7, "echo", {"text": "A" * 400000}))
        r.finish(self, expect_status=0)
        lines = read_lines(log)
        i = next(i for i, l in enumerate(lines) if len(l) > 300000)
        cps = [j for j in range(i) if b'"event":"checkpoint"' in lines[j]]
        write_lines(log, lines[:i + 1])  # the crash: nothing after the long record
        with open(log + ".head", "wb") as f:
            f.write(lines[cps[-1]] + b"\n")
        self.record(log, calls=1)
        rc, out, _ = verify(log)
        self.assertEqual(rc, 0, out)
        self.assertGreaterEqual(out["declared_unsealed"], 1)

    def test_a_signed_log_needs_its_key(self):
        key, log = self.signed_log(calls=2)
        err = self.refused(log, "is signed")  # no key: its new checkpoints could never verify
        self.assertIn("continued only with its key", err)
        self.assertIn("sentinel verify --key KEY", err)
        self.assertNotIn("does not verify", err)  # the checkpoint is fine; the key is missing
        other = os.path.join(self.tmpdir, "other.key")
        subprocess.run([SENTINEL, "keygen", "--scheme", "hmac", "--out", other],
                       capture_output=True, timeout=30, check=True)
        self.refused(log, "not among the keys given", other)
        unsigned = self.record(os.path.join(self.tmpdir, "u.log"), calls=1)
        err = self.refused(unsigned, "is unsigned: the log was written without a key", key)
        self.assertNotIn("not written by a holder of the key", err)  # no tampering implied

    def test_a_head_checkpoint_without_its_log_is_refused(self):
        """The prefix up to and including the head's checkpoint deleted: the first record
        links to the head, but no rotated file ends with it, so this is not a rotation."""
        key, log = self.signed_log()
        lines = read_lines(log)
        cps = [i for i, l in enumerate(lines) if b'"event":"checkpoint"' in l]
        write_lines(log, lines[cps[-2] + 1:])
        with open(log + ".head", "wb") as f:
            f.write(lines[cps[-2]] + b"\n")
        self.refused(log, "does not hold the checkpoint its head file names", key)

    def test_a_second_copy_of_the_head_line_is_refused(self):
        """Garbage before a copy of the head's line: the last copy must not hide it."""
        key, log = self.signed_log(calls=3)
        lines = read_lines(log)
        write_lines(log, lines + [b'{"event":"decision","tool":"wire_money"}', lines[-1]])
        self.refused(log, "more than once", key)

    def test_a_whole_last_record_that_does_not_verify_is_refused(self):
        """A record-shaped last line without its newline is not a torn write: if it does not
        chain on, verify and the next run both call it damage (never a declared tear)."""
        key, log = self.signed_log(calls=3)
        lines = read_lines(log)
        last = json.loads(lines[-1])
        deep = "x"
        for _ in range(70):  # deeper than the old 64-level parsers, within --max-depth
            deep = [deep]
        fake = {"session": last.get("session", ""), "seq": last["seq"] + 1,
                "time": last["time"], "event": "decision", "tool": "wire_money",
                "agent": "mallory", "effect": "allow", "pad": deep, "prev": last["hash"]}
        forged = json.dumps(fake, separators=(",", ":"))[:-1] + ',"hash":"%s"}' % ("ab" * 32)
        write_lines(log, lines + [forged.encode()], tail=b"")
        out = self.damaged(log, "edited", None, "--key", key)
        self.assertIn("without its newline", out["message"])
        self.refused(log, "is a whole record", key)

    def test_verify_and_the_run_read_the_head_file_alike(self):
        """A head file that is a symlink, holds two lines or is cut short: the run refuses it,
        saying why, and verify calls it malformed too (it used to follow it, or read one line)."""
        key, log = self.signed_log(calls=2)
        head = log + ".head"
        good = open(head, "rb").read()
        real = os.path.join(self.tmpdir, "real.head")
        with open(real, "wb") as f:
            f.write(good)
        cases = (("symlink", lambda: (os.unlink(head), os.symlink(real, head)),
                  "is a symbolic link"),
                 ("twice", lambda: open(head, "wb").write(good + good),
                  "more than one line"),
                 ("cut", lambda: open(head, "wb").write(good[:100]), "cut short"))
        for name, mangle, needle in cases:
            with self.subTest(name):
                os.unlink(head)
                with open(head, "wb") as f:
                    f.write(good)
                mangle()
                self.refused(log, needle, key)
                self.damaged(log, "malformed", None, "--key", key)
        os.unlink(head)
        with open(head, "wb") as f:
            f.write(good)
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual(rc, 0, out)

    def test_a_deleted_log_is_not_recreated_by_a_refusal(self):
        key, log = self.signed_log(calls=2)
        os.unlink(log)
        self.refused(log, "its head file names checkpoint", key)
        self.assertFalse(os.path.exists(log))
        rc, out, _ = verify(log, "--key", key)
        self.assertIn("the log was deleted", out["message"] if out else "")

    def test_records_nested_deep_verify_and_resume(self):
        """Arguments nested deeper than 64 levels (run allows --max-depth up to 10000): verify
        and the next run after a crash parse them as deep as run wrote them."""
        log = os.path.join(self.tmpdir, "deep.log")
        deep = "x"
        for _ in range(90):
            deep = [deep]
        r = self.start(policy=ALLOW_ALL, opts=["--audit", log, "--audit-arguments"])
        r.initialize()
        self.assertIn("result", r.call(7, "echo", {"text": "x", "deep": deep}))
        r.finish(self, expect_status=0)
        rc, out, _ = verify(log)
        self.assertEqual(rc, 0, out)
        lines = read_lines(log)
        i = max(i for i, l in enumerate(lines) if b'"event":"decision"' in l)
        cps = [j for j in range(i) if b'"event":"checkpoint"' in lines[j]]
        write_lines(log, lines[:i + 1])  # the crash: nothing after the deep record
        if cps:
            with open(log + ".head", "wb") as f:
                f.write(lines[cps[-1]] + b"\n")
        else:
            open(log + ".head", "wb").close()
        self.record(log, calls=1, opts=["--audit-arguments"])
        rc, out, _ = verify(log)
        self.assertEqual(rc, 0, out)

    def test_a_crash_before_the_first_checkpoint_resumes(self):
        """A new log starts with an empty head file; a crash before the first checkpoint
        leaves records no checkpoint covers, which the next run re-verifies and declares."""
        log = os.path.join(self.tmpdir, "early.log")
        key = self.keygen("hmac")
        r = self.start(policy=ALLOW_ALL, opts=["--audit", log, "--audit-key", key,
                                               "--audit-fsync", "always"])
        r.initialize()
        for i in range(3):
            self.assertIn("result", r.call(10 + i, "echo", {"text": "x"}))
        time.sleep(0.2)  # the records reach the file; the first checkpoint is 1 s away
        os.kill(r.proc.pid, signal.SIGKILL)
        r.proc.wait(timeout=10)
        lines = read_lines(log)
        cps = [i for i, l in enumerate(lines) if b'"event":"checkpoint"' in l]
        if not cps:  # (on a slow machine the first checkpoint may have come first)
            self.assertEqual(os.path.getsize(log + ".head"), 0)
        n = len(lines) - (cps[-1] + 1 if cps else 0)
        self.assertGreaterEqual(n, 1, lines)
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual(rc, 0, out)
        self.record(log, calls=1, key=key)
        rec = [json.loads(l) for l in read_lines(log) if b'"event":"recovered"' in l]
        self.assertEqual(rec[0]["unsealed"], n)
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual(rc, 0, out)
        self.assertEqual(out["declared_unsealed"], n)
        self.assertEqual(out["sessions"], 2)

    def test_a_rotation_cut_short_is_finished(self):
        """A crash between link(LOG, LOG.n) and unlink(LOG) of a rotation (a file system
        without an atomic no-replace rename) leaves two names for one file: verify reads it
        once, and the next run finishes the rotation instead of writing into LOG.n."""
        log = os.path.join(self.tmpdir, "lc.log")
        key = self.keygen("hmac")
        self.record(log, calls=8, key=key, opts=["--audit-rotate", "4K"])
        n = max(int(f[7:]) for f in os.listdir(self.tmpdir)
                if f.startswith("lc.log.") and f[7:].isdigit())
        rotated = "%s.%d" % (log, n)
        os.unlink(log)
        with open(log + ".head", "wb") as f:  # the head names the checkpoint ending LOG.n
            f.write(read_lines(rotated)[-1] + b"\n")
        os.link(rotated, log)
        before = open(rotated, "rb").read()
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual(rc, 0, out)
        p = subprocess.run([SENTINEL, "report", "--key", key, log], capture_output=True,
                           timeout=60)  # reads the file once too
        self.assertEqual(p.returncode, 0, p.stderr)
        self.record(log, calls=1, key=key, opts=["--audit-rotate", "4K"])
        self.assertEqual(open(rotated, "rb").read(), before)
        self.assertNotEqual(os.stat(log).st_ino, os.stat(rotated).st_ino)
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual(rc, 0, out)
        self.assertTrue(out["sealed"])
        self.assertEqual(out["sessions"], 2)

    def test_a_rotation_right_after_the_recovered_record_verifies_and_resumes(self):
        """A crash leaves the log just under the rotation size: the next run's "recovered"
        record fills it, so the rotation ("rotate" checkpoint, then "rotated" in the new file)
        comes before that run's "start". The writer's own sequence verifies with the key, and
        a crash of that run before its first checkpoint is continued too."""
        key = self.keygen("hmac")
        log = self.record(os.path.join(self.tmpdir, "rr.log"), calls=12, key=key,
                          opts=["--audit-checkpoint", "5"])
        lines = read_lines(log)
        cps = [i for i, l in enumerate(lines) if b'"event":"checkpoint"' in l]
        write_lines(log, lines[:cps[-2] + 3])  # a crash: two records after a checkpoint
        with open(log + ".head", "wb") as f:
            f.write(lines[cps[-2]] + b"\n")
        rotate = ["--audit-rotate", str(os.path.getsize(log) + 1)]
        self.record(log, calls=1, key=key, opts=rotate)
        old = [json.loads(l) for l in read_lines(log + ".1")]
        self.assertEqual([r["event"] for r in old[-2:]], ["recovered", "checkpoint"])
        self.assertEqual(old[-1]["reason"], "rotate")
        new = read_lines(log)
        self.assertEqual([json.loads(l)["event"] for l in new[:2]], ["rotated", "start"])
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual(rc, 0, out)
        self.assertEqual(out["declared_unsealed"], 2)
        # that run crashed before its first checkpoint: the next one continues the log
        write_lines(log, new[:2])
        with open(log + ".head", "wb") as f:
            f.write(read_lines(log + ".1")[-1] + b"\n")
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual(rc, 0, out)
        self.record(log, calls=1, key=key, opts=rotate)
        rec = [json.loads(l) for l in read_lines(log) if b'"event":"recovered"' in l]
        self.assertEqual(rec[-1]["unsealed"], 2)
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual(rc, 0, out)
        self.assertTrue(out["sealed"])
        # the exception is the one "rotated" record a rotation writes, nothing more
        lines = read_lines(log)
        i = next(i for i, l in enumerate(lines) if b'"event":"start"' in l)
        extra = json.loads(lines[0])
        forged = rehash(json.dumps(dict(extra, seq=extra["seq"] + 1, event="decision",
                                        prev=extra["hash"], hash=""),
                                   separators=(",", ":")).encode())
        rest = [forged]
        prev = json.loads(forged)["hash"]
        for l in lines[i:i + 1]:
            r = json.loads(l)
            r["seq"] += 1
            rest.append(rechain(json.dumps(r, separators=(",", ":")).encode(), prev))
        write_lines(log, lines[:1] + rest)
        self.damaged(log, "bad_signature", None, "--key", key)

    def test_a_torn_record_right_after_a_checkpoint_is_declared(self):
        """The first record after a checkpoint torn: the next run's "recovered" record
        declares only the torn line (no unsealed records), and its start is not forged."""
        log = os.path.join(self.tmpdir, "tc.log")
        key = self.keygen("hmac")
        self.record(log, calls=2, key=key)
        last = json.loads(read_lines(log)[-1])
        with open(log, "ab") as f:
            f.write(('{"session":"%s","seq":%d,"time":"2026-' % (last.get("session", ""),
                                                              last["seq"] + 1)).encode())
        self.record(log, calls=1, key=key)
        rec = [json.loads(l) for l in read_lines(log) if b'"event":"recovered"' in l]
        self.assertEqual(len(rec), 1)
        self.assertNotIn("unsealed", rec[0])
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual(rc, 0, out)
        # a declaration without "unsealed" declares none: with records before it, damage
        lines = read_lines(log)
        i = next(i for i, l in enumerate(lines) if b'"event":"recovered"' in l)
        body = json.loads(lines[i])
        forged = {"session": body.get("session", ""), "seq": body["seq"],
                  "time": body["time"], "event": "decision", "tool": "x", "effect": "allow"}
        ins = rehash(json.dumps(dict(forged, prev=body["prev"], hash=""),
                                separators=(",", ":")).encode())
        rest = [ins]
        prev = json.loads(ins)["hash"]
        for l in lines[i:]:
            r = json.loads(l)
            r["seq"] += 1
            nl = rechain(json.dumps(r, separators=(",", ":")).encode(), prev)
            rest.append(nl)
            prev = json.loads(nl)["hash"]
        write_lines(log, lines[:i] + rest)
        rc, out, _ = verify(log, "--key", key)
        self.assertEqual(rc, 1, out)


class TestFailure(AuditCase):
    def test_fail_open_serves_on(self):
        r = self.start(policy=ALLOW_ALL, opts=["--audit", "/dev/full", "--audit-failure", "open"])
        r.initialize()
        time.sleep(0.2)
        for i in range(3):
            m = r.call(10 + i, "echo", {"text": "x"})
            self.assertIn("result", m, m)
        r.close_stdin()
        r.close_stdin()
        r.wait(10)
        err = r.stderr()
        r.finish(self, expect_status=74)  # the evidence is incomplete: no clean exit
        self.assertIn("serving on without it", err)

    def test_fail_closed_is_the_default(self):
        r = self.start(policy=ALLOW_ALL, opts=["--audit", "/dev/full"])
        r.initialize()
        deadline = time.monotonic() + 20  # the write fails in the log's job, not the loop
        while "cannot be written" not in r.stderr() and time.monotonic() < deadline:
            time.sleep(0.05)
        r.call(10, "echo", {"text": "x"})
        m = r.call(11, "echo", {"text": "x"})
        self.assertIn("error", m)
        self.assertIn("audit log cannot be written", m["error"]["message"])
        r.close_stdin()
        r.wait(10)
        err = r.stderr()
        r.finish(self, expect_status=74)  # a supervisor sees it too (red-team round 8)
        # the operator is told too, once
        self.assertEqual(err.count("the audit log /dev/full cannot be written"), 1, err)
        self.assertIn("failing closed", err)

    def test_a_failed_log_says_how_many_records_it_lost(self):
        """A log that cannot be written (a full disk) loses the records appended before the
        failure that no write completed; stderr says so at once, with their number, and (but
        with commit) that calls among them may have run without a decision record on disk."""
        for fsync, may_have_run in (("always", True), ("commit", False)):
            r = self.start(policy=ALLOW_ALL, opts=["--audit", "/dev/full", "--audit-fsync",
                                                   fsync])
            r.initialize()
            deadline = time.monotonic() + 10
            while "cannot be written" not in r.stderr() and time.monotonic() < deadline:
                time.sleep(0.05)  # said when the write fails, not at the next call
            err = r.stderr()
            self.assertIn("failing closed: every call from now on is denied; up to ", err)
            self.assertIn(" record(s) appended before the failure are not in it", err)
            self.assertEqual("may have run without a decision record" in err, may_have_run, err)
            m = r.call(1, "echo", {"text": "x"})
            self.assertIn("error", m)
            r.close_stdin()
            r.wait()
            self.assertEqual(r.stderr().count("cannot be written"), 1)  # once
            r.finish(self)

    def test_a_deleted_log_fails_closed(self):
        """Records written into a file no longer at the log's path reach no reader: the next
        checkpoint notices, and calls are denied from then on."""
        for replace in (False, True):
            log = os.path.join(self.tmpdir, "live%d.log" % replace)
            r = self.start(policy=ALLOW_ALL, opts=["--audit", log])
            r.initialize()
            self.assertIn("result", r.call(10, "echo", {"text": "x"}))
            os.unlink(log)
            if replace:
                with open(log, "w") as f:
                    f.write("")
            # the interval checkpoint (1 s) checks the file is still the log; a loaded
            # machine may run it late, so ask until it has (calls before it are served)
            deadline, i = time.monotonic() + 20, 11
            time.sleep(1.2)
            m = r.call(i, "echo", {"text": "x"})
            while "error" not in m and time.monotonic() < deadline:
                time.sleep(0.1)
                i += 1
                m = r.call(i, "echo", {"text": "x"})
            self.assertIn("error", m)
            self.assertIn("audit log cannot be written", m["error"]["message"])
            r.close_stdin()
            r.wait(10)
            err = r.stderr()
            r.finish(self)
            self.assertIn("failing closed", err)

    def test_a_second_name_for_the_log_is_refused(self):
        """The one-writer lock holds for the file, whatever name (symlink, hard link) it has."""
        log = os.path.join(self.tmpdir, "a.log")
        first = self.start(policy=ALLOW_ALL, opts=["--audit", log])
        first.initialize()
        self.assertIn("result", first.call(5, "echo", {"text": "x"}))
        for name, make in (("b.log", os.symlink), ("c.log", os.link)):
            other = os.path.join(self.tmpdir, name)
            make(log, other)
            second = self.start(policy=ALLOW_ALL, opts=["--audit", other])
            second.close_stdin()
            second.wait(10)
            err = second.stderr()
            second.finish(self, expect_status=74)
            self.assertIn("being written by another sentinel", err)
        first.finish(self, expect_status=0)
        rc, out, _ = verify(log)
        self.assertEqual(rc, 0, out)

    def test_the_head_temporary_is_never_followed(self):
        log = os.path.join(self.tmpdir, "h.log")
        victim = os.path.join(self.tmpdir, "victim.txt")
        with open(victim, "w") as f:
            f.write("keep me")
        os.symlink(victim, log + ".head.tmp")
        self.record(log, calls=1)
        with open(victim) as f:
            self.assertEqual(f.read(), "keep me")
        self.assertFalse(os.path.islink(log + ".head.tmp"))
        rc, out, _ = verify(log, "--strict")
        self.assertEqual(rc, 0, out)

    def test_audit_options_need_a_log(self):
        """An audit option without --audit is refused, never ignored: whoever gave it expects
        a log (fsync, rotation, arguments, key, checkpoints, failure mode alike)."""
        key = os.path.join(self.tmpdir, "k")
        for opts in (["--audit-fsync", "commit"], ["--audit-rotate", "4K"],
                     ["--audit-arguments"], ["--audit-key", key], ["--audit-checkpoint", "5"],
                     ["--audit-failure", "open"]):
            with self.subTest(opts=opts):
                p = subprocess.run([SENTINEL, "run", "--policy", ALLOW_ALL] + opts + ["--"] + FAKE,
                                   stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                   timeout=20)
                self.assertEqual(p.returncode, 64, p.stderr)
                self.assertEqual(p.stderr, "sentinel run: %s applies to the audit log: it needs "
                                           "--audit FILE\n" % opts[0])

    def test_bad_options(self):
        for opts in (["--audit-failure", "maybe"], ["--audit-rotate", "10"],
                     ["--audit-checkpoint", "0"]):
            r = self.start(policy=ALLOW_ALL, opts=["--audit", os.path.join(self.tmpdir, "o.log")]
                           + opts)
            r.close_stdin()
            r.finish(self, expect_status=64)


class TestCommitGate(AuditCase):
    def test_no_call_reaches_the_server_before_its_decision_is_written(self):
        """--audit-fsync commit: a call goes to the server only once its decision record is
        written (and synced). The log is a FIFO whose reader stalls, so records stop leaving
        after 64 KiB; then sentinel is killed. Every call the server saw must be in the log."""
        fifo = os.path.join(self.tmpdir, "gate.fifo")
        rec = os.path.join(self.tmpdir, "server.rec")
        os.mkfifo(fifo, 0o600)
        rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        try:
            r = self.start(server=FAKE + ["--record", rec], policy=ALLOW_ALL,
                           opts=["--audit", fifo, "--audit-fsync", "commit"])
            r.initialize()
            n = 400
            for i in range(n):
                r.send({"jsonrpc": "2.0", "id": 7000 + i, "method": "tools/call",
                        "params": {"name": "echo", "arguments": {"text": "z" * 300}}})
            answered = 0
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                try:
                    r.recv(timeout=0.2)
                    answered += 1
                except Exception:
                    pass
            self.assertLess(answered, n)  # the stalled log held calls back
            os.kill(r.proc.pid, signal.SIGKILL)
            r.proc.wait(timeout=10)
            got = bytearray()
            while True:
                try:
                    b = os.read(rfd, 1 << 16)
                except BlockingIOError:
                    break
                if not b:
                    break
                got.extend(b)
        finally:
            os.close(rfd)
        logged = set()
        for line in bytes(got).split(b"\n"):
            if line.startswith(b"{") and line.endswith(b"}"):
                x = json.loads(line)
                if x.get("event") == "decision":
                    logged.add(x.get("request_id"))
        seen = set()
        with open(rec, "rb") as f:
            for line in f:
                x = json.loads(line)
                if x.get("method") == "tools/call":
                    seen.add(x["id"])
        self.assertGreater(len(seen), 0)
        self.assertLess(len(seen), n)
        self.assertEqual(seen - logged, set(), "the server ran calls the log does not hold")

    def test_commit_on_a_file(self):
        """With a regular file every call still completes, one at a time and pipelined, and the
        log verifies; the start record says fsync commit."""
        log = os.path.join(self.tmpdir, "commit.log")
        r = self.start(policy=ALLOW_ALL, opts=["--audit", log, "--audit-fsync", "commit"])
        r.initialize()
        for i in range(20):
            self.assertIn("result", r.call(100 + i, "echo", {"text": "one %d" % i}))
        for i in range(300):
            r.send({"jsonrpc": "2.0", "id": 500 + i, "method": "tools/call",
                    "params": {"name": "echo", "arguments": {"text": "p %d" % i}}})
        ids = {r.recv(timeout=20)["id"] for _ in range(300)}
        self.assertEqual(ids, set(range(500, 800)))
        r.close_stdin()
        r.finish(self, expect_status=0)
        rc, out, _ = verify(log, "--strict")
        self.assertEqual(rc, 0, out)
        start = json.loads(read_lines(log)[0])
        self.assertEqual(start["fsync"], "commit")

    def test_a_policy_can_demand_commit(self):
        log = os.path.join(self.tmpdir, "pcommit.log")
        pol = self.write_policy("version: 1\ndefault: allow\naudit: {fsync: commit}\n")
        r = self.start(policy=pol, opts=["--audit", log, "--audit-fsync", "never"])
        r.initialize()
        self.assertIn("result", r.call(1, "echo", {"text": "x"}))
        r.close_stdin()
        r.finish(self, expect_status=0)
        self.assertEqual(json.loads(read_lines(log)[0])["fsync"], "commit")
        p = subprocess.run([SENTINEL, "check", pol], capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        bad = self.write_policy("version: 1\ndefault: allow\naudit: {fsync: sometimes}\n")
        p = subprocess.run([SENTINEL, "check", bad], capture_output=True, timeout=30)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(b"commit, always, interval or never", p.stderr + p.stdout)

    def test_the_gate_fails_closed_with_the_log(self):
        """Calls waiting at the gate when the log fails are answered with the error, not sent."""
        rec = os.path.join(self.tmpdir, "server.rec")
        r = self.start(server=FAKE + ["--record", rec], policy=ALLOW_ALL,
                       opts=["--audit", "/dev/full", "--audit-fsync", "commit"])
        r.initialize()
        for i in range(20):
            r.send({"jsonrpc": "2.0", "id": 9000 + i, "method": "tools/call",
                    "params": {"name": "echo", "arguments": {"text": "q"}}})
        for i in range(20):
            m = r.recv(timeout=10)
            self.assertIn("error", m, m)
            self.assertIn("audit log cannot be written", m["error"]["message"])
        r.close_stdin()
        r.finish(self)
        with open(rec, "rb") as f:
            calls = [l for l in f if b'"tools/call"' in l]
        self.assertEqual(calls, [])


class TestBackpressure(AuditCase):
    def test_a_stalled_log_slows_the_client_and_loses_nothing(self):
        """A log that cannot keep up (here: a FIFO nobody reads for two seconds) holds new
        requests back once 16 MiB of records wait; it neither fails closed nor drops one."""
        fifo = os.path.join(self.tmpdir, "slow.fifo")
        os.mkfifo(fifo, 0o600)
        rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # sentinel's open must not wait
        got = bytearray()

        def drain():
            os.set_blocking(rfd, True)
            while True:
                b = os.read(rfd, 1 << 16)
                if not b:
                    break
                got.extend(b)

        reader = threading.Timer(2.0, drain)
        reader.start()
        try:
            r = self.start(policy=ALLOW_ALL, opts=["--audit", fifo, "--audit-arguments",
                                                   "--audit-fsync", "always"])
            r.initialize()
            # > 26 MB of records: past the 16 MiB high water; fewer calls than the in-flight
            # limit (4,096), which a slow server would otherwise reach
            n, text = 4000, "y" * 6000
            t0 = time.monotonic()
            for i in range(n):
                r.send({"jsonrpc": "2.0", "id": 5000 + i, "method": "tools/call",
                        "params": {"name": "echo", "arguments": {"text": text}}})
            seen = set()
            for _ in range(n):
                m = r.recv(timeout=60)
                self.assertIn("result", m, str(m)[:300])
                seen.add(m["id"])
            self.assertEqual(len(seen), n)
            self.assertGreater(time.monotonic() - t0, 1.5)  # it waited for the reader
            r.close_stdin()
            r.finish(self, expect_status=0, timeout=60)
        finally:
            reader.join(120)
            os.close(rfd)
        lines = bytes(got).split(b"\n")
        self.assertEqual(lines[-1], b"")
        recs = [json.loads(l) for l in lines[:-1]]
        dec = [x for x in recs if x["event"] == "decision" and x.get("tool") == "echo"]
        res = [x for x in recs if x["event"] == "result"]
        self.assertEqual(len(dec), n)
        self.assertEqual(len(res), n)
        self.assertEqual([x["seq"] for x in recs], list(range(1, len(recs) + 1)))
        self.assertTrue(recs[-1]["event"] == "checkpoint" and recs[-1]["final"])
        for x in dec[:50]:
            want = hashlib.sha256(json.dumps(x["arguments"], separators=(",", ":")).encode())
            self.assertEqual(x["args_digest"], "sha256:" + want.hexdigest())

    def test_denied_calls_wait_within_the_high_water_in_log_bytes(self):
        """A client writing calls without waiting, past the in-flight limit: each excess call
        is denied at once (-32006) and recorded. With the log stalled, the client is paused
        once 16 MiB of log waits (what a crash could lose), counted in the lines the records
        become, and within one read of the client, not a loop iteration's 32."""
        fifo = os.path.join(self.tmpdir, "deny.fifo")
        os.mkfifo(fifo, 0o600)
        rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        r = self.start(policy=ALLOW_ALL, opts=["--audit", fifo, "--max-pending", "1"])
        try:
            r.initialize()
            calls = b"".join(b'{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":'
                             b'{"name":"echo","arguments":{}}}\n' % i
                             for i in range(1000, 301000))

            def flood():
                try:
                    r.send_raw(calls)
                except (BrokenPipeError, ValueError, OSError):
                    pass  # killed below

            writer = threading.Thread(target=flood, daemon=True)
            writer.start()
            last = 0
            while True:  # replies until the client is paused
                try:
                    line = r.lines.get(timeout=1.5)
                except Exception:
                    break
                self.assertIsNotNone(line, r.stderr())
                last = max(last, json.loads(line).get("id", 0))
            self.assertGreater(last, 1000)
            self.assertLess(last, 300999)  # paused before it read everything
            # what waited: the log up to the decision on the last call answered
            os.set_blocking(rfd, True)
            got, mark = bytearray(), b'"request_id":%d,' % last
            while mark not in got[-(1 << 17):]:
                b = os.read(rfd, 1 << 16)
                self.assertTrue(b)
                got.extend(b)
            waited = len(got)
            self.assertGreater(waited, 8 << 20)
            self.assertLess(waited, (16 << 20) + (3 << 20), "log bytes waiting when paused")
        finally:
            r.kill()
            os.close(rfd)

    def test_a_servers_own_messages_do_not_fill_the_log_past_its_bound(self):
        """Notifications the server sends of its own accord, each one recorded (a scan finds a
        token in it), with the log stalled: sentinel stops reading the server once twice the
        high water waits, so memory stays bounded and nothing fails closed."""
        fifo = os.path.join(self.tmpdir, "notes.fifo")
        os.mkfifo(fifo, 0o600)
        rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        pol = self.write_policy("version: 1\ndefault: allow\ntaint: {scan_results: true}\n")
        sock = os.path.join(self.tmpdir, "ctl.sock")
        r = self.start(policy=pol, opts=["--audit", fifo, "--control", sock])
        try:
            r.initialize()
            r.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                    "params": {"name": "log_flood", "arguments": {
                        "count": 400000, "text": "token ghp_Q3wE5rT7yU9iO1pA2sD4fG6hJ8kL0zX1cV3b"}}})
            time.sleep(8)
            self.assertIsNone(r.proc.poll(), r.stderr())
            p = subprocess.run([SENTINEL, "ctl", "--socket", sock, "status", "--json"],
                               capture_output=True, timeout=30)
            waiting = json.loads(p.stdout)["audit"]["unwritten"]
            # 32 MiB of log at ~450 bytes a record, with room: the flood is 400,000 records
            self.assertLess(waiting, 120000, "records waiting for the stalled log")
            self.assertNotIn("failing closed", r.stderr())
        finally:
            r.kill()
            os.close(rfd)

    def test_a_log_that_writes_nothing_does_not_hold_the_exit(self):
        """A FIFO log whose reader stopped: the client leaves and sentinel stops, waits 5 s
        for the log to move, then says so and exits 74 instead of never exiting."""
        fifo = os.path.join(self.tmpdir, "stuck.fifo")
        os.mkfifo(fifo, 0o600)
        rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # opened, never read
        pol = self.write_policy("version: 1\ndefault: allow\ntaint: {scan_results: true}\n")
        r = self.start(policy=pol, opts=["--audit", fifo])
        try:
            r.initialize()
            r.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                    "params": {"name": "log_flood", "arguments": {
                        "count": 20000, "text": "token ghp_Q3wE5rT7yU9iO1pA2sD4fG6hJ8kL0zX1cV3b"}}})
            time.sleep(2)  # the pipe is full: the log writes nothing more
            t0 = time.time()
            r.close_stdin()
            st = r.wait(30)
            self.assertEqual(st, 74, r.stderr())
            self.assertLess(time.time() - t0, 20)
            self.assertIn("has written nothing for 5 s", r.stderr())
        finally:
            r.kill()
            os.close(rfd)

    def test_a_server_flood_with_a_stalled_log_does_not_fail_closed(self):
        """Server->client requests are policed and recorded too: a server flooding them while
        the log stalls gets at most the in-flight limit through (the paused client answers
        none, sentinel refuses the rest itself); nothing fails closed, every answered request
        is in the log, and calls keep being served once the log drains."""
        fifo = os.path.join(self.tmpdir, "flood.fifo")
        os.mkfifo(fifo, 0o600)
        rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        lines = [0]

        def drain():
            os.set_blocking(rfd, True)
            while True:
                b = os.read(rfd, 1 << 16)
                if not b:
                    break
                lines[0] += b.count(b"\n")

        reader = threading.Timer(2.0, drain)
        reader.start()
        n = 30000
        try:
            r = self.start(policy=ALLOW_ALL, opts=["--audit", fifo])
            r.initialize()
            r.send({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                    "params": {"name": "flood", "arguments": {"count": n}}})
            answered, done = 0, None
            while done is None:
                m = r.recv(timeout=60)
                if "method" in m and "id" in m:
                    r.send_raw(b'{"jsonrpc":"2.0","id":%d,"result":{"role":"assistant",'
                               b'"content":{"type":"text","text":"ok"},"model":"m"}}\n'
                               % m["id"])
                    answered += 1
                elif m.get("id") == 1:
                    done = m
                else:
                    self.fail(str(m)[:300])
            self.assertIn("result", done, str(done)[:300])
            self.assertGreater(answered, 0)
            self.assertIn("result", r.call(2, "echo", {"text": "still serving"}, timeout=60))
            r.close_stdin()
            r.finish(self, expect_status=0, timeout=120)
        finally:
            reader.join(60)
            os.close(rfd)
        self.assertGreater(lines[0], answered)


if __name__ == "__main__":
    unittest.main()
