"""A harness call in a function's body runs where the function is called (AIS002's
FUNCTION_CALLS_AT, issue 18).

The shell reader reads a body where the function is defined, and AIS002 judged its commands
there: `f() { claude -v; }; npm i -g @anthropic-ai/claude-code; f` was an error (the install
not before the call) although the build passes; `f() { claude -v; }; ./install.sh; f` an error
where writing it out gives a warning (project code may provide it). r69a's left-out class. Each
form is generated over the ways to define a function, its body, what comes between the
definition and its calls, and the calls, and judged by dash with stub commands
(tests/test_ais002_r69a_values.py's oracle: an `npm` that installs a working `claude`): an error
only where the logging harness stub ran and the script, with no harness at all, fails; a
finding wherever dash runs a harness and the script fails.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile

import pytest

from aishell.lint_rules import ais002_harness_at_build_time as ais002
from tests.severities import severities
from tests.stub_oracle_r68a import DASH, InstallingOracle, false_error
from tests.test_ais002_r69a_values import INSTALL

DEFINITIONS = ["f() {{ {b}; }}", "function f {{ {b}; }}"]
BODIES = ["claude -v", "(claude -v)", "x=$(claude -v)", '"$@" && claude -v']
BETWEEN = [INSTALL, "./install.sh", "true", "cd /tmp", f"g() {{ {INSTALL}; }}; g", "claude() { :; }"]
CALLS = [
    "set -e; {d}; f x; {m}; f x",
    "{d}; {m}; f x",
    "{d}; {m} && f x",
    "{d}; f x; {m}; f x",
    "{d}; f x",
    "{d}; {m}; h() {{ f x; }}; h",
    "{d}; {m}; if true; then f x; fi",
]
CASES = sorted(
    {c.format(d=d.format(b=b), m=m) for d, b, m, c in itertools.product(DEFINITIONS, BODIES, BETWEEN, CALLS)}
)


@pytest.fixture(scope="module")
def oracle():
    root = tempfile.mkdtemp(prefix="fcalls-")  # (not under pytest's folder: its user may not enter it)
    yield InstallingOracle(root)
    shutil.rmtree(root, ignore_errors=True)


def _lint(script: str, on: bool = True) -> list[str]:
    saved = ais002.FUNCTION_CALLS_AT
    ais002.FUNCTION_CALLS_AT = on
    try:
        # (AIS002 keeps its answers by the RUN's text: each switch setting reads its own text.)
        text = script if on else script.replace("; ", ";  ")
        return severities("FROM aishell:foundation\nRUN " + text + "\n")
    finally:
        ais002.FUNCTION_CALLS_AT = saved


def _wrong(script: str, oracle, on: bool = True) -> str | None:
    found = _lint(script, on)
    ran, status = oracle.run(script)
    if (why := false_error(found, ran, status)) is not None:
        return why
    if on and ran and status != 0 and not found:
        return f"no finding, but dash ran {ran} and failed ({status})"
    return None


@pytest.mark.skipif(DASH is None, reason="no dash")
def test_an_error_only_where_dash_runs_a_harness_and_fails(oracle):
    wrong = [(s, why) for s in CASES if (why := _wrong(s, oracle))]
    assert not wrong, "\n".join(map(str, wrong))


@pytest.mark.skipif(DASH is None, reason="no dash")
def test_without_it_the_rule_gave_false_errors(oracle):
    wrong = [s for s in CASES if _wrong(s, oracle, on=False)]
    assert len(wrong) >= 20, wrong


@pytest.mark.parametrize(
    "run, expected",
    [
        (f"f() {{ claude -v; }}; {INSTALL}; f", []),
        ("f() { claude -v; }; ./install.sh; f", ["warning"]),
        ("f() { claude -v; }; f", ["error"]),
        (f"set -e; f() {{ claude -v; }}; f; {INSTALL}; f", ["error"]),  # (the first call fails the RUN)
        (f"f() {{ claude -v; }}; f; {INSTALL}; f", []),  # (its failure is ignored; the last call decides)
        ("f() { claude -v; }; f; f", ["error"]),
        (f"f() {{ claude -v; }}; g() {{ f; }}; {INSTALL}; g", []),  # (called from another's body)
        ("f() { claude -v; }; cd /tmp; f", ["error"]),
        (f"f() {{ claude -v; }}; bash <<EOF && f\n{INSTALL}\nEOF", []),  # (a heredoc the line runs first)
        ('f() { claude -v; }; bash <<EOF && f\nnpm i -g "$P"\nEOF', ["warning"]),  # (... may install it)
        (f'f() {{ [ -n "$1" ] || return 0; claude -v; f; }}; {INSTALL}; f x', ["warning"]),  # (its own call)
        (f"f() {{ claude -v; [ -z 1 ] && f; }}; {INSTALL}; f", []),  # (its own call is no call after it)
    ],
)
def test_named_forms(run, expected):
    assert _lint(run) == expected
