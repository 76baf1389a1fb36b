"""AIS002's memo of RUNs that differ only in digits the shell reader keys alike (DIGIT_WIDE) gives
what the rule gives RUN by RUN (issue 18, r116).

lint_rules/ais002_harness_at_build_time.py keys its RUN memo by the RUN's text with each digit
made `0` also where the line is of aishell/shell.py's DIGIT_MEMO class (_digit_words): the words
of `echo` and `:` in double quotes, after a `$` name, printed to a file or into `[sudo] tee`, and
the lone word of `yarn build7`, `env 7`, every digit of the line in such a word. Each file here is
RUNs of one generated line under several digit runs (the memo answers from the third of a length
on), among steps that change what is on PATH or what a variable holds: every finding of every
rule, with its fix, must be the same with DIGIT_WIDE on and off. The pieces hold near misses the
key must refuse: a digit in a file written or read (`> /f7`, `tee /f7`, `cat /f7`), after a `$`
(`$7`), in a command's name or another command's word (`claude7`, `exit 7`, `yarn 7`, `env 7 x`,
`taskset 0 claude -v`, which runs nothing),
echo's output read (`| sh`, `> claude`, `sh /f`), a redirection of `yarn build7`.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint_rules import ais002_harness_at_build_time as ais002

from tests.runs import read_switched
from tests.test_ais002_digits_fast import _FROMS, _STEPS, _line, _text

# benchmarks/scale.py's refused lines (`{d}` where its number goes).
_SHAPE = [
    'echo "{d}" > /f && claude -v',
    "claude -v && npm ci && : {d}",
    "echo $HOME{d} && claude -v",
    "claude -v && yarn build{d}",
    "claude -v && env {d}",
    'echo "x{d}" | sudo tee /var/m && claude -v',
]
# Commands the class takes (`{d}` where a digit run goes) and near misses it must refuse.
_WIDE = [
    'echo "{d}" > /f',
    'echo "x{d}" | sudo tee /var/m',
    'echo "x{d}" | tee -a /f',
    "echo $HOME{d}",
    'echo "$HOME{d}"',
    "echo -{d}",
    "echo x{d} >> /f",
    ': "{d}"',
    "yarn build{d}",
    "pnpm test{d}",
    "env {d}",
    'echo "{d}" > /f{d}',
    "echo x{d} | tee /f{d}",
    "echo ${d}",
    "echo $x{d} | sh",
    'echo "claude {d}" > /f',
    "echo {d} > claude",
    'echo "{d}" 2> /f',
    "env {d} x",
    "yarn {d}",
    "yarn claude{d}",
    "yarn build{d} > /f",
    "env {d} | cat",
    "cat /f{d}",
]
_OTHERS = [
    "claude -v",
    "codex --version",
    "npx claude -v",
    "./claude -v",
    "npm i -g @anthropic-ai/claude-code@1.0.{d}",
    "npm ci",
    "ln -s /opt/c claude",
    "true",
    "set -e",
    "exit {d}",
    "claude{d}",
    "x=claude",
    "export HOME{d}=claude",
    "sh /f",
    "cat /f",
    "chmod +x /f && /f",
    "sudo tee /f",
    "xargs -n {d} claude",
    "taskset {d} claude -v",
    "ionice -c {d} claude",
]
_WIDE_STEPS = [*_STEPS, "ENV HOME7=claude", "ENV HOME1=/usr/bin", "ARG HOME10=codex"]
_OPS = [" && ", " || ", "; ", " & ", " | "]
# (the memo answers from the third RUN of a length on: a `0`, which some commands read otherwise
# than another digit (`taskset 0`, `xargs -n 0`), comes third)
_DIGITS = ["1", "7", "0", "2", "9", "42", "10", "00", "99", "100"]


def _record(ins) -> None:
    return None


def _same(text: str) -> None:
    switches = ((ais002, "DIGIT_WIDE"),)
    assert read_switched(text, switches, True, _record) == read_switched(text, switches, False, _record), text


def test_the_shapes_lines():
    for line in _SHAPE:
        _same(_text("FROM debian", line, _DIGITS, [""]))
        _same(_text("FROM aishell:foundation", line, _DIGITS, _WIDE_STEPS))


def test_memo_answers():
    # The shape's RUNs are answered by the memo from the third on: no script read for them (its
    # second line, of DIGIT_RUNS's class, was before).
    calls = []
    real = ais002.analyse_run

    def counted(ins, *args):
        calls.append(ins)
        return real(ins, *args)

    ais002.analyse_run = counted
    try:
        for line in (_SHAPE[0], *_SHAPE[2:]):
            calls.clear()
            _same(_text("FROM debian", line, [str(n) for n in range(10, 30)], [""]))
            assert len(calls) == 20 + 2, line  # (off: every RUN; on: the first two)
    finally:
        ais002.analyse_run = real


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(_WIDE + _OTHERS), min_size=1, max_size=3),
    st.lists(st.sampled_from(_OPS), min_size=2, max_size=2),
    st.lists(st.sampled_from(_DIGITS), min_size=3, max_size=5),
    st.lists(st.sampled_from(_WIDE_STEPS), min_size=1, max_size=2),
    st.sampled_from(_FROMS),
)
def test_generated_lines(pieces, ops, digits, steps, base):
    _same(_text(base, _line(pieces, ops), digits, steps))


def test_each_piece_among_others():
    # Every piece, before and after a harness call, its digits in the RUN once and twice.
    for piece in _WIDE:
        for line in (
            piece + " && claude -v",
            "claude -v; " + piece,
            piece + " && " + piece + " || codex -v",
            piece + "; taskset {d} claude -v",
        ):
            _same(_text("FROM debian", line, _DIGITS, [""]))
