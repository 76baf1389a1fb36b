"""CRLF and lone-CR line ends on the plain path (python_refs.PLAIN_CR): a Python file with Windows
line ends had libcst read every statement that names the image (benchmarks/scale.py, py_cr_lines:
7.0 s a MB with lone CRs, 6.6 s with CRLF, where LF lines take 0.2 s). Each answer (the rewritten
text byte for byte, its line ends as they were, warnings in the file's order, count, or the
refusal) is the one it gives with PLAIN_CR off and libcst's (FAST_LITERALS off), for files whose
line ends are drawn from LF, CRLF and CR, mixed, with or without one at the end of the file; each
part of the plain path takes them (no libcst run), and py_cr_lines stays linear and as fast as
its LF lines. Form feeds likewise, on _collect's fast path (PLAIN_FF)."""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.errors import InputError
from aishell.migrate import python_codemod as codemod
from aishell.migrate import python_refs as refs
from aishell.migrate.python_refs import rewrite_python_bounded
from tests.growth import best, guard
from tests.runs import attributes

from tests.bench_scale import scale

# Statements ("\n" is each line end, replaced by one drawn): what the plain path reads (plain
# assignments, joins, a `+` side, bytes, f-string parts, a run over lines in brackets, a statement
# of any shape), and what it leaves to libcst (a comment naming the image, a docstring, a
# continuation, a triple-quoted literal over lines, a Dockerfile in a string, a form feed).
_STATEMENTS = [
    "X = 'aishell:base'",
    'X = "aishell:base"  # c',
    "X = 'aishell:base'  # aishell:base",
    "X = 'aishell:' \"base\"",
    "X = ('aishell:'\n    'base')",
    "X = (\n    'aishell:base' \"\"\n)",
    "X = ('aishell:base'\n\n    '-gpu')",
    "X = 'aishell:base' + T",
    "X = b'aishell:base'",
    "X = b'aishell:' b'base'",
    "X = f'aishell:' 'base'",
    "X = f'{y}' 'aishell:base'",
    "X = 'aishell:base-gpu'",
    "X = 'x'",
    "X = 'aishell:base'; Y = 'aishell:' 'base'",
    "X = f('aishell:base') if y else 'aishell:' 'base'",
    "X = [\n    'aishell:base',\n    \"x\",\n]",
    "X = f(\n    'aishell:base' \"\")",
    "X = g('aishell:base'\n    + y)",
    "X = 'aishell:base' \\\n    + y",
    "X = 'aishell:' \\\n    'base'",
    "X = ('aishell:' \\\n    'base')",
    "X = 1 + \\\n    2",
    "X = 'aishell:base' if y else \\\n    'x'",
    "# aishell:base",
    "# c",
    "",
    "    ",
    '"""aishell:base"""',
    "'aishell:base'",
    'def f():\n    """Uses aishell:base."""\n    return \'aishell:base\'',
    "class C:\n    X = 'aishell:base'\n    Y = 1",
    "if y:\n    X = 'aishell:base'\nelse:\n    X = 'x'",
    "X = '''aishell:base\nN'''",
    "X = '''\nFROM aishell:base\n'''",
    "X = 'FROM aishell:base'",
    "\x0c# c",
    "\x0cX = 'aishell:base'",
    "X = \x0c'aishell:base'",
    "X = ('aishell:'\n\x0c    'base')",
    "def f():\n\x0c    return 'aishell:base'",
    "é = 'aishell:base'  # é",
    "X = ('é', 'aishell:base',\n     f'{é}' \"aishell:base\")",
    "X = ('aishell:base'  # c\n    '')",
]


@st.composite
def _sources(draw) -> str:
    """Statements (each one or more lines) whose line ends are LF, CRLF and CR, one kind for the
    file or each drawn, the file ending in one or not, after a BOM or not."""
    lines = draw(st.lists(st.sampled_from(_STATEMENTS), min_size=1, max_size=8))
    text = "\n".join(lines)
    ends = ["\n", "\r\n", "\r"]
    if draw(st.booleans()):
        eol = draw(st.sampled_from(ends))
        text = text.replace("\n", eol)
        tail = draw(st.sampled_from(["", eol]))
    else:
        pieces = text.split("\n")
        text = pieces[0] + "".join(draw(st.sampled_from(ends)) + p for p in pieces[1:])
        tail = draw(st.sampled_from(["", *ends]))
    return draw(st.sampled_from(["", "\ufeff"])) + text + tail


def _answer(src: str, **switches):
    """rewrite_python_bounded's answer (or refusal message) with python_refs' ``switches``."""
    with attributes(refs, **switches):
        try:
            return rewrite_python_bounded(src, "x.py")
        except InputError as e:
            return str(e)


@settings(max_examples=200, deadline=None, database=None)
@given(_sources())
def test_line_ends_of_every_kind_are_decided_as_libcst_decides_them(src):
    """The plain path's answer with CR line ends is the one without it (PLAIN_CR off: libcst for
    each piece holding a CR) and libcst's for every statement (FAST_LITERALS off)."""
    on = _answer(src)
    assert on == _answer(src, PLAIN_CR=False, PLAIN_FF=False), src
    assert on == _answer(src, FAST_LITERALS=False), src


def _ranges(src: str, **switches) -> list[list[int]]:
    """python_refs._statement_ranges of ``src`` (the plain path's and the tree's) with ``switches``."""
    with attributes(refs, **switches):
        return refs._statement_ranges(src, "x.py", {}, [])


def _py_cr_lines(size: int, eol: str = "\r") -> str:
    return scale.py_cr_lines(size)[1]["cr.py"].replace("\r", eol)


# Shapes naming the image on every line, each part of the plain path: runs of plain lines
# (_plain_run), a statement of another shape (_plain_text), a join over lines in a call (neither:
# CPython's tree, _collect's fast path, _PLAIN_JOIN), lines after a form feed (the tree's too).
_SHAPES = {
    "run": lambda i: f"n{i} = 1\nx{i} = 'aishell:base'\nb{i} = b'aishell:base'\n",
    "bracketed run": lambda i: f"IMAGE_{i} = ('aishell:'\n    \"base\")\nTAG_{i} = 'aishell:base' + T{i}\n",
    "text": lambda i: f'X{i} = "aishell:base" "" if f("aishell:" "base") else g({i})\n',
    "text that warns": lambda i: f'X{i} = b"aishell:base" if f({i}) else "aishell:" "base"\n',
    "tree": lambda i: f"X{i} = g('aishell:'\n    'base', b'aishell:base')\n",
    "form feed": lambda i: f"\x0cX{i} = 'aishell:base'\n" if i % 10 == 0 else f"X{i} = 'aishell:base'\n",
}


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize("shape", list(_SHAPES))
def test_the_plain_path_takes_every_line_end(shape, eol, monkeypatch):
    """Each shape with LF, CRLF or lone-CR line ends: no libcst run, and libcst's answer (the LF
    answer with its line ends changed the same way); runs and text walk no tree either, and the
    lines they take start and end where the tree's statements do (after a whole CRLF)."""
    src = "".join(_SHAPES[shape](i) for i in range(60)).replace("\n", eol)
    want = _answer(src, FAST_LITERALS=False)
    lf = rewrite_python_bounded(src.replace(eol, "\n"), "x.py")
    assert want == (lf[0].replace("\n", eol), *lf[1:])
    tree = {x for r in _ranges(src, PLAIN_RUNS=False, PLAIN_TEXT=False) for x in r}
    assert all(a in tree and b in tree for a, b in _ranges(src))

    def no_libcst(*args):
        raise AssertionError("libcst ran")

    def no_tree(*args):
        raise AssertionError("a tree was walked")

    monkeypatch.setattr(codemod, "_transform", no_libcst)
    if shape not in ("tree", "form feed"):
        monkeypatch.setattr(refs, "_collect", no_tree)
    assert rewrite_python_bounded(src, "x.py") == want


# A line of a statement continued from the line before (`\\` and its line end) or onto the next,
# deep and only warning: CPython's tree measures the statement, too deep for libcst, and leaves it
# with a warning of its own (_collect's skipped); the text must see the `\\` before the line end
# (_plain_text), whichever it is, and leave the piece to the tree.
_CONTINUED = [
    "Y = " + "a and " * 400 + "a + \\\nX or b'aishell:base'\n",
    "X = b'aishell:base' or \\\n" + "a and " * 400 + "a\n",
]


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize("source", _CONTINUED, ids=["from the line before", "onto the next"])
def test_a_continued_line_is_measured_as_libcst_measures_it(source, eol):
    plain = "I = 'aishell:base' if f('aishell:' 'base') else g(1)\n"
    src = (plain + source + plain).replace("\n", eol)
    got = _answer(src)
    assert got == _answer(src, FAST_LITERALS=False)
    assert "nested more than" in " ".join(got[1])


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


def test_cr_lines_stay_linear_and_as_fast_as_lf_lines():
    """benchmarks/scale.py's py_cr_lines at 16 KB and 256 KB (libcst per statement: 1.8 s there):
    linear (tests.growth.guard), and within 10 times the same lines with LF ends, CRLF too."""

    def migrate(size: int, eol: str = "\r") -> None:
        new, _, count = rewrite_python_bounded(_py_cr_lines(size, eol), "cr.py")
        assert count > 0 and "aishell:base" not in new

    guard(migrate, 16_000)
    lf = best(lambda n: migrate(n, "\n"), 256_000)
    for eol in ("\r", "\r\n"):
        cr = best(lambda n: migrate(n, eol), 256_000)
        assert cr < 10 * lf + 0.2, f"{eol!r}: {cr:.3f} s, LF {lf:.3f} s"
