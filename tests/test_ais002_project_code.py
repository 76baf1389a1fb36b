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
from tests.severities import severities as _severities

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


def _files(before: str, call: str):
    head = "FROM aishell:foundation AS base\nCOPY . /src\nWORKDIR /src\n"
    yield head + f"RUN {before} && {call}\n"
    yield head + f"RUN set -e; {before}; {call}\n"
    yield head + f"RUN {before}\nRUN {call}\n"
    yield head + f"RUN {before}\nFROM base\nRUN {call}\n"


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("runner", RUNNERS)
def test_after_project_code_the_call_is_a_warning(runner, call):
    """In the same RUN, a later RUN, or a stage built FROM it."""
    for k, text in enumerate(_files(runner, call)):
        got = _severities(text)
        assert got == ["warning"], (k, text, got)


# Where the project code stands to the call within one RUN: (template, runs after it). The call
# runs after the code in a later item of the RUN's list (`&&`, `;`, `||`, `&`, a newline of its
# heredoc, a line after it in a file the RUN writes and runs), or after it in the same compound
# or control structure; not before it, not beside it in a top-level pipeline (both start at
# once), not in a file the RUN wrote before running the code (`cat > f <<EOF && sh f`: the
# file's lines run when `sh f` does, and `sh f` is the code).
PLACES = [
    ("RUN {code} && {call}", True),
    ("RUN set -e; {code}; {call}", True),
    ("RUN {code} || {call}", True),
    ("RUN {code} & {call}", True),
    ("RUN <<EOF\nset -e\n{code}\n{call}\nEOF", True),
    ("RUN if {code}; then {call}; fi", True),
    ("RUN set -e; ( {code} && {call} )", True),
    ("RUN set -e; {{ {code}; {call}; }}", True),
    ("RUN cat > /tmp/r.sh <<EOF && sh /tmp/r.sh\nset -e\n{code}\n{call}\nEOF", True),
    ("RUN {call} && {code}", False),
    ("RUN set -e; {call}; {code}", False),
    ("RUN {code} | {call}", False),
    ("RUN <<EOF\nset -e\n{call}\n{code}\nEOF", False),
    ("RUN set -e; ( {call} && {code} )", False),
    ("RUN cat > /tmp/r.sh <<EOF && {code} && sh /tmp/r.sh\nset -e\n{call}\nEOF", False),
    # A body's commands are counted in the body's own list: not compared with the line's.
    ("RUN cat > /tmp/r.sh <<EOF && sh /tmp/r.sh\nset -e\ncd /\necho a\necho b\n{call}\nEOF", False),
    ("RUN cat > /tmp/r.sh <<EOF && {code} && sh /tmp/r.sh\nset -e\necho a\necho b\n{call}\nEOF", False),
    ("RUN echo a && echo b && {call} && cat > /tmp/r.sh <<EOF\nset -e\n{code}\nEOF", False),
]


@pytest.mark.parametrize("call", CALLS[:2])
@pytest.mark.parametrize("runner", [r for r in RUNNERS if not r.startswith((". ", "source "))])
@pytest.mark.parametrize("place,after", PLACES)
def test_within_a_run_only_what_runs_after_the_code_is_a_warning(place, after, runner, call):
    text = "FROM aishell:foundation\nCOPY . /src\nWORKDIR /src\n" + place.format(code=runner, call=call) + "\n"
    got = _severities(text)
    if after:
        assert got == ["warning"], text
    else:
        assert "error" in got, text


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("before", CONTROLS)
def test_after_a_known_command_it_stays_an_error(before, call):
    for k, text in enumerate(list(_files(before, call))[:3]):
        assert _severities(text) == ["error"], (k, text)


@pytest.mark.parametrize("runner", RUNNERS)
def test_project_code_after_the_call_changes_nothing(runner):
    text = f"FROM aishell:foundation\nCOPY . /src\nWORKDIR /src\nRUN claude -v && {runner}\n"
    assert _severities(text) == ["error"], text


# A stranger's review of the change: what is no project code keeps the error.
NOT_PROJECT_CODE = [
    ("RUN . /etc/os-release && echo $VERSION_CODENAME\n", "RUN claude -v\n"),
    ('RUN bash -o pipefail -c "apt-get update"\n', "RUN claude -v\n"),
    ("RUN bash -o pipefail <<EOF\nclaude --version\nEOF\n", ""),
    ("RUN . /dev/stdin <<EOF\nclaude --version\nEOF\n", ""),
    ("RUN npx -y @biomejs/biome --version\n", "RUN claude -v\n"),
    ("RUN /usr/local/bin/pip install requests\n", "RUN claude -v\n"),
    ("RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install requests && claude -v\n", ""),
    ("RUN python3 -X utf8 -m pip install requests && claude -v\n", ""),
    ("RUN make all 2>&1 | claude -p summarize\n", ""),
    # A file the RUN wrote and runs is read as a script: no code aishell does not read.
    ("RUN cat > /tmp/r.sh <<EOF && sh /tmp/r.sh && claude -v\necho hi\nEOF\n", ""),
    ("RUN cat > /tmp/r.sh <<EOF && chmod +x /tmp/r.sh && /tmp/r.sh\necho hi\nEOF\n", "RUN claude -v\n"),
    ("RUN printf 'echo hi\\n' > s.sh && . ./s.sh && bash s.sh\n", "RUN claude -v\n"),
]


@pytest.mark.parametrize("first,second", NOT_PROJECT_CODE)
def test_what_is_no_project_code_keeps_the_error(first, second):
    text = "FROM aishell:foundation\n" + first + second
    assert "error" in _severities(text), text


@pytest.mark.parametrize("runner", ["make install", "./setup.sh", "python3 install.py"])
def test_project_code_in_a_heredoc_counts_as_on_the_line(runner):
    """The same code, on the RUN's line or in its heredoc, gives the same severity."""
    line = f"FROM aishell:foundation\nRUN {runner}\nRUN claude -v\n"
    heredoc = f"FROM aishell:foundation\nRUN <<EOF\n{runner}\nEOF\nRUN claude -v\n"
    assert _severities(line) == _severities(heredoc) == ["warning"]


def test_ais004_is_not_changed_by_project_code():
    def ais004(text):
        return [f.line for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings if f.code == "AIS004"]

    base = "FROM aishell:foundation\nRUN ./setup.sh{}\nRUN cue vet x\n"
    assert ais004(base.format("")) == ais004(base.format(" && pip install uv"))
