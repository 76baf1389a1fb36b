"""The digit memos (DIGIT_MEMO, the walk's; DIGIT_READ, the reader's) over the digits of a project
script's name and of the command `env` runs, and DIGIT_READ's memo of _plain_line's lines
(DIGIT_PLAIN), give what they give without (issue 18, r111).

aishell/shell.py's _digit_words makes `0` the digits of the word after `yarn` or `pnpm` (a plain
script name, no harness named: DIGIT_SCRIPTS) and of the digits-only command of `env N`
(DIGIT_ENV), each a command of those two words in a line of no redirection and no pipe: `claude -v
&& yarn build7` and `claude -v && yarn build8` share one reading and one walk, as `claude -v && env
7` and `... env 8` do. Each file here is RUNs of one generated line under several digits of one
length and of others (the first is read, the others of its length may be made from it): read with
the two switches on and off (DIGIT_READ and DIGIT_MEMO on both times), every RUN's script (its
commands and their names, items, tokens kept for the walk), its walks under four SHELLs (failing
starts asked alone, where the walk's memo answers, and with the names and unsure expansions) and
every finding of every rule must agree. The pieces hold near misses the keys must refuse or read
alike: `yarn buildN claude`, `env N=2 claude`, `env -u N`, `env ksh9N` (a shell's name with
digits), `env claudeN`, `yarn claudeN`, `yarn run buildN`, `yarn buildN | sh`, `env N > f`, a
file named by the digits written and run (`./N`), `sudo env N`, `x=N env N`, `echo env N`.
DIGIT_PLAIN keeps _plain_line's reading of a line with an and-or list or a pipe under the line with
each digit made `0` where no command's first word holds a digit: its plain lines hold digits in
first words (`ksh9N`, `linuxN`, `pythonN`, `{d}`), in a wrapper's or a builtin's operands
(`timeout N`, `exit N`, `set -N`, `kill -N`) and in install verbs (`npm iN`); test_the_same_place
takes a key kept from another file at the same place (nothing moved).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell import harness, shell
from aishell.harness import HARNESS_WORDS, NPM_INSTALL, NPM_ONLY_INSTALL
from aishell.model import parse

from tests.runs import read_switched, switched
from tests.test_digit_read_fast import _record

_SWITCHES = ("DIGIT_SCRIPTS", "DIGIT_ENV", "DIGIT_PLAIN")

# Commands with `{d}` where digits go (each RUN of a file its own), others as they are.
_NAMED = [
    "yarn build{d}",
    "pnpm t{d}",
    "yarn b{d}x",
    "yarn build:{d}",
    "yarn test-{d}.x",
    "yarn build{d}a{d}",
    "yarn build{d} claude",
    "yarn build{d} -v",
    "yarn claude{d}",
    "yarn run build{d}",
    "yarn {d}",
    "yarn -{d}",
    "yarn dlx{d}",
    "yarn add{d}",
    "yarn build{d} | sh",
    "yarn build{d} > /f",
    "echo yarn build{d} | sh",
    "/usr/bin/yarn build{d}",
    "env {d}",
    "env {d} claude",
    "env {d}=2 claude",
    "env -u {d}",
    "env -u x {d}",
    "env ksh9{d}",
    "env ksh{d}",
    "env linux{d}",
    "env claude{d}",
    "env {d} | sh",
    "env {d} > f",
    "env {d} 2>&1",
    "sudo env {d}",
    "x={d} env {d}",
    "echo env {d}",
    "env {d}x",
    "/usr/bin/env {d}",
    "env",
]
_OTHERS = [
    "claude -v",
    "npm ci",
    "echo {d}",
    'echo "x{d}" > /f',
    ": {d}",
    "./{d}",
    "./build{d}",
    "sh build{d}",
    ". ./{d}",
    "chmod +x {d}",
    "echo claude > {d}",
    "echo claude > build{d}",
    "printf claude > {d}",
    "exit {d}",
    "set -e",
    "true",
    "false",
    "x={d}",
    "$x",
    "${d} -v",
    "[ {d} -eq 0 ]",
    "sleep {d}",
    "shift {d}",
    "f",
]
# Plain lines' commands (_plain_line reads them, DIGIT_PLAIN keeps its reading): digits in words
# after the first, and near misses with digits in a first word, a wrapper's, an install verb.
_PLAIN = [
    "echo {d}",
    "echo x{d}y{d}",
    "apt-get install -y python{d}",
    "npm install -g @anthropic-ai/claude-code@1.0.{d}",
    "npm i{d}",
    "yarn add x@{d}",
    "ksh{d} -c claude",
    "linux{d} claude",
    "python{d} -m x",
    "/usr/bin/python{d} x",
    "claude{d} -v",
    "{d}",
    "timeout {d} claude",
    "nice -n {d} claude",
    "exit {d}",
    "return {d}",
    "set -{d}",
    "sleep {d}",
    "x={d}",
    "x{d}=1 claude",
    "cd /{d}",
    "sh /s{d}.sh",
    "shift {d}",
    "kill -{d} 1",
    "trap claude {d}",
    "wait {d}",
    "sudo -u {d} claude",
    "xargs -n {d} claude",
    "chmod {d} /f",
    "mkdir -p /a{d}",
    "if true; then claude {d}; fi",
    "for x in {d}; do claude; done",
    "claude -v #{d}",
]
_OPS = [" && ", " || ", "; ", " & ", " | ", "\n"]
# Digits of one length each (the keys keep the length, DIGIT_MEMO's not), others among them.
_DIGITS = ["0", "1", "7", "9", "42", "13", "93", "100", "2", "32"]


def _text(line: str, digits: list[str]) -> str:
    return "FROM debian\n" + "".join("RUN " + line.replace("{d}", d).replace("\n", " \\\n  ") + "\n" for d in digits)


def _same(line: str, digits: list[str] = _DIGITS) -> None:
    text = _text(line, digits)
    on = read_switched(text, _SWITCHES, True, _record)
    off = read_switched(text, _SWITCHES, False, _record)
    assert on == off, text


def _line(pieces: list[str], ops: list[str]) -> str:
    out = pieces[0]
    for op, piece in zip(ops, pieces[1:]):
        out += op + piece
    return out


_SHAPE = ["claude -v && yarn build{d}", "claude -v && env {d}"]


def test_the_shapes_lines():
    # The shape's (benchmarks/scale.py refused_line_runs) and lines near them: the memos make
    # the later lines of the first (counted), never otherwise than the reader and the walk.
    for line in [*_SHAPE, *(p + " && claude -v" for p in _NAMED)]:
        _same(line)
    made = []
    read = shell._digit_read
    try:
        shell._digit_read = lambda s, first: made.append(got := read(s, first)) or got
        with switched(("DIGIT_READ", "DIGIT_MEMO", *_SWITCHES), True):
            for line in _SHAPE:
                shell._DIGIT_READS.clear()
                for d in ("1", "7", "9"):
                    ins = parse(_text(line, [d])).instructions[1]
                    shell.analyse_run(ins)
                    walked = shell._WALKED.copy()
                    shell.failing_starts(ins)
                    assert shell._WALKED == walked or d == "1"  # (the memo answers the later ones)
    finally:
        shell._digit_read = read
    assert sum(got[0] is not None for got in made) == 2 * len(_SHAPE)  # (each line's first is read)


# (The shell's memos, of what was read: not names it looks up.)
_MEMOS = {
    "_ROWS",
    "_PLAIN_FIRSTS",
    "_LONG_NAMES",
    "_BODIES",
    "_NONE_VALUES",
    "_ECHO_MEMO",
    "_ONE_LINES",
    "_STDIN_READS",
    "_SEEN",
    "_ONE_NAMES",
    "_WALKED",
    "_DIGIT_READS",
    "_SHARED",
}


def test_no_name_of_digits():
    # What the keys rest on: no name the reader or the walk looks a command's name up in is of
    # digits alone, and no subcommand of a package manager holds a digit.
    for module in (shell, harness):
        for name, value in vars(module).items():
            if isinstance(value, (set, frozenset, dict)) and name not in _MEMOS and name[:2] != "__":
                for k in value:
                    if isinstance(k, str):
                        assert not k.isdigit(), (name, k)
    subs = set(NPM_INSTALL) | set(NPM_ONLY_INSTALL) | set(HARNESS_WORDS)
    for pairs in (shell.TWO_WORD_RUNNERS, shell.PROJECT_EXEC, shell.PROJECT_SCRIPT_OR_BIN, shell._INSTALL_LINES):
        subs |= {w for pair in pairs for w in pair}
    assert not [w for w in subs if any(c.isdigit() for c in w)]


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(_NAMED + _OTHERS), min_size=1, max_size=4),
    st.lists(st.sampled_from(_OPS), min_size=3, max_size=3),
    st.lists(st.sampled_from(_DIGITS), min_size=2, max_size=4),
)
def test_generated_lines(pieces, ops, digits):
    _same(_line(pieces, ops), digits)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(_PLAIN + ["claude -v", "npm ci", "true", "f"]), min_size=1, max_size=4),
    st.lists(st.sampled_from([" && ", " || ", "; ", " & ", "\n"]), min_size=3, max_size=3),
    st.lists(st.sampled_from(_DIGITS), min_size=2, max_size=4),
)
def test_plain_lines(pieces, ops, digits):
    _same(_line(pieces, ops), digits)


def test_the_same_place():
    # A line of a key kept from another file, at the same place (nothing moved): the same
    # commands, names, tokens as read.
    lines = [
        "claude -v && env {d}",
        "claude -v && yarn build{d}",
        "echo {d} && claude -v",
        "echo {d}",
        'echo "{d}" > /f',
    ]
    for line in lines:
        got = []
        for on in (True, False):
            with switched(("DIGIT_READ", "DIGIT_MEMO", *_SWITCHES), on):
                for d in ("1", "7"):
                    ins = parse(_text(line, [d])).instructions[1]
                    got.append(_record(ins))
        assert got[:2] == got[2:], line


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(_NAMED), min_size=1, max_size=2),
    st.lists(st.sampled_from(_OTHERS), min_size=1, max_size=2),
    st.lists(st.sampled_from(_OPS), min_size=3, max_size=3),
)
def test_named_among_others(named, others, ops):
    _same(_line(named + others, ops), ["1", "7", "3", "93"])
    _same(_line(others + named, ops), ["5", "2", "8", "32"])
