"""The JSON report of fixes that edit another file stays linear (issue 18, "Linear by design").

AIS103's one edit of an ignore file rides on every `COPY . .` of a Dockerfile. The report placed
that edit by reading the ignore file up to the edit's offset, twice for each finding: 14,000
findings and a 200 KB `Dockerfile.dockerignore` read 5.6 GB (2.9 s; 11x at 4x the size). And it
held 8,192 findings before writing them, whatever their size: when the fix creates the file,
carrying over a 200 KB root `.dockerignore`, that was 1.6 GB (2.75 GB peak). Checked here: the
positions are those of finding_json (which reads the file per position), the text is the same
with either path, and the class, generated at a size where the quadratic reads took 50 times the
linear time, stays within ten times it.
"""

import io
import json
import tracemalloc

import pytest

from aishell import reporters
from aishell.findings import Edit, Finding, Fix
from aishell.lint import FileResult, LintResult
from aishell.model import parse
from tests.growth import best

_OTHERS = ["", "a\nb\n", "\ufeffa\r\nb", "x\n\n\ty\nz", "é\nü\r\n\n"]
_DOCKERFILE = "FROM a\nCOPY . .\n"


def _findings(other: str, n_offsets: int) -> list[Finding]:
    out = []
    for a in range(n_offsets):
        for b in (a, a + 1, n_offsets + 3):
            fix = Fix("unsafe", "m", (Edit(a, b, "x\n", other), Edit(0, 0, "y", other + ".missing")))
            out.append(Finding("AIS103", "n", "warning", "m", "Dockerfile", 7, 11, 2, 1, 2, 5, fix))
    return out


def _report(findings, df) -> str:
    out = io.StringIO()
    reporters.report(LintResult([FileResult("Dockerfile", findings, df)]), "json", out)
    return out.getvalue()


@pytest.mark.parametrize("content", _OTHERS)
def test_edits_of_another_file_are_placed_as_finding_json_places_them(content, tmp_path, monkeypatch):
    other = tmp_path / "Dockerfile.dockerignore"
    other.write_bytes(content.encode("utf-8"))
    df = parse(_DOCKERFILE)
    findings = _findings(str(other), len(content) + 2)  # (past the end too)
    want = json.dumps([reporters.finding_json(f, df) for f in findings], indent=2) + "\n"
    assert _report(findings, df) == want
    monkeypatch.setattr(reporters, "FILE_POSITIONS_ONCE", False)
    assert _report(findings, df) == want
    monkeypatch.setattr(reporters, "_CHUNK_CHARS", 10)  # (a write after every finding)
    assert _report(findings, df) == want


def _many(n: int, tmp_path) -> tuple[list[Finding], object]:
    """n findings whose one fix appends to an ignore file of n lines (AIS103 on n `COPY . .`)."""
    other = tmp_path / f"{n}.dockerignore"
    text = "".join(f"pattern{i}\n" for i in range(n))
    other.write_text(text)
    fix = Fix("unsafe", "Extend", (Edit(len(text), len(text), ".git\n", str(other)),))
    df = parse("FROM a\n" + "COPY . .\n" * n)
    starts = [i.start for i in df.instructions[1:]]
    return [
        Finding("AIS103", "n", "warning", "m", "Dockerfile", s, s + 4, k + 2, 1, k + 2, 5, fix)
        for k, s in enumerate(starts)
    ], df


# 32,000 findings (a 290 KB Dockerfile) and an ignore file of 32,000 lines (280 KB): 0.1 s here
# (2 cores, Python 3.11), rounded up; the quadratic reads took 10 s. The guard is ten times that.
N, LINEAR_SECONDS = 32_000, 0.2


def test_edits_of_another_file_stay_linear(tmp_path):
    made = _many(N, tmp_path)
    took = best(lambda _: _report(*made), N)
    assert took < 10 * LINEAR_SECONDS, f"{took:.2f} s for {N:,} findings"


class _Sink:
    def __init__(self):
        self.chars = 0

    def write(self, text: str) -> None:
        self.chars += len(text)


def test_large_fixes_are_written_as_they_come():
    """300 findings whose fix carries a 1 MB file: about 300 MB if held until 8,192 are."""
    content = "p\n" * 500_000
    fix = Fix("unsafe", "Create", (Edit(0, 0, content, "/nonexistent/Dockerfile.dockerignore"),))
    findings = [Finding("AIS103", "n", "warning", "m", "Dockerfile", 0, 4, 1, 1, 1, 5, fix)] * 300
    sink = _Sink()
    tracemalloc.start()
    try:
        reporters.report(LintResult([FileResult("Dockerfile", findings, None)]), "json", sink)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sink.chars > 300 * len(content)
    assert peak < 60_000_000, f"{peak / 1e6:.0f} MB held"
