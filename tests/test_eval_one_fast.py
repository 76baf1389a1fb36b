"""`eval WORD` and `$NAME …` read in one step (issue 18, r104: aishell/shell.py EVAL_ONE,
EXPANDED_ONE).

A RUN of `c=claude; eN="$c -v"; eval "$eN"` (benchmarks/scale.py eval_assigned) read each eval
with _Reader._command's general steps, twice (the reader's and the status walk's): the function
table, the plain first word, the redirections, the assignments before the name, the builtins that
set something, the wrappers' chain, to come to eval's case. EVAL_ONE goes to that case (_eval)
at once for `eval` and one word, no redirection, where no function, file or alias is held;
EXPANDED_ONE reads a command named by an expansion (eval's string `$eN`, `$c -v`: its first word
of no quote, backslash, backquote or `/`, no redirection) with _expanded_name and _record; and
ONE_SIMPLE_WALK walks a nested script of one simple command of words alone (ONE_TREE's: eval's
string `$eN`, the `claude -v` its value runs) with _StatusWalk._simple at once, the flags as
_list_eval and _command_eval give them to a list of that one command.

Generated: eval forms the short way takes (one word: a variable, quoted or not, `${…}`, a
string, a `$( )`, an assignment, `set -e`, `exit`) and near misses it must refuse (two words or
none, a redirection, `"eval"`, `command eval`, `x=1 eval`, a function, a file or an alias held)
and commands an expansion names (near misses: `"$c"`, `$d/env`, `$'env'`, a redirection, a pipe)
× where the command stands × where the script runs: with the switch on and off, everything a
rule sees of the script, what the status walk decides, names and finds unsure, and every
finding of every rule must agree; and the shape's reading takes the short way (fails off).
"""

from __future__ import annotations

import random
import sys
from itertools import product

from aishell import shell

from tests.runs import read_switched, walks
from tests.test_shell_fast import _dump

# (The value's command, each eval form's string: one word or more.)
VALUES = ["claude -v", "exit 0", "set -e", "x=1", "c=claude", "f", "cat", "claude -v; true", "$c -v", ""]
EVALS = [
    'eval "$e"',
    "eval $e",
    'eval "${e}"',
    "eval ${e:-claude}",
    "eval 'claude -v'",
    'eval "$(echo claude -v)"',
    "eval `echo $e`",
    "eval x=1",
    'eval "set -e"',
    "eval claude",
    'eval "$e" "$e"',
    "eval claude -v",
    "eval",
    'eval "$e" 2>/dev/null',
    'eval "$e" < /dev/null',
    'eval "$e" <<<claude',
    "eval <&-",
    "eval 2>&-",
    '"eval" "$e"',
    'e\\val "$e"',
    'command eval "$e"',
    'x=1 eval "$e"',
    'builtin eval "$e"',
    # (a command an expansion names: EXPANDED_ONE)
    "$e",
    "$e -v",
    "${e}",
    "${e:-claude} -v",
    "$c -v",
    "$c $e",
    "$1 $2",
    "$@",
    "$(echo claude) -v",
    "$d/claude -v",
    "$d/cat s.sh | sh",
    "$d/env claude -v",
    "$'env' claude -v",
    '$"env" claude -v',
    "$'\\x63laude' -v",
    '$c"aude" -v',
    '$c "-v"',
    "$c -v 'x'",
    "$c=1",
    "$c >/dev/null",
    "$c <&-",
    '"$c" -v',
    "$e | sh",
    "echo claude -v | $e",
    "c=f; $c",
]
BEFORE = [
    "",
    "c=claude; ",
    "f() { claude -v; }; ",
    "f() { claude -v; echo ok; }; ",
    "alias eval=true; ",
    "alias x=y; ",
    "alias $e=claude; ",
    "echo claude -v > s.sh; ",
    "set -- claude -v; ",
    "d=/usr/bin; ",
    "unset -f f; ",
    "eval() { true; }; ",
    "echo claude -v > s.sh; chmod +x s.sh; ",
]
PLACES = [
    "{c}",
    "set -e; {c}; echo done",
    "{c} && echo done",
    "false || {c}",
    "! {c}; echo done",
    "if {c}; then echo y; fi",
    "( {c} ); echo done",
    "{{ {c}; }}",
    "g() {{ {c}; }}; set -e; g",
    "echo claude -v | {c}",
    "{c} | cat",
    "{c}; f",
    "{c}; sh s.sh; ./s.sh",
]
CONTEXTS = {
    "line": "RUN {s}\n",
    "bash -c": 'RUN bash -c "{s}"\n',
    "fed": "RUN sh <<'EOF'\n{s}\nEOF\n",
}
_SWITCHES = ("EVAL_ONE", "EXPANDED_ONE", "ONE_SIMPLE_WALK")
_SHELLS = [shell.DEFAULT_SHELL, (True, False), (True, True, True)]


def _scripts(seed: int, n: int) -> list[str]:
    rnd = random.Random(seed)
    cases = list(product(VALUES, EVALS, BEFORE, PLACES))
    out = []
    for value, ev, before, place in rnd.sample(cases, n):
        out.append(f"e='{value}'; {before}" + place.format(c=ev))
    return out


def _text(scripts: list[str], context: str) -> str:
    body = []
    for s in scripts:
        if context == "bash -c":
            if "<<" in s or '"' in s or "`" in s or "$" in s:
                continue  # (not quoted again inside the double quotes)
        body.append(CONTEXTS[context].format(s=s))
    return "FROM aishell:foundation\n" + "".join(body)


def _record(ins) -> tuple:
    script = shell.analyse_run(ins)
    values = shell.variable_values(ins)
    return _dump(script), values, walks(ins, _SHELLS, plain=True)


def test_eval_forms_read_as_before():
    for seed, context in enumerate(CONTEXTS):
        scripts = _scripts(seed, 400 if context == "line" else 150)
        text = _text(scripts, context)
        fast = read_switched(text, _SWITCHES, True, _record)
        general = read_switched(text, _SWITCHES, False, _record)
        assert len(fast[0]) == text.count("\nRUN ")
        for k, (a, b) in enumerate(zip(fast[0], general[0])):
            assert a == b, (context, k)
        assert fast[1] == general[1]


def _agree_on_the_line(scripts: list[str]) -> None:
    """Each script a RUN line: every RUN's record and the findings the same on and off."""
    text = _text(scripts, "line")
    fast = read_switched(text, _SWITCHES, True, _record)
    general = read_switched(text, _SWITCHES, False, _record)
    assert len(fast[0]) == len(scripts)
    for k, (a, b) in enumerate(zip(fast[0], general[0])):
        assert a == b, scripts[k]
    assert fast[1] == general[1]


def test_every_eval_form_after_each_start_as_before():
    """Each form once after each start (the values in turn), at the RUN's start, no place around it."""
    scripts = [f"e='{VALUES[k % len(VALUES)]}'; {before}{ev}" for k, (ev, before) in enumerate(product(EVALS, BEFORE))]
    _agree_on_the_line(scripts)


def test_each_value_and_start_in_each_place_as_before():
    """`eval "$e"` and `$e` of each value after each start in each place (the nested script of
    one command that ONE_SIMPLE_WALK walks: its status under `set -e`, a function it calls)."""
    scripts = [
        f"e='{v}'; " + place.format(c=f"{before}{ev}")
        for v, before, place, ev in product(VALUES, BEFORE, PLACES[:2], ('eval "$e"', "$e", "c=f; $c"))
    ]
    _agree_on_the_line(scripts)


def test_the_shape_takes_the_short_ways(monkeypatch):
    """The benchmark's shape: each eval comes to _eval, and each eval string `$eN` to
    _expanded_name, from the short ways' steps, not from the general steps' (with the switches
    off, from there): the same reading both ways."""
    pairs = "".join(f'; e{i}="$c -v"; eval "$e{i}"' for i in range(100))
    text = f"FROM aishell:foundation\nRUN c=claude{pairs}\n"
    lines: dict[str, list[int]] = {"_eval": [], "_expanded_name": []}
    for name in lines:
        real = getattr(shell._Reader, name)

        def counted(self, *args, _real=real, _name=name):
            lines[_name].append(sys._getframe(1).f_lineno)  # (where in _command it was called)
            return _real(self, *args)

        monkeypatch.setattr(shell._Reader, name, counted)
    # (The walk's EVAL_WALK and EXPANSION_WALK come to _eval and _expanded_name from their own
    # steps: tests/test_expansion_walk_fast.py.)
    monkeypatch.setattr(shell, "EVAL_WALK", False)
    monkeypatch.setattr(shell, "EXPANSION_WALK", False)
    got, sites = {}, {}
    for on in (True, False):
        for v in lines.values():
            v.clear()
        got[on] = read_switched(text, _SWITCHES, on, _record)
        assert all(len(v) >= 200 for v in lines.values())  # (the reader's and the walk's)
        sites[on] = {k: set(v) for k, v in lines.items()}
    for name in lines:
        assert len(sites[True][name]) == 1 and len(sites[False][name]) == 1
        assert sites[True][name] != sites[False][name], name
    assert got[True] == got[False]
