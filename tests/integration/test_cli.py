"""The command line as a user meets it (docs/cli.md): help, usage errors, installation."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import Case, ROOT, SENTINEL


def sentinel(*args, **kw):
    return subprocess.run([SENTINEL] + list(args), capture_output=True, text=True, timeout=30,
                          **kw)


def commands():
    """The commands `sentinel --help` names in its usage lines."""
    out = sentinel("--help").stdout
    names = []
    for line in out.split("\n\n", 1)[0].splitlines():
        parts = line.split()
        for i, w in enumerate(parts[:-1]):
            if w == "sentinel" and parts[i + 1][0].islower() and parts[i + 1] not in names:
                names.append(parts[i + 1])
    return names


class Help(unittest.TestCase):
    def test_every_command_has_help(self):
        """`sentinel CMD --help` (or -h) prints CMD's usage on stdout and exits 0, before
        looking at anything else: never "cannot open --help" or "unknown option"."""
        names = commands()
        for must in ("run", "check", "explain", "replay", "verify", "packs", "presets", "report",
                     "chain", "scan", "pins", "keygen", "token", "session", "ctl"):
            self.assertIn(must, names)
        cases = [[n] for n in names if n != "version"]
        cases += [["pins", a] for a in ("list", "approve", "forget")]
        cases += [["session", a] for a in ("mint", "verify")]
        cases += [["check", "--strict"], ["explain", "--policy", "p.yaml"],
                  ["replay", "--all"], ["verify", "--json"]]
        for args in cases:
            for flag in ("--help", "-h"):
                with self.subTest(args=args, flag=flag):
                    p = sentinel(*args, flag)
                    self.assertEqual(p.returncode, 0, p.stderr)
                    self.assertEqual(p.stderr, "")
                    self.assertRegex(p.stdout, r"^usage: sentinel %s\b" %
                                     ("packs" if args[0] == "presets" else args[0]))

    def test_unknown_command_is_one_line(self):
        """An unknown command says so in one line with where to look, not the whole usage."""
        p = sentinel("--control", "x")
        self.assertEqual(p.returncode, 64)
        self.assertEqual(p.stdout, "")
        self.assertEqual(p.stderr, "sentinel: unknown command '--control' (see sentinel --help)\n")

    def test_check_refuses_unknown_options(self):
        p = sentinel("check", "--stirct", "p.yaml")
        self.assertEqual(p.returncode, 64)
        self.assertIn("unknown option '--stirct'", p.stderr)


def cli_md():
    with open(os.path.join(ROOT, "docs", "cli.md")) as f:
        return f.read()


class Docs(unittest.TestCase):
    def test_synopsis_is_the_usage(self):
        """docs/cli.md opens with the usage lines `sentinel --help` prints, word for word."""
        usage = sentinel("--help").stdout.split("\n\n", 1)[0]
        doc = re.search(r"```\n(.*?)```", cli_md(), re.S).group(1)
        self.assertEqual(" ".join(usage.replace("usage:", "", 1).split()), " ".join(doc.split()))

    def test_every_option_of_every_help_is_documented(self):
        """An option a command's --help shows is in docs/cli.md."""
        doc = cli_md()
        cases = [[n] for n in commands() if n != "version"] + [["--help"]]
        for args in cases:
            out = sentinel(*(args + ["--help"] if args != ["--help"] else args)).stdout
            for opt in sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", out))):
                with self.subTest(command=args[0], option=opt):
                    self.assertTrue(re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(opt), doc),
                                    "%s --help shows %s, docs/cli.md does not" % (args[0], opt))


class CheckStrict(Case):
    def test_strict_says_it_fails(self):
        """With --strict a warning fails the file: its line says so, not "ok"."""
        path = self.write_policy("version: 1\nrules:\n  - {id: all, effect: deny, tools: ['*']}\n"
                                 "  - {id: b, effect: deny, tools: [x]}\n")
        p = sentinel("check", "--strict", path)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stdout, "%s: fails under --strict: 1 warning (2 rules, default deny)\n"
                         % path)
        self.assertIn("warning: rule 'b' can never match", p.stderr)
        p = sentinel("check", path)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(p.stdout, "%s: ok (2 rules, default deny, with warnings)\n" % path)


class Install(Case):
    def test_cmake_install_puts_the_binary_in_prefix_bin(self):
        """`make install` is `cmake --install BUILD --prefix PREFIX`: the binary, nothing else."""
        build = os.path.dirname(os.path.dirname(os.path.abspath(SENTINEL)))
        if shutil.which("cmake") is None or not os.path.exists(
                os.path.join(build, "cmake_install.cmake")):
            self.skipTest("no cmake, or SENTINEL_BIN is not in a CMake build tree")
        prefix = os.path.join(self.tmpdir, "prefix")
        p = subprocess.run(["cmake", "--install", build, "--prefix", prefix],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        installed = []
        for d, _, files in os.walk(prefix):
            installed += [os.path.relpath(os.path.join(d, f), prefix) for f in files]
        self.assertEqual(installed, [os.path.join("bin", "sentinel")])
        v = subprocess.run([os.path.join(prefix, "bin", "sentinel"), "version"],
                           capture_output=True, text=True, timeout=10)
        self.assertEqual(v.returncode, 0, v.stderr)
        self.assertTrue(v.stdout.startswith("sentinel "), v.stdout)


if __name__ == "__main__":
    unittest.main()
