"""The Dockerfile model: line structure, spans, directives, heredocs, variables."""

import pytest

from aishell.model import DockerfileSyntaxError, expand, parse


def kw(df):
    return [(i.keyword, i.start_line, i.end_line) for i in df.instructions]


def test_spans_are_exact_and_lossless():
    text = '\ufeff# syntax=docker/dockerfile:1\r\nFROM a AS b\r\n\r\nRUN x \\\r\n  # note\r\n\r\n  && y\r\nCMD ["z"]'
    df = parse(text)
    pieces, pos = [], 0
    for ins in df.instructions:
        pieces.append(text[pos : ins.start])
        pieces.append(text[ins.start : ins.end])
        pos = ins.end
    pieces.append(text[pos:])
    assert "".join(pieces) == text
    assert text[df.instructions[1].start : df.instructions[1].end] == "RUN x \\\r\n  # note\r\n\r\n  && y"
    assert kw(df) == [("FROM", 2, 2), ("RUN", 4, 7), ("CMD", 8, 8)]


def test_bom_is_not_part_of_the_keyword():
    df = parse("\ufeffFROM a\n")
    assert df.instructions[0].keyword == "FROM"
    assert df.position(df.instructions[0].start) == (1, 1)


@pytest.mark.parametrize(
    "head",
    ["# escape=`\n# syntax=x\n# check=skip=all\n", "# check=skip=all\n# escape=`\n", "# syntax=x\n#escape = ` \n"],
)
def test_directives_in_any_order(head):
    df = parse(head + "FROM a\nRUN a `\n  b\n")
    assert df.escape == "`"
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN"]
    assert df.instructions[1].args == "a   b"


def test_directive_after_a_blank_line_or_instruction_is_a_comment():
    assert parse("\n# escape=`\nFROM a\n").escape == "\\"
    assert parse("FROM a\n# escape=`\n").escape == "\\"


def test_bad_directives_are_rejected():
    with pytest.raises(DockerfileSyntaxError, match="only one escape"):
        parse("# escape=`\n# escape=\\\nFROM a\n")
    with pytest.raises(DockerfileSyntaxError, match="invalid escape"):
        parse("# escape=x\nFROM a\n")


def test_heredocs():
    df = parse("FROM a\nRUN <<-A cat && cat <<'B'\n\ta1\n\tA\nb1\nB\nCOPY <<EOT /p\r\nhi\r\nEOT\r\n")
    run, copy = df.instructions[1], df.instructions[2]
    assert [(h.name, h.content, h.chomp, h.expand) for h in run.heredocs] == [
        ("A", "\ta1\n", True, True),
        ("B", "b1\n", False, False),
    ]
    assert (run.start_line, run.end_line) == (2, 6)
    assert copy.heredocs[0].content == "hi\r\n"
    assert (copy.start_line, copy.end_line) == (7, 9)


def test_heredoc_markers_that_are_not_heredocs():
    df = parse('FROM a\nRUN echo \'<<EOF\'\nRUN echo "a<<EOF"\nRUN ["cat", "<<EOF"]\nCMD <<EOF\n')
    assert all(not i.heredocs for i in df.instructions)
    assert len(df.instructions) == 5


def test_unterminated_heredoc_and_empty_file():
    with pytest.raises(DockerfileSyntaxError, match="unterminated heredoc"):
        parse("FROM a\nRUN <<EOF\nx\n")
    with pytest.raises(DockerfileSyntaxError, match="no instructions"):
        parse("# only a comment\n\n")


def test_env_and_label_errors_match_buildkit():
    with pytest.raises(DockerfileSyntaxError, match="two arguments"):
        parse("FROM a\nENV A\n")
    with pytest.raises(DockerfileSyntaxError, match="can't find ="):
        parse("FROM a\nLABEL a=1 b\n")


def test_from_is_split():
    df = parse("ARG V=1\nfrom --platform=$P img:${V} as Build\nFROM --platform=linux/arm64 other\nFROM build\n")
    s0, s1, s2 = df.stages
    assert (s0.image.text, s0.name, s0.platform) == ("img:${V}", "build", "$P")
    assert (s1.image.text, s1.platform) == ("other", "linux/arm64")
    assert df.expand_global(s0.image.text) == "img:1"
    assert s2.base_stage(df) is s0
    assert [a.keyword for a in df.global_args] == ["ARG"]


@pytest.mark.parametrize(
    "text,env,out",
    [
        ("$A", {"A": "1"}, "1"),
        ("${A}x", {"A": "1"}, "1x"),
        ("${A:-d}", {}, "d"),
        ("${A:-d}", {"A": ""}, "d"),
        ("${A-d}", {"A": ""}, ""),
        ("${A:+alt}", {"A": "1"}, "alt"),
        ("${A:+alt}", {}, ""),
        ("${A:-${B:-x}}", {}, "x"),
        ("img:$T-slim", {"T": "3"}, "img:3-slim"),
    ],
)
def test_expand(text, env, out):
    assert expand(text, env) == out


def test_words_and_flags_keep_source_spans():
    text = "FROM a\nCOPY --from=build --chmod=755 \\\n  src/ /app/\n"
    df = parse(text)
    copy = df.instructions[1]
    assert [f.name for f in copy.flags] == ["from", "chmod"]
    f = copy.flag("from")
    assert text[f.value_start : f.end] == "build"
    assert [text[w.start : w.end] for w in copy.words()] == ["src/", "/app/"]
    assert df.uses_buildkit_syntax == ["line 2: COPY --chmod"]


def test_suppression_comment_is_attached():
    df = parse("FROM a\n# aishell: ignore=AIS002 checked in CI\nRUN claude\n\n# other\n\nRUN x\n")
    assert df.instructions[1].comment_before.startswith("# aishell: ignore=AIS002")
    assert df.instructions[2].comment_before is None


def test_key_values_are_unquoted():
    from aishell.model import key_values

    df = parse("FROM a\nENV A=1 B=\"two words\" C='x y' D=a\\ b\nLABEL k=v\n")
    assert key_values(df.instructions[1]) == [("A", "1"), ("B", "two words"), ("C", "x y"), ("D", "a b")]
    assert key_values(df.instructions[2]) == [("k", "v")]


# -- regression tests from hostile inputs (issue 11), kept with the module they test --------------


# -- the model -----------------------------------------------------------------------------------


def test_an_escaped_escape_at_the_end_of_a_line_is_no_continuation():
    dockerfile = pytest.importorskip("dockerfile")
    from aishell.model import parse

    for text in (
        "FROM x\nENV C trailing\\\\backslash\\\\\nRUN echo hi\n",
        "FROM x\nENV C a\\\\\\\nRUN echo hi\n",
        "FROM x\nENV C a\\\nRUN echo hi\n",
    ):
        want = [(c.cmd.upper(), c.start_line, c.end_line) for c in dockerfile.parse_string(text)]
        assert [(i.keyword, i.start_line, i.end_line) for i in parse(text).instructions] == want
