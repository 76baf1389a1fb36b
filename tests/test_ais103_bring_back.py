"""AIS103's fix never takes back what a `!` line keeps in the context (issue 18, round 16).

The class (red team): with `*` then `!dist` in the ignore file, `dist` is in the context on
purpose, yet the safe fix appended `dist` after that line and excluded it again (the image lost
dist/main.js, its CMD); `!dist/a.js` after `*.map` lost dist/a.js the same way. Generated: ignore
files of exclusions and `!` lines in every spelling BuildKit reads (`!/dist`, `! dist`,
`!./dist/`, wildcards, `**`), with a root or a Dockerfile-specific file, over a context of
artefacts and files below them. The oracle is the context as BuildKit reads the ignore file
(aishell.context, itself checked against moby/patternmatcher's rules): every file the original
file sends and a `!` line brings back is still sent after the fix.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.context import BuildContext, _compile, ignored
from aishell.lint import Options
from aishell.migration import migrate_file
from aishell.migrate.fixer import write_change

FILES = [
    "dist/main.js",
    "dist/a.js",
    "node_modules/m/index.js",
    ".git/HEAD",
    "pkg/__pycache__/x.pyc",
    "build/out",
    "src/app.py",
]
LINES = [
    "*",
    "*.map",
    "**/*.js",
    "dist/tmp",
    ".env",
    "!dist",
    "!/dist",
    "! dist",
    "!./dist/",
    "!dist/main.js",
    "!dist/*.js",
    "!d*",
    "!dis?",
    "!**/main.js",
    "!*/a.js",
    "!**",
    "!pkg/__pycache__",
    "!**/__pycache__/x.pyc",
    "!node_modules/m",
    "!src",
    "!.git/HEAD",
]


def _brought_back(path: str, patterns: list[str]) -> bool:
    """Whether some `!` line matches ``path`` or a folder above it."""
    negations = [p for p in _compile(patterns) or () if p.exclusion]
    parts = path.split("/")
    return any(p.match("/".join(parts[:k])) for p in negations for k in range(1, len(parts) + 1))


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(st.sampled_from(LINES), min_size=1, max_size=5),
    specific=st.booleans(),
    files=st.sets(st.sampled_from(FILES), min_size=1),
)
def test_the_fix_keeps_every_file_a_bang_line_brings_back(tmp_path_factory, lines, specific, files):
    folder = tmp_path_factory.mktemp("ctx")
    for f in files:
        (folder / f).parent.mkdir(parents=True, exist_ok=True)
        (folder / f).write_text("x\n")
    df = folder / "Dockerfile"
    df.write_text("FROM aishell:foundation\nCOPY . /app\n")
    ignore = folder / ("Dockerfile.dockerignore" if specific else ".dockerignore")
    ignore.write_text("".join(line + "\n" for line in lines))
    before = _compile(lines)
    sent = {f for f in files if ignored(f, before) is False and _brought_back(f, lines)}
    change = migrate_file(str(df), Options(use_config=False))
    if not change.changed:
        return
    write_change(change)
    after = BuildContext.for_dockerfile(str(df))
    kept = {f for f in sent if after.ignored(f) is False}
    assert kept == sent, (lines, sorted(sent - kept))
