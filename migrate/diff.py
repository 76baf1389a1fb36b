"""A unified diff linear in the file's size and its number of changes (issue 18).

difflib.unified_diff runs SequenceMatcher over the whole file: each change splits the file
where the longest matching run is, and every split scans its whole range again, so a file
with many changes (a chain of stages, each losing a line) took minutes at 1 MB while the
fixes themselves took under a second. Here the lines that certainly stay are found first,
in one pass: the common head and tail, then the lines that occur once in what is left of
each file (patience diff's anchors; the longest chain of them in order in both files),
each widened to the run of equal lines around it. Only the lines between those runs (each
change's own few lines) go to SequenceMatcher, with the same "popular line" rule difflib
applies to the whole file (a line more common than 1 % of a file of 200 lines or more is no
anchor). The opcodes are then grouped with 3 lines of context and written exactly as
difflib.unified_diff writes them.

A large region with no such line (a file made of one block repeated) is walked instead:
after each difference, the nearest place where 3 lines agree again ends it (difflib, whose
cost there is quadratic, may align such a file differently, shifting whole blocks).

Small files (a realistic Dockerfile) go to difflib itself, so their diffs are difflib's.
On a large file the result is difflib's whenever difflib would keep the same runs, which
it does when a run holds a line found once in each file and nothing longer crosses it; when
difflib would align a region across such a run (a run of a few lines repeated nearby), the
hunks can differ, and both are correct diffs: the tests check that `git apply` of this diff
gives the new text exactly. Seen on benchmarks/migrate_scale.py's many-fixes file at 10 MB
(identical at 1 MB): 8,696 hunks and 141,092 lines both ways, a few hunks with a moved
`ARG BUILD_DATE` block shown on the other side of its equal neighbours; `git apply` of
either gives the same file.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence

# Below this many lines (old + new) difflib itself is cheap: its output is used as it is.
SMALL = 2000
# A stretch of equal lines shorter than this between two changes goes to SequenceMatcher with
# them (difflib could align across it), as long as the region (old + new lines) stays this long.
SHORT_RUN, MAX_REGION = 4, 60
# A region longer than BIG lines (old + new) sharing lines difflib anchors on (a file of one
# block repeated: no line is found only once) is walked instead (_sync), SYNC equal lines in a
# row, within WINDOW lines, ending each difference.
BIG, SYNC, WINDOW = 2000, 3, 64


def unified_diff(a: Sequence[str], b: Sequence[str], fromfile: str, tofile: str, small: int | None = None) -> list[str]:
    """difflib.unified_diff(a, b, fromfile, tofile) with n=3, as a list; linear time. ``small``
    (SMALL unless given; 0 in the tests) is the line count below which difflib runs itself."""
    if len(a) + len(b) < (SMALL if small is None else small) or _all_popular(b):
        import difflib  # cheap here: on a file of few lines repeated, difflib has nothing to anchor on

        return list(difflib.unified_diff(a, b, fromfile, tofile))
    return list(_format(a, b, fromfile, tofile, _grouped(opcodes(a, b))))


def _format(a, b, fromfile: str, tofile: str, groups) -> Iterator[str]:
    started = False
    for group in groups:
        if not started:
            started = True
            yield f"--- {fromfile}\n"
            yield f"+++ {tofile}\n"
        first, last = group[0], group[-1]
        yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for line in a[i1:i2]:
                    yield " " + line
                continue
            if tag != "insert":
                for line in a[i1:i2]:
                    yield "-" + line
            if tag != "delete":
                for line in b[j1:j2]:
                    yield "+" + line


def _range(start: int, stop: int) -> str:
    """difflib's _format_range_unified: "N" for one line, "N-1,0" for none."""
    length = stop - start
    if length == 1:
        return f"{start + 1}"
    return f"{start + 1 if length else start},{length}"


def _grouped(codes: list[tuple[str, int, int, int, int]], n: int = 3):
    """SequenceMatcher.get_grouped_opcodes(n) over these opcodes."""
    if not codes:
        codes = [("equal", 0, 1, 0, 1)]
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - n), i2, max(j1, j2 - n), j2
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)
    nn = n + n
    group: list[tuple[str, int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > nn:
            group.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    """SequenceMatcher(None, a, b).get_opcodes(), found in linear time (see the module)."""
    blocks = matching_blocks(a, b)
    codes = []
    i = j = 0
    for ai, bj, size in blocks:
        tag = ""
        if i < ai and j < bj:
            tag = "replace"
        elif i < ai:
            tag = "delete"
        elif j < bj:
            tag = "insert"
        if tag:
            codes.append((tag, i, ai, j, bj))
        i, j = ai + size, bj + size
        if size:
            codes.append(("equal", ai, i, bj, j))
    return codes


def matching_blocks(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int, int]]:
    """Like SequenceMatcher.get_matching_blocks(): (i, j, n) runs, adjacent ones joined, and
    the (len(a), len(b), 0) sentinel."""
    na, nb = len(a), len(b)
    head = 0
    while head < na and head < nb and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < na - head and tail < nb - head and a[na - 1 - tail] == b[nb - 1 - tail]:
        tail += 1
    popular = _popular(b)
    runs = _runs(a, b, head, na - tail, head, nb - tail, popular, head, tail)
    # the stretches between the runs go to SequenceMatcher; a short run goes with the changes
    # around it (difflib may align across it: a line moved past another) while the region
    # stays small
    blocks: list[tuple[int, int, int]] = []
    si = sj = 0  # where the region being built starts
    for ai, bj, size in runs:
        if size < SHORT_RUN and (ai + size - si) + (bj + size - sj) <= MAX_REGION:
            continue
        blocks += _region(a, b, si, ai, sj, bj, popular)
        blocks.append((ai, bj, size))
        si, sj = ai + size, bj + size
    blocks += _region(a, b, si, na, sj, nb, popular)
    # join adjacent blocks, as get_matching_blocks does
    joined: list[tuple[int, int, int]] = []
    for ai, bj, size in blocks:
        if not size:
            continue
        if joined and joined[-1][0] + joined[-1][2] == ai and joined[-1][1] + joined[-1][2] == bj:
            joined[-1] = (joined[-1][0], joined[-1][1], joined[-1][2] + size)
        else:
            joined.append((ai, bj, size))
    joined.append((na, nb, 0))
    return joined


def _all_popular(b: Sequence[str]) -> bool:
    """Is every line of b one difflib will not anchor on (a file of a few lines repeated)?
    SequenceMatcher is then linear: it finds no anchor."""
    n = len(b)
    if n < 200:
        return False
    ntest = n // 100 + 1
    distinct = set(b)
    if len(distinct) * (ntest + 1) > n:
        return False  # too many different lines for all to be that common
    counts: dict[str, int] = {}
    for line in b:
        counts[line] = counts.get(line, 0) + 1
    return all(c > ntest for c in counts.values())


def _popular(b: Sequence[str]) -> set[str]:
    """difflib's autojunk: in a b of 200 lines or more, a line found more than 1 % + 1 times."""
    n = len(b)
    if n < 200:
        return set()
    counts: dict[str, int] = {}
    for line in b:
        counts[line] = counts.get(line, 0) + 1
    ntest = n // 100 + 1
    return {line for line, c in counts.items() if c > ntest}


def _runs(
    a, b, alo: int, ahi: int, blo: int, bhi: int, popular: set[str], head: int, tail: int
) -> list[tuple[int, int, int]]:
    """Runs of equal lines: the common head and tail (``head``, ``tail`` lines long) and the
    runs around the lines found once in a[alo:ahi] and once in b[blo:bhi], the longest chain of
    them in order in both; each run widened to the equal lines around it, then settled."""
    once_a: dict[str, int] = {}
    for i in range(alo, ahi):
        line = a[i]
        once_a[line] = -1 if line in once_a else i
    once_b: dict[str, int] = {}
    for j in range(blo, bhi):
        line = b[j]
        if line in once_a:
            once_b[line] = -1 if line in once_b else j
    pairs = [
        (once_a[line], j) for line, j in once_b.items() if j >= 0 and once_a[line] >= 0
    ]  # in b's order (dicts keep insertion order)
    pairs.sort()
    # longest increasing chain of b positions in a's order (patience sorting)
    tails: list[int] = []  # b position ending the best chain of each length
    tail_at: list[int] = []  # index into pairs of that end
    back: list[int] = []
    for k, (_, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[pos] = j
            tail_at[pos] = k
        back.append(tail_at[pos - 1] if pos else -1)
    chain: list[tuple[int, int]] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        chain.append(pairs[k])
        k = back[k]
    chain.reverse()
    # each anchor widened to its whole run of equal lines (a run never reaches the next
    # anchor's line unless both are in it: that line is found once in each file)
    na, nb = len(a), len(b)
    full: list[tuple[int, int, int]] = [(0, 0, head)] if head else []  # (a start, b start, a end)
    if tail:
        chain.append((na - tail, nb - tail))
    for i, j in chain:
        if full and i < full[-1][2] and j - i == full[-1][1] - full[-1][0]:
            continue  # inside the run widened from an earlier anchor
        s, t = i, j
        while s > 0 and t > 0 and a[s - 1] == b[t - 1]:
            s -= 1
            t -= 1
        e = i + 1
        while e < na and e - i + j < nb and a[e] == b[e - i + j]:
            e += 1
        full.append((s, t, e))
    runs = []
    end_a = end_b = 0
    for s, t, n in _settle(a, full, popular, bool(head)):
        cut = max(0, end_a - s, end_b - t)  # never two runs on the same line (the diff must hold)
        if n > cut:
            runs.append((s + cut, t + cut, n - cut))
            end_a, end_b = s + n, t + n
    return runs


def _settle(a, full: list[tuple[int, int, int]], popular: set[str], head: bool) -> list[tuple[int, int, int]]:
    """Two neighbouring runs may both reach the same lines (a blank line added next to a blank
    line): as in difflib, the run it would find first keeps them, the longest (counting its
    longest stretch of lines that are not popular), the earliest of equal ones; the other
    stops where it starts. Each run is looked at again only when a neighbour is settled. A run
    of popular lines only is dropped (difflib finds it only from the file's first line: the
    common head, ``head``)."""
    import heapq

    k = len(full)
    done: list[tuple[int, int, int] | None] = [None] * k  # (a start, b start, size) once settled

    def bounds(m: int) -> tuple[int, int]:
        s, t, e = full[m]
        d = t - s
        if m and done[m - 1]:
            ps, pt, pn = done[m - 1]
            s = max(s, ps + pn, pt + pn - d)
        if m + 1 < k and done[m + 1]:
            ns, nt, _ = done[m + 1]
            e = min(e, ns, nt - d)
        return s, e

    def key(s: int, e: int) -> tuple[int, int]:
        if not popular:
            return (s - e, s)
        best, at, run = 0, s, 0
        for x in range(s, e):
            if a[x] in popular:
                run = 0
                continue
            run += 1
            if run > best:
                best, at = run, x - run + 1
        return (-best, at)

    heap = [(key(s, e), m, s, e) for m, (s, _, e) in enumerate(full)]
    heapq.heapify(heap)
    while heap:
        _, m, s, e = heapq.heappop(heap)
        now = bounds(m)
        if now != (s, e):
            heapq.heappush(heap, (key(*now), m, *now))
            continue
        if s < e and (key(s, e)[0] or (head and m == 0)):
            done[m] = (s, s + full[m][1] - full[m][0], e - s)
        else:
            done[m] = (s, s + full[m][1] - full[m][0], 0)
    return [run for run in done if run and run[2] > 0]


def _region(a, b, alo: int, ahi: int, blo: int, bhi: int, popular: set[str]) -> list[tuple[int, int, int]]:
    """SequenceMatcher's matching blocks of a[alo:ahi] and b[blo:bhi], in whole-file positions,
    with the whole file's popular lines kept out of the anchors as difflib keeps them."""
    if alo == ahi or blo == bhi:
        return []
    sa, sb = a[alo:ahi], b[blo:bhi]
    common = set(sa).intersection(sb)
    if not common:
        return []  # nothing to match (the common case: a line changed, added or taken out)
    if len(sa) + len(sb) > BIG and not common <= popular:
        return _sync(a, b, alo, ahi, blo, bhi, popular)
    import difflib

    sm = difflib.SequenceMatcher(None, sa, sb, autojunk=False)
    for line in popular:
        sm.b2j.pop(line, None)
    return [(alo + i, blo + j, n) for i, j, n in sm.get_matching_blocks() if n]


def _sync(a, b, alo: int, ahi: int, blo: int, bhi: int, popular: set[str]) -> list[tuple[int, int, int]]:
    """Matching blocks of a large region with no line found once in each file (a file made of
    one block repeated), where SequenceMatcher is quadratic: walk both along their equal lines;
    after each difference, the nearest place where SYNC lines agree again (within WINDOW lines
    of each side) ends it, and SequenceMatcher aligns the few lines in between. Where nothing
    agrees that near, the rest goes to SequenceMatcher as it is."""
    blocks: list[tuple[int, int, int]] = []
    i, j = alo, blo
    while i < ahi and j < bhi:
        start = i
        while i < ahi and j < bhi and a[i] == b[j]:
            i += 1
            j += 1
        if i > start:
            blocks.append((start, j - (i - start), i - start))
        if i >= ahi or j >= bhi:
            break
        windows: dict[tuple[str, ...], int] = {}
        for dj in range(min(WINDOW, bhi - j - SYNC + 1)):
            windows.setdefault(tuple(b[j + dj : j + dj + SYNC]), dj)
        best = None
        for di in range(min(WINDOW, ahi - i - SYNC + 1)):
            if best is not None and di >= best[0] + best[1]:
                break
            dj = windows.get(tuple(a[i + di : i + di + SYNC]))
            if dj is not None and (best is None or di + dj < best[0] + best[1]):
                best = (di, dj)
        if best is None:
            blocks += (
                _region(a, b, i, ahi, j, bhi, popular)
                if (ahi - i) + (bhi - j) <= BIG
                else _tail(a, b, i, ahi, j, bhi, popular)
            )
            break
        di, dj = best
        blocks += _region(a, b, i, i + di, j, j + dj, popular)
        i, j = i + di, j + dj
    return blocks


def _tail(a, b, alo: int, ahi: int, blo: int, bhi: int, popular: set[str]) -> list[tuple[int, int, int]]:
    """SequenceMatcher on a large region as it is (no place nearby where the files agree)."""
    import difflib

    sm = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
    for line in popular:
        sm.b2j.pop(line, None)
    return [(alo + i, blo + j, n) for i, j, n in sm.get_matching_blocks() if n]
