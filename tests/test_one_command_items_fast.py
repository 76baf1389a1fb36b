"""The status walk reads an item of one simple command in a few steps (issue 18, r117).

aishell/shell.py's _StatusWalk._list_eval reads an item that is one simple command, not negated
(the eval_assigned benchmark's `eN="$c -v";` and `eval "$eN";`), in steps of its own rather than
its loop over the and-or list's pipelines and _command_eval (ONE_COMMAND_ITEMS); _simple asks
for `eval WORD` before _plain_simple (EVAL_FIRST). The tests generate scripts of simple
commands, evals, assignments, negations, pipelines, groups, traps and commands that end the
shell, with every list operator (`&` too), in the contexts a command starts in (errexit on and
off, a function, a group, a loop, a condition), and compare failing_starts, the names it
decides and the unsure names with the switches on and off, under every SHELL, with token chunks
and the walk's batches cut anywhere.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell

from tests.runs import switched
from tests.test_handed_tokens import _walks
from tests.test_status_walk_fast import _SHELLS

_PIECES = [
    "claude -v",
    'e1="$c -v"',
    'eval "$e1"',
    "eval 'exit 1'",
    "eval 'set +e'",
    "eval set -e",
    "eval $e1",
    "$c -v",
    "c=claude",
    "false",
    "true",
    "exit 1",
    "set +e",
    "set -e",
    "set -o pipefail",
    "trap 'claude' EXIT",
    "trap 'exit 1' ERR",
    "! claude",
    "! true",
    "echo hi > /log",
    "claude | cat",
    "f",
    "f() { claude -v; }",
    "f() { exit 1; }",
    "{ claude; }",
    "( exit )",
    "cat",
    "x=$(claude -v)",
    "[ -f x ]",
]
_OPS = ["; ", ";", "\n", " & ", " && ", " || ", " | ", "; ; "]
_script = st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_OPS)), min_size=1, max_size=7).map(
    lambda parts: "".join(p + op for p, op in parts)
)
_CONTEXTS = [
    ("", ""),
    ("", "claude -v"),
    ("set -e; ", "claude -v"),
    ("set -e; c=claude; ", "true"),
    ("( ", " )"),
    ("{ ", "; }"),
    ("if true; then ", "; fi"),
    ("for x in a; do ", "; done"),
    ("true && ", ""),
    ("f() { ", "; }; f"),
    ("bash -e <<EOF\n", "\nEOF"),
]
_in_context = st.tuples(st.sampled_from(_CONTEXTS), _script).map(lambda c: c[0][0] + c[1] + c[0][1])
_SWITCHES = ["ONE_COMMAND_ITEMS", "EVAL_FIRST"]


@settings(max_examples=120, deadline=None)
@given(_in_context, st.sampled_from([1, 2, 3, 4096]), st.sampled_from([1, 2, 256]))
@example('set -e; c=claude; e1="$c -v"; eval "$e1"; e2=true; eval "$e2"; claude -v', 2, 1)
@example("set -e; false & claude -v; true", 4096, 256)
@example("trap 'exit 1' ERR; claude -v; true", 4096, 256)
@example("set -e; eval 'set +e'; claude -v; true", 1, 1)
@example("set -e; exit 1 & claude -v; true", 4096, 256)
def test_an_item_of_one_command_decides_the_same_both_ways(script, chunk, items):
    """failing_starts, the names decided and the unsure names, with the switches on and off."""
    text = "FROM a\nRUN " + script + "\n"
    saved = shell.TOKEN_CHUNK, shell.STREAM_ITEMS
    try:
        shell.TOKEN_CHUNK, shell.STREAM_ITEMS = chunk, items
        with switched(_SWITCHES, True):
            fast = _walks(text, _SHELLS)
        with switched(_SWITCHES, False):
            general = _walks(text, _SHELLS)
    finally:
        shell.TOKEN_CHUNK, shell.STREAM_ITEMS = saved
    assert fast[0] == general[0]


def test_the_benchmark_items_take_the_shortcut():
    """eval_assigned's line: no item of it goes through _command_eval, and it decides as before."""
    text = "FROM a\nRUN set -e; c=claude" + "".join(f'; e{i}="$c -v"; eval "$e{i}"' for i in range(300)) + "\n"
    with switched(_SWITCHES, False):
        general = _walks(text, _SHELLS)
    seen = []
    saved = shell._StatusWalk._command_eval
    shell._StatusWalk._command_eval = lambda self, command, *rest: seen.append(command) or saved(self, command, *rest)
    try:
        with switched(_SWITCHES, True):
            fast = _walks(text, _SHELLS)
    finally:
        shell._StatusWalk._command_eval = saved
    assert fast[0] == general[0] and fast[0][0][0]
    assert not seen
