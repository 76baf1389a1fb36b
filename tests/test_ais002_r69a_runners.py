"""`nvm exec VERSION CMD` and `hatch run CMD` run a harness in the environment they set up (issue
18, r69a): a warning, as the other tool runners' (tests/test_ais002_r68a_tool_runners.py), never an
error (that environment may provide it), and nothing where the command is no harness or not known.
Generated over the harnesses, the runners' options and the contexts a RUN puts them in."""

import itertools

import pytest

from aishell import shell
from tests.severities import severities

HARNESSES = ["claude -v", "codex --version", "gemini -v", "opencode -v"]
RUNNERS = ["nvm exec 20", "nvm exec --silent 20", "nvm exec lts/iron", "hatch run", "hatch run -- "]
CONTEXTS = ["{c}", "set -e; {c}", "true && {c}", "{c} && echo ok", "sudo -u node {c}", 'sh -c "{c}"']
NOT_A_CALL = ["nvm exec 20 node -v", "hatch run test", "hatch run claude-docs", "nvm exec claude -v", "nvm use 20"]


def _lint(run: str) -> list[str]:
    return severities(f"FROM aishell:foundation\nRUN {run}\n")


@pytest.mark.parametrize("context", CONTEXTS)
def test_a_harness_a_runner_runs_is_a_warning(context):
    wrong = []
    for runner, harness in itertools.product(RUNNERS, HARNESSES):
        run = context.format(c=f"{runner} {harness}".replace("--  ", "-- "))
        if _lint(run) != ["warning"]:
            wrong.append((run, _lint(run)))
    assert not wrong


@pytest.mark.parametrize("run", NOT_A_CALL)
def test_no_finding_where_it_runs_no_harness(run):
    assert _lint(run) == []


def test_without_the_table_entries_they_had_no_finding(monkeypatch):
    table = {k: v for k, v in shell.TOOL_RUNNERS.items() if k[0] not in ("nvm", "hatch")}
    monkeypatch.setattr(shell, "TOOL_RUNNERS", table)
    assert _lint("nvm exec 20  claude -v") == [] and _lint("hatch run  codex -v") == []
