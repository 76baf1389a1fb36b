"""Pieces decided from their text (python_refs._plain_text): a statement naming the image on every
line in any expression (`X = "aishell:base" "" if f("aishell:" "base") else g(1)`) went to libcst,
5 s a MB (issue 18's "Linear by design"). Each answer (text, warnings in the file's order, count,
or the refusal and its message) is the tree's (PLAIN_TEXT off) and libcst's (FAST_LITERALS off),
for generated statements: joins cut anywhere, f-strings with nested quotes, conditional
expressions, calls, operators, brackets over lines, comments, continuations, every line end, a
BOM, non-ASCII text, tabs, blocks, docstrings."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aishell.migrate import python_refs as refs
from aishell.migrate.python_refs import rewrite_python_bounded
from tests.test_migrate_robust import SETTINGS, _alone_and_together

_TEXTS = ["aishell:base"] * 4 + ["docker.io/library/aishell:base", "aishell:base-gpu", "FROM aishell:base", "é"]
_PREFIXES = [""] * 6 + ["u", "r", "R", "b", "f", "F", "rf", "rb"]
_QUOTES = ['"', "'"] * 4 + ['"""']
_GAPS = [" ", "", "\t"] * 3 + [" \\\n  ", "  ", "\n  ", "  # c\n  "]
_FIELDS = ["{x}"] * 4 + ["{d['k']}", '{d["a" "b"]}', "{x!r}", "{{", "{x:>{w}}", "{'aishell:' 'base'}"]


@st.composite
def _literals(draw):
    """A run of literals: the image (or a text near it) cut anywhere, each part in its own prefix
    and quotes, f-string parts with fields of every kind, the gaps Python allows (and some it
    does not outside brackets)."""
    text = draw(st.sampled_from(_TEXTS))
    if draw(st.integers(0, 4)) == 0:
        text = draw(st.sampled_from(["", "x", "aishell:", "base", "-gpu", "aishell\\x3abase", "a'b"]))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=2)))
    pieces = [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)])]
    bytes_ = draw(st.integers(0, 7)) == 0
    parts = []
    for piece in pieces:
        prefix = draw(st.sampled_from(_PREFIXES))
        if draw(st.integers(0, 9)) and ("b" in prefix.lower()) != bytes_:  # (mostly a kind a join allows)
            prefix = "b" if bytes_ else ""
        if "f" in prefix.lower() and draw(st.integers(0, 2)) == 0:
            at = draw(st.integers(0, len(piece)))
            piece = piece[:at] + draw(st.sampled_from(_FIELDS)) + piece[at:]
        q = draw(st.sampled_from(_QUOTES))
        if q in piece:
            q = "'''" if q == '"""' else ('"' if q == "'" else "'")
        parts.append(prefix + q + piece + q)
    return parts[0] + "".join(draw(st.sampled_from(_GAPS)) + p for p in parts[1:])


_ATOMS = ["x", "y", "1", "None", "f(x)", "d['k']", "é", "'t'", "(a, b)"]
_BINARY = [" + ", "+", " - ", " * ", " % ", " == ", " != ", " < ", " << ", " and ", " or ", " in ", " is ", " not in "]


@st.composite
def _expression(draw, depth=2):
    kind = draw(st.integers(0, 12 if depth else 3))
    if kind <= 2:
        return draw(_literals())
    if kind == 3:
        return draw(st.sampled_from(_ATOMS))
    inner = [draw(_expression(depth - 1)) for _ in range(2)]
    a, b = inner
    if kind == 4:
        return f"{a} if {b} else {draw(_expression(depth - 1))}"
    if kind == 5:
        return draw(st.sampled_from(["f", "g.h", "_", "match", "print", "type", "f"])) + f"({a}, {b})"
    if kind == 6:
        return f"{a}{draw(st.sampled_from(_BINARY))}{b}"
    if kind == 7:
        o, c = draw(st.sampled_from(["()", "[]", "{}", "()", "[]"]))
        return o + draw(st.sampled_from(["", "", "\n    "])) + a + draw(st.sampled_from(["", "", ",", "\n"])) + c
    if kind == 8:
        return f"{a}{draw(st.sampled_from(['.lower()', '[0]', '(1)', ' .x']))}"
    if kind == 9:
        return draw(st.sampled_from(["not ", "-", "+", "~", "lambda: ", "lambda v=1: "])) + a
    if kind == 10:
        return "{" + a + ": " + b + "}"
    if kind == 11:
        return f"f(k={a}, j = {b})"
    return f"[{a} for v in {b} if v]"


@st.composite
def _statement(draw):
    e = draw(_expression())
    shape = draw(st.integers(0, 12))
    if shape <= 5:
        s = draw(st.sampled_from(["X", "Y1", "é", "x.y", "d['k']", "X: int", "X = Y"])) + draw(
            st.sampled_from([" = ", "=", "\t=\t", " = "])
        )
        s += e if draw(st.integers(0, 5)) else f"(Z := {e})"
    elif shape == 6:
        s = e  # (a statement of its own: the module's docstring when first)
    elif shape == 7:
        s = "def fn():\n    " + draw(st.sampled_from(["", "return ", '"""doc"""\n    return ', "x = 1\n    "])) + e
    elif shape == 8:
        s = draw(st.sampled_from(["if ", "while ", "assert ", "for v in "])) + e + ": pass"
        if draw(st.booleans()):
            s = draw(st.sampled_from(["if x: ", "def fn(): ", "class C: "])) + e
    elif shape == 9:
        s = "class C:\n    " + e
    elif shape == 10:
        s = f"X = 1; Y = {e}"
    elif shape == 11:
        s = f"X = {e} \\\n    + y"
    else:
        s = f"@deco({e})\ndef fn(): pass"
    if draw(st.integers(0, 4)) == 0:
        s += draw(st.sampled_from(["  # c", "  # aishell:base", "\t# é", " ;"]))
    return s


def _source(draw_lines, eol: str, bom: str) -> str:
    return bom + eol.join(line.replace("\n", eol) for line in draw_lines) + eol


def _answers(src: str) -> tuple:
    tree, text = _alone_and_together(src, {"PLAIN_TEXT": False}, {"PLAIN_TEXT": True})
    return tree, text


@SETTINGS
@given(st.lists(_statement(), min_size=1, max_size=6), st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"]), st.booleans())
def test_pieces_are_decided_as_the_tree_and_libcst_decide_them(lines, eol, bom):
    """Every generated statement, among others: the text's answer is the tree's, and libcst's."""
    src = _source(lines, eol, "\ufeff" if bom else "")
    tree, text = _answers(src)
    assert text == tree, src
    libcst, fast = _alone_and_together(src, {"FAST_LITERALS": False}, {"FAST_LITERALS": True})
    assert fast == libcst, src


@SETTINGS
@given(st.lists(_statement(), min_size=1, max_size=12))
def test_pieces_among_plain_lines_are_decided_as_the_tree_decides_them(lines):
    """The same between lines that name the image on every line (each piece then holds several
    statements, a run before and after): the text's answer is the tree's."""
    plain = 'I = "aishell:base"\nJ = f("aishell:" "base") if z else "aishell:base" ""\n'
    src = plain + "\n".join(line + "\n" + plain for line in lines)
    tree, text = _answers(src)
    assert text == tree, src


# The neighbours _context reads, each next to a literal that is rewritten, warned about or left,
# in a piece with lines that are decided from the text: each must give the tree's answer.
_PLACES = [
    "X = {}",
    "X = ({})",
    "X = (({}))",
    "X = ({}) + y",
    "X = y + {}",
    "X = {} + y",
    "X = {} +y * 2",
    "X = {} - y",
    "X = {} * 2",
    "X = {} % y",
    "X = {} << y",
    "X = {} < y",
    "X = {} <= y",
    "X = {} == y",
    "X = {} != y",
    "X = -{}",
    "X = -{} + y",
    "X = y - {}",
    "X = y - {} + z",
    "X = y * {} + z",
    "X = y << {} + z",
    "X = +{}",
    "X = not {} + y",
    "X = {} if y else z",
    "X = y if {} else z",
    "X = y if z else {}",
    "X = y if z else {} + w",
    "X = [{} for v in w]",
    "X = {{{}: 1}}",
    "X = {{1: {}}}",
    "X = d[{}]",
    "X = d[{}:]",
    "X = {}.lower()",
    "X = {}[0]",
    "X = {}(1)",
    "X = {} .x",
    "X = f({}, k={})",
    "X = f(\n    {},\n)",
    "X = f({}\n    + y)",
    "X = f(k={}\n    )",
    "X = return_({})",
    "X = print({}) + y",
    "X = [\n{}]",
    "X = (\n{} + y)",
    "X = lambda v={}: v",
    "X = lambda: {}",
    "X = await_ in {}",
    "X = y, {}",
    "X = y or {} and z",
    "X = {} is y",
    "X = y is not {}",
    "X = {} not in y",
    "X = {} in y",
    "X = {} ; Y = 1",
    "X = {}  # c",
    "X = {} \\\n  + y",
    "X = (y := {})",
    "X: {} = 1",
    "X = z[y](\n)({})",
    "assert {}, {}",
    "if {}: pass",
    "while {} + y: pass",
    "match {}:\n    case {}: pass",
    "match ({}) + y:\n    case _: pass",
    "for v in {}: pass",
    "{}",
    "({})",
    "({}).x",
    "def fn():\n    {}",
    "def fn(): {}",
    "class C: {}",
    "if x: {}",
    "X = lambda: {} + y",
    "def fn():\n    return {}",
    "def fn():\n    return ({}\n    + y)",
    "def fn(v={}): pass",
    "async def fn():\n    return await {} + y",
    "class C:\n    {}",
    "@deco({})\ndef fn(): pass",
    "é = {}",
    "X = é({})",
    "X = {}; Y = {} + y",
    "if x: Y = {}",
    "X = b'a' + {}",
    'X = """\nY = {}\n"""',
]
_RUNS = [
    '"aishell:base"',
    '"aishell:base" ""',
    "'aishell:' \"base\"",
    '"aishell:base" "-gpu"',
    'b"aishell:base"',
    'b"aishell:base" b""',
    'f"aishell:" "base"',
    'f"{x}" "aishell:base"',
    'u"aishell:base" r""',
    '"aishell:base" "@sha256:' + "a" * 64 + '"',
    '"docker.io/library/" "aishell:base"',
]


@pytest.mark.parametrize("place", _PLACES)
def test_every_place_is_decided_as_the_tree_decides_it(place):
    """Each place, each run (one file per place: a piece the text does not decide goes to the
    tree whole), after and before lines the text decides."""
    plain = 'I = "aishell:base" "" if f("aishell:" "base") else g(1)\n'
    statements = []
    for run in _RUNS:
        statement = place.replace("{}", run).replace("{{", "{").replace("}}", "}")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # (`"x"(1)`: a SyntaxWarning)
                compile(statement, "x.py", "exec")
        except SyntaxError:
            continue
        statements.append(statement)
    # (Apart: one piece the text does not decide would hide the others.)
    for src in (plain + "\nn = 0\n".join(statements) + "\n" + plain, "\n".join(statements) + "\n"):
        tree, text = _answers(src)
        assert text == tree, src


@pytest.mark.parametrize(
    "line",
    [
        "X = f(" + " ".join(['b""'] * 400) + ' b"aishell:base")',
        "X = " + "a and " * 400 + '"aishell:base" "-gpu"',
        "X = " + "a and " * 400 + 'b"aishell:base" b""',
        "X = f(" + " ".join(['b""'] * 400) + ' b"aishell:base") + f("aishell:base" "")',
        "X = " + "a and " * 40 + '"aishell:base" "-gpu"',
        'X = f(\n"aishell:base" "-gpu",\n' + "a and " * 400 + "a)",
        'X = "aishell:base" "-gpu" if f(\n' + "a and " * 400 + "a) else 1",
    ],
)
def test_a_deep_statement_that_only_warns_is_measured(line):
    """A statement whose literals only warn is measured by the tree (too deep for libcst, it is
    left with a warning of its own): the text decides it only on a line shorter than SHALLOW."""
    plain = 'I = "aishell:base" "" if f("aishell:" "base") else g(1)\n'
    src = plain + line + "\n" + plain
    tree, text = _answers(src)
    assert text == tree, src


def test_the_red_teams_shape_builds_no_tree(monkeypatch):
    """benchmarks/migrate_scale.py's shape of a statement libcst rewrote on every line: no tree
    (_collect walks none), no libcst, and the answer libcst gives."""
    from aishell.migrate import python_codemod as codemod

    src = "".join(f'X{i} = "aishell:base" "" if f("aishell:" "base") else g({i})\n' for i in range(300))
    libcst = _alone_and_together(src, {"FAST_LITERALS": False}, {})[0]

    def no_tree(*args):
        raise AssertionError("a tree was walked")

    def no_libcst(*args):
        raise AssertionError("libcst ran")

    monkeypatch.setattr(refs, "_collect", no_tree)
    monkeypatch.setattr(codemod, "_transform", no_libcst)
    assert rewrite_python_bounded(src, "x.py") == libcst
    assert libcst[2] == 600 and "aishell:base" not in libcst[0]
