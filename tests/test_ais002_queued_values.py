"""AIS002 recall: a nested script reads a variable's value when it runs, not its last one.

The reader reads a nested script (eval's string, `sh -c "…"`'s, a `$( )` body) after the whole
level it stands in, and read it with the variables' last values: `c=claude; eval "$c -v"; c=x`
runs claude, and had no finding (session 53). Now each variable the nested text reads that was
assigned again after the text was queued holds, while it is read, its value then or its value
now, neither surely (shell.QUEUED_VALUES): a warning at most, never a false error.

Generated: what c held before × where a nested script reads it × what c is given after ×
what follows × where the RUN's script runs, judged by dash (tests/dash.py): an error only
where the harness ran and the RUN failed, a finding wherever it ran.
"""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell import shell
from tests.chunks import chunked, each
from tests.dash import CONTEXTS, HEAD, judged, placed
from tests.severities import severities

BEFORE = {"unset": "", "the harness": "c=claude; ", "a path": "c=/opt/bin/claude; ", "another": "c=ls; "}
NESTED = (
    'eval "$c -v"',
    'eval "\\$c -v"',
    "eval $c -v",
    'sh -c "$c -v"',
    'bash -c "$c -v"',
    "x=$($c -v)",
    "x=`$c -v`",
    'echo "$($c -v)"',
    "f() { $c -v; }; f",
    'env sh -c "$c -v"',
    'g() { eval "$c -v"; }; g',
    'y=$(echo "$($c -v)")',
)
AFTER = {
    "nothing": "",
    "another": "; c=x",
    "true": "; c=true",
    "unset": "; unset c",
    "the harness": "; c=claude",
    "exported": "; export c=x",
    "substituted": "; c=$(echo true)",
}
TAILS = {"": "", "; true": "; true", "set -e": None}


def _cases():
    for (bname, before), nested, (aname, after), (tname, tail), where in itertools.product(
        BEFORE.items(), NESTED, AFTER.items(), TAILS.items(), CONTEXTS
    ):
        script = before + nested + after
        script = f"set -e; {script}" if tail is None else script + tail
        yield pytest.param(script, where, id=f"{bname}|{nested}|{aname}|{tname}|{where}")


# (Checked 100 cases an item, each in its own folder, a failure naming its case: tests/chunks.py.)
@pytest.mark.parametrize("chunk", chunked(list(_cases())))
def test_a_nested_script_reads_the_value_it_runs_with(chunk, tmp_path):
    each(chunk, judged, tmp_path)


# The mirror: eval runs its string in this shell, and the reader reads the string after the
# level, so the commands after an eval saw none of its assignments (`eval "c=claude"; $c -v`
# had no finding). Now each `NAME=value` in the string may hold after it (shell.EVALED_VALUES).
EVALED = (
    'eval "c=claude"',
    "eval c=claude",
    "eval 'export c=claude'",
    'eval "c=claude x=1"',
    'eval "true; c=claude"',
    'eval "[ -e /nowhere ] && c=claude"',
    'eval "c=\\$(echo claude)"',
    'eval "c=x"',
    'eval "c=/opt/bin/claude"',
)
USES = ("$c -v", '"$c" -v', "e=$c; $e -v", "x=$($c -v)", 'eval "$c -v"', "${c} --version")


def _evaled_cases():
    for (bname, before), evaled, use, (tname, tail), where in itertools.product(
        BEFORE.items(), EVALED, USES, TAILS.items(), CONTEXTS
    ):
        script = f"{before}{evaled}; {use}"
        script = f"set -e; {script}" if tail is None else script + tail
        yield pytest.param(script, where, id=f"{bname}|{evaled}|{use}|{tname}|{where}")


@pytest.mark.parametrize("chunk", chunked(list(_evaled_cases())))
def test_what_an_eval_assigns_holds_after_it(chunk, tmp_path):
    each(chunk, judged, tmp_path)


@pytest.mark.parametrize(
    ("switch", "line"),
    [
        ("QUEUED_VALUES", 'c=claude; eval "$c -v"; c=x'),
        ("QUEUED_VALUES", 'c=claude; sh -c "$c -v"; c=true'),
        ("QUEUED_VALUES", "c=claude; x=$($c -v); unset c"),
        ("EVALED_VALUES", 'eval "c=claude"; $c -v'),
        ("EVALED_VALUES", "eval c=claude; e=$c; $e -v"),
    ],
)
def test_the_switch_is_what_finds_them(monkeypatch, switch, line):
    """Off, the nested script reads the last value only, and the commands after an eval none of
    its assignments: the harness they run has no finding."""
    text = f"FROM aishell:foundation\nRUN {line}\n"
    monkeypatch.setattr(shell, switch, True)
    assert severities(text), line
    monkeypatch.setattr(shell, switch, False)
    assert severities(text.replace("; ", ";  ")) == [], line  # (another text: AIS002 keeps answers by text)


# Sequences of assignments, nested scripts that read or assign c, and guards, in any order.
PIECES = (
    "c=claude",
    "c=x",
    "c=true",
    "unset c",
    "export c=ls",
    "c=$(echo claude)",
    "[ -e /nowhere ] && c=claude",
    'eval "c=claude"',
    'eval "$c -v"',
    'sh -c "$c -v"',
    "x=$($c -v)",
    'echo "$($c -v)"',
    'e="$c -v"',
    'eval "$e"',
    "true",
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.sampled_from(PIECES), min_size=2, max_size=7), where=st.sampled_from(sorted(CONTEXTS)))
def test_any_order_of_values_and_nested_reads(pieces, where, tmp_path):
    script = "; ".join(pieces)
    judged(script, where, tmp_path)


# `$( )` bodies that read variables assigned before and after them, many times over (the
# assignment history: _Reader._remember, read after the split by a bisection, HISTORY_BISECT).
SUB_PIECES = (
    "c=claude",
    "c=x",
    "d=true",
    "d=claude",
    "unset c",
    "c=$(echo claude)",
    "d=$(date +%s)",
    "x=$($c -v)",
    "y=$($d -v)",
    'z="$(echo $c $d)"',
    "w=$($c -v; $d)",
    "[ -e /nowhere ] && c=claude",
    'eval "c=claude"',
    "read d <<< claude",
    "f() { c=claude; }",
    "f",
    "for c in claude x; do x=$($c -v); done",
    "{ d=claude; }",
    "( c=x )",
    "true",
)


def _lint_switched(monkeypatch, text: str, on: bool) -> list:
    from tests.runs import lint_findings, switched

    with switched(("HISTORY_BISECT",), on):
        return lint_findings(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pieces=st.lists(st.sampled_from(SUB_PIECES), min_size=3, max_size=12),
    where=st.sampled_from(sorted(CONTEXTS)),
    head=st.sampled_from(["", "set -e; "]),
)
def test_a_body_reads_the_value_of_its_place_found_by_bisection(pieces, where, head, monkeypatch):
    """HISTORY_BISECT on and off give every finding alike: sequences of assignments (plain, from
    `$( )`, guarded, eval's, read's, a function's, a loop's, in groups and subshells, unset) of
    two variables and `$( )` bodies that read them, in each place a RUN's script runs."""
    script = "; ".join(pieces)
    text = placed(head + script, where)[0] + "\n"
    assert _lint_switched(monkeypatch, text, True) == _lint_switched(monkeypatch, text, False)


def test_the_history_is_marked_where_it_is_out_of_order():
    """_remember keeps each variable's assignments as they come, and marks the history (_MIXED)
    when one comes before the last of its variable's: _read_one then reads them one by one."""
    r = shell._Reader()
    r.history = {}
    for name, at in (("c", 3), ("d", 1), ("c", 7), ("c", 7), ("d", 4)):
        r._remember(name, at)
    assert shell._MIXED not in r.history and [a for a, _ in r.history["c"]] == [3, 7, 7]
    r._remember("c", 5)
    assert r.history[shell._MIXED] is True


def test_a_long_run_of_bodies_reads_each_value_by_bisection(monkeypatch):
    """`x=$(date +%s); y=$(echo $x); w=$(claude -v)` repeated: each body's value is found by a
    bisection of x's assignments (one per body reading it), not a scan from the script's first."""
    text = HEAD + "set -e" + "; x=$(date +%s); y=$(echo $x); w=$(claude -v)" * 300 + "\n"
    scans = []
    import bisect

    real = bisect.bisect_right
    monkeypatch.setattr(shell, "bisect_right", lambda *a, **k: scans.append("key" in k) or real(*a, **k))
    on = _lint_switched(monkeypatch, text, True)
    assert sum(scans) >= 300  # (the history's: by the assignment's place)
    assert on == _lint_switched(monkeypatch, text, False) and len(on) == 300
