"""AIS001 on a FROM built from an expansion, judged by a POSIX shell (issue 18: an error means the
build uses the old image).

BuildKit expands `${B-w}`, `${B:-w}`, `${B+w}`, `${B:+w}`, `${B?w}` and `${B:?w}` as POSIX sh
does: with `?`, B's value, or the build fails with the message `w` when B is unset (or empty, for
`:?`): the message is never an image. The oracle is dash, over every operator x the ARG's default
(undeclared, declared empty, an image, the old image in each spelling) x the word: an error exactly
where the expansion is the old image, a finding at the word only where it is a default or an
alternative (never at a message), nothing where the expansion fails.
"""

from __future__ import annotations

import itertools
import shlex
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text

SH = shutil.which("dash") or shutil.which("sh")
pytestmark = pytest.mark.skipif(SH is None, reason="needs a POSIX shell")

LEGACY = ["aishell:base", "library/aishell:base", "docker.io/library/aishell:base"]
VALUES = [None, "", "aishell:foundation", *LEGACY]
OPS = ["-", ":-", "+", ":+", "?", ":?"]
WORDS = ["aishell:base", "library/aishell:base", "aishell:foundation", ""]
CASES = list(itertools.product(VALUES, OPS, WORDS))


def _oracle() -> list[str | None]:
    """What dash expands each case's `${B<op><word>}` to (None: the expansion fails)."""
    lines = []
    for value, op, word in CASES:
        setting = "unset B" if value is None else f"B={shlex.quote(value)}"
        lines.append(f"( {setting}; printf '%s\\n' \"${{B{op}{word}}}\" ) 2>/dev/null || echo '<failed>'")
    out = subprocess.run([SH, "-c", "\n".join(lines)], capture_output=True, text=True, timeout=30).stdout
    got = out.split("\n")[: len(CASES)]
    assert len(got) == len(CASES)
    return [None if g == "<failed>" else g for g in got]


EXPANDED = _oracle() if SH else []


@pytest.mark.parametrize("k", range(len(CASES)))
def test_a_from_expansion_is_an_error_exactly_where_the_shell_expands_it_to_the_old_image(tmp_path, k):
    value, op, word = CASES[k]
    expanded = EXPANDED[k]
    head = "" if value is None else f"ARG B={value}\n"
    text = f"{head}FROM ${{B{op}{word}}}\nRUN true\n"
    findings = lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS001"], use_config=False)).findings
    uses = expanded in LEGACY
    assert bool([f for f in findings if f.severity == "error"]) == uses, (text, expanded, findings)
    if "?" in op:
        # The message is no image: nothing points at it.
        at_word = [f for f in findings if f.start >= text.index("${")]
        assert at_word == [], (text, findings)
        assert [f for f in findings if f.severity == "warning"] == [], (text, findings)
    elif word in LEGACY and not uses:
        # A default or alternative the defaults do not pick: only a --build-arg picks it.
        assert [f.severity for f in findings] == ["warning"], (text, findings)


@pytest.mark.parametrize("op", ["?", ":?"])
@pytest.mark.parametrize("step", ["FROM {}"])  # (a `--from` holding a `$` is refused: tests/test_flag_words.py)
def test_a_message_is_never_an_image_anywhere(tmp_path, op, step):
    for spelling in LEGACY:
        body = step.format(f"${{B{op}{spelling}}}")
        text = body + "\n" if step.startswith("FROM") else f"FROM aishell:foundation\n{body}\n"
        findings = lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS001"], use_config=False)).findings
        assert findings == [], (text, findings)
    # An ARG default spelled so: the message too.
    text = f"ARG A=${{X{op}aishell:base}}\nFROM $A\n"
    assert lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS001"], use_config=False)).findings == []


# -- a fix at an ARG default changes no other FROM ------------------------------------------
#
# Round three (a red-team pass): the safe fix rewrites the ARG default a FROM reads, and so every
# other FROM that reads it too. `ARG B=aishell:base`, `FROM $B`, `FROM ${B}-custom` made the second
# `aishell:foundation-custom` (`aishell:base-custom` is another tag, the rule's own example of one
# that is not the old image); `FROM ${B}@sha256:…` pinned the new name to the old image's digest.
# Generated global ARG chains and FROMs that read them in every form dash expands (a `COPY --from=`
# or `--mount=…,from=` reads no ARG: no builder expands one), each fix applied alone: by dash's reading of the ARG defaults,
# every one expands to what it did, or, where it was the old image, to the new one.

ARG_VALUES = ["aishell:base", "docker.io/library/aishell:base", "debian", "aishell:foundation", "$A", "${A}"]
FROM_FORMS = [
    "$A",
    "${A}",
    "$B",
    "${B}-custom",
    "${A}-slim",
    "${A}@sha256:" + "a" * 64,
    "${A#aishell:}",
    "${A%:base}:x",
    "${A:-debian}",
    "${B:+debian}",
    "my-${B}",
    "registry.example.com/${A}",
]


def _dash_expansions(args: list[tuple[str, str | None]], froms: list[str]) -> list[str | None]:
    """What each FROM expands to under the global ARGs."""
    lines = []
    for name, value in args:
        lines.append(f"unset {name}" if value is None else f'{name}="{value}"')
    for f in froms:
        lines.append(f"( printf '%s\\n' \"{f}\" ) 2>/dev/null || echo '<failed>'")
    out = subprocess.run([SH, "-c", "\n".join(lines)], capture_output=True, text=True, timeout=30).stdout
    got = out.split("\n")[: len(froms)]
    return [None if g == "<failed>" else g for g in got]


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(["A", "B"]), st.sampled_from(ARG_VALUES + [None])), min_size=1, max_size=3),
    st.lists(st.sampled_from(FROM_FORMS), min_size=1, max_size=3),
)
@example([("A", "aishell:base"), ("B", "$A")], ["$A", "${B}-custom"])
@example([("A", "aishell:base")], ["$A", "${A}@sha256:" + "a" * 64])
def test_an_arg_default_fix_changes_no_other_from(tmp_path, args, froms):
    if args[0][1] in ("$A", "${A}"):
        args[0] = (args[0][0], "aishell:base")  # (the first ARG reads nothing before it)
    text = "".join(f"ARG {n}\n" if v is None else f"ARG {n}={v}\n" for n, v in args)
    text += "".join(f"FROM {f}\nRUN true\n" for f in froms)
    findings = lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS001"], use_config=False)).findings
    before = _dash_expansions(args, froms)
    for f in findings:
        if f.fix is None:
            continue
        fixed = text
        for e in sorted(f.fix.edits, key=lambda e: e.start, reverse=True):
            fixed = fixed[: e.start] + e.replacement + fixed[e.end :]
        head = fixed.split("FROM ", 1)[0]
        new_args = [
            (line[4:].split("=", 1)[0], line.split("=", 1)[1] if "=" in line else None)
            for line in head.splitlines()
            if line.startswith("ARG ")
        ]
        new_froms = [line[5:] for line in fixed.splitlines() if line.startswith("FROM ")]
        after = _dash_expansions(new_args, new_froms[: len(froms)])
        for b, a, src in zip(before, after, froms):
            assert a == b or (b in LEGACY and a == "aishell:foundation"), (text, fixed, src, b, a)


# The check that a fix at an ARG default changes no other FROM takes FROMs of a name alone
# (`FROM $A`) through chains of names alone without expanding them (_aliases_the_old_image):
# over generated global ARGs (names defined once, twice or bare, in any order, as aliases,
# quoted, with operators) and FROMs, AIS001's findings and fixes are the same with the shortcut
# as without it.
_ALIAS_VALUES = ["aishell:base", '"aishell:base"', "docker.io/library/aishell:base", "debian", "$A", "${B}", "$C"]
_ALIAS_VALUES += ["${A:-aishell:base}", "${A}-x", "$B", "${B}-x", None]


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(_ALIAS_VALUES)), min_size=1, max_size=5),
    st.lists(st.sampled_from(["$A", "${B}", "$C", "${A}-x", "$D", "${B:-debian}"]), min_size=1, max_size=3),
)
@example([("A", "aishell:base"), ("B", "$A"), ("B", "${A}-x")], ["$A", "${B}"])  # B's last default counts
@example([("C", "aishell:base"), ("A", "$B"), ("B", "$A")], ["$C", "$A"])  # names that read each other
@example([("C", "aishell:base"), ("B", "$C"), ("A", "${B}")], ["$A", "${A}-x"])
def test_the_alias_shortcut_changes_no_finding_or_fix(args, froms):
    import aishell.lint_rules.ais001_legacy_base_image as rule
    from aishell.model import parse
    from aishell.rule import RuleContext

    text = "".join(f"ARG {n}\n" if v is None else f"ARG {n}={v}\n" for n, v in args)
    text += "".join(f"FROM {f}\nRUN true\n" for f in froms)

    def findings(shortcut: bool):
        rule._ALIAS_SHORTCUT = shortcut
        try:
            return [
                (v.start, v.end, v.severity, v.fix) for v in rule.check(RuleContext(parse(text), "Dockerfile", None))
            ]
        finally:
            rule._ALIAS_SHORTCUT = True

    assert findings(True) == findings(False), text
