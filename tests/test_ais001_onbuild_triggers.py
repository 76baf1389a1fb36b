"""An ONBUILD step that this build triggers uses the old image as the step itself would (issue 18:
an AIS001 error means the build would really fail, and a step that surely does is one).

Red team (round nine): `ONBUILD COPY --from=aishell:base …` (or `ONBUILD RUN --mount=from=…`) in a
stage that a built stage is FROM was a warning, though BuildKit runs a base stage's triggers first
in a stage of the same Dockerfile built FROM it (moby/buildkit#5490): the step is this build's, as
sure as a `COPY --from=aishell:base` written there. So the oracle is the Dockerfile rewritten that
way: the trigger taken out of its stage and put as a plain step right after the FROM of each stage
built from it. Its findings have the severity the moved step gets there (an error where that stage
is built, a warning where the default build skips it); where no stage is built FROM it, it runs in
no build of this file: a warning. The class: every instruction form that names an image (COPY
--from, a mount's from=, spelled as BuildKit unquotes them) × the stages around it (a chain, a
stage another copies from, two children, one the build skips, a reference not known) × what the
stage holds before and after it.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from aishell.errors import InputError

STEPS = [
    "COPY --from=aishell:base /etc/aishell /etc/aishell",
    "COPY --from=aishell:base /usr/local/bin/claude /usr/local/bin/claude",
    "COPY --from=docker.io/library/aishell:base /x /y",
    'COPY --from="aishell:base" /x /y',
    "COPY --from=aishell\\:base /x /y",
    "COPY --link --from=aishell:base /x /y",
    "copy --from=aishell:base /x /y",
    "RUN --mount=type=bind,from=aishell:base,target=/b ls /b",
    "RUN --mount=from=aishell:base,target=/b true",
    'RUN --mount="type=bind,from=aishell:base,target=/b" true',
    "RUN --mount=type=cache,target=/c --mount=type=bind,from=aishell:base,source=/usr/local/bin/codex,target=/x ls",
    "RUN --mount=type=secret,id=aishell:base cat /run/secrets/aishell:base",
    "COPY --from=tools /x /y",
]
# Steps BuildKit refuses when the trigger runs, before it pulls the image (ADD has no --from; a
# from holding a `$` is not expanded): a warning wherever they are.
REFUSED = [
    "ADD --from=aishell:base /x /y",
    "COPY --from=${B:-aishell:base} /x /y",
    "RUN --mount=type=bind,from=${B:-aishell:base},target=/b true",
]
BEFORE = ["", "RUN echo before\n", "ONBUILD RUN echo first\n"]
AFTER = ["", "RUN echo after\n", "ONBUILD WORKDIR /app\n"]
# The stages after `a` (`{child}` marks where a stage built FROM it starts).
TOPOLOGIES = [
    "FROM a{child}\nRUN true\n",
    "FROM a AS b{child}\nFROM b\n",
    "FROM a AS b{child}\nFROM b AS c\nFROM c\n",
    "FROM a AS b{child}\nFROM aishell:foundation\nCOPY --from=b /x /y\n",
    "FROM a AS b{child}\nFROM aishell:foundation\nRUN --mount=from=B,target=/t true\n",
    "FROM a AS b{child}\nFROM a{child}\nRUN true\n",
    "FROM a AS b{child}\nFROM aishell:foundation\n",
    # (A trigger naming `$X`: which stages are built is not known; the last and its bases surely are.)
    "FROM a AS b{child}\nFROM aishell:foundation AS z\nONBUILD COPY --from=$X /a /b\nFROM b\n",
    "FROM a AS b{child}\nONBUILD COPY --from=$X /a /b\nFROM aishell:foundation\n",
    "FROM aishell:foundation AS x\nFROM x\nRUN true\n",
    "FROM aishell:foundation\nCOPY --from=a /x /y\n",
    "",
]


def _findings(text: str):
    return [
        f
        for f in lint_text(text, "Dockerfile", Options(select=["AIS001"], use_config=False)).findings
        if f.code == "AIS001"
    ]


def _trigger_file(step: str, before: str, after: str, topo: str) -> tuple[str, str]:
    """(The file with the step as a trigger of stage `a`, the same stages with no trigger at all.)"""
    head = "FROM aishell:foundation AS tools\nFROM debian:12 AS a\n" + before
    return head + f"ONBUILD {step}\n" + after + topo.format(child=""), head + after


def _expected(step: str, before: str, after: str, topo: str) -> list[str]:
    """The severities the trigger's findings get: the moved step's in each stage built FROM `a`
    (an error if it is one in any), or warnings (as many as the step has findings) where none is."""
    _, rest = _trigger_file(step, before, after, topo)
    if "{child}" not in topo:
        return ["warning"] * len(_findings(rest + f"FROM debian:12\n{step}\n"))
    moved = rest + topo.format(child=f"\n{step}")
    found = _findings(moved)
    per_copy: list[list[str]] = []
    at = moved.find(f"\n{step}\n")
    while at >= 0:
        a, b = at + 1, at + 1 + len(step)
        per_copy.append([f.severity for f in found if a <= f.start and f.end <= b])
        at = moved.find(f"\n{step}\n", b)
    assert len({len(c) for c in per_copy}) == 1, (moved, per_copy)
    return ["error" if any(c[i] == "error" for c in per_copy) else "warning" for i in range(len(per_copy[0]))]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(STEPS), st.sampled_from(BEFORE), st.sampled_from(AFTER), st.sampled_from(TOPOLOGIES))
def test_a_triggered_onbuild_step_uses_the_image_as_the_step_it_becomes(step, before, after, topo):
    original, _ = _trigger_file(step, before, after, topo)
    got = [f.severity for f in _findings(original)]
    assert got == _expected(step, before, after, topo), original


@pytest.mark.parametrize("topo", TOPOLOGIES)
@pytest.mark.parametrize("step", REFUSED)
def test_a_trigger_buildkit_refuses_is_a_warning_wherever_it_runs(step, topo):
    original, _ = _trigger_file(step, "", "", topo)
    assert [f.severity for f in _findings(original)] == ["warning"], original
    with pytest.raises(InputError):  # (as a plain step, the model refuses it as BuildKit does)
        _findings(f"FROM debian:12\n{step}\n")


def test_the_trigger_runs_once_not_in_a_stage_built_from_its_child():
    """BuildKit clears the triggers once they ran (dispatchState.init): a grandchild does not run
    them again, so a chain whose middle stage the build skips leaves them waiting."""
    text = (
        "FROM debian:12 AS a\nONBUILD COPY --from=aishell:base /x /y\n"
        "FROM a AS b\nFROM b AS c\nFROM aishell:foundation\nCOPY --from=c /x /y\n"
    )
    assert [f.severity for f in _findings(text)] == ["error"]  # (c needs b, which is FROM a)
    skipped = "FROM debian:12 AS a\nONBUILD COPY --from=aishell:base /x /y\nFROM a AS b\nFROM debian:12\n"
    assert [f.severity for f in _findings(skipped)] == ["warning"]
