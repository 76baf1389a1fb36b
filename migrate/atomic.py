"""Atomic file writes: a temporary file in the same folder, fsync, rename.

A crash leaves the old file or the new one, never a mix. The file's mode is
kept; writing through a symlink updates its target and keeps the link.
"""

from __future__ import annotations

import os
import stat
import tempfile

from aishell.errors import InputError


def write_atomic(path: str, data: bytes) -> None:
    target = os.path.realpath(path)
    try:
        st = os.stat(target)
    except OSError as e:
        raise InputError(path, f"cannot write: {e.strerror}") from None
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise InputError(path, "read-only file; nothing was written")
    folder = os.path.dirname(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".aishell-tmp", dir=folder)
    except OSError as e:
        raise InputError(path, f"cannot write in {folder}: {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def create_new(path: str, data: bytes) -> None:
    """Create a file that must not exist yet, atomically."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".aishell-tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.link(tmp, path)  # fails if the file appeared meanwhile
    finally:
        os.unlink(tmp)


def replace_file(path: str, data: bytes, mode: int = 0o644) -> None:
    """Write ``path`` atomically whether or not it exists (for aishell's own files, e.g. state)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".aishell-tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
