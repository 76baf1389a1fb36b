"""Which commands install third-party dependencies, and from which manifest files.

Used by AIS101. ``manifests`` are paths relative to the command's working
folder; ``extra`` are optional companions (lock files) copied when they exist.
"""

from __future__ import annotations

import re
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
    got = pip_install_words(args[1:])
    if not got.reqs:
        return None
    return DepInstall("pip install -r", tuple(got.reqs), tuple(got.constraints), got.project)


# pip install's long options (pip 23), each with whether it takes a value: pip (optparse) takes
# any unambiguous prefix of one (`--edit=.` is `--editable=.`), so a word is read as the one
# option it abbreviates.
_PIP_LONG = dict.fromkeys(
    "no-deps pre dry-run user upgrade force-reinstall ignore-installed ignore-requires-python "
    "no-build-isolation use-pep517 no-use-pep517 check-build-dependencies break-system-packages compile "
    "no-compile no-warn-script-location no-warn-conflicts prefer-binary require-hashes no-clean no-index "
    "help debug isolated require-virtualenv verbose version quiet no-input no-cache-dir "
    "disable-pip-version-check no-color no-python-version-warning".split(),
    False,
) | dict.fromkeys(
    "requirement constraint editable target platform python-version implementation abi root prefix src "
    "upgrade-strategy config-settings global-option no-binary only-binary progress-bar root-user-action report "
    "index-url extra-index-url find-links python log keyring-provider proxy retries timeout exists-action "
    "trusted-host cert client-cert cache-dir use-feature use-deprecated".split(),
    True,
)


# Each long option, and each prefix of one that abbreviates it alone, -> the option (an
# ambiguous prefix, `--re`, -> None: pip refuses it).
def _prefixes(names) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in names:
        for k in range(1, len(name)):
            out[name[:k]] = None if name[:k] in out else name
    return out | {name: name for name in names}


_PIP_PREFIX = _prefixes(_PIP_LONG)
_PIP_SHORT = {"r": "requirement", "c": "constraint", "e": "editable", "t": "target", "C": "config-settings"}
_PIP_SHORT |= {"i": "index-url", "f": "find-links"}
_PIP_SHORT_FLAGS = set("UIqvhV")
# Options whose value names a file or folder the install reads (find-links and index-url: unless a URL).
_PIP_INDEX = {"find-links", "index-url", "extra-index-url"}
_PIP_READS = {"cert", "client-cert"} | _PIP_INDEX
# A requirement by name (`flask`, `Flask[async]>=2,<3`, `x; python_version<"3.9"`), or `name @ URL`.
_PIP_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[[^\]/]*\])?(?:\s*[<>=!~;(][^/@]*)?")
_REMOTE = re.compile(r"(?![A-Za-z0-9+.-]*file:)[A-Za-z][A-Za-z0-9+.-]*://", re.I)  # not file:, git+file:


# A word that names a file rather than a package: pip takes no requirement by such a name.
_FILE_LIKE = re.compile(r"\.(?:txt|in|pem|crt|cer|cfg|conf|toml|ini|json|ya?ml|lock)$", re.I)


class PipWords(NamedTuple):
    reqs: list[str]  # -r files
    constraints: list[str]  # -c files
    project: bool  # installs local code: an editable install, a local path or archive, `git+file:`
    unknown: bool  # an option the rule does not know, or one whose value is a file the install reads


def pip_install_words(args: list[str]) -> PipWords:
    """pip install's arguments (after `install`) read as pip reads them: long options by any
    unambiguous prefix, short ones with their value attached or next, positionals as
    requirements (a name, `name @ URL`, a remote URL) or local code (any other: a path, an archive,
    `git+file:`)."""
    reqs: list[str] = []
    constraints: list[str] = []
    project = unknown = False
    i = 0
    valued = False  # the word before was another installer's option that may take this word
    while i < len(args):
        a = args[i]
        i += 1
        after_option, valued = valued, False
        if a.startswith("--") and len(a) > 2:
            word, eq, val = a[2:].partition("=")
            opt = _PIP_PREFIX.get(word)
            if opt is None:
                # Not pip's (pip refuses it), or another installer's (`uv pip install
                # --override o.txt`): read as a flag, a file-like word after it stays unknown.
                unknown = unknown or "$" in a or _FILE_LIKE.search(val) is not None
                valued = not eq
                continue
            if _PIP_LONG[opt] and not eq:
                val = args[i] if i < len(args) else ""
                i += 1
        elif a.startswith("-") and len(a) > 1:
            k = 1
            while k < len(a) and a[k] in _PIP_SHORT_FLAGS:
                k += 1
            if k == len(a):
                continue
            opt = _PIP_SHORT.get(a[k])
            if opt is None:
                unknown = True
                continue
            val = a[k + 1 :]
            if not val:
                val = args[i] if i < len(args) else ""
                i += 1
        else:
            if "$" in a or _FILE_LIKE.search(a) and (after_option or not _PIP_NAME.fullmatch(a)):
                # A variable (any name or path), or a file an option names; a package whose name
                # ends like one (`ruamel.yaml`, `flufl.lock`) is a package.
                unknown = True
            elif a.endswith((".whl", ".tar.gz")) or not _PIP_NAME.fullmatch(a) and not _REMOTE.match(a):
                head, at, url = a.partition("@")
                if not (at and _PIP_NAME.fullmatch(head.strip()) and _REMOTE.match(url.strip())):
                    project = True
            continue
        if opt == "requirement" or opt == "constraint":
            if val:
                (reqs if opt == "requirement" else constraints).append(val)
        elif opt == "editable":
            project = True
        elif "$" in val or opt in _PIP_READS and not (opt in _PIP_INDEX and _REMOTE.match(val)):
            unknown = True
    return PipWords(reqs, constraints, project, unknown)


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
        if not rest or rest[0] != "install":
            return False
        # `pip install --upgrade pip setuptools`: packages by name only.
        got = pip_install_words(rest[1:])
        return not (got.reqs or got.constraints or got.project or got.unknown)
    if tool in ("npm", "yarn", "pnpm") and argv[1:2] == ["config"]:
        return True
    return False
