"""Runs of plain lines decided from the text (python_refs._plain_run): a file naming the image on
every line spent most of its time building CPython's tree of each statement and walking it (5 to
8 s at 10 MB, issue 18's "Linear by design"). Each answer (text, warnings in the file's order,
count, or the refusal) is the one the tree gives (PLAIN_RUNS off), itself held to libcst's by
tests/test_migrate_robust.py and tests/test_migrate_python_shapes.py, for lines of the run's
grammar and the lines next to it that are not: keywords, bytes beside a str, a long `+` chain or a
long number (CPython refuses both), triple quotes, a mention in a comment, a line long enough to
be measured."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aishell.migrate import python_refs as refs
from aishell.migrate.python_refs import rewrite_python_bounded
from tests.test_migrate_robust import SETTINGS, _alone_and_together

_TEXTS = ["aishell:base", "docker.io/library/aishell:base", "aishell:base-gpu", "FROM aishell:base", "x", "", "é"]
_NAMES = ["IMAGE", "x", "_", "match", "type", "rb", "f", "T1", "if", "None", "__debug__", "lambda", "é"]
_NUMBERS = ["0", "1", "42", "007", "1.5", "1_0", "2j", "9" * 20, "9" * 5000]
_PREFIXES = ["", "", "", "u", "U", "r", "R", "b", "B", "rb", "bR", "f", "F", "rf", "fR", "ub", "fb", "bu"]
_QUOTES = ['"', "'", '"', "'", '"""']
_GAPS = [" ", "", "\t", "  "]
_BRACKET_GAPS = [" ", "", "\n    ", "\n\n", "\t", "  # c\n  ", " \\\n  "]
_COMMENTS = ["  # c", "  # aishell:base", "#", "  # it's \"aishell:\" 'base'", " ;", "\x0c# c"]
_LINE_TWISTS = ["    ", "\x0c", "if x: ", "print(1)\n", '"""doc"""\n', "@d\n", "else: ", "X = (\n"]


@st.composite
def _literals(draw):
    """Plain literals joined (the image cut anywhere), with the spellings the run must not take."""
    text = draw(st.sampled_from(_TEXTS + ["aishell:base"] * 4 + ["{x}", "a{if}b", "{y}aishell:", "}", "a'b", "a\\b"]))
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(text) - 1)), max_size=2))) if len(text) > 1 else []
    pieces = [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)])]
    bytes_ = draw(st.booleans()) and draw(st.booleans())
    parts = []
    for piece in pieces:
        prefix = draw(st.sampled_from(_PREFIXES))
        if draw(st.integers(0, 9)) and ("b" in prefix.lower()) != bytes_:  # (mostly: a kind a join allows)
            prefix = "b" if bytes_ else ""
        q = draw(st.sampled_from(_QUOTES))
        parts.append(prefix + q + piece + q)
    if draw(st.integers(0, 3)) == 0:
        inner = parts[0] + "".join(draw(st.sampled_from(_BRACKET_GAPS)) + p for p in parts[1:])
        return "(" + draw(st.sampled_from(["", "\n  ", " "])) + inner + draw(st.sampled_from(["", "\n", " "])) + ")"
    return parts[0] + "".join(draw(st.sampled_from(_GAPS)) + p for p in parts[1:])


@st.composite
def _value(draw):
    kind = draw(st.integers(0, 9))
    if kind < 7:
        return draw(_literals())
    return draw(st.sampled_from(_NAMES if kind < 9 else _NUMBERS))


@st.composite
def _line(draw):
    statements = []
    for _ in range(draw(st.integers(1, 3))):
        values = [draw(_value()) for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3])))]
        sep = draw(st.sampled_from([" + ", "+", " - ", " * "]))
        if draw(st.integers(0, 20)) == 0:
            values += ["a"] * draw(st.sampled_from([8, 12, 3000]))  # (a long chain: CPython refuses 3,000)
        target = draw(st.sampled_from(_NAMES[:8] * 3 + _NAMES))
        statements.append(target + draw(st.sampled_from([" = ", "=", "\t=  ", " == ", " += "])) + sep.join(values))
    line = draw(st.sampled_from(["; ", ";", " ; "])).join(statements)
    if draw(st.integers(0, 5)) == 0:
        line += draw(st.sampled_from(_COMMENTS))
    if draw(st.integers(0, 12)) == 0:
        line += " " * 70 + "# long enough to be measured"
    if draw(st.integers(0, 15)) == 0:
        line = draw(st.sampled_from(_LINE_TWISTS)) + line
    return line


def _assert_runs_are_the_trees(src: str) -> None:
    tree, runs = _alone_and_together(src, {"PLAIN_RUNS": False}, {"PLAIN_RUNS": True})
    assert runs == tree, src


@SETTINGS
@given(st.lists(_line(), min_size=1, max_size=8), st.sampled_from(["\n", "\n", "\r\n"]), st.booleans())
def test_runs_of_plain_lines_are_decided_as_the_tree_decides_them(lines, eol, final):
    """Every generated line, among others of the run's grammar or not: the run's answer (text,
    warnings in order, count, or the refusal and its message) is the tree's."""
    _assert_runs_are_the_trees(eol.join(lines) + (eol if final else ""))


# Each line the run must leave to the tree (or take as the tree takes it), between plain lines
# that name the image, so that a run reaches it.
_NEXT_TO_A_RUN = [
    'if = "aishell:base"',
    'None = "aishell:base"',
    '__debug__ = "aishell:base"',
    'X = b"aishell:" "base"',
    'X = "aishell:" b"base"',
    'X = b"é aishell:base"',
    'X = f"{if}aishell:base"',
    'X = f"{if}" "aishell:base"',
    'X = f"{None}"; Y = "aishell:base"',
    'X = f"{lambda}"; Y = "aishell:base"',
    'X = f"{None}" "aishell:base"',
    'X = """aishell:base"""',
    "X = \"\"'aishell:base'",
    'X = "aishell:base"  # aishell:base',
    "X = 'aishell:' \"base\"  # aishell:base",
    'X = "aishell:" + "base"',
    'X = y + "aishell:base" + z',
    'X = ("aishell:"\n    "base") + y',
    'X = ("aishell:"  # c\n    "base")',
    'X = b"aishell:base"' + " " * 70,
    'X = (b"aishell:"\n  b"base")',
    'X = "see aishell:base"; Y = "aishell:base"',
    "X = 007; Y = 'aishell:base'",
    "X = " + "9" * 5000 + "; Y = 'aishell:base'",
    "X = " + "+".join(["a"] * 3000) + "; Y = 'aishell:base'",
    "X = " + "+".join(["a"] * 3000),
    'X = "aishell:base"\n    ',
    'X = "aishell:base"\n  Y = 1',
    'X = "aishell:base"\nelse: pass',
    'X = "aishell:base"\x0c',
    'X = "FROM aishell:base"',
    'X = f"aishell:base"',
    "X = f'{x}' 'aishell:base' f'{y}'",
    'X = "aishell:" "base" "-gpu"',
    'X = "aishell:base" "aishell:base"',
    '"aishell:base"',
    'X = "aishell:"\n"base"',
    "X = u'aishell:' R'base'",
    # Joins of more parts than libcst nests deep (MAX_DEPTH): measured by the tree when a
    # mention is not read (a comment) or the line only warns (bytes), and then refused or left.
    "X = " + " ".join(['""'] * 400) + ' "aishell:" "base"  # aishell:base',
    "X = " + " ".join(['b""'] * 400) + ' b"aishell:base"',
    "X = " + " ".join(['b""'] * 400) + ' b"aishell:" b"base"',
    "X = " + " ".join(['""'] * 400) + ' "aishell:base"',
]


@pytest.mark.parametrize("line", _NEXT_TO_A_RUN)
def test_lines_next_to_a_run_are_decided_as_the_tree_decides_them(line):
    """Each spelling the run must not take (not Python, a mention it does not read, a literal
    libcst decides, a line to measure) or takes only as the tree does, after, before and between
    plain lines that name the image."""
    plain = "".join(f'I{i} = "aishell:base"\nJ{i} = b"aishell:" b"base"\n' for i in range(3))
    for src in (line + "\n" + plain, plain + line + "\n", plain + line + "\n" + plain, plain + line):
        _assert_runs_are_the_trees(src)


def test_the_benchmark_shapes_are_runs(monkeypatch):
    """benchmarks/migrate_scale.py's Python shapes naming the image on every line build no tree
    (_collect walks none), and give the tree's answer."""
    shapes = [
        lambda i: f'IMAGE_{i} = "aishell:base"\n',
        lambda i: f"IMAGE_{i} = ('aishell:'\n    \"base\")\nTAG_{i} = 'aishell:base' + T{i}\n",
        lambda i: f'x{i} = 1; IMAGE_{i} = "aishell:base"\n',
        lambda i: f'B_{i} = b"aishell:base"\nJ_{i} = b"aishell:" b"base"\n',
        lambda i: f'A_{i} = f"aishell:" "base"\nB_{i} = f"{{x}}" "aishell:base"\n',
    ]
    for shape in shapes:
        src = "".join(shape(i) for i in range(300))
        tree = rewrite_python_bounded(src, "x.py")

        def no_tree(*args):
            raise AssertionError("a tree was walked")

        with monkeypatch.context() as m:
            m.setattr(refs, "_collect", no_tree)
            assert rewrite_python_bounded(src, "x.py") == tree


def test_a_run_stays_linear():
    """A run is read once: 20,000 lines in well under a second (the tree's path took about 1 s)."""
    import time

    src = "".join(f'x{i} = 1; IMAGE_{i} = "aishell:base"; B{i} = b"aishell:" b"base"\n' for i in range(20_000))
    t = time.process_time()
    new, warnings, count = rewrite_python_bounded(src, "x.py")
    assert count == 20_000 and len(warnings) == 20_000
    assert time.process_time() - t < 10
