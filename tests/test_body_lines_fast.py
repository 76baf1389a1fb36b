"""A `$( )` body of one plain command recorded from what its text decides (issue 18, r122).

aishell/shell.py's _Reader._body_read records a body of one command of plain words (ONE_READ's
_Line) from an entry kept per body text (BODY_LINES: the words' texts, one blank apart, the name;
the substitution_assignments benchmark's 300,000 bodies), not from a Token per word and
_record_plain's steps; a body whose words are not one blank apart, more than ROW_WORDS, or
that is no plain command is left to those steps. The tests compare everything a rule sees of the
script (commands, spans, items, values) and every finding, with it on and off, on generated
bodies (blanks, tabs, paths, many words, a command reached twice from a `bash -c` string, the
same body at many places) in many places (the line, `sh -c`, `bash -c`, a heredoc, backquotes).
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell

from aishell.model import parse

from tests.bodies import bodies
from tests.runs import switched
from tests.switched import read_switched

_WORDS = ["claude", "-v", "date", "+%s", "/usr/bin/claude", "echo", "x", "true", "false", "cat", "exit", "ls", "-la"]
_body = bodies(_WORDS)
_PLACES = [
    "RUN set -e; x=$({b}); y=$({b})\n",
    "RUN x=$({b}) && echo $({b}) `{b}`\n",
    "RUN sh -c 'x=$({b}); y=$({b})'\n",
    'RUN bash -c "x=$({b})"; x=$({b})\n',
    "RUN <<EOF\nx=$({b})\necho $({b})\nEOF\n",
    "RUN x=1 && y=$({b}) \\\n  && z=$({b})\n",
]


def _text(bodies, places) -> str:
    return "FROM aishell:foundation\n" + "".join(p.format(b=b) for b in bodies for p in places)


@settings(max_examples=60, deadline=None)
@given(st.lists(_body, min_size=1, max_size=4), st.lists(st.sampled_from(_PLACES), min_size=1, max_size=3))
@example(["claude -v"], _PLACES)
@example(["claude  -v", "claude\t-v", " claude -v "], _PLACES)
@example(["/usr/bin/claude -v"], _PLACES)
@example(["echo a b c d e f g h i j"], _PLACES)
@example(["echo a b c d e f g"], _PLACES)
def test_bodies_are_recorded_the_same_both_ways(bodies, places):
    text = _text(bodies, places)
    assert read_switched(text, BODY_LINES=True) == read_switched(text, BODY_LINES=False)
    # (and each command's spans of the same kind: _RowSpans where _record_plain makes them)
    kinds = []
    for on in (True, False):
        with switched(["BODY_LINES"], on):
            runs = [i for i in parse(text).instructions if i.keyword == "RUN"]
            kinds.append([[type(c.spans).__name__ for c in shell.analyse_run(i).commands] for i in runs])
    assert kinds[0] == kinds[1]


def test_the_benchmark_bodies_take_the_short_way():
    """substitution_assignments' bodies: recorded from the kept entries, not _record_plain."""
    pairs = "".join(f"; v{i}=$(date +%s); w{i}=$(claude -v)" + (" \\\n" if i % 40 == 39 else "") for i in range(200))
    text = "FROM aishell:foundation\nRUN set -e" + pairs + "\n"
    calls = [0]
    saved = shell._Reader._record_plain

    def counted(self, *args, **kwargs):
        calls[0] += 1
        return saved(self, *args, **kwargs)

    shell._Reader._record_plain = counted
    try:
        fast = read_switched(text, BODY_LINES=True)
        taken = calls[0]
        calls[0] = 0
        general = read_switched(text, BODY_LINES=False)
        untaken = calls[0]
    finally:
        shell._Reader._record_plain = saved
    assert fast == general
    assert len(fast[1]) == 200  # (each `claude -v` an AIS002 finding)
    assert taken == 0 and untaken >= 400
