"""A variable assigned after a test's `&&` holds its value, or nothing: a later `$c` may run nothing.

`set -e; [ -f x ] && c=claude; $c` was an AIS002 error, which blocks `aishell build`, though
the RUN passes when the test fails: `c` is then unset and `$c` expands to no command at all.
`$c -v` fails either way (unset, the shell runs `-v`: not found), so it stays an error; so does
a use in the same `&&` list, which runs only if the assignment did (`[ -f x ] && c=claude &&
$c`). The class: every way of assigning after `&&` × every use in a later list (no arguments,
an argument that may be a command, an option) × the controls (a sure assignment, the same list).
"""

import pytest

from tests.severities import severities as _ais002

ASSIGNED = [
    "[ -f /etc/x ] && c=claude",
    'test -n "$X" && c=claude',
    "command -v foo >/dev/null && c=claude",
    "[ -f /etc/x ] && export c=claude",
    "[ -f /etc/x ] && { c=claude; }",
    "{ [ -f /etc/x ] && c=claude; }",
    "true && c=claude",
]
# A use in a later list: (use, severity). Unset, `$c` runs nothing; `$c echo hi` runs `echo hi`;
# `$c -v` runs `-v`, not found.
USES = [
    ("$c", "warning"),
    ("${c}", "warning"),
    ("$c echo hi", "warning"),
    ("$c -v", "error"),
    ("$c --version", "error"),
]


@pytest.mark.parametrize("use,severity", USES)
@pytest.mark.parametrize("assigned", ASSIGNED)
def test_a_use_in_a_later_list_may_run_nothing(assigned, use, severity):
    for sep in ("; ", " ; \\\n  ", ";\t"):
        text = f"FROM aishell:foundation\nRUN set -e; {assigned}{sep}{use}\n"
        assert _ais002(text) == [severity], text


@pytest.mark.parametrize("use,_", USES)
@pytest.mark.parametrize("assigned", ["c=claude", "export c=claude"])
def test_a_sure_value_keeps_the_error(assigned, use, _):
    """(Another value before, `c=codex; [ -f x ] && c=claude`: either, see test_ais002_variable_command.)"""
    text = f"FROM aishell:foundation\nRUN set -e; {assigned}; {use}\n"
    assert _ais002(text) == ["error"], text


@pytest.mark.parametrize("assigned", ASSIGNED[:4])
def test_in_the_same_list_it_runs_only_with_the_value(assigned):
    """`[ -f x ] && c=claude && $c`: if the test fails, the list (the script's last) fails."""
    text = f"FROM aishell:foundation\nRUN set -e; {assigned} && $c\n"
    assert _ais002(text) == ["error"], text


# -- an `||` between the assignment and the use, and the same inside compounds ----------------
# After `||` the use runs when what came before failed: the test (so `c` is unset) or the
# assignment's own pipeline never ran (`a || c=claude && $c`: `a` passed). It may run nothing,
# or not run at all: a warning at most, whatever its arguments.
OR_FORMS = [
    "[ -f /etc/x ] && c=claude || {use}",
    "[ -f /etc/x ] && c=claude && true || {use}",
    "{{ [ -f /etc/x ] && c=claude; }} || {use}",
    'test -n "$X" || c=claude && {use}',
    "true || c=claude && {use}",
    "[ -f /etc/x ] && c=claude || true && {use}",
]
# A compound around the whole script: the same answer as at the top level.
# (A subshell's commands are read as they may not fail the RUN: warnings there; see test_status.)
AROUND = ["if true; then {}; fi", "{{ {}; }}", "if true; then true; {}; fi"]


@pytest.mark.parametrize("use", [u for u, _ in USES])
@pytest.mark.parametrize("form", OR_FORMS)
def test_after_an_or_the_use_may_not_see_the_value(form, use):
    body = form.format(use=use)
    for script in [body, f"( {body} )"] + [a.format(body) for a in AROUND]:
        text = f"FROM aishell:foundation\nRUN set -e; {script}\n"
        assert _ais002(text) == ["warning"], text


@pytest.mark.parametrize("use,severity", USES)
@pytest.mark.parametrize("assigned", ASSIGNED)
def test_inside_a_compound_a_later_list_is_a_later_list(assigned, use, severity):
    """`if true; then [ -f x ] && c=claude; $c; fi` was an error: lists were counted at the top only."""
    for around in AROUND:
        text = f"FROM aishell:foundation\nRUN set -e; {around.format(f'{assigned}; {use}')}\n"
        assert _ais002(text) == [severity], text


@pytest.mark.parametrize(
    "script",
    [
        "[ -f /etc/x ] && {{ c=claude; {use}; }}",
        "[ -f /etc/x ] && {{ c=claude; true; {use}; }}",
        "a || b && c=claude && {use}",
        "[ -f /etc/x ] && c=claude && true && {use}",
    ],
)
@pytest.mark.parametrize("use", ["$c", "${c}", "$c -v"])
def test_still_after_the_assignment_it_holds_the_value(script, use):
    """The part of the list after `&&` runs only if the assignment did: the error stays."""
    for around in ["{}"] + AROUND:
        text = f"FROM aishell:foundation\nRUN set -e; {around.format(script.format(use=use))}\n"
        assert _ais002(text) == ["error"], text


# -- the reason given: the variable, not the exit status or an earlier step ---------------------
# `[ -f x ] && c=claude || $c` after a step that may install anything (`npm i -g $G`) said "an
# earlier step may put `claude` on PATH", and with none, that its exit status does not decide the
# RUN's: neither is why it is a warning. Every maybe-unset use that is a warning says so, in
# every context; a use whose value is sure keeps its own reason.
BEFORE = ["", "ARG G\nRUN npm i -g $G\n", "ARG G\nRUN npm i -g $G\nFROM aishell:foundation\n"]
UNSET = "may be unset there, or hold another value"


def _messages(text: str) -> list[str]:
    from aishell.lint import Options, lint_text

    return [f.message for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings if f.code == "AIS002"]


def _maybe_unset_scripts():
    for assigned in ASSIGNED:
        for use, severity in USES:
            if severity == "warning":
                yield f"{assigned}; {use}"
                yield from (a.format(f"{assigned}; {use}") for a in AROUND)
    for form in OR_FORMS:
        for use, _ in USES:
            yield form.format(use=use)


@pytest.mark.parametrize("before", BEFORE)
def test_a_maybe_unset_use_says_the_variable_may_be_unset(before):
    for script in _maybe_unset_scripts():
        text = f"FROM aishell:foundation\n{before}RUN set -e; {script}\n"
        messages = _messages(text)
        assert len(messages) == 1 and UNSET in messages[0], (text, messages)
        assert "earlier step" not in messages[0] and "exit status" not in messages[0], (text, messages)


@pytest.mark.parametrize("before", BEFORE)
@pytest.mark.parametrize("script", ["c=claude; $c -v || true", "c=claude; $c || true", "claude -v || true"])
def test_a_sure_value_keeps_its_own_reason(before, script):
    text = f"FROM aishell:foundation\n{before}RUN set -e; {script}\n"
    messages = _messages(text)
    assert len(messages) == 1 and UNSET not in messages[0], (text, messages)


@pytest.mark.parametrize("use,severity", USES)
@pytest.mark.parametrize("times", [2, 3, 5])
def test_assigned_the_same_way_again_it_may_still_be_unset(use, severity, times):
    """`[ -f x ] && c=claude; $c; [ -f y ] && c=claude; $c`: the second `$c` was an error, the
    assignment counted as sure once the variable was known: still claude, or unset."""
    for assigned in ASSIGNED:
        text = "FROM aishell:foundation\nRUN set -e; " + "; ".join([f"{assigned}; {use}"] * times) + "\n"
        assert _ais002(text) == [severity] * times, text
