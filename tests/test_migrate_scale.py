"""Blow-up guards for migrate (issue 18): each shape at n and 16n must take less than ten times
the linear growth (16 x 10 = 160 times as long); quadratic work takes 256 times as long. No
other timing is asserted: speed is measured by benchmarks/migrate_scale.py, in docs/benchmarks.md.
"""

from __future__ import annotations

import subprocess
import sys
import time

from aishell.findings import SAFE, Edit, Fix
from aishell.lint import Options
from aishell.migration import fix_text
from aishell.migrate.apply import apply_edits, select_fixes
from aishell.migrate.python_refs import rewrite_python_bounded

GROWTH, MARGIN = 16, 10


def _best(fn, n: int) -> float:
    times = []
    for _ in range(2):
        t = time.perf_counter()
        fn(n)
        times.append(time.perf_counter() - t)
    return min(times)


def _guard(fn, n: int) -> None:
    small, big = _best(fn, n), _best(fn, n * GROWTH)
    assert big < MARGIN * GROWTH * small + 0.5, f"{fn.__name__}: {small:.3f} s at n={n}, {big:.3f} s at {n * GROWTH}"


def test_selecting_and_applying_fixes_is_not_quadratic():
    def select_and_apply(n: int) -> None:
        text = "x" * (n * 20)
        fixes = []
        for i in range(n):
            a = i * 20
            fixes.append(Fix(SAFE, "", (Edit(a, a + 5, "y"),)))
            fixes.append(Fix(SAFE, "", (Edit(a + 3, a + 8, "z"),)))  # overlaps the one before
            fixes.append(Fix(SAFE, "", (Edit(a + 10, a + 11, ""), Edit(len(text) - i, len(text) - i, "m"))))  # a move
        chosen, _ = select_fixes(fixes)
        apply_edits(text, [e for f in chosen for e in f.edits])

    _guard(select_and_apply, 1000)


def test_fixing_many_stages_is_not_quadratic(tmp_path):
    path = str(tmp_path / "Dockerfile")

    def many_fixes(n: int) -> None:
        text = "# stage\nFROM aishell:base AS s\nARG BUILD_DATE\nRUN apt-get update && claude --version\nRUN make\n" * n
        fix_text(text, path, Options(use_config=False), unsafe=True)

    _guard(many_fixes, 60)


def test_fixing_many_distinct_stages_is_not_quadratic(tmp_path):
    """benchmarks/migrate_scale.py's pair shapes with every stage spelled differently: no memo by
    text helps, each stage costs its own reading (the repeated shapes hide that)."""
    path = str(tmp_path / "Dockerfile")
    (tmp_path / "package.json").write_text("{}\n")

    def distinct(n: int) -> None:
        text = "".join(
            f"FROM debian\nARG S{i}_BUILD_DATE\nRUN apt-get update\nRUN make t{i}\n"
            f"FROM node\nWORKDIR /app{i}\nCOPY . .\nRUN npm ci --ignore-scripts\n"
            for i in range(n)
        )
        fix_text(text, path, Options(use_config=False), unsafe=True)

    _guard(distinct, 40)


import pytest  # noqa: E402


@pytest.mark.parametrize(
    "piece, joint",
    [
        ("claude --version", " \\\n && "),
        ("npx -y @openai/codex exec hi", " ; \\\n"),
        ("npm i -g @anthropic-ai/claude-code", " \\\n\t&& "),
        ("gemini -p hi || true", " \\\n ; "),
    ],
)
def test_many_fixes_inside_one_instruction_are_not_quadratic(tmp_path, piece, joint):
    """One RUN holding n harness commands: n fixes of one instruction. Each was checked by
    re-reading the whole instruction (2,000 commands: 7 s, 4,000: 27 s); they are checked
    together now (migrate.fixer._check_fixes)."""
    path = str(tmp_path / "Dockerfile")

    def one_run(n: int) -> None:
        text = "FROM aishell:foundation\nRUN echo a && " + joint.join([piece] * n) + " && echo b\n"
        fix_text(text, path, Options(use_config=False), unsafe=True)

    _guard(one_run, 400)


def test_rewriting_python_with_many_references_is_not_quadratic():
    def many_refs(n: int) -> None:
        rewrite_python_bounded('def f():\n    return "aishell:base"\n\n' * n, "x.py")

    rewrite_python_bounded('I = "aishell:base"\n', "x.py")  # libcst imported before timing
    _guard(many_refs, 40)


def test_python_naming_the_image_now_and_then_is_not_quadratic():
    """The benchmark's shape: code between the mentions is only checked, each mention's
    statement gets a tree; a mention inside a long string is one piece."""
    filler = "".join(f"def f{i}(x):\n    return {{'k': [x, 'text {i}']}}\n\n" for i in range(30))
    text = 'S = """\n' + "aishell:base\n" * 200 + '"""\n'

    def mentions(n: int) -> None:
        rewrite_python_bounded((filler + 'IMAGE = "aishell:base"\n') * n + text * (n // 10 + 1), "x.py")

    rewrite_python_bounded('I = "aishell:base"\n', "x.py")  # libcst imported before timing
    _guard(mentions, 20)


def test_python_without_the_image_is_never_parsed(tmp_path):
    """3 MB of Python that never mentions the image: libcst is not even imported."""
    big = tmp_path / "big.py"
    big.write_text("def f(x):\n    return {'k': [x, 'text'], 'n': x * 3}\n\n" * 60_000)
    code = (
        "import sys\nfrom aishell.migration import migrate_paths\n"
        f"r = migrate_paths([{str(big)!r}])\n"
        "print(len(r.changed), len(r.errors), 'libcst' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[:3] == ["0", "0", "False"], out


def test_the_diff_of_many_changes_is_not_quadratic():
    """The diff `aishell migrate` prints (aishell.migrate.diff): a chain of n stages, each
    losing its RUN (AIS002's unsafe fix on benchmarks/scale.py's stage chain) or getting it
    changed, with a line added now and then. difflib took about 15 minutes on it at 1 MB
    (SequenceMatcher scanned the rest of the file again after each change)."""
    from aishell.migrate.fixer import FileChange

    def stage_chain_diff(n: int) -> None:
        before = "FROM node AS s0\n" + "".join(f"FROM s{i} AS s{i + 1}\nRUN claude --version\n" for i in range(n))
        parts = []
        for i in range(n):
            parts.append(f"FROM s{i} AS s{i + 1}\n")
            if i % 3 == 1:
                parts.append("RUN true\n")
            elif i % 7 == 0:
                parts.append("ARG BUILD_DATE\n")
        assert FileChange("Dockerfile", before, "FROM node AS s0\n" + "".join(parts)).diff()

    _guard(stage_chain_diff, 1500)


def test_the_diff_of_a_repeated_block_is_not_quadratic():
    """No line found only once (a Python file of one block repeated, the image named in each):
    difflib took 30 s at 1 MB; the region is walked now (aishell.migrate.diff._sync)."""
    from aishell.migrate.diff import unified_diff

    def repeated_block(n: int) -> None:
        block = [f"    x{i} = {i}\n" for i in range(120)] + ['IMAGE = "aishell:base"\n']  # no line popular
        a = block * n
        b = [line.replace("base", "foundation") for line in a]
        assert unified_diff(a, b, "a/x.py", "b/x.py")

    _guard(repeated_block, 30)


@pytest.mark.parametrize("joint", [" | ", " \\\n| "])
def test_a_pipeline_of_many_harness_stages_is_not_quadratic(tmp_path, joint):
    """`RUN a | claude -p x | … | b`: each finding's fix asked for the pipeline's stages, a scan
    of the whole pipeline each (4,006,001 regex matches at 2,000 stages); lint and migrate
    --check --unsafe-fixes read them once per pipeline."""
    from aishell.lint import lint_text

    path = str(tmp_path / "Dockerfile")

    def text(n: int) -> str:
        return "FROM debian\nRUN a" + (joint + "claude -p x") * n + joint + "b\n"

    def lint(n: int) -> None:
        lint_text(text(n), path, Options(use_config=False))

    def migrate(n: int) -> None:
        fix_text(text(n), path, Options(use_config=False), unsafe=True)

    _guard(lint, 250)
    _guard(migrate, 250)
