"""AIS002: a function's body runs with its caller's errexit (issue 18, precision and recall).

`set -e; f() { claude -v; echo ok; }; f` ends the shell at claude's failure: the body runs in the
caller's shell, with its options, as POSIX has it. The status walk walked a called body with
errexit off (session 48 left it: a warning where the build surely fails). It now walks it with
the caller's errexit where the call has it on and not ignored (the last of its and-or list, not
negated, not in a condition, alone in this shell: _StatusWalk._simple's ``call_errexit``), and
its pipefail (CALLER_ERREXIT).

Generated: how errexit is set (or not) × a body whose harness failure ends the shell only under
errexit (or never) × where the call stands (deciding, or where errexit is ignored: `&&`, `||`,
`!`, `if`, `while`, a pipeline, `&`, `$( )`, a subshell) × where the script runs (the line,
`sh -c`, a fed heredoc, `RUN <<EOF`), each judged by dash (tests/dash.py): an error only where
the harness ran and the RUN failed, a finding wherever it ran; recall (an error) where errexit
is on at a call that decides and the body's harness failure ends the shell.
"""

import itertools

import pytest

from aishell import shell
from tests.chunks import chunked, each
from tests.dash import CONTEXTS, SH, judge, placed
from tests.severities import severities

# How errexit comes to be on where the call is (or is not, or is turned off again).
OPTIONS = {
    "set -e": "set -e; {s}",
    "set -o errexit": "set -o errexit; {s}",
    "set -eu": "set -eu; {s}",
    "after the definition": "{d} set -e; {c}",
    "none": "{s}",
    "set -e, set +e": "set -e; set +e; {s}",
}
# Bodies: the harness's failure ends the shell under errexit only (the first three), or never
# (after `||`, before `&&`, behind `!`, in a condition, in a subshell's `||`), or the body turns
# errexit off first.
BODIES = {
    "claude; echo": ("f() { claude -v; echo ok; }", "f"),
    "param; echo": ('f() { "$1" -v; echo ok; }', "f claude"),
    "group": ("f() { { claude -v; echo ok; }; }", "f"),
    "||": ("f() { claude -v || true; echo ok; }", "f"),
    "&& more": ("f() { claude -v && echo ok; echo done; }", "f"),
    "!": ("f() { ! claude -v; echo ok; }", "f"),
    "if": ("f() { if claude -v; then :; fi; echo ok; }", "f"),
    "set +e": ("f() { set +e; claude -v; echo ok; }", "f"),
    "subshell ||": ("f() { ( claude -v ) || true; echo ok; }", "f"),
}
SENSITIVE = {"claude; echo", "param; echo", "group"}
# Where the call stands: {c} is the call.
CALLS = {
    "alone": "{c}",
    "then more": "{c}; echo done",
    "after a command": "echo a; {c}",
    "after &&": "true && {c}",
    "before &&": "{c} && echo done",
    "before ||": "{c} || echo done",
    "negated": "! {c}; echo done",
    "if": "if {c}; then echo y; fi",
    "while": "while {c}; do break; done",
    "piped": "{c} | cat",
    "background": "{c} & wait",
    "substitution": "x=$({c}); echo done",
    "subshell": "( {c} ); echo done",
    "group": "{{ {c}; }}; echo done",
}
# Where errexit applies to the call: its body's failure ends the shell (or the subshell, whose
# status is then the next list's).
DECIDING = {"alone", "then more", "after a command", "after &&", "subshell", "group"}


def _script(option: str, body: str, call: str) -> str:
    definition, invocation = BODIES[body]
    placed = CALLS[call].format(c=invocation)
    form = OPTIONS[option]
    if "{d}" in form:
        return form.format(d=definition + ";", c=placed)
    return form.format(s=f"{definition}; {placed}")


def _cases():
    for option, body, call, context in itertools.product(OPTIONS, BODIES, CALLS, CONTEXTS):
        script = _script(option, body, call)
        sure = option not in ("none", "set -e, set +e") and body in SENSITIVE and call in DECIDING
        key = f"{'sure' if sure else 'maybe'}|{option}|{body}|{call}|{context}"
        yield key, *placed(script, context)


CASES = list(_cases())


@pytest.mark.skipif(SH is None, reason="needs dash")
# (Checked 100 cases an item, each in its own folder, a failure naming its case: tests/chunks.py.)
@pytest.mark.parametrize("chunk", chunked([pytest.param(*c, id=c[0]) for c in CASES]))
def test_function_body_runs_with_the_callers_errexit(tmp_path, chunk):
    each(
        chunk,
        lambda key, text, script, tmp: judge(
            key, text, script, tmp, "recall: the body's failure surely ends the shell"
        ),
        tmp_path,
    )


def test_the_sure_cases_need_the_switch(monkeypatch):
    # Without CALLER_ERREXIT the body is walked with errexit off: the sure cases are warnings.
    monkeypatch.setattr(shell, "CALLER_ERREXIT", False)
    sure = [(key, text) for key, text, _ in CASES if key.startswith("sure|")]
    assert sure
    assert all("error" not in severities(text) for _, text in sure)
