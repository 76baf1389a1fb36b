"""A harness name spelled with bash's quoting, `$'…'` (ANSI-C escapes) or `$"…"`, is found, as a
warning (issue 18: recall of AIS002, and an error only where the build surely fails).

bash reads `$'\\x63laude'` as `claude`; dash (Debian's /bin/sh, which runs a RUN) reads it as `$`
and a quoted string, the command `$\\x63laude` (not found: the build fails, but no harness ran).
So the oracles are the two shells: generated spellings (pieces plain, '…', "…", `$'…'` with the
characters as they are, hex, octal or \\u escapes, `$"…"`), each printed by bash and by dash. A
spelling bash reads as a harness is reported at the word; an error only where dash reads it as
the harness too; a spelling bash reads as another name is no finding.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text

BASH, DASH = shutil.which("bash"), shutil.which("dash")
pytestmark = pytest.mark.skipif(not (BASH and DASH), reason="needs bash and dash")

NAMES = ["claude", "codex", "gemini", "opencode"]


def _piece(text: str, form: str) -> str:
    if form == "plain":
        return text
    if form == "single":
        return f"'{text}'"
    if form == "double":
        return f'"{text}"'
    if form == "locale":
        return f'$"{text}"'
    if form == "ansi":
        return f"$'{text}'"
    if form == "hex":
        return "$'" + "".join(f"\\x{ord(c):02x}" for c in text) + "'"
    if form == "octal":
        return "$'" + "".join(f"\\{ord(c):03o}" for c in text) + "'"
    return "$'" + "".join(f"\\u{ord(c):04x}" for c in text) + "'"  # "unicode"


FORMS = ["plain", "single", "double", "locale", "ansi", "hex", "octal", "unicode"]


@st.composite
def spelled(draw):
    name = draw(st.sampled_from(NAMES))
    if draw(st.integers(0, 4)) == 0:
        name = name[:-1] + chr(ord(name[-1]) + 1)  # another name (`claudf`): no finding
    cuts = sorted(draw(st.sets(st.integers(1, len(name) - 1), max_size=2)))
    pieces = [name[a:b] for a, b in zip([0, *cuts], [*cuts, len(name)])]
    return "".join(_piece(p, draw(st.sampled_from(FORMS))) for p in pieces)


def _read(shell: str, words: list[str]) -> list[str]:
    script = "\n".join(f"printf '%s\\n' {w}" for w in words)
    out = subprocess.run([shell, "-c", script], capture_output=True, text=True, timeout=20).stdout
    return out.split("\n")[: len(words)]


@settings(max_examples=60, deadline=None)
@given(st.lists(spelled(), min_size=5, max_size=5), st.sampled_from(["RUN {} --version\n", "RUN sudo {} -v\n"]))
def test_a_name_in_bash_quoting_is_found_and_an_error_only_where_dash_agrees(words, form):
    by_bash, by_dash = _read(BASH, words), _read(DASH, words)
    for word, bash_word, dash_word in zip(words, by_bash, by_dash):
        text = "FROM aishell:foundation\n" + form.format(word)
        findings = lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings
        if bash_word not in NAMES:
            assert findings == [], (text, bash_word, findings)
            continue
        assert [text[f.start : f.end] for f in findings] == [word], (text, findings)
        assert findings[0].severity == ("error" if dash_word == bash_word else "warning"), (text, dash_word, findings)
