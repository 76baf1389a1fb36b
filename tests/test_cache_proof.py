"""Proof on a real engine: after AIS101/AIS102 fixes, dependency installs stay cached.

A small Python project and a small Node project are built with the classic
builder and with BuildKit. Unfixed, a source-only change or a metadata-only
build-arg change re-runs the dependency install; after `aishell migrate
--write --unsafe-fixes`, the manifest COPY and the install come from the cache.
The installs run offline (empty requirements, an empty lockfile) so the test
needs no registry.
"""

import json
import uuid

import pytest

from tests.buildlog import build, buildkit_cli, step
from tests.conftest import run_cli

PY_BASE = "aishell-test/python3-pip:bookworm"

PYTHON = {
    "Dockerfile": (
        f"FROM {PY_BASE}\n"
        "WORKDIR /app\n"
        "ARG BUILD_DATE\n"
        "LABEL org.opencontainers.image.created=$BUILD_DATE\n"
        "COPY . .\n"
        # (The venv takes Debian's pip from the base: no ensurepip, which was most of this test's time.)
        "RUN python3 -m venv --without-pip --system-site-packages /venv "
        "&& /venv/bin/python -m pip install --disable-pip-version-check -r requirements.txt\n"
        "RUN python3 -m compileall -q app.py\n"
    ),
    "requirements.txt": "# no third-party packages: the install runs offline\n",
    "app.py": "print('v1')\n",
}
NODE = {
    "Dockerfile": (
        "FROM node:24-bookworm-slim\n"
        "WORKDIR /app\n"
        "ARG GIT_SHA\n"
        "LABEL org.opencontainers.image.revision=$GIT_SHA\n"
        "COPY . .\n"
        # --ignore-scripts: without it npm ci runs the project's lifecycle scripts, which can
        # read GIT_SHA, and AIS102's fix never moves the ARG past it (issue 18).
        "RUN npm ci --ignore-scripts --offline --no-audit --no-fund\n"
        "RUN node index.js > /built.txt\n"
    ),
    "package.json": json.dumps({"name": "demo", "version": "1.0.0", "private": True}) + "\n",
    "package-lock.json": json.dumps(
        {
            "name": "demo",
            "version": "1.0.0",
            "lockfileVersion": 3,
            "requires": True,
            "packages": {"": {"name": "demo", "version": "1.0.0"}},
        }
    )
    + "\n",
    "index.js": "console.log('v1')\n",
}
PROJECTS = {
    "python": (PYTHON, "app.py", "BUILD_DATE", "RUN python3 -m venv", "COPY requirements.txt"),
    "node": (NODE, "index.js", "GIT_SHA", "RUN npm ci", "COPY package.json package-lock.json"),
}


@pytest.fixture(scope="module")
def python_base(docker_client):
    """Debian with python3-venv and pip, built once and kept (the apt step is not under test)."""
    try:
        docker_client.images.get(PY_BASE)
    except Exception:
        import io

        dockerfile = (
            "FROM debian:bookworm-slim\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv python3-pip "
            "&& rm -rf /var/lib/apt/lists/*\n"
        )
        docker_client.images.build(fileobj=io.BytesIO(dockerfile.encode()), tag=PY_BASE, rm=True)
    return PY_BASE


BACKENDS = [
    "classic",
    pytest.param("buildkit", marks=pytest.mark.skipif(buildkit_cli() is None, reason="no BuildKit CLI")),
]


# Every engine proves both backends with the Node project; the Python one (the same rules' fixes,
# another install command) on one engine, the suite's: the cache does not depend on the language
# (docs/engines.md).
KINDS = [pytest.param(k, marks=pytest.mark.one_engine) if k == "python" else k for k in sorted(PROJECTS)]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", KINDS)
def test_fixed_dockerfile_keeps_the_install_cached(kind, backend, docker_client, tmp_path, request):
    files, source, arg, install, manifest_copy = PROJECTS[kind]
    if kind == "python":
        request.getfixturevalue("python_base")  # (built for the Python project only)
    nonce = uuid.uuid4().hex
    for name, text in files.items():
        if name == "Dockerfile":
            # A first layer unique to this run: no cache from an earlier run can hit.
            text = text.replace("WORKDIR /app\n", f"RUN echo {nonce} > /run-id\nWORKDIR /app\n", 1)
        (tmp_path / name).write_text(text)
    tag = f"aishell-test/cache-{kind}-{backend}:{uuid.uuid4().hex[:8]}"

    def rebuild(value):
        return build(backend, docker_client, str(tmp_path), tag, {arg: value})

    try:
        # Unfixed: both kinds of change re-run the install.
        rebuild("1")
        (tmp_path / source).write_text(files[source].replace("v1", "v2"))
        assert step(rebuild("1"), install) is False
        assert step(rebuild("2"), install) is False

        r = run_cli("migrate", "--write", "--unsafe-fixes", tmp_path / "Dockerfile")
        assert r.returncode == 0, r.stderr
        fixed = (tmp_path / "Dockerfile").read_text()
        assert fixed.index(manifest_copy) < fixed.index(install) < fixed.index("COPY . .")
        assert fixed.index(f"ARG {arg}") > fixed.index(install)
        assert run_cli("lint", "--select", "AIS101,AIS102", tmp_path / "Dockerfile").returncode == 0

        rebuild("2")
        (tmp_path / source).write_text(files[source].replace("v1", "v3"))
        steps = rebuild("2")  # source-only change
        assert step(steps, manifest_copy) is True and step(steps, install) is True
        steps = rebuild("3")  # metadata-only change
        assert step(steps, manifest_copy) is True and step(steps, install) is True
    finally:
        try:
            docker_client.images.remove(tag, force=True)
        except Exception:
            pass
