"""The words of COPY/ADD instructions, read once per distinct text (rules AIS101 and AIS103)."""

from __future__ import annotations

import re

from aishell.model import Instruction, copy_args

# Text with no quote, backslash or whitespace but the word separators: str.split() reads it as
# model.split_words does, and unquoting changes nothing.
_PLAIN = re.compile(r"(?:[^\s'\"\\]|[ \t\n\v\f\r])*")
_SEEN: dict[str, list[str]] = {}
_SEEN_MAX = 4096  # entries; forgotten all at once past it (a file of distinct COPYs keeps nothing)


def copy_words(ins: Instruction) -> list[str]:
    """model.copy_args(ins), shared between COPYs of the same text: do not change the list."""
    if ins.json_args is not None:
        return copy_args(ins)
    text = ins.logical[ins.args_start :]
    words = _SEEN.get(text)
    if words is None:
        words = text.split() if _PLAIN.fullmatch(text) else copy_args(ins)
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.clear()
        _SEEN[text] = words
    return words
