"""The original aishell's config schema (UniSoma/aishell), translated into aishell's.

The original's project and global files (``.aishell/config.yaml``,
``~/.aishell/config.yaml``) put every setting at the top level. Here run settings
live under ``run:``. This module is pure: a parsed mapping in, a translated mapping
and the list of what moved where out. Config loading (``aishell.config``) uses it so
build, run and status work on an unmigrated file; ``aishell migrate`` uses the same
table to rewrite the file (``aishell.config_migrate``); the AIS2xx lint rules report
each key with the same words.

Nothing is silently lost: a key with no equivalent here is kept, unchanged, under
``legacy:`` (which aishell reads and ignores).
"""

from __future__ import annotations

from typing import NamedTuple

LEGACY_SECTION = "legacy"

# Original key -> key under run:, and what it does there.
MOVED = {
    "extends": ("extends", "merge with the user config ($XDG_CONFIG_HOME/aishell/config.yaml) or not"),
    "mounts": ("mounts", "extra bind mounts"),
    "env": ("env", "variables, literal or passed through from the host"),
    "ports": ("ports", "published ports"),
    "docker_args": ("docker_args", "extra docker run arguments"),
    "pre_start": ("pre_start", "a command started in the background before the harness"),
    "harness_args": ("harness_args", "default arguments per harness"),
    "claude_isolation": ("isolation", "per-project harness state"),
    "detection": ("detection", "the sensitive-file warning before a run"),
}
# Original keys aishell has no equivalent for: kept under legacy:, and why.
KEPT_ASIDE = {
    "claude_shared_paths": "aishell's run.isolation: project keeps all harness state per project; there is no share list",
    "gitleaks_freshness_check": "the foundation has no gitleaks and aishell runs no scan",
    "gitleaks_freshness_threshold": "the foundation has no gitleaks and aishell runs no scan",
    "update_check": "aishell checks nothing at start-up; `aishell status --check-updates` asks on demand",
    "pi_packages": "aishell has no pi harness",
}
LEGACY_KEYS = tuple(MOVED) + tuple(KEPT_ASIDE)
# Harnesses the original knew and aishell does not run: their harness_args are kept aside.
KNOWN_HARNESSES = ("claude", "codex", "gemini", "opencode")


class Move(NamedTuple):
    key: str  # the original's top-level key
    target: str  # "run.mounts", or "legacy.pi_packages" when kept aside
    note: str  # one clause: what it does there, or why it has no equivalent


def is_legacy(data: object) -> bool:
    return isinstance(data, dict) and any(k in LEGACY_KEYS for k in data)


def convert_value(key: str, value):
    """The value a moved key takes under run: (only two change: names of choices)."""
    if not isinstance(value, str):
        return value  # a list or a mapping here is the config check's to refuse, not a crash
    if key == "claude_isolation":
        return {"shared": "host", "project": "project"}.get(value, value)
    if key == "extends":
        return {"global": "user"}.get(value, value)
    return value


def plan(data: dict) -> list[Move]:
    """Where each original-schema key of ``data`` goes, in the file's order."""
    run = data.get("run") if isinstance(data.get("run"), dict) else {}
    moves = []
    for key in data:
        if key in MOVED:
            target, note = MOVED[key]
            if target in run:
                moves.append(
                    Move(key, f"{LEGACY_SECTION}.{key}", f"run.{target} is already set, so this value is kept aside")
                )
            else:
                moves.append(Move(key, f"run.{target}", note))
        elif key in KEPT_ASIDE:
            moves.append(Move(key, f"{LEGACY_SECTION}.{key}", KEPT_ASIDE[key]))
    return moves


def split_harness_args(value) -> tuple[object, dict]:
    """harness_args for harnesses aishell runs, and the rest (pi, vscode …) to keep aside."""
    if not isinstance(value, dict):
        return value, {}
    keep = {k: v for k, v in value.items() if k in KNOWN_HARNESSES}
    aside = {k: v for k, v in value.items() if k not in KNOWN_HARNESSES}
    return keep, aside


def translate(data: dict) -> tuple[dict, list[Move]]:
    """An original-schema mapping -> the same settings in aishell's schema, and the moves made.

    Keys aishell already knows (lint, build, run, legacy) pass through; moved keys join
    ``run:`` after what it holds; kept-aside keys join ``legacy:``.
    """
    moves = plan(data)
    if not moves:
        return data, []
    out = {k: v for k, v in data.items() if k not in LEGACY_KEYS}
    run = dict(out.get("run") or {}) if isinstance(out.get("run"), dict) or out.get("run") is None else out["run"]
    legacy = dict(out.get(LEGACY_SECTION) or {}) if isinstance(out.get(LEGACY_SECTION), dict) else {}
    for m in moves:
        section, sub = m.target.split(".", 1)
        value = data[m.key]
        if section == "run":
            if m.key == "harness_args":
                value, aside = split_harness_args(value)
                if aside:
                    legacy["harness_args"] = aside
            run[sub] = convert_value(m.key, value)
        else:
            legacy[sub] = value
    if run:
        out["run"] = run
    if legacy:
        out[LEGACY_SECTION] = legacy
    return out, moves


def summary(moves: list[Move]) -> str:
    """One line: which keys move into run: and which are kept aside."""
    moved = [m.key for m in moves if m.target.startswith("run.")]
    aside = [m.key for m in moves if not m.target.startswith("run.")]
    parts = []
    if moved:
        parts.append(f"{', '.join(moved)} read as run.*")
    if aside:
        parts.append(f"{', '.join(aside)} ignored (no equivalent)")
    return "; ".join(parts)
