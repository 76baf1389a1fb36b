"""A config file larger than aishell reads is one line and exit 2, not a minute of PyYAML.

A cloned repository's `.aishell/config.yaml` of 10 MB (a long `lint.ignore` list, an original-
schema `mounts:` list) held `aishell lint` for about a minute and `migrate` for over two: PyYAML
reads about 200 KB a second. The class: every command that reads a config (lint, migrate) × every
config (the project's, the user's) × every shape of a large text (a list, a mapping, comments)
past the bound; the bound itself is exact (load_checked).
"""

import os
import subprocess
import sys

import pytest

from aishell.yaml_text import MAX_CONFIG_CHARS, Refused, load_checked

SHAPES = {
    "list": lambda n: "lint:\n  ignore:\n" + "    - AIS003\n" * (n // 13 + 1),
    "mapping": lambda n: "run:\n  env:\n" + "".join(f"    E{i}: v\n" for i in range(n // 9 + 1)),
    "comments": lambda n: "# x\n" * (n // 4 + 1),
    "original schema": lambda n: "mounts:\n" + "".join(f"  - /s{i}:/d{i}:ro\n" for i in range(n // 18 + 1)),
}


def test_the_bound_is_exact():
    text = "# " + "x" * (MAX_CONFIG_CHARS - 3) + "\n"
    assert len(text) == MAX_CONFIG_CHARS
    load_checked(text)
    with pytest.raises(Refused, match="over the 262,144"):
        load_checked(text + "\n")


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("command", [["lint"], ["migrate", "--check"]])
@pytest.mark.parametrize("where", ["project", "user"])
def test_a_config_past_the_bound_is_one_line_and_exit_2(tmp_path, shape, command, where):
    project = tmp_path / "p"
    (project / ".aishell").mkdir(parents=True)
    (project / ".aishell" / "Dockerfile").write_text("FROM aishell:foundation\n")
    text = SHAPES[shape](MAX_CONFIG_CHARS + 1)
    assert len(text) > MAX_CONFIG_CHARS
    home = tmp_path / "xdg"
    config = (project / ".aishell" / "config.yaml") if where == "project" else (home / "aishell" / "config.yaml")
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text)
    env = {**os.environ, "XDG_CONFIG_HOME": str(home)}
    p = subprocess.run(
        [sys.executable, "-m", "aishell", *command], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )
    assert p.returncode == 2, (p.stdout, p.stderr)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "config.yaml" in lines[0] and "over the 262,144" in lines[0], p.stderr
