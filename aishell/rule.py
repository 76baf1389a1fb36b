"""What a rule sees: the parsed file and, for context-aware rules, the build context."""

from __future__ import annotations

from typing import NamedTuple

from aishell.model import Dockerfile


class RuleContext(NamedTuple):
    df: Dockerfile
    path: str
    # The build context, when the linter could establish it (see aishell.context).
    context: object | None = None
