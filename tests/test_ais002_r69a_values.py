"""A value the reader expands into a script is read as the script it becomes (issue 18, r69a).

`set -- 'npm i -g @anthropic-ai/claude-code'; sh -c "$1 && claude -v"` was an AIS002 error: the
`-c` string's value was read with every character at the string's first quote, the install not
before the call; `set -- 'claude -v'; npm i -g …; sh -c "$1"` read claude where `set` is, before
the install. Both builds pass. The class: a value (a positional parameter, a variable) joined
into a `-c` or eval string, or read as a command, that installs, defines, changes PATH or runs
project code before the call, or after it, around text of the string's own. Each form is
generated over the carriers of the value, the strings that expand it and the values, and judged
by dash (tests/stub_oracle_r68a.py, with an `npm` that installs a working `claude` into a folder
on PATH): an error only where the logging harness stub ran and the script, with no harness at
all, fails.
"""

import itertools
import shutil
import tempfile

import pytest

from tests.severities import severities
from tests.stub_oracle_r68a import DASH, InstallingOracle, false_error
from tests.switched import read_switched

INSTALL = "npm i -g @anthropic-ai/claude-code"
VALUES = [
    INSTALL,
    "./install.sh",
    "true",
    "cd /tmp",
    "claude -v",
    f"{INSTALL} && claude -v",
    "true && claude -v",
    "claude() { :; }",
    f"claude -v; {INSTALL}",
    "export PATH=/opt/x:$PATH",
    f"x=$({INSTALL})",
]
CARRIERS = ["set -- '{v}' x; {u}", "c='{v}'; {u}"]
# The uses: {x} is the expansion (`$1`, or `$c`).
USES = [
    'sh -c "{x} && claude -v"',
    'sh -c "{x}; claude -v"',
    'sh -c "{x}"',
    'bash -c "{x}"',
    'sh -c "claude -v; {x}"',
    'eval "{x} && claude -v"',
    'eval "{x}"',
    f'{INSTALL}; sh -c "{{x}}"',
    f'{INSTALL}; eval "{{x}}"',
    'sh -c "exec {x}"',
    'sh -c "{x}"" && claude -v"',  # (quotes joined inside the string)
]
CASES = [
    c.format(v=v, u=u.format(x="$c" if c.startswith("c=") else "$1"))
    for c, u, v in itertools.product(CARRIERS, USES, VALUES)
]
# `"$@"` naming a command: the parameters as words (plain values only: set's own words).
WORDS = [INSTALL, "./install.sh", "true", "cd /tmp", "claude -v", "nice claude -v", "nice -n 1 claude"]
CASES += [
    c.format(v=v, u=u)
    for c, u, v in itertools.product(
        ["set -- {v}; {u}", "f() {{ {u}; }}; f {v}"], ['"$@" && claude -v', '"$@"; claude -v', '"$@"', "$@"], WORDS
    )
]
# Strings the reader cannot read value by value (a `'` inside, `"$@"` joined to text, a
# substitution, an unquoted value that splits): read with the values put in, not sure.
GUESSED = [
    c.format(v=v, u=u)
    for c, u, v in itertools.product(
        ["set -- {v} x; {u}", "set -- '{v}'; {u}", "c='{v}'; {u}"],
        [
            "sh -c \"'$1' -v\"",
            'sh -c "$@ -v"',
            'sh -c "$* -v"',
            'sh -c "`echo $1` -v"',
            'sh -c "$(echo $1) -v"',
            "sh -c $1",
            "sh -c \"'$c' -v\"",
            "sh -c $c",
        ],
        ["claude", "codex", "claude -v", "true; claude -v", "x"],
    )
    if not (c.startswith("set -- {v} x") and " " in v)
]
_Installing = InstallingOracle  # (the name the other r69a tests import)


@pytest.fixture(scope="module")
def oracle():
    root = tempfile.mkdtemp(prefix="r69a-")  # (not under pytest's folder: its user may not enter it)
    yield _Installing(root)
    shutil.rmtree(root, ignore_errors=True)


def _switched_off(text: str, **off) -> list[str]:
    text = text.replace("; ", ";  ")  # (another text: AIS002 keeps answers by text)
    return [f[2] for f in read_switched(text, **(off or {"VALUES_AT_STRING": False}))[1] if f[0] == "AIS002"]


# Not yet (a class of its own, left for a later round): a function's body is read where it is
# defined, so what a call's parameters run before the body's harness call, `f() { "$@" && claude
# -v; }; f ./install.sh`, is not before it (written out, project code makes it a warning); nor is
# `f() { claude -v; }; npm i -g …; f`.
NOT_YET: tuple[str, ...] = ()  # (the function bodies: AIS002's FUNCTION_CALLS_AT, tests/test_ais002_function_calls.py)


def _check(script: str, oracle: InstallingOracle, lint=severities) -> str | None:
    if script in NOT_YET:
        return None
    return false_error(lint("FROM aishell:foundation\nRUN " + script + "\n"), *oracle.run(script))


@pytest.mark.skipif(DASH is None, reason="no dash")
def test_an_error_only_where_dash_runs_a_harness_and_fails(oracle):
    wrong = [(s, why) for s in CASES if (why := _check(s, oracle))]
    assert not wrong, "\n".join(map(str, wrong))


@pytest.mark.skipif(DASH is None, reason="no dash")
def test_a_string_read_with_its_values_put_in_finds_what_dash_runs(oracle):
    wrong = [(s, why) for s in GUESSED if (why := _check(s, oracle))]
    missed = [s for s in GUESSED if oracle.run(s)[0] and not severities("FROM aishell:foundation\nRUN " + s + "\n")]
    assert not wrong, "\n".join(map(str, wrong))
    assert not missed, "\n".join(missed)
    off = [
        s
        for s in GUESSED
        if oracle.run(s)[0] and not _switched_off("FROM aishell:foundation\nRUN " + s + "\n", OUTER_GUESS=False)
    ]
    assert len(off) > 5


@pytest.mark.skipif(DASH is None, reason="no dash")
@pytest.mark.parametrize(
    "switch, example",
    [
        ("VALUES_AT_STRING", f"set -- '{INSTALL}'; sh -c \"$1 && claude -v\""),
        ("OUTER_VARS", "c='claude() { :; }'; sh -c \"$c && claude -v\""),
        ("LITERAL_DOLLARS", f"c='x=$({INSTALL})'; eval \"$c && claude -v\""),
        ("ALL_PARAMS", f'f() {{ "$@" && claude -v; }}; f {INSTALL}'),
    ],
)
def test_without_each_switch_the_rule_gave_false_errors(oracle, switch, example):
    def off(text):
        return _switched_off(text, **{switch: False})

    assert _check(example, oracle, off)
    assert sum(bool(_check(s, oracle, off)) for s in CASES) >= 2


@pytest.mark.parametrize(
    "run, expected",
    [
        (f"set -- '{INSTALL}'; sh -c \"$1 && claude -v\"", []),
        ('set -- ./install.sh; sh -c "$1 && claude -v"', ["warning"]),
        (f"set -- 'claude -v'; {INSTALL}; sh -c \"$1\"", []),
        (f"set -- '{INSTALL} && claude -v'; eval \"$1\"", ["warning"]),
        ('set -- claude; sh -c "$1 -v"', ["error"]),
        ("set -- 'claude -v'; sh -c \"cd /tmp && $1\"", ["error"]),
        (f'f() {{ "$@" && claude -v; }}; f {INSTALL}', []),
        (f"set -- echo 'a; {INSTALL}'; \"$@\"; claude -v", ["error"]),  # (a word, not a script)
        ("set -- claude; sh -c \"'$1' -v\"", ["warning"]),
        ('set -- true x; sh -c "$@; claude -v"', []),  # (the string is `true`; `x; claude -v` its $0)
        ("set -- 'true; claude -v'; sh -c $1", []),  # (the string is `true;`)
    ],
)
def test_named_forms(run, expected):
    assert severities("FROM aishell:foundation\nRUN " + run + "\n") == expected
