"""The ignore file is read as BuildKit reads it (moby/patternmatcher ignorefile.ReadAll), on
generated files: a red-team pass found a BOM before the first pattern kept in it (BuildKit drops
it), so `package-lock.json` looked sent while BuildKit excluded it and AIS101's fix wrote a COPY
of it that fails the build. The class is every way the reading can differ: the BOM, which
characters split lines (only a line feed; a CR before it dropped), what is a comment (a `#` in
the first column only: an indented one is a pattern), and which blanks are trimmed (Go's
unicode.IsSpace: not the \\x1c-\\x1f Python's str.strip takes)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.context import BuildContext, read_ignore_patterns


def _go_space(c: str) -> bool:
    """Go's unicode.IsSpace, from its definition: the Latin-1 spaces, then category Z."""
    if c <= "\xff":
        return c in "\t\n\v\f\r \x85\xa0"
    return unicodedata.category(c) in ("Zs", "Zl", "Zp")


def _trim(s: str) -> str:
    a, b = 0, len(s)
    while a < b and _go_space(s[a]):
        a += 1
    while b > a and _go_space(s[b - 1]):
        b -= 1
    return s[a:b]


def _reference(data: bytes) -> list[str]:
    """ignorefile.ReadAll, line by line: bufio.ScanLines, the BOM trimmed from the first line,
    `#` lines skipped before trimming, then strings.TrimSpace, empty lines skipped."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # ScanLines returns no empty last token
    out = []
    for n, raw in enumerate(lines):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if n == 0 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if raw.startswith(b"#"):
            continue
        pattern = _trim(raw.decode("utf-8", errors="replace"))
        if pattern:
            out.append(pattern)
    return out


PIECES = ["\ufeff", "#", " ", "\t", "\r", "\n", "\r\n", "\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u3000", "\f", "\v"]
PIECES += ["a", ".env", "!", "node_modules", "*.log", "/x", "é"]


@settings(max_examples=1500, deadline=None)
@given(text=st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_the_ignore_file_is_read_as_buildkit_reads_it(text, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ctx")
    path = folder / ".dockerignore"
    data = text.encode("utf-8")
    path.write_bytes(data)
    assert read_ignore_patterns(str(path)) == _reference(data), repr(text)


def test_a_bom_before_the_first_pattern_excludes_what_it_names(tmp_path):
    (tmp_path / ".dockerignore").write_bytes(b"\xef\xbb\xbfpackage-lock.json\r\n  # not a comment\n")
    (tmp_path / "Dockerfile").write_text("FROM a\n")
    ctx = BuildContext.for_dockerfile(str(tmp_path / "Dockerfile"))
    assert ctx.is_ignored("package-lock.json")
    assert ctx.is_ignored("# not a comment")
