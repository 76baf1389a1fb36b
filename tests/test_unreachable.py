"""A harness command the shell may never reach, or whose status an EXIT trap overrides (issue 18,
precision; found by a red-team pass): `RUN exit 0; claude -v`, `RUN exec true; claude -v`, `sh -c
'exit 0; claude -v'`, a heredoc script that exits first, `return 2>/dev/null; claude -v` (dash
ends a script at a top-level return) and `set -e; trap 'exit 0' EXIT; claude -v` were errors,
though dash and bash both exit 0.

The class: a command before the harness, in the same shell, that may end it (`exit`, `exec CMD`,
`return`, `.`/`source`, a function or an `eval` that may, in any compound command or and-or
list), or a trap set on EXIT (`0`, `exit`) or bash's ERR/DEBUG/RETURN whose action runs as the
shell ends. Generated prefixes, in generated places (a list, `&&`, `set -e`, `sh -c`, `bash -c`,
a heredoc script), each run by dash and bash with a fake `claude` (exit 127) last on PATH: after
one that may end the shell or set such a trap AIS002 says warning, never error; after one that
cannot (`(exit 0)`, `exit 0 | cat`, `exec >/dev/null`, a function never called, a trap reset
with `trap - EXIT`, one set in a subshell) it says error exactly when the RUN fails."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from tests.test_fix_pipelines import _apply, dockerfile
from tests.test_model_reference import _reference_text
from tests.test_eval_words import SHELLS, fails

ENDS = [
    "exit 0",
    "exit",
    "exec true",
    "exec -- true",
    "return 2>/dev/null",
    "command exit 0",
    ". /dev/null",
    "f() { exit 0; }; f",
    "f() { g; }; g() { exit 0; }; f",
    "f() { exit 0; }; eval f",
    "eval 'exit 0'",
    "eval exit",
    "{ exit 0; }",
    "if true; then exit 0; fi",
    "true && exit 0",
    "false || exit 0",
    "while true; do exit 0; done",
    "exit 0 2>/dev/null",
]
TRAPS = [
    "trap 'exit 0' EXIT",
    "trap -- 'exit 0' 0",
    "trap 'exit 0' exit",
    "trap 'exit 0' INT EXIT",
    "trap 'exit 0' EXIT; trap - INT",
    "f() { exit 0; }; trap f EXIT",
    "trap 'exit 0' EXIT; trap - EXIT; trap 'exit 0' 0",
    "f() { trap 'exit 0' EXIT; }; f",
]
NEUTRAL = [
    "true",
    "(exit 0)",
    "exit 0 | cat",
    "exec >/dev/null",
    "exec 2>&1",
    "command -v exit >/dev/null",
    "f() { exit 0; }",
    "f() { return 0; }; f",
    "(trap 'exit 0' EXIT)",
    "trap 'exit 0' EXIT; trap - EXIT",
    "trap 'exit 0' EXIT; trap EXIT",
    "trap 'exit 0' 0; trap - 0",
    "trap 'exit 0' EXIT; trap '' EXIT",
    "trap 'exit 0' EXIT INT; trap - EXIT",
    "trap 'echo x' INT",
    "eval 'true'",
]
PLACES = ["{p}; {h}", "{p} && {h}", "set -e; {p}; {h}; true", "{p}\n{h}"]


@st.composite
def runs(draw):
    """(RUN text after `RUN `, the script the shells run, kind of prefix)."""
    kind = draw(st.sampled_from(["end", "trap", "neutral"]))
    prefix = draw(st.sampled_from({"end": ENDS, "trap": TRAPS, "neutral": NEUTRAL}[kind]))
    harness = draw(st.sampled_from(["claude -v", "claude --version 2>&1"]))
    place = draw(st.sampled_from(PLACES))
    script = place.format(p=prefix, h=harness)
    how = draw(st.sampled_from(["line", "sh -c", "bash -c", "heredoc"]))
    if how == "heredoc" or "\n" in script:
        return f"<<EOF\n{script}\nEOF", script, kind
    if how == "line":
        return script, script, kind
    return f'{how} "{script}"', f'{how} "{script}"', kind


@pytest.mark.skipif(not SHELLS, reason="no dash or bash")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=runs())
def test_after_what_may_end_the_shell_a_warning(tmp_path, case):
    run, script, kind = case
    text = f"FROM aishell:foundation\nRUN {run}\n"
    findings = lint_text(text, os.fspath(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False))
    severities = [f.severity for f in findings.findings]
    for f in findings.findings:  # a fix offered still parses with BuildKit's parser
        if f.fix is not None:
            dockerfile.parse_string(_reference_text(_apply(text, f.fix.edits)))
    failed = fails(script, tmp_path)
    if kind == "neutral":
        assert severities == ["error" if failed else "warning"], (run, severities, failed)
    else:
        assert severities == ["warning"], (run, severities, failed)


@pytest.mark.parametrize(
    "run",
    [
        "RUN exit 0; claude -v\n",
        "RUN exec true; claude -v\n",
        "RUN sh -c 'exit 0; claude -v'\n",
        "RUN <<EOF\nexit 0\nclaude -v\nEOF\n",
        "RUN return 2>/dev/null; claude -v\n",
        "RUN set -e; trap 'exit 0' EXIT; claude -v\n",
    ],
)
def test_the_red_team_forms_are_warnings(tmp_path, run):
    text = "FROM aishell:foundation\n" + run
    findings = lint_text(text, os.fspath(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False))
    assert [f.severity for f in findings.findings] == ["warning"], run
