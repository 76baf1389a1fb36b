"""A RUN `--mount` BuildKit refuses is refused, and no fix is offered on it (issue 18:
`--mount=type=secret,id=x,from=aishell:base` got an AIS001 error and a fix BuildKit still
refuses; `type=foo`, unknown keys, `uid=abc`, `mode=` on a bind, `size=` on a cache, `sharing=`
on a bind, `required` on a bind, `id=a,source=b` on a secret, `ro=maybe`, a bare field, a tmpfs
`size=abc` were taken).

BuildKit reads the fields when it builds the RUN (instructions/commands_runmount.go parseMount,
with the stage's variables expanded): so a refused mount in a stage the default build builds
refuses the file, and one in a stage it skips is left (no fix on that RUN). The oracle is
parseMount written out here (the `dockerfile` package is BuildKit's parser only, which defers
every field). Generated: lists of fields from keys (known, cased, unknown, bare) x values
(valid, invalid, borderline: empty, signs, overflow, octal digits, case) in any order (a key's
meaning depends on the `type=` before it).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.errors import InputError
from aishell.lint import Options, lint_text

GO_BOOL = {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}


def _uint(text: str, base: int) -> bool:
    digits = "01234567" if base == 8 else "0123456789"
    return bool(text) and all(c in digits for c in text) and int(text, base) < 2**32


def _go_float(text: str) -> float | None:
    """Go's strconv.ParseFloat of ``text`` (decimal or hexadecimal; `_` only between digits, or
    after a hex prefix), or None where it fails (an overflow too)."""
    import math
    import re

    digits = r"[0-9](?:_?[0-9])*"
    decimal = rf"[+-]?(?:{digits}(?:\.(?:{digits})?)?|\.{digits})(?:[eE][+-]?{digits})?"
    hexa = r"[+-]?0[xX](?:_?[0-9a-fA-F])*(?:\.(?:_?[0-9a-fA-F])*)?[pP][+-]?[0-9]+"
    if re.fullmatch(decimal, text):
        value = float(text.replace("_", ""))
    elif re.fullmatch(hexa, text) and any(c in "0123456789abcdefABCDEF" for c in text[2:].split("p")[0].split("P")[0]):
        value = float.fromhex(text.replace("_", ""))
    else:
        return None
    return value if math.isfinite(value) else None


def _units_old(v: str) -> bool:
    """go-units RAMInBytes before v0.5 (BuildKit 0.8, Docker 20.10): its pattern, then the number."""
    import re

    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)*) ?([kKmMgGtTpP])?[iI]?[bB]?", v)
    return m is not None and _go_float(m.group(1)) is not None


def _units_new(v: str) -> bool:
    """go-units RAMInBytes from v0.5 (BuildKit 0.13 on): the number ends at the last digit, dot or
    blank (a blank there is dropped), not negative; then `b`, or a unit letter alone, `b` or `ib`."""
    at = max((i for i, c in enumerate(v) if c in "0123456789. "), default=-1)
    if at < 0:
        return False
    number, suffix = (v[:at], v[at + 1 :]) if v[at] == " " else (v[: at + 1], v[at + 1 :])
    value = _go_float(number)
    if value is None or value < 0:
        return False
    suffix = suffix.lower()
    return suffix in ("", "b") or (suffix[:1] in tuple("kmgtp") and suffix[1:] in ("", "b", "ib"))


def parse_mount(value: str) -> bool:
    """BuildKit's parseMount (at build time) written out: True if it takes ``value``."""
    m = {"type": "bind", "from": "", "source": "", "target": "", "id": "", "sharing": "", "info": []}
    for field in value.split(","):
        if "=" not in field:
            key = field.lower()
            if key in ("readonly", "ro", "readwrite", "rw"):
                continue
            if key == "required" and m["type"] in ("secret", "ssh"):
                continue
            return False
        key, v = field.split("=", 1)
        key = key.lower()
        if key == "type":
            if v.lower() not in ("bind", "cache", "tmpfs", "secret", "ssh"):
                return False
            m["type"] = v.lower()
        elif key in ("from", "id", "env"):
            m[key] = v
        elif key in ("source", "src"):
            m["source"] = v
        elif key in ("target", "dst", "destination"):
            m["target"] = v
        elif key in ("readonly", "ro", "readwrite", "rw"):
            if v not in GO_BOOL:
                return False
        elif key == "required":
            if m["type"] not in ("secret", "ssh") or v not in GO_BOOL:
                return False
        elif key == "size":
            if m["type"] != "tmpfs" or not (_units_old(v) or _units_new(v)):
                return False
        elif key == "sharing":
            if v.lower() not in ("shared", "private", "locked"):
                return False
            m["sharing"] = v
        elif key in ("mode", "uid", "gid"):
            if not _uint(v, 8 if key == "mode" else 10):
                return False
            m["info"].append(key)
        else:
            return False
    if m["info"] and m["type"] not in ("secret", "ssh", "cache"):
        return False
    if m["type"] == "secret" and (
        m["from"] or m["sharing"] or not (m["source"] or m["target"] or m["id"]) or (m["source"] and m["id"])
    ):
        return False
    return not (m["sharing"] and m["type"] != "cache")


def _image_named(value: str) -> bool:
    """The last `from=` names an image BuildKit can parse (or none: `scratch`): it adds a state
    of that base and parses its name as a FROM's before anything is built, in every stage
    (`from=Secret`, `from=/t`: "failed to parse stage name", checked on Engine 28). The name's
    grammar is model._reference_error's (tests/test_from_reference.py holds it to the grammar)."""
    from aishell.model import _reference_error

    found = ""
    for field in value.split(","):
        key, eq, v = field.partition("=")
        if eq and key.lower() == "from":
            found = v
    return not found or found.lower() == "scratch" or _reference_error(found) is None


KEYS = ["type", "TYPE", "from", "source", "src", "target", "dst", "destination", "id", "ro", "readonly", "rw"]
KEYS += ["readwrite", "required", "size", "sharing", "mode", "uid", "gid", "env", "bogus", "tmpfs-size", ""]
VALUES = ["bind", "cache", "tmpfs", "secret", "ssh", "Secret", "foo", "", "x", "/t", "aishell:base", "true"]
VALUES += ["maybe", "1", "F", "TRUE", "yes", "0755", "0789", "-1", "+1", "4294967295", "4294967296", "abc"]
VALUES += ["10m", "1.5g", "shared", "private", "LOCKED", "bogus"]
# (sizes go-units reads one way or another, or neither: the old's, the new's, both, none)
VALUES += ["1x", "1.2.3", "1ib", ".5", "1e3", "-0", "1e400", "0x1p5", "0x10", "1_0", "1__0", "1 k", "1kib", "1.5.k"]
FIELD = st.one_of(
    st.tuples(st.sampled_from(KEYS), st.sampled_from(VALUES)).map(lambda kv: f"{kv[0]}={kv[1]}"),
    st.sampled_from(["ro", "rw", "readonly", "required", "x", "RO", ""]),
)


def _lint(text: str):
    try:
        return lint_text(text, "Dockerfile", Options(use_config=False)).findings
    except InputError as e:
        return str(e)


@settings(max_examples=600, deadline=None, derandomize=True)
@given(st.lists(FIELD, min_size=1, max_size=5))
def test_a_mount_buildkit_refuses_is_refused_where_it_is_built(fields):
    value = ",".join(fields)
    if value == "":
        return  # (an empty --mount= is refused as the line is parsed: model.py)
    takes = parse_mount(value) and _image_named(value)
    got = _lint(f"FROM ubuntu\nRUN --mount={value} true\n")
    assert isinstance(got, str) != takes, (value, got)
    # In a stage the default build skips: taken, no fix on the RUN (aishell:base named in it).
    text = f"FROM ubuntu AS skipped\nRUN --mount={value},from=aishell:base claude -v\nFROM ubuntu\n"
    got = _lint(text)
    assert not isinstance(got, str), (value, got)
    if not parse_mount(value + ",from=aishell:base"):
        assert all(f.fix is None for f in got), (value, got)


def test_the_red_team_mounts():
    for value in [
        "type=secret,id=x,from=aishell:base",
        "type=foo",
        "type=bind,bogus=1",
        "type=cache,target=/c,uid=abc",
        "type=bind,target=/b,mode=0755",
        "type=cache,target=/c,size=10m",
        "type=bind,target=/b,sharing=shared",
        "type=bind,target=/b,required",
        "type=secret",
        "type=secret,id=a,source=b",
        "type=cache,target=/c,sharing=bogus",
        "type=bind,target=/b,ro=maybe",
        "type=bind,target",
        "type=tmpfs,target=/t,size=abc",
    ]:
        assert not parse_mount(value), value
        assert isinstance(_lint(f"FROM ubuntu\nRUN --mount={value} true\n"), str), value
    for value in ["type=secret,id=x,target=/s", "type=cache,target=/c,sharing=locked,uid=1000,mode=0755", "ro"]:
        assert parse_mount(value) and not isinstance(_lint(f"FROM ubuntu\nRUN --mount={value} true\n"), str)


def test_a_frontend_of_its_own_may_know_more_keys():
    """With a `# syntax=` directive that frontend (maybe newer) reads the keys: one unknown here
    is left to it; what every frontend refuses (`size=` on a cache mount) is still refused."""
    head = "# syntax=docker/dockerfile:1\nFROM ubuntu\n"
    assert not isinstance(_lint(head + "RUN --mount=type=bind,newkey=1 true\n"), str)
    assert isinstance(_lint(head + "RUN --mount=type=cache,target=/c,size=1 true\n"), str)
    assert isinstance(_lint("FROM ubuntu\nRUN --mount=type=bind,newkey=1 true\n"), str)


# Sizes a tmpfs mount was given on Docker Engine 28.5 (BuildKit 0.2x, go-units 0.5) with
# `docker buildx build --call=check` (session 67): taken or "invalid value for size".
ENGINE_28_SIZES = {
    "-1": False,
    "1x": False,
    "1.2.3": False,
    "1ib": False,
    ".5": True,
    "1e3": True,
    "-0": True,
    "1e400": False,
    "0x1p5": True,
    "+1": True,
    "1kib": True,
    "1 ": True,
    "0x_1p0": True,
    "1_0": True,
    "1 kb": True,
    "1.5.k": False,
    "1__0": False,
    "1._5": False,
    "1e1_0": True,
    "_1": False,
    "1_": False,
    "1.5_5": True,
}


def test_tmpfs_sizes_are_refused_only_where_every_buildkit_refuses_them():
    """The new go-units (Engine 28 above) and the old pattern (20.10's: `1ib` taken, `.5` and
    `1e3` not): a size is refused only where both refuse (`size=-1`, `1x`, `1.2.3` were taken)."""
    from aishell.stage_graph import mount_error

    for size, engine_28 in ENGINE_28_SIZES.items():
        assert _units_new(size) == engine_28, size
        refused = mount_error(f"type=tmpfs,target=/t,size={size}") is not None
        assert refused == (not engine_28 and not _units_old(size)), size
    assert _units_old("1ib") and not _units_old(".5") and not _units_old("1e3") and not _units_old("-1")


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(
        st.sampled_from([*"0123456789xXpPeE_.+- kKmMbBiI", "\u0661", "\u212a", "inf", "nan", "0x"]), max_size=12
    ).map("".join)
)
def test_any_tmpfs_size_is_read_without_a_crash(size):
    """Every size is taken or refused, never an exception (`size=0xp1` was an internal error:
    a hexadecimal float of no digit given to float.fromhex); what both go-units refuse is refused."""
    from aishell.stage_graph import mount_error

    got = mount_error(f"type=tmpfs,target=/t,size={size}")
    if _units_old(size) or _units_new(size):
        assert got is None, size


def test_the_reviewers_sizes():
    """Read from go-units v0.5.0 and Go's readFloat (session 67's review): `inf ` and `NaN ` are
    no error and not negative (taken), `_` may stand in a hexadecimal exponent, 400 digits are out
    of range in both readers, a non-ASCII digit or a Kelvin sign is no unit."""
    from aishell.stage_graph import mount_error

    for size, taken in [
        ("inf ", True),
        ("NaN ", True),
        ("0x1p1_0", True),
        ("-inf ", False),
        ("9" * 400, False),
        ("\u0661", False),
        ("1\u212aB", False),
    ]:
        assert (mount_error(f"type=tmpfs,target=/t,size={size}") is None) == taken, size
    for size in ("0xp1", "0x.p1", "0x_p1", "-0xp1"):  # (an internal error once: no crash, whatever the verdict)
        mount_error(f"type=tmpfs,target=/t,size={size}")
