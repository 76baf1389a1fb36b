"""Values assigned from `$( )` read without reading the same echo again (issue 18, r103).

A RUN of `x=$(date +%s); y=$(echo $x); w=$(claude -v)` (benchmarks/scale.py
reassigned_substitutions) tokenized and unquoted `echo $x` at each assignment, in the reader and
again in the status walk, and tried each `$( )` value as a joined word and as a word of values,
which say None for a substitution. Two short ways (aishell/shell.py):

- ECHO_MEMO: _substituted of `$(echo WORDS)` (a plain first word `echo`) is memoized by the
  substitution's text, its offsets indices into that text, mapped through the word's at each use.
- SUBST_NO_JOIN: _Reader._assign does not ask _joined and _word_values about a value that begins
  with `$(` or a backquote (in double quotes or not) when _substituted gave it none.
- SUBST_WORDS: _StatusWalk._last_substitution finds the substitution of a last word `NAME=$(echo
  $x)` (one simple command of words with expansions) without tokenizing the command.

Generated: assignment values (echo and other first words, quoted, with a path, with options,
escapes, variables, quotes, nested substitutions, operators, heredocs, arithmetic, backquotes,
text after the substitution) assigned by _Reader._assign at two places with different offsets
(a memo hit must map them again), with both switches on and off: the values and their offsets
must agree; and RUNs using them as commands (a line, a continued line, `RUN <<EOF`) must give
the same commands, spans, failing starts and findings.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell

from tests.runs import read_switched, switched, walks
from tests.test_shell_fast import _dump

_SWITCHES = ("ECHO_MEMO", "SUBST_NO_JOIN", "SUBST_WORDS")
_FIRST = [
    "echo",
    "echo ",
    " echo",
    "echo\t",
    "/bin/echo",
    "'echo'",
    '"echo"',
    "ech\\o",
    "printf",
    "printf '%s\\n'",
    "cat",
    "which",
    "command -v",
    "type -P",
    "date",
    "claude",
    "echo(",
    "echo>",
    "echo|",
]
_ARGS = [
    "$x",
    '"$x"',
    "claude",
    "-v",
    "-n",
    "-e",
    "-neE",
    "'a b'",
    "c\\laude",
    "a\\nb",
    "a\\tb",
    "$(echo z)",
    "`echo q`",
    "${x}",
    "${x:-claude}",
    "|",
    "x;",
    "&& echo",
    "<<EOF",
    "> f",
    "#",
    ")",
    "(",
    '"',
    "'",
    "\n",
    "$((1+2))",
    "",
]
_body = st.tuples(st.sampled_from(_FIRST), st.lists(st.sampled_from(_ARGS), max_size=4)).map(
    lambda p: " ".join([p[0], *p[1]])
)
_WRAPS = [
    "$({})",
    '"$({})"',
    "$({})x",
    '"$({})"x',
    '"$({}) -v"',
    "`{}`",
    '"`{}`"',
    "$(({}))",
    '""$({})',
    "$( {} )",
    '"$x $({})"',
    # (near misses: no substitution, or not at the start)
    '"$x -v"',
    "${{x:-claude}}",
    '"$e"',
    "$x$e",
    '"$x"x',
]
_value = st.tuples(st.sampled_from(_WRAPS), _body).map(lambda p: p[0].format(p[1]))


def _values(r: shell._Reader, name: str) -> tuple | None:
    held = r.vars.get(name)
    if held is None:
        return None
    return [(v.s, None if v.offsets is None else list(v.offsets)) for v in held[0]], held[1]


def _assigned(value: str, on: bool) -> list:
    """The value of `y=VALUE` assigned at two places (offsets of a list with gaps, then a
    range): what _assign makes of it, twice (the second a memo hit where the first filled it)."""
    out = []
    with switched(_SWITCHES, on):
        shell._ECHO_MEMO.clear()
        for base in (0, 7):
            text = "y=" + value
            offsets = [3 * k + base for k in range(len(text))] if base == 0 else range(base, base + len(text))
            m = shell._Mapped(text, offsets)
            r = shell._Reader()
            r.vars["x"] = ([shell._Mapped("claude", [1000 + k for k in range(6)])], True)
            r.vars["e"] = ([shell._Mapped("a b", [2000, 2001, 2002])], False)
            r._assign(m, [shell.Token("word", text, 0, len(text))], True)
            out.append(_values(r, "y"))
    return out


@settings(max_examples=400, deadline=None)
@given(_value)
@example("$(echo $x)")
@example('"$(echo claude -v)"')
@example("$(echo -n claude)")
@example("$(echo c\\laude)")
@example("$( echo 'a b' )")
@example("$(date +%s)")
@example("`echo claude`")
@example('"$(date) $x"')
def test_an_assigned_value_is_the_same(value):
    assert _assigned(value, True) == _assigned(value, False)


def test_a_memo_hit_maps_the_offsets_again():
    """The same `$(echo …)` at another place: its value's offsets are that place's."""
    first, second = _assigned("$(echo claude)", True)
    assert first[0][0][0] == second[0][0][0] == "claude\n"
    assert first[0][0][1] != second[0][0][1]


_RUN_CONTEXTS = [
    "RUN set -e; {}",
    "RUN {} && true",
    "RUN set -e; x=claude; {} \\\n  ; x=codex; {}",
    "RUN set -e; y=$(date) \\\n  ; {} \\\n  ; {}",
    "RUN <<EOF\nset -e\n{}\n{}\nEOF",
    "RUN sh -c '{}'",
]
_USES = [
    "y={v}; $y",
    "y={v}; $y -v",
    "y={v}; eval $y",
    'y={v}; "$y" --version',
    "x=claude; y={v}; $y",
    "y={v}; c=$y; $c -v",
    "y={v} $y",
    "y={v}",
    "a=$(date) y={v}",
    "y=$(claude {v})",
]


def _record(ins):
    script = shell.analyse_run(ins)
    return _dump(script), walks(ins, [shell.DEFAULT_SHELL, (True, True)])


def _read(text: str, on: bool):
    shell._ECHO_MEMO.clear()
    return read_switched(text, _SWITCHES, on, _record)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_RUN_CONTEXTS), st.lists(st.tuples(st.sampled_from(_USES), _value), min_size=1, max_size=3))
@example("RUN set -e; {}", [("y={v}; $y -v", "$(echo claude)"), ("y={v}; $y", "$(echo  claude)")])
@example("RUN {} && true", [("x=claude; y={v}; $y", "$(echo $x -v)")])
@example("RUN set -e; {}", [("y={v}", "$(claude $x)"), ("y={v}", "$(if $x)"), ("y={v}", "$( $x -v )")])
def test_a_run_reads_the_same(context, uses):
    body = "; ".join(use.format(v=v) for use, v in uses)
    body = body.replace("\n", " ").replace("<<", "<")  # (a RUN line's: no line break, no heredoc)
    if "'" in context:
        body = body.replace("'", "")  # (the `sh -c` string: no quote of its own)
    text = "FROM aishell:foundation\n" + context.format(body, body) + "\n" + context.format(body, body) + "\n"
    assert _read(text, True) == _read(text, False)
