"""AIS002 harness-at-build-time: a RUN executes a harness the image does not have.

## What it does
Finds `RUN` steps that execute a harness executable (`claude`, `codex`,
`gemini`, `opencode`) that the Dockerfile did not install earlier in the same
stage or a stage it is built from. It follows `&&`, `||`, `;`, pipes,
subshells, `$( )`, wrappers such as `sudo`, `env` and `timeout`, and the
strings of `sh -c` / `bash -lc`. Arguments are not commands: `echo claude`,
`ls /opt/claude` and `command -v claude` are fine.

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
"""

from __future__ import annotations

from aishell.findings import UNSAFE, Example, Fix, Violation
from aishell.harness import BY_EXECUTABLE, find_install
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
]


def check(ctx: RuleContext):
    df = ctx.df
    for stage in df.stages:
        installed: set[str] = set()
        # Stages this one is built FROM ran completely before it.
        for parent in reversed(df.stage_chain(stage)[1:]):
            for ins in parent.instructions:
                if ins.keyword == "RUN":
                    installed |= _installs(analyse_run(ins))
        for ins in stage.instructions:
            if ins.keyword != "RUN":
                continue
            script = analyse_run(ins)
            for cmd in script.commands:
                harness = BY_EXECUTABLE.get(cmd.name)
                if harness is None or harness.name in installed or not cmd.spans or cmd.spans[0] is None:
                    continue
                edit = drop_command(df, ins, script, cmd)
                fix = Fix(UNSAFE, f"Remove `{cmd.name}` from this RUN", (edit,)) if edit else None
                a, b = cmd.spans[0]
                yield Violation(
                    f"`{cmd.name}` runs at build time, but harnesses exist only at run time "
                    f"(from the harness volume); this RUN would fail with \"command not found\"",
                    a,
                    b,
                    fix,
                )
            installed |= _installs(script)


def _installs(script) -> set[str]:
    out: set[str] = set()
    for cmd in script.commands:
        inst = find_install(cmd.argv)
        if inst:
            out |= {h.name for h in inst.harnesses}
    return out
