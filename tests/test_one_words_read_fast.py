"""The reader's nested script of one command of words with expansions (issue 18, r99: ONE_WORDS_READ).

A nested script of one simple command of words alone, expansions in them (eval's string `$e1`,
`$c -v` in `sh -c`, a `$( )` body `$c -v`, a value read as a command), was read with
token_chunks and a _Splitter of its own: 33,000 of them in the 1 MB RUN of `c=claude;
eN="$c -v"; eval "$eN"` (benchmarks/scale.py eval_assigned), a tenth of its lint. _Reader.
_read_one now gives _command its words as tokenize would (split at blanks; no quote, `$( )`,
backquote, operator, redirection or comment: _ONE_WORDS, the status walk's ONE_TREE test),
with no splitter; the first word no keyword and no word `{`.

Generated: such scripts (a name or argument that is `$c`, `${c}`, `${c:-a b}`, `$1`, `$@`, `$#`,
an assignment first, a keyword or `{`/`}` among the words, a word `#x` after the first, an alias,
a function) × how they are nested (eval's string quoted or not, `sh -c`, `bash -c`, `$( )`, a
value read as a command, a function body, `su -c`) × where the command stands: with the switch on
and off everything a rule sees of each script, the values, each SHELL's walk and every finding of
every rule agree; and the shape's eval strings are read without a splitter (fails without the
change).
"""

from __future__ import annotations

from itertools import product

import pytest

from aishell import shell
from aishell.model import parse

from tests.runs import read_switched
from tests.test_eval_walk_fast import _record

STRINGS = [
    "$c -v",
    "${c} -v",
    "${c:-claude} -v",
    "${x:-a b} claude",
    "$c",
    "x=$c",
    "x=$c $c -v",
    "$c -v $x",
    "claude -v $x",
    "$1 -v",
    "$@",
    "$c $#",
    "$c {",
    "$c }",
    "$c -v #x",
    "if $c",
    "$c fi",
    "{ $c",
    "$f claude",
    "$a $c -v",
    "$c  -v\t$x",
    "exit $x",
    "set -$x",
    "$e",
    "read $x",
]
NESTINGS = [
    'c=claude; e="{s}"; eval "$e"',
    'c=claude; eval "{s}"',
    "c=claude; e='{s}'; eval $e",
    "c=claude; f() {{ {s}; }}; f claude",
    'export c=claude; sh -c "{s}"',
    'export c=claude; bash -c "{s}" claude',
    "c=claude; v=$({s})",
    'c=claude; alias a=claude; e="{s}"; eval "$e"',
    "c=claude; e=a; a() {{ claude -v; }}; eval '{s}'",
    'c=claude; set -- claude; e="{s}"; eval "$e"',
    'c=claude; su -c "{s}" root',
]
PLACES = ["{c}", "set -e; {c}; echo done", "{c} && echo done", "false || {c}", "( {c} ); echo done"]


def _scripts() -> list[str]:
    return [p.format(c=n.format(s=s)) for p, n, s in product(PLACES, NESTINGS, STRINGS)]


@pytest.mark.parametrize("part", range(5))
def test_read_as_before(part):
    scripts = _scripts()[part::5]
    assert len(scripts) > 250
    text = "FROM aishell:foundation\n" + "".join(f"RUN {s}\n" for s in scripts)
    fast, general = (read_switched(text, ["ONE_WORDS_READ"], on, _record) for on in (True, False))
    assert len(fast[0]) == len(scripts)
    for k, (a, b) in enumerate(zip(fast[0], general[0])):
        assert a == b, scripts[k]
    assert fast[1] == general[1]


def test_the_shape_reads_eval_strings_without_a_splitter(monkeypatch):
    pairs = "".join(f'; e{i}="$c -v"; eval "$e{i}"' + (" \\\n" if i % 40 == 39 else "") for i in range(200))
    text = f"FROM aishell:foundation\nRUN c=claude{pairs}\n"
    made = []
    real = shell._Splitter.__init__

    def counted(self, *args, **kwargs):
        made.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(shell._Splitter, "__init__", counted)
    counts = {}
    for on in (True, False):
        monkeypatch.setattr(shell, "ONE_WORDS_READ", on, raising=False)
        shell._SEEN.clear()
        made.clear()
        script = shell.analyse_run(next(i for i in parse(text).instructions if i.keyword == "RUN"))
        counts[on] = (len(made), [(c.name, c.spans[0]) for c in script.commands])
    assert counts[True][1] == counts[False][1] and len(counts[True][1]) >= 400
    assert counts[True][0] == 1 and counts[False][0] == 201  # (the line's own, and one per eval string)
