import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# When the last Docker test is done, everything set up is torn down (the Docker tests' session
# fixtures remove what they left on the engine) before the other tests go on, and .ci/run is told
# it may switch engines; and under pytest-xdist the other workers yield the CPU to the Docker
# group's: tests/docker_group.py. Its hooks are this file's.
from docker_group import pytest_runtest_setup, pytest_runtest_teardown  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CORPUS = ROOT.parent / "shared" / "corpus" / "dockerfiles"


# The environment of this machine and of CI sets PYTHONDONTWRITEBYTECODE=1: every `aishell` the
# suite runs in a subprocess (thousands) then compiled the checkout's modules afresh, about 0.2 s
# of CPU each (aishell/shell.py alone is 12,000 lines), a fifth of the suite's CPU time. Its
# subprocesses (and pytest-xdist's workers, which start after this file is loaded, from this
# environment) keep their bytecode in a folder of this run's, never in the checkout, removed at
# the end by the process that made it. What aishell does does not depend on it: an installed
# wheel has its bytecode compiled by pip, and the Docker tests of .ci/run use one.
if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) and not os.environ.get("PYTHONPYCACHEPREFIX"):
    import atexit
    import shutil

    os.environ["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="aishell-pytest-pycache-")
    atexit.register(shutil.rmtree, os.environ["PYTHONPYCACHEPREFIX"], True)


# The aishell under test: the command AISHELL_CMD names (.ci/run points it at the wheel installed
# in a fresh virtualenv), else this checkout's package run by the test interpreter.
AISHELL_CMD = os.environ.get("AISHELL_CMD")


# The fuzz test's budget and seed (tests/test_fuzz.py): fixed in size, printed in the header,
# replayed with AISHELL_FUZZ_SEED.
FUZZ_EXAMPLES = int(os.environ.get("AISHELL_FUZZ_EXAMPLES") or 1000)
# CI (CI=true) replays one fixed seed, so a submission lands or fails on its own code, not on
# the draw; everywhere else each run draws a new seed, so developers keep exploring.
CI_FUZZ_SEED = 20261201
FUZZ_SEED = int(
    os.environ.get("AISHELL_FUZZ_SEED")
    or (CI_FUZZ_SEED if os.environ.get("CI") == "true" else random.SystemRandom().randrange(2**32))
)
# pytest-xdist's workers start after this file is loaded, from this environment: every worker
# collects the same seed (else they collect different tests and the run stops).
os.environ["AISHELL_FUZZ_SEED"] = str(FUZZ_SEED)

if os.environ.get("CI") == "true":
    # The property tests (hypothesis) likewise: CI draws the same examples on every run, so a
    # change lands or fails on its own code; elsewhere each run draws new ones.
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, database=None)
    settings.load_profile("ci")


# pytest's own tmp_path names each test's folder by scanning the whole base folder for the
# highest number taken (make_numbered_dir): with thousands of tests a worker, every test read every
# folder made before it, and the suite grew with the square of its size (12,000 empty tests with
# tmp_path: 74 s of CPU, 4,000: 12 s; pytest-dev/pytest#11859 made the scan cheaper, not linear).
# This one takes a folder with a random name in the same base folder (tempfile.mkdtemp: mode 0700,
# as pytest's), kept as pytest keeps its own.
@pytest.fixture
def tmp_path(request, tmp_path_factory) -> Path:
    name = re.sub(r"\W", "_", request.node.name)[:30]
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=tmp_path_factory.getbasetemp()))


def pytest_report_header(config):
    return f"aishell fuzz: seed {FUZZ_SEED} (AISHELL_FUZZ_SEED={FUZZ_SEED} replays it), {FUZZ_EXAMPLES} examples"


def aishell_command() -> list[str]:
    return [AISHELL_CMD] if AISHELL_CMD else [sys.executable, "-m", "aishell"]


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if not p.name.endswith(".dockerignore"))


def sample_dockerfiles() -> list[Path]:
    return sorted(SAMPLES.glob("*/.aishell/Dockerfile"))


def run_cli(*args, cwd=None, input=None, env=None, **kw):
    """Run the real `aishell` entry point in a subprocess: the one way tests call the CLI.

    ``env`` adds to (or, from the ``env`` fixture, replaces) this process's environment;
    other keywords (``timeout``, ``stdin``) go to ``subprocess.run``.
    """
    e = dict(os.environ)
    e.update(env or {})
    e.setdefault("COLUMNS", "200")
    return subprocess.run(
        [*aishell_command(), *map(str, args)],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        env=e,
        **kw,
    )


CA_DIR = "/usr/local/share/ca-certificates"  # this machine's extra CA certificates (a TLS-intercepting proxy)


@pytest.fixture
def env(tmp_path):
    """The environment of an aishell subprocess: its own state folder and HOME in tmp_path,
    the user's engine (DOCKER_HOST) and docker CLI config, this machine's CA certificates,
    and no AISHELL_BUILDER or AISHELL_REGISTRY from the caller. Needs no engine: tests that
    do ask for ``docker_client`` too."""
    (tmp_path / "home").mkdir(exist_ok=True)
    e = dict(os.environ, XDG_STATE_HOME=str(tmp_path / "state"), HOME=str(tmp_path / "home"), COLUMNS="200")
    e.setdefault("DOCKER_CONFIG", os.path.join(os.path.expanduser("~"), ".docker"))  # CLI plugins (buildx), logins
    for name in ("AISHELL_BUILDER", "AISHELL_REGISTRY"):
        e.pop(name, None)
    # The suite's tests of the harness tier speak of the volume layout, which every engine has;
    # the image layout (the default where the engine mounts images) is tests/test_harness_image.py's.
    e["AISHELL_HARNESS_LAYOUT"] = "volume"
    if os.path.isdir(CA_DIR):
        e["AISHELL_CA_CERTS"] = CA_DIR
    return e


def harness_exists(docker_client, name: str) -> bool:
    """The harness ``name`` in either layout: a harness image (a tag) or a harness volume."""
    try:
        (docker_client.images if ":" in name else docker_client.volumes).get(name)
        return True
    except Exception:
        return False


def remove_harness(docker_client, name: str) -> None:
    try:
        if ":" in name:
            docker_client.images.remove(name, force=True)
        else:
            docker_client.volumes.get(name).remove(force=True)
    except Exception:
        pass


def run_bounded(*args, cwd=None, env=None, input=None):
    """``run_cli`` with a timeout: a hang fails the test instead of stalling the suite."""
    return run_cli(*args, cwd=cwd, env=env, input=input, timeout=60)


def one_line(r) -> str:
    """The one line a failing command prints on stderr (never a traceback)."""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    return lines[0]


class Project(type(Path())):
    """A project folder with .aishell/; ``write(rel, text)`` adds files (bytes or exact text)."""

    def write(self, rel, text):
        p = self / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            with open(p, "w", newline="") as f:
                f.write(text)
        return p


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".aishell").mkdir()
    return Project(tmp_path)


@pytest.hookimpl(optionalhook=True)  # (pytest-xdist's hook: a run without the plugin never asks it)
def pytest_xdist_auto_num_workers(config):
    """``-n auto`` (pyproject.toml's addopts): a worker per CPU, and one more when the Docker
    tests may be in the run. Their group holds one worker for as long as they take (about 7
    minutes of CI's 20 for the suite), and that worker mostly waits on the engine (builds, pulls
    through the proxy, containers starting): the extra worker keeps every core on the other tests
    meanwhile (once the group is done, the workers are one more than the CPUs to the end).
    ``-n logical``, PYTEST_XDIST_AUTO_NUM_WORKERS, and a run whose ``-m`` leaves the Docker tests
    out (``not docker``) or holds only them get pytest-xdist's own count."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS") or getattr(config.option, "numprocesses", None) == "logical":
        return None
    marks = re.sub(r"[\s()]", "", config.option.markexpr or "")
    if "notdocker" in marks or marks == "docker":
        return None
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # (not Linux)
        cores = os.cpu_count() or 1
    return cores + 1


def pytest_itemcollected(item):
    """Every test that uses the engine is marked ``docker`` (``pytest -m docker`` runs them), and
    they form one pytest-xdist group: one worker runs them in order (they share the engine, its
    images and prune's view of it), the other workers share the rest. Marked as each test is
    collected: pytest-xdist reads the groups in a ``pytest_collection_modifyitems`` of its own."""
    if "docker_client" in getattr(item, "fixturenames", ()):
        item.add_marker(pytest.mark.docker)
        item.add_marker(pytest.mark.xdist_group("docker"))


# The modules whose tests take longest, the slowest first (`CI=true pytest -m "not docker"
# --durations=250`, session 71, on an idle machine: the sum of each module's listed times; the
# three modules that session cut to a covering set (tests/covering.py) scaled by their cut).
# pytest-xdist hands out a module at a time (--dist loadgroup), by default the modules of most
# tests first: these few-test modules came last, and one worker ran them alone for the last
# minutes of the suite. _longest_first sends the Docker group and these first.
LONGEST_MODULES = (
    "test_subst_plain_fast.py",  # 73 s (about 51 s since session 72 shortened [long]: still first)
    "test_status_walk_fast.py",  # 48 s
    "test_fuzz.py",  # 46 s
    "test_migrate_python_runs.py",  # 37 s
    "test_fed_plain_fast.py",  # 30 s
    "test_plain_line_fast.py",  # 29 s (66 s before the cut)
    "test_plain_rows_fast.py",  # 29 s (60 s)
    "test_robust_r69b_names.py",  # 28 s
    "test_function_unseen_fast.py",  # 25 s
    "test_robust_r69b_hostile.py",  # 24 s
    "test_eval_walk_fast.py",  # 24 s
    "test_migrate_robust.py",  # 22 s
    "test_ais002_line_and_body.py",  # 20 s
    "test_ais002_r68a_outer_params.py",  # 20 s
)


def pytest_configure(config):
    """Under pytest-xdist the modules go to the workers in the order the workers collected them
    (_longest_first's), not reordered by their number of tests (pytest-xdist 3.8's default)."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def _longest_first(items) -> None:
    """The collection reordered for the workers (the same on each): the Docker tests first (one
    group, one worker, about 7 minutes in order), then LONGEST_MODULES, then the other modules,
    those of more tests first (pytest-xdist's own order); within a module, the collection's order."""
    rank = {name: i for i, name in enumerate(LONGEST_MODULES)}
    counts: dict = {}
    for item in items:
        counts[item.path] = counts.get(item.path, 0) + 1

    def key(pair):
        i, item = pair
        if item.get_closest_marker("docker"):
            return (0, 0, 0, i)
        r = rank.get(item.path.name)
        if r is not None:
            return (1, r, 0, i)
        return (2, -counts[item.path], str(item.path), i)

    items[:] = [item for _, item in sorted(enumerate(items), key=key)]


@pytest.hookimpl(trylast=True)  # after pytest-xdist's own, which puts the group in the test's id
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist the Docker group must hold: two Docker tests at once share images and
    prune's view of the engine (and crashed Engine 20.10's BuildKit once). A pytest that drops the
    group (pytest-xdist#1386) stops the run here instead of running them in parallel. On a worker
    the collection is then reordered (_longest_first)."""
    if hasattr(config, "workerinput"):
        _longest_first(items)
    if getattr(config.option, "loadgroup", False):
        loose = [i.nodeid for i in items if i.get_closest_marker("docker") and not i.nodeid.endswith("@docker")]
        if loose:
            raise pytest.UsageError(
                f"pytest-xdist did not group the Docker tests ({loose[0]}): see pyproject.toml's pin"
            )


@pytest.fixture(scope="session", autouse=True)
def installed_aishell():
    """With AISHELL_CMD set, prove it is an installed (not editable) aishell, outside this checkout."""
    if not AISHELL_CMD:
        return
    python = Path(AISHELL_CMD).resolve().parent / "python"
    r = subprocess.run(
        [
            str(python),
            "-c",
            "import aishell.builder.plan as p; print(p.__file__); print(p.template('foundation/Dockerfile')[:1])",
        ],
        cwd="/",
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, f"{AISHELL_CMD}: cannot load aishell and its templates: {r.stderr[-500:]}"
    where = r.stdout.splitlines()[0]
    assert "site-packages" in where and not where.startswith(str(ROOT)), (
        f"{AISHELL_CMD} runs {where}, not an installed wheel"
    )


@pytest.fixture(scope="session")
def docker_client(tmp_path_factory):
    """A docker SDK client for the real engine (DOCKER_HOST or the default socket).

    Without an engine the Docker tests skip locally, but fail in CI (CI=true):
    there `.ci/run` starts one with scripts/docker-setup, so none answering is a bug.
    """
    try:
        import docker

        client = docker.from_env(timeout=30)
        client.ping()
    except Exception as e:  # the SDK raises several types for "no daemon"
        message = f"Docker Engine unreachable ({os.environ.get('DOCKER_HOST') or 'default socket'}): {str(e).splitlines()[0][:200]}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI must run scripts/docker-setup first")
        pytest.skip(message)
    before = _harnesses(client)
    yield client
    _remove_session_harnesses(client, before, tmp_path_factory.getbasetemp())


def _harnesses(client) -> dict[str, dict]:
    """Harness volumes and images on the engine: name -> labels."""
    from aishell import labels as L

    found = {}
    try:
        wanted = {"label": f"{L.COMPONENT}={L.COMPONENT_HARNESS}"}
        for v in client.volumes.list(filters=wanted):
            found[v.name] = v.attrs.get("Labels") or {}
        for i in client.images.list(filters=wanted):
            for tag in i.tags:
                found[tag] = i.labels or {}
    except Exception:  # an engine that stopped answering: nothing to clean
        pass
    return found


# The users tests make (tests/test_security.py): what they own on the engine, the tests made.
TEST_USERS = ("aishell-t15",)


def session_harnesses(now: dict[str, dict], before: dict[str, dict], base: Path) -> list[str]:
    """The harnesses this test session made: new since it began, and owned (``aishell.owner``:
    "<uid>-<hash of the state folder>") by a state folder under the session's temporary folder
    or by a user the tests make. A harness someone else made meanwhile is not theirs to remove."""
    import hashlib
    import pwd

    from aishell import labels as L

    uids = set()
    for user in TEST_USERS:
        try:
            uids.add(str(pwd.getpwnam(user).pw_uid))
        except KeyError:
            pass

    hashes = set()
    for folder, dirs, _ in os.walk(base):
        for d in dirs:
            state = os.path.realpath(os.path.join(folder, d, "aishell"))
            hashes.add(hashlib.sha256(os.fsencode(state)).hexdigest()[:12])  # (a folder may be named with any bytes)

    def ours(owner: str) -> bool:
        uid, _, h = owner.partition("-")
        return h in hashes or uid in uids

    return sorted(name for name, labels in now.items() if name not in before and ours(labels.get(L.OWNER) or ""))


def _remove_session_harnesses(client, before: dict[str, dict], base: Path) -> None:
    """Every test gets its own state folder, so its own owner and its own harness (~0.5 GB):
    left on the engine, a few runs of the suite filled this machine's disk."""
    for name in session_harnesses(_harnesses(client), before, base):
        remove_harness(client, name)


@pytest.fixture(autouse=True)
def _nested_pool_per_test():
    """aishell.shell's nested pool is the file's (start_file sets it, lint_text's files each
    start one); a test that starts one and reads RUNs itself must not leave it to the next test,
    whose walks would read less (xdist's order decides which follows which)."""
    from aishell import shell

    saved = shell._POOL[0]
    yield
    shell._POOL[0] = saved
