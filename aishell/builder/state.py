"""Build state: $XDG_STATE_HOME/aishell/state.json (default ~/.local/state/aishell).

Records the foundation (hash, image id), and per project the extension and the
harness volume (resolved versions, hash, volume name). Writes are atomic and
happen under a file lock. A missing or corrupt file means "rebuild what is
needed": every step also checks the engine itself, so state only saves work.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os


def state_dir() -> str:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return os.path.join(base, "aishell")


def state_path() -> str:
    return os.path.join(state_dir(), "state.json")


def load() -> dict:
    try:
        with open(state_path(), encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@contextlib.contextmanager
def locked(name: str = "build.lock"):
    """An exclusive lock shared by every aishell process of this user."""
    os.makedirs(state_dir(), exist_ok=True)
    with open(os.path.join(state_dir(), name), "a+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def update(change) -> dict:
    """Read, apply ``change(state)`` and write atomically, under the state lock."""
    from migrate.atomic import replace_file

    with locked("state.lock"):
        data = load()
        change(data)
        replace_file(state_path(), (json.dumps(data, indent=2, sort_keys=True) + "\n").encode())
    return data
