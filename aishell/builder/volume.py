"""The harness volume: npm harnesses in a content-addressed named volume.

Name ``aishell-harness-<hash>``; the hash covers the sorted ``harness=exact
version`` pairs, the install recipe (templates/harness/Dockerfile) and the
foundation's Node major version. Versions are resolved to exact ones through
the npm registry (``npm view`` inside the foundation, which trusts the extra
CA certificates), so a name always means one content; the resolution is kept
in the state and redone by ``--update`` or a changed spec.

Population: build a carrier image FROM the foundation with
NPM_CONFIG_PREFIX=/opt/harness, create the volume with its labels, seed it by
creating (not starting) a container that mounts it at /opt/harness, then
remove the container and the carrier image. On any failure, or Ctrl-C, the
half-made volume is removed.

On an engine that mounts images (Engine 28+, ``image_mounts``) the harness is an image
instead, ``aishell:harness-<hash>``: the same recipe plus a ``FROM scratch`` stage holding only
/opt/harness's content, mounted read-only by the run (``_ensure_image``; docs/engines.md).
"""

from __future__ import annotations

import json
import re
import shutil

from aishell import labels as L
from aishell.builder.plan import digest, template
from aishell.harness import BY_NAME

EXACT = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


# Engine 28 (API 1.48) mounts an image read-only into a container: --mount type=image. The harness
# as such an image wins over the volume on Engine 28 (docs/benchmarks.md); this is the feature check.
IMAGE_MOUNT_API = (1, 48)


class ResolveError(Exception):
    pass


def _api(version: str) -> tuple[int, int]:
    try:
        major, minor = version.split(".")[:2]
        return int(major), int(minor)
    except ValueError:
        return (0, 0)


def image_mounts(client, image: str) -> bool:
    """Does this engine mount ``image`` read-only at /opt/harness (``--mount type=image``)?

    The API version (the server's and the one this client speaks) must be 1.48 or later; then a
    short container proves it: the image's files are there and cannot be written."""
    if min(_api(client.version().get("ApiVersion", "")), _api(str(client.api.api_version))) < IMAGE_MOUNT_API:
        return False
    mount = {"Type": "image", "Source": image, "Target": "/opt/harness", "ReadOnly": True}
    try:
        out = client.containers.run(
            image,
            ["sh", "-c", "test -d /opt/harness/etc && ! touch /opt/harness/.w 2>/dev/null && echo ok"],
            entrypoint=[],
            mounts=[mount],
            network_mode="none",
            remove=True,
        )
    except Exception:
        return False
    return out.strip() == b"ok"


def resolve(client, foundation_ref: str, specs: dict[str, str], known: dict, update: bool) -> dict[str, str]:
    """name -> exact version. ``known`` maps name -> {"spec", "version"} from the state."""
    out = {}
    for name, spec in sorted(specs.items()):
        prev = known.get(name) or {}
        if EXACT.match(spec):
            out[name] = spec
        elif not update and prev.get("spec") == spec and prev.get("version"):
            out[name] = prev["version"]
        else:
            out[name] = _npm_view(client, foundation_ref, BY_NAME[name].npm_package, spec)
    return out


def _npm_view(client, image: str, package: str, spec: str) -> str:
    try:
        raw = client.containers.run(
            image,
            ["view", f"{package}@{spec}", "version", "--json"],
            entrypoint=["npm"],
            environment={"NPM_CONFIG_UPDATE_NOTIFIER": "false"},
            remove=True,
            stdout=True,
            stderr=False,  # npm's notices go to stderr; stdout is the JSON answer alone
        )
    except Exception as e:
        text = getattr(e, "stderr", None) or str(e)
        if isinstance(text, bytes):
            text = text.decode(errors="replace")
        raise ResolveError(
            f"cannot resolve {package}@{spec} on the npm registry: {text.strip().splitlines()[-1][:200]}"
        ) from None
    try:
        value = json.loads(raw.decode(errors="replace"))
    except ValueError:
        value = None
    if isinstance(value, list):
        value = value[-1] if value else None
    if not isinstance(value, str) or not EXACT.match(value):
        raise ResolveError(f"no version of {package} matches {spec!r}")
    return value


def volume_hash(versions: dict[str, str], node_major: str) -> str:
    pairs = ",".join(f"{n}={v}" for n, v in sorted(versions.items()))
    return digest(pairs, template("harness/Dockerfile"), f"node{node_major}")


def ensure(
    client,
    foundation,
    foundation_ref: str,
    versions: dict[str, str],
    backend_factory,
    on_step,
    force=False,
    registry=None,
):
    """(volume name, hash, "built" | "reused" | "pulled", BuildResult or None); on an engine
    that mounts images, the harness image's tag instead of a volume name (``_ensure_image``).

    With a registry, the carrier image is pulled by hash (no npm at all) when it is there,
    and pushed after a build when pushing is on."""
    from aishell.builder import fresh
    from aishell.trust import owner_label

    owner = owner_label()
    h = volume_hash(versions, fresh.node_major(foundation))
    if _wants_image(client, foundation_ref, h, owner, registry):
        return _ensure_image(client, h, foundation_ref, versions, backend_factory, on_step, force, registry, owner)
    name = L.volume_name(h, owner=owner)  # this user's own: another user's prune cannot take it
    existing = fresh.find_volume(client, name)
    if existing is None and registry is not None:
        # What was pulled from a registry is used only by projects naming that registry.
        name = L.volume_name(h, registry.ref, owner)
        existing = fresh.find_volume(client, name)
    if existing is not None and not force:
        if registry is not None and registry.wants(client, "harness", h):
            _push_carrier(client, h, foundation_ref, versions, backend_factory, on_step, registry)
        return name, h, "reused", None
    if existing is not None:
        existing.remove(force=True)
    volume = container = None
    result = None
    pulled = registry.pull(client, "harness", h, {L.HARNESS_HASH: h}) if registry is not None and not force else None
    try:
        if pulled is not None:
            carrier_id = pulled.id
            name = L.volume_name(h, registry.ref, owner)
        else:
            name = L.volume_name(h, owner=owner)
            result = _build_carrier(h, foundation_ref, versions, backend_factory, on_step)
            carrier_id = result.image_id
        volume = client.volumes.create(
            name,
            labels={
                L.COMPONENT: L.COMPONENT_HARNESS,
                L.OWNER: owner,
                L.HARNESS_HASH: h,
                L.HARNESSES: L.harnesses_value(versions),
            },
        )
        # Creating (not starting) a container copies the image's /opt/harness into the empty volume.
        container = client.containers.create(
            carrier_id, ["true"], volumes={name: {"bind": "/opt/harness", "mode": "rw"}}
        )
        container.remove()
        container = None
        if result is not None and registry is not None:
            registry.push(client, carrier_id, "harness", h)
    except BaseException:
        if container is not None:
            _quietly(container.remove, force=True)
        if volume is not None:
            _quietly(volume.remove, force=True)
        raise
    finally:
        _drop_carrier(client, h, registry)
    return name, h, ("pulled" if pulled is not None else "built"), result


# The harness as an image (engines with image mounts, docs/engines.md): the same recipe plus a last
# stage holding only /opt/harness's content, mounted read-only at /opt/harness by the run. No
# carrier, no copy into a volume; a registry holds this one image (tier "harness-image").
IMAGE_STAGE = "\n# aishell: the harness image holds only /opt/harness\nFROM scratch\nCOPY --from=0 /opt/harness /\n"
IMAGE_TIER = "harness-image"


def _wants_image(client, foundation_ref: str, h: str, owner: str, registry) -> bool:
    """The image layout when this engine mounts images: proven by a short container, unless
    this engine already holds the harness image (made here, so proven then)."""
    import os

    from aishell.builder import fresh

    if os.environ.get("AISHELL_HARNESS_LAYOUT") == "volume":  # the volume on every engine (docs/engines.md)
        return False
    if min(_api(client.version().get("ApiVersion", "")), _api(str(client.api.api_version))) < IMAGE_MOUNT_API:
        return False
    names = [L.harness_image_tag(h, owner=owner)] + ([L.harness_image_tag(h, registry.ref, owner)] if registry else [])
    return any(fresh.find_image(client, n) is not None for n in names) or image_mounts(client, foundation_ref)


def _ensure_image(client, h, foundation_ref, versions, backend_factory, on_step, force, registry, owner):
    """``ensure`` for the image layout: (image tag, hash, how, BuildResult or None)."""
    from aishell.builder import fresh

    labels = {
        L.COMPONENT: L.COMPONENT_HARNESS,
        L.OWNER: owner,
        L.HARNESS_HASH: h,
        L.HARNESSES: L.harnesses_value(versions),
    }
    local = L.harness_image_tag(h, owner=owner)
    for name in [local] + ([L.harness_image_tag(h, registry.ref, owner)] if registry is not None else []):
        image = fresh.find_image(client, name)
        if image is not None and (image.labels or {}).get(L.HARNESS_HASH) == h and not force:
            if registry is not None and registry.wants(client, IMAGE_TIER, h):
                registry.push(client, image.id, IMAGE_TIER, h)
                _quietly(client.images.remove, "%s:%s" % registry.reference(IMAGE_TIER, h))  # only the local tag stays
            return name, h, "reused", None
    if registry is not None and not force:
        pulled = registry.pull(client, IMAGE_TIER, h, {L.HARNESS_HASH: h})
        if pulled is not None:
            # Owned here: a one-line build FROM the pulled image sets this user's labels (no new layer).
            name = L.harness_image_tag(h, registry.ref, owner)
            repo, tag = registry.reference(IMAGE_TIER, h)
            ctx = write_ctx(f"FROM {repo}:{tag}\n")
            try:
                backend_factory().build(ctx, "Dockerfile", [name], {}, labels, None, on_step)
            finally:
                shutil.rmtree(ctx, ignore_errors=True)
                _quietly(client.images.remove, f"{repo}:{tag}")
            return name, h, "pulled", None
    packages = " ".join(f"{BY_NAME[n].npm_package}@{v}" for n, v in sorted(versions.items()))
    ctx = write_ctx(template("harness/Dockerfile") + IMAGE_STAGE.encode())
    try:
        result = backend_factory().build(
            ctx, "Dockerfile", [local], {"FOUNDATION": foundation_ref, "PACKAGES": packages}, labels, None, on_step
        )
    finally:
        shutil.rmtree(ctx, ignore_errors=True)
    if registry is not None:
        registry.push(client, result.image_id, IMAGE_TIER, h)
        _quietly(client.images.remove, "%s:%s" % registry.reference(IMAGE_TIER, h))
    return local, h, "built", result


def write_ctx(dockerfile) -> str:
    from aishell.builder.backends import write_context

    return write_context({"Dockerfile": dockerfile.encode() if isinstance(dockerfile, str) else dockerfile})


def _build_carrier(h: str, foundation_ref: str, versions: dict[str, str], backend_factory, on_step):
    """Build the carrier image (templates/harness FROM the foundation, npm install); its context
    is removed again."""
    from aishell.builder.backends import write_context
    from aishell.trust import owner_label

    packages = " ".join(f"{BY_NAME[n].npm_package}@{v}" for n, v in sorted(versions.items()))
    ctx = write_context({"Dockerfile": template("harness/Dockerfile")})
    try:
        return backend_factory().build(
            ctx,
            "Dockerfile",
            [L.carrier_tag(h)],
            {"FOUNDATION": foundation_ref, "PACKAGES": packages},
            {L.COMPONENT: L.COMPONENT_CARRIER, L.HARNESS_HASH: h, L.OWNER: owner_label()},
            None,
            on_step,
        )
    finally:
        shutil.rmtree(ctx, ignore_errors=True)


def _drop_carrier(client, h: str, registry) -> None:
    """The carrier is only a carrier: no local copy is kept, under either tag."""
    _quietly(client.images.remove, L.carrier_tag(h), force=True)
    if registry is not None:
        _quietly(client.images.remove, f"{registry.ref}/harness:{h}", force=True)


def _push_carrier(client, h, foundation_ref, versions, backend_factory, on_step, registry) -> None:
    """The volume exists here but its carrier is not in the registry: build the carrier again
    (BuildKit's cache usually has it) and push it. The volume is untouched."""
    try:
        registry.push(
            client, _build_carrier(h, foundation_ref, versions, backend_factory, on_step).image_id, "harness", h
        )
    finally:
        _drop_carrier(client, h, registry)


def _quietly(fn, *args, **kwargs) -> None:
    try:
        fn(*args, **kwargs)
    except Exception:
        pass
