"""The shipped policy packs: every pack under policies/ loads, and the crown-jewels pack
decides as documented, through `sentinel explain` (a table of malicious and benign calls
side by side, and many spellings of each) and end to end through `sentinel run` with the
official server-filesystem."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import POLICIES, ROOT, SENTINEL, Case

PACK = os.path.join(POLICIES, "crown-jewels.yaml")
FS_SERVER = os.path.join(ROOT, "tests", "e2e", "node_modules", "@modelcontextprotocol",
                         "server-filesystem", "dist", "index.js")

# rule ids of the pack, short
NC = "non-canonical-paths"
CRED = "credential-files"
CRED_LIST = "credential-files-in-path-lists"
LONG_LIST = "path-lists-too-long-to-check"
SSH_W = "ssh-directory-writes"
INSTR_W = "agent-instruction-writes"
CI_W = "ci-workflow-writes"
HOOK_W = "persistence-hook-writes"
DIR_MOVE = "protected-directory-moves"
EDITOR_W = "text-editor-writes"
PUSHED = "protected-files-in-pushed-lists"
LONG_PUSH = "pushed-lists-too-long-to-check"
RES_NC = "resource-non-canonical"
RES_CRED = "resource-credentials"
ALLOW = None  # allowed by the pack's default


def explain(policy, *args):
    p = subprocess.run([SENTINEL, "explain", "--policy", policy] + list(args),
                       capture_output=True, text=True, timeout=10)
    if p.returncode != 0:
        raise AssertionError("sentinel explain %r: exit %d: %s" % (args, p.returncode, p.stderr))
    return json.loads(p.stdout)


def decide(policy, tool, args=None, method=None, uri=None):
    """(effect, rule) for a tools/call (or prompts/get, or a resources/read of uri)."""
    if uri is not None:
        j = explain(policy, "--method", "resources/read", "--uri", uri)
    elif method is not None:
        j = explain(policy, "--method", method, "--name", tool, "--args", json.dumps(args or {}))
    else:
        j = explain(policy, "--tool", tool, "--args", json.dumps(args or {}))
    return j["effect"], j["rule"], j.get("reason", "")


def R(path, tool="read_text_file"):
    return (tool, {"path": path})


def W(path, tool="write_file"):
    return (tool, {"path": path, "content": "x"})


def MV(src, dst):
    return ("move_file", {"source": src, "destination": dst})


# (tool, arguments, rule that denies it or ALLOW). Malicious calls and their benign
# controls side by side.
CASES = [
    # .env files: secrets; templates are not
    (*R(".env"), CRED),
    (*R(".env.example"), ALLOW),
    (*R("/srv/app/.env.local"), CRED),
    (*R("/srv/app/.env.sample"), ALLOW),
    (*R(".env.production"), CRED),
    (*R(".env.template"), ALLOW),
    (*R("config/prod.env"), CRED),
    (*R("config/example.env"), ALLOW),
    (*R(".env.keys"), CRED),
    (*R(".env.dist"), ALLOW),
    (*R(".envrc"), CRED),
    (*R(".envoy.yaml"), ALLOW),
    (*R("src/env.d.ts"), ALLOW),
    (*R(".env/lib/python3.12/site.py"), ALLOW),  # a virtualenv called .env
    (*W(".env"), CRED),
    (*W(".env.example"), ALLOW),
    # SSH: private keys anywhere; public keys are not secret (read ok, never written)
    (*R("~/.ssh/id_rsa"), CRED),
    (*R("~/.ssh/id_rsa.pub"), ALLOW),
    (*W("~/.ssh/id_rsa.pub"), SSH_W),
    (*R("/home/alice/.ssh/id_ed25519"), CRED),
    (*R("backup/id_rsa"), CRED),
    (*R("backup/id_rsa.pub"), ALLOW),
    (*R("keys/id_ecdsa_sk"), CRED),
    (*R("~/.ssh/config"), CRED),
    (*R("~/.ssh/authorized_keys"), CRED),
    (*W("~/.ssh/authorized_keys"), CRED),
    (*W("/etc/ssh/sshd_config"), SSH_W),
    (*R("/etc/ssh/ssh_host_ed25519_key"), CRED),
    (*R("/etc/ssh/ssh_host_ed25519_key.pub"), ALLOW),
    (*R("notes/ssh.md"), ALLOW),
    (*R("ssh/config"), ALLOW),
    (*R("tls/server.key"), CRED),
    (*R("tls/server.pem"), CRED),
    (*R("tls/server.crt"), ALLOW),
    (*R("cert/store.p12"), CRED),
    (*R("cert/store.pfx"), CRED),
    (*R("~/.gnupg/private-keys-v1.d/x.key"), CRED),
    (*R("/data/../root/.ssh/id_rsa"), NC),
    # cloud credentials
    (*R("~/.aws/credentials"), CRED),
    (*R("~/.aws/config"), CRED),
    (*R("docs/aws/credentials.md"), ALLOW),
    (*R("~/.config/gcloud/application_default_credentials.json"), CRED),
    (*R("~/.config/gcloud/credentials.db"), CRED),
    (*R("~/.config/gcloud/legacy_credentials/a@b.com/adc.json"), CRED),
    (*R("src/gcloud/client.py"), ALLOW),
    (*R("~/.azure/msal_token_cache.json"), CRED),
    (*R("azure/pipeline-notes.md"), ALLOW),
    # kubernetes
    (*R("~/.kube/config"), CRED),
    (*R("/var/run/secrets/kubernetes.io/serviceaccount/token"), CRED),
    (*R("/run/secrets/db_password"), CRED),
    (*R("/etc/kubernetes/admin.conf"), CRED),
    (*R("deploy/prod.kubeconfig"), CRED),
    (*R("pkg/kubeconfig.go"), ALLOW),
    (*R("deploy/serviceaccount.yaml"), ALLOW),
    # .netrc, git credentials
    (*R("~/.netrc"), CRED),
    (*R("C:\\Users\\alice\\_netrc"), CRED),
    (*R("~/.git-credentials"), CRED),
    (*R("~/.config/git/credentials"), CRED),
    (*R("~/.gitconfig"), ALLOW),
    (*W("~/.gitconfig"), HOOK_W),
    (*R(".git/config"), ALLOW),
    (*W(".git/config", "edit_file"), HOOK_W),
    (*W(".git/hooks/pre-commit"), HOOK_W),
    # package registries and other tokens
    (*R("~/.npmrc"), CRED),
    (*R("~/.pypirc"), CRED),
    (*R("~/.cargo/credentials.toml"), CRED),
    (*R("~/.cargo/credentials"), CRED),
    (*R("~/.cargo/config.toml"), ALLOW),
    (*R("~/.docker/config.json"), CRED),
    (*R("docker/config.json"), ALLOW),
    (*R("~/.gem/credentials"), CRED),
    (*R("~/.terraformrc"), CRED),
    (*R("%APPDATA%\\terraform.rc"), CRED),
    (*R("~/.terraform.d/credentials.tfrc.json"), CRED),
    (*R("main.tf"), ALLOW),
    (*R("~/.config/gh/hosts.yml"), CRED),
    (*R("~/.config/gh/config.yml"), ALLOW),
    (*R("~/.pgpass"), CRED),
    (*R("package.json"), ALLOW),
    (*R(".npmignore"), ALLOW),
    # agent instruction files: read yes, write no
    (*R("AGENTS.md"), ALLOW),
    (*W("AGENTS.md"), INSTR_W),
    (*R("CLAUDE.md"), ALLOW),
    (*W("CLAUDE.md", "edit_file"), INSTR_W),
    (*W("/repo/sub/CLAUDE.local.md"), INSTR_W),
    (*R(".cursorrules"), ALLOW),
    (*W(".cursorrules"), INSTR_W),
    (*W(".cursor/rules/style.mdc"), INSTR_W),
    (*W(".github/copilot-instructions.md"), INSTR_W),
    (*W(".windsurfrules"), INSTR_W),
    (*W("GEMINI.md"), INSTR_W),
    (*W(".claude/settings.json"), INSTR_W),
    (*W(".mcp.json"), INSTR_W),
    (*W("docs/agents.md"), INSTR_W),  # case-insensitive filesystems: the same file as AGENTS.md
    (*W("docs/agent-design.md"), ALLOW),
    (*W("README.md"), ALLOW),
    (*MV("draft.md", "AGENTS.md"), INSTR_W),
    (*MV("AGENTS.md", "old.md"), INSTR_W),
    # CI workflows: read yes, write/edit/move/create no
    (*R(".github/workflows/ci.yml"), ALLOW),
    (*W(".github/workflows/ci.yml"), CI_W),
    (*W(".github/workflows/ci.yml", "edit_file"), CI_W),
    (*MV("x.yml", ".github/workflows/x.yml"), CI_W),
    ("create_directory", {"path": ".github/workflows"}, CI_W),
    (*W(".github/actions/setup/action.yml"), CI_W),
    (*W(".gitlab-ci.yml"), CI_W),
    (*R(".gitlab-ci.yml"), ALLOW),
    (*W("Jenkinsfile"), CI_W),
    (*W(".circleci/config.yml"), CI_W),
    (*W(".github/dependabot.yml"), ALLOW),
    (*W(".github/ISSUE_TEMPLATE/bug.md"), ALLOW),
    # persistence through shell startup files
    (*W("~/.bashrc"), HOOK_W),
    (*R("~/.bashrc"), ALLOW),
    (*W(".husky/pre-push"), HOOK_W),
    (*W(".vscode/tasks.json"), HOOK_W),
    (*W(".vscode/extensions.json"), ALLOW),
    # server-filesystem's other tools
    ("read_file", {"path": "/srv/app/.env"}, CRED),
    ("read_media_file", {"path": "~/.ssh/id_rsa"}, CRED),
    ("get_file_info", {"path": ".env"}, CRED),
    ("get_file_info", {"path": "notes.txt"}, ALLOW),
    ("edit_file", {"path": ".env", "edits": [], "dryRun": True}, CRED),
    (*MV(".env", "notes.txt"), CRED),
    (*MV("notes.txt", "~/.ssh/authorized_keys"), CRED),
    (*MV("/home/alice/.aws", "/home/alice/aws-old"), DIR_MOVE),
    (*MV("/tmp/prepared", "/home/alice/.kube"), DIR_MOVE),
    (*MV("notes.txt", "notes.md"), ALLOW),
    ("list_directory", {"path": "/home/alice/.ssh"}, ALLOW),
    ("directory_tree", {"path": "/home/alice/.aws"}, ALLOW),
    ("search_files", {"path": "/home/alice", "pattern": "id_rsa"}, ALLOW),
    ("read_multiple_files", {"paths": ["notes.txt", "~/.ssh/id_rsa"]}, CRED_LIST),
    ("read_multiple_files", {"paths": ["notes.txt", ".env.example"]}, ALLOW),
    ("read_multiple_files", {"paths": ["notes.txt", "a/../.env"]}, NC),
    # generic tool and argument names of other servers
    ("read", {"file": "/home/alice/.netrc"}, CRED),
    ("cat", {"filename": "_netrc"}, CRED),
    ("open_file", {"filepath": "~/.git-credentials"}, CRED),
    ("fs_read", {"path": "~/.npmrc"}, CRED),
    ("file_read", {"file_path": "/root/.pypirc"}, CRED),
    ("readFile", {"filePath": "/Users/alice/.aws/credentials"}, CRED),
    ("view_file", {"target_file": ".env"}, CRED),
    ("view_file", {"target_file": "src/main.py"}, ALLOW),
    ("copy_file", {"src": ".env", "dest": "leak.txt"}, CRED),
    ("rename", {"old_path": "id_rsa", "new_path": "notes.txt"}, CRED),
    ("fs_write", {"path": "AGENTS.md", "content": "x"}, INSTR_W),
    ("fs_read", {"path": "AGENTS.md"}, ALLOW),
    ("read_resource", {"uri": "file:///home/alice/.cargo/credentials.toml"}, CRED),
    ("fetch", {"url": "https://example.com/docs/.env"}, ALLOW),  # not a path argument
    ("get_file_contents", {"owner": "o", "repo": "r", "path": ".env.production"}, CRED),
    ("get_file_contents", {"owner": "o", "repo": "r", "path": ".github/workflows/ci.yml"}, ALLOW),
    ("create_or_update_file", {"owner": "o", "repo": "r", "path": ".github/workflows/ci.yml",
                               "content": "x", "message": "m", "branch": "main"}, CI_W),
    ("create_or_update_file", {"owner": "o", "repo": "r", "path": "src/app.py",
                               "content": "x", "message": "m", "branch": "main"}, ALLOW),
    ("push_files", {"files": [{"path": "README.md", "content": "x"},
                              {"path": ".github/workflows/x.yml", "content": "x"}]}, PUSHED),
    ("push_files", {"files": [{"path": "README.md", "content": "x"},
                              {"path": "src/a.c", "content": "x"}]}, ALLOW),
    ("str_replace_based_edit_tool", {"command": "view", "path": "CLAUDE.md"}, ALLOW),
    ("str_replace_based_edit_tool", {"command": "str_replace", "path": "CLAUDE.md"}, EDITOR_W),
    ("str_replace_based_edit_tool", {"command": "view", "path": ".env"}, CRED),
    ("str_replace_editor", {"command": "create", "path": ".github/workflows/x.yml"}, EDITOR_W),
    # path tricks
    (*R("~/.SSH/ID_RSA"), CRED),
    (*R("/home/alice/.AWS/Credentials"), CRED),
    (*R("C:\\Users\\alice\\.aws\\credentials"), CRED),
    (*R("//home//alice//.aws//credentials"), CRED),
    (*R("./.env"), CRED),
    (*R("../../.env"), CRED),
    (*R("/srv/app/.env/"), CRED),
    (*R("/srv/app/.env."), CRED),
    (*R("/srv/app/.env "), CRED),
    (*R("C:\\app\\.env::$DATA"), CRED),
    (*R("/home/alice/.\u212aube/config"), CRED),  # KELVIN SIGN folds to k
    (*R("/srv/app/.env/."), NC),
    (*R("/srv/app/x/../.env"), NC),
    (*R("/home/alice/.aws/x/../credentials"), NC),
    (*W(".github/./workflows/x.yml"), NC),
    (*R("/srv/app/.env/x/.."), NC),
    (*R("notes\u0000.txt"), NC),
    ("read_resource", {"uri": "file:///home/alice/%2Essh/id_rsa"}, NC),
    (*R("file:///srv/app/%2Eenv"), NC),  # URI form: needless percent-encoding is refused
    (*R("/srv/app/%2Eenv"), ALLOW),  # a plain path is taken as written: not .env
    (*R("/data/../srv/notes.txt"), NC),  # refused too: spell paths plainly
    (*R("../notes.txt"), ALLOW),
    (*R("./src/main.c"), ALLOW),
]

# prompts/get: a prompt that takes a path reads the file on the server
PROMPT_CASES = [
    ("review_file", {"path": "~/.ssh/id_rsa"}, CRED),
    ("review_file", {"path": "src/main.c"}, ALLOW),
    ("review_files", {"paths": ["src/main.c", ".env"]}, CRED_LIST),
]

RESOURCE_CASES = [
    ("file:///home/alice/.ssh/id_rsa", RES_CRED),
    ("file:///home/alice/notes.txt", ALLOW),
    ("file:///srv/app/.env", RES_CRED),
    ("FILE:///SRV/APP/.ENV", RES_CRED),
    ("file:///srv/app/.env.local", RES_CRED),
    ("file:///srv/app/.env.example", RES_CRED),  # globs have no exceptions (documented)
    ("file:///home/alice/.aws/credentials", RES_CRED),
    ("file:///home/alice/.kube/config", RES_CRED),
    ("file:///var/run/secrets/kubernetes.io/serviceaccount/token", RES_CRED),
    ("file:///home/alice/.netrc", RES_CRED),
    ("file:///home/alice/.git-credentials", RES_CRED),
    ("file:///home/alice/.docker/config.json", RES_CRED),
    ("file:///home/alice/.config/gh/hosts.yml", RES_CRED),
    ("file:///srv/tls/server.key", RES_CRED),
    ("file:///repo/AGENTS.md", ALLOW),
    ("file:///repo/.github/workflows/ci.yml", ALLOW),
    # rules read the URI as a server does (mcp/uri.h): these are the files they name
    ("file:///home/alice/%2Essh/id_rsa", RES_CRED),
    ("file:///home/alice/%2essh/id_rsa", RES_CRED),
    ("file:///srv/app/x/../.env", RES_CRED),
    ("file:///srv/app//x/%2E%2E/%2eenv", RES_CRED),
    ("file:///srv/app/./notes.txt", ALLOW),
    # an escaped slash or backslash stays escaped: refused outright
    ("file:///home/alice/.ssh%2Fid_rsa", RES_NC),
    ("file:///srv/app%5c.env", RES_NC),
    ("file:///c:/secrets.txt::$DATA", RES_NC),
    ("file:///srv/my%20notes.txt", ALLOW),
    ("mem://notes/1", ALLOW),
]

# Secrets relative to a home directory, and the rule that protects each.
HOME_SECRETS = [
    ".ssh/id_rsa", ".ssh/id_ed25519", ".aws/credentials", ".aws/config",
    ".config/gcloud/application_default_credentials.json", ".config/gcloud/credentials.db",
    ".azure/accessTokens.json", ".kube/config", ".netrc", ".git-credentials", ".npmrc",
    ".pypirc", ".cargo/credentials.toml", ".docker/config.json", ".gem/credentials",
    ".terraformrc", ".config/gh/hosts.yml", "project/.env", "project/.env.local",
    "project/.env.production",
]
HOME_BENIGN = [
    "notes.txt", "project/.env.example", "project/.env.sample", "project/.env.template",
    ".ssh/id_rsa.pub", "project/src/env.ts", "project/docs/ssh.md", "project/AGENTS.md",
    ".gitconfig", "project/.github/workflows/ci.yml", ".cargo/config.toml",
    "project/docker/config.json", ".config/gh/config.yml",
]
HOMES = ["~/", "/home/alice/", "/root/", "/Users/alice/"]


def spellings(rel):
    """The same file, spelled as a client might (all must be decided alike)."""
    out = [h + rel for h in HOMES]
    win = rel.replace("/", "\\")
    out += ["C:\\Users\\alice\\" + win, "\\\\host\\share\\" + win]
    out += ["//home//alice//" + rel.replace("/", "//"), "/home/alice/" + rel + "/",
            "file:///home/alice/" + rel]
    return out


def hostile_spellings(rel):
    """Spellings that only a bypass attempt uses: all must be denied."""
    parts = rel.split("/")
    home = "/home/alice/" + rel
    out = ["/home/alice/" + rel.upper(), home + ".", home + "::$DATA", home + " ",
           "/data/../home/alice/" + rel, home + "/.", home + "/x/.."]
    for i in range(1, len(parts)):
        head, tail = "/".join(parts[:i]), "/".join(parts[i:])
        out.append("/home/alice/%s/./%s" % (head, tail))
        out.append("/home/alice/%s/zz/../%s" % (head, tail))
    return out


def rule_blocks(text):
    """{rule id: text of its block} of a pack, split at the `  - id:` lines."""
    blocks, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"  - id: (\S+)$", line)
        if m:
            cur = m.group(1)
            blocks[cur] = []
        elif line and not line.startswith(" ") and cur is not None:
            cur = None
        if cur is not None:
            blocks[cur].append(line)
    return {k: "\n".join(v) for k, v in blocks.items()}


class AllPacksLoad(unittest.TestCase):
    def test_every_pack_passes_check(self):
        packs = []
        for d, _, files in os.walk(POLICIES):
            packs += [os.path.join(d, f) for f in files if f.endswith(".yaml")]
        self.assertIn(PACK, packs)
        for path in sorted(packs):
            with self.subTest(pack=os.path.relpath(path, POLICIES)):
                p = subprocess.run([SENTINEL, "check", path], capture_output=True, text=True,
                                   timeout=20)
                self.assertEqual(p.returncode, 0, p.stderr)

    def test_crown_jewels_has_no_warnings(self):
        p = subprocess.run([SENTINEL, "check", "--strict", PACK], capture_output=True, text=True,
                           timeout=20)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("warning", p.stderr)


class CrownJewelsText(unittest.TestCase):
    """The pack's YAML: one regex per rule, repeated verbatim; a reason on every rule."""

    @classmethod
    def setUpClass(cls):
        with open(PACK) as f:
            cls.text = f.read()
        cls.blocks = rule_blocks(cls.text)

    def test_rules_and_reasons(self):
        self.assertEqual(list(self.blocks), [NC, CRED, CRED_LIST, LONG_LIST, SSH_W, INSTR_W, CI_W,
                                             HOOK_W, DIR_MOVE, EDITOR_W, PUSHED, LONG_PUSH, RES_NC,
                                             RES_CRED])
        for rid, block in self.blocks.items():
            with self.subTest(rule=rid):
                self.assertIn("    effect: deny\n", block)  # no allow: safe to include anywhere
                m = re.search(r'^    reason: "(.{20,})"$', block, re.M)
                self.assertTrue(m, "rule %s has no clear reason" % rid)

    def test_copies_of_a_regex_agree(self):
        leaf = re.compile(r"^        - \{arg: ([\w.]+), matches: '((?:[^']|'')*)'\}$", re.M)
        for rid, block in self.blocks.items():
            found = leaf.findall(block)
            if not found:
                continue
            with self.subTest(rule=rid):
                self.assertEqual(len({rx for _, rx in found}), 1,
                                 "rule %s: the copies of its regex differ" % rid)

    def test_argument_coverage(self):
        leaf = re.compile(r"^        - \{arg: ([\w.]+), matches:", re.M)
        single = ["path", "file", "filename", "file_name", "fileName", "filepath", "file_path",
                  "filePath", "target_file", "uri", "source", "destination", "src", "dest",
                  "target", "old_path", "new_path"]
        paths = ["paths.%d" % i for i in range(32)]
        files = ["files.%d.path" % i for i in range(32)]
        want = {NC: single + paths + files, CRED: single, CRED_LIST: paths, SSH_W: single,
                INSTR_W: single, CI_W: single, HOOK_W: single, DIR_MOVE: single, PUSHED: files}
        for rid, args in want.items():
            with self.subTest(rule=rid):
                self.assertEqual(leaf.findall(self.blocks[rid]), args)


class CrownJewelsDecisions(unittest.TestCase):
    """The pack through `sentinel explain`: the evaluator `sentinel run` uses."""

    def check(self, tool, args, rule, method=None, uri=None, policy=PACK):
        effect, got, reason = decide(policy, tool, args, method, uri)
        want = ("allow", "default") if rule is ALLOW else ("deny", rule)
        self.assertEqual((effect, got), want, "%s %s" % (tool or uri, json.dumps(args)))
        if rule is not ALLOW:
            self.assertNotEqual(reason, "denied by policy")

    def test_table(self):
        self.assertGreaterEqual(len(CASES) + len(PROMPT_CASES) + len(RESOURCE_CASES), 60)
        for tool, args, rule in CASES:
            with self.subTest(tool=tool, args=args):
                self.check(tool, args, rule)
        for name, args, rule in PROMPT_CASES:
            with self.subTest(prompt=name, args=args):
                self.check(name, args, rule, method="prompts/get")
        for uri, rule in RESOURCE_CASES:
            with self.subTest(uri=uri):
                self.check(None, None, rule, uri=uri)

    def test_every_spelling_of_a_secret_is_denied(self):
        tools = [("read_text_file", "path"), ("read_file", "path"), ("get_file_info", "path"),
                 ("write_file", "path"), ("cat", "file"), ("fs_read", "filepath")]
        for rel in HOME_SECRETS:
            for i, path in enumerate(spellings(rel) + hostile_spellings(rel)):
                tool, arg = tools[i % len(tools)]
                with self.subTest(path=path, tool=tool):
                    effect, rule, _ = decide(PACK, tool, {arg: path})
                    self.assertEqual(effect, "deny", (tool, path, rule))
                    self.assertIn(rule, (CRED, NC))

    def test_benign_files_stay_readable_however_spelled(self):
        for rel in HOME_BENIGN:
            for path in spellings(rel) + [rel]:
                with self.subTest(path=path):
                    self.assertEqual(decide(PACK, "read_text_file", {"path": path})[:2],
                                     ("allow", "default"))

    def test_final_segments_alone_catch_traversal(self):
        # without the non-canonical rule, `..` before the name still cannot hide it
        with open(PACK) as f:
            text = f.read()
        start = text.index("  - id: %s\n" % NC)
        end = text.index("\n\n", start)
        fd, stripped = tempfile.mkstemp(suffix=".yaml")
        with os.fdopen(fd, "w") as f:
            f.write(text[:start] + text[end + 2:])
        self.addCleanup(os.unlink, stripped)
        for path in ("/data/../root/.ssh/id_rsa", "/srv/www/../../home/alice/.aws/credentials",
                     "../../../.env", "/a/b/../.git-credentials", "/x/.env/."):
            with self.subTest(path=path):
                self.check("read_text_file", {"path": path}, CRED, policy=stripped)
        self.check("read_text_file", {"path": "/data/../srv/notes.txt"}, ALLOW, policy=stripped)

    def test_lists_are_checked_at_every_index(self):
        benign = ["src/f%d.c" % i for i in range(32)]
        for i in range(32):
            with self.subTest(index=i):
                paths = list(benign)
                paths[i] = "~/.aws/credentials" if i % 2 else "/srv/app/.env"
                self.check("read_multiple_files", {"paths": paths}, CRED_LIST)
                paths[i] = "/srv/app/x/../.env"
                self.check("read_multiple_files", {"paths": paths}, NC)
                files = [{"path": p, "content": "x"} for p in benign]
                planted = (".github/workflows/x.yml", "AGENTS.md", ".husky/pre-commit")
                files[i]["path"] = planted[i % 3]
                self.check("push_files", {"owner": "o", "repo": "r", "branch": "b",
                                          "files": files, "message": "m"}, PUSHED)
        self.check("read_multiple_files", {"paths": benign}, ALLOW)
        self.check("read_multiple_files", {"paths": benign + ["src/one-more.c"]}, LONG_LIST)
        files = [{"path": p, "content": "x"} for p in benign]
        self.check("push_files", {"files": files}, ALLOW)
        self.check("push_files", {"files": files + [{"path": "x", "content": "x"}]}, LONG_PUSH)

    def test_long_paths_are_decided_not_failed_closed(self):
        deep = "/home/alice/" + "abcdefghij/" * 400
        self.assertGreater(len(deep), 4096)
        self.check("read_text_file", {"path": deep + "notes.txt"}, ALLOW)
        self.check("write_file", {"path": deep + "notes.txt"}, ALLOW)
        self.check("read_text_file", {"path": deep + ".env"}, CRED)
        self.check("write_file", {"path": deep + ".github/workflows/x.yml"}, CI_W)

    def test_included_by_name(self):
        fd, pol = tempfile.mkstemp(suffix=".yaml")
        with os.fdopen(fd, "w") as f:
            f.write("version: 1\ndefault: allow\ninclude: [crown-jewels]\n")
        self.addCleanup(os.unlink, pol)
        p = subprocess.run([SENTINEL, "check", pol], capture_output=True, text=True, timeout=20)
        if p.returncode != 0 and ("not supported" in p.stderr or "unknown pack" in p.stderr):
            self.skipTest("this build cannot include packs by name: " + p.stderr.strip())
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(decide(pol, "read_text_file", {"path": ".env"})[:2],
                         ("deny", "crown-jewels:" + CRED))
        self.assertEqual(decide(pol, "read_text_file", {"path": ".env.example"})[:2],
                         ("allow", "default"))


@unittest.skipUnless(shutil.which("node") and os.path.exists(FS_SERVER),
                     "node or the pinned server-filesystem is missing")
class CrownJewelsEndToEnd(Case):
    """sentinel run with the pack in front of the official server-filesystem."""

    def setUp(self):
        super().setUp()
        root = os.path.realpath(os.path.join(self.tmpdir, "root"))
        self.root = root
        for rel, text in ((".env", "API_KEY=sk-live-123\n"), (".env.example", "API_KEY=\n"),
                          (".ssh/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\n"),
                          ("notes.txt", "hello notes\n"), ("AGENTS.md", "be nice\n"),
                          (".github/workflows/ci.yml", "on: push\n")):
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w") as f:
                f.write(text)
        self.r = self.start(server=[shutil.which("node"), FS_SERVER, root], policy=PACK)
        init = self.r.initialize()
        self.assertIn("result", init, init)
        self.n = 0

    def call(self, tool, args):
        self.n += 1
        return self.r.call(self.n, tool, args, timeout=15)

    def denied(self, m, rule):
        self.assertError(m, -32001)
        self.assertEqual(m["error"]["data"]["rule"], rule, m)
        self.assertTrue(m["error"]["data"]["reason"])
        self.assertTrue(m["error"]["data"]["decision_id"])

    def text_of(self, m):
        self.assertIn("result", m, m)
        self.assertFalse(m["result"].get("isError"), m)
        return "".join(c.get("text", "") for c in m["result"]["content"])

    def test_filesystem_server_behind_the_pack(self):
        j = os.path.join
        listed = self.r.request(100, "tools/list", timeout=15)["result"]["tools"]
        tools = {t["name"] for t in listed}
        # conditional denials keep every tool listed
        self.assertTrue({"read_text_file", "write_file", "read_multiple_files", "move_file",
                         "get_file_info", "edit_file"} <= tools, tools)
        self.denied(self.call("read_text_file", {"path": j(self.root, ".env")}), CRED)
        self.denied(self.call("read_text_file", {"path": ".env"}), CRED)  # relative: same file
        self.assertIn("hello notes", self.text_of(self.call("read_text_file",
                                                            {"path": j(self.root, "notes.txt")})))
        self.assertIn("API_KEY=", self.text_of(self.call("read_text_file",
                                                         {"path": j(self.root, ".env.example")})))
        self.denied(self.call("read_text_file", {"path": j(self.root, ".ssh/id_rsa")}), CRED)
        self.denied(self.call("get_file_info", {"path": j(self.root, ".env")}), CRED)
        self.denied(self.call("write_file", {"path": j(self.root, ".github/workflows/x.yml"),
                                             "content": "on: push\n"}), CI_W)
        self.assertFalse(os.path.exists(j(self.root, ".github/workflows/x.yml")))
        self.denied(self.call("read_multiple_files",
                              {"paths": [j(self.root, "notes.txt"), j(self.root, ".ssh/id_rsa")]}),
                    CRED_LIST)
        both = self.text_of(self.call("read_multiple_files", {
            "paths": [j(self.root, "notes.txt"), j(self.root, ".env.example")]}))
        self.assertIn("hello notes", both)
        self.assertNotIn("sk-live", both)
        self.assertIn("on: push", self.text_of(self.call(
            "read_text_file", {"path": j(self.root, ".github/workflows/ci.yml")})))
        self.assertIn("be nice", self.text_of(self.call("read_text_file",
                                                        {"path": j(self.root, "AGENTS.md")})))
        self.denied(self.call("edit_file", {"path": j(self.root, "AGENTS.md"),
                                            "edits": [{"oldText": "be nice", "newText": "obey"}]}),
                    INSTR_W)
        self.denied(self.call("move_file", {"source": j(self.root, ".env"),
                                            "destination": j(self.root, "leak.txt")}), CRED)
        self.denied(self.call("read_text_file", {"path": j(self.root, "x/../.env")}), NC)
        self.assertIn("id_rsa", self.text_of(self.call("list_directory",
                                                       {"path": j(self.root, ".ssh")})))
        self.text_of(self.call("write_file", {"path": j(self.root, "out.txt"), "content": "ok"}))
        with open(j(self.root, "AGENTS.md")) as f:
            self.assertEqual(f.read(), "be nice\n")
        with open(j(self.root, "out.txt")) as f:
            self.assertEqual(f.read(), "ok")
        self.assertTrue(os.path.exists(j(self.root, ".env")))
        self.r.finish(self)


if __name__ == "__main__":
    unittest.main()
