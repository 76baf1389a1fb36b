"""How fast is `aishell status` for one project with a warm engine? (Issue 10's aim: under 1 s.)

Run:  python benchmarks/status_speed.py [--runs N]   (after scripts/docker-setup; for Engine 26
      + buildx: eval "$(bash scripts/docker-setup --engine 26 --env)" first)

It runs the installed wheel's `aishell` (benchmarks/installed.py) in a throwaway project that
it builds first (extension + claude in the volume), then times `aishell status` and
`aishell status --json`, alternating, and prints medians with the engine and backend.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time

from installed import engine_line, installed_aishell

CA = "/usr/local/share/ca-certificates"


def timed(cmd, **kw) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def main() -> None:
    import docker

    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    client = docker.from_env()
    aishell = installed_aishell()
    proj = tempfile.mkdtemp(prefix="aishell-bench-status-")
    os.makedirs(os.path.join(proj, ".aishell"))
    with open(os.path.join(proj, ".aishell", "Dockerfile"), "w") as f:
        f.write("FROM aishell:foundation\nRUN true\n")
    env = dict(
        os.environ,
        XDG_STATE_HOME=tempfile.mkdtemp(prefix="aishell-bench-state-"),
        HOME=tempfile.mkdtemp(prefix="aishell-bench-home-"),
    )
    if os.path.isdir(CA):
        env["AISHELL_CA_CERTS"] = CA
    subprocess.run([aishell, "build", "--with-claude=2.1.301", "--quiet"], cwd=proj, env=env, check=True)
    commands = {"aishell status": [aishell, "status"], "aishell status --json": [aishell, "status", "--json"]}
    samples: dict[str, list[float]] = {k: [] for k in commands}
    for cmd in commands.values():
        timed(cmd, cwd=proj, env=env)  # warm-up
    for _ in range(args.runs):
        for name, cmd in commands.items():
            samples[name].append(timed(cmd, cwd=proj, env=env))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; {engine_line(client)}; medians of {args.runs}")
    for name, values in samples.items():
        print(f"  {name:<24} {statistics.median(values) * 1000:7.0f} ms   (aim: < 1000 ms)")
    from aishell.builder.plan import Plan

    client.images.remove(Plan(proj, {}, None, "", "").extension_tag, force=True)
    shutil.rmtree(proj, ignore_errors=True)


if __name__ == "__main__":
    main()
