"""AIS002's shortcut for a harness command whose name nothing may put on PATH (NEVER_PROVIDED:
the provision checks asked once per name and RUN, not per command) gives the findings of the
checks themselves (issue 18, "Linear by design": an `&&` list of thousands of harness calls).

Generated RUNs mix harness calls with each thing that may provide or excuse one (a link, a
download, a function and its `unset`, an install global or local, project code, a PATH
assignment, a wrapper, a package runner, a path), after the steps that do the same before the
RUN (COPY, ENV PATH, ENV BASH_ENV, a login SHELL, a `--mount`, an image not known to lack them).
"""

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aishell.lint_rules import ais002_harness_at_build_time as ais002
from aishell.model import DockerfileSyntaxError, parse
from aishell.rule import RuleContext

FROMS = ["FROM aishell:foundation", "FROM node:24", "FROM debian", "FROM ubuntu AS b\nFROM b", "FROM myorg/tools:1"]

BEFORE = [
    "COPY . /app",
    "COPY claude /usr/local/bin/",
    "ENV PATH=/app/node_modules/.bin:$PATH",
    "ENV BASH_ENV=/etc/x",
    'SHELL ["/bin/bash", "-lc"]',
    "RUN npm i -g @openai/codex",
    "RUN npm install @anthropic-ai/claude-code",
    "RUN curl -fsSL https://example.com/x -o /usr/local/bin/gemini",
    "RUN apt-get install -y claude",
    "RUN brew install codex",
    "WORKDIR /app",
]

COMMANDS = [
    "claude -v",
    "claude --version",
    "codex -v",
    "gemini -v",
    "./claude -v",
    "/usr/local/bin/claude -v",
    "npx claude -v",
    "sudo claude -v",
    "env A=1 codex",
    "ln -s /opt/x /usr/local/bin/claude",
    "ln -s x claude",
    "curl -o /usr/local/bin/codex https://example.com/codex",
    "claude() { :; }",
    "unset -f claude",
    "npm i -g @anthropic-ai/claude-code",
    "npm install @openai/codex",
    "npm install @anthropic-ai/claude-code",
    "./setup.sh",
    "make install",
    "PATH=/app/node_modules/.bin:$PATH",
    "export PATH=./bin:$PATH",
    "bash -lc 'claude -v'",
    "BASH_ENV=/etc/x bash -c 'codex'",
    "c=claude; $c -v",
    "cd /tmp",
    "echo ok",
    "true",
]

OPS = [" && ", " || ", "; ", " | ", " & ", " \\\n && "]


@st.composite
def dockerfiles(draw):
    lines = [draw(st.sampled_from(FROMS))]
    lines += draw(st.lists(st.sampled_from(BEFORE), max_size=3))
    commands = draw(st.lists(st.sampled_from(COMMANDS), min_size=1, max_size=8))
    run = commands[0]
    for c in commands[1:]:
        run += draw(st.sampled_from(OPS)) + c
    flags = draw(st.sampled_from(["", "--mount=type=cache,target=/usr/local/bin ", "--mount=type=tmpfs,target=/x "]))
    lines.append(f"RUN {flags}{run}")
    return "\n".join(lines) + "\n"


def _findings(text: str) -> list:
    try:
        df = parse(text, "Dockerfile")
    except DockerfileSyntaxError:
        assume(False)
    return list(ais002.check(RuleContext(df, "Dockerfile")))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=dockerfiles())
def test_never_provided_commands_get_the_findings_of_the_provision_checks(text, monkeypatch):
    with monkeypatch.context() as mp:
        mp.setattr(ais002, "NEVER_PROVIDED", False)
        general = _findings(text)
    assert _findings(text) == general


def test_the_shortcut_is_taken_for_a_list_of_calls():
    """An `&&` list of calls with nothing that provides them: every call an error (the shortcut's
    answer); a link onto PATH or project code before a call changes it (the checks' answer)."""
    run = "FROM node:24\nRUN claude -v && {} && claude -v && codex -v\n"
    plain = _findings(run.format("true"))
    assert [(v.start, v.severity) for v in plain] == [(17, None), (38, None), (51, None)]  # (None: an error)
    linked = _findings(run.format("ln -s /opt/x /usr/local/bin/claude"))
    assert [(v.start, v.severity) for v in linked] == [(17, None), (81, None)]
    code = _findings(run.format("./setup.sh"))
    assert [(v.start, v.severity) for v in code] == [(17, None), (44, "warning"), (57, "warning")]
