"""AIS102 volatile-arg-early: a per-build ARG is declared before steps that do not use it.

## What it does
Finds an `ARG` whose value changes from build to build, declared in a stage
before `RUN` steps that do not use it. Volatile ARGs are build dates and
times, commit SHAs and revisions, build numbers, CI ids, the project's own
version (`VERSION`, `APP_VERSION`, …), and any ARG used only by `LABEL`/`ENV`
metadata. Tool versions such as `NODE_VERSION` are not volatile by name.

An ARG reaches every later `RUN` as an environment variable, so a build
script can read it without the Dockerfile naming it (`make` reading
`$GIT_SHA`). The rule therefore counts a `RUN` as not using the ARG only when
every command in it is a package install or a file utility (`apt-get`,
`pip install`, `npm ci`, `mkdir`, `curl` …), and even then not for a variable
such tools are made to read (pip's `PIP_*`, npm's `npm_config_*`, apt's
`DEBIAN_FRONTEND`, the `*_proxy` variables, `CFLAGS`, `LANG`, `HOME` …: an ARG
of such a name is read by every `RUN`); any other `RUN` is taken as a
possible use, and so is a package manager running a script (`npm run build`,
`yarn build`, `npm test`): scripts can read any build variable. A step that
lists or copies the environment reads every ARG: `env`, `printenv`, `export`,
`declare -p`, `compgen -e` in any position, a bare `set`, a path that may be
a process's environment file (`/proc/self/environ`, `/proc/$$/environ`, in
any spelling: quoted, globbed, a redirection from it), bash's `${!prefix@}`. Likewise an `ENV` that copies the ARG is metadata only when the
variable it sets is itself build metadata (`ENV APP_VERSION=$VERSION`);
`ENV GOOS=$TARGETOS` is a real use.

## Why is this bad?
Every `RUN` after an `ARG` receives it as an environment variable, so its
value is part of that step's cache key, whether the step reads it or not.
This holds for the classic builder and for BuildKit. A new build date or
commit SHA then re-runs every step after the `ARG`: the dependency install,
the compilation, all of it. On a 1 GB extension image that is minutes per
build for nothing.

## Example
```dockerfile
FROM aishell:foundation
ARG BUILD_DATE
LABEL org.opencontainers.image.created=$BUILD_DATE
RUN apt-get update && apt-get install -y --no-install-recommends build-essential
```

## Use instead
```dockerfile
FROM aishell:foundation
RUN apt-get update && apt-get install -y --no-install-recommends build-essential
ARG BUILD_DATE
LABEL org.opencontainers.image.created=$BUILD_DATE
```

## Fix safety
Safe. The fix moves the `ARG` line, and the `LABEL`/`ENV` lines that use only
it, each with the comment lines directly above it (a `# aishell: ignore=`
suppression too), down to just before the first instruction that really uses
it, or to the end of the stage. It never moves the ARG past a `RUN` that may
run project code, which reads build ARGs from its environment: a build script,
`pip install .` or `-e` or a package file (`x.tar.gz`), a `pip install -r`
whose requirements (read from the build context, includes followed) install a
local path, expand a variable anywhere (`--index-url https://${TOKEN}@…`) or
cannot be read, a package file's install (`gem install x.gem`,
`apt-get install ./x.deb`, `dpkg -i`, `apk add ./x.apk`, `dnf install
./x.rpm`: its maintainer scripts run), or `npm ci`/`yarn`/
`pnpm install`/`bun install` without `--ignore-scripts` (they run the
project's lifecycle scripts), or with it when a config file of theirs may expand a variable
(`${NPM_TOKEN}`; in `bunfig.toml`, `.yarnrc` or a file of another name
also `$NPM_TOKEN`): any file of the context named like one (`.npmrc`,
`npmrc.ci`, `ci/yarnrc.yml`, `bunfig.toml`, at any depth the build sends;
past 20,000 entries of the context, one may)
that holds one, a context file of any name copied to such a name
(`COPY ci/registry.conf /root/.npmrc`), or one the Dockerfile makes, points
at, fetches or copies from a stage (`echo … > ~/.npmrc`, `npm set …`,
`NPM_CONFIG_USERCONFIG`, `ADD https://…/npmrc`, `COPY --from`), or cannot be read; it stops just before such
a step, and offers no
fix when that leaves no step to skip. An ARG declared again later in the stage
moves no further than that declaration: one whose value no step uses before it
is declared again with a default (`ARG VERSION=2`) is removed instead (with its
comments) when no step that may run project code comes before that declaration
(else it moves down to just above that step), and one whose value only metadata
uses gets no fix. Declared again
without a default (`ARG VERSION`), or with one that reads the name (`ARG
VERSION=${VERSION}.0`), the name keeps or reads its value in BuildKit, so
that declaration counts as a use: the ARG moves down to just above it (an ARG
with no default of its own, declared again so, gave that one nothing it would
not have: it is removed, and a chain of them settles in one pass). Nor does
an ARG whose default reads another name (`ARG BUILD_DATE=${NODE_VERSION}.0`),
or metadata moved with it that does, move past an `ARG` or `ENV` that declares
that name: its value would then be read where nothing was. No fix moves it to the
end of a file whose last instruction is continued to the end (its last line of code ends with the
escape character): BuildKit would read the moved lines as more of that instruction (`RUN make
ARG BUILD_DATE`). Moved this way, every step computes the same
thing as before; only the cache key of the steps it passes changes.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from aishell.findings import SAFE, Edit, Example, Fix, Violation
from aishell.model import Dockerfile, Instruction, arg_definitions, continued_to_end, key_values, unquote
from aishell.rule import RuleContext
from aishell.lint_rules._stages import Adaptive, line_mark, relined, stage_key
from aishell.lint_rules._edits import (
    SYSTEM_TOOLS,
    StackingFix,
    block_start,
    comments_above,
    drop_instruction,
    environ_text,
    line_ending_at,
    line_start,
    lists_environment,
    pip_requirement_files,
    runs_project_code,
    system_tool_reads,
)
from aishell.shell import analyse_run, plain_argv

CODE = "AIS102"
NAME = "volatile-arg-early"
SEVERITY = "warning"
FIX_AVAILABILITY = "sometimes"

VOLATILE_RE = re.compile(
    r"^(?:"
    r"(?:[A-Z0-9]+_)*(?:BUILD_?(?:DATE|TIME|TIMESTAMP|NUMBER|NUM|ID)|BUILDTIME|BUILDDATE|TIMESTAMP|DATE"
    r"|GIT_?(?:SHA|COMMIT|HASH|REF|REVISION|DESCRIBE)|COMMIT(?:_?(?:SHA|HASH|ID|REF))?"
    r"|VCS_?REF|SOURCE_?COMMIT|REVISION|SHA)"
    r"|CI_[A-Z0-9_]+|GITHUB_(?:SHA|RUN_ID|RUN_NUMBER|RUN_ATTEMPT|REF)|BUILD_URL|JOB_ID|PIPELINE_ID"
    r"|VERSION|APP_VERSION|IMAGE_VERSION|BUILD_VERSION|RELEASE|RELEASE_VERSION|PROJECT_VERSION|PACKAGE_VERSION"
    r")$",
    re.I,
)
# Commands that read no build variables from the environment: the system package managers and
# file utilities that also run no project code (one set, in _edits).
IGNORES_ENV = SYSTEM_TOOLS
# ...but for the variables they are made to read: each tool's own namespace (pip's PIP_*
# options, npm's npm_config_*, apt's DEBIAN_FRONTEND, curl's and every fetcher's proxies, a
# compiler's flags, the locale). An ARG of such a name reaches the tool whatever the Dockerfile
# says: every RUN may read it, and the fix never moves it past one.
TOOL_VARIABLE_RE = re.compile(
    r"(?i:(?:http|https|ftp|all|no)_proxy|npm_config_\w*)$"
    r"|(?:PIP|PYTHON|UV|PDM|POETRY|PIPENV|SETUPTOOLS|HATCH|NODE|NPM|YARN|PNPM|BUN|COREPACK|DEBIAN|DEBCONF"
    r"|APT|DPKG|APK|DNF|YUM|ZYPP|RPM|GEM|BUNDLE|RUBY|COMPOSER|CURL|WGET|SSL|REQUESTS|TAR|GZIP|UNZIP"
    r"|LC|XDG|LD|CARGO|RUSTUP|MAKE)\w*$"
    r"|(?:PATH|HOME|LANG|LANGUAGE|TZ|TMPDIR|TERM|USER|SHELL|CI|CC|CXX|CPP|CFLAGS|CXXFLAGS|CPPFLAGS|LDFLAGS"
    r"|PKG_CONFIG_PATH|SOURCE_DATE_EPOCH|POSIXLY_CORRECT|VIRTUAL_ENV|VERSION_CONTROL|SIMPLE_BACKUP_SUFFIX|TAPE)$"
)
# Package managers read no build variables while they install, but their *scripts* can read any
# (`npm run build`, `yarn build`, `npm test`, `composer run-script`): only these subcommands count.
PACKAGE_MANAGERS = {"pip", "pip3", "npm", "yarn", "pnpm", "bun", "bundle", "composer", "gem"}
INSTALL_SUBCOMMANDS = {
    "install",
    "i",
    "ci",
    "add",
    "update",
    "upgrade",
    "up",
    "remove",
    "uninstall",
    "rm",
    "un",
    "cache",
    "config",
    "prune",
    "dedupe",
    "audit",
    "outdated",
    "list",
    "ls",
    "view",
    "info",
    "download",
    "wheel",
    "fetch",
}

VALID = [
    Example("FROM aishell:foundation\nRUN make\nARG BUILD_DATE\nLABEL created=$BUILD_DATE\n", name="declared late"),
    Example("FROM aishell:foundation\nARG GIT_SHA\nRUN echo $GIT_SHA > /sha\nRUN make\n", name="first RUN uses it"),
    Example(
        "FROM aishell:foundation\nARG NODE_VERSION=24\nRUN apt-get update\nRUN install-node ${NODE_VERSION}\n",
        name="tool version",
    ),
    Example("ARG BUILD_DATE\nFROM aishell:foundation\nRUN make\n", name="global ARG, not in the stage"),
    Example("FROM aishell:foundation\nARG VERSION\nLABEL version=$VERSION\n", name="no RUN after it"),
    Example("FROM golang:1.23\nARG GIT_SHA\nRUN make build\n", name="a build script may read it from the environment"),
    Example(
        "FROM golang:1.23\nARG TARGETOS\nENV GOOS=$TARGETOS\nRUN apt-get update\nRUN go build ./...\n",
        name="ENV that feeds the build is a use",
    ),
    Example(
        "FROM aishell:foundation\nARG NODE_ENV=production\nENV NODE_ENV=$NODE_ENV\nRUN npm ci\n",
        name="ENV read by tools",
    ),
    Example("FROM python:3.12\nARG GIT_SHA\nRUN python3 setup.py build\n", name="python running a script may read it"),
    Example("FROM node:24\nARG GIT_SHA\nRUN yarn build\n", name="yarn build may read it"),
]

INVALID = [
    Example(
        "FROM node:24\nARG GIT_SHA\nRUN npm ci --ignore-scripts\nRUN npm run build\n",
        "FROM node:24\nRUN npm ci --ignore-scripts\nARG GIT_SHA\nRUN npm run build\n",
        name="moved below the install, not below the script that may read it",
        spans=((2, 5, 2, 12),),
    ),
    Example(
        "FROM node:24\nARG GIT_SHA\nRUN npm ci\nRUN npm run build\n",
        None,
        name="npm ci runs the project's lifecycle scripts, which may read it: reported, no fix",
        spans=((2, 5, 2, 12),),
    ),
    Example(
        "FROM python:3.12\nARG VERSION\nRUN apt-get update\nRUN pip install .\nLABEL v=$VERSION\n",
        "FROM python:3.12\nRUN apt-get update\nARG VERSION\nRUN pip install .\nLABEL v=$VERSION\n",
        name="never moved past a step that builds the project (pip install .)",
        spans=((2, 5, 2, 12),),
    ),
    Example(
        "FROM ruby:3\nARG BUILD_DATE\nRUN gem install ./x.gem\nRUN apt-get update\n",
        None,
        name="gem install of a local gem may read it: reported, no fix",
        spans=((2, 5, 2, 15),),
    ),
    Example(
        "FROM aishell:foundation\n# when the image was built\n# aishell: ignore=AIS003 reason\nARG BUILD_DATE\n"
        "RUN apt-get update\n# the date, for people\nLABEL created=$BUILD_DATE\n",
        "FROM aishell:foundation\nRUN apt-get update\n# when the image was built\n# aishell: ignore=AIS003 reason\n"
        "ARG BUILD_DATE\n# the date, for people\nLABEL created=$BUILD_DATE\n",
        name="the comments above the ARG move with it",
        spans=((4, 5, 4, 15),),
    ),
    Example(
        "FROM aishell:foundation\nARG BUILD_DATE\nLABEL org.opencontainers.image.created=$BUILD_DATE\n"
        "RUN apt-get update && apt-get install -y build-essential\nRUN pip install -r requirements.txt\n",
        "FROM aishell:foundation\nRUN apt-get update && apt-get install -y build-essential\nRUN pip install -r requirements.txt\n"
        "ARG BUILD_DATE\nLABEL org.opencontainers.image.created=$BUILD_DATE\n",
        name="metadata only: moved to the end",
        files=(("requirements.txt", "flask\n"),),
        spans=((2, 5, 2, 15),),
    ),
    Example(
        "FROM aishell:foundation\nARG GIT_COMMIT\nRUN pip install -r requirements.txt\nRUN echo ${GIT_COMMIT} > /commit\n",
        "FROM aishell:foundation\nRUN pip install -r requirements.txt\nARG GIT_COMMIT\nRUN echo ${GIT_COMMIT} > /commit\n",
        name="moved to just before its first use",
        files=(("requirements.txt", "flask\n"),),
        spans=((2, 5, 2, 15),),
    ),
    Example(
        "FROM python:3.12\nARG VCS_REF\nRUN python3 -m venv /venv && /venv/bin/pip install -r requirements.txt\n"
        "RUN python3 setup.py build\n",
        "FROM python:3.12\nRUN python3 -m venv /venv && /venv/bin/pip install -r requirements.txt\nARG VCS_REF\n"
        "RUN python3 setup.py build\n",
        name="venv and pip install read no build variables",
        files=(("requirements.txt", "flask\n"),),
        spans=((2, 5, 2, 12),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nARG GIT_SHA\nRUN pip install -r requirements.txt\nRUN make\n",
        None,
        name="requirements that install the project (-e .): pip builds it, no move past it",
        files=(("requirements.txt", "-e .\n"),),
        spans=((4, 5, 4, 12),),
    ),
    Example(
        "FROM aishell:foundation AS build\nARG VERSION=dev\nRUN npm ci --ignore-scripts\nFROM aishell:foundation\nRUN echo ok",
        "FROM aishell:foundation AS build\nRUN npm ci --ignore-scripts\nARG VERSION=dev\nFROM aishell:foundation\nRUN echo ok",
        name="end of a stage that is not the last",
        spans=((2, 5, 2, 16),),
    ),
    Example(
        "FROM aishell:foundation\r\nARG BUILD_NUMBER\r\nENV BUILD_NUMBER=$BUILD_NUMBER\r\nRUN apt-get update",
        "FROM aishell:foundation\r\nRUN apt-get update\r\nARG BUILD_NUMBER\r\nENV BUILD_NUMBER=$BUILD_NUMBER",
        name="CRLF, no final newline (still none after the fix)",
        spans=((2, 5, 2, 17),),
    ),
    Example(
        "FROM aishell:foundation\nARG BUILD_ID\nENV APP_BUILD_ID=$BUILD_ID\nRUN apt-get update\nRUN echo $APP_BUILD_ID > /b\n",
        "FROM aishell:foundation\nRUN apt-get update\nARG BUILD_ID\nENV APP_BUILD_ID=$BUILD_ID\nRUN echo $APP_BUILD_ID > /b\n",
        name="used later through a metadata ENV that copies it",
        spans=((2, 5, 2, 13),),
    ),
    Example(
        "FROM aishell:foundation\nARG BUILD_DATE VCS_REF\nRUN apt-get update\n",
        None,
        findings=2,
        name="two names on one ARG: reported, no fix",
        spans=((2, 5, 2, 15), (2, 16, 2, 23)),
    ),
    Example(
        "FROM aishell:foundation\nARG RELEASE_CHANNEL\nLABEL channel=$RELEASE_CHANNEL\nRUN apt-get update\n",
        "FROM aishell:foundation\nRUN apt-get update\nARG RELEASE_CHANNEL\nLABEL channel=$RELEASE_CHANNEL\n",
        name="any ARG used only by metadata",
        spans=((2, 5, 2, 20),),
    ),
    Example(
        "FROM aishell:foundation\nARG VERSION=1\nRUN apt-get update\nARG VERSION=2\nRUN echo $VERSION > /v\n",
        "FROM aishell:foundation\nRUN apt-get update\nARG VERSION=2\nRUN echo $VERSION > /v\n",
        name="declared again before any step uses it: removed, never moved past the new declaration",
        spans=((2, 5, 2, 14),),
    ),
    Example(
        "FROM aishell:foundation\nARG VERSION=1\nRUN apt-get update\nARG VERSION=2\nRUN apt-get install -y curl\n"
        "RUN echo $VERSION > /v\nRUN apt-get install -y git\nRUN npm ci\n",
        "FROM aishell:foundation\nRUN apt-get update\nRUN apt-get install -y curl\nARG VERSION=2\n"
        "RUN echo $VERSION > /v\nRUN apt-get install -y git\nRUN npm ci\n",
        findings=2,
        name="npm ci reads the second declaration's value, before and after the fix",
        spans=((2, 5, 2, 14), (4, 5, 4, 14)),
    ),
    Example(
        "FROM aishell:foundation\nARG VERSION=1\nRUN apt-get update\nRUN pip install .\nARG VERSION=2\n",
        "FROM aishell:foundation\nRUN apt-get update\nARG VERSION=1\nRUN pip install .\nARG VERSION=2\n",
        name="declared again after a step that runs project code, which may read it: moved above that step, not removed",
        spans=((2, 5, 2, 14),),
    ),
    Example(
        "FROM aishell:foundation\nARG VERSION=1\nLABEL v=$VERSION\nRUN apt-get update\nARG VERSION=2\n"
        "RUN echo $VERSION > /v\n",
        None,
        name="declared again, its value read by metadata only: reported, no fix",
        spans=((2, 5, 2, 14),),
    ),
    Example(
        "FROM aishell:foundation\nARG GIT_SHA=abc\nRUN apt-get install -y jq\nARG GIT_SHA\nRUN echo $GIT_SHA > /sha\n",
        "FROM aishell:foundation\nRUN apt-get install -y jq\nARG GIT_SHA=abc\nARG GIT_SHA\nRUN echo $GIT_SHA > /sha\n",
        name="declared again without a default, which keeps its value: moved to just above it, not removed",
        spans=((2, 5, 2, 16),),
    ),
]


def _uses(ins: Instruction, name: str) -> bool:
    pat = re.compile(r"\$\{?" + re.escape(name) + r"\b")
    if pat.search(ins.logical):
        return True
    return any(pat.search(h.content) for h in ins.heredocs)


def _is_metadata(ins: Instruction) -> bool:
    """LABEL, or an ENV that sets only build-metadata variables."""
    if ins.keyword == "LABEL":
        return True
    return ins.keyword == "ENV" and all(VOLATILE_RE.match(n) for n in _env_names(ins))


def _ignores_env(run: Instruction) -> bool:
    return _run_facts(run)[0]


def _run_facts(run: Instruction) -> tuple:
    """(reads no build variable from the environment, may run project code) of a RUN: both read
    off one analysis of its commands, and remembered by its text (a file repeats its RUNs, and
    the shell analysis of a repeated RUN is rebuilt for each one at its own offsets)."""
    if run.heredocs:
        return _facts(run)
    key = run.logical
    facts = _FACTS.get(key)
    if facts is None:
        global _FACTS_CHARS
        if _FACTS_CHARS > _FACTS_MAX_CHARS:
            _FACTS.clear()
            _FACTS_CHARS = 0
        facts = _FACTS[key] = _facts(run)
        _FACTS_CHARS += len(key)
    return facts


# Kept across files and across the lints of one `aishell migrate` (its next lint reads the same RUNs
# again: 150,000 distinct ones cost a second or so of shell reading each time), bounded by the
# characters of the texts kept (a few MB of a 10 MB file's RUNs), not by their number.
_FACTS: dict[str, tuple] = {}
_FACTS_CHARS = 0
_FACTS_MAX_CHARS = 1 << 24


def _facts(run: Instruction) -> tuple:
    """(reads no build variable, may run project code, the requirements files its pip installs
    read: whether they build the project depends on the context, worked out per file linted)."""
    argv = plain_argv(run) if _FAST else None  # one plain command: its words, without the reader
    if argv is not None:
        quiet, code = _command(argv, argv[0].rsplit("/", 1)[-1])
        if quiet:
            # _environ_text, inline: a plain command has no heredoc, `$` or redirection
            quiet = "environ" not in run.logical and "/proc" not in run.logical
        return quiet, code, _context_reads(argv)
    commands = analyse_run(run).commands
    ignores = bool(commands)
    code = not commands
    for c in commands:
        quiet, runs = _command(c.argv, c.name)
        ignores = ignores and quiet
        if runs:
            code = True
            if not ignores:
                break  # nothing after changes the answer
    # The requirements files matter only to a RUN that runs no project code otherwise.
    reqs = () if code else tuple(f for c in commands for f in _context_reads(c.argv))
    return ignores and not _environ_text(run), code, reqs


# In a RUN's context reads: a node package manager, which reads its config files (see
# _manifests.NODE_RC_FILES): they may expand any build ARG.
NODE_RC = "\x00node rc files"
_NPM_LIKE = frozenset({"npm", "yarn", "pnpm", "bun"})


def _context_reads(argv: list[str]) -> tuple[str, ...]:
    """The build-context files a command reads that may make it read build ARGs: a pip
    install's requirements files (`-e .` builds the project; `${NAME}` is expanded), and
    NODE_RC for npm, yarn, pnpm and bun (their config files expand `${NAME}`)."""
    if argv[0].rsplit("/", 1)[-1] in _NPM_LIKE:
        return (NODE_RC,)
    return pip_requirement_files(argv)


def _quiet(argv: list[str]) -> bool:
    """The command reads no build variable from its environment: a system package manager or
    file utility, a package manager installing, venv or pip; and it lists or copies no
    environment (bare `set`, a path that may be /proc/<pid>/environ)."""
    return _command(argv, argv[0].rsplit("/", 1)[-1])[0]


def _command(argv: list[str], name: str) -> tuple[bool, bool]:
    """(_quiet, runs_project_code) of a command, read together: a system tool's
    runs_project_code is lists_environment or a package file's install, so only a system tool
    that may run project code is looked at again."""
    if name in IGNORES_ENV:  # SYSTEM_TOOLS
        code = system_tool_reads(name, argv)
        return not code or not lists_environment(argv), code
    code = runs_project_code(argv)
    return (_is_install(argv) or _is_venv_or_pip(argv)) and not lists_environment(argv), code


def _environ_text(run: Instruction) -> bool:
    """The RUN's text may read the whole environment where no command word shows it (a
    redirection from /proc/self/environ, bash's `${!prefix@}`): _edits.environ_text."""
    if environ_text(run.logical):
        return True
    return bool(run.heredocs) and any(environ_text(h.content) for h in run.heredocs)


def _is_install(argv: list[str]) -> bool:
    """A package manager installing (not running a script): `npm ci`, `yarn`, `pip install`."""
    if argv[0].rsplit("/", 1)[-1] not in PACKAGE_MANAGERS:
        return False
    words = [a for a in argv[1:] if not a.startswith("-")]
    return not words or words[0] in INSTALL_SUBCOMMANDS


def _is_venv_or_pip(argv: list[str]) -> bool:
    """`python3 -m venv DIR` and `python3 -m pip install …` read no build variables."""
    return argv[0].rsplit("/", 1)[-1].startswith("python") and argv[1:3] in (["-m", "venv"], ["-m", "pip"])


def _env_names(ins: Instruction) -> list[str]:
    if ins.keyword != "ENV":
        return []
    words = ins.words()
    if words and "=" in words[0].text:
        return [k for k, _ in key_values(ins)]
    return [words[0].text] if words else []


_REF_RE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A walk through metadata that copies an ARG on (ENV A=$X, LABEL l=$A, ...) gives up after this
# many steps, reporting nothing: it keeps every ARG's walk short, so the rule stays linear.
MAX_CARRIER_STEPS = 64


_SIMPLE_ARGS = re.compile(r"[^\s'\"\\]+")  # one word, nothing split_words would treat specially
_DEFS: dict[str, tuple] = {}  # a one-line ARG's text (not one plain word) -> its definitions, spans from its start


def _keys(ins: Instruction) -> list[str]:
    """The variables an ENV sets, or the keys a LABEL sets."""
    if ins.keyword == "ENV":
        return _env_names(ins)
    return [k for k, _ in key_values(ins)]


def _arg_defs(ins: Instruction) -> tuple:
    """arg_definitions as (name, default, start, end) tuples: a one-line ARG of one plain word
    read without the word splitter, any other one-line ARG remembered by its text (spans from
    its start)."""
    if ins._offsets is not None or ins.heredocs or not _FAST or ins.escape != "\\":  # (_DEFS: escape `\\`)
        return tuple((name, default, w.start, w.end) for name, default, w in arg_definitions(ins))
    base = ins.start
    logical = ins.logical
    a = ins.args_start
    if _SIMPLE_ARGS.fullmatch(logical, a):
        name, eq, value = logical[a:].partition("=")
        return ((name, unquote(value) if eq else None, base + a, base + len(logical)),)
    rel = _DEFS.get(logical)
    if rel is None:
        rel = tuple((name, default, w.start - base, w.end - base) for name, default, w in arg_definitions(ins))
        if len(_DEFS) >= 4096:
            _DEFS.clear()
        _DEFS[logical] = rel
    return tuple((name, default, base + a, base + b) for name, default, a, b in rel)


class _Stage:
    """What the rule asks about a stage's instructions, indexed once (linear in the stage)."""

    def __init__(self, body: list[Instruction], builds=None):
        self.body = body
        self.builds = builds  # requirements files -> whether installing them may build the project
        n = len(body)
        self.refs: dict[str, list[int]] = {}  # variable name -> indices that reference it, in order
        self.decls: dict[str, list[int]] = {}  # ARG name -> indices of the ARGs that declare it
        self.defs: dict[int, tuple] = {}  # index of an ARG -> its (name, default, start, end)s
        self.runs_before = [0] * (n + 1)  # RUN steps in body[:i]
        self.next_run = [n] * (n + 1)  # first RUN at or after i
        self._next_env_run: list[int] | None = None
        self._next_code_run: list[int] | None = None
        self._sets: dict[tuple[str, str], list[int]] | None = None  # (ENV or LABEL, key) -> indices
        refs, decls, defs_of = self.refs, self.decls, self.defs
        runs_before, runs = self.runs_before, 0
        for i, ins in enumerate(body):
            logical = ins.logical
            if ins.heredocs:
                names = set(_REF_RE.findall(logical)) if "$" in logical else set()
                for h in ins.heredocs:
                    names.update(_REF_RE.findall(h.content))
            elif "$" in logical:
                names = set(_REF_RE.findall(logical))
            else:
                names = ()
            for name in names:
                at = refs.get(name)
                if at is None:
                    refs[name] = [i]
                else:
                    at.append(i)
            kw = ins.keyword
            if kw == "ARG":
                defs = defs_of[i] = _arg_defs(ins)
                for d in defs:
                    at = decls.get(d[0])
                    if at is None:
                        decls[d[0]] = [i]
                    else:
                        at.append(i)
            elif kw == "RUN":
                runs += 1
            runs_before[i + 1] = runs
        next_run, r = self.next_run, n
        for i in range(n - 1, -1, -1):
            if body[i].keyword == "RUN":
                r = i
            next_run[i] = r

    @property
    def next_env_run(self) -> list[int]:
        """First RUN at or after i that may read the environment: computed when first asked (an
        ARG no step names needs none of it, and each RUN's commands are read for it)."""
        if self._next_env_run is None:
            self._next_runs()
        return self._next_env_run

    @property
    def next_code_run(self) -> list[int]:
        """First RUN at or after i that may run project code (asked for fixes only)."""
        if self._next_code_run is None:
            self._next_runs()
        return self._next_code_run

    def _next_runs(self) -> None:
        """Both arrays in one walk: each RUN's commands are read once for the two."""
        body, n = self.body, len(self.body)
        env = [n] * (n + 1)
        code = [n] * (n + 1)
        e = c = n
        for i in range(n - 1, -1, -1):
            ins = body[i]
            if ins.keyword == "RUN":
                ignores, runs_code, reqs = _run_facts(ins)
                if not ignores:
                    e = i
                if runs_code or (reqs and (self.builds is None or self.builds(reqs))):
                    c = i
            env[i] = e
            code[i] = c
        self._next_env_run, self._next_code_run = env, code

    def _set_index(self) -> dict[tuple[str, str], list[int]]:
        """(ENV or LABEL, key) -> the indices that set it, made when first asked."""
        sets = self._sets
        if sets is None:
            sets = self._sets = {}
            for i, ins in enumerate(self.body):
                if ins.keyword in ("ENV", "LABEL"):
                    for k in _keys(ins):
                        sets.setdefault((ins.keyword, k), []).append(i)
        return sets

    def next_set(self, at: int) -> int:
        """The first index after ``at`` (an ENV or LABEL) whose instruction, of the same keyword,
        sets a key that one sets (len(body) if none): the later value wins, so a moved ENV or LABEL
        stops before it."""
        sets = self._set_index()
        ins = self.body[at]
        found = len(self.body)
        for k in _keys(ins):
            later = sets[(ins.keyword, k)]
            j = bisect_right(later, at)
            if j < len(later) and later[j] < found:
                found = later[j]
        return found

    def next_definition(self, names: set[str], after: int) -> int:
        """The first index after ``after`` whose ARG declares, or ENV sets, one of ``names``
        (len(body) if none)."""
        sets = self._set_index()
        found = len(self.body)
        for name in names:
            for at in (self.decls.get(name, ()), sets.get(("ENV", name), ())):
                j = bisect_right(at, after)
                if j < len(at) and at[j] < found:
                    found = at[j]
        return found

    def next_ref(self, name: str, after: int, ins_list: list[Instruction]) -> int:
        """The first index > ``after`` whose instruction uses ``name`` (len(body) if none)."""
        if _NAME_RE.fullmatch(name):
            refs = self.refs.get(name, ())
            k = bisect_right(refs, after)
            return refs[k] if k < len(refs) else len(self.body)
        for i in range(after + 1, len(self.body)):  # a name no reference pattern can spell: rare
            if _uses(self.body[i], name):
                return i
        return len(self.body)


def _volatile(name: str) -> bool:
    """VOLATILE_RE matches the name, remembered by name (asked up to three times per ARG)."""
    got = _VOLATILE.get(name)
    if got is None:
        if len(_VOLATILE) >= 4096:
            _VOLATILE.clear()
        got = _VOLATILE[name] = VOLATILE_RE.match(name) is not None
    return got


_VOLATILE: dict[str, bool] = {}
_WHENEVER = ") whenever its value changes"  # the end of a finding's message, after its line number
# (volatile by name, RUN steps skipped) -> the message after the ARG's name, around the first
# skipped step's line (by name too, a file of distinct names stored a message each for nothing).
_MESSAGES: dict[tuple, tuple[str, str]] = {}
_new = tuple.__new__  # a NamedTuple without its generated __new__: a file may have 150,000 findings


def _message(name: str, volatile: bool, skipped: int, line: int) -> str:
    key = (volatile, skipped)
    got = _MESSAGES.get(key)
    if got is None:
        reason = "changes from build to build" if volatile else "is used only by LABEL/ENV metadata"
        got = (
            f" {reason}; declared here, it re-runs the {skipped} RUN step"
            f"{'s' if skipped != 1 else ''} after it that do{'es' if skipped == 1 else ''} not name it "
            "(from line ",
            _WHENEVER,
        )
        if len(_MESSAGES) >= 4096:
            _MESSAGES.clear()
        _MESSAGES[key] = got
    return f"ARG {name}{got[0]}{line}{got[1]}"


def check(ctx: RuleContext):
    df = ctx.df
    builds = _requirements_reader(ctx.context, df)
    text = df.text
    # A small stage's text -> (its start, its first line, its findings with where their line
    # numbers are): nothing the rule reads lies outside the stage's lines (the last stage's
    # moves to the end of the file excepted: it is never remembered). _FAST off: none.
    memo = Adaptive(_FAST)
    last = df.stages[-1] if df.stages else None
    for stage in df.stages:
        instructions = stage.instructions
        if _FAST:
            if _read_at_once(instructions):
                continue
        else:
            for ins in instructions:
                if ins.keyword == "ARG":
                    break
            else:
                continue
        key = stage_key(text, instructions) if memo.on and stage is not last else None
        if key is None:
            yield from _stage_findings(df, stage, builds)
            continue
        first = instructions[0]
        hit = memo.get(key)
        if hit is None:
            found = list(_stage_findings(df, stage, builds))
            memo.put(key, (first.start, first.start_line, [(v, *_line_marks(v)) for v in found]))
            yield from found
            continue
        memo.hits += 1
        d, dl = first.start - hit[0], first.start_line - hit[1]
        for v, mark, fix_mark in hit[2]:
            fix = v[3]
            if fix is not None:
                edits = tuple(_new(Edit, (e[0] + d, e[1] + d, e[2], e[3])) for e in fix[2])
                where = fix[1] if fix_mark is None else relined(fix[1], *fix_mark, dl)
                fix = _new(type(fix), (fix[0], where, edits))
            yield _new(Violation, (relined(v[0], *mark, dl), v[1] + d, v[2] + d, fix, v[4]))


def _line_marks(v: Violation) -> tuple:
    """(where the line number in the finding's message begins, that number), and the same for
    its fix's message (None when it names no line): what a stage of the same text elsewhere
    changes."""
    message = v[0]
    mark = line_mark(message, len(message) - len(_WHENEVER))
    fix = v[3]
    if fix is None or fix[1] == _END_WHERE:
        return mark, None
    where = fix[1]
    end = len(where) - len(_REMOVAL_TAIL) if where.endswith(_REMOVAL_TAIL) else len(where)
    return mark, line_mark(where, end)


def _stage_findings(df: Dockerfile, stage, builds):
    """The findings on one stage's ARGs."""
    instructions = stage.instructions
    body = instructions[1:]  # after FROM
    index = _Stage(body, builds)
    n = len(body)
    again: dict[str, dict] = {}  # a name declared twice -> its declarations' findings
    for idx, defs in index.defs.items():
        ins = body[idx]
        movable = len(defs) == 1
        for name, _default, start, end in defs:
            if len(index.decls[name]) == 1:
                found = _check_arg(df, stage, index, idx, ins, name, start, end, movable, n)[0]
            else:
                got = again.get(name)
                if got is None:
                    got = again[name] = _declared_again(df, stage, index, name)
                found = got[(idx, start)]
            if found is not None:
                yield found


def _requirements_reader(bc, df):
    """Whether a RUN's context reads (_context_reads) may make it read build ARGs or build the
    project: a `pip install -r FILE…` unless the files are in the context (by the path as
    written, from its root) and hold only named third-party packages (no `-e .`, `./pkg`,
    `file:`, and no `${NAME}` anywhere, in them or a file they include); a node package manager when one of its
    config files may expand a variable. Remembered per file linted."""
    seen: dict[tuple, bool] = {}

    def builds(reqs: tuple[str, ...]) -> bool:
        got = seen.get(reqs)
        if got is None:
            from aishell.lint_rules import _manifests

            pip = tuple(r for r in reqs if r != NODE_RC)
            if len(pip) < len(reqs) and (bc is None or _manifests.node_rc_may_expand(bc, df)):
                got = True
            elif not pip:
                got = False
            else:
                ok = bc is not None and all(r and not r.startswith(("/", "~")) and "$" not in r for r in pip)
                read = _manifests.reads(bc, "pip", ("pip", "install"), list(pip), []) if ok else None
                got = (
                    read is None
                    or read == _manifests.SOURCE
                    # pip expands `${NAME}` on any line (`--index-url https://${TOKEN}@…`, a URL)
                    or any("${" in (_manifests._read(bc, f) or "${") for f in (*pip, *read[0]))
                )
            seen[reqs] = got
        return got

    return builds


def _read_at_once(instructions: list[Instruction]) -> bool:
    """Whether the stage's ARGs can have no finding, seen without indexing the stage: the first
    RUN after each ARG may read it from the environment, or no RUN follows it. Then _check_arg
    finds no step skipped for any of them: the first RUN reads it; or no RUN is left to skip;
    or, declared again before that RUN, it is read by nothing up to the next declaration, and
    no RUN lies between the two. A stage without an ARG, and a fixed file's (`ARG BUILD_DATE`
    just above `RUN make`), are passed over so."""
    pending = False  # an ARG since the last RUN
    for ins in instructions:
        kw = ins.keyword
        if kw == "RUN":
            if pending:
                if _run_facts(ins)[0]:
                    return False  # it reads no build variable: an ARG above may skip it
                pending = False
        elif kw == "ARG":
            pending = True
    return True


def _declared_again(df: Dockerfile, stage, index: _Stage, name: str) -> dict:
    """(index, start) -> the finding (or None) of each declaration of a name the stage declares
    more than once, worked out from the last one up: a declaration read by nothing before the
    next one is removed, and costs the RUNs up to where the next one that stays will be once
    its own fix is made (moved down, or removed in its turn). So one pass makes every fix a
    chain of declarations needs (one a pass, ten of them did not settle)."""
    body, n = index.body, len(index.body)
    out = {}
    shadow = n  # where the next declaration that stays will be
    for idx in sorted(set(index.decls[name]), reverse=True):
        defs = index.defs[idx]
        for _name, _default, start, end in reversed(defs):
            if _name == name:
                found, at = _check_arg(df, stage, index, idx, body[idx], name, start, end, len(defs) == 1, shadow)
                out[(idx, start)] = found
                if at is not None:
                    shadow = at
    return out


def _check_arg(
    df: Dockerfile,
    stage,
    index: _Stage,
    idx,
    arg: Instruction,
    name: str,
    start: int,
    end: int,
    movable: bool,
    shadow: int,
) -> tuple[Violation | None, int | None]:
    """The ARG's finding (or None), and where it will be once the fix is made: its index, the
    index of the step it is moved before, or None if removed. ``shadow``: where the next ARG of
    its name will be (len(body) if none)."""
    body, n = index.body, len(index.body)
    by_name = _volatile(name)
    if not by_name and index.next_ref(name, idx, body) >= n:
        return None, idx  # not volatile by name, and no later step names it: not metadata-only either
    decls = index.decls.get(name, ())
    k = bisect_right(decls, idx)
    redeclared = decls[k] if k < len(decls) else n  # a new ARG from here on
    # Declared again without a default, the name keeps this value in BuildKit (dispatchArg adds
    # no env for it; the classic builder forgets it): that declaration reads it. So does one whose
    # defaults name it (`ARG VERSION=${VERSION}.0`, `ARG VERSION=${VERSION:-3}`): removed, this
    # declaration took its value with it (`1.0` became `.0`).
    # A bare declaration after a bare one keeps nothing this one gave (a --build-arg's value,
    # or none, either way): removed, this one leaves it the same, and a chain of eleven bare
    # `ARG VERSION` lines settles in one pass instead of one a pass (ten did not settle).
    inherited = redeclared < n and (
        (
            any(d[0] == name and d[1] is None for d in index.defs[redeclared])
            and any(d[0] == name and d[1] is not None for d in index.defs[idx])
        )
        or index.next_ref(name, redeclared - 1, body) == redeclared
    )
    # A RUN that may read it from the environment (any RUN, for a name the tools read).
    reader = (index.next_run if TOOL_VARIABLE_RE.match(name) else index.next_env_run)[idx + 1]
    if reader < redeclared and index.next_run[idx + 1] == reader:
        return None, idx  # the first RUN after it may read it: whatever uses it first, no RUN is skipped
    limit = min(redeclared, reader)
    # Names that carry the ARG's value on: ENVs that copy it.
    carriers = {name}
    metadata: list[Instruction] = []
    metadata_at: list[int] = []  # their indices in body
    first_use: int | None = None
    fence = n  # an ENV or LABEL setting a key that moved metadata sets: the move stops before it
    cur = idx
    for _step in range(MAX_CARRIER_STEPS + 1):
        if len(carriers) == 1:
            p = index.next_ref(name, cur, body)
        else:
            p = min(index.next_ref(c, cur, body) for c in carriers)
        if p >= limit:
            first_use = reader if reader < redeclared else redeclared if inherited else None
            break
        if _is_metadata(body[p]):
            metadata.append(body[p])
            metadata_at.append(p)
            carriers |= set(_env_names(body[p]))
            fence = min(fence, index.next_set(p))
            cur = p
            continue
        first_use = p  # a real use
        break
    else:
        return None, idx  # too long a chain of metadata to follow: say nothing rather than guess
    if not (by_name or (metadata and first_use is None)):
        return None, idx
    # Declared again before any step uses it: the steps up to the next declaration that stays
    # are the ones it re-runs, and moved further it would take the place of that one (whose
    # value the steps after it read).
    shadowed = first_use is None and redeclared < n
    stop = first_use if first_use is not None else shadow if shadowed else n
    runs_before = index.runs_before
    skipped = runs_before[stop] - runs_before[idx + 1]
    if not skipped:
        return None, idx
    at = idx
    first_skipped = body[index.next_run[idx + 1]]
    # No skipped RUN reads the ARG or an ENV carrying it: the first that does is first_use.
    fix = None
    if shadowed and index.next_code_run[idx + 1] >= redeclared:
        # Its value is never read (no step names it before the new declaration, none of the
        # RUNs there reads the environment, and none runs project code, which may): the
        # declaration only costs the cache, so the fix removes it, with its comments. Not when
        # metadata reads the value (it would lose it) or the ARG declares other names. With a
        # `pip install .` or `npm ci` before the new declaration, it moves down to just above
        # that step instead, as any other ARG.
        if movable and not metadata:
            line = body[redeclared].start_line
            fix = _new(Fix, (SAFE, _removal(line), (drop_instruction(df, arg),)))
            at = None
    elif movable:
        # The fix stops before any RUN that may run project code (`pip install .`, `npm ci`, a
        # Gemfile): such code can read the ARG from its environment. Detection is looser.
        # Nor past a declaration of a name the moved lines read (their own aside): the ARG's
        # default (`ARG BUILD_DATE=${NODE_VERSION}.0`) or the metadata's value would then read
        # that declaration's value (a --build-arg's), where it read nothing before.
        reads = set()
        for d in index.defs[idx]:
            if d[1] is not None and "$" in d[1]:
                reads.update(_REF_RE.findall(d[1]))
        for m in metadata:
            if "$" in m.logical:
                reads.update(_REF_RE.findall(m.logical))
        reads -= carriers
        if reads:
            fence = min(fence, index.next_definition(reads, idx))
        stop_fix = min(index.next_code_run[idx + 1], stop, fence)
        if runs_before[stop_fix] - runs_before[idx + 1]:
            if _FAST:
                moved_at = [idx] + [a for a in metadata_at if a < stop_fix]
                fix = _move_fast(df, stage, moved_at, stop_fix)
            else:
                target = body[stop_fix] if stop_fix < n else None
                moved = [arg] + [m for m, i in zip(metadata, metadata_at) if i < stop_fix]
                fix = _move(df, moved, target, stage)
            at = stop_fix if fix is not None else idx
    return _new(Violation, (_message(name, by_name, skipped, first_skipped.start_line), start, end, fix, None)), at


# The general path (block_start per instruction, NamedTuples built by their constructors) when
# False: tests/test_ais102_fast.py holds the fast one to it.
_FAST = True


def _move_fast(df: Dockerfile, stage, moved_at: list[int], target_at: int) -> Fix | None:
    """_move, from the moved instructions' and the target's indices in the stage's body: each
    block's start is found from the instruction before it (a stage's instructions are a slice of
    the file's), and the fix's parts are built without their constructors."""
    text = df.text
    instructions = stage.instructions  # body[i] is instructions[i + 1]
    first = instructions[moved_at[0] + 1]
    newline = line_ending_at(text, first.start)
    edits, block = [], []
    last_line = False  # the file's last line, without a line break, is moved
    for i in moved_at:
        a = _block_start_after(text, instructions[i], instructions[i + 1])
        nl = text.find("\n", instructions[i + 1].end)
        b = len(text) if nl < 0 else nl + 1
        edits.append(_new(Edit, (a, b, "", None)))
        block.append(text[a:b] if nl >= 0 else text[a:b] + newline)
        last_line = nl < 0
    block_text = "".join(block)
    cls = StackingFix
    if target_at < len(instructions) - 1:
        target = instructions[target_at + 1]
        at = _block_start_after(text, instructions[target_at], target)
        where = f"Move the ARG (and the metadata that uses only it) down to line {target.start_line}"
    else:
        if continued_to_end(df, instructions[-1]):
            return None  # lines put after a line continuation to the end of the file would join it
        nl = text.find("\n", instructions[-1].end)
        at = len(text) if nl < 0 else nl + 1
        if nl < 0:
            if last_line:
                return _new(Fix, (SAFE, _END_WHERE, _stay_up(text, edits)))
            # At the end of a file without a final line break: after a new one, and still
            # without one at the end (so moves to the end stack: each starts with its break).
            block_text = newline + block_text[: -len(newline)]
        where = _END_WHERE
    edits.append(_new(Edit, (at, at, block_text, None)))
    return _new(cls, (SAFE, where, tuple(edits)))


_END_WHERE = "Move the ARG (and the metadata that uses only it) down to the end of the stage"


def _stay_up(text: str, cuts: list) -> tuple:
    """A move to the end of a file without a final line break whose last line is among the
    moved ones, made the other way round: the lines between the moved blocks go up, above the
    first, so the file's last line stays the last and the file gains no line break (moving
    the blocks down would add one after that line, and a blank line). ``cuts``: the moved
    blocks' deletions, in order, the last one ending the file."""
    gaps = [(a[1], b[0]) for a, b in zip(cuts, cuts[1:]) if a[1] < b[0]]
    first = cuts[0][0]
    return (_new(Edit, (first, first, "".join(text[a:b] for a, b in gaps), None)),) + tuple(
        _new(Edit, (a, b, "", None)) for a, b in gaps
    )


_REMOVAL_TAIL = " before any step uses its value"


def _removal(line: int) -> str:
    return f"Remove the ARG: it is declared again at line {line}{_REMOVAL_TAIL}"


def _block_start_after(text: str, prev: Instruction, ins: Instruction) -> int:
    """_edits.block_start of ``ins``, ``prev`` the instruction just before it in the file."""
    start = line_start(text, ins.start)
    nl = text.find("\n", prev.end)
    return comments_above(text, start, len(text) if nl < 0 else nl + 1)


def _line_span(df: Dockerfile, ins: Instruction) -> tuple[int, int]:
    """The instruction's lines, the comments that belong to it first."""
    text = df.text
    nl = text.find("\n", ins.end)
    return block_start(df, ins), (len(text) if nl < 0 else nl + 1)


def _move(df: Dockerfile, moved: list[Instruction], first_use: Instruction | None, stage) -> Fix | None:
    text = df.text
    newline = line_ending_at(text, moved[0].start)
    edits, block = [], []
    for ins in moved:
        a, b = _line_span(df, ins)
        edits.append(Edit(a, b, ""))
        line = text[a:b]
        block.append(line if line.endswith("\n") else line + newline)
    block_text = "".join(block)
    cls = StackingFix
    if first_use is not None:
        at = _line_span(df, first_use)[0]
    else:
        last = stage.instructions[-1]
        if continued_to_end(df, last):
            return None  # (as _move_fast)
        at = _line_span(df, last)[1]
        if at == len(text) and not text.endswith("\n"):
            if edits[-1].end == len(text):
                return Fix(SAFE, _END_WHERE, _stay_up(text, edits))
            block_text = newline + block_text[: -len(newline)]  # the file still ends without one
    edits.append(Edit(at, at, block_text))
    where = f"line {first_use.start_line}" if first_use else "the end of the stage"
    # ARGs moved to the same place stack there in their order, as one pass after the other
    # would put them: each lands after the lines moved before it (the step's comments, or the
    # stage's end, follow them); at the end of a file without a final line break each starts
    # with one and ends without, so they stack too. Two ARGs of one name never land at one
    # place: an ARG moves no further than the next ARG of its name (one declared again before
    # any use is removed instead), so their order is the file's.
    return cls(SAFE, f"Move the ARG (and the metadata that uses only it) down to {where}", tuple(edits))
