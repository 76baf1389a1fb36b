"""Hunt for slow, crashing or wrongly fixed inputs: real Dockerfiles mutated inside their RUN lines.

Run:  VENV/bin/python benchmarks/fuzz_hunt.py [--seed 1] [--files 2000] [--cpu 6] [--out DIR]
      (in-process: the Python of a venv where aishell is installed, e.g. .venv/bin/python)

benchmarks/scale_hunt.py repeats whole instructions; this one damages lines the way a hurried
hand or a hostile repository would. Each mutant is a corpus file (../shared/corpus/dockerfiles,
read in place) with one to six edits made at random places inside its RUN lines: a shell piece
inserted (quotes, `$(`, `${X:-`, heredoc openers, control characters, harness commands…), a
piece of one to three shell pieces repeated 200 to 3,000 times (a "pumped" line: the inputs that
make a pattern backtrack without bound, see tests/test_pumped_lines.py), up to 40 characters
deleted, up to 200 duplicated, or a harness call put first in the RUN (a finding to fix). Each
mutant is linted and fixed (unsafe fixes too), each under a CPU-time alarm of --cpu seconds. Printed, and the input kept in DIR:
  SLOW    lint or fix over the alarm (a 10 MB benchmark shape takes under 5 s: a few KB never should);
  CRASH   any exception but aishell's one-line InputError (a traceback a user would see);
  BADFIX  the mutant BuildKit's parser accepts, but the fixed text it rejects (`dockerfile`).
With --python the mutants are Python sources instead (what `aishell migrate` rewrites): a line
naming the legacy image, then a statement with one part repeated up to 3,000 times (literals
naming it nested in brackets, calls, conditionals, or joined by operators; or pieces of Python in
any order), rewritten by the migrate's bounded libcst pass; BADFIX there is a source CPython compiles whose
rewrite it does not.
A clean run prints only its last line. The seed makes a run repeatable; use a new seed per run.
A kept input is the start of a test: reduce it (delete lines while it stays slow), find the
class it belongs to, then write the generating test (tests/test_pumped_lines.py was made so).
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import re
import signal
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dockerfiles"

# Pieces inserted or repeated inside a RUN line (no newline: a mutant stays one instruction's damage).
PIECES = (
    "\\\n", " ", "$(", ")", "`", '"', "'", "<<EOF", "&&", "||", ";", "|", "{", "}", "(",
    "claude -v", 'eval "$x"', "x=$(claude)", "sh -c ", "sudo ", "env ", "\t", "\r", "\x0c", "\u00a0",
    "${X:-", "set -e;", "f() {", "; }", "exec ", "npm i -g @anthropic-ai/claude-code", "[", "]", "\\",
    ">", "2>&1", "<<X", "$((1+", "))", "${#", "${x%%", "${!x", "\\\\", "$'", '\\"',
)  # fmt: skip


# Put first in a RUN: AIS001/AIS002 findings with fixes (safe and unsafe) on the damaged line.
CALLS = ("claude --version && ", "claude -p hi; ", "npm install -g @anthropic-ai/claude-code && ", "codex -v || ")


# Python pieces (--python): literals naming the image, and the syntax around them.
PY_PIECES = (
    '"aishell:base"', "'aishell:base'", 'f"{x}"', "f\"{'aishell:base'}\"", "+", " ", "(", ")", "[", "]", ",",
    "x", ".", "join(", '"-"', "\n", "    ", "if ", " else ", "lambda: ", "*", "**", "not ", 'b"aishell:base"',
    '"aishell:"', '"base"', "\\\n", "#", ":", "=", "def f():\n    ", "IMG = ", "print(", "{", "}", '"""',
    "r'", "'", '"', "\r", "\t", "\x0c",
)  # fmt: skip


# Valid Python around the image (--python): a core expression, nested in pairs or repeated
# with a separator, so most mutants compile and reach the rewrite rather than its syntax check.
PY_CORES = ('"aishell:base"', "'aishell:' 'base'", 'f"aishell:{t}"', '"aishell:base".join(x)', 'b"aishell:base"', "x")
PY_PAIRS = (("(", ")"), ("[", "]"), ("f(", ")"), ("{'k': ", "}"), ("not ", ""), ("x if ", " else y"), ("-", ""),
            ("lambda: ", ""), ("(\n", "\n)"), ("[x for x in ", "]"))  # fmt: skip
PY_SEPS = (" + ", ", ", " ", " if x else ", " % ", " and ", ",\n    ")


def python_mutant(rnd: random.Random) -> str:
    """A Python source: a line naming the image, then a statement with one part pumped (nested
    pairs, a repeated term, or, one time in four, pieces of Python in any order)."""
    n = rnd.choice([1, 5, 50, 500, 3000])
    core = rnd.choice(PY_CORES)
    kind = rnd.random()
    if kind < 0.4:
        opens, closes = zip(*(rnd.choice(PY_PAIRS) for _ in range(rnd.randint(1, 2))))
        n = min(n, 90)  # CPython's parser refuses deeper nesting (the rewrite's depth check is tested elsewhere)
        body = "".join(opens) * n + core + "".join(reversed(closes)) * n
    elif kind < 0.75:
        body = "(" + core + (rnd.choice(PY_SEPS) + rnd.choice(PY_CORES)) * n + ")"
    else:

        def pieces(low: int, high: int) -> str:
            return "".join(rnd.choice(PY_PIECES) for _ in range(rnd.randint(low, high)))

        body = pieces(0, 8) + pieces(1, 4) * n + pieces(0, 6)
    return 'IMG = "aishell:base"\nV = ' + body + "\n"


class _Timeout(Exception):
    pass


# Whether a lint or fix is under the alarm: a SIGPROF that arrived in C code as the step ended
# runs its handler at the next bytecode, which may be after the step (then it is not a timeout).
_ARMED = [False]


def _alarm(*_):
    if _ARMED[0]:
        raise _Timeout()


def _arm(seconds: float) -> None:
    _ARMED[0] = seconds > 0
    signal.setitimer(signal.ITIMER_PROF, seconds)


def mutate(text: str, rnd: random.Random) -> str:
    """``text`` with one to six edits inside its RUN lines (unchanged if it has none)."""
    for _ in range(rnd.randint(1, 6)):
        spots = [m.end() for m in re.finditer(r"^RUN ", text, re.M)]
        if not spots:
            break
        start = rnd.choice(spots)
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        at = rnd.randint(start, end)
        kind = rnd.random()
        if kind < 0.25:
            text = text[:at] + rnd.choice(PIECES) + text[at:]
        elif kind < 0.5:
            unit = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 3)))
            text = text[:at] + unit * rnd.randint(200, 3000) + text[at:]
        elif kind < 0.65:
            text = text[:at] + text[min(end, at + rnd.randint(1, 40)) :]
        elif kind < 0.8:
            upto = min(end, at + rnd.randint(1, 200))
            text = text[:at] + text[at:upto] * 2 + text[upto:]
        else:  # a harness call first in the RUN: a finding whose fix removes it from the damaged line
            text = text[:start] + rnd.choice(CALLS) + text[start:]
    return text


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--files", type=int, default=2000, help="how many mutants to try")
    ap.add_argument("--cpu", type=float, default=6.0, help="CPU seconds a lint or a fix may take")
    ap.add_argument("--out", default="fuzz_hunt", help="folder the SLOW/CRASH/BADFIX inputs are kept in")
    ap.add_argument("--python", action="store_true", help="Python sources through the migrate's rewrite")
    opts = ap.parse_args()
    if opts.python:
        python_hunt(opts)
        return

    import dockerfile

    from aishell import rule
    from aishell.errors import InputError
    from aishell.lint import Options, lint_text
    from aishell.migration import fix_text

    texts = []
    for name in sorted(os.listdir(CORPUS)) if CORPUS.is_dir() else []:
        if not name.endswith(".dockerignore"):
            try:
                texts.append((CORPUS / name).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                pass
    if not texts:
        sys.exit(f"fuzz_hunt: no corpus at {CORPUS}")
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(opts.seed)
    options = Options(use_config=False)
    signal.signal(signal.SIGPROF, _alarm)
    counts = collections.Counter()

    def keep(tag: str, i: int, text: str, detail: str) -> None:
        counts[tag] += 1
        path = out / f"{tag.lower()}-{opts.seed}-{i}.df"
        path.write_text(text, encoding="utf-8")
        print(f"{tag} {path} {detail}", flush=True)

    def accepted(text: str) -> bool:
        try:
            dockerfile.parse_string(text)
        except _Timeout:
            raise  # (never "rejected": the alarm is off while the oracle reads)
        except Exception:  # noqa: BLE001 - the oracle's own errors mean "rejected"
            return False
        return True

    for i in range(opts.files):
        text = mutate(rnd.choice(texts), rnd)
        for step in ("lint", "fix"):
            rule.new_run()
            _arm(opts.cpu)
            try:
                if step == "lint":
                    lint_text(text, "Dockerfile", options)
                    continue
                fixed = fix_text(text, "Dockerfile", options, unsafe=True).text
                # (The oracle's time is not aishell's: BuildKit's parser took 6.7 s CPU on one
                # 23 KB mutant, and the alarm it met there was read as "refused", a BADFIX.)
                _arm(0)
                if fixed != text:
                    counts["fixed"] += 1
                    if accepted(text) and not accepted(fixed):
                        keep("BADFIX", i, text, "(the fixed text is refused by BuildKit's parser)")
            except InputError:
                counts["input error"] += 1  # one line, as designed
            except _Timeout:
                keep("SLOW", i, text, f"({step} over {opts.cpu} s CPU)")
            except Exception as e:  # noqa: BLE001 - a traceback is what the hunt looks for
                keep("CRASH", i, text, f"({step}: {type(e).__name__}: {str(e)[:160]})")
            finally:
                _arm(0)
    found = counts["SLOW"] + counts["CRASH"] + counts["BADFIX"]
    print(f"{opts.files} mutants (seed {opts.seed}): {found} kept in {out}; {dict(counts)}")


def python_hunt(opts) -> None:
    from aishell.errors import InputError
    from aishell.migrate.python_refs import rewrite_python_bounded

    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(opts.seed)
    signal.signal(signal.SIGPROF, _alarm)
    counts = collections.Counter()

    def compiles(text: str) -> bool:
        try:
            compile(text, "x.py", "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
        return True

    for i in range(opts.files):
        text = python_mutant(rnd)
        tag = detail = None
        _arm(opts.cpu)
        try:
            new = rewrite_python_bounded(text, "x.py")[0]
            counts["rewritten"] += new != text
            if new != text and compiles(text) and not compiles(new):
                tag, detail = "BADFIX", "(CPython compiles the source, not its rewrite)"
        except InputError:
            counts["input error"] += 1
        except _Timeout:
            tag, detail = "SLOW", f"(rewrite over {opts.cpu} s CPU)"
        except Exception as e:  # noqa: BLE001 - a traceback is what the hunt looks for
            tag, detail = "CRASH", f"({type(e).__name__}: {str(e)[:160]})"
        finally:
            _arm(0)
        if tag is not None:
            counts[tag] += 1
            path = out / f"{tag.lower()}-{opts.seed}-{i}.py"
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
            print(f"{tag} {path} {detail}", flush=True)
    found = counts["SLOW"] + counts["CRASH"] + counts["BADFIX"]
    print(f"{opts.files} Python mutants (seed {opts.seed}): {found} kept in {out}; {dict(counts)}")


if __name__ == "__main__":
    main()
