"""What a rule sees: the parsed file and, for context-aware rules, the build context."""

from __future__ import annotations

from dataclasses import dataclass

from aishell.model import Dockerfile


@dataclass
class RuleContext:
    df: Dockerfile
    path: str
    # The build context, when the linter could establish it (see aishell.context).
    context: object | None = None
