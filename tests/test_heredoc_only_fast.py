"""heredoc_only's shortcuts (one_shell_word: a word with no blank, quote or backslash is shlex's
one word, without shlex; a line _ONLY_LINE matches is one heredoc alone) give the answers of
shlex and of the line's general reading on every word made of the characters that matter;
and _analyse's for a `RUN <<EOF` line of plain characters (ONLY_LINE: the line not read, its one
item made from the match) gives the reader's script."""

import re
import shlex

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.model import DockerfileSyntaxError, parse
from aishell.shell import one_shell_word

from tests.runs import read_runs

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


def _read(text: str):
    """Everything a rule or the status walk sees of each RUN's script, and failing_starts."""
    got = read_runs(text)
    if got is None:
        return None
    out = []
    for ins, s in got[1]:
        out.append(
            (
                [(c.argv, list(c.spans), c.start, c.end, c.nested, c.item, c.runner, c.name) for c in s.commands],
                list(s.items),
                s.exact,
                s.truncated,
                s.fed,
                s.files_read,
                s.tokens,
                s.doc_tokens,
                sorted(shell.failing_starts(ins)),
            )
        )
    return out


_LINE = st.tuples(
    st.sampled_from(["", " ", "\t", "\\\n", "\\\n  ", "\x0b", "\x0c ", "\r"]),
    st.sampled_from(["", "3", "0"]),
    st.sampled_from(["<<", "<<-", "<< ", "<<\t", "<"]),
    st.sampled_from(["EOF", "'EOF'", '"EOF"', "E_1", "'E O'", "\\EOF", "EOF;", "E\u00e9", "'E", "EOF'"]),
    st.sampled_from(["", " ", "\t", " \\\n", " ;", " && true", " <<B", "\r", "\x0b"]),
)
_BODY = st.sampled_from(
    ["claude -v\necho 1", "", "#!/usr/bin/env python\nprint(1)", "echo $(claude)", "if true; then claude; fi", "x"]
)


@settings(max_examples=1500, deadline=None)
@given(_LINE, _BODY, st.sampled_from(["RUN", "ONBUILD RUN", "RUN --mount=type=cache,target=/c"]))
@example(("", "", "<<", "EOF", ""), "claude -v\necho 1", "RUN")  # (the benchmark's distinct heredoc RUNs)
def test_a_heredoc_only_line_reads_as_the_reader_reads_it(line, body, keyword):
    text = f"FROM a\n{keyword} {''.join(line)}\n{body}\nEOF\nB\nRUN true\n"
    saved = shell.ONLY_LINE
    try:
        shell.ONLY_LINE = True
        fast = _read(text)
        shell.ONLY_LINE = False
        general = _read(text)
    finally:
        shell.ONLY_LINE = saved
    assert fast == general


@settings(max_examples=1500, deadline=None)
@given(_LINE, st.sampled_from(["RUN", "ONBUILD RUN", "RUN --mount=type=cache,target=/c", "COPY", 'RUN ["a"] ']))
@example(("", "", "<<", "EOF", ""), "RUN")
@example(("", "3", "<<-", "'EOF'", "\t"), "RUN")
def test_heredoc_only_answers_a_plain_line_as_it_reads_any(line, keyword):
    """heredoc_only takes a line that _ONLY_LINE matches (one heredoc word of plain characters)
    as BuildKit's one heredoc alone without copying or splitting it: what its reading of any line
    (the line stripped, matched, its word split) answers."""
    try:
        df = parse(f"FROM a\n{keyword} {''.join(line)}\nx\nEOF\nB\n")
    except DockerfileSyntaxError:
        return
    ins = df.instructions[1]
    fast = shell.heredoc_only(ins)
    saved = shell._ONLY_LINE
    try:
        shell._ONLY_LINE = re.compile("(?!)")  # (matches nothing)
        general = shell.heredoc_only(ins)
    finally:
        shell._ONLY_LINE = saved
    assert fast == general
