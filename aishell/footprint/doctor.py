"""``aishell doctor``: one screen of checks, one line per problem with its fix, an exit code for CI.

Exit 0 when every check passes, 1 when one fails, 3 when the Docker daemon cannot be reached.
"""

from __future__ import annotations

import os
import shlex
import shutil

MIN_FREE = 5 * 10**9  # bytes free under the engine's data root before a warning
SUPPORTED = "26-28"
TESTED = ("20.10", "26", "28")  # the engines CI runs the Docker tests on (.ci/run, docs/engines.md)
PROBE_IMAGE = "debian:bookworm-slim"  # the probe's image when there is no foundation yet
INIT_FIX = (
    "install Debian's tini and start dockerd with --init-path /usr/bin/tini-static "
    '(scripts/docker-setup does), or set "init-path" in /etc/docker/daemon.json'
)


class Report:
    def __init__(self, say) -> None:
        self.say = say
        self.problems = 0

    def ok(self, what: str) -> None:
        self.say(f"ok    {what}")

    def bad(self, what: str, fix: str) -> None:
        self.problems += 1
        self.say(f"FAIL  {what}: {fix}")

    def note(self, what: str) -> None:
        self.say(f"note  {what}")


def doctor(say) -> int:
    from aishell import state
    from aishell.builder.backends import ClassicSDK, choose
    from aishell.builder.plan import make_plan, project_root
    from aishell.engine import DockerUnreachable, connect
    from aishell.errors import EXIT_DOCKER

    r = Report(say)
    try:
        client = connect()
    except DockerUnreachable as e:
        r.bad(str(e), "start the engine (scripts/docker-setup, or your system's docker service), or fix DOCKER_HOST")
        return EXIT_DOCKER
    version = client.version().get("Version", "")
    major = int(version.split(".")[0]) if version.split(".")[0].isdigit() else 0
    line = "20.10" if version.startswith("20.10.") else str(major)
    if major >= 26:
        r.ok(f"Docker Engine {version} answers")
    elif line in TESTED:  # 20.10: end of life, but CI tests it, so it is no failure
        r.ok(f"Docker Engine {version} answers")
        r.note(
            f"Docker Engine {version} is end of life (Debian 12's): aishell is tested on it; Engine {SUPPORTED} is current"
        )
    elif major >= 23:
        r.note(f"Docker Engine {version} answers (tested: {', '.join(TESTED)})")
    else:
        r.bad(f"Docker Engine {version} is end of life and untested", f"upgrade to Engine {SUPPORTED}")
    backend = choose(client)
    if isinstance(backend, ClassicSDK):
        r.bad(
            "build backend: only the classic builder (heredocs, RUN --mount, COPY --chmod are refused)",
            "install docker buildx (or a docker CLI with BuildKit)",
        )
    else:
        r.ok(f"build backend: {backend.name}")
        if major and major < 23:
            r.note("heredoc Dockerfiles are refused on engines before 23.0 unless they name a frontend with # syntax=")
    root_dir = (client.info() or {}).get("DockerRootDir", "")
    if root_dir and os.path.isdir(root_dir):
        free = shutil.disk_usage(root_dir).free
        what = f"disk: {free / 1e9:.1f} GB free under {root_dir}"
        if free >= MIN_FREE:
            r.ok(what)
        else:
            r.bad(what, "free some space: aishell prune (what aishell made), docker system df (the rest)")
    else:
        r.note("disk: the engine's data root is not on this machine; not checked")
    project = project_root()
    try:
        plan = make_plan(project, {})
    except Exception as e:  # bad config: one line
        r.bad(f"config: {e}", "fix .aishell/config.yaml")
        plan = None
    for ref in (plan.debian, plan.node) if plan else ("debian:bookworm-slim", "node:24-bookworm-slim"):
        try:
            client.images.get(ref)
            r.ok(f"base image {ref} present")
        except Exception:
            r.bad(
                f"base image {ref} missing",
                f"docker pull {ref} (or scripts/docker-setup where no registry is reachable)",
            )
    _run_probe(client, r)
    _registry(client, r)
    from aishell.errors import InputError

    if not os.path.exists(state.state_path()):
        r.note(f"no state file yet ({state.state_path()}): aishell build writes it")
    else:
        try:
            state.load_strict()
            r.ok(f"state file {state.state_path()} readable")
        except InputError as e:
            r.bad(
                f"state file {state.state_path()}: {e.message[:100]}",
                "aishell build rewrites it; prune refuses until then",
            )
    _config_folders(r)
    say("")
    say("no problems found" if not r.problems else f"{r.problems} problem{'s' if r.problems != 1 else ''}")
    return 1 if r.problems else 0


def _run_probe(client, r: Report) -> None:
    """A tiny container started the way a run starts one: the run spec's ``--init``, user and
    security options (runner/spec.py), through the docker CLI, on the foundation's entrypoint
    when there is a foundation. It catches what fails every run: no docker-init, a refused
    security option, an entrypoint that cannot switch to the host user."""
    import subprocess

    from aishell import labels, state
    from aishell.engine import docker_cli
    from aishell.runner.spec import Host, Options, build_spec

    docker = docker_cli()
    if docker is None:
        r.bad("no docker CLI on PATH", "install the docker CLI: aishell runs harnesses through it")
        return
    host = Host.current()
    image, via = labels.FOUNDATION, "the foundation's entrypoint"
    try:
        client.images.get(image)
    except Exception:
        image, via = PROBE_IMAGE, f"{PROBE_IMAGE} (no foundation yet)"
    opts = Options(harness=None, kind="doctor", command=["sh", "-c", "id -u; cat /proc/1/comm"], env={})
    spec = build_spec(host, host.cwd, image, None, {}, opts, state.state_dir(), False, False, False)
    spec.mounts, spec.state_dirs = [], []  # a probe: no project, no harness, no state folder
    spec.name = spec.name.replace("aishell-run-", "aishell-doctor-")
    if image == PROBE_IMAGE:
        spec.docker_args.append(f"--user={host.uid}:{host.gid}")  # what the entrypoint would switch to
    env = dict(os.environ, **spec.child_env)
    try:
        p = subprocess.run(
            spec.argv(docker), env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        subprocess.run([docker, "rm", "-f", spec.name], capture_output=True)
        r.bad("a container started as a run does not finish in 120 s", "check the engine's log")
        return
    lines = [line for line in p.stderr.strip().splitlines() if line and not line.startswith("Run 'docker run --help'")]
    err = (lines or [""])[-1][:200]
    out = p.stdout.split()
    if p.returncode != 0 and "docker-init" in p.stderr:
        r.bad(f"a run cannot start: the engine has no docker-init for --init ({err})", INIT_FIX)
    elif p.returncode != 0:
        r.bad(
            f"a container started as a run fails (exit {p.returncode}: {err or 'no message'})",
            f"check the engine's log; the probe was: {shlex.join(spec.argv('docker'))}",
        )
    elif len(out) < 2 or out[-1] not in ("docker-init", "tini", "tini-static"):
        r.bad(f"--init is not honoured: pid 1 of a run is {out[-1] if out else 'unknown'}", INIT_FIX)
    elif out[-2] != str(host.uid):
        r.bad(f"a run's user is uid {out[-2]}, not yours ({host.uid})", "rebuild the foundation: aishell build")
    else:
        r.ok(f"a run starts: --init, uid {host.uid}, its capabilities and no-new-privileges, on {via}")


def _registry(client, r: Report) -> None:
    """The npm registry from a container, through the foundation (its CA certificates)."""
    from aishell import labels

    try:
        image = client.images.get(labels.FOUNDATION)
    except Exception:
        r.note("npm registry from a container: not checked (no foundation yet: aishell build)")
        return
    try:
        out = client.containers.run(
            image.id,
            ["sh", "-c", "npm ping --fetch-timeout=20000 2>&1"],
            entrypoint=[],
            remove=True,
            environment={"NPM_CONFIG_UPDATE_NOTIFIER": "false"},
        )
        r.ok("npm registry reachable from a container" + ("" if b"PONG" in out else f" ({out.decode()[-80:].strip()})"))
    except Exception as e:
        text = str(getattr(e, "stderr", b"") or e)
        if any(m in text for m in ("SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "certificate")):
            r.bad(
                "npm registry: TLS verification failed from a container (a TLS-intercepting proxy?)",
                "point AISHELL_CA_CERTS at the proxy's CA certificate and run aishell build",
            )
        else:
            r.bad(
                f"npm registry not reachable from a container ({text.splitlines()[-1][:100] if text else 'error'})",
                "check the network or HTTPS_PROXY",
            )


def _config_folders(r: Report) -> None:
    from aishell import state
    from aishell.harness import BY_NAME

    data = state.load()
    names = {n for p in state.projects(data).values() for n in state.harness_versions(p)}
    home = os.path.expanduser("~")
    for name in sorted(names):
        for rel in BY_NAME[name].state_dirs:
            path = os.path.join(home, rel)
            if not os.path.exists(path):
                r.note(f"{path} does not exist: runs start from an empty copy (docs/run.md, harness config)")
            elif os.stat(path).st_uid != os.getuid():
                r.bad(
                    f"{path} is owned by uid {os.stat(path).st_uid}, not you",
                    f"sudo chown -R {os.getuid()}:{os.getgid()} {path}",
                )
            else:
                r.ok(f"{path} is yours")
