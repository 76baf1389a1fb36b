"""What BuildKit's Dockerfile frontend refuses after the file parses, written out from its
rules (moby/buildkit frontend/dockerfile/dockerfile2llb/convert.go, buildStageDependencyGraph and
validateCircularDependency; frontend/dockerfile/instructions/commands_runmount.go, parseMount):

* the stage graph, before any stage is built, whichever stages the build reaches: a `COPY
  --from=` value Go's strconv.Atoi reads as a number (an optional sign, ASCII digits, within
  int64: `+0` is stage 0) names the stage of that index in BuildKit's list of states, "invalid
  stage index N" outside it. The list holds the file's stages, then one state more for each
  image an earlier COPY `--from=` or RUN `--mount` names (a mount without `from=` names
  `scratch`), in the order BuildKit walks them (stage by stage, instruction by instruction): an
  index may name a later stage, or such an image. A mount's `from=` is a name, never an index.
  A stage that depends on itself through `COPY --from` and mount `from=` is refused ("circular
  dependency detected on stage").
* a `COPY --from=` or a mount's `from=` that names (by name, looked up lower-cased, the last stage
  of that name winning; or by index) the stage it is in or a later one, when a build reaches that
  stage ("cannot copy from stage "b", it needs to be defined before current stage "a"", "cannot
  mount from stage "b" to "/m", stage needs to be defined before current command"; Engines
  26.1 and 28.5. 20.10's BuildKit reads the later stage's base there instead: another build,
  so this is checked only with model.NEWER_ENGINE_REFUSALS, off: aishell refuses only what every
  engine it supports refuses).
* a RUN's `--mount` fields, when the stage is built (its values are expanded then): see
  mount_error.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache


def go_atoi(text: str) -> int | None:
    """Go's strconv.Atoi of ``text`` (64-bit int), or None where it fails: a sign, then ASCII
    digits. (String tests, no pattern: this module is imported by every lint.)"""
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not (digits.isascii() and digits.isdigit()):
        return None
    n = int(text)
    return n if -(2**63) <= n < 2**63 else None


def _mount_from(value: str) -> str | None:
    """The `from=` of a `--mount` value as BuildKit reads it before the build (the last one;
    '' without one), or None where its CSV reading is not plain (a quote)."""
    if '"' in value:
        return None
    if "from" not in value.lower():
        return ""
    found = ""
    for field in value.split(","):
        key, eq, v = field.partition("=")
        if eq and key.lower() == "from":
            found = v
    return found


def flagged(df) -> list[tuple[int, object]]:
    """The COPY and RUN instructions of the file's stages with builder flags, in order, each
    with its stage's index (the parse lists them: most files have few or none)."""
    return [(ins.stage, ins) for ins in df.flagged if ins.stage >= 0 and ins.keyword in ("COPY", "RUN")]


def graph_error(df, found: list[tuple[int, object]], frontend: bool = False) -> tuple[str, int] | None:
    """BuildKit's error for the file's stage graph (see the module's doc), with its line, or
    None; ``found``: flagged(df). A value this cannot read for sure (quoted, or a `$`: refused
    elsewhere) is passed over. ``frontend``: the file names its own (`# syntax=`), which may read
    an image's name its own way: such names are not judged."""
    stages = df.stages
    if not found:
        return None
    names = {st.name: st.index for st in stages if st.name is not None}
    image_error = None if frontend else _image_error(df.escape)
    count = len(stages)  # BuildKit's list of states, as it grows
    deps: dict[int, dict[int, int]] = {}  # stage -> {stage it reads: line}
    unsure = False  # (a reference read here not for sure: the count of states is not known)
    later: list[tuple[int, object, str]] = []  # (stage, instruction, error): a later stage named

    def here(at: int) -> str:
        return f'current stage "{stages[at].name or f"stage-{at}"}"'

    for at, ins in found:
        if ins.keyword == "COPY":
            refs = [f for f in ins.flags if f.name == "from"]
            if not refs:
                continue
            value = refs[-1].unquoted
            if value is None or value != refs[-1].value or "$" in value:
                unsure = True  # (may add a state)
                continue
            index = go_atoi(value)
            if index is None:
                k = names.get(value.lower())
                if k is None:
                    if image_error is not None and (error := image_error(value)) is not None:
                        return error, ins.start_line
                    count += 1
                else:
                    deps.setdefault(at, {}).setdefault(k, ins.start_line)
                    if k > at:
                        later.append(
                            (at, ins, f'cannot copy from stage "{value}", it needs to be defined before {here(at)}')
                        )
            elif 0 <= index < len(stages):
                deps.setdefault(at, {}).setdefault(index, ins.start_line)
                if index > at:
                    later.append(
                        (at, ins, f'cannot copy from stage "{value}", it needs to be defined before {here(at)}')
                    )
            elif index < 0 or index >= count and not unsure:
                return f"invalid stage index {index}", ins.start_line
        elif ins.keyword == "RUN":
            for f in ins.flags:
                if f.name != "mount" or f.unquoted is None:
                    continue
                ref = _mount_from(f.unquoted)
                if ref is None or "$" in ref:
                    unsure = True
                    continue
                k = names.get((ref or "scratch").lower())
                if k is None:
                    if ref and image_error is not None and (error := image_error(ref)) is not None:
                        return error, ins.start_line
                    count += 1
                else:
                    deps.setdefault(at, {}).setdefault(k, ins.start_line)
                    if k > at:
                        target = _mount_target(f.unquoted)
                        later.append(
                            (
                                at,
                                ins,
                                f'cannot mount from stage "{ref}" to "{target}", stage needs to be defined before current command',
                            )
                        )
    # A stage on a cycle, or one reaching one (BuildKit names the first stage it starts from).
    state: dict[int, int] = {}  # 1 on the path, 2 done
    for start in sorted(deps):
        if state.get(start):
            continue
        path = [(start, iter(deps[start].items()))]
        state[start] = 1
        while path:
            node, edges = path[-1]
            for k, line in edges:
                seen = state.get(k)
                if seen == 1:
                    name = stages[start].name or f"stage-{start}"
                    return f"circular dependency detected on stage: {name}", line
                if not seen:
                    state[k] = 1
                    path.append((k, iter(deps.get(k, {}).items())))
                    break
            else:
                state[node] = 2
                path.pop()
    if later and not frontend and _newer_engine_refusals():
        built = _surely_built(df, deps)
        for at, ins, why in later:
            if at in built:
                return why, ins.start_line
    return None


def _newer_engine_refusals() -> bool:
    from aishell import model  # (model imports this module)

    return model.NEWER_ENGINE_REFUSALS


def _mount_target(value: str) -> str:
    """A mount's target as BuildKit's message names it (the last `target=`, `dst=`,
    `destination=`)."""
    found = ""
    for field in value.split(","):
        key, eq, v = field.partition("=")
        if eq and key.lower() in ("target", "dst", "destination"):
            found = v
    return found


def _surely_built(df, deps: dict[int, dict[int, int]]) -> set[int]:
    """The stages a default build (of the last stage) surely builds: the last, and each stage one
    of them needs, by ``deps`` (the `COPY --from=` and mount `from=` read for sure) or as its base:
    a FROM whose word, as written (no expansion), is an earlier stage's name (BuildKit compares the
    word as it is with the lower-cased names; the last such stage wins)."""
    stages = df.stages
    if not stages:
        return set()
    bases: dict[int, int] = {}
    seen: dict[str, int] = {}
    for st in stages:
        image = st.image.text if st.image is not None else None
        if image is not None and image in seen and not any(c in image for c in "$'\"\\`"):
            bases[st.index] = seen[image]
        if st.name is not None:
            seen[st.name] = st.index
    built = {len(stages) - 1}
    todo = list(built)
    while todo:
        k = todo.pop()
        for n in (*deps.get(k, ()), *((bases[k],) if k in bases else ())):
            if 0 <= n < len(stages) and n not in built:
                built.add(n)
                todo.append(n)
    return built


def _image_error(escape: str):
    """The check of an image a COPY `--from=` or a mount's `from=` names (no stage of the file):
    BuildKit adds a state of that base and parses its name as it parses a FROM's, before any
    stage is built (`failed to parse stage name "UPPER": invalid reference format`; model's
    _check_bases, whose rules this follows: a word with an expansion, a quote, an escape or a
    digest, and `scratch`, are passed over). A function of the value: its message, or None."""
    from aishell.model import _UNREAD_BASE, _reference_error

    def error(value: str) -> str | None:
        if not value or value.lower() == "scratch" or escape in value or any(c in value for c in _UNREAD_BASE):
            return None
        why = _reference_error(value)
        return None if why is None else f'failed to parse stage name "{value}": {why}'

    return error


# parseMount's rules, as every BuildKit since 0.8 applies them (a key a newer one added, such as
# `env`, is taken). Values are expanded first: one holding a `$`, a quote or a backslash is not
# known here, and the mount is passed over.
_MOUNT_TYPES = frozenset({"bind", "cache", "tmpfs", "secret", "ssh"})
_SHARING = frozenset({"shared", "private", "locked"})
_GO_BOOLS = frozenset({"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"})
_MOUNT_KEYS = frozenset(
    {"from", "source", "src", "target", "dst", "destination", "id", "env"}
    | {"type", "readonly", "ro", "readwrite", "rw", "required", "size", "sharing", "mode", "uid", "gid"}
)


# go-units' RAMInBytes, which reads a tmpfs mount's size: up to v0.4 (BuildKit 0.8, Docker 20.10)
# a pattern, digits and dots, a blank, a unit letter, `i`, `b`, then the number as a Go float;
# from v0.5 (2022) the number is what ends at the last digit, dot or blank (a float Go reads, not
# negative), the rest a suffix: `b`, or a unit letter then nothing, `b` or `ib`. A size is refused
# only where both refuse (`-1`, `1x`, `1.2.3`; `1ib` is the old's, `.5` and `1e3` the new's).
_SIZE_OLD = re.compile(r"([0-9]+(?:\.[0-9]+)*) ?[kKmMgGtTpP]?[iI]?[bB]?")
_GO_DECIMAL = re.compile(
    r"[+-]?(?:[0-9](?:_?[0-9])*\.?(?:[0-9](?:_?[0-9])*)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?"
)
_GO_SPECIAL = re.compile(r"[+-]?(?:inf(?:inity)?|nan)", re.IGNORECASE)  # (no error: +Inf, NaN)
_GO_HEX = re.compile(r"[+-]?0[xX][0-9a-fA-F_.]*[pP][+-]?[0-9_]+")  # (its finer rules not read: taken)


def _size_taken(v: str) -> bool:
    """Whether some BuildKit since 0.8 takes ``v`` as a tmpfs mount's size (see _SIZE_OLD).
    Where this does not read Go's rules to the end (a hexadecimal float), it says taken."""
    old = _SIZE_OLD.fullmatch(v)
    if old is not None and old[1].count(".") <= 1 and math.isfinite(float(old[1])):
        return True  # (Go's ParseFloat of `1.2.3` fails, of 400 digits is out of range)
    cut = max(v.rfind(c) for c in "0123456789. ")
    if cut < 0:
        return False
    num, suffix = (v[:cut], v[cut + 1 :]) if v[cut] == " " else (v[: cut + 1], v[cut + 1 :])
    if _GO_SPECIAL.fullmatch(num):
        value = float(num)
    elif _GO_DECIMAL.fullmatch(num):
        value = float(num.replace("_", ""))
        if not math.isfinite(value):
            return False  # (1e400, 400 digits: Go's ParseFloat says out of range)
    elif _GO_HEX.fullmatch(num):
        value = 0.0 if num[:1] != "-" else -1.0
    else:
        return False
    if value < 0:
        return False  # (-0 and NaN are not negative)
    # The suffix as Go reads it: its bytes, lower-cased.
    raw = suffix.encode("utf-8", "surrogatepass")
    low = suffix.lower().encode("utf-8", "surrogatepass")
    if not raw or low == b"b":
        return True
    return len(raw) <= 3 and low[:1] in (b"k", b"m", b"g", b"t", b"p") and low[1:] in (b"", b"b", b"ib")


@lru_cache(maxsize=4096)  # (a pure function of the value: a file repeats its few mounts)
def mount_error(value: str) -> str | None:
    """BuildKit's error for a RUN `--mount=` ``value`` (as BuildKit unquotes the flag's word)
    when the RUN is built, or None where it takes it or this cannot tell (a value it expands)."""
    if "$" in value or "'" in value or '"' in value or "\\" in value or "`" in value:
        return None
    kind = "bind"
    fields = value.split(",")
    source = target = cache_id = sharing = frm = ""
    file_info = []
    for field in fields:
        key, eq, v = field.partition("=")
        key = key.lower()
        if not eq:
            if key in ("readonly", "ro", "readwrite", "rw"):
                continue
            if key == "required":
                if kind in ("secret", "ssh"):
                    continue
                return f"unexpected key '{key}' for mount type '{kind}'"
            return f"invalid field '{field}' must be a key=value pair"
        if key not in _MOUNT_KEYS:
            return f"unexpected key '{key}' in '{field}'"
        if key == "type":
            if v.lower() not in _MOUNT_TYPES:
                return f'unsupported mount type "{v}"'
            kind = v.lower()
        elif key == "from":
            frm = v
        elif key in ("source", "src"):
            source = v
        elif key in ("target", "dst", "destination"):
            target = v
        elif key == "id":
            cache_id = v
        elif key in ("readonly", "ro", "readwrite", "rw"):
            if v not in _GO_BOOLS:
                return f"invalid value for {key}: {v}"
        elif key == "required":
            if kind not in ("secret", "ssh"):
                return f"unexpected key '{key}' for mount type '{kind}'"
            if v not in _GO_BOOLS:
                return f"invalid value for {key}: {v}"
        elif key == "size":
            if kind != "tmpfs":
                return f"unexpected key '{key}' for mount type '{kind}'"
            if not _size_taken(v):
                return f"invalid value for {key}: {v}"
        elif key == "sharing":
            if v.lower() not in _SHARING:
                return f'unsupported sharing value "{v}"'
            sharing = v
        elif key in ("mode", "uid", "gid"):
            ok = v.isascii() and v.isdigit() and (key != "mode" or "8" not in v and "9" not in v)
            if not ok or int(v, 8 if key == "mode" else 10) > 2**32 - 1:
                return f"invalid value {v} for {key}"
            file_info.append(key)
    if file_info and kind not in ("secret", "ssh", "cache"):
        first = next(k for k in ("mode", "uid", "gid") if k in file_info)
        return f'{first} not allowed for "{kind}" type mounts'
    if kind == "secret":
        if frm:
            return "secret mount should not have a from"
        if sharing:
            return "secret mount should not define sharing"
        if not source and not target and not cache_id:
            return "invalid secret mount. one of source, target required"
        if source and cache_id:
            return "both source and id can't be set"
    if sharing and kind != "cache":
        return f"invalid cache sharing set for {kind} mount"
    return None


def refused_mounts(found: list[tuple[int, object]], frontend: bool = False) -> list[tuple[int, object, str]]:
    """The RUN instructions (ONBUILD triggers aside) with a `--mount` BuildKit refuses when it
    builds them, each with its stage's index and the error; ``found``: flagged(df). With
    ``frontend`` (a `# syntax=` directive: that frontend may be newer, and know more keys), a
    key this does not know is left to it."""
    out = []
    for k, ins in found:
        if ins.keyword == "RUN":
            for f in ins.flags:
                if f.name == "mount" and f.unquoted:
                    why = mount_error(f.unquoted)
                    if why is not None and not (frontend and why.startswith("unexpected key '") and " in '" in why):
                        out.append((k, ins, why))
                        break
    return out
