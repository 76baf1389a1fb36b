"""AIS102's fast paths give what its general path gives (issue 18, "Linear by design").

The rule reads a one-line ARG's definitions once per text (its one plain word without the word
splitter), finds a moved block's start from the instruction before it in the stage, and builds
its findings and fixes without their constructors; it answers a stage with no `$` and no heredoc
as one where no step names a variable, and a plain command of a name it does not look into (`make
tN`) by that name alone. With `_FAST` off each ARG is split by
`arg_definitions` and each block starts where `_edits.block_start` says. Both must give the same
findings (message, span, fix) on generated files: many small stages and long ones, ARGs with
defaults, quotes, several names or continued over lines, metadata that copies them on, comments
and suppressions above the moved lines, CRLF and a last line without a line break.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint_rules import ais102_volatile_arg_early as ais102
from aishell.model import DockerfileSyntaxError, parse
from aishell.rule import RuleContext

_LINES = [
    "ARG BUILD_DATE",
    "ARG BUILD_DATE=now",
    "ARG GIT_SHA",
    "ARG VERSION='1 2'",
    'ARG VERSION="x"',
    "ARG BUILD_ID VCS_REF",
    "ARG \\\n  GIT_COMMIT",
    "ARG  BUILD_DATE ",
    "ARG RELEASE_CHANNEL",
    "ARG X1",
    "ARG NODE_VERSION=24",
    "# when\nARG BUILD_DATE",
    "# aishell: ignore=AIS003 r\nARG VCS_REF",
    "LABEL created=$BUILD_DATE",
    "LABEL channel=${RELEASE_CHANNEL}",
    "ENV APP_VERSION=$VERSION",
    "ENV BUILD_NUMBER=$BUILD_ID",
    "# about the label\nLABEL v=$VERSION",
    "RUN apt-get update",
    "RUN make",
    "RUN npm ci --ignore-scripts",
    "RUN npm ci",
    "RUN pip install .",
    "RUN echo $GIT_SHA > /sha",
    "RUN apt-get update \\\n  && apt-get install -y x",
    "RUN echo ${X1}",
    "# a comment\nRUN mkdir /x",
    "COPY . .",
    "FROM debian AS s",
    "FROM s",
]


def _findings(text: str, fast: bool, monkeypatch) -> list:
    df = parse(text)
    monkeypatch.setattr(ais102, "_FAST", fast)
    ais102._DEFS.clear()
    return [tuple(v) for v in ais102.check(RuleContext(df, "Dockerfile"))]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_LINES), min_size=1, max_size=30),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)
def test_fast_path_gives_the_general_paths_findings(lines, newline, final):
    text = ("FROM debian\n" + "\n".join(lines) + ("\n" if final else "")).replace("\n", newline)
    try:
        parse(text)
    except DockerfileSyntaxError:
        return
    with pytest.MonkeyPatch.context() as mp:
        fast = _findings(text, True, mp)
        again = _findings(text, True, mp)  # the texts remembered by the first run
        slow = _findings(text, False, mp)
    assert fast == slow
    assert again == slow


def test_fast_path_on_the_benchmark_shapes_and_distinct_names(monkeypatch):
    unit = "FROM debian:bookworm\nARG BUILD_DATE\nRUN apt-get update\nRUN make\n"
    distinct = "".join(
        f"FROM debian\n# c{i}\nARG BUILD_DATE{i}\nLABEL d=$BUILD_DATE{i}\nRUN apt-get update\n" for i in range(300)
    )
    pairs = "FROM debian\n" + "".join(f"ARG X{i}\nRUN apt-get install -y pkg{i}\nARG GIT_SHA\n" for i in range(300))
    for text in (unit * 300, distinct, pairs):
        assert _findings(text, True, monkeypatch) == _findings(text, False, monkeypatch)
        assert any(v[3] is not None for v in _findings(text, True, monkeypatch))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_LINES[:27]), min_size=1, max_size=8), min_size=1, max_size=4),
    st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["", "\n", "# between\n", "\n\n# x\n"])), max_size=12),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)
def test_repeated_stages_report_what_the_general_path_reports(pool, order, newline, final):
    """The stage memo (a stage of the same text as one read before: its findings moved, the line
    numbers in their messages and their fixes' messages with them): whole stages repeated at
    other offsets and lines, with blank and comment lines between them, and the last stage (never
    remembered) at the end without a final line break."""
    stages = ["FROM debian\n" + "\n".join(lines) + "\n" for lines in pool]
    parts = [gap + stages[k % len(stages)] for k, gap in order] or stages
    text = "".join(parts)
    if not final:
        text = text[:-1]
    text = text.replace("\n", newline)
    try:
        parse(text)
    except DockerfileSyntaxError:
        return
    with pytest.MonkeyPatch.context() as mp:
        assert _findings(text, True, mp) == _findings(text, False, mp)


def test_the_stage_memo_is_used_and_moves_lines():
    """A repeated stage is read once: its findings at the second place name that place's lines."""
    unit = "FROM debian\nARG GIT_SHA\nARG BUILD_DATE\nRUN apt-get update\nARG BUILD_DATE\nRUN make\n"
    text = unit * 3
    calls = []
    real = ais102._stage_findings
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ais102, "_stage_findings", lambda *a: calls.append(1) or real(*a))
        found = [tuple(v) for v in ais102.check(RuleContext(parse(text), "Dockerfile"))]
    assert len(calls) == 2  # the first stage, and the last (never remembered)
    second = found[2:4]  # the second stage's findings: from the memo
    assert [v[0][-40:] for v in second] == ["from line 10) whenever its value changes"] * 2
    assert second[0][3][1].endswith("down to line 12")
    assert "declared again at line 11 before" in second[1][3][1]
    assert second[0][1] - found[0][1] == len(unit)
    assert [e[0] - f[0] for e, f in zip(second[0][3][2], found[0][3][2])] == [len(unit)] * 2


def test_a_run_is_read_once_across_the_lints_of_one_migrate(tmp_path, monkeypatch):
    """`aishell migrate` lints twice (the fixes, then the check that none is left): the second
    lint asks AIS102 about the same RUNs, and 5,000 distinct ones (more than a memo of 4,096
    entries held) were all read by the shell reader again."""
    from aishell.lint import Options
    from aishell.migration import fix_text

    n = 5000
    text = "".join(f"FROM debian\nARG S{i}_BUILD_DATE\nRUN apt-get update\nRUN make t{i}\n" for i in range(n))
    monkeypatch.setattr(ais102, "_FACTS", {})  # what earlier tests left does not count
    monkeypatch.setattr(ais102, "_FACTS_CHARS", 0)
    reads = []
    real = ais102._facts  # each RUN read (by the shell reader, or as plain words)
    monkeypatch.setattr(ais102, "_facts", lambda ins: reads.append(1) or real(ins))
    r = fix_text(text, str(tmp_path / "Dockerfile"), Options(use_config=False))
    assert len(r.applied) == n and r.text != text
    assert len(reads) <= n + 10, len(reads)


# -- a RUN of one plain command: its words, without the shell reader -----------------------------

_WORD_LIST = (
    ["make", "t1", "apt-get", "update", "install", "-y", "npm", "ci", "--ignore-scripts", "run", "build", "pip"]
    + ["pip3", "-r", "r.txt", ".", "-e", "python3", "-m", "venv", "pip", "/v", "gem", "./x.gem", "yarn", "mkdir"]
    + ["/usr/bin/make", "/usr/bin/apt-get", "sudo", "env", "A=1", "exec", "time", "nice", "xargs", "command"]
    + ["sh", "bash", "x.sh", "-c", "npx", "claude", "eval", "find", "-exec", "su", "if", "then", "!", "{", "}"]
    + ["for", "do", "done", "source", "cat", "echo", "a#b", "#c", "x*", "~", "$X", "'q'", "a;b", "a|b", "a=b"]
    + ["bun", "x", "pnpm", "dlx", "timeout", "5", "nohup", "flock", "curl", "-fsSL", "wget", "tar", "xz", "./b"]
)
_WORDS = st.sampled_from(_WORD_LIST)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=6), st.sampled_from([" ", "  ", "\t"]), st.sampled_from(["", " "]))
def test_a_plain_command_read_as_words_equals_the_shell_reader(words, sep, pad):
    text = f"FROM debian\nRUN {pad}{sep.join(words)}{pad}\n"
    try:
        run = parse(text).instructions[1]
    except DockerfileSyntaxError:
        return
    from aishell.shell import analyse_run, plain_argv

    argv = plain_argv(run)
    if argv is not None:  # the one command the reader gives
        assert [c.argv for c in analyse_run(parse(text).instructions[1]).commands] == [argv], text
    _paths_agree(text, run)


def _paths_agree(text: str, run) -> None:
    """_facts of the RUN ``run`` (of ``text``) by the words path and by the reader's agree."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ais102, "_FAST", True)
        fast = ais102._facts(run)
        mp.setattr(ais102, "_FAST", False)
        slow = ais102._facts(parse(text).instructions[1])
    assert fast == slow, text


def test_every_two_word_command_reads_as_the_shell_reader_reads_it():
    """Every command of one or two of the words above, exhaustively: the property test's draws
    are fixed in CI (derandomised) and missed `npm ci`, whose words path listed the node rc files
    as read by a RUN that runs project code, where the reader's path lists none (they matter only
    to a RUN that runs no project code)."""
    words = list(dict.fromkeys(_WORD_LIST))
    for pair in [(w,) for w in words] + [(a, b) for a in words for b in words]:
        text = "FROM debian\nRUN " + " ".join(pair) + "\n"
        try:
            run = parse(text).instructions[1]
        except DockerfileSyntaxError:
            continue
        _paths_agree(text, run)


def test_plain_commands_take_the_words_path():
    """The generator above reaches the words path, and the shell reader's cases stay its own."""
    from aishell import shell

    calls = []
    real = shell.analyse_run
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ais102, "analyse_run", lambda ins: calls.append(ins.logical) or real(ins))
        for run in (
            "make t1",
            "/usr/bin/apt-get update",
            "npm exec x --ignore-scripts",
            "sudo make",
            "A=1 make",
            "x|y",
        ):
            ais102._facts(parse(f"FROM debian\nRUN {run}\n").instructions[1])
    # (npm: `npm exec` runs a command; `npm ci` is a plain command, shell.PLAIN_TOOL_VERBS)
    assert calls == ["RUN npm exec x --ignore-scripts", "RUN sudo make", "RUN A=1 make", "RUN x|y"]


# Every name the rule's command reading looks into, spelled independently of ais102._NAMED (so a
# name left out of it fails here), with paths, python*, and names it knows nothing about.
_COMMAND_NAMES = sorted(
    ais102.IGNORES_ENV | ais102.SYSTEM_TOOLS | ais102.PACKAGE_MANAGERS | ais102._NPM_LIKE | {"pip", "pip3", "gem"}
) + ["/usr/bin/pip", "/usr/local/bin/npm", "python", "python3", "python3.12", "/usr/bin/python3", "python3 -m pip",
     "python -m venv", "/usr/bin/python3.12 -m pip", "make", "./build.sh",
     "node", "cargo", "go", "uv", "poetry", "env", "sh"]  # fmt: skip
_COMMAND_WORDS = ["install", "ci", "i", "add", "update", "run", "-r", "req.txt", "--requirement=r.txt", "-m", "pip",
                  "venv", "--ignore-scripts", ".", "-e", "x", "/proc/self/environ", "-y", "curl", "x.gem", "-rq.txt"]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(_COMMAND_NAMES), st.lists(st.sampled_from(_COMMAND_WORDS), max_size=5))
def test_a_command_told_by_its_name_reads_as_the_shell_reader_reads_it(name, words):
    """_facts answers a plain command whose name the rule knows nothing about (`make tN`) by that
    name alone: what the shell reader's path (``_FAST`` off) gives for it. The requirements files
    read matter only to a RUN that runs no project code otherwise (_next_runs), so they are
    compared only then."""
    run = parse(f"FROM debian\nRUN {' '.join([name, *words])}\n").instructions[1]

    def facts(fast: bool) -> tuple:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(ais102, "_FAST", fast)
            quiet, code, reqs = ais102._facts(run)
        return quiet, code, () if code else reqs

    assert facts(True) == facts(False)
