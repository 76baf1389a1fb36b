"""The status walk's shortcut for a plain simple command gives what its general path gives
(issue 18, "Linear by design").

aishell/shell.py's _StatusWalk._simple decides a command that _Reader.plain_name says the reader
records as it is, and that names nothing the walk reads after reading it (exit, return, ., exec,
eval, trap, set, a shell, a wrapper...: _WALK_NAMES), without reading it (FAST_SIMPLE). Each test
here computes failing_starts with the shortcut on and off and compares them, on scripts generated
from what changes the walk's answer: list and pipeline operators, `!`, `&`, subshells, groups,
conditions, functions that may end the shell (defined before or after their call), traps, `set
-e`/`-o pipefail`, aliases, files made (then `cd`, `chmod`), redirections, expansions, quotes,
and under each SHELL (POSIX with and without errexit and pipefail); plus every RUN of the corpus.
"""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.model import DockerfileSyntaxError, parse

from tests.conftest import corpus_files


def _walks(text: str, shells=(shell.DEFAULT_SHELL,)):
    """failing_starts of every RUN of ``text`` under each of ``shells``, with FAST_SIMPLE as set."""
    try:
        df = parse(text)
    except DockerfileSyntaxError:
        return None
    runs = [i for i in df.instructions if i.keyword in ("RUN", "ONBUILD")]
    return [sorted(shell.failing_starts(i, sh)) for i in runs for sh in shells]


def _both(read):
    saved = shell.FAST_SIMPLE
    try:
        shell.FAST_SIMPLE = True
        fast = read()
        shell.FAST_SIMPLE = False
        general = read()
    finally:
        shell.FAST_SIMPLE = saved
    return fast, general


_PIECES = [
    "claude -v",
    "claude",
    "codex x y",
    "./claude",
    "/usr/bin/claude -v",
    "bin/",
    "echo ok",
    "cat",
    "printf x",
    "tee /t",
    "true",
    "false",
    "make",
    "f",
    "g",
    "f() { exit 1; }",
    "g() { f; }",
    "f() { claude; }",
    "h() { return 1; }",
    "exit 0",
    "return",
    "exec claude",
    "exec",
    ". /x",
    "source /x",
    "logout",
    "eval exit",
    "eval claude",
    "trap 'exit 0' EXIT",
    "trap - EXIT",
    "trap x ERR",
    "set -e",
    "set +e",
    "set -o pipefail",
    "set -eo pipefail",
    "alias c=claude",
    "c -v",
    "command claude",
    "builtin claude",
    "sh -c 'claude -v'",
    "bash -e",
    "sudo claude",
    "find . -exec claude \\;",
    "xargs -r claude",
    "npx claude",
    "cd /a",
    "chmod +x claude",
    "printf x > claude",
    "claude > /log",
    "claude 2>&1",
    ">/log",
    "2>&1",
    "< /in",
    "echo claude",
    "echo claude | sh",
    "printf 'claude -v' | bash -e",
    "claude | echo claude | sh",
    ">/log claude -v",
    "2>/e echo claude | sh",
    "echo 'claude -v'",
    "sh",
    "X=1 claude",
    "$C -v",
    "'claude' -v",
    '"$x"',
    "`claude`",
    "$(claude)",
    "!",
    "&&",
    "&&",
    "||",
    ";",
    ";",
    "&",
    "|",
    "|",
    "\n",
    "( claude )",
    "{ claude; }",
    "(",
    ")",
    "{",
    "}",
    "if true; then claude; fi",
    "if claude; then exit; else claude; fi",
    "while claude; do claude; done",
    "for x in a; do claude; done",
    "case",
]

_script = st.lists(st.sampled_from(_PIECES), max_size=30).map(" ".join)
_SHELLS = (shell.DEFAULT_SHELL, (True, False), (True, True), (False, True), None)


@settings(max_examples=500, deadline=None)
@given(
    _script,
    st.sampled_from(
        [
            "RUN {}\n",
            "RUN true \\\n && {} \\\n && echo $(date)\n",
            "RUN <<EOF\n{}\nEOF\n",
            "RUN bash -e <<EOF\n{}\nEOF\n",
            'RUN ["sh", "-c", "{}"]\n',
            "ONBUILD RUN {}\n",
        ]
    ),
)
def test_the_status_walk_decides_the_same_both_ways(script, form):
    text = "FROM a\n" + form.format(script.replace('"', "") if form.startswith('RUN ["') else script)
    fast, general = _both(lambda: _walks(text, _SHELLS))
    assert fast == general


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["claude -v", "f", "g", "exit", "trap x EXIT", "alias f=claude"]), max_size=12))
def test_functions_defined_around_their_calls_decide_the_same_both_ways(calls):
    """A call of a function that may end the shell, defined before or after it, between plain
    commands (the shortcut still asks _may_end of each name it decides)."""
    body = " && ".join(calls) or "true"
    text = f"FROM a\nRUN g() {{ f; }}; {body}; f() {{ exit 1; }}; {body}\n"
    fast, general = _both(lambda: _walks(text, _SHELLS))
    assert fast == general


def test_the_shortcut_takes_an_and_list():
    """The benchmark's `&&` list of harness calls is decided by the shortcut (every call decides)."""
    text = "FROM node\nRUN true" + " && claude -v" * 200 + "\n"
    fast, general = _both(lambda: _walks(text))
    assert fast == general and len(fast[0]) == 201
    calls = []
    saved = shell._Reader._command
    shell._Reader._command = lambda self, *a: calls.append(a) or saved(self, *a)
    try:
        _walks(text)
    finally:
        shell._Reader._command = saved
    assert len(calls) < 5  # (not read again: one call each was the general path)


@pytest.mark.skipif(not corpus_files(), reason="corpus not present")
def test_the_corpus_runs_decide_the_same_both_ways():
    for path in corpus_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        fast, general = _both(lambda: _walks(text, _SHELLS))
        assert fast == general, path.name


# -- a plain line walked without its tree (PLAIN_WALK) ---------------------------------------

_PLAIN = [
    "claude -v",
    "true",
    "false",
    "exit 0",
    "set -e",
    "set +e",
    "set -o pipefail",
    "test -f x",
    "[ -f x ]",
    "command -v claude",
    "grep -q x f",
    "f",
    "function f",
    "trap x EXIT",
    "trap - EXIT",
    "sh -c x",
    "echo $(claude)",
    "X=1 claude",
    "alias c=claude",
    "c",
    "cd /a",
]
_PLAIN_OPS = ["&&", "||", ";", "|", "&", "\\\n", "\\\n&&", "; ;", "| \\\n"]
_plain_line = st.lists(st.one_of(st.sampled_from(_PLAIN), st.sampled_from(_PLAIN_OPS)), max_size=24).map(" ".join)


def _walked(text: str, shells):
    """failing_starts of each RUN of ``text`` once analyse_run kept its plain line's tokens."""
    try:
        df = parse(text)
    except DockerfileSyntaxError:
        return None
    runs = [i for i in df.instructions if i.keyword == "RUN"]
    for i in runs:
        shell.analyse_run(i)
    return [sorted(shell.failing_starts(i, sh)) for i in runs for sh in shells]


@settings(max_examples=600, deadline=None)
@given(_plain_line)
@example("test -f x || true && claude -v ; true")  # (a test's `&&`, then `||`: no test before claude)
@example("[ -f x ] && claude -v ; true")
@example("true && \\\n claude -v | cat ; claude -v & claude")
@example("claude -v && function f ; claude")
def test_a_plain_line_is_walked_as_its_tree_is(line):
    """The walk of a plain line's kept tokens without a tree (_StatusWalk._plain_lists and
    _plain_eval) marks what the tree's walk marks (_parse, _list_eval), for every SHELL: lists,
    and-or lists, pipelines, `&`, newlines after operators, operators where a command is
    expected (nothing is sure then), `set -e`, tests before `&&`, `exit`, traps."""
    text = "FROM a\nRUN " + line + "\n"
    saved = shell.PLAIN_WALK
    try:
        shell.PLAIN_WALK = True
        fast = _walked(text, _SHELLS)
        shell.PLAIN_WALK = False
        tree = _walked(text, _SHELLS)
    finally:
        shell.PLAIN_WALK = saved
    assert fast == tree


def test_a_plain_line_is_walked_without_its_tree():
    """The benchmark's `&&` list: its line's tokens are kept, and the walk builds no tree."""
    df = parse("FROM node\nRUN true" + " && claude -v" * 300 + "\n")
    ins = df.instructions[1]
    assert shell.analyse_run(ins).tokens is not None
    saved = shell._StatusWalk._parse
    shell._StatusWalk._parse = lambda self, toks: pytest.fail("a tree was built")
    try:
        assert len(shell.failing_starts(ins)) == 301
    finally:
        shell._StatusWalk._parse = saved


# -- heredoc bodies walked from their kept tokens, `RUN <<EOF` without its line ---------------

_BODY_OPS = _PLAIN_OPS + ["\n", "\n", "&&\n", "|\n"]
_body = st.lists(st.one_of(st.sampled_from(_PLAIN), st.sampled_from(_BODY_OPS)), max_size=24).map(" ".join)
_HEREDOC_FORMS = [
    "RUN <<EOF\n{}\nEOF\n",
    "RUN <<-'EOF'\n{}\nEOF\n",
    "RUN 3<<EOF\n{}\nEOF\n",
    "RUN <<EOF\n#!/bin/sh -e\n{}\nEOF\n",
    "RUN bash -e <<EOF\n{}\nEOF\n",
    "RUN cat <<EOF | sh\n{}\nEOF\n",
    "RUN <<A <<B\n{}\nA\n{}\nB\n",
    "RUN sh <<A && sh <<'B'\n{}\nA\n{}\nB\n",
    "RUN cat <<EOF > /s.sh && sh /s.sh\n{}\nEOF\n",
    "RUN <<EOF\n{} $(claude)\nEOF\n",
]


def _walked_both(text: str) -> tuple:
    """_walked with the kept tokens and the `RUN <<EOF` shortcut, and without (text read again)."""
    saved = shell.REUSE_TOKENS, shell.ONLY_HEREDOC
    try:
        shell.REUSE_TOKENS = shell.ONLY_HEREDOC = True
        fast = _walked(text, _SHELLS)
        shell.REUSE_TOKENS = shell.ONLY_HEREDOC = False
        general = _walked(text, _SHELLS)
    finally:
        shell.REUSE_TOKENS, shell.ONLY_HEREDOC = saved
    return fast, general


@settings(max_examples=600, deadline=None)
@given(_body, _body, st.sampled_from(_HEREDOC_FORMS))
@example("claude -v\necho 1", "", "RUN <<EOF\n{}\nEOF\n")  # (the benchmark's distinct heredoc RUNs)
@example("set -e\nfalse || true\nclaude -v", "exit 0", "RUN <<A <<B\n{}\nA\n{}\nB\n")
def test_heredoc_bodies_are_walked_from_their_kept_tokens(body, other, form):
    """A heredoc body read as a plain script keeps its tokens (Script.doc_tokens) and the walk of
    the body reads them, as it reads a plain line's; the line of `RUN <<EOF` (one redirection)
    is not walked (ONLY_HEREDOC). Both mark what the walk of the text marks, for every SHELL."""
    text = "FROM a\n" + form.format(body, other)
    fast, general = _walked_both(text)
    assert fast == general


def test_a_plain_body_is_walked_without_tokenizing_it():
    """The benchmark's distinct `RUN <<EOF` scripts: the body's tokens are kept, and the walk
    tokenizes nothing (neither the line nor the body) and builds no tree."""
    df = parse("FROM debian\n" + "".join(f"RUN <<EOF\nclaude -v\necho {i}\nEOF\n" for i in range(3)))
    saved = shell.tokenize, shell._StatusWalk._parse
    try:
        for ins in df.instructions[1:]:
            script = shell.analyse_run(ins)
            assert script.doc_tokens is not None and 0 in script.doc_tokens
            shell.tokenize = lambda s: pytest.fail("tokenized again")
            shell._StatusWalk._parse = lambda self, toks: pytest.fail("a tree was built")
            assert shell.failing_starts(ins) == {script.commands[1].spans[0][0]}  # (`echo N`: the last)
            shell.tokenize, shell._StatusWalk._parse = saved
    finally:
        shell.tokenize, shell._StatusWalk._parse = saved


# -- one walk for the plain lines of the same first words and operators (WALK_MEMO) -----------

# First words (what the memo's key holds) and other words (what it leaves out), each from what
# the walk reads or may: its names, guards, feeders, wrappers, shells, aliases, paths, quotes,
# expansions, globs, assignments, the harnesses.
_FIRSTS = (
    "claude codex echo true false make cat tee printf c f ./claude /usr/bin/claude exit return exec eval trap set "
    "command builtin test [ grep sh bash sudo env xargs alias . source cd chmod function X=1 $C 'claude' cla*de if ! "
    "export shift"
).split()
_OTHERS = [
    *"-v -e +e -o pipefail -q -f x 1 42 claude codex exit /usr/local/bin/claude ./s.sh $HOME $(claude) * ? [a]".split(),
    *'c=claude -- ] EXIT 0 "$x"'.split(),
    "'claude -v'",
]
_OPS = ["&&", "||", ";", "|", "&", "\\\n", "\\\n&&"]
_line = st.tuples(
    st.lists(st.sampled_from(_OPS), min_size=5, max_size=5),
    st.lists(st.lists(st.sampled_from(_OTHERS), max_size=3), min_size=5, max_size=5),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_FIRSTS), min_size=1, max_size=5), st.lists(_line, min_size=2, max_size=4))
@example(
    ["echo", "claude"], [(["&&"] + [";"] * 4, [["1"], ["-v"]] + [[]] * 3), ([";"] * 5, [["2"], ["-v"]] + [[]] * 3)]
)
@example(
    ["grep", "claude", "true"],
    [(["&&"] + [";"] * 4, [["-q", "x"]] + [[]] * 4), (["&&"] + [";"] * 4, [["x"]] + [[]] * 4)],
)
def test_plain_lines_of_the_same_first_words_are_walked_once(firsts, lines):
    """failing_starts with the memo of plain lines' walks (WALK_MEMO) gives what a walk of each
    line gives, under each SHELL, for RUNs of the same first words with other operators and other
    words after them (what the memo's key leaves out, in every way the walk may read them)."""
    runs = [" ".join(f"{w0} {' '.join(a)} {op}" for w0, op, a in zip(firsts, ops, args)) for ops, args in lines]
    text = "FROM a\n" + "".join(f"RUN {r}\n" for r in runs + runs[::-1])
    saved = shell.WALK_MEMO
    try:
        shell.WALK_MEMO = True
        shell._WALKED.clear()
        memo = _walked(text, _SHELLS)
        shell.WALK_MEMO = False
        walked = _walked(text, _SHELLS)
    finally:
        shell.WALK_MEMO = saved
        shell._WALKED.clear()
    assert memo == walked


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.sampled_from(_FIRSTS), min_size=1, max_size=5),
    st.lists(
        st.tuples(
            st.lists(st.sampled_from([*_OPS, "\n"]), min_size=5, max_size=5),  # (a body's lines too)
            st.lists(st.lists(st.sampled_from(_OTHERS), max_size=3), min_size=5, max_size=5),
        ),
        min_size=2,
        max_size=4,
    ),
    st.lists(st.sampled_from(["RUN {}\n", *_HEREDOC_FORMS[:6]]), min_size=2, max_size=2),
)
@example(
    ["claude", "echo"],
    [(["\n"] * 5, [["-v"], ["1"]] + [[]] * 3), (["\n"] * 5, [["-v"], ["2"]] + [[]] * 3)],
    ["RUN <<EOF\n{}\nEOF\n"] * 2,
)
@example(
    ["echo", "claude"], [(["&&"] + [";"] * 4, [["1"], ["-v"]] + [[]] * 3)] * 2, ["RUN {}\n", "RUN <<EOF\n{}\nEOF\n"]
)
def test_plain_bodies_of_the_same_first_words_are_walked_once(firsts, lines, forms):
    """The memo of plain walks (WALK_MEMO) answers for the plain body of `RUN <<EOF` as a walk of
    it does, under each SHELL: bodies of the same first words with other operators (newlines
    too) and other words, `RUN <<-'EOF'`, `RUN 3<<EOF`, a `#!` line, bodies a command on the line
    reads (`bash -e <<EOF`, `cat <<EOF | sh`: not walked as the SHELL's script), and plain lines
    of the same words and operators among them (the same key: the same walk)."""
    runs = [" ".join(f"{w0} {' '.join(a)} {op}" for w0, op, a in zip(firsts, ops, args)) for ops, args in lines]
    text = "FROM a\n" + "".join(
        form.format(r.replace("\n", ";") if form == "RUN {}\n" else r, "")
        for form, r in zip(forms * 4, runs + runs[::-1])
    )
    saved = shell.WALK_MEMO
    try:
        shell.WALK_MEMO = True
        shell._WALKED.clear()
        memo = _walked(text, _SHELLS)
        shell.WALK_MEMO = False
        walked = _walked(text, _SHELLS)
    finally:
        shell.WALK_MEMO = saved
        shell._WALKED.clear()
    assert memo == walked


def test_the_distinct_runs_are_walked_once():
    """The benchmark's distinct RUNs (`echo N && claude -v`): one walk, then the memo's answer."""
    df = parse("FROM debian\n" + "".join(f"RUN echo {n} && claude -v\n" for n in range(50)))
    runs = df.instructions[1:]
    walks = []
    saved = shell._StatusWalk.run
    shell._StatusWalk.run = lambda self, *a: walks.append(a) or saved(self, *a)
    shell._WALKED.clear()
    try:
        found = [shell.failing_starts(i) for i in runs if shell.analyse_run(i)]
    finally:
        shell._StatusWalk.run = saved
        shell._WALKED.clear()
    assert len(walks) == 1
    assert found == [{i.start + 4, i.start + 13 + len(str(n))} for n, i in enumerate(runs)]  # (`echo`, `claude`)
