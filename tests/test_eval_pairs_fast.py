"""The splitter's reading of `NAME="…"; eval "$NAME"` pairs in one regex step each (issue 18,
r130: aishell/shell.py EVAL_PAIRS).

A RUN of `c=claude; eN="$c -v"; eval "$eN"` (benchmarks/scale.py eval_assigned) was tokenized a
word at a time, each word read by _Splitter._feed and each assignment handed to _command (which,
past the 256 variables the reader keeps, does nothing with it). With EVAL_PAIRS, token_chunks
gives up to EVAL_PAIRS_MAX such pairs after a `;` as one "evals" token (on a line with `eval`
in it, for the splitter alone), and _Splitter._evals notes their items and hands each eval to
_command itself, where nothing held makes _feed do more; else it reads the pair's tokens.

Generated: pairs and near misses the token must refuse or the short way must read the general
way (another name, a value of `$( )` or single quotes, `;;`, a pipe, a redirection, a third
word, `&&`, a comment, a continuation, a name the reader holds, fewer than 256 names held, a
function or alias held, a file made) × the separators between them × where the script runs (the
line, in a group, a condition, a loop, a `case`, fed to sh, bash -c): the tokens (the "evals"
tokens' words) are token_chunks' own with the switch off, and everything a rule sees of the
script, what the status walk decides, names and finds unsure, and every finding of every rule
agree with the switch on and off; and the shape takes the short way.
"""

from __future__ import annotations

import random

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell

from tests.runs import read_switched, switched
from tests.test_eval_one_fast import _record

_SWITCHES = ("EVAL_PAIRS",)
_FULL = "".join(f"v{i}=x; " for i in range(256))  # (the reader keeps no more names)
STARTS = [
    "c=claude",
    "set -e; c=claude",
    _FULL + "c=claude",
    _FULL + "set -e; c=claude",
    _FULL + "set -eo pipefail; c=claude; e3=held",
    _FULL + "f() { claude -v; }; c=claude",
    _FULL + "alias e=claude; c=claude",
    _FULL + "echo claude -v > s.sh; c=claude",
    _FULL + "c=claude; [ -f x ] && e4=claude",
    _FULL + "c=claude; false || true",
]
# Pairs (`{i}`: the pair's number) and near misses.
PAIRS = [
    'e{i}="$c -v"; eval "$e{i}"',
    'e{i}="$c -v";eval  "$e{i}"',
    'e{i}="$c -v" ;  eval "$e{i}" ',
    'e{i}="claude -v"; eval "$e{i}"',
    'e{i}="exit 1"; eval "$e{i}"',
    'e{i}="set +e"; eval "$e{i}"',
    'e{i}="a\\"b \\$c"; eval "$e{i}"',
    'e{i}=""; eval "$e{i}"',
    'e{i}="$c -v"; eval "$e{j}"',
    'e{i}="$(echo claude)"; eval "$e{i}"',
    "e{i}='claude -v'; eval \"$e{i}\"",
    'e{i}="$c -v"; eval $e{i}',
    'e{i}="$c -v"; eval "$e{i}" | cat',
    'e{i}="$c -v"; eval "$e{i}" > out',
    'e{i}="$c -v"; eval "$e{i}" x',
    'e{i}="$c -v"; eval "$e{i}" # c',
    'e{i}="$c -v"; eval "$e{i}"x',
    'e{i}="$c -v" x; eval "$e{i}"',
    'e{i}+="$c -v"; eval "$e{i}"',
    'e{i}="$c -v" && eval "$e{i}"',
    'e{i}="$c -v";; eval "$e{i}"',
    'e{i}="$c -v"; eval "$e{i}" &',
    'e{i}="$c -v"; \\\neval "$e{i}"',
    'E_{i}="$c -v"; eval "$E_{i}"',
    'e3="$c -v"; eval "$e3"',
    'e4="$c -v"; eval "$e4"',
    'f{i}() {{ eval "$e{i}"; }}; f{i}',
]
SEPS = ["; ", ";", " ; ", " \\\n; ", "; \\\n", " \\\n  \\\n; ", " && ", " || ", " & ", " | ", ";; "]
PLACES = [
    "{c}",
    "{{ {c}; }}",
    "if true; then {c}; fi",
    "for x in a b; do {c}; done",
    "case x in x) {c};; esac",
    "( {c} ); echo done",
    "{c} && echo done",
]
CONTEXTS = {
    "line": "RUN {s}\n",
    "fed": "RUN sh <<'EOF'\n{s}\nEOF\n",
    "bash -c": "RUN bash -c '{s}'\n",
}


def _pairs(rnd: random.Random, n: int, near: bool = True) -> str:
    forms = PAIRS if near else PAIRS[:1]
    out = []
    for i in range(n):
        sep = rnd.choice(SEPS) if near and rnd.random() < 0.4 else "; "
        out.append(sep + rnd.choice(forms).format(i=i, j=i + 1))
    return "".join(out)


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


def _words(s: str) -> list:
    """token_chunks' tokens of ``s`` for the splitter, each "evals" token as its words."""
    out = []
    for chunk in shell.token_chunks(s, [], True, True):
        for t in chunk:
            out += shell._evals_tokens(t) if t.kind == "evals" else [t]
    return out


_script = st.tuples(
    st.sampled_from(["c=claude", "eval x", ""]),
    st.lists(st.tuples(st.sampled_from([*SEPS, "\n"]), st.sampled_from(PAIRS), st.integers(0, 3)), max_size=8),
    st.sampled_from(["", ";", " ", "\n", " \\\n", "| cat", "&& x", "# c", "x"]),
).map(lambda p: p[0] + "".join(sep + form.format(i=i, j=i + 1) for sep, form, i in p[1]) + p[2])


@settings(max_examples=150, deadline=None)
@given(_script)
@example('c=claude; e0="$c -v"; eval "$e0"')
@example('x; e1="a"; eval "$e1" \\\n; e2=""; eval "$e2";')
def test_tokens_are_token_chunks_own(s):
    with switched(_SWITCHES, True):
        fast = _words(s)
    with switched(_SWITCHES, False):
        general = _words(s)
    assert [tuple(t) for t in fast] == [tuple(t) for t in general]


def test_pairs_after_each_start_as_before():
    rnd = random.Random(130)
    scripts = [start + _pairs(rnd, 12) for start in STARTS]
    scripts += [start + _pairs(rnd, 4, near=False) for start in STARTS[2::3]]
    _agree(_text(scripts, "line"))


def test_pairs_in_places_and_contexts_as_before():
    rnd = random.Random(131)
    for context in CONTEXTS:
        scripts = [
            rnd.choice(STARTS) + "; " + rnd.choice(PLACES).format(c="true" + _pairs(rnd, 4, rnd.random() < 0.5))
            for _ in range(4)
        ]
        _agree(_text(scripts, context))


def test_the_shape_takes_the_short_way(monkeypatch):
    """The benchmark's shape past the 256 names: its assignments are never handed to _command
    (with the switch off, each is)."""
    pairs = "".join(f'; e{i}="$c -v"; eval "$e{i}"' + (" \\\n" if i % 40 == 39 else "") for i in range(300))
    took = [0]
    real = shell._Reader._assign

    def counted(self, *args, **kwargs):
        took[0] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(shell._Reader, "_assign", counted)
    text = f"FROM aishell:foundation\nRUN c=claude{pairs}\n"
    got = {}
    for on in (True, False):
        took[0] = 0
        got[on] = read_switched(text, _SWITCHES, on, _record)
        if on:
            on_count = took[0]
        else:
            assert took[0] >= on_count + 40, (on_count, took)
    assert got[True] == got[False]
