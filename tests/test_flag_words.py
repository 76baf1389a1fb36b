"""Builder flags read as BuildKit reads their words (issue 18: parser fidelity).

BuildKit's extractBuilderFlags unquotes each flag word before it splits the name from the value:
`--"from"=x` is a `--from`, `--from=aishell\\:base` and `--from=aish"ell:ba"se` name
`aishell:base`. The model's flags carry that reading (`Flag.name`, `Flag.unquoted`; the
differential fuzz in tests/test_fuzz.py holds both to BuildKit's parser), and AIS001 reads the
image a `COPY --from=` or a mount's `from=` names from it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from aishell.migration import fix_text
from aishell.model import parse

OPTS = Options(use_config=False)


@st.composite
def spelled(draw, word: str) -> str:
    """``word`` as a flag word may spell it: pieces in single or double quotes, characters behind
    a backslash, or as they are; at least one quote or escape."""
    out, i = [], 0
    while i < len(word):
        j = draw(st.integers(i + 1, len(word)))
        piece = word[i:j]
        kind = draw(st.sampled_from(["plain", "single", "double", "escaped"]))
        if kind == "single":
            out.append(f"'{piece}'")
        elif kind == "double":
            out.append(f'"{piece}"')
        elif kind == "escaped":
            out.append("".join("\\" + c for c in piece))
        else:
            out.append(piece)
        i = j
    text = "".join(out)
    return text if text != word else "\\" + word


@settings(max_examples=200, deadline=None, database=None)
@given(spelled("from"), spelled("aishell:base"), st.sampled_from(["COPY", "ONBUILD COPY"]))
def test_copy_from_spelled_with_quotes_and_escapes(name, image, keyword):
    text = f"FROM aishell:foundation AS b\n{keyword} --{name}={image} /a /b\n"
    ins = parse(text).instructions[1]
    flag = (ins.sub or ins).flag("from")
    assert flag is not None and flag.unquoted == "aishell:base", (ins.flags, text)
    found = [f for f in lint_text(text, "Dockerfile", OPTS).findings if f.code == "AIS001"]
    assert len(found) == 1 and found[0].line == 2, (text, found)
    assert found[0].severity == ("warning" if keyword.startswith("ONBUILD") else "error")
    fixed = parse(fix_text(text, "Dockerfile", OPTS).text).instructions[1]
    assert (fixed.sub or fixed).flag("from").unquoted == "aishell:foundation", fixed.logical


@settings(max_examples=100, deadline=None, database=None)
@given(spelled("mount"), spelled("type=bind,from=aishell:base,target=/x"))
def test_a_mount_from_spelled_with_quotes_and_escapes(name, value):
    text = f"FROM aishell:foundation\nRUN --{name}={value} true\n"
    ins = parse(text).instructions[1]
    assert ins.flag("mount") is not None and ins.flag("mount").unquoted == "type=bind,from=aishell:base,target=/x"
    found = [f for f in lint_text(text, "Dockerfile", OPTS).findings if f.code == "AIS001"]
    assert len(found) == 1 and found[0].line == 2, (text, found)


def test_add_takes_no_from_as_buildkit_says():
    """`ADD --from=` is an unknown flag to BuildKit (Engine 28.5: "unknown flag: --from")."""
    import pytest

    from aishell.model import DockerfileSyntaxError

    with pytest.raises(DockerfileSyntaxError, match="unknown flag: --from"):
        parse("FROM aishell:foundation AS b\nADD --from=b /a /b\n")


def test_a_name_that_is_no_image_stays_quiet():
    for text in ("COPY --from='aishell:foundation' /a /b", 'COPY --"from"=b /a /b', "RUN --mount=id=aishell\\:base x"):
        # (In a later stage: stage b copying from b is a cycle BuildKit refuses, aishell.stage_graph.)
        found = lint_text(
            f"FROM aishell:foundation AS b\nFROM aishell:foundation\n{text}\n", "Dockerfile", OPTS
        ).findings
        assert [f for f in found if f.code == "AIS001"] == [], text


# -- a `$` in a `--from` or a mount's `from=` --------------------------------------------------
# No builder expands one: BuildKit refuses `COPY --from=$B` ("variable expansion is not supported
# for --from") and `RUN --mount=…,from=$B` ("'from' doesn't support variable expansion"), and
# anything else holding a `$` (`b$`) as no stage or image; the classic builder reads `${B}` as an
# image name (checked on Engine 28.5 and 20.10). The model refuses the file where BuildKit does,
# whatever the word's quotes and escapes (it reads the word unquoted, as BuildKit does), and
# leaves an ONBUILD's alone (read only in a build FROM this image) and every other field.

DOLLAR_VALUES = ["$B", "${B}", "${B:-b}", "${B-aishell:base}", "$$", "$1", "b$", "a$b", "${B}-slim", "x/$B:1"]


@st.composite
def from_flags(draw) -> tuple[str, bool]:
    """(an instruction, whether its flag's value holds a `$` BuildKit sees)."""
    value = draw(st.sampled_from(DOLLAR_VALUES + ["b", "aishell:foundation"]))
    written = draw(st.one_of(st.just(value), spelled(value)))
    form = draw(st.sampled_from(["copy", "mount"]))
    if form == "copy":
        key = draw(st.sampled_from(["from", '"from"', "fr\\om"]))
        ins = f"COPY --chown=1 --{key}={written} /a /b"
    else:
        key = draw(st.sampled_from(["from", "FROM", "'from'"]))
        fields = ["type=bind", f"{key}={written}", "target=/m", "source=$S"]
        order = draw(st.permutations(fields))
        ins = f"RUN --mount={','.join(order)} ls"
    return ins, "$" in value


@settings(max_examples=400, deadline=None)
@given(from_flags(), st.booleans())
def test_a_dollar_in_a_from_is_refused_where_buildkit_refuses_it(flag, onbuild):
    from aishell.model import DockerfileSyntaxError

    ins, dollar = flag
    text = f"FROM debian AS b\nFROM debian\n{'ONBUILD ' if onbuild else ''}{ins}\n"
    try:
        parse(text)
    except DockerfileSyntaxError as e:
        assert dollar and not onbuild, (text, e)
        assert e.line == 3
        assert "variable expansion" in e.message or "invalid reference format" in e.message, e.message
    else:
        assert not dollar or onbuild, text
