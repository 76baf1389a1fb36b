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
    out.foundation = foundation.find(client, fhash)
    if out.foundation is None:
        out.stale.append("foundation: not built for the current template, CA certificates and base images")
    out.image = out.foundation
    if plan.has_extension:
        ehash = extension.extension_hash(plan, parse(read_text(plan.dockerfile), plan.dockerfile))[0]
        try:
            image = client.images.get(plan.extension_tag)
        except Exception:
            image = None
        labels = (image.labels or {}) if image is not None else {}
        if image is None:
            out.stale.append("extension: not built")
        elif labels.get("aishell.extension.hash") != ehash:
            out.stale.append(f"extension: {os.path.join('.aishell', 'Dockerfile')}, its ignore file or a file it copies changed")
        elif out.foundation is not None and labels.get("aishell.foundation.id") != out.foundation.id:
            out.stale.append("extension: the foundation changed")
        out.image = image
    wanted = desired_harnesses(plan, pstate)
    harness = pstate.get("harness") or {}
    built = {name: s.get("spec") for name, s in (harness.get("specs") or {}).items()}
    if wanted and not harness:
        out.stale.append("harness volume: not built")
    elif wanted and built != wanted:
        out.stale.append(f"harness volume: the harness spec changed ({_specs(built)} -> {_specs(wanted)})")
    elif harness:
        out.versions = dict(harness.get("versions") or {})
        major = ((out.foundation.labels or {}) if out.foundation is not None else {}).get("aishell.node.major", "unknown")
        name = volume.volume_name(volume.volume_hash(out.versions, major))
        if out.foundation is not None and name != harness.get("volume"):
            out.stale.append("harness volume: the harness recipe or Node.js version changed")
        elif volume._get_volume(client, harness.get("volume", "")) is None:
            out.stale.append(f"harness volume: {harness.get('volume')} is missing")
        else:
            out.volume = harness.get("volume")
    return out


def _specs(specs: dict) -> str:
    return ", ".join(f"{n}={v}" for n, v in sorted(specs.items())) or "none"
