"""What to build: the inputs of every tier, and their hashes."""

from __future__ import annotations

import hashlib
import os
from importlib import resources

from aishell.errors import ConfigError, InputError
from aishell.harness import BY_NAME

DEFAULT_DEBIAN = "debian:bookworm-slim"
DEFAULT_NODE = "node:24-bookworm-slim"
REPO = "aishell"


class Plan:
    def __init__(self, root: str, harnesses: dict[str, str], ca_certs: str | None, debian: str, node: str,
                 force: bool = False, update: bool = False):  # fmt: skip
        self.root = root  # project folder (holds .aishell/)
        self.dockerfile = os.path.join(root, ".aishell", "Dockerfile")
        self.harnesses = harnesses  # name -> version spec ("latest", "2.1.301", "^2.1")
        self.ca_certs = ca_certs  # a PEM file or a folder of .crt files
        self.debian = debian
        self.node = node
        self.force = force
        self.update = update

    @property
    def has_extension(self) -> bool:
        return os.path.exists(self.dockerfile)

    @property
    def extension_tag(self) -> str:
        return f"{REPO}:ext-{hashlib.sha256(os.path.realpath(self.root).encode()).hexdigest()[:12]}"


def template(name: str) -> bytes:
    return resources.files("aishell").joinpath("templates", name).read_bytes()


def ca_files(source: str | None) -> list[tuple[str, bytes]]:
    """(file name, PEM bytes) of the extra CA certificates, sorted; [] when none are configured."""
    if not source:
        return []
    if os.path.isdir(source):
        out = []
        for name in sorted(os.listdir(source)):
            path = os.path.join(source, name)
            if name.endswith(".crt") and os.path.isfile(path):
                with open(path, "rb") as f:
                    out.append((name, f.read()))
        return out
    if os.path.isfile(source):
        with open(source, "rb") as f:
            data = f.read()
        if b"-----BEGIN CERTIFICATE-----" not in data:
            raise ConfigError(source, "not a PEM certificate file")
        return [("extra-ca.crt", data)]
    raise ConfigError(source, "CA certificates: no such file or folder")


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        b = p.encode() if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "big"))
        h.update(b)
    return h.hexdigest()


def make_plan(root: str, cli_harnesses: dict[str, str | None], force=False, update=False) -> Plan:
    """Merge .aishell/config.yaml's build section with the command line and the environment."""
    from aishell.config import load_config

    cfg = load_config(os.path.join(root, ".aishell", "config.yaml"))
    build = cfg.build
    harnesses: dict[str, str] = {}
    conf = build.get("harnesses") or {}
    if isinstance(conf, list):
        conf = {name: "latest" for name in conf}
    if not isinstance(conf, dict):
        raise ConfigError(cfg.path, "build.harnesses must map harness names to versions")
    for name, spec in {**conf, **{k: v for k, v in cli_harnesses.items() if v is not None}}.items():
        if name not in BY_NAME:
            raise ConfigError(cfg.path, f"build.harnesses: unknown harness {name!r} (known: {', '.join(BY_NAME)})")
        if spec is False or spec is None:
            continue
        harnesses[name] = "latest" if spec is True else str(spec)
    ca = os.environ.get("AISHELL_CA_CERTS") or build.get("ca_certificates")
    if ca and not os.path.isabs(ca):
        ca = os.path.join(root, ca)
    bases = build.get("base_images") or {}
    if not isinstance(bases, dict):
        raise ConfigError(cfg.path, "build.base_images must map debian/node to image references")
    debian = os.environ.get("AISHELL_DEBIAN_IMAGE") or bases.get("debian") or DEFAULT_DEBIAN
    node = os.environ.get("AISHELL_NODE_IMAGE") or bases.get("node") or DEFAULT_NODE
    if ca:
        ca_files(ca)  # validate early: one clear line, exit 2
    return Plan(root, harnesses, ca, debian, node, force, update)


def project_root(cwd: str = ".") -> str:
    from aishell.config import find_project_root

    root = find_project_root(cwd)
    if root is None:
        raise InputError(None, "no .aishell/ folder here or in a parent folder: run aishell build inside a project")
    return root
