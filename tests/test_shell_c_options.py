"""`sh -c` with options around it (issue 18, recall; found by a red-team pass): POSIX shells take
more options after `-c`, and `--` ends them, so `sh -c -- 'claude -v'` runs `claude -v`; the
reader took `--` for the command string and AIS002 saw nothing. Generated invocations of dash
and bash (options before and after `-c`, combined with it, `-o NAME`, `+o NAME`, `--`, bash's
long options, no `-c` at all) are run by the real shell: the command string is read as a
script exactly when the shell runs it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.model import parse
from aishell.shell import analyse_run

SHELLS = [s for s in ("dash", "bash") if shutil.which(s)]
BEFORE = ["", "-e ", "-x ", "-eu ", "-o pipefail ", "+o errexit ", "-euo pipefail "]
AFTER = ["", "-e ", "-x ", "-- ", "-e -- ", "+x "]


@pytest.mark.skipif(not SHELLS, reason="no dash or bash")
@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(SHELLS or ["sh"]),
    st.sampled_from(["", "--norc "]),
    st.sampled_from(BEFORE),
    st.sampled_from(["-c ", "-ec ", "-xc ", ""]),
    st.sampled_from(AFTER),
)
def test_the_command_string_is_read_when_the_shell_runs_it(shell, long, before, c, after):
    if long and shell != "bash":
        long = ""
    if "pipefail" in before and shell == "dash":
        before = "-e "  # (dash has no pipefail: it refuses the option)
    line = f"{shell} {long}{before}{c}{after}'echo MARK'"
    ran = subprocess.run(
        ["/bin/sh", "-c", line], capture_output=True, text=True, timeout=10, stdin=subprocess.DEVNULL
    ).stdout.splitlines()
    df = parse(f"FROM debian\nRUN {line}\n")
    read = any(cmd.argv == ["echo", "MARK"] for cmd in analyse_run(df.instructions[1]).commands)
    assert read == ("MARK" in ran), line


def test_busybox_runs_its_applet():
    """`busybox sh -c 'claude -v'`: busybox runs the applet named first, as `env` runs its
    command (found by a red-team pass; was not read)."""
    for line in ("busybox sh -c 'echo MARK'", "/bin/busybox env echo MARK"):
        df = parse(f"FROM debian\nRUN {line}\n")
        assert any(cmd.argv == ["echo", "MARK"] for cmd in analyse_run(df.instructions[1]).commands), line
