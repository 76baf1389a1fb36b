"""A shell fed an unquoted heredoc runs the body as the feeding shell expanded it.

Red team (round ten): `RUN sh <<EOF` with `c=claude; \\$c -v` in its body was a warning, though
the shell fed it surely runs `c=claude; $c -v`: the reader read the expanded body, but the status
walk read the body as written (`\\$c`, a command named `$c`). And `c=claude; $c -v` unescaped was
an error, though the feeding shell expands `$c` (unset there) before the body is read: `-v` runs.
The class: feeders × bodies with the variable escaped or not, braced or not, on one line or two,
the delimiter quoted or not, judged by dash; the harness call is the body's last command, so
where it runs its failure is the RUN's (an error) and where it does not there is nothing.
"""

import itertools

import pytest

from tests.dash import runs_claude
from tests.severities import severities

HEAD = "FROM aishell:foundation\nRUN "
FEEDERS = ["sh <<{d}", "bash <<{d}", "sh -s <<{d}", "sh -e <<{d}", "cat <<{d} | sh", "sh /dev/stdin <<{d}"]
DELIMITERS = ["EOF", "'EOF'"]
BODIES = [
    "c=claude; \\$c -v",
    "c=claude; $c -v",
    "c=claude\n\\${c} -v",
    "c=claude\n${c} -v",
    "c=echo; \\$c ok || :; claude -v",
    "c=claude; echo \\$c; \\$c --version",
    "c=claude; echo $c; $c --version",
    "HOME=/; echo \\$HOME $HOME; claude -v",
    "c=echo; c=claude \\$c -v",
]


@pytest.mark.parametrize("feeder,delimiter,body", list(itertools.product(FEEDERS, DELIMITERS, BODIES)))
def test_the_fed_shell_reads_the_expanded_body(feeder, delimiter, body, tmp_path):
    script = feeder.format(d=delimiter) + "\n" + body + "\nEOF\n"
    found = severities(HEAD + script)
    ran, failed = runs_claude(script, tmp_path)
    assert failed == ran or not ran, script  # (the harness is the last command: it decides)
    assert found == (["error"] if ran else []), (script, found)
