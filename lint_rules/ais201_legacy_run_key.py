"""AIS201 legacy-run-key: a run setting at the config's top level, in the original aishell's schema.

## What it does
Finds the original aishell's top-level run keys in `.aishell/config.yaml` (and
in the user config): `extends`, `mounts`, `env`, `ports`, `docker_args`,
`pre_start`, `harness_args`, `claude_isolation` and `detection`. Each is one
finding on its key, naming the `run:` key it becomes. Lint then goes on with the
Dockerfile: the config still loads, read as `run:`.

## Why is this bad?
aishell keeps run settings under `run:` (beside `lint:` and `build:`). It reads
the original's keys so an unmigrated project builds and runs, but prints a
warning on every command until the file is migrated, and a reader of the file
cannot tell which schema it follows.

## Example
```yaml
mounts:
  - ~/.m2
env:
  EDITOR:
claude_isolation: project
```

## Use instead
```yaml
run:
  mounts:
    - ~/.m2
  env:
    EDITOR:
  isolation: project
```

## Fix safety
Safe. `aishell migrate --write` moves each key, with the comments right above
it and its formatting, under `run:` (created where the first such key was, or
extended when it exists), renames `claude_isolation` to `isolation` (`shared`
becomes `host`) and `extends: global` to `extends: user`, and moves
`harness_args` entries for harnesses aishell does not run (pi, vscode) to
`legacy.harness_args`. The rewrite is checked before it is written: it must
load to the same settings and keep every comment line. A key that is already
set under `run:` is kept under `legacy:` instead (AIS202 names it).
"""

from __future__ import annotations

from aishell.rule import ConfigContext
from aishell.findings import SAFE, Example, Fix, Violation
from aishell.legacy_config import plan

CODE = "AIS201"
NAME = "legacy-run-key"
SEVERITY = "warning"
FIX_AVAILABILITY = "always"
TARGET = "config"  # reads .aishell/config.yaml (aishell.config_lint), not the Dockerfile

CONFIG = ".aishell/config.yaml"

VALID = [
    Example(
        "run:\n  mounts:\n    - ~/.m2\n  env:\n    EDITOR:\n", name="run settings under run:", dockerfile_name=CONFIG
    ),
    Example(
        "lint:\n  ignore: [AIS101]\nlegacy:\n  pi_packages: [x]\n", name="legacy: is aishell's", dockerfile_name=CONFIG
    ),
    Example("# just a comment\n", name="empty config", dockerfile_name=CONFIG),
]

INVALID = [
    Example(
        "# mounts for maven\nmounts:\n  - $HOME/.m2   # cache\nenv:\n  DEBUG: 'true'\n  EDITOR:\n",
        "run:\n  # mounts for maven\n  mounts:\n    - $HOME/.m2   # cache\n  env:\n    DEBUG: 'true'\n    EDITOR:\n",
        findings=2,
        name="mounts and env",
        dockerfile_name=CONFIG,
        spans=((2, 1, 2, 7), (4, 1, 4, 4)),
    ),
    Example(
        "lint:\n  ignore: [AIS101]\nrun:\n  sudo: false\n\nclaude_isolation: shared\nports: ['8080:80']\n",
        "lint:\n  ignore: [AIS101]\nrun:\n  sudo: false\n  isolation: host\n  ports: ['8080:80']\n\n",
        findings=2,
        name="into an existing run: section, renamed",
        dockerfile_name=CONFIG,
        spans=((6, 1, 6, 17), (7, 1, 7, 6)),
    ),
    Example(
        "extends: global\ndocker_args: --gpus=all --memory=8g\npre_start:\n  - redis-server --daemonize yes\n",
        "run:\n  extends: user\n  docker_args: --gpus=all --memory=8g\n  pre_start:\n    - redis-server --daemonize yes\n",
        findings=3,
        name="extends, docker_args string, pre_start list",
        dockerfile_name=CONFIG,
        spans=((1, 1, 1, 8), (2, 1, 2, 12), (3, 1, 3, 10)),
    ),
    Example(
        "harness_args:\n  claude: [--model, sonnet]\n  pi: --print\n",
        "run:\n  harness_args:\n    claude: [--model, sonnet]\nlegacy:\n  harness_args:\n    pi: --print\n",
        name="harness_args for a harness aishell does not run",
        dockerfile_name=CONFIG,
        spans=((1, 1, 1, 13),),
    ),
]


def check(ctx: ConfigContext):
    moves = {m.key: m for m in plan({k.key: k.value for k in ctx.keys})}
    for k in ctx.keys:
        m = moves.get(k.key)
        if m is None or not m.target.startswith("run."):
            continue
        yield Violation(
            f"`{k.key}` is the original aishell's top-level key: in aishell it is `{m.target}` ({m.note})",
            k.start,
            k.start + len(k.key),
            Fix(SAFE, f"Move `{k.key}` to `{m.target}`", ()),
        )
