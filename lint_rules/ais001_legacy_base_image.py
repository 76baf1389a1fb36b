"""AIS001 legacy-base-image: the build uses the retired `aishell:base` image.

## What it does
Finds the image `aishell:base` where a build uses it: in `FROM` (any casing,
with `--platform`, `AS` or a digest), in a global `ARG` default that a `FROM`
expands (directly or through other ARGs), in a `FROM` that expands to it from
pieces (`aishell:${TAG}`, `${REPO}:base`, `${BASE-aishell:base}`) or across a
line continuation (a FROM that names it only in an expansion its ARG defaults do
not pick, `ARG B=aishell:foundation` then `FROM ${B:-aishell:base}`, is a warning:
only a `--build-arg` selects the old image), in `COPY --from=` and in the `from=` field of
`RUN --mount=…,from=…` (another field, such as a secret's `id=aishell:base`,
is a name, not an image). A flag is read as BuildKit reads its word, quotes and escapes
removed (`COPY --from=aishell\\:base`, `--"from"=…`, `--mount="type=bind,from=…"`); one
holding a `$` is no use at all: no builder expands it (BuildKit refuses the file, the classic
builder finds no such image), so aishell refuses the file as BuildKit does. In every place the
default or alternative word of a FROM or ARG expansion counts, whatever its operator
(`${B-aishell:base}`, `${B:-…}`, `${B+…}`, `${B:+…}`),
and so does an ARG default spelled so (`ARG A=${X-aishell:base}`). The message of
`${B:?aishell:base}` (or `${B?…}`) is no image: BuildKit gives B's value, or fails the build with
the message when B is unset (or empty), so only B's value counts (`ARG B=aishell:base` then
`FROM ${B:?set B}` is an error). A FROM whose ARG defaults give the old image through a pattern
expansion current BuildKit works out, `${B%p}`, `${B%%p}`, `${B#p}`, `${B##p}`, `${B/p/r}`,
`${B//p/r}` (`ARG B=aishell:base-slim` then `FROM ${B%-slim}`), is a warning: older builders
refuse the file (a pattern with a bracket class or a `$` is not worked out). The
spellings Docker resolves to the same local image count too:
`docker.io/library/aishell:base`, `library/aishell:base` (Docker normalises only `docker.io/` and
`index.docker.io/`: `registry-1.docker.io/library/aishell:base` is another registry's image, not
the local one, and is not reported). A mention in a
comment, a `LABEL` or an `echo` is not a use and is not reported. An
`ONBUILD COPY --from=aishell:base` (or `ONBUILD RUN --mount=from=…`) runs when an
image is built FROM this one, and first in each stage of the same Dockerfile built
FROM its stage (moby/buildkit#5490): where the default build builds such a stage,
it runs in this build and is an error, as the step itself is; otherwise it is a
warning (the later build is the one that uses the image). A trigger BuildKit refuses
when it runs (`ONBUILD ADD --from=…`: ADD has no `--from`; a `from` holding a `$`)
pulls no image: a warning. So is a finding in a stage the default
build does not build: BuildKit builds the last stage and the stages it needs (FROM, `COPY
--from=`, `RUN --mount=…,from=`, a trigger's where it runs), and skips the others (a stage
only a trigger's `--from=$X` may name is not surely built); and so is a global `ARG` default
that only such stages' FROMs read.

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
the old image. Nothing else on the line changes. A `FROM` that builds the name
from variables whose defaults do not spell `aishell:base` is reported without a
fix: rewriting it would drop the `--build-arg` override the variables allow. A `COPY --from=`
or `RUN --mount=…,from=` of the old image that takes a harness's files (a source or mount field
naming one: `COPY --from=aishell:base /usr/local/bin/claude …`) is reported without a fix:
`aishell:foundation` has no harness, and the harness comes from the volume at run time. A fix at a
global `ARG` default is offered only where every other `FROM` that reads the ARG still
expands to what it did (or, where that was the old image, to the new one): with `FROM $B`
and `FROM ${B}-custom`, rewriting `ARG B=aishell:base` would make the second
`aishell:foundation-custom`, so the default is reported without a fix.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from aishell.findings import SAFE, Edit, Example, Fix, Violation
from aishell.harness import mentions_in
from aishell.images import FOUNDATION as REPLACEMENT
from aishell.images import LEGACY, LEGACY_RE
from aishell.model import ALIAS, MAX_EXPANSION, unquote
from aishell.rule import RuleContext
from aishell.lint_rules._copies import copy_words
from aishell.lint_rules._provides import UNBUILT, built_stages, fed_stages, warn_where_unbuilt
from aishell.lint_rules._provides import NOT_PLAIN, expanded_global, plain_images_without

CODE = "AIS001"
NAME = "legacy-base-image"
SEVERITY = "error"
FIX_AVAILABILITY = "sometimes"

VAR_RE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
DEFAULT_RE = re.compile(r"(?<=[-+=])aishell:base(?:@sha256:[0-9a-fA-F]+)?(?=\})")
# The word of an expansion's default or alternative, `${B-aishell:base}` (`-`, `:-`, `+`, `:+`):
# LEGACY_RE's look-behind (not after `-`, as in `my-aishell:base`) does not see it after a bare `-`.
_IN_EXPANSION_RE = re.compile(
    r"\$\{[A-Za-z_][A-Za-z0-9_]*:?[-+](?=((?:(?:docker\.io|index\.docker\.io)/)?"
    r"(?:library/)?aishell:base(?:@sha256:[0-9a-fA-F]+)?(?![\w.:@-])))"
)


# The message of `${NAME?…}`/`${NAME:?…}`: BuildKit gives NAME's value, or fails the build with
# the message when NAME is unset (or empty): never an image.
_MESSAGE_BEFORE_RE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*:?\?\Z")


def _legacy_spans(text: str, start: int, end: int):
    """(start, end, text) of each reference to the image in text[start:end], in order: those
    LEGACY_RE finds, and the words of `${NAME-…}` expansions (which it does not); not the
    message of a `${NAME:?…}` expansion."""
    if text.find(LEGACY, start, end) < 0:
        return []  # (both patterns match the name itself: 90,000 ARGs of a chain spell none)
    found = {
        m.start(): (m.start(), m.end(), m.group(0))
        for m in LEGACY_RE.finditer(text, start, end)
        if not (m.start() > start and text[m.start() - 1] == "?" and _is_message(text, start, m.start()))
    }
    if text.find("${", start, end) >= 0:
        for m in _IN_EXPANSION_RE.finditer(text, start, end):
            a = m.end()
            b = a + len(m.group(1))
            if b <= end:
                found.setdefault(a, (a, b, m.group(1)))
    return [found[k] for k in sorted(found)]


def _is_message(text: str, start: int, at: int) -> bool:
    """text[at:] is the message of a `${NAME?` or `${NAME:?` that opens in text[start:at]."""
    return _MESSAGE_BEFORE_RE.search(text, max(start, at - 256), at) is not None


# Current BuildKit's pattern expansions (`${B#p}`, `${B##p}`, `${B%p}`, `${B%%p}`, `${B/p/r}`,
# `${B//p/r}`), which model.expand leaves as written (older builders refuse the file): a FROM
# whose ARG defaults give the old image through them is a warning (with BuildKit the build uses
# it; without, it fails to parse). Worked out as bash works them out (tests/
# test_ais001_patterns.py compares); a pattern with a bracket class, an anchor or a `$`, an
# empty one to replace, or a value longer than _PATTERN_VALUE_MAX, is not worked out (no finding).
_PATTERN_OP_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(##?|%%?|//?)([^{}]*)\}")
_PATTERN_VALUE_MAX = 256  # characters: an image reference is short


class _Unknown(Exception):
    """A pattern expansion not worked out here."""


def _glob(pattern: str) -> re.Pattern:
    """A shell pattern (`*`, `?`, `\\x`; no bracket class) as a regular expression."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[" or c == "$":
            raise _Unknown
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out), re.S)


def pattern_expansion(value: str, op: str, rest: str) -> str:
    """``${B<op><rest>}`` for B holding ``value``: `#`/`##` remove the shortest/longest prefix
    the pattern matches, `%`/`%%` the suffix, `/` replaces the first longest match, `//` each.
    Raises _Unknown for the forms not worked out here."""
    if len(value) > _PATTERN_VALUE_MAX:
        raise _Unknown
    n = len(value)
    if op[0] == "/":
        pattern, _, replacement = rest.partition("/")
        if pattern[:1] in ("#", "%", "") or "$" in replacement:
            raise _Unknown  # (an anchor; an empty pattern: shells read `${v///}` each its own way)
        rx = _glob(pattern)
        if not n:
            return replacement if rx.fullmatch("") else ""  # (only an empty value has an empty match replaced)
        out, a = [], 0
        while a <= n:
            b = next((b for b in range(n, a, -1) if rx.fullmatch(value, a, b)), None)
            if b is None:
                if a < n:
                    out.append(value[a])
                a += 1
                continue
            out.append(replacement)
            a = b
            if op == "/":
                out.append(value[a:])
                break
        return "".join(out)
    rx = _glob(rest)
    if op[0] == "#":
        for i in range(n + 1) if op == "#" else range(n, -1, -1):
            if rx.fullmatch(value, 0, i):
                return value[i:]
        return value
    for i in range(n, -1, -1) if op == "%" else range(n + 1):
        if rx.fullmatch(value, i, n):
            return value[:i]
    return value


def _through_patterns(df, image: str) -> bool:
    """Whether the FROM image text ``image`` gives the old image once the pattern expansions
    model.expand leaves are worked out with the ARG defaults' values."""

    def one(m: re.Match) -> str:
        return pattern_expansion(expanded_global(df, "${" + m.group(1) + "}"), m.group(2), m.group(3))

    try:
        return bool(LEGACY_RE.fullmatch(_PATTERN_OP_RE.sub(one, expanded_global(df, image))))
    except _Unknown:
        return False


VALID = [
    Example("FROM aishell:foundation\nRUN echo ok\n", name="foundation"),
    Example("FROM aishell:base-custom\n", name="other tag with the prefix"),
    Example("FROM aishell:baseline\n", name="longer tag"),
    Example("ARG BASE\nFROM ${BASE:?aishell:base}\n", name="the message of `:?` is no image"),
    Example("FROM registry.example.com/team/aishell:base\n", name="another repository"),
    Example("FROM my-aishell:base\n", name="another image name"),
    Example("# we used to build FROM aishell:base\nFROM aishell:foundation\n", name="comment"),
    Example(
        'FROM aishell:foundation\nLABEL note="migrated from aishell:base"\nRUN echo aishell:base\n',
        name="label and echo",
    ),
    Example(
        "FROM aishell:foundation\nRUN --mount=type=secret,id=aishell:base cat /run/secrets/aishell:base\n",
        name="a secret id is a name, not an image",
    ),
    Example(
        "FROM aishell:foundation\nRUN --mount=type=cache,target=/aishell:base,id=aishell:base ls\n",
        name="cache id and target",
    ),
]

INVALID = [
    Example(
        "ARG BASE=aishell:base-slim\nFROM ${BASE%-slim}\n",
        None,
        name="through a pattern expansion current BuildKit works out (a warning)",
        spans=((2, 6, 2, 19),),
    ),
    Example(
        "FROM aishell:base\nRUN echo ok\n",
        "FROM aishell:foundation\nRUN echo ok\n",
        name="plain",
        spans=((1, 6, 1, 18),),
    ),
    Example(
        "from --platform=linux/amd64 aishell:base as dev\n",
        "from --platform=linux/amd64 aishell:foundation as dev\n",
        name="lower-case keywords, platform and AS",
        spans=((1, 29, 1, 41),),
    ),
    Example(
        "FROM aishell:base@sha256:" + "a" * 64 + "\n",
        "FROM aishell:foundation\n",
        name="digest",
        spans=((1, 6, 1, 90),),
    ),
    Example(
        "ARG BASE=aishell:base\nFROM ${BASE}\n",
        "ARG BASE=aishell:foundation\nFROM ${BASE}\n",
        name="global ARG default",
        spans=((1, 10, 1, 22),),
    ),
    Example(
        "FROM ${BASE:-aishell:base}\n",
        "FROM ${BASE:-aishell:foundation}\n",
        name="default in the FROM expansion",
        spans=((1, 14, 1, 26),),
    ),
    Example(
        "FROM debian:bookworm-slim\nCOPY --from=aishell:base /etc/aishell /etc/aishell\n",
        "FROM debian:bookworm-slim\nCOPY --from=aishell:foundation /etc/aishell /etc/aishell\n",
        name="COPY --from",
        spans=((2, 13, 2, 25),),
    ),
    Example(
        "FROM debian:bookworm-slim\nRUN --mount=type=bind,from=aishell:base,target=/base ls /base\n",
        "FROM debian:bookworm-slim\nRUN --mount=type=bind,from=aishell:foundation,target=/base ls /base\n",
        name="RUN --mount from",
        spans=((2, 28, 2, 40),),
    ),
    Example(
        "FROM docker.io/library/aishell:base\n",
        "FROM aishell:foundation\n",
        name="fully qualified",
        spans=((1, 6, 1, 36),),
    ),
    Example(
        "FROM library/aishell:base AS dev\n",
        "FROM aishell:foundation AS dev\n",
        name="library/",
        spans=((1, 6, 1, 26),),
    ),
    Example(
        "ARG A=aishell:base\nARG B=${A}\nFROM ${B}\n",
        "ARG A=aishell:foundation\nARG B=${A}\nFROM ${B}\n",
        name="an ARG default taken from another ARG",
        spans=((1, 7, 1, 19),),
    ),
    Example(
        "FROM debian:bookworm-slim\nCOPY --from=aishell:base /usr/local/bin/claude /usr/local/bin/claude\n",
        None,
        name="COPY --from of a harness's files: reported, no fix (the foundation has no harness)",
        spans=((2, 13, 2, 25),),
    ),
    Example(
        "FROM debian:bookworm-slim\nRUN --mount=type=bind,from=aishell:base,source=/usr/local/bin/codex,target=/c ls\n",
        None,
        name="a mount of a harness's files: reported, no fix",
        spans=((2, 28, 2, 40),),
    ),
    Example(
        "ARG TAG=base\nFROM aishell:${TAG}\n",
        None,
        name="tag from an ARG: reported, no fix",
        spans=((2, 6, 2, 20),),
    ),
    Example(
        "ARG REPO=aishell\nFROM ${REPO}:base\n",
        None,
        name="repository from an ARG: reported, no fix",
        spans=((2, 6, 2, 18),),
    ),
    Example(
        "FROM ${BASE-aishell:base}\n",
        "FROM ${BASE-aishell:foundation}\n",
        name="default without a colon",
        spans=((1, 13, 1, 25),),
    ),
    Example(
        "FROM aishell\\\n:base\n",
        "FROM aishell:foundation\n",
        name="continued across lines",
        spans=((1, 6, 2, 6),),
    ),
    Example(
        "FROM debian:bookworm-slim\nONBUILD COPY --from=aishell:base /etc/aishell /etc/aishell\n",
        "FROM debian:bookworm-slim\nONBUILD COPY --from=aishell:foundation /etc/aishell /etc/aishell\n",
        name="ONBUILD COPY --from (a warning: it runs in the builds FROM this image)",
        spans=((2, 21, 2, 33),),
    ),
    Example(
        "FROM debian:bookworm-slim AS base\nONBUILD COPY --from=aishell:base /etc/aishell /etc/aishell\n"
        "FROM base\nRUN make\n",
        "FROM debian:bookworm-slim AS base\nONBUILD COPY --from=aishell:foundation /etc/aishell /etc/aishell\n"
        "FROM base\nRUN make\n",
        name="ONBUILD COPY --from triggered by a stage built FROM it (an error: it runs in this build)",
        spans=((2, 21, 2, 33),),
    ),
    Example(
        "\ufeffFROM aishell:base\r\nRUN echo ok\r\n",
        "\ufeffFROM aishell:foundation\r\nRUN echo ok\r\n",
        name="BOM and CRLF",
        spans=((1, 6, 1, 18),),
    ),
]


# Messages by what they name: a file with a thousand `FROM aishell:base` says two things.
_FIX_MESSAGES: dict[str, str] = {}
_MESSAGES: dict[str, str] = {}


def _fix(text: str, start: int, end: int) -> Fix:
    message = _FIX_MESSAGES.get(text)
    if message is None:
        if len(_FIX_MESSAGES) > 256:
            _FIX_MESSAGES.clear()
        message = _FIX_MESSAGES[text] = f"Replace `{text}` with `{REPLACEMENT}`"
    return Fix(SAFE, message, (Edit(start, end, REPLACEMENT),))


def _in_span(ctx: RuleContext, start: int, end: int, what: str):
    for a, b, found in _legacy_spans(ctx.df.text, start, end):
        message = _MESSAGES.get(what)
        if message is None:
            if len(_MESSAGES) > 256:
                _MESSAGES.clear()
            message = _MESSAGES[what] = (
                f"{what} uses the legacy image `{LEGACY}`; build on `{REPLACEMENT}` (harnesses now come from a volume)"
            )
        yield Violation(message, a, b, _fix(found, a, b))


def _reaching(df) -> tuple[set[str], set[int], list]:
    """The global ARG names whose expansion reaches, through any chain of ARGs, a default that
    spells the image: one pass backwards from those. With them, the indices (in
    df.global_definitions()) of the definitions that spell it, and the names each definition's
    default reads once unquoted."""
    definitions, escape = df.global_definitions()[0], df.escape
    users: dict[str, list[str]] = {}
    uses: list = []
    # (A default the expansion found an ALIAS of a name reads that name alone: ALIASES_SHARED.)
    aliased = df.global_aliases() if ALIASES_SHARED else {}
    findall, append, get = VAR_RE.findall, uses.append, users.get
    k = -1
    for name, value, _ in definitions:
        k += 1
        if value and "$" in value:
            a = aliased.get(k)
            used = (a,) if a is not None else findall(unquote(value, escape=escape))
        else:
            used = ()
        append(used)
        for n in used:
            u = get(n)
            if u is None:
                users[n] = [name]
            else:
                u.append(name)
    spelled = _spelling(df.text, definitions)
    todo = [definitions[k][0] for k in spelled]
    out: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in out:
            out.add(name)
            u = get(name)
            if u is not None:
                todo.extend(u)
    return out, spelled, uses


# _reaching and _aliases_the_old_image take the name a global ARG's default is an ALIAS of from
# the expansion's match of it (Dockerfile.global_aliases), not a match of their own: a chain of
# 450,000 `ARG An=${An-1}` was matched three times (tests/test_ais001_aliases_fast.py turns it off).
ALIASES_SHARED = True


def _spelling(text: str, definitions: list) -> set[int]:
    """The indices of the definitions whose word spells the image (_legacy_spans), found from
    where the name is in the text: a chain of 455,000 ARGs names it once."""
    out: set[int] = set()
    if not definitions:
        return out
    starts, checked, end = None, set(), definitions[-1][2].end
    at = text.find(LEGACY, definitions[0][2].start, end)
    while at >= 0:
        if starts is None:
            starts = [d[2].start for d in definitions]
        k = bisect_right(starts, at) - 1
        if k not in checked:
            checked.add(k)
            word = definitions[k][2]
            if _legacy_spans(text, word.start, word.end):
                out.add(k)
        at = text.find(LEGACY, at + 1, end)
    return out


def _unquoted_use(ctx: RuleContext, ins, flag, onbuild: bool) -> list[Violation]:
    """A `COPY --from=` or `--mount=…,from=` whose written text does not spell the image but whose
    value as BuildKit reads the flag word does (`--from=aishell\\:base`, `--from=aish"ell:b"ase`,
    `--"mount"=…`): reported on the whole value. Quotes and escapes in an expansion are left to
    the text search (BuildKit unquotes the word before it expands it)."""
    value = flag.unquoted
    if not value or "$" in value or flag.value_start is None:
        return []
    prefix = "ONBUILD " if onbuild else ""
    if ins.keyword in ("COPY", "ADD") and flag.name == "from":
        what, fixable = f"{prefix}{ins.keyword} --from", True
    elif ins.keyword == "RUN" and flag.name == "mount":
        images = _mount_images(value)
        if not images:
            return []
        value, what, fixable = images[-1], f"{prefix}RUN --mount", False
    else:
        return []
    if not LEGACY_RE.fullmatch(value):
        return []
    from aishell.errors import one_line

    text = one_line(ctx.df.text[flag.value_start : flag.end])
    fix = _fix(text, flag.value_start, flag.end) if fixable else None
    return [
        Violation(
            f"{what} `{text}` names the legacy image `{LEGACY}` once BuildKit unquotes it; build on "
            f"`{REPLACEMENT}` (harnesses now come from a volume)",
            flag.value_start,
            flag.end,
            fix,
        )
    ]


def _mount_images(value: str) -> list[str]:
    """The values of a `--mount` flag's `from=` fields (BuildKit's: comma-separated, keys
    lower-cased), read from the flag's value as BuildKit unquotes the word."""
    fields = [f.partition("=") for f in value.split(",")]
    return [v for k, eq, v in fields if eq and k.strip().lower() == "from"]


def _refused_in_trigger(ins, flag) -> bool:
    """BuildKit refuses this flag of a trigger when the trigger runs (it reads a trigger's flags
    only then), so that build fails without pulling the image the flag spells: `ADD` has no
    `--from` ("unknown flag: from"), and a `--from=` or mount `from=` holding a `$` is not
    expanded ("variable expansion is not supported for --from", "'from' doesn't support variable
    expansion")."""
    value = flag.unquoted if flag.unquoted is not None else flag.value or ""
    if ins.keyword == "RUN":
        return any("$" in v for v in _mount_images(value))
    return ins.keyword == "ADD" or "$" in value


def _mount_key(before: str) -> str:
    """The key of the `--mount` field that text ending at ``before`` is in (`type=bind,from=`)."""
    field = before.rsplit(",", 1)[-1]
    if field[:8].lower() == "--mount=":
        field = field[8:]
    if "=" not in field:
        return ""
    return field.split("=", 1)[0].strip().strip("'\"").lower()


_GATE = True  # tests/test_lint_chain_fast.py compares the rule with and without it
# What can spell the name in a flag's value without its text holding it: a quote, either escape
# character, a line continuation.
_NOT_PLAIN_FLAG = re.compile(r"[\\'\"`\r\n]")


def _check(ctx: RuleContext, arg_fixes: dict[int, str] | None = None, arg_built: dict[int, bool] | None = None):
    """The violations; ``arg_fixes`` gets the start of each one at a global ARG default, with
    the ARG's name (``_other_froms_changed`` reads them); ``arg_built`` the start of each one
    at a global ARG default, with whether a stage the default build builds reads it."""
    df = ctx.df
    # Every finding is at `aishell:base` in the source, or at a FROM whose image text, once
    # expanded, is it; a plain image text (no `$`, quote or backslash) expands to itself. So a
    # file without the name skips the stages whose image text is plain and lacks it (a chain of
    # 200,000 stages named `s1`, `s2`, …), and its flags.
    gate = _GATE and LEGACY not in df.text
    plain = NOT_PLAIN.search
    reported: set[int] = set()
    # The ARG definitions a FROM expands through are walked once in the file: every default
    # that spells the image is reported at the first FROM that reaches it, so a later walk stops
    # at a name an earlier one went through (a chain of 2,000 ARGs, each FROM naming a later one,
    # once walked it for each: 20 s for 250 FROMs).
    reaching: set[str] | None = None
    walked: set[str] = set()
    expands_to_legacy: dict[str, bool] = {}  # by image text: stages repeat their FROM
    ordered, built_ids = ((), None) if gate and plain_images_without(df, LEGACY) else _built_first(df)
    for stage in ordered:
        img = stage.image
        if img is None:
            continue
        if gate and LEGACY not in img.text and plain(img.text) is None and len(img.text) <= MAX_EXPANSION:
            continue
        direct = list(_in_span(ctx, img.start, img.end, "FROM"))
        legacy = None
        if direct and "$" in img.text:
            # In an expansion (`${B:-aishell:base}`, `${B:+aishell:base}`, `aishell:base$S`): the
            # build uses the old image only if the FROM expands to it. Where the ARG defaults
            # make it expand to another (`ARG B=aishell:foundation`), only a `--build-arg` picks
            # it: a warning, not an error.
            legacy = expands_to_legacy[img.text] = bool(LEGACY_RE.fullmatch(expanded_global(df, img.text)))
            if not legacy:
                direct = [v._replace(severity="warning") for v in direct]
        if direct:
            yield from direct
            continue
        legacy = expands_to_legacy.get(img.text)
        if legacy is None:
            legacy = expands_to_legacy[img.text] = bool(LEGACY_RE.fullmatch(expanded_global(df, img.text)))
        if not legacy:
            if "${" in img.text and _PATTERN_OP_RE.search(img.text) and _through_patterns(df, img.text):
                yield Violation(
                    f"FROM `{img.text}` expands to the legacy image `{LEGACY}` where BuildKit works out its pattern "
                    f"expansions (older builders refuse the file); build on `{REPLACEMENT}` (harnesses now come "
                    "from a volume)",
                    img.start,
                    img.end,
                    None,
                    "warning",
                )
            continue
        # The reference comes from ARG defaults (through any chain of ARGs), or from pieces.
        names = VAR_RE.findall(img.text)
        if reaching is None:
            reaching, spelled, uses = _reaching(df)
            definitions, by_name = df.global_definitions()
        if any(name in reaching for name in names):
            # (The stages the default build builds come first, _built_first: a default a walk from
            # one of them reaches is reported then, so one reached only later, from stages the
            # build skips, is a warning, as the image written in such a FROM is.)
            built = built_ids is None or stage.index in built_ids
            todo = [name for name in names if name in reaching]
            while todo:
                name = todo.pop()
                if name in walked:
                    continue
                walked.add(name)
                for k in by_name.get(name, ()):
                    word = definitions[k][2]
                    if k in spelled and word.start not in reported:
                        reported.add(word.start)
                        for v in _in_span(
                            ctx, word.start, word.end, f"ARG {name} (used by FROM on line {stage.from_ins.start_line})"
                        ):
                            if arg_built is not None:
                                arg_built[v.start] = built
                            if arg_fixes is not None and v.fix is not None:
                                arg_fixes[v.start] = name
                            yield v
                    for n in uses[k]:
                        if n in reaching:
                            todo.append(n)
            continue
        # The default of an expansion that LEGACY_RE's look-behind does not see: `${B-aishell:base}`.
        source = df.text[img.start : img.end]
        defaults = list(DEFAULT_RE.finditer(source))
        if defaults:
            for m in defaults:
                a, b = img.start + m.start(), img.start + m.end()
                yield Violation(
                    f"FROM uses the legacy image `{LEGACY}` as a default; build on `{REPLACEMENT}` "
                    "(harnesses now come from a volume)",
                    a,
                    b,
                    _fix(m.group(0), a, b),
                )
            continue
        # Built from pieces (`aishell:${TAG}`, `${REPO}:base`, `${B-aishell:base}`) or split by a
        # line continuation: reported at the reference. Without variables, the whole reference
        # is replaced (safe); with them, the fix would drop a --build-arg override: none.
        fix = None if "$" in img.text else _fix(img.text, img.start, img.end)
        yield Violation(
            f"FROM `{img.text}` expands to the legacy image `{LEGACY}`; build on `{REPLACEMENT}` "
            "(harnesses now come from a volume)",
            img.start,
            img.end,
            fix,
        )
    # An ONBUILD step runs when another image is built FROM this one: a warning (that later build
    # is the one that uses the old image); but a stage of this file built FROM its stage runs it
    # first (moby/buildkit#5490), and where the default build builds one, the step is this
    # build's: an error, as the step itself is. (The stages fed so, their FROMs' starts: when asked.)
    fed: tuple[set[int], list[int]] | None = None
    for top in df.instructions:
        onbuild = top.sub is not None
        ins = top.sub if onbuild else top
        for flag in ins.flags:
            if gate and _NOT_PLAIN_FLAG.search(df.text, flag.start, flag.end) is None:
                continue  # (without the name in the file, only a quote, escape or continuation spells it)
            found = ()
            if ins.keyword in ("COPY", "ADD") and flag.name == "from":
                found = _in_span(ctx, flag.start, flag.end, f"{'ONBUILD ' if onbuild else ''}{ins.keyword} --from")
            elif ins.keyword == "RUN" and flag.name == "mount" and flag.value:
                # Only the mount's `from=` names an image; `id=aishell:base` (a secret or cache id)
                # or `target=/aishell:base` are names, not images.
                found = (
                    v
                    for v in _in_span(ctx, flag.start, flag.end, f"{'ONBUILD ' if onbuild else ''}RUN --mount")
                    if _mount_key(df.text[flag.start : v.start]) == "from"
                )
            found = list(found)
            if not found:
                found = _unquoted_use(ctx, ins, flag, onbuild)
            if found and _takes_a_harness(ins, flag):
                found = [v._replace(fix=None) for v in found]
            if found and onbuild:
                if fed is None:
                    fed = fed_stages(df), [stage.from_ins.start for stage in df.stages]
                # (A top-level flag holding a `$` is refused by the model: no builder expands it.)
                if bisect_right(fed[1], top.start) - 1 not in fed[0] or _refused_in_trigger(ins, flag):
                    found = [v._replace(severity="warning") for v in found]
            yield from found


def _takes_a_harness(ins, flag) -> bool:
    """Whether a `COPY --from=` or mount of the old image takes a harness's files (its sources, or
    the mount's fields, may name one: `/usr/local/bin/claude`): `aishell:foundation` has no
    harness, so the copy would find nothing there. Reported, but no fix: the harness comes from
    the volume at run time, not from an image."""
    if ins.keyword == "RUN":
        return mentions_in(flag.value or "")
    return any(mentions_in(w) for w in copy_words(ins)[:-1])


def _built_first(df):
    """(The stages, those the default build surely builds first, each part in file order; the
    indices of those it builds, or None: every stage, or the order decides nothing). An ARG
    default is then reported from the first built FROM that reads it, if any."""
    stages = df.stages
    if len(stages) < 2 or not any("$" in s.image.text for s in stages if s.image is not None):
        return stages, None  # (no FROM reads an ARG: the order decides nothing)
    built = built_stages(df)
    return [s for s in stages if s.index in built] + [s for s in stages if s.index not in built], built


def check(ctx: RuleContext):
    """The findings of _check: an error in a stage the default build does not build is a warning.
    A fix at a global ARG default is offered only where no FROM that reads the ARG would then
    expand to anything but what it did, with the old image made the new (_other_froms_changed)."""
    arg_fixes: dict[int, str] = {}
    arg_built: dict[int, bool] = {}
    found = list(_check(ctx, arg_fixes, arg_built))
    if arg_fixes:
        names = _other_froms_changed(ctx.df, found, arg_fixes)
        if names:
            found = [v._replace(fix=None) if arg_fixes.get(v.start) in names else v for v in found]
    if not all(arg_built.values()):
        # A global ARG default read only by FROMs of stages the default build skips: it builds
        # no image from it, so its error is a warning, as one written in such a FROM is.
        found = [
            v._replace(severity="warning", message=v.message + UNBUILT)
            if arg_built.get(v.start) is False and v.severity in (None, "error")
            else v
            for v in found
        ]
    return warn_where_unbuilt(ctx.df, found)


_ALIAS_SHORTCUT = True  # tests/test_ais001_expansion_oracle.py compares the check with and without it


def _aliases_the_old_image(name: str, definitions: list, by_name: dict, memo: dict, aliased: dict) -> bool:
    """Whether the global ARG ``name`` is, through defaults that are each another name alone
    (`ARG A1=${A0}`), each name defined once and after the one it reads, the default of a name
    written as the old image itself (`ARG A0=aishell:base`): then a FROM of ``$name`` expands to
    the old image, and with the fixes to that default applied, to the new one or (a default the
    rule does not fix) the old one still; neither is a change _other_froms_changed looks for. A
    chain of 455,000 such ARGs, each read by a FROM, is walked once, not expanded twice.
    ``aliased``: the names of the defaults the expansion matched (Dockerfile.global_aliases)."""
    path = []
    ok = False
    k = _single(name, definitions, by_name)
    while True:
        if name in memo:
            ok = memo[name]
            break
        path.append(name)
        if k is None:
            break
        raw = definitions[k][1]
        if LEGACY in raw and LEGACY_RE.fullmatch(raw):
            ok = True
            break
        nxt = aliased.get(k, _UNMATCHED)
        if nxt is _UNMATCHED:
            m = ALIAS.fullmatch(raw)
            nxt = None if m is None else m[1] or m[2]
        if nxt is None:
            break
        before = _single(nxt, definitions, by_name)
        if before is None or before >= k:
            break  # (a name defined after it or again: expanded as usual)
        name, k = nxt, before
    for n in path:
        memo[n] = ok
    return ok


_UNMATCHED = object()  # (aliased: a default the expansion has not matched)


def _single(name: str, definitions: list, by_name: dict) -> int | None:
    """The index of the only definition of ``name``, where it has a value."""
    ks = by_name.get(name)
    return ks[0] if ks is not None and len(ks) == 1 and definitions[ks[0]][1] is not None else None


def _other_froms_changed(df, found: list, arg_fixes: dict[int, str]) -> set[str]:
    """The global ARG names whose default's fix would change a FROM other than by making the old
    image the new one: every FROM that reads them sees the new default. `ARG B=aishell:base` then
    `FROM $B` and `FROM ${B}-custom` (another tag: the rule's own example of one that is not the
    old image) made the second `aishell:foundation-custom`; `FROM ${B}@sha256:…` pinned the new
    name to the old image's digest; `FROM ${B#aishell:}` named another stage. The fixes are
    applied together to the global ARGs (the lines before the first FROM, all they edit), those
    parsed once, and each FROM with an expansion compared under both; the names a changed FROM
    reads (through any chain of ARG defaults) get no fix."""
    from aishell.model import DockerfileSyntaxError, parse

    text = df.text
    if not df.stages:
        return set()
    head_end = df.stages[0].from_ins.start
    edits = sorted((e for v in found if v.start in arg_fixes and v.fix for e in v.fix.edits), key=lambda e: e.start)
    pieces, at = [], 0
    for e in edits:
        if e.start < at or e.end > head_end:
            return set(arg_fixes.values())  # (overlapping, or past the global ARGs: none is offered)
        pieces.append(text[at : e.start])
        pieces.append(e.replacement)
        at = e.end
    pieces.append(text[at:head_end])
    after = None  # the global ARGs parsed with the fixes applied, when a FROM needs them
    definitions, by_name = df.global_definitions()
    aliased = df.global_aliases() if ALIASES_SHARED else {}
    aliases: dict[str, bool] = {}
    # Each FROM with an expansion compared (once per image text), then one walk from the names
    # the changed ones read: linear however many FROMs read a long chain of ARGs.
    todo: list[str] = []
    seen: dict[str, bool] = {}
    for stage in df.stages:
        img = stage.image
        if img is None or "$" not in img.text or img.text in seen:
            continue
        m = ALIAS.fullmatch(img.text) if _ALIAS_SHORTCUT else None
        if m is not None and _aliases_the_old_image(m[1] or m[2], definitions, by_name, aliases, aliased):
            seen[img.text] = False  # the old image before the fixes, itself or the new one after
            continue
        if after is None:
            try:
                after = parse("".join(pieces) + "FROM scratch\n")  # (the global ARGs, fixed: their defaults)
            except DockerfileSyntaxError:
                return set(arg_fixes.values())
            if len(after.global_args) != len(df.global_args):
                return set(arg_fixes.values())
        was, now = expanded_global(df, img.text), expanded_global(after, img.text)
        # (An expansion the model does not read, `${B#aishell:}`, comes back as written: unproven.)
        changed = seen[img.text] = "$" in was or (now != was and not (LEGACY_RE.fullmatch(was) and now == REPLACEMENT))
        if changed:
            todo.extend(VAR_RE.findall(img.text))
    # (A `COPY --from=` or `--mount=…,from=` reads no ARG: the model refuses one holding a `$`,
    # as every builder does, and an ONBUILD's expands in another build.)
    reads: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in reads:
            reads.add(name)
            for k in by_name.get(name, ()):
                todo.extend(VAR_RE.findall(definitions[k][1] or ""))
    out = reads & set(arg_fixes.values())
    return out
