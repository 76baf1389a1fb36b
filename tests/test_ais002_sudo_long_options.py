"""sudo reads its long options as getopt_long does: a prefix names the one option it abbreviates,
and a prefix of several (`--l`: --list, --login, --login-class) or of none is refused, so nothing runs.

Red team (round ten): `sudo --l claude` was an AIS002 error, though sudo refuses it: the
abbreviation was matched against the options aishell's table names (only `--list` starts with
`l` there), not against sudo's whole list. The class: every prefix of every sudo long option,
judged by Python's getopt (the same rule: exact, else a unique prefix, else an error) over
sudo 1.9's list (parse_args.c), written here apart from aishell's table.
"""

import getopt
import string

import pytest

from tests.severities import severities

HEAD = "FROM aishell:foundation\nRUN "
# sudo 1.9's long options: those that take a value end in `=` (getopt's spelling).
SUDO_LONG = [
    "askpass", "auth-type=", "background", "bell", "close-from=", "login-class=", "chdir=",
    "preserve-env", "edit", "group=", "set-home", "help", "host=", "login", "remove-timestamp",
    "reset-timestamp", "list", "no-update", "non-interactive", "preserve-groups", "prompt=",
    "chroot=", "role=", "stdin", "shell", "type=", "command-timeout=", "other-user=", "user=",
    "version", "validate",
]  # fmt: skip
NO_RUN = {"list", "validate", "remove-timestamp", "version", "edit", "help"}  # with a command: refused or lists
BACKGROUND = {"background"}  # runs it, its status not the RUN's


def _prefixes() -> list[str]:
    return sorted({"--" + o.rstrip("=")[:n] for o in SUDO_LONG for n in range(1, len(o.rstrip("=")) + 1)})


def _expected(opt: str) -> tuple[str, list[str]]:
    """(the line's words after sudo, the severities AIS002 owes it) as getopt reads ``opt``."""
    try:
        parsed, rest = getopt.getopt([opt, "node", "claude", "-v"], "", SUDO_LONG)
    except getopt.GetoptError:
        return f"{opt} claude -v", []  # (unknown or ambiguous: sudo prints its usage, runs nothing)
    name = parsed[0][0][2:]
    if rest[0] == "node":  # (no value taken: ask again without it)
        words = f"{opt} claude -v"
    else:
        words = f"{opt} node claude -v"
    if name in NO_RUN:
        return words, []
    return words, ["warning"] if name in BACKGROUND else ["error"]


@pytest.mark.parametrize("opt", _prefixes())
def test_a_sudo_long_option_is_read_as_getopt_long_reads_it(opt):
    words, want = _expected(opt)
    assert severities(HEAD + "sudo " + words + "\n") == want, words


def test_the_prefixes_cover_refused_and_accepted_ones():
    results = [_expected(o)[1] for o in _prefixes()]
    assert [] in results and ["error"] in results and ["warning"] in results


# sudo 1.9's short options (parse_args.c: "+Aa:BbC:c:D:Eeg:Hh::iKklNnPp:R:r:SsT:t:U:u:Vv"), those
# that take a value followed by `:`, written here apart from aishell's table.
SUDO_SHORT = "Aa:BbC:c:D:Eeg:Hh:iKklNnPp:R:r:SsT:t:U:u:Vv"
NO_RUN_SHORT = set("lvKVe")  # with a command: refused or lists


@pytest.mark.parametrize("cluster", ["", "E", "n"])
@pytest.mark.parametrize("letter", sorted(set(string.ascii_letters + string.digits)))
def test_a_sudo_short_option_is_read_as_getopt_reads_it(letter, cluster):
    """Red team (round ten): `sudo -X claude` (`-EX`, `-j`, `-q`) was an AIS002 error, though
    sudo refuses a letter it does not know and runs nothing. Every letter and digit, alone and
    after a known flag in one cluster: one sudo refuses has no finding, one it knows the
    finding it has had."""
    opt = "-" + cluster + letter
    try:
        parsed, rest = getopt.getopt([opt, "node", "claude", "-v"], SUDO_SHORT)
    except getopt.GetoptError:
        assert severities(HEAD + f"sudo {opt} claude -v\n") == [], opt
        return
    words = f"{opt} claude -v" if rest[0] == "node" else f"{opt} node claude -v"
    found = severities(HEAD + "sudo " + words + "\n")
    assert (found == []) == (letter in NO_RUN_SHORT), (words, found)
