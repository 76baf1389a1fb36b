"""What a shell reads on its stdin is what the last redirection of fd 0 gives it.

Red team 40 (stdin-redirected): AIS002 gave errors, which block `aishell build`, for a shell
fed a script whose stdin a later redirection replaces (`echo 'claude -v' | sh -s < /dev/null`,
`| sh <&-`, `bash <<'EOF' < /dev/null`, `sh <<'EOF' 0<&-`) or fed a heredoc on another fd
(`sh 3<<'EOF'`, `cat 4<<'EOF' | sh`): redirections apply left to right after the pipe is set
up, the last one of fd 0 wins, and a heredoc with another fd is not stdin. The class: every
feeder × every shell that reads its stdin × every redirection after (and before: the controls),
checked against dash (a script that does not fail there is no error).
"""

import pytest

from tests.dash import runs_claude
from tests.severities import severities

HEAD = "FROM aishell:foundation\n"

# How the script reaches the shell: (line with {shell} and {redir}, bodies after the line).
FEEDS = [
    ("echo 'claude -v' | {shell} {redir}", ""),
    ("printf 'claude -v\\n' | {shell} {redir}", ""),
    ("cat <<'EOF' | {shell} {redir}", "claude -v\nEOF\n"),
    ("{shell} <<'EOF' {redir}", "claude -v\nEOF\n"),
    ("{shell} <<< 'claude -v' {redir}", ""),
    ("{shell} {redir} <<'EOF'", "claude -v\nEOF\n"),
]
SHELLS = ["sh", "sh -s", "bash", "bash -s --", "sh /dev/stdin", ". /dev/stdin"]
# Redirections of fd 0 (or of another fd) and whether the script still reaches the shell.
REDIRS = [
    ("< /dev/null", False),
    ("0</dev/null", False),
    ("<&-", False),
    ("0<&-", False),
    ("< /etc/hostname", False),
    ("2>/dev/null", True),
    ("3</dev/null", True),
    ("<&0", True),
    ("", True),
]


@pytest.mark.parametrize("redir,reaches", REDIRS)
@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("feed", FEEDS)
def test_the_last_redirection_of_stdin_wins(feed, shell, redir, reaches, tmp_path):
    line, bodies = feed
    if "<<<" in line and shell.startswith("."):
        pytest.skip("dash has no here-string")
    script = line.format(shell=shell, redir=redir) + "\n" + bodies
    # (A here-string is bash's: under the default SHELL dash refuses the line, nothing runs, r70.)
    got = severities(HEAD + ('SHELL ["/bin/bash", "-c"]\n' if "<<<" in line else "") + "RUN " + script)
    if line.startswith("{shell} {redir}") and redir:
        reaches = True  # (the heredoc comes after the redirection: it wins)
    if "<<<" not in line:
        ran, failed = runs_claude(script, tmp_path)
        assert reaches == ran, script  # (the table agrees with dash)
    if reaches:
        assert got == ["error"], (script, got)
    else:
        assert "error" not in got, (script, got)


# A heredoc on another fd is not stdin; on fd 0 (spelled `0<<`) it is.
FDS = [
    ("sh 3<<'EOF'", False),
    ("bash 4<<'EOF'", False),
    ("sh -s 3<<'EOF'", False),
    ("cat 4<<'EOF' | sh", False),
    ("cat 3<<'EOF' | bash -s", False),
    ("sh 0<<'EOF'", True),
    ("cat 0<<'EOF' | sh", True),
    ("sh 3<<'EOF' 0<<'EOF'", True),
]


@pytest.mark.parametrize("line,reaches", FDS)
def test_a_heredoc_on_another_fd_is_not_stdin(line, reaches, tmp_path):
    bodies = "claude -v\nEOF\n" * line.count("<<")
    script = line + "\n" + bodies
    ran, _ = runs_claude(script, tmp_path)
    assert ran == reaches, script
    got = severities(HEAD + "RUN " + script)
    if reaches:
        assert got == ["error"], (script, got)
    else:
        assert "error" not in got, (script, got)
