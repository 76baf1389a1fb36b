"""The status walk reads a simple command that is an item of its own in one loop (issue 18).

aishell/shell.py's _StatusWalk._simple_item gives the item of a simple command followed by `;`,
a newline, `&` or the end (`e1="$c -v"; eval "$e1";`, the eval_assigned benchmark's 67,000 items
a MB) the tree _and_or, _pipeline and _command give it, without their steps, and leaves every
other item to them (SIMPLE_ITEMS). The tests compare the tree and failing_starts with it on and
off, on scripts of simple commands, keywords, stop words, `!`, definitions, groups, subshells,
redirections and every list operator, in the contexts a command starts in and those it does not,
with token chunks cut anywhere (a streamed script's batches pull the next chunk).
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell

from tests.runs import switched
from tests.test_status_walk_fast import _SHELLS, _tree, _walks

_PIECES = [
    "claude -v",
    'e1="$c -v"',
    'eval "$e1"',
    "$c -v",
    "c=claude",
    "echo hi > /log",
    ">/log",
    "2>&1 claude",
    "exit 1",
    "set +e",
    "set -e",
    "f",
    "f()",
    "f() { claude -v; }",
    "{ claude; }",
    "( exit )",
    "! true",
    "if true; then exit; fi",
    "for x in a; do claude; done",
    "case x in x) claude;; esac",
    "while false; do :; done",
    "function",
    "then",
    "fi",
    "}",
    "{",
    ")",
    "(",
    "!",
    "esac",
]
_OPS = ["; ", ";", "\n", " & ", " && ", " || ", " | ", " ", " ;; ", " ( ", " ) ", "", "; ; "]
_script = st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_OPS)), min_size=1, max_size=7).map(
    lambda parts: "".join(p + op for p, op in parts)
)
_CONTEXTS = [
    ("", ""),
    ("set -e; ", ""),
    ("c=claude; ", ""),
    ("( ", " )"),
    ("{ ", "; }"),
    ("if true; then ", "; fi"),
    ("case x in x) ", ";; esac"),
    ("for x in a; do ", "; done"),
    ("true && ", ""),
    ("echo ", ""),
    ("f() { ", "; }; f"),
]
_in_context = st.tuples(st.sampled_from(_CONTEXTS), _script).map(lambda c: c[0][0] + c[1] + c[0][1])


def _both(read):
    """``read()`` with SIMPLE_ITEMS on, then off, each with the shell's memos empty (tests/runs.py
    switched: a walk the fast path memoized must not answer the general one)."""
    with switched(["SIMPLE_ITEMS"], True):
        fast = read()
    with switched(["SIMPLE_ITEMS"], False):
        general = read()
    return fast, general


@settings(max_examples=300, deadline=None)
@given(_in_context)
@example('c=claude; e1="$c -v"; eval "$e1"; e2="$c -v"; eval "$e2"')
@example("a b ( c")
@example("a (")
@example("a; ; b")
@example("a ;; b")
@example("a )")
@example("a &")
def test_a_simple_item_is_read_into_the_tree_the_general_path_builds(script):
    """_simple_item gives the general path's tree, or leaves the item to it (or both are unsure)."""
    fast, general = _both(lambda: _tree(script))
    assert fast == general


@settings(max_examples=150, deadline=None)
@given(
    _in_context,
    st.sampled_from(["RUN {}\n", "RUN bash -e <<EOF\n{}\nEOF\n", "RUN sh -c '{}'\n"]),
    st.integers(1, 4),
)
@example('c=claude; e1="$c -v"; eval "$e1"; e2="$c -v"; eval "$e2"', "RUN {}\n", 1)
@example("set -e; false; claude -v &", "RUN {}\n", 2)
def test_a_simple_item_decides_the_same_both_ways(script, form, chunk):
    """failing_starts with _simple_item on and off, under every SHELL, token chunks cut anywhere."""
    text = "FROM a\n" + form.format(script.replace("'", "") if "'{}'" in form else script)
    saved = shell.TOKEN_CHUNK
    try:
        shell.TOKEN_CHUNK = chunk
        fast, general = _both(lambda: _walks(text, _SHELLS))
    finally:
        shell.TOKEN_CHUNK = saved
    assert fast == general


def test_the_benchmark_items_take_the_shortcut():
    """eval_assigned's line: no item of it goes through _and_or, and the evals decide as before."""
    text = "FROM a\nRUN c=claude" + "".join(f'; e{i}="$c -v"; eval "$e{i}"' for i in range(300)) + "\n"
    fast, general = _both(lambda: _walks(text))
    assert fast == general
    seen = []
    saved = shell._StatusWalk._and_or
    shell._StatusWalk._and_or = lambda self, nest: seen.append(nest) or saved(self, nest)
    try:
        with switched(["SIMPLE_ITEMS"], True):  # (memos empty: the walk is made, not recalled)
            _walks(text)
    finally:
        shell._StatusWalk._and_or = saved
    assert not seen


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="'\"\\ab$\n` ", max_size=8))
@example('"$e1"')
@example("'claude -v'")
@example('"a\\"b"')
@example("'a\\'")
@example('"a\'b"')
@example("a'b'a")
@example('""')
def test_a_quoted_word_unquotes_the_same_both_ways(word):
    """unquote's shortcut for a word that is one quoted string (UNQUOTE_ONE) gives what its loop
    gives, on words of quotes, backslashes, newlines and other characters."""
    saved = shell.UNQUOTE_ONE
    try:
        shell.UNQUOTE_ONE = True
        fast = shell.unquote(word)
        shell.UNQUOTE_ONE = False
        general = shell.unquote(word)
    finally:
        shell.UNQUOTE_ONE = saved
    assert fast == general
