"""Every rule's VALID and INVALID examples, run as tests (Fixit's pattern).

Adding a rule never means editing this file: modules are discovered."""

import importlib
import pkgutil
import re

import pytest

from aishell import lint_rules
from aishell.findings import SAFE, UNSAFE
from aishell.lint import Options, lint_text
from aishell.migration import fix_text

MODULES = sorted(m.name for m in pkgutil.iter_modules(lint_rules.__path__) if not m.name.startswith("_"))
RULES = [importlib.import_module(f"aishell.lint_rules.{m}") for m in MODULES]
HEADINGS = ["## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"]


def _cases(kind):
    for rule in RULES:
        for i, ex in enumerate(getattr(rule, kind)):
            yield pytest.param(rule, ex, id=f"{rule.CODE}-{kind}-{i}-{ex.name or 'case'}")


def _ctx_files(tmp_path, ex):
    for item in ex.files:
        rel, content = item if isinstance(item, tuple) else (item, "x\n")
        p = tmp_path / rel
        if rel.endswith("/"):
            p.mkdir(parents=True, exist_ok=True)
        else:
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(content)
    path = tmp_path / ex.dockerfile_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ex.source.encode())
    return str(path)


def _opts(rule):
    return Options(select=[rule.CODE], use_config=False)


def test_every_module_is_registered():
    assert MODULES == sorted(lint_rules.RULE_MODULES)


@pytest.mark.parametrize("rule", RULES, ids=[r.CODE for r in RULES])
def test_rule_declares_itself(rule):
    assert re.fullmatch(r"AIS\d{3}", rule.CODE)
    assert rule.__name__.split(".")[-1].startswith(rule.CODE.lower() + "_")
    assert rule.SEVERITY in ("info", "warning", "error")
    assert rule.FIX_AVAILABILITY in ("always", "sometimes", "never")
    doc = rule.__doc__
    positions = [doc.find(h) for h in HEADINGS]
    assert all(p >= 0 for p in positions), f"{rule.CODE} docstring lacks a heading"
    assert positions == sorted(positions)
    assert rule.VALID and rule.INVALID


@pytest.mark.parametrize("rule,ex", list(_cases("VALID")))
def test_valid(rule, ex, tmp_path):
    path = _ctx_files(tmp_path, ex)
    assert lint_text(ex.source, path, _opts(rule)).findings == []


@pytest.mark.parametrize("rule,ex", list(_cases("INVALID")))
def test_invalid(rule, ex, tmp_path):
    path = _ctx_files(tmp_path, ex)
    findings = lint_text(ex.source, path, _opts(rule)).findings
    assert len(findings) == ex.findings
    assert {f.code for f in findings} == {rule.CODE}
    # Fixit's `range`: every INVALID example states where each finding points, so a rule that
    # still reports but at the wrong place fails (and a new rule's examples must say it too).
    assert ex.spans, f"{rule.CODE} INVALID example {ex.name!r} states no spans=((line, col, end_line, end_col), ...)"
    assert [(f.line, f.column, f.end_line, f.end_column) for f in findings] == list(ex.spans)
    fixable = [f for f in findings if f.fix]
    if rule.FIX_AVAILABILITY == "always":
        assert len(fixable) == len(findings)
    if rule.FIX_AVAILABILITY == "never":
        assert not fixable
    if ex.expected is None:
        assert not fixable, "an example without expected output must have no fix"
        return
    assert fixable, "a fixable example needs a fix"
    result = fix_text(ex.source, path, _opts(rule), unsafe=True)
    new_files = {name: after for name, (_, after) in result.files.items()}
    assert result.text == ex.expected or new_files, result.text
    if result.text != ex.expected:
        # A fix that edits another file (AIS103): the expected text is that file.
        assert list(new_files.values()) == [ex.expected]
    # Fixes converge: once fixed (and other files written), nothing fixable is left.
    for name, content in new_files.items():
        with open(name, "w", newline="") as f:
            f.write(content)
    again = lint_text(result.text, path, _opts(rule)).findings
    assert not [f for f in again if f.fix]


@pytest.mark.parametrize("rule", RULES, ids=[r.CODE for r in RULES])
def test_fix_applicability_matches_docs(rule, tmp_path):
    """A rule's fixes carry the applicability its 'Fix safety' section states."""
    section = rule.__doc__.split("## Fix safety", 1)[1].strip().split()[0].rstrip(".").lower()
    seen = set()
    for ex in rule.INVALID:
        path = _ctx_files(tmp_path, ex)
        seen |= {f.fix.applicability for f in lint_text(ex.source, path, _opts(rule)).findings if f.fix}
    if section.startswith("safe"):
        assert seen <= {SAFE}
    elif section.startswith("unsafe"):
        assert seen <= {UNSAFE}
    elif section.startswith("no"):
        assert not seen
    else:
        assert seen <= {SAFE, UNSAFE}
