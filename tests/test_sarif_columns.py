"""SARIF regions count columns in the unit the run declares (issue 18, output formats).

aishell's columns count characters (Unicode code points, `Dockerfile.position`). SARIF 2.1.0
reads a region's columns in UTF-16 code units unless the run says otherwise (§3.14.17, the
`columnKind` default): without the declaration, every character past U+FFFF before a finding
(an emoji in an `echo`) moved its region one column left of the text it names. Checked on
generated lines: the region, read in the declared unit, is exactly the finding's text.
"""

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import LintResult, Options, lint_text
from aishell.reporters import report

OPTS = Options(use_config=False)
# Characters of one, two and three UTF-8 bytes, and past U+FFFF (two UTF-16 code units).
_chars = st.sampled_from(["a", " ", "\t", "é", "中", "😀", "𝔘", "\U0010fffd"])


def _region_text(line: str, kind: str, start: int, end: int) -> str:
    if kind == "unicodeCodePoints":
        return line[start - 1 : end - 1]
    units = line.encode("utf-16-le")
    return units[2 * (start - 1) : 2 * (end - 1)].decode("utf-16-le")


@settings(max_examples=60, deadline=None, database=None)
@given(st.lists(st.text(_chars, max_size=6), min_size=1, max_size=3), st.sampled_from(["\n", "\r\n"]))
def test_sarif_region_names_the_finding_text(words, nl):
    runs = "".join(f"RUN echo '{w}' && claude --version{nl}" for w in words)
    text = f"FROM debian{nl}{runs}"
    result = lint_text(text, "Dockerfile", OPTS)
    assert result.findings  # (AIS002 at each `claude`)
    out = io.StringIO()
    report(LintResult([result]), "sarif", out)
    run = json.loads(out.getvalue())["runs"][0]
    kind = run.get("columnKind", "utf16CodeUnits")  # SARIF 2.1.0 §3.14.17
    lines = text.split(nl)
    for res, f in zip(run["results"], result.findings, strict=True):
        region = res["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] == region["endLine"] == f.line
        got = _region_text(lines[f.line - 1], kind, region["startColumn"], region["endColumn"])
        assert got == text[f.start : f.end], (region, f)
