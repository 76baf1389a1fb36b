"""The run options that came with the original aishell's configs, applied to a run spec:
``run.mounts``, ``run.ports`` and ``run.pre_start`` (``run.harness_args`` is prepended to the
harness's arguments by the CLI). Pure like ``aishell.runner.spec``: host facts in, spec out.

Whether the project's values may be used at all is not decided here: mounts and ports are
privileged keys (``aishell.trust``), left out of the config until the user trusts the file.
"""

from __future__ import annotations

import os

from aishell.errors import InputError
from aishell.run_config import PRE_START_LOG, mount_for, port_arg

# Container paths a mount may not cover: aishell's own, and the kernel's.
RESERVED_TARGETS = (
    "/",
    "/opt/harness",
    "/run/aishell",
    "/proc",
    "/sys",
    "/dev",
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/etc",
)
# pre_start runs as the user, in the background, and the harness (or shell) replaces this sh.
PRE_START_WRAPPER = 'nohup sh -c "$AISHELL_PRE_START" >' + PRE_START_LOG + ' 2>&1 </dev/null & exec "$@"'


def _covers(target: str, reserved: str) -> bool:
    return target == reserved or (reserved != "/" and target.startswith(reserved + "/"))


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def apply_extras(spec, host, project: str, opts) -> None:
    from aishell.runner.spec import DOCKER_SOCK, Mount

    for entry in opts.mounts:
        source, target, readonly = mount_for(entry, host.home, project)
        if any(_covers(target, r) for r in RESERVED_TARGETS) or target == project:
            raise InputError(None, f"run.mounts: {entry!r} would cover {target}, which aishell or the system needs")
        if not os.path.exists(source):
            spec.notes.append(f"aishell: run.mounts: {source} does not exist on this host: not mounted")
            continue
        # Mount what the path resolves to now, not the path: a symlink the agent planted in the
        # project (cache -> ~/.ssh) would otherwise be followed by Docker on the host.
        real = os.path.realpath(source)
        if _inside(source, os.path.abspath(project)) and not _inside(real, os.path.realpath(project)):
            raise InputError(
                None, f"run.mounts: {entry!r}: {source} resolves to {real}, outside the project (a symlink?): refused"
            )
        if real in ("/", os.path.realpath(host.home), DOCKER_SOCK) or real.endswith("/docker.sock"):
            spec.notes.append(
                f"aishell: warning: run.mounts gives the container {real}{' read-only' if readonly else ''}"
            )
        spec.mounts.append(Mount("bind", real, target, readonly))
    ports = []
    for p in opts.ports:
        ports += ["-p", port_arg(None, p)]
    spec.docker_args[:0] = ports
    if opts.pre_start:
        spec.set_env("AISHELL_PRE_START", opts.pre_start)
        spec.command = ["sh", "-c", PRE_START_WRAPPER, "aishell-pre-start", *spec.command]
        spec.notes.append(f"aishell: pre_start runs in the background; its log: {PRE_START_LOG} in the container")
