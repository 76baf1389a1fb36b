"""Recall gaps closed by class (issue 18), generated:

- COPY/ADD's JSON form copies what the shell form copies: AIS101 and AIS103 see both alike;
- a vendor install script is its exact host and path, not a URL that contains the text;
- a script a shell reads on its stdin (a heredoc, here-string, or what `cat`/`echo`/`printf`
  pipe into it) is read as a script, and `find -exec` runs its command (AIS002);
- a harness behind getopt-style wrapper options is in tests/test_precision.py, and the parser
  shapes (indented directives, a lone escape line, JSON arrays, long lines) in
  tests/test_fuzz.py::test_fuzz_parser_agrees_with_buildkit.
"""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text

SOURCES = [".", "./", "package.json", "src", "requirements.txt", "app/"]
DESTS = [".", "./", "/app", "/app/", "/srv"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sources=st.lists(st.sampled_from(SOURCES), min_size=1, max_size=2, unique=True),
    dest=st.sampled_from(DESTS),
    keyword=st.sampled_from(["COPY", "ADD"]),
    flags=st.sampled_from(["", "--chown=1000:1000 ", "--link "]),
    run=st.sampled_from(["npm ci", "pip install -r requirements.txt", "make"]),
)
def test_the_json_form_is_seen_as_the_shell_form(tmp_path, sources, dest, keyword, flags, run):
    (tmp_path / "package.json").write_text("{}")
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "node_modules").mkdir(exist_ok=True)
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "app").mkdir(exist_ok=True)
    shell = f"{keyword} {flags}{' '.join(sources)} {dest}"
    exec_form = f"{keyword} {flags}{json.dumps(sources + [dest])}"

    def codes(line):
        text = f"FROM node:24\nWORKDIR /app\n{line}\nRUN {run}\n"
        findings = lint_text(
            text, str(tmp_path / "Dockerfile"), Options(select=["AIS101", "AIS103"], use_config=False)
        ).findings
        return sorted(f.code for f in findings)

    assert codes(exec_form) == codes(shell)


HOSTS = ["claude.ai", "www.claude.ai", "docs.claude.ai", "claude.ai.example.com", "example.com", "opencode.ai"]
PATHS = ["/install.sh", "/install.sh/", "/install.sh.md", "/docs/install.sh", "/install", "/claude.ai/install.sh"]
INSTALLERS = {("claude.ai", "/install.sh"), ("opencode.ai", "/install")}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    scheme=st.sampled_from(["https://", "http://", ""]),
    host=st.sampled_from(HOSTS),
    path=st.sampled_from(PATHS),
    query=st.sampled_from(["", "?v=1", "#x"]),
    tool=st.sampled_from(["curl -fsSL {} | bash", "wget -qO- {} | sh", "curl -fsSL {} -o /tmp/i.sh"]),
)
def test_an_install_script_is_its_host_and_path(tmp_path, scheme, host, path, query, tool):
    url = scheme + host + path + query
    text = "FROM aishell:foundation\nRUN " + tool.format(url) + "\n"
    findings = lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS003"], use_config=False)).findings
    is_installer = (host.removeprefix("www."), path.rstrip("/")) in INSTALLERS
    assert bool(findings) == is_installer, (url, findings)


# -- AIS002: scripts a shell reads on stdin, find -exec ------------------------------------------

STDIN_SHELLS = ["sh", "bash", "dash", "zsh", "bash -s", "bash -s --", "sh -s -- a b", "sh -e", "bash -euo pipefail"]
NOT_SHELLS = ["cat", "tee /tmp/x", "python3", "bash /tmp/script.sh", "wc -l", "sh -c 'echo hi'"]
HARNESS_LINES = ["claude --version", "codex --help", "gemini -v", "opencode --version", "sudo -u node claude -v"]


def _feeds(shell, line):
    """RUN instructions that give ``line`` to ``shell`` on its stdin."""
    return [
        f"RUN cat <<EOF | {shell}\nset -e\n{line}\nEOF\n",
        f"RUN cat <<'EOF' | {shell}\n{line}\nEOF\n",
        f"RUN cat <<-EOF | {shell}\n\t{line}\n\tEOF\n",
        f"RUN echo '{line}' | {shell}\n",
        f"RUN echo -e 'set -e\\n{line}' | {shell}\n",
        f"RUN printf '%s\\n' '{line}' | {shell}\n",
        f"RUN printf 'set -e\\n{line}\\n' | {shell}\n",
        # (A here-string is bash's: dash, the default SHELL's, refuses it and runs nothing, r70.)
        f'SHELL ["/bin/bash", "-c"]\nRUN {shell} <<< \'{line}\'\n',
        f"RUN {shell} <<EOF\n{line}\nEOF\n",
        f"RUN cat <<A > /a && {shell} <<B\nhello\nA\n{line}\nB\n",
        f"RUN <<X\ncat <<EOF | {shell}\n{line}\nEOF\nX\n",
        f"RUN apt-get update && echo '{line}' | {shell} && echo done\n",
    ]


def _ais002(text, tmp_path):
    opts = Options(select=["AIS002"], use_config=False)
    return lint_text(text, str(tmp_path / "Dockerfile"), opts).findings


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shell=st.sampled_from(STDIN_SHELLS), line=st.sampled_from(HARNESS_LINES), data=st.data())
def test_a_script_on_a_shells_stdin_is_read(tmp_path, shell, line, data):
    run = data.draw(st.sampled_from(_feeds(shell, line)))
    text = "FROM aishell:foundation\n" + run
    harness = line.split()[-2] if line.startswith("sudo") else line.split()[0]
    findings = _ais002(text, tmp_path)
    assert [(f.severity, text[f.start : f.end]) for f in findings] == [("error", harness)], (text, findings)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(other=st.sampled_from(NOT_SHELLS), line=st.sampled_from(HARNESS_LINES), data=st.data())
def test_the_same_script_given_to_another_command_is_data(tmp_path, other, line, data):
    run = data.draw(st.sampled_from(_feeds(other, line)))
    text = "FROM aishell:foundation\n" + run
    assert _ais002(text, tmp_path) == [], text


FIND_ACTIONS = ["-exec", "-execdir", "-ok", "-okdir"]
FIND_ENDS = ["\\;", "';'", '";"', "{} +", "{} \\;"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    where=st.sampled_from(["/", ". -maxdepth 0", "/app -name x -type f"]),
    action=st.sampled_from(FIND_ACTIONS),
    line=st.sampled_from(HARNESS_LINES),
    end=st.sampled_from(FIND_ENDS),
    then=st.sampled_from(["", " -print", " -exec echo {} \\;"]),
)
def test_find_exec_runs_its_command(tmp_path, where, action, line, end, then):
    text = f"FROM aishell:foundation\nRUN find {where} {action} {line} {end}{then}\n"
    harness = line.split()[-2] if line.startswith("sudo") else line.split()[0]
    findings = _ais002(text, tmp_path)
    # find's exit status is not the command's (0 after `-exec CMD ;`; and with no file matched
    # the command does not run): reported, as a warning (issue 18: an error means the build fails).
    assert [(f.severity, text[f.start : f.end]) for f in findings] == [("warning", harness)], (text, findings)
    # The harness as a -name pattern or a path is an argument, not a command.
    quiet = f"FROM aishell:foundation\nRUN find {where} -name {harness} {action} ls {{}} {end}\n"
    assert _ais002(quiet, tmp_path) == [], quiet
