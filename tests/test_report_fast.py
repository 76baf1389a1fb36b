"""The text, github and SARIF reporters' fast writers give what the general ones give (issue 18).

`--format text` to a pipe builds each finding's lines as strings; the reference is the styled
segments (`_text_lines`, what rich prints) joined. `--format sarif` writes the document around the
results with json.dumps and each result from a template; the reference is
json.dumps(_sarif_doc(...), indent=2). `--format github` keeps the escaped parts findings share;
the reference is the per-finding formatting it replaced, verbatim. Each is checked on generated
findings: any text in messages, names and paths (quotes, backslashes, controls, non-ASCII, `%`,
`:` and `,`), positions at the edges of the file and its lines (tabs, a BOM, CR), several files,
fixes safe and unsafe, no findings at all.
"""

import io
import json
import re
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.errors import relative_path
from aishell.findings import Finding, Fix
from aishell.lint import LintResult
from aishell.lint_rules import all_rules
from aishell.model import parse
from aishell.errors import _escape
from aishell.reporters import _UNSHOWN_NAME, _gh_escape, _printable, _sarif_doc, _text_lines, _text_plain, report

CODES = [r.CODE for r in all_rules() if getattr(r, "TARGET", "dockerfile") == "dockerfile"]
_text = st.text(st.characters(codec="utf-8"), max_size=10) | st.sampled_from(
    ["", '"', "\\", "\n", "%", "a:b,c", "\u2028", "é", "😀", "\x1b[2J", "\t"]
)
_paths = st.sampled_from(["Dockerfile", "sub/Dockerfile", "/elsewhere/Dockerfile", "a b/Dockerfile", "x\x1by/D"])
_sources = st.sampled_from(
    [
        "FROM a\nRUN b\n",
        "\ufeffFROM a\r\nRUN\tb c\r\n",
        "FROM a\n\tRUN \\\n\tb\n# c\nCOPY . .\n",
        "FROM a\nRUN <<EOF\nx\ty\nEOF\n",
        # lines longer than the report shows (reporters.CLIP): shown around the finding
        "FROM a\nRUN " + "x\t" * 150 + "\nRUN " + "é" * 300 + " \\\n " + "y" * 200 + "\n",
        # long lines of one line's findings: plain, with a control character, with a CR
        "FROM a\nRUN true" + " && claude -v" * 40 + "\nRUN " + "a\x1b" * 90 + "\r\nRUN " + "b" * 170 + "\r\n",
    ]
)


class _Result:
    def __init__(self, path, findings, df):
        self.path = path
        self.findings = findings
        self.df = df


@st.composite
def results(draw):
    """Files, each with findings at places in it (spans within the text, or past its end)."""
    files = []
    for _ in range(draw(st.integers(0, 3))):
        source = draw(_sources)
        df = parse(source)
        path = draw(_paths)
        findings = []
        for _ in range(draw(st.integers(0, 4))):
            a = draw(st.integers(0, len(source)))
            b = draw(st.integers(a, len(source) + 3))
            (line, col), (end_line, end_col) = df.position(a), df.position(b)
            fix = draw(
                st.none() | st.builds(Fix, st.sampled_from(["safe", "unsafe"]), _text, st.just(()))  # no edits
            )
            findings.append(
                Finding(
                    draw(st.sampled_from(CODES)),
                    draw(_text),
                    draw(st.sampled_from(["info", "warning", "error"])),
                    draw(_text),
                    path,
                    a,
                    b,
                    line,
                    col,
                    end_line,
                    end_col,
                    fix,
                )
            )
        files.append(_Result(path, findings, draw(st.sampled_from([df, None]))))
    return LintResult(files)


class _Pipe(io.StringIO):
    def isatty(self):
        return False


def _written(result, fmt):
    out = _Pipe()
    report(result, fmt, out)
    return out.getvalue()


@settings(max_examples=100, deadline=None, database=None)
@given(results())
def test_text_to_a_pipe_is_the_segments_joined(result):
    want = "".join("".join(text for text, _ in segments) + "\n" for segments in _text_lines(result))
    out = io.StringIO()
    _text_plain(result, out)
    assert out.getvalue() == want


def test_text_to_a_pipe_takes_the_plain_writer(monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    df = parse("FROM a\nRUN b\n")
    f = Finding(CODES[0], "n", "error", "m", "Dockerfile", 7, 10, 2, 1, 2, 4, Fix("safe", "x", ()))
    result = LintResult([_Result("Dockerfile", [f], df)])
    with mock.patch("aishell.reporters._text_plain", wraps=_text_plain) as plain:
        text = _written(result, "text")
    assert plain.called
    assert text == "".join("".join(t for t, _ in segments) + "\n" for segments in _text_lines(result))


@settings(max_examples=100, deadline=None, database=None)
@given(results())
def test_sarif_is_json_dumps_of_the_document(result):
    assert _written(result, "sarif") == json.dumps(_sarif_doc(result), indent=2) + "\n"


def _github_reference(result, out):
    """The github reporter as it was before its fast path, verbatim (with the controls a file
    put in a name or a message escaped: reporters._printable)."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    for f in result.findings:
        props = (
            f"file={_gh_escape(_UNSHOWN_NAME.sub(_escape, relative_path(f.path)), True)},line={f.line},col={f.column},"
            f"endLine={f.end_line},endColumn={f.end_column},title={_gh_escape(f.code + ' ' + f.name, True)}"
        )
        out.write(f"::{level[f.severity]} {props}::{_gh_escape(f.code + ' ' + _printable(f.message))}\n")


@settings(max_examples=100, deadline=None, database=None)
@given(results())
def test_github_is_the_per_finding_formatting(result):
    want = io.StringIO()
    _github_reference(result, want)
    assert _written(result, "github") == want.getvalue()


def test_the_writers_agree_past_their_write_chunk():
    """More findings than one piece of output holds (the writers flush every few thousand)."""
    source = "FROM a\n" + "RUN b\n" * 5000
    df = parse(source)
    findings = [
        Finding(
            CODES[k % len(CODES)], "n", "warning", f"m{k % 7}", "Dockerfile", 7 + 6 * k, 10 + 6 * k, k + 2, 1, k + 2, 4
        )
        for k in range(9000)
    ]
    result = LintResult([_Result("Dockerfile", findings, df)])
    assert _written(result, "sarif") == json.dumps(_sarif_doc(result), indent=2) + "\n"
    want = io.StringIO()
    _github_reference(result, want)
    assert _written(result, "github") == want.getvalue()
    out = io.StringIO()
    _text_plain(result, out)
    assert out.getvalue() == "".join("".join(t for t, _ in segments) + "\n" for segments in _text_lines(result))


def test_findings_along_long_lines_are_the_segments_joined():
    """Every column of lines longer than the report shows (reporters.CLIP), one finding each,
    spans ending inside, at and past the line's end: the one-line writer around a part of the
    line against the general one, for a plain line, one with a tab and one with a control."""
    lines = ["RUN true" + " && claude -v" * 30, "RUN " + "x\ty " * 60, "RUN " + "é\x7f" * 100]
    source = "FROM a\n" + "\n".join(lines) + "\n"
    df = parse(source)
    findings = []
    start = len("FROM a\n")
    for k, text in enumerate(lines):
        for col in range(len(text) + 1):
            a = start + col
            for b in (a, a + 1, a + 7, start + len(text), start + len(text) + 1):
                (line, c), (end_line, end_c) = df.position(a), df.position(min(b, len(source)))
                findings.append(Finding(CODES[0], "n", "error", "m", "Dockerfile", a, b, line, c, end_line, end_c))
        start += len(text) + 1
    result = LintResult([_Result("Dockerfile", findings, df)])
    out = io.StringIO()
    _text_plain(result, out)
    assert out.getvalue() == "".join("".join(t for t, _ in segments) + "\n" for segments in _text_lines(result))


# -- the lint driver's positions ---------------------------------------------------------------


@settings(max_examples=300, deadline=None, database=None)
@given(
    source=_sources,
    bom=st.booleans(),
    spans=st.lists(st.tuples(st.integers(0, 60), st.integers(-3, 60)), min_size=1, max_size=8),
)
def test_finding_positions_are_the_models(source, bom, spans):
    """lint_text works out each finding's (line, column) and end inline: the same as
    Dockerfile.position, the end before the start, past the text and on the BOM's line included."""
    from aishell import lint
    from aishell.findings import Violation

    text = ("\ufeff" if bom and not source.startswith("\ufeff") else "") + source
    df = parse(text)
    violations = [Violation(f"m{i}", a, max(0, a + d)) for i, (a, d) in enumerate(spans)]  # (equal ones: one finding)

    class Rule:
        CODE, NAME, SEVERITY = "AIS999", "probe", "warning"

        @staticmethod
        def check(ctx):
            return iter(violations)

    with mock.patch.object(lint, "selected_rules", lambda *a, **k: [Rule]):
        got = lint.lint_text(text, "Dockerfile", lint.Options(use_config=False), df=df).findings
    want = sorted(((v.start, *df.position(v.start), *df.position(v.end)) for v in violations), key=lambda t: t[0])
    assert [(f.start, f.line, f.column, f.end_line, f.end_column) for f in got] == want


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.integers(0, 700),
    st.integers(0, 40),
    st.integers(1, 700),
    st.sampled_from(["x", "\t", "é", "ab\t"]),
)
def test_a_long_line_is_shown_around_the_finding(at, width, size, unit):
    """A line longer than CLIP is shown in CLIP characters (and a `…` at each cut) around the
    finding's column; the carets stand under the finding's characters as far as they are shown.
    So a report is linear in its findings whatever the lines' length."""
    from aishell.reporters import CLIP, _caret_pad, _shown

    src = (unit * size)[:size]
    column = min(at, len(src)) + 1
    end = min(column + width, len(src) + 1)
    shown, col, e = _shown(src, column, end)
    assert len(shown) <= CLIP + 2
    if len(src) <= CLIP:
        assert (shown, col, e) == (src, column, end)
        return
    body = shown.strip("\u2026")
    first = src.index(body) if shown.startswith("\u2026") else 0
    offset = 1 if shown.startswith("\u2026") else 0
    assert src[first : first + len(body)] == body
    assert shown[col - 1 : e - 1] == src[column - 1 : column - 1 + (e - col)]  # the carets' characters
    assert len(_caret_pad(shown, col)) == col - 1 and col >= 1 + offset


def test_a_report_of_many_findings_on_one_long_line_is_linear():
    """2,000 findings on one 50 KB RUN printed the whole line for each (237 MB); now each shows
    at most CLIP characters of it."""
    from aishell.lint import Options, lint_text

    text = "FROM debian\nRUN " + " && ".join(f"claude --v{j}" for j in range(2000)) + "\n"
    r = lint_text(text, "Dockerfile", Options(use_config=False))
    out = _written(LintResult([r]), "text")
    assert len(r.findings) >= 2000 and len(out) < 1200 * len(r.findings), len(out)


# -- what a file puts in the report never reaches the terminal raw --------------------------------
#
# The class (issue 18, round two): stderr's lines were escaped, but `--format text` printed the
# source lines, messages and fix hints as the file had them: an escape sequence (`\x1b[2J`, an OSC
# title), a lone CR that hides what precedes it, a C1 CSI (U+009B), a bidirectional override that
# reorders what the reader sees (Trojan Source). Generated: each such character x where it stands
# (before the finding, inside its span, on a continued line, on a line longer than the report
# shows, in the file's name) x each writer (plain, rich, github; JSON and SARIF stay valid JSON).
# Each is written as its escape, and the carets still stand under the finding.

HOSTILE = [
    "\x1b[2J",
    "\x1b]0;t\x07",
    "\r",
    "\x08",
    "\x0b",
    "\x7f",
    "\x85",
    "\x9b",
    "\u2028",
    "\u202e",
    "\u2066",
    "\u200f",
]
PLACES = [
    "FROM a\nRUN echo {h}; claude -p x\n",
    "FROM a\nRUN claude -p '{h}'\n",
    "FROM a\nRUN echo x \\\n  {h} && claude -p x\n",
    "FROM a\nRUN " + "y" * 200 + " {h}; claude -p x\n",
    "FROM a\n\tRUN true {h};\tclaude -p x # {h}\n",
]
_RICH_STYLE = re.compile(r"\x1b\[[0-9;]*m")  # (rich's own colours, with FORCE_COLOR)


def test_nothing_a_file_holds_reaches_the_terminal_raw(tmp_path, monkeypatch):
    from aishell.lint import Options, lint_text
    from aishell.reporters import _UNSHOWN

    for k, (h, place) in enumerate((h, p) for h in HOSTILE for p in PLACES):
        text = place.format(h=h)
        name = str(tmp_path / (f"x{h}y" if k % 3 == 0 and "\x00" not in h else "d") / "Dockerfile")
        fr = lint_text(text, name, Options(use_config=False, select=["AIS002"]))
        assert fr.findings, text
        result = LintResult([fr])
        for fmt, color in (("text", None), ("text", "1"), ("github", None), ("json", None), ("sarif", None)):
            if color:
                monkeypatch.setenv("FORCE_COLOR", color)
            else:
                monkeypatch.delenv("FORCE_COLOR", raising=False)
            out = _Pipe()
            report(result, fmt, out)
            shown = _RICH_STYLE.sub("", out.getvalue())
            assert not any(map(_UNSHOWN.search, shown.split("\n"))), (fmt, color, text, shown)
            if fmt in ("json", "sarif"):
                json.loads(shown)
            elif fmt == "text" and not color:
                lines = shown.split("\n")
                for i, line in enumerate(lines):  # the carets stand under the harness's name
                    if line.lstrip(" ").startswith("|") and "^" in line:
                        src = lines[i - 1].split("| ", 1)[1]
                        caret = line.split("| ", 1)[1]
                        start = caret.index("^")
                        assert src[start : start + 6] == "claude", (text, src, caret)
