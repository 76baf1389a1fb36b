"""Sharing builds through a real OCI registry (Debian's docker-registry, started by
scripts/docker-setup on 127.0.0.1:5959, and one with htpasswd auth on :5960).

A "second machine" is simulated on the same engine: the first project's extension image and
the foundation's tags are removed, its harness volume too, and BuildKit's cache is pruned;
then a project with the same files at another path builds with the registry. Every test
pushes under a path of its own, and the foundation's tags are put back afterwards.
"""

import os
import re
import subprocess
import uuid

import pytest

from tests.conftest import Project, aishell_command, run_cli

V = "2.1.301"
OPEN = os.environ.get("AISHELL_TEST_REGISTRY", "127.0.0.1:5959")
AUTH = os.environ.get("AISHELL_TEST_AUTH_REGISTRY", "127.0.0.1:5960")


def _answers(addr: str) -> bool:
    import urllib.request

    try:
        urllib.request.urlopen(f"http://{addr}/v2/", timeout=3)
        return True
    except Exception as e:
        return getattr(e, "code", None) == 401


@pytest.fixture
def registry(docker_client):
    if not _answers(OPEN):
        message = f"no registry answers on {OPEN}: scripts/docker-setup starts it"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return f"{OPEN}/t{uuid.uuid4().hex[:10]}/aishell"


@pytest.fixture
def keep_foundation_tags(docker_client):
    """The tests untag the foundation to act as a new machine: put the tags back after."""
    before = {
        t: img.id
        for img in docker_client.images.list(filters={"label": "aishell.component=foundation"})
        for t in img.tags
        if t.startswith("aishell:foundation")
    }
    yield
    for tag, ident in before.items():
        try:
            repo, _, t = tag.rpartition(":")
            docker_client.images.get(ident).tag(repo, t)
        except Exception:
            pass


def project(base, name, dockerfile) -> Project:
    p = Project(base / name)
    p.write(".aishell/Dockerfile", dockerfile)
    p.write("src/app.txt", "shared-content\n")
    return p


def build(p, env, *args):
    return run_cli("build", *args, cwd=p, env=env, timeout=900)


def tiers(output: str) -> dict[str, str]:
    out = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) > 3 and cells[1] in ("foundation", "extension", "harness volume"):
            out[cells[1]] = cells[2]
    return out


def become_another_machine(docker_client, p, env) -> None:
    """Remove what the first machine has locally: its extension, the foundation's tags, the
    harness volume, and BuildKit's cache."""
    from aishell.builder.plan import Plan

    for tag in [Plan(str(p), {}, None, "", "").extension_tag] + [
        t
        for img in docker_client.images.list(filters={"label": "aishell.component=foundation"})
        for t in img.tags
        if t.startswith("aishell:foundation")
    ]:
        try:
            docker_client.images.remove(tag)
        except Exception:
            pass
    from aishell import labels as L

    # Harness volumes are per owner (state folder): this machine's own, never another user's.
    owner = L.owner(os.getuid(), os.path.join(env["XDG_STATE_HOME"], "aishell"))
    for vol in docker_client.volumes.list(filters={"label": [f"aishell.harnesses=claude={V}", f"{L.OWNER}={owner}"]}):
        vol.remove(force=True)
    subprocess.run(["docker", "builder", "prune", "-af"], capture_output=True)


def test_push_from_one_machine_and_the_next_builds_nothing(
    tmp_path, env, registry, docker_client, keep_foundation_tags
):
    dockerfile = "FROM aishell:foundation\nCOPY src/ /opt/src/\nRUN cat /opt/src/app.txt > /built.txt\n"
    a = project(tmp_path, "a", dockerfile)
    r = build(a, env, "--registry", registry, "--push", f"--with-claude={V}")
    assert r.returncode == 0, r.stderr
    assert "warning" not in r.stderr, r.stderr
    import json

    doc = json.loads(
        subprocess.run(
            [*aishell_command(), "status", "--json"],
            cwd=a,
            env=dict(env, AISHELL_REGISTRY=registry),
            capture_output=True,
            text=True,
        ).stdout
    )
    assert {t: v["in_registry"] for t, v in doc["projects"][0]["tiers"].items()} == {
        "foundation": True,
        "extension": True,
        "harness volume": True,
    }
    become_another_machine(docker_client, a, env)

    b = project(tmp_path, "b-elsewhere", dockerfile)  # the same project at another path
    env_b = dict(env, XDG_STATE_HOME=str(tmp_path / "state-b"))
    # --verbose streams every build log line: with nothing built, npm never ran (the exact
    # version needs no lookup, and the carrier came from the registry, not from npm install).
    r = build(b, env_b, "--registry", registry, f"--with-claude={V}", "--verbose")
    assert r.returncode == 0, r.stderr
    assert tiers(r.stderr) == {"foundation": "pulled", "extension": "pulled", "harness volume": "pulled"}, r.stderr
    assert "npm" not in r.stderr and "#1 " not in r.stderr and "Step 1/" not in r.stderr, r.stderr
    r = subprocess.run(
        [*aishell_command(), "exec", "--no-build", "--", "sh", "-c", "cat /built.txt; claude --version"],
        cwd=b,
        env=env_b,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"shared-content\n{V} (Claude Code)\n"


def test_a_changed_last_line_reuses_the_earlier_layers_from_the_registry(tmp_path, env, registry, docker_client):
    marker = uuid.uuid4().hex
    head = f"FROM aishell:foundation\nRUN echo {marker} > /slow.txt\n"
    a = project(tmp_path, "a", head + "RUN echo last-v1 > /last.txt\n")
    assert build(a, env, "--registry", registry, "--push").returncode == 0
    from aishell.builder.plan import Plan

    docker_client.images.remove(Plan(str(a), {}, None, "", "").extension_tag, force=True)
    subprocess.run(["docker", "builder", "prune", "-af"], capture_output=True)  # no local cache at all
    b = project(tmp_path, "b", head + "RUN echo last-v2 > /last.txt\n")
    r = build(b, dict(env, XDG_STATE_HOME=str(tmp_path / "state-b")), "--registry", registry, "--verbose")
    assert r.returncode == 0, r.stderr
    assert tiers(r.stderr)["extension"] == "built"
    step = next(m.group(1) for m in re.finditer(r"^#(\d+) \[[^\]]*\] RUN echo " + marker, r.stderr, re.M))
    assert re.search(rf"^#{step} CACHED", r.stderr, re.M), r.stderr[-3000:]


def test_a_tampered_tag_is_refused(tmp_path, env, registry, docker_client, keep_foundation_tags):
    a = project(tmp_path, "a", "FROM aishell:foundation\nRUN true\n")
    assert build(a, env, "--registry", registry, "--push").returncode == 0
    import json

    fhash = json.loads((tmp_path / "state" / "aishell" / "state.json").read_text())["foundation"]["hash"]
    # The right name, the wrong content: another image pushed over the foundation's tag.
    docker_client.images.get("debian:bookworm-slim").tag(f"{registry}/foundation", fhash)
    for _ in docker_client.images.push(f"{registry}/foundation", fhash, stream=True, decode=True):
        pass
    become_another_machine(docker_client, a, env)
    r = build(a, dict(env, XDG_STATE_HOME=str(tmp_path / "state-b")), "--registry", registry)
    assert r.returncode == 2, r.stderr
    line = r.stderr.strip().splitlines()[-1]
    assert line.startswith("aishell: ") and "does not hold what its tag names" in line and "refused" in line


def test_a_registry_that_is_down_warns_and_builds_locally_unless_required(tmp_path, env, docker_client):
    a = project(tmp_path, "a", f"FROM aishell:foundation\nRUN echo {uuid.uuid4().hex} > /x\n")
    down = "127.0.0.1:9/team/aishell"
    r = build(a, env, "--registry", down)
    assert r.returncode == 0, r.stderr
    assert tiers(r.stderr)["extension"] == "built"
    warnings = [line for line in r.stderr.splitlines() if "warning: registry" in line]
    assert len(warnings) == 1 and down in warnings[0] and "building locally" in warnings[0]
    a.write(".aishell/Dockerfile", f"FROM aishell:foundation\nRUN echo {uuid.uuid4().hex} > /x\n")
    r = build(a, env, "--registry", down, "--require-registry")
    assert r.returncode == 3
    assert r.stderr.strip().splitlines()[-1].startswith(f"aishell: registry {down}: pull failed")


def test_an_auth_failure_is_one_line_naming_the_registry(tmp_path, env, docker_client):
    if not _answers(AUTH):
        pytest.fail(f"no registry answers on {AUTH}") if os.environ.get("CI") == "true" else pytest.skip(
            "no auth registry"
        )
    a = project(tmp_path, "a", f"FROM aishell:foundation\nRUN echo {uuid.uuid4().hex} > /x\n")
    ref = f"{AUTH}/team/aishell"
    r = build(a, env, "--registry", ref, "--require-registry")
    assert r.returncode == 3
    line = r.stderr.strip().splitlines()[-1]
    assert f"registry {ref}" in line and "authentication failed" in line and f"docker login {AUTH}" in line


def test_the_classic_builder_pulls_and_pushes_by_hash(tmp_path, env, registry, docker_client, keep_foundation_tags):
    env = dict(env, AISHELL_BUILDER="classic")
    dockerfile = f"FROM aishell:foundation\nRUN echo {uuid.uuid4().hex} > /x\n"
    a = project(tmp_path, "a", dockerfile)
    r = build(a, env, "--registry", registry, "--push")
    assert r.returncode == 0, r.stderr
    become_another_machine(docker_client, a, env)
    b = project(tmp_path, "b", dockerfile)
    r = build(b, dict(env, XDG_STATE_HOME=str(tmp_path / "state-b")), "--registry", registry)
    assert r.returncode == 0, r.stderr
    assert tiers(r.stderr) == {"foundation": "pulled", "extension": "pulled", "harness volume": "skipped"}, r.stderr


def test_push_without_a_registry_is_a_config_error(tmp_path, env):
    a = project(tmp_path, "a", "FROM aishell:foundation\n")
    r = build(a, env, "--push")
    assert r.returncode == 2 and "need a registry" in r.stderr and r.stderr.count("\n") == 1
