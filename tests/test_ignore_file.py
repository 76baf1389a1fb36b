"""The ignore file is read as BuildKit reads it (moby/patternmatcher ignorefile.ReadAll), on
generated files: a red-team pass found a BOM before the first pattern kept in it (BuildKit drops
it), so `package-lock.json` looked sent while BuildKit excluded it and AIS101's fix wrote a COPY
of it that fails the build. The class is every way the reading can differ: the BOM, which
characters split lines (only a line feed; a CR before it dropped), what is a comment (a `#` in
the first column only: an indented one is a pattern), and which blanks are trimmed (Go's
unicode.IsSpace: not the \\x1c-\\x1f Python's str.strip takes).

Then how its patterns match. A second red team found AIS101 copying a manifest BuildKit leaves
out: moby/patternmatcher makes each pattern a Go regexp, passing `[`, `]`, `^` and `\\X` through
(`[^a]`, `\\w`, `[[:alpha:]]` are regexp classes there), while aishell read them as globs; and
the classic builder (docker-py) has matching rules of its own (`**log`, `/!x`, a `..` element,
re-inclusion into a folder it skipped). context.ignored answers True, False or "not known", and
a known answer must be both builders' answer: docker-py's exclude_paths is the oracle here (on
generated pattern sets over a tree of files), BuildKit itself in the Docker test below."""

from __future__ import annotations

import unicodedata

import os
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.context import BuildContext, _compile, ignored, read_ignore_patterns


def _go_space(c: str) -> bool:
    """Go's unicode.IsSpace, from its definition: the Latin-1 spaces, then category Z."""
    if c <= "\xff":
        return c in "\t\n\v\f\r \x85\xa0"
    return unicodedata.category(c) in ("Zs", "Zl", "Zp")


def _trim(s: str) -> str:
    a, b = 0, len(s)
    while a < b and _go_space(s[a]):
        a += 1
    while b > a and _go_space(s[b - 1]):
        b -= 1
    return s[a:b]


def _reference(data: bytes) -> list[str]:
    """ignorefile.ReadAll, line by line: bufio.ScanLines, the BOM trimmed from the first line,
    `#` lines skipped before trimming, then strings.TrimSpace, empty lines skipped."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # ScanLines returns no empty last token
    out = []
    for n, raw in enumerate(lines):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if n == 0 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if raw.startswith(b"#"):
            continue
        pattern = _trim(raw.decode("utf-8", errors="replace"))
        if pattern:
            out.append(pattern)
    return out


PIECES = ["\ufeff", "#", " ", "\t", "\r", "\n", "\r\n", "\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u3000", "\f", "\v"]
PIECES += ["a", ".env", "!", "node_modules", "*.log", "/x", "é"]


@settings(max_examples=1500, deadline=None)
@given(text=st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_the_ignore_file_is_read_as_buildkit_reads_it(text, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ctx")
    path = folder / ".dockerignore"
    data = text.encode("utf-8")
    path.write_bytes(data)
    assert read_ignore_patterns(str(path)) == _reference(data), repr(text)


def test_a_bom_before_the_first_pattern_excludes_what_it_names(tmp_path):
    (tmp_path / ".dockerignore").write_bytes(b"\xef\xbb\xbfpackage-lock.json\r\n  # not a comment\n")
    (tmp_path / "Dockerfile").write_text("FROM a\n")
    ctx = BuildContext.for_dockerfile(str(tmp_path / "Dockerfile"))
    assert ctx.is_ignored("package-lock.json")
    assert ctx.is_ignored("# not a comment")


# -- how the patterns match --------------------------------------------------------

TREE = [
    "a/b/c", "b/a", "x.log", "a/x.log", "node_modules/p/x.js", "a/node_modules/q", ".env", "a/.env", "src/app.py",
    "dist/app.js", "build", "abc", "ab", "a.b", "a+b", "a(b)", "foo/bar/baz", "foo.txt", "log", "requirements.txt",
    "package-lock.json", "weird[1]", "w^x", "q$",
]  # fmt: skip
# Pieces of patterns: names, wildcards, separators, `!`, `..`, blanks, the characters Go's
# regexp treats specially (escaped by patternmatcher or passed through).
PATTERN_PIECES = [
    "a", "b", "x", "log", "foo", "src", "node_modules", ".env", "requirements", ".txt", "package", "*", "?", "**", "/",
    ".", "..", "!", " ", "+", "(", "$", "[", "]", "[^a]", "[!a]", "\\w", "\\.", "^", "[a-z]", "*/", "/*", "{", "|",
]  # fmt: skip


def _tree(root):
    for f in TREE:
        os.makedirs(os.path.join(root, os.path.dirname(f)), exist_ok=True)
        with open(os.path.join(root, f), "w") as fh:
            fh.write(f)


def _pattern_sets(seed: int, count: int, pieces=PATTERN_PIECES):
    rnd = random.Random(seed)
    for _ in range(count):
        sets = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 4))) for _ in range(rnd.randint(1, 4))]
        sets = [p.strip() for p in sets if p.strip() and not p.strip().startswith("#")]
        if sets:
            yield sets


@pytest.mark.parametrize("seed", [18, 7, 8])
def test_a_known_answer_is_the_classic_builders(tmp_path, seed):
    """docker-py's exclude_paths (what the classic builder sends) agrees with every answer
    context.ignored knows, on 3 x 2,000 generated pattern sets over the tree."""
    from docker.utils.build import exclude_paths

    _tree(tmp_path)
    checked = 0
    for patterns in _pattern_sets(seed, 2000):
        try:
            sent = exclude_paths(str(tmp_path), list(patterns))
        except Exception:  # a pattern docker-py's fnmatch cannot compile: the build fails
            continue
        compiled = _compile(patterns)
        for f in TREE:
            known = ignored(f, compiled)
            if known is not None:
                checked += 1
                assert known == (f not in sent), (patterns, f, known)
    assert checked > 15_000


PLAIN_PIECES = ["a", "b", "x", "log", "foo", "src", "node_modules", ".env", ".txt", "*", "?", "/", "**/", "/**", "."]


def test_plain_patterns_are_known():
    """Names, `*`, `?` and `**` as a whole path element, with or without a leading `!`: every
    answer is known (only what the builders read differently, or aishell does not read, is not)."""
    rnd = random.Random(7)
    for patterns in _pattern_sets(7, 2000, PLAIN_PIECES):
        patterns = [("!" if rnd.random() < 0.2 else "") + p for p in patterns]
        if any(e != "**" and "**" in e for p in patterns for e in p.lstrip("!").split("/")):
            continue  # `**` glued to a name is read differently by the two builders
        if any(p.lstrip("!").strip("/") in ("", ".") or ".." in p.split("/") for p in patterns):
            continue  # `!/`: BuildKit refuses an exclusion of nothing; `..`: read differently
        compiled = _compile(patterns)
        if any(p.exclusion and p.wild for p in compiled or ()):
            continue  # a wildcard re-inclusion: docker-py's walk may not enter the folder
        for f in TREE:
            assert ignored(f, compiled) is not None, (patterns, f)


def test_buildkit_sends_what_a_known_answer_says(docker_client, tmp_path):
    """BuildKit itself is the oracle: a context of the tree and a generated ignore file, built with
    BuildKit (buildx, or 20.10's client) as `FROM scratch` + `COPY . /` to a local folder, holds exactly the files context.ignored
    says are sent (where it knows)."""
    import subprocess

    from tests.buildlog import buildkit_cli

    cli = buildkit_cli()
    if cli is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI's engines build with BuildKit: scripts/docker-setup gives a CLI for it")
        pytest.skip("no docker CLI with BuildKit")
    build = [cli.cli, "buildx", "build"] if cli.buildx else [cli.cli, "build"]  # 20.10: BuildKit in the client
    checked = 0
    for n, patterns in enumerate(_pattern_sets(26, 12)):
        ctx, out = tmp_path / f"ctx{n}", tmp_path / f"out{n}"
        _tree(ctx)
        (ctx / "Dockerfile").write_text("FROM scratch\nCOPY . /\n")
        (ctx / ".dockerignore").write_text("\n".join(patterns + ["Dockerfile", ".dockerignore"]) + "\n")
        r = subprocess.run(
            [*build, "--output", f"type=local,dest={out}", str(ctx)],
            capture_output=True,
            text=True,
            timeout=120,
            env=dict(os.environ, DOCKER_BUILDKIT="1"),
        )
        if r.returncode != 0:  # a pattern BuildKit refuses: nothing is sent, nothing to compare
            continue
        sent = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
        compiled = _compile(patterns)
        for f in TREE:
            known = ignored(f, compiled)
            if known is not None:
                checked += 1
                assert known == (f not in sent), (patterns, f, known, sorted(sent))
    assert checked > 60


@pytest.mark.parametrize(
    "install,files,line",
    [
        ("pip install -r requirements.txt", {"requirements.txt": "requests\n"}, "requirements.t[^a]t"),
        ("pip install -r requirements.txt", {"requirements.txt": "requests\n"}, "requirement\\w.txt"),
        ("pip install -r requirements.txt", {"requirements.txt": "requests\n"}, "requirements.t[[:alpha:]]t"),
        ("npm ci", {"package.json": "{}", "package-lock.json": "{}"}, "package\\S*"),
        ("npm ci", {"package.json": "{}", "package-lock.json": "{}"}, "**lock.json"),
    ],
)
def test_ais101_offers_no_fix_when_a_pattern_is_not_read(tmp_path, install, files, line):
    """The red team's lines (a Go regexp class or escape, `**` glued to a name): BuildKit leaves
    the manifest out, so AIS101's COPY of it would fail the build: no fix."""
    from aishell.lint import Options
    from aishell.migration import fix_text

    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / ".dockerignore").write_text(line + "\n")
    path = tmp_path / "Dockerfile"
    text = f"FROM aishell:foundation\nWORKDIR /app\nCOPY . .\nRUN {install}\n"
    path.write_text(text)
    assert fix_text(text, str(path), Options(use_config=False), True).text == text


def _regex_before(tokens) -> str:
    """The Python regexp the matcher used before its token simulation (the same as Go's)."""
    import re

    from aishell.context import _ALL, _DSTAR, _ONE, _STAR

    parts = {_ONE: "[^/]", _STAR: "[^/]*", _DSTAR: "(?:.*/)?", _ALL: ".*"}
    return "".join(parts.get(t) or re.escape(t) for t in tokens) + r"\Z"


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", ".", "/", "*", "?", "**/", "/**", "x", "\n"]), min_size=1, max_size=8).map(
        "".join
    ),
    st.lists(st.sampled_from(["a", "b", ".", "/", "x", "ab", "\n", "é"]), max_size=10).map("".join),
)
def test_the_matcher_is_the_regexp_go_runs(pattern, path):
    """The token simulation accepts exactly what the regexp Pattern.compile builds accepts."""
    import re

    from aishell.context import _nfa_match, _Pattern

    p = _Pattern(False, pattern)
    if p.kind != "regexp":
        return
    assert _nfa_match(p.regex, path) == (re.match(_regex_before(p.regex), path) is not None), (pattern, path)


def test_matching_is_linear_in_the_path():
    """`*a*a*a*a*a*a*c` against `a`s: a backtracking engine took 6 s at 80 characters (a red-team
    pass); the simulation is linear in the path (n and 16n, within 10 times the linear time)."""
    from aishell.context import _compile
    from tests.growth import guard

    compiled = _compile(["*a*a*a*a*a*a*a*a*c"])

    def match(n: int) -> None:
        assert ignored("a" * n, compiled) is False

    guard(match, 60)


@pytest.mark.parametrize("pattern", ["[\\]zn]ode_modules", "[^\\]z]ode_modules", "[]_n]ode_modules", "[a\\]]x"])
def test_a_class_with_an_escaped_or_first_bracket_holds_no_plain_text(pattern):
    """A class's members are not text a path must hold, an escaped `]` and a `]` first among them
    (BuildKit's `[\\]zn]` matches `n`): the answer stays unknown where a reading may match."""
    compiled = _compile([pattern])
    assert ignored("node_modules" if "ode" in pattern else "ax", compiled) is None
