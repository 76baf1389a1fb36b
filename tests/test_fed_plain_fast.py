"""A shell alone reading a plain heredoc on its stdin is read in one step as the readers read it (issue 18, r91).

aishell/shell.py's _fed_plain makes the Script of `RUN bash <<EOF` (a line _FED_LINE takes: a
shell, by name or path, options that leave it reading its stdin, one heredoc, on one line) whose
body _plain_line reads, without a reader for the line or the body (FED_PLAIN). Here: lines of that
form and lines near it that are not (another word, redirection or command, `-c`, `-s`, `-o`, a
path that names no shell, continued over two lines, two heredocs), each delimiter spelling, and
bodies of one, two and three commands of plain ones and ones that leave it to the reader (the
commands of tests/test_plain_line_fast.py): read with FED_PLAIN on and off, everything a rule
sees of the script must agree (commands, spans, items, the fed bodies, the tokens kept for the
walk and their memo key), what the status walk decides under five SHELLs, and every finding of
every rule.
"""

from __future__ import annotations

from itertools import product

from aishell import shell
from aishell.lint_rules import _provides
from aishell.model import parse

from tests.test_plain_line_fast import _COMMANDS, _OPERATORS
from tests.runs import read_switched
from tests.test_shell_fast import _dump

_LINES = [
    "bash <<{d}",
    "sh <<{d}",
    "dash <<{d}",
    "/bin/sh <<-{d}",
    "/usr/bin/bash -e <<{d}",
    "/usr/bin/dash -e <<{d}",
    "bash -eux  <<{d} ",
    "sh -e -x <<-{d}",
    "\tsh\t-v\t<<{d}\t",
    "/usrbash <<{d}",
    "/bin/zsh <<{d}",
    "sh -o pipefail <<{d}",
    "bash -c 'claude -v' <<{d}",
    "bash -s <<{d}",
    "sh -n <<{d}",
    "sh <<{d} > /log",
    "sh <<{d} && claude -v",
    "cat <<{d} | sh",
    "0<<{d} sh",
    "sh \\\n  <<{d}",
    "sh -e \\\n -x <<{d}",
    "sh <<{d} <<X",
]
_DELIMITERS = ["EOF", "E1", "'EOF'", '"E_2"']
_SHELLS = [shell.DEFAULT_SHELL, (True, False), (True, True), (False, False, True), (True, True, True)]


def _runs() -> list[tuple[str, str, str]]:
    """Every line with each command as the body (each delimiter in turn), and the lines of the
    form (the first nine) with bodies of two and three commands."""
    plain = _COMMANDS[:12]
    ones = [*_COMMANDS, "", "\t\tclaude -v", "claude -v\n\necho 1"]
    more = [f"{a}{o}{b}" for a, o, b in product(_COMMANDS, _OPERATORS, _COMMANDS[::2])] + [
        f"{a}\n{b} && {c}" for a, b, c in product(plain[:7], repeat=3)
    ]
    runs = [(line, d, body) for line, d, body in product(_LINES, _DELIMITERS, ones)]
    runs += [(_LINES[k % 9], _DELIMITERS[k % 4], body) for k, body in enumerate(more)]
    return runs


def _text(runs: list[tuple[str, str, str]]) -> str:
    out = ["FROM aishell:foundation\n"]
    for line, d, body in runs:
        end = d.strip("'\"")
        line = line.format(d=d)
        if "<<X" in line:
            out.append(f"RUN {line}\n{body}\n{end}\nx\nX\n")
        else:
            out.append(f"RUN {line}\n{body}\n{end}\n")
    return "".join(out)


_SWITCHES = ("FED_PLAIN", "STDIN_MEMO", (_provides, "LINE_LOCATE"))


def _record(ins) -> tuple:
    ins.shell = None
    script = shell.analyse_run(ins)
    kept = [script.tokens, *(script.doc_tokens or {}).values()]
    tokens = [None if t is None else (t.texts, list(t.starts), list(t.ops)) for t in kept]
    keys = sorted((script.doc_tokens or {}).keys())
    fails = []
    for s in _SHELLS:
        ins.shell = script  # (each walk takes the body's tokens: given again)
        script.doc_tokens = dict(zip(keys, kept[1:])) if kept[1:] else None
        fails.append(sorted(shell.failing_starts(ins, s)))
    return script.shape is not None, (_dump(script), script.fed, script.files_read, keys, tokens, fails)


def _read(text: str, on: bool):
    """(each RUN's record, the findings, how many RUNs were read the one-step way)"""
    runs, findings = read_switched(text, _SWITCHES, on, _record)
    return [r for _, r in runs], findings, sum(t for t, _ in runs)


def test_a_shell_fed_a_plain_body_reads_as_the_readers_read_it():
    runs = _runs()
    assert len(runs) == len(_LINES) * 4 * (len(_COMMANDS) + 3) + len(_COMMANDS) * len(_OPERATORS) * 20 + 7**3  # 14,179
    taken = 0
    for k in range(0, len(runs), 2048):  # (a Dockerfile of 2,048 RUNs at a time)
        text = _text(runs[k : k + 2048])
        fast = _read(text, True)
        general = _read(text, False)
        assert fast[:2] == general[:2]
        taken += fast[2] - general[2]
    assert taken > 3_000  # (the plain ones fed to a shell alone: read the one-step way)


def test_what_it_leaves_to_the_readers():
    """Lines not of the form, and bodies not plain: _fed_plain declines."""
    for line, body in [
        ("bash <<EOF", "echo $x"),
        ("bash <<EOF", "sudo claude"),
        ("bash <<EOF", "claude >f"),
        ("bash -c x <<EOF", "claude"),
        ("bash -s <<EOF", "claude"),
        ("/usrbash <<EOF", "claude"),
        ("zsh <<EOF", "claude"),
        ("sh <<EOF >x", "claude"),
        ("sh \\\n <<EOF", "claude"),
    ]:
        df = parse(f"FROM a\nRUN {line}\n{body}\nEOF\n")
        assert shell._fed_plain(df.instructions[1]) is None, (line, body)
    df = parse("FROM a\nRUN bash -e <<'EOF'\nclaude -v\nEOF\n")
    assert shell._fed_plain(df.instructions[1]) is not None


# Shell options and operands (STDIN_MEMO): options that leave the shell reading stdin, `-c`, `-s`,
# `-n` and noexec, `-o` and its names, `--` and `-`, operands (stdin's files and others), long ones.
_STDIN_WORDS = [
    "-e",
    "-c",
    "-s",
    "-n",
    "-o",
    "pipefail",
    "noexec",
    "--",
    "-",
    "x",
    "/dev/stdin",
    "--version",
    "-ec",
    "+n",
]


def test_whether_a_shell_reads_its_stdin_is_answered_as_worked_out():
    """_reads_stdin with its memo (STDIN_MEMO, filled as it goes, in two orders) answers as
    without it for every sequence of up to three of _STDIN_WORDS."""
    args = [list(w) for n in range(4) for w in product(_STDIN_WORDS, repeat=n)]
    assert len(args) == 1 + 14 + 14**2 + 14**3
    saved = shell.STDIN_MEMO
    try:
        shell.STDIN_MEMO = False
        general = [shell._reads_stdin(a) for a in args]
        shell.STDIN_MEMO = True
        for order in (args, args[::-1]):
            shell._STDIN_READS.clear()
            fast = [shell._reads_stdin(a) for a in order]
            assert fast == (general if order is args else general[::-1])
    finally:
        shell.STDIN_MEMO = saved
        shell._STDIN_READS.clear()
    assert 0 < sum(general) < len(general)


def test_an_offset_of_a_run_is_located_as_in_its_parts():
    """_Source.locate (LINE_LOCATE: an offset of a line on one line by subtraction) answers as
    from the parts for every offset from before each RUN of _LINES to past its end."""
    text = _text([(line, d, "claude -v\necho 1") for line, d in product(_LINES, _DELIMITERS)])
    df = parse(text)
    saved = _provides.LINE_LOCATE
    try:
        for ins in df.instructions:
            got = []
            for on in (True, False):
                _provides.LINE_LOCATE = on
                # (A fresh source for each: the parts, once made, answer every later offset.)
                got.append([_provides._Source(ins).locate(a) for a in range(ins.start - 2, ins.end + 2)])
            assert got[0] == got[1], ins.logical
    finally:
        _provides.LINE_LOCATE = saved


# Bodies for the memo key _fed_plain makes (FED_KEYED): plain ones and ones near what _BASH_ONLY
# finds (`[[`, `|&`: the only of its candidates a plain body can hold), and a body past what dash
# reads ahead.
_KEYED_BODIES = [
    *_COMMANDS[:20],
    "claude -v\necho 1",
    "echo 1 && claude -v || true",
    "echo [[ && claude -v",
    "echo [ x ] && claude -v",
    "echo a ||& claude -v",
    "echo a || & claude -v",
    "echo a |& claude -v",
    "echo a| claude -v",
]


def _keyed(ins) -> tuple:
    """Each SHELL's failing starts of the RUN, asked twice (the memo filled, then answering),
    and whether _fed_plain made its key."""
    ins.shell = None
    script = shell.analyse_run(ins)
    kept = script.doc_tokens
    fails = []
    for s in _SHELLS:
        for _ in range(2):
            ins.shell = script
            script.doc_tokens = dict(kept) if kept else None
            fails.append(sorted(shell.failing_starts(ins, s)))
    return getattr(script, "fed_key", None) is not None, fails


def test_the_fed_walk_memo_is_keyed_as_from_the_line():
    """failing_starts' FED_MEMO key made by _fed_plain (FED_KEYED) is the one worked out from
    the line and the body, for lines of the form and near it, each delimiter spelling, bodies
    that _BASH_ONLY finds something in or not (13 × 2 × 28 = 728 RUNs, and three long bodies): the same memo keys
    and the same failing starts under five SHELLs, the memo filled and answering, and the same
    findings."""
    lines = [*_LINES[:9], "/usrbash <<{d}", "sh -o pipefail <<{d}", "sh <<{d} > /log", "sh \\\n  <<{d}"]
    runs = [(line, d, body) for line, d, body in product(lines, ("EOF", "'EOF'"), _KEYED_BODIES)]
    runs += [(line, "EOF", "true\n" * 1100 + "claude -v") for line in _LINES[:3]]  # (past dash's 4 KB)
    text = _text(runs)
    got = []
    for on in (True, False):
        memo = []

        def record(ins):
            if not memo:
                memo.append(shell._WALKED)  # (the memo read_switched gives the reading)
            return _keyed(ins)

        records, findings = read_switched(text, ("FED_KEYED",), on, record)
        got.append(([r[1] for r in records], findings, sorted(memo[0].items()), sum(r[0] for r in records)))
    assert got[0][:3] == got[1][:3]
    assert got[1][3] == 0 and got[0][3] > 200  # (the fed plain bodies but those two: keyed by _fed_plain)
    assert len(got[0][2]) > 40
