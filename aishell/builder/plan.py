"""What to build: the inputs of every tier, and their hashes."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from importlib import resources

from aishell import labels
from aishell.errors import ConfigError
from aishell.harness import BY_NAME

DEFAULT_DEBIAN = "debian:bookworm-slim"
DEFAULT_NODE = "node:24-bookworm-slim"


class Plan:
    def __init__(
        self,
        root: str,
        harnesses: dict[str, str],
        ca_certs: str | None,
        debian: str,
        node: str,
        force: bool = False,
        update: bool = False,
    ):
        self.root = root  # project folder (holds .aishell/)
        self.dockerfile = os.path.join(root, ".aishell", "Dockerfile")
        self.harnesses = harnesses  # name -> version spec ("latest", "2.1.301", "^2.1")
        self.ca_certs = ca_certs  # a PEM file or a folder of .crt files
        self.debian = debian
        self.node = node
        self.force = force
        self.update = update
        self.ca_note: str | None = None  # said once when the CA file came from the host's environment
        self.registry: str | None = None  # an OCI registry to pull tiers from by hash (and push to)
        self.push = False
        self.require_registry = False

    @property
    def has_extension(self) -> bool:
        return os.path.exists(self.dockerfile)

    @property
    def extension_tag(self) -> str:
        return labels.extension_tag(self.root)


def template(name: str) -> bytes:
    return resources.files("aishell").joinpath("templates", name).read_bytes()


# Only the certificate blocks of a file reach the image: a secret next to them (or a file that is
# no certificate at all) stays on the host. The body must be base64, so nothing else rides along.
_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n\t ]*?-----END CERTIFICATE-----")


def pem_blocks(data: bytes) -> bytes:
    """The ``-----BEGIN CERTIFICATE-----`` ... ``-----END CERTIFICATE-----`` blocks of ``data``, or b""."""
    return b"".join(m.group(0) + b"\n" for m in _PEM.finditer(data))


def _read_entry(folder_fd: int, folder: str, name: str) -> bytes | None:
    """A regular file in a folder, opened without following a link; None for anything else."""
    path = os.path.join(folder, name)
    try:
        st = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(st.st_mode):
        raise ConfigError(path, "CA certificates: a symbolic link in the folder is refused (copy the file in)")
    if not stat.S_ISREG(st.st_mode):
        return None
    fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder_fd)
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped since the stat
            return None
        return f.read()


def ca_files(source: str | None) -> list[tuple[str, bytes]]:
    """(file name, PEM bytes) of the extra CA certificates, sorted; [] when none are configured.

    The configured path itself may be a link (/etc/ssl/certs/ca-certificates.crt often is): it is
    resolved. Inside a folder no link is followed (one is refused), only regular files are read,
    and of every file only its certificate blocks are kept (a file with none is skipped)."""
    if not source:
        return []
    real = os.path.realpath(source)
    if os.path.isdir(real):
        out = []
        dfd = os.open(real, os.O_RDONLY | os.O_DIRECTORY)
        try:
            for name in sorted(os.listdir(dfd)):
                if not name.endswith(".crt"):
                    continue
                data = _read_entry(dfd, source, name)
                pem = pem_blocks(data) if data else b""
                if pem:
                    out.append((name, pem))
        finally:
            os.close(dfd)
        return out
    if os.path.isfile(real):
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as f:
            pem = pem_blocks(f.read()) if stat.S_ISREG(os.fstat(f.fileno()).st_mode) else b""
        if not pem:
            raise ConfigError(source, "not a PEM certificate file")
        return [("extra-ca.crt", pem)]
    raise ConfigError(source, "CA certificates: no such file or folder")


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        b = p.encode() if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "big"))
        h.update(b)
    return h.hexdigest()


def make_plan(
    root: str,
    cli_harnesses: dict[str, str | None],
    force=False,
    update=False,
    registry: str | None = None,
    push: bool = False,
    require_registry: bool = False,
) -> Plan:
    """Merge .aishell/config.yaml's build section with the command line and the environment."""
    from aishell.config import load_config

    cfg = load_config(os.path.join(root, ".aishell", "config.yaml"))
    build = cfg.build
    harnesses: dict[str, str] = {}
    conf = build.get("harnesses") or {}  # (its type checked where the file is read: config._build_types)
    if isinstance(conf, list):
        conf = {name: "latest" for name in conf}
    for name, spec in {**conf, **{k: v for k, v in cli_harnesses.items() if v is not None}}.items():
        if name not in BY_NAME:
            raise ConfigError(cfg.path, f"build.harnesses: unknown harness {name!r} (known: {', '.join(BY_NAME)})")
        if spec is False or spec is None:
            continue
        harnesses[name] = "latest" if spec is True else str(spec)
    ca = os.environ.get("AISHELL_CA_CERTS") or build.get("ca_certificates")
    if ca and not os.path.isabs(ca):
        ca = os.path.join(root, ca)
    note = None
    if not ca:
        ca, note = host_ca_file()
    bases = build.get("base_images") or {}
    debian = os.environ.get("AISHELL_DEBIAN_IMAGE") or bases.get("debian") or DEFAULT_DEBIAN
    node = os.environ.get("AISHELL_NODE_IMAGE") or bases.get("node") or DEFAULT_NODE
    if ca:
        ca_files(ca)  # validate early: one clear line, exit 2
    plan = Plan(root, harnesses, ca, debian, node, force, update)
    plan.ca_note = note
    plan.registry = registry or os.environ.get("AISHELL_REGISTRY") or build.get("registry") or None
    if plan.registry is not None and (
        not isinstance(plan.registry, str) or "://" in plan.registry or not plan.registry.strip("/")
    ):
        raise ConfigError(
            cfg.path,
            f"build.registry: {plan.registry!r} is not a registry path such as registry.example.com/team/aishell",
        )
    plan.push = push or bool(build.get("push"))
    plan.require_registry = require_registry
    if (plan.push or plan.require_registry) and not plan.registry:
        raise ConfigError(
            cfg.path, "--push and --require-registry need a registry (--registry, AISHELL_REGISTRY or build.registry)"
        )
    return plan


HOST_CA_VARS = ("NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE")


def host_ca_file() -> tuple[str | None, str | None]:
    """(path, one-line note) of a CA file the host's environment already names, or (None, None)."""
    for var in HOST_CA_VARS:
        path = os.environ.get(var)
        if path and os.path.isfile(path):
            return path, f"aishell: trusting the CA certificates in {var}={path} (AISHELL_CA_CERTS chooses others)"
    return None, None


def project_root(cwd: str = ".") -> str:
    """The folder holding .aishell/, found by walking up from ``cwd``; else ``cwd`` itself
    (a project with no extension: the foundation and the harness volume)."""
    from aishell.config import find_project_root

    return find_project_root(cwd) or os.path.abspath(cwd)
