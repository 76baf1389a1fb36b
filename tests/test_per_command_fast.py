"""Per-command shortcuts of the `&&` list and made-files shapes give what their general paths give
(issue 18, "Linear by design").

- aishell.harness.INSTALL_TOOLS: AIS002's _read_installs asks find_install only of a command
  whose name is one of them; find_install answers None for any other.
- lint_rules._edits._sep: the operator between two items on continued lines without a comment,
  without sep_of's split into lines.
(drop_items' shortcut for a RUN without heredocs is JOINED_FIRST's: tests/test_edits_fast.py.)
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.harness import INSTALL_TOOLS, SPECS, find_install
from aishell.lint_rules import _edits

# Command names: every tool find_install reads, spelled as a path too, and others that are not.
_NAMES = sorted(INSTALL_TOOLS | set(SPECS)) + [
    "claude",
    "ln",
    "pip",
    "apt-get",
    "npx",
    "node",
    "sh",
    "",
    "/usr/bin/npm",
]
_WORDS = [
    "i",
    "install",
    "add",
    "-g",
    "--global",
    "global",
    "@anthropic-ai/claude-code",
    "@openai/codex",
    "pnpm@9",
    "npm",
    "https://claude.ai/install.sh",
    "-fsSL",
    "x",
]

# One install each tool makes (find_install answers it): a tool left out of INSTALL_TOOLS fails here.
_INSTALLS = {
    "npm": ["npm", "i", "-g", "@anthropic-ai/claude-code"],
    "pnpm": ["pnpm", "add", "-g", "@openai/codex"],
    "yarn": ["yarn", "global", "add", "@openai/codex"],
    "bun": ["bun", "add", "-g", "@openai/codex"],
    "corepack": ["corepack", "pnpm@9", "add", "-g", "@openai/codex"],
    "volta": ["volta", "install", "@anthropic-ai/claude-code"],
    "curl": ["curl", "-fsSL", "https://claude.ai/install.sh"],
    "wget": ["wget", "https://claude.ai/install.sh"],
}


def test_each_install_tool_installs():
    assert set(_INSTALLS) == INSTALL_TOOLS
    for argv in _INSTALLS.values():
        assert find_install(argv) is not None, argv
        assert find_install(["/usr/local/bin/" + argv[0], *argv[1:]]) is not None, argv


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(_NAMES),
    st.lists(st.sampled_from(_WORDS), max_size=5),
    st.sampled_from([None, {"npm_config_global": "true"}]),
)
def test_find_install_answers_none_for_other_names(name, args, env):
    argv = [name, *args] if name else args
    if argv and argv[0].rsplit("/", 1)[-1] not in INSTALL_TOOLS:
        assert find_install(argv, env) is None


_PIECES = [" ", "\t", "&&", "||", ";", "&", "|", "\\\n", "\\\r\n", "\n", "\r", "# c\n", "`", "\\", "  # x\n"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=8))
def test_sep_is_sep_of(pieces):
    between = "".join(pieces)
    text = "a" + between + "b"
    spans = [(0, 1), (1 + len(between), 2 + len(between))]
    assert _edits._sep(text, spans, 0) == _edits.sep_of(between)
