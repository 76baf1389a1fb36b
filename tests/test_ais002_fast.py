"""The fast paths of AIS001-AIS004 give what the general ones give (issue 18, "Linear by design").

AIS002 reuses a RUN's findings when the same RUN text comes again with the same harnesses on
PATH before it (a chain of stages each running `claude --version`), moved to where it is; AIS003
skips the scripts of RUNs whose text cannot hold an install. Both are checked against the
general path (the switch off) over generated files of stages built FROM each other, with the
forms that change a finding or its fix: installs (global, local, ONBUILD), files copied or
downloaded onto PATH, functions, package runners, comments above and between continuations,
heredocs, the exec form, quotes that join a tool name from pieces, CRLF, no final newline.
"""

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.lint_rules import _provides
from aishell.lint_rules import ais001_legacy_base_image as ais001
from aishell.lint_rules import ais002_harness_at_build_time as ais002
from aishell.lint_rules import ais003_harness_installed_in_extension as ais003
from aishell.lint_rules import ais004_command_not_in_foundation as ais004
from aishell.model import DockerfileSyntaxError, parse
from aishell.rule import RuleContext

FROMS = [
    "FROM aishell:foundation",
    "FROM aishell:base",
    "FROM node:24",
    "FROM {prev}",
    "FROM {prev} AS s{i}",
    "FROM aishell:foundation AS s{i}",
    "FROM node:24 AS s{i}",
    "FROM s0",
]

STEPS = [
    "RUN claude --version",
    "RUN  claude --version",
    "run claude --version",
    "RUN apt-get update && claude --version && echo ok",
    "RUN claude --version && codex --version",
    "RUN npm i -g @openai/codex",
    "RUN npm i -g @openai/codex && codex --version",
    "RUN npm install @anthropic-ai/claude-code && npx claude --version",
    "RUN npx claude --version",
    "RUN npx -y @anthropic-ai/claude-code --version; echo ok",
    "RUN codex --help",
    "RUN gemini --version",
    "RUN opencode --version",
    "ONBUILD RUN claude --version",
    "ONBUILD RUN npm i -g @anthropic-ai/claude-code",
    "ONBUILD RUN codex --version && echo ok",
    "COPY claude /usr/local/bin/",
    "COPY tools/ /usr/local/bin/",
    "COPY . /app",
    "ADD https://example.com/codex /usr/local/bin/codex",
    "RUN ./claude --version",
    "RUN node_modules/.bin/claude --version",
    "RUN curl -fsSL https://example.com/claude -o /usr/local/bin/claude && claude -v",
    "RUN curl -fsSL https://example.com/gemini -o /usr/local/bin/gemini",
    "RUN claude() { echo stub; }; claude --version",
    "RUN sudo claude() { :; }; sudo claude",
    "RUN alias codex=true; codex",
    "RUN tar -C /usr/local/bin -xzf tools.tar.gz",
    "RUN npm i -g ./tools",
    "# check the harness\nRUN claude --version",
    "# aishell: ignore=AIS002 checked\nRUN claude --version",
    "RUN apt-get update \\\n    && claude --version",
    "RUN apt-get update \\\n# install jq\n && claude --version \\\n && apt-get install -y jq",
    "RUN <<EOF\nset -e\nclaude --version\nEOF",
    "RUN claude -p <<EOF && echo ok\nsummarise\nEOF",
    "RUN cat > /f <<EOF && claude --version; echo done\nhello\nEOF",
    'RUN ["codex", "--version"]',
    'RUN ["/bin/sh", "-c", "claude --version"]',
    "RUN bash -lc 'opencode --version'",
    "RUN sudo -u node env HOME=/home/node gemini --version; echo done",
    "RUN echo $(claude -v) && echo claude",
    "RUN yarn global add @google/gemini-cli",
    "RUN pnpm add -g opencode-ai@latest && rm -rf /tmp/*",
    "RUN bun add -g @openai/codex @google/gemini-cli",
    "RUN curl -fsSL https://claude.ai/install.sh | bash",
    'RUN n"p"m i -g @openai/codex',
    "RUN n\\pm i -g @openai/codex",
    "RUN npm install -g @anthropic-ai/claude-code typescript",
    # Installs spelled so that only the shell's reading names the package or host (AIS003's
    # pre-check: may_name_install), with another harness word in the RUN or not.
    "RUN npm i -g '@anthropic-ai/claude'-code",
    'RUN npm i -g @openai/co"d"ex && claude -v',
    "RUN npm i -g @google/gemini\\-cli",
    "RUN curl -fsSL HTTPS://WWW.Claude.AI./install.sh | bash",
    "RUN curl -fsSL https://opencode.ai/install | bash && claude -v",
    "RUN npm i -g https://registry.npmjs.org/opencode-ai/-/opencode-ai-0.1.0.tgz",
    'RUN ["npm", "i", "-g", "@openai/codex"]',
    "RUN bash <<EOF\nnpm i -g opencode-ai\nEOF",
    "RUN apt-get update",
    "RUN cue vet x.cue && bb -e 1",
    "ARG BUILD_DATE",
    "ENV X=1",
    "WORKDIR /app",
]


@st.composite
def dockerfiles(draw):
    lines = []
    for i in range(draw(st.integers(1, 6))):
        lines.append(draw(st.sampled_from(FROMS)).format(prev=f"s{max(i - 1, 0)}", i=i))
        lines.extend(draw(st.lists(st.sampled_from(STEPS), max_size=6)))
    text = "\n".join(lines) + ("\n" if draw(st.booleans()) else "")
    return text.replace("\n", "\r\n") if draw(st.integers(0, 4)) == 0 else text


def _findings(module, text: str) -> list:
    try:
        df = parse(text, "Dockerfile")
    except DockerfileSyntaxError:
        assume(False)
    return list(module.check(RuleContext(df, "Dockerfile")))


def _both(monkeypatch, module, switch: str, text: str) -> tuple[list, list]:
    monkeypatch.setattr(module, switch, False)
    general = _findings(module, text)
    monkeypatch.setattr(module, switch, True)
    fast = _findings(module, text)
    return general, fast


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=dockerfiles())
def test_ais002_reused_findings_are_the_findings_of_the_general_path(text, monkeypatch):
    general, fast = _both(monkeypatch, ais002, "_MEMO", text)
    assert fast == general


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=dockerfiles())
def test_ais002_memo_forgotten_midway_changes_nothing(text, monkeypatch):
    monkeypatch.setattr(ais002, "_MEMO_MAX", 2)
    general, fast = _both(monkeypatch, ais002, "_MEMO", text)
    assert fast == general


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=dockerfiles())
def test_ais003_prefilter_skips_only_runs_without_installs(text, monkeypatch):
    general, fast = _both(monkeypatch, ais003, "_PREFILTER", text)
    assert fast == general


@settings(max_examples=200, deadline=None)
@given(text=dockerfiles())
def test_ais001_and_ais004_findings_do_not_depend_on_what_came_before(text):
    # Their per-image-text tables are local to one check: linting twice gives the same.
    for module in (ais001, ais004):
        assert _findings(module, text) == _findings(module, text)


# The same RUN text before and after each thing that changes its findings: a harness installed
# (have), a directory copied onto PATH (maybe), a local install (local), files copied (files),
# an ONBUILD install after it; each with the RUN first in a stage and then in one FROM it.
STATE_CHANGES = [
    ("RUN codex --version", "RUN npm i -g @openai/codex"),
    ("RUN claude --version", "COPY tools/ /usr/local/bin/"),
    ("RUN claude --version", "RUN tar -C /usr/local/bin -xzf tools.tar.gz"),
    ("RUN npx claude --version", "RUN npm install @anthropic-ai/claude-code"),
    ("RUN ./claude --version", "COPY . /app"),
    ("ONBUILD RUN codex --version", "ONBUILD RUN npm i -g @openai/codex"),
    ("ONBUILD RUN claude --version", "COPY claude /usr/local/bin/"),
]


def test_each_state_a_finding_depends_on_is_in_the_memo_key(monkeypatch):
    for run, change in STATE_CHANGES:
        for text in (
            f"FROM node:24\n{run}\n{change}\n{run}\n",
            f"FROM node:24 AS a\n{run}\nFROM a AS b\n{change}\nFROM b\n{run}\n",
            f"FROM node:24 AS a\n{run}\n{change}\nFROM node:24\n{run}\n",
        ):
            general, fast = _both(monkeypatch, ais002, "_MEMO", text)
            assert fast == general, text


def test_a_stage_chain_reuses_findings_and_each_is_at_its_own_run(monkeypatch):
    text = "FROM node AS s0\n" + "".join(f"FROM s{i} AS s{i + 1}\nRUN claude --version\n" for i in range(200))
    general, fast = _both(monkeypatch, ais002, "_MEMO", text)
    assert fast == general and len(fast) == 200
    assert len({v.start for v in fast}) == 200


_pieces = st.sampled_from(
    ["claude", "codex", "gemini", "opencode", "clau", "de", "$", "${A}", "'", '"', "\\", " ", "x", "s1", ":", "é", "\t"]
)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(_pieces, max_size=10), body=st.lists(_pieces, max_size=6), heredoc=st.booleans())
def test_the_harness_pre_check_is_may_mention_harness(words, body, heredoc):
    from aishell.harness import may_mention_harness
    from aishell.lint_rules._provides import mentions_harness

    run = "RUN echo " + "".join(words).replace("\\", "\\\\")
    text = "FROM x\n" + (run + " <<EOF\n" + "".join(body).replace("EOF", "") + "\nEOF\n" if heredoc else run + "\n")
    try:
        df = parse(text, "Dockerfile")
    except DockerfileSyntaxError:
        assume(False)
    for ins in df.instructions:
        assert mentions_harness(ins) == may_mention_harness(ins)


@settings(max_examples=300, deadline=None)
@given(image=st.lists(_pieces, min_size=1, max_size=8), args=st.lists(_pieces, max_size=4))
def test_a_plain_from_text_expands_to_itself(image, args):
    from aishell.lint_rules._provides import expanded_global

    text = "".join(image).strip() or "x"
    df = parse("ARG A=aishell:base\nARG B=" + "".join(args).replace("\\", "") + "\nFROM scratch\n", "Dockerfile")
    assert expanded_global(df, text) == df.expand_global(text)
    long = "a" * 9000
    assert expanded_global(df, long) == df.expand_global(long)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(list("abcdelouxCLAUDE-_.@:/#=") + ["claude", "codex", "gemini", "opencode", "code", "cli"]),
        max_size=8,
    ).map("".join)
)
def test_a_package_word_without_an_executable_name_names_none(word):
    """run_provides reads a package manager's words only when they hold an executable's name:
    _installed_name answers one for no other word (every package name in its table holds one)."""
    from aishell.lint_rules import _provides

    assert all(any(exe in key for exe in _provides._EXECUTABLES) for key in _provides._PACKAGE_NAMES)
    if not any(exe in word.lower() for exe in _provides._EXECUTABLES):
        assert _provides._installed_name(word) is None


_WORDS = [
    "claude",
    "npx",
    "@openai/codex",
    "@openai/codex@1.2",
    "opencode-ai@latest",
    "claude@npm:@anthropic-ai/claude-code",
    "npm:@google/gemini-cli",
    "'@openai/codex'",
    "https://registry.npmjs.org/@anthropic-ai/claude-code/-/claude-code-1.0.0.tgz",
    "ln",
    "/usr/bin/codex",
    "x",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4), st.booleans())
def test_the_harness_of_a_command_is_the_same_from_the_memo(argv, clear):
    """_harness remembers package_harness of a first word: asked twice (the second time from
    the memo, or after it was cleared), it answers what the lookup itself gives."""
    from aishell.harness import BY_EXECUTABLE, package_harness
    from aishell.shell import Command

    if clear:
        ais002._PACKAGES.clear()
    name = argv[0].rsplit("/", 1)[-1]
    cmd = Command(argv, [], None, None, False, 0, False, name)
    expected = BY_EXECUTABLE.get(name) or package_harness(argv[0])
    assert ais002._harness(cmd) == expected
    assert ais002._harness(cmd) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["claude -v", "a | claude", "claude | b | c", "x $(claude) y", "sh -c 'a; claude'", "(a; b)"]),
        min_size=1,
        max_size=6,
    ),
    st.lists(st.sampled_from([" && ", "; ", " || ", " | ", " & "]), min_size=5, max_size=5),
)
def test_the_items_of_several_commands_are_those_a_scan_finds(items, ops):
    """_by_item keeps the items of more than one command, each with its commands in order (an
    item missing holds one): what a scan of the commands per item gives."""
    from aishell.shell import analyse_run

    body = items[0] + "".join(op + it for op, it in zip(ops, items[1:]))
    script = analyse_run(parse("FROM a\nRUN " + body + "\n").instructions[1])
    scan = {k: [c for c in script.commands if c.item == k] for k in {c.item for c in script.commands}}
    assert ais002._by_item(script) == {k: cs for k, cs in scan.items() if len(cs) > 1}


# A stage read and checked a part at a time (_PART): the steps that make it wait for the whole
# stage (ONBUILD: what later steps install is there when the trigger runs; a SHELL naming a
# harness: its finding counts what the steps before its RUN put on PATH), among the others.
PART_STEPS = STEPS + [
    'SHELL ["claude", "-c"]',
    'SHELL ["/bin/bash", "-lc"]',
    "ONBUILD RUN claude --version",
    "ONBUILD COPY claude /usr/local/bin/",
]


@st.composite
def long_stages(draw):
    lines = []
    for i in range(draw(st.integers(1, 3))):
        lines.append(draw(st.sampled_from(FROMS)).format(prev=f"s{max(i - 1, 0)}", i=i))
        lines.extend(draw(st.lists(st.sampled_from(PART_STEPS), max_size=10)))
    return "\n".join(lines) + "\n"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=long_stages(), part=st.integers(1, 3))
def test_ais002_a_stage_checked_a_part_at_a_time_finds_what_the_whole_stage_finds(text, part, monkeypatch):
    monkeypatch.setattr(ais002, "_PART", None)
    whole = _findings(ais002, text)
    monkeypatch.setattr(ais002, "_PART", part)
    assert _findings(ais002, text) == whole


def test_a_trigger_or_a_shell_is_checked_with_its_whole_stage(monkeypatch):
    """What a later step installs is on PATH when an ONBUILD trigger runs, in the stage built FROM
    this one; the first RUN after a harness's SHELL counts the steps before it."""
    for text in (
        "FROM node AS a\nONBUILD RUN claude -v\nRUN echo\nRUN npm i -g @anthropic-ai/claude-code\nFROM a\n",
        'FROM node\nRUN npm i -g @anthropic-ai/claude-code\nRUN echo\nSHELL ["claude", "-c"]\nRUN x\n',
    ):
        monkeypatch.setattr(ais002, "_PART", None)
        whole = _findings(ais002, text)
        monkeypatch.setattr(ais002, "_PART", 1)
        assert _findings(ais002, text) == whole, text


# Lines of heredoc bodies: what provides nothing, and each thing that may (a path, a redirection
# to a name, a function, an alias, `hash -p`, a profile, a creator, an install, project code, an
# expansion as a command, a package runner).
BODY_LINES = [
    "claude -v",
    "codex --version",
    "echo 1",
    "set -e",
    "true && claude -p hi",
    "echo x > claude",
    "echo x >> codex",
    "cp a claude",
    "ln -s a claude",
    "claude() { :; }",
    "function codex { :; }",
    "alias claude=true",
    "hash -p true claude",
    "echo . >> .profile",
    "profile=1",
    "npm i -g @anthropic-ai/claude-code",
    "pip install x",
    "brew install claude-code",
    "make install",
    "sh setup.sh",
    ". setup.sh",
    "$INSTALL claude",
    "npx claude -v",
    "xargs echo",
    "cd bin",
    "export PATH=bin:$PATH",
    "tee claude",
]


@st.composite
def heredoc_runs(draw):
    lines = ["FROM node:24", *draw(st.lists(st.sampled_from(["WORKDIR /usr/local/bin", "COPY . /app"]), max_size=2))]
    for _ in range(draw(st.integers(1, 3))):
        head = draw(st.sampled_from(["RUN <<EOF", "RUN bash <<EOF", "RUN <<EOF && claude -v", "RUN cat <<EOF"]))
        body = draw(st.lists(st.sampled_from(BODY_LINES), min_size=1, max_size=4))
        lines += [head, *body, "EOF"]
    return "\n".join(lines) + "\n"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=heredoc_runs())
def test_a_heredoc_run_that_provides_nothing_is_told_without_reading_it(text, monkeypatch):
    _told_as_the_general_path_tells(text, monkeypatch, "HEREDOC_NOTHING", False)


def _told_as_the_general_path_tells(text, monkeypatch, shortcut: str, general) -> None:
    """What each RUN of ``text`` provides (per WORKDIR and PATH) and AIS002's findings are the
    same with ``shortcut`` of the rule's module replaced by ``general`` (its general path)."""
    from aishell.shell import analyse_run

    df = parse(text, "Dockerfile")
    runs = [ins for ins in df.instructions if ins.keyword == "RUN"]
    places = [("/", frozenset()), ("/usr/local/bin", frozenset()), (None, frozenset({"/app/bin"}))]
    fast = [ais002._provided_by_step(df, ins, analyse_run(ins), place) for ins in runs for place in places]
    found = _findings(ais002, text)
    with monkeypatch.context() as m:  # (undone after each example: the fixture outlives them)
        m.setattr(ais002, shortcut, general)
        assert [ais002._provided_by_step(df, ins, analyse_run(ins), place) for ins in runs for place in places] == fast
        assert _findings(ais002, text) == found


@st.composite
def line_runs(draw):
    lines = ["FROM node:24", *draw(st.lists(st.sampled_from(["WORKDIR /usr/local/bin", "COPY . /app"]), max_size=2))]
    for _ in range(draw(st.integers(1, 3))):
        parts = draw(st.lists(st.sampled_from(BODY_LINES), min_size=1, max_size=4))
        lines.append("RUN " + draw(st.sampled_from([" && ", "; ", " || "])).join(parts))
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=line_runs())
def test_a_line_run_that_provides_nothing_is_told_without_reading_it(text, monkeypatch):
    # may_provide's "nothing" for a one-line RUN equals the general reading (`WORKDIR
    # /usr/local/bin`, `echo x > claude`: a relative redirection was once told nothing).
    _told_as_the_general_path_tells(text, monkeypatch, "may_provide", lambda text, script: True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=dockerfiles())
def test_ais002_reads_a_plain_command_span_as_the_spans_give_it(text, monkeypatch):
    """_check_run's own read of a plain line's first word span (SPAN_INLINE) finds what
    _PlainSpans.__getitem__ gives, for every form of STEPS (and the memo off: each RUN read)."""
    monkeypatch.setattr(ais002, "_MEMO", False)
    general, fast = _both(monkeypatch, ais002, "SPAN_INLINE", text)
    assert fast == general


def test_ais002_an_and_list_asks_no_span_of_its_calls(monkeypatch):
    """The benchmark's `&&` list on continued lines: no call of _PlainSpans.__getitem__ per
    harness call, and the findings of the general path."""
    from aishell import shell

    text = "FROM node\nRUN true" + (" && claude -v" * 20 + " \\\n") * 3 + " && claude -v\n"
    general, fast = _both(monkeypatch, ais002, "SPAN_INLINE", text)
    assert fast == general and len(fast) == 61
    calls = []
    saved = shell._PlainSpans.__getitem__
    monkeypatch.setattr(shell._PlainSpans, "__getitem__", lambda self, k: calls.append(k) or saved(self, k))
    assert _findings(ais002, text) == fast
    assert not calls


_CALLS = [
    "claude -v",
    "claude -v",
    "claude -v",
    "codex x",
    "./claude -v",
    "bin/claude",
    "npx claude",
    "npm i -g @anthropic-ai/claude-code",
    "npm install @anthropic-ai/claude-code",
    "curl -o /usr/local/bin/claude https://x",
    "ln -s /x claude",
    "claude() { :; }",
    "unset -f claude",
    "c=claude",
    "$c -v",
    "./setup.sh",
    "cat <<EOF | sh",
    "true",
    "false",
    "exit 0",
    "set -e",
    "sudo claude -v",
    "[ -f x ]",
    "export PATH=/app/node_modules/.bin:$PATH",
]
_JOINTS = [" && ", " && ", " || ", "; ", " | ", " & ", " \\\n && "]
_BEFORE = [
    "",
    "COPY . /app\n",
    "ENV PATH=/app/node_modules/.bin:$PATH\n",
    "RUN npm i @openai/codex\n",
    'SHELL ["pwsh", "-c"]\n',
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    calls=st.lists(st.tuples(st.sampled_from(_JOINTS), st.sampled_from(_CALLS)), min_size=1, max_size=14),
    before=st.sampled_from(_BEFORE),
    base=st.sampled_from(["FROM node", "FROM aishell:foundation", "FROM node AS s\nFROM s"]),
    head=st.sampled_from(["RUN ", "ONBUILD RUN ", "RUN --mount=type=bind,target=/usr/local/bin "]),
)
def test_ais002_repeated_calls_are_found_as_the_first(calls, before, base, head, monkeypatch):
    """A harness call of the same words as one before it in the RUN (REPEAT_CALLS) is found as
    the general path finds it: calls repeated before and after what installs, links, defines,
    unsets, runs a package runner, a fed heredoc, the project's code, an expansion; in `||`,
    pipelines, `&`; with files copied, PATH set, a local install before, a non-POSIX SHELL."""
    line = "true" + "".join(j + c for j, c in calls)
    body = "claude -v\nEOF\n" if "<<EOF" in line else ""
    text = base + "\n" + before + head + line + "\n" + body
    monkeypatch.setattr(ais002, "_MEMO", False)
    general, fast = _both(monkeypatch, ais002, "REPEAT_CALLS", text)
    assert fast == general


def test_ais002_an_and_list_checks_each_call_once_for_its_words(monkeypatch):
    """The benchmark's `&&` list: the harness of the calls is looked up for the first only
    (BY_EXECUTABLE), the rest taken from it; the findings of the general path."""
    text = "FROM node\nRUN true" + " && claude -v" * 60 + "\n"
    general, fast = _both(monkeypatch, ais002, "REPEAT_CALLS", text)
    assert fast == general and len(fast) == 60
    looked = []

    class Counted(dict):
        def get(self, *a):
            looked.append(a)
            return super().get(*a)

    monkeypatch.setattr(ais002, "BY_EXECUTABLE", Counted(ais002.BY_EXECUTABLE))
    assert _findings(ais002, text) == fast
    assert len(looked) == 2  # (`true`, the first `claude`)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    calls=st.lists(st.tuples(st.sampled_from(_JOINTS), st.sampled_from(_CALLS)), min_size=8, max_size=20),
    before=st.sampled_from(_BEFORE),
    head=st.sampled_from(["RUN ", "ONBUILD RUN ", "RUN --network=none "]),
    comment=st.sampled_from(["", " \\\n# c\n && true", " \\\r\n && true", " && cat <<<x", " && cat <<EOF"]),
)
def test_ais002_a_clean_run_is_fixed_as_drop_item_fixes_it(calls, before, head, comment, monkeypatch):
    """The fix of a call after ` && ` or ` || ` in a RUN of more than 8 items with no `<<`, `#`
    nor CR (CLEAN_INLINE) is drop_item's: and-or lists of calls and other commands, in a RUN, an
    ONBUILD RUN, with a comment line, a CRLF, a here-string or a heredoc in the RUN or not."""
    line = "true" + "".join(j + c for j, c in calls) + comment
    body = "claude -v\nEOF\n" if "<<EOF" in line else ""
    text = "FROM node\n" + before + head + line + "\n" + body
    monkeypatch.setattr(ais002, "_MEMO", False)
    general, fast = _both(monkeypatch, ais002, "CLEAN_INLINE", text)
    assert fast == general


def test_ais002_a_clean_and_list_is_fixed_without_drop_item(monkeypatch):
    """The benchmark's `&&` list: no drop_item call for its calls after the first's (` && `)."""
    text = "FROM node\nRUN true" + " && claude -v" * 60 + "\n"
    general, fast = _both(monkeypatch, ais002, "CLEAN_INLINE", text)
    assert fast == general and len(fast) == 60 and all(v.fix for v in fast)
    calls = []
    saved = ais002.drop_item
    monkeypatch.setattr(ais002, "drop_item", lambda *a: calls.append(a) or saved(*a))
    assert _findings(ais002, text) == fast
    assert not calls


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=dockerfiles(), keep=st.sampled_from([0, 1, 4096]))
@example(
    text="FROM node:24 AS s0\nONBUILD RUN npm i -g @anthropic-ai/claude-code\nONBUILD RUN claude --version\n"
    "FROM s0\nRUN claude --version",
    keep=0,
)
@example(
    text="FROM node:24 AS s0\nONBUILD RUN claude -v || true\nONBUILD RUN npm i -g @anthropic-ai/claude-code\n"
    "ONBUILD RUN claude --version\nFROM s0\nRUN claude --version",
    keep=0,
)
def test_ais002_triggers_take_the_scripts_read_before(text, keep, monkeypatch):
    """_trigger_effects given the ONBUILD RUNs' scripts _check read (TRIGGER_SCRIPTS) finds what
    it finds reading them again, with analyse_run keeping none, one or its default of scripts
    (past what it keeps, the trigger's script is another reading of the same RUN)."""
    monkeypatch.setattr(shell, "KEEP_SCRIPTS", keep)
    general, fast = _both(monkeypatch, ais002, "TRIGGER_SCRIPTS", text)
    assert fast == general


def test_ais002_reads_each_onbuild_run_once(monkeypatch):
    """The benchmark's ONBUILD installs in a stage of more RUNs than analyse_run keeps (here it
    keeps none, nor the texts it read): each trigger is read once, by _check, not again by
    _trigger_effects. (With VERSION_DIGITS off: on, most are not read at all,
    tests/test_version_digits_fast.py.)"""
    text = "FROM node:24\n" + "".join(f"ONBUILD RUN npm i -g @anthropic-ai/claude-code@1.0.{i}\n" for i in range(10))
    monkeypatch.setattr(_provides, "VERSION_DIGITS", False)
    monkeypatch.setattr(shell, "KEEP_SCRIPTS", 0)
    monkeypatch.setattr(shell, "_SEEN", {})
    monkeypatch.setattr(shell, "_SEEN_MAX", 1)  # (nor more than the last text read)
    reads = []
    analyse = shell._analyse
    monkeypatch.setattr(shell, "_analyse", lambda *a, **k: reads.append(1) or analyse(*a, **k))
    _findings(ais002, text)
    assert len(reads) == 10


def test_ais002_reads_each_install_once_in_a_long_stage(monkeypatch):
    """A stage of 3,000 distinct install RUNs (read and checked a part at a time): each RUN's
    installs are read once (as its part is read; its check takes them from _INSTALLS)."""
    text = "FROM node:24\n" + "".join(f"RUN npm i -g @anthropic-ai/claude-code@1.0.{i}\n" for i in range(3000))
    reads = []
    read = ais002._read_installs
    monkeypatch.setattr(ais002, "_read_installs", lambda *a: reads.append(1) or read(*a))
    monkeypatch.setattr(ais002, "_INSTALLS", {})  # (what the tests before left in it: forgotten midway)
    _findings(ais002, text)
    assert len(reads) <= 3000 + 3  # (a part's first entry may find the memo just forgotten)


_FED_LINES = [
    "bash <<EOF",
    "sh -e <<-'EOF'",
    "<<EOF",
    "cat <<EOF | sh",
    "bash <<EOF && true",
    "true && bash <<EOF",
    "bash <<EOF > /log",
    "python3 <<EOF",
    "sh <<EOF <<X",
    "sh \\\n  <<EOF",
]
_FED_BODIES = ["claude -v", "codex x", "claude -v\necho 1", "echo 1 && claude -v", "c=claude; $c -v", "echo 1"]
_FED_ABOVE = ["", "# c\n", "# c\n\n# d\n", "RUN true\n", "ARG X\n# c\n", "COPY . /app\n"]


def _dropping(monkeypatch, text: str, on: bool) -> tuple[list, int]:
    """AIS002's findings with BODY_DROP ``on``, and how many drop_item calls removed a second item."""
    calls = []
    saved = ais002.drop_item
    monkeypatch.setattr(ais002, "drop_item", lambda *a: calls.append(a[3] == 1) or saved(*a))
    monkeypatch.setattr(ais002, "BODY_DROP", on)
    try:
        return _findings(ais002, text), sum(calls)
    finally:
        monkeypatch.setattr(ais002, "drop_item", saved)


def test_ais002_a_body_that_takes_the_run_is_fixed_as_drop_item_fixes_it(monkeypatch):
    """The fix of a harness call that is a heredoc body's one item, the line's one item feeding
    it to a shell (BODY_DROP: the RUN goes, as for a RUN's only item), is drop_item's: lines of
    the form and near it (two items that do not take the RUN, more items), bodies of one item and
    more, as a RUN and an ONBUILD RUN, with comment and blank lines above it, the file's last
    lines without a final newline and CRLF lines; every finding of each file with it on and off
    (a file of six RUNs for each line, body and ending: 10 × 6 × 4 × 6 = 1,440 RUNs)."""
    monkeypatch.setattr(ais002, "_MEMO", False)
    taken = 0
    for line, body in ((a, b) for a in _FED_LINES for b in _FED_BODIES):
        for head, ending in (("RUN ", "\n"), ("RUN ", ""), ("RUN ", "\r\n"), ("ONBUILD RUN ", "\n")):
            if True:
                parts = [
                    f"{_FED_ABOVE[k]}{head}{line}\n{body}\nEOF\n" + ("x\nX\n" if "<<X" in line else "")
                    for k in range(len(_FED_ABOVE))
                ]
                text = "FROM node\n" + "".join(parts).rstrip("\n") + ("\n" if ending == "\n" else "")
                if ending == "\r\n":
                    text = text.replace("\n", "\r\n")
                general, fast = (_dropping(monkeypatch, text, on) for on in (False, True))
                assert fast[0] == general[0], text
                taken += general[1] - fast[1]  # (drop_item calls made for a second item)
    assert taken > 200, taken  # (288: the fed bodies of one item, each file six)


def test_ais002_a_fed_body_is_fixed_without_drop_item(monkeypatch):
    """The benchmark's `RUN bash <<EN` of `claude -v`: no drop_item call (BODY_DROP)."""
    text = "FROM node\n" + "".join(f"RUN bash <<E{i}\nclaude -v\nE{i}\n" for i in range(40))
    monkeypatch.setattr(ais002, "_MEMO", False)
    general, fast = _both(monkeypatch, ais002, "BODY_DROP", text)
    assert fast == general and len(fast) == 40 and all(v.fix for v in fast)
    calls = []
    saved = ais002.drop_item
    monkeypatch.setattr(ais002, "drop_item", lambda *a: calls.append(a) or saved(*a))
    assert _findings(ais002, text) == fast
    assert not calls
