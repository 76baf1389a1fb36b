"""Removing a harness command from a RUN whose line feeds a heredoc to a shell (issue 18, red team
r32: data loss). The line's items and each body's are parts of one numbering (analyse_run), and
a removal stays within its part (lint_rules._edits.item_part): `RUN bash <<B & claude -v` once
lost a body line and kept `claude -v`, the line's item naming a body's span.

Generated, every combination: list operator x form that feeds the body to a shell x harness call
before or after it on the line x body of 1-3 lines x AIS002 (a call) and AIS003 (an install).
After the fixes `migrate --write --unsafe-fixes` applies: BuildKit's parser accepts the file,
every heredoc body is byte-identical, and the harness command is gone from the line, or no fix
was offered. A harness call inside a body, alone or among other lines, in one body of several:
the line and the other bodies stay byte-identical, its body loses that line or nothing.
"""

from __future__ import annotations

import itertools
import os

import pytest

from aishell.lint import Options, lint_text
from aishell.migrate import fixer
from tests.growth import guard

dockerfile = pytest.importorskip("dockerfile")
from tests.test_fix_validity import buildkit  # noqa: E402

OPTS = Options(use_config=False)
# (Not ` || `: an operand of `||` gets no fix, tests/test_fix_keeps_the_rest_working.py.)
OPS = [" ; ", " && ", " & ", ";", "&&", " \\\n  && "]
# Forms that feed the heredoc body to a shell (`{d}`: the delimiter word as written).
FEEDERS = ["bash <<{d}", "sh -s <<{d}", ". /dev/stdin <<{d}", "bash <<-{d}", 'bash <<"{d}"', "cat <<{d} | sh"]
CALLS = {
    "AIS002": ("FROM debian\n", "claude -v"),
    "AIS003": ("FROM node:20\n", "npm install -g @anthropic-ai/claude-code"),
}


def _body(feeder: str, lines: list[str], name: str = "B") -> str:
    """The body lines and the terminator, tab-indented for `<<-`."""
    tab = "\t" if "<<-" in feeder else ""
    return "".join(f"{tab}{ln}\n" for ln in lines) + f"{tab}{name}\n"


def _migrate(text: str, tmp_path) -> str:
    """The text `aishell migrate --write --unsafe-fixes` writes."""
    path = os.path.join(tmp_path, "Dockerfile")
    return fixer.fix_text(text, path, lambda t, p: lint_text(t, p, OPTS).findings, unsafe=True).text


def _fixes(text: str, tmp_path, code: str) -> list:
    path = os.path.join(tmp_path, "Dockerfile")
    return [f.fix for f in lint_text(text, path, OPTS).findings if f.code == code and f.fix]


def _line_case(code: str, op: str, feeder: str, before: bool, n: int) -> tuple[str, str, str, str]:
    """(the text, the part before the RUN, its body lines with the terminator, the feeding form)."""
    head, call = CALLS[code]
    feed = feeder.format(d="B")
    line = f"RUN {call}{op}{feed}\n" if before else f"RUN {feed}{op}{call}\n"
    rest = _body(feeder, [f"echo {k}" for k in range(n)])
    return head + line + rest, head, rest, feed


# (Not an operator glued to a delimiter, `<<B;`: BuildKit takes `B;` for its name.)
LINE_CASES = [
    c
    for c in itertools.product(CALLS, OPS, FEEDERS, (True, False), (1, 2, 3))
    if buildkit(_line_case(*c)[0]) is not None
]


def test_the_line_cases_are_every_combination_buildkit_reads():
    assert len(LINE_CASES) == 2 * len(OPS) * len(FEEDERS) * 2 * 3 - 2 * 2 * 5 * 3


@pytest.mark.parametrize("code, op, feeder, before, n", LINE_CASES)
def test_a_harness_command_on_the_line_goes_and_the_bodies_stay(code, op, feeder, before, n, tmp_path):
    text, head, rest, feed = _line_case(code, op, feeder, before, n)
    call = CALLS[code][1]
    assert _fixes(text, tmp_path, code), "the case offers its fix (else it tests nothing)"
    new = _migrate(text, tmp_path)
    after = buildkit(new)
    assert after is not None, new
    assert new.endswith("\n" + rest), f"a heredoc body changed:\n{new}"
    assert [h for c in after for h in c[3]] == [h for c in buildkit(text) for h in c[3]]
    if new == text:
        assert not _fixes(text, tmp_path, code), "a fix offered and refused"
        return
    # The line is the feeding form alone (`a & b` without b is `a &`: `a` stays in the background).
    assert call not in new
    assert new == head + f"RUN {feed}" + (" &" if op == " & " and not before else "") + "\n" + rest


BODY_CASES = list(itertools.product(FEEDERS, (" && ", " ; ", ""), (1, 2, 3), range(3)))


@pytest.mark.parametrize("feeder, op, n, at", [c for c in BODY_CASES if c[3] < c[2]])
def test_a_harness_command_in_a_body_goes_from_it_alone(feeder, op, n, at, tmp_path):
    """`claude -v` as line ``at`` of ``n``, in the first of two bodies (the second read as a
    script too: `sh <<A <<B` of the forms; `echo ok` after the line's operator)."""
    feed = feeder.format(d="A") + " <<C"
    lines = [f"echo {k}" for k in range(n)]
    lines[at] = "claude -v"
    first, second = _body(feeder, lines, "A"), "echo c\nC\n"
    line = f"RUN {feed}{op}echo ok\n" if op else f"RUN {feed}\n"
    text = "FROM debian\n" + line + first + second
    if buildkit(text) is None:
        pytest.skip("BuildKit rejects the form")
    new = _migrate(text, tmp_path)
    assert buildkit(new) is not None, new
    kept = "FROM debian\n" + line
    if new == text:
        assert not _fixes(text, tmp_path, "AIS002"), "a fix offered and refused"
        return
    # The line and the other body stay; the body loses its `claude -v` line, nothing else (or the
    # whole RUN goes, when it runs nothing else).
    tab = "\t" if "<<-" in feeder else ""
    without = first.replace(f"{tab}claude -v\n", "", 1)
    assert new in (kept + without + second, "FROM debian\n"), new


@pytest.mark.parametrize("n", [1, 2, 3])
def test_harness_calls_alone_in_each_of_several_bodies_keep_every_body(n, tmp_path):
    """The n-heredoc shape: each body's only item is no item of another body's list. The shell
    reads the last heredoc only (the last redirection of fd 0 wins; the others are data no one
    reads): one finding, and its fix may take the whole RUN, which runs nothing else."""
    text = "FROM debian\nRUN sh " + " ".join(f"<<E{i}" for i in range(n)) + "\n"
    text += "".join(f"claude\nE{i}\n" for i in range(n))
    found = lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False)).findings
    assert len(found) == 1 and found[0].line == 3 + 2 * (n - 1), found
    new = _migrate(text, tmp_path)
    assert new == "FROM debian\n", new


def test_the_cli_keeps_the_body_of_the_red_team_file(tmp_path):
    """The reproducer, through `aishell migrate --write --unsafe-fixes`."""
    import subprocess
    import sys

    text = "FROM debian\nRUN bash <<B & claude -v\necho one\necho two\nB\n"
    (tmp_path / "Dockerfile").write_text(text)
    subprocess.run(
        [sys.executable, "-m", "aishell", "migrate", "--write", "--unsafe-fixes", "Dockerfile"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert (tmp_path / "Dockerfile").read_text() == "FROM debian\nRUN bash <<B &\necho one\necho two\nB\n"


def test_many_bodies_of_one_harness_call_each_are_not_quadratic(tmp_path):
    """`RUN sh <<E0 <<E1 …` with `claude` in each body: every fix once spanned two bodies (their
    items one list), failed its check and was tried again each pass (n=800: 5.8 s)."""
    from aishell.migration import fix_text

    path = str(tmp_path / "Dockerfile")

    def migrate(n: int) -> None:
        text = "FROM debian\nRUN sh " + " ".join(f"<<E{i}" for i in range(n)) + "\n"
        fix_text(text + "".join(f"claude\nE{i}\n" for i in range(n)), path, OPTS, unsafe=True)

    guard(migrate, 50)
