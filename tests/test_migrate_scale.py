"""Blow-up guards for migrate (issue 18): each shape at n and 16n must take less than ten times
the linear growth (16 x 10 = 160 times as long); quadratic work takes 256 times as long. No
other timing is asserted: speed is measured by benchmarks/migrate_scale.py, in docs/benchmarks.md.
"""

from __future__ import annotations

import subprocess
import sys

from aishell.findings import SAFE, Edit, Fix
from aishell.lint import Options
from aishell.migration import fix_text
from aishell.migrate.apply import apply_edits, select_fixes
from aishell.migrate.python_refs import rewrite_python_bounded
from tests.growth import MARGIN, best, guard


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

    guard(select_and_apply, 1000)


def test_fixing_many_stages_is_not_quadratic(tmp_path):
    path = str(tmp_path / "Dockerfile")

    def many_fixes(n: int) -> None:
        text = "# stage\nFROM aishell:base AS s\nARG BUILD_DATE\nRUN apt-get update && claude --version\nRUN make\n" * n
        fix_text(text, path, Options(use_config=False), unsafe=True)

    guard(many_fixes, 60)


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

    guard(distinct, 40)


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

    guard(one_run, 400)


def test_rewriting_python_with_many_references_is_not_quadratic():
    def many_refs(n: int) -> None:
        rewrite_python_bounded('def f():\n    return "aishell:base"\n\n' * n, "x.py")

    rewrite_python_bounded('I = "aishell:base"\n', "x.py")  # libcst imported before timing
    guard(many_refs, 40)


def test_python_naming_the_image_now_and_then_is_not_quadratic():
    """The benchmark's shape: code between the mentions is only checked, each mention's
    statement gets a tree; a mention inside a long string is one piece."""
    filler = "".join(f"def f{i}(x):\n    return {{'k': [x, 'text {i}']}}\n\n" for i in range(30))
    text = 'S = """\n' + "aishell:base\n" * 200 + '"""\n'

    def mentions(n: int) -> None:
        rewrite_python_bounded((filler + 'IMAGE = "aishell:base"\n') * n + text * (n // 10 + 1), "x.py")

    rewrite_python_bounded('I = "aishell:base"\n', "x.py")  # libcst imported before timing
    guard(mentions, 20)


def test_python_naming_the_image_in_expressions_is_not_quadratic():
    """benchmarks/migrate_scale.py's shape of a statement libcst rewrote on every line (a join
    with a part naming the image, one joining to it, in a conditional and a call): decided from
    the text (python_refs._plain_text; tests/test_migrate_python_text.py checks no tree is built)."""

    def expressions(n: int) -> None:
        src = "".join(f'X{i} = "aishell:base" "" if f("aishell:" "base") else g({i})\n' for i in range(n))
        assert rewrite_python_bounded(src, "x.py")[2] == 2 * n

    guard(expressions, 300)


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

    guard(stage_chain_diff, 1500)


def test_the_diff_of_a_repeated_block_is_not_quadratic():
    """No line found only once (a Python file of one block repeated, the image named in each):
    difflib took 30 s at 1 MB; the region is walked now (aishell.migrate.diff._sync)."""
    from aishell.migrate.diff import unified_diff

    def repeated_block(n: int) -> None:
        block = [f"    x{i} = {i}\n" for i in range(120)] + ['IMAGE = "aishell:base"\n']  # no line popular
        a = block * n
        b = [line.replace("base", "foundation") for line in a]
        assert unified_diff(a, b, "a/x.py", "b/x.py")

    guard(repeated_block, 30)


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

    guard(lint, 250)
    guard(migrate, 250)


def _laughs(n: int, last_line_ended: bool = True) -> str:
    """A config whose n lines each name the one before twice (`&aN [*aM, *aM]`): 2^n values
    to a reader that follows each alias, kept aside by migrate (claude_shared_paths)."""
    text = "claude_shared_paths:\n  a0: &a0 [x, x]\n"
    text += "".join(f"  a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n" for i in range(1, n))
    return text + f"pi_packages: *a{n - 1}\nupdate_check: *a{n - 1}" + ("\nmounts: [m]\n" if last_line_ended else "")


@pytest.mark.parametrize("ended", [True, False], ids=["ended", "last line unended"])
def test_migrating_a_config_of_aliases_of_aliases_is_not_exponential(ended):
    """migrate checks its rewrite reads as the same settings; Python's == followed every alias
    each time it was used (28 lines, 711 bytes: 20 s; each line more twice as long). Each pair
    of values is compared once now (config_migrate.same_data): twice the lines, twice the time.
    Past errors.MAX_EXPANDED_VALUES values (2^n here) the config is refused at load, one line:
    as fast, at any length."""
    from aishell.config_migrate import migrate_config_text
    from aishell.errors import InputError

    def migrate(n: int) -> None:
        try:
            new, moves = migrate_config_text(_laughs(n, ended), "/p/.aishell/config.yaml")
        except InputError as e:
            assert n > 14 and "aliases that expand to over" in str(e) and "\n" not in str(e), (n, e)
            return
        assert moves and new.count("*a") == _laughs(n, ended).count("*a")

    migrate(14)  # (2^16 values: migrated, each pair of values compared once)
    small, big = best(migrate, 7), best(migrate, 14)
    assert big < MARGIN * 2 * small + 0.5, f"{small:.3f} s at 7 lines, {big:.3f} s at 14"
    small, big = best(migrate, 30), best(migrate, 60)
    assert big < MARGIN * 2 * small + 0.5, f"{small:.3f} s at 30 lines, {big:.3f} s at 60"


def test_same_data_is_python_equality():
    """same_data(a, b) == (a == b) on generated YAML data, shared values and all."""
    import random

    from aishell.config_migrate import same_data

    rng = random.Random(7)
    scalars = [0, 1, 1.0, True, False, None, "a", "b", "", float("inf")]

    def make(depth: int, pool: list):
        r = rng.random()
        if depth == 0 or r < 0.3:
            return rng.choice(scalars)
        if r < 0.4 and pool:
            return rng.choice(pool)  # an alias
        if r < 0.7:
            v = [make(depth - 1, pool) for _ in range(rng.randrange(3))]
        else:
            v = {rng.choice("abc"): make(depth - 1, pool) for _ in range(rng.randrange(3))}
        pool.append(v)
        return v

    for _ in range(5000):
        seed = rng.random()
        rng.seed(seed)
        a = make(4, [])
        rng.seed(seed if rng.random() < 0.5 else seed + 1)
        b = make(4, [])
        assert same_data(a, b) == (a == b), (a, b)


def test_every_benchmark_shape_is_a_file_migrate_reads(tmp_path):
    """benchmarks/migrate_scale.py's shapes, small: each is one migrate reads and fixes (exit 0
    or 1), not one it refuses (exit 2) as BuildKit would: the model's refusals grow (a FROM of
    two words once came out of the many-fixes shape's rewrite of `FROM --platform=… img`)."""
    import importlib.util
    from pathlib import Path

    from tests.conftest import run_cli

    root = Path(__file__).resolve().parent.parent / "benchmarks"
    sys.path.insert(0, str(root))
    try:
        spec = importlib.util.spec_from_file_location("migrate_scale", root / "migrate_scale.py")
        bench = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bench)
        shapes = list(bench.shapes(bench.corpus_blob(""), 0.05, tmp_path))
    finally:
        sys.path.remove(str(root))
    for name, path in shapes:
        result = run_cli("migrate", "--check", "--unsafe-fixes", str(path))
        assert result.returncode in (0, 1), (name, result.stderr)
