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
@pytest.mark.parametrize("assigned", ["c=claude", "export c=claude", "c=codex; [ -f /etc/x ] && c=claude"])
def test_a_sure_value_keeps_the_error(assigned, use, _):
    text = f"FROM aishell:foundation\nRUN set -e; {assigned}; {use}\n"
    want = ["warning"] if use == "$c echo hi" and "codex" in assigned else ["error"]
    assert _ais002(text) in (want, ["error"]), text


@pytest.mark.parametrize("assigned", ASSIGNED[:4])
def test_in_the_same_list_it_runs_only_with_the_value(assigned):
    """`[ -f x ] && c=claude && $c`: if the test fails, the list (the script's last) fails."""
    text = f"FROM aishell:foundation\nRUN set -e; {assigned} && $c\n"
    assert _ais002(text) == ["error"], text
