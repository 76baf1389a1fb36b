"""A wrapper that starts a shell with no command reads its heredoc as that shell's script.

`sudo -s <<EOF … EOF` and `sudo -u node -i <<EOF` had no AIS002 finding: the wrapper named no
command, so nothing was read, though sudo starts the user's shell (`-s`) or login shell (`-i`),
which reads its stdin, as `su node <<EOF` does. The class: a wrapper with a shell option
(Wrapper.shell_short/shell_long: `sudo -s`/`-i`/`--shell`/`--login`, `doas -s`), spelled as
getopt reads it, and no command. The general path is `sh <<EOF` (tests/test_ais002_group_stdin.py
judges it with dash): each form must be judged as it is, and an option that runs nothing
(`sudo -l`, `-V`) or a command after the options keeps the old reading.
"""

import itertools

import pytest

from tests.severities import severities

SHELL_FORMS = [
    "sudo -s",
    "sudo -i",
    "sudo -u node -i",
    "sudo -iu node",
    "sudo -Hiu node",
    "sudo -unode -s",
    "sudo --login",
    "sudo --shell --",
    "sudo --user=node --sh",
    "sudo -H -s",
    "doas -s",
    "doas -u node -s",
    "sudo -u node bash",
    "sudo -u node sh -s",
    "su node -s /bin/sh",
    "runuser -u node -- sh",
]
NO_SHELL = [
    "sudo -l -s",
    "sudo --user=node --log",  # (--login or --login-class: sudo refuses it)
    "sudo -s -V",
    "sudo --list -i",
    "doas -C conf -s",
    "sudo -u node",
    "sudo -E",
    "sudo -Eiu node",  # (sudo refuses -i with -E, -s with -i: tests/test_ais002_sudo_parse_args.py)
    "sudo -i -s",
]
BODIES = [
    "claude -v",
    "set -e\nclaude -v\necho done",
    "claude -v || true",
    "command -v codex",
    "npm i -g @anthropic-ai/claude-code\nclaude -v",
    "echo claude",
    "codex --version\necho ok",
]
AFTER = ["", " && echo ok", " ; echo ok"]


def _run(head: str, body: str, after: str = "") -> list[str]:
    return severities(f"FROM aishell:foundation\nRUN {head} <<EOF{after}\n{body}\nEOF\n")


@pytest.mark.parametrize("form,body,after", list(itertools.product(SHELL_FORMS, BODIES, AFTER)))
def test_a_shell_the_wrapper_starts_reads_the_heredoc(form, body, after):
    assert _run(form, body, after) == _run("sh", body, after)


@pytest.mark.parametrize("form,body", list(itertools.product(NO_SHELL, BODIES)))
def test_no_shell_started_reads_nothing(form, body):
    assert _run(form, body) == []


@pytest.mark.parametrize("form", ["sudo -s", "sudo -i", "doas -s"])
def test_a_command_after_the_options_is_the_command(form):
    assert severities(f"FROM aishell:foundation\nRUN {form} claude -v <<EOF\necho hi\nEOF\n") == ["error"]
    assert severities(f"FROM aishell:foundation\nRUN {form} echo hi <<EOF\nclaude -v\nEOF\n") == []
