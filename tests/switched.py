"""Read and lint a Dockerfile with some of aishell.shell's fast-path switches set: the on/off
tests of the reader's fast paths compare the two answers (each switch's module-level flag, as
shell.py names it).

``read_switched(text, PLAIN_FIRSTS=False)`` sets the named switches, empties the reader's caches
(the RUN texts read, `_SEEN`; the plain first words, `_PLAIN_FIRSTS`; the `$(echo …)` values,
`_ECHO_MEMO`; the digit readings, `_DIGIT_READS`; the values that give none, `_NONE_VALUES`) so that every RUN is read afresh the way the switches say, and returns (each RUN's script as tests/test_shell_fast.py's
``_runs`` dumps it, the lint's findings as (code, message, severity, start, end, fix)). Switches
and caches are put back afterwards, whatever happens."""

from __future__ import annotations

from aishell import shell
from aishell.lint import Options, lint_text

from tests.test_shell_fast import _runs


def read_switched(text: str, **switches: bool):
    unknown = [name for name in switches if not hasattr(shell, name)]
    assert not unknown, f"aishell.shell has no switch {unknown}"
    saved = {name: getattr(shell, name) for name in switches}
    try:
        for name, value in switches.items():
            setattr(shell, name, value)
        shell._SEEN = {}
        shell._PLAIN_FIRSTS.clear()
        shell._ECHO_MEMO.clear()
        shell._SHAPES.clear()
        shell._BODY_LINES.clear()
        shell._BODY_WORDS.clear()
        shell._DIGIT_READS.clear()
        shell._NONE_VALUES.clear()
        shell._PLAIN_SUBS.clear()
        shell._LAST_SUBS.clear()
        runs = _runs(text)
        findings = [
            (f.code, f.message, f.severity, f.start, f.end, f.fix)
            for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings
        ]
    finally:
        for name, value in saved.items():
            setattr(shell, name, value)
        shell._SEEN = {}  # (a fresh cache: the RUN texts read with the switches set are not kept)
        shell._PLAIN_FIRSTS.clear()
        shell._ECHO_MEMO.clear()
        shell._SHAPES.clear()
        shell._BODY_LINES.clear()
        shell._BODY_WORDS.clear()
        shell._DIGIT_READS.clear()
        shell._NONE_VALUES.clear()
        shell._PLAIN_SUBS.clear()
        shell._LAST_SUBS.clear()
    return runs, findings
