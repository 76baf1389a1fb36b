"""The made-files benchmark's short ways give what the general ones give (issue 18, "made files
and harness calls": a RUN that makes files of a harness's name between harness calls).

aishell/shell.py's _Splitter._rows gives the commands of one row text of a "rows" token one argv
list (ROWS_SHARED); lint_rules/_provides.py's run_provides gives a file maker whose argv is the
list of the one before its answers again (ARGV_REPEATS), and warn_where_unbuilt passes a
one-stage file's findings on in C (ONE_STAGE_PASS); AIS002's _check_run reads a row's first word
span itself (ROW_SPAN_INLINE) and drop_item's answer for an item after `; ` (SEMI_INLINE). Each
test reads RUNs made of the benchmark's constructs (files made relative, after `cd`, into `-t`
directories, after PATH assignments; functions that call the one before; pipes; traps; harness
calls) and of near ones, joined by every list operator and continuation, under stages that change
what AIS002 says (a WORKDIR, an ENV PATH, an install, ONBUILD, a heredoc, a stage the build
skips), and compares the reader's records and the findings with each switch on and off. The
shape's lint stays linear (a growth guard).
"""

from __future__ import annotations


import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.lint import Options, lint_text
from aishell.lint_rules import _provides
from aishell.lint_rules import ais002_harness_at_build_time as ais002
from aishell.model import parse

from tests.growth import guard
from tests.test_shell_fast import _runs
from tests.switched import read_switched

from tests.bench_scale import scale

# The benchmark's constructs ({i}: the unit's number, {j}: the one before), and near ones: other
# harnesses, files made in other ways or none, a call by a path, a piped call, a wrapper.
_PIECES = [
    "ln -s x claude",
    "claude -v",
    "cd /o{i}",
    "install -m 755 -t bin{i} ./claude",
    "PATH=/p{i}:$PATH",
    "printf x > claude",
    "f{i}() {{ f{j}; }}",
    "f{i} | cat",
    "trap 'x' $S{i}",
    "ln -s x codex",
    "codex --version",
    "ln -s x /usr/local/bin/claude",
    "cp x claude",
    "install -t bin ./claude",
    "./claude -v",
    "claude -v | cat",
    "echo a b",
    "sudo claude -v",
    "export PATH=/q:$PATH",
    "claude() {{ :; }}",
    "unset -f claude",
    "npm i -g @anthropic-ai/claude-code",
]
_OPERATORS = [" && ", "; ", " || ", " \\\n && ", " \\\n; ", ";", " &&\\\n ", " | ", " & "]
# Where the RUN stands: the stage and the steps before it, and its keyword.
_HEADS = [
    "FROM aishell:foundation\nRUN true",
    "FROM aishell:foundation\nWORKDIR /w\nRUN true",
    "FROM aishell:foundation\nENV PATH=/p0:$PATH\nRUN true",
    "FROM node:24\nRUN true",
    "FROM aishell:foundation\nONBUILD RUN true",
    "FROM aishell:foundation\nRUN cat <<EOF > s\nx\nEOF\nRUN true",
    "FROM node:24 AS unused\nRUN claude -v\nFROM aishell:foundation\nRUN true",
]
_SWITCHES = [
    (ais002, "ROW_SPAN_INLINE"),
    (ais002, "SEMI_INLINE"),
    (_provides, "ARGV_REPEATS"),
    (_provides, "ONE_STAGE_PASS"),
]


def _text(head: str, units: list[tuple[int, str]], tail: str = "") -> str:
    """The Dockerfile of ``head`` then each unit (its piece, the operator before it)."""
    body = "".join(op + _PIECES[k].format(i=n, j=n - 1) for n, (k, op) in enumerate(units))
    return head + body + tail + "\n"


def _findings(text: str) -> list:
    return [
        (f.code, f.message, f.severity, f.start, f.end, f.fix)
        for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings
    ]


def _warm(text: str):
    """The reader's records and the findings of ``text`` with the switches as they are, read
    after a lint of it has filled the reader's memos of words (the rows, the plain first words:
    a short way takes only what they hold), each reading afresh (no RUN text kept)."""
    shell._SEEN = {}
    _findings(text)
    shell._SEEN = {}
    runs = _runs(text)
    shell._SEEN = {}
    findings = _findings(text)
    shell._SEEN = {}
    return runs, findings


def _compare(text: str) -> None:
    """The reader's records and the findings of ``text`` with every switch off (read cold, as
    read_switched reads), and with them all on, ROWS_SHARED off, or each of the rules' switches
    off (read warm: _warm)."""
    saved = [getattr(mod, name) for mod, name in _SWITCHES], shell.ROWS_SHARED
    try:
        for mod, name in _SWITCHES:
            setattr(mod, name, False)
        general = read_switched(text, ROWS_SHARED=False)
        assert _warm(text) == general
        for mod, name in _SWITCHES:
            setattr(mod, name, True)
        assert _warm(text) == general
        shell.ROWS_SHARED = False
        assert _warm(text) == general
        shell.ROWS_SHARED = True
        for mod, name in _SWITCHES:
            setattr(mod, name, False)
            assert _warm(text) == general, name
            setattr(mod, name, True)
    finally:
        for (mod, name), value in zip(_SWITCHES, saved[0]):
            setattr(mod, name, value)
        shell.ROWS_SHARED = saved[1]
        shell._SEEN = {}


_UNITS = st.lists(st.tuples(st.integers(0, len(_PIECES) - 1), st.sampled_from(_OPERATORS)), min_size=1, max_size=24)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_HEADS), _UNITS, st.sampled_from(["", " \\\n && claude -v", "; claude -v", " && cd /x"]))
@example(_HEADS[0], [(0, " \\\n && "), (1, "; "), (0, " \\\n && "), (1, "; ")], "")
@example(_HEADS[1], [(0, " \\\n && "), (1, "; "), (2, " && "), (0, " && "), (1, "; "), (0, " || "), (1, "; ")], "")
@example(_HEADS[4], [(5, " && "), (1, "; "), (0, " \\\n && "), (1, "; "), (0, " \\\n && "), (1, "; ")], "")
@example(_HEADS[0], [(8, " && "), (0, "; "), (0, " && "), (2, " && "), (0, "; "), (1, "; ")], "")
@example(_HEADS[1], [(8, " && "), (0, "; "), (2, " && "), (0, "; "), (1, "; ")], "")
@example(_HEADS[5], [(0, " \\\n && "), (1, "; "), (0, " \\\n && "), (1, "; ")], " && cd /x")
def test_the_constructs_read_and_lint_the_same(head, units, tail):
    """Generated RUNs of the constructs: the same records and findings with each switch off."""
    _compare(_text(head, units, tail))


@pytest.mark.parametrize("head", _HEADS)
def test_the_benchmark_units_read_and_lint_the_same(head):
    """The benchmark's own units (each 8th the long one) under every head, and with each of the
    long unit's constructs left out in turn."""
    _compare(head + scale.made_and_called(6000)[0].split("RUN true", 1)[1])
    long = [2, 3, 4, 5, 6, 7, 8, 1]
    ops = [" && ", " && ", "; ", " && ", "; ", "; ", "; ", "; "]
    for left in range(len(long)):
        units = []
        for n in range(24):
            if n % 8:
                units += [(0, " \\\n && "), (1, "; ")]
            else:
                units += [(k, op) for m, (k, op) in enumerate(zip(long, ops)) if m != left]
        _compare(_text(head, units))


def test_a_repeated_run_reads_and_lints_the_same():
    """The same RUN twice (the second's script is the first's moved: its spans' ``delta``)."""
    run = "RUN true" + scale.made_and_called(3000)[0].split("RUN true", 1)[1]
    _compare("FROM aishell:foundation\n" + run + "ENV X=1\n" + run)
    # (a call before the files made: where they are made, in the second RUN, decides its finding)
    run = "RUN true && trap 'x' $S && cd /o; claude -v; ln -s x claude; ln -s x claude; claude -v\n"
    _compare("FROM aishell:foundation\n" + run + "ENV X=1\n" + run)


def test_rows_share_their_argv():
    """With ROWS_SHARED the rows of one text in a "rows" token that _rows records itself are one
    argv list (what ARGV_REPEATS reads); without it, one each."""
    text = "FROM aishell:foundation\nRUN printf x > claude" + " \\\n && ln -s x claude; claude -v" * 6 + "\n"
    run = [ins for ins in parse(text).instructions if ins.keyword == "RUN"][-1]
    saved = shell.ROWS_SHARED, shell._SEEN
    for shared in (True, False):
        shell.ROWS_SHARED, shell._SEEN = shared, {}
        try:
            script = shell.analyse_run(run)
            run.shell = None  # (the script read is not kept for the next reading)
        finally:
            shell.ROWS_SHARED, shell._SEEN = saved[0], {}
        links = [c.argv for c in script.commands if c.name == "ln"]
        assert len(links) == 6
        # (the first rows, read before the row is known, through _feed or _record_row: lists of their own)
        assert (links[-1] is links[-2] is links[-3]) is shared
        assert shared or len({id(a) for a in links}) == 6


def test_made_files_stay_linear(tmp_path):
    """The benchmark's shape at 20 KB and 16 times that: within the growth guard."""
    path = str(tmp_path / "Dockerfile")

    def lint(n: int):
        lint_text(scale.made_and_called(n)[0], path, Options(use_config=False))

    guard(lint, 20_000)
