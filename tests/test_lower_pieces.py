"""aishell.model.lower, a large text lowered a piece at a time, is ``str.lower`` (issue 18).

The rules search a whole file's lower-cased text (Dockerfile.lowered); str.lower maps every
character of a text that is not all ASCII through the Unicode tables, so ``lower`` lowers it in
pieces, most of them ASCII. Checked here on every code point, and on generated texts with
pieces of a few characters, over the characters whose lower case is unusual: the capital sigma
(final or not by its neighbours), the dotted capital I (two characters), the Kelvin sign (an
ASCII letter) and letters of every case.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell import model
from aishell.model import lower, parse

CHARS = "aZ \n\t.'-\u03a3\u03c3\u03c2\u0130\u212a\u00c9\u00e9\u0345\u1e9e\U0001f917\u0307\u2160"


def test_every_code_point(monkeypatch):
    monkeypatch.setattr(model, "_LOWER_PIECE", 7)
    text = "".join(map(chr, range(0x110000))).replace("\u03a3", "")  # (a sigma: lowered whole)
    assert lower(text) == text.lower()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=CHARS, max_size=40), st.integers(1, 6))
def test_pieces(text, piece):
    old = model._LOWER_PIECE
    model._LOWER_PIECE = piece
    try:
        assert lower(text) == text.lower()
    finally:
        model._LOWER_PIECE = old


def test_a_sigma_between_pieces(monkeypatch):
    monkeypatch.setattr(model, "_LOWER_PIECE", 2)
    assert lower("A\u03a3b\U0001f917") == "a\u03c3b\U0001f917"  # not final: a letter follows


def test_the_model_remembers_it():
    df = parse("FROM debian AS Base\nFROM base\nRUN echo \U0001f917 NPMRC\n" * 2000)
    assert df.lowered() == df.text.lower()
    assert df.lowered() is df.lowered()
