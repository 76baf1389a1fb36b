"""AIS002's per-RUN shortcuts (issue 18: a file of 350,000 distinct RUNs, each paying its
constants) give what the general path gives.

- ``RUN_PRECHECKS``: _check_run asks the set of a RUN's command names before the scans of its
  commands for installs (_read_installs), local installs (_local_installs) and project code
  (project_code_before), _by_item tells a script whose items hold one command each without its
  scan, and removes_run is not asked for a RUN of two items without heredocs.
- ``_provides.MAY_PROVIDE_IN_C``: may_provide's tests of the first words and of the second and
  third words in C.

Each is compared with its general path (the switch off) over generated Dockerfiles whose RUNs
mix the commands each shortcut looks for (installs, exports, local installs, project code by
name, by path and by expansion, pipelines, heredocs, ONBUILD) with harness calls, and at the
level of the function each shortcut answers for.

(Not named test_ais002_*: tests/test_ais002_line_and_body.py reads such a file's one-line
strings as scripts, and `set -e` before `node …/claude-code/cli.js -v` in a `RUN <<EOF` body is
no finding where the line with an -e SHELL is an error: _entry_command counts any earlier
command, `set -e` too, as one that may have put the file there. A difference of the rule as it
is, not of these shortcuts; reported with them.)
"""

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aishell.lint_rules import _provides
from aishell.lint_rules import ais002_harness_at_build_time as ais002
from aishell.model import DockerfileSyntaxError, parse
from aishell.rule import RuleContext
from aishell.shell import analyse_run

FROMS = ["FROM debian", "FROM aishell:foundation", "FROM node:24 AS s{i}", "FROM s0", "FROM ghcr.io/x/y"]

# Commands of a RUN: harness calls (plain, by path, through a runner, by an expansion), and each
# thing one of the scans reads: an install (npm, yarn, pnpm, bun, curl | bash, pip), an export of
# npm_config_, a local install, project code (an interpreter, a build tool, a path, `.`, an
# expansion, a backquote), BASH_ENV and bash, a profile, a function, files made.
COMMANDS = [
    "claude -v",
    "codex --version",
    "gemini -p hi",
    "opencode run x",
    "echo 1",
    "echo 2",
    "true",
    "set -e",
    "npm i -g @anthropic-ai/claude-code",
    "npm install -g @openai/codex",
    "yarn global add @google/gemini-cli",
    "pnpm add -g opencode-ai",
    "bun add -g @openai/codex",
    "export npm_config_global=true",
    "export X=1",
    "npm install @anthropic-ai/claude-code",
    "pnpm add @openai/codex",
    "yarn add @google/gemini-cli",
    "npx claude -v",
    "npx -y @openai/codex --version",
    "pip install x",
    "npm ci",
    "make",
    "python setup.py",
    "sh setup.sh",
    "bash -c 'claude -v'",
    ". ./env.sh",
    "./configure",
    "/opt/tool run",
    "$TOOL claude",
    "`which x` y",
    "BASH_ENV=/etc/x bash -c 'claude -v'",
    "echo x >> /etc/profile",
    "claude() { :; }",
    "ln -s /bin/true /usr/local/bin/claude",
    "node /usr/local/lib/node_modules/@anthropic-ai/claude-code/cli.js -v",
    "./claude -v",
    "c=claude; $c -v",
]
OPS = [" && ", "; ", " || ", " | ", " & ", " &&\\\n "]


@st.composite
def runs(draw):
    cmds = draw(st.lists(st.sampled_from(COMMANDS), min_size=1, max_size=4))
    ops = draw(st.lists(st.sampled_from(OPS), min_size=len(cmds), max_size=len(cmds)))
    line = cmds[0] + "".join(op + c for op, c in zip(ops, cmds[1:]))
    form = draw(st.integers(0, 5))
    if form == 0:  # a heredoc script
        return "RUN <<EOF\n" + "\n".join(cmds) + "\nEOF"
    if form == 1:  # a heredoc the line runs, with more on the line or not
        more = draw(st.sampled_from(["", " && claude -v", "; echo ok"]))
        return "RUN bash <<EOF" + more + "\n" + "\n".join(cmds) + "\nEOF"
    if form == 2:
        return "ONBUILD RUN " + line
    if form == 3:
        return "RUN --mount=type=cache,target=/usr/local " + line
    return "RUN " + line


STEPS = [
    "COPY . /app",
    "COPY claude /usr/local/bin/",
    "ENV PATH=/app/node_modules/.bin:$PATH",
    "ENV BASH_ENV=/etc/env",
    'SHELL ["/bin/bash", "-lc"]',
    "ENV npm_config_global=true",
    "ARG npm_config_location",
    "WORKDIR /usr/local/bin",
]


@st.composite
def dockerfiles(draw):
    lines = []
    for i in range(draw(st.integers(1, 3))):
        lines.append(draw(st.sampled_from(FROMS)).format(i=i))
        for _ in range(draw(st.integers(1, 5))):
            lines.append(draw(runs()) if draw(st.integers(0, 3)) else draw(st.sampled_from(STEPS)))
    return "\n".join(lines) + "\n"


def _findings(text: str) -> list:
    try:
        df = parse(text, "Dockerfile")
    except DockerfileSyntaxError:
        assume(False)
    return list(ais002.check(RuleContext(df, "Dockerfile")))


def _compared(monkeypatch, module, switch: str, text: str) -> None:
    with monkeypatch.context() as m:  # (undone after each example: the fixture outlives them)
        m.setattr(module, switch, False)
        general = _findings(text)
    assert _findings(text) == general, text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=dockerfiles())
def test_ais002_with_the_run_prechecks_finds_what_the_scans_find(text, monkeypatch):
    _compared(monkeypatch, ais002, "RUN_PRECHECKS", text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=dockerfiles())
def test_ais002_with_may_provide_in_c_finds_what_the_general_path_finds(text, monkeypatch):
    _compared(monkeypatch, _provides, "MAY_PROVIDE_IN_C", text)


def _scripts(text: str):
    try:
        df = parse("FROM x\n" + text + "\n", "Dockerfile")
    except DockerfileSyntaxError:
        assume(False)
    for ins in df.instructions:
        run = ais002._runs(ins)
        if run is not None:
            yield df, ins, run, analyse_run(ins)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=runs())
def test_each_precheck_answers_what_its_scan_answers(text, monkeypatch):
    from aishell.lint_rules._edits import removes_run

    for df, ins, run, script in _scripts(text):
        names = set(map(ais002._NAME, script.commands))
        assert ais002._local_firsts(script, names) == ais002._firsts(ais002._local_installs(script))
        assert (ais002._project_code(script, run, names) is False) == (ais002._project_code(script, run, None) is False)
        if ais002._INSTALL_WORDS.isdisjoint(names):
            assert ais002._read_installs(script, df.text) == []
        scan = {}
        for c in script.commands:
            scan.setdefault(c.item, []).append(c)
        assert ais002._by_item(script) == {k: cs for k, cs in scan.items() if len(cs) > 1}
        for i in range(len(script.items)):
            if len(script.items) == 2 and not (i == 1 and run.heredocs):
                assert not removes_run(df, ins, script, i)
        with monkeypatch.context() as m:
            m.setattr(_provides, "MAY_PROVIDE_IN_C", False)
            general = _provides.may_provide(run.logical, script)
        assert _provides.may_provide(run.logical, script) == general
