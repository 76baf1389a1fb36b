"""The reader hands the status walk the tokens of a line of evals (issue 18, r117).

aishell/shell.py's _Reader packs the token chunks of a long RUN line it reads through
token_chunks when each chunk is mostly `eval` commands (HAND_EVALS, beside HAND_DEFS' lines of
definitions), and the status walk of the same text replays them rather than tokenize it again
(the eval_assigned benchmark: `eN="$c -v"; eval "$eN";` …). The tests generate lines of evals and
of the commands, operators, quotes, rows, heredocs, `$( )` and definitions around them, with
token chunks cut anywhere, and lines with too few evals (nothing is handed there), and check that
what is replayed is token_chunks' own and that the walk's answers (the commands that decide, the
unsure names, the names decided) are those it gives with HAND_EVALS off.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.model import parse

from tests.runs import switched
from tests.test_handed_tokens import _walks
from tests.test_status_walk_fast import _SHELLS

_EVALS = ['eval "$e1"', "eval $e1", "eval 'claude -v'", "eval", 'eval "$(echo claude)"', "eval exit", "eval set +e"]
_OTHERS = [
    'e1="$c -v"',
    "c=claude",
    "e1='true'",
    "claude -v",
    "a b c",
    "echo eval",
    "set -e",
    "exit 1",
    "f() { eval $e1; }",
    "f",
    "cat <<EOF\nbody\nEOF\n",
    "x=$(date)",
    "a=(x $(y) z)",
    "{ eval $e1; }",
    "( eval $e1 )",
    "if true; then eval $e1; fi",
    "[ -f x ] &&",
    "! eval $e1",
]
_OPS = ["; ", ";", "\n", " && ", " || ", " | ", " & ", " \\\n ", " "]
# Mostly evals (at least one token in HAND_DEFS an `eval`: handed), or few (a near miss).
_dense = st.lists(
    st.tuples(st.sampled_from(_OTHERS), st.sampled_from(_OPS), st.sampled_from(_EVALS), st.sampled_from(_OPS)),
    min_size=1,
    max_size=8,
).map(lambda parts: "".join(o + p + e + q for o, p, e, q in parts))
_sparse = st.lists(st.tuples(st.sampled_from(_OTHERS + _EVALS[:1]), st.sampled_from(_OPS)), max_size=12).map(
    lambda parts: "".join(p + op for p, op in parts)
)
_scripts = st.one_of(_dense, _dense, _sparse).map(lambda s: "c=claude; " + s + " claude -v")


def _handed_chunks(s: str):
    """The chunks the walk replays after the reader read ``s`` (None: none handed)."""
    for _ in shell._handing(s, shell.token_chunks(s, [], True, True)):
        pass
    got = shell._handed(s)
    return None if got is None else list(got)


def _mostly(tokens, evals: bool) -> bool:
    n = len(tokens)
    return (
        sum(t.kind == "def" for t in tokens) * shell.HAND_DEFS >= n
        or evals
        and sum(t.text == "eval" for t in tokens) * shell.HAND_DEFS >= n
    )


def _handed_expected(s: str, evals: bool) -> bool:
    """Whether each chunk is mostly definitions, or (``evals``) evals: as given, and with each
    rows token its words."""
    for chunk in shell.token_chunks(s, [], True, True):
        words = [w for t in chunk for w in (shell._rows_tokens(t) if t.kind == "rows" else [t])]
        if not _mostly(chunk, evals) or not _mostly(words, evals):
            return False
    return True


@settings(max_examples=120, deadline=None)
@given(_scripts, st.sampled_from([1, 2, 3, 5, 4096]))
@example('c=claude; e1="$c -v"; eval "$e1"; claude -v', 2)
@example("c=claude; a b c; eval x; claude -v", 3)
def test_the_handed_chunks_are_token_chunks_own(script, chunk):
    """What the walk replays of a line of evals is what token_chunks gives the text, chunk by
    chunk (its rows as their words); a line with a chunk not mostly evals (nor definitions)
    hands nothing, nor one of evals with HAND_EVALS off."""
    saved = shell.TOKEN_CHUNK
    try:
        shell.TOKEN_CHUNK = chunk
        with switched(["HAND_EVALS"], True):
            replayed = _handed_chunks(script)
            expected = _handed_expected(script, True)
        with switched(["HAND_EVALS"], False):
            assert (_handed_chunks(script) is not None) == _handed_expected(script, False)
        words = [t for c in shell.token_chunks(script, [], True, False) for t in c]
    finally:
        shell.TOKEN_CHUNK = saved
        shell._HANDED[0] = None
    assert (replayed is not None) == expected
    if replayed is not None:
        assert [t for c in replayed for t in c] == words


def _both(text: str, shells=_SHELLS):
    saved = shell.HAND_MIN
    try:
        shell.HAND_MIN = 0
        with switched(["HAND_EVALS"], True):
            fast = _walks(text, shells)
        with switched(["HAND_EVALS"], False):
            general = _walks(text, shells)
    finally:
        shell.HAND_MIN = saved
    return fast, general


@settings(max_examples=120, deadline=None)
@given(
    _scripts,
    st.sampled_from(["RUN {}\n", "RUN {}\n", "RUN set -e; {}; true\n", "RUN true \\\n && {}\n"]),
    st.sampled_from([1, 2, 3, 5, 4096, 4096]),
    st.sampled_from([1, 2, 256]),
)
@example('c=claude; e1="$c -v"; eval "$e1"; e2=true; eval "$e2"; claude -v', "RUN {}\n", 2, 1)
@example("c=claude; eval 'f() { exit; }'; eval f; claude -v", "RUN set -e; {}; true\n", 1, 256)
def test_the_walk_of_handed_evals_decides_the_same(script, form, chunk, items):
    """The status walk of what the reader handed for a line of evals decides what it decides
    tokenizing the text again: with token chunks and the walk's batches cut anywhere, for every
    SHELL."""
    text = "FROM a\n" + form.format(script)
    saved = shell.TOKEN_CHUNK, shell.STREAM_ITEMS
    try:
        shell.TOKEN_CHUNK, shell.STREAM_ITEMS = chunk, items
        fast, general = _both(text)
    finally:
        shell.TOKEN_CHUNK, shell.STREAM_ITEMS = saved
    assert fast[0] == general[0]


def test_the_benchmark_line_is_tokenized_once():
    """The benchmark's line (`c=claude; eN="$c -v"; eval "$eN"` …, as AIS002 reads a RUN: the
    reader, then the walk): token_chunks reads it once, and the walk decides the same."""
    text = "FROM a\nRUN set -e; c=claude" + "".join(f'; e{i}="$c -v"; eval "$e{i}"' for i in range(800)) + "\n"
    fast, general = _both(text, (shell.DEFAULT_SHELL,))
    assert fast[0] == general[0] and fast[1] == 1 and general[1] == 0
    calls = []
    saved = shell.token_chunks
    shell.token_chunks = lambda s, subs, definitions=False, rows=False: (
        calls.append(len(s)) or saved(s, subs, definitions, rows)
    )
    try:
        with switched(["HAND_EVALS"], True):
            ins = next(i for i in parse(text).instructions if i.keyword == "RUN")
            shell.analyse_run(ins)
            assert sorted(shell.failing_starts(ins)) == fast[0][0][0]
    finally:
        shell.token_chunks = saved
        shell._HANDED[0] = None
    assert len(calls) == 1
