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
replaces `.dockerignore` at the context root. A pattern the two builders read
differently, or that aishell does not read (a `[` class, a `\\` escape, `**`
glued to a name), may exclude an artefact: it is not reported.
An artefact a `!` line of that file may bring back (`*` then `!dist`, or
`!dist/main.js`) is in the context on purpose: it is not reported either.

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
Safe. The fix creates `<Dockerfile-name>.dockerignore` beside the Dockerfile
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

from aishell.findings import SAFE, Edit, Example, Fix, Violation
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
    target = bc.dockerfile + ".dockerignore"
    edit = _ignore_file_edit(bc, target, missing)
    rel = os.path.relpath(target, os.path.dirname(bc.dockerfile))
    verb = "Extend" if os.path.lexists(target) else "Create"
    fix = Fix(SAFE, f"{verb} {rel} excluding {', '.join(missing)}", (edit,)) if edit is not None else None
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
