"""AIS002 reads an ENV value as BuildKit gives it: quotes and escapes taken out, and the variables
earlier ENVs set expanded (red team, session 58).

The class: a harness name an ENV holds only once BuildKit has processed its word. `ENV C=claude`
then `RUN $C -v` was an error, but `ENV D=$C` (or `"$C -v"`, `${C}`) then `RUN $D -v` was no
finding, nor was `ENV D=cla"ude"` (the file's ENV texts were searched for the name before the
values were read, quotes and all). Generated: every spelling of the name, every way of naming
the variable in a second ENV, and the near misses that must stay silent (single quotes keep `$C`
as text; an ARG's value may be changed by `--build-arg`; a variable no ENV set).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text

SPELLINGS = ["{h}", '"{h}"', "'{h}'", '{a}"{b}"', "{a}'{b}'", "{a}\\\\{b}"]
REFERENCES = ["$C", "${C}", '"$C"', '"${C}"', "${C:-x}", "${C:+$C}", "${C-x}"]
HARNESSES = ["claude", "codex", "gemini", "opencode"]


def _ais002(text: str) -> list[str]:
    return [f.severity for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings if f.code == "AIS002"]


def _spelled(h: str, spelling: str) -> str:
    return spelling.format(h=h, a=h[:3], b=h[3:]).replace("\\\\", "\\")


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(HARNESSES),
    st.sampled_from(SPELLINGS),
    st.sampled_from(REFERENCES + [None]),
    st.booleans(),
)
def test_a_harness_named_by_an_env_value_is_an_error(h, spelling, reference, args_in_env):
    lines = ["FROM aishell:foundation", f"ENV C={_spelled(h, spelling)}"]
    var = "C"
    if reference is not None:
        value = reference if not args_in_env else f'"{reference.strip(chr(34))} -v"'
        lines.append(f"ENV D={value}")
        var = "D"
    lines.append(f"RUN ${var}" + ("" if reference is not None and args_in_env else " -v"))
    assert _ais002("\n".join(lines) + "\n") == ["error"], lines


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(HARNESSES), st.sampled_from(["'$C'", "'${C}'", "\\$C", "$E", "${E}"]))
def test_a_value_that_is_not_the_name_is_no_error(h, reference):
    text = f"FROM aishell:foundation\nENV C={h}\nENV D={reference}\nRUN $D -v\n"
    assert "error" not in _ais002(text), text


def test_an_args_value_is_not_sure():
    # (A `--build-arg C=…` changes what the ENV gets: never an error.)
    assert "error" not in _ais002("FROM aishell:foundation\nARG C=claude\nENV D=$C\nRUN $D -v\n")


def test_a_value_reads_the_environment_before_its_env():
    # BuildKit expands every value of one ENV with the variables as they were before it
    # (`ENV abc=bye def=$abc`: def is abc's earlier value), so C set in the same ENV is not D's.
    assert "error" not in _ais002("FROM aishell:foundation\nENV C=claude D=$C\nRUN $D -v\n")
    assert "error" not in _ais002("FROM aishell:foundation\nENV C=x\nENV C=claude D=$C\nRUN $D -v\n")
    assert _ais002("FROM aishell:foundation\nENV C=claude\nENV C=x D=$C\nRUN $D -v\n") == ["error"]
