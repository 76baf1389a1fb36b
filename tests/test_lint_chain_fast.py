"""Fast paths of the stage-chain lint (issue 18, "Linear by design": a chain of 227,000 stages
each running `claude --version` at 10 MB) give what the general paths give, on generated files:
the base stage of every stage read in one pass, the removal of a whole RUN worked out with the
instruction before it at hand, and the rules' whole-file gates."""

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from aishell.lint_rules import ais002_harness_at_build_time as ais002
from aishell.lint_rules._edits import drop_command, drop_instruction
from aishell.lint_rules._provides import base_indices
from aishell.model import DockerfileSyntaxError, parse
from aishell.shell import analyse_run

from tests.test_ais002_fast import STEPS

FROMS = [
    "FROM {prev}",
    "FROM {prev} AS s{i}",
    "from {PREV} as S{i}",
    "FROM s{i}",
    "FROM node:24 AS s{i}",
    "FROM ${{BASE}}",
    "FROM ${{BASE}} AS s{i}",
    "FROM $BASE",
    'FROM "{prev}"',
    "FROM '{prev}' AS s{i}",
    "FROM s\\\n{i}",
    "FROM --platform=linux/amd64 {prev} AS s{i}",
    "FROM aishell:foundation AS {prev}",
    "FROM scratch",
    "FROM ${{NONE:-{prev}}}",
]

HEADS = ["", "ARG BASE=s0\n", "ARG BASE=S1\n", "ARG BASE\n", "# escape=`\n", "# a comment\n\n"]


@st.composite
def chains(draw):
    lines = []
    for i in range(draw(st.integers(1, 8))):
        prev = f"s{draw(st.integers(0, max(i, 1)))}"
        lines.append(draw(st.sampled_from(FROMS)).format(prev=prev, PREV=prev.upper(), i=i))
        lines.extend(draw(st.lists(st.sampled_from(STEPS), max_size=4)))
    text = draw(st.sampled_from(HEADS)) + "\n".join(lines) + ("\n" if draw(st.booleans()) else "")
    return text.replace("\n", "\r\n") if draw(st.integers(0, 4)) == 0 else text


def _parse(text):
    try:
        return parse(text, "Dockerfile")
    except DockerfileSyntaxError:
        assume(False)


@settings(max_examples=400, deadline=None)
@given(text=chains())
def test_base_indices_are_the_base_stages(text):
    df = _parse(text)
    general = []
    for stage in df.stages:
        base = stage.base_stage(df)
        general.append(base.index if base is not None else None)
    assert base_indices(df) == general


@settings(max_examples=400, deadline=None)
@given(text=chains())
def test_a_run_dropped_with_the_instruction_before_it_at_hand_is_drop_instruction(text):
    df = _parse(text)
    for k, ins in enumerate(df.instructions):
        if k == 0:
            continue
        assert ais002._drop_run(df, ins, df.instructions[k - 1]) == drop_instruction(df, ins), ins.logical
        if ais002._runs(ins) is not None:
            script = analyse_run(ins)
            for cmd in script.commands:
                if len(script.items) == 1 and cmd.item == 0 and not cmd.nested and script.exact:
                    assert drop_command(df, ins, script, cmd) == (drop_instruction(df, ins),)
