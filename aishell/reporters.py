"""Reporters: they only read findings and write text.

``text`` uses rich (imported only here); ``json`` follows ruff's keys;
``sarif`` is SARIF 2.1.0; ``github`` prints workflow annotation commands.
"""

from __future__ import annotations

import json
import os
import re
import sys

from aishell import __version__
from aishell.errors import display_path
from aishell.findings import SAFE, Finding
from aishell.lint import LintResult

def report(result: LintResult, fmt: str, out=None) -> None:
    out = out or sys.stdout
    {"text": _text, "json": _json, "sarif": _sarif, "github": _github}[fmt](result, out)


def report_errors(result: LintResult, err=None) -> None:
    err = err or sys.stderr
    for e in result.errors:
        err.write(f"aishell: {e}\n")


# -- json (ruff's keys) ---------------------------------------------------------


def finding_json(f: Finding, df=None) -> dict:
    fix = None
    if f.fix is not None:
        edits = []
        for e in f.fix.edits:
            if df is not None:
                (r1, c1), (r2, c2) = df.position(e.start), df.position(e.end)
            else:
                (r1, c1), (r2, c2) = (f.line, f.column), (f.end_line, f.end_column)
            edits.append(
                {"content": e.replacement, "location": {"row": r1, "column": c1}, "end_location": {"row": r2, "column": c2}}
            )
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


def _json(result: LintResult, out) -> None:
    items = [finding_json(f, r.df) for r in result.files for f in r.findings]
    out.write(json.dumps(items, indent=2) + "\n")


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
            f"file={_gh_escape(display_path(f.path), True)},line={f.line},col={f.column},"
            f"endLine={f.end_line},endColumn={f.end_column},title={_gh_escape(f.code + ' ' + f.name, True)}"
        )
        out.write(f"::{level[f.severity]} {props}::{_gh_escape(f.code + ' ' + f.message)}\n")


# -- sarif ----------------------------------------------------------------------


def _sarif(result: LintResult, out) -> None:
    from lint_rules import all_rules

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
                        "artifactLocation": {"uri": display_path(f.path).replace(os.sep, "/")},
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
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "aishell",
                        "version": __version__,
                        "informationUri": "https://github.com/aishell-dev/aishell",
                        "rules": [
                            {
                                "id": r.CODE,
                                "name": r.NAME,
                                "shortDescription": {"text": (r.__doc__ or "").splitlines()[0]},
                                "helpUri": f"https://github.com/aishell-dev/aishell/blob/main/docs/rules/{r.CODE}.md",
                                "defaultConfiguration": {"level": level[r.SEVERITY]},
                            }
                            for r in rules
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
    out.write(json.dumps(doc, indent=2) + "\n")


# -- text (rich) ------------------------------------------------------------------


class _Plain:
    """rich's markup written as plain text: used when output is not a terminal,
    so piped and CI output costs no rich import (~40 ms of start-up)."""

    MARKUP = re.compile(r"(?<!\\)\[/?[a-z ]*\]")

    def __init__(self, out):
        self.out = out

    def print(self, text: str = "") -> None:
        self.out.write(self.MARKUP.sub("", text).replace("\\[", "[") + "\n")


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


def _console(out):
    if out.isatty() or os.environ.get("FORCE_COLOR"):
        from rich.console import Console

        return Console(file=out, highlight=False, soft_wrap=True)
    return _Plain(out)


def _text(result: LintResult, out) -> None:
    console = _console(out)
    escape = _escape
    style = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
    safe = unsafe = 0
    for r in result.files:
        lines = r.df.text.split("\n") if r.df else []
        for f in r.findings:
            console.print(
                f"[bold]{escape(display_path(f.path))}:{f.line}:{f.column}:[/] "
                f"[{style[f.severity]}]{f.code}[/] [dim]\\[{f.severity}][/] {escape(f.message)}"
            )
            if lines:
                width = len(str(f.end_line))
                for n in range(f.line, min(f.end_line, f.line + 4) + 1):
                    src = lines[n - 1].rstrip("\r").lstrip("\ufeff") if n - 1 < len(lines) else ""
                    console.print(f"[blue]{n:>{width}} |[/] {escape(src)}")
                    if n == f.line:
                        end = f.end_column if f.end_line == f.line else len(src) + 1
                        console.print(f"[blue]{'':>{width}} |[/] {' ' * (f.column - 1)}[{style[f.severity]}]{'^' * max(1, end - f.column)}[/]")
            if f.fix:
                if f.fix.applicability == SAFE:
                    safe += 1
                    hint = "safe fix: `aishell migrate --write`"
                else:
                    unsafe += 1
                    hint = "unsafe fix: `aishell migrate --write --unsafe-fixes`"
                console.print(f"  [cyan]help:[/] {escape(f.fix.message)} ({escape(hint)})")
            console.print()
    n = len(result.findings)
    if n == 0:
        if not result.errors:
            console.print(f"[green]All checks passed![/] ({len(result.files)} file{'s' if len(result.files) != 1 else ''})")
        return
    by = {s: sum(1 for f in result.findings if f.severity == s) for s in ("error", "warning", "info")}
    parts = ", ".join(f"{v} {k}{'s' if v != 1 else ''}" for k, v in by.items() if v)
    console.print(f"Found {n} finding{'s' if n != 1 else ''} ({parts}).")
    if safe:
        console.print(f"[cyan]{safe} fixable with `aishell migrate --write`.[/]")
    if unsafe:
        console.print(f"[cyan]{unsafe} more fixable with `aishell migrate --write --unsafe-fixes`.[/]")
