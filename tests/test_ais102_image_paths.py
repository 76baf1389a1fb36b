"""AIS102 reads the requirements file an install reads as the image has it (red-team finding).

`pip install -r r.txt` whose file holds `-e .` (or `.`, or includes one that does) builds the
project, which reads every build ARG from its environment: the fix must not move an ARG past
it. The rule once read `r.txt` from the context's root whatever the WORKDIR and whichever COPY
put the file into the image (`COPY . /app`, `WORKDIR /app/backend`: the image's r.txt is the
context's backend/r.txt), and moved `ARG VERSION` past a project build.

The cases are a product: WORKDIR forms (none, absolute, relative, stacked) × COPY forms (the
whole context to a folder, a subfolder, a renamed file, `--from` another stage, ADD, none) ×
its destination (the working directory, /app) × the requirements (harmless, `-e .`, `.`,
`-r other.txt` including one that builds) × where the file is in the context (root, a
subfolder). The other place holds the opposite content, so reading the wrong file shows.

The oracle is a small model of the image, written here from BuildKit's rules and sharing no
code with the rule: the fix is offered exactly when the file the image holds at the install's
path (and each file it includes, beside it in the image) is known to be a context file, and
builds nothing. After each offered fix, the ARG is never below an install whose image file
builds the project or is not known.
"""

from __future__ import annotations

import itertools
import os
import posixpath
import tempfile

import pytest

from aishell.lint import Options, lint_text
from aishell.migration import fix_text

_OPTS = Options(select=["AIS102"], use_config=False)

WORKDIRS = {
    "none": [],
    "absolute": ["/app"],
    "relative": ["app"],
    "stacked": ["/srv", "app"],
}
COPIES = ("whole", "subfolder", "renamed", "from-stage", "add", "none")
DESTS = (".", "/app")
CONTENTS = {
    "harmless": "flask\n",
    "editable": "-e .\n",
    "dot": ".\n",
    "include": "-r other.txt\n",  # other.txt beside it builds the project
}
PLACES = ("root", "subfolder")
BASE = "B:"  # the base image's working directory, not known


def _workdir(forms: list[str]) -> str:
    cur = BASE
    for w in forms:
        cur = w if w.startswith("/") else (cur.rstrip("/") + "/" + w)
    return cur


def _join(base: str, rel: str) -> str:
    if rel.startswith("/"):
        return posixpath.normpath(rel)
    return base if rel == "." else base.rstrip("/") + "/" + rel


def _context(content: str, place: str) -> dict[str, str]:
    """The context: the tested content at ``place`` (r.txt and r2.txt), the opposite elsewhere,
    and an other.txt beside each (building beside the tested file, harmless beside the other)."""
    builds = content != "harmless"
    here, there = ("", "sub/") if place == "root" else ("sub/", "")
    opposite = "flask\n" if builds else "-e .\n"
    files = {}
    for folder, text, other in ((here, CONTENTS[content], "-e .\n"), (there, opposite, "flask\n")):
        files[folder + "r.txt"] = text
        files[folder + "r2.txt"] = text
        files[folder + "other.txt"] = other
    files["setup.py"] = files["sub/setup.py"] = "import os\nos.environ['VERSION']\n"
    return files


def _image(copy: str, dest: str, workdir: str, place: str, files: dict[str, str]) -> dict[str, str | None]:
    """Image path -> the context file the COPY put there (None: something not known); a path
    not in it is the base image's (not known either). A destination elsewhere than a working
    directory not known may or may not be it: every path of the working directory is then
    not known."""
    if copy == "none":
        return {}
    target = _join(workdir, dest)
    if target.startswith(BASE) != workdir.startswith(BASE):
        return {"*": None}
    folder = "" if place == "root" else "sub/"
    out: dict[str, str | None] = {}
    if copy in ("whole", "add"):
        for f in files:
            out[_join(target, f)] = f
    elif copy == "subfolder":
        for f in files:
            if f.startswith("sub/"):
                out[_join(target, f[4:])] = f
    elif copy == "renamed":
        out[_join(target, "r.txt")] = folder + "r2.txt"
    elif copy == "from-stage":
        out["*" + target] = None
    return out


def _holds(image: dict, path: str) -> str | None:
    if "*" in image:
        return None
    for k in image:
        if k.startswith("*") and (path == k[1:] or path.startswith(k[1:].rstrip("/") + "/")):
            return None
    return image.get(path)


def _harmless(image: dict, path: str, files: dict[str, str], depth: int = 0) -> bool:
    src = _holds(image, path)
    if src is None or depth > 3:
        return False
    text = files[src]
    if text.startswith("-r "):
        return _harmless(image, _join(posixpath.dirname(path), text.split()[1]), files, depth + 1)
    return text == "flask\n"


def _dockerfile(workdirs: list[str], copy: str, dest: str, place: str) -> str:
    folder = "" if place == "root" else "sub/"
    lines = ["FROM aishell:foundation AS other", "RUN true", "FROM aishell:foundation"]
    lines += [f"WORKDIR {w}" for w in workdirs]
    slash = dest.rstrip("/") + "/"
    lines += {
        "whole": [f"COPY . {dest}"],
        "subfolder": [f"COPY sub/ {dest}"],
        "renamed": [f"COPY {folder}r2.txt {slash}r.txt"],
        "from-stage": [f"COPY --from=other /src {dest}"],
        "add": [f"ADD . {dest}"],
        "none": [],
    }[copy]
    lines += ["ARG VERSION", "RUN pip install -r r.txt", "LABEL version=$VERSION"]
    return "\n".join(lines) + "\n"


CASES = list(itertools.product(WORKDIRS, COPIES, DESTS, CONTENTS, PLACES))


@pytest.fixture(scope="module")
def contexts():
    """One context folder per (content, place), made once."""
    with tempfile.TemporaryDirectory() as root:
        made = {}
        for content, place in itertools.product(CONTENTS, PLACES):
            folder = os.path.join(root, f"{content}-{place}")
            files = _context(content, place)
            for rel, text in files.items():
                os.makedirs(os.path.join(folder, posixpath.dirname(rel)), exist_ok=True)
                with open(os.path.join(folder, rel), "w") as f:
                    f.write(text)
            made[(content, place)] = (folder, files)
        yield made


@pytest.mark.parametrize("wd,copy,dest,content,place", CASES)
def test_the_fix_reads_the_file_the_image_holds(contexts, wd, copy, dest, content, place):
    folder, files = contexts[(content, place)]
    workdir = _workdir(WORKDIRS[wd])
    path = _join(workdir, "r.txt")
    safe = _harmless(_image(copy, dest, workdir, place, files), path, files)
    text = _dockerfile(WORKDIRS[wd], copy, dest, place)
    name = os.path.join(folder, "Dockerfile")
    findings = lint_text(text, name, _OPTS).findings
    assert [f.code for f in findings] == ["AIS102"], findings  # the finding stays, fix or not
    offered = findings[0].fix is not None
    assert offered == safe, (text, path, safe)
    new = fix_text(text, name, _OPTS).text
    lines = new.splitlines()
    moved_past = lines.index("ARG VERSION") > lines.index("RUN pip install -r r.txt")
    assert not moved_past or safe, new
    assert moved_past == offered, new


# Writers the product does not draw: a RUN that may write the file, a heredoc, a `cd` before
# the install, a stage built FROM one that copied the file, includes beside a folder's file.
# (Dockerfile lines between FROM and the ARG, context files, whether the fix is offered.)
_HARMLESS = {"r.txt": "flask\n", "r2.txt": "-e .\n", "setup.py": ""}
OTHER_WRITERS = [
    ("WORKDIR /w\nCOPY . .\nRUN cp /src/r2.txt r.txt", _HARMLESS, False),
    ("WORKDIR /w\nCOPY . .\nRUN curl -o r.txt https://example.com/r", _HARMLESS, False),
    ("WORKDIR /w\nCOPY . .\nRUN mv /tmp/x /w/r.txt", _HARMLESS, False),
    ("WORKDIR /w\nCOPY . .\nRUN cp /tmp/x /w/", _HARMLESS, False),
    ("WORKDIR /w\nCOPY . .\nRUN make", _HARMLESS, False),
    ("WORKDIR /w\nCOPY <<EOF r.txt\n-e .\nEOF", _HARMLESS, False),
    ("WORKDIR /w\nCOPY . .\nRUN apt-get update && rm -rf /var/lib/apt/lists/*", _HARMLESS, True),
    ("WORKDIR /w\nCOPY . .\nRUN cp /tmp/x /opt/y", _HARMLESS, True),
    ("WORKDIR /w\nCOPY . .\nCOPY r2.txt /elsewhere/r.txt", _HARMLESS, True),
    ("WORKDIR /w\nCOPY . .\nCOPY r2.txt //w/r.txt", _HARMLESS, False),
    ("WORKDIR /w\nCOPY . .\nWORKDIR ..\nWORKDIR w", _HARMLESS, True),
    ("COPY . .\nWORKDIR ..\nWORKDIR w", _HARMLESS, False),  # above the base image's folder
    ("WORKDIR /w\nCOPY . .\nCOPY --chown=1000 r2.txt r.txt", _HARMLESS, False),
    ("WORKDIR /w\nCOPY . .\nCOPY --exclude=x r2.txt r.txt", _HARMLESS, False),
    ("WORKDIR /w\nCOPY sub/ .", {"r.txt": "flask\n", "sub/r.txt": "-r more.txt\n", "sub/more.txt": "flask\n"}, True),
    ("WORKDIR /w\nCOPY sub/ .", {"r.txt": "flask\n", "sub/r.txt": "-r more.txt\n", "sub/more.txt": "-e .\n"}, False),
    (
        "WORKDIR /w\nCOPY sub/ .\nCOPY more.txt .",
        {"sub/r.txt": "-r more.txt\n", "sub/more.txt": "x\n", "more.txt": "."},
        False,
    ),
    ("WORKDIR /w\nCOPY sub/ .", {"sub/r.txt": "-r ../sub/more.txt\n", "sub/more.txt": "flask\n"}, False),
]


@pytest.mark.parametrize("lines,files,offered", OTHER_WRITERS)
def test_other_writers(tmp_path, lines, files, offered):
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    text = f"FROM aishell:foundation\n{lines}\nARG VERSION\nRUN pip install -r r.txt\nLABEL version=$VERSION\n"
    findings = lint_text(text, str(tmp_path / "Dockerfile"), _OPTS).findings
    assert [f.code for f in findings] == ["AIS102"], findings
    assert (findings[0].fix is not None) == offered, text


@pytest.mark.parametrize(
    "install,offered", [("RUN pip install -r r.txt", True), ("RUN cd /w && pip install -r r.txt", False)]
)
def test_a_stage_reads_what_its_base_stage_copied(tmp_path, install, offered):
    """`FROM build`: the file comes from the stage it is built on (its WORKDIR too); a `cd`
    before the install reads another folder's."""
    (tmp_path / "r.txt").write_text("flask\n")
    text = (
        "FROM aishell:foundation AS build\nWORKDIR /w\nCOPY . .\n"
        f"FROM build\nARG VERSION\n{install}\nLABEL version=$VERSION\n"
    )
    findings = lint_text(text, str(tmp_path / "Dockerfile"), _OPTS).findings
    assert [f.code for f in findings] == ["AIS102"], findings
    assert (findings[0].fix is not None) == offered, text
