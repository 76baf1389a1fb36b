"""AIS101's fix and the paths an install names: two classes a red team found where the moved
install no longer did what it did after `COPY . .`.

1. A path that goes into a folder and back out (`pip install -r ./x/../r.txt`, or `-r
   ../x/../sub/c.txt` inside sub/r.txt): the kernel resolves `x/..` only through a folder that
   exists, and the fix's `COPY r.txt ./` does not make x/, so pip could not open the file.
   Now: no fix, unless the folder gone through is the including file's own or one above it
   (which exist): `-r ../sub/c.txt` inside sub/r.txt keeps its fix.
2. An option whose value is a folder or file the install WRITES, relative (`--target ./vendor`,
   `-t vendor`, `--prefix`, `--root`, `--src`, `--log`, `--report`, `--build`, `--download`,
   `--cache-dir`, by any spelling pip takes): it writes under the working directory, which the
   moved `COPY . .` then overlays (a stale vendor/ from the context over the fresh install).
   Now: no fix; an absolute value away from the copy keeps it.
"""

from __future__ import annotations

import itertools

import pytest

from aishell.lint import Options, lint_text

FILES = {
    "r.txt": "flask\n",
    "sub/r.txt": "-r {include}\n",
    "sub/c.txt": "requests\n",
    "x/keep": "\n",
    "vendor/requests/__init__.py": "\n",
}


def _project(tmp_path, include: str = "c.txt") -> str:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text.format(include=include))
    return str(tmp_path / "Dockerfile")


def _fixes(path: str, run: str) -> list[bool]:
    text = f"FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN {run}\n"
    found = lint_text(text, path, Options(select=["AIS101"], use_config=False)).findings
    return [f.fix is not None for f in found]


# Ways to reach a file from the working directory: (spelling, goes through a folder the fix
# does not make). `{f}` is the file's own path.
DETOURS = [
    ("{f}", False),
    ("./{f}", False),
    ("././{f}", False),
    ("x/../{f}", True),
    ("./x/../{f}", True),
    ("x/./../{f}", True),
    ("x/y/../../{f}", True),
    ("sub/../{f}", True),  # sub/ exists in the context, but the fix copies only r.txt
    ("x/../x/../{f}", True),
]
SPELLINGS = ["-r {p}", "--requirement {p}", "--requirement={p}", "-r{p}"]


@pytest.mark.parametrize("detour,through", DETOURS)
def test_a_path_through_a_folder_the_fix_does_not_make_means_no_fix(tmp_path, detour, through):
    path = _project(tmp_path)
    for spelling in SPELLINGS:
        run = "pip install " + spelling.format(p=detour.format(f="r.txt"))
        assert _fixes(path, run) == [not through], run


# An include in sub/r.txt, read from sub/: (its spelling, goes through a folder not made).
INCLUDES = [
    ("c.txt", False),
    ("./c.txt", False),
    ("../sub/c.txt", False),  # through sub/, the including file's own folder: it exists
    ("../sub/./c.txt", False),
    ("../x/../sub/c.txt", True),
    ("y/../c.txt", True),
    ("../sub/y/../c.txt", True),
]


@pytest.mark.parametrize("include,through", INCLUDES)
def test_an_include_through_a_folder_the_fix_does_not_make_means_no_fix(tmp_path, include, through):
    path = _project(tmp_path, include)
    assert _fixes(path, "pip install -r sub/r.txt") == [not through], include


WRITES = ["target", "prefix", "root", "src", "log", "report", "build", "download", "cache-dir"]
SHORT = {"target": "t", "build": "b", "download": "d"}


def _spellings(option: str, value: str):
    yield f"--{option} {value}"
    yield f"--{option}={value}"
    if len(option) > 5 and option not in ("report", "src"):
        yield f"--{option[:-1]} {value}"  # pip takes any prefix one option alone starts with
    if option in SHORT:
        yield f"-{SHORT[option]} {value}"
        yield f"-{SHORT[option]}{value}"


@pytest.mark.parametrize("option", WRITES)
def test_an_install_writing_under_the_working_directory_means_no_fix(tmp_path, option):
    path = _project(tmp_path)
    for value, spelling in itertools.product(("vendor", "./vendor", "out/x", "$D"), _spellings(option, "{v}")):
        run = f"pip install --upgrade -r r.txt {spelling.format(v=value)}"
        assert _fixes(path, run) == [False], run
    for spelling in _spellings(option, "/opt/out"):
        run = f"pip install -r r.txt {spelling}"
        assert _fixes(path, run) == [True], run
