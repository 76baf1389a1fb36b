"""Every spelling npm reads as an install is an install (issue 18: recall of AIS003, and of the
installs AIS002 counts before a harness runs).

npm resolves its subcommand with `deref` (lib/utils/cmd-list.js): camelCase to kebab-case, the
command itself, an alias, or a unique abbreviation of a command or alias. `npm install-test`
(`npm it`, `npm install-t`, `npm installTest`) installs its packages as `npm install` does, then
runs the tests. The oracle is npm's own `deref`, over every prefix of every command and alias
(and their camelCase forms); without npm, the spellings it gave when this test was written.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from aishell.harness import installs
from aishell.lint import Options, lint_text

# What npm 11's deref maps to install or install-test (the oracle's answer, kept for a machine
# without npm).
KNOWN = {
    "add",
    "i",
    "in",
    "ins",
    "inst",
    "insta",
    "instal",
    "install",
    "install-t",
    "install-te",
    "install-tes",
    "install-test",
    "installT",
    "installTe",
    "installTes",
    "installTest",
    "isnt",
    "isnta",
    "isntal",
    "isntall",
    "it",
}

_ORACLE = r"""
const c = require(process.argv[1]);
const words = new Set();
for (const w of c.commands.concat(Object.keys(c.aliases)))
  for (let i = 1; i <= w.length; i++) {
    const p = w.slice(0, i);
    words.add(p);
    words.add(p.replace(/-([a-z])/g, (m, x) => x.toUpperCase()));
  }
const out = {};
for (const w of words) out[w] = ['install', 'install-test'].includes(c.deref(w));
console.log(JSON.stringify(out));
"""


def _npm_oracle() -> dict[str, bool] | None:
    npm, node = shutil.which("npm"), shutil.which("node")
    if not npm or not node:
        return None
    cmd_list = Path(npm).resolve().parent.parent / "lib" / "utils" / "cmd-list.js"
    if not cmd_list.is_file():
        return None
    run = subprocess.run([node, "-e", _ORACLE, str(cmd_list)], capture_output=True, text=True, timeout=30)
    if run.returncode:
        return None
    return json.loads(run.stdout)


def test_npm_install_spellings_are_npms():
    oracle = _npm_oracle()
    if oracle is None:
        pytest.skip("needs npm")
    # Every prefix of every npm command and alias (and camelCase form): an install exactly when npm's
    # deref says so.
    wrong = {w: want for w, want in oracle.items() if installs("npm", w) != want}
    assert not wrong, wrong
    assert {w for w, want in oracle.items() if want} == KNOWN


SPELLINGS = sorted(KNOWN)
PLACES = ["npm {s} -g {p}", "npm --global {s} {p}@1.0.0", "npm {s} {p} --location=global", "npm {s} -gf {p} typescript"]
PACKAGES = {"claude": "@anthropic-ai/claude-code", "codex": "@openai/codex", "opencode": "opencode-ai"}


def _codes(text, tmp_path, select):
    findings = lint_text(text, str(tmp_path / "Dockerfile"), Options(select=[select], use_config=False)).findings
    return [f.severity for f in findings]


@pytest.mark.parametrize("k", range(len(SPELLINGS)))
def test_each_spelling_installs_globally(tmp_path, k):
    """Each spelling, in a rotating place and with a rotating package (a covering set, not the
    product): AIS003 reports the install, and AIS002 finds the harness installed after it; the same
    words behind a subcommand npm does not read as an install (`npm view`) are neither."""
    spelling = SPELLINGS[k]
    exe = sorted(PACKAGES)[k % len(PACKAGES)]
    line = PLACES[k % len(PLACES)].format(s=spelling, p=PACKAGES[exe])
    text = f"FROM node:24\nRUN {line}\nRUN {exe} --version\n"
    assert _codes(text, tmp_path, "AIS003") == ["warning"], text
    assert _codes(text, tmp_path, "AIS002") == [], text
    other = text.replace(f"npm {spelling} ", "npm view ").replace(f"--global {spelling} ", "--global view ")
    assert _codes(other, tmp_path, "AIS003") == [], other
    assert _codes(other, tmp_path, "AIS002") == ["error"], other
