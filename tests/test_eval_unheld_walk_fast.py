"""The status walk's `eval "$NAME"` of a variable its reader holds no value of, queued without the
reader's _eval (issue 18, r125, r127: aishell/shell.py EVAL_UNHELD_WALK).

A RUN of `c=claude; eN="$c -v"; eval "$eN"` (benchmarks/scale.py eval_assigned) meets past the
256 variables the reader keeps an eval of a name it holds no value of at nearly every pair: the
walk's EVAL_WALK called the reader's _eval for it. EVAL_UNHELD_WALK takes _eval's step for that
case itself (_Reader._eval_unheld, which _eval takes too: the _Unheld made and queued the same
way, and _queue_read moves it onto the walk as for any other), with no _eval call, and reads
eval's string as `$NAME` without unquote (what the walk reads of it: whether it may end the
shell, `eval 'set +e'`).

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
    """Each eval form after two of the short starts (by turns: every start meets every few
    forms) and, a few forms a RUN, after each start past the 256 names."""
    short = [s for s in STARTS if _FULL not in s]
    full = [s for s in STARTS if _FULL in s]
    scripts = [short[(k + j) % len(short)] + ev for k, ev in enumerate(EVALS) for j in (0, 3)]
    _agree(_text(scripts + _scripts(full, EVALS, per=19), "line"))


def test_evals_in_places_and_contexts_as_before():
    rnd = random.Random(125)
    short = [s for s in STARTS if _FULL not in s]
    full = [s for s in STARTS if _FULL in s]
    for context in CONTEXTS:
        scripts = [
            start + place.format(c=ev) for start, ev, place in rnd.sample(list(product(short, EVALS, PLACES)), 16)
        ]
        scripts += _scripts([rnd.choice(full)], rnd.sample(EVALS, 6), rnd.choice(PLACES), per=6)
        _agree(_text(scripts, context))


def test_the_shape_takes_the_short_way(monkeypatch):
    """The benchmark's shape past the 256 names, errexit on, in bash: the walk's evals of names
    it holds no value of queued with no _eval call (with the switch off, each calls it)."""
    pairs = "".join(f'; e{i}="$c -v"; eval "$e{i}"' for i in range(262))
    took = {"walk": 0}
    real = shell._Reader._eval

    def counted(self, *args):
        took["walk"] += args[-1] is False  # (EVAL_WALK's call: record False)
        return real(self, *args)

    monkeypatch.setattr(shell._Reader, "_eval", counted)
    text = f'FROM aishell:foundation\nSHELL ["/bin/bash", "-c"]\nRUN set -eo pipefail; c=claude{pairs}\n'
    got = {}
    for on in (True, False):
        took["walk"] = 0
        got[on] = read_switched(text, _SWITCHES, on, _record)
        if on:
            on_count = took["walk"]
        else:
            assert took["walk"] >= on_count + 5, (on_count, took)
    assert got[True] == got[False]
