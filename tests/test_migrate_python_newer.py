"""Python that CPython 3.11 (which runs aishell) refuses and libcst reads: Python 3.12's syntax
(issue 18). `type X = int`, `def f[T](x: T)`, `class C[T]:` and f-strings that nest their own
quotes or hold a backslash or a comment in a placeholder made a file naming `aishell:base`
"not valid Python" (exit 2, nothing migrated). Now libcst reads such a file, statement by
statement as CPython's tree is read otherwise.

The oracle: a file is the statements it joins, and each is rewritten as it is alone; a statement
CPython reads gets the answer the CPython path gives it alone (tested elsewhere), a newer one the
answer this table gives. The bytes outside the literals are kept, and the result parses with
libcst. A file neither parser reads is one line; one libcst's parser crashes on is one line.
"""

from __future__ import annotations

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.errors import InputError
from aishell.images import LEGACY
from aishell.migrate.python_refs import MAX_LIBCST_CHARS, rewrite_python_bounded
from tests.conftest import run_cli

_BUILDS = f"left an f-string that builds a name from {LEGACY} as it is"
_JOINED = f"left an implicitly concatenated string that mentions {LEGACY} as it is"

# (statement, as rewritten, warnings): each is Python 3.12 that CPython 3.11 refuses.
NEWER = [
    ("type X = int\n", None, []),
    ('type Image = Literal["aishell:base"]\n', 'type Image = Literal["aishell:foundation"]\n', []),
    ("type Pair[T] = tuple[T, T]\n", None, []),
    ("def f[T](x: T) -> T:\n    return x\n", None, []),
    (
        'def f[T](x: T = "aishell:base") -> T:\n    return x\n',
        'def f[T](x: T = "aishell:foundation") -> T:\n    return x\n',
        [],
    ),
    (
        'def f[T: str](x: T) -> list[T]:\n    """Runs aishell:base."""\n    return ["aishell:base"]\n',
        'def f[T: str](x: T) -> list[T]:\n    """Runs aishell:base."""\n    return ["aishell:foundation"]\n',
        [],
    ),
    ('class C[T]:\n    image = "aishell:base"\n', 'class C[T]:\n    image = "aishell:foundation"\n', []),
    (
        '@dataclass\nclass D[*Ts, **P]:\n    image: str = "aishell:base"\n',
        '@dataclass\nclass D[*Ts, **P]:\n    image: str = "aishell:foundation"\n',
        [],
    ),
    ('x = f"{"aishell:base"}"\n', 'x = f"{"aishell:foundation"}"\n', []),
    ("x = f'{'aishell:base'}'\n", "x = f'{'aishell:foundation'}'\n", []),
    ('x = f"{"\\n".join(["aishell:base", "b"])}"\n', 'x = f"{"\\n".join(["aishell:foundation", "b"])}"\n', []),
    (
        'x = f"{  # a comment naming aishell:base\n    "aishell:base"}"\n',
        'x = f"{  # a comment naming aishell:base\n    "aishell:foundation"}"\n',
        [],
    ),
    ('x = f"{f"{f"{"aishell:base"}"}"}"\n', 'x = f"{f"{f"{"aishell:foundation"}"}"}"\n', []),
    ('x = f"aishell:base{"x"}"\n', None, [_BUILDS]),
    ('x = f"{"aishell:base" "-gpu"}"\n', None, [_JOINED]),
    ('f"{"aishell:base"}"\n', 'f"{"aishell:foundation"}"\n', []),
]
# Statements CPython reads (the python migrate cases: rewritten, left, warned about, a docstring,
# a comment, a Dockerfile in a string, joins), answered by the CPython path alone.
OLDER = [
    'IMAGE = "aishell:base"\n',
    "v = r'aishell:base'\n",
    'v = f"aishell:base"\n',
    'w = "aishell:base is gone"\n',
    'w = b"aishell:base"\n',
    'w = "aishell:base" "-custom"\n',
    'w = f"{x}aishell:base"\n',
    'x = ("aishell:" "base")\n',
    'y = "aishell:base" + tag\n',
    '"""A docstring naming aishell:base."""\n',
    "# aishell:base in a comment\n",
    'def g():\n    return ["docker", "run", "aishell:base"]\n',
    'D = """FROM aishell:base\nRUN echo hi\n"""\n',
    "pass\n",
    "z = ('a'\n     'b')\n",
]
SETTINGS = settings(max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def _alone(statement: str) -> tuple[str, list[str], int]:
    for text, new, warnings in NEWER:
        if text == statement:
            return new or text, warnings, int(new is not None)
    return rewrite_python_bounded(statement, "x.py")


@SETTINGS
@given(
    older=st.lists(st.sampled_from(OLDER), max_size=5),
    newer=st.lists(st.sampled_from([n for n, _, _ in NEWER]), min_size=1, max_size=3),
    order=st.randoms(use_true_random=False),
    eol=st.sampled_from(["\n", "\r\n", "\r"]),
    bom=st.sampled_from(["", "\ufeff"]),
)
def test_a_file_with_newer_syntax_is_each_statement_rewritten_as_alone(older, newer, order, eol, bom):
    statements = older + newer
    order.shuffle(statements)
    answers = [_alone(s) for s in statements]
    source = bom + "".join(s.replace("\n", eol) for s in statements)
    if LEGACY not in source:
        source += 'IMAGE = "aishell:base"\n'.replace("\n", eol)
        answers.append(('IMAGE = "aishell:foundation"\n', [], 1))
    new, warnings, count = rewrite_python_bounded(source, "x.py")
    assert new == bom + "".join(a[0].replace("\n", eol) for a in answers)
    assert warnings == [w for a in answers for w in a[1]]
    assert count == sum(a[2] for a in answers)
    cst.parse_module(new.lstrip("\ufeff"))  # (still Python, as libcst reads it)


def test_migrate_check_and_write_a_file_with_newer_syntax(project):
    source = "".join(n for n, _, _ in NEWER)
    py = project.write("app/newer.py", source)
    r = run_cli("migrate", "--check", py)
    assert r.returncode == 1 and "newer.py" in r.stdout + r.stderr and "not valid Python" not in r.stderr
    r = run_cli("migrate", "--write", py)
    assert r.returncode == 0, r.stderr
    assert py.read_text() == "".join(new or text for text, new, _ in NEWER)
    cst.parse_module(py.read_text())


@pytest.mark.parametrize(
    "source,line",
    [
        ("type X = = int\nI = 'aishell:base'\n", 1),
        ("type X = int\nI = ('aishell:base'\n", 1),  # (CPython stops at line 1)
        ('x = f"{"aishell:base"\n', 1),
    ],
)
def test_a_file_neither_parser_reads_is_cpythons_one_line(source, line):
    with pytest.raises(InputError) as e:
        rewrite_python_bounded(source, "bad.py")
    assert str(e.value).startswith(f"bad.py: not valid Python (line {line}: ") and "\n" not in str(e.value)


def test_a_newer_file_libcst_crashes_on_is_one_line_and_the_others_are_migrated(project):
    """libcst's parser dies (SIGSEGV) on an expression of 10,000 terms; with no CPython tree to
    measure its depth first, it runs in a child process: one line, the run goes on."""
    deep = project.write("deep.py", "type X = int\nI = 'aishell:base'\nJ = " + "a and " * 10_000 + "b\n")
    good = project.write("good.py", 'class C[T]:\n    image = "aishell:base"\n')
    r = run_cli("migrate", "--write", deep, good)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("aishell:")]
    assert len(lines) == 1 and "deep.py: not valid Python (line 1: " in lines[0] and "libcst" in lines[0], lines
    assert good.read_text() == 'class C[T]:\n    image = "aishell:foundation"\n'


def test_a_newer_file_too_large_for_libcst_is_one_line():
    source = "type X = int\nI = 'aishell:base'\n" + "# pad\n" * (MAX_LIBCST_CHARS // 6 + 1)
    with pytest.raises(InputError, match=r"not valid Python \(line 1: .*libcst.*trusted with"):
        rewrite_python_bounded(source, "big.py")


def test_the_equivalence_check_reads_libcst_s_tree_where_cpython_has_none():
    """black's check (the result's tree is the original's but for the image names) on newer Python:
    libcst's tree with each known string value masked. A rewrite that changes anything else is refused."""
    from aishell.migrate.python_codemod import _masked_dump

    old = 'type X = Literal["aishell:base"]\nx = f"{"aishell:" "base"}" + ("aishell:base")\n'
    assert _masked_dump(old).startswith("libcst: ")
    assert _masked_dump(old) == _masked_dump(old.replace('"aishell:base"', '"aishell:foundation"'))
    assert _masked_dump(old) == _masked_dump(old.replace('"aishell:" "base"', '"aishell:foundation"'))
    for changed in (old.replace("Literal", "Final"), old.replace('"aishell:base"', '"aishell:other"'), old + "y = 1\n"):
        assert _masked_dump(old) != _masked_dump(changed), changed


# -- literals joined to the image inside a placeholder that nests its f-string's quotes -------------
# `f"{"aishell:" "base"}"` is Python 3.12 only (CPython 3.11 reads `f"{"` as a whole f-string), and
# images.python_mention_starts, which reads strings as 3.11 does, saw no name in the file: it was
# "nothing to migrate". The class: the name cut into parts anywhere, each part in either quote,
# the placeholder in an f-string of either quote (nested once more or not), with text around.


@st.composite
def nested_joins(draw):
    name = draw(st.sampled_from([LEGACY, LEGACY + "d", "aishell:bas"]))  # (the name, and two that are not)
    cuts = sorted(draw(st.sets(st.integers(1, len(name) - 1), min_size=1, max_size=2)))
    pieces = [name[a:b] for a, b in zip([0, *cuts], [*cuts, len(name)])]
    outer = draw(st.sampled_from(['"', "'"]))
    parts = " ".join(q + p + q for p, q in zip(pieces, draw(st.lists(st.sampled_from(['"', "'"]), min_size=3))))
    field = "{" + parts + "}"
    if draw(st.booleans()):
        field = "{f" + outer + field + outer + "}"  # (a placeholder in a placeholder: same quotes again)
    text = draw(st.sampled_from(["", "image: ", "{x} "]))
    return name, text, f"x = 1\ny = f{outer}{text}{field}{outer}\n"


@settings(max_examples=200, deadline=None)
@given(case=nested_joins())
def test_parts_joined_to_the_image_inside_a_placeholder_are_rewritten(case):
    name, text, source = case
    try:
        new, warnings, count = rewrite_python_bounded(source, "a.py")
    except InputError as e:
        assert "not valid Python" not in e.message, (source, e.message)
        raise
    cst.parse_module(new)
    if name == LEGACY and not text:
        assert count == 1 and "aishell:foundation" in new, (source, new)
    else:
        assert new == source, (source, new)
    if name == LEGACY and text:  # (the f-string joins the image to more: left, and said)
        assert any(LEGACY in w for w in warnings), (source, warnings)
