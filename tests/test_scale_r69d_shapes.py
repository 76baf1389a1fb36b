"""Growth guards for the shapes r69d's hunt found over the aim per MB (benchmarks/scale.py,
FOUND_R69D and the Python shapes of migrate_shapes): each linear today at seconds or hundreds of
MB a MB, each held linear here (tests.growth.guard: 16 times the size, less than ten times the
linear growth; quadratic work takes 256 times as long)."""

from __future__ import annotations


import pytest

from aishell.errors import InputError
from aishell.lint import Options, lint_text
from aishell.migrate.python_refs import rewrite_python_bounded
from tests.growth import guard

from tests.bench_scale import scale

N = 10_000  # bytes; 160 KB at 16 times


@pytest.mark.parametrize("shape", scale.FOUND_R69D, ids=lambda s: s.name)
def test_lint_stays_linear(shape, tmp_path):
    path = str(tmp_path / "Dockerfile")

    def lint(n: int) -> None:
        text, _ = shape.make(n)
        lint_text(text, path, Options(use_config=False))

    lint.__name__ = shape.name
    guard(lint, N)


PYTHON = [
    s
    for s in scale.migrate_shapes()
    if s.make not in (scale.fstring_fields, scale.function_scopes, scale.literals_one_line)
]


@pytest.mark.parametrize("shape", PYTHON, ids=lambda s: s.name)
def test_python_migrate_stays_linear(shape):
    def migrate(n: int) -> None:
        (name, source), *_ = shape.make(n)[1].items()
        try:
            rewrite_python_bounded(source, name)
        except InputError:
            pass

    migrate.__name__ = shape.name
    guard(migrate, N)
