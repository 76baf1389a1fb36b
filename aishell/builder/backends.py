"""Build backends: BuildKit through a docker CLI, or docker-py's classic builder.

docker-py drives only the classic builder, which on current engines drops
heredoc bodies and rejects ``RUN --mount`` and ``COPY --chmod``. So aishell
builds with BuildKit when a docker CLI offers it (``docker buildx build
--load``, or ``DOCKER_BUILDKIT=1 docker build`` on clients that have it built
in, before 23.0), and otherwise with the SDK; ``AISHELL_BUILDER=buildkit|classic``
forces one. A Dockerfile that needs BuildKit is refused up front when only the
classic builder is available (see ``require``).
"""

from __future__ import annotations


import os
import re
import subprocess
import tempfile
from collections import deque

from aishell.errors import InputError


class BuildError(Exception):
    def __init__(self, step: str | None, tail: list[str], message: str = ""):
        super().__init__(message or f"build failed at {step or 'an unknown step'}")
        self.step = step
        self.tail = tail


class BuildResult:
    def __init__(self, image_id: str, total: int, cached: int):
        self.image_id = image_id
        self.total = total  # steps executed or cached
        self.cached = cached


class Backend:
    name = "?"

    def build(
        self,
        context: str,
        dockerfile: str,
        tags: list[str],
        buildargs: dict[str, str],
        labels: dict[str, str],
        ignore: list[str] | None,
        on_step,
        cache_from: list[str] = (),
        inline_cache: bool = False,
    ) -> BuildResult:
        """``cache_from``: registry images whose inline cache BuildKit may reuse; ``inline_cache``:
        write that cache into the result, so a later build can reuse it after a push."""
        raise NotImplementedError


class BuildKitCLI(Backend):
    """``docker buildx build --load`` or ``DOCKER_BUILDKIT=1 docker build``, parsed from --progress=plain."""

    STEP = re.compile(r"^#(\d+) \[(?:[^\]]*? )?(\d+)/(\d+)\] (.*)$")

    def __init__(self, cli: str, buildx: bool):
        self.cli = cli
        self.buildx = buildx
        self.name = "BuildKit (buildx)" if buildx else "BuildKit (DOCKER_BUILDKIT=1)"

    def build(
        self, context, dockerfile, tags, buildargs, labels, ignore, on_step, cache_from=(), inline_cache=False
    ) -> BuildResult:
        # BuildKit applies <Dockerfile>.dockerignore before the root .dockerignore itself.
        with tempfile.TemporaryDirectory() as tmp:
            iid = os.path.join(tmp, "iid")
            args = [self.cli, "buildx", "build", "--load"] if self.buildx else [self.cli, "build"]
            args += ["--progress=plain", "-f", os.path.join(context, dockerfile), "--iidfile", iid]
            for t in tags:
                args += ["-t", t]
            for k, v in buildargs.items():
                args += ["--build-arg", f"{k}={v}"]
            for k, v in labels.items():
                args += ["--label", f"{k}={v}"]
            for ref in cache_from:
                args += ["--cache-from", ref]
            if inline_cache:
                args += ["--cache-to", "type=inline"] if self.buildx else ["--build-arg", "BUILDKIT_INLINE_CACHE=1"]
            env = dict(os.environ, DOCKER_BUILDKIT="1")
            proc = subprocess.Popen(
                args + [context], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, errors="replace"
            )
            steps: dict[str, str] = {}
            cached: set[str] = set()
            tail: deque[str] = deque(maxlen=30)
            current = None
            try:
                for line in proc.stdout:
                    line = line.rstrip("\n")
                    tail.append(line)
                    m = self.STEP.match(line)
                    if m and m.group(1) not in steps:
                        steps[m.group(1)] = m.group(4)
                        current = m.group(4)
                    elif re.match(r"^#\d+ CACHED", line):
                        cached.add(line.split()[0][1:])
                    on_step(line, None)
                rc = proc.wait()
            except BaseException:
                proc.kill()
                proc.wait()
                raise
            if rc != 0:
                failed = next(
                    (steps.get(line.split()[0][1:]) for line in reversed(tail) if re.match(r"^#\d+ ERROR", line)),
                    current,
                )
                raise BuildError(failed, list(tail))
            with open(iid) as f:
                image_id = f.read().strip()
        for num, text in steps.items():
            on_step(None, (text, num in cached))
        return BuildResult(image_id, len(steps), len([n for n in steps if n in cached]))


class ClassicSDK(Backend):
    """docker-py's classic builder; the context tar is made here, so the ignore file BuildKit
    would use (``<Dockerfile>.dockerignore`` first) applies on this backend too."""

    name = "classic builder (docker SDK)"

    def __init__(self, client):
        self.client = client

    def build(
        self, context, dockerfile, tags, buildargs, labels, ignore, on_step, cache_from=(), inline_cache=False
    ) -> BuildResult:
        # The classic builder neither imports nor exports BuildKit's cache: pull-by-hash only.
        from docker.utils import tar

        rel = (
            os.path.relpath(os.path.join(context, dockerfile), context)
            if not os.path.isabs(dockerfile)
            else os.path.relpath(dockerfile, context)
        )
        fileobj = tar(context, exclude=ignore or [], dockerfile=(rel, None), gzip=False)
        total = cached = 0
        image_id = None
        current = None
        was_cached = False
        tail: deque[str] = deque(maxlen=30)
        stream = self.client.api.build(
            fileobj=fileobj,
            custom_context=True,
            dockerfile=rel,
            tag=tags[0],
            buildargs=buildargs,
            labels=labels,
            rm=True,
            forcerm=True,
            decode=True,
        )
        try:
            for chunk in stream:
                if "error" in chunk:
                    tail.append(chunk["error"].rstrip())
                    raise BuildError(current, list(tail))
                line = chunk.get("stream", "")
                for piece in line.splitlines():
                    tail.append(piece)
                    on_step(piece, None)
                m = re.match(r"Step \d+/\d+ : (.*)", line)
                if m:
                    if current is not None:
                        on_step(None, (current, was_cached))
                    current, was_cached = m.group(1).strip(), False
                    total += 1
                elif "Using cache" in line and current:
                    was_cached = True
                    cached += 1
                if "aux" in chunk and "ID" in chunk["aux"]:
                    image_id = chunk["aux"]["ID"]
        finally:
            fileobj.close()
        if current is not None:
            on_step(None, (current, was_cached))
        if image_id is None:
            raise BuildError(current, list(tail), "the build reported no image id")
        for t in tags[1:]:
            repo, _, tag = t.rpartition(":")
            self.client.api.tag(image_id, repo, tag)
        return BuildResult(image_id, total, cached)


def _buildkit_cli() -> BuildKitCLI | None:
    from aishell.engine import docker_cli_candidates

    candidates = docker_cli_candidates()
    for cli in candidates:
        if subprocess.run([cli, "buildx", "version"], capture_output=True).returncode == 0:
            return BuildKitCLI(cli, True)
    for cli in candidates:
        r = subprocess.run([cli, "version", "--format", "{{.Client.Version}}"], capture_output=True, text=True)
        m = re.match(r"(\d+)\.", r.stdout.strip())
        if r.returncode == 0 and m and 18 <= int(m.group(1)) < 23:
            return BuildKitCLI(cli, False)  # BuildKit built into the client before 23.0
    return None


def choose(client) -> Backend:
    forced = os.environ.get("AISHELL_BUILDER", "").lower()
    if forced == "classic":
        return ClassicSDK(client)
    cli = _buildkit_cli()
    if cli is not None:
        return cli
    if forced == "buildkit":
        raise InputError(
            None,
            "AISHELL_BUILDER=buildkit, but no docker CLI with BuildKit (buildx, or a client before 23.0) was found",
        )
    return ClassicSDK(client)


# Syntax the built-in Dockerfile frontend of engines before 23.0 (BuildKit 0.8, frontend 1.2)
# does not parse: heredocs and the COPY flags of frontend 1.4+.
FRONTEND_14 = ("heredoc", "--link", "--parents", "--exclude", "--checksum", "--keep-git-dir")


def require(
    backend: Backend, path: str, reasons: list[str], engine_version: str = "", own_frontend: bool = False
) -> None:
    """Refuse, up front and in one line, a Dockerfile this backend and engine cannot build.

    The classic builder cannot build any BuildKit-only syntax. BuildKit built into an
    engine before 23.0 cannot build heredocs or frontend-1.4 flags unless the file names
    its own frontend (``# syntax=``), which BuildKit then pulls.
    """
    if reasons and isinstance(backend, ClassicSDK):
        raise InputError(
            path,
            f"needs BuildKit ({'; '.join(reasons[:3])}), but only the classic builder is available: "
            "install docker buildx, or remove the BuildKit-only syntax",
        )
    newer = [r for r in reasons if any(k in r for k in FRONTEND_14)]
    m = re.match(r"(\d+)\.", engine_version)
    if newer and not own_frontend and m and int(m.group(1)) < 23:
        raise InputError(
            path,
            f"needs Dockerfile frontend 1.4+ ({'; '.join(newer[:3])}), but Docker Engine {engine_version} has an "
            "older one built in: upgrade to Engine 23+, or add `# syntax=docker/dockerfile:1` (BuildKit pulls it)",
        )


def write_context(files: dict[str, bytes]) -> str:
    """A temporary build context holding ``files``; the caller removes it."""
    tmp = tempfile.mkdtemp(prefix="aishell-ctx-")
    for name, data in files.items():
        path = os.path.join(tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    return tmp
