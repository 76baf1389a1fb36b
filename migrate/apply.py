"""Apply span edits to text, ruff-style: sorted, non-overlapping, the rest copied as is."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aishell.findings import Edit, Fix


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply edits that do not overlap (the caller makes sure); text between them is copied."""
    out, pos = [], 0
    for e in sorted(edits):
        if e.start < pos:
            raise ValueError(f"overlapping edits at {e.start}")
        out.append(text[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def select_fixes(fixes: Iterable[Fix]) -> tuple[list[Fix], int]:
    """Fixes to apply now (all edits of a fix, or none) and how many were skipped for overlap.

    Order is deterministic: by first edit offset, then by the fix's edits.
    """
    chosen: list[Fix] = []
    taken: list[tuple[int, int]] = []
    skipped = 0
    seen: set[tuple[Edit, ...]] = set()
    for fix in sorted(fixes, key=lambda f: (min(f.edits).start, f.edits)):
        if fix.edits in seen:
            continue  # two findings with the same fix (e.g. one install of two harnesses)
        if any(_overlaps(e, a, b) for e in fix.edits for a, b in taken):
            skipped += 1
            continue
        seen.add(fix.edits)
        chosen.append(fix)
        taken.extend((e.start, e.end) for e in fix.edits)
    return chosen, skipped


def _overlaps(e: Edit, a: int, b: int) -> bool:
    if e.start == e.end or a == b:  # insertions: only the same point conflicts
        return a <= e.start <= b if e.start == e.end else e.start <= a <= e.end
    return e.start < b and a < e.end
