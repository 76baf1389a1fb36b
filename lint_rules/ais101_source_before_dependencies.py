"""AIS101 source-before-dependencies: the source is copied before the dependency install.

## What it does
Finds, within one stage, a `COPY`/`ADD` that brings in the whole context
(`.`, or a folder that holds the dependency manifest) before a `RUN` that
installs third-party dependencies from manifest files alone. Dependency
installs: `pip install -r`, `uv sync`, `poetry install`, `pipenv install`,
`npm ci`/`npm install`, `yarn`, `pnpm install`, `bun install`,
`bundle install`, `composer install`, `go mod download`, `cargo fetch`,
`dotnet restore`. Installing the project itself (`pip install .`,
`pip install -e .`, `npm run build`) is not a dependency install, and neither
is a requirements file that installs local paths (`-e .`, `./pkg`,
`name @ ./src/pkg`, also in a file it includes). The JSON form (`COPY [".", "."]`) counts as the shell form
(reported without a fix). Manifests are read only when they are regular files
of the context (never a FIFO, a device, or a link out of the context).

## Why is this bad?
A `COPY .` layer changes whenever any source file changes, and every step
after it re-runs. With the install after it, a one-line source edit
re-downloads and re-installs every dependency. Copying the manifests first,
installing, then copying the rest keeps the install cached until a manifest
changes.

## Example
```dockerfile
FROM aishell:foundation
WORKDIR /app
COPY . .
RUN npm ci
```

## Use instead
```dockerfile
FROM aishell:foundation
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
```

## Fix safety
Unsafe. The fix inserts a `COPY` of the files the install reads before the
source is there (the broad `COPY`'s flags, such as `--chown`, carried over)
and moves the install `RUN` above the broad `COPY`. It is offered only when
the rule knows every one of those files, reading the manifests from the build
context (regular files only, at most 1 MB each, never through a symlink; a
FIFO or a device is never opened):

- pip: the requirements files, and every file they include (`-r`,
  `--requirement=`, `-c`, nested), resolved from the including file's folder.
  A line the rule does not know (an unknown option, `--find-links ./wheels`,
  `${VAR}` in a path) means no fix; a local path (`-e .`, `./pkg`,
  `file:`, `name @ ./src/pkg`) makes it an install of the project, not
  reported at all.
- npm, yarn, pnpm, bun: `package.json`, the lock file, and the rc files the
  tool reads (`.npmrc`, `.yarnrc`, `.yarnrc.yml` with its `yarnPath` and
  `plugins` files). No fix for workspaces (`"workspaces"`, a
  `pnpm-workspace.yaml` with `packages`), local dependencies (`file:`,
  `link:`, `workspace:`, `portal:`, `patch:`, `./lib`), the project's own
  install hooks (`postinstall`, `prepare`… unless `--ignore-scripts`), a
  `.pnpmfile.cjs`, an rc file naming another local file, or a
  `package.json`/rc file in a folder above.
- bundler: a Gemfile of plain `source`/`gem`/`group`/`ruby` lines only
  (`gemspec`, `path:`, `eval_gemfile` or any other Ruby: no fix).
- go: `go.mod`/`go.sum`, unless a `replace` points at a local folder or a
  `go.work` applies. uv/poetry/pipenv/composer: no path or workspace sources,
  no hooks (composer `scripts` without `--no-scripts`, a classmap without
  `--no-autoloader`). cargo: never (it reads the crate's targets, such as
  `src/main.rs`, and its workspace members).

Besides, the `RUN` must do nothing but that one install (and commands that read no
source, such as `apt-get` or `rm`: a second install, `pip install -r r.txt && npm ci` or
`yarn || npm ci`, means no fix), no command of it may act on a path of the working directory
(`chown -R node .`, `rm -rf src`, a redirection `echo … > .npmrc`) or on the `COPY`'s
destination, the working directory, or a folder above them (`chown -R node /app`), no
variable it sets may name a relative path
(`PIP_CERT=ca.pem pip …`, `export NPM_CONFIG_USERCONFIG=./c.npmrc`), and no option a file
(`npm ci --cafile ./ca.pem`, `--userconfig=c.npmrc`, `pip install --cert ca.pem`) or a place
the install writes under the working directory (`--target ./vendor`, `-t vendor`, `--prefix`,
`--root`, `--src`, `--log`, `--report`: the moved `COPY . .` would overlay what it wrote), nor a
path that goes into a folder and back out (`-r x/../r.txt`, or `-r ../x/../sub/c.txt` in an
included file: the kernel resolves `x/..` only through a folder that exists, and the new `COPY`
makes only the folders of the files it copies); nor may the RUN
name an absolute path the broad `COPY` fills, other than the files the fix copies
(`npm ci --cafile /app/ca.pem` after `COPY . /app`, when the context sends `ca.pem`, however
quoted; a `$`, a glob or a brace in such a path counts as any; `PIP_FIND_LINKS=/app`, the
destination itself, too), nor may an `ENV` or `ARG` of the stage give a variable an
install reads (`PIP_*`, `NPM_CONFIG_*`, `UV_*`, `NODE_EXTRA_CA_CERTS`, `SSL_CERT_FILE`, …) a
relative path, an expansion (`$C`, `${X:-c.txt}`) or such an absolute one
(`ENV PIP_CONSTRAINT=constraints.txt`, `PIP_FIND_LINKS=wheels`; a bare `ARG` by its global
default); a stage built FROM one that does (at any depth) gets no fix at all. An rc file
naming a file by any relative path (`cafile=ca.pem` as `cafile=./ca.pem`), patch files pnpm
or bun read (`patchedDependencies`), uv's own config for `uv pip` (a `uv.toml`, or a
`pyproject.toml` with `[tool.uv]`, in the working directory or above), and a broad `COPY`
whose `--exclude` may leave out a file the fix would name (BuildKit does not apply it to a
file named as a source) mean no fix either. pip's
command line is read as pip reads it (`-e.`, `--edit=.`, `-evendor/lib`, a bare path such as
`vendor/lib`, `git+file:`, under `pip3`, `python3 -m pip` or `uv pip` too): a local path makes it
an install of the project, not reported. The new `COPY` carries only the flags a `COPY` takes:
from an `ADD` with its own (`--keep-git-dir`, `--checksum`, `--unpack`), no fix. And nothing but `LABEL`/`EXPOSE` and
copies of the whole context may stand between the two: a `COPY` or `ADD` of
anything else there may write a file the install reads (`COPY --from=b /x
./requirements.txt`) or the tool it runs (`COPY --from=ghcr.io/astral-sh/uv
/uv /bin/`). The fix stays unsafe because a
dependency's own build may still read project files. Paths that need quoting
(`pip install -r 'my reqs.txt'`), or that BuildKit would read as a flag (`--x.txt` first), are
written in the JSON form (`COPY ["my reqs.txt", "./"]`); no fix is offered for a path no form carries as it is (a
`$`, a quote, the escape character), for a name BuildKit would read as a
pattern (`*`, `?`, `[`, `\\`: `req[1].txt` would match `req1.txt`), nor when the
ignore file excludes a file the install reads (the `COPY` would fail) or may: a pattern BuildKit
and the classic builder read differently, or that aishell does not read (a `[` class, a `\\`
escape, a `^`: BuildKit makes them part of a Go regexp), leaves the answer unknown. The
comment lines directly above the `RUN` move with it, and the new `COPY` goes
above the comments of the broad one. An install that is the file's last line, continued to its
end (`RUN npm ci \\` and nothing after it), gets no fix: above the `COPY`, BuildKit would read the
`COPY` as more of it.

Installs the same broad `COPY` holds back one after the other (`COPY . .`,
`RUN npm ci`, `COPY . .`, `RUN pip install -r requirements.txt`, …, each
install blocked only by the installs before it) are moved by one fix, the
first install's: each goes above the `COPY` with its files, in their order,
as fixing them one at a time would leave them, so `migrate` needs one pass
however many there are. The later installs' findings carry no fix of their
own. An install whose finding is suppressed (`# aishell: ignore=AIS101`)
stays where it is and ends the chain there, as it would one at a time.
"""

from __future__ import annotations

import fnmatch
import io
import json
import os
import posixpath
import re
from array import array

from aishell.deps import DepInstall, find_dep_install, reads_no_source
from aishell.findings import UNSAFE, Edit, Example, Fix, Violation
from aishell.model import Instruction, continued_to_end, key_values
from aishell.rule import RuleContext
from aishell.lint_rules import _manifests
from aishell.lint_rules._copies import NOT_PLAIN_ASCII, QUOTED, WHOLE, context_path, copy_words_once, workdir_after
from aishell.lint_rules._copies import join_path as _join
from aishell.lint_rules._edits import block_start, block_start_after, comments_above, line_ending_at, suppresses
from aishell.lint_rules._stages import MAX, relined, stage_key
from aishell.lint_rules._stages import Adaptive as _Adaptive
from aishell.shell import analyse_run, plain_argv

CODE = "AIS101"
NAME = "source-before-dependencies"
SEVERITY = "warning"
FIX_AVAILABILITY = "sometimes"
# What may stand between the COPY and the install the fix moves above it: a COPY or ADD only of
# the whole context (it writes the context's files, which the fix's COPY gives the install too),
# not one of other sources, which may write a file the install reads (`COPY --from=b /x
# ./requirements.txt`, `COPY config/ ./`, an archive ADD unpacks) or the tool it runs (`COPY
# --from=ghcr.io/astral-sh/uv /uv /bin/`): above them, the install read the context's file
# instead, or failed.
BETWEEN_OK = {"LABEL", "EXPOSE"}
# The flags BuildKit's COPY takes: the COPY the fix writes carries the broad COPY's or ADD's.
COPY_FLAGS = {"chown", "chmod", "from", "link", "parents", "exclude"}


def _between_ok(ins) -> bool:
    """``ins`` may stand between the COPY and the install the fix moves above it."""
    if ins.keyword in BETWEEN_OK:
        return True
    if ins.keyword not in ("COPY", "ADD") or ins.heredocs or any(f.name == "from" for f in ins.flags):
        return False
    words = copy_words_once(ins)
    return len(words) >= 2 and all(w in WHOLE for w in words[:-1])


PKG = ("package.json", '{"dependencies": {"left-pad": "1.3.0"}}\n')

VALID = [
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n",
        name="manifests first",
        files=(PKG, "package-lock.json"),
    ),
    Example("FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN pip install .\n", name="installs the project itself"),
    Example("FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN npm run build\n", name="a build, not an install"),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n",
        name="requirements that install the project (-e .)",
        files=(("requirements.txt", "-e .\nflask\n"),),
    ),
    Example(
        "FROM aishell:foundation\nCOPY src/ /app/src/\nRUN npm ci\n",
        name="a folder without manifests",
        files=("src/main.js",),
    ),
    Example(
        "FROM aishell:foundation AS deps\nCOPY . /app\nFROM aishell:foundation\nWORKDIR /app\nRUN npm ci\n",
        name="another stage",
    ),
]

INVALID = [
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCOPY . .\n# python too\n"
        "RUN pip install -r requirements.txt\n",
        "FROM aishell:foundation\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\n"
        "COPY requirements.txt ./\n# python too\nRUN pip install -r requirements.txt\nCOPY . .\nCOPY . .\n",
        name="installs one COPY holds back one after the other: one fix moves them all, in their order",
        files=(PKG, "package-lock.json", ("requirements.txt", "flask\n")),
        findings=2,
        spans=((4, 5, 4, 8), (7, 5, 7, 8)),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
        "FROM aishell:foundation\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n",
        name="npm ci",
        files=(PKG, "package-lock.json", "src/index.js"),
        spans=((4, 5, 4, 8),),
    ),
    Example(
        "FROM aishell:foundation\nCOPY --chown=1000:1000 . /srv/app\nWORKDIR /srv/app\n"
        "RUN python3 -m venv /venv && /venv/bin/pip install --upgrade pip && /venv/bin/pip install -r requirements/base.txt\n",
        None,
        name="WORKDIR changes between: reported, no fix",
        files=("requirements/base.txt",),
        spans=((4, 69, 4, 82),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /srv/app\nCOPY --chown=1000:1000 . /srv/app\n"
        "RUN python3 -m venv /venv && /venv/bin/pip install -r requirements/base.txt\n",
        "FROM aishell:foundation\nWORKDIR /srv/app\nCOPY --chown=1000:1000 requirements/base.txt /srv/app/requirements/\n"
        "RUN python3 -m venv /venv && /venv/bin/pip install -r requirements/base.txt\nCOPY --chown=1000:1000 . /srv/app\n",
        name="pip -r in a subfolder, flags carried",
        files=("requirements/base.txt", "app.py"),
        spans=((4, 30, 4, 43),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n",
        None,
        name="install and build in one RUN: reported, no fix",
        files=(PKG,),
        spans=((4, 5, 4, 8),),
    ),
    Example(
        "FROM golang:1.23 AS build\r\nWORKDIR /src\r\nCOPY . .\r\nRUN go mod download\r\nRUN go build -o /app .\r\n",
        "FROM golang:1.23 AS build\r\nWORKDIR /src\r\nCOPY go.mod go.sum ./\r\nRUN go mod download\r\nCOPY . .\r\nRUN go build -o /app .\r\n",
        name="go, CRLF",
        files=("go.mod", "go.sum", "main.go"),
        spans=((4, 5, 4, 7),),
    ),
    Example(
        "FROM aishell:foundation\nCOPY app/ /app/\nWORKDIR /app\nRUN uv sync --frozen --no-install-project\n",
        None,
        name="a folder holding the manifest; WORKDIR between: no fix",
        files=("app/pyproject.toml", "app/uv.lock"),
        spans=((4, 5, 4, 7),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n",
        None,
        name="manifest not in the context: reported, no fix",
        spans=((4, 5, 4, 8),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN pip install -r 'my reqs.txt'\n",
        'FROM aishell:foundation\nWORKDIR /app\nCOPY ["my reqs.txt", "./"]\nRUN pip install -r \'my reqs.txt\'\nCOPY . .\n',
        name="a path with a space: the JSON form keeps it one path",
        files=("my reqs.txt",),
        spans=((4, 5, 4, 8),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
        None,
        name="the manifests are excluded by the ignore file: reported, no fix",
        files=(PKG, "package-lock.json", (".dockerignore", ".*\npackage*.json\n")),
        spans=((4, 5, 4, 8),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\n# the source\nCOPY . .\n# dependencies\nRUN npm ci\n",
        "FROM aishell:foundation\nWORKDIR /app\nCOPY package.json ./\n# dependencies\nRUN npm ci\n# the source\nCOPY . .\n",
        name="comments stay with their instructions",
        files=(PKG,),
        spans=((6, 5, 6, 8),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN yarn install\n",
        "FROM aishell:foundation\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install\nCOPY . .\n",
        name="an optional file the ignore file excludes (.*) is not copied",
        files=(PKG, "yarn.lock", ".yarnrc.yml", (".dockerignore", ".*\n")),
        spans=((4, 5, 4, 9),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n",
        "FROM aishell:foundation\nWORKDIR /app\nCOPY requirements.txt base.txt ./\n"
        "RUN pip install -r requirements.txt\nCOPY . .\n",
        name="a requirements file that includes another: both copied",
        files=(("requirements.txt", "-r base.txt\nflask\n"), ("base.txt", "requests\n")),
        spans=((4, 5, 4, 8),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable\n",
        "FROM aishell:foundation\nWORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml ./\n"
        "COPY .yarn/releases/yarn-4.cjs ./.yarn/releases/\nRUN yarn install --immutable\nCOPY . .\n",
        name="yarn's yarnPath: the release it runs is copied too",
        files=(PKG, "yarn.lock", (".yarnrc.yml", "yarnPath: .yarn/releases/yarn-4.cjs\n"), ".yarn/releases/yarn-4.cjs"),
        spans=((4, 5, 4, 9),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
        None,
        name="workspaces: the members are read too, no fix",
        files=(("package.json", '{"workspaces": ["packages/*"]}'), "package-lock.json", "packages/a/package.json"),
        spans=((4, 5, 4, 8),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
        None,
        name="the project's postinstall script reads the source: no fix",
        files=(("package.json", '{"scripts": {"postinstall": "node scripts/setup.js"}}'), "scripts/setup.js"),
        spans=((4, 5, 4, 8),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN bundle install\n",
        None,
        name="a Gemfile's gemspec: no fix",
        files=(("Gemfile", "source 'https://rubygems.org'\ngemspec\n"), "Gemfile.lock", "app.gemspec"),
        spans=((4, 5, 4, 11),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN cargo fetch\n",
        None,
        name="cargo reads the crate's targets: no fix",
        files=("Cargo.toml", "Cargo.lock", "src/main.rs"),
        spans=((4, 5, 4, 10),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN pip install -r 'req[1].txt'\n",
        None,
        name="a name BuildKit reads as a pattern: no fix",
        files=(("req[1].txt", "flask\n"), ("req1.txt", "other\n")),
        spans=((4, 5, 4, 8),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt && npm ci\n",
        None,
        name="two installs in one RUN: the fix would copy one's files only, no fix",
        files=(("requirements.txt", "flask\n"), PKG, "package-lock.json"),
        spans=((4, 5, 4, 8),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN npm ci && chown -R node:node .\n",
        None,
        name="a command of the RUN acts on the source: no fix",
        files=(PKG, "package-lock.json"),
        spans=((4, 5, 4, 8),),
    ),
    Example(
        'FROM aishell:foundation\nWORKDIR /app\nCOPY [".", "."]\nRUN npm ci\n',
        None,
        name="JSON form: reported, no fix",
        files=(PKG,),
        spans=((4, 5, 4, 8),),
    ),
]


# Memo layers (``_Memo``) that a test switches off to compare with the general path
# (tests/test_ais101_fast.py): every result must be the same with and without them.
_FAST = True
_MAX = MAX  # entries per memo; forgotten all at once past it (a file of distinct texts keeps nothing)
# The install's words as the memos (the COPY it is held against, what its tool reads, its message
# and fix) key it: its DepInstall and _manifests.cli_facts of the words, all that the answers
# read of them, so installs that differ only in an option nothing reads (`bundle install --jobs
# N`) are worked out once; False: by the words themselves. Before, each of 14,470 such installs
# over one large manifest (benchmarks/scale.py, 1 MB) chose its COPY, read its tool's answer and
# planned its fix again, and the memos kept an entry each: lint took 0.82 s of CPU (after: 0.55
# s), at 10 MB 7.0 s and 350 MB (after: 4.4 s, 160 MB). tests/test_ais101_install_memo.py
# compares on and off.
_CLI_FACTS = True
# Folders above a manifest past which an install is not looked at (no finding): each folder is a
# place a COPY may have brought the manifest to, and each is tried with paths as long as the
# manifest's, so an install's work grows with the square of its depth (2,000 nested WORKDIRs
# took 12 ms an install, 47 s for 2,500 of them). Real projects are a few folders deep.
MAX_DEPTH = 64


# A relative path without an empty, `.` or `..` segment: joined to a folder, it is that folder,
# a slash and itself, and relative to the folder again, itself.
_NAME_UNDER = re.compile(r"(?!\.\.?(?:/|$))[^/]+(?:/(?!\.\.?(?:/|$))[^/]+)*")


def _at_workdir(key: tuple, workdir: str, dep) -> tuple:
    """The memo key of a COPY's ``key`` (its sources and absolute destination) for an install in
    ``workdir``. A COPY into the working directory itself finds the same context files for the
    install's manifests wherever that directory is (each is the folder plus its own relative
    name), so its key leaves the folder out: stages that differ only in their WORKDIR
    (`/app1`, `/app2`, …) share what was found and the message."""
    if key[1] == workdir and not workdir.startswith("//"):
        names = _NAMES_UNDER.get(dep)
        if names is None:
            if len(_NAMES_UNDER) >= _MAX:
                _NAMES_UNDER.clear()
            names = _NAMES_UNDER[dep] = all(_NAME_UNDER.fullmatch(p) for p in dep.manifests + dep.extra)
        if names:
            return key[0], None  # None: the working directory
    return key, workdir


_NAMES_UNDER: dict = {}  # DepInstall -> its manifests and extra files are all names under the folder


class _Memo:
    """What the rule works out once per distinct text or path, not once per instruction or
    stage: a file that repeats `COPY . .` and `RUN npm ci` a hundred thousand times (in one
    stage, or one pair per stage) reads each of them once, maps the manifests once, writes a
    fix's text once, and its findings share their messages and fix texts (a file's findings
    once took a gigabyte)."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.fast = _FAST
        self.cli = _CLI_FACTS
        self.workdirs = _Adaptive(self.fast)  # (WORKDIR before, WORKDIR text) -> after
        self.copies = _Adaptive(self.fast)  # (workdir, COPY text) -> _copy_facts
        self.dirs: dict[str, bool] = {}  # source -> a folder of the context
        self.broad: dict[tuple, bool] = {}  # (COPY text, where its arguments start) -> may_be_broad
        self.words: dict[tuple, tuple | None] = {}  # (COPY text, where its arguments start) -> _copy_words
        self.between: dict[tuple, bool] = {}  # (COPY or ADD text, where its arguments start) -> _between_ok
        self.runs: dict[str, tuple] = {}  # RUN arguments' text -> _run_info
        self.lines: dict[str, tuple] = {}  # one-line RUN's text -> _run_info and the finding's span
        self.first = _Adaptive(self.fast)  # (workdir, manifest) -> the manifest's folders, up
        self.stages = _Adaptive(self.fast)  # a small stage's text -> its findings (check)
        self.found: dict[tuple, tuple] = {}  # (COPY sources and dest, workdir, install) -> (mapped, read)
        # (COPY sources and dest, workdir, DepInstall) -> _map's answer: installs that differ in an
        # option only (`npm ci --loglevel=x`, `--jobs 4`) map the same manifests.
        self.mapped: dict[tuple, tuple | None] = {}
        self.messages: dict[tuple, tuple[str, str]] = {}  # (COPY keyword, key, workdir, install) -> message parts
        self.plans: dict[tuple, tuple | bool] = {}  # (COPY source text, files, newline) -> fix lines, message
        self.edits: dict[str, Edit] = {}  # fix insertion text -> its Edit, shared by the findings
        self.paths: dict[str, tuple] = {}  # RUN's script text -> the absolute paths it names (reads_clear)
        # (destination, sources, files the fix copies) -> (how many of the stage's ENVs were held
        # against them, whether all were clear); one stage at a time (_check_stage clears it)
        self.env_checked: dict[tuple, tuple[int, bool]] = {}
        self.env_named: dict[int, str | None] = {}  # an ENV's or ARG's start -> _env_paths (check, _check_stage)

    def _put(self, memo: dict, key, value):
        if len(memo) >= _MAX:
            memo.clear()
        memo[key] = value
        return value

    def workdir_of(self, cur: str | None, ins: Instruction) -> str | None:
        workdirs = self.workdirs
        if not workdirs.on or ins.heredocs:
            return workdir_after(cur, ins)
        key = (cur, ins.logical, ins.args_start)
        got = workdirs.get(key, self)
        if got is self:
            return workdirs.put(key, workdir_after(cur, ins))
        workdirs.hits += 1
        return got

    def copy_of(self, workdir: str | None, ins: Instruction):
        """(the COPY's key: its sources and absolute destination, the sources, the destination)
        when it is a COPY of this stage's context that may bring in a manifest; else None."""
        copies = self.copies
        if not copies.on or ins.heredocs:
            return self._copy_facts(workdir, ins)
        key = (workdir, ins.logical, ins.args_start)
        got = copies.get(key, self)
        if got is self:
            return copies.put(key, self._copy_facts(workdir, ins))
        copies.hits += 1
        return got

    def _copy_facts(self, workdir: str | None, ins: Instruction):
        words = None if workdir is None else self.copy_words(ins)
        if words is None:
            return None
        sources, dest = words
        dest = _join(workdir, dest)
        for src in sources:  # a COPY that may bring in a manifest: the whole context, or a folder of it
            if src in WHOLE or self.isdir(src):
                return (tuple(sources), dest), sources, dest
        return None

    def copy_words(self, ins: Instruction) -> tuple[list[str], str] | None:
        """_copy_words, by the COPY's text (the same for every COPY of that text: the copies memo
        is by working directory too, and a file of distinct WORKDIRs gives it up)."""
        if ins.heredocs or not self.fast:
            return self._copy_words(ins)
        key = (ins.logical, ins.args_start)
        got = self.words.get(key, self)
        if got is self:
            got = self._put(self.words, key, self._copy_words(ins))
        return got

    def _copy_words(self, ins: Instruction) -> tuple[list[str], str] | None:
        """(sources, destination as written) of a COPY of this stage's context whose destination
        names no variable: what _copy_facts asks that needs no working directory."""
        if ins.heredocs or (ins.flags and ins.flag("from") is not None):
            return None
        text = ins.logical[ins.args_start :]
        if ins.json_args is None and text.isascii() and not NOT_PLAIN_ASCII.search(text):
            words = text.split()  # copy_words_once's commonest case, without its calls
        else:
            words = copy_words_once(ins)
        if len(words) < 2 or "$" in words[-1]:
            return None
        return words[:-1], words[-1]

    def may_be_broad(self, ins: Instruction) -> bool:
        """Whether _copy_facts may find the COPY broad in some working directory (by its text:
        the same for every COPY of that text in the file)."""
        if ins.heredocs or not self.fast:
            return self._may_be_broad(ins)
        key = (ins.logical, ins.args_start)
        got = self.broad.get(key)
        if got is None:
            got = self._put(self.broad, key, self._may_be_broad(ins))
        return got

    def between_ok(self, ins: Instruction) -> bool:
        """_between_ok of a COPY or ADD, by its text (the same for every one of that text)."""
        if ins.heredocs or not self.fast:
            return _between_ok(ins)
        key = (ins.logical, ins.args_start)
        got = self.between.get(key)
        if got is None:
            got = self._put(self.between, key, _between_ok(ins))
        return got

    def _may_be_broad(self, ins: Instruction) -> bool:
        words = self.copy_words(ins)
        if words is None:
            return False
        for src in words[0]:
            if src in WHOLE or self.isdir(src):
                return True
        return False

    def isdir(self, src: str) -> bool:
        """Whether ``src`` is a folder of the context (False without a context)."""
        got = self.dirs.get(src) if self.fast else None
        if got is None:
            bc = self.ctx.context
            got = bc is not None and os.path.isdir(os.path.join(bc.root, src))
            if self.fast:
                self._put(self.dirs, src, got)
        return got

    def run_info(self, run: Instruction):
        """(the first install without its source, its DepInstall, whether every command is an
        install or reads no source, the install's words as the memos key them (_keyed), the
        finding's span relative to the RUN's start or None), by the RUN's text when that
        decides them."""
        if run.heredocs or not self.fast:
            return self._keyed(_run_info(analyse_run(run), _script_text(run)) + (None,))
        if run._offsets is None:
            # One line: the RUN's characters in a row from its start, so the same text has its
            # finding at the same place from the start.
            text = run.logical
            info = self.lines.get(text)
            if info is None:
                argv = plain_argv(run)  # one plain command: its words, without the shell reader
                if argv is not None:
                    info = self._put(self.lines, text, _plain_info(run, argv, self.cli))
                    return info
                info = _run_info(analyse_run(run), text)
                span = None if info[1] is None else _span(run, info[0], run.start)
                info = self._put(self.lines, text, self._keyed(info + (span,)))
            return info
        text = run.logical[run.args_start :]
        info = self.runs.get(text)
        if info is None:
            info = self._put(self.runs, text, self._keyed(_run_info(analyse_run(run), text) + (None,)))
        return info

    def _keyed(self, info: tuple) -> tuple:
        """``info`` with the install's words replaced, under _CLI_FACTS, by (its DepInstall,
        _manifests.cli_facts of them): every memo that keyed an install by its words (the COPY
        it is held against, found_for, the message and fix plan) reads them only through these,
        so the pair is a complete key (found_for asks _manifests.reads_by of the facts)."""
        dep = info[1]
        if not self.cli or dep is None:
            return info
        return info[0], dep, info[2], (dep, _manifests.cli_facts(dep.tool, info[3])), info[4]

    def env_paths(self, ins: Instruction) -> str | None:
        """_env_paths of the ENV or ARG ``ins``, worked out once for the file."""
        got = self.env_named.get(ins.start, self)
        if got is self:
            got = self.env_named[ins.start] = _env_paths(ins, self.ctx.df)
        return got

    def reads_clear(self, run: Instruction, envs: list, sources, dest: str, mapped) -> bool:
        """Whether no absolute path the RUN names (_ABSOLUTE: a word, an option's value, a
        variable's), nor an ENV or ARG of the stage before it (``envs``), is one the broad COPY
        of ``sources`` to ``dest`` may bring, but the files the fix copies (``mapped``: the
        context's needed and optional ones): above the COPY the install would not find it (`npm
        ci --cafile /app/ca.pem`, `PIP_CERT=/app/ca.pem pip install -r requirements.txt`, `ENV
        PIP_FIND_LINKS=/app` after `COPY . /app`). A path the context does not send the first
        segment of is not the COPY's (`/app/node_modules`); one with a `$`, a glob or an open
        quote is held to its part before it; the destination itself counts (its files)."""
        if envs:
            # (Each ENV is held once against a destination and the files the fix copies: the
            # answer for the stage's first k ENVs is kept and extended, not asked again per RUN.)
            key = (dest, tuple(sources), tuple(mapped[0]), tuple(mapped[1]))
            done, ok = self.env_checked.get(key, (0, True))
            if ok and done < len(envs):
                ok = all(self._clear(ins, sources, dest, mapped) for ins in envs[done:])
                self.env_checked[key] = (len(envs), ok)
            if not ok:
                return False
        return self._clear(run, sources, dest, mapped)

    def _clear(self, ins: Instruction, sources, dest: str, mapped) -> bool:
        if not ins.heredocs and "/" not in ins.logical:
            return True  # (the commonest case, without the script's text)
        text = _script_text(ins)
        paths = self.paths.get(text)
        if paths is None:
            paths = self._put(self.paths, text, _absolute_paths(text))
        return not paths or self._paths_clear(paths, sources, dest, mapped)

    def _paths_clear(self, paths, sources, dest: str, mapped) -> bool:
        dest = posixpath.normpath(dest)
        top = "/" if dest == "/" else dest + "/"
        bc = self.ctx.context
        copied = {*mapped[0], *mapped[1]}
        for p in paths:
            stem = _UNKNOWN.split(p, 1)[0]
            known = stem == p
            norm = "/" + posixpath.normpath(stem).lstrip("/") if stem else "/"  # (`//app`: Linux reads `/app`)
            if not known and (top.startswith(stem) or top.startswith(norm.rstrip("/") + "/")):
                return False  # (`/$X/ca.pem`, `/ap$X`, `/a*`, `/ap\p`: may be anything under the destination)
            if norm == dest:
                return False  # (`PIP_FIND_LINKS=/app`: what the COPY put there)
            if not norm.startswith(top):
                continue
            rel = norm[len(top) :]
            if not known and "/" not in rel:
                return False  # (`/app/ca$X.pem`, `/app/c*.pem`: some file of the destination's folder)
            for src in sources:
                whole = src in WHOLE
                ctx_rel = rel if whole else src.strip("/").removeprefix("./") + "/" + rel
                if known and ctx_rel in copied:
                    continue
                sent = ctx_rel.split("/", 1)[0] if whole else ctx_rel
                if bc is None or (bc.exists(sent) and bc.ignored(sent) is not True):
                    return False
        return True

    def folders(self, workdir: str, manifest: str) -> tuple[str, ...]:
        first = self.first
        if not first.on:
            path = _join(workdir, manifest)
            if path.count("/") > MAX_DEPTH:
                return ()
            return _ancestors_fast(path) if self.fast else tuple(_ancestors(path))
        key = (workdir, manifest)
        up = first.get(key)
        if up is None:
            path = _join(workdir, manifest)
            return first.put(key, () if path.count("/") > MAX_DEPTH else _ancestors_fast(path))
        first.hits += 1
        return up

    def message(self, copy: Instruction, key, at, dep: DepInstall, mapped) -> str:
        """The finding's message: its text around the COPY's line number worked out once per
        COPY keyword, sources, workdir and install (``at``: _at_workdir's key)."""
        needed, optional = mapped
        # (The text reads the install's argv through ``dep`` and ``mapped`` only.)
        mkey = (copy.raw_keyword, at, dep, tuple(needed), tuple(optional))
        got = self.messages.get(mkey) if self.fast else None
        if got is None:
            names = ", ".join(os.path.basename(p) for p in needed + optional) or ", ".join(dep.manifests)
            got = (
                f"`{copy.raw_keyword} {' '.join(key[0])}` on line ",
                f" brings in the source before `{dep.tool}`, which needs only {names}: copy those first and "
                "install before the rest, so a source-only change reuses the install",
            )
            if self.fast:
                self._put(self.messages, mkey, got)
        return f"{got[0]}{copy.start_line}{got[1]}", len(got[0])

    def found_for(self, at, sources: list[str], dest: str, workdir: str, dep: DepInstall, cli):
        """(the context paths of the needed and optional files, what the tool reads besides),
        for the install after a COPY of ``sources`` to ``dest``; (None, None) when the COPY
        does not bring in its manifests. ``at``: _at_workdir of the COPY's key; ``cli``: the
        install's words, or (its DepInstall, their cli_facts) under _CLI_FACTS (_keyed)."""
        fkey = (at, cli)
        found = self.found.get(fkey) if self.fast else None
        if found is None:
            ctx = self.ctx
            if self.fast:
                mkey = (at, dep)
                mapped = self.mapped.get(mkey, self)
                if mapped is self:
                    mapped = self._put(self.mapped, mkey, _map(self, sources, dest, workdir, dep))
            else:
                mapped = _map(self, sources, dest, workdir, dep)
            if mapped is None:
                read = None
            elif self.cli:
                read = _manifests.reads_by(ctx.context, dep.tool, cli[1], *mapped)
            else:
                read = _manifests.reads(ctx.context, dep.tool, cli, *mapped)
            if read is not None and read != _manifests.SOURCE and (read[0] or read[1]):
                # The files the manifests include, and the companions the tool reads, go too.
                more = mapped[0] + [p for p in read[0] if p not in mapped[0]]
                mapped = (more, [p for p in mapped[1] + read[1] if p not in more])
            found = (mapped, read)
            if self.fast:
                self._put(self.found, fkey, found)
        return found


def _span(run: Instruction, at: int, base: int) -> tuple[int, int]:
    """The span a finding on the RUN's command ``at`` points at (its first word), less ``base``."""
    cmd = analyse_run(run).commands[at]
    first = cmd.spans[0] if cmd.spans else None
    if first:
        return first[0] - base, first[1] - base
    return run.start - base, run.start + len(run.raw_keyword) - base


def _plain_info(run: Instruction, argv: list[str], cli: bool):
    """run_info's answer for a one-line RUN of one plain command (shell.plain_argv's words):
    the command is the install or there is none, and the finding's span is its first word,
    which stands in the source as written (plain words have no quotes or escapes). ``cli``:
    _CLI_FACTS (the words as _Memo._keyed gives them). Whether it may move is _run_info's for
    one command: a word that reads as a relative path assigned (`pip install -r r.txt
    X=ca.pem`) keeps it in place there (_assigns_path reads the text, not the commands)."""
    d = find_dep_install(argv)
    if d is None or d.needs_source:
        return None, None, False, (), None
    at = run.logical.index(argv[0], run.args_start)
    words = (d, _manifests.cli_facts(d.tool, argv)) if cli else tuple(argv)
    return 0, d, not _assigns_path(_script_text(run)), words, (at, at + len(argv[0]))


def _run_info(script, text: str):
    """(the first install's command index, its DepInstall, whether the RUN may move above the
    COPY, its words). Whether it may move: False when another command is an install too (the
    fix copies one install's files: `pip install -r r.txt && npm ci`, `yarn || npm ci`), or
    reads the context (not reads_no_source), or the script assigns a variable a relative path
    (`PIP_CERT=ca.pem pip …`, `export NPM_CONFIG_USERCONFIG=./c.npmrc`: a file the fix does
    not copy); else True, or the absolute paths its file commands act on (`chown -R node
    /app`), which the caller holds against the COPY's destination and the working directory.
    ``text``: the script's text (with its heredocs)."""
    commands = script.commands
    for i, c in enumerate(commands):
        d = find_dep_install(c.argv)
        if d is not None and not d.needs_source:
            touched: list[str] = []
            fixable = (
                not _assigns_path(text)
                and _redirects_clear(text, touched)
                and all(
                    k == i or (reads_no_source(o.argv) and _file_operands(o.argv, touched))
                    for k, o in enumerate(commands)
                )
            )
            return i, d, fixable and (tuple(touched) or True), tuple(c.argv)
    return None, None, False, ()


def _script_text(run: Instruction) -> str:
    return run.logical[run.args_start :] + "".join(h.content for h in run.heredocs)


# A variable assigned a relative path (`NAME=ca.pem`, `NAME="./c.npmrc"`, a `:`-separated list
# holding one): the install may read the file it names (PIP_CERT, PIP_CONSTRAINT,
# PIP_CONFIG_FILE, npm_config_cafile, NPM_CONFIG_USERCONFIG…), which the fix does not copy.
_ASSIGNMENT = re.compile(r"(?:^|[\s;&|(`])[A-Za-z_][A-Za-z0-9_]*=(?!=)[\"']?([^\s\"';&|)`]*)")
_RELATIVE_FILE = re.compile(r"\.\.?(?:/.*)?|[^/$~-].*(?:/.*|\.[A-Za-z][A-Za-z0-9]*)", re.S)


# Variables an install reads (pip's, npm's, yarn's, pnpm's, bun's, bundler's, composer's, uv's,
# poetry's, go's, cargo's, node's, and the TLS ones every downloader reads).
_INSTALLER_VARS = (
    "PIP_", "NPM_CONFIG_", "YARN_", "PNPM_", "BUN_", "BUNDLE_", "GEM_", "COMPOSER", "UV_", "POETRY_",
    "PIPENV_", "GO", "CGO_", "CARGO_", "NODE_", "SSL_CERT_", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
    "GIT_", "PYTHONPATH",
)  # fmt: skip


def _env_paths(ins: Instruction, df=None) -> str | None:
    """ "relative" when an ENV (or an ARG, its value or the global default it takes) gives a
    variable an install reads a relative path or one not known (`ENV PIP_CONSTRAINT=c.txt`,
    `NPM_CONFIG_CAFILE=./ca.pem`, `PIP_FIND_LINKS=wheels`, `PIP_CONSTRAINT=$C`): the moved
    install reads it where the fix copies nothing; "absolute" when it names an absolute one
    (held against the COPY's destination: reads_clear); else None."""
    found = None
    text = ins.logical[ins.args_start :]
    for name, value in key_values(ins):
        upper = name.upper()
        if not upper.startswith(_INSTALLER_VARS):
            continue
        from_global = ins.keyword == "ARG" and "=" not in text.split(name, 1)[-1][:1] and df is not None
        if from_global:
            value = _global_default(df, name)  # (`ARG PIP_CONSTRAINT`: the global default, if any)
        if not value:
            continue
        if from_global and "/" in value:
            return "relative"  # (reads_clear holds the instruction's own text: this one is elsewhere)
        if "$" in value or "`" in value:
            return "relative"  # (an expansion: any path)
        for part in value.split(":"):
            if _RELATIVE_FILE.fullmatch(part) or (part and _PATH_VAR.search(upper) and _relative_word(part)):
                return "relative"
            if "/" in part:
                found = "absolute"
    return found


# Installer variables whose value is a path whatever it looks like (`PIP_FIND_LINKS=wheels`).
_PATH_VAR = re.compile(r"(?:FILE|CONFIG|PATH|DIR|LINKS|CONSTRAINT|CERTS?|CAFILE|REQUIRE\w*|PREFIX|CACHE|HOME)$")


def _relative_word(word: str) -> bool:
    """A word that names a relative path if a path at all: not absolute, no URL, no flag value."""
    return (
        not word.startswith(("/", "~", "-"))
        and "://" not in word
        and not word.isdigit()
        and word.lower() not in ("true", "false", "yes", "no", "on", "off")
    )


def _global_default(df, name: str) -> str | None:
    """The raw default of the global ARG ``name`` (the last definition before the first FROM)."""
    definitions, by_name = df.global_definitions()
    ks = by_name.get(name)
    return definitions[ks[-1]][1] if ks else None


def _assigns_path(text: str) -> bool:
    """Whether the script assigns a variable a relative path (`NAME=ca.pem`, `NAME="./c.npmrc"`,
    a `:`-separated list holding one): the install may read the file it names (PIP_CERT,
    PIP_CONSTRAINT, PIP_CONFIG_FILE, npm_config_cafile, NPM_CONFIG_USERCONFIG…), which the fix
    does not copy."""
    if "=" not in text:
        return False
    return any(_RELATIVE_FILE.fullmatch(p) for m in _ASSIGNMENT.finditer(text) for p in m.group(1).split(":"))


# A redirection and its target (`> .npmrc`, `2>>log`, `&>out`, `>|f`, `< in.txt`; not `2>&1`,
# a heredoc's `<<` or a here-string's `<<<`, nor `<(…)`).
_REDIRECT = re.compile(r"(?<![<>&])(?:&>>?|[0-9]*>>?|[0-9]*>\||[0-9]*<(?![<&(]))[ \t]*([^\s;&|()<>]+)")


# An absolute path the script names: a word, an option's or a variable's value (`--cafile=/x`,
# `PIP_CERT=/x`), one of a `:` list, a short option's attached value (`-c/x`), quoted in any part
# or not (`"/app"/ca.pem`, `/app/'ca.pem'`).
_ABSOLUTE = re.compile(r"(?:(?<![^\s=:\"'])|(?<=\s-[A-Za-z]))(/(?:[^\s;&|()<>`:\\]|\\.)*)")
# What makes a path's rest unknown: an expansion, a glob or brace, an escape, an open quote.
_UNKNOWN = re.compile(r"[$`*?\[{\\]|[\"'](?=[^\"']*$)")


def _absolute_paths(text: str) -> tuple[str, ...]:
    """The absolute paths ``text`` names (_ABSOLUTE), quotes that close removed (`/ap""p` is
    `/app`, and the closing quote of a path quoted whole; one left open keeps its quote:
    _UNKNOWN stops there)."""
    out = set()
    for m in _ABSOLUTE.finditer(text):
        path = m.group(1)
        if '"' in path or "'" in path:
            before = text[m.start() - 1 : m.start()]
            if before in ("'", '"') and path.endswith(before):
                path = before + path  # (`"/app/ca.pem"`: its opening quote stands before the match)
            path = QUOTED.sub(lambda q: q.group()[1:-1], path)
        out.add(path)
    return tuple(out)


def _redirects_clear(text: str, touched: list[str]) -> bool:
    """False when the script redirects to or from a path relative to the working directory (or
    one not known: a `$`, a quote), which the moved RUN would write before the source is copied
    over it (`echo registry=… > .npmrc && npm ci`) or read before it is there; the absolute
    paths it names are added to ``touched`` (the caller holds them against the COPY's
    destination and the working directory)."""
    if ">" not in text and "<" not in text:
        return True
    # (Quoted text is no redirection: `'flask>=2,<3'`; a quoted target reads as a relative one.)
    for m in _REDIRECT.finditer(QUOTED.sub("q", text)):
        target = m.group(1)
        if not target.startswith("/") or "$" in target or "`" in target:
            return False
        if not target.startswith("/dev/"):
            touched.append(target)
    return True


# Commands that read nothing from the context but act on the files they name (deps.NO_SOURCE):
# above the COPY they would act on what is there before the source (`chown -R node .`, `rm -rf
# src`); operands taken as paths, but a chown/chmod's owner or mode, and a test's strings.
_FILE_COMMANDS = {"rm", "mkdir", "chmod", "chown", "ln", "test", "[", "apt-get", "apt", "apk", "yum", "dnf"}
_PACKAGE_TOOLS = {"apt-get", "apt", "apk", "yum", "dnf"}


def _file_operands(argv, touched: list[str]) -> bool:
    """False when the command names a path relative to the working directory (or one not known:
    `$X`); the absolute paths it names are added to ``touched``."""
    tool = argv[0].rsplit("/", 1)[-1] if argv else ""
    if tool not in _FILE_COMMANDS:
        return True
    words = argv[1:]
    if tool in ("test", "["):
        words = [w for k, w in enumerate(words) if k and re.fullmatch(r"-[a-zA-Z]", words[k - 1])]
    else:
        words = [w for w in words if not w.startswith("-")]
        if tool in ("chmod", "chown") and not any(w.startswith("--reference") for w in argv):
            words = words[1:]
        if tool in _PACKAGE_TOOLS:
            words = [w for w in words if "/" in w or w.startswith(".")]
    for w in words:
        if w.startswith("~"):
            # The home folder: /root, or a user's under /home (`~user`, or after USER).
            touched += ["/root" + (w[1:] if w[1:2] in ("", "/") else "/"), "/home/*"]
        elif not w.startswith("/") or "$" in w or "`" in w:
            return False
        else:
            touched.append(w)
    return True


def _clear_of(touched: tuple[str, ...], *dirs: str) -> bool:
    """None of the absolute paths ``touched`` (a glob's part before its first `*`, `?` or `[`) is
    one of ``dirs``, a folder above one, or a path under one."""
    for path in touched:
        stem = re.split(r"[*?\[]", path, maxsplit=1)[0]
        glob = stem != path
        path = posixpath.normpath(stem) if not glob else stem
        for d in dirs:
            if glob:
                if d.startswith(stem) or stem.startswith(d.rstrip("/") + "/"):
                    return False
            elif path == d or d.startswith(path.rstrip("/") + "/") or path.startswith(d.rstrip("/") + "/"):
                return False
    return True


def check(ctx: RuleContext):
    df = ctx.df
    m = _Memo(ctx)
    new = tuple.__new__  # Violation(...) without its generated __new__: a file may have 500,000
    lines = m.lines if m.fast else {}  # one-line RUNs read before (m.run_info's first case)
    text = df.text
    # A small stage's text -> (its start, its first line, its findings with their messages' COPY
    # line): a stage of the same text elsewhere has the same findings, moved (nothing the rule
    # reads lies outside the stage's lines, and each stage starts afresh).
    stages = m.stages
    # Stage index -> whether its ENV or ARG (or its base's) sets an installer's variable: asked
    # only of the stages checked and of their bases (a file of ARG stages with no broad COPY reads
    # none of its ARGs).
    env_set: dict[int, bool] = {}
    for stage in df.stages:
        instructions = stage.instructions
        if m.fast:
            # A finding needs a RUN after a COPY or ADD that may bring in a manifest (the whole
            # context, or a folder of it): a stage without one has none (a fixed file's stages,
            # `COPY package.json ./`, `RUN npm ci`, `COPY . .`, work nothing out).
            seen = False
            for ins in instructions:
                kw = ins.keyword
                if kw == "RUN":
                    if seen:
                        break
                elif (kw == "COPY" or kw == "ADD") and not seen:
                    seen = m.may_be_broad(ins)
            else:
                continue
        base = stage.base_stage(df)
        inherited = base is not None and _sets_env(m, df, base, env_set)
        key = stage_key(text, instructions) if stages.on and not inherited else None
        if key is not None and _WORKDIR_FREE:
            key = _workdir_free_key(key, instructions)
        if key is None:
            for v, _, _ in _check_stage(m, df, stage, lines, new, inherited):
                yield v
            continue
        first = instructions[0]
        hit = stages.get(key)
        if hit is None:
            found = list(_check_stage(m, df, stage, lines, new))
            stages.put(key, (first.start, first.start_line, found))
            for v, _, _ in found:
                yield v
            continue
        stages.hits += 1
        d, dl = first.start - hit[0], first.start_line - hit[1]
        for v, head, line in hit[2]:
            message, fix = v[0], v[3]
            if dl:
                message = relined(message, head, line, dl)
            if fix is not None:
                fix = new(
                    type(fix),
                    (fix[0], fix[1], tuple(new(Edit, (e[0] + d, e[1] + d, e[2], e[3])) for e in fix[2])),
                )
            yield new(Violation, (message, v[1] + d, v[2] + d, fix, v[4]))


# False: stages are remembered by their whole text only (tests/test_ais101_fast.py compares).
_WORKDIR_FREE = True
# A WORKDIR path whose stage may be remembered without it: absolute, plain segments, none a dot
# or dot-dot (none starts with a dot), not the root.
_PLAIN_WORKDIR = re.compile(r"(?:/[A-Za-z0-9_-][A-Za-z0-9_.-]*)+")
# What would let an instruction's text name a path that a WORKDIR's path could be or hold
# (`/app1/x`, `~`: /root), or a COPY's destination be spelled otherwise than as a plain relative
# path (a quote, an escape, a variable, `..`: the folder above, which `COPY . ..` maps the
# context to).
_NAMES_A_PATH = re.compile(r"[/~]")
_COPY_UNPLAIN = re.compile(r"[~\"'\\`$]|\.\.")


def _workdir_free_key(key: str, instructions) -> str | tuple:
    """The stage memo's key for a stage whose findings do not depend on the name of its working
    directory: ``key`` (the stage's text) with the path of its one WORKDIR made anonymous (every
    character but its slashes replaced), so stages that differ only in it (`WORKDIR /app1`,
    `/app2`, …) are worked out once. Such a stage has one one-line WORKDIR of a plain absolute
    path (_PLAIN_WORKDIR) before every COPY and ADD, each of which copies to a plain relative
    destination (no quote, escape, variable, `~` or `..`, not absolute), and no other
    instruction after its FROM names a path (_NAMES_A_PATH: no `/` or `~`), nor has a heredoc. Then every working directory the rule reads is that path (the one before it, `/`,
    has no COPY to look at), every destination is the path or a name under it, and every
    manifest a name under it: the rule relates them to each other only (the context paths they
    map to, which COPY holds which manifest, whether a fix's COPY goes to the install's
    directory), never to a path written elsewhere (reads_clear, _clear_of: none is written). A
    path of the same length and the same slashes gives the same offsets and the same depth
    (MAX_DEPTH). Any other stage keeps ``key``."""
    workdir = None
    for ins in instructions[1:]:
        kw = ins.keyword
        if ins.heredocs:
            return key
        if kw == "WORKDIR":
            if workdir is not None or ins._offsets is not None:
                return key
            workdir = ins
        elif kw == "COPY" or kw == "ADD":
            logical = ins.logical
            if workdir is None or ins.json_args is not None or _COPY_UNPLAIN.search(logical):
                return key
            if logical.rsplit(None, 1)[-1].startswith("/"):
                return key
        elif _NAMES_A_PATH.search(ins.logical):
            return key
    if workdir is None:
        return key
    path = workdir.logical[workdir.args_start :].strip()
    if not _PLAIN_WORKDIR.fullmatch(path):
        return key
    at = workdir.start - instructions[0].start + workdir.logical.index(path, workdir.args_start)
    anonymous = "/".join("_" * len(part) for part in path.split("/"))
    return "WORKDIR", f"{key[:at]}{anonymous}{key[at + len(path) :]}"


def _sets_env(m: _Memo, df, stage, env_set: dict[int, bool]) -> bool:
    """Whether an ENV or ARG of ``stage`` or of a stage it is built FROM (_env_paths) sets an
    installer's variable; each stage worked out once, a chain of bases without recursion."""
    chain = []
    while stage is not None and stage.index not in env_set:
        chain.append(stage)
        stage = stage.base_stage(df)
    got = stage is not None and env_set[stage.index]
    for s in reversed(chain):
        got = env_set[s.index] = got or any(
            (i.keyword == "ENV" or i.keyword == "ARG") and m.env_paths(i) for i in s.instructions
        )
    return got


def _check_stage(m: _Memo, df, stage, lines: dict, new, inherited: bool = False):
    """The stage's findings, each with where its message's COPY line number begins and that number.
    ``inherited``: the stage is built FROM one whose ENV or ARG gives an installer's variable a
    value (_env_paths): no fix then."""
    m.env_checked.clear()
    workdir: str | None = "/"
    # Broad COPYs so far, indexed by destination: (position, COPY, sources, dest abs, workdir
    # then, key). Two COPYs of the same sources to the same place bring in the same files, so
    # only the first is kept; a RUN looks only at destinations that hold its manifest (the
    # manifest path's ancestors), so the rule is linear in the stage, not in COPYs times RUNs.
    broad: dict[str, list[tuple]] = {}
    kept: set[tuple] = set()
    # (workdir, install) -> [version then, the COPY the install is reported against or None,
    # what found_for found, its `said` entry]. The version counts the broad COPYs added to a
    # destination some install looked at (`watched`): a RUN after none since another of the
    # same install and workdir comes to the same COPY.
    chosen: dict[tuple, list] = {}
    watched: set[str] = set()
    version = 0
    # (COPY position, workdir, install) -> [message, fix plan or None when not worked out, where
    # the message's COPY line number begins, that number]
    said: dict[tuple, list] = {}
    # Instructions a fix may not move a RUN across, counted up to each position.
    blocking = [0]
    n = 0
    for ins in stage.instructions:
        kw = ins.keyword  # (_between_ok asked only of a COPY or ADD: any other keyword decides)
        if kw not in BETWEEN_OK and ((kw != "COPY" and kw != "ADD") or not m.between_ok(ins)):
            n += 1
        blocking.append(n)
    # COPY position -> [installs moved above it, the first one's finding (held back: its fix
    # is known at the stage's end), the positions of the installs]. An install is fixable
    # when nothing stands between it and the COPY but installs moved above the same COPY:
    # fixing them one a pass would free it. The first finding's fix moves them all.
    chains: dict[int, list] = {}
    # WORKDIRs and COPYs not worked out yet (fast path): only an install after a COPY that may
    # bring in the whole context needs them, so a stage whose last such COPY follows its last
    # install (a fixed file, `COPY . .` at the end) works none of them out.
    pending: list | None = [] if m.fast else None
    may_be_broad = False  # some pending COPY may be broad
    envs: list[Instruction] = []  # ENVs and ARGs that give an installer's variable an absolute path
    env_relative = inherited  # one gave it a relative or unknown path (_env_paths): no fix after it
    instructions = stage.instructions
    last = df.instructions[-1]
    for idx, ins in enumerate(instructions):
        kw = ins.keyword
        if kw == "RUN":
            if pending:
                if not may_be_broad and not broad:
                    continue
                for at in pending:
                    p_ins = instructions[at]
                    if p_ins.keyword == "WORKDIR":
                        workdir = m.workdir_of(workdir, p_ins)
                        continue
                    if _add_copy(m, at, p_ins, workdir, broad, kept, watched):
                        version += 1
                pending.clear()
                may_be_broad = False
            if not broad or workdir is None:
                continue
            info = lines.get(ins.logical) if ins._offsets is None and not ins.heredocs else None
            at, dep, fixable, cli, rel = m.run_info(ins) if info is None else info
            if dep is None or not dep.manifests:
                continue
            ck = (workdir, cli)  # (cli: the install's words, or what the memos read of them: _keyed)
            hit = chosen.get(ck) if m.fast else None
            if hit is None or hit[0] != version:
                folders = m.folders(workdir, dep.manifests[0])
                watched.update(folders)
                hit = chosen[ck] = [version, *_choose(m, broad, folders, workdir, dep, cli, said)]
            _, entry, found, told = hit
            if entry is None:
                continue
            copy_idx, copy, sources, dest, copy_workdir, _ = entry
            mapped, read = found
            fix = None
            first = None
            # (Not an install continued to the end of the file: above the COPY, the COPY's line
            # would be read as more of it.)
            # (Only the file's last instruction can be continued to its end.)
            if (
                fixable
                and (fixable is True or _clear_of(fixable, dest, workdir))
                and not env_relative
                and m.reads_clear(ins, envs, sources, dest, mapped)
                and read is not None
                and copy.json_args is None
                and not (ins is last and continued_to_end(df, ins))
            ):
                chain = chains.get(copy_idx)
                if blocking[idx] - blocking[copy_idx + 1] == (0 if chain is None or not _CHAINS else chain[0]):
                    plan = told[1]
                    if plan is None:
                        plan = told[1] = _plan(m, df, stage, copy_idx, sources, *mapped, workdir, copy_workdir)
                    if plan:
                        if chain is None:
                            fix = _fix(m, df, stage, idx, plan)
                            first = chains[copy_idx] = [1, None, array("q", (idx,)), [plan]]
                        elif not _suppressed(ins):
                            # (A suppressed finding offers no fix: the install stays where it
                            # is, as in a pass, and the chain ends there.)
                            chain[0] += 1
                            chain[2].append(idx)
                            chain[3].append(plan)
            if rel is None:
                rel = _span(ins, at, 0)
                v = new(Violation, (told[0], rel[0], rel[1], fix, None))
            else:
                base = ins.start
                v = new(Violation, (told[0], base + rel[0], base + rel[1], fix, None))
            if first is None:
                yield v, told[2], told[3]
            else:
                first[1] = (v, told[2], told[3])
        elif kw == "COPY" or kw == "ADD":
            if pending is not None and not broad:
                # (Once a broad COPY is known every install looks: the rest go as they come.)
                pending.append(idx)
                if not may_be_broad:
                    may_be_broad = m.may_be_broad(ins)
                continue
            if _add_copy(m, idx, ins, workdir, broad, kept, watched):
                version += 1
        elif kw == "WORKDIR":
            if pending is not None and not broad:
                pending.append(idx)
                continue
            workdir = m.workdir_of(workdir, ins)
        elif kw == "ENV" or kw == "ARG":
            # (The stage's environment, read by every install after it: `ENV PIP_CONSTRAINT=c.txt`.)
            named = m.env_paths(ins)
            if named == "relative":
                env_relative = True
            elif named:
                envs.append(ins)
    for count, (v, head, line), at, plans in chains.values():
        if count > 1:
            v = new(Violation, (v[0], v[1], v[2], _chain_fix(m, df, stage, at, plans), None))
        yield v, head, line


def _add_copy(m: _Memo, idx: int, ins: Instruction, workdir, broad: dict, kept: set, watched: set) -> bool:
    """Index the stage's COPY ``idx`` among the broad ones when it may bring in a manifest (a
    COPY of the same sources to the same place is kept once); True when its destination is one
    an install has looked at (the installs' remembered choices are then out of date)."""
    got = m.copy_of(workdir, ins) if m.copies.on else m._copy_facts(workdir, ins)
    if got is None:
        return False
    key, sources, dest = got
    if key in kept:
        return False
    kept.add(key)
    at_dest = broad.get(dest)
    if at_dest is None:
        broad[dest] = [(idx, ins, sources, dest, workdir, key)]
    else:
        at_dest.append((idx, ins, sources, dest, workdir, key))
    return dest in watched


def _choose(m: _Memo, broad, folders, workdir: str, dep: DepInstall, cli, said):
    """The broad COPY (the first that holds the manifests) an install is reported against, what
    found_for found for it, and its `said` entry; (None, None, None) when there is none, or when
    the install builds local code (not a dependency-only install). ``folders``: the folders that
    hold the first manifest, up to /; ``cli``: the install's words as the memos key them."""
    candidates = [e for a in folders for e in broad.get(a, ())]
    if len(candidates) > 1:
        candidates.sort(key=lambda e: e[0])
    for entry in candidates:
        copy_idx, copy, sources, dest, copy_workdir, key = entry
        at = _at_workdir(key, workdir, dep)
        found = m.found_for(at, sources, dest, workdir, dep, cli)
        mapped, read = found
        if mapped is None:
            continue
        if read == _manifests.SOURCE:
            return None, None, None
        skey = (copy_idx, workdir, cli)
        told = said.get(skey)
        if told is None:
            message, head = m.message(copy, key, at, dep, mapped)
            told = said[skey] = [message, None, head, copy.start_line]
        return entry, found, told
    return None, None, None


def _ancestors(path: str):
    """The path and its folders, up to the root (`/`, or `//`: normpath keeps two leading
    slashes, and dirname("//") is "//")."""
    yield path
    while True:
        up = posixpath.dirname(path)
        if up == path:
            return
        path = up
        yield path


def _ancestors_fast(path: str) -> tuple[str, ...]:
    """tuple(_ancestors(path)) for an absolute path without `//` or a final `/` (what _join
    gives but for a leading `//`), by string operations; posixpath for any other."""
    if not path.startswith("/") or "//" in path or (path.endswith("/") and path != "/"):
        return tuple(_ancestors(path))
    out = [path]
    k = len(path)
    while k > 1:
        k = path.rfind("/", 0, k)
        out.append(path[:k] or "/")
        if k == 0:
            break
    return tuple(out)


def _map(m: _Memo, sources: list[str], dest: str, workdir: str, dep: DepInstall):
    """Context paths of the needed and optional manifests, if this COPY brings them in; else None."""
    needed_abs = [_join(workdir, p) for p in dep.manifests]
    optional_abs = [_join(workdir, p) for p in dep.extra]
    bc = m.ctx.context
    for src in sources:
        whole = src in WHOLE
        if not whole and not m.isdir(src):
            continue
        rels = []
        for path in needed_abs:
            rel = context_path(src, dest, path)
            if rel is None or (not whole and not bc.exists(rel)):
                break
            rels.append(rel)
        else:
            opts = []
            for path in optional_abs:
                rel = context_path(src, dest, path)
                if rel is not None and bc is not None and bc.exists(rel):
                    opts.append(rel)
            return rels, opts
    return None


def _plan(m: _Memo, df, stage, copy_idx: int, sources, needed, optional, workdir, copy_workdir):
    """What a fix moving a RUN above this COPY inserts before it: (where, the COPY lines, the
    line ending, the fix's message); False when there is no fix. The same for every RUN that
    the COPY holds back, and the text the same for every COPY of the same text."""
    bc = m.ctx.context
    if bc is None or workdir != copy_workdir:
        return False
    copy = stage.instructions[copy_idx]
    text = df.text
    newline = line_ending_at(text, copy.start)
    key = (text[copy.start : copy.end], tuple(needed), tuple(optional), newline)
    got = m.plans.get(key) if m.fast else None
    if got is None:
        got = _plan_text(bc, df, copy, sources, needed, optional, newline)
        if m.fast:
            m._put(m.plans, key, got)
    if not got:
        return False
    return _block_start(m, df, stage, copy_idx), got[0], newline, got[1]


def _plan_text(bc, df, copy, sources, needed, optional, newline):
    """(the COPY lines, the fix's message) of _plan, or False."""
    if not all(bc.exists(p) for p in needed):
        return False
    # A manifest the ignore file excludes is not in the build context: COPY of it would fail.
    # (is_ignored: excluded, or not known; an optional file not known to be sent or left out
    # cannot be copied or left behind safely.)
    if any(bc.is_ignored(p) for p in needed) or any(bc.ignored(o) is None for o in optional):
        return False
    optional = [o for o in optional if not bc.is_ignored(o)]
    prefix = _prefix(sources)
    if not all(p.startswith(prefix) and _manifests.plain_file(bc, p) for p in needed + optional):
        # A file the broad COPY does not bring in either, or a symlink (COPY copies the link,
        # not its target), a FIFO, a device: the new COPY would not hold what the install reads.
        return False
    if any(f.name not in COPY_FLAGS for f in copy.flags):
        return False  # an ADD's own (`--keep-git-dir`, `--checksum`, `--unpack`): COPY refuses it
    if any(f.name == "exclude" and _may_exclude(f.unquoted, needed + optional) for f in copy.flags):
        # BuildKit applies --exclude to what a source folder holds, not to a file named as a
        # source (moby/buildkit#5489): the new COPY would bring the excluded `.npmrc` in.
        return False
    text = df.text
    kw = "COPY" if copy.raw_keyword.isupper() else copy.raw_keyword.lower().replace("add", "copy")
    flags = "".join(text[f.start : f.end] + " " for f in copy.flags)
    dest_word = copy.words()[-1]
    groups: dict[str, list[str]] = {}
    for rel in needed + [o for o in optional if o not in needed]:
        sub = posixpath.dirname(rel[len(prefix) :] if prefix else rel)
        groups.setdefault(sub, []).append(rel)
    lines = []
    for sub, files in groups.items():
        target = posixpath.join(dest_word.unquoted, sub) if sub else dest_word.unquoted
        line = _copy_line(kw, flags, files, target.rstrip("/") + "/", df.escape)
        if line is None:
            return False
        lines.append(line + newline)
    message = f"Copy {', '.join(needed + optional)} first and move the install above `{copy.raw_keyword} .`"
    return "".join(lines), message


def _may_exclude(pattern: str | None, files: list[str]) -> bool:
    """Whether a COPY's `--exclude` ``pattern`` (read as an ignore file's line is, or as a name
    anywhere) may leave out one of ``files``: unknown patterns (a `$`, `!`, none) may."""
    if not pattern or "$" in pattern or pattern.startswith("!"):
        return True
    pat = pattern.strip("/").removeprefix("./")
    pats = {pat, pat.removeprefix("**/")}  # (`**/` matches no folder too)
    return any(
        fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(name, p + "/*")
        for f in files
        for name in (f, posixpath.basename(f))
        for p in pats
    )


def _block_start(m: _Memo, df, stage, idx: int) -> int:
    """_edits.block_start of the stage's instruction ``idx`` (not the first: a FROM is), with
    the instruction before it at hand (a stage's instructions are a slice of the file's)."""
    if not m.fast:
        return block_start(df, stage.instructions[idx])
    return block_start_after(df.text, stage.instructions[idx - 1], stage.instructions[idx])


def _fix(m: _Memo, df, stage, idx: int, plan) -> Fix:
    copy_line, lines, newline, message = plan
    text = df.text
    run = stage.instructions[idx]
    run_a = _block_start(m, df, stage, idx)
    nl = text.find("\n", run.end)
    run_b = len(text) if nl < 0 else nl + 1
    run_text = text[run_a:run_b]
    if not run_text.endswith("\n"):
        run_text += newline
    insert = lines + run_text
    add = m.edits.get(insert)  # the same insertion for every RUN of this text: one object
    if add is None or add[0] != copy_line:
        add = m.edits[insert] = _new(Edit, (copy_line, copy_line, insert, None))
    if nl < 0:
        # The RUN is the last line, without a final newline: drop the line break before it too.
        run_a -= 2 if text[run_a - 2 : run_a] == "\r\n" else 1
    return _new(Fix, (UNSAFE, message, (add, _new(Edit, (run_a, run_b, "", None)))))


_new = tuple.__new__  # Edit(...) and Fix(...) without their generated __new__ (a fix per stage)


def _suppressed(ins: Instruction) -> bool:
    """Whether lint drops this rule's findings on the instruction (`# aishell: ignore=AIS101`
    on the comment line just above it)."""
    return suppresses(ins.comment_before, CODE)


# False: each install's fix only when nothing stands between it and the COPY (one install fixed a
# pass): tests/test_ais101_chains.py holds the chained fixes to what that loop gives.
_CHAINS = True


def _chain_fix(m: _Memo, df, stage, at: array, plans: list) -> Fix:
    """One fix for installs held back by the same COPY one after the other (each blocked only by
    the ones before it): what fixing them one a pass gives, in one pass. Each install goes above
    the COPY with its files, in their order; their lines go (the line break before the last line
    too, when the file ends without one, as _fix takes it). ``at``: the installs' positions in the
    stage, ``plans``: their _plan answers (the same insertion point, the COPY's block)."""
    text = df.text
    copy_line = plans[0][0]
    moved, kept = io.StringIO(), io.StringIO()
    end = copy_line  # where the text between the installs' blocks resumes
    instructions, find, rfind, size = stage.instructions, text.find, text.rfind, len(text)
    for idx, (_, lines, newline, _message) in zip(at, plans):
        # _block_start inlined (an install is never a stage's first instruction, nor on line 1)
        run = instructions[idx]
        nl = find("\n", instructions[idx - 1].end)
        floor = size if nl < 0 else nl + 1
        a = rfind("\n", 0, run.start) + 1
        if a > floor:
            a = comments_above(text, a, floor)
        nl = find("\n", run.end)
        b = size if nl < 0 else nl + 1
        moved.write(lines)
        moved.write(text[a:b])
        if nl < 0:
            moved.write(newline)
        kept.write(text[end:a])
        end = b
    more = len(at) - 1
    message = (
        f"{plans[0][3]}, with the {more} install{'s' if more != 1 else ''} after it that the same "
        "COPY holds back (each with its files, in their order)"
    )
    rest = kept.getvalue()
    tail = rest.rstrip()
    if (end < len(text) or text.endswith("\n")) and not (tail and tail.rsplit("\n", 1)[-1].lstrip().startswith("#")):
        # Two edits, not one a line: the lines from the COPY to the last install go, and come
        # back above it as the installs (with their files) and then what stays of them (a fix
        # of an edit a line costs a reporter hundreds of bytes for each).
        return Fix(UNSAFE, message, (Edit(copy_line, copy_line, moved.getvalue() + rest), Edit(copy_line, end, "")))
    # An edit for each install's lines: the file ends with the last install, without a final
    # newline (the line break before its lines goes too), or what stays ends with a comment line
    # (it belongs to no install; inserted, it would read as the comment of what follows).
    spans: list[list[int]] = []
    for idx in at:
        a = _block_start(m, df, stage, idx)
        nl = text.find("\n", stage.instructions[idx].end)
        b = len(text) if nl < 0 else nl + 1
        if spans and a <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    last = spans[-1]
    if last[1] == len(text) and not text.endswith("\n"):
        last[0] -= 2 if text[last[0] - 2 : last[0]] == "\r\n" else 1
    return Fix(UNSAFE, message, (Edit(copy_line, copy_line, moved.getvalue()), *(Edit(a, b, "") for a, b in spans)))


_PLAIN = re.compile(r"[A-Za-z0-9._/@+=,:%-]+")


def _copy_line(kw: str, flags: str, files: list[str], target: str, escape: str) -> str | None:
    """`COPY a b dest/`, or the JSON form when a path needs quoting (`my reqs.txt`): the shell
    form would split it. None for a path no form can carry as it is ($, the escape, a
    line break, a quote in a JSON path)."""
    if any(c in f for f in files for c in "*?[\\"):
        return None  # BuildKit reads the source as a pattern (Go's filepath.Match)
    paths = files + [target]
    if all(_PLAIN.fullmatch(p) for p in paths) and not files[0].startswith("-"):
        # (A first source that starts with `--` is a builder flag to BuildKit: `COPY --x.txt ./`.)
        return f"{kw} {flags}{' '.join(files)} {target}"
    if any(c in p for p in paths for c in ("$", "\n", "\r", escape, '"', "\\")):
        return None
    return f"{kw} {flags}[{', '.join(json.dumps(p, ensure_ascii=False) for p in paths)}]"


def _prefix(sources: list[str]) -> str:
    src = next((s for s in sources if s not in WHOLE), None)
    return "" if src is None or any(s in WHOLE for s in sources) else src.strip("/").removeprefix("./") + "/"
