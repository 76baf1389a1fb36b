"""Dependencies point one way, and `aishell lint` stays light."""

import ast
import functools
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = {
    "aishell.model",
    "aishell.findings",
    "aishell.rule",
    "aishell.shell",
    "aishell.harness",
    "aishell.errors",
    "aishell.paths",
    "aishell.images",
    "aishell.deps",
    "aishell.labels",
    "aishell.legacy_config",
    "aishell.foundation_manifest",
    "aishell.wrapper_values",  # (aishell.shell's value checkers, imported when first needed)
    "aishell.compact",  # (aishell.shell's compact scripts, imported when a file first keeps one)
    "aishell.stage_graph",  # (BuildKit's stage graph and mount rules: lint, and _provides' Atoi)
}


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
    for path in (ROOT / "lint_rules").glob("*.py"):  # installed as aishell.lint_rules
        for mod in imports_of(path):
            if mod.startswith("aishell"):
                assert mod in CORE or mod.startswith("aishell.lint_rules") or mod == "aishell", (
                    f"{path.name} imports {mod}"
                )


def test_core_does_not_import_outer_layers():
    for name in CORE:
        path = ROOT / (name.replace(".", "/") + ".py")
        for mod in imports_of(path):
            top = mod.split(".")[0]
            assert top not in ("docker", "libcst", "rich", "click"), f"{name} imports {mod}"
            assert not mod.startswith(("aishell.lint_rules", "aishell.migrate")), f"{name} imports {mod}"


def test_migrate_does_not_import_rules():
    for path in (ROOT / "migrate").glob("*.py"):
        for mod in imports_of(path):
            assert not mod.startswith("aishell.lint_rules"), f"{path.name} imports {mod}"


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


# -- the same, transitively: every import, at module level or inside a function ------------------

PACKAGES = ("aishell",)
# Repository folder -> the package it installs as (pyproject.toml's package-dir).
FOLDERS = {"aishell": "aishell", "lint_rules": "aishell.lint_rules", "migrate": "aishell.migrate"}
LINT_RULES, MIGRATE = "aishell.lint_rules", "aishell.migrate"


def _modules() -> dict[str, Path]:
    out = {}
    for folder, pkg in FOLDERS.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = pkg.split(".") + list(path.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


MODULES = _modules()


@functools.cache  # (each rule's closure reaches the same modules: each file is parsed once)
def _direct(name: str) -> set[str]:
    path = MODULES[name]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if path.name == "__init__.py" else 0)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module
            out.add(mod)
            out |= {f"{mod}.{a.name}" for a in node.names if f"{mod}.{a.name}" in MODULES}
    return out


def closure(*start: str) -> set[str]:
    """Every module reachable from ``start`` (their packages' __init__ included)."""
    seen, todo = set(), list(start)
    while todo:
        mod = todo.pop()
        if mod in seen:
            continue
        seen.add(mod)
        if mod in MODULES:
            for imp in _direct(mod):
                parts = imp.split(".")
                todo.extend(".".join(parts[:k]) for k in range(1, len(parts) + 1))
    return seen


RULES = sorted(m for m in MODULES if m.startswith(LINT_RULES + "."))


def test_rules_reach_only_the_core_transitively():
    for rule in RULES:
        outside = {m for m in closure(rule) if m.split(".")[0] in PACKAGES} - CORE - {"aishell", LINT_RULES}
        assert {m for m in outside if not m.startswith(LINT_RULES + ".")} == set(), f"{rule} reaches {outside}"
        third_party = {m.split(".")[0] for m in closure(rule)} & {"libcst", "docker", "rich", "click", "yaml"}
        assert not third_party, f"{rule} reaches {third_party}"


def test_migrate_never_reaches_a_rule_or_the_linter():
    for mod in (m for m in MODULES if m == MIGRATE or m.startswith(MIGRATE + ".")):
        reached = closure(mod)
        assert not {m for m in reached if m.startswith(LINT_RULES + ".")}, f"{mod} reaches a rule"
        assert "aishell.lint" not in reached and "aishell.migration" not in reached, f"{mod} reaches the linter"


def test_lint_never_reaches_libcst_or_docker_transitively():
    # aishell.lint loads the rules by name (lint_rules.all_rules): count them as imported.
    reached = closure("aishell.lint", *RULES)
    assert not {m.split(".")[0] for m in reached} & {"libcst", "docker"}, sorted(reached)
    assert not {m for m in reached if m == MIGRATE or m.startswith(MIGRATE + ".")}, sorted(reached)


def test_nothing_imports_the_repository_folders_by_their_own_name():
    """lint_rules/ and migrate/ are installed as aishell.lint_rules and aishell.migrate only:
    an import of the bare name works in a checkout and breaks in the wheel."""
    for name, path in MODULES.items():
        for mod in imports_of(path):
            assert mod.split(".")[0] not in ("lint_rules", "migrate"), f"{name} imports {mod}"


def test_a_checkout_finds_its_folders_as_subpackages_without_an_install():
    """No site-packages at all (-S): the checkout's aishell finds lint_rules/ and migrate/ as
    aishell.lint_rules and aishell.migrate, as the wheel installs them."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import aishell.lint_rules, aishell.migrate.apply\n"
        "print(aishell.lint_rules.__file__); print(aishell.migrate.apply.__file__)\n"
    )
    r = subprocess.run([sys.executable, "-S", "-c", code, str(ROOT)], capture_output=True, text=True, cwd="/")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [str(ROOT / "lint_rules" / "__init__.py"), str(ROOT / "migrate" / "apply.py")]
