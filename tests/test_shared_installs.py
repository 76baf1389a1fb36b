"""An install command is read once for AIS002 and AIS003 (SHARED_INSTALLS), and AIS003's message
of an install of one harness is made once (SHARED_MESSAGES) (issue 18).

aishell.harness.find_install_shared keeps find_install's answer for a command with no variables
given by its argv list (the same list for every reading of the command: its script as read, kept
compact, or moved); AIS002's _read_installs asks first, AIS003 then takes it. Here every rule's
findings are the same with each switch on and off over generated files (installs of every tool
and spelling, with npm_config_ variables, ONBUILD, heredocs, moved RUN texts), and each install
command of the benchmark's shape is read once.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aishell import compact, harness, shell
from aishell.lint import Options, lint_text
from aishell.lint_rules import ais003_harness_installed_in_extension as ais003
from aishell.model import DockerfileSyntaxError, parse

from tests.test_compact_scripts import _MORE, _files

_INSTALLS = [
    "RUN npm i -g @openai/codex @anthropic-ai/claude-code",
    "RUN npm_config_global=true npm i @google/gemini-cli",
    "ENV npm_config_global=true\nRUN npm i opencode-ai",
    "RUN brew install --cask claude-code && brew install gemini-cli",
    "RUN yarn global add @openai/codex typescript",
    "RUN corepack pnpm@9 add -g opencode-ai",
    "RUN volta install @anthropic-ai/claude-code",
    "ONBUILD RUN bun add -g @openai/codex",
    "RUN curl -fsSL https://claude.ai/install.sh | bash",
    "RUN npm i -g @openai/codex\nRUN npm i -g @openai/codex",
    "RUN PKG=@openai/codex; npm i -g $PKG",
    "RUN <<EOF\nnpm i -g @anthropic-ai/claude-code\nEOF",
]


def _lint(text: str, keep: int = shell.KEEP_SCRIPTS, **switches) -> list:
    """The findings, with ``switches`` set and ``keep`` scripts kept whole (fewer: the scripts
    let go kept compact take their installs read with them, and give them back)."""
    saved = {name: getattr(harness if name == "SHARED_INSTALLS" else ais003, name) for name in switches}
    saved_keep = shell.KEEP_SCRIPTS
    try:
        for name, value in switches.items():
            setattr(harness if name == "SHARED_INSTALLS" else ais003, name, value)
        shell._SEEN = {}
        shell.KEEP_SCRIPTS = keep
        shell._KEPT.clear()
        harness.forget_installs()
        ais003._MESSAGES.clear()
        return list(lint_text(text, "Dockerfile", Options(use_config=False)).findings)
    finally:
        for name, value in saved.items():
            setattr(harness if name == "SHARED_INSTALLS" else ais003, name, value)
        shell._SEEN = {}
        shell.KEEP_SCRIPTS = saved_keep
        shell._KEPT.clear()


@st.composite
def _install_files(draw):
    text = draw(_files())
    return text + "\n".join(draw(st.lists(st.sampled_from(_INSTALLS), max_size=6))) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=_install_files(),
    switch=st.sampled_from(["SHARED_INSTALLS", "SHARED_MESSAGES"]),
    keep=st.sampled_from([0, 1, 2, shell.KEEP_SCRIPTS]),
)
@example(text="FROM aishell:foundation\n" + "\n".join(_MORE + _INSTALLS) + "\n", switch="SHARED_INSTALLS", keep=0)
@example(text="FROM aishell:foundation\n" + "\n".join(_MORE + _INSTALLS) + "\n", switch="SHARED_MESSAGES", keep=0)
def test_shared_installs_and_messages_change_no_finding(text, switch, keep):
    try:
        parse(text, "Dockerfile")
    except DockerfileSyntaxError:
        return
    try:
        off = _lint(text, keep, **{switch: False})
    except Exception as e:  # noqa: BLE001 (a file lint refuses: both ways)
        assert type(e).__name__ == "InputError"
        return
    assert _lint(text, keep, **{switch: True}) == off


def test_each_install_command_is_read_once(monkeypatch):
    """The benchmark's shape, in more RUNs than analyse_run keeps whole: AIS002 and AIS003 read
    each install command once (find_install), and its findings share one message. (The
    version-digit memo, VERSION_DIGITS, would answer most of these RUNs without reading them: off
    here, where each command's reading is counted.)"""
    from aishell.lint_rules import _provides

    monkeypatch.setattr(_provides, "VERSION_DIGITS", False)
    text = "FROM aishell:foundation\n" + "".join(
        f"RUN npm install -g @anthropic-ai/claude-code@1.0.{i}\n" for i in range(20)
    )
    monkeypatch.setattr(shell, "KEEP_SCRIPTS", 0)
    monkeypatch.setattr(shell, "_SEEN", {})
    calls = []
    find = harness.find_install
    monkeypatch.setattr(harness, "find_install", lambda *a, **k: calls.append(1) or find(*a, **k))
    findings = lint_text(text, "Dockerfile", Options(use_config=False)).findings
    assert len(findings) == 20
    assert len(calls) == 20
    assert len({id(f.message) for f in findings}) == 1


def test_a_compact_script_takes_its_installs_and_gives_them_back(monkeypatch):
    """A script kept compact takes the installs AIS002 read of its commands (out of the shared
    ones: those held are the last RUNs', not every RUN's), and gives them back when read again:
    AIS003 reads none again; the answers taken of one harness's installs are one object."""
    monkeypatch.setattr(shell, "KEEP_SCRIPTS", 1)
    monkeypatch.setattr(shell, "_SEEN", {})
    # (The shared installs as a lint starts them: empty. A test before this one in the same
    # worker may have read installs outside a lint, which lets go of them at its end.)
    monkeypatch.setattr(harness, "_SHARED", {})
    text = "FROM aishell:foundation\n" + "".join(f"RUN npm i -g @openai/codex@0.{i} && echo {i}\n" for i in range(30))
    df = parse(text, "Dockerfile")
    shell.start_file(len(text), frozenset({"npm"}))
    runs = df.instructions[1:]
    for ins in runs:
        for cmd in shell.analyse_run(ins).commands:
            harness.find_install_shared(cmd.argv)
    held = len(harness._SHARED)
    kept = [ins.shell for ins in runs[:-1]]  # (the last is kept whole: it lets go of none)
    assert all(type(k) is compact.Compact for k in kept) and held == 2  # (the last RUN's)
    assert len({id(k.found[0]) for k in kept}) == 1 and all(k.found[1] is None for k in kept)
    calls = []
    find = harness.find_install
    monkeypatch.setattr(harness, "find_install", lambda *a, **k: calls.append(1) or find(*a, **k))
    for ins in runs:
        for cmd in shell.analyse_run(ins).commands:
            assert harness.find_install_shared(cmd.argv) == find(cmd.argv)
    assert calls == []
    shell.end_file()
    harness.forget_installs()
