"""The stage's variables a RUN starts with stay linear however many there are (issue 18: linear
by design; found by a red-team pass).

_provides.stage_values gives each RUN the variables its stage's ENV and ARG set to a value
naming a harness (`ENV C=claude`, then `RUN $C -v`), which AIS002 seeds the RUN's reader with
(shell._Reader.seed) and AIS003 reads install words with. It copied the stage's variables into a
new dict at every ENV naming one and kept each copy for the RUNs after it, and every RUN was
seeded with all of them: thousands of `ENV Cn=claude` + `RUN $Cn -v` took n² time and memory
(6,500 pairs: 6 s and 1.6 GB for stage_values alone; 1,700 pairs: 12 s in seed).

Generated: the one environment, undone on leaving a stage, against the dict copies it replaced,
on random files; the variables seeded and the memory stage_values takes, counted at n and
GROWTH * n.
"""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.harness import mentions_in
from aishell.lint import Options, lint_text
from aishell.lint_rules._provides import _env_expanded, base_indices, spelled_names, stage_values
from aishell.model import arg_definitions, key_values, parse
from tests.growth import GROWTH

NAMES = ["A", "B", "C", "my.var"]
VALUES = ["claude", "echo", "x$A", '"claude -v"', "'codex'", ""]


def _copies(df, wanted) -> dict[int, tuple[dict, frozenset]]:
    """stage_values as it was: a dict (and a set of the names an ENV set) per RUN."""
    out, ends, defaults = {}, [], None
    for stage, b in zip(df.stages, base_indices(df)):
        env, fixed = ends[b] if b is not None else (None, frozenset())
        for ins in stage.instructions:
            keyword = ins.keyword
            if keyword in ("ENV", "ARG"):
                if keyword == "ENV":
                    named = wanted(ins.args) or (env and any(name in ins.args for name in env))
                    pairs = key_values(ins) if named else ()
                else:
                    pairs = []
                    for name, value, _ in arg_definitions(ins):
                        if value is None:
                            if defaults is None:
                                defaults = df._global_defaults()
                            value = defaults.get(name)
                        if name not in fixed:
                            pairs.append((name, value))
                if keyword == "ENV" and env and "$" in ins.args:
                    # (A value naming a variable an earlier ENV set gets that variable's value, as
                    # BuildKit gives it: _env_expanded, whose own tests are test_ais002_env_values's.
                    # The copies held no such value: with it, `ENV A=claude`, `ENV A=x$A`, `RUN $A`
                    # held nothing, where the build runs `xclaude`.)
                    pairs = [
                        (name, _env_expanded(ins, name, env, fixed) if value is not None and "$" in value else value)
                        for name, value in pairs
                    ]
                for name, value in pairs:
                    named = value is not None and "$" not in value and wanted(value)
                    if named or (env and name in env):
                        env = dict(env or {})
                        if named:
                            env[name] = [value]
                        else:
                            env.pop(name)
                        if keyword == "ENV":
                            fixed = fixed | {name}
            elif keyword in ("RUN", "ONBUILD") and env:
                out[ins.start] = (env, fixed)
        ends.append((env, fixed))
    return out


_SETTING = st.tuples(st.sampled_from(NAMES), st.sampled_from(VALUES))
_LINE = st.one_of(
    st.builds(lambda p: "ENV " + " ".join(f"{n}={v}" for n, v in p), st.lists(_SETTING, min_size=1, max_size=3)),
    st.builds(lambda n, v: f"ARG {n}={v}", st.sampled_from(NAMES), st.sampled_from(VALUES)),
    st.builds(lambda n: f"ARG {n}", st.sampled_from(NAMES)),
    st.builds(lambda n: f"RUN ${n} -v", st.sampled_from(NAMES)),
    st.just("RUN true"),
    st.just("ONBUILD RUN x"),
)


@st.composite
def _files(draw) -> str:
    lines = [f"ARG {n}={v}" for n, v in draw(st.lists(_SETTING, max_size=2))]
    for i in range(draw(st.integers(1, 4))):
        base = draw(st.sampled_from(["debian", *(f"s{j}" for j in range(i))]))
        lines.append(f"FROM {base} AS s{i}")
        lines += draw(st.lists(_LINE, max_size=6))
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(_files())
@example("FROM debian AS s0\nENV A=claude\nENV A=x$A\nFROM s0 AS s1\nRUN $A -v\n")  # (a value expanded)
def test_one_environment_undone_holds_what_the_copies_held(text):
    """Each RUN's variables (those it spells) are what the copy of its stage's held."""
    df = parse(text)
    want = {}
    for start, (env, fixed) in _copies(df, mentions_in).items():
        ins = next(i for i in df.instructions if i.start == start)
        run = ins.sub if ins.keyword == "ONBUILD" else ins
        if run is not None and run.keyword == "RUN":
            held = {name: (env[name], name in fixed) for name in spelled_names(run) if name in env}
            if held:
                want[start] = held
    assert stage_values(df, mentions_in) == want


def _pairs(n: int, keyword: str = "ENV", chained: bool = False) -> str:
    """``n`` variables naming a harness, each run by the RUN after it (in one stage, or each in a
    stage built FROM the one before)."""
    if chained:
        return "FROM aishell:foundation AS s0\n" + "".join(
            f"FROM s{i} AS s{i + 1}\n{keyword} C{i}=claude\nRUN $C{i} -v\n" for i in range(n)
        )
    return "FROM aishell:foundation\n" + "".join(f"{keyword} C{i}=claude\nRUN $C{i} -v\n" for i in range(n))


SHAPES = {
    "ENV pairs": _pairs,
    "ARG pairs": lambda n: _pairs(n, "ARG"),
    "ENV pairs, a stage each": lambda n: _pairs(n, chained=True),
}


def _seeded(text: str, monkeypatch) -> int:
    """The variables AIS002 seeds its readers with while linting ``text``; its findings are all
    the RUNs'."""
    total = [0]
    seed = shell._Reader.seed

    def counting(self, staged):
        total[0] += len(staged)
        seed(self, staged)

    with monkeypatch.context() as m:
        m.setattr(shell._Reader, "seed", counting)
        found = lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings
    assert len(found) == text.count("RUN $C")
    return total[0]


@pytest.mark.parametrize("name", list(SHAPES))
def test_each_run_is_seeded_with_what_it_spells(name, monkeypatch):
    """Counted: at GROWTH times the pairs, at most twice GROWTH times the variables seeded (each
    RUN seeded with all of its stage's seeded GROWTH² times more)."""
    n = 24
    small = _seeded(SHAPES[name](n), monkeypatch)
    big = _seeded(SHAPES[name](n * GROWTH), monkeypatch)
    assert big <= 2 * GROWTH * small, f"{name}: {small} seeded at n={n}, {big} at {n * GROWTH}"


def _kept(text: str) -> int:
    """The peak memory stage_values takes, and keeps, on ``text``."""
    df = parse(text)
    df.stages  # (parsed before the count starts)
    base_indices(df)
    tracemalloc.start()
    try:
        got = stage_values(df, mentions_in)
        assert got
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name", list(SHAPES))
def test_the_stage_values_grow_with_the_file(name):
    """A dict per RUN of all the stage's variables kept n²/2 entries: at GROWTH times the pairs,
    GROWTH² times the memory; each RUN now keeps what it spells."""
    n = 64
    small, big = _kept(SHAPES[name](n)), _kept(SHAPES[name](n * GROWTH))
    assert big <= 2 * GROWTH * small, f"{name}: {small} bytes at n={n}, {big} at {n * GROWTH}"
