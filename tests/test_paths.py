"""aishell.paths: what a run remembers per folder answers as the uncached calls do."""

import itertools
import os

from aishell import paths


def _naive_root(start):
    cur = os.path.abspath(start)
    if not os.path.isdir(cur):
        cur = os.path.dirname(cur)
    while True:
        if os.path.isdir(os.path.join(cur, ".aishell")):
            return cur
        if os.path.dirname(cur) == cur:
            return None
        cur = os.path.dirname(cur)


def test_remembered_answers_are_the_uncached_ones(tmp_path, monkeypatch):
    """Every path of up to three names drawn from folders, files, links to folders (relative,
    absolute, through `..`), a dangling link, a loop, `.` and `..`, asked in one run in every
    order the product gives: realpath and project_root equal os.path.realpath and the walk up."""
    (tmp_path / "p" / ".aishell").mkdir(parents=True)
    (tmp_path / "p" / "a" / "b").mkdir(parents=True)
    (tmp_path / "p" / "a" / "f").write_text("")
    (tmp_path / "q").mkdir()
    (tmp_path / "p" / "up").symlink_to("..")
    (tmp_path / "p" / "a" / "toq").symlink_to("../../q")
    (tmp_path / "q" / "abs").symlink_to(tmp_path / "p" / "a")
    (tmp_path / "p" / "a" / "gone").symlink_to("nothing")
    (tmp_path / "p" / "a" / "loop").symlink_to("loop")
    (tmp_path / "p" / "a" / "lf").symlink_to("f")
    monkeypatch.chdir(tmp_path)
    names = ["p", "a", "b", "f", "q", "up", "toq", "abs", "gone", "loop", "lf", ".", "..", ""]
    asked = [os.path.join(*c) for n in (1, 2, 3) for c in itertools.product(names, repeat=n) if c[0]]
    asked += [str(tmp_path / a) for a in asked[:300]] + [a + "/" for a in asked[:100]]
    with paths.remembered():
        for a in asked:
            assert paths.realpath(a) == os.path.realpath(a), a
            assert paths.project_root(a) == _naive_root(a), a
    assert paths._reals is None and paths._roots is None  # nothing remembered outside a run


def test_outside_a_run_nothing_is_remembered(tmp_path):
    (tmp_path / "a").mkdir()
    assert paths.project_root(tmp_path / "a") != str(tmp_path)
    (tmp_path / ".aishell").mkdir()
    assert paths.project_root(tmp_path / "a") == str(tmp_path)
