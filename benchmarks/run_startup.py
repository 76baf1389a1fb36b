"""What `aishell exec` adds to starting a container: `aishell exec -- true` against
`docker run --rm IMAGE true` on the same image, side by side, in one run.

Run:  python benchmarks/run_startup.py [--runs N]   (after scripts/docker-setup; for Engine 26
      + buildx: eval "$(bash scripts/docker-setup --engine 26 --env)" first)

It runs the installed wheel's `aishell` (benchmarks/installed.py), in a throwaway project
built first (so there is nothing to rebuild), alternating the two commands and taking
medians. Aim: at most 0.4 s more than the bare `docker run`.
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
    proj, env = built_project(aishell, "aishell-bench-run-", ("--with-claude=2.1.301",))
    from aishell.builder.plan import Plan

    image = client.images.get(Plan(proj, {}, None, "", "").extension_tag).id
    docker_cli = shutil.which("docker")
    commands = {
        "docker run --rm IMAGE true": [docker_cli, "run", "--rm", image, "true"],
        "aishell exec -- true": [aishell, "exec", "--", "true"],
    }
    med = alternate(commands, args.runs, cwd=proj, env=env)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; {engine_line(client)}; medians of {args.runs}")
    for name, value in med.items():
        print(f"  {name:<32} {value * 1000:7.0f} ms")
    extra = med["aishell exec -- true"] - med["docker run --rm IMAGE true"]
    print(f"  aishell adds {extra * 1000:.0f} ms (aim: <= 400 ms)")
    client.images.remove(image, force=True)
    shutil.rmtree(proj, ignore_errors=True)


if __name__ == "__main__":
    main()
