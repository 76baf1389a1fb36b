"""Every name aishell gives things on the engine: label keys, image tags, volume names.

aishell finds what it made by these labels alone (``aishell.footprint.inventory``), so a
key is written here once and imported everywhere. The foundation template
(templates/foundation/Dockerfile) sets ``aishell.component``, ``aishell.foundation.hash``
and ``aishell.node.major`` in its own LABEL line: keep them equal to the constants below.
"""

from __future__ import annotations

import os

REPO = "aishell"  # the local image repository

# Label keys.
COMPONENT = "aishell.component"  # what an image, volume or container is: one of the COMPONENT_* values
PROJECT_DIR = "aishell.project-dir"  # the project folder (real path) an extension image or a run belongs to
FOUNDATION_HASH = "aishell.foundation.hash"  # every input of the foundation
FOUNDATION_ID = "aishell.foundation.id"  # the foundation image an extension was built on
NODE_MAJOR = "aishell.node.major"  # the foundation's Node.js major version
EXTENSION_HASH = "aishell.extension.hash"  # the extension's Dockerfile, ignore file and copied files
HARNESS_HASH = "aishell.harness.hash"  # a harness volume's (and its carrier's) content hash
HARNESSES = "aishell.harnesses"  # "name=version,..." in a harness volume
IMAGE = "aishell.image"  # the image a run container started from
HARNESS_VOLUME = "aishell.harness-volume"  # the harness volume a run container mounts
HARNESS = "aishell.harness"  # what a run container runs: a harness name, "shell" or "exec"
OWNER = (
    "aishell.owner"  # who made it: "<uid>-<hash of the state folder>" (aishell.trust.owner_label); none: someone else's
)
EGRESS_HASH = "aishell.egress.hash"  # every input of the egress proxy image
EGRESS_PROXY = "aishell.egress.proxy"  # the egress proxy (container and network name) a run or proxy belongs to

# Values of COMPONENT.
COMPONENT_FOUNDATION = "foundation"
COMPONENT_EXTENSION = "extension"
COMPONENT_HARNESS = "harness"  # a harness volume, or (engines with image mounts) a harness image
COMPONENT_CARRIER = "harness-carrier"  # the short-lived image that seeds a harness volume
COMPONENT_RUN = "run"  # a run container
COMPONENT_EGRESS = "egress-proxy"  # the egress proxy image, its containers and networks (runner/egress.py)

# Tags and names.
FOUNDATION = f"{REPO}:foundation"  # the moving tag of the newest foundation


def registry_scope(ref: str | None) -> str:
    """The suffix of local names for what was pulled from registry ``ref`` ("" for local builds):
    only projects whose trusted config names that registry use it (aishell/trust.py)."""
    if not ref:
        return ""
    import hashlib

    return "-r" + hashlib.sha256(ref.rstrip("/").encode()).hexdigest()[:8]


def foundation_tag(h: str, registry: str | None = None) -> str:
    """The foundation built from inputs with hash ``h`` (pulled from ``registry``: scoped)."""
    return f"{REPO}:foundation-{h[:12]}{registry_scope(registry)}"


def egress_tag(h: str) -> str:
    """The egress proxy image built from inputs with hash ``h``."""
    return f"{REPO}:egress-{h[:12]}"


def egress_name(project_key: str, config_hash: str) -> str:
    """A project's egress proxy container and its internal network (one name for both)."""
    return f"{REPO}-egress-{project_key[:12]}-{config_hash[:8]}"


def extension_tag(project: str) -> str:
    """A project's extension image, by the real path of its folder."""
    import hashlib  # not at import time: `aishell lint` loads this module (through aishell.images)

    return f"{REPO}:ext-{hashlib.sha256(os.fsencode(os.path.realpath(project))).hexdigest()[:12]}"


def carrier_tag(h: str) -> str:
    """The carrier image that seeds the harness volume with hash ``h``."""
    return f"{REPO}-harness-build:{h[:12]}"


def volume_name(h: str, registry: str | None = None, owner: str | None = None) -> str:
    """The harness volume with hash ``h``: filled from ``registry``'s carrier, it is scoped to
    that registry; made for ``owner``, it is that owner's alone, so one user's prune never
    removes a volume another user's projects mount."""
    suffix = ""
    if owner:
        import hashlib

        suffix = "-o" + hashlib.sha256(owner.encode()).hexdigest()[:8]
    return f"{REPO}-harness-{h[:16]}{registry_scope(registry)}{suffix}"


def harness_image_tag(h: str, registry: str | None = None, owner: str | None = None) -> str:
    """The harness image with hash ``h`` (engines with image mounts: only /opt/harness's content,
    mounted with ``--mount type=image``), scoped like ``volume_name``. It holds a ``:``, which no
    volume name can: a harness name says which layout it is (``is_harness_image``)."""
    return f"{REPO}:" + volume_name(h, registry, owner)[len(REPO) + 1 :]


def is_harness_image(name: str | None) -> bool:
    return bool(name) and ":" in name


def owner(uid: int, state_dir: str) -> str:
    """The OWNER value: the UID and a hash of the state folder (two state folders of one user
    are two owners)."""
    import hashlib

    return f"{uid}-{hashlib.sha256(os.fsencode(os.path.realpath(state_dir))).hexdigest()[:12]}"


def harnesses_value(versions: dict[str, str]) -> str:
    """The HARNESSES label: sorted ``name=version`` pairs."""
    return ",".join(f"{n}={v}" for n, v in sorted(versions.items()))


def parse_harnesses(value: str | None) -> dict[str, str]:
    pairs = [p.split("=", 1) for p in (value or "").split(",") if "=" in p]
    return {k: v for k, v in pairs}
