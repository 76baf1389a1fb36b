"""One bad file never stops the run, and no byte is lost (issue 18), tried as a stranger with a
hostile tree.

The class is generated, not listed: every kind of entry a file can be instead of a readable
regular file (KINDS: special files, links of every sort, a folder, binary and wrongly encoded
content, and, run as an unprivileged user, no permission to read, search or write), put at every
place aishell reads or writes one (PLACES: a Dockerfile met in a folder, one named on the
command line, the project's `.aishell/Dockerfile`, its `config.yaml`, the context's
`.dockerignore`, a `Dockerfile.dockerignore`, a manifest AIS101 reads), run through every
command that reads it (COMMANDS: lint in each format, parse, migrate, --check, --write). Each
run holds the same invariants (``_check``): it ends (no read of a FIFO or /dev/zero blocks),
with no traceback, one `aishell:` line on stderr per problem, exit 2 when a file could not be
used and that line names it, the project's other files still linted or migrated, and no byte,
name or mode in the tree changed except the intended edits.

Each run is the real command in a forked child of this process (aishell imported once: a run
takes tens of milliseconds, not the half second of a new interpreter). Run as root, the
permission kinds drop to the user aishell-t15 in the child (CI's: tests/test_security.py makes
it); every module the commands import is imported first, as root (the interpreter's own files
may be in a folder that user cannot read).
"""

from __future__ import annotations

import json
import os
import pwd
import resource
import shutil
import socket
import stat
import sys
import tempfile
import time

import pytest

USER = "aishell-t15"
DOCKERFILE = b"FROM aishell:base\nRUN echo hi\n"
SECRET = b"https://user:SECRET-TOKEN-r69b@example.com\n"  # (a link out of the project points here)


# -- the runner -------------------------------------------------------------------------------


def _child(cwd: str, argv: list[str], out: str, err: str, user: tuple[int, int] | None, prepare=None) -> None:
    code = 99
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.chdir(cwd)
        sys.stdin = open(os.devnull)
        sys.stdout = open(out, "w", buffering=1, errors="surrogateescape")
        sys.stderr = open(err, "w", buffering=1, errors="surrogateescape")
        # A home of its own: neither the user's real config nor a home it may not search.
        home = os.path.join(os.path.dirname(cwd), "home")
        os.environ["HOME"] = home
        for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "AISHELL_DEBUG"):
            os.environ.pop(name, None)
        if user is not None:
            os.setgroups([])
            os.setgid(user[1])
            os.setuid(user[0])
        sys.argv = ["aishell", *argv]
        if prepare is not None:
            prepare()  # (in the child: a patch of aishell's own functions stays there)
        from aishell.cli import run

        run()
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 97)
    except BaseException as e:  # (a failure of the runner itself, shown as one)
        try:
            sys.stderr.write(f"Traceback (runner): {type(e).__name__}: {e}\n")
        except Exception:
            pass
        code = 96
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


class Ran:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.out[-3000:]}\n--- stderr\n{self.err[-3000:]}"


def run(cwd: str, *argv: str, user: tuple[int, int] | None = None, timeout: float = 60, prepare=None) -> Ran:
    """The command in a forked child; stops it (and fails) if it runs past ``timeout``.
    ``prepare``: called in the child just before the command runs."""
    fd, out = tempfile.mkstemp(prefix="r69b-out-")
    os.close(fd)
    fd, err = tempfile.mkstemp(prefix="r69b-err-")
    os.close(fd)
    if user is not None:
        os.chown(out, *user)
        os.chown(err, *user)
    try:
        pid = os.fork()
        if pid == 0:
            _child(cwd, list(argv), out, err, user, prepare)
        deadline = time.monotonic() + timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                raise AssertionError(
                    f"`aishell {' '.join(argv)}` still running after {timeout} s (a read that blocks?)"
                )
            time.sleep(0.002)
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        with open(out, encoding="utf-8", errors="surrogateescape") as f:
            o = f.read()
        with open(err, encoding="utf-8", errors="surrogateescape") as f:
            e = f.read()
        return Ran(code, o, e)
    finally:
        os.unlink(out)
        os.unlink(err)


def _unprivileged() -> tuple[int, int] | None:
    """(uid, gid) to run the permission kinds as: this process's when it is not root, else
    aishell-t15's; None when root and there is no such user (the kinds are skipped: root reads
    everything)."""
    if os.geteuid() != 0:
        return os.geteuid(), os.getegid()
    try:
        pw = pwd.getpwnam(USER)
    except KeyError:
        return None
    return pw.pw_uid, pw.pw_gid


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Every module the commands import, imported here first (see the module docstring): the
    names a child of each command held in sys.modules, on a project with a finding of each
    kind and a Python file."""
    base = tmp_path_factory.mktemp("warm")
    _project(str(base / "p"))
    names_file = str(base / "modules")
    for argv in (
        ["lint", "."],
        ["lint", "--format", "sarif", "."],
        ["lint", "--format", "json", "."],
        ["lint", "--format", "github", "."],
        ["parse", "good/Dockerfile"],
        ["migrate", "."],
        ["migrate", "--check", "."],
        ["migrate", "--write", "--unsafe-fixes", "."],
    ):
        pid = os.fork()
        if pid == 0:
            import atexit  # noqa: F401

            os.environ["R69B_MODULES"] = names_file
            real_exit = os._exit

            def leave(code, real_exit=real_exit):
                with open(names_file, "a") as f:
                    f.write("\n".join(n for n in list(sys.modules) if sys.modules[n] is not None) + "\n")
                real_exit(code)

            os._exit = leave
            _child(str(base / "p"), argv, os.devnull, os.devnull, None)
        os.waitpid(pid, 0)
    import importlib

    with open(names_file) as f:
        for name in sorted(set(f.read().split())):
            if name not in sys.modules:
                try:
                    importlib.import_module(name)
                except Exception:
                    pass
    return True


# -- the tree ---------------------------------------------------------------------------------


def _write(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def _project(root: str) -> None:
    """A project with something to fix in each file: the project's Dockerfile, one in a folder,
    one whose context has a manifest (AIS101) and an artefact (AIS103), a Python file."""
    _write(f"{root}/.aishell/Dockerfile", DOCKERFILE)
    _write(f"{root}/good/Dockerfile", DOCKERFILE)
    _write(
        f"{root}/ctx/Dockerfile",
        b"FROM aishell:base\nCOPY . /app\nRUN pip install -r requirements.txt\n",
    )
    _write(f"{root}/ctx/requirements.txt", b"requests\n")
    os.makedirs(f"{root}/ctx/__pycache__", exist_ok=True)
    _write(f"{root}/tool.py", b'IMAGE = "aishell:base"\n')


def _fifo(p):
    os.mkfifo(p)


def _socket(p):
    s = socket.socket(socket.AF_UNIX)
    here = os.getcwd()
    try:
        os.chdir(os.path.dirname(p))  # (a socket's path has at most 107 bytes: bound by its name)
        s.bind(os.path.basename(p))
    finally:
        os.chdir(here)
        s.close()


def _folder(p):
    os.makedirs(p)
    _write(os.path.join(p, "inside"), b"x\n")


def _zero(p):
    os.symlink("/dev/zero", p)


def _stdin(p):
    os.symlink("/dev/stdin", p)


def _loop(p):
    os.symlink(os.path.basename(p), p)


def _dangling(p):
    os.symlink("nothing-here", p)


def _outside(p):
    # A link out of the project, to a file whose first line would be shown if it were parsed.
    os.symlink(os.path.join(os.path.dirname(_outside.root), "secret"), p)


def _binary(p):
    _write(p, b"FROM aishell:base\nRUN echo \x00\n")


def _utf16(p):
    _write(p, "FROM aishell:base\nRUN echo hi\n".encode("utf-16"))


def _latin1(p):
    _write(p, b"FROM aishell:base\nRUN echo caf\xe9\n")


def _unreadable(p):
    _write(p, DOCKERFILE)
    os.chmod(p, 0)


def _unsearchable(p):
    # The folder holding it may be listed, not searched (mode r--): its names are known, its
    # files cannot be opened.
    _write(p, DOCKERFILE)
    os.chmod(os.path.dirname(p), 0o444)


def _read_only(p):
    # Only --write meets it: a file it may not replace (its mode, setgid bit too, kept).
    _write(p, DOCKERFILE)
    os.chmod(p, 0o2444)


def _unwritable_folder(p):
    _write(p, DOCKERFILE)
    os.chmod(os.path.dirname(p), 0o555)


KINDS = {
    "fifo": _fifo,
    "socket": _socket,
    "folder": _folder,
    "link to /dev/zero": _zero,
    "link to /dev/stdin": _stdin,
    "link loop": _loop,
    "dangling link": _dangling,
    "link out of the project": _outside,
    "binary": _binary,
    "UTF-16": _utf16,
    "not UTF-8": _latin1,
}
# Kinds that mean something only to a user root is not.
PERMISSION_KINDS = {
    "unreadable": _unreadable,
    "unsearchable folder": _unsearchable,
    "read-only file": _read_only,
    "unwritable folder": _unwritable_folder,
}

# Where the entry goes, and the paths the command is given (None: no path, the project's own).
PLACES = {
    "in a folder": ("sub/Dockerfile", ["."]),
    "named": ("named.Dockerfile", ["named.Dockerfile", "good/Dockerfile"]),
    "project Dockerfile": (".aishell/Dockerfile", None),
    "project config": (".aishell/config.yaml", None),
    "user config": ("../home/.config/aishell/config.yaml", ["good/Dockerfile"]),
    "root ignore file": ("ctx/.dockerignore", ["ctx/Dockerfile", "good/Dockerfile"]),
    "Dockerfile.dockerignore": ("ctx/Dockerfile.dockerignore", ["ctx/Dockerfile", "good/Dockerfile"]),
    "manifest": ("ctx/requirements.txt", ["ctx/Dockerfile", "good/Dockerfile"]),
}

COMMANDS = {
    "lint": ["lint"],
    "lint sarif": ["lint", "--format", "sarif"],
    "lint github": ["lint", "--format", "github"],
    "migrate": ["migrate"],
    "migrate --check": ["migrate", "--check"],
    "migrate --write": ["migrate", "--write"],
}

# What each place says of an entry it cannot use. "error": one line naming it, exit 2.
# "note": one line naming it (skipped while walking a folder: only regular files are read).
# "quiet": nothing to say (BuildKit reads a dangling ignore file as none; an AIS101 manifest is
# read only to name it in a fix; a folder named Dockerfile in a walk is a folder), but the rest
# of the invariants hold.
# "absent": taken as not there, so nothing may name it.
ERROR, NOTE, QUIET, ABSENT = "error", "note", "quiet", "absent"


def expected(place: str, kind: str, command: str) -> str:
    writing = command == "migrate --write"
    if kind in ("read-only file", "unwritable folder"):
        # Read as usual; only a write meets it, and only where aishell writes.
        return ERROR if writing and place in ("in a folder", "named", "project Dockerfile") else QUIET
    if place == "manifest":
        return QUIET
    if place == "user config" and kind == "unsearchable folder":
        return ABSENT  # (a home this user may not search: no config of theirs, `sudo -u` keeping HOME)
    if place == "named" and kind == "folder":
        return QUIET  # (a folder named is walked: it holds no Dockerfile)
    if place == "in a folder":
        if kind in ("fifo", "socket", "link loop", "dangling link"):
            return NOTE
        if kind == "folder":
            return QUIET
        return ERROR
    if place in ("root ignore file", "Dockerfile.dockerignore"):
        if kind == "dangling link":
            return QUIET  # (BuildKit: no ignore file)
        if kind in ("binary", "UTF-16", "not UTF-8", "link out of the project"):
            return QUIET  # (read as BuildKit reads it, byte-wise; a link: followed, as Docker does)
        return ERROR
    return ERROR


def _snapshot(root: str) -> dict:
    """Every name under ``root`` (with the secret beside it): its type, mode, owner, links, and
    a regular file's bytes."""
    out = {}
    top = os.path.dirname(root)
    for folder, dirs, names in os.walk(top):
        for n in dirs + names:
            p = os.path.join(folder, n)
            st = os.lstat(p)
            content = None
            if stat.S_ISREG(st.st_mode):
                with open(p, "rb") as f:
                    content = f.read()
            link = os.readlink(p) if stat.S_ISLNK(st.st_mode) else None
            out[os.path.relpath(p, top)] = (st.st_mode, st.st_uid, st.st_gid, st.st_nlink, content, link)
    return out


def _make(base: str, place: str, kind: str, user: tuple[int, int] | None) -> str:
    root = os.path.join(base, "p")
    os.makedirs(root)
    os.makedirs(os.path.join(base, "home"))
    with open(os.path.join(base, "secret"), "wb") as f:
        f.write(SECRET)
    _project(root)
    rel, _ = PLACES[place]
    path = os.path.join(root, rel)
    if os.path.lexists(path):
        os.unlink(path)
    if user is not None and os.geteuid() == 0:
        for folder, dirs, names in os.walk(base):
            for n in [folder] + [os.path.join(folder, x) for x in dirs + names]:
                os.lchown(n, *user)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    _outside.root = root
    (KINDS.get(kind) or PERMISSION_KINDS[kind])(path)
    if user is not None and os.geteuid() == 0:
        os.lchown(path, *user)
    return root


def _shown(rel: str) -> list[str]:
    """How an error line may name ``rel``: relative, or ending an absolute path; followed by the
    colon that ends the name (`no .aishell/Dockerfile in this folder` names no file)."""
    while rel.startswith("../"):
        rel = rel[3:]
    return [f"{rel}:", f"/{rel}:", f"./{rel}:", f'{rel}":']


def _check(root: str, place: str, kind: str, command: str, ran: Ran, before: dict, after: dict) -> None:
    rel, paths = PLACES[place]
    what = f"{kind} as {place} ({rel}), `aishell {command}`: {ran!r}"
    assert "Traceback" not in ran.err and "internal error" not in ran.err, what
    assert ran.code in (0, 1, 2), what
    assert SECRET.strip().decode() not in ran.out + ran.err, what  # (never shown)
    lines = [ln for ln in ran.err.splitlines() if ln]
    for ln in lines:
        assert ln.startswith("aishell: ") or "held back" in ln or ln == "nothing to migrate", (ln, what)
    # (An unsearchable folder: a line may name another file in it, or the folder.)
    named = (os.path.dirname(rel) or rel) if kind == "unsearchable folder" else rel
    while named.startswith("../"):
        named = named[3:]
    shown = [f"{named}/", f"{named}:"] if kind == "unsearchable folder" and named != rel else _shown(rel)
    naming = [ln for ln in lines if any(s in ln for s in shown)]
    want = expected(place, kind, command)
    if want == ERROR:
        assert ran.code == 2, what
        assert len(naming) == 1, what  # (one line, naming it)
    elif want == NOTE:
        assert len(naming) == 1 and "note" in naming[0], what
    elif want == ABSENT:
        assert not naming and ran.code != 2, what
    if ran.code == 2:
        assert lines, what  # (exit 2 says why)
    # The others are still linted or migrated: good/Dockerfile's AIS001 shows, or its fix does.
    # (Not when the project's own files are the bad ones, nor when its root may not be searched.)
    root_shut = kind == "unsearchable folder" and not os.path.dirname(rel)
    if place not in ("project Dockerfile", "project config", "user config") and not root_shut:
        assert "good/Dockerfile" in ran.out, what
    # Nothing changed but the intended edits: none without --write; with it, a file whose bytes
    # are the image renamed, a new ignore file (AIS103), and never the entry itself.
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    entry = os.path.relpath(os.path.join(root, rel), os.path.dirname(root))
    if command != "migrate --write":
        assert not changed, (changed, what)
    else:
        if entry in changed and place in ("root ignore file", "Dockerfile.dockerignore"):
            # AIS103's fix appends to an ignore file it can keep byte for byte: every byte before stays.
            b, a = before[entry], after[entry]
            assert b[4] is not None and a[4].startswith(b[4]) and b[:4] == a[:4], what
            changed.discard(entry)
        assert entry not in changed, (entry, what)
        for k in changed:
            assert (
                k in before
                and k in after
                and k.endswith(("Dockerfile", ".py"))
                or (k not in before and k.endswith(".dockerignore"))
            ), (k, what)
            if k in before:
                b, a = before[k], after[k]
                assert (b[0], b[1], b[2], b[3]) == (a[0], a[1], a[2], a[3]), (k, "mode, owner or links", what)


def _try(tmp_path, place: str, kind: str, command: str, user) -> None:
    base = tempfile.mkdtemp(prefix="r69b-", dir=tmp_path if user is None or os.geteuid() != 0 else "/tmp")
    os.chmod(base, 0o755)
    try:
        root = _make(base, place, kind, user)
        _, paths = PLACES[place]
        argv = COMMANDS[command] + (paths or [])
        before = _snapshot(root)
        ran = run(root, *argv, user=user if os.geteuid() == 0 else None)
        after = _snapshot(root)
        _check(root, place, kind, command, ran, before, after)
    finally:
        for folder, dirs, _ in os.walk(base):
            for d in dirs:
                try:
                    os.chmod(os.path.join(folder, d), 0o755)
                except OSError:
                    pass
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize("place", list(PLACES))
def test_every_kind_of_entry_at_every_place_through_every_command(imported, tmp_path, place):
    for kind in KINDS:
        for command in COMMANDS:
            _try(tmp_path, place, kind, command, None)


@pytest.mark.parametrize("place", list(PLACES))
def test_every_permission_an_unprivileged_user_lacks(imported, tmp_path, place):
    user = _unprivileged()
    if user is None:
        pytest.skip(f"root, and no user {USER} to run as")
    for kind in PERMISSION_KINDS:
        for command in COMMANDS:
            _try(tmp_path, place, kind, command, user)


def test_the_runner_sees_what_the_cli_does(imported, tmp_path):
    """The fork runner itself: a project's findings, exit 1; JSON that parses."""
    _project(str(tmp_path / "p"))
    ran = run(str(tmp_path / "p"), "lint", "--format", "json", "good/Dockerfile")
    assert ran.code == 1 and json.loads(ran.out)[0]["code"] == "AIS001", ran


@pytest.mark.parametrize("command", [["migrate", "--global"], ["migrate", "--global", "--write"]])
def test_every_kind_of_entry_as_the_original_global_config(imported, tmp_path, command):
    """`migrate --global` reads the original aishell's ~/.aishell/config.yaml: each kind of entry
    there is one line naming it, exit 2, and no user config is made."""
    for kind, make in KINDS.items():
        base = tempfile.mkdtemp(dir=tmp_path)
        root = os.path.join(base, "p")
        os.makedirs(root)
        with open(os.path.join(base, "secret"), "wb") as f:
            f.write(SECRET)
        legacy = os.path.join(base, "home", ".aishell", "config.yaml")
        os.makedirs(os.path.dirname(legacy))
        _outside.root = root
        make(legacy)
        ran = run(root, *command)
        what = f"{kind} as ~/.aishell/config.yaml, `aishell {' '.join(command)}`: {ran!r}"
        assert "Traceback" not in ran.err and "internal error" not in ran.err, what
        assert SECRET.strip().decode() not in ran.out + ran.err, what
        assert ran.code == 2, what
        assert [ln for ln in ran.err.splitlines() if ln] == [
            ln for ln in ran.err.splitlines() if ln.startswith("aishell: ") and ".aishell/config.yaml:" in ln
        ], what
        assert len(ran.err.splitlines()) == 1, what
        assert not os.path.lexists(os.path.join(base, "home", ".config", "aishell", "config.yaml")), what


def test_every_kind_of_entry_through_parse(imported, tmp_path):
    """`aishell parse FILE` prints the file's model: each kind of entry is one line naming it,
    exit 2, nothing printed (a link out of the project included: its content would be)."""
    for kind in KINDS:
        base = tempfile.mkdtemp(dir=tmp_path)
        root = _make(base, "named", kind, None)
        ran = run(root, "parse", "named.Dockerfile")
        what = f"{kind}, `aishell parse`: {ran!r}"
        assert "Traceback" not in ran.err and SECRET.strip().decode() not in ran.out + ran.err, what
        assert ran.code == 2 and ran.out == "", what
        assert [ln for ln in ran.err.splitlines()] == [
            f"aishell: named.Dockerfile: {ran.err.split(': ', 2)[2].strip()}"
        ], what


@pytest.mark.parametrize("command", [["lint"], ["migrate"]])
def test_every_kind_of_entry_as_the_config_of_a_project_without_a_dockerfile(imported, tmp_path, command):
    """With no path and no `.aishell/Dockerfile`, the project's config alone is linted: each
    kind of entry there is one line naming it, exit 2 (not `no .aishell/Dockerfile`)."""
    for kind, make in KINDS.items():
        base = tempfile.mkdtemp(dir=tmp_path)
        root = os.path.join(base, "p")
        os.makedirs(os.path.join(root, ".aishell"))
        os.makedirs(os.path.join(base, "home"))
        with open(os.path.join(base, "secret"), "wb") as f:
            f.write(SECRET)
        _outside.root = root
        make(os.path.join(root, ".aishell", "config.yaml"))
        ran = run(root, *command)
        what = f"{kind} as the only .aishell/config.yaml, `aishell {' '.join(command)}`: {ran!r}"
        assert "Traceback" not in ran.err and SECRET.strip().decode() not in ran.out + ran.err, what
        assert ran.code == 2, what
        lines = ran.err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("aishell: ") and ".aishell/config.yaml:" in lines[0], what
