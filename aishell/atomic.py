"""Atomic file writes: a temporary file in the same folder, fsync, rename.

A crash leaves the old file or the new one, never a mix. ``replace_file`` is for
aishell's own files (the state, a seeded login file); ``migrate.atomic`` builds its
all-or-nothing multi-file writer for users' files on the same pieces. Both hold the signals
that stop a process (``signals_held``) while they write: a stop asked meanwhile takes effect once
the write is whole.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile

# The signals a user or a supervisor sends to stop a process: Ctrl-C, `kill`, a terminal closed,
# Ctrl-\. Each ended `aishell migrate --write` wherever it was: SIGTERM, SIGHUP or SIGQUIT left
# the temporary file of the write under way (`.Dockerfile.x1y2.aishell-tmp`, in about half of the
# runs killed mid-write) and, between the backup link and the rename, a `.old` second name that
# made the next run refuse the file (`has 2 hard links`); a SIGINT could land between
# mkstemp and the code that removes it. (SIGKILL cannot be held: nothing can clean up after it.)
HELD_SIGNALS = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name)
)


@contextlib.contextmanager
def signals_held():
    """Hold HELD_SIGNALS in this thread for the block (pthread_sigmask): one that arrives is
    delivered when the block ends, so a write is finished (or wholly undone, on an error) before
    the process stops or KeyboardInterrupt is raised. A write is a few system calls and an fsync:
    the stop waits that long. tests/test_robust_r69b_signals.py stops a write at each step."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def temp_copy(folder: str, name: str, data: bytes, mode: int) -> str:
    """A fsynced temporary file holding ``data`` in ``folder``; removed again on failure."""
    # The name cut to 180 bytes: with the random part, the suffix and a backup's `.old`, a name of
    # NAME_MAX (255) bytes would otherwise make a temporary name the file system refuses.
    short = os.fsdecode(os.fsencode(name)[:180])
    fd, tmp = tempfile.mkstemp(prefix=f".{short}.", suffix=".aishell-tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        unlink(tmp)
        raise
    return tmp


def unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def fsync_dir(folder: str) -> None:
    try:
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def replace_file(path: str, data: bytes, mode: int = 0o644) -> None:
    """Write ``path`` atomically whether or not it exists (for aishell's own files, e.g. state),
    the signals that stop a process held meanwhile (signals_held)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    with signals_held():
        tmp = temp_copy(folder, os.path.basename(path), data, mode)
        try:
            os.replace(tmp, path)
        except BaseException:
            unlink(tmp)
            raise
        fsync_dir(folder)
