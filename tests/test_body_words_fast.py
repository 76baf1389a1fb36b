"""A `$( )` body of words with expansions in them recorded from what its text decides (issue 18,
r126).

aishell/shell.py's _Reader._body_read records a body of one command of words alone with
expansions in them (ONE_WORDS_READ's, `echo $x`) from an entry kept per body text (BODY_WORDS:
_BODY_LINES' entry made from its words: their texts, one blank apart, the name; the
reassigned_substitutions benchmark's 300,000 `$(echo $x)`), not from a Token per word and
_record_plain's steps; a body whose words are not one blank apart, more than ROW_WORDS, with a
quote, a brace, a keyword or an expansion first is left to those steps. The tests compare
everything a rule sees of the script (commands, spans, items, values), what the status walk
decides, and every finding, with it on and off, on generated bodies (blanks, tabs, paths, many
words, the same body at many places, one reached twice from a `bash -c` string) in many places
(the line, `sh -c`, `bash -c`, a heredoc, backquotes, a continued line).
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.model import parse

from tests.bodies import bodies
from tests.runs import read_switched, walks
from tests.test_shell_fast import _dump

_WORDS = ["$x", "${x}", "${x:-claude}", "$1", "claude", "-v", "echo", "/usr/bin/echo", "a$x", "{", "if", "$@", "cat"]
_body = bodies(_WORDS)
_PLACES = [
    "RUN set -e; x=$(date +%s); y=$({b}); w=$({b})\n",
    "RUN x=claude && echo $({b}) `{b}`\n",
    "RUN sh -c 'x=$({b}); y=$({b})'\n",
    'RUN bash -c "x=$({b})"; x=$({b})\n',
    "RUN <<EOF\nx=claude\necho $({b})\nEOF\n",
    "RUN x=1 && y=$({b}) \\\n  && z=$({b})\n",
]
_SHELLS = [shell.DEFAULT_SHELL, (True, True)]


def _record(ins) -> tuple:
    script = shell.analyse_run(ins)
    kinds = [type(c.spans).__name__ for c in script.commands]
    return _dump(script), kinds, walks(ins, _SHELLS)


def _text(bodies, places) -> str:
    return "FROM aishell:foundation\n" + "".join(p.format(b=b) for b in bodies for p in places)


@settings(max_examples=50, deadline=None)
@given(st.lists(_body, min_size=1, max_size=4), st.lists(st.sampled_from(_PLACES), min_size=1, max_size=3))
@example(["echo $x"], _PLACES)
@example([" echo $x ", "echo $x", "\techo  $x", "echo $x "], _PLACES)
@example(["echo  $x", "echo\t$x", " echo $x ", "echo $x $x $x $x $x $x $x $x"], _PLACES)
@example(["/usr/bin/echo $x", "claude ${x:-a}", "echo a$x"], _PLACES)
@example(["echo $x {", "$x claude", "if $x"], _PLACES)
def test_bodies_are_recorded_the_same_both_ways(bodies, places):
    text = _text(bodies, places)
    assert read_switched(text, ["BODY_WORDS"], True, _record) == read_switched(text, ["BODY_WORDS"], False, _record)


def test_the_benchmark_bodies_take_the_short_way(monkeypatch):
    """reassigned_substitutions' `$(echo $x)` bodies: recorded from the kept entry, not
    _record_plain (but the first)."""
    triples = "".join("; x=$(date +%s); y=$(echo $x); w=$(claude -v)" for _ in range(100))
    text = f"FROM aishell:foundation\nRUN set -e{triples}\n"
    calls = [0]
    real = shell._Reader._record_plain

    def counted(self, *args, **kwargs):
        calls[0] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(shell._Reader, "_record_plain", counted)
    fast = read_switched(text, ["BODY_WORDS"], True, _record)
    taken, calls[0] = calls[0], 0
    general = read_switched(text, ["BODY_WORDS"], False, _record)
    assert fast == general
    assert taken <= 2 and calls[0] >= 200
    ins = next(i for i in parse(text).instructions if i.keyword == "RUN")
    assert len(shell.analyse_run(ins).commands) == 301  # (and `set -e`)
