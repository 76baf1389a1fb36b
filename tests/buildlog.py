"""Build an image on the real engine and report, per Dockerfile step, whether it came from the cache.

Two builders: the classic one through docker-py, and BuildKit through a docker
CLI: `docker buildx build --load` where buildx is installed (Engine 26 in CI), else
a client that has BuildKit built in (`DOCKER_BUILDKIT=1`, Debian's docker.io 20.10).
"""

from __future__ import annotations

import os
import re
import subprocess


def buildkit_cli():
    """aishell's own choice of BuildKit CLI (buildx first), or None."""
    from aishell.builder.backends import _buildkit_cli

    return _buildkit_cli()


def build(backend: str, client, context: str, tag: str, buildargs: dict[str, str]) -> dict[str, bool]:
    """{step text (e.g. 'RUN npm ci'): cached?} for every executed or cached step."""
    if backend == "classic":
        return _classic(client, context, tag, buildargs)
    return _buildkit(context, tag, buildargs)


def _classic(client, context, tag, buildargs) -> dict[str, bool]:
    steps: dict[str, bool] = {}
    current = None
    for chunk in client.api.build(path=context, tag=tag, buildargs=buildargs, decode=True, rm=True):
        if "error" in chunk:
            raise RuntimeError(chunk["error"])
        line = chunk.get("stream", "")
        m = re.match(r"Step \d+/\d+ : (.*)", line)
        if m:
            current = m.group(1).strip()
            steps[current] = False
        elif current and "Using cache" in line:
            steps[current] = True
    return steps


def _buildkit(context, tag, buildargs) -> dict[str, bool]:
    cli = buildkit_cli()
    args = [cli.cli, "buildx", "build", "--load"] if cli.buildx else [cli.cli, "build"]
    args += ["--progress=plain", "-t", tag]
    for k, v in buildargs.items():
        args += ["--build-arg", f"{k}={v}"]
    env = dict(os.environ, DOCKER_BUILDKIT="1")
    r = subprocess.run(args + [context], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-2000:])
    names: dict[str, str] = {}
    cached: set[str] = set()
    for line in r.stderr.splitlines():
        m = re.match(r"#(\d+) \[(?:[\w-]+ )?\d+/\d+\] (.*)", line)
        if m:
            names[m.group(1)] = m.group(2).strip()
        m = re.match(r"#(\d+) CACHED", line)
        if m:
            cached.add(m.group(1))
    return {text: (num in cached) for num, text in names.items()}


def step(steps: dict[str, bool], prefix: str) -> bool:
    """Whether the step starting with ``prefix`` was cached (exactly one must match)."""
    hits = [v for k, v in steps.items() if k.startswith(prefix)]
    assert len(hits) == 1, (prefix, steps)
    return hits[0]
