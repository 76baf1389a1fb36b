"""``aishell status`` and ``aishell volumes list``: what aishell built, what is current, what it costs.

Freshness comes from the builder's own hashes (``aishell.builder.fresh``): nothing is
built or pulled. The JSON form follows ``aishell/schemas/status.schema.json``
(documented in docs/status.md); ``schema`` is its version.
"""

from __future__ import annotations

import os

SCHEMA_VERSION = 1


def docker_facts(client, plan) -> dict:
    from aishell import engine
    from aishell.builder.backends import choose

    facts = {
        "reachable": client is not None,
        "host": engine.host(),
        "version": None,
        "backend": None,
        "ca_certificates": plan.ca_certs if plan else None,
        "ca_note": plan.ca_note if plan else None,
    }
    if client is not None:
        facts["version"] = client.version().get("Version")
        facts["backend"] = choose(client).name
    return facts


def project_status(client, root: str, pstate: dict, check_updates: bool = False) -> dict:
    from aishell import labels, state
    from aishell.builder.fresh import desired_harnesses, inspect
    from aishell.builder.plan import make_plan
    from aishell.runner.spec import Host, Options, build_spec

    out: dict = {"path": root, "exists": os.path.isdir(root)}
    if not out["exists"]:
        out["tiers"] = {}
        out["harnesses"] = state.harness_versions(pstate)
        out["containers"] = []
        return out
    plan = make_plan(root, {})
    plan.harnesses = desired_harnesses(plan, pstate)
    fresh = inspect(plan, client, pstate)
    out["tiers"] = {name: _tier_json(t) for name, t in fresh.tiers.items()}
    if plan.registry:
        _registry_presence(client, plan.registry, fresh, out["tiers"])
    out["harnesses"] = dict(fresh.versions)
    if check_updates and fresh.versions and fresh.foundation is not None:
        out["updates"] = _updates(client, fresh)
    out["containers"] = [
        {"name": c.name, "state": c.status, "harness": (c.labels or {}).get(labels.HARNESS)}
        for c in client.containers.list(
            all=True, filters={"label": f"{labels.PROJECT_DIR}={root}"}, ignore_removed=True
        )
    ]
    from aishell.config import load_config

    cfg = cfg_obj = load_config(os.path.join(root, ".aishell", "config.yaml"))
    run_cfg = cfg.run or {}
    host = Host.current()._replace(cwd=root, rootless=_rootless(client))
    opts = Options(
        None,
        "shell",
        ["bash"],
        dict(run_cfg.get("env") or {}),
        run_cfg.get("isolation", "host"),
        bool(run_cfg.get("sudo")),
        False,
        False,
        tuple(run_cfg.get("docker_args") or ()),
    )
    image = fresh.image.id if fresh.image is not None else None
    spec = build_spec(
        host, root, image or "<not built>", fresh.volume, fresh.versions, opts, state.state_dir(), False, False, False
    )
    out["egress"] = egress_status(client, plan, run_cfg, cfg_obj, fresh)
    out["run"] = {
        "image": image,
        "user": spec.user,
        "home": host.home,
        "capabilities": "none" if "--cap-drop=ALL" in spec.security else "docker default (--sudo)",
        "mounts": [m.arg() for m in spec.mounts],
        "tmpfs": list(spec.tmpfs),
        "env": list(spec.env_names),
        "security": list(spec.security),
        "docker_args": list(spec.docker_args),
        "warnings": list(spec.warnings),
    }
    out["trust"] = trust_json(cfg)
    from aishell.runner.harness_state import project_divergent

    out["harness_config"] = project_divergent(host.home, state.state_dir(), root, opts.isolation)
    return out


def trust_json(cfg) -> dict:
    """The trust state of the project's config and where each privileged key came from."""
    g = cfg.grant
    return {
        "config": cfg.path,
        "user_config": cfg.user_path,
        "state": g.trust.word,
        "refused": [{"key": k, "why": why} for k, why in g.refused],
        "privileged": [{"key": k, "from": origin, "why": why} for k, origin, why in g.privileged],
    }


def _rootless(client) -> bool:
    from aishell.runner.launch import _rootless as rootless

    return rootless(client)


def egress_status(client, plan, run_cfg: dict, cfg, fresh) -> dict:
    """The project's egress policy (as a run without --egress gets it), the hosts each harness
    brings, and the proxy image: current, stale (its inputs changed) or none (never built)."""
    from aishell.builder import proxy
    from aishell.harness import BY_NAME
    from aishell.runner.egress import from_config

    eg = from_config(cfg, None)
    image = proxy.freshness(plan, client)
    if image["state"] == "stale" and image["reason"] == "not built" and eg.policy != "allowlist":
        image = {**image, "state": "none", "reason": "not built (the first --egress allowlist run builds it)"}
    return {
        "policy": eg.policy,
        "allow": list(eg.hosts),
        "harness_hosts": {
            n: list(BY_NAME[n].egress_hosts) for n in sorted(fresh.versions or plan.harnesses) if n in BY_NAME
        },
        "proxy_image": image,
        "notes": list(eg.notes),
    }


def _registry_presence(client, ref: str, fresh, tiers: dict) -> None:
    """Each tier's ``in_registry``: its exact hash is in the registry (true), is not (false),
    or the registry could not be asked (null). Manifests only: nothing is pulled."""
    from aishell.builder.extension import registry_key
    from aishell.builder.registry import Registry

    reg = Registry(ref, timeout=15)
    names = {
        "foundation": ("foundation", (fresh.tiers.get("foundation") or {}).get("hash")),
        "harness volume": ("harness", (fresh.tiers.get("harness volume") or {}).get("hash")),
    }
    from aishell import labels

    if labels.is_harness_image((fresh.tiers.get("harness volume") or {}).get("name")):
        from aishell.builder.volume import IMAGE_TIER

        names["harness volume"] = (IMAGE_TIER, names["harness volume"][1])  # the one image a registry holds
    ext = fresh.tiers.get("extension") or {}
    if ext.get("hash") and fresh.foundation is not None:
        names["extension"] = ("extension", registry_key(ext["hash"], fresh.foundation.id))
    for tier, (kind, h) in names.items():
        if tier in tiers and h:
            tiers[tier]["in_registry"] = reg.has(client, kind, h)


def _tier_json(t: dict) -> dict:
    keys = ("state", "reason", "name", "id", "hash", "created")
    out = {k: (t.get(k) if t.get(k) != "" else None) for k in keys}
    if "versions" in t:
        out["versions"] = t["versions"]
    return out


def _updates(client, fresh) -> dict:
    from aishell.builder.volume import ResolveError, _npm_view
    from aishell.harness import BY_NAME

    ref = fresh.foundation.id
    out = {}
    for name, version in sorted(fresh.versions.items()):
        try:
            latest = _npm_view(client, ref, BY_NAME[name].npm_package, "latest")
        except ResolveError as e:
            out[name] = {"current": version, "latest": None, "error": str(e)[:200], "flag": None}
            continue
        newer = latest != version
        out[name] = {"current": version, "latest": latest, "flag": f"--with-{name}={latest}" if newer else None}
    return out


def disk(inv) -> dict:
    from aishell.footprint.prune import plan as prune_plan

    images = [i for i in inv.items if i.kind != "harness-volume"]
    volumes = inv.by_kind("harness-volume")
    prunable = prune_plan(inv)
    others = [i for i in inv.items if not i.mine]
    return {
        "images": sum(i.size or 0 for i in images),
        "volumes": sum(i.size or 0 for i in volumes),
        "prunable": sum(i.size or 0 for i in prunable),
        "prunable_items": len(prunable),
        "others": sum(i.size or 0 for i in others),
        "others_items": len(others),
    }


def _one_project(client, root: str, pstate: dict, check_updates: bool, many: bool) -> dict:
    """One project's status; with --all, an odd project (bad config, odd path) is an error line
    of its own, never the failure of the whole command."""
    from aishell.errors import InputError

    try:
        if any(c in root for c in "\n\r\0"):
            raise InputError(None, f"{root!r}: a path with a line break or NUL byte cannot be mounted")
        return project_status(client, root, pstate, check_updates)
    except InputError as e:
        if not many:
            raise
        return {
            "path": root,
            "exists": os.path.isdir(root),
            "tiers": {},
            "harnesses": {},
            "containers": [],
            "error": str(e),
        }


def status(client, roots: list[str], state_data: dict, state_ok: bool, check_updates: bool, plan) -> dict:
    from aishell import state
    from aishell.footprint.inventory import collect

    doc: dict = {"schema": SCHEMA_VERSION, "docker": docker_facts(client, plan), "state_readable": state_ok}
    doc["projects"] = [
        _one_project(client, r, state.project(state_data, r), check_updates, len(roots) > 1) for r in roots
    ]
    inv = collect(client, state_data)
    doc["disk"] = disk(inv) if state_ok else {**disk(inv), "prunable": None, "prunable_items": None}
    doc["gone_projects"] = inv.gone_projects
    doc["missing"] = [{"project": p, "what": w} for p, w in inv.missing]
    return doc


def render(doc: dict, say) -> None:
    from aishell.footprint.prune import human

    d = doc["docker"]
    say(f"Docker: {d['version']} at {d['host']}, build backend {d['backend']}")
    if d.get("ca_certificates"):
        say(f"CA certificates: {d['ca_certificates']}")
    for p in doc["projects"]:
        say("")
        say(
            f"Project {p['path']!r}"
            if any(c in p["path"] for c in "\n\r")
            else f"Project {p['path']}" + ("" if p["exists"] else " (folder gone)")
        )
        if p.get("error"):
            say(f"  error:         {p['error']}")
        for name, t in p.get("tiers", {}).items():
            what = " ".join(
                filter(None, (t.get("name"), (t.get("id") or "")[7:19] or None, (t.get("created") or "")[:19] or None))
            )
            reason = f": {t['reason']}" if t.get("reason") else ""
            say(f"  {name:<15} {t['state']:<8} {what}{reason}")
        if p.get("harnesses"):
            say("  harnesses:     " + ", ".join(f"{k} {v}" for k, v in sorted(p["harnesses"].items())))
        for name, u in (p.get("updates") or {}).items():
            if u.get("flag"):
                say(f"  update:        {name} {u['current']} -> {u['latest']}: aishell build {u['flag']}")
            elif u.get("latest"):
                say(f"  update:        {name} {u['current']} is the latest")
        for c in p.get("containers", []):
            say(f"  container:     {c['name']} ({c['state']}, {c['harness']})")
        if p.get("egress"):
            e = p["egress"]
            say(f"  egress:        {e['policy']}" + (f"; allow {', '.join(e['allow'])}" if e["allow"] else ""))
            for name, hosts in e["harness_hosts"].items():
                say(f"  egress hosts:  {name}: {', '.join(hosts)}")
            t = e["proxy_image"]
            say(
                f"  egress proxy   {t['state']:<8} {t.get('name') or ''}"
                + (f": {t['reason']}" if t.get("reason") else "")
            )
        if p.get("run"):
            r = p["run"]
            say(
                f"  run as:        {r['user']}, HOME {r['home']}; capabilities: {r['capabilities']}; {' '.join(r['security'])}"
            )
            for m in r["mounts"]:
                say(f"  mount:         {m}")
            for t in r["tmpfs"]:
                say(f"  tmpfs:         {t}")
            say("  env:           " + " ".join(r["env"]))
            if r["docker_args"]:
                say("  docker args:   " + " ".join(r["docker_args"]))
            for w in r["warnings"]:
                say(f"  {w}")
        if p.get("trust"):
            t = p["trust"]
            say(f"  config:        {t['config'] or '-'} ({t['state']}); user config {t['user_config'] or '-'}")
            for k in t["privileged"]:
                say(f"  privileged:    {k['key']} from the {k['from']} config: {k['why']}")
            for k in t["refused"]:
                say(f"  refused:       {k['key']} (untrusted; `aishell trust` grants it): {k['why']}")
        for name, files in sorted((p.get("harness_config") or {}).items()):
            say(f"  config:        {name}: {', '.join(files)} differ from the host's (aishell config diff {name})")
    disk_ = doc["disk"]
    say("")
    prunable = (
        "unknown (state unreadable)"
        if disk_["prunable"] is None
        else f"{human(disk_['prunable'])} in {disk_['prunable_items']} items"
    )
    say(
        f"Disk: images {human(disk_['images'])}, harness volumes {human(disk_['volumes'])}; `aishell prune` would free {prunable}"
    )
    if disk_.get("others_items"):
        say(
            f"      of which {human(disk_['others'])} in {disk_['others_items']} items of other users or state folders "
            "(never counted as freeable)"
        )
    for g in doc["gone_projects"]:
        say(f"note: {g}: folder gone (aishell prune --gone-projects frees what only it uses)")
    for m in doc["missing"]:
        say(f"note: {m['project']}: the state names {m['what']}, which no longer exists (aishell prune drops it)")


def volumes_list(client, state_data: dict) -> list[dict]:
    from aishell.footprint.inventory import collect

    inv = collect(client, state_data)
    harnesses = inv.by_kind("harness-volume") + inv.by_kind("harness-image")  # whichever layout the engine uses
    return [v.to_json() for v in sorted(harnesses, key=lambda v: v.created)]
