"""A plain script's block of one repeated unit, read a unit once and copied, gives what it gives
read token by token (issue 18, r132).

aishell/shell.py's _Reader._read_plain reads a plain script (words, simple `$( )`, list operators,
pipes, newlines) a block of lines at a time, a token at a time. With PERIODIC_TOKENS a block whose
tokens repeat one unit (_token_period: ` && claude -v` over an `&&` list of 800,000 calls) is read
a unit once, its words, places and operators copied for the rest, each place moved by the unit's
width. Each script here is a head (a few commands), one unit repeated (a call after `&&`, `||`,
`;`, `|`, `&` or a newline, an assignment, a `$( )`, a keyword, a quote, a comment: units the copy
takes, units it must refuse and scripts the reader leaves to the general path), a near miss
somewhere (one unit changed, cut short or none), and a tail, as a RUN line, a RUN continued over
lines and the body of `RUN <<EOF`: read with PERIODIC_TOKENS on and off, the scripts (commands,
spans, items), the tokens kept for the walk, what the status walk decides under two SHELLs and
every finding of every rule must agree.
"""

from __future__ import annotations

import random

from aishell import shell

from tests.runs import read_switched
from tests.test_shell_fast import _dump

_HEADS = ["true", "echo a b", "v=1", "cd /x && make", "claude -v", "x=$(date +%s); y=2", "echo " + "a" * 1500]
_UNITS = [
    " && claude -v",
    " && claude  --version",
    " || npx claude",
    "; codex -h",
    " | cat",
    " & gemini",
    "\nclaude -v",
    " && v=1",
    "; w=$(claude -v)",
    " && echo $(date)",
    " && a b c d e f",
    "; if",
    " && 'claude' -v",
    " && claude -v # x",
    " &&\tclaude\t-v",
    " && /usr/bin/claude -v",
    "&&claude -v",
]
_MISSES = ["", " && codex -v", " && claude", " && claude -v -v", "; echo x", " && claude -w", " &&"]
_TAILS = ["", " && echo done", "; claude --version", " || true"]
_SHELLS = [shell.DEFAULT_SHELL, (True, True)]


def _script(rng: random.Random) -> str:
    unit = rng.choice(_UNITS)
    count = rng.choice([5, 30, 90, 250])
    units = [unit] * count
    miss = rng.choice(_MISSES)
    if miss:
        units[rng.randrange(count)] = miss
    return rng.choice(_HEADS) + "".join(units) + rng.choice(_TAILS)


def _texts(script: str) -> list[str]:
    lines = script.split("\n")
    cut = " \\\n".join(lines[0][i : i + 700] for i in range(0, len(lines[0]), 700))  # (cut inside a word too)
    return [
        "FROM node\nRUN " + script.replace("\n", " ; ") + "\n",
        "FROM node\nRUN " + cut + "\n",
        "FROM node\nRUN <<EOF\n" + script + "\nEOF\n",
        "FROM aishell:foundation\nRUN set -e; " + script.replace("\n", "; ") + "\n",
    ]


def _record(ins) -> tuple:
    script = shell.analyse_run(ins)
    kept = [script.tokens, *(script.doc_tokens or {}).values()]
    tokens = [None if t is None else (t.texts, list(t.starts), list(t.ops)) for t in kept]
    fails = []
    for s in _SHELLS:
        ins.shell = script
        script.doc_tokens = dict(zip(range(len(kept) - 1), kept[1:])) if kept[1:] else None
        fails.append(sorted(shell.failing_starts(ins, s)))
    return _dump(script), tokens, fails


def _read(text: str, on: bool):
    return read_switched(text, ("PERIODIC_TOKENS",), on, _record)


def test_a_repeated_unit_reads_as_its_tokens_one_by_one():
    rng = random.Random(132)
    taken = 0
    period = shell._token_period

    def counted(tokens):
        nonlocal taken
        cut = period(tokens)
        taken += cut is not None
        return cut

    shell._token_period = counted
    try:
        for _ in range(40):
            for text in _texts(_script(rng)):
                assert _read(text, True) == _read(text, False), text
    finally:
        shell._token_period = period
    assert taken > 50  # (the copy was made: not every block left to the loop)


def test_an_and_list_of_one_call_is_copied():
    text = "FROM node\nRUN true" + " && claude -v" * 3000 + "\n"
    on, off = _read(text, True), _read(text, False)
    assert on == off
    assert len(on[1]) == 3000
