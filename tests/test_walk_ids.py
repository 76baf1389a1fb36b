"""The status walk keys what it knows of a queued script (bash runs it: ``bash_ids``; a shell
reads it on its stdin: ``stdin_ids``) by the script's id, so an id must leave those maps with its
script: once the script is freed its id can be another's, and a script made later would pass for
bash's (or a stdin's) by it, which changes what dash refuses and so the findings, depending on
where the allocator put it.

The class: every way a script is queued and then dropped unwalked. A streamed script (more than
STREAM_ITEMS top-level items) that turns out not to parse undoes what its first batches queued
(_StatusWalk._stream); each queued script there may be bash's (`bash -c`, `$( )` in bash, a
heredoc fed to bash) or read on a stdin. Generated: those queuing forms × where the parse fails
(`)`, `fi`, `done`, `;;`) × how far into the script, under sh and bash
SHELLs. The check: when a walk ends, nothing it queued is left in either map (every script was
walked, which takes its id out, or dropped, which must).
"""

from __future__ import annotations

import itertools

import pytest

from aishell import shell
from aishell.lint import Options, lint_text

QUEUING = [
    "bash -c 'claude -v'",
    'bash -c "$(echo claude) -v"',
    "x=$(claude -v)",
    "bash -s <<EOF \nclaude -v\nEOF\n",
    "sh <<EOF \nclaude -v\nEOF\n",
    "echo hi | bash",
    "f() { bash -c 'claude -v'; }; f",
]
BREAKS = [")", "fi", "done", ";;"]
SHELLS = ["", 'SHELL ["/bin/bash", "-c"]\n']


def _texts():
    for queuing, brk, where, sh in itertools.product(QUEUING, BREAKS, (1, 300), SHELLS):
        heredoc = "<<" in queuing
        first, _, body = queuing.partition("\n")
        items = ["true"] * 300
        items[where - 1] = first
        line = "; ".join(items) + "; " + brk
        run = f"RUN {line}\n" + (body if heredoc else "")
        yield f"FROM debian\n{sh}{run}RUN bash -c 'claude -v'\n"


@pytest.fixture
def leftover(monkeypatch):
    seen = []
    real = shell._StatusWalk.run

    def run(self, m, size):
        real(self, m, size)
        seen.append((set(self.bash_ids), dict(self.stdin_ids)))

    monkeypatch.setattr(shell._StatusWalk, "run", run)
    return seen


def test_dropped_scripts_take_their_ids(leftover):
    n = 0
    for text in _texts():
        leftover.clear()
        lint_text(text, "Dockerfile", Options(use_config=False))
        assert leftover, text
        for bash_ids, stdin_ids in leftover:
            assert not bash_ids and not stdin_ids, text
        n += 1
    assert n == len(QUEUING) * len(BREAKS) * 2 * len(SHELLS)
