"""What aishell made, found on the engine by its labels, with what uses it and what references it.

Discovery is by ``aishell.*`` labels only, never by name patterns. An image built by
someone else FROM an aishell image inherits its labels; it is told apart by its layers
(they extend those of the aishell image with the same labels) and never counted as ours.
The state file only says which items are referenced; a container (running or stopped)
that uses an image or mounts a volume makes it "in use".
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from aishell import labels as L
from aishell import state as S


# The harness tier's two layouts (docs/engines.md): a volume, or an image on engines with image mounts.
HARNESS_KINDS = ("harness-volume", "harness-image")


class Item:
    def __init__(self, kind: str, ident: str, name: str, created: str, size: int | None, labels: dict):
        self.kind = kind
        self.id = ident  # image id, or volume name
        self.name = name  # a tag, or the volume name
        self.created = created  # ISO 8601, UTC
        self.size = size  # bytes, None when the engine does not say
        self.labels = labels
        self.project = labels.get(L.PROJECT_DIR)
        self.referenced_by: list[str] = []  # projects whose state names it
        self.used_by: list[str] = []  # containers (any state) that use it
        self.owner = labels.get(L.OWNER)  # None: made before owner labels, or by someone else
        self.mine = False  # set by collect: the owner label is this user's (and state folder's)

    @property
    def harnesses(self) -> dict[str, str]:
        return L.parse_harnesses(self.labels.get(L.HARNESSES))

    def age_seconds(self, now: datetime | None = None) -> float:
        now = now or datetime.now(timezone.utc)
        try:
            return (now - datetime.fromisoformat(self.created.replace("Z", "+00:00"))).total_seconds()
        except ValueError:
            return 0.0

    def to_json(self) -> dict:
        out = {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "created": self.created,
            "size": self.size,
            "referenced_by": self.referenced_by,
            "used_by": self.used_by,
            "owner": self.owner,
            "mine": self.mine,
        }
        if self.kind in HARNESS_KINDS:
            out["harnesses"] = self.harnesses
        if self.project:
            out["project"] = self.project
        return out


class Inventory:
    def __init__(self) -> None:
        self.items: list[Item] = []
        self.gone_projects: list[str] = []  # projects in the state whose folder no longer exists
        self.missing: list[tuple[str, str]] = []  # (project or "foundation", what) the state names but the engine lacks

    def by_kind(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind]

    def find(self, ident: str) -> Item | None:
        return next((i for i in self.items if i.id == ident), None)


def _iso(value) -> str:
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, timezone.utc).isoformat().replace("+00:00", "Z")
    return str(value or "")


def _ours(images: list) -> list:
    """Drop images that only inherited aishell's labels: built FROM an aishell image by others."""
    layers = {img.id: tuple((img.attrs.get("RootFS") or {}).get("Layers") or ()) for img in images}
    out = []
    for img in images:
        mine = layers[img.id]
        derived = any(
            other.id != img.id
            and other.labels == img.labels
            and len(layers[other.id]) < len(mine)
            and mine[: len(layers[other.id])] == layers[other.id]
            for other in images
        )
        if not derived:
            out.append(img)
    return out


def _kind(labels: dict, tags: list[str]) -> str | None:
    component = labels.get(L.COMPONENT)
    if component == L.COMPONENT_EXTENSION and labels.get(L.EXTENSION_HASH):
        return "extension"
    if component == L.COMPONENT_CARRIER:
        return "carrier"
    if component == L.COMPONENT_EGRESS:
        h = labels.get(L.EGRESS_HASH, "")
        if h and any(t == L.egress_tag(h) for t in tags):
            return "egress-proxy"
    if component == L.COMPONENT_HARNESS and any(
        L.is_harness_image(t) and t.startswith(f"{L.REPO}:harness-") for t in tags
    ):
        return "harness-image"
    if component == L.COMPONENT_FOUNDATION:
        h = labels.get(L.FOUNDATION_HASH, "")
        # A foundation carries its own hash tag; an image that merely inherited the label does not.
        if h and any(t == L.foundation_tag(h) or t.startswith(L.foundation_tag(h) + "-r") for t in tags):
            return "foundation"
    return None


def collect(client, state: dict, volume_sizes: bool = True) -> Inventory:
    inv = Inventory()
    images = _ours(client.images.list(all=False, filters={"label": L.COMPONENT}))
    for img in images:
        kind = _kind(img.labels or {}, img.tags)
        if kind is None:
            continue
        name = img.tags[0] if img.tags else "<untagged>"
        if kind == "harness-image":  # the state and the runs' mounts name it by its tag
            name = next(t for t in img.tags if t.startswith(f"{L.REPO}:harness-"))
        inv.items.append(
            Item(
                kind,
                name if kind == "harness-image" else img.id,
                name,
                _iso(img.attrs.get("Created")),
                img.attrs.get("Size"),
                img.labels or {},
            )
        )
    sizes: dict[str, int] = {}
    if volume_sizes:
        try:
            for v in client.df().get("Volumes") or []:
                size = (v.get("UsageData") or {}).get("Size")
                if isinstance(size, int) and size >= 0:
                    sizes[v["Name"]] = size
        except Exception:
            pass
    for vol in client.volumes.list(filters={"label": f"{L.COMPONENT}={L.COMPONENT_HARNESS}"}):
        attrs = vol.attrs or {}
        inv.items.append(
            Item(
                "harness-volume",
                vol.name,
                vol.name,
                _iso(attrs.get("CreatedAt")),
                sizes.get(vol.name),
                attrs.get("Labels") or {},
            )
        )
    # Owner: an item is ours only when its owner label says so; without one it is someone else's.
    from aishell.trust import owner_label

    me = owner_label()
    for item in inv.items:
        item.mine = item.owner == me
    # Use: every container, in any state.
    for c in client.containers.list(all=True, ignore_removed=True):  # a run that ends meanwhile is gone, not a 404
        attrs = c.attrs or {}
        cname = (attrs.get("Name") or c.name or c.id[:12]).lstrip("/")
        item = inv.find(attrs.get("Image", ""))
        if item is not None:
            item.used_by.append(cname)
        for m in attrs.get("Mounts") or []:
            if m.get("Type") == "volume":
                vol = inv.find(m.get("Name", ""))
                if vol is not None:
                    vol.used_by.append(cname)
        for m in (attrs.get("HostConfig") or {}).get("Mounts") or []:  # a harness image, by its tag
            if m.get("Type") == "image":
                item = inv.find(m.get("Source", ""))
                if item is not None and cname not in item.used_by:
                    item.used_by.append(cname)
    # References: the state.
    foundation = S.foundation_id(state)
    if foundation:
        item = inv.find(foundation)
        if item is None:
            inv.missing.append(("foundation", foundation))
        else:
            item.referenced_by.append("(foundation)")
    egress = (state.get("egress") or {}).get("image_id")  # the current proxy image (builder/proxy.py)
    item = inv.find(egress) if egress else None
    if item is not None:
        item.referenced_by.append("(egress proxy)")
    for project, entry in sorted(S.projects(state).items()):
        if not os.path.isdir(project):
            inv.gone_projects.append(project)
        ext = S.extension(entry)
        for ident in filter(None, (ext.get("image_id"), ext.get("foundation_id"))):
            item = inv.find(ident)
            if item is None:
                if ident == ext.get("image_id"):
                    inv.missing.append((project, f"extension {ident[:19]}"))
            elif project not in item.referenced_by:
                item.referenced_by.append(project)
        vol = S.harness_volume(entry)
        if vol:
            item = inv.find(vol)
            if item is None:
                inv.missing.append((project, f"harness {'image' if L.is_harness_image(vol) else 'volume'} {vol}"))
            elif project not in item.referenced_by:
                item.referenced_by.append(project)
    return inv
