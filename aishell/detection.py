"""Sensitive files in the project, named before a run (as the original aishell did).

The project is mounted into the container, so an agent can read every file in it: a ``.env``,
a private key or a cloud credential file there is handed to the agent. aishell does not hide
them (the project is the user's choice); it names them on stderr before the run starts, once
per run, so the user can move them out or say they are fine (``run.detection.allowlist``).

Matched by file name (case-insensitive), like the original's built-in detectors, plus the
config's ``run.detection.custom_patterns`` (globs on the path relative to the project, or on
the name). The walk skips version-control, dependency and cache folders and stops after
MAX_ENTRIES entries, so a huge tree costs a bounded time.
"""

from __future__ import annotations

import fnmatch
import os

from aishell.discovery import walk

SKIP_DIRS = {
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    ".venv",
    "venv",
    "__pycache__",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "target",
    "dist",
    "build",
    ".next",
    ".gradle",
    ".m2",
    ".cache",
}
MAX_ENTRIES = 200_000
SHOWN = 8

# (test on the lower-cased name, reason)
_RULES = (
    (
        lambda n: n == ".env" or (n.startswith(".env.") and not any(w in n for w in ("example", "sample", "template"))),
        "environment file",
    ),
    (lambda n: n == ".envrc", "direnv file"),
    (lambda n: n in ("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519") or n.endswith(".ppk"), "SSH private key"),
    (lambda n: n.endswith((".p12", ".pfx", ".jks", ".keystore")), "key container"),
    (lambda n: n.endswith((".pem", ".key")), "PEM or key file"),
    (lambda n: n == "application_default_credentials.json", "GCP credentials"),
    (lambda n: n in (".npmrc", ".pypirc", ".netrc", ".git-credentials"), "credentials file"),
    (lambda n: n.endswith(".tfstate"), "Terraform state (holds secrets)"),
)
_PATH_RULES = (
    (".aws/credentials", "AWS credentials"),
    (".docker/config.json", "Docker registry credentials"),
    (".kube/config", "Kubernetes credentials"),
    (".azure/accesstokens.json", "Azure credentials"),
)


def _allowed(rel: str, allowlist: list[str]) -> bool:
    name = os.path.basename(rel)
    return any(rel == a or name == a or fnmatch.fnmatch(rel, a) or fnmatch.fnmatch(name, a) for a in allowlist)


def scan(root: str, detection: dict | None = None) -> list[tuple[str, str]]:
    """(path relative to the project, reason) for each sensitive file, sorted."""
    detection = detection or {}
    if detection.get("enabled", True) is False:
        return []
    custom = detection.get("custom_patterns") or []  # [glob, reason] pairs (aishell.run_config)
    allowlist = detection.get("allowlist") or []
    found: list[tuple[str, str]] = []
    seen = 0
    for folder, dirs, names in walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        seen += len(dirs) + len(names)
        if seen > MAX_ENTRIES:
            break
        for name in names:
            rel = os.path.relpath(os.path.join(folder, name), root)
            low = name.lower()
            reason = next((why for test, why in _RULES if test(low)), None)
            if reason is None:
                reason = next(
                    (why for tail, why in _PATH_RULES if rel.replace(os.sep, "/").lower().endswith(tail)), None
                )
            if reason is None:
                reason = next(
                    (why for pat, why in custom if fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(name, pat)), None
                )
            if reason is not None and not _allowed(rel, allowlist):
                found.append((rel, reason))
    return sorted(found)


def warning(root: str, detection: dict | None = None) -> str | None:
    """One line naming the files, or None."""
    found = scan(root, detection)
    if not found:
        return None
    shown = ", ".join(f"{rel} ({why})" for rel, why in found[:SHOWN])
    more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    return (
        f"aishell: warning: the agent can read these sensitive files in the project: {shown}{more} "
        "(run.detection.allowlist names the ones that are fine)"
    )
