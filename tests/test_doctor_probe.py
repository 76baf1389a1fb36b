"""`aishell doctor` starts a container the way a run does, and names the fix when it cannot.

The failing engine is real: a second daemon of the running engine's own build, on its own socket,
data root and exec root, started with an init that does not exist (what a bare machine's engine
had before scripts/docker-setup gave it tini's: every run failed with exit 127)."""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import run_cli


def _running_daemon(docker_client) -> tuple[str, str]:
    """The running engine's dockerd binary and PATH (its containerd, shims and runc)."""
    version = docker_client.version()["Version"]
    line = "20.10" if version.startswith("20.10.") else version.split(".")[0]
    pidfile = Path(f"/var/run/aishell-dockerd-{line}.pid")
    if not pidfile.exists():
        dockerd = shutil.which("dockerd")
        if dockerd is None:
            pytest.fail("no dockerd to start a second engine with")
        return dockerd, os.environ["PATH"]
    pid = pidfile.read_text().strip()
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    env = dict(e.split(b"=", 1) for e in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0") if b"=" in e)
    return argv[0].decode(), env.get(b"PATH", b"/usr/sbin:/usr/bin:/sbin:/bin").decode()


@pytest.fixture(scope="module")
def engine_without_init(docker_client):
    dockerd, path = _running_daemon(docker_client)
    root = tempfile.mkdtemp(prefix="t19d-", dir="/tmp")  # short: containerd's socket path is limited
    sock = f"{root}/d.sock"
    log = open(f"{root}/dockerd.log", "wb")
    # Its own network namespace: `--bridge none` makes dockerd delete docker0, which is the running engine's.
    proc = subprocess.Popen(
        [
            "unshare",
            "--net",
            "--",
            dockerd,
            "--data-root",
            f"{root}/data",
            "--exec-root",
            f"{root}/exec",
            "--pidfile",
            f"{root}/d.pid",
            "-H",
            f"unix://{sock}",
            "--bridge",
            "none",
            "--iptables=false",
            "--storage-driver",
            "vfs",
            "--init-path",
            f"{root}/no-such/docker-init",
        ],
        env={"PATH": path},
        stdout=log,
        stderr=log,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )
    host = f"unix://{sock}"
    try:
        for _ in range(120):
            if subprocess.run(["docker", "-H", host, "version"], capture_output=True).returncode == 0:
                break
            assert proc.poll() is None, Path(f"{root}/dockerd.log").read_text()[-2000:]
            time.sleep(0.25)
        # The init fails before any command runs, so an empty image under the probe's name will do.
        empty = subprocess.run(["tar", "-cf", "-", "--files-from", "/dev/null"], capture_output=True, check=True).stdout
        subprocess.run(
            ["docker", "-H", host, "import", "-", "debian:bookworm-slim"], input=empty, check=True, capture_output=True
        )
        yield host
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(root, ignore_errors=True)


def test_doctor_names_the_missing_init_and_its_fix(engine_without_init, tmp_path):
    env = {
        "DOCKER_HOST": engine_without_init,
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "HOME": str(tmp_path / "home"),
    }
    (tmp_path / "home").mkdir()
    r = run_cli("doctor", cwd=tmp_path, env=env)
    assert r.returncode == 1, r.stdout + r.stderr
    fails = [line for line in r.stdout.splitlines() if line.startswith("FAIL  a run cannot start")]
    assert len(fails) == 1, r.stdout
    assert "docker-init" in fails[0] and "--init-path /usr/bin/tini-static" in fails[0], fails[0]
    assert "Traceback" not in r.stderr


def test_doctor_passes_a_run_on_the_engine_ci_tests(docker_client, tmp_path):
    """On each engine CI tests (20.10 too, end of life), the probe runs and the engine is no failure."""
    env = {"XDG_STATE_HOME": str(tmp_path / "state"), "HOME": str(tmp_path / "home")}
    (tmp_path / "home").mkdir()
    r = run_cli("doctor", cwd=tmp_path, env=env)
    lines = r.stdout.splitlines()
    assert [line for line in lines if line.startswith("ok    a run starts: --init, uid ")], r.stdout
    assert not [line for line in lines if line.startswith("FAIL  Docker Engine")], r.stdout
