"""What a harness update costs: aishell's three tiers against the old baked-in layout.

Run:  python benchmarks/build_economics.py   (needs a Docker Engine: scripts/docker-setup;
      eval "$(scripts/docker-setup --engine 26 --env)" first to measure Engine 26 + buildx)
It runs the installed wheel's `aishell` (benchmarks/installed.py), never an editable checkout,
and prints the engine and backend beside the numbers.

On one engine, in one run, with a heavy extension (apt build-essential python3-dev):
  1. aishell: build with --with-claude=A, then time `aishell build --with-claude=B`
     (the volume for B removed first, so it is really made), and a no-op build;
  2. old layout: base = foundation + `npm install -g claude@A`, extension FROM that
     base with the heavy step; build once (warm cache), then time the update to B:
     the base changes, so the heavy step re-runs (layer cache kept);
  3. the bare install: `npm install -g claude@B` in a fresh container, the floor;
  4. a teammate's first build with a warm registry (AISHELL_BENCH_REGISTRY, default the
     loopback registry scripts/docker-setup starts): machine A pushes; then, with the
     extension image, the harness volume and BuildKit's whole cache removed, a cold local
     build of the same project, and a build at another path that pulls every tier. The
     foundation is present in both (it is shared by every project and rarely changes).
Prints the times and ratios. Aims: update <= install + 5 s, >= 10x faster than the
old layout, no-op < 1 s, a teammate's first build >= 5x faster than a cold one.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import tempfile
import time

from installed import engine_line, installed_aishell

A, B = "2.1.300", "2.1.301"
HEAVY = (
    "RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
    "build-essential python3-dev && rm -rf /var/lib/apt/lists/*\n"
)
CA = "/usr/local/share/ca-certificates"


def sh(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    import docker

    from aishell.builder.backends import choose

    client = docker.from_env()
    env = dict(os.environ, XDG_STATE_HOME=tempfile.mkdtemp(prefix="aishell-bench-state-"))
    if os.path.isdir(CA):
        env["AISHELL_CA_CERTS"] = CA
    proj = tempfile.mkdtemp(prefix="aishell-bench-")
    os.makedirs(os.path.join(proj, ".aishell"))
    with open(os.path.join(proj, ".aishell", "Dockerfile"), "w") as f:
        f.write("FROM aishell:foundation\n" + HEAVY)
    aishell = [installed_aishell(), "build", "--quiet"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; {engine_line(client)}")

    sh(aishell + [f"--with-claude={A}"], cwd=proj, env=env)  # warm: foundation, heavy extension, volume A
    # Every volume holding claude B, found by label: the name depends on the installed aishell's
    # recipe, which need not be this checkout's.
    for vol in client.volumes.list(filters={"label": f"aishell.harnesses=claude={B}"}):
        vol.remove(force=True)
    # A real update installs a version never built here: clear the build cache that
    # earlier runs left (images stay; the foundation and extension are reused by tag).
    subprocess.run(["docker", "builder", "prune", "-af"], capture_output=True)
    t_update = timed(lambda: sh(aishell + [f"--with-claude={B}"], cwd=proj, env=env))
    t_noop = min(timed(lambda: sh(aishell + [f"--with-claude={B}"], cwd=proj, env=env)) for _ in range(5))

    # The old layout: harness baked into the base, the heavy extension on top.
    backend = choose(client)
    old = tempfile.mkdtemp(prefix="aishell-bench-old-")

    def old_build(version: str) -> None:
        with open(os.path.join(old, "base.Dockerfile"), "w") as f:
            f.write(
                f"FROM aishell:foundation\nRUN npm install -g --no-audit --no-fund @anthropic-ai/claude-code@{version}\n"
            )
        backend.build(old, "base.Dockerfile", ["aishell-bench:base"], {}, {}, None, lambda *a: None)
        with open(os.path.join(old, "ext.Dockerfile"), "w") as f:
            f.write("FROM aishell-bench:base\n" + HEAVY)
        backend.build(old, "ext.Dockerfile", ["aishell-bench:ext"], {}, {}, None, lambda *a: None)

    old_build(A)
    t_old = timed(lambda: old_build(B))

    t_install = timed(
        lambda: client.containers.run(
            "aishell:foundation",
            ["sh", "-c", f"NPM_CONFIG_PREFIX=/tmp/h npm install -g --no-audit --no-fund @anthropic-ai/claude-code@{B}"],
            entrypoint=[],
            remove=True,
        )
    )

    print(f"  bare install of claude@{B}:               {t_install:6.1f} s")
    print(
        f"  aishell harness update ({A} -> {B}): {t_update:6.1f} s   (install + {t_update - t_install:.1f} s; aim: <= install + 5 s)"
    )
    print(f"  old layout, same update:                  {t_old:6.1f} s   ({t_old / t_update:.1f}x slower; aim >= 10x)")
    print(f"  aishell no-op build (best of 5):          {t_noop:6.2f} s   (aim < 1 s)")
    teammate(client, proj, env, aishell)
    for tag in ("aishell-bench:ext", "aishell-bench:base"):
        try:
            client.images.remove(tag, force=True)
        except Exception:
            pass
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(proj, ignore_errors=True)


def teammate(client, proj: str, env: dict, aishell: list[str]) -> None:
    import uuid

    from aishell.builder.plan import Plan

    registry = os.environ.get("AISHELL_BENCH_REGISTRY", "127.0.0.1:5959") + f"/bench{uuid.uuid4().hex[:8]}/aishell"

    def forget() -> None:  # what a new machine does not have (the foundation stays)
        try:
            client.images.remove(Plan(proj, {}, None, "", "").extension_tag, force=True)
        except Exception:
            pass
        for vol in client.volumes.list(filters={"label": f"aishell.harnesses=claude={B}"}):
            vol.remove(force=True)
        subprocess.run(["docker", "builder", "prune", "-af"], capture_output=True)

    sh(aishell + [f"--with-claude={B}", "--registry", registry, "--push", "--require-registry"], cwd=proj, env=env)
    forget()
    t_cold = timed(lambda: sh(aishell + [f"--with-claude={B}"], cwd=proj, env=env))
    forget()
    other = tempfile.mkdtemp(prefix="aishell-bench-teammate-")
    shutil.copytree(os.path.join(proj, ".aishell"), os.path.join(other, ".aishell"))
    env_b = dict(env, XDG_STATE_HOME=tempfile.mkdtemp(prefix="aishell-bench-state-b-"))
    t_pull = timed(
        lambda: sh(aishell + [f"--with-claude={B}", "--registry", registry, "--require-registry"], cwd=other, env=env_b)
    )
    print(f"  cold local build (extension + volume):    {t_cold:6.1f} s")
    print(f"  teammate's first build, warm registry:    {t_pull:6.1f} s   ({t_cold / t_pull:.1f}x faster; aim >= 5x)")
    shutil.rmtree(other, ignore_errors=True)


if __name__ == "__main__":
    main()
