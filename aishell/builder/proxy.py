"""The egress proxy image: templates/egress (tinyproxy from Debian) plus the extra CA certificates.

Built the first time a run asks for ``--egress allowlist`` (or by ``aishell build`` when the
project's policy is ``allowlist``), from the same Debian base image as the foundation and with
the same CA handling (apt through a TLS-intercepting proxy). Tag ``aishell:egress-<hash>``;
the label ``aishell.egress.hash`` covers every input (template text, CA files, the base
image's id). Nothing project-specific is in the image: the allow list is copied into each
proxy container before it starts (``aishell.runner.egress``).
"""

from __future__ import annotations

import shutil

from aishell import labels as L
from aishell.builder.plan import Plan, ca_files, digest, template


def inputs(plan: Plan, client) -> tuple[str, dict[str, bytes], dict[str, str]]:
    """(hash, context files, build args) of the proxy image."""
    from aishell.builder.foundation import _image_id

    files = {"Dockerfile": template("egress/Dockerfile"), "ca-certificates/.keep": b""}
    for name, data in ca_files(plan.ca_certs):
        files[f"ca-certificates/{name}"] = data
    args = {"DEBIAN_IMAGE": plan.debian}
    h = digest(
        *(f"{k}\0".encode() + v for k, v in sorted(files.items())),
        *(f"{k}={v}" for k, v in sorted(args.items())),
        _image_id(client, plan.debian),
    )
    args["EGRESS_HASH"] = h
    return h, files, args


def find(client, h: str):
    """The proxy image with hash ``h`` (current), by its own tag and label, or None (stale or missing)."""
    from aishell.builder.fresh import find_image

    image = find_image(client, L.egress_tag(h))
    if image is None:
        return None
    return image if (image.labels or {}).get(L.EGRESS_HASH) == h else None


def freshness(plan: Plan, client) -> dict:
    """The proxy image's tier entry for ``aishell status``: current, or stale and why."""
    h, _, _ = inputs(plan, client)
    image = find(client, h)
    if image is not None:
        return {
            "state": "current",
            "reason": "",
            "name": L.egress_tag(h),
            "id": image.id,
            "hash": h,
            "created": str(image.attrs.get("Created") or ""),
        }
    try:
        older = client.images.list(filters={"label": f"{L.COMPONENT}={L.COMPONENT_EGRESS}"})
    except Exception:
        older = []
    reason = "its inputs changed (template, CA certificates or base image)" if older else "not built"
    return {"state": "stale", "reason": reason, "name": L.egress_tag(h), "id": None, "hash": h, "created": None}


def ensure(plan: Plan, client, backend_factory, on_step):
    """(image, hash, "built" | "reused")."""
    from aishell.builder.backends import write_context
    from aishell.trust import owner_label

    h, files, args = inputs(plan, client)
    image = None if plan.force else find(client, h)
    if image is not None:
        return image, h, "reused"
    ctx = write_context(files)
    try:
        result = backend_factory().build(
            ctx, "Dockerfile", [L.egress_tag(h)], args, {L.OWNER: owner_label()}, None, on_step
        )
    finally:
        shutil.rmtree(ctx, ignore_errors=True)
    image = client.images.get(result.image_id)
    record(h, image.id)
    return image, h, "built"


def record(h: str, image_id: str) -> None:
    """The current proxy image in the state (``egress``): ``aishell prune`` keeps it, and removes
    older ones that no container uses."""
    from aishell import state

    state.update(lambda data: data.__setitem__("egress", {"hash": h, "image_id": image_id}))
