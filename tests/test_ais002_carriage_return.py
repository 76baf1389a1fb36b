"""A carriage return inside a RUN line is a word's character to the shell: no AIS002 error there.

Red team (last session): `RUN true\\r&& claude -v` was an AIS002 error naming `claude`, though
claude never runs: BuildKit keeps a carriage return that is not before a line break (the
`dockerfile` package's parse: the RUN's text is `true\\r&& claude -v`), and dash reads it as an
ordinary character of a word, so the line runs `true\\r` (not found, 127) and `&&` skips claude.
aishell's shell reader reads `\\r` as a blank, so on such a line what it reads may not be what
runs: a harness call there is a warning at most, naming the carriage return. The class: scripts of
harness calls and other commands joined by `&&`, `||`, `;`, with a `\\r` put at a generated place
inside the line (in a word, before or after an operator, beside a harness name), judged by dash
with a stub harness (tests/dash.py `agrees`: no error where it did not run and fail, a finding
wherever it ran); the same lines without the `\\r` keep their errors (the near miss).
"""

from __future__ import annotations

import dockerfile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dash import agrees, outcome
from tests.severities import severities

HEAD = "FROM aishell:foundation\nRUN "
PIECES = ["true", "claude -v", "echo hi", "false", "codex --version"]
OPS = [" && ", " || ", "; ", "&&", ";"]


@st.composite
def _lines(draw):
    n = draw(st.integers(1, 3))
    parts = [draw(st.sampled_from(PIECES))]
    for _ in range(n - 1):
        parts += [draw(st.sampled_from(OPS)), draw(st.sampled_from(PIECES))]
    line = "".join(parts)
    at = draw(st.integers(1, len(line) - 1))  # (inside the line: BuildKit drops one at its end)
    return line, line[:at] + "\r" + line[at:]


def test_a_carriage_return_inside_the_line_is_no_error(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cr")

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_lines())
    def check(drawn):
        plain, line = drawn
        text = HEAD + line + "\n"
        (run,) = [c for c in dockerfile.parse_string(text) if c.cmd.upper() == "RUN"]
        assert run.value == (line,)  # (BuildKit keeps it: the oracle's parse)
        found = severities(text)
        failed, ran = outcome(line, tmp, harnesses=("claude", "codex"), cwd=tmp)
        agrees(found, failed, ran, repr(line))
        assert "error" not in found, repr(line)

    check()


def test_the_named_lines():
    assert severities(HEAD + "true\r&& claude -v\n") == ["warning"]
    assert severities(HEAD + "true && claude -v\n") == ["error"]  # (the near miss)
    assert severities(HEAD + "true && claude -v\r\n") == ["error"]  # (a CRLF line: BuildKit drops it)
