"""CI runs the Docker tests marked one_engine once, in the suite (engine 20.10), and every other
Docker test on each engine: the wheel's runs in .ci/run select `docker and not one_engine`, the
README's test command selects everything. Checked on the selection pytest makes from .ci/run's own
expression, collecting the modules that hold such tests (no engine needed)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT

MODULES = ["tests/test_harness_state.py", "tests/test_cache_proof.py", "tests/test_build.py", "tests/test_run.py"]


def _collected(*args: str) -> set[str]:
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0", "-p", "no:cacheprovider", *args, *MODULES],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode in (0, 5), r.stdout[-2000:] + r.stderr[-2000:]
    return {line for line in r.stdout.splitlines() if "::" in line}


def test_the_wheel_runs_leave_out_exactly_the_one_engine_tests():
    run = (ROOT / ".ci" / "run").read_text()
    [expr] = re.findall(r'pytest -m "([^"]+)"', run)  # (the wheel's runs, one line for both engines)
    assert "-m docker " not in run
    docker = _collected("-m", "docker")
    wheel = _collected("-m", expr)
    once = _collected("-m", "docker and one_engine")
    assert wheel == docker - once and wheel and once
    addopts = re.search(r"^addopts = (.*)$", (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    assert " -m" not in addopts  # the README's command (no -m) runs them all
    # Which ones: the harness config copies (every Docker test of that module), the Python project
    # of the cache proof, the resolution of `latest`; never a test of the runs or of the builds'
    # tiers.
    harness_state = {t for t in docker if t.startswith("tests/test_harness_state.py")}
    assert harness_state and harness_state <= once
    assert {t for t in once if "test_cache_proof" in t} == {t for t in docker if "cache_proof" in t and "[python-" in t}
    assert {t for t in once if "test_build.py" in t} == {
        "tests/test_build.py::test_latest_is_resolved_once_and_update_re_resolves"
    }
    assert not any(t.startswith("tests/test_run.py") for t in once)
    assert any("[node-classic]" in t for t in wheel) and any("[node-buildkit]" in t for t in wheel)
