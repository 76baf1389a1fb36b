"""A wrapper whose exit status is not the wrapped command's (issue 18, precision; found by a
red-team pass): `printf '' | xargs -r claude -v`, `xargs -I{} claude {}` (no input: nothing
runs, exit 0) and `setsid -f claude -v` (forks, exit 0) were errors, though the build passes.

Generated wrapper invocations (options of xargs, setsid, script, trap and of wrappers that do
pass the status on, attached, separate and clustered), each run by the real tools with a fake
`claude` that exits 1 on PATH and stdin empty, as a Dockerfile RUN runs: by dash and by bash (a
SHELL may name either), as a process group leader (the RUN's shell is the container's first
process, a session leader) and not. AIS002 says error exactly when the RUN fails every way
(`setsid claude` exec'd by bash as a group leader forks and exits 0)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text

SH = shutil.which("dash") or shutil.which("sh")
SHELLS = [s for s in (SH, shutil.which("bash")) if s]  # (bash execs a last simple command: no fork)
TOOLS = [t for t in ("xargs", "setsid", "script", "timeout", "nohup", "nice") if shutil.which(t)]

OPTIONS = {
    "xargs": ["", "-r", "--no-run-if-empty", "-I {}", "-I{}", "-i", "--replace", "-n 1", "-n1", "-rn1", "-L 1", "-t"],
    "setsid": ["", "-f", "-w", "-fw", "--fork", "--wait", "-c", "-wc"],
    "timeout": ["5", "-s KILL 5", "--kill-after=1 5"],
    "nohup": [""],
    "nice": ["", "-n 5", "-n5"],
}


@st.composite
def lines(draw):
    tool = draw(st.sampled_from(TOOLS + ["trap"]))
    harness = draw(st.sampled_from(["claude", "claude -v"]))
    if tool == "script":
        opts = draw(st.sampled_from(["-qc", "-q -c", "-qec", "-eqc", "-q --return -c", "-q --command", "-qe -c"]))
        return f"script {opts} '{harness}' /dev/null"
    if tool == "trap":
        return draw(st.sampled_from([f"trap '{harness}' EXIT", f"trap -- '{harness}' EXIT INT"]))
    inner = f"{tool} {draw(st.sampled_from(OPTIONS[tool]))}".strip()
    if draw(st.booleans()) and tool != "xargs":
        inner = f"nice {inner}"
    return f"{inner} {harness}"


def _fails(script: str, tmp, leader: bool, shell: str) -> bool:
    bin_dir = tmp / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "claude"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "SHELL": "/bin/sh", "HOME": str(tmp)}
    run = subprocess.run(
        [shell, "-c", script],
        capture_output=True,
        timeout=20,
        stdin=subprocess.DEVNULL,
        env=env,
        start_new_session=leader,
        cwd=tmp,
    )
    return run.returncode != 0


@pytest.mark.skipif(SH is None or not TOOLS, reason="no dash or tools")
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=lines(), context=st.sampled_from(["{}", "true && {}", "set -e; {}; true"]))
def test_an_error_exactly_when_the_wrapped_failure_fails_the_run(tmp_path, line, context):
    script = context.format(line)
    fails = all(_fails(script, tmp_path, leader, shell) for leader in (True, False) for shell in SHELLS)
    text = f"FROM aishell:foundation\nRUN {script}\n"
    findings = lint_text(text, os.fspath(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False))
    severities = [f.severity for f in findings.findings]
    setsid = [w for w in line.split("setsid", 1)[1].split() if w.startswith("-")] if "setsid" in line else None
    forks_maybe = setsid is not None and not any("w" in w or "f" in w for w in setsid)
    if setsid is not None and any(w in ("-c", "-wc") for w in setsid):
        # `setsid -c`: a RUN has no terminal to make its controlling one: it fails before
        # running the command, so no harness runs (tests/test_ais002_wrapper_options.py).
        assert severities == [], (script, severities)
        return
    if fails and (line.startswith("trap") or forks_maybe):
        # Sure failures the rule does not claim (a warning, never an error that passes): an EXIT
        # trap's failure under `set -e` ends the shell with it (the rule does not follow errexit
        # into traps); `setsid CMD` forks (exit 0) only when the shell execs it as a group
        # leader (bash does for a last command), which the rule does not tell from the others.
        assert severities == ["warning"], (script, severities)
        return
    assert severities == ["error" if fails else "warning"], (script, severities)


@pytest.mark.parametrize(
    "run",
    [
        "RUN printf '' | xargs -r claude -v\n",
        "RUN xargs -I{} claude {}\n",
        "RUN xargs --no-run-if-empty claude\n",
        "RUN setsid -f claude -v\n",
        "RUN sudo -b claude -v\n",
    ],
)
def test_the_red_team_forms_are_warnings(tmp_path, run):
    text = "FROM aishell:foundation\n" + run
    findings = lint_text(text, os.fspath(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False))
    assert [f.severity for f in findings.findings] == ["warning"], run
