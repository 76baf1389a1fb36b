"""benchmarks/fuzz_hunt.py, the mutation hunt (issue 18): its mutants damage RUN lines only, a seed
replays the same mutants, and a short hunt runs to its summary line (the tool the next rounds run;
its findings go to docs/benchmarks.md, not to this test)."""

import random
import re
import subprocess
import sys

from tests.conftest import CORPUS, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import fuzz_hunt  # noqa: E402


def _text(i: int) -> str:
    return f"# syntax=docker/dockerfile:1\nFROM debian:{i}\nENV A=1\nRUN apt-get update && echo {i}\nCOPY . /src\nRUN make\n"


def test_mutants_touch_only_run_lines_and_a_seed_replays_them():
    for seed in range(300):
        text = _text(seed)
        a = fuzz_hunt.mutate(text, random.Random(seed))
        assert a == fuzz_hunt.mutate(text, random.Random(seed))
        # Every line that is not part of a RUN is kept, in order (a RUN line may grow continuation
        # lines and pieces, or lose characters, but never past its own end).
        kept = [line for line in a.split("\n") if re.match(r"# syntax=|FROM |ENV |COPY ", line)]
        assert kept == [line for line in text.split("\n") if not line.startswith("RUN") and line]


def test_a_file_with_no_run_is_left_as_it_is():
    assert fuzz_hunt.mutate("FROM debian\nCOPY . .\n", random.Random(1)) == "FROM debian\nCOPY . .\n"


def test_a_short_hunt_runs_to_its_summary(tmp_path):
    if not CORPUS.is_dir():
        return
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "fuzz_hunt.py"),
            "--seed",
            "3",
            "--files",
            "15",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    assert re.search(r"^15 mutants \(seed 3\): \d+ kept in ", out.stdout, re.M), out.stdout


def test_python_mutants_mostly_compile_and_name_the_image():
    """The --python mutants reach the rewrite: they name the image, and most compile (a hunt of
    syntax errors would test only the refusal)."""
    texts = [fuzz_hunt.python_mutant(random.Random(seed)) for seed in range(200)]
    assert all(t.startswith('IMG = "aishell:base"\n') for t in texts)
    compiled = 0
    for t in texts:
        try:
            compile(t, "x.py", "exec", dont_inherit=True)
            compiled += 1
        except (SyntaxError, ValueError, RecursionError):  # (3,000 terms: too deep for the compiler)
            pass
    assert compiled > len(texts) // 2


def test_a_short_python_hunt_runs_to_its_summary(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "fuzz_hunt.py"), "--python", "--seed", "3", "--files", "20"]
        + ["--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    assert re.search(r"^20 Python mutants \(seed 3\): \d+ kept in ", out.stdout, re.M), out.stdout


def test_the_oracles_time_is_not_counted(tmp_path, monkeypatch, capsys):
    """BuildKit's parser (BADFIX's oracle) took 6.7 s CPU on one 23 KB mutant (seed 67): the CPU
    alarm met there was read as the parser refusing the fix, a BADFIX that was not. The alarm is
    off while the oracle reads: here an oracle that accepts everything, but spends 0.4 s on each
    fixed text, with a 0.2 s alarm."""
    if not CORPUS.is_dir():
        return
    import time

    import dockerfile

    calls = [0]

    def parse_string(text):
        calls[0] += 1
        if calls[0] % 2 == 0:  # (the second of each pair: the fixed text)
            t = time.process_time()
            while time.process_time() - t < 0.4:
                pass

    monkeypatch.setattr(dockerfile, "parse_string", parse_string)
    monkeypatch.setattr(sys, "argv", ["fuzz_hunt.py", "--seed", "3", "--files", "15", "--cpu", "0.2"])
    monkeypatch.setattr(sys, "argv", sys.argv + ["--out", str(tmp_path)])
    fuzz_hunt.main()
    out = capsys.readouterr().out
    assert calls[0] >= 2, out  # (some mutant was fixed, and both texts read)
    assert "BADFIX" not in out, out
