"""tests/docker_group.py: when the last Docker test is done, everything set up is torn down (the
Docker fixtures' removals reach the engine then, not at the session's end) and the file
AISHELL_DOCKER_GROUP_DONE names is made; .ci/run starts the next engine on that signal. Each case
is a pytest run of its own on made-up tests whose fixtures stand for the Docker ones: no engine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

CONFTEST = f"""
import os, sys
import pytest
sys.path.insert(0, {str(TESTS)!r})
from docker_group import pytest_runtest_setup, pytest_runtest_teardown  # as tests/conftest.py

def log(event):
    with open(os.environ["GROUP_LOG"], "a") as f:
        f.write(event + "\\n")

def pytest_itemcollected(item):
    if "engine" in item.fixturenames:
        item.add_marker(pytest.mark.docker)
        item.add_marker(pytest.mark.xdist_group("docker"))

@pytest.fixture(scope="session")
def engine():
    yield
    log("engine teardown")
    if os.environ.get("ENGINE_TEARDOWN_FAILS"):
        raise RuntimeError("the engine went away")

@pytest.fixture(scope="session")
def image(engine):
    yield
    log("image teardown")

@pytest.fixture(scope="module")
def module_thing(engine):
    yield
    log("module teardown")

@pytest.fixture(scope="session")
def plain():
    log("plain setup")
    yield
    log("plain teardown")

def pytest_sessionfinish(session):
    if not hasattr(session.config, "workerinput"):
        log("session end")
"""


def _test(name: str, docker: bool, fail: bool = False) -> str:
    args = "engine, image, module_thing" if docker else "plain"
    done = "os.path.exists(os.environ['AISHELL_DOCKER_GROUP_DONE'])"
    return f"def test_{name}({args}):\n    log('{name} ' + ('done' if {done} else 'busy'))\n" + (
        "    assert False\n" if fail else ""
    )


def _run(tmp_path: Path, files: dict[str, list[str]], *args: str, **env: str) -> list[str]:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers = docker: the engine\n")
    for name, tests in files.items():
        (tmp_path / name).write_text("import os\nfrom conftest import log\n\n" + "\n".join(tests))
    log = tmp_path / "log"
    env = dict(os.environ, GROUP_LOG=str(log), AISHELL_DOCKER_GROUP_DONE=str(tmp_path / "done"), **env)
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_ADDOPTS", "PYTEST_CURRENT_TEST"):
        env.pop(name, None)
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if not env:
        assert "error" not in r.stdout.lower().replace("assertionerror", ""), r.stdout[-2000:]
    return log.read_text().splitlines()


def test_the_group_ends_after_its_last_test_before_the_others(tmp_path):
    files = {
        "test_a.py": [_test("a1", True), _test("a2", True)],
        "test_b.py": [_test("b1", False)],
        "test_c.py": [_test("c1", True, fail=True), _test("c2", False)],
    }
    log = _run(tmp_path, files, "-p", "no:xdist")
    assert log == [
        "a1 busy",
        "a2 busy",
        "module teardown",
        "plain setup",
        "b1 busy",
        "c1 busy",
        # The last Docker test (it failed: its teardown still ends the group): the rest of the
        # stack, its module's fixture too, though the module's next test follows.
        "module teardown",
        "plain teardown",
        "image teardown",
        "engine teardown",
        "plain setup",  # set up again by the test that uses it
        "c2 done",
        "plain teardown",
        "session end",
    ]


def test_an_interrupted_run_ends_the_group_at_the_session_end(tmp_path):
    files = {"test_a.py": [_test("a1", True, fail=True), _test("a2", True), _test("a3", False)]}
    log = _run(tmp_path, files, "-p", "no:xdist", "-x")
    assert log == ["a1 busy", "module teardown", "image teardown", "engine teardown", "session end"]
    assert not (tmp_path / "done").exists()


def test_a_failed_group_teardown_gives_no_signal(tmp_path):
    """A fixture's teardown that fails there is the last Docker test's error, as at a session's
    end; the others still run, and .ci/run gets no signal (it waits for the suite's end)."""
    files = {"test_a.py": [_test("a1", True), _test("a2", False)]}
    log = _run(tmp_path, files, "-p", "no:xdist", ENGINE_TEARDOWN_FAILS="1")
    assert log == [
        "a1 busy",
        "module teardown",
        "image teardown",
        "engine teardown",
        "plain setup",
        "a2 busy",
        "plain teardown",
        "session end",
    ]
    assert not (tmp_path / "done").exists()


def test_a_run_without_docker_tests_never_signals(tmp_path):
    log = _run(tmp_path, {"test_a.py": [_test("a1", False)]}, "-p", "no:xdist")
    assert log == ["plain setup", "a1 busy", "plain teardown", "session end"]
    assert not (tmp_path / "done").exists()


def test_under_xdist_the_worker_ends_the_group_after_its_last_docker_test(tmp_path):
    pytest.importorskip("xdist")
    files = {
        "test_a.py": [_test("a1", True), _test("a2", False)],
        "test_b.py": [_test("b1", True), _test("b2", False)],
    }
    log = _run(tmp_path, files, "-n", "1", "--dist", "loadgroup")
    # One worker: the group (a1, b1) first, then everything torn down, then the other tests.
    assert log[:6] == ["a1 busy", "module teardown", "b1 busy", "module teardown", "image teardown", "engine teardown"]
    assert [e for e in log[6:] if e.endswith(("done", "busy"))] == ["a2 done", "b2 done"]
    assert log[-1] == "session end"


def test_under_xdist_the_other_workers_yield_to_the_docker_groups(tmp_path):
    """The Docker group's worker keeps its priority while it runs the group, and lowers it by
    YIELD_NICE after; a worker whose first test is another lowers its own at once (the processes
    they start inherit it); without pytest-xdist, nothing changes."""
    from docker_group import YIELD_NICE

    def nice(name: str, docker: bool) -> str:
        args = "engine" if docker else "plain"
        return f"def test_{name}({args}):\n    log('{name} ' + str(os.nice(0)))\n"

    files = {
        "test_a.py": [nice(f"d{k}", True) for k in range(3)],
        "test_b.py": [nice(f"b{k}", False) for k in range(3)],
        "test_c.py": [nice(f"c{k}", False) for k in range(3)],
    }

    def nices(*args: str) -> dict:
        return dict(line.split() for line in _run(tmp_path, files, *args) if line[:1] in "dbc" and line[1:2].isdigit())

    base = os.nice(0)
    log = nices("-n", "2", "--dist", "loadgroup")
    assert {log[f"d{k}"] for k in range(3)} == {str(base)}
    assert {log[f"{m}{k}"] for m in "bc" for k in range(3)} == {str(min(base + YIELD_NICE, 19))}
    (tmp_path / "log").unlink()
    assert set(nices("-p", "no:xdist").values()) == {str(base)}
