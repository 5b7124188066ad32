"""Signed agent identity and session ids through the real binary: `sentinel keygen`, `sentinel
token`, `sentinel session mint|verify`, and `sentinel run --agent-token/--trust-key` feeding the
policy's agents:/roles: rules. Every rejection exits 64 with a clear message and never starts
the server. HMAC tokens and session ids are also written and checked here in Python from the
documented format (docs/keys.md), as another implementation would."""
import base64
import hashlib
import hmac
import json
import os
import stat
import subprocess
import time
import unittest

from harness import Case, SENTINEL, FAKE, SANITIZER_MARKS

DENIED = -32001

POLICY = """\
version: 1
default: deny
rules:
  - {id: admins-write, effect: allow, tools: [write_file], roles: [admin]}
  - {id: bots-read, effect: allow, tools: [read_file], agents: ["bot-*"]}
  - {id: anyone-echo, effect: allow, tools: [echo]}
"""


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def read_key(path):
    """(type, kid, raw bytes) of the first key line of a key file."""
    with open(path) as f:
        for line in f:
            if line.strip() and not line.lstrip().startswith("#"):
                magic, ver, typ, kid, key = line.split()
                assert (magic, ver) == ("sentinel-key", "v1")
                return typ, kid, unb64(key)
    raise AssertionError("no key in " + path)


def hmac_token(secret, kid, claims, alg="hmac-sha256", prefix="st1"):
    """An agent token written from docs/keys.md with the standard library."""
    header = json.dumps({"alg": alg, "kid": kid}, separators=(",", ":")).encode()
    body = json.dumps(claims, separators=(",", ":")).encode()
    signing_input = "%s.%s.%s" % (prefix, b64(header), b64(body))
    sig = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64(sig)


def claims(sub="bot-1", roles=("admin",), aud="sentinel", iat=None, exp=None, **extra):
    now = int(time.time())
    c = {"sub": sub, "roles": list(roles), "aud": aud,
         "iat": now if iat is None else iat, "exp": (now + 600) if exp is None else exp,
         "jti": b64(os.urandom(16))}
    c.update(extra)
    return c


class IdentityCase(Case):
    def cli(self, *args, env=None, code=None):
        out = subprocess.run([SENTINEL] + list(args), capture_output=True, text=True,
                             timeout=60, env=env, stdin=subprocess.DEVNULL)
        for mark in SANITIZER_MARKS:
            self.assertNotIn(mark.decode(), out.stderr)
        if code is not None:
            self.assertEqual(out.returncode, code, "sentinel %s\nstdout: %s\nstderr: %s"
                             % (" ".join(args), out.stdout, out.stderr))
        return out

    def path(self, name):
        return os.path.join(self.tmpdir, name)

    def keygen(self, scheme, name, kid=None):
        args = ["keygen", "--scheme", scheme, "--out", self.path(name)]
        if kid:
            args += ["--kid", kid]
        out = self.cli(*args, code=0)
        return self.path(name), out.stdout.strip()

    def token(self, scheme, key, *extra):
        out = self.cli("token", "--scheme", scheme, "--key", key, *extra, code=0)
        tok = out.stdout.strip()
        self.assertRegex(tok, r"^st1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
        return tok

    def refused(self, opts, what, env=None, code=64):
        """`sentinel run` with these options must exit `code` (64 usage, 66 a key file that
        cannot be used) naming `what`, without starting the server (which would leave a mark
        file)."""
        mark = self.path("server-started")
        server = ["sh", "-c", 'touch "$0"; exec "$@"', mark] + FAKE
        e = dict(os.environ if env is None else env)
        if env is None:
            e.pop("SENTINEL_AGENT_TOKEN", None)
        out = subprocess.run([SENTINEL, "run", "--policy", self.policy] + list(opts) + ["--"]
                             + server, capture_output=True, text=True, timeout=60,
                             stdin=subprocess.DEVNULL, env=e)
        for m in SANITIZER_MARKS:
            self.assertNotIn(m.decode(), out.stderr)
        self.assertEqual(out.returncode, code, out.stderr)
        self.assertIn(what, out.stderr)
        self.assertFalse(os.path.exists(mark), "the server was started")
        return out.stderr

    def setUp(self):
        super().setUp()
        self.policy = self.write_policy(POLICY)


class Keygen(IdentityCase):
    def test_hmac(self):
        path, kid = self.keygen("hmac", "dev.key", kid="dev-1")
        self.assertEqual(kid, "dev-1")
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        typ, kid2, raw = read_key(path)
        self.assertEqual((typ, kid2, len(raw)), ("hmac-sha256", "dev-1", 32))
        with open(path) as f:
            before = f.read()
        self.assertRegex(before, r"(?m)^sentinel-key v1 hmac-sha256 dev-1 [A-Za-z0-9_-]{43}$")
        # never overwritten
        out = self.cli("keygen", "--scheme", "hmac", "--out", path, code=73)
        self.assertIn("refusing to overwrite", out.stderr)
        with open(path) as f:
            self.assertEqual(f.read(), before)

    def test_ed25519(self):
        path, kid = self.keygen("ed25519", "prod.key")
        self.assertRegex(kid, r"^[0-9a-f]{16}$")
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(path + ".pub").st_mode), 0o644)
        self.assertEqual(read_key(path)[:2], ("ed25519-secret", kid))
        typ, kid2, pk = read_key(path + ".pub")
        self.assertEqual((typ, kid2, len(pk)), ("ed25519-public", kid, 32))
        # an existing .pub: nothing is written
        other = self.path("other.key")
        open(other + ".pub", "w").close()
        out = self.cli("keygen", "--scheme", "ed25519", "--out", other, code=73)
        self.assertIn("other.key.pub", out.stderr)
        self.assertFalse(os.path.exists(other))

    def test_usage(self):
        self.cli("keygen", "--scheme", "hmac", code=64)
        self.cli("keygen", "--scheme", "rsa", "--out", self.path("x"), code=64)
        self.cli("keygen", "--scheme", "hmac", "--kid", "a/b", "--out", self.path("x"), code=64)
        self.cli("keygen", "--scheme", "hmac", "--kid", "x" * 33, "--out", self.path("x"),
                 code=64)
        self.assertFalse(os.path.exists(self.path("x")))


class TokenCli(IdentityCase):
    def test_format_and_defaults(self):
        key, kid = self.keygen("ed25519", "k")
        before = int(time.time())
        tok = self.token("ed25519", key, "--agent", "bot-1", "--role", "admin",
                         "--role", "ops,audit")
        _, h, c, s = tok.split(".")
        self.assertEqual(json.loads(unb64(h)), {"alg": "ed25519", "kid": kid})
        body = json.loads(unb64(c))
        self.assertEqual(list(body), ["sub", "roles", "aud", "iat", "exp", "jti"])
        self.assertEqual(body["sub"], "bot-1")
        self.assertEqual(body["roles"], ["admin", "ops", "audit"])
        self.assertEqual(body["aud"], "sentinel")
        self.assertGreaterEqual(body["iat"], before)
        self.assertEqual(body["exp"] - body["iat"], 3600)
        self.assertEqual(len(unb64(body["jti"])), 16)
        self.assertEqual(len(unb64(s)), 64)
        for ttl, secs in (("30m", 1800), ("7d", 604800), ("90s", 90), ("120", 120),
                          ("30d", 2592000)):
            tok = self.token("ed25519", key, "--agent", "a", "--ttl", ttl, "--audience", "x")
            body = json.loads(unb64(tok.split(".")[2]))
            self.assertEqual((body["exp"] - body["iat"], body["aud"]), (secs, "x"))

    def test_hmac_matches_python(self):
        """An HMAC token from the CLI verifies with Python's hmac from the documented format."""
        key, kid = self.keygen("hmac", "h", kid="h-1")
        tok = self.token("hmac", key, "--agent", "agent-7")
        _, _, secret = read_key(key)
        signing_input, sig = tok.rsplit(".", 1)
        self.assertEqual(unb64(sig), hmac.new(secret, signing_input.encode(),
                                              hashlib.sha256).digest())
        self.assertEqual(json.loads(unb64(tok.split(".")[1])), {"alg": "hmac-sha256",
                                                                 "kid": "h-1"})

    def test_refusals(self):
        ed, _ = self.keygen("ed25519", "k")
        hm, _ = self.keygen("hmac", "h")
        out = self.cli("token", "--scheme", "hmac", "--key", ed, "--agent", "a", code=64)
        self.assertIn("is ed25519-secret", out.stderr)
        out = self.cli("token", "--scheme", "ed25519", "--key", ed + ".pub", "--agent", "a",
                       code=64)
        self.assertIn("public key", out.stderr)
        self.cli("token", "--scheme", "hmac", "--key", hm, "--agent", "a", "--ttl", "31d",
                 code=64)
        self.cli("token", "--scheme", "hmac", "--key", hm, "--agent", "a", "--ttl", "0", code=64)
        self.cli("token", "--scheme", "hmac", "--key", hm, "--agent", "a", "--ttl", "1w", code=64)
        self.cli("token", "--scheme", "hmac", "--key", hm, "--agent", "a,b", code=64)
        self.cli("token", "--scheme", "hmac", "--key", hm, "--agent", "a", "--role", "r,r",
                 code=64)
        self.cli("token", "--scheme", "hmac", "--key", hm, code=64)
        roles = ",".join("r%d" % i for i in range(17))
        self.cli("token", "--scheme", "hmac", "--key", hm, "--agent", "a", "--role", roles,
                 code=64)
        self.cli("token", "--scheme", "hmac", "--key", self.path("missing"), "--agent", "a",
                 code=66)
        os.chmod(hm, 0o644)
        out = self.cli("token", "--scheme", "hmac", "--key", hm, "--agent", "a", code=66)
        self.assertIn("mode 0644", out.stderr)
        with open(self.path("bad.key"), "w") as f:
            f.write("sentinel-key v1 hmac-sha256 k1 AAAA\n")
        os.chmod(self.path("bad.key"), 0o600)
        out = self.cli("token", "--scheme", "hmac", "--key", self.path("bad.key"), "--agent",
                       "a", code=66)
        self.assertIn("bad.key:1: wrong key length: 3 bytes", out.stderr)


class RunWithToken(IdentityCase):
    def run_calls(self, opts, env=None, audit=None):
        """Start run with opts; return the rule (or 'allowed') of write_file, read_file."""
        if audit:
            opts = list(opts) + ["--audit", audit]
        e = dict(os.environ)
        e.pop("SENTINEL_AGENT_TOKEN", None)
        e.update(env or {})
        r = self.start(policy=self.policy, opts=opts, env=e)
        r.initialize()
        got = []
        for i, tool in enumerate(("write_file", "read_file", "echo")):
            m = r.call(10 + i, tool, {"path": "x", "text": "y"})
            got.append(m["error"]["data"]["rule"] if "error" in m else "allowed")
        r.finish(self, expect_status=0)
        return got

    def test_ed25519_roles_reach_the_policy(self):
        key, kid = self.keygen("ed25519", "k")
        admin = self.token("ed25519", key, "--agent", "bot-1", "--role", "admin")
        reader = self.token("ed25519", key, "--agent", "human-1", "--role", "reader")
        audit = self.path("audit.jsonl")
        got = self.run_calls(["--agent-token", admin, "--trust-key", key + ".pub", "-v"],
                             audit=audit)
        self.assertEqual(got, ["allowed", "allowed", "allowed"])
        got = self.run_calls(["--agent-token", reader, "--trust-key", key + ".pub"])
        self.assertEqual(got, ["default", "default", "allowed"])
        # the identity is the token's, recorded with each decision
        with open(audit) as f:
            recs = [json.loads(line) for line in f if line.strip()]
        decided = [r for r in recs if r.get("tool") == "write_file"]
        self.assertTrue(decided, recs)
        self.assertEqual(decided[0].get("agent"), "bot-1")
        self.assertEqual(decided[0].get("roles"), ["admin"])

    def test_hmac_from_env_not_inherited(self):
        key, _ = self.keygen("hmac", "h")
        tok = self.token("hmac", key, "--agent", "bot-9", "--role", "admin")
        seen = self.path("server-env")
        e = dict(os.environ, SENTINEL_AGENT_TOKEN=tok)
        r = self.start(policy=self.policy, opts=["--trust-key", key], env=e,
                       server=["sh", "-c", 'printenv SENTINEL_AGENT_TOKEN > "$0"; exec "$@"',
                               seen] + FAKE)
        r.initialize()
        self.assertIn("result", r.call(1, "write_file", {"path": "x", "text": "y"}))
        self.assertIn("result", r.call(2, "read_file", {"path": "x"}))
        r.finish(self, expect_status=0)
        with open(seen) as f:
            self.assertEqual(f.read(), "", "the server inherited the agent token")

    def test_python_minted_hmac_token(self):
        """A token written by another implementation from docs/keys.md is accepted."""
        key, kid = self.keygen("hmac", "h", kid="py")
        _, _, secret = read_key(key)
        tok = hmac_token(secret, kid, claims(sub="bot-py", roles=["reader"]))
        got = self.run_calls(["--agent-token", tok, "--trust-key", key])
        self.assertEqual(got, ["default", "allowed", "allowed"])

    def test_audience(self):
        key, _ = self.keygen("ed25519", "k")
        tok = self.token("ed25519", key, "--agent", "bot-1", "--role", "admin", "--audience",
                         "billing")
        got = self.run_calls(["--agent-token", tok, "--trust-key", key + ".pub",
                              "--token-audience", "billing"])
        self.assertEqual(got, ["allowed", "allowed", "allowed"])
        self.refused(["--agent-token", tok, "--trust-key", key + ".pub"],
                     "agent token rejected: meant for audience 'billing', not 'sentinel'")

    def test_rejections(self):
        ed, edkid = self.keygen("ed25519", "k")
        hm, hmkid = self.keygen("hmac", "h", kid="h1")
        _, _, secret = read_key(hm)
        _, _, pk = read_key(ed + ".pub")
        now = int(time.time())
        good = self.token("ed25519", ed, "--agent", "bot-1", "--role", "admin")
        pub = ed + ".pub"
        # expired, future, not-before, too long, wrong audience
        self.refused(["--agent-token", hmac_token(secret, hmkid, claims(iat=now - 7200,
                                                                        exp=now - 3600)),
                      "--trust-key", hm], "agent token rejected: expired at ")
        self.refused(["--agent-token", hmac_token(secret, hmkid, claims(iat=now + 3600,
                                                                        exp=now + 7200)),
                      "--trust-key", hm], "agent token rejected: issued in the future")
        self.refused(["--agent-token", hmac_token(secret, hmkid, claims(nbf=now + 300)),
                      "--trust-key", hm], "agent token rejected: not valid before")
        self.refused(["--agent-token", hmac_token(secret, hmkid, claims(exp=now + 31 * 86400)),
                      "--trust-key", hm], "lifetime")
        self.refused(["--agent-token", hmac_token(secret, hmkid, claims(aud="elsewhere")),
                      "--trust-key", hm], "meant for audience 'elsewhere'")
        self.refused(["--agent-token", hmac_token(secret, hmkid, claims(sub="a,b")),
                      "--trust-key", hm], "claim \"sub\" is not valid")
        self.refused(["--agent-token", hmac_token(secret, hmkid, claims(admin=True)),
                      "--trust-key", hm], "unknown member")
        self.refused(["--agent-token", hmac_token(secret, hmkid, claims(), prefix="st2"),
                      "--trust-key", hm], "version 'st2'")
        self.refused(["--agent-token", hmac_token(secret, "nobody", claims()),
                      "--trust-key", hm], "unknown key 'nobody'")
        # tampered: one character of the claims, and a forged signature
        parts = good.split(".")
        body = json.loads(unb64(parts[2]))
        body["roles"] = ["admin", "root"]
        forged = ".".join(parts[:2] + [b64(json.dumps(body, separators=(",", ":")).encode()),
                                       parts[3]])
        self.refused(["--agent-token", forged, "--trust-key", pub], "signature does not verify")
        flipped = good[:-2] + ("A" if good[-2] != "A" else "B") + good[-1]
        self.refused(["--agent-token", flipped, "--trust-key", pub], "agent token rejected")
        self.refused(["--agent-token", "not-a-token", "--trust-key", pub],
                     "agent token rejected: not a sentinel agent token")
        # downgrade: HMAC keyed with the Ed25519 public key, to an ed25519-pinned interceptor
        confused = hmac_token(pk, edkid, claims(), alg="hmac-sha256")
        self.refused(["--agent-token", confused, "--trust-key", pub],
                     "token alg 'hmac-sha256' is not the pinned ed25519 (downgrade refused)")
        self.refused(["--agent-token", hmac_token(pk, edkid, claims(), alg="none"),
                      "--trust-key", pub], "not the pinned ed25519")
        # and the mirror: an Ed25519 token to an hmac-pinned one
        self.refused(["--agent-token", good, "--trust-key", hm],
                     "token alg 'ed25519' is not the pinned hmac-sha256 (downgrade refused)")
        # a key of another owner under the same id
        other, _ = self.keygen("ed25519", "other", kid=edkid)
        self.refused(["--agent-token", good, "--trust-key", other + ".pub"],
                     "signature does not verify")

    def test_a_refused_identity_is_recorded(self):
        """A run refused at start leaves evidence: a "refused" record (the reason, the token's
        source, the policy's hash, never the token) in a log that verifies, signed like a
        run's, which the next run continues and the report counts."""
        ed, _ = self.keygen("ed25519", "k")
        signer, _ = self.keygen("ed25519", "audit")
        log = self.path("audit.jsonl")
        tok = self.token("ed25519", ed, "--agent", "bot-1")
        bad = tok[:-2] + ("A" if tok[-2] != "A" else "B") + tok[-1]
        keyed = ["--audit", log, "--audit-key", signer]
        self.refused(["--agent-token", bad, "--trust-key", ed + ".pub"] + keyed,
                     "agent token rejected")
        e = dict(os.environ, SENTINEL_AGENT_TOKEN="st1.x.y.z")
        self.refused(["--trust-key", ed + ".pub"] + keyed, "agent token (SENTINEL_AGENT_TOKEN) "
                     "rejected", env=e)
        self.run_calls(["--agent-token", tok, "--trust-key", ed + ".pub", "--audit-key", signer],
                       audit=log)  # a run between refusals continues the same log
        self.policy = self.write_policy(REQUIRE_TOKEN)
        self.refused(["--agent", "bot-1"] + keyed, "requires a verified agent identity")
        with open(log) as f:
            text = f.read()
        recs = [json.loads(l) for l in text.splitlines()]
        ref = [x for x in recs if x["event"] == "refused"]
        self.assertEqual([x.get("token_source") for x in ref],
                         ["--agent-token", "SENTINEL_AGENT_TOKEN", None], ref)
        self.assertIn("signature does not verify", ref[0]["reason"])
        self.assertIn("identity.require: token", ref[2]["reason"])
        self.assertTrue(all(x["policy_hash"].startswith("sha256:") and "session" not in x
                            for x in ref), ref)
        self.assertNotIn(bad.split(".")[3], text)  # the token itself is never recorded
        self.assertNotIn("st1.x.y.z", text)
        out = self.cli("verify", "--strict", "--key", signer + ".pub", log, code=0)
        self.assertIn("intact", out.stdout)
        out = self.cli("report", log, code=0)
        self.assertIn("3 run(s) refused at start", out.stdout)

    def test_configuration_errors(self):
        ed, _ = self.keygen("ed25519", "k")
        pub = ed + ".pub"
        tok = self.token("ed25519", ed, "--agent", "bot-1", "--role", "admin")
        self.refused(["--agent-token", tok], "needs --trust-key FILE")
        env = dict(os.environ, SENTINEL_AGENT_TOKEN=tok)
        self.refused([], "an agent token (SENTINEL_AGENT_TOKEN) needs --trust-key", env=env)
        self.refused(["--trust-key", pub], "an agent token is required")
        self.refused(["--agent-token", tok, "--trust-key", pub, "--agent", "bot-2"],
                     "cannot be combined with an agent token")
        self.refused(["--agent-token", tok, "--trust-key", pub, "--role", "root"],
                     "cannot be combined with an agent token")
        self.refused(["--agent-token", tok, "--trust-key", self.path("missing")], "--trust-key",
                     code=66)
        self.refused(["--token-audience", "x"], "--token-audience")
        # an asserted id or role is held to the same rules as a token's claims: it is shown
        # in logs and on terminals (a bidi override used to pass on the command line)
        self.refused(["--agent", "ad\u202emin"], "--agent 'ad?min' is not valid: it holds "
                     "U+202E (byte 3), a control, bidi or invisible character")
        self.refused(["--agent", "bot", "--role", "adm\u200bin"], "--role 'adm?in' is not "
                     "valid: it holds U+200B")
        self.refused(["--server-id", "s,1"], "holds a comma")
        env = dict(os.environ, SENTINEL_AGENT_TOKEN=tok[:-3])
        self.refused(["--trust-key", pub], "agent token (SENTINEL_AGENT_TOKEN) rejected", env=env)
        # the flag wins over the environment
        env = dict(os.environ, SENTINEL_AGENT_TOKEN="garbage")
        e = dict(env)
        r = self.start(policy=self.policy, opts=["--agent-token", tok, "--trust-key", pub],
                       env=e)
        r.initialize()
        self.assertIn("result", r.call(1, "write_file", {"path": "x", "text": "y"}))
        r.finish(self, expect_status=0)
        # a trust key file mixing schemes pins nothing
        hm, _ = self.keygen("hmac", "h")
        mixed = self.path("mixed.keys")
        with open(mixed, "w") as f, open(pub) as p, open(hm) as h:
            f.write(p.read() + h.read())
        os.chmod(mixed, 0o600)
        self.refused(["--agent-token", tok, "--trust-key", mixed], "mixes hmac-sha256 and ed25519")
        # a secret trust key readable by others
        os.chmod(hm, 0o644)
        self.refused(["--agent-token", tok, "--trust-key", hm], "mode 0644", code=66)

    def test_session_key(self):
        hm, _ = self.keygen("hmac", "s")
        ed, _ = self.keygen("ed25519", "k")
        r = self.start(policy=self.policy, opts=["--session-key", hm])
        r.initialize()
        r.finish(self, expect_status=0)
        self.refused(["--session-key", ed], "session ids need an hmac-sha256 key")
        self.refused(["--session-key", self.path("missing")], "--session-key", code=66)
        os.chmod(hm, 0o640)
        self.refused(["--session-key", hm], "mode 0640", code=66)


class SessionCli(IdentityCase):
    def test_mint_verify(self):
        key, kid = self.keygen("hmac", "s", kid="sess-1")
        before = int(time.time())
        sid = self.cli("session", "mint", "--key", key, code=0).stdout.strip()
        self.assertRegex(sid, r"^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$")
        self.assertLessEqual(len(sid), 256)
        out = self.cli("session", "verify", "--key", key, sid, code=0)
        self.assertRegex(out.stdout, r"^valid: key sess-1, issued \S+Z, expires \S+Z\n$")
        # the documented layout, checked in Python
        _, payload, mac = sid.split(".")
        _, _, secret = read_key(key)
        self.assertEqual(unb64(mac), hmac.new(secret, ("v1." + payload).encode(),
                                              hashlib.sha256).digest())
        p = unb64(payload)
        iat, exp = int.from_bytes(p[16:24], "big"), int.from_bytes(p[24:32], "big")
        # (time(2) reads the coarse clock: it may trail Python's by a tick across a second)
        self.assertTrue(before - 1 <= iat <= before + 5, (before, iat))
        self.assertEqual(exp - iat, 86400)
        self.assertEqual(p[32], len(kid))
        self.assertEqual(p[33:].decode(), kid)
        ttl = self.cli("session", "mint", "--key", key, "--ttl", "5m", code=0).stdout.strip()
        p = unb64(ttl.split(".")[1])
        self.assertEqual(int.from_bytes(p[24:32], "big") - int.from_bytes(p[16:24], "big"), 300)

    def test_rejections(self):
        key, _ = self.keygen("hmac", "s", kid="sess-1")
        sid = self.cli("session", "mint", "--key", key, code=0).stdout.strip()
        # one MAC character flipped
        i = len(sid) - 5
        bad = sid[:i] + ("A" if sid[i] != "A" else "B") + sid[i + 1:]
        out = self.cli("session", "verify", "--key", key, bad, code=1)
        self.assertIn("invalid: session id MAC does not verify", out.stderr)
        # one payload character flipped (a nonce byte)
        bad = sid[:5] + ("A" if sid[5] != "A" else "B") + sid[6:]
        out = self.cli("session", "verify", "--key", key, bad, code=1)
        self.assertIn("MAC does not verify", out.stderr)
        # a foreign key of the same id, and an unknown id
        other, _ = self.keygen("hmac", "o", kid="sess-1")
        out = self.cli("session", "verify", "--key", other, sid, code=1)
        self.assertIn("MAC does not verify", out.stderr)
        third, _ = self.keygen("hmac", "t", kid="sess-3")
        out = self.cli("session", "verify", "--key", third, sid, code=1)
        self.assertIn("unknown key 'sess-1'", out.stderr)
        # expired: written from the documented layout with the real key
        _, _, secret = read_key(key)
        now = int(time.time())
        payload = (os.urandom(16) + (now - 100).to_bytes(8, "big") + (now - 10).to_bytes(8, "big")
                   + bytes([6]) + b"sess-1")
        text = "v1." + b64(payload)
        old = text + "." + b64(hmac.new(secret, text.encode(), hashlib.sha256).digest())
        out = self.cli("session", "verify", "--key", key, old, code=1)
        self.assertIn("session id expired at", out.stderr)
        self.cli("session", "verify", "--key", key, "v1.x" * 80, code=1)
        self.cli("session", "verify", "--key", key, "v9.a.b", code=1)
        # rotation: new key first, old key still verifies
        rot = self.path("rot.keys")
        with open(rot, "w") as f, open(third) as a, open(key) as b:
            f.write(a.read() + b.read())
        os.chmod(rot, 0o600)
        self.cli("session", "verify", "--key", rot, sid, code=0)
        new = self.cli("session", "mint", "--key", rot, code=0).stdout.strip()
        self.assertEqual(unb64(new.split(".")[1])[33:], b"sess-3")
        # usage
        self.cli("session", "verify", "--key", key, code=64)
        self.cli("session", "mint", code=64)
        self.cli("session", "frobnicate", code=64)
        self.cli("session", "mint", "--key", key, "--ttl", "400d", code=64)
        ed, _ = self.keygen("ed25519", "k")
        self.cli("session", "mint", "--key", ed, code=64)


REQUIRE_TOKEN = POLICY + "identity: {require: token}\n"


class PolicyRequiresToken(IdentityCase):
    """identity.require: token: the policy's agents:/roles: rules take only a signed identity."""

    def test_asserted_or_absent_identity_refused_at_start(self):
        self.policy = self.write_policy(REQUIRE_TOKEN)
        err = self.refused(["--agent", "bot-1", "--role", "admin"],
                           "the policy requires a verified agent identity (identity.require: "
                           "token)")
        self.assertIn("--agent and --role only assert one", err)
        self.refused([], "give --agent-token TOKEN")
        # with a token the same policy runs and its roles decide
        key, _ = self.keygen("ed25519", "k")
        tok = self.token("ed25519", key, "--agent", "bot-1", "--role", "admin")
        e = dict(os.environ)
        e.pop("SENTINEL_AGENT_TOKEN", None)
        r = self.start(policy=self.policy, opts=["--agent-token", tok, "--trust-key",
                                                  key + ".pub"], env=e)
        r.initialize()
        self.assertIn("result", r.call(1, "write_file", {"path": "x", "text": "y"}))
        r.finish(self, expect_status=0)

    def test_values_and_unknown_keys(self):
        out = self.cli("check", self.write_policy(POLICY + "identity: {require: none}\n"),
                       code=0)
        self.assertIn("ok", out.stdout)
        out = self.cli("check", self.write_policy(POLICY + "identity: {require: yes}\n"),
                       code=1)
        self.assertIn("'require' must be token", out.stderr)
        out = self.cli("check", self.write_policy(POLICY + "identity: {verified: true}\n"),
                       code=1)
        self.assertIn("unknown key 'verified' in identity", out.stderr)

    def test_reload_to_a_token_policy_denies_an_asserted_session(self):
        import signal
        pol = self.path("policy.yaml")
        with open(pol, "w") as f:
            f.write(POLICY)
        audit = self.path("audit.jsonl")
        sock = self.path("ctl.sock")
        r = self.start(policy=pol, opts=["--agent", "bot-1", "--role", "admin", "--audit",
                                         audit, "--control", sock])
        r.initialize()
        self.assertIn("result", r.call(1, "write_file", {"path": "x", "text": "y"}))

        def status():
            return json.loads(self.cli("ctl", "--socket", sock, "status", "--json",
                                       code=0).stdout)

        def reload(text, nth):
            with open(pol, "w") as f:
                f.write(text)
            os.kill(r.proc.pid, signal.SIGHUP)
            deadline = time.time() + 10
            while r.stderr().count("policy reloaded") < nth and time.time() < deadline:
                time.sleep(0.02)

        self.assertIsNone(status()["identity_refused"])
        reload(REQUIRE_TOKEN, 1)
        self.assertIn("every call is denied until a reload lifts the requirement", r.stderr())
        m = r.call(2, "write_file", {"path": "x", "text": "y"})
        self.assertEqual(m["error"]["code"], DENIED, m)
        self.assertEqual(m["error"]["data"]["rule"], "identity")
        self.assertIn("identity.require: token", m["error"]["data"]["reason"])
        # ctl status says why every call is denied
        self.assertIn("identity.require: token", status()["identity_refused"])
        # and a reload back to a policy without the requirement lifts it, as stderr said
        reload(POLICY, 2)
        self.assertIsNone(status()["identity_refused"])
        self.assertIn("result", r.call(3, "write_file", {"path": "x", "text": "y"}))
        r.finish(self, expect_status=0)


class TokenExpiry(IdentityCase):
    def test_expired_token_stops_granting_mid_run(self):
        """Once exp + 60 s passes, every call is denied (rule identity), said once on stderr
        and in the audit log; ctl status shows it."""
        key, kid = self.keygen("hmac", "h", kid="h1")
        _, _, secret = read_key(key)
        now = int(time.time())
        exp = now - 56  # still accepted at start (exp + 60 s skew), stops granting in ~4 s
        tok = hmac_token(secret, kid, claims(sub="bot-1", roles=["admin"], iat=now - 600,
                                             exp=exp))
        audit = self.path("audit.jsonl")
        sock = self.path("ctl.sock")
        e = dict(os.environ)
        e.pop("SENTINEL_AGENT_TOKEN", None)
        r = self.start(policy=self.policy, env=e,
                       opts=["--agent-token", tok, "--trust-key", key, "--audit", audit,
                             "--control", sock])
        r.initialize()
        self.assertIn("result", r.call(1, "write_file", {"path": "x", "text": "y"}))
        while time.time() < exp + 60.3:
            time.sleep(0.1)
        for i in (2, 3):
            m = r.call(i, "echo", {"text": "hi"})
            self.assertEqual(m["error"]["code"], DENIED, m)
            self.assertEqual(m["error"]["data"]["rule"], "identity")
            self.assertIn("the agent token expired at", m["error"]["data"]["reason"])
        st = json.loads(self.cli("ctl", "--socket", sock, "status", "--json", code=0).stdout)
        self.assertIs(st["identity_expired"], True)
        self.assertIn("the agent token expired at", st["identity_refused"])
        self.assertTrue(st["token_expires"].endswith("Z"), st)
        err = r.stderr()
        r.finish(self, expect_status=0)
        self.assertEqual(err.count("the agent token expired"), 1, err)
        with open(audit) as f:
            recs = [json.loads(line) for line in f if line.strip()]
        ident = [x for x in recs if x["event"] == "identity"]
        self.assertEqual(len(ident), 1, recs)
        self.assertEqual((ident[0]["state"], ident[0]["agent"]), ("expired", "bot-1"))
        denied = [x for x in recs if x["event"] == "decision" and x["rule"] == "identity"]
        self.assertEqual(len(denied), 2)

    def test_an_approval_after_expiry_grants_nothing(self):
        """A call held for approval before the token expired is denied when the answer,
        yes, comes after: the identity no longer counts."""
        from test_approve import Terminal
        tty = Terminal()
        self.addCleanup(tty.close)
        key, kid = self.keygen("hmac", "h", kid="h1")
        _, _, secret = read_key(key)
        now = int(time.time())
        exp = now - 57  # accepted at start, stops granting in ~3 s
        tok = hmac_token(secret, kid, claims(sub="bot", roles=["ops"], iat=now - 600, exp=exp))
        pol = self.write_policy("version: 1\ndefault: allow\nrules:\n"
                                "  - {id: ask, effect: approve, agents: [bot], tools: [send_email]}\n")
        e = dict(os.environ)
        e.pop("SENTINEL_AGENT_TOKEN", None)
        r = self.start(policy=pol, env=e,
                       opts=["--agent-token", tok, "--trust-key", key,
                             "--approval", "tty:" + tty.path, "--approval-timeout", "30"])
        r.initialize()
        r.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                "params": {"name": "send_email", "arguments": {"to": "a@b.c"}}})
        tty.wait_for(b"approve? [y/N]")
        while time.time() < exp + 60.3:
            time.sleep(0.1)
        tty.answer("y")
        m = r.recv_id(2)
        self.assertEqual(m["error"]["code"], DENIED, m)
        self.assertEqual(m["error"]["data"]["rule"], "identity", m)
        r.finish(self, expect_status=0)


class TrustKeyFile(IdentityCase):
    def test_writable_or_foreign_trust_file_refused(self):
        key, _ = self.keygen("ed25519", "k")
        tok = self.token("ed25519", key, "--agent", "bot-1", "--role", "admin")
        pub = self.path("trust.pub")
        with open(key + ".pub") as src, open(pub, "w") as dst:
            dst.write(src.read())
        for mode in (0o666, 0o664, 0o646):
            os.chmod(pub, mode)
            self.refused(["--agent-token", tok, "--trust-key", pub],
                         "not writable by group or others", code=66)
        os.chmod(pub, 0o644)
        os.chown(pub, 65534, 65534)
        err = self.refused(["--agent-token", tok, "--trust-key", pub], "owned by uid 65534",
                           code=66)
        self.assertIn("replace the keys", err)
        # the same check for a public key verifying the audit log
        out = self.cli("verify", "--key", pub, self.path("none.jsonl"))
        self.assertIn("owned by uid 65534", out.stderr)

    def test_whitespace_in_a_token_is_named(self):
        key, _ = self.keygen("hmac", "h")
        tok = self.token("hmac", key, "--agent", "bot-1")
        self.refused(["--agent-token", tok + "\n", "--trust-key", key],
                     "the token holds whitespace (a newline at byte %d of %d)"
                     % (len(tok) + 1, len(tok) + 1))
        self.refused(["--agent-token", tok + " ", "--trust-key", key], "(a space at byte")

    def test_vv_is_debug(self):
        r = self.start(policy=self.policy, opts=["-vv", "--agent", "bot-1"])
        r.initialize()
        r.send({"jsonrpc": "2.0", "method": "notifications/cancelled",
                "params": {"requestId": 999}})  # not in flight: said at debug level
        self.assertIn("result", r.call(1, "echo", {"text": "x"}))
        err = r.stderr()
        r.finish(self, expect_status=0)
        self.assertIn("sentinel: debug: client cancelled a request", err)


if __name__ == "__main__":
    unittest.main()
