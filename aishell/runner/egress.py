"""Egress policy of a run: ``open``, ``allowlist`` or ``none`` (docs/egress.md).

- ``open``: the engine's default network, as ``docker run`` gives it.
- ``allowlist``: the run is attached only to an ``--internal`` Docker network (no route out,
  no external DNS). The only way out is the project's proxy container (tinyproxy from
  Debian, image built by ``aishell.builder.proxy``), on that network and on the default
  bridge, which reaches only the hosts on the list, by name. The run gets HTTP(S)_PROXY.
- ``none``: ``--network none``.

One proxy per project and allow list, shared by the project's concurrent runs: a file lock
and one lease file per running aishell process count them; the last run to end removes the
proxy and its network. Nothing is ever resolved at start (hostnames only), and a proxy that
cannot start stops the run (exit 3): a run asked to be closed is never silently open.

Policy precedence: the command line (``--egress``) is the user's and wins. Otherwise the
strictest of the user's default and the project's ``run.egress.policy``: an untrusted
project config can make the policy stricter, never looser. ``run.egress.allow`` from a
project is a privileged key: its hosts count only when the project's config is trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from typing import NamedTuple

from aishell.errors import InputError
from aishell.runner.egress_policy import (  # noqa: F401  the policy half, re-used here
    POLICIES,
    STRICTNESS,
    Egress,
    check_host,
    decide,
    from_config,
    parse_config,
)

PROXY_PORT = 3128
PROXY_ALIAS = "aishell-egress"
PROXY_URL = f"http://{PROXY_ALIAS}:{PROXY_PORT}"
NO_PROXY = "localhost,127.0.0.1,::1"
# A host pattern: a DNS name, optionally "*." in front (any subdomain, at any depth), or an
# IPv4 literal. Nothing else reaches the proxy's config (no spaces, quotes, newlines, ports).
READY_LINE = "Reloading config file finished"
BLOCKED_RE = re.compile(r'Proxying refused on filtered (?:domain|url) "([^"]+)"')  # tinyproxy's reqs.c, LOG_NOTICE
LOG_KEEP = 1000  # lines kept in the blocked-request log
LINGER = 30  # seconds the proxy outlives the last run of its project (AISHELL_EGRESS_LINGER)


class EgressError(Exception):
    """The egress proxy could not be set up: the run does not start (exit 3)."""


def harness_hosts(names) -> tuple[str, ...]:
    from aishell.harness import BY_NAME

    out: set[str] = set()
    for n in names:
        h = BY_NAME.get(n)
        if h is not None:
            out.update(h.egress_hosts)
    return tuple(sorted(out))


# -- names ------------------------------------------------------------------------------------


def project_key(project: str, uid: int, state_dir: str) -> str:
    """Distinct per user, per state folder and per project: two users never share a proxy."""
    return hashlib.sha256(os.fsencode(f"{uid}\0{state_dir}\0{project}")).hexdigest()[:12]


def upstream(environ: dict[str, str]) -> tuple[str | None, list[str], list[str]]:
    """(tinyproxy ``upstream`` lines, notes): the host's own proxy, chained to, and its NO_PROXY."""
    url = next((environ[v] for v in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy") if environ.get(v)), None)
    if not url:
        return None, [], []
    from urllib.parse import unquote, urlsplit

    try:
        u = urlsplit(url if "://" in url else f"http://{url}")
        port = u.port or (1080 if u.scheme.startswith("socks") else 3128)
    except ValueError:
        return None, [], [f"aishell: egress: the host's proxy {_redact(url)!r} is not a URL: not chained to"]
    kind = {"http": "http", "https": "http", "socks5": "socks5", "socks5h": "socks5", "socks4": "socks4"}.get(u.scheme)
    host = u.hostname or ""
    if kind is None or not re.match(r"^[A-Za-z0-9.:-]+$", host):
        return (
            None,
            [],
            [f"aishell: egress: the host's proxy {_redact(url)!r} is not an http or socks proxy: not chained to"],
        )
    cred = ""
    if u.username:
        user, pw = unquote(u.username), unquote(u.password or "")
        if re.search(r'[\s"@:]', user) or re.search(r'[\s"@]', pw):
            return (
                None,
                [],
                ["aishell: egress: the host proxy's credentials hold characters tinyproxy cannot take: not chained to"],
            )
        cred = f"{user}:{pw}@"
    notes = []
    if host in ("localhost", "127.0.0.1", "::1"):
        notes.append(f"aishell: egress: the host's proxy is on {host}, which the proxy container cannot reach")
    lines = [f"Upstream {kind} {cred}{host}:{port}"]
    no_proxy = environ.get("NO_PROXY") or environ.get("no_proxy") or ""
    for item in no_proxy.split(","):
        item = item.strip().lower()
        if item and item != "*" and re.match(r"^[a-z0-9.*-]+$", item):
            lines.append(f'Upstream none "{item.lstrip("*")}"')
    return url, lines, notes


def _redact(url: str) -> str:
    return re.sub(r"//[^@/]*@", "//***@", url)


def proxy_files(hosts: tuple[str, ...], upstream_lines: list[str]) -> dict[str, bytes]:
    from aishell.builder.plan import template

    conf = template("egress/tinyproxy.conf").decode()
    conf = conf.replace("{port}", str(PROXY_PORT)).replace("{upstream}", "\n".join(upstream_lines))
    return {"tinyproxy.conf": conf.encode(), "filter": "".join(f"{h}\n" for h in hosts).encode()}


def proxy_name(key: str, files: dict[str, bytes]) -> str:
    """The proxy container and its network: per project, per configuration."""
    from aishell.builder.plan import digest

    from aishell.labels import egress_name

    return egress_name(key, digest(*(k.encode() + b"\0" + v for k, v in sorted(files.items()))))


def run_env() -> list[tuple[str, str]]:
    """What the run gets under ``allowlist``: the standard variables in both cases (curl reads only
    the lower-case http_proxy), npm's own, and Node's switch for its built-in fetch."""
    out = []
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        out.append((name, PROXY_URL))
    out += [
        ("NO_PROXY", NO_PROXY),
        ("no_proxy", NO_PROXY),
        ("npm_config_proxy", PROXY_URL),
        ("npm_config_https_proxy", PROXY_URL),
        ("NODE_USE_ENV_PROXY", "1"),
        ("AISHELL_EGRESS", "allowlist"),
    ]
    return out


NETWORK_ARGS = re.compile(r"^--(net|network)(=|$)")


def check_docker_args(policy: str, docker_args) -> None:
    if policy != "open" and any(NETWORK_ARGS.match(a) for a in docker_args):
        raise InputError(None, f"--egress {policy} and a --network in run.docker_args do not go together: remove one")


# -- the proxy's lifecycle ----------------------------------------------------------------------


class Session:
    def __init__(self, client, name: str, lease: str, started: float, project: str, linger: int = 0):
        self.client = client
        self.name = name
        self.lease = lease
        self.started = started
        self.project = project
        self.linger = linger


def _lease_dir(name: str) -> str:
    from aishell import state

    return os.path.join(state.state_dir(), "egress", name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _live_leases(name: str, mine: str | None = None) -> list[str]:
    d = _lease_dir(name)
    out = []
    try:
        entries = os.listdir(d)
    except OSError:
        return []
    for e in entries:
        path = os.path.join(d, e)
        if path == mine:
            continue
        if e.isdigit() and _alive(int(e)):
            out.append(path)
        else:
            try:
                os.unlink(path)  # a run that ended without its cleanup (killed)
            except OSError:
                pass
    return out


def start(
    client,
    image_id: str,
    name: str,
    files: dict[str, bytes],
    labels: dict[str, str],
    project: str,
    linger: int = 0,
    timeout: float = 10.0,
) -> Session:
    """The project's proxy running (reused or started), and a lease for this run. EgressError when not."""
    from aishell import state

    with state.locked(f"egress-{name}.lock"):
        started = time.time()
        _ensure(client, image_id, name, files, labels, timeout)
        d = _lease_dir(name)
        os.makedirs(d, exist_ok=True)
        lease = os.path.join(d, str(os.getpid()))
        with open(lease, "w") as f:
            f.write(project)
    return Session(client, name, lease, started, project, linger)


class Pending:
    """``start`` in a background thread (its own engine connection): the proxy's container start
    overlaps the run's preparation. ``wait`` returns the session or raises EgressError; ``close``
    ends it (``finish``), whether or not the run started."""

    def __init__(self, image_id: str, run_egress, project: str):
        import threading

        self.session: Session | None = None
        self.error: EgressError | None = None
        args = (
            image_id,
            run_egress.name,
            run_egress.files,
            proxy_labels(project, run_egress.name),
            project,
            run_egress.linger,
        )
        self.thread = threading.Thread(target=self._start, args=args, name="aishell-egress", daemon=True)
        self.thread.start()

    def _start(self, *args) -> None:
        try:
            from aishell.engine import connect

            self.session = start(connect(), *args)
        except EgressError as e:
            self.error = e
        except Exception as e:
            self.error = EgressError(
                f"the egress proxy did not start: {(str(e).splitlines() or [type(e).__name__])[0][:160]}"
            )

    def wait(self) -> Session:
        self.thread.join()
        if self.session is None:
            raise self.error or EgressError("the egress proxy did not start")
        return self.session

    def close(self) -> dict[str, int]:
        self.thread.join()
        return finish(self.session) if self.session is not None else {}


def _ensure(client, image_id: str, name: str, files: dict[str, bytes], labels: dict[str, str], timeout: float) -> None:
    import docker.errors

    try:
        c = client.containers.get(name)
        if c.status == "running" and c.image.id == image_id:
            return
        c.remove(force=True)  # stopped, crashed or from another image: replaced
    except docker.errors.NotFound:
        pass
    except docker.errors.APIError as e:
        raise EgressError(f"cannot inspect the egress proxy {name}: {_explain(e)}") from None
    try:
        try:
            net = client.networks.get(name)
        except docker.errors.NotFound:
            net = client.networks.create(name, driver="bridge", internal=True, labels=labels, check_duplicate=True)
        if not (net.attrs.get("Internal")):
            raise EgressError(f"the network {name} exists but is not internal: remove it (docker network rm {name})")
        endpoint = client.api.create_networking_config({name: client.api.create_endpoint_config(aliases=[PROXY_ALIAS])})
        cid = client.api.create_container(
            image_id,
            name=name,
            labels=labels,
            networking_config=endpoint,
            host_config=client.api.create_host_config(
                network_mode=name,
                cap_drop=["ALL"],
                security_opt=["no-new-privileges"],
                init=False,
                mem_limit="256m",
                pids_limit=256,
                log_config={"Type": "json-file", "Config": {"max-size": "5m", "max-file": "1"}},
            ),
        )["Id"]
        c = client.containers.get(cid)
        c.put_archive("/etc/aishell-egress", _tar(files))
        client.networks.get("bridge").connect(c)
        c.start()
    except docker.errors.APIError as e:
        _remove_quietly(client, name)
        raise EgressError(f"the egress proxy did not start: {_explain(e)}") from None
    deadline = time.time() + timeout
    while True:
        c.reload()
        if c.status != "running":
            tail = (c.logs(tail=3) or b"").decode(errors="replace").strip().splitlines()
            _remove_quietly(client, name)
            why = f": {tail[-1][:160]}" if tail else f" (exit {c.attrs.get('State', {}).get('ExitCode')})"
            raise EgressError(f"the egress proxy stopped at start{why}")
        if READY_LINE.encode() in (c.logs() or b""):
            return
        if time.time() > deadline:
            _remove_quietly(client, name)
            raise EgressError(f"the egress proxy did not become ready in {timeout:.0f}s")
        time.sleep(0.02)


def _tar(files: dict[str, bytes]) -> bytes:
    import io
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for n, data in sorted(files.items()):
            info = tarfile.TarInfo(n)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _explain(e) -> str:
    return ((getattr(e, "explanation", None) or str(e)).splitlines() or ["?"])[0][:160]


def _remove_quietly(client, name: str) -> None:
    import docker.errors

    for remove in (lambda: client.containers.get(name).remove(force=True), lambda: client.networks.get(name).remove()):
        try:
            remove()
        except docker.errors.APIError:
            pass


def stopped_proxies(client) -> list[str]:
    """Egress proxy containers that are not running (an engine restart stops them; a run that
    finds one replaces it): ``aishell prune`` removes them, with their networks."""
    from aishell import labels as L

    found = client.containers.list(
        all=True, filters={"label": f"{L.COMPONENT}={L.COMPONENT_EGRESS}"}, ignore_removed=True
    )
    return sorted(c.name for c in found if c.status != "running")


def remove_proxies(client, names: list[str]) -> None:
    for name in names:
        _remove_quietly(client, name)


def finish(session: Session) -> dict[str, int]:
    """After the run: the blocked hosts of this run (since its start), recorded in the log; the
    lease dropped; the proxy and its network removed when no other run of the project holds one."""
    from aishell import state

    with state.locked(f"egress-{session.name}.lock"):
        blocked = blocked_since(session.client, session.name, session.started)
        if blocked:
            record(session.project, blocked)
        try:
            os.unlink(session.lease)
        except OSError:
            pass
        last = not _live_leases(session.name)
    if last:
        _teardown_later(session.name, session.linger)
    return blocked


def linger_seconds(environ) -> int:
    """``AISHELL_EGRESS_LINGER``: how long the proxy outlives the last run of its project
    (default ``LINGER``), so that back-to-back runs reuse it, as ssh's ControlPersist does."""
    raw = environ.get("AISHELL_EGRESS_LINGER")
    if raw is None or raw == "":
        return LINGER
    if not raw.isdigit() or int(raw) > 3600:
        raise InputError(None, f"AISHELL_EGRESS_LINGER={raw!r}: expected a number of seconds from 0 to 3600")
    return int(raw)


def _teardown_later(name: str, linger: int) -> None:
    """Remove the proxy and its network ``linger`` seconds from now, in a detached process, so the
    run's exit is not delayed by it. That process takes the lock and checks the leases again: a
    run of the project that started in between keeps the proxy (and removes it in its turn)."""
    import subprocess
    import sys

    try:
        subprocess.Popen(
            [sys.executable, "-m", __name__, "teardown", name, str(linger)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except OSError:
        teardown(name)


def teardown(name: str, client=None) -> bool:
    """Remove the proxy ``name`` and its network unless a live run holds a lease; whether it did."""
    from aishell import state

    if client is None:
        from aishell.engine import connect

        client = connect()
    with state.locked(f"egress-{name}.lock"):
        if _live_leases(name):
            return False
        _remove_quietly(client, name)
        try:
            os.rmdir(_lease_dir(name))
        except OSError:
            pass
    return True


def blocked_since(client, name: str, since: float) -> dict[str, int]:
    import docker.errors

    try:
        raw = client.containers.get(name).logs(timestamps=True) or b""
    except docker.errors.APIError:
        return {}
    counts: dict[str, int] = {}
    for line in raw.decode(errors="replace").splitlines():
        stamp, _, text = line.partition(" ")
        if _epoch(stamp) < since:
            continue
        m = BLOCKED_RE.search(text)
        if m:
            host = m.group(1).split("/")[0].rsplit(":", 1)[0] if "://" not in m.group(1) else m.group(1).split("/")[2]
            counts[host] = counts.get(host, 0) + 1
    return counts


def _epoch(stamp: str) -> float:
    from datetime import datetime

    m = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z", stamp)
    if not m:
        return 0.0
    from datetime import timezone

    base = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp()
    return base + float("0" + (m.group(2) or ".0")[:7])


def blocked_line(blocked: dict[str, int]) -> str | None:
    if not blocked:
        return None
    items = sorted(blocked.items(), key=lambda kv: (-kv[1], kv[0]))
    return "aishell: egress blocked: " + ", ".join(f"{h} ({n})" for h, n in items) + ": add them to run.egress.allow"


# -- the blocked-request log (``aishell egress log``) ---------------------------------------------


def log_path() -> str:
    from aishell import state

    return os.path.join(state.state_dir(), "egress", "blocked.jsonl")


def record(project: str, blocked: dict[str, int]) -> None:
    from aishell.atomic import replace_file

    path = log_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        lines = []
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    lines += [
        json.dumps({"time": now, "project": project, "host": h, "count": n}, sort_keys=True)
        for h, n in sorted(blocked.items())
    ]
    replace_file(path, ("\n".join(lines[-LOG_KEEP:]) + "\n").encode())


def read_log(project: str | None = None, limit: int = 50) -> list[dict]:
    try:
        with open(log_path(), encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and (project is None or rec.get("project") == project):
            out.append(rec)
    return out[-limit:]


# -- what a run gets --------------------------------------------------------------------------


class RunEgress(NamedTuple):
    """The network part of one run, decided before anything starts (pure)."""

    policy: str
    hosts: tuple[str, ...]  # the proxy's filter (allowlist)
    name: str | None  # the proxy container and internal network (allowlist), else None
    files: dict  # the proxy's config files (allowlist)
    notes: tuple[str, ...]
    linger: int = LINGER

    def network(self) -> str | None:
        """``--network`` of the run: none, the internal network, or None (the engine's default)."""
        return {"none": "none", "allowlist": self.name}.get(self.policy)

    def env(self) -> list[tuple[str, str]]:
        return run_env() if self.policy == "allowlist" else []


def plan(eg: Egress, harnesses, project: str, uid: int, state_dir: str, environ: dict[str, str]) -> RunEgress:
    if eg.policy != "allowlist":
        return RunEgress(eg.policy, (), None, {}, eg.notes)
    hosts = tuple(sorted(set(eg.hosts) | set(harness_hosts(harnesses))))
    _, lines, notes = upstream(environ)
    files = proxy_files(hosts, lines)
    return RunEgress(
        eg.policy,
        hosts,
        proxy_name(project_key(project, uid, state_dir), files),
        files,
        eg.notes + tuple(notes),
        linger_seconds(environ),
    )


def proxy_labels(project: str, name: str) -> dict[str, str]:
    from aishell import labels as L

    from aishell.trust import owner_label

    return {L.COMPONENT: L.COMPONENT_EGRESS, L.PROJECT_DIR: project, L.EGRESS_PROXY: name, L.OWNER: owner_label()}


if __name__ == "__main__":  # python -m aishell.runner.egress teardown NAME (see _teardown_later)
    import sys

    if (
        len(sys.argv) == 4
        and sys.argv[1] == "teardown"
        and sys.argv[2].startswith(PROXY_ALIAS + "-")
        and sys.argv[3].isdigit()
    ):
        time.sleep(int(sys.argv[3]))
        try:
            teardown(sys.argv[2])
        except Exception:
            sys.exit(1)
