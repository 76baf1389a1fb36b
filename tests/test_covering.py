"""tests/covering.py: every combination of each window's factors is in the rows, each row is
one value of each factor, and a chain of neighbourhoods takes about a tenth of the product."""

from __future__ import annotations

from itertools import product
from math import prod

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.covering import covering


@st.composite
def _factors_and_windows(draw):
    sizes = draw(st.lists(st.integers(1, 6), min_size=1, max_size=5))
    factors = [[f"f{i}v{v}" for v in range(n)] for i, n in enumerate(sizes)]
    indices = st.lists(st.integers(0, len(sizes) - 1), min_size=1, max_size=3, unique=True).map(tuple)
    return factors, draw(st.lists(indices, max_size=4))


@settings(max_examples=200, deadline=None)
@given(_factors_and_windows())
def test_every_combination_of_each_window_is_covered(case):
    factors, windows = case
    rows = covering(factors, windows)
    assert all(len(r) == len(factors) and all(v in f for v, f in zip(r, factors)) for r in rows)
    for w in windows:
        assert {tuple(r[i] for i in w) for r in rows} == set(product(*(factors[i] for i in w)))
    assert len(rows) <= sum(prod(len(factors[i]) for i in w) for w in windows)  # (each row completes one)


def test_a_chain_of_neighbours_is_a_tenth_of_the_product():
    commands, operators = [f"c{k}" for k in range(27)], [";", "&&", "||", "|", "\n"]
    rows = covering(
        [operators[:2], commands, operators, commands, operators], [(0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 1)]
    )
    assert len(rows) < 27 * 5 * 27 * 1.1 and len(rows) * 9 < 2 * 27 * 5 * 27 * 5
    assert covering([commands], []) == []
