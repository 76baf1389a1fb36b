"""The harness registry: one place that knows each harness.

Used by the lint rules (what is a harness command or install), migrate and the
builder (what goes into the harness volume).
"""

from __future__ import annotations

from typing import NamedTuple


class Harness(NamedTuple):
    name: str
    executables: tuple[str, ...]
    npm_package: str
    install_method: str  # "npm": installed with npm into the harness volume
    # URL fragments of vendor install scripts (`curl … | bash`).
    install_scripts: tuple[str, ...] = ()


HARNESSES: tuple[Harness, ...] = (
    Harness("claude", ("claude",), "@anthropic-ai/claude-code", "npm", ("claude.ai/install.sh",)),
    Harness("codex", ("codex",), "@openai/codex", "npm"),
    Harness("gemini", ("gemini",), "@google/gemini-cli", "npm"),
    Harness("opencode", ("opencode",), "opencode-ai", "npm", ("opencode.ai/install",)),
)

BY_NAME = {h.name: h for h in HARNESSES}
BY_EXECUTABLE = {exe: h for h in HARNESSES for exe in h.executables}
BY_PACKAGE = {h.npm_package: h for h in HARNESSES}


def package_harness(spec: str) -> Harness | None:
    """The harness an npm package spec names: ``@openai/codex@1.2``, ``opencode-ai@latest``."""
    spec = spec.strip("'\"")
    if spec.startswith("@"):
        scope, _, rest = spec[1:].partition("/")
        name = "@" + scope + "/" + rest.split("@", 1)[0]
    else:
        name = spec.split("@", 1)[0]
    return BY_PACKAGE.get(name)


def script_harness(url: str) -> Harness | None:
    for h in HARNESSES:
        if any(frag in url for frag in h.install_scripts):
            return h
    return None


# -- recognising harness installs in RUN commands -------------------------------

NPM_INSTALL = {"install", "i", "add", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall"}
NPM_VALUE_OPTS = {"--prefix", "--registry", "--cache", "-C", "--location", "--tag", "--userconfig", "--workspace", "-w"}


class Install(NamedTuple):
    """A command that installs one or more harnesses."""

    harnesses: tuple[Harness, ...]
    package_words: tuple[int, ...]  # argv indices of the harness packages (empty for scripts)
    other_packages: int  # how many other packages the same command installs
    kind: str  # "npm", "pnpm", "yarn", "bun", "script"


def find_install(argv: list[str]) -> Install | None:
    """The harness install ``argv`` performs, if any."""
    if not argv:
        return None
    tool = argv[0].rsplit("/", 1)[-1]
    args = argv[1:]
    if tool in ("curl", "wget"):
        hs = tuple(h for a in args if (h := script_harness(a)))
        return Install(hs, (), 0, "script") if hs else None
    if tool == "yarn":
        if len(args) >= 2 and args[0] == "global" and args[1] == "add":
            return _packages(argv, 3, True, "yarn")
        return None
    if tool in ("npm", "pnpm", "bun"):
        idx = next((k for k, a in enumerate(args) if not a.startswith("-")), None)
        if idx is None or args[idx] not in NPM_INSTALL:
            return None
        glob = any(a in ("-g", "--global", "--location=global") for a in args) or any(
            a == "--location" and b == "global" for a, b in zip(args, args[1:])
        )
        return _packages(argv, idx + 2, glob, tool)
    return None


def _packages(argv: list[str], first: int, glob: bool, kind: str) -> Install | None:
    if not glob:
        return None
    harness_idx, others, hs = [], 0, []
    k = first
    while k < len(argv):
        a = argv[k]
        if a in NPM_VALUE_OPTS:
            k += 2
            continue
        if a.startswith("-"):
            k += 1
            continue
        h = package_harness(a)
        if h:
            harness_idx.append(k)
            hs.append(h)
        else:
            others += 1
        k += 1
    return Install(tuple(hs), tuple(harness_idx), others, kind) if hs else None
