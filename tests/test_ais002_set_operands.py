"""The positional parameters after commands that change them other than `set --` (the review of
session 68): `set -e true`, `set -o errexit true`, `set -ex -- true`, `set - true` set them as
`set -- true` does; `eval "set -- true"`, `eval set -- true`, `command set -- true`, `. ./f` may.
Read as `set -- claude` alone, `set -- claude; set -e true; "$1" -v` (and a `-c` string's "$1")
was an error where dash runs `true -v`. Generated: a parameter set, one such command, then a use
of "$1" in each form, judged as dash runs it (tests/stub_oracle_r68a: the harnesses stubs that
fail, as an unprivileged user): an error only where a harness ran and the script failed."""

import itertools
import shutil
import tempfile

import pytest

from tests.severities import severities
from tests.stub_oracle_r68a import DASH, Oracle, false_error
from tests.switched import read_switched

CHANGERS = [
    "set -e true",
    "set +e true",
    "set -ex -- true",
    "set -o errexit true",
    "set -eo errexit true",
    "set +o errexit -- true",
    "set - true",
    "set -e -- true",
    'eval "set -- true"',
    "eval set -- true",
    "eval 'set -e true'",
    "command set -- true",
    "command set -e true",
    'eval "shift"',
    "set -- true",
    "shift",
    # (no change: $1 still the harness)
    "set -e",
    "set -o noglob",  # (not pipefail: the oracle's dash 0.5.12 has none, and exits)
    "set +x",
    'eval "echo"',
    ":",
]
USES = ['"$1" -v', "$1 -v", 'sh -c "$1 -v"', 'sh -c "exec $1"', 'bash -c "$1 --version"', 'eval "$1 -v"']
STARTS = ["set -- claude", "set -- 'claude -v' x", "set -- codex claude"]
CASES = [f"{s}; {c}; {u}" for s, c, u in itertools.product(STARTS, CHANGERS, USES)]


@pytest.fixture(scope="module")
def oracle():
    root = tempfile.mkdtemp(prefix="set-operands-")  # (not under pytest's folder: its user may not enter it)
    yield Oracle(root)
    shutil.rmtree(root, ignore_errors=True)


def _check(script: str, oracle: Oracle, lint=severities) -> str | None:
    found = lint("FROM aishell:foundation\nRUN " + script + "\n")
    ran, status = oracle.run(script)
    if (why := false_error(found, ran, status)) is not None:
        return why
    return None


def _switched_off(text: str) -> list[str]:
    return [f[2] for f in read_switched(text, SET_OPERANDS=False)[1] if f[0] == "AIS002"]


@pytest.mark.skipif(DASH is None, reason="no dash")
def test_an_error_only_where_dash_runs_a_harness_and_fails(oracle):
    wrong = [(s, why) for s in CASES if (why := _check(s, oracle))]
    assert not wrong, "\n".join(map(str, wrong))


@pytest.mark.skipif(DASH is None, reason="no dash")
def test_without_it_the_rule_gave_false_errors(oracle):
    assert sum(bool(_check(s, oracle, _switched_off)) for s in CASES) > 30


@pytest.mark.parametrize("use", USES[:3])
@pytest.mark.parametrize("keep", ["set -e", "set -o noglob", "set -eo noglob", "set +x", "command set -e"])
def test_a_parameter_no_command_changed_is_still_an_error(use, keep):
    assert severities(f"FROM aishell:foundation\nRUN set -- claude; {keep}; {use}\n") == ["error"]
