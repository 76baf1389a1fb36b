"""The engine and base images that scripts/docker-setup provides, checked on the real daemon."""

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


def test_docker_setup_is_idempotent(docker_client):
    before = docker_client.images.get("node:24-bookworm-slim").id
    r = subprocess.run(["bash", str(ROOT / "scripts" / "docker-setup")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "present" in r.stderr and "synthesising" not in r.stderr
    assert docker_client.images.get("node:24-bookworm-slim").id == before
