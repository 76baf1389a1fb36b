"""A file changed while `aishell migrate --write` works is never overwritten (issue 18, "No
byte lost anywhere": "a file changed or replaced between read and write: one line, exit 2").

Generated: every file a change writes (the Dockerfile, the ignore file AIS103's fix extends, a
Python source) x every way another program may change it between aishell's read and its write
(a byte appended, truncated, rewritten in place at the same length, replaced by a rename,
deleted, replaced by a FIFO, a folder or a link): the command runs in a forked child (the
runner of tests/test_robust_r69b_hostile.py) whose write_all first makes the change. Each run:
exit 2, one line naming the file, the other program's bytes (or entry) left exactly as it made
them, the change's other file not written either (all or none), no temporary file left, and
the files of other changes still written.
"""

from __future__ import annotations

import os
import tempfile

import pytest

from tests.test_robust_r69b_hostile import imported, run  # noqa: F401 (imported: a fixture)

DOCKERFILE = b"FROM aishell:base\nCOPY . /app\n"
IGNORE = b"# kept\r\n.git\r\n"  # (the root ignore file carried into the new one: here, extended in place)
PYTHON = b'IMAGE = "aishell:base"\n'


def _append(p):
    with open(p, "ab") as f:
        f.write(b"# theirs\n")


def _truncate(p):
    os.truncate(p, 3)


def _same_length(p):
    with open(p, "r+b") as f:
        data = f.read()
        f.seek(0)
        f.write(data[::-1])


def _renamed(p):
    tmp = p + ".editor-save"
    with open(tmp, "wb") as f:
        f.write(b"# saved by an editor\n")
    os.replace(tmp, p)


def _deleted(p):
    os.unlink(p)


def _fifo(p):
    os.unlink(p)
    os.mkfifo(p)


def _folder(p):
    os.unlink(p)
    os.mkdir(p)


def _link(p):
    other = p + ".other"
    with open(other, "wb") as f:
        f.write(b"# another file\n")
    os.unlink(p)
    os.symlink(os.path.basename(other), p)


CHANGES = {
    "appended": _append,
    "truncated": _truncate,
    "rewritten in place": _same_length,
    "replaced by a rename": _renamed,
    "deleted": _deleted,
    "replaced by a FIFO": _fifo,
    "replaced by a folder": _folder,
    "replaced by a link": _link,
}
FILES = ["a/Dockerfile", "a/Dockerfile.dockerignore", "b/tool.py"]


def _state(p: str):
    """What is at ``p``: ("file", bytes), ("link", target), ("fifo",), ("folder",), or None."""
    if os.path.islink(p):
        return ("link", os.readlink(p))
    if not os.path.lexists(p):
        return None
    if os.path.isdir(p):
        return ("folder",)
    if not os.path.isfile(p):
        return ("fifo",)
    with open(p, "rb") as f:
        return ("file", f.read())


@pytest.mark.parametrize("which", FILES)
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_file_changed_between_read_and_write_is_never_overwritten(imported, tmp_path, which, change):  # noqa: F811
    root = tempfile.mkdtemp(dir=tmp_path)
    for rel, data in (
        ("a/Dockerfile", DOCKERFILE),
        ("a/Dockerfile.dockerignore", IGNORE),
        ("b/tool.py", PYTHON),
        ("c/Dockerfile", DOCKERFILE),  # (another change: still written)
    ):
        os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
        with open(os.path.join(root, rel), "wb") as f:
            f.write(data)
    os.makedirs(os.path.join(root, "a", "__pycache__"))  # (AIS103 extends a's ignore file)
    target = os.path.join(root, which)

    def prepare():
        from aishell.migrate import atomic

        real = atomic.write_all

        def write_all(files):
            if any(os.path.abspath(p) == target for p, _, _ in files):
                CHANGES[change](target)
            return real(files)

        atomic.write_all = write_all

    ran = run(root, "migrate", "--write", ".", prepare=prepare)
    # What the other program made, as a run of the change alone on a copy makes it.
    theirs = os.path.join(tmp_path, "theirs")
    os.makedirs(theirs, exist_ok=True)
    copy = os.path.join(theirs, os.path.basename(which) + change.replace(" ", "-"))
    with open(copy, "wb") as f:
        f.write({"a/Dockerfile": DOCKERFILE, "a/Dockerfile.dockerignore": IGNORE, "b/tool.py": PYTHON}[which])
    CHANGES[change](copy)
    what = f"{which} {change}: {ran!r}"
    assert "Traceback" not in ran.err and "internal error" not in ran.err, what
    assert ran.code == 2, what
    assert len([ln for ln in ran.err.splitlines() if which + ":" in ln]) == 1, what
    got, want = _state(target), _state(copy)
    if want is not None and want[0] == "link":
        assert got == ("link", os.path.basename(target) + ".other"), what
    else:
        assert got == want, what
    if which != "b/tool.py":  # the Dockerfile and its ignore file: one change, all or none
        other = "a/Dockerfile.dockerignore" if which == "a/Dockerfile" else "a/Dockerfile"
        before = IGNORE if other.endswith("dockerignore") else DOCKERFILE
        assert _state(os.path.join(root, other)) == ("file", before), what
    with open(os.path.join(root, "c", "Dockerfile"), "rb") as f:
        assert f.read() == DOCKERFILE.replace(b"aishell:base", b"aishell:foundation"), what
    leftovers = [n for d, _, ns in os.walk(root) for n in ns if "aishell-tmp" in n or n.endswith(".old")]
    assert not leftovers, what
