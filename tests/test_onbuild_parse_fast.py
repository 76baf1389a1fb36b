"""An ONBUILD line of a simple instruction parsed in one step gives what the reader gives (issue 18, r101).

aishell/model.py's _parse reads `ONBUILD RUN npm i -g …` (ONBUILD, blanks, then a line the simple
path takes: a keyword of letters, arguments with no builder flag, JSON form, heredoc or escape at
the end) without _read_instruction (ONBUILD_LINE): the ONBUILD and the instruction it carries,
which _make_instruction builds with sub=True (no check of its own), the carried one an Instruction
as the simple path's. Each line here is a blank prefix, a spelling of ONBUILD, a separator, a
carried keyword and its arguments (3 x 3 x 4 x 12 x 10 = 4,320 lines, every carried keyword's
edge: ENV, LABEL, HEALTHCHECK and ONBUILD, which the reader checks; flags, JSON, heredocs, an
escape at the end), parsed as files of 40 lines with both escape characters: the fast parse and
the reference (tests/test_parse_fast.py's, every line through _read_instruction) must agree on
every field of every instruction, or on the error; and so must ONBUILD_LINE on and off. The
lint findings of files of ONBUILD installs agree with it on and off.
"""

from __future__ import annotations

from itertools import product

from aishell import model

from tests.runs import lint_findings, switched
from tests.test_parse_fast import _outcome

_PREFIXES = ["", " ", "\t "]
_SPELLINGS = ["ONBUILD", "onbuild", "OnBuild"]
_SEPARATORS = [" ", "\t", "  ", "\v"]
_KEYWORDS = ["RUN", "run", "COPY", "FROM", "ENV", "LABEL", "HEALTHCHECK", "ONBUILD", "CMD", "EXPOSE", "USER", "ADD"]
_RESTS = [
    "",
    " npm i -g @anthropic-ai/claude-code@1.0.3",
    " a=b c",
    " --mount=type=cache,target=/x y",
    ' ["a", "b"]',
    " NONE",
    " x <<EOF\nbody\nEOF",
    " a \\\n  b",
    " a # b",
    " x\r",
]


def _lines() -> list[str]:
    return [f"{p}{s}{sep}{k}{r}" for p, s, sep, k, r in product(_PREFIXES, _SPELLINGS, _SEPARATORS, _KEYWORDS, _RESTS)]


def _switched(text: str, on: bool):
    with switched([(model, "ONBUILD_LINE")], on):
        return _outcome(text, True)


def test_an_onbuild_line_parses_as_the_reader_parses_it():
    lines = _lines()
    assert len(lines) == 4320
    fast = 0
    for k in range(0, len(lines), 40):
        for head in ("FROM x\n", "# escape=`\nFROM x\n"):
            text = head + "\n".join(lines[k : k + 40]) + "\n"
            got = _switched(text, True)
            assert got == _outcome(text, False) == _switched(text, False)
    for line in lines:  # (the fast path's own: those whose carried instruction is a simple line)
        try:
            sub = model._parse("FROM x\n" + line + "\n", None).instructions[1].sub
        except model.DockerfileSyntaxError:
            continue
        fast += type(sub) is model.Instruction
    assert fast > 1000


def test_findings_agree():
    text = "FROM aishell:foundation AS base\n" + "".join(
        f"ONBUILD RUN npm i -g @anthropic-ai/claude-code@1.0.{n}\nonbuild  run claude -v\n" for n in range(40)
    )
    text += "FROM base\nRUN claude -v\n"
    with switched([(model, "ONBUILD_LINE")], False):
        general = lint_findings(text)
    with switched([(model, "ONBUILD_LINE")], True):
        assert lint_findings(text) == general
    assert general
