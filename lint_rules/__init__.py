"""The lint rules: one module per rule, named after its code.

Every module declares CODE, NAME, SEVERITY, FIX_AVAILABILITY, VALID, INVALID
and ``check(ctx)``, and documents itself in its docstring (What it does / Why
is this bad? / Example / Use instead / Fix safety). Adding a rule means adding
its module to RULE_MODULES; tests/test_rule_examples.py then runs its examples
(each INVALID one states its findings' spans and, when fixable, the fixed text).
"""

from __future__ import annotations

import importlib

RULE_MODULES = (
    "ais001_legacy_base_image",
    "ais002_harness_at_build_time",
    "ais003_harness_installed_in_extension",
    "ais004_command_not_in_foundation",
    "ais101_source_before_dependencies",
    "ais102_volatile_arg_early",
    "ais103_context_without_ignore",
    "ais201_legacy_run_key",
    "ais202_legacy_key_without_equivalent",
)


def all_rules():
    return [importlib.import_module(f"aishell.lint_rules.{m}") for m in RULE_MODULES]


def by_code():
    return {r.CODE: r for r in all_rules()}


def known_code_prefix(code: str) -> bool:
    """True for ALL, a rule code, or a prefix of codes (``AIS0``)."""
    code = code.upper()
    return code == "ALL" or any(m.upper().startswith(code) for m in (r.split("_", 1)[0] for r in RULE_MODULES))
