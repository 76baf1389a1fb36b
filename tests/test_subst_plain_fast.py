"""Assignments from a plain `$( )` read and walked without tokenizing them (issue 18, r87).

A RUN of `v=$(date +%s); w=$(claude -v)` pairs (benchmarks/scale.py substitution_assignments)
went through tokenize and _Splitter, and so did its status walk, which then tokenized each
assignment again to find its last substitution and tokenized and parsed that substitution's one
command as a script. Two short ways (aishell/shell.py):

- PLAIN_SUB_ASSIGN: _Reader._read_plain takes a word `NAME=$(…)` (the `$( )` of a plain script's
  `$( )` word, as a plain assignment's value) as a plain script's word, its body queued as that
  word's is; a block of a long line is no longer cut at a blank inside a `$( )`. The line's tokens
  are kept (a _Line) and the status walk reads them the plain way.
- SUBST_PLAIN: _StatusWalk._last_substitution finds the substitution of a last word `NAME=$(plain
  words)` without tokenizing the command, and walks it from its words (a _Line) without
  tokenizing and parsing it; PLAIN_ONE walks a plain script of one command without the steps
  for lists, and ASSIGN_WALK reads a command of such assignments without the reader's _command;
  ASSIGN_READ: _read_plain reads a command of assignments alone with _assign, without _command;
  ONE_READ: _Reader._read_one reads a nested plain command from _one_command_line's kept words.

Generated: assignment forms (plain and not: nested, backquotes, quotes, `${v:-$( )}`, a
redirection, a function or alias named in the substitution, `$( )` of keywords and of names the
walk reads) × where the command stands (after `&&`, `||`, `!`, in `if`, a subshell, a group, a
function body, a pipeline, under `set -e`/`+e`, pipefail) × where the script runs (the line, a
long line, a continued line, `sh -c`, `bash -c`, a fed heredoc, `RUN <<EOF`): with both switches
on and off, everything a rule sees of the script (commands, spans, items, the variables' values),
what the status walk decides and names under four SHELLs, and every finding of every rule must
agree; and dash (tests/dash.py) judges AIS002's severities where the fast ways are taken.
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
    "x=$(claude -v)",
    "x=$( claude  -v )",
    "x=$(claude)",
    "x=$(date +%s) y=$(claude -v)",
    "x=$(claude -v) y=$(date +%s)",
    "x=1 y=$(claude -v)",
    "y=$(claude -v) x=1",
    "x=$(claude -v);y=$(true)",
    "x=$(echo $(claude -v))",
    "x=`claude -v`",
    'x="$(claude -v)"',
    "x=${v:-$(claude -v)}",
    "x=$(claude -v) >/dev/null",
    "x=$(claude -v; true)",
    "x=$(true; claude -v)",
    "x=$(claude -v $y)",
    "x=$(f)",
    "x=$(c -v)",
    "x=$(if)",
    "x=$(! claude -v)",
    "x=$({ claude -v; })",
    "x=$(exit 0)",
    "x=$(set +e)",
    "x=$(eval claude -v)",
    "x=$(command claude -v)",
    "x=$(sh -c claude)",
    "x=$(cat)",
    "x=$(a#b claude)",
    "x=$(#c)",
    "x=$()",
    "x=$( )",
    "x+=$(claude -v)",
    "x=$(claude -v)x",
    "x=$(claude -v) claude -v",
    "x=$(echo claude) && $x -v",
    "c=$(echo claude); $c -v",
    "x=$(which claude)",
    "x=$(/usr/bin/claude -v)",
    "x=$((1 + 2)) y=$(claude -v)",
    "x=$(cd /x) && claude -v",
    "x=$(date\t+%s) y=$(\tclaude -v )",
    "x=$(head -1) y=$(claude -v)",
    "x=$(echo claude -v) y=$(claude -v)",
    "x=$(printf x)",
    "x=$(./claude -v)",
    "x=$(true) y=$(false)",
    "x=$(claude -v) y=$(exit 0)",
    "x=$(f claude)",
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
    "f() {{ claude -v; }}; set -e; {c}",
    "g() {{ {c}; }}; set -e; g",
    "alias c=claude; {c}",
    "{c} &",
    "set -e; {c}; {c}",
    'f() {{ "$1" -v; }}; set -e; {c}; echo done',
    "set -e; read y; {c}",
    "claude() {{ :; }}; {c}",
    "trap 'exit 0' EXIT; {c}",
    "set -e; {c} || true; {c}",
    "f() {{ claude -v; }}; set -e; {c}; f",
]
CONTEXTS = {
    "line": "RUN {s}\n",
    "long": "RUN {long}\n",
    "continued": "RUN {s}; \\\n  echo $x\n",
    "sh -c": "RUN sh -c '{s}'\n",
    "bash -c": "RUN bash -c '{s}'\n",
    "fed": "RUN sh <<'EOF'\n{s}\nEOF\n",
    "bash fed": "RUN bash -e <<'EOF'\n{s}\nEOF\n",
    "RUN <<EOF": "RUN <<EOF\n{s}\nEOF\n",
}
_SHELLS = [shell.DEFAULT_SHELL, (True, False), (True, True), (True, False, True)]
_SWITCHES = ("PLAIN_SUB_ASSIGN", "SUBST_PLAIN", "PLAIN_ONE", "ASSIGN_WALK", "ASSIGN_READ", "ONE_READ")


def _long(script: str) -> str:
    # A line longer than two of _read_plain's first blocks (256 characters), with no line break:
    # it is cut at a blank (here inside the first pad, a blank of a `$( )`), and the script lies
    # in the rest, between two pads (about 330 characters each; 500 before, which read the same
    # way and took half as long again).
    pad = "; ".join(f"v{k}=$(date +%s)" for k in range(20))
    return f"{pad}; {script}; {pad}"


def _scripts() -> list[str]:
    return [p.format(c=f) for p, f in product(PLACES, FORMS)]


def _text(scripts: list[str], context: str) -> str:
    out = ["FROM aishell:foundation\n"]
    for s in scripts:
        out.append(CONTEXTS[context].format(s=s, long=_long(s)))
    return "".join(out)


def _record(ins) -> tuple:
    script = shell.analyse_run(ins)
    kept = script.tokens
    values = shell.variable_values(ins)
    return _dump(script), kept is not None, values, walks(ins, _SHELLS)


def _read(text: str, on: bool):
    return read_switched(text, _SWITCHES, on, _record)


@pytest.mark.parametrize("context", list(CONTEXTS))
def test_assignments_from_plain_substitutions_read_and_walk_as_before(context):
    scripts = _scripts()
    assert len(scripts) == len(PLACES) * len(FORMS)  # 1,056 scripts a context
    text = _text(scripts, context)
    fast, general = _read(text, True), _read(text, False)
    assert len(fast[0]) == len(scripts)
    for k, (a, b) in enumerate(zip(fast[0], general[0])):
        assert a[0] == b[0] and a[2:] == b[2:], (context, scripts[k])
    assert fast[1] == general[1]
    if context == "line":
        # The fast way is taken: lines of plain assignments keep their tokens (a _Line) now.
        assert sum(a[1] for a in fast[0]) > sum(b[1] for b in general[0]) + 100


@pytest.mark.parametrize("context", ["line", "sh -c"])
def test_as_before_without_name_past_prefix(monkeypatch, context):
    """With NAME_PAST_PREFIX off (the reader asks of an assignment what it asks of a command's
    name: `x=$(f)` may run text, a function called after it may be another), the short ways
    are not taken where a function is defined."""
    monkeypatch.setattr(shell, "NAME_PAST_PREFIX", False)
    scripts = _scripts()
    text = _text(scripts, context)
    fast, general = _read(text, True), _read(text, False)
    for k, (a, b) in enumerate(zip(fast[0], general[0])):
        assert a[0] == b[0] and a[2:] == b[2:], (context, scripts[k])  # (a[1]: the tokens kept or not)
    assert fast[1] == general[1]


def _count_tokenize(monkeypatch) -> list[int]:
    calls = [0]
    real = shell.tokenize

    def counted(s):
        calls[0] += 1
        return real(s)

    monkeypatch.setattr(shell, "tokenize", counted)
    return calls


def test_the_shape_is_read_and_walked_without_tokenizing(monkeypatch):
    """The benchmark's shape: no tokenize, no token_chunks, for the line or its substitutions."""
    pairs = "".join(f"; v{i}=$(date +%s); w{i}=$(claude -v)" + (" \\\n" if i % 40 == 39 else "") for i in range(200))
    text = f"FROM aishell:foundation\nRUN set -e{pairs}\n"
    calls = _count_tokenize(monkeypatch)
    chunks = [0]
    real_chunks = shell.token_chunks

    def counted_chunks(*args, **kwargs):
        chunks[0] += 1
        return real_chunks(*args, **kwargs)

    monkeypatch.setattr(shell, "token_chunks", counted_chunks)
    shell._SEEN.clear()
    ins = next(i for i in parse(text).instructions if i.keyword == "RUN")
    script = shell.analyse_run(ins)
    assert script.tokens is not None  # (the line read the plain way)
    starts = shell.failing_starts(ins, shell.DEFAULT_SHELL)
    assert len(starts) == 400  # (each substitution's command decides)
    assert calls[0] == 0 and chunks[0] == 0
    for n in _SWITCHES[:2]:  # (each switch off: tokenized again)
        monkeypatch.setattr(shell, n, False)
        shell._SEEN.clear()
        calls[0] = chunks[0] = 0
        ins = next(i for i in parse(text).instructions if i.keyword == "RUN")
        shell.analyse_run(ins)
        assert shell.failing_starts(ins, shell.DEFAULT_SHELL) == starts
        assert calls[0] + chunks[0] > 0, n
        monkeypatch.setattr(shell, n, True)
    # PLAIN_ONE: no substitution's walk goes through _plain_lists (the line's alone does);
    # ASSIGN_WALK: no assignment through the reader's _command (`set -e` alone does).
    steps = {"_plain_lists": 0, "_command": 0}
    for cls, name in ((shell._StatusWalk, "_plain_lists"), (shell._Reader, "_command")):
        real = getattr(cls, name)

        def counted(self, *args, _real=real, _name=name, **kwargs):
            steps[_name] += 1
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, counted)
    # (BODY_READ and BODY_WALK take the bodies past _command and _script on both sides, and
    # SUBST_ASSIGN_WALK takes ASSIGN_WALK's assignments too: tests/test_subst_assign_walk_fast.py
    # counts those.)
    for n in ("BODY_READ", "BODY_WALK", "SUBST_ASSIGN_WALK"):
        monkeypatch.setattr(shell, n, False)
    for on in (True, False):
        monkeypatch.setattr(shell, "PLAIN_ONE", on)
        monkeypatch.setattr(shell, "ASSIGN_WALK", on)
        monkeypatch.setattr(shell, "ASSIGN_READ", on)
        shell._SEEN.clear()
        ins = next(i for i in parse(text).instructions if i.keyword == "RUN")
        steps["_command"] = 0
        shell.analyse_run(ins)
        # ASSIGN_READ: the line's assignments not through _command (`set -e` and each
        # substitution's command are).
        assert steps["_command"] == (401 if on else 801)
        steps["_plain_lists"] = steps["_command"] = 0
        assert shell.failing_starts(ins, shell.DEFAULT_SHELL) == starts
        if on:
            assert steps == {"_plain_lists": 1, "_command": 1}
        else:
            assert steps["_plain_lists"] == 401 and steps["_command"] == 401


# (Not `/usr/bin/claude`, `./claude`: the stub is on PATH only; nor `cd /x`: the walk takes the others to pass;
# nor `$(if)`, `$(#c)`, which dash refuses as it parses the line: nothing runs, an error before as now.)
_ORACLE_FORMS = [
    f
    for f in FORMS
    if "$x" not in f
    and "$c" not in f
    and "cat)" not in f
    and "/claude" not in f
    and "cd " not in f
    and f not in ("x=$(if)", "x=$(#c)")
]
# (Not `set -o pipefail`: the dash here refuses it, and the script ends before the harness runs;
# nor a function `claude`, which aishell takes to hold in a child `sh -c` too: no finding, as before;
# nor a harness called after the assignment, which the walk takes to pass: `y=$(false)` fails first.)
_ORACLE_PLACES = [
    p
    for p in PLACES
    if "alias" not in p
    and not p.endswith("; f")
    and "pipefail" not in p
    and "read" not in p
    and "claude()" not in p
    and "&" not in p.replace("&&", "")
]


def _oracle_cases():
    for form, place in product(_ORACLE_FORMS, _ORACLE_PLACES):
        script = place.format(c=form)
        if "\n" in script:
            continue
        yield f"{place}|{form}", "FROM aishell:foundation\nRUN " + script + "\n", script


ORACLE = list(_oracle_cases())


@pytest.mark.skipif(SH is None, reason="needs dash")
def test_dash_agrees_where_the_fast_ways_are_taken(tmp_path):
    assert len(ORACLE) > 400
    for key, text, script in ORACLE:
        found = severities(text)
        # (`c` and `a#b` found and passing, as the walk takes a command it does not know to pass.)
        fails, ran = outcome(script, tmp_path, others=("c", "a#b"), cwd=tmp_path)
        agrees(found, fails, ran, key)
