"""A variable with many alternative values keeps the harness among them (aishell.shell._capped).

`for c in a b c d claude; do $c -v; done` had no AIS002 finding: a variable's values were capped
at four, the first or the latest, and the harness was the one dropped. The class: a command
named by a variable with more than four values, from a `for` list, conditional assignments or
the stage's ENV/ARG, the harness anywhere among them. The oracle is dash, with the harnesses and
the other commands as stubs on PATH (the harnesses record that they ran and fail as "not found"
does) and each condition drawn true or false: a harness that runs must be reported, and an
error must mean the RUN fails.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dash import SH, agrees, outcome
from tests.severities import severities

HARNESSES = ("claude", "codex")
OTHERS = tuple(f"tool{i}" for i in range(8))
NAMES = HARNESSES + OTHERS
USES = ["$c -v", '"$c" x', "${c} --version"]


@st.composite
def scripts(draw):
    values = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=9))
    use = draw(st.sampled_from(USES))
    form = draw(st.sampled_from(["for", "cond", "plain"]))
    truths = []
    if form == "for":
        script = f"for c in {' '.join(values)}; do {use}; done"
    else:
        parts = [f"c={values[0]}"]
        for v in values[1:]:
            if form == "cond":
                truths.append(draw(st.booleans()))
                parts.append(f"[ -f /COND{len(truths)} ] && c={v}")
            else:
                parts.append(f"c={v}")
        script = "; ".join(parts) + f"; {use}"
    if "claude" not in script and "codex" not in script:
        script += "; claude -v || true"  # (every script names a harness somewhere)
    return script, truths


def _outcome(script: str, truths: list[bool], tmp_path) -> tuple[bool, bool]:
    """(the RUN fails, a harness ran) with each condition as drawn."""
    probe = script
    for i, truth in reversed(list(enumerate(truths, 1))):
        probe = probe.replace(f"[ -f /COND{i} ]", "true" if truth else "false")
    return outcome(probe, tmp_path, HARNESSES, [n for n in NAMES if n not in HARNESSES])


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=scripts())
def test_a_harness_among_many_values_is_reported(tmp_path, case):
    script, truths = case
    text = "FROM aishell:foundation\nRUN " + script + "\n"
    found = severities(text)
    fails, ran = _outcome(script, truths, tmp_path)
    agrees(found, fails, ran, text, truths)


@pytest.mark.parametrize(
    "text",
    [
        "RUN for c in a b c d claude; do $c -v; done",
        "RUN for c in claude a b c d e; do $c -v; done",
        "RUN c=a; [ -f x ] && c=b; [ -f y ] && c=d; [ -f z ] && c=e; [ -f w ] && c=claude; [ -f v ] && c=g; $c -v",
        "RUN [ -f x ] && c=codex; [ -f y ] && c=a; [ -f z ] && c=b; [ -f w ] && c=d; [ -f v ] && c=e; $c -v",
    ],
)
def test_forms(text):
    assert severities(f"FROM aishell:foundation\n{text}\n") == ["warning"]


def test_the_cap_keeps_the_latest_and_the_harness():
    from aishell.shell import _capped

    words = ["a", "claude", "b", "c", "d", "e", "codex", "f"]
    assert _capped(words, str) == ["claude", "e", "codex", "f"]
    assert _capped(words[:4], str) == words[:4]
    assert _capped([f"t{i}" for i in range(9)], str) == ["t5", "t6", "t7", "t8"]
