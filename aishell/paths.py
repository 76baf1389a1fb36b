"""Answers about folders remembered for one run of `lint` or `migrate` (issue 18).

A file's project root (the nearest folder holding `.aishell/`) and its real path each walk
every folder above it, and each `stat` of a path walks its components again: over one chain of
1,000 folders each holding a Dockerfile, asking per file grew with the cube of the depth
(250/500/1,000 levels: 2.3/10.3/74.6 s). Inside ``remembered()`` (lint_paths, migrate_paths)
each folder is asked once; outside it nothing is remembered, so a process that creates
`.aishell/` or a link later (a test, `aishell build`) sees it.
"""

from __future__ import annotations

import contextlib
import os
import sys

_roots: dict[str, str | None] | None = None  # folder -> project root (None: none above it)
_reals: dict[str, str] | None = None  # absolute folder, no `..` -> its real path


@contextlib.contextmanager
def remembered():
    global _roots, _reals
    outer = _roots, _reals
    if _roots is None:
        _roots, _reals = {}, {}
    try:
        yield
    finally:
        _roots, _reals = outer


def project_root(start: str) -> str | None:
    """The nearest folder at or above ``start`` that holds ``.aishell/`` (config.find_project_root),
    as long as it is ours: the walk stops, finding none, at the home folder (its `.aishell/` holds
    the original aishell's global config and state, not a project) and at a `.aishell/` another
    user owns (planted in a shared folder above the repository: /tmp, a team share). See
    docs/security.md, "Which folder is the project"."""
    cur = os.path.abspath(start)
    if not os.path.isdir(cur):
        cur = os.path.dirname(cur)
    memo = _roots
    homes = _homes()
    walked = []
    while True:
        if memo is not None and cur in memo:
            found = memo[cur]
            break
        walked.append(cur)
        if cur in homes:
            found = None
            break
        dot = os.path.join(cur, ".aishell")
        if os.path.isdir(dot):
            found = cur if _ours(dot) else None
            break
        parent = os.path.dirname(cur)
        if parent == cur:
            found = None
            break
        cur = parent
    if memo is not None:
        for folder in walked:
            memo[folder] = found
    return found


def _homes() -> set[str]:
    """The home folder as written and as its real path (a walk up from os.getcwd() meets the
    real one)."""
    home = os.path.expanduser("~")
    if not os.path.isabs(home):
        return set()
    return {os.path.abspath(home), os.path.realpath(home)}


def _ours(folder: str) -> bool:
    """Whether a `.aishell/` is the user's: owned by the effective user, or, for root, by root or
    by the user sudo ran for (as git's safe.directory check); a link, and what it leads to, both
    (anyone who may write the folder above may make the link). Another user's is said once."""
    try:
        owners = {os.lstat(folder).st_uid, os.stat(folder).st_uid}
    except OSError:
        return False
    uid = os.geteuid()
    mine = {uid}
    if uid == 0 and os.environ.get("SUDO_UID", "").isdigit():
        mine.add(int(os.environ["SUDO_UID"]))
    if owners <= mine:
        return True
    if folder not in _said:
        _said.add(folder)
        from aishell.errors import one_line

        sys.stderr.write(
            f"aishell: warning: {one_line(folder)} belongs to another user: not taken as this "
            "project's (its config and Dockerfile are not read; chown it to use it)\n"
        )
    return False


_said: set[str] = set()  # the folders another user owns, said once a process


def realpath(path: str) -> str:
    """os.path.realpath(path), its folders' real paths remembered inside ``remembered()``: each
    folder is resolved once from its parent's (only a link is resolved by os.path.realpath). A
    path with `..` is left to os.path.realpath: a link before it decides where it goes."""
    memo = _reals
    if memo is None or ".." in path.split(os.sep):
        return os.path.realpath(path)
    path = os.path.abspath(path)
    folder, name = os.path.split(path)
    return _resolve(os.path.join(_real_folder(folder, memo), name)) if name else _real_folder(folder, memo)


def _resolve(candidate: str) -> str:
    """``candidate`` (its folder real already) resolved when it is itself a link."""
    return os.path.realpath(candidate) if os.path.islink(candidate) else candidate


def _real_folder(folder: str, memo: dict[str, str]) -> str:
    todo = []
    cur = folder
    while cur not in memo:
        parent, name = os.path.split(cur)
        if parent == cur or not name:  # the root
            memo[cur] = cur
            break
        todo.append((cur, name))
        cur = parent
    real = memo[cur]
    for cur, name in reversed(todo):
        real = memo[cur] = _resolve(os.path.join(real, name))
    return real
