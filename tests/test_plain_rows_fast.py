"""The general reader's rows: a plain command after a list operator, one token (issue 18, "made
files and harness calls").

aishell/shell.py's token_chunks, for the general reader's splitter alone (``rows``), reads an
`&&`, `||` or `;` and the simple command of plain words one blank apart after it, that a list
operator, a newline or the end follows, as a row, and rows one after another as one "rows" token
(one regex match); _Splitter._rows reads its operators and rows in one loop and records such a
command itself (_Reader._record_row) where _feed would only note the item and record it at the
operator after it (PLAIN_DIRECT's case), and reads a pair through _feed otherwise (a "row" token
_feed records, or reads word by word: _row_tokens); _handing gives the status walk the words
(PLAIN_ROWS).

The tests: the rows' words are token_chunks' own words, on scripts of the shell's syntax (the
pieces of tests/test_shell_fast.py and words, blanks, continuations and operators around rows);
every pair of commands of tests/test_splitter_fast.py and of commands that are rows or nearly
(keywords, case patterns, `for` headers, digits, braces, tabs, two blanks, comments, long rows,
wrappers, files made), after each list operator and in nested scripts, read and linted the same
with PLAIN_ROWS on and off (and with the splitter's other short ways off); the walk is handed
words; and the benchmark's line is read through rows.
"""

from __future__ import annotations

from itertools import chain, product

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell

from tests.switched import read_switched
from tests.test_shell_fast import _PIECES as _SYNTAX
from tests.test_splitter_fast import _COMMANDS, _pairs, _text

_ROW_PIECES = [
    " && ",
    "&&",
    " || ",
    "; ",
    ";",
    ";;",
    " ;& ",
    " & ",
    " | ",
    " ",
    "  ",
    "\t",
    " \\\n ",
    "\\\n",
    "\n",
    " # c\n",
    "ln -s x claude",
    "claude -v",
    "a b c d e f g h i j",
    "x2",
    "2",
    "{",
    "}",
    "a{b}",
    "in",
    "esac",
    "do",
    "x=1",
    "(",
    ")",
    "<<EOF\nb\nEOF\n",
    "> f",
    "-",
    "!",
]


def _words(chunks) -> list:
    """The tokens of ``chunks``, each row as its words (what the splitter reads of it)."""
    out = []
    for t in chain.from_iterable(chunks):
        if t.kind == "rows":
            out += shell._rows_tokens(t)
        else:
            out.append(t)
    return out


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_SYNTAX + _ROW_PIECES + _ROW_PIECES), max_size=40).map("".join))
@example("true \\\n && ln -s x claude; claude -v \\\n && cd /o8 && install -m 755 -t bin8 ./claude; x")
@example("a; b \\\n c; d \\\n\\\n && e f\n")
@example("a;;b c; d e;;")
def test_the_rows_words_are_token_chunks_own(script):
    """token_chunks with rows gives the operators and words it gives without (a row's words
    one blank apart, as written), the same bodies of $( ), with definitions read as one token
    and without."""
    for definitions in (True, False):
        subs: list = []
        rows = list(shell.token_chunks(script, subs, definitions, True))
        plain_subs: list = []
        plain = list(shell.token_chunks(script, plain_subs, definitions))
        assert _words(rows) == list(chain.from_iterable(plain))
        assert subs == plain_subs
        for t in chain.from_iterable(rows):
            if t.kind == "rows":
                assert script[t.a : t.b] == t.text
                for p in shell._ROW_SPLIT.finditer(t.text):
                    assert "  " not in p[2] and p.end() <= len(t.text)


# Commands that are rows, or nearly, or whose words a row's first word would be read as syntax.
_ROW_COMMANDS = [
    "ln -s x claude",
    "claude  -v",
    "claude\t-v",
    "claude -v \\\n --x",
    "claude -v # c",
    "echo a b c d e f g h i claude",
    "in claude",
    "esac",
    "done",
    "then claude",
    "do claude",
    "for c in claude codex; do $c; done",
    "case a in a) claude;; esac",
    "case a in\na) claude -v;;\nb) x;;\nesac",
    "cd /o",
    "echo 2 claude",
    "echo { claude",
    "function h",
    "h() { claude; }",
    "x=1 claude",
    "sh -c 'a; claude -v; b c'",
    "( a; claude -v )",
    "{ a; claude -v; }",
    "echo $(a; claude -v)",
    "sudo claude",
    "printf x > claude",
    "./claude -v",
    "chmod +x claude",
]


def _rows_both(text: str, **others: bool):
    rows = read_switched(text, PLAIN_ROWS=True, **others)
    assert rows == read_switched(text, PLAIN_ROWS=False, **others)
    return rows


def test_pairs_of_commands_read_the_same_with_rows_and_without():
    """Every pair of commands (the splitter's short ways' and the rows' own) after each other,
    each list operator and `|` between them, then the first again; at the top level and in a
    `sh -c` string (a nested script: read again, its commands' places kept once). Each operator
    between every pair and before every first one again (tests/covering.py: 15,125 scripts, not
    the product's 45,375)."""
    scripts = _pairs(_COMMANDS + _ROW_COMMANDS)
    found = 0
    for k in range(0, len(scripts), 2048):
        found += len(_rows_both(_text(scripts[k : k + 2048]))[1])
    assert found > 2000
    nested = [f'sh -c "true; {a}; {b} && {a}"' for a, b in product(_ROW_COMMANDS, repeat=2) if '"' not in a + b]
    _rows_both(_text(nested))


def test_rows_on_lines_with_heredocs():
    """A RUN line with heredocs (the reader numbers them; one a group reads is moved first, and
    that line has no rows), its bodies fed to shells or data."""
    lines = [
        "cat <<X && ln -s x claude; claude -v\nclaude -v\nX",
        "cat <<X | sh && ln -s x claude; claude -v && y\nclaude -v\nX",
        "sh <<X && claude -v; a b\nclaude -v; c d\nX",
        "( sh ) <<X && x; claude -v\nclaude -v\nX",
        "{ sh; } <<X && x; claude -v\nclaude -v; x y\nX",
        "true; cat <<X > s.sh && x; sh s.sh; y z\nclaude -v\nX",
        "bash <<'X' && a; claude -v\nf() { claude; }; f; g h\nX",
    ]
    runs = [(a.split("\n", 1), b) for a, b in product(lines, ["claude -v", "x y; z"])]
    text = "FROM aishell:foundation\n" + "".join(f"RUN {line}; {b}\n{bodies}\n" for (line, bodies), b in runs)
    assert len(_rows_both(text)[1]) > 10


_LIST_PIECES = ["a b", "ln -s x claude", "claude -v", "c=claude", "c=echo", "$c -v", "[ -f x ]", "true", "false"]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_LIST_PIECES), st.sampled_from([" && ", " || ", "; ", " \\\n && ", ";\\\n "])),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["true 'q'; ", "c=echo; ", "set -e; c=echo; "]),
)
@example([("a b", " && "), ("c=claude", " && "), ("a b", "; "), ("$c -v", "; ")], "c=echo; ")
@example([("[ -f x ]", " && "), ("c=claude", "; "), ("a b", " || "), ("$c -v", "; ")], "c=echo; ")
def test_rows_among_assignments_and_lists_read_the_same(pieces, head):
    """Rows among assignments, tests and calls of a variable joined by each list operator (the
    and-or lists the reader keeps for an assignment's sureness: _Reader.and_or, which _rows
    does inline): read and linted the same with rows and without, and with ROWS_INLINE off."""
    text = "FROM aishell:foundation\nRUN " + head + "".join(p + op for p, op in pieces) + "$c -v\n"
    rows = _rows_both(text)
    assert rows == read_switched(text, PLAIN_ROWS=True, ROWS_INLINE=False)


def test_rows_with_the_other_short_ways_off():
    """With the splitter's short ways off (FIRST_WORDS, PLAIN_FIRSTS, PLAIN_DIRECT), a row is
    read word by word; with ROWS_INLINE off, _Splitter._rows records each through _record_row:
    the same again."""
    scripts = [f"true 'q'; {a} && {b}; {a}" for a, b in product(_COMMANDS + _ROW_COMMANDS, repeat=2)]
    for switch in ("FIRST_WORDS", "PLAIN_FIRSTS", "PLAIN_DIRECT", "ROWS_INLINE"):
        _rows_both(_text(scripts), **{switch: False})


def test_the_walk_is_handed_words():
    """A line of definitions with rows among them: what _handing packs for the walk is
    token_chunks' words (no row), handed (every chunk packed, and as the benchmarks' lines are:
    mostly definitions, counted in words)."""
    s = "f() { echo hi; }; " * 20 + "g; claude -v; " + "f() { echo hi; }; " * 20 + "h && x y"
    saved = shell.TOKEN_CHUNK, shell.HAND_DEFS
    try:
        for chunk, defs in ((1, 0), (3, 0), (4096, 0), (4096, 8)):
            shell.TOKEN_CHUNK, shell.HAND_DEFS = chunk, defs
            read = list(shell._handing(s, shell.token_chunks(s, [], True, True)))
            assert any(t.kind == "rows" for t in chain.from_iterable(read))
            handed = shell._handed(s)
            assert handed is not None
            assert list(chain.from_iterable(handed)) == list(chain.from_iterable(shell.token_chunks(s, [], True)))
    finally:
        shell.TOKEN_CHUNK, shell.HAND_DEFS = saved
        shell._HANDED[0] = None


def test_the_benchmark_line_is_read_through_rows():
    """The made-files line: its `ln -s x claude; claude -v` lines are rows the splitter records
    itself (none of their commands recorded through _command or _record_plain but the `ln`
    after `printf x > claude`, where a file is held), with ROWS_INLINE (_Splitter._rows
    records them) and without (_record_row does)."""
    units = "".join(
        " \\\n && ln -s x claude; claude -v"
        if i % 8
        else f" \\\n && cd /o{i} && install -m 755 -t bin{i} ./claude && PATH=/p{i}:$PATH; printf x > claude"
        f" && f{i}() {{ f{i - 1}; }}; f{i} | cat; trap 'x' $S{i}; claude -v"
        for i in range(64)
    )
    text = "FROM aishell:foundation\nRUN true" + units + "\n"
    real_plain, real_command = shell._Reader._record_plain, shell._Reader._command
    for inline in (True, False):
        calls = []

        def plain(self, m, words, *args):
            calls.append(words[0].text)
            return real_plain(self, m, words, *args)

        def command(self, m, toks, *args):
            calls.append(toks[0].text)
            return real_command(self, m, toks, *args)

        shell._Reader._record_plain, shell._Reader._command = plain, command
        try:
            runs, _ = read_switched(text, PLAIN_ROWS=True, ROWS_INLINE=inline)
        finally:
            shell._Reader._record_plain, shell._Reader._command = real_plain, real_command
        assert 1 <= calls.count("ln") <= 8 and calls.count("claude") <= 8
        assert str(runs).count("'ln', '-s', 'x', 'claude'") == 56
    _rows_both(text)
