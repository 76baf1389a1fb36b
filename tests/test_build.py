"""aishell build against the real Docker Engine (no mocks).

The foundation is content-addressed, so it is built once per machine and
reused by later runs; extension images and state are per test. The harness
volumes for the two claude versions are removed first, so each run really
creates them.
"""

import json
import os
import signal
import subprocess

import pytest

from tests.conftest import CA_DIR, Project, aishell_command, run_cli

V1, V2 = "2.1.300", "2.1.301"


def engine_major(docker_client) -> int:
    return int(docker_client.version()["Version"].split(".")[0])


BUILDKIT_ONLY = {
    # name: (Dockerfile after FROM, command that shows the result, expected output)
    "heredoc": ("RUN <<EOF\necho heredoc-ran > /h.txt\nEOF\n", "cat /h.txt", "heredoc-ran"),
    "run-mount": ("RUN --mount=type=cache,target=/cache echo mounted > /m.txt\n", "cat /m.txt", "mounted"),
    "copy-chmod": ("COPY --chmod=0750 src/app.txt /opt/app.txt\n", "stat -c %a /opt/app.txt", "750"),
}


def tier(output: str, name: str) -> str:
    """'built', 'reused' or 'skipped' from the summary table."""
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) > 3 and cells[1] == name:
            return cells[2]
    raise AssertionError(f"no {name} row in:\n{output}")


@pytest.fixture
def proj(tmp_path, request):
    """A project; its extension image is removed after tests that use the engine."""
    p = Project(tmp_path / "project")
    (p / ".aishell").mkdir(parents=True)
    p.write(".aishell/Dockerfile", "FROM aishell:foundation\nCOPY src/ /opt/src/\nRUN cat /opt/src/app.txt\n")
    p.write("src/app.txt", "v1\n")
    yield p
    if "docker_client" not in request.fixturenames:
        return
    from aishell.labels import extension_tag

    try:
        request.getfixturevalue("docker_client").images.remove(extension_tag(str(p)), force=True)
    except Exception:
        pass


def build(proj, env, *args, **kw):
    return run_cli("build", *args, cwd=proj, env=env, **kw)


def state(env) -> dict:
    with open(os.path.join(env["XDG_STATE_HOME"], "aishell", "state.json")) as f:
        return json.load(f)


def project_state(env, proj) -> dict:
    return state(env)["projects"][os.path.realpath(proj)]


def ext_id(docker_client, proj) -> str:
    from aishell.builder.plan import Plan

    return docker_client.images.get(Plan(str(proj), {}, None, "", "").extension_tag).id


def test_gate_stops_a_legacy_dockerfile_before_any_docker_call(proj, env, docker_client):
    proj.write(".aishell/Dockerfile", "FROM aishell:base\nRUN claude --version\n")
    # An unreachable daemon proves no Docker call happens before the gate.
    r = build(proj, dict(env, DOCKER_HOST="tcp://127.0.0.1:9"))
    assert r.returncode == 1, r.stderr
    assert "AIS001" in r.stderr and "aishell migrate --write" in r.stderr
    with pytest.raises(Exception):
        ext_id(docker_client, proj)
    assert not os.path.exists(os.path.join(env["XDG_STATE_HOME"], "aishell", "state.json"))


def test_three_tiers_then_noop_then_harness_update(proj, env, docker_client):
    from aishell.builder.volume import volume_hash
    from aishell.labels import volume_name

    for v in (V1, V2):  # make the volume creation real on every run (any owner's)
        for vol in docker_client.volumes.list(
            filters={"label": f"aishell.harness.hash={volume_hash({'claude': v}, '24')}"}
        ):
            if vol.name.startswith(volume_name(volume_hash({"claude": v}, "24"))):
                try:
                    vol.remove(force=True)
                except Exception:
                    pass

    r = build(proj, env, f"--with-claude={V1}")
    assert r.returncode == 0, r.stderr
    assert tier(r.stderr, "extension") == "built" and tier(r.stderr, "harness volume") == "built"
    first = project_state(env, proj)
    vol1 = first["harness"]["volume"]
    volume = docker_client.volumes.get(vol1)
    assert volume.attrs["Labels"]["aishell.harnesses"] == f"claude={V1}"
    assert volume.attrs["Labels"]["aishell.component"] == "harness"
    ext1 = ext_id(docker_client, proj)
    labels = docker_client.images.get(ext1).labels
    assert labels["aishell.project-dir"] == os.path.realpath(proj)
    assert labels["aishell.foundation.id"] == state(env)["foundation"]["image_id"]

    # Nothing changed: every tier reused, state untouched.
    mtime = os.stat(os.path.join(env["XDG_STATE_HOME"], "aishell", "state.json")).st_mtime_ns
    r = build(proj, env, f"--with-claude={V1}")
    assert r.returncode == 0, r.stderr
    assert [tier(r.stderr, t) for t in ("foundation", "extension", "harness volume")] == ["reused"] * 3
    assert os.stat(os.path.join(env["XDG_STATE_HOME"], "aishell", "state.json")).st_mtime_ns == mtime

    # A harness update: a new volume, the extension image untouched.
    r = build(proj, env, f"--with-claude={V2}")
    assert r.returncode == 0, r.stderr
    assert tier(r.stderr, "harness volume") == "built" and tier(r.stderr, "extension") == "reused"
    vol2 = project_state(env, proj)["harness"]["volume"]
    assert vol2 != vol1
    assert ext_id(docker_client, proj) == ext1

    # The harness runs as uid 1000 in the extension, from the read-only volume.
    out = docker_client.containers.run(
        ext1,
        ["sh", "-c", "id -u && /opt/harness/bin/claude --version && touch /opt/harness/x || echo read-only"],
        user="1000:1000",
        volumes={vol2: {"bind": "/opt/harness", "mode": "ro"}},
        remove=True,
    ).decode()
    assert out.split("\n")[0] == "1000"
    assert f"{V2} (Claude Code)" in out and "read-only" in out

    # A Dockerfile change rebuilds the extension only.
    proj.write(
        ".aishell/Dockerfile",
        "FROM aishell:foundation\nCOPY src/ /opt/src/\nRUN cat /opt/src/app.txt && echo changed\n",
    )
    r = build(proj, env, f"--with-claude={V2}")
    assert [tier(r.stderr, t) for t in ("foundation", "extension", "harness volume")] == ["reused", "built", "reused"]
    # So does a change to a file it copies; an ignored file does not count.
    ext2 = ext_id(docker_client, proj)
    proj.write("src/app.txt", "v2\n")
    assert tier(build(proj, env, f"--with-claude={V2}").stderr, "extension") == "built"
    assert ext_id(docker_client, proj) != ext2


@pytest.mark.one_engine  # (the resolution is aishell's, from the npm registry: the same on every engine)
def test_latest_is_resolved_once_and_update_re_resolves(proj, env, docker_client):
    r = build(proj, env, "--with-claude", "--quiet")
    assert r.returncode == 0, r.stderr
    resolved = project_state(env, proj)["harness"]["specs"]["claude"]
    assert resolved["spec"] == "latest" and resolved["version"].count(".") == 2
    r = build(proj, env, "--with-claude")
    assert tier(r.stderr, "harness volume") == "reused"
    r = build(proj, env, "--with-claude", "--update", "--quiet")
    assert r.returncode == 0, r.stderr


def test_corrupt_state_means_rebuild_what_is_needed(proj, env, docker_client):
    assert build(proj, env, "--quiet").returncode == 0
    path = os.path.join(env["XDG_STATE_HOME"], "aishell", "state.json")
    with open(path, "w") as f:
        f.write("{not json")
    r = build(proj, env)
    assert r.returncode == 0, r.stderr
    assert tier(r.stderr, "extension") == "reused"  # the engine still has it
    assert "extension" in project_state(env, proj)


def _start(proj, env, *args):
    return subprocess.Popen(
        [*aishell_command(), "build", "--verbose", *args],
        cwd=proj,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _wait_for(proc, marker: str, limit: int = 600) -> None:
    for line in proc.stdout:
        if marker in line:
            return
    raise AssertionError(f"{marker!r} never appeared")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_or_interrupted_build_leaves_the_previous_build_usable(proj, env, docker_client, sig):
    assert build(proj, env, "--quiet").returncode == 0
    before_state, before_ext = state(env), ext_id(docker_client, proj)
    proj.write(".aishell/Dockerfile", "FROM aishell:foundation\nRUN echo SLOW-STEP-STARTED && sleep 60\n")
    proc = _start(proj, env)
    _wait_for(proc, "SLOW-STEP-STARTED")
    os.killpg(proc.pid, sig) if sig == signal.SIGKILL else os.kill(proc.pid, sig)
    rest = proc.stdout.read()
    rc = proc.wait(timeout=120)
    if sig == signal.SIGINT:
        assert rc == 130 and "interrupted" in rest
    assert state(env) == before_state
    assert ext_id(docker_client, proj) == before_ext
    proj.write(".aishell/Dockerfile", "FROM aishell:foundation\nRUN echo fine\n")
    assert build(proj, env, "--quiet").returncode == 0


def test_two_concurrent_builds(proj, env, docker_client):
    proj.write(".aishell/Dockerfile", "FROM aishell:foundation\nRUN echo concurrent && sleep 2\n")
    procs = [_start(proj, env) for _ in range(2)]
    outs = [p.communicate(timeout=600)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert sorted(tier(o, "extension") for o in outs) == ["built", "reused"]
    assert project_state(env, proj)["extension"]["image_id"] == ext_id(docker_client, proj)


def test_failed_build_keeps_everything_and_reports_the_step(proj, env, docker_client):
    assert build(proj, env, "--quiet").returncode == 0
    before_state, before_ext = state(env), ext_id(docker_client, proj)
    proj.write(".aishell/Dockerfile", "FROM aishell:foundation\nRUN echo about-to-fail && exit 7\n")
    r = build(proj, env)
    assert r.returncode == 1
    assert "aishell build failed at RUN echo about-to-fail" in r.stderr
    assert state(env) == before_state and ext_id(docker_client, proj) == before_ext


def test_bad_harness_version_leaves_no_volume(proj, env, docker_client):
    before = {v.name for v in docker_client.volumes.list(filters={"label": "aishell.component=harness"})}
    r = build(proj, env, "--with-codex=0.0.0-does-not-exist")
    assert r.returncode == 1, r.stderr
    after = {v.name for v in docker_client.volumes.list(filters={"label": "aishell.component=harness"})}
    assert after == before


@pytest.mark.parametrize("syntax", ["heredoc", "run-mount", "copy-chmod"])
def test_buildkit_syntax_is_refused_when_only_the_classic_builder_is_available(proj, env, docker_client, syntax):
    proj.write(".aishell/Dockerfile", "FROM aishell:foundation\n" + BUILDKIT_ONLY[syntax][0])
    r = build(proj, dict(env, AISHELL_BUILDER="classic"))
    assert r.returncode == 2
    assert "needs BuildKit (line 2: " in r.stderr and "only the classic builder" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("syntax", sorted(BUILDKIT_ONLY))
def test_buildkit_only_syntax_is_built_or_refused_by_engine(proj, env, docker_client, syntax):
    """Engine 23+ (26 in CI): a real build through buildx, checked inside the image. Engine 20.10:
    RUN --mount and COPY --chmod build with its built-in BuildKit; heredocs are the documented refusal."""
    body, show, expected = BUILDKIT_ONLY[syntax]
    proj.write(".aishell/Dockerfile", "FROM aishell:foundation\n" + body)
    r = build(proj, env)
    if syntax == "heredoc" and engine_major(docker_client) < 23:
        assert r.returncode == 2
        assert "needs Dockerfile frontend 1.4+ (line 2: heredoc)" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
        return
    assert r.returncode == 0, r.stderr
    assert tier(r.stderr, "extension") == "built"
    out = docker_client.containers.run(ext_id(docker_client, proj), ["sh", "-c", show], entrypoint=[], remove=True)
    assert out.decode().strip() == expected
    if engine_major(docker_client) >= 23:
        assert "aishell build with BuildKit (buildx)" in r.stderr, r.stderr


@pytest.mark.parametrize("builder", ["classic", "buildkit"])
def test_dockerfile_specific_ignore_file_on_every_backend(proj, env, docker_client, builder):
    proj.write("src/secret.txt", "no\n")
    proj.write(".dockerignore", "src/app.txt\n")
    proj.write(".aishell/Dockerfile.dockerignore", "src/secret.txt\n")
    proj.write(".aishell/Dockerfile", "FROM aishell:foundation\nCOPY src/ /opt/src/\n")
    r = build(proj, dict(env, AISHELL_BUILDER=builder))
    assert r.returncode == 0, r.stderr
    out = docker_client.containers.run(ext_id(docker_client, proj), ["ls", "/opt/src"], entrypoint=[], remove=True)
    assert out.decode().split() == ["app.txt"]


@pytest.mark.parametrize("host", ["tcp://127.0.0.1:9", "ssh://nobody@127.0.0.1:9"])
def test_docker_down_is_one_line_exit_3(proj, env, host):
    r = build(proj, dict(env, DOCKER_HOST=host))
    assert r.returncode == 3
    assert r.stderr.startswith(f"aishell: cannot reach the Docker daemon at {host} (DOCKER_HOST)")
    assert "paramiko" not in r.stderr  # ssh:// is supported, not missing a package
    assert len(r.stderr.strip().splitlines()) == 1


def test_foundation_trusts_the_extra_ca_and_never_disables_tls(env, docker_client, proj):
    from importlib import resources

    assert build(proj, env, "--quiet").returncode == 0
    for name in ("foundation/Dockerfile", "foundation/entrypoint.sh", "harness/Dockerfile"):
        text = resources.files("aishell").joinpath("templates", name).read_text()
        assert "strict-ssl" not in text and "NODE_TLS_REJECT_UNAUTHORIZED" not in text
    fid = state(env)["foundation"]["image_id"]
    env_vars = docker_client.images.get(fid).attrs["Config"]["Env"]
    assert "NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt" in env_vars
    if os.path.isdir(CA_DIR) and os.listdir(CA_DIR):
        # Through this machine's TLS-intercepting proxy: works only if the extra CA is trusted.
        out = docker_client.containers.run(
            fid,
            [
                "sh",
                "-c",
                "curl -fsS -m 60 -o /dev/null -w '%{http_code}' https://registry.npmjs.org/ && timeout 60 "
                "node -e \"require('https').get('https://registry.npmjs.org/',r=>{console.log(' node',r.statusCode);process.exit(0)})\"",
            ],
            entrypoint=[],
            remove=True,
        ).decode()
        assert out.startswith("200") and "node 200" in out
