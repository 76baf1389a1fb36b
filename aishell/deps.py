"""Which commands install third-party dependencies, and from which manifest files.

Used by AIS101. ``manifests`` are paths relative to the command's working
folder; ``extra`` are optional companions (lock files) copied when they exist.
"""

from __future__ import annotations

from typing import NamedTuple

PY_LAUNCHERS = {"python", "python3", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14"}


class DepInstall(NamedTuple):
    tool: str  # what to call it in messages, e.g. "npm ci"
    manifests: tuple[str, ...]  # needed
    extra: tuple[str, ...]  # copied too when present (lock files)
    needs_source: bool  # the command also installs the project itself (uv sync without --no-install-project)


NODE = {
    "npm": ("package.json", ("package-lock.json", "npm-shrinkwrap.json")),
    "yarn": ("package.json", ("yarn.lock", ".yarnrc.yml")),
    "pnpm": ("package.json", ("pnpm-lock.yaml", "pnpm-workspace.yaml")),
    "bun": ("package.json", ("bun.lockb", "bun.lock")),
}


def _base(word: str) -> str:
    return word.rsplit("/", 1)[-1]


def find_dep_install(argv: list[str]) -> DepInstall | None:
    if not argv:
        return None
    tool, args = _base(argv[0]), argv[1:]
    if tool in PY_LAUNCHERS and args[:2] == ["-m", "pip"]:
        tool, args = "pip", args[2:]
    if tool == "uv" and args[:1] == ["pip"]:
        tool, args = "pip", args[1:]
    if tool in ("pip", "pip3"):
        return _pip(args)
    sub = next((a for a in args if not a.startswith("-")), None)
    positional = [a for a in args if not a.startswith("-")]
    if tool == "uv" and sub == "sync":
        proj = not any(a in ("--no-install-project", "--no-install-workspace", "--only-deps") for a in args)
        return DepInstall("uv sync", ("pyproject.toml",), ("uv.lock",), proj)
    if tool == "poetry" and sub == "install":
        return DepInstall(
            "poetry install",
            ("pyproject.toml",),
            ("poetry.lock",),
            "--no-root" not in args and "--only-root" not in args,
        )
    if tool == "pipenv" and sub in ("install", "sync") and len(positional) == 1:
        return DepInstall(f"pipenv {sub}", ("Pipfile",), ("Pipfile.lock",), False)
    if tool in NODE:
        manifest, locks = NODE[tool]
        if (
            tool == "npm"
            and sub == "ci"
            or (sub in ("install", "i") and len(positional) == 1)
            or (tool == "yarn" and not positional)
        ):
            return DepInstall(f"{tool} {sub or ''}".strip(), (manifest,), locks, False)
        return None
    if tool == "bundle" and sub == "install":
        return DepInstall("bundle install", ("Gemfile",), ("Gemfile.lock",), False)
    if tool == "composer" and sub == "install":
        return DepInstall("composer install", ("composer.json",), ("composer.lock",), False)
    if tool == "go" and positional[:2] == ["mod", "download"]:
        return DepInstall("go mod download", ("go.mod",), ("go.sum",), False)
    if tool == "cargo" and sub == "fetch":
        return DepInstall("cargo fetch", ("Cargo.toml",), ("Cargo.lock",), False)
    if tool == "dotnet" and sub == "restore":
        return DepInstall("dotnet restore", (), (), False)
    return None


def _pip(args: list[str]) -> DepInstall | None:
    if not args or args[0] != "install":
        return None
    reqs: list[str] = []
    constraints: list[str] = []
    project = False
    i = 1
    while i < len(args):
        a = args[i]
        if a in ("-r", "--requirement", "-c", "--constraint") and i + 1 < len(args):
            (reqs if a in ("-r", "--requirement") else constraints).append(args[i + 1])
            i += 2
            continue
        for flag, bucket in (
            ("--requirement=", reqs),
            ("--constraint=", constraints),
            ("-r", reqs),
            ("-c", constraints),
        ):
            if a.startswith(flag) and len(a) > len(flag):
                bucket.append(a[len(flag) :])
                break
        else:
            if a in ("-e", "--editable") or (
                not a.startswith("-") and (a.startswith((".", "/")) or a.endswith((".whl", ".tar.gz")))
            ):
                project = True
        i += 1
    if not reqs:
        return None
    return DepInstall("pip install -r", tuple(reqs), tuple(constraints), project)


# Commands that read nothing from the build context: they may share a RUN with an install.
NO_SOURCE = {
    "rm",
    "mkdir",
    "echo",
    "true",
    "chmod",
    "chown",
    "ln",
    "test",
    "[",
    "set",
    "export",
    "apt-get",
    "apt",
    "apk",
    "yum",
    "dnf",
    "corepack",
    "update-ca-certificates",
    "useradd",
    "groupadd",
    "adduser",
}


def reads_no_source(argv: list[str]) -> bool:
    """True for commands that cannot depend on files COPY brought in."""
    if not argv:
        return True
    tool = _base(argv[0])
    if tool in NO_SOURCE:
        return True
    if tool in PY_LAUNCHERS and argv[1:3] == ["-m", "venv"] or tool == "virtualenv":
        return True
    if tool in ("pip", "pip3") or (tool in PY_LAUNCHERS and argv[1:3] == ["-m", "pip"]):
        rest = argv[3:] if tool in PY_LAUNCHERS else argv[1:]
        # `pip install --upgrade pip setuptools`: packages by name only.
        return (
            bool(rest)
            and rest[0] == "install"
            and all(
                a.startswith("-") and a not in ("-r", "-c", "-e") or (a[:1].isalpha() and "/" not in a)
                for a in rest[1:]
            )
        )
    if tool in ("npm", "yarn", "pnpm") and argv[1:2] == ["config"]:
        return True
    return False
