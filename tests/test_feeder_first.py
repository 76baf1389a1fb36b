"""aishell/shell.py's _substituted turns away a command substitution whose first word is plain
and names no feeder or lookup (`$(date +%s)`) before tokenizing it (FEEDER_FIRST): a RUN of
400,000 `x=$(date)` tokenized each one twice for nothing. Every first word here (feeders, lookups,
their paths and quoted or escaped spellings, near misses, words the shortcut must leave alone)
with every argument list, in each place a substitution's output is read (an assignment, the
command's name, `sh -c`, eval), gives the same findings with the switch on and off, and the value
_substituted gives is the same."""

from __future__ import annotations

from itertools import product

from aishell import shell
from aishell.model import parse
from tests.switched import read_switched

FIRSTS = [
    "date", "echo", "printf", "cat", "which", "command", "type", "/bin/echo", "/usr/bin/cat",
    "./echo", "e\\cho", '"echo"', "ec'h'o", "echo2", "Echo", "cat.sh", "x=1", "2>/dev/null",
    "{", "$e", "uname", "true", "claude", "/usr/bin/which", "printf%s", "ech*",
]  # fmt: skip
ARGS = ["claude -v", "-v claude", "'claude -v'", "-p claude", "", "claude\\n"]
PLACES = ["x={s}; $x", "{s} -v", 'sh -c "{s}"', "eval {s}", "x={s}"]
FORMS = ["$({w})", "`{w}`", '"$({w})"']


def _lines() -> list[str]:
    out = []
    for first, args, form, place in product(FIRSTS, ARGS, FORMS, PLACES):
        word = form.format(w=f"{first} {args}".strip())
        out.append(place.format(s=word))
    return out


def _values(text: str) -> list:
    """_substituted's answer for every word of every RUN of ``text`` (through the reader)."""
    df = parse(text)
    out = []
    for ins in df.instructions:
        if ins.keyword != "RUN":
            continue
        m = shell._Mapped(ins.logical, list(range(len(ins.logical))))
        toks, _ = shell.tokenize(ins.logical)
        for t in toks:
            if t.kind == "word":
                got = shell._substituted(m, t, shell._Reader())
                out.append(None if got is None else [(s[0], getattr(s[1], "s", s[1])) for s in got])
    return out


def test_the_short_way_gives_what_tokenizing_gives():
    lines = _lines()
    assert len(lines) == len(FIRSTS) * len(ARGS) * len(FORMS) * len(PLACES)  # 2,340 RUNs
    for k in range(0, len(lines), 500):
        text = "FROM aishell:foundation\n" + "".join(f"RUN {line}\n" for line in lines[k : k + 500])
        on = read_switched(text, FEEDER_FIRST=True)
        assert on == read_switched(text, FEEDER_FIRST=False)
        saved = shell.FEEDER_FIRST
        try:
            shell.FEEDER_FIRST = False
            general = _values(text)
            shell.FEEDER_FIRST = True
            assert _values(text) == general
        finally:
            shell.FEEDER_FIRST = saved


def test_the_short_way_tokenizes_nothing(monkeypatch):
    calls = []
    real = shell._feeder_output

    def counted(inner, reader):
        calls.append(inner.s)
        return real(inner, reader)

    monkeypatch.setattr(shell, "_feeder_output", counted)
    read_switched("FROM aishell:foundation\nRUN " + "; ".join(["x=$(date +%s)"] * 50) + "; claude -v\n")
    assert calls == []
    read_switched("FROM aishell:foundation\nRUN x=$(echo claude); $x -v\n")
    assert calls
