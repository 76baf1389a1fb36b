"""errexit (or pipefail) turned off where it may or may not run: after it, not surely on.

Found by a red team: `set -e; if [ "$LENIENT" = 1 ]; then set +e; fi; claude --version; echo
done` was an AIS002 error, which blocks `aishell build`, though dash runs it to "done" and exits
0 when the branch ran: the status walk read an `if`'s branches without what they do to the
shell's options, and a loop's, a function's (called later) or an `eval`'s string the same way.
The class: every compound that may run a `set +e` (`if`/`elif`/`else`, `while`, `until`, `for`,
`case`, a `{ }` group, after `&&`, a function then its call, `eval` of a literal, `set +$o`) ×
errexit and pipefail: the call after it is a warning; the controls (the same compound without
it, a subshell's or a pipeline's own `set +e`, `set --` arguments) keep the error.
"""

import pytest

from tests.severities import severities as _ais002

COMPOUNDS = [
    "if [ -f /x ]; then {off}; fi",
    "if [ -f /x ]; then :; else {off}; fi",
    "if [ -f /x ]; then :; elif [ -f /y ]; then {off}; fi",
    "if {off}; then :; fi",
    "while [ -f /x ]; do {off}; done",
    "until [ -f /x ]; do {off}; done",
    "for o in a; do {off}; done",
    "case $X in a) {off};; esac",
    "{{ [ -f /x ] && {off}; }}",
    "[ -f /x ] && {off}",
    "f() {{ {off}; }}; f",
    "f() {{ {off}; }}; g() {{ f; }}; g",
]
# (how it is turned off, how it is on, the call whose failure it decides)
OPTIONS = [
    ("set +e", "set -e", "claude --version; echo done"),
    ("set +o errexit", "set -e", "claude --version; echo done"),
    ("eval 'set +e'", "set -e", "claude --version; echo done"),
    ("set +$o", "set -e", "claude --version; echo done"),
    ("set +o pipefail", "set -o pipefail", "claude --version | tee /tmp/log"),
]
CONTROLS = ["( {off} )", "{off} | cat", "set -- {off}", "echo {off}"]


@pytest.mark.parametrize("off,on,call", OPTIONS)
@pytest.mark.parametrize("compound", COMPOUNDS)
def test_turned_off_where_it_may_run_the_call_is_a_warning(compound, off, on, call):
    text = f"FROM aishell:foundation\nRUN {on}; {compound.format(off=off)}; {call}\n"
    assert _ais002(text) == ["warning"], text
    # The same compound without it: the error stays (a `case` too: whichever list runs, or none).
    text = f"FROM aishell:foundation\nRUN {on}; {compound.format(off='true')}; {call}\n"
    assert _ais002(text) == ["error"], text


@pytest.mark.parametrize("off,on,call", OPTIONS[:2] + OPTIONS[4:])
@pytest.mark.parametrize("control", CONTROLS)
def test_its_own_shell_or_arguments_keep_the_error(control, off, on, call):
    text = f"FROM aishell:foundation\nRUN {on}; {control.format(off=off)}; {call}\n"
    assert _ais002(text) == ["error"], text
