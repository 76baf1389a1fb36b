"""A shell that is the one command of a `-c` string reads the stdin that string's shell was given.

Red team 48 (04.sh): `bash -c 'sh' <<EOF`, `sh -c 'exec sh -e' <<EOF`, `echo 'claude -v' | sh -c
'sh'` run the script on the outer shell's stdin, and gave nothing, while `sh <<EOF` is an error.
The class: every outer shell × every inner shell that reads its stdin × every way the script
reaches the outer one × a redirection of the inner one's stdin (which wins), checked against dash.
Not read (yet): a subshell or group given the heredoc (`( sh ) <<EOF`, `{ sh; } <<EOF`), a pipe
into a subshell is a warning (`… | ( sh )`), and lines a loop or xargs runs.
"""

import pytest

from tests.dash import runs_claude
from tests.severities import severities

HEAD = "FROM aishell:foundation\n"
OUTER = ["bash -c '{inner}'", "sh -ec 'exec {inner}'"]
INNER = ["sh", "sh -e", "bash -s"]
FEEDS = [("{outer} <<EOF", "claude -v\nEOF\n"), ("echo 'claude -v' | {outer}", "")]
# (An inner command with a redirection is not read: `sh 2>/dev/null` is missed.)
REDIRS = [("", True), (" < /dev/null", False), (" <&-", False)]


@pytest.mark.parametrize("redir,reaches", REDIRS)
@pytest.mark.parametrize("feed", FEEDS)
@pytest.mark.parametrize("inner", INNER)
@pytest.mark.parametrize("outer", OUTER)
def test_the_inner_shell_reads_the_outer_stdin(outer, inner, feed, redir, reaches, tmp_path):
    line, body = feed
    script = line.format(outer=outer.format(inner=inner + redir)) + "\n" + body
    ran, _ = runs_claude(script, tmp_path)
    assert ran == reaches, script  # (the table agrees with dash)
    assert severities(HEAD + "RUN " + script) == (["error"] if reaches else []), script


@pytest.mark.parametrize(
    "script",
    [
        "bash -c 'cat' <<EOF\nclaude -v\nEOF\n",  # (data: cat prints it)
        "sh -c 'true; sh' <<EOF\nclaude -v\nEOF\n",  # (not its one command: not read)
        "sh -c 'sh -n' <<EOF\nclaude -v\nEOF\n",  # (-n runs nothing)
        "sh -c 'sh' 3<<EOF\nclaude -v\nEOF\n",  # (another fd)
    ],
)
def test_no_finding(script):
    assert "error" not in severities(HEAD + "RUN " + script), script


def test_a_pipe_into_a_subshell_is_a_warning():
    assert severities(HEAD + "RUN echo 'claude -v' | ( sh )\n") == ["warning"]
