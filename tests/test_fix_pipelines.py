"""AIS002's fix removes only the harness command, and never a stage of a pipeline (issue 18).

Round one (a red-team pass): `RUN make all 2>&1 | claude -p summarize` lost `make` with the whole
pipeline, and `apt-get update && make all | claude -p x && echo ok` lost `make all`: the fix then
took the harness's stage alone. Round two: that changes what the other stages do. A stage after
the harness reads the RUN's input instead of its output (`claude --version | tee /v` became `tee
/v`: an empty file), and one before it may never end without its reader (`yes | claude ...` became
`yes`: a build that never ends). Generated lists of pipelines (`&&`, `||`, `;`, newlines through
continuations) with a harness command (plain, wrapped, with redirections) either as a list item
of its own or at any stage of a pipeline: alone in its item, the fixed file is accepted by
BuildKit's parser and dash's, every other command survives it, word for word, and only the
harness goes; sharing a pipeline, no fix is offered (the finding stays)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from aishell.model import parse
from aishell.shell import analyse_run

dockerfile = pytest.importorskip("dockerfile")
from tests.test_model_reference import _reference_text  # noqa: E402

DASH = shutil.which("dash")
BASH = shutil.which("bash")
HEAD = "FROM aishell:foundation\n"
OTHERS = ["make all 2>&1", "apt-get update", "grep -v x", "tee /log", "sort -u", "echo ok", "cat >/tmp/o"]
HARNESSES = ["claude -p summarize", "sudo -u node codex -v", "gemini --version 2>&1", "env A=1 opencode run x"]
HARNESS_NAMES = {"claude", "codex", "gemini", "opencode"}


@st.composite
def scripts(draw):
    """(RUN text): a list of pipelines, one of them holding the harness at some stage."""
    n = draw(st.integers(1, 3))
    items = []
    for _ in range(n):
        items.append(draw(st.lists(st.sampled_from(OTHERS), min_size=1, max_size=3)))
    k = draw(st.integers(0, n - 1))
    if draw(st.booleans()):  # a list item of its own
        items.insert(k, [draw(st.sampled_from(HARNESSES))])
        n += 1
    else:  # a stage of a pipeline, anywhere in it
        items[k].insert(draw(st.integers(0, len(items[k]))), draw(st.sampled_from(HARNESSES)))
    pipe = draw(st.sampled_from([" | ", " |& ", " \\\n  | ", " |\\\n  "]))
    ops = [draw(st.sampled_from([" && ", " || ", "; ", " \\\n && "])) for _ in range(n - 1)]
    out = pipe.join(items[0])
    for op, item in zip(ops, items[1:]):
        out += op + pipe.join(item)
    return "RUN " + out + "\n"


def _commands(text: str) -> Counter:
    df = parse(text)
    runs = [i for i in df.instructions if i.keyword == "RUN"]
    return Counter(tuple(c.argv) for r in runs for c in analyse_run(r).commands if not c.nested)


def _apply(text: str, edits) -> str:
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: e.start] + e.replacement + text[e.end :]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(run=scripts())
def test_the_fix_removes_only_the_harness_command(tmp_path, run):
    text = HEAD + run
    findings = lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False)).findings
    assert len(findings) == 1, (text, findings)
    fix = findings[0].fix
    harness_item = next(item for item in re.split(r"&&|\|\||;", run) if set(item.split()) & HARNESS_NAMES)
    if "|" in harness_item:
        assert fix is None, (text, fix)  # a stage of a pipeline: the others would do something else
        return
    assert fix is not None, text  # (alone in its item: it goes with its `&&`/`;`)
    fixed = _apply(text, fix.edits)
    dockerfile.parse_string(_reference_text(fixed))  # BuildKit accepts it
    before, after = _commands(text), _commands(fixed)
    kept = Counter({argv: n for argv, n in before.items() if not (set(argv) & HARNESS_NAMES)})
    assert after == kept, (text, fixed)
    shell = BASH if "|&" in fixed else DASH  # (`|&` is bash's)
    if shell and "RUN" in fixed:
        script = parse(fixed).instructions[-1].logical.split(" ", 1)[1]
        assert subprocess.run([shell, "-n", "-c", script], capture_output=True).returncode == 0, fixed


@pytest.mark.parametrize(
    "run",
    [
        "RUN ( make all ) | claude -p x\n",
        "RUN ! make all | claude -p x\n",
        "RUN { make; } | claude -p x && echo ok\n",
        "RUN claude -p <<EOF | tee /log\nsummarise\nEOF\n",
        "RUN make all \\\n# a comment\n  | claude -p x\n",
    ],
)
def test_no_fix_where_the_others_cannot_be_kept(tmp_path, run):
    text = HEAD + run
    findings = lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False)).findings
    assert len(findings) == 1 and findings[0].fix is None, (text, findings)


@pytest.mark.parametrize(
    "run",
    [
        "RUN make all 2>&1 | claude -p summarize\n",
        "RUN apt-get update && make all | claude -p x && echo ok\n",
        "RUN claude -v | tee /log\n",
        "RUN claude --version | tee /v && echo ok\n",
        "RUN a | claude -p x | b\n",
        "RUN yes | claude -p x\n",
        "RUN claude -v |& tee /v\n",
        "RUN printf '' | xargs -r claude -v\n",
    ],
)
def test_the_red_team_pipelines_get_no_fix(tmp_path, run):
    text = HEAD + run
    findings = lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False)).findings
    assert len(findings) == 1 and findings[0].fix is None, (text, findings)
