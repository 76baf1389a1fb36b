"""Ctrl-C in a file command is `aishell: interrupted`, exit 130 (exit-codes.md), never click's
`Aborted!` with exit 1, the code of findings (issue 18).

Each run sends itself SIGINT (a real signal, delivered to Python's own handler) when it opens
the k-th of the project's files, for every command that reads files and k from the first to
the last: the interrupt lands in discovery, parsing, linting or writing, wherever that is.
"""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Opens the k-th file under the folder, then SIGINT to itself, then the CLI as `aishell` runs it.
DRIVER = """
import os, signal, sys
folder, k = sys.argv[1], int(sys.argv[2])
seen = []
def hook(event, args):
    if event == "open" and isinstance(args[0], str) and args[0].startswith(folder) and not seen[k:]:
        seen.append(args[0])
        if len(seen) == k:
            os.kill(os.getpid(), signal.SIGINT)
sys.addaudithook(hook)
sys.argv = ["aishell"] + sys.argv[3:]
from aishell.cli import run
run()
"""

COMMANDS = [
    ["lint"],
    ["lint", "--format", "json"],
    ["lint", "--format", "sarif"],
    ["lint", "--format", "github"],
    ["migrate"],
    ["migrate", "--write"],
    ["parse"],
]


@pytest.mark.parametrize("k", [1, 2, 5, 9])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_ctrl_c_in_a_file_command_is_exit_130_and_one_line(tmp_path, command, k):
    for n in range(8):
        (tmp_path / f"{n}.Dockerfile").write_text(f"FROM aishell:base\nRUN echo {n}\n")
    target = [str(tmp_path / "3.Dockerfile")] if command == ["parse"] else [str(tmp_path)]
    r = subprocess.run(
        [sys.executable, "-c", DRIVER, str(tmp_path), str(k), *command, *target],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=ROOT),
        cwd=tmp_path,
        # (a job started in the background ignores SIGINT, and Python then never handles it)
        preexec_fn=lambda: __import__("signal").signal(__import__("signal").SIGINT, __import__("signal").SIG_DFL),
    )
    # Nothing half-written is left beside the files (migrate --write renames complete files).
    assert sorted(os.listdir(tmp_path)) == sorted(f"{n}.Dockerfile" for n in range(8))
    if r.returncode != 130 and k > 1:
        # k past the files the command opened: it ran to its end, undisturbed.
        assert r.returncode in (0, 1) and not r.stderr, (r.returncode, r.stderr)
        return
    assert (r.returncode, r.stderr) == (130, "aishell: interrupted\n")
