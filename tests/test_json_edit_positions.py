"""The JSON report's one-edit template places an edit's end where the model does (issue 18).

aishell/reporters.py's _json finds the row of an edit's end without a search when it is on the
row of its start (most removals of a command: ` && claude -v`). Checked exhaustively: every edit
[a, b) (b < a as well) of small files with a BOM, CRLF, tabs, blank lines and no final newline, against
json.dumps of finding_json (which asks the model for each position).
"""

import io
import json

import pytest

from aishell import reporters
from aishell.findings import Edit, Finding, Fix
from aishell.lint import FileResult, LintResult
from aishell.model import parse

_SOURCES = [
    "FROM a\nRUN b\n",
    "\ufeffFROM a\r\nRUN\tb c\r\n",
    "FROM a\n\n\tRUN \\\n\tb\n# c\nCOPY . .\n",
    "\ufeffFROM a",
    "FROM a\nRUN b",
]


@pytest.mark.parametrize("source", _SOURCES)
def test_every_edit_is_placed_as_the_model_places_it(source):
    df = parse(source)
    n = len(df.text)
    findings = []
    for a in range(n + 2):
        for b in range(n + 3):  # (b < a too: the search is kept there)
            fix = Fix("unsafe", "m", (Edit(a, b, ""),))
            (line, col), (end_line, end_col) = df.position(a), df.position(b)
            findings.append(Finding("AIS002", "n", "error", "m", "Dockerfile", a, b, line, col, end_line, end_col, fix))
    out = io.StringIO()
    reporters.report(LintResult([FileResult("Dockerfile", findings, df)]), "json", out)
    assert out.getvalue() == json.dumps([reporters.finding_json(f, df) for f in findings], indent=2) + "\n"
