"""AIS002's fix of a call in a RUN clean but for its `>` writes, where the call's item holds no
`>` of its own (WRITES_CLEAN), is the one drop_item gives without being told (issue 18).

_edits.clean_run passes a RUN of no `<<`, `#`, CR, `||`, `>` nor `$!`, and drop_item then takes a
short way for each item; a RUN that makes files (`printf x > claude; ./claude`) failed it for its
`>` alone. removable reads a `>` only in the item's own text, so an item without one in a RUN
clean but for its writes gets the clean RUN's answer. The test compares the findings with the
switch on and off over generated RUNs of more than eight items: writes in other items, in the
call's own (`claude -v > log`, `2>&1`, `&>`), and the near misses that make a RUN unclean
(`#` comment lines, heredocs, `||`, `$!`, CR).
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell.lint_rules import ais002_harness_at_build_time as ais002

from tests.runs import read_switched

_ITEMS = [
    "claude -v",
    "claude -v > /tmp/out",
    "claude -v 2>&1",
    "claude -v>log",
    "codex --help &> log",
    "printf x > claude",
    "echo a >> log",
    "ln -s x claude",
    "cd /o",
    "install -m 755 -t bin ./claude",
    "true",
    "echo '>' x",
    "cat log | claude -p",
    "exit 1",
]
_JOINTS = [" && ", "; ", " \\\n && ", " | ", " & ", " || "]
_NEAR = ["", " \\\n# c\n && true", " || true", " && wait $!", " && cat <<EOF", " \\\r\n && true", "; echo x > f"]


@settings(max_examples=100, deadline=None)
@example(
    [(" && ", "echo a > f")] + [(" && ", "true")] * 7 + [(" && ", "claude -v"), (" & ", "true")],
    " && wait $!",
    "FROM node\n",
    "RUN ",
)
@example(
    [(" && ", "echo a > f")] + [(" && ", "true")] * 7 + [(" && ", "claude -v"), (" || ", "exit 1")],
    "",
    "FROM node\n",
    "RUN ",
)
@given(
    st.lists(st.tuples(st.sampled_from(_JOINTS), st.sampled_from(_ITEMS)), min_size=8, max_size=14),
    st.sampled_from(_NEAR),
    st.sampled_from(["FROM node\n", "FROM aishell:foundation\nCOPY . /app\n"]),
    st.sampled_from(["RUN ", "ONBUILD RUN "]),
)
def test_a_run_clean_but_for_its_writes_is_fixed_as_drop_item_fixes_it(items, near, head, run):
    line = "true" + "".join(j + c for j, c in items) + near
    body = "claude -v\nEOF\n" if "<<EOF" in line else ""
    text = head + run + line + "\n" + body
    switch = [(ais002, "WRITES_CLEAN")]
    fast = read_switched(text, switch, True, lambda ins: None)
    assert fast == read_switched(text, switch, False, lambda ins: None)


def test_the_benchmark_run_is_fixed_as_drop_item_fixes_it():
    """benchmarks/scale.py's made_and_called, a few units: every call fixed, as without the switch."""
    unit = " \\\n && ln -s x claude; claude -v" * 7
    text = (
        "FROM aishell:foundation\nRUN true"
        + (" \\\n && cd /o && install -m 755 -t bin ./claude && PATH=/p:$PATH; printf x > claude; claude -v" + unit) * 3
        + "\n"
    )
    switch = [(ais002, "WRITES_CLEAN")]
    fast = read_switched(text, switch, True, lambda ins: None)
    assert fast == read_switched(text, switch, False, lambda ins: None)
    assert len(fast[1]) == 24 and all(f[5] is not None for f in fast[1])
