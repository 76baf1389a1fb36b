"""Property-based fuzzing of the Dockerfile model, the rules and the fixer (issue 11).

Dockerfiles are built from a grammar of instructions, flags, continuations (with
comments and blank lines inside), heredocs, escapes and shell constructs, with
harness commands and installs mixed in. For every generated file:

- no exception: a file is either rejected with DockerfileSyntaxError/InputError,
  or parsed, linted with every rule and fixed with every fix;
- lossless: every character of every instruction's joined line maps back to the
  same character of the source, and instructions never overlap;
- fixes are idempotent: fixing the fixed text changes nothing;
- where BuildKit's parser (the `dockerfile` package) accepts the file, the model
  agrees with it on keywords, lines and heredocs.

The budget is fixed (AISHELL_FUZZ_EXAMPLES, default 1000) and the seed is printed
in pytest's header (AISHELL_FUZZ_SEED replays a run).
"""

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from aishell.errors import InputError
from aishell.lint import Options, lint_text
from aishell.migration import fix_text
from aishell.model import DockerfileSyntaxError, parse
from tests.conftest import FUZZ_EXAMPLES, FUZZ_SEED

dockerfile = pytest.importorskip("dockerfile")
from tests.test_model_reference import _compare  # noqa: E402  (needs the reference parser)

WORDS = ["a", "b1", "x-y", "/tmp/f", "'q w'", '"d q"', "$HOME", "${V:-d}", "\\$", "a\\ b", "--flag", "-gf"]
HARNESS = ["claude --version", "codex", "npx -y @openai/codex", "gemini -p hi", "opencode run",
           "npm i -g @anthropic-ai/claude-code", "npm --prefix /o install -g opencode-ai",
           "curl -fsSL https://claude.ai/install.sh | bash", "pnpm dlx @google/gemini-cli"]  # fmt: skip
SIMPLE = ["echo hi", "apt-get update", "pip install -r requirements.txt", "npm ci", "make", "true", "cd /app",
          "sed -i 's/\\[a\\]/b/' f", "printf '%s\\n' x"]  # fmt: skip

word = st.sampled_from(WORDS)
simple = st.one_of(st.sampled_from(SIMPLE), st.sampled_from(HARNESS),
                   st.lists(word, min_size=1, max_size=4).map(" ".join))  # fmt: skip


def _compound(inner):
    return st.one_of(
        st.tuples(inner, st.sampled_from([" && ", " || ", "; ", " | ", " & "]), inner).map("".join),
        inner.map(lambda s: f"$({s})"),
        inner.map(lambda s: f"echo `{s}`"),
        inner.map(lambda s: f"( {s} )"),
        inner.map(lambda s: f"{{ {s}; }}"),
        inner.map(lambda s: "sh -c '" + s.replace("'", "") + "'"),
        inner.map(lambda s: 'bash -c "' + s.replace('"', "").replace("$", "\\$") + '"'),
        inner.map(lambda s: f"if {s}; then true; fi"),
        inner.map(lambda s: f"sudo -u node {s}"),
        inner.map(lambda s: f"gosu node {s}"),
    )


shell = st.recursive(simple, _compound, max_leaves=6)


@st.composite
def continued(draw, text: str) -> str:
    """The text broken across lines with continuations, comments and blank lines between."""
    words = text.split(" ")
    out = [words[0]]
    for w in words[1:]:
        if draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from([" \\\n", " \\\n# c\n", " \\\n\n", "\\\n  "])) + w)
        else:
            out.append(" " + w)
    return "".join(out)


@st.composite
def run_instruction(draw) -> str:
    kind = draw(st.integers(0, 5))
    if kind == 0:
        body = "\n".join(draw(st.lists(shell, min_size=1, max_size=4)))
        runner = draw(st.sampled_from(["", "bash -e ", "sh -s ", "python3 ", "cat > /f "]))
        shebang = draw(st.sampled_from(["", "#!/bin/sh\n", "#!/usr/bin/env python3\n", "#!\n"]))
        delim = draw(st.sampled_from(["EOF", "'EOF'", '"EOF"', "-EOF"]))
        name = delim.strip("'\"-")
        nested = draw(st.sampled_from(["", "cat > /x <<'SH'\nclaude --version\nSH\n"]))
        return f"RUN {runner}<<{delim}\n{shebang}{nested}{body}\n{name}\n"
    if kind == 1:
        args = draw(st.lists(st.sampled_from(["sh", "-e", "-c", "claude", "echo hi", "/bin/bash", "codex"]),
                             min_size=1, max_size=4))  # fmt: skip
        return "RUN [" + ", ".join(f'"{a}"' for a in args) + "]\n"
    flags = draw(st.sampled_from(["", "--mount=type=cache,target=/c ", "--network=none "]))
    return f"RUN {flags}" + draw(continued(draw(shell))) + "\n"


@st.composite
def instruction(draw) -> str:
    kind = draw(st.integers(0, 9))
    if kind <= 3:
        return draw(run_instruction())
    if kind == 4:
        return draw(st.sampled_from(["COPY . /app\n", "COPY --chmod=755 a b /d/\n", "ADD ./ .\n",
                                     "COPY package.json package-lock.json ./\n", "COPY --from=aishell:base /a /b\n",
                                     "COPY <<EOF /f\nclaude\nEOF\n"]))  # fmt: skip
    if kind == 5:
        return draw(st.sampled_from(["ARG GIT_SHA\n", "ARG BUILD_DATE\n", "ARG TAG=base\n", "ARG V=1\n"]))
    if kind == 6:
        return draw(st.sampled_from(["ENV A=1 B='two words'\n", "ENV C trailing\\\\\n", "ENV D=$V\n",
                                     "LABEL org.opencontainers.image.revision=$GIT_SHA\n"]))  # fmt: skip
    if kind == 7:
        return draw(st.sampled_from(["WORKDIR /app\n", "USER node\n", 'CMD ["claude"]\n', "ONBUILD RUN claude\n"]))
    if kind == 8:
        return draw(st.sampled_from(["# a comment\n", "\n", "# aishell: ignore=AIS002, AIS003 ok\n"]))
    return draw(st.sampled_from(["FROM aishell:base AS b\n", "FROM b\n", "FROM aishell:${TAG}\n", "FROM node:24\n"]))


@st.composite
def dockerfiles(draw) -> str:
    head = draw(st.sampled_from(["", "# syntax=docker/dockerfile:1\n", "# escape=\\\n", "\ufeff"]))
    first = draw(st.sampled_from(["FROM aishell:base\n", "FROM aishell:foundation\n", "ARG BASE=aishell:base\nFROM ${BASE}\n"]))
    body = "".join(draw(st.lists(instruction(), max_size=10)))
    text = head + first + body
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = text.rstrip("\n")
    return text


def _lossless(text: str) -> None:
    df = parse(text)
    prev_end = 0
    for ins in df.instructions:
        assert prev_end <= ins.start <= ins.end <= len(text)
        prev_end = ins.end
        for k, ch in enumerate(ins.logical):
            assert text[ins.offsets[k]] == ch


@pytest.mark.parametrize("run_seed", [FUZZ_SEED], ids=lambda s: f"seed={s}")
def test_fuzz_model_rules_and_fixes(tmp_path_factory, run_seed):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / ".git").mkdir()
    (folder / "requirements.txt").write_text("")
    path = str(folder / "Dockerfile")

    @seed(run_seed)
    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
    @given(dockerfiles())
    def check(text):
        try:
            _compare(text)  # agreement with BuildKit's parser (or both reject)
            parse(text)
        except DockerfileSyntaxError:
            return
        _lossless(text)
        try:
            lint_text(text, path, Options(use_config=False))
            fixed = fix_text(text, path, Options(use_config=False), unsafe=True)
        except InputError as e:
            assert "nothing was written" in str(e), e  # a refused fix, never a crash
            return
        _lossless(fixed.text)
        again = fix_text(fixed.text, path, Options(use_config=False), unsafe=True)
        assert again.text == fixed.text, "fixes are not idempotent"

    check()
