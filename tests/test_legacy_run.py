"""A project in the original aishell's schema, built and run on the real engine: its pre_start
starts (as the user, in the background, logged), its harness_args reach the harness, and the
foundation provides every command its manifest lists."""

import os
import subprocess

import pytest

from tests.conftest import CA_DIR, Project, run_cli

V = "2.1.301"  # the claude version tests/test_run.py builds: its content-addressed volume is reused

CONFIG = """\
# original aishell schema
harness_args:
  claude:
    - --version      # so `aishell claude` alone prints the version
# started in the background
pre_start:
  - "id -u > pre-start.txt"
  - "echo pre-start-ran"
"""


@pytest.fixture(scope="module")
def legacy(tmp_path_factory, docker_client):
    base = tmp_path_factory.mktemp("legacy")
    proj = Project(base / "project")
    proj.write(".aishell/Dockerfile", "FROM aishell:foundation\nRUN fd --version && bc --version\n")
    proj.write(".aishell/config.yaml", CONFIG)
    (base / "home").mkdir()
    env = dict(
        os.environ, XDG_STATE_HOME=str(base / "state"), HOME=str(base / "home"), XDG_CONFIG_HOME=str(base / "xdg")
    )
    for name in ("ANTHROPIC_API_KEY", "AISHELL_BUILDER"):
        env.pop(name, None)
    if os.path.isdir(CA_DIR):
        env["AISHELL_CA_CERTS"] = CA_DIR
    r = run_cli("build", f"--with-claude={V}", "--quiet", cwd=proj, env=env)
    assert r.returncode == 0, r.stderr
    yield proj, env
    from aishell import labels

    try:
        docker_client.images.remove(labels.extension_tag(str(proj)), force=True)
    except Exception:
        pass


def test_harness_args_come_before_the_command_lines(legacy):
    proj, env = legacy
    r = run_cli("claude", cwd=proj, env=env, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"{V} (Claude Code)"
    assert "original aishell's schema" in r.stderr  # the unmigrated config works, with its warning


def test_pre_start_runs_as_the_user_in_the_background_with_a_log(legacy):
    proj, env = legacy
    (proj / "pre-start.txt").unlink(missing_ok=True)
    # (Both steps run in the background: wait for the log's line too, which follows the file.)
    script = (
        "for i in $(seq 100); do [ -s pre-start.txt ] && grep -q pre-start-ran /tmp/pre-start.log 2>/dev/null"
        " && break; sleep 0.1; done; cat pre-start.txt; cat /tmp/pre-start.log"
    )
    r = run_cli("exec", "--", "sh", "-c", script, cwd=proj, env=env, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    uid, log = r.stdout.split("\n", 1)
    assert int(uid) == os.getuid() and "pre-start-ran" in log
    assert os.stat(proj / "pre-start.txt").st_uid == os.getuid()


def test_the_foundation_provides_every_command_of_its_manifest(legacy):
    proj, env = legacy
    script = (
        "f=/usr/local/share/aishell/foundation-commands.txt; cat $f >&2; "
        "for c in $(sed 's/#.*//' $f); do command -v $c >/dev/null || echo MISSING $c; done"
    )
    r = run_cli("exec", "--", "sh", "-c", script, cwd=proj, env=env, stdin=subprocess.DEVNULL)
    assert r.returncode == 0 and "MISSING" not in r.stdout, r.stdout + r.stderr
    from aishell.foundation_manifest import MANIFEST

    with open(MANIFEST) as f:
        assert f.read() in r.stderr


WIDE = """\
mounts:
  - ~/m2cache            # from $HOME
  - "$HOME/data:/data:ro"
ports: ["8080:80", "0.0.0.0:9090:9090/udp"]
env:
  T20_LITERAL: "x"
  T20_PASSED:    # the host's value
docker_args: "--memory=512m --hostname=t20"
"""


def test_dry_run_shows_the_mounts_ports_env_names_and_arguments_after_trust(legacy):
    proj, env = legacy
    home = env["HOME"]
    for d in ("m2cache", "data"):
        os.makedirs(os.path.join(home, d), exist_ok=True)
    before = (proj / ".aishell" / "config.yaml").read_text()
    (proj / ".aishell" / "config.yaml").write_text(WIDE)
    try:
        r = run_cli("exec", "--dry-run", "--", "true", cwd=proj, env=env, stdin=subprocess.DEVNULL)
        assert r.returncode == 2, r.stderr  # untrusted: nothing starts, the keys are named
        for key in ("run.mounts", "run.ports", "run.env.T20_PASSED", "run.docker_args"):
            assert key in r.stderr, r.stderr
        assert run_cli("trust", cwd=proj, env=env).returncode == 0
        r = run_cli("exec", "--dry-run", "--", "true", cwd=proj, env={**env, "T20_PASSED": "secret-value"})
    finally:
        (proj / ".aishell" / "config.yaml").write_text(before)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert f"type=bind,source={home}/m2cache,target={home}/m2cache" in out
    assert f"type=bind,source={home}/data,target=/data,readonly" in out
    assert "-p 127.0.0.1:8080:80" in out and "-p 0.0.0.0:9090:9090/udp" in out
    assert "-e T20_LITERAL" in out and "-e T20_PASSED" in out and "secret-value" not in out
    assert "--memory=512m --hostname=t20" in out
