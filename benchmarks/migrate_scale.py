"""Does `aishell migrate` stay linear on huge inputs? Time and peak memory, per shape and size.

Run:  python benchmarks/migrate_scale.py [--diff]   (the installed wheel, see benchmarks/installed.py;
      AISHELL_CMD=.venv/bin/aishell measures a checkout instead)

Shapes, made at run time at 1 MB and 10 MB (nothing is copied into the project), each run as
`aishell migrate --check --unsafe-fixes` (every fix computed, checked and applied in memory;
with --diff, `aishell migrate --unsafe-fixes`, which also prints the unified diff):
  - many fixes: the corpus files (../shared/corpus/dockerfiles) that parse alone, on
    `aishell:base`, with `claude --version && ` in front of every shell-form RUN and a
    `ARG BUILD_DATE` after every FROM: AIS001, AIS002 and AIS102 fixes all through the file
    (was 5.9 s at 1 MB and over 5 minutes at 10 MB: the overlap check was quadratic). Three
    lints: most AIS102 moves appear only once AIS002's fix has taken the harness command out
    of the RUN after the ARG, and the last lint finds nothing more to fix (ARGs moved to one
    step go there in one pass: they once took a pass each);
  - stage chain: benchmarks/scale.py's stages each FROM the previous one, each RUN naming a
    harness (AIS002's unsafe fix takes every second line out; with --diff, the unified diff
    of that took about 150 s CPU at 1 MB while difflib made it: aishell.migrate.diff now);
  - COPY/RUN pairs: `COPY . .` + `RUN npm ci` stages, in a context with package.json (AIS101);
  - ARG/RUN pairs: `ARG BUILD_DATE` + `RUN apt-get update` stages (AIS102 moves; two lints,
    as for the COPY/RUN pairs: the fixes, then the check that nothing is left to fix);
  - the two pair shapes again with every stage spelled differently (`WORKDIR /appN`,
    `ARG SN_BUILD_DATE` and `RUN make tN`): what a stage costs when no stage repeats;
  - Python without the image: a .py file that never mentions aishell:base (was 21 s and
    937 MB at 3 MB: it is no longer parsed);
  - Python with the image: the same with a reference every 100 lines (libcst runs on the
    statements that name it; was 38 s at 10 MB on a loaded machine while every 256 KB batch
    got a CPython tree and a pure-Python depth walk: now the rest is only checked);
  - Python naming the image on every line, in joins and sums, two statements a line, in bytes
    literals and in joins with an f-string part (each once 8 to 13 s a MB through libcst), and
    in a conditional expression and a call, a join with a part naming it (a red team's shape:
    10 s a MB through libcst; now decided from the text, python_refs._plain_text).
Aim (issue 18): every shape under 5 s and 1 GB at 10 MB on this machine. One line per input:
wall time, CPU time (user + system) and peak resident set of the process, and the load average.
"""

from __future__ import annotations

import os
import platform
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from installed import installed_aishell, venv_python  # noqa: E402
import scale  # noqa: E402


def corpus_blob(python: str) -> str:
    """The corpus files that parse on their own, without directives, joined (scale.py's)."""
    return scale._corpus_blob()


CPU = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(rc, time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss)\n"
)


def measure(cmd: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one run, exit 0 or 1 expected. CPU time
    (user + system) is the figure to compare on a shared machine: wall time moves with the load."""
    import subprocess

    out = subprocess.run(["python3", "-c", CPU, *cmd], capture_output=True, text=True, check=True).stdout.split()
    if int(out[0]) not in (0, 1):
        raise SystemExit(f"{cmd}: exit {out[0]}")
    return float(out[1]), float(out[2]), int(out[3]) / 1024


SIZES = (1, 10)


def fill(unit: str, mb: float) -> str:
    return unit * (int(mb * 1_000_000) // len(unit) + 1)


def fill_distinct(unit, mb: float) -> str:
    """``unit(0) + unit(1) + ...`` up to ``mb`` MB: every repetition spelled differently."""
    parts, total, i = [], 0, 0
    while total < mb * 1_000_000:
        parts.append(unit(i))
        total += len(parts[-1])
        i += 1
    return "".join(parts)


def many_fixes(blob: str, mb: float) -> str:
    text = re.sub(r"^FROM\s+(?:--\S+\s+)*\S+(.*)$", r"FROM aishell:base\1\nARG BUILD_DATE", blob, flags=re.M)
    text = re.sub(r"^RUN (?=[a-z])", "RUN claude --version && ", text, flags=re.M)
    text = fill(text, mb)
    return text[: text.rfind("\nFROM ", 0, int(mb * 1_000_000)) + 1]


def shapes(blob: str, mb: float, work: Path):
    """(name, file to migrate) for every shape at this size."""
    d = work / f"fixes-{mb}"
    d.mkdir()
    (d / "Dockerfile").write_text(many_fixes(blob, mb))
    yield f"many fixes (corpus) {mb:g} MB", d / "Dockerfile"
    d = work / f"copy-{mb}"
    d.mkdir()
    (d / "package.json").write_text("{}\n")
    (d / "package-lock.json").write_text("{}\n")
    (d / "Dockerfile").write_text(fill("FROM node:24\nWORKDIR /app\nCOPY . .\nRUN npm ci --ignore-scripts\n", mb))
    yield f"COPY/RUN npm ci pairs {mb:g} MB", d / "Dockerfile"
    d = work / f"stages-{mb}"
    d.mkdir()
    (d / "Dockerfile").write_text(scale.stage_chain(int(mb * 1_000_000))[0])
    yield f"stage chain {mb:g} MB", d / "Dockerfile"
    d = work / f"arg-{mb}"
    d.mkdir()
    (d / "Dockerfile").write_text(fill("FROM debian:bookworm\nARG BUILD_DATE\nRUN apt-get update\nRUN make\n", mb))
    yield f"ARG/RUN pairs {mb:g} MB", d / "Dockerfile"
    # The pair shapes again, every stage spelled differently: a rule that remembers a stage by its
    # text (real files seldom repeat a stage) gains nothing here, so these show the cost per stage.
    d = work / f"copy-distinct-{mb}"
    d.mkdir()
    (d / "package.json").write_text("{}\n")
    (d / "package-lock.json").write_text("{}\n")
    (d / "Dockerfile").write_text(
        fill_distinct(lambda i: f"FROM node:24\nWORKDIR /app{i}\nCOPY . .\nRUN npm ci --ignore-scripts\n", mb)
    )
    yield f"COPY/RUN pairs, distinct {mb:g} MB", d / "Dockerfile"
    d = work / f"arg-distinct-{mb}"
    d.mkdir()
    (d / "Dockerfile").write_text(
        fill_distinct(lambda i: f"FROM debian:bookworm\nARG S{i}_BUILD_DATE\nRUN apt-get update\nRUN make t{i}\n", mb)
    )
    yield f"ARG/RUN pairs, distinct {mb:g} MB", d / "Dockerfile"
    py = "".join(
        f"def f{i}(x, y=3):\n    return {{'k{i}': [x, y, 'text {i}'], 'n': x * {i} + y}}\n\n" for i in range(2000)
    )
    d = work / f"py-{mb}"
    d.mkdir()
    (d / "big.py").write_text(fill(py, mb))
    yield f"Python, no image {mb:g} MB", d / "big.py"
    d = work / f"pyimg-{mb}"
    d.mkdir()
    (d / "img.py").write_text(fill(py[: len(py) // 20] + 'IMAGE = "aishell:base"\n', mb))
    yield f"Python, image every 100 lines {mb:g} MB", d / "img.py"
    # Every statement a rewrite: libcst reads all of it (the finding-dense end of Python files).
    d = work / f"pydense-{mb}"
    d.mkdir()
    (d / "dense.py").write_text(fill_distinct(lambda i: f'IMAGE_{i} = "aishell:base"\n', mb))
    yield f"Python, image on every line {mb:g} MB", d / "dense.py"
    # The image cut into parts Python joins, and beside a `+` (libcst read each such statement
    # at 8 s a MB, until the plain path decided them too).
    d = work / f"pyjoin-{mb}"
    d.mkdir()
    (d / "join.py").write_text(
        fill_distinct(lambda i: f"IMAGE_{i} = ('aishell:'\n    \"base\")\nTAG_{i} = 'aishell:base' + T{i}\n", mb)
    )
    yield f"Python, image in joins and sums {mb:g} MB", d / "join.py"
    # Two statements on a line, one naming the image (libcst read the line, 9 s a MB, until the
    # plain path decided a line's statements together).
    d = work / f"pyline-{mb}"
    d.mkdir()
    (d / "line.py").write_text(fill_distinct(lambda i: f'x{i} = 1; IMAGE_{i} = "aishell:base"\n', mb))
    yield f"Python, two statements a line {mb:g} MB", d / "line.py"
    # Bytes literals naming the image, alone and joined: left, with a warning (libcst, 13 s a MB).
    d = work / f"pybytes-{mb}"
    d.mkdir()
    (d / "bytes.py").write_text(fill_distinct(lambda i: f'B_{i} = b"aishell:base"\nJ_{i} = b"aishell:" b"base"\n', mb))
    yield f"Python, bytes literals {mb:g} MB", d / "bytes.py"
    # Joins with an f-string part: one the image (rewritten), one beside a placeholder (a warning).
    d = work / f"pyfjoin-{mb}"
    d.mkdir()
    (d / "fjoin.py").write_text(
        fill_distinct(lambda i: f'A_{i} = f"aishell:" "base"\nB_{i} = f"{{x}}" "aishell:base"\n', mb)
    )
    yield f"Python, f-string joins {mb:g} MB", d / "fjoin.py"
    # A statement of any shape: a join whose part names the image (its rewrite kept: the joined
    # value changes only by the image) and one whose parts join to it, in a conditional and a call.
    d = work / f"pyexpr-{mb}"
    d.mkdir()
    (d / "expr.py").write_text(
        fill_distinct(lambda i: f'X{i} = "aishell:base" "" if f("aishell:" "base") else g({i})\n', mb)
    )
    yield f"Python, image in expressions {mb:g} MB", d / "expr.py"
    # Not Python: a triple quote that never closes, then lines of escaped ones (each later quote
    # was tried to the end of the file: 20 s at 80 KB; aishell.images.QuoteScanner).
    d = work / f"pyopen-{mb}"
    d.mkdir()
    (d / "open.py").write_text("x = 1  # a:b\n'''\n" + "\\'''\n" * int(mb * 1_000_000 / 5))
    yield f"Python, a literal that never closes {mb:g} MB", d / "open.py"


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--diff", action="store_true", help="print the diff (migrate --unsafe-fixes) instead of --check")
    opts = ap.parse_args()
    mode = ["--unsafe-fixes"] if opts.diff else ["--check", "--unsafe-fixes"]
    aishell = installed_aishell()
    work = Path(tempfile.mkdtemp(prefix="aishell-migrate-scale-"))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"aishell: {aishell}")
    blob = corpus_blob(venv_python(aishell))
    scale.print_reference("before")
    for mb in SIZES:
        for name, path in shapes(blob, mb, work):
            wall, cpu, peak = measure([aishell, "migrate", *mode, str(path)])
            load = os.getloadavg()[0]
            print(f"  {name:<36} {wall:6.2f} s wall {cpu:6.2f} s CPU {peak:7.0f} MB  (load {load:.1f})", flush=True)
    scale.print_reference("after")
    for p in sorted(work.rglob("*"), reverse=True):
        p.rmdir() if p.is_dir() else p.unlink()
    work.rmdir()


if __name__ == "__main__":
    main()
