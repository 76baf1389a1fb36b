"""A shell fed its script on stdin: the body's positional parameters, and the feeding shell's.

Issue 18, round eleven: `sh <<EOF` with `set -- claude; "$@"` in its body was an error, though
the shell that feeds an unquoted body expands it first (its `"$@"`, none at a RUN's top, is
`""`: nothing runs); `c=claude; sh <<EOF` with `$c -v`, and `set -- claude && sh -s <<EOF` with
`$1 -v`, were missed (the feeding shell puts claude there); `bash -s claude <<'EOF'` with `"$@"`
was missed (the operands after `-s` are the body's parameters); a backslash-newline in an
unquoted body (the feeding shell joins the lines) was missed. The class: what comes before the
feeding command × feeding forms × the delimiter quoted or not × bodies that use parameters or
variables, judged by dash with stubs that record that a harness ran and fail as "not found"
does: a harness that runs must be found, an error must mean the RUN fails and a harness ran.
"""

import itertools

import pytest

from tests.chunks import chunked, each
from tests.dash import SH, agrees, outcome
from tests.severities import severities
from tests.sweep import sample

HEAD = "FROM aishell:foundation\nRUN "
BEFORE = ["", "set -- claude; ", "set -- true -v; ", "c=claude; ", "export c=claude; ", "c=true; "]
FEEDERS = [
    "sh <<{d}",
    "bash -e <<{d}",
    "sh -s claude <<{d}",
    "sh -s -- true claude <<{d}",
    'sh -s "$@" <<{d}',
    "cat <<{d} | bash -s -- claude -v",
    ". /dev/stdin <<{d}",
]
# Feeders in a function: its parameters are the call's, not read at the call (a harness run
# there may be missed, never an error dash does not confirm).
IN_FUNCTIONS = ['f() {{ sh -s "$1" <<{d} ; }}; f claude', "f() {{ sh <<{d} ; }}; f claude"]
DELIMITERS = ["EOF", "'EOF'"]
BODIES = [
    '"$@" -v',
    "$1 -v",
    '"$2" -v',
    "$c -v",
    "${c} --version",
    '[ $# -gt 0 ] && "$@"',
    'set -- claude; "$@" -v',
    "set -- claude; $1",
    "c=claude; $c -v",
    "c=claude; \\$c -v",
    "cla\\\nude -v",
    "shift; $1 -v",
]


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
# (Checked 100 cases an item, each in its own folder, a failure naming its case: tests/chunks.py.)
@pytest.mark.parametrize(
    "chunk", chunked(sample(itertools.product(BEFORE, FEEDERS, DELIMITERS, BODIES), 400, "fed bodies"))
)
def test_a_fed_body_runs_what_dash_runs(tmp_path, chunk):
    each(chunk, _runs_what_dash_runs, tmp_path)


def _runs_what_dash_runs(before, feeder, delimiter, body, tmp_path):
    script = before + feeder.format(d=delimiter) + "\n" + body + "\nEOF\n"
    found = severities(HEAD + script)
    fails, ran = outcome(script, tmp_path)
    agrees(found, fails, ran, script)


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@pytest.mark.parametrize("chunk", chunked(list(itertools.product(BEFORE, IN_FUNCTIONS, DELIMITERS, BODIES))))
def test_a_body_fed_in_a_function_is_no_false_error(tmp_path, chunk):
    each(chunk, _no_false_error, tmp_path)


def _no_false_error(before, feeder, delimiter, body, tmp_path):
    script = before + feeder.format(d=delimiter) + "\n" + body + "\nEOF\n"
    found = severities(HEAD + script)
    fails, ran = outcome(script, tmp_path)
    assert "error" not in found or (fails and ran), (script, found)
