"""What the precision tests ask of a generated Dockerfile: its findings' severities for a rule."""

from aishell.lint import Options, lint_text

# One harness call per harness, as the generated files place them.
CALLS = {
    "claude": "claude --version",
    "codex": "codex --version",
    "gemini": "gemini --version",
    "opencode": "opencode -v",
}


def severities(text: str, code: str = "AIS002") -> list[str]:
    """The severities of ``code``'s findings on the Dockerfile ``text`` (no config read)."""
    return [f.severity for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings if f.code == code]
