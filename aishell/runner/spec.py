"""The `docker run` of a harness run, as data: mounts, user, environment, security, labels.

Pure: it reads the host's facts it is given and returns argv; nothing here calls Docker.
Every ``-e`` names a variable and never carries its value: values reach the docker CLI
through its own environment (``RunSpec.child_env``), so no secret is ever in argv, in
``--dry-run`` output, in a log or in state.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shlex
from typing import NamedTuple

from aishell import labels as L
from aishell.errors import InputError, unmountable
from aishell.harness import BY_NAME, HARNESSES

HARNESS_MOUNT = "/opt/harness"
SSH_AGENT_SOCK = "/run/aishell/ssh-agent.sock"
DOCKER_SOCK = "/var/run/docker.sock"
PROXY_ENV = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "no_proxy", "all_proxy")
ENTRYPOINT = "/usr/local/bin/aishell-entrypoint"
# The user's passwd and group entries, read by the foundation's NSS (libnss-extrausers) after
# /etc/passwd and /etc/group: the user has a name without any root step at run time.
EXTRAUSERS = "/var/lib/extrausers"


class Mount(NamedTuple):
    kind: str  # "bind", "volume" or "image" (the harness image, engines with image mounts)
    source: str
    target: str
    readonly: bool = False
    options: tuple[str, ...] = ()  # extra --mount fields, e.g. "volume-nocopy"

    def arg(self) -> str:
        """A --mount value. Fields are CSV, as Docker parses them, so `:` and `,` in paths are safe."""
        for path in (self.source, self.target):
            why = unmountable(path)
            if why is not None:
                raise InputError(None, f"{path!r}: {why}")
        fields = [f"type={self.kind}", f"source={self.source}", f"target={self.target}"]
        if self.readonly:
            fields.append("readonly")
        fields.extend(self.options)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow(fields)
        return buf.getvalue()


class Host(NamedTuple):
    """The facts of the host the run depends on (given, so tests can set them)."""

    uid: int
    gid: int
    home: str
    cwd: str
    environ: dict[str, str]
    git_identity: dict[str, str]  # GIT_AUTHOR_NAME etc. from the host's git config
    rootless: bool = False  # the engine maps container root to this user (rootless Docker)

    @classmethod
    def current(cls) -> Host:
        return cls(
            os.getuid(),
            os.getgid(),
            os.path.expanduser("~"),
            os.path.realpath(os.getcwd()),
            dict(os.environ),
            _git_identity(),
        )


def _git_identity() -> dict[str, str]:
    import subprocess

    out = {}
    for key, names in (
        ("user.name", ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME")),
        ("user.email", ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL")),
    ):
        try:
            r = subprocess.run(["git", "config", "--get", key], capture_output=True, text=True, timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            return {}
        if r.returncode == 0 and r.stdout.strip():
            for name in names:
                out[name] = r.stdout.strip()
    return out


class Options(NamedTuple):
    """What the user asked for on the command line and in ``run:`` of the config."""

    harness: str | None  # "claude" … ; None for shell and exec
    kind: str  # the harness's name, "shell" or "exec" (the container's aishell.harness label)
    command: list[str]  # the harness's arguments, or the command for shell/exec
    env: dict[str, str | None]  # -e NAME[=VALUE] and run.env; None: take the host's value
    isolation: str = "host"  # "project" or "shared": see aishell/runner/harness_state.py
    sudo: bool = False
    ssh_agent: bool = False
    docker_socket: bool = False
    docker_args: tuple[str, ...] = ()
    mounts: tuple[str, ...] = ()  # run.mounts, ports and pre_start: aishell.runner.extras
    ports: tuple[str, ...] = ()
    pre_start: str | None = None
    egress: object = None  # a runner.egress.RunEgress; None: the engine's default network


class RunSpec:
    def __init__(self) -> None:
        self.name = ""
        self.image = ""
        self.mounts: list[Mount] = []
        self.env_names: list[str] = []
        self.child_env: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self.workdir = ""
        self.tty = False
        self.interactive = False
        self.security: list[str] = []
        self.docker_args: list[str] = []
        self.network: str | None = None  # --network (runner/egress.py); None: the engine's default
        self.command: list[str] = []
        self.state_dirs: list[str] = []  # host folders created before the run
        self.files: dict[str, bytes] = {}  # host files written before the run (passwd, group)
        self.user = ""  # --user UID:GID
        self.tmpfs: list[str] = []  # --tmpfs values (HOME, owned by the user)
        self.warnings: list[str] = []  # dangerous docker arguments, one line each, every run
        self.notes: list[str] = []  # one line each, printed before the run
        self.extra_labels: dict[str, str] = {}

    def set_env(self, name: str, value: str) -> None:
        if name not in self.child_env:
            self.env_names.append(name)
        self.child_env[name] = value

    def argv(self, docker: str = "docker") -> list[str]:
        args = [docker, "run", "--rm", "--init", "--name", self.name, "--user", self.user, "--entrypoint", ENTRYPOINT]
        if self.interactive:
            args.append("-i")
        if self.tty:
            args.append("-t")
        args += self.security
        for t in self.tmpfs:
            args += ["--tmpfs", t]
        for k, v in self.labels.items():
            args += ["--label", f"{k}={v}"]
        for m in self.mounts:
            args += ["--mount", m.arg()]
        if self.network:
            args += ["--network", self.network]
        args += ["--workdir", self.workdir]
        for name in self.env_names:
            args += ["-e", name]
        args += self.docker_args
        return args + [self.image, *self.command]

    def display(self) -> str:
        """The exact docker run equivalent: env names only (values are never in argv)."""
        return shlex.join(self.argv())


def _names(uid: int, gid: int) -> tuple[str, str]:
    """The host's user and group names (aishell when the host has none, or an odd one)."""
    import grp
    import pwd
    import re

    ok = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,31}$")
    try:
        name = pwd.getpwuid(uid).pw_name
    except KeyError:
        name = "aishell"
    try:
        group = grp.getgrgid(gid).gr_name
    except KeyError:
        group = name
    return (name if ok.match(name) else "aishell"), (group if ok.match(group) else "aishell")


def _egress(spec: RunSpec, egress) -> None:
    """The network of the run (runner/egress.py decides it): the host's proxy variables do not
    apply inside a closed network; under allowlist the run's proxy is the egress proxy."""
    if egress is None or egress.policy == "open":
        return
    from aishell.labels import EGRESS_PROXY

    spec.network = egress.network()
    for name in PROXY_ENV:
        if name in spec.child_env:
            del spec.child_env[name]
            spec.env_names.remove(name)
    for name, value in egress.env():
        spec.set_env(name, value)
    spec.extra_labels[EGRESS_PROXY] = egress.name or egress.policy


def state_root(home: str, project: str, isolation: str, state_dir: str) -> str:
    """Where the harness folders mounted into a run live on the host: the project's copy
    (aishell/runner/harness_state.py), or HOME itself under run.isolation: shared."""
    from aishell.runner import harness_state

    if isolation == harness_state.PRIVILEGED_ISOLATION:
        return home
    return harness_state.copy_root(state_dir, project, isolation)


def _git_read_only(spec: RunSpec, project: str) -> None:
    """What the host's git runs on its next command is read-only inside: ``.git/config``
    (``core.fsmonitor``, ``core.hooksPath``, aliases) and ``.git/hooks``. Only a real folder
    ``.git`` (a ``.git`` file, in a worktree or submodule, is skipped) and only a real file
    and folder: a symlink is not mounted (Docker would follow it on the host) but named."""
    import stat

    git = os.path.join(project, ".git")
    if not os.path.isdir(git) or os.path.islink(git):
        return
    for name, kind in (("config", stat.S_ISREG), ("hooks", stat.S_ISDIR)):
        path = os.path.join(git, name)
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            continue
        if kind(mode):
            spec.mounts.append(Mount("bind", path, path, readonly=True))
        elif stat.S_ISLNK(mode):
            spec.notes.append(
                f"aishell: warning: {path} is a symlink: not made read-only, the agent can change what git runs on the host"
            )


def build_spec(
    host: Host,
    project: str,
    image: str,
    volume: str | None,
    versions: dict[str, str],
    opts: Options,
    state_dir: str,
    stdin_tty: bool,
    stdout_tty: bool,
    stdin_data: bool,
) -> RunSpec:
    spec = RunSpec()
    spec.name = f"aishell-run-{os.urandom(6).hex()}"
    spec.image = image
    spec.workdir = host.cwd
    # -it at a terminal, -i when input is piped in, neither otherwise (CI).
    spec.tty = stdin_tty and stdout_tty
    spec.interactive = stdin_tty or stdin_data

    from aishell import trust

    for path in (project, host.home, host.cwd):
        why = unmountable(path)
        if why is not None:
            raise InputError(None, f"{path!r}: {why}")
    spec.mounts.append(Mount("bind", project, project))
    # The sandbox's own definition is read-only inside: the agent cannot widen the next run.
    if os.path.isdir(os.path.join(project, ".aishell")):
        dot = os.path.join(project, ".aishell")
        spec.mounts.append(Mount("bind", dot, dot, readonly=True))
    _git_read_only(spec, project)
    if volume:
        spec.mounts.append(
            Mount("image", volume, HARNESS_MOUNT, readonly=True)
            if L.is_harness_image(volume)  # engines with image mounts
            else Mount("volume", volume, HARNESS_MOUNT, readonly=True, options=("volume-nocopy",))
        )

    # The host user from the first instruction on (PID 1 included): no root phase at all.
    spec.user = trust.run_user(host.uid, host.gid, host.rootless)
    if not host.rootless:
        name, group = _names(host.uid, host.gid)
        ident = os.path.join(
            state_dir, "identity", f"{host.uid}-{host.gid}-{hashlib.sha256(os.fsencode(host.home)).hexdigest()[:8]}"
        )
        spec.files[os.path.join(ident, "passwd")] = (
            f"{name}:x:{host.uid}:{host.gid}:aishell user:{host.home}:/bin/bash\n".encode()
        )
        spec.files[os.path.join(ident, "group")] = f"{group}:x:{host.gid}:\n".encode()
        # No password (locked): PAM's account check (sudo with --sudo) needs the entry only.
        spec.files[os.path.join(ident, "shadow")] = f"{name}:*:::::::\n".encode()
        for f in ("passwd", "group", "shadow"):
            spec.mounts.append(Mount("bind", os.path.join(ident, f), f"{EXTRAUSERS}/{f}", readonly=True))
        spec.set_env("USER", name)
        spec.set_env("LOGNAME", name)
    # HOME at the host's path, an empty folder of the user's (gone with the container).
    if os.path.commonpath([host.home, project]) != project and ":" not in host.home and "," not in host.home:
        uid, gid = (0, 0) if host.rootless else (host.uid, host.gid)  # rootless: container root is the user
        spec.tmpfs.append(f"{host.home}:rw,exec,uid={uid},gid={gid},mode=0700")
    spec.set_env("HOME", host.home)

    # Each harness in the volume: its state folders, its variables, self-update off.
    root = state_root(host.home, project, opts.isolation, state_dir)
    in_volume = [h for h in HARNESSES if h.name in versions]
    if in_volume and opts.isolation == "shared":
        from aishell.runner.harness_state import SHARED_WARNING

        spec.notes.append(SHARED_WARNING)
    for h in in_volume:
        for rel in h.state_dirs:
            source = os.path.join(root, rel)
            spec.state_dirs.append(source)
            spec.mounts.append(Mount("bind", source, os.path.join(host.home, rel)))
        for name, value in h.run_env:
            spec.set_env(name, value.format(home=host.home))
        for name in h.env:
            if name in host.environ:
                spec.set_env(name, host.environ[name])
    if opts.harness is not None:
        h = BY_NAME[opts.harness]
        spec.set_env("AISHELL_HARNESS", h.executables[0])
        spec.set_env("AISHELL_HARNESS_PACKAGE", h.npm_package)
        spec.set_env("AISHELL_HARNESS_VERSION", versions[h.name])
        spec.command = [h.executables[0], *h.run_args, *opts.command]
    else:
        spec.command = list(opts.command)

    for name, value in host.git_identity.items():
        if name not in host.environ:
            spec.set_env(name, value)
    for name in PROXY_ENV:
        if name in host.environ:
            spec.set_env(name, host.environ[name])
    for name, value in opts.env.items():
        if value is None:
            if name not in host.environ:
                continue  # -e NAME with NAME unset on the host: as docker run does
            value = host.environ[name]
        spec.set_env(name, value)

    _egress(spec, opts.egress)

    if opts.ssh_agent:
        sock = host.environ.get("SSH_AUTH_SOCK")
        if not sock or not os.path.exists(sock):
            raise InputError(None, "--ssh-agent: SSH_AUTH_SOCK does not name an agent socket on this host")
        spec.mounts.append(Mount("bind", os.path.realpath(sock), SSH_AGENT_SOCK))
        spec.set_env("SSH_AUTH_SOCK", SSH_AGENT_SOCK)
    if opts.docker_socket:
        spec.mounts.append(Mount("bind", DOCKER_SOCK, DOCKER_SOCK))
        spec.notes.append(
            "aishell: --docker-socket: the container can control the host's Docker, which is root on this host"
        )

    spec.security = trust.run_security(opts.sudo)
    if opts.sudo:
        spec.notes.append(
            "aishell: --sudo: the user can become root inside; the container keeps Docker's default "
            "capabilities and setuid works (no-new-privileges is off)"
        )
    spec.docker_args = list(opts.docker_args)
    spec.warnings = trust.docker_arg_warnings(spec.docker_args, host.home)
    from aishell.runner.extras import apply_extras

    apply_extras(spec, host, project, opts)

    spec.labels = {
        L.COMPONENT: L.COMPONENT_RUN,
        L.PROJECT_DIR: project,
        L.IMAGE: image,
        L.HARNESS_VOLUME: volume or "",
        L.HARNESS: opts.kind,
        L.OWNER: trust.owner_label(),
        **spec.extra_labels,
    }
    return spec
