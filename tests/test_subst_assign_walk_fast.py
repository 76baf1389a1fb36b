"""The status walk of `y=$(echo $x)` and of one-command `$( )` bodies without the general steps
(issue 18, r112).

A RUN of `x=$(date +%s); y=$(echo $x); w=$(claude -v)` repeated (benchmarks/scale.py
reassigned_substitutions) walked each `y=$(echo $x)` through the reader's _command and the
general path of _simple, and each `$( )` body through all of _script's steps for a script. Two
short ways (aishell/shell.py):

- SUBST_ASSIGN_WALK: _StatusWalk._simple reads a command of assignments alone `NAME=$(…)`,
  whose bodies may hold expansions and feeders (_ASSIGN_WORDS_SUB's), with _assignments (the
  reader's _assign, the eating of stdin, _last_substitution checking the words as before).
- BODY_WALK: run() walks a LAZY_BODIES body of one simple command whose first word
  _plain_simple says yes to (a plain _Line, or words alone) as _script would come to it.

Generated: assignment forms (those the short ways take, and near misses: quotes, a `${`, a
redirection, a command after them, several commands in the body, a keyword, a function, a
shell, `exit`, `set`, `eval`, bash-only syntax) × where the command stands (after `&&`, `||`,
`!`, in `if`, a subshell, a group, a function body, a pipeline, under `set -e`/`+e`, pipefail,
a trap, a function defined, an alias, `read` of stdin) × where the script runs (the line, a
continued line, `sh -c`, `bash -c`, a fed heredoc, `RUN <<EOF`): with both switches on and off,
everything a rule sees of the script, what the status walk decides and names under three SHELLs,
and every finding of every rule must agree.
"""

from __future__ import annotations

from itertools import product

import pytest

from aishell import shell
from aishell.model import parse

from tests.runs import read_switched, walks
from tests.test_shell_fast import _dump

FORMS = [
    "y=$(echo $x)",
    "y=$(echo $x) w=$(claude -v)",
    "w=$(claude -v) y=$(echo $x)",
    "y=$(echo ${x:-claude})",
    "y=$($c -v)",
    "y=$(${c} -v)",
    "y=$(echo $x)x",
    'y="$(echo $x)"',
    "y=$(echo $x) >/dev/null",
    "y=$(echo $x) claude -v",
    "y=$(echo $x; claude -v)",
    "y=$(echo $(claude -v))",
    "y=$(cat $f)",
    "y=$(which $c)",
    "y=$(exit $n)",
    "y=$(set +e $x)",
    "y=$(eval $c)",
    "y=$(bash $f)",
    "y=$(if $x)",
    "y=$(! claude $x)",
    "y=$(f $x)",
    "y=$(claude -v)",
    "y=$(exit 0)",
    "y=$(false)",
    "y=$(claude <<<$x)",
    "y=$(claude -v) && $y",
    "c=$(echo claude); $c -v",
    "x+=$(echo $x)",
]
PLACES = [
    "{c}",
    "set -e; x=$(date +%s); {c}; echo done",
    "set -eo pipefail; {c} | cat; echo done",
    "{c} && echo done",
    "false || {c}",
    "! {c}; echo done",
    "if {c}; then echo y; fi",
    "( {c} ); echo done",
    "f() {{ claude -v; }}; set -e; {c}",
    "g() {{ {c}; }}; set -e; g",
    "set -e; read y; {c}",
    "trap 'exit 0' EXIT; {c}",
    "set -e; c=claude; {c}; {c}",
    'f() {{ "$1" -v; }}; set -e; {c}; f claude',
    "set -e; exec 3>&1; {c}",
]
CONTEXTS = {
    "line": "RUN {s}\n",
    "bash -c": "RUN bash -c '{s}'\n",
    "fed": "RUN sh <<'EOF'\n{s}\nEOF\n",
    "RUN <<EOF": "RUN <<EOF\n{s}\nEOF\n",
}
_SHELLS = [shell.DEFAULT_SHELL, (True, True), (True, False, True)]
_SWITCHES = ("SUBST_ASSIGN_WALK", "BODY_WALK", "BODY_READ")


def _text(context: str) -> tuple[list[str], str]:
    scripts = [p.format(c=f) for p, f in product(PLACES, FORMS)]
    if context == "sh -c" or context == "bash -c":
        scripts = [s for s in scripts if "'" not in s]
    return scripts, "FROM aishell:foundation\n" + "".join(CONTEXTS[context].format(s=s) for s in scripts)


def _record(ins) -> tuple:
    script = shell.analyse_run(ins)
    return _dump(script), shell.variable_values(ins), walks(ins, _SHELLS)


@pytest.mark.parametrize("context", list(CONTEXTS))
def test_assignments_and_bodies_walk_as_before(context):
    scripts, text = _text(context)
    fast = read_switched(text, _SWITCHES, True, _record)
    general = read_switched(text, _SWITCHES, False, _record)
    assert len(fast[0]) == len(scripts)
    for k, (a, b) in enumerate(zip(fast[0], general[0])):
        assert a == b, (context, scripts[k])
    assert fast[1] == general[1]


def test_the_shape_takes_the_short_ways(monkeypatch):
    """The benchmark's shape: no `y=$(echo $x)` through the reader's _command, no body through
    _script (the line's alone)."""
    triples = "".join("; x=$(date +%s); y=$(echo $x); w=$(claude -v)" for _ in range(50))
    text = f"FROM aishell:foundation\nRUN set -e{triples}\n"
    counts = {"_script": 0, "_command": 0}
    for cls, name in ((shell._StatusWalk, "_script"), (shell._Reader, "_command")):
        real = getattr(cls, name)

        def counted(self, *args, _real=real, _name=name, **kwargs):
            counts[_name] += 1
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, counted)
    got = []
    for on in (True, False):
        for n in _SWITCHES:
            monkeypatch.setattr(shell, n, on)
        shell._SEEN.clear()
        shell._WALKED.clear()
        ins = next(i for i in parse(text).instructions if i.keyword == "RUN")
        shell.analyse_run(ins)
        counts["_script"] = counts["_command"] = 0
        got.append(shell.failing_starts(ins, shell.DEFAULT_SHELL))
        if on:
            assert counts == {"_script": 1, "_command": 1}  # (the line; `set -e`)
        else:
            assert counts == {"_script": 151, "_command": 51}
    assert got[0] == got[1] and len(got[0]) == 150
