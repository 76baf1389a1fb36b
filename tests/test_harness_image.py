"""The harness tier as an image (engines with image mounts, Engine 28+) against the real engine.

Where the engine mounts images (``volume.image_mounts``), a build makes ``aishell:harness-<hash>``
(only /opt/harness's content) and no volume; a run mounts it read-only at /opt/harness; an update
makes a new image and leaves the extension alone; status, ``volumes list`` and prune speak of it
and reclaim it as an image. Everywhere else the same build makes the volume and no harness image.
`.ci/run` runs this file on Engine 28 (image) and 20.10/26 (volume).
"""

import json
import os

import pytest

from aishell import labels as L
from tests.conftest import Project, remove_harness, run_cli

V1, V2 = "2.1.300", "2.1.301"


@pytest.fixture
def proj(tmp_path, env, docker_client):
    p = Project(tmp_path / "project")
    p.write(".aishell/Dockerfile", "FROM aishell:foundation\nRUN echo ext > /ext.txt\n")
    env = dict(env)
    env.pop("AISHELL_HARNESS_LAYOUT")  # the engine's default layout
    yield p, env
    owner = L.owner(os.getuid(), os.path.join(env["XDG_STATE_HOME"], "aishell"))
    for img in docker_client.images.list(
        filters={"label": [f"{L.COMPONENT}={L.COMPONENT_HARNESS}", f"{L.OWNER}={owner}"]}
    ):
        for tag in img.tags:
            remove_harness(docker_client, tag)
    for vol in docker_client.volumes.list(filters={"label": f"{L.OWNER}={owner}"}):
        remove_harness(docker_client, vol.name)
    from aishell.builder.plan import Plan

    try:
        docker_client.images.remove(Plan(str(p), {}, None, "", "").extension_tag, force=True)
    except Exception:
        pass


def harness(env, p) -> dict:
    with open(os.path.join(env["XDG_STATE_HOME"], "aishell", "state.json")) as f:
        return json.load(f)["projects"][os.path.realpath(p)]["harness"]


def ext_id(docker_client, p) -> str:
    from aishell.builder.plan import Plan

    return docker_client.images.get(Plan(str(p), {}, None, "", "").extension_tag).id


def test_harness_layout_follows_the_engine(proj, docker_client):
    from aishell.builder.volume import image_mounts

    p, env = proj
    r = run_cli("build", f"--with-claude={V1}", "--quiet", cwd=p, env=env)
    assert r.returncode == 0, r.stderr
    first = harness(env, p)
    owner = L.owner(os.getuid(), os.path.join(env["XDG_STATE_HOME"], "aishell"))
    volumes = docker_client.volumes.list(filters={"label": f"{L.OWNER}={owner}"})
    supported = image_mounts(docker_client, "aishell:foundation")
    api = tuple(int(x) for x in docker_client.version()["ApiVersion"].split(".")[:2])
    assert supported or api < (1, 48), "an engine with API 1.48+ (Engine 28) must mount images"
    if not supported:
        # No image mounts (Engine 20.10, 26): the volume, as before, and no harness image.
        assert first.get("kind", "volume") == "volume" and [v.name for v in volumes] == [first["volume"]]
        assert not docker_client.images.list(
            filters={"label": [f"{L.COMPONENT}={L.COMPONENT_HARNESS}", f"{L.OWNER}={owner}"]}
        )
        return

    # A build makes the harness image, labelled, owned, and no volume.
    tag1 = first["volume"]
    assert first["kind"] == "image" and tag1.startswith("aishell:harness-") and volumes == []
    labels = docker_client.images.get(tag1).labels
    assert labels[L.COMPONENT] == L.COMPONENT_HARNESS and labels[L.OWNER] == owner
    assert labels[L.HARNESSES] == f"claude={V1}"
    ext1 = ext_id(docker_client, p)

    # A run mounts it read-only at /opt/harness; the entrypoint's harness check passes.
    dry = run_cli("claude", "--dry-run", "--version", cwd=p, env=env)
    assert dry.returncode == 0, dry.stderr
    assert f"type=image,source={tag1},target=/opt/harness,readonly" in dry.stdout
    r = run_cli("claude", "--no-build", "--version", cwd=p, env=env)
    assert r.returncode == 0 and f"{V1} (Claude Code)" in r.stdout, r.stderr
    r = run_cli(
        "exec",
        "--no-build",
        "--",
        "sh",
        "-c",
        "ls /opt/harness/bin; touch /opt/harness/x || echo read-only",
        cwd=p,
        env=env,
    )
    assert r.returncode == 0 and "claude" in r.stdout and "read-only" in r.stdout, r.stderr

    # An update makes a new image and leaves the extension alone; status says current.
    r = run_cli("build", f"--with-claude={V2}", cwd=p, env=env)
    assert r.returncode == 0, r.stderr
    tag2 = harness(env, p)["volume"]
    assert tag2 != tag1 and tag2.startswith("aishell:harness-") and ext_id(docker_client, p) == ext1
    assert docker_client.volumes.list(filters={"label": f"{L.OWNER}={owner}"}) == []
    doc = json.loads(run_cli("status", "--json", cwd=p, env=env).stdout)
    tier = doc["projects"][0]["tiers"]["harness volume"]
    assert tier["state"] == "current" and tier["name"] == tag2

    # volumes list shows both images; prune reclaims the unreferenced one as an image.
    rows = {v["name"]: v for v in json.loads(run_cli("volumes", "list", "--json", cwd=p, env=env).stdout)}
    assert rows[tag1]["kind"] == rows[tag2]["kind"] == "harness-image"
    assert rows[tag1]["referenced_by"] == [] and rows[tag2]["referenced_by"] == [os.path.realpath(p)]
    assert rows[tag2]["harnesses"] == {"claude": V2}
    dry = run_cli("prune", "--dry-run", cwd=p, env=env)
    assert f"harness-image {tag1}" in dry.stdout and tag2 not in dry.stdout, dry.stdout
    r = run_cli("prune", "--yes", cwd=p, env=env)
    assert r.returncode == 0, r.stderr
    with pytest.raises(Exception):
        docker_client.images.get(tag1)
    r = run_cli("claude", "--no-build", "--version", cwd=p, env=env)
    assert r.returncode == 0 and f"{V2} (Claude Code)" in r.stdout, r.stderr


def test_a_registry_holds_the_one_harness_image(proj, tmp_path, docker_client):
    """Engine 28: the build pushes the harness image itself (no carrier); a teammate (another
    state folder) pulls it, owns its local copy, and runs from it."""
    from aishell.builder.volume import IMAGE_TIER, image_mounts

    p, env = proj
    if not image_mounts(docker_client, "aishell:foundation"):
        pytest.skip("this engine has no image mounts: the volume's registry path is tests/test_registry.py's")
    import uuid

    from tests.test_registry import OPEN, _answers

    if not _answers(OPEN):
        pytest.fail(f"no registry answers on {OPEN}: scripts/docker-setup starts it")
    registry = f"{OPEN}/t{uuid.uuid4().hex[:10]}/aishell"
    r = run_cli(
        "build", "--registry", registry, "--push", f"--with-claude={V1}", "--quiet", cwd=p, env=env, timeout=900
    )
    assert r.returncode == 0, r.stderr
    h = harness(env, p)["hash"]
    from aishell.builder.registry import Registry

    assert Registry(registry).has(docker_client, IMAGE_TIER, h) is True
    assert Registry(registry).has(docker_client, "harness", h) is False  # no carrier
    doc = json.loads(run_cli("status", "--json", cwd=p, env=dict(env, AISHELL_REGISTRY=registry)).stdout)
    assert doc["projects"][0]["tiers"]["harness volume"]["in_registry"] is True

    mate = dict(env, XDG_STATE_HOME=str(tmp_path / "state-mate"))
    r = run_cli("build", "--registry", registry, f"--with-claude={V1}", cwd=p, env=mate, timeout=900)
    try:
        assert r.returncode == 0, r.stderr
        got = harness(mate, p)
        owner = L.owner(os.getuid(), os.path.join(mate["XDG_STATE_HOME"], "aishell"))
        assert got["kind"] == "image" and got["volume"] == L.harness_image_tag(h, registry, owner)
        assert docker_client.images.get(got["volume"]).labels[L.OWNER] == owner
        r = run_cli("claude", "--no-build", "--version", cwd=p, env=mate)
        assert r.returncode == 0 and f"{V1} (Claude Code)" in r.stdout, r.stderr
    finally:
        for img in docker_client.images.list(
            filters={"label": f"{L.OWNER}={L.owner(os.getuid(), os.path.join(mate['XDG_STATE_HOME'], 'aishell'))}"}
        ):
            for tag in img.tags:
                remove_harness(docker_client, tag)


# -- no engine: the names, the mount and the inventory's kinds for every harness hash ----------

from hypothesis import given, strategies as st  # noqa: E402

HASHES = st.text("0123456789abcdef", min_size=64, max_size=64)
OWNERS = st.one_of(st.none(), st.from_regex(r"\A[0-9]{1,6}-[0-9a-f]{12}\Z"))
REGISTRIES = st.one_of(st.none(), st.sampled_from(["127.0.0.1:5959/t/aishell", "reg.example:443/team/aishell/"]))


@given(HASHES, REGISTRIES, OWNERS)
def test_every_harness_name_says_its_layout(h, registry, owner):
    import re

    image, volume = L.harness_image_tag(h, registry, owner), L.volume_name(h, registry, owner)
    assert L.is_harness_image(image) and not L.is_harness_image(volume)
    repo, _, tag = image.partition(":")
    assert repo == L.REPO and re.fullmatch(r"[\w][\w.-]{0,127}", tag)  # a valid Docker tag
    assert re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9_.-]+", volume)  # a valid volume name: no ':'
    assert image.startswith(L.harness_image_tag(h)) and volume.startswith(
        L.volume_name(h)
    )  # fresh.inspect's prefix test


@given(HASHES, OWNERS)
def test_the_run_mounts_the_layout_the_state_names(h, owner):
    from aishell.runner.spec import Host, Options, build_spec

    host = Host(uid=1234, gid=2345, home="/home/dev", cwd="/work/p", environ={}, git_identity={})
    for name, kind, arg in (
        (L.harness_image_tag(h, owner=owner), "image", "type=image,source={},target=/opt/harness,readonly"),
        (L.volume_name(h, owner=owner), "volume", "type=volume,source={},target=/opt/harness,readonly,volume-nocopy"),
    ):
        spec = build_spec(
            host,
            "/work/p",
            "sha256:abc",
            name,
            {"claude": V1},
            Options("claude", "claude", [], {}),
            "/state",
            False,
            False,
            False,
        )
        mounts = [m for m in spec.mounts if m.target == "/opt/harness"]
        assert [m.kind for m in mounts] == [kind] and mounts[0].readonly
        assert mounts[0].arg() == arg.format(name)


def test_inventory_kinds_of_harness_images():
    from aishell.footprint.inventory import _kind

    h = "ab" * 32
    labels = {L.COMPONENT: L.COMPONENT_HARNESS, L.HARNESS_HASH: h}
    assert _kind(labels, [L.harness_image_tag(h, owner="1-abc")]) == "harness-image"
    assert _kind(labels, ["someone/else:1"]) is None  # the label alone is not ours
    assert _kind({L.COMPONENT: L.COMPONENT_CARRIER}, [L.carrier_tag(h)]) == "carrier"
