"""A command named by a variable the stage's ENV or ARG sets runs what it holds.

Red team 48 (02.sh): `ENV C=claude` then `RUN $C -v`, or `ARG C=claude` then `RUN ${C} -v`, gave
nothing, while `RUN C=claude; $C -v` was an error. The RUN's environment holds the stage's ENV
values (sure, until the RUN assigns or unsets the name) and its ARGs' (a default a --build-arg
may replace: a warning). The class: every way the stage sets the variable × every way the RUN
expands it as a command × what the RUN does to it first, checked against dash with the variable
exported (the environment the RUN starts with).
"""

import pytest

from tests.dash import runs_claude
from tests.severities import severities

# How the stage sets C: (the lines before the RUN, the severity a RUN running `$C` gets).
SETS = [
    ("FROM aishell:foundation\nENV C=claude\n", "error"),
    ("FROM aishell:foundation AS base\nENV C=claude\nFROM base\n", "error"),
    ("FROM aishell:foundation\nARG C=claude\n", "warning"),
    ("ARG C=claude\nFROM aishell:foundation\nARG C\n", "warning"),
    ("FROM aishell:foundation\nARG C=claude\nENV C=$C\n", None),  # (ENV's value not read: not known)
    ("ARG C=claude\nFROM aishell:foundation\n", None),  # (a global ARG not declared in the stage)
    # BuildKit: "An ARG variable declared within a build stage is automatically inherited by other
    # stages based on that stage. Unrelated build stages do not have access to the variable"
    # (frontend/dockerfile/docs/reference.md, Scope: the stage's state, its ARGs' values in its
    # environment, is its child's start, dispatchState.init). The image's ENV is inherited too.
    ("FROM aishell:foundation AS base\nARG C=claude\nFROM base\n", "warning"),
    ("FROM aishell:foundation AS base\nARG C=claude\nFROM base AS mid\nFROM mid\n", "warning"),
    ("FROM aishell:foundation AS base\nENV C=claude\nFROM base AS mid\nFROM mid\n", "error"),
    ("FROM aishell:foundation AS base\nARG C=claude\nFROM aishell:foundation\n", None),  # (unrelated)
    ("FROM aishell:foundation AS base\nENV C=claude\nFROM aishell:foundation\n", None),
    ("FROM aishell:foundation AS base\nARG C=claude\nFROM base\nARG C=ls\n", None),  # (its own default)
]
# How the RUN runs it.
USES = ["$C -v", '"${C}" -v', "sh -c '$C -v'", "env $C -v", "x=$C; $x -v"]
# What the RUN does to C first: (prefix, whether C still holds the stage's value).
FIRST = [("", True), ("C=ls; ", False), ("unset -v C; ", False)]


@pytest.mark.parametrize("first,kept", FIRST)
@pytest.mark.parametrize("use", USES)
@pytest.mark.parametrize("sets,severity", SETS)
def test_a_stage_variable_names_the_command(sets, severity, use, first, kept, tmp_path):
    script = first + use
    got = severities(sets + "RUN " + script + "\n")
    expected = [severity] if kept and severity is not None else []
    if kept and severity is not None:
        ran, _ = runs_claude("export C=claude\n" + script, tmp_path)
        assert ran, script  # (the table agrees with dash)
    assert got == expected, (sets, script, got)


@pytest.mark.parametrize(
    "run,expected",
    [
        ("RUN <<EOF\n$C -v\nEOF\n", ["error"]),  # (a heredoc the RUN runs: the same environment)
        ("RUN echo $C\n", []),  # (an argument, not a command)
        ("RUN npm i -g @anthropic-ai/claude-code && $C -v\n", []),  # (installed first)
        ("RUN unset -f C; $C -v\n", ["error"]),  # (a function unset, not the variable)
        ("RUN ${C:-codex} -v\n", ["error"]),  # (claude, surely)
        ("RUN unset C; ${C:-codex} -v\n", ["warning"]),  # (codex: read as a name the RUN never set)
        ("ONBUILD RUN $C -v\n", []),  # (it runs in another build, with that stage's environment)
    ],
)
def test_a_stage_variable_elsewhere(run, expected):
    assert severities("FROM aishell:foundation\nENV C=claude\n" + run) == expected


def test_an_unset_in_the_run_is_read_as_an_assignment_is():
    assert severities("FROM aishell:foundation\nRUN c=claude; unset c; $c -v\n") == []


def test_a_stage_arg_is_no_global_one_for_a_later_from():
    """A FROM reads only the global ARGs (those before the first FROM): a stage's `ARG
    B=aishell:base` is no image for a later `FROM ${B:-debian}`."""
    text = "FROM debian:12 AS a\nARG B=aishell:base\nFROM ${B:-debian}\nRUN true\n"
    assert severities(text, "AIS001") == []
    assert severities("ARG B=aishell:base\n" + text, "AIS001") == ["error"]  # (the global one)
