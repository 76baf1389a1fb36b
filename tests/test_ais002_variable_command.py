"""A command named by a variable the script may have assigned: an error only if every value fails.

`c=echo; [ -f x ] && c=claude; $c hi` was an AIS002 error, which blocks `aishell build`, though
the RUN passes when /x is missing (`echo hi`). The class: a variable given a value (or none),
then another under a condition (`&&`, `||`, `if`), maybe again, then run as a command, in the
same list or a later one. The oracle is dash itself, run once with the condition true and once
false, the harnesses replaced by stubs that record that they ran and fail as "not found" does:
an error must mean the RUN fails both ways; a harness that runs either way must be reported.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dash import SH, outcome
from tests.severities import severities

HARNESSES = ("claude", "codex")

PRIORS = ["", "c=echo; ", "c=true; ", "c=codex; ", "c=claude; ", "export c=printf; ", "c=; "]
ASSIGNS = [
    "COND && c={v}",
    "COND && export c={v}",
    "if COND; then c={v}; fi",
    "COND || c={v}",
    "c={v}",
    "{{ COND && c={v}; }}",
]
VALUES = ["claude", "codex", "echo", "true"]
USES = ["$c hi", "$c -v", "$c echo hi", "$c", '"$c" x', "${c} --version"]


@st.composite
def scripts(draw):
    prior = draw(st.sampled_from(PRIORS))
    assigns = [
        draw(st.sampled_from(ASSIGNS)).format(v=draw(st.sampled_from(VALUES))) for _ in range(draw(st.integers(1, 2)))
    ]
    use = draw(st.sampled_from(USES))
    join = draw(st.sampled_from(["; ", " && "]))
    prefix = draw(st.sampled_from(["", "set -e; "]))
    script = prefix + prior + "; ".join(assigns) + join + use
    if "claude" not in script and "codex" not in script:
        script += "; claude -v || true"  # (every script names a harness somewhere)
    return script


def _outcomes(script: str, tmp_path) -> list[tuple[bool, bool]]:
    """(the RUN fails, a harness ran) with the condition true, then false."""
    return [outcome(script.replace("COND", cond), tmp_path, HARNESSES) for cond in ("true", "false")]


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=scripts())
def test_an_error_only_when_every_value_fails_the_run(tmp_path, script):
    text = "FROM aishell:foundation\nRUN " + script.replace("COND", "[ -f /etc/x ]") + "\n"
    found = severities(text)
    outcomes = _outcomes(script, tmp_path)
    if "error" in found:
        assert all(fails for fails, _ in outcomes), (text, found, outcomes)
    if any(ran for _, ran in outcomes):
        assert found, (text, outcomes)


@pytest.mark.parametrize(
    "script,want",
    [
        ("c=echo; [ -f /x ] && c=claude; $c hi", ["warning"]),  # the red team's form
        ("c=echo; [ -f /x ] && c=claude && $c hi", ["error"]),  # only after the assignment
        ("c=echo; [ -f /x ] && c=claude; $c -v", ["warning"]),  # `echo -v` passes
        ("c=claude; [ -f /x ] && c=claude; $c hi", ["error"]),  # claude either way
        ("[ -f /x ] && c=codex; [ -f /y ] && c=claude; $c echo hi", ["warning", "warning"]),
        ("[ -f /x ] && c=claude; $c -v", ["error"]),  # unset, `-v` is not found either
        ("c=codex; [ -f /x ] && c=claude; $c -v", ["warning", "warning"]),  # one of two
        ("c=claude; [ -f /x ] || c=echo && $c hi", ["warning"]),  # `||`: claude when /x exists
        # (A value it may hold, then the same after a test's `&&`: still claude or unset.)
        ("if [ -f /x ]; then c=claude; fi; [ -f /x ] && c=claude; $c echo hi", ["warning"]),
    ],
)
def test_forms(script, want):
    assert severities(f"FROM aishell:foundation\nRUN set -e; {script}\n") == want
