"""AIS202 legacy-key-without-equivalent: an original aishell setting that aishell does not have.

## What it does
Finds the original aishell's top-level keys that have no equivalent here:
`claude_shared_paths`, `gitleaks_freshness_check`,
`gitleaks_freshness_threshold`, `update_check` and `pi_packages`, and a run key
(`env`, `mounts` …) whose `run:` counterpart is already set, so the two cannot
both apply. Each is one finding naming why it has no effect.

## Why is this bad?
The setting does nothing in aishell: a reader (or the user who wrote it) would
expect Claude's shared paths, a gitleaks reminder, an update check or pi
packages that never come. aishell ignores the key rather than refusing the file,
so the project still lints, builds and runs.

## Example
```yaml
pi_packages:
  - pi-plugin
update_check:
  enabled: false
```

## Use instead
```yaml
legacy:
  pi_packages:
    - pi-plugin
  update_check:
    enabled: false
```

## Fix safety
Safe. `aishell migrate --write` moves the key, with its comments, under
`legacy:`, a section aishell reads and ignores: nothing is lost, and the file
says plainly that these settings are kept only as a record.
"""

from __future__ import annotations

from aishell.rule import ConfigContext
from aishell.findings import SAFE, Example, Fix, Violation
from aishell.legacy_config import plan

CODE = "AIS202"
NAME = "legacy-key-without-equivalent"
SEVERITY = "warning"
FIX_AVAILABILITY = "always"
TARGET = "config"  # reads .aishell/config.yaml (aishell.config_lint), not the Dockerfile

CONFIG = ".aishell/config.yaml"

VALID = [
    Example(
        "legacy:\n  pi_packages: [x]\n  update_check: {enabled: false}\n",
        name="kept under legacy:",
        dockerfile_name=CONFIG,
    ),
    Example("mounts:\n  - ~/.m2\n", name="a key with an equivalent is AIS201's", dockerfile_name=CONFIG),
]

INVALID = [
    Example(
        "# pi plugins\npi_packages:\n  - pi-plugin\nupdate_check:\n  enabled: false\n",
        "legacy:\n  # pi plugins\n  pi_packages:\n    - pi-plugin\n  update_check:\n    enabled: false\n",
        findings=2,
        name="pi_packages and update_check",
        dockerfile_name=CONFIG,
        spans=((2, 1, 2, 12), (4, 1, 4, 13)),
    ),
    Example(
        "gitleaks_freshness_check: false\ngitleaks_freshness_threshold: 14\nclaude_shared_paths: [tool]\n",
        "legacy:\n  gitleaks_freshness_check: false\n  gitleaks_freshness_threshold: 14\n  claude_shared_paths: [tool]\n",
        findings=3,
        name="gitleaks and claude_shared_paths",
        dockerfile_name=CONFIG,
        spans=((1, 1, 1, 25), (2, 1, 2, 29), (3, 1, 3, 20)),
    ),
    Example(
        "run:\n  env: {A: '1'}\nenv: {B: '2'}\n",
        "run:\n  env: {A: '1'}\nlegacy:\n  env: {B: '2'}\n",
        name="run.env already set",
        dockerfile_name=CONFIG,
        spans=((3, 1, 3, 4),),
    ),
]


def check(ctx: ConfigContext):
    moves = {m.key: m for m in plan({k.key: k.value for k in ctx.keys})}
    for k in ctx.keys:
        m = moves.get(k.key)
        if m is None or m.target.startswith("run."):
            continue
        yield Violation(
            f"`{k.key}` has no effect in aishell: {m.note}",
            k.start,
            k.start + len(k.key),
            Fix(SAFE, f"Keep `{k.key}` as a record under `{m.target}`", ()),
        )
