"""What a rule sees: the parsed file and, for context-aware rules, the build context.
Config rules (``TARGET = "config"``) see a ConfigContext instead (aishell.config_lint)."""

from __future__ import annotations

from typing import NamedTuple

from aishell.model import Dockerfile


class RuleContext(NamedTuple):
    df: Dockerfile
    path: str
    # The build context, when the linter could establish it (see aishell.context).
    context: object | None = None


class TopKey(NamedTuple):
    key: str
    value: object  # the parsed value (plain Python)
    start: int  # the key's first character
    end: int  # the end of the key's line


class ConfigContext(NamedTuple):
    """A config file: its text and each top-level key with its span."""

    text: str
    path: str
    keys: list[TopKey]


# What rules learn of a context by walking it, shared by every Dockerfile of one run that has
# that context (`aishell lint DIR` of 3,000 Dockerfiles in one folder walked it 3,000 times):
# (kind, root, ignore patterns) -> answer. A run sees each context as it first read it, as a
# build sends it once; new_run() starts afresh (lint_paths and migrate_paths call it).
RUN_CACHE: dict[tuple, object] = {}


def new_run() -> None:
    RUN_CACHE.clear()
