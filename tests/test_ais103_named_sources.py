"""AIS103's fix never excludes what the Dockerfile reads from the context by name, and it is
safe only when it excludes nothing but caches (issue 18, red team of session 59).

The class: with `COPY . .` and also `COPY dist/ /srv/`, the safe fix wrote `dist` into the new
ignore file, and the second COPY failed ("not found"); the same for `.git/HEAD`, `dis[t]`,
`*/HEAD`, the JSON form, ADD, a bind mount's `source=`, and a RUN that mounts the whole context
and reads `/ctx/.git`. Generated: context paths x the sources that name them (plain, `./`,
leading `/`, a path inside, wildcards in Go's filepath.Match syntax) x every form that reads the
context (COPY, ADD, JSON, bind mounts with `source`/`src`, a whole-context mount whose command
names the path), and the near misses that read a stage instead (`--from`, `from=`), whose
artefacts the fix must still exclude. The oracle: every path a context-reading source matched
before the fix (Go's filepath.Match, written out here) is still sent after it (aishell.context,
itself checked against moby/patternmatcher's rules), and the fix's safety is SAFE exactly when
everything it excludes is a cache.
"""

from __future__ import annotations

import posixpath
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.context import BuildContext
from aishell.findings import SAFE, UNSAFE
from aishell.lint import Options, lint_file
from aishell.migration import migrate_file
from aishell.migrate.fixer import write_change

FILES = [
    "dist/index.html",
    ".git/HEAD",
    "node_modules/m/index.js",
    "build/out",
    "target/t",
    ".venv/bin/python",
    ".pytest_cache/c",
    "__pycache__/y.pyc",
    ".DS_Store",
    "src/app.py",
]
SOURCES = [
    "dist/",
    "dist",
    "./dist/index.html",
    "/dist",
    ".git/HEAD",
    ".git",
    "node_modules",
    "node_modules/m/",
    "dis[t]",
    "d[^x]st/",
    "dis?",
    "*/HEAD",
    ".gi?",
    "b*/out",
    "target/t",
    ".venv/bin",
    ".pytest_cache",
    "__pycache__/y.pyc",
    ".DS_Store",
    "src/",
]
# What reads the context (True) and what reads a stage (False), for a source {s}.
FORMS = [
    ("COPY {s} /dst/", True),
    ("ADD {s} /dst/", True),
    ('COPY ["{s}", "/dst/"]', True),
    ("RUN --mount=type=bind,source={s},target=/m true", True),
    ("RUN --mount=src={s},dst=/m true", True),
    ("RUN --mount=type=bind,target=/ctx ls /ctx/{s}", True),
    ("COPY --from=s {s} /dst/", False),
    ("RUN --mount=type=bind,from=s,source={s},target=/m true", False),
]
CACHES = {".pytest_cache", "__pycache__", ".DS_Store"}
ARTEFACTS = {".git", "node_modules", ".venv", "build", "dist", "target", ".pytest_cache", "__pycache__", ".DS_Store"}


def _go_match(pattern: str, name: str) -> bool:
    """Go's path/filepath.Match on '/'-separated paths: `*` and `?` never match '/', `[...]`
    classes with `^` to negate, `\\` escaping the next character."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        elif c == "[":
            j = pattern.index("]", i + 1)
            body = pattern[i + 1 : j]
            neg = body.startswith("^")
            body = body[1:] if neg else body
            out.append("[" + ("^/" if neg else "") + body.replace("\\", "\\\\") + "]")
            i = j
        else:
            out.append(re.escape(c))
        i += 1
    return re.fullmatch("".join(out), name) is not None


def _paths(files) -> set[str]:
    """Every file and folder of the context, relative."""
    out = set()
    for f in files:
        parts = f.split("/")
        out.update("/".join(parts[:k]) for k in range(1, len(parts) + 1))
    return out


def _matched(src: str, paths: set[str]) -> set[str]:
    pattern = posixpath.normpath("/" + src).lstrip("/")
    return {p for p in paths if _go_match(pattern, p)}


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    files=st.sets(st.sampled_from(FILES), min_size=1),
    reads=st.lists(st.tuples(st.sampled_from(SOURCES), st.sampled_from(FORMS)), min_size=1, max_size=3),
)
def test_the_fix_keeps_what_the_file_reads_and_is_safe_only_for_caches(tmp_path_factory, files, reads):
    folder = tmp_path_factory.mktemp("ctx")
    for f in files:
        (folder / f).parent.mkdir(parents=True, exist_ok=True)
        (folder / f).write_text("x\n")
    lines = [form.format(s=src) for src, (form, _) in reads]
    df = folder / "Dockerfile"
    df.write_text("FROM aishell:foundation AS s\nFROM aishell:foundation\nCOPY . /app\n" + "\n".join(lines) + "\n")
    paths = _paths(files)
    needed = set().union(*(_matched(src, paths) for src, (_, context) in reads if context))

    found = [v for v in lint_file(str(df), Options(use_config=False, select=["AIS103"])).findings]
    change = migrate_file(str(df), Options(use_config=False), unsafe=True)
    if not found or not change.changed:
        return
    write_change(change)
    after = BuildContext.for_dockerfile(str(df))
    lost = sorted(p for p in needed if after.ignored(p) is not False)
    assert not lost, (lines, lost)

    excluded = {a for a in ARTEFACTS if a in paths and after.ignored(a) is not False}
    # What only a stage reads is no reason to keep an artefact: the fix still excludes it.
    assert excluded, lines
    fix = found[0].fix
    assert fix is not None
    assert fix.applicability == (SAFE if excluded <= CACHES else UNSAFE), (lines, excluded)


def test_a_stage_read_does_not_keep_an_artefact(tmp_path):
    """The near miss on its own: `COPY --from=s dist/ …` reads the stage, so dist is excluded."""
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "a").write_text("x\n")
    df = tmp_path / "Dockerfile"
    df.write_text("FROM aishell:foundation AS s\nFROM aishell:foundation\nCOPY . /app\nCOPY --from=s dist/ /d/\n")
    change = migrate_file(str(df), Options(use_config=False), unsafe=True)
    assert change.changed
    write_change(change)
    assert BuildContext.for_dockerfile(str(df)).ignored("dist") is True
