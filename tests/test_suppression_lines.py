"""A suppression is read from its own comment line only (aishell/lint.py IGNORE_RE, IGNORE_FILE_RE).

Found by a red team: `#` alone on a line inside a continued RUN, then `  aishell: ignore-file=AIS001`
on the next: BuildKit drops the comment line and reads the next as the RUN's text, but the
suppression's pattern let its blanks cross the line end and switched AIS001 and AIS002 off for
the whole file. The class: any blank of the pattern (after `#`, after `aishell:`, around the
commas, before the reason) being a line end. Every such place × line ends × indentation × both
kinds (file-wide, on the next instruction): the codes that count are those written in full on
the comment line.
"""

import pytest

from aishell.lint import _suppressed
from aishell.model import parse

# `# aishell: ignore-file=AIS001 , AIS002 reason`, cut into parts; "_" marks a place a blank may be.
PARTS = ["#", "_", "aishell:", "_", "ignore-file=", "AIS001", "_", ",", "_", "AIS002", "_", "reason"]
BLANKS = [i for i, p in enumerate(PARTS) if p == "_"]


def _expected(cut: int) -> set[str]:
    before = PARTS[:cut]
    if "ignore-file=" not in before:
        return set()
    return {p for p in before if p.startswith("AIS")}


@pytest.mark.parametrize("kind", ["ignore-file=", "ignore="])
@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
@pytest.mark.parametrize("indent", ["", "  ", "\t"])
@pytest.mark.parametrize("cut", BLANKS)
def test_codes_on_the_next_line_never_count(kind, line_end, indent, cut):
    parts = [kind if p == "ignore-file=" else p for p in PARTS]
    comment = "".join(" " if p == "_" else p for p in parts[:cut])
    rest = "".join(" " if p == "_" else p for p in parts[cut + 1 :])
    nl = line_end
    text = f"FROM aishell:base{nl}RUN echo hi \\{nl}{comment}{nl}{indent}{rest}{nl}RUN claude -v{nl}"
    df = parse(text)
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN", "RUN"]
    file_codes, per_ins = _suppressed(df)
    want = _expected(cut)
    if kind == "ignore-file=":
        assert file_codes == want, text
    else:
        assert file_codes == set()
        # (a comment inside a continuation is above no instruction: it suppresses nothing)
        assert all(codes <= want for codes in per_ins.values()), text


@pytest.mark.parametrize("kind", ["ignore-file=", "ignore="])
def test_the_whole_line_still_counts(kind):
    text = f"FROM aishell:base\n# aishell: {kind}AIS001 , AIS002 reason\nRUN claude -v\n"
    file_codes, per_ins = _suppressed(parse(text))
    assert (file_codes if kind == "ignore-file=" else set().union(*per_ins.values())) == {"AIS001", "AIS002"}
