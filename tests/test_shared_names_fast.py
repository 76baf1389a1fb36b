"""failing_starts' ``named`` with one shared frozenset per name (issue 18, r99: SHARED_NAMES).

The status walk collects, for AIS002's error at an expansion, the names of the commands at each
start that decides (``named``: start -> names). Each start had a set of its own (~220 bytes):
the 10 MB RUN of `v=$(date +%s); w=$(claude -v)` assignments (benchmarks/scale.py subst) has
600,000 such starts, and ONE_WALK (which collects ``named`` in the walk every RUN with an
expansion start gets) raised its peak from 920 MB to 971 MB. A start with one name now holds
the one frozenset of that name (aishell/shell.py _add_named, _ONE_NAMES); a second name makes
a frozenset of its own.

Generated: the forms × places × contexts of tests/test_one_walk_fast.py, plus several names at
one start (`$c` of two values, of a loop's, an alias'): with the switch on and off the walk's
three answers under four SHELLs and every finding of every rule agree; and with it on the
starts of the subst shape share one frozenset (off, and before the change: a set each).
"""

from __future__ import annotations

from itertools import product

import pytest

from aishell import shell
from aishell.model import parse

from tests.runs import lint_findings, switched, walks
from tests.test_one_walk_fast import CONTEXTS, FORMS, PLACES

MORE_FORMS = [
    "c=claude; [ -f x ] && c=codex; $c -v",
    "for c in claude codex gemini; do $c -v; done",
    'c=claude; [ -f x ] || c=codex; eval "$c -v"',
    "alias c=claude; c -v; c=codex; $c -v",
    "x=$(claude -v); y=$(codex -v); $x",
]
_SHELLS = [shell.DEFAULT_SHELL, (True, False), (True, True), (True, False, True)]
_HEAD = "FROM aishell:foundation\n"


def _scripts(context: str) -> list[str]:
    out = [p.format(c=f) for p, f in product(PLACES, FORMS + MORE_FORMS)]
    return [s for s in out if "'" not in s] if context.endswith("-c") else out


def _record(text: str, on: bool) -> tuple[list, list]:
    with switched(["SHARED_NAMES"], on):
        runs = [walks(ins, _SHELLS) for ins in parse(text).instructions if ins.keyword == "RUN"]
        return runs, lint_findings(text)


@pytest.mark.parametrize("context", list(CONTEXTS))
def test_named_and_findings_as_before(context):
    scripts = _scripts(context)
    assert len(scripts) > 150
    text = _HEAD + "".join(CONTEXTS[context].format(s=s, q=s.replace('"', '\\"')) for s in scripts)
    fast, general = _record(text, True), _record(text, False)
    assert len(fast[0]) >= len(scripts) or context == "ONBUILD"  # (its RUNs are triggers: findings only)
    assert fast[1]
    for k, (a, b) in enumerate(zip(fast[0], general[0])):
        assert a == b, (context, k)
    assert fast[1] == general[1]


def test_the_shape_shares_one_frozenset_per_name():
    pairs = "".join(f"; v{i}=$(date +%s); w{i}=$(claude -v)" for i in range(300))
    ins = next(i for i in parse(f"{_HEAD}RUN set -e{pairs}\n").instructions if i.keyword == "RUN")
    for on in (True, False):
        with switched(["SHARED_NAMES"], on):
            shell.analyse_run(ins)
            named: dict = {}
            shell.failing_starts(ins, shell.DEFAULT_SHELL, named=named)
            claude = [v for v in named.values() if "claude" in v]
            assert len(claude) == 300 and all(v == {"claude"} for v in claude)
            assert len({id(v) for v in claude}) == (1 if on else 300)
