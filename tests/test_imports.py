"""Dependencies point one way, and `aishell lint` stays light."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = {"aishell.model", "aishell.findings", "aishell.rule", "aishell.shell", "aishell.harness", "aishell.errors", "aishell.images", "aishell.deps",
        "aishell.legacy_config", "aishell.foundation_manifest"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_rules_depend_only_on_the_core():
    for path in (ROOT / "lint_rules").glob("*.py"):
        for mod in imports_of(path):
            if mod.startswith(("aishell", "lint_rules")):
                assert mod in CORE or mod.startswith("lint_rules") or mod == "aishell", f"{path.name} imports {mod}"


def test_core_does_not_import_outer_layers():
    for name in CORE:
        path = ROOT / (name.replace(".", "/") + ".py")
        for mod in imports_of(path):
            top = mod.split(".")[0]
            assert top not in ("lint_rules", "migrate", "docker", "libcst", "rich", "click"), f"{name} imports {mod}"


def test_migrate_does_not_import_rules():
    for path in (ROOT / "migrate").glob("*.py"):
        for mod in imports_of(path):
            assert not mod.startswith("lint_rules"), f"{path.name} imports {mod}"


def test_lint_does_not_import_libcst_or_docker(tmp_path):
    df = tmp_path / "Dockerfile"
    df.write_text("FROM aishell:base\nRUN claude --version\n")
    code = (
        "import sys\n"
        "from aishell.cli import main\n"
        f"try:\n    main(['lint', {str(df)!r}])\nexcept SystemExit:\n    pass\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('libcst', 'docker'))\n"
        "print('BAD', bad)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "BAD []" in r.stdout, r.stdout + r.stderr
