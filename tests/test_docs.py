"""The docs stay true to the code."""

from pathlib import Path

from aishell.ruledocs import rule_doc
from aishell.lint_rules import all_rules

ROOT = Path(__file__).resolve().parent.parent


def test_rule_pages_match_the_rule_docstrings():
    for rule in all_rules():
        page = ROOT / "docs" / "rules" / f"{rule.CODE}.md"
        assert page.read_text() == rule_doc(rule), (
            f"regenerate with: python -m aishell.ruledocs docs/rules ({rule.CODE})"
        )


def test_every_rule_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text()
    for rule in all_rules():
        assert f"[{rule.CODE}](docs/rules/{rule.CODE}.md)" in readme


def test_exit_codes_are_documented():
    from aishell import errors

    doc = (ROOT / "docs" / "exit-codes.md").read_text()
    for name in ("EXIT_OK", "EXIT_FINDINGS", "EXIT_INPUT", "EXIT_DOCKER", "EXIT_INTERRUPTED"):
        assert f"| {getattr(errors, name)} |" in doc
