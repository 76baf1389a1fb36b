"""A script a COPY/ADD heredoc wrote, run by a later RUN of the stage (or of a stage FROM it).

`COPY <<EOF /s.sh` with `claude -v` in it, then `RUN sh /s.sh`, had no AIS002 finding: the RUN's
text names no harness, and a file an earlier step wrote was not read. The class: a file written
by a COPY/ADD heredoc (`--chmod` or not, one of several, relative to the WORKDIR), then run by a
shell (`sh /s.sh`), sourced (`. /s.sh`) or executed by its path (`/s.sh`, after a `chmod +x` or
with `--chmod=755`; without, it is 0644 and runs nothing). The oracle is dash: the file written
with the mode BuildKit gives it, the RUN's line run with the harnesses as stubs that record that
they ran and fail as "not found" does: a harness that runs must be reported, an error must mean
the RUN fails.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dash import SH, agrees, outcome
from tests.severities import severities

HARNESSES = ("claude", "codex")

LINES = [
    "claude -v",
    "claude -v || true",
    "codex --version",
    "echo ok",
    "set -e",
    "command -v claude",
    "exit 0",
    "if [ -f /COND ]; then claude -v; fi",
]
RUNS = [
    "sh {p}",
    ". {p}",
    "{p}",
    "chmod +x {p} && {p}",
    "chmod 755 {p}; {p}",
    "sh {p}; echo ok",
    "sh {p} && echo ok",
    "set -e; sh {p}; echo ok",
    "[ -f /COND ] || sh {p}",
    "sh {p} || true",
    "echo {p}",
    "cat {p}",
]


@st.composite
def cases(draw):
    lines = draw(st.lists(st.sampled_from(LINES), min_size=1, max_size=4))
    if not any("claude" in line or "codex" in line for line in lines):
        lines.append("claude -v")
    shebang = draw(st.sampled_from(["", "#!/bin/sh\n", "#!/bin/sh -e\n"]))
    chmod = draw(st.booleans())
    run = draw(st.sampled_from(RUNS))
    return shebang + "\n".join(lines) + "\n", chmod, run


def _outcome(body: str, chmod: bool, run: str, tmp_path) -> tuple[bool, bool]:
    """(the RUN fails, a harness ran), the file written as BuildKit writes it."""
    script = tmp_path / "s.sh"
    script.write_text(body.replace("/COND", str(tmp_path / "cond")))
    script.chmod(0o755 if chmod else 0o644)
    line = run.format(p=script).replace("/COND", str(tmp_path / "cond"))
    return outcome(line, tmp_path, HARNESSES, cwd=tmp_path)


def _dockerfile(body: str, chmod: bool, run: str, head: str = "") -> str:
    flag = "--chmod=755 " if chmod else ""
    return f"FROM aishell:foundation\n{head}COPY {flag}<<EOF /s.sh\n{body}EOF\nRUN {run.format(p='/s.sh')}\n"


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases())
def test_a_heredoc_file_a_later_run_runs(tmp_path, case):
    body, chmod, run = case
    text = _dockerfile(body, chmod, run)
    found = severities(text)
    fails, ran = _outcome(body, chmod, run, tmp_path)
    agrees(found, fails, ran, text)


@pytest.mark.parametrize(
    "text,want",
    [
        ("COPY <<EOF /s.sh\nclaude -v\nEOF\nRUN sh /s.sh\n", ["error"]),
        ("COPY <<EOF /s.sh\nclaude -v\nEOF\nRUN . /s.sh\n", ["error"]),
        ("COPY --chmod=755 <<EOF /s.sh\nclaude -v\nEOF\nRUN /s.sh\n", ["error"]),
        ("ADD --chmod=755 <<EOF /s.sh\nclaude -v\nEOF\nRUN /s.sh\n", ["error"]),
        ("COPY <<EOF /s.sh\nclaude -v\nEOF\nRUN /s.sh\n", []),  # 0644: permission denied
        ("COPY <<EOF /s.sh\nclaude -v\nEOF\nRUN chmod +x /s.sh && /s.sh\n", ["error"]),
        ("WORKDIR /app\nCOPY <<EOF s.sh\nclaude -v\nEOF\nRUN sh s.sh\n", ["error"]),
        ("WORKDIR /app\nCOPY <<EOF /app/s.sh\nclaude -v\nEOF\nRUN sh ./s.sh\n", ["error"]),
        ("COPY <<a.sh <<b.sh /opt/\necho a\na.sh\ncodex -v\nb.sh\nRUN sh /opt/b.sh\n", ["error"]),
        ("COPY <<EOF /s.sh\nclaude -v\nEOF\nRUN sh /s.sh\nRUN sh /s.sh\n", ["error", "warning"]),
        ("COPY <<EOF /s.sh\nclaude -v\nEOF\nRUN sed -i d /s.sh\nRUN sh /s.sh\n", ["warning"]),
        ("COPY <<EOF /s.sh\nclaude -v\nEOF\nCOPY s.sh /s.sh\nRUN sh /s.sh\n", []),
        ("COPY <<EOF /s.sh\nclaude -v\nEOF\nRUN sh /t.sh\n", []),
        ("FROM aishell:foundation AS b\nCOPY <<EOF /s.sh\nclaude -v\nEOF\nFROM b\nRUN sh /s.sh\n", ["error"]),
        ("COPY <<EOF /s.sh\n#!/usr/bin/env python3\nclaude -v\nEOF\nRUN chmod +x /s.sh && /s.sh\n", []),
    ],
)
def test_forms(text, want):
    assert severities(f"FROM aishell:foundation\n{text}") == want


def test_a_stage_keeps_the_latest_files(monkeypatch):
    """(A bounded number: each RUN looks for each one in its text.)"""
    import aishell.lint_rules.ais002_harness_at_build_time as rule

    copies = "".join(f"COPY <<EOF /s{i}.sh\nclaude -v\nEOF\n" for i in range(5))
    assert severities(f"FROM aishell:foundation\n{copies}RUN sh /s0.sh\n") == ["error"]
    monkeypatch.setattr(rule, "_WRITTEN_MAX", 2)
    assert severities(f"FROM aishell:foundation\n{copies}RUN sh /s4.sh\n") == ["error"]
    assert severities(f"FROM aishell:foundation\n{copies}RUN sh /s0.sh\n") == []
