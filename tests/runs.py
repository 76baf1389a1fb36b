"""The RUNs of a Dockerfile as the fast-path tests read them.

``read_runs(text)`` parses the text and gives (the file, [(each RUN or ONBUILD instruction,
analyse_run's script of it)]), or None where BuildKit would refuse the text (the generating
tests draw such texts too, and compare None with None).

``read_switched(text, switches, on, record)`` is the on/off comparison's one reading: with each
short way's switch set to ``on`` (and the shell's memos empty, so that nothing read with the
other setting is reused), ``record(ins)`` of every RUN and the file's lint findings; the switches
and memos as before afterwards. A test reads its text on and off and compares the two."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager

import pytest

from aishell import shell
from aishell.lint import Options, lint_text
from aishell.model import Dockerfile, DockerfileSyntaxError, parse


def read_runs(text: str, keywords: tuple[str, ...] = ("RUN", "ONBUILD")) -> tuple[Dockerfile, list] | None:
    try:
        df = parse(text)
    except DockerfileSyntaxError:
        return None
    return df, [(ins, shell.analyse_run(ins)) for ins in df.instructions if ins.keyword in keywords]


@contextmanager
def attributes(module, **values):
    """``module``'s attributes (a module's switches) set to ``values``, and restored after."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in values.items():
            patch.setattr(module, name, value)
        yield


@contextmanager
def switched(switches: Iterable[str | tuple[object, str]], on: bool):
    """Each switch (a name in aishell.shell, or a (module, name) pair) set to ``on``, the shell's
    memos emptied (`_ECHO_MEMO`, `_DIGIT_READS`, `_NONE_VALUES` too) and its nested pool unset (no file started: a pool an earlier test left small
    would cut what a walk reads); all as they were on leaving."""
    pairs = [(shell, s) if isinstance(s, str) else s for s in switches]
    saved = [getattr(m, n) for m, n in pairs], shell._SEEN, shell._WALKED, shell._POOL[0]
    for m, n in pairs:
        setattr(m, n, on)
    shell._SEEN, shell._WALKED = {}, {}
    shell._POOL[0] = None
    shell._STDIN_READS.clear()
    shell._ECHO_MEMO.clear()
    shell._SHAPES.clear()
    shell._BODY_LINES.clear()
    shell._BODY_WORDS.clear()
    shell._DIGIT_READS.clear()
    shell._NONE_VALUES.clear()
    shell._PLAIN_SUBS.clear()
    shell._LAST_SUBS.clear()
    try:
        yield
    finally:
        for (m, n), v in zip(pairs, saved[0]):
            setattr(m, n, v)
        shell._SEEN, shell._WALKED, shell._POOL[0] = saved[1], saved[2], saved[3]
        shell._STDIN_READS.clear()
        shell._ECHO_MEMO.clear()
        shell._SHAPES.clear()
        shell._BODY_LINES.clear()
        shell._BODY_WORDS.clear()
        shell._DIGIT_READS.clear()
        shell._NONE_VALUES.clear()
        shell._PLAIN_SUBS.clear()
        shell._LAST_SUBS.clear()


def walks(ins, shells, plain: bool = False) -> list[tuple]:
    """Each SHELL of ``shells`` walking the RUN ``ins``, read afresh for each (a walk takes the
    tokens kept): its failing starts, (with ``plain`` those of a walk asked nothing more,) the
    names each start is for, and the expansions that may be unset."""
    out = []
    for s in shells:
        ins.shell = shell.analyse_run(ins)
        named: dict = {}
        unsure: list = []
        fails = shell.failing_starts(ins, s, unsure_names=unsure, named=named)
        bare = (sorted(shell.failing_starts(ins, s)),) if plain else ()
        out.append((sorted(fails), *bare, sorted((k, sorted(v)) for k, v in named.items()), unsure))
    return out


def lint_findings(text: str) -> list[tuple]:
    return [
        (f.code, f.message, f.severity, f.start, f.end, f.fix)
        for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings
    ]


def read_switched(
    text: str, switches: Iterable[str | tuple[object, str]], on: bool, record: Callable
) -> tuple[list, list[tuple]]:
    with switched(switches, on):
        runs = [record(ins) for ins in parse(text).instructions if ins.keyword == "RUN"]
        return runs, lint_findings(text)
