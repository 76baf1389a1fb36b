"""A fix never writes one file under two names (red team r67b).

A Dockerfile whose ignore file is the Dockerfile itself under another name
(`Dockerfile.dockerignore -> Dockerfile`, or `.dockerignore` linked to a root `Dockerfile`, a
hard link) had AIS103's fix add `node_modules` to "the ignore file" while AIS001 rewrote the
Dockerfile: both were written from what was read, the second rename over the first, so the
Dockerfile lost its own fix and gained a line BuildKit refuses, with exit 0. Drawn over every
kind of second name (relative, absolute and chained symbolic links, a hard link) and both ignore
files AIS103 may extend: the Dockerfile gets its own fixes and nothing else, BuildKit reads it,
and AIS103's fix is reported as not applied (a hard-linked Dockerfile is refused whole, in one
line, as before). ``write_all`` given two names of one file refuses
them and writes nothing.
"""

from __future__ import annotations

import os

import dockerfile
import pytest

from aishell.errors import InputError
from aishell.lint import Options
from aishell.migrate.atomic import write_all
from aishell.migration import migrate_paths

SOURCE = "FROM aishell:base\nCOPY . /app\n"
FIXED = "FROM aishell:foundation\nCOPY . /app\n"


def _second_name(at: str, target: str, kind: str) -> None:
    if kind == "hard":
        os.link(target, at)
    elif kind == "relative":
        os.symlink(os.path.relpath(target, os.path.dirname(at)), at)
    elif kind == "absolute":
        os.symlink(target, at)
    else:  # chained: through a second link
        hop = at + ".hop"
        os.symlink(os.path.relpath(target, os.path.dirname(at)), hop)
        os.symlink(os.path.basename(hop), at)


@pytest.mark.parametrize("kind", ["relative", "absolute", "chained", "hard"])
@pytest.mark.parametrize("layout", ["specific", "generic"])
def test_an_ignore_file_that_is_the_dockerfile_is_not_written_over_it(tmp_path, kind, layout):
    proj = tmp_path / "proj"
    (proj / ".aishell").mkdir(parents=True)
    (proj / "node_modules").mkdir()  # AIS103 wants it ignored
    if layout == "specific":
        df = proj / ".aishell" / "Dockerfile"
        ignore = proj / ".aishell" / "Dockerfile.dockerignore"
    else:
        df = proj / "Dockerfile"
        ignore = proj / ".dockerignore"
    df.write_text(SOURCE)
    _second_name(str(ignore), str(df), kind)
    r = migrate_paths([str(df)], Options(use_config=False), unsafe=True, write=True)
    text = df.read_text()
    dockerfile.parse_string(text)  # BuildKit reads it
    if kind == "hard":  # a hard-linked Dockerfile is refused whole, in one line: a rename splits the names
        assert text == SOURCE and len(r.errors) == 1 and "hard links" in str(r.errors[0]), r.errors
        return
    assert text == FIXED, (text, r.errors)
    assert not r.errors, r.errors
    if layout == "specific":  # (the generic one makes AIS103 create the specific file instead)
        warnings = [w for c in r.changes for w in c.warnings]
        assert any("AIS103" in w and "under another name" in w for w in warnings), warnings


def test_write_all_refuses_two_names_of_one_file(tmp_path):
    a = tmp_path / "a"
    a.write_bytes(b"one\n")
    os.symlink("a", tmp_path / "b")
    with pytest.raises(InputError, match="the same file as"):
        write_all([(str(a), b"two\n", b"one\n"), (str(tmp_path / "b"), b"three\n", b"one\n")])
    assert a.read_bytes() == b"one\n"
    assert sorted(os.listdir(tmp_path)) == ["a", "b"]  # no temporary file left
