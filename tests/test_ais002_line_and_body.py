"""A script gives the same AIS002 findings on a RUN line and as the body of `RUN <<EOF` (issue 18:
an error means the build would really fail, wherever the script is written).

Red team (round nine): `c=claude; $c --version` was an error on a RUN line and a warning as a
`RUN <<EOF` body. BuildKit runs such a body as the line's script (`SHELL … -c BODY`:
dockerfile2llb dispatchRun, "a fake heredoc"), with the same SHELL options, so both are one
script. The status walk read the body one level down, as a child shell, which sees only the
variables exported to it: the body's own `c=claude` was not "seen", `$c` not surely claude. A
child shell sees the variables it assigns itself (`sh -c 'c=claude; $c -v'` too).

The class: every one-line AIS002 case of the tests (their `RUN …` lines that run a harness) and
variants of it (before and after another command, joined by `;` or `&&`; `set -e` first; a SHELL
with -e), written as a RUN line and as a body (as it is, and with its `;`s made line breaks; with
`set -e` as a line of its own, and so the SHELL's -e); those dash reads without a syntax error. The findings (severity, harness) are the same; dash, with every
other command a stub that succeeds and no harness on PATH, is the oracle of an error: the RUN fails.
"""

from __future__ import annotations

import ast
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aishell.harness import BY_EXECUTABLE, package_harness
from aishell.lint import Options, lint_text
from aishell.shell import WRAPPERS, tokenize
from tests.dash import SH

HARNESSES = ("claude", "codex", "gemini", "opencode")
_HARNESS_RE = re.compile(r"\b(?:claude|codex|gemini|opencode)\b")
TESTS = Path(__file__).resolve().parent


# The red team's, which the tests' strings may lose to a rewording.
SEEDS = ("c=claude; $c --version", "set -- 'claude -v'; $1", 'set -- claude; "$@" -v')


@cache
def corpus() -> tuple[str, ...]:
    """The one-line scripts that name a harness in the tests: their `RUN …` lines, and the
    AIS002 tests' one-line strings (scripts kept without the keyword: `$C -v`), but those with
    a heredoc, flag, exec form, continuation or template field; those dash reads."""
    found = set(SEEDS)
    for path in sorted(TESTS.glob("test_*.py")):
        if path.name == Path(__file__).name:
            continue
        bare = path.name.startswith("test_ais002_")
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            for line in node.value.split("\n"):
                if not _HARNESS_RE.search(line) or not (line.startswith("RUN ") or (bare and "\n" not in node.value)):
                    continue
                script = line[4:].strip() if line.startswith("RUN ") else line.strip()
                if (
                    not script
                    or "<<" in script
                    or script.endswith("\\")
                    or script[0] in "[-"
                    or re.search(r"\{[a-z_]*\}", script)
                    or "\r" in script
                    or "\t" in script
                ):
                    continue
                found.add(script)
    return tuple(sorted(s for s in found if _parses(s)))


def _parses(script: str) -> bool:
    """dash reads the script without a syntax error (`-n`: it runs nothing)."""
    return subprocess.run([SH, "-n", "-c", script], capture_output=True, timeout=20).returncode == 0


def _body(script: str) -> str:
    """The script with each `;` operator a line break (the same script to a POSIX shell)."""
    tokens, _ = tokenize(script)
    cuts = [t.a for t in tokens if t.kind == "op" and t.text == ";"]
    out, at = [], 0
    for a in cuts:
        out.append(script[at:a])
        out.append("\n")
        at = a + 1
    out.append(script[at:])
    return "".join(out)


SHELLS = {"": False, 'SHELL ["/bin/sh", "-e", "-c"]\n': True}
BEFORE = ["", "echo start; ", "true && ", "set -e; "]
AFTER = ["", "; echo done", " && echo done", " || true"]


def _findings(dockerfile: str) -> list[tuple[str, str]]:
    found = lint_text(dockerfile, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings
    return sorted((f.severity, f.message.split("`")[1]) for f in found if f.code == "AIS002")


# Run by dash only where nothing but builtins, stubs and dash itself can run, and nothing is written.
_REDIRECTIONS_OK = re.compile(r"[12]?>\s*/dev/null|[12]?>&[12]")
_WORD = re.compile(r"[A-Za-z_][\w.+-]*")


def _runnable(script: str) -> bool:
    rest = _REDIRECTIONS_OK.sub(" ", script)
    words = set(_WORD.findall(rest))
    return not (
        ">" in rest
        or "<" in rest
        or "/" in rest
        or "~" in rest
        or "`" in rest
        or "kill" in words
        or "ulimit" in words
        or ("command" in words and "-p" in rest)
        or words & (set(WRAPPERS) - {"command", "exec"})
        or words & {"npx", "pnpm", "bunx", "yarn", "npm", "node", "nodejs", "bun", "deno", "find", "python", "python3"}
        or words & {"source", "alias", "trap", "exit", "return"}
    )


def _fails_without_harness(script: str, missing: str, errexit: bool, tmp: Path) -> bool:
    """dash runs the script (``errexit``: as `sh -e -c`) with every other command a stub that
    succeeds (the other harnesses too: each finding assumes the others pass), and no ``missing``
    (a stub that exits 127, as one not found does): whether it fails."""
    bin_dir = tmp / "bin"
    bin_dir.mkdir(exist_ok=True)
    for word in set(_WORD.findall(script)) - {"sh", "bash"} | set(HARNESSES):
        # (A command named by a harness's package, `opencode-ai`, is that harness: AIS002's reading.)
        harness = BY_EXECUTABLE.get(word) or package_harness(word)
        stub = bin_dir / word
        stub.write_text(f"#!/bin/sh\nexit {127 if harness is not None and harness.name == missing else 0}\n")
        stub.chmod(0o755)
    for name in ("sh", "bash"):
        if not (bin_dir / name).exists():
            (bin_dir / name).symlink_to(SH)
    argv = [SH, "-e", "-c", script] if errexit else [SH, "-c", script]
    run = subprocess.run(
        argv, env={"PATH": str(bin_dir)}, cwd=tmp, capture_output=True, timeout=20, stdin=subprocess.DEVNULL
    )
    return run.returncode != 0


def test_the_corpus_is_large_enough():
    assert len(corpus()) > 150


def _check(shell: str, script: str, tmp_path_factory) -> None:
    errexit = SHELLS[shell]
    head = "FROM aishell:foundation\n" + shell
    line = _findings(head + f"RUN {script}\n")
    split = _body(script)
    if script.startswith("set -e; "):
        split = "set -e\n" + _body(script[len("set -e; ") :])
    bodies = [(head, script), (head, split)]
    if errexit:
        bodies.append(("FROM aishell:foundation\n", "set -e\n" + split))  # (the SHELL's -e, written first)
    for top, body in bodies:
        if "\nEOF\n" in f"\n{body}\n":
            continue
        got = _findings(top + f"RUN <<EOF\n{body}\nEOF\n")
        assert got == line, (shell, script, top, body, line, got)
    errors = {name for severity, name in line if severity == "error"}
    if errors and _runnable(script):
        tmp = tmp_path_factory.mktemp("dash")
        for name in errors:
            assert _fails_without_harness(script, name, errexit, tmp), (shell, script, name, line)
            assert _fails_without_harness(split, name, errexit, tmp), (shell, split, name, line)


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_each_script_of_the_corpus_gives_the_same_findings_on_a_line_and_as_a_body(tmp_path_factory, shell):
    for script in corpus():
        _check(shell, script, tmp_path_factory)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.data(),
    st.sampled_from(sorted(SHELLS)),
    st.sampled_from(BEFORE),
    st.sampled_from(AFTER),
)
def test_a_script_gives_the_same_findings_on_a_line_and_as_a_body(tmp_path_factory, data, shell, before, after):
    script = before + data.draw(st.sampled_from(corpus())) + after
    assume(_parses(script))  # (`x &` then `; echo done`: no script)
    _check(shell, script, tmp_path_factory)
