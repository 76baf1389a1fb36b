"""The fix loop: lint, check each fix, apply the valid ones, repeat until nothing changes.

This is where `aishell migrate` happens. The loop is given a *linter* (a function from
text and path to findings) rather than importing the rules: ``aishell.migration``
binds the two, and ``migrate`` never sees a rule. Each fix is checked by
``migrate.verify`` before it is applied; one that would break the file is not applied
and is reported (with why) as not fixable, and the other fixes still are. A fix may
edit other files (``Edit.path``: AIS103's ignore file); those are read, edited and
written with the Dockerfile, all or none. Python sources go through
``migrate.python_refs``, bounded so one pathological file cannot take the run down.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from aishell.errors import InputError
from aishell.paths import realpath
from aishell.findings import SAFE, Finding

MAX_PASSES = 10
_INF = float("inf")
# A linter: (text, path) -> the findings of that text, as a list or as an object with
# ``findings`` and the parsed ``df`` (aishell.lint's FileResult: the fixer then parses no
# file a second time). It raises InputError for text that does not parse.
Linter = Callable[[str, str], object]


def _run(lint: Linter, text: str, path: str):
    """(findings, Dockerfile model) of ``text``."""
    res = lint(text, path)
    df = getattr(res, "df", None)
    if df is None:
        from aishell.model import parse

        df = parse(text, path)
    return list(getattr(res, "findings", res)), df


# Rewrites a Dockerfile embedded in a Python string (its AIS001 fixes); None: not a Dockerfile.
EmbeddedFixer = Callable[[str], "str | None"]
TextFixer = Callable[[str, str, bool], "FixResult"]  # (text, path, unsafe) -> the fixed text and what was applied


@dataclass
class FixResult:
    path: str
    source: str
    text: str
    applied: list[Finding] = field(default_factory=list)
    held_back: int = 0  # unsafe fixes not applied
    remaining: list[Finding] = field(default_factory=list)  # findings still present
    # Other files the fixes write: path -> (text before, None if absent; text after).
    files: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    rejected: list[tuple[Finding, str]] = field(default_factory=list)  # fixes that would break the file

    @property
    def changed(self) -> bool:
        return self.text != self.source or any(a != b for b, a in self.files.values())


def _read_other(path: str) -> str | None:
    """A file a fix edits, exactly as it is; None when it does not exist."""
    import os

    from aishell.errors import read_bytes

    if not os.path.lexists(path):
        return None
    try:
        return read_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8; the fix that edits it was not applied") from None


# The parses of one file's fix loop (a lint per pass, and the verifier's snippets) take a simple
# line parsed and checked before from a memo (aishell.model.SEEN_LINES), emptied when the loop
# ends: the second lint of a 10 MB file whose every stage got a fix parsed it all again.
# tests/test_migrate_reparse_fast.py compares models and migrate's results with it on and off.
REPARSE_MEMO = True

# Whether the fix loop keeps its last model and findings (and the result it returns) after it
# returns, until the next file's loop starts: `aishell migrate` sets it, since it leaves with
# os._exit after reporting. Freeing a 10 MB file's model and 150,000 findings object by object
# was 2-3 % of its run, for nothing. One file's at most: the next loop drops them first.
KEEP_LAST = False
_LAST: list = []

# A pass whose fixes stack (AIS101's and AIS102's moves) but insert each at a point of its own
# gives apply_edits the fixes' edits as they are, without stack_insertions (which looks every
# insertion up in a dict, to join those that share a point: none do). Was 0.25 s of the 10 MB
# ARG/RUN pairs, distinct, run (128,000 moves; load 4), the set of points 0.03 s.
# tests/test_migrate_speed_r143.py compares migrate's results with it on and off.
DISTINCT_POINTS = True


def fix_text(text: str, path: str, lint: Linter, unsafe: bool = False) -> FixResult:
    """Lint, check and apply until nothing changes. Python's cyclic collector is off
    meanwhile (``aishell.model.paused_gc``): the model of a 10 MB file is millions of
    objects with no cycles, and every full collection the fix loop's allocations
    triggered walked all of them (a fifth of the run)."""
    from aishell.model import paused_gc
    from aishell.migrate.verify import forget_counts

    import aishell.model as model

    _LAST.clear()  # the previous file's, before this one's first lint (one model alive at a time)
    if REPARSE_MEMO:
        model.SEEN_LINES = {"\\": {}, "`": {}}
    try:
        with paused_gc():
            return _fix_text(text, path, lint, unsafe)
    finally:
        model.SEEN_LINES = None
        forget_counts()


def _fix_text(text: str, path: str, lint: Linter, unsafe: bool) -> FixResult:
    from aishell.model import DockerfileSyntaxError
    from aishell.migrate.apply import _stacks, apply_edits, select_fixes, stack_insertions
    from aishell.migrate.verify import Layout, check_fix, check_models, check_other_file, summary

    result = FixResult(path, text, text)
    current, df = _run(lint, text, path)
    source = summary(df)
    rejected_edits: set = set()
    passes = 0
    while True:
        allowed = [
            f
            for f in current
            if (fx := f.fix)
            and fx.edits
            and (unsafe or fx.applicability == SAFE)
            and (not rejected_edits or fx.edits not in rejected_edits)
            # a file another fix of this run already edits: the rule reads it from disk, unchanged
            and not (result.files and any(e.path in result.files for e in fx.edits if e.path is not None))
        ]
        fixes, skipped = select_fixes(f.fix for f in allowed)
        if not fixes:
            break
        layout = Layout(df)
        good, delta, refused = _check_fixes(layout, fixes, check_fix, _not_itself(path, check_other_file))
        if refused:
            offered: dict = {}  # a fix's edits -> the findings that offer it, in their order
            for f in allowed:
                offered.setdefault(f.fix.edits, []).append(f)
            for fx, why in refused:
                rejected_edits.add(fx.edits)
                result.rejected.extend((f, why) for f in offered[fx.edits])
        if not good:
            continue  # the fixes that overlapped the rejected ones get their turn
        others = sorted({e.path for fx in good for e in fx.edits if e.path is not None}) if _any_other(good) else ()
        for other in others:
            before = _read_other(other)
            edits = stack_insertions([[e._replace(path=None) for e in fx.edits if e.path == other] for fx in good])
            result.files[other] = (before, apply_edits(before or "", edits))
        if not skipped and not refused:
            result.applied.extend(allowed)  # every fix offered is applied (a repeated one once)
        else:
            applied = {fx.edits for fx in good}
            result.applied.extend(f for f in allowed if f.fix.edits in applied)
        if not others and (not any(map(_stacks, good)) or (DISTINCT_POINTS and _distinct_points(good))):
            # select_fixes lets two fixes insert at one point only when both stack: nothing to join
            # (nor when no two insertions share a point: stack_insertions would give these edits)
            new = apply_edits(result.text, [e for fx in good for e in fx.edits])
        else:
            own = [[e for e in fx.edits if e.path is None] for fx in good] if others else [fx.edits for fx in good]
            new = apply_edits(result.text, stack_insertions(own))
        if new == result.text:
            continue
        passes += 1
        if passes > MAX_PASSES:
            raise InputError(path, f"fixes did not settle after {MAX_PASSES} passes; nothing was written")
        old = summary(df)
        del layout, df, current, allowed, fixes  # one model alive at a time (a 10 MB file's is ~1 GB)
        try:
            current, df = _run(lint, new, path)
        except (InputError, DockerfileSyntaxError) as e:
            raise InputError(path, f"a fix would make the file invalid ({e}); nothing was written") from None
        check_models(old, df, path, old.count + delta)
        result.text = new
    result.remaining = current
    result.held_back = 0 if unsafe else sum(1 for f in current if f.fix and f.fix.applicability != SAFE)
    if passes > 1:  # after one pass, the check in the loop was this one (from the source)
        check_models(source, df, path)
    if KEEP_LAST:
        _LAST.append((df, current, result))
    return result


def _not_itself(path: str, check_other_file):
    """``check_other_file``, refusing first a fix whose other file is the file being fixed under
    another name (`Dockerfile.dockerignore -> Dockerfile`, or a hard link): both would be written
    from what was read, the second over the first (the Dockerfile's own fixes lost, the ignore
    patterns added to it as instructions BuildKit refuses)."""
    import os

    def check(before, after, other):
        try:
            same = os.path.samefile(other, path)  # (links followed: one file's names)
        except OSError:
            same = False  # (the other file does not exist yet: the fix creates it)
        if same:
            return f"{_shown(other)} is this file under another name (a link)"
        return check_other_file(before, after, other)

    return check


def _distinct_points(fixes) -> bool:
    """Whether no two of the fixes' insertions (all of the file itself) share their point: then
    ``stack_insertions`` joins none and gives the edits as they are, in the fixes' order."""
    points = [e[0] for fx in fixes for e in fx.edits if e[0] == e[1]]
    return len(set(points)) == len(points)


def _any_other(fixes) -> bool:
    """Whether some fix edits another file than the one being fixed."""
    for fx in fixes:
        for e in fx.edits:
            if e.path is not None:
                return True
    return False


def _check_fixes(layout, fixes, check_fix, check_other_file):
    """(valid fixes, instructions they add, [(refused fix, why)]), each fix checked by
    ``check_fix``. The fixes that edit only one instruction are checked together, one
    instruction at a time: checking a fix re-reads its whole instruction, so one at a time
    a RUN of n harness commands (n fixes) cost n readings of n lines. A group that fails
    is halved until the fixes that fail alone are found, as each would have been alone.
    The groups are checked first, in the order of their first fix, then the other fixes in
    their order (the order of the refusals); the valid fixes keep the order of ``fixes``."""
    from bisect import bisect_right

    starts, ends = layout.ls, layout.le
    n = len(starts)
    groups: dict[int, list] = {}
    alone = []
    for fx in fixes:
        # In a group: every edit is of the file itself, starts after the first line's start of
        # one instruction (j: the one each edit starts in) and ends by the end of its lines.
        edits = fx.edits
        j = bisect_right(starts, edits[0][0]) - 1 if edits else -1
        if j >= 0:
            a, b = starts[j], ends[j]
            nxt = starts[j + 1] if j + 1 < n else _INF
            for e in edits:
                if e[3] is not None or not (a < e[0] < nxt and e[1] <= b):
                    break
            else:
                groups.setdefault(j, []).append(fx)
                continue
        alone.append(fx)
    refused = []
    delta = 0
    # A failed group's halves go back first half first, so the checks run in the order a
    # recursion would make them. (A recursive closure was a reference cycle through its own
    # cell: with the collector paused it kept the layout, and with it the pass's whole model,
    # alive through the next pass: two models at once.)
    for first in groups.values():
        todo = [first]
        while todo:
            group = todo.pop()
            why, added = check_fix(layout, [e for fx in group for e in fx.edits])  # all of the file itself
            if why is None:
                delta += added
            elif len(group) == 1:
                refused.append((group[0], why))
            else:
                todo.append(group[len(group) // 2 :])
                todo.append(group[: len(group) // 2])
    for fx in alone:
        edits = fx.edits
        others = False
        for e in edits:
            if e[3] is not None:
                others = True
                break
        why, added = check_fix(layout, [e for e in edits if e.path is None] if others else edits)
        if why is None and others:
            why = _check_others(fx, check_other_file)
        if why is None:
            delta += added
        else:
            refused.append((fx, why))
    if not refused:
        return list(fixes), delta, refused
    bad = {id(fx) for fx, _ in refused}
    return [fx for fx in fixes if id(fx) not in bad], delta, refused


def _check_others(fx, check_other_file) -> str | None:
    from aishell.migrate.apply import apply_edits

    for other in {e.path for e in fx.edits if e.path is not None}:
        try:
            before = _read_other(other)
        except InputError as err:
            return str(err)
        edits = [e._replace(path=None) for e in fx.edits if e.path == other]
        if before is None and any(e.start or e.end for e in edits):
            return f"{other}: an edit of a file that does not exist"
        try:
            after = apply_edits(before or "", edits)
        except ValueError as err:
            return f"{other}: {err}"
        why = check_other_file(before, after, other)
        if why:
            return why
    return None


# -- files --------------------------------------------------------------------


class FileChange:
    """What migrate does to one file (and the files its fixes also write)."""

    def __init__(
        self,
        path: str,
        before: str,
        after: str,
        applied: int = 0,
        held_back: int = 0,
        warnings=None,
        files=None,
        raw: bytes | None = None,
        encoding: str = "utf-8",
    ):
        self.path = path
        self.encoding = encoding  # a Python source's own (PEP 263); every other file is UTF-8
        self.before = before
        self.after = after
        self.applied = applied
        self.held_back = held_back
        self.warnings: list[str] = warnings or []
        self.files: dict[str, tuple[str | None, str]] = files or {}
        self.raw = raw  # the bytes read: --write refuses when the file no longer holds them
        self.written: list[tuple[str, bool]] = []  # after --write: (extra file, created or updated)

    @property
    def changed(self) -> bool:
        return self.before != self.after or any(a != b for b, a in self.files.values())

    def diff(self) -> str:
        """The unified diff, as text (for a terminal)."""
        return "".join(line for line, _ in self._diff_lines())

    def diff_bytes(self) -> bytes:
        """The unified diff as `git apply` needs it: each file's lines in that file's own encoding
        (a Python source's coding cookie), the ``---``/``+++`` names as the file system's bytes."""
        # The names may hold bytes that are not UTF-8 (surrogate escapes); a file's lines were
        # decoded strictly, and some codecs (idna) take no error handler but the strict one.
        return b"".join(
            line.encode(encoding, "surrogateescape" if encoding == "utf-8" else "strict")
            for line, encoding in self._diff_lines()
        )

    def _diff_lines(self):
        """(line, encoding) for every line of the diff."""
        from aishell.migrate.diff import unified_diff  # difflib's output, in linear time

        def lines(old, new, headers, encoding):
            for k, line in enumerate(unified_diff(git_lines(old), git_lines(new), *headers)):
                if not line.endswith("\n"):
                    line += "\n\\ No newline at end of file\n"
                yield line, "utf-8" if k < 2 else encoding  # (the file's lines: checked to encode)

        if self.before != self.after:
            name = _diff_name(self.path)
            yield from lines(self.before, self.after, _headers(name, name), self.encoding)
        for name, (old, content) in self.files.items():
            if old != content:
                yield from lines(old or "", content, _headers(None if old is None else name, name), "utf-8")


_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")


def git_lines(text: str) -> list[str]:
    """Lines as git sees them: split after each \\n only. A lone \\r, \\f, \\v, NEL or U+2028
    stays inside its line (str.splitlines would split there, and git apply would refuse)."""
    return _LINE.findall(text)


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


def migrate_file(
    path: str, lint: Linter, unsafe: bool = False, embedded: EmbeddedFixer | None = None, fix: TextFixer | None = None
) -> FileChange:
    """``fix`` replaces the Dockerfile fix loop for the files the caller handles itself (the
    outer layer's config rewrite), so this module never needs to know what they are."""
    from aishell.errors import MAX_PYTHON_BYTES, decode, read_bytes

    raw = read_bytes(path, MAX_PYTHON_BYTES if path.endswith(".py") else None)
    if path.endswith(".py"):
        from aishell.images import python_mentions

        if not python_mentions(raw):  # the same bytes in every encoding a Python source may use
            _wide_mention(path, raw)
            return FileChange(path, "", "", raw=raw)  # nothing to rewrite: not decoded, libcst not loaded
        encoding, text = _python_text(path, raw)
        from aishell.migrate.python_refs import rewrite_python_bounded

        new, warnings, count = rewrite_python_bounded(text, path, embedded)
        if new != text and encoding != "utf-8":
            _encodes_by_line(path, text, new, encoding)
        return FileChange(path, text, new, count, 0, _once(warnings), raw=raw, encoding=encoding)
    text = decode(path, raw)
    r = fix(text, path, unsafe) if fix is not None else fix_text(text, path, lint, unsafe)
    # A fix refused in one pass is offered again (moved) in the next: report it once.
    warnings = list(dict.fromkeys(f"{f.code} fix at line {f.line} not applied: {why}" for f, why in r.rejected))
    return FileChange(path, text, r.text, len(r.applied), r.held_back, warnings, r.files, raw=raw)


def _once(warnings: list[str]) -> list[str]:
    """Each warning once, with how many times it was said (the codemod's name no line)."""
    counts: dict[str, int] = {}
    for w in warnings:
        counts[w] = counts.get(w, 0) + 1
    return [w if k == 1 else f"{w} ({k} times)" for w, k in counts.items()]


def _encodes_by_line(path: str, text: str, new: str, encoding: str) -> None:
    """A source in another encoding than UTF-8 is written back in it, and its diff is encoded a
    line at a time: both must give the bytes encoding the whole text gives (a stateful codec,
    `utf-7`, `idna`, `iso2022_jp`, may not; `idna` takes no error handler at all), else the file
    is refused, with one line, and the others are still migrated."""
    try:
        for t in (text, new):
            whole = t.encode(encoding)
            if b"".join(line.encode(encoding) for line in git_lines(t)) != whole or whole.decode(encoding) != t:
                raise ValueError
    except (UnicodeError, ValueError, LookupError, TypeError):
        raise InputError(
            path, f"cannot be written back line by line in {encoding} (its coding cookie); nothing was written"
        ) from None


def _wide_mention(path: str, raw: bytes) -> None:
    """A source saved as UTF-16 or UTF-32 (its byte-order mark) hides the image from the byte
    scan: Python reads no such source, so it is not rewritten, but one that names the image is
    refused with one line rather than passed over as having nothing to migrate."""
    from aishell.errors import _OTHER_BOMS
    from aishell.images import python_mentions

    name = next((name for bom, name in _OTHER_BOMS if raw.startswith(bom)), None)
    if name is not None and python_mentions(raw.decode(name.lower(), "replace")):
        from aishell.errors import other_encoding

        other_encoding(path, raw)


def _python_text(path: str, raw: bytes) -> tuple[str, str]:
    """(encoding, text) of a Python source, read as Python reads it: its PEP 263 coding
    cookie, else UTF-8 (a BOM kept in the text, so it is written back)."""
    import io
    import tokenize

    from aishell.errors import decode, other_encoding

    other_encoding(path, raw)  # (Python reads no UTF-16 source either: say what it is)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as e:
        raise InputError(path, f"not valid Python ({e.msg if hasattr(e, 'msg') else e}); nothing was written") from None
    if encoding in ("utf-8", "utf-8-sig"):
        return "utf-8", decode(path, raw)
    try:
        text = raw.decode(encoding)
        if text.encode(encoding) != raw:
            raise ValueError
    except (UnicodeError, ValueError, LookupError):
        raise InputError(path, f"not valid {encoding} (its coding cookie); nothing was written") from None
    return encoding, text


def migrate_paths(
    paths: list[str],
    lint: Linter,
    unsafe: bool = False,
    write: bool = False,
    embedded: EmbeddedFixer | None = None,
    fix: TextFixer | None = None,
    extra: Callable[[list[str]], list[str]] | None = None,
) -> MigrateResult:
    """Compute (and with ``write``, apply) the fixes for every file under ``paths``. A file
    that fails is one error naming it; the others are still migrated."""
    from aishell.paths import remembered

    with remembered():  # each folder's project root and real path asked once (aishell.paths)
        return _migrate_paths(paths, lint, unsafe, write, embedded, fix, extra)


def _migrate_paths(paths, lint, unsafe, write, embedded, fix, extra) -> MigrateResult:
    from aishell.rule import new_run
    from aishell.discovery import discover

    new_run()
    files, errors, notes = discover(paths, python=True)
    if extra is not None:
        files = files + extra(files)
    from aishell.errors import error_key

    result = MigrateResult()
    result.notes = notes
    said: set = set()

    def error(e: InputError) -> None:
        # One line a problem: a bad config.yaml fails each Dockerfile of its project and itself.
        k = error_key(e)
        if k not in said:
            said.add(k)
            result.errors.append(e)

    for e in errors:
        error(e)

    done: dict[str, str] = {}  # real path -> the path it was migrated as
    for path in files:
        real = realpath(path)
        if real in done:
            # A link to a file migrated already (`.aishell/Dockerfile -> ../Dockerfile`), or one
            # file given twice: fixed once; a second diff of it would not apply after the first.
            result.notes.append(f"{_shown(path)}: the same file as {_shown(done[real])}; migrated once")
            continue
        done[real] = path
        try:
            change = migrate_file(path, lint, unsafe, embedded, fix)
            if write and change.changed:
                change.written = write_change(change)
            result.changes.append(change)
        except InputError as e:
            error(e)
        except (RecursionError, MemoryError) as e:
            error(
                InputError(path, f"too large or too deeply nested to migrate ({type(e).__name__}); nothing was written")
            )
        except Exception as e:  # a bug of aishell's on this file: one line, the others go on
            from aishell.errors import internal_error

            error(internal_error(path, e, "migrating it; nothing was written"))
    return result


def write_change(change: FileChange) -> list[tuple[str, bool]]:
    """Write one file's change, and the files its fixes edit, all or none; a file with
    nothing to change is never opened. A file that changed since it was read is not
    overwritten (InputError). Returns (other file, created?) for each other file."""
    from aishell.migrate.atomic import write_all

    files: list[tuple[str, bytes, bytes | None]] = []
    if change.before != change.after:
        raw = change.raw if change.raw is not None else change.before.encode("utf-8")
        files.append((change.path, change.after.encode(change.encoding), raw))
    extra = []
    for name, (old, content) in change.files.items():
        if old == content:
            continue
        extra.append((name, old is None))
        files.append((name, content.encode("utf-8"), None if old is None else old.encode("utf-8")))
    root = _project_root(change.path)
    for name, _, _ in files:
        _inside(name, *root)
    write_all(files)
    return extra


def _project_root(path: str) -> tuple[str, str]:
    """The project a file belongs to, as written and as its real path: the folder holding
    `.aishell/` at or above it, else the file's own folder."""
    import os

    from aishell.config import find_project_root

    root = os.path.abspath(find_project_root(path) or os.path.dirname(os.path.abspath(path)))
    return root, realpath(root)


def _under(path: str, root: str) -> bool:
    import os

    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _inside(path: str, root: str, real_root: str) -> None:
    """A file of the project migrate writes must stay the project's: never a symbolic link (of
    the file, or of a folder on its way) to a place outside it. A cloned repository's
    `Dockerfile.dockerignore` linked to ~/.bashrc would otherwise have the ignore-file fix
    append to that. (A file elsewhere on purpose, the user config `--global` writes, is not the
    project's.)"""
    import os

    if not _under(os.path.abspath(path), root):
        return
    real = realpath(path)
    if not _under(real, real_root):
        raise InputError(path, f"a symbolic link to {real}, outside the project ({root}); nothing was written")


def _shown(path: str) -> str:
    from aishell.errors import display_path

    return display_path(path)


def _diff_name(path: str) -> str:
    """The name a file's diff gives it: its real path when it is reached through a symbolic link
    and lies in the file's project (which `--write` writes through) and under the current folder
    (`git apply` patches the file, never the link: a diff of `.aishell/Dockerfile ->
    ../Dockerfile` names `Dockerfile`); else the path as given."""
    import os

    real = realpath(path)
    if real == os.path.abspath(path):
        return path
    root, real_root = _project_root(path)
    if _under(os.path.abspath(path), root) and not _under(real, real_root):
        return path  # (a link out of the project: --write refuses it, and so does git apply)
    try:
        rel = os.path.relpath(real)
    except ValueError:
        return path
    return path if rel == ".." or rel.startswith(".." + os.sep) else real


def _headers(old: str | None, new: str) -> tuple[str, str]:
    """The ``---``/``+++`` names of a file's diff, as git writes them: ``a/`` and ``b/`` before
    the relative path, the whole name quoted when it holds a control character (`git apply`
    reads a raw newline or tab as the end of the name); /dev/null for a file created. A name
    holding a space ends with a tab, as git ends it: `patch -p1` otherwise takes the name to
    end at its first space (`sub dir/Dockerfile` read as `sub`), and refuses the diff; a name
    ending in a space is quoted too, which both read back (patch drops a trailing space, and
    found no `Dockerfile.x ` in git's own diff of it)."""
    import os

    from aishell.errors import quote_path, relative_path

    def name(prefix: str, path: str) -> str:
        quoted = quote_path(prefix + relative_path(os.path.normpath(path)))
        if quoted.endswith(" "):  # (no control character in it: quote_path gave it back as it was)
            quoted = '"' + quoted.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return quoted + "\t" if " " in quoted else quoted

    return ("/dev/null" if old is None else name("a/", old)), name("b/", new)
