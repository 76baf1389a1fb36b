"""Heredoc bodies as BuildKit and the shell run them (issue 18: recall, and precision where an
error blocks a build).

BuildKit runs a RUN whose command line is one heredoc alone (`RUN <<EOF`, `RUN 3<<-'EOF'`) by
giving the body itself to the SHELL: no expansion applies to it first. Any other line (`cat <<EOF
> f`, `bash <<EOF`, `<<A <<B`, `<<EOF ;`) goes to the shell with the bodies after it, and the
shell reads each body as a heredoc: an unquoted one has its `$( )` and backticks run as it is
read (quotes or not: `echo '$(claude -v)'`), its `\\$` unescaped, and only then does a shell fed
the body (`bash <<EOF`, `cat <<EOF | sh`) run the result; a line of redirections alone runs no
body. Generated: command lines x delimiter quotings x body forms, each run by dash with a fake
`claude` on PATH that leaves a mark and fails, as the RUN would run it. AIS002 reports the harness
exactly when it ran, and an error only where the RUN failed.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from tests.dash import SH, runs_claude

pytestmark = pytest.mark.skipif(SH is None, reason="needs a POSIX shell")

# Command lines; `{d}` is the delimiter as written. The first group is one heredoc alone.
ALONE = ["<<{d}", "<<-{d}", "3<<{d}", "<<{d}   "]
LINES = ALONE + [
    "cat <<{d} > /dev/null",
    "cat > /dev/null <<{d}",
    ": <<{d}",
    "true <<{d} && echo ok",
    "bash <<{d}",
    "bash -e <<{d}",
    "sh -s <<{d}",
    "sh /dev/stdin <<{d}",
    "cat <<{d} | sh",
    "set -e; cat <<{d} | sh -e",
    "<<{d} ;",
    "<<{d} <<OTHER",
]
# (as written, the name, whether quoted)
DELIMITERS = [("EOF", "EOF", False), ("'EOF'", "EOF", True), ('"EOF"', "EOF", True), ("\\EOF", "EOF", True)]
BODIES = [
    "claude -v",
    "echo $(claude -v)",
    "echo `claude -v`",
    "echo '$(claude -v)'",
    'echo "$(claude -v)"',
    'echo "\\$(claude -v)"',
    "echo \\\\$(claude -v)",
    "echo '`claude -v`'",
    "x=$(claude -v); echo $x",
    "cat <<'IN'\n$(claude -v)\nIN",
    "echo claude -v",
]


def _script(line: str, alone: bool, name: str, body: str) -> str:
    """What the RUN's shell runs (BuildKit's dispatchRun)."""
    data = body + "\n"
    if alone:
        return data  # one heredoc alone: the body is the script, as it is
    other = "true\nOTHER" if "OTHER" in line else ""
    return line + "\n" + data + name + ("\n" + other if other else "")


def _runs(script: str, tmp) -> tuple[bool, bool]:
    return runs_claude(script, tmp, ())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(LINES), st.sampled_from(DELIMITERS), st.sampled_from(BODIES))
def test_a_harness_in_a_heredoc_body_is_reported_exactly_when_it_runs(tmp_path_factory, line, delimiter, body):
    written, name, _quoted = delimiter
    alone = line in ALONE
    line = line.format(d=written)
    other = "true\nOTHER\n" if "OTHER" in line else ""
    text = f"FROM aishell:foundation\nRUN {line}\n{body}\n{name}\n{other}"
    tmp = tmp_path_factory.mktemp("h")
    ran, failed = _runs(_script(line, alone, name, body), tmp)
    findings = lint_text(text, str(tmp / "Dockerfile"), Options(select=["AIS002"], use_config=False)).findings
    assert bool(findings) == ran, (text, findings)
    for f in findings:
        assert re.fullmatch(r"claude", text[f.start : f.end]), (text, f)
        if f.severity == "error":
            assert failed, (text, findings)
