"""The command line as a user meets it (docs/cli.md): help, usage errors, installation."""
import os
import shutil
import subprocess
import tempfile
import unittest

from harness import Case, SENTINEL


def sentinel(*args, **kw):
    return subprocess.run([SENTINEL] + list(args), capture_output=True, text=True, timeout=30,
                          **kw)


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
