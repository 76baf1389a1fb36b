"""A variable `read` sets from input the RUN wrote names the command it holds.

Red team (round ten): `while read c; do $c -v; done <<EOF` with `claude` in the heredoc (and
`read -r`, `IFS= read`, several names, `printf 'claude\\n' | while read c; do $c; done`) had no
AIS002 finding: `read` was not read as an assignment, and the loop's heredoc (on `done`) reached
no command. The class: every reader × every way the input reaches it × data that does or does
not name a harness × a body that runs the variable or only prints it, judged by dash. A harness
that runs is reported (a warning: a loop's value, one per pass, as `for c in claude` is); one that
does not run is not; an error only where the RUN fails.
"""

import itertools

import pytest

from tests.dash import runs_claude
from tests.severities import severities

HEAD = "FROM aishell:foundation\nRUN "
READERS = [("read c", "c"), ("read -r c", "c"), ("IFS= read -r c", "c"), ("read c a", "c"), ("read a c", "c")]
# How the lines reach the loop: (before the loop, after `done`, after the line).
FEEDS = [
    ("", " <<EOF", "{data}\nEOF\n"),
    ("", " <<'EOF'", "{data}\nEOF\n"),
    ("", " <<-EOF", "{data}\nEOF\n"),
    ("printf '{pdata}\\n' | ", "", ""),
    ("echo '{data}' | ", "", ""),
    ("cat <<EOF | ", "", "{data}\nEOF\n"),
]
DATA = ["claude", "echo", "claude -v", "x claude", "x claude -v", "codex"]
BODIES = ["${v} -v", "${v}", "echo ${v}", '[ -n "${v}" ] && ${v} --version']


def _script(reader, feed, data, body):
    read, var = reader
    before, after_done, tail = feed
    body = body.replace("${v}", "$" + var)
    return (
        before.format(data=data, pdata=data)
        + f"while {read}; do {body}; done"
        + after_done
        + "\n"
        + tail.format(data=data)
    )


@pytest.mark.parametrize(
    "reader,feed,data,body", list(itertools.product(READERS, FEEDS, DATA, BODIES)), ids=lambda x: str(x)[:12]
)
def test_a_variable_read_from_the_input_runs_what_it_holds(reader, feed, data, body, tmp_path):
    script = _script(reader, feed, data, body)
    found = severities(HEAD + script)
    ran, failed = runs_claude(script, tmp_path)
    if ran:
        assert found, script
    elif "codex" not in data:
        assert found == [], (script, found)
    if "error" in found:
        assert failed, (script, found)


def test_read_outside_a_loop():
    assert severities(HEAD + "read c <<EOF && $c -v\nclaude\nEOF\n") == ["warning"]
    assert severities(HEAD + "read c <<EOF && echo $c\nclaude\nEOF\n") == []
