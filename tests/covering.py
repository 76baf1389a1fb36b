"""Covering sets for the exhaustive differential tests: every combination of neighbouring values,
not every row of the product.

A fast path in aishell/shell.py reads a script's words with their neighbours: a command, the
operator after it, the command after that. The tests that compare a fast path with the general
reader built their scripts as the full product of their pieces (36,450 scripts for five
factors), and most of that CPU went to rows that only repeat a neighbourhood another row already
had. ``covering`` keeps every combination of the factors a test names as read together (each
piece in every neighbourhood it can have), in about as many rows as the largest neighbourhood
has combinations.
"""

from __future__ import annotations

from itertools import product


def covering(factors: list[list], windows: list[tuple[int, ...]]) -> list[tuple]:
    """Rows, one value of each factor, in which the factors of each window (a tuple of factor
    indices: a command, the operator after it, the next command) take every combination of their
    values at least once.

    Greedy and deterministic: each new row starts from the first combination still missing and
    takes, factor by factor, the value that completes the most missing ones (the smallest on a tie)."""
    n = len(factors)
    missing = [set(product(*(range(len(factors[i])) for i in w))) for w in windows]
    touching = [[k for k, w in enumerate(windows) if i in w] for i in range(n)]
    rows = []
    while any(missing):
        k0 = next(k for k in range(len(windows)) if missing[k])
        row: list = [None] * n
        for i, v in zip(windows[k0], min(missing[k0])):
            row[i] = v
        for i in range(n):
            if row[i] is not None:
                continue
            best, best_gain = 0, -1
            for v in range(len(factors[i])):
                row[i] = v
                gain = 0
                for k in touching[i]:
                    combo = tuple(row[j] for j in windows[k])
                    gain += None not in combo and combo in missing[k]
                if gain > best_gain:
                    best, best_gain = v, gain
            row[i] = best
        for k, w in enumerate(windows):
            missing[k].discard(tuple(row[j] for j in w))
        rows.append(tuple(factors[i][v] for i, v in enumerate(row)))
    return rows
