"""A row of one `NAME=$(plain words)` walked in a few steps (issue 18, r122).

aishell/shell.py's _StatusWalk._plain_eval takes an and-or list of a plain line that is the one
word `NAME=$(…)` alone (ASSIGN_WALK's word: no `&&`, `|` or `&` with it) to _assignments in a few
steps (ASSIGN_ROWS: the substitution_assignments benchmark's 300,000 `v=$(date +%s)`), and leaves
every other row to the loop's steps. The tests compare failing_starts (with and without the names
and unsure expansions asked), and the findings and records of the RUNs, with it on and off: on
lines of such assignments among near misses (two assignments in one command, a feeder, a nested or
quoted substitution, a redirection, `&&`, `||`, `|`, `&`, `!`), `false`, guards, `exit`, `set -e`,
a trap and functions, under every SHELL.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.model import parse

from tests.runs import switched, walks
from tests.switched import read_switched
from tests.test_status_walk_fast import _SHELLS

_PIECES = [
    "v=$(date +%s)",
    "w=$(claude -v)",
    "w=$( claude  -v )",
    "w=$(claude)",
    "x=$(true)",
    "x=$(false)",
    "x=$(exit 0)",
    "x=$(cat)",
    "x=$(head -1)",
    "x=$(f)",
    "x=$(c -v)",
    "x=$(/usr/bin/claude -v)",
    "x=$(date +%s) y=$(claude -v)",
    "x=$(echo $y)",
    "x=$(echo $(claude -v))",
    "x=${v:-$(claude -v)}",
    "x=$(claude -v) >/dev/null",
    "x=$(claude -v)x",
    "x+=$(claude -v)",
    "! w=$(claude -v)",
    "claude -v",
    "echo hi",
    "false",
    "true",
    "[ -f x ]",
    "exit 1",
    "set -e",
    "set +e",
    "set -o pipefail",
    "trap 'exit 0' EXIT",
    "trap exit EXIT",
    "f() { claude; }",
    "claude() { :; }",
    "f",
    "read y",
    "$x -v",
    "x=1",
]
_OPS = ["; ", "; ", "; ", " && ", " || ", " | ", " & ", "\n", " &&\n"]
_script = st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_OPS)), min_size=1, max_size=9).map(
    lambda parts: "".join(p + op for p, op in parts[:-1]) + parts[-1][0]
)
_FORMS = ["RUN {}\n", "RUN set -e; {}\n", "RUN <<EOF\n{}\nEOF\n", "RUN true && {}; echo\n", "RUN sh -c '{}'\n"]


def _read(text: str):
    df = parse(text)
    return [walks(ins, _SHELLS, plain=True) for ins in df.instructions if ins.keyword == "RUN"]


@settings(max_examples=120, deadline=None)
@given(_script, st.sampled_from(_FORMS))
@example("v=$(date +%s); w=$(claude -v); v=$(date +%s)", "RUN set -e; {}\n")
@example("w=$(claude -v); echo", "RUN {}\n")
@example("w=$(claude -v)", "RUN {}\n")
@example("false; w=$(claude -v); echo", "RUN set -e; {}\n")
@example("exit 1; w=$(claude -v)", "RUN {}\n")
@example("trap 'exit 0' EXIT; w=$(claude -v); echo", "RUN set -e; {}\n")
@example("trap exit EXIT; w=$(claude -v)", "RUN {}\n")
@example("w=$(claude -v) | cat; echo", "RUN set -e; {}\n")
@example("w=$(claude -v) & echo", "RUN set -e; {}\n")
@example("w=$(claude -v) && echo; echo", "RUN set -e; {}\n")
@example("echo && w=$(claude -v); echo", "RUN set -e; {}\n")
@example("read y; w=$(claude -v); echo", "RUN set -e; {}\n")
@example("x=$(cat); w=$(claude -v); echo", "RUN set -e; {}\n")
@example("claude() { :; }; w=$(claude -v); echo", "RUN set -e; {}\n")
@example("f() { claude; }; x=$(f); echo", "RUN set -e; {}\n")
def test_rows_of_one_assignment_decide_the_same_both_ways(script, form):
    text = "FROM a\n" + form.format(script.replace("'", "") if "sh -c" in form else script)
    with switched(["ASSIGN_ROWS"], True):
        fast = _read(text)
    with switched(["ASSIGN_ROWS"], False):
        general = _read(text)
    assert fast == general


@settings(max_examples=40, deadline=None)
@given(_script)
@example("v=$(date +%s); w=$(claude -v); v=$(date +%s)")
@example("set -e; w=$(claude -v); x=$(cat); w=$(claude -v)")
def test_rows_of_one_assignment_lint_the_same_both_ways(script):
    text = "FROM a\nRUN " + script.replace("\n", " \\\n") + "\nRUN <<EOF\n" + script + "\nEOF\n"
    assert read_switched(text, ASSIGN_ROWS=True) == read_switched(text, ASSIGN_ROWS=False)


def test_the_benchmark_rows_take_the_short_way():
    """substitution_assignments' line: no row goes through _simple (ASSIGN_ROWS), and the walk
    decides the same (each substitution's command)."""
    pairs = "".join(f"; v{i}=$(date +%s); w{i}=$(claude -v)" + (" \\\n" if i % 40 == 39 else "") for i in range(300))
    text = "FROM aishell:foundation\nRUN set -e" + pairs + "\n"
    calls = [0]
    saved = shell._StatusWalk._simple

    def counted(self, *args, **kwargs):
        calls[0] += 1
        return saved(self, *args, **kwargs)

    shell._StatusWalk._simple = counted
    try:
        with switched(["ASSIGN_ROWS"], True):
            fast = _read(text)
            taken = calls[0]
        calls[0] = 0
        with switched(["ASSIGN_ROWS"], False):
            general = _read(text)
            untaken = calls[0]
    finally:
        shell._StatusWalk._simple = saved
    assert fast == general
    assert len(fast[0][0][0]) == 600  # (each substitution's command decides: errexit)
    assert taken <= len(_SHELLS) * 2 * 2 < untaken  # (`set -e` alone, per walk)
