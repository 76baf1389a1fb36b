"""AIS001 legacy-base-image: the build uses the retired `aishell:base` image.

## What it does
Finds the image `aishell:base` where a build uses it: in `FROM` (any casing,
with `--platform`, `AS` or a digest), in a global `ARG` default that a `FROM`
expands, in `COPY --from=` and in `RUN --mount=…,from=…`. A mention in a
comment, a `LABEL` or an `echo` is not a use and is not reported.

## Why is this bad?
`aishell:base` baked the harnesses into the image, so every harness update
rebuilt every extension built on it. aishell no longer builds that tag: the
extension now builds on `aishell:foundation`, and the harnesses come from a
read-only volume at run time. A Dockerfile that still names `aishell:base`
builds on a stale image, or fails where the tag does not exist.

## Example
```dockerfile
FROM aishell:base
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client
```

## Use instead
```dockerfile
FROM aishell:foundation
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client
```

## Fix safety
Safe. The reference is rewritten to `aishell:foundation`; a digest pinned to the
old image (`aishell:base@sha256:…`) is dropped with it, since it can only name
the old image. Nothing else on the line changes.
"""

from __future__ import annotations

import re

from aishell.findings import SAFE, Edit, Example, Fix, Violation
from aishell.images import FOUNDATION as REPLACEMENT
from aishell.images import LEGACY, LEGACY_RE
from aishell.model import arg_definitions
from aishell.rule import RuleContext

CODE = "AIS001"
NAME = "legacy-base-image"
SEVERITY = "error"
FIX_AVAILABILITY = "always"

VAR_RE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")

VALID = [
    Example("FROM aishell:foundation\nRUN echo ok\n", name="foundation"),
    Example("FROM aishell:base-custom\n", name="other tag with the prefix"),
    Example("FROM aishell:baseline\n", name="longer tag"),
    Example("FROM registry.example.com/team/aishell:base\n", name="another repository"),
    Example("FROM my-aishell:base\n", name="another image name"),
    Example("# we used to build FROM aishell:base\nFROM aishell:foundation\n", name="comment"),
    Example('FROM aishell:foundation\nLABEL note="migrated from aishell:base"\nRUN echo aishell:base\n', name="label and echo"),
]

INVALID = [
    Example("FROM aishell:base\nRUN echo ok\n", "FROM aishell:foundation\nRUN echo ok\n", name="plain"),
    Example(
        "from --platform=linux/amd64 aishell:base as dev\n",
        "from --platform=linux/amd64 aishell:foundation as dev\n",
        name="lower-case keywords, platform and AS",
    ),
    Example(
        "FROM --platform linux/arm64 aishell:base AS dev\n",
        "FROM --platform linux/arm64 aishell:foundation AS dev\n",
        name="platform with a space",
    ),
    Example("FROM aishell:base@sha256:" + "a" * 64 + "\n", "FROM aishell:foundation\n", name="digest"),
    Example(
        "ARG BASE=aishell:base\nFROM ${BASE}\n",
        "ARG BASE=aishell:foundation\nFROM ${BASE}\n",
        name="global ARG default",
    ),
    Example(
        "FROM ${BASE:-aishell:base}\n",
        "FROM ${BASE:-aishell:foundation}\n",
        name="default in the FROM expansion",
    ),
    Example(
        "FROM debian:bookworm-slim\nCOPY --from=aishell:base /etc/aishell /etc/aishell\n",
        "FROM debian:bookworm-slim\nCOPY --from=aishell:foundation /etc/aishell /etc/aishell\n",
        name="COPY --from",
    ),
    Example(
        "FROM debian:bookworm-slim\nRUN --mount=type=bind,from=aishell:base,target=/base ls /base\n",
        "FROM debian:bookworm-slim\nRUN --mount=type=bind,from=aishell:foundation,target=/base ls /base\n",
        name="RUN --mount from",
    ),
    Example(
        "\ufeffFROM aishell:base\r\nRUN echo ok\r\n",
        "\ufeffFROM aishell:foundation\r\nRUN echo ok\r\n",
        name="BOM and CRLF",
    ),
]


def _fix(text: str, start: int, end: int) -> Fix:
    return Fix(SAFE, f"Replace `{text}` with `{REPLACEMENT}`", (Edit(start, end, REPLACEMENT),))


def _in_span(ctx: RuleContext, start: int, end: int, what: str):
    for m in LEGACY_RE.finditer(ctx.df.text, start, end):
        yield Violation(
            f"{what} uses the legacy image `{LEGACY}`; build on `{REPLACEMENT}` "
            "(harnesses now come from a volume)",
            m.start(),
            m.end(),
            _fix(m.group(0), m.start(), m.end()),
        )


def check(ctx: RuleContext):
    df = ctx.df
    reported: set[int] = set()
    for stage in df.stages:
        img = stage.image
        if img is None:
            continue
        direct = list(_in_span(ctx, img.start, img.end, "FROM"))
        if direct:
            yield from direct
            continue
        if not LEGACY_RE.fullmatch(df.expand_global(img.text)):
            continue
        # The reference comes from a global ARG default.
        used = set(VAR_RE.findall(img.text))
        for arg in df.global_args:
            for name, _value, word in arg_definitions(arg):
                if name in used and word.start not in reported:
                    reported.add(word.start)
                    for v in _in_span(ctx, word.start, word.end, f"ARG {name} (used by FROM on line {stage.from_ins.start_line})"):
                        yield v
    for ins in df.all_instructions():
        for flag in ins.flags:
            if ins.keyword in ("COPY", "ADD") and flag.name == "from":
                yield from _in_span(ctx, flag.start, flag.end, f"{ins.keyword} --from")
            elif ins.keyword == "RUN" and flag.name == "mount" and flag.value:
                yield from _in_span(ctx, flag.start, flag.end, "RUN --mount")
