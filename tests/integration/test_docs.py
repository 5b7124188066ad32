"""The policy examples of the documentation load: every ```yaml block of README.md,
docs/policy.md and docs/sentinel-compat.md goes through `sentinel check`, so an example the
loader refuses cannot ship again. A block that is a fragment is completed the way a reader
would: a list of rules goes under `rules:`, top-level sections get `version: 1`."""
import os
import re
import subprocess
import textwrap
import unittest

from harness import Case, SENTINEL, ROOT

BLOCK = re.compile(r"^([ \t]*)```ya?ml\n(.*?)^\1```", re.S | re.M)


def yaml_blocks(doc):
    """(line, text) of each ```yaml block of doc, dedented (blocks inside list items)."""
    with open(os.path.join(ROOT, doc)) as f:
        text = f.read()
    for m in BLOCK.finditer(text):
        yield text.count("\n", 0, m.start()) + 1, textwrap.dedent(m.group(2))


def as_policy(block):
    first = block.lstrip("\n").split("\n", 1)[0]
    if first.lstrip().startswith("- "):
        return "version: 1\nrules:\n" + block
    if re.search(r"^version:", block, re.M):
        return block
    return "version: 1\n" + block


class DocExamples(Case):
    def check(self, doc, strict=False):
        blocks = list(yaml_blocks(doc))
        self.assertTrue(blocks, "no yaml block in %s" % doc)
        for line, block in blocks:
            with self.subTest(doc=doc, line=line):
                path = self.write_policy(as_policy(block))
                args = [SENTINEL, "check"] + (["--strict"] if strict else []) + [path]
                p = subprocess.run(args, capture_output=True, text=True, timeout=30)
                self.assertEqual(p.returncode, 0, "%s:%d: %s" % (doc, line, p.stderr))
                self.assertIn(": ok (", p.stdout)
        return blocks

    def test_readme(self):
        """The README's policy is the first one a reader copies: it loads without warnings."""
        blocks = self.check("README.md", strict=True)
        self.assertTrue(any("rules:" in b for _, b in blocks))

    def test_policy_md(self):
        self.check("docs/policy.md")

    def test_sentinel_compat_md(self):
        self.check("docs/sentinel-compat.md")


if __name__ == "__main__":
    unittest.main()
