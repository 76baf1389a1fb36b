"""Hostile names never split a line, hide a file or break an output format (issue 18, "One bad
file never stops the run").

Generated: folders named with any bytes a file system allows (a byte that is not UTF-8, a line
break, a tab, an escape sequence, a leading `-`, spaces, a name of 200 bytes) at any depth (to
40 levels), each holding a Dockerfile to fix and, in some, a binary one; run through lint in
every format and migrate (diff, --check, --write) with the fork runner of
tests/test_robust_r69b_hostile.py. Each bad file is exactly one stderr line (a name's line break
never makes two), JSON and SARIF parse and list every good file, and --write fixes every good
file and no other byte.
"""

from __future__ import annotations

import json
import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_robust_r69b_hostile import imported, run  # noqa: F401 (imported: a fixture)

PIECES = [b"\xff", b"\n", b"\t", b"\x1b[31m", b"-", b" ", b"a", b"%", b":", b",", b"::", b"\xc3\xa9", b"\r"]
GOOD = b"FROM aishell:base\nRUN echo hi\n"
BAD = b"FROM aishell:base\n\x00\n"


@st.composite
def names(draw, long: bool = True) -> bytes:
    name = b"".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6)))
    if long and draw(st.booleans()):
        name += b"x" * draw(st.integers(0, 200 - len(name)))
    return name if name not in (b".", b"..") else b"d" + name


@st.composite
def trees(draw) -> list[tuple[bytes, bool]]:
    """(a folder's path, whether it also holds a binary Dockerfile)."""
    out = []
    for _ in range(draw(st.integers(1, 4))):
        depth = draw(st.sampled_from([1, 2, 3, 40]))
        parts = [draw(names(long=depth < 40)) for _ in range(depth)]  # (within PATH_MAX)
        out.append((b"/".join(parts), draw(st.booleans())))
    return out


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(tree=trees())
def test_hostile_names_through_every_format(imported, tmp_path, tree):  # noqa: F811
    root = tempfile.mkdtemp(dir=tmp_path)
    good, bad = set(), set()
    for folder, with_bad in tree:
        where = os.path.join(os.fsencode(root), folder)
        os.makedirs(where, exist_ok=True)
        with open(os.path.join(where, b"Dockerfile"), "wb") as f:
            f.write(GOOD)
        good.add(os.fsdecode(os.path.join(folder, b"Dockerfile")))
        if with_bad:
            with open(os.path.join(where, b"bad.Dockerfile"), "wb") as f:
                f.write(BAD)
            bad.add(os.fsdecode(os.path.join(folder, b"bad.Dockerfile")))
    for argv in (
        ["lint"],
        ["lint", "--format", "json"],
        ["lint", "--format", "sarif"],
        ["lint", "--format", "github"],
        ["migrate"],
        ["migrate", "--check"],
        ["migrate", "--write"],
    ):
        ran = run(root, *argv, ".")
        what = f"`aishell {' '.join(argv)}` on {sorted(good | bad)!r}: {ran!r}"
        assert "Traceback" not in ran.err and "internal error" not in ran.err, what
        errors = ran.err.splitlines()
        # One line per bad file, each `aishell: ...`; nothing else on stderr but the summaries.
        assert all(ln.startswith("aishell: ") or "held back" in ln for ln in errors), what
        assert len([ln for ln in errors if "binary file" in ln]) == len(bad), what
        assert ran.code == (2 if bad else 1 if argv[0] == "lint" or argv == ["migrate"] or "--check" in argv else 0), (
            what
        )
        if argv[1:2] == ["--format"] and argv[2] == "json":
            found = {os.path.relpath(f["filename"], root) for f in json.loads(ran.out)}
            assert found == good, what
        if argv[1:2] == ["--format"] and argv[2] == "sarif":
            results = json.loads(ran.out)["runs"][0]["results"]
            assert len(results) == len(good), what
        if argv[1:2] == ["--format"] and argv[2] == "github":
            assert len([ln for ln in ran.out.splitlines() if ln.startswith("::")]) == len(good), what
    for name in good:  # --write fixed each good file, and left each bad one as it was
        with open(os.path.join(root, name), "rb") as f:
            assert f.read() == GOOD.replace(b"aishell:base", b"aishell:foundation"), name
    for name in bad:
        with open(os.path.join(root, name), "rb") as f:
            assert f.read() == BAD, name
