"""Python shapes the plain path decides without libcst, which read them at 9 to 13 s a MB (issue 18,
"Linear by design"): statements sharing a line, bytes literals, implicit concatenations with an
f-string part. Each answer (text, warnings in the file's order, count, or the refusal) is the one
libcst gives, for every form generated here (tests/test_migrate_robust.py's _assert_fast_is_libcst).
Also: a join in an f-string's replacement field is found (it was not at all), and the warnings
come in the file's order (the plain path's came before libcst's)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aishell.images import python_mentions
from aishell.migrate import python_codemod as codemod
from aishell.migrate.python_refs import rewrite_python_bounded
from aishell.migrate.python_refs import MAX_DEPTH
from tests.test_migrate_robust import _JOIN_PLACES, LITERAL_PARTS, SETTINGS, _assert_fast_is_libcst, _deep


def _compiles(text: str) -> bool:
    try:
        compile(text, "x.py", "exec")
    except SyntaxError:
        return False
    return True


def _product_file(statements) -> str:
    return "\n".join(s for s in statements if _compiles(s)) + "\n"


def _cuts(text: str) -> list[list[str]]:
    """``text`` whole and cut in two at its colon, either side of it."""
    at = text.index(":")
    return [[text], [text[:at], text[at:]], [text[: at + 1], text[at + 1 :]]]


# -- statements sharing a line ----------------------------------------------------------------

# One-line statements: plain ones (rewritten, `+`, bytes, f-string joins) and ones libcst must
# read (an escape, a comment naming the image, a single f-string, a docstring-like expression).
_ON_A_LINE = [
    "x = 1",
    "pass",
    "import os",
    'I = "aishell:base"',
    "J = u'aishell:base'",
    'K = "aishell:base" + y',
    'L = b"aishell:base"',
    'M = "aishell:" "base"',
    'N = f"aishell:" "base"',
    'O = f"{x}" "aishell:base"',
    'P = "aishell\\x3abase"',
    "Q = 1  # aishell:base",
    'R = f"aishell:base"',
    '"aishell:base"',
    'S = "uses aishell:base"',
    'T = ["aishell:base", b"aishell:base", "aishell:base" + z]',
    'T2 = [[b"aishell:base"], B"aishell:base", ("aishell:base" + z, b"aishell:" b"base")]',  # (warnings in order)
    "U = f'{z}aishell:base'",
    "if z: V = 'aishell:base'",
    'W = "aishell:base-gpu"',
]


@SETTINGS
@given(
    st.lists(st.lists(st.sampled_from(_ON_A_LINE), min_size=1, max_size=4), min_size=1, max_size=4),
    st.sampled_from([0, 4096]),
)
def test_statements_sharing_a_line_are_decided_as_libcst_decides_them(lines, group):
    """Statements on one line are one range: libcst reads them together. The plain path takes
    the range when it takes each statement and every mention of the image in the range is a
    literal it read (`x = 1; y = "aishell:base"` on every line took libcst 9 s a MB)."""
    src = "\n".join("; ".join(line) for line in lines) + "\n"
    if not _compiles(src):
        return  # (`if z: V = ...` not first on its line: not Python)
    _assert_fast_is_libcst(src, group)


def test_every_pair_on_a_line_is_decided_as_libcst_decides_it():
    """The product the test above samples: each ordered pair of statements on one line."""
    src = _product_file(f"{a}; {b}" for a, b in itertools.product(_ON_A_LINE, repeat=2))
    _assert_fast_is_libcst(src, 4096)


# -- bytes literals ---------------------------------------------------------------------------

_BYTES_TEXTS = [
    "aishell:base",
    "docker.io/library/aishell:base",
    "aishell:base@sha256:" + "a" * 64,  # (the warning quotes 40 characters of the literal)
    "aishell:base-gpu",
    "uses aishell:base",
    "FROM aishell:base",
]


def _bytes_statements(prefixes, quotes, places, gaps):
    for text, prefix, q, place in itertools.product(_BYTES_TEXTS, prefixes, quotes, places):
        for pieces in _cuts(text):
            for gap in gaps if len(pieces) > 1 else [""]:
                joined = gap.join(f"{prefix}{q}{p}{q}" for p in pieces)
                yield place.format(f"({joined})" if "\n" in gap else joined)


def test_bytes_literals_are_decided_as_libcst_decides_them():
    """Left as they are, with libcst's warning, the literal (its first 40 characters) named,
    alone, cut into parts (a part naming the image: libcst's), beside a `+` (the bytes warning,
    not the `+` one), in every place; never as a docstring (libcst's). Each prefix in one place,
    then each place, quote and gap."""
    src = _product_file(
        [
            *_bytes_statements(["b", "B", "rb", "bR", "Rb"], ['"'], ["X = {}"], [" "]),
            *_bytes_statements(["b"], ['"', "'"], _JOIN_PLACES, [" ", "\n  ", " \\\n  ", "\t"]),
        ]
    )
    _assert_fast_is_libcst(src, 4096)


@SETTINGS
@given(
    st.lists(
        st.one_of(
            st.sampled_from(list(_bytes_statements(["b", "Rb"], ['"', "'"], _JOIN_PLACES, [" "]))),
            st.sampled_from(LITERAL_PARTS),
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from([0, 4096]),
)
def test_bytes_literals_among_other_statements_are_decided_as_libcst_decides_them(statements, group):
    src = "\n".join(statements) + "\n"
    if _compiles(src):
        _assert_fast_is_libcst(src, group)


# -- joins with an f-string part --------------------------------------------------------------

_F_TEXTS = [
    "aishell:base",
    "docker.io/library/aishell:base",
    "aishell:base-gpu",
    "uses aishell:base",
    "FROM aishell:base",
]
_F_PREFIXES = [("f", ""), ("", "f"), ("F", "u"), ("rf", "R"), ("f", "fR"), ("u", "F")]
# Placeholders (none, one, two) before the first part's text or after the second's, and the
# forms the plain path leaves to libcst (a conversion, a format spec, one naming the image,
# doubled braces).
_F_HOLES = ["", "{x}", "{x}{y}", "{x!r}", "{x:>4}", "{x:aishell:base}", "{{", "}}"]


def _fjoin_statements(texts, prefixes, holes, quotes, places, gaps):
    for text, (p1, p2), hole, q, place, gap in itertools.product(texts, prefixes, holes, quotes, places, gaps):
        for pieces in _cuts(text):
            pieces = pieces + [""] if len(pieces) == 1 else pieces  # (a join: two parts at least)
            for where in (0, 1) if hole else (0,):
                parts = list(pieces)
                parts[where] = hole + parts[where] if where == 0 else parts[where] + hole
                joined = gap.join(f"{p}{q}{t}{q}" for p, t in zip([p1, p2], parts))
                yield place.format(f"({joined})" if "\n" in gap else joined)


@pytest.mark.parametrize("place", ["X = {}", "X = {} + y"])
def test_fstring_joins_are_decided_as_libcst_decides_them(place):
    """A join with an f-string part (CPython: one JoinedStr) whose parts join to the image becomes
    one f-string of the new image in the first part's quotes; a part that is the image beside a
    placeholder is left with libcst's warning; a `+` side is left with its warning. Every cut,
    prefix pair and placeholder (a conversion, a format spec, doubled braces: libcst's)."""
    src = _product_file(_fjoin_statements(_F_TEXTS, _F_PREFIXES, _F_HOLES, ['"'], [place], [" "]))
    _assert_fast_is_libcst(src, 4096)


def test_fstring_joins_in_every_place_are_decided_as_libcst_decides_them():
    """Every place (a docstring, a part of another f-string: libcst's), quote and gap."""
    src = _product_file(
        _fjoin_statements(_F_TEXTS[:2], [("f", ""), ("", "f")], ["", "{x}"], ['"', "'"], _JOIN_PLACES, [" ", "\n    "])
    )
    _assert_fast_is_libcst(src, 4096)


@SETTINGS
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                list(_fjoin_statements(_F_TEXTS, _F_PREFIXES, _F_HOLES, ["'"], ["X = {}", "f({})"], [" "]))
            ),
            st.sampled_from(LITERAL_PARTS),
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from([0, 4096]),
)
def test_fstring_joins_among_other_statements_are_decided_as_libcst_decides_them(statements, group):
    src = "\n".join(statements) + "\n"
    if _compiles(src):
        _assert_fast_is_libcst(src, group)


def test_the_new_shapes_need_no_libcst_run(monkeypatch):
    """The benchmark's shapes (benchmarks/migrate_scale.py): libcst runs nowhere (an f-string that
    names nothing, beside them, needs none either)."""

    def no_libcst(command, code):
        raise AssertionError("libcst ran on " + code[:40])

    monkeypatch.setattr(codemod, "_transform", no_libcst)
    src = "".join(
        f'x{i} = f"{{y}}"; IMAGE_{i} = "aishell:base"\nB_{i} = b"aishell:base"\nJ_{i} = b"aishell:" b"base"\n'
        f'A_{i} = f"aishell:" "base"\nC_{i} = f"{{x}}" "aishell:base"\n'
        for i in range(10)
    )
    new, warnings, count = rewrite_python_bounded(src, "x.py")
    assert count == 20 and new.count("aishell:foundation") == 20
    assert (
        warnings
        == [
            'left a bytes literal that names aishell:base as it is: b"aishell:base"',
            "left a bytes literal that names aishell:base as it is (implicitly concatenated)",
            "left an implicitly concatenated string that mentions aishell:base as it is",
        ]
        * 10
    )


@pytest.mark.parametrize("shape", ["sum", "not", "unary"])
def test_a_deep_statement_the_plain_path_only_warns_about_is_measured(shape):
    """A statement the plain path rewrites holds the image, so its depth is not measured; one it
    only warns about (bytes, a join beside a placeholder) is, and when too deep for libcst it is
    left with libcst's path's warning for a deep statement, as there."""
    deep = _deep(shape, MAX_DEPTH + 40)
    src = "".join(
        f"X{i} = ({literal}, {deep})\n"
        for i, literal in enumerate(['b"aishell:base"', 'b"aishell:" b"base"', 'f"{x}" "aishell:base" "-gpu"'])
    )
    _assert_fast_is_libcst(src, 4096)
    assert (
        rewrite_python_bounded(src, "x.py")[1]
        == [
            "left a statement nested more than 300 levels deep that mentions aishell:base as it is"
            " (none of its literals is the image)"
        ]
        * 2  # (the join of the third is `aishell:base-gpu`: no literal names the image, nothing said)
    )


# -- a join in an f-string's replacement field --------------------------------------------------

_FIELDS = [
    'X = f"{{{}}}"',
    'X = f"a{{{}}}b{{y}}"',
    'X = f"{{x:{{{}}}}}"',  # (a format spec)
    'X = f"{{x!r:>{{{}}}}}"',
    "X = f'''{{f\"{{{}}}\"}}'''",  # (a nested f-string)
    'X = f"{{{} + y}}"',
    'X = f"{{g({}, z)}}"',
    'X = f"{{ {{1: {}}} }}"',
    'f"{{{}}}"',
    'X = f"{{{}}}" "tail"',
]


def _field_statements():
    for text, place, (p1, p2) in itertools.product(
        ["aishell:base", "docker.io/library/aishell:base", "aishell:base-gpu", "uses aishell:base"],
        _FIELDS,
        [("", ""), ("u", "r"), ("", "f")],
    ):
        for pieces in _cuts(text)[1:]:
            yield place.format(" ".join(f"{p}'{t}'" for p, t in zip([p1, p2], pieces)))


@pytest.mark.parametrize("statement", list(_field_statements()))
def test_a_join_in_a_replacement_field_is_found_and_decided_as_libcst_decides_it(statement):
    """`f"{'aishell:' 'base'}"` was never found (the finder read an f-string as one literal):
    the join in a replacement field (a format spec's, a nested f-string's) is decided as a join
    anywhere is, by the codemod reading the whole file: one literal of the new image when it
    joins to the image, left (with the codemod's warning, if any) otherwise."""
    src = statement + "\n"
    assert _compiles(src)
    if "aishell:base" in "".join(ch for ch in statement if ch not in "'\" "):
        assert python_mentions(src)
    assert rewrite_python_bounded(src, "x.py") == codemod.rewrite_python(src, "x.py"), src


def test_a_join_in_a_replacement_field_is_rewritten():
    src = "X = f\"{'aishell:' 'base'}\"\nY = f\"{x:{'aishell:' 'base'}}\"\n"
    assert rewrite_python_bounded(src, "x.py") == (
        "X = f\"{'aishell:foundation'}\"\nY = f\"{x:{'aishell:foundation'}}\"\n",
        [],
        2,
    )


# -- warnings in the file's order ---------------------------------------------------------------


def test_warnings_come_in_the_files_order(tmp_path):
    """The plain path's warnings (`+`, bytes) and libcst's (an f-string building a name, a join
    beside a comment) in the order their statements come; `migrate` prints them so (counted once
    each, by first appearance): they name no line, so the order is all that places them."""
    from tests.conftest import run_cli

    src = "A = f'{x}aishell:base'\nB = b'aishell:base'\nC = ('aishell:'  # c\n     'base')\nD = 'aishell:base' + y\n"
    new, warnings, count = rewrite_python_bounded(src, "x.py")
    assert count == 0 and new == src
    assert warnings == [
        "left an f-string that builds a name from aishell:base as it is",
        "left a bytes literal that names aishell:base as it is: b'aishell:base'",
        "left an implicitly concatenated string that joins to aishell:base as it is (a comment between its parts)",
        "left a string that `+` joins to another, mentioning aishell:base, as it is",
    ]
    (tmp_path / "w.py").write_text(src)
    r = run_cli("migrate", "--check", "w.py", cwd=tmp_path)
    said = [line.split("warning: ", 1)[1] for line in r.stderr.splitlines() if "warning: " in line]
    assert said == warnings, r.stderr


@pytest.mark.parametrize("shape", ["sum", "parens", "lists", "calls", "attrs", "not", "unary", "joins", "ors"])
def test_a_line_shorter_than_shallow_cannot_nest_max_depth_deep(shape):
    """python_refs.SHALLOW: a statement on one line shorter than it is never measured. Each
    level of libcst's tree (as _depth counts it) takes a character at least: the densest nesting
    of every shape, as long as SHALLOW allows, is far from MAX_DEPTH."""
    import ast

    from aishell.migrate import python_refs as refs

    units = {"joins": ('"a" ', '"a"'), "ors": ("a or ", "a")}
    for n in range(1, refs.SHALLOW):
        if shape in units:
            statement = "X = " + units[shape][0] * n + units[shape][1]
        else:
            statement = f"X = {_deep(shape, n)}"
        if len(statement.encode()) >= refs.SHALLOW:
            break
        node = ast.parse(statement).body[0]
        assert 1 + refs._depth(node, statement, refs._offsets(statement), {}) < refs.MAX_DEPTH // 2, statement


# -- a string holding a brace inside a replacement field ----------------------------------------

# Strings with braces of their own, in the field before the join, in a field before it, in an
# index, in a format spec: counted as the field's braces, they ended it early (or late) and the
# join after them was never read (`f"{'}' + ('aishell:' 'base')}"` was left as it was).
_BRACES = ["}", "{", "{}", "}}", "{{", "}{", "}}}"]
_BRACE_PLACES = [
    'X = f"{{{s} + ({j})}}"',
    'X = f"{{{s}}}{{{j}}}"',
    'X = f"{{d[{s}]}}{{{j}}}"',
    'X = f"{{x:{{{s}}}}}{{{j}}}"',
    'X = f"{{({s}, {j})}}" "tail"',
    "X = f'''{{{s2}}}{{{j}}}'''",
    'X = f"{{g({s}, {s}) or {j}}}"',
]


def _brace_statements():
    for brace, place, text in itertools.product(
        _BRACES, _BRACE_PLACES, ["aishell:base", "docker.io/library/aishell:base", "aishell:base-gpu"]
    ):
        for pieces in _cuts(text)[1:]:
            join = " ".join(f"'{t}'" for t in pieces)
            yield place.format(s=f"'{brace}'", s2=f'"{brace}"', j=join)


@pytest.mark.parametrize("statement", list(_brace_statements()))
def test_a_join_after_a_brace_in_a_string_in_a_field_is_found_and_decided_as_libcst_decides_it(statement):
    """A string in a replacement field is skipped whole when its braces are counted: the join
    after it is found (it was missed: the field ended at the string's `}`), and decided as the
    codemod reading the whole file decides it."""
    src = statement + "\n"
    assert _compiles(src), src
    assert python_mentions(src), src
    assert rewrite_python_bounded(src, "x.py") == codemod.rewrite_python(src, "x.py"), src


def test_a_join_after_a_brace_in_a_string_in_a_field_is_rewritten():
    src = "X = f\"{'{'}{'aishell:' 'base'}\"\nY = f\"{d['{']:{'aishell:' 'base'}}\"\nZ = f\"{'}'}\" f\"{'aishell:' 'base'}\"\n"
    # (X's and Z's f-strings join the image to more: left, with a warning each; Y's is a format
    # spec, an f-string of that placeholder alone.)
    new, warnings, count = rewrite_python_bounded(src, "x.py")
    assert new == src.replace("Y = f\"{d['{']:{'aishell:' 'base'}}", "Y = f\"{d['{']:{'aishell:foundation'}}")
    assert count == 1 and len(warnings) == 2 and all("joins to more" in w for w in warnings), warnings
