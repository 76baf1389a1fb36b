"""Hunt for superlinear passes: every corpus instruction repeated in its own file's context.

Run:  VENV/bin/python benchmarks/scale_hunt.py [--migrate] [--size 25000] [--files N] [--out FILE]
      (in-process: the Python of a venv where aishell is installed, e.g. .venv/bin/python)

benchmarks/scale.py measures the shapes found so far; this looks for new ones (issue 18, "Linear
by design"). For each file of the corpus (../shared/corpus/dockerfiles, read in place) and each
distinct instruction in it, a Dockerfile is made of the file's first FROM and that instruction
repeated up to SIZE bytes, then up to 4 x SIZE, and linted (with --migrate: every fix computed,
checked and applied, unsafe ones too). A shell-form RUN is made distinct in each copy (`&& : N`:
a repeated text is read once), and tried a second time as a finding with a fix in every copy
(`claude -v &&` in front; with --migrate, an `ARG BUILD_DATE` above it for AIS102 to move).
A linear pass takes about 4x the time at 4x the size; a quadratic one 16x. One line per pair
in the TSV (file, unit, keyword, seconds at SIZE, at 4 x SIZE, ratio); a pair over 1 s at 4 x
SIZE with a ratio over 6, over 30 s, or failing with anything but a one-line input error is
printed as SUSPECT. The TSV is appended to, and a rerun skips the pairs it holds.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dockerfiles"
TIMEOUT = 30


class _Timeout(Exception):
    pass


def _alarm(*_):
    raise _Timeout()


def units(text: str, df):
    """(keyword, source lines) of each distinct instruction of a parsed file."""
    seen = set()
    for ins in df.instructions:
        src = text[ins.start : ins.end]
        if not src:
            continue
        if not src.endswith("\n"):
            src += "\n"
        key = (ins.keyword, len(src) // 200, src[:30])
        if key not in seen:
            seen.add(key)
            yield ins.keyword, src


def build(head: str, unit: str, keyword: str, size: int, finding: bool, migrate: bool) -> str:
    parts, n, i = [head], len(head), 0
    plain = keyword == "RUN" and "<<" not in unit and not unit[3:].lstrip().startswith("[")
    while n < size:
        u = unit
        if plain:
            u = unit[:-1] + f" && : {i}\n"
            if finding:
                u = ("ARG BUILD_DATE\n" if migrate else "") + "RUN claude -v && " + u[4:].lstrip()
        parts.append(u)
        n += len(u)
        i += 1
    return "".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--migrate", action="store_true", help="fix (migrate) instead of lint")
    ap.add_argument("--size", type=int, default=25_000)
    ap.add_argument("--files", type=int, default=0, help="this many corpus files at most (0: all)")
    ap.add_argument("--seed", type=int, default=1, help="the order the files are tried in")
    ap.add_argument("--out", default="scale_hunt.tsv")
    opts = ap.parse_args()

    from aishell import lint, model, rule
    from aishell.errors import InputError

    fix_text = None
    if opts.migrate:
        from aishell.migration import fix_text
    work = tempfile.mkdtemp(prefix="aishell-scale-hunt-")
    path = os.path.join(work, "Dockerfile")
    signal.signal(signal.SIGALRM, _alarm)

    def measure(text: str) -> float:
        rule.new_run()
        signal.alarm(TIMEOUT)
        t = time.process_time()
        try:
            if fix_text is not None:
                fix_text(text, path, None, True)
            else:
                lint.lint_text(text, path)
            took = time.process_time() - t
        except _Timeout:
            took = float(TIMEOUT)
        except InputError:
            took = time.process_time() - t  # one line, as designed (a fix refused, a rejected file)
        except Exception as e:  # noqa: BLE001 - a traceback is what the hunt looks for
            print(f"SUSPECT exception {type(e).__name__}: {str(e)[:200]}", flush=True)
            took = -1.0
        finally:
            signal.alarm(0)
        return took

    done = set()
    if os.path.exists(opts.out):
        with open(opts.out, encoding="utf-8") as f:
            done = {tuple(line.split("\t")[:2]) for line in f}
    files = sorted(os.listdir(CORPUS)) if CORPUS.is_dir() else []
    random.Random(opts.seed).shuffle(files)
    if opts.files:
        files = files[: opts.files]
    pairs = suspects = 0
    with open(opts.out, "a", encoding="utf-8") as out:
        for name in files:
            try:
                text = (CORPUS / name).read_text(encoding="utf-8")
                with model.paused_gc():
                    df = model.parse(text, "Dockerfile")
            except Exception:  # noqa: BLE001 - files BuildKit rejects are not inputs here
                continue
            froms = [i for i in df.instructions if i.keyword == "FROM"]
            if not froms:
                continue
            head = text[: froms[0].end].rstrip("\n") + "\n"
            for k, (keyword, unit) in enumerate(units(text, df)):
                for finding in (False, True) if keyword == "RUN" else (False,):
                    tag = (name, f"{k}{'h' if finding else ''}")
                    if tag in done:
                        continue
                    a = measure(build(head, unit, keyword, opts.size, finding, opts.migrate))
                    b = measure(build(head, unit, keyword, 4 * opts.size, finding, opts.migrate))
                    ratio = b / a if a > 0.001 else 0.0
                    out.write(f"{tag[0]}\t{tag[1]}\t{keyword}\t{a:.3f}\t{b:.3f}\t{ratio:.1f}\n")
                    out.flush()
                    pairs += 1
                    if (b > 1.0 and ratio > 6) or b >= TIMEOUT or a < 0 or b < 0:
                        suspects += 1
                        print(f"SUSPECT {tag[0]} unit {tag[1]} ({keyword}): {a:.3f} s, {b:.3f} s", flush=True)
    os.rmdir(work) if not os.listdir(work) else None
    print(f"{pairs} pairs measured, {suspects} suspect; table in {opts.out}")
    sys.stdout.flush()
    os._exit(0)  # the last model is large: not freed object by object


if __name__ == "__main__":
    main()
