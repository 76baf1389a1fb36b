"""The reader hands the status walk the tokens it read (issue 18, "Linear by design"; r78).

aishell/shell.py's _Reader packs the token chunks of a long RUN line it reads through
token_chunks (_handing, _pack), and the status walk of the same text replays them (_handed,
_unpack) rather than tokenize the line a second time (HAND_TOKENS); the walk reads a run of plain
definitions of a streamed batch in one loop (DEF_RUNS). The tests generate scripts of the
shell's syntax (test_shell_fast.py's pieces: quotes, escapes, $( ), heredocs, arrays, comments,
operators, keywords) and of function definitions in every context (test_status_walk_fast.py's),
with token chunks cut anywhere, and check that the replayed chunks are token_chunks' own, and
that the walk's answers (the commands that decide, the unsure names, the names decided) are
those it gives with both shortcuts off.
"""

from itertools import chain

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.model import DockerfileSyntaxError, parse

from tests.test_shell_fast import _PIECES as _SYNTAX
from tests.test_status_walk_fast import _PIECES as _WALK_PIECES
from tests.test_status_walk_fast import _SHELLS, _functions_in_context

# Definitions whose body is longer than _BODY_TEXT (not remembered: a shape of their own), and
# the benchmark's.
_LONG = "f() { " + "echo hi; " * 40 + "}"
_pieces = st.lists(
    st.sampled_from(
        _SYNTAX
        + _WALK_PIECES
        + [" ", "\n", "cat <<EOF ", "<<-'E' ", "body\n", "EOF\n", "a=(x $(y) z) ", "f() { echo hi; }; ", _LONG]
    ),
    max_size=30,
).map(" ".join)
# Runs of plain definitions (the benchmark's shape), each then any list operator or none, and
# calls, tests and commands that end the shell among and after them.
_def_run = st.lists(
    st.tuples(
        st.sampled_from(["f", "g", "h", "if", "claude", "./f"]),
        st.lists(
            st.sampled_from(["echo hi;", "exit 1;", "claude -v;", "set +e;", "f;", "g;", "true;"]),
            min_size=1,
            max_size=2,
        ),
        st.sampled_from(["; ", ";", "\n", " ;\n; ", " && ", " || ", " | ", " & ", " ", ";;", " > /log; "]),
        st.sampled_from(["", "", "", "f; ", "g && ", "claude -v; ", "false || ", "set -e; ", "[ -f x ] && "]),
    ),
    min_size=1,
    max_size=8,
).flatmap(
    lambda run: st.sampled_from(
        ["claude -v", "claude -v", "claude -v; true", "set -e; f; claude -v; true", "true"]
    ).map(lambda tail: "".join(f"{c}{n}() {{ {' '.join(b)} }}{sep}" for n, b, sep, c in run) + tail)
)
_scripts = st.one_of(_pieces, _functions_in_context, _def_run)


def _handed_chunks(s: str):
    """The chunks the walk replays after the reader read ``s`` (None: none handed)."""
    subs: list = []
    for _ in shell._handing(s, shell.token_chunks(s, subs, True)):
        pass
    got = shell._handed(s)
    return None if got is None else list(got)


@settings(max_examples=600, deadline=None)
@given(_scripts, st.sampled_from([1, 2, 3, 5, 4096]), st.booleans())
@example("f() { echo hi; }; " * 3 + "claude -v", 2, True)
@example(_LONG + "; cat <<EOF; g() { echo hi; }\nx\nEOF\n", 1, True)
def test_the_handed_chunks_are_token_chunks_own(script, chunk, definitions):
    """What the walk replays is what token_chunks gives the text, chunk by chunk: kinds,
    texts, spans, a definition's name and body, a heredoc's body; handed once."""
    saved = shell.TOKEN_CHUNK, shell.PLAIN_DEFINITIONS, shell.HAND_DEFS
    try:
        shell.TOKEN_CHUNK, shell.PLAIN_DEFINITIONS, shell.HAND_DEFS = chunk, definitions, 0
        replayed = _handed_chunks(script)
        assert replayed == list(shell.token_chunks(script, [], True))
        assert shell._handed(script) is None  # (given once)
        kinds = {t.kind for t in chain.from_iterable(replayed)}
        assert kinds <= set(shell._CODE_KINDS)
    finally:
        shell.TOKEN_CHUNK, shell.PLAIN_DEFINITIONS, shell.HAND_DEFS = saved
        shell._HANDED[0] = None


def test_a_text_read_with_other_flags_hands_nothing():
    """Tokens packed with definitions read as one token are not replayed without them, nor for
    another text, nor for a reading left before its end."""
    s = "f() { echo hi; }; claude -v"
    try:
        for _ in shell._handing(s, shell.token_chunks(s, [], True)):
            pass
        assert shell._handed(s + " ") is None
        shell.PLAIN_DEFINITIONS = False
        assert shell._handed(s) is None
        shell.PLAIN_DEFINITIONS = True
        assert shell._handed(s) is not None
        shell.HAND_DEFS = 0  # (every chunk packed)
        chunks = shell._handing(s, iter([[shell.Token("word", "f", 0, 1)], [shell.Token("word", "g", 2, 3)]]))
        next(chunks)
        del chunks
        assert shell._handed(s) is None
    finally:
        shell.PLAIN_DEFINITIONS, shell.HAND_DEFS = True, 8
        shell._HANDED[0] = None


def _walks(text: str, shells):
    """Each RUN's walk under each of ``shells`` (failing_starts, with its unsure names and the
    names it decides), the reader having read the RUN just before, as AIS002 asks; and how many
    of the walks replayed what the reader handed."""
    try:
        df = parse(text)
    except DockerfileSyntaxError:
        return None, 0
    out = []
    replays = [0]
    saved = shell._handed

    def handed(s):
        got = saved(s)
        replays[0] += got is not None
        return got

    shell._handed = handed
    try:
        for ins in df.instructions:
            if ins.keyword not in ("RUN", "ONBUILD"):
                continue
            for sh in shells:
                shell._analyse(ins.sub if ins.keyword == "ONBUILD" and ins.sub is not None else ins)
                names: list = []
                named: dict = {}
                starts = shell.failing_starts(ins, sh, names, named=named)
                out.append((sorted(starts), sorted(names), sorted((k, sorted(v)) for k, v in named.items())))
    finally:
        shell._handed = saved
        shell._HANDED[0] = None
    return out, replays[0]


def _both(text: str, shells=_SHELLS, every_line=True):
    flags = ("HAND_TOKENS", "DEF_RUNS", "DEF_PLAIN")
    saved = [getattr(shell, f) for f in flags] + [shell.HAND_MIN, shell.HAND_DEFS]
    try:
        shell.HAND_MIN = 0
        if every_line:
            shell.HAND_DEFS = 0
        for f in flags:
            setattr(shell, f, True)
        fast = _walks(text, shells)
        for f in flags:
            setattr(shell, f, False)
        general = _walks(text, shells)
    finally:
        for f, v in zip(flags, saved):
            setattr(shell, f, v)
        shell.HAND_MIN, shell.HAND_DEFS = saved[-2:]
    assert general[1] == 0
    return fast, general


@settings(max_examples=1000, deadline=None)
@given(
    st.one_of(_pieces, _functions_in_context, _def_run, _def_run, _def_run),
    st.sampled_from(
        ["RUN {}\n", "RUN {}\n", "RUN true \\\n && {} \\\n && echo $(date)\n", "RUN bash -e <<EOF\n{}\nEOF\n"]
    ),
    st.sampled_from([1, 2, 3, 5, 4096, 4096, 4096]),
    st.sampled_from([1, 2, 3, 256, 256]),
)
@example("f() { echo hi; }; " * 5 + "claude -v", "RUN {}\n", 2, 2)
@example("f() { echo hi; }; f() { exit 1; }; g() { f; }; g; claude -v; ", "RUN {}\n", 1, 1)
@example("set -e; f() { set +e; }; g() { f; }; g; claude -v; true", "RUN {}\n", 3, 2)
@example("f() { echo hi; };\n; ;\ng() { echo hi; }\n& claude -v", "RUN {}\n", 2, 1)
@example("g() { f; }; g && claude -v; f() { exit 1; }; g && claude -v", "RUN {}\n", 4096, 256)
@example("f() { exit 1; }; g() { f; }; g() { echo hi; }; g; claude -v", "RUN {}\n", 4096, 256)
@example("g() { echo hi; };g() { exit 1; } || claude -v", "RUN {}\n", 4096, 256)
@example("g() { echo hi; };g() { exit 1; } && claude -v", "RUN {}\n", 4096, 256)
@example("set -e; g() { echo hi; }; g() { echo hi; } | claude -v; true", "RUN {}\n", 4096, 256)
@example("set -e; g() { echo hi; }; g() { echo hi; } & claude -v; true", "RUN {}\n", 4096, 256)
def test_the_walk_of_handed_tokens_decides_the_same(script, form, chunk, items):
    """The status walk of what the reader handed, its definitions' runs read in one loop,
    decides what it decides tokenizing the text again and reading each item through _list:
    with token chunks and the walk's batches cut anywhere (a run of definitions across a
    chunk's end or a batch's), for every SHELL."""
    text = "FROM a\n" + form.format(script)
    saved = shell.TOKEN_CHUNK, shell.STREAM_ITEMS
    try:
        shell.TOKEN_CHUNK, shell.STREAM_ITEMS = chunk, items
        fast, general = _both(text)
    finally:
        shell.TOKEN_CHUNK, shell.STREAM_ITEMS = saved
    assert fast[0] == general[0]


def test_the_benchmark_line_is_tokenized_once():
    """The benchmark's line of `fN() { echo hi; };` then `claude -v` (as AIS002 reads a RUN:
    the reader, then the walk): token_chunks reads the line once, and the walk decides the same."""
    text = "FROM a\nRUN" + "".join(f" f{i}() {{ echo hi; }};" for i in range(400)) + " claude -v\n"
    fast, general = _both(text, (shell.DEFAULT_SHELL,), every_line=False)
    assert fast[0] == general[0] and len(fast[0][0][0]) == 1 and fast[1] == 1
    calls = []
    saved = shell.token_chunks
    shell.token_chunks = lambda s, subs, definitions=False, rows=False: (
        calls.append(len(s)) or saved(s, subs, definitions, rows)
    )
    try:
        ins = next(i for i in parse(text).instructions if i.keyword == "RUN")
        shell.analyse_run(ins)
        assert sorted(shell.failing_starts(ins)) == fast[0][0][0]
    finally:
        shell.token_chunks = saved
        shell._HANDED[0] = None
    assert len(calls) == 1


def test_a_line_of_other_commands_is_not_packed():
    """A line whose chunks are not mostly definitions (the made-files shape: a definition among
    many commands) is not packed: the walk AIS002 may never ask for costs it nothing."""
    line = " && ".join(
        f"cd /o{i} && printf x > claude && f{i}() {{ true; }}; f{i} | cat; claude -v" for i in range(200)
    )
    s = "true && " + line
    saved = shell.HAND_MIN
    try:
        shell.HAND_MIN = 0
        assert _handed_chunks(s) is None
        assert _handed_chunks("".join(f"f{i}() {{ echo hi; }}; " for i in range(200)) + line) is None
        assert _handed_chunks("".join(f"f{i}() {{ echo hi; }}; " for i in range(3000)) + "claude -v") is not None
    finally:
        shell.HAND_MIN = saved
        shell._HANDED[0] = None
