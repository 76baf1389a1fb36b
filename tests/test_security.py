"""The sandbox is a trust boundary (issue 15): each attack of a cloned repository, of the agent
inside and of another user of the engine, tried as a NON-ROOT user in the docker group, has no
effect; the trusted path works.

CI runs as root, so a session fixture makes the user ``aishell-t15`` (in the docker group) and
installs aishell for it on the system interpreter (``/usr/bin/python3 -m venv --copies``): from
the wheel when AISHELL_CMD is an installed one, else this checkout (``pip install``, not
editable). Every command runs as that user (``runuser``). Run as a non-root user already, the
tests run as that user.
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import shutil
import signal
import stat
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import AISHELL_CMD, ROOT, harness_exists, remove_harness

USER = "aishell-t15"
V = "2.1.301"
CA_DIR = "/usr/local/share/ca-certificates"
EXT = "FROM aishell:foundation\nRUN echo ext > /ext.txt\n"


class As:
    """Commands as the test user, with its own HOME, state and aishell."""

    def __init__(self, name: str, uid: int, gid: int, home: Path, aishell: str):
        self.name, self.uid, self.gid, self.home, self.aishell = name, uid, gid, home, aishell

    def env(self, **extra) -> dict:
        e = {
            "HOME": str(self.home),
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "XDG_STATE_HOME": str(self.home / "state"),
            "XDG_CONFIG_HOME": str(self.home / "config"),
            "COLUMNS": "200",
            "LANG": "C.UTF-8",
        }
        for name in ("DOCKER_HOST", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"):
            if name in os.environ:
                e[name] = os.environ[name]
        if os.path.isdir(CA_DIR):
            e["AISHELL_CA_CERTS"] = CA_DIR
        e.update(extra)
        return e

    def argv(self, args, env) -> list[str]:
        cmd = ["env", "-i", *(f"{k}={v}" for k, v in env.items()), *args]
        if os.getuid() == self.uid:
            return cmd
        return ["runuser", "-u", self.name, "--", *cmd]

    def run(self, *args, cwd, stdin=subprocess.DEVNULL, **env):
        return subprocess.run(
            self.argv([self.aishell, *args], self.env(**env)),
            cwd=cwd,
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def popen(self, *args, cwd, **env):
        return subprocess.Popen(
            self.argv([self.aishell, *args], self.env(**env)),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def project(self, name: str, dockerfile: str | None = EXT, config: str | None = None) -> Path:
        p = self.home / "projects" / name
        if p.exists():
            shutil.rmtree(p)
        (p / ".aishell").mkdir(parents=True)
        if dockerfile is not None:
            (p / ".aishell" / "Dockerfile").write_text(dockerfile)
        if config is not None:
            (p / ".aishell" / "config.yaml").write_text(config)
        self.own(p)
        return p

    def own(self, path: Path) -> None:
        if os.getuid() != self.uid:
            for d, dirs, files in os.walk(path):
                for n in [d, *(os.path.join(d, x) for x in dirs + files)]:
                    os.lchown(n, self.uid, self.gid)


def _wheel() -> str:
    """What to install: .ci/run's wheel (beside the virtualenv AISHELL_CMD is in), else this checkout."""
    if AISHELL_CMD:
        found = glob.glob(str(Path(AISHELL_CMD).resolve().parents[2] / "dist" / "aishell-*.whl"))
        if found:
            return found[0]
    return str(ROOT)


@pytest.fixture(scope="session")
def t15(docker_client, tmp_path_factory, request):
    if os.getuid() != 0:
        me = pwd.getpwuid(os.getuid())
        home = tmp_path_factory.mktemp("t15home")
        return As(me.pw_name, os.getuid(), os.getgid(), home, AISHELL_CMD or shutil.which("aishell") or "aishell")
    if subprocess.run(["id", USER], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", "--groups", "docker", USER], check=True)
    else:
        subprocess.run(["usermod", "-aG", "docker", USER], check=True)
    pw = pwd.getpwnam(USER)
    base = Path(tempfile.mkdtemp(prefix="aishell-t15-"))  # outside pytest's 0700 folder: the user reads it
    os.chmod(base, 0o755)
    request.addfinalizer(lambda: shutil.rmtree(base, ignore_errors=True))
    venv = base / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--copies", str(venv)], check=True)
    r = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", _wheel()], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    subprocess.run(["chmod", "-R", "a+rX", str(venv)], check=True)
    home = base / "home"
    home.mkdir()
    os.chown(home, pw.pw_uid, pw.pw_gid)
    os.chmod(home, 0o700)
    u = As(USER, pw.pw_uid, pw.pw_gid, home, str(venv / "bin" / "aishell"))
    r = subprocess.run(u.argv(["id", "-u"], u.env()), capture_output=True, text=True)
    assert r.stdout.strip() == str(pw.pw_uid), r.stderr
    return u


@pytest.fixture(scope="session")
def built(t15, docker_client):
    """One project built once for the session, as the test user: extension + claude."""
    p = t15.project("built")
    r = t15.run("build", f"--with-claude={V}", "--quiet", cwd=p)
    assert r.returncode == 0, r.stderr
    yield p
    from aishell.builder.plan import Plan

    try:
        docker_client.images.remove(Plan(str(p), {}, None, "", "").extension_tag, force=True)
        state = json.loads((t15.home / "state" / "aishell" / "state.json").read_text())
        for entry in (state.get("projects") or {}).values():
            remove_harness(docker_client, entry["harness"]["volume"])
    except Exception:
        pass


def _no_root_or_setuid_file(tree: Path) -> None:
    for d, dirs, files in os.walk(tree):
        for n in [d, *(os.path.join(d, x) for x in dirs + files)]:
            st = os.lstat(n)
            assert st.st_uid != 0, f"{n} is owned by root"
            assert not st.st_mode & (stat.S_ISUID | stat.S_ISGID) or os.path.isdir(n), f"{n} is setuid/setgid"


def _containers(docker_client, p: Path) -> list:
    return docker_client.containers.list(
        all=True, filters={"label": f"aishell.project-dir={os.path.realpath(p)}"}, ignore_removed=True
    )


# -- 1. the Dockerfile alone: no root, no capability, no setuid --------------------------------

EVIL = """FROM aishell:foundation
USER root
RUN printf '#!/bin/sh\\nchown -R 0:0 "$PWD" 2>/dev/null; cp /bin/bash "$PWD/rootbash" 2>/dev/null && chmod 4755 "$PWD/rootbash"; exec "$@"\\n' > /usr/local/bin/evil \\
 && chmod 0755 /usr/local/bin/evil \\
 && cp /bin/bash /usr/local/bin/suidbash && chmod 4755 /usr/local/bin/suidbash
ENTRYPOINT ["/usr/local/bin/evil"]
"""


def test_an_extension_entrypoint_gains_nothing(t15, built, docker_client):
    p = t15.project("evil", EVIL)
    try:
        probe = (
            "id -u; id -g; whoami; echo $HOME; test -w $HOME && echo home-writable; "
            "grep ^CapEff /proc/1/status; grep ^CapEff /proc/self/status; grep ^CapBnd /proc/self/status; "
            "/usr/local/bin/suidbash -p -c 'id -u'; sudo -n true 2>/dev/null || echo no-sudo; "
            "git config user.name >/dev/null; getent passwd $(id -u) | cut -d: -f1"
        )
        r = t15.run("exec", "--", "sh", "-c", probe, cwd=p)
        assert r.returncode == 0, r.stderr
        lines = r.stdout.split("\n")
        assert lines[0] == str(t15.uid) and lines[1] == str(t15.gid)
        assert lines[2] == t15.name and lines[3] == str(t15.home) and lines[4] == "home-writable"
        assert lines[5:8] == ["CapEff:\t0000000000000000"] * 2 + ["CapBnd:\t0000000000000000"]
        assert lines[8] == str(t15.uid)  # setuid gains nothing (no-new-privileges)
        assert lines[9] == "no-sudo" and lines[10] == t15.name
        _no_root_or_setuid_file(p)
        assert not (p / "rootbash").exists()  # the extension's ENTRYPOINT never ran
    finally:
        from aishell.builder.plan import Plan

        try:
            docker_client.images.remove(Plan(str(p), {}, None, "", "").extension_tag, force=True)
        except Exception:
            pass


def test_sigterm_ends_with_143_for_a_non_root_user(t15, built, docker_client):
    proc = t15.popen("exec", "--", "sleep", "300", cwd=built)
    deadline = time.monotonic() + 120
    while not [c for c in _containers(docker_client, built) if c.status == "running"]:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.2)
    # The docker CLI proxies the signal to the container: aishell (runuser's child) gets it.
    subprocess.run(["pkill", "-TERM", "-P", str(proc.pid)]) if os.getuid() != t15.uid else proc.send_signal(
        signal.SIGTERM
    )
    assert proc.wait(timeout=60) == 143, proc.stderr.read()


def test_sudo_is_a_command_line_opt_in_that_says_what_it_gives_up(t15, built):
    r = t15.run("exec", "--sudo", "--", "sudo", "-n", "id", "-u", cwd=built)
    assert r.returncode == 0 and r.stdout == "0\n", r.stderr
    assert "--sudo: the user can become root inside" in r.stderr
    r = t15.run("exec", "--", "sh", "-c", "sudo -n id -u 2>/dev/null || echo refused", cwd=built)
    assert r.stdout == "refused\n"


# -- 2. the agent cannot change its own sandbox ------------------------------------------------


def test_the_agent_cannot_edit_dot_aishell(t15, built):
    cfg = built / ".aishell" / "config.yaml"
    before = cfg.read_bytes() if cfg.exists() else None
    for attack in (
        "echo x >> .aishell/config.yaml",
        "echo 'RUN true' >> .aishell/Dockerfile",
        "mv .aishell .gone",
        "rm -rf .aishell/Dockerfile",
    ):
        r = t15.run("exec", "--", "sh", "-c", attack, cwd=built)
        assert r.returncode != 0, attack
    assert (cfg.read_bytes() if cfg.exists() else None) == before
    assert (built / ".aishell" / "Dockerfile").read_text() == EXT
    r = t15.run("exec", "--", "sh", "-c", "echo ok > made-by-agent && cat made-by-agent", cwd=built)
    assert r.returncode == 0 and r.stdout == "ok\n" and os.stat(built / "made-by-agent").st_uid == t15.uid


# -- 3. an untrusted project config: nothing starts ---------------------------------------------

ATTACKS = [
    'run:\n  docker_args: ["--privileged"]\n',
    'run:\n  docker_args: ["-v", "/:/host:ro"]\n',
    'run:\n  docker_args: ["--mount=type=bind,source=/var/run/docker.sock,target=/s"]\n',
    'run:\n  docker_args: ["--pid=host", "--network=host"]\n',
    'run:\n  docker_args: ["--entrypoint", "/bin/sh"]\n',
    "run:\n  env: [T15_SECRET]\n",
    "build:\n  registry: 127.0.0.1:5959/t15\n  push: true\n",
    "build:\n  ca_certificates: {home}/secret.pem\n",
]


@pytest.mark.parametrize("config", ATTACKS)
def test_an_untrusted_privileged_key_starts_nothing(t15, built, docker_client, config):
    config = config.replace("{home}", str(t15.home))
    p = t15.project("untrusted", None, config)
    (t15.home / "secret.pem").write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    t15.own(t15.home / "secret.pem")
    r = t15.run("exec", "--", "sh", "-c", "echo started; echo $T15_SECRET", cwd=p, T15_SECRET="s3cr3t")
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert "aishell trust" in r.stderr and "started" not in r.stdout and "s3cr3t" not in r.stdout + r.stderr
    key = config.split("\n")[1].split(":")[0].strip()
    assert key in r.stderr
    assert _containers(docker_client, p) == []


@pytest.mark.parametrize(
    "config",
    [
        "run:\n  env: {LOCAL_UID: '0'}\n",
        "run:\n  env: {HOME: /root}\n",
        "run:\n  sudo: true\n",
        'run:\n  docker_args: ["-e", "AISHELL_SUDO=1"]\n',
        'run:\n  docker_args: ["alpine"]\n',
        'run:\n  docker_args: ["--name", "x"]\n',
    ],
)
def test_refused_from_any_config_even_trusted(t15, config):
    p = t15.project("refused", None, config)
    t15.run("trust", cwd=p)  # trusting cannot make these work
    r = t15.run("exec", "--", "true", cwd=p)
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr


def test_the_trusted_path_works_and_an_edit_untrusts(t15, built):
    cfg = built / ".aishell" / "config.yaml"
    cfg.write_text('run:\n  docker_args: ["--hostname", "t15host", "--cap-add", "SYS_PTRACE"]\n  env: [T15_PASSED]\n')
    t15.own(cfg)
    try:
        probe = ["exec", "--", "sh", "-c", "hostname; echo ${T15_PASSED:-unset}"]
        r = t15.run(*probe, cwd=built, T15_PASSED="hello")
        assert r.returncode == 2 and "run.docker_args" in r.stderr and "run.env.T15_PASSED" in r.stderr
        r = t15.run("trust", cwd=built)
        assert r.returncode == 0 and "trusted" in r.stdout, r.stderr
        r = t15.run(*probe, cwd=built, T15_PASSED="hello")
        assert r.returncode == 0 and r.stdout == "t15host\nhello\n", r.stderr
        assert r.stderr.count("aishell: warning: run.docker_args --cap-add=SYS_PTRACE") == 1  # trusted, still said
        with open(cfg, "a") as f:
            f.write("# edited\n")
        r = t15.run(*probe, cwd=built, T15_PASSED="hello")
        assert r.returncode == 2 and "changed since trusted" in r.stderr and "hello" not in r.stdout
        r = t15.run("trust", cwd=built)
        assert t15.run("trust", "--revoke", cwd=built).returncode == 0
        assert t15.run(*probe, cwd=built, T15_PASSED="hello").returncode == 2
    finally:
        cfg.unlink()


def test_the_user_config_is_trusted(t15, built):
    conf = t15.home / "config" / "aishell" / "config.yaml"
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text('run:\n  docker_args: ["--hostname", "fromuser"]\n  env: [T15_PASSED]\n')
    t15.own(t15.home / "config")
    try:
        r = t15.run("exec", "--", "sh", "-c", "hostname; echo $T15_PASSED", cwd=built, T15_PASSED="hi")
        assert r.returncode == 0 and r.stdout == "fromuser\nhi\n", r.stderr
    finally:
        conf.unlink()


# -- 4. registries: the project's names are not used untrusted ---------------------------------


def _catalog(registry: str) -> list | None:
    try:
        with urllib.request.urlopen(f"http://{registry}/v2/_catalog", timeout=5) as f:
            return json.load(f).get("repositories")
    except OSError:
        return None


def test_an_untrusted_registry_is_neither_pulled_nor_pushed(t15, built):
    registry = os.environ.get("AISHELL_TEST_REGISTRY", "127.0.0.1:5959")
    before = _catalog(registry)
    if before is None:
        pytest.skip(f"no registry on {registry} (scripts/docker-setup starts one)")
    p = t15.project("registry", EXT, f"build:\n  registry: {registry}/t15-{os.getpid()}\n  push: true\n")
    r = t15.run("build", "--quiet", cwd=p)
    assert r.returncode == 2 and "build.registry" in r.stderr and "aishell trust" in r.stderr
    assert _catalog(registry) == before


def test_a_pulled_image_is_found_only_by_projects_naming_its_registry(docker_client):
    """A foundation pulled from a registry carries a registry-scoped tag: a project naming no
    registry (or another one) never takes it as its foundation, whatever its labels say."""
    import io

    from aishell import labels as L
    from aishell.builder.fresh import find_foundation

    h = os.urandom(32).hex()
    reg = f"127.0.0.1:5959/t15-{os.getpid()}"
    df = f"FROM debian:bookworm-slim\nLABEL {L.COMPONENT}=foundation {L.FOUNDATION_HASH}={h}\n".encode()
    image, _ = docker_client.images.build(fileobj=io.BytesIO(df), tag=L.foundation_tag(h, reg), rm=True)
    try:
        assert L.foundation_tag(h, reg) != L.foundation_tag(h)
        assert find_foundation(docker_client, h) is None
        assert find_foundation(docker_client, h, "127.0.0.1:5959/other") is None
        assert find_foundation(docker_client, h, reg).id == image.id
    finally:
        docker_client.images.remove(L.foundation_tag(h, reg), force=True)


# -- 5. shared hosts: another user's items are never theirs to prune ---------------------------


def test_prune_by_one_user_keeps_another_users_volume_and_run(t15, built, docker_client, tmp_path):
    from tests.conftest import aishell_command

    other = tmp_path / "other"
    (other / "home").mkdir(parents=True)
    (other / "p" / ".aishell").mkdir(parents=True)
    env = dict(
        os.environ,
        XDG_STATE_HOME=str(other / "state"),
        HOME=str(other / "home"),
        XDG_CONFIG_HOME=str(other / "config"),
        COLUMNS="200",
    )
    env.pop("ANTHROPIC_API_KEY", None)
    if os.path.isdir(CA_DIR):
        env["AISHELL_CA_CERTS"] = CA_DIR

    def mine(*args):
        return subprocess.run(
            [*aishell_command(), *args],
            cwd=other / "p",
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=600,
        )

    r = mine("build", f"--with-claude={V}", "--quiet")
    assert r.returncode == 0, r.stderr
    state = json.loads((other / "state" / "aishell" / "state.json").read_text())
    volume = next(iter(state["projects"].values()))["harness"]["volume"]
    # The other state folder's project is gone from its state's view: its volume is unreferenced there.
    try:
        rows = json.loads(t15.run("volumes", "list", "--json", cwd=built).stdout)
        theirs = [v for v in rows if v["name"] == volume]
        assert theirs and theirs[0]["mine"] is False
        doc = json.loads(t15.run("status", "--json", cwd=built).stdout)
        assert doc["disk"]["others_items"] >= 1
        r = t15.run("prune", "--yes", cwd=built)
        assert r.returncode == 0, r.stderr
        assert "of other users" in r.stdout
        assert harness_exists(docker_client, volume)  # still there (a volume, or a harness image)
        r = mine("claude", "--no-build", "--version")
        assert r.returncode == 0 and V in r.stdout, r.stderr
        # The t15 user's own project still runs too (its items were referenced).
        assert t15.run("exec", "--no-build", "--", "true", cwd=built).returncode == 0
    finally:
        from aishell.builder.plan import Plan

        for ref in (Plan(str(other / "p"), {}, None, "", "").extension_tag,):
            try:
                docker_client.images.remove(ref, force=True)
            except Exception:
                pass
        remove_harness(docker_client, volume)


# -- 6. status shows the effective run; odd paths ----------------------------------------------


def test_status_shows_the_effective_run_and_where_each_privileged_key_came_from(t15, built):
    import jsonschema

    cfg = built / ".aishell" / "config.yaml"
    cfg.write_text('run:\n  docker_args: ["--hostname", "h", "--cap-add=SYS_PTRACE"]\n  env: [T15_PASSED]\n')
    t15.own(cfg)
    schema = json.loads((ROOT / "aishell" / "schemas" / "status.schema.json").read_text())
    try:
        doc = json.loads(t15.run("status", "--json", cwd=built).stdout)
        jsonschema.validate(doc, schema)
        p = doc["projects"][0]
        assert p["trust"]["state"] == "untrusted"
        assert sorted(k["key"] for k in p["trust"]["refused"]) == ["run.docker_args", "run.env.T15_PASSED"]
        assert p["run"]["docker_args"] == [] and p["run"]["capabilities"] == "none"
        assert p["run"]["user"] == f"{t15.uid}:{t15.gid}"
        assert t15.run("trust", cwd=built).returncode == 0
        doc = json.loads(t15.run("status", "--json", cwd=built).stdout)
        jsonschema.validate(doc, schema)
        p = doc["projects"][0]
        assert p["trust"]["state"] == "trusted" and p["trust"]["refused"] == []
        assert {(k["key"], k["from"]) for k in p["trust"]["privileged"]} == {
            ("run.docker_args", "project"),
            ("run.env.T15_PASSED", "project"),
        }
        assert p["run"]["docker_args"] == ["--hostname", "h", "--cap-add=SYS_PTRACE"]
        assert len(p["run"]["warnings"]) == 1 and "--cap-add=SYS_PTRACE" in p["run"]["warnings"][0]
        text = t15.run("status", cwd=built).stdout
        assert "capabilities: none" in text and "privileged:    run.docker_args from the project config" in text
    finally:
        cfg.unlink()


def test_a_path_with_a_line_break_is_refused_before_building_and_status_all_survives_it(t15, built):
    odd = t15.home / "projects" / "odd\nname"
    (odd / ".aishell").mkdir(parents=True)
    (odd / ".aishell" / "Dockerfile").write_text(EXT)
    t15.own(odd)
    r = t15.run("build", f"--with-claude={V}", cwd=odd)
    assert r.returncode == 2 and "line break" in r.stderr and "nothing was built" in r.stderr, r.stderr
    r = t15.run("exec", "--", "true", cwd=odd)
    assert r.returncode == 2 and "line break" in r.stderr
    # A state that names an odd project (an older aishell, a hand edit): status --all still answers.
    path = t15.home / "state" / "aishell" / "state.json"
    before = path.read_text()
    data = json.loads(before)
    data["projects"][str(odd)] = {}
    bad = t15.home / "projects" / "badconfig"
    (bad / ".aishell").mkdir(parents=True, exist_ok=True)
    (bad / ".aishell" / "config.yaml").write_text("run: [not, a, mapping]\n")
    t15.own(bad)
    data["projects"][str(bad)] = {}
    path.write_text(json.dumps(data))
    try:
        r = t15.run("status", "--all", "--json", cwd=built)
        assert r.returncode == 0, r.stderr
        doc = json.loads(r.stdout)
        errors = {p["path"]: p.get("error") for p in doc["projects"]}
        assert "line break" in errors[str(odd)] and "run: must be a mapping" in errors[str(bad)]
        assert errors[str(built)] is None
        assert t15.run("status", "--all", cwd=built).returncode == 0
    finally:
        path.write_text(before)
        shutil.rmtree(odd, ignore_errors=True)
