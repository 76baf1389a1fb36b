"""Runs of string literals over line ends (images.python_mention_starts, RUN_LINES): the scan
reads adjacent literals as one run whatever lies between them but blanks, comments and line
ends, and cannot see brackets. `Y = 'aishell:' 'base'`, then `\"\"\"aishell:base\"\"\"` a line on,
was one run holding the name, so the join, which names the image, had no mention of its own:
migrate left it as it was, without a warning, on the plain path and with libcst (issue 18, r70b's).

CPython is the oracle: on files of statements whose literals are split every way (on one line,
over a backslash continuation, over lines in brackets, with comments and blank lines between,
statements on consecutive lines or after `;`, LF, CRLF or CR line ends), every statement whose
value ``ast`` reads as a str naming the image is rewritten (or, a comment between its parts, left
with a warning), every other value is as it was or changed in the image's names alone, on the plain path and with libcst
(python_refs.FAST_LITERALS off)."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell import images
from aishell.images import FOUNDATION, LEGACY_RE
from aishell.migrate import python_refs as refs
from aishell.migrate.python_refs import rewrite_python_bounded
from tests.runs import attributes

# Values a statement's literals join to, and where each may be cut into parts.
_VALUES = ["aishell:base", "aishell:base-gpu", "xy", "docker.io/library/aishell:base", "see aishell:base"]
_QUOTES = ["'", '"', "'''", '"""']
# Between two parts: outside brackets, and (besides those) inside them ("\n" is a line end).
_GAPS = [" ", "  ", " \\\n", "\\\n    "]
_GAPS_IN = ["\n    ", "\n\n    ", "  # c 'x' \\\n    ", "  # '''\n    ", "\n# c\n    "]
# Between two statements.
_SEPS = ["\n", "\n\n", "\n# 'aishell:base' c\n", "  # c\n", "\n\n# c\n\n", "; "]


@st.composite
def _value(draw) -> str:
    """A str or bytes value cut into literals, each with its own prefix and quotes (escaped
    colons in some), joined by gaps; in brackets or not."""
    text = draw(st.sampled_from(_VALUES))
    cuts = sorted(draw(st.sets(st.integers(1, len(text) - 1), max_size=2)))
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]
    if draw(st.booleans()):
        pieces.insert(draw(st.integers(0, len(pieces))), "")  # (an empty part: `"aishell:" "" "base"`)
    raw_bytes = draw(st.sampled_from(["", "", "", "b", "rb"]))
    bracketed = draw(st.booleans())
    out = []
    for i, piece in enumerate(pieces):
        prefix = raw_bytes or draw(st.sampled_from(["", "", "r", "u", "f", "R", "F"]))
        quote = draw(st.sampled_from(_QUOTES))
        if "r" not in prefix.lower() and ":" in piece and draw(st.booleans()):
            piece = piece.replace(":", "\\x3a")
        if i:
            gaps = _GAPS + _GAPS_IN if bracketed else _GAPS
            if out[-1][-1] != quote[0]:
                gaps = [*gaps, ""]  # (`'aishell:'"base"`; the same quotes would open a triple one)
            out.append(draw(st.sampled_from(gaps)))
        out.append(f"{prefix}{quote}{piece}{quote}")
    code = "".join(out)
    return f"({code})" if bracketed else code


@st.composite
def _sources(draw) -> str:
    """Statements (`Vn = value`, a function returning it, or a value alone) one after another,
    some starting with a literal, so that the scan's run reaches from one statement's literals
    into the next."""
    out, form = [], ""
    for i in range(draw(st.integers(1, 6))):
        before, form = form, draw(st.sampled_from(["{}", "V{} = {}", "def f{}():\n    return {}"]))
        if i:  # (no `;` before a def, nor after one: the next statement would be in its body)
            out.append(draw(st.sampled_from(_SEPS[:-1] if "def" in before + form else _SEPS)))
        value = draw(_value())
        out.append(form.format(i, value) if "{}" != form else value)
    text = "".join(out) + draw(st.sampled_from(["", "\n"]))
    return text.replace("\n", draw(st.sampled_from(["\n", "\r\n", "\r"])))


def _value_of(node):
    """A statement's value as CPython reads it: a str (a constant, or an f-string of constants
    only), bytes, or None (something else)."""
    if isinstance(node, ast.FunctionDef):
        node = node.body[-1]  # (its `return`)
    v = getattr(node, "value", None)
    if isinstance(v, ast.Constant):
        return v.value
    if isinstance(v, ast.JoinedStr) and all(isinstance(p, ast.Constant) for p in v.values):
        return "".join(p.value for p in v.values)
    return None


def _masked(value) -> str:
    """``value`` with each name of the old or new image masked."""
    return LEGACY_RE.sub("<IMAGE>", value.replace(FOUNDATION, "<IMAGE>")) if isinstance(value, str) else value


def _check(src: str, **switches) -> str:
    """migrate's answer for ``src`` (python_refs' ``switches`` set) held to CPython's values."""
    with attributes(refs, **switches):
        new, warnings, count = rewrite_python_bounded(src, "x.py")
    old_tree, new_tree = ast.parse(src), ast.parse(new)
    assert len(old_tree.body) == len(new_tree.body), (src, new)
    rewritten = 0
    for k, (old, now) in enumerate(zip(old_tree.body, new_tree.body)):
        before, after = _value_of(old), _value_of(now)
        image = isinstance(before, str) and LEGACY_RE.fullmatch(before) is not None
        code = ast.get_source_segment(src.replace("\r\n", "\n").replace("\r", "\n"), old)
        if image and not isinstance(old, ast.Expr) and "#" not in code:
            assert after == FOUNDATION, (src, new, code)
        elif image and not isinstance(old, ast.Expr):
            # A comment between parts: a part that is the image rewritten, or the join left, said.
            assert after == FOUNDATION or (after == before and warnings), (src, new, code)
        elif image and k:
            # A string alone on its line, not the module's first: libcst reads each statement that
            # names the image as a module of its own, where it is the docstring (left), unless a
            # statement before shares its line (python_refs; the whole file's codemod rewrites it).
            assert after in (before, FOUNDATION), (src, new, code)
        elif isinstance(before, str) and LEGACY_RE.search(before):
            # A message naming it: left, or (a part that is the image, `'see ' 'aishell:base'`)
            # changed in the image's names alone, as the codemod keeps a join's parts' rewrites.
            assert after == before or _masked(after) == _masked(before), (src, new, code)
        else:
            assert after == before, (src, new, code)
        rewritten += after != before
    assert count == rewritten, (src, new)
    return new


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(_sources())
def test_every_value_naming_the_image_is_rewritten_where_cpython_reads_it(src):
    """The plain path's and libcst's rewrites each hold to CPython's values, and are the same."""
    assert _check(src) == _check(src, FAST_LITERALS=False)


_BUILDS = "left an f-string that builds a name from aishell:base as it is"


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize(
    ("src", "join", "warnings"),
    [
        ('Y = \'aishell:\' \'base\'\n"""aishell:base"""\n', "'aishell:' 'base'", []),
        ("Y = 'aishell:' 'base'  # c\n\n'aishell:base is old'\n", "'aishell:' 'base'", []),
        ("Y = 'aishell:' \\\n  'base'\n'see aishell:base'\n", "'aishell:' \\\n  'base'", []),
        # In brackets, a join over lines (the run read as one join).
        ("Y = ['x',\n     'aishell'\n     ':base']\n'aishell:base-gpu'\n", "'aishell'\n     ':base'", []),
        ("def f():\n    return 'aishell:' 'base'\n'aishell:base-gpu'\n", "'aishell:' 'base'", []),
        # One literal on its line, its escapes or a replacement field naming the image.
        ("Y = 'aishell\\x3abase'\n'aishell:base-gpu'\n", "'aishell\\x3abase'", []),
        ("Y = f\"aishell:{'base'}\"\n'aishell:base-gpu'\n", None, [_BUILDS]),
    ],
)
def test_a_join_a_line_before_a_string_naming_the_image_is_rewritten(src, join, warnings, eol):
    """The issue's shapes: the join (or a literal whose escapes name the image) is rewritten, an
    f-string that builds the name is left with a warning, the string after each left as it was."""
    src = src.replace("\n", eol)
    want = (src.replace(join.replace("\n", eol), "'aishell:foundation'"), warnings, 1) if join else (src, warnings, 0)
    assert _answer(src) == want
    assert _answer(src, FAST_LITERALS=False) == want


def _answer(src: str, **switches):
    """rewrite_python_bounded's answer with python_refs' ``switches``."""
    with attributes(refs, **switches):
        return rewrite_python_bounded(src, "x.py")


def test_each_line_of_a_run_is_a_mention_where_it_names_the_image():
    """python_mention_starts: each statement's piece of a run that names the image is a mention
    (off, only the run's text holding the name is); and a comment's quotes between literals are
    not a literal's (`'aishell:'  # 'x'` then `'base'` in brackets joins to the image), with
    RUN_LINES on or off (images._run_parts)."""
    src = "Y = 'aishell:' 'base'\n'x'\n'aishell:' \"base\"\n\"\"\"aishell:base\"\"\"\n"
    starts = [src.index("'aishell:'"), src.index("'aishell:' \""), src.index('aishell:base"""')]
    assert images.python_mention_starts(src) == starts
    with attributes(images, RUN_LINES=False):
        assert images.python_mention_starts(src) == [starts[2]]  # (the run holds the name: no join of it is read)
    src = "Y = ('aishell:'  # 'x'\n     'base')\n"
    assert images.python_mention_starts(src) == [src.index("'aishell:'")]
    with attributes(images, RUN_LINES=False):
        assert images.python_mention_starts(src) == [src.index("'aishell:'")]
    # Nor is a comment's f-string: its field's code is no code (it was read as a join naming the image).
    assert images.python_mention_starts("X = ('x'  # f\"{'aishell:' 'base'}\"\n     'y')\n") == []
