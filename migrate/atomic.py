"""Atomic file writes: a temporary file in the same folder, fsync, rename.

A crash leaves the old file or the new one, never a mix. The file's full mode
(setuid, setgid and sticky bits too), owner, group and extended attributes are kept, or
nothing is written (see _keep_owner) (a new file gets the mode the
umask gives, never writable by all, and as root the owner and group of its folder); writing through
a symlink updates its target and keeps the link. A file is replaced only if it
still holds the bytes it was read with: checked just before the rename, so an
edit made while aishell worked is never overwritten (InputError, exit 2). A file with more
than one hard link is refused (InputError, exit 2): the rename would leave its other names
holding the old content; two names of one file in one write, likewise.
``write_all`` writes several files as one change: every temporary file is
made first, so a folder that refuses one (read-only, full) changes nothing, and
a rename that still fails puts back the files already replaced. The single-file
pieces (and ``replace_file`` for aishell's own files) are in ``aishell.atomic``.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat

from aishell.atomic import fsync_dir as _fsync_dir
from aishell.atomic import signals_held
from aishell.atomic import temp_copy as _temp_copy
from aishell.atomic import unlink as _unlink
from aishell.errors import InputError
from aishell.paths import realpath


def _existing_target(path: str) -> tuple[str, os.stat_result]:
    target = realpath(path)
    try:
        st = os.stat(target)
    except OSError as e:
        raise InputError(path, f"cannot write: {e.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, "not a regular file; nothing was written")
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise InputError(path, "read-only file; nothing was written")
    if st.st_nlink > 1:
        # The rename gives this name a new file: the other names would keep the old content.
        raise InputError(
            path,
            f"has {st.st_nlink} hard links; an atomic write would split them (the other names keeping "
            "the old content); nothing was written",
        )
    return target, st


def _keep_owner(tmp: str, st: os.stat_result, path: str | None = None, target: str | None = None) -> None:
    """The new file gets the old one's owner and group, then its mode again (chown clears the
    setuid and setgid bits), then its extended attributes (a POSIX ACL, `user.*`; after the
    mode, whose chmod would rewrite the ACL's mask). For a file being replaced (``path``
    given), what cannot be kept refuses the write (InputError): a user who may write another
    user's file through its group would otherwise make it theirs, and the owner could lose
    access to it; a group the writer is no member of, an attribute they may not set, likewise."""
    try:
        made = os.stat(tmp)  # (a setgid folder gives the new file its group, not the writer's)
    except OSError:
        made = None
    if made is None or (st.st_uid, st.st_gid) != (made.st_uid, made.st_gid):
        try:
            os.chown(tmp, st.st_uid, st.st_gid)
        except OSError:
            if path is not None and st.st_uid != os.geteuid():
                raise InputError(
                    path, f"owned by {_name(st.st_uid, True)}; replacing it would make it yours; nothing was written"
                ) from None
            try:
                os.chown(tmp, -1, st.st_gid)  # (a member of the group may give it)
            except OSError:
                if path is not None:
                    raise InputError(
                        path, f"its group {_name(st.st_gid, False)} is not one of yours; nothing was written"
                    ) from None
    try:
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
    except OSError:
        pass
    if target is not None:
        _keep_xattrs(path or target, target, tmp)


def _keep_xattrs(path: str, target: str, tmp: str) -> None:
    try:
        names = os.listxattr(target)
    except OSError:
        return  # (a file system without them)
    for name in names:
        try:
            value = os.getxattr(target, name)
            try:
                if os.getxattr(tmp, name) == value:
                    continue  # (given already: a security label)
            except OSError:
                pass
            os.setxattr(tmp, name, value)
        except OSError as e:
            raise InputError(
                path, f"cannot keep its extended attribute {name}: {e.strerror}; nothing was written"
            ) from None


def _name(ident: int, user: bool) -> str:
    try:
        return pwd.getpwuid(ident).pw_name if user else grp.getgrgid(ident).gr_name
    except KeyError:
        return str(ident)


def _umask() -> int:
    """This process's umask (read from /proc where it can be, else set and put back)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old


def _folder_owner(tmp: str, folder: str, mode: int) -> None:
    """A new file (AIS103's ignore file) root makes in another user's project belongs to the
    folder's owner and group, as the Dockerfile beside it does: left root's, its owner could not
    edit it. (A setgid folder gives its group already; chown then clears no bit of ``mode``.)"""
    try:
        fst = os.stat(folder)
    except OSError:
        return
    if os.geteuid() == 0 and (fst.st_uid, fst.st_gid) != (os.geteuid(), os.getegid()):
        _keep_owner(tmp, os.stat_result((mode, 0, 0, 0, fst.st_uid, fst.st_gid, 0, 0, 0, 0)))


def _unchanged(path: str, target: str, expected: bytes) -> None:
    from aishell.errors import open_regular

    try:
        with open_regular(target) as f:
            now = f.read(len(expected) + 1)
    except (InputError, IsADirectoryError):
        raise InputError(path, "no longer a regular file; nothing was written") from None
    except OSError as e:
        raise InputError(path, f"cannot read it again before writing: {e.strerror}; nothing was written") from None
    if now != expected:
        raise InputError(path, "changed while aishell was working; nothing was written (run migrate again)")


def write_all(files: list[tuple[str, bytes, bytes | None]]) -> None:
    """Write ``(path, data, expected)`` files all or none (see the module docstring).
    ``expected`` is the bytes the file was read with; None (or True): the file must not
    exist; False: it must exist, whatever it holds. The signals that stop a process are held
    meanwhile (aishell.atomic.signals_held): a SIGTERM, SIGHUP or SIGQUIT ended the process
    between two steps, leaving a temporary file, a `.old` second name, or one file of the
    change written and the other not; Ctrl-C, between mkstemp and its cleanup."""
    with signals_held():
        _write_all(files)


def _write_all(files: list[tuple[str, bytes, bytes | None]]) -> None:
    staged: list[tuple[str, str, bool, str, bytes | None]] = []  # (path, tmp, new, target, expected)
    reals: dict[str, str] = {}
    for path, _, _ in files:
        # Two names of one file (a link between them): each would be written from what was read,
        # the last rename undoing the first's change.
        first = reals.setdefault(realpath(path), path)
        if first != path:
            raise InputError(path, f"the same file as {first} (a link); nothing was written")
    try:
        for path, data, expected in files:
            new = expected is None or expected is True
            if new:
                if os.path.lexists(path):
                    raise InputError(path, "appeared while aishell was working; nothing was written")
                target, st = os.path.abspath(path), None
                # What any other program writing a new file gives it, but never writable by all:
                # `--global` makes the user config, whose privileged keys always take effect.
                mode = 0o666 & ~_umask() & ~0o002
            else:
                target, st = _existing_target(path)
                mode = stat.S_IMODE(st.st_mode)
            folder = os.path.dirname(target)
            try:
                tmp = _temp_copy(folder, os.path.basename(target), data, mode)
            except OSError as e:
                raise InputError(path, f"cannot write in {folder}: {e.strerror}; nothing was written") from None
            staged.append((path, tmp, new, target, expected))
            if st is not None:
                _keep_owner(tmp, st, path, target)
            else:
                _folder_owner(tmp, folder, mode)
        for path, _, new, target, expected in staged:
            if isinstance(expected, bytes):
                _unchanged(path, target, expected)
    except BaseException:
        for _, tmp, _, _, _ in staged:
            _unlink(tmp)
        raise
    done: list[tuple[str, str | None, bool]] = []  # (target, backup, new)
    try:
        for path, tmp, new, target, expected in staged:
            if new:
                os.link(tmp, target)  # fails if the file appeared meanwhile
                _unlink(tmp)
                done.append((target, None, True))
            else:
                backup = tmp + ".old"
                os.link(target, backup)
                os.replace(tmp, target)
                done.append((target, backup, False))
    except BaseException as e:
        for target, backup, new in reversed(done):
            if new:
                _unlink(target)
            elif backup is not None:
                os.replace(backup, target)
        for _, tmp, _, _, _ in staged:
            _unlink(tmp)
            _unlink(tmp + ".old")
        if isinstance(e, OSError):
            raise InputError(e.filename or staged[0][0], f"cannot write: {e.strerror}; nothing was written") from None
        raise
    for target, backup, _ in done:
        if backup is not None:
            _unlink(backup)
    for folder in {os.path.dirname(t) for t, _, _ in done}:
        _fsync_dir(folder)
