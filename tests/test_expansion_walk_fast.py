"""The status walk of a nested script `$NAME …`, and of `eval WORD`, without _script's and
_simple's general steps (issue 18, r113: aishell/shell.py EXPANSION_WALK, EVAL_WALK).

A RUN of `c=claude; eN="$c -v"; eval "$eN"` (benchmarks/scale.py eval_assigned) walked each
eval string `$eN` through all of _script's steps for a script, _simple's general path and the
reader's _command, which records the command `$eN` only for the walk to read past it (a name that
is an expansion: no start, no function, no end of the shell, no option). EXPANSION_WALK walks a
nested script of one simple command of words alone whose first word is an expansion with the
reader's _expanded_name alone (what it queues, what it finds unsure), the flags as _script,
ONE_SIMPLE_WALK and EXPANDED_ONE set them. EVAL_WALK walks `eval WORD` (EVAL_ONE's) with the
reader's _eval, its command not recorded but read from the words: its start, its end of the
shell, `eval 'set +e'`.

Generated: eval forms and commands an expansion names (tests/test_eval_one_fast.py's, with near
misses of this short way: `$c=1`, `$d/claude`, `${e:-claude}`, `$1`, `"$@"`, bash's `[[`, an
expansion after blanks, a script fed on stdin, own and scoped variables of `sh -c`, functions
the string sees, files and aliases held) × the values they hold × where the command stands ×
where the script runs (the line, `sh -c`, a fed heredoc, `RUN <<EOF`): with the switch on and
off, everything a rule sees of the script, what the status walk decides, names and finds unsure
under three SHELLs, and every finding of every rule must agree; and the shape's walk takes the
short way (fails off).
"""

from __future__ import annotations

import random
from itertools import product

from aishell import shell

from tests.runs import read_switched, walks
from tests.test_eval_one_fast import BEFORE, EVALS, PLACES, VALUES
from tests.test_shell_fast import _dump

FORMS = [
    *EVALS,
    "eval ' $e'",
    "eval '$e [[ -f x ]]'",
    "eval '$c=1'",
    "eval '$d/claude -v'",
    "eval '${e:-claude} -v'",
    "eval '$1 -v'",
    "eval '\"$@\"'",
    "eval '$e $c'",
    "eval '$e'; eval '$e'",
    "x=$e; eval '$x -v'",
    "read e; eval '$e'",
    "echo '$e -v' | sh",
    "sh -c '$e'",
    "sh -c 'e=claude; $e -v'",
    "e=true; eval '$e'",
    "[ -f x ] && e=claude; eval '$e -v'",
    "{ e=claude; eval '$e -v'; }",
    "set -- claude; eval '$1 -v'",
    "f() { eval \"$1\"; }; f '$e'",
    "eval 'set +e'; claude -v",
    "eval 'set +o pipefail'; claude -v | cat",
    'eval "set +e"',
    "f() { exit 0; }; eval f",
    "f() { set +e; }; eval f; claude -v",
    'g() { eval "$e"; }; g',
    'eval "$(echo $e)"',
    "eval \\$e",
    "eval 'claude -v'; claude -v",
    "set -e; eval 'claude -v; true'",
    'read x; eval "$e"; claude -v',
]
# (Values whose script bash and dash read apart, and one that calls a function.)
EXTRA_VALUES = [*VALUES, "[[ -f x ]] || true; claude -v", "f"]
EXTRA_BEFORE = [*BEFORE, "c=f; ", "export e; ", "trap 'exit 0' EXIT; ", "e=; "]
CONTEXTS = {
    "line": "RUN {s}\n",
    "sh -c": "RUN sh -c '{s}'\n",
    "fed": "RUN sh <<'EOF'\n{s}\nEOF\n",
    "RUN <<EOF": "RUN <<EOF\n{s}\nEOF\n",
}
_SWITCHES = ("EXPANSION_WALK", "EVAL_WALK")
_SHELLS = [shell.DEFAULT_SHELL, (True, True), (True, False, True)]


def _scripts(seed: int, n: int) -> list[str]:
    rnd = random.Random(seed)
    cases = list(product(EXTRA_VALUES, FORMS, EXTRA_BEFORE, PLACES))
    return [f"e='{value}'; {before}" + place.format(c=form) for value, form, before, place in rnd.sample(cases, n)]


def _text(scripts: list[str], context: str) -> str:
    if context == "sh -c":
        scripts = [s.replace("'", '"') for s in scripts if '"' not in s]
    return "FROM aishell:foundation\n" + "".join(CONTEXTS[context].format(s=s) for s in scripts)


def _record(ins) -> tuple:
    script = shell.analyse_run(ins)
    return _dump(script), shell.variable_values(ins), walks(ins, _SHELLS, plain=True)


def _agree(text: str) -> None:
    fast = read_switched(text, _SWITCHES, True, _record)
    general = read_switched(text, _SWITCHES, False, _record)
    assert len(fast[0]) == text.count("\nRUN ")
    for k, (a, b) in enumerate(zip(fast[0], general[0])):
        assert a == b, (k, text.split("\nRUN ")[k + 1][:200])
    assert fast[1] == general[1]


def test_expansions_walk_as_before():
    for seed, context in enumerate(CONTEXTS):
        _agree(_text(_scripts(seed, 60 if context == "line" else 30), context))


def test_each_form_after_each_start_as_before():
    """Each form once after a start (the starts and values in turn), at the RUN's start."""
    scripts = [
        f"e='{VALUES[k % len(VALUES)]}'; {EXTRA_BEFORE[k % len(EXTRA_BEFORE)]}{form}"
        for k, form in enumerate(FORMS * 2)
    ]
    _agree(_text(scripts, "line"))


def test_each_value_and_start_as_before():
    """Each value after each start, its eval string deciding (`set -e`, the RUN's first eval): the
    functions the string sees, the shell (bash's `[[`) its value's script is read by."""
    scripts = [
        f"e='{v}'; {before}set -e; {form}; echo done"
        for v, before, form in product(EXTRA_VALUES, EXTRA_BEFORE[::2], ('eval "$e"', "eval '$e -v'"))
    ]
    _agree(_text(scripts, "line"))


def test_the_shape_takes_the_short_way(monkeypatch):
    """The benchmark's shape: no eval string `$eN` walked through _script (the line's alone, and
    the `claude -v` each value runs), the same walk both ways."""
    pairs = "".join(f'; e{i}="$c -v"; eval "$e{i}"' for i in range(50))
    text = f"FROM aishell:foundation\nRUN set -e; c=claude{pairs}\n"
    seen: list[str] = []
    real = shell._StatusWalk._script

    def counted(self, m, *args):
        seen.append(m.s)
        return real(self, m, *args)

    monkeypatch.setattr(shell._StatusWalk, "_script", counted)
    got = {}
    for on in (True, False):
        seen.clear()
        got[on] = read_switched(text, _SWITCHES, on, _record)
        expansions = [s for s in seen if s.startswith("$")]
        assert len(expansions) == (0 if on else 50 * 7)  # (three SHELLs, two walks each; lint's)
    assert got[True] == got[False]
