"""Which commands does a RUN execute?

A small POSIX-shell reader, enough to find the simple commands of a script and
where they are in the source. It follows ``&&``, ``||``, ``;``, ``|``, ``&``,
newlines, ``( )``, ``{ }``, ``$( )``, backticks, control keywords, the wrappers
``sudo env exec timeout nice nohup xargs command time`` and the strings of
``sh -c`` / ``bash -c`` / ``bash -lc``, recursively. Arguments, strings, paths
and package names are never commands.

Every position is a source offset in the Dockerfile text, so a rule can point
at a command and a fix can remove it.
"""

from __future__ import annotations

from typing import NamedTuple

from aishell.model import Instruction, unquote

SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ash", "ksh"})
KEYWORDS_BEFORE_COMMAND = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "time"})
KEYWORDS_END = frozenset({"fi", "done", "esac"})
OPERATORS = ("&&", "||", ";;", "|&", ";", "|", "&", "(", ")")
# Wrapper: options that take a value.
WRAPPER_VALUE_OPTS = {
    "sudo": {"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-T", "-U", "--user", "--group"},
    "env": {"-u", "-C", "-S", "--unset", "--chdir", "--split-string"},
    "exec": {"-a"},
    "timeout": {"-s", "-k", "--signal", "--kill-after"},
    "nice": {"-n", "--adjustment"},
    "nohup": set(),
    "xargs": {"-n", "-I", "-L", "-P", "-d", "-a", "-s", "-E", "-e", "--max-args", "--max-procs", "--delimiter", "--arg-file", "--replace"},
    "command": set(),
    "time": {"-f", "-o", "--format", "--output"},
    "stdbuf": {"-i", "-o", "-e"},
}


class Token(NamedTuple):
    kind: str  # "word", "op", "sub" (a $( ) or backtick body)
    text: str  # as written
    a: int  # index into the scanned string
    b: int


class Command(NamedTuple):
    """One simple command: ``argv[0]`` is the executable, as the shell sees it."""

    argv: list[str]
    spans: list[tuple[int, int] | None]  # source spans of argv words
    start: int | None  # source span of the whole simple command
    end: int | None
    nested: bool  # inside ( ), { }, $( ), backticks, sh -c, or a control structure
    item: int  # index of the top-level list item (pipeline) it belongs to

    @property
    def name(self) -> str:
        return self.argv[0].rsplit("/", 1)[-1] if self.argv else ""


class Script:
    __slots__ = ("commands", "items", "exact")

    def __init__(self, commands=None, items=None, exact: bool = True):
        self.commands: list[Command] = commands or []
        # Source spans of the top-level list items, in order (pipelines between ; && || & newline).
        self.items: list[tuple[int, int]] = items or []
        self.exact = exact  # False when spans could not be mapped back


class _Mapped:
    """A string plus the source offset of each of its characters (None when unknown)."""

    def __init__(self, s: str, offsets: list[int | None]):
        self.s = s
        self.offsets = offsets

    def span(self, a: int, b: int) -> tuple[int, int] | None:
        if a >= b:
            return None
        x, y = self.offsets[a], self.offsets[b - 1]
        if x is None or y is None:
            return None
        return x, y + 1


def _find_close(s: str, i: int, opener: str) -> int:
    """Index just after the closer matching ``$(`` / ``(`` (i is after the opener) or backtick."""
    if opener == "`":
        while i < len(s):
            if s[i] == "\\":
                i += 2
                continue
            if s[i] == "`":
                return i + 1
            i += 1
        return len(s)
    depth, quote = 1, None
    while i < len(s):
        c = s[i]
        if quote == "'":
            if c == "'":
                quote = None
        elif c == "\\":
            i += 2
            continue
        elif quote == '"':
            if c == '"':
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(s)


def tokenize(s: str) -> tuple[list[Token], list[Token]]:
    """Words and operators of ``s``; second list: bodies of $( ) and backticks (also inside words)."""
    tokens: list[Token] = []
    subs: list[Token] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c in " \t\r":
            i += 1
            continue
        if c == "\n":
            tokens.append(Token("op", "\n", i, i + 1))
            i += 1
            continue
        if c == "#":
            while i < n and s[i] != "\n":
                i += 1
            continue
        if c == "\\" and i + 1 < n and s[i + 1] == "\n":
            i += 2
            continue
        op = next((o for o in OPERATORS if s.startswith(o, i)), None) if c in "&|;()" else None
        if op:
            tokens.append(Token("op", op, i, i + len(op)))
            i += len(op)
            continue
        # Redirections: [n]> >> < <& >& <<[-]WORD: the target is not a command.
        j = i
        while j < n and s[j].isdigit():
            j += 1
        if j < n and s[j] in "<>":
            k = j
            while k < n and s[k] in "<>&-|":
                k += 1
            tokens.append(Token("redir", s[i:k], i, k))
            i = k
            continue
        # A word.
        a, quote = i, None
        while i < n:
            c = s[i]
            if quote == "'":
                if c == "'":
                    quote = None
                i += 1
                continue
            if c == "\\":
                i += 2
                continue
            if c == "$" and s.startswith("$(", i) and not s.startswith("$((", i):
                end = _find_close(s, i + 2, "(")
                subs.append(Token("sub", s[i + 2 : end - 1], i + 2, end - 1))
                i = end
                continue
            if c == "`":
                end = _find_close(s, i + 1, "`")
                subs.append(Token("sub", s[i + 1 : end - 1], i + 1, end - 1))
                i = end
                continue
            if quote == '"':
                if c == '"':
                    quote = None
                i += 1
                continue
            if c in "'\"":
                quote = c
                i += 1
                continue
            if c in " \t\r\n;&|()<>":
                break
            i += 1
        tokens.append(Token("word", s[a:i], a, min(i, n)))
    return tokens, subs


def _unquote_mapped(m: _Mapped, a: int, b: int) -> _Mapped:
    """The unquoted value of word s[a:b], with offsets."""
    s = m.s
    out, offs = [], []
    quote, i = None, a
    while i < b:
        c = s[i]
        if quote == "'":
            if c == "'":
                quote = None
            else:
                out.append(c)
                offs.append(m.offsets[i])
        elif c == "\\" and i + 1 < b and (quote is None or s[i + 1] in '"\\$`\n'):
            out.append(s[i + 1])
            offs.append(m.offsets[i + 1])
            i += 1
        elif quote is None and c in "'\"":
            quote = c
        elif c == quote:
            quote = None
        else:
            out.append(c)
            offs.append(m.offsets[i])
        i += 1
    return _Mapped("".join(out), offs)


def _skip_wrapper(name: str, words: list[Token], k: int) -> int | None:
    """Index of the wrapped command's word after wrapper ``name`` at words[k], or None."""
    value_opts = WRAPPER_VALUE_OPTS[name]
    k += 1
    while k < len(words):
        w = unquote(words[k].text)
        if w == "--":
            k += 1
            break
        if name == "command" and w in ("-v", "-V"):
            return None  # `command -v X` looks X up, it does not run it
        if w.startswith("-") and len(w) > 1:
            k += 2 if w in value_opts else 1
            continue
        if name in ("env", "sudo") and "=" in w and not w.startswith("="):
            k += 1
            continue
        if name == "nice" and w.lstrip("-").isdigit():
            k += 1
            continue
        break
    if name == "timeout" and k < len(words):
        k += 1  # the duration
    return k if k < len(words) else None


def _shell_c_string(words: list[Token], k: int) -> int | None:
    """For ``sh [-opts] -c STRING``: index of STRING, else None."""
    j = k + 1
    while j < len(words):
        w = unquote(words[j].text)
        if w.startswith("-") and not w.startswith("--") and "c" in w[1:]:
            return j + 1 if j + 1 < len(words) else None
        if len(w) > 1 and w[0] in "-+" and w[1:].isalpha() and w[-1] in "oO":
            j += 2  # `-o pipefail`, `-euo pipefail`: the option takes the next word
            continue
        if w.startswith(("-", "+")):
            j += 1
            continue
        return None
    return None


class _Reader:
    def __init__(self) -> None:
        self.script = Script()

    def read(self, m: _Mapped, nested: bool, item_base: int | None = None) -> None:
        tokens, subs = tokenize(m.s)
        # Split into simple commands and top-level items.
        depth = 0
        item_start: int | None = None
        item_end: int | None = None
        current: list[Token] = []
        expect_command = True
        for_header = False

        def flush_item() -> None:
            nonlocal item_start, item_end
            if item_start is not None and not nested and item_base is None:
                sp = m.span(item_start, item_end)
                if sp is not None:
                    self.script.items.append(sp)
                else:
                    self.script.exact = False
            item_start = item_end = None

        def flush_command() -> None:
            nonlocal current
            if current:
                self._command(m, current, nested or depth > 0, item_base)
            current = []

        case_header = case_pattern = False
        cases = 0
        for t in tokens:
            if case_header or case_pattern:
                # `case WORD in PATTERN) ...;; PATTERN|PATTERN) ...;; esac`
                item_end = t.b
                if t.kind == "word" and unquote(t.text) == "esac":
                    case_header = case_pattern = False
                    cases -= 1
                    depth = max(0, depth - 1)
                elif case_header and t.kind == "word" and unquote(t.text) == "in":
                    case_header, case_pattern = False, True
                elif case_pattern and t.kind == "op" and t.text == ")":
                    case_pattern = False
                continue
            if t.kind == "op" and t.text == ";;" and cases:
                flush_command()
                case_pattern = True
                continue
            if t.kind == "op":
                flush_command()
                if t.text == "(":
                    if item_start is None and depth == 0:
                        item_start = t.a
                    depth += 1
                elif t.text == ")":
                    depth = max(0, depth - 1)
                    item_end = t.b
                if t.text in ("&&", "||", ";", "&", "\n", ";;") and depth == 0:
                    flush_item()
                    for_header = False
                continue
            if item_start is None and depth == 0:
                item_start = t.a
            item_end = t.b
            if t.kind == "redir":
                current.append(t)
                continue
            word = unquote(t.text)
            if not current:
                if for_header:
                    if word == "do":
                        for_header = False
                    continue
                if word in ("{", "}") or word in KEYWORDS_BEFORE_COMMAND or word in KEYWORDS_END:
                    if word == "{":
                        depth += 1
                    elif word == "}":
                        depth = max(0, depth - 1)
                    elif word in ("if", "while", "until"):
                        depth += 1
                    elif word in ("fi", "done"):
                        depth = max(0, depth - 1)
                    continue
                if word in ("for", "select"):
                    for_header = True
                    depth += 1
                    continue
                if word == "case":
                    case_header = True
                    cases += 1
                    depth += 1
                    continue
                if word == "esac" and cases:
                    cases -= 1
                    depth = max(0, depth - 1)
                    continue
            current.append(t)
        flush_command()
        flush_item()
        for sub in subs:
            inner = _Mapped(sub.text, m.offsets[sub.a : sub.b])
            self.read(inner, True, self._item_at(m.offsets[sub.a]) if item_base is None else item_base)

    def _item_at(self, offset: int | None) -> int:
        for idx, (a, b) in enumerate(self.script.items):
            if offset is not None and a <= offset < b:
                return idx
        return -1

    def _command(self, m: _Mapped, toks: list[Token], nested: bool, item_base: int | None) -> None:
        # Drop redirections and their targets.
        words: list[Token] = []
        skip = False
        for t in toks:
            if skip:
                skip = False
                continue
            if t.kind == "redir":
                skip = not t.text.endswith("-") or t.text.rstrip("-").endswith("<<")
                continue
            words.append(t)
        k = 0
        while k < len(words) and "=" in words[k].text and not words[k].text.startswith(("=", "-", "'", '"')):
            name = words[k].text.split("=", 1)[0]
            if not name.replace("_", "a").isalnum():
                break
            k += 1
        if k >= len(words):
            return
        start_span = m.span(toks[0].a, toks[0].b)
        end_span = m.span(toks[-1].a, toks[-1].b)
        item = item_base if item_base is not None else len(self.script.items)
        while k < len(words):
            name = unquote(words[k].text).rsplit("/", 1)[-1]
            if name in WRAPPER_VALUE_OPTS:
                self._record(m, words[k:], start_span, end_span, nested, item)
                nxt = _skip_wrapper(name, words, k)
                if nxt is None:
                    return
                k = nxt
                continue
            break
        self._record(m, words[k:], start_span, end_span, nested, item)
        if name in SHELLS:
            j = _shell_c_string(words, k)
            if j is not None:
                inner = _unquote_mapped(m, words[j].a, words[j].b)
                self.read(inner, True, item)

    def _record(self, m, words, start_span, end_span, nested, item) -> None:
        argv = [unquote(w.text) for w in words]
        spans = [m.span(w.a, w.b) for w in words]
        self.script.commands.append(
            Command(
                argv,
                spans,
                start_span[0] if start_span else None,
                end_span[1] if end_span else None,
                nested,
                item,
            )
        )


def analyse_text(s: str, offsets: list[int | None] | None = None) -> Script:
    """Commands of a shell script ``s`` (offsets default to indices of ``s``)."""
    reader = _Reader()
    reader.read(_Mapped(s, list(range(len(s))) if offsets is None else offsets), False)
    return reader.script


def _is_shell_heredoc_runner(script: Script) -> bool:
    """True when the RUN line feeds its heredoc to a shell: `RUN <<EOF` or `RUN bash <<EOF`."""
    return not script.commands or all(c.name in SHELLS and len(c.argv) == 1 for c in script.commands)


def analyse_run(ins: Instruction) -> Script:
    """The commands a RUN (or ONBUILD RUN) executes, in the order written (computed once per RUN)."""
    if ins.keyword == "ONBUILD" and ins.sub is not None:
        ins = ins.sub
    if ins.shell is None:
        ins.shell = _analyse(ins)
    return ins.shell


def _analyse(ins: Instruction) -> Script:
    if ins.json_args is not None:
        return _analyse_exec(ins)
    reader = _Reader()
    line = _Mapped(ins.logical[ins.args_start :], ins.offsets[ins.args_start :])
    reader.read(line, False)
    if ins.heredocs and _is_shell_heredoc_runner(reader.script):
        body_reader = _Reader()
        for doc in ins.heredocs:
            first = doc.content.split("\n", 1)[0]
            if first.startswith("#!") and first[2:].split()[0].rsplit("/", 1)[-1] not in SHELLS | {"env"}:
                continue  # e.g. a python script
            offs: list[int | None] = []
            for off, text in zip(doc.line_offsets, doc.content.split("\n")):
                offs.extend(range(off, off + len(text)))
                offs.append(off + len(text))
            body_reader.read(_Mapped(doc.content, offs[: len(doc.content)]), False)
        body = body_reader.script
        body.commands = reader.script.commands + body.commands
        return body
    return reader.script


def _analyse_exec(ins: Instruction) -> Script:
    args = ins.json_args or []
    script = Script(items=[(ins.start, ins.end)], exact=True)
    if not args:
        return script
    import json

    # Map each element to its source by finding its JSON text in the logical line.
    spans: list[tuple[int, int] | None] = []
    pos = ins.args_start
    for a in args:
        lit = json.dumps(a)
        idx = ins.logical.find(lit, pos)
        if idx < 0:
            spans.append(None)
            continue
        spans.append(ins.source_span(idx + 1, idx + len(lit) - 1) if len(lit) > 2 else None)
        pos = idx + len(lit)
    script.commands.append(Command(list(args), spans, ins.start, ins.end, False, 0))
    name = args[0].rsplit("/", 1)[-1]
    if name in SHELLS and len(args) >= 3 and "c" in args[1].lstrip("-") and args[1].startswith("-"):
        sp = spans[2]
        lit = json.dumps(args[2])
        if sp is not None and lit[1:-1] == args[2]:
            offsets = list(range(sp[0], sp[1]))
        else:
            offsets = [None] * len(args[2])  # JSON escapes: no exact spans
        inner = analyse_text(args[2], offsets)
        script.commands.extend(c._replace(nested=True, item=0) for c in inner.commands)
    return script

