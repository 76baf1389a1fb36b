"""Atomic file writes: a temporary file in the same folder, fsync, rename.

A crash leaves the old file or the new one, never a mix. ``replace_file`` is for
aishell's own files (the state, a seeded login file); ``migrate.atomic`` builds its
all-or-nothing multi-file writer for users' files on the same pieces.
"""

from __future__ import annotations

import os
import tempfile


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
    """Write ``path`` atomically whether or not it exists (for aishell's own files, e.g. state)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = temp_copy(folder, os.path.basename(path), data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        unlink(tmp)
        raise
    fsync_dir(folder)
