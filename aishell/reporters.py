"""Reporters: they only read findings and write text.

``text`` uses rich (imported only here); ``json`` follows ruff's keys;
``sarif`` is SARIF 2.1.0; ``github`` prints workflow annotation commands.
"""

from __future__ import annotations

import json
import os
import sys
from json.encoder import encode_basestring_ascii as _encode_str

from aishell import __version__
from aishell.errors import display_path, relative_path
from aishell.findings import SAFE, Finding
from aishell.lint import LintResult
from aishell.model import paused_gc


def report(result: LintResult, fmt: str, out=None) -> None:
    out = out or sys.stdout
    # The collector off, as in lint (model.paused_gc): the findings hold no cycles, and its first
    # full collection after a 10 MB file's lint walks millions of objects for nothing.
    with paused_gc():
        {"text": _text, "json": _json, "sarif": _sarif, "github": _github}[fmt](result, out)


def report_errors(result: LintResult, err=None) -> None:
    err = err or sys.stderr
    for note in result.notes:
        err.write(f"aishell: note: {note}\n")
    for e in result.errors:
        err.write(f"aishell: {e}\n")


# -- json (ruff's keys) ---------------------------------------------------------


def finding_json(f: Finding, df=None) -> dict:
    fix = None
    if f.fix is not None:
        edits = []
        for e in f.fix.edits:
            if e.path is not None:  # an edit of another file (AIS103's ignore file)
                (r1, c1), (r2, c2) = _file_position(e.path, e.start), _file_position(e.path, e.end)
            elif df is not None:
                (r1, c1), (r2, c2) = df.position(e.start), df.position(e.end)
            else:
                (r1, c1), (r2, c2) = (f.line, f.column), (f.end_line, f.end_column)
            item = {
                "content": e.replacement,
                "location": {"row": r1, "column": c1},
                "end_location": {"row": r2, "column": c2},
            }
            if e.path is not None:
                item["filename"] = os.path.abspath(e.path)
            edits.append(item)
        fix = {"applicability": f.fix.applicability, "message": f.fix.message, "edits": edits}
    return {
        "code": f.code,
        "name": f.name,
        "message": f.message,
        "severity": f.severity,
        "filename": os.path.abspath(f.path),
        "location": {"row": f.line, "column": f.column},
        "end_location": {"row": f.end_line, "column": f.end_column},
        "fix": fix,
        "url": f.url,
    }


def _file_position(path: str, offset: int) -> tuple[int, int]:
    """1-based (row, column) of an offset in another file a fix edits (1, 1 when it is new)."""
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as fh:
            text = fh.read(offset)
    except OSError:
        return 1, 1
    return text.count("\n") + 1, offset - (text.rfind("\n") + 1) + 1


def _json(result: LintResult, out) -> None:
    """The same text as json.dumps(list, indent=2), written one finding at a time: a file with
    a quarter of a million findings never holds the whole document in memory. Each finding is
    formatted by _finding_text (json's indented encoder is pure Python: 30 us a finding)."""
    first = True
    for r in result.files:
        pos = _positions(r.df)
        filenames: dict[str, str] = {}  # path -> its JSON (absolute) spelling, once per path
        memo: dict = {}
        for f in r.findings:
            name = filenames.get(f.path)
            if name is None:
                name = filenames[f.path] = _encode_str(os.path.abspath(f.path))
            out.write(("[\n" if first else ",\n") + _finding_text(f, pos, name, memo))
            first = False
    out.write("[]\n" if first else "\n]\n")


def _positions(df):
    """(offset -> (row, column)) in the file a finding is about, remembered for the last offsets
    asked (a fix's edits repeat the finding's and each other's)."""
    if df is None:
        return None
    cache: dict[int, tuple[int, int]] = {}
    position = df.position

    def pos(offset: int) -> tuple[int, int]:
        p = cache.get(offset)
        if p is None:
            if len(cache) > 4096:
                cache.clear()
            p = cache[offset] = position(offset)
        return p

    return pos


def _s(value) -> str:
    """One JSON scalar as json.dumps writes it (strings ASCII-escaped)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return _encode_str(value)
    return json.dumps(value)


def _finding_text(f: Finding, pos, filename: str, memo: dict | None = None) -> str:
    """``"  " + json.dumps(finding_json(f, df), indent=2)`` with every line indented by two
    spaces (its place in the list), without the generic encoder. ``memo`` keeps the text of the
    parts findings share (a rule's code, name and message, a fix's message, an edit's content):
    a file with half a million findings has a handful of distinct ones."""
    if memo is None:
        memo = {}
    if len(memo) > 4096:
        memo.clear()
    key = (f.code, f.name, f.message, f.severity, filename, f.url)
    parts = memo.get(key)
    if parts is None:
        parts = memo[key] = (
            f'  {{\n    "code": {_s(f.code)},\n    "name": {_s(f.name)},\n    "message": {_s(f.message)},\n'
            f'    "severity": {_s(f.severity)},\n    "filename": {filename},\n'
            '    "location": {\n      "row": ',
            f',\n    "url": {_s(f.url)}\n  }}',
        )
    head, tail = parts
    fix = "null"
    if f.fix is not None:
        edits = []
        for e in f.fix.edits:
            if e.path is not None:
                (r1, c1), (r2, c2) = _file_position(e.path, e.start), _file_position(e.path, e.end)
            elif pos is not None:
                (r1, c1), (r2, c2) = pos(e.start), pos(e.end)
            else:
                (r1, c1), (r2, c2) = (f.line, f.column), (f.end_line, f.end_column)
            ekey = ("edit", e.replacement, e.path)
            content = memo.get(ekey)
            if content is None:
                other = f',\n          "filename": {_encode_str(os.path.abspath(e.path))}' if e.path is not None else ""
                content = memo[ekey] = (f'        {{\n          "content": {_encode_str(e.replacement)},\n', other)
            edits.append(
                f'{content[0]}          "location": {{\n            "row": {r1},\n            "column": {c1}\n          }},\n'
                f'          "end_location": {{\n            "row": {r2},\n            "column": {c2}\n          }}'
                f"{content[1]}\n        }}"
            )
        listed = "[\n" + ",\n".join(edits) + "\n      ]" if edits else "[]"
        fkey = ("fix", f.fix.applicability, f.fix.message)
        fix_head = memo.get(fkey)
        if fix_head is None:
            fix_head = memo[fkey] = (
                f'{{\n      "applicability": {_s(f.fix.applicability)},\n      "message": {_s(f.fix.message)},\n'
                '      "edits": '
            )
        fix = f"{fix_head}{listed}\n    }}"
    return (
        f'{head}{f.line},\n      "column": {f.column}\n    }},\n'
        f'    "end_location": {{\n      "row": {f.end_line},\n      "column": {f.end_column}\n    }},\n'
        f'    "fix": {fix}{tail}'
    )


# -- github ---------------------------------------------------------------------


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


def _github(result: LintResult, out) -> None:
    level = {"error": "error", "warning": "warning", "info": "notice"}
    for f in result.findings:
        props = (
            f"file={_gh_escape(relative_path(f.path), True)},line={f.line},col={f.column},"
            f"endLine={f.end_line},endColumn={f.end_column},title={_gh_escape(f.code + ' ' + f.name, True)}"
        )
        out.write(f"::{level[f.severity]} {props}::{_gh_escape(f.code + ' ' + f.message)}\n")


# -- sarif ----------------------------------------------------------------------


SRCROOT = "%SRCROOT%"


def _sarif_location(path: str) -> dict:
    """A SARIF artifactLocation: a path under the current folder is relative to %SRCROOT% (declared
    in originalUriBaseIds), any other is an absolute file:// URI. Percent-encoded from the path's
    bytes, so a name that is not UTF-8 (byte \\xff) is encoded, not a crash."""
    from pathlib import Path
    from urllib.parse import quote

    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute)
    except ValueError:
        rel = absolute
    if os.path.isabs(rel) or rel == ".." or rel.startswith(".." + os.sep):
        return {"uri": "file://" + quote(os.fsencode(Path(absolute).as_posix()), safe="/")}
    return {"uri": quote(os.fsencode(rel.replace(os.sep, "/")), safe="/"), "uriBaseId": SRCROOT}


def _sarif_uri(path: str) -> str:
    return _sarif_location(path)["uri"]


def _sarif(result: LintResult, out) -> None:
    from aishell.ruledocs import rule_doc
    from aishell.lint_rules import all_rules

    rules = all_rules()
    index = {r.CODE: i for i, r in enumerate(rules)}
    level = {"error": "error", "warning": "warning", "info": "note"}
    results = []
    for f in result.findings:
        res = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": level[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _sarif_location(f.path),
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column,
                        },
                    }
                }
            ],
        }
        results.append(res)
    # Each rule carries its own documentation (rules[].help): no link to a page that may not exist.
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "aishell",
                        "version": __version__,
                        "rules": [
                            {
                                "id": r.CODE,
                                "name": r.NAME,
                                "shortDescription": {"text": (r.__doc__ or "").splitlines()[0]},
                                "help": {"text": rule_doc(r), "markdown": rule_doc(r)},
                                "defaultConfiguration": {"level": level[r.SEVERITY]},
                            }
                            for r in rules
                        ],
                    }
                },
                "results": results,
                "originalUriBaseIds": {SRCROOT: {"uri": _folder_uri(os.getcwd())}},
            }
        ],
    }
    out.write(json.dumps(doc, indent=2) + "\n")


def _folder_uri(folder: str) -> str:
    from pathlib import Path
    from urllib.parse import quote

    return "file://" + quote(os.fsencode(Path(folder).as_posix()).rstrip(b"/") + b"/", safe="/")


# -- text (rich) ------------------------------------------------------------------


class _Plain:
    """Styled segments written as plain text: used when output is not a terminal, so piped and
    CI output costs no rich import (~40 ms of start-up)."""

    def __init__(self, out):
        self.out = out

    def line(self, *segments: tuple[str, str]) -> None:
        self.out.write("".join(text for text, _ in segments) + "\n")


class _Rich:
    """Styled segments through rich, with no markup parsing: source text is printed verbatim
    (`s/\\[mysqld\\]/` stays as written, `[` never starts a tag)."""

    def __init__(self, out):
        from rich.console import Console

        self.console = Console(file=out, highlight=False, soft_wrap=True)

    def line(self, *segments: tuple[str, str]) -> None:
        from rich.text import Text

        self.console.print(Text.assemble(*segments), markup=False, highlight=False)


def _console(out):
    if out.isatty() or os.environ.get("FORCE_COLOR"):
        return _Rich(out)
    return _Plain(out)


def _caret_pad(src: str, column: int) -> str:
    """What goes under src[:column - 1]: its tabs kept, everything else a space."""
    return "".join("\t" if c == "\t" else " " for c in src[: column - 1])


def _text(result: LintResult, out) -> None:
    console = _console(out)
    style = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
    safe = unsafe = 0
    for r in result.files:
        lines = r.df.text.split("\n") if r.df else []
        for f in r.findings:
            console.line(
                (f"{display_path(f.path)}:{f.line}:{f.column}:", "bold"),
                (" ", ""),
                (f.code, style[f.severity]),
                (" ", ""),
                (f"[{f.severity}]", "dim"),
                (" ", ""),
                (f.message, ""),
            )
            if lines:
                width = len(str(f.end_line))
                for n in range(f.line, min(f.end_line, f.line + 4) + 1):
                    src = lines[n - 1].rstrip("\r").lstrip("\ufeff") if n - 1 < len(lines) else ""
                    console.line((f"{n:>{width}} |", "blue"), (" ", ""), (src, ""))
                    if n == f.line:
                        end = f.end_column if f.end_line == f.line else len(src) + 1
                        console.line(
                            (f"{'':>{width}} |", "blue"),
                            (" " + _caret_pad(src, f.column), ""),
                            ("^" * max(1, end - f.column), style[f.severity]),
                        )
            if f.fix:
                if f.fix.applicability == SAFE:
                    safe += 1
                    hint = "safe fix: `aishell migrate --write`"
                else:
                    unsafe += 1
                    hint = "unsafe fix: `aishell migrate --write --unsafe-fixes`"
                console.line(("  ", ""), ("help:", "cyan"), (f" {f.fix.message} ({hint})", ""))
            console.line()
    n = len(result.findings)
    if n == 0:
        if not result.errors and result.files:
            console.line(
                ("All checks passed!", "green"),
                (f" ({len(result.files)} file{'s' if len(result.files) != 1 else ''})", ""),
            )
        return
    by = {s: sum(1 for f in result.findings if f.severity == s) for s in ("error", "warning", "info")}
    parts = ", ".join(f"{v} {k}{'s' if v != 1 else ''}" for k, v in by.items() if v)
    console.line((f"Found {n} finding{'s' if n != 1 else ''} ({parts}).", ""))
    if safe:
        console.line((f"{safe} fixable with `aishell migrate --write`.", "cyan"))
    if unsafe:
        console.line((f"{unsafe} more fixable with `aishell migrate --write --unsafe-fixes`.", "cyan"))
