"""heredoc_only's shortcut (one_shell_word: a word with no blank, quote or backslash is shlex's
one word, without shlex) gives shlex's answer on every word made of the characters that matter."""

import shlex

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.shell import one_shell_word

CHARS = " \t\r\n'\"\\#;&|<>$`(){}*?~=-_aEOF09\x0b\x0c\x1c\u00a0"


def _shlex_one(word: str) -> bool:
    try:
        return len(shlex.split(word)) == 1
    except ValueError:
        return False


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=CHARS, min_size=1, max_size=6))
def test_the_shortcut_agrees_with_shlex(word):
    assert one_shell_word(word) == _shlex_one(word), repr(word)
