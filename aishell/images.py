"""The image names aishell migrates between, shared by the lint rule and the Python codemod."""

import re
import warnings

from aishell.labels import FOUNDATION

LEGACY = "aishell:base"
__all__ = ["FOUNDATION", "LEGACY", "LEGACY_RE"]  # FOUNDATION: the tag aishell builds (aishell.labels)
# The exact image: not aishell:base-custom, aishell:baseline, my-aishell:base or other/aishell:base;
# `${BASE:-aishell:base}` still counts, and so do the spellings Docker normalises to the same
# local image: docker.io/library/aishell:base, library/aishell:base (index.docker.io too). Docker
# normalises only those two hosts to its Hub names (distribution/reference normalize.go,
# splitDockerDomain): registry-1.docker.io/library/aishell:base names an image of that registry.
LEGACY_RE = re.compile(
    r"(?<![\w./])(?<![^:]-)(?:(?:docker\.io|index\.docker\.io)/)?(?:library/)?"
    r"aishell:base(?:@sha256:[0-9a-fA-F]+)?(?![\w.:@-])"
)


# Python's string literals, comments and the runs of literals an implicit concatenation joins,
# as its tokenizer reads them: a prefix, then one of the four quotes; a backslash escapes the
# next character (in a raw literal too). Scanned left to right, a match starts where a token
# does, never inside a literal or a comment; each literal's body is unrolled ([^q\\]* between
# escapes), so a run costs its length, and a comment ends before its line break (a shorter one
# is never tried). An unterminated literal (not Python) matches nothing.
# (Possessive: a literal reads one way only, so nothing is given back; one that never closed
# grew the engine's backtracking stack with its length, 237 MB for 2 MB.)
_PY_TRIPLES = {
    "'": r"'''[^'\\]*+(?:(?:\\.|'(?!''))[^'\\]*+)*+'''",
    '"': r'"""[^"\\]*+(?:(?:\\.|"(?!""))[^"\\]*+)*+"""',
}
_PY_SINGLES = (
    r"'(?!'')[^'\\\r\n]*+(?:\\(?:\r\n|.)[^'\\\r\n]*+)*+'",
    r'"(?!"")[^"\\\r\n]*+(?:\\(?:\r\n|.)[^"\\\r\n]*+)*+"',
)
_PY_BODY = "|".join((*_PY_TRIPLES.values(), *_PY_SINGLES))
_PY_SEP = r"(?:[ \t\f\r\n]|\\(?:\r\n|\r|\n)|#[^\r\n]*(?![^\r\n]))"
_PY_PART = re.compile(r"[rRbBuUfF]{0,2}(?P<body>" + _PY_BODY + ")", re.S)
# The items of a run of _PY_TOKENS, left to right: a comment (its quotes are no literal's:
# `('aishell:'  # 'x'` then `'base')` joins to the image), a line continuation, a line end
# (``end``), a literal (``body``); blanks between are skipped.
_RUN_ITEM = re.compile(r"#[^\r\n]*|\\(?:\r\n|\r|\n)|(?P<end>\r\n|\r|\n)|" + _PY_PART.pattern, re.S)


def _run_parts(run: str):
    """The literals of ``run`` (a run of _PY_TOKENS that is no comment), as _PY_PART matches,
    without what its comments hold."""
    if "#" not in run:
        return _PY_PART.finditer(run)  # (most runs: a third quicker)
    return (m for m in _RUN_ITEM.finditer(run) if m.group("body") is not None)


def _py_tokens_without(dead: frozenset):
    """_PY_TOKENS without the triple-quoted literals of the quotes in ``dead`` (QuoteScanner)."""
    body = "|".join((*(p for q, p in _PY_TRIPLES.items() if q not in dead), *_PY_SINGLES))
    part = r"[rRbBuUfF]{0,2}(?:" + body + ")"
    return re.compile(r"#[^\r\n]*|" + part + "(?P<more>(?:" + _PY_SEP + "*" + part + ")+)?", re.S)


_PY_TOKENS = _py_tokens_without(frozenset())


class QuoteScanner:
    """``pattern.finditer`` for a pattern of Python tokens (string literals after an optional
    prefix of letters, comments, and whatever else it matches), in time linear in the text
    however many of its literals never close (issue 18, a red team's: `migrate` on an 80 KB file
    of escaped triple quotes after one that never closes took 20 s, each later quote tried to
    the end of the file).

    finditer tries every position; this tries a match only where a token may start (``starts``,
    which finds each such place: a match there is then what finditer's is), and none where a
    literal surely does not close. Backslashes pair up the same way from any start before them,
    so: when a triple-quoted literal opened at q never closes, none of that quote opened after q
    does (from then on the pattern is ``build(dead)``'s, without that alternative: also where a
    literal would join the one before it); when a one-line literal opened at q does not close,
    none of that quote opened before where its scan stopped (a line break, or the end) does.
    tests/test_python_scan.py compares the matches with finditer's on generated sources."""

    def __init__(self, build, starts: str, one_line: dict[str, str]) -> None:
        self.build = build  # a frozenset of quotes whose triple literals never close -> the pattern
        self.patterns = {frozenset(): build(frozenset())}
        self.starts = re.compile(starts)
        # Per quote, the pattern's one-line literal without its closing quote: where its scan
        # stops when the literal does not close (a line break, or the end).
        self.one_line = {q: re.compile(p, re.S) for q, p in one_line.items()}

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        if endpos is None or endpos > len(text):
            endpos = len(text)
        pattern = self.patterns[frozenset()]
        if text.find("'", pos, endpos) < 0 and text.find('"', pos, endpos) < 0:
            # (No literal: nothing fails long. Only the part scanned is searched: the fields of
            # 200,000 f-strings are each scanned on their own in a 10 MB text.)
            yield from pattern.finditer(text, pos, endpos)
            return
        search, match = self.starts.search, pattern.match
        dead: frozenset = frozenset()
        until = {"'": -1, '"': -1}  # a one-line literal of that quote opened before it never closes
        while pos <= endpos:
            c = search(text, pos, endpos)
            if c is None:
                return
            at, q = c.start(), c.end() - 1
            quote = text[q]
            literal = quote == "'" or quote == '"'
            if literal:
                triple = text.startswith(quote * 3, q, endpos)
                if not triple and q < until[quote]:
                    pos = at + 1
                    continue
            m = match(text, at, endpos)
            if m is not None:
                yield m
            # (At a triple quote, a match shorter than a triple literal is the empty one-line
            # literal its first two quotes make, bracket_depth's: the triple literal failed.)
            if literal and (m is None or (triple and m.end() < q + 6)):
                if triple and quote not in dead:
                    dead = dead | {quote}
                    if dead not in self.patterns:
                        self.patterns[dead] = self.build(dead)
                    match = self.patterns[dead].match
                elif not triple:
                    stop = self.one_line[quote].match(text, q, endpos)
                    until[quote] = stop.end() if stop is not None else q + 1
            pos = m.end() if m is not None and m.end() > at else at + 1


PY_TOKENS = QuoteScanner(
    _py_tokens_without,
    r"#|[rRbBuUfF]{0,2}['\"]",
    {q: p[: p.rindex(q)] for q, p in zip("'\"", _PY_SINGLES)},  # (each without its closing quote)
)


def python_mention_starts(source: str) -> list[int]:
    """Where a Python source may name the legacy image (sorted offsets): each occurrence of its
    name in the text, and the start of each implicit concatenation whose parts' texts, joined,
    name it where no part does (`"aishell:" "base"`, `f"aishell:" r'base'`, `"aishell:" "" "base"`),
    in an f-string's replacement fields too (`f"{'aishell:' 'base'}"`, in a format spec, nested).
    A run over line ends is read as one join and as the statements its line ends end outside
    brackets (RUN_LINES): each reading's joins that name it are mentions."""
    found = []
    at = source.find(LEGACY)
    while at != -1:
        found.append(at)
        at = source.find(LEGACY, at + 1)
    if ":" in source or "\\" in source:  # (the name's colon is in some part, or an escape spells it)
        todo = [(0, len(source))]  # (the source, then each replacement field's code read as Python)
        # Per run's text: its replacement fields (offsets in it) and whether its parts join to the
        # name where none names it. Both depend on the text alone, and a file repeats its
        # spellings: a file of 10 MB of f-string joins read each of its 330,000 runs twice.
        memo: dict[str, tuple[list[tuple[int, int]], bool]] = {}
        while todo:
            for m in PY_TOKENS.finditer(source, *todo.pop()):
                run = m.group()
                got = memo.get(run)
                if got is None:
                    if run[0] == "#":
                        got = ([], [])  # (a comment: found by the search above, if anywhere)
                    else:
                        fields = _fields(run)
                        more = m.group("more") is not None
                        if more and RUN_LINES:
                            named = _joins_naming(run, fields)
                        else:
                            named = [0] if _names(run, fields, more) else []
                        got = (fields, named)
                    memo[run] = got
                if got[0]:
                    at = m.start()
                    todo.extend((at + a, at + b) for a, b in got[0])
                for a in got[1]:
                    found.append(m.start() + a)
    return sorted(set(found))


# Read a run of literals over a line end both ways (python_mention_starts): as one join, and as
# the statements its line ends end. The scan cannot see brackets: the run `'aishell:' 'base'`, a
# line end, `"""aishell:base"""` is one join in brackets, two statements outside them, and read
# as a join only, the first statement, which names the image, had no mention (its join is found
# where the text does not hold the name, and this text held it, a line on): migrate left it as
# it was, without a word, with libcst too (issue 18, r70b's). Still one pass: each literal's value
# is read once, each line's piece joined once more (python_mention_starts on 3.2 MB of lines of
# `'aishell:x' "y"`: 0.34 s before, 0.58 s; 5 MB of such lines with a comment, in brackets:
# 0.55 s, 0.84 s; 4.4 MB of assignments, whose runs end at their line: 0.28 s, 0.30 s; 2 cores
# shared, nice 19). tests/test_mention_runs.py
# holds migrate's rewrites to CPython's values on files of runs split every way; off, each of its
# tests fails.
RUN_LINES = True


def _fields(run: str) -> list[tuple[int, int]]:
    """_replacement_fields of ``run`` where its f-strings may have any (a brace, a quote inside)."""
    return _replacement_fields(run) if "{" in run and ("'" in run[1:-1] or '"' in run[1:-1]) else []


def _names(run: str, fields: list[tuple[int, int]], more: bool, joined: str | None = None) -> bool:
    """Whether the literals of ``run`` (more than one when ``more``), joined, name the image where
    its text does not (there, the search for the name finds it): their values (escapes read;
    ``joined`` when known), or their texts with each replacement field of constants (``fields``)
    written as its value."""
    if LEGACY in run:
        return False
    if (more or "\\" in run) and LEGACY in (_joined_texts(run) if joined is None else joined):
        return True
    return bool(fields) and LEGACY in (_built_texts(run, fields) or "")


def _joins_naming(run: str, fields: list[tuple[int, int]]) -> list[int]:
    """The offsets in ``run`` (a run of _PY_TOKENS, several literals; ``fields``, its replacement
    fields) of its joins that name the image (_names), read both ways: the run as one join (in
    brackets), and, when line ends lie between its literals, each line's piece as one (outside
    brackets, where a line end not after a backslash ends a statement: `X = 'aishell:' 'base'`,
    then `'x'` a line on, is two). One pass over the run's items, each literal's value read once."""
    texts: list[str] = []  # each literal's value
    pieces = []  # (start, end, literals, its first value's index) of each line's piece
    start, end, parts = -1, -1, 0
    for t in _RUN_ITEM.finditer(run):
        if t.group("end") is not None:
            if parts:
                pieces.append((start, end, parts, len(texts) - parts))
            parts = 0
        elif t.group("body") is not None:
            if not parts:
                start = t.start()
            end, parts = t.end(), parts + 1
            texts.append(_part_text(t))
    named = [0] if _names(run, fields, True, "".join(texts)) else []
    if not pieces:  # (no line end between literals: the run is the join it is)
        return named
    pieces.append((start, end, parts, len(texts) - parts))  # (a run ends with a literal)
    for a, b, n, i in pieces:
        if n == 1 and _ONE_MAY_NAME.search(run, a, b) is None:
            continue  # (one literal: the search for the name finds it, if it holds it)
        piece = run[a:b]
        if _names(piece, _fields(piece), n > 1, "".join(texts[i : i + n])) and a not in named:
            named.append(a)
    return named


# What one literal needs to name the image where its text does not: an escape, a replacement field.
_ONE_MAY_NAME = re.compile(r"[\\{]")


def _replacement_fields(run: str) -> list[tuple[int, int]]:
    """(start, end) in ``run`` (a run of _PY_TOKENS) of the code between the outer braces of each
    replacement field of its f-strings (braces counted, `{{` and `}}` outside a field skipped, a
    string inside a field skipped whole: its braces are its own, `f"{'}' + ('aishell:' 'base')}"`)."""
    out = []
    for p in _run_parts(run):
        if "f" not in run[p.start() : p.start("body")].lower():
            continue
        depth, start, at, stop = 0, 0, p.start("body"), p.end("body")
        while True:
            b = (_IN_FIELD if depth else _BRACE).search(run, at, stop)
            if b is None:
                break
            k, at = b.start(), b.end()
            brace = run[k]
            if depth == 0:
                if run.startswith(brace, k + 1):
                    at = k + 2  # (`{{` or `}}`: a brace of the text)
                elif brace == "{":
                    depth, start = 1, k + 1
            elif brace == "{":
                depth += 1
            elif brace == "}":
                depth -= 1
                if depth == 0:
                    out.append((start, k))
    return out


_BRACE = re.compile(r"[{}]")
# In a replacement field: a brace, or a string (no backslash: Python 3.11 allows none in a field).
_IN_FIELD = re.compile(r"""[{}]|'''.*?'''|\"\"\".*?\"\"\"|'[^'\r\n]*'|"[^"\r\n]*\"""", re.S)


def python_literal_spans(source: str) -> list[tuple[int, int]]:
    """(start, end) of each string literal of the Python ``source`` (which starts between
    statements), in order: as its tokenizer reads them, with _PY_TOKENS."""
    spans = []
    for m in PY_TOKENS.finditer(source):
        if m.group()[0] == "#":
            continue
        if m.group("more") is None:
            spans.append(m.span())
            continue
        for p in _PY_PART.finditer(m.group()):  # (a comment between parts is one line: no line starts inside)
            spans.append((m.start() + p.start(), m.start() + p.end()))
    return spans


# A replacement field whose code is string literals alone (`{'base'}`, `{'ba' "se"!s}`): its
# value is theirs, known without running anything.
_CONSTANT_FIELD = re.compile(r"\s*((?:[rRuUfF]{0,2}(?:" + _PY_BODY + r")\s*)+)(?:!([sra])\s*)?(?::([^{}]*))?")


def _built_texts(run: str, fields: list[tuple[int, int]]) -> str | None:
    """The texts of the literals of ``run`` joined, each replacement field whose code is string
    literals alone written as their value (`f"aishell:{'base'}"`, `f"aishell:" f"{'base'}"`: the
    image, built from constants), every other character as written (escapes not read: a prefilter
    may say too much, libcst decides); None when no field is such."""
    values = {}
    for a, b in fields:
        m = _CONSTANT_FIELD.fullmatch(run, a, b)
        if m is not None:
            code = m.group(1)
            value = None
            if "{" in code:  # (a nested f-string: its own constant fields)
                inner = _replacement_fields(code)
                value = _built_texts(code, inner) if inner else None
            if value is None:
                value = _joined_texts(code)
            conversion, spec = m.group(2), m.group(3)
            if conversion:
                value = {"s": str, "r": repr, "a": ascii}[conversion](value)
            if spec and not re.search(r"[0-9]{4,}", spec):  # (a width of 1,000 or more: no name)
                try:
                    value = format(value, spec)
                except (ValueError, TypeError, OverflowError, MemoryError):
                    pass  # (Python refuses it when it runs: the text as it is, more said than less)
            values[a] = (b, value)
    if not values:
        return None
    texts = []
    for p in _run_parts(run):
        x, y = p.span("body")
        q = 3 if run[x : x + 3] in ("'''", '"""') and y - x >= 6 else 1
        at, stop = x + q, y - q
        for a in sorted(k for k in values if at <= k < stop):
            b, value = values[a]
            texts.append(run[at : a - 1])
            texts.append(value)
            at = b + 1
        texts.append(run[at:stop])
    return "".join(texts)


def _joined_texts(run: str) -> str:
    """The values of the literals of ``run`` joined (their line ends read as Python reads them,
    their escapes read unless raw; an f-string's braces as written)."""
    return "".join(map(_part_text, _run_parts(run)))


def _part_text(m) -> str:
    """The value of the literal ``m`` matches (_PY_PART's, or _RUN_ITEM's), as _joined_texts reads it."""
    body = m.group("body")
    q = 3 if body[:3] in ("'''", '"""') and len(body) >= 6 else 1
    text = body[q:-q]
    if "\r" in text:  # (Python reads CRLF and a lone CR as \n, a continuation `\\` CRLF too)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\\" in text and "r" not in m.group()[: m.start("body") - m.start()].lower():
        with warnings.catch_warnings():  # (`\\d`: a warning, as in Python, never printed)
            warnings.simplefilter("ignore")
            try:
                text = text.encode("latin-1", "backslashreplace").decode("unicode_escape")
            except UnicodeDecodeError:  # (an escape Python refuses: the file is no Python)
                pass
    return text


def python_mentions(source: str | bytes) -> bool:
    """Whether python_mention_starts finds anything. Bytes are read as any ASCII-compatible
    encoding (what a PEP 263 cookie may name) reads them."""
    if isinstance(source, bytes):
        source = source.decode("latin-1")
    return LEGACY in source or bool(python_mention_starts(source)) or SPREAD.search(source) is not None


# Quotes and blanks: a text that names the image once they are taken out may join literals to its
# name in a way python_mention_starts, which reads strings as CPython 3.11 tokenizes them, does
# not see (Python 3.12's f-strings may hold the quotes they are in: `f"{"aishell:" "base"}"`).
# Only a filter: the codemod decides what the literals are (python_refs parses such a file).
UNQUOTED = re.compile(r"""["'\s]+""")
SPREAD = re.compile("[\\s\"']*".join(map(re.escape, LEGACY)))  # (its name, UNQUOTED runs between: a search, no copy)
