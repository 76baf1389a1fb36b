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
from tests.conftest import run_cli

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
    # (Refused when found in the folder, or when written: either names the link, in one line.)
    refused = [str(e) for e in r.errors if "outside the project" in str(e) or "a link to a file outside" in str(e)]
    if shape == "ignore file":  # AIS103 offers no fix that reads a file out of the project (below)
        # (the chained link's hop, `Dockerfile.dockerignore.hop`, is named like a Dockerfile)
        assert not [e for e in r.errors if ".hop" not in str(e)], r.errors
        assert not any(c.files for c in r.changes), r.changes
    else:
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


# -- a fix never copies a file from outside the project into it -----------------------------------
#
# The class (issue 18, red team r4): AIS103's fix carries the root `.dockerignore` into the new
# `<Dockerfile>.dockerignore` (or appends to that file when it exists). When either is a link, of
# any shape, to a file outside the project and the context (a cloned repository's, or an agent's,
# `.dockerignore` -> ~/.aws/credentials), the fix copied its bytes into the project, and the diff
# printed them. Generated: which ignore file is the link x its shape (relative, absolute, chained,
# a folder on the way) x where the Dockerfile is. No fix is offered then, the secret is in no diff
# and no file of the project; a link that stays inside the project is carried over as before.

SECRET = "AWS_SECRET_ACCESS_KEY=hunter2-r4\n"


@pytest.mark.parametrize("dockerfile", [".aishell/Dockerfile", "Dockerfile", "sub/Dockerfile"])
@pytest.mark.parametrize("shape", ["relative", "absolute", "chained", "folder"])
@pytest.mark.parametrize("which", ["root", "specific"])
@pytest.mark.parametrize("outside", [True, False])
def test_an_ignore_file_linked_out_of_the_project_is_never_copied_into_it(dockerfile, shape, which, outside, tmp_path):
    proj = tmp_path / "proj"
    # (the project of a Dockerfile with no `.aishell/` above it is its own folder)
    out = tmp_path / "out" if outside else (proj / dockerfile).parent / "keep"
    if dockerfile == ".aishell/Dockerfile":
        (proj / ".aishell").mkdir(parents=True)
    df = proj / dockerfile
    df.parent.mkdir(parents=True, exist_ok=True)
    df.write_text("FROM aishell:foundation\nCOPY . /app\n")
    # (a cache: AIS103's fix that excludes only caches is safe, and `migrate --write` applies it)
    (df.parent / ".pytest_cache").mkdir(exist_ok=True)
    (proj / ".pytest_cache").mkdir(exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    (out / "creds").write_text(SECRET)
    context = df.parent if dockerfile != ".aishell/Dockerfile" else proj
    at = context / ".dockerignore" if which == "root" else df.parent / (df.name + ".dockerignore")
    if shape == "folder":  # a folder on the way is the link
        os.symlink(os.path.relpath(out, at.parent), at.parent / "linked")
        os.symlink("linked/creds", at)
    else:
        _link(at, out / "creds", shape == "absolute", shape == "chained")
    opts = Options(use_config=False)
    shown = "".join(c.diff() for c in migrate_paths([str(df)], opts).changes)
    r = migrate_paths([str(df)], opts, write=True)
    written = {
        p: p.read_text(errors="replace")
        for p in proj.rglob("*")
        if p.is_file() and not p.is_symlink() and "keep" not in p.parts and "linked" not in p.parts
    }
    if outside:
        assert "hunter2" not in shown + "".join(map(str, r.errors))
        assert not any("hunter2" in t for t in written.values()), written
        assert (out / "creds").read_text() == SECRET
    else:  # inside the project: carried over (root) or appended to (specific), as before
        assert "hunter2" in shown and not r.errors
        assert "\n.pytest_cache\n" in (out / "creds").read_text() + "".join(written.values())


# -- one file reached by two paths is migrated once, and its diff applies -------------------------
#
# The class (red team r4): `.aishell/Dockerfile -> ../Dockerfile` (or a file given twice, or a
# link to a Python file) was migrated once per path: the diff patched the file twice (`git apply`
# refused the second hunk), and a diff naming the link itself was refused too (git patches links
# as links). Generated: what the link is to x how deep x relative or chained x paths given.


@pytest.mark.parametrize("kind", ["Dockerfile", "python"])
@pytest.mark.parametrize("where", [".aishell/Dockerfile", "sub/deeper/Dockerfile"])
@pytest.mark.parametrize("absolute", [False, True])
@pytest.mark.parametrize("chained", [False, True])
@pytest.mark.parametrize("given", ["folder", "both", "link", "twice"])
def test_a_file_reached_twice_is_migrated_once_and_its_diff_applies(kind, where, absolute, chained, given, tmp_path):
    import subprocess

    proj = tmp_path / "proj"
    (proj / ".aishell").mkdir(parents=True)
    real = proj / ("Dockerfile" if kind == "Dockerfile" else "tool.py")
    real.write_text(LEGACY if kind == "Dockerfile" else 'IMAGE = "aishell:base"\n')
    link = proj / (where if kind == "Dockerfile" else where.replace("Dockerfile", "tool.py"))
    _link(link, real, absolute, chained)
    subprocess.run(["git", "init", "-q", str(proj)], check=True)
    subprocess.run(["git", "-C", str(proj), "add", "-A"], check=True)
    rel_real, rel_link = os.path.relpath(real, proj), os.path.relpath(link, proj)
    paths = {
        "folder": ["."],
        "both": [rel_real, rel_link],
        "link": [rel_link],
        "twice": [rel_real, "./" + rel_real, str(real)],
    }[given]
    cwd = os.getcwd()
    os.chdir(proj)
    try:
        r = migrate_paths(paths, Options(use_config=False))
        diff = b"".join(c.diff_bytes() for c in r.changed)
        assert not r.errors, r.errors
        assert diff.count(b"+++ ") == 1, diff.decode()
        check = subprocess.run(["git", "apply", "--check", "-"], input=diff, capture_output=True)
        assert check.returncode == 0, (check.stderr, diff.decode())
        migrate_paths(paths, Options(use_config=False), write=True)
        assert b"aishell:foundation" in real.read_bytes() and os.path.islink(link)
        assert not migrate_paths(paths, Options(use_config=False)).changed
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("absolute", [False, True])
@pytest.mark.parametrize("chained", [False, True])
def test_the_diff_of_a_link_out_of_the_project_never_names_the_outside_file(absolute, chained, tmp_path):
    """The other side of the class above: a link leading out of its project (to another project
    under the same folder) is never written through, so its diff names the link, not the file
    outside: `git apply` of it must not patch what `--write` refuses to."""
    a, b = tmp_path / "a", tmp_path / "b"
    (a / ".aishell").mkdir(parents=True)
    (b / ".aishell").mkdir(parents=True)
    (b / "Dockerfile").write_text(LEGACY)
    _link(a / ".aishell" / "Dockerfile", b / "Dockerfile", absolute, chained)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        r = migrate_paths(["a/.aishell/Dockerfile"], Options(use_config=False))
        diff = b"".join(c.diff_bytes() for c in r.changed)
        assert b"+++ b/a/.aishell/Dockerfile" in diff and b"b/b/Dockerfile" not in diff, diff
        w = migrate_paths(["a/.aishell/Dockerfile"], Options(use_config=False), write=True)
        assert any("outside the project" in str(e) for e in w.errors)
        assert (b / "Dockerfile").read_text() == LEGACY
    finally:
        os.chdir(cwd)


# -- a file with more than one hard link is not written ---------------------------------------------
#
# The atomic write renames a new file over the name: a file's other hard links keep the old content,
# and the two names, one file until then, silently differ. Such a file is refused with one line
# naming it (exit 2), the other files still written; the diff and `--check` are unchanged.
# Generated: which file (a Dockerfile, a Python source, the ignore file AIS103's fix extends) x how
# many names x where the other names are (beside it, outside the project).

PY_LEGACY = 'IMAGE = "aishell:base"\n'


@pytest.mark.parametrize("kind", ["dockerfile", "python", "ignore file"])
@pytest.mark.parametrize("names", [2, 3])
@pytest.mark.parametrize("elsewhere", [False, True])
def test_a_hard_linked_file_is_refused_and_every_name_keeps_its_content(kind, names, elsewhere, tmp_path):
    proj = tmp_path / "proj"
    (proj / ".aishell").mkdir(parents=True)
    (proj / "ok.py").write_text(PY_LEGACY)  # migrated all the same
    if kind == "dockerfile":
        linked, before = proj / ".aishell" / "Dockerfile", LEGACY
    elif kind == "python":
        linked, before = proj / "tool.py", PY_LEGACY
    else:  # AIS103's fix appends to the Dockerfile's own ignore file
        (proj / ".aishell" / "Dockerfile").write_text("FROM aishell:foundation\nCOPY . /app\n")
        (proj / ".pytest_cache").mkdir()  # (a cache: the fix is safe)
        linked, before = proj / ".aishell" / "Dockerfile.dockerignore", ".git\n"
    linked.write_text(before)
    others = [(tmp_path if elsewhere else linked.parent) / f"copy{k}{linked.suffix}" for k in range(names - 1)]
    for other in others:
        os.link(linked, other)
    r = migrate_paths([str(proj)], Options(use_config=False), write=True)
    for name in [linked, *others]:
        assert name.read_text() == before, name
    # One line per name migrate found (a Python copy beside the file is a source of its own).
    refused = [str(e) for e in r.errors if "hard links" in str(e)]
    assert [e for e in refused if e.startswith(f"{linked}: ")], r.errors
    assert all(f"has {names} hard links" in e and "\n" not in e for e in refused), r.errors
    assert len(refused) == len(set(refused)) <= names, r.errors
    assert (proj / "ok.py").read_text() == 'IMAGE = "aishell:foundation"\n'


def test_migrate_write_refuses_hard_linked_files_with_one_line_each(project):
    df = project.write(".aishell/Dockerfile", LEGACY)
    py = project.write("tool.py", PY_LEGACY)
    free = project.write("sub/Dockerfile", LEGACY)
    os.link(df, project / "Dockerfile.copy")
    os.link(py, project / "tool_copy.py")
    check = run_cli("migrate", "--check", df, py, free)  # unaffected: lists all three
    assert check.returncode == 1 and all(str(p) in check.stdout for p in (df, py, free)), check
    r = run_cli("migrate", "--write", df, py, free)
    assert r.returncode == 2, r
    lines = r.stderr.splitlines()
    assert [line for line in lines if "hard links" in line] == [
        line for line in lines if str(df) in line or str(py) in line
    ]
    assert len([line for line in lines if "has 2 hard links" in line]) == 2, r.stderr
    assert df.read_text() == (project / "Dockerfile.copy").read_text() == LEGACY
    assert py.read_text() == (project / "tool_copy.py").read_text() == PY_LEGACY
    assert free.read_text() == FIXED
    assert not list(project.rglob("*.aishell-tmp"))
