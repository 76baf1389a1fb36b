"""Bind the rules to the fixer: `aishell migrate`'s entry points.

The fix loop and the rewriting engine live in ``migrate/`` (``migrate.fixer``,
``migrate.apply``, ``migrate.verify``, ``migrate.python_refs``) and never import a
rule; this outer-layer module hands them ``aishell.lint`` as the linter, and the
AIS001 fixes for Dockerfiles embedded in Python strings.
"""

from __future__ import annotations

from aishell.lint import Options, lint_text
from migrate.fixer import FileChange, FixResult, MigrateResult
from migrate import fixer


def linter(options: Options | None = None) -> fixer.Linter:
    return lambda text, path: lint_text(text, path, options)


def embedded_dockerfile(body: str) -> str | None:
    """A Dockerfile held in a Python string, with its image references rewritten; None if
    it is not one."""
    from aishell.model import DockerfileSyntaxError, parse
    from migrate.apply import apply_edits

    try:
        df = parse(body)
    except DockerfileSyntaxError:
        return None
    result = lint_text(body, "<embedded Dockerfile>", Options(select=["AIS001"], use_config=False), df=df)
    return apply_edits(body, [e for f in result.findings if f.fix for e in f.fix.edits])


def fix_text(text: str, path: str, options: Options | None = None, unsafe: bool = False) -> FixResult:
    return fixer.fix_text(text, path, linter(options), unsafe)


def migrate_file(path: str, options: Options | None = None, unsafe: bool = False) -> FileChange:
    return fixer.migrate_file(path, linter(options), unsafe, embedded_dockerfile)


def migrate_paths(paths: list[str], options: Options | None = None, unsafe: bool = False, write: bool = False) -> MigrateResult:
    return fixer.migrate_paths(paths, linter(options), unsafe, write, embedded_dockerfile)
