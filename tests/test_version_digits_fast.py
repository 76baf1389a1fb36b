"""AIS002's and AIS003's memos of RUNs that differ only in the version digits of the packages
they install give what the rules give RUN by RUN (issue 18, r114).

lint_rules/_provides.py version_key keys a RUN (or `ONBUILD RUN`) by its text with the version
digits made `0` where the RUN is one line of `npm`/`pnpm`/`yarn`/`bun` installs of plain words
and every digit is in a `NAME@N.N…` word after `install`, `i`, `add` or `global add`
(VERSION_DIGITS), so that `RUN npm install -g @anthropic-ai/claude-code@1.0.7` and `…@1.0.8`
share what they provide (AIS002, and its ONBUILD triggers' effects) and their findings (AIS003,
whose fix removing the RUN is made again where each is). Each file here is RUNs of one generated
line under several version digits (of one length and of others: AIS002's memo answers for the
third of a length on, AIS003's for the second), among steps that change what the rules read
(comment lines above a RUN, which its removal takes; `ENV npm_config_global=true`; a SHELL of
its own grammar; installs and COPYs before; stages): every finding of every rule, with its fix,
must be the same with VERSION_DIGITS on and off. The pieces hold near misses the key must
refuse: digits elsewhere (`claude{d}@1`, `--jobs {d}`, `./…-1.0.{d}.tgz`, `npm run x@{d}`, an
alias `claude@npm:…@{d}`, `echo {d}`), an option before the subcommand, a partial removal whose
fix names the word with its digits (`… @openai/codex@{d} typescript`), a variable, a quote.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.errors import InputError
from aishell.lint_rules import _provides
from aishell.lint_rules import ais002_harness_at_build_time as ais002
from aishell.lint_rules import ais003_harness_installed_in_extension as ais003

from tests.runs import read_switched

# Commands with `{d}` where a digit run goes (each RUN its own), others as they are.
_INSTALLS = [
    "npm install -g @anthropic-ai/claude-code@1.0.{d}",
    "npm i -g @openai/codex@{d}",
    "npm i @anthropic-ai/claude-code@{d}.0",
    "npm i -g @openai/codex@{d} typescript",
    "npm i -g typescript@{d} @openai/codex",
    "npm i -g @openai/codex@{d} @google/gemini-cli@{d}",
    "pnpm add -g @google/gemini-cli@0.{d}",
    "yarn global add opencode-ai@{d}",
    "yarn add @openai/codex@{d}",
    "bun add -g @anthropic-ai/claude-code@{d}",
    "bun i -g @anthropic-ai/claude-code@{d}",
    "npm i -g typescript@{d}",
    "npm -g i @openai/codex@{d}",
    "npm i -g --loglevel verbose @openai/codex@{d}",
]
_NEAR = [
    "npm --loglevel verbose i -g @openai/codex@{d}",
    "npm i -g claude@npm:@anthropic-ai/claude-code@{d}",
    "npm i -g ./anthropic-ai-claude-code-1.0.{d}.tgz",
    "npm run build@{d}",
    "npm i -g claude{d}@1",
    "npm i -g @openai/codex@{d}.x",
    "npm i -g @openai/codex@{d} --jobs {d}",
    "npm uninstall -g @openai/codex@{d}",
    "npm it -g @openai/codex@{d}",
    "npm i -g $PKG@{d}",
    "npm i -g '@openai/codex@{d}'",
    "npm_config_global=true npm i @openai/codex@{d}",
    "corepack pnpm@{d} add -g @openai/codex",
    "curl -fsSL https://claude.ai/install.sh | bash",
    "echo {d}",
    "claude -v",
    "npm ci",
    "true",
]
_OPS = [" && ", " || ", "; ", " & ", " | "]
# (AIS002's memo answers from the third RUN of a length on: the first is met, the second kept)
_DIGITS = ["0", "1", "7", "2", "9", "42", "10", "99", "100"]
_STEPS = [
    "",
    "# a comment",
    "# two\n# comment lines",
    "ENV npm_config_global=true",
    "ARG npm_config_global=true",
    'SHELL ["pwsh", "-c"]',
    'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
    "RUN npm i -g @anthropic-ai/claude-code",
    "COPY claude /usr/local/bin/",
    "COPY . /app",
    "ENV PATH=/app/node_modules/.bin:$PATH",
    "ONBUILD RUN npm i -g @openai/codex",
    "ONBUILD COPY codex /usr/local/bin/",
    "WORKDIR /a",
    "FROM aishell:foundation",
    "FROM debian",
    "FROM node:24 AS m",
    "RUN codex --version",
    "FROM n\nRUN codex -v && claude -v && gemini -v",
]
_FROMS = ["FROM debian", "FROM aishell:foundation", "FROM node:24 AS n", "ARG PKG=@openai/codex\nFROM node:24"]


def _record(ins) -> None:
    return None


_SWITCHES = ((_provides, "VERSION_DIGITS"),)


def _read(text: str, on: bool):
    try:
        return read_switched(text, _SWITCHES, on, _record)
    except InputError as e:
        return str(e)


def _same(text: str) -> None:
    assert _read(text, True) == _read(text, False), text


def _line(pieces: list[str], ops: list[str]) -> str:
    out = pieces[0]
    for op, piece in zip(ops, pieces[1:]):
        out += op + piece
    return out


def _text(base: str, line: str, digits: list[str], steps: list[str], prefixes: list[str]) -> str:
    out = [base]
    for k, d in enumerate(digits):
        step = steps[k % len(steps)]
        if step:
            out.append(step)
        out.append(prefixes[k % len(prefixes)] + line.replace("{d}", d))
    return "\n".join(out) + "\n"


_PREFIXES = [["RUN "], ["ONBUILD RUN "], ["RUN ", "ONBUILD RUN "], ["run  "]]


def test_the_shapes_lines():
    # The shapes' (benchmarks/scale.py harness_installs, onbuild_installs) and lines near them.
    for line in _INSTALLS + _NEAR:
        for base in _FROMS[:3]:
            for prefixes in _PREFIXES[:2]:
                _same(_text(base, line, _DIGITS * 2, [""], prefixes))
        _same(_text("FROM aishell:foundation", line, _DIGITS, _STEPS, ["RUN "]))
        _same(_text("FROM node:24 AS n", line, _DIGITS, _STEPS[::-1], ["ONBUILD RUN ", "RUN "]))
        _same(_text("FROM node:24 AS n", line, _DIGITS, _STEPS[3:5] + _STEPS[-1:], ["ONBUILD RUN "]))


def test_a_file_ending_in_one():
    # The last RUN, without a line ending after it (its removal takes the line before's).
    for line in _INSTALLS[:3]:
        for prefixes in _PREFIXES[:2]:
            _same(_text("FROM aishell:foundation", line, _DIGITS, [""], prefixes).rstrip("\n"))
            _same(_text("FROM aishell:foundation", line, _DIGITS, ["# c"], prefixes).rstrip("\n"))


def test_memo_answers():
    # The shape's RUNs are answered by the memos: no script read for most of them.
    calls = []
    real2, real3 = ais002.analyse_run, ais003.analyse_run

    def counted(ins, *args):
        calls.append(ins)
        return real2(ins, *args)

    ais002.analyse_run = ais003.analyse_run = counted
    try:
        text = _text(
            "FROM aishell:foundation",
            "npm install -g @anthropic-ai/claude-code@1.0.{d}",
            [str(n) for n in range(10, 60)],
            [""],
            ["RUN "],
        )
        on = _read(text, True)
        n_on = len(calls)
        assert on == _read(text, False)
    finally:
        ais002.analyse_run, ais003.analyse_run = real2, real3
    assert len(on[1]) == 50
    assert n_on <= 4 < len(calls) - n_on  # (on: the first two or so; off: every RUN, by each rule)


def test_keys():
    key = _provides.version_key
    assert key("RUN npm i -g @anthropic-ai/claude-code@1.0.37") == b"RUN npm i -g @anthropic-ai/claude-code@0.0.00"
    assert key("ONBUILD RUN yarn global add a@1") == b"ONBUILD RUN yarn global add a@0"
    for text in [
        "RUN npm i -g a2@1.0",
        "RUN npm run x@1",
        "RUN npm --prefix /x i a@1",
        "RUN npm i a@1 && echo 3",
        "RUN npm i a@1 --jobs 4",
        "RUN npm i -g a@1.x",
        "RUN npm i -g ./a@1",
        "RUN npm i -g a@1\n",
        "RUN yarn global a@1",
        "RUN npm i -g a",
        "RUN --network=none npm i a@1",
        "FROM a@1",
        "RUN npm i -g a@\u0661",
    ]:
        assert key(text) is None, text


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(_INSTALLS + _NEAR), min_size=1, max_size=3),
    st.lists(st.sampled_from(_OPS), min_size=2, max_size=2),
    st.lists(st.sampled_from(_DIGITS), min_size=3, max_size=6),
    st.lists(st.sampled_from(_STEPS), min_size=1, max_size=3),
    st.sampled_from(_FROMS),
    st.sampled_from(_PREFIXES),
)
def test_generated_lines(pieces, ops, digits, steps, base, prefixes):
    _same(_text(base, _line(pieces, ops), digits, steps, prefixes))


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(_INSTALLS), min_size=1, max_size=3),
    st.lists(st.sampled_from(_OPS[:4]), min_size=2, max_size=2),
    st.lists(st.sampled_from(["1", "3", "5", "8", "13"]), min_size=3, max_size=6),
    st.lists(st.sampled_from(_STEPS), min_size=1, max_size=2),
    st.sampled_from(_FROMS),
    st.sampled_from(_PREFIXES),
)
def test_installs_only(pieces, ops, digits, steps, base, prefixes):
    _same(_text(base, _line(pieces, ops), digits, steps, prefixes))
