"""A row's `NAME=$(…)` word looked up once, its entry given to _last_substitution (issue 18, r132).

aishell/shell.py's _StatusWalk._plain_eval asks of a row's one word `NAME=VALUE` (ASSIGN_ROWS)
what _assigns_plain_sub asks of it, and _last_substitution looks its value up in LAST_SUB_MEMO
again: with ROW_ENTRY both come from the one entry of VALUE (_row_entry, its NAME checked once),
handed to _last_substitution (the value's place in the word from its first `=`). The tests compare
failing_starts (with and without the names and unsure expansions asked), and the findings and
records of the RUNs, with it on and off: rows of such words among near misses (names that are
none: `1x=`, `a-b=`, `é=`, `x+=`; a second `=` in the value; feeders, by path too; a `$`, a
quote, a parenthesis, a tab or a blank in the body; an empty body), the same value under many
names, under every SHELL.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.model import parse

from tests.runs import switched, walks
from tests.switched import read_switched
from tests.test_status_walk_fast import _SHELLS

_NAMES = ["v", "w1", "_x", "A_b", "1x", "a-b", "é", "x+", "", "ab=c"]
_VALUES = [
    "$(date +%s)",
    "$(claude -v)",
    "$( claude  -v )",
    "$(\tclaude\t-v)",
    "$(claude)",
    "$(/usr/bin/claude -v)",
    "$(false)",
    "$(exit 1)",
    "$(cat)",
    "$(/bin/cat x)",
    "$(echo claude)",
    "$(head -1)",
    "$(c=1 claude)",
    "$(echo $y)",
    "$()",
    "$( )",
    "$(claude -v)x",
    "$(a=b)",
    "$(x)=$(claude -v)",
]
_OTHERS = ["claude -v", "echo hi", "false", "set -e", "set +e", "exit 1", "x=1", "read y", "$w -v", "$v -v"]
_piece = st.one_of(
    st.tuples(st.sampled_from(_NAMES), st.sampled_from(_VALUES)).map(lambda t: t[0] + "=" + t[1]),
    st.sampled_from(_OTHERS),
)
_OPS = ["; ", "; ", "; ", " && ", " || ", " | ", "\n"]
_script = st.lists(st.tuples(_piece, st.sampled_from(_OPS)), min_size=1, max_size=9).map(
    lambda parts: "".join(p + op for p, op in parts[:-1]) + parts[-1][0]
)
_FORMS = ["RUN {}\n", "RUN set -e; {}\n", "RUN <<EOF\n{}\nEOF\n", "RUN set -e; true && {}; echo\n"]


def _read(text: str):
    df = parse(text)
    return [walks(ins, _SHELLS, plain=True) for ins in df.instructions if ins.keyword == "RUN"]


@settings(max_examples=100, deadline=None)
@given(_script, st.sampled_from(_FORMS))
@example("v=$(date +%s); w=$(claude -v); v=$(date +%s); w2=$(claude -v)", "RUN set -e; {}\n")
@example("1x=$(claude -v); a-b=$(claude -v); é=$(claude -v)", "RUN set -e; {}\n")
@example("v=$(/bin/cat x); w=$(echo claude); $w -v; w=$( claude  -v )", "RUN set -e; {}\n")
@example("w=$(x)=$(claude -v); w=$(claude -v)x; ab=c=$(claude -v)", "RUN set -e; {}\n")
@example("w=$(); w=$( ); w=$(echo $y)", "RUN set -e; {}\n")
def test_rows_decide_the_same_both_ways(script, form):
    text = "FROM a\n" + form.format(script)
    with switched(["ROW_ENTRY"], True):
        fast = _read(text)
    with switched(["ROW_ENTRY"], False):
        general = _read(text)
    assert fast == general


@settings(max_examples=40, deadline=None)
@given(_script)
@example("v=$(date +%s); w=$(claude -v); v=$(date +%s)")
def test_rows_lint_the_same_both_ways(script):
    text = "FROM a\nRUN set -e; " + script.replace("\n", " \\\n") + "\n"
    assert read_switched(text, ROW_ENTRY=True) == read_switched(text, ROW_ENTRY=False)


def test_the_benchmark_rows_take_the_short_way():
    """substitution_assignments' line: each row's entry looked up once, made once per value text."""
    pairs = "".join(f"; v{i}=$(date +%s); w{i}=$(claude -v)" + (" \\\n" if i % 40 == 39 else "") for i in range(300))
    text = "FROM aishell:foundation\nRUN set -e" + pairs + "\n"
    with switched(["ROW_ENTRY"], True):
        fast = _read(text)
        kept = {value: entry[7] for value, entry in shell._LAST_SUBS.items()}
    with switched(["ROW_ENTRY"], False):
        general = _read(text)
    assert fast == general
    assert len(fast[0][0][0]) == 600  # (each substitution's command decides: errexit)
    assert kept == {"$(date +%s)": True, "$(claude -v)": True}
