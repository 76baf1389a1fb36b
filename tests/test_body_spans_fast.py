"""`$( )` bodies not kept whole once read, nor made before they are walked (issue 18, r109).

A RUN of `x=$(date +%s); y=$(echo $x); w=$(claude -v)` (benchmarks/scale.py
reassigned_substitutions, substitution_assignments) kept a _Mapped and an offsets slice for each
of its bodies twice: in the reader, held by the body's command's spans; in the status walk, in
its work list until walked; and it read each `$(date +%s)` value again to find it gives none.
Three short ways, and one for the walk's and-or lists (aishell/shell.py):

- BODY_SPANS: a plain script's body is a _Body (its script and its place there); the _RowSpans
  of a command of it hold the script, the words' place moved by that of the body.
- LAZY_BODIES: _StatusWalk._last_substitution queues a substitution of no shell of its own to
  note (not bash's, no functions seen) as its text, its script and its place; run() makes its
  _Mapped.
- SUBST_NONE: _Reader._assign takes a value `$(FIRST …)` that _substituted gives None for by
  its first word alone (an expansion's, a substitution's, a subshell's; a plain one of no
  feeder) as no value at once, by a memo of such texts.
- PACKED_LISTS: _StatusWalk._plain_lists gives a plain line's and-or lists as one flat list, five
  items each in a row, not a tuple each.

Generated: RUNs of assignments from substitutions and commands (plain bodies and not: spaced
words, tabs, quotes, nested substitutions, pipes, backquotes), on continued lines (offsets with
gaps), under bash and sh, with functions and set -e or not: with the switches on and off, the
same commands, spans, failing starts and findings. And values `$(…)` of many first words
(feeders, lookups, paths, quotes, expansions, nested substitutions) assigned with SUBST_NONE on
and off: the same variables.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell

from tests.runs import read_switched, switched, walks
from tests.test_shell_fast import _dump

_SWITCHES = ("BODY_SPANS", "LAZY_BODIES", "SUBST_NONE", "PACKED_LISTS")
_HEADS = [
    "RUN set -e; ",
    "RUN ",
    "RUN set -eo pipefail; ",
    "RUN f() { claude; }; set -e; ",
    "RUN set -e; \\\n  ",
]
_SHELLS = ["", 'SHELL ["/bin/bash", "-c"]\n', 'SHELL ["/bin/sh", "-ec"]\n']
_COMMANDS = [
    "x=$(date +%s)",
    "y=$(echo $x)",
    "w=$(claude -v)",
    "w=$(claude  -v)",
    "w=$(claude\t-v)",
    "w=$( claude -v )",
    "claude -v",
    "echo $(claude -v)",
    "a=1 b=$(claude)",
    "c=$(echo $(claude -v))",
    "$x",
    "$y -v",
    "z=$(cat /f | claude -p hi)",
    "v=$(codex --version)",
    "u=`claude -v`",
    't="$(claude -v)"',
    "s=$(f)",
    "r=$(claude -v) && true",
    "q=$(gemini a b c d e f g h i j)",
    "p=$(/usr/bin/claude -v)",
    "o=$(sh -c 'claude -v')",
    "n=$(echo 'claude')",
    "m=$($x -v)",
    "l=$(which claude)",
    "k=$(date +%s)x",
    "j=$(date) i=$(claude -v)",
]
_SEPS = ["; ", " && ", " || ", " \\\n  ; ", "; \\\n  ", " | ", " & ", " \\\n  && "]


def _record(ins):
    script = shell.analyse_run(ins)
    return _dump(script), walks(ins, [shell.DEFAULT_SHELL, (True, True), (False, False)])


def _text(shell_line: str, head: str, parts: list) -> str:
    body = "".join(c + s for c, s in parts[:-1]) + parts[-1][0]
    return "FROM aishell:foundation\n" + shell_line + head + body + "\n" + "RUN " + body + "\n"


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from(_SHELLS),
    st.sampled_from(_HEADS),
    st.lists(st.tuples(st.sampled_from(_COMMANDS), st.sampled_from(_SEPS)), min_size=1, max_size=8),
)
@example("", "RUN set -e; ", [("x=$(date +%s)", "; "), ("y=$(echo $x)", "; "), ("w=$(claude -v)", " \\\n  ; ")] * 3)
@example("", "RUN set -e; ", [("v=$(date +%s)", "; "), ("w=$(claude -v)", " \\\n  ; ")] * 3)
@example("", "RUN ", [("echo $(claude -v)", "; \\\n  "), ("w=$(claude -v)", "; ")] * 2)
@example(
    "",
    "RUN set -e; ",
    [("claude -v", " & "), ("w=$(claude -v)", " || "), ("x=$(date +%s)", " && "), ("claude -v", "; ")],
)
@example('SHELL ["/bin/bash", "-c"]\n', "RUN set -e; ", [("w=$(claude -v)", "; \\\n  ")] * 3)
def test_a_run_reads_the_same(shell_line, head, parts):
    text = _text(shell_line, head, parts)
    assert read_switched(text, _SWITCHES, True, _record) == read_switched(text, _SWITCHES, False, _record)


def test_the_short_ways_are_taken():
    """A continued RUN of plain `$( )` bodies: their commands' spans hold the RUN's script (not
    the bodies), and the walk queues the bodies lazily (what the switches are for)."""
    text = "FROM aishell:foundation\nRUN set -e; x=$(date +%s); \\\n  w=$(claude -v)\n"
    from tests.runs import read_runs

    _, runs = read_runs(text)
    ((ins, script),) = runs
    bodies = [c for c in script.commands if c.nested]
    assert bodies and all(type(c.spans.m) is not shell._Body and len(c.spans.m.s) > 20 for c in bodies)
    queued = []
    saved, body_walk = shell._StatusWalk._script, shell.BODY_WALK
    shell.BODY_WALK = False  # (it walks such a body past _script: tests/test_subst_assign_walk_fast.py)

    def spy(self, m, *rest):
        queued.append(m.s)
        return saved(self, m, *rest)

    shell._StatusWalk._script = spy
    try:
        starts = shell.failing_starts(ins, (True, False))
    finally:
        shell._StatusWalk._script, shell.BODY_WALK = saved, body_walk
    assert "claude -v" in queued
    assert text.index("claude") in starts


_FIRSTS = [
    "date",
    "claude",
    "echo",
    "/bin/echo",
    "printf",
    "cat",
    "which",
    "command",
    "type",
    "/usr/bin/date",
    "$x",
    "${x}",
    "$(echo claude)",
    "`echo claude`",
    "(claude)",
    "$x/bin",
    "'date'",
    '"echo"',
    "ech\\o",
    "d*te",
    "a=1",
    "{",
    "",
]
_TAILS = ["", " +%s", " -v", " claude", " $x", " 'a b'", " | claude", "; echo claude", " <<EOF", ")x", " )"]


def _vars(value: str, on: bool):
    with switched(["SUBST_NONE"], on):
        shell._NONE_VALUES.clear()
        out = []
        for _ in range(2):  # (the second a memo hit where the first filled it)
            text = "y=" + value
            m = shell._Mapped(text, range(10, 10 + len(text)))
            r = shell._Reader()
            r.vars["y"] = ([shell._Mapped("codex", [1, 2, 3, 4, 5])], True)
            r.vars["x"] = ([shell._Mapped("claude", [20, 21, 22, 23, 24, 25])], True)
            r._assign(m, [shell.Token("word", text, 0, len(text))], True)
            out.append({k: ([(v.s, list(v.offsets)) for v in held[0]], held[1]) for k, held in r.vars.items()})
        return out


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_FIRSTS), st.sampled_from(_TAILS), st.sampled_from(["$({})", "$( {})", '"$({})"', "`{}`"]))
@example("date", " +%s", "$({})")
@example("echo", " claude", "$({})")
@example("$x", " -v", "$({})")
def test_an_assigned_value_is_the_same(first, tail, wrap):
    value = wrap.format(first + tail)
    assert _vars(value, True) == _vars(value, False)
