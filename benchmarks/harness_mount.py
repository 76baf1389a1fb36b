"""The harness tier as a volume (seeded from a carrier image) against the harness as an image mount.

Run on an engine with image mounts (Engine 28: API 1.48+), as root, with no other user of that engine
(it clears BuildKit's cache between layouts so each update really runs npm):

    eval "$(bash scripts/docker-setup --engine 28 --env)"
    .venv/bin/python benchmarks/harness_mount.py

Both layouts install the same harness with the same recipe (aishell/templates/harness/Dockerfile) on
the same foundation (aishell:foundation, made by `aishell build` when missing):
  volume  build the carrier image (FROM the foundation, npm install -g under /opt/harness), create the
          volume, seed it by creating a container that mounts it, remove the container and the carrier
          (what aishell/builder/volume.py does);
  image   the same build plus a last stage `FROM scratch` + `COPY --from=0 /opt/harness /`: the image
          holds only the harness tree, mounted with --mount type=image,target=/opt/harness.
Measured, per layout: the harness update (claude A -> B, B never built on this engine), the disk
the artifact takes, a teammate's first build from the registry (scripts/docker-setup's loopback
registry: the foundation is present, the harness is pulled), and a run's start (best of 5).
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

A, B = "2.1.300", "2.1.301"
PACKAGE = "@anthropic-ai/claude-code"
FOUNDATION = "aishell:foundation"
REGISTRY = os.environ.get("AISHELL_BENCH_REGISTRY", "127.0.0.1:5959")
CA = "/usr/local/share/ca-certificates"


def sh(*args, **kw) -> str:
    r = subprocess.run(list(args), capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(args)}: exit {r.returncode}: {r.stderr.strip()[-600:]}")
    return r.stdout


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def context(layout: str) -> str:
    from aishell.builder.plan import template

    ctx = tempfile.mkdtemp(prefix="aishell-bench-mount-")
    text = template("harness/Dockerfile")
    text = text.decode() if isinstance(text, bytes) else text
    if layout == "image":
        text += "\nFROM scratch\nCOPY --from=0 /opt/harness /\n"
    Path(ctx, "Dockerfile").write_text(text)
    return ctx


def build(layout: str, version: str, tag: str) -> None:
    ctx = context(layout)
    try:
        sh(
            "docker",
            "buildx",
            "build",
            "--load",
            "-q",
            "-t",
            tag,
            "--build-arg",
            f"FOUNDATION={FOUNDATION}",
            "--build-arg",
            f"PACKAGES={PACKAGE}@{version}",
            ctx,
        )
    finally:
        shutil.rmtree(ctx, ignore_errors=True)


def seed(carrier: str, volume: str) -> None:
    sh("docker", "volume", "create", volume)
    cid = sh("docker", "create", "-v", f"{volume}:/opt/harness", carrier, "true").strip()
    sh("docker", "rm", cid)
    sh("docker", "rmi", carrier)


def mount(layout: str, artifact: str) -> str:
    if layout == "image":
        return f"type=image,source={artifact},target=/opt/harness"
    return f"type=volume,source={artifact},target=/opt/harness,readonly,volume-nocopy"


def disk(layout: str, artifact: str) -> int:
    if layout == "image":
        return int(sh("docker", "image", "inspect", "-f", "{{.Size}}", artifact))
    path = sh("docker", "volume", "inspect", "-f", "{{.Mountpoint}}", artifact).strip()
    return int(sh("du", "-sb", path).split()[0])


def remove(layout: str, artifact: str) -> None:
    subprocess.run(["docker", "volume" if layout == "volume" else "image", "rm", "-f", artifact], capture_output=True)


def measure(layout: str, run_id: str) -> dict:
    tag = f"aishell-bench-{layout}:{run_id}"
    artifact = f"aishell-bench-{run_id}-{layout}" if layout == "volume" else tag
    remote = f"{REGISTRY}/bench{run_id}/{layout}:{B}"

    def make(version: str) -> None:
        if layout == "volume":
            build(layout, version, tag)
            seed(tag, artifact)
        else:
            build(layout, version, tag)

    make(A)  # the installed harness an update starts from
    remove(layout, artifact)
    subprocess.run(["docker", "builder", "prune", "-af"], capture_output=True)  # B is really installed
    before = data_root_bytes()
    t_update = timed(lambda: make(B))
    size = disk(layout, artifact)
    total = data_root_bytes() - before  # the artifact plus what the build leaves (BuildKit's cache)
    out = sh(
        "docker",
        "run",
        "--rm",
        "--init",
        "--mount",
        mount(layout, artifact),
        "--entrypoint",
        "",
        FOUNDATION,
        "/opt/harness/bin/claude",
        "--version",
    )
    assert B in out, out
    t_run = min(
        timed(
            lambda: sh(
                "docker",
                "run",
                "--rm",
                "--init",
                "--mount",
                mount(layout, artifact),
                "--entrypoint",
                "",
                FOUNDATION,
                "true",
            )
        )
        for _ in range(5)
    )
    # What goes to the registry: the carrier (foundation layers + the harness layer), or the image.
    if layout == "volume":
        build(layout, B, tag)  # from the cache: the carrier was removed after seeding
    sh("docker", "tag", tag, remote)
    sh("docker", "push", "-q", remote)
    sh("docker", "rmi", remote)
    remove(layout, artifact)
    subprocess.run(["docker", "rmi", "-f", tag], capture_output=True)
    subprocess.run(["docker", "builder", "prune", "-af"], capture_output=True)  # its layers are not here

    def teammate() -> None:
        sh("docker", "pull", "-q", remote)
        if layout == "volume":
            seed(remote, artifact)

    t_team = timed(teammate)
    remove(layout, artifact)
    subprocess.run(["docker", "rmi", "-f", remote], capture_output=True)
    return {"update": t_update, "disk": size, "total": total, "teammate": t_team, "run": t_run}


def data_root_bytes() -> int:
    root = sh("docker", "info", "-f", "{{.DockerRootDir}}").strip()
    return int(sh("du", "-sb", "-x", root).split()[0])


def ensure_foundation() -> None:
    if subprocess.run(["docker", "image", "inspect", FOUNDATION], capture_output=True).returncode == 0:
        return
    proj = tempfile.mkdtemp(prefix="aishell-bench-proj-")
    os.makedirs(f"{proj}/.aishell")
    env = dict(os.environ, XDG_STATE_HOME=tempfile.mkdtemp(prefix="aishell-bench-state-"))
    if os.path.isdir(CA):
        env["AISHELL_CA_CERTS"] = CA
    sh(sys.executable, "-m", "aishell", "build", "--quiet", cwd=proj, env=env)


def main() -> None:
    version = sh("docker", "version", "-f", "{{.Server.Version}} (API {{.Server.APIVersion}})").strip()
    buildx = sh("docker", "buildx", "version").split()[1]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; Docker Engine {version}, buildx {buildx}")
    ensure_foundation()
    rounds = int(os.environ.get("AISHELL_BENCH_ROUNDS", "3"))
    runs: dict[str, list[dict]] = {"volume": [], "image": []}
    for i in range(rounds):  # alternating, so drift in npm's speed hits both layouts
        for layout in ("volume", "image") if i % 2 == 0 else ("image", "volume"):
            runs[layout].append(measure(layout, uuid.uuid4().hex[:8]))

    def med(layout: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[layout])

    print(f"medians of {rounds} rounds{'':16}{'volume':>10}{'image':>10}")
    print(f"{'harness update ' + A + ' -> ' + B:34}{med('volume', 'update'):9.1f}s{med('image', 'update'):9.1f}s")
    print(f"{'disk: the artifact':34}{med('volume', 'disk') / 1e6:8.1f}MB{med('image', 'disk') / 1e6:8.1f}MB")
    print(
        f"{'disk: data root growth (+cache)':34}{med('volume', 'total') / 1e6:8.1f}MB{med('image', 'total') / 1e6:8.1f}MB"
    )
    print(f"{'teammate: from the registry':34}{med('volume', 'teammate'):9.1f}s{med('image', 'teammate'):9.1f}s")
    print(f"{'a run starts (best of 5)':34}{med('volume', 'run'):9.2f}s{med('image', 'run'):9.2f}s")
    for layout in runs:
        print(
            f"  {layout}: "
            + "; ".join(f"update {r['update']:.1f}s teammate {r['teammate']:.1f}s" for r in runs[layout])
        )


if __name__ == "__main__":
    main()
