"""run_provides' shortcut for files made gives what its general path gives (issue 18, "Linear
by design").

lint_rules/_provides.py's run_provides asks where a created path puts a name on PATH only of
the name the path ends in (or of every name when it ends in `*`, `.`, `..` or nothing:
NAMED_ONLY), not of each name, and reads what a command creates once per distinct argv of the
RUN (CREATED_MEMO). Each test reads generated RUNs of commands that create files
(ln, cp, mv, install with -t and --target-directory, curl -o and -O, wget -O and -P, a URL's
name, aria2c, xargs, redirections), with paths relative and absolute, ending in a harness's name,
another name, an expansion (`$t`, `{}`, `"$BIN/claude"`), `*`, `.`, `..`,
`/`, a URL, after a `cd` or a PATH assignment, in several WORKDIRs and ENV PATH directories,
with the shortcut on and off, and compares what they provide.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.lint_rules import _provides

from tests.runs import read_runs

_NAMES = frozenset({"claude", "codex", "gemini", "opencode"})


def _provided(text: str, workdir, extra):
    got = read_runs(text, ("RUN",))
    if got is None:
        return None
    df, runs = got
    return [
        _provides.run_provides(df.text[ins.start : ins.end], ins.start, script, _NAMES, workdir, extra)
        for ins, script in runs
    ]


def _both(text: str, workdir, extra):
    saved = _provides.NAMED_ONLY, _provides.CREATED_MEMO
    try:
        _provides.NAMED_ONLY = _provides.CREATED_MEMO = True
        fast = _provided(text, workdir, extra)
        _provides.NAMED_ONLY = _provides.CREATED_MEMO = False
        general = _provided(text, workdir, extra)
    finally:
        _provides.NAMED_ONLY, _provides.CREATED_MEMO = saved
    return fast, general


_PATHS = [
    "claude",
    "./claude",
    "codex",
    "x",
    "bin/claude",
    "claude/.",
    "claude/..",
    "bin/claude/..",
    "claude/x/..",
    "''",
    "/usr/local/bin/claude",
    "/usr/local/bin/",
    "/usr/local/bin/.",
    "/usr/local/bin",
    "/opt/t/gemini",
    "/opt/t/",
    "/opt/t/*",
    "*",
    ".",
    "..",
    "''",
    "bin/",
    "/",
    "https://h.example/claude",
    "https://h.example/d/opencode?x=1",
    "node_modules/.bin/claude",
    "/usr/local/bin/$t",
    '"$BIN/claude"',
    "/usr/local/bin/{}",
    "/usr/local/bin/${t:-codex}",
    "$D",
    "/usr/local/bin/claude-$V",
    "https://h.example/dl/gemini",
]
_COMMANDS = [
    "ln -s {0} {1}",
    "ln -sf {0} {1}",
    "cp {0} {1}",
    "cp -r {0} {1}",
    "cp -rT {0} {1}",
    "mv {0} {1}",
    "install -m 755 {0} {1}",
    "install -t {1} {0}",
    "install --target-directory={1} {0} {0}",
    "install -d {1}",
    "curl -o {1} {0}",
    "curl -fsSLo {1} {0}",
    "curl --output-dir {1} -O {0}",
    "wget -O {1} {0}",
    "wget -P {1} {0}",
    "curl -fsSLO {0}",
    "wget -q {0}",
    "aria2c -d {1} {0}",
    "xargs -I{{}} ln -s {0} {1}",
    "echo x > {1}",
    "printf x > {1}",
    "cd {1}",
    "PATH=/p:$PATH",
    "export PATH=./node_modules/.bin:$PATH",
    "claude -v",
]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_COMMANDS), st.sampled_from(_PATHS), st.sampled_from(_PATHS)), min_size=1, max_size=6
    ),
    st.sampled_from(["/", "/usr/local/bin", "/app", "/usr/local/bin/claude", None]),
    st.sampled_from([frozenset(), frozenset({"/opt/t"}), frozenset({"node_modules/.bin", "/opt/t"})]),
)
def test_files_made_provide_the_same_both_ways(commands, workdir, extra):
    script = " && ".join(form.format(a, b) for form, a, b in commands)
    fast, general = _both("FROM a\nRUN " + script + "\n", workdir, extra)
    assert fast == general


def test_the_shortcut_asks_one_name_per_path():
    """A link named after a harness is asked of that name only."""
    asked = []
    saved = _provides._level_of
    _provides._level_of = lambda path, name: asked.append(name) or saved(path, name)
    try:
        fast, general = _both("FROM a\nRUN ln -s /x /usr/local/bin/claude\n", "/", frozenset())
    finally:
        _provides._level_of = saved
    assert fast == general and fast[0]
    assert asked.count("codex") == 1  # (asked by the general path only)


def _may_provide_per_command(text: str, script) -> bool:
    """may_provide as a test of each command (what it asks of the sets of their parts)."""
    if "/" in text or "(" in text or "function" in text or "alias" in text:
        return True
    return any(
        c.argv
        and (
            c.argv[0] in _provides._TOOLS
            or "/" in c.argv[0]
            or not _provides._INSTALL_VERBS.isdisjoint(c.argv[1:3])
            or c.argv[0][:1] in ("$", "`")
            or c.name == "xargs"
            or c.name in _provides._PROJECT_CODE_NAMES
        )
        for c in script.commands
    )


_WORDS = [
    "claude",
    "-v",
    "echo",
    "ln",
    "install",
    "i",
    "add",
    "make",
    "npm",
    "xargs",
    "bash",
    "$X",
    "`x`",
    "''",
    "a/b",
    "-g",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4), max_size=6))
def test_may_provide_asks_the_sets_what_each_command_would_answer(commands):
    """may_provide reads a RUN's commands as sets of their first words, names and second and
    third words (in C: a RUN of 800,000 commands): the answer of a test of each command."""
    text = " && ".join(" ".join(words) for words in commands) or "true"
    script = shell.analyse_text(text)
    assert _provides.may_provide(text, script) == _may_provide_per_command(text, script)


# run_provides asks runs_unread_code only of a command it may say yes to, and passes over one of
# fewer than three words that is none (UNREAD_NAMES). The commands here are every first word it
# reads (a name of _MAY_RUN_CODE, a path, a system path, an expansion, a scoped package, an
# installer, xargs, others) with every second and third word that decides (an option that runs a
# string or stdin, a file, an install verb, a harness's package, none), alone, fed a download
# (`curl … | C`), after a file is written and read (`sh s.sh`), with a file on stdin, in a RUN
# line and a RUN heredoc: what each provides must be the same with the shortcut on and off.
_FIRSTS = [
    "claude",
    "ln",
    "sh",
    "bash",
    ".",
    "source",
    "make",
    "npm",
    "bun",
    "python3",
    "node",
    "dpkg",
    "./x.sh",
    "/usr/bin/apt-get",
    "/opt/venv/bin/pip",
    "$INSTALL",
    "`x`",
    "@scope/x",
    "brew",
    "xargs",
    "apt-get",
    "curl",
    "echo",
]
_SECONDS = ["-v", "install", "i", "-", "-c", "run", "/dev/stdin", "s.sh", "-i", "-g"]
_THIRDS = ["", "claude-code", "@anthropic-ai/claude-code", "-g", "x"]
_CONTEXTS = ["{}", "curl -fsSL https://h.example/i | {}", "echo claude > s.sh && {} && sh s.sh", "{} < s.sh"]


def test_commands_passed_over_provide_nothing_they_would():
    commands = [f"{a} {b} {c}".strip() for a in _FIRSTS for b in _SECONDS for c in _THIRDS]
    commands += _FIRSTS  # (one word)
    runs = [ctx.format(c) for c in commands for ctx in _CONTEXTS]
    text = "FROM a\n" + "".join(f"RUN {r}\n" for r in runs) + "".join(f"RUN <<EOF\n{r}\nEOF\n" for r in runs[::7])
    saved = _provides.UNREAD_NAMES
    try:
        _provides.UNREAD_NAMES = True
        fast = _provided(text, "/", frozenset())
        _provides.UNREAD_NAMES = False
        general = _provided(text, "/", frozenset())
    finally:
        _provides.UNREAD_NAMES = saved
    assert len(fast) == len(runs) + len(runs[::7])
    assert fast == general
    assert sum(map(len, general)) > 1000  # (what most of them provide: some name, some way)


# run_provides reads which commands create files, change the cwd or are xargs, and whether any may
# run code or install a package, from the sets of their names and words, in C (COMMANDS_IN_C):
# what a RUN provides must be the same as the loop over each command gives. The RUNs here are the
# file makers above (by name, by a path: `/bin/ln`, `./install`), each `cd`-like command (`cd`,
# `pushd`, `popd`, at any place among them), xargs, and the commands that run code or install a
# package (`sh s.sh`, `./x.sh`, `$INSTALL x`, `brew install claude`, `npm i -g …`), in every order.
_IN_C_EXTRA = [
    "/bin/ln -s {0} {1}",
    "./install -m 755 {0} {1}",
    "/usr/bin/cp {0} {1}",
    "pushd {1}",
    "popd",
    "cd",
    "sh {1}",
    "./x.sh",
    "$INSTALL {1}",
    "brew install claude",
    "npm i -g @anthropic-ai/claude-code",
    "apt-get install -y codex",
    "echo claude | xargs npm i -g",
    "make install",
    "f() {{ ln -s {0} {1}; }}",
    "( cd {1} && ln -s {0} claude )",
]


def _switched_both(switch: str, text: str, workdir, extra):
    """What the RUNs of ``text`` provide with _provides' ``switch`` on, then off."""
    saved = getattr(_provides, switch)
    try:
        setattr(_provides, switch, True)
        fast = _provided(text, workdir, extra)
        setattr(_provides, switch, False)
        general = _provided(text, workdir, extra)
    finally:
        setattr(_provides, switch, saved)
    return fast, general


def _in_c_both(text: str, workdir, extra):
    return _switched_both("COMMANDS_IN_C", text, workdir, extra)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_COMMANDS + _IN_C_EXTRA), st.sampled_from(_PATHS), st.sampled_from(_PATHS)),
        min_size=1,
        max_size=7,
    ),
    st.sampled_from(["; ", " && ", "\n", " | "]),
    st.sampled_from(["/", "/usr/local/bin", None]),
    st.sampled_from([frozenset(), frozenset({"/opt/t"})]),
)
def test_commands_read_in_c_provide_what_each_command_gives(commands, sep, workdir, extra):
    script = sep.join(form.format(a, b) for form, a, b in commands)
    body = script.replace("\n", " \\\n ") if sep == "\n" else script
    for text in ("FROM a\nRUN " + body + "\n", "FROM a\nRUN <<EOF\n" + script + "\nEOF\n"):
        fast, general = _in_c_both(text, workdir, extra)
        assert fast == general


def test_commands_passed_over_in_c_provide_what_each_command_gives():
    """Every first word run_provides reads with every second and third word that decides (see
    test_commands_passed_over_provide_nothing_they_would), alone and after a file maker and a
    `cd`, with the sets read in C and without."""
    commands = [f"{a} {b} {c}".strip() for a in _FIRSTS for b in _SECONDS for c in _THIRDS]
    commands += _FIRSTS
    contexts = _CONTEXTS + ["ln -s x claude; cd /o && {} && ln -s x claude"]
    runs = [ctx.format(c) for c in commands for ctx in contexts]
    text = "FROM a\n" + "".join(f"RUN {r}\n" for r in runs) + "".join(f"RUN <<EOF\n{r}\nEOF\n" for r in runs[::7])
    fast, general = _in_c_both(text, "/", frozenset())
    assert len(fast) == len(runs) + len(runs[::7])
    assert fast == general
    assert sum(map(len, general)) > 1000
    # (and the RUNs that provide nothing but by their commands' words: each passed over in C)
    quiet = "FROM a\n" + "".join(f"RUN claude -v && {c}\n" for c in ("echo x", "true", "ln -s", "claude -v x y"))
    fast, general = _in_c_both(quiet, "/", frozenset())
    assert fast == general


# run_provides asks place() once per distinct argv of a RUN, before its first `cd` and after it
# (PLACED_MEMO): what the RUNs above provide (file makers, cd, PATH assignments, in every order;
# the same command made again before and after a `cd`, an `ENV PATH` directory, a PATH
# assignment before or after it) must be the same with it on and off.
def _placed_both(text: str, workdir, extra):
    return _switched_both("PLACED_MEMO", text, workdir, extra)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_COMMANDS + _IN_C_EXTRA), st.sampled_from(_PATHS), st.sampled_from(_PATHS)),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from([frozenset(), frozenset({"/opt/t"}), frozenset({"bin", "/usr/local/bin"})]),
    st.sampled_from(["/", "/usr/local/bin", None]),
)
def test_places_memo_provides_what_each_command_gives(commands, extra, workdir):
    once = " && ".join(form.format(a, b) for form, a, b in commands)
    for text in (once + " && " + once, once + " && cd /o && " + once, "PATH=/p:$PATH; " + once + "; cd; " + once):
        fast, general = _placed_both("FROM a\nRUN " + text + "\n", workdir, extra)
        assert fast == general


# -- a command's stdin read from its text where it holds no redirection of it (STDIN_TEXT) --------

_STDIN_FORMS = [
    "bash <<E\nclaude -v\nE",
    "sh -e <<-E\n\tclaude -v\nE",
    "sh 0<<E\nclaude -v\nE",
    "sh 3<<E\nclaude -v\nE",
    "bash <<'E'\nclaude -v\nE",
    "sh <<E < /i.sh\nclaude -v\nE",
    "sh < /i.sh <<E\nclaude -v\nE",
    'sh <<<"$x"',
    "sh < <(curl -s x)",
    "bash < /i.sh",
    "sh -c 'cat <<E' x",
    "sh # <<E",
    "bash 2>&1 <<E\nclaude -v\nE",
    "curl -s x | sh",
    "curl -s x | bash -s <<E\nclaude -v\nE",
    "cat /i.sh | sh",
    "echo claude | bash",
    "sh",
    "python3 - <<E\nprint(1)\nE",
    "x=1 sh <<E\nclaude -v\nE",
]
_STDIN_LINKS = ["; ", " && ", " | ", "\n"]


def _stdin_answers(text: str):
    """stdin_unread of every command of every RUN of ``text``."""
    got = read_runs(text, ("RUN",))
    if got is None:
        return None
    out = []
    for ins, script in got[1]:
        feeds = _provides._Feeds(script, _provides._Source(ins))
        out.append([feeds.stdin_unread(c, 0) for c in script.commands])
    return out


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_STDIN_FORMS), st.sampled_from(_STDIN_LINKS)), min_size=1, max_size=4))
def test_a_commands_stdin_is_read_the_same_from_its_text(parts):
    """_Feeds.stdin_unread answers with STDIN_TEXT (no tokens for a command with no `<`, nor for
    one fed a lone heredoc) as with its tokens, for every command of generated RUNs: heredocs
    on fd 0, 3, `<<-`, quoted, behind another redirection, here-strings, process substitutions,
    a `<<` in quotes or a comment, pipes into shells."""
    lines, docs = [], []
    for form, link in parts:
        head, _, doc = form.partition("\n")
        lines.append(head + link.rstrip("\n") if link != "\n" else head)
        if doc:
            docs.append(doc)
    text = "FROM a\nRUN " + " && ".join(lines) + "\n" + "".join(d + "\n" for d in docs)
    saved = _provides.STDIN_TEXT
    try:
        _provides.STDIN_TEXT = True
        fast = _stdin_answers(text)
        _provides.STDIN_TEXT = False
        general = _stdin_answers(text)
    finally:
        _provides.STDIN_TEXT = saved
    assert fast == general
