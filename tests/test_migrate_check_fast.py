"""The fix loop's fast checks equal the general ones (issue 18, "Linear by design").

``migrate.verify.check_fix`` answers the commonest edits inline (an insertion before an
instruction's block, the deletion of exactly one block), ``migrate.fixer._check_fixes``
groups and orders fixes without sets and sorts, and ``migrate.apply`` selects, stacks and
applies edits with less per-edit work. Each is compared here with the code it replaced (kept
below as the reference), on generated files and edits of every shape the checks tell apart:
comments above and inside instructions, heredocs, blank lines, CRLF, a BOM, a file without a
final line break, edits snapped to lines and block boundaries or not, other files' edits.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.findings import SAFE, Edit, Fix
from aishell.migrate import apply as apply_mod
from aishell.migrate import fixer, verify
from aishell.migrate.verify import Layout, _check_in_instruction, _parse_before
from aishell.model import DockerfileSyntaxError, parse
from tests.test_migrate_passes import _outcome

# -- the reference: the checks as they were before the fast paths ------------------------------


def _ref_check_fix(layout, edits):
    # (An edit that would mix the file's line endings is refused first, by one check both share;
    # then a move whose lines are not the lines it cuts, by another.)
    why = verify._mixes_endings(layout, edits)
    if why:
        return why, 0
    if len(edits) >= 2 and not verify._moves_its_bytes(layout.text, edits):
        return "the lines moved would not be the lines cut (a byte lost or gained)", 0
    n = len(layout.ls)
    groups: dict = {}
    delta = 0
    for e in sorted(edits):
        if e.start == e.end:
            j = bisect_right(layout.le, e.start)
            if j < n and layout.ls[j] < e.start:
                if layout.at_line_start(e.start) and e.replacement.endswith("\n"):
                    return "the inserted lines would fall inside an instruction and join it", 0
                groups.setdefault(j, []).append(e)
                continue
            why, added = _ref_check_insertion(layout, e)
            if why:
                return why, 0
            delta += added
            continue
        j = bisect_right(layout.ls, e.start) - 1
        inside = j >= 0 and layout.ls[j] <= e.start and e.end <= layout.le[j]
        if inside and not (e.start == layout.ls[j] and e.end == layout.le[j] and not e.replacement):
            groups.setdefault(j, []).append(e)
            continue
        if not e.replacement and _ref_is_line_range(layout, e):
            why, gone = _ref_check_deletion(layout, e)
            if why:
                return why, 0
            delta -= gone
            continue
        return "an edit crosses instruction boundaries", 0
    for j, es in groups.items():
        why = _check_in_instruction(layout, j, es)
        if why:
            return why, 0
    if n + delta <= 0:
        return "the file would have no instruction left", 0
    return None, delta


def _ref_is_line_range(layout, e):
    text = layout.text
    s = e.start
    if e.end == len(text) and not text.endswith("\n") and s > 0 and text[s] in "\r\n":
        return True
    return layout.at_line_start(s) and (e.end == len(text) or text[e.end - 1] == "\n")


def _ref_check_deletion(layout, e):
    text = layout.text
    s, t = e.start, e.end
    if not layout.at_line_start(s):
        s = text.index("\n", s) + 1
    i = bisect_right(layout.le, s)
    j = bisect_left(layout.ls, t)
    pos = s
    for k in range(i, j):
        if layout.bs[k] < s or layout.le[k] > t:
            return "a deletion cuts an instruction or its comments apart", 0
        if text[pos : layout.bs[k]].strip():
            return "a deletion would remove a comment that belongs to no removed instruction", 0
        pos = layout.le[k]
    if text[pos:t].strip():
        return "a deletion would remove a comment that belongs to no removed instruction", 0
    if j < len(layout.ls) and layout.bs[j] < t:
        return "a deletion would remove the comment of the instruction after it", 0
    return None, j - i


def _ref_stays_last(layout, body):
    """Read as BuildKit reads it, the file's last instruction is the same with ``body`` after it
    (its lines and what follows them, parsed alone: a continuation to the end joins the body)."""
    text = layout.text
    tail = text[layout.bs[-1] :]
    if tail and not tail.endswith("\n"):
        tail += "\n"
    got = verify._parse_snippet(layout, tail + body)
    return (
        got is not None
        and got.instructions
        and verify._ident(got.instructions[0]) == verify._ident(layout.df.instructions[-1])
    )


def _ref_check_insertion(layout, e):
    text, p = layout.text, e.start
    body = e.replacement
    if p == len(text) and text and not text.endswith("\n"):
        if not body.startswith(("\n", "\r\n")):
            return "an insertion at the end of the file does not start a new line", 0
        body = body.lstrip("\r\n") if body.startswith("\r\n") else body[1:]
    elif not layout.at_line_start(p):
        return "an insertion does not start at a line", 0
    j = bisect_right(layout.le, p)
    if j < len(layout.ls) and p > layout.bs[j]:
        return "an insertion would separate an instruction from its comments", 0
    if not body.endswith("\n") and p != len(text):
        return "an insertion does not end its last line", 0
    if body.strip() and body.rstrip().split("\n")[-1].lstrip().startswith("#"):
        return "the inserted lines end with a comment that would land on the next instruction", 0
    got = _parse_before(layout, body, j)
    if got is None:
        return "the inserted lines do not parse, or run into the instruction after them", 0
    if got and j == len(layout.ls) and j and not _ref_stays_last(layout, body):
        return "the inserted lines would join the last instruction, continued to the end of the file", 0
    return None, got


def _ref_check_fixes(layout, fixes, check_fix, check_other_file):
    starts = layout.ls
    groups: dict = {}
    alone = []
    for fx in fixes:
        own = [e for e in fx.edits if e.path is None]
        js = {bisect_right(starts, e.start) - 1 for e in own}
        j = js.pop() if len(js) == 1 and len(own) == len(fx.edits) else None
        if j is not None and j >= 0 and all(starts[j] < e.start and e.end <= layout.le[j] for e in own):
            groups.setdefault(j, []).append(fx)
        else:
            alone.append(fx)
    good, refused = [], []
    delta = 0
    todo = [[fx] for fx in reversed(alone)] + list(reversed(groups.values()))
    while todo:
        group = todo.pop()
        why, added = check_fix(layout, [e for fx in group for e in fx.edits if e.path is None])
        if len(group) == 1 and why is None and any(e.path is not None for e in group[0].edits):
            why = fixer._check_others(group[0], check_other_file)
        if why is None:
            good.extend(group)
            delta += added
        elif len(group) == 1:
            refused.append((group[0], why))
        else:
            todo.append(group[len(group) // 2 :])
            todo.append(group[: len(group) // 2])
    order = {id(fx): k for k, fx in enumerate(fixes)}
    good.sort(key=lambda fx: order[id(fx)])
    return good, delta, refused


# -- generated files and edits -------------------------------------------------------------------

_LINES = [
    "FROM debian",
    "FROM aishell:base AS s",
    "RUN make",
    "RUN claude --version && make",
    "RUN a \\\n  && b",
    "RUN a \\\n# inside\n  b",
    "RUN continued to the end \\",
    "RUN <<EOF\nbody\nEOF",
    "RUN <<EOF && echo ok\nline\nEOF",
    "COPY . .",
    "ARG BUILD_DATE",
    "WORKDIR /app",
    "RUN a\rb",
    "# a comment",
    "  # indented comment",
    "\t# a tab, then a comment",
    "\u00a0# a no-break space, then a comment",
    "\u00a0RUN x",
    "# aishell: ignore=AIS002 why",
    "",
    "   ",
]
_BODIES = [
    "RUN x\n",
    "ARG A\n",
    "COPY a b\r\n",
    "# c\n",
    "RUN x\n# c\n",
    "\n",
    "  \n",
    "RUN x",
    "RUN a \\\n",
    "\nRUN y\n",
    "\r\nRUN y\n",
    "RUN <<EOF\nbody\nEOF\n",
    "x",
    "",
    "COPY package.json ./\nRUN npm ci\n",
]


@st.composite
def _dockerfile(draw):
    lines = draw(st.lists(st.sampled_from(_LINES), min_size=1, max_size=10))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = "\n".join(["FROM debian", *lines])
    if newline == "\r\n":
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text += newline
    if draw(st.integers(0, 7)) == 0:
        text = "\ufeff" + text
    return text


def _points(layout: Layout) -> list[int]:
    """Offsets the checks tell apart: line starts and ends, block starts, instruction starts
    and ends, heads, the ends of the text, and their neighbours."""
    pts = {0, len(layout.text)}
    pts.update(layout.df.line_starts)
    for xs in (layout.ls, layout.le, layout.bs, layout.head):
        pts.update(xs)
    pts.update([p + d for p in list(pts) for d in (-1, 1)])
    return sorted(p for p in pts if 0 <= p <= len(layout.text))


def _edits(draw, layout: Layout, pts: list[int], max_size: int = 3) -> list[Edit]:
    out = []
    for _ in range(draw(st.integers(1, max_size))):
        a = draw(st.sampled_from(pts))
        kind = draw(st.integers(0, 3))
        if kind == 0:  # an insertion
            out.append(Edit(a, a, draw(st.sampled_from(_BODIES))))
        else:
            b = draw(st.sampled_from([p for p in pts if p >= a]))
            out.append(Edit(a, b, "" if kind < 3 else draw(st.sampled_from(_BODIES))))
    return out


_SETTINGS = settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)


@_SETTINGS
@given(_dockerfile(), st.data())
def test_check_fix_equals_the_general_checks(text, data):
    try:
        df = parse(text)
    except DockerfileSyntaxError:
        return
    shared = Layout(df)  # its remembered verdicts serve every fix checked on it
    pts = _points(shared)
    for _ in range(3):
        edits = _edits(data.draw, shared, pts)
        assert verify.check_fix(shared, edits) == _ref_check_fix(Layout(df), edits)
        assert verify.check_fix(Layout(df), tuple(edits)) == _ref_check_fix(Layout(df), edits)


@_SETTINGS
@given(_dockerfile(), st.data())
def test_block_deletions_and_insertions_equal_the_general_checks(text, data):
    """The shapes the fast paths take, aimed at: one block deleted, lines inserted before one."""
    try:
        df = parse(text)
    except DockerfileSyntaxError:
        return
    lay = Layout(df)
    k = data.draw(st.integers(0, len(lay.ls) - 1))
    s = data.draw(st.sampled_from([lay.bs[k], lay.ls[k]]))
    t = data.draw(st.sampled_from([lay.le[k], lay.head[k]] + ([lay.le[k + 1]] if k + 1 < len(lay.ls) else [])))
    p = data.draw(st.sampled_from([lay.bs[k], lay.ls[k], lay.le[k]]))
    for edits in ([Edit(s, t, "")], [Edit(p, p, data.draw(st.sampled_from(_BODIES)))]):
        if edits[0].start <= edits[0].end:
            assert verify.check_fix(Layout(df), edits) == _ref_check_fix(Layout(df), edits)


@_SETTINGS
@given(_dockerfile(), st.data())
def test_moved_blocks_equal_the_general_checks(text, data):
    """Whole blocks cut and their text inserted elsewhere, as AIS102 moves ARGs (the fast path
    verify._is_move), and near misses of it: the verdict and count of the general checks."""
    try:
        df = parse(text)
    except DockerfileSyntaxError:
        return
    lay = Layout(df)
    chosen = sorted(data.draw(st.sets(st.integers(0, len(lay.ls) - 1), min_size=1, max_size=3)))
    body = "".join(lay.text[lay.bs[i] : lay.le[i]] for i in chosen)
    miss = data.draw(st.integers(0, 5))
    if miss == 1:
        body = body[:-1]
    elif miss == 2:
        body = body.replace("\n", "\r\n", 1)
    elif miss == 3:
        body = "# c\n" + body
    p = data.draw(st.sampled_from(_points(lay) + [lay.bs[k] for k in range(len(lay.bs))] * 2))
    edits = [Edit(lay.bs[i], lay.le[i], "") for i in chosen] + [Edit(p, p, body)]
    if miss == 4:
        edits[0] = Edit(lay.ls[chosen[0]], lay.le[chosen[0]], "")
    assert verify.check_fix(Layout(df), edits) == _ref_check_fix(Layout(df), edits)


@st.composite
def _fix_list(draw, layout: Layout):
    pts = _points(layout)
    fixes = []
    for _ in range(draw(st.integers(1, 8))):
        edits = _edits(draw, layout, pts)
        if draw(st.integers(0, 5)) == 0:
            edits.append(Edit(0, 0, "x\n", "/nonexistent/aishell-t18/.dockerignore"))
        fixes.append(Fix(SAFE, "", tuple(edits)))
    return fixes


@_SETTINGS
@given(_dockerfile(), st.data())
def test_check_fixes_equals_the_general_loop(text, data):
    try:
        df = parse(text)
    except DockerfileSyntaxError:
        return
    fixes, _ = apply_mod.select_fixes(data.draw(_fix_list(Layout(df))))
    if not fixes:
        return
    got = fixer._check_fixes(Layout(df), fixes, verify.check_fix, verify.check_other_file)
    want = _ref_check_fixes(Layout(df), fixes, _ref_check_fix, verify.check_other_file)
    assert [id(f) for f in got[0]] == [id(f) for f in want[0]]
    assert got[1] == want[1]
    assert [(id(f), why) for f, why in got[2]] == [(id(f), why) for f, why in want[2]]


def test_the_generators_reach_both_fast_paths_and_the_general_checks():
    """The fast paths are taken and so are the general checks, on these generators' files."""
    text = "FROM debian\n# c\nRUN make\nRUN <<EOF\nbody\nEOF\n"
    lay = Layout(parse(text))
    assert verify.check_fix(lay, [Edit(lay.bs[1], lay.le[1], "")]) == (None, -1)  # fast deletion
    assert verify.check_fix(lay, [Edit(lay.bs[1], lay.bs[1], "ARG A\n")]) == (None, 1)  # fast insertion
    assert verify.check_fix(lay, [Edit(lay.ls[1], lay.le[1], "")])[0] is not None  # its comment left
    assert verify.check_fix(lay, [Edit(lay.ls[1], lay.ls[1], "ARG A\n")])[0] is not None
    move = [Edit(lay.bs[1], lay.le[1], ""), Edit(lay.bs[2], lay.bs[2], text[lay.bs[1] : lay.le[1]])]
    assert verify._is_move(lay, move) and verify.check_fix(lay, move) == (None, 0)  # a move


# -- select_fixes: fixes of the file itself, sorted by their edits ---------------------------------


def _walk(fixes):
    """select_fixes as it was: sorted by (first edit, edits) without their paths, then the walk."""
    keyed = []
    for f in fixes:
        if f.edits:
            keys = [e[:3] for e in f.edits]
            keyed.append(((min(keys), keys), f))
    keyed.sort(key=lambda k: k[0])
    return apply_mod._greedy(keyed)


class _Stacking(Fix):
    stacks = True


_plain_edit = st.builds(
    lambda s, n, r: Edit(s, s + n, r), st.integers(0, 30), st.integers(0, 4), st.sampled_from(["", "x", "yz"])
)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(_plain_edit, min_size=1, max_size=3), st.booleans(), st.booleans()),
        max_size=10,
    ),
    st.integers(1, 6),
    st.booleans(),
)
def test_selecting_fixes_of_the_file_itself_equals_the_walk(raw, spread, other):
    fixes = []
    for edits, in_order, stacks in raw:
        edits = [e._replace(start=e.start * spread, end=e.end * spread) for e in edits]
        if in_order:
            edits.sort()
        fixes.append((_Stacking if stacks else Fix)(SAFE, "", tuple(edits)))
    fixes += fixes[: len(fixes) // 3]  # a fix offered twice (two findings, one fix)
    if other and fixes:  # one edit of another file: the general path
        f = fixes[0]
        fixes[0] = type(f)(SAFE, "", f.edits + (Edit(0, 0, "x", "o/.dockerignore"),))
    assert apply_mod.select_fixes(iter(fixes)) == _walk(fixes)


# -- stack_insertions and apply_edits --------------------------------------------------------------


def _ref_stack_insertions(fixes):
    out = []
    at: dict = {}
    for edits in fixes:
        mine: dict = {}
        for e in edits:
            if e.start == e.end:
                key = (e.path, e.start)
                k = at.get(key)
                if k is not None:
                    out[k] = out[k]._replace(replacement=out[k].replacement + e.replacement)
                    continue
                mine.setdefault(key, len(out))
            out.append(e)
        at.update(mine)
    return out


def _ref_apply_edits(text, edits):
    out, pos = [], 0
    for e in sorted(edits, key=lambda e: e[:3]):
        if e.start < pos:
            raise ValueError(f"overlapping edits at {e.start}")
        if e.end > len(text) or e.start > e.end:
            raise ValueError(f"edit {e.start}-{e.end} outside the text")
        out.append(text[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


_any_edit = st.builds(
    Edit,
    st.integers(0, 12),
    st.integers(0, 14),
    st.sampled_from(["", "a", "bc", "x\n"]),
    st.sampled_from([None, None, "o"]),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_any_edit, max_size=4), max_size=6), st.text("ab\n", max_size=12))
def test_stacking_and_applying_equal_the_general_code(fixes, text):
    fixes = [[e._replace(end=e.start) if e.start % 3 == 0 else e for e in edits] for edits in fixes]  # insertions
    stacked = apply_mod.stack_insertions(fixes)
    assert stacked == _ref_stack_insertions(fixes)
    own = [e for e in stacked if e.path is None]
    try:
        want = _ref_apply_edits(text, own)
    except ValueError as err:
        try:
            apply_mod.apply_edits(text, own)
        except ValueError as got:
            assert str(got) == str(err)
        else:
            raise AssertionError("no error") from None
    else:
        assert apply_mod.apply_edits(text, own) == want


# -- Layout ----------------------------------------------------------------------------------------


def _ref_block_starts(df):
    """Where each instruction's block (the comment lines directly above it) starts, read as the
    Layout read it before: every line above through the comment regex."""
    text, starts = df.text, df.line_starts
    bom = 1 if text.startswith("\ufeff") else 0
    out, prev_end_line, floor = [], 0, len(df.directives)
    for ins in df.instructions:
        k = ins.start_line - 1
        low = max(floor, prev_end_line)
        while k - 1 >= low and verify._is_comment_line(text, starts, k - 1):
            k -= 1
        out.append(starts[k] if k else bom)
        prev_end_line = ins.end_line
    return out


def _ref_layout(df):
    """(ls, le, head) as the Layout's loop read them before."""
    text, starts = df.text, df.line_starts
    bom = 1 if text.startswith("\ufeff") else 0
    ls, le, head = [], [], []
    for ins in df.instructions:
        first = ins.start_line - 1
        a = starts[first] if first else bom
        b = starts[ins.end_line] if ins.end_line < len(starts) else len(text)
        ls.append(a)
        le.append(b)
        if ins.heredocs:
            bodies = [h.line_offsets[0] for h in ins.heredocs if h.line_offsets]
            terms = [starts[h.terminator_line - 1] for h in ins.heredocs if not h.line_offsets and h.terminator_line]
            head.append(min(bodies + terms) if bodies or terms else b)
        else:
            head.append(b)
    return ls, le, head


@settings(max_examples=500, deadline=None)
@given(_dockerfile(), st.sampled_from(["", "# escape=`\n", "# syntax=docker/dockerfile:1\n# c\n"]))
def test_layout_finds_the_blocks_the_comment_regex_finds(text, directive):
    try:
        df = parse(directive + text.lstrip("\ufeff"))
    except DockerfileSyntaxError:
        return
    lay = Layout(df)
    assert lay.bs == _ref_block_starts(df)
    assert (lay.ls, lay.le, lay.head) == _ref_layout(df)


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(["", "\ufeff"]),
    st.sampled_from(["", "# escape=`\n"]),
    st.lists(st.sampled_from(["# c", "", "  # d"]), max_size=2),
    st.sampled_from([x for x in _LINES if x.strip() and not x.lstrip().startswith("#")] + ["RUN <<A <<B\na\nA\nb\nB"]),
    st.sampled_from(["", "\n", "\r\n"]),
)
def test_a_snippets_own_lines_are_what_its_layout_gives(bom, directive, above, line, end):
    text = bom + directive + "".join(c + "\n" for c in above) + line + end
    try:
        df = parse(text)
    except DockerfileSyntaxError:
        return
    if len(df.instructions) != 1:
        return
    lay = Layout(df)
    assert verify._own_lines(df) == df.text[lay.ls[0] : lay.head[0]]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("a\r\n", max_size=8), min_size=1, max_size=4), st.lists(st.integers(0, 3), max_size=12))
def test_line_endings_counted_once_are_the_counts(texts, order):
    """check_models counts a text's line breaks once for two checks: the counts stay each text's
    own, whatever order the texts come in (equal texts being different objects or not)."""
    verify.forget_counts()
    for k in order + list(range(len(texts))):
        t = texts[k % len(texts)]
        crlf = t.count("\r\n")
        assert verify._endings(t) == (crlf, t.count("\n") - crlf)
    verify.forget_counts()


def _ref_mixes_endings(text, edits):
    """verify._mixes_endings as it was: each character of each seam looked at in turn."""
    crlf, lf = verify._endings(text)
    if bool(crlf) == bool(lf):
        return None
    for e in edits:
        if e.path is not None:
            continue
        seam = text[e.start - 1 : e.start] + e.replacement + text[e.end : e.end + 1]
        for k in range(1, len(seam)):
            if seam[k] == "\n" and (seam[k - 1] == "\r") != bool(crlf):
                return "the edit would mix line endings"
    return None


class _Text:
    def __init__(self, text):
        self.text = text
        crlf, lf = verify._endings(text)
        self.style = None if bool(crlf) == bool(lf) else bool(crlf)  # as Layout has it


@settings(max_examples=500, deadline=None)
@given(
    st.text("a\r\n", max_size=12),
    st.lists(st.tuples(st.integers(0, 12), st.integers(0, 4), st.text("a\r\n", max_size=5), st.booleans()), max_size=3),
)
def test_mixed_endings_counted_in_seams_equal_the_character_walk(text, raw):
    """The seam check counts LFs and CRLFs (C) where it walked each character (Python): the
    same answer for every text, edit start, length, replacement and other-file edit."""
    edits = []
    for s, n, rep, other in raw:
        s = min(s, len(text))
        edits.append(Edit(s, min(s + n, len(text)), rep, "/other" if other else None))
    verify.forget_counts()
    assert verify._mixes_endings(_Text(text), edits) == _ref_mixes_endings(text, edits)
    verify.forget_counts()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["RUN a\n", "RUN a\r\n", "# c\r\n", "\r\n"]), min_size=1, max_size=6), st.booleans())
def test_a_fix_mixing_line_endings_is_refused_on_the_files_layout(lines, final_lf):
    """The layout's line-ending style (read once a pass) refuses an LF-only line inserted into a
    CRLF file and a CRLF line into an LF file, and nothing in a file mixed already."""
    text = "FROM x\r\n" + "".join(lines) if lines[0] != "RUN a\n" else "FROM x\n" + "".join(lines)
    df = parse(text)
    verify.forget_counts()
    crlf, lf = text.count("\r\n"), text.count("\n") - text.count("\r\n")
    for rep in ("RUN b\n", "RUN b\r\n"):
        why, _ = verify.check_fix(Layout(df), (Edit(0, 0, rep),))
        mixes = (rep == "RUN b\n" and crlf and not lf) or (rep == "RUN b\r\n" and lf and not crlf)
        assert (why == "the edit would mix line endings") == bool(mixes), (text, rep, why)
    verify.forget_counts()


# -- the whole loop --------------------------------------------------------------------------------


def _ref_fix_text(text, path, lint, unsafe):
    """fixer._fix_text as it was, on the reference checks, selection, stacking and applying."""
    from aishell.errors import InputError

    result = fixer.FixResult(path, text, text)
    current, df = fixer._run(lint, text, path)
    source = verify.summary(df)
    rejected_edits: set = set()
    passes = 0
    while True:
        allowed = [
            f
            for f in current
            if f.fix
            and f.fix.edits
            and (unsafe or f.fix.applicability == SAFE)
            and f.fix.edits not in rejected_edits
            and not (result.files and any(e.path in result.files for e in f.fix.edits if e.path is not None))
        ]
        fixes, _ = _walk([f.fix for f in allowed])
        if not fixes:
            break
        layout = Layout(df)
        good, delta, refused = _ref_check_fixes(layout, fixes, _ref_check_fix, verify.check_other_file)
        for fx, why in refused:
            rejected_edits.add(fx.edits)
            result.rejected.extend((f, why) for f in allowed if f.fix.edits == fx.edits)
        if not good:
            continue
        for other in sorted({e.path for fx in good for e in fx.edits if e.path is not None}):
            before = fixer._read_other(other)
            edits = _ref_stack_insertions([[e._replace(path=None) for e in fx.edits if e.path == other] for fx in good])
            result.files[other] = (before, _ref_apply_edits(before or "", edits))
        applied = {fx.edits for fx in good}
        result.applied.extend(f for f in allowed if f.fix.edits in applied)
        new = _ref_apply_edits(
            result.text, _ref_stack_insertions([[e for e in fx.edits if e.path is None] for fx in good])
        )
        if new == result.text:
            continue
        passes += 1
        if passes > fixer.MAX_PASSES:
            raise InputError(path, "did not settle")
        old = verify.summary(df)
        try:
            current, df = fixer._run(lint, new, path)
        except (InputError, DockerfileSyntaxError) as e:
            raise InputError(path, f"a fix would make the file invalid ({e}); nothing was written") from None
        verify.check_models(old, df, path, old.count + delta)
        result.text = new
    result.remaining = current
    result.held_back = sum(1 for f in current if f.fix and f.fix.applicability != SAFE and not unsafe)
    if result.text != text:
        verify.check_models(source, df, path)
    return result


_FIXABLE = [
    "FROM aishell:base",
    "FROM aishell:base AS b",
    "ARG BUILD_DATE",
    "ARG VCS_REF",
    "RUN claude --version && make",
    "RUN npm i -g @anthropic-ai/claude-code",
    "RUN claude -p hi <<EOF && echo ok\nbody\nEOF",
    "COPY . .",
    "RUN npm ci",
    "RUN pip install -r requirements.txt",
    "RUN apt-get update",
    "LABEL d=$BUILD_DATE",
]


def _both(text, path, unsafe):
    from aishell.errors import InputError
    from aishell.lint import Options
    from aishell.migration import linter

    lint = linter(Options(use_config=False))
    out = []
    for run in (fixer.fix_text, _ref_fix_text):
        try:
            out.append(_outcome(run(text, path, lint, unsafe)))
        except InputError as e:
            out.append(str(e))
    return out


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(_FIXABLE + _LINES), min_size=1, max_size=12),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
    st.booleans(),
)
def test_the_fix_loop_equals_the_general_loop(tmp_path_factory, lines, newline, final, unsafe):
    d = tmp_path_factory.mktemp("ctx")
    (d / "package.json").write_text("{}\n")
    (d / "requirements.txt").write_text("x\n")
    text = newline.join(["FROM aishell:foundation", *lines]) + (newline if final else "")
    new, ref = _both(text, str(d / "Dockerfile"), unsafe)
    assert new == ref


def test_the_fix_loop_equals_the_general_loop_on_the_corpus():
    """A seventh of the corpus files, in the three forms tests/test_migrate_passes.py uses, safe
    and unsafe (tools/ or a local run can compare all of them: the same code, every file)."""
    import pytest

    from tests.conftest import corpus_files
    from tests.test_migrate_passes import _forms

    files = corpus_files()[::7]
    if not files:
        pytest.skip("../shared/corpus/dockerfiles is not present")
    compared = 0
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        for form in _forms(text):
            for unsafe in (False, True):
                new, ref = _both(form, str(path), unsafe)
                assert new == ref, (path, unsafe)
                compared += 1
    assert compared > 300, compared


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_any_edit, min_size=1, max_size=3), max_size=10), st.lists(st.booleans(), max_size=10))
def test_fixes_chosen_share_an_insertion_point_only_when_they_stack(raw, stacking):
    """What the fix loop relies on to skip stack_insertions when no fix chosen stacks."""
    raw = [[e._replace(end=max(e.start, e.end)) for e in es] for es in raw]
    fixes = [(_Stacking if k < len(stacking) and stacking[k] else Fix)(SAFE, "", tuple(es)) for k, es in enumerate(raw)]
    chosen, _ = apply_mod.select_fixes(fixes)
    if not any(getattr(f, "stacks", False) for f in chosen):
        assert apply_mod.stack_insertions([f.edits for f in chosen]) == [e for f in chosen for e in f.edits]


# Lines a continuation skips, after the last line of code: comments after any of Go's spaces,
# and blank lines of them.
_SKIPPED = st.lists(
    st.tuples(st.sampled_from(["", " ", "\t", "\xa0", "\u3000", "\x85", "\v"]), st.sampled_from(["# c", ""])).map(
        "".join
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=300, deadline=None, database=None)
@given(_SKIPPED, st.sampled_from(["\\", "\\ ", "\\\t"]), st.integers(0, 2), st.booleans())
def test_a_block_still_continued_after_its_comments_is_no_move(skipped, escape, before, continued_first):
    """A RUN continued to the end of the file, its last lines comments or blanks (`RUN a \\`,
    `# note`): moved before another instruction it would join it. The fast path of moves sees
    the continuation past those lines, as the general checks do (a red-team find)."""
    head = "FROM d\n" * 3
    run = ("RUN a \\\n  b " if continued_first else "RUN a ") + escape + "\n" + "".join(f"{x}\n" for x in skipped)
    text = head + run
    try:
        df = parse(text)
    except DockerfileSyntaxError:
        return
    lay = Layout(df)
    i = len(lay.ls) - 1
    body = lay.text[lay.bs[i] : lay.le[i]]
    p = lay.bs[before + 1]
    edits = [Edit(p, p, body), Edit(lay.bs[i], lay.le[i], "")]
    assert verify.check_fix(Layout(df), edits) == _ref_check_fix(Layout(df), edits)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["RUN a\n", "# c\n", "\n", "RUN a\rb\n", "RUN x \\\n  y\n"]), min_size=1, max_size=6),
    st.data(),
)
def test_an_lf_file_without_a_carriage_return_reads_seams_only_for_an_edit_with_one(lines, data):
    """check_fix passes over the seam check in a file of LF line breaks and no carriage return
    unless an edit brings one: the verdict is the general checks' (with the seams) on files with
    and without a lone CR, and edits with and without one."""
    text = "FROM x\n" + "".join(lines)
    try:
        df = parse(text)
    except DockerfileSyntaxError:
        return
    layout = Layout(df)
    assert layout.style is False and layout.cr == ("\r" in text)
    crs = [i for i, c in enumerate(text) if c == "\r"]
    pts = sorted({*_points(layout), *crs, *(i + 1 for i in crs), *(i + 2 for i in crs)})
    for _ in range(3):
        a = data.draw(st.sampled_from(pts))
        b = data.draw(st.sampled_from([p for p in pts if p >= a]))
        rep = data.draw(st.sampled_from(["", "RUN b\n", "RUN b\r\n", "\r", "RUN b\rc\n", "\n"]))
        edits = [Edit(a, b, rep)]
        verify.forget_counts()
        assert verify.check_fix(Layout(df), edits) == _ref_check_fix(Layout(df), edits), (text, edits)
    verify.forget_counts()
