"""AIS003's DROP_RUN (issue 18: `RUN npm install -g @anthropic-ai/claude-code@1.0.N`, 190,000 RUNs
at 10 MB, each fix looked up in the index of the instructions): the fix that removes a RUN's only
item is made with the instruction before it at hand (_edits.drop_run_after), not by drop_command.

- the findings (messages, spans, fixes) are the same with the switch on and off over generated
  Dockerfiles: installs alone in their RUN (the class taken) on a line, continued, nested in a
  subshell or group, in exec form, as ONBUILD RUNs, with comment lines (a suppression among them),
  blank lines and directives above, the last line continued to the end of the file or without a
  final newline; and near misses it must refuse: installs among other items (`&&`, `;`, a pipe),
  heredocs, installs of other packages too (a word's fix, not the RUN's).
- the class is taken: drop_command is not called for the benchmark's `harness_installs` and
  `onbuild_installs` forms.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.lint_rules import ais003_harness_installed_in_extension as ais003
from aishell.model import DockerfileSyntaxError, parse
from aishell.rule import RuleContext
from tests.runs import switched

INSTALLS = [
    "npm install -g @anthropic-ai/claude-code@1.0.{i}",
    "npm i -g @openai/codex",
    "pnpm add -g @google/gemini-cli",
    "yarn global add opencode-ai",
    "npm install -g @anthropic-ai/claude-code typescript",
    "sudo npm i -g @openai/codex",
    "curl -fsSL https://claude.ai/install.sh | bash",
    "brew install gemini-cli",
    "npm i -g $PKG",
    "npm install -g typescript",
]
SHAPES = [
    "RUN {c}",
    "RUN {c}",
    "ONBUILD RUN {c}",
    "RUN {c} && echo done",
    "RUN echo a; {c}",
    "RUN ({c})",
    "RUN {{ {c}; }}",
    "RUN \\\n  {c}",
    "RUN {c} \\\n  && true",
    "RUN <<EOF\n{c}\nEOF",
    "RUN {c} | cat",
    'RUN ["npm", "i", "-g", "@openai/codex"]',
    "RUN --mount=type=cache,target=/root/.npm {c}",
]
ABOVE = ["", "# a comment\n", "# aishell: ignore=AIS002\n", "\n", "# one\n# two\n", "  # indented\n"]
OTHERS = ["WORKDIR /app", "ENV X=1", "COPY . .", "ARG PKG=@openai/codex", "RUN true"]
HEADS = ["FROM aishell:foundation", "# syntax=docker/dockerfile:1\nFROM aishell:foundation", "FROM node AS a"]
ENDS = ["\n", "", "\n# trailing\n", " \\\n", " \\\n# comment\n"]


@st.composite
def dockerfiles(draw):
    lines = [draw(st.sampled_from(HEADS))]
    for i in range(draw(st.integers(1, 6))):
        if draw(st.integers(0, 3)) == 0:
            lines.append(draw(st.sampled_from(OTHERS)))
            continue
        c = draw(st.sampled_from(INSTALLS)).format(i=i)
        lines.append(draw(st.sampled_from(ABOVE)) + draw(st.sampled_from(SHAPES)).format(c=c))
    return "\n".join(lines) + draw(st.sampled_from(ENDS))


def _findings(text: str, on: bool):
    try:
        df = parse(text, "Dockerfile")
    except DockerfileSyntaxError:
        return None
    with switched([(ais003, "DROP_RUN")], on):
        return list(ais003.check(RuleContext(df, "Dockerfile")))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(dockerfiles())
def test_drop_run_same_findings(text):
    assert _findings(text, True) == _findings(text, False), text


def test_drop_run_taken(monkeypatch):
    """The benchmark's forms take the short way: no drop_command call for their fixes."""
    calls = []
    real = ais003.drop_command
    monkeypatch.setattr(ais003, "drop_command", lambda *a: calls.append(a) or real(*a))
    text = "FROM aishell:foundation\n" + "".join(
        f"RUN npm install -g @anthropic-ai/claude-code@1.0.{i}\nONBUILD RUN npm i -g @anthropic-ai/claude-code@1.0.{i}\n"
        for i in range(20)
    )
    on = _findings(text, True)
    assert len(on) == 40 and all(v.fix is not None for v in on) and not calls
    assert _findings(text, False) == on and calls
