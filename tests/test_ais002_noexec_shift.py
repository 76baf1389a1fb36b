"""A shell with noexec runs nothing; `shift` drops positional parameters; a `#!` line's option.

Red team 40 (noexec, shift-positional, recall-minor): AIS002 gave errors, which block `aishell
build`, for harness calls a shell reads without running them (`SHELL ["/bin/sh", "-n", "-c"]`,
`set -n`, `set -o noexec`, a `RUN <<EOF` script whose `#!` line is `#!/bin/sh -n`) and for `"$@"`
after a `shift` dropped the harness (`set -- claude; shift; "$@"`); and a warning where a `#!/bin/sh
-e` line makes the harness call end the script. The classes: every spelling of noexec (the one
option reader, shell_options), every count of `shift` (checked against dash), and the controls
(the same without the twist keep their severity).
"""

import pytest

from tests.dash import runs_claude
from tests.severities import severities

HEAD = "FROM aishell:foundation\n"

NOEXEC_SHELLS = [
    '["/bin/sh", "-n", "-c"]',
    '["/bin/sh", "-nc"]',
    '["/bin/sh", "-en", "-c"]',
    '["/bin/bash", "-o", "noexec", "-c"]',
    '["/bin/sh", "-c", "-n"]',
]


@pytest.mark.parametrize("shell", NOEXEC_SHELLS)
def test_a_noexec_shell_instruction_runs_no_error(shell):
    text = HEAD + f"SHELL {shell}\nRUN claude -v\n"
    assert "error" not in severities(text), text


NOEXEC_LINES = [
    "set -n; claude -v",
    "set -n && claude -v",
    "set -xn; claude -v",
    "set -o noexec; claude -v",
    "set -o noexec && claude -v",
    "set -eo noexec; claude -v",
    "set -e; set -n; claude -v",
    "sh -n -c 'claude -v'",
    "sh -c -n 'claude -v'",
    "sh -nc 'claude -v'",
    "bash -o noexec -c 'claude -v'",
    "sh -c 'set -n; claude -v'",
    "echo 'claude -v' | sh -n",
    "echo 'claude -v' | sh -o noexec",
    "echo 'claude -v' > s.sh && sh -n s.sh",
    "echo 'claude -v' > s.sh && sh -o noexec s.sh",
    "if true; then set -n; fi; claude -v",
    "f() { set -n; }; f; claude -v",
]
NOEXEC_CONTROLS = [
    "set +n; claude -v",
    "set -o noclobber; claude -v",
    "set -e; claude -v",
    "sh -c 'claude -v'",
    "sh -e -c 'claude -v'",
    "( set -n ); claude -v",
    "echo 'claude -v' | sh",
    "echo 'claude -v' > s.sh && sh s.sh",
]


@pytest.mark.parametrize("line", NOEXEC_LINES)
def test_noexec_runs_no_error(line, tmp_path):
    ran, _ = runs_claude(line, tmp_path)
    got = severities(HEAD + f"RUN {line}\n")
    if not ran:
        assert "error" not in got, (line, got)


@pytest.mark.parametrize("line", NOEXEC_CONTROLS)
def test_noexec_controls_stay_errors(line, tmp_path):
    ran, failed = runs_claude(line, tmp_path)
    assert ran and failed, line
    assert severities(HEAD + f"RUN {line}\n") == ["error"], line


def test_the_exec_form_with_noexec_runs_no_error():
    for argv in ('["/bin/sh", "-n", "-c", "claude -v"]', '["sh", "-o", "noexec", "-c", "claude -v"]'):
        assert "error" not in severities(HEAD + f"RUN {argv}\n"), argv
    assert severities(HEAD + 'RUN ["/bin/sh", "-c", "claude -v"]\n') == ["error"]


# `RUN <<EOF` with a `#!` line: BuildKit runs the file, the kernel passes the line's one argument.
SHEBANGS = [
    ("#!/bin/sh -n", "claude -v\n", None),
    ("#!/bin/bash -n", "claude -v\n", None),
    ("#!/bin/sh -en", "claude -v\n", None),
    ("#!/bin/sh -e -x", "claude -v\n", None),  # (one argument `-e -x`: the shell refuses it)
    ("#!/bin/sh -e", "claude -v\necho ok\n", "error"),
    ("#!/bin/sh -ex", "claude -v\necho ok\n", "error"),
    ("#!/bin/bash -e", "claude -v\necho ok\n", "error"),
    ("#!/bin/sh", "claude -v\necho ok\n", "warning"),
    ("#!/bin/sh -x", "claude -v\necho ok\n", "warning"),
    ("#!/bin/sh", "claude -v\n", "error"),
    ("#!/bin/sh -e", "claude -v\n", "error"),
    ("#!/usr/bin/env sh", "claude -v\n", "error"),
]


@pytest.mark.parametrize("shebang,body,want", SHEBANGS)
def test_a_shebang_option(shebang, body, want):
    text = HEAD + f"RUN <<EOF\n{shebang}\n{body}EOF\n"
    got = severities(text)
    if want is None:
        assert "error" not in got, text
    else:
        assert got == [want], (text, got)


SHIFTS = [
    'set -- claude; shift; "$@"',
    'set -- claude; shift 1; "$@"',
    "set -- claude; shift; $1",
    'set -- claude -v; shift; "$@"',
    'set -- x claude; shift 2; "$@"',
    'set -- claude; shift; exec "$@"',
    "sh -c 'shift; \"$@\"' _ claude",
    "sh -c 'shift; exec \"$@\"' _ claude",
    "sh -c 'shift 2; \"$@\"' _ x claude",
    "sh -c 'shift; $1' _ claude",
    'set -- claude x; if true; then shift; fi; "$@"',
    'set -- claude x; [ -d / ] && shift; "$@"',
    'set -- claude; f() { shift; }; f; "$@"',
    'set -- claude x; shift $N; "$@"',
    # controls: claude is what is left
    'set -- x claude; shift; "$@"',
    'set -- claude; "$@"',
    "sh -c 'shift; \"$@\"' _ x claude",
    "sh -c '\"$@\"' _ claude",
    'set -- y x claude; shift 2; "$@"',
]


@pytest.mark.parametrize("line", SHIFTS)
def test_shift_drops_positional_parameters(line, tmp_path):
    ran, failed = runs_claude(line, tmp_path)
    got = severities(HEAD + f"RUN {line}\n")
    if not (ran and failed):
        assert "error" not in got, (line, got)
    elif "shift" not in line or line.endswith('shift; "$@"\' _ x claude') or "shift 2" in line:
        assert got == ["error"], (line, got)  # (the controls, and a sure shift)
