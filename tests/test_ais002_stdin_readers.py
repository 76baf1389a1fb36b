"""A command that reads stdin in a script a shell reads on its stdin may take the rest of it.

Issue 18, round twelve (r70): `bash <<'EOF'` with `read x` (or `cat > /dev/null`, `head -1`, `sed
q`, `xargs …`) and then `claude -v` was an error, though bash reads a script on its stdin a byte at
a time (or seeks back before each command), so that the reading command gets the lines after it:
no claude runs. dash reads a block ahead (8 KB): a heredoc of at most a pipe's buffer is its own
before a command reads, and the later lines run; `.` reads the file whole in both. A `sh` may be
bash on another image. So, after a command that may read stdin (no `<` of its own, no pipe into
it) in a script read on stdin by any shell but dash or `.` (or by those, past 4 KB), what follows
is a warning at most; the same body under dash stays an error. The class: feeding forms × shells
× delimiters × what comes before the feeding command × commands that read stdin or do not (a
subshell's, a pipeline's first, a function's, a condition's, a substitution's) × where the
harness call is after them, judged by dash running the RUN's line (bash for `bash`).
"""

import itertools

import pytest

from tests.chunks import chunked, each
from tests.dash import SH, outcome
from tests.severities import severities
from tests.sweep import sample

HEAD = "FROM aishell:foundation\nRUN "
# (Not `set -e; `: `. /dev/stdin` then runs the body under errexit, where a `read` at the end of
# its input ends the shell; that a command before the harness may fail is not this test's question.)
BEFORE = ["", "cd /tmp && ", "true; "]
FEEDERS = [
    "bash <<{d}",
    "bash -e <<{d}",
    "sh <<{d}",
    "dash <<{d}",
    "bash -s claude <<{d}",
    "cat <<{d} | bash",
    "cat <<{d} | sh -s",
    "cat <<{d} | dash",
    ". /dev/stdin <<{d}",
]
# Feeders whose shell holds a short body whole before it runs a command of it.
READ_AHEAD = {"dash <<{d}", "cat <<{d} | dash", ". /dev/stdin <<{d}"}
DELIMITERS = ["EOF", "'EOF'"]
READERS = [
    "read x",
    "read -r x",
    "cat > /dev/null",
    "head -1",
    "sed q",
    "xargs echo",
    "wc -l",
    "( read x )",
    "read x | cat",
    "x=$(head -1)",
    "echo $(head -1)",
    "f() { read x; }; f",
    "if read x; then :; fi",
    "read x || true",
]
# Commands that read no stdin of the script's: the line after them runs.
NOT_READING = ["true", "echo hi", "read x < /etc/hostname", "echo hi | read x", "cat < /dev/null", "set -e", "cd /"]
# (Not `read x && claude -v`: a `read` at the end of its input fails, and the RUN with it, claude
# run or not; what a command before `&&` gives is the status walk's question, not this one's.)
AFTER = ["\nclaude -v", "; claude -v", "\necho next\nclaude -v", "\n$1 -v"]


def _script(before: str, feeder: str, delimiter: str, reader: str, after: str) -> str:
    return before + feeder.format(d=delimiter) + "\n" + reader + after + "\nEOF\n"


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
# (Checked 100 cases an item, each in its own folder, a failure naming its case: tests/chunks.py.)
@pytest.mark.parametrize(
    "chunk",
    chunked(
        sample(itertools.product(BEFORE, FEEDERS, DELIMITERS, READERS + NOT_READING, AFTER), 1200, "stdin readers")
    ),
)
def test_what_a_reader_may_take_is_no_error(tmp_path, chunk):
    each(chunk, _a_reader_may_take, tmp_path)


def _a_reader_may_take(before, feeder, delimiter, reader, after, tmp_path):
    script = _script(before, feeder, delimiter, reader, after)
    found = severities(HEAD + script)
    fails, ran = outcome(script, tmp_path)
    assert "error" not in found or (fails and ran), (script, found)
    assert found or not ran, (script, found)
    if (reader in NOT_READING or feeder in READ_AHEAD) and fails and ran and "$1" not in after:
        # (Recall: a body no command reads from, or one the shell holds whole, runs its harness.)
        assert "error" in found, (script, found)


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@pytest.mark.parametrize("feeder,reader", list(itertools.product(["dash <<'EOF'", "cat <<'EOF' | dash"], READERS[:4])))
def test_past_a_pipe_s_buffer_dash_may_be_cut_short_too(tmp_path, feeder, reader):
    """dash reads a block ahead, not the whole: past 4 KB, what a command reads is not sure."""
    script = feeder + "\n" + ("# " + "x" * 78 + "\n") * 60 + reader + "\nclaude -v\nEOF\n"
    found = severities(HEAD + script)
    fails, ran = outcome(script, tmp_path)
    assert "error" not in found, (script, found, fails, ran)
    assert found or not ran, (script, found)
