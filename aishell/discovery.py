"""Which files to lint or migrate, given files and folders."""

from __future__ import annotations

import fnmatch
import os

from aishell.errors import InputError, display_path, is_regular, may_exist

SKIP_DIRS = {
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "__pycache__",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
}


def is_dockerfile_name(name: str) -> bool:
    if name.endswith(".dockerignore"):
        return False
    return (
        name in ("Dockerfile", "Containerfile")
        or fnmatch.fnmatch(name, "Dockerfile.*")
        or fnmatch.fnmatch(name, "Containerfile.*")
        or fnmatch.fnmatch(name, "*.Dockerfile")
        or fnmatch.fnmatch(name, "*.dockerfile")
    )


def _is_venv(path: str, name: str) -> bool:
    return name in (".venv", "venv") or os.path.exists(os.path.join(path, "pyvenv.cfg"))


def walk(top: str, onerror=None):
    """os.walk(top, onerror=onerror), top down, links to folders listed but not entered, without
    recursion: Python 3.11's os.walk recurses once per level, so a tree 1,000 folders deep (a
    path of 2,000 characters, well under PATH_MAX) raised RecursionError and ended the run. The
    caller may prune ``dirs`` in place, as with os.walk."""
    stack = [top]
    while stack:
        top = stack.pop()
        if type(top) is tuple:  # a folder os.walk would enter: unless it is a link
            top = top[0]
            if os.path.islink(top):
                continue
        dirs, names = [], []
        try:
            scandir_it = os.scandir(top)
        except OSError as error:
            if onerror is not None:
                onerror(error)
            continue
        with scandir_it:
            while True:
                try:
                    entry = next(scandir_it)
                except StopIteration:
                    break
                except OSError as error:
                    if onerror is not None:
                        onerror(error)
                    dirs = None
                    break
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                (dirs if is_dir else names).append(entry.name)
        if dirs is None:
            continue
        yield top, dirs, names
        stack.extend((os.path.join(top, d),) for d in reversed(dirs))


def discover(paths: list[str], python: bool = False) -> tuple[list[str], list[InputError], list[str]]:
    """Files to process, in a stable order; errors for paths that do not exist and for links in
    folders to files outside them; notes for files skipped in folders (FIFOs, devices, broken
    links: only regular files are read).
    A path given explicitly is always returned, so reading it reports what is wrong."""
    files: list[str] = []
    errors: list[InputError] = []
    notes: list[str] = []
    seen: set[str] = set()

    def add(p: str) -> None:
        key = os.path.abspath(p)
        if key not in seen:
            seen.add(key)
            files.append(p)

    def unreadable(e: OSError) -> None:
        # A folder that cannot be listed is an input error (one line, exit 2), never a silent skip:
        # its Dockerfiles would pass the lint unseen.
        reason = "permission denied" if isinstance(e, PermissionError) else (e.strerror or str(e)).lower()
        errors.append(InputError(e.filename if e.filename is not None else p, f"folder not read: {reason}"))

    for p in paths:
        if os.path.isdir(p):
            top = os.path.realpath(p)  # (resolved once: links_out resolves it again only if a link)
            for root, dirs, names in walk(p, onerror=unreadable):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not _is_venv(os.path.join(root, d), d))
                for n in sorted(names):
                    if is_dockerfile_name(n) or (python and n.endswith(".py")):
                        path = os.path.join(root, n)
                        if os.path.islink(path) and links_out(path, top):  # (walk enters no linked folder)
                            # A link a cloned repository ships (`docker/Dockerfile -> ~/.git-credentials`)
                            # is not read: a parse error would print its first line, and a
                            # rewrite would write outside the folder. One line, exit 2.
                            errors.append(InputError(path, f"a link to a file outside {display_path(p)}; not read"))
                        elif is_regular(path):
                            add(path)
                        elif _denied(path):
                            # A folder the user may list but not search (mode r--): its names
                            # are known, their files cannot be opened. Skipped as "not a regular
                            # file", its Dockerfile passed the lint unseen (exit 0).
                            errors.append(InputError(path, "permission denied"))
                        else:
                            notes.append(f"{display_path(path)}: skipped, not a regular file")
        elif may_exist(p):
            if named_links_out(p):
                # A file named on the command line the same as one found in a folder: CI's
                # `aishell lint docker/Dockerfile`, where a pull request made it a link to the
                # runner's `~/.git-credentials`, printed its first line in the parse error.
                errors.append(InputError(p, LINKS_OUT))
            else:
                add(p)  # (reading it says what is wrong: `permission denied` in a folder without x)
        else:
            errors.append(InputError(p, "no such file or folder"))
    return files, errors, notes


def named_links_out(path: str) -> bool:
    """Whether a file named on the command line is a link out of the folder it may not leave
    (``_named_top``): refused, as the same link found in a folder is."""
    top = _named_top(path)
    return top is not None and links_out(path, top)


def _named_top(path: str) -> str | None:
    """The folder a file named on the command line may not be linked out of: the current folder
    when the file is below it (CI's checkout), else its project (the folder holding `.aishell/`);
    None for a file named outside both (`aishell lint /srv/app/Dockerfile`: what the user named
    is read). (A link from one project to another below the current folder is read:
    tests/test_migrate_links.py diffs it, naming the link, and --write refuses it.)"""
    here = os.getcwd()
    if _within(os.path.abspath(path), here):
        return here
    from aishell.config import find_project_root

    return find_project_root(path)


def _denied(path: str) -> bool:
    """Whether looking ``path`` up is refused (a folder on the way the user may not search)."""
    try:
        os.stat(path)
    except PermissionError:
        return True
    except OSError:
        pass
    return False


def _within(real: str, top: str) -> bool:
    """Whether the real path ``real`` is ``top`` or below it (both resolved)."""
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


LINKS_OUT = "a link to a file outside the project; not read"  # (the one line links_out's callers say)


def links_out(path: str, top: str) -> bool:
    """Whether ``path`` resolves outside the folder ``top``, through a link of it or of a folder
    on the way (`.aishell -> ~/.secrets`): a file a cloned repository cannot hand aishell to
    read (`.aishell/Dockerfile -> ~/.git-credentials`: an error line would print its first line)."""
    return not _within(os.path.realpath(path), os.path.realpath(top))


def default_paths(cwd: str = ".") -> list[str]:
    """With no path: the project's .aishell/Dockerfile (its config.yaml comes with it), or the
    config alone in a project without a Dockerfile."""
    from aishell.config import find_project_root

    root = find_project_root(cwd)
    config = os.path.join(root, ".aishell", "config.yaml") if root else None
    # (may_exist, not os.path.exists: a `.aishell/Dockerfile` that is a link to nothing or to itself,
    # or in a `.aishell/` the user may not search, is named with what is wrong when read; it was
    # `no .aishell/Dockerfile in this folder`, or the config alone was linted, exit 0.)
    if config and not may_exist(os.path.join(root, ".aishell", "Dockerfile")) and may_exist(config):
        if os.path.isdir(config):  # (walked as a folder, it held nothing: exit 0, nothing linted)
            raise InputError(os.path.relpath(config), "is a directory, not a file")
        return [os.path.relpath(config)]
    if root is None or not may_exist(os.path.join(root, ".aishell", "Dockerfile")):
        raise InputError(None, "no .aishell/Dockerfile in this folder or its parents; give a path to lint")
    dockerfile = os.path.relpath(os.path.join(root, ".aishell", "Dockerfile"))
    if links_out(dockerfile, root):
        # (What `aishell build` lints and builds: a repository's link out of the project is not
        # read, so its first line is never printed in an error.)
        raise InputError(dockerfile, LINKS_OUT)
    if os.path.isdir(dockerfile):
        # A file is expected here (what `aishell build` builds): walked as a folder, it held no
        # Dockerfile and the run passed with nothing linted.
        raise InputError(dockerfile, "is a directory, not a file")
    return [dockerfile]
