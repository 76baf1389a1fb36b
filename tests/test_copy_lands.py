"""Where a COPY/ADD puts a file decides whether it provides a harness (issue 18: precision where an
AIS002 error blocks a build).

`COPY --parents SRC DEST` keeps the source's parent directories (those after a `/./` pivot):
`COPY --parents bin/claude /usr/local/` creates /usr/local/bin/claude. `ADD <git repository>
DEST` clones the repository's files into DEST: which files is not known. The cases are generated
from a model of the landing path written here (not the rule's): a file named for the harness
landing in a standard PATH directory provides it (no finding); one landing in another `bin`
directory, a repository cloned onto or above PATH, or parents not known (a glob) may (a warning);
anything else leaves the error.
"""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text

PATH = {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}
SOURCES = ["{n}", "bin/{n}", "./bin/{n}", "tools/./bin/{n}", "tools/bin/{n}", "a/b/./{n}", "/out/bin/{n}", "x/{n}"]
DESTS = ["/usr/local/", "/usr/", "/", "/usr/local/bin/", "/opt/", "/usr/local/bin/x/"]
NAMES = ["claude", "codex", "gemini", "opencode"]


def _lands(src: str, dest: str, parents: bool) -> str:
    """The path the file lands at, per the COPY reference."""
    if parents:
        kept = src.split("/./")[-1] if "/./" in src else src
        kept = posixpath.normpath(kept.lstrip("/"))
    else:
        kept = posixpath.basename(src)
    return posixpath.normpath(dest.rstrip("/") + "/" + kept)


def _severities(text, tmp_path):
    findings = lint_text(text, str(tmp_path / "Dockerfile"), Options(select=["AIS002"], use_config=False)).findings
    return [f.severity for f in findings]


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(SOURCES),
    st.sampled_from(DESTS),
    st.booleans(),
    st.sampled_from(NAMES),
    st.sampled_from(["", "--from=build ", "--chmod=755 "]),
)
def test_a_copy_provides_the_harness_where_the_file_lands(tmp_path_factory, src, dest, parents, name, flags):
    if flags == "--from=build " or src.startswith("/"):
        head = "FROM aishell:foundation AS build\nRUN true\n"
        flags = "--from=build " if src.startswith("/") else flags
    else:
        head = ""
    source = src.format(n=name)
    copy = f"COPY {'--parents ' if parents else ''}{flags}{source} {dest}"
    text = f"{head}FROM aishell:foundation\n{copy}\nRUN {name} --version\n"
    landed = _lands(source, dest, parents)
    directory = posixpath.dirname(landed)
    if directory in PATH:
        expected = []
    elif directory.endswith(("/bin", "/sbin")):
        expected = ["warning"]  # (another `bin` directory: it may be on PATH)
    else:
        expected = ["error"]
    assert _severities(text, tmp_path_factory.mktemp("c")) == expected, (text, landed)


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/acme/claude.git",
        "https://github.com/acme/tools.git#v1.2",
        "https://github.com/acme/claude#main",
        "git@github.com:acme/tools.git",
        "git://example.com/tools",
        "https://github.com/acme/tools.git?ref=main",
    ],
)
@pytest.mark.parametrize("dest", ["/usr/local/bin/", "/usr/local/bin", "/usr/local", "/opt/tools", "/app/"])
def test_a_git_repository_added_onto_path_may_provide_the_harness(tmp_path, url, dest):
    text = f"FROM aishell:foundation\nADD {url} {dest}\nRUN claude --version\n"
    onto = any(p == dest.rstrip("/") or p.startswith(dest.rstrip("/") + "/") for p in PATH)
    assert _severities(text, tmp_path) == (["warning"] if onto else ["error"]), text
