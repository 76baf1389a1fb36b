"""A plain line's package-manager install read in one pass gives what the reader gives (issue 18, r101).

aishell/shell.py's _plain_line reads a RUN line, or the body of `RUN <<EOF`, of plain commands
without a reader; a command whose first word is npm, pnpm, yarn or bun (package runners' first
words: plain_name refuses them) it left to the reader, whose _command reads an install (`npm
install -g @anthropic-ai/claude-code@1.0.3`, `pnpm add x`) past every case and records it as it
is. With INSTALL_LINE it reads those itself (a file of 190,000 distinct install RUNs made a reader
for each). Each script here is an install form (5 tools, 12 second words: the install verbs and
the words that name a runner, a project's bin or script, or nothing, 7 argument lists) in one of 6
contexts, as a RUN line, a RUN continued over two lines and the body of `RUN <<EOF` (a fixed
random 480 of the 2,520 scripts: a few seconds): read with INSTALL_LINE on and off, everything a
rule sees of the script must agree (commands, spans, items, the tokens kept for the walk), the
walk's memo key and what the status walk decides under two SHELLs, the compact form a script let
go is kept in (aishell.compact, which reads a plain line's spans in one step too), and every
finding of every rule.
"""

from __future__ import annotations

import random
from itertools import product

from aishell import compact, shell

from tests.runs import read_switched
from tests.test_plain_line_fast import _text  # (a line, a continued line and a heredoc body of each script)
from tests.test_shell_fast import _dump

_TOOLS = ["npm", "pnpm", "yarn", "bun", "/usr/local/bin/npm"]
_VERBS = ["install", "i", "add", "isntall", "it", "ci", "exec", "x", "dlx", "run", "claude", "global"]
_ARGS = [
    "-g @anthropic-ai/claude-code@1.0.3",
    "@openai/codex",
    "",
    "-g",
    "--prefix /x claude",
    "-c claude",
    "-- @google/gemini-cli opencode-ai",
]
_CONTEXTS = ["{}", "echo 1 && {}", "{}; claude -v", "{} && claude --version", "npx claude || {}", "{} & {}"]
_SHELLS = [shell.DEFAULT_SHELL, (True, True)]


def _scripts() -> list[str]:
    out = []
    for tool, verb, args, context in product(_TOOLS, _VERBS, _ARGS, _CONTEXTS):
        command = f"{tool} {verb} {args}".rstrip()
        out.append(context.format(command, command))
    return out


def _record(ins) -> tuple:
    on = shell.INSTALL_LINE
    script = shell.analyse_run(ins)
    kept = [script.tokens, *(script.doc_tokens or {}).values()]
    tokens = [None if t is None else (t.texts, list(t.starts), list(t.ops)) for t in kept]
    shapes = [[shell._walk_shape(t, s, script.shape if on else None) for s in _SHELLS] for t in kept if t is not None]
    packed = compact.compact(script, ins.start)
    form = None if packed is None else (packed.form, packed.argvs, packed.delta)
    if packed is not None:
        assert _dump(compact.made(packed)) == _dump(script)
    fails = []
    for s in _SHELLS:
        ins.shell = script  # (each walk takes the body's tokens: given again)
        script.doc_tokens = dict(zip(range(len(kept) - 1), kept[1:])) if kept[1:] else None
        fails.append(sorted(shell.failing_starts(ins, s)))
    taken = script.shape is False and any(c.name in ("npm", "pnpm", "yarn", "bun") for c in script.commands)
    return taken, (_dump(script), tokens, shapes, form, fails)


def _read(text: str, on: bool):
    runs, findings = read_switched(text, ("INSTALL_LINE",), on, _record)
    return [r for _, r in runs], findings, sum(t for t, _ in runs)


def test_an_install_line_reads_as_the_reader_reads_it():
    scripts = _scripts()
    assert len(scripts) == 5 * 12 * 7 * 6  # 2,520 scripts
    chosen = random.Random(101).sample(scripts, 480)
    taken = 0
    for k in range(0, len(chosen), 240):  # (a Dockerfile of 720 RUNs at a time)
        text = _text(chosen[k : k + 240])
        fast = _read(text, True)
        general = _read(text, False)
        assert general[2] == 0
        assert fast[:2] == general[:2]
        taken += fast[2]
    assert taken > 150  # (the installs: read the one-pass way)


def test_what_it_leaves_to_the_reader():
    """No install verb, or a word that makes the tool a runner: _plain_line declines."""
    for s in ["npm exec claude", "npm x claude", "pnpm dlx claude", "yarn claude", "yarn run claude", "bun x claude"]:
        assert shell._plain_line(shell._Mapped(s, range(len(s))), []) is None, s
        assert shell._plain_line(shell._Mapped("npm i x && " + s, range(len(s) + 11)), []) is None, s
    for s in ["npm install -g @anthropic-ai/claude-code@1.0.3", "pnpm add x; bun i y", "/usr/bin/yarn add z"]:
        items: list = []
        read = shell._plain_line(shell._Mapped(s, range(len(s))), items)
        assert read is not None and read[2] is False, s  # (no walk key: _walk_shape makes none)
        assert len(items) == len(read[0])
