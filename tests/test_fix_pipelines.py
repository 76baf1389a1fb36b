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
from hypothesis import HealthCheck, example, given, settings
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
    tokens = re.split(r"(&&|\|\||;)", run)
    j = next(j for j, item in enumerate(tokens) if set(item.split()) & HARNESS_NAMES)
    if "||" in tokens[max(j - 1, 0) : j + 2]:
        assert fix is None, (text, fix)  # an operand of `||`: the rest would run (or fail) without it
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


# -- lists: `&` runs a whole and-or list in the background ------------------------------------
#
# Round three (a red-team pass): the fix took the harness with the operator before it whatever
# that operator was, so the list before it lost its `&` (`sleep 9 & claude -v` became `sleep 9`:
# a build that waits for it; `a; claude -v & b` became `a & b`: `a` sent to the background) or
# was joined to the list after it (`a; claude -v && b` became `a && b`: `b` now waits on `a`).
# Generated lists of and-or lists (`&&`, `||` inside; `;`, `&`, newlines between; a terminator
# or none after the last), on one line, over continuations, or as a `RUN <<EOF` script: the
# fixed script, read as sh reads it, is the same lists with the same terminators, the harness
# gone from its own (the operator that joined it going with it), and its list gone when it was
# alone in it.

LIST_OTHERS = ["sleep 9", "echo a", "make all 2>&1", "apt-get update", "true", "cat >/tmp/o"]
_TOKEN = re.compile(r"\d*>&\d+|&&|\|\||;|&|[^\s;&|]+")


def _lists(script: str) -> list[tuple[tuple, bool]]:
    """sh's reading of a script of simple commands: its and-or lists, each ((first command,
    (operator, command)...), run in the background)."""
    out, andor, words, op = [], [], [], None

    def close():
        nonlocal words, op
        if words:
            andor.append((op, " ".join(words)))
        words, op = [], None

    for line in script.split("\n"):
        for tok in _TOKEN.findall(line):
            if tok in ("&&", "||"):
                close()
                op = tok
            elif tok in (";", "&"):
                close()
                if andor:
                    out.append((tuple(andor), tok == "&"))
                andor.clear()
            else:
                words.append(tok)
        close()  # a newline ends a list (the generator continues lines only after an operator)
        if andor:
            out.append((tuple(andor), False))
        andor.clear()
    return out


def _without_harness(lists):
    out = []
    for andor, background in lists:
        kept = list(andor)
        for k, (op, cmd) in enumerate(andor):
            if set(cmd.split()) & HARNESS_NAMES:
                if k == 0 and len(kept) > 1:
                    kept = [(None, kept[1][1])] + kept[2:]  # it began the list: the operator after it goes
                else:
                    del kept[k]  # the operator that joined it goes with it
        if kept:
            out.append((tuple(kept), background))
    return out


@st.composite
def lists(draw):
    """(RUN text, its script): and-or lists, one item the harness alone."""
    n = draw(st.integers(2, 5))
    cmds = [draw(st.sampled_from(LIST_OTHERS)) for _ in range(n)]
    cmds[draw(st.integers(0, n - 1))] = draw(st.sampled_from(HARNESSES))
    heredoc = draw(st.booleans())
    ops = []
    for _ in range(n - 1):
        ops.append(draw(st.sampled_from(["&&", "||", ";", "&"] + (["\n", "&\n"] if heredoc else []))))
    tail = draw(st.sampled_from(["", ";", " &"] + ([] if heredoc else [" \\\n\n  &", " \\\n  # c\n  &"])))
    script = cmds[0]
    for op, cmd in zip(ops, cmds[1:]):
        if op.endswith("\n"):
            script += " " + op.rstrip("\n") + "\n" + cmd
        elif not heredoc and draw(st.booleans()):
            script += " " + op + " \\\n  " + cmd  # over a continuation
        else:
            script += " " + op + " " + cmd
    script += tail
    if heredoc:
        return f"RUN <<EOF\n{script}\nEOF\n"
    return f"RUN {script}\n"


def _script(text: str) -> str:
    ins = parse(text).instructions[-1]
    if ins.heredocs and not ins.logical[ins.args_start :].strip().startswith(("cat", "echo")):
        return ins.heredocs[0].content
    return ins.logical[ins.args_start :].replace("\\\n", "")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(run=lists())
@example(run="RUN sleep 9 & claude -p summarize\n")
@example(run="RUN echo a; claude -p summarize & sleep 9\n")
@example(run="RUN echo a; claude -p summarize && echo b\n")
@example(run="RUN <<EOF\nsleep 9 &\nclaude -p summarize\nEOF\n")
@example(run="RUN echo a; claude -p summarize \\\n\n  &\n")
def test_the_fix_keeps_each_list_and_its_background(tmp_path, run):
    text = HEAD + run
    findings = lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False)).findings
    assert len(findings) == 1, (text, findings)
    fix = findings[0].fix
    if fix is None:
        return
    fixed = _apply(text, fix.edits)
    dockerfile.parse_string(_reference_text(fixed))  # BuildKit accepts it
    before = _lists(_script(text))
    if "RUN" not in fixed[len(HEAD) :]:
        assert not _without_harness(before), (text, fixed)  # the RUN went whole: it held nothing else
        return
    assert _lists(_script(fixed)) == _without_harness(before), (text, fixed)
    if DASH:
        assert subprocess.run([DASH, "-n", "-c", _script(fixed)], capture_output=True).returncode == 0, fixed


# -- a SHELL with its own grammar ---------------------------------------------------------------
#
# Round three: after `SHELL ["cmd", "/S", "/C"]`, `echo a & claude -v` lost `claude -v` and kept
# `echo a &` (in cmd `&` runs the next command: a trailing one is refused); in PowerShell `&` calls
# a command and `@x` splats. The fix edits a line by POSIX sh's grammar, so under a SHELL that is
# no POSIX shell (its own stage's or its base stage's) a fix may only remove the whole RUN; under a
# POSIX one (`bash -c`, `sh -eo pipefail -c`) the usual fixes stay.

SHELLS = {
    '["cmd", "/S", "/C"]': False,
    '["powershell", "-Command"]': False,
    '["pwsh", "-NoProfile", "-Command"]': False,
    '["/bin/bash", "-c"]': True,
    '["/bin/sh", "-eo", "pipefail", "-c"]': True,
}
SHELL_RUNS = [
    "echo a & claude -v",
    "echo a; claude -v",
    "claude -v && echo a",
    "npm i -g typescript @anthropic-ai/claude-code",
    "echo a & npm i -g @anthropic-ai/claude-code",
    "claude -v",
    "npm i -g @anthropic-ai/claude-code",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(SHELLS)), st.sampled_from(SHELL_RUNS), st.booleans())
@example('["cmd", "/S", "/C"]', "echo a & claude -v", False)
def test_under_a_shell_of_its_own_grammar_only_the_whole_run_goes(tmp_path, shell, run, inherited):
    if inherited:  # the SHELL of the stage it is built FROM
        text = f"FROM aishell:foundation AS base\nSHELL {shell}\nFROM base\nRUN {run}\n"
    else:
        text = f"FROM aishell:foundation\nSHELL {shell}\nRUN {run}\n"
    opts = Options(select=["AIS002", "AIS003"], use_config=False)
    for f in lint_text(text, str(tmp_path / "Dockerfile"), opts).findings:
        if f.fix is None:
            continue
        fixed = _apply(text, f.fix.edits)
        dockerfile.parse_string(fixed)
        if not SHELLS[shell]:
            assert "RUN" not in fixed, (text, fixed)  # the whole RUN, or nothing
    if SHELLS[shell] and run == "echo a; claude -v":
        assert any(f.fix for f in lint_text(text, str(tmp_path / "Dockerfile"), opts).findings), text


@pytest.mark.parametrize(
    "text, partial",
    [
        # An ONBUILD's RUN runs in the image built FROM this one, under the SHELL this stage ends with.
        (
            'FROM aishell:foundation\nONBUILD RUN npm i -g tsx @anthropic-ai/claude-code\nSHELL ["cmd", "/S", "/C"]\n',
            False,
        ),
        (
            'FROM aishell:foundation\nSHELL ["cmd", "/S", "/C"]\nONBUILD RUN npm i -g tsx @anthropic-ai/claude-code\n'
            'SHELL ["/bin/sh", "-c"]\n',
            True,
        ),
    ],
)
def test_a_trigger_is_fixed_by_the_grammar_of_the_shell_the_stage_ends_with(tmp_path, text, partial):
    opts = Options(select=["AIS003"], use_config=False)
    fixes = [f.fix for f in lint_text(text, str(tmp_path / "Dockerfile"), opts).findings if f.fix]
    assert bool(fixes) == partial, (text, fixes)
