"""Prove a rewrite is what it claims to be (black's equivalence check, for our edits).

``check_fix`` runs before a fix is applied and is local: it looks only at the lines the
fix's edits touch, so checking every fix of a 10 MB file stays linear. An edit must be
one of three shapes, each checked by parsing the lines it produces:

- inside one instruction: the instruction's lines, edited, parse as exactly one
  instruction with the same keyword, the same heredocs (bar those whose whole body the
  fix deletes) with their bodies, and the same comment lines between its continuations;
- the deletion of whole instructions, with the comment lines attached to them (a
  comment directly above an instruction belongs to it: `# aishell: ignore=` too; an
  `ignore-file=` line, and what is above it, is the file's), and
  nothing else but blank lines;
- an insertion of whole instructions between two instructions and their comments.

A fix that fails is not applied; the fixer reports it as not fixable. ``check_dockerfile``
then checks the whole result once: it parses into the instructions expected, and keeps
the directives, BOM and line-ending style.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

from aishell.errors import InputError
from aishell.findings import Edit, file_wide
from aishell.model import GO_SPACE, Dockerfile, DockerfileSyntaxError, continued_to_end, parse


class Layout:
    """Where each instruction's lines, attached comments and heredoc bodies are."""

    def __init__(self, df: Dockerfile) -> None:
        text = df.text
        starts = df.line_starts
        self.df = df
        self.text = text
        self.bom = 1 if text.startswith("\ufeff") else 0
        self.ls: list[int] = []  # start of the instruction's first line
        self.le: list[int] = []  # end of its last line, the line break included
        self.bs: list[int] = []  # start of the comment lines directly above it
        self.head: list[int] = []  # end of its own lines, before any heredoc body
        ls, le, bs, head = self.ls, self.le, self.bs, self.head
        bom, n_lines = self.bom, len(starts)
        floor = len(df.directives)  # directive lines belong to no instruction
        prev_end_line = 0
        for ins in df.instructions:
            first = ins.start_line - 1
            end_line = ins.end_line
            a = starts[first] if first else bom
            b = starts[end_line] if end_line < n_lines else len(text)
            k = first
            low = floor if floor > prev_end_line else prev_end_line
            while k - 1 >= low:
                c = text[starts[k - 1]]  # a line's first character mostly decides
                if c != "#" and not (c.isspace() and _is_comment_line(text, starts, k - 1)):
                    break
                if "ignore-file" in text[starts[k - 1] : starts[k]] and file_wide(text[starts[k - 1] : starts[k]]):
                    break  # (the file's suppression: above no instruction, see _edits.comments_above)
                k -= 1
            ls.append(a)
            le.append(b)
            bs.append(starts[k] if k else bom)
            head.append(_head(ins, starts, b) if ins.heredocs else b)
            prev_end_line = end_line
        crlf, lf = _endings(text)
        # The file's one line-ending style: True CRLF, False LF, None mixed or no line break
        # (asked once a fix by _mixes_endings: a 10 MB file has 150,000 fixes).
        self.style: bool | None = None if bool(crlf) == bool(lf) else bool(crlf)
        self.cr = "\r" in text  # (a lone CR too)
        # Verdicts on snippets already parsed: a file repeats its instructions (every stage's
        # `COPY . .`), and parsing the same lines again would give the same answer.
        self.seen: dict[tuple, object] = {}

    def remember(self, key: tuple, compute):
        """``compute()``, or its answer for the same ``key`` (bounded: a few thousand kept)."""
        seen = self.seen
        value = seen.get(key, _UNKNOWN)
        if value is not _UNKNOWN:
            return value
        if len(seen) >= 4096:
            seen.clear()
        value = seen[key] = compute()
        return value

    def at_line_start(self, p: int) -> bool:
        return p == self.bom or (p > 0 and self.text[p - 1] == "\n")


def _head(ins, starts: list[int], b: int) -> int:
    """The end of an instruction's own lines, before any heredoc body (``b``: the end of its
    last line)."""
    bodies = [h.line_offsets[0] for h in ins.heredocs if h.line_offsets]
    terms = [starts[h.terminator_line - 1] for h in ins.heredocs if not h.line_offsets and h.terminator_line]
    return min(bodies + terms) if bodies or terms else b


def _own_lines(df: Dockerfile) -> str:
    """The lines of a parsed snippet's one instruction before its heredoc bodies (what
    ``Layout(df)`` would give as ``ls[0]:head[0]``)."""
    text, starts = df.text, df.line_starts
    ins = df.instructions[0]
    first = ins.start_line - 1
    a = starts[first] if first else (1 if text.startswith("\ufeff") else 0)
    b = starts[ins.end_line] if ins.end_line < len(starts) else len(text)
    return text[a : _head(ins, starts, b) if ins.heredocs else b]


_COMMENT_LINE = re.compile(r"\s*#")  # \s: what str.isspace() (and so lstrip) takes


def _is_comment_line(text: str, starts: list[int], k: int) -> bool:
    end = starts[k + 1] if k + 1 < len(starts) else len(text)
    return _COMMENT_LINE.match(text, starts[k], end) is not None


def _comment_lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.lstrip().startswith("#")]


def _parse_snippet(layout: Layout, snippet: str) -> Dockerfile | None:
    """Parse lines cut out of the file, under the file's escape character."""
    prefix = "" if layout.df.escape == "\\" else f"# escape={layout.df.escape}\n"
    try:
        return parse(prefix + snippet)
    except DockerfileSyntaxError:
        return None


def _ident(ins) -> tuple:
    return ins.keyword, ins.logical, tuple(h.content for h in ins.heredocs)


# The instructions BuildKit dispatches: a fix never produces a line that is none of them.
KEYWORDS = frozenset(
    {
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)


def _parse_before(layout: Layout, snippet: str, k: int) -> int | None:
    """Parse ``snippet`` followed by instruction k's block (its comments and lines) as they
    are in the file: how many instructions the snippet holds, or None when it does not
    parse or does not end where it should (a trailing continuation would swallow
    instruction k). The answer depends on these lines only (instruction k is read from its
    block), so it is remembered for them."""
    n = len(layout.ls)
    follow = layout.text[layout.bs[k] : layout.le[k]] if k < n else ""
    if follow and follow[-1] != "\n":
        follow += "\n"
    key = ("before", snippet, follow, k < n)
    got = layout.seen.get(key, _UNKNOWN)
    if got is _UNKNOWN:
        got = layout.remember(key, lambda: _count_before(layout, snippet, follow, k))
    return got


_UNKNOWN = object()


def _count_before(layout: Layout, snippet: str, follow: str, k: int) -> int | None:
    n = len(layout.ls)
    df = _parse_snippet(layout, snippet + follow) if snippet.strip() or follow else None
    if df is None:
        return None
    got = df.instructions
    if any(i.keyword not in KEYWORDS for i in got):
        return None
    if k < n:
        if not got or _ident(got[-1]) != _ident(layout.df.instructions[k]):
            return None
        got = got[:-1]
    return len(got)


def _mixes_endings(layout: Layout, edits) -> str | None:
    """Why an edit would give a file of one line-ending style a line break of the other (a CR
    left without its LF, or an LF without its CR): check_models refuses the whole file then,
    so the fix is refused here, alone. Only the seams are read: an edit's text and the
    characters on either side of it."""
    crlf = layout.style
    if crlf is None:
        return None  # mixed already, or one line
    text = layout.text
    for e in edits:
        s, t, rep = e[0], e[1], e[2]
        if e[3] is not None:
            continue
        seam = text[s - 1 : s] + rep + text[t : t + 1]
        # Each LF the edit makes or moves (not the seam's first character: that one is the
        # text's, with what came before it), and whether a CR now comes before it: counted in C.
        lfs = seam.count("\n", 1)
        if lfs and seam.count("\r\n") != (lfs if crlf else 0):
            return "the edit would mix line endings"
    return None


def check_fix(layout: Layout, edits) -> tuple[str | None, int]:
    """Why this fix's edits (of the file itself) would break the file (None when they are
    valid), and how many instructions they add (negative: remove). Called once a fix, so
    the commonest shapes are answered inline: an insertion at a line start before an
    instruction's block (its comments and lines), and the deletion of exactly one
    instruction's block; anything else goes to the general checks."""
    ls, le, bs = layout.ls, layout.le, layout.bs
    text, bom, seen = layout.text, layout.bom, layout.seen
    n = len(ls)
    groups = None
    delta = 0
    if layout.style is not None:
        if layout.style or layout.cr:
            why = _mixes_endings(layout, edits)
            if why:
                return why, 0
        else:
            # An LF file without a carriage return: only an edit's own CR can make a CRLF.
            for e in edits:
                if "\r" in e[2]:
                    why = _mixes_endings(layout, edits)
                    if why:
                        return why, 0
                    break
    if len(edits) == 2:  # what sorted() gives, without its list
        if edits[1] < edits[0]:
            edits = (edits[1], edits[0])
    elif len(edits) > 2:
        edits = sorted(edits)
    if len(edits) >= 2:
        if _is_move(layout, edits):
            return None, 0
        if not _moves_its_bytes(layout.text, edits):
            return "the lines moved would not be the lines cut (a byte lost or gained)", 0
    for e in edits:
        s, t, rep = e[0], e[1], e[2]
        if s == t:
            # An insertion inside an instruction (its head, a heredoc body) is an edit of it.
            j = bisect_right(le, s)
            if j < n and ls[j] < s:
                if text[s - 1] == "\n" and rep.endswith("\n"):
                    # Whole lines put inside an instruction's lines (after a continued line, or in
                    # a heredoc body) are read as more of it: no fix means that.
                    return "the inserted lines would fall inside an instruction and join it", 0
                if groups is None:
                    groups = {}
                groups.setdefault(j, []).append(e)
                continue
            if 0 < s < len(text) and text[s - 1] == "\n" and j < n and s <= bs[j]:
                # At a line start, before instruction j's block: _check_insertion's answer
                # depends on the lines inserted and that block only, remembered for them.
                follow = text[bs[j] : le[j]]
                key = ("insert", rep, follow)
                got = seen.get(key, _UNKNOWN)
                if got is _UNKNOWN:
                    got = layout.remember(key, lambda: _check_insertion(layout, e, j))
                why, added = got
                if why:
                    return why, 0
                delta += added
                continue
            why, added = _check_insertion(layout, e, j)
            if why:
                return why, 0
            delta += added
            continue
        j = bisect_right(ls, s) - 1
        if j >= 0 and ls[j] <= s and t <= le[j] and not (s == ls[j] and t == le[j] and not rep):
            if groups is None:
                groups = {}
            groups.setdefault(j, []).append(e)  # an edit of one instruction (its head, a heredoc body)
            continue
        if not rep:
            # The deletion of exactly one instruction's block (its comments and lines), from a
            # line start to a line end, the next block after it: what _check_deletion accepts.
            i = bisect_right(le, s)
            if (
                i < n
                and s == bs[i]
                and t == le[i]
                and (s == bom or (s > 0 and text[s - 1] == "\n"))
                and text[t - 1] == "\n"
                and (i + 1 == n or bs[i + 1] >= t)
            ):
                delta -= 1
                continue
            if _is_line_range(layout, e):
                why, gone = _check_deletion(layout, e)
                if why:
                    return why, 0
                delta -= gone
                continue
        return "an edit crosses instruction boundaries", 0
    if groups is not None:
        for j, es in groups.items():
            why = _check_in_instruction(layout, j, es)
            if why:
                return why, 0
    if n + delta <= 0:
        return "the file would have no instruction left", 0
    return None, delta


def _is_move(layout: Layout, edits) -> bool:
    """Whole instructions moved (AIS102's fix): ``edits`` (sorted) delete whole blocks (an
    instruction with the comments above it, from a line start to its last line's break, no
    heredoc, its last line not continued) and insert exactly their text, in their order, at a
    line start before a later block or at the end of a file that ends with a line break. Such
    lines parse as the instructions they were wherever an instruction can begin, so the
    general checks (which parse the inserted lines) would accept them: tests/
    test_migrate_check_fast.py holds this to them on generated moves."""
    text, ls, le, bs = layout.text, layout.ls, layout.le, layout.bs
    n = len(ls)
    insertion = None
    cut = []
    size = 0  # of the cuts
    for e in edits:
        if e[0] == e[1]:
            if insertion is not None:
                return False
            insertion = e
        elif e[2]:
            return False
        else:
            cut.append(e)
            size += e[1] - e[0]
    if insertion is None or not cut or size != len(insertion[2]):
        return False  # (not the cut text: AIS101 inserts COPY lines with the RUN it moves)
    p = insertion[0]
    if p == len(text):
        if not text.endswith("\n") or continued_to_end(layout.df, layout.df.instructions[-1]):
            return False  # (after a continued last line: the lines moved there would join it)
    else:
        j = bisect_right(le, p)
        if not (p > 0 and text[p - 1] == "\n" and 0 < j < n and p <= bs[j]):
            return False  # not before a block, or before the first (where a comment is a directive)
    instructions = layout.df.instructions
    escape = layout.df.escape
    parts = []
    for e in cut:
        s, t = e[0], e[1]
        i = bisect_right(le, s)
        if not (i < n and s == bs[i] and t == le[i] and s > 0 and text[s - 1] == "\n" and text[t - 1] == "\n"):
            return False
        if instructions[i].heredocs:
            return False
        # Its last line of code: past comment and blank lines, which a continuation skips
        # (`RUN a \` then `# note` at the end of the file: the RUN is still continued).
        k = t - 1
        first = ls[i]
        while True:
            a = text.rfind("\n", first, k) + 1 or first
            line = text[a:k].strip(GO_SPACE)  # (as BuildKit trims: `\xa0# note` is a comment)
            if a > first and (not line or line[0] == "#"):
                k = a - 1
                continue
            break
        while k > s and text[k - 1] in " \t\r":
            k -= 1
        if text[k - 1] == escape:
            return False  # its last line is continued: moved before another, it would join it
        parts.append(text[s:t])
    return insertion[2] == "".join(parts)


def _moves_its_bytes(text: str, edits) -> bool:
    """Whether a fix made of cuts and one insertion of as many bytes (a move: AIS102's to the end
    of a file without a final line break, which ``_is_move`` leaves to the general checks, or
    ``_stay_up``'s) inserts the very characters it cuts, in any order; any other fix: True. The
    general checks only parse the result: a move that cut a line's last character
    (`d=$BUILD_DATE` to `d=$BUILD_DAT`, in a file of mixed line endings) parsed, and was applied."""
    from collections import Counter

    insertion, cuts, size = None, [], 0
    for e in edits:
        if e[0] == e[1]:
            if insertion is not None:
                return True
            insertion = e[2]
        elif e[2]:
            return True
        else:
            cuts.append(text[e[0] : e[1]])
            size += e[1] - e[0]
    if insertion is None or size != len(insertion):
        return True
    return Counter(insertion) == Counter("".join(cuts))


def _is_line_range(layout: Layout, e: Edit) -> bool:
    text = layout.text
    s, t = e[0], e[1]
    if t == len(text) and s > 0 and text[s] in "\r\n" and not text.endswith("\n"):
        return True  # the last line and the line break before it (the file ends without one)
    return (s == layout.bom or (s > 0 and text[s - 1] == "\n")) and (t == len(text) or text[t - 1] == "\n")


def _check_deletion(layout: Layout, e: Edit) -> tuple[str | None, int]:
    text = layout.text
    s, t = e[0], e[1]
    if not (s == layout.bom or (s > 0 and text[s - 1] == "\n")):
        s = text.index("\n", s) + 1
    ls, le, bs = layout.ls, layout.le, layout.bs
    i = bisect_right(le, s)  # first instruction ending after s
    j = bisect_left(ls, t)  # first instruction starting at or after t
    pos = s
    for k in range(i, j):
        if bs[k] < s or le[k] > t:
            return "a deletion cuts an instruction or its comments apart", 0
        if pos != bs[k] and text[pos : bs[k]].strip():
            return "a deletion would remove a comment that belongs to no removed instruction", 0
        pos = le[k]
    if pos != t and text[pos:t].strip():
        return "a deletion would remove a comment that belongs to no removed instruction", 0
    if j < len(ls) and bs[j] < t:
        return "a deletion would remove the comment of the instruction after it", 0
    return None, j - i


def _check_insertion(layout: Layout, e: Edit, j: int | None = None) -> tuple[str | None, int]:
    """``j``: ``bisect_right(layout.le, e.start)`` when the caller has it."""
    text, p = layout.text, e[0]
    body = e[2]
    if p == len(text) and text and not text.endswith("\n"):
        if not body.startswith(("\n", "\r\n")):
            return "an insertion at the end of the file does not start a new line", 0
        body = body.lstrip("\r\n") if body.startswith("\r\n") else body[1:]
    elif not (p == layout.bom or (p > 0 and text[p - 1] == "\n")):
        return "an insertion does not start at a line", 0
    if j is None:
        j = bisect_right(layout.le, p)
    if j < len(layout.ls) and p > layout.bs[j]:
        return "an insertion would separate an instruction from its comments", 0
    if not body.endswith("\n") and p != len(text):
        return "an insertion does not end its last line", 0
    last = body.rstrip()
    if last and last[last.rfind("\n") + 1 :].lstrip().startswith("#"):
        return "the inserted lines end with a comment that would land on the next instruction", 0
    got = _parse_before(layout, body, j)
    if got is None:
        return "the inserted lines do not parse, or run into the instruction after them", 0
    if got and j == len(layout.ls) and j and continued_to_end(layout.df, layout.df.instructions[-1]):
        return "the inserted lines would join the last instruction, continued to the end of the file", 0
    return None, got


def _check_in_instruction(layout: Layout, j: int, edits: list[Edit]) -> str | None:
    """The verdict depends on the instruction's lines, the edits (where they fall in those
    lines) and the block of the instruction after it: remembered for them."""
    a, b = layout.ls[j], layout.le[j]
    n = len(layout.ls)
    key = (
        "in",
        layout.text[a:b],
        tuple((e.start - a, e.end - a, e.replacement) for e in edits),
        layout.head[j] - a,
        layout.text[layout.bs[j + 1] : layout.le[j + 1]] if j + 1 < n else None,
    )
    return layout.remember(key, lambda: _verdict_in_instruction(layout, j, edits))


def _verdict_in_instruction(layout: Layout, j: int, edits: list[Edit]) -> str | None:
    text = layout.text
    ins = layout.df.instructions[j]
    a, b = layout.ls[j], layout.le[j]
    from aishell.migrate.apply import apply_edits

    local = [Edit(e.start - a, e.end - a, e.replacement) for e in edits]
    try:
        snippet = apply_edits(text[a:b], local)
    except ValueError as err:
        return str(err)
    df = _parse_snippet(layout, snippet)
    if df is None:
        return f"the {ins.keyword} would no longer parse"
    if len(df.instructions) != 1:
        return f"the {ins.keyword} would become {len(df.instructions)} instructions (a heredoc body or continuation left behind)"
    if _parse_before(layout, snippet, j + 1) is None:
        return f"the {ins.keyword} would run into the instruction after it"
    new = df.instructions[0]
    if new.keyword != ins.keyword:
        return f"the {ins.keyword} would become a {new.keyword}"
    if [f.name for f in new.flags] != [f.name for f in ins.flags] or (new.json_args is None) != (ins.json_args is None):
        return f"the {ins.keyword} would change its flags or form (`--mount` read as an argument or a flag)"
    # Heredocs: those whose whole body and terminator the fix deletes go; the others stay, in order.
    starts = layout.df.line_starts
    kept = []
    for h in ins.heredocs:
        hb = h.line_offsets[0] if h.line_offsets else starts[h.terminator_line - 1]
        he = starts[h.terminator_line] if h.terminator_line < len(starts) else len(text)
        if any(not e.replacement and e.start <= hb and he <= e.end for e in edits):
            continue
        touched = any(e.start < he and hb < e.end or (e.start == e.end and hb <= e.start < he) for e in edits)
        kept.append((h, touched))
    if len(new.heredocs) != len(kept):
        return f"the {ins.keyword} would lose or gain a heredoc"
    for (old, touched), h in zip(kept, new.heredocs):
        if h.name != old.name or (not touched and h.content != old.content):
            return f"the {ins.keyword} would change a heredoc it does not edit"
    # Comment lines between continuations stay.
    old_comments = _comment_lines(text[a : layout.head[j]])
    new_comments = _comment_lines(_own_lines(df))
    if old_comments != new_comments:
        return f"the {ins.keyword} would lose a comment line"
    return None


def check_dockerfile(before: str, after: str, path: str, expected_instructions: int | None = None) -> None:
    """The result parses (into as many instructions as expected), and keeps the source's
    directives, BOM and line-ending style."""
    try:
        a, b = parse(before, path), parse(after, path)
    except DockerfileSyntaxError as e:
        raise InputError(path, f"rewrite produced an invalid Dockerfile ({e}); nothing was written") from None
    check_models(a, b, path, expected_instructions)


class Summary(NamedTuple):
    """What the whole-file check needs of a parsed file: the model itself (about 100 times the
    text's size) need not stay alive while the next one is parsed."""

    text: str
    directives: tuple
    escape: str
    count: int


def summary(df: Dockerfile) -> Summary:
    return Summary(df.text, tuple(df.directives), df.escape, len(df.instructions))


def check_models(a, b, path: str, expected_instructions: int | None = None) -> None:
    """``check_dockerfile`` for texts already parsed (the fixer's linter parsed them); ``a``
    and ``b`` are models or their summaries."""
    a = a if isinstance(a, Summary) else summary(a)
    b = b if isinstance(b, Summary) else summary(b)
    before, after = a.text, b.text
    if expected_instructions is not None and b.count != expected_instructions:
        raise InputError(
            path,
            f"rewrite produced {b.count} instructions where {expected_instructions} were expected; nothing was written",
        )
    if a.directives != b.directives or a.escape != b.escape:
        raise InputError(path, "rewrite changed the parser directives; nothing was written")
    if before.startswith("\ufeff") != after.startswith("\ufeff"):
        raise InputError(path, "rewrite changed the byte-order mark; nothing was written")
    # A file with one line-ending style keeps it; a file that mixes them keeps each line's own
    # (the fixes copy the ending of the line they are next to). Neither text holding a carriage
    # return, neither has a CRLF: nothing to count (a search for one character each).
    if "\r" not in before and "\r" not in after:
        return
    b_crlf, b_lf = _endings(before)
    a_crlf, a_lf = _endings(after)
    if (b_crlf and not b_lf and a_lf) or (b_lf and not b_crlf and a_crlf):
        raise InputError(path, "rewrite mixed line endings; nothing was written")


_COUNTED: list[tuple[str, tuple[int, int]]] = []  # the last texts counted: a pass's text is the next one's source


def _endings(text: str) -> tuple[int, int]:
    """(CRLF line breaks, LF-only line breaks) of ``text``; a 10 MB text is counted once
    though each pass's check reads it twice (as the result, then as the next one's source)."""
    for t, counts in _COUNTED:
        if t is text:
            return counts
    # A text without a carriage return has no CRLF: a search for one character (memchr) is a
    # tenth of counting a two-character pattern over 10 MB.
    crlf = text.count("\r\n") if "\r" in text else 0
    counts = (crlf, text.count("\n") - crlf)
    _COUNTED.append((text, counts))
    del _COUNTED[:-2]
    return counts


def forget_counts() -> None:
    """Drop the texts ``_endings`` keeps (at the end of a file's fix loop)."""
    _COUNTED.clear()


def check_other_file(before: str | None, after: str, path: str) -> str | None:
    """A text file a fix writes besides the Dockerfile (an ignore file): every byte of the
    old file kept in place, and no BOM anywhere but at the start."""
    if "\ufeff" in after[1:]:
        return f"{path}: a byte-order mark would land inside the file"
    if before is not None and not after.startswith(before):
        return f"{path}: the fix would rewrite existing lines"
    return None
