"""benchmarks/scale.py (a script, not a package), loaded once for the tests that build its shapes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "scale", Path(__file__).resolve().parent.parent / "benchmarks" / "scale.py"
)
scale = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scale)
