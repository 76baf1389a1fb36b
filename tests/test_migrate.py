"""aishell migrate: lossless, atomic, idempotent rewriting."""

import os
import shutil
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.errors import InputError
from aishell.lint import Options, lint_text
from aishell.migration import fix_text
from aishell.lint_rules import all_rules
from aishell.lint_rules._edits import block_start
from aishell.migrate.apply import apply_edits, select_fixes
from aishell.findings import Edit, Fix
from tests.conftest import CORPUS, SAMPLES, corpus_files, run_cli

LEGACY = "FROM aishell:base\nRUN apt-get update && claude --version && apt-get install -y jq\nRUN npm install -g @openai/codex typescript\n"


def test_dry_run_prints_a_diff_and_exits_1_without_writing(project):
    df = project.write("Dockerfile", LEGACY)
    before = df.read_bytes(), os.stat(df).st_mtime_ns
    r = run_cli("migrate", df)
    assert r.returncode == 1
    assert "-FROM aishell:base\n+FROM aishell:foundation\n" in r.stdout
    assert "claude" not in "".join(line for line in r.stdout.splitlines() if line.startswith("+"))
    assert "2 unsafe fixes held back" in r.stderr
    assert (df.read_bytes(), os.stat(df).st_mtime_ns) == before


def test_check_lists_files(project):
    df = project.write("Dockerfile", LEGACY)
    r = run_cli("migrate", "--check", df)
    assert r.returncode == 1 and r.stdout.strip() == f"would change {df}"


def test_nothing_to_change_exits_0_and_never_touches_the_file(project):
    df = project.write("Dockerfile", "FROM aishell:foundation\n")
    os.utime(df, ns=(1_000_000_000, 1_000_000_000))
    for args in ([], ["--write"], ["--write", "--unsafe-fixes"]):
        r = run_cli("migrate", *args, df)
        assert r.returncode == 0
    assert os.stat(df).st_mtime_ns == 1_000_000_000


def test_write_safe_then_unsafe(project):
    df = project.write("Dockerfile", LEGACY)
    r = run_cli("migrate", "--write", df)
    assert r.returncode == 0 and "1 fix applied" in r.stdout
    assert df.read_text() == LEGACY.replace("aishell:base", "aishell:foundation")
    r = run_cli("migrate", "--write", "--unsafe-fixes", df)
    assert r.returncode == 0
    assert (
        df.read_text()
        == "FROM aishell:foundation\nRUN apt-get update && apt-get install -y jq\nRUN npm install -g typescript\n"
    )
    # Lint reports none of what was fixed, and a second run changes nothing.
    assert run_cli("lint", df).returncode == 0
    assert run_cli("migrate", "--unsafe-fixes", df).returncode == 0


@pytest.mark.parametrize(
    "source,expected",
    [
        ("\ufeffFROM aishell:base\r\nRUN x\r\n", "\ufeffFROM aishell:foundation\r\nRUN x\r\n"),
        ("FROM aishell:base", "FROM aishell:foundation"),
        (
            # (a `#` after FROM's arguments is more arguments, which BuildKit refuses: no comment)
            "# c\n  from   aishell:base   AS  x  \t\n# trailing\t\n",
            "# c\n  from   aishell:foundation   AS  x  \t\n# trailing\t\n",
        ),
        (
            "# escape=`\r\nFROM aishell:base\r\nRUN a `\r\n  && claude x\r\n",
            "# escape=`\r\nFROM aishell:foundation\r\nRUN a\r\n",
        ),
        ("FROM aishell:foundation\nRUN claude --version", "FROM aishell:foundation"),
        ("FROM aishell:foundation\r\nRUN codex x\r\nRUN y\r\n", "FROM aishell:foundation\r\nRUN y\r\n"),
    ],
)
def test_byte_exact(project, source, expected):
    df = project.write("Dockerfile", source)
    assert run_cli("migrate", "--write", "--unsafe-fixes", df).returncode == 0
    assert df.read_bytes() == expected.encode()


def test_symlink_updates_the_target_and_keeps_the_link(project):
    target = project.write("real/Dockerfile", LEGACY)
    os.chmod(target, 0o640)
    link = project / "Dockerfile"
    link.symlink_to(target)
    assert run_cli("migrate", "--write", link).returncode == 0
    assert link.is_symlink()
    assert "aishell:foundation" in target.read_text()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640


def test_read_only_file_is_an_error_and_is_not_written(project):
    df = project.write("Dockerfile", LEGACY)
    other = project.write("b/Dockerfile", LEGACY)
    os.chmod(df, 0o444)
    r = run_cli("migrate", "--write", df, other)
    assert r.returncode == 2
    assert "read-only file" in r.stderr and "Traceback" not in r.stderr
    assert df.read_text() == LEGACY
    assert "aishell:foundation" in other.read_text()
    assert not [p for p in project.rglob("*.aishell-tmp")]


def test_bad_input_leaves_the_file_and_migrates_the_others(project):
    bad = project.write("bad/Dockerfile", b"FROM aishell:base\nRUN <<EOF\n")
    good = project.write("good/Dockerfile", LEGACY)
    r = run_cli("migrate", "--write", bad, good)
    assert r.returncode == 2 and "unterminated heredoc" in r.stderr
    assert bad.read_bytes() == b"FROM aishell:base\nRUN <<EOF\n"
    assert "aishell:foundation" in good.read_text()


def test_overlapping_fixes_apply_in_a_fixed_order_and_converge():
    text = "FROM aishell:foundation\nRUN claude a && codex b && gemini c\n"
    r = fix_text(text, "Dockerfile", Options(use_config=False), unsafe=True)
    assert r.text == "FROM aishell:foundation\n"
    fixes = [Fix("safe", "b", (Edit(5, 9, "y"),)), Fix("safe", "a", (Edit(0, 6, "x"),))]
    chosen, skipped = select_fixes(fixes)
    assert [f.message for f in chosen] == ["a"] and skipped == 1
    assert apply_edits("0123456789", [e for f in chosen for e in f.edits]) == "x6789"


def test_python_sources(project):
    src = (SAMPLES / "legacy-node-app" / "scripts" / "run_agent.py").read_text()
    py = project.write("tools/run_agent.py", src)
    r = run_cli("migrate", "--write", py)
    assert r.returncode == 0, r.stderr
    new = py.read_text()
    assert 'IMAGE = "aishell:foundation"' in new
    assert 'FORK = "aishell:base-custom"' in new
    assert "FROM aishell:foundation\nRUN echo building on aishell:base\n" in new
    assert "# aishell:base-custom is our own fork" in new
    changed = [(a, b) for a, b in zip(src.splitlines(), new.splitlines()) if a != b]
    assert len(changed) == 2


@pytest.mark.parametrize(
    "before,after",
    [
        ('x = f"aishell:base"\n', 'x = f"aishell:foundation"\n'),
        ("x = '''aishell:base'''\n", "x = '''aishell:foundation'''\n"),
        ('cmd = ["docker", "run", "aishell:base"]\n', 'cmd = ["docker", "run", "aishell:foundation"]\n'),
        ('x = "aishell:baseline"\ny = "aishell:base-custom"\n', None),
        ('def f():\n    """Runs aishell:base."""\n', None),
        ('x = b"aishell:base"\n', None),
        ('x = f"{registry}/aishell:base"\n', None),
        ("# aishell:base\nx = 1\n", None),
    ],
)
def test_python_literals(project, before, after):
    from aishell.migrate.python_codemod import rewrite_python

    new, _, _ = rewrite_python(before, "x.py")
    assert new == (after if after is not None else before)


def test_invalid_python_is_an_input_error(project):
    # A .py file is parsed only when it mentions the image (one that does not costs nothing).
    py = project.write("broken.py", "x = ('aishell:base'\n")
    r = run_cli("migrate", py)
    assert r.returncode == 2 and "not valid Python" in r.stderr and "Traceback" not in r.stderr


def test_migrate_lint_path_does_not_load_libcst_for_dockerfiles(project):
    import subprocess
    import sys

    df = project.write("Dockerfile", LEGACY)
    code = f"import sys\nfrom aishell.migration import migrate_paths\nmigrate_paths([{str(df)!r}])\nprint('libcst' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


# -- property test: random layouts around the rules' INVALID examples -------------------

INVALID_SOURCES = [
    ex.source
    for r in all_rules()
    if getattr(r, "TARGET", "dockerfile") == "dockerfile"  # (a config rule's examples are YAML)
    for ex in r.INVALID
    if ex.expected is not None and not ex.files
]


@st.composite
def dockerfiles(draw):
    base = draw(st.sampled_from(INVALID_SOURCES)).lstrip("\ufeff")
    lines = base.replace("\r\n", "\n").split("\n")
    out = []
    for line in lines:
        if draw(st.booleans()) and line and not line.startswith(("\t", " ")) and "<<" not in line:
            out.append("# " + draw(st.text(alphabet="abc :=-", max_size=12)))
        if line.startswith("RUN ") and "<<" not in line and " && " in line and draw(st.booleans()):
            line = line.replace(" && ", " \\\n   && ", 1)
        out.append(line)
    text = "\n".join(out)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfiles())
def test_property_only_fix_spans_change_and_a_second_pass_is_a_no_op(text):
    opts = Options(use_config=False)
    res = lint_text(text, "Dockerfile", opts)
    # Fixes run in passes (a later pass may drop a RUN an earlier one emptied), so the
    # span that may change is the lines of each instruction holding a fixable finding.
    # A fix may also move lines (AIS102): every edit's lines count too.
    spans = []

    def lines_of(start, end):
        a = text.rfind("\n", 0, start) + 1
        b = text.find("\n", end)
        a = max(0, a - (2 if text[max(0, a - 2) : a] == "\r\n" else 1))  # with the line break before
        spans.append((a, len(text) if b < 0 else b + 1))

    for f in res.findings:
        if f.fix:
            ins = [i for i in res.df.instructions if i.start <= f.start <= i.end][0]
            # The comment lines directly above an instruction belong to it: removed with it.
            lines_of(block_start(res.df, ins), ins.end)
            for e in f.fix.edits:
                lines_of(e.start, e.end)
    spans.sort()
    r = fix_text(text, "Dockerfile", opts, unsafe=True)
    # Every byte outside those spans survives, in order.
    keep, pos = [], 0
    for a, b in spans:
        if a > pos:
            keep.append(text[pos:a])
        pos = max(pos, b)
    keep.append(text[pos:])
    it = iter(r.text)
    for piece in keep:
        assert all(ch in it for ch in piece), "a byte outside the fix spans changed"
    if "\r\n" in text:
        assert r.text.count("\n") == r.text.count("\r\n")
    assert fix_text(r.text, "Dockerfile", opts, unsafe=True).text == r.text


# -- corpus ------------------------------------------------------------------------------


@pytest.mark.skipif(not corpus_files(), reason="../shared/corpus/dockerfiles is not present")
def test_corpus_migrate_write_unsafe(tmp_path):
    work = tmp_path / "corpus"
    shutil.copytree(CORPUS, work)
    for p in work.iterdir():
        p.chmod(0o644)  # shared/ is read-only; the copies must be writable
    before = {p.name: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in work.iterdir()}
    files = sorted(str(p) for p in work.iterdir() if not p.name.endswith(".dockerignore"))
    assert len(files) == len(corpus_files())
    r = run_cli("migrate", "--write", "--unsafe-fixes", *files)
    # (Only files BuildKit itself refuses are input errors, one line each: the corpus's templates
    # `FROM REPLACE-ME`, whose name no reference can be.)
    refused = r.stderr.splitlines()
    assert r.returncode == (2 if refused else 0), r.stderr
    assert "Traceback" not in r.stderr
    assert all(line.endswith("(BuildKit would reject this file)") for line in refused), r.stderr
    with_findings = set()
    for p in work.iterdir():
        if not p.name.endswith(".dockerignore"):
            try:
                res = lint_text(before[p.name][0].decode(), str(p), Options(use_config=False))
            except InputError:
                continue  # (left untouched, below)
            if res.findings:
                with_findings.add(p.name)
    for p in work.iterdir():
        if p.name not in with_findings:
            assert (p.read_bytes(), os.stat(p).st_mtime_ns) == before[p.name], p.name
    second = run_cli("migrate", "--unsafe-fixes", *files)
    assert second.returncode == r.returncode and second.stdout == "", second.stdout[:2000]
    assert second.stderr.splitlines() == refused


# -- regression tests from hostile inputs (issue 11), kept with the module they test --------------
import json  # noqa: E402
from tests.conftest import run_bounded, one_line  # noqa: E402


# -- migrate and config --------------------------------------------------------------------------


def test_a_python_file_with_a_bom_is_migrated_and_keeps_it(tmp_path):
    f = tmp_path / "build.py"
    f.write_bytes("\ufeffIMAGE = 'aishell:base'\n".encode())
    r = run_bounded("migrate", "--write", tmp_path)
    assert r.returncode == 0, r.stderr
    assert f.read_bytes() == "\ufeffIMAGE = 'aishell:foundation'\n".encode()


def test_python_only_the_exact_image_changes(tmp_path):
    keep = (
        'a = f"aishell:base{SUFFIX}"\n'
        'b = "aishell:base{}".format(x)\n'
        'c = "aishell:base%s" % x\n'
        'd = "aishell:base is deprecated; use aishell:foundation"\n'
        'e = "docker.io/library/aishell:base-extra"\n'
    )
    f = tmp_path / "x.py"
    f.write_text(keep + "IMAGES = [" + ", ".join(['"aishell:base"'] * 13) + "]\n")
    r = run_bounded("migrate", "--write", f)
    assert r.returncode == 0, r.stderr
    assert f.read_text() == keep + "IMAGES = [" + ", ".join(['"aishell:foundation"'] * 13) + "]\n"
    assert "13 fixes applied" in r.stdout


def test_mixed_line_endings_are_fixed_and_kept_line_by_line(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_bytes(b"FROM aishell:base\r\nRUN echo a\nRUN echo b\r\n")
    r = run_bounded("migrate", "--write", f)
    assert r.returncode == 0, r.stderr
    assert f.read_bytes() == b"FROM aishell:foundation\r\nRUN echo a\nRUN echo b\r\n"


@pytest.mark.parametrize(
    "config, message",
    [
        ("lnt:\n  select: [AIS001]\n", "unknown key 'lnt'"),
        ("lint:\n  severity:\n    AIS: error\n", "lint.severity: 'AIS' is not a rule code"),
    ],
)
def test_config_mistakes_are_errors(tmp_path, config, message):
    (tmp_path / ".aishell").mkdir()
    (tmp_path / ".aishell" / "config.yaml").write_text(config)
    (tmp_path / ".aishell" / "Dockerfile").write_text("FROM aishell:foundation\n")
    r = run_bounded("lint", cwd=tmp_path)
    assert r.returncode == 2 and message in one_line(r)


def test_an_ignore_pragma_with_spaces_after_commas_suppresses_every_code(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text(
        "FROM aishell:foundation\n# aishell: ignore=AIS002, AIS003 CI installs it itself\n"
        "RUN npm i -g @openai/codex && claude --version\n"
    )
    r = run_bounded("lint", "--format", "json", f)
    assert r.returncode == 0 and json.loads(r.stdout) == [], r.stdout


def test_the_diff_of_an_existing_empty_file_is_not_a_creation(tmp_path, monkeypatch):
    """An edited file that exists but is empty is `a/NAME` in the diff (git apply would refuse
    `/dev/null` for a file that is there); only an absent one is `/dev/null`."""
    from aishell.migrate.fixer import FileChange

    monkeypatch.chdir(tmp_path)
    files = {"empty/.dockerignore": ("", ".env\n"), "absent/.dockerignore": (None, ".env\n")}
    diff = FileChange("Dockerfile", "FROM a\n", "FROM a\n", files=files).diff()
    assert "--- a/empty/.dockerignore\n+++ b/empty/.dockerignore\n" in diff
    assert "--- /dev/null\n+++ b/absent/.dockerignore\n" in diff


def _plus_cases():
    """Expressions where `+` joins the exact image literal to something (left as they are),
    and the same literal where no `+` touches it (rewritten)."""
    import itertools

    image = ['"aishell:base"', "'aishell:base'", 'f"aishell:base"', '("aishell:base")', '"aishell:" "base"']
    other = ['"-custom"', "suffix", "f()", '""', '("x")', "[1][0]"]
    joined = [f"{i} + {o}" for i, o in itertools.product(image, other)]
    joined += [f"{o} + {i}" for i, o in itertools.product(image, other)]
    joined += [f"x = a + {image[0]} + b", f"({image[0]} + s).strip()"]
    alone = [f"[{image[0]}, 1 + 2]", f"f({image[0]}) + g()", f"{{'k': {image[0]}}}", f"s == {image[0]}"]
    return joined, alone


@pytest.mark.parametrize("expr", _plus_cases()[0])
def test_python_a_literal_plus_joins_to_something_is_left_with_a_warning(expr):
    """`"aishell:base" + "-custom"` named another image once it became `aishell:foundation-custom`
    (found by a red-team pass)."""
    from aishell.migrate.python_codemod import rewrite_python

    source = f"x = {expr}\n"
    new, warnings, _ = rewrite_python(source, "x.py")
    assert new == source
    if "aishell:base" in expr:  # (`"aishell:" "base"`: no literal is the image, nothing to say)
        assert warnings, expr


@pytest.mark.parametrize("expr", _plus_cases()[1])
def test_python_a_literal_no_plus_touches_is_still_rewritten(expr):
    from aishell.migrate.python_codemod import rewrite_python

    new, _, _ = rewrite_python(f"x = {expr}\n", "x.py")
    assert new == f"x = {expr}\n".replace('"aishell:base"', '"aishell:foundation"')
