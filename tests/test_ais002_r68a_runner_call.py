"""A package runner's `-c STRING` runs with the packages it fetched on PATH: no AIS002 error.

`RUN npx --package @openai/codex -c 'codex --version'` was an AIS002 error ("this RUN would fail
with command not found"), but npm exec (npx) runs the `-c`/`--call` string in a shell whose PATH
holds the bins of the `--package`/`-p` packages it fetched and the project's node_modules/.bin
(docs.npmjs.com, npm-exec: "--call"): the harness is found there, as `npx -y @openai/codex` finds
it, which is a warning. Without a package the project's copy may hold it (`yarn exec claude`:
a warning too). The class: every runner spelling that takes `-c` (npx, npm exec, npm x), each
way of naming a package or none, each harness and its package, and what follows the command:
never an error, always a finding (the harness still runs at build time). A shell any runner
runs inherits that PATH (`npx -p @openai/codex sh -c 'codex -v'`, `yarn exec sh -c …`, `poetry run
bash -c …`): the same, for each runner, shell form and harness.
"""

import itertools

import pytest

from tests.severities import severities
from tests.switched import read_switched

RUNNERS = ["npx", "npx -y", "npm exec", "npm x --yes", "/usr/bin/npx"]
HARNESS = {
    "claude": "@anthropic-ai/claude-code",
    "codex": "@openai/codex",
    "gemini": "@google/gemini-cli",
    "opencode": "opencode-ai",
}
PACKAGES = ["", "-p {p}", "--package={p}", "--package {p}", "-p {p}@latest"]
CALLS = ["-c '{h} --version'", "--call '{h} --version'", "--call='{h} -v'", "-c '{h} -v && echo ok'"]
AFTER = ["", " && echo ok", "; echo done", " || true"]
CASES = [
    f"RUN {r} {pk.format(p=HARNESS[h])} {c.format(h=h)}{a}".replace("  ", " ")
    for r, h, pk, c, a in itertools.product(RUNNERS, HARNESS, PACKAGES, CALLS, AFTER)
]


def test_a_runners_call_string_is_never_an_error():
    wrong = []
    for run in CASES:
        found = severities("FROM aishell:foundation\n" + run + "\n")
        if "error" in found or not found:
            wrong.append((run, found))
    assert not wrong, wrong[:10]


@pytest.mark.parametrize(
    "run", ["RUN npx -p @openai/codex -c 'codex --version'", "RUN set -e; npm exec -c 'claude -v'"]
)
def test_without_it_they_were_errors(run):
    text = "FROM aishell:foundation\n" + run + "\n"
    on = [f[2] for f in read_switched(text)[1] if f[0] == "AIS002"]
    off = [f[2] for f in read_switched(text, RUNNER_CALL_UNSURE=False)[1] if f[0] == "AIS002"]
    assert on == ["warning"] and off == ["error"], (on, off)


SHELL_RUNNERS = [
    "npx -y -p {p}",
    "npm exec --package={p} --",
    "yarn exec",
    "pnpm exec",
    "pnpm dlx -p {p}",
    "poetry run",
    "mise exec npm:{p} --",
    "nix develop -c",
    "uv run",
]
SHELL_FORMS = ["sh -c '{h} --version'", "bash -lc '{h} -v; echo ok'", "sh -ec '{h} -v'", "sh <<'EOF'\n{h} -v\nEOF"]


def test_a_shell_a_runner_runs_is_never_an_error():
    wrong = []
    for r, (h, p), f, a in itertools.product(SHELL_RUNNERS, HARNESS.items(), SHELL_FORMS, AFTER[:2]):
        form = f.format(h=h)
        body = form.split("\n", 1)
        run = f"RUN set -e; {r.format(p=p)} {body[0]}{a}" + ("\n" + body[1] if len(body) > 1 else "")
        found = severities("FROM aishell:foundation\n" + run + "\n")
        if "error" in found or not found:
            wrong.append((run, found))
    assert not wrong, wrong[:10]


def test_without_it_a_shell_was_an_error():
    text = "FROM aishell:foundation\nRUN npx -y -p @openai/codex sh -c 'codex --version'\n"
    off = [f[2] for f in read_switched(text, RUNNER_CALL_UNSURE=False)[1] if f[0] == "AIS002"]
    assert off == ["error"], off


STRING_WRAPPERS = [
    "flock /tmp/l -c '{h} -v'",
    "env -S '{h} -v'",
    "script -qc '{h} -v' /dev/null",
    "xargs sh -c '{h} -v'",
]


def test_a_string_a_runner_runs_in_turn_is_never_an_error():
    """`npx -p @openai/codex flock f -c 'codex -v'`: the wrapper and its string have the PATH."""
    wrong = []
    for r, (h, p), w in itertools.product(SHELL_RUNNERS, HARNESS.items(), STRING_WRAPPERS):
        run = f"RUN set -e; {r.format(p=p)} {w.format(h=h)} </dev/null"
        found = severities("FROM aishell:foundation\n" + run + "\n")
        if "error" in found or not found:
            wrong.append((run, found))
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("w", STRING_WRAPPERS[:2])
def test_after_the_runners_command_the_rest_is_the_runs_own(w):
    """The runner's PATH is its command's: a later command of the RUN is judged as before."""
    text = f"FROM aishell:foundation\nRUN set -e; npx -y prettier --version; {w.format(h='claude')}\n"
    assert severities(text) == ["error"], text
