"""Generated cases checked many to a pytest item: a test's per-item cost (its setup, report and
folder; ~1–2 ms, a third of a dash-judged case) paid once per chunk, not once per case.

``chunked(cases, size)`` gives pytest.params each holding ``size`` of ``cases`` (pytest.params
themselves, or tuples of values: named by them); ``each(chunk, check, tmp)`` runs ``check(*values, folder)`` for every
case of a chunk, each in a fresh folder of its own under ``tmp``, and fails naming every failing
case by its id (and its error), so that one failing case hides none of the others."""

from __future__ import annotations

from collections.abc import Callable


def chunked(cases: list, size: int = 100) -> list:
    import pytest

    cases = [c if hasattr(c, "values") else pytest.param(*c, id="-".join(map(str, c))) for c in cases]
    return [
        pytest.param(cases[i : i + size], id=f"{i}-{min(i + size, len(cases)) - 1}") for i in range(0, len(cases), size)
    ]


def each(chunk: list, check: Callable, tmp) -> None:
    failures = []
    for n, case in enumerate(chunk):
        folder = tmp / str(n)
        folder.mkdir()
        try:
            check(*case.values, folder)
        except Exception as e:  # (each case's failure named; the others still checked)
            failures.append(f"{case.id}: {e!r}")
    assert not failures, f"{len(failures)} of {len(chunk)} cases failed:\n" + "\n".join(failures)
