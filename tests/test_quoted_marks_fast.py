"""AIS002's memo of RUNs that differ only in the digits of a quoted word echo prints or of a quoted
heredoc delimiter gives what the rule gives RUN by RUN (issue 18, r70c).

lint_rules/ais002_harness_at_build_time.py keys its RUN memo (QUOTED_MARKS, with DIGIT_RUNS and
DIGIT_HEREDOCS) by the RUN's text with each digit made `0` also where an argument of `echo` or `:`
is a quoted word of plain characters and `<` (`RUN echo '<<X7' && claude -v`), and where a RUN's
one heredoc has a quoted delimiter (`RUN <<'E7'` … `E7`) or body lines that name a parameter
(`claude -v $x`): benchmarks/scale.py's quoted_heredoc_marks. Each file here is RUNs of
generated lines and heredocs under several digit runs (the memo answers from the third of a length
on), among steps that change what is on PATH: every finding of every rule, with its fix, must be
the same with QUOTED_MARKS on and off. The pieces hold near misses the key must refuse: a quoted
word that is a command or another command's argument (`'python3' x.py`, `exit '7'`, `taskset '0'
claude -v`), quoted words of other characters, `<<-`, `$_`, `$1` and `$x7` in a body, a body
line that is a mark, marks reused and left unterminated.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.errors import InputError
from aishell.lint import Options, lint_text
from aishell.lint_rules import ais002_harness_at_build_time as ais002
from aishell.model import DockerfileSyntaxError
from tests.growth import guard
from tests.runs import read_switched, switched
from tests.test_ais002_digits_fast import _FROMS, _STEPS, _line

_SWITCHES = ((ais002, "QUOTED_MARKS"),)
# (the memo answers from the third RUN of a length on: `0` and `3`, which some commands read
# otherwise than another digit (`taskset 0`, `python3`), come after two others)
_DIGITS = ["1", "7", "0", "3", "2", "42", "10", "00", "100"]

# Commands of a RUN's line, `{d}` where a digit run goes: quoted marks the class takes, near misses.
_MARKS = [
    "echo '<<X{d}'",
    'echo "<<X{d}"',
    "echo '<<{d}X'",
    "echo '<<X{d}Y{d}'",
    "echo '<<-X{d}'",
    "echo '{d}<<X'",
    ": '<<X{d}'",
    "echo '<<X{d}' \"<<E{d}\" {d}",
    "echo -n '<<X{d}'",
    "echo '-{d}'",
    "echo 'claude{d}'",
    "echo '<<\"E{d}\"'",
    "echo \"<<'E{d}'\"",
    "echo '<<X {d}'",
    "echo '<<X{d}' > /f",
    "echo '<<X{d}' | sh",
    'echo "<<X{d}" | tee /f',
    "echo '$x{d}'",
    "echo <<X{d}",
    "cat '<<X{d}'",
    "sh '<<X{d}'",
    "'claude{d}' -v",
    "'python{d}' x.py",
    "exit '{d}'",
    "taskset '{d}' claude -v",
    "xargs -n '{d}' claude",
    "sleep '{d}'",
]
_OTHERS = [
    "claude -v",
    "codex --version",
    "npx claude -v",
    "npm i -g @anthropic-ai/claude-code@1.0.{d}",
    "true",
    "exit {d}",
    "claude{d}",
    "echo {d}",
    "set -e",
]
_OPS = [" && ", " || ", "; ", " & "]

# Heredoc RUNs: the line (`{w}` where the delimiter goes), the body lines, the delimiter.
_DOC_LINES = [
    "<<'{w}'",
    '<<"{w}"',
    "<<{w}",
    "<<-'{w}'",
    "bash <<'{w}'",
    'sh -e <<"{w}"',
    "cat <<'{w}'",
    "cat > /usr/local/bin/claude <<'{w}'",
    "<<'{w}' claude -v",
    "<<'{w}' && claude -v",
    "xargs -n {d} claude <<'{w}'",
    "bash {d} <<'{w}'",
    "echo '<<X{d}' <<'{w}'",
    "echo <<'{w}'",
]
_BODIES = [
    ["claude -v $x"],
    ["claude -v"],
    ["true"],
    ["echo {d}", "claude -v $x"],
    ["echo '<<X{d}'", "claude -v"],
    ["claude -v $x", 'echo "<<E{d}"'],
    ["$x -v", "echo {d}"],
    ["echo {d}", "claude $_"],
    ["claude -v $x{d}"],
    ["claude -v $HOME", "", "echo {d} {d}"],
    ["claude -p $x", "exit {d}"],
    ["cat", "echo {d}"],
    ["E5", "claude -v"],
    ["echo $x && claude -v"],
    ['echo "$x{d}" && claude -v'],
    ["echo {d} $HOME", "$x"],
    ["taskset '{d}' claude -v"],
    ["echo {d}", "'python{d}' x.py", "claude -v"],
    ["claude -v $1"],
    ["taskset {d} claude -v $x"],
]
_DELIMITERS = ["E{d}", "{d}E", "E{d}X", "EOF", "X{d}Y{d}", "E5"]
_DOC_STEPS = [*_STEPS, "ENV x=--version", "ARG x=claude", "ENV HOME=/opt/claude"]


def _record(ins) -> None:
    return None


def _read(text: str, on: bool):
    try:
        return read_switched(text, _SWITCHES, on, _record)
    except (InputError, DockerfileSyntaxError) as e:  # (a mark unterminated, or ended by another's)
        return str(e)


def _same(text: str) -> None:
    assert _read(text, True) == _read(text, False), text


def _doc(line: str, body: list[str], delimiter: str, d: str, close: str | None = None) -> list[str]:
    """The lines of one heredoc RUN, its digits ``d``; ``close``: the terminator line if not the
    delimiter (another RUN's mark, or none)."""
    word = delimiter.replace("{d}", d)
    out = ["RUN " + line.replace("{w}", word).replace("{d}", d)]
    out.extend(piece.replace("{d}", d) for piece in body)
    out.append(word if close is None else close)
    return out


def _file(base: str, runs: list, digits: list[str], steps: list[str]) -> str:
    """``base``, then for each digit run each of ``runs`` (a line of `{d}`, or a heredoc's
    (line, body, delimiter[, close])) with it, a step of ``steps`` before each round."""
    out = [base]
    for k, d in enumerate(digits):
        step = steps[k % len(steps)]
        if step:
            out.append(step)
        for run in runs:
            if isinstance(run, str):
                out.append("RUN " + run.replace("{d}", d))
            else:
                out.extend(_doc(*run[:3], d, *run[3:]))
    return "\n".join(out) + "\n"


def _shape(n: int) -> str:
    """benchmarks/scale.py's quoted_heredoc_marks, ``n`` RUNs."""
    out = ["FROM aishell:foundation\n"]
    for i in range(n):
        out.append(f"RUN echo '<<X{i}' && claude -v\n" if i % 2 else f"RUN <<'E{i}'\nclaude -v $x\nE{i}\n")
    return "".join(out)


def test_the_shape():
    _same(_shape(40))
    for base in _FROMS:
        _same(_file(base, ["echo '<<X{d}' && claude -v", ("<<'{w}'", ["claude -v $x"], "E{d}")], _DIGITS, _DOC_STEPS))


def test_memo_answers():
    # The shape's RUNs are answered by the memo from the third of a kind on: no script read.
    calls = []
    real = ais002.analyse_run

    def counted(ins, *args):
        calls.append(ins)
        return real(ins, *args)

    ais002.analyse_run = counted
    try:
        text = _file(
            "FROM debian",
            ["echo '<<X{d}' && claude -v", ("<<'{w}'", ["claude -v $x"], "E{d}")],
            [str(n) for n in range(10, 40)],
            [""],
        )
        for on, read in ((True, 2 + 2), (False, 60)):
            calls.clear()
            with switched(_SWITCHES, on):
                lint_text(text, "Dockerfile", Options(use_config=False))
            assert len(calls) == read, on  # (on: the first two of each kind)
    finally:
        ais002.analyse_run = real


def test_each_mark_among_others():
    # Every line piece before and after a harness call, and every heredoc line with the shape's
    # body and every delimiter: each alone in its file, so that the memo meets it.
    for piece in _MARKS:
        for line in (piece + " && claude -v", "claude -v; " + piece, "echo {d} && " + piece):
            _same(_file("FROM debian", [line], _DIGITS, [""]))
    for line in _DOC_LINES:
        for delimiter in _DELIMITERS[:4]:
            _same(_file("FROM debian", [(line, ["claude -v $x"], delimiter)], _DIGITS, [""]))
    for body in _BODIES:
        _same(_file("FROM aishell:foundation", [("<<'{w}'", body, "E{d}")], _DIGITS, _DOC_STEPS[-4:]))


def test_marks_mismatched_and_reused():
    # One mark for every RUN; a body line that is another mark (of this RUN under other digits, of
    # the RUNs of a line); a quoted `<<` beside a heredoc's; a body no command reads (echo's
    # stdin); each file read, not refused. Then a mark left unterminated: refused both ways.
    body = ["claude -v $x"]
    for runs in (
        [("<<'{w}'", [*body, "echo {d}"], "E5"), "echo '<<E5' && claude -v"],
        [("<<'{w}'", [*body, "E{d}0"], "E{d}")],
        [("<<'{w}'", ["X{d}", *body], "E{d}"), "echo '<<X{d}' && claude -v"],
        [("echo '<<E{d}' <<'{w}'", body, "E{d}")],
        [("echo <<'{w}'", body, "E{d}"), ("<<'{w}'", body, "E{d}")],
    ):
        text = _file("FROM aishell:foundation", runs, _DIGITS, [""])
        assert not isinstance(_read(text, False), str), text
        _same(text)
    text = _file("FROM debian", [("<<'{w}'", body, "E{d}")], _DIGITS, [""]) + "RUN <<'E9'\nclaude -v\n"
    assert isinstance(_read(text, False), str)
    _same(text)


_line_runs = st.builds(
    _line,
    st.lists(st.sampled_from(_MARKS + _OTHERS), min_size=1, max_size=3),
    st.lists(st.sampled_from(_OPS), min_size=2, max_size=2),
)
_doc_runs = st.tuples(
    st.sampled_from(_DOC_LINES),
    st.lists(st.sampled_from(_BODIES), min_size=1, max_size=2).map(lambda bodies: [x for b in bodies for x in b]),
    st.sampled_from(_DELIMITERS),
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.lists(st.one_of(_line_runs, _doc_runs), min_size=1, max_size=3),
    st.lists(st.sampled_from(_DIGITS), min_size=3, max_size=5),
    st.lists(st.sampled_from(_DOC_STEPS), min_size=1, max_size=2),
    st.sampled_from(_FROMS),
)
def test_generated(runs, digits, steps, base):
    _same(_file(base, runs, digits, steps))


def test_the_shape_stays_linear():
    # The memo's keys and tables: 16 times the RUNs in less than ten times the linear growth.
    def lint(n: int) -> None:
        lint_text(_shape(n), "Dockerfile", Options(use_config=False))

    guard(lint, 400)
