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


def _memo_and_walked(text):
    """_walked of ``text`` under each SHELL with the memo of plain walks (WALK_MEMO), then without."""
    saved = shell.WALK_MEMO
    try:
        shell.WALK_MEMO = True
        shell._WALKED.clear()
        memo = _walked(text, _SHELLS)
        shell.WALK_MEMO = False
        return memo, _walked(text, _SHELLS)
    finally:
        shell.WALK_MEMO = saved
        shell._WALKED.clear()


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
    memo, walked = _memo_and_walked(text)
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
    memo, walked = _memo_and_walked(text)
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


# -- `{ }` groups read and function bodies walked in one loop (PLAIN_GROUPS, FAST_FUNCTIONS) --

# What a group or a function body holds: plain commands (the shortcuts' own), and each thing
# that leaves them to the general path or changes what a later call does (a name the walk reads,
# an ender, a trap, `set +e`, a file made, an alias, a redirection, a compound or nested
# definition, `!`, `&`, `|`, `&&`, stop words and operators where a command is expected).
_IN_BODY = [
    "echo hi",
    "claude -v",
    "f",
    "g",
    "./f",
    "x/f",
    "exit 1",
    "return",
    "trap 'exit 0' EXIT",
    "set +e",
    "set -o pipefail",
    "eval 'set +e'",
    "alias f=claude",
    "printf x > claude",
    "chmod +x claude",
    "claude > /log",
    ">/log",
    "! true",
    "true && claude",
    "claude | cat",
    "claude &",
    "{ claude; }",
    "( exit )",
    "h() { exit; }",
    "if true; then exit; fi",
    "then",
    "}",
    ")",
    ";;",
]
_SEPARATORS = ["; ", ";", "\n", " ; ; ", " \\\n ", " & ", " && ", " | ", " "]
_group = st.tuples(
    st.lists(st.tuples(st.sampled_from(_IN_BODY), st.sampled_from(_SEPARATORS)), max_size=5),
    st.sampled_from(["{ ", "{\n", "{"]),
    st.sampled_from(["}", "} > /log", "} 2>&1", "}}"]),
).map(lambda g: g[1] + "".join(c + sep for c, sep in g[0]) + g[2])
_definition = st.tuples(
    st.sampled_from(["f", "g", "h", "./f", "claude", "if"]), st.sampled_from(["()", " ( ) ", "()\n", "( )\n\n"]), _group
).map("".join)
# Plain definitions (token_chunks' "def" tokens), with names and first words read as syntax.
_plain_definition = st.tuples(
    st.sampled_from(["f", "g", "h", "x/f", "claude", "2", "a=", "a", "if", "!", "then", "{"]),
    st.sampled_from(["()", " ( ) ", "()  "]),
    st.lists(
        st.lists(
            st.sampled_from(["echo", "hi", "claude", "-v", "f", "g", "exit", "then", "!", "{", "a=1", "2"]),
            min_size=1,
            max_size=3,
        ),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(["}", " }", "}>/log", "} 2>&1", "}x", "}(", "}}"]),
).map(
    lambda d: d[0] + d[1] + "{ " + "".join(" ".join(c) + st_sep for c, st_sep in zip(d[2], ["; ", ";", " ;  "])) + d[3]
)
_calls = st.sampled_from(["f", "g", "h", "./f", "claude -v", "set -e", "echo ok", "exit", "trap x EXIT", "cd /a"])
_functions_script = st.lists(st.one_of(_plain_definition, _definition, _group, _calls), min_size=1, max_size=6).flatmap(
    lambda parts: st.lists(
        st.sampled_from(["; ", "\n", " && ", " || ", " | ", " & "]), min_size=len(parts), max_size=len(parts)
    ).map(lambda ops: "".join(p + op for p, op in zip(parts, ops)))
)


# ... in the places a command may start and those where it may not (a `case` or `for` header,
# after a word, a heredoc's line, a subshell, a group, a condition).
_CONTEXTS = [
    ("", ""),
    ("case x in ", " esac"),
    ("case x in\n", ";; esac"),
    ("for x in a; ", " do true; done"),
    ("for x in a\n", "\ndo true; done"),
    ("if true; then ", " fi"),
    ("cat <<EOF; ", "\nclaude -v\nEOF\n"),
    ("echo | ", ""),
    ("( ", " )"),
    ("{ ", " }"),
    ("true && ", ""),
    ("echo ", ""),
    ("a=", ""),
]
_functions_in_context = st.tuples(st.sampled_from(_CONTEXTS), _functions_script).map(lambda c: c[0][0] + c[1] + c[0][1])


def _groups_both(read, flags=("PLAIN_GROUPS", "FAST_FUNCTIONS", "PLAIN_DEFINITIONS", "DEF_ITEMS", "DEF_WALK")):
    """``read()`` with the group, function-body and definition shortcuts (``flags``) on, and
    with them off."""
    saved = [getattr(shell, f) for f in flags]
    try:
        for f in flags:
            setattr(shell, f, True)
        fast = read()
        for f in flags:
            setattr(shell, f, False)
        general = read()
    finally:
        for f, v in zip(flags, saved):
            setattr(shell, f, v)
    return fast, general


@settings(max_examples=800, deadline=None)
@given(_functions_in_context, st.sampled_from(["RUN {}\n", "RUN bash -e <<EOF\n{}\nEOF\n", "RUN sh -c '{}'\n"]))
@example("f() { echo hi; }; f() { exit 1; }; g() { f; }; g; claude -v; ", "RUN {}\n")
@example("f() { set +e; }; ./f() { true; }; g() { ./f; }; set -e; g; claude -v; ", "RUN {}\n")
@example("f() { exit 1; }; g() { f & }; g() { true; }; g; claude -v; ", "RUN {}\n")  # (`&`: f ends its subshell)
@example("./f() { set +e; }; g() { ./f; }; set -e; g; claude -v; true; ", "RUN {}\n")  # (_turns_off reads `./f`)
@example("f(){ echo; } 2>&1; f; ", "RUN {}\n")  # (the general path's body: the `}` before the redirection)
def test_groups_and_function_bodies_decide_the_same_both_ways(script, form):
    """failing_starts with `{ }` groups read in one loop (_StatusWalk._plain_group) and function
    bodies walked in one (_unreached) gives what the general path gives, for every SHELL: on
    definitions of every form around their calls, bodies of plain commands and of all that
    leaves them to the general path, and groups that do not parse (nothing sure then)."""
    text = "FROM a\n" + form.format(script.replace("'", "") if "'{}'" in form else script)
    fast, general = _groups_both(lambda: _walks(text, _SHELLS))
    assert fast == general


def _tree(text: str):
    """The status walk's tree of ``text`` (_parse of its tokens, "def" ones too), or "unsure"."""
    try:
        return shell._StatusWalk()._parse([t for chunk in shell.token_chunks(text, [], True) for t in chunk])
    except shell._Unsure:
        return "unsure"


@settings(max_examples=800, deadline=None)
@given(_functions_in_context)
@example("f() { echo hi; }; { a; b\n c & } > /log; ")
@example("{ ; a;; }")
def test_a_group_is_read_into_the_tree_the_general_path_builds(script):
    """_plain_group and a "def" token give the general path's tree (or leave it to it)."""
    fast, general = _groups_both(lambda: _tree(script))
    assert fast == general


@settings(max_examples=800, deadline=None)
@given(_functions_in_context)
@example("f() { echo hi; }; f() { echo hi; }\nf() { echo hi; }")
@example("f() { echo hi; } && g() { echo hi; } | h() { echo hi; }; f() { echo hi; } >/log; f() { echo hi; } &")
def test_a_definition_item_is_read_into_the_tree_the_general_path_builds(script):
    """A plain definition that is an item of its own (_StatusWalk._def_item) gives the tree
    _and_or, _pipeline and _command give it (or leaves it to them), "def" tokens both ways."""
    fast, general = _groups_both(lambda: _tree(script), ("DEF_ITEMS",))
    assert fast == general


@settings(max_examples=300, deadline=None)
@given(_functions_in_context, st.integers(1, 5))
def test_a_group_read_across_chunks_decides_the_same_both_ways(script, chunk):
    """A streamed script's groups cut between token chunks (_plain_group pulls the next one)."""
    text = "FROM a\nRUN " + script + "\n"
    saved = shell.TOKEN_CHUNK
    try:
        shell.TOKEN_CHUNK = chunk
        fast, general = _groups_both(lambda: _walks(text, _SHELLS))
    finally:
        shell.TOKEN_CHUNK = saved
    assert fast == general


@settings(max_examples=600, deadline=None)
@given(
    _functions_script,
    st.sampled_from(["RUN {}\n", "RUN bash -e <<EOF\n{}\nEOF\n", "RUN sh -c '{}'\n"]),
    st.integers(1, 5),
    st.booleans(),
)
@example("f() { echo hi; }; f() { exit 1; }; g() { f; }; g; claude -v; true", "RUN {}\n", 1, True)
@example("set -e; f() { set +e; }; g() { f; }; g; claude -v; true", "RUN {}\n", 2, True)
@example("set -e; f() { set +e; }; f; claude -v; true", "RUN {}\n", 1, False)
@example("f() { claude -v; exit; }; g() { echo hi; f; }; h() { g; }; h && claude -v; ", "RUN {}\n", 3, True)
@example("f() { echo; }; alias g=claude; trap x EXIT; h() { g -v; exit 1; }; f; claude -v; ", "RUN {}\n", 5, False)
@example("echo x | cat; f() { cat; }; f; claude -v; true", "RUN bash -e <<EOF\n{}\nEOF\n", 2, True)
def test_a_streamed_definition_is_walked_from_its_token_as_from_its_tree(script, form, chunk, fast_functions):
    """A plain definition that is an item of a streamed script's batch, walked from its "def"
    token (_StatusWalk._define with no tree; _unreached_items of its words), marks what its
    tree walked through _list_eval marks: definitions before and after their calls, bodies
    that end the shell, set traps, turn errexit off, call others, redefinitions, nested ones,
    with token chunks cut anywhere, FAST_FUNCTIONS on and off."""
    text = "FROM a\n" + form.format(script.replace("'", "") if "'{}'" in form else script)
    saved = shell.TOKEN_CHUNK, shell.FAST_FUNCTIONS
    try:
        shell.TOKEN_CHUNK, shell.FAST_FUNCTIONS = chunk, fast_functions
        fast, general = _groups_both(lambda: _walks(text, _SHELLS), ("DEF_WALK",))
    finally:
        shell.TOKEN_CHUNK, shell.FAST_FUNCTIONS = saved
    assert fast == general


def test_the_benchmark_definitions_take_both_shortcuts():
    """The benchmark's line of `fN() { echo hi; };`: no group parsed through _list, no body
    walked through _list_eval, and the harness call after them decides."""
    text = "FROM a\nRUN" + "".join(f" f{i}() {{ echo hi; }};" for i in range(300)) + " claude -v\n"
    fast, general = _groups_both(lambda: _walks(text))
    assert fast == general and len(fast[0]) == 1
    seen = []
    saved = shell._StatusWalk._list, shell._StatusWalk._list_eval
    shell._StatusWalk._list = lambda self, stops, *a: seen.append(stops) or saved[0](self, stops, *a)
    shell._StatusWalk._list_eval = lambda self, items, *a, **k: (
        seen.append(len(items)) or saved[1](self, items, *a, **k)
    )
    try:
        _walks(text)
    finally:
        shell._StatusWalk._list, shell._StatusWalk._list_eval = saved
    assert ("}",) not in seen and 1 not in seen[:-1]  # (the top level's batches only)
    built = []
    saved_tree = shell._def_tree
    shell._def_tree = lambda t: built.append(t) or saved_tree(t)
    try:
        _walks(text)
    finally:
        shell._def_tree = saved_tree
    assert not built  # (walked from their tokens: _define)


def test_a_definition_as_deep_as_the_walk_reads_decides_the_same_both_ways():
    """Definitions nested in groups around MAX_NESTING: read, or unsure, as the general path."""
    for depth in range(shell.MAX_NESTING - 4, shell.MAX_NESTING + 2):
        script = "( true; " * depth + "f() { true; }; claude -v" + " )" * depth
        fast, general = _groups_both(lambda: _tree(script))
        assert fast == general, depth


# -- one walk for RUNs of a shell reading a plain heredoc on its stdin (FED_MEMO) --------------

# The line: a shell alone reading the heredoc (the memo's), and lines that are not that (a word
# or redirection more, another command, `-c`, options the key does not take).
_FED_LINES = [
    "bash <<{d}",
    "sh <<{d}",
    "dash <<{d}",
    "/bin/sh <<-{d}",
    "/usr/bin/bash -e <<{d}",
    "bash -eux  << {d} ",
    "sh -e -x <<-{d}",
    "sh -o pipefail <<{d}",
    "bash -c 'claude -v' <<{d}",
    "sh <<{d} > /log",
    "sh <<{d} && claude -v",
    "cat <<{d} | sh",
    "bash -s <<{d}",
    "0<<{d} sh",
]
_DELIMITERS = ["EOF", "E1", "'EOF'", '"E_2"']
# A word that makes a body longer than what dash reads ahead of running it (_READ_AHEAD_MAX).
_LONG = ": " + "x" * 5000
_FED_SHELLS = (*_SHELLS, (False, False, True), (True, True, True))


def _fed_walked(text: str):
    """failing_starts of each RUN of ``text`` under each of _FED_SHELLS, the RUN read afresh
    before each walk (a walk takes the body's kept tokens)."""
    try:
        df = parse(text)
    except DockerfileSyntaxError:
        return None
    out = []
    for ins in df.instructions:
        if ins.keyword == "RUN":
            for sh in _FED_SHELLS:
                ins.shell = None
                shell.analyse_run(ins)
                out.append(sorted(shell.failing_starts(ins, sh)))
    return out


def _fed_runs(ops: list[str], others: list[str], lines: list[str], n: int, words: int):
    """RUNs of a fed body for _fed_memo_agrees: (``n`` operators, ``n`` lists of up to ``words``
    other words, a line, a delimiter, a long body or not), two to four of them."""
    return st.lists(
        st.tuples(
            st.lists(st.sampled_from(ops), min_size=n, max_size=n),
            st.lists(st.lists(st.sampled_from(others), max_size=words), min_size=n, max_size=n),
            st.sampled_from(lines),
            st.sampled_from(_DELIMITERS),
            st.booleans(),
        ),
        min_size=2,
        max_size=4,
    )


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(_FIRSTS), min_size=1, max_size=5),
    _fed_runs([*_OPS, "\n", "\n"], _OTHERS, _FED_LINES, 5, 3),
)
@example(
    ["claude", "echo"],
    [(["\n"] * 5, [["-v"], ["1"]] + [[]] * 3, "bash <<{d}", "EOF", False)] * 2,
)
@example(
    ["cat", "claude"],
    [
        (["\n"] * 5, [[], ["-v"]] + [[]] * 3, "sh <<{d}", "EOF", False),
        (["\n"] * 5, [[], ["-v"]] + [[]] * 3, "sh <<{d}", "EOF", True),
    ],
)
def test_bodies_fed_to_a_shell_of_the_same_first_words_are_walked_once(firsts, runs):
    """The memo of fed bodies' walks (FED_MEMO) answers as a walk of each RUN does, under each
    SHELL (bash's too): bodies of the same first words with other operators and words, fed to
    bash, sh, dash by path, with options, `<<-`, quoted delimiters, bodies longer than dash reads
    ahead; and lines that are not one shell reading its heredoc among them."""
    _fed_memo_agrees(firsts, runs)


# What the walk of a fed body reads of the line and the body's length: a command that may read
# the shell's stdin (which holds the rest of the body) first, then ones that decide.
@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["cat", "read", "tee", "claude", "echo", "true", "exit", "f"]), min_size=2, max_size=4),
    _fed_runs(["\n", ";", "&&", "|"], ["-v", "x", "1", "$(head -1)", "$(true)"], _FED_LINES[:7], 4, 1),
)
@example(
    ["cat", "claude"],
    [
        (["\n"] * 4, [[], ["-v"], [], []], "dash <<{d}", "EOF", False),
        (["\n"] * 4, [[], ["-v"], [], []], "sh <<{d}", "EOF", False),
    ],
)
@example(
    ["read", "claude"],
    [(["\n"] * 4, [["x"], ["-v"], [], []], "dash <<{d}", "EOF", b) for b in (False, True)],
)
@example(
    ["echo", "claude"],
    [
        (["\n"] * 4, [["$(head -1)"], ["-v"], [], []], "bash -e <<{d}", "'EOF'", False),
        (["\n"] * 4, [["hi"], ["-v"], [], []], "bash -e <<{d}", "'EOF'", False),
    ],
)
def test_what_a_fed_body_may_read_of_its_stdin_is_keyed(firsts, runs):
    """FED_MEMO keys the walk by what it reads of the line (the shell: dash reads a short body
    ahead, bash a byte at a time, so a command reading stdin takes the rest) and of the body's
    length (past what dash reads ahead): bodies of stdin readers (commands, and `$( )` in an
    argument, which the key does not hold: such a body is walked each time) before deciding
    commands."""
    _fed_memo_agrees(firsts, runs)


def _fed_memo_agrees(firsts, runs):
    text = "FROM a\n"
    for ops, args, line, delimiter, long in runs + runs[::-1]:
        body = " ".join(f"{w0} {' '.join(a)} {op}" for w0, op, a in zip(firsts, ops, args))
        if long:
            body = _LONG + "\n" + body
        end = delimiter.strip("'\"")
        text += f"RUN {line.format(d=delimiter)}\n{body}\n{end}\n"
    saved = shell.FED_MEMO
    try:
        shell.FED_MEMO = True
        shell._WALKED.clear()
        memo = _fed_walked(text)
        shell.FED_MEMO = False
        walked = _fed_walked(text)
    finally:
        shell.FED_MEMO = saved
        shell._WALKED.clear()
    assert memo == walked


def test_the_fed_heredocs_are_walked_once():
    """The benchmark's heredocs fed to bash (`RUN bash <<EN` of `claude -v`): one walk, then the
    memo's answer, for each RUN: the line's `bash` and the body's `claude` decide (bash's status
    is its last command's, and the RUN's)."""
    text = "FROM debian\n" + "".join(f"RUN bash <<E{i}\nclaude -v\nE{i}\n" for i in range(20))
    df = parse(text)
    runs = [i for i in df.instructions if i.keyword == "RUN"]
    calls = []
    saved = shell._StatusWalk.run
    shell._StatusWalk.run = lambda self, *a: calls.append(1) or saved(self, *a)
    shell._WALKED.clear()
    try:
        starts = [sorted(shell.failing_starts(i)) for i in runs if shell.analyse_run(i)]
    finally:
        shell._StatusWalk.run = saved
        shell._WALKED.clear()
    assert len(calls) == 1
    at = [text.index(f"bash <<E{i}\n") for i in range(20)]
    assert starts == [[a, a + len(f"bash <<E{i}\n")] for i, a in enumerate(at)]
