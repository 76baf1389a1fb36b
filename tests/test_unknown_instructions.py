"""An instruction BuildKit would not dispatch is refused like a parse error (one line, exit 2):
BuildKit's parser reads any command word, but instructions.ParseInstruction fails the build on
an unknown one ("unknown instruction"), and on an ONBUILD whose trigger is ONBUILD, FROM or
MAINTAINER. A red-team pass found a RUN whose `<<EOF&&…` BuildKit does not read as a heredoc,
so the body's lines became instructions `x` and `EOF`: lint reported a fixable AIS002, and
migrate then said only "nothing to migrate". Words are generated around the real ones (case,
Go's Unicode lower-casing, one letter more or less), each judged by Go's strings.ToLower."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.errors import InputError
from aishell.lint import Options, lint_text

KNOWN = "add arg cmd copy entrypoint env expose from healthcheck label maintainer onbuild run shell stopsignal user volume workdir"
KNOWN = KNOWN.split()


def _go_lower(word: str) -> str:
    """Go's strings.ToLower: Unicode simple lower-casing, where U+0130 is 'i' (Python gives
    'i̇', two characters), the Kelvin sign 'k'; 'ſ' and 'ı' stay themselves."""
    return "".join("i" if c == "\u0130" else c.lower() if len(c.lower()) == 1 else c for c in word)


def _word(draw) -> str:
    base = draw(st.sampled_from(KNOWN + ["bogus", "x", "eof", "from_", "runx"]))
    letters = list(base)
    kind = draw(st.sampled_from(["same", "upper", "title", "drop", "add", "unicode"]))
    if kind == "upper":
        letters = [c.upper() for c in letters]
    elif kind == "title":
        letters[0] = letters[0].upper()
    elif kind == "drop" and len(letters) > 1:
        del letters[draw(st.integers(0, len(letters) - 1))]
    elif kind == "add":
        letters.insert(draw(st.integers(0, len(letters))), draw(st.sampled_from("aekz")))
    elif kind == "unicode":
        swap = {"k": "\u212a", "i": "\u0130", "s": "\u017f", "I": "\u0131"}
        letters = [swap.get(c, c) if draw(st.booleans()) else c.upper() for c in letters]
    return "".join(letters)


@settings(max_examples=600, deadline=None)
@given(st.data())
def test_an_instruction_buildkit_would_not_dispatch_is_refused(data):
    word = _word(data.draw)
    onbuild = data.draw(st.booleans())
    line = f"ONBUILD {word} RUN x" if onbuild else f"{word} RUN x"  # (a bare `onbuild`: its trigger is RUN)
    text = f"FROM debian\n{line}\n"
    known = _go_lower(word) in KNOWN and not (onbuild and _go_lower(word) in ("onbuild", "from", "maintainer"))
    try:
        lint_text(text, "Dockerfile", Options(use_config=False))
    except InputError as e:  # an unknown word, or a known one's own argument errors (`LABEL RUN x`)
        assert ("unknown instruction" in str(e)) == (not known), (text, e)
        assert "line 2" in str(e), e
    else:
        assert known, text


def test_a_heredoc_buildkit_does_not_read_leaves_unknown_instructions():
    text = "FROM aishell:foundation\nRUN claude --version<<EOF&&echo ok\nx\nEOF\n"
    with pytest.raises(InputError, match="line 3: unknown instruction: x"):
        lint_text(text, "Dockerfile", Options(use_config=False))


def test_an_instruction_of_blanks_only_is_named_as_such():
    """`\\` alone, then blanks and `\\` at the end: BuildKit's parser reads an instruction with no
    command word (found by a red-team pass as a crash); lint names it rather than an empty word."""
    with pytest.raises(InputError, match=r"line 2: unknown instruction: \(none: blanks joined by a continuation\)"):
        lint_text("FROM a\n\\\n \\\n", "Dockerfile", Options(use_config=False))
