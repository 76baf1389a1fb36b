"""The status walk's `eval "$NAME"` of a variable its reader holds no value of, put on the walk in
one step (issue 18, r125: aishell/shell.py EVAL_UNHELD_WALK).

A RUN of `c=claude; eN="$c -v"; eval "$eN"` (benchmarks/scale.py eval_assigned) meets past the
256 variables the reader keeps an eval of a name it holds no value of at nearly every pair: the
walk's EVAL_WALK called the reader's _eval to queue an _Unheld and _queue_read to move it onto
the walk. EVAL_UNHELD_WALK makes the _Unheld and puts it on the walk itself, with the state
_queue_read gives it (errexit and pipefail, or the call's where a note of it is a call's; bash's).

Generated: unheld eval strings (quoted or not, past the 256 names or never assigned) and near
misses the short way must refuse (a name the walk's reader holds, `${e}`, `"$e"x`, two words,
`$(…)`, a function or alias held) × the shell's options where the eval stands (errexit,
pipefail, a function of `set +e`, a condition, a pipeline) × where the script runs (the line,
fed to sh, bash -c): with the switch on and off, everything a rule sees of the script, what the
status walk decides, names and finds unsure, and every finding of every rule must agree; and
the shape takes the short way.
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
    "set -e; ",
    "set -o pipefail; ",
    "set -eo pipefail; ",
    "e='claude -v'; ",
    "g() { set +e; }; ",
    "set -- claude -v; ",
    _FULL,
    _FULL + "set -e; ",
    _FULL + "set -eo pipefail; e=claude; ",
]
EVALS = [
    'eval "$e"',
    "eval $e",
    'eval "$claude"',
    'eval "$e"; false; echo x',
    'eval "$e"; e="$c -v"; eval "$e"',
    'eval "$e"; e=\'set +e\'; eval "$e"; false',
    'e="$c -v"; eval "$e"',
    "eval 'set +e'; false",
    'eval "${e}"',
    'eval "$e"x',
    'eval "$e" "$e"',
    'eval "$(echo claude)"',
    'eval "$e"; e() { claude -v; }',
    'eval "$e"; alias e=claude',
    'g; eval "$e"; false',
    'eval "$e" | cat',
    'echo x | eval "$e"',
    '! eval "$e"',
    'eval "$e" || true',
    'eval "$e" && echo ok',
    'if eval "$e"; then claude -v; fi',
    'while eval "$e"; do break; done',
    '( eval "$e" ); false',
    'x=$(eval "$e"); $x',
    'h() { eval "$e"; false; }; set -e; h',
    "bash -c 'eval \"$e\"; false'",
    # (assigned after: the walk reads the string with the value the name holds by then)
    "eval \"$e\"; e='claude -v'",
    "eval \"$e\"; e='false | claude -v'",
    "eval \"$e\"; e='claude -v | cat'",
    "eval \"$e\"; e='set -o pipefail; claude -v | cat'",
    "eval \"$e\"; e='[[ -n x ]] && claude -v'",
    "eval \"$e\"; e='source <(echo x); claude -v'",
    "eval \"$e\"; e='claude -v; exit 1'",
    "eval \"$e\"; e='claude -v'; alias q=x",
    'eval "$e"; e=\'"$@"\'',
    "eval \"$e\"; e='$1 -v'",
    'eval "$e"; echo claude -v > s.sh; chmod +x s.sh',
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
    "bash": "RUN bash <<'EOF'\n{s}\nEOF\n",
    "bash -c": "RUN bash -c '{s}'\n",
}
_SWITCHES = ("EVAL_UNHELD_WALK",)


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
    _agree(_text(_scripts(short, EVALS) + _scripts(full, EVALS, per=9), "line"))


def test_evals_in_places_and_contexts_as_before():
    rnd = random.Random(125)
    short = [s for s in STARTS if _FULL not in s]
    full = [s for s in STARTS if _FULL in s]
    for context in CONTEXTS:
        scripts = [
            start + place.format(c=ev) for start, ev, place in rnd.sample(list(product(short, EVALS, PLACES)), 35)
        ]
        for start in full:
            place = rnd.choice(PLACES)
            scripts += _scripts([start], rnd.sample(EVALS, 8), place, per=4)
        _agree(_text(scripts, context))


def test_the_shape_takes_the_short_way(monkeypatch):
    """The benchmark's shape past the 256 names, errexit on, in bash: the walk's evals put on
    the walk by _eval_walked itself (with the switch off, each goes through _queue_read)."""
    pairs = "".join(f'; e{i}="$c -v"; eval "$e{i}"' for i in range(270))
    took = {"queued": 0}
    real = shell._StatusWalk._queue_read

    def counted(self, *args):
        took["queued"] += 1
        return real(self, *args)

    monkeypatch.setattr(shell._StatusWalk, "_queue_read", counted)
    for text in (
        f"FROM aishell:foundation\nRUN set -e; c=claude{pairs}\n",
        f"FROM aishell:foundation\nRUN bash -c 'set -eo pipefail; c=claude{pairs}'\n",
        f'FROM aishell:foundation\nSHELL ["/bin/bash", "-c"]\nRUN set -o pipefail; c=claude{pairs}\n',
    ):
        got = {}
        for on in (True, False):
            took["queued"] = 0
            got[on] = read_switched(text, _SWITCHES, on, _record)
            if on:
                on_count = took["queued"]
            else:
                assert took["queued"] >= on_count + 10, (on_count, took)
        assert got[True] == got[False]
