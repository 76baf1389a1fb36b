"""A harness name the shell joins from quoted pieces (`c''laude`, `c"l"aude`, `cl\\aude`) is the
harness (issue 18, recall; found by a red-team pass): the cheap pre-check looked for the name in
the RUN's text as written and passed such a RUN over. Generated spellings of each harness's
executables, with quotes and backslashes inside, judged by what the shell makes of the word
(shlex, POSIX mode), run at build time (AIS002), in a RUN and in a heredoc."""

from __future__ import annotations

import shlex

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.harness import BY_EXECUTABLE
from aishell.lint import Options, lint_text

NAMES = sorted(BY_EXECUTABLE)


@st.composite
def spelled(draw) -> tuple[str, str]:
    name = draw(st.sampled_from(NAMES))
    out = []
    for ch in name:
        piece = draw(st.sampled_from(["", "''", '""', "\\"]))
        out.append(piece + ch if piece == "\\" else ch + piece)
    return name, "".join(out)


@settings(max_examples=300, deadline=None)
@given(spelled(), st.booleans())
def test_a_name_joined_from_quoted_pieces_is_the_harness(case, heredoc):
    name, word = case
    assert shlex.split(word) == [name]  # what the shell runs
    body = f"{word} --version"
    text = f"FROM aishell:foundation\nRUN <<EOF\n{body}\nEOF\n" if heredoc else f"FROM aishell:foundation\nRUN {body}\n"
    found = lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings
    assert found, text


def test_the_pre_check_knows_every_harness_word_and_executable():
    """harness.mentions_in spells the harness words out (substring tests are its speed)."""
    from aishell.harness import HARNESS_WORDS, mentions_in

    for word in (*HARNESS_WORDS, *NAMES):
        assert mentions_in(f"RUN x {word.upper()} y") and mentions_in(f"{word[:1]}''{word[1:]}"), word
