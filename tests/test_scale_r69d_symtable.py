"""Growth guard for r69d's function-scope shape (benchmarks/scale.py, function_scopes): CPython
3.11 builds a function's symbol table in time quadratic in its size, and migrate checked the
statements before a mention with it (python_refs._accepts: 28.7 s for one function of 20,000
lambdas, 538 KB). Over SYMTABLE_MAX_CHARS, ast.parse decides (linear)."""

from __future__ import annotations


import pytest

from aishell.migrate import python_refs
from aishell.migrate.python_refs import _accepts, rewrite_python_bounded
from tests.growth import guard

from tests.bench_scale import scale


def _source(size: int) -> str:
    return scale.function_scopes(size)[1]["scopes.py"]


def test_one_large_function_stays_linear():
    """33 KB and 16 times that (538 KB, 20,000 lambdas: 28.7 s when the symbol table read it)."""

    def migrate(n: int) -> None:
        assert rewrite_python_bounded(_source(n), "s.py")[2] == 1

    guard(migrate, 33_000)


TEXTS = [
    "def f(a, a): pass\n",  # the table refuses a duplicate argument; the parser does not
    "def f():\n    x = 1\n    global x\n",  # a misplaced global: the same
    "def f(:\n",  # neither parses
    "x = [\n",
    "nonlocal x\n",
    "class A:\n    def m(self):\n        return [y for y in self]\n",
    "def f():\n" + "".join(f"    x{i} = lambda: x{i}\n" for i in range(600)),  # over SYMTABLE_MAX_CHARS
    "def f():\n" + "".join(f"    x{i} = lambda: x{i}\n" for i in range(600)) + "    return x0(\n",
    "def f():\n" + "".join(f"    x{i} = lambda: x{i}\n" for i in range(600)) + "def g(a, a): pass\n",
]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_the_answer_does_not_depend_on_the_size_bound(text, monkeypatch):
    """_accepts answers as ast.parse does whichever reads it: the table only says yes sooner."""
    monkeypatch.setattr(python_refs, "SYMTABLE_MAX_CHARS", 1 << 30)
    with_table = _accepts(text)
    monkeypatch.setattr(python_refs, "SYMTABLE_MAX_CHARS", 0)
    assert _accepts(text) == with_table


def test_a_file_is_rewritten_the_same_with_and_without_the_table(monkeypatch):
    source = _source(40_000) + "def g(a, a): pass\nB = 'aishell:base'\n"
    out = rewrite_python_bounded(source, "s.py")
    monkeypatch.setattr(python_refs, "SYMTABLE_MAX_CHARS", 1 << 30)
    assert rewrite_python_bounded(source, "s.py") == out
    assert out[2] == 2
