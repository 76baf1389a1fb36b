"""`migrate`'s diff applies with `git apply` and with `patch -p1` whatever the files are named
(red team r67b): a name holding a space (`sub dir/Dockerfile`, ` y.py`) gave `---`/`+++` lines
GNU patch reads up to the first space, and a name ending in one (`Dockerfile.x `) one it reads
without it, so `patch -p1` refused the diff `git apply` took. Names are drawn from pieces holding
spaces (leading, inside, trailing), quotes, backslashes, tabs, non-ASCII and control characters,
for a Dockerfile, a Python source, a folder holding both, and the ignore file AIS103 creates; for
each, both tools must turn the old files into exactly what `migrate --write --unsafe-fixes` writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.lint import Options
from aishell.migration import migrate_paths

pytestmark = pytest.mark.skipif(not (shutil.which("git") and shutil.which("patch")), reason="needs git and patch")

PIECES = ["a", " ", "  ", "x y", '"', "\\", "\t", "é", "-", "\x1b", "q "]
piece_names = (
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=4)
    .map("".join)
    .filter(lambda s: s.strip() not in ("", ".", "..") and "/" not in s)
)


def _tree(root, folder: str, suffix: str, pyname: str) -> dict[str, bytes]:
    base = os.path.join(root, folder)
    os.makedirs(os.path.join(root, ".aishell"), exist_ok=True)
    os.makedirs(os.path.join(base, "node_modules"), exist_ok=True)  # AIS103: an ignore file to create
    files = {
        os.path.join(folder, "Dockerfile." + suffix): b"FROM aishell:base\nCOPY . /app\n",
        os.path.join(folder, pyname + ".py"): b'IMAGE = "aishell:base"\n',
    }
    for rel, data in files.items():
        with open(os.path.join(root, rel), "wb") as f:
            f.write(data)
    return files


def _snapshot(root) -> dict[str, bytes]:
    out = {}
    for dirpath, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for n in names:
            p = os.path.join(dirpath, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = f.read()
    return out


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(piece_names, piece_names, piece_names)
def test_the_diff_applies_with_git_and_patch_whatever_the_names(tmp_path_factory, folder, suffix, pyname):
    root = str(tmp_path_factory.mktemp("names"))
    _tree(root, folder, suffix, pyname)
    before = _snapshot(root)
    cwd = os.getcwd()
    os.chdir(root)  # (the diff names files from the current folder, as the CLI's does)
    try:
        shown = migrate_paths(["."], Options(), unsafe=True)
        diff = b"".join(c.diff_bytes() for c in shown.changed)
        written = migrate_paths(["."], Options(), unsafe=True, write=True)
    finally:
        os.chdir(cwd)
    assert diff.startswith(b"--- ") and not shown.errors and not written.errors, (diff, shown.errors, written.errors)
    after = _snapshot(root)
    assert after != before
    for tool in (["git", "apply", "-"], ["patch", "-p1", "-s", "-f"]):
        work = str(tmp_path_factory.mktemp("apply"))
        for rel, data in before.items():
            os.makedirs(os.path.dirname(os.path.join(work, rel)), exist_ok=True)
            with open(os.path.join(work, rel), "wb") as f:
                f.write(data)
        r = subprocess.run(tool, cwd=work, input=diff, capture_output=True)
        assert r.returncode == 0, (tool, r.stderr, r.stdout, diff)
        assert _snapshot(work) == after, (tool, diff)
