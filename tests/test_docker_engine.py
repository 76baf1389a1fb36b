"""The engine and base images that scripts/docker-setup provides, checked on the real daemon."""

import os
import signal
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.conftest import ROOT


def test_base_images_exist_and_node_is_laid_out_as_the_official_image(docker_client):
    docker_client.images.get("debian:bookworm-slim")
    node = docker_client.images.get("node:24-bookworm-slim")
    out = docker_client.containers.run(
        node.id,
        [
            "sh",
            "-c",
            "node --version && readlink /usr/local/bin/npm && test -d /usr/local/lib/node_modules/npm && cat /etc/debian_version",
        ],
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
    r = subprocess.run(
        ["bash", str(ROOT / "scripts" / "docker-setup"), "--engine", engine, "--env"], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
    assert f"engine {engine} answers" in r.stderr and "present" in r.stderr and "synthesising" not in r.stderr
    assert f"export AISHELL_ENGINE={engine}" in r.stdout
    assert docker_client.images.get("node:24-bookworm-slim").id == before


SETUP = str(ROOT / "scripts" / "docker-setup")


@pytest.mark.parametrize("engine", ["26", "28"])
def test_an_engine_that_cannot_be_had_is_one_line_and_a_failure(tmp_path, engine):
    """No network for Debian 13's or unstable's packages: one line, exit 1, and nothing else is touched."""
    env = dict(
        os.environ,
        AISHELL_ENGINES_DIR=str(tmp_path / "engines"),
        AISHELL_DOCKER_SOCK=str(tmp_path / "no.sock"),
        AISHELL_DEBIAN_MIRROR="http://127.0.0.1:9/debian",
    )
    env.pop("DOCKER_HOST", None)
    r = subprocess.run(["bash", SETUP, "--engine", engine], capture_output=True, text=True, env=env)
    assert r.returncode == 1, r.stderr
    failures = [line for line in r.stderr.splitlines() if "cannot be had" in line]
    assert len(failures) == 1 and failures[0].startswith(f"docker-setup: engine {engine} cannot be had: "), r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_an_unknown_engine_is_a_usage_error():
    r = subprocess.run(["bash", SETUP, "--engine", "19.03"], capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr == "docker-setup: unknown engine 19.03 (20.10, 26 or 28)\n"


def test_a_container_started_with_init_forwards_sigterm_and_exits_143(docker_client):
    """Every run is `--init`: the engine's docker-init must exist and forward SIGTERM.

    `sleep` as pid 1 ignores SIGTERM (the kernel drops signals pid 1 has no handler for), so
    only a working init makes the container exit 128+15; a missing docker-init fails the start."""
    c = docker_client.containers.run(
        "debian:bookworm-slim",
        ["sleep", "300"],
        init=True,
        detach=True,
        network_mode="none",
        name=f"aishell-t19-init-{uuid.uuid4().hex[:8]}",
    )
    try:
        c.kill(signal="SIGTERM")
        assert c.wait(timeout=30)["StatusCode"] == 128 + signal.SIGTERM
    finally:
        c.remove(force=True)


def test_the_engine_init_is_the_tini_package_s_not_docker_io_s(docker_client):
    """A bare machine has no docker.io, so no /usr/bin/docker-init: the engine docker-setup
    started is given tini's tini-static with --init-path and never looks docker-init up on PATH."""
    pidfile = Path(f"/var/run/aishell-dockerd-{running_engine(docker_client)}.pid")
    if not pidfile.exists():
        assert os.environ.get("CI") != "true", "CI's engine is started by scripts/docker-setup"
        return
    argv = Path(f"/proc/{pidfile.read_text().strip()}/cmdline").read_bytes().split(b"\0")
    assert b"--init-path" in argv, argv
    init = argv[argv.index(b"--init-path") + 1].decode()
    assert os.access(init, os.X_OK) and not os.path.islink(init), init
    owner = subprocess.run(["dpkg", "-S", init], capture_output=True, text=True).stdout
    assert owner.startswith("tini:"), owner


def test_fetch_only_is_for_the_unpacked_engines():
    r = subprocess.run(["bash", SETUP, "--engine", "20.10", "--fetch-only"], capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Debian 12's docker.io" in r.stderr, r.stderr


def test_the_engine_does_not_hold_the_callers_lock(docker_client):
    """Helpers run `flock /tmp/aishell-docker.lock scripts/docker-setup`: a dockerd that inherited the
    lock's descriptor held the lock for as long as it ran. Started daemons keep no inherited descriptor."""
    pidfile = Path(f"/var/run/aishell-dockerd-{running_engine(docker_client)}.pid")
    if not pidfile.exists():
        return
    fds = Path(f"/proc/{pidfile.read_text().strip()}/fd")
    links = []
    for p in fds.iterdir():
        try:
            links.append(os.readlink(p))
        except FileNotFoundError:
            continue  # closed between the listing and the read (the daemon is working meanwhile)
    assert not [link for link in links if link.endswith(".lock")]


def test_a_started_daemon_keeps_none_of_the_callers_descriptors(tmp_path):
    lock = tmp_path / "held.lock"
    script = f"""source <(sed -n '/^close_inherited_fds()/,/^}}/p' {SETUP}); SUDO=()
(close_inherited_fds; exec "${{SUDO[@]}}" setsid sleep 30 >/dev/null 2>&1 </dev/null) &
echo $!"""  # the way docker-setup starts dockerd and the registries
    r = subprocess.run(["flock", str(lock), "bash", "-c", script], capture_output=True, text=True, timeout=30)
    pid = int(r.stdout.split()[-1])
    try:
        assert subprocess.run(["flock", "-n", str(lock), "true"]).returncode == 0, "the daemon holds the lock"
    finally:
        os.kill(pid, signal.SIGTERM)


def test_image_mounts_are_found_exactly_where_docs_engines_md_says(docker_client):
    """20.10 and 26: no; 28: yes, read-only (docs/engines.md's table; the harness tier's switch)."""
    from aishell.builder.volume import image_mounts

    engine = running_engine(docker_client)
    expected = {"20.10": False, "26": False, "28": True}.get(engine)
    if expected is None:
        assert os.environ.get("CI") != "true", f"CI tests engines 20.10, 26 and 28, not {engine}"
        return
    assert image_mounts(docker_client, "debian:bookworm-slim") is expected
