"""The foundation's contract: which commands an extension may call, and which it must install.

``templates/foundation/commands.txt`` lists what aishell's foundation provides (the same file
is copied into the image). The original aishell's foundation (and its ``aishell:base``) also
shipped the commands in ORIGINAL_ONLY; an extension written for it that calls one of them
fails at that step here unless it installs the command first (AIS004 says how).
"""

from __future__ import annotations

import os

MANIFEST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates", "foundation", "commands.txt")

# Command -> how to install it in an extension (one Dockerfile line, no secret, pinned).
ORIGINAL_ONLY = {
    "bb": "install Babashka first, e.g. `RUN curl -fsSL https://github.com/babashka/babashka/releases/download/"
    "v1.12.218/babashka-1.12.218-linux-amd64-static.tar.gz | tar -xz -C /usr/local/bin bb`",
    "bbin": "install Babashka (`bb`) and bbin first, e.g. `RUN curl -fsSL https://raw.githubusercontent.com/babashka/"
    "bbin/v0.2.5/bbin -o /usr/local/bin/bbin && chmod +x /usr/local/bin/bbin` (bbin also needs Java: "
    "`apt-get install -y openjdk-17-jre-headless`)",
    "cue": "install CUE first, e.g. `RUN curl -fsSL https://github.com/cue-lang/cue/releases/download/v0.17.1/"
    "cue_v0.17.1_linux_amd64.tar.gz | tar -xz -C /usr/local/bin cue`",
    "uv": "install uv first, e.g. `COPY --from=ghcr.io/astral-sh/uv:0.11 /uv /uvx /usr/local/bin/`, or "
    "`RUN apt-get update && apt-get install -y python3-venv && python3 -m venv /opt/uv && /opt/uv/bin/pip install uv "
    "&& ln -s /opt/uv/bin/uv /opt/uv/bin/uvx /usr/local/bin/`",
    "uvx": "install uv first (it provides uvx), e.g. `COPY --from=ghcr.io/astral-sh/uv:0.11 /uv /uvx /usr/local/bin/`",
    "gitleaks": "install gitleaks first, e.g. `RUN curl -fsSL https://github.com/gitleaks/gitleaks/releases/download/"
    "v8.24.0/gitleaks_8.24.0_linux_x64.tar.gz | tar -xz -C /usr/local/bin gitleaks`",
    "java": "install a JRE first: `RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless`",
}
# Words in an earlier instruction that show the command was installed (besides its own name).
PROVIDED_BY = {"java": ("openjdk", "jre", "jdk", "temurin"), "bb": ("babashka",), "uvx": ("uv",), "bbin": ()}

_cache: frozenset[str] | None = None


def provided() -> frozenset[str]:
    """The commands the foundation provides (the manifest's lines)."""
    global _cache
    if _cache is None:
        with open(MANIFEST, encoding="utf-8") as f:
            _cache = frozenset(line.split("#", 1)[0].strip() for line in f if line.split("#", 1)[0].strip())
    return _cache


def missing(name: str) -> str | None:
    """How to install ``name`` when the original's foundation had it and aishell's does not."""
    if name in ORIGINAL_ONLY and name not in provided():
        return ORIGINAL_ONLY[name]
    return None
