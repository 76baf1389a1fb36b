"""Is this tier current? Answered here only, without building or pulling anything.

``inspect`` answers for a whole project (``aishell status``, and ``aishell claude|shell|exec``,
which build only when something is stale; ``--no-build`` refuses instead, naming it). The
per-tier checks below it (``find_foundation``, ``extension_state``, ``find_volume``) are the
ones the builder's ``ensure`` steps ask before reusing a tier, so build, run and status
agree on what "current" means.
"""

from __future__ import annotations

import os

from aishell import labels as L
from aishell import state as S


class Freshness:
    def __init__(self) -> None:
        self.foundation = None  # the current foundation image, when built
        self.image = None  # what a run starts: the extension, or the foundation without .aishell/Dockerfile
        self.volume: str | None = None  # the harness volume in the project's state
        self.versions: dict[str, str] = {}  # harness -> exact version in that volume
        self.stale: list[str] = []  # one reason per stale tier; empty: everything is current
        # Per tier: name, id, hash, created, state ("current", "stale" or "none") and reason.
        self.tiers: dict[str, dict] = {}

    def tier(self, tier: str, state: str, reason: str = "", **facts) -> None:
        self.tiers[tier] = {"state": state, "reason": reason, **facts}
        if state == "stale":
            self.stale.append(f"{tier}: {reason}")


# The per-tier checks, shared with the builder's ensure steps.


def find_image(client, ref: str):
    try:
        return client.images.get(ref)
    except Exception:
        return None


def find_foundation(client, h: str, registry: str | None = None):
    """The foundation with hash ``h`` (current), by its own tag, or None (stale): built here,
    else (for a project whose trusted config names ``registry``) pulled from that registry,
    under its registry-scoped tag. Never a pulled one for a project naming no registry.

    Not by label alone: every image built FROM the foundation inherits its labels.
    """
    for tag in dict.fromkeys((L.foundation_tag(h), L.foundation_tag(h, registry))):
        image = find_image(client, tag)
        if image is not None and (image.labels or {}).get(L.FOUNDATION_HASH) == h:
            return image
    return None


def extension_state(image, h: str, foundation_id: str | None) -> tuple[str, str]:
    """("current", "") or ("stale", why) for the extension ``image`` (None: not built) against
    hash ``h`` and the foundation it must sit on (None: not checked)."""
    if image is None:
        return "stale", "not built"
    labels = image.labels or {}
    if labels.get(L.EXTENSION_HASH) != h:
        return "stale", f"{os.path.join('.aishell', 'Dockerfile')}, its ignore file or a file it copies changed"
    if foundation_id is not None and labels.get(L.FOUNDATION_ID) != foundation_id:
        return "stale", "the foundation changed"
    return "current", ""


def find_volume(client, name: str):
    """The harness volume ``name`` (volume names are content hashes), or None."""
    try:
        return client.volumes.get(name)
    except Exception:
        return None


def find_harness(client, name: str):
    """The harness ``name`` in either layout: the harness image (a tag: engines with image
    mounts) or the harness volume; None when the engine lacks it."""
    if not L.is_harness_image(name):
        return find_volume(client, name)
    image = find_image(client, name)
    return image if image is not None and (image.labels or {}).get(L.COMPONENT) == L.COMPONENT_HARNESS else None


def node_major(foundation) -> str:
    """The foundation's Node.js major version, part of the harness volume's hash."""
    return ((foundation.labels or {}) if foundation is not None else {}).get(L.NODE_MAJOR, "unknown")


# The whole project.


def desired_harnesses(plan, pstate: dict) -> dict[str, str]:
    """The harness specs a run wants: the config's, else the last build's (its --with-X flags)."""
    if plan.harnesses:
        return dict(plan.harnesses)
    return {name: s.get("spec", "latest") for name, s in S.harness_specs(pstate).items()}


def inspect(plan, client, pstate: dict, df=None) -> Freshness:
    """Every tier's state; ``df``: the parsed .aishell/Dockerfile when the caller has it."""
    from aishell.builder import extension, foundation, volume

    out = Freshness()
    fhash = foundation.inputs(plan, client)[0]
    # A pulled foundation counts only for a project whose trusted config, or whose last build
    # (the user's own command), named that registry.
    out.foundation = find_foundation(client, fhash, plan.registry or (pstate or {}).get("registry"))
    if out.foundation is None:
        out.tier(
            "foundation",
            "stale",
            "not built for the current template, CA certificates and base images",
            name=L.foundation_tag(fhash),
            hash=fhash,
        )
    else:
        out.tier("foundation", "current", name=L.foundation_tag(fhash), hash=fhash, **_image_facts(out.foundation))
    out.image = out.foundation
    if plan.has_extension:
        if df is None:
            from aishell.errors import read_text
            from aishell.model import parse

            df = parse(read_text(plan.dockerfile), plan.dockerfile)
        ehash = extension.extension_hash(plan, df)[0]
        image = find_image(client, plan.extension_tag)
        facts = dict(name=plan.extension_tag, hash=ehash, **(_image_facts(image) if image is not None else {}))
        verdict, reason = extension_state(image, ehash, out.foundation.id if out.foundation is not None else None)
        out.tier("extension", verdict, reason, **facts)
        out.image = image
    else:
        out.tier("extension", "none", "no .aishell/Dockerfile")
    wanted = desired_harnesses(plan, pstate)
    harness = S.harness(pstate)
    built = {name: s.get("spec") for name, s in S.harness_specs(pstate).items()}
    facts = dict(name=harness.get("volume"), hash=harness.get("hash"), versions=S.harness_versions(pstate))
    if wanted and not harness:
        out.tier("harness volume", "stale", "not built", name=None)
    elif wanted and built != wanted:
        out.tier("harness volume", "stale", f"the harness spec changed ({_specs(built)} -> {_specs(wanted)})", **facts)
    elif harness:
        out.versions = S.harness_versions(pstate)
        vhash = volume.volume_hash(out.versions, node_major(out.foundation))
        kept = harness.get("volume") or ""
        # The layout the build made (docs/engines.md): a harness image on engines with image mounts.
        is_image = L.is_harness_image(kept)
        name = L.harness_image_tag(vhash) if is_image else L.volume_name(vhash)
        vol = find_harness(client, kept)
        if vol is not None:
            facts["created"] = (vol.attrs or {}).get("Created" if is_image else "CreatedAt")
        if out.foundation is not None and not (harness.get("volume") or "").startswith(name):  # (+ registry scope)
            out.tier("harness volume", "stale", "the harness recipe or Node.js version changed", **facts)
        elif vol is None:
            out.tier("harness volume", "stale", f"{harness.get('volume')} is missing", **facts)
        else:
            out.volume = harness.get("volume")
            out.tier("harness volume", "current", **facts)
    else:
        out.tier("harness volume", "none", "no harness selected")
    return out


def _image_facts(image) -> dict:
    return {"id": image.id, "created": image.attrs.get("Created")}


def _specs(specs: dict) -> str:
    return ", ".join(f"{n}={v}" for n, v in sorted(specs.items())) or "none"
