"""Atomic file writes: a temporary file in the same folder, fsync, rename.

A crash leaves the old file or the new one, never a mix. The file's mode is
kept; writing through a symlink updates its target and keeps the link.
"""

from __future__ import annotations

import os
import stat
import tempfile

from aishell.errors import InputError


def _temp_copy(folder: str, name: str, data: bytes, mode: int) -> str:
    """A fsynced temporary file holding ``data`` in ``folder``; removed again on failure."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".aishell-tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _fsync_dir(folder: str) -> None:
    try:
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def write_atomic(path: str, data: bytes) -> None:
    """Replace an existing user file, keeping its mode; refuses read-only files."""
    target = os.path.realpath(path)
    try:
        st = os.stat(target)
    except OSError as e:
        raise InputError(path, f"cannot write: {e.strerror}") from None
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise InputError(path, "read-only file; nothing was written")
    folder = os.path.dirname(target)
    try:
        tmp = _temp_copy(folder, os.path.basename(target), data, stat.S_IMODE(st.st_mode))
    except OSError as e:
        raise InputError(path, f"cannot write in {folder}: {e.strerror}") from None
    try:
        os.replace(tmp, target)
    except BaseException:
        _unlink(tmp)
        raise
    _fsync_dir(folder)


def create_new(path: str, data: bytes) -> None:
    """Create a file that must not exist yet, atomically."""
    folder = os.path.dirname(os.path.abspath(path))
    tmp = _temp_copy(folder, os.path.basename(path), data, 0o644)
    try:
        os.link(tmp, path)  # fails if the file appeared meanwhile
    finally:
        _unlink(tmp)
    _fsync_dir(folder)


def replace_file(path: str, data: bytes, mode: int = 0o644) -> None:
    """Write ``path`` atomically whether or not it exists (for aishell's own files, e.g. state)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = _temp_copy(folder, os.path.basename(path), data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        _unlink(tmp)
        raise
    _fsync_dir(folder)
