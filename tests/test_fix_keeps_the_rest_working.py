"""A fix that removes a harness command or install from a RUN never turns a RUN that worked into
one that fails (issue 18, session 59's red team: fixes that break what they fix).

The class: removing a list item changes what the rest does where the rest depended on it: an
operand of `||` (`claude --version || exit 1` became `exit 1`; `command -v claude || npm i -g
@anthropic-ai/claude-code` the failing check), an item whose output file a later command reads
(`npm i -g … > log; grep -q added log` became a failing grep), a background item a later
`wait "$!"` waits for (`wait ""` fails), a pipeline stage beside one writing a file (`npm i -g … |
tee log; cat log`). Generated: items before and after the harness item,
every operator between them (`&&`, `||`, `;`, `&`), the harness item as AIS002 (`claude -v`) and
AIS003 (`npm i -g …`) see it, with and without redirections (to a file, /dev/null, a descriptor) and a `| tee`.
The oracle is dash (Debian's /bin/sh) running the RUN's line before the fix, with the harness
there (the legacy image had it; npm installs it), and after it, without the harness (the fix's
whole point): where the first succeeds, the second must too.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess

import pytest

from aishell.lint import Options
from aishell.migration import fix_text

from tests.dash import SH, _run

BEFORE = ["", "echo a"]
HARNESS = ["claude -v", "npm i -g @anthropic-ai/claude-code"]
REDIRECTS = ["", " > log 2>&1", " > /dev/null", " 2>&1", " >> log", " | tee log"]
AFTER = ["", "exit 1", "echo ok", "cat log", 'wait "$!"', "grep -q . log"]
OPS = ["&&", "||", ";", "&"]


def _lines():
    for before, op1, harness, redirect, op2, after in itertools.product(BEFORE, OPS, HARNESS, REDIRECTS, OPS, AFTER):
        parts = []
        if before:
            parts += [before, op1]
        parts.append(harness + redirect)
        if after:
            parts += [op2, after]
        elif op2 == "&":
            parts.append("&")
        yield " ".join(parts)


LINES = sorted(set(_lines()))


def _works(line: str, tmp, with_harness: bool) -> bool:
    """Whether dash runs the RUN's line to success, in a fresh folder, with stub `claude` and
    `npm` on PATH (without `claude`: after the fix)."""
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "bin").mkdir(parents=True)
    stubs = {"npm": "echo added 1 package\n"}
    if with_harness:
        stubs["claude"] = "echo 1.0.0\n"
    for name, body in stubs.items():
        (tmp / "bin" / name).write_text("#!/bin/sh\n" + body)
        (tmp / "bin" / name).chmod(0o755)
    env = {"PATH": f"{tmp / 'bin'}:/usr/bin:/bin", "HOME": str(tmp)}
    return _run([SH, "-c", line], 20, env=env, cwd=tmp, stdin=subprocess.DEVNULL) == 0


@pytest.mark.parametrize("k", range(8))
def test_a_fix_never_makes_a_working_run_fail(tmp_path, k):
    # (the lines in eight shards: each a few seconds of dash runs)
    broken = []
    for line in LINES[k::8]:
        source = f"FROM aishell:foundation\nRUN {line}\n"
        fixed = fix_text(source, "Dockerfile", Options(use_config=False), unsafe=True).text
        if fixed == source:
            continue
        rest = fixed.split("\n", 1)[1].strip()
        after = rest[4:] if rest.startswith("RUN ") else "true"  # (the RUN removed: nothing runs)
        if _works(line, tmp_path / "a", True) and not _works(after, tmp_path / "b", False):
            broken.append((line, after))
    assert not broken, broken[:10]


def test_the_class_is_fixed_where_nothing_depends_on_the_item():
    """Near misses keep their fix: `&&`/`;` lists, /dev/null and descriptor redirections."""
    for line, expected in [
        ("echo a && claude -v && echo b", "RUN echo a && echo b\n"),
        ("npm i -g @anthropic-ai/claude-code > /dev/null 2>&1 && echo ok", "RUN echo ok\n"),
        ("claude -v 2>&1; echo ok", "RUN echo ok\n"),
    ]:
        fixed = fix_text(f"FROM aishell:foundation\nRUN {line}\n", "Dockerfile", Options(use_config=False), unsafe=True)
        assert fixed.text.split("\n", 1)[1] == expected, line
