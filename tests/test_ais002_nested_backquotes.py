"""A backquoted substitution's escaped backquotes nest a substitution in it, as dash reads them.

Red team (last session): ``x=`\\`claude -v\\``` (a substitution nested in backquote form) had no
finding: the body of a backquoted substitution was read as written, `\\`` and all, though the
shell first removes a backslash before `` ` ``, `$` or `\\` there (POSIX 2.6.3), so the body is
`` `claude -v` ``, which runs claude. The class: scripts nested one to four deep, each level a
command substitution, spelled in backquotes (each level's backslashes and backquotes escaped
for the one around it) and in `$( )`; dash runs the backquote spelling with a stub harness (the
oracle: `agrees`), and the two spellings of the same script have the same findings.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dash import agrees, outcome
from tests.severities import severities

HEAD = "FROM aishell:foundation\nRUN "
LEAVES = ["claude -v", "echo claude", "true", "printf claude", "codex --version", "echo 'a b'"]
SLOTS = ["{s}", "echo {s}", "x={s}", "{s} -v", "true && {s}", "{s}; true", 'echo "{s}"']


def _backquote(text: str) -> str:
    return "`" + text.replace("\\", "\\\\").replace("`", "\\`") + "`"


def _paren(text: str) -> str:
    return "$(" + text + ")"


def _render(tree, sub) -> str:
    if isinstance(tree, str):
        return tree
    slot, inner = tree
    return slot.replace("{s}", sub(_render(inner, sub)))


def _writes_a_command(tree) -> bool:
    """Whether a level's output may be run as a command: an echo or printf inside a slot that
    runs what its substitution writes."""
    if isinstance(tree, str):
        return False
    slot, inner = tree
    writes = inner if isinstance(inner, str) else inner[0]
    return writes.startswith(("echo", "printf")) or _writes_a_command(inner)


_TREES = st.recursive(st.sampled_from(LEAVES), lambda inner: st.tuples(st.sampled_from(SLOTS), inner), max_leaves=3)


def test_escaped_backquotes_nest_as_dash_reads_them(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bq")

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_TREES)
    def check(tree):
        quoted = _render(tree, _backquote)
        found = severities(HEAD + quoted + "\n")
        failed, ran = outcome(quoted + " </dev/null", tmp, harnesses=("claude", "codex"), cwd=tmp)
        assert "error" not in found or (failed and ran), (quoted, found, failed, ran)
        paren = _render(tree, _paren)
        assert found == severities(HEAD + paren + "\n"), (quoted, paren)
        if found or not _writes_a_command(tree):
            # (What a nested echo writes run as a command, `` `echo \`echo claude\`` ``, is the
            # `$( )` spelling's class: not read there either.)
            agrees(found, failed, ran, quoted)

    check()


def test_the_named_lines():
    assert severities(HEAD + "x=`\\`claude -v\\``\n") == severities(HEAD + "x=$($(claude -v))\n") != []
    assert severities(HEAD + "x=`echo \\`claude -v\\``\n") != []
    assert severities(HEAD + "x=`echo \\\\\\`claude\\\\\\``\n") == []  # (an echo of a backquote)
