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
is a requirements file that installs local paths (`-e .`, also in a file it
includes). The JSON form (`COPY [".", "."]`) counts as the shell form
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
  `file:`) makes it an install of the project, not reported at all.
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

Besides, the `RUN` must do nothing but install (and commands that read no
source, such as `apt-get` or `rm`), and nothing but `COPY`/`ADD`/`LABEL`/
`EXPOSE` may stand between the two. The fix stays unsafe because a
dependency's own build may still read project files. Paths that need quoting
(`pip install -r 'my reqs.txt'`) are written in the JSON form (`COPY ["my
reqs.txt", "./"]`); no fix is offered for a path no form carries as it is (a
`$`, a quote, the escape character), for a name BuildKit would read as a
pattern (`*`, `?`, `[`, `\\`: `req[1].txt` would match `req1.txt`), nor when the
ignore file excludes a file the install reads (the `COPY` would fail). The
comment lines directly above the `RUN` move with it, and the new `COPY` goes
above the comments of the broad one.
"""

from __future__ import annotations

import json
import os
import posixpath
import re

from aishell.deps import DepInstall, find_dep_install, reads_no_source
from aishell.findings import UNSAFE, Edit, Example, Fix, Violation
from aishell.model import Dockerfile, Instruction
from aishell.rule import RuleContext
from aishell.lint_rules import _manifests
from aishell.lint_rules._copies import copy_words
from aishell.lint_rules._edits import block_start, line_ending_at
from aishell.shell import analyse_run

CODE = "AIS101"
NAME = "source-before-dependencies"
SEVERITY = "warning"
FIX_AVAILABILITY = "sometimes"
WHOLE = {".", "./", "./."}
BETWEEN_OK = {"COPY", "ADD", "LABEL", "EXPOSE"}

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
        'FROM aishell:foundation\nWORKDIR /app\nCOPY [".", "."]\nRUN npm ci\n',
        None,
        name="JSON form: reported, no fix",
        files=(PKG,),
        spans=((4, 5, 4, 8),),
    ),
]


def _workdir(cur: str | None, ins: Instruction) -> str | None:
    arg = ins.args.strip()
    if cur is None or "$" in arg or not arg:
        return None
    return posixpath.normpath(posixpath.join(cur, arg.strip("'\"")))


def _dest(cur: str | None, dest: str) -> str | None:
    if cur is None or "$" in dest:
        return None
    return posixpath.normpath(posixpath.join(cur, dest))


class _Memo:
    """What the rule works out once per distinct text, not once per instruction: a file that
    repeats `COPY . .` and `RUN npm ci` a hundred thousand times reads each of them once, and its
    findings share their messages and fix texts (a file's findings once took a gigabyte)."""

    def __init__(self) -> None:
        self.dest: dict[tuple, str | None] = {}
        self.runs: dict[str, tuple] = {}  # RUN text -> _run_info (a RUN of a distinct text: nothing kept)
        self.first: dict[tuple, tuple[str, ...]] = {}  # (workdir, manifest) -> the manifest's folders, up
        self.edits: dict[str, Edit] = {}  # fix insertion text -> its Edit, shared by the findings

    def dest_of(self, workdir: str | None, dest: str) -> str | None:
        key = (workdir, dest)
        if key not in self.dest:
            if len(self.dest) >= 4096:  # a file of distinct destinations keeps nothing
                self.dest.clear()
            self.dest[key] = _dest(workdir, dest)
        return self.dest[key]

    def run_info(self, run: Instruction):
        """(the first install without its source, its DepInstall, whether every command is an
        install or reads no source, the install's words), by the RUN's text when that decides
        them."""
        if run.heredocs:
            return _run_info(analyse_run(run))
        text = run.logical[run.args_start :]
        info = self.runs.get(text)
        if info is None:
            if len(self.runs) >= 4096:  # a file of distinct RUNs keeps nothing
                self.runs.clear()
            info = self.runs[text] = _run_info(analyse_run(run))
        return info

    def folders(self, workdir: str, manifest: str) -> tuple[str, ...]:
        key = (workdir, manifest)
        up = self.first.get(key)
        if up is None:
            up = self.first[key] = tuple(_ancestors(posixpath.normpath(posixpath.join(workdir, manifest))))
        return up


def _run_info(script):
    for i, c in enumerate(script.commands):
        d = find_dep_install(c.argv)
        if d is not None and not d.needs_source:
            fixable = all(find_dep_install(c.argv) or reads_no_source(c.argv) for c in script.commands)
            return i, d, fixable, tuple(c.argv)
    return None, None, False, ()


def check(ctx: RuleContext):
    df = ctx.df
    m = _Memo()
    for stage in df.stages:
        workdir: str | None = "/"
        # Broad COPYs so far, indexed by destination: (position, COPY, sources, dest abs, workdir then).
        # Two COPYs of the same sources to the same place bring in the same files, so only the first
        # is kept; a RUN looks only at destinations that hold its manifest (the manifest path's
        # ancestors), so the rule is linear in the stage, not in COPYs times RUNs.
        broad: dict[str, list[tuple[int, Instruction, list[str], str, str | None]]] = {}
        kept: set[tuple] = set()
        # Instructions a fix may not move a RUN across, counted up to each position.
        memo: dict[tuple, object] = {}  # (COPY position, workdir, install) -> what _map found
        blocking = [0]
        for ins in stage.instructions:
            blocking.append(blocking[-1] + (ins.keyword not in BETWEEN_OK))
        for idx, ins in enumerate(stage.instructions):
            if ins.keyword == "WORKDIR":
                workdir = _workdir(workdir, ins)
            elif ins.keyword in ("COPY", "ADD") and ins.flag("from") is None and not ins.heredocs:
                words = copy_words(ins)
                if len(words) >= 2:
                    dest = m.dest_of(workdir, words[-1])
                    key = (tuple(words[:-1]), dest)
                    if dest is not None and key not in kept and _may_hold_files(ctx, words[:-1]):
                        kept.add(key)
                        broad.setdefault(dest, []).append((idx, ins, words[:-1], dest, workdir))
            elif ins.keyword == "RUN" and broad:
                yield from _check_run(ctx, df, stage, idx, ins, workdir, broad, blocking, memo, m)


def _may_hold_files(ctx, sources: list[str]) -> bool:
    """Whether a COPY can bring in a manifest: the whole context, or a folder of it."""
    bc = ctx.context
    return any(src in WHOLE or (bc is not None and os.path.isdir(os.path.join(bc.root, src))) for src in sources)


def _ancestors(path: str):
    yield path
    while path != "/":
        path = posixpath.dirname(path)
        yield path


def _check_run(ctx, df: Dockerfile, stage, idx: int, run: Instruction, workdir, broad, blocking, memo, m: _Memo):
    if workdir is None:
        return
    at, dep, fixable, argv = m.run_info(run)
    if dep is None or not dep.manifests:
        return
    folders = m.folders(workdir, dep.manifests[0])
    candidates = [e for a in folders for e in broad.get(a, ())]
    if len(candidates) > 1:
        candidates.sort(key=lambda e: e[0])
    for copy_idx, copy, sources, dest, copy_workdir in candidates:
        key = (copy_idx, workdir, dep.manifests, dep.extra, argv)
        found = memo.get(key)
        if found is None:  # a thousand `RUN npm ci` after one `COPY . .` map it once
            mapped = _map(ctx, sources, dest, workdir, dep)
            read = None if mapped is None else _manifests.reads(ctx.context, dep.tool, argv, *mapped)
            if read is not None and read != _manifests.SOURCE and (read[0] or read[1]):
                # The files the manifests include, and the companions the tool reads, go too.
                more = mapped[0] + [p for p in read[0] if p not in mapped[0]]
                mapped = (more, [p for p in mapped[1] + read[1] if p not in more])
            found = memo[key] = (mapped, read, {})
        mapped, read, said = found
        if mapped is None:
            continue
        if read == _manifests.SOURCE:
            return  # the install builds local code: not a dependency-only install
        needed, optional = mapped
        message = said.get(dep.tool)
        if message is None:
            names = ", ".join(os.path.basename(p) for p in needed + optional) or ", ".join(dep.manifests)
            message = said[dep.tool] = (
                f"`{copy.raw_keyword} {' '.join(sources)}` on line {copy.start_line} brings in the source before "
                f"`{dep.tool}`, which needs only {names}: copy those first and install before the rest, "
                "so a source-only change reuses the install"
            )
        movable = blocking[idx] == blocking[copy_idx + 1] and copy.json_args is None
        fix = None
        if fixable and movable and read is not None:
            plan = said.get(("plan", copy_workdir))
            if plan is None:
                plan = said[("plan", copy_workdir)] = _plan(
                    ctx, df, copy, dest, sources, needed, optional, workdir, copy_workdir
                )
            if plan:
                fix = _fix(df, run, plan, m)
        cmd = analyse_run(run).commands[at]
        first = cmd.spans[0] if cmd.spans else None
        yield Violation(
            message,
            first[0] if first else run.start,
            first[1] if first else run.start + len(run.raw_keyword),
            fix,
        )
        return


def _map(ctx, sources: list[str], dest: str, workdir: str, dep: DepInstall):
    """Context paths of the needed and optional manifests, if this COPY brings them in; else None."""
    needed_abs = [posixpath.normpath(posixpath.join(workdir, m)) for m in dep.manifests]
    optional_abs = [posixpath.normpath(posixpath.join(workdir, m)) for m in dep.extra]
    bc = ctx.context
    for src in sources:
        whole = src in WHOLE
        if not whole and (bc is None or not os.path.isdir(os.path.join(bc.root, src))):
            continue
        prefix = "" if whole else src.strip("/").removeprefix("./") + "/"
        rels = []
        for path in needed_abs:
            if not (path + "/").startswith(dest.rstrip("/") + "/"):
                break
            rel = prefix + posixpath.relpath(path, dest)
            if not whole and not bc.exists(rel):
                break
            rels.append(rel)
        else:
            opts = []
            for path in optional_abs:
                if (path + "/").startswith(dest.rstrip("/") + "/"):
                    rel = prefix + posixpath.relpath(path, dest)
                    if bc is not None and bc.exists(rel):
                        opts.append(rel)
            return rels, opts
    return None


def _plan(ctx, df, copy, dest, sources, needed, optional, workdir, copy_workdir):
    """What a fix moving a RUN above this COPY inserts before it: (where, the COPY lines, the
    fix's message); False when there is no fix. The same for every RUN that the COPY holds back."""
    bc = ctx.context
    if bc is None or not all(bc.exists(p) for p in needed) or workdir != copy_workdir:
        return False
    # A manifest the ignore file excludes is not in the build context: COPY of it would fail.
    if any(bc.is_ignored(p) for p in needed):
        return False
    optional = [o for o in optional if not bc.is_ignored(o)]
    prefix = _prefix(sources)
    if not all(p.startswith(prefix) and _manifests.plain_file(bc, p) for p in needed + optional):
        # A file the broad COPY does not bring in either, or a symlink (COPY copies the link,
        # not its target), a FIFO, a device: the new COPY would not hold what the install reads.
        return False
    text = df.text
    newline = line_ending_at(text, copy.start)
    kw = "COPY" if copy.raw_keyword.isupper() else copy.raw_keyword.lower().replace("add", "copy")
    flags = "".join(text[f.start : f.end] + " " for f in copy.flags)
    dest_word = copy.words()[-1]
    groups: dict[str, list[str]] = {}
    for rel in needed + [o for o in optional if o not in needed]:
        sub = posixpath.dirname(rel[len(_prefix(sources)) :] if _prefix(sources) else rel)
        groups.setdefault(sub, []).append(rel)
    lines = []
    for sub, files in groups.items():
        target = posixpath.join(dest_word.unquoted, sub) if sub else dest_word.unquoted
        line = _copy_line(kw, flags, files, target.rstrip("/") + "/", df.escape)
        if line is None:
            return False
        lines.append(line + newline)
    message = f"Copy {', '.join(needed + optional)} first and move the install above `{copy.raw_keyword} .`"
    return block_start(df, copy), "".join(lines), newline, message


def _fix(df, run, plan, m: _Memo) -> Fix:
    copy_line, lines, newline, message = plan
    text = df.text
    run_a = block_start(df, run)
    nl = text.find("\n", run.end)
    run_b = len(text) if nl < 0 else nl + 1
    run_text = text[run_a:run_b]
    if not run_text.endswith("\n"):
        run_text += newline
    insert = lines + run_text
    add = m.edits.get(insert)  # the same insertion for every RUN of this text: one object
    if add is None or add.start != copy_line:
        add = m.edits[insert] = Edit(copy_line, copy_line, insert)
    if nl < 0:
        # The RUN is the last line, without a final newline: drop the line break before it too.
        run_a -= 2 if text[run_a - 2 : run_a] == "\r\n" else 1
    return Fix(UNSAFE, message, (add, Edit(run_a, run_b, "")))


_PLAIN = re.compile(r"[A-Za-z0-9._/@+=,:%-]+")


def _copy_line(kw: str, flags: str, files: list[str], target: str, escape: str) -> str | None:
    """`COPY a b dest/`, or the JSON form when a path needs quoting (`my reqs.txt`): the shell
    form would split it. None for a path no form can carry as it is ($, the escape, a
    line break, a quote in a JSON path)."""
    if any(c in f for f in files for c in "*?[\\"):
        return None  # BuildKit reads the source as a pattern (Go's filepath.Match)
    paths = files + [target]
    if all(_PLAIN.fullmatch(p) for p in paths):
        return f"{kw} {flags}{' '.join(files)} {target}"
    if any(c in p for p in paths for c in ("$", "\n", "\r", escape, '"', "\\")):
        return None
    return f"{kw} {flags}[{', '.join(json.dumps(p, ensure_ascii=False) for p in paths)}]"


def _prefix(sources: list[str]) -> str:
    src = next((s for s in sources if s not in WHOLE), None)
    return "" if src is None or any(s in WHOLE for s in sources) else src.strip("/").removeprefix("./") + "/"
