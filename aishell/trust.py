"""Every decision that grants the sandbox something, in one file: read this one to audit aishell.

A run gets a mount, a capability, a variable, a network or a registry only through a function
here. The project's ``.aishell/config.yaml`` comes with a cloned repository, and the agent
inside the container can edit the project, so the project config is untrusted until the user
runs ``aishell trust``, which records the file's sha256 in the user's state; any change to the
file makes it untrusted again. The user config (``$XDG_CONFIG_HOME/aishell/config.yaml``) and
the command line are the user's own words: trusted.

Interface (other options plug in here; nothing else needs to know)
------------------------------------------------------------------
``PRIVILEGED: dict[str, Privileged]``
    dotted config key -> ``Privileged(why, when=None)``. A key matches itself and every key
    below it (``run.env`` covers ``run.env.GITHUB_TOKEN``; the longest match wins).
    ``when(value, ctx) -> bool`` says whether this value widens the sandbox (None: always);
    ``ctx`` is a ``Context`` (project root, HOME, the user layer's value of the same key, for
    "may only make it stricter" rules). A key not in the table is safe from any layer.
    To add a privileged option: add one row, with the reason a reviewer reads.
``CLI_ONLY: dict[str, str]``
    keys refused from the project config whatever its trust (``run.sudo``); the user config
    may set them.
``reserved_env(name) -> str | None``
    why a variable may not come from any config or ``-e`` (aishell sets it), or None.
``grant(layers, root, home) -> Grant``
    ``layers``: ``[Layer(origin, path, values)]``, lowest first ("user", then "project"),
    ``values`` a nested dict of one file's validated settings. Returns the effective values
    (``Grant.values``, nested), the layer each effective leaf came from (``Grant.origins``,
    dotted key -> "user" | "project"), the trust state of the project file (``Grant.trust``)
    and the privileged project keys left out because it is untrusted (``Grant.refused``:
    ``[(key, why)]``). An untrusted privileged project value never reaches ``values``; the
    user's own value for that key, if any, stays.
``require_trust(grant, interactive, ask) -> None``
    nothing refused: returns. Interactive: shows the keys and asks (yes records the trust);
    otherwise raises ``Untrusted`` (exit 2), naming the keys and ``aishell trust``.
``run_security(sudo) -> list[str]``, ``run_user(uid, gid, rootless) -> str``
    the capability and user flags of every run.
``parse_docker_args(args) -> list[DockerArg]``; ``docker_arg_warnings(args, home) -> list[str]``
    ``docker_args`` parsed as the docker CLI does (``--flag=value`` and ``--flag value``);
    one warning line per dangerous argument, printed on every run even when trusted.
``trust(path)``, ``revoke(path)``, ``trust_state(path) -> TrustState``
    the user's record (``$XDG_STATE_HOME/aishell/trust.json``: config path -> sha256).
``owner_label() -> str``
    the owner of everything aishell creates: ``<uid>-<hash of the state folder>``.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any, Callable, NamedTuple

from aishell.errors import ConfigError, InputError, shown
from aishell.runner.egress_policy import STRICTNESS

# -- the trust record ------------------------------------------------------------------------


def _state_dir() -> str:
    from aishell.state import state_dir

    return state_dir()


def _record_path() -> str:
    return os.path.join(_state_dir(), "trust.json")


def _read_record() -> dict[str, str]:
    try:
        with open(_record_path(), encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return (
        {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(data, dict) else {}
    )


def _write_record(change: Callable[[dict], None]) -> None:
    import fcntl

    from aishell.atomic import replace_file

    os.makedirs(_state_dir(), exist_ok=True)
    with open(os.path.join(_state_dir(), "trust.lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = _read_record()
        change(data)
        replace_file(_record_path(), (json.dumps(data, indent=2, sort_keys=True) + "\n").encode())


def file_hash(path: str) -> str | None:
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None


class TrustState(NamedTuple):
    path: str | None  # the project config, None when the project has none
    trusted: bool  # its content is the content the user trusted (a missing file is trusted: it grants nothing)
    recorded: str | None  # the sha256 the user trusted, if any
    current: str | None  # the file's sha256 now

    @property
    def word(self) -> str:
        if self.path is None or self.current is None:
            return "no project config"
        if self.trusted:
            return "trusted"
        return "changed since trusted" if self.recorded else "untrusted"


def trust_state(path: str | None) -> TrustState:
    if path is None or not os.path.exists(path):
        return TrustState(path, True, None, None)
    key = os.path.abspath(path)
    recorded = _read_record().get(key)
    current = file_hash(path)
    return TrustState(path, recorded is not None and recorded == current, recorded, current)


def trust(path: str) -> str:
    """Record the file's content as trusted; returns its sha256."""
    h = file_hash(path)
    if h is None:
        raise InputError(path, "no such config file: nothing to trust")
    _write_record(lambda d: d.__setitem__(os.path.abspath(path), h))
    return h


def revoke(path: str) -> bool:
    """Forget the trust of ``path``; whether there was one."""
    key = os.path.abspath(path)
    had = key in _read_record()
    if had:
        _write_record(lambda d: d.pop(key, None))
    return had


def owner_label() -> str:
    """Who owns what aishell creates (``aishell.labels.OWNER``): the UID and a hash of the state
    folder (two state folders of one user are two owners). Items without it are someone else's."""
    from aishell.labels import owner

    return owner(os.getuid(), _state_dir())


# -- the table of privileged keys -----------------------------------------------------------


class Context(NamedTuple):
    root: str | None  # the project folder
    home: str  # the host's HOME
    user_value: Any = None  # the user config's value of the same key (None: unset)


class Privileged(NamedTuple):
    why: str
    when: Callable[[Any, Context], bool] | None = None  # None: always privileged

    def applies(self, value: Any, ctx: Context) -> bool:
        return True if self.when is None else bool(self.when(value, ctx))


# Variables that change how every program in the container loads code: a literal value of one
# of these is privileged (it runs before aishell's harness check, inside the harness that holds
# the user's API key). Any other literal value is safe: the Dockerfile can set it with ENV too.
LOADER_ENV = (
    "LD_PRELOAD",
    "LD_LIBRARY_PATH",
    "LD_AUDIT",
    "NODE_OPTIONS",
    "NODE_PATH",
    "BASH_ENV",
    "ENV",
    "PYTHONPATH",
    "PYTHONSTARTUP",
    "PERL5OPT",
    "RUBYOPT",
    "GIT_CONFIG_GLOBAL",
    "GIT_SSH_COMMAND",
)


def _env_privileged(value: Any, ctx: Context) -> bool:
    return value is None  # NAME alone: the host's value, possibly a secret


def _non_empty(value: Any, ctx: Context) -> bool:
    return bool(value)


def _outside_project(value: Any, ctx: Context) -> bool:
    if not value or ctx.root is None:
        return bool(value)
    path = value if os.path.isabs(value) else os.path.join(ctx.root, value)
    real, root = os.path.realpath(path), os.path.realpath(ctx.root)
    return os.path.commonpath([real, root]) != root


def _harness_and_proxy_env() -> dict[str, Privileged]:
    """A harness's own variables (API keys, base URLs) and the proxy variables: a literal
    value can send the user's API key, or all traffic, to a host the repository chose."""
    from aishell.harness import HARNESSES

    proxies = (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "no_proxy",
        "all_proxy",
    )
    names = sorted({n for h in HARNESSES for n in h.env} | set(proxies))
    return {
        f"run.env.{n}": Privileged(f"{n} tells the harness or every client where to send requests (and keys)")
        for n in names
    }


PRIVILEGED: dict[str, Privileged] = {
    "run.docker_args": Privileged(
        "extra docker run arguments can mount host files, add capabilities or share host namespaces"
    ),
    "run.env": Privileged("NAME alone copies the host's value (a token, a key) into the container", _env_privileged),
    **{f"run.env.{n}": Privileged(f"{n} changes how programs in the container load code") for n in LOADER_ENV},
    **_harness_and_proxy_env(),
    # The original aishell's run options (aishell.run_config; docs/migrating.md). run.pre_start and
    # run.harness_args are not here: they run in the container, as the user, with nothing it lacks.
    "run.mounts": Privileged("a mount gives the container a host folder or file (read-write unless :ro)", _non_empty),
    "run.ports": Privileged(
        "a published port lets this host (or, with an address, the network) reach into the container", _non_empty
    ),
    "run.detection.enabled": Privileged(
        "false hides the warning about secrets in the project the agent can read", lambda value, ctx: value is False
    ),
    "run.detection.allowlist": Privileged(
        "an allow-listed secret is no longer named when the agent can read it", _non_empty
    ),
    "run.isolation": Privileged(
        "shared mounts the host's harness folders read-write: the agent can plant hooks, MCP servers "
        "or notify commands that the host runs outside any container (aishell.runner.harness_state)",
        lambda value, ctx: value == "shared",
    ),
    # Egress (aishell/runner/egress.py, docs/egress.md): a project may make the policy stricter
    # and repeat the user's hosts; a looser policy or a new host needs trust.
    "run.egress.policy": Privileged(
        "a looser egress policy than the user's own opens the network to the agent",
        lambda value, ctx: STRICTNESS.get(value, 0) < STRICTNESS.get(ctx.user_value or "open", 0),
    ),
    "run.egress.allow": Privileged(
        "hosts on the egress allow list can receive what the agent sends",
        lambda value, ctx: not set(value or []) <= set(ctx.user_value or []),
    ),
    "run.extends": Privileged(
        "none drops the user config's run: settings (egress policy, isolation, secret detection)",
        lambda value, ctx: value == "none",
    ),
    "build.base_images": Privileged(
        "the images aishell builds the foundation, harness and egress proxy FROM: "
        "an image of the project's choosing runs every harness with your credentials"
    ),
    "build.registry": Privileged("images are pulled from and pushed to the registry it names"),
    "build.push": Privileged("what is built (CA certificates included) is pushed to the registry"),
    "build.ca_certificates": Privileged(
        "a file outside the project is copied into the image (and pushed, with build.push)", _outside_project
    ),
}

# Refused from the project config whatever its trust (the user config may set them).
CLI_ONLY: dict[str, str] = {
    "run.sudo": "sudo gives root inside the container: only `--sudo` on the command line (or the user config) turns it on",
}


def privileged(key: str) -> Privileged | None:
    """The table row for a dotted key: itself, else its longest prefix."""
    parts = key.split(".")
    for n in range(len(parts), 0, -1):
        row = PRIVILEGED.get(".".join(parts[:n]))
        if row is not None:
            return row
    return None


# -- variables aishell sets -----------------------------------------------------------------

RESERVED_ENV_NAMES = {
    "HOME",
    "PATH",
    "USER",
    "LOGNAME",
    "SHELL",
    "CLAUDE_CONFIG_DIR",
    "CODEX_HOME",
    "GEMINI_CLI_SYSTEM_SETTINGS_PATH",
    "DISABLE_AUTOUPDATER",
    "OPENCODE_DISABLE_AUTOUPDATE",
    "SSH_AUTH_SOCK",
    "NODE_EXTRA_CA_CERTS",
    "SSL_CERT_FILE",
}
RESERVED_ENV_PREFIXES = ("LOCAL_", "AISHELL_")


def _harness_fixed_env() -> set[str]:
    from aishell.harness import HARNESSES

    return {n for h in HARNESSES for n, _ in h.run_env}


def reserved_env(name: str) -> str | None:
    """Why ``name`` may not come from a config or ``-e`` (aishell sets it itself), or None."""
    if name in RESERVED_ENV_NAMES or name in _harness_fixed_env() or name.startswith(RESERVED_ENV_PREFIXES):
        return f"{name} is set by aishell itself and cannot be set by a config or -e"
    return None


# -- layering and the grant -------------------------------------------------------------------


class Layer(NamedTuple):
    origin: str  # "user" or "project"
    path: str | None
    values: dict


class Grant(NamedTuple):
    values: dict  # nested, effective
    origins: dict[str, str]  # dotted leaf key -> "user" | "project"
    trust: TrustState
    refused: list[tuple[str, str]]  # (dotted key, why) privileged project keys left out (untrusted)
    privileged: list[tuple[str, str, str]]  # (dotted key, origin, why): every privileged key in effect


def _leaves(d: dict, prefix: str = ""):
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and v:
            yield from _leaves(v, key + ".")
        else:
            yield key, v


def _get(d: dict, key: str) -> Any:
    for part in key.split("."):
        if not isinstance(d, dict) or part not in d:
            return None
        d = d[part]
    return d


def _put(d: dict, key: str, value: Any) -> None:
    parts = key.split(".")
    for part in parts[:-1]:
        d = d.setdefault(part, {})
    d[parts[-1]] = value


def grant(layers: list[Layer], root: str | None, home: str | None = None) -> Grant:
    home = home or os.path.expanduser("~")
    project = next((layer for layer in layers if layer.origin == "project"), None)
    state = trust_state(project.path if project else None)
    user_values: dict = {}
    for layer in layers:
        if layer.origin != "project":
            for key, value in _leaves(layer.values):
                _put(user_values, key, value)
    values: dict = {}
    origins: dict[str, str] = {}
    refused: list[tuple[str, str]] = []
    in_effect: list[tuple[str, str, str]] = []
    for layer in layers:
        for key, value in _leaves(layer.values):
            if key.startswith("run.env.") and reserved_env(key[len("run.env.") :]):
                raise ConfigError(layer.path, f"run.env: {reserved_env(key[len('run.env.') :])}")
            if layer.origin == "project" and key in CLI_ONLY:
                if value:
                    raise ConfigError(layer.path, f"{key}: {CLI_ONLY[key]}")
                continue
            row = privileged(key)
            if row is not None and row.applies(value, Context(root, home, _get(user_values, key))):
                if layer.origin == "project" and not state.trusted:
                    refused.append((key, row.why))
                    continue
                in_effect.append((key, layer.origin, row.why))
            _put(values, key, value)
            origins[key] = layer.origin
    # A key later overridden by a higher layer is no longer in effect.
    in_effect = [(k, o, w) for k, o, w in in_effect if origins.get(k) == o]
    return Grant(values, origins, state, refused, in_effect)


class Untrusted(InputError):
    """Privileged keys in an untrusted project config, and no terminal to ask at (exit 2)."""


def require_trust(
    g: Grant, interactive: bool, ask: Callable[[str], bool] | None = None, say: Callable[[str], None] | None = None
) -> bool:
    """Returns True when the trust was recorded just now (the caller reloads the config)."""
    if not g.refused:
        return False
    keys = ", ".join(k for k, _ in g.refused)
    path = g.trust.path
    if interactive and ask is not None and say is not None:
        say(f"aishell: {path} is {g.trust.word} and sets privileged keys:")
        for key, why in g.refused:
            say(f"  {key}: {why}")
        if ask("Trust this file (as `aishell trust` does) and go on?"):
            trust(path)
            return True
    raise Untrusted(
        path,
        f"{g.trust.word}, it sets privileged keys ({keys}): read it, then run `aishell trust` "
        "in the project (nothing was started)",
    )


# -- run flags --------------------------------------------------------------------------------


def run_user(uid: int, gid: int, rootless: bool = False) -> str:
    """The container's user: the host user's UID:GID. On rootless Docker the host user is the
    container's root (user namespace), so 0:0 there is the host user, with no capability."""
    return "0:0" if rootless else f"{uid}:{gid}"


def run_security(sudo: bool) -> list[str]:
    """No capability and no privilege gain, for every user and every process (PID 1 included).
    --sudo (command line or user config only) keeps Docker's default capabilities and lets the
    setuid sudo work: root inside the container."""
    if sudo:
        return ["--group-add=aishell-sudo"]
    return ["--cap-drop=ALL", "--security-opt=no-new-privileges"]


# -- docker_args --------------------------------------------------------------------------------

# `docker run` options that take a value (docker 28's `docker run --help`, plus hidden aliases).
VALUE_FLAGS = {
    "add-host",
    "attach",
    "blkio-weight",
    "blkio-weight-device",
    "cap-add",
    "cap-drop",
    "cgroup-parent",
    "cgroupns",
    "cidfile",
    "cpu-period",
    "cpu-quota",
    "cpu-rt-period",
    "cpu-rt-runtime",
    "cpu-shares",
    "cpus",
    "cpuset-cpus",
    "cpuset-mems",
    "detach-keys",
    "device",
    "device-cgroup-rule",
    "device-read-bps",
    "device-read-iops",
    "device-write-bps",
    "device-write-iops",
    "dns",
    "dns-option",
    "dns-search",
    "domainname",
    "entrypoint",
    "env",
    "env-file",
    "expose",
    "gpus",
    "group-add",
    "health-cmd",
    "health-interval",
    "health-retries",
    "health-start-period",
    "health-start-interval",
    "health-timeout",
    "hostname",
    "ip",
    "ip6",
    "ipc",
    "isolation",
    "kernel-memory",
    "label",
    "label-file",
    "link",
    "link-local-ip",
    "log-driver",
    "log-opt",
    "mac-address",
    "memory",
    "memory-reservation",
    "memory-swap",
    "memory-swappiness",
    "mount",
    "name",
    "network",
    "net",
    "network-alias",
    "net-alias",
    "oom-score-adj",
    "pid",
    "pids-limit",
    "platform",
    "publish",
    "pull",
    "restart",
    "runtime",
    "security-opt",
    "shm-size",
    "stop-signal",
    "stop-timeout",
    "storage-opt",
    "sysctl",
    "tmpfs",
    "ulimit",
    "user",
    "userns",
    "uts",
    "volume",
    "volume-driver",
    "volumes-from",
    "workdir",
    "annotation",
    "cpu-count",
    "cpu-percent",
}
BOOL_FLAGS = {
    "detach",
    "disable-content-trust",
    "help",
    "init",
    "interactive",
    "no-healthcheck",
    "oom-kill-disable",
    "privileged",
    "publish-all",
    "quiet",
    "read-only",
    "rm",
    "sig-proxy",
    "tty",
    "use-api-socket",
}
SHORT = {
    "a": "attach",
    "c": "cpu-shares",
    "d": "detach",
    "e": "env",
    "h": "hostname",
    "i": "interactive",
    "l": "label",
    "m": "memory",
    "p": "publish",
    "P": "publish-all",
    "q": "quiet",
    "t": "tty",
    "u": "user",
    "v": "volume",
    "w": "workdir",
}
# Options that would break the run aishell manages (its name, its removal, its terminal).
MANAGED = {"name", "rm", "detach", "attach", "interactive", "tty", "cidfile", "help", "workdir"}
# Options that read a host file at run time, past the checks aishell makes on the values
# themselves (reserved variables, its own labels); the file may be one the agent can write.
FILE_FLAGS = {
    "env-file": "reads variables from a file (one the agent may write), past the reserved-variable check: "
    "use run.env or -e",
    "label-file": "reads labels from a file (one the agent may write): use --label",
}


class DockerArg(NamedTuple):
    flag: str  # the long name, without dashes
    value: str | None  # None for a boolean flag


def parse_docker_args(args: list[str] | tuple[str, ...], where: str | None = None) -> list[DockerArg]:
    """Parse as the docker CLI does; refuse what is not a known `docker run` option, a positional
    argument (it would become the image) and options aishell manages itself."""
    out: list[DockerArg] = []
    i = 0
    args = list(args)
    while i < len(args):
        a = args[i]
        i += 1
        if a.startswith("--") and len(a) > 2:
            name, eq, value = a[2:].partition("=")
            if name in BOOL_FLAGS:
                out.append(DockerArg(name, value if eq else None))
            elif name in VALUE_FLAGS:
                if not eq:
                    if i >= len(args):
                        raise ConfigError(where, f"run.docker_args: --{name} needs a value")
                    value = args[i]
                    i += 1
                out.append(DockerArg(name, value))
            else:
                raise ConfigError(where, f"run.docker_args: {shown(a)} is not a `docker run` option aishell knows")
        elif a.startswith("-") and len(a) > 1:
            j = 1
            while j < len(a):
                name = SHORT.get(a[j])
                if name is None:
                    raise ConfigError(where, f"run.docker_args: {shown(a)}: -{a[j]} is not a `docker run` option")
                if name in VALUE_FLAGS:
                    value = a[j + 1 :].removeprefix("=")
                    if not value:
                        if i >= len(args):
                            raise ConfigError(where, f"run.docker_args: -{a[j]} needs a value")
                        value = args[i]
                        i += 1
                    out.append(DockerArg(name, value))
                    break
                out.append(DockerArg(name, None))
                j += 1
        else:
            raise ConfigError(
                where, f"run.docker_args: {shown(a)} is not an option (a positional argument would replace the image)"
            )
    for arg in out:
        if arg.flag in MANAGED:
            raise ConfigError(where, f"run.docker_args: --{arg.flag} is set by aishell itself")
        if arg.flag in FILE_FLAGS:
            raise ConfigError(where, f"run.docker_args: --{arg.flag} {FILE_FLAGS[arg.flag]}")
        if arg.flag == "env" and arg.value is not None:
            why = reserved_env(arg.value.partition("=")[0])
            if why:
                raise ConfigError(where, f"run.docker_args: {why}")
    return out


HOST_NAMESPACES = ("pid", "network", "net", "ipc", "uts", "userns", "cgroupns")


def _mount_sources(arg: DockerArg) -> list[str]:
    if arg.flag == "volume" and arg.value:
        src = arg.value.split(":", 1)[0]
        return [src] if src.startswith("/") or src.startswith("~") else []
    if arg.flag == "mount" and arg.value:
        import csv

        fields = next(csv.reader([arg.value]), [])
        kv = dict(f.split("=", 1) if "=" in f else (f, "") for f in fields)
        src = kv.get("source") or kv.get("src") or ""
        kind = kv.get("type", "volume")
        return [src] if kind == "bind" or src.startswith("/") else []
    return []


def docker_arg_warnings(args, home: str, where: str | None = None) -> list[str]:
    """One line per dangerous argument, said on every run (even from trusted config)."""
    out = []
    home = os.path.realpath(home)
    for arg in parse_docker_args(args, where):
        shown = f"--{arg.flag}" + (f"={arg.value}" if arg.value is not None else "")
        why = None
        if arg.flag == "privileged":
            why = "every capability and every host device: root on the host"
        elif arg.flag in HOST_NAMESPACES and (arg.value or "").startswith("host"):
            why = f"shares the host's {arg.flag} namespace"
        elif arg.flag in ("network", "net") and (arg.value or "").startswith("container:"):
            why = "joins another container's network"
        elif arg.flag in ("cap-add", "device", "device-cgroup-rule", "gpus"):
            why = "gives the container host hardware or a capability"
        elif (
            arg.flag == "security-opt"
            and arg.value
            and ("unconfined" in arg.value or arg.value.replace(":", "=") == "no-new-privileges=false")
        ):
            why = "switches a kernel protection off"
        elif arg.flag in (
            "user",
            "entrypoint",
            "group-add",
            "runtime",
            "volumes-from",
            "use-api-socket",
            "sysctl",
            "cgroup-parent",
            "pid",
            "userns",
            "uts",
            "ipc",
            "cgroupns",
            "isolation",
        ):
            why = "changes who or what runs, or what the container shares with the host"
        for src in _mount_sources(arg):
            real = os.path.realpath(os.path.expanduser(src))
            if real == "/" or real == home or home.startswith(real.rstrip("/") + "/"):
                why = "mounts the host's root or HOME"
            elif real.startswith(home + "/."):
                why = "mounts a hidden folder of HOME (keys, tokens, configs)"
            elif real.endswith(".sock"):
                why = "mounts a host socket (the Docker socket is root on the host)"
        if why:
            out.append(f"aishell: warning: run.docker_args {shown}: {why}")
    return out
