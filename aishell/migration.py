"""Fix a Dockerfile: lint, apply the allowed fixes, repeat until nothing changes.

The loop lives here (the outer layer) because it needs both the rules and the
``migrate`` engine; ``migrate`` itself never sees a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aishell.errors import InputError
from aishell.findings import SAFE, Finding
from aishell.lint import Options, lint_text
from aishell.model import DockerfileSyntaxError, parse

MAX_PASSES = 10


@dataclass
class FixResult:
    path: str
    source: str
    text: str
    applied: list[Finding] = field(default_factory=list)
    held_back: int = 0  # unsafe fixes not applied
    remaining: list[Finding] = field(default_factory=list)  # findings still present
    new_files: dict[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.text != self.source or bool(self.new_files)


def fix_text(text: str, path: str, options: Options | None = None, unsafe: bool = False) -> FixResult:
    from migrate.apply import apply_edits, select_fixes
    from migrate.verify import check_dockerfile

    result = FixResult(path, text, text)
    current = lint_text(text, path, options)
    from aishell.config_lint import is_config_path

    if is_config_path(path):
        return _fix_config(result, current.findings, options)
    for _ in range(MAX_PASSES):
        allowed = [f for f in current.findings if f.fix and (unsafe or f.fix.applicability == SAFE)]
        for f in current.findings:
            for name, content in f.new_files:
                if f.fix and (unsafe or f.fix.applicability == SAFE):
                    result.new_files.setdefault(name, content)
        fixes, _ = select_fixes(f.fix for f in allowed if f.fix.edits)
        if not fixes:
            break
        new = apply_edits(result.text, [e for fx in fixes for e in fx.edits])
        if new == result.text:
            break
        try:
            parse(new, path)
        except DockerfileSyntaxError as e:
            raise InputError(path, f"a fix would make the file invalid ({e}); nothing was written") from None
        applied_edits = {fx.edits for fx in fixes}
        result.applied.extend(f for f in allowed if f.fix.edits in applied_edits)
        result.text = new
        current = lint_text(new, path, options)
    else:
        raise InputError(path, f"fixes did not settle after {MAX_PASSES} passes; nothing was written")
    result.remaining = current.findings
    result.held_back = sum(1 for f in current.findings if f.fix and f.fix.applicability != SAFE and not unsafe)
    if result.text != text:
        check_dockerfile(text, result.text, path)
    return result


def _fix_config(result: FixResult, findings: list[Finding], options: Options | None) -> FixResult:
    """A config's AIS2xx fixes are one rewrite into aishell's schema (aishell.config_migrate)."""
    if any(f.fix for f in findings):
        from aishell.config_migrate import migrate_config_text

        result.text, _ = migrate_config_text(result.source, result.path)
        result.applied = [f for f in findings if f.fix]
        result.remaining = lint_text(result.text, result.path, options).findings
    else:
        result.remaining = findings
    return result


class FileChange:
    """What migrate does to one file."""

    def __init__(self, path: str, before: str, after: str, applied: int = 0, held_back: int = 0, warnings=None, new_files=None):
        self.path = path
        self.before = before
        self.after = after
        self.applied = applied
        self.held_back = held_back
        self.warnings: list[str] = warnings or []
        self.new_files: dict[str, str] = new_files or {}
        self.written: list[tuple[str, bool]] = []  # after --write: (extra file, created or updated)

    @property
    def changed(self) -> bool:
        return self.before != self.after or bool(self.new_files)

    def diff(self) -> str:
        import difflib

        out = []
        if self.before != self.after:
            out.extend(
                difflib.unified_diff(
                    self.before.splitlines(True), self.after.splitlines(True), f"a/{_norm(self.path)}", f"b/{_norm(self.path)}"
                )
            )
        for name, content in self.new_files.items():
            old = _read_or_none(name)
            a = "/dev/null" if old is None else f"a/{_norm(name)}"
            out.extend(difflib.unified_diff((old or "").splitlines(True), content.splitlines(True), a, f"b/{_norm(name)}"))
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out)


class MigrateResult:
    def __init__(self) -> None:
        self.changes: list[FileChange] = []
        self.errors: list[InputError] = []
        self.notes: list[str] = []

    @property
    def changed(self) -> list[FileChange]:
        return [c for c in self.changes if c.changed]

    @property
    def held_back(self) -> int:
        return sum(c.held_back for c in self.changes)


def migrate_file(path: str, options: Options | None = None, unsafe: bool = False) -> FileChange:
    from aishell.errors import read_text

    text = read_text(path)
    if path.endswith(".py"):
        from migrate.python_refs import rewrite_python

        try:
            new, warnings, count = rewrite_python(text, path)
        except SyntaxError as e:
            raise InputError(path, f"not valid Python ({e})") from None
        except ValueError as e:
            raise InputError(path, str(e)) from None
        return FileChange(path, text, new, count, 0, warnings)
    r = fix_text(text, path, options, unsafe)
    return FileChange(path, text, r.text, len(r.applied), r.held_back, [], r.new_files)


def migrate_paths(paths: list[str], options: Options | None = None, unsafe: bool = False, write: bool = False) -> MigrateResult:
    """Compute (and with ``write``, apply) the fixes for every file under ``paths``."""
    from aishell.discovery import discover

    files, errors, notes = discover(paths, python=True)
    from aishell.lint import _project_configs

    files = files + _project_configs(files, options)
    result = MigrateResult()
    result.errors.extend(errors)
    result.notes = notes
    for path in files:
        try:
            change = migrate_file(path, options, unsafe)
            if write and change.changed:
                change.written = write_change(change)
            result.changes.append(change)
        except InputError as e:
            result.errors.append(e)
    return result


def write_change(change: FileChange) -> list[tuple[str, bool]]:
    """Write one file's change, and the files its fixes create, all or none; a file with
    nothing to change is never opened. Returns (new file, created?) for each extra file."""
    import os

    from migrate.atomic import write_all

    files: list[tuple[str, bytes, bool]] = []
    if change.before != change.after:
        files.append((change.path, change.after.encode("utf-8"), False))
    extra = []
    for name, content in change.new_files.items():
        created = not os.path.lexists(name)
        extra.append((name, created))
        files.append((name, content.encode("utf-8"), created))
    write_all(files)
    return extra


def _read_or_none(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except OSError:
        return None


def _norm(path: str) -> str:
    import os

    from aishell.errors import display_path

    return display_path(os.path.normpath(path))
