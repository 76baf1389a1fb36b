"""The foundation image: templates/foundation plus the extra CA certificates.

Tags ``aishell:foundation`` and ``aishell:foundation-<hash>``; the label
``aishell.foundation.hash`` covers every input (template text, entrypoint, CA
files, build args, base image ids). An image with that label is reused, with
no build.
"""

from __future__ import annotations

import re
import shutil

from aishell.builder.plan import REPO, Plan, ca_files, digest, template


def _image_id(client, ref: str) -> str:
    try:
        return client.images.get(ref).id
    except Exception:
        return f"unresolved:{ref}"  # the builder will pull it; the reference itself is hashed


def node_major(client, ref: str) -> str:
    try:
        env = client.images.get(ref).attrs["Config"].get("Env") or []
        version = next((e.split("=", 1)[1] for e in env if e.startswith("NODE_VERSION=")), "")
        if version:
            return version.lstrip("v").split(".")[0]
    except Exception:
        pass
    m = re.search(r":(\d+)", ref)
    return m.group(1) if m else "unknown"


def inputs(plan: Plan, client) -> tuple[str, dict[str, bytes], dict[str, str]]:
    """(hash, context files, build args) of the foundation."""
    files = {
        "Dockerfile": template("foundation/Dockerfile"),
        "entrypoint.sh": template("foundation/entrypoint.sh"),
        "ca-certificates/.keep": b"",
    }
    for name, data in ca_files(plan.ca_certs):
        files[f"ca-certificates/{name}"] = data
    args = {"DEBIAN_IMAGE": plan.debian, "NODE_IMAGE": plan.node, "NODE_MAJOR": node_major(client, plan.node)}
    h = digest(
        *(f"{k}\0".encode() + v for k, v in sorted(files.items())),
        *(f"{k}={v}" for k, v in sorted(args.items())),
        _image_id(client, plan.debian),
        _image_id(client, plan.node),
    )
    args["FOUNDATION_HASH"] = h
    return h, files, args


def find(client, h: str, registry_ref: str | None = None):
    """The foundation with hash ``h``, by its own tag: built here, else (for a project whose
    trusted config names a registry) pulled from that registry, under its scoped tag.

    Not by label alone: every image built FROM the foundation inherits its labels.
    """
    from aishell.builder.registry import scope

    for tag in dict.fromkeys((f"{REPO}:foundation-{h[:12]}", f"{REPO}:foundation-{h[:12]}{scope(registry_ref)}")):
        try:
            image = client.images.get(tag)
        except Exception:
            continue
        if (image.labels or {}).get("aishell.foundation.hash") == h:
            return image
    return None


def ensure(plan: Plan, client, backend_factory, on_step, registry=None):
    """(image, hash, "built" | "reused" | "pulled", BuildResult or None)."""
    from aishell.builder.backends import write_context

    h, files, args = inputs(plan, client)
    tags = [f"{REPO}:foundation-{h[:12]}", f"{REPO}:foundation"]
    image = None if plan.force else find(client, h, registry.ref if registry is not None else None)
    if image is not None:
        local = f"{REPO}:foundation-{h[:12]}" in image.tags  # else pulled: it keeps its scoped tag only
        _retag(client, image, tags if local else [f"{REPO}:foundation"])
        if registry is not None:
            registry.share(client, image.id, "foundation", h)
        return image, h, "reused", None
    if registry is not None and not plan.force:
        image = registry.pull(client, "foundation", h, {"aishell.foundation.hash": h})
        if image is not None:
            # Never the shared foundation: only projects naming this registry find it.
            from aishell.builder.registry import scope

            _retag(client, image, [f"{REPO}:foundation-{h[:12]}{scope(registry.ref)}", f"{REPO}:foundation"])
            return image, h, "pulled", None
    ctx = write_context(files)
    try:
        result = backend_factory().build(ctx, "Dockerfile", tags, args, {}, None, on_step)
    finally:
        shutil.rmtree(ctx, ignore_errors=True)
    if registry is not None:
        registry.push(client, result.image_id, "foundation", h)
    return client.images.get(result.image_id), h, "built", result


def _retag(client, image, tags: list[str]) -> None:
    for t in tags:
        if t not in image.tags:
            repo, _, tag = t.rpartition(":")
            image.tag(repo, tag)
