"""`eval` with quoted words (issue 18, recall; found by a red-team pass): `RUN eval "claude" "-v"`
and `RUN eval 'claude' '-v'` gave no finding, though `eval claude -v` was caught. eval joins its
words with spaces and runs the result; the joined text kept source spans only for words without
quotes, and a command without a span is not reported. The class: a harness command line split
into eval's words in every way (a word per argument or several in one, each quoted with `'`,
`"`, partly or not at all). Each is run by dash and bash with a fake `claude` (exit 127) on PATH:
AIS002 reports the harness, at its word, an error exactly when the RUN fails."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from aishell.shell import unquote

SHELLS = [s for s in (shutil.which("dash"), shutil.which("bash")) if s]


def _quote(draw, word: str) -> str:
    how = draw(st.sampled_from(["bare", "single", "double", "part"]))
    if how == "single":
        return f"'{word}'"
    if how == "double":
        return f'"{word}"'
    if how == "part" and len(word) > 1:
        k = draw(st.integers(1, len(word) - 1))
        return f"'{word[:k]}'{word[k:]}" if draw(st.booleans()) else f'{word[:k]}"{word[k:]}"'
    return word if " " not in word else f"'{word}'"


@st.composite
def evals(draw):
    argv = draw(st.sampled_from([["claude"], ["claude", "-v"], ["claude", "-p", "x"], ["claude", "--version"]]))
    words, i = [], 0
    while i < len(argv):  # several arguments in one word, or one each
        n = draw(st.integers(1, len(argv) - i))
        words.append(" ".join(argv[i : i + n]))
        i += n
    return "eval " + " ".join(_quote(draw, w) for w in words)


def fails(script: str, tmp) -> bool:
    """The RUN fails under every shell, with a fake `claude` exiting 127 last on PATH."""
    bin_dir = tmp / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "claude"
    fake.write_text("#!/bin/sh\nexit 127\n")
    fake.chmod(0o755)
    env = {"PATH": f"/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin:{bin_dir}", "HOME": str(tmp)}
    runs = [
        subprocess.run([sh, "-c", script], capture_output=True, timeout=20, stdin=subprocess.DEVNULL, env=env, cwd=tmp)
        for sh in SHELLS
    ]
    return all(r.returncode != 0 for r in runs)


@pytest.mark.skipif(not SHELLS, reason="no dash or bash")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=evals(), context=st.sampled_from(["{}", "true && {}", "{}; true", "set -e; {}; true"]))
def test_eval_words_are_read_with_their_spans(tmp_path, line, context):
    script = context.format(line)
    text = f"FROM aishell:foundation\nRUN {script}\n"
    found = lint_text(text, os.fspath(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False))
    findings = found.findings
    assert len(findings) == 1, (script, findings)
    f = findings[0]
    assert unquote(text[f.start : f.end]) == "claude", (script, text[f.start : f.end])
    assert text.index("eval") < f.start, script  # (at the eval's words)
    assert f.severity == ("error" if fails(script, tmp_path) else "warning"), (script, f.severity)


@pytest.mark.parametrize("run", ['RUN eval "claude" "-v"\n', "RUN eval 'claude' '-v'\n", "RUN eval claude -v\n"])
def test_the_red_team_evals(tmp_path, run):
    text = "FROM aishell:foundation\n" + run
    findings = lint_text(
        text, os.fspath(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False)
    ).findings
    assert [(f.severity, unquote(text[f.start : f.end])) for f in findings] == [("error", "claude")], run
