"""The tokens handed on a chunk at a time give what the whole list gives (issue 18, "Linear by
design").

aishell/shell.py's token_chunks hands tokenize's tokens on about TOKEN_CHUNK at a time, never ahead
of a heredoc body still to be attached to its redirection, and the reader splits them as they
come (a 10 MB continued RUN's 2.6 million tokens were most of its lint's peak memory). Each test
reads generated scripts (the pieces of the shell's syntax test_shell_fast.py uses: quotes,
escapes, $( ), backticks, heredocs, comments, operators, keywords) with chunks of one token and
with one chunk for the whole script, and compares the tokens, the bodies of $( ), and what a rule
sees of the script read (its commands, items, exactness).
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell import shell

from tests.test_shell_fast import _PIECES, _dump


def _read(s: str, chunk: int):
    saved = shell.TOKEN_CHUNK
    shell.TOKEN_CHUNK = chunk
    try:
        return shell.tokenize(s), _dump(shell.analyse_text(s))
    finally:
        shell.TOKEN_CHUNK = saved


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + [" ", " ", "\n", "cat <<EOF ", "<<-'E' ", "body\n", "EOF\n"]), max_size=40))
def test_chunks_of_one_token_read_as_the_whole_list(pieces):
    s = "".join(pieces)
    assert _read(s, 1) == _read(s, 10**9)


@pytest.mark.parametrize("chunk", [1, 2, 3])
def test_a_heredoc_body_is_attached_across_chunks(chunk):
    """The redirection stays in the chunk being filled until its body is read at the newline."""
    s = "a b c && cat <<EOF && d e f; g\n$(h i)\nEOF\nj k <<-'E'\n\tbody\n\tE\nl"
    (tokens, subs), read = _read(s, chunk)
    assert ((tokens, subs), read) == _read(s, 10**9)
    assert [t.body is not None for t in tokens if t.kind == "redir"] == [True, True]
    assert [t.text for t in subs] == ["h i"]
