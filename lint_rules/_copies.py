"""The words of COPY/ADD instructions, read once per distinct text (rules AIS101 and AIS103)."""

from __future__ import annotations

import re

from aishell.model import Instruction, copy_args

# Text with no quote, backslash or whitespace but the word separators: str.split() reads it as
# model.split_words does, and unquoting changes nothing.
_PLAIN = re.compile(r"(?:[^\s'\"\\]|[ \t\n\v\f\r])*")
# The same test for ASCII text, one character class (the alternation above costs a branch per
# character): the ASCII characters _PLAIN refuses are the quotes, the backslash and \x1c-\x1f
# (whitespace to str.split, not a word separator).
NOT_PLAIN_ASCII = re.compile(r"[\x1c-\x1f'\"\\]")
_SEEN: dict[str, list[str]] = {}
_SEEN_MAX = 4096  # entries; forgotten all at once past it (a file of distinct COPYs keeps nothing)


def copy_words(ins: Instruction) -> list[str]:
    """model.copy_args(ins), shared between COPYs of the same text: do not change the list."""
    if ins.json_args is not None:
        return copy_args(ins)
    text = ins.logical[ins.args_start :]
    words = _SEEN.get(text)
    if words is None:
        words = _words(ins, text)
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.clear()
        _SEEN[text] = words
    return words


def copy_words_once(ins: Instruction) -> list[str]:
    """model.copy_args(ins), for a caller that keeps its own memo (nothing kept here)."""
    if ins.json_args is not None:
        return copy_args(ins)
    return _words(ins, ins.logical[ins.args_start :])


def _words(ins: Instruction, text: str) -> list[str]:
    plain = not NOT_PLAIN_ASCII.search(text) if text.isascii() else _PLAIN.fullmatch(text)
    return text.split() if plain else copy_args(ins)
