"""The state: $XDG_STATE_HOME/aishell/state.json (default ~/.local/state/aishell).

One schema, one reader, one writer, beside the lock. It records the foundation (hash,
image id), and per project (by real path) the extension and the harness volume
(resolved versions, hash, volume name). Writes are atomic and happen under a file
lock. For building and running, a missing or corrupt file means "rebuild what is
needed" (``load``): every step also checks the engine itself, so state only saves
work. For removing things it means "refuse" (``load_strict``: prune, doctor, status).

Schema (``State``)::

    {"foundation": {"hash": str, "image_id": str},
     "projects": {"/real/path": {
         "extension": {"tag": str, "hash": str, "image_id": str, "foundation_id": str},
         "harness": {"volume": str, "kind": "volume" | "image", "hash": str, "versions": {name: version},
                     "specs": {name: {"spec": str, "version": str}}}}}}
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from typing import Callable, TypedDict

from aishell.errors import InputError


class FoundationState(TypedDict):
    hash: str
    image_id: str


class ExtensionState(TypedDict):
    tag: str
    hash: str
    image_id: str
    foundation_id: str


class HarnessSpec(TypedDict):
    spec: str  # as asked: "latest", "^2.1", "2.1.301"
    version: str  # what it resolved to


class HarnessState(TypedDict, total=False):
    volume: str  # the harness volume's name, or (kind "image") the harness image's tag
    kind: str  # "volume", or "image" on engines with image mounts (missing: "volume")
    hash: str
    versions: dict[str, str]
    specs: dict[str, HarnessSpec]


class ProjectState(TypedDict, total=False):
    extension: ExtensionState
    harness: HarnessState
    registry: str  # the trusted registry its last build used: its pulled tiers are scoped to it


class State(TypedDict, total=False):
    foundation: FoundationState
    projects: dict[str, ProjectState]


# Paths and the lock.


def state_dir() -> str:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return os.path.join(base, "aishell")


def state_path() -> str:
    return os.path.join(state_dir(), "state.json")


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


# The reader: strict, and lenient on top of it.


def load_strict() -> State:
    """The state, or InputError saying whether it is missing or corrupt (prune removes nothing then)."""
    path = state_path()
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise InputError(
            path,
            "no state file: prune cannot tell what your projects use, so it removes nothing "
            "(aishell build in each project writes it)",
        ) from None
    except (OSError, ValueError) as e:
        raise InputError(
            path,
            f"unreadable or corrupt state ({(str(e).splitlines() or [type(e).__name__])[0][:80]}): prune removes nothing; "
            "aishell build in each project rewrites it",
        ) from None
    if not isinstance(data, dict):
        raise InputError(path, "corrupt state (not a JSON object): prune removes nothing")
    return data


def load() -> State:
    """The state; empty when missing or corrupt (build and run then check the engine)."""
    try:
        return load_strict()
    except InputError:
        return {}


def load_checked() -> tuple[State, bool]:
    """The state and whether it is readable (a missing file is readable: nothing built yet)."""
    if not os.path.exists(state_path()):
        return {}, True
    try:
        return load_strict(), True
    except InputError:
        return {}, False


# Accessors: every reader goes through these, not through raw keys.


def projects(data: State) -> dict[str, ProjectState]:
    return data.get("projects") or {}


def project(data: State, root: str) -> ProjectState:
    """The entry of the project at real path ``root`` ({} when none)."""
    return projects(data).get(root) or {}


def foundation_id(data: State) -> str | None:
    return (data.get("foundation") or {}).get("image_id")


def extension(pstate: ProjectState) -> ExtensionState | dict:
    return pstate.get("extension") or {}


def harness(pstate: ProjectState) -> HarnessState:
    return pstate.get("harness") or {}


def harness_specs(pstate: ProjectState) -> dict[str, HarnessSpec]:
    return harness(pstate).get("specs") or {}


def harness_versions(pstate: ProjectState) -> dict[str, str]:
    return dict(harness(pstate).get("versions") or {})


def harness_volume(pstate: ProjectState) -> str | None:
    return harness(pstate).get("volume")


# The writer.


def update(change: Callable[[State], None]) -> State:
    """Read, apply ``change(state)`` and write atomically, under the state lock."""
    from aishell.atomic import replace_file

    with locked("state.lock"):
        data = load()
        change(data)
        replace_file(state_path(), (json.dumps(data, indent=2, sort_keys=True) + "\n").encode())
    return data


def record_build(
    data: State, root: str, foundation: FoundationState, ext: ExtensionState | None, harness_: HarnessState | None
) -> None:
    """A build's result: the foundation, and the project's extension and harness when built."""
    data["foundation"] = foundation
    proj = data.setdefault("projects", {}).setdefault(root, {})
    if ext is not None:
        proj["extension"] = ext
    if harness_ is not None:
        proj["harness"] = harness_
