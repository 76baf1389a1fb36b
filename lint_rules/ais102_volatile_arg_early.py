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
run project code, which reads build ARGs from its environment: a build script
(the project's own one named like a tool too, `script/test`, `./true`), a tool told
to run a program (`tar -I`/`--to-command`, apt's `-o …Invoke…` hooks or `-c`,
dpkg's `--post-invoke`), `gem install -g` (its Gemfile is Ruby code), any
`RUN` after a `SHELL` that runs the project's program or a startup file
(`["/app/run.sh", "-c"]`, `bash -l`) or after `BASH_ENV` is set (in the stage,
or in a stage it is built `FROM`, whose SHELL and environment it inherits),
`pip install .` or `-e` or a package file (`x.tar.gz`; a system package an
expansion names, `apt-get install -y $DEB`, may be one), a `pip install -r`
whose requirements install a local path, expand a variable anywhere
(`--index-url https://${TOKEN}@…`) or are not known. They are read as the image
holds them at that step: the path against the stage's WORKDIR (`WORKDIR
/app/backend` and `-r r.txt` read what `COPY . /app` put there, the context's
`backend/r.txt`), then the COPY or ADD that last wrote it (the whole context
or a folder of it, a file renamed, `COPY r2.txt r.txt`), each file they
include beside it; a file another stage or image gave (`COPY --from`), a
heredoc, an archive ADD unpacks, the base image (no COPY wrote it), or a RUN
that may have written it (`cp`, `curl -o`, any command not known to leave it
alone, a `cd` before the install) is not known, a package file's install (`gem install x.gem`,
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

import os
import posixpath
import re
from bisect import bisect_right
from typing import NamedTuple

from aishell.findings import SAFE, Edit, Example, Fix, Violation
from aishell.model import Dockerfile, Instruction, arg_definitions, continued_to_end, key_values, unquote
from aishell.rule import RuleContext
from aishell.lint_rules._stages import Adaptive, line_mark, relined, stage_key
from aishell.lint_rules._copies import QUOTED, WHOLE, context_path, copy_words, join_path, workdir_after
from aishell.lint_rules._edits import (
    SYSTEM_TOOLS,
    StackingFix,
    block_start,
    block_start_after,
    drop_instruction,
    environ_text,
    is_system_tool,
    line_ending_at,
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
        "FROM aishell:foundation\nCOPY requirements.txt ./\nARG BUILD_DATE\nLABEL org.opencontainers.image.created=$BUILD_DATE\n"
        "RUN apt-get update && apt-get install -y build-essential\nRUN pip install -r requirements.txt\n",
        "FROM aishell:foundation\nCOPY requirements.txt ./\nRUN apt-get update && apt-get install -y build-essential\n"
        "RUN pip install -r requirements.txt\nARG BUILD_DATE\nLABEL org.opencontainers.image.created=$BUILD_DATE\n",
        name="metadata only: moved to the end",
        files=(("requirements.txt", "flask\n"),),
        spans=((3, 5, 3, 15),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nARG GIT_COMMIT\nRUN pip install -r requirements.txt\n"
        "RUN echo ${GIT_COMMIT} > /commit\n",
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nARG GIT_COMMIT\n"
        "RUN echo ${GIT_COMMIT} > /commit\n",
        name="moved to just before its first use",
        files=(("requirements.txt", "flask\n"),),
        spans=((4, 5, 4, 15),),
    ),
    Example(
        "FROM python:3.12\nCOPY requirements.txt /src/\nARG VCS_REF\n"
        "RUN python3 -m venv /venv && /venv/bin/pip install -r /src/requirements.txt\nRUN python3 setup.py build\n",
        "FROM python:3.12\nCOPY requirements.txt /src/\n"
        "RUN python3 -m venv /venv && /venv/bin/pip install -r /src/requirements.txt\nARG VCS_REF\n"
        "RUN python3 setup.py build\n",
        name="venv and pip install read no build variables",
        files=(("requirements.txt", "flask\n"),),
        spans=((3, 5, 3, 12),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nARG GIT_SHA\nRUN pip install -r requirements.txt\nRUN make\n",
        None,
        name="requirements that install the project (-e .): pip builds it, no move past it",
        files=(("requirements.txt", "-e .\n"),),
        spans=((4, 5, 4, 12),),
    ),
    Example(
        "FROM aishell:foundation\nCOPY . /app\nWORKDIR /app/backend\nARG VERSION\nRUN pip install -r r.txt\n"
        "LABEL version=$VERSION\n",
        None,
        name="the requirements the image holds (backend/r.txt: -e .), not the context root's: no fix",
        files=(("r.txt", "flask\n"), ("backend/r.txt", "-e .\n"), ("backend/setup.py", "")),
        spans=((4, 5, 4, 12),),
    ),
    Example(
        "FROM aishell:foundation\nCOPY --from=build /src/r.txt .\nARG BUILD_DATE\nRUN pip install -r r.txt\n"
        "LABEL created=$BUILD_DATE\n",
        None,
        name="requirements another stage or image gave are not known: no fix",
        files=(("r.txt", "flask\n"),),
        spans=((3, 5, 3, 15),),
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
        "FROM aishell:foundation\nARG BUILD_NUMBER\r\nENV BUILD_NUMBER=$BUILD_NUMBER\nRUN apt-get update",
        "FROM aishell:foundation\nRUN apt-get update\nARG BUILD_NUMBER\r\nENV BUILD_NUMBER=$BUILD_NUMBER",
        name="mixed line endings, no final newline: every byte of the moved lines kept (the ENV's last one was cut)",
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
        name = argv[0].rsplit("/", 1)[-1]
        if name not in _NAMED and not name.startswith("python"):
            return _UNKNOWN_COMMAND  # (`make`, `./build.sh`: told by the name)
        quiet, code = _command(argv, name)
        if quiet:
            # _environ_text, inline: a plain command has no heredoc, `$` or redirection
            quiet = "environ" not in run.logical and "/proc" not in run.logical
        # (the files it reads matter only where it runs no project code: as below)
        return quiet, code, () if code else _context_reads(argv)
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


# The command names _command and _context_reads look into (and python*, which they read as pip or
# venv): any other command may read the environment and run project code, and reads no file of
# the context for it; tests/test_ais102_fast.py holds _facts to that on generated commands.
_UNKNOWN_COMMAND = (False, True, ())


# In a RUN's context reads: a node package manager, which reads its config files (see
# _manifests.NODE_RC_FILES): they may expand any build ARG.
NODE_RC = "\x00node rc files"
_NPM_LIKE = frozenset({"npm", "yarn", "pnpm", "bun"})
_NAMED = frozenset(IGNORES_ENV | SYSTEM_TOOLS | PACKAGE_MANAGERS | _NPM_LIKE | {"pip", "pip3", "gem"})


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
    if name in IGNORES_ENV and is_system_tool(argv[0]):  # SYSTEM_TOOLS (not `script/test`)
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

    def __init__(self, body: list[Instruction], builds=None, stage=None, inherited: bool = False):
        self.body = body
        # The stage is built FROM one whose SHELL or BASH_ENV runs the project's code
        # (_inherits_code_shell): every RUN of it may.
        self.inherited = inherited
        # (requirements files, stage, index of the RUN in it) -> whether installing them may
        # build the project
        self.builds = builds
        self.stage = stage
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
        # No `$` in the stage's lines nor a heredoc: no step names any variable (next_ref).
        self.unnamed = _FAST
        for i, ins in enumerate(body):
            logical = ins.logical
            if ins.heredocs:
                names = set(_REF_RE.findall(logical)) if "$" in logical else set()
                for h in ins.heredocs:
                    names.update(_REF_RE.findall(h.content))
                self.unnamed = False
            elif "$" in logical:
                names = set(_REF_RE.findall(logical))
                self.unnamed = False
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
        # From a SHELL that runs the project's program, or a BASH_ENV set, every RUN after may.
        every = -1 if self.inherited else _first_code_shell(body)
        for i in range(n - 1, -1, -1):
            ins = body[i]
            if ins.keyword == "RUN":
                ignores, runs_code, reqs = _run_facts(ins)
                if not ignores:
                    e = i
                if runs_code or i > every or (reqs and (self.builds is None or self.builds(reqs, self.stage, i + 1))):
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
        if self.unnamed:
            return len(self.body)  # (_uses needs a `$`)
        if _NAME_RE.fullmatch(name):
            refs = self.refs.get(name, ())
            k = bisect_right(refs, after)
            return refs[k] if k < len(refs) else len(self.body)
        for i in range(after + 1, len(self.body)):  # a name no reference pattern can spell: rare
            if _uses(self.body[i], name):
                return i
        return len(self.body)


_SHELL_SETTERS = frozenset({"SHELL", "ENV", "ARG"})
# Shells that, given `-c` and the RUN's command, read no file of the project's first.
_PLAIN_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "pwsh", "powershell", "cmd"})
_STARTUP_OPTS = frozenset({"-l", "--login", "-i", "--rcfile", "--init-file", "-ic", "-lc", "-il", "-li"})


def _first_code_shell(body: list[Instruction]) -> int:
    """The index of the first instruction of ``body`` after which every RUN may run the project's
    code (_every_run_runs_code), or its length."""
    return next(
        (i for i, ins in enumerate(body) if ins.keyword in _SHELL_SETTERS and _every_run_runs_code(ins)), len(body)
    )


def _inherits_code_shell(df: Dockerfile, flags: dict[int, bool], stage) -> bool:
    """Whether ``stage`` is built FROM a stage of the file (or one of its bases) whose SHELL or
    BASH_ENV runs the project's code: a stage inherits its base's SHELL and environment, so
    every RUN of it may read the build ARGs (`FROM builder` after builder's `SHELL
    ["/app/run.sh", "-c"]`). ``flags``: each stage's answer by index, filled in the file's order
    (a chain of 8,000 stages, each FROM the one before, is walked once; a base's own body is
    read once, under its index's complement)."""
    base = stage.base_stage(df)
    if base is None:
        got = False
    else:
        got = flags.get(base.index)
        if got is None:
            got = _inherits_code_shell(df, flags, base)
        if not got:
            # (the base's own body, read once however many stages are built FROM it)
            own = flags.get(~base.index)
            if own is None:
                body = base.instructions[1:]
                own = flags[~base.index] = _first_code_shell(body) < len(body)
            got = own
    flags[stage.index] = got
    return got


def _every_run_runs_code(ins: Instruction) -> bool:
    """Whether every shell-form RUN after ``ins`` (a SHELL, ENV or ARG) may run the project's
    code, which reads build ARGs from its environment: a SHELL whose program is not a known
    shell in a system folder (`["/app/run.sh", "-c"]`, the project's wrapper), a shell told to
    read a startup file (`-l`, `-i`, `--rcfile`) or given a script of its own before the
    command (`["bash", "-c", "source /app/env.sh; eval \"$0\""]`); `BASH_ENV` set (a file every
    non-interactive bash sources)."""
    if ins.keyword != "SHELL":
        if "BASH_ENV" not in ins.logical:
            return False
        names = _env_names(ins) if ins.keyword == "ENV" else [d[0] for d in _arg_defs(ins)]
        return "BASH_ENV" in names
    argv = ins.json_args
    if not argv:
        return True
    name = argv[0].rsplit("/", 1)[-1].rsplit("\\", 1)[-1].lower().removesuffix(".exe")
    if name not in _PLAIN_SHELLS or ("/" in argv[0] and not is_system_tool(argv[0])):
        return True
    rest = argv[1:]
    if any(a in _STARTUP_OPTS for a in rest):
        return True
    return "-c" in rest and rest.index("-c") < len(rest) - 1


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
    shells: dict[int, bool] = {}  # _inherits_code_shell's answers, by stage index
    # (Asked only in a file with a SHELL or a BASH_ENV: a chain of 47,000 stages looked up each
    # one's base for nothing, +0.2 s at 2 MB.)
    any_shell = "BASH_ENV" in text or any(ins.keyword == "SHELL" for ins in df.instructions)
    for stage in df.stages:
        instructions = stage.instructions
        inherited = any_shell and _inherits_code_shell(df, shells, stage)
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
        if key is not None:
            # The files its installs read may come from the stage it is built FROM: a stage of
            # the same text FROM another one reads other files.
            base = stage.base_stage(df)
            if base is not None:
                key = (base.index, key)
        if key is None:
            yield from _stage_findings(df, stage, builds, inherited)
            continue
        first = instructions[0]
        hit = memo.get(key)
        if hit is None:
            found = list(_stage_findings(df, stage, builds, inherited))
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


def _stage_findings(df: Dockerfile, stage, builds, inherited: bool = False):
    """The findings on one stage's ARGs (``inherited``: _inherits_code_shell's answer)."""
    instructions = stage.instructions
    body = instructions[1:]  # after FROM
    index = _Stage(body, builds, stage, inherited)
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
    project: a `pip install -r FILE…` unless each file is, as the image has it at that step, a
    file of the context (_Image.source: the path against the WORKDIR, then the COPY that last
    wrote it) that holds only named third-party packages (no `-e .`, `./pkg`, `file:`, and no
    `${NAME}` anywhere, in it or a file it includes, each of them the image's too); a node
    package manager when one of its config files may expand a variable. Per file linted."""
    image = None
    rc: list[bool] = []

    def builds(reqs: tuple[str, ...], stage, at: int) -> bool:
        nonlocal image
        from aishell.lint_rules import _manifests

        pip = tuple(r for r in reqs if r != NODE_RC)
        if len(pip) < len(reqs):
            if not rc:
                rc.append(bc is None or _manifests.node_rc_may_expand(bc, df))
            if rc[0]:
                return True
        if not pip:
            return False
        if bc is None:
            return True
        if image is None:
            image = _Image(df, bc)
        writes = image.index(stage)[4][at]
        if writes is None or writes[1]:
            return True  # the RUN may write the file before pip reads it, or reads it elsewhere (`cd`)
        workdir = image.workdirs(stage)[at]
        for r in pip:
            path = _image_path(workdir, r)
            if path is None or not _leaves(writes, path):
                return True
            if not image.harmless(stage, at, path):
                return True
        return False

    return builds


# -- the files an install reads, as the image has them --------------------------------------------

# The base image's working directory, not known: a path below it is relative to it (`COPY . .`
# and `pip install -r r.txt` in it agree wherever it is), and one elsewhere may or may not be it.
_BASE = "/\x00base"
_COPY_FLAGS_OK = frozenset({"chown", "chmod", "link"})  # flags that change no file's content or place
_NOT_HERE = object()  # the COPY writes nothing at the path


def _image_path(workdir: str | None, rel: str) -> str | None:
    """The absolute path a command in ``workdir`` reads for ``rel``; None when not known."""
    if not rel or rel.startswith("~") or "$" in rel or "`" in rel:
        return None
    if rel.startswith("/"):
        return _one_slash(join_path("/", rel))
    if workdir is None:
        return None
    path = _one_slash(join_path(workdir, rel))
    return path if path.startswith(_BASE) or not workdir.startswith(_BASE) else None  # (`../x` above it)


def _covers(dest: str, path: str) -> bool | None:
    """Whether ``path`` is ``dest`` or under it; None when one of them is below the base
    image's working directory and the other not (it may be anywhere)."""
    if dest.startswith(_BASE) != path.startswith(_BASE):
        return None
    return path == dest or path.startswith(dest.rstrip("/") + "/")


def _leaves(writes: tuple, path: str) -> bool:
    """The paths a RUN may write (_writes) leave ``path`` alone."""
    for w in writes[0]:
        got = _covers(w, path)
        if got is None or got:
            return False
    return True


# Commands that write no file's content but where their words say (none of them: a package
# manager's files, a user's, a folder made, a mode): a file one removes is not there, and the
# install fails.
_LEAVES_FILES = frozenset(
    {"apt-get", "apt", "apk", "yum", "dnf", "microdnf", "tdnf", "zypper", "rm", "mkdir", "chmod", "chown", "chgrp"}
    | {"true", ":", "test", "[", "useradd", "groupadd", "adduser", "addgroup", "usermod", "echo", "printf", "set"}
    | {"update-ca-certificates", "locale-gen", "ldconfig", "ls", "cat", "which", "export"}
)
# Commands that write the paths they name (all of them taken as written: `cp /src/r2.txt r.txt`).
_WRITES_OPERANDS = frozenset({"cp", "mv", "ln", "touch", "install"})
# pip options that put files where they name (a target folder, downloads, sources).
_PIP_PLACES = ("-t", "--target", "--prefix", "--root", "--src", "-d", "--dest", "--download")
_REDIRECT = re.compile(r"(?:&>>?|\d*>[>|]?)\s*([^\s;&|()<>]*)")
_WRITES: dict[str, tuple | None] = {}  # a RUN's text -> _writes


def _writes(run: Instruction) -> tuple | None:
    """(the absolute paths the RUN may write, whether it changes folder (`cd`)), or None when
    it may write any path: a command the rule does not know, a relative or unknown operand of
    one that writes (`cp`, `mv`), a redirection to one, a heredoc. Remembered by its text."""
    if run.heredocs:
        return None
    key = run.logical
    got = _WRITES.get(key, _NOT_HERE)
    if got is _NOT_HERE:
        got = _writes_of(run)
        if len(_WRITES) >= 4096:
            _WRITES.clear()
        _WRITES[key] = got
    return got


def _writes_of(run: Instruction) -> tuple | None:
    argv = plain_argv(run)  # one plain command (no redirection): its words, without the reader
    if argv is not None:
        commands = [_Words(argv, argv[0].rsplit("/", 1)[-1])]
    else:
        commands = analyse_run(run).commands
    if not commands:
        return None
    paths: list[str] = []
    moves = False
    text = run.logical[run.args_start :]
    if argv is None and ">" in text:
        for m in _REDIRECT.finditer(QUOTED.sub("q", text)):
            target = m.group(1)
            if target.startswith("&") or target.startswith("/dev/"):
                continue
            if not target.startswith("/") or any(c in target for c in "$`*?[~"):
                return None
            paths.append(_one_slash(join_path("/", target)))
    for c in commands:
        name, argv = c.name, c.argv
        if name in ("cd", "pushd", "popd"):
            moves = True
        elif name in _LEAVES_FILES:
            continue
        elif _is_pip_install(argv):
            if any(a.split("=", 1)[0] in _PIP_PLACES or a.startswith(("-t", "-d")) for a in argv):
                return None
        elif name.startswith("python") and argv[1:3] == ["-m", "venv"]:
            for a in argv[3:]:
                if not a.startswith("-"):
                    if not a.startswith("/") or any(ch in a for ch in "$`*?[~"):
                        return None
                    paths.append(_one_slash(join_path("/", a)))
        elif name in _WRITES_OPERANDS:
            for a in argv[1:]:
                if a.startswith("-"):
                    if a.startswith(("-t", "--target")):
                        return None  # (its folder, in the next word or this one)
                    continue
                if not a.startswith("/") or any(ch in a for ch in "$`*?[~"):
                    return None
                paths.append(_one_slash(join_path("/", a)))
        else:
            return None
    return tuple(paths), moves


class _Words(NamedTuple):
    argv: list[str]
    name: str


def _is_pip_install(argv: list[str]) -> bool:
    name = argv[0].rsplit("/", 1)[-1]
    if name.startswith("python") and argv[1:3] == ["-m", "pip"]:
        argv = argv[2:]
    elif name not in ("pip", "pip3"):
        return False
    return "install" in argv[1:]


class _Image:
    """Where a file an install reads comes from, as the image has it at that step: the path
    against the stage's working directory (absolute, relative, stacked WORKDIRs; the base
    image's, not known, when none), then the COPY or ADD that last wrote it, through the
    stages it is built FROM, past RUNs that leave it alone (_writes). Known only when that is
    a COPY of a file of the context (the whole context or a folder of it to a folder: the one
    mapping, _copies.context_path; a file to a file); not known when it comes from another
    stage or image (`COPY --from`), a URL or an archive ADD unpacks, a heredoc, a RUN that
    may write it, or the base image."""

    def __init__(self, df: Dockerfile, bc) -> None:
        self.df = df
        self.bc = bc
        self._workdirs: dict[int, list] = {}  # stage index -> working directory at each instruction, then after
        self._indexes: dict[int, tuple] = {}  # stage index -> _index
        # (stage index, path, index of its last writer before a step or -1) -> source's answer
        self._from: dict[tuple, object] = {}
        self._dirs: dict[str, bool] = {}

    def workdirs(self, stage) -> list:
        got = self._workdirs.get(stage.index)
        if got is not None:
            return got
        chain = [stage]
        base = stage.base_stage(self.df)
        while base is not None and base.index not in self._workdirs:
            chain.append(base)
            base = base.base_stage(self.df)
        for s in reversed(chain):
            base = s.base_stage(self.df)
            if base is not None:
                cur = self._workdirs[base.index][-1]
            elif s.image is not None and s.image.text.lower() == "scratch":
                cur = "/"
            else:
                cur = _BASE
            out = []
            for ins in s.instructions:
                out.append(cur)
                if ins.keyword == "WORKDIR":
                    cur = _workdir(cur, ins)
            out.append(cur)
            self._workdirs[s.index] = out
        return self._workdirs[stage.index]

    def index(self, stage) -> tuple:
        """The stage's writers, indexed once: (destination -> indices of the COPYs and ADDs
        into it and of the RUNs that may write it, in order; indices of those that may write
        anywhere; of those into a path below the base image's working directory; of those into
        another absolute path; each RUN's index -> _writes). A path's writers are then those into it or a folder above it,
        and those that may write anywhere or whose place cannot be compared with it (_covers):
        a look-up per folder, not a walk over the stage."""
        got = self._indexes.get(stage.index)
        if got is None:
            by_dest: dict[str, list[int]] = {}
            anywhere: list[int] = []
            based: list[int] = []
            absolute: list[int] = []
            workdirs = self.workdirs(stage)
            runs: dict[int, tuple | None] = {}
            for j, ins in enumerate(stage.instructions):
                kw = ins.keyword
                if kw == "RUN":
                    writes = runs[j] = _writes(ins)
                    places = None if writes is None else writes[0]
                elif kw in ("COPY", "ADD"):
                    dest = _dest(ins, workdirs[j])
                    places = None if dest is None else (dest,)
                else:
                    continue
                if places is None:
                    anywhere.append(j)
                    continue
                for d in places:
                    by_dest.setdefault(d, []).append(j)
                    kind = based if d.startswith(_BASE) else absolute
                    if not kind or kind[-1] != j:
                        kind.append(j)
            got = self._indexes[stage.index] = (by_dest, anywhere, based, absolute, runs)
        return got

    def source(self, stage, at: int, path: str):
        """(the COPY that wrote ``path`` as (stage index, its index), its source word, its
        absolute destination, the context file) as the image has it before instruction ``at``
        of ``stage``; None when not known."""
        seen = []
        while True:
            by_dest, anywhere, based, absolute, _runs = self.index(stage)
            j = _last_before(anywhere, at)
            j = max(j, _last_before(absolute if path.startswith(_BASE) else based, at))
            for folder in _folders(path):
                at_dest = by_dest.get(folder)
                if at_dest is not None:
                    j = max(j, _last_before(at_dest, at))
            key = (stage.index, path, j)
            got = self._from.get(key, _NOT_HERE)
            if got is not _NOT_HERE:
                break
            seen.append(key)
            if j >= 0:
                ins = stage.instructions[j]
                if ins.keyword == "RUN":
                    got = None  # it may write the path
                    break
                got = self._copied(stage, j, ins, self.workdirs(stage)[j], path)
                if got is not _NOT_HERE:
                    break
                at = j  # the COPY puts nothing there (not in the context): the writer before it
                continue
            base = stage.base_stage(self.df)
            if base is None:
                got = None  # the base image's, or none
                break
            stage, at = base, len(base.instructions)
        if len(self._from) >= 65536:
            self._from.clear()
        for key in seen:
            self._from[key] = got
        return got

    def _copied(self, stage, j: int, ins: Instruction, workdir, path: str):
        """What the COPY or ADD ``ins`` puts at ``path`` (source's answer), _NOT_HERE when
        it puts nothing there, None when not known."""
        words = copy_words(ins)
        dest = _dest(ins, workdir)
        if dest is None:
            return None
        dest_word = words[-1]
        covers = _covers(dest, path)
        if covers is None:
            return None
        if not covers:
            return _NOT_HERE
        if ins.heredocs or any(f.name not in _COPY_FLAGS_OK for f in ins.flags):
            return None  # a heredoc, `--from` another stage or image, `--parents`, `--exclude`
        from aishell.lint_rules._manifests import _in_context, plain_file

        bc = self.bc
        sources = words[:-1]
        for src in reversed(sources):  # a later source is copied over an earlier one
            if any(c in src for c in "$`*?[") or "://" in src or src.startswith("git@"):
                return None
            if src in WHOLE or self._isdir(src):
                rel = posixpath.normpath(context_path(src, dest, path))
                if not _in_context(bc, rel):
                    if bc.exists(rel):
                        return None  # excluded, or a folder: not known
                    continue
                return ((stage.index, j), src, dest, rel) if plain_file(bc, rel) else None
            if ins.keyword == "ADD":
                return None  # a file ADD may unpack (an archive, whatever its name)
            one = len(sources) == 1 and not dest_word.endswith("/")
            if one and path == dest:
                pass  # `COPY r2.txt r.txt`
            elif path == join_path(dest, posixpath.basename(src.rstrip("/"))):
                if one:
                    return None  # `COPY r.txt dir`: into it only when it is a folder
            else:
                continue
            rel = posixpath.normpath(src)
            return ((stage.index, j), src, dest, rel) if _in_context(bc, rel) and plain_file(bc, rel) else None
        return _NOT_HERE

    def _isdir(self, src: str) -> bool:
        got = self._dirs.get(src)
        if got is None:
            got = self._dirs[src] = os.path.isdir(os.path.join(self.bc.root, src))
        return got

    def harmless(self, stage, at: int, path: str) -> bool:
        """The requirements file the image holds at ``path`` before instruction ``at`` is a
        context file, and it and every file it includes (each the image's: the same COPY's)
        install only named third-party packages, expanding no variable."""
        from aishell.lint_rules import _manifests

        got = self.source(stage, at, path)
        if got is None:
            return False
        rel = got[3]
        bc = self.bc
        read = _manifests.reads(bc, "pip", ("pip", "install"), [rel], [])
        if read is None or read == _manifests.SOURCE:
            return False
        texts = [_manifests._read(bc, f) or "${" for f in (rel, *read[0])]
        # pip expands `${NAME}` on any line (`--index-url https://${TOKEN}@…`, a URL)
        if any("${" in t for t in texts):
            return False
        if not read[0]:
            return True
        # Each file it includes, where pip looks for it: beside it in the image, as it is
        # beside it in the context (no `..` in them: `-r ../sub/x.txt` names another folder
        # in the image than in the context when the two are not named alike).
        if any(".." in t for t in texts):
            return False
        here = posixpath.dirname(rel)
        top = here + "/" if here else ""
        folder = posixpath.dirname(path)
        for nested in read[0]:
            if not nested.startswith(top):
                return False
            there = self.source(stage, at, join_path(folder, nested[len(top) :]))
            if there is None or there[3] != nested:
                return False
        return True


def _dest(ins: Instruction, workdir: str | None) -> str | None:
    """The absolute destination of a COPY or ADD in ``workdir``; None when not known."""
    words = copy_words(ins)
    if len(words) < 2 or "$" in words[-1]:
        return None
    dest_word = words[-1]
    if dest_word.startswith("/"):
        return _one_slash(join_path("/", dest_word))
    if workdir is None:
        return None
    dest = _one_slash(join_path(workdir, dest_word))
    return None if workdir.startswith(_BASE) and not dest.startswith(_BASE) else dest


def _one_slash(path: str) -> str:
    """A normalised absolute path with one leading slash (normpath keeps two: `//app` is
    /app in the image)."""
    return "/" + path.lstrip("/") if path.startswith("//") else path


def _last_before(indices: list[int], at: int) -> int:
    """The last of the sorted ``indices`` below ``at``, -1 if none."""
    k = bisect_right(indices, at - 1)
    return indices[k - 1] if k else -1


def _folders(path: str):
    """The path and the folders above it, up to / (or to the base image's working directory)."""
    yield path
    stop = len(_BASE) if path.startswith(_BASE) else 1
    while len(path) > stop:
        path = path[: max(path.rfind("/"), stop)]
        yield path


def _workdir(cur: str | None, ins: Instruction) -> str | None:
    """workdir_after, and None for a relative WORKDIR that climbs above the base image's
    working directory (not known)."""
    new = workdir_after(cur, ins)
    if new is not None and cur is not None and cur.startswith(_BASE) and not new.startswith(_BASE):
        if not ins.args.strip().lstrip("'\"").startswith("/"):
            return None
    return new


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
        a = block_start_after(text, instructions[i], instructions[i + 1])
        nl = text.find("\n", instructions[i + 1].end)
        b = len(text) if nl < 0 else nl + 1
        edits.append(_new(Edit, (a, b, "", None)))
        block.append(text[a:b] if nl >= 0 else text[a:b] + newline)
        last_line = nl < 0
    block_text = "".join(block)
    cls = StackingFix
    if target_at < len(instructions) - 1:
        target = instructions[target_at + 1]
        at = block_start_after(text, instructions[target_at], target)
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
            block_text = _break_first(block_text)
        where = _END_WHERE
    edits.append(_new(Edit, (at, at, block_text, None)))
    return _new(cls, (SAFE, where, tuple(edits)))


_END_WHERE = "Move the ARG (and the metadata that uses only it) down to the end of the stage"


def _break_first(block: str) -> str:
    """The moved lines for the end of a file without a final line break: their last line break
    moved to their front, the bytes otherwise as they were. (Not the first moved line's ending:
    in a file of mixed endings the last line's may differ, and cutting the one's length off the
    other cut the last character of a moved `LABEL … d=$BUILD_DATE`, or left a CR at the end.)"""
    end = "\r\n" if block.endswith("\r\n") else "\n"
    return end + block[: -len(end)]


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
            block_text = _break_first(block_text)  # the file still ends without one
    edits.append(Edit(at, at, block_text))
    where = f"line {first_use.start_line}" if first_use else "the end of the stage"
    # ARGs moved to the same place stack there in their order, as one pass after the other
    # would put them: each lands after the lines moved before it (the step's comments, or the
    # stage's end, follow them); at the end of a file without a final line break each starts
    # with one and ends without, so they stack too. Two ARGs of one name never land at one
    # place: an ARG moves no further than the next ARG of its name (one declared again before
    # any use is removed instead), so their order is the file's.
    return cls(SAFE, f"Move the ARG (and the metadata that uses only it) down to {where}", tuple(edits))
