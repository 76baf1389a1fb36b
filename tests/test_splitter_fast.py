"""The general reader's short ways for a command's first word give what its long ways give
(issue 18, "made files and harness calls").

aishell/shell.py's _Splitter._feed appends a command's first word itself where _word would only
append it: no keyword (`{`, `if`, `do`, `for`, `case`…; a quoted keyword is none), no `for`
header (FIRST_WORDS); and _Reader._command takes plain_name's answer for a first word from a
memo where no file, alias or pipe is there (PLAIN_FIRSTS); and _feed records such a command at
the list operator after it itself, not through _command, once that memo holds yes for its first
word (PLAIN_DIRECT). Each script here is a command A, an
operator, a command B and A again, for every A and B below (keywords, quoted keywords, compound
commands, function definitions, `for` headers, files made and run, aliases, pipes, wrappers,
assignments) and every list operator and `|` (every operator between every A and B, and every
one after B before every A: tests/covering.py, not the full product), with a quote in it so that
the general reader, not the plain-script one, reads it: read with both short ways on and with both
off, everything a rule sees must agree, and every rule's findings.
"""

from __future__ import annotations

import sys

from aishell import shell

from tests.covering import covering
from tests.switched import read_switched

_COMMANDS = [
    "claude -v",
    "ln -s x claude",
    "printf x > claude",
    "install -m 755 -t bin ./claude",
    "./claude -v",
    "cd /o",
    "PATH=/p:$PATH",
    "trap 'claude' EXIT",
    "f() { claude; }",
    "f",
    "function g { claude -v; }",
    "alias claude=echo",
    "echo claude | sh",
    "sh s.sh",
    "if claude; then claude; fi",
    "while false; do claude; done",
    "for c in claude 'codex'; do $c; done",
    "case x in x) claude;; esac",
    "{ claude; }",
    "! claude",
    "'if' claude",
    "\\{ claude",
    '"do" claude',
    "c=claude",
    "sudo claude",
    "unset -f f",
    "eval claude",
]
_OPERATORS = [" && ", " || ", "; ", " | ", "\n"]


def _text(scripts: list[str]) -> str:
    runs = "".join(f"RUN {s.replace(chr(10), ' ; ')}\n" for s in scripts)
    body = "".join(f"RUN <<EOF\n{s}\nEOF\n" for s in scripts if "\n" in s)  # (newlines: a heredoc script)
    return "FROM aishell:foundation\n" + runs + body


def _pairs(commands: list[str]) -> list[str]:
    """`true 'q'; A<op>B<op>A` for every pair of ``commands``, each list operator and `|` between
    them, and `&&`, `||` or `;` before the first again: every neighbouring triple (A, op, B),
    (op, B, op) and (B, op, A), not the whole product (tests/covering.py)."""
    rows = covering([commands, _OPERATORS, commands, _OPERATORS[:3]], [(0, 1, 2), (1, 2, 3), (2, 3, 0)])
    return [f"true 'q'; {a}{o1}{b}{o2}{a}" for a, o1, b, o2 in rows]


def _read(text: str, fast: bool, direct: bool | None = None):
    return read_switched(text, FIRST_WORDS=fast, PLAIN_FIRSTS=fast, PLAIN_DIRECT=fast if direct is None else direct)


def test_first_words_read_the_same_both_ways():
    # Every command after and before every operator, with every command on its other side: each
    # (o0, A, o1), (A, o1, B), (o1, B, o2) and (B, o2, A) together (3,726 scripts, not the
    # product's 36,450: tests/covering.py).
    rows = covering(
        [_OPERATORS[:1] + _OPERATORS[2:3], _COMMANDS, _OPERATORS, _COMMANDS, _OPERATORS],
        [(0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 1)],
    )
    scripts = [f"true 'q'{o0}{a}{o1}{b}{o2}{a}" for o0, a, o1, b, o2 in rows]
    found = 0
    for k in range(0, len(scripts), 2048):  # (a Dockerfile of 2,048 RUNs at a time)
        text = _text(scripts[k : k + 2048])
        fast = _read(text, True)
        assert fast == _read(text, False)
        found += len(fast[1])
    assert found > 500  # (what the rules say of them: AIS002's findings, mostly)


def test_the_short_ways_are_taken():
    """The shape they are for: a first word appended in _feed, plain_name asked once per word."""
    calls = []
    real_word, real_name = shell._Splitter._word, shell._Reader.plain_name

    def word(self, t):
        calls.append(("word", t.text))
        return real_word(self, t)

    def name(self, w0, piped):
        if sys._getframe(1).f_code.co_name == "_command":  # (the status walk asks it too)
            calls.append(("name", w0))
        return real_name(self, w0, piped)

    shell._Splitter._word, shell._Reader.plain_name = word, name
    try:
        _read("FROM aishell:foundation\nRUN " + " && ".join(["trap 'x' EXIT; claude -v"] * 50) + "\n", True)
    finally:
        shell._Splitter._word, shell._Reader.plain_name = real_word, real_name
    assert ("word", "claude") not in calls and ("word", "trap") not in calls
    assert calls.count(("name", "claude")) == 1


def test_commands_recorded_at_their_operator_read_as_through_command():
    """PLAIN_DIRECT alone on and off (the other short ways on): every pair of commands above
    after each other, each list operator and `|` between them, then the first again (each
    operator between every pair, and before every first one again: tests/covering.py)."""
    scripts = _pairs(_COMMANDS)
    found = 0
    for k in range(0, len(scripts), 2048):
        text = _text(scripts[k : k + 2048])
        direct = _read(text, True, True)
        assert direct == _read(text, True, False)
        found += len(direct[1])
    assert found > 400


def test_plain_commands_are_recorded_at_their_operator():
    """The shape it is for: `claude -v` between list operators, recorded without _command
    once its first word's answer is held (the first one, and `trap`, through _command)."""
    calls = []
    real = shell._Reader._command

    def command(self, m, toks, *rest):
        calls.append(toks[0].text)
        return real(self, m, toks, *rest)

    shell._Reader._command = command
    try:
        _read("FROM aishell:foundation\nRUN " + " && ".join(["trap 'x' EXIT; claude -v"] * 50) + "\n", True)
    finally:
        shell._Reader._command = real
    assert calls.count("claude") <= 2 and calls.count("trap") >= 50
