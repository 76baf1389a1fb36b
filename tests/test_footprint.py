"""aishell status, volumes list, prune and doctor against the real engine.

Two projects and three claude versions (2.1.299, 2.1.300, 2.1.301), each test with its
own state folder and HOME. Prune acts on the whole engine, as it does for users: these
tests only assert on what they made, and on foreign items they made to be left alone.
"""

import json
import subprocess
import sys
import uuid

import pytest

from tests.conftest import ROOT, Project, aishell_command, run_cli

V1, V2, V3 = "2.1.299", "2.1.300", "2.1.301"
SCHEMA = ROOT / "aishell" / "schemas" / "status.schema.json"


def aishell(*args, cwd, env, **kw):
    return run_cli(*args, cwd=cwd, env=env, stdin=kw.pop("stdin", subprocess.DEVNULL), timeout=900, **kw)


def make_project(base, name: str, text: str = "FROM aishell:foundation\nCOPY src/ /opt/src/\n") -> Project:
    p = Project(base / name)
    p.write(".aishell/Dockerfile", text)
    p.write("src/app.txt", f"{name}\n")
    return p


def built(p, env, version):
    r = aishell("build", f"--with-claude={version}", "--quiet", cwd=p, env=env)
    assert r.returncode == 0, r.stderr
    return p


def status_json(p, env, *args) -> dict:
    r = aishell("status", "--json", *args, cwd=p, env=env)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    import jsonschema

    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    return doc


def volume_for(docker_client, env, version) -> str:
    """The harness volume this test's state folder made (volumes are per owner)."""
    import os

    from aishell import labels as L

    owner = L.owner(os.getuid(), os.path.join(env["XDG_STATE_HOME"], "aishell"))
    vols = docker_client.volumes.list(filters={"label": [f"aishell.harnesses=claude={version}", f"{L.OWNER}={owner}"]})
    assert len(vols) == 1, [v.name for v in vols]
    return vols[0].name


def exists_volume(docker_client, name) -> bool:
    try:
        docker_client.volumes.get(name)
        return True
    except Exception:
        return False


def test_status_is_current_then_stale_for_each_kind_of_change(tmp_path, env, docker_client):
    p = built(make_project(tmp_path, "a"), env, V3)
    doc = status_json(p, env)
    tiers = doc["projects"][0]["tiers"]
    assert [tiers[t]["state"] for t in ("foundation", "extension", "harness volume")] == ["current"] * 3
    assert doc["projects"][0]["harnesses"] == {"claude": V3}
    assert doc["docker"]["backend"] and doc["projects"][0]["run"]["security"][0] == "--cap-drop=ALL"

    p.write("src/app.txt", "changed\n")  # a copied file
    t = status_json(p, env)["projects"][0]["tiers"]["extension"]
    assert t["state"] == "stale" and t["reason"] == ".aishell/Dockerfile, its ignore file or a file it copies changed"
    built(p, env, V3)
    p.write(".aishell/Dockerfile", "FROM aishell:foundation\nCOPY src/ /opt/src/\nRUN true\n")  # the Dockerfile
    assert status_json(p, env)["projects"][0]["tiers"]["extension"]["state"] == "stale"
    built(p, env, V3)
    p.write(".aishell/config.yaml", f"build:\n  harnesses:\n    claude: {V2}\n")  # the harness spec
    t = status_json(p, env)["projects"][0]["tiers"]["harness volume"]
    assert t["state"] == "stale" and t["reason"] == f"the harness spec changed (claude={V3} -> claude={V2})"
    env_ca = dict(env, AISHELL_CA_CERTS=str(tmp_path))  # the foundation's inputs (no certificates)
    t = status_json(p, env_ca)["projects"][0]["tiers"]["foundation"]
    assert t["state"] == "stale" and "not built for the current template" in t["reason"]
    text = aishell("status", cwd=p, env=env).stdout
    assert "harness volume  stale" in text and "the harness spec changed" in text


def test_list_and_prune_across_two_projects_and_three_versions(tmp_path, env, docker_client):
    a = built(make_project(tmp_path, "a"), env, V1)
    old_volume = volume_for(docker_client, env, V1)
    old_ext = docker_client.images.get(status_json(a, env)["projects"][0]["tiers"]["extension"]["id"]).id
    a.write(".aishell/Dockerfile", "FROM aishell:foundation\nCOPY src/ /opt/src/\nRUN echo v2\n")
    built(a, env, V2)  # a new extension and a new volume: the old ones are referenced by nothing
    b = built(make_project(tmp_path, "b"), env, V3)

    rows = json.loads(aishell("volumes", "list", "--json", cwd=a, env=env).stdout)
    by_version = {r["harnesses"].get("claude"): r for r in rows}
    assert by_version[V2]["referenced_by"] == [str(a)] and by_version[V3]["referenced_by"] == [str(b)]
    assert by_version[V1]["referenced_by"] == []

    dry = aishell("prune", "--dry-run", cwd=a, env=env)
    assert dry.returncode == 0, dry.stderr
    assert f"would remove harness-volume {old_volume}" in dry.stdout and old_ext[:19] in dry.stdout
    assert exists_volume(docker_client, old_volume)  # the dry run changed nothing

    r = aishell("prune", "--yes", cwd=a, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert not exists_volume(docker_client, old_volume)
    for version in (V2, V3):
        assert exists_volume(docker_client, volume_for(docker_client, env, version))
    with pytest.raises(Exception):
        docker_client.images.get(old_ext)
    # Both projects still run what they built.
    for p in (a, b):
        assert aishell("exec", "--no-build", "--", "true", cwd=p, env=env).returncode == 0


def test_in_use_volumes_survive_running_or_stopped_and_foreign_items_are_untouched(tmp_path, env, docker_client):
    a = built(make_project(tmp_path, "a"), env, V1)
    v1 = volume_for(docker_client, env, V1)
    built(a, env, V2)  # V1's volume is now referenced by nothing
    ext = status_json(a, env)["projects"][0]["tiers"]["extension"]["id"]
    # A running aishell container that mounts the old volume, as `aishell claude` would.
    running = docker_client.containers.run(
        ext, ["sleep", "600"], entrypoint=[], detach=True, volumes={v1: {"bind": "/opt/harness", "mode": "ro"}}
    )
    # Foreign: a volume without labels, one with other labels, and an image built FROM the
    # foundation by someone else (it inherits the foundation's labels).
    tag = f"someone-else/app:{uuid.uuid4().hex[:8]}"
    foreign_vols = [
        docker_client.volumes.create(f"foreign-{uuid.uuid4().hex[:8]}"),
        docker_client.volumes.create(f"foreign-{uuid.uuid4().hex[:8]}", labels={"other": "1"}),
    ]
    ctx = tmp_path / "foreign"
    ctx.mkdir()
    (ctx / "Dockerfile").write_text("FROM aishell:foundation\nRUN echo mine > /mine\n")
    docker_client.images.build(path=str(ctx), tag=tag, rm=True)
    try:
        r = aishell("prune", "--yes", cwd=a, env=env)
        assert r.returncode == 0, r.stderr
        assert exists_volume(docker_client, v1)  # in use by a running container
        running.stop(timeout=1)
        r = aishell("prune", "--yes", cwd=a, env=env)
        assert exists_volume(docker_client, v1)  # still in use: by a stopped container
        for v in foreign_vols:
            assert exists_volume(docker_client, v.name)
        docker_client.images.get(tag)
        running.remove()
        r = aishell("prune", "--yes", cwd=a, env=env)
        assert not exists_volume(docker_client, v1)  # nothing uses it now
        docker_client.images.get(tag)
    finally:
        for c in (running,):
            try:
                c.remove(force=True)
            except Exception:
                pass
        for v in foreign_vols:
            v.remove(force=True)
        docker_client.images.remove(tag, force=True)


def test_prune_refuses_without_yes_and_on_a_corrupt_or_missing_state(tmp_path, env, docker_client):
    a = built(make_project(tmp_path, "a"), env, V1)
    built(a, env, V2)
    v1 = volume_for(docker_client, env, V1)
    r = aishell("prune", cwd=a, env=env)  # no terminal, no --yes
    assert r.returncode == 2 and "without --yes" in r.stdout and exists_volume(docker_client, v1)
    path = tmp_path / "state" / "aishell" / "state.json"
    path.write_text("{not json")
    r = aishell("prune", "--yes", cwd=a, env=env)
    assert r.returncode == 2 and "corrupt state" in r.stderr and r.stderr.count("\n") == 1
    assert exists_volume(docker_client, v1)
    path.unlink()
    r = aishell("prune", "--yes", cwd=a, env=env)
    assert r.returncode == 2 and "no state file" in r.stderr and exists_volume(docker_client, v1)
    # status still answers, and says the state is unreadable
    path.write_text("{not json")
    r = aishell("status", "--json", cwd=a, env=env)
    assert r.returncode == 0 and json.loads(r.stdout)["state_readable"] is False


def test_a_deleted_project_is_reported_and_freed_only_with_gone_projects(tmp_path, env, docker_client):
    gone = built(make_project(tmp_path, "gone"), env, V1)
    keep = built(make_project(tmp_path, "keep"), env, V2)
    v1 = volume_for(docker_client, env, V1)
    import shutil

    shutil.rmtree(gone)
    doc = status_json(keep, env, "--all")
    assert [p["exists"] for p in doc["projects"]] == [False, True] and doc["gone_projects"] == [str(gone)]
    r = aishell("prune", "--yes", cwd=keep, env=env)
    assert f"{gone}: folder gone" in r.stdout and exists_volume(docker_client, v1)
    r = aishell("prune", "--yes", "--gone-projects", cwd=keep, env=env)
    assert r.returncode == 0, r.stderr
    assert not exists_volume(docker_client, v1) and f"dropped the state of {gone}" in r.stdout
    state = json.loads((tmp_path / "state" / "aishell" / "state.json").read_text())
    assert list(state["projects"]) == [str(keep)]


def test_a_volume_a_concurrent_build_is_creating_is_never_pruned(tmp_path, env, docker_client):
    a = built(make_project(tmp_path, "a"), env, V3)
    (tmp_path / "other").mkdir()
    name = f"aishell-harness-test{uuid.uuid4().hex[:8]}"
    release = tmp_path / "release"
    # A "build" holding the build lock: it creates a labelled volume, waits, then records it.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"""
import os, time, docker
from aishell import state
c = docker.from_env()
with state.locked():
    c.volumes.create({name!r}, labels={{"aishell.component": "harness", "aishell.harnesses": "claude=0.0.1"}})
    open({str(tmp_path / "created")!r}, "w").close()
    while not os.path.exists({str(release)!r}):
        time.sleep(0.05)
    def change(d):
        d["projects"][{str(tmp_path / "other")!r}] = {{"harness": {{"volume": {name!r}}}}}
    state.update(change)
""",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        while not (tmp_path / "created").exists():
            assert holder.poll() is None, "the lock holder died"
            import time

            time.sleep(0.05)
        prune = subprocess.Popen(
            [*aishell_command(), "prune", "--yes"],
            cwd=a,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        release.touch()  # prune cannot have looked yet: it waits for the lock
        assert holder.wait(timeout=120) == 0
        out, err = prune.communicate(timeout=300)
        assert prune.returncode == 0, err
        assert exists_volume(docker_client, name)
    finally:
        holder.kill()
        try:
            docker_client.volumes.get(name).remove(force=True)
        except Exception:
            pass


def test_doctor_and_status_with_docker_down_are_one_line_exit_3(tmp_path, env):
    p = make_project(tmp_path, "a")
    for cmd in (("status",), ("doctor",), ("prune", "--dry-run"), ("volumes", "list")):
        r = aishell(*cmd, cwd=p, env=dict(env, DOCKER_HOST="tcp://127.0.0.1:9"))
        assert r.returncode == 3, (cmd, r.stdout, r.stderr)
        assert "cannot reach the Docker daemon" in (r.stdout + r.stderr)
        assert "Traceback" not in r.stderr


def test_doctor_reports_each_check(tmp_path, env, docker_client):
    p = built(make_project(tmp_path, "a"), env, V3)
    r = aishell("doctor", cwd=p, env=env)
    assert r.returncode in (0, 1), r.stderr
    lines = r.stdout.splitlines()
    assert any(line.startswith("ok    Docker Engine") or "end of life" in line for line in lines)
    assert any("build backend" in line for line in lines)
    assert any("base image debian:bookworm-slim present" in line for line in lines)
    assert any("npm registry" in line for line in lines)
    assert any("state file" in line for line in lines)
    assert all(
        line.split(" ")[0] in ("ok", "note", "FAIL", "")
        or line.startswith(("no problems", "1 problem"))
        or line[0].isdigit()
        for line in lines
        if line
    )


def test_prune_older_than_is_checked(tmp_path, env, docker_client):
    p = built(make_project(tmp_path, "a"), env, V3)
    r = aishell("prune", "--dry-run", "--older-than", "soon", cwd=p, env=env)
    assert r.returncode == 2 and "--older-than 'soon'" in r.stderr
    r = aishell("prune", "--dry-run", "--older-than", "52w", cwd=p, env=env)
    assert r.returncode == 0 and "nothing to prune" in r.stdout
