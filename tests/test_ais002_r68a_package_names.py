"""A harness's package name run plainly is no harness: only a package runner runs a package.

`RUN opencode-ai -v` was an AIS002 error ("`opencode` … would fail with command not found") even
after `COPY opencode-ai /usr/local/bin/`, `ln -s … /usr/local/bin/opencode-ai` or `opencode-ai() {
:; }`: the command's first word was looked up as a package (`npx -y opencode-ai`), though run
plainly it is a command of that name, which no harness's package installs (opencode-ai's
executable is `opencode`). The class: each harness's npm package, spelled with a version or tag,
as a plain command after each way the Dockerfile may make it, or none: no AIS002 finding; the
same words behind each package runner: still its warning.
"""

import itertools

from aishell.lint_rules import ais002_harness_at_build_time as rule
from tests.severities import severities
from tests.switched import read_switched

PACKAGES = ["opencode-ai", "opencode-ai@latest", "opencode-ai@0.3.1"]
MADE = [
    "",
    "COPY {w} /usr/local/bin/\n",
    "RUN ln -s /bin/true /usr/local/bin/{w}\n",
    "RUN printf '#!/bin/sh\\n' > /usr/local/bin/{w} && chmod +x /usr/local/bin/{w}\n",
]
CALLS = ["{w} -v", "{w}() {{ :; }}; {w} -v", "set -e; {w} --version; echo ok", "sudo {w} -v", "env {w}"]
RUNNERS = ["npx -y", "bunx", "pnpm dlx", "yarn dlx", "npm exec --", "deno run -A npm:"]
SCOPED = ["@anthropic-ai/claude-code", "@openai/codex", "@google/gemini-cli", "opencode-ai"]


def test_a_package_name_run_plainly_is_no_harness():
    wrong = []
    for p, made, call in itertools.product(PACKAGES, MADE, CALLS):
        w = p.split("@")[0]
        text = "FROM aishell:foundation\n" + made.format(w=w) + "RUN " + call.format(w=w) + "\n"
        if severities(text):
            wrong.append((text, severities(text)))
    assert not wrong, wrong[:5]


def test_behind_a_package_runner_it_is_still_the_harness():
    for r, p in itertools.product(RUNNERS, SCOPED):
        run = f"{r}{p}" if r.endswith(":") else f"{r} {p} --version"
        assert severities(f"FROM aishell:foundation\nRUN {run}\n") == ["warning"], run


def test_without_it_they_were_errors(monkeypatch):
    text = "FROM aishell:foundation\nCOPY opencode-ai /usr/local/bin/\nRUN opencode-ai -v\n"
    monkeypatch.setattr(rule, "PACKAGE_BY_RUNNER", False)
    assert [f[2] for f in read_switched(text)[1] if f[0] == "AIS002"] == ["error"]
