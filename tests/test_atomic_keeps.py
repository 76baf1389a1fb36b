"""What `migrate --write` keeps of a file it replaces, or it writes nothing (migrate/atomic.py).

The write is a new file renamed over the old one, so everything the old file carried besides
its bytes must be given to the new one: owner, group, full mode, extended attributes (a POSIX
ACL, `user.*`). What cannot be given refuses the write with one line, the file untouched.
Before, a user writing another user's file through its group (mode 660) silently made it theirs
(owner and group lost access), and an ACL or attribute was dropped.

As root, the test drops to `nobody` (with chosen groups) in-process for each write: every file
owner × file group × the writer's groups × attributes, against what the kernel allows.
Also: a name of up to NAME_MAX bytes is writable (the temporary name once overflowed it).
"""

import contextlib
import itertools
import os
import stat
import tempfile

import pytest

from aishell.errors import InputError
from migrate.atomic import write_all

NOBODY, NOGROUP, DAEMON = 65534, 65534, 1
OLD, NEW = b"FROM aishell:base\n", b"FROM aishell:foundation\n"


@contextlib.contextmanager
def as_nobody(groups):
    os.setgroups(groups)
    os.setegid(NOGROUP)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)
        os.setgroups([])


@pytest.fixture
def shared():
    if os.geteuid() != 0:
        pytest.skip("needs root to act as other users")
    folder = tempfile.mkdtemp(prefix="aishell-keeps-")
    os.chmod(folder, 0o777)
    yield folder
    import shutil

    shutil.rmtree(folder)


def _xattrs(path):
    try:
        return {n: os.getxattr(path, n) for n in os.listxattr(path)}
    except OSError:
        return None


def _acl(user: int, mode: int) -> bytes:
    """A POSIX ACL (the kernel's xattr format: version 2, then tag, permissions, id) giving
    ``user`` read and write beside the mode's own entries."""
    import struct

    undefined = 0xFFFFFFFF
    entries = [(0x01, mode >> 6 & 7, undefined), (0x02, 6, user), (0x04, mode >> 3 & 7, undefined)]
    entries += [(0x10, 6, undefined), (0x20, mode & 7, undefined)]
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *e) for e in entries)


OWNERS = [NOBODY, DAEMON]
GROUPS = [NOGROUP, DAEMON, 2]  # the writer's own, one it may be given, one it is not in
WRITER_GROUPS = [[], [DAEMON]]
ATTRS = ["none", "user", "acl"]
MODES = [0o660, 0o2664, 0o664]


def test_owner_group_mode_and_attributes_are_kept_or_nothing_is_written(shared):
    cases = list(itertools.product(OWNERS, GROUPS, WRITER_GROUPS, ATTRS, MODES))
    written = refused = 0
    for k, (owner, group, groups, attr, mode) in enumerate(cases):
        path = os.path.join(shared, f"Dockerfile{k}")
        with open(path, "wb") as f:
            f.write(OLD)
        os.chown(path, owner, group)
        os.chmod(path, mode | 0o066)  # (writable for the group and others: the writer may write it)
        if attr == "user":
            os.setxattr(path, "user.origin", b"x")
        elif attr == "acl":
            os.setxattr(path, "system.posix_acl_access", _acl(DAEMON, mode))
        before = os.stat(path)
        attrs = _xattrs(path)
        keepable = owner == NOBODY and (group == NOGROUP or group in groups)
        with as_nobody(groups):
            try:
                write_all([(path, NEW, OLD)])
                ok = True
            except InputError as e:
                ok = False
                assert "nothing was written" in str(e)
        after = os.stat(path)
        assert ok == keepable, (owner, group, groups, attr, mode)
        with open(path, "rb") as f:
            assert f.read() == (NEW if ok else OLD)
        assert (after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (
            before.st_uid,
            before.st_gid,
            stat.S_IMODE(before.st_mode),
        ), (owner, group, groups, attr, mode)
        assert _xattrs(path) == attrs, (owner, group, groups, attr, mode)
        assert not [n for n in os.listdir(shared) if n.endswith((".aishell-tmp", ".old"))]
        written += ok
        refused += not ok
    assert written and refused


@pytest.mark.parametrize("char", ["x", "é", "\u20ac", "\U0001f600"])
@pytest.mark.parametrize("length", [255, 254, 233, 200])
def test_a_name_of_up_to_name_max_bytes_is_written(tmp_path, char, length):
    unit = len(char.encode())
    name = char * ((length - len(".Dockerfile")) // unit)
    name = "x" * (length - len(".Dockerfile") - len(name.encode())) + name + ".Dockerfile"
    assert len(name.encode()) == length
    path = tmp_path / name
    path.write_bytes(OLD)
    write_all([(str(path), NEW, OLD)])
    assert path.read_bytes() == NEW
    assert os.listdir(tmp_path) == [name]


def test_the_group_is_kept_in_a_setgid_folder(shared):
    """(A stranger's review) a setgid folder gives the temporary file the folder's group, which
    the write must put back to the file's own even when it equals the writer's."""
    folder = os.path.join(shared, "sg")
    os.mkdir(folder)
    os.chown(folder, 0, NOGROUP)
    os.chmod(folder, 0o2775)
    path = os.path.join(folder, "Dockerfile")
    with open(path, "wb") as f:
        f.write(OLD)
    os.chown(path, 0, 0)
    write_all([(path, NEW, OLD)])
    st = os.stat(path)
    assert (st.st_uid, st.st_gid) == (0, 0)
