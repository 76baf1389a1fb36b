"""AIS002's INSTALLS_ONLY (issue 18: `RUN npm install -g @anthropic-ai/claude-code@1.0.N`, 19,000
RUNs a MB, each read by run_provides for nothing it did not know): a RUN whose commands are
installs only (_provides.install_bound) and whose every harness run_provides may give it installs
surely is not read by run_provides; what it provides is what the general path gives.

- install_bound is an upper bound: each name run_provides gives (for any WORKDIR, known or not,
  and any PATH directories an ENV added) is in it, over generated install RUNs (managers,
  verbs, options, packages by name, scope, version, path, tarball, expansion, GitHub shorthand),
  on a line, continued, in exec form and as ONBUILD RUNs.
- _provided_by_step answers the same (sure, probable) with the switch on and off, and the
  rule's findings over generated Dockerfiles (those RUNs among harness calls in the same RUN
  and after it, WORKDIRs on PATH, ENV PATH, npm_config_ variables, mounts, ONBUILD) are the same.
- the class is taken: run_provides is not called for a RUN of global installs of harness
  packages (the benchmark's `harness_installs` and `onbuild_installs` forms among them).
"""

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aishell.lint_rules import _provides
from aishell.lint_rules import ais002_harness_at_build_time as ais002
from aishell.model import DockerfileSyntaxError, parse
from aishell.rule import RuleContext
from aishell.shell import analyse_run

MANAGERS = ["npm", "pnpm", "yarn", "bun", "/usr/bin/npm", "sudo npm"]
VERBS = ["install", "i", "add", "global add", "ci", "link", "run", "use", "get", "update"]
OPTIONS = ["-g", "--global", "--location=global", "-D", "--prefix /usr/local", "--prefix=/opt", "-y", ""]
PACKAGES = [
    "@anthropic-ai/claude-code",
    "@anthropic-ai/claude-code@1.0.3",
    "@openai/codex",
    "@openai/codex@latest",
    "@google/gemini-cli",
    "opencode-ai",
    "claude-cli",
    "claude",
    "codex",
    "bin/claude",
    "anthropics/claude-code",
    "typescript",
    "./claude-code",
    "/tmp/codex",
    "file:claude",
    "anthropic-ai-claude-code-1.0.0.tgz",
    "~/x",
    "$PKG",
    "@anthropic-ai/claude-code@$V",
    "alias-x",
    "my-function",
]


@st.composite
def installs(draw):
    manager = draw(st.sampled_from(MANAGERS))
    words = [draw(st.sampled_from(OPTIONS)), draw(st.sampled_from(VERBS))]
    words.insert(draw(st.integers(0, 2)), draw(st.sampled_from(OPTIONS)))
    words += draw(st.lists(st.sampled_from(PACKAGES), min_size=0, max_size=3))
    return " ".join(w for w in [manager, *words] if w)


OPS = [" && ", "; ", " || ", " &&\\\n    "]
TAILS = ["", " && claude -v", "; codex --version", " && echo done > /tmp/x", " && (cd /tmp)"]


@st.composite
def runs(draw):
    cmds = draw(st.lists(installs(), min_size=1, max_size=3))
    line = cmds[0] + "".join(draw(st.sampled_from(OPS)) + c for c in cmds[1:]) + draw(st.sampled_from(TAILS))
    form = draw(st.integers(0, 5))
    if form == 0:
        return "ONBUILD RUN " + line
    if form == 1:
        return "RUN --mount=type=cache,target=/usr/local/lib/node_modules " + line
    if form == 2 and len(cmds) == 1:
        return "RUN [" + ", ".join(f'"{w}"' for w in cmds[0].split()) + "]"
    return "RUN " + line


STEPS = [
    "WORKDIR /usr/local",
    "WORKDIR /usr/local/bin",
    "WORKDIR $DIR",
    "WORKDIR /app",
    "ENV PATH=/app/bin:/usr/local/lib/node_modules/.bin:$PATH",
    "ENV npm_config_global=true",
    "ARG npm_config_location",
    "COPY . /app",
    "RUN claude -v",
    "RUN codex --version && gemini -p hi",
    "RUN npx claude -v",
    "ONBUILD RUN claude -v",
]
FROMS = ["FROM aishell:foundation", "FROM node:24 AS s{i}", "FROM s0", "FROM ghcr.io/x/y"]


@st.composite
def dockerfiles(draw):
    lines = []
    for i in range(draw(st.integers(1, 3))):
        lines.append(draw(st.sampled_from(FROMS)).format(i=i))
        for _ in range(draw(st.integers(1, 6))):
            lines.append(draw(runs()) if draw(st.integers(0, 2)) else draw(st.sampled_from(STEPS)))
    return "\n".join(lines) + "\n"


def _parsed(text: str):
    try:
        return parse(text, "Dockerfile")
    except DockerfileSyntaxError:
        assume(False)


def _findings(text: str) -> list:
    return list(ais002.check(RuleContext(_parsed(text), "Dockerfile")))


PLACES = [
    ("/", frozenset()),
    ("/usr/local", frozenset()),
    ("/usr/local/bin", frozenset()),
    ("/app", frozenset({"/app/bin", "/app"})),
    (None, frozenset()),
    (None, frozenset({"/opt/x"})),
]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=runs())
def test_install_bound_holds_every_name_run_provides_gives(text, monkeypatch):
    df = _parsed("FROM aishell:foundation\n" + text + "\n")
    ins = df.instructions[1]
    script = analyse_run(ins)
    source = df.text[ins.start : ins.end]
    bound = _provides.install_bound(source, script, ais002._NAMES)
    for place in PLACES:
        given = _provides.run_provides(source, ins.start, script, ais002._NAMES, *place)
        if bound is not None:
            assert {p[0] for p in given} <= bound, (text, place, given)
        fast = ais002._provided_by_step(df, ins, script, place)
        with monkeypatch.context() as m:
            m.setattr(ais002, "INSTALLS_ONLY", False)
            general = ais002._provided_by_step(df, ins, script, place)
        assert fast[:2] == general[:2], (text, place)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=dockerfiles())
def test_ais002_with_installs_only_finds_what_the_general_path_finds(text, monkeypatch):
    with monkeypatch.context() as m:  # (undone after each example: the fixture outlives them)
        m.setattr(ais002, "INSTALLS_ONLY", False)
        general = _findings(text)
    assert _findings(text) == general, text


HARNESS_PACKAGES = ["@anthropic-ai/claude-code", "@openai/codex", "@google/gemini-cli", "opencode-ai"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    manager=st.sampled_from(["npm install -g", "npm i -g", "npm add --global", "pnpm add -g", "npm -g install"]),
    packages=st.lists(st.sampled_from(HARNESS_PACKAGES), min_size=1, max_size=3),
    version=st.sampled_from(["", "@1.0.3", "@latest"]),
    onbuild=st.booleans(),
    workdir=st.sampled_from(["", "WORKDIR /usr/local\n", "WORKDIR /usr/local/bin\n"]),
)
def test_a_run_of_harness_installs_is_not_read_by_run_provides(
    manager, packages, version, onbuild, workdir, monkeypatch
):
    run = ("ONBUILD RUN " if onbuild else "RUN ") + manager + " " + " ".join(p + version for p in packages)
    text = f"FROM aishell:foundation\n{workdir}{run}\n"
    calls = []
    real = ais002.run_provides
    with monkeypatch.context() as m:
        m.setattr(ais002, "run_provides", lambda *a: calls.append(a) or real(*a))
        _findings(text)
    assert calls == [], run


@settings(max_examples=1500, deadline=None)
@given(
    word=st.one_of(
        st.sampled_from(PACKAGES),
        st.lists(
            st.sampled_from(
                [
                    "claude",
                    "CODEX",
                    "Gemini",
                    "opencode",
                    "-code",
                    "-cli",
                    "-ai",
                    "@",
                    "/",
                    "#",
                    ":",
                    ".",
                    "_",
                    "x",
                    "1",
                ]
            ),
            max_size=6,
        ).map("".join),
        st.text(max_size=12),
    )
)
def test_install_bound_words_hold_the_installed_name(word):
    # install_bound reads a command's words lower-cased for the names _installed_name gives.
    exe = _provides._installed_name(word)
    assert exe is None or exe in word.lower(), word


# -- TRIGGER_INSTALLS: a stage of ONBUILD installs longer than _installs' memo -----------------


def test_an_onbuild_stage_reads_each_install_once(monkeypatch):
    """A stage of ONBUILD installs (kept whole) longer than _INSTALLS_MAX: _trigger_effects reads
    each ONBUILD RUN's installs, and its check takes them (not read again the stage later)."""
    text = "FROM aishell:foundation\n" + "".join(
        f"ONBUILD RUN npm i -g @anthropic-ai/claude-code@1.0.{i} && claude -v\n" for i in range(40)
    )
    for on in (True, False):
        reads = []
        read = ais002._read_installs
        with monkeypatch.context() as m:
            m.setattr(ais002, "_read_installs", lambda *a: reads.append(1) or read(*a))
            m.setattr(ais002, "_INSTALLS", {})
            m.setattr(ais002, "_INSTALLS_MAX", 4)
            m.setattr(ais002, "_INSTALLS_ROOM", [4])
            m.setattr(ais002, "TRIGGER_INSTALLS", on)
            _findings(text)
            assert ais002._INSTALLS_ROOM == [4]
        assert (len(reads) == 40) == on, len(reads)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=dockerfiles())
def test_ais002_with_trigger_installs_finds_what_the_general_path_finds(text, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(ais002, "_INSTALLS", {})
        m.setattr(ais002, "_INSTALLS_MAX", 2)
        m.setattr(ais002, "_INSTALLS_ROOM", [2])
        m.setattr(ais002, "TRIGGER_INSTALLS", False)
        general = _findings(text)
        m.setattr(ais002, "TRIGGER_INSTALLS", True)
        assert _findings(text) == general, text
