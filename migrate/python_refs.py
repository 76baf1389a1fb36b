"""Rewrite references to the legacy image in Python sources, with libcst.

``ReplaceLegacyImage`` rewrites a string literal whose whole value is the image
``aishell:base`` (or a spelling Docker resolves to it, or with a digest): an
image reference, not a message that mentions it. ``"aishell:base is deprecated"``,
``f"aishell:base{SUFFIX}"``, ``"aishell:base{}".format(x)`` and
``"aishell:base%s"`` stay as written. A string holding a Dockerfile is read
with aishell's Dockerfile model and only its FROM, COPY --from and global
ARG-default references change. Docstrings and comments are left alone, and so
is any literal the codemod is unsure of (it records a warning instead).
libcst is imported only here, when a .py file is processed.
"""

from __future__ import annotations

import ast
import re

import libcst as cst
from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand

from aishell.images import FOUNDATION as REPLACEMENT
from aishell.images import LEGACY, LEGACY_RE

DOCKERFILE_HINT = re.compile(r"^\s*FROM\s", re.I | re.M)


def _dockerfile_edits(body: str) -> str | None:
    """If ``body`` is a Dockerfile, the body with its image references rewritten; else None."""
    from aishell.lint import Options, lint_text
    from aishell.model import DockerfileSyntaxError, parse

    try:
        df = parse(body)
    except DockerfileSyntaxError:
        return None
    result = lint_text(body, "<embedded Dockerfile>", Options(select=["AIS001"], use_config=False), df=df)
    edits = sorted(e for f in result.findings if f.fix for e in f.fix.edits)
    from migrate.apply import apply_edits

    return apply_edits(body, edits)


class ReplaceLegacyImage(VisitorBasedCodemodCommand):
    DESCRIPTION = "Rewrite references to the image aishell:base to aishell:foundation."

    def __init__(self, context: CodemodContext) -> None:
        super().__init__(context)
        self._docstrings: set[int] = set()
        self.changed = 0  # literals rewritten

    # Docstrings only talk about the image: remember them, never rewrite them.
    def _mark_docstring(self, body) -> None:
        if body and isinstance(body[0], cst.SimpleStatementLine) and body[0].body:
            expr = body[0].body[0]
            if isinstance(expr, cst.Expr) and isinstance(expr.value, (cst.SimpleString, cst.ConcatenatedString)):
                self._docstrings.add(id(expr.value))
                if isinstance(expr.value, cst.ConcatenatedString):
                    self._docstrings.update({id(expr.value.left), id(expr.value.right)})

    def visit_Module(self, node: cst.Module) -> None:
        self._mark_docstring(node.body)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if isinstance(node.body, cst.IndentedBlock):
            self._mark_docstring(node.body.body)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if isinstance(node.body, cst.IndentedBlock):
            self._mark_docstring(node.body.body)

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.BaseExpression:
        if id(original) in self._docstrings or LEGACY not in original.value:
            return updated
        prefix_len = len(original.value) - len(original.value.lstrip("rRbBuU"))
        prefix = original.value[:prefix_len]
        if "b" in prefix.lower():
            return updated
        quote = original.quote
        body = original.value[prefix_len + len(quote) : -len(quote)]
        # `"""\` at the start is a line continuation: the value starts on the next line.
        lead = "\\\n" if body.startswith("\\\n") else ""
        rest = body[len(lead) :]
        if "\\" in rest and "r" not in prefix.lower():
            self.warn(f"left a string with escapes as it is: {original.value[:40]}…")
            return updated
        new_rest = self._rewrite(rest)
        if new_rest is None or new_rest == rest:
            return updated
        self.changed += 1
        return updated.with_changes(value=f"{prefix}{quote}{lead}{new_rest}{quote}")

    def leave_FormattedString(self, original: cst.FormattedString, updated: cst.FormattedString) -> cst.BaseExpression:
        # An f-string with placeholders builds its value at run time: never the whole image.
        # One without any (f"aishell:base") is a plain literal.
        texts = [p for p in updated.parts if isinstance(p, cst.FormattedStringText)]
        if len(updated.parts) == 1 and texts and LEGACY_RE.fullmatch(texts[0].value) and "\\" not in texts[0].value:
            self.changed += 1
            return updated.with_changes(parts=[texts[0].with_changes(value=REPLACEMENT)])
        if any(LEGACY_RE.search(t.value) for t in texts):
            self.warn(f"left an f-string that builds a name from {LEGACY} as it is")
        return updated

    def _rewrite(self, body: str) -> str | None:
        if DOCKERFILE_HINT.search(body):
            return _dockerfile_edits(body)
        # Only the exact image: a literal that is `aishell:base`, nothing more and nothing less.
        return REPLACEMENT if LEGACY_RE.fullmatch(body) else None


def _masked_dump(source: str) -> str:
    """The AST with the old and new image names masked: the only allowed difference."""
    tree = ast.parse(source.lstrip("\ufeff"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = LEGACY_RE.sub("<IMAGE>", node.value.replace(REPLACEMENT, "<IMAGE>"))
    return ast.dump(tree)


def rewrite_python(source: str, path: str) -> tuple[str, list[str], int]:
    """The rewritten source, the codemod's warnings and how many literals changed.
    Raises ValueError if unsafe. A UTF-8 BOM is kept, outside what libcst parses."""
    from libcst.codemod import SkipFile, TransformSuccess, transform_module

    bom = "\ufeff" if source.startswith("\ufeff") else ""
    source = source[len(bom) :]
    context = CodemodContext(filename=path)
    command = ReplaceLegacyImage(context)
    result = transform_module(command, source)
    if not isinstance(result, TransformSuccess):
        err = getattr(result, "error", None) or getattr(result, "skip_description", "")
        if isinstance(err, cst.ParserSyntaxError):
            raise SyntaxError(f"line {err.raw_line}: {err.message}")
        if isinstance(result, SkipFile) or not err:
            return bom + source, [], 0
        raise SyntaxError(str(err).splitlines()[0])
    new = result.code
    warnings = [w for w in result.warning_messages]
    if new != source:
        if _masked_dump(source) != _masked_dump(new):
            raise ValueError("the rewrite changed more than image names; nothing was written")
        again = transform_module(ReplaceLegacyImage(CodemodContext(filename=path)), new)
        if isinstance(again, TransformSuccess) and again.code != new:
            raise ValueError("the rewrite is not stable; nothing was written")
    return bom + new, warnings, command.changed
