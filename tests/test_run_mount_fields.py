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
            if m["type"] != "tmpfs" or not any(c.isdigit() for c in v):
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


KEYS = ["type", "TYPE", "from", "source", "src", "target", "dst", "destination", "id", "ro", "readonly", "rw"]
KEYS += ["readwrite", "required", "size", "sharing", "mode", "uid", "gid", "env", "bogus", "tmpfs-size", ""]
VALUES = ["bind", "cache", "tmpfs", "secret", "ssh", "Secret", "foo", "", "x", "/t", "aishell:base", "true"]
VALUES += ["maybe", "1", "F", "TRUE", "yes", "0755", "0789", "-1", "+1", "4294967295", "4294967296", "abc"]
VALUES += ["10m", "1.5g", "shared", "private", "LOCKED", "bogus"]
FIELD = st.one_of(
    st.tuples(st.sampled_from(KEYS), st.sampled_from(VALUES)).map(lambda kv: f"{kv[0]}={kv[1]}"),
    st.sampled_from(["ro", "rw", "readonly", "required", "x", "RO", ""]),
)


def _lint(text: str):
    try:
        return lint_text(text, "Dockerfile", Options(use_config=False)).findings
    except InputError as e:
        return str(e)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(FIELD, min_size=1, max_size=5))
def test_a_mount_buildkit_refuses_is_refused_where_it_is_built(fields):
    value = ",".join(fields)
    if value == "":
        return  # (an empty --mount= is refused as the line is parsed: model.py)
    takes = parse_mount(value)
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
