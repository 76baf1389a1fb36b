"""A lossless Dockerfile model that follows BuildKit's parser.

Text goes in; a :class:`Dockerfile` comes out in which every instruction knows
its exact source span. Offsets are indices into the decoded text (a leading
BOM stays in the text as U+FEFF), so ``text[ins.start:ins.end]`` is the
instruction as written, and joining instructions with the text between them
gives back the input character for character.

The line structure mirrors BuildKit's ``parser.Parse``: parser directives
(``syntax``, ``escape``, ``check``, in any order) until the first other line;
comments and blank lines inside continuations are dropped; heredoc bodies are
read after the line that opens them; ``\\r`` before ``\\n`` is not part of a
line, but is kept in heredoc bodies as BuildKit keeps it.

dockerfile-parse cannot give spans and gets heredocs, BOMs, blank lines in
continuations, ``${V:-default}`` and directive order wrong (see docs/model.md),
so the line structure and variable expansion are ours; its
``extract_key_values`` splits ENV/LABEL ``key=value`` pairs (``key_values``),
where it follows Docker's quoting exactly.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from itertools import accumulate, chain, compress, count, islice, repeat
from operator import add, attrgetter, sub
from struct import pack
from typing import NamedTuple

# Go's regexp \s is ASCII only: [\t\n\f\r ] (a no-break space is part of a directive's value).
# BuildKit's directive regexp is `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`; read_directive
# reads its value without the lazy `(.+?)\s*$`, which Python's backtracking matcher tried at every
# character against every blank after it (a 64 KB line of blanks in the value: 13 s).
_DIRECTIVE_HEAD = re.compile(r"#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=")
_GO_S = "\t\n\f\r "


def read_directive(line: str) -> tuple[str, str] | None:
    """(name, value) of a directive line as BuildKit's regexp reads it, or None: the value is
    what follows `=` without the blanks around it, on one line (with nothing but blanks there,
    the last of them that is not a line break: the regexp's `.+?` needs one character)."""
    m = _DIRECTIVE_HEAD.match(line)
    if m is None:
        return None
    rest = line[m.end() :]
    value = rest.strip(_GO_S)
    if not value:
        value = rest.replace("\n", "")[-1:]
    elif "\n" in value:
        return None
    return (m.group(1), value) if value else None


KNOWN_DIRECTIVES = ("syntax", "escape", "check")
HEREDOC_RE = re.compile(r"(?a)^([0-9]*)<<(-?)([^<]*)\Z")  # Go's regexp: ASCII digits only
HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD"})
JSON_KEYWORDS = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"})
WHITESPACE = " \t\v\f\r"
# Go's unicode.IsSpace, which BuildKit uses to trim lines and split ENV/LABEL words. Python's
# str.isspace also counts \x1c-\x1f, which BuildKit keeps as ordinary characters.
GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
# BuildKit's scanner refuses a physical line longer than this many bytes (without its '\n').
MAX_LINE_BYTES = 65535


class DockerfileSyntaxError(ValueError):
    """The input is something BuildKit's parser would reject."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class Directive(NamedTuple):
    name: str
    value: str
    line: int


class Word(NamedTuple):
    """A word of an instruction's arguments: its text as written and its span."""

    text: str
    start: int
    end: int

    @property
    def unquoted(self) -> str:
        return unquote(self.text)


class _BacktickWord(Word):
    """A word of a `# escape=`` file: the backtick escapes, a backslash is a character."""

    __slots__ = ()

    @property
    def unquoted(self) -> str:
        return unquote(self.text, escape="`")


class Flag(NamedTuple):
    name: str  # without the leading dashes, as BuildKit unquotes the word (`--"from"`)
    value: str | None  # as written (None without `=`)
    start: int  # span of the whole ``--name=value`` word
    end: int
    value_start: int | None = None  # span of the value alone
    # The value as BuildKit reads the word (quotes removed, escapes taken; None without `=`).
    unquoted: str | None = None


class Heredoc:
    __slots__ = ("name", "content", "chomp", "expand", "shell_expands", "fd", "line_offsets", "terminator_line")

    def __init__(self, name: str, content: str, chomp: bool, expand: bool, fd: int):
        self.name = name
        self.content = content
        self.chomp = chomp  # `<<-`: leading tabs of the terminator line are ignored
        self.expand = expand  # unquoted delimiter: variables in the body expand
        # The shell's reading (a RUN's body given to it): a backslash quotes the delimiter too
        # (`<<\EOF`), where BuildKit's, for COPY, sees only quotes.
        self.shell_expands = expand
        self.fd = fd
        self.line_offsets: list[int] = []  # source offset of each body line
        self.terminator_line = 0

    def __repr__(self) -> str:
        return f"Heredoc({self.name!r}, {self.content!r})"


class Instruction:
    """One instruction. A one-line instruction of the commonest shape (the parse's fast path) is
    an Instruction with the slots below; what _make_instruction builds is a _FullInstruction,
    which also has slots for what the fast path's never hold (their class defaults here: no
    offsets, flags, heredocs, JSON form or carried instruction). Five slots fewer made the fast
    path's instructions a third smaller in memory than one layout for all."""

    __slots__ = (
        "keyword",  # upper-cased, as BuildKit dispatches it
        "raw_keyword",  # as written
        "start",  # offset of the keyword's first character
        "end",  # offset after the last character, heredoc bodies included (no newline)
        "start_line",
        "end_line",
        "logical",  # the joined line: continuations and comments removed
        "args_start",  # index in ``logical`` where the arguments begin
        "stage",  # index into Dockerfile.stages; -1 before the first FROM
        "comment_before",  # the comment line just before, if any
        "key_values",  # cache for key_values()
        "shell",  # aishell.shell.analyse_run's result, computed once: every rule asks for it
    )
    # Source offset of each character of ``logical`` (the ``offsets`` property): a range, the
    # _Pieces a continued line was joined from (an array of int64 once the property is read),
    # or None for the range from ``start`` (a one-line instruction's).
    _offsets: array | range | _Pieces | None = None
    flags: list[Flag] | tuple = ()  # builder flags
    heredocs: list[Heredoc] | tuple = ()
    json_args: list[str] | None = None  # exec form
    sub: Instruction | None = None  # the instruction an ONBUILD carries
    # The file's escape character (its `# escape=` directive) and the Word its words() are: a
    # `# escape=`` file's instructions are the _Backtick classes below (a class attribute, not a
    # slot: instructions stay as small as they are).
    escape = "\\"
    _word = Word

    def __repr__(self) -> str:
        return f"<Instruction {self.keyword} lines {self.start_line}-{self.end_line}>"

    # -- positions ---------------------------------------------------------
    @property
    def offsets(self) -> array | range:
        """Source offset of each character of ``logical``, indexable and sliceable."""
        o = self._offsets
        if o is None:
            return range(self.start, self.start + len(self.logical))
        if type(o) is _Pieces:  # made on first use: most continued instructions never need it
            o = self._offsets = o.array()
        return o

    def source_span(self, i: int, j: int) -> tuple[int, int]:
        """Source span of ``logical[i:j]`` (j exclusive, j > i)."""
        o = self._offsets
        if o is None:
            return self.start + i, self.start + j
        return o[i], o[j - 1] + 1

    @property
    def args(self) -> str:
        """The arguments after the flags, as joined text."""
        return self.logical[self.args_start :]

    def words(self) -> list[Word]:
        """Whitespace-separated words of the arguments, quotes respected."""
        word, span, logical = self._word, self.source_span, self.logical
        return [word(logical[i:j], *span(i, j)) for i, j in split_words(logical, self.args_start, escape=self.escape)]

    def flag(self, name: str) -> Flag | None:
        for f in self.flags:
            if f.name == name:
                return f
        return None

    def to_json(self) -> dict:
        return {
            "instruction": self.keyword,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "original": self.logical,
            "flags": [f"--{f.name}" + ("" if f.value is None else f"={f.value}") for f in self.flags],
            "value": self.json_args if self.json_args is not None else self.args.strip(),
            "json": self.json_args is not None,
            "heredocs": [{"name": h.name, "content": h.content} for h in self.heredocs],
            "stage": self.stage,
        }


class _FullInstruction(Instruction):
    """An instruction as _make_instruction builds it: every field its own."""

    __slots__ = ("_offsets", "flags", "heredocs", "json_args", "sub")

    def __init__(
        self,
        keyword,
        raw_keyword,
        start,
        end,
        start_line,
        end_line,
        logical,
        offsets,
        args_start,
        flags,
        heredocs,
        stage=-1,
    ):
        self.keyword: str = keyword
        self.raw_keyword: str = raw_keyword
        self.start: int = start
        self.end: int = end
        self.start_line: int = start_line
        self.end_line: int = end_line
        self.logical: str = logical
        self._offsets = offsets
        self.args_start: int = args_start
        self.flags = flags
        self.heredocs = heredocs
        self.json_args = None
        self.sub = None
        self.stage: int = stage
        self.comment_before: str | None = None
        self.key_values: list[tuple[str, str]] | None = None
        self.shell = None


class _BacktickInstruction(Instruction):
    """An Instruction of a `# escape=`` file (_parse sets the class)."""

    __slots__ = ()
    escape = "`"
    _word = _BacktickWord


class _BacktickFullInstruction(_FullInstruction):
    """A _FullInstruction of a `# escape=`` file (_parse sets the class)."""

    __slots__ = ()
    escape = "`"
    _word = _BacktickWord


_BACKTICK_CLASS = {Instruction: _BacktickInstruction, _FullInstruction: _BacktickFullInstruction}


# The text json.dumps(ins.to_json(), indent=2) gives, indented two more spaces (an element of the
# top-level list), built from the C encoder's strings: json's indent mode is its pure-Python
# encoder, which took three quarters of `aishell parse` on a 10 MB file.
_JSON_INSTRUCTION = (
    '  {\n    "instruction": %s,\n    "start_line": %d,\n    "end_line": %d,\n    "original": %s,\n'
    '    "flags": %s,\n    "value": %s,\n    "json": %s,\n    "heredocs": %s,\n    "stage": %d\n  }'
)
_JSON_HEREDOC = '      {\n        "name": %s,\n        "content": %s\n      }'


def _json_instruction(ins: Instruction, enc) -> str:
    flags = ins.flags
    if flags:
        flags = (
            "[\n      "
            + ",\n      ".join(enc(f"--{f.name}" + ("" if f.value is None else f"={f.value}")) for f in flags)
            + "\n    ]"
        )
    else:
        flags = "[]"
    if ins.json_args is None:
        value, is_json = enc(ins.logical[ins.args_start :].strip()), "false"
    else:
        value = "[\n      " + ",\n      ".join(map(enc, ins.json_args)) + "\n    ]" if ins.json_args else "[]"
        is_json = "true"
    if ins.heredocs:
        docs = "[\n" + ",\n".join(_JSON_HEREDOC % (enc(h.name), enc(h.content)) for h in ins.heredocs) + "\n    ]"
    else:
        docs = "[]"
    return _JSON_INSTRUCTION % (
        enc(ins.keyword),
        ins.start_line,
        ins.end_line,
        enc(ins.logical),
        flags,
        value,
        is_json,
        docs,
        ins.stage,
    )


def _json_rows(part: list[Instruction], enc) -> list[str]:
    """_json_instruction of each; an f-string for the commonest (no flags, JSON form or
    heredocs), which builds the text in half the time of the % format."""
    rows = []
    append = rows.append
    heads: dict[str, str] = {}  # keyword -> the row's text up to the start line
    for ins in part:
        # The fast path's instructions have none of the three (a type check is one look, not three).
        if type(ins) is not Instruction and (ins.flags or ins.heredocs or ins.json_args is not None):
            append(_json_instruction(ins, enc))
            continue
        logical = ins.logical
        keyword = ins.keyword
        head = heads.get(keyword)
        if head is None:
            head = heads[keyword] = f'  {{\n    "instruction": {enc(keyword)},\n    "start_line": '
        append(
            f'{head}{ins.start_line},\n    "end_line": {ins.end_line},\n    "original": {enc(logical)},\n'
            f'    "flags": [],\n    "value": {enc(logical[ins.args_start :].strip())},\n    "json": false,\n'
            f'    "heredocs": [],\n    "stage": {ins.stage}\n  }}'
        )
    return rows


def instructions_json(instructions: list[Instruction], chunk: int = 4096):
    """``json.dumps([i.to_json() for i in instructions], indent=2) + "\\n"``, the same text, in
    pieces of ``chunk`` instructions (a 10 MB file's whole document would need several times
    the model's memory at once)."""
    from json.encoder import encode_basestring_ascii as enc  # json.dumps's own string encoder

    if not instructions:
        yield "[]\n"
        return
    yield "[\n"
    for k in range(0, len(instructions), chunk):
        part = ",\n".join(_json_rows(instructions[k : k + chunk], enc))
        yield part if k == 0 else ",\n" + part
    yield "\n]\n"


class Stage:
    __slots__ = ("index", "from_ins", "image", "name", "platform", "instructions", "_base")

    def __init__(self, index: int, from_ins: Instruction, image: Word | None, name: str | None, platform: str | None):
        self.index = index
        self.from_ins = from_ins
        self.image = image  # the image reference as written
        self.name = name  # the AS name, lower-cased
        self.platform = platform
        self.instructions: list[Instruction] = []
        self._base: Stage | None | bool = False  # base_stage's answer once asked (False: not yet)

    def base_stage(self, df: Dockerfile) -> Stage | None:
        """The earlier stage this one is built FROM, if any (worked out once: rules ask it for
        every stage of a chain)."""
        base = self._base
        if base is not False:
            return base
        if self.image is None:
            base = None
        else:
            # BuildKit compares the word as it is (expanded) with the lower-cased names, and the
            # last earlier stage of that name wins (Engines 26.1 and 28.5, r68c).
            # (The indices are in order: a bisection, not a scan, as a file may name one stage
            # name thousands of times.)
            named = df.stage_index().get(df.expand_global(self.image.text), ())
            at = bisect_left(named, self.index)
            base = df.stages[named[at - 1]] if at else None
        self._base = base
        return base


_LOWER_PIECE = 4096


def lower(text: str) -> str:
    """``text.lower()``, a piece at a time when ``text`` is large and not all ASCII: str.lower
    maps each character of such a text through the full Unicode tables (0.14 s for 10 MB
    holding one emoji), and most pieces of it are ASCII, which it lowers at memory speed. Each
    character's lower case is its own, except a capital sigma's (final or not, by its
    neighbours): a text holding one is lowered whole. tests/test_lower_pieces.py compares."""
    n = _LOWER_PIECE
    if len(text) <= n or text.isascii() or "\u03a3" in text:
        return text.lower()
    return "".join([text[i : i + n].lower() for i in range(0, len(text), n)])


class Dockerfile:
    __slots__ = (
        "text",
        "path",
        "directives",
        "escape",
        "instructions",
        "stages",
        "global_args",
        "line_starts",
        "_defaults",
        "_stage_index",
        "_lowered",
        "flagged",
    )

    def __init__(self, text, path, directives, escape, instructions, line_starts, stages=True):
        """``stages=False`` leaves ``stages`` and ``global_args`` unset (see _LazyStages)."""
        self.text: str = text
        self.path: str | None = path
        self.directives: list[Directive] = directives
        self.escape: str = escape
        self.instructions: list[Instruction] = instructions
        if stages:
            self.stages: list[Stage] = []
            self.global_args: list[Instruction] = []  # ARGs before the first FROM
        self.line_starts: list[int] = line_starts
        self._defaults: _GlobalDefaults | None = None
        self.flagged: list[Instruction] = []  # the instructions with builder flags, in order (parse)
        self._stage_index: dict[str, list[int]] | None = None
        self._lowered: str | None = None

    def lowered(self) -> str:
        """``self.text.lower()``, computed once (the rules' case-blind searches of the whole text)."""
        if self._lowered is None:
            self._lowered = lower(self.text)
        return self._lowered

    def stage_index(self) -> dict[str, list[int]]:
        """Stage name -> indices of the stages with that name (computed once)."""
        if self._stage_index is None:
            self._stage_index = {}
            for st in self.stages:
                if st.name is not None:
                    self._stage_index.setdefault(st.name, []).append(st.index)
        return self._stage_index

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a source offset; columns count characters."""
        line = bisect_right(self.line_starts, offset)
        col = offset - self.line_starts[line - 1] + 1
        if line == 1 and self.text.startswith("\ufeff"):
            col = max(1, col - 1)
        return line, col

    @property
    def uses_buildkit_syntax(self) -> list[str]:
        """Reasons this file needs BuildKit (empty when the classic builder can build it)."""
        reasons = []
        for ins in self.all_instructions():
            if ins.heredocs:
                reasons.append(f"line {ins.start_line}: heredoc")
            for f in ins.flags:
                if ins.keyword == "RUN" and f.name in ("mount", "network", "security"):
                    reasons.append(f"line {ins.start_line}: RUN --{f.name}")
                if ins.keyword in ("COPY", "ADD") and f.name in (
                    "chmod",
                    "link",
                    "parents",
                    "exclude",
                    "checksum",
                    "keep-git-dir",
                ):
                    reasons.append(f"line {ins.start_line}: {ins.keyword} --{f.name}")
        return reasons

    def all_instructions(self):
        for ins in self.instructions:
            yield ins
            if ins.sub is not None:
                yield ins.sub

    def _global_defaults(self) -> _GlobalDefaults:
        if self._defaults is None:
            self._defaults = _GlobalDefaults(self.global_args, 4 * len(self.text) + MAX_EXPANSION, self.escape)
        return self._defaults

    def expand_global(self, text: str) -> str:
        """``text`` expanded with the global ARGs' defaults; each text expanded once (a FROM's image
        is asked for by several rules: 45,000 FROMs along a chain of ARGs were 136,000 calls). A
        default once expanded keeps its value (_GlobalDefaults), so a text's answer never changes.
        Only short answers are kept (a chain of defaults that each double may expand every one of
        a million FROMs to 8 KiB): the memo holds no more than the texts, and 64 characters each."""
        defaults = self._global_defaults()
        out = defaults.expanded.get(text) if _EXPANSIONS_KEPT else None
        if out is None:
            m = ALIAS.fullmatch(text) if _ALIAS_VALUES else None
            if m is not None:  # (`FROM ${A}`: A's value, without expand_word)
                out = _alias_value(defaults.get(m[1] or m[2]), text)
            else:
                out = expand_word(text, defaults, self.escape)
            if len(out) <= len(text) + 64:
                defaults.expanded[text] = out
        return out

    def global_definitions(self) -> tuple[list[tuple[str, str | None, Word]], dict[str, list[int]]]:
        """Every global ARG definition in order, (name, default as written or None, Word), and each
        name's indices in that list: read once, for the expansion and the rules alike."""
        d = self._global_defaults()
        return d.definitions, d.by_name

    def global_aliases(self) -> dict[int, str | None]:
        """Index (in global_definitions) -> the name the definition's default, as written, is an
        ALIAS of (`${A}`, `$A`: ALIAS.fullmatch's name), or None where it is none: for the
        definitions the expansion has read so far (a rule matches the others itself)."""
        return self._global_defaults().aliased

    def stage_chain(self, stage: Stage) -> list[Stage]:
        """The stage and the stages it is built FROM, nearest first."""
        chain, seen = [], set()
        cur: Stage | None = stage
        while cur is not None and cur.index not in seen:
            seen.add(cur.index)
            chain.append(cur)
            cur = cur.base_stage(self)
        return chain


class _LazyStages(Dockerfile):
    """The parse's Dockerfile: its ``stages`` and ``global_args`` are worked out when first read
    (each instruction's ``stage`` is set by the parse already). `aishell parse` never reads them,
    and a chain of 250,000 stages took a third of its parse. Once they are made, the object
    becomes a plain Dockerfile: a class with ``__getattr__`` makes every attribute read slower
    (Python does not specialise them), and rules read the model's attributes millions of times."""

    __slots__ = ()

    def __getattr__(self, name: str):
        # Called only for an attribute not set: ``stages`` and ``global_args`` not made yet.
        if name not in ("stages", "global_args"):
            raise AttributeError(f"'Dockerfile' object has no attribute '{name}'")
        with paused_gc():  # as in parse: a new object per stage
            _assign_stages(self)
        self.__class__ = Dockerfile
        return getattr(self, name)


# -- lexing helpers -----------------------------------------------------------


def unquote(text: str, dq_escapes: str | None = None, escape: str = "\\") -> str:
    """Remove quoting the way BuildKit's word processing does (no expansion), with the file's
    ``escape`` character (shell/lex.go): outside quotes it escapes any character; in double
    quotes only `"`, `$` and itself (processDoubleQuote), or ``dq_escapes``, and before any other
    character it stays; one at the end is dropped. Single quotes keep everything."""
    if "'" not in text and '"' not in text and escape not in text:
        return text  # nothing to remove: the common case, and a hot path
    if dq_escapes is None:
        dq_escapes = '"$' + escape
    out, i, n = [], 0, len(text)
    quote = None
    while i < n:
        c = text[i]
        if quote == "'":
            if c == "'":
                quote = None
            else:
                out.append(c)
        elif c == escape:
            if i + 1 == n:
                break  # `\` at the end of the word: the lexer drops it
            if quote == '"' and text[i + 1] not in dq_escapes:
                out.append(c)
            else:
                out.append(text[i + 1])
                i += 1
        elif c in "'\"" and quote is None:
            quote = c
        elif c == quote:
            quote = None
        else:
            out.append(c)
        i += 1
    return "".join(out)


# A `$` that stays a `$` while expand() reads a word (expand_word), and the end of a `$name`
# (`$a\\1` is `$a` then `1`, where unquoted it would be `$a1`): text decoded from UTF-8 has no
# lone surrogate.
_LITERAL_DOLLAR = "\ud800"
_NAME_END = "\ud801"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A word _mark_literal_dollars would give back unchanged but for the _NAME_END after each name:
# no quote, no escape character (either), and every `$` before a `{` or a name's first letter,
# where a name ends only where _VAR_RE's does (most values: `${A}`, `$A/bin`, `x-${V}`).
_DOLLARS_AS_WRITTEN = re.compile(r"[^$'\"\\`]*(?:\$[{A-Za-z_][^$'\"\\`]*)*")


def expand_word(text: str, env, escape: str = "\\") -> str:
    """A word as BuildKit's lexer reads it (ProcessWord): quotes and escapes removed and the
    variables expand() knows expanded in the same pass, so a `$` the quoting or the escape makes
    literal stays one (`'$A'`, `\\$A`, `"$"A`: unquoting first and expanding after read all
    three as `$A`). A special parameter (`$$`, `$1`, `$@`, …) is never set: it expands to
    nothing."""
    if "$" not in text or _LITERAL_DOLLAR in text or _NAME_END in text:
        return expand(unquote(text, escape=escape), env)
    if _DOLLARS_AS_WRITTEN.fullmatch(text):  # no quote, no escape, each `$` a name's or a `${`
        return expand(text, env)
    return expand(_mark_literal_dollars(text, escape), env).replace(_NAME_END, "").replace(_LITERAL_DOLLAR, "$")


def _mark_literal_dollars(text: str, escape: str) -> str:
    """unquote(text, escape=escape), with each `$` that BuildKit's lexer reads as a character
    written as _LITERAL_DOLLAR, each `$name` ended with _NAME_END, and each special parameter
    (`$$`, `$1`) left out: what is left for expand() is each `$` that starts a name or a `${`."""
    dq_escapes = '"$' + escape
    out, i, n = [], 0, len(text)
    quote = None
    while i < n:
        c = text[i]
        if quote == "'":
            if c == "'":
                quote = None
            else:
                out.append(_LITERAL_DOLLAR if c == "$" else c)
        elif c == escape:
            if i + 1 == n:
                break
            if quote == '"' and text[i + 1] not in dq_escapes:
                out.append(c)
            else:
                i += 1
                out.append(_LITERAL_DOLLAR if text[i] == "$" else text[i])
        elif c == "$":
            nxt = text[i + 1 : i + 2]
            if nxt == "{":
                out.append(c)  # expand's
            elif nxt == "_" or (nxt.isascii() and nxt.isalpha()):
                j = _NAME.match(text, i + 1).end()
                out.append(text[i:j] + _NAME_END)  # expand's
                i = j - 1
            elif nxt.isdecimal():  # a positional parameter: the lexer reads every digit
                i += 1
                while i + 1 < n and text[i + 1].isdecimal():
                    i += 1
            elif nxt and nxt in _SPECIAL_PARAMS:
                i += 1
            else:
                out.append(_LITERAL_DOLLAR)  # `$` before anything else (a quote, the end) is a `$`
        elif c in "'\"" and quote is None:
            quote = c
        elif c == quote:
            quote = None
        else:
            out.append(c)
        i += 1
    return "".join(out)


_PLAIN_WORD = re.compile(r"[^\s'\"\\\v\f]+")
_PLAIN_WORD_BACKTICK = re.compile(r"[^\s'\"`\v\f]+")  # with `# escape=``


def split_words(
    s: str, start: int = 0, end: int | None = None, limit: int = -1, seps: str = WHITESPACE + "\n", escape: str = "\\"
) -> list[tuple[int, int]]:
    """(start, end) index pairs of words separated by ``seps``, quotes and ``escape`` respected
    (at most ``limit``)."""
    end = len(s) if end is None else end
    plain = _PLAIN_WORD if escape == "\\" else _PLAIN_WORD_BACKTICK
    spans, i = [], start
    while i < end and len(spans) != limit:
        while i < end and s[i] in seps:
            i += 1
        if i >= end:
            break
        j, quote = i, None
        while j < end:
            if not quote:
                m = plain.match(s, j, end)
                if m:
                    j = m.end()
                    continue
            c = s[j]
            if quote:
                if c == escape and quote == '"' and j + 1 < end:
                    j += 1
                elif c == quote:
                    quote = None
            elif c in "'\"":
                quote = c
            elif c == escape and j + 1 < end:
                j += 1
            elif c in seps:
                break
            j += 1
        spans.append((i, min(j, end)))
        i = j
    return spans


_VAR_RE = re.compile(
    r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))"
)


# An expanded value longer than this is cut here and marked with TOO_LONG: a few hundred bytes of
# ARGs that each double the previous one would otherwise need gigabytes (issue 18). No image
# reference or stage name is anywhere near this long, so a cut value never matches one.
MAX_EXPANSION = 8192
TOO_LONG = "\x00"
FAILED = "\x00"  # an expansion that fails the build (`${V:?message}` with V empty): matches nothing


def expand(text: str, env: dict[str, str]) -> str:
    """Expand ``$V``, ``${V}``, ``${V:-default}``, ``${V-default}``, ``${V:+alt}``, ``${V+alt}``,
    ``${V:?message}`` and ``${V?message}`` (BuildKit: V's value, or the build fails with the
    message when V is unset, or empty for ``:?``; a failed expansion gives FAILED, which no name
    or image matches).

    Bounded: the result is at most MAX_EXPANSION characters (plus the TOO_LONG mark), and the
    work is linear in ``text`` whatever the values hold."""
    if "$" not in text:
        return text[:MAX_EXPANSION] + TOO_LONG if len(text) > MAX_EXPANSION else text
    size = 0

    def sub(m: re.Match) -> str:
        nonlocal size
        if size > MAX_EXPANSION:
            return ""
        name = m.group(1) or m.group(4)
        op, word = m.group(2), m.group(3)
        value = env.get(name)
        if op is None:
            out = value or ""
        elif op == ":-":
            out = value if value else expand(word, env)
        elif op == "-":
            out = value if value is not None else expand(word, env)
        elif op == ":+":
            out = expand(word, env) if value else ""
        elif op == ":?":
            out = value if value else FAILED
        elif op == "?":
            out = value if value is not None else FAILED
        else:  # "+"
            out = expand(word, env) if value is not None else ""
        size += len(out) + m.end() - m.start()
        return out

    out = _VAR_RE.sub(sub, text)
    return out[:MAX_EXPANSION] + TOO_LONG if size > MAX_EXPANSION or len(out) > MAX_EXPANSION else out


def copy_args(ins: Instruction) -> list[str]:
    """Sources and destination of a COPY/ADD, unquoted: the shell form's words or the JSON form's
    elements (`COPY [".", "."]` copies what `COPY . .` copies)."""
    if ins.json_args is not None:
        return list(ins.json_args)
    return [w.unquoted for w in ins.words()]


_ONE_WORD = re.compile(r"[^\s'\"\\`]+")  # nothing split_words or unquote reads specially


def arg_definitions(ins: Instruction, raw: bool = False):
    """(name, default or None, Word) for each ``ARG name[=default]``, the default unquoted (or
    as written: ``raw``, for expand_word)."""
    one = _one_word_definition(ins)
    if one is not None:
        yield one
        return
    for w in ins.words():
        name, eq, value = w.text.partition("=")
        yield name, ((value if raw else unquote(value, escape=ins.escape)) if eq else None), w


def _one_word_definition(ins: Instruction) -> tuple[str, str | None, Word] | None:
    """arg_definitions' one answer for a one-line ARG of one plain word (most of them), read
    without the word splitter (its default is as written and unquoted alike); None for others."""
    if ins._offsets is None and not ins.heredocs:
        logical, a = ins.logical, ins.args_start
        if _ONE_WORD.fullmatch(logical, a) is not None:
            text = logical[a:]
            name, eq, value = text.partition("=")
            return name, (value if eq else None), tuple.__new__(Word, (text, ins.start + a, ins.start + len(logical)))
    return None


class _GlobalDefaults:
    """The global ARGs' defaults (ARGs before the first FROM), each expanded when first asked for,
    as BuildKit expands them in order: a definition's value reads the definitions before it. A
    file of 300,000 ARGs and one ``FROM ${A40}`` expands 41 of them, not 300,000.

    ``get(name)`` is what a dict of every default would give (the last definition with a value,
    "" for a name only declared, None for one never declared); expand() needs only ``get``. All
    values expanded together stay within ``budget`` characters (four times the file): past it a
    value is TOO_LONG (250,000 ARGs that each double the previous one would otherwise keep
    250,000 cut values of 8 KiB). Only there may the answer differ from the dict's: the values
    cut are the last ones expanded, where the dict cut the last ones in the file (the same file
    linted twice gets the same answers).

    The definitions are read once here, for the rules too (Dockerfile.global_definitions):
    ``definitions`` holds (name, default as written or None, Word) in order, ``by_name`` the
    indices of each name's definitions."""

    def __init__(self, args: list[Instruction], budget: int, escape: str = "\\"):
        self._escape = escape
        self.definitions: list[tuple[str, str | None, Word]] = []
        self.by_name: dict[str, list[int]] = {}
        self._values: dict[int, str] = {}  # index -> the value expanded
        self.expanded: dict[str, str] = {}  # text -> Dockerfile.expand_global's answer
        self._budget = budget
        # index -> the name a definition's default is an ALIAS of (None: no ALIAS), for each
        # _resolve matched: the rules read it (Dockerfile.global_aliases), not the match again.
        self.aliased: dict[int, str | None] = {}
        definitions, by_name, bare = self.definitions, self.by_name, []
        one_word, new = _ONE_WORD.fullmatch, tuple.__new__
        if DEFINITIONS_DIRECT:
            self._read_direct(args)
            return
        for ins in args:
            # (_one_word_definition inline, without a call per ARG: a chain of 450,000 of them)
            if ins._offsets is None and not ins.heredocs and one_word(logical := ins.logical, a := ins.args_start):
                text = logical[a:]
                name, eq, value = text.partition("=")
                s = ins.start
                ds = ((name, value if eq else None, new(Word, (text, s + a, s + len(logical)))),)
            else:
                ds = arg_definitions(ins, raw=True)
            for d in ds:
                ks = by_name.get(d[0])
                if ks is None:
                    by_name[d[0]] = [len(definitions)]
                else:
                    ks.append(len(definitions))
                if d[1] is None:
                    bare.append(d[0])
                definitions.append(d)
        self._valued = dict(by_name)  # name -> indices of its definitions with a value
        for name in bare:
            self._valued[name] = [k for k in by_name[name] if definitions[k][1] is not None]

    def _read_direct(self, args: list[Instruction]) -> None:
        """__init__'s reading of the definitions (DEFINITIONS_DIRECT): a one-word ARG's one
        definition added where it is read (no tuple of one definition and loop over it per ARG,
        no len() of the list: a chain of 450,000 ARGs)."""
        definitions, by_name, bare = self.definitions, self.by_name, []
        one_word, new = _ONE_WORD.fullmatch, tuple.__new__
        append, get = definitions.append, by_name.get
        k = 0  # (len(definitions))
        for ins in args:
            if ins._offsets is None and not ins.heredocs and one_word(logical := ins.logical, a := ins.args_start):
                text = logical[a:]
                name, eq, value = text.partition("=")
                s = ins.start
                ks = get(name)
                if ks is None:
                    by_name[name] = [k]
                else:
                    ks.append(k)
                if eq:
                    append((name, value, new(Word, (text, s + a, s + len(logical)))))
                else:
                    append((name, None, new(Word, (text, s + a, s + len(logical)))))
                    bare.append(name)
                k += 1
                continue
            for d in arg_definitions(ins, raw=True):
                ks = get(d[0])
                if ks is None:
                    by_name[d[0]] = [k]
                else:
                    ks.append(k)
                if d[1] is None:
                    bare.append(d[0])
                append(d)
                k += 1
        self._valued = dict(by_name)  # name -> indices of its definitions with a value
        for name in bare:
            self._valued[name] = [j for j in by_name[name] if definitions[j][1] is not None]

    def _before(self, name: str, k: int) -> int | None:
        """Index of the definition of ``name`` with a value that is last before index ``k``."""
        ks = self._valued.get(name)
        if not ks:
            return None
        i = bisect_right(ks, k - 1) - 1
        return ks[i] if i >= 0 else None

    def _resolve(self, name: str, k: int) -> None:
        """Expand every definition the value of ``name`` before index ``k`` reads, in order (an
        explicit stack: a chain of 300,000 ARGs each reading the one before is no recursion). A
        value that is another name alone (`${A}`, `$A`) is that name's value as it is, without
        expand_word (tests/test_global_defaults.py compares them)."""
        j = self._before(name, k)
        if j is None or j in self._values:
            return
        definitions, values, aliased = self.definitions, self._values, self.aliased
        needed, stack = {j}, [j]
        aliases: dict[int, int | None] = {}  # index of a `${A}` -> the definition of A it reads
        if _ALIAS_VALUES and ALIAS_STEP:
            self._walk_aliases(stack, needed, aliases)
            stack = []
        while stack:
            i = stack.pop()
            raw = definitions[i][1]
            m = ALIAS.fullmatch(raw) if _ALIAS_VALUES else None
            if _ALIAS_VALUES:
                aliased[i] = None if m is None else m[1] or m[2]
            for name in _NAME_REF.findall(raw) if m is None else (aliased[i],):
                d = self._before(name, i)
                if m is not None:
                    aliases[i] = d
                if d is not None and d not in needed and d not in values:
                    needed.add(d)
                    stack.append(d)
        for i in sorted(needed):
            if i in aliases:
                d = aliases[i]
                if ALIAS_STEP:
                    # (_alias_value inline: a chain of 450,000 `ARG A1=${A0}` expands each)
                    v = (values[d] if d is not None else None) or ""
                    raw = definitions[i][1]
                    if len(v) + len(raw) > MAX_EXPANSION:
                        v = v[:MAX_EXPANSION] + TOO_LONG
                else:
                    v = _alias_value(None if d is None else values[d], definitions[i][1])
            else:
                v = expand_word(definitions[i][1], _DefaultsAt(self, i), self._escape)
            self._budget -= len(v)
            values[i] = v if self._budget >= 0 else TOO_LONG

    def _walk_aliases(self, stack: list[int], needed: set[int], aliases: dict[int, int | None]) -> None:
        """_resolve's walk (ALIAS_STEP): a definition whose value is another name alone (`${A}`)
        steps to that name's definition before it with _before inline, in one loop; one of any
        other value is walked as _resolve walks it (the loop's stack there)."""
        definitions, values, aliased, valued = self.definitions, self._values, self.aliased, self._valued
        alias = ALIAS.fullmatch
        while stack:
            i = stack.pop()
            raw = definitions[i][1]
            m = alias(raw)
            if m is None:
                aliased[i] = None
                for name in _NAME_REF.findall(raw):
                    d = self._before(name, i)
                    if d is not None and d not in needed and d not in values:
                        needed.add(d)
                        stack.append(d)
                continue
            name = aliased[i] = m[1] or m[2]
            ks = valued.get(name)  # (_before(name, i))
            if ks:
                x = bisect_right(ks, i - 1) - 1
                d = ks[x] if x >= 0 else None
            else:
                d = None
            aliases[i] = d
            if d is not None and d not in needed and d not in values:
                needed.add(d)
                stack.append(d)

    def value_at(self, name: str, k: int) -> str | None:
        self._resolve(name, k)
        j = self._before(name, k)
        if j is not None:
            return self._values[j]
        ks = self.by_name.get(name)
        return "" if ks and ks[0] < k else None

    def get(self, name: str, default: str | None = None) -> str | None:
        v = self.value_at(name, len(self.definitions))
        return default if v is None else v


class _DefaultsAt:
    """The defaults as the global ARG at index ``k`` reads them (what expand() asks: ``get``)."""

    __slots__ = ("_d", "_k")

    def __init__(self, d: _GlobalDefaults, k: int):
        self._d, self._k = d, k

    def get(self, name: str, default: str | None = None) -> str | None:
        v = self._d.value_at(name, self._k)
        return default if v is None else v


# Every name a value may read, nested defaults included (a superset of what expand reads).
_NAME_REF = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
# A value that is another name's value as it is: `$N` or `${N}` alone.
ALIAS = re.compile(r"\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})")
_ALIAS_VALUES = True  # tests/test_global_defaults.py compares the expansions with and without it
_EXPANSIONS_KEPT = True  # Dockerfile.expand_global's memo: tests/test_global_defaults.py likewise
# _GlobalDefaults reads a one-word ARG's definition where it meets it (_read_direct), and
# _resolve steps along a chain of ALIAS values with _before inline (_walk_aliases), each in one
# loop (a chain of 450,000 ARGs; tests/test_global_defaults_direct_fast.py compares them off).
DEFINITIONS_DIRECT = True
ALIAS_STEP = True


def _alias_value(value: str | None, text: str) -> str:
    """expand_word's answer for ``text``, an ALIAS of a name whose value is ``value``: the value,
    or "" (declared or not), cut as expand() cuts."""
    v = value or ""
    return v[:MAX_EXPANSION] + TOO_LONG if len(v) + len(text) > MAX_EXPANSION else v


# -- parsing ------------------------------------------------------------------


class _Lines:
    """Physical lines: start offset, content (the line without its '\n' and, as BuildKit's
    trimNewline, without its trailing '\r's), end offset without the '\n', and end of content.
    Built with str.split and itertools.accumulate: a Python loop over a 10 MB file's million
    lines took a sixth of the parse. The contents are the pieces str.split made: the parse's fast
    path takes a line's instruction text from them without a slice of its own."""

    def __init__(self, text: str):
        self.text = text
        pieces = text.split("\n")
        if len(pieces) > 1 and not pieces[-1]:
            pieces.pop()  # the text ends with '\n': no line after it
        lens = list(map(len, pieces))
        if max(lens) > MAX_LINE_BYTES // 4:
            for k, piece in enumerate(pieces):
                if len(piece) > MAX_LINE_BYTES // 4 and len(piece.encode("utf-8", "surrogatepass")) > MAX_LINE_BYTES:
                    raise DockerfileSyntaxError(
                        f"dockerfile line greater than max allowed size of {MAX_LINE_BYTES}", k + 1
                    )
        self.starts: list[int] = list(accumulate(map((1).__add__, lens), initial=0))
        self.starts.pop()
        if "\r" in text:
            self.raw_ends: list[int] = list(map(int.__add__, self.starts, lens))  # end without the '\n'
            # End of content: BuildKit's trimNewline drops the trailing '\r's too.
            pieces = list(map(str.rstrip, pieces, repeat("\r")))
            self.ends: list[int] = list(map(int.__add__, self.starts, map(len, pieces)))
        self.contents: list[str] = pieces  # text[starts[i]:ends[i]]

    def __getattr__(self, name: str) -> list[int]:
        # Without a '\r', ends and raw_ends are the same list, made when first asked: a text of
        # simple lines never needs it.
        if name not in ("ends", "raw_ends"):
            raise AttributeError(name)
        self.ends = self.raw_ends = list(map(int.__add__, self.starts, map(len, self.contents)))
        return self.ends

    def __len__(self) -> int:
        return len(self.starts)

    def raw(self, i: int) -> str:
        return self.text[self.starts[i] : self.raw_ends[i]]

    def content_end(self, i: int) -> int:
        """End of line ``i`` with trailing '\\r' and '\\n' trimmed (BuildKit's trimNewline)."""
        return self.ends[i]


def _is_comment(s: str) -> bool:
    return s.lstrip(GO_SPACE).startswith("#")


def continuation_at(line: str, escape: str) -> int:
    """Where the escape character that continues ``line`` on the next line is, or -1: as BuildKit
    reads it, the line ends with the escape, blanks (space, tab) after it allowed, but not with
    two of them (an escaped escape, however many there are). The one definition of the rule:
    the first line of an instruction and continued_to_end ask it, and the loop of
    _read_instruction holds its twin inline (tests/test_parse_fast.py holds them together)."""
    body = line.rstrip(" \t")
    k = len(body) - 1
    return k if body[k:] == escape and body[k - 1 : k] != escape else -1


def _continuation(text: str, start: int, end: int, escape: str) -> int | None:
    """If text[start:end] continues on the next line (continuation_at), where its escape is."""
    k = continuation_at(text[start:end], escape)
    return None if k < 0 else start + k


def continued_to_end(df: Dockerfile, ins: Instruction) -> bool:
    """Whether ``ins`` ends in a line continuation nothing follows (its last line of code ends
    with the escape character; blank and comment lines after it, if any, run to the end of the
    file): BuildKit reads every line added after it as more of it (`RUN make \\` as the last
    line, then an `ARG X` appended: `RUN make ARG X`). Only the file's last instruction can."""
    if ins.heredocs or (ins.sub is not None and ins.sub.heredocs):
        return False
    return _continuation(df.text, ins.start, ins.end, df.escape) is not None


def parse(text: str, path: str | None = None) -> Dockerfile:
    """Parse Dockerfile text. Raises :class:`DockerfileSyntaxError` where BuildKit would."""
    with paused_gc():
        return _parse(text, path)


class paused_gc:
    """Python's cyclic garbage collector off while a pass allocates: the model has no cycles,
    and with it on, the full collections that millions of new objects trigger made a 10 MB
    file's parse four times slower than linear (10.2 s instead of 2.7 s)."""

    def __enter__(self):
        import gc

        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        import gc

        if self.was:
            gc.enable()


def _simple_line_re(escape: str, heredocs: bool = True, escapes: bool = True) -> re.Pattern:
    """A line that is a whole instruction by itself, of the commonest shape: blanks, a keyword of
    letters (not one _make_instruction checks further: a carried instruction, HEALTHCHECK's form,
    key=value pairs), then nothing or blanks and arguments that start neither with ``--`` (a
    builder flag) nor ``[`` (the JSON form), with no ``<<`` (a heredoc) and no escape at the end
    (a continuation). The match ends where the arguments start. Every line it accepts gives, word
    for word, the instruction that _read_instruction builds (tests/test_parse_fast.py compares
    them).

    ``heredocs=False`` and ``escapes=False`` leave out the look for ``<<`` and for the escape at
    the end, for a text that holds none anywhere (a look that always succeeds)."""
    esc = re.escape(escape)
    return re.compile(
        r"[ \t]*(?!(?ai:onbuild|healthcheck|env|label)(?![A-Za-z]))([A-Za-z]+)"
        r"(?:[ \t]+(?=\S)(?!--|\[)|[ \t]*\Z)"
        + ("(?!.*<<)" if heredocs else "")
        + (rf"(?!.*{esc}[ \t]*\Z)" if escapes else "")
    )


_SIMPLE_LINE = {"\\": _simple_line_re("\\"), "`": _simple_line_re("`")}
# (escape, text has "<<", text has the escape) -> the simple-line regex (made when first needed).
_SIMPLE_LINES: dict[tuple[str, bool, bool], re.Pattern] = {
    ("\\", True, True): _SIMPLE_LINE["\\"],
    ("`", True, True): _SIMPLE_LINE["`"],
}


def _simple_line_for(text: str, escape: str, heredocs: bool | None = None) -> re.Pattern:
    """The simple-line regex for ``text``; ``heredocs=False``: without the look for `<<` (a
    line known to open no heredoc: QUOTED_MARKS_LINE)."""
    key = (escape, "<<" in text if heredocs is None else heredocs, escape in text)
    pattern = _SIMPLE_LINES.get(key)
    if pattern is None:
        pattern = _SIMPLE_LINES[key] = _simple_line_re(*key)
    return pattern


# `RUN <<WORD` alone on its line, WORD of plain characters (no `-`, quote, escape or fd): the
# heredoc line of the commonest shape, whose body _parse takes in one slice (see there); and,
# asked when that is not, `RUN bash -e <<WORD`: words of plain characters before it (no quote,
# escape, `$`, `<`, `>`, `#`; the first no flag: `--mount=…`), which heredoc_words reads as it
# reads `RUN <<WORD` (the heredoc the last word alone; a file of 330,000 `RUN bash <<EN` read
# each the general way: HEREDOC_WORDS_LINE; tests/test_parse_fast.py compares with the general path).
HEREDOC_WORDS_LINE = True
# ... and a line with `<<` in a text whose simple-line regex looks for one (every text with `<<`:
# _simple_line_for) is not matched against that regex, which fails on it after a look to the
# line's end (`RUN bash <<EN`: a fifth of its parse): the heredoc lines above are asked first.
# tests/test_parse_fast.py compares the instructions with this off.
HEREDOC_FIRST = True
_HEREDOC_LINE = re.compile(r"[ \t]*([Rr][Uu][Nn])([ \t]+)<<(\w+)\Z", re.ASCII)
_HEREDOC_WORDS_LINE = re.compile(
    r"[ \t]*([Rr][Uu][Nn])([ \t]+)[\w/.=:@%+,][\w/.=:@%+,-]*+[ \t]++(?:[\w/.=:@%+,-]++[ \t]++)*+<<(\w+)\Z",
    re.ASCII,
)


# A line with `<<` none of which starts a word (after an fd's digits: BuildKit's `^[0-9]*<<`),
# `RUN echo '<<X' && claude -v`, `RUN cat a<<b`, `RUN echo "x<<y"`: it opens no heredoc whatever
# its quotes (a word starts at the keyword's end, where a simple line has a blank, or after a
# blank that split it from the word before; so a heredoc word's `<<` follows a blank and digits),
# and _parse reads it as the simple line it is without the `<<` (the simple-line regex without
# that look), not through _read_instruction and heredoc_words (the lexer's look at every word).
# Asked where HEREDOC_FIRST is (a line with `<<` first). benchmarks/scale.py's quoted heredoc
# marks, these lines and the next ones': parse 0.85 s in-process at 2 MB, 0.12 s with both;
# `aishell lint` 6.2 s CPU at 10 MB, 3.1 s with both (parse 4.4 s, 1.2 s). tests/
# test_parse_marks_fast.py compares the model with them off and with the reference reader's.
QUOTED_MARKS_LINE = True
_HEREDOC_OPENER = re.compile(r"[%s][0-9]*<<" % re.escape(GO_SPACE))  # (a blank, digits, `<<`)
# ... and `RUN <<'WORD'`, `RUN <<"WORD"`, `RUN <<-WORD`, `RUN bash <<-'WORD'`: _HEREDOC_LINE's and
# _HEREDOC_WORDS_LINE's lines with a quoted name (the body not expanded) or a `-` (the
# terminator's leading tabs dropped), read as those are (their body one slice). Groups: the
# keyword, the blanks after it, the `-`, the quote and the name. (tests/test_parse_marks_fast.py
# compares with it off.)
QUOTED_HEREDOC_LINE = True
_QUOTED_HEREDOC_LINE = re.compile(r"[ \t]*([Rr][Uu][Nn])([ \t]+)<<(-?)(['\"]?)(\w+)\4\Z", re.ASCII)
_QUOTED_HEREDOC_WORDS_LINE = re.compile(
    r"[ \t]*([Rr][Uu][Nn])([ \t]+)[\w/.=:@%+,][\w/.=:@%+,-]*+[ \t]++(?:[\w/.=:@%+,-]++[ \t]++)*+"
    r"<<(-?)(['\"]?)(\w+)\4\Z",
    re.ASCII,
)


# `ONBUILD` and a simple line's instruction (`ONBUILD RUN npm i -g @anthropic-ai/claude-code`):
# _parse builds both without _read_instruction (tests/test_onbuild_parse_fast.py compares with
# the general path). A file of 190,000 ONBUILD RUNs built two _FullInstructions each, with a range,
# two lists and two keyword strings apiece: six times a RUN's parse, and a third of its memory.
ONBUILD_LINE = True
_ONBUILD_LINE = re.compile(r"[ \t]*([Oo][Nn][Bb][Uu][Ii][Ll][Dd])[ \t]+(?=[A-Za-z])", re.ASCII)


# `ENV NAME=value …` and `LABEL key=value …` of plain words alone on their line (keys of
# letters, digits, `_`, `.` and `-`, not starting with a digit, `.` or `-`; values of printable
# ASCII but blanks, quotes, `\`, backquote, `<`, `>` and `#`; no escape anywhere, so no
# continuation): _parse builds and checks them as the simple lines (_check_args), without
# _make_instruction. Every word holds a `=` after a name and no flag starts the arguments, so
# _check_key_values refuses none (a file of `ENV PATH=/pN:$PATH` + `RUN claude -v` pairs spent
# half its lint in _make_instruction: parse 0.21 s per MB, 0.07 s with this; in-process, loaded).
# tests/test_parse_fast.py compares the instructions with the general path's.
KEY_VALUE_LINE = True
# (As the simple-line regex, the match ends where the arguments start: the words are a look ahead.)
_KEY_VALUE_LINE = re.compile(
    r"[ \t]*+([Ee][Nn][Vv]|[Ll][Aa][Bb][Ee][Ll])[ \t]++"
    r"(?=(?:[A-Za-z_][\w.-]*+=[!$-&(-;=?-\[\]-_a-~]*+(?:[ \t]++|\Z))++\Z)",
    re.ASCII,
)


# The simple lines (the fast path's, line 0 aside) parsed and checked already, while `aishell
# migrate` fixes one file (migrate.fixer sets it, REPARSE_MEMO): escape -> {line: (keyword pair,
# the keyword's column, args_start)}. Such a line is the same instruction wherever it stands (its
# offsets, line, stage and comment aside) and passed _check_from / _check_args, which read only
# it: a fix pass parses the file again, and the file repeats its lines (each stage's `COPY . .`).
# None (lint): not asked. tests/test_migrate_reparse_fast.py compares the models with it off.
SEEN_LINES: dict | None = None
_SEEN_MAX = 1 << 17  # lines kept at most (a file of distinct lines adds no more after that)


# BuildKit's DetectSyntax drops a `#!` first line before it looks for `# syntax=`, so a file of a
# shebang then that line goes to the frontend it names, though the line is no directive of the
# parser's (which stops at the shebang). (A review's: `#!/usr/bin/env x` then `# syntax=my/front`
# then `FROM Foo` was refused as BuildKit's own frontend refuses it.)
_SHEBANG_SYNTAX = re.compile(r"#![^\r\n]*(?:\r?\n)[ \t]*#[ \t]*syntax[ \t]*=[ \t]*[^ \t\r\n]", re.IGNORECASE)


def names_frontend(text: str, directives) -> bool:
    """Whether the file names a frontend of its own (a `# syntax=` directive, or that line after
    a shebang: _SHEBANG_SYNTAX), which reads it its own way: no check of BuildKit's own frontend
    applies (unknown flags, FROM's image names, the stage graph's)."""
    return any(d.name == "syntax" for d in directives) or (
        _SHEBANG_SYNTAX.match(text, 1 if text.startswith("\ufeff") else 0) is not None
    )


def _parse(text: str, path: str | None, fast: bool = True) -> Dockerfile:
    """``fast=False`` reads every instruction through _read_instruction: the reference that
    tests/test_parse_fast.py holds the fast path to."""
    lines = _Lines(text)
    first = 1 if text.startswith("\ufeff") else 0
    directives, escape, i = _read_directives(text, lines, first)
    frontend = names_frontend(text, directives)  # (a frontend of its own: _check_flag_names)
    instructions: list[Instruction] = []
    append = instructions.append
    flagged: list[Instruction] = []  # (those with builder flags: Dockerfile.flagged)
    prev_comment: str | None = None
    starts, contents, n = lines.starts, lines.contents, len(lines)
    simple = _simple_line_for(text, escape).match if fast else lambda *_: None
    docs_quoted = fast and QUOTED_HEREDOC_LINE  # (the heredoc lines' regexes: QUOTED_HEREDOC_LINE's)
    heredoc_line = (_QUOTED_HEREDOC_LINE if docs_quoted else _HEREDOC_LINE).match if fast and "<<" in text else None
    words_line = (  # (asked of a line with `<<` only, then this)
        (_QUOTED_HEREDOC_WORDS_LINE if docs_quoted else _HEREDOC_WORDS_LINE).match
        if heredoc_line and HEREDOC_WORDS_LINE
        else None
    )
    docs_first = heredoc_line is not None and HEREDOC_FIRST  # (a line with `<<`: not ``simple``'s)
    # (QUOTED_MARKS_LINE: a line with `<<`, none a heredoc word's, is ``simple``'s without the look)
    opener = _HEREDOC_OPENER.search if docs_first and QUOTED_MARKS_LINE else None
    marks_line = _simple_line_for(text, escape, heredocs=False).match if opener is not None else None
    onbuild_line = _ONBUILD_LINE.match if fast and ONBUILD_LINE else None  # (asked of a line simple refuses)
    kv_line = _KEY_VALUE_LINE.match if fast and KEY_VALUE_LINE else None  # (likewise)
    index = contents.index
    new = object.__new__
    # As written -> (upper-cased, as written), one string each.
    keywords: dict[str, tuple[str, str]] = {}
    stage = -1  # the stage of the instructions read so far (_assign_stages makes the Stage objects)
    seen = SEEN_LINES.get(escape) if SEEN_LINES is not None and fast else None
    while i < n:
        piece = contents[i]  # the line's content
        s = starts[i]
        i += 1
        if docs_first and "<<" in piece:
            m = None  # (HEREDOC_FIRST: ``simple`` looks past the keyword for `<<`, and fails)
            if opener is not None and opener(piece) is None:  # (no heredoc word: QUOTED_MARKS_LINE)
                m = marks_line(piece) if s else marks_line(piece, first)
        elif seen is not None and s and (m := seen.get(piece)) is not None:
            kw, k, a = m  # (SEEN_LINES: the simple path's instruction below, without its match and checks)
            if kw[0] == "FROM":
                stage += 1
            ins = new(Instruction)
            ins.keyword = kw[0]
            ins.raw_keyword = kw[1]
            if k:
                ins.start = s + k
                ins.logical = piece[k:]
            else:
                ins.start = s
                ins.logical = piece
            ins.end = s + len(piece)
            ins.start_line = ins.end_line = i
            ins.args_start = a
            ins.key_values = ins.shell = None
            ins.stage = stage
            ins.comment_before = prev_comment
            prev_comment = None
            append(ins)
            continue
        else:
            m = simple(piece) if s else simple(piece, first)  # a BOM is no part of line 0
            if m is None and kv_line is not None:
                m = kv_line(piece) if s else kv_line(piece, first)  # (KEY_VALUE_LINE: as the simple lines)
        if m is not None:
            raw_kw = m[1]
            kw = keywords.get(raw_kw)
            if kw is None:
                kw = keywords[raw_kw] = (raw_kw.upper(), raw_kw)
            if kw[0] == "FROM":
                stage += 1
            k = m.start(1)
            # _FullInstruction.__init__'s work without the call (a frame per instruction), and an
            # Instruction: every one of its slots set here (tests/test_parse_fast.py checks); no
            # offsets (the range from k), flags, heredocs, JSON form or carried instruction are
            # its class's defaults, not slots. The line's content is the instruction's text when
            # it has no leading blanks: no slice.
            ins = new(Instruction)
            ins.keyword = kw[0]
            ins.raw_keyword = kw[1]
            if k:
                ins.start = s + k
                ins.logical = piece[k:]
            else:
                ins.start = s
                ins.logical = piece
            ins.end = s + len(piece)
            ins.start_line = ins.end_line = i
            ins.args_start = m.end() - k
            ins.key_values = ins.shell = None
            ins.stage = stage
            ins.comment_before = prev_comment
            prev_comment = None
            if kw[0] == "FROM":
                _check_from(ins)
            elif kw[0] in _ARGS_CHECKED:
                _check_args(ins, escape)
            if seen is not None and s and len(seen) < _SEEN_MAX:
                seen[piece] = (kw, k, ins.args_start)
            append(ins)
            continue
        # (An ONBUILD line's first character is O, o or a blank: no match asked of the other lines.)
        if onbuild_line is not None and s and piece and piece[0] in "Oo \t" and (o := onbuild_line(piece)) is not None:
            m = simple(piece, o.end())  # (the carried instruction: a simple line's from there)
            if m is not None:
                # `ONBUILD RUN npm i -g …`: what _read_instruction builds (an ONBUILD carrying the
                # instruction _make_instruction builds with sub=True: no check of its own), without
                # its scans, ranges, flag and heredoc lists and keyword strings; the carried one an
                # Instruction as the simple path's (ONBUILD_LINE). BuildKit checks the ONBUILD's
                # arguments (_check_args), not its instruction's: that is read when triggered.
                raw_kw = o[1]
                kw = keywords.get(raw_kw)
                if kw is None:
                    kw = keywords[raw_kw] = (raw_kw.upper(), raw_kw)
                raw_sub = m[1]
                sub_kw = keywords.get(raw_sub)
                if sub_kw is None:
                    sub_kw = keywords[raw_sub] = (raw_sub.upper(), raw_sub)
                k, j = o.start(1), m.start(1)
                sub = new(Instruction)
                sub.keyword, sub.raw_keyword = sub_kw
                sub.start = s + j
                sub.logical = piece[j:]
                sub.end = s + len(piece)
                sub.start_line = sub.end_line = i
                sub.args_start = m.end() - j
                sub.key_values = sub.shell = sub.comment_before = None
                sub.stage = stage
                ins = new(_FullInstruction)
                ins.keyword, ins.raw_keyword = kw
                ins.start = s + k
                ins.logical = piece[k:] if k else piece
                ins._offsets = None  # (the range from its start, as the simple path's)
                ins.end = s + len(piece)
                ins.start_line = ins.end_line = i
                ins.args_start = j - k
                ins.flags, ins.heredocs, ins.json_args, ins.sub = (), (), None, sub
                ins.key_values = ins.shell = None
                ins.stage = stage
                ins.comment_before = prev_comment
                prev_comment = None
                _check_args(ins, escape)
                append(ins)
                continue
        if (
            heredoc_line is not None
            and "<<" in piece
            and s
            and (
                (m := heredoc_line(piece)) is not None
                or (words_line is not None and (m := words_line(piece)) is not None)
            )
        ):
            # `RUN <<EOF`, `RUN bash <<EOF`: what _read_instruction and _read_heredoc_bodies build (tests/
            # test_parse_fast.py compares), without their look at each body line: the terminator
            # is the first line that is the word itself (a list search), and the body's lines
            # before it, each with its newline, are the text between (one slice).
            if docs_quoted:  # (QUOTED_HEREDOC_LINE's groups: `-`, quote, name)
                chomp, quoted, name = m[3] == "-", m[4] != "", m[5]
            else:
                chomp, quoted, name = False, False, m[3]
            if not chomp:
                try:
                    j = index(name, i)
                except ValueError:
                    j = -1  # (no terminator: the general path says so)
            else:  # `<<-`: the first line that is the name after tabs
                j = i
                while j < n and contents[j].lstrip("\t") != name:
                    j += 1
                if j == n:
                    j = -1
            if j >= 0:
                raw_kw = m[1]
                kw = keywords.get(raw_kw)
                if kw is None:
                    kw = keywords[raw_kw] = (raw_kw.upper(), raw_kw)
                k = m.start(1)
                doc = new(Heredoc)
                doc.name, doc.chomp, doc.expand, doc.shell_expands, doc.fd = name, chomp, not quoted, not quoted, 0
                doc.content = text[starts[i] : starts[j]]
                doc.line_offsets = starts[i:j]
                doc.terminator_line = j + 1
                ins = new(_FullInstruction)
                ins.keyword, ins.raw_keyword = kw
                ins.start = s + k
                ins.logical = piece[k:] if k else piece
                ins._offsets = range(ins.start, s + len(piece))
                ins.end = starts[j] + len(contents[j])  # (the terminator's content: its tabs too)
                ins.start_line = i
                ins.end_line = i = j + 1
                ins.args_start = m.end(2) - k
                ins.flags, ins.heredocs, ins.json_args, ins.sub = [], [doc], None, None
                ins.key_values = ins.shell = None
                ins.stage = stage
                ins.comment_before = prev_comment
                prev_comment = None
                append(ins)
                continue
        e = s + len(piece)
        s = s or first  # line 0's BOM
        start_line = i
        raw = text[s:e]
        c = raw[:1]  # (a line that starts with neither a blank nor `#` is no comment: no call)
        if c == "#" or (c in GO_SPACE and _is_comment(raw)):
            prev_comment = raw.strip()
            continue
        # strip leading whitespace of the first line
        while s < e and text[s] in GO_SPACE:
            s += 1
        if s >= e:
            prev_comment = None
            continue
        ins, i = _read_instruction(text, lines, s, e, i, start_line, escape)
        if ins.flags:
            flagged.append(ins)
            if not frontend:
                _check_flag_names(ins)
        ins.comment_before = prev_comment
        prev_comment = None
        i = _read_heredoc_bodies(text, lines, ins, i, start_line)
        if ins.keyword == "FROM":
            stage += 1
            _check_from(ins)
        ins.stage = stage
        if ins.sub is not None:
            ins.sub.stage = stage
        append(ins)

    if not instructions:
        raise DockerfileSyntaxError("file with no instructions", 1)
    if not frontend:
        _check_bases(instructions, escape)
    if escape != "\\":
        for ins in instructions:  # (the layouts are the same: only the class changes)
            ins.__class__ = _BACKTICK_CLASS[type(ins)]
            if ins.sub is not None:
                ins.sub.__class__ = _BACKTICK_CLASS[type(ins.sub)]
    if not fast:
        df = Dockerfile(text, path, directives, escape, instructions, starts, stages=False)
        _assign_stages(df, fast)
    else:
        df = _LazyStages(text, path, directives, escape, instructions, starts, stages=False)
    df.flagged = flagged
    return df


def _read_directives(text: str, lines: _Lines, first: int) -> tuple[list[Directive], str, int]:
    """Parser directives: leading lines of the form '# name=value', any order. Returns them, the
    escape character and the index of the first line after them."""
    directives: list[Directive] = []
    escape = "\\"
    seen: set[str] = set()
    i = 0
    while i < len(lines):
        line = lines.contents[i][first:] if i == 0 else lines.contents[i]
        # BuildKit trims a line's leading blanks before it looks for a directive: `  # escape=``.
        m = read_directive(line.lstrip(GO_SPACE))
        if not m or m[0].lower() not in KNOWN_DIRECTIVES:
            break
        name = m[0].lower()
        if name in seen:
            raise DockerfileSyntaxError(f"only one {name} parser directive can be used", i + 1)
        seen.add(name)
        if name == "escape":
            if m[1] not in ("\\", "`"):
                raise DockerfileSyntaxError(f"invalid escape token '{m[1]}' does not match ` or \\", i + 1)
            escape = m[1]
        directives.append(Directive(name, m[1], i + 1))
        i += 1
    return directives, escape, i


def _read_instruction(
    text: str, lines: _Lines, s: int, e: int, i: int, start_line: int, escape: str
) -> tuple[Instruction, int]:
    """The instruction whose first line is text[s:e]: its continuation lines (comment and blank
    lines between them skipped) joined into one logical line. Returns it and the next line index."""
    contents = lines.contents
    line = contents[i - 1]  # the first line, from its start: text[e - len(line) : e]
    k = continuation_at(line, escape)
    if k < 0:  # one line: its offsets are a range
        return _make_instruction(text[s:e], range(s, e), s, e, start_line, i, escape), i
    cont = e - len(line) + k
    chars = [text[s:cont]]
    # Where each piece starts in the joined line and in the source, not an offset per character
    # (building those was a quarter of parsing a corpus of real files; _Pieces makes them when
    # asked).
    at, sources = [0], [s]
    length = cont - s
    last_end = e
    starts, n = lines.starts, len(lines)
    twice = escape + escape
    while i < n:
        a, seg = starts[i], contents[i]  # seg: text[a:b]
        i += 1
        lead = seg.lstrip(GO_SPACE)
        if not lead or lead[0] == "#":
            continue  # a comment or blank line between continuations (_is_comment, inlined)
        last_end = b = a + len(seg)
        at.append(length)
        sources.append(a)
        # `continuation_at(seg, escape) < 0`, inlined: its twin (this loop is most of parsing a RUN
        # of many continued lines, and the stripped line is the piece kept)
        body = seg.rstrip(" \t")
        if not body.endswith(escape) or body.endswith(twice):
            chars.append(seg)
            length += b - a
            break
        body = body[:-1]
        chars.append(body)
        length += len(body)
    return _make_instruction("".join(chars), _Pieces(at, sources, length), s, last_end, start_line, i, escape), i


class _Pieces:
    """The source offsets of a joined line's characters, as the pieces (source lines up to their
    escapes) it was joined from: piece j starts at ``at[j]`` in the line and ``sources[j]`` in the
    source. Indexable like the array it stands for; ``array()`` makes that array."""

    __slots__ = ("at", "sources", "n")

    def __init__(self, at: list[int], sources: list[int], n: int):
        self.at, self.sources, self.n = at, sources, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, k):
        if type(k) is not int:
            return self.array()[k]
        if k < 0:
            k += self.n
        if not 0 <= k < self.n:
            raise IndexError("offset index out of range")
        j = bisect_right(self.at, k) - 1  # the last piece starting at or before k (an empty one never)
        return self.sources[j] + k - self.at[j]

    def __iter__(self):
        return iter(self.array())

    def array(self) -> array:
        # Machine integers, not a list of int objects: 8 bytes per character instead of 36. The
        # pieces' ranges chained at C level (a loop over 170,000 pieces was a tenth of a lint),
        # packed by struct a chunk at a time: array's own fill converts each item through
        # PyArg_Parse, twice the cost (4 % of the many-fixes migrate).
        at, sources = self.at, self.sources
        lengths = map(sub, chain(islice(at, 1, None), (self.n,)), at)
        offsets = chain.from_iterable(map(range, sources, map(add, sources, lengths)))
        code = offset_code(sources[-1] + self.n - at[-1] - 1 if at else 0)  # (pieces in source order)
        out = array(code)
        left = self.n
        while left:
            k = left if left < _PACK_CHUNK else _PACK_CHUNK
            out.frombytes(pack(f"{k}{code}", *islice(offsets, k)))
            left -= k
        return out


def offset_code(largest: int) -> str:
    """The array type of offsets up to ``largest``: 4 bytes each when they fit (a continued RUN
    of 10 MB kept 80 MB of offsets in 8-byte items, 40 MB in these), 8 beyond."""
    return "i" if largest <= _INT32 else "q"


_INT32 = (1 << 31) - 1


_PACK_CHUNK = 1 << 16  # offsets packed at once: a bound on the arguments tuple of a long instruction


def _read_heredoc_bodies(text: str, lines: _Lines, ins: Instruction, i: int, start_line: int) -> int:
    """Heredoc bodies follow the line that opens them: read them (line ``i`` on) into the
    instruction (and the one an ONBUILD carries), extending its end; the next line index."""
    target = ins.sub if ins.keyword == "ONBUILD" and ins.sub is not None else ins
    if target.keyword not in HEREDOC_KEYWORDS or target.json_args is not None:
        return i
    last_end = ins.end
    # BuildKit looks for heredocs in the whole line, flags included (`--f=1\x85<<EOF`).
    for _, doc in heredoc_words(target.logical, len(target.raw_keyword)):
        i, last_end = _read_heredoc_body(text, lines, doc, i, start_line)
        target.heredocs.append(doc)
        if target is not ins:
            ins.heredocs.append(doc)
    ins.end = last_end
    ins.end_line = i
    return i


def _read_heredoc_body(text: str, lines: _Lines, doc: Heredoc, i: int, start_line: int) -> tuple[int, int]:
    """Lines ``i`` on, up to the terminator, into ``doc``; the line index after the terminator and
    the terminator's end offset."""
    body_lines: list[str] = []
    line_offsets: list[int] = []
    # (Each line's content is the piece _Lines keeps, text[starts:ends], no slice of its own; so
    # is the raw line, text[starts:raw_ends], in a text without a '\r': the same list of ends.)
    contents, starts, n = lines.contents, lines.starts, len(lines)
    same = lines.raw_ends is lines.ends
    name, chomp = doc.name, doc.chomp
    while True:
        if i >= n:
            raise DockerfileSyntaxError("unterminated heredoc", start_line)
        candidate = contents[i]
        i += 1
        if chomp:
            candidate = candidate.lstrip("\t")
        if candidate == name:
            break
        body_lines.append((contents[i - 1] if same else lines.raw(i - 1)) + "\n")
        line_offsets.append(starts[i - 1])
    doc.content = "".join(body_lines)
    doc.line_offsets = line_offsets
    doc.terminator_line = i
    return i, lines.content_end(i - 1)


def _make_instruction(
    logical: str,
    offsets,
    start: int,
    end: int,
    start_line: int,
    end_line: int,
    escape: str = "\\",
    sub: bool = False,
) -> Instruction:
    # BuildKit: the joined line is trimmed (strings.TrimSpace), then its first word (split on
    # whitespace) is the command: `\` alone on a line, then `  RUN x` is a RUN.
    k0 = 0
    while k0 < len(logical) and logical[k0] in GO_SPACE:
        k0 += 1
    # (A line of blanks only, joined from `\` and ` \` lines, trims to nothing: k0 is its end.)
    k, trimmed = k0, max(k0, len(logical.rstrip(GO_SPACE)))
    while k < trimmed and logical[k] not in WHITESPACE:
        k += 1
    raw_kw = logical[k0:k]
    keyword = _go_keyword(raw_kw)
    flags, pos, skip = _builder_flags(logical, offsets, k, trimmed, keyword)
    while pos < len(logical) and logical[pos] in GO_SPACE:
        pos += 1
    ins = _FullInstruction(keyword, raw_kw, start, end, start_line, end_line, logical, offsets, pos, flags, [])
    rest = logical[pos:].rstrip(GO_SPACE)
    if keyword in JSON_KEYWORDS and rest.startswith("["):
        value = _first_json_value(rest)
        if isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise DockerfileSyntaxError(
                    "when using JSON array syntax, arrays must be comprised of strings only", start_line
                )
            ins.json_args = value
    elif keyword == "HEALTHCHECK":
        value = _health_json(rest, skip)
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            raise DockerfileSyntaxError(
                "when using JSON array syntax, arrays must be comprised of strings only", start_line
            )
    if flags and not sub and not (keyword == "HEALTHCHECK" and _healthcheck_none(rest)):
        _check_flag_values(keyword, flags, start_line)
    if keyword == "ONBUILD" and rest:
        # (BuildKit reads an ONBUILD's instruction only when a build FROM this one triggers it.)
        ins.sub = _make_instruction(
            logical[pos:], offsets[pos:], offsets[pos], end, start_line, end_line, escape, sub=True
        )
    if keyword in ("ENV", "LABEL"):
        _check_key_values(ins, escape)
    if keyword in _ARGS_CHECKED and not sub:
        _check_args(ins, escape)
    return ins


# The builder flags BuildKit's instruction parser (bflag) reads as strings, by instruction: one
# written without `=` (`FROM --platform linux/amd64 img`, `COPY --from build a b`) is refused
# ("missing a value on flag"), whatever follows it. Flags no frontend knows: _KNOWN_FLAGS.
_VALUE_FLAGS = {
    "FROM": frozenset({"platform"}),
    "RUN": frozenset({"mount", "network", "security", "device"}),
    "COPY": frozenset({"from", "chown", "chmod", "exclude"}),
    "ADD": frozenset({"chown", "chmod", "checksum", "exclude"}),
    "HEALTHCHECK": frozenset({"interval", "timeout", "start-period", "start-interval", "retries"}),
}


# Every builder flag a Dockerfile frontend knows, labs ones included, by instruction; BuildKit
# refuses any other ("unknown flag: --x") on these instructions, and takes any on ARG, STOPSIGNAL
# and an ONBUILD's instruction (checked on Engine 28.5). A file with a `# syntax=` directive is
# read by that frontend, which may be newer than this table: its flags are left alone.
_KNOWN_FLAGS = {
    **_VALUE_FLAGS,
    "RUN": frozenset({"mount", "network", "security", "device"}),
    "COPY": frozenset({"from", "chown", "chmod", "link", "parents", "exclude"}),
    "ADD": frozenset({"chown", "chmod", "link", "keep-git-dir", "checksum", "exclude", "unpack", "parents"}),
    **dict.fromkeys(
        ("ENV", "WORKDIR", "LABEL", "USER", "EXPOSE", "CMD", "SHELL", "VOLUME", "ENTRYPOINT", "MAINTAINER"),
        frozenset(),
    ),
}


def _check_flag_names(ins: Instruction) -> None:
    known = _KNOWN_FLAGS.get(ins.keyword)
    if known is None or ins.keyword == "HEALTHCHECK" and _healthcheck_none(ins.logical[ins.args_start :]):
        return
    seen = set()
    for f in ins.flags:
        if f.name not in known:
            raise DockerfileSyntaxError(f"unknown flag: --{f.name}", ins.start_line)
        if f.name in seen and f.name not in _REPEATABLE_FLAGS:
            raise DockerfileSyntaxError(f"duplicate flag specified: --{f.name}", ins.start_line)
        seen.add(f.name)
        why = _bad_flag_value(ins, f)
        if why:
            raise DockerfileSyntaxError(why, ins.start_line)


# What every Dockerfile frontend refuses in a known flag's value when it reads the instruction,
# whichever stage it is in (BuildKit's instructions.Parse; checked on Engine 28.5, and in
# BuildKit's history back to 0.8, whose rules were stricter: `--retries=0` and `--interval=0s`
# were refused until 0.11, and are taken here). What is refused only when the stage is built
# (`--mount=type=nope`, `--chmod=999z`, `--checksum=bad`, `FROM --platform=bogus`) is left to
# the build: a stage the build does not reach never refuses it.
_REPEATABLE_FLAGS = frozenset({"mount", "exclude", "device"})  # BuildKit's "strings" flags
_BOOL_FLAGS = frozenset({"link", "parents", "keep-git-dir", "unpack"})
_DURATION_FLAGS = frozenset({"interval", "timeout", "start-period", "start-interval"})
_FLAG_CHOICES = {"network": ("default", "none", "host"), "security": ("insecure", "sandbox")}
# Go's time.ParseDuration: a sign, then numbers (a digit before or after the dot) each with a unit.
# (Possessive quantifiers: a run of digits is never given back, so a long value without a unit
# fails at once, not after trying every split of its digits.)
_GO_DURATION = re.compile(r"([-+]?)((?:(?:[0-9]++(?:\.[0-9]*+)?|\.[0-9]++)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))++|0)")
_GO_DURATION_PART = re.compile(r"([0-9]*)\.?([0-9]*)([a-z\u00b5\u03bc]+)")
_NANOSECONDS = {"ns": 1, "us": 10**3, "\u00b5s": 10**3, "\u03bcs": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9}
_NANOSECONDS["h"] = 3600 * 10**9


def _go_duration(text: str) -> int | None:
    """Go's time.ParseDuration of ``text``, in nanoseconds (truncated), or None if it refuses it."""
    m = _GO_DURATION.fullmatch(text)
    if m is None:
        return None
    total = 0
    for whole, frac, unit in _GO_DURATION_PART.findall(m[2]):
        if len(whole.lstrip("0")) > 19:
            return None  # (more than Go's int64 holds: it refuses; and int() of 4,300 digits raises)
        frac = frac[:19]  # (Go stops reading a fraction's digits where its int64 would overflow)
        scale = _NANOSECONDS.get(unit, 0)
        total += int(whole or 0) * scale + int(frac or 0) * scale // 10 ** len(frac)
    if total > 2**63 - 1:  # (one nanosecond more than Go's largest Duration is refused)
        return None
    return -total if m[1] == "-" else total


def _bad_flag_value(ins: Instruction, f: Flag) -> str | None:
    """BuildKit's error for flag ``f``'s value on ``ins``, if every frontend refuses it (None
    otherwise), as _check_flag_values reads values: BuildKit's unquoted reading of the word."""
    name, value = f.name, f.unquoted
    if name in _BOOL_FLAGS:
        if value == "":
            return f"missing a value on flag: --{name}"
        if value is not None and value.lower() not in ("true", "false"):
            return f"expecting boolean value for flag --{name}, not: {value}"
    elif value is None:
        return None
    elif name in _FLAG_CHOICES and ins.keyword == "RUN":
        if value not in _FLAG_CHOICES[name]:
            if name == "network":
                return f"invalid network mode {_go_quote(value)}"
            return f"security {_go_quote(value)} is not valid"
    elif name in _REPEATABLE_FLAGS and ins.keyword == "RUN" and value == "":
        return f"failed to parse csv {name}s: EOF"
    elif ins.keyword == "HEALTHCHECK" and value:
        if name in _DURATION_FLAGS:
            # (Or the value as written: an older frontend reads `µs` as one character, BuildKit
            # 0.13 and later byte by byte.)
            d = _go_duration(value)
            if d is None:
                d = _go_duration(f.value or "")
            if d is None:
                return f"time: invalid duration {_go_quote(value)}"
            if 0 != d < 10**6:
                return f'Interval "{name}" cannot be less than 1ms'
        elif name == "retries":
            if re.fullmatch(r"[-+]?[0-9]+", value) is None:
                return f"strconv.ParseInt: parsing {_go_quote(value)}: invalid syntax"
            if not -(2**31) <= int(value) < 2**31:
                return f"strconv.ParseInt: parsing {_go_quote(value)}: value out of range"
            if int(value) < 0:
                return f"--retries cannot be negative ({int(value)})"
    return None


def _go_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# BuildKit's parseHealthConfig: the type is the first word, split on reWhitespace.
_HEALTH_TYPE = re.compile(r"[\t\v\f\r ]*([^\t\v\f\r ]*)")


def _healthcheck_none(args: str) -> bool:
    """``args`` (a HEALTHCHECK's, after its flags) are `NONE`, on which every frontend reads no
    flag at all: `HEALTHCHECK --interval --x NONE` is taken."""
    return _HEALTH_TYPE.match(args)[1].upper() == "NONE"


def _check_flag_values(keyword: str, flags: list[Flag], line: int) -> None:
    names = _VALUE_FLAGS.get(keyword)
    if names is None:
        return
    known = _KNOWN_FLAGS[keyword]
    for f in flags:
        if f.name not in known and f.name.lower() in known:
            # bflag looks a name up as written, first: `--PLATFORM x`, `--From=a` are no flags, in
            # every frontend (a `# syntax=` one's too: none reads them case-blind).
            raise DockerfileSyntaxError(f"unknown flag: --{f.name}", line)
        if f.value is None and f.name in names:
            raise DockerfileSyntaxError(f"missing a value on flag: --{f.name}", line)
        if keyword == "COPY" and f.name == "from" and "$" in (f.unquoted or ""):
            _refuse_from_dollar(
                f.unquoted,
                "variable expansion is not supported for --from, define a new stage with FROM using ARG from"
                " global scope as a workaround",
                line,
            )
        elif keyword == "RUN" and f.name == "mount" and "$" in (f.unquoted or ""):
            for field in f.unquoted.split(","):
                key, eq, value = field.partition("=")
                if eq and key.strip().lower() == "from" and "$" in value:
                    _refuse_from_dollar(
                        value, "'from' doesn't support variable expansion, define alias stage instead", line
                    )


# A `$` that starts an expansion (a name, `${`, a special parameter), as BuildKit's lexer reads one.
_EXPANDING_DOLLAR = re.compile(r"\$[A-Za-z_{0-9@*#?$!-]")


def _refuse_from_dollar(value: str, message: str, line: int) -> None:
    """A `COPY --from=` or `--mount=…,from=` holding a `$`: no builder expands it. BuildKit
    refuses one its lexer would expand (`$B`, `${B:-b}`, `\\$B` and `'$B'` too: the word is
    unquoted first) with ``message`` and any other as no stage or image name (`b$`); the classic
    builder takes it as a reference, which no name matches. Checked on Engine 28.5 (BuildKit) and
    20.10 (classic). An ONBUILD's is left alone: it is read when a later build triggers it."""
    if _EXPANDING_DOLLAR.search(value):
        raise DockerfileSyntaxError(message, line)
    raise DockerfileSyntaxError(f'failed to parse stage name "{value}": invalid reference format', line)


_BLANKS_RE = re.compile(r"[\t\v\f\r ]+")  # BuildKit's reWhitespace
_STAGE_NAME = re.compile(r"[a-z][a-z0-9\-_.]*")  # BuildKit's validStageName
_ASCII_STAGE_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9\-_.]*")  # the same before lower-casing (ASCII)


# What BuildKit's instruction parser (frontend/dockerfile/instructions/parse.go) requires of the
# arguments its line parser gave, before the build starts: at least this many, or exactly one.
_ONE_WORD_ARGS = True  # tests/test_parse_fast.py compares the check with and without the shortcut
# ... and an ARG of one plain word checked first, in one step (a chain of 450,000 ARGs;
# tests/test_global_defaults_direct_fast.py compares the parse with this off).
ARG_FIRST = True
_AT_LEAST = {"COPY": 2, "ADD": 2, "ENV": 1, "LABEL": 1, "ARG": 1, "EXPOSE": 1, "VOLUME": 1}
_AT_LEAST |= {"HEALTHCHECK": 1, "ONBUILD": 1, "SHELL": 1}
_EXACTLY_ONE = frozenset({"USER", "WORKDIR", "STOPSIGNAL", "MAINTAINER"})
_ARGS_CHECKED = frozenset(_AT_LEAST) | _EXACTLY_ONE


def _check_args(ins: Instruction, escape: str) -> None:
    """Refuse an instruction whose arguments BuildKit's instruction parser refuses: too few
    (`COPY a`, `EXPOSE`, `USER`), a `SHELL` not in JSON form, an empty `VOLUME`, a blank
    `ENV`/`LABEL`/`ARG` name (`ENV =x`), a `HEALTHCHECK` of no known type or without its command.
    The arguments are counted as its line parser splits them (JSON elements; words split on
    ASCII blanks; `USER`, `WORKDIR`... one string)."""
    kw, line = ins.keyword, ins.start_line
    if kw == "ARG" and ARG_FIRST and _ONE_WORD_ARGS and _ONE_WORD.fullmatch(ins.logical, ins.args_start) is not None:
        # (An ARG of one plain word, most: a blank name is all the steps below can refuse in it.)
        if ins.logical[ins.args_start] == "=":
            raise DockerfileSyntaxError("ARG names can not be blank", line)
        return
    rest = ins.logical[ins.args_start :].rstrip(GO_SPACE)
    if kw in _EXACTLY_ONE:
        if not rest:
            raise DockerfileSyntaxError(f"{kw} requires exactly one argument", line)
        return
    if ins.json_args is not None:
        args = ins.json_args
    elif kw in ("ENV", "LABEL", "ARG"):
        if _ONE_WORD_ARGS and _ONE_WORD.fullmatch(ins.logical, ins.args_start) is not None:
            args = [rest]  # (nothing split_words reads specially: most ARGs, one word)
            blank = rest[0] == "="
        else:
            args = [ins.logical[a:b] for a, b in _parse_words(ins, escape)]
            blank = args and ("=" in args[0] or kw == "ARG") and any(w.startswith("=") for w in args)
        if blank:
            raise DockerfileSyntaxError(f"{kw} names can not be blank", line)
    elif kw == "COPY" or kw == "ADD":
        # Two words or more, split on blanks, when ``rest`` holds a blank run: no list of them.
        if _BLANKS_RE.search(rest) is not None:
            return
        args = ()
    elif kw in ("VOLUME", "EXPOSE"):
        args = _BLANKS_RE.split(rest) if rest else []
    else:
        args = [rest] if rest else []
    if len(args) < _AT_LEAST[kw]:
        if kw in ("COPY", "ADD"):
            raise DockerfileSyntaxError(
                f"{kw} requires at least two arguments, but only one was provided. Destination could not be determined",
                line,
            )
        raise DockerfileSyntaxError(f"{kw} requires at least one argument", line)
    if kw == "SHELL" and ins.json_args is None:
        raise DockerfileSyntaxError("SHELL requires the arguments to be in JSON form", line)
    if kw == "VOLUME" and any(not v.strip(GO_SPACE) for v in args):
        raise DockerfileSyntaxError("VOLUME specified can not be an empty string", line)
    m = re.match(r"([^\t\n\v\f\r ]*)[\t\n\v\f\r ]*(.*)\Z", rest, re.S) if kw == "HEALTHCHECK" else None
    if m is not None and not m[1].isascii():
        # Its byte scanner ends the word at a byte 0x85 or 0xA0 (a space as a rune), inside a
        # character; what it keeps holds a byte that is no ASCII letter: never CMD or NONE.
        typ = re.split(rb"[\x85\xa0]", m[1].encode("utf-8", "surrogatepass"), maxsplit=1)[0]
        raise DockerfileSyntaxError(
            f'Unknown type "{typ.decode("utf-8", "replace").upper()}" in HEALTHCHECK (try CMD)', line
        )
    if m is not None:
        typ, after = m[1].upper(), m[2]
        if typ == "NONE":
            value = _health_json(rest) if after else None  # (`NONE []`: no arguments)
            if after and not (isinstance(value, list) and not value):
                raise DockerfileSyntaxError("HEALTHCHECK NONE takes no arguments", line)
        elif typ != "CMD":
            raise DockerfileSyntaxError(f'Unknown type "{typ}" in HEALTHCHECK (try CMD)', line)
        elif not after or _health_json(rest) == []:
            raise DockerfileSyntaxError("Missing command after HEALTHCHECK CMD", line)


def _check_from(ins: Instruction) -> None:
    m = _FROM_WORDS.match(ins.logical, ins.args_start)
    if m is not None:
        if m[2] is None:  # one plain word, the commonest FROM
            return
        name = m[3]
        if (
            name is not None
            and m[2] in ("AS", "as")
            and m.end() == len(ins.logical)
            and _ASCII_STAGE_NAME.fullmatch(name)
        ):
            return  # `img AS name`, the next commonest
    _check_from_args(ins.logical[ins.args_start :].rstrip(GO_SPACE), ins.start_line)


# distribution/reference's grammar (regexp.go), as ParseNormalizedNamed reads a FROM's image:
# lower-case path components joined by `.`, `_`, `__` or dashes, an optional registry (any case,
# a port), a tag of word characters (ASCII: Go's \w). Digests are not judged here.
_REF_PATH = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REF_HOST_PART = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_REF_DOMAIN = rf"(?:{_REF_HOST_PART}(?:\.{_REF_HOST_PART})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_REFERENCE = re.compile(rf"((?:{_REF_DOMAIN}/)?{_REF_PATH}(?:/{_REF_PATH})*)(?::[A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}})?")
_REF_LONGEST = 255 + 1 + 128  # a name of 255 characters at most, then `:` and a tag of 128
_HEX64 = re.compile(r"[a-f0-9]{64}")
# A Docker Hub name of at most 128 characters (no registry: the first component has no `.` or
# `:` and is not `localhost`; no 64-digit identifier), maybe tagged: valid however it is read.
_PLAIN_REFERENCE = re.compile(
    rf"(?=[^:]{{1,128}}(?::|\Z))(?!localhost(?:/|:|\Z)|[a-f0-9]{{64}}\Z)[a-z0-9]+(?:(?:_|__|-+)[a-z0-9]+)*(?:/{_REF_PATH})*"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
)
# PLAIN_REFERENCES: such a name judged in one C-level match, not by _reference_error's splits and
# look-ups: 200,000 distinct `FROM team/imgN:vN` (10 MB) parsed 0.71 s slower with the check than
# without it, 0.30 s with this. tests/test_from_reference.py compares the verdicts on and off.
PLAIN_REFERENCES = True
_UNREAD_BASE = "$'\"\\`@"  # (an expansion, a quote or an escape may change the word; a digest)


def _check_bases(instructions: list[Instruction], escape: str) -> None:
    """BuildKit's refusal of a FROM image no reference can name (`FROM Ubuntu`, `FROM a..b`,
    `FROM node:`): dockerfile2llb parses every stage's base that names no stage with
    distribution/reference's ParseNormalizedNamed before anything is built, reachable or not
    (`failed to parse stage name "Ubuntu": invalid reference format`). Judged only where the
    word is read for sure: as written (no quote, escape or `$`: no expansion changes it), not
    naming an earlier stage of the file, not `scratch`, no digest. A base names a stage or
    `scratch` only as written and only an earlier stage: stage names are lower-cased, the base is
    not (`FROM Build` after `AS build`, and `FROM Scratch`, are images, refused as upper-case by
    Engines 20.10, 26.1 and 28.5 with BuildKit), and a base naming a later stage (or its own
    stage's name) is an image, judged as one. With NEWER_ENGINE_REFUSALS, every stage's name
    first: see _stage_name_error. Called only without a `# syntax=` frontend, which may read FROM
    its own way."""
    froms = list(compress(instructions, map("FROM".__eq__, map(attrgetter("keyword"), instructions))))
    names: dict[str, Instruction] = {}  # stage name, lower-cased as BuildKit does -> its first FROM
    images: dict[str, int] = {}  # image -> its first line (each distinct image judged once)
    match = _FROM_WORDS.match
    for ins in froms:
        m = match(ins.logical, ins.args_start)
        if m is not None:  # (blank-free words: what the split below gives them)
            image, name = m[1], m[3]
        else:  # The words as BuildKit splits FROM's arguments (_check_from_args: one, or three).
            rest = ins.logical[ins.args_start :].rstrip(GO_SPACE)
            args = _BLANKS_RE.split(rest) if rest else [""]
            image, name = args[0], args[2] if len(args) == 3 else None
        if image not in images and image not in names:  # (an earlier stage's name: that stage)
            images[image] = ins.start_line
        if name is not None:
            name = name.replace("\u0130", "i").lower()
            if name not in names:
                names[name] = ins
    if NEWER_ENGINE_REFUSALS and not (STAGE_NAMES_PLAIN and _plain_stage_names(names)):
        for name, at in names.items():
            error = _stage_name_error(name)
            if error is not None:
                raise DockerfileSyntaxError(f"invalid context name {name}: {error}", at.start_line)
    for image, line in images.items():
        if not image or PLAIN_REFERENCES and _PLAIN_REFERENCE.fullmatch(image) or any(c in image for c in _UNREAD_BASE):
            continue
        if escape in image or image == "scratch":
            continue
        error = _reference_error(image)
        if error is not None:
            raise DockerfileSyntaxError(f'failed to parse stage name "{image}": {error}', line)


_STAGE_REFERENCE = re.compile(_REF_PATH)
# What only the newer engines refuse (Engines 26.1 and 28.5), and Engine 20.10 (docs/engines.md:
# the setup's default) builds: a stage name no reference can be (`AS b.`, `AS a___b`: "invalid
# context name"), and a `COPY --from=` or mount `from=` naming a later stage (stage_graph). aishell
# refuses only what every engine it supports refuses: a refusal blocks `aishell build` on an
# engine that builds the file. Off; tests/test_stage_refs_r68c_engine.py holds the checks to
# Engine 28.5's verdicts with it on.
NEWER_ENGINE_REFUSALS = False
# STAGE_NAMES_PLAIN: stage names without `.`, `_` or `-`, none of 64 characters or more (letters
# and digits: a reference whatever they are), found in C-level scans of them joined, not judged
# one by one: on 200,001 stages each FROM the one before (4.6 MB), _check_bases took 0.31 s
# before the check, 0.40 s with it name by name, 0.34 s with this.
# tests/test_stage_refs_r68c_engine.py compares the verdicts on and off.
STAGE_NAMES_PLAIN = True


def _plain_stage_names(names) -> bool:
    """Every name in ``names`` is letters and digits only, shorter than 64 (see STAGE_NAMES_PLAIN)."""
    joined = "".join(names)
    return "." not in joined and "_" not in joined and "-" not in joined and max(map(len, names), default=0) < 64


_STAGE_NAME_LONGEST = 255 - len("library/")


def _stage_name_error(name: str) -> str | None:
    """The error of BuildKit's look-up of a named build context for a stage's name (lower-cased;
    `--build-context NAME=...` may replace a stage), made for every stage before any is built,
    reachable or not: the name is parsed as a Docker Hub reference, `library/NAME`, whose path
    takes no `..`, `___`, `.-`, no `.`, `_` or `-` at the end, at most 255 characters (the path
    alone: distribution/reference since v0.6), no 64-digit hexadecimal string. Engines 26.1 and
    28.5 refuse such a name (`invalid context name b.: invalid reference format`); BuildKit
    before 0.10 (Engine 20.10) has no named contexts and builds it."""
    if _HEX64.fullmatch(name):
        return f"invalid repository name ({name}), cannot specify 64-byte hexadecimal strings"
    if _STAGE_REFERENCE.fullmatch(name) is None:
        return "invalid reference format"
    if len(name) > _STAGE_NAME_LONGEST:
        return "invalid reference format: repository name must not be more than 255 characters"
    return None


def _reference_error(s: str) -> str | None:
    """ParseNormalizedNamed's error for the reference ``s`` (no digest), or None: its
    splitDockerDomain (a first component with `.` or `:`, `localhost`, or an upper-case letter
    is a registry; Docker Hub's names get `library/`), then the upper-case check of the
    repository and the grammar."""
    if _HEX64.fullmatch(s):
        return f"invalid repository name ({s}), cannot specify 64-byte hexadecimal strings"
    i = s.find("/")
    first = s[:i]
    if i == -1 or ("." not in first and ":" not in first and first != "localhost" and first.lower() == first):
        domain, rest = "docker.io", s
    else:
        domain, rest = first, s[i + 1 :]
    if domain == "index.docker.io":
        domain = "docker.io"
    if domain == "docker.io" and "/" not in rest:
        rest = "library/" + rest
    remote = rest.split(":", 1)[0]
    if remote.lower() != remote:
        return f"invalid reference format: repository name ({remote}) must be lowercase"
    full = domain + "/" + rest
    m = _REFERENCE.fullmatch(full) if len(full) <= _REF_LONGEST + len(domain) + 1 else None
    if m is None:
        return "invalid reference format"
    # The path's length, without the registry (distribution/reference since v0.6: Engines 26.1
    # and 28.5 pull `FROM` + 240 letters, `library/` and the name; 20.10 counted `docker.io/` in
    # and refused it, and a name one of them builds is not refused).
    if len(m[1]) - len(domain) - 1 > 255:
        return "invalid reference format: repository name must not be more than 255 characters"
    return None


def _check_from_args(rest: str, line: int) -> None:
    """BuildKit's parseBuildStageName (instructions/parse.go, unchanged since 2017), which reads
    FROM's arguments before anything else: one (the image) or three (`img AS name`, `AS` in any
    case as Go's EqualFold matches it, `aſ` too), the name, lower-cased as Go does, matching
    `^[a-z][a-z0-9-_.]*$`. The line parser accepts `FROM a b`; the build does not start."""
    args = _BLANKS_RE.split(rest) if rest else []
    if len(args) == 3 and len(args[1]) == 2 and args[1].casefold() == "as":
        name = args[2].replace("\u0130", "i").lower()
        if _STAGE_NAME.fullmatch(name) is None:
            raise DockerfileSyntaxError(
                f'invalid name for build stage: "{args[2]}", name can\'t start with a number or contain symbols', line
            )
    elif len(args) != 1:
        raise DockerfileSyntaxError("FROM requires either one or three arguments", line)


def _go_keyword(raw: str) -> str:
    """The instruction BuildKit dispatches the command word to, upper-cased: it looks up
    strings.ToLower(word), Unicode's simple lower-casing, where the Kelvin sign is 'k' and 'İ' is
    'i' (`HEALTHCHECK` with a Kelvin sign is a HEALTHCHECK), and Python's upper() would make
    'ſHELL' a SHELL and 'ENTRYPOıNT' an ENTRYPOINT, which BuildKit ignores as unknown."""
    if raw.isascii():
        return raw.upper()
    low = raw.replace("\u0130", "i").lower()
    return low.upper() if low.isascii() else raw


# -- BuildKit's byte scanners -------------------------------------------------------------------
# extractBuilderFlags and parseHealthConfig walk the line byte by byte and ask unicode.IsSpace of
# each byte taken as a rune: true for the ASCII blanks and for 0x85 and 0xA0, which are also
# continuation bytes of many UTF-8 characters (U+0085, U+00A0, 'à' c3 a0, U+2005 e2 80 85,
# U+2800 e2 a0 80...). So a word ends in the middle of such a character, and what follows may
# start in the middle of it. The ports below work on the text's characters and look at bytes
# only for non-ASCII characters: ASCII text (nearly every line) never leaves the regex fast path.
_ASCII_BLANKS = "\t\n\v\f\r "
_ASCII_BLANK_RUN = re.compile(r"[\t\n\v\f\r ]*")
_NON_ASCII_RUN = re.compile(r"[\x80-\U0010ffff]{1,4096}")  # bounded: each run is encoded once
_SPACE_BYTE = re.compile(rb"[\x85\xa0]")
# In a flag word: what ends a run of ordinary characters (blank, quote, backslash, non-ASCII).
_FLAG_WORD_STOP = re.compile(r"[\t\n\v\f\r \"'\\\x80-\U0010ffff]")
_FLAG_QUOTE_STOP = {"'": re.compile(r"['\\]"), '"': re.compile(r'["\\]')}
_HEALTH_STOP = re.compile(r"[\t\n\v\f\r \x80-\U0010ffff]")


def _utf8(c: str) -> bytes:
    return c.encode("utf-8", "surrogatepass")


def _space_byte(s: str, i: int, end: int) -> tuple[int, int]:
    """``s[i]`` is not ASCII: the first byte 0x85 or 0xA0 in the run of non-ASCII characters from
    ``i`` as (character index, byte index in it), or (end of the run, -1) if there is none."""
    m = _NON_ASCII_RUN.match(s, i, end)
    data = _utf8(m.group())
    found = _SPACE_BYTE.search(data)
    if found is None:
        return m.end(), -1
    o = k = found.start()
    while data[k] & 0xC0 == 0x80:  # back to the first byte of the character holding it
        k -= 1
    return i + len(data[:k].decode("utf-8", "surrogatepass")), o - k


def _after_space_bytes(s: str, i: int, t: int) -> tuple[int, int]:
    """Skip the space bytes after byte ``t`` of ``s[i]``: (i, byte) if a byte of that character
    is left, else (i + 1, 0): the next character boundary."""
    data = _utf8(s[i])
    t += 1
    while t < len(data) and data[t] in (0x85, 0xA0):
        t += 1
    return (i, t) if t < len(data) else (i + 1, 0)


def _builder_flags(logical: str, offsets, pos: int, end: int, keyword: str) -> tuple[list[Flag], int, int]:
    """BuildKit's extractBuilderFlags on ``logical[pos:end]`` (the trimmed line after the keyword):
    leading words that start with ``--``, each up to a space byte, quotes kept together, and a
    backslash escaping exactly one byte inside quotes and out (BuildKit 0.12, which the reference
    bundles, ignores the escape directive here); a word that is ``--`` once unquoted ends them.

    Returns the flags (each the span of its word as written, whole characters: a word that ends
    inside a character takes that character), the index where the rest begins and, when it begins
    inside a character (after a word ended on a 0xA0 in U+2800, say), how many of that character's
    bytes belong to the word; the rest then starts with the character, which is no blank, quote or
    '=' to any later scanner, as BuildKit's leftover bytes are not."""
    flags: list[Flag] = []
    while True:
        a = _ASCII_BLANK_RUN.match(logical, pos, end).end()  # a character's first byte is never 0x85/0xA0
        if not (a + 1 < end and logical[a] == "-" and logical[a + 1] == "-"):
            return flags, a, 0
        j, built, quote = a, 0, None  # built: how many characters the unquoted word has
        cut = -1  # bytes of the word's last character that are the word's (all: -1)
        while True:
            if j >= end:
                b, after = end, (end, 0)
                break
            if quote is None:
                m = _FLAG_WORD_STOP.search(logical, j, end)
                k = end if m is None else m.start()
                built += k - j
                j = k
                if j == end:
                    continue
                c = logical[j]
                if c in _ASCII_BLANKS:
                    b, after = j, (j, 0)
                    break
                if c == "'" or c == '"':
                    quote = c
                    j += 1
                    continue
                if c == "\\":
                    if j + 1 == end:
                        j += 1  # an escape at the end is dropped
                        continue
                    built += 1
                    c = logical[j + 1]
                    if c < "\x80":
                        j += 2
                        continue
                    # The escape takes the character's first byte; its other bytes are word bytes.
                    data = _utf8(c)
                    found = _SPACE_BYTE.search(data, 1)
                    if found is None:
                        j += 2
                        continue
                    b, after, cut = j + 2, _after_space_bytes(logical, j + 1, found.start()), found.start()
                    break
                ci, t = _space_byte(logical, j, end)
                if t < 0:
                    built += ci - j
                    j = ci
                    continue
                built += ci - j + 1  # and the bytes of s[ci] before the space byte
                b, after, cut = ci + 1, _after_space_bytes(logical, ci, t), t
                break
            m = _FLAG_QUOTE_STOP[quote].search(logical, j, end)
            k = end if m is None else m.start()
            built += k - j
            j = k
            if j == end:
                continue
            if logical[j] == quote:
                quote = None
                j += 1
            elif j + 1 == end:
                quote = None  # an escape at the end is dropped, the word ends unquoted
                j += 1
            else:
                built += 1  # the escape takes the next byte (a character's first: the rest follow)
                j += 2
        if built == 2:  # the word is `--` (its first two characters are the dashes)
            return flags, b, 0
        word = logical[a:b]
        name, eq, value = word[2:].partition("=")
        pos, skip = after
        # The name as BuildKit reads it, from the word unquoted (`--"from"=x` is a --from), and
        # the value both as written and as BuildKit reads it (`--from=a\:b` is `a:b`).
        data = _utf8(word) if cut < 0 else _utf8(word[:-1]) + _utf8(word[-1])[:cut]
        bk_name, bk_eq, bk_value = _flag_word(data)[2:].partition("=")
        flags.append(
            Flag(
                # As written: BuildKit's bflag looks a name up as it is (`--FROM=x`: "unknown flag").
                _flag_text(bk_name),
                value if eq else None,
                offsets[a],
                offsets[b - 1] + 1,
                offsets[a + 3 + len(name)] if eq and value else None,
                _flag_text(bk_value) if bk_eq else None,
            )
        )
        if skip:
            return flags, pos, skip


def _flag_word(data: bytes) -> str:
    """The builder-flag word ``data`` (its bytes as written) as BuildKit's extractBuilderFlags
    builds it: quotes removed, a backslash taking the next byte in either kind of quote and out
    (one ending the word dropped), and each byte appended as the rune of its value, so a byte
    0x80-0xFF is that Latin-1 character (`--from=é` is `--from=Ã©` to BuildKit)."""
    if data.isascii() and not any(c in data for c in b"\\'\""):
        return data.decode("ascii")
    out, quote, i, n = [], None, 0, len(data)
    while i < n:
        c = data[i]
        if quote is None and c in (0x22, 0x27):
            quote = c
        elif quote is not None and c == quote:
            quote = None
        elif c == 0x5C:
            if i + 1 < n:
                i += 1
                out.append(data[i])
            else:
                quote = None
        else:
            out.append(c)
        i += 1
    return bytes(out).decode("latin-1")


def _flag_text(word: str) -> str:
    """Text of part of a _flag_word: its bytes read back as UTF-8 (a character the word ends
    inside is U+FFFD), which is what a rule compares with an image or a key."""
    return word.encode("latin-1").decode("utf-8", errors="replace") if not word.isascii() else word


def _health_json(rest: str, skip: int = 0):
    """BuildKit's parseHealthConfig on the trimmed arguments ``rest`` (which begin ``skip`` bytes
    into their first character): the first word ends at the first space byte, the next at the
    first byte after the space bytes that follow; the JSON value that starts there, or None."""
    n = len(rest)
    if skip:  # the leftover bytes of rest[0]: continuation bytes, none a first byte
        data = _utf8(rest[0])
        found = _SPACE_BYTE.search(data, skip)
        if found is not None:
            if found.start() == skip:
                return None  # the first word is empty: no command at all
            i, skip = _after_space_bytes(rest, 0, found.start())
            return None if skip else _first_json_value(rest[i:].lstrip(GO_SPACE))
        i = 1
    else:
        i = 0
    while True:
        m = _HEALTH_STOP.search(rest, i)
        if m is None:
            return None  # one word only
        i = m.start()
        if rest[i] in _ASCII_BLANKS:
            return _first_json_value(rest[i:].lstrip(GO_SPACE)) if i else None
        ci, t = _space_byte(rest, i, n)
        if t >= 0:
            i, skip = _after_space_bytes(rest, ci, t)
            # The rest starts inside a character: not JSON (BuildKit keeps it as a string).
            return None if skip else _first_json_value(rest[i:].lstrip(GO_SPACE))
        i = ci


def _first_json_value(text: str):
    """The JSON value ``text`` starts with, or None, as Go's decoder (BuildKit's parseJSON) reads
    it: the first value only (`["a"] x` is `["a"]`); NaN and Infinity are not JSON; a number
    beyond float64 (`1e999`, anywhere in the value) fails the whole decode; a lone surrogate
    escape is U+FFFD; nesting deeper than 10,000 fails (Python's own decoder would raise
    RecursionError long before: _deep_json answers then)."""
    global _json_decode
    if _json_decode is None:  # one decoder for every call (making one was a tenth of this call)
        import json

        def no_constant(name):
            raise ValueError(name)

        decoder = json.JSONDecoder(parse_constant=no_constant, parse_float=_go_number, parse_int=_go_number)
        _json_decode = decoder.raw_decode
    try:
        value = _json_decode(text)[0]
    except ValueError:
        return None
    except RecursionError:
        return _deep_json(text)
    if isinstance(value, list) and "\\u" in text:
        value = [_LONE_SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for v in value]
    return value


_json_decode = None  # _first_json_value's JSONDecoder().raw_decode, made when first needed
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a pair decodes to one character: what is left is alone


def _go_number(s: str) -> float:
    """A JSON number as Go decodes it into an interface{}: a float64, an error beyond its range."""
    f = float(s)
    if f in (float("inf"), float("-inf")):
        raise ValueError(s)
    return f


_JSON_TOKEN = re.compile(
    r'[ \t\n\r]*(?:("(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*")'
    r"|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)|(true|false|null)|([\[\]{},:]))"
)
_JSON_MAX_DEPTH = 10000  # Go's encoding/json scanner: "exceeded max depth"


def _deep_json(text: str):
    """For JSON nested too deep for Python's decoder: None where Go's decoder fails (bad syntax,
    deeper than 10,000, a number beyond float64), else ``[None]``. The value is an array holding
    an array or an object, which is all the callers look at: not an array of strings."""
    stack: list[str] = []
    expect = "value"  # value, value or ']', key or '}', key, ':', ',' or the close
    overflow = False
    i = 0
    while True:
        m = _JSON_TOKEN.match(text, i)
        if m is None:
            return None
        i = m.end()
        string, number, literal, punct = m.groups()
        if expect in ("value", "value]"):
            if punct in ("[", "{"):
                stack.append(punct)
                if len(stack) > _JSON_MAX_DEPTH:
                    return None
                expect = "value]" if punct == "[" else "key}"
                continue
            if punct == "]" and expect == "value]":
                stack.pop()
            elif punct is not None:
                return None
            elif number is not None and float(number) in (float("inf"), float("-inf")):
                overflow = True
        elif expect in ("key", "key}"):
            if string is not None:
                expect = ":"
                continue
            if not (punct == "}" and expect == "key}"):
                return None
            stack.pop()
        elif expect == ":":
            if punct != ":":
                return None
            expect = "value"
            continue
        elif punct == ",":
            expect = "value" if stack[-1] == "[" else "key"
            continue
        elif punct == ("]" if stack[-1] == "[" else "}"):
            stack.pop()
        else:
            return None
        if not stack:  # a value ended: the whole one?
            return None if overflow else [None]
        expect = ","


def _parse_words(ins: Instruction, escape: str) -> list[tuple[int, int]]:
    """The words BuildKit's parseWords reads in an ENV, LABEL or ARG: split on unicode.IsSpace
    (a no-break space separates two words) in the joined line trimmed by strings.TrimSpace, where
    an escape with nothing after it is dropped, so a last word that is only that escape is no
    word at all (`ENV \\` then a no-break space: no arguments)."""
    end = len(ins.logical.rstrip(GO_SPACE))
    words = split_words(ins.logical, ins.args_start, end, seps=GO_SPACE, escape=escape)
    if words and words[-1] == (end - 1, end) and ins.logical[end - 1] == escape:
        words.pop()
    return words


def _check_key_values(ins: Instruction, escape: str = "\\") -> None:
    """Reject what BuildKit's parseNameVal rejects: a ``key=value`` list with a
    word that has no ``=``, or a legacy ``ENV key value`` without a value."""
    words = _parse_words(ins, escape)
    if not words:
        return
    first = ins.logical[words[0][0] : words[0][1]]
    if "=" not in first:
        # The old form `ENV name value` is split in two at the first blank, quotes or not.
        if (
            len(_BLANKS_RE.split(ins.logical[ins.args_start : len(ins.logical.rstrip(GO_SPACE))].strip(GO_SPACE), 1))
            < 2
        ):
            raise DockerfileSyntaxError(f"{ins.keyword} must have two arguments", ins.start_line)
        return
    for a, b in words:
        if "=" not in ins.logical[a:b]:
            raise DockerfileSyntaxError(
                f'Syntax error - can\'t find = in "{ins.logical[a:b]}". Must be of the form: name=value', ins.start_line
            )


def key_values(ins: Instruction) -> list[tuple[str, str]]:
    """``key=value`` pairs of an ENV or LABEL, unquoted.

    Split by dockerfile-parse, which follows Docker's quoting rules here
    (imported on demand: only rules that need the pairs pay for it), when no escape character
    is in them: it reads `\\` whatever the file's escape, and in double quotes it keeps the
    backslash of `\\$` and `\\\\` where BuildKit's lexer removes it.
    """
    if ins.key_values is not None:
        return ins.key_values
    args = ins.args
    escape = ins.escape
    if escape not in args and "\\" not in args and not any(c in args for c in _PY_ONLY_SPACE):
        if "'" not in args and '"' not in args:
            # No quote or escape: both readers below give str.split's answer (they split where
            # str.isspace holds, here Go's blanks, and dequote nothing), without dockerfile-parse's
            # character-at-a-time reader (an ENV PATH line read that way was 3 % of migrating a
            # corpus of real files).
            words = args.split()
            if words:
                if "=" not in words[0]:
                    key_value = args.split(None, 1)
                    ins.key_values = [(key_value[0], key_value[1] if len(key_value) > 1 else "")]
                else:
                    ins.key_values = [(k, v) for k, _, v in (w.partition("=") for w in words)]
                return ins.key_values
        from dockerfile_parse.util import extract_key_values

        try:
            ins.key_values = extract_key_values(env_replace=False, args={}, envs={}, instruction_value=ins.args)
            return ins.key_values
        except ValueError:
            pass
    # dockerfile-parse splits on Python's whitespace (\x1c-\x1f too) and refuses what BuildKit
    # accepts: the model already checked the file as BuildKit does, so split it the same way.
    words = split_words(ins.logical, ins.args_start, seps=GO_SPACE, escape=escape)
    texts = [ins.logical[a:b] for a, b in words]
    if texts and "=" not in texts[0]:
        rest = ins.logical[words[1][0] :].strip(GO_SPACE) if len(words) > 1 else ""
        ins.key_values = [(unquote(texts[0], escape=escape), unquote(rest, escape=escape))]
    else:
        ins.key_values = [
            (unquote(k, escape=escape), unquote(v, escape=escape)) for k, _, v in (t.partition("=") for t in texts)
        ]
    return ins.key_values


_PY_ONLY_SPACE = "\x1c\x1d\x1e\x1f"


_LEX_SPECIAL = re.compile(r"[$'\"\\}/]")
_LEX_SPECIAL_DQ = re.compile(r"[$\"\\]")
_SPECIAL_PARAMS = "@*#?-$!0"


def _name_end(s: str, j: int, n: int) -> int:
    """Where the name BuildKit's lexer reads at ``s[j]`` ends (processName): digits, one special
    parameter, or letters, digits and `_` (Go's unicode.IsDigit and IsLetter)."""
    if j < n and s[j].isdecimal():
        while j < n and s[j].isdecimal():
            j += 1
        return j
    if j < n and s[j] in _SPECIAL_PARAMS:
        return j + 1
    while j < n and (s[j].isalpha() or s[j].isdecimal() or s[j] == "_"):
        j += 1
    return j


def _lexer_fails(s: str, start: int) -> bool:
    """Whether BuildKit's shell lexer, as it looks for heredocs (escape `\\` whatever the file's,
    unset variables kept as written), fails on ``s[start:]``: a quote left open, or a `${` it
    refuses (`${#a}`, `${a!}`, `${a^^}`, `${}`, `${a` without its `}`; `${a#p}`, `${a%p}`,
    `${a/p/r}`, `${a:-w}`, `${a?w}` are read). Then it finds no heredoc on the line at all.
    Iterative (a stack of what each open `${`, `/` or `"` waits for): one pass, any nesting."""
    i, n = start, len(s)
    stack: list[str] = []  # "}" or "/" (inside ${...}: the character that ends it), '"'
    while True:
        mode = stack[-1] if stack else ""
        m = (_LEX_SPECIAL_DQ if mode == '"' else _LEX_SPECIAL).search(s, i)
        if m is None:
            return bool(stack)
        i = m.start()
        c = s[i]
        if mode == '"':
            if c == '"':
                stack.pop()
                i += 1
                continue
            if c == "\\":
                i += 2 if i + 1 < n and s[i + 1] in '"$\\' else 1
                continue
        elif c == mode:  # the end of a ${...} part
            stack.pop()
            if c == "/":
                stack.append("}")
            i += 1
            continue
        elif c in "}/":
            i += 1
            continue
        elif c == "'":
            j = s.find("'", i + 1)
            if j < 0:
                return True
            i = j + 1
            continue
        elif c == '"':
            stack.append('"')
            i += 1
            continue
        elif c == "\\":
            i += 2
            continue
        # `$`
        j = i + 1
        if j >= n or s[j] != "{":
            i = _name_end(s, j, n)
            continue
        j += 1
        if j >= n or s[j] in "{}:":
            return True  # missing '}' / bad substitution
        k = _name_end(s, j, n)
        if k >= n:
            return True
        ch = s[k]
        k += 1
        if ch == "}":
            pass
        elif ch == ":":
            if k >= n:
                return True
            k += 1  # any character after ':' is taken as the modifier
            stack.append("}")
        elif ch in "+-?#%":
            stack.append("}")
        elif ch == "/":
            if k < n and s[k] == "/":
                k += 1
            stack.append("/")
        else:
            return True  # unsupported modifier
        i = k


# heredoc_words of a line of ASCII holding no quote, backslash or `$` from the keyword's end on
# (`RUN bash <<EOF`, `COPY <<EOF /x`): BuildKit's lexer cannot fail on it (_lexer_fails has
# nothing to read), its words are the runs of characters between ASCII blanks, and the rest of a
# `<<` word is one word, its own name (nothing to unquote): the words holding `<<` found with one
# search, not split_words over the line and over each word's rest (a file of 333,000 `RUN bash
# <<EN` split each line twice). tests/test_heredoc_words_fast.py compares it with this off.
PLAIN_HEREDOC_WORDS = True
_HEREDOC_LINE_ODD = re.compile(r"[$'\"\\]")
_HEREDOC_WORD = re.compile(r"(?<![^\t\n\v\f\r ])[^\t\n\v\f\r ]*<<[^\t\n\v\f\r ]*")


def _plain_heredoc_words(logical: str, start: int) -> list[tuple[int, Heredoc]]:
    """heredoc_words of a line PLAIN_HEREDOC_WORDS takes (the caller has checked it)."""
    docs = []
    line = logical[start:]
    for w in _HEREDOC_WORD.finditer(line):
        m = HEREDOC_RE.match(w.group())
        if m is None:
            continue
        name = m.group(3)
        if not name:
            continue
        digits = m.group(1)
        fd = int(digits or 0) if len(digits) < 20 else 2**64 - 1  # (as heredoc_words)
        doc = Heredoc(name, "", m.group(2) == "-", True, fd)
        docs.append((start + w.start(), doc))
    return docs


def heredoc_words(logical: str, start: int) -> list[tuple[int, Heredoc]]:
    """The heredocs a joined line opens, as BuildKit finds them (its shell lexer splits the line
    from ``start``, the end of the keyword, on unicode.IsSpace; each word is matched against
    `^([0-9]*)<<(-?)([^<]*)$` and its rest lexed as one word): (index of the word, Heredoc)."""
    if "<<" not in logical:
        return []  # the common case: no word to look at
    if PLAIN_HEREDOC_WORDS and logical.isascii() and _HEREDOC_LINE_ODD.search(logical, start) is None:
        return _plain_heredoc_words(logical, start)
    if _lexer_fails(logical, start):
        return []  # BuildKit's lexer fails on the line, and then it looks for no heredoc at all
    docs = []
    for a, b in split_words(logical, start, seps=GO_SPACE):
        m = HEREDOC_RE.match(logical[a:b])
        if not m or not m.group(3):
            continue
        rest = m.group(3)
        if rest.startswith("\ufeff"):
            rest = rest[1:]  # BuildKit lexes the word with Go's text/scanner, which skips a leading BOM
        if not rest or len(split_words(rest)) != 1:
            continue
        # Escape `\\` whatever the file's. A lone escape ends the word (in a `# escape=`` file:
        # no continuation there), after any quote (the line has none open): the lexer drops it,
        # `<<EOF\\` is EOF and `<<\\` opens no heredoc.
        name = unquote(rest)
        if not name:
            continue  # `<<''`: the lexer makes no word of an empty string, so BuildKit sees no heredoc
        expand_body = not any(q in rest for q in "'\"")
        digits = m.group(1)
        fd = int(digits or 0) if len(digits) < 20 else 2**64 - 1  # Go's ParseUint: out of range is its maximum
        doc = Heredoc(name, "", m.group(2) == "-", expand_body, fd)
        doc.shell_expands = expand_body and "\\" not in rest
        docs.append((a, doc))
    return docs


def unquote_delimiter(word: str, dq_escapes: str = '"$\\') -> str:
    """A heredoc word's name with a backslash in it, unquoted as BuildKit's lexer does (escape
    `\\`, whatever the file's): in double quotes a backslash escapes only ``dq_escapes`` and any
    other stays (`<<"E\\OF"` ends at a line `E\\OF`); outside quotes it escapes anything. The
    shell reads a delimiter the same way with its own set (shell._DQ_ESCAPES). unquote's reading
    with escape `\\`, whose set in double quotes is BuildKit's."""
    return unquote(word, dq_escapes)


# The first three words of a FROM when they hold no quote, escape (either) or blank other than space
# and tab (what split_words would give them, then): the image, maybe `AS` and the name.
_FROM_WORD = r"([^\s'\"\\`]+)"
_FROM_WORDS = re.compile(rf"{_FROM_WORD}(?:[ \t]*\Z|[ \t]+{_FROM_WORD}(?:[ \t]*\Z|[ \t]+{_FROM_WORD}(?=[ \t]|\Z)))")


def _stage(df: Dockerfile, ins: Instruction) -> Stage:
    """The stage a FROM starts."""
    m = _FROM_WORDS.match(ins.logical, ins.args_start)
    if m is not None:
        image: Word | None = Word(m[1], *ins.source_span(*m.span(1)))
        name = m[3].lower() if m[3] is not None and m[2].lower() == "as" else None
    else:
        words = ins.words()
        image = words[0] if words else None
        name = None
        if len(words) >= 3 and words[1].text.lower() == "as":
            name = words[2].text.lower()
    platform = ins.flag("platform") if ins.flags else None
    return Stage(len(df.stages), ins, image, name, platform.value if platform else None)


def _assign_stages(df: Dockerfile, fast: bool = True) -> None:
    """Stages, each with the instructions from its FROM to the next, and the global ARGs.
    Found by keyword with C-level scans and slices: a loop over a million instructions was a
    tenth of the parse. Each instruction's ``stage`` is set by _parse already. ``fast=False``: the
    loop, the reference tests/test_parse_fast.py uses."""
    if not fast:
        for ins in df.all_instructions():
            ins.stage = -1
        df.stages, df.global_args = [], []
        return _assign_stages_loop(df)
    instructions = df.instructions
    froms = list(compress(count(), map("FROM".__eq__, map(attrgetter("keyword"), instructions))))
    first = froms[0] if froms else len(instructions)
    df.global_args = [ins for ins in instructions[:first] if ins.keyword == "ARG"]
    df.stages = stages = []
    append = stages.append
    match = _FROM_WORDS.match
    new, new_word = object.__new__, tuple.__new__
    froms.append(len(instructions))
    a = first
    for b in froms[1:]:
        ins = instructions[a]
        m = match(ins.logical, ins.args_start)
        if m is None or ins._offsets is not None or ins.flags:
            stage = _stage(df, ins)
        else:  # _stage's answer for a one-line FROM without flags, without its calls
            at = ins.start
            i, j = m.span(1)
            name = m[3]
            if name is not None:
                m2 = m[2]
                # lower() makes a new string even when nothing changes: one fewer per stage.
                name = (name if name.islower() else name.lower()) if m2 == "AS" or m2.lower() == "as" else None
            stage = new(Stage)
            stage.index = len(stages)
            stage.from_ins = ins
            stage.image = new_word(Word, (m[1], at + i, at + j))
            stage.name = name
            stage.platform = None
            stage._base = False
        stage.instructions = instructions[a:b]
        append(stage)
        a = b


def _assign_stages_loop(df: Dockerfile) -> None:
    stage: Stage | None = None
    for ins in df.instructions:
        if ins.keyword == "FROM":
            words = ins.words()
            image = words[0] if words else None
            name = None
            if len(words) >= 3 and words[1].text.lower() == "as":
                name = words[2].text.lower()
            platform = ins.flag("platform")
            stage = Stage(len(df.stages), ins, image, name, platform.value if platform else None)
            df.stages.append(stage)
        if stage is None:
            if ins.keyword == "ARG":
                df.global_args.append(ins)
            continue
        ins.stage = stage.index
        if ins.sub is not None:
            ins.sub.stage = stage.index
        stage.instructions.append(ins)
