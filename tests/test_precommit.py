"""The pre-commit hooks, run by real pre-commit against this checkout."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    shutil.which("pre-commit") is None and os.environ.get("CI") != "true", reason="pre-commit not installed"
)


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "t@example.com")
    git(tmp_path, "config", "user.name", "t")
    return tmp_path


def try_repo(repo, hook, *files):
    env = dict(os.environ)
    env.setdefault("PRE_COMMIT_HOME", str(Path.home() / ".cache" / "pre-commit"))
    return subprocess.run(
        ["pre-commit", "try-repo", str(ROOT), hook, "--verbose", "--files", *files],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
    )


def test_lint_hook_fails_on_a_legacy_dockerfile_and_passes_a_clean_one(repo):
    (repo / "Dockerfile").write_text("FROM aishell:base\n")
    (repo / "clean.Dockerfile").write_text("FROM aishell:foundation\n")
    (repo / "notes.txt").write_text("FROM aishell:base\n")
    git(repo, "add", ".")
    r = try_repo(repo, "aishell-lint", "Dockerfile", "notes.txt")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "AIS001" in r.stdout
    assert "notes.txt" not in r.stdout
    r = try_repo(repo, "aishell-lint", "clean.Dockerfile")
    assert r.returncode == 0, r.stdout + r.stderr


def test_migrate_hook_rewrites_and_fails_when_it_changed_a_file(repo):
    (repo / "Dockerfile").write_text("FROM aishell:base\n")
    (repo / "run.py").write_text('IMAGE = "aishell:base"\n')
    git(repo, "add", ".")
    r = try_repo(repo, "aishell-migrate", "Dockerfile", "run.py")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "files were modified by this hook" in r.stdout
    assert (repo / "Dockerfile").read_text() == "FROM aishell:foundation\n"
    assert (repo / "run.py").read_text() == 'IMAGE = "aishell:foundation"\n'
    git(repo, "add", ".")
    r = try_repo(repo, "aishell-migrate", "Dockerfile", "run.py")
    assert r.returncode == 0, r.stdout + r.stderr


def test_hooks_take_an_original_schema_config(repo):
    (repo / ".aishell").mkdir()
    (repo / ".aishell" / "config.yaml").write_text("# mine\nmounts:\n  - ~/.m2\n")
    git(repo, "add", ".")
    r = try_repo(repo, "aishell-lint", ".aishell/config.yaml")
    assert r.returncode == 1 and "AIS201" in r.stdout, r.stdout + r.stderr
    r = try_repo(repo, "aishell-migrate", ".aishell/config.yaml")
    assert r.returncode == 1, r.stdout + r.stderr
    assert (repo / ".aishell" / "config.yaml").read_text() == "run:\n  # mine\n  mounts:\n    - ~/.m2\n"
