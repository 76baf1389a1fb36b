"""eval's string of one variable that holds no value, read and walked in one step (issue 18,
r121: aishell/shell.py EVAL_UNHELD).

A RUN of `c=claude; eN="$c -v"; eval "$eN"` (benchmarks/scale.py eval_assigned) names past the
256 variables the reader keeps a variable it holds no value of at nearly every eval: its string
`$eN` was unquoted, queued with a snapshot of values and a note, then read (the reader's) and
walked (the status walk's) as a script, to record the command `$eN` and find nothing in it.
EVAL_UNHELD queues it as an _Unheld and, when it comes to be read or walked, records the command
(the reader) or does nothing (the walk) where the name still holds no value and no file, alias,
stdin or scope is held; else it is noted as before and read the general way.

Generated: unheld eval strings (quoted or not, past the 256 names or never assigned) and near
misses the short way must refuse or must check again when it reads (the name assigned after the
eval, freed by `unset` and assigned, `read`, `export`; `set --`; a function named like the value,
defined before or after; an alias, a made file after; `eval` nested, in `$( )`, in a function;
a prefix assignment, `command eval`) × where the command stands × where the script runs: with the
switch on and off, everything a rule sees of the script, what the status walk decides, names and
finds unsure, and every finding of every rule must agree; and the shape takes the short way.
"""

from __future__ import annotations

import random
from itertools import product

from aishell import shell

from tests.runs import read_switched
from tests.test_eval_one_fast import _record

_FULL = "".join(f"v{i}=x; " for i in range(256))  # (the reader keeps no more names)
STARTS = [
    "",
    "c=claude; ",
    _FULL,
    _FULL + "unset v3; ",
    "set -- claude -v; ",
    "f() { claude -v; }; ",
    "alias x=y; ",
    "echo claude -v > s.sh; ",
]
EVALS = [
    'eval "$e"',
    "eval $e",
    'eval "$claude"',
    "eval $f",
    'eval "$e"; e="$c -v"; eval "$e"',
    "eval \"$e\"; e='claude -v'",
    'eval "$e"; e=\'claude -v\'; eval "$e"',
    "e='claude -v'; eval \"$e\"",
    "eval \"$e\"; export e='claude -v'",
    "eval \"$e\"; unset v3; e='claude -v'",
    "unset v3; eval \"$e\"; e='claude -v'",
    'eval "$e"; set -- claude -v',
    'eval "$e"; claude() { true; }',
    'eval "$e"; e() { claude -v; }',
    'eval "$f"; f() { claude -v; }',
    'eval "$e"; alias e=claude',
    'eval "$e"; echo claude -v > s.sh; chmod +x s.sh',
    "eval 'eval \"$e\"'",
    'x=$(eval "$e"); $x',
    'g() { eval "$e"; }; g; e=claude; g',
    'e=claude eval "$e"',
    'command eval "$e"',
    'eval "$e" "$e"',
    'eval "${e}"',
    'eval "$e"x',
    'echo claude -v | { read e; eval "$e"; }',
    'eval "$e"; read e <s.sh; eval "$e"',
    "sh -c 'eval \"$e\"'; e=claude",
]
PLACES = [
    "{c}",
    "set -e; {c}; echo done",
    "{c} && echo done",
    "false || {c}",
    "( {c} ); echo done",
    "{{ {c}; }}",
    "if true; then {c}; fi",
]
CONTEXTS = {
    "line": "RUN {s}\n",
    "fed": "RUN sh <<'EOF'\n{s}\nEOF\n",
    "bash -c": "RUN bash -c '{s}'\n",
}
_SWITCHES = ("EVAL_UNHELD",)


def _text(scripts: list[str], context: str) -> str:
    body = [CONTEXTS[context].format(s=s) for s in scripts if context != "bash -c" or "'" not in s]
    return "FROM aishell:foundation\n" + "".join(body)


def _agree(text: str) -> None:
    fast = read_switched(text, _SWITCHES, True, _record)
    general = read_switched(text, _SWITCHES, False, _record)
    assert len(fast[0]) == text.count("\nRUN ")
    for k, (a, b) in enumerate(zip(fast[0], general[0])):
        assert a == b, k
    assert fast[1] == general[1]


def _scripts(starts, evals, place: str = "{c}", per: int = 1) -> list[str]:
    """Each start before each eval form in ``place`` (``per`` forms a RUN, one after the other:
    a start past the 256 names is long, and read once for them)."""
    out = []
    for start in starts:
        for k in range(0, len(evals), per):
            out.append(start + "; ".join(place.format(c=ev) for ev in evals[k : k + per]))
    return out


def test_each_eval_after_each_start_as_before():
    short = [s for s in STARTS if _FULL not in s]
    full = [s for s in STARTS if _FULL in s]
    _agree(_text(_scripts(short, EVALS) + _scripts(full, EVALS, per=7), "line"))


def test_evals_in_places_and_contexts_as_before():
    rnd = random.Random(121)
    short = [s for s in STARTS if _FULL not in s]
    full = [s for s in STARTS if _FULL in s]
    for context in CONTEXTS:
        scripts = [
            start + place.format(c=ev) for start, ev, place in rnd.sample(list(product(short, EVALS, PLACES)), 50)
        ]
        for start in full:
            place = rnd.choice(PLACES)
            scripts += _scripts([start], rnd.sample(EVALS, 8), place, per=4)
        _agree(_text(scripts, context))


def test_the_shape_takes_the_short_way(monkeypatch):
    """The benchmark's shape past the 256 names: each eval string `$eN` recorded by
    _unheld_read and passed by _unheld_walked (with the switch off, neither is reached)."""
    pairs = "".join(f'; e{i}="$c -v"; eval "$e{i}"' for i in range(270))
    text = f"FROM aishell:foundation\nRUN c=claude{pairs}\n"
    took = {"_unheld_read": 0, "_unheld_walked": 0}
    for name, cls in (("_unheld_read", shell._Reader), ("_unheld_walked", shell._StatusWalk)):
        real = getattr(cls, name)

        def counted(self, *args, _real=real, _name=name):
            done = _real(self, *args)
            took[_name] += bool(done)
            return done

        monkeypatch.setattr(cls, name, counted)
    got = {}
    for on in (True, False):
        for k in took:
            took[k] = 0
        got[on] = read_switched(text, _SWITCHES, on, _record)
        if on:
            assert took["_unheld_read"] >= 10 and took["_unheld_walked"] >= 10, took
        else:
            assert took == {"_unheld_read": 0, "_unheld_walked": 0}
    assert got[True] == got[False]
