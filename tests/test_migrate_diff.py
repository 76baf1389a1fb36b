"""migrate's unified diff (aishell.migrate.diff, issue 18): linear in the file and its changes,
and the same text as difflib.unified_diff, which took minutes on a 1 MB file with many changes.

Every test runs the linear path itself (``small=0``: difflib is otherwise used as it is below
SMALL lines) on generated before/after pairs: line insertions, deletions and replacements
anywhere (first and last line too), with and without a final newline, CRLF line ends, lines
holding a lone CR, \\f, NEL or U+2028 (git splits only after \\n), repeated lines, and files of
200 lines or more, where difflib leaves a line more common than 1 % out of its anchors.

- When no line repeats, the diff is difflib's, byte for byte.
- With repeated lines difflib may align a region differently (for instance across a common
  tail made only of lines it will not anchor on, or a run of repeated lines), and so may this
  diff: both are correct diffs. Then applying the diff to the old text must give the new text
  exactly, hunk positions and context lines included; `git apply` checks it on real files.
- The corpus's own lines (every file of ../shared/corpus/dockerfiles, with seeded random line
  edits) give difflib's diff too.
"""

from __future__ import annotations

import difflib
import random
import re
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.migrate import diff as linear
from aishell.migrate.fixer import FileChange, git_lines
from tests.conftest import corpus_files

BODIES = ["", "a", "b", "RUN make", "\\", "x\ry", "p\fq", "n\x85l", "u\u2028v", "  # c", "FROM s AS t"]


def apply_hunks(a: list[str], out: list[str]) -> list[str]:
    """The new lines from the old ones and a unified diff's lines, every hunk checked as `patch`
    would: its start, its context and removed lines, and its line counts."""
    if not out:
        return list(a)
    assert out[0].startswith("--- ") and out[1].startswith("+++ ")
    result: list[str] = []
    pos = 0
    k = 2
    while k < len(out):
        m = re.fullmatch(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n", out[k])
        assert m, out[k]
        old_start, old_len = int(m[1]), int(m[2] if m[2] is not None else 1)
        new_start, new_len = int(m[3]), int(m[4] if m[4] is not None else 1)
        start = old_start - 1 if old_len else old_start  # an empty range names the line before it
        assert start >= pos
        result += a[pos:start]
        assert len(result) == (new_start - 1 if new_len else new_start)
        pos = start
        k += 1
        seen_old = seen_new = 0
        while k < len(out) and not out[k].startswith("@@"):
            tag, line = out[k][0], out[k][1:]
            if tag in " -":
                assert a[pos] == line
                pos += 1
                seen_old += 1
            if tag in " +":
                result.append(line)
                seen_new += 1
            k += 1
        assert (seen_old, seen_new) == (old_len, new_len)
    return result + a[pos:]


def _line(body: str, crlf: bool) -> str:
    return body + ("\r\n" if crlf else "\n")


@st.composite
def edited(draw, distinct: bool = False, big: bool = False):
    """(old lines, new lines): a file, then up to 8 line edits on it."""
    crlf = draw(st.booleans())
    fresh = iter(range(10**6))
    if distinct:
        a = [_line(f"line {i}", crlf) for i in range(draw(st.integers(0, 400 if big else 60)))]
    elif big:  # every other line one difflib finds too common to anchor on
        n = draw(st.integers(200, 400))
        a = [_line("RUN make" if i % 2 else f"FROM s{i}", crlf) for i in range(n)]
    else:
        a = [_line(b, crlf) for b in draw(st.lists(st.sampled_from(BODIES), max_size=60))]
    b = list(a)
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from("idr"))
        at = draw(st.integers(0, len(b)))
        count = draw(st.integers(1, 3))
        if distinct:
            new = [_line(f"new {next(fresh)}", crlf) for _ in range(count)]
        else:
            new = [_line(draw(st.sampled_from(BODIES)), crlf) for _ in range(count)]
        if kind == "i":
            b[at:at] = new
        elif kind == "d":
            del b[at : at + count]
        else:
            b[at : at + count] = new
    for lines in (a, b):  # no final newline
        if lines and draw(st.booleans()):
            lines[-1] = lines[-1].rstrip("\n")
    return a, b


def _both(a, b):
    return linear.unified_diff(a, b, "a/f", "b/f", small=0), list(difflib.unified_diff(a, b, "a/f", "b/f"))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited(distinct=True))
def test_without_repeated_lines_the_diff_is_difflibs(pair):
    a, b = pair
    mine, theirs = _both(a, b)
    assert mine == theirs


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited(distinct=True, big=True))
def test_large_files_without_repeated_lines_give_difflibs_diff(pair):
    a, b = pair
    mine, theirs = _both(a, b)
    assert mine == theirs


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited())
def test_with_repeated_lines_the_diff_applies_exactly(pair):
    a, b = pair
    mine, _ = _both(a, b)
    assert apply_hunks(a, mine) == b


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited(big=True))
def test_with_popular_lines_the_diff_applies_exactly(pair):
    a, b = pair
    mine, _ = _both(a, b)
    assert apply_hunks(a, mine) == b


def test_the_checker_refuses_a_wrong_diff():
    a, b = ["x\n", "y\n", "z\n"], ["x\n", "q\n", "z\n"]
    out = list(difflib.unified_diff(a, b, "a/f", "b/f"))
    assert apply_hunks(a, out) == b
    with pytest.raises(AssertionError):
        apply_hunks(["x\n", "w\n", "z\n"], out)
    with pytest.raises(AssertionError):
        apply_hunks(a, [*out[:2], out[2].replace("-1,3", "-2,3"), *out[3:]])


def _old_diff(change: FileChange) -> str:
    """FileChange.diff as it was: difflib on the whole file."""
    out = list(difflib.unified_diff(git_lines(change.before), git_lines(change.after), "a/Dockerfile", "b/Dockerfile"))
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out)


@pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")
def test_git_apply_gives_the_new_text(tmp_path, monkeypatch):
    """Generated pairs with repeated lines, lone CRs and missing final newlines, through
    FileChange.diff (its "\\ No newline at end of file" lines too) and `git apply`."""
    monkeypatch.setattr(linear, "SMALL", 0)
    r = random.Random(18)
    for case in range(30):
        n = r.randint(0, 300 if case % 3 == 0 else 40)
        crlf = r.random() < 0.3
        a = [_line(r.choice(BODIES), crlf) for _ in range(n)]
        b = list(a)
        for _ in range(r.randint(1, 8)):
            at = r.randint(0, len(b))
            b[at : at + r.randint(0, 2)] = [_line(r.choice(BODIES), crlf) for _ in range(r.randint(0, 2))]
        before, after = "".join(a), "".join(b)
        if r.random() < 0.3:
            before = before.rstrip("\n")
        if r.random() < 0.3:
            after = after.rstrip("\n")
        change = FileChange("Dockerfile", before, after)
        if before == after:
            continue
        d = tmp_path / str(case)
        d.mkdir()
        (d / "Dockerfile").write_bytes(before.encode())
        (d / "patch").write_bytes(change.diff().encode())
        run = subprocess.run(["git", "apply", "patch"], cwd=d, capture_output=True, text=True)
        assert run.returncode == 0, (case, run.stderr)
        assert (d / "Dockerfile").read_bytes() == after.encode(), case


def test_file_change_diff_is_difflibs_on_small_and_large_files(monkeypatch):
    text = "".join(f"FROM s{i} AS s{i + 1}\nRUN claude --version\n" for i in range(300))
    after = text.replace("RUN claude --version\n", "", 150)
    for small in (linear.SMALL, 0):
        monkeypatch.setattr(linear, "SMALL", small)
        for before, new in ((text, after), (text.rstrip("\n"), after), (text, after + "x")):
            change = FileChange("Dockerfile", before, new)
            assert change.diff() == _old_diff(change)


CORPUS = corpus_files()


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus/dockerfiles is not present")
def test_corpus_lines_with_random_edits_give_difflibs_diff():
    """Real files' lines (blank lines, lone `\\`, repeated RUNs) with seeded random edits: lines
    taken out, changed (as the fixes change them) or moved a few lines down (as AIS102 moves an
    ARG)."""
    r = random.Random(25)
    files = 0
    for path in CORPUS:
        try:
            a = git_lines(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            continue
        if not a:
            continue
        files += 1
        b = list(a)
        for _ in range(r.randint(1, 6)):
            at = r.randrange(len(b)) if b else 0
            kind = r.random()
            if kind < 0.3:
                del b[at : at + r.randint(1, 3)]
            elif kind < 0.7 and b:
                b[at] = b[at].replace("RUN ", "RUN set -e; ", 1) if "RUN " in b[at] else "# changed\n"
            elif b:
                line = b.pop(at)
                b.insert(min(len(b), at + r.randint(1, 5)), line)
        mine, theirs = _both(a, b)
        assert mine == theirs, path
    assert files > 400


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited())
def test_walking_a_region_of_repeated_lines_gives_a_diff_that_applies(pair):
    """A large region with no line found once in each file is walked (diff._sync), not given to
    SequenceMatcher (quadratic there); BIG = 0 walks every region of these small files."""
    a, b = pair
    saved = linear.BIG
    linear.BIG = 0
    try:
        mine, _ = _both(a, b)
    finally:
        linear.BIG = saved
    assert apply_hunks(a, mine) == b


def test_a_repeated_block_with_one_line_changed_in_each_gives_a_local_diff():
    """benchmarks/migrate_scale.py's Python shape: a block repeated, the image named once in
    each; no line is found only once, so the whole file is one region, walked. difflib aligns
    this one differently (it shifts a whole block: 739 lines of diff); the walk gives each
    change its own hunk, and the diff applies exactly."""
    block = [f"def f{i}(x):\n" for i in range(120)] + ['IMAGE = "aishell:base"\n']  # each line under 1 %
    a = block * 30
    b = [line.replace("aishell:base", "aishell:foundation") for line in a]
    b[100:100] = ["# added\n"]
    del b[500]
    mine, theirs = _both(a, b)
    assert apply_hunks(a, mine) == b
    assert len([line for line in mine if line[0] in "+-"]) == 2 + 1 + 1 + 2 * 30
