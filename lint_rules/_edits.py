"""Edit helpers the rules share: remove a list item from a RUN, or a whole instruction,
and find where an instruction's lines (with the comments that belong to it) begin.

The fixer (migrate.verify) checks every edit made here before applying it; these helpers
try to make edits that pass, and return None where no valid edit exists.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from fnmatch import fnmatchcase

from aishell.deps import pip_install_args, pip_install_words
from aishell.findings import IGNORE_RE, Edit, Fix, file_wide
from aishell.model import Dockerfile, Instruction, continued_to_end, heredoc_words
from aishell.shell import Command, Script, unquote  # the shell's (not model's) unquote


class StackingFix(Fix):
    """A fix whose insertion may share its point with another stacking fix's: the fixer
    applies them in one pass, in the fixes' order, the text each inserts after the one
    before. A rule marks a fix so only when that is what applying them one pass after the
    other gives (AIS102: ARGs moved down to the same step land in their order, each after
    the one moved before it), so the loop needs no pass per ARG moved to one place."""

    __slots__ = ()
    stacks = True


def line_ending_at(text: str, offset: int) -> str:
    """The line ending of the line holding ``offset`` (of the line before it, on a last line
    without one): new lines copy their neighbour's, so files with mixed endings keep them."""
    nl = text.find("\n", offset)
    if nl < 0:
        nl = text.rfind("\n", 0, offset)
        if nl < 0:
            return "\n"
    return "\r\n" if nl > 0 and text[nl - 1] == "\r" else "\n"


def suppresses(comment: str | None, code: str) -> bool:
    """Whether lint drops ``code``'s findings on the instruction this comment line is above."""
    if not comment or "aishell" not in comment:
        return False
    m = IGNORE_RE.match(comment)
    return m is not None and code in {c.strip().upper() for c in m.group(1).split(",")}


def line_start(text: str, offset: int) -> int:
    start = text.rfind("\n", 0, offset) + 1
    return 1 if start == 0 and text.startswith("\ufeff") else start


# id(instruction) -> index, for the last Dockerfile asked about. No reference to the model is
# kept (a 10 MB file's is ~1 GB): a hit is confirmed by identity, so a reused id rebuilds it.
_INDEX: dict[int, int] = {}


def _index(df: Dockerfile, ins: Instruction) -> int:
    """The instruction's index in df.instructions, in O(1) (list.index per fix is quadratic).
    The RUN an ONBUILD carries has its ONBUILD's index: were it missing from the index, every
    look-up of one would rebuild it (quadratic in the number of ONBUILDs)."""
    k = _INDEX.get(id(ins), -1)
    if not (0 <= k < len(df.instructions) and (df.instructions[k] is ins or df.instructions[k].sub is ins)):
        _INDEX.clear()
        for n, i in enumerate(df.instructions):
            _INDEX[id(i)] = n
            if i.sub is not None:
                _INDEX[id(i.sub)] = n
        k = _INDEX.get(id(ins), -1)
    return k


def block_start(df: Dockerfile, ins: Instruction) -> int:
    """Where the instruction's block begins: the comment lines directly above it (a
    `# aishell: ignore=` among them) belong to it and move or go with it."""
    text = df.text
    start = line_start(text, ins.start)
    idx = _index(df, ins)
    floor = 0
    if idx > 0:
        prev = df.instructions[idx - 1]
        nl = text.find("\n", prev.end)
        floor = len(text) if nl < 0 else nl + 1
    elif df.directives:
        floor = df.line_starts[min(len(df.directives), len(df.line_starts) - 1)]
    return comments_above(text, start, floor)


def block_start_after(text: str, prev: Instruction, ins: Instruction) -> int:
    """``block_start`` of ``ins`` when ``prev`` is the instruction just before it in the file
    (no index look-up): a rule that walks a stage has it at hand (a fix a stage)."""
    start = text.rfind("\n", 0, ins.start) + 1
    if start == 0 and text.startswith("\ufeff"):
        start = 1  # (line_start's)
    nl = text.find("\n", prev.end)
    floor = len(text) if nl < 0 else nl + 1
    return start if start <= floor else comments_above(text, start, floor)


def comments_above(text: str, start: int, floor: int) -> int:
    """``start`` (a line's start) moved up over the comment lines directly above it, not above
    ``floor`` (where the instruction before them ends) nor above a file-wide suppression."""
    while start > floor:
        prev_start = line_start(text, start - 1)
        line = text[prev_start:start]
        if prev_start < floor or not line.lstrip().startswith("#") or file_wide(line):
            break  # (an `ignore-file=` line is the file's: it and what is above it stay)
        start = prev_start
    return start


def drop_instruction(df: Dockerfile, ins: Instruction) -> Edit:
    """Remove an instruction's lines, heredoc bodies and the comments above it included,
    and one line break. An instruction continued to the end of the file (model.continued_to_end)
    has the blank and comment lines after its last line of code as its lines too: they go with it."""
    text = df.text
    start = block_start(df, ins)
    nl = len(text) - 1 if continued_to_end(df, ins) else text.find("\n", ins.end)
    if nl >= 0 and text[nl] == "\n":
        return Edit(start, nl + 1, "")
    if start > 1:
        # The last line has no final newline: take the line break before it,
        # so the file still ends without one.
        prev = start - 1
        if text[prev - 1] == "\r":
            prev -= 1
        return Edit(prev, len(text), "")
    return Edit(start, len(text), "")


# drop_run_after asks continued_to_end only of an instruction whose last character is the escape
# character or a blank (space, tab; or none): the escape ends its last line of code, blanks after
# it allowed, in every instruction continued to the end of the file (model.continuation_at), so
# any other is not (a file of 400,000 `RUN npm i -g …@1.0.N`, each fix's removal asked it; issue
# 18, r114). tests/test_drop_run_last_char_fast.py compares with it off.
LAST_CHAR = True


def drop_run_after(df: Dockerfile, ins: Instruction, before: Instruction | None) -> Edit:
    """``drop_instruction(df, ins)`` with the instruction before it at hand (``before``: the one
    just before it in the file, None: not known): its block starts at the comment lines directly
    above it, not above the end of ``before``'s line (no index of the instructions to look
    ``before`` up in). AIS002 and AIS003 walk the instructions in order and have it."""
    text = df.text
    nl = text.find("\n", ins.end)
    if LAST_CHAR:
        last = text[ins.end - 1 : ins.end]
        if before is None or nl < 0 or ((last == df.escape or last in " \t") and continued_to_end(df, ins)):
            return drop_instruction(df, ins)
    elif before is None or nl < 0 or continued_to_end(df, ins):
        return drop_instruction(df, ins)
    floor = text.find("\n", before.end)
    floor = len(text) if floor < 0 else floor + 1
    # On the line after ``before``'s, at its start: no comment line between (the common case).
    start = ins.start if floor == ins.start else comments_above(text, line_start(text, ins.start), floor)
    return tuple.__new__(Edit, (start, nl + 1, "", None))


def drop_command(df: Dockerfile, ins: Instruction, script: Script, cmd: Command) -> tuple[Edit, ...] | None:
    """Remove the top-level list item holding ``cmd``; the whole RUN when it is the only one.

    None when the command is nested (in a subshell, ``sh -c`` string, control
    structure) or its spans cannot be mapped exactly.
    """
    i = cmd.item
    if cmd.nested or not script.exact or not (0 <= i < len(script.items)):
        return None
    return drop_item(df, ins, script, i)  # (drop_items' answer, without a set of one per command)


def item_part(df: Dockerfile, ins: Instruction, script: Script, i: int) -> tuple[int, int]:
    """[lo, hi): the items of ``script.items`` in the same part of the RUN's text as item i, its
    line or one heredoc body read as a script (analyse_run numbers the bodies' items on from the
    line's, in the text's order). An item's neighbours are those of its part: what lies between
    the line's last item and a body's first, or two bodies' items, is no operator but the rest
    of the line and the terminator lines."""
    spans = script.items
    run = ins.sub if ins.keyword == "ONBUILD" and ins.sub is not None else ins
    docs = run.heredocs
    if not docs:
        return 0, len(spans)
    if PART_DIRECT and len(docs) == 1:
        # (One body, most RUNs with heredocs: the line's items before where it starts, the body's
        # from there; without a closure and a bisect over the bodies.)
        h = docs[0]
        at = h.line_offsets[0] if h.line_offsets else df.line_starts[h.terminator_line - 1]
        k = bisect_left(spans, (at,))
        return (k, len(spans)) if spans[i][0] >= at else (0, k)
    starts = df.line_starts

    def body(h) -> int:  # where a body starts (an empty one: at its terminator line)
        return h.line_offsets[0] if h.line_offsets else starts[h.terminator_line - 1]

    p = bisect_right(docs, spans[i][0], key=body)  # 0: the line; k: the k-th heredoc's body
    lo = bisect_left(spans, (body(docs[p - 1]),)) if p else 0
    hi = bisect_left(spans, (body(docs[p]),)) if p < len(docs) else len(spans)
    return lo, hi


def removes_run(df: Dockerfile, ins: Instruction, script: Script, i: int) -> bool:
    """Whether removing item i leaves the RUN nothing to run, so the RUN goes: it is the RUN's
    only item, or the only item of a body that the line's only item feeds to a shell (`cat
    <<EOF | sh`, `RUN <<EOF`). Not when the line or another body holds more (`cat <<EOF | sh &&
    echo ok`, `sh <<A <<B`): removing the RUN would take those with it."""
    n = len(script.items)
    if n == 1:
        return True
    if n != 2 or i != 1:
        return False
    if not PART_DIRECT:
        return item_part(df, ins, script, 1)[0] == 1
    # item_part's answer: the second item starts its part when a body starts after the first
    # item's start and at or before its own (the bodies are in the text's order).
    run = ins.sub if ins.keyword == "ONBUILD" and ins.sub is not None else ins
    items = script.items
    a, b = items[0][0], items[1][0]
    for h in run.heredocs:
        at = h.line_offsets[0] if h.line_offsets else df.line_starts[h.terminator_line - 1]
        if a < at <= b:
            return True
    return False


# removes_run of the second of two items without item_part's bisects and closure (asked twice a
# finding in `RUN bash <<EOF` of `claude -v`: by drop_item and for whether the fix removes the
# RUN), and item_part of a RUN of one heredoc without them. tests/test_edits_fast.py compares
# them with item_part's general answer (False).
PART_DIRECT = True


COMMENT_LINE = re.compile(r"\n[ \t]*#")
_new = tuple.__new__  # Edit(...) without its Python-level __new__ (one per finding of a RUN's command)
_ENDS_WITH_HEREDOC = re.compile(r"<<-?[ \t]*(?:'[^']*'|\"[^\"]*\"|[^\s;&|<>()]+)\Z")


def drop_items(df: Dockerfile, ins: Instruction, script: Script, items: set[int]) -> tuple[Edit, ...] | None:
    """Remove one list item (a set of one) from a RUN's script, or the RUN when none is left.

    The heredoc bodies the item opens go with it. None when no removal keeps the rest
    intact: a comment line between the continuations would be lost with it."""
    (i,) = items
    return drop_item(df, ins, script, i)


def clean_run(text: str, ins: Instruction, writes: bool = False) -> bool:
    """The RUN's text holds no `<<`, no `#` and no carriage return, and none of what ``removable``
    looks for (`||`, `>`, `$!`): drop_item's ``clean`` (one search each of the RUN, not one of
    each item removed: an `&&` list of 800,000 calls). ``writes``: a `>` allowed (then an item
    is clean where its own text holds none: ``removable`` reads a `>` only in the item's)."""
    a, b = ins.start, ins.end
    return all(text.find(s, a, b) < 0 for s in (_BUT_WRITES if writes else _CLEAN_OF))


_CLEAN_OF = ("<<", "#", "\r", "||", ">", "$!")
_BUT_WRITES = ("<<", "#", "\r", "||", "$!")


def drop_item(df: Dockerfile, ins: Instruction, script: Script, i: int, clean: bool = False) -> tuple[Edit, ...] | None:
    """drop_items of the item i (one call per finding of a RUN's command: an `&&` list of
    800,000 harness calls made a set of one for each). ``clean``: clean_run(df.text, ins), when
    the caller knows it."""
    text = df.text
    spans = script.items
    if not (clean and CLEAN_RUN) and not removable(text, spans, i, ins.start, ins.end):
        return None
    if JOINED_FIRST and i and not ins.heredocs and ins.keyword == "RUN":
        # The shortcut below for a RUN without heredocs (most): more than one item (i > 0), so
        # removes_run is False and item_part is the whole list; no bodies go with the item.
        # Its commonest case first, _sep's and _with_before's answers without a call (an `&&`
        # list of 800,000 harness calls): the item after ` && `, no `<<` before, no CRLF end.
        (a0, b0), (a, b) = spans[i - 1], spans[i]
        between = text[b0:a]
        # (`; ` before it: _sep's answer is `;`, no join, without the call.)
        if between == " && " or between == " || " or (between != "; " and _sep(text, spans, i - 1) in _JOINS):
            if clean and CLEAN_RUN:
                return (_new(Edit, (b0, b, "", None)),)  # (no `<<`, comment line nor CR in the RUN)
            if text.find("<<", a0, b0) < 0 and not text.startswith("\r\n", b - 1):
                if not COMMENT_LINE.search(text, b0, b):
                    return (_new(Edit, (b0, b, "", None)),)
            else:
                edit = _with_before(text, spans, i, b)
                if not COMMENT_LINE.search(text, edit.start, edit.end):
                    return (edit,)
        elif i + 1 < len(spans) and _sep(text, spans, i) in _JOINS:
            # The item begins an and-or list, not the last (`a; b && c`, a RUN of files made and
            # harness calls: `ln -s x claude; claude -v && …`): the general path's one candidate,
            # the item and the operator after it (`a; c`).
            c = spans[i + 1][0]
            if (clean and CLEAN_RUN) or not COMMENT_LINE.search(text, a, c):
                return (_new(Edit, (a, c, "", None)),)
    if removes_run(df, ins, script, i):
        return (drop_instruction(df, ins),)
    lo, hi = item_part(df, ins, script, i)  # (its neighbours: those of its part, the line or a body)
    # Which removal keeps the other commands' meaning: `&&` and `||` join commands into an
    # and-or list, and `;`, `&` and a newline end one, the `&` running the whole list in the
    # background. The item may go with the operator before it when that operator joins it to
    # its list (`a && b; c` without b is `a; c`), or when both operators end lists the same way
    # (`a; b; c`); with the operator after it when it begins its list (`a & b; c` is `a & c`:
    # taking `& b` would run `a` in the foreground, and `sleep 9 & claude -v` became a build
    # that waits for `sleep`); or, the last item and alone in its list, with only its own
    # terminator (`a & b` is `a &`).
    before = _sep(text, spans, i - 1) if i > lo else None
    if i > lo and before in _JOINS and JOINED_FIRST:
        # The first candidate below, which asks nothing of the operator after the item: when it
        # passes, it is the answer (an `&&` list of 800,000 harness calls; tests/test_edits_fast.py).
        edit = _with_before(text, spans, i, spans[i][1])
        if not COMMENT_LINE.search(text, edit.start, edit.end):
            if not ins.heredocs and ins.keyword == "RUN":
                return (edit,)  # (_heredoc_bodies' answer: none)
            bodies = _heredoc_bodies(df, ins, spans[i][0], spans[i][1])
            return None if bodies is None else (edit, *bodies)
    if i + 1 < hi:
        after, end_after = _sep(text, spans, i), spans[i + 1][0]
    else:
        after, end_after = _terminator(text, spans[i][1], df.escape)
    last = i + 1 == hi
    candidates = []
    if i > lo and (before in _JOINS or (not last and after not in _JOINS and _async(before) == _async(after))):
        # The item and the separator before it: `a && b; c` without b is `a; c`.
        candidates.append(_with_before(text, spans, i, spans[i][1]))
    if not last and (before not in _JOINS or before == after):
        # The item and the separator after it (it begins its list, or the same operator either way).
        candidates.append(_new(Edit, (spans[i][0], spans[i + 1][0], "", None)))
    if last and i > lo and before not in _JOINS:
        if not _async(before):
            # The last list, ended by `;` or a newline: it goes with its own terminator (`a; b &` is `a`).
            candidates.append(_with_before(text, spans, i, end_after))
        else:
            # After `&`: it and its terminator go, the `&` stays with the list it ends (`a & b` is `a &`).
            start = spans[i][0]
            while start > spans[i - 1][1] and text[start - 1] in " \t\r\n" + df.escape:
                start -= 1
            end = end_after - 1 if text.startswith("\r\n", end_after - 1) else end_after
            candidates.append(Edit(start, end, ""))
    for edit in candidates:
        if COMMENT_LINE.search(text, edit.start, edit.end):
            continue
        bodies = _heredoc_bodies(df, ins, spans[i][0], spans[i][1])
        if bodies is None:
            return None
        return (edit, *bodies)
    return None


_JOINS = ("&&", "||")


def removable(text: str, spans, i: int, start: int, end: int) -> bool:
    """Whether removing list item i leaves the rest doing what it did, less the item: not
    where the item is an operand of `||` (`claude -v || exit 1` would leave `exit 1`, a build
    that always fails; `command -v claude || npm i -g …` the failing check) but the left one of
    `|| true` or `|| :` (what is left, `true`, does what the list did), where it writes a file
    (`npm i -g x > /log; grep -q added /log`: the grep would fail), nor where it runs in the
    background and a later command waits for it (`npm i -g x & wait "$!"`: `wait ""` fails).
    ``start``, ``end``: the RUN's span."""
    a, b = spans[i]
    if i:
        between = text[spans[i - 1][1] : a]
        if "|" in between and _sep(text, spans, i - 1) == "||":
            return False
    if i + 1 < len(spans):
        between = text[b : spans[i + 1][0]]
        if "|" in between and _sep(text, spans, i) == "||":
            if text[spans[i + 1][0] : spans[i + 1][1]] not in _NO_OPS:
                return False
        elif "&" in between and _last_bang(text, start, end) >= b and _sep(text, spans, i) == "&":
            return False  # (`x & wait "$!"`)
    elif _last_bang(text, start, end) >= b and _terminator(text, b, "\\")[0] == "&":
        return False  # (the last item, sent to the background: `wait "$!"` in a body after it)
    if text.find(">", a, b) >= 0 and _WRITES.search(QUOTED_TEXT.sub("''", text[a:b])):
        return False
    return True


_NO_OPS = ("true", ":")  # (commands that do nothing and succeed)


_BANGS: dict[tuple[int, int], tuple[str, int]] = {}


def _last_bang(text: str, start: int, end: int) -> int:
    """Where the RUN's last `$!` is (-1: none), read once a RUN (a list of 100,000 `x &` asks
    for each)."""
    got = _BANGS.get((start, end))
    if got is None or got[0] is not text:
        if len(_BANGS) > 64:
            _BANGS.clear()
        got = _BANGS[start, end] = (text, text.rfind("$!", start, end))
    return got[1]


# An output redirection to a file (`> f`, `>> f`, `2> f`, `&> f`, `>| f`), not a descriptor
# (`2>&1`) nor a device (/dev/null, /dev/stderr).
_WRITES = re.compile(r"(?:&>>?|\d*>[>|]?)[ \t]*(?!&|/dev/)[^\s;&|()<>]")
QUOTED_TEXT = re.compile(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"", re.S)
JOINED_FIRST = True  # drop_items' shortcut for an item joined to the one before it (tests turn it off)
CLEAN_RUN = True  # ... taking clean_run's answer for the RUN for each item (tests/test_edits_fast.py)


def _with_before(text: str, spans, i: int, end: int) -> Edit:
    """Item i (up to ``end``) and the separator before it."""
    joined_to = text[spans[i - 1][0] : spans[i - 1][1]]
    if text.startswith("\r\n", end - 1):
        end -= 1  # an item that ends with a heredoc's `EOF\r`: its line's CRLF stays whole
    glue = ""
    if "<<" in joined_to and _ENDS_WITH_HEREDOC.search(joined_to) and text[end : end + 1] not in ("\r", "\n", ""):
        glue = " "  # `<<EOF;` would name `EOF;` (at the line's end, `<<EOF` needs no space after it)
    return _new(Edit, (spans[i - 1][1], end, glue, None))


def _async(sep: str | None) -> bool:
    """The operator ends a list run in the background (`&`, and not `&&`)."""
    return sep == "&"


def _terminator(text: str, end: int, escape: str) -> tuple[str, int]:
    """The operator that ends the last item (its span ends at ``end``): `&` or `;` (and where it
    ends), or "" (none) at ``end``."""
    p, n = end, len(text)
    while p < n:
        c = text[p]
        if c in " \t":
            p += 1
        elif c == escape and (text.startswith("\n", p + 1) or text.startswith("\r\n", p + 1)):
            p = text.index("\n", p) + 1
            # The comment and blank lines a continuation passes over (BuildKit drops them).
            while p < n:
                nl = text.find("\n", p)
                line = text[p : n if nl < 0 else nl].strip(" \t\r")
                if line and line[0] != "#":
                    break
                p = n if nl < 0 else nl + 1
        else:
            break
    if p < n and text[p] in "&;" and text[p + 1 : p + 2] not in ("&", ";", ">"):
        return text[p], p + 1
    return "", end


def _sep(text: str, spans, k: int) -> str:
    """The operator between items k and k+1 (`&&`, `;`, a newline…), continuations and the
    comment lines between them left out."""
    between = text[spans[k][1] : spans[k + 1][0]]
    if between == "\n":
        return between  # the lines of a heredoc script (sep_of's answer, without its passes)
    if "#" not in between and "`" not in between:
        if "\n" not in between and "\\" not in between:
            return "".join(between.split())  # one line, no comment or escape (` && `): what sep_of gives
        if "\\" in between:
            # Continued lines without a comment (` \\\n && `): sep_of's answer without its lines.
            ops = "".join(between.replace("\\", " ").split())
            if ops:
                return ops
    return sep_of(between)


def sep_of(between: str) -> str:
    """_sep of the text between two items."""
    kept = [ln for ln in between.split("\n") if not ln.lstrip().startswith("#")]
    ops = "".join("".join(kept).replace("\\", " ").replace("`", " ").split())
    return ops or ("\n" if "\n" in between and not between.rstrip(" \t\r\n").endswith(("\\", "`")) else "")


def _heredoc_bodies(df: Dockerfile, ins: Instruction, a: int, b: int) -> list[Edit] | None:
    """Deletions of the bodies of the heredocs opened between source offsets a and b."""
    target = ins.sub if ins.keyword == "ONBUILD" and ins.sub is not None else ins
    if not target.heredocs or a >= (target.heredocs[0].line_offsets or [ins.end])[0]:
        return []  # no heredoc, or the item is inside a heredoc body
    ops = [target.offsets[x] for x, _ in heredoc_words(target.logical, len(target.raw_keyword))]
    if len(ops) != len(target.heredocs):
        return None
    text, starts = df.text, df.line_starts
    out = []
    for at, h in zip(ops, target.heredocs):
        if a <= at < b:
            hb = h.line_offsets[0] if h.line_offsets else starts[h.terminator_line - 1]
            he = starts[h.terminator_line] if h.terminator_line < len(starts) else len(text)
            out.append(Edit(hb, he, ""))
    return out


# -- what a RUN can read ---------------------------------------------------------------

# System package managers and file utilities: they run no project code and read no build
# variables from the environment (AIS102's IGNORES_ENV is this set).
SYSTEM_TOOLS = {
    "apt-get",
    "apt",
    "apk",
    "yum",
    "dnf",
    "microdnf",
    "tdnf",
    "zypper",
    "dpkg",
    "rm",
    "mkdir",
    "cp",
    "mv",
    "ln",
    "chmod",
    "chown",
    "chgrp",
    "touch",
    "true",
    "test",
    "[",
    "useradd",
    "groupadd",
    "adduser",
    "addgroup",
    "usermod",
    "curl",
    "wget",
    "tar",
    "unzip",
    "gzip",
    "update-ca-certificates",
    "locale-gen",
    "ldconfig",
    "cd",
    "set",
    "echo",
    "printf",
}
_REQUIREMENT = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9._,-]*\])?([<>=!~]=?[A-Za-z0-9.*+!_-]*(,[<>=!~]=?[A-Za-z0-9.*+!_-]*)*)?$"
)
_NPM_LIKE = {"npm", "yarn", "pnpm", "bun"}
# What pip takes for a local file when a name ends so (`pip install x-1.0.tar.gz` builds it).
_ARCHIVES = (".zip", ".whl", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tlz", ".tar.lz")


def runs_project_code(argv: list[str]) -> bool:
    """True unless the command surely runs no code from the project (a build script, a
    package's lifecycle script, a Gemfile, a local package file's install scripts) and lists
    or copies no environment: such a command can read every build ARG from the environment,
    so an ARG must never be moved past it."""
    if not argv:
        return False
    name = argv[0].rsplit("/", 1)[-1]
    args = argv[1:]
    if name.startswith("python") and args[:2] == ["-m", "pip"]:
        name, args = "pip", args[2:]
    elif name.startswith("python") and args[:2] == ["-m", "venv"]:
        return lists_environment(argv)
    if name in SYSTEM_TOOLS:
        # (`script/test`, `./true`: the project's own script of a tool's name runs its code.)
        return not is_system_tool(argv[0]) or system_tool_reads(name, argv)
    if name in ("pip", "pip3"):
        return not _pip_installs_only_named(args)
    if name in _NPM_LIKE:
        # Installing runs the project's own lifecycle scripts (preinstall, postinstall,
        # prepare) unless they are switched off.
        words = [a for a in args if not a.startswith("-")]
        return not (_ignores_scripts(args) and (not words or words[0] in ("install", "i", "ci", "add")))
    if name == "gem":
        # `gem install x.gem` installs the file (a gem's extensions build at install); `gem
        # install -g` (`--file`) evaluates the project's Gemfile, which is Ruby code.
        words = [a for a in args if not a.startswith("-")]
        return not (
            words[:1] == ["install"]
            and all(_REQUIREMENT.match(w) and not w.lower().endswith(".gem") for w in words[1:])
            and not any(_gem_file_option(a) for a in args)
        )
    return True


def is_system_tool(word: str) -> bool:
    """Whether a command word naming one of SYSTEM_TOOLS is that tool: its bare name (found on
    PATH) or its path in a system bin folder (`/usr/bin/mkdir`). A relative path (`./test`,
    `script/test`, the "scripts to rule them all" layout) or one in another folder
    (`/app/bin/true`) is the project's own script of that name, and runs the project's code."""
    if "/" not in word:
        return True
    folder = word.rsplit("/", 1)[0]
    while "//" in folder:
        folder = folder.replace("//", "/")
    return folder in _SYSTEM_BIN


_SYSTEM_BIN = frozenset({"/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"})


def _ignores_scripts(args: list[str]) -> bool:
    """Whether an npm-like command's options switch its lifecycle scripts off, the last of them
    deciding: `--ignore-scripts`; not `--no-ignore-scripts`, `=false`, nor a boolean
    option followed by `false` (npm's option parser takes `--ignore-scripts false` as false)."""
    on = False
    for k, a in enumerate(args):
        if a == "--ignore-scripts":
            on = k + 1 >= len(args) or args[k + 1] != "false"
        elif a in ("--no-ignore-scripts", "--ignore-scripts=false"):
            on = False
    return on


def _gem_file_option(a: str) -> bool:
    """`gem install`'s `-g`/`--file [FILE]` (any unique abbreviation, glued or not): it installs
    what the Gemfile (Ruby code of the project) says."""
    if a.startswith("--"):
        opt = a[2:].split("=", 1)[0]
        return len(opt) >= 2 and "file".startswith(opt)
    return a.startswith("-") and "g" in a[1:2]


# -- commands that list or copy the whole environment -----------------------------------------
#
# `env`, `printenv`, `export`, `declare`, `typeset`, `compgen`, `readonly` are no SYSTEM_TOOLS:
# a RUN that runs them, in any wrapper position (`sudo env`, `xargs env`, `$(printenv)`), already
# counts as reading its environment. What a SYSTEM_TOOLS command can do that reads all of it:
# bare `set` (every shell variable, the environment's among them), and a path that may lead to
# a process's environment, /proc/<pid|self|$$|thread-self>/environ, however it is spelt (quotes,
# `//`, `..`, globs, `cd /proc/self && cp environ …`). The RUN's own text is looked at too
# (environ_text): a redirection (`cp /dev/stdin /e < /proc/self/environ`) is no word of the
# command, and bash's `${!prefix@}` lists variable names, `${!name}` reads one by a computed name.

_GLOB_CHARS = frozenset("*?[{")
_NOT_LITERAL = frozenset("*?[{$`")


def lists_environment(argv: list[str]) -> bool:
    """Whether the command (one of SYSTEM_TOOLS, or an install) may list or copy the whole
    environment: bare `set`, or a word that may name /proc/<pid>/environ."""
    if len(argv) == 1:
        return argv[0].rsplit("/", 1)[-1] == "set"
    if not _SUSPECT.search("\0".join(argv[1:])):
        return False  # the common case, one search: no word names /proc or environ, or globs
    return any(may_name_environ(w) for w in argv[1:])


# The characters a word may_name_environ takes has, but for the names `environ` and `proc`.
_ENVIRON_CHARS = frozenset("*?[{")
# What the words (joined by NULs) have when one of them may be taken by may_name_environ: a
# name, a `..`, a pattern in a word not starting with `/` or `~`, or a pattern or variable
# before a later `/` of its word (`/var/lib/apt/lists/*` has none of them).
_SUSPECT = re.compile(r"environ|proc|/\.\.|(?:^|\0)[^/~\0][^\0]*?[*?\[{]|[*?\[{$`][^\0]*?/")


def may_name_environ(word: str) -> bool:
    """Whether a command word (unquoted) may be the path of a process's environment file: it
    names /proc or environ, or it is a glob whose last part may match `environ` in a folder
    that may be /proc/<pid> (a relative one, one with a pattern or `..` in it)."""
    if "environ" in word or "/proc" in word or word == "proc" or word.startswith("proc/"):
        return True
    if _GLOB_CHARS.isdisjoint(word):
        return False
    last = word.rstrip("/").rsplit("/", 1)[-1]
    folder = word[: len(word.rstrip("/")) - len(last)]
    while folder.startswith("./"):
        folder = folder[2:]
    if _NOT_LITERAL.isdisjoint(folder) and "/.." not in folder and not folder.startswith("../"):
        # A folder named as it is: absolute or from home, not /proc/<pid> (`/var/lib/apt/lists/*`,
        # `~/.cache/*`); relative, it is /proc/<pid> only from /proc or below (`*`, `self/e*`).
        if folder.startswith(("/", "~")):
            return False
        if folder and not folder.startswith(("self/", "thread-self/", "task/")) and not folder[0].isdigit():
            return False
    return "{" in last or fnmatchcase("environ", last)


def environ_text(text: str) -> bool:
    """Whether a RUN's text (its line and heredoc bodies) may read the whole environment in a
    way no command word shows: a redirection from /proc/<pid>/environ (bash expands a glob
    there: `< /pro?/self/env*`), `${!prefix@}`/`${!name}`."""
    if "environ" in text or "/proc" in text or "${!" in text:
        return True
    if "<" in text:
        return any(may_name_environ(unquote(m.group(1))) for m in _REDIRECT_FROM.finditer(text))
    return False


# An input redirection's target (not a heredoc's `<<`, a here-string's `<<<`, nor `<(…)`).
_REDIRECT_FROM = re.compile(r"(?<!<)<(?!<)>?[ \t]*([^\s;&|<>()]+)")


# -- installs of a package file -----------------------------------------------------------------
#
# A system package manager installing a package file (`apt-get install ./x.deb`, `dpkg -i`,
# `apk add ./x.apk`, `dnf install ./x.rpm`) runs that package's maintainer scripts, which can
# read every build ARG: the file is the project's (from the context, or fetched by the
# Dockerfile), so it counts as project code. Packages named from the distribution's
# repositories do not.

_PACKAGE_SUFFIXES = (".deb", ".udeb", ".rpm", ".apk", ".ipk")
_PATH_PREFIXES = ("./", "../", "/", "~")
# What the words (joined by NULs) have when one of them may be a package file: a word that
# starts as a path, a package file's suffix, a URL, a repository option (`-X/app/repo`).
_PACKAGE_SUSPECT = re.compile(r"(?:^|\0)(?:[./~$]|-X|--repositor)|\.(?:u?deb|rpm|apk|ipk)(?:\0|$)|://", re.I)
_PACKAGE_CHARS = frozenset("./~:X=$")  # one of them is in what _PACKAGE_SUSPECT finds
_PACKAGE_MANAGERS = frozenset({"apt-get", "apt", "apk", "yum", "dnf", "microdnf", "tdnf", "zypper"})
# Options of those managers whose value is the next word (a path, a release, a name).
_MANAGER_VALUE_OPTS = frozenset(
    {
        "-o",
        "--option",
        "-c",
        "--config-file",
        "--config",
        "-t",
        "--target-release",
        "--default-release",
        "-X",
        "--repository",
        "--repositories-file",
        "-p",
        "--root",
        "-R",
        "--keys-dir",
        "--cache-dir",
        "--virtual",
        "--installroot",
        "--releasever",
        "--setopt",
        "-x",
        "--exclude",
        "--repo",
        "--enablerepo",
        "--disablerepo",
    }
)
# dpkg actions that run maintainer scripts (of the files named, or of packages a local file
# installed earlier): install, unpack, configure, remove, purge, triggers.
_DPKG_SCRIPT_ACTIONS = frozenset(
    {"--install", "--unpack", "--configure", "--remove", "--purge", "--recursive", "--triggers-only"}
)


def installs_package_file(name: str, args: list[str]) -> bool:
    """Whether a system package manager installs a package file (its scripts run)."""
    if name == "dpkg":
        for a in args:
            if a == "--":
                break
            if a.split("=", 1)[0] in _DPKG_SCRIPT_ACTIONS:
                return True
            if a.startswith("-") and not a.startswith("--") and not set(a[1:]).isdisjoint("iRrP"):
                return True
        return False
    if name not in _PACKAGE_MANAGERS:
        return False
    k = 0
    while k < len(args):
        a = args[k]
        if a in _MANAGER_VALUE_OPTS:
            if a in _REPO_OPTS and _local_repo(args[k + 1] if k + 1 < len(args) else ""):
                return True
            k += 2
            continue
        k += 1
        if a.startswith("-") and a != "-":
            if a.startswith(_REPO_OPTS_GLUED) and _local_repo(a.split("=", 1)[-1] if "=" in a else a[2:]):
                return True
            continue
        if a.startswith(_PATH_PREFIXES) or a.lower().endswith(_PACKAGE_SUFFIXES) or "://" in a:
            return True
        if a.startswith("$"):
            return True  # (`apt-get install -y $DEB`: an expansion may name a package file)
    return False


# A repository the manager installs from, named by an option (apk's `-X /app/repo`, its
# `--repositories-file`): a local one may hold the project's own packages, whose scripts run.
_REPO_OPTS = frozenset({"-X", "--repository", "--repositories-file"})
_REPO_OPTS_GLUED = ("-X", "--repository=", "--repositories-file=")


def _local_repo(where: str) -> bool:
    """A repository given as a path (or a file: URL), not one on the web."""
    return bool(where) and ("://" not in where or where.lower().startswith("file:"))


def system_tool_reads(name: str, argv: list[str]) -> bool:
    """runs_project_code of a command of SYSTEM_TOOLS (``name`` its executable's name): it
    installs a package file, or lists or copies the environment (lists_environment); the
    common case, no such word, is told by one join and tests of characters."""
    if len(argv) == 1:
        return name == "set"
    joined = "\0".join(argv[1:])
    if name == "dpkg":
        if installs_package_file(name, argv[1:]):
            return True
    elif (
        name in _PACKAGE_MANAGERS
        and not _PACKAGE_CHARS.isdisjoint(joined)
        and _PACKAGE_SUSPECT.search(joined)
        and installs_package_file(name, argv[1:])
    ):
        return True
    if name in _RUNS_PROGRAMS and _RUNS_PROGRAMS[name](argv[1:]):
        return True
    if _ENVIRON_CHARS.isdisjoint(joined) and "proc" not in joined and "environ" not in joined:
        return False  # `apt-get install -y curl`: no word to look at
    return _SUSPECT.search(joined) is not None and any(may_name_environ(w) for w in argv[1:])


# -- system tools told to run a program ---------------------------------------------------------
#
# A few SYSTEM_TOOLS run a program an option names: tar's filters and scripts, apt's hooks (or a
# config file that may hold them), dpkg's. That program may be the project's own (`tar
# --to-command=./unpack.sh`, `apt-get -o DPkg::Post-Invoke::=./build.sh`) and read any build ARG.

_TAR_PROGRAM_OPTS = (
    "to-command",
    "use-compress-program",
    "info-script",
    "new-volume-script",
    "rsh-command",
    "rmt-command",
    "checkpoint-action",
)


def _tar_runs(args: list[str]) -> bool:
    """tar's `-I`/`-F` (in a cluster too, or the old form's first word) and the long options
    naming a program, in any unique abbreviation (`--to-c`)."""
    for k, a in enumerate(args):
        if a == "--":
            break
        if a.startswith("--"):
            opt = a[2:].split("=", 1)[0]
            if len(opt) >= 3 and any(o.startswith(opt) for o in _TAR_PROGRAM_OPTS):
                return True
        elif (a.startswith("-") or (k == 0 and a.isalpha())) and ("I" in a or "F" in a):
            return True
    return False


_APT_HOOK = re.compile(r"invoke|pkgs|dir::bin|::cmd", re.I)


def _apt_runs(args: list[str]) -> bool:
    """apt's `-c`/`--config-file` (a file that may hold hooks) and an `-o` setting a hook or a
    program (`APT::Update::Post-Invoke`, `DPkg::Pre-Install-Pkgs`, `Dir::Bin::dpkg`)."""
    for k, a in enumerate(args):
        if a == "--config-file" or a.startswith("--config-file=") or (a.startswith("-c") and a[1:2] != "-"):
            return True
        if a in ("-o", "--option"):
            value = args[k + 1] if k + 1 < len(args) else ""
        elif a.startswith("-o") or a.startswith("--option="):
            value = a
        else:
            continue
        if _APT_HOOK.search(value):
            return True
    return False


def _dpkg_runs(args: list[str]) -> bool:
    """dpkg's `--pre-invoke`, `--post-invoke` and `--status-logger`: commands it runs."""
    return any(a.startswith(("--pre-invoke", "--post-invoke", "--status-logger")) for a in args)


_RUNS_PROGRAMS = {"tar": _tar_runs, "apt-get": _apt_runs, "apt": _apt_runs, "dpkg": _dpkg_runs}


def pip_requirement_files(argv: list[str]) -> tuple[str, ...]:
    """The requirements files a `pip install` (or `python -m pip install`) reads (`-r f`,
    `--requirement=f`, `-rf`): what runs_project_code cannot see into (`-e .` in one builds the
    project). Empty for any other command."""
    if not argv:
        return ()
    name = argv[0].rsplit("/", 1)[-1]
    args = argv[1:]
    if name.startswith("python") and args[:2] == ["-m", "pip"]:
        name, args = "pip", args[2:]
    if name not in ("pip", "pip3"):
        return ()
    # (pip's own option table, every spelling: `-Ur f`, `--requirem=f`, `pip -q install -r f`.)
    rest = pip_install_args(args)
    return () if rest is None else tuple(pip_install_words(rest).reqs)


def _pip_installs_only_named(args: list[str]) -> bool:
    """`pip install [-r file] name…`: third-party packages by name, never the project."""
    if not args or args[0] != "install":
        return False
    k = 1
    while k < len(args):
        a = args[k]
        if a in (
            "-r",
            "--requirement",
            "-c",
            "--constraint",
            "-i",
            "--index-url",
            "--extra-index-url",
            "--target",
            "-t",
            "--prefix",
            "--root",
            "--cache-dir",
        ):
            k += 2
            continue
        if a in ("-e", "--editable") or a.startswith(("--editable=", "-e")):
            return False
        if a in ("-f", "--find-links") or a.startswith(("--find-links=", "-f")):
            # A local folder of archives (`-f /wheels`, `--find-links=.`): the project's own sdist
            # may be among them, and is built here. (A URL given apart is read as a word below, as
            # before: not a package name, so not passed.)
            glued = a not in ("-f", "--find-links")
            where = (a.split("=", 1)[1] if a.startswith("--") else a[2:]) if glued else "".join(args[k + 1 : k + 2])
            if "://" not in where or where.lower().startswith("file:"):
                return False
        if a.startswith("-"):
            k += 1
            continue
        if not _REQUIREMENT.match(a) or a.lower().endswith(_ARCHIVES):
            return False  # `.`, `./pkg`, `/src`, `x.tar.gz`, `git+https://…`: code that builds here
        k += 1
    return True


def can_read_build_args(run: Instruction) -> bool:
    """Whether a RUN may run project code, which reads build ARGs from its environment."""
    from aishell.shell import analyse_run

    script = analyse_run(run)
    if not script.commands:
        return True
    return any(runs_project_code(c.argv) for c in script.commands)
