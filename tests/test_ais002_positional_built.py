"""Positional parameters built up by `set --` from the ones before (`set -- "$@" -v`).

`set -- claude; set -- "$@" -v; "$@"` had no AIS002 finding: `set --` took its words as they
are, so `"$@"` was the word `$@`, not the parameters set before. The class: `set --` words that
are `"$@"`, `$@` or `"$N"`, after other `set --`, `shift` or the arguments of `sh -c STRING _
ARGS`, then `"$@"`, `$1`… run. The oracle is dash, the harnesses as stubs that record that they
ran and fail as "not found" does: a harness that runs must be reported, an error must mean the
RUN fails.
"""

import shlex

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dash import SH, agrees, outcome
from tests.severities import severities

HARNESSES = ("claude", "codex")
WORDS = ["claude", "codex", "true", "-v", "--version", '"$@"', '"$1"', '"$2"', "$@"]
USES = ['"$@"', "$1", '"$2"', "$@"]


@st.composite
def bodies(draw):
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 3)) == 0:
            steps.append(draw(st.sampled_from(["shift", "shift 2"])) + " 2>/dev/null || :")
        else:
            steps.append("set -- " + " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=4))))
    return "; ".join(steps) + "; " + draw(st.sampled_from(USES))


@st.composite
def scripts(draw):
    body = draw(bodies())
    args = draw(st.lists(st.sampled_from(["claude", "codex", "true", "-v"]), max_size=3))
    return "sh -c " + shlex.quote(body) + " _ " + " ".join(args)


@st.composite
def own_scripts(draw):
    """(the script dash runs, the RUN's text): the same steps in a script given no parameters,
    the RUN's line, the body of `RUN <<EOF` or `sh -c STRING` with nothing after it."""
    body = draw(bodies())
    form = draw(st.sampled_from(["line", "heredoc", "sh -c"]))
    if form == "line":
        return body, body
    if form == "heredoc":
        script = body.replace("; ", "\n")
        return script, "<<EOF\n" + script + "\nEOF"
    return "sh -c " + shlex.quote(body), "sh -c " + shlex.quote(body)


def _outcome(script: str, tmp_path) -> tuple[bool, bool]:
    return outcome(script, tmp_path, HARNESSES)


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=scripts())
def test_positional_parameters_built_up(tmp_path, script):
    text = "FROM aishell:foundation\nRUN " + script + "\n"
    found = severities(text)
    fails, ran = _outcome(script, tmp_path)
    agrees(found, fails, ran, text)


@pytest.mark.parametrize(
    "script,want",
    [
        ('set -- claude; set -- "$@" --version; "$@"', ["error"]),
        ('set -- claude; set -- "$@" -v; "$@"', ["error"]),
        ('set -- -v; set -- codex "$@"; "$@"', ["error"]),
        ('set -- a claude; set -- "$2" "$1"; "$@"', ["error"]),
        ('sh -c \'set -- "$@" --version; "$@"\' _ claude', ["error"]),
        ('set -- claude; set -- echo "$@"; "$@"', []),
        ('set -- "$c" claude; "$@"', []),  # (not known: `$c` may be a command)
    ],
)
def test_forms(script, want):
    assert severities(f"FROM aishell:foundation\nRUN {script}\n") == want


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=own_scripts())
def test_a_script_given_no_parameters_has_none(tmp_path, case):
    """Red team (round ten): `set -- claude "$@"; "$@"` at the top of a RUN had no finding: the
    parameters before were not known, though the RUN's shell (`sh -c SCRIPT`) is given none.
    A harness that runs there is the last command: its failure is the RUN's, an error; one that
    does not run is nothing, or a warning after a `shift` past the parameters, which ends dash
    but not bash."""
    script, run = case
    found = severities("FROM aishell:foundation\nRUN " + run + "\n")
    fails, ran = _outcome(script, tmp_path)
    if ran:
        assert found == ["error"], (run, found)
    else:
        assert found == [] or ("shift" in script and found == ["warning"]), (run, found)


# Where a `set --` stands: {} is the command. Some never run it, some run it in a subshell, a
# pipeline's part or a function (whose parameters are put back), some surely run it.
CONTEXTS = [
    "{}",
    "{{ {}; }}",
    "true && {}",
    "if true; then {}; fi",
    "if false; then {}; fi",
    "true || {}",
    "false && {}",
    "[ -f /nonexistent ] && {}",
    "while false; do {}; done",
    "for x in a; do {}; done",
    "({})",
    "{} | true",
    "f() {{ {}; }}; f",
    "f() {{ {}; }}",
]


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("use", USES)
@pytest.mark.parametrize("before", ["", "set -- true; "])
def test_a_set_that_may_not_run_gives_no_error(tmp_path, context, use, before):
    """Red team (round ten): `if false; then set -- claude; fi; "$@"` (and `true || set --`, a
    subshell's, a pipeline's, a function's) was an error: every `set --` was read as sure to
    run. Where it may not run, as for `shift`, the parameters after it are not known. An error
    must mean dash runs the harness (its failure fails the RUN); one dash runs is still found."""
    script = before + context.format("set -- claude -v") + "; " + use
    found = severities("FROM aishell:foundation\nRUN " + script + "\n")
    _, ran = _outcome(script, tmp_path)
    assert ("error" not in found or ran) and (found or not ran), (script, found)
