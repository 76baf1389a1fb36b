"""The status walk of assignments and of eval's strings without the general steps (issue 18, r90).

A RUN of `c=claude; eN="$c -v"; eval "$eN"` (benchmarks/scale.py eval_assigned) was walked with
the general path for each command: each assignment went through the walk's reader's _command
(to come to _assign), and each eval's string (`$eN`, a script of its own) was tokenized and
parsed as a list of and-or lists of pipelines. Short ways (aishell/shell.py):

- ASSIGN_PLAIN_WALK: _StatusWalk._simple reads a command of assignments alone that substitute
  nothing (no `$( )`, backquote or process substitution) with _assign, as ASSIGN_WALK reads
  `v=$(date +%s)`: no stdin eaten, no substitution's status.
- ONE_TREE: _StatusWalk._script makes the tree of a script of one simple command of words alone
  (no operator, redirection, keyword or quote) without _parse, and its tokens (words alone, `$`
  in them) without tokenize.
- ONE_RUN: _unquote_mapped of a word whose value is one run of its text (`"$e1"`) takes the
  offsets as a slice of the script's (a range or an array), not a list of int objects (each
  eval string's, kept with its command's spans until the lint ends).

Generated: assignment and eval forms (eval's string one command or not: lists, groups, `if`,
`!`, comments, redirections, a definition, `exit`, `set +e`, `read`; values plain, quoted, from
variables, `${v:-x}`, `$((…))`, backquotes, `~`, arrays) × where the command stands (after `&&`,
`||`, `!`, in `if`, a subshell, a group, a function body, a pipeline, in the background, under
`set -e`/`+e`, pipefail) × where the script runs (the line, `sh -c`, `bash -c`, a fed heredoc,
`RUN <<EOF`): with the switches on and off, everything a rule sees of the script, what the
status walk decides, names and finds unsure under four SHELLs, and every finding of every rule
must agree; dash (tests/dash.py) judges AIS002's severities where the short ways are taken; and
the benchmark's shape is walked without them (fails without them).
"""

from __future__ import annotations

from itertools import product

import pytest

from aishell import shell
from aishell.model import parse

from tests.dash import SH, agrees, outcome
from tests.severities import severities
from tests.runs import read_switched, walks
from tests.test_shell_fast import _dump

FORMS = [
    'c=claude; e="$c -v"; eval "$e"',
    'e="claude -v"; eval "$e"',
    "e='claude -v'; eval $e",
    "c=claude; $c -v",
    "c=claude; e=$c; $e -v",
    "x=1 y=2; claude -v",
    "x=1 c=claude; $c -v",
    'e="claude -v"; eval "$e"; e=true; eval "$e"',
    'c=claude; e="$c -v"; eval "$e" || true',
    'e="exit 0"; eval "$e"; claude -v',
    'e="set +e"; eval "$e"; claude -v',
    'e="claude -v; true"; eval "$e"',
    'e="claude -v && true"; eval "$e"',
    'e="if true; then claude -v; fi"; eval "$e"',
    'e="{ claude -v; }"; eval "$e"',
    'e="! claude -v"; eval "$e"',
    'e="claude -v >/dev/null"; eval "$e"',
    'e="#claude -v"; eval "$e"',
    'e="claude -v #x"; eval "$e"',
    'e="f() { claude -v; }"; eval "$e"; f',
    'e="read x"; eval "$e"; claude -v',
    'e="cat"; eval "$e"; claude -v',
    "x=${v:-claude}; $x -v",
    "x=$v; eval claude -v",
    'x=~ y=a*; eval "claude $x"',
    "x=$((1 + 2)); eval claude -v",
    "x=`true`; eval claude -v",
    "x=$(true) y=1; eval claude -v",
    "x=1 >/dev/null; eval claude -v",
    "x+=1; eval claude -v",
    "eval claude -v",
    'eval "claude  -v"',
    'set -- claude -v; eval "$1 $2"',
    'eval "$@"; claude -v',
    'e="$c -v"; c=claude; eval "$e"',
    'c=claude; e="\\$c -v"; eval "$e"',
    'e="claude -v \\$x"; eval "$e"',
    'x=a; x=claude; eval "$x -v"',
    'eval "{ claude -v; }"',
    'eval "if"; claude -v',
    'eval "}"; claude -v',
    'eval "! claude -v"',
    'eval "claude -v $x"',
    'eval "$e"; claude -v',
    "eval x=1; eval claude -v",
    'eval "x=1 y=2"; claude -v',
    'e="x=1"; eval "$e"; eval "claude -v"',
    'e=exit; eval "$e"; claude -v',
    'e=claude; eval "$e -v" &',
    "a=(claude -v); eval claude",
]
PLACES = [
    "{c}",
    "set -e; {c}; echo done",
    "set +e; {c}; echo done",
    "set -eo pipefail; {c} | cat; echo done",
    "{c} && echo done",
    "true && {c}",
    "false || {c}",
    "! {c}; echo done",
    "if {c}; then echo y; fi",
    "( {c} ); echo done",
    "{{ {c}; }}",
    "g() {{ {c}; }}; set -e; g",
    "alias c=claude; {c}",
    "{c} &",
    "set -e; {c}; {c}",
    "set -e; read y; {c}",
    "trap 'exit 0' EXIT; {c}",
    "set -e; {c} || true; claude -v",
]
CONTEXTS = {
    "line": "RUN {s}\n",
    "sh -c": "RUN sh -c '{s}'\n",
    "bash -c": "RUN bash -c '{s}'\n",
    "fed": "RUN sh <<'EOF'\n{s}\nEOF\n",
    "RUN <<EOF": "RUN <<EOF\n{s}\nEOF\n",
}
_SHELLS = [shell.DEFAULT_SHELL, (True, False), (True, True), (True, False, True)]
_SWITCHES = ("ASSIGN_PLAIN_WALK", "ONE_TREE", "ONE_RUN")


def _scripts(context: str) -> list[str]:
    out = [p.format(c=f) for p, f in product(PLACES, FORMS)]
    return [s for s in out if "'" not in s] if context.endswith("-c") else out


def _text(scripts: list[str], context: str) -> str:
    return "FROM aishell:foundation\n" + "".join(CONTEXTS[context].format(s=s) for s in scripts)


def _record(ins) -> tuple:
    script = shell.analyse_run(ins)
    values = shell.variable_values(ins)
    return _dump(script), values, walks(ins, _SHELLS, plain=True)


def _read(text: str, on: bool):
    return read_switched(text, _SWITCHES, on, _record)


@pytest.mark.parametrize("context", list(CONTEXTS))
def test_assignments_and_eval_strings_walk_as_before(context):
    scripts = _scripts(context)
    assert (
        len(scripts) == len(PLACES) * len(FORMS) or context.endswith("-c") and len(scripts) > 600
    )  # (900; no `'` in `sh -c '…'`)
    text = _text(scripts, context)
    fast, general = _read(text, True), _read(text, False)
    assert len(fast[0]) == len(scripts)
    for k, (a, b) in enumerate(zip(fast[0], general[0])):
        assert a == b, (context, scripts[k])
    assert fast[1] == general[1]


def _counted(monkeypatch, names) -> dict:
    steps = dict.fromkeys(names, 0)
    for cls, name in names:
        real = getattr(cls, name) if cls is not None else getattr(shell, name)

        def counted(*args, _real=real, _key=(cls, name), **kwargs):
            steps[_key] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(cls if cls is not None else shell, name, counted)
    return steps


def _walk_counted(text: str, steps: dict) -> list:
    """The RUN of the text read afresh, the counts zeroed, then walked: its failing starts."""
    shell._SEEN.clear()
    ins = next(i for i in parse(text).instructions if i.keyword == "RUN")
    shell.analyse_run(ins)
    for k in steps:
        steps[k] = 0
    return shell.failing_starts(ins, (True, False))


def test_the_shape_is_walked_without_the_general_steps(monkeypatch):
    """The benchmark's shape: the walk reads no assignment with the reader's _command, and
    tokenizes and parses no eval string (each switch off: it does, as before)."""
    pairs = "".join(f'; e{i}="$c -v"; eval "$e{i}"' + (" \\\n" if i % 40 == 39 else "") for i in range(200))
    text = f"FROM aishell:foundation\nRUN c=claude{pairs}\n"
    steps = _counted(monkeypatch, [(shell._Reader, "_command"), (shell._StatusWalk, "_parse"), (None, "tokenize")])
    counts = {}
    for on in (True, False):
        for n in _SWITCHES:
            monkeypatch.setattr(shell, n, on)
        counts[on] = (_walk_counted(text, steps), dict(steps))
    assert counts[True][0] == counts[False][0] and counts[True][0]  # (`set -e`: the first eval's claude decides)
    fast, general = counts[True][1], counts[False][1]
    # On: each eval and each eval string's command (`$eN`, then its `claude -v`) through
    # _command, not `c=claude` nor the assignments; no eval string tokenized or parsed.
    assert fast[(shell._Reader, "_command")] < general[(shell._Reader, "_command")] - 200
    assert fast[(shell._StatusWalk, "_parse")] == 0 and fast[(None, "tokenize")] == 0
    assert general[(shell._StatusWalk, "_parse")] >= 200 and general[(None, "tokenize")] >= 200
    for n in _SWITCHES:  # (each alone off: its steps come back)
        monkeypatch.setattr(shell, n, True)
    for n, key in (("ASSIGN_PLAIN_WALK", (shell._Reader, "_command")), ("ONE_TREE", (shell._StatusWalk, "_parse"))):
        monkeypatch.setattr(shell, n, False)
        assert _walk_counted(text, steps) == counts[True][0]
        assert steps[key] > fast[key] + 150, n
        monkeypatch.setattr(shell, n, True)


# (Not the forms dash refuses or that need another shell: arrays, pipefail (the dash here
# refuses it); nor `read`/`cat` of the script's stdin, `alias`, the background. Nor the cases
# aishell got wrong before these short ways, as it gets them wrong with them (findings the same
# with the switches off, test_assignments_and_eval_strings_walk_as_before): an error where dash
# never runs the harness, `eval "if"; claude -v`, `eval "}"; …` (a syntax error in eval ends
# dash), `set -e; x+=1; eval claude -v` (dash's command `x+=1`, not found); and no finding where
# it runs: `x=${v:-claude}; $x -v`, `e="\$c -v"`, `e="claude -v \$x"` (an escaped `$` in the
# value), `e=claude -v…; eval "$e"; e=true; eval "$e"`, and an eval string in a subshell.)
_KNOWN = ('eval "if"', 'eval "}"', "x+=1", "${v:-claude}", "\\$", "e=true; eval")
_ORACLE_FORMS = [
    f
    for f in FORMS
    if "a=(" not in f and "read" not in f and f != 'e="cat"; eval "$e"; claude -v' and not any(k in f for k in _KNOWN)
]
_ORACLE_PLACES = [
    p
    for p in PLACES
    if "alias" not in p and "read" not in p and "&" not in p.replace("&&", "") and "pipefail" not in p and "( " not in p
]


def _oracle_cases():
    for form, place in product(_ORACLE_FORMS, _ORACLE_PLACES):
        script = place.format(c=form)
        yield f"{place}|{form}", "FROM aishell:foundation\nRUN " + script + "\n", script


ORACLE = list(_oracle_cases())


@pytest.mark.skipif(SH is None, reason="needs dash")
def test_dash_agrees_where_the_short_ways_are_taken(tmp_path):
    assert len(ORACLE) > 400
    for key, text, script in ORACLE:
        found = severities(text)
        fails, ran = outcome(script, tmp_path, cwd=tmp_path)
        agrees(found, fails, ran, key)
