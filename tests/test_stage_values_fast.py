"""stage_values' fast path gives what its plain walk gives (issue 18, r70f).

lint_rules/_provides.py's stage_values walks the stages as the tree their FROMs make with one
environment and an undo log. STAGE_VALUES_FAST logs no undo for a stage nothing is walked after
(a file of one stage, the last branch of the tree), keeps each variable's (values, set by an ENV)
pair as it changes instead of making it for each RUN, and reads the names a RUN's text spells once
per text. The files here define and redefine variables by ENV (one name or several a line) and ARG
(with a default, bare: the global one), with values that name a harness or an install, plain ones,
`$X`, `${X}` and `${X:-d}`; stages are built FROM earlier ones (siblings of one parent, chains) or
images; RUNs and ONBUILD RUNs read the variables. Each must give the same stage_values (for
AIS002's and AIS003's tests of a value) and the same findings with the switch on and off.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.harness import may_name_install, mentions_in
from aishell.lint_rules import _provides
from aishell.model import parse

from tests.runs import lint_findings, switched

_SWITCHES = ((_provides, "STAGE_VALUES_FAST"),)
_NAMES = ["C", "C1", "C2", "X", "PKG"]
_VALUES = [
    "claude",
    "claude ",
    "codex",
    "@anthropic-ai/claude-code",
    '"cl aude"',
    "cla\\ude",
    "plain",
    '""',
    "$C",
    "${C}",
    "${X:-claude}",
    "${PKG:-codex}x",
]
_SETTING = st.tuples(st.sampled_from(_NAMES), st.sampled_from(_VALUES))
_READ = st.sampled_from(
    [
        "RUN ${n} -v",
        "RUN ${{{n}}} -v",
        "RUN ${{{n}:-claude}} -v",
        "RUN npm i -g ${n}",
        "RUN ${n} -v && ${m} -v",
        "RUN echo ${n}${m}",
        "ONBUILD RUN ${n} -v",
        "RUN <<EOF\n${n} -v\nEOF",
        "RUN {n} -v",
        "RUN true",
    ]
)
_LINE = st.one_of(
    st.builds(lambda p: "ENV " + " ".join(f"{n}={v}" for n, v in p), st.lists(_SETTING, min_size=1, max_size=3)),
    st.builds(lambda n, v: f"ARG {n}={v}", st.sampled_from(_NAMES), st.sampled_from(_VALUES)),
    st.builds(lambda n: f"ARG {n}", st.sampled_from(_NAMES)),
    st.builds(lambda f, n, m: f.format(n=n, m=m), _READ, st.sampled_from(_NAMES), st.sampled_from(_NAMES)),
    st.builds(lambda f, n, m: f.format(n=n, m=m), _READ, st.sampled_from(_NAMES), st.sampled_from(_NAMES)),
)


@st.composite
def _files(draw) -> str:
    lines = [f"ARG {n}={v}" for n, v in draw(st.lists(_SETTING, max_size=2))]
    for i in range(draw(st.integers(1, 4))):
        base = draw(st.sampled_from(["aishell:foundation", *(f"s{j}" for j in range(i))]))
        lines.append(f"FROM {base} AS s{i}")
        lines += draw(st.lists(_LINE, max_size=7))
    return "\n".join(lines) + "\n"


def _values(text: str, on: bool) -> list:
    with switched(_SWITCHES, on):
        df = parse(text)
        return [_provides.stage_values(df, wanted) for wanted in (mentions_in, may_name_install)]


@settings(max_examples=600, deadline=None, derandomize=True)
@given(_files())
def test_generated_files_give_the_same_values(text):
    """The variables each RUN spells, their values and whether an ENV set them: the same with the
    switch on and off."""
    assert _values(text, True) == _values(text, False), text


@settings(max_examples=150, deadline=None, derandomize=True)
@given(_files())
def test_generated_files_lint_the_same(text):
    """Every finding of every rule, with its fix: the same with the switch on and off."""
    with switched(_SWITCHES, True):
        on = lint_findings(text)
    with switched(_SWITCHES, False):
        off = lint_findings(text)
    assert on == off, text


def test_siblings_start_from_their_parent():
    """Stages built FROM one parent each start from its values, not a sibling's (the undo the fast
    path logs only when a stage is walked after), and a chain keeps what each link set."""
    text = (
        "FROM aishell:foundation AS s0\nENV C=claude\n"
        "FROM s0 AS s1\nENV C=plain X=codex\nRUN $C $X\n"
        "FROM s0 AS s2\nRUN $C $X\nENV X=claude\n"
        "FROM s2 AS s3\nRUN $C $X\n"
    )
    for on in (True, False):
        values = _values(text, on)[0]
        df = parse(text)
        runs = [ins.start for ins in df.instructions if ins.keyword == "RUN"]
        assert [values.get(start) for start in runs] == [
            {"X": (["codex"], True)},
            {"C": (["claude"], True)},
            {"C": (["claude"], True), "X": (["claude"], True)},
        ]
