"""The shell a RUN's script meets in the image: dash (Debian's /bin/sh), as the oracle of the
tests that ask whether a script runs a harness. ``runs_claude`` runs a script with a fake
`claude` first on PATH that leaves a mark and fails, `sh` and `bash` both dash."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess

SH = shutil.which("dash") or shutil.which("sh")
# How a stub leaves its mark: the shell's own redirection, no `touch` started (a process less for
# each harness a script runs: ~0.7 ms of a generated case's ~3 ms of dash), and a mark left even
# where the script's PATH holds no `touch`.
MARKS = ": >"


def runs_claude(script: str, tmp, folders: tuple[str, ...] = ()) -> tuple[bool, bool]:
    """(whether `claude` ran, whether the script failed), run by dash in ``tmp`` (with
    ``folders`` made in it first) as the RUN's shell would run it."""
    bin_dir = tmp / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name in folders:
        (tmp / name).mkdir(exist_ok=True)
    mark = tmp / "ran"
    fake = bin_dir / "claude"
    fake.write_text(f"#!/bin/sh\n{MARKS} {mark}\nexit 1\n")
    fake.chmod(0o755)
    for tool in ("bash", "sh"):
        # `bash`/`sh` as the line names them, dash either way (the image's /bin/sh).
        link = bin_dir / tool
        if not link.exists():
            link.symlink_to(SH)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp)}
    rc = _run([SH, "-c", script], 20, env=env, cwd=tmp, stdin=subprocess.DEVNULL)
    return mark.exists(), rc != 0


def _run(argv: list[str], timeout: float, **kwargs) -> int:
    """The exit status of ``argv``, run in a session of its own: past ``timeout`` its whole
    process group is killed (subprocess.run kills the shell alone, and a `bash -c 'while :; do :;
    done'` it started would spin on after the test)."""
    with subprocess.Popen(
        argv, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs
    ) as proc:
        try:
            proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
    return proc.returncode


def outcome(script: str, tmp, harnesses=("claude",), others=(), cwd=None, shell=None) -> tuple[bool, bool]:
    """(the script failed, a harness ran), dash (or ``shell``: a SHELL of bash) running ``script``
    with a stub of each of ``harnesses`` first on PATH that leaves a mark and fails as "not
    found" does (127), and one of each of ``others`` that succeeds; the system's other tools (bash
    too) as they are."""
    stubs = tmp / "stubs"
    stubs.mkdir(exist_ok=True)
    mark = tmp / "ran"
    mark.unlink(missing_ok=True)
    for name in (*harnesses, *others):
        stub = stubs / name
        stub.write_text(f"#!/bin/sh\n{MARKS} {mark}\nexit 127\n" if name in harnesses else "#!/bin/sh\nexit 0\n")
        stub.chmod(0o755)
    env = {"PATH": f"{stubs}:/usr/bin:/bin"}
    rc = _run([shell or SH, "-c", script], 10, env=env, cwd=cwd)
    return rc != 0, mark.exists()


def agrees(found: list[str], fails: bool, ran: bool, *context) -> None:
    """The oracle check of AIS002's generating tests, given the severities ``found`` on a line and
    what the shell did with it: an error only where a harness ran and the RUN failed (an error
    blocks the build, so it must mean the build fails because of the harness), and a finding
    wherever a harness ran. ``context`` (the line, the case) goes into the failure message."""
    assert "error" not in found or (fails and ran), (*context, found, fails, ran)
    assert found or not ran, (*context, found, fails, ran)


# Where AIS002's generating tests put a script in a RUN (each a format of {s}): on the line, as
# `sh -c`'s string, fed to sh on its stdin, and as the body of `RUN <<EOF` (the SHELL runs it
# alone). A test that asks bash's side too adds BASH_C; one whose scripts hold a quote leaves
# "sh -c" out (its quotes would end the string).
CONTEXTS = {
    "line": "{s}",
    "sh -c": "sh -c '{s}'",
    "fed": "sh <<'EOF'\n{s}\nEOF\n",
    "RUN <<EOF": "<<EOF\n{s}\nEOF\n",
}
BASH_C = {"bash -c": "bash -c '{s}'"}
HEAD = "FROM aishell:foundation\nRUN "


def placed(script: str, context: str, contexts: dict[str, str] = CONTEXTS) -> tuple[str, str]:
    """(a Dockerfile whose RUN holds ``script`` in ``context``, the script the RUN's shell runs:
    the line, or the body of `RUN <<EOF`)."""
    line = contexts[context].format(s=script)
    return HEAD + line, script if context == "RUN <<EOF" else line


def judged(script: str, where: str, tmp, contexts: dict[str, str] = CONTEXTS) -> list[str]:
    """``script`` placed in a RUN in ``where`` (placed), linted, and judged by dash running what
    the RUN's shell runs (agrees). Returns the severities found."""
    from tests.severities import severities

    text, run = placed(script, where, contexts)
    found = severities(text)
    fails, ran = outcome(run, tmp, cwd=tmp)
    agrees(found, fails, ran, script, where)
    return found


def judge(key: str, text: str, script: str, tmp, recall: str) -> list[str]:
    """One case of a generating test (``key`` as placed's cases name them: "sure|…" or
    "maybe|…"): the severities aishell reports for ``text``, judged by dash running ``script``
    (agrees); a sure case must run the harness and fail, and be an error (``recall``: why it
    surely fails). Returns the severities found."""
    from tests.severities import severities

    found = severities(text)
    fails, ran = outcome(script, tmp, cwd=tmp)
    agrees(found, fails, ran, key)
    if key.startswith("sure|"):
        assert ran and fails, ("each sure case runs the harness and fails", key, fails, ran)
        assert "error" in found, (recall, key, found)
    return found
