"""The aishell that users get, for the benchmarks: a wheel installed into a fresh virtualenv.

`installed_aishell()` returns the path of that venv's `aishell` command: AISHELL_CMD when set
(for example the venv .ci/run made), otherwise it builds the wheel with the PyPA frontend
(`pip install build`) and installs it into a temporary virtualenv. An editable checkout is
never what is measured: it starts slower than the installed wheel (a path hook per import).
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import tempfile
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
