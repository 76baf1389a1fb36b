"""The heredocs of a plain line are found with one search as BuildKit's lexer finds them (issue 18, r91).

aishell/model.py's heredoc_words finds the `<<` words of a line of ASCII with no quote, backslash
or `$` after the keyword with one search (PLAIN_HEREDOC_WORDS), not split_words over the line and
over each word's rest. Here: lines of two to four words drawn from heredoc words of every spelling
(fds, `<<-`, a word before or in it, `<<<`, a `<` in the name, quotes, a backslash, a `$`, a
non-ASCII blank or letter, a BOM) and other words, joined by each ASCII blank and Go's other
blanks: the heredocs found (where, name, `-`, expansion, fd) agree with PLAIN_HEREDOC_WORDS on and
off, and so do the parses of Dockerfiles of such RUNs and COPYs.
"""

from __future__ import annotations

from itertools import product

from aishell import model
from aishell.model import DockerfileSyntaxError, parse

_WORDS = [
    "bash",
    "<<EOF",
    "<<-E1",
    "3<<X",
    "99999999999999999999<<X",
    "<<",
    "<<<x",
    "a<<b",
    "x<b<<c",
    "<<E<F",
    "<<E;",
    "<<E&&",
    "<<'Q'",
    '<<"Q"',
    "<<\\E",
    "<<$E",
    "<<E}",
    "<</E",
    "--f=1",
    "é<<E",
    "<<\ufeffE",
    "\x1c<<E",
    "${x}",
    "x",
]
_BLANKS = [" ", "\t", "  \t ", "\x0b", "\x0c", "\r", "\xa0", "\u2028"]


def _docs(line: str, start: int, on: bool):
    saved = model.PLAIN_HEREDOC_WORDS
    model.PLAIN_HEREDOC_WORDS = on
    try:
        return [
            (a, d.name, d.content, d.chomp, d.expand, d.shell_expands, d.fd)
            for a, d in model.heredoc_words(line, start)
        ]
    finally:
        model.PLAIN_HEREDOC_WORDS = saved


def test_the_heredoc_words_of_a_line_are_found_as_the_lexer_finds_them():
    lines = [
        kw + b0 + b.join(ws)
        for kw in ("RUN", "COPY")
        for n in (1, 2, 3)
        for ws in product(_WORDS, repeat=n)
        for b0, b in ((" ", " "), ("\t", "\t"))
        if n < 3 or "<<" in ws[1]
    ]
    lines += [f"RUN{b}bash{b}<<EOF{b}" for b in _BLANKS] + [f"RUN bash{b}<<EOF" for b in _BLANKS]
    taken = 0
    for line in lines:
        start = len(line.split(None, 1)[0]) if not line.startswith("RUN") else 3
        fast, general = _docs(line, start, True), _docs(line, start, False)
        assert fast == general, repr(line)
        odd = model._HEREDOC_LINE_ODD.search(line, start) is not None or not line.isascii()
        taken += "<<" in line and not odd
    assert len(lines) > 20_000 and taken > 5_000


def _parsed(text: str, on: bool):
    saved = model.PLAIN_HEREDOC_WORDS
    model.PLAIN_HEREDOC_WORDS = on
    try:
        df = parse(text)
    except DockerfileSyntaxError as e:
        return str(e)
    finally:
        model.PLAIN_HEREDOC_WORDS = saved
    return [
        (
            i.keyword,
            i.start,
            i.end,
            i.logical,
            [(d.name, d.content, d.chomp, d.expand, d.shell_expands, d.fd, d.line_offsets) for d in i.heredocs],
        )
        for i in df.instructions
    ]


def test_dockerfiles_of_such_lines_parse_the_same():
    words = [w for w in _WORDS if "<<" in w]
    for a, b in product(words, repeat=2):
        for kw, blank in product(("RUN sh", "COPY", "RUN --mount=type=cache,target=/x sh"), (" ", "\t")):
            bodies = "x\nEOF\nE1\nX\nb\nc\nE\nQ\n" * 2
            text = f"FROM a\n{kw}{blank}{a}{blank}{b} /x\n{bodies}RUN true\n"
            assert _parsed(text, True) == _parsed(text, False), repr(text)
