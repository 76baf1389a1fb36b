"""The SHELL instruction (issue 18, precision; found by a red-team pass): AIS002 read every RUN
as `/bin/sh -c`. `SHELL ["/bin/bash", "-eo", "pipefail", "-c"]` turns errexit and pipefail on
for the RUNs after it in the stage (and the stages built FROM it), so `RUN claude -v | tee /log`
fails the build: an error. A SHELL that is no POSIX shell running `-c STRING` (`pwsh`, `cmd`,
`/usr/bin/env bash -c`) makes every AIS002 finding a warning at most.

Generated SHELL argvs (options before and after `-c`, clusters, `-o NAME`, `+o`, `+e`) and
scripts: the RUN's script is run by the real shell with that argv, the harness replaced by
`false`, the others by `true`; an error exactly when that fails (for the plain forms)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from aishell.errors import InputError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from aishell.shell import shell_instruction, shell_options

BASH = shutil.which("bash")
DASH = shutil.which("dash")
FOUNDATION = "FROM aishell:foundation\n"


def _ais002(text, tmp_path):
    return lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False)).findings


OPTIONS = ["-e", "-x", "-u", "-eu", "-o pipefail", "-o errexit", "+o errexit", "+e", "-euo pipefail", "-eo pipefail"]


@st.composite
def shell_argvs(draw):
    """A POSIX SHELL argv: a shell, options before `-c`, `-c` (alone or last in a cluster),
    options after it."""
    shell = draw(st.sampled_from(["/bin/bash", "bash"] + (["/bin/dash", "/bin/sh"] if DASH else [])))
    before = draw(st.lists(st.sampled_from(OPTIONS), max_size=2))
    c = draw(st.sampled_from(["-c", "-ec", "-xc"]))
    after = draw(st.lists(st.sampled_from(["-e", "+e", "-o pipefail", "-x"]), max_size=1))
    argv = [shell]
    for opt in before + [c] + after:
        argv.extend(opt.split())
    if "dash" in shell or shell == "/bin/sh":
        if "pipefail" in argv:  # (dash of Debian 12 has no pipefail: it refuses the option)
            return ["/bin/bash", *argv[1:]]
    return argv


SCRIPTS = ["H", "H; true", "H | true", "true | H", "H && true", "true && H | true", "H || true", "true; H; true"]


def _fails(argv: list[str], script: str) -> bool:
    real = {"/bin/bash": BASH, "bash": BASH, "/bin/dash": DASH, "/bin/sh": DASH}[argv[0]]
    probe = script.replace("H", "false")
    return subprocess.run([real, *argv[1:], probe], capture_output=True, timeout=10).returncode != 0


@pytest.mark.skipif(BASH is None, reason="no bash")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=shell_argvs(), script=st.sampled_from(SCRIPTS), where=st.sampled_from(["same", "child", "other"]))
def test_an_error_exactly_when_the_shell_of_the_stage_fails_the_run(tmp_path, argv, script, where):
    shell = f"SHELL {json.dumps(argv)}\n"
    if where == "same":
        text = FOUNDATION + shell
    elif where == "child":  # a stage built FROM it has its SHELL
        text = FOUNDATION.strip() + " AS a\n" + shell + "FROM a\n"
    else:  # a stage FROM an image: /bin/sh -c again
        text = FOUNDATION.strip() + " AS a\n" + shell + FOUNDATION
        argv = ["/bin/sh", "-c"] if DASH else ["bash", "-c"]
    text += "RUN " + script.replace("H", "claude -v") + "\n"
    findings = _ais002(text, tmp_path)
    assert len(findings) == 1, (text, findings)
    expected = "error" if _fails(argv, script) else "warning"
    assert findings[0].severity == expected, (text, findings)


NOT_POSIX = [
    ["pwsh", "-Command"],
    ["powershell", "-command"],
    ["cmd", "/S", "/C"],
    ["/usr/bin/env", "bash", "-c"],
    ["python3", "-c"],
    ["/bin/bash"],  # (no -c: the RUN text would be a script file's name)
    ["/bin/bash", "-c", 'exec "$0"'],  # (an operand after -c: the RUN text is not the script)
]


@pytest.mark.parametrize("argv", NOT_POSIX)
@pytest.mark.parametrize("run", ["claude -v", "apt-get update && claude -v", "set -e; claude -v; true"])
def test_a_shell_that_is_not_posix_makes_it_a_warning(tmp_path, argv, run):
    text = FOUNDATION + f"SHELL {json.dumps(argv)}\nRUN {run}\n"
    assert [f.severity for f in _ais002(text, tmp_path)] == ["warning"], text
    # The exec form does not go through the SHELL: its process is the RUN.
    text = FOUNDATION + f'SHELL {json.dumps(argv)}\nRUN ["claude", "-v"]\n'
    assert [f.severity for f in _ais002(text, tmp_path)] == ["error"], text


def test_a_shell_form_shell_instruction_is_not_understood(tmp_path):
    """BuildKit wants SHELL in JSON form: anything else makes a file it refuses (the model's
    check, issue 18), and no shell this rule knows."""
    assert shell_instruction(None) is None
    text = FOUNDATION + "SHELL /bin/bash -e -c\nRUN claude -v\n"
    with pytest.raises(InputError, match="SHELL requires the arguments to be in JSON form"):
        _ais002(text, tmp_path)


@pytest.mark.skipif(BASH is None or DASH is None, reason="no bash or dash")
@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["bash", "dash"]),
    st.sampled_from(["", "--norc", "--rcfile /dev/null", "--noprofile --norc"]),
    st.lists(st.sampled_from(OPTIONS + ["-c", "-ec", "--", "-", "-s", "-x"]), max_size=4),
)
def test_one_option_reader_serves_the_options_and_the_command_string(shell, long, options):
    """shell_options is the one reader: the string is run exactly when it says so (`-c` among
    the options, `sh -c -- STRING`), and then stops where its errexit and pipefail say (`sh -c
    -e`, `bash -o pipefail -ec`)."""
    argv = [shell, *(long.split() if shell == "bash" else [])]
    for opt in options:
        argv.extend(opt.split())
    if shell == "dash" and "pipefail" in argv:
        return
    opts = shell_options(argv, 1)
    script = "echo MARK; false | true; echo PIPE; false; true"
    run = subprocess.run(
        [shutil.which(shell), *argv[1:], script], capture_output=True, text=True, timeout=10, stdin=subprocess.DEVNULL
    )
    out = run.stdout.splitlines()
    ran = "MARK" in out
    assert ran == (opts.command and opts.operand == len(argv)), argv
    if ran:
        assert ("PIPE" not in out) == (opts.errexit and opts.pipefail), argv
        assert (run.returncode != 0) == opts.errexit, argv
