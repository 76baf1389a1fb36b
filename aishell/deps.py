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
    positional = [a for a in args if not a.startswith("-")]
    sub = positional[0] if positional else None
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
    rest = pip_install_args(args)
    if rest is None:
        return None
    got = pip_install_words(rest)
    if not got.reqs:
        return None
    return DepInstall("pip install -r", tuple(got.reqs), tuple(got.constraints), got.project)


# pip install's options, read from pip's own parser (the install command's options and pip's
# general options) in releases 8.1 to 26.2, which all agree on whether each takes a value; an
# option one release dropped (`--install-option`) or another added (`--group`) is kept, as old and
# new pips are both in use. tests/test_pip_options.py holds the table to the installed pip.
_PIP_FLAGS = (
    "allow-all-external break-system-packages check-build-dependencies compile debug disable-pip-version-check "
    "dry-run egg force-reinstall help ignore-installed ignore-requires-python isolated no-allow-external "
    "no-allow-insecure no-build-isolation no-cache-dir no-clean no-color no-compile no-dependencies no-deps "
    "no-index no-input no-proxy-env no-python-version-warning no-require-hashes no-use-pep517 no-use-wheel "
    "no-user no-warn-conflicts no-warn-script-location only-dependencies only-deps pre prefer-binary "
    "process-dependency-links quiet require-hashes require-venv require-virtualenv upgrade use-pep517 use-wheel "
    "user verbose version"
).split()
_PIP_VALUED = (
    "abi all-releases allow-external allow-insecure allow-unverified build build-constraint build-dir "
    "build-directory cache-dir cert client-cert config-settings constraint default-timeout default-vcs download "
    "download-dir download-directory editable exists-action extra-index-url find-links global-option group "
    "implementation index-url install-option keyring-provider local-log log log-file no-binary only-binary "
    "only-final platform prefix progress-bar proxy pypi-url python python-version refresh-package report "
    "requirement requirements-from-script resume-retries retries root root-user-action skip-requirements-regex "
    "source source-dir source-directory src target timeout trusted-host upgrade-strategy uploaded-prior-to "
    "use-deprecated use-feature"
).split()
# An option's other names -> its first one.
_PIP_ALIAS = {
    "allow-insecure": "allow-unverified",
    "build-dir": "build",
    "build-directory": "build",
    "default-timeout": "timeout",
    "download-dir": "download",
    "download-directory": "download",
    "local-log": "log",
    "log-file": "log",
    "no-dependencies": "no-deps",
    "only-dependencies": "only-deps",
    "pypi-url": "index-url",
    "require-venv": "require-virtualenv",
    "source": "src",
    "source-dir": "src",
    "source-directory": "src",
}
_PIP_SHORT = {"r": "requirement", "c": "constraint", "e": "editable", "t": "target", "C": "config-settings"}
_PIP_SHORT |= {"i": "index-url", "f": "find-links", "b": "build", "d": "download"}
_PIP_SHORT_FLAGS = set("UIqvhV")


def _prefixes() -> dict[str, tuple[bool | None, frozenset[str]]]:
    """Each long option, and each prefix of one (pip, with optparse, takes any prefix that one
    option alone starts with: `--edit=.` is `--editable=.`) -> (whether it takes a value, None
    when the options it may abbreviate disagree; the options it may be)."""
    takes = dict.fromkeys(_PIP_FLAGS, False) | dict.fromkeys(_PIP_VALUED, True)
    names: dict[str, set[str]] = {}
    for name in takes:
        for k in range(1, len(name)):
            names.setdefault(name[:k], set()).add(name)
    names |= {name: {name} for name in takes}
    out = {}
    for word, cands in names.items():
        arity = {takes[c] for c in cands}
        out[word] = (arity.pop() if len(arity) == 1 else None, frozenset(_PIP_ALIAS.get(c, c) for c in cands))
    return out


_PIP_PREFIX = _prefixes()
# Options whose value names a file or folder the install reads (find-links and index-url: unless a URL).
_PIP_INDEX = {"find-links", "index-url", "extra-index-url"}
_PIP_READS = {"cert", "client-cert", "build-constraint", "requirements-from-script", "group"} | _PIP_INDEX
# The options whose meaning the reading below depends on.
_PIP_MEANT = {"requirement", "constraint", "editable"} | _PIP_READS
# Options whose value names a file or folder the install WRITES: relative (or a variable), it is
# under the working directory, which a later `COPY . .` overlays (AIS101's fix would move the
# install before it: `--target ./vendor` then a stale vendor/ from the context over it).
_PIP_WRITES = {"target", "prefix", "root", "src", "log", "report", "build", "download", "cache-dir"}
# A requirement by name (`flask`, `Flask[async]>=2,<3`, `x; python_version<"3.9"`), or `name @ URL`.
_PIP_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[[^\]/]*\])?(?:\s*[<>=!~;(][^/@]*)?")
_REMOTE = re.compile(r"(?![A-Za-z0-9+.-]*file:)[A-Za-z][A-Za-z0-9+.-]*://", re.I)  # not file:, git+file:


# A word that names a file rather than a package: pip takes no requirement by such a name.
_FILE_LIKE = re.compile(r"\.(?:txt|in|pem|crt|cer|cfg|conf|toml|ini|json|ya?ml|lock)$", re.I)


def pip_install_args(args: list[str]) -> list[str] | None:
    """The words after `install` in pip's arguments, past pip's general options, which may come
    before the command (`pip -q --log /tmp/l install x`); None for another command, or an option
    there that pips read differently."""
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] not in ("-", "--"):
        a = args[i]
        i += 1
        if a.startswith("--"):
            word, eq, _ = a[2:].partition("=")
            takes = _PIP_PREFIX.get(word, (None,))[0]
            if takes is None:
                return None
            i += takes and not eq
        elif a.strip("-vqhV"):  # pip's general short options take no value
            return None
    i += i < len(args) and args[i] == "--"
    return args[i + 1 :] if args[i : i + 1] == ["install"] else None


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
    operands = False  # after `--`: every word is a requirement or a path
    while i < len(args):
        a = args[i]
        i += 1
        after_option, valued = valued, False
        if operands or a == "-" or not a.startswith("-"):
            if "$" in a or _FILE_LIKE.search(a) and (after_option or not _PIP_NAME.fullmatch(a)):
                # A variable (any name or path), or a file an option names; a package whose name
                # ends like one (`ruamel.yaml`, `flufl.lock`) is a package.
                unknown = True
            elif a.endswith((".whl", ".tar.gz")) or not _PIP_NAME.fullmatch(a) and not _REMOTE.match(a):
                head, at, url = a.partition("@")
                if not (at and _PIP_NAME.fullmatch(head.strip()) and _REMOTE.match(url.strip())):
                    project = True
            continue
        if a == "--":
            operands = True
            continue
        if a.startswith("--"):
            word, eq, val = a[2:].partition("=")
            got = _PIP_PREFIX.get(word)
            if got is None or got[0] is None:
                # Not pip's (pip refuses it), or another installer's (`uv pip install
                # --override o.txt`): read as a flag, a file-like word after it stays unknown.
                # An abbreviation that one pip reads as a flag and another as taking a value
                # (`--only` is `--only-binary` in pip 23, ambiguous in pip 26): unknown.
                unknown = unknown or got is not None or "$" in a or _FILE_LIKE.search(val) is not None
                valued = not eq
                continue
            takes, opts = got
            if takes and not eq:
                val = args[i] if i < len(args) else ""
                i += 1
            if len(opts) > 1:
                # An abbreviation pips read differently (`--requirem` is `--requirement` until pip
                # 26 adds `--requirements-from-script`): each reading counts, and the words are
                # unknown if the reading matters.
                unknown = unknown or "$" in val or not opts.isdisjoint(_PIP_MEANT)
                if val and "requirement" in opts:
                    reqs.append(val)
                if val and "constraint" in opts:
                    constraints.append(val)
                project = project or "editable" in opts
                continue
            (opt,) = opts
        else:
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
        if opt == "requirement" or opt == "constraint":
            if val:
                (reqs if opt == "requirement" else constraints).append(val)
        elif opt == "editable":
            project = True
        elif "$" in val or opt in _PIP_READS and not (opt in _PIP_INDEX and _REMOTE.match(val)):
            unknown = True
        elif opt in _PIP_WRITES and not val.startswith("/"):
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
        rest = pip_install_args(argv[3:] if tool in PY_LAUNCHERS else argv[1:])
        if rest is None:
            return False
        # `pip install --upgrade pip setuptools`: packages by name only.
        got = pip_install_words(rest)
        return not (got.reqs or got.constraints or got.project or got.unknown)
    if tool in ("npm", "yarn", "pnpm") and argv[1:2] == ["config"]:
        return True
    return False
