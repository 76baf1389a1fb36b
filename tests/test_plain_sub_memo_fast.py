"""The checks of an assignment word `NAME=$(…)` kept by its text (issue 18, r126).

A RUN of `x=$(date +%s); y=$(echo $x); w=$(claude -v)` repeated (benchmarks/scale.py
reassigned_substitutions) asked the same questions of the same three word texts at each of its
rows. Two short ways (aishell/shell.py):

- PLAIN_SUB_MEMO: _assigns_plain_sub's answer kept by the text after the `=` of a plain name.
- LAST_SUB_MEMO: _StatusWalk._last_substitution's checks of a command of one word of a plain
  `NAME=` (no `${`; SUBST_PLAIN's body, SUBST_WORDS' body and their places in the value) kept by
  the value's text, the places moved to the value's start, where the word's span holds its text.

Generated: assignment words (those the short ways take, and near misses: quotes, `${`, `+=`, a
word after the `)`, two substitutions, two words, a keyword, a feeder, backquotes) each used at
several places of a script and after names of several lengths (the memo's entry read again at
another span and another start of the value), under `set -e` or in
an `&&` list, in scripts run on the line, continued over lines, in `bash -c`, a fed heredoc,
`RUN <<EOF`: with both switches on and off, everything a rule sees of the script, what the
status walk decides and names under three SHELLs, and every finding of every rule must agree.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell

from tests.runs import read_switched, walks
from tests.test_shell_fast import _dump

_NAMES = ["x", "y", "w", "_v1", "long_name_2"]
_BODIES = [
    "date +%s",
    "claude -v",
    "echo $x",
    "echo $x $w",
    "/usr/bin/echo $x",
    " claude -v",
    "claude\t-v",
    "$c -v",
    "${c} -v",
    "echo ${x:-claude}",
    'echo "$x"',
    "cat $f",
    "which $c",
    "claude -v; echo $x",
    "echo $(claude -v)",
    "if $x",
    "! claude $x",
    "exit 1",
    "false",
    "echo claude",
]
# (NAME, body) -> the word; near misses of the plain `NAME=$(…)`.
_WORDS = [
    "{n}=$({b})",
    "{n}=$({b})",
    "{n}=$({b})x",
    '{n}="$({b})"',
    "{n}+=$({b})",
    '"{n}"=$({b})',
    "{n}=${{v:-$({b})}}",
    "{n}=$({b})$(claude -v)",
    "{n}=`{b}`",
    "a=1 {n}=$({b})",
    "{n}=$({b}) w=$(claude -v)",
]
_PLACES = [
    "set -e; {w}; {w}; echo done",
    "{w} && {w} && $y -v",
    "set -e; x=$(date +%s); {w}; c=claude; {w}",
    "set -e\\\n  ; {w} \\\n  ; {w}",
]
_CONTEXTS = [
    "RUN {s}\n",
    "RUN bash -c '{s}'\n",
    "RUN sh <<'EOF'\n{s}\nEOF\n",
    "RUN <<EOF\n{s}\nEOF\n",
]
_SHELLS = [shell.DEFAULT_SHELL, (True, True), (True, False, True)]
_SWITCHES = ("PLAIN_SUB_MEMO", "LAST_SUB_MEMO")


def _record(ins) -> tuple:
    script = shell.analyse_run(ins)
    return _dump(script), shell.variable_values(ins), walks(ins, _SHELLS)


def _compare(text: str) -> None:
    fast = read_switched(text, _SWITCHES, True, _record)
    general = read_switched(text, _SWITCHES, False, _record)
    assert fast == general


_word = st.builds(
    lambda form, name, body: form.format(n=name, b=body),
    st.sampled_from(_WORDS),
    st.sampled_from(_NAMES),
    st.sampled_from(_BODIES),
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(_word, min_size=1, max_size=3),
    st.lists(st.sampled_from(_PLACES), min_size=1, max_size=2),
    st.lists(st.sampled_from(_CONTEXTS), min_size=1, max_size=2),
)
@example(["x=$(date +%s)", "y=$(echo $x)", "w=$(claude -v)"], _PLACES, _CONTEXTS)
@example(["y=$(echo $x $w)", "y=$( claude -v)", "y=$(claude\t-v)"], _PLACES[:1], _CONTEXTS)
def test_words_are_walked_the_same_both_ways(words, places, contexts):
    scripts = [p.format(w=w) for w in words for p in places]
    runs = [c.format(s=s) for s in scripts for c in contexts if "'" not in s or "'" not in c]
    _compare("FROM aishell:foundation\n" + "".join(runs))


@pytest.mark.parametrize("form", _WORDS)
def test_each_form_is_walked_the_same_both_ways(form):
    words = [form.format(n=n, b=b) for n in ("x", "y") for b in _BODIES]
    scripts = ["set -e; " + "; ".join(words) + "; $y -v", " && ".join(words)]
    _compare("FROM aishell:foundation\n" + "".join(f"RUN {s}\n" for s in scripts))


def test_the_shape_takes_the_short_ways(monkeypatch):
    """The benchmark's shapes: each value's checks made once, not at each row (the same names
    again, or a new name at each row)."""
    triples = "".join(f"; x=$(date +%s); y{i % 7}=$(echo $x); w{i}=$(claude -v)" for i in range(50))
    text = f"FROM aishell:foundation\nRUN set -e{triples}\n"
    calls = [0, 0]
    real_entry = shell._last_sub_entry

    class Counted:
        def __init__(self, real):
            self.real = real

        def fullmatch(self, word):
            calls[1] += 1
            return self.real.fullmatch(word)

    def entry(value):
        calls[0] += 1
        return real_entry(value)

    monkeypatch.setattr(shell, "_last_sub_entry", entry)
    monkeypatch.setattr(shell, "_ASSIGN_FIRST", Counted(shell._ASSIGN_FIRST))
    monkeypatch.setattr(shell, "_VALUE_FIRST", Counted(shell._VALUE_FIRST))
    fast = read_switched(text, _SWITCHES, True, _record)
    assert calls[0] <= 3 and calls[1] <= 3
    general = read_switched(text, _SWITCHES, False, _record)
    assert calls[0] <= 3 and calls[1] >= 150
    assert fast == general
