"""Run from a folder that no longer exists, every command says so in one line, exit 2 (issue 18).

Each command reads paths against the current folder (a project's root, a relative file name,
SARIF's %SRCROOT%): from a deleted folder, `lint`, `migrate` and the others ended in
`internal error ... please report it`, even given absolute paths. The test runs every command of
the tree (nested groups too) from a deleted folder, with and without an absolute path.
"""

import os
import subprocess
import sys

import click
import pytest

from aishell.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _commands(group: click.Group, prefix: tuple = ()):
    for name, cmd in sorted(group.commands.items()):
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, prefix + (name,))
        else:
            yield prefix + (name,)


@pytest.mark.parametrize("command", list(_commands(main)), ids=" ".join)
@pytest.mark.parametrize("with_path", [False, True])
def test_every_command_from_a_deleted_folder_is_one_line(tmp_path, command, with_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM aishell:base\n")
    gone = tmp_path / "gone"
    gone.mkdir()
    args = [*command, str(dockerfile)] if with_path else list(command)
    # (the folder removed by the child itself, after its chdir: subprocess's cwd= must exist)
    code = f"import os, sys; os.rmdir({str(gone)!r}); sys.argv = ['aishell', *{args!r}]; from aishell.cli import run; run()"
    r = subprocess.run(
        [sys.executable, "-c", code],
        cwd=gone,
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, PYTHONPATH=ROOT, DOCKER_HOST="unix:///nonexistent.sock"),
        stdin=subprocess.DEVNULL,
    )
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert r.stderr.startswith("aishell: the current folder cannot be read") and r.stderr.count("\n") == 1, r.stderr
