"""Which files to lint or migrate, given files and folders."""

from __future__ import annotations

import fnmatch
import os

from aishell.errors import InputError

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache"}


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


def discover(paths: list[str], python: bool = False) -> tuple[list[str], list[InputError]]:
    """Files to process, in a stable order, and errors for paths that do not exist."""
    files: list[str] = []
    errors: list[InputError] = []
    seen: set[str] = set()

    def add(p: str) -> None:
        key = os.path.abspath(p)
        if key not in seen:
            seen.add(key)
            files.append(p)

    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not _is_venv(os.path.join(root, d), d))
                for n in sorted(names):
                    if is_dockerfile_name(n) or (python and n.endswith(".py")):
                        add(os.path.join(root, n))
        elif os.path.lexists(p):
            add(p)
        else:
            errors.append(InputError(p, "no such file or folder"))
    return files, errors


def default_paths(cwd: str = ".") -> list[str]:
    """With no path: the project's .aishell/Dockerfile."""
    from aishell.config import find_project_root

    root = find_project_root(cwd)
    if root is None or not os.path.exists(os.path.join(root, ".aishell", "Dockerfile")):
        raise InputError(None, "no .aishell/Dockerfile in this folder or its parents; give a path to lint")
    return [os.path.relpath(os.path.join(root, ".aishell", "Dockerfile"))]
