"""A Dockerfile held in a Python string is found whatever the file's line ends (issue 18's lone CR).

Python reads a lone CR, CRLF and LF alike as the end of a line, in a triple-quoted string's value
too. The codemod looked for a Dockerfile with `^\\s*FROM` on the literal's source text, where `^`
follows only a line feed: a string of CR-ended lines whose FROM came after a comment or an ARG
(`# build\\rFROM aishell:base\\r`, a file saved with old Mac line ends) was neither rewritten nor
warned about, while the same file with LF or CRLF ends was rewritten. Checked on generated files:
each answer with CR or CRLF line ends is the LF answer with its line ends changed the same way.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.migrate.python_refs import rewrite_python_bounded
from aishell.migration import embedded_dockerfile

# Lines of an embedded text: Dockerfile lines BuildKit reads (the image at FROM, in an ARG
# default, after a comment or an ARG), and ones that make it a message instead.
_LINES = ["# build", "ARG V=1", "ARG B=aishell:base", "FROM aishell:base", "FROM $B", "FROM aishell:base AS b"]
_LINES += ["RUN echo hi", "", "  ", "hello", "FROM aishell:base is retired", "COPY --from=aishell:base /a /b"]
_AROUND = ["import os", "Y = 1", "def f():\n    return X", "Z = 'aishell:base'"]


@st.composite
def _sources(draw) -> str:
    """An LF-ended Python file holding one or two such strings among other statements."""
    out = []
    for _ in range(draw(st.integers(1, 2))):
        out.extend(draw(st.lists(st.sampled_from(_AROUND), max_size=2)))
        body = "\n".join(draw(st.lists(st.sampled_from(_LINES), min_size=1, max_size=5)))
        lead = draw(st.sampled_from(["", "\n"]))
        out.append(f'X = """{lead}{body}\n"""')
    return "\n".join(out) + "\n"


@settings(max_examples=150, deadline=None, database=None)
@given(_sources(), st.sampled_from(["\r", "\r\n"]))
def test_an_embedded_dockerfile_is_read_whatever_the_line_ends(source, eol):
    want_text, want_warnings, want_count = rewrite_python_bounded(source, "x.py", embedded_dockerfile)
    text, warnings, count = rewrite_python_bounded(source.replace("\n", eol), "x.py", embedded_dockerfile)
    assert (text, len(warnings), count) == (want_text.replace("\n", eol), len(want_warnings), want_count), source
