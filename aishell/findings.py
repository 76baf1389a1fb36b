"""Frozen values that flow from rules to reporters and the fixer.

Offsets are indices into the decoded file text (see aishell.model). Only
``migrate`` turns edits into new text. NamedTuples, not dataclasses: they cost
a tenth as much to define, and `aishell lint` start-up is measured.
"""

from __future__ import annotations

import re
from typing import NamedTuple

SEVERITIES = ("info", "warning", "error")
SAFE, UNSAFE = "safe", "unsafe"


# Suppression comments: `# aishell: ignore=CODE[,CODE…] [reason]` on the comment line just above
# an instruction drops those rules' findings on it; `# aishell: ignore-file=CODE[,CODE…] [reason]`
# on any comment line, for the whole file. Codes separated by commas, with or without spaces
# after them; then an optional reason. All on the comment's own line (_S: a blank but no line
# end): after a `#` line inside a continued instruction, the next line is the instruction's text.
_S = r"[^\S\n]"
_CODES = rf"([A-Za-z0-9]+(?:{_S}*,{_S}*[A-Za-z0-9]+)*)"
IGNORE_RE = re.compile(rf"#{_S}*aishell:{_S}*ignore=" + _CODES + rf"{_S}*,?(?:{_S}+(.*))?$")
IGNORE_FILE_RE = re.compile(rf"#{_S}*aishell:{_S}*ignore-file=" + _CODES + rf"{_S}*,?(?:{_S}+.*)?$", re.M)


def file_wide(line: str) -> bool:
    """Whether a comment line is an `ignore-file=` suppression: it belongs to the file, not to
    the instruction below it, so a fix that removes or moves that instruction leaves it."""
    return IGNORE_FILE_RE.match(line.strip()) is not None


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


class Edit(NamedTuple):
    """Replace ``[start, end)`` with ``replacement``. ``path`` None: the file the finding is
    about; a path: another file the fix writes (created when it does not exist: then the
    edit is an insertion at 0). A fix that creates a file is an edit like any other."""

    start: int
    end: int
    replacement: str = ""
    path: str | None = None


class Fix(NamedTuple):
    applicability: str  # SAFE or UNSAFE
    message: str
    edits: tuple[Edit, ...]


class Violation(NamedTuple):
    """What a rule yields: a message, the span it is about, and maybe a fix."""

    message: str
    start: int
    end: int
    fix: Fix | None = None
    # A lower severity than the rule's, for a form the rule cannot be sure of (an error must mean
    # the build really fails); a severity set in the config still wins.
    severity: str | None = None


class Finding(NamedTuple):
    code: str
    name: str
    severity: str
    message: str
    path: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    fix: Fix | None = None
    url: str | None = None


class Example(NamedTuple):
    """A rule's example: INVALID ones say how many findings, where each one points and what
    the fixed text is."""

    source: str
    expected: str | None = None  # the file after all fixes (safe and unsafe); None: no fix
    findings: int = 1
    name: str = ""
    # Context files that exist (for context-aware rules): "path", "folder/" or ("path", "content").
    files: tuple = ()
    dockerfile_name: str = "Dockerfile"
    # INVALID examples: where each finding points, in report order, as (line, column, end_line,
    # end_column) of the linted file: 1-based, the end column exclusive (what reporters print).
    spans: tuple[tuple[int, int, int, int], ...] = ()
