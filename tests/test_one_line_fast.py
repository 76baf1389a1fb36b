"""A plain line of one simple command read in one match gives what _plain_line's loop gives (issue 18, r101).

aishell/shell.py's _one_line reads a plain line with no operator character (`RUN npm install -g
@anthropic-ai/claude-code@1.0.3`, `RUN claude -v`) with one match and one split (ONE_LINE). Each
line here is one to three words drawn from 16 (names _plain_line reads, leaves to the reader or
keys no walk for, an install, paths, a `#`, a quote) with blanks of four kinds around and between
them (a fixed random 3,000 of 16^3 x 4^2 lines, and every one- and two-word line), read with
ONE_LINE on and off, at offsets in a row and not: the commands, spans, items, tokens and shape
must agree, and so must the lint findings of a file of them.
"""

from __future__ import annotations

import random
from itertools import product

from aishell import shell

from tests.runs import read_switched
from tests.test_shell_fast import _dump

_WORDS = ["claude", "-v", "npm", "install", "i", "@openai/codex@1", "/usr/bin/npm", "echo", "if", "sudo",
          "x=1", "a#b", "#c", "./claude", "test", "é"]  # fmt: skip
_BLANKS = [" ", "\t", "  \r", " \t "]


def _lines() -> list[str]:
    out = list(_WORDS)
    out += [f"{a}{b}{c}" for a, b, c in product(_WORDS, _BLANKS, _WORDS)]
    three = [
        f"{b1}{a}{b2}{c}{b1}{d}{b2}" for a, c, d in product(_WORDS, repeat=3) for b1, b2 in product(_BLANKS, _BLANKS)
    ]
    return out + random.Random(101).sample(three, 3000) + ["", "  ", "a 'b'", "a\fb"]


def _read(line: str, offsets) -> tuple | None:
    items: list = []
    got = shell._plain_line(shell._Mapped(line, offsets), items)
    if got is None:
        return None, items
    commands, tokens, shape = got
    script = shell.Script(commands, items)
    return (_dump(script), tokens.texts, list(tokens.starts), list(tokens.ops), shape), items


def test_one_line_reads_as_the_loop_reads_it():
    taken = 0
    for line in _lines():
        for offsets in (range(7, 7 + len(line)), [3 * k + 1 for k in range(len(line))]):
            shell.ONE_LINE = True
            try:
                fast = _read(line, offsets)
            finally:
                shell.ONE_LINE = False
            try:
                general = _read(line, offsets)
            finally:
                shell.ONE_LINE = True
            assert fast == general, line
            taken += bool(shell._one_line(shell._Mapped(line, offsets), []))
    assert taken > 1500


def test_findings_agree():
    text = "FROM aishell:foundation\n" + "".join(f"RUN {line}\n" for line in _lines()[:600] if line.strip())
    fast = read_switched(text, ("ONE_LINE",), True, _dump_run)
    assert fast == read_switched(text, ("ONE_LINE",), False, _dump_run)
    assert fast[1]


def _dump_run(ins):
    script = shell.analyse_run(ins)
    return _dump(script), script.shape
