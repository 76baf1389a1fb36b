"""Reporters: they only read findings and write text.

``text`` uses rich (imported only here); ``json`` follows ruff's keys;
``sarif`` is SARIF 2.1.0; ``github`` prints workflow annotation commands.
"""

from __future__ import annotations

import json
import os
import re
import sys
from bisect import bisect_right
from collections import Counter
from operator import attrgetter
from json.encoder import encode_basestring_ascii as _encode_str

from aishell import __version__
from aishell.errors import _BIDI, _escape, display_path, relative_path
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
    from aishell.errors import one_line

    err = err or sys.stderr
    for note in result.notes:
        err.write(f"aishell: note: {one_line(note)}\n")
    for e in result.errors:
        err.write(f"aishell: {one_line(str(e))}\n")


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


# The JSON report reads another file a fix edits once (_file_positions), not once per position
# of each finding (_file_position): AIS103's one edit of the ignore file rides on every `COPY . .`
# of a Dockerfile, and with 14,000 of them and a 200 KB ignore file the report read 5.6 GB
# (2.9 s, quadratic: 11x at 4x the size). tests/test_json_other_file.py compares it on and off.
FILE_POSITIONS_ONCE = True


def _file_positions(path: str):
    """``_file_position`` for one file, read once: a function of the offset (a bisection of its
    line starts). A file that cannot be read (one the fix creates) places every offset at (1, 1)."""
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as fh:
            text = fh.read()
    except OSError:
        return lambda offset: (1, 1)
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))

    def position(offset: int) -> tuple[int, int]:
        row = bisect_right(starts, offset)
        return row, offset - starts[row - 1] + 1

    return position


# The characters of findings with a fix of any shape held before they are written (besides the
# 8,192 findings a chunk holds): AIS103's fix carries the whole ignore file it creates, once per
# `COPY . .`, and 8,192 such findings of a 200 KB ignore file held 1.6 GB (2.75 GB peak;
# tests/test_json_other_file.py writes after every finding, and checks the peak).
_CHUNK_CHARS = 1 << 22


def _json(result: LintResult, out) -> None:
    """The same text as json.dumps(list, indent=2), written one finding at a time: a file with
    a quarter of a million findings never holds the whole document in memory. Each finding is
    formatted by _finding_text (json's indented encoder is pure Python: 30 us a finding)."""
    chunk: list[str] = []
    append = chunk.append
    sep = "[\n"  # then ",\n"
    others: dict = {}  # another file a fix edits -> its positions (read once a report)
    held = 0  # characters of the findings in chunk written by _finding_text (their size varies)
    for r in result.files:
        pos = _positions(r.df)
        filenames: dict[str, str] = {}  # path -> its JSON (absolute) spelling, once per path
        memo: dict = {}
        # A fix of one edit in this file (AIS002 removing a RUN, AIS001 replacing an image): the
        # finding's whole text is a template of its eight numbers, by the parts it shares.
        templates: dict = {} if _TEMPLATES and r.df is not None else None
        last_key = template = last_path = None
        t0 = t1 = t2 = t3 = t4 = t5 = t6 = t7 = t8 = ""
        r1, row_start, next_row = 0, 0, -1  # the line of the edit before: [row_start, next_row)
        last_row, row_text = -1, ""  # the row written last, and its text
        if templates is not None:
            line_starts = r.df.line_starts
            last_line = len(line_starts)
            bom = r.df.text.startswith("\ufeff")
        for f in r.findings:
            # (The fields unpacked at once: a NamedTuple's attribute is a descriptor call each.)
            code, rule_name, severity, message, path, _, _, line, column, end_line, end_column, fix, url = f
            if path is not last_path:  # (a file's findings share its path: one look-up for a run of them)
                name = filenames.get(path)
                if name is None:
                    name = filenames[path] = _encode_str(os.path.abspath(path))
                last_path = path
            if templates is not None and fix is not None and len(edits := fix[2]) == 1 and edits[0][3] is None:
                a, b, replacement, _ = edits[0]
                key = (code, rule_name, message, severity, name, url, fix[0], fix[1], replacement)
                # (The finding before's parts, the same objects: its template, without a look-up.)
                if key != last_key:
                    template = templates.get(key)
                    if template is None:
                        if len(templates) > 4096:
                            templates.clear()
                        template = templates[key] = _one_edit_template(f, name, memo)
                    last_key = key
                    t0, t1, t2, t3, t4, t5, t6, t7, t8 = template
                if not row_start <= a < next_row:  # (the line of the edit before, else a search)
                    r1 = bisect_right(line_starts, a)
                    row_start = line_starts[r1 - 1]
                    next_row = line_starts[r1] if r1 < last_line else 1 << 62
                c1 = a - row_start + 1
                if a <= b < next_row:
                    r2, c2 = r1, b - row_start + 1  # (the end on the start's line: no search)
                else:
                    r2 = bisect_right(line_starts, b)
                    c2 = b - line_starts[r2 - 1] + 1
                if bom:
                    if r1 == 1:
                        c1 = max(1, c1 - 1)
                    if r2 == 1:
                        c2 = max(1, c2 - 1)
                # (An f-string of the parts: `%` scanned the whole template for each finding.)
                if line == end_line == r1 == r2:
                    # (The commonest: finding and edit on one line, the line of the one before:
                    # its number written once, not four times a finding.)
                    if line != last_row:
                        last_row, row_text = line, str(line)
                    append(
                        f"{sep}{t0}{row_text}{t1}{column}{t2}{row_text}{t3}{end_column}{t4}{row_text}{t5}{c1}{t6}{row_text}{t7}{c2}{t8}"
                    )
                else:
                    append(
                        f"{sep}{t0}{line}{t1}{column}{t2}{end_line}{t3}{end_column}{t4}{r1}{t5}{c1}{t6}{r2}{t7}{c2}{t8}"
                    )
            else:
                append(sep)
                text = _finding_text(f, pos, name, memo, others)
                append(text)
                held += len(text)
            sep = ",\n"
            if len(chunk) >= 8192 or held > _CHUNK_CHARS:
                out.write("".join(chunk))
                chunk.clear()
                held = 0
    out.write("".join(chunk))
    out.write("[]\n" if sep == "[\n" else "\n]\n")


def _positions(df):
    """(offset -> (row, column)) in the file a finding is about (a bisection: cheaper than
    remembering the answers, as nearly every edit's offsets are new)."""
    return None if df is None else df.position


def _s(value) -> str:
    """One JSON scalar as json.dumps writes it (strings ASCII-escaped)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return _encode_str(value)
    return json.dumps(value)


_TEMPLATES = True  # tests/test_lint_chain_fast.py compares the report with and without them


def _one_edit_template(f: Finding, filename: str, memo: dict) -> tuple[str, ...]:
    """``_finding_text`` of a finding whose fix has one edit in its own file, as the nine texts
    around its eight numbers: (line, column, end line, end column, and the same four of the edit)."""
    head, tail = _finding_parts(f, filename, memo)
    fix = f.fix
    fix_head = _fix_head(fix, memo)
    content = _edit_content(fix.edits[0].replacement, None, memo)
    return (
        head,
        ',\n      "column": ',
        '\n    },\n    "end_location": {\n      "row": ',
        ',\n      "column": ',
        '\n    },\n    "fix": ' + fix_head + content[0] + '          "location": {\n            "row": ',
        ',\n            "column": ',
        '\n          },\n          "end_location": {\n            "row": ',
        ',\n            "column": ',
        "\n          }" + content[1] + "\n        }\n      ]\n    }" + tail,
    )


def _finding_parts(f: Finding, filename: str, memo: dict) -> tuple[str, str]:
    """The text before a finding's line number, and after its fix."""
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
    return parts


def _fix_head(fix, memo: dict) -> str:
    edits = fix.edits
    fkey = ("fix", fix.applicability, fix.message, not edits)
    fix_head = memo.get(fkey)
    if fix_head is None:
        fix_head = memo[fkey] = (
            f'{{\n      "applicability": {_s(fix.applicability)},\n      "message": {_s(fix.message)},\n'
            + ('      "edits": []' if not edits else '      "edits": [\n')
        )
    return fix_head


def _edit_content(replacement: str, other: str | None, memo: dict) -> tuple[str, str]:
    """The text of an edit before its location, and after its end location."""
    ekey = ("edit", replacement, other) if other is not None else replacement  # the only string keys
    content = memo.get(ekey)
    if content is None:
        named = f',\n          "filename": {_encode_str(os.path.abspath(other))}' if other is not None else ""
        content = memo[ekey] = (f'        {{\n          "content": {_encode_str(replacement)},\n', named)
    return content


def _finding_text(f: Finding, pos, filename: str, memo: dict | None = None, others: dict | None = None) -> str:
    """``"  " + json.dumps(finding_json(f, df), indent=2)`` with every line indented by two
    spaces (its place in the list), without the generic encoder. ``memo`` keeps the text of the
    parts findings share (a rule's code, name and message, a fix's message, an edit's content):
    a file with half a million findings has a handful of distinct ones. ``others``: path ->
    _file_positions of another file an edit is in, for the whole report (read once each)."""
    if memo is None:
        memo = {}
    head, tail = _finding_parts(f, filename, memo)
    fix = f.fix
    if fix is None:
        fix_text = "null"
    else:
        edits = fix.edits
        fix_head = _fix_head(fix, memo)
        if not edits:
            fix_text = fix_head + "\n    }"
        else:
            texts = []
            for e in edits:
                other = e.path
                if other is not None and FILE_POSITIONS_ONCE and others is not None:
                    at = others.get(other)
                    if at is None:
                        at = others[other] = _file_positions(other)
                    (r1, c1), (r2, c2) = at(e.start), at(e.end)
                elif other is not None:
                    (r1, c1), (r2, c2) = _file_position(other, e.start), _file_position(other, e.end)
                elif pos is not None:
                    (r1, c1), (r2, c2) = pos(e.start), pos(e.end)
                else:
                    (r1, c1), (r2, c2) = (f.line, f.column), (f.end_line, f.end_column)
                content = _edit_content(e.replacement, other, memo)
                texts.append(
                    f'{content[0]}          "location": {{\n            "row": {r1},\n            "column": {c1}\n'
                    f'          }},\n          "end_location": {{\n            "row": {r2},\n            "column": {c2}\n'
                    f"          }}{content[1]}\n        }}"
                )
            fix_text = fix_head + ",\n".join(texts) + "\n      ]\n    }"
    return (
        f'{head}{f.line},\n      "column": {f.column}\n    }},\n'
        f'    "end_location": {{\n      "row": {f.end_line},\n      "column": {f.end_column}\n    }},\n'
        f'    "fix": {fix_text}{tail}'
    )


# -- github ---------------------------------------------------------------------


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


def _github(result: LintResult, out) -> None:
    level = {"error": "error", "warning": "warning", "info": "notice"}
    # The escaped parts findings share (a file, a rule's title, a message), worked out once each:
    # a file with half a million findings has a handful of distinct ones.
    files: dict[str, str] = {}
    memo: dict[tuple, tuple[str, str]] = {}
    chunk: list[str] = []
    for f in result.findings:
        name = files.get(f.path)
        if name is None:
            name = relative_path(f.path)  # (a byte that is not UTF-8 stays: it names the file in the repository)
            if _UNSHOWN_GH_NAME.search(name):
                name = _UNSHOWN_GH_NAME.sub(_escape, name)
            name = files[f.path] = _gh_escape(name, True)
        key = (f.severity, f.code, f.name, f.message)
        parts = memo.get(key)
        if parts is None:
            if len(memo) > 4096:
                memo.clear()
            parts = memo[key] = (
                f"::{level[f.severity]} file=",
                f",title={_gh_escape(f.code + ' ' + f.name, True)}::{_gh_escape(f.code + ' ' + _printable(f.message))}\n",
            )
        chunk.append(
            f"{parts[0]}{name},line={f.line},col={f.column},endLine={f.end_line},endColumn={f.end_column}{parts[1]}"
        )
        if len(chunk) >= 4096:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))


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
    """The text of json.dumps(_sarif_doc(result), indent=2): the document around the results
    from json.dumps, each result from a template (json's indented encoder is pure Python: 35 us a
    result), written in pieces."""
    from aishell.lint_rules import all_rules

    index = {r.CODE: i for i, r in enumerate(all_rules())}
    level = {"error": "error", "warning": "warning", "info": "note"}
    mark = "\x00aishell-results\x00"
    doc = json.dumps(_sarif_doc(result, [mark]), indent=2)
    at = doc.index(_encode_str(mark))
    head, tail = doc[:at], doc[at + len(_encode_str(mark)) :]
    findings = result.findings
    if not findings:  # json.dumps writes an empty list as []
        out.write(head.rstrip(" \n") + "]" + tail.split("]", 1)[1] + "\n")
        return
    out.write(head)
    locations: dict[str, str] = {}
    memo: dict[tuple, str] = {}
    chunk: list[str] = []
    sep = ""  # then ",\n" and the indent of a list item
    for f in findings:
        location = locations.get(f.path)
        if location is None:
            loc = _sarif_location(f.path)
            location = locations[f.path] = f'"uri": {_encode_str(loc["uri"])}' + (
                f',\n                  "uriBaseId": {_encode_str(loc["uriBaseId"])}' if "uriBaseId" in loc else ""
            )
        key = (f.code, f.severity, f.message, location)
        front = memo.get(key)
        if front is None:
            if len(memo) > 4096:
                memo.clear()
            front = memo[key] = (
                f'{{\n          "ruleId": {_encode_str(f.code)},\n          "ruleIndex": {index[f.code]},\n'
                f'          "level": {_encode_str(level[f.severity])},\n'
                f'          "message": {{\n            "text": {_encode_str(f.message)}\n          }},\n'
                '          "locations": [\n            {\n              "physicalLocation": {\n'
                f'                "artifactLocation": {{\n                  {location}\n                }},\n'
                '                "region": {\n                  "startLine": '
            )
        chunk.append(
            f'{sep}{front}{f.line},\n                  "startColumn": {f.column},\n'
            f'                  "endLine": {f.end_line},\n                  "endColumn": {f.end_column}\n'
            "                }\n              }\n            }\n          ]\n        }"
        )
        sep = ",\n        "
        if len(chunk) >= 4096:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))
    out.write(tail + "\n")


def _sarif_doc(result: LintResult, results: list | None = None) -> dict:
    """The SARIF document; ``results`` in place of the findings' (the fast writer's mark)."""
    from aishell.ruledocs import rule_doc
    from aishell.lint_rules import all_rules

    rules = all_rules()
    index = {r.CODE: i for i, r in enumerate(rules)}
    level = {"error": "error", "warning": "warning", "info": "note"}
    if results is None:
        results = [_sarif_result(f, index, level) for f in result.findings]
    # Each rule carries its own documentation (rules[].help): no link to a page that may not exist.
    return {
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
                # Columns count characters (Dockerfile.position); SARIF reads UTF-16 code units
                # unless told (2.1.0 §3.14.17), which put every region after a character past
                # U+FFFF (an emoji in an `echo`) a column left of its text.
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def _sarif_result(f: Finding, index: dict, level: dict) -> dict:
    return {
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


# Characters of a source line the text report shows: a longer line is shown around the finding
# (`…` where it is cut), so the report grows with the findings, not with findings times the
# line's length (a 50 KB RUN of 2,000 harness commands once printed 237 MB).
CLIP = 160


def _shown(src: str, column: int, end: int) -> tuple[str, int, int]:
    """(the part of ``src`` shown, the finding's column and end column in it): all of it when
    it is short, else CLIP characters from a quarter of them before the column."""
    if len(src) <= CLIP:
        return src, column, end
    start = max(0, min(column - 1 - CLIP // 4, len(src) - CLIP))
    stop = start + CLIP
    shift = start - 1 if start else 0  # the `…` in front takes a column
    shown = ("…" if start else "") + src[start:stop] + ("…" if stop < len(src) else "")
    return shown, column - shift, min(end, stop + 1) - shift


def _caret_pad(src: str, column: int) -> str:
    """What goes under src[:column - 1]: its tabs kept, everything else a space."""
    before = src[: column - 1]
    if "\t" not in before:
        return " " * len(before)
    return _NOT_TAB.sub(" ", before)


_NOT_TAB = re.compile("[^\t]")
# What a source line, a message or a name may not bring to the terminal raw: C0 controls but
# the tab (a caret line copies tabs), DEL, C1 controls (U+009B is a CSI by itself), NEL, the
# line and paragraph separators, the bidirectional controls (which reorder what a reader sees:
# Trojan Source) and the surrogate escapes of bytes that are not UTF-8. Each is written as its
# escape, `\x1b`, `\u202e`, as one error line writes it (aishell.errors.one_line).
_UNSHOWN = re.compile(f"[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f\\u2028\\u2029{_BIDI}\\udc80-\\udcff]")


_UNSHOWN_NAME = re.compile(_UNSHOWN.pattern.replace("\\udc80-\\udcff", ""))
# In a GitHub annotation's `file=`: a line break is written %0A or %0D (_gh_escape), which the
# runner decodes back to the file's own name; escaped as `\n` first, it named no file.
_UNSHOWN_GH_NAME = re.compile(_UNSHOWN_NAME.pattern.replace("\\x0a-\\x1f", "\\x0b\\x0c\\x0e-\\x1f"))


def _printable(text: str) -> str:
    return _UNSHOWN.sub(_escape, text) if _UNSHOWN.search(text) else text


def _escaped(src: str, column: int, end: int) -> tuple[str, int, int]:
    """(``src`` printable, and the finding's column and end column in it)."""
    if not _UNSHOWN.search(src):
        return src, column, end
    head, mid = _printable(src[: column - 1]), _printable(src[column - 1 : max(column, end) - 1])
    return head + mid + _printable(src[max(column, end) - 1 :]), len(head) + 1, len(head) + len(mid) + 1


_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
_SAFE_HINT = "safe fix: `aishell migrate --write`"
_UNSAFE_HINT = "unsafe fix: `aishell migrate --write --unsafe-fixes`"


def _text(result: LintResult, out) -> None:
    console = _console(out)
    if isinstance(console, _Plain):
        _text_plain(result, out)
        return
    for segments in _text_lines(result):
        console.line(*segments)


def _text_lines(result: LintResult):
    """Each line of the text report as styled segments: what _Rich prints, and the reference
    for _text_plain."""
    style = _STYLE
    safe = unsafe = 0
    for r in result.files:
        lines = r.df.text.split("\n") if r.df else []
        for f in r.findings:
            yield (
                (f"{display_path(f.path)}:{f.line}:{f.column}:", "bold"),
                (" ", ""),
                (f.code, style[f.severity]),
                (" ", ""),
                (f"[{f.severity}]", "dim"),
                (" ", ""),
                (_printable(f.message), ""),
            )
            if lines:
                width = len(str(f.end_line))
                for n in range(f.line, min(f.end_line, f.line + 4) + 1):
                    src = lines[n - 1].rstrip("\r").lstrip("\ufeff") if n - 1 < len(lines) else ""
                    end = f.end_column if f.end_line == f.line else len(src) + 1
                    src, column, end = _escaped(*_shown(src, f.column if n == f.line else 1, end))
                    yield ((f"{n:>{width}} |", "blue"), (" ", ""), (src, ""))
                    if n == f.line:
                        yield (
                            (f"{'':>{width}} |", "blue"),
                            (" " + _caret_pad(src, column), ""),
                            ("^" * max(1, end - column), style[f.severity]),
                        )
            if f.fix:
                if f.fix.applicability == SAFE:
                    safe += 1
                    hint = _SAFE_HINT
                else:
                    unsafe += 1
                    hint = _UNSAFE_HINT
                yield (("  ", ""), ("help:", "cyan"), (f" {_printable(f.fix.message)} ({hint})", ""))
            yield ()
    yield from _text_summary(result, safe, unsafe)


def _text_summary(result: LintResult, safe: int, unsafe: int):
    findings = result.findings
    n = len(findings)
    if n == 0:
        if not result.errors and result.files:
            yield (
                ("All checks passed!", "green"),
                (f" ({len(result.files)} file{'s' if len(result.files) != 1 else ''})", ""),
            )
        return
    counts = Counter(map(attrgetter("severity"), findings))
    by = {s: counts[s] for s in ("error", "warning", "info")}
    parts = ", ".join(f"{v} {k}{'s' if v != 1 else ''}" for k, v in by.items() if v)
    yield ((f"Found {n} finding{'s' if n != 1 else ''} ({parts}).", ""),)
    if safe:
        yield ((f"{safe} fixable with `aishell migrate --write`.", "cyan"),)
    if unsafe:
        yield ((f"{unsafe} more fixable with `aishell migrate --write --unsafe-fixes`.", "cyan"),)


def _text_plain(result: LintResult, out) -> None:
    """_text_lines' text without styles, built as strings and written in pieces (a finding's
    segments joined one line at a time cost 12 us a finding). A finding on one short line (the
    common case) is one f-string; the others take the general path, as _text_lines reads them."""
    safe = unsafe = 0
    chunk: list[str] = []
    append = chunk.append
    # A message -> _printable's; (a fix's message, whether it is safe) -> its help line: findings
    # share a few (each memo is emptied at 4,096, for files whose messages name their lines).
    printed: dict[str, str] = {}
    helps: dict[tuple, str] = {}
    for r in result.files:
        lines = r.df.text.split("\n") if r.df else []
        nlines = len(lines)
        names: dict[str, str] = {}
        # Line number -> its text, when _escaped leaves it as it is (nothing _UNSHOWN matches)
        # and, longer than CLIP, it has no tab: then the finding is one f-string, around _shown's
        # part of a long line. The lines the general path takes are in `general`, each line read
        # once (a 60 KB line of 5,000 findings: once, not 5,000 times).
        shown: dict[int, str] = {}
        general: set[int] = set()
        for f in r.findings:
            _, _, severity, message, path, _, _, line, column, end_line, end_column, fix, _ = f
            got = printed.get(message)
            if got is None:
                if len(printed) >= 4096:
                    printed.clear()
                got = printed[message] = _printable(message)
            message = got
            name = names.get(path)
            if name is None:
                name = names[path] = display_path(path)
            if line == end_line and 0 < line <= nlines and line not in general:
                src = shown.get(line)
                if src is None:
                    src = lines[line - 1].rstrip("\r").lstrip("\ufeff")
                    if (len(src) <= CLIP or "\t" not in src) and not _UNSHOWN.search(src):
                        shown[line] = src
                    else:
                        general.add(line)
                if line in shown:
                    if len(src) <= CLIP:
                        pad = " " * min(column - 1, len(src)) if "\t" not in src else _caret_pad(src, column)
                        carets = "^" * max(1, end_column - column)
                    else:  # _shown's part of it, inlined
                        n = len(src)
                        start = column - 1 - CLIP // 4
                        if start > n - CLIP:
                            start = n - CLIP
                        if start > 0:
                            stop = start + CLIP
                            src = "…" + src[start:stop] + "…" if stop < n else "…" + src[start:stop]
                            col = column - start + 1
                            end = (end_column if end_column < stop + 1 else stop + 1) - start + 1
                        else:
                            src = src[:CLIP] + "…"
                            col, end = column, end_column if end_column < CLIP + 1 else CLIP + 1
                        pad = " " * min(col - 1, len(src))
                        carets = "^" * max(1, end - col)
                    gutter = " " * len(str(line))
                    append(
                        f"{name}:{line}:{column}: {f.code} [{severity}] {message}\n{line} | {src}\n"
                        f"{gutter} | {pad}{carets}\n"
                    )
                    if fix:
                        key = (fix.message, fix.applicability == SAFE)
                        if key[1]:
                            safe += 1
                        else:
                            unsafe += 1
                        got = helps.get(key)
                        if got is None:
                            if len(helps) >= 4096:
                                helps.clear()
                            hint = _SAFE_HINT if key[1] else _UNSAFE_HINT
                            got = helps[key] = f"  help: {_printable(fix.message)} ({hint})\n\n"
                        append(got)
                    else:
                        append("\n")
                    if len(chunk) >= 8192:
                        out.write("".join(chunk))
                        chunk.clear()
                    continue
            append(f"{name}:{line}:{column}: {f.code} [{severity}] {message}\n")
            if lines:
                width = len(str(end_line))
                for n in range(line, min(end_line, line + 4) + 1):
                    src = lines[n - 1].rstrip("\r").lstrip("\ufeff") if n - 1 < nlines else ""
                    if len(src) > CLIP:
                        end = end_column if end_line == line else len(src) + 1
                        src, col, end = _shown(src, column if n == line else 1, end)
                    else:
                        col, end = (column if n == line else 1), (end_column if end_line == line else len(src) + 1)
                    src, col, end = _escaped(src, col, end)
                    append(f"{n:>{width}} | {src}\n")
                    if n == line:
                        append(f"{'':>{width}} | {_caret_pad(src, col)}{'^' * max(1, end - col)}\n")
            if fix:
                if fix.applicability == SAFE:
                    safe += 1
                    hint = _SAFE_HINT
                else:
                    unsafe += 1
                    hint = _UNSAFE_HINT
                append(f"  help: {_printable(fix.message)} ({hint})\n")
            append("\n")
            if len(chunk) >= 8192:
                out.write("".join(chunk))
                chunk.clear()
    out.write("".join(chunk))
    for segments in _text_summary(result, safe, unsafe):
        out.write("".join(text for text, _ in segments) + "\n")
