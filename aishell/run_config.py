"""The ``run:`` keys that came with the original aishell's configs, and the user config merge.

``run.mounts``, ``run.ports``, ``run.pre_start``, ``run.harness_args``, ``run.detection``
and ``run.extends`` (``aishell.config`` owns the rest of ``run:``). Values are checked
here, when the config loads, so a bad one is a config error (exit 2) before anything
runs; turning them into ``docker run`` arguments needs the host's facts and happens in
``aishell.runner.spec`` through :func:`mount_for` and :func:`port_arg`.

The user config (``$XDG_CONFIG_HOME/aishell/config.yaml``) lies under the project's
(``aishell.config`` layers them, ``aishell.trust`` grants): the project's value of a key
wins, except where the original merged ``~/.aishell/config.yaml`` otherwise, which
:func:`stack` does first: lists (mounts, ports, each harness's harness_args,
detection.allowlist) are the user's followed by the project's. (docker_args: the
project's list replaces the user's, aishell's rule for it.)
``run.extends: none`` in the project config leaves the user's ``run:`` out.
"""

from __future__ import annotations

import os
import shlex
import sys

from aishell.errors import ConfigError, shown

EXTRA_RUN_KEYS = {"mounts", "ports", "pre_start", "harness_args", "detection", "extends"}
EXTENDS = ("user", "global", "none")  # global: the original's word for the user config
DETECTION_KEYS = {"enabled", "custom_patterns", "allowlist"}
HARNESS_NAMES = ("claude", "codex", "gemini", "opencode")
# The original's pre_start log path, kept so its users find it where they look.
PRE_START_LOG = "/tmp/pre-start.log"

QUIET = False  # lint and migrate report original-schema keys as findings instead
_warned: set[str] = set()


def legacy_hook(path: str, data: dict) -> dict:
    """An original-schema mapping read as aishell's, with one warning line per file."""
    from aishell.legacy_config import is_legacy, summary, translate

    if not is_legacy(data):
        return data
    new, moves = translate(data)
    if not QUIET and path not in _warned:
        _warned.add(path)
        from aishell.errors import display_path

        sys.stderr.write(
            f"aishell: warning: {display_path(path)} is in the original aishell's schema ({summary(moves)}): "
            "`aishell migrate --write` rewrites it\n"
        )
    return new


def original_global_hint(project_config: str | None = None) -> None:
    """No user config, but the original's ~/.aishell/config.yaml: say once that it is not read
    (unless it is the project's own config: a project at HOME)."""
    original = os.path.join(os.path.expanduser("~"), ".aishell", "config.yaml")
    if QUIET or original in _warned or not os.path.isfile(original):
        return
    if project_config is not None and os.path.realpath(project_config) == os.path.realpath(original):
        return
    _warned.add(original)
    sys.stderr.write(
        f"aishell: note: {original} (the original aishell's global config) is not read here: "
        "`aishell migrate --global --write` makes it your user config\n"
    )


def normalize(path: str, run: dict) -> dict:
    """docker_args may be one space-separated string, as the original allowed."""
    args = run.get("docker_args")
    if isinstance(args, str):
        try:
            run = {**run, "docker_args": shlex.split(args)}
        except ValueError as e:
            raise ConfigError(path, f"run.docker_args: {e}") from None
    return run


def _str_list(path: str, key: str, value, what: str, numbers: bool = True) -> list[str]:
    """One item or a list of them: text, or whole numbers where they mean something (a port,
    an argument); a path is text only (`mounts: 5` is a slip, not a folder named 5)."""
    kinds = (str, int) if numbers else str
    if value is None:
        return []
    if isinstance(value, kinds) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, kinds) and not isinstance(v, bool) for v in value):
        raise ConfigError(path, f"run.{key} must be a list of {what}")
    return [str(v) for v in value]


def parse(path: str, run: dict) -> dict:
    """The checked values of the keys above (defaults when absent)."""
    out: dict = {}
    extends = run.get("extends", "user")
    if extends not in EXTENDS:
        raise ConfigError(path, f"run.extends: {shown(extends)} is not one of user, none")
    out["extends"] = "none" if extends == "none" else "user"
    out["mounts"] = _str_list(path, "mounts", run.get("mounts"), "paths (src, src:dst or src:dst:ro)", numbers=False)
    for m in out["mounts"]:
        parse_mount(path, m)
    out["ports"] = _str_list(path, "ports", run.get("ports"), "ports (host:container, ip:host:container, …/udp)")
    for p in out["ports"]:
        port_arg(path, p)
    pre = run.get("pre_start")
    if isinstance(pre, list):
        if not all(isinstance(c, str) for c in pre):
            raise ConfigError(path, "run.pre_start must be a command or a list of commands")
        pre = " && ".join(c for c in pre if c.strip())  # the original joins a list with &&
    elif pre is not None and not isinstance(pre, str):
        raise ConfigError(path, "run.pre_start must be a command or a list of commands")
    out["pre_start"] = pre or None
    hargs = run.get("harness_args") or {}
    if not isinstance(hargs, dict):
        raise ConfigError(
            path, "run.harness_args must map a harness (claude, codex, gemini, opencode) to its arguments"
        )
    out["harness_args"] = {}
    for name, args in hargs.items():
        if name not in HARNESS_NAMES:
            raise ConfigError(
                path, f"run.harness_args: {shown(name)} is not a harness (claude, codex, gemini, opencode)"
            )
        out["harness_args"][name] = _str_list(path, f"harness_args.{name}", args, "arguments")
    out["detection"] = _detection(path, run.get("detection"))
    return out


def _detection(path: str, value) -> dict:
    value = {} if value is None else value
    if not isinstance(value, dict):
        raise ConfigError(path, "run.detection must be a mapping (enabled, custom_patterns, allowlist)")
    unknown = set(value) - DETECTION_KEYS
    if unknown:
        raise ConfigError(
            path,
            f"run.detection: unknown key {shown(sorted(map(str, unknown))[0])} (known: {', '.join(sorted(DETECTION_KEYS))})",
        )
    enabled = value.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError(path, "run.detection.enabled must be true or false")
    patterns = value.get("custom_patterns") or {}
    if isinstance(patterns, list):
        patterns = {p: None for p in patterns}
    if not isinstance(patterns, dict) or not all(isinstance(k, str) and k for k in patterns):
        raise ConfigError(
            path, "run.detection.custom_patterns must map glob patterns to a severity or {severity, reason}"
        )
    # A list of [glob, reason] pairs, not a mapping: globs hold dots, and dotted keys are paths
    # to the config layering (aishell.trust).
    reasons = []
    for pat, spec in patterns.items():
        reason = spec.get("reason") if isinstance(spec, dict) else None
        reasons.append([pat, str(reason) if reason else "matches a custom pattern"])
    allow = value.get("allowlist") or []
    if not isinstance(allow, list):
        raise ConfigError(path, "run.detection.allowlist must be a list of {path, reason}")
    paths = []
    for entry in allow:
        if isinstance(entry, str):
            entry = {"path": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or not entry["path"]:
            raise ConfigError(path, "run.detection.allowlist: each entry needs a path (and a reason)")
        paths.append(entry["path"])
    return {"enabled": enabled, "custom_patterns": reasons, "allowlist": paths}


def parse_mount(path: str | None, spec: str) -> tuple[str, str | None, bool]:
    """``src``, ``src:dst``, ``src:dst:ro`` (or ``:rw``) -> (src, dst or None, readonly)."""
    parts = spec.split(":")
    readonly = False
    if len(parts) == 3 and parts[2] in ("ro", "rw"):
        readonly = parts[2] == "ro"
        parts = parts[:2]
    if len(parts) > 2 or not parts[0] or (len(parts) == 2 and not parts[1]):
        raise ConfigError(path, f"run.mounts: {shown(spec)} is not src, src:dst or src:dst:ro")
    dst = parts[1] if len(parts) == 2 else None
    if dst is not None and not dst.startswith("/"):
        raise ConfigError(path, f"run.mounts: {shown(spec)}: the container path must be absolute")
    return parts[0], dst, readonly


def expand_home(p: str, home: str) -> str:
    """``~``, ``~/x``, ``$HOME`` and ``${HOME}`` at the start mean the host user's home."""
    for prefix in ("${HOME}", "$HOME", "~"):
        if p == prefix or p.startswith(prefix + "/"):
            return home + p[len(prefix) :]
    return p


def mount_for(spec: str, home: str, project: str) -> tuple[str, str, bool]:
    """A mount entry on this host: (absolute source, target, readonly). A relative source is
    the project's; without a target the source's own path is used (HOME is the host's path
    inside too)."""
    src, dst, ro = parse_mount(None, spec)
    src = os.path.normpath(os.path.join(project, expand_home(src, home)))
    return src, os.path.normpath(expand_home(dst, home)) if dst else src, ro


def port_arg(path: str | None, spec: str) -> str:
    """A ``-p`` value. Without an address the port is bound to 127.0.0.1, not every
    interface: a published port is then reachable from this host only (docs/migrating.md)."""
    body, slash, proto = spec.partition("/")
    if slash and proto not in ("tcp", "udp", "sctp"):
        raise ConfigError(path, f"run.ports: {shown(spec)}: the protocol must be tcp, udp or sctp")
    ip, sep, rest = body.rpartition(":")
    if not sep:
        raise ConfigError(path, f"run.ports: {shown(spec)} is not host:container or ip:host:container")
    container = rest
    ip, sep2, host_port = ip.rpartition(":")
    if not sep2:
        ip = ""
    if ip.startswith("[") and ip.endswith("]"):
        ip = ip[1:-1]
    for port in (host_port, container):
        # ASCII digits only: str.isdigit() accepts '²' (int() refuses it) and any length.
        if not (port.isascii() and port.isdigit() and len(port) <= 5) or not 0 < int(port) < 65536:
            raise ConfigError(path, f"run.ports: {shown(spec)}: {shown(port)} is not a port number")
    if ip:
        import ipaddress

        try:
            ipaddress.ip_address(ip)
        except ValueError:
            raise ConfigError(path, f"run.ports: {shown(spec)}: {shown(ip)} is not an IP address") from None
    else:
        ip = "127.0.0.1"
    address = f"[{ip}]" if ":" in ip else ip
    return f"{address}:{host_port}:{container}{slash}{proto}"


def present(path: str, run: dict) -> dict:
    """Like :func:`parse`, but only the keys ``run`` sets (config layering needs to know which)."""
    values = parse(path, run)
    out = {k: v for k, v in values.items() if k in run and run[k] is not None}
    if "detection" in out:  # its sub-keys too: an unset one must not hide the user config's
        out["detection"] = {k: v for k, v in out["detection"].items() if k in run["detection"]}
    return out


# docker_args is not here: aishell's layering lets the project's list replace the user's
# (tests/test_trust.py), where the original concatenated them (docs/migrating.md).
LIST_KEYS = ("mounts", "ports")


def stack(user: dict, project: dict, honour_extends: bool = True) -> tuple[dict, dict]:
    """The user layer's and the project layer's run: values, merged the original's way before the
    layering (which lets a higher layer's list replace a lower one's): the project's lists are
    the user's followed by its own, harness_args per harness likewise, detection allowlists
    concatenated; ``extends: none`` in the project drops the user's run: entirely. A project list
    that the layering then refuses (untrusted) leaves the user's own list in effect.
    ``honour_extends``: whether the project config is trusted; when not, ``extends: none`` is
    ignored here and the layering refuses it (``run.extends`` in ``aishell.trust.PRIVILEGED``)."""
    if project.get("extends") == "none" and honour_extends:
        return {}, project
    project = dict(project)
    for key in LIST_KEYS:
        if key in project and user.get(key):
            project[key] = list(user[key]) + list(project[key])
    if "harness_args" in project and user.get("harness_args"):
        project["harness_args"] = {
            h: list(user["harness_args"].get(h, ())) + list(args) for h, args in project["harness_args"].items()
        }
    ud, pd = user.get("detection") or {}, project.get("detection")
    if pd and ud.get("allowlist") and "allowlist" in pd:
        project["detection"] = {**pd, "allowlist": list(ud["allowlist"]) + list(pd["allowlist"])}
    return user, project
