"""A package manager's install on a RUN line is one plain command to plain_argv (r142).

aishell/shell.py's plain_argv gives the words of a one-line RUN of one plain command, which
AIS101 and AIS102 read instead of the shell reader's script; it refused every first word in
_READ_INTO, npm, pnpm, yarn and bun among them (their `npm exec`, `pnpm dlx`, `yarn exec`, `yarn
claude` run a command the reader reads into). With PLAIN_TOOL_VERBS it takes those whose second
word is an install verb (`npm ci --loglevel=l5`, `yarn add x`): the reader reads them past every
case and records all their words as one command. Here fixed random command lines (the tools and
other names of _READ_INTO, a wrapper or a shell, any word first: runner and script verbs, install
verbs, options with and without values, `--`, `$`, quotes, an assignment, then a list) are read
with the switch on and off: what plain_argv takes is the one command analyse_run gives, it takes
no runner's form, and every rule's findings agree for whole Dockerfiles of them over a context
holding each tool's manifests.
"""

from __future__ import annotations

import random

import pytest

from aishell import shell
from aishell.model import parse
from aishell.lint_rules import ais101_source_before_dependencies as ais101
from aishell.lint_rules import ais102_volatile_arg_early as ais102

from tests.runs import lint_findings, switched

_TOOLS = ["npm", "pnpm", "yarn", "bun", "/usr/local/bin/npm", "./yarn"]
_OTHERS = ["npx", "bunx", "corepack npm", "corepack yarn", "sudo npm", "env npm", "sh", "time", "pip", "make"]
# Second words: the runners' and scripts' verbs, installs, words that name nothing, a harness.
_VERBS = [
    *["exec", "x", "dlx", "run", "run-script", "test", "start", "claude", "global", "help"],
    *["ci", "install", "i", "add", "isntall", "it", "install-test", "clean-install", "ic", "cit"],
]
_OPTIONS = ["--prefix x", "--prefix=x", "-g", "--loglevel=l5", "-y", "--", "-w app", "--no-cache-dir5", "-c claude"]
_ARGS = [
    *["@anthropic-ai/claude-code", "claude", "exec", "x", "ci", "-c", "--", "--jobs 4", "FOO=./x"],
    *["NPM_CONFIG_CAFILE=c", "--cafile /app/ca.pem", "a#b", "-rq.txt", "@openai/codex@1", "run build", "i", "-"],
]
# Words and what comes before or after the command that the fast path leaves to the reader.
_ODD = ["$X", '"$x"', "'a b'", "-c 'claude -v'", "${X:-ci}", "a\\ b", "*.json", "~/x", "a|b", "`x`"]
_BEFORE = ["A=1 ", "$N ", '"npm" ', "exec ", "sudo ", "{ ", "! "]
_AFTER = [" && npm ci", " && claude -v", "; npm exec claude", " | sh", " > /tmp/o", " # c", " &", " || true"]


def _line(r: random.Random) -> str:
    first = r.choice(_TOOLS) if r.random() < 0.7 else r.choice(_OTHERS)
    words = [first]
    if r.random() < 0.15:
        words.append(r.choice(_OPTIONS))  # an option before the subcommand
    if r.random() < 0.95:
        words.append(r.choice(_VERBS))
    for _ in range(r.randrange(4)):
        words.append(r.choice(_ODD) if r.random() < 0.1 else r.choice(_OPTIONS + _ARGS))
    before = r.choice(_BEFORE) if r.random() < 0.1 else r.choice(("", "  ", "\t"))
    after = r.choice(_AFTER) if r.random() < 0.1 else r.choice(("", " ", "\t "))
    return before + " ".join(words) + after


def _lines(n: int, seed: int) -> list[str]:
    r = random.Random(seed)
    return [_line(r) for _ in range(n)]


def _run(line: str):
    return parse(f"FROM node\nRUN {line}\n").instructions[1]


def test_what_plain_argv_takes_is_the_command_the_reader_gives():
    """Each line read alone: what plain_argv gives with the switch on is what it gave off, but
    for a tool's line (its name one of the package managers), and then the one command the
    reader gives, all its words; no runner's, project runner's or script's verb is taken."""
    taken = refused = 0
    for line in [*_lines(4000, 142), "npm", "/usr/bin/yarn", "npm ci", "yarn install --frozen-lockfile"]:
        with switched(("PLAIN_TOOL_VERBS",), True):
            on = shell.plain_argv(_run(line))
            commands = shell.analyse_run(_run(line)).commands
        with switched(("PLAIN_TOOL_VERBS",), False):
            off = shell.plain_argv(_run(line))
        if on == off:
            refused += on is None and line.split()[0] in _TOOLS
            continue
        assert off is None and on is not None, line
        name = on[0].rsplit("/", 1)[-1]
        assert name in ("npm", "pnpm", "yarn", "bun"), line
        assert on[1] not in ("exec", "x", "dlx", "run", "run-script", "test", "start", "claude"), line
        assert [(c.argv, c.name, c.runner) for c in commands] == [(on, name, False)], line
        taken += 1
    assert taken > 400 and refused > 1500, (taken, refused)  # (both sides reached)


@pytest.mark.parametrize("pair", sorted(shell._TOOL_VERBS))
def test_every_verb_taken_reads_as_one_command(pair):
    """Every (tool, verb) the switch takes, with words that would make a runner run them (a
    harness, `-c`, `--`, `exec`), is one command of all its words to the reader."""
    tool, verb = pair
    for rest in ("", " claude -v", " -c claude", " -- claude", " exec claude", " --prefix x x claude"):
        line = f"{tool} {verb}{rest}"
        with switched(("PLAIN_TOOL_VERBS",), True):
            argv = shell.plain_argv(_run(line))
            commands = shell.analyse_run(_run(line)).commands
        assert argv == line.split(), line
        assert [(c.argv, c.runner) for c in commands] == [(argv, False)], line


_CONTEXT = {
    "package.json": '{"dependencies": {"a": "^1.0.0"}}',
    "package-lock.json": "{}",
    "yarn.lock": "",
    "pnpm-lock.yaml": "",
    "bun.lockb": "",
    "requirements.txt": "a==1\n",
    "Gemfile": "source 'https://rubygems.org'\ngem 'a'\n",
    "Gemfile.lock": "",
}
_STAGE = [
    "FROM node:20\nWORKDIR /app\nCOPY . .\n",
    "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\n",
    "FROM node:20\nARG GIT_SHA\nWORKDIR /app\nCOPY . .\n",
    "FROM python\nARG GIT_SHA\nCOPY . /app\nWORKDIR /app\n",
]


def _findings(text: str, on: bool, monkeypatch) -> list:
    with switched(("PLAIN_TOOL_VERBS",), on):
        monkeypatch.setattr(ais102, "_FACTS", {})  # (AIS102's memos of RUN texts: none from the other reading)
        monkeypatch.setattr(ais102, "_WRITES", {})
        return lint_findings(text)


def test_every_finding_agrees_on_whole_dockerfiles(tmp_path, monkeypatch):
    """Dockerfiles of the generated lines (a few RUNs a stage, some repeated, `ARG` in scope,
    after a broad COPY or the manifests') over a context with each tool's manifests: every
    rule's findings are the same with the switch on and off, AIS101's among them."""
    for name, content in _CONTEXT.items():
        (tmp_path / name).write_text(content)
    monkeypatch.chdir(tmp_path)
    r = random.Random(1420)
    lines = _lines(1200, 1421)
    found = volatile = 0
    for i in range(0, len(lines), 8):
        text = ""
        for stage in range(2):
            text += r.choice(_STAGE)
            for line in lines[i + 4 * stage : i + 4 * stage + 4]:
                text += f"RUN {line}\n" * r.choice((1, 1, 2))
            text += "RUN npm ci --loglevel=l5\n"
        on = _findings(text, True, monkeypatch)
        assert on == _findings(text, False, monkeypatch), text
        found += sum(f[0] == "AIS101" for f in on)
        volatile += sum(f[0] == "AIS102" for f in on)
    assert found > 100 and volatile > 20, (found, volatile)  # (the installs are found: the context is read)


@pytest.mark.parametrize("module", [ais101, ais102])
def test_the_rules_read_an_install_line_without_the_reader(module, tmp_path, monkeypatch):
    """With the switch as it is (on), AIS101 and AIS102 read `npm ci --loglevel=l5` and `yarn
    add x` by their words: only `npm --prefix x ci` (an option before the verb) goes to
    analyse_run (tests/test_ais102_fast.py's generator compares AIS102's answers with and
    without the words path)."""
    for name, content in _CONTEXT.items():
        (tmp_path / name).write_text(content)
    monkeypatch.chdir(tmp_path)
    calls: list[str] = []
    real = shell.analyse_run
    monkeypatch.setattr(module, "analyse_run", lambda ins: calls.append(ins.logical) or real(ins))
    text = "FROM node\nARG GIT_SHA\nCOPY . .\nRUN npm ci --loglevel=l5\nRUN yarn add x\nRUN npm --prefix x ci\n"
    with switched((), True):  # (the shell's memos emptied)
        monkeypatch.setattr(ais102, "_FACTS", {})
        monkeypatch.setattr(ais102, "_WRITES", {})
        lint_findings(text)
    assert set(calls) == {"RUN npm --prefix x ci"}
