"""The plain-script reader's memo of a command's name gives what plain_name gives (issue 18, r79).

aishell/shell.py's _Reader._read_plain asks plain_name of each command's first word; when the word
is the command before's and no file was made, no alias defined and no pipe feeds it, it takes that
command's answer (PLAIN_NAME_MEMO: the `&&` list of 800,000 `claude -v` asked 800,000 times). The
answer depends on more than the word: a file the RUN made (`printf x > claude`, then `ln`, `cp`,
`./claude` are read the general way), an alias (`alias claude=echo`), a pipe (`echo x | sh`). Each
script here is a command R, an operator, a command B that may change that, an operator and R again
(and R three times), for every R and B below and every pair of list operators and `|` (12,312
scripts, a RUN line each, those with a newline a RUN heredoc too): read with the memo, without it,
and the general way (PLAIN_SCRIPTS off), everything a rule sees must agree, and AIS002's findings.
"""

from __future__ import annotations

import sys
from itertools import product

from aishell import shell

from tests.switched import read_switched

_COMMANDS = [
    "claude -v",
    "claude",
    "echo claude",
    "cp a claude",
    "ln -s x claude",
    "./claude -v",
    "/usr/bin/claude -v",
    "sh s.sh",
    "eval claude",
    "env claude -v",
    "cd /x",
    "sudo claude",
    "alias claude=echo",
    "printf x > claude",
    "cat s.sh",
    "x=1",
    "c=claude",
    "true",
]
_OPERATORS = [" && ", " || ", "; ", " | ", " & ", "\n"]


def _text(scripts: list[str]) -> str:
    runs = "".join(f"RUN {s.replace(chr(10), ' && ')}\n" if "\n" in s else f"RUN {s}\n" for s in scripts)
    body = "".join(f"RUN <<EOF\n{s}\nEOF\n" for s in scripts if "\n" in s)  # (newlines: a heredoc script)
    return "FROM aishell:foundation\n" + runs + body


def _scripts() -> list[str]:
    changed = [
        f"{r}{o1}{b}{o2}{r}" for r, b in product(_COMMANDS, repeat=2) for o1, o2 in product(_OPERATORS, repeat=2)
    ]
    # (R three times: an answer for R piped is no answer for R after `;`, `&&`…)
    repeated = [f"{r}{o1}{r}{o2}{r}" for r in _COMMANDS for o1, o2 in product(_OPERATORS, repeat=2)]
    return changed + repeated


def _read(text: str, memo: bool, plain: bool = True):
    return read_switched(text, PLAIN_NAME_MEMO=memo, PLAIN_SCRIPTS=plain)


def test_the_memo_reads_what_plain_name_reads():
    scripts = _scripts()
    assert len(scripts) == (len(_COMMANDS) + 1) * len(_COMMANDS) * len(_OPERATORS) ** 2  # 12,312 scripts
    for k in range(0, len(scripts), 1024):  # (a Dockerfile of 1,024 RUNs at a time)
        text = _text(scripts[k : k + 1024])
        with_memo = _read(text, True)
        assert with_memo == _read(text, False)
        assert with_memo[0] == _read(text, True, plain=False)[0]


def test_the_memo_is_taken_in_an_and_list():
    """The shape it is for: the same word after `&&`, read once by plain_name."""
    calls = []
    real = shell._Reader.plain_name

    def counted(self, w0, piped):
        if sys._getframe(1).f_code.co_name == "_read_plain":  # (the status walk asks it too)
            calls.append(w0)
        return real(self, w0, piped)

    shell._Reader.plain_name = counted
    shell.PLAIN_LINE = False  # (on, shell._plain_line reads such a line: no reader, no plain_name)
    try:
        _read("FROM aishell:foundation\nRUN " + " && ".join(["claude -v"] * 50) + "\n", True)
    finally:
        shell._Reader.plain_name = real
        shell.PLAIN_LINE = True
    assert calls.count("claude") == 1
