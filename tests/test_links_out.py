"""A cloned repository may ship links to the user's files (`docker/Dockerfile ->
~/.git-credentials`): aishell never reads a file a link takes outside the project (or the folder
it was given), so no error line prints its first line and no rewrite writes outside it.

Such a file found in a folder is one error line (exit 2), the others still read; one
aishell reads by its name is refused the same way. Generated: every place aishell reads a project file by its name (a Dockerfile found in a folder,
a `.py` file migrate finds, the default `.aishell/Dockerfile` that lint, migrate and the build
gate read, `.aishell/config.yaml`) x every way a link leaves (absolute, relative with `..`,
through a second link, through a linked folder), against links that stay inside (still read).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli

SECRET = "https://alice:ghp_SECRETTOKEN123@github.com"


def _link(path: Path, way: str, home: Path, root: Path) -> None:
    """Make ``path`` a link that leaves ``root`` for ``home/.git-credentials`` (``way``), or one
    that stays inside (``way`` starting with "inside")."""
    path.parent.mkdir(parents=True, exist_ok=True)
    target = home / ".git-credentials"
    if way == "absolute":
        path.symlink_to(target)
    elif way == "relative":
        path.symlink_to(os.path.relpath(target, path.parent))
    elif way == "two links":
        hop = root / "hop"
        hop.symlink_to(target)
        path.symlink_to(os.path.relpath(hop, path.parent))
    elif way == "folder on the way":  # (`.aishell -> ~`: the file itself is no link)
        real_parent = path.parent
        if real_parent.exists() and not real_parent.is_symlink():
            for child in real_parent.iterdir():
                child.rename(home / child.name) if child.name != ".git-credentials" else None
            real_parent.rmdir()
        (home / "sub").mkdir(exist_ok=True)
        (home / "sub" / path.name).write_text(SECRET + "\n")
        real_parent.symlink_to(home / "sub", target_is_directory=True)
    elif way == "linked folder":
        (root / "outside").symlink_to(home, target_is_directory=True)
        path.symlink_to(os.path.relpath(root / "outside" / ".git-credentials", path.parent))
    elif way == "inside":
        real = root / "real" / path.name
        real.parent.mkdir(parents=True, exist_ok=True)
        real.write_text(_INSIDE[path.suffix or path.name])
        path.symlink_to(os.path.relpath(real, path.parent))
    else:
        raise AssertionError(way)


_INSIDE = {
    "Dockerfile": "FROM aishell:base\n",
    ".py": 'IMAGE = "aishell:base"\n',
    ".yaml": "lint:\n  ignore: [AIS003]\n",
}
WAYS = ["absolute", "relative", "two links", "linked folder"]
PROJECT_WAYS = [*WAYS, "folder on the way"]


@pytest.fixture()
def project(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / ".git-credentials").write_text(SECRET + "\n")
    root = tmp_path / "proj"
    (root / ".aishell").mkdir(parents=True)
    return home, root


def _quiet(r) -> None:
    assert SECRET not in r.stdout + r.stderr and "ghp_" not in r.stdout + r.stderr, r.stdout + r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(
    "place, command",
    [
        ("docker/Dockerfile", ("lint", ".")),
        ("docker/Dockerfile", ("migrate", "--check", ".")),
        ("tools/build.py", ("migrate", "--check", ".")),
        ("tools/build.py", ("migrate", "--write", ".")),
    ],
)
def test_a_link_found_in_a_folder_is_refused(project, way, place, command):
    home, root = project
    (root / ".aishell" / "Dockerfile").write_text("FROM aishell:foundation\n")
    _link(root / place, way, home, root)
    r = run_cli(*command, cwd=root)
    _quiet(r)
    assert r.returncode == 2 and f"{place}: a link to a file outside" in r.stderr, (r.returncode, r.stderr)
    assert (home / ".git-credentials").read_text() == SECRET + "\n"
    assert os.path.islink(root / place)


@pytest.mark.parametrize("way", PROJECT_WAYS)
@pytest.mark.parametrize(
    "name, command",
    [
        ("Dockerfile", ("lint",)),
        ("Dockerfile", ("migrate", "--check")),
        ("config.yaml", ("lint",)),
        ("config.yaml", ("status",)),
    ],
)
def test_a_project_file_that_links_out_is_refused(project, way, name, command):
    home, root = project
    if name != "Dockerfile":
        (root / ".aishell" / "Dockerfile").write_text("FROM aishell:foundation\n")
    _link(root / ".aishell" / name, way, home, root)
    r = run_cli(*command, cwd=root, env={"XDG_CONFIG_HOME": str(home / "cfg")})
    _quiet(r)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "a link to a file outside the project; not read" in r.stderr, r.stderr


@pytest.mark.parametrize("way", PROJECT_WAYS)
def test_the_build_gate_refuses_a_dockerfile_that_links_out(project, way, capsys):
    from aishell.builder.plan import Plan
    from aishell.builder.run import Output, gate

    home, root = project
    _link(root / ".aishell" / "Dockerfile", way, home, root)
    plan = Plan(str(root), {}, None, "bookworm", "24")
    code, df = gate(plan, Output(False, False))
    out = capsys.readouterr()
    assert code == 2 and df is None
    assert SECRET not in out.out + out.err and "outside the project" in out.out + out.err


@pytest.mark.parametrize(
    "place, command",
    [
        ("docker/Dockerfile", ("lint", ".")),
        ("tools/build.py", ("migrate", "--check", ".")),
        (".aishell/Dockerfile", ("lint",)),
        (".aishell/config.yaml", ("lint",)),
    ],
)
def test_a_link_that_stays_inside_is_read(project, place, command):
    home, root = project
    if place != ".aishell/Dockerfile":
        (root / ".aishell" / "Dockerfile").write_text("FROM aishell:foundation\n")
    _link(root / place, "inside", home, root)
    r = run_cli(*command, cwd=root, env={"XDG_CONFIG_HOME": str(home / "cfg")})
    assert "outside" not in r.stderr, r.stderr
    # Read: the legacy image it names is found (or, for the config, the lint passes).
    assert r.returncode == (0 if place.endswith("config.yaml") else 1), (r.returncode, r.stdout, r.stderr)
