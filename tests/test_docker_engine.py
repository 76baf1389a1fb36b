"""The engine and base images that scripts/docker-setup provides, checked on the real daemon."""

import os
import subprocess

from tests.conftest import ROOT


def test_base_images_exist_and_node_is_laid_out_as_the_official_image(docker_client):
    docker_client.images.get("debian:bookworm-slim")
    node = docker_client.images.get("node:24-bookworm-slim")
    out = docker_client.containers.run(
        node.id,
        ["sh", "-c", "node --version && readlink /usr/local/bin/npm && test -d /usr/local/lib/node_modules/npm && cat /etc/debian_version"],
        remove=True,
    ).decode()
    version, npm_link, debian = out.split()
    assert version.startswith("v24.")
    assert npm_link == "../lib/node_modules/npm/bin/npm-cli.js"
    assert debian.startswith("12.")


def running_engine(docker_client) -> str:
    version = docker_client.version()["Version"]
    return "20.10" if version.startswith("20.10.") else version.split(".")[0]


def test_the_engine_ci_asked_for_is_the_one_that_answers(docker_client):
    """`eval "$(scripts/docker-setup --engine E --env)"` sets AISHELL_ENGINE: never test another engine."""
    wanted = os.environ.get("AISHELL_ENGINE")
    if wanted is None:
        assert os.environ.get("CI") != "true", "CI runs the Docker tests through scripts/docker-setup --env"
        return
    assert running_engine(docker_client) == wanted


def test_buildx_is_the_backend_on_a_current_engine(docker_client):
    from aishell.builder.backends import BuildKitCLI, choose

    backend = choose(docker_client)
    if int(docker_client.version()["Version"].split(".")[0]) >= 23 or os.environ.get("AISHELL_ENGINE") == "26":
        assert isinstance(backend, BuildKitCLI) and backend.buildx, backend.name
    else:  # 20.10: BuildKit built into Debian's docker.io client
        assert isinstance(backend, BuildKitCLI) and not backend.buildx, backend.name


def test_docker_setup_is_idempotent(docker_client):
    before = docker_client.images.get("node:24-bookworm-slim").id
    engine = running_engine(docker_client)
    r = subprocess.run(["bash", str(ROOT / "scripts" / "docker-setup"), "--engine", engine, "--env"],
                       capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert f"engine {engine} answers" in r.stderr and "present" in r.stderr and "synthesising" not in r.stderr
    assert f"export AISHELL_ENGINE={engine}" in r.stdout
    assert docker_client.images.get("node:24-bookworm-slim").id == before


SETUP = str(ROOT / "scripts" / "docker-setup")


def test_an_engine_that_cannot_be_had_is_one_line_and_a_failure(tmp_path):
    """No network for Debian 13's packages: one line, exit 1, and nothing else is touched."""
    env = dict(os.environ, AISHELL_ENGINES_DIR=str(tmp_path / "engines"), AISHELL_DOCKER_SOCK=str(tmp_path / "no.sock"),
               AISHELL_DEBIAN_MIRROR="http://127.0.0.1:9/debian")  # fmt: skip
    env.pop("DOCKER_HOST", None)
    r = subprocess.run(["bash", SETUP, "--engine", "26"], capture_output=True, text=True, env=env)
    assert r.returncode == 1, r.stderr
    failures = [line for line in r.stderr.splitlines() if "cannot be had" in line]
    assert len(failures) == 1 and failures[0].startswith("docker-setup: engine 26 cannot be had: "), r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_an_unknown_engine_is_a_usage_error():
    r = subprocess.run(["bash", SETUP, "--engine", "19.03"], capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr == "docker-setup: unknown engine 19.03 (20.10 or 26)\n"
