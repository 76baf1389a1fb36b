"""What `--egress allowlist` adds to a warm run: `aishell exec --egress allowlist -- true` against
`aishell exec --egress open -- true` (and `--egress none`), alternating, medians.

Run:  python benchmarks/egress_startup.py [--runs N]   (after scripts/docker-setup; for Engine 26
      + buildx: eval "$(bash scripts/docker-setup --engine 26 --env)" first)

It runs the installed wheel's `aishell` (benchmarks/installed.py) in a throwaway project (an
extension on the foundation, no harness), builds it and the egress proxy image first (one
allowlist run), so every timed run is warm: each allowlist run starts the project's proxy and
its internal network (or reuses the one a previous run left lingering), runs and reads the
proxy's log. Aim (issue 16): allowlist at most 0.5 s more than open.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import time

from installed import alternate, built_project, engine_line, installed_aishell


def main() -> None:
    import docker

    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    client = docker.from_env()
    aishell = installed_aishell()
    proj, env = built_project(aishell, "aishell-bench-egress-", ())
    commands = {p: [aishell, "exec", "--egress", p, "--", "true"] for p in ("open", "allowlist", "none")}
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; {engine_line(client)}; medians of {args.runs}")
    # Two rounds: the default (the proxy outlives the last run by AISHELL_EGRESS_LINGER seconds,
    # so back-to-back runs reuse it), and AISHELL_EGRESS_LINGER=0 (every allowlist run starts
    # and removes its proxy: the cold-proxy cost).
    for linger in (None, "0"):
        round_env = dict(env) if linger is None else dict(env, AISHELL_EGRESS_LINGER=linger)
        # (the warm-up's first allowlist run builds the proxy image)
        med = alternate(commands, args.runs, cwd=proj, env=round_env)
        print(f"AISHELL_EGRESS_LINGER={linger if linger is not None else '(default, 30)'}:")
        for name, value in med.items():
            print(f"  aishell exec --egress {name:<10} -- true {value * 1000:7.0f} ms")
        extra = med["allowlist"] - med["open"]
        print(f"  allowlist adds {extra * 1000:.0f} ms to open (aim: <= 500 ms)")
        time.sleep(35)  # the lingering proxy goes before the next round
    from aishell.labels import extension_tag

    client.images.remove(extension_tag(proj), force=True)
    shutil.rmtree(proj, ignore_errors=True)


if __name__ == "__main__":
    main()
