"""Recall gaps closed by class (issue 18), generated:

- COPY/ADD's JSON form copies what the shell form copies: AIS101 and AIS103 see both alike;
- a vendor install script is its exact host and path, not a URL that contains the text;
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
