"""The general reader's memo of RUN lines that differ only in the digits `echo` and `:` take
gives what the reader gives (issue 18, r108).

aishell/shell.py's _analyse keeps the reader's Script of a RUN line (DIGIT_READ) under the line
with each digit made `0` where every digit is in a word of `echo` or `:` that DIGIT_MEMO keys
(echo's output reaches no command that reads it), none right after a `$`, and gives it again,
moved and with those words as the next line spells them, for a line of the same key: `echo "7" >
/f && claude -v` and `echo "8" > /f && claude -v` share one reading (and the walk's tokens). Each
file here is RUNs of one generated line under several digits of one length and of others (the
first is read, the others of its length may be made from it): read with DIGIT_READ on and off,
every RUN's script (its commands, items, tokens kept for the walk), its walks under four SHELLs
(failing starts asked alone, where the walk's memo answers, and with the names and unsure
expansions) and every finding of every rule must agree. The pieces hold near misses the key must
refuse: echo's text piped into a shell or written to a file a shell or `.` runs, `exit N`, `$1`,
`$xN` read as a command, `2>`, `yarn buildN`, `env N`, `x=N`, `[ N -eq 0 ]`, a word with quoted
and unquoted digits, a continued line.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.model import parse

from tests.runs import read_switched, switched, walks
from tests.test_shell_fast import _dump

_SHELLS = [shell.DEFAULT_SHELL, (True, False), (True, True), (True, True, True)]

# Commands with `{d}` where digits go (each RUN of a file its own), others as they are.
_ECHOES = [
    "echo {d}",
    'echo "x{d}"',
    'echo "{d}"',
    "echo $HOME{d}",
    'echo "$HOME{d}"',
    "echo ${d}",
    'echo "x"{d}',
    "echo x{d}y{d}",
    'echo "exit {d}"',
    "echo {d} > /f",
    'echo "{d}" > /f',
    'echo "{d}" >> f',
    "echo {d} >&2",
    "echo {d} 2>/dev/null",
    "echo {d} >/f{d}",
    'echo "exit {d}" > /s.sh',
    "echo {d} | tee /t",
    'echo "x{d}" | sudo tee /var/m',
    'echo "x{d}" | sudo tee -a f',
    'echo "claude {d}" | sh',
    "echo {d} | sudo sh",
    "echo {d} | tee /t | sh",
    'echo "exit {d}" | bash',
    "echo claude{d} | xargs",
    "echo -n {d}",
    "echo -{d}",
    ": {d}",
    ': "{d}"',
    ": {d} > /f",
    ": $x{d}",
    "echo trap claude {d} > /f",
    "echo trap claude {d} | tee /f",
    "echo claude >> /f",
    "echo x",
]
_OTHERS = [
    "claude -v",
    "npm ci",
    "yarn build{d}",
    "env {d}",
    "exit {d}",
    "exit 0",
    "return {d}",
    "sh /f",
    ". /f",
    "bash /s.sh",
    "/s.sh",
    "./f",
    "cat /f",
    "cat f | sh",
    "set -e",
    "set -o pipefail",
    "true",
    "false",
    "sudo claude",
    "sudo echo {d}",
    "xargs claude",
    "read x",
    "x={d}",
    "x{d}=claude",
    "$x",
    "$x{d} -v",
    "claude{d}",
    "eval echo {d}",
    "sleep {d}",
    "[ {d} -eq 0 ]",
    "! claude",
    "f",
    "sh -c claude",
    "trap claude {d}",
    "${d} -v",
    "shift {d}",
    "npx claude{d}",
]
_OPS = [" && ", " || ", "; ", " & ", " | ", "\n"]
# Digits of one length each (the key keeps the length), others among them.
_DIGITS = ["0", "1", "7", "9", "42", "13", "100", "2"]


def _record(ins) -> tuple:
    script = shell.analyse_run(ins)
    tokens = None if script.tokens is None else (list(script.tokens.texts), list(script.tokens.starts))
    alone = []
    for s in _SHELLS:
        ins.shell = shell.analyse_run(ins)  # (a walk takes the tokens kept: read afresh)
        alone.append(sorted(shell.failing_starts(ins, s)))
    return _dump(script), tokens, alone, walks(ins, _SHELLS)


def _text(line: str, digits: list[str]) -> str:
    return "FROM debian\n" + "".join("RUN " + line.replace("{d}", d).replace("\n", " \\\n  ") + "\n" for d in digits)


def _same(line: str, digits: list[str] = _DIGITS) -> None:
    text = _text(line, digits)
    on = read_switched(text, ("DIGIT_READ",), True, _record)
    off = read_switched(text, ("DIGIT_READ",), False, _record)
    assert on == off, text


def _line(pieces: list[str], ops: list[str]) -> str:
    out = pieces[0]
    for op, piece in zip(ops, pieces[1:]):
        out += op + piece
    return out


_SHAPE = [
    'echo "{d}" > /f && claude -v',
    "claude -v && npm ci && : {d}",
    "echo $HOME{d} && claude -v",
    'echo "x{d}" | sudo tee /var/m && claude -v',
]


def test_the_shapes_lines():
    # The shape's (benchmarks/scale.py refused_line_runs) and lines near them: the memo makes
    # most of the first (counted), never otherwise than the reader.
    lines = [
        *_SHAPE,
        "claude -v && yarn build{d}",
        "claude -v && env {d}",
        'echo "exit {d}" > /f && . /f && claude -v',
        'echo "claude{d}" | sh && claude -v',
        'echo "exit {d}" | sudo tee /s.sh && sh /s.sh',
        "echo {d} > /f; exit {d}",
        "echo trap claude {d} > /f; echo true >> /f; . /f; true",
        "echo trap claude {d} | sudo tee /f; echo claude >> /f; . /f",
        "echo $HOME{d} $x && $x",
        "x=claude; echo $x{d} && $x -v",
        "echo {d} \\\n && claude -v",
    ]
    for line in lines:
        _same(line)
    made = []
    read = shell._digit_read
    try:
        shell._digit_read = lambda s, first: made.append(got := read(s, first)) or got
        with switched(("DIGIT_READ",), True):
            for line in _SHAPE:
                shell._DIGIT_READS.clear()
                for d in ("1", "7", "9"):
                    ins = parse(_text(line, [d])).instructions[1]
                    shell.analyse_run(ins)
    finally:
        shell._digit_read = read
    assert sum(got[0] is not None for got in made) == 2 * len(_SHAPE)  # (each line's first is read)


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
)
def test_echoes_among_others(echoes, others, ops):
    _same(_line(echoes + others, ops), ["1", "7", "3"])
    _same(_line(others + echoes, ops), ["5", "2", "8"])
