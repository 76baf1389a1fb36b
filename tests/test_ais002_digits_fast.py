"""AIS002's memo of RUNs that differ only in the digits `echo` and `:` print gives what the rule
gives RUN by RUN (issue 18, r110).

lint_rules/ais002_harness_at_build_time.py keys its RUN memo (DIGIT_RUNS) by the RUN's text with
each digit made `0` where the RUN is one line of plain words and commands joined by `&&`, `||`,
`;` or `&`, and every word that holds a digit is all digits and an argument of `echo` or `:`, so
that `RUN echo 7 && claude -v` and `RUN echo 8 && claude -v` share their findings and what they
provide. Each file here is RUNs of one generated line under several digit runs (of one length
and of others: the memo answers for the third of a length on), among steps that change what is
on PATH (installs, COPYs, ENV PATH, ONBUILD): every finding of every rule, with its fix, must be
the same with DIGIT_RUNS on and off. The pieces hold near misses the key must refuse: digits the
shell or the rule reads (`xargs -n N claude`, `exit N`, `trap claude N`, `sleep N`, `claudeN`, `npm i -g …@1.0.N`,
`echo xN`, `echo -N`, `echo N > /f`, `echo N | sh`, `x=N`, `$N`, `"N"`).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.errors import InputError
from aishell.lint_rules import ais002_harness_at_build_time as ais002

from tests.runs import read_switched

# Commands with `{d}` where a digit run goes (each RUN its own), others as they are.
_ECHOES = [
    "echo {d}",
    "echo {d} {d}",
    "echo -n {d}",
    ": {d}",
    "echo x{d}",
    "echo -{d}",
    "echo {d}.{d}",
    "echo {d} > /f",
    "echo {d} | sh",
    'echo "{d}"',
    "echo ${d}",
    "echo claude {d}",
    ": claude {d}",
]
_OTHERS = [
    "claude -v",
    "claude --version",
    "codex --version",
    "npx claude -v",
    "./claude -v",
    "/usr/local/bin/claude -v",
    "npm i -g @anthropic-ai/claude-code",
    "npm i -g @anthropic-ai/claude-code@1.0.{d}",
    "npm install @openai/codex",
    "ln -s /opt/c claude",
    "true",
    "false",
    "set -e",
    "exit {d}",
    "exit 0",
    "trap claude {d}",
    "sleep {d}",
    "claude{d}",
    "claude -p {d}",
    "x={d}",
    "sudo claude",
    "sudo echo {d}",
    "time echo {d}",
    "make",
    "python x.py",
    "alias echo=claude",
    "exec claude",
    "cd /a{d}",
    "xargs -n {d} claude",
    "set -- claude x",
]
_OPS = [" && ", " || ", "; ", " & ", " | "]
# (the memo answers from the third RUN of a length on: the first is met, the second kept)
_DIGITS = ["0", "1", "7", "2", "9", "42", "10", "99", "100"]
_STEPS = [
    "",
    "RUN npm i -g @anthropic-ai/claude-code",
    "RUN npm install @anthropic-ai/claude-code",
    "COPY claude /usr/local/bin/",
    "COPY . /app",
    "ENV PATH=/app/node_modules/.bin:$PATH",
    "ONBUILD RUN npm i -g @openai/codex",
    'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
    "WORKDIR /a",
    "FROM aishell:foundation",
    "FROM debian",
]
_FROMS = ["FROM debian", "FROM aishell:foundation", "FROM node:24"]


def _record(ins) -> None:
    return None


_SWITCHES = ((ais002, "DIGIT_RUNS"), (ais002, "DIGIT_HEREDOCS"))


def _read(text: str, on: bool):
    try:
        return read_switched(text, _SWITCHES, on, _record)
    except InputError as e:  # (a body line that ends the heredoc: `E7` in the RUN of `<<E7`)
        return str(e)


def _same(text: str) -> None:
    assert _read(text, True) == _read(text, False), text


def _line(pieces: list[str], ops: list[str]) -> str:
    out = pieces[0]
    for op, piece in zip(ops, pieces[1:]):
        out += op + piece
    return out


def _text(base: str, line: str, digits: list[str], steps: list[str], prefix: str = "RUN ") -> str:
    out = [base]
    for k, d in enumerate(digits):
        step = steps[k % len(steps)]
        if step:
            out.append(step)
        out.append(prefix + line.replace("{d}", d))
    return "\n".join(out) + "\n"


def _doc_text(base: str, line: str, body: list[str], digits: list[str], steps: list[str], delimiter: str) -> str:
    """RUNs of one heredoc: ``line`` (with `{w}` for the ``delimiter``) and the ``body`` lines."""
    out = [base]
    for k, d in enumerate(digits):
        step = steps[k % len(steps)]
        if step:
            out.append(step)
        word = delimiter.replace("{d}", d)
        out.append("RUN " + line.replace("{w}", word).replace("{d}", d))
        out.extend(piece.replace("{d}", d) for piece in body)
        out.append(word)
    return "\n".join(out) + "\n"


def test_the_shapes_lines():
    # The shape's (benchmarks/scale.py distinct_line_runs) and lines near it.
    lines = [
        "echo {d} && claude -v",
        "claude -v && echo {d}",
        ": {d}; claude -v",
        "echo {d} {d} || codex --version & true",
        "claude -v; exit {d}",
        "trap claude {d}; true",
        "echo {d} > /f && claude -v",
        "echo {d} && claude{d} -v",
        "echo {d}; xargs -n {d} claude",
    ]
    for line in lines:
        for base in _FROMS:
            _same(_text(base, line, _DIGITS * 2, [""]))
            _same(_text(base, line, _DIGITS, _STEPS))
        _same(_text("FROM debian", line, _DIGITS, [""], "ONBUILD RUN "))


_DOC_LINES = [
    "<<{w}",
    "bash <<{w}",
    "sh -e <<{w}",
    "cat <<{w}",
    "bash <<-{w}",
    "bash <<'{w}'",
    "bash {d} <<{w}",
    "cat > /usr/local/bin/claude <<{w}",
    "<<{w} claude -v",
    "<<{w} && claude -v",
    "xargs -n {d} claude <<{w}",
]
_DOC_DIGITS = ["1", "7", "0", "2", "42", "10", "00", "100"]  # (a digit 0 the memo answers for)


def test_the_shapes_heredocs():
    # The shapes' (distinct_heredoc_runs, fed_heredocs) and RUNs near them: the delimiter's
    # digits, a body line that is the delimiter of another RUN of the file (`E7`).
    bodies = [
        ["claude -v", "echo {d}"],
        ["claude -v"],
        ["echo {d}", "", "claude -v && : {d}"],
        ["claude -v", "E7", "echo {d}"],
        ["claude -v", "exit {d}"],
        ["xargs -n {d} claude"],
        ["echo {d} | sh", "claude -v"],
    ]
    for line in _DOC_LINES:
        for body in bodies:
            for delimiter in ("EOF", "E{d}"):
                _same(_doc_text("FROM debian", line, body, _DOC_DIGITS, [""], delimiter))
    for body in bodies[:3]:
        _same(_doc_text("FROM aishell:foundation", "bash <<{w}", body, _DOC_DIGITS, _STEPS, "E{d}"))


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    st.sampled_from(_DOC_LINES),
    st.lists(st.lists(st.sampled_from(_ECHOES + _OTHERS), min_size=1, max_size=2), min_size=1, max_size=3),
    st.lists(st.sampled_from(_DIGITS), min_size=3, max_size=5),
    st.lists(st.sampled_from(_STEPS), min_size=1, max_size=2),
    st.sampled_from(_FROMS),
    st.sampled_from(["EOF", "E{d}", "X{d}Y"]),
)
def test_generated_heredocs(line, body, digits, steps, base, delimiter):
    _same(_doc_text(base, line, [_line(pieces, [" && ", "; "]) for pieces in body], digits, steps, delimiter))


def test_memo_answers():
    # The shape's RUNs are answered by the memo from the third on: no script read for them.
    calls = []
    real = ais002.analyse_run

    def counted(ins, *args):
        calls.append(ins)
        return real(ins, *args)

    ais002.analyse_run = counted
    try:
        _same(_text("FROM debian", "echo {d} && claude -v", [str(n) for n in range(10, 60)], [""]))
    finally:
        ais002.analyse_run = real
    assert len(calls) == 50 + 2  # (off: every RUN; on: the first two)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(_ECHOES + _OTHERS), min_size=1, max_size=4),
    st.lists(st.sampled_from(_OPS), min_size=3, max_size=3),
    st.lists(st.sampled_from(_DIGITS), min_size=3, max_size=6),
    st.lists(st.sampled_from(_STEPS), min_size=1, max_size=3),
    st.sampled_from(_FROMS),
)
def test_generated_lines(pieces, ops, digits, steps, base):
    _same(_text(base, _line(pieces, ops), digits, steps))


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(_ECHOES), min_size=1, max_size=2),
    st.lists(st.sampled_from(_OTHERS), min_size=1, max_size=2),
    st.lists(st.sampled_from(_OPS[:4]), min_size=3, max_size=3),
    st.lists(st.sampled_from(["1", "3", "5", "8"]), min_size=3, max_size=5),
    st.sampled_from(_FROMS),
)
def test_echoes_among_others(echoes, others, ops, digits, base):
    _same(_text(base, _line(echoes + others, ops), digits, [""]))
    _same(_text(base, _line(others + echoes, ops), digits, [""]))
