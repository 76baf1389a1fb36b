"""migrate loses no byte and one bad file never stops the run (issue 18).

Each test generates its class: Python sources with every line ending, BOMs, control
characters and literals of every quoting; ignore files of every shape; modes with the
setuid, setgid and sticky bits on files root migrates for another user; files edited
while migrate runs; pathological Python of every nesting shape; diffs of files holding
every character str.splitlines would split on.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
import tokenize
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.errors import InputError
from aishell.lint import Options
from aishell.migration import linter, migrate_file
from aishell.migrate.fixer import write_change
from aishell.migrate import python_refs
from aishell.migrate.python_refs import MAX_DEPTH, bracket_depth, rewrite_python_bounded
from tests.conftest import aishell_command, run_cli
from tests.growth import cpu_time

OPTS = Options(use_config=False)
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# -- Python: byte-exact outside the rewritten literals ----------------------------------------

REWRITTEN = ['"aishell:base"', "'aishell:base'", '"""aishell:base"""', "r'aishell:base'", 'f"aishell:base"']
KEPT = ['"aishell:base is gone"', 'b"aishell:base"', '"aishell:base" "-custom"', 'f"{x}aishell:base"', "'x'"]
NOISE = ["# aishell:base in a comment\x0c", "pass", "y = 1  # \x0b\x1c\x85\u2028", "z = ('a'\n     'b')"]


@st.composite
def python_sources(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.integers(0, 2))
        if kind == 0:
            lines.append(f"v{len(lines)} = {draw(st.sampled_from(REWRITTEN))}")
        elif kind == 1:
            lines.append(f"w{len(lines)} = {draw(st.sampled_from(KEPT))}")
        else:
            lines.append(draw(st.sampled_from(NOISE)))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = ending.join(ln.replace("\n", ending) for ln in lines)
    text += draw(st.sampled_from(["", ending, ending + ending]))
    return draw(st.sampled_from(["", "\ufeff"])) + text


@SETTINGS
@given(python_sources())
def test_python_bytes_outside_the_literals_are_kept(text):
    try:
        new, warnings, count = rewrite_python_bounded(text, "x.py")
    except InputError:
        return  # not Python for CPython (a lone CR inside brackets, say): refused, one line
    # The only change: the image name, inside literals.
    assert new.replace("aishell:foundation", "aishell:base") == text
    assert count == new.count("aishell:foundation")
    for kept in ('"aishell:base is gone"', 'b"aishell:base"', '"aishell:base" "-custom"', 'f"{x}aishell:base"'):
        assert text.count(kept) == new.count(kept)
    if '"aishell:base" "-custom"' in text:
        assert any("concatenated" in w for w in warnings)


def test_python_file_ending_with_a_lone_cr_keeps_it(project):
    py = project.write("a.py", "")
    py.write_bytes(b'IMAGE = "aishell:base"\rOTHER = 1\r')
    r = run_cli("migrate", "--write", py)
    assert r.returncode == 0, r.stderr
    assert py.read_bytes() == b'IMAGE = "aishell:foundation"\rOTHER = 1\r'


def test_implicit_concatenation_is_left_alone_with_a_warning_not_refused(project):
    py = project.write("a.py", 'A = "aishell:base" "-custom"\nB = "aishell:base"\n')
    r = run_cli("migrate", "--write", py)
    assert r.returncode == 0, r.stderr
    assert py.read_text() == 'A = "aishell:base" "-custom"\nB = "aishell:foundation"\n'
    assert "concatenated" in r.stderr


# -- ignore files: appended to, every byte before kept -----------------------------------------


@SETTINGS
@given(
    st.sampled_from(["", "\ufeff"]),
    st.lists(st.sampled_from(["dist", ".env", "# c", "*.log", "!keep.log", "", "a b"]), max_size=4),
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from(["", "\n", "\r\n", "\r"]),
)
def test_an_existing_ignore_file_keeps_every_byte(tmp_path_factory, bom, lines, ending, tail):
    folder = tmp_path_factory.mktemp("ctx")
    (folder / "node_modules").mkdir()
    (folder / ".git").mkdir()
    df = folder / "Dockerfile"
    df.write_text("FROM aishell:foundation\nCOPY . /app\n")
    old = (bom + ending.join(lines) + tail).encode()
    ignore = folder / "Dockerfile.dockerignore"
    ignore.write_bytes(old)
    change = migrate_file(str(df), OPTS)
    if not change.changed:
        return
    write_change(change)
    new = ignore.read_bytes()
    assert new.startswith(old)
    assert "\ufeff" not in new.decode()[1:]
    # Every artefact is now excluded, as BuildKit reads the file.
    from aishell.context import BuildContext

    ctx = BuildContext.for_dockerfile(str(df))
    assert ctx.is_ignored("node_modules") and ctx.is_ignored(".git")


@pytest.mark.parametrize("bom", ["\ufeff", ""])
def test_root_ignore_file_with_a_bom_still_excludes_its_first_pattern(project, bom):
    root = project
    (root / ".pytest_cache").mkdir()  # (a cache: AIS103's safe fix)
    (root / ".dockerignore").write_bytes((bom + ".env\nsecret/\n").encode())
    df = project.write("Dockerfile", "FROM aishell:foundation\nCOPY . /app\n")
    r = run_cli("migrate", "--write", df)
    assert r.returncode == 0, r.stderr
    assert "1 fix applied, created" in r.stdout  # a file edit is a fix like any other
    text = (root / "Dockerfile.dockerignore").read_text()
    assert "\ufeff" not in text
    from aishell.context import BuildContext

    assert BuildContext.for_dockerfile(str(df)).is_ignored(".env")


# -- mode, owner, and edits made while migrate runs --------------------------------------------

MODES = [0o2775, 0o4755, 0o6750, 0o1777, 0o644, 0o600, 0o2770]


@pytest.mark.skipif(os.geteuid() != 0, reason="root migrating another user's file")
@pytest.mark.parametrize("mode", MODES, ids=oct)
@pytest.mark.parametrize("kind", ["Dockerfile", "app.py"])
def test_root_keeps_the_full_mode_and_the_owner(project, mode, kind):
    path = project.write(kind, "FROM aishell:base\n" if kind == "Dockerfile" else 'I = "aishell:base"\n')
    os.chown(path, 4321, 4322)
    os.chmod(path, mode)
    r = run_cli("migrate", "--write", path)
    assert r.returncode == 0, r.stderr
    st_ = os.stat(path)
    assert stat.S_IMODE(st_.st_mode) == mode
    assert (st_.st_uid, st_.st_gid) == (4321, 4322)
    assert "aishell:foundation" in path.read_text()


@pytest.mark.parametrize("edit", [b"", b"# edited\n", b"FROM aishell:base\n", b"FROM aishell:base\nRUN x\n"])
def test_a_file_changed_after_it_was_read_is_never_overwritten(project, edit):
    df = project.write("Dockerfile", "FROM aishell:base\n")
    lint = linter(OPTS)

    def editing_linter(text, path):  # someone saves the file while migrate works on it
        with open(path, "ab") as f:
            f.write(edit or b" ")
        return lint(text, path)

    from aishell.migrate import fixer

    before = df.read_bytes()
    result = fixer.migrate_paths([str(df)], editing_linter, write=True)
    now = df.read_bytes()
    assert now.startswith(before + (edit or b" ")) and b"aishell:foundation" not in now
    assert len(result.errors) == 1 and "changed while aishell was working" in str(result.errors[0])
    assert str(result.errors[0]).count("\n") == 0


def test_changed_while_working_is_exit_2_one_line(project):
    """The same through the CLI: the file changes between read and write (a pre-read hook)."""
    df = project.write("Dockerfile", "FROM aishell:base\n")
    code = (
        "import sys\n"
        "from aishell import lint as L\n"
        "orig = L.lint_text\n"
        "def lint_text(text, path, *a, **k):\n"
        "    open(path, 'a').write('# saved meanwhile\\n')\n"
        "    return orig(text, path, *a, **k)\n"
        "L.lint_text = lint_text\n"
        "import aishell.migration as M\n"
        "M.lint_text = lint_text\n"
        "from aishell.cli import main\n"
        f"main(['migrate', '--write', {str(df)!r}])\n"
    )
    import sys

    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("aishell:")]
    assert len(lines) == 1 and "changed while aishell was working" in lines[0] and "Traceback" not in r.stderr
    assert df.read_text().startswith("FROM aishell:base\n# saved meanwhile\n")


# -- one bad file never stops the run ----------------------------------------------------------


def _deep(shape: str, n: int) -> str:
    if shape == "sum":
        return "+".join(["a"] * n)
    if shape == "parens":
        return "(" * n + "a" + ")" * n
    if shape == "lists":
        return "[" * n + "]" * n
    if shape == "calls":
        return "f(" * n + ")" * n
    if shape == "attrs":
        return "a" + ".b" * n
    if shape == "not":
        return "not " * n + "a"
    return "-" * n + "a"


@settings(max_examples=25, deadline=None, database=None)
@given(st.sampled_from(["sum", "parens", "lists", "calls", "attrs", "not", "unary"]), st.integers(MAX_DEPTH + 1, 12000))
def test_pathological_python_is_one_error_never_a_crash(shape, n):
    src = f'IMAGE = "aishell:base"\nX = {_deep(shape, n)}\n'
    try:
        new, _, _ = rewrite_python_bounded(src, "deep.py")
    except InputError as e:
        assert str(e).startswith("deep.py: ") and "\n" not in str(e)
        return
    assert new.replace("aishell:foundation", "aishell:base") == src  # shallow enough after all


@settings(max_examples=20, deadline=None, database=None)
@given(st.sampled_from(["sum", "attrs", "not", "unary"]), st.integers(MAX_DEPTH - 60, MAX_DEPTH + 120))
def test_deep_python_around_the_bound_in_the_rewritten_statement(shape, n):
    """The image and the deep expression in one statement: libcst gets it (or the file is
    refused with one line); never a crash, never a misleading 'not valid Python'."""
    src = f'X = ("aishell:base", {_deep(shape, n)})\n'
    try:
        new, _, _ = rewrite_python_bounded(src, "deep.py")
    except InputError as e:
        assert "deep" in str(e) and "not valid Python" not in str(e) and "\n" not in str(e), e
        return
    assert new.replace("aishell:foundation", "aishell:base") == src


# Brackets CPython's tokenizer refuses (more than 200 nested) and libcst reads at a cost growing
# with the square of the depth: `f(` 1,200 times (2 KB) took 28 s before libcst crashed.
BRACKETS = {
    "calls": ("f(", ")"),
    "lists": ("[", "]"),
    "parens": ("(", ")"),
    "dicts": ("{1: ", "}"),
    "items": ("a[", "]"),
}
NOISE = ["", "# ((((((((\n", "S = '[[[[[[' + \"{{{{\" + '''((\n((('''\n"]


@settings(max_examples=40, deadline=None, database=None)
@given(st.sampled_from(sorted(BRACKETS)), st.integers(MAX_DEPTH + 1, 3000), st.sampled_from(NOISE))
def test_brackets_nested_past_the_bound_never_reach_libcst(shape, n, noise):
    """Past MAX_DEPTH the file is refused with one line before libcst runs at all."""
    opening, closing = BRACKETS[shape]
    src = f'IMAGE = "aishell:base"\n{noise}X = {opening * n}a{closing * n}\n'
    with mock.patch.object(python_refs, "_isolated", side_effect=AssertionError("libcst ran")):
        with pytest.raises(InputError) as refused:
            rewrite_python_bounded(src, "deep.py")
    message = str(refused.value)
    assert message.startswith("deep.py: ") and f"nested more than {MAX_DEPTH}" in message and "\n" not in message


@settings(max_examples=8, deadline=None, database=None)
@given(st.sampled_from(sorted(BRACKETS)), st.integers(201, MAX_DEPTH), st.sampled_from(NOISE))
def test_brackets_within_the_bound_still_go_to_libcst(shape, n, noise):
    """Up to MAX_DEPTH (brackets in strings and comments not counted) libcst still reads it."""
    opening, closing = BRACKETS[shape]
    src = f'IMAGE = "aishell:base"\n{noise * 40}X = {opening * n}a{closing * n}\n'
    ran = []
    real = python_refs._isolated

    def spy(work):
        ran.append(True)
        return real(work)

    with mock.patch.object(python_refs, "_isolated", spy):
        try:
            rewrite_python_bounded(src, "deep.py")
        except InputError:
            pass
    assert ran


_PIECES = ["(", ")", "[", "]", "{", "}", "x", " ", "'(['", '"{)"', "'''(\n['''", "r'\\'", "# ((\n", "\n", "b'['"]


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_bracket_depth_is_the_tokenizers(pieces):
    """bracket_depth counts the brackets Python's tokenizer reads as operators, none in strings
    or comments (the pure-Python tokenizer of CPython 3.11: no limit of its own)."""
    text = "".join(pieces)
    depth = deepest = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.OP and tok.string in "([{":
                depth += 1
                deepest = max(deepest, depth)
            elif tok.type == tokenize.OP and tok.string in ")]}":
                depth = max(depth - 1, 0)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return  # (not Python the tokenizer reads to its end: no answer to compare with)
    assert bracket_depth(text) == deepest, text


# Shapes CPython's tree keeps flat and libcst nests one level per item: a chain of `and`/`or`,
# a dotted name in an import, implicitly concatenated strings (plain and f-strings). Measured
# by CPython's depth alone, 10,000 of them passed the bound and crashed the interpreter inside
# libcst (SIGSEGV: the whole run lost, the other files too).
def _flat(shape: str, n: int) -> str:
    """A statement that names the image where libcst must read it (an escape), with ``n`` items
    of ``shape``."""
    image = "'aishell\\x3abase'"
    if shape in ("and", "or"):
        return f"X = {f' {shape} '.join(['a'] * n)} {shape} {image}\n"
    if shape == "import":
        return f"import {'.'.join(['a'] * n)}; X = {image}\n"
    if shape == "from":
        return f"from {'.'.join(['a'] * n)} import b; X = {image}\n"
    if shape == "fstrings":
        return f"X = ({image}, {' '.join(['f' + repr('a{b}')] * n)})\n"
    if shape == "ustrings":  # (CPython's columns count UTF-8 bytes)
        word = repr("\u00e9\u2028x")
        return f"X = ({image}, {' '.join([word] * n)})\n"
    return f"X = ({image}, {' '.join(['{!r}'.format('a')] * n)})\n"


FLAT = ["and", "or", "import", "from", "strings", "fstrings", "ustrings"]


def _cst_depth(node) -> int:
    """libcst's own nesting of ``node`` (iteratively)."""
    deepest, todo = 0, [(node, 1)]
    while todo:
        n, d = todo.pop()
        deepest = max(deepest, d)
        todo.extend((c, d + 1) for c in n.children)
    return deepest


@settings(max_examples=60, deadline=None, database=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(FLAT + ["sum", "calls", "attrs", "not"]), st.integers(1, 90)), min_size=1, max_size=3
    )
)
def test_the_depth_bound_measures_what_libcst_nests(parts):
    """The bound libcst is trusted with is measured on libcst's nesting, not CPython's: for any
    mix of shapes (flat in CPython's tree or not), libcst's tree is no deeper than a small
    multiple of the measure (CPython's depth alone missed every flat shape)."""
    import ast

    import libcst

    from aishell.migrate.python_refs import _depth, _offsets

    src = "".join(_flat(s, n) if s in FLAT else f"X = ('aishell:base', {_deep(s, n)})\n" for s, n in parts)
    tree, module = ast.parse(src), libcst.parse_module(src)
    lines = _offsets(src)
    for node, stmt in zip(tree.body, [s for line in module.body for s in getattr(line, "body", [line])]):
        assert _cst_depth(stmt) <= 4 * _depth(node, src, lines) + 8, ast.unparse(node)[:80]


@pytest.mark.parametrize("shape", FLAT)
def test_flat_shapes_past_the_bound_are_one_line_never_a_crash(tmp_path, shape):
    """10,000 items of a shape libcst nests: one line naming the file, exit 2, the other file
    migrated; never a signal (run in a subprocess: the crash took the interpreter)."""
    (tmp_path / "deep.py").write_text(_flat(shape, 10_000))
    ok = tmp_path / "ok.py"
    ok.write_text("X = 'aishell:base'\n")
    r = run_cli("migrate", "--write", tmp_path / "deep.py", ok, timeout=60)
    assert r.returncode == 2, (r.returncode, r.stderr[-300:])
    assert r.stderr.count("\n") == 1 and "deep.py: nested more than" in r.stderr, r.stderr
    assert ok.read_text() == "X = 'aishell:foundation'\n"


@settings(max_examples=6, deadline=None, database=None)
@given(st.sampled_from(["list", "dict", "call", "set"]), st.integers(1, 3))
def test_a_statement_too_large_for_libcst_is_one_line(shape, over):
    """A statement that only libcst can rewrite (an escape spells the image) larger than
    MAX_LIBCST_CHARS is refused with one line naming its line, before libcst reads it (its tree
    costs ~1.7 KB a character: 10 MB would take the run down); a plain literal's statement of
    any size needs no libcst and is rewritten."""
    from aishell.migrate.python_refs import MAX_LIBCST_CHARS

    items = {"list": "[{}]", "dict": "{{{}}}", "call": "f({})", "set": "{{{}}}"}[shape]
    body = ", ".join(f"{k}: a" if shape == "dict" else "a" for k in range(MAX_LIBCST_CHARS // 3 + over * 100))
    assert len(body) > MAX_LIBCST_CHARS
    first = "'aishell:base': a" if shape == "dict" else "'aishell:base'"
    src = "import os\n\nX = " + items.format(first + ", " + body) + "\n"
    new, _, count = rewrite_python_bounded(src, "big.py")  # plain: no libcst, any size
    assert count == 1 and new == src.replace("aishell:base", "aishell:foundation", 1)
    escaped = src.replace("'aishell:base'", "'aishell\\x3abase'", 1)
    with pytest.raises(InputError, match=r"^big\.py: line 3: a statement .* too large to rewrite safely"):
        rewrite_python_bounded(escaped, "big.py")


def test_one_bad_file_is_one_line_and_the_others_are_migrated(project):
    good = project.write("a/Dockerfile", "FROM aishell:base\n")
    good_py = project.write("b/app.py", 'I = "aishell:base"\n')
    bad = {
        "c/deep.py": 'I = "aishell:base"\nX = ' + "+".join(["a"] * 10000) + "\n",
        "d/broken.py": "I = ('aishell:base'\n",
        "e/Dockerfile": None,  # not UTF-8
        "f/Dockerfile": "FROM aishell:base\nRUN <<EOF\nno end\n",  # BuildKit rejects it
    }
    for rel, text in bad.items():
        if text is None:
            project.write(rel, b"FROM aishell:base\n\xff\xfe\n")
        else:
            project.write(rel, text)
    quiet = project.write("g/huge.py", "x = 1\n" * 500_000)  # 3 MB that never mentions the image
    fifo = project / "h" / "Dockerfile"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    r = run_cli("migrate", "--write", project)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    errors = [
        ln for ln in r.stderr.splitlines() if ln.startswith("aishell:") and "warning" not in ln and "note" not in ln
    ]
    named = {rel for rel in bad if any(rel in ln for ln in errors)}
    assert named == set(bad), errors
    # One line each (a FIFO in the tree is discovery's to report or skip; it never blocks).
    assert len([ln for ln in errors if "h/Dockerfile" not in ln]) == len(named), errors
    assert good.read_text() == "FROM aishell:foundation\n"
    assert good_py.read_text() == 'I = "aishell:foundation"\n'
    assert quiet.read_text() == "x = 1\n" * 500_000


# -- diffs git can apply -----------------------------------------------------------------------

ODD = ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\r"]


@settings(max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(ODD), st.booleans()), min_size=1, max_size=4), st.sampled_from(["\n", "\r\n"])
)
def test_the_diff_applies_with_git_apply(tmp_path_factory, odd, ending):
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    folder = tmp_path_factory.mktemp("diff")
    lines = ["FROM aishell:base"]
    for ch, in_comment in odd:
        lines.append(f"# note {ch} here" if in_comment else f"LABEL a=b{ch}c")
    lines.append("RUN echo ok")
    text = ending.join(lines) + ending
    df = folder / "Dockerfile"
    df.write_bytes(text.encode())
    try:
        change = migrate_file(str(df), OPTS)
    except InputError:
        return  # not a Dockerfile BuildKit reads: nothing to diff
    if not change.changed:
        return
    patch = folder / "p.diff"
    diff = (
        change.diff()
        .replace(f"a/{os.path.relpath(df)}", "a/Dockerfile")
        .replace(f"b/{os.path.relpath(df)}", "b/Dockerfile")
    )
    patch.write_bytes(diff.encode())
    r = subprocess.run(
        ["git", "apply", "--unsafe-paths", "-p1", str(patch)], cwd=folder, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr + repr(diff)
    assert df.read_bytes() == change.after.encode()


# -- a fix that would break the file is reported, the others applied ------------------------------


def test_a_fix_that_cannot_be_made_valid_is_reported_and_the_others_apply(project):
    # Removing the first command would turn `--mount=…` from an argument into a flag.
    df = project.write(
        "Dockerfile", "FROM aishell:base\nRUN claude --version && --mount=type=cache,target=/c echo hi\n"
    )
    r = run_cli("migrate", "--write", "--unsafe-fixes", df)
    assert r.returncode == 0, r.stderr
    assert df.read_text() == "FROM aishell:foundation\nRUN claude --version && --mount=type=cache,target=/c echo hi\n"
    warnings = [ln for ln in r.stderr.splitlines() if "not applied" in ln]
    assert len(warnings) == 1 and "AIS002 fix at line 2" in warnings[0], r.stderr


@pytest.mark.parametrize("write", [True, False])
def test_a_fix_not_applied_is_reported_when_nothing_else_changes(project, write):
    """The same refused fix with no other fix in the file: the file stays as it is, and the
    run says why rather than only "nothing to migrate" (found by a red-team pass)."""
    text = "FROM aishell:foundation\nRUN claude --version && --mount=type=cache,target=/c echo hi\n"
    df = project.write("Dockerfile", text)
    r = run_cli("migrate", *(["--write"] if write else []), "--unsafe-fixes", df)
    assert r.returncode == 0 and df.read_text() == text, r.stderr
    warnings = [ln for ln in r.stderr.splitlines() if "not applied" in ln]
    assert len(warnings) == 1 and "AIS002 fix at line 2" in warnings[0], r.stderr
    assert "nothing to migrate" in r.stderr


# -- large Python is parsed in batches: the same answer as one parse --------------------------------

TRICKY = [
    's = """\ndef inside():\n    return "aishell:base"\n"""',  # a column-0 line inside a string
    "x = [\n1,\n]",  # a bracket across column-0 lines
    "if a:\n    b = 'aishell:base'\nelse:\n    b = 2",
    "@dec\ndef f():\n    return 'aishell:base'",
    "class C:\n    '''doc aishell:base'''\n    I = 'aishell:base'",
    "try:\n    pass\nexcept E:\n    pass\nfinally:\n    y = 'aishell:base'",
    "z = 1; w = 'aishell:base'",
    "v = ('aishell:base'\n)",
    "t = 'a' \\\n  'b'",
    "# comment\nu = 'aishell:base'",
]


@SETTINGS
@given(st.lists(st.sampled_from(TRICKY), min_size=1, max_size=8), st.sampled_from([1, 7, 40]))
def test_batched_parsing_gives_the_answer_of_one_parse(parts, batch):
    from aishell.migrate import python_refs as refs

    src = "\n".join(parts) + "\n"
    old = refs.BATCH
    try:
        refs.BATCH = 10**9
        whole = rewrite_python_bounded(src, "x.py")
        refs.BATCH = batch
        assert rewrite_python_bounded(src, "x.py") == whole
    finally:
        refs.BATCH = old


# Cut points of every kind next to a mention: a column-0 line inside a string that names the
# image, a bare string statement (the piece's docstring), code the symbol table refuses but the
# parser takes, a lone CR, brackets across lines, and a statement that does not parse.
SPLIT_PARTS = [
    *TRICKY,
    'x = """\naishell:base\nI = "aishell:base"\n"""',
    '"aishell:base"',
    'def f(a, a):\n    return "aishell:base"',
    "nonlocal q",
    'y = ("aishell:base",\n"aishell:base")',
    "q = 1\r'aishell:base'",
    "r = 2 + \\\n 'aishell:base'",
    "w = (",
    "pass",
    'j = ("aishell:"\n  "base")',  # (a mention no part holds)
    "k = 'aishell:' \\\n 'base'",
]


@SETTINGS
@given(st.lists(st.sampled_from(SPLIT_PARTS), min_size=1, max_size=10), st.sampled_from([1, 7, 40, 10**9]))
def test_statements_found_in_pieces_are_those_of_one_whole_parse(parts, batch):
    """Only the statements that mention the image get a tree (the rest is checked by the
    symbol table, pieces cut around each mention): they are exactly the statements one
    ast.parse of the whole file gives. A file that does not parse is refused, unless the
    error lies beyond the batch of the last mention (parsing stops there, as it always did)."""
    import ast

    from aishell.images import python_mention_starts
    from aishell.migrate import python_refs as refs

    src = "\n".join(parts) + "\n"
    try:
        expected: list[list[int]] | None = []
        marks = python_mention_starts(src)
        refs._collect(expected, src, 0, src, ast.parse(src), marks)
        expected = [r for r in expected if refs._marked(marks, *r)]
    except SyntaxError:
        expected = None
    old = refs.BATCH
    try:
        refs.BATCH = batch
        if not python_mention_starts(src):
            return
        try:
            got = refs._statement_ranges(src, "x.py")
        except InputError as e:
            assert expected is None and "not valid Python" in str(e), (e, expected)
            return
        assert got == expected or expected is None
    finally:
        refs.BATCH = old


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("batch", [1, 7, 40, 10**9])
def test_a_file_that_does_not_parse_is_refused_at_cpythons_line(eol, batch, monkeypatch):
    """The line of a syntax error found in a later batch counts the lines before that batch as
    CPython counts them (each of \\n, \\r\\n and a lone \\r ends one), however the file was cut."""
    import ast

    from aishell.migrate import python_refs as refs

    monkeypatch.setattr(refs, "BATCH", batch)
    src = eol.join(["A = 1", "B = (2,", "  3)", 'I = "aishell:base"', "C = 4", "D = = 5", "J = 'aishell:base'", ""])
    with pytest.raises(SyntaxError) as expected:
        ast.parse(src)
    with pytest.raises(InputError, match=rf"not valid Python \(line {expected.value.lineno}: "):
        rewrite_python_bounded(src, "x.py")


def test_json_output_names_the_file_an_edit_is_for(project):
    """AIS103's fix edits the ignore file: its JSON edit says so, at that file's positions."""
    import json

    (project / ".git").mkdir()
    df = project.write("Dockerfile", "FROM aishell:foundation\nCOPY . /app\n")
    project.write("Dockerfile.dockerignore", "dist\n")
    r = run_cli("lint", "--format", "json", df)
    (edit,) = json.loads(r.stdout)[0]["fix"]["edits"]
    assert edit["filename"] == str(project / "Dockerfile.dockerignore")
    assert edit["location"] == {"row": 2, "column": 1} and edit["content"] == ".git\n"


# -- regression tests from hostile inputs (issue 11), kept with the module they test --------------
from tests.conftest import run_bounded  # noqa: E402


# -- lost data -----------------------------------------------------------------------------------


def test_ais103_never_rewrites_an_ignore_file_it_cannot_keep_byte_for_byte(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:foundation\nCOPY . /app\n")
    (tmp_path / ".git").mkdir()
    raw = b"caf\xe9\nnode_modules\n"  # Latin-1, not UTF-8
    (tmp_path / "Dockerfile.dockerignore").write_bytes(raw)
    r = run_bounded("migrate", "--write", f)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "Dockerfile.dockerignore").read_bytes() == raw
    assert "created" not in r.stdout


def test_ais103_says_updated_for_a_file_that_existed(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:foundation\nCOPY . /app\n")
    (tmp_path / ".pytest_cache").mkdir()  # (a cache: AIS103's safe fix)
    (tmp_path / "Dockerfile.dockerignore").write_text("dist\n")
    r = run_bounded("migrate", "--write", f)
    assert r.returncode == 0 and "updated Dockerfile.dockerignore" in r.stdout.replace(str(tmp_path) + os.sep, "")
    assert (tmp_path / "Dockerfile.dockerignore").read_text() == "dist\n.pytest_cache\n"


@pytest.mark.parametrize(
    "text",
    [
        "FROM aishell:foundation\nRUN <<EOF\ncat > /usr/local/bin/ai <<'SH'\n#!/bin/sh\nexec claude \"$@\"\nSH\nchmod +x /usr/local/bin/ai\nEOF\n",
        "FROM aishell:foundation\nRUN <<EOF\n#!/usr/bin/env python3\nimport os\nos.system('claude --version')\nEOF\n",
        "FROM aishell:foundation\nRUN curl -fsSLo /tmp/i.sh https://claude.ai/install.sh && bash /tmp/i.sh\n",
    ],
)
def test_unsafe_fixes_never_delete_data(tmp_path, text):
    f = tmp_path / "Dockerfile"
    f.write_text(text)
    r = run_bounded("migrate", "--write", "--unsafe-fixes", f)
    assert r.returncode == 0, r.stderr
    assert f.read_text() == text


@pytest.mark.skipif(os.getuid() != 0, reason="only root can give a file to another owner")
def test_migrate_write_keeps_owner_and_group(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM aishell:base\n")
    os.chown(f, 1234, 2345)
    os.chmod(f, 0o640)
    assert run_bounded("migrate", "--write", f).returncode == 0
    st = os.stat(f)
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (1234, 2345, 0o640)
    assert f.read_text() == "FROM aishell:foundation\n"


# Statements libcst reads together (python_refs._chunks): bare strings (docstring-like: the first
# of a chunk is left as a docstring, as when alone), an attribute's docstring after it, strings a
# `+` or implicit concatenation joins, statements on one line, and the cut points above.
CHUNK_PARTS = [
    *SPLIT_PARTS,
    'A = "aishell:base"\n"""A is aishell:base."""',
    "'aishell:base'; B = 'aishell:base'",
    'C = "aishell:base" + s',
    'D = "aishell:" "base"',
    'E = f"aishell:base"',
    'class K:\n    """aishell:base"""\n    x = "aishell:base"',
    '("aishell:"\n    f"base")',
    'f"aishell:" "base"',
]


@SETTINGS
@given(st.lists(st.sampled_from(CHUNK_PARTS), min_size=1, max_size=12), st.sampled_from([0, 30, 4096]))
def test_statements_rewritten_together_give_what_each_alone_gives(parts, chunk):
    """Consecutive statements that mention the image are rewritten by one libcst run (a file
    naming it on every line paid a run a statement: 2,000 lines took 3 s, now 1.8 s): the result
    (text, warnings, count) is what one run a statement gives, or both refuse the file."""

    src = "\n".join(parts) + "\n"
    libcst = {"FAST_LITERALS": False}  # (every statement through libcst: its chunks are what is compared)
    alone, together = _alone_and_together(
        src, {**libcst, "CHUNK": 0, "GROUP": 0}, {**libcst, "CHUNK": chunk, "GROUP": 0}
    )
    if isinstance(alone, tuple) and isinstance(together, tuple):
        assert together[0] == alone[0] and together[2] == alone[2], src
        assert sorted(set(together[1])) == sorted(set(alone[1])), src
    else:
        assert together == alone, src


def _alone_and_together(src: str, alone: dict, together: dict):
    """rewrite_python_bounded's answer (or refusal message) with python_refs' settings
    ``alone``, then ``together``; the settings restored after."""
    from aishell.errors import InputError
    from aishell.migrate import python_refs as refs

    saved = {k: getattr(refs, k) for k in {*alone, *together}}
    out = []
    try:
        for settings in (alone, together):
            for k, v in settings.items():
                setattr(refs, k, v)
            try:
                out.append(rewrite_python_bounded(src, "x.py"))
            except InputError as e:
                out.append(str(e))
    finally:
        for k, v in saved.items():
            setattr(refs, k, v)
    return out


# Chunks apart in the file, rewritten in one libcst run joined (python_refs.GROUP): every part of
# the tests above, each between statements that do not name the image, so each is a chunk.
GROUP_PARTS = [*CHUNK_PARTS, *SPLIT_PARTS, 'f"aishell:base" "x"\nG = "aishell:base"', "b'aishell:base'"]


@SETTINGS
@given(
    st.lists(st.sampled_from(GROUP_PARTS), min_size=1, max_size=12),
    st.sampled_from([0, 60, 16_000]),
    st.booleans(),
)
def test_chunks_rewritten_in_one_run_give_what_each_alone_gives(parts, group, final_newline):
    """A file naming the image every 100 lines paid a libcst run per mention (about a
    millisecond each besides the statement's own work): chunks are now rewritten GROUP
    characters at a time, joined. The result (text, warnings in order, count) is what a run a
    chunk gives, and a file one refuses the other refuses with the same message."""

    src = "\n".join(f"{p}\nn{i} = {i}" for i, p in enumerate(parts)) + ("\n" if final_newline else "")
    libcst = {"FAST_LITERALS": False}  # (every statement through libcst: its groups are what is compared)
    alone, together = _alone_and_together(src, {**libcst, "GROUP": 0}, {**libcst, "GROUP": group})
    assert together == alone, src


def test_chunks_are_rewritten_together():
    """The grouped path is taken (and gives a run a chunk's answer) on the benchmark's shape."""
    from aishell.migrate import python_codemod as codemod
    from aishell.migrate import python_refs as refs

    py = "".join(f"def f{i}(x):\n    return {i}\n\n" for i in range(30)) + 'IMAGE = "aishell:base"\n'
    src = py * 40
    calls = []
    real = codemod._rewrite_together
    try:
        refs.FAST_LITERALS = False  # (the plain literals' path would need no libcst run at all)
        codemod._rewrite_together = lambda *a: calls.append(1) or real(*a)
        together = rewrite_python_bounded(src, "x.py")
        refs.GROUP = 0
        alone = rewrite_python_bounded(src, "x.py")
    finally:
        codemod._rewrite_together = real
        refs.GROUP = 16_000
        refs.FAST_LITERALS = True
    assert calls and together == alone and together[2] == 40
    assert together[0] == src.replace('"aishell:base"', '"aishell:foundation"')


# -- a bytes literal that names the image is never left silently -----------------------------------
#
# The class (red team r4): the codemod rewrites a str literal whose value is the image and warns
# about one it leaves (escapes, an implicit concatenation, a `+`), but returned early on any
# bytes literal: `[b"docker", b"run", b"aishell:base"]` stayed the legacy image, unsaid. Generated:
# bytes prefix x quote x spelling of the image x where the literal stands. Each is left as it is
# (bytes are not rewritten) with a warning, exactly when its str twin is rewritten.

BYTES_PREFIXES = ["b", "B", "rb", "Rb", "bR", "BR", "br", "rB"]
QUOTES = ['"', "'", '"""', "'''"]
SPELLINGS = ["aishell:base", "docker.io/library/aishell:base", "aishell:base@sha256:" + "a" * 64]
SPELLINGS += ["FROM aishell:base\nRUN true\n", "aishell:base-custom", "aishell:base is gone"]
PLACES = ["X = {}\n", "run([b'docker', b'run', {}])\n", "X = ({} b'')\n", "X = ({} b'-x')\n", "d = {{'i': {}}}\n"]


# Every prefix with every spelling and place, the quotes taken in turn (each prefix meets each
# quote across the spellings): 240 cases, not the full product's 960 (CI time).
BYTES_CASES = [
    (prefix, QUOTES[(i + j) % len(QUOTES)], spelling, place)
    for i, prefix in enumerate(BYTES_PREFIXES)
    for j, spelling in enumerate(SPELLINGS)
    for place in PLACES
]


@pytest.mark.parametrize("prefix,quote,spelling,place", BYTES_CASES)
def test_a_bytes_literal_naming_the_image_is_warned_about_never_silent(prefix, quote, spelling, place):
    from aishell.migration import embedded_dockerfile

    if "\n" in spelling and len(quote) == 1:
        quote = '"""'  # (a line break needs a triple-quoted literal)
    lit = f"{prefix}{quote}{spelling}{quote}"
    twin = f"{prefix.replace('b', '').replace('B', '')}{quote}{spelling}{quote}"
    source = place.format(lit)
    twin_source = (
        place.format(twin).replace("b''", "''").replace("b'-x'", "'-x'").replace("b'docker', b'run'", "'docker', 'run'")
    )
    new, warnings, count = rewrite_python_bounded(source, "x.py", embedded_dockerfile)
    twin_new, twin_warnings, _ = rewrite_python_bounded(twin_source, "x.py", embedded_dockerfile)
    assert new == source and count == 0  # bytes are never rewritten
    names_it = twin_new != twin_source or any("concatenated" in w for w in twin_warnings)
    assert bool(warnings) == names_it, (source, warnings, twin_new)


# -- a file migrate creates is made as any other program would make it ---------------------------
#
# The class (red team r4): AIS103's fix creates `<Dockerfile>.dockerignore`. It was always 0644,
# whatever the umask (a group-shared project under umask 002 got a file its group could not edit;
# one under 077 a file others could read; never writable by all, though: `--global` makes the
# user config, whose privileged keys always take effect), and as root in another user's project it was root's,
# so its owner could not edit it. Generated: umask x the folder's owner x a setgid folder.


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077, 0o027, 0o000])
@pytest.mark.parametrize("owner", ["self", "other"])
@pytest.mark.parametrize("setgid", [False, True])
def test_a_new_file_gets_the_umask_mode_and_the_folders_owner(umask, owner, setgid, tmp_path):
    if owner == "other" and os.geteuid() != 0:
        pytest.skip("only root makes files in another user's folder")
    proj = tmp_path / "proj"
    (proj / ".pytest_cache").mkdir(parents=True)  # (a cache: AIS103's safe fix)
    (proj / "Dockerfile").write_text("FROM aishell:foundation\nCOPY . /app\n")
    if owner == "other":
        for p in (proj, proj / "Dockerfile"):
            os.chown(p, 4321, 4322)
    if setgid:
        os.chmod(proj, 0o2775)
    r = subprocess.run(
        [*aishell_command(), "migrate", "--write", str(proj / "Dockerfile")],
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(umask),
    )
    assert r.returncode == 0, r.stderr
    made = os.stat(proj / "Dockerfile.dockerignore")
    assert stat.S_IMODE(made.st_mode) == 0o666 & ~umask & ~0o002  # never writable by all
    folder = os.stat(proj)
    if owner == "other":
        assert (made.st_uid, made.st_gid) == (folder.st_uid, folder.st_gid)
    else:
        assert made.st_uid == os.geteuid() and made.st_gid == (folder.st_gid if setgid else os.getegid())


# -- a coding cookie never takes the run down ------------------------------------------------------
#
# The class (red team r4): a Python source is decoded with its PEP 263 cookie and its diff encoded
# back a line at a time with errors="surrogateescape". Python accepts any text codec there; `idna`
# takes no error handler but the strict one, so one `# -*- coding: idna -*-` file made `aishell
# migrate` fail as a whole (an internal error, no diff printed for any file). Generated: every
# codec Python knows x a source with and without a character outside ASCII. Each file is migrated
# (its diff and its written bytes in its encoding) or is one error line; the others go on.


def _codecs():
    import codecs
    import encodings.aliases

    names = set(encodings.aliases.aliases.values()) | {"utf_7", "idna", "punycode", "undefined", "mbcs"}
    out = []
    for n in sorted(names):
        try:
            codecs.lookup(n)
        except LookupError:
            continue
        out.append(n)
    return out


@pytest.mark.parametrize("write", [False, True])
def test_every_coding_cookie_is_migrated_or_one_line(tmp_path, write):
    from aishell.migration import migrate_paths

    sources = {}
    for n in _codecs():
        for extra in ("", 'Y = "é"\n'):
            text = f"# -*- coding: {n} -*-\nX = 'aishell:base'\n{extra}"
            try:
                raw = text.encode(n)
            except Exception:  # noqa: BLE001  (the codec cannot hold it: write it as ASCII anyway)
                raw = text.encode("utf-8")
            name = f"{n}{'_x' if extra else ''}.py"
            (tmp_path / name).write_bytes(raw)
            sources[name] = raw
    (tmp_path / "plain.py").write_text("X = 'aishell:base'\n")
    r = migrate_paths([str(tmp_path)], OPTS, write=write)
    for change in r.changes:  # the diff of every file that changes can be printed
        change.diff_bytes()
        change.diff()
    assert all("\n" not in str(e) for e in r.errors)
    assert (tmp_path / "plain.py").read_text() == ("X = 'aishell:foundation'\n" if write else "X = 'aishell:base'\n")
    changed = {os.path.basename(c.path) for c in r.changed}
    failed = {os.path.basename(e.path) for e in r.errors}
    assert "plain.py" in changed and not changed & failed
    for name in changed - {"plain.py"}:
        c = next(c for c in r.changed if c.path.endswith(os.sep + name))
        got = (tmp_path / name).read_bytes()
        if write:  # byte-exact outside the literal, in the file's own encoding
            assert got == c.after.encode(c.encoding) and got.replace(b"foundation", b"base") == sources[name]
        assert "+X = 'aishell:foundation'\n".encode(c.encoding) in c.diff_bytes()


@pytest.mark.parametrize("codec", ["utf-16-be", "utf-16-le", "utf-32-be", "utf-32-le"])
@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("names", [True, False])
def test_a_wide_source_naming_the_image_is_one_line_never_passed_over(tmp_path, codec, bom, names):
    """A .py saved as UTF-16 or UTF-32 hides the image from the byte scan: with its byte-order
    mark, one that names the image is refused with one line (Python reads no such source, so
    aishell does not rewrite it); one that does not is passed over, as a file with nothing to
    migrate. Without the mark it is bytes no Python reads, passed over too."""
    from aishell.migration import migrate_paths

    text = "X = 'aishell:base'\n" if names else "X = 'debian'\n"
    raw = (("\ufeff" if bom else "") + text).encode(codec)
    (tmp_path / "wide.py").write_bytes(raw)
    r = migrate_paths([str(tmp_path)], OPTS, write=True)
    assert (tmp_path / "wide.py").read_bytes() == raw and not r.changed
    if names and bom:
        (e,) = r.errors
        assert "wide.py" in str(e) and f"UTF-{codec[4:6]}" in str(e) and "\n" not in str(e)
    else:
        assert not r.errors


# -- an implicit concatenation is decided once, whatever its length ------------------------------
#
# The class (red team r4): `"a" "b" "c"` nests a concatenation per extra part, and the codemod
# decided (and warned) at each: n parts were n - 1 identical warnings and quadratic work (300
# parts: a second). Past what libcst's parser takes, valid Python was called "not valid Python".
# Generated: number of parts x what they are x where the concatenation stands x how many of them.

CONCAT_PARTS = {
    "image": '"aishell:base"',
    "suffix": '"-custom"',
    "empty": '""',
    "fstring": 'f"aishell:base"',
    "bytes": None,  # (bytes parts: all of them, a str and a bytes cannot be joined)
}


@pytest.mark.parametrize("n", [2, 3, 17, 120, 300, 2000])
@pytest.mark.parametrize("kinds", ["image", "image+suffix", "image+empty", "fstring+image", "bytes"])
@pytest.mark.parametrize("place", ["X = ({})\n", "f(a, {}, b)\n", "def g():\n    return ({})\n"])
@pytest.mark.parametrize("count", [1, 3])
def test_an_implicit_concatenation_is_decided_once(n, kinds, place, count):
    import ast

    names = kinds.split("+")
    if kinds == "bytes":
        parts = ['b"aishell:base"', 'b"-x"'] * (n // 2 + 1)
    else:
        parts = [CONCAT_PARTS[names[k % len(names)]] for k in range(n)]
    expr = " ".join(parts[:n])
    source = "".join(place.format(expr).replace("g()", f"g{k}()") for k in range(count))
    ast.parse(source)  # valid Python, always
    t = cpu_time()
    try:
        new, warnings, _ = rewrite_python_bounded(source, "x.py")
    except InputError as e:
        assert "not valid Python" not in str(e) and "\n" not in str(e), e
        return
    assert cpu_time() - t < 5
    joined = ast.literal_eval(expr.replace('f"', '"'))  # (no placeholders: the f-strings are plain)
    if new != source:  # rewritten: only when the join is the image itself
        assert joined in ("aishell:base", b"aishell:base") and not warnings
    else:
        concat = [w for w in warnings if "concatenated" in w]
        assert len(concat) <= count, warnings  # one a concatenation, never one a part


# -- a docstring is never rewritten, however many parts it is joined from ----------------------
#
# The class (red team r4): the codemod marks docstrings to leave them, but of an implicitly
# concatenated one only its two top-level halves: with three parts or more, the part naming the
# image was rewritten (`("Build on " "aishell:base" " images")` as a function's docstring).
# Generated: parts x which part names the image x where the docstring is; the same expression
# as an assignment is still rewritten, to show the codemod reached it.

DOC_PLACES = [
    "{}\nX = 1\n",
    "def f():\n    {}\n",
    "async def f():\n    {}\n",
    "class A:\n    {}\n",
    "class A:\n    def m(self):\n        {}\n        return 1\n",
]


@pytest.mark.parametrize("parts", [1, 2, 3, 4, 6])
@pytest.mark.parametrize("at", [0, 1, -1])
@pytest.mark.parametrize("place", DOC_PLACES)
@pytest.mark.parametrize("quote", ['"', '"""'])
def test_a_docstring_of_any_number_of_parts_is_left(parts, at, place, quote):
    pieces = [f"{quote} part{k} {quote}" for k in range(parts)]
    pieces[at % parts] = f"{quote}aishell:base{quote}"
    doc = "(" + " ".join(pieces) + ")"
    source = place.format(doc)
    new, _, _ = rewrite_python_bounded(source, "x.py")
    assert new == source, (source, new)
    # Not a docstring (an assignment): a part that is the image is rewritten, as always.
    assigned = place.format("Y = " + doc)
    again, _, _ = rewrite_python_bounded(assigned, "x.py")
    assert again != assigned


# -- the image split across the parts of an implicit concatenation -----------------------------
#
# The class (issue 18, round two): `"aishell:" "base"` is the image, but no part holds its name, so
# the file was never parsed (migrate looked for the name in the text) and the codemod decided
# each part alone: the legacy image stayed, unsaid. Generated: every spelling of the image x every
# place it is cut (one cut or two) x the parts' prefixes (r, u, f, R, F, rf, b) and quotes x what
# separates them (blanks, a line break in brackets, a line continuation, a comment) x where the
# expression stands. Each is rewritten to one literal of the new image (the rest of the file
# byte for byte), or left with a warning (bytes, a comment between the parts, a `+`), or left as a
# docstring is; never left silently.

SPLIT_SPELLINGS = ["aishell:base", "docker.io/library/aishell:base", "aishell:base@sha256:" + "ab" * 32]
SPLIT_PREFIXES = ["", "r", "u", "f", "R", "F", "rf", "Fr"]
SPLIT_QUOTES = ['"', "'", '"""', "'''"]
SPLIT_SEPS = [" ", "", "\n    ", " \\\n    ", "  # a comment\n    "]
SPLIT_PLACES = ["X = ({})\n", "run(['docker', 'run', {}])\n", "d = {{'image': {}}}\n", "def f():\n    return ({})\n"]


def _split_cases():
    k = 0
    for spelling in SPLIT_SPELLINGS:
        for cut in range(1, len(spelling)):
            cuts = [cut] if cut % 3 else [cut // 2, cut] if cut > 1 else [cut]
            pieces = [spelling[a:b] for a, b in zip([0, *cuts], [*cuts, len(spelling)])]
            prefixes = [SPLIT_PREFIXES[(k + i) % len(SPLIT_PREFIXES)] for i in range(len(pieces))]
            if k % 11 == 0:
                prefixes = ["b"] * len(pieces)  # (a str and bytes cannot be joined: all of them)
            if "u" in prefixes[1:]:
                prefixes = [p if p != "u" or i == 0 else "" for i, p in enumerate(prefixes)]
            quote = SPLIT_QUOTES[k % len(SPLIT_QUOTES)]
            sep = SPLIT_SEPS[k % len(SPLIT_SEPS)]
            yield pieces, prefixes, quote, sep, SPLIT_PLACES[k % len(SPLIT_PLACES)]
            k += 1


def test_the_image_split_across_concatenated_parts_is_rewritten_or_said():
    import ast

    from aishell.images import python_mentions

    seen = {"rewritten": 0, "warned": 0}
    for pieces, prefixes, quote, sep, place in _split_cases():
        expr = sep.join(f"{p}{quote}{piece}{quote}" for p, piece in zip(prefixes, pieces))
        source = "import os\n" + place.format(expr) + "Y = 1\n"
        ast.parse(source)  # valid Python, always
        assert python_mentions(source) and python_mentions(source.encode())
        new, warnings, count = rewrite_python_bounded(source, "x.py")
        if new == source:
            assert warnings, source  # never silent
            assert "#" in sep or "b" in prefixes, (source, warnings)
            seen["warned"] += 1
            continue
        seen["rewritten"] += 1
        head, tail = source.split(expr)
        assert new.startswith(head) and new.endswith(tail), new
        literal = new[len(head) : len(new) - len(tail)]
        node = ast.parse(literal, mode="eval").body
        value = node.values[0].value if isinstance(node, ast.JoinedStr) else node.value
        assert value == "aishell:foundation" and count == 1 and not warnings, (source, new)
        assert isinstance(node, ast.JoinedStr) == any("f" in p.lower() for p in prefixes)
    assert seen["rewritten"] > 20 and seen["warned"] > 5, seen


def test_a_split_image_reaches_migrate_from_the_files_bytes(project):
    py = project.write("a.py", 'IMAGE = ("aishell:"\n         "base")\nOTHER = "aishell:" "base-x"\n')
    r = run_cli("migrate", "--write", py)
    assert r.returncode == 0, r.stderr
    assert py.read_text() == 'IMAGE = ("aishell:foundation")\nOTHER = "aishell:" "base-x"\n'


# The same class, spelled with escapes: `"aishell\x3abase"` is the image as Python reads it, but
# the name is not in the text. Generated: each character of the name escaped in each of Python's
# forms (hex, octal, \u, \U, \N{...}), alone and in a concatenation, str and bytes. A str is
# rewritten to the new image written plainly; a bytes literal is left with a warning; a raw
# literal (whose value keeps the backslash) is not the image and is left.

ESCAPES = [
    lambda c: f"\\x{ord(c):02x}",
    lambda c: f"\\{ord(c):03o}",
    lambda c: f"\\u{ord(c):04x}",
    lambda c: f"\\U{ord(c):08x}",
    lambda c: "\\N{COLON}" if c == ":" else f"\\x{ord(c):02X}",
]


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")  # (`b"\\N{COLON}"`, as written)
def test_the_image_spelled_with_escapes_is_rewritten_or_said():
    import ast

    from aishell.images import python_mentions

    image = "aishell:base"
    count = 0
    for i, c in enumerate(image):
        for k, escape in enumerate(ESCAPES):
            cut = (i + k) % (len(image) - 1) + 1
            for split in (False, True):
                pieces = [image[:cut], image[cut:]] if split else [image]
                at = 0 if i < len(pieces[0]) else 1  # (the piece the escaped character is in)
                j = i if at == 0 else i - len(pieces[0])
                pieces[at] = pieces[at][:j] + escape(c) + pieces[at][j + 1 :]
                for prefix in ("", "b", "r"):
                    lit = " ".join(f'{prefix}"{p}"' for p in pieces)
                    source = f"import os\nX = ({lit})\nY = 1\n"
                    new, warnings, n = rewrite_python_bounded(source, "x.py")
                    if prefix == "r":  # (its value keeps the backslash: not the image)
                        assert ast.literal_eval(lit) != image and new == source, source
                        continue
                    assert python_mentions(source) and python_mentions(source.encode()), source
                    if prefix == "b":  # (`\\u`, `\\N` are no escapes in bytes: then it is not the image)
                        assert new == source and bool(warnings) == (ast.literal_eval(lit) == image.encode()), source
                    else:
                        head, line, tail = new.split("\n", 2)
                        assert head == "import os" and tail == "Y = 1\n" and line.startswith("X = ("), new
                        assert ast.literal_eval(line[4:]) == "aishell:foundation", (source, new)
                        assert n == 1 and not warnings, (source, new, warnings)
                    count += 1
    assert count > 200, count


@pytest.mark.parametrize("together", [True, False], ids=["joined chunks", "one statement"])
def test_the_stability_run_is_made_while_the_rewrite_still_names_the_image(together, monkeypatch):
    """A rewrite is read by libcst a second time to prove it stable only while it still names
    the image somewhere (python_mentions: the test that keeps libcst from a file that never
    names it); a second run that would change it again is refused."""
    from aishell.migrate import python_codemod as codemod
    from aishell.migrate import python_refs as refs

    runs: list[str] = []
    real = codemod._transform
    unstable = False

    def counting(command, code):
        runs.append(code)
        ok = real(command, code)
        if unstable and "aishell:foundation" in code:
            command.edits[object()] = None  # (this run of the rewritten text would change it)
        return ok

    monkeypatch.setattr(codemod, "_transform", counting)
    monkeypatch.setattr(refs, "GROUP", 16_000 if together else 0)
    monkeypatch.setattr(refs, "FAST_LITERALS", False)  # (libcst's runs are counted)
    source = 'A = "aishell:base"\n\n\nB = ("x", "aishell:base")\n'
    new, _, count = rewrite_python_bounded(source, "x.py")
    assert "aishell:base" not in new and count == 2
    assert len(runs) == (1 if together else 2)  # no stability run: nothing names the image
    runs.clear()
    source = source.replace("\n\n\nB", "  # was aishell:base\n\n\nB")
    assert "was aishell:base" in rewrite_python_bounded(source, "x.py")[0]
    assert len(runs) == (2 if together else 3)  # the statement still naming it is run again
    unstable = True
    with pytest.raises(InputError, match="not stable"):
        rewrite_python_bounded(source, "x.py")


# Plain literals the fast path rewrites without libcst (python_refs._plain_literals), and
# the forms next to them it must leave to libcst: a docstring, a `+`, an f-string, bytes, an
# escape, triple quotes, a comment naming the image, an implicit concatenation, a literal over
# two lines, non-ASCII text before it on its line, another image of the same prefix.
LITERAL_PARTS = [
    *CHUNK_PARTS,
    "I = 'aishell:base'",
    'J = u"aishell:base"',
    'K = R"aishell:base"',
    'L = ["x", "aishell:base", {"k": "aishell:base"}]',
    'M = f(image="aishell:base", other="aishell:base-custom")',
    'N: "aishell:base" = "aishell:base"',
    "O = {'é': 'aishell:base'}  # é",
    'P = "docker.io/library/aishell:base"',
    'Q = "aishell:base@sha256:' + "a" * 64 + '"',
    'R = g("aishell:base")  # aishell:base',
    'S = b"aishell:base"',
    'T = "aishell:base\\n"',
    "U = '''aishell:base'''",
    'V = lambda x="aishell:base": x',
    'W += "aishell:base"',
    'X = h(\n    "aishell:base",\n)',
    'def fn():\n    """Uses aishell:base."""\n    return "aishell:base"',
    'class C:\n    image = "aishell:base"\n    """aishell:base"""',
    'match v:\n    case "aishell:base":\n        pass',
    'Y = "aishell:base" if z else "see aishell:base"',
    'Z = d["aishell:base"]',
    '@deco("aishell:base")\ndef g():\n    pass',
]


def _assert_fast_is_libcst(src: str, group: int) -> None:
    """The plain path's answer (text, warnings in the file's order, count, or the refusal) is libcst's."""
    settings = {"GROUP": group}
    libcst_only, fast = _alone_and_together(
        src, {**settings, "FAST_LITERALS": False}, {**settings, "FAST_LITERALS": True}
    )
    assert fast == libcst_only, src


@SETTINGS
@given(st.lists(st.sampled_from(LITERAL_PARTS), min_size=1, max_size=12), st.sampled_from([0, 4096]))
def test_plain_literals_are_rewritten_as_libcst_rewrites_them(parts, group):
    """A statement whose every mention of the image is a plain literal is rewritten without
    libcst (a file naming it on every line took 4 s a MB): the answer (text, warnings, count,
    or the refusal) is libcst's, statements of every other form around it."""
    src = "\n".join(parts) + "\n"
    _assert_fast_is_libcst(src, group)


# Implicit concatenations and `+` sides: the image cut anywhere into parts, each in its own
# quotes and prefix, the parts apart by what Python allows between them (or a comment, which
# libcst decides), the join placed where the codemod decides it alone, beside a `+`, in an
# f-string, as a docstring.
_JOIN_TEXTS = ["aishell:base", "docker.io/library/aishell:base", "aishell:base-gpu", "FROM aishell:base", "aishell:"]
_JOIN_GAPS = [" ", "", "\t", "\n    ", " \\\n  ", "  # c\n    ", "\x0c"]
_JOIN_PLACES = ["X = {}", "X = ({})", "X = {} + y", "X = y + ({})", "X = {} * 2", "X = f'{{{} + y}}'", "{}", "f({}, z)"]


@st.composite
def _joined_statement(draw):
    text = draw(st.sampled_from(_JOIN_TEXTS))
    cuts = sorted(
        draw(st.sets(st.integers(1, len(text) - 1), min_size=draw(st.sampled_from([0, 1, 1, 2])), max_size=3))
    )
    pieces = [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)])]
    parts = [
        draw(st.sampled_from(["", "", "", "u", "U", "r", "R", "b", "f"]))
        + (q := draw(st.sampled_from(['"', "'"])))
        + piece
        + q
        for piece in pieces
    ]
    gaps = [draw(st.sampled_from(_JOIN_GAPS)) for _ in parts[1:]]
    joined = parts[0] + "".join(g + p for g, p in zip(gaps, parts[1:]))
    place = draw(st.sampled_from(_JOIN_PLACES))
    if any("\n" in g for g in gaps) and not place.startswith(("X = (", "X = y + (", "f(")):
        joined = "(" + joined + ")"  # (a newline between parts needs brackets, or a backslash)
    return place.format(joined)


@SETTINGS
@given(
    st.lists(st.one_of(_joined_statement(), st.sampled_from(LITERAL_PARTS)), min_size=1, max_size=6),
    st.sampled_from([0, 4096]),
)
def test_joined_and_summed_literals_are_rewritten_as_libcst_rewrites_them(statements, group):
    """An implicit concatenation of plain literals and a plain side of a `+` are decided without
    libcst (`"aishell:" "base"` on every line took 8 s a MB through it): the answer (text,
    warnings, count, or the refusal) is libcst's for every cut, quote, prefix, gap and place."""
    src = "\n".join(statements) + "\n"
    try:
        compile(src, "x.py", "exec")
    except SyntaxError:
        return  # (a bytes part beside a str one, say: not Python; the file is refused either way)
    _assert_fast_is_libcst(src, group)


@pytest.mark.parametrize(
    "pieces",
    [
        ("aishell:", "base"),
        ("aishell:base", ""),
        ("", "aishell:base"),
        ("docker.io/library/", "aishell:base"),
        ("docker.io/", "library/aishell:base"),
        ("FROM ", "aishell:base"),
        ("FROM aishell:", "base"),
        ("aishell:", "base-gpu"),
        ("aishell", ":", "base"),
    ],
)
def test_every_gap_and_place_of_a_join_is_decided_as_libcst_decides_it(pieces):
    """The product the generating test above samples: each cut of the image (a part naming it
    whole, a registry before it, a Dockerfile, more after it) in each prefix and quote pair,
    each gap Python allows (or a comment), in each place: one file per gap (a form feed sends
    its whole batch to libcst), of the statements that compile."""
    for gap in _JOIN_GAPS:
        statements = []
        for first, second, q in [
            ("", "", '"'),
            ("u", "U", "'"),
            ("r", "", '"'),
            ("R", "u", "'"),
            ("", "f", '"'),
            ("", "", '"""'),
            ("u", "", "'''"),
        ]:
            joined = gap.join([first + q + pieces[0] + q, *(second + q + p + q for p in pieces[1:])])
            for place in _JOIN_PLACES:
                for text in (place.format(joined), place.format("(" + joined + ")")):
                    try:
                        compile(text, "x.py", "exec")
                    except SyntaxError:
                        continue
                    statements.append(text)
        src = "\n".join(statements) + "\n"
        for group in (0, 4096):
            _assert_fast_is_libcst(src, group)


def test_joined_and_summed_literals_need_no_libcst_run(monkeypatch):
    """The fast path is taken for them: libcst runs nowhere."""
    from aishell.migrate import python_codemod as codemod

    def no_libcst(command, code):
        raise AssertionError("libcst ran on " + code[:40])

    monkeypatch.setattr(codemod, "_transform", no_libcst)
    src = "".join(f"IMAGE_{i} = \"aishell:\" 'base'\n" for i in range(20))
    src += "J = (u'aishell:'\n     \"base\")\nK = 'aishell:base' + x\nL = x + ('aishell:' 'base')\n"
    new, warnings, count = rewrite_python_bounded(src, "x.py")
    assert count == 21 and "aishell:base" not in new.split("K =")[0] and "J = (u'aishell:foundation')" in new
    assert warnings == ["left a string that `+` joins to another, mentioning aishell:base, as it is"] * 2


def test_plain_literals_need_no_libcst_run(monkeypatch):
    """The fast path is taken: a file of plain literals naming the image runs libcst nowhere."""
    from aishell.migrate import python_codemod as codemod

    def no_libcst(command, code):
        raise AssertionError("libcst ran on " + code[:40])

    monkeypatch.setattr(codemod, "_transform", no_libcst)
    src = "".join(f'IMAGE_{i} = "aishell:base"\n' for i in range(50)) + "X = ['a', u'aishell:base']\n"
    src += "Y = {'é—€': 'aishell:base'}\n"  # (CPython's columns count UTF-8 bytes)
    new, warnings, count = rewrite_python_bounded(src, "x.py")
    assert count == 52 and warnings == [] and "aishell:base" not in new


def test_libcst_is_imported_only_for_a_statement_that_needs_it():
    """Importing it was 0.2 s of a run whose every mention is a plain literal."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from aishell.migrate.python_refs import rewrite_python_bounded as r\n"
        "assert r('I = \"aishell:base\"\\n', 'x.py')[2] == 1\n"
        "print('libcst' in sys.modules)\n"
        "assert r('I = f\"aishell:base\"\\n', 'x.py')[2] == 1\n"
        "print('libcst' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]


def test_a_plain_statement_that_rewrites_the_image_is_not_measured(monkeypatch):
    """Its depth decides nothing (a deep statement is skipped only when no literal of it is the
    image, and libcst never reads it): measuring it was a third of the time on a file naming the
    image on every line. A plain statement that rewrites nothing is still measured (when as long
    as python_refs.SHALLOW: a shorter line cannot be too deep): too deep, it is left with a
    warning (tests/test_migrate_python_classes.py's deep statements)."""
    from aishell.migrate import python_refs as refs

    measured = []
    real = refs._depth
    monkeypatch.setattr(refs, "_depth", lambda node, *a: measured.append(node) or real(node, *a))
    src = "".join(f'IMAGE_{i} = ["aishell:base", {i}]\n' for i in range(20))
    message = "M = 'uses aishell:base, a message long enough to be measured (python_refs.SHALLOW)'\n"
    new, warnings, count = rewrite_python_bounded(src + message, "x.py")
    assert count == 20 and warnings == [] and len(measured) == 1


@pytest.mark.parametrize("shape", ["sum", "attrs", "not", "unary"])
def test_a_deep_plain_statement_sharing_a_line_with_one_for_libcst_is_measured(shape):
    """A plain literal's statement needs no libcst, so its depth is not measured; but one on
    the line of a statement libcst must read goes to libcst with it, and is refused when too
    deep (libcst's parser and visitors recurse: a crash otherwise)."""
    src = f'X = ("aishell:base", {_deep(shape, MAX_DEPTH + 80)}); Y = f"aishell:base"\n'
    with pytest.raises(InputError, match="nested more than"):
        rewrite_python_bounded(src, "deep.py")
    alone = f'X = ("aishell:base", {_deep(shape, MAX_DEPTH + 80)})\nY = f"aishell:base"\n'
    new, _, count = rewrite_python_bounded(alone, "deep.py")  # (the deep one taken without libcst)
    assert count == 2 and "aishell:base" not in new
