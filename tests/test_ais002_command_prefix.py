"""AIS002: a function called, unset or redefined by a command with assignments or redirections
before its name (issue 18, precision and recall).

The reader's function bookkeeping (a call reads the body, `unset -f` forgets it, a command that
may run text, eval or `$e`, may redefine it) looked at the command's first word. Behind a prefix
it saw none of them: `f() { claude -v; }; x=1 eval 'f() { true; }'; f` was an **error** though
dash runs the new f (claude never runs), and `x=1 f` was no call. It now reads the name past the
assignments and redirections (NAME_PAST_PREFIX, shell._command_name_at); bash's `x+=1`, `a[1]=2` before
a name are dash's command names: no call there. A command of assignments only calls nothing and
runs no text in this shell: its substitutions run in a subshell, which sees the functions defined
before it (`f() { claude -v; }; x=$(f)` is an error: SUBST_STATUS).

Generated: a prefix (or none) × what the prefixed command does (calls f, redefines it through
eval, `command eval` or `$e`, unsets it) × where the script runs (the line, `sh -c`, a fed
heredoc, `RUN <<EOF`), and f called in an assignment's substitution in several ways, each judged
by dash (tests/dash.py): an error only where the harness ran and the RUN failed, a finding wherever
it ran; recall (an error) for the sure cases.
"""

import itertools

import pytest

from aishell import shell
from tests.dash import CONTEXTS, SH, judge, placed
from tests.severities import severities

HEAD = "FROM aishell:foundation\nRUN "
DEFINE = "e=eval; f() { claude -v; }; "

PREFIXES = {
    "none": "",
    "x=1": "x=1 ",
    "two": "x=1 y=2 ",
    "substitution": "x=$(true) ",
    "redirection": "2>/dev/null ",
    "redirection, x=1": ">/dev/null x=1 ",
    "x=1, redirection": "x=1 2>&1 ",
    "+=": "x+=1 ",  # dash: a command named `x+=1`
    "array": "a[1]=2 ",
}
PLAIN = {"none", "x=1", "two", "substitution", "redirection", "redirection, x=1", "x=1, redirection"}
ACTIONS = {
    "call": "{p}f",
    "call, then more": "{p}f; echo done",
    "eval": "{p}eval 'f() {{ true; }}'; f",
    "command eval": "{p}command eval 'f() {{ true; }}'; f",
    "$e": "{p}$e 'f() {{ true; }}'; f",
    "unset -f": "{p}unset -f f; f",
    "unset -f, x=$(f)": "{p}unset -f f; x=$(f)",
}
SURE_ACTIONS = {"call"}
# f called in an assignment's last substitution (no prefix): the body runs in a subshell.
SUBSTITUTIONS = {
    "x=$(f)": ("x=$(f)", True),
    "x=$(f), set -e, more": ("set -e; x=$(f); echo done", True),
    "parameter": ('g() { "$1" -v; }; x=$(g claude)', True),
    "redefined after": ("f() { true; }; x=$(f); f() { claude -v; }", False),
    "unset before": ("unset -f f; x=$(f)", False),
    "maybe defined": ("unset -f f; false && f() { claude -v; }; x=$(f)", False),
    "redefined inside": ("x=$(f() { true; }; f)", False),
    "then more": ("x=$(f); echo done", False),
}


def _cases():
    for prefix, action, context in itertools.product(PREFIXES, ACTIONS, CONTEXTS):
        script = DEFINE + ACTIONS[action].format(p=PREFIXES[prefix])
        sure = prefix in PLAIN and action in SURE_ACTIONS
        yield f"{'sure' if sure else 'maybe'}|{prefix}|{action}|{context}", script, context
    for name, context in itertools.product(SUBSTITUTIONS, CONTEXTS):
        body, sure = SUBSTITUTIONS[name]
        yield f"{'sure' if sure else 'maybe'}|in $( )|{name}|{context}", DEFINE + body, context


CASES = [(key, *placed(script, context)) for key, script, context in _cases()]


@pytest.mark.skipif(SH is None, reason="needs dash")
@pytest.mark.parametrize("key,text,script", CASES, ids=[c[0] for c in CASES])
def test_the_name_past_a_prefix(tmp_path, key, text, script):
    judge(key, text, script, tmp_path, "recall: the body runs and fails the RUN")


def test_the_cases_need_the_switches(monkeypatch):
    # Without NAME_PAST_PREFIX: a redefinition or `unset -f` behind a plain prefix is not seen,
    # and the call after it an error (false: dash runs the new f, or finds none, and claude never
    # runs), for each of the four; a prefixed call is no call (most: no error where the RUN fails).
    # Without SUBST_STATUS a call in an assignment's substitution decides nothing.
    def errors(pick):
        return [key for key, text, _ in CASES if pick(key) and "error" in severities(text)]

    def redefined(key):
        _, prefix, action, _ = key.split("|")
        return prefix in PLAIN and prefix != "none" and action in ("eval", "command eval", "$e", "unset -f")

    def prefixed_call(key):
        return key.startswith("sure|") and "|none|" not in key and "|in $( )|" not in key

    assert errors(redefined) == []  # (the switch on)
    monkeypatch.setattr(shell, "NAME_PAST_PREFIX", False)
    false_errors = errors(redefined)
    assert {key.split("|")[2] for key in false_errors} == {"eval", "command eval", "$e", "unset -f"}
    assert len(false_errors) >= 48, len(false_errors)
    assert len(errors(prefixed_call)) <= len([key for key, _, _ in CASES if prefixed_call(key)]) // 2
    monkeypatch.setattr(shell, "NAME_PAST_PREFIX", True)
    monkeypatch.setattr(shell, "SUBST_STATUS", False)
    assert errors(lambda key: key.startswith("sure|in $( )|")) == []
