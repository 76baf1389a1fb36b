"""The suite cleans up after itself on the engine: the harnesses its tests made (each test has its
own state folder, so its own owner and its own ~0.5 GB harness) are removed when the Docker tests
end, and nothing else is (tests/conftest.py ``session_harnesses``)."""

import os

from conftest import session_harnesses

from aishell import labels as L


def _labels(owner: str) -> dict:
    return {L.COMPONENT: L.COMPONENT_HARNESS, L.OWNER: owner}


def test_only_what_this_session_made_under_its_folder_is_removed(tmp_path):
    base = tmp_path / "basetemp"
    mine = base / "test_a0" / "state"
    mine.mkdir(parents=True)
    nested = base / "test_b0" / "x"  # XDG_STATE_HOME may be any folder the test made
    nested.mkdir(parents=True)
    elsewhere = tmp_path / "someone" / "state"
    uid = os.getuid()
    before = {"aishell-harness-old": _labels(L.owner(uid, str(mine / "aishell")))}
    now = dict(
        before,
        **{
            "aishell-harness-a": _labels(L.owner(uid, str(mine / "aishell"))),
            "aishell:harness-b": _labels(L.owner(uid, str(nested / "aishell"))),
            "aishell-harness-theirs": _labels(L.owner(uid, str(elsewhere / "aishell"))),
            "aishell-harness-nobody": {L.COMPONENT: L.COMPONENT_HARNESS},
        },
    )
    assert session_harnesses(now, before, base) == ["aishell-harness-a", "aishell:harness-b"]


def test_tmp_path_reads_no_folder_to_name_its_own(request, tmp_path_factory, monkeypatch):
    """tests/conftest.py's tmp_path: pytest's own scans the whole base folder for each test (the
    suite's time grew with the square of its tests); ours names its folder without reading any."""

    def scanned(*args, **kwargs):
        raise AssertionError("tmp_path read a folder to name its own")

    monkeypatch.setattr(os, "scandir", scanned)
    monkeypatch.setattr(os, "listdir", scanned)
    path = request.getfixturevalue("tmp_path")
    monkeypatch.undo()
    assert path.is_dir() and not any(path.iterdir())
    assert path.parent == tmp_path_factory.getbasetemp()
    assert path.stat().st_mode & 0o777 == 0o700


def test_auto_workers_add_one_for_the_docker_group(monkeypatch):
    """``-n auto``: one worker more than the cores while the Docker group (one worker, mostly
    waiting on the engine) is in the run; pytest-xdist's own count (None here) when the run
    leaves it out, holds only it, or PYTEST_XDIST_AUTO_NUM_WORKERS says."""
    from types import SimpleNamespace

    from conftest import pytest_xdist_auto_num_workers as auto

    def config(marks, n="auto"):
        return SimpleNamespace(option=SimpleNamespace(markexpr=marks, numprocesses=n))

    monkeypatch.delenv("PYTEST_XDIST_AUTO_NUM_WORKERS", raising=False)
    cores = len(os.sched_getaffinity(0))
    assert auto(config("")) == auto(config(None)) == auto(config("slow")) == cores + 1
    assert auto(config("not docker")) is None and auto(config("not  docker and x")) is None
    assert auto(config("docker")) is None and auto(config("not (docker)")) is None
    assert auto(config("", "logical")) is None
    monkeypatch.setenv("PYTEST_XDIST_AUTO_NUM_WORKERS", "5")
    assert auto(config("")) is None


def test_the_suite_loads_without_pytest_xdist():
    """tests/conftest.py implements pytest-xdist's hook as an optional one: a run without the
    plugin (`-p no:xdist`, or not installed) collects, where an unknown hook stops pytest."""
    import subprocess
    import sys
    from pathlib import Path

    here = Path(__file__).resolve()
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "--co",
            "-q",
            here.name,
        ],
        cwd=here.parent,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]


def test_the_longest_modules_are_named_as_they_are_and_sent_first():
    """conftest.LONGEST_MODULES names modules that exist (a renamed one would silently go back to
    the end); _longest_first puts the Docker tests first, then those modules in their order, then
    the other modules by their number of tests, each module's tests in their own order."""
    from pathlib import Path
    from types import SimpleNamespace

    from conftest import LONGEST_MODULES, _longest_first

    here = Path(__file__).resolve().parent
    assert all((here / name).is_file() for name in LONGEST_MODULES)

    def item(module, n, docker=False):
        return SimpleNamespace(
            path=here / module,
            name=f"{module}:{n}",
            get_closest_marker=lambda mark, docker=docker: object() if docker and mark == "docker" else None,
        )

    slow0, slow1 = LONGEST_MODULES[0], LONGEST_MODULES[1]
    items = [
        item("test_a.py", 0),
        item("test_b.py", 0),
        item("test_b.py", 1),
        item(slow1, 0),
        item("test_build.py", 0, docker=True),
        item(slow0, 0),
        item("test_run.py", 0, docker=True),
        item(slow1, 1),
        item("test_build.py", 1, docker=True),
    ]
    _longest_first(items)
    assert [i.name for i in items] == [
        "test_build.py:0",
        "test_run.py:0",
        "test_build.py:1",
        f"{slow0}:0",
        f"{slow1}:0",
        f"{slow1}:1",
        "test_b.py:0",
        "test_b.py:1",
        "test_a.py:0",
    ]
