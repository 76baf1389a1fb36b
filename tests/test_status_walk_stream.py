"""A script read in chunks gives what it gives read whole (issue 18, "Linear by design").

aishell/shell.py's token_chunks gives tokenize's tokens a chunk at a time (TOKEN_CHUNK), cut
only where no heredoc body is pending; the shell reader splits them as they come, and the status
walk parses and walks a script's top-level list a batch of STREAM_ITEMS items at a time
(STREAM_WALK): a RUN line of many function definitions (`f0() { echo hi; }; …`) once held its
tokens and its tree whole, 2 GB at 10 MB. Each test here compares both ways, with chunks and
batches of one or a few (every boundary taken), on scripts generated from what changes the
walk's answer, text that does not parse among them (nothing of it is marked, whatever batch the
error is in), and under each SHELL.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.model import DockerfileSyntaxError, parse

from tests.test_status_walk_fast import _PIECES, _SHELLS


def _read(text: str, shells):
    """Each RUN's script (commands, items) and failing_starts under each of ``shells``."""
    try:
        df = parse(text)
    except DockerfileSyntaxError:
        return None
    shell._SEEN = {}
    out = []
    for i in df.instructions:
        if i.keyword in ("RUN", "ONBUILD"):
            script = shell.analyse_run(i)
            out.append(([(c.argv, list(c.spans), c.start, c.end, c.item) for c in script.commands], script.items))
            out.extend(sorted(shell.failing_starts(i, sh)) for sh in shells)
    return out


def _both(text: str, chunk: int, items: int):
    saved = shell.STREAM_WALK, shell.STREAM_ITEMS, shell.TOKEN_CHUNK, shell._SEEN
    try:
        shell.STREAM_WALK, shell.STREAM_ITEMS, shell.TOKEN_CHUNK = True, items, chunk
        streamed = _read(text, _SHELLS)
        shell.STREAM_WALK, shell.TOKEN_CHUNK = False, 1 << 40
        whole = _read(text, _SHELLS)
    finally:
        shell.STREAM_WALK, shell.STREAM_ITEMS, shell.TOKEN_CHUNK, shell._SEEN = saved
    return streamed, whole


_FORMS = [
    "RUN {}\n",
    "RUN true \\\n && {} \\\n ; echo $(date)\n",
    "RUN bash -e <<EOF\n{}\nEOF\n",  # (the walk of a line with heredocs reads it whole)
    "RUN <<EOF\n{}\nEOF\n",  # (the body: a script of its own)
    'RUN ["sh", "-c", "{}"]\n',
    "ONBUILD RUN {}\n",
]


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), max_size=30).map(" ".join),
    st.sampled_from(_FORMS),
    st.sampled_from([1, 2, 5]),
    st.sampled_from([1, 2, 3]),
)
@example("claude -v ; echo ( x", "RUN {}\n", 1, 1)  # (marked in the first batch, undone)
@example("f() { exit 1; } ; claude -v ; f ; claude", "RUN {}\n", 1, 1)
@example("set -e ; claude ; ( claude ) ; claude", "RUN {}\n", 2, 1)
@example("claude -v ; )", "RUN {}\n", 1, 1)  # (what _parse finds after the list)
@example("claude -v ; fi", "RUN {}\n", 1, 1)
def test_a_script_read_in_chunks_reads_as_read_whole(script, form, chunk, items):
    text = "FROM a\n" + form.format(script.replace('"', "") if form.startswith('RUN ["') else script)
    streamed, whole = _both(text, chunk, items)
    assert streamed == whole


_DOC_PIECES = ["cat", "<<EOF", "<<-'E'", "2<<A", "x", ";", "&&", "|", "sh", "\n", "EOF", "\tE", "A", "$(claude)"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_DOC_PIECES), max_size=30), st.sampled_from([1, 2, 3]))
def test_tokens_in_chunks_are_tokenizes(pieces, chunk):
    """A chunk never ends between a heredoc's redirection and its body (its body is read into
    the redirection's token, in the chunk)."""
    s = " ".join(pieces)
    saved = shell.TOKEN_CHUNK
    try:
        shell.TOKEN_CHUNK = 1 << 40
        whole = shell.tokenize(s)
        shell.TOKEN_CHUNK = chunk
        subs = []
        chunks = list(shell.token_chunks(s, subs))
    finally:
        shell.TOKEN_CHUNK = saved
    assert [t for c in chunks for t in c] == whole[0] and subs == whole[1]
    assert all(chunks)


def test_many_function_definitions_are_read_in_batches():
    """The benchmark's line of function definitions is walked a batch at a time (no tree of
    the whole line), and its harness call at the end decides."""
    body = " ".join(f"f{i}() {{ echo hi; }};" for i in range(600))
    text = f"FROM a\nRUN {body} claude -v\n"
    df = parse(text)
    ins = df.instructions[1]
    saved = shell._StatusWalk._parse
    shell._StatusWalk._parse = lambda self, toks: (_ for _ in ()).throw(AssertionError("a tree was built"))
    try:
        starts = shell.failing_starts(ins)
    finally:
        shell._StatusWalk._parse = saved
    assert [text[a : a + 6] for a in starts] == ["claude"]
