"""AIS002's stage values (lint_rules/_provides.stage_values) hold no value cut at
model.MAX_EXPANSION: a cut value (marked TOO_LONG) is not the value the variable holds, and a
chain of `ENV An=${An-1}${An-1}`, one a line, kept 8 KB for each line of about 20 bytes (r69d's
hunt: 281 MB for 1 MB, about 2.8 GB at 10 MB; benchmarks/scale.py's env_doubling_steps)."""

from __future__ import annotations

import tracemalloc

from aishell.lint import Options, lint_text
from aishell.lint_rules._provides import stage_values
from aishell.model import MAX_EXPANSION, parse

from tests.bench_scale import scale


def _doubling(n: int, *, spaced: bool) -> str:
    first = "ENV A0='claude '\n" if spaced else "ENV A0=claude\n"
    return "FROM aishell:foundation\n" + first + "".join(f"ENV A{i + 1}=${{A{i}}}${{A{i}}}\n" for i in range(n))


def _held(text: str) -> dict:
    df = parse(text, "Dockerfile")
    return stage_values(df, lambda value: "claude" in value)


def test_a_value_under_the_cut_is_held_and_one_over_it_is_not():
    # 2**k copies of `claude ` (7 bytes): k = 10 is 7 KB, under the cut; k = 11 is 14 KB, over it.
    under, over = 10, 11
    assert 7 * 2**under < MAX_EXPANSION < 7 * 2**over
    for k, held in ((under, True), (over, False)):
        text = _doubling(over, spaced=True) + f"RUN $A{k} -v\n"
        values = _held(text)
        run_start = text.index("RUN ")
        assert (run_start in values and f"A{k}" in values[run_start]) is held, k
        if held:
            ((value,), sure) = values[run_start][f"A{k}"]
            assert sure and value == "claude " * 2**k


def test_the_run_of_a_value_held_is_still_an_error_and_one_cut_is_none():
    for k, error in ((10, True), (11, False)):
        text = _doubling(11, spaced=True) + f"RUN $A{k} -v\n"
        found = [f for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings if f.code == "AIS002"]
        assert any(f.severity == "error" for f in found) is error, (k, found)


def test_a_chain_of_doubling_values_holds_memory_linear_in_the_file():
    text, _ = scale.env_doubling_steps(200_000)
    tracemalloc.start()
    try:
        lint_text(text, "Dockerfile", Options(use_config=False))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Held whole, the cut values were 8 KB for each of the 10,000 lines: 80 MB and more here.
    assert peak < 40 * len(text), f"{peak / 1e6:.0f} MB for {len(text) / 1e3:.0f} KB"
