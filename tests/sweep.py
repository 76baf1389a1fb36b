"""Enumerated sweeps against the real shells, sampled.

A few generating tests enumerate every combination of their factors (forms × contexts × shells:
thousands of cases, each run by dash or bash). Whole, they took a fifth of CI's time; each factor
value is still drawn many times in a sample. A run takes ``k`` of them, drawn with the fuzz seed
(tests/conftest.py: one fixed seed in CI, so a change lands or fails on its own code, a new one
elsewhere, so developers' runs keep covering the rest); ``AISHELL_FULL_SWEEPS=1`` runs them whole.
"""

import os
import random

FULL = os.environ.get("AISHELL_FULL_SWEEPS") == "1"


def sample(cases, k: int, name: str) -> list:
    """``k`` of ``cases`` in their order (all of them under AISHELL_FULL_SWEEPS=1), drawn with the
    fuzz seed and the sweep's ``name`` (pytest-xdist's workers collect the same ones)."""
    cases = list(cases)
    if FULL or len(cases) <= k:
        return cases
    seed = f"{os.environ['AISHELL_FUZZ_SEED']}:{name}"
    return [cases[i] for i in sorted(random.Random(seed).sample(range(len(cases)), k))]
