"""The Docker engine: the one place aishell connects to it.

Everything that talks to Docker is handed what this module makes: the SDK client
(``connect``), a low-level client with its own timeout on the same connection
(``api_client``, for registry calls), and the docker CLI (``docker_cli``, for runs and
BuildKit builds). ``DOCKER_HOST`` (default ``DEFAULT_HOST``) and the docker CLI's TLS
variables choose the engine, so the same code runs against any engine.
"""

from __future__ import annotations

import os
import shutil
import sys

DEFAULT_HOST = "unix:///var/run/docker.sock"
CONNECT_TIMEOUT = 120  # seconds per API call of the main client


class DockerUnreachable(Exception):
    """No daemon answers at DOCKER_HOST; the message is one line naming it."""


def host() -> str:
    """The engine aishell talks to: DOCKER_HOST, else the default socket."""
    return os.environ.get("DOCKER_HOST") or DEFAULT_HOST


def connect():
    """A docker SDK client that answered a ping, or DockerUnreachable (exit 3 for callers)."""
    where = host()
    if not where.startswith("ssh://"):
        # docker-py imports paramiko (~130 ms) at import time, for ssh:// only; its transport
        # package skips the ssh adapter on ImportError, so other hosts start without it.
        sys.modules.setdefault("paramiko", None)
    import docker

    try:
        # ssh:// goes through paramiko (which reads ~/.ssh/config); not the system ssh client,
        # whose own error lines would reach the terminal. tcp:// with TLS uses
        # DOCKER_TLS_VERIFY / DOCKER_CERT_PATH, as the docker CLI does.
        client = docker.from_env(timeout=CONNECT_TIMEOUT)
        client.ping()
    except Exception as e:
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise DockerUnreachable(f"cannot reach the Docker daemon at {where} (DOCKER_HOST): {reason[:160]}") from None
    return client


def api_client(client, timeout: float):
    """``client``'s low-level API client (same engine, TLS, credentials and connection pool),
    with its own per-call timeout; ``client`` itself keeps its own."""
    api = client.api
    other = object.__new__(type(api))  # not copy.copy: requests.Session pickles only its own fields
    other.__dict__.update(api.__dict__)
    other.timeout = timeout
    return other


def docker_cli() -> str | None:
    """The docker CLI a run goes through: ``docker`` on PATH."""
    return shutil.which("docker")


def docker_cli_candidates() -> list[str]:
    """Every docker CLI worth asking for BuildKit: the one on PATH, then /usr/bin/docker."""
    out: list[str] = []
    for c in (docker_cli(), "/usr/bin/docker"):
        if c and os.path.exists(c) and c not in out:
            out.append(c)
    return out
