"""Every command that takes a file takes one named like an option (issue 18).

PathsCommand reads an argument that starts with `-`, names no option and names an existing
path as that path (pre-commit passes files after the options, with no `--`). `aishell parse`
was a plain command: `aishell parse -x.Dockerfile` was `No such option '-x'` while lint and
migrate read the same file. The test walks the whole command tree, so a command added later
with a path argument is held to the same rule.
"""

import json

import click
import pytest

from aishell.cli import PathsCommand, main
from tests.conftest import run_cli


def _commands(group: click.Group, prefix: tuple = ()):
    for name, cmd in sorted(group.commands.items()):
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, prefix + (name,))
        else:
            yield prefix + (name,), cmd


PATH_COMMANDS = [
    (path, cmd)
    for path, cmd in _commands(main)
    if any(isinstance(p, click.Argument) and isinstance(p.type, click.Path) for p in cmd.params)
]


def test_path_commands_are_found():
    assert {p for p, _ in PATH_COMMANDS} >= {("lint",), ("migrate",), ("parse",)}


@pytest.mark.parametrize("path,cmd", PATH_COMMANDS, ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_every_command_with_a_path_argument_reads_dash_names_as_paths(path, cmd):
    assert isinstance(cmd, PathsCommand), f"aishell {' '.join(path)}: not a PathsCommand"


def test_parse_reads_a_file_named_like_an_option(tmp_path):
    (tmp_path / "-x.Dockerfile").write_text("FROM a\n")
    r = run_cli("parse", "-x.Dockerfile", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert [i["instruction"] for i in json.loads(r.stdout)] == ["FROM"]
