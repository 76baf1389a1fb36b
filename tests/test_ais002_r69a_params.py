"""A command a positional parameter names, where the reader does not know the parameters, may run
anything (issue 18, r69a).

`set -- 'npm i -g @anthropic-ai/claude-code'; x=$($1 && claude -v)` was an AIS002 error: a `$( )`
body is read without its shell's parameters (they may change before the body is read), so `$1`
named nothing and the call after it was sure to fail; dash installs claude first and the build
passes. The class: `$1`, `${1}`, `"$@"`, `$*` naming a command in a script whose parameters the
reader does not know (a `$( )` or backquoted body), before a harness call, over the values that
install, run project code or change nothing. Judged by dash with an `npm` stub that installs a
working claude (tests/test_ais002_r69a_values.py's oracle): an error only where the harness stub
ran and the script failed.
"""

import itertools
import shutil
import tempfile

import pytest

from tests.severities import severities
from tests.stub_oracle_r68a import DASH, false_error
from tests.test_ais002_r69a_values import INSTALL, _Installing
from aishell.lint_rules import _provides

VALUES = [INSTALL, "./install.sh", "true", "cd /tmp", "claude -v", "false"]
EXPANSIONS = ["$1", "${1}", '"$1"', '"$@"', "$*"]
USES = [
    "x=$({x} && claude -v)",
    "x=$({x}; claude -v)",
    "x=$(echo; {x} && claude -v)",
    "x=`{x} && claude -v`",
    "echo $({x}) && claude -v",
]
CARRIERS = ["set -- {v}; {u}", "set -- '{v}' x; {u}"]
CASES = [
    c.format(v=v, u=u.format(x=x))
    for c, u, x, v in itertools.product(CARRIERS, USES, EXPANSIONS, VALUES)
    if not (c.startswith("set -- {v};") and " " in v and x in ('"$1"', "${1}", "$1"))  # (a word of it)
]


@pytest.fixture(scope="module")
def oracle():
    root = tempfile.mkdtemp(prefix="r69a-params-")  # (not under pytest's folder: its user may not enter it)
    yield _Installing(root)
    shutil.rmtree(root, ignore_errors=True)


def _check(script: str, oracle, text: str | None = None) -> str | None:
    return false_error(severities("FROM aishell:foundation\nRUN " + (text or script) + "\n"), *oracle.run(script))


@pytest.mark.skipif(DASH is None, reason="no dash")
def test_an_error_only_where_dash_runs_a_harness_and_fails(oracle):
    wrong = [(s, why) for s in CASES if (why := _check(s, oracle))]
    assert not wrong, "\n".join(map(str, wrong))


@pytest.mark.skipif(DASH is None, reason="no dash")
def test_without_it_the_rule_gave_false_errors(oracle, monkeypatch):
    monkeypatch.setattr(_provides, "UNREAD_PARAMS", False)
    # (another text for each: AIS002 keeps answers by text)
    assert sum(bool(_check(s, oracle, s.replace("; ", ";  "))) for s in CASES) > 10


@pytest.mark.parametrize(
    "run, expected",
    [
        (f"set -- '{INSTALL}'; x=$($1 && claude -v)", ["warning"]),
        ("set -- ./install.sh; x=$($1 && claude -v)", ["warning"]),
        ("$1 && claude -v", ["error"]),  # (a RUN's own parameters: none, claude runs)
        ("set -- true; $1 && claude -v", ["error"]),
        ("set -- claude; x=$(claude -v)", ["error"]),
        ("f() { $1 && claude -v; }; f true", ["error"]),  # (read at the call: `true`, at `$1`)
    ],
)
def test_named_forms(run, expected):
    assert severities("FROM aishell:foundation\nRUN " + run + "\n") == expected
