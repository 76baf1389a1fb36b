"""The byte engine: apply span edits to text, ruff-style (sorted, non-overlapping, the rest
copied as it is), and choose which fixes can go together. Both are O(n log n) in the
number of edits: a 10 MB file with 100,000 fixes is selected and applied in one pass.

Edits carry an optional ``path``: ``None`` is the file being fixed, a path is another
file the fix writes (AIS103's ignore file). Overlap is checked per file.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Iterable, Sequence
from operator import attrgetter, itemgetter

from aishell.findings import Edit, Fix


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply edits that do not overlap (the caller makes sure); text between them is copied."""
    out: list[str] = []
    append = out.append
    pos, n = 0, len(text)
    for e in sorted(edits, key=_key):
        s, t = e[0], e[1]
        if s < pos:
            raise ValueError(f"overlapping edits at {s}")
        if t > n or s > t:
            raise ValueError(f"edit {s}-{t} outside the text")
        append(text[pos:s])
        append(e[2])
        pos = t
    append(text[pos:])
    return "".join(out)


_key = itemgetter(0, 1, 2)  # (start, end, replacement) of an Edit, computed in C


_INF = float("inf")


class _Taken:
    """Spans already claimed in one file, sorted by start; none overlap each other."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.stacking: dict[int, bool] = {}  # insertion point -> whether every insertion there stacks

    def conflicts(self, s: int, e: int, stacks: bool = False) -> bool:
        spans = self.spans
        i = bisect_right(spans, (e, _INF))  # every span starting at or before e
        # The spans are disjoint (touching at most), so sorted by start their ends never
        # decrease either: walk back until one ends before s.
        for j in range(i - 1, -1, -1):
            a, b = spans[j]
            if b < s:
                break
            if _overlaps(s, e, a, b) and not (stacks and s == e == a == b and self.stacking[a]):
                return True
        return False

    def add(self, s: int, e: int, stacks: bool = False) -> None:
        insort(self.spans, (s, e))
        if s == e:
            self.stacking[s] = stacks and self.stacking.get(s, True)


def select_fixes(fixes: Iterable[Fix]) -> tuple[list[Fix], int]:
    """Fixes to apply now (all edits of a fix, or none) and how many were skipped for overlap.

    Order is deterministic: by first edit offset, then by the fix's edits.
    """
    fixes = [f for f in fixes if f.edits]
    if _plain(fixes):
        # Every edit is of the file itself and each fix's edits are in order: a fix's edits
        # then sort as its key (first edit, then all of them) does, the path None in all.
        fixes.sort(key=_edits)
        fast = _all_disjoint_plain(fixes)
        if fast is not None:
            return fast, 0
        return _greedy([(None, f) for f in fixes])
    keyed = []
    for f in fixes:
        keys = list(map(_key, f.edits))
        keyed.append(((min(keys), keys), f))
    keyed.sort(key=itemgetter(0))
    fast = _all_disjoint(keyed)
    if fast is not None:
        return fast, 0
    return _greedy(keyed)


_edits = attrgetter("edits")


def _plain(fixes: list[Fix]) -> bool:
    """Whether every edit is of the file itself (path None) and every fix's edits are sorted."""
    for f in fixes:
        edits = f.edits
        if len(edits) == 1:
            if edits[0][3] is not None:
                return False
            continue
        prev = None
        for e in edits:
            if e[3] is not None or (prev is not None and e < prev):
                return False
            prev = e
    return True


def _all_disjoint_plain(fixes: list[Fix]) -> list[Fix] | None:
    """``_all_disjoint`` for fixes ``_plain`` and sorted by their edits: one file, and a
    repeated fix next to its first."""
    chosen: list[Fix] = []
    spans: list[tuple[int, int, bool]] = []
    prev = None
    for fix in fixes:
        edits = fix.edits
        if edits == prev:
            continue
        prev = edits
        chosen.append(fix)
        stacks = _stacks(fix)
        for e in edits:
            spans.append((e[0], e[1], stacks))
    return chosen if _disjoint(spans) else None


def _greedy(keyed: list) -> tuple[list[Fix], int]:
    """The walk: each fix in order, taken when none of its edits meets a fix taken before."""
    chosen: list[Fix] = []
    taken: dict[str | None, _Taken] = {}
    skipped = 0
    seen: set[tuple[Edit, ...]] = set()
    # Insertion points where a stacking fix was skipped: the stacking fixes after it there wait
    # too, else they would land before it (one fix a pass puts each after the one before).
    closed: set[tuple[str | None, int]] = set()
    for _, fix in keyed:
        edits = fix.edits
        if edits in seen:
            continue  # two findings with the same fix (e.g. one install of two harnesses)
        stacks = _stacks(fix)
        for e in edits:
            if _taken(taken, _path(e)).conflicts(e.start, e.end, stacks) or (
                stacks and e.start == e.end and (_path(e), e.start) in closed
            ):
                skipped += 1
                if stacks:
                    closed.update((_path(x), x.start) for x in edits if x.start == x.end)
                break
        else:
            seen.add(edits)
            chosen.append(fix)
            for e in edits:
                taken[_path(e)].add(e.start, e.end, stacks)
    return chosen, skipped


def _all_disjoint(keyed: list) -> list[Fix] | None:
    """The common case in one sort: when no edit of any fix meets another's (no conflict
    under ``_overlaps``, file by file), every fix is chosen, a repeated fix once, as the
    greedy walk would; None when some do, and the walk decides. Linear after the sort,
    with no per-edit search and insertion into the taken spans."""
    chosen: list[Fix] = []
    seen: set = set()
    spans: dict[str | None, list[tuple[int, int, bool]]] = {}
    for _, fix in keyed:
        edits = fix.edits
        if edits in seen:
            continue
        seen.add(edits)
        chosen.append(fix)
        stacks = _stacks(fix)
        for e in edits:
            spans.setdefault(e.path, []).append((e.start, e.end, stacks))
    for es in spans.values():
        if not _disjoint(es):
            return None
    return chosen


def _disjoint(es: list[tuple[int, int, bool]]) -> bool:
    """Whether no span (start, end, stacks) meets another under ``_overlaps``."""
    es.sort()
    hi = point = -1  # the furthest end of a span seen, the furthest insertion point seen
    stacking = False  # every insertion at ``point`` so far stacks
    for s, e, stacks in es:
        # Everything before starts at or before s: a span [a, b] meets s..e when s < b
        # (a point s when s <= b); an insertion p (p <= s) meets it only at p == s, unless
        # both stack.
        if s >= e:
            if s > e or s <= hi or (s == point and not (stacks and stacking)):
                return False
            stacking = stacks if s != point else stacking and stacks
            point = s
        else:
            if s < hi or s == point:
                return False
            if e > hi:
                hi = e
    return True


def _stacks(fix: Fix) -> bool:
    """A fix whose insertions may share their point with another stacking fix's (a rule's
    ``StackingFix``): applied in the fixes' order, see ``stack_insertions``."""
    # (A plain Fix has no such attribute: getattr would raise and catch an AttributeError, a
    # fix of 150,000 twice a pass.)
    return type(fix) is not Fix and getattr(fix, "stacks", False)


def stack_insertions(fixes: Sequence[Sequence[Edit]]) -> list[Edit]:
    """The edits of the fixes chosen (each fix's, in the fixes' order), with an insertion at
    the point of an earlier fix's (stacking fixes') joined to it, after its text: ``apply_edits``
    orders edits by position and then by text, not by fix."""
    out: list[Edit] = []
    at: dict[tuple, tuple[int, int]] = {}  # (path, point) -> (its first insertion in out, which fix)
    for n, edits in enumerate(fixes):
        for e in edits:
            if e[0] == e[1]:
                key = (e[3], e[0])
                hit = at.get(key)
                if hit is None:
                    at[key] = (len(out), n)
                elif hit[1] != n:  # an earlier fix's insertion at this point: joined to it
                    k = hit[0]
                    out[k] = out[k]._replace(replacement=out[k].replacement + e[2])
                    continue
            out.append(e)
    return out


def _taken(taken: dict, path: str | None) -> _Taken:
    t = taken.get(path)
    if t is None:
        t = taken[path] = _Taken()
    return t


def _path(e: Edit) -> str | None:
    return getattr(e, "path", None)


def _overlaps(s: int, e: int, a: int, b: int) -> bool:
    if s == e or a == b:  # insertions: only the same point (or a point inside a span) conflicts
        return a <= s <= b if s == e else s <= a <= e
    return s < b and a < e
