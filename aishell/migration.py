"""Fix a Dockerfile: lint, apply the allowed fixes, repeat until nothing changes.

The loop lives here (the outer layer) because it needs both the rules and the
``migrate`` engine; ``migrate`` itself never sees a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aishell.errors import InputError
from aishell.findings import SAFE, Finding
from aishell.lint import Options, lint_text
from aishell.model import DockerfileSyntaxError, parse

MAX_PASSES = 10


@dataclass
class FixResult:
    path: str
    source: str
    text: str
    applied: list[Finding] = field(default_factory=list)
    held_back: int = 0  # unsafe fixes not applied
    remaining: list[Finding] = field(default_factory=list)  # findings still present
    new_files: dict[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.text != self.source or bool(self.new_files)


def fix_text(text: str, path: str, options: Options | None = None, unsafe: bool = False) -> FixResult:
    from migrate.apply import apply_edits, select_fixes
    from migrate.verify import check_dockerfile

    result = FixResult(path, text, text)
    current = lint_text(text, path, options)
    for _ in range(MAX_PASSES):
        allowed = [f for f in current.findings if f.fix and (unsafe or f.fix.applicability == SAFE)]
        for f in current.findings:
            for name, content in f.new_files:
                if f.fix and (unsafe or f.fix.applicability == SAFE):
                    result.new_files.setdefault(name, content)
        fixes, _ = select_fixes(f.fix for f in allowed)
        fixes = [fx for fx in fixes if fx.edits]
        if not fixes:
            break
        new = apply_edits(result.text, [e for fx in fixes for e in fx.edits])
        if new == result.text:
            break
        try:
            parse(new, path)
        except DockerfileSyntaxError as e:
            raise InputError(path, f"a fix would make the file invalid ({e}); nothing was written") from None
        applied_edits = {fx.edits for fx in fixes}
        result.applied.extend(f for f in allowed if f.fix.edits in applied_edits)
        result.text = new
        current = lint_text(new, path, options)
    else:
        raise InputError(path, f"fixes did not settle after {MAX_PASSES} passes; nothing was written")
    result.remaining = current.findings
    result.held_back = sum(1 for f in current.findings if f.fix and f.fix.applicability != SAFE and not unsafe)
    if result.text != text:
        check_dockerfile(text, result.text, path)
    return result
