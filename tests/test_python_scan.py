"""The Python token scans of `migrate` are linear however many literals never close (issue 18).

A red team (session 67): `re.finditer` of a pattern of Python literals tries each later quote
again after one that never closes, each try to the end of the file (a triple quote) or of its
line: `migrate` on an 80 KB file of escaped triple quotes after an unclosed one took 20 s
(python_mention_starts, which reads any `.py` holding a `:`, even one never naming the image),
a long line of escaped quotes after an unclosed one 6 s at 40 KB, and bracket_depth as much
again. aishell.images.QuoteScanner gives finditer's matches without those tries; here its
matches are compared with finditer's on generated sources (quotes, escapes, line breaks,
prefixes, comments, brackets), for both patterns, over whole texts and slices, and the three
shapes are timed at a size where the old scans took minutes.
"""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.images import _PY_TOKENS, PY_TOKENS
from aishell.migrate.python_refs import _BRACKET_SCAN, _BRACKETS

PIECES = st.sampled_from(
    ["'", '"', "'''", '"""', "\\", "\\'", '\\"', "\\'''", "\n", "\r", "\r\n", "#", " ", "x", "r", "b", "f", "rb"]
    + ["(", ")", "[", "]", "{", "}", ":", "aishell:base", "\\\n", "''", '""', "\t"]
)
SOURCES = st.lists(PIECES, max_size=40).map("".join)


def _matches(it) -> list:
    return [(m.span(), m.groups()) for m in it]


@settings(max_examples=3000, deadline=None)
@given(SOURCES, st.integers(0, 8), st.integers(0, 8))
def test_the_scans_give_finditers_matches(text, a, b):
    end = max(len(text) - b, 0)
    for scanner, pattern in ((PY_TOKENS, _PY_TOKENS), (_BRACKETS, _BRACKET_SCAN)):
        assert _matches(scanner.finditer(text)) == _matches(pattern.finditer(text)), text
        assert _matches(scanner.finditer(text, a, end)) == _matches(pattern.finditer(text, a, end)), (text, a, end)


def test_the_red_teams_shapes_stay_linear():
    """At 100 KB each: the old scans took 20 s and more (growing with the square of the size),
    these a few hundredths of a second: a limit far above that, far below the old."""
    n = 100_000
    shapes = [
        "x = 1  # a:b\n'''\n" + "\\'''\n" * (n // 5),
        'IMAGE = "aishell:base"\nx = \'' + "\\'" * (n // 2) + "\n",
        'IMAGE = "aishell:base"\nx = ' + "(" * 301 + "\n'''\n" + "\\'''\n" * (n // 5),
        "\"a\" '''" + " \"a\" '''" * (n // 8),  # (a literal that would join an unclosed one)
        "'" + "\\'\n'" * (n // 4),  # (one-line literals that never close, line after line)
    ]
    for text in shapes:
        for scanner in (PY_TOKENS, _BRACKETS):
            t = time.process_time()
            for _ in scanner.finditer(text):
                pass
            assert time.process_time() - t < 2, (scanner, text[:40])


def test_migrate_of_such_a_file_is_fast(tmp_path):
    from tests.conftest import run_bounded

    f = tmp_path / "app.py"
    f.write_text("x = 1  # a:b\n'''\n" + "\\'''\n" * 40_000)
    t = time.monotonic()
    r = run_bounded("migrate", f)
    assert r.returncode in (0, 2) and "Traceback" not in r.stderr, r.stderr
    assert time.monotonic() - t < 20  # (200 KB: the old scan took minutes)


# The patterns as they were (greedy and lazy bodies, which backtrack): the possessive ones read
# every source the same.
_OLD_BODY = (
    r"'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
    r'|"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
    r"|'(?!'')[^'\\\r\n]*(?:\\(?:\r\n|.)[^'\\\r\n]*)*'"
    r'|"(?!"")[^"\\\r\n]*(?:\\(?:\r\n|.)[^"\\\r\n]*)*"'
)
_OLD_STR = r"[rRbBuUfF]{0,2}(?:" + _OLD_BODY + ")"
_OLD_SEP = r"(?:[ \t\f\r\n]|\\(?:\r\n|\r|\n)|#[^\r\n]*(?![^\r\n]))"
_OLD_TOKENS = re.compile(r"#[^\r\n]*|" + _OLD_STR + "(?P<more>(?:" + _OLD_SEP + "*" + _OLD_STR + ")+)?", re.S)
_OLD_BRACKETS = re.compile(
    r"#[^\r\n]*"
    r"|[A-Za-z]{0,3}(?:'{3}(?:\\.|[^\\])*?'{3}"
    r'|"{3}(?:\\.|[^\\])*?"{3}'
    r"|'(?:\\.|[^'\\\r\n])*'"
    r'|"(?:\\.|[^"\\\r\n])*")'
    r"|([(\[{])|[)\]}]",
    re.S,
)


@settings(max_examples=3000, deadline=None)
@given(SOURCES)
def test_the_possessive_patterns_read_as_the_old_ones(text):
    assert _matches(_PY_TOKENS.finditer(text)) == _matches(_OLD_TOKENS.finditer(text)), text
    assert _matches(_BRACKET_SCAN.finditer(text)) == _matches(_OLD_BRACKETS.finditer(text)), text


def test_an_unclosed_literal_takes_no_memory_growing_with_it():
    """A 2 MB literal that never closes, tried once: the old bodies' backtracking stack took
    237 MB (each scan tries it once, QuoteScanner)."""
    import tracemalloc

    text = "x = 1\n'''\n" + "\\'''\n" * 400_000
    tracemalloc.start()
    try:
        assert _PY_TOKENS.match(text, 6) is None
        assert _BRACKET_SCAN.match(text, 6).end() == 8  # (the empty literal its first two quotes make)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, peak


def test_many_fields_of_a_large_text_are_scanned_each_on_their_own():
    """python_mention_starts scans each f-string's replacement field as Python of its own, a
    slice of the whole text: the scan's first look (is there a quote at all?) was over the whole
    text, once per field (10 MB of f-string joins: 61 s, from 2 s)."""
    from aishell.images import python_mention_starts

    text = "".join(f'A_{i} = f"aishell:" "base"\nB_{i} = f"{{x}}" "aishell:base"\n' for i in range(80_000))
    t = time.process_time()
    found = python_mention_starts(text)
    assert time.process_time() - t < 4, len(text)  # (linear: about 0.4 s; the whole text per field: 9 s)
    assert len(found) == 160_000
