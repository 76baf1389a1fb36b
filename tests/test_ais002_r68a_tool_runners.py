"""A harness run through a tool or environment manager is an AIS002 warning.

`RUN poetry run claude -v`, `RUN mise exec npm:@openai/codex -- codex --version`, `RUN bundle exec
codex`, `RUN nix shell nixpkgs#codex -c codex` had no AIS002 finding: the manager's name was read
as the command and the harness as its argument. Each runs the command in the environment it
sets up, so the harness runs at build time; that environment may provide it (mise's npm
backend and nix fetch it), so it is a warning, never "not found" for sure. The class: each
manager's run subcommand, spelled with its options as its documentation gives them (`--opt V`,
`--opt=V`, flags, the positional words before the command, `--`), generated with each harness
and what follows; a harness in any other place (an option's value, a positional word, a tool
spec before `--`, an argument) runs nothing and has no finding.
"""

import itertools

import pytest

from aishell import shell
from aishell.lint import Options, lint_text
from aishell.model import parse
from tests.runs import switched
from tests.switched import read_switched

# (prefix that puts the command next, as the tool's docs spell it)
RUNS = [
    "mise exec --",
    "mise exec npm:{p} --",
    "mise x node@20 npm:{p} --",
    "rtx exec --",
    "flox activate --",
    "guix shell node --",
    "asdf exec",
    "direnv exec .",
    "direnv exec /app",
    "volta run",
    "volta run --node 20",
    "volta run --node=20 --bundled-npm",
    "fnm exec --using=20",
    "fnm exec --using 20",
    "poetry run",
    "poetry run -C /app",
    "poetry run --directory=/app",
    "uv run",
    "uv run --with x",
    "uv run --python 3.12 --frozen",
    "uv run --",
    "pipenv run",
    "pdm run",
    "pdm run -p /app",
    "pixi run -e dev",
    "bundle exec",
    "bundle exec --gemfile=Gemfile",
    "devbox run",
    "devbox run --pure",
    "conda run -n base",
    "conda run --no-capture-output -p /opt/env",
    "mamba run -n x",
    "micromamba run -n x",
    "nix develop -c",
    "nix develop .#dev --command",
    "nix shell nixpkgs#{p} -c",
]
HARNESS = {
    "claude": "@anthropic-ai/claude-code",
    "codex": "@openai/codex",
    "gemini": "@google/gemini-cli",
    "opencode": "opencode-ai",
}
AFTER = ["", " --version", " -p 'hi' && echo ok", " || true"]
# The harness where it is no command: a value, a positional word, a tool spec, an argument.
NOT_RUN = [
    "mise exec {h} -- echo hi",
    "mise exec npm:{p}",
    "flox activate",
    "direnv exec {h} echo hi",
    "volta run --node {h} echo",
    "fnm exec --using {h} echo",
    "poetry run -C {h} pytest",
    "uv run --with {h} python x.py",
    "uv run --from {h} python",
    "pdm run -p {h} test",
    "pixi run -e {h} test",
    "bundle exec --gemfile {h} rake",
    "conda run -n {h} python",
    "poetry run pytest {h}",
    "asdf exec node {h}.js",
    "nix develop {h} -c echo",
    "nix shell nixpkgs#{h}",
    "poetry install --with {h}",
    "uv run --unknown-opt {h}",  # (an option the table does not know: not read)
]


def _ais002(text: str) -> list:
    return [f for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings if f.code == "AIS002"]


CASES = [(f"{r.format(p=p)} {h}{a}", h) for r, (h, p), a in itertools.product(RUNS, HARNESS.items(), AFTER)]


def test_each_manager_runs_the_harness_a_warning():
    wrong = []
    for run, h in CASES:
        found = _ais002(f"FROM aishell:foundation\nRUN {run}\n")
        if [f.severity for f in found] != ["warning"] or f"`{h}` runs at build time through a tool" not in found[
            0
        ].message:
            wrong.append((run, [(f.severity, f.message[:60]) for f in found]))
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("form", NOT_RUN)
def test_a_harness_elsewhere_has_no_finding(form):
    for h, p in HARNESS.items():
        run = form.format(h=h, p=p)
        assert _ais002(f"FROM aishell:foundation\nRUN {run}\n") == [], run


def test_without_the_table_they_had_no_finding():
    for run, _ in CASES[::9]:
        findings = read_switched(f"FROM aishell:foundation\nRUN {run}\n", TOOL_RUNNERS_ON=False)[1]
        assert [f for f in findings if f[0] == "AIS002"] == [], run


_TOOLS = sorted({t for t, _ in shell.TOOL_RUNNERS})
_SUBS = sorted({v for _, v in shell.TOOL_RUNNERS} | {"install", "pip", "sync", "add", "env", "build", "claude"})
_REST = ["", " claude -v", " -- claude", " -c codex", " --with x claude", " x y"]


@pytest.mark.parametrize("tool", _TOOLS)
def test_plain_argv_takes_only_what_runs_no_command(tool):
    """For every tool, subcommand and rest: what plain_argv takes (PLAIN_TOOL_RUNNERS) is the one
    command the reader gives, and never a runner's form; with it off it takes none."""
    for sub, rest in itertools.product(_SUBS, _REST):
        line = f"{tool} {sub}{rest}"
        ins = parse(f"FROM aishell:foundation\nRUN {line}\n").instructions[1]
        argv = shell.plain_argv(ins)
        if (tool, sub) in shell.TOOL_RUNNERS:
            assert argv is None, line
            continue
        assert argv == line.split(), line
        assert [(c.argv, c.runner) for c in shell.analyse_run(ins).commands] == [(argv, False)], line
        with switched(("PLAIN_TOOL_RUNNERS",), False):
            assert shell.plain_argv(ins) is None, line
