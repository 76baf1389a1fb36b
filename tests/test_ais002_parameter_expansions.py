"""AIS002 reads a command named by a parameter expansion as dash does: with an operator, the
default forms (`${X:-word}`, `${X-word}`, `${X:+word}`, `${X+word}`, `${X:=word}`, `${X=word}`)
and the pattern removals (`${X#p}`, `${X##p}`, `${X%p}`, `${X%%p}`), X a variable the RUN
assigned or a positional parameter (`${1:-claude}` at a RUN's top, `sh -c '${1%x}' _ claudex`);
one that is empty and unquoted is no word, so the next one is the command (`c=; $c claude -v`,
`set --; "$@" claude -v`); a parameter copied (`y=$1; $y -v`). Each line drawn here is run by
dash (tests/dash.py) and linted: an error only where the harness ran and the RUN failed, a
finding wherever it ran."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.dash import SH, agrees, outcome
from tests.severities import severities

HEAD = "FROM aishell:foundation\nRUN "
VALUES = ["claude", "xclaude", "xxclaude", "claudex", "claude.sh", "claude.a.b", "a.claude", "codex", "x", ""]
OPERATORS = [":-", "-", ":+", "+", ":=", "=", "#", "##", "%", "%%", ":#"]
WORDS = ["claude", "x", "*x", "x*", "?", ".*", "*.", ".sh", "c*", "*", "", "[c]", "cl*", "*e"]


@st.composite
def lines(draw) -> str:
    positional = draw(st.booleans())
    value = draw(st.sampled_from(VALUES))
    given_ = draw(st.sampled_from(["set", "unset", "set twice"]))
    name = "1" if positional else "c"
    expansion = "${" + name + draw(st.sampled_from(OPERATORS)) + draw(st.sampled_from(WORDS)) + "}"
    if draw(st.booleans()):
        expansion = f'"{expansion}"'
    use = expansion + " -v"
    if positional:
        setup = {"set": f"set -- {shlex.quote(value)}; ", "unset": "", "set twice": "set -- a b; shift; "}[given_]
        if draw(st.booleans()) and given_ != "set twice":
            # The parameters of a child shell: `sh -c '…' _ VALUE`.
            operand = f" _ {shlex.quote(value)}" if given_ == "set" else ""
            return "sh -c " + shlex.quote(use) + operand
    else:
        setup = {"set": f"c={shlex.quote(value)}; ", "unset": "", "set twice": f"c=x; c={shlex.quote(value)}; "}[given_]
    return setup + use


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=lines())
@example(line="set -- ''; ${1:=claude} -v")  # (null, not unset: the assignment still fails)
@example(line="sh -c '\"${1:=claude}\" -v' _ ''")
def test_a_parameter_operator_names_what_dash_runs(tmp_path, line):
    found = severities(HEAD + line + "\n")
    fails, ran = outcome(line, tmp_path, ("claude", "codex"))
    agrees(found, fails, ran, line)


# Ways to make a parameter hold a value (or none), and ways to name a command with it. (A
# variable the RUN did not assign may come from an ENV, an ARG or the base image: not drawn.)
HOLDERS = {
    "c": ["c={v}; ", 'c="{v}"; ', "c=x; c={v}; ", "c={v}; export c; "],
    "1": ["set -- {v}; ", 'set -- "{v}"; ', "set --; ", "set -- {v} b; shift; ", ""],
}
NAMERS = {
    "c": ["$c", '"$c"', "${c}", 'y="$c"; $y', "${c:-claude}"],
    "1": ["$1", '"$1"', "$@", '"$@"', "$*", '"$*"', "$2", "y=$1; $y", "y=$2; $y", "${1-codex}"],
}
AFTER = [" claude -v", " -v", " codex -v", " claude", "", " echo claude", " $1 claude -v"]


@st.composite
def empties(draw) -> str:
    kind = draw(st.sampled_from(["c", "1"]))
    holder = draw(st.sampled_from(HOLDERS[kind])).format(v=draw(st.sampled_from(["", " ", "claude", "x"])))
    namer = draw(st.sampled_from(NAMERS[kind]))
    line = holder + namer + draw(st.sampled_from(AFTER))
    if draw(st.integers(0, 3)) == 0 and kind == "1" and "y=" not in namer:
        # (A child shell's own variables are read as may-be: `sh -c 'c=x; c=claude; y="$c"; $y'`
        # is missed, `sh -c 'c=; $c claude'` and `sh -c 'y=$1; $y claude'` too. Not drawn there.)
        line = "sh -c " + shlex.quote(line) + draw(st.sampled_from(["", " _", " _ ''", " _ claude", " _ '' claude"]))
    return line


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=empties())
def test_an_empty_parameter_leaves_the_next_word_the_command(tmp_path, line):
    found = severities(HEAD + line + "\n")
    fails, ran = outcome(line, tmp_path, ("claude", "codex"))
    agrees(found, fails, ran, line)


@pytest.mark.parametrize(
    "line,want",
    [
        ("${1:-claude} -v", ["error"]),  # (a RUN's line has no parameters)
        ('"${1-claude}" -v', ["error"]),
        ("${1:+claude} -v", []),
        ("${1=claude} -v", []),  # (no parameter is assigned: dash stops)
        ('set -- ""; ${1:-claude} -v', ["error"]),
        ('set -- ""; ${1-claude} -v', []),
        ("set -- claudex; ${1%x} -v", ["error"]),
        ("sh -c '${1#x} -v' _ xclaude", ["error"]),
        ("c=xxclaude; ${c##*x} -v", ["error"]),
        ("c=xxclaude; ${c#*x} -v", []),  # (xclaude)
        ("c=claude.a.b; ${c%%.*} -v", ["error"]),
        ("c=claude.a.b; ${c%.*} -v", []),  # (claude.a)
        ("c=claude; ${c:#c} -v", []),  # (a bad substitution)
        ("c=claude; ${c#[c]} -v", []),  # (laude)
        ("c=claude; ${c%[c]} -v", ["warning"]),  # (a bracket: dash and bash differ, not sure)
        ("f() { ${1:-claude} -v; }; f", ["error"]),  # (a function's parameters: its call's, none)
        ("c=; $c claude -v", ["error"]),
        ('c=; "$c" claude -v', []),  # (one word, empty: not found)
        ('set --; "$@" claude -v', ["error"]),
        ('set --; "$*" claude -v', []),
        ("sh -c '$1 claude -v'", ["error"]),
        ("set -- claude; y=$1; $y -v", ["error"]),
        ("y=$1; $y claude -v", ["error"]),
        ("$UNSET claude -v", []),  # (an ENV, an ARG or the base image may set it: not read)
    ],
)
def test_parameter_operators(line, want):
    assert severities(HEAD + line + "\n") == want, line


def test_a_long_value_is_not_matched_against_every_length():
    """_PATTERN_VALUE_MAX bounds the work: a pattern is tried at each length of the value."""
    long = "x" * 5000 + "claude"
    assert severities(f"{HEAD}c={long}; ${{c##*x}} -v\n") == []
    assert severities(f"{HEAD}c=xxclaude; ${{c##*x}} -v\n") == ["error"]
