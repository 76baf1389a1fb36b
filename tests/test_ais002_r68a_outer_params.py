"""A shell's `-c` string expands the positional parameters of the shell that starts it.

`RUN sh -c "$1" _ 'claude -v'` was an AIS002 error: the string was read as the started shell's
script, its `$1` the operand after it. But the RUN's own shell expands `"$1"` first (a RUN's line
has no parameters: `sh -c ""` runs nothing), and `set -- claude; sh -c "$1"` (or a function's
`sh -c "$1"` called `f claude`) runs claude, which had no finding or named the wrong harness.
The class: a positional or special parameter (`$1`, `${2}`, `$@`, `$*`, `$0`) in the string,
unquoted or double-quoted, where the started shell's own (`'$1'`, `"\\$1"`) stays its own. Each
form is generated over the contexts that set the RUN's parameters, the operands after the
string and the shell, and judged by dash itself (tests/stub_oracle_r68a.py): an error only
where a harness runs and the script then fails; a finding wherever a harness surely runs.
"""

import itertools
import shutil
import tempfile

import pytest

from tests.severities import severities
from tests.stub_oracle_r68a import DASH, Oracle, false_error
from tests.switched import read_switched

CONTEXTS = [
    "{c}",
    "set -- claude -v; {c}",
    "set -- x; {c}",
    "set -- 'true; claude -v'; {c}",
    "set -- 'codex exec' gemini; {c}",
    "f() {{ {c}; }}; f claude",
    "f() {{ {c}; }}; f",
    "f() {{ {c}; }}; f 'gemini -v' opencode",
]
STRINGS = [
    '"$1"',
    '"$1 -v"',
    '"exec $1"',
    '"${1}"',
    '"$2"',
    "$1",
    '"$0"',
    '"$@"',
    '"$*"',
    "'\"$1\" -v'",  # (the started shell's own)
    '"\\"\\$1\\""',  # (escaped: its own too)
]
# Forms whose harness the rule may miss (no false error): an unquoted `$1` that is empty or splits
# makes another operand the string (`sh -c $1 codex` on a RUN's line runs codex), `"$@"`/`"$*"`
# are not read as values, `"$2"` that is `-v` is an option, and find's status is not the RUN's.
NOT_READ = (
    "sh -c $1",
    "bash -c $1",
    '"$@"',
    '"$*"',
    "find ",
    'set -- claude -v; sh -c "$2"',
    'set -- claude -v; bash -c "$2"',
)
OPERANDS = ["", "_ claude", "_ 'claude -v'", "codex opencode"]
SHELLS = ["sh -c", "bash -c", "find . -maxdepth 0 -exec sh -c"]
CASES = [
    (ctx.format(c=f"{sh} {s} {ops}".rstrip() + (" \\;" if sh.startswith("find") else "")))
    for ctx, s, ops, sh in itertools.product(CONTEXTS, STRINGS, OPERANDS, SHELLS)
]


@pytest.fixture(scope="module")
def oracle():
    root = tempfile.mkdtemp(prefix="r68a-")  # (not under pytest's folder: its user may not enter it)
    yield Oracle(root)
    shutil.rmtree(root, ignore_errors=True)


def _switched_off(text: str) -> list[str]:
    return [f[2] for f in read_switched(text, OUTER_PARAMS=False)[1] if f[0] == "AIS002"]


def _check(script: str, oracle: Oracle, lint=severities) -> str | None:
    found = lint("FROM aishell:foundation\nRUN " + script + "\n")
    ran, status = oracle.run(script)
    if (why := false_error(found, ran, status)) is not None:
        return why
    if ran and status != 0 and not found and not any(n in script for n in NOT_READ):
        return f"dash ran {ran} (status {status}), no finding"
    return None


@pytest.mark.skipif(DASH is None, reason="no dash")
def test_each_form_is_judged_as_dash_runs_it(oracle):
    wrong = [(s, why) for s in CASES if (why := _check(s, oracle))]
    assert not wrong, "\n".join(map(str, wrong))


@pytest.mark.skipif(DASH is None, reason="no dash")
def test_without_the_reading_the_rule_was_wrong(oracle):
    assert _check('sh -c "$1" _ claude', oracle, _switched_off)
    assert sum(bool(_check(s, oracle, _switched_off)) for s in CASES[::7]) > 10


@pytest.mark.parametrize(
    "run, expected",
    [
        ("sh -c \"$1\" _ 'claude -v'", []),
        ('set -- claude; sh -c "$1"', ["error"]),
        ('f() { bash -c "exec $1" _ codex; }; f claude', ["error"]),
        ('sh -c "exec $0" claude', []),
        ("sh -c '\"$0\" -v' claude", ["error"]),
    ],
)
def test_named_forms(run, expected):
    assert severities("FROM aishell:foundation\nRUN " + run + "\n") == expected
