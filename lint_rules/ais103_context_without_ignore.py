"""AIS103 context-without-ignore: the whole context is copied, local artefacts included.

## What it does
Finds `COPY`/`ADD` of the whole build context (`.`, or `*`, which BuildKit
matches against dotfiles too; also in the JSON form `COPY [".", "/app"]`) when
local artefacts exist
in the context folder and no applicable ignore file excludes them: `.git`,
`node_modules`, `.venv`/`venv`, `__pycache__`, `.pytest_cache`,
`.mypy_cache`, `dist`, `build`, `.next`, `target`, `.DS_Store`. The rule
looks at the real context folder: for `.aishell/Dockerfile` the project root,
otherwise the Dockerfile's folder or `--context`. The applicable ignore file
follows BuildKit: `<Dockerfile-name>.dockerignore` beside the Dockerfile
replaces `.dockerignore` at the context root; an ignore file that is a link to
nothing is none (BuildKit takes a read error as no ignore file). A pattern the two
builders read differently, or that aishell does not read (a `[` class, a `\\` escape, `**`
glued to a name), may exclude an artefact: it is not reported.
An artefact a `!` line of that file may bring back (`*` then `!dist`, or
`!dist/main.js`) is in the context on purpose: it is not reported either; nor
is one the Dockerfile reads by name (a `COPY dist/ /srv/` or `ADD .git/HEAD …`
source, wildcards included; a bind mount's `source=.git`; a RUN that mounts the
whole context and names it, `ls /ctx/.git`): excluding it would fail that step.

## Why is this bad?
Every commit changes `.git`, every test run changes `__pycache__` and
`.pytest_cache`, every local install changes `node_modules` or `.venv`. When
they are in the context, the `COPY .` layer and every step after it rebuild
for changes that do not matter to the image, the context upload grows, and
host-built artefacts (a macOS `node_modules`) can leak into a Linux image.

## Example
```dockerfile
# context holds .git, node_modules and dist, and there is no ignore file
FROM aishell:foundation
COPY . /workspace
```

## Use instead
A `Dockerfile.dockerignore` (for `.aishell/Dockerfile`:
`.aishell/Dockerfile.dockerignore`) that excludes them:
```
.git
node_modules
dist
```

## Fix safety
Depends on what it excludes: safe when everything it excludes is a cache (`__pycache__`, `.pytest_cache`,
`.mypy_cache`, `.DS_Store`: no correct build or program reads them); unsafe
when it excludes anything else, which may be what the image is made of: `.git`
(setuptools-scm, a `git describe` in a RUN), `node_modules` or `.venv` (an image
that skips its install), `dist`, `build`, `target` or `.next` (built output the
image serves). The fix creates `<Dockerfile-name>.dockerignore` beside the Dockerfile
(or adds to it when it exists). Because that file replaces the root
`.dockerignore` for this Dockerfile, it first carries over every line of the
root file, so no pattern the user had is dropped, then lists the artefacts
that exist and are not yet excluded. The Dockerfile itself is not changed.
The fix is an edit of that file: an existing file is only appended to (every
byte before, a BOM or CRLF line endings included, stays); a BOM at the start of
the root file is not carried into the middle of the new one, where it would
turn the first pattern into one that matches nothing. No fix is offered when
the existing ignore file (or the root one to carry over) is not a regular,
readable UTF-8 file: rewriting it would lose bytes; nor when it is a symbolic
link to a file outside the project and the build context: its bytes (a linked
`~/.aws/credentials`) would be copied into the project and shown in the diff.
With `--write`, the ignore file and the Dockerfile's other fixes are written
together or not at all.
"""

from __future__ import annotations

import os
import posixpath
import re
from fnmatch import fnmatchcase

from aishell.findings import SAFE, UNSAFE, Edit, Example, Fix, Violation
from aishell.paths import realpath
from aishell.lint_rules._copies import copy_words
from aishell.rule import RuleContext

CODE = "AIS103"
NAME = "context-without-ignore"
SEVERITY = "warning"
FIX_AVAILABILITY = "sometimes"

# Artefact name -> the pattern the fix writes.
ARTEFACTS = {
    ".git": ".git",
    "node_modules": "node_modules",
    ".venv": ".venv",
    "venv": "venv",
    "__pycache__": "**/__pycache__",
    ".pytest_cache": ".pytest_cache",
    ".mypy_cache": ".mypy_cache",
    "dist": "dist",
    "build": "build",
    ".next": ".next",
    "target": "target",
    ".DS_Store": "**/.DS_Store",
}
# The artefacts no correct build or program reads as input (a tool's cache, Finder's notes):
# excluding them changes nothing an image needs, so the fix that excludes only these is safe.
# The others may be what the image is made of: `.git` (setuptools-scm, `git describe` in a
# RUN), node_modules and .venv (an image that skips its install), dist, build, target and
# .next (built output the image serves): excluding one of them is an unsafe fix.
CACHES = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".DS_Store"})
# `*` is the whole context too: BuildKit matches it as Go's filepath.Match does, and there a
# leading dot is no exception (`COPY * /app/` takes in .git and node_modules).
WHOLE_CONTEXT = {".", "./", "./.", "*", "./*"}

VALID = [
    Example("FROM aishell:foundation\nCOPY . /app\n", name="no artefacts in the context", files=("src/app.py",)),
    Example(
        "FROM aishell:foundation\nCOPY . /app\n",
        name="root .dockerignore excludes them",
        files=(".git/", "node_modules/", (".dockerignore", ".git\nnode_modules/\n")),
    ),
    Example(
        "FROM aishell:foundation\nCOPY . /app\n",
        name="Dockerfile-specific ignore file excludes them",
        files=(".git/", ("Dockerfile.dockerignore", "**/.git\n")),
    ),
    Example("FROM aishell:foundation\nCOPY src/ /app/src/\n", name="not the whole context", files=(".git/", "src/")),
    Example("FROM aishell:foundation\nCOPY --from=build /out .\n", name="from a stage", files=(".git/",)),
    Example(
        "FROM aishell:foundation\nCOPY . /app\n",
        name="a `!` line brings dist back on purpose",
        files=("dist/main.js", (".dockerignore", "*\n!dist\n")),
    ),
]

INVALID = [
    Example(
        "FROM aishell:foundation\nCOPY . /app\n",
        ".git\nnode_modules\n",
        name="no ignore file",
        files=(".git/", "node_modules/", "src/app.js"),
        spans=((2, 1, 2, 5),),
    ),
    Example(
        "FROM aishell:foundation\nCOPY * /app/\n",
        ".git\nnode_modules\n",
        name="`*` matches .git too (Go's filepath.Match)",
        files=(".git/", "node_modules/", "src/app.js"),
        spans=((2, 1, 2, 5),),
    ),
    Example(
        "FROM aishell:foundation\nWORKDIR /app\nADD ./ .\n",
        "# carried over from .dockerignore, which this file replaces for Dockerfile\n*.log\n!keep.log\n\n.venv\n**/__pycache__\n",
        name="root file does not cover all; its lines are carried over",
        files=(".venv/", "pkg/__pycache__/", "__pycache__/", (".dockerignore", "*.log\n!keep.log\n")),
        spans=((3, 1, 3, 4),),
    ),
    Example(
        "FROM aishell:foundation\nCOPY . /app\n",
        "node_modules\ndist\n",
        name="specific file exists and is extended",
        files=("node_modules/", "dist/", ("Dockerfile.dockerignore", "node_modules\n"), (".dockerignore", "dist\n")),
        spans=((2, 1, 2, 5),),
    ),
    Example(
        "FROM aishell:foundation\nCOPY . /app\n",
        "# carried over from .dockerignore, which this file replaces for Dockerfile\n.env\n\n.git\n",
        name="a BOM at the start of the root file is not carried into the middle of the new one",
        files=(".git/", (".dockerignore", "\ufeff.env\n")),
        spans=((2, 1, 2, 5),),
    ),
    Example(
        "FROM aishell:foundation\nCOPY . /app\n",
        "\ufeffdist\r\nnode_modules\r\n",
        name="an existing file is appended to: its BOM and CRLF line endings stay",
        files=("node_modules/", ("Dockerfile.dockerignore", "\ufeffdist\r\n")),
        spans=((2, 1, 2, 5),),
    ),
    Example(
        "FROM aishell:foundation\nCOPY . /app\n",
        "# carried over from .dockerignore, which this file replaces for Dockerfile\n*.map\n!dist/main.js\n\n.git\n",
        name="an artefact a `!` line brings back in part is left out of the fix",
        files=(".git/", "dist/main.js", (".dockerignore", "*.map\n!dist/main.js\n")),
        spans=((2, 1, 2, 5),),
    ),
]


def check(ctx: RuleContext):
    bc = ctx.context
    if bc is None:
        return
    # What the context holds first (a few lookups): a context without such files needs no look
    # at the file's instructions (a million of them in a 10 MB file).
    # An artefact a `!` line may bring back is kept on purpose: not reported, and never appended
    # (a pattern after that line would undo it: `*`, `!dist`, then `dist`).
    missing = [
        name
        for name, pattern in ARTEFACTS.items()
        if bc.exists(name)
        and not bc.is_ignored(name)
        and not bc.is_ignored(name + "/x")
        and not bc.may_bring_back(name, pattern.startswith("**/"))
    ]
    if not missing:
        return
    broad = [
        ins
        for ins in ctx.df.instructions
        if ins.keyword in ("COPY", "ADD")
        and ins.flag("from") is None
        and any(src in WHOLE_CONTEXT for src in copy_words(ins)[:-1])
    ]
    if not broad:
        return
    # An artefact the file reads by name (`COPY dist/ /srv/`, a bind mount of `.git`) is in the
    # context on purpose: excluding it would fail that step. Not reported, never excluded.
    named = _named(ctx.df, missing)
    missing = [name for name in missing if name not in named]
    if not missing:
        return
    target = bc.dockerfile + ".dockerignore"
    edit = _ignore_file_edit(bc, target, missing)
    rel = os.path.relpath(target, os.path.dirname(bc.dockerfile))
    verb = "Extend" if os.path.lexists(target) else "Create"
    safety = SAFE if all(name in CACHES for name in missing) else UNSAFE
    fix = Fix(safety, f"{verb} {rel} excluding {', '.join(missing)}", (edit,)) if edit is not None else None
    for ins in broad:
        yield Violation(
            f"{ins.keyword} of the whole context takes in {', '.join(missing)}, which "
            f"{'no ignore file excludes' if bc.ignore_file is None else os.path.basename(bc.ignore_file) + ' does not exclude'}: "
            "every change to them rebuilds this layer and all after it",
            ins.start,
            ins.start + len(ins.raw_keyword),
            fix,
        )


def _read_exact(path: str, bc) -> str | None:
    """A regular, readable, UTF-8 file's text as it is; None for anything else (no fix then:
    rewriting it would lose bytes, or it cannot be read), and None for a file that is a
    symbolic link (or in a folder linked) to a place outside the project and the context: the
    fix would copy that file's bytes into the project (a cloned repository's, or an agent's,
    `.dockerignore` linked to ~/.aws/credentials), and print them in the diff."""
    from aishell.errors import InputError, read_bytes

    if not _ours(path, bc):
        return None
    try:
        return read_bytes(path).decode("utf-8")
    except (InputError, UnicodeDecodeError):
        return None


def _ours(path: str, bc) -> bool:
    """Whether ``path``, links resolved, is inside the build context or the project (the folder
    holding `.aishell/` above the Dockerfile, as the lint found it, else the Dockerfile's folder)."""
    real = realpath(path)
    project = getattr(bc, "project_root", None) or os.path.dirname(bc.dockerfile)
    for root in {realpath(bc.root), realpath(project)}:
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            return True
    return False


def _ignore_file_edit(bc, target: str, missing: list[str]) -> Edit | None:
    """An edit of the ignore file: appended to it when it exists (every byte before kept, a
    BOM too), else the whole new file (an insertion at 0 of a file that does not exist)."""
    added = "".join(ARTEFACTS[m] + "\n" for m in missing)
    if os.path.lexists(target):
        existing = _read_exact(target, bc)
        if existing is None:
            return None
        newline = "\r\n" if existing.endswith("\r\n") else "\n"
        sep = "" if not existing or existing.endswith("\n") else newline
        return Edit(len(existing), len(existing), sep + added.replace("\n", newline), target)
    lines: list[str] = []
    root = os.path.join(bc.root, ".dockerignore")
    if os.path.lexists(root):
        carried = _read_exact(root, bc)
        if carried is None:
            return None
        # BuildKit drops a BOM at the start of an ignore file; here it would land mid-file,
        # where it is part of a pattern (`\ufeff.env` excludes nothing).
        carried = carried.removeprefix("\ufeff")
        name = os.path.basename(bc.dockerfile)
        lines.append(f"# carried over from .dockerignore, which this file replaces for {name}\n")
        lines.append(carried if carried.endswith("\n") or not carried else carried + "\n")
        lines.append("\n")
    lines.append(added)
    return Edit(0, 0, "".join(lines), target)


_WILD = frozenset("*?[\\")
_MOUNT_SOURCES = frozenset({"source", "src"})
# A word of a RUN's text holding a glob character (its parts are matched against the names).
_GLOB_WORD = re.compile(r"[^\s'\"`;&|()<>]*[*?[][^\s'\"`;&|()<>]*")
# The same words, read as the runs between the separators, those holding a glob character kept:
# findall of _GLOB_WORD retries a run without one from each of its characters, and each try reads
# to the run's end (a 60 KB word in a RUN mounting the context: 18 s, quadratic; now linear).
# tests/test_ais103_glob_words.py compares the two on generated text.
_RUN_WORD = re.compile(r"[^\s'\"`;&|()<>]+")
_GLOBS = frozenset("*?[")
LINEAR_GLOB_WORDS = True


def _glob_words(text: str) -> list[str]:
    """_GLOB_WORD.findall(text): each maximal run of characters no shell separator or quote ends
    that holds `*`, `?` or `[` (a match starts where a run does and takes all of it)."""
    if not LINEAR_GLOB_WORDS:
        return _GLOB_WORD.findall(text)
    return [w for w in _RUN_WORD.findall(text) if not _GLOBS.isdisjoint(w)]


def _named(df, names: list[str]) -> set[str]:
    """The artefacts among ``names`` the Dockerfile reads from the context by name: a COPY/ADD
    source (not the whole context, not `--from`) that is, or by a wildcard or a variable may be,
    the artefact or a path in it (`dist/`, `.git/HEAD`, `dis[t]`, `*/HEAD`); the source of a bind
    mount of the context likewise; and where a RUN mounts the whole context, the artefacts its
    text names (`--mount=target=/ctx` then `ls /ctx/.git`). For `__pycache__` and `.DS_Store`,
    which the fix excludes at any depth, a part of the path anywhere; for the others its first."""
    out: set[str] = set()
    for top in df.instructions:
        ins = top.sub if top.sub is not None else top
        if ins.keyword in ("COPY", "ADD"):
            if ins.flag("from") is not None:
                continue
            sources = [w for w in copy_words(ins)[:-1] if w not in WHOLE_CONTEXT and not w.startswith("<<")]
            for src in sources:
                out.update(_source_names(src, names))
        elif ins.keyword == "RUN":
            for flag in ins.flags:
                if flag.name != "mount":
                    continue
                fields = {}
                for field in (flag.unquoted if flag.unquoted is not None else flag.value or "").split(","):
                    key, eq, value = field.partition("=")
                    fields[key.strip().lower()] = value.strip() if eq else "true"
                if fields.get("type", "bind").lower() != "bind" or "from" in fields:
                    continue
                src = next((fields[k] for k in _MOUNT_SOURCES if k in fields), "")
                if src.strip("/.") == "":
                    text = "\n".join([ins.logical, *(h.content for h in ins.heredocs)])
                    out.update(name for name in names if name in text)
                    for word in _glob_words(text):  # (`ls /ctx/dis[t]`: the shell's globs)
                        for part in word.split("/"):
                            out.update(name for name in names if _may_match(part, name))
                else:
                    out.update(_source_names(src, names))
        if len(out) == len(names):
            break
    return out


def _source_names(src: str, names: list[str]) -> set[str]:
    """The artefacts among ``names`` a context path (or pattern) ``src`` may be or be inside."""
    if "$" in src:
        return set(names)  # (a variable: any of them)
    parts = [p for p in posixpath.normpath("/" + src).split("/") if p]
    out = set()
    for name in names:
        deep = ARTEFACTS[name].startswith("**/")
        for part in parts if deep else parts[:1]:
            if part == name or (_WILD & set(part) and _may_match(part, name)):
                out.add(name)
                break
    return out


def _may_match(pattern: str, name: str) -> bool:
    """Whether Go's filepath.Match (BuildKit's, for COPY sources) may match ``name`` with
    ``pattern``: fnmatch's answer where the two read it alike (`*`, `?`, `[a-z]`, `[^a]` as
    fnmatch's `[!a]`); yes where they may not (an escape, a `[!`)."""
    if "\\" in pattern or "[!" in pattern:
        return True
    return fnmatchcase(name, pattern.replace("[^", "[!"))
