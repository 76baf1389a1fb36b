"""A stop asked while `aishell migrate --write` writes never leaves a half-made change (issue 18,
"No byte lost anywhere"; "interruption").

The class is every signal that stops a process (aishell.atomic.HELD_SIGNALS) at every step of a
write: a forked child runs the real command with the system calls of a write (mkstemp, open,
fsync, chmod, chown, link, rename, unlink, close) counted, and sends itself the signal at step
N, for every N up to the steps of a whole run. After each run the project holds only its
own names (no `.aishell-tmp` temporary file, no `.old` second name), each file holds its old
bytes or its new ones with its mode, one link each, and the two files of one change (a
Dockerfile and the ignore file its AIS103 fix makes) are both written or neither.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import tempfile

import pytest

from aishell.atomic import HELD_SIGNALS

DOCKERFILE_OLD = b"FROM aishell:base\r\nCOPY . /app\r\n"  # (CRLF kept: only the edit changes)
DOCKERFILE_NEW = b"FROM aishell:foundation\r\nCOPY . /app\r\n"
PY_OLD = b'IMAGE = "aishell:base"\rOTHER = 1\r'  # (a lone CR kept)
PY_NEW = b'IMAGE = "aishell:foundation"\rOTHER = 1\r'
IGNORE = "Dockerfile.dockerignore"

# The steps of a write the child counts: the calls it makes to the system (mkstemp counts, and
# starts the count: the write, not the reading before it).
STEPS = ("fsync", "chmod", "chown", "link", "replace", "unlink", "open", "close")


def _child(root: str, out: str, stop_at: int, sig: int) -> None:
    """In a forked child (aishell imported once, in the parent: a run takes milliseconds, not the
    third of a second of a new interpreter): `aishell migrate --write .` in ``root``, the signal
    sent at step ``stop_at`` (0: never), the steps written to ``out``. Never returns."""
    code = 99
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # (SIGQUIT: no core file in the project)
        os.chdir(root)
        sys.stdout = open(os.devnull, "w")
        sys.stderr = open(out, "w", buffering=1)
        steps = [0, False]
        real_kill, real_write, fd = os.kill, os.write, sys.stderr.fileno()

        def counted(module, name):
            real = getattr(module, name)

            def step(*a, **k):
                if name == "mkstemp":
                    steps[1] = True
                result = real(*a, **k)
                if steps[1]:
                    steps[0] += 1
                    real_write(fd, b"steps=%d\n" % steps[0])  # (the command leaves with os._exit)
                    if steps[0] == stop_at:
                        real_kill(os.getpid(), sig)
                return result

            setattr(module, name, step)

        counted(tempfile, "mkstemp")
        for name in STEPS:
            counted(os, name)
        sys.argv = ["aishell", "migrate", "--write", "."]
        from aishell.cli import run

        run()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 98
    finally:
        try:
            sys.stderr.flush()
        finally:
            os._exit(code)


def _run(root: str, stop_at: int, sig: int) -> tuple[int, str]:
    """(the child's exit: its code, or minus the signal that ended it; its stderr)."""
    out = root + ".err"
    pid = os.fork()
    if pid == 0:
        _child(root, out, stop_at, sig)
    _, status = os.waitpid(pid, 0)
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    with open(out) as f:
        return code, f.read()


def _project(tmp_path) -> str:
    root = tmp_path / "p"
    (root / "__pycache__").mkdir(parents=True)
    (root / "Dockerfile").write_bytes(DOCKERFILE_OLD)
    (root / "x.py").write_bytes(PY_OLD)
    os.chmod(root / "Dockerfile", 0o2640)  # (the setgid bit: the full mode is kept)
    os.chmod(root / "x.py", 0o600)
    return str(root)


def _check(root: str, stderr: str, where: str) -> None:
    names = sorted(os.listdir(root))
    assert set(names) <= {"Dockerfile", "x.py", "__pycache__", IGNORE}, (where, names, stderr)
    docker = open(os.path.join(root, "Dockerfile"), "rb").read()
    py = open(os.path.join(root, "x.py"), "rb").read()
    assert docker in (DOCKERFILE_OLD, DOCKERFILE_NEW), where
    assert py in (PY_OLD, PY_NEW), where
    # One change: the Dockerfile and the ignore file its fix makes, both or neither.
    assert (docker == DOCKERFILE_NEW) == os.path.exists(os.path.join(root, IGNORE)), (where, names)
    for name, mode in (("Dockerfile", 0o2640), ("x.py", 0o600)):
        st = os.stat(os.path.join(root, name))
        assert st.st_nlink == 1 and st.st_mode & 0o7777 == mode, (where, name, oct(st.st_mode), st.st_nlink)
    assert "Traceback" not in stderr, (where, stderr)


@pytest.fixture(scope="module", autouse=True)
def _imported():
    """What the command imports, imported once in the parent (each forked child took half a
    second importing it again)."""
    import aishell.cli  # noqa: F401
    import aishell.lint  # noqa: F401
    import aishell.migration  # noqa: F401
    from aishell.migrate import atomic, diff, fixer, python_codemod, python_refs, verify  # noqa: F401
    from aishell.lint_rules import all_rules

    all_rules()


@pytest.mark.parametrize("sig", sorted(HELD_SIGNALS), ids=lambda s: signal.Signals(s).name)
def test_a_stop_at_any_step_of_a_write_leaves_old_or_new_never_a_mix(tmp_path, sig):
    # First a run that is not stopped: how many steps a whole write takes.
    root = _project(tmp_path / "whole")
    code, stderr = _run(root, 0, sig)
    assert code == 0, stderr
    total = int(stderr.rsplit("steps=", 1)[1].split()[0])
    assert total > 10  # (two changes: temporary files, fsyncs, links, renames)
    assert open(os.path.join(root, "Dockerfile"), "rb").read() == DOCKERFILE_NEW
    assert open(os.path.join(root, "x.py"), "rb").read() == PY_NEW
    _check(root, stderr, "whole")
    for n in range(1, total + 1):
        root = _project(tmp_path / f"stop{n}")
        code, stderr = _run(root, n, sig)
        where = f"{signal.Signals(sig).name} at step {n} of {total}"
        # Stopped: by the signal itself, or, for Ctrl-C, as exit-codes.md has it.
        if sig == signal.SIGINT:
            assert code == 130 and "aishell: interrupted" in stderr, (where, stderr)
        else:
            assert code == -sig, (where, code, stderr)
        _check(root, stderr, where)


def _replace_child(path: str, stop_at: int, sig: int) -> None:
    code = 99
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        from aishell import atomic

        steps = [0]
        real_kill = os.kill

        def counted(module, name):
            real = getattr(module, name)

            def step(*a, **k):
                result = real(*a, **k)
                steps[0] += 1
                if steps[0] == stop_at:
                    real_kill(os.getpid(), sig)
                return result

            setattr(module, name, step)

        for module, name in ((tempfile, "mkstemp"), *((os, n) for n in STEPS)):
            counted(module, name)
        try:
            atomic.replace_file(path, b"new state\n", 0o600)
            code = 0
        except KeyboardInterrupt:
            code = 130
        code = 100 + min(steps[0], 99) if code == 0 and not stop_at else code
    finally:
        os._exit(code)


@pytest.mark.parametrize("sig", sorted(HELD_SIGNALS), ids=lambda s: signal.Signals(s).name)
def test_aishells_own_files_are_replaced_whole_whatever_stops_the_write(tmp_path, sig):
    """aishell.atomic.replace_file (the state, the trust record), stopped at each step."""
    path = tmp_path / "state.json"
    path.write_bytes(b"old state\n")
    pid = os.fork()
    if pid == 0:
        _replace_child(str(path), 0, sig)
    total = os.WEXITSTATUS(os.waitpid(pid, 0)[1]) - 100
    assert 3 <= total < 99 and path.read_bytes() == b"new state\n"
    for n in range(1, total + 1):
        path.write_bytes(b"old state\n")
        pid = os.fork()
        if pid == 0:
            _replace_child(str(path), n, sig)
        os.waitpid(pid, 0)
        assert sorted(os.listdir(tmp_path)) == ["state.json"], (n, os.listdir(tmp_path))
        assert path.read_bytes() == b"new state\n", n  # (the stop waits for the write)
