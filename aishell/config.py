"""Project configuration: ``.aishell/config.yaml``.

Found by walking up from a file (or the current folder) to the nearest folder
that holds ``.aishell/``, layered over the user's own ``$XDG_CONFIG_HOME/aishell/config.yaml``
(trusted). The project's privileged keys count only once the user trusted the file
(``aishell/trust.py`` decides). Lint settings live under ``lint:``; build settings
under ``build:``; run settings (``aishell claude``, ``shell``, ``exec``) under ``run:``. Unknown keys and codes are errors (exit 2), not silence.
"""

from __future__ import annotations

import os
from aishell.yaml_text import Refused, load_checked
from aishell.errors import ConfigError, may_exist, read_text, shown
from aishell.findings import SEVERITIES
from aishell.run_config import EXTRA_RUN_KEYS

LINT_KEYS = {"select", "ignore", "severity", "fail-level"}
BUILD_KEYS = {"harnesses", "ca_certificates", "base_images", "registry", "push"}
RUN_KEYS = {"isolation", "env", "sudo", "docker_args", "egress"} | EXTRA_RUN_KEYS  # the extra ones: aishell.run_config
TOP_KEYS = {"lint", "build", "run", "legacy"}  # legacy: the original aishell's keys with no equivalent, kept
ISOLATION = ("host", "project", "shared")  # aishell/runner/harness_state.py


class LintConfig:
    def __init__(self) -> None:
        self.select: list[str] | None = None
        self.ignore: list[str] = []
        self.severity: dict[str, str] = {}
        self.fail_level: str | None = None


class Config:
    def __init__(
        self,
        root: str | None,
        path: str | None,
        lint: LintConfig | None = None,
        build: dict | None = None,
        run: dict | None = None,
    ):
        self.root = root  # the project folder (holds .aishell/), None when there is none
        self.path = path  # the config file, when it exists
        self.lint = lint or LintConfig()
        self.build = build or {}
        self.run = run or {}
        self.grant = None  # aishell.trust.Grant: origins, trust state, refused keys
        self.user_path: str | None = None  # the user config, when it exists


def find_project_root(start: str) -> str | None:
    """The nearest folder at or above ``start`` that holds ``.aishell/`` (remembered per folder
    during a lint or migrate run: aishell.paths)."""
    from aishell.paths import project_root

    return project_root(start)


_cache: dict[str | None, Config] = {}


def load_config(start: str) -> Config:
    root = find_project_root(start)
    if root in _cache:
        return _cache[root]
    cfg = _load(root)
    _cache[root] = cfg
    return cfg


def clear_cache() -> None:
    """Forget loaded configs (after ``aishell trust`` changed what the project's grants)."""
    _cache.clear()


def _codes(path: str, key: str, value) -> list[str]:
    from aishell.lint_rules import known_code_prefix

    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(path, f"lint.{key} must be a list of rule codes")
    for code in value:
        # An empty code is a prefix of every code: `ignore: ""` silenced every rule, AIS001's
        # errors too, with exit 0 (the command line's --ignore= drops empty items instead).
        if not code or not known_code_prefix(code):
            raise ConfigError(path, f"lint.{key}: unknown rule code {shown(code)}")
    return [v.upper() for v in value]


def user_config_path() -> str:
    """The user's own config: trusted, it may set every key (``$XDG_CONFIG_HOME/aishell/config.yaml``)."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "aishell", "config.yaml")


def _read_yaml(path: str) -> dict:

    text = read_text(path)
    try:
        _, data = load_checked(text)
    except Refused as e:
        raise ConfigError(path, str(e)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(path, "the top level must be a mapping")
    if data.get("run") is not None and not isinstance(data["run"], dict):
        raise ConfigError(path, "run: must be a mapping")  # before the original's keys are moved into it
    from aishell.run_config import legacy_hook

    data = legacy_hook(path, data)  # the original aishell's top-level keys, read as run: (aishell.legacy_config)
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise ConfigError(
            path, f"unknown key {shown(str(sorted(map(str, unknown))[0]))} (known: {', '.join(sorted(TOP_KEYS))})"
        )
    return data


def _layer(origin: str, path: str):
    """One file's validated settings: only the keys it sets (defaults are applied where used)."""
    from aishell.trust import Layer

    data = _read_yaml(path)
    # (`lint:` with nothing is None, an empty section; `lint: []`, `0`, `false` or `""` are no
    # mapping, refused as `lint: x` is: `or {}` took every empty value for an empty section)
    lint = {} if data.get("lint") is None else data["lint"]
    if not isinstance(lint, dict):
        raise ConfigError(path, "lint: must be a mapping")
    _lint_section(path, lint)  # validated here, so an error names this file
    build = {} if data.get("build") is None else data["build"]
    if not isinstance(build, dict):
        raise ConfigError(path, "build: must be a mapping")
    unknown = set(build) - BUILD_KEYS
    if unknown:
        raise ConfigError(
            path, f"build: unknown key {shown(sorted(map(str, unknown))[0])} (known: {', '.join(sorted(BUILD_KEYS))})"
        )
    _build_types(path, build)
    values = {"lint": dict(lint), "build": dict(build), "run": _run_section(path, data.get("run"))}
    return Layer(origin, path, {k: v for k, v in values.items() if v})


def _text(value) -> bool:
    return isinstance(value, str) and "\0" not in value


def _build_types(path: str, build: dict) -> None:
    """Each ``build:`` key's type, checked where the file is named (trust and the plan read the
    values later: a number where a path belongs, a mapping where a harness name belongs, once
    crashed every command). What the values mean is the plan's (aishell/builder/plan.py)."""
    from aishell.harness import BY_NAME

    harnesses = build.get("harnesses")
    if harnesses is not None:
        names = harnesses if isinstance(harnesses, list) else harnesses if isinstance(harnesses, dict) else None
        if names is None:
            raise ConfigError(path, "build.harnesses must list harness names or map them to versions")
        for name in names:
            if not isinstance(name, str) or name not in BY_NAME:
                raise ConfigError(path, f"build.harnesses: unknown harness {shown(name)} (known: {', '.join(BY_NAME)})")
        if isinstance(harnesses, dict):
            for name, spec in harnesses.items():
                if not (spec is None or isinstance(spec, (bool, int, float)) or _text(spec)):
                    raise ConfigError(path, f"build.harnesses.{name}: a version (text), true or false")
    for key in ("ca_certificates", "registry"):
        if build.get(key) is not None and not _text(build[key]):
            raise ConfigError(
                path, f"build.{key} must be text (a {'path' if key == 'ca_certificates' else 'registry path'})"
            )
    if build.get("push") is not None and not isinstance(build["push"], bool):
        raise ConfigError(path, "build.push must be true or false")
    bases = build.get("base_images")
    if bases is not None:
        if not isinstance(bases, dict):
            raise ConfigError(path, "build.base_images must map debian/node to image references")
        for name, image in bases.items():
            if name not in ("debian", "node"):
                raise ConfigError(path, f"build.base_images: unknown key {shown(name)} (known: debian, node)")
            if image is not None and not _text(image):
                raise ConfigError(path, f"build.base_images.{name} must be an image reference (text)")


def _load(root: str | None) -> Config:
    """The user config, then the project's on top; privileged project keys only when trusted
    (``aishell.trust.grant`` decides, and records where each effective key came from)."""
    from aishell.trust import grant

    layers = []
    user = user_config_path()
    path = os.path.join(root, ".aishell", "config.yaml") if root is not None else None
    if os.path.lexists(user):  # (a user config in a home this user may not search: none)
        layers.append(_layer("user", user))
    else:
        from aishell.run_config import original_global_hint

        original_global_hint(path)
    # (may_exist: a project config that is a FIFO, a folder, a link to nothing or to itself, or
    # behind an unsearchable `.aishell/`, is read and so named, one line, exit 2; os.path.exists
    # and isfile dropped it, its `lint: ignore:` and `run:` keys, without a word.)
    if path is not None and may_exist(path):
        from aishell.discovery import LINKS_OUT, links_out

        if links_out(path, root):  # (a cloned repository's link to a file of the user's: never read)
            raise ConfigError(path, LINKS_OUT)
        layers.append(_layer("project", path))
    else:
        path = None
    if len(layers) == 2:  # the original's merge of lists (aishell.run_config.stack)
        from aishell.run_config import stack
        from aishell.trust import trust_state

        # ``extends: none`` drops the user's run: defaults (egress, isolation, detection): only a
        # trusted project may; an untrusted one is stacked as usual and grant() refuses the key.
        runs = stack(
            layers[0].values.get("run") or {},
            layers[1].values.get("run") or {},
            honour_extends=trust_state(path).trusted,
        )
        layers = [
            layer._replace(
                values={**{k: v for k, v in layer.values.items() if k != "run"}, **({"run": r} if r else {})}
            )
            for layer, r in zip(layers, runs)
        ]
    g = grant(layers, root)
    lint = dict(g.values.get("lint") or {})
    cfg = Config(root, path, _lint_section(path, lint), g.values.get("build") or {}, g.values.get("run") or {})
    cfg.grant = g
    cfg.user_path = user if layers and layers[0].origin == "user" else None
    return cfg


def _lint_section(path: str | None, lint: dict) -> LintConfig:
    unknown = set(lint) - LINT_KEYS
    if unknown:
        # Keys of any YAML type (`on:` reads as True): sorted by their text, never compared as values.
        key = sorted(unknown, key=lambda k: (not isinstance(k, bool), str(k)))[0]
        hint = " (YAML reads an unquoted on/off/yes/no as a boolean)" if isinstance(key, bool) else ""
        raise ConfigError(path, f"lint: unknown key {shown(key)}{hint} (known: {', '.join(sorted(LINT_KEYS))})")
    lc = LintConfig()
    if "select" in lint:
        lc.select = _codes(path, "select", lint["select"])
    if "ignore" in lint:
        lc.ignore = _codes(path, "ignore", lint["ignore"])
    sev = {} if lint.get("severity") is None else lint["severity"]
    if not isinstance(sev, dict):
        raise ConfigError(path, "lint.severity must map rule codes to info, warning or error")
    from aishell.lint_rules import by_code

    for code, level in sev.items():
        if str(code).upper() not in by_code():
            raise ConfigError(
                path, f"lint.severity: {shown(code)} is not a rule code (a severity is set per rule, e.g. AIS003)"
            )
        if level not in SEVERITIES:
            raise ConfigError(path, f"lint.severity.{code}: {shown(level)} is not one of {', '.join(SEVERITIES)}")
        if str(code).upper() in lc.severity:
            # `AIS001` and `ais001` name one rule: YAML keeps both keys, and the last would win silently.
            raise ConfigError(path, f"lint.severity: {shown(code)} sets {str(code).upper()} again; keep one")
        lc.severity[str(code).upper()] = level
    if "fail-level" in lint:
        if lint["fail-level"] not in SEVERITIES:
            raise ConfigError(
                path, f"lint.fail-level: {shown(lint['fail-level'])} is not one of {', '.join(SEVERITIES)}"
            )
        lc.fail_level = lint["fail-level"]
    return lc


def _run_section(path: str, run) -> dict:
    """``run:``: isolation (host|project|shared), env (NAME or NAME=VALUE list, or a mapping), sudo, docker_args.
    Only the keys the file sets (layering needs to know which); docker_args are parsed here."""
    run = run or {}
    if not isinstance(run, dict):
        raise ConfigError(path, "run: must be a mapping")
    unknown = set(run) - RUN_KEYS
    if unknown:
        raise ConfigError(
            path, f"run: unknown key {shown(sorted(map(str, unknown))[0])} (known: {', '.join(sorted(RUN_KEYS))})"
        )
    from aishell.run_config import normalize, present

    run = normalize(path, run)
    out: dict = present(path, run)  # mounts, ports, pre_start, harness_args, detection, extends
    if "isolation" in run:
        if run["isolation"] not in ISOLATION:
            raise ConfigError(path, f"run.isolation: {shown(run['isolation'])} is not one of {', '.join(ISOLATION)}")
        out["isolation"] = run["isolation"]
    if "sudo" in run:
        if not isinstance(run["sudo"], bool):
            raise ConfigError(path, "run.sudo must be true or false")
        out["sudo"] = run["sudo"]
    env = run.get("env") or {}
    if isinstance(env, list):
        env = dict((e.split("=", 1) + [None])[:2] if isinstance(e, str) else (None, None) for e in env)
    if not isinstance(env, dict) or not all(isinstance(k, str) and k and "=" not in k and "." not in k for k in env):
        raise ConfigError(path, "run.env must be a list of NAME or NAME=VALUE, or a mapping of names to values")
    for k, v in env.items():
        if isinstance(v, (dict, list, tuple, set)):
            kind = "a mapping" if isinstance(v, dict) else "a list"
            raise ConfigError(
                path, f"run.env: the value of {shown(k)} is {kind}: a variable holds text, a number or true/false"
            )
    if env:
        out["env"] = {k: (None if v is None else str(v)) for k, v in env.items()}
    args = run.get("docker_args") or []
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        raise ConfigError(path, "run.docker_args must be a list of strings")
    if args:
        from aishell.trust import parse_docker_args

        parse_docker_args(args, path)  # unknown options and positionals: one line, exit 2
        out["docker_args"] = args
    if "egress" in run:  # validated in its own room (docs/egress.md)
        from aishell.runner.egress_policy import parse_config

        out["egress"] = parse_config(path, run["egress"])
    return out
