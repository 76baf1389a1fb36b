"""AIS001 works out current BuildKit's pattern expansions in a FROM (red team, session 58).

The class: `ARG BASE=aishell:base-slim` then `FROM ${BASE%-slim}` (or `${B#x}`, `${B/foundation/base}`
with `ARG B=aishell:foundation`) uses the old image with BuildKit, which reads `${a#p}`, `${a%p}`
and `${a/p/r}` (model.md), but aishell's expansion leaves those as written and AIS001 said nothing.
They are worked out as bash works them out (bash is the oracle here: generated values, patterns
with `*`, `?` and escapes, every operator), and a FROM that gives the old image so is a warning
(older builders refuse the file: the build is not surely one that uses it).
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from aishell.lint_rules.ais001_legacy_base_image import _Unknown, pattern_expansion

OPS = ["#", "##", "%", "%%", "/", "//"]

values = st.text(alphabet="ab:/.-*?", max_size=8)
patterns = st.lists(st.sampled_from(["a", "b", ":", "*", "?", "\\*", "\\a", "-", "."]), max_size=4).map("".join)
replacements = st.text(alphabet="ab:", max_size=3)


def _bash(value: str, op: str, rest: str) -> str:
    script = "set -f; IFS=; v=$V; printf '%s' ${v" + op + rest + "}"
    return subprocess.run(
        ["bash", "-c", script], env={**os.environ, "V": value}, capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
@settings(max_examples=400, deadline=None)
@given(values, st.sampled_from(OPS), patterns, replacements)
def test_pattern_expansions_are_bashs(value, op, pattern, replacement):
    rest = pattern + "/" + replacement if op[0] == "/" else pattern
    if op[0] == "/" and pattern.startswith("*") and pattern.endswith("\\*"):
        # bash's own shortcut: a `/` pattern that starts with `*` and ends with one is matched
        # against the whole value, the escaped `*` taken for the wildcard (`*:` with `*\*` gives
        # `*:`, with `*[*]` `:`). BuildKit's lexer makes a regexp of the pattern: `:`, as here.
        return
    try:
        ours = pattern_expansion(value, op, rest)
    except _Unknown:
        return
    assert ours == _bash(value, op, rest), (value, op, rest)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(
        [
            ("aishell:base-slim", "%", "-slim"),
            ("aishell:base-slim", "%%", "-*"),
            ("xaishell:base", "#", "x"),
            ("my/aishell:base", "##", "*/"),
            ("aishell:foundation", "/", "foundation/base"),
            ("aishell:foundation", "//", "foundation/base"),
            ("aishell:foundation", "%", "foundation"),
        ]
    ),
    st.sampled_from(["", "base"]),
)
def test_a_from_that_gives_the_old_image_through_a_pattern_is_a_warning(case, tail):
    value, op, rest = case
    if op == "%" and rest == "foundation":
        tail = "base"  # (`${B%foundation}base`)
    elif tail:
        return
    text = f"ARG B={value}\nFROM ${{B{op}{rest}}}{tail}\nRUN true\n"
    found = [f for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings if f.code == "AIS001"]
    assert [(f.severity, f.line) for f in found] == [("warning", 2)], text


@pytest.mark.parametrize(
    "text",
    [
        "ARG B=aishell:foundation\nFROM ${B%x}\n",  # (gives the new image)
        "ARG B=aishell:foundation\nFROM ${B//o/0}\n",
        "ARG B=aishell:base\nFROM ${B%base}foundation\n",
        "ARG B=aishell:foundation\nFROM ${B%[a-z]*}\n",  # (a bracket class: not worked out)
    ],
)
def test_a_pattern_that_does_not_give_the_old_image_is_no_finding(text):
    assert not [f for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings if f.code == "AIS001"]
