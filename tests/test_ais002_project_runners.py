"""A harness a package manager runs from the project (`yarn exec claude`, `yarn claude`).

`yarn exec claude`, `yarn claude` and `yarn run claude` had no AIS002 finding: only the package
runners that fetch (`npx`, `pnpm dlx`, `yarn dlx`, `bunx`) were read. The class: a package
manager that runs the project's executable of a name, or a package.json script of it
(aishell.shell.PROJECT_EXEC, PROJECT_SCRIPT_OR_BIN and the bare `yarn X`, `pnpm X`),
behind its options, `--` and corepack too. Each is a warning (the project's copy may be there:
files copied in), none after an install of the harness (project-local or global), and a name
that is no harness (`yarn build`: a script) is no command read.
"""

import itertools

import pytest

from tests.severities import severities

FORMS = [
    "yarn exec {h}",
    "yarn exec -- {h}",
    "yarn {h}",
    "yarn run {h}",
    "yarn run --silent {h}",
    "pnpm exec {h}",
    "pnpm {h}",
    "pnpm run {h}",
    "corepack yarn exec {h}",
    "corepack yarn {h}",
    "sudo -u node yarn exec {h}",
]
HARNESSES = {"claude": "@anthropic-ai/claude-code", "codex": "@openai/codex"}
SUFFIXES = ["", " --version", " -p hi"]


@pytest.mark.parametrize("form,harness,suffix", list(itertools.product(FORMS, HARNESSES, SUFFIXES)))
def test_a_harness_the_project_runs_is_a_warning(form, harness, suffix):
    call = form.format(h=harness) + suffix
    assert severities(f"FROM aishell:foundation\nRUN {call}\n") == ["warning"]
    assert severities(f"FROM aishell:foundation\nRUN set -e; {call}; echo ok\n") == ["warning"]
    package = HARNESSES[harness]
    assert severities(f"FROM aishell:foundation\nRUN npm install {package} && {call}\n") == []
    assert severities(f"FROM aishell:foundation\nRUN npm install {package}\nRUN {call}\n") == []


@pytest.mark.parametrize(
    "line",
    [
        "yarn build",
        "yarn run test",
        "yarn exec echo claude",
        "pnpm exec ls claude",
        "bun run lint -- claude",
        "pnpm install claude-cli",
        "yarn add claude-tools",
        "yarn",
    ],
)
def test_no_harness_run(line):
    assert severities(f"FROM aishell:foundation\nRUN {line}\n") == []


def test_a_fetching_runner_keeps_its_reading():
    assert severities("FROM aishell:foundation\nRUN yarn dlx @anthropic-ai/claude-code --version\n") == ["warning"]
    assert severities("FROM aishell:foundation\nRUN pnpm dlx @openai/codex\n") == ["warning"]
