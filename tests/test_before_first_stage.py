"""What BuildKit refuses after parsing: an instruction before the first FROM, or no FROM at all.

Found by a red team: `RUN echo hi` then `FROM debian` passed lint ("All checks passed!"), so
did `ONBUILD`/`LABEL` before FROM and a file of ARGs alone, though BuildKit's instructions.Parse
refuses an instruction other than ARG before the first stage ("no build stage in current
context") and dockerfile2llb a file without one ("dockerfile contains no stages to build").
The class: every instruction keyword, in any case, before the first FROM, after any number of
ARGs, comments and blank lines: refused with one line (exit 2); ARGs alone before FROM are fine.
"""

import subprocess
import sys

import pytest

from aishell.errors import InputError
from aishell.lint import INSTRUCTIONS, Options, lint_text

LINES = {
    "RUN": "RUN echo hi",
    "CMD": "CMD echo hi",
    "LABEL": "LABEL a=b",
    "MAINTAINER": "MAINTAINER me",
    "EXPOSE": "EXPOSE 80",
    "ENV": "ENV A=1",
    "ADD": "ADD a /a",
    "COPY": "COPY a /a",
    "ENTRYPOINT": 'ENTRYPOINT ["x"]',
    "VOLUME": "VOLUME /v",
    "USER": "USER me",
    "WORKDIR": "WORKDIR /w",
    "ONBUILD": "ONBUILD RUN echo hi",
    "STOPSIGNAL": "STOPSIGNAL 9",
    "HEALTHCHECK": "HEALTHCHECK NONE",
    "SHELL": 'SHELL ["/bin/sh", "-c"]',
}
HEADS = ["", "ARG A\n", "# a comment\n\nARG A=1\nARG B\n", "# syntax=docker/dockerfile:1\nARG A\n"]


def _lint(text: str):
    return lint_text(text, "Dockerfile", Options(use_config=False))


def test_every_instruction_is_listed():
    assert set(LINES) == INSTRUCTIONS - {"FROM", "ARG"}


@pytest.mark.parametrize("head", HEADS)
@pytest.mark.parametrize("keyword", sorted(LINES))
def test_an_instruction_before_the_first_from_is_refused(keyword, head):
    for line in (LINES[keyword], LINES[keyword].lower()):
        text = f"{head}{line}\nFROM debian:12\nRUN echo ok\n"
        with pytest.raises(InputError, match="before the first FROM"):
            _lint(text)


@pytest.mark.parametrize("head", HEADS[1:])
def test_args_alone_are_refused_and_args_before_from_are_fine(head):
    with pytest.raises(InputError, match="no FROM"):
        _lint(head)
    assert _lint(head + "FROM debian:12\n").findings == []


def test_the_cli_says_one_line_and_exits_2(tmp_path):
    (tmp_path / "Dockerfile").write_text("RUN echo hi\nFROM debian:12\n")
    p = subprocess.run(
        [sys.executable, "-m", "aishell", "lint", str(tmp_path / "Dockerfile")], capture_output=True, text=True
    )
    assert p.returncode == 2, p
    assert "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr
