"""A repeat of a harness call whose finding was made in full is reported in a few steps (issue 18).

lint_rules/ais002_harness_at_build_time.py's _check_run gives a repeat of a call (the same words,
REPEAT_CALLS) the message and fix message of the first such repeat's finding, and its own place and
fix, where only its place sets it apart (REPEAT_QUICK: the and_list benchmark's 800,000
`claude -v`). The tests compare the findings with it on and off: on RUNs of repeated calls joined
by `&&` and `||`, broken by pipes, `;`, `&`, `$c`, `cd`, `set -e`, an `exit`, a carriage return,
a heredoc, `npx`, in RUNs, ONBUILD RUNs and under a SHELL that is no POSIX shell.
"""

import sys

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell.errors import InputError
from aishell.lint_rules import ais002_harness_at_build_time as ais002

from tests.runs import lint_findings, switched

_PIECES = [
    "claude -v",
    "claude -v",
    "claude -v",
    "claude",
    "codex --help",
    "$c -v",
    "claude -v | cat",
    "npx claude",
    "echo hi",
    "cd /x",
    "set -e",
    "exit 1",
    "[ -f x ]",
    "c=claude",
    "claude\r -v",
    "bash <<EOF",
]
_OPS = [" && ", " && ", " && ", " || ", "; ", " & ", " | "]
_line = st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_OPS)), min_size=1, max_size=14).map(
    lambda parts: "".join(p + op for p, op in parts[:-1]) + parts[-1][0]
)
_FORMS = [
    "FROM node\nRUN {}\n",
    "FROM node\nRUN true && {}\n",
    "FROM node\nRUN true && {} && true\nRUN {}\n",
    "FROM node\nONBUILD RUN true && {}\n",
    'FROM a\nSHELL ["pwsh", "-c"]\nRUN true && {}\n',
    "FROM node AS b\nRUN true && {}\nFROM node\nRUN true\n",
    "FROM node\nRUN true && {}\nclaude -v\nEOF\n",
]


def _read(text: str, on: bool):
    with switched([(ais002, "REPEAT_QUICK")], on):
        try:
            return lint_findings(text)
        except InputError as e:  # (a text BuildKit refuses: refused both ways)
            return str(e)


def _both(text: str):
    return _read(text, True), _read(text, False)


@settings(max_examples=80, deadline=None)
@given(
    _line,
    st.sampled_from(_FORMS),
    st.integers(0, 12),
    st.sampled_from(["claude -v", "$c -v"]),
    st.sampled_from(_OPS),
    _line,
)
@example("claude -v", "FROM node\nRUN true && {}\n", 12, "claude -v", " || ", "true")
@example(
    "set -e",
    "FROM node\nRUN true && {}\n",
    10,
    "claude -v",
    "; ",
    "claude -v && claude -v && claude -v &",
)
@example("set -e", "FROM node\nRUN true && {}\n", 10, "claude -v", "; ", "claude -v")
@example("set -e", "FROM node\nRUN true && {}\n", 10, "claude -v", " & ", "claude -v")
@example(
    "set -e",
    "FROM node\nRUN c=claude && {}\n",
    10,
    "$c -v",
    "; ",
    "$c -v && $c -v && $c -v &",
)
@example(
    "claude -v && $c -v && claude -v",
    "FROM node\nRUN c=claude && {}\n",
    6,
    "claude -v",
    " && ",
    "$c -v",
)
@example(
    "claude -v | cat && claude -v",
    "FROM node\nRUN true && {}\n",
    6,
    "claude -v",
    " | ",
    "cat",
)
def test_repeated_calls_are_found_the_same_both_ways(line, form, repeats, call, op, after):
    """Each generated line, ``repeats`` more `&& claude -v` (or `&& $c -v`: REPEAT_QUICK takes a RUN
    of more than eight items), then another line after ``op``, on and off."""
    body = line + f" && {call}" * repeats + op + after
    fast, general = _both(form.format(body, body))
    assert fast == general


def _lines_run(text: str, on: bool) -> int:
    """The lines of _check_run run to lint ``text`` with REPEAT_QUICK ``on``."""
    code = ais002._check_run.__code__
    seen = [0]

    def trace(frame, event, arg):
        if frame.f_code is not code:
            return None
        if event == "line":
            seen[0] += 1
        return trace

    with switched([(ais002, "REPEAT_QUICK")], on):
        sys.settrace(trace)
        try:
            lint_findings(text)
        finally:
            sys.settrace(None)
    return seen[0]


def test_the_benchmark_list_takes_the_short_steps():
    """and_list's line: the same findings, and REPEAT_QUICK makes all but the first in fewer steps."""
    text = "FROM node\nRUN true" + " && claude -v" * 200 + "\n"
    fast, general = _both(text)
    assert fast == general and len(fast) == 200
    assert _lines_run(text, True) * 3 < _lines_run(text, False) * 2
