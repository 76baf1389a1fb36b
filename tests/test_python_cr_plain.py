"""CRLF and lone-CR line ends on the plain path (python_refs.PLAIN_CR)."""

from __future__ import annotations

import pytest

from aishell.errors import InputError
from aishell.migrate import python_refs as refs
from aishell.migrate.python_refs import rewrite_python_bounded


def _answer(src: str, **switches):
    """rewrite_python_bounded's answer (or refusal message) with python_refs' ``switches``."""
    saved = {k: getattr(refs, k) for k in switches}
    try:
        for k, v in switches.items():
            setattr(refs, k, v)
        try:
            return rewrite_python_bounded(src, "x.py")
        except InputError as e:
            return str(e)
    finally:
        for k, v in saved.items():
            setattr(refs, k, v)


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize("literal", ["'aishell:' 'base'", "'aishell\\x3abase'"], ids=["join", "escape"])
def test_a_join_no_mention_was_found_for_is_the_trees(literal, eol):
    """`Y = 'aishell:' 'base'` (or `'aishell\\x3abase'`) beside a mention, a string naming the image
    a line or two on: the file's scan reads the literal's run on to that string
    (python_mention_starts finds no mention of its own), the tree reads it with its line's
    mention and rewrites it. The text left it as it was, without a warning (a form feed starting
    the line between ended the piece)."""
    src = f'X = \'aishell:base\'; Y = {literal}\n\x0c# c\n"""aishell:base"""\n'.replace("\n", eol)
    got = _answer(src)
    assert got == _answer(src, FAST_LITERALS=False)
    assert got[2] == 2
