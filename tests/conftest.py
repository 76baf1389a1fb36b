import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CORPUS = ROOT.parent / "shared" / "corpus" / "dockerfiles"


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if not p.name.endswith(".dockerignore"))


def sample_dockerfiles() -> list[Path]:
    return sorted(SAMPLES.glob("*/.aishell/Dockerfile"))


def run_cli(*args, cwd=None, input=None, env=None):
    """Run the real `aishell` entry point in a subprocess."""
    e = dict(os.environ)
    e.update(env or {})
    e.setdefault("COLUMNS", "200")
    return subprocess.run(
        [sys.executable, "-m", "aishell", *map(str, args)],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        env=e,
    )


class Project(type(Path())):
    """A project folder with .aishell/; ``write(rel, text)`` adds files (bytes or exact text)."""

    def write(self, rel, text):
        p = self / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            with open(p, "w", newline="") as f:
                f.write(text)
        return p


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".aishell").mkdir()
    return Project(tmp_path)


@pytest.fixture(scope="session")
def docker_client():
    """A docker SDK client for the real engine (DOCKER_HOST or the default socket).

    Without an engine the Docker tests skip locally, but fail in CI (CI=true):
    there `.ci/run` starts one with scripts/docker-setup, so none answering is a bug.
    """
    try:
        import docker

        client = docker.from_env(timeout=30)
        client.ping()
    except Exception as e:  # the SDK raises several types for "no daemon"
        message = f"Docker Engine unreachable ({os.environ.get('DOCKER_HOST') or 'default socket'}): {str(e).splitlines()[0][:200]}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI must run scripts/docker-setup first")
        pytest.skip(message)
    return client
