"""The status walk's memo of lines that differ only in the digits `echo` and `:` take gives what
the walk gives (issue 18, r106).

aishell/shell.py's failing_starts keys the walk of a RUN line (DIGIT_MEMO) by its tokens with the
digit runs in the words of `echo` and `:` made `0`, where those words reach no command (echo's
output on stdout, or in a file or a `[sudo] tee` only where every other command is decided by its
first word and names no file), so that `echo "7" > /f && claude -v` and `echo "8" > /f && claude
-v` share one walk. Each file here is RUNs of one generated line under several digit runs (the
first walks, the others may be answered by the memo): read with DIGIT_MEMO on and off, the failing
starts under four SHELLs, asked alone (where the memo answers), and every finding of every rule
must agree. The pieces hold near misses the key must refuse: echo's text piped into a shell, in a
file a shell or `.` runs (`trap claude 0` there), `exit N`, `$1`, `$xN`, `trap claude 0`, `yarn
buildN`, `env N`, `x=N`, `[ N -eq 0 ]`.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell import shell

from tests.runs import read_switched

_SHELLS = [shell.DEFAULT_SHELL, (True, False), (True, True), (True, True, True)]

# Commands with `{d}` where a digit run goes (each RUN of a file its own), others as they are.
_ECHOES = [
    "echo {d}",
    'echo "x{d}"',
    "echo $HOME{d}",
    'echo "exit {d}"',
    "echo {d} > /f",
    'echo "{d}" >> f',
    "echo {d} >&2",
    'echo "exit {d}" > /s.sh',
    "echo {d} | tee /t",
    'echo "x{d}" | sudo tee /var/m',
    'echo "x{d}" | sudo tee -a f',
    'echo "claude {d}" | sh',
    "echo {d} | sudo sh",
    "echo {d} | tee /t | sh",
    'echo "exit {d}" | bash',
    "echo claude{d} | xargs",
    "echo {d} 2>/dev/null",
    ": {d}",
    ': "{d}"',
    ": {d} > /f",
    ": $x{d}",
    "echo trap claude {d} > /f",
    "echo trap claude {d} | tee /f",
    "echo claude >> /f",
]
_OTHERS = [
    "claude -v",
    "npm ci",
    "yarn build{d}",
    "env {d}",
    "exit {d}",
    "exit 0",
    "exit 1",
    "return {d}",
    "sh /f",
    ". /f",
    ". f",
    "bash /s.sh",
    "/s.sh",
    "./f",
    "chmod +x /s.sh",
    "cat /f",
    "cat f",
    "python f",
    "set -e",
    "set +e",
    "set -o pipefail",
    "true",
    "false",
    "sudo claude",
    "xargs claude",
    "read x",
    "x={d}",
    "$x",
    "claude{d}",
    "eval echo {d}",
    "sleep {d}",
    "[ {d} -eq 0 ]",
    "test {d} -eq 0",
    "! claude",
    "cd /f",
    "f",
    "sh -c claude",
    # (digits the walk reads: a trap's condition, 0 the shell's exit; a positional parameter; a
    # variable's name; how many parameters shift takes)
    "trap claude {d}",
    'trap "exit 1" {d}',
    "set -- claude false",
    "${d} -v",
    "$x{d}",
    "x1=claude",
    "shift {d}",
]
_OPS = [" && ", " || ", "; ", " & ", " | ", "\n"]
_DIGITS = ["0", "1", "7", "42", "100", "9", "2"]


def _record(ins) -> list:
    ins.shell = shell.analyse_run(ins)
    out = []
    for s in _SHELLS:
        ins.shell = shell.analyse_run(ins)  # (a walk takes the tokens kept: read afresh)
        out.append(sorted(shell.failing_starts(ins, s)))
    return out


def _text(line: str, digits: list[str]) -> str:
    return "FROM debian\n" + "".join("RUN " + line.replace("{d}", d).replace("\n", " \\\n  ") + "\n" for d in digits)


def _same(line: str, digits: list[str]) -> None:
    text = _text(line, digits)
    on = read_switched(text, ("DIGIT_MEMO",), True, _record)
    off = read_switched(text, ("DIGIT_MEMO",), False, _record)
    assert on == off, text


def _line(pieces: list[str], ops: list[str]) -> str:
    out = pieces[0]
    for op, piece in zip(ops, pieces[1:]):
        out += op + piece
    return out


def test_the_shapes_lines():
    # The shape's (benchmarks/scale.py refused_line_runs) and lines near them: the memo answers
    # for most of the first (counted), never otherwise than the walk.
    lines = [
        'echo "{d}" > /f && claude -v',
        "claude -v && npm ci && : {d}",
        "echo $HOME{d} && claude -v",
        "claude -v && yarn build{d}",
        "claude -v && env {d}",
        'echo "x{d}" | sudo tee /var/m && claude -v',
        'echo "exit {d}" > /f && . /f && claude -v',
        'echo "claude{d}" | sh && claude -v',
        'echo "exit {d}" | sudo tee /s.sh && sh /s.sh',
        "echo {d} > /f; exit {d}",
        # (what the walk reads in a file echo wrote: `trap claude 0` runs claude as the shell exits)
        "echo trap claude {d} > /f; echo true >> /f; . /f; true",
        "echo trap claude {d} > /f && echo claude >> /f && . /f",
        "echo trap claude {d} | tee /f; echo claude >> /f; . /f",
        "echo trap claude {d} | sudo tee /f; echo claude >> /f; . /f",
        "echo trap claude {d} > /f; echo claude -v >> /f; sh /f",
    ]
    for line in lines:
        _same(line, _DIGITS)
    hits: list = []
    with_memo = shell._WALKED
    try:
        shell._WALKED = {}
        for line in lines[:3] + lines[5:6]:
            for d in _DIGITS:
                text = _text(line, [d])
                from aishell.model import parse

                ins = parse(text).instructions[1]
                ins.shell = shell.analyse_run(ins)
                shell.failing_starts(ins, shell.DEFAULT_SHELL, hit=hits)
    finally:
        shell._WALKED = with_memo
    assert len(hits) == 4 * (len(_DIGITS) - 1)  # (each line's first walk fills the memo)


@settings(max_examples=120, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(_ECHOES + _OTHERS), min_size=1, max_size=4),
    st.lists(st.sampled_from(_OPS), min_size=3, max_size=3),
    st.lists(st.sampled_from(_DIGITS), min_size=2, max_size=4),
)
def test_generated_lines(pieces, ops, digits):
    _same(_line(pieces, ops), digits)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(_ECHOES), min_size=1, max_size=2),
    st.lists(st.sampled_from(_OTHERS), min_size=1, max_size=2),
    st.lists(st.sampled_from(_OPS), min_size=3, max_size=3),
    st.lists(st.sampled_from(_DIGITS), min_size=2, max_size=3),
)
def test_echoes_among_others(echoes, others, ops, digits):
    _same(_line(echoes + others, ops), digits)
    _same(_line(others + echoes, ops), digits)
