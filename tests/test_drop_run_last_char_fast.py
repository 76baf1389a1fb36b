"""_edits.drop_run_after's LAST_CHAR (issue 18, r114): continued_to_end is asked only of an
instruction whose last character is the escape character or a blank; the removal must be the same
with the switch on and off for every instruction of generated Dockerfiles: lines continued to the
end of the file (with blanks after the escape, comment and blank lines after it, no final
newline), an escaped escape (`\\\\`, not a continuation), the backtick escape of `# escape=`\\``,
instructions ending in a blank, heredocs, ONBUILD, CRLF line endings.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.lint_rules import _edits
from aishell.model import DockerfileSyntaxError, parse
from tests.runs import switched

LINES = [
    "RUN npm i -g @openai/codex",
    "RUN echo a \\\\",
    "RUN echo a\\",
    "RUN echo a `",
    "RUN echo a ``",
    "RUN echo a \\\n  b",
    "RUN echo a `\n  b",
    "RUN echo a ",
    "RUN echo a\t",
    "RUN echo a \\ ",
    "ONBUILD RUN true \\",
    "ONBUILD RUN npm i -g @openai/codex ",
    "RUN <<EOF\necho \\\nEOF",
    "COPY . .",
    "# a comment",
    "",
    "ENV X=1 \\",
]
HEADS = ["FROM aishell:foundation", "# escape=`\nFROM aishell:foundation", "FROM node AS a"]
ENDS = ["\n", "", "\n# trailing\n", " \\\n", " \\\n# comment\n", "\\", "`", "\\\n\n", " \\ \n"]


@st.composite
def dockerfiles(draw):
    lines = [draw(st.sampled_from(HEADS))]
    lines += draw(st.lists(st.sampled_from(LINES), min_size=1, max_size=6))
    text = "\n".join(lines) + draw(st.sampled_from(ENDS))
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


def _drops(text: str, on: bool):
    try:
        df = parse(text, "Dockerfile")
    except DockerfileSyntaxError:
        return None
    with switched([(_edits, "LAST_CHAR")], on):
        pairs = zip([None, *df.instructions], df.instructions)
        return [_edits.drop_run_after(df, ins, before) for before, ins in pairs]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(dockerfiles())
def test_drop_run_after_same(text):
    assert _drops(text, True) == _drops(text, False), text


def test_continued_last_lines():
    for head in HEADS:
        for end in ENDS:
            for line in LINES:
                text = f"{head}\nRUN true\n{line}{end}"
                assert _drops(text, True) == _drops(text, False), text
