"""A shell (or an interpreter) whose script is a download, or a file the RUN did not write from
text aishell reads, runs code aishell does not read: a harness call after it is a warning, not an
error (issue 18, "Precision where it blocks a build").

Found by a red team: `RUN curl -sSfL https://…/install.sh | sh -s -- -b /usr/local/bin` then `RUN
claude --version` was an AIS002 error, while `sh /tmp/i.sh`, `bash <(curl …)` and `sh -c "$(curl
…)"` were warnings. The class (lint_rules/_provides.py, _Feeds): a command that runs its stdin as
code (`sh`, `bash -s --`, `sudo -E bash -`, `sh /dev/stdin`, `. /dev/stdin`, `python3 -`) fed by
a pipe from anything but echo/printf/cat of text aishell reads (through tee too), by `< <(…)`, by a
here-string of a command substitution, or by `< FILE` of a file the RUN did not write with a
feeder; and a command or `-c` string a download's output names (`sh -c "$(curl …)"`, `eval`).
Every fetch × every spelling × every harness × the call after it in the same RUN or a later one:
a warning; the controls (the shell fed by echo, printf, a heredoc or a file written from one; a
download piped into no shell; the call before the download) stay errors.
"""

import pytest

from tests.severities import CALLS, severities as _severities

FETCHES = [
    "curl -fsSL https://example.com/install.sh",
    "curl -sSfL https://raw.githubusercontent.com/acme/claude-wrapper/main/install.sh",
    "wget -qO- https://example.com/install.sh",
    "wget -O - https://example.com/i",
    "curl -fsSL example.com",
]
SHELLS = ["sh", "bash", "sh -s -- -b /usr/local/bin", "bash -s --", "sudo sh", "sudo -E bash -", "env A=1 dash"]
SPELLINGS = [
    "{f} | {s}",
    "{f} | tee /tmp/i.sh | {s}",
    "{f} |\\\n    {s}",
    "{s} < <({f})",
    '{s} <<< "$({f})"',
    "{f} > /tmp/i.sh && {s} < /tmp/i.sh",
    "{f} > /tmp/i.sh && cat /tmp/i.sh | {s}",
]
OTHERS = [
    'sh -c "$({f})"',
    'eval "$({f})"',
    "{f} > /tmp/i.sh && sh /tmp/i.sh",
    "bash <({f})",
    "{f} | python3 -",
    "{f} | node",
    "{f} | . /dev/stdin",
    "sh < /opt/i.sh",
    "cat /opt/i.sh | bash",
]
CONTROLS = [
    "echo 'echo hi' | sh",
    "printf 'echo hi\\n' | bash -s --",
    "echo 'echo hi' > /tmp/i.sh && sh < /tmp/i.sh",
    "echo 'echo hi' | tee /tmp/i.sh | sh",
    "{f} | grep -q x",
    "{f} > /tmp/out",
    "sh -c 'echo hi'",
    "bash",
]


def _files(step: str, call: str):
    head = "FROM debian:12\n"
    yield head + f"RUN {step} && {call}\n"
    yield head + f"RUN set -e; {step}; {call}\n"
    yield head + f"RUN {step}\nRUN {call}\n"
    yield head + f"RUN <<EOF\nset -e\n{step}\n{call}\nEOF\n"


def _steps():
    for f in FETCHES:
        for s in SHELLS:
            for spelling in SPELLINGS:
                yield spelling.format(f=f, s=s)
        for other in OTHERS:
            yield other.format(f=f)


@pytest.mark.parametrize("harness", sorted(CALLS))
def test_a_shell_fed_a_download_may_provide_the_harness(harness):
    call = CALLS[harness]
    for step in _steps():
        for text in _files(step, call):
            got = _severities(text)
            assert got == ["warning"], (text, got)


@pytest.mark.parametrize("harness", sorted(CALLS))
def test_a_shell_fed_what_aishell_reads_keeps_the_error(harness):
    call = CALLS[harness]
    for control in CONTROLS:
        for f in FETCHES[:2]:
            for text in _files(control.format(f=f), call):
                got = _severities(text)
                assert got == ["error"], (text, got)
    for step in list(_steps())[:40]:
        # The call before the download runs first: nothing provides it yet. (Under a SHELL of
        # bash where the step is bash's, `< <(…)`, `<<<`: dash refuses the line, r70.)
        bash = 'SHELL ["/bin/bash", "-c"]\n' if "<(" in step or "<<<" in step else ""
        text = f"FROM debian:12\n{bash}RUN {call} && {step}\n"
        assert _severities(text) == ["error"], text
