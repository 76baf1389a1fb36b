"""AIS004 command-not-in-foundation: a RUN step calls a command the original's foundation had and aishell's does not.

## What it does
Finds, in a stage built on `aishell:foundation` (or the retired `aishell:base`,
directly or through earlier stages), the first RUN step that calls one of the
commands the original aishell's foundation shipped and aishell's does not:
`bb`, `bbin`, `cue`, `uv`, `uvx`, `gitleaks`, `java`. What aishell's foundation
provides is its manifest, `aishell/templates/foundation/commands.txt` (also in
the image at `/usr/local/share/aishell/foundation-commands.txt`). A command the
Dockerfile installed earlier is not reported: an earlier instruction of the
stage chain that puts it on PATH, as AIS002 reads it (a download to
`/usr/local/bin/bbin`, `COPY --from=… /uv`, `COPY bin/ /usr/local/bin/`, a
link, an archive unpacked into `/usr/local/bin`), or that names it (`pip
install uv`, an `openjdk` package for `java`, `babashka` for `bb`).

## Why is this bad?
The build stops at that step with `bbin: not found`, after everything before it
was built, and nothing in the Dockerfile says why: it worked on the original
aishell, whose foundation installed these tools.

## Example
```dockerfile
FROM aishell:foundation
RUN bbin install io.github.babashka/neil
```

## Use instead
```dockerfile
FROM aishell:foundation
RUN curl -fsSL https://github.com/babashka/babashka/releases/download/v1.12.218/babashka-1.12.218-linux-amd64-static.tar.gz | tar -xz -C /usr/local/bin bb \
 && curl -fsSL https://raw.githubusercontent.com/babashka/bbin/v0.2.5/bbin -o /usr/local/bin/bbin && chmod +x /usr/local/bin/bbin
RUN bbin install io.github.babashka/neil
```

## Fix safety
No fix. Which version to install, from where, is the project's decision (and
the downloads need the network at build time); the message names a pinned
install line to start from. docs/migrating.md lists every difference between
the two foundations.
"""

from __future__ import annotations

import re

from aishell.findings import Example, Violation
from aishell.foundation_manifest import ORIGINAL_ONLY, PROVIDED_BY, missing
from aishell.images import FOUNDATION, LEGACY_RE
from aishell.rule import RuleContext
from aishell.lint_rules._provides import base_indices, expanded_global, instruction_provides, plain_images_without
from aishell.shell import analyse_run

CODE = "AIS004"
NAME = "command-not-in-foundation"
SEVERITY = "warning"
FIX_AVAILABILITY = "never"

# The command's own name as a word (a path, a package), or a package that provides it (openjdk-17-jre).
_WORDS = {
    name: re.compile(
        r"(?<![\w.-])"
        + re.escape(name)
        + r"(?![\w-])"
        + "".join(r"|(?<![A-Za-z])" + re.escape(p) for p in PROVIDED_BY.get(name, ()))
    )
    for name in ORIGINAL_ONLY
}
# The literal text each pattern needs (the name, or a package): a substring test first, then the
# pattern only where one is there. The patterns' lookbehinds defeat the regex engine's literal
# scan, so each tried every position of every RUN (a 2 MB RUN: two fifths of the lint).
_LITERALS = {name: (name, *PROVIDED_BY.get(name, ())) for name in ORIGINAL_ONLY}


# (literal, name) of _LITERALS, flat: _mentioned's substring tests in one comprehension, not a
# generator per name (20 of them a RUN: a tenth of AIS004 on a file of 190,000 installs).
_FLAT = tuple((x, name) for name, lits in _LITERALS.items() for x in lits)


def _mentioned(text: str) -> set[str]:
    """The commands ``text`` names (as _WORDS matches them). (Substring tests, not one regex of
    all the literals: that one tried each position of a long RUN, 0.65 % more of a 0.25 MB RUN
    of wrappers.)"""
    found = {name for x, name in _FLAT if x in text}
    return {name for name in found if _WORDS[name].search(text)} if found else found


VALID = [
    Example("FROM aishell:foundation\nRUN rg --version && fd --version && jq --version\n", name="the foundation's own"),
    Example(
        "FROM aishell:foundation\nRUN curl -fsSL https://raw.githubusercontent.com/babashka/bbin/v0.2.5/bbin -o /usr/local/bin/bbin"
        " && chmod +x /usr/local/bin/bbin\nRUN bbin install io.github.babashka/neil\n",
        name="bbin installed first",
    ),
    Example(
        "FROM aishell:foundation\nCOPY --from=ghcr.io/astral-sh/uv:0.11 /uv /uvx /usr/local/bin/\nRUN uv sync\n",
        name="uv copied in first",
    ),
    Example(
        "FROM aishell:foundation\nRUN apt-get update && apt-get install -y openjdk-17-jre-headless\nRUN java -version\n",
        name="java from a JRE package",
    ),
    Example("FROM python:3.12-slim\nRUN uv --version\n", name="another base image: not the foundation's contract"),
    Example("FROM aishell:foundation\nRUN echo 'run bbin later' > /notes\n", name="a mention is not a call"),
    Example(
        "FROM aishell:foundation AS tools\nRUN pip install uv\nFROM tools\nRUN uv sync\n",
        name="installed in the base stage",
    ),
    Example(
        "FROM aishell:foundation\nCOPY tools/ /usr/local/bin/\nRUN cue vet schema.cue\n",
        name="a directory copied onto PATH may hold it",
    ),
    Example(
        "FROM aishell:foundation\nRUN ln -s /opt/uv/bin/uv /opt/uv/bin/uvx /usr/local/bin/ && uvx ruff --version\n",
        name="linked onto PATH first",
    ),
]

INVALID = [
    Example("FROM aishell:foundation\nRUN bbin install io.github.babashka/neil\n", name="bbin", spans=((2, 5, 2, 9),)),
    Example(
        "FROM aishell:base\nRUN apt-get update && uv pip install --system ruff\n",
        name="uv on the retired base",
        spans=((2, 23, 2, 25),),
    ),
    Example(
        "FROM aishell:foundation\nRUN cue vet schema.cue\nRUN cue export x.cue\nRUN bb -e 1\n",
        findings=2,
        name="first call of each command only",
        spans=((2, 5, 2, 8), (4, 5, 4, 7)),
    ),
    Example(
        "FROM aishell:foundation AS base\nFROM base\nRUN sh -c 'gitleaks detect'\n",
        name="through a stage, in sh -c",
        spans=((3, 12, 3, 20),),
    ),
]


def _is_foundation_image(df, stage) -> bool:
    if stage.image is None:
        return False
    ref = expanded_global(df, stage.image.text).lower()
    return ref == FOUNDATION or ref.startswith(FOUNDATION + "@") or bool(LEGACY_RE.search(ref))


_NAMES = frozenset(ORIGINAL_ONLY)


def read_later(df) -> frozenset:
    """The names of the commands whose RUNs this rule reads after AIS002 read them all (their
    scripts kept compact meanwhile: aishell.shell.COMPACT_KEPT): none in a file no stage of which
    may be built on the foundation (check's _GATE, which takes the answer: _ON)."""
    if not _GATE:
        return _NAMES
    on = _ON[1] = _may_be_on_foundation(df)
    _ON[0] = df
    return _NAMES if on else frozenset()


_ON: list = [None, False]  # (the file read_later asked of, _may_be_on_foundation's answer)


def _names_in(df, ins, mentioned: set[str] | None = None) -> set[str]:
    """The commands an instruction provides: what it puts on PATH, as AIS002 reads it
    (lint_rules/_provides.py: a COPY/ADD onto PATH, also of a directory or a glob, a download, a
    link, an archive unpacked there), or mentions (a package that provides it, `pip install uv`);
    ``mentioned``: _mentioned(ins.args), when the caller has it."""
    if mentioned is None:
        mentioned = _mentioned(ins.args)
    if ins.keyword in ("COPY", "ADD"):
        return mentioned | set(instruction_provides(df, ins, _NAMES))
    if ins.keyword == "RUN" and mentioned:
        return mentioned | set(instruction_provides(df, ins, _NAMES, analyse_run(ins)))
    return mentioned


_GATE = True  # tests/test_lint_chain_fast.py compares the rule with and without it


def _may_be_on_foundation(df) -> bool:
    """Cheap pre-check: False when no stage's image can be the foundation (or the retired
    base): every spelling of either holds `aishell` once expanded, and a plain image text (no
    `$`, quote or backslash) expands to itself (a chain of 200,000 stages named `s1`, `s2`, …)."""
    got = _ON
    if got[0] is df:
        got[0] = None  # (read_later's answer, taken: the file is not held past its lint)
        return got[1]
    return not plain_images_without(df, "aishell", lower=True)


def check(ctx: RuleContext):
    df = ctx.df
    if _GATE and not _may_be_on_foundation(df):
        return
    # Per stage, computed once in order (a base stage comes earlier): whether it is built on the
    # foundation, and the commands its whole chain of instructions mentions. Walking the chain
    # for each stage was quadratic in a chain of stages (8,000 stages: 20 s).
    on_foundation: list[bool] = []
    mentioned: list[frozenset[str]] = []
    images: dict[str, bool] = {}  # image text -> on the foundation (stages repeat their FROM)
    for stage, b in zip(df.stages, base_indices(df)):
        image = stage.image.text if stage.image is not None else None
        found = images.get(image)
        if found is None:
            found = images[image] = _is_foundation_image(df, stage)
        on = found or (b is not None and on_foundation[b])
        on_foundation.append(on)
        if not on:
            mentioned.append(frozenset())
            continue
        earlier: set[str] = set(mentioned[b]) if b is not None else set()
        reported: set[str] = set()
        for ins in stage.instructions:
            named = _mentioned(ins.args)  # (asked once: again by _names_in below)
            if ins.keyword == "RUN" and named:
                for cmd in analyse_run(ins).commands:
                    how = missing(cmd.name)
                    if how is None or cmd.name in reported or cmd.spans[0] is None:
                        continue
                    if cmd.name in earlier or _installed_here(df, ins, cmd):
                        continue
                    reported.add(cmd.name)
                    yield Violation(
                        f"`{cmd.name}` came with the original aishell's foundation; aishell's does not provide it, "
                        f"so this step fails: {how}",
                        cmd.spans[0][0],
                        cmd.spans[0][1],
                    )
            earlier |= _names_in(df, ins, named)
        mentioned.append(frozenset(earlier))


def _installed_here(df, ins, cmd) -> bool:
    """The same RUN installed it before calling it (`curl … -o /usr/local/bin/bb && bb …`)."""
    return bool(_WORDS[cmd.name].search(df.text[ins.start : cmd.spans[0][0]]))
