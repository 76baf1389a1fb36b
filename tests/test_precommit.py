"""The pre-commit hooks, run by real pre-commit against this checkout.

The hooks are used as a user's `.pre-commit-config.yaml` names them: a repository and a
revision. That repository is a session's snapshot of this checkout (its tracked files as they
are on disk, committed), and pre-commit's store is the session's own, so pre-commit installs
aishell's hook environment once for all the tests (`pre-commit try-repo` made a new store, so a
new install from PyPI, for every call: a minute and a half of CI).
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(
        shutil.which("pre-commit") is None and os.environ.get("CI") != "true", reason="pre-commit not installed"
    ),
    # One pytest-xdist worker for all of them: the session's store (and its install of the hook
    # environment, ~15 s) is per worker, so spread over two it was installed twice.
    pytest.mark.xdist_group("precommit"),
]


def git(cwd, *args) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


IDENTITY = ("-c", "user.email=t@example.com", "-c", "user.name=t")


@pytest.fixture(scope="session")
def hooks(tmp_path_factory):
    """(repository, revision, pre-commit home): this checkout's tracked files as on disk."""
    base = tmp_path_factory.mktemp("precommit")
    shadow = base / "aishell"
    git(base, "clone", "-q", "--no-hardlinks", str(ROOT), str(shadow))
    changed = git(ROOT, "diff", "--name-only", "-z", "HEAD").split("\0")
    for name in filter(None, changed):
        src, dst = ROOT / name, shadow / name
        if src.exists():
            shutil.copy2(src, dst)
        elif dst.exists():
            dst.unlink()
    git(shadow, "add", "-A")
    git(shadow, *IDENTITY, "commit", "-q", "--allow-empty", "-m", "the checkout as it is on disk")
    return shadow, git(shadow, "rev-parse", "HEAD").strip(), base / "home"


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "t@example.com")
    git(tmp_path, "config", "user.name", "t")
    return tmp_path


def run_hook(repo, hook, *files, hooks):
    shadow, rev, home = hooks
    config = repo.parent / f"{repo.name}-pre-commit-config.yaml"
    config.write_text(f"repos:\n- repo: {shadow}\n  rev: {rev}\n  hooks:\n  - id: {hook}\n")
    env = dict(os.environ, PRE_COMMIT_HOME=str(home))
    return subprocess.run(
        ["pre-commit", "run", "--config", str(config), hook, "--verbose", "--files", *files],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
    )


def test_lint_hook_fails_on_a_legacy_dockerfile_and_passes_a_clean_one(repo, hooks):
    (repo / "Dockerfile").write_text("FROM aishell:base\n")
    (repo / "clean.Dockerfile").write_text("FROM aishell:foundation\n")
    (repo / "notes.txt").write_text("FROM aishell:base\n")
    git(repo, "add", ".")
    r = run_hook(repo, "aishell-lint", "Dockerfile", "notes.txt", hooks=hooks)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "AIS001" in r.stdout
    assert "notes.txt" not in r.stdout
    r = run_hook(repo, "aishell-lint", "clean.Dockerfile", hooks=hooks)
    assert r.returncode == 0, r.stdout + r.stderr


def test_migrate_hook_rewrites_and_fails_when_it_changed_a_file(repo, hooks):
    (repo / "Dockerfile").write_text("FROM aishell:base\n")
    (repo / "run.py").write_text('IMAGE = "aishell:base"\n')
    git(repo, "add", ".")
    r = run_hook(repo, "aishell-migrate", "Dockerfile", "run.py", hooks=hooks)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "files were modified by this hook" in r.stdout
    assert (repo / "Dockerfile").read_text() == "FROM aishell:foundation\n"
    assert (repo / "run.py").read_text() == 'IMAGE = "aishell:foundation"\n'
    git(repo, "add", ".")
    r = run_hook(repo, "aishell-migrate", "Dockerfile", "run.py", hooks=hooks)
    assert r.returncode == 0, r.stdout + r.stderr


def test_hooks_take_an_original_schema_config(repo, hooks):
    (repo / ".aishell").mkdir()
    (repo / ".aishell" / "config.yaml").write_text("# mine\nmounts:\n  - ~/.m2\n")
    git(repo, "add", ".")
    r = run_hook(repo, "aishell-lint", ".aishell/config.yaml", hooks=hooks)
    assert r.returncode == 1 and "AIS201" in r.stdout, r.stdout + r.stderr
    r = run_hook(repo, "aishell-migrate", ".aishell/config.yaml", hooks=hooks)
    assert r.returncode == 1, r.stdout + r.stderr
    assert (repo / ".aishell" / "config.yaml").read_text() == "run:\n  # mine\n  mounts:\n    - ~/.m2\n"
