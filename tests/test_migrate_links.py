"""`migrate --write` writes only the project's files (issue 18, found by a red-team pass): a
cloned repository's `.aishell/Dockerfile` linked to a file outside the project, a Python file
linked out, a folder on the way linked out, or the ignore file AIS103's fix extends linked to
~/.bashrc, were all written through. Every shape of link (relative, absolute, chained, of the
file or of a folder) to outside is refused with one line naming the file, nothing written there,
the other files still migrated; a link that stays inside the project is written through as
before (its target updated, the link kept)."""

from __future__ import annotations

import os

import pytest

from aishell.lint import Options
from aishell.migration import migrate_paths

LEGACY = "FROM aishell:base\n"
FIXED = "FROM aishell:foundation\n"


def _link(at, target, absolute: bool, chained: bool):
    """``at`` -> ``target``, relative or absolute, directly or through a second link."""
    at.parent.mkdir(parents=True, exist_ok=True)
    if chained:
        hop = at.parent / (at.name + ".hop")
        _link(hop, target, absolute, False)
        target = hop
    os.symlink(str(target) if absolute else os.path.relpath(target, at.parent), at)


@pytest.mark.parametrize("absolute", [False, True])
@pytest.mark.parametrize("chained", [False, True])
@pytest.mark.parametrize("shape", ["dockerfile", "python", "folder", "ignore file"])
def test_a_link_out_of_the_project_is_never_written_through(shape, absolute, chained, tmp_path):
    proj, out = tmp_path / "proj", tmp_path / "out"
    (proj / ".aishell").mkdir(parents=True)
    out.mkdir()
    (proj / "ok.py").write_text('IMAGE = "aishell:base"\n')  # migrated all the same
    if shape == "dockerfile":
        (out / "Dockerfile").write_text(LEGACY)
        _link(proj / ".aishell" / "Dockerfile", out / "Dockerfile", absolute, chained)
        victim = out / "Dockerfile"
    elif shape == "python":
        (out / "v.py").write_text('IMAGE = "aishell:base"\n')
        _link(proj / "tool.py", out / "v.py", absolute, chained)
        victim = out / "v.py"
    elif shape == "folder":
        (out / "sub").mkdir()
        (out / "sub" / "Dockerfile").write_text(LEGACY)
        _link(proj / "sub", out / "sub", absolute, chained)
        victim = out / "sub" / "Dockerfile"
    else:  # AIS103 extends the Dockerfile's own ignore file: here a link to a dotfile
        (proj / ".aishell" / "Dockerfile").write_text("FROM aishell:foundation\nCOPY . /app\n")
        (proj / "node_modules").mkdir()
        (out / ".bashrc").write_text("echo hi\n")
        _link(proj / ".aishell" / "Dockerfile.dockerignore", out / ".bashrc", absolute, chained)
        victim = out / ".bashrc"
    before = victim.read_bytes()
    paths = [str(proj)] if shape != "folder" else [str(proj), str(proj / "sub" / "Dockerfile")]
    r = migrate_paths(paths, Options(use_config=False), write=True)
    assert victim.read_bytes() == before
    refused = [str(e) for e in r.errors if "outside the project" in str(e)]
    assert refused and all("\n" not in e for e in refused), (r.errors, r.changes)
    assert (proj / "ok.py").read_text() == 'IMAGE = "aishell:foundation"\n'


def test_a_link_inside_the_project_is_written_through(tmp_path):
    proj = tmp_path / "proj"
    (proj / ".aishell").mkdir(parents=True)
    (proj / "docker").mkdir()
    (proj / "docker" / "Dockerfile").write_text(LEGACY)
    os.symlink("../docker/Dockerfile", proj / ".aishell" / "Dockerfile")
    r = migrate_paths([str(proj / ".aishell" / "Dockerfile")], Options(use_config=False), write=True)
    assert not r.errors
    assert (proj / "docker" / "Dockerfile").read_text() == FIXED
    assert os.path.islink(proj / ".aishell" / "Dockerfile")
