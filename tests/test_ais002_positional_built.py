"""Positional parameters built up by `set --` from the ones before (`set -- "$@" -v`).

`set -- claude; set -- "$@" -v; "$@"` had no AIS002 finding: `set --` took its words as they
are, so `"$@"` was the word `$@`, not the parameters set before. The class: `set --` words that
are `"$@"`, `$@` or `"$N"`, after other `set --`, `shift` or the arguments of `sh -c STRING _
ARGS`, then `"$@"`, `$1`… run. The oracle is dash, the harnesses as stubs that record that they
ran and fail as "not found" does: a harness that runs must be reported, an error must mean the
RUN fails.
"""

import shlex
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.severities import severities

SH = shutil.which("dash") or shutil.which("sh")
HARNESSES = ("claude", "codex")
WORDS = ["claude", "codex", "true", "-v", "--version", '"$@"', '"$1"', '"$2"', "$@"]
USES = ['"$@"', "$1", '"$2"', "$@"]


@st.composite
def scripts(draw):
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 3)) == 0:
            steps.append(draw(st.sampled_from(["shift", "shift 2"])) + " 2>/dev/null || :")
        else:
            steps.append("set -- " + " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=4))))
    body = "; ".join(steps) + "; " + draw(st.sampled_from(USES))
    args = draw(st.lists(st.sampled_from(["claude", "codex", "true", "-v"]), max_size=3))
    # (Given by `sh -c STRING _ ARGS`: the RUN's own are not read as known, though they are none.)
    return "sh -c " + shlex.quote(body) + " _ " + " ".join(args)


def _outcome(script: str, tmp_path) -> tuple[bool, bool]:
    stubs = tmp_path / "stubs"
    stubs.mkdir(exist_ok=True)
    mark = tmp_path / "ran"
    mark.unlink(missing_ok=True)
    for h in HARNESSES:
        stub = stubs / h
        stub.write_text(f"#!/bin/sh\ntouch {mark}\nexit 127\n")
        stub.chmod(0o755)
    env = {"PATH": f"{stubs}:/usr/bin:/bin"}
    rc = subprocess.run([SH, "-c", script], capture_output=True, timeout=10, env=env).returncode
    return rc != 0, mark.exists()


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=scripts())
def test_positional_parameters_built_up(tmp_path, script):
    text = "FROM aishell:foundation\nRUN " + script + "\n"
    found = severities(text)
    fails, ran = _outcome(script, tmp_path)
    if ran:
        assert found, (text,)
    if "error" in found:
        assert fails, (text, found)


@pytest.mark.parametrize(
    "script,want",
    [
        ('set -- claude; set -- "$@" --version; "$@"', ["error"]),
        ('set -- claude; set -- "$@" -v; "$@"', ["error"]),
        ('set -- -v; set -- codex "$@"; "$@"', ["error"]),
        ('set -- a claude; set -- "$2" "$1"; "$@"', ["error"]),
        ('sh -c \'set -- "$@" --version; "$@"\' _ claude', ["error"]),
        ('set -- claude; set -- echo "$@"; "$@"', []),
        ('set -- "$c" claude; "$@"', []),  # (not known: `$c` may be a command)
    ],
)
def test_forms(script, want):
    assert severities(f"FROM aishell:foundation\nRUN {script}\n") == want
