"""AIS002's memo of RUNs read with their stage's variables gives what the rule gives RUN by RUN
(issue 18, r70a).

lint_rules/ais002_harness_at_build_time.py reads a RUN that spells a variable its stage's ENV or
ARG gives a value naming a harness (`ENV C=claude`, `RUN $C -v`) with those values (``staged``).
STAGED_MEMO keys its RUN memo by the RUN's text and the values it reads (names, values, whether an
ENV set them); STAGED_DIGITS, for a RUN whose every digit is in the name of the one variable it
reads as `$NAME` or `${NAME}`, by both with that name's digits made `0` (`RUN $C17 -v` and `RUN
$C23 -v`, both `claude` or both set by no ENV, are one RUN). The files here define and redefine
variables by ENV and ARG (values that name harnesses, installs, plain words, empty ones, with
spaces, `${X:-d}` forms), in stages built FROM others or not, and read them in RUNs repeated
under names of one length and of others (the memo answers from the third RUN of a key on: the
first is met, the second kept), among steps that change what is on PATH; every finding of every
rule, with its fix, must be the same with the switches on and off. The near misses the keys must
keep apart: a digit outside the name (`xargs -n 0 $C1`), two names with digits, a message quoting
the name (an ARG's `$D1`), a file a COPY heredoc wrote (STAGE_FILES), one text and values read
by other names. A remembered RUN that unpacks a tree counts for an ENV PATH= after it (the memo
once left it out). The two benchmark shapes take the short way (a few RUNs read, not each), and
their lint stays linear (a growth guard).
"""

from __future__ import annotations


from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from aishell.lint_rules import ais002_harness_at_build_time as ais002

from tests.growth import guard
from tests.runs import read_switched

from tests.bench_scale import scale

_SWITCHES = ((ais002, "STAGED_MEMO"), (ais002, "STAGED_DIGITS"))


def _record(ins) -> None:
    return None


def _same(text: str) -> None:
    assert read_switched(text, _SWITCHES, True, _record) == read_switched(text, _SWITCHES, False, _record), text


# Names of one length (the digits' key shares them) and of others; values a RUN may read.
_NAMES = ["C", "C1", "C2", "C7", "C10", "C23", "D1", "D2", "X", "X1"]
_VALUES = [
    "claude",
    "claude",
    "claude ",
    "codex",
    "codex",
    '"claude -p hi"',
    '"cl aude"',
    "'claude'",
    "npx",
    "@anthropic-ai/claude-code",
    "@openai/codex",
    "echo",
    '""',
    "plain",
    "claude2",
    "${X:-claude}",
    "${C}",
]
_DEFINES = ["ENV {n}={v}", "ARG {n}={v}", "ARG {n}", "ENV {n}={v} {m}=claude", "ARG {n}={v} {m}"]
# RUNs reading {n} (and {m}): plainly, braced, quoted, with a default, twice, with digits of their
# own, two names, escaped, single-quoted, in a comment, as a length, assigned, unset, as ONBUILD,
# in heredocs.
_READS = [
    "RUN ${n} -v",
    "RUN ${{{n}}} -v",
    'RUN "${n}" --version',
    "RUN ${{{n}:-claude}} -v",
    "RUN ${n} -v && echo ${n}",
    "RUN echo ${n}",
    "RUN ${n} -v 2>/dev/null",
    "RUN xargs -n 0 ${n} < f",
    "RUN xargs -n 1 ${n} < f",
    "RUN npm i -g ${n}",
    "RUN npm install ${n} && npx claude -v",
    "RUN x=${n}; $x -v",
    "RUN ${n}${m} -v",
    "RUN ${n} -v && ${m} -v",
    "RUN $${n} -v",
    "RUN '${n}' -v",
    "RUN \\${n} -v",
    "RUN ${n} -v # ${m}",
    "RUN ${{#{n}}} && ${n}",
    "RUN export {n}=codex; ${n} -v",
    "RUN unset {n}; ${n} -v",
    "RUN {n}=x ${n} -v",
    "RUN sh -c '${n} -v'",
    "RUN echo `${n} -v`",
    "RUN ${n} \\\n -v",
    "RUN --mount=type=cache,target=/root/.npm ${n} -v",
    "RUN sh /s.sh ${n}",
    "RUN tar -xzf t.tgz -C /opt && ${n} -v || true",
    "ONBUILD RUN ${n} -v",
    "RUN <<EOF\n${n} -v\nEOF",
    "RUN bash <<EOF\necho {m}\n${n} -v\nEOF",
    "RUN cat <<EOF > /s.sh\n${n} -v\nEOF",
]
_STEPS = [
    "COPY <<EOF /s.sh\nclaude -v\nEOF",
    "COPY <<EOF /s.sh\necho hi\nEOF",
    "COPY <<EOF /s.sh\ncodex -v\nEOF",
    "COPY claude /usr/local/bin/",
    "COPY . /app",
    "RUN npm i -g @anthropic-ai/claude-code",
    "RUN npm install @openai/codex",
    "ENV PATH=/app/node_modules/.bin:$PATH",
    "WORKDIR /usr/local/bin",
    'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
    "ENV PATH=/opt/bin:$PATH",
    "RUN claude -v",
    "FROM s0",
    "FROM debian",
]
_FROMS = ["FROM aishell:foundation AS s0", "FROM debian AS s0", "FROM node:24 AS s0"]
_PREAMBLES = [
    "",
    "ENV C1=claude C2=claude C7=claude",
    "ARG C1=claude C2=claude C7=claude C10=claude C23=claude",
    "ENV C=claude X=codex X1=codex D1=claude D2=claude",
    "ARG C=claude X1 D1=codex D2=codex\nENV C1=claude C2=codex",
]

_define = st.builds(
    lambda f, n, v, m: f.format(n=n, v=v, m=m),
    st.sampled_from(_DEFINES),
    st.sampled_from(_NAMES),
    st.sampled_from(_VALUES),
    st.sampled_from(_NAMES),
)
# A RUN form read three times or more, each time with its own names, mostly of one length.
_POOLS = [["C1", "C2", "C7"], ["C10", "C23"], ["C"], ["D1", "D2"], ["X", "X1"], _NAMES]
_read_groups = st.sampled_from(_POOLS).flatmap(
    lambda pool: st.builds(
        lambda f, names: [f.format(n=n, m=m) for n, m in names],
        st.sampled_from(_READS),
        st.lists(st.tuples(st.sampled_from(pool), st.sampled_from(pool)), min_size=3, max_size=6),
    )
)
_item = st.one_of(_define.map(lambda d: [d]), _read_groups, st.sampled_from(_STEPS).map(lambda s: [s]))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.sampled_from(_FROMS),
    st.sampled_from(_PREAMBLES),
    st.lists(_define, max_size=4),
    st.lists(_item, min_size=1, max_size=6),
    st.randoms(),
)
def test_generated_files_lint_the_same(head, preamble, defines, items, random):
    """Definitions, redefinitions, steps and repeated reads, interleaved: the same findings with
    the switches on and off."""
    lines = [head, preamble, *defines]
    for group in items:
        for line in group:
            lines.append(line)
            if random.random() < 0.3:
                define, name, value = random.choice(_DEFINES), random.choice(_NAMES), random.choice(_VALUES)
                lines.append(define.format(n=name, v=value, m=random.choice(_NAMES)))
    _same("\n".join(lines) + "\n")


def _repeated(head: str, reads: list[str]) -> str:
    return head + "".join(line + "\n" for line in reads)


_HEAD = (
    "FROM aishell:foundation\nENV C1=claude C2=claude C3=claude C4=codex C=claude\nARG D1=claude D2=claude D3=claude\n"
)


def test_near_misses_lint_the_same():
    """RUNs the digits' key must keep apart (a digit outside the name, two names, a message that
    quotes the name) or read with values the key does not hold (a file a COPY heredoc wrote), or
    by other names; each after two RUNs that make it remembered; and the benchmark's RUNs among
    steps that change the state."""
    for reads in (
        ["RUN xargs -n 0 $C1 < f", "RUN xargs -n 0 $C2 < f", "RUN xargs -n 1 $C3 < f"],
        ["RUN $C1 -v && $C5 -v", "RUN $C2 -v && $C6 -v", "RUN $C3 -v && $C3 -v"],
        ["RUN $D1 -v", "RUN $D2 -v", "RUN $D3 -v", "RUN ${D1} -v", "RUN ${D2} -v", "RUN ${D3} -v"],
        ["RUN $C1 -v", "RUN $C2 -v", "RUN $C4 -v", "RUN $C3 -v"],
        ["RUN $C1 -v || exit 2", "RUN $C1 -v || exit 2", "RUN $C2 -v || exit 2"],
    ):
        _same(_repeated(_HEAD, reads))
    _same(
        _repeated(
            _HEAD,
            [
                "COPY <<EOF /s.sh\nclaude -v\nEOF",
                "RUN sh /s.sh; $C -v",
                "RUN sh /s.sh; $C -v",
                "RUN sh /s.sh; $C -v",
                "COPY <<EOF /s.sh\ncodex -v\nEOF",
                "RUN sh /s.sh; $C -v",
                "RUN sh /s.sh; $C -v",
                "RUN sh /s.sh; $C -v",
            ],
        )
    )
    # (the same text and values, read by other names)
    _same(
        _repeated(
            "FROM debian\nENV C=claude\n", ["RUN $C -v; $X -v"] * 3 + ["ENV C=x X=claude"] + ["RUN $C -v; $X -v"] * 3
        )
    )
    for step in _STEPS:
        _same(_repeated(_HEAD, ["RUN $C -v", "RUN $C -v", step, "RUN $C -v", "RUN $C1 -v", "RUN $C2 -v", step]))
        _same(_repeated(_HEAD, ["RUN $C1 -v", "RUN $C2 -v", step, "RUN $C3 -v", "RUN $C -v"]))


def test_a_remembered_run_writes_its_tree_where_it_is():
    """A RUN that unpacks into /opt met again in a stage of its own, then `ENV PATH=/opt/bin`:
    what it unpacked may be on PATH there (a warning), as RUN by RUN; the memo (_MEMO, and
    STAGED_MEMO's) once answered without it (an error)."""
    for run, define in (
        ("RUN tar -xzf t.tgz -C /opt && claude -v || true", ""),
        ("RUN tar -C /opt -xf t && $C -v", "ENV C=claude\n"),
    ):
        stage = f"FROM debian\n{define}"
        text = stage + f"{run}\n" * 2 + stage + f"{run}\nENV PATH=/opt/bin:$PATH\nRUN claude -v\n"
        switches = (*_SWITCHES, (ais002, "_MEMO"))
        fast = read_switched(text, switches, True, _record)
        assert fast == read_switched(text, switches, False, _record)
        assert fast[1][-1][2] == "warning"


def _lint(text: str) -> None:
    lint_text(text, "Dockerfile", Options(use_config=False))


def _reads(text: str, monkeypatch) -> int:
    """How many times AIS002 reads a RUN (with its stage's values or without), linting ``text``."""
    calls = []
    real = ais002.analyse_run
    with monkeypatch.context() as m:
        m.setattr(ais002, "analyse_run", lambda ins, staged=None: calls.append(ins) or real(ins, staged))
        _lint(text)
    return len(calls)


def test_the_benchmark_shapes_take_the_short_way(monkeypatch):
    """A few RUNs of each shape are read, not each (the general path reads all 250 or more:
    env_names_runs's RUNs read names no ENV sets too); with a message that quotes the name (an
    ARG's `$D1`), the exact text's key."""
    for make in (scale.env_redefined_runs, scale.env_names_runs):
        text = make(8000)[0]
        _same(text)
        assert text.count("RUN") > 250
        assert _reads(text, monkeypatch) <= 12, make.__name__  # (a key per length of name, each read twice)
    text = "FROM aishell:foundation\nARG D1=claude\n" + "RUN $D1 -v || exit 2\n" * 400
    assert _reads(text, monkeypatch) <= 2


def test_the_benchmark_shapes_stay_linear():
    """Both shapes' lint at 2 KB and 32 KB: within ten times linear growth."""
    for make in (scale.env_redefined_runs, scale.env_names_runs):

        def lint_shape(n, make=make):
            _lint(make(n)[0])

        lint_shape.__name__ = make.__name__
        guard(lint_shape, 2000)
