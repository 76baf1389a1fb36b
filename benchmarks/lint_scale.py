"""Does `aishell lint` stay linear on huge inputs? Time and peak memory, per input size.

Run:  python benchmarks/lint_scale.py   (the installed wheel, see benchmarks/installed.py)

Inputs, made at run time (nothing is copied into the project):
  - the corpus (../shared/corpus/dockerfiles) files that parse alone and have no parser
    directive, concatenated and repeated to 2.5, 5 and 10 MB;
  - a heredoc with 8,000, 16,000 and 32,000 lines of `$( )` naming a harness, so every line is
    analysed (was quadratic);
  - 1,000 nested `$( )` (was a RecursionError).
Aim (issue 11): a 10 MB Dockerfile in under 5 s and under 1 GB on this machine. Each run is
one process; peak memory is its maximum resident set size (wait4).
"""

from __future__ import annotations

import os
import platform
import subprocess
import tempfile
from pathlib import Path

from installed import installed_aishell, venv_python

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dockerfiles"


# A small parent reports its child's peak RSS: a child forked from this (large) process would
# count this process's pages in its own high-water mark.
PEAK = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "print(rc, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def measure(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one run."""
    out = subprocess.run(["python3", "-c", PEAK, *cmd], capture_output=True, text=True, check=True).stdout.split()
    rc, seconds, kb = int(out[0]), float(out[1]), int(out[2])
    if rc not in (0, 1):
        raise SystemExit(f"{cmd}: exit {rc}")
    return seconds, kb / 1024


def corpus_blob(python: str) -> str:
    """The corpus files that parse on their own, without directives, joined."""
    code = (
        "import os,sys\nfrom aishell.model import parse\nparts=[]\n"
        "for n in sorted(os.listdir(sys.argv[1])):\n"
        "    if n.endswith('.dockerignore'): continue\n"
        "    try:\n"
        "        t=open(os.path.join(sys.argv[1],n),encoding='utf-8').read().lstrip('\\ufeff')\n"
        "        if parse(t).directives or '\\r' in t: continue\n"
        "        parts.append(t if t.endswith('\\n') else t+'\\n')\n"
        "    except Exception: pass\n"
        "sys.stdout.write(''.join(parts))\n"
    )
    return subprocess.run([python, "-c", code, str(CORPUS)], capture_output=True, text=True, check=True).stdout


def main() -> None:
    aishell = installed_aishell()
    work = Path(tempfile.mkdtemp(prefix="aishell-scale-"))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"aishell: {aishell} (installed wheel)")
    inputs: list[tuple[str, Path]] = []
    blob = corpus_blob(venv_python(aishell))
    for mb in (2.5, 5, 10):
        path = work / f"corpus-{mb}MB.Dockerfile"
        text = blob * (int(mb * 1_000_000) // len(blob) + 1)
        path.write_text(text[: text.rfind("\nFROM ", 0, int(mb * 1_000_000)) + 1])
        inputs.append((f"corpus x{path.stat().st_size / 1e6:.1f} MB", path))
    for n in (8000, 16000, 32000):
        path = work / f"heredoc-{n}.Dockerfile"
        path.write_text("FROM x\nRUN <<EOF\n" + "".join(f"echo $(date) $(printf claude{i})\n" for i in range(n)) + "EOF\n")
        inputs.append((f"heredoc, {n} lines of $( )", path))
    path = work / "nested.Dockerfile"
    path.write_text("FROM x\nRUN echo " + "$(" * 1000 + "claude" + ")" * 1000 + "\n")
    inputs.append(("1,000 nested $( )", path))
    for name, path in inputs:
        seconds, mb = measure([aishell, "lint", "--format", "json", str(path)])
        print(f"  {name:<32} {seconds:6.2f} s  {mb:7.0f} MB")
    for p in work.iterdir():
        p.unlink()
    work.rmdir()


if __name__ == "__main__":
    main()
