"""What does the project's copy of the harness config cost a run? (aishell/runner/harness_state.py)

Run:  python benchmarks/harness_copy.py [--files N] [--runs N]

No engine: it times ``Session.before()`` and ``after()`` (what `aishell claude` adds around
the container) on a synthetic ``~/.claude`` with N config files of 4 KiB spread over
``plugins/``, ``agents/``, ``commands/`` and ``hooks/`` plus a 200-file session history (never
copied), in three cases: the first run (everything copied), a later run with nothing changed,
and a later run after the host changed 10 files. Prints medians.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from aishell.harness import BY_NAME  # noqa: E402
from aishell.runner.harness_state import Session  # noqa: E402


def make_home(home: str, files: int) -> list[str]:
    paths = []
    for i in range(files):
        sub = ("plugins/repo/skills", "agents", "commands", "hooks")[i % 4]
        p = os.path.join(home, ".claude", sub, f"f{i}.md")
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(os.urandom(2048).hex().encode())
        paths.append(p)
    for i in range(200):
        p = os.path.join(home, ".claude", "projects", "-x", f"s{i}.jsonl")
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write("{}\n" * 500)
    with open(os.path.join(home, ".claude", ".credentials.json"), "w") as f:
        f.write('{"claudeAiOauth": {}}')
    return paths


def one(home: str, state: str) -> float:
    s = Session(home, state, "/bench/project", "host", [BY_NAME["claude"]], lambda line: None)
    t = time.perf_counter()
    s.before()
    s.after()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, {args.files} config files")
    for case in ("first run", "nothing changed", "host changed 10 files"):
        times = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                home, state = os.path.join(tmp, "home"), os.path.join(tmp, "state")
                paths = make_home(home, args.files)
                if case != "first run":
                    one(home, state)
                if case == "host changed 10 files":
                    for p in paths[:10]:
                        with open(p, "ab") as f:
                            f.write(b"x")
                times.append(one(home, state))
        print(
            f"  {case:<24} median {statistics.median(times) * 1000:7.1f} ms  (min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f})"
        )


if __name__ == "__main__":
    main()
