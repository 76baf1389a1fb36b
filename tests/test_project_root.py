"""Which folder is the project (docs/security.md): never the home folder, never another user's.

A repository's project is the nearest folder above it holding `.aishell/`. Two such folders are
not the repository's: the home folder, whose `.aishell/` is the original aishell's global config
and state (every user arriving from it has one), and a `.aishell/` someone else owns in a shared
folder above the repository (/tmp, a team share). Before, either became the project: `migrate
--write` rewrote ~/.aishell/config.yaml (outside the repository, with nothing else to change),
its link guard let a repository's link write anywhere in the home folder, and a planted
`lint: ignore` silenced the lint and the build gate.

Every place a planted `.aishell/` was taken × how far above the repository it is × whose it is;
the control (the user's own `.aishell/` above the repository) is still the project.
"""

import os

import pytest

from aishell import paths
from aishell.errors import InputError
from tests.conftest import run_cli

DEPTHS = [1, 2, 3]
NOBODY = 65534


def _plant(folder, owner: str) -> None:
    dot = folder / ".aishell"
    dot.mkdir(exist_ok=True)
    (dot / "config.yaml").write_text("lint:\n  ignore: [AIS]\nmounts:\n  - ~/.ssh\n")
    (dot / "Dockerfile").write_text("FROM aishell:base\n")
    if owner == "other":
        os.chown(dot, NOBODY, NOBODY)
        os.chown(dot / "config.yaml", NOBODY, NOBODY)


@pytest.fixture
def layout(tmp_path, request):
    """(home, above, repo, env): ``above`` holds the planted `.aishell/`; ``repo`` is ``depth``
    folders below it."""
    place, depth = request.param
    if place == "other" and os.geteuid() != 0:
        pytest.skip("needs root to make a folder another user owns")
    home = tmp_path / "home"
    home.mkdir()
    above = home if place == "home" else tmp_path / "share"
    above.mkdir(exist_ok=True)
    repo = above.joinpath(*[f"d{k}" for k in range(depth)])
    repo.mkdir(parents=True)
    _plant(above, "other" if place == "other" else "me")
    (repo / "Dockerfile").write_text("FROM aishell:base\nRUN claude -v\n")
    env = {"HOME": str(home), "XDG_STATE_HOME": str(tmp_path / "state"), "SUDO_UID": ""}
    return place, home, above, repo, env


PLANTED = [(place, depth) for place in ("home", "other") for depth in DEPTHS]
MINE = [("mine", depth) for depth in DEPTHS]


@pytest.mark.parametrize("layout", PLANTED, indirect=True, ids=str)
def test_a_planted_aishell_folder_is_no_project(layout, monkeypatch):
    place, home, above, repo, env = layout
    monkeypatch.setenv("HOME", env["HOME"])
    monkeypatch.setenv("SUDO_UID", "")
    assert paths.project_root(str(repo)) is None
    assert paths.project_root(str(repo / "Dockerfile")) is None
    with paths.remembered():
        assert paths.project_root(str(repo)) is None

    before = (above / ".aishell" / "config.yaml").read_bytes()
    r = run_cli("lint", "Dockerfile", cwd=repo, env=env)
    assert r.returncode == 1, r.stdout + r.stderr  # its `lint: ignore: [AIS]` is not ours
    assert "AIS001" in r.stdout and "config.yaml" not in r.stdout + r.stderr

    r = run_cli("migrate", "--write", "Dockerfile", cwd=repo, env=env)
    assert ".aishell/config.yaml" not in r.stdout + r.stderr, r.stdout + r.stderr
    assert (above / ".aishell" / "config.yaml").read_bytes() == before


@pytest.mark.parametrize("layout", PLANTED, indirect=True, ids=str)
def test_migrate_link_guard_is_the_repository_not_the_planted_folder(layout):
    """A repository's `x.py` linked to a file elsewhere under the planted folder: refused."""
    place, home, above, repo, env = layout
    other = above / "other"
    other.mkdir()
    (other / "x.py").write_text('IMG = "aishell:base"\n')
    (repo / "x.py").symlink_to(os.path.relpath(other / "x.py", repo))
    r = run_cli("migrate", "--write", "x.py", cwd=repo, env=env)
    assert r.returncode == 2 and "outside the project" in r.stderr, r.stdout + r.stderr
    assert (other / "x.py").read_text() == 'IMG = "aishell:base"\n'


@pytest.mark.parametrize("layout", PLANTED, indirect=True, ids=str)
def test_build_status_and_run_do_not_take_the_planted_folder(layout, monkeypatch):
    """`build`, `status`, `doctor` and the runs take their project from builder.plan.project_root;
    `lint` and `migrate` without paths take the planted `.aishell/Dockerfile` from discovery."""
    from aishell.builder.plan import project_root
    from aishell.discovery import default_paths

    place, home, above, repo, env = layout
    monkeypatch.setenv("HOME", env["HOME"])
    monkeypatch.setenv("SUDO_UID", "")
    monkeypatch.chdir(repo)
    assert project_root() == str(repo)
    with pytest.raises(InputError, match="no .aishell/Dockerfile"):
        default_paths()


@pytest.mark.parametrize("layout", MINE, indirect=True, ids=str)
def test_the_users_own_aishell_folder_above_is_the_project(layout, monkeypatch):
    place, home, above, repo, env = layout
    monkeypatch.setenv("HOME", env["HOME"])
    assert paths.project_root(str(repo)) == str(above)
    r = run_cli("lint", "Dockerfile", cwd=repo, env=env)
    assert r.returncode == 0, r.stdout + r.stderr  # its `lint: ignore: [AIS]` applies


def test_root_takes_the_folder_of_the_user_sudo_ran_for(tmp_path, monkeypatch):
    if os.geteuid() != 0:
        pytest.skip("needs root")
    _plant(tmp_path, "other")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SUDO_UID", str(NOBODY))
    assert paths.project_root(str(tmp_path)) == str(tmp_path)
    monkeypatch.setenv("SUDO_UID", "1")
    assert paths.project_root(str(tmp_path)) is None


def test_a_link_another_user_made_is_not_ours_wherever_it_leads(tmp_path, monkeypatch, capsys):
    """(A stranger's review) `.aishell` as a link another user made in a shared folder, to a
    folder of ours: the link's owner counts too. Said once, on stderr."""
    if os.geteuid() != 0:
        pytest.skip("needs root to make a link another user owns")
    home = tmp_path / "home"
    (home / "mine").mkdir(parents=True)
    share = tmp_path / "share"
    (share / "repo").mkdir(parents=True)
    (share / ".aishell").symlink_to(home / "mine")
    os.chown(share / ".aishell", NOBODY, NOBODY, follow_symlinks=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("SUDO_UID", "")
    assert paths.project_root(str(share / "repo")) is None
    assert paths.project_root(str(share / "repo")) is None
    assert capsys.readouterr().err.count("belongs to another user") == 1
    os.chown(share / ".aishell", 0, 0, follow_symlinks=False)
    assert paths.project_root(str(share / "repo")) == str(share)


@pytest.mark.parametrize("layout", [("other", 1)], indirect=True, ids=str)
def test_trust_refuses_a_config_that_is_not_this_projects(layout):
    place, home, above, repo, env = layout
    dot = repo / ".aishell"
    dot.mkdir()
    (dot / "config.yaml").write_text("lint:\n  ignore: [AIS001]\n")
    os.chown(dot, NOBODY, NOBODY)
    r = run_cli("trust", cwd=repo, env=env)
    assert r.returncode == 2 and "nothing to trust" in r.stderr, r.stdout + r.stderr
    assert "belongs to another user" in r.stderr
