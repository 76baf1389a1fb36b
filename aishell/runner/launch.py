"""``aishell claude|codex|gemini|opencode|shell|exec``: find what to run, build what is stale, start it.

1. The project: the folder holding .aishell/ (walking up from here), else the current folder.
2. Freshness (``aishell.builder.fresh``): the same hashes as ``aishell build``. Something stale
   is built first, lint gate included; ``--no-build`` refuses instead, naming it.
3. The run spec (``aishell.runner.spec``), then the docker CLI, as a child: its exit code is
   the harness's. SIGTERM and SIGHUP sent to aishell are passed on to it (the CLI proxies them
   into the container); Ctrl-C at a terminal reaches it directly. A watchdog removes the
   container if aishell itself is killed (``--rm`` covers every other way out).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from aishell.errors import EXIT_DOCKER, InputError, unmountable


def say(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()


def run(opts, no_build: bool = False, dry_run: bool = False) -> int:
    from aishell import state
    from aishell.builder.fresh import desired_harnesses
    from aishell.builder.plan import make_plan, project_root
    from aishell.engine import DockerUnreachable, connect
    from aishell.runner.spec import Host

    host = Host.current()
    root = os.path.realpath(project_root(host.cwd))
    for path in (root, host.home, host.cwd):
        why = unmountable(path)
        if why is not None:
            raise InputError(None, f"{path!r}: {why}: nothing was built or started")
    plan = make_plan(root, {})
    try:
        client = connect()
    except DockerUnreachable as e:
        say(f"aishell: {e}")
        return EXIT_DOCKER

    def project_state() -> dict:
        return state.project(state.load(), root)

    host = host._replace(rootless=_rootless(client))
    pstate = project_state()
    plan.harnesses = desired_harnesses(plan, pstate)
    if opts.harness is not None and opts.harness not in plan.harnesses:
        raise InputError(
            None, f"{opts.harness} is not in the harness volume of {root}: run `aishell build --with-{opts.harness}`"
        )
    if not plan.harnesses and not plan.has_extension:
        raise InputError(
            None,
            f"nothing is built for {root}: run `aishell build --with-claude` (or --with-codex, "
            "--with-gemini, --with-opencode) here first",
        )
    # The egress proxy starts in the background now, while freshness is checked and the run is
    # prepared (its container start is most of its cost); the run waits for it before starting.
    pending = None
    if opts.egress is not None and opts.egress.policy != "open":
        from aishell.runner import egress

        egress.check_docker_args(opts.egress.policy, opts.docker_args)
        run_egress = egress.plan(opts.egress, sorted(plan.harnesses), root, host.uid, state.state_dir(), host.environ)
        for note in run_egress.notes:
            say(note)
        if run_egress.policy == "allowlist":
            proxy_image = _proxy_image(plan, client, no_build, dry_run)
            if proxy_image is None and not dry_run:
                return EXIT_DOCKER
            if not dry_run:
                pending = egress.Pending(proxy_image.id, run_egress, root)
        opts = opts._replace(egress=run_egress)
    try:
        return _prepare_and_launch(opts, no_build, dry_run, host, root, plan, client, pstate, pending)
    finally:
        if pending is not None:
            _end_egress(pending)


def _prepare_and_launch(opts, no_build, dry_run, host, root, plan, client, pstate, pending) -> int:
    from aishell import labels, state
    from aishell.builder.fresh import inspect
    from aishell.builder.run import build
    from aishell.engine import docker_cli
    from aishell.runner.spec import build_spec

    def project_state() -> dict:
        return state.project(state.load(), root)

    fresh = inspect(plan, client, pstate)
    if fresh.stale:
        if no_build or dry_run:
            what = "; ".join(fresh.stale)
            if no_build:
                raise InputError(None, f"--no-build, but {what}: run `aishell build`")
            say(f"aishell: would build first: {what}")
        else:
            code = build(plan, quiet=False)
            if code != 0:
                return code
            pstate = project_state()
            fresh = inspect(plan, client, pstate)
            if fresh.stale:
                raise InputError(None, f"still stale after the build: {'; '.join(fresh.stale)}")
    if opts.harness is not None and opts.harness not in fresh.versions and not dry_run:
        raise InputError(
            None, f"{opts.harness} is not in the harness volume of {root}: run `aishell build --with-{opts.harness}`"
        )

    image = (
        fresh.image.id if fresh.image is not None else (plan.extension_tag if plan.has_extension else labels.FOUNDATION)
    )
    versions = fresh.versions or {n: "?" for n in plan.harnesses}
    stdin_tty, stdout_tty = _isatty(0), _isatty(1)
    spec = build_spec(
        host, root, image, fresh.volume, versions, opts, state.state_dir(), stdin_tty, stdout_tty, _has_input(0)
    )
    for note in spec.notes + spec.warnings:
        say(note)
    if dry_run:
        sys.stdout.write(spec.display() + "\n")
        return 0
    docker = docker_cli()
    if docker is None:
        say("aishell: no docker CLI on PATH: aishell runs harnesses through it")
        return EXIT_DOCKER
    from aishell.harness import HARNESSES
    from aishell.runner.harness_state import Session

    in_volume = [h for h in HARNESSES if h.name in versions]
    session = Session(host.home, state.state_dir(), root, opts.isolation, in_volume, say)
    _prepare_state_dirs(spec.state_dirs)
    _write_files(spec.files)
    if opts.isolation == "shared":
        _seed(host.home, in_volume)
    if pending is not None:
        from aishell.runner.egress import EgressError

        try:
            pending.wait()
        except EgressError as e:
            say(
                f"aishell: egress allowlist: {e}: the run was not started (it never runs open unless you ask for --egress open)"
            )
            return EXIT_DOCKER
    session.before()  # the project's copy of the harness config, logins from the host
    try:
        return launch(spec, docker)
    finally:
        session.after()  # logins back to the host; one line naming config the run changed


def _rootless(client) -> bool:
    """Whether the engine is rootless Docker (container root is this host user)."""
    try:
        return any("rootless" in str(o) for o in (client.info().get("SecurityOptions") or ()))
    except Exception:
        return False


def _write_files(files: dict[str, bytes]) -> None:
    """The user's passwd and group lines, mounted read-only into the run."""
    from aishell.atomic import replace_file

    for path, data in files.items():
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        try:
            with open(path, "rb") as f:
                if f.read() == data:
                    continue
        except OSError:
            pass
        replace_file(path, data)
        os.chmod(path, 0o644)


def _proxy_image(plan, client, no_build: bool, dry_run: bool):
    """The current egress proxy image, built first when missing (``--no-build`` refuses)."""
    from aishell.builder import backends, proxy

    h, _, _ = proxy.inputs(plan, client)
    image = proxy.find(client, h)
    if image is not None:
        from aishell import state

        if (state.load().get("egress") or {}).get("image_id") != image.id:
            proxy.record(h, image.id)  # built by another state folder: this one keeps it too
        return image
    if no_build:
        raise InputError(None, "--no-build, but the egress proxy image is not built: run without --no-build once")
    if dry_run:
        say("aishell: would build first: the egress proxy image")
        return None
    say("aishell: building the egress proxy image (tinyproxy from Debian; once)")
    try:
        image, _, _ = proxy.ensure(plan, client, lambda: backends.choose(client), lambda line, step: None)
    except backends.BuildError as e:
        tail = "; ".join(e.tail[-3:])[:300]
        say(f"aishell: the egress proxy image did not build ({e}): {tail}: the run was not started")
        return None
    return image


def _end_egress(pending) -> None:
    """After the run (or a refusal before it): the blocked hosts in one line, the lease dropped."""
    from aishell.runner import egress

    try:
        blocked = pending.close()
    except Exception as e:  # the run's own exit code matters more than the report
        say(
            f"aishell: egress: could not read or stop the proxy: {str(e).splitlines()[0][:160] if str(e) else type(e).__name__}"
        )
        return
    line = egress.blocked_line(blocked)
    if line:
        say(line)


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def _has_input(fd: int) -> bool:
    """Input to pass on: a pipe, a file or a socket (not /dev/null, not closed)."""
    import stat

    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode) or stat.S_ISSOCK(mode)


def _prepare_state_dirs(paths: list[str]) -> None:
    """Each harness state folder exists on the host, owned by this user, before Docker sees it
    (Docker would create a missing one as root)."""
    for path in paths:
        try:
            os.makedirs(path, mode=0o700, exist_ok=True)
        except FileExistsError:
            raise InputError(
                path, "exists but is not a folder: aishell mounts it as the harness's state folder"
            ) from None
        except OSError as e:
            raise InputError(path, f"cannot create the harness state folder: {e.strerror}") from None
        if not os.path.isdir(path):
            raise InputError(path, "exists but is not a folder: aishell mounts it as the harness's state folder")


def _seed(home: str, harnesses) -> None:
    """Copy a host login file into the harness's state folder once (see Harness.seed_files)."""
    from aishell.atomic import replace_file

    for h in harnesses:
        for src_rel, dst_rel in h.seed_files:
            src, dst = os.path.join(home, src_rel), os.path.join(home, dst_rel)
            if os.path.isfile(src) and not os.path.lexists(dst):
                with open(src, "rb") as f:
                    replace_file(dst, f.read())
                os.chmod(dst, 0o600)
                say(f"aishell: copied {src} to {dst}, where {h.name} keeps it inside the container")


def launch(spec, docker: str) -> int:
    env = dict(os.environ)
    env.update(spec.child_env)
    # The watchdog: a shell in its own session that removes the container unless aishell
    # writes "ok" before the pipe closes, that is, unless aishell ended normally.
    r, w = os.pipe()
    watchdog = subprocess.Popen(
        ["sh", "-c", 'read -r done; [ "$done" = ok ] || exec "$0" rm -f "$1"', docker, spec.name],
        stdin=r,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(r)
    try:
        proc = subprocess.Popen(spec.argv(docker), env=env)
    except OSError as e:
        os.close(w)
        say(f"aishell: cannot start {docker}: {e.strerror}")
        return EXIT_DOCKER

    def forward(signum, _frame):
        try:
            proc.send_signal(signum)
        except ProcessLookupError:
            pass

    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGHUP)}
    # Ctrl-C at a terminal goes to the whole foreground group, the docker CLI included, which
    # passes it on; aishell itself waits for the harness's own exit code.
    previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        rc = proc.wait()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    try:
        if rc >= 0:
            os.write(w, b"ok\n")
    finally:
        os.close(w)
    if rc < 0:
        watchdog.wait()  # the CLI itself was killed: the container is removed before aishell returns
        return 128 - rc
    return rc
