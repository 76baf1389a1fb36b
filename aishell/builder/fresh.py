"""What is current and what is stale, without building or pulling anything.

The same hashes the builder uses: ``aishell claude|shell|exec`` check here first and
build only when something is stale (``--no-build`` refuses instead, naming it).
"""

from __future__ import annotations

import os


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


def desired_harnesses(plan, pstate: dict) -> dict[str, str]:
    """The harness specs a run wants: the config's, else the last build's (its --with-X flags)."""
    if plan.harnesses:
        return dict(plan.harnesses)
    specs = (pstate.get("harness") or {}).get("specs") or {}
    return {name: s.get("spec", "latest") for name, s in specs.items()}


def inspect(plan, client, pstate: dict) -> Freshness:
    from aishell.builder import extension, foundation, volume
    from aishell.errors import read_text
    from aishell.model import parse

    out = Freshness()
    fhash = foundation.inputs(plan, client)[0]
    out.foundation = foundation.find(client, fhash, plan.registry)
    if out.foundation is None:
        out.tier("foundation", "stale", "not built for the current template, CA certificates and base images",
                 name=f"aishell:foundation-{fhash[:12]}", hash=fhash)  # fmt: skip
    else:
        out.tier("foundation", "current", name=f"aishell:foundation-{fhash[:12]}", hash=fhash, **_image_facts(out.foundation))
    out.image = out.foundation
    if plan.has_extension:
        ehash = extension.extension_hash(plan, parse(read_text(plan.dockerfile), plan.dockerfile))[0]
        try:
            image = client.images.get(plan.extension_tag)
        except Exception:
            image = None
        labels = (image.labels or {}) if image is not None else {}
        facts = dict(name=plan.extension_tag, hash=ehash, **(_image_facts(image) if image is not None else {}))
        if image is None:
            out.tier("extension", "stale", "not built", **facts)
        elif labels.get("aishell.extension.hash") != ehash:
            out.tier("extension", "stale", f"{os.path.join('.aishell', 'Dockerfile')}, its ignore file or a file it copies changed", **facts)
        elif out.foundation is not None and labels.get("aishell.foundation.id") != out.foundation.id:
            out.tier("extension", "stale", "the foundation changed", **facts)
        else:
            out.tier("extension", "current", **facts)
        out.image = image
    else:
        out.tier("extension", "none", "no .aishell/Dockerfile")
    wanted = desired_harnesses(plan, pstate)
    harness = pstate.get("harness") or {}
    built = {name: s.get("spec") for name, s in (harness.get("specs") or {}).items()}
    facts = dict(name=harness.get("volume"), hash=harness.get("hash"), versions=dict(harness.get("versions") or {}))
    if wanted and not harness:
        out.tier("harness volume", "stale", "not built", name=None)
    elif wanted and built != wanted:
        out.tier("harness volume", "stale", f"the harness spec changed ({_specs(built)} -> {_specs(wanted)})", **facts)
    elif harness:
        out.versions = dict(harness.get("versions") or {})
        major = ((out.foundation.labels or {}) if out.foundation is not None else {}).get("aishell.node.major", "unknown")
        name = volume.volume_name(volume.volume_hash(out.versions, major))
        vol = volume._get_volume(client, harness.get("volume", ""))
        if vol is not None:
            facts["created"] = (vol.attrs or {}).get("CreatedAt")
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
