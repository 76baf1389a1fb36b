"""The egress policy as configuration: ``run.egress`` parsed and checked, and the decision of
a run's policy from the command line, the user config and the project's (pure: no Docker, so
config loading and ``aishell lint`` can use it). The proxy and network live in
``aishell.runner.egress``; the trust rows for ``run.egress.*`` in ``aishell.trust``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from aishell.errors import ConfigError

POLICIES = ("open", "allowlist", "none")
STRICTNESS = {"open": 0, "allowlist": 1, "none": 2}
EGRESS_KEYS = {"policy", "allow"}
HOST_RE = re.compile(
    r"^(\*\.)?(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


# -- configuration ----------------------------------------------------------------------------


def parse_config(path: str | None, raw) -> dict:
    """``run.egress`` of a config file: ``{policy, allow}`` (or a bare policy string)."""
    if raw is None:
        return {}
    if isinstance(raw, str):
        raw = {"policy": raw}
    if not isinstance(raw, dict):
        raise ConfigError(
            path, "run.egress must be a mapping with policy and allow (or a policy: open, allowlist, none)"
        )
    unknown = set(raw) - EGRESS_KEYS
    if unknown:
        raise ConfigError(path, f"run.egress: unknown key {sorted(map(str, unknown))[0]!r} (known: allow, policy)")
    out: dict = {}
    if "policy" in raw:
        if raw["policy"] not in POLICIES:
            raise ConfigError(path, f"run.egress.policy: {raw['policy']!r} is not one of {', '.join(POLICIES)}")
        out["policy"] = raw["policy"]
    if "allow" in raw:
        allow = raw["allow"] or []
        if isinstance(allow, str):
            allow = [allow]
        if not isinstance(allow, list):
            raise ConfigError(path, "run.egress.allow must be a list of host names")
        out["allow"] = [check_host(path, h) for h in allow]
    return out


def check_host(path: str | None, host) -> str:
    """One allow-list entry, normalised, or one clear line (exit 2)."""
    if not isinstance(host, str):
        raise ConfigError(path, f"run.egress.allow: {host!r} is not a host name")
    h = host.strip().lower()
    h = h[:-1] if h.endswith(".") else h  # one root dot: "github.com." is github.com
    if not HOST_RE.match(h):
        raise ConfigError(
            path, f"run.egress.allow: {host!r} is not a host name or *.domain pattern (no scheme, port, path or spaces)"
        )
    return h


class Egress(NamedTuple):
    policy: str  # open, allowlist, none
    hosts: tuple[str, ...]  # run.egress.allow in effect (the harnesses' hosts are added by ``plan``)
    user_hosts: tuple[str, ...]  # as configured, in order
    notes: tuple[str, ...] = ()  # lines said before the run


def decide(cli: str | None, user: dict | None, project: dict | None, project_trusted: bool) -> Egress:
    """The effective egress of a run (pure)."""
    user = user or {}
    project = project or {}
    notes = []
    if cli is not None:
        policy = cli
    else:
        base = user.get("policy") or "open"
        proj = project.get("policy")
        if proj is not None and (project_trusted or STRICTNESS[proj] >= STRICTNESS[base]):
            policy = proj
        else:
            policy = base
            if proj is not None:
                notes.append(
                    f"aishell: egress: the project's run.egress.policy {proj} is looser than your default "
                    f"{base} and its config is not trusted: {base} it is (`aishell trust` to accept it)"
                )
    allow = list(user.get("allow") or [])
    proj_allow = [h for h in project.get("allow") or [] if h not in allow]
    if proj_allow:
        if project_trusted:
            allow += proj_allow
        elif policy == "allowlist":
            notes.append(
                f"aishell: egress: ignoring run.egress.allow from the project's untrusted config "
                f"({', '.join(proj_allow[:5])}{', …' if len(proj_allow) > 5 else ''}): `aishell trust` "
                "to let its hosts through"
            )
    return Egress(policy, tuple(sorted(set(allow))), tuple(allow), tuple(notes))


def from_config(cfg, cli: str | None) -> Egress:
    """The run's egress from the command line and the loaded config.

    With the trust layer (issue 15: ``cfg.grant``), ``cfg.run["egress"]`` already holds only what
    may take effect (the user's layer, and the project's where it is trusted or stricter): it
    is used as it is. Without it, the project config is the only layer and is untrusted."""
    values = (getattr(cfg, "run", None) or {}).get("egress") or {}
    if getattr(cfg, "grant", None) is not None:
        return decide(cli, None, values, True)
    return decide(cli, None, values, False)
