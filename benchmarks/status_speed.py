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

from installed import alternate, built_project, engine_line, installed_aishell


def main() -> None:
    import docker

    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    client = docker.from_env()
    aishell = installed_aishell()
    proj, env = built_project(aishell, "aishell-bench-status-", ("--with-claude=2.1.301",))
    commands = {"aishell status": [aishell, "status"], "aishell status --json": [aishell, "status", "--json"]}
    med = alternate(commands, args.runs, cwd=proj, env=env)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; {engine_line(client)}; medians of {args.runs}")
    for name, value in med.items():
        print(f"  {name:<24} {value * 1000:7.0f} ms   (aim: < 1000 ms)")
    from aishell.builder.plan import Plan

    client.images.remove(Plan(proj, {}, None, "", "").extension_tag, force=True)
    shutil.rmtree(proj, ignore_errors=True)


if __name__ == "__main__":
    main()
