"""The aishell that users get, for the benchmarks: a wheel installed into a fresh virtualenv.

`installed_aishell()` returns the path of that venv's `aishell` command: AISHELL_CMD when set
(for example the venv .ci/run made), otherwise it builds the wheel with the PyPA frontend
(`pip install build`) and installs it into a temporary virtualenv. An editable checkout is
never what is measured: it starts slower than the installed wheel (a path hook per import).
"""

from __future__ import annotations

import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def installed_aishell(extras: str = "") -> str:
    if os.environ.get("AISHELL_CMD"):
        return os.environ["AISHELL_CMD"]
    work = tempfile.mkdtemp(prefix="aishell-bench-wheel-")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", f"{work}/dist", str(ROOT)],
        check=True,
        capture_output=True,
    )
    subprocess.run([sys.executable, "-m", "venv", f"{work}/venv"], check=True)
    wheel = glob.glob(f"{work}/dist/aishell-*.whl")[0]
    subprocess.run([f"{work}/venv/bin/pip", "install", "-q", wheel + (f"[{extras}]" if extras else "")], check=True)
    return f"{work}/venv/bin/aishell"


def venv_python(aishell: str) -> str:
    """The interpreter of the virtualenv that holds ``aishell``."""
    return str(Path(aishell).parent / "python")


def engine_line(client) -> str:
    """'Docker Engine 26.1.5 (buildx)': the engine and the backend aishell would build with."""
    from aishell.builder.backends import choose

    return f"Docker Engine {client.version()['Version']}, backend {choose(client).name}"


CA = "/usr/local/share/ca-certificates"


def timed(cmd, **kw) -> float:
    """Seconds one command takes (output discarded, no stdin)."""
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def built_project(aishell: str, prefix: str, build_args: tuple[str, ...] = ()) -> tuple[str, dict[str, str]]:
    """A throwaway project on the foundation, built once (so runs have nothing to rebuild), with
    its own state and home: (project folder, environment to run aishell in)."""
    proj = tempfile.mkdtemp(prefix=prefix)
    os.makedirs(os.path.join(proj, ".aishell"))
    with open(os.path.join(proj, ".aishell", "Dockerfile"), "w") as f:
        f.write("FROM aishell:foundation\nRUN true\n")
    env = dict(
        os.environ,
        XDG_STATE_HOME=tempfile.mkdtemp(prefix="aishell-bench-state-"),
        HOME=tempfile.mkdtemp(prefix="aishell-bench-home-"),
    )
    if os.path.isdir(CA):
        env["AISHELL_CA_CERTS"] = CA
    subprocess.run([aishell, "build", *build_args, "--quiet"], cwd=proj, env=env, check=True)
    return proj, env


def alternate(commands: dict[str, list[str]], runs: int, **kw) -> dict[str, float]:
    """Median seconds of each command, run alternately ``runs`` times after one warm-up each."""
    samples: dict[str, list[float]] = {k: [] for k in commands}
    for cmd in commands.values():
        timed(cmd, **kw)
    for _ in range(runs):
        for name, cmd in commands.items():
            samples[name].append(timed(cmd, **kw))
    return {k: statistics.median(v) for k, v in samples.items()}
