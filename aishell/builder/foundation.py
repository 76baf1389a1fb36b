"""The foundation image: templates/foundation plus the extra CA certificates.

Tags ``aishell:foundation`` and ``aishell:foundation-<hash>``; the label
``aishell.foundation.hash`` covers every input (template text, entrypoint, CA
files, build args, base image ids). An image with that label is reused, with
no build.
"""

from __future__ import annotations

import re
import shutil

from aishell import labels
from aishell.builder.plan import Plan, ca_files, digest, template


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


def ensure(plan: Plan, client, backend_factory, on_step, registry=None):
    """(image, hash, "built" | "reused" | "pulled", BuildResult or None)."""
    from aishell.builder import fresh
    from aishell.builder.backends import write_context

    h, files, args = inputs(plan, client)
    tags = [labels.foundation_tag(h), labels.FOUNDATION]
    image = None if plan.force else fresh.find_foundation(client, h, registry.ref if registry is not None else None)
    if image is not None:
        local = labels.foundation_tag(h) in image.tags  # else pulled: it keeps its registry-scoped tag only
        _retag(client, image, tags if local else [labels.FOUNDATION])
        if registry is not None:
            registry.share(client, image.id, "foundation", h)
        return image, h, "reused", None
    if registry is not None and not plan.force:
        image = registry.pull(client, "foundation", h, {labels.FOUNDATION_HASH: h})
        if image is not None:
            # Never the shared foundation: only projects naming this registry find it.
            _retag(client, image, [labels.foundation_tag(h, registry.ref), labels.FOUNDATION])
            return image, h, "pulled", None
    ctx = write_context(files)
    try:
        from aishell.trust import owner_label

        result = backend_factory().build(ctx, "Dockerfile", tags, args, {labels.OWNER: owner_label()}, None, on_step)
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
