"""Rewrite references to the legacy image in Python sources, with libcst.

``ReplaceLegacyImage`` (migrate.python_codemod) rewrites a string literal whose whole value is the image
``aishell:base`` (or a spelling Docker resolves to it, or with a digest): an
image reference, not a message that mentions it. ``"aishell:base is deprecated"``,
``f"aishell:base{SUFFIX}"``, ``"aishell:base{}".format(x)`` and
``"aishell:base%s"`` stay as written. A string holding a Dockerfile is read
with aishell's Dockerfile model and only its FROM, COPY --from and global
ARG-default references change; one BuildKit would reject (a message such as
``"Images built\\nFROM aishell:base must be rebuilt"``) is left, with a warning, and never
refuses the file. Docstrings and comments are left alone, and so
is any literal the codemod is unsure of (it records a warning instead), such as
one part of an implicit concatenation (`"aishell:base" "-custom"`) whose joined
value is not the image. A concatenation whose joined value is the image though no
part names it (`"aishell:" "base"`) becomes one literal of the new image, and so does a
literal whose escapes spell the image (`"aishell\\x3abase"`, or `f"aishell\\x3abase"`: an
f-string without placeholders is a plain literal). A literal in an f-string's placeholder
is the image only when the f-string is that placeholder alone (`f"{'aishell:base'}"`);
one the f-string joins to more (`f"{'aishell:base'}-gpu"`, a conversion, a format spec, a
join or `+` around the f-string) is left with a warning, as a `+` side is. A bytes
literal the codemod would rewrite as a str is left as it is, with a warning.

The codemod decides; it does not write. Each literal it rewrites becomes a span
edit of the original text (libcst's positions), applied with ``migrate.apply``, so
every byte outside the rewritten literals comes back as it was (libcst's own output
drops, for one, a lone CR that ends a file). A file that never mentions
``aishell:base``, in its text or in parts a concatenation joins
(aishell.images.python_mention_starts), is not parsed at all, and one where a statement that names it
nests deeper than ``MAX_DEPTH`` is refused with one line: libcst's parser and
visitors recurse, and a 10,000-term expression crashes the interpreter (libcst
never sees the other statements, so their depth is CPython's business). The depth is
libcst's, measured on CPython's tree: what that tree keeps flat and libcst nests an item a
level (`a and b and …`, `import a.b.…`, `"a" "b" …`) counts each item (``_depth``). Only when
that statement holds a literal the codemod could rewrite (CPython's values: ``_may_rewrite``):
one that merely mentions the name (a comment, ``aishell:base-gpu``, a message, bytes) is left
as it is, with a warning for a literal that names the image. A statement libcst must read that
is larger than ``MAX_LIBCST_CHARS`` is refused the same way (libcst's tree costs about 1.7 KB a
character). A statement whose every mention is a plain literal
(``IMAGE = "aishell:base"``: one line, no escape, not a docstring; or a `+` side, bytes, an
implicit concatenation of such literals, an f-string part among them with bare-name
placeholders), and statements sharing a line whose every mention is, get the codemod's edits
and warnings from CPython's tree and positions, without libcst (``_plain_literals``;
tests/test_migrate_robust.py and tests/test_migrate_python_shapes.py hold it to libcst's answer).
Runs of lines of plain assignments (``NAME = "aishell:base"``, joins, `+` sides, several on a
line) get those answers from their text, without CPython's tree (``_plain_run``), and so do
statements of any shape whose every mention is a run of plain literals that the code next to it
places in the tree (``_plain_text``: CPython only checks that they parse). The three read LF, CRLF
and lone-CR line ends alike, as CPython does (``PLAIN_CR``), and the tree's reads form feeds
(``PLAIN_FF``).
libcst is imported (with migrate.python_codemod) only when some statement needs it.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left, bisect_right

from aishell.errors import InputError
from aishell.findings import Edit
from aishell.images import FOUNDATION as REPLACEMENT
from aishell.images import LEGACY, LEGACY_RE, PY_TOKENS, UNQUOTED, QuoteScanner, python_mention_starts, python_mentions

# A line that starts with FROM: after a line feed or, as Python reads a string's source, a lone
# CR (`"""# build\rFROM aishell:base\r"""`: Python's value holds two lines, as with LF or CRLF).
# (As first written, below: its `\s*` crosses line breaks, so a search tried it at each line start
# of a run of blank lines and read the whole run each time: a string of 30,000 blank lines naming
# the image took 6.7 s, 120,000 over a minute. The same answer (every caller asks whether there is
# a match, not where) from the last line break before the spaces, or from the text's start.
# tests/test_migrate_dockerfile_hint.py compares the two on generated text.)
_DOCKERFILE_HINT_BACKTRACKING = re.compile(r"(?:^|(?<=\r))\s*FROM\s", re.I | re.M)
DOCKERFILE_HINT = re.compile(r"(?:\A\s*|[\r\n][^\S\r\n]*)FROM\s", re.I)


MAX_DEPTH = (
    300  # syntax-tree nesting libcst is trusted with (it recurses ~3 frames a level; CPython stops at 200 brackets)
)


# A statement on one line shorter than this (UTF-8 bytes) is never measured: each level of libcst's
# tree takes a character of it at least (`-a`, a part of `"a" "b"`, a dot of `a.b`), a few levels
# none (the module, a context), so it cannot nest MAX_DEPTH deep (tests/test_migrate_python_shapes.py).
SHALLOW = MAX_DEPTH // 4


def _may_rewrite(node) -> int:
    """2 when the codemod could rewrite a literal of the statement ``node`` (CPython's tree, whose
    constants hold the values: escapes read, concatenations joined, an f-string's text parts):
    one whose value is the image, or a text naming it with a FROM (a Dockerfile); 1 when a
    literal only names it (a message, bytes); else 0 (a comment, `aishell:base-gpu`)."""
    found, todo = 0, [node]
    while todo:
        n = todo.pop()
        if type(n) is ast.Constant and isinstance(n.value, (str, bytes)):
            v = n.value if isinstance(n.value, str) else n.value.decode("latin-1")
            if LEGACY_RE.search(v):
                if isinstance(n.value, str) and (LEGACY_RE.fullmatch(v) or DOCKERFILE_HINT.search(v)):
                    return 2
                found = 1
        todo.extend(ast.iter_child_nodes(n))
    return found


def _depth(tree, chunk: str | None = None, lines: list[int] | None = None, line_maps: dict | None = None) -> int:
    """How deep libcst's tree of ``tree``'s source nests, at least (iteratively: the measure must
    not recurse itself). CPython's tree keeps flat what libcst nests one level per item, so
    those count as libcst counts them: a chain of `and`/`or` (a BooleanOperation per operator),
    a dotted name in an import (an Attribute per dot), implicitly concatenated strings (a
    ConcatenatedString per part, counted from ``chunk``, the text ``tree`` was parsed from,
    and its line offsets ``lines``)."""
    deepest, todo = 0, [(tree, 1)]
    parts: dict = {}
    line_maps = {} if line_maps is None else line_maps  # (a chunk's statements share its lines)
    while todo:
        node, d = todo.pop()
        d += _flat_levels(node, chunk, lines, parts, MAX_DEPTH - d, line_maps)
        if d > deepest:
            deepest = d
            if d > MAX_DEPTH:
                break
        todo.extend((child, d + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _flat_levels(node, chunk: str | None, lines: list[int] | None, memo: dict, room: int, lines_memo: dict) -> int:
    """The levels libcst nests where CPython's ``node`` is flat (see _depth); ``room`` is what
    is left under MAX_DEPTH (a text that cannot be read counts as more)."""
    if isinstance(node, ast.BoolOp):
        return len(node.values) - 1
    if isinstance(node, ast.alias):
        return node.name.count(".")
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").count(".")
    if chunk is None or lines is None:
        return 0
    if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))):
        key = (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)
        got = memo.get(key)
        if got is None:
            got = memo[key] = _string_parts(_segment(chunk, lines, lines_memo, *key), room) - 1
        return got
    return 0


def _segment(chunk: str, lines: list[int], memo: dict, line: int, col: int, end_line: int, end_col: int) -> str:
    """The text of a node of CPython's tree of ``chunk`` (its columns count UTF-8 bytes). Each
    line's byte-to-character map is made once (``memo``): a line of 50,000 literals is read
    once, not once per literal."""
    return chunk[_char_at(chunk, lines, memo, line, col) : _char_at(chunk, lines, memo, end_line, end_col)]


def _char_at(chunk: str, lines: list[int], memo: dict, line: int, byte: int) -> int:
    """The offset in ``chunk`` of CPython's (line, column), its columns counting UTF-8 bytes,
    from the line's byte-to-character map (made once per line: ``memo``)."""
    got = memo.get(line)
    if got is None:
        start = lines[line - 1]
        stop = lines[line] if line < len(lines) else len(chunk)
        text = chunk[start:stop]
        if text.isascii():
            got = memo[line] = (start, None)
        else:
            chars = [k for k, c in enumerate(text) for _ in range(len(c.encode("utf-8", "surrogatepass")))]
            got = memo[line] = (start, chars + [len(text)])
    start, chars = got
    return start + (byte if chars is None else chars[min(byte, len(chars) - 1)])


def _string_parts(text: str, room: int) -> int:
    """How many strings ``text`` (a string literal, or several implicitly concatenated) joins,
    from its tokens (linear); one when it holds only its own two quotes."""
    if text.count("'") + text.count('"') <= 2:
        return 1
    import io
    import tokenize

    starts = {tokenize.STRING, getattr(tokenize, "FSTRING_START", tokenize.STRING)}
    try:
        return max(1, sum(t.type in starts for t in tokenize.generate_tokens(io.StringIO("(" + text + ")").readline)))
    except (tokenize.TokenError, SyntaxError, ValueError):
        return room + 2  # (not read: too deep for libcst, as far as anyone can tell)


def _offsets(source: str) -> list[int]:
    """Offset of each line's start, lines split as Python (and libcst) split them."""
    return [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", source)]


BATCH = 256_000  # characters CPython parses at a time (its tree costs ~250 bytes a character)
# A line that may start a top-level statement: column 0, not a clause of the statement before,
# after any of Python's line ends (a lone CR too: `^` knows only \n, and a file of CR-ended lines
# was one piece, parsed whole), and not after a line continuation: CPython 3.11 parses a text
# ending in a backslash and CRLF (`X = 1\\\r\n`) where libcst does not, so a piece cut after
# one was refused as "Python that libcst cannot read" (the whole file with it).
_CANDIDATE = re.compile(r"(?<![^\r\n])(?<!\\\r\n)(?<!\\[\r\n])(?![ \t\r\n#)\]}]|(?:else|elif|except|finally)\b)")


def _statement_ranges(body: str, path: str, plain: dict | None = None, skipped: list | None = None) -> list[list[int]]:
    """Offsets of the top-level statements that mention the image (merged where they share a
    line). The file is parsed in batches cut at lines that may start a statement: a batch
    that parses on its own ends where the whole file's tokenizer is between statements
    (tokenizing runs left to right), so each batch's tree is the file's. A batch that does
    not parse is extended; parsing stops after the last mention.

    Only the statements that mention the image need a tree: the rest of a batch is only
    checked (``_accepts``, no tree built), and a batch that mentions it is split the same
    way into pieces around each mention (``_split``); CPython's tree of a whole batch cost
    more than everything else together.

    ``plain``, when given, gets the codemod's (edits, warnings, literals rewritten) of each range
    whose mentions are all plain literals (_plain_literals, _plain_run), by the range's start:
    those need no libcst run."""
    starts = [m.start() for m in _CANDIDATE.finditer(body)] + [len(body)]
    marks = python_mention_starts(body)  # the name, or a concatenation that joins to it
    if not marks:
        # Named only with quotes inside (images.UNQUOTED): Python 3.12's, which libcst reads
        # (`f"{"aishell:" "base"}"`: CPython 3.11 refuses it), or no name at all.
        try:
            ast.parse(body)
        except SyntaxError as e:
            raise NotCPython(path, f"not valid Python (line {e.lineno or 1}: {e.msg})") from None
        except (RecursionError, MemoryError, ValueError) as e:
            raise InputError(path, f"too deeply nested to parse ({type(e).__name__}); nothing was written") from None
        return []
    last = marks[-1]
    ranges: list[list[int]] = []
    memo = {} if plain is not None and FAST_LITERALS else None  # (_plain_run's and _plain_text's)
    pos = 0
    while pos <= last:
        size = BATCH
        while True:
            k = bisect_left(starts, pos + size)
            end = starts[k] if k < len(starts) else len(body)
            if end <= pos:
                end = len(body)
            chunk = body[pos:end]
            try:
                mentioned = _marked(marks, pos, end)
                pieces = _split(body, pos, end, starts, marks, memo) if mentioned else ([] if _accepts(chunk) else None)
                if pieces is None:  # the answer (and the error) of the batch parsed whole
                    pieces = [(pos, chunk, ast.parse(chunk))]
                break
            except SyntaxError as e:
                if end >= len(body):
                    line = len(_offsets(body[:pos])) - 1 + (e.lineno or 1)  # (lines before the batch counted here only)
                    raise NotCPython(path, f"not valid Python (line {line}: {e.msg})") from None
                size *= 2
            except (RecursionError, MemoryError, ValueError) as e:
                raise InputError(
                    path, f"too deeply nested to parse ({type(e).__name__}); nothing was written"
                ) from None
        for at, text, tree in pieces:
            if text is None:  # (a run of plain lines, decided: _plain_run)
                _, taken, new, warnings, count = tree
                if taken is not None:
                    ranges.append(list(taken))
                    plain[taken[0]] = ([Edit(*taken, new)] if new is not None else [], warnings, count)
                continue
            deep = _collect(ranges, body, at, text, tree, marks, plain, skipped)
            if deep:
                raise InputError(
                    path, f"nested more than {MAX_DEPTH} levels deep: too deep to rewrite safely; nothing was written"
                )
        del pieces
        pos = end
    return ranges  # (each marked: _collect adds a range for a marked statement and only widens it)


class NotCPython(InputError):
    """A file CPython (3.11, which runs aishell) refuses: libcst may read it (Python 3.12's syntax)."""


def _marked(marks: list[int], a: int, b: int) -> bool:
    """Whether a mention (python_mention_starts) starts in ``body[a:b]``."""
    k = bisect_left(marks, a)
    return k < len(marks) and marks[k] < b


# The longest text _accepts gives CPython's symbol table (larger ones: ast.parse). The table is
# quick (about half ast.parse's time: no Python tree is built), but CPython 3.11 builds it in time
# quadratic in one function's size: each scope nested in a function (a lambda, a def, a
# comprehension) copies the set of names the function binds. Found by r69d's hunt: one function of
# 20,000 `xN = lambda: xN` (538 KB) before a line naming the image took 28.7 s in migrate (10,000:
# 5.1 s); ast.parse reads it in 0.3 s. At 8 KB the table's worst case is about 0.5 s a MB, and a
# file naming the image every 100 lines is read in pieces under it (its 1 MB: 0.65 s, 0.77 s with
# ast.parse alone). tests/test_scale_r69d_symtable.py guards the shape and compares the answers
# with the table on every size.
SYMTABLE_MAX_CHARS = 8_192


def _accepts(text: str) -> bool:
    """Whether CPython parses ``text``, without building its tree where that is quick. The
    symbol table is built from the parser's own tree in C and checks more than the parser
    does (a duplicate argument, a misplaced ``global``), so only its yes is taken: ``ast.parse``
    says no (and decides alone for a text over SYMTABLE_MAX_CHARS)."""
    if len(text) <= SYMTABLE_MAX_CHARS:
        import symtable

        try:
            symtable.symtable(text, "<aishell>", "exec")
            return True
        except Exception:
            pass
    try:
        ast.parse(text)
        return True
    except Exception:
        return False


JOIN = 65_536  # characters of consecutive statements naming the image _split parses together


def _split(body: str, pos: int, end: int, starts: list[int], marks: list[int], memo: dict | None = None) -> list | None:
    """(offset, text, tree) of the pieces of the batch ``body[pos:end]`` that mention the
    image, cut where the tokenizer is between statements (the batch's own argument, one
    level down): the text before a mention's line is checked and skipped when it parses
    alone, the mention's piece runs to the next line that may start a statement (further
    while it does not parse). All pieces parsing alone is the batch parsing; None when
    some piece does not (the caller parses the batch whole, for its answer or error).

    With ``memo`` (_plain_run's), the lines of plain statements from a mention's piece on are
    decided without a tree, as (offset, None, _plain_run's answer): they are Python alone; and so
    is a piece whose every mention is a plain literal between neighbours that say where the tree
    has it (_plain_text), once CPython accepts the piece."""
    out = []
    p = pos
    while True:
        j = bisect_left(marks, p)
        m = marks[j] if j < len(marks) and marks[j] < end else -1
        if m == -1:
            return out if p == end or _accepts(body[p:end]) else None
        k = bisect_right(starts, m) - 1
        if k >= 0 and starts[k] > p and _accepts(body[p : starts[k]]):
            p = starts[k]
        if memo is not None and PLAIN_RUNS:
            run = _plain_run(body, p, end, marks, memo)
            if run is not None:
                out.append((p, None, run))
                p = run[0]
                continue
        q = starts[k + 1]  # the first line after the mention's that may start a statement (<= end)
        # The statements right after that name it too (a file naming the image on every line):
        # one piece, one parse, when it parses (each would alone), up to JOIN characters.
        joined = q
        while joined < end and joined - p < JOIN:
            j = bisect_left(marks, joined)
            if j >= len(marks) or marks[j] >= end:
                break
            k = bisect_right(starts, marks[j]) - 1
            if starts[k] != joined:
                break
            joined = starts[k + 1]
        if memo is not None and PLAIN_TEXT:
            got = _plain_text(body, p, joined, marks, memo)
            if got is not None:
                out.append((p, None, got))
                p = joined
                continue
        if joined > q:
            try:
                out.append((p, body[p:joined], ast.parse(body[p:joined])))
                p = joined
                continue
            except Exception:
                pass  # (each on its own, as below)
        while True:
            piece = body[p:q]
            try:
                tree = ast.parse(piece)
                break
            except Exception:
                if q >= end:
                    return None
                i = bisect_left(starts, p + 2 * (q - p))
                q = min(starts[i] if i < len(starts) else end, end)
        out.append((p, piece, tree))
        p = q


def _collect(
    ranges: list[list[int]],
    body: str,
    pos: int,
    chunk: str,
    tree,
    marks: list[int],
    plain: dict | None = None,
    skipped: list | None = None,
) -> bool:
    """Add the ranges of ``tree``'s statements (the tree of ``body[pos:]``'s ``chunk``) that
    mention the image to ``ranges``; True when a statement libcst will get nests deeper than
    MAX_DEPTH (the others never reach libcst). With ``skipped``, a statement deeper than that
    in which no literal could be rewritten (_may_rewrite) goes there instead of ``ranges``.
    Statements that share a line are one range (libcst reads them together), taken by the plain
    path (``plain``) when it takes each of them and every mention in the range is covered."""
    lines = _offsets(chunk)
    line_maps: dict = {}
    deep = False
    # (edits, warnings, spans, statements) of ranges[-1] while the plain path takes each of its
    # statements, their depth not measured (libcst never gets them: it is CPython's business).
    group = None
    # (CPython reads CRLF and a lone CR as LF, lines split as _offsets splits them, and counts a
    # form feed as a column: PLAIN_CR, PLAIN_FF. Off, a chunk holding one goes to libcst.)
    fast = plain is not None and FAST_LITERALS and (PLAIN_CR or "\r" not in chunk) and (PLAIN_FF or "\f" not in chunk)
    chain = None  # (start, last line) of the statements before that share lines, one with the next

    def too_deep(node) -> bool:
        if node.lineno == node.end_lineno and node.end_col_offset - node.col_offset < SHALLOW:
            return False  # (measuring was half the time of a file of `b"aishell:base"` lines)
        return 1 + _depth(node, chunk, lines, line_maps) > MAX_DEPTH  # (the module is a level of its own)

    def settle() -> bool:
        """ranges[-1] is whole: the plain path's answer, or its statements measured for libcst."""
        if group is None:
            return False
        a, b = ranges[-1]
        if _covers(group[2], marks, a, b):
            plain[a] = (group[0], _plain_warnings(group[1]), len(group[0]))
            return False
        return any(too_deep(n) for n in group[3])  # (a mention it did not read: libcst's)

    for node in tree.body:
        first = node.lineno
        decorators = getattr(node, "decorator_list", None)
        if decorators:
            first = min(first, *(d.lineno for d in decorators))
        # A statement that starts on the line where the one before ends (`X = f(\n  1); Y = g(`)
        # starts, for libcst, where that one does: its line's start is inside the other.
        a = chain[0] if chain is not None and first <= chain[1] else pos + lines[first - 1]
        chain = (a, node.end_lineno)
        b = pos + (lines[node.end_lineno] if node.end_lineno < len(lines) else len(chunk))
        if skipped and a < skipped[-1][1]:  # (on the line of a statement too deep for libcst)
            skipped[-1][1] = max(skipped[-1][1], b)
            if _may_rewrite(node) == 2:
                deep = True  # (libcst would read the deep one with it)
            continue
        if ranges and a < ranges[-1][1]:  # `a = 1; b = 2` on one line: one piece
            ranges[-1][1] = max(ranges[-1][1], b)
            if group is not None:
                got = _plain_literals(node, chunk, lines, pos, line_maps)
                if got is not None:
                    group[0].extend(got[0])
                    group[1].extend(got[1])
                    group[2].extend(got[2])
                    group[3].append(node)
                    continue
                deep = deep or any(too_deep(n) for n in group[3])  # (libcst reads the line's statements together)
                group = None
        elif _marked(marks, a, b):
            deep = settle() or deep
            group = None
            ranges.append([a, b])
            got = _plain_literals(node, chunk, lines, pos, line_maps) if fast else None
            # (A plain statement that rewrites a literal, or leaves one beside a `+` with a warning,
            # holds the image (_may_rewrite's 2): never skipped, so its depth, a third of a file
            # naming the image on every line, is not measured.)
            sure = got is not None and got[3]
            if not sure and skipped is not None and too_deep(node):
                said = _may_rewrite(node)
                if said < 2:
                    # Too deep for libcst, but no literal of it is the image (a comment,
                    # `aishell:base-gpu`, a message): nothing to rewrite, so nothing to refuse.
                    skipped.append(ranges.pop() + [said == 1])
                    continue
            if got is not None:
                group = (*got[:3], [node])
                continue
        else:
            deep = settle() or deep
            group = None
            continue
        deep = deep or too_deep(node)
    return settle() or deep


# A literal on one line with nothing the codemod reads specially: no escape, no quote inside,
# any prefix (CPython's tree says which kind it is: str, bytes, or an f-string's part).
_PLAIN_LITERAL = re.compile(r"([rRuUbBfF]{0,2})(['\"])([^'\"\\\r\n\f]*)\2")
# An implicit concatenation of such literals, spaces, tabs and line ends (in brackets, or after
# a backslash: LF, CRLF or a lone CR, PLAIN_CR's) between them, nothing else (a comment between:
# libcst's to decide).
_TRIPLE = re.compile("'''|\"\"\"")  # (triple quotes read as parts: libcst keeps them)
_PLAIN_JOIN = re.compile(
    r"[rRuUbBfF]{0,2}(['\"])[^'\"\\\r\n\f]*\1"
    r"(?:(?:[ \t]|\\?(?:\r\n?|\n))*[rRuUbBfF]{0,2}(['\"])[^'\"\\\r\n\f]*\2)+"
)
# An f-string part's placeholder the plain path reads: a bare name (no conversion, no format spec).
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_F_TEXT = re.compile(r"[^{}]*(?:\{[A-Za-z_][A-Za-z0-9_]*\}[^{}]*)*")  # (`{{` and `}}` not read: libcst's)
FAST_LITERALS = True  # tests compare the answers with libcst's (False: libcst reads every statement)
PLAIN_RUNS = True  # tests compare _plain_run's answers with the tree's (False: every statement has one)
PLAIN_TEXT = True  # tests compare _plain_text's answers with the tree's (False: every piece has one)
# CRLF and lone-CR line ends on the plain path (_collect's fast, _plain_run, _plain_text): CPython
# reads each as LF, its lines are _offsets', and every edit is a span of the original text, so the
# line ends stay as they were. False: a piece holding a CR went to libcst, statement by statement,
# as Windows checkouts do (`xN = 'aishell:base'` with CRLF ends: 6.6 s a MB, lone CR 7.0 s; LF
# 0.2 s). tests/test_python_cr_plain.py compares the answers with it on and off, and with libcst's.
PLAIN_CR = True
# Form feeds on _collect's fast path (a page break, PEP 8's): CPython counts one as a column like
# any other character (where its tokenizer resets a line's indentation at it too), so its columns
# are offsets in the line as without one; libcst reads the piece with the indentation's form feeds
# dropped (python_codemod._without_form_feeds), and decides each literal from its value alone.
# False: a piece holding a form feed went to libcst (_split joins up to JOIN characters of
# statements naming the image: `xN = 'aishell:base'` lines, every 100th after a form feed, 1 MB:
# 6.6 s; now 0.6 s). tests/test_python_cr_plain.py compares the answers with it on and off, and
# with libcst's.
PLAIN_FF = True
# Nodes that hold no literal: a name, a context, an operator (_plain_literals skips them).
_NO_LITERALS = frozenset(
    {ast.Name, ast.Load, ast.Store, ast.Del, ast.alias, ast.Pass, ast.Break, ast.Continue}
    | {type(op) for op in (ast.Add(), ast.Sub(), ast.Mult(), ast.Div(), ast.Mod(), ast.Eq(), ast.NotEq())}
)
# Nodes whose literal the codemod never decides alone: a bare string statement (a docstring), a
# side of a `+`, a part of an f-string.
_JOINING = frozenset({ast.Expr, ast.BinOp, ast.JoinedStr, ast.FormattedValue})
# The codemod's warnings (python_codemod) the plain path gives.
_SUMMED = f"left a string that `+` joins to another, mentioning {LEGACY}, as it is"
_BYTES = f"left a bytes literal that names {LEGACY} as it is: "
_BYTES_JOINED = f"left a bytes literal that names {LEGACY} as it is (implicitly concatenated)"
_BUILDS = f"left an f-string that builds a name from {LEGACY} as it is"
_JOINED = f"left an implicitly concatenated string that mentions {LEGACY} as it is"


# _plain_literals finds each literal's offsets from its line's byte-to-character map, made once per
# line and shared by the chunk's statements (_char_at). Found by r69d's hunt: each literal's line
# was sliced, tested for ASCII and, when not, encoded and a prefix decoded, so a line of many
# literals (`x = [b'aishell:base', 'é', ...]`) was read once per literal: 16,000 pairs (352 KB)
# took 2.8 s, 64,000 (1.4 MB) 50 s. False: the former reading (tests/test_scale_r69d_line_maps.py
# guards the shape and compares the two).
LINE_MAPS = True


def _plain_literals(node, chunk: str, lines: list[int], pos: int, line_maps: dict | None = None):
    """The codemod's (edits, warnings, spans, sure) of the statement ``node`` (CPython's tree of
    ``chunk``, at ``pos`` in the file) for its literals that name the image, when each is a plain
    literal (_PLAIN_LITERAL) or an implicit concatenation of such literals (_PLAIN_JOIN), in an
    expression the codemod decides alone or a side of a `+`; None when one is anything else (an
    escape, a docstring, a literal in an f-string's placeholder, ...): libcst decides. The
    warnings are (end, -start, [warning, ...]) of the literal that gives them (libcst's order:
    _plain_warnings); the spans, of each literal read (the mentions they cover: _covers); sure
    when a str literal of it is the image (rewritten, or beside a `+`: _may_rewrite's 2).

    It reads no comment and no literal that does not name the image: _covers finds a mention
    there (a comment, a concatenation whose parts join to the name) uncovered, and the
    statement goes to libcst. _plain_literal gives each literal's answer, as the codemod
    would; this gives them without libcst: it read a file naming the image on every line at
    4 s a MB, one spelling it `"aishell:" "base"` at 8 s, and bytes at 13 s."""
    line_maps = {} if line_maps is None else line_maps
    edits: list[Edit] = []
    said: list = []
    covered: list[tuple[int, int]] = []
    sure = False
    todo = [node]
    pop, push, AST, Constant, JoinedStr, leaves = (
        todo.pop,
        todo.append,
        ast.AST,
        ast.Constant,
        ast.JoinedStr,
        _NO_LITERALS,
    )
    while todo:
        n = pop()
        joins = type(n) in _JOINING
        summed = type(n) is ast.BinOp and type(n.op) is ast.Add
        for field in n._fields:  # (ast.iter_child_nodes, without its generator)
            v = getattr(n, field, None)
            for c in v if type(v) is list else (v,):
                if type(c) is Constant:
                    value = c.value
                    if not (
                        (type(value) is str and LEGACY in value) or (type(value) is bytes and _LEGACY_BYTES in value)
                    ):
                        continue
                elif type(c) is JoinedStr:
                    # (Only an f-string whose text names the image; one naming it in a placeholder
                    # is not read, and its mention stays uncovered: libcst's.)
                    if not any(type(p) is Constant and LEGACY in p.value for p in c.values):
                        continue
                else:
                    if isinstance(c, AST) and type(c) not in leaves:
                        push(c)
                    continue
                if joins and not summed:
                    return None
                if LINE_MAPS:
                    x = _char_at(chunk, lines, line_maps, c.lineno, c.col_offset)
                    y = _char_at(chunk, lines, line_maps, c.end_lineno, c.end_col_offset)
                else:
                    ln = c.lineno
                    start = lines[ln - 1]
                    if ln == c.end_lineno and chunk[start : lines[ln] if ln < len(lines) else len(chunk)].isascii():
                        x, y = start + c.col_offset, start + c.end_col_offset  # (most literals: one ASCII line)
                    else:
                        x = _column(chunk, lines, ln, c.col_offset)
                        y = _column(chunk, lines, c.end_lineno, c.end_col_offset)
                got = _plain_literal(chunk, x, y, type(c) is JoinedStr, summed)
                if got is None:
                    return None
                new, warnings = got
                covered.append((pos + x, pos + y))
                if new is not None:
                    edits.append(Edit(pos + x, pos + y, new))
                    sure = True
                if warnings:
                    said.append((y, -x, warnings))
                    sure = sure or (type(c) is Constant and warnings == [_SUMMED])
    return edits, said, covered, sure


_LEGACY_BYTES = LEGACY.encode()


def _plain_literal(chunk: str, x: int, y: int, fstring: bool, summed: bool):
    """(new text or None, warnings) the codemod gives the literal ``chunk[x:y]`` that names the
    image (a `+` side when ``summed``), or None when it is not plain (libcst's to decide).

    What the codemod does (python_codemod): leave_SimpleString turns a literal that is exactly
    the image into the new one, quotes and prefix kept, and leaves any other; a bytes literal
    that would be rewritten is left with a warning, and so is a side of a `+`. _joined turns a
    concatenation whose parts join to exactly the image into one literal of the new one, in the
    first part's quotes (an f-string when a part is one; a `u` prefix kept otherwise); a part
    that names the image alone (rewritten, or flagged by leave_FormattedString) makes a join
    that is not the image a warning; bytes joined to the image, a warning."""
    m = _PLAIN_LITERAL.fullmatch(chunk, x, y)
    if m is not None:
        prefix, quote, text = m.groups()
        if fstring or DOCKERFILE_HINT.search(text):
            return None  # (a single f-string; a Dockerfile in a string: the codemod's embedded rewrite)
        if not LEGACY_RE.fullmatch(text):
            return None, []
        if "b" in prefix or "B" in prefix:
            return None, [_BYTES + m.group()[:40]]
        if summed:
            return None, [_SUMMED]
        return f"{prefix}{quote}{REPLACEMENT}{quote}", []
    if _PLAIN_JOIN.fullmatch(chunk, x, y) is None or _TRIPLE.search(chunk, x, y):
        return None  # (an escape, triple quotes, a comment between parts)
    parts = _PLAIN_LITERAL.findall(chunk, x, y)
    if not fstring:
        return _plain_join(chunk, x, y, parts, summed)
    # A join with an f-string part (CPython: one JoinedStr), each placeholder a bare name.
    if any(DOCKERFILE_HINT.search(t) for _, _, t in parts) or DOCKERFILE_HINT.search("".join(t for _, _, t in parts)):
        return None  # (a Dockerfile in a part, or in the join: the codemod's embedded rewrite, its warning)
    warnings = []
    said = False  # a part names the image alone: a join that is not the image warns
    texts: list[str] | None = []
    for prefix, _, text in parts:
        if "f" in prefix or "F" in prefix:
            if _F_TEXT.fullmatch(text) is None:
                return None
            if _PLACEHOLDER.search(text) is None:
                if text and LEGACY_RE.fullmatch(text):
                    said = True  # (leave_FormattedString flags it; the join says it)
                elif LEGACY_RE.search(text):
                    warnings.append(_BUILDS)
            else:
                texts = None
                if any(LEGACY_RE.search(t) for t in _PLACEHOLDER.split(text)):
                    warnings.append(_BUILDS)
        elif LEGACY_RE.fullmatch(text):
            if summed:
                warnings.append(_SUMMED)
            else:
                said = True  # (leave_SimpleString rewrites it; the join undoes that and says so)
        if texts is not None:
            texts.append(text)
    if texts is not None and LEGACY_RE.fullmatch("".join(texts)):
        if summed:
            return None, [*warnings, _SUMMED]
        return f"f{parts[0][1]}{REPLACEMENT}{parts[0][1]}", warnings
    return None, [*warnings, _JOINED] if said else warnings


def _plain_join(chunk: str, x: int, y: int, parts: list, summed: bool):
    """_plain_literal's answer for the implicit concatenation ``chunk[x:y]`` of plain literals
    ``parts`` (prefix, quote, text) without an f-string, as the codemod gives it: leave_SimpleString
    rewrites each part that is the image (a bytes one warns, one beside a `+` warns); then
    leave_ConcatenatedString keeps those rewrites when the joined value changes only by the image
    (_mask: `"aishell:base" ""`), else undoes them and _joined decides the join (one literal of
    the new image when its value is the image, else a warning: `"aishell:base" "-gpu"`). A join
    whose parts name none is decided by _joined alone (`"aishell:" "base"`)."""
    joined = "".join(t for _, _, t in parts)
    if DOCKERFILE_HINT.search(joined) or any(DOCKERFILE_HINT.search(t) for _, _, t in parts):
        return None  # (a Dockerfile in a string: the codemod's embedded rewrite)
    named = [LEGACY_RE.fullmatch(t) is not None for _, _, t in parts]
    whole = LEGACY_RE.fullmatch(joined) is not None
    if "b" in parts[0][0].lower():  # (each part naming it warns; the join, only if none did)
        said = [_BYTES + p.group()[:40] for p in _PLAIN_LITERAL.finditer(chunk, x, y) if LEGACY_RE.fullmatch(p[3])]
        return None, said if said or not whole else [_BYTES_JOINED]
    if summed:
        return None, [_SUMMED] * (sum(named) + whole)
    if any(named):
        if _mask(joined) == _mask("".join(REPLACEMENT if n else t for n, (_, _, t) in zip(named, parts))):
            out, at = [], x
            for p in _PLAIN_LITERAL.finditer(chunk, x, y):
                if LEGACY_RE.fullmatch(p[3]):
                    out.append(chunk[at : p.start(3)] + REPLACEMENT)
                    at = p.end(3)
            out.append(chunk[at:y])
            return "".join(out), []
        if not whole:
            return None, [_JOINED]  # (the parts' rewrites undone: the join says so)
    elif not whole:
        return None, []
    u = "u" if parts[0][0].lower() == "u" else ""
    return f"{u}{parts[0][1]}{REPLACEMENT}{parts[0][1]}", []


def _mask(value: str) -> str:
    """A value with the old and new image names masked (the only difference a rewrite may make)."""
    return LEGACY_RE.sub("<IMAGE>", value.replace(REPLACEMENT, "<IMAGE>"))


def _covers(covered: list[tuple[int, int]], marks: list[int], a: int, b: int) -> bool:
    """Whether every mention of the image (python_mention_starts) in ``body[a:b]`` is in a span of
    ``covered``: else one is in a comment, bytes, a concatenation... that the plain path did
    not read, and libcst decides the statements."""
    first, last = bisect_left(marks, a), bisect_left(marks, b)
    if len(covered) == 1 and last - first == 1:  # (one literal, one mention: most statements)
        return covered[0][0] <= marks[first] < covered[0][1]
    covered.sort()
    for k in range(first, last):
        i = bisect_right(covered, (marks[k], _AFTER)) - 1
        if i < 0 or not covered[i][0] <= marks[k] < covered[i][1]:
            return False
    return True


def _plain_warnings(said: list) -> list[str]:
    """The warnings of _plain_literals in the order libcst gives them: its visitor leaves a
    literal after the literals inside it, and each after those before it in the file."""
    return [w for _, _, ws in sorted(said, key=lambda s: s[:2]) for w in ws]


def _column(chunk: str, lines: list[int], line: int, col: int) -> int:
    """The offset in ``chunk`` of CPython's (line, column): its columns count UTF-8 bytes."""
    start = lines[line - 1]
    if col == 0:
        return start
    end = lines[line] if line < len(lines) else len(chunk)
    text = chunk[start:end]
    if text.isascii():
        return start + col
    return start + len(text.encode("utf-8")[:col].decode("utf-8", "replace"))


_AFTER = float("inf")  # (sorts after any end: the last literal starting at or before a mark)


CHUNK = 4096  # characters of consecutive statements libcst rewrites at a time
# Characters of chunks (apart in the file) libcst rewrites in one run, joined: a run costs about a
# millisecond besides its statements' own work, so a file naming the image every 100 lines paid
# twice per chunk what the chunk itself costs. 0: one run a chunk.
GROUP = 16_000


def _chunks(body: str, ranges: list[list[int]]) -> list[tuple[int, int]]:
    """The statements that mention the image, those that follow one another (nothing between
    them) joined up to CHUNK characters: a libcst run costs about a millisecond besides its
    parse, and a file naming the image on every line paid it per statement (2,000 lines took
    3 s). A bare string statement starts a chunk of its own, as when alone: the codemod takes
    the first statement of what it reads for a docstring, and leaves it (an attribute's
    docstring after it, in Sphinx's style, names the image only to talk about it)."""
    out: list[tuple[int, int]] = []
    for a, b in ranges:
        piece = body[a:b]  # (each mentions it: _statement_ranges)
        if out and out[-1][1] == a and b - out[-1][0] <= CHUNK and not _bare_string(piece):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _bare_string(piece: str) -> bool:
    """Whether the statement starts with a string expression (what the codemod's
    _mark_docstring takes for a docstring when it comes first)."""
    try:
        first = ast.parse(piece).body[0]
    except (SyntaxError, ValueError, RecursionError, MemoryError, IndexError):
        return True  # (alone, as before: its error is libcst's to report)
    # (A join with an f-string part is a JoinedStr here and a ConcatenatedString to the codemod,
    # which takes it for a docstring: any f-string statement starts a chunk, as _joinable says.)
    return isinstance(first, ast.Expr) and (
        isinstance(first.value, ast.JoinedStr)
        or (isinstance(first.value, ast.Constant) and isinstance(first.value.value, (str, bytes)))
    )


# -- Runs of plain lines: decided from the text, no tree ------------------------------------------
# A line of simple assignments `NAME = VALUE (+ VALUE)*` (`;` between them, a comment after), each
# value a name, a number, or plain literals (_PLAIN_LITERAL's: no escape, no quote inside, an
# f-string's placeholders bare names) joined, in brackets over several lines too: such a line is
# Python whatever stands around it (no keyword is a name, no bytes join a str, no bytes hold more
# than ASCII: _run_literals checks the last two), and CPython's tree of it is known without
# building it (an Assign of a Constant, a JoinedStr when a part is an f-string, a BinOp of `+`
# sides). A file naming the image on every line spent most of its time building those trees and
# walking them (_plain_literals): _plain_run reads a run of such lines with two regular
# expressions and decides each literal once per spelling. tests/test_migrate_python_runs.py
# holds it to the tree's answer on generated lines (5 to 8 s at 10 MB before, about 1.5 s now).
def _keywords() -> frozenset[str]:
    import keyword

    return frozenset(keyword.kwlist + ["__debug__"])


_KEYWORDS = _keywords()
_NAME = rf"(?!(?:{'|'.join(sorted(_KEYWORDS))})(?![A-Za-z0-9_]))[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_'\"])"
_TEXT = "[^'\"\\\\\\r\\n\\f\\x00\\ud800-\\udfff"  # (a plain literal's character, unclosed: ']' or '{}]' follows)
_STR = rf"(?:[uU]|[rR][bB]?|[bB][rR]?)?(?:\"(?!\"\"){_TEXT}]*\"|'(?!''){_TEXT}]*')"
_PLACE = r"\{[A-Za-z_][A-Za-z0-9_]*\}"  # (a placeholder's name a keyword: _run_literals says no)
_FSTR = rf"(?:[fF][rR]?|[rR][fF])(?:\"(?!\"\")(?:{_TEXT}{{}}]|{_PLACE})*\"|'(?!'')(?:{_TEXT}{{}}]|{_PLACE})*')"
_LIT = f"(?:{_FSTR}|{_STR})"
_LITS = rf"{_LIT}(?:[ \t]*{_LIT})*"


def _run_patterns(gap: str, end: str) -> tuple[re.Pattern, re.Pattern]:
    """(_PLAIN_RUN, _RUN_PARTS) whose lines end with ``end`` (a pattern), ``gap`` the characters
    allowed between a bracketed value's literals (spaces, tabs and those line ends)."""
    bracketed = rf"\({gap}*(?P<in>{_LIT}(?:{gap}*{_LIT})*){gap}*\)"
    value = rf"(?:{_NAME}|(?:0|[1-9][0-9]{{0,15}})(?![A-Za-z0-9_.'\"])|{_LITS}|\({gap}*{_LIT}(?:{gap}*{_LIT})*{gap}*\))"
    statement = rf"{_NAME}[ \t]*=[ \t]*{value}(?:[ \t]*\+[ \t]*{value}){{0,8}}"
    run = rf"(?:{statement}(?:[ \t]*;[ \t]*{statement})*[ \t]*(?:#[^\r\n\f\x00\ud800-\udfff]*)?{end})+"
    # In a run: a comment, a line's end, or the literals of a value with the `=` or `+` before it
    # (and whether a `+` follows): each literal is read at its start, never inside one.
    parts = rf"#[^\r\n]*|{end}|(?P<op>[=+])[ \t]*(?:{bracketed}|(?P<lits>{_LITS}))(?=(?P<plus>[ \t]*\+)?)"
    return re.compile(run), re.compile(parts)


_PLAIN_RUN, _RUN_PARTS = _run_patterns(r"[ \t\n]", r"\n")
_PLAIN_RUN_CR, _RUN_PARTS_CR = _run_patterns(r"[ \t\r\n]", r"(?:\r\n?|\n)")  # (PLAIN_CR's)
_LIT_PARTS = re.compile(rf"({_FSTR})|{_STR}")


def _run_literals(lits: str, summed: bool):
    """(names, new text or None, warnings, sure) the codemod gives the literals ``lits`` joined (a
    value of a run's statement, a `+` side when ``summed``), as _plain_literals gives them from
    CPython's tree: names when the tree's constant (or an f-string's constant part) holds the
    image, and then _plain_literal's answer; sure as _plain_literals says it. None when the
    tree is not known (bytes beside a str, bytes holding more than ASCII, a keyword in a
    placeholder: not Python) or
    _plain_literal leaves it to libcst."""
    parts = _LIT_PARTS.finditer(lits)
    texts: list[str] = []  # the tree's constants: text between an f-string's placeholders, joined
    run: list[str] = []
    fstring = False
    kinds = set()
    for p in parts:
        t = p.group()
        prefix = t[: len(t) - len(t.lstrip("rRbBuUfF"))]
        body = t[len(prefix) + 1 : -1]
        kinds.add("b" in prefix or "B" in prefix)
        if p.group(1) is not None:
            fstring = True
            pieces = _PLACEHOLDER.split(body)
            if len(pieces) > 1 and not _KEYWORDS.isdisjoint(n[1:-1] for n in _PLACEHOLDER.findall(body)):
                return None  # (`f"{if}"`: not Python)
            run.append(pieces[0])
            for piece in pieces[1:]:
                texts.append("".join(run))
                run = [piece]
        else:
            run.append(body)
    texts.append("".join(run))
    if len(kinds) > 1 or (True in kinds and not lits.isascii()):
        return None
    if not any(LEGACY in t for t in texts):
        return False, None, [], False
    got = _plain_literal(lits, 0, len(lits), fstring, summed)
    if got is None:
        return None
    new, warnings = got
    return True, new, warnings, new is not None or (not fstring and warnings == [_SUMMED])


def _plain_run(body: str, p: int, end: int, marks: list[int], memo: dict):
    """The lines of plain statements (_PLAIN_RUN) from ``p`` (between statements) on, up to
    ``end``, decided as _collect decides them from CPython's tree when each of their statements
    is plain (_plain_literals) and every mention on their lines is one of their literals
    (_covers): (end of the run, (start, end) of its lines that mention the image, taken as one
    range, or None, the new text of that range, warnings in order, literals rewritten). None when
    not one line from ``p`` is such a line. A line that is not (a mention in a comment or in a
    literal not read, a literal libcst decides, one that only warns on a line long enough to be
    measured: _collect's too_deep) ends the run before it. ``memo``: each spelling decided once."""
    run_re, parts_re = (_PLAIN_RUN_CR, _RUN_PARTS_CR) if PLAIN_CR else (_PLAIN_RUN, _RUN_PARTS)
    m = run_re.match(body, p, end)
    if m is None:
        return None
    n = len(marks)
    k = bisect_left(marks, p)
    line = p  # the current line's start (a statement's line: over several physical lines in brackets)
    first = last = -1  # the run's lines that mention the image
    edits: list = []  # (start, end, new) of the lines before this one
    warnings: list[str] = []
    count = 0
    mine: list = []  # this line's, kept at its end
    said: list[str] = []
    marked = unsure = False
    for t in parts_re.finditer(body, p, m.end()):
        x = t.start()
        c = body[x]
        if c == "#":
            continue
        if c == "\n" or c == "\r":
            if k < n and marks[k] <= x:
                break  # (a mention not in a literal read: libcst's)
            if unsure and (
                "\n" in body[line:x]
                or "\r" in body[line:x]
                or len(body[line:x].encode("utf-8", "surrogatepass")) >= SHALLOW
            ):
                break  # (measured by _collect: too deep, it is skipped)
            if marked:
                if first == -1:
                    first = line
                last = t.end()
                edits.extend(mine)
                warnings.extend(said)
                count += len(mine)
                mine, said = [], []
                marked = unsure = False
            line = t.end()
            continue
        lits = t.group("lits")
        x, y = t.span("lits") if lits is not None else t.span("in")
        if lits is None:
            lits = t.group("in")
        if k < n and marks[k] < x:
            break  # (a mention before this literal, not in one read: libcst's)
        summed = t.group("op") == "+" or t.group("plus") is not None
        key = (lits, summed)
        got = memo.get(key, memo)
        if got is memo:
            got = memo[key] = _run_literals(lits, summed)
        if got is None:
            break
        if not got[0]:
            continue  # (a mention inside stays uncovered: libcst's)
        if k >= n or marks[k] >= y:
            break  # (python_mention_starts does not see it: no statement of _collect's)
        while k < n and marks[k] < y:
            k += 1
        marked = True
        if got[1] is not None:
            mine.append((x, y, got[1]))
        said.extend(got[2])
        unsure = unsure or not got[3]
    if line == p:
        return None
    if first == -1:
        return line, None, None, [], 0
    out, at = [], first
    for x, y, new in edits:
        out.append(body[at:x])
        out.append(new)
        at = y
    out.append(body[at:last])
    return line, (first, last), "".join(out) if edits else None, warnings, count


def rewrite_python_bounded(source: str, path: str, embedded=None) -> tuple[str, list[str], int]:
    """``python_codemod.rewrite_python`` for `aishell migrate`, bounded. A file that never mentions the image
    costs a substring search. One that does is parsed by CPython (fast, iterative depth
    check: refused with one line when it nests deeper than libcst can take), and libcst
    sees only its top-level statements that mention the image, one at a time: libcst needs
    about 40 s for a 1 MB module. Every failure is an InputError naming the file."""
    from aishell.model import paused_gc

    if not python_mentions(source):
        return source, [], 0
    if FSTRING_BOUND and (refusal := fstring_refusal(source)) is not None:
        raise InputError(path, refusal)
    with paused_gc():  # the trees hold no cycles; full collections walked every node (see fixer.fix_text)
        return _rewrite_bounded(source, path, embedded)


# Characters of one statement libcst is trusted with: its tree costs about 1.7 KB a character
# and 30 us (a 600 KB list literal: 18 s, 1 GB; 10 MB would be 17 GB: the run killed, every
# other file lost). A larger statement that needs libcst is refused with one line.
MAX_LIBCST_CHARS = 262_144


def _rewrite_bounded(source: str, path: str, embedded, ranges: list | None = None) -> tuple[str, list[str], int]:
    """``ranges``: the statements to rewrite, when libcst found them (_newer_python); else CPython finds them."""
    from aishell.migrate.apply import apply_edits

    bom = "\ufeff" if source.startswith("\ufeff") else ""
    body = source[len(bom) :]
    plain: dict[int, list] = {}
    skipped: list = []
    if ranges is None:
        try:
            ranges = _statement_ranges(body, path, plain, skipped)
        except NotCPython as refused:
            return _newer_python(source, path, embedded, refused)
    for a, b in ranges:
        if b - a > MAX_LIBCST_CHARS and a not in plain:
            line = body.count("\n", 0, a) + 1
            raise InputError(
                path,
                f"line {line}: a statement (with any sharing its lines) of {b - a:,} characters naming the image that only libcst can "
                f"rewrite (more than {MAX_LIBCST_CHARS:,}): too large to rewrite safely; nothing was written",
            )
    edits: list[Edit] = []
    count = 0
    # (where, warnings) of each range, put in the file's order at the end: the plain path's and
    # the skipped statements' came before all of libcst's.
    notes: list[tuple[int, list[str]]] = []
    for a, _, said in skipped:
        if said:  # (a literal that names it, a message or bytes: said; a comment is not)
            notes.append(
                (
                    a,
                    [
                        f"left a statement nested more than {MAX_DEPTH} levels deep that mentions {LEGACY} as it is"
                        " (none of its literals is the image)"
                    ],
                )
            )
    if plain:
        for a, (got, said, n) in plain.items():
            edits.extend(got)
            if said:
                notes.append((a, said))
            count += n
        ranges = [r for r in ranges if r[0] not in plain]
    # A libcst run over chunks apart gives their warnings as one list: it joins no chunks that a
    # range with warnings of its own stands between.
    stops = sorted(a for a, _ in notes)
    chunks = _chunks(body, ranges)
    if chunks:  # (libcst is loaded only for a statement that needs it: 0.2 s)
        from aishell.migrate import python_codemod as codemod

        commands = (codemod.ReplaceLegacyImage(embedded), codemod.ReplaceLegacyImage(embedded))
    k = 0
    while k < len(chunks):
        m = k
        size = 0
        while (
            m < len(chunks)
            and size + chunks[m][1] - chunks[m][0] <= GROUP
            and _joinable(body, *chunks[m])
            and bisect_left(stops, chunks[m][0]) == bisect_left(stops, chunks[k][0])
        ):
            size += chunks[m][1] - chunks[m][0]
            m += 1
        if m - k > 1:
            got = _group(body, chunks[k:m], path, embedded, commands)
            if got is not None:
                edits.extend(got[0])
                notes.append((chunks[k][0], got[1]))
                count += got[2]
                k = m
                continue
        for a, b in chunks[k : max(m, k + 1)]:  # each alone: a failed group's, in order
            piece = body[a:b]
            try:
                new, w, n = codemod.rewrite_python(piece, path, embedded, commands)
            except SyntaxError as e:
                # CPython parsed this statement (_statement_ranges): libcst's parser did not.
                raise InputError(path, f"Python that libcst cannot read ({e}); nothing was written") from None
            except ValueError as e:
                raise InputError(path, str(e)) from None
            except (RecursionError, MemoryError) as e:
                raise InputError(path, f"too large to rewrite ({type(e).__name__}); nothing was written") from None
            notes.append((a, w))
            count += n
            if new != piece:
                edits.append(Edit(a, b, new))
        k = max(m, k + 1)
    notes.sort(key=lambda note: note[0])
    warnings = [w for _, ws in notes for w in ws]
    if not edits:
        return source, warnings, 0
    return bom + apply_edits(body, edits), warnings, count  # (it sorts them: plain literals' and libcst's)


# -- Python CPython refuses and libcst reads ---------------------------------------------------
# aishell runs on CPython 3.11, whose parser refuses Python 3.12's syntax (`type X = int`,
# `def f[T](x: T)`, `class C[T]:`, f-strings nesting their own quotes or holding a backslash or a
# comment in a placeholder); libcst reads it. Such a file gets its statements from libcst's tree
# (_libcst_ranges) and is rewritten as any other, statement by statement (python_codemod compares
# libcst's trees where CPython has none: _masked_dump). Without CPython's tree the depth cannot be
# measured before libcst's parser runs (MAX_DEPTH), and that parser crashes the interpreter on
# input nested deep enough: the whole of that work runs in a child process (_isolated), the file
# bounded by MAX_LIBCST_CHARS as one statement is. A file libcst refuses too keeps CPython's line.


# CPython's tokenizer refuses more than 200 nested brackets; libcst reads them, at a cost that grows
# with the square of the depth, then fails anyway (`f(` 1,000 times, 2 KB: 13 s and a RecursionError;
# 1,200: 28 s and a crash). A file CPython refused so is given to libcst only if its brackets nest
# at most MAX_DEPTH deep, as a statement CPython reads must (tests/test_migrate_robust.py).
_NESTED_TOO_DEEP = "too many nested parentheses"
# What bracket_depth reads: a comment, a string (any prefix, triple-quoted or not: its brackets
# are text), an opening or a closing bracket.
# (A triple literal ends at its first triple quote no backslash escapes, as the lazy body that
# was here found it; possessive, nothing is given back: one that never closed grew the engine's
# backtracking stack with its length.)
_BRACKET_TRIPLES = {"'": r"'{3}(?:[^'\\]|\\.|'(?!''))*+'{3}", '"': r'"{3}(?:[^"\\]|\\.|"(?!""))*+"{3}'}
_BRACKET_SINGLES = r"'(?:\\.|[^'\\\r\n])*+'" r'|"(?:\\.|[^"\\\r\n])*+"'


def _bracket_scan(dead: frozenset):
    """_BRACKET_SCAN without the triple-quoted literals of the quotes in ``dead`` (QuoteScanner)."""
    triples = "".join(p + "|" for q, p in _BRACKET_TRIPLES.items() if q not in dead)
    return re.compile(r"#[^\r\n]*|[A-Za-z]{0,3}(?:" + triples + _BRACKET_SINGLES + r")|([(\[{])|[)\]}]", re.S)


_BRACKET_SCAN = _bracket_scan(frozenset())
# (bracket_depth's scan, linear however many literals never close: aishell.images.QuoteScanner)
_BRACKETS = QuoteScanner(
    _bracket_scan, r"#|[A-Za-z]{0,3}['\"]|[()\[\]{}]", {"'": r"'(?:\\.|[^'\\\r\n])*+", '"': r'"(?:\\.|[^"\\\r\n])*+'}
)


def bracket_depth(body: str) -> int:
    """How deep the brackets of the Python source ``body`` nest, those in comments and strings
    not counted (an f-string's placeholders neither: a depth no deeper than the tokenizer's)."""
    depth = deepest = 0
    for m in _BRACKETS.finditer(body):
        c = m.group()
        if m.group(1) is not None:
            depth += 1
            if depth > deepest:
                deepest = depth
        elif c in ")]}":
            depth -= 1 if depth else 0
    return deepest


# -- f-strings CPython 3.11 parses in quadratic time -------------------------------------------
# CPython 3.11 parses an f-string's placeholders one at a time, each at a cost that grows with the
# literal's length: a literal of F placeholders and L characters costs about 2e-10 F*L seconds
# (40,000 placeholders in a 790 KB literal: 6.1 s; 5,000 in 2 MB: 1.9 s; 200,000 in 2 MB: minutes),
# and every parse here pays it (the batches, _accepts, ast.parse; libcst's too). Found by r69d's
# hunt (benchmarks/scale.py, "Python, f-string of many placeholders"): 1.2 s at 270 KB, 13 s at
# 1.1 MB. A file whose f-string literals hold more than FSTRING_WORK of it in total (F*L summed),
# and more than FSTRING_WORK_PER_CHAR a character of the file, is refused with one line before any
# parse (a linear scan; skipped when the file holds too few `{` to reach the bound): a file whose
# every f-string holds at most FSTRING_WORK_PER_CHAR placeholders never is, and at 10 MB the work
# allowed is about 2 s. FSTRING_BOUND = False parses whatever the f-strings hold
# (tests/test_scale_r69d_fstrings.py times the shape, and compares the answers below the bound
# with it on and off).
FSTRING_BOUND = True
FSTRING_WORK = 2_000_000_000  # (about 0.4 s)
FSTRING_WORK_PER_CHAR = 1_000


def _literal_scan(dead: frozenset):
    """A comment, or a string literal with its prefix (group 1), without the triple-quoted literals
    of the quotes in ``dead`` (QuoteScanner)."""
    triples = "".join(p + "|" for q, p in _BRACKET_TRIPLES.items() if q not in dead)
    return re.compile(r"#[^\r\n]*|([A-Za-z]{0,3})(?:" + triples + _BRACKET_SINGLES + ")", re.S)


_LITERALS = QuoteScanner(
    _literal_scan, r"#|[A-Za-z]{0,3}['\"]", {"'": r"'(?:\\.|[^'\\\r\n])*+", '"': r'"(?:\\.|[^"\\\r\n])*+'}
)
_FSTRING_PREFIXES = frozenset(("f", "rf", "fr"))


def fstring_refusal(body: str) -> str | None:
    """None, unless the f-string literals of ``body`` would cost CPython 3.11 more than the bound
    to parse (FSTRING_WORK): then the line that says where and why."""
    allowed = max(FSTRING_WORK, FSTRING_WORK_PER_CHAR * len(body))
    if body.count("{") * len(body) <= allowed:  # (each literal's F*L is at most that)
        return None
    work = 0
    for m in _LITERALS.finditer(body):
        prefix = m.group(1)
        if prefix is None or prefix.lower() not in _FSTRING_PREFIXES:
            continue
        lit = m.group()
        fields = lit.count("{") - 2 * lit.count("{{")
        if fields > 0:
            work += fields * len(lit)
            if work > allowed:
                return (
                    f"line {body.count(chr(10), 0, m.start()) + 1}: f-strings of too many placeholders (this one: "
                    f"{fields:,} in {len(lit):,} characters): CPython 3.11 parses an f-string in time that grows with "
                    "its placeholders times its length; nothing was written"
                )
    return None


def _newer_python(source: str, path: str, embedded, refused: InputError) -> tuple[str, list[str], int]:
    """``_rewrite_bounded``'s answer for ``source``, which CPython refused (``refused``, its line), read by
    libcst. CPython's line when libcst refuses it too; with what stopped libcst when libcst reads it
    but the rewrite fails (CPython refuses more than 200 nested brackets, libcst does not)."""
    import os

    if not hasattr(os, "fork"):
        raise refused
    if len(source) > MAX_LIBCST_CHARS:
        raise InputError(
            path,
            f"{refused.message}; libcst, which reads newer Python, is trusted with {MAX_LIBCST_CHARS:,} characters"
            f" at most, not {len(source):,}: nothing was written",
        )
    body = source[1:] if source.startswith("\ufeff") else source
    if _NESTED_TOO_DEEP in refused.message and bracket_depth(body) > MAX_DEPTH:
        raise InputError(
            path,
            f"{refused.message}; brackets nested more than {MAX_DEPTH} levels deep: too deep to rewrite safely;"
            " nothing was written",
        )
    from aishell.migrate import python_codemod  # noqa: F401  (imported once, not in each child: 0.2 s)

    def work():
        ranges = _libcst_ranges(body)
        if ranges is None:
            raise refused
        return _rewrite_bounded(source, path, embedded, ranges)

    try:
        return _isolated(work)
    except InputError as e:
        if e.message == refused.message:
            raise
        why = e.message.removesuffix("; nothing was written")
    except ChildProcessError as e:
        why = f"libcst crashed ({e})"
    except Exception as e:  # (RecursionError, MemoryError: not caught where the codemod runs)
        why = type(e).__name__
    raise InputError(path, f"{refused.message}; as libcst reads it (newer Python): {why}; nothing was written")


def _libcst_ranges(body: str) -> list[list[int]] | None:
    """The ranges _statement_ranges gives, from libcst's tree: each top-level statement that
    mentions the image, from its first line (a decorator's) to the end of its last. None when
    libcst refuses the file too."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from aishell.migrate.python_codemod import _without_form_feeds

    try:
        wrapper = MetadataWrapper(cst.parse_module(_without_form_feeds(body)[0]), unsafe_skip_copy=True)
    except BaseException as e:
        if not isinstance(e, Exception) and type(e).__name__ != "PanicException":
            raise
        return None  # (libcst's native parser reports a bug of its own as pyo3's PanicException)
    where = wrapper.resolve(PositionProvider)
    lines = _offsets(body)
    marks = python_mention_starts(body)
    ranges: list[list[int]] = []
    for node in wrapper.module.body:
        first = min([where[node].start.line] + [where[d].start.line for d in getattr(node, "decorators", ())])
        last = where[node].end.line
        a, b = lines[first - 1], lines[last] if last < len(lines) else len(body)
        if ranges and a < ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], b)
        elif _marked(marks, a, b) or LEGACY in UNQUOTED.sub("", body[a:b]):
            ranges.append([a, b])  # (UNQUOTED: `f"{"aishell:" "base"}"`, which python_mention_starts does not read)
    return ranges


def _isolated(work):
    """``work()`` run in a forked child process, its answer (or what it raised) sent back pickled:
    a child that dies (libcst's parser on input nested too deep: SIGSEGV) raises ChildProcessError,
    not the end of the run. The child writes no core file nor faulthandler's traceback, and leaves
    with os._exit (nothing of the parent's is flushed or cleaned up twice)."""
    import os
    import pickle
    import signal

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # (the child)
        try:
            import faulthandler
            import resource

            os.close(read)
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            faulthandler.disable()  # (a crash here is an answer, said by the parent: no traceback)
            try:
                answer = ("ok", work())
            except InputError as e:  # (its own arguments are not those pickle gives back)
                answer = ("input", (e.path, e.message))
            except BaseException as e:
                answer = ("raise", e)
            try:
                data = pickle.dumps(answer)
            except Exception:
                data = pickle.dumps(("raise", RuntimeError(f"{type(answer[1]).__name__}: {answer[1]}")))
            with os.fdopen(write, "wb") as out:
                out.write(data)
        finally:
            os._exit(0)
    os.close(write)
    try:
        with os.fdopen(read, "rb") as got:
            data = got.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if not data:
        raise ChildProcessError(
            signal.Signals(os.WTERMSIG(status)).name if os.WIFSIGNALED(status) else "it gave no answer"
        )
    kind, answer = pickle.loads(data)
    if kind == "input":
        raise InputError(*answer)
    if kind == "raise":
        raise answer
    return answer


def _joinable(body: str, a: int, b: int) -> bool:
    """Whether a chunk may be rewritten joined to others and give what it gives alone: it ends
    its last line, holds no form feed or CR (their columns are shifted, their lines split
    differently), and its first statement is no expression of a literal (alone, the codemod
    takes a string there for the module's docstring and leaves it; joined after another chunk,
    it would not). Every other decision of the codemod is about one statement."""
    piece = body[a:b]
    if not piece.endswith("\n") or "\f" in piece or "\r" in piece:
        return False
    try:
        first = ast.parse(piece).body[0]
    except (SyntaxError, ValueError, RecursionError, MemoryError, IndexError):
        return False
    return not (isinstance(first, ast.Expr) and isinstance(first.value, (ast.Constant, ast.JoinedStr)))


def _group(body: str, group: list[tuple[int, int]], path: str, embedded, commands):
    """(edits of ``body``, warnings, count) of the chunks ``group`` rewritten in one libcst run,
    as each gives alone: an edit per chunk that changes (the chunk rewritten), the warnings in
    the file's order. None when the joined run does not succeed whole."""
    from aishell.migrate.apply import apply_edits

    from aishell.migrate import python_codemod as codemod

    pieces = [body[a:b] for a, b in group]
    got = codemod._rewrite_together("".join(pieces), path, embedded, commands)
    if got is None:
        return None
    joined_edits, warnings, count = got
    at = [0]
    for piece in pieces[:-1]:
        at.append(at[-1] + len(piece))
    local: dict[int, list] = {}
    for e in joined_edits:
        i = bisect_right(at, e.start) - 1
        if e.end > at[i] + len(pieces[i]):
            return None  # (a literal is inside one statement: never)
        local.setdefault(i, []).append(Edit(e.start - at[i], e.end - at[i], e.replacement))
    edits = []
    for i, es in sorted(local.items()):
        new = apply_edits(pieces[i], es)
        if new != pieces[i]:
            edits.append(Edit(group[i][0], group[i][1], new))
    return edits, warnings, count


# -- Pieces whose literals are placed by their neighbours: decided from the text, no tree ----------
# A piece (_split's: whole statements, at most JOIN characters) naming the image on every line in
# statements of any shape (`X = "aishell:base" "" if f("aishell:" "base") else g(1)`) needs no
# tree either, when each mention is in a run of plain literals (_run_literals reads them, as for
# _plain_run) whose place in CPython's tree its neighbours on its line tell: _context. CPython
# only checks that the piece parses (_accepts, without building the tree, about half the cost of
# building it). Anything else (an operator before it, a statement of its own, a line end inside
# brackets, a literal libcst decides...) leaves the piece to the tree.
# tests/test_migrate_python_text.py holds it to the tree's answer and to libcst's.
_LITS_RE = re.compile(_LITS)
# Before a literal: an opening bracket, a comma, any `=` (an assignment, an argument, a default, a
# comparison, `:=`), or one of these words; each binds more loosely than `+`.
_OPENERS = frozenset("([{,=")
_WORDS_BEFORE = frozenset({"return", "yield", "in", "not", "and", "or", "if", "else", "elif", "while", "is", "assert"})
# After it: a closing bracket, a comma, a colon, `;`, a comparison or one of these words (the
# literal is a whole operand of the node they make); a trailer (`.`, `[`, `(`: the literal is that
# node's value); `+` (a side of it); another binary operator (a side of it: the codemod reads only
# `+`, and CPython's tree leaves these to libcst, whose answer is the literal's alone); the line's
# end when no bracket is open.
_CLOSERS = frozenset(")]},:;")
_WORDS_AFTER = frozenset({"if", "else", "for", "and", "or", "in", "not", "is"})
_WORD_TAIL = re.compile(r"[A-Za-z0-9_]{1,7}\Z")
_WORD_HEAD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,6}(?![A-Za-z0-9_\x80-\U0010ffff])")
_SOFT_KEYWORDS = frozenset({"match", "case", "type", "_"})


def _word_before(body: str, lo: int, i: int) -> str | None:
    """The name or keyword ending at ``body[i]`` (from ``lo`` on), when it is short and ASCII."""
    m = _WORD_TAIL.search(body, max(lo, i - 8), i)
    if m is None or m.start() == max(lo, i - 8) and m.start() > lo:
        return None  # (longer than any word read here, or its start not seen)
    c = body[m.start() - 1] if m.start() > lo else "\n"
    if c.isalnum() or c == "_" or not c.isascii() or m.group()[0].isdigit():
        return None
    return m.group()


def _context(body: str, lo: int, x: int, y: int, level: int, after: int) -> int | None:
    """Where CPython's tree has the run of literals ``body[x:y]`` (one Constant or JoinedStr, in
    the piece starting at ``lo``, ``level`` brackets open before it, the token before it ending at
    ``after``), read from the code next to it: 0 where the codemod decides it alone, 1 as a side of
    a `+`, None when its neighbours do not say (an operator before it, a statement of its own, a
    line end inside brackets...)."""
    first = True
    while True:
        i = x
        while i > lo and body[i - 1] in " \t":
            i -= 1
        j = y
        while j < len(body) and body[j] in " \t":
            j += 1
        d = body[j] if j < len(body) else "\n"
        if d in ".[(":
            return 0  # (the value of an attribute, a subscript or a call, whatever stands before)
        c = body[i - 1] if i > lo else "\n"
        if c in "\r\n" and first and level > 0 and i > lo:
            # The first on its line, inside brackets: what stands before is the code last written
            # (the line before ending in a comment or a literal: not read here).
            while i > after and body[i - 1] in " \t\r\n\\":
                i -= 1
            c = body[i - 1] if i > after else "\n"
        if c == "(":
            k = i - 1
            while k > lo and body[k - 1] in " \t":
                k -= 1
            e = body[k - 1] if k > lo else "\n"
            word = _word_before(body, lo, k) if e.isalnum() or e == "_" else None
            call = e in ")]}\"'" or (word is not None and word not in _KEYWORDS and word not in _SOFT_KEYWORDS)
            if not call and d == ")":
                x, y, level, first = i - 1, j + 1, level - 1, False  # (in brackets of its own: theirs say)
                continue
        elif c == ":":
            if level <= 0:
                return None  # (an annotation, a lambda's body or a block's statement: not read)
        elif c not in _OPENERS and (not (c.isalnum() or c == "_") or _word_before(body, lo, i) not in _WORDS_BEFORE):
            return None
        if d in _CLOSERS:
            return 0
        if d == "+":
            return 1 if body[j + 1 : j + 2] != "=" else None
        if d in "=!<>-*/%@&|^":
            return 0  # (a comparison, or a side of an operator the codemod does not read: not `+`)
        if d.isalpha() or d == "_":
            m = _WORD_HEAD.match(body, j)
            return 0 if m is not None and m.group() in _WORDS_AFTER else None
        return 0 if d in "\r\n#" and level == 0 else None  # (the statement's end: no bracket is open)


def _plain_text(body: str, p: int, stop: int, marks: list[int], memo: dict):
    """_plain_run's answer for the piece ``body[p:stop]`` (whole statements: _split's) when each
    mention in it is in a run of plain literals (_run_literals) that _context places; None when
    one is not, or CPython does not accept the piece (the tree then decides it, or says why).
    Its tokens are read once, left to right, the brackets open counted between them."""
    if (not PLAIN_CR and body.find("\r", p, stop) != -1) or body.find("\f", p, stop) != -1:
        return None  # (a form feed's columns are libcst's: _collect's `fast`; a CR's with PLAIN_CR off)
    n = len(marks)
    k = bisect_left(marks, p)
    level, after = 0, p  # brackets open where the last token ended, and where that is
    line = (p, 0)  # the last line start read between tokens, and the brackets open there
    ends: list[int] = []  # line ends that must end their statement (no bracket open, no `\`): one_line's
    edits: list = []
    warnings: list[str] = []
    for m in PY_TOKENS.finditer(body, p, stop):
        x, y = m.span()
        while ends and ends[0] < x:  # (a line end in the code before this token)
            e = ends.pop(0)
            if e < after or body[e - 1] == "\\" or level + _net_brackets(body, after, e) != 0:
                return None
        nl = _last_line_end(body, after, x)
        if nl != -1:
            line = (nl + 1, level + _net_brackets(body, after, nl + 1))
        level += _net_brackets(body, after, x)
        after_before, after = after, y
        if k < n and marks[k] < x:
            return None  # (a mention outside any literal: `lambda aishell:base`)
        if k >= n or marks[k] >= y:
            if m.group("more") is not None or body.find("\\", x, y) != -1:
                # A join, or an escape, that may name the image where no mention was found: with
                # images.RUN_LINES off, python_mention_starts read its run on over lines
                # (`'aishell:' 'base'`, then a line on, `"""aishell:base"""`) and gave it none (with
                # it on, every such join has its own: this is then a check). The tree reads it
                # when a mention shares its statement's lines (`X = 'aishell:base'; Y = 'aishell:'
                # 'base'`): it decides.
                key = (body[x:y], None)
                named = memo.get(key)
                if named is None:
                    named = memo[key] = bool(python_mention_starts(key[0]))
                if named:
                    return None
            continue
        while k < n and marks[k] < y:
            k += 1
        if _LITS_RE.fullmatch(body, x, y) is None:
            return None  # (a comment, an escape, triple quotes, a line end between parts...)
        where = _context(body, p, x, y, level, after_before)
        if where is None:
            return None
        lits = body[x:y]
        key = (lits, where == 1)
        got = memo.get(key, memo)
        if got is memo:
            got = memo[key] = _run_literals(lits, where == 1)
        if got is None or not got[0]:
            return None  # (not plain; or a mention the tree's constants do not hold)
        if not got[3]:
            # Its statement is measured unless it is a line of its own shorter than SHALLOW (_collect).
            # (Its ends looked for no further: a line of many literals is not read again for each.)
            e = _first_line_end(body, y, min(stop, y + SHALLOW))
            if e == -1:
                if stop - y > SHALLOW:
                    return None
                e = stop
            a = _last_line_end(body, max(p, x - SHALLOW), x) + 1
            if a == 0:
                if x - p > SHALLOW:
                    return None
                a = p
            if body[a] in " \t" or len(body[a:e].encode("utf-8", "surrogatepass")) >= SHALLOW:
                return None
            if a > p and (line != (a, 0) or body[a - 3 if body[a - 2 : a] == "\r\n" else a - 2] == "\\"):
                return None  # (not a statement's start: a bracket open, a `\`, a literal's line)
            if not ends or ends[-1] != e:
                ends.append(e)
        if got[1] is not None:
            edits.append((x, y, got[1]))
        warnings.extend(got[2])
    for e in ends:
        if e < after or body[e - 1] == "\\" or level + _net_brackets(body, after, e) != 0:
            return None
    if (k < n and marks[k] < stop) or not _accepts(body[p:stop]):
        return None
    if not edits:
        return stop, (p, stop), None, warnings, 0
    out, at = [], p
    for x, y, new in edits:
        out.append(body[at:x])
        out.append(new)
        at = y
    out.append(body[at:stop])
    return stop, (p, stop), "".join(out), warnings, len(edits)


def _first_line_end(body: str, a: int, b: int) -> int:
    """Where the first line end in ``body[a:b]`` starts (LF, CRLF or a lone CR), or -1."""
    e = body.find("\n", a, b)
    r = body.find("\r", a, b if e == -1 else e)
    return e if r == -1 else r


def _last_line_end(body: str, a: int, b: int) -> int:
    """Where the last line end in ``body[a:b]`` ends, less one (its LF, or a lone CR), or -1."""
    e = body.rfind("\n", a, b)
    return max(e, body.rfind("\r", a if e == -1 else e + 1, b))


def _net_brackets(body: str, a: int, b: int) -> int:
    """Brackets opened less those closed in the code ``body[a:b]``."""
    return (
        body.count("(", a, b)
        + body.count("[", a, b)
        + body.count("{", a, b)
        - body.count(")", a, b)
        - body.count("]", a, b)
        - body.count("}", a, b)
    )
