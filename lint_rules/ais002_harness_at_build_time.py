"""AIS002 harness-at-build-time: a RUN executes a harness the image does not have.

## What it does
Finds `RUN` and `ONBUILD RUN` steps that execute a harness (`claude`, `codex`,
`gemini`, `opencode`) that the Dockerfile did not install earlier: in the same
stage, a stage it is built from, or earlier in the same `RUN`. It follows `&&`,
`||`, `;`, pipes, subshells, `$( )`, wrappers (`sudo`, `env`, `timeout`,
`gosu`, `runuser`), the strings of `sh -c`, `bash -lc`, `su -c` and `eval`,
heredocs given to a shell (`RUN <<EOF`, `RUN bash -e <<EOF`, `sh -s <<EOF`),
the exec form (`["/bin/sh", "-e", "-c", "…"]`) and package runners (`npx -y`,
`bunx`, `pnpm dlx`, `npm exec`, `yarn dlx`) given a harness package.
Arguments are not commands: `echo claude`, `ls /opt/claude` and `command -v
claude` are fine, and neither is a heredoc written to a file (`cat > f <<'SH'`)
or a script for another interpreter (`#!/usr/bin/env python3`).

## Why is this bad?
Harnesses are no longer part of any image. They live in the harness volume,
which is mounted only when a container runs, so at build time the command
fails with "command not found". Checking a harness at build time also ties
the extension image to one harness version, which is what the three tiers
exist to prevent.

## Example
```dockerfile
FROM aishell:foundation
RUN apt-get update && claude --version && apt-get install -y jq
```

## Use instead
```dockerfile
FROM aishell:foundation
RUN apt-get update && apt-get install -y jq
```
Run harness checks in the container, after `aishell build`, for example in an
entrypoint hook or a test.

## Fix safety
Unsafe. The fix drops the command from its list (with the `&&`/`;` that joined
it) or drops the whole `RUN` when nothing else is left. When the command was
joined by `||`, or later steps relied on its output, the behaviour changes.
Commands nested in `sh -c` strings, subshells or control structures get no fix.
A heredoc the removed command opens (`RUN claude -p <<EOF && echo ok`) goes with
it, body and terminator; a removal that would take a comment line between the
continuations with it gets no fix; a `RUN` removed whole takes the comment lines
directly above it (they belong to it: a `# aishell: ignore=` there would
otherwise land on the next instruction). Every fix is checked before it is
applied (the result must parse into the expected instructions, heredocs and
comments in place); one that fails is reported as not fixable.
"""

from __future__ import annotations

from aishell.findings import UNSAFE, Example, Fix, Violation
from aishell.harness import BY_EXECUTABLE, find_install, may_mention_harness, package_harness
from aishell.rule import RuleContext
from aishell.shell import analyse_run
from lint_rules._edits import drop_command

CODE = "AIS002"
NAME = "harness-at-build-time"
SEVERITY = "error"
FIX_AVAILABILITY = "sometimes"

VALID = [
    Example("FROM aishell:foundation\nRUN echo claude && ls /opt/claude && grep gemini /etc/hosts\n", name="arguments"),
    Example("FROM aishell:foundation\nRUN apt-get install -y foo-codex && command -v claude || true\n", name="package names and lookups"),
    Example(
        "FROM node:24\nRUN npm install -g @anthropic-ai/claude-code\nRUN claude --version\n",
        name="installed earlier in the stage",
    ),
    Example(
        "FROM node:24 AS tools\nRUN npm i -g @openai/codex\nFROM tools\nRUN codex --help\n",
        name="installed in the parent stage",
    ),
    Example('FROM aishell:foundation\nCMD ["claude"]\n', name="run-time command"),
    Example(
        "FROM aishell:foundation\nRUN npm i -g @openai/codex && codex --version\n",
        name="installed earlier in the same RUN (AIS003 reports the install)",
    ),
    Example(
        "FROM aishell:foundation\nRUN <<EOF\ncat > /usr/local/bin/ai <<'SH'\n#!/bin/sh\nexec claude \"$@\"\nSH\n"
        "chmod +x /usr/local/bin/ai\nEOF\n",
        name="a heredoc written to a file is data",
    ),
    Example(
        "FROM aishell:foundation\nRUN <<EOF\n#!/usr/bin/env python3\nimport subprocess\nsubprocess.run(['claude'])\nEOF\n",
        name="a heredoc for another interpreter",
    ),
]

INVALID = [
    Example(
        "FROM aishell:foundation\nRUN claude --version\n",
        "FROM aishell:foundation\n",
        name="only command",
    ),
    Example(
        "FROM aishell:foundation\nRUN apt-get update && claude --version && apt-get install -y jq\n",
        "FROM aishell:foundation\nRUN apt-get update && apt-get install -y jq\n",
        name="middle of a chain",
    ),
    Example(
        "FROM aishell:foundation\nRUN apt-get update \\\n    && codex --version\n",
        "FROM aishell:foundation\nRUN apt-get update\n",
        name="last in a continued chain",
    ),
    Example(
        "FROM aishell:foundation\nRUN sudo -u node env HOME=/home/node gemini --version; echo done\n",
        "FROM aishell:foundation\nRUN echo done\n",
        name="behind wrappers",
    ),
    Example(
        "FROM aishell:foundation\nRUN bash -lc 'opencode --version'\n",
        None,
        name="inside bash -lc: reported, no fix",
    ),
    Example(
        "FROM aishell:foundation\nRUN <<EOF\nset -e\nclaude --version\napt-get update\nEOF\n",
        "FROM aishell:foundation\nRUN <<EOF\nset -e\napt-get update\nEOF\n",
        name="heredoc script",
    ),
    Example(
        'FROM aishell:foundation\nRUN ["codex", "--version"]\n',
        "FROM aishell:foundation\n",
        name="exec form",
    ),
    Example(
        "FROM node:24 AS tools\nRUN npm i -g @openai/codex\nFROM node:24\nRUN codex --help\n",
        "FROM node:24 AS tools\nRUN npm i -g @openai/codex\nFROM node:24\n",
        name="installed in an unrelated stage",
    ),
    Example(
        "FROM aishell:foundation\nRUN claude --version && codex --version\n",
        "FROM aishell:foundation\n",
        findings=2,
        name="two harnesses",
    ),
    Example("FROM aishell:foundation\nRUN gosu node claude --version\n", "FROM aishell:foundation\n", name="gosu"),
    Example(
        "FROM aishell:foundation\nRUN runuser -u node -- gemini --version && echo ok\n",
        "FROM aishell:foundation\nRUN echo ok\n",
        name="runuser",
    ),
    Example('FROM aishell:foundation\nRUN su -c "codex --help" node\n', None, name="su -c: reported, no fix"),
    Example('FROM aishell:foundation\nRUN eval "opencode --version"\n', None, name="eval: reported, no fix"),
    Example(
        "FROM aishell:foundation\nRUN bash -euo pipefail <<EOF\nclaude --version\napt-get update\nEOF\n",
        "FROM aishell:foundation\nRUN bash -euo pipefail <<EOF\napt-get update\nEOF\n",
        name="heredoc given to a shell with options",
    ),
    Example(
        'FROM aishell:foundation\nRUN ["/bin/sh", "-e", "-c", "claude --version"]\n', None,
        name="exec form with options: reported, no fix",
    ),
    Example(
        "FROM aishell:foundation\nRUN npx -y @anthropic-ai/claude-code --version\n",
        "FROM aishell:foundation\n",
        name="package runner",
    ),
    Example(
        "FROM aishell:foundation\nRUN pnpm dlx @google/gemini-cli --version; echo ok\n",
        "FROM aishell:foundation\nRUN echo ok\n",
        name="pnpm dlx",
    ),
    Example("FROM aishell:foundation\nONBUILD RUN claude --version\n", "FROM aishell:foundation\n", name="ONBUILD RUN"),
    Example(
        "FROM aishell:foundation\nRUN apt-get update \\\n# install jq\n && claude --version \\\n && apt-get install -y jq\n",
        "FROM aishell:foundation\nRUN apt-get update \\\n# install jq\n && apt-get install -y jq\n",
        name="a comment line between the continuations stays",
    ),
    Example(
        "FROM aishell:foundation\nRUN claude -p <<EOF && echo ok\nsummarise the repo\nEOF\n",
        "FROM aishell:foundation\nRUN echo ok\n",
        name="the heredoc the command opens goes with it",
    ),
    Example(
        "FROM aishell:foundation\nRUN cat > /f <<EOF && claude --version; echo done\nhello\nEOF\n",
        "FROM aishell:foundation\nRUN cat > /f <<EOF ; echo done\nhello\nEOF\n",
        name="`<<EOF` is not glued to the `;` after it",
    ),
    Example(
        "FROM aishell:foundation\n# check the harness\nRUN claude --version\nRUN echo ok\n",
        "FROM aishell:foundation\nRUN echo ok\n",
        name="the comment above a removed RUN goes with it",
    ),
]


def _harness(cmd):
    """The harness a command runs: by executable name, or by package (`npx -y @openai/codex`)."""
    return BY_EXECUTABLE.get(cmd.name) or (package_harness(cmd.argv[0]) if cmd.argv else None)


def _runs(ins):
    """The RUN an instruction executes: itself, or the RUN an ONBUILD carries."""
    if ins.keyword == "RUN":
        return ins
    if ins.keyword == "ONBUILD" and ins.sub is not None and ins.sub.keyword == "RUN":
        return ins.sub
    return None


def check(ctx: RuleContext):
    df = ctx.df
    for stage in df.stages:
        installed: set[str] = set()
        # Stages this one is built FROM ran completely before it.
        for parent in reversed(df.stage_chain(stage)[1:]):
            for ins in parent.instructions:
                if _runs(ins) is not None and may_mention_harness(ins):
                    installed |= {name for name, _ in _installs(analyse_run(ins))}
        for ins in stage.instructions:
            if _runs(ins) is None or not may_mention_harness(ins):
                continue
            script = analyse_run(ins)
            here = _installs(script)
            for cmd in script.commands:
                harness = _harness(cmd)
                if harness is None or harness.name in installed or not cmd.spans or cmd.spans[0] is None:
                    continue
                a, b = cmd.spans[0]
                # Installed earlier in this same RUN: the command works; AIS003 reports the install.
                if any(name == harness.name and at < a for name, at in here):
                    continue
                edits = drop_command(df, ins, script, cmd)
                fix = Fix(UNSAFE, f"Remove `{cmd.argv[0]}` from this RUN", edits) if edits else None
                yield Violation(
                    f"`{harness.executables[0]}` runs at build time, but harnesses exist only at run time "
                    f"(from the harness volume); this RUN would fail with \"command not found\"",
                    a,
                    b,
                    fix,
                )
            installed |= {name for name, _ in here}


def _installs(script) -> list[tuple[str, int]]:
    """(harness name, source offset) of each install the script performs."""
    out: list[tuple[str, int]] = []
    for cmd in script.commands:
        inst = find_install(cmd.argv)
        if inst:
            at = cmd.spans[0][0] if cmd.spans and cmd.spans[0] is not None else -1
            out.extend((h.name, at) for h in inst.harnesses)
    return out
