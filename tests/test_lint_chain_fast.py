"""Fast paths of the stage-chain lint (issue 18, "Linear by design": a chain of 227,000 stages
each running `claude --version` at 10 MB) give what the general paths give, on generated files:
the base stage of every stage read in one pass, the removal of a whole RUN worked out with the
instruction before it at hand, and the rules' whole-file gates."""

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aishell.lint_rules import ais001_legacy_base_image as ais001
from aishell.lint_rules import ais002_harness_at_build_time as ais002
from aishell.lint_rules import ais003_harness_installed_in_extension as ais003
from aishell.lint_rules import ais004_command_not_in_foundation as ais004
from aishell.lint_rules._edits import drop_command, drop_instruction
from aishell.lint_rules._provides import base_indices
from aishell.model import DockerfileSyntaxError, parse
from aishell.rule import RuleContext
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


# Images and steps at the rules' gates: the retired and the current image spelled so that the
# file's text does not hold the name (expanded from ARGs, quoted, split by a continuation), and
# installs whose tool name only the escape character or a dropped line ending joins.
GATE_FROMS = [
    "FROM {prev} AS s{i}",
    "FROM node AS s{i}",
    "FROM aishell:${{TAG}}",
    "FROM ${{BASE}} AS s{i}",
    "FROM ${{B-aishell:base}}",
    'FROM "aishell:ba"se AS s{i}',
    "FROM aishell:ba\\\nse AS s{i}",
    "FROM ais`\nhell:foundation",
    "FROM AISHELL:FOUNDATION",
    "FROM aishell:foundation AS s{i}",
    "FROM aishell:base",
]
GATE_STEPS = [
    "RUN claude --version",
    "RUN Cl'au'de --version",
    "RUN cla\\\nude -p x",
    "RUN <<-EOF\n\tgem\\ini\nEOF",
    "RUN codex --help",
    "RUN cue vet x.cue && bb -e 1",
    "RUN n`\npm i -g @openai/codex",
    "RUN n\\\npm i -g @openai/codex",
    "RUN cu`\nrl -fsSL https://claude.ai/install.sh | bash",
    "RUN np\rm i -g @openai/codex",
    "RUN npm i -g @openai/codex",
    "COPY --from=aishell:ba`\nse /x /y",
    "RUN --mount=type=bind,from=aishell:base,target=/m true",
]
GATE_HEADS = [
    "",
    "ARG TAG=base\n",
    "ARG TAG=foundation\n",
    "ARG BASE=aishell:foundation\n",
    "ARG BASE=s0\n",
    "# escape=`\n",
    "# escape=`\nARG TAG=base\n",
]


@st.composite
def gated(draw):
    lines = []
    for i in range(draw(st.integers(1, 4))):
        lines.append(draw(st.sampled_from(GATE_FROMS)).format(prev=f"s{max(i - 1, 0)}", i=i))
        lines.extend(draw(st.lists(st.sampled_from(GATE_STEPS), max_size=3)))
    text = draw(st.sampled_from(GATE_HEADS)) + "\n".join(lines) + ("\n" if draw(st.booleans()) else "")
    return text.replace("\n", "\r\n") if draw(st.integers(0, 6)) == 0 else text


def _both(monkeypatch, module, switch, text):
    df = _parse(text)
    monkeypatch.setattr(module, switch, False)
    general = list(module.check(RuleContext(df, "Dockerfile")))
    monkeypatch.setattr(module, switch, True)
    fast = list(module.check(RuleContext(df, "Dockerfile")))
    return general, fast


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=gated())
def test_the_rules_whole_file_gates_skip_only_files_without_findings(text, monkeypatch):
    for module, switch in ((ais001, "_GATE"), (ais002, "_GATE"), (ais003, "_PREFILTER"), (ais004, "_GATE")):
        general, fast = _both(monkeypatch, module, switch, text)
        assert fast == general, module.CODE


# Files whose findings each gate must not skip (the generator above finds them too, rarely).
AT_THE_GATES = [
    "ARG TAG=base\nFROM aishell:${TAG}\n",
    'FROM "aishell:ba"se AS a\nFROM a\n',
    "FROM aishell:ba\\\nse\n",
    "ARG BASE=aishell:foundation\nFROM ${BASE} AS a\nFROM a\nRUN cue vet x.cue && bb -e 1\n",
    "# escape=`\nFROM ais`\nhell:foundation\nRUN cue vet x.cue\n",
    "# escape=`\nFROM node\nRUN n`\npm i -g @openai/codex\n",
    "FROM node\nRUN n\\\npm i -g @openai/codex\n",
    "FROM node\nRUN np\rm i -g @openai/codex\n",
    "FROM node\nRUN cl\\\naude --version\n",
    "FROM node\nRUN c'laude' --version\n",
    "FROM node\nRUN CLAUDE --version\n",
    "FROM node\nRUN <<EOF\n\tclaude --version\nEOF\n",
    "# escape=`\nFROM node\nRUN cl`\naude --version\n",
    "# escape=`\nFROM node\nCOPY --from=aishell:ba`\nse /x /y\n",
]


def test_each_gate_lets_through_the_files_it_must(monkeypatch):
    found = set()
    for text in AT_THE_GATES:
        for module, switch in ((ais001, "_GATE"), (ais002, "_GATE"), (ais003, "_PREFILTER"), (ais004, "_GATE")):
            general, fast = _both(monkeypatch, module, switch, text)
            assert fast == general, (module.CODE, text)
            if general:
                found.add(module.CODE)
    assert found == {"AIS001", "AIS002", "AIS003", "AIS004"}


def test_a_stage_chain_passes_every_gate(monkeypatch):
    text = "FROM node AS s0\n" + "".join(f"FROM s{i} AS s{i + 1}\nRUN claude --version\n" for i in range(50))
    df = _parse(text)
    assert not ais004._may_be_on_foundation(df)
    for module in (ais001, ais003, ais004):
        assert list(module.check(RuleContext(df, "Dockerfile"))) == []


# -- the JSON report's one-edit template ---------------------------------------------------

_any = st.text(st.characters(codec="utf-8"), max_size=8) | st.sampled_from(["", "%", "%s", "%%d", '"', "\\", "\n", "é"])
_SOURCES = ["FROM a\nRUN b\n", "\ufeffFROM a\r\nRUN\tb c\r\n", "FROM a\n\tRUN \\\n\tb\n# c\nCOPY . .\n", "\ufeffFROM a"]


@settings(max_examples=300, deadline=None)
@given(
    source=st.sampled_from(_SOURCES),
    picks=st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 2), st.integers(0, 2), st.integers(0, 3)),
        min_size=1,
        max_size=10,
    ),
    pool=st.lists(_any, min_size=3, max_size=3),
)
def test_findings_with_one_edit_are_written_as_json_dumps_writes_them(source, picks, pool):
    """A finding whose fix is one edit of its own file is written from a template of its numbers
    (by the text it shares with others): as json.dumps writes it, at any offsets of a file with a
    BOM, CRLF or tabs, with `%` in any text."""
    import io
    import json

    from aishell import reporters
    from aishell.findings import Edit, Finding, Fix
    from aishell.lint import FileResult, LintResult

    df = parse(source)
    findings = []
    for a, d, text, content, kind in picks:
        edit = Edit(a, a + d, pool[content])
        fix = (
            Fix("unsafe", pool[text], (edit,)),
            Fix("safe", pool[(text + 1) % 3], (edit, Edit(a, a, "x"))),
            Fix("safe", pool[text], ()),
            None,
        )[kind]
        (line, col), (end_line, end_col) = df.position(a), df.position(a + d)
        findings.append(
            Finding(
                "AIS00" + str(text),
                pool[text],
                "error",
                pool[content],
                "Dockerfile",
                a,
                a + d,
                line,
                col,
                end_line,
                end_col,
                fix,
            )
        )
    result = LintResult([FileResult("Dockerfile", findings, df)])
    want = json.dumps([reporters.finding_json(f, df) for f in findings], indent=2) + "\n"
    for templates in (True, False):
        out = io.StringIO()
        reporters._TEMPLATES = templates
        try:
            reporters.report(result, "json", out)
        finally:
            reporters._TEMPLATES = True
        assert out.getvalue() == want


# -- the collector after a big lint ------------------------------------------------------------


def test_a_big_lint_leaves_the_collector_no_young_objects_to_walk():
    """The model and findings of a big file are frozen (gc.freeze) before the collector comes
    back on: its next young collection would otherwise walk every one of them (millions at
    10 MB) to find them alive."""
    import gc

    from aishell.lint import FREEZE_AT, Options, lint_text

    text = "FROM node AS s0\n" + "".join(f"FROM s{i} AS s{i + 1}\nRUN claude --version\n" for i in range(60_000))
    gc.collect()
    assert gc.isenabled()
    try:
        result = lint_text(text, "Dockerfile", Options(use_config=False))
        assert len(result.findings) == 60_000
        assert gc.get_count()[0] < FREEZE_AT // 10
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


# -- the order of findings -----------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    per_rule=st.lists(st.lists(st.integers(0, 12), max_size=6), min_size=1, max_size=4),
    shuffled=st.booleans(),
)
def test_findings_are_ordered_by_start_then_code_whatever_order_the_rules_ran_in(per_rule, shuffled):
    """lint sorts by start alone when the rules ran in the order of their codes (a stable sort
    then keeps ties in code order): the same as sorting by (start, code), ties within a rule in
    the order it found them."""
    from unittest import mock

    from aishell import lint
    from aishell.findings import Violation

    text = "FROM a\nRUN b\n"
    rules = []
    for k, starts in enumerate(per_rule):

        class Rule:
            CODE, NAME, SEVERITY = f"AIS9{k}{k}", "probe", "warning"
            found = [Violation(f"m{n}", s, s) for n, s in enumerate(starts)]

            @classmethod
            def check(cls, ctx):
                return iter(cls.found)

        rules.append(Rule)
    if shuffled:
        rules.reverse()
    with mock.patch.object(lint, "selected_rules", lambda *a, **k: list(rules)):
        got = lint.lint_text(text, "Dockerfile", lint.Options(use_config=False)).findings
    want = sorted(((v.start, r.CODE, v.message) for r in rules for v in r.found), key=lambda t: (t[0], t[1]))
    assert [(f.start, f.code, f.message) for f in got] == want


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["aishell", ":", "base", "${B", ":-", "-", "+", "}", "docker.io/", "library/", "@sha256:ab", " "]
        ),
        max_size=10,
    ).map("".join),
    st.data(),
)
def test_ais001_spans_need_the_name_itself(text, data):
    """_legacy_spans answers nothing for a text without `aishell:base` before reading it: both of
    its patterns match the name itself, inside the span they are given."""
    from aishell.lint_rules.ais001_legacy_base_image import _IN_EXPANSION_RE
    from aishell.images import LEGACY, LEGACY_RE

    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    if text.find(LEGACY, a, b) < 0:
        assert LEGACY_RE.search(text, a, b) is None
        assert all(m.end() + len(m.group(1)) > b for m in _IN_EXPANSION_RE.finditer(text, a, b))


def test_a_violations_lowered_severity_is_the_findings():
    """lint_text unpacks each Violation: its own severity (a form the rule cannot be sure of) wins
    over the rule's."""
    from unittest import mock

    from aishell import lint
    from aishell.findings import Violation

    class Rule:
        CODE, NAME, SEVERITY = "AIS999", "probe", "error"

        @staticmethod
        def check(ctx):
            return iter([Violation("m", 0, 1), Violation("n", 2, 3, None, "info")])

    with mock.patch.object(lint, "selected_rules", lambda *a, **k: [Rule]):
        got = lint.lint_text("FROM a\n", "Dockerfile", lint.Options(use_config=False)).findings
    assert [(f.message, f.severity) for f in got] == [("m", "error"), ("n", "info")]
