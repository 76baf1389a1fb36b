"""The fix loop's fast paths of round r143 give what the general paths give.

``migrate.fixer.DISTINCT_POINTS``: a pass whose stacking fixes (AIS101's and AIS102's moves)
each insert at a point of their own hands apply_edits the fixes' edits as they are, without
``stack_insertions``. Compared with the switch on and off: migrate's results (the text, the other
files, the fixes applied, the warnings, the findings left, the fixes held back) on seeded random
files of the benchmark shapes' constructs (benchmarks/migrate_scale.py: volatile ARGs, RUNs with
and without a harness, COPYs, stages built on each other) and on a sample of the real corpus; and
the files `aishell migrate --write` writes, byte for byte, for a few corpus files.
"""

from __future__ import annotations

import random
import re

import pytest

from aishell.errors import InputError
from aishell.findings import SAFE, Edit, Fix
from aishell.lint import Options
from aishell.migrate import fixer
from aishell.migrate.apply import stack_insertions
from aishell.migration import fix_text, migrate_paths
from tests.conftest import corpus_files

CORPUS = corpus_files()


def _many_fixes(text: str) -> str:
    """A corpus file as the many-fixes shape makes it (benchmarks/migrate_scale.py): on
    aishell:base, an `ARG BUILD_DATE` after every FROM, a harness in front of every RUN."""
    text = re.sub(r"^FROM\s+(?:--\S+\s+)*\S+(.*)$", r"FROM aishell:base\1\nARG BUILD_DATE", text, flags=re.M)
    return re.sub(r"^RUN (?=[a-z])", "RUN claude --version && ", text, flags=re.M)


def _outcome(text: str, path: str, unsafe: bool, on: bool, monkeypatch):
    """Everything migrate reports of one file, with DISTINCT_POINTS ``on`` or off."""
    with monkeypatch.context() as m:
        m.setattr(fixer, "DISTINCT_POINTS", on)
        try:
            r = fix_text(text, path, Options(use_config=False), unsafe)
        except InputError as e:
            return ("error", str(e))
    return (
        r.text,
        r.files,
        [(f.code, f.line, f.message) for f in r.applied],
        [(f.code, f.line, why) for f, why in r.rejected],
        [(f.code, f.start, f.end, f.message, f.fix) for f in r.remaining],
        r.held_back,
    )


_FROMS = ["FROM aishell:base", "FROM debian:bookworm", "FROM node:24", "FROM node:24 AS s{i}", "FROM s{p}"]
_ARGS = ["BUILD_DATE", "VCS_REF", "GIT_SHA", "S{i}_BUILD_DATE", "VERSION"]
_LINES = [
    "ARG {a}",
    "ARG {a}",
    "ARG {a}=1",
    "RUN apt-get update",
    "RUN make t{i}",
    "RUN npm ci --ignore-scripts",
    "RUN claude --version && make",
    "RUN npm i -g @anthropic-ai/claude-code",
    "RUN echo ${a} > /f",
    "COPY . .",
    "COPY package.json ./",
    "WORKDIR /app{i}",
    "# a comment",
    "",
]


def _generated(seed: int) -> str:
    """A file of a few stages of the shapes' lines, each stage's words drawn from ``seed``."""
    rng = random.Random(seed)
    out = []
    for i in range(rng.randint(1, 5)):
        line = rng.choice(_FROMS if i else _FROMS[:4])
        out.append(line.format(i=i, p=i - 1) if "s{p}" not in line or any("AS s" in x for x in out) else _FROMS[0])
        for _ in range(rng.randint(1, 8)):
            a = rng.choice(_ARGS).format(i=i)
            out.append(rng.choice(_LINES).format(i=i, a=a))
        if rng.random() < 0.5:
            # Two volatile ARGs before one RUN: both moved to one point in one pass (stacking).
            out[-1:] = [f"ARG {rng.choice(['VCS_REF', 'GIT_SHA'])}", "ARG BUILD_DATE", "RUN apt-get update"]
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("seed", range(120))
def test_generated_files_migrate_alike_with_distinct_points_on_and_off(seed, tmp_path, monkeypatch):
    (tmp_path / "package.json").write_text("{}\n")
    (tmp_path / "package-lock.json").write_text("{}\n")
    path = tmp_path / "Dockerfile"
    text = _generated(seed)
    path.write_text(text)
    for unsafe in (True, False):
        on = _outcome(text, str(path), unsafe, True, monkeypatch)
        assert on == _outcome(text, str(path), unsafe, False, monkeypatch), text


def test_the_generated_files_have_moves_to_shared_and_to_distinct_points(monkeypatch):
    """The comparison above meets both cases: a pass whose stacking fixes share a point (the
    general path) and one whose do not (the fast path)."""
    shared = distinct = 0
    real = fixer._distinct_points

    def spy(fixes):
        nonlocal shared, distinct
        got = real(fixes)
        shared += not got
        distinct += got
        return got

    monkeypatch.setattr(fixer, "_distinct_points", spy)
    for seed in range(120):
        try:
            fix_text(_generated(seed), "Dockerfile", Options(use_config=False), True)
        except InputError:
            pass
    assert shared and distinct


@pytest.mark.skipif(not CORPUS, reason="no corpus")
def test_corpus_files_migrate_alike_with_distinct_points_on_and_off(monkeypatch):
    for p in CORPUS[::6]:
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for t in (text, _many_fixes(text)):
            for unsafe in (True, False):
                on = _outcome(t, str(p), unsafe, True, monkeypatch)
                assert on == _outcome(t, str(p), unsafe, False, monkeypatch), p.name


@pytest.mark.skipif(not CORPUS, reason="no corpus")
def test_migrate_writes_the_same_bytes_with_distinct_points_on_and_off(tmp_path, monkeypatch):
    names = [p for p in CORPUS if p.name.endswith("Dockerfile")][::40]  # (a dozen)
    written = {}
    for on in (True, False):
        d = tmp_path / str(on)
        d.mkdir()
        for k, p in enumerate(names):
            (d / str(k)).mkdir()
            (d / str(k) / "Dockerfile").write_bytes(_many_fixes(p.read_text("utf-8", "surrogateescape")).encode())
        monkeypatch.setattr(fixer, "DISTINCT_POINTS", on)
        result = migrate_paths([str(d)], Options(use_config=False), unsafe=True, write=True)
        written[on] = (
            {q.relative_to(d).as_posix(): q.read_bytes() for q in sorted(d.rglob("*")) if q.is_file()},
            len(result.changed),
            sorted(str(e).replace(str(d), "") for e in result.errors),
        )
    assert written[True][1]  # some files were written
    assert written[True] == written[False]


def test_distinct_points_is_when_stack_insertions_joins_nothing():
    a = Fix(SAFE, "", (Edit(0, 3, ""), Edit(20, 20, "a")))
    b = Fix(SAFE, "", (Edit(4, 9, ""), Edit(30, 30, "b")))
    c = Fix(SAFE, "", (Edit(10, 12, ""), Edit(20, 20, "c")))  # a's point
    assert fixer._distinct_points([a, b])
    assert stack_insertions([a.edits, b.edits]) == [*a.edits, *b.edits]
    assert not fixer._distinct_points([a, b, c])
    assert stack_insertions([a.edits, b.edits, c.edits]) != [*a.edits, *b.edits, *c.edits]
