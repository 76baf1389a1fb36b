"""What users install: the wheel and the sdist carry every file the packages need.

Both are built from a copy of the tracked files (what a fresh clone has) with the
PEP 517 hooks of the project's own build backend. Every non-Python file under a
package folder is package data (templates today), so a new one that the
package-data globs miss fails here, not on a user's machine.
"""

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest

from tests.conftest import ROOT

# Repository folder -> where it lives in the wheel: one top-level package, aishell.
PACKAGES = {"aishell": "aishell", "lint_rules": "aishell/lint_rules", "migrate": "aishell/migrate"}


def package_files(inside: bool = True) -> set[str]:
    """Every file under the package folders (Python or data): as paths inside the wheel, or
    (``inside=False``) as paths in the repository, as the sdist has them."""
    out = set()
    for pkg, dest in PACKAGES.items():
        for folder, dirs, files in os.walk(ROOT / pkg):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in files:
                if not name.endswith((".pyc", ".pyo")):
                    rel = os.path.relpath(os.path.join(folder, name), ROOT / pkg).replace(os.sep, "/")
                    out.add(f"{dest if inside else pkg}/{rel}")
    return out


def _clean_copy(dest) -> None:
    """The tracked files, as a fresh clone has them (or the tree, outside a git checkout)."""
    r = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True)
    if r.returncode != 0:
        shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__"))
        return
    for rel in r.stdout.decode().split("\0"):
        if rel and os.path.isfile(ROOT / rel):
            os.makedirs(os.path.dirname(dest / rel) or dest, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    # Files not tracked yet are in a user's checkout once committed: count them too.
    for rel in package_files(inside=False):
        if not (dest / rel).exists():
            os.makedirs((dest / rel).parent, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    src = tmp_path_factory.mktemp("src") / "aishell"
    out = tmp_path_factory.mktemp("dist")
    _clean_copy(src)
    # As a release: the sdist first, then the wheel built from the unpacked sdist, each in an
    # isolated environment with the build requirements of pyproject.toml.
    r = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(src)], capture_output=True, text=True)
    assert r.returncode == 0, (r.stdout + r.stderr)[-3000:]
    wheel_name = next(p.name for p in out.iterdir() if p.name.endswith(".whl"))
    sdist_name = next(p.name for p in out.iterdir() if p.name.endswith(".tar.gz"))
    with zipfile.ZipFile(out / wheel_name) as z:
        wheel = {n for n in z.namelist() if not n.endswith("/")}
        entry_points = z.read(next(n for n in wheel if n.endswith(".dist-info/entry_points.txt"))).decode()
    with tarfile.open(out / sdist_name) as t:
        top = sdist_name[: -len(".tar.gz")]
        sdist = {m.name[len(top) + 1 :] for m in t.getmembers() if m.isfile()}
    return wheel, sdist, entry_points


def test_the_package_has_data_files_to_check():
    data = {f for f in package_files() if not f.endswith(".py")}
    assert "aishell/templates/foundation/Dockerfile" in data
    assert "aishell/templates/foundation/entrypoint.sh" in data
    assert "aishell/templates/harness/Dockerfile" in data


def test_wheel_carries_every_package_file(built):
    wheel = built[0]
    missing = sorted(package_files() - wheel)
    assert not missing, f"not in the wheel: {missing} (see [tool.setuptools.package-data] in pyproject.toml)"


def test_sdist_carries_every_package_file(built):
    sdist = built[1]
    missing = sorted(package_files(inside=False) - sdist)
    assert not missing, f"not in the sdist: {missing}"


def test_wheel_installs_one_top_level_package(built):
    """No bare `migrate` or `lint_rules` in site-packages, where another distribution's
    package of that name (sqlalchemy-migrate's `migrate`) would shadow it or be shadowed."""
    tops = {n.split("/")[0] for n in built[0] if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"aishell"}, tops


def test_wheel_has_the_console_script(built):
    assert "aishell = aishell.cli:run" in built[2]


def _patterns_need_311() -> list[str]:
    """Module-level patterns of the package that use re syntax Python 3.11 added (possessive
    quantifiers, atomic groups): Python 3.10 refuses them when the module is imported."""
    import importlib
    import re

    try:
        from re import _parser as sre_parse  # 3.11+
    except ImportError:  # pragma: no cover
        import sre_parse

    newer = {"POSSESSIVE_REPEAT", "ATOMIC_GROUP"}

    def ops(parsed):
        for op, arg in parsed:
            yield str(op)
            for a in arg if isinstance(arg, (list, tuple)) else (arg,):
                if isinstance(a, sre_parse.SubPattern):
                    yield from ops(a)
                elif isinstance(a, (list, tuple)):
                    for b in a:
                        if isinstance(b, sre_parse.SubPattern):
                            yield from ops(b)

    found = []
    for path in sorted(package_files()):  # (the checkout's aishell.__path__ holds the checkout)
        if not path.endswith(".py") or path.endswith("__main__.py"):
            continue
        name = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                if newer & set(ops(sre_parse.parse(value.pattern, value.flags))):
                    found.append(f"{module.__name__}.{attr}")
    return found


def test_the_oldest_python_it_admits_reads_its_patterns():
    """requires-python admits no Python that cannot import the package: it once said >=3.10
    while model.py's and shell.py's patterns used 3.11's possessive quantifiers (`re.error:
    multiple repeat` on import, a traceback for every command)."""
    import tomllib

    need = _patterns_need_311()
    assert need, "the check finds the patterns it is about"
    spec = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    lowest = tuple(int(p) for p in spec.removeprefix(">=").split(".")[:2])
    assert lowest >= (3, 11), (spec, need[:5])
