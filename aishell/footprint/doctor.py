"""``aishell doctor``: one screen of checks, one line per problem with its fix, an exit code for CI.

Exit 0 when every check passes, 1 when one fails, 3 when the Docker daemon cannot be reached.
"""

from __future__ import annotations

import os
import shutil

MIN_FREE = 5 * 10**9  # bytes free under the engine's data root before a warning
SUPPORTED = "26-28"


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
    if major >= 26:
        r.ok(f"Docker Engine {version} answers")
    elif major >= 23:
        r.note(f"Docker Engine {version} answers (tested: 20.10 and {SUPPORTED})")
    else:
        r.bad(f"Docker Engine {version} is end of life", f"upgrade to Engine {SUPPORTED}; heredoc Dockerfiles are refused here")
    backend = choose(client)
    if isinstance(backend, ClassicSDK):
        r.bad("build backend: only the classic builder (heredocs, RUN --mount, COPY --chmod are refused)",
              "install docker buildx (or a docker CLI with BuildKit)")  # fmt: skip
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
    for ref in ((plan.debian, plan.node) if plan else ("debian:bookworm-slim", "node:24-bookworm-slim")):
        try:
            client.images.get(ref)
            r.ok(f"base image {ref} present")
        except Exception:
            r.bad(f"base image {ref} missing", f"docker pull {ref} (or scripts/docker-setup where no registry is reachable)")
    _registry(client, r)
    from aishell.errors import InputError

    if not os.path.exists(state.state_path()):
        r.note(f"no state file yet ({state.state_path()}): aishell build writes it")
    else:
        try:
            state.load_strict()
            r.ok(f"state file {state.state_path()} readable")
        except InputError as e:
            r.bad(f"state file {state.state_path()}: {e.message[:100]}", "aishell build rewrites it; prune refuses until then")
    _config_folders(r)
    say("")
    say("no problems found" if not r.problems else f"{r.problems} problem{'s' if r.problems != 1 else ''}")
    return 1 if r.problems else 0


def _registry(client, r: Report) -> None:
    """The npm registry from a container, through the foundation (its CA certificates)."""
    from aishell import labels

    try:
        image = client.images.get(labels.FOUNDATION)
    except Exception:
        r.note("npm registry from a container: not checked (no foundation yet: aishell build)")
        return
    try:
        out = client.containers.run(image.id, ["sh", "-c", "npm ping --fetch-timeout=20000 2>&1"], entrypoint=[],
                                    remove=True, environment={"NPM_CONFIG_UPDATE_NOTIFIER": "false"})  # fmt: skip
        r.ok("npm registry reachable from a container" + ("" if b"PONG" in out else f" ({out.decode()[-80:].strip()})"))
    except Exception as e:
        text = str(getattr(e, "stderr", b"") or e)
        if any(m in text for m in ("SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "certificate")):
            r.bad("npm registry: TLS verification failed from a container (a TLS-intercepting proxy?)",
                  "point AISHELL_CA_CERTS at the proxy's CA certificate and run aishell build")  # fmt: skip
        else:
            r.bad(f"npm registry not reachable from a container ({text.splitlines()[-1][:100] if text else 'error'})",
                  "check the network or HTTPS_PROXY")  # fmt: skip


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
                r.note(f"{path} does not exist yet (the first aishell {name} creates it)")
            elif os.stat(path).st_uid != os.getuid():
                r.bad(f"{path} is owned by uid {os.stat(path).st_uid}, not you", f"sudo chown -R {os.getuid()}:{os.getgid()} {path}")
            else:
                r.ok(f"{path} is yours")
