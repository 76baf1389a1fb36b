"""A heredoc given to a group (`( sh ) <<EOF`, `{ sh; } <<EOF`) is read by the group's first command that reads stdin.

`RUN ( sh ) <<EOF` + `claude -v` ran the harness at build time, unseen by AIS002: the reader
gave the heredoc to an empty command after the group. The class: `( )` or `{ }` around commands
that read no stdin (`cd`, `echo`, `export`, `true`) then a command that does (a shell, `cat | sh`,
`bash -e`), a heredoc on the group, commands after it in the group and after the group. The
oracle is dash, the harness a stub that records that it ran and fails as "not found" does: a
harness that runs must be reported, an error only where the RUN fails.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.shell import group_stdin, tokenize
from tests.dash import SH, agrees, outcome
from tests.severities import severities


BEFORE = ["cd /", "true", "echo x", "export A=1"]
READERS = ["sh", "sh -e", "dash", "cat | sh", "sh -s", "exec sh"]
AFTER = ["true", "echo done", "false"]


@st.composite
def groups(draw):
    before = draw(st.lists(st.sampled_from(BEFORE), max_size=2))
    joins = [draw(st.sampled_from(["; ", " && "])) for _ in before]
    inside = "".join(b + j for b, j in zip(before, joins)) + draw(st.sampled_from(READERS))
    if draw(st.booleans()):
        inside += "; " + draw(st.sampled_from(AFTER))
    group = f"( {inside} )" if draw(st.booleans()) else f"{{ {inside}; }}"
    tail = draw(st.sampled_from(["", " || true", " && echo ok", " ; true"]))  # (`<<EOF;`: BuildKit reads no heredoc)
    body = draw(st.sampled_from(["claude -v", "claude -v || true", "echo a\nclaude -v\necho b", "set -e\nclaude -v"]))
    return f"{group} <<EOF{tail}\n{body}\nEOF\n"


def _outcome(script: str, tmp_path) -> tuple[bool, bool]:
    """(the RUN fails, the harness ran), as dash runs ``script``."""
    return outcome(script, tmp_path)


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=groups())
def test_a_heredoc_on_a_group_reaches_the_shell_inside(tmp_path, script):
    found = severities("FROM aishell:foundation\nRUN " + script)
    fails, ran = _outcome(script, tmp_path)
    agrees(found, fails, ran, script)


@pytest.mark.parametrize(
    "line",
    [
        "( echo x | sh ) <<EOF",  # the pipe is sh's stdin
        "( sh < /dev/null ) <<EOF",
        "f() { sh; } <<EOF",  # a definition: nothing runs
        "case x in x) sh ;; esac <<EOF",
    ],
)
def test_where_the_group_does_not_give_its_stdin_to_a_shell(line):
    assert severities(f"FROM aishell:foundation\nRUN {line}\nclaude -v\nEOF\n") == []


def test_nothing_moves_without_a_group_heredoc():
    for s in ["( sh ) < f", "sh <<EOF", "{ cat; } 3<<EOF", "( sh ) <<< x"]:
        toks, _ = tokenize(s)
        assert group_stdin(toks) is toks or group_stdin(toks) == toks, s
