"""A plain RUN line or `RUN <<EOF` body read in one pass gives what the reader gives (issue 18, r86).

aishell/shell.py's _plain_line reads a RUN line, or the body of `RUN <<EOF`, whose every command
_Reader._read_plain would record by its first word alone (no `$`, quote, backslash, pipe,
parenthesis, redirection, comment, keyword, assignment, shell, wrapper or other name a case of
_command reads) without making a reader (PLAIN_LINE), and works out the status walk's memo key of
its tokens as it reads them (Script.shape, for _walk_shape). Each script here is a command, an
operator and a command (and some of three commands), the commands and operators below being plain
ones and the ones that leave it to the reader (39 commands, 13 operators; every pair of them
side by side, not the whole product: 10,047 scripts), each as
a RUN line, a RUN continued over two lines and the body of `RUN <<EOF`: read with PLAIN_LINE on
and off, everything a rule sees of the script must agree (commands, spans, items, the tokens kept
for the walk), the walk's memo key and what the status walk decides under four SHELLs, and every
finding of every rule.
"""

from __future__ import annotations

from itertools import product

from aishell import shell

from tests.runs import read_switched
from tests.test_shell_fast import _dump

_COMMANDS = [
    "claude -v",
    "claude",
    "echo 1",
    "echo claude  -v",
    "a#b c#",
    "ls --color=auto",
    "/usr/bin/claude -v",
    "./claude",
    "true",
    "false",
    "exit 1",
    "return",
    "set -e",
    "shift",
    "test -f x",
    "[ -f x ]",
    "which claude",
    "command -v claude",
    "x=1",
    "c=claude",
    "if",
    "{",
    "!",
    "sh",
    "bash -c claude",
    "sudo claude",
    "env claude",
    "timeout 5 claude",
    "npx claude",
    "eval claude",
    "cd /x",
    "cat f",
    "printf x",
    "echo $x",
    "echo 'a'",
    "a\\ b",
    "echo x>f",
    "#c",
    "é\fb",
]
_OPERATORS = [" && ", " || ", "; ", ";", " & ", "&", "\n", " ;; ", " | ", "  \t", "\r\n", " |& ", " \n\n "]
_SHELLS = [shell.DEFAULT_SHELL, (True, False), (True, True), (False, False, True)]


def _scripts() -> list[str]:
    # Each command before each operator, followed by 13 second commands, a window that moves by
    # three commands from one operator to the next: every (first, operator), (operator, second)
    # and (first, second) pair, each many times (6,591 pairs, not the product's 19,773). On six
    # mutants of _plain_line this set, the product and the smallest such set (each pair once:
    # tests/covering.py) agree; the many pairs stay because a thinner set of session 70 missed a
    # mutant of its check of `=` in a first word that the product then caught.
    n = len(_COMMANDS)
    pairs = [
        f"{a}{o}{_COMMANDS[(i + 3 * j + k) % n]}"
        for i, a in enumerate(_COMMANDS)
        for j, o in enumerate(_OPERATORS)
        for k in range(13)
    ]
    plain = _COMMANDS[:12]
    triples = [
        f"{a}{o1}{b}{o2}{c}" for a, b, c in product(plain, repeat=3) for o1, o2 in ((" && ", "; "), ("\n", " || "))
    ]
    return pairs + triples


def _text(scripts: list[str]) -> str:
    out = ["FROM aishell:foundation\n"]
    for s in scripts:
        line = s.replace("\n", " && ")
        out.append(f"RUN {line}\n")
        head, sep, tail = line.partition(" ")
        if sep:
            out.append(f"RUN {head} \\\n  {tail}\n")  # (continued: the offsets are not a range)
        out.append(f"RUN <<EOF\n{s}\nEOF\n")
    return "".join(out)


def _record(ins) -> tuple:
    on = shell.PLAIN_LINE
    script = shell.analyse_run(ins)
    kept = [script.tokens, *(script.doc_tokens or {}).values()]
    tokens = [None if t is None else (t.texts, list(t.starts), list(t.ops)) for t in kept]
    shapes = []
    for t in kept:
        if t is not None:
            shapes.append([shell._walk_shape(t, s, script.shape if on else None) for s in _SHELLS])
    if on and script.shape is not None:  # (what the walk works out from the tokens alone)
        t = script.tokens if script.tokens is not None else script.doc_tokens[0]
        assert [shell._walk_shape(t, s) for s in _SHELLS] == [shell._walk_shape(t, s, script.shape) for s in _SHELLS]
    fails = []
    for s in _SHELLS:
        ins.shell = script  # (each walk takes the body's tokens: given again)
        script.doc_tokens = dict(zip(range(len(kept) - 1), kept[1:])) if kept[1:] else None
        fails.append(sorted(shell.failing_starts(ins, s)))
    return script.shape is not None, (_dump(script), tokens, shapes, fails)


def _read(text: str, on: bool):
    """(each RUN's record, the findings, how many RUNs were read the one-pass way)"""
    runs, findings = read_switched(text, ("PLAIN_LINE",), on, _record)
    return [r for _, r in runs], findings, sum(t for t, _ in runs)


def test_a_plain_line_reads_as_the_reader_reads_it():
    scripts = _scripts()
    assert len(scripts) == len(_COMMANDS) * len(_OPERATORS) * 13 + 12**3 * 2  # 10,047 scripts
    taken = 0
    for k in range(0, len(scripts), 1024):  # (a Dockerfile of 3,072 RUNs at a time)
        text = _text(scripts[k : k + 1024])
        fast = _read(text, True)
        general = _read(text, False)
        assert general[2] == 0
        assert fast[:2] == general[:2]
        taken += fast[2]
    assert taken > 10_000  # (the plain ones: read the one-pass way)


def test_what_it_leaves_to_the_reader():
    """No command where the reader reads more than its first word: _plain_line declines."""
    for s in [
        "echo $x",
        "x=1 && claude",
        "if true; then claude; fi",
        "echo a | sh",
        "sudo claude",
        "read x",
        "claude # c",
        "claude;; x",
        "export x",
        "a\fb",
        "echo 'a'",
        "a\\ b",
        "claude >f",
    ]:
        assert shell._plain_line(shell._Mapped(s, range(len(s))), []) is None, s
    long = " && ".join(["claude -v"] * 400)  # (longer than _LINE_MAX: the reader's, read once)
    assert shell._plain_line(shell._Mapped(long, range(len(long))), []) is None
    for s in ["claude -v", "echo 1 && claude -v", "cd /x && printf x", "a; b & c || d\n", "  a#b  ", "", "a &&\n b"]:
        items: list = []
        read = shell._plain_line(shell._Mapped(s, range(len(s))), items)
        assert read is not None and len(items) == len(read[0]), s
