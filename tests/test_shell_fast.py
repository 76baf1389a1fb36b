"""The shell reader's fast paths give what its general code gives (issue 18, "Linear by design").

aishell/shell.py reads the common shapes of a script a faster way: tokens by one re.finditer
walk (the regex _FAST, not the character loop), a nested script of plain words (`$(date)`)
without the tokenizer and splitter, a command whose name is no wrapper (or a wrapper with no
option after it) without the wrapper checks (PLAIN_COMMANDS), a script of plain commands only
in one loop (PLAIN_SCRIPTS), the status walk on the tokens that loop kept (REUSE_TOKENS). Each
test here reads the same input both ways, the general way with _FAST matching nowhere and the
three flags off, and compares everything a rule can see: every command's argv, spans, start,
end, nesting, item and runner flag, the items, exact and truncated (and the commands that
decide the RUN's status). The inputs are generated from the pieces of the shell's syntax
(quotes, escapes, $( ), backticks, heredocs, comments, operators, keywords, wrappers, `sh -c`,
`eval`, package runners), as a RUN line, a continued RUN and a RUN heredoc, plus every RUN of
the corpus.
"""

import re
from itertools import chain

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.model import DockerfileSyntaxError, parse

from tests.conftest import corpus_files
from tests.test_ais002_fast import STEPS
from tests.test_status_walk_fast import _functions_in_context
from tests.growth import cpu_time
from tests.runs import read_runs

_NOWHERE = re.compile(r"(?!)")


def _dump(script: shell.Script):
    for c in script.commands:  # the name kept with each command is its argv's
        assert c.name == (c.argv[0].rsplit("/", 1)[-1] if c.argv else "")
        spans = list(c.spans)  # (indexed as iterated: the spans may be a view of a longer list)
        assert len(c.spans) == len(spans) and c.spans[1:] == spans[1:]
        assert not spans or (c.spans[0], c.spans[-1]) == (spans[0], spans[-1])
    return (
        [(c.argv, list(c.spans), c.start, c.end, c.nested, c.item, c.runner) for c in script.commands],
        list(script.items),
        script.exact,
        script.truncated,
    )


def _both(read):
    """read() the fast way, then the general way (a fresh cache of RUN texts each time; the
    status walk tokenizing the line again)."""
    saved = shell._FAST, shell.PLAIN_COMMANDS, shell.PLAIN_SCRIPTS, shell.REUSE_TOKENS, shell._SEEN
    shell._SEEN = {}
    try:
        fast = read()
        shell._FAST, shell.PLAIN_COMMANDS, shell.PLAIN_SCRIPTS, shell.REUSE_TOKENS, shell._SEEN = (
            _NOWHERE,
            False,
            False,
            False,
            {},
        )
        general = read()
    finally:
        shell._FAST, shell.PLAIN_COMMANDS, shell.PLAIN_SCRIPTS, shell.REUSE_TOKENS, shell._SEEN = saved
    return fast, general


def _runs(text: str):
    """The RUN scripts of a Dockerfile, read from a fresh parse (analyse_run keeps its result)."""
    got = read_runs(text)
    return None if got is None else [_dump(script) for _, script in got[1]]


_PIECES = [
    "echo",
    "claude",
    "x1",
    "-C",
    "-u",
    "node",
    "/src/p1",
    "date",
    "a#b",
    "9",
    "FOO=1",
    "=x",
    " ",
    "  ",
    "\t",
    "\r",
    "\n",
    "\\\n",
    "\\",
    "\f",
    "'",
    '"',
    "'a b'",
    '"$x y"',
    # words the token regex reads with their quotes, `$` and escapes (and some it leaves to the loop)
    '"a\\"b"',
    "x'y'z",
    "a\\ b",
    '"$((1))"',
    '"x`y`"',
    '"a$(b)"',
    "$HOME/x",
    "${x}",
    "'",
    "`",
    "`date`",
    "$",
    "$x",
    "$(",
    "$((",
    "$(date)",
    "$(a b)",
    "$( uname -m )",
    "$(sudo x)",
    "$(if)",
    "$({)",
    "$(for x)",
    "$(# c)",
    "$(a\tb\r)",
    "(",
    ")",
    "{",
    "}",
    "&&",
    "||",
    ";",
    ";;",
    "|",
    "&",
    "|&",
    "2>",
    ">",
    "<",
    "<<<",
    "<<EOF",
    "<<-'E'",
    "EOF",
    "\tE",
    "#",
    "# c",
    "=",
    "if",
    "then",
    "fi",
    "for",
    "do",
    "done",
    "in",
    "case",
    "esac",
    "!",
    "sudo",
    "env",
    "-S",
    "timeout",
    "5",
    "command",
    "-v",
    "exec",
    "find",
    "-exec",
    "\\;",
    "su",
    "-c",
    "runuser",
    "eval",
    "npx",
    "npm",
    "x",
    "bash",
    "sh",
    "-e",
    "cat",
    "printf",
    "flock",
]

_script = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=600, deadline=None)
@given(_script)
def test_a_script_reads_the_same_both_ways(script):
    fast, general = _both(lambda: _dump(shell.analyse_text(script)))
    assert fast == general


@settings(max_examples=300, deadline=None)
@given(_script, st.sampled_from(["RUN {}\n", "RUN true \\\n && {} \\\n && echo $(date)\n", "RUN <<EOF\n{}\nEOF\n"]))
def test_a_run_reads_the_same_both_ways(script, form):
    text = "FROM a\n" + form.format(script) + "RUN echo $(date) ok\n"
    fast, general = _both(lambda: _runs(text))
    assert fast == general


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["$(date)", "$( a  b )", "$(sudo -u n x)", "`a b`", "$(if)", "c"]), max_size=20))
def test_plain_nested_commands_read_the_same_both_ways(subs):
    """The plain-words shortcut for nested scripts, many of them in one script."""
    script = "\n".join(f"echo {s} && make {s}" for s in subs)
    fast, general = _both(lambda: _dump(shell.analyse_text(script)))
    assert fast == general


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "claude", "-v", "<(x)", ">(y)", "$(d)", "x=1", "'q'"]),
            st.sampled_from([" ", "  ", "\t", "", " \\\n "]),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_a_command_of_words_a_blank_apart_reads_the_same_both_ways(words):
    """_record_plain keeps only the first word's start when the words are one space apart (the
    command's text is its words joined by spaces): whatever the blanks between them (two, a tab,
    a continuation, none after `<(x)`), the spans are the general path's."""
    script = "".join(w + gap for w, gap in words)
    fast, general = _both(lambda: _dump(shell.analyse_text(script)))
    assert fast == general


# Pieces of plain scripts (PLAIN_SCRIPTS), and the few that make a script not plain, so that most
# generated scripts take the plain loop and the others leave it at any point.
_PLAIN_PIECES = [
    "echo",
    "make",
    "claude",
    "-C",
    "/src/p1",
    "a#b",
    "9",
    "2",
    "X=1",
    "cat",
    "printf",
    "bash",
    "sh",
    "-s",
    "-c",
    "sudo",
    "npx",
    "eval",
    "$(date)",
    "$( a  b )",
    "$(sudo -u n x)",
    "$(echo x | sh)",
    "$(a;b)",
    "$(if)",
    "$()",
    " ",
    " ",
    "\t",
    "\r",
    "\n",
    "&&",
    "||",
    ";",
    "&",
    "|",
]
_PLAIN_ODD = [
    "if",
    "{",
    "}",
    "!",
    "do",
    "for",
    "case",
    ";;",
    "|&",
    "(",
    ")",
    "#",
    "# c",
    ">x",
    "'q'",
    "$x",
    "\\",
    "\f",
    "<<E",
]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(_PLAIN_PIECES), st.sampled_from(_PLAIN_PIECES), st.sampled_from(_PLAIN_ODD)),
        max_size=40,
    ).map("".join),
    st.sampled_from(["{}", "RUN {}\n", "RUN <<EOF\n{}\nEOF\n", "RUN true \\\n && {}\n"]),
)
def test_a_plain_script_reads_the_same_both_ways(script, form):
    """The plain-script loop (words, simple $( ), && || ; & | and newlines) on scripts of those
    pieces, with now and then one that makes the script not plain: as a script, a RUN line, a
    RUN heredoc and a continued RUN."""
    if form == "{}":
        fast, general = _both(lambda: _dump(shell.analyse_text(script)))
    else:
        text = "FROM a\n" + form.format(script)
        fast, general = _both(lambda: _runs(text))
    assert fast == general


def test_the_plain_script_loop_reads_a_dense_heredoc():
    """The benchmark's dense heredoc takes the plain loop (and reads as the general path does)."""
    body = "".join(f"echo $(date) claude{i} && make -C /src/p{i} install\n" for i in range(50))
    reader = shell._Reader()
    assert reader._read_plain(shell._Mapped(body, range(len(body))), False, None) is not None
    fast, general = _both(lambda: _runs("FROM x\nRUN <<EOF\n" + body + "EOF\n"))
    assert fast == general


def test_the_corpus_runs_read_the_same_both_ways():
    """Every RUN of the corpus: its commands, and those that decide its status."""
    runs = []
    for path in corpus_files():
        try:
            df = parse(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, OSError, DockerfileSyntaxError):
            continue
        runs += [i for i in df.instructions if i.keyword in ("RUN", "ONBUILD")]
    if not runs:
        pytest.skip("no corpus")

    def read():
        for ins in runs:  # parsed once: what analyse_run kept is dropped before each reading
            ins.shell = None
            if ins.sub is not None:
                ins.sub.shell = None
        return [(_dump(shell.analyse_run(i)), shell.failing_starts(i)) for i in runs]

    fast, general = _both(read)
    assert fast == general


def test_a_long_plain_word_before_a_stop_stays_linear():
    """The plain-command check on a nested script that is not one: matched once, no backtracking
    over the ways to cut a long word (an earlier pattern took exponential time here)."""
    start = cpu_time()
    script = shell.analyse_text("echo $(" + "a" * 200_000 + ";b)")
    assert [c.name for c in script.commands] == ["echo", "a" * 200_000, "b"]
    assert cpu_time() - start < 10 * 0.5


@pytest.mark.parametrize("word", ["a'b'", 'a"b"', "a\\b", "$x", "'a'\"$b\""])
def test_a_long_quoted_word_before_a_stop_stays_linear(word):
    """The token regex on a long word of quoted pieces that ends where no word may (`(`): matched
    once and left to the loop, which reads it as the general path does (no backtracking blow-up)."""
    start = cpu_time()
    text = "echo " + word * 40_000 + "(x)"
    fast, general = _both(lambda: _dump(shell.analyse_text(text)))
    assert fast == general
    assert cpu_time() - start < 10 * 1.0


@pytest.mark.parametrize("joint", ["", " ", "\\\n"], ids=["no blank", "blank", "continued"])
def test_a_script_that_is_not_plain_is_left_at_its_first_odd_character(joint, monkeypatch):
    """The plain-script loop reads a script a block at a time and must leave at the first odd
    character, not read on to the end of a long line: every `$(` level nested in one line
    without blanks had it read the rest of the line (nested `$(` at 2 MB: 2.5 s, 7.5 MB: 15.7 s,
    against 0.6 s). Counted in characters the token regex is given, so no timing."""
    real = shell._PLAIN_SCRIPT
    read: list[int] = []

    class Counting:
        def findall(self, s, pos=0, endpos=None):
            endpos = len(s) if endpos is None else min(endpos, len(s))
            read.append(endpos - pos)
            return real.findall(s, pos, endpos)

        def finditer(self, s, pos=0):
            for x in real.finditer(s, pos):
                read.append(x.end() - x.start())
                yield x

    monkeypatch.setattr(shell, "_PLAIN_SCRIPT", Counting())
    k = 30_000
    text = "echo " + joint.join("$(" for _ in range(k)) + "claude" + ")" * k
    shell.analyse_text(text)
    assert sum(read) < 16_384, f"{sum(read):,} characters read by the plain loop in {len(read)} calls"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "bb", "x/y", "$(x y)", "$(z)", "&&", "||", "|", ";", "&"]), st.integers(1, 6)),
        min_size=100,
        max_size=600,
    )
)
def test_long_plain_lines_read_the_same_wherever_the_blocks_are_cut(parts):
    """The plain-script loop cuts a long line before a blank: runs of blanks across the cut, a
    `$( )` cut in two, operators next to the cut all read as the general path reads them."""
    text = "echo " + "".join(w + " " * k for w, k in parts)
    fast, general = _both(lambda: _dump(shell.analyse_text(text)))
    assert fast == general


# Wrappers in a row with and without options, operands and assignments after them (the
# no-option shortcut of _Reader._command, PLAIN_COMMANDS), and words that are no wrapper.
_WRAPPER_PIECES = sorted(shell.WRAPPERS) + [
    "-u",
    "x",
    "-n",
    "5",
    "--",
    "-",
    "A=1",
    "=x",
    "-c",
    "'-v'",
    "'x'",
    "a\\b",
    "/",
    "--user=x",
    "claude",
    "-v",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_WRAPPER_PIECES), min_size=1, max_size=30).map(" ".join))
def test_wrapper_chains_read_the_same_both_ways(script):
    """Every wrapper, with no option after it (the shortcut: its command right after its
    operands) or with one (the general walk), in a row, as a script and a nested one."""
    for text in (script, f"echo $({script})", f"sh -c '{script}'"):
        fast, general = _both(lambda: _dump(shell.analyse_text(text)))
        assert fast == general


def _failing(text: str, shell_state=shell.DEFAULT_SHELL):
    """failing_starts of each RUN, after analyse_run (which keeps a plain line's tokens)."""
    got = read_runs(text)
    return None if got is None else [sorted(shell.failing_starts(ins, shell_state)) for ins, _ in got[1]]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_PLAIN_PIECES),
            st.sampled_from(_PLAIN_PIECES + ["time", "nohup", "timeout", "exit", "set", "-e", "trap", "xargs"]),
            st.sampled_from(_PLAIN_ODD),
        ),
        max_size=40,
    ).map("".join),
    st.sampled_from(["RUN {}\n", "RUN <<EOF\n{}\nEOF\n", "RUN true \\\n && {}\n", "RUN cat <<E | sh && {}\nx\nE\n"]),
    st.sampled_from([shell.DEFAULT_SHELL, (True, True), None]),
)
def test_the_status_walk_reads_the_same_both_ways(script, form, shell_state):
    """failing_starts the fast way (the tokens analyse_run kept for a plain RUN line,
    REUSE_TOKENS; the reader's shortcuts for each simple command) and the general way (the line
    tokenized again, every shortcut off): the same commands decide, for every SHELL."""
    text = "FROM a\n" + form.format(script)
    fast, general = _both(lambda: _failing(text, shell_state))
    try:
        shell.REUSE_TOKENS = False
        again = _failing(text, shell_state)  # (the kept tokens alone off)
    finally:
        shell.REUSE_TOKENS = True
    assert fast == general == again


def test_a_plain_run_line_keeps_its_tokens_for_the_status_walk():
    """The shortcut is taken: a plain line's script holds its tokens, the walk tokenizes nothing."""
    df = parse("FROM a\nRUN time nohup claude -v && echo ok | cat\n")
    ins = df.instructions[1]
    script = shell.analyse_run(ins)
    assert list(zip(script.tokens.texts, script.tokens.starts)) == [
        (t.text, t.a) for t in shell.tokenize(ins.logical[ins.args_start :])[0]
    ]
    # (Kept with the script, 4 bytes a token: an `&&` list of 770,000 commands holds 3 million.)
    assert script.tokens.starts.itemsize == script.tokens.ops.itemsize == 4
    called = []
    real = shell.token_chunks  # (tokenize's, and the walk's of a script read in chunks)
    try:
        shell.token_chunks = lambda s, subs, *more: called.append(s) or real(s, subs, *more)
        reused = shell.failing_starts(ins)
        assert not called
        shell.REUSE_TOKENS = False
        assert shell.failing_starts(ins) == reused
        assert called
    finally:
        shell.token_chunks, shell.REUSE_TOKENS = real, True
    assert reused  # (the walk marked something: `cat`)


_KEEP_STEPS = [
    "ARG V",
    "COPY package.json .",
    "COPY . .",
    "RUN npm ci && claude -v",
    "RUN pip install -r requirements.txt && echo $V",
    "RUN <<EOF\nnpm ci\nclaude -v\nEOF",
    "RUN <<EOF\nset -e\necho $V\ncodex --version\nEOF",
    "ONBUILD RUN <<EOF\nclaude -v\nEOF",
]


@settings(max_examples=100, deadline=None)
@given(
    lines=st.lists(st.sampled_from(_KEEP_STEPS + STEPS), max_size=12),
    keep=st.sampled_from([0, 1, 2]),
)
def test_a_script_let_go_is_read_again_the_same(lines, keep, tmp_path_factory):
    """analyse_run keeps the scripts of the last KEEP_SCRIPTS RUNs read on them: every rule finds
    the same whether a script is kept for the next reader or read again."""
    from aishell.lint import Options, lint_text

    folder = tmp_path_factory.mktemp("ctx")
    (folder / "package.json").write_text("{}")
    (folder / "requirements.txt").write_text("x\n")
    text = "FROM node\n" + "\n".join(lines) + "\n"
    path = str(folder / "Dockerfile")
    saved = shell.KEEP_SCRIPTS, shell._SEEN
    try:
        shell._SEEN = {}  # (each lint reads every RUN text afresh)
        kept = lint_text(text, path, Options(use_config=False)).findings
        shell._SEEN, shell.KEEP_SCRIPTS = {}, keep
        again = lint_text((text + " ")[:-1], path, Options(use_config=False)).findings  # (a new text: no rule's memo)
    except Exception as e:  # noqa: BLE001 (a file the model refuses: both ways)
        assert type(e).__name__ == "InputError"
        return
    finally:
        shell.KEEP_SCRIPTS, shell._SEEN = saved
    assert again == kept


# -- plain function definitions read as one token (PLAIN_DEFINITIONS) --------------------------


def _definitions_both(read):
    saved = shell.PLAIN_DEFINITIONS, shell._SEEN
    try:
        shell.PLAIN_DEFINITIONS, shell._SEEN = True, {}
        fast = read()
        shell.PLAIN_DEFINITIONS, shell._SEEN = False, {}
        general = read()
    finally:
        shell.PLAIN_DEFINITIONS, shell._SEEN = saved
    return fast, general


@settings(max_examples=800, deadline=None)
@given(_functions_in_context)
def test_a_definition_token_is_the_tokens_it_stands_for(script):
    """token_chunks' "def" token of a plain function definition stands for the tokens the
    general path gives its text (_definition_tokens), where a command may start and only there;
    the `$( )` bodies found are the same."""
    subs: list = []
    tokens = []
    for chunk in shell.token_chunks(script, subs, True):
        for t in chunk:
            if t.kind != "def":
                tokens.append(t)
                continue
            one_by_one = shell._definition_tokens(script, t)
            brace = next(k for k, u in enumerate(one_by_one) if u.text == "{")
            body = one_by_one[brace + 1 : -1]  # (its commands and their `;`s)
            commands, words = [], []
            for u in body:
                if u.kind == "op":
                    commands.append(words)
                    words = []
                else:
                    words.append(u)
            assert (t.text, shell._def_commands(t)) == (one_by_one[0].text, commands)  # (its name and commands' words)
            tokens.extend(one_by_one)
    assert (tokens, subs) == shell.tokenize(script)


@settings(max_examples=800, deadline=None)
@given(_functions_in_context, st.sampled_from(["RUN {}\n", "RUN <<EOF\n{}\nEOF\n", "RUN sh -c '{}'\n"]))
def test_a_definition_reads_the_same_both_ways(script, form):
    """The reader's commands, spans, items of scripts with plain function definitions read as
    one token each (_Splitter._definition) and read a token at a time."""
    text = "FROM a\n" + form.format(script.replace("'", "") if "'{}'" in form else script)
    fast, general = _definitions_both(lambda: _runs(text))
    assert fast == general


def test_the_benchmark_definitions_are_one_token_each():
    script = "".join(f" f{i}() {{ echo hi; }};" for i in range(100)) + " claude -v"
    kinds = [t.kind for chunk in shell.token_chunks(script, [], True) for t in chunk]
    assert kinds.count("def") == 100 and len(kinds) == 202
    fast, general = _definitions_both(lambda: _dump(shell.analyse_text(script)))
    assert fast == general and len(fast[0]) == 101


# Bodies of plain definitions, some the same as others but for their blanks, some whose first
# word is read as syntax (`then`, `!`): _definition's memo (_BODIES) holds both kinds.
_BODY = st.lists(
    st.tuples(
        st.sampled_from(["", " ", "  ", "\t"]),
        st.sampled_from(["echo hi", "echo  hi", "echo\thi", "f", "claude -v", "then", "!", "x !"]),
        st.sampled_from(["", " ", "\t "]),
    ),
    min_size=1,
    max_size=3,
).map(lambda cs: "".join(a + c + b + ";" for a, c, b in cs))


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["f", "g", "fn2", "then"]), st.sampled_from([" ", "  ", "\t"]), _BODY),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["; ", ";", "\n", " && ", " | "]),
)
def test_a_body_read_before_gives_the_tokens_read_afresh(definitions, separator):
    """token_chunks' tokens of definitions whose bodies _definition read before (the same text
    elsewhere, _BODIES) are those it gives reading every body afresh: the words' places are
    this definition's, a body read as syntax stays so."""
    script = separator.join(f"{name}() {{{blank}{body}{blank}}}" for name, blank, body in definitions) + "; claude"
    saved = shell._BODY_TEXT
    try:
        shell._BODIES.clear()
        remembered = list(chain.from_iterable(shell.token_chunks(script, [], True)))
        shell._BODY_TEXT = -1  # (every body longer: none remembered)
        afresh = list(chain.from_iterable(shell.token_chunks(script, [], True)))
    finally:
        shell._BODY_TEXT = saved
    assert remembered == afresh
