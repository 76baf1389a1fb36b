"""Rule documentation, from the rule modules' docstrings (docs/rules/ is generated from here)."""

from __future__ import annotations

import json


def rule_doc(rule) -> str:
    head = (rule.__doc__ or "").strip().splitlines()
    body = "\n".join(head[1:]).strip()
    return (
        f"# {rule.CODE} {rule.NAME}\n\n"
        f"Severity: {rule.SEVERITY}. Fix: {rule.FIX_AVAILABILITY}.\n\n"
        f"{head[0].split(':', 1)[-1].strip() if head else ''}\n\n{body}\n"
    )


def rules_table(fmt: str = "text") -> str:
    from aishell.lint_rules import all_rules

    rules = all_rules()
    if fmt == "json":
        return json.dumps(
            [
                {
                    "code": r.CODE,
                    "name": r.NAME,
                    "severity": r.SEVERITY,
                    "fix": r.FIX_AVAILABILITY,
                    "summary": _summary(r),
                }
                for r in rules
            ],
            indent=2,
        )
    rows = [f"{r.CODE}  {r.NAME:<34} {r.SEVERITY:<8} fix: {r.FIX_AVAILABILITY:<9} {_summary(r)}" for r in rules]
    return "\n".join(rows)


def _summary(rule) -> str:
    first = (rule.__doc__ or "").strip().splitlines()[0]
    return first.split(":", 1)[-1].strip()


def write_docs(folder: str) -> list[str]:
    """Write docs/rules/<CODE>.md for every rule; returns the paths written."""
    import os

    from aishell.lint_rules import all_rules

    paths = []
    for rule in all_rules():
        path = os.path.join(folder, f"{rule.CODE}.md")
        with open(path, "w", encoding="utf-8") as f:
            f.write(rule_doc(rule))
        paths.append(path)
    return paths


if __name__ == "__main__":  # python -m aishell.ruledocs docs/rules
    import sys

    for p in write_docs(sys.argv[1] if len(sys.argv) > 1 else "docs/rules"):
        print(p)
