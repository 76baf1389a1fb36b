"""A fix is valid or not offered, and no byte is lost, on the Dockerfile syntax a stranger writes
(issue 18): generated, with BuildKit's parser (PyPI `dockerfile`) as the oracle.

tests/test_fix_validity.py generates the shapes that broke fixes before, in files that are
otherwise plain: one line ending for the whole file, directives as written at the top, upper-case
keywords, continuations that end at the escape character. Here the same fixes (AIS001, AIS002,
AIS003, AIS101, AIS102, AIS103) run over the classes those generators do not draw, mixed freely
in one file:

- line endings per line (LF, CRLF, and a lone CR inside a line, which BuildKit keeps as a
  character of it), no final line break, or blanks after the last escape character;
- parser directives indented, upper-case, with tabs around `=`, an unknown one, a `# syntax=`
  or `# check=` before `# escape=`, and a blank line that ends the directives (the `# escape=`
  after it is a comment, and the escape character stays `\\`);
- tabs, vertical tabs, form feeds and no-break spaces in comments and between words;
  blanks after a continuation's escape character; comment, blank and whitespace-only lines
  inside continued instructions;
- keywords in lower and mixed case, ONBUILD forms (continued after ONBUILD, JSON triggers,
  `--mount` from the old image), JSON (exec) forms;
- several heredocs on one line (`<<-`, quoted and escaped delimiters), the harness command
  between them;
- lines a few bytes short of BuildKit's 65,535-byte limit that the AIS001 rewrite would
  carry over it (the fix is then not offered; given as examples: BuildKit's parser takes a
  second over a 64 KB word);
- fixes next to each other: AIS001, AIS002, AIS102 and AIS101 on adjacent lines and on one
  instruction.

Each fix alone must give a file BuildKit reads into the instructions expected (``fix_each``
and ``check_fix`` of test_fix_validity), or be reported as not fixable. The diff `aishell
migrate` prints for such a file applies with `git apply` and with `patch -p1` and gives,
byte for byte, what `--write` writes (the ignore file AIS103 creates or extends too). And an
ignore file the AIS103 fix writes, read as BuildKit reads it (moby/patternmatcher's
ignorefile.ReadAll, written out here), holds every pattern it held, or the root file carried
over held, in order, and then only the exclusions added: a BOM, CRLF, a lone CR, no final
line break, `!` re-includes, indented `#` lines (patterns) and whitespace lines included.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections import Counter

import pytest
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st

from aishell.context import BuildContext
from tests.conftest import FUZZ_SEED
from tests.test_fix_validity import OPTS, _materialise, buildkit, fix_each

pytest.importorskip("dockerfile")

EXAMPLES = int(os.environ.get("AISHELL_FIX_EXAMPLES") or 300)
LIMIT = 65535  # BuildKit's longest line (bufio.Scanner's token limit)

# Directive blocks; `{w}` is a blank character. The escape character they set is the file's
# (a blank line, or an unknown directive's, ends the directives: BuildKit then reads `# escape=`
# as a comment).
HEADS = [
    ("", "\\"),
    ("\ufeff", "\\"),
    ("# escape=`\n", "`"),
    ("{w}# escape=`\n", "`"),
    ("# ESCAPE{w}={w}`{w}\n", "`"),
    ("#escape=`\n", "`"),
    ("\ufeff{w}# Escape=`\n", "`"),
    ("# syntax=docker/dockerfile:1\n# escape=`\n", "`"),
    ("# check=skip=all\n{w}#{w}escape={w}`\n", "`"),
    ("# syntax=docker/dockerfile:1\n\n# escape=`\n", "\\"),
    ("# a comment\n# escape=`\n", "\\"),
    ("# escape=\\\n", "\\"),
]
BLANKS = [" ", "\t", "\x0b", "\x0c", "\u00a0", " \t"]
# Lines with a fix, or next to one; `{e}` is the escape character, `{w}` a blank.
LINES = [
    "FROM aishell:base",
    "from{w}aishell:base AS b",
    "FrOm --platform=$BUILDPLATFORM docker.io/library/aishell:base",
    "FROM {e}\n{w}aishell:base",
    "COPY --from=aishell:base /a /b",
    "run{w}claude -v",
    "Run echo a;claude -v;echo b",
    "RUN echo a {e}{w}\n  && claude -v {e}\t\n  && echo b",
    "RUN echo a {e}\n{w}# inside {e}\n\n{w}\n  && codex --help",
    "RUN {e}\n{w}claude -v",
    "RUN --mount=type=cache,target=/c {e}\n  claude -v",
    'RUN ["claude", "-v"]',
    'run [ "sh", "-c", "claude -v" ]',
    "RUN echo a\rb && claude -v",
    "RUN cat <<A > /a <<-'B' && claude -v && cat <<\"C\"x > /c\na\nA\n\tb\n\tB\nc\nCx",
    "RUN claude -p <<E\\F && echo a\nbody {e}\nEF",
    "RUN <<-EOF\n\tclaude -v\n\techo x\n\tEOF",
    "RUN claude -p <<EOF\r\nhi\r\nEOF",
    "ONBUILD RUN claude -v",
    "onbuild {e}\n  run npm i -g @openai/codex",
    'ONBUILD RUN ["codex", "--help"]',
    "ONBUILD RUN --mount=from=aishell:base,target=/x claude -v",
    "ONBUILD COPY --from=aishell:base /a /b",
    "RUN npm i -g typescript @anthropic-ai/claude-code {e}\n{w}# pinned\n    tsx",
    "RUN npm install -g @openai/codex",
    "ARG BUILD_DATE",
    "arg{w}GIT_SHA",
    "ARG BUILD_DATE=x",
    "LABEL a=b {e}\n  d=$BUILD_DATE",
    "label d=$BUILD_DATE",
    "ENV A=1 {e}{w}\n  B=$GIT_SHA",
    "COPY . .",
    'copy [".", "."]',
    "ADD . /app",
    "RUN pip install -r requirements.txt",
    "RUN npm ci",
    "RUN apt-get update",
    "run{w}pip install .",
    "WORKDIR /app",
    # the shapes AIS101 and AIS102 fix, in the same syntax
    "COPY . .\n{w}# deps\nRUN pip install -r requirements.txt",
    "copy . /app\nrun{w}npm ci",
    'COPY [".", "."]\nRUN pip install -r requirements.txt {e}\n  && echo done',
    "ARG BUILD_DATE\nRUN apt-get update {e}\n  && apt-get install -y x\nLABEL d=$BUILD_DATE",
    "arg{w}GIT_SHA\n# a step\nrun apt-get update\nlabel r=$GIT_SHA",
    "ARG BUILD_DATE\nRUN echo a && claude -v\nENV D=$BUILD_DATE",
]
ABOVE = ["", "", "# note\n", "# aishell: ignore=AIS102 r\n", "\n", "\t# tabbed\n", "{w}\n", "# c\x0c\x1c\u2028 d\n"]
FIRST = [
    "FROM aishell:base\n",
    "FROM aishell:foundation\nWORKDIR /app\n",
    "ARG BUILD_DATE\nFROM debian\nARG BUILD_DATE\n",
    "from aishell:foundation\n",
]


@st.composite
def exotic(draw) -> str:
    head, e = draw(st.sampled_from(HEADS))
    parts = [head, draw(st.sampled_from(FIRST))]
    for _ in range(draw(st.integers(1, 7))):
        parts.append(draw(st.sampled_from(ABOVE)) + draw(st.sampled_from(LINES)).replace("{e}", e) + "\n")
    text = "".join(parts)
    while "{w}" in text:
        text = text.replace("{w}", draw(st.sampled_from(BLANKS)), 1)
    ending = draw(st.integers(0, 2))  # LF, CRLF everywhere, or each line its own
    if ending == 1:
        text = text.replace("\n", "\r\n")
    elif ending == 2:
        lines = text.split("\n")
        text = "".join(ln + ("\r\n" if draw(st.booleans()) else "\n") for ln in lines[:-1]) + lines[-1]
    tail = draw(st.integers(0, 4))
    if tail == 1:
        text = text.rstrip("\r\n")
    elif tail == 2:  # blanks after an escape character at the end of the file
        text = text.rstrip("\r\n") + " " + e + draw(st.sampled_from(["", " ", "\t", "\n", "\n\t"]))
    return text


CONTEXT_FILES = st.lists(
    st.sampled_from(["requirements.txt", "package.json", "__pycache__/", ".git/", "node_modules/", ".venv/"]),
    unique=True,
    max_size=6,
)
ROOT_IGNORES = st.sampled_from([None, "\ufeff.env\n", ".*\r\n!.git/HEAD", "node_modules", "!keep\r", "*.log\n\n"])
SPECIFIC_IGNORES = st.sampled_from([None, None, "\ufeffdist\r\n", "dist\r", "x", ""])


@pytest.mark.parametrize("run_seed", [FUZZ_SEED], ids=lambda s: f"seed={s}")
def test_exotic_syntax_fixes_are_valid_or_refused(run_seed):
    stats = Counter()

    @seed(run_seed)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(exotic(), CONTEXT_FILES, ROOT_IGNORES, SPECIFIC_IGNORES)
    # Lines a few bytes short of the limit: AIS001's rewrite would carry the first two over it
    # (refused); the third's continued line is not the one it edits. (Examples, not drawn: BuildKit
    # reads a 64 KB word in a second.)
    @example("FROM " + " " * (LIMIT - 24) + "aishell:base AS x\nRUN true\n", [], None, None)
    @example("FROM a\nCOPY --from=aishell:base /a /" + "b" * (LIMIT - 32) + "\n", [], None, None)
    @example("FROM aishell:base AS x \\\n" + " " * (LIMIT - 4) + "\n  \n", [], None, None)
    # A blank line ends the directives: the backslash still continues the RUN.
    @example("# syntax=x\n\n# escape=`\nFROM aishell:foundation\nRUN echo a \\\n && claude -v\n", [], None, None)
    def check(text, files, ignore, specific):
        if buildkit(text) is None:
            stats["not a Dockerfile"] += 1
            return
        with tempfile.TemporaryDirectory() as folder:
            _materialise(folder, sorted({*files, "requirements.txt", "package.json"}), ignore, specific)
            if "__pycache__/" in files:
                with open(os.path.join(folder, "__pycache__", "m.pyc"), "w") as f:
                    f.write("x")
            path = os.path.join(folder, "Dockerfile")
            with open(path, "w", newline="") as f:
                f.write(text)
            applied, refused = fix_each(text, path, BuildContext.for_dockerfile(path))
            stats["applied"] += applied
            stats["refused"] += refused

    check()
    print("exotic syntax fixes:", dict(stats))
    # The generator reaches the fixes (most files parse, and most fixes are made).
    assert stats["applied"] > EXAMPLES, stats
    assert stats["not a Dockerfile"] < EXAMPLES // 4, stats


# -- the diff applies, byte for byte ------------------------------------------------------------


def _snapshot(folder: str) -> dict[str, bytes]:
    out = {}
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in names:
            p = os.path.join(root, name)
            if not name.endswith((".orig", ".rej")):
                with open(p, "rb") as f:
                    out[os.path.relpath(p, folder)] = f.read()
    return out


@pytest.mark.skipif(not (shutil.which("git") and shutil.which("patch")), reason="needs git and patch")
@pytest.mark.parametrize("run_seed", [FUZZ_SEED], ids=lambda s: f"seed={s}")
def test_exotic_syntax_diff_applies_as_written(run_seed, monkeypatch):
    """`aishell migrate --unsafe-fixes`'s diff, applied by `git apply` and by `patch -p1` to a
    copy of the project, gives the bytes `--write` writes: the Dockerfile's (its CRs, BOM and
    missing final line break kept) and the ignore file's."""
    from aishell.migrate.fixer import write_change
    from aishell.migration import migrate_file

    stats = Counter()

    @seed(run_seed)
    @settings(
        max_examples=max(EXAMPLES // 6, 20),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(exotic(), CONTEXT_FILES, ROOT_IGNORES, SPECIFIC_IGNORES)
    @example(
        "FROM aishell:base\n# c\x1c d\x85 e\u2028 f\x0c g\x0b h\rk\nRUN echo a && claude -v\r\n# end\r",
        [".git/"],
        "\ufeff.env",
        None,
    )
    def check(text, files, ignore, specific):
        if buildkit(text) is None:
            return
        with tempfile.TemporaryDirectory() as top:
            base = os.path.join(top, "p")
            os.mkdir(base)
            _materialise(base, files, ignore, specific)
            with open(os.path.join(base, "Dockerfile"), "w", newline="") as f:
                f.write(text)
            copies = {k: os.path.join(top, k) for k in ("git", "patch", "write")}
            for c in copies.values():
                shutil.copytree(base, c, symlinks=True)
            monkeypatch.chdir(copies["write"])
            try:
                change = migrate_file("Dockerfile", OPTS, unsafe=True)
            except Exception as e:  # noqa: BLE001  (an InputError: a file aishell refuses, said so)
                assert "line" in str(e) or "nothing was written" in str(e), e
                return
            if not change.changed:
                return
            diff = change.diff_bytes()
            write_change(change)
            written = _snapshot(copies["write"])
            subprocess.run(["git", "init", "-q"], cwd=copies["git"], check=True)
            for tool, cmd in (("git", ["git", "apply", "-"]), ("patch", ["patch", "-s", "-p1"])):
                run = subprocess.run(cmd, cwd=copies[tool], input=diff, capture_output=True)
                assert run.returncode == 0, f"{tool} refused the diff: {run.stderr!r}\n{diff!r}"
                got = _snapshot(copies[tool])
                assert got == written, f"{tool}: {[n for n in written if got.get(n) != written[n]]}\n{diff!r}"
            stats["applied"] += 1

    check()
    print("diffs applied:", dict(stats))
    assert stats["applied"] > max(EXAMPLES // 6, 20) // 3, stats


# -- the ignore file, as BuildKit reads it --------------------------------------------------------

GO_SPACE = " \t\n\x0b\x0c\r\x85\xa0"  # Go's strings.TrimSpace on Latin-1 (unicode.IsSpace)


def read_all(data: bytes) -> list[str]:
    """moby/patternmatcher's ignorefile.ReadAll: lines split at \\n only (bufio.ScanLines, a CR
    before each dropped), a BOM dropped from the first, `#` lines skipped before trimming (an
    indented `#` is a pattern), then TrimSpace; empty ones skipped. (Clean and the `!` are left
    as written: the comparison is of the same lines before and after.)"""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    out = []
    for k, line in enumerate(lines):
        if line.endswith(b"\r"):
            line = line[:-1]
        if k == 0:
            line = line.removeprefix("\ufeff".encode())
        text = line.decode("utf-8")
        if text.startswith("#"):
            continue
        text = text.strip(GO_SPACE)
        if text:
            out.append(text)
    return out


IGNORE_PIECES = [
    ".env",
    "*.log",
    "!keep.log",
    "  # indented",
    "# c",
    "",
    " ",
    "\t",
    "\x0c",
    "!.git/HEAD",
    "a\rb",
    "x\r",
]


@st.composite
def ignore_text(draw) -> str:
    text = "\n".join(draw(st.lists(st.sampled_from(IGNORE_PIECES), max_size=5)))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text + draw(st.sampled_from(["\n", "\r\n", "\r", ""]))


@pytest.mark.parametrize("run_seed", [FUZZ_SEED], ids=lambda s: f"seed={s}")
def test_ignore_file_fix_keeps_every_pattern_as_buildkit_reads_it(run_seed):
    from aishell.migration import fix_text

    stats = Counter()

    @seed(run_seed)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.none() | ignore_text(),
        st.none() | ignore_text(),
        st.lists(st.sampled_from(["__pycache__", ".git", "node_modules", "dist", ".venv"]), min_size=1, unique=True),
    )
    @example("\ufeff.env", None, [".git"])
    @example(None, "\ufeffdist\r\nx", ["node_modules"])
    @example(".env\r", "dist\r", [".git"])
    def check(root, specific, artefacts):
        with tempfile.TemporaryDirectory() as folder:
            for name in artefacts:
                os.makedirs(os.path.join(folder, name))
            for name, content in ((".dockerignore", root), ("Dockerfile.dockerignore", specific)):
                if content is not None:
                    with open(os.path.join(folder, name), "w", newline="") as f:
                        f.write(content)
            text = "FROM aishell:foundation\nCOPY . /app\n"
            path = os.path.join(folder, "Dockerfile")
            with open(path, "w") as f:
                f.write(text)
            result = fix_text(text, path, OPTS, unsafe=True)
            for name, (old, new) in result.files.items():
                assert os.path.basename(name) == "Dockerfile.dockerignore"
                after = read_all(new.encode("utf-8"))
                if old is not None:
                    assert new.startswith(old), "the ignore file lost bytes"
                    before = read_all(old.encode("utf-8"))
                else:
                    before = read_all(root.encode("utf-8")) if root is not None else []
                added = after[len(before) :]
                assert after[: len(before)] == before, f"patterns changed: {before} -> {after}\n{new!r}"
                assert added and not any(p.startswith("!") for p in added), added
                stats["fixed"] += 1

    check()
    print("ignore files fixed:", dict(stats))
    assert stats["fixed"] > EXAMPLES // 3, stats


# -- fixes next to each other ---------------------------------------------------------------------


def _one_at_a_time(text: str, path: str) -> str | None:
    """Every fix applied alone, one after another (the file linted again after each), as a user
    applying them one by one would; None when they do not settle."""
    from aishell.lint import lint_text
    from aishell.migrate import fixer

    refused: set = set()
    for _ in range(40):
        todo = [
            f
            for f in lint_text(text, path, OPTS).findings
            if f.fix and f.fix.edits and (f.code, f.fix.edits) not in refused
        ]
        if not todo:
            return text
        f = todo[0]
        r = fixer.fix_text(text, path, lambda t, p, f=f: [f] if t == text else [], unsafe=True)
        if r.rejected or r.text == text:
            refused.add((f.code, f.fix.edits))
            continue
        text = r.text
    return None


def _shape(cmds):
    """The instructions (keyword, flags, value, heredocs) as a multiset, but ARGs as a set: an ARG
    declared again later in its stage is either removed (AIS102) or moved next to its twin,
    whichever the fixes before it left the chance to."""
    from tests.test_fix_validity import key

    keys = [key(c) for c in cmds]
    return Counter(k for k in keys if k[0] != "ARG"), {k for k in keys if k[0] == "ARG"}


@pytest.mark.parametrize("run_seed", [FUZZ_SEED], ids=lambda s: f"seed={s}")
def test_fixes_together_give_what_they_give_one_at_a_time(run_seed):
    """`migrate --unsafe-fixes` applies the fixes of one pass together (AIS001, AIS002, AIS102,
    AIS101 on adjacent lines and on one instruction): the result holds the instructions and the
    comment lines that applying them one at a time gives (in an order of its own: an ARG may
    land on either side of a neighbour the other fixes moved)."""
    from aishell.lint import lint_text
    from aishell.migrate import fixer
    from tests.test_fix_validity import all_comments, comment_blocks

    stats = Counter()

    @seed(run_seed)
    @settings(
        max_examples=EXAMPLES // 2,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(exotic())
    def check(text):
        if buildkit(text) is None:
            return
        with tempfile.TemporaryDirectory() as folder:
            _materialise(folder, ["requirements.txt", "package.json"], None, None)
            path = os.path.join(folder, "Dockerfile")
            with open(path, "w", newline="") as f:
                f.write(text)
            try:
                together = fixer.fix_text(text, path, lambda t, p: lint_text(t, p, OPTS).findings, unsafe=True).text
            except Exception as e:  # noqa: BLE001  (an InputError: a file aishell refuses, said so)
                assert "line" in str(e) or "nothing was written" in str(e), e
                return
            alone = _one_at_a_time(text, path)
            if alone is None or together == text:
                return
            a, b = buildkit(together), buildkit(alone)
            assert a is not None, f"the fixes together made a file BuildKit rejects:\n{together!r}"
            assert _shape(a) == _shape(b), f"{text!r}\ntogether {together!r}\nalone {alone!r}"
            # (An ARG removed rather than moved takes the comments above it along.)
            source = buildkit(text)
            of_args = Counter(
                c for ins, block in zip(source, comment_blocks(text, source)) if ins[0] == "ARG" for c in block
            )
            ct, ca = all_comments(together, a), all_comments(alone, b)
            assert not (ct - ca) - of_args and not (ca - ct) - of_args, f"{text!r}\n{together!r}\n{alone!r}"
            stats["compared"] += 1

    check()
    print("fixes together:", dict(stats))
    assert stats["compared"] > EXAMPLES // 6, stats
