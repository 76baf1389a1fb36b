"""AIS002: what a base stage's ONBUILD triggers put on PATH is there in the stages built FROM it
(red team r40, onbuild-provides).

BuildKit runs a base stage's triggers first in a stage of the same Dockerfile built FROM it
(moby/buildkit#5490): `ONBUILD COPY`, `ONBUILD ADD`, `ONBUILD RUN ln -s …`, `ONBUILD WORKDIR`
then a relative link are provisions there as `ONBUILD RUN npm i -g …` installs are. The class,
generated: every trigger form × every way a later stage is built FROM the base (directly, by
name, through a further stage). The controls keep their error: the same trigger in the stage
that runs the harness (it waits for an image built FROM it), or in a stage the RUN is not built
FROM.
"""

import pytest

from tests.severities import severities

BASE = "FROM aishell:foundation AS base\n"

# Triggers that put `claude` on PATH surely; a step the child runs after them, if any.
TRIGGERS = [
    ("ONBUILD COPY claude /usr/local/bin/claude\n", ""),
    ("ONBUILD COPY claude /usr/local/bin/\n", ""),
    ("ONBUILD COPY --chmod=755 claude /usr/bin/claude\n", ""),
    ("ONBUILD COPY --from=tools /out/claude /usr/local/bin/\n", ""),
    ("ONBUILD ADD --chmod=755 https://example.com/dl/claude /usr/local/bin/claude\n", ""),
    ("ONBUILD ADD --chmod=755 https://example.com/dl/claude /usr/local/bin/\n", ""),
    ("ONBUILD RUN ln -s /opt/c/claude /usr/local/bin/claude\n", ""),
    ("ONBUILD RUN cp /opt/c/claude /usr/local/bin/\n", ""),
    ("ONBUILD RUN install -m755 /opt/c/claude /usr/local/bin/claude\n", ""),
    ("ONBUILD RUN ln -s -t /usr/local/bin /opt/c/claude\n", ""),
    ("ONBUILD RUN npm i -g @anthropic-ai/claude-code\n", ""),
    ("ONBUILD WORKDIR /usr/local/bin\nONBUILD COPY claude claude\n", ""),
    ("ONBUILD WORKDIR /usr/local/bin\nONBUILD RUN ln -s /opt/c/claude claude\n", ""),
    ("ONBUILD WORKDIR /usr/local/bin\n", "RUN ln -s /opt/c/claude claude\n"),
    ("ONBUILD WORKDIR /usr/local/sbin/x\n", "RUN ln -s /opt/c/claude ../claude\n"),
    ("WORKDIR /usr\nONBUILD WORKDIR local/bin\n", "RUN ln -s /opt/c/claude claude\n"),
]

# How the stage that runs `claude --version` is built FROM the base.
CHILDREN = [
    "FROM base\n{then}RUN claude --version\n",
    "FROM base AS child\n{then}RUN claude --version\n",
    "FROM base AS child\n{then}ENV X=1\nRUN claude --version\n",
    "FROM base AS child\n{then}FROM child\nRUN claude --version\n",
]


@pytest.mark.parametrize(("trigger", "then"), TRIGGERS)
@pytest.mark.parametrize("child", CHILDREN)
def test_a_base_stage_trigger_provides_in_the_stages_built_from_it(trigger, then, child):
    text = BASE + trigger + child.format(then=then)
    assert severities(text) == [], text


@pytest.mark.parametrize(("trigger", "then"), TRIGGERS)
def test_control_the_trigger_waits_in_its_own_stage(trigger, then):
    text = BASE + trigger + then + "RUN claude --version\n"
    assert severities(text) == ["error"], text


@pytest.mark.parametrize(("trigger", "then"), TRIGGERS)
def test_control_a_stage_not_built_from_it(trigger, then):
    text = BASE + trigger + "FROM aishell:foundation\n" + then + "RUN claude --version\n"
    assert severities(text) == ["error"], text


@pytest.mark.parametrize(
    "trigger",
    [
        "ONBUILD COPY tools/ /usr/local/bin/\n",
        "ONBUILD RUN tar -xzf /tmp/t.tgz -C /usr/local/bin\n",
        "ONBUILD COPY claude $D/\n",
    ],
)
def test_a_trigger_that_may_provide_is_a_warning(trigger):
    text = BASE + trigger + "FROM base\nRUN claude --version\n"
    assert severities(text) == ["warning"], text


@pytest.mark.parametrize(("trigger", "then"), [t for t in TRIGGERS if not t[1]])
@pytest.mark.parametrize("child", ["FROM base\nRUN echo\n", "FROM base AS a\nFROM a\nRUN echo\n"])
def test_a_trigger_provides_for_the_triggers_after_it(trigger, then, child):
    """`ONBUILD COPY claude /usr/local/bin/` then `ONBUILD RUN claude -v`: in order, in the stage
    built FROM it; the other order (the control) still fails there."""
    call = "ONBUILD RUN claude --version\n"
    assert severities(BASE + trigger + call + child) == []
    assert severities(BASE + call + trigger + child) == ["error"]
