"""A harness call after a step that runs the project's own code is a warning, not an error.

Found by a red team: `COPY install-claude.sh /tmp/` then `RUN sh /tmp/install-claude.sh && claude -v`
was an AIS002 error, which blocks `aishell build`, though the script may well install claude;
so were `./setup.sh`, `make install`, `npm run setup`, `python3 install.py`, `node install.js`,
`ansible-playbook`, `dpkg -i claude.deb` and `. ./env.sh` before the call, in the same RUN or an
earlier one, while `apt-get install -y ./claude.deb`, `pip install .` and `curl … | bash` were
warnings. An error must mean the build surely fails: code aishell does not read may put the
harness on PATH. Every such runner × in the same RUN (`&&`, `;` with set -e) or an earlier RUN
× every harness: a warning; the controls (a known command before it, or the runner after the
call) stay errors.
"""

import pytest

from aishell.lint import Options, lint_text

RUNNERS = [
    "sh /tmp/install-claude.sh",
    "bash ./scripts/setup",
    "./setup.sh",
    "/opt/tools/bootstrap",
    "make install",
    "make",
    "cmake --install build",
    "npm run setup",
    "yarn run setup",
    "pnpm run setup",
    "python3 install.py",
    "python /tmp/setup.py",
    "node install.js",
    "ruby setup.rb",
    "perl Makefile.PL",
    "ansible-playbook site.yml",
    "dpkg -i /tmp/claude.deb",
    ". ./env.sh",
    "source /etc/profile.d/tools.sh",
]
CONTROLS = ["echo hi", "apt-get update", "mkdir -p /opt/x", "true", "cd /app"]
CALLS = ["claude -v", "codex --version", "gemini -p hi", "opencode run x"]


def _severities(text: str) -> list[str]:
    return [f.severity for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings if f.code == "AIS002"]


def _files(before: str, call: str):
    head = "FROM aishell:foundation AS base\nCOPY . /src\nWORKDIR /src\n"
    yield head + f"RUN {before} && {call}\n"
    yield head + f"RUN set -e; {before}; {call}\n"
    yield head + f"RUN {before}\nRUN {call}\n"
    yield head + f"RUN {before}\nFROM base\nRUN {call}\n"


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("runner", RUNNERS)
def test_after_project_code_the_call_is_a_warning(runner, call):
    for k, text in enumerate(_files(runner, call)):
        got = _severities(text)
        assert got == ["warning"], (k, text, got)


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("before", CONTROLS)
def test_after_a_known_command_it_stays_an_error(before, call):
    for k, text in enumerate(list(_files(before, call))[:3]):
        assert _severities(text) == ["error"], (k, text)


@pytest.mark.parametrize("runner", RUNNERS)
def test_project_code_after_the_call_changes_nothing(runner):
    text = f"FROM aishell:foundation\nCOPY . /src\nWORKDIR /src\nRUN claude -v && {runner}\n"
    assert _severities(text) == ["error"], text
