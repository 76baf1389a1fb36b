"""The codemod of ``migrate.python_refs`` (its docstring says what is rewritten and what is
left): ``ReplaceLegacyImage``, the libcst transformer that decides each literal, and its runs
with black's checks (``rewrite_python``, ``_rewrite_together``: the rewrite compiles, its AST is
the original's but for the rewritten image names, and a second run changes nothing).
python_refs imports it only for a statement that needs libcst: a file whose every mention is a
plain literal is rewritten from CPython's tree, and importing libcst was 0.2 s of its run."""

from __future__ import annotations

import ast
import re
from bisect import bisect_left, bisect_right

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from aishell.findings import Edit
from aishell.images import FOUNDATION as REPLACEMENT
from aishell.images import LEGACY, LEGACY_RE, python_mentions
from aishell.migrate.python_refs import (  # (the warnings the plain path gives too)
    _BUILDS,
    _BYTES,
    _BYTES_JOINED,
    _JOINED,
    _SUMMED,
    DOCKERFILE_HINT,
    _mask,
    _offsets,
)


_PLACED = f"left a string that an f-string joins to more, mentioning {LEGACY}, as it is"


class ReplaceLegacyImage(cst.CSTTransformer):
    """A libcst transformer run by ``_transform`` (what libcst.codemod's VisitorBasedCodemodCommand
    and transform_module did, without what this module never reads: the output's code, a copy
    of each parsed tree, and the import of libcst.codemod and libcst.matchers, 0.3 s)."""

    DESCRIPTION = "Rewrite references to the image aishell:base to aishell:foundation."
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, embedded=None) -> None:
        super().__init__()
        self.warnings: list[str] = []
        self._docstrings: set[int] = set()
        self._parts: set[int] = set()  # strings inside an implicit concatenation
        self._summed: set[int] = set()  # strings a `+` joins to something else
        self._placed: set[int] = set()  # strings an f-string's placeholder joins to more
        self._marks: list[int] = []  # len(warnings) where each f-string / outermost join began
        self._placed_said = False  # (the join being left: a placeholder's string in it warned)
        self._inner: set[int] = set()  # concatenations inside another (`"a" "b" "c"` nests two)
        self._flagged: set[int] = set()  # f-string parts naming the image, left: the join warns once
        self._said: set[int] = set()  # bytes literals warned about (their join says nothing more)
        self._embedded = embedded  # rewrites a Dockerfile held in a string; None: left alone
        # id(original node) -> (range, new source text): the edits, in the original's positions.
        self.edits: dict[int, tuple[object, str]] = {}

    def reset(self) -> None:
        """Ready for another module (building a command costs libcst 40 ms: reuse it)."""
        self._docstrings.clear()
        self._parts.clear()
        self._summed.clear()
        self._placed.clear()
        self._marks.clear()
        self._inner.clear()
        self._flagged.clear()
        self._said.clear()
        self.edits = {}
        self.warnings.clear()

    def warn(self, warning: str) -> None:
        self.warnings.append(warning)

    @property
    def changed(self) -> int:  # literals rewritten
        return len(self.edits)

    def _record(self, original, new_code: str) -> None:
        self.edits[id(original)] = (self.get_metadata(PositionProvider, original), new_code)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        # `"aishell:base" + "-custom"` names another image: a string `+` joins to anything is no
        # whole image name by itself (the implicit form below is worked out; this one may join
        # a variable), so it is left as it is, with a warning.
        if isinstance(node.operator, cst.Add):
            for side in (node.left, node.right):
                if isinstance(side, (cst.SimpleString, cst.FormattedString)):
                    self._summed.add(id(side))
                elif isinstance(side, cst.ConcatenatedString):
                    self._summed.update(id(p) for p in _leaves(side))

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        # `f"{'aishell:base'}-x"` is `aishell:base-x`: a string a placeholder holds is the
        # f-string's value only when the f-string is that placeholder alone (no text, no other
        # placeholder, no conversion but `!s`, no format spec, no `=`) and joins nothing (no
        # implicit concatenation, no `+`); else it is joined to more, and left with a warning
        # as a `+` side is. (A literal deeper in the placeholder, a call's argument, is its own;
        # an f-string a placeholder holds is joined to more if that placeholder is.)
        self._marks.append(len(self.warnings))
        alone = len(node.parts) == 1 and not (
            id(node) in self._parts or id(node) in self._summed or id(node) in self._placed
        )
        for p in node.parts:
            if not isinstance(p, cst.FormattedStringExpression):
                continue
            if alone and p.conversion in (None, "s") and not p.format_spec and p.equal is None:
                continue
            e = p.expression
            if isinstance(e, (cst.SimpleString, cst.FormattedString)):
                self._placed.add(id(e))
            elif isinstance(e, cst.ConcatenatedString):
                self._placed.update(id(q) for q in _leaves(e))

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        if id(node) not in self._inner:
            self._marks.append(len(self.warnings))
        for part in (node.left, node.right):
            if isinstance(part, (cst.SimpleString, cst.FormattedString)):
                self._parts.add(id(part))
            elif isinstance(part, cst.ConcatenatedString):
                self._inner.add(id(part))

    def leave_ConcatenatedString(self, original: cst.ConcatenatedString, updated: cst.ConcatenatedString):
        # The parts were decided one by one; the value is their join. Keep the rewrite only when
        # the joined value changes exactly as the parts' rewrites say (the image, nothing else).
        # Decided once, at the outermost concatenation: n parts nest n - 1 of them, and each
        # deciding (and warning) again was n - 1 warnings and quadratic work.
        if id(original) in self._inner:
            return updated
        self._placed_said = _PLACED in self.warnings[self._marks.pop() :]
        leaves = _leaves(original)
        if any(id(p) in self.edits for p in leaves):
            try:
                old = "".join(ast.literal_eval(p.value) for p in leaves)
                new = "".join(
                    ast.literal_eval(self.edits[id(p)][1] if id(p) in self.edits else p.value) for p in leaves
                )
            except (ValueError, SyntaxError, AttributeError, TypeError):
                old, new = None, ""
            if old is not None and _mask(old) == _mask(new):
                return updated
            for p in leaves:
                self.edits.pop(id(p), None)
            return self._joined(original, original, leaves, True)
        return self._joined(original, updated, leaves, any(id(p) in self._flagged for p in leaves))

    def _joined(self, original: cst.ConcatenatedString, updated, leaves: list, said: bool):
        """A concatenation whose parts, rewritten one by one, do not make the image's rewrite
        (none names it, `"aishell:" "base"`, `f"aishell:" r'base'`; or the join is more than the
        part, `"docker.io/" "library/aishell:base"`): when the parts' values joined are the
        image, it becomes one literal of the new image, in the first part's quotes (an f-string
        if a part is one, as Python reads the join), its parentheses kept; where that is not
        safe, or ``said`` (a part names the image and the join is not it), it is left with a
        warning, never silently. A join that names the image in a Dockerfile is left with a
        warning too (its parts are rewritten only one by one); in a message, as a single
        literal's message is, it is left."""
        if id(original) in self._docstrings:
            return updated
        value = _joined_value(leaves)
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        if text is None and LEGACY_RE.search(_built_value(_leaves(updated)) or ""):
            if not self._placed_said:  # (else a placeholder's string said it)
                self.warn(_BUILDS)  # (`f"aishell:" f"{'base'}"`: placeholders of constants build it)
            return updated
        if text is None or not LEGACY_RE.fullmatch(text):
            if said or (
                text is not None
                and LEGACY_RE.search(text)
                and DOCKERFILE_HINT.search(text)
                and not any(LEGACY in p.value for p in leaves if isinstance(p, cst.SimpleString))
            ):
                self.warn(_JOINED)
            return updated
        if isinstance(value, bytes):
            if not any(id(p) in self._said for p in leaves):  # (else that part said it)
                self.warn(_BYTES_JOINED)
            return updated
        if any(id(p) in self._summed for p in leaves):
            self.warn(_SUMMED)
            return updated
        if any(id(p) in self._placed for p in leaves):
            self.warn(_PLACED)
            return updated
        if _comment_between(original):
            self.warn(
                f"left an implicitly concatenated string that joins to {LEGACY} as it is (a comment between its parts)"
            )
            return updated
        first = leaves[0]
        if any(isinstance(p, cst.FormattedString) for p in leaves):
            quote = first.end if isinstance(first, cst.FormattedString) else first.quote
            new = cst.FormattedString(
                parts=[cst.FormattedStringText(REPLACEMENT)],
                start="f" + quote,
                end=quote,
                lpar=original.lpar,
                rpar=original.rpar,
            )
        else:
            u = "u" if first.prefix.lower() == "u" else ""
            new = cst.SimpleString(
                f"{u}{first.quote}{REPLACEMENT}{first.quote}", lpar=original.lpar, rpar=original.rpar
            )
        # (The recorded span is the concatenation's without its parentheses: they stay as written.)
        self._record(original, cst.Module([]).code_for_node(new.with_changes(lpar=(), rpar=())))
        return new

    # Docstrings only talk about the image: remember them, never rewrite them.
    def _mark_docstring(self, body) -> None:
        if body and isinstance(body[0], cst.SimpleStatementLine) and body[0].body:
            expr = body[0].body[0]
            if isinstance(expr, cst.Expr) and isinstance(expr.value, (cst.SimpleString, cst.ConcatenatedString)):
                self._docstrings.add(id(expr.value))
                if isinstance(expr.value, cst.ConcatenatedString):  # every part, however many
                    self._docstrings.update(map(id, _leaves(expr.value)))

    def visit_Module(self, node: cst.Module) -> None:
        self._mark_docstring(node.body)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if isinstance(node.body, cst.IndentedBlock):
            self._mark_docstring(node.body.body)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if isinstance(node.body, cst.IndentedBlock):
            self._mark_docstring(node.body.body)

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.BaseExpression:
        if id(original) in self._docstrings or (LEGACY not in original.value and "\\" not in original.value):
            return updated
        prefix_len = len(original.value) - len(original.value.lstrip("rRbBuU"))
        prefix = original.value[:prefix_len]
        quote = original.quote
        body = original.value[prefix_len + len(quote) : -len(quote)]
        # `"""\` at the start is a line continuation: the value starts on the next line.
        lead = "\\\n" if body.startswith("\\\n") else ""
        rest = body[len(lead) :]
        if "\\" in rest and "r" not in prefix.lower():
            # Its value, escapes read: the image spelled with them (`"aishell\\x3abase"`) is the
            # image, and becomes the new one written plainly; one that only mentions it is left.
            value = _literal(original.value)
            text = value.decode("latin-1") if isinstance(value, bytes) else value
            if not isinstance(text, str) or not LEGACY_RE.search(text):
                return updated
            if not LEGACY_RE.fullmatch(text):
                self.warn(f"left a string with escapes as it is: {original.value[:40]}…")
                return updated
            lead, rest = "", None  # (the whole body is rewritten)
        new_rest = self._rewrite(rest) if rest is not None else REPLACEMENT
        if new_rest is None or new_rest == rest:
            return updated
        if "b" in prefix.lower():
            # A bytes literal is left as it is, but never silently: it names the image as the
            # str literal that would be rewritten does (`[b"docker", b"run", b"aishell:base"]`).
            self.warn(_BYTES + original.value[:40])
            self._said.add(id(original))
            return updated
        if id(original) in self._summed:
            self.warn(_SUMMED)
            return updated
        if id(original) in self._placed:
            self.warn(_PLACED)
            return updated
        value = f"{prefix}{quote}{lead}{new_rest}{quote}"
        self._record(original, value)
        return updated.with_changes(value=value)

    def leave_FormattedString(self, original: cst.FormattedString, updated: cst.FormattedString) -> cst.BaseExpression:
        # An f-string with placeholders builds its value at run time: never the whole image.
        # One without any (f"aishell:base") is a plain literal, its escapes read as a plain
        # literal's are (f"aishell\\x3abase" is the image, and becomes the new one written plainly).
        texts = [p for p in updated.parts if isinstance(p, cst.FormattedStringText)]
        if _PLACED in self.warnings[self._marks.pop() :]:
            return updated  # (a placeholder's string joined to more said it: the f-string is left)
        if len(updated.parts) == 1 and texts and LEGACY_RE.fullmatch(_text_value(updated, texts[0].value) or ""):
            if id(original) in self._parts:
                self._flagged.add(id(original))  # (the concatenation says it, once)
                return updated
            if id(original) in self._summed:
                self.warn(_SUMMED)
                return updated
            if id(original) in self._placed:
                self.warn(_PLACED)
                return updated
            new = updated.with_changes(parts=[texts[0].with_changes(value=REPLACEMENT)])
            self._record(original, cst.Module([]).code_for_node(new))
            return new
        if any(LEGACY_RE.search(t.value) for t in texts):
            self.warn(_BUILDS)
        elif id(original) not in self._parts and LEGACY_RE.search(_built_value([updated]) or ""):
            self.warn(_BUILDS)  # (`f"aishell:{'base'}"`: built from constants; a join decides its own)
        return updated

    def _rewrite(self, body: str) -> str | None:
        if DOCKERFILE_HINT.search(body):
            if self._embedded is None:
                return None
            new = self._embedded(body)
            if new is None and LEGACY_RE.search(body):  # (a text BuildKit would not read: said, never silent)
                self.warn(
                    f"left a string that starts like a Dockerfile but is not one BuildKit reads, naming {LEGACY}, as it is"
                )
            return new
        # Only the exact image: a literal that is `aishell:base`, nothing more and nothing less.
        return REPLACEMENT if LEGACY_RE.fullmatch(body) else None


def _literal(code: str) -> str | bytes | None:
    """The value of one string literal, or None; quietly (an invalid escape, `"\\d"`, is a
    warning Python 3.12 prints as it compiles)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = ast.literal_eval(code)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return None
    return value if isinstance(value, (str, bytes)) else None


def _text_value(node: cst.FormattedString, text: str) -> str | None:
    """The value of the f-string ``node`` whose only part is the text ``text`` (escapes read
    unless raw, `{{` and `}}` one brace each), or None."""
    if "\\" not in text and "{" not in text and "}" not in text:
        return text
    value = _literal(
        node.start.replace("f", "").replace("F", "") + text.replace("{{", "{").replace("}}", "}") + node.end
    )
    return value if isinstance(value, str) else None


def _joined_value(leaves: list) -> str | bytes | None:
    """The value of a concatenation of ``leaves`` as Python joins it, or None when not known
    without running it (an f-string with a placeholder)."""
    values = []
    for p in leaves:
        if isinstance(p, cst.FormattedString):
            if not all(isinstance(q, cst.FormattedStringText) for q in p.parts):
                return None
            body = "".join(q.value for q in p.parts).replace("{{", "{").replace("}}", "}")
            code = p.start.replace("f", "").replace("F", "") + body + p.end
        else:
            code = p.value
        value = _literal(code)
        if value is None:
            return None
        values.append(value)
    try:
        return values[0][:0].join(values)
    except TypeError:  # (str and bytes: not Python)
        return None


def _built_value(leaves: list) -> str | None:
    """The str a concatenation of ``leaves`` builds when every placeholder of its f-strings holds
    string literals alone (`{'base'}`, `{'ba' 'se'!s}`, `{'bas':e<4}`, an f-string of such), its
    value known without running anything; None when one holds anything else (a name, a call) or
    a part is bytes."""
    values = []
    for p in leaves:
        if isinstance(p, cst.FormattedString):
            quote = p.start.replace("f", "").replace("F", "")
            for q in p.parts:
                if isinstance(q, cst.FormattedStringText):
                    value = _literal(quote + q.value.replace("{{", "{").replace("}}", "}") + p.end)
                else:
                    value = _field_value(q)
                if not isinstance(value, str):
                    return None
                values.append(value)
        elif isinstance(p, cst.SimpleString):
            value = _literal(p.value)
            if not isinstance(value, str):
                return None
            values.append(value)
        else:
            return None
    return "".join(values)


_WIDE = re.compile(r"[0-9]{4,}")


def _field_value(q: cst.FormattedStringExpression) -> str | None:
    """The value of a replacement field that holds string literals alone (its conversion and a
    format spec of text or of such fields applied, as Python applies them), or None."""
    e = q.expression
    if isinstance(e, (cst.ConcatenatedString, cst.FormattedString)):
        value = _built_value(_leaves(e))
    elif isinstance(e, cst.SimpleString):
        value = _literal(e.value)
    else:
        return None
    if not isinstance(value, str):
        return None
    if q.conversion:
        convert = {"s": str, "r": repr, "a": ascii}.get(q.conversion)
        if convert is None:
            return None
        value = convert(value)
    if q.format_spec:
        spec = []
        for part in q.format_spec:
            got = part.value if isinstance(part, cst.FormattedStringText) else _field_value(part)
            if got is None:
                return None
            spec.append(got)
        spec_text = "".join(spec)
        if _WIDE.search(spec_text):
            return None  # (`{'a':>999999999}`: a width no name is, never made)
        try:
            value = format(value, spec_text)
        except (ValueError, TypeError, OverflowError, MemoryError):
            return None
    return value


def _comment_between(node) -> bool:
    """Whether a comment stands between two parts of the concatenation ``node``."""
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, cst.ConcatenatedString):
            if "#" in cst.Module([]).code_for_node(n.whitespace_between):
                return True
            todo.extend((n.left, n.right))
    return False


def _leaves(node) -> list:
    """The strings of a concatenation, in order (iteratively: it nests as deep as it is long)."""
    out, todo = [], [node]
    while todo:
        n = todo.pop()
        if isinstance(n, cst.ConcatenatedString):
            todo.append(n.right)
            todo.append(n.left)
        else:
            out.append(n)
    return out


def _masked_dump(source: str) -> str:
    """The AST with the old and new image names masked: the only allowed difference. (A `u`
    prefix means nothing in Python 3, and a join that is an f-string cannot keep it: `kind` is
    not compared.) Python that CPython refuses and libcst reads (3.12's `type X = int`,
    `def f[T]()`, f-strings nesting their own quotes: python_refs reads such a file with libcst)
    is compared as libcst's tree, each string of known value written as its masked value
    (_MaskedStrings); an original one way and a rewrite the other never compare equal."""
    try:
        tree = ast.parse(source.lstrip("\ufeff"))
    except SyntaxError:
        return "libcst: " + _MaskedStrings.code(source.lstrip("\ufeff"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = _mask(node.value)
            node.kind = None
    return ast.dump(tree)


def _same_but_names(old: str, new: str) -> bool:
    """Whether ``new`` differs from ``old`` in image names only (_masked_dump's). Where only one of
    them is Python CPython reads (`f"{'aishell:' "base"}"`, 3.12's, rewritten `f"{'aishell:foundation'}"`,
    which 3.11 reads), both are compared as libcst's trees."""
    a, b = _masked_dump(old), _masked_dump(new)
    if a.startswith("libcst: ") != b.startswith("libcst: "):
        a, b = (_MaskedStrings.code(x.lstrip("\ufeff")) for x in (old, new))
    return a == b


class _MaskedStrings(cst.CSTTransformer):
    """Each string whose value is known (a literal, a join of them, an f-string without
    placeholders), written as that value masked (repr of _mask's), its parentheses kept: what
    ast's Constant says, in libcst's tree. A string built at run time keeps its parts (the
    literals in its placeholders masked). ``code`` raises SyntaxError when libcst refuses."""

    @classmethod
    def code(cls, source: str) -> str:
        try:
            module = cst.parse_module(_without_form_feeds(source)[0])
        except cst.ParserSyntaxError as e:
            raise SyntaxError(f"line {e.raw_line}: {e.message}") from None
        return module.visit(cls()).code

    @staticmethod
    def _masked(node, value):
        if value is None:
            return node
        text = repr(_mask(value) if isinstance(value, str) else value)
        return cst.SimpleString(text, lpar=node.lpar, rpar=node.rpar)

    def leave_SimpleString(self, original, updated):
        return self._masked(updated, _literal(original.value))

    def leave_FormattedString(self, original, updated):
        return self._masked(updated, _joined_value([original]))

    def leave_ConcatenatedString(self, original, updated):
        return self._masked(updated, _joined_value(_leaves(original)))


def rewrite_python(source: str, path: str, embedded=None, commands=None) -> tuple[str, list[str], int]:
    """The rewritten source, the codemod's warnings and how many literals changed.
    Raises ValueError if unsafe, SyntaxError if not Python. Only the rewritten literals
    change: every other byte (a BOM, a lone CR) is copied from ``source``. ``commands``:
    two ReplaceLegacyImage to reuse (the rewrite and the stability check)."""
    from aishell.migrate.apply import apply_edits

    bom = "\ufeff" if source.startswith("\ufeff") else ""
    body = source[len(bom) :]
    if commands is None:
        commands = (
            ReplaceLegacyImage(embedded),
            ReplaceLegacyImage(embedded),
        )
    command, again = commands
    command.reset()
    read, shift = _without_form_feeds(body)
    ok, err = _transform(command, read)
    if not ok:
        if isinstance(err, cst.ParserSyntaxError):
            raise SyntaxError(f"line {err.raw_line}: {err.message}")
        if not err:
            return source, [], 0
        if isinstance(err, (RecursionError, MemoryError)) or "recursion" in str(err):
            raise ValueError("too deeply nested to rewrite safely; nothing was written")
        raise SyntaxError(str(err).splitlines()[0])
    warnings = list(command.warnings)
    if not command.edits:
        return source, warnings, 0
    edits = _edits_of(command, body, shift)
    new = apply_edits(body, edits)
    if not _same_but_names(body, new):
        raise ValueError("the rewrite changed more than image names; nothing was written")
    # The stability run: a rewrite that names the image nowhere any more has nothing a second run
    # could change (the same test that keeps libcst away from a file that never names it).
    again.reset()
    if python_mentions(new) and _transform(again, _without_form_feeds(new)[0])[0] and again.edits:
        raise ValueError("the rewrite is not stable; nothing was written")
    return bom + new, warnings, command.changed


def _transform(command: ReplaceLegacyImage, code: str) -> tuple[bool, object]:
    """(True, None) when ``command`` ran over ``code`` (its edits and warnings then say what it
    found), else (False, the exception that stopped it: None when interrupted), as
    libcst.codemod.transform_module reports them: a parse error, a failure in the transformer.
    The tree is parsed here and read once, so its metadata needs no copy of it."""
    try:
        MetadataWrapper(cst.parse_module(code), unsafe_skip_copy=True).visit(command)
    except KeyboardInterrupt:
        return False, None
    except Exception as ex:
        return False, ex
    except BaseException as ex:
        # libcst's native parser reports a bug of its own as pyo3's PanicException, which is a
        # BaseException: to the run that is Python libcst cannot read, not a crash.
        if type(ex).__name__ != "PanicException":
            raise
        return False, ex
    return True, None


def _edits_of(command: ReplaceLegacyImage, body: str, shift: dict[int, int]) -> list:
    """The codemod's rewrites as span edits of ``body`` (libcst's positions, shifted back
    over dropped form feeds)."""
    lines = _offsets(body)
    edits = []
    for rng, code in command.edits.values():
        a = lines[rng.start.line - 1] + shift.get(rng.start.line, 0) + rng.start.column
        b = lines[rng.end.line - 1] + shift.get(rng.end.line, 0) + rng.end.column
        edits.append(Edit(a, b, code))
    return edits


def _rewrite_together(text: str, path: str, embedded, commands) -> tuple[list, list[str], int] | None:
    """``rewrite_python``'s work on ``text`` (pieces joined, no BOM, form feed or CR), as
    (edits of ``text``, warnings, literals changed) when every step succeeds: the codemod's
    run, the masked-AST check and the stability run. None on anything else (a failure, a skip,
    an exception): the caller then rewrites each piece alone, for its own answer or error."""
    from aishell.migrate.apply import apply_edits

    command, again = commands
    command.reset()
    try:
        if not _transform(command, text)[0]:
            return None
        warnings = list(command.warnings)
        if not command.edits:
            return [], warnings, 0
        edits = _edits_of(command, text, {})
        new = apply_edits(text, edits)
        if not _same_but_names(text, new):
            return None
        again.reset()
        if python_mentions(new) and (not _transform(again, new)[0] or again.edits):
            return None  # (a rewrite naming the image nowhere is stable: see rewrite_python)
    except Exception:  # (RecursionError, MemoryError too: alone, each piece says what it says)
        return None
    return edits, warnings, command.changed


# Indentation holding a form feed, up to the last one (a line starts after \n, \r\n or a lone \r).
_FF_INDENT = re.compile(r"(?<![^\r\n])[ \t\f]*\f")


def _without_form_feeds(body: str) -> tuple[str, dict[int, int]]:
    """``body`` as libcst can read it, and per line (1-based) how many characters were dropped
    from its start. Python's tokenizer resets the column at a form feed in a line's indentation
    (PEP 8's page breaks): libcst parses such a line but drops the form feed from its columns
    (and from its own output). Dropping the indentation up to its last form feed gives Python
    the same program; columns are then shifted back onto ``body``. A line that starts inside a
    literal (a triple-quoted Dockerfile with a page break) has no indentation: its form feeds
    are the string's and stay (dropped, the rewritten literal lost them, and the file was refused
    as "the rewrite changed more than image names")."""
    if "\f" not in body:
        return body, {}
    from aishell.images import python_literal_spans

    spans = python_literal_spans(body)
    starts = [a for a, _ in spans]
    keep = []
    for m in _FF_INDENT.finditer(body):
        k = bisect_left(starts, m.start()) - 1  # (the last literal starting before this line)
        if k < 0 or spans[k][1] <= m.start():
            keep.append(m)
    lines = _offsets(body)
    shift = {bisect_right(lines, m.start()): m.end() - m.start() for m in keep}
    out, at = [], 0
    for m in keep:
        out.append(body[at : m.start()])
        at = m.end()
    out.append(body[at:])
    return "".join(out), shift
