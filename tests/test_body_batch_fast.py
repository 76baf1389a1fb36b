"""A plain script's `$( )` bodies read in a row after its split, not queued one by one (issue 18, r128).

aishell/shell.py's _Reader._read_one hands the bodies of a plain script read at depth 0 (nothing
queued before them, no function held) to _batch_read, up to the first body with a `$` in it
(BODY_BATCH): each is read as the work list would read it next (_body_read, else _read_one), a
body whose text _BODY_LINES holds with _body_read's steps inline, one _script_start for a row of
them. The tests compare everything a rule sees of the script (commands, spans and their kinds,
items, values) and every finding, with it on and off, on generated scripts: bodies of plain
commands (the same text many times, a text _BODY_LINES holds as None, an eval, a keyword, an
assignment, a `cd`, a `.` of a file, an `exit`), near misses (a `$` in a body: the rest queued; a
body of a list, which _read_one reads and whose own bodies it queues; a script that is not plain;
a body in `sh -c`, read nested), after an earlier one in the RUN set variables or functions.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.model import parse

from tests.runs import switched
from tests.switched import read_switched

_BODIES = [
    "date +%s",
    "claude -v",
    "claude  -v",
    "/usr/bin/claude -v",
    "echo a b c d e f g h i j",
    "true",
    "false",
    "eval claude",
    "if",
    "x=1",
    "cd /tmp",
    ". ./s.sh",
    "exit 1",
    "echo $x",
    "claude $v",
    "date; claude -v",
    "true && claude -v",
    "cat",
    "head -1",
    "bash -c claude",
    "command -v claude",
    "$x -v",
]
_JOINS = ["; ", " && ", " || ", " | ", "; \\\n", "; ", " \\\n  && "]
_item = st.tuples(
    st.sampled_from(["v=", "w=", "x=", "echo ", "", "f=1 g=", "x=claude; v=", "x=date; w="]),
    st.sampled_from(_BODIES),
    st.sampled_from(_JOINS),
)


def _script(items) -> str:
    return "".join(f"{lead}$({body}){join}" for lead, body, join in items).rstrip("\\\n &|;") or "true"


_HEADS = ["RUN set -e; ", "RUN ", "RUN f() { claude; }; ", "RUN x=claude; ", "RUN cd /x && ", "RUN 'q' && "]
_TAILS = ["\n", "; claude -v\n", " && $x -v\n"]


def _text(heads, scripts, tails) -> str:
    return (
        "FROM aishell:foundation\n"
        + "".join(h + s + t for h, s, t in zip(heads, scripts, tails))
        + "RUN sh -c 'v=$(date +%s); w=$(claude -v)'\n"
    )


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from(_HEADS), min_size=1, max_size=3),
    st.lists(st.lists(_item, min_size=1, max_size=8), min_size=1, max_size=3),
    st.lists(st.sampled_from(_TAILS), min_size=1, max_size=3),
)
@example(["RUN set -e; "], [[("v=", "date +%s", "; "), ("w=", "claude -v", "; ")] * 4], ["\n"])
@example(["RUN "], [[("v=", "date +%s", "; "), ("w=", "echo $x", "; "), ("w=", "claude -v", "; ")]], ["\n"])
@example(["RUN "], [[("v=", "date; claude -v", "; "), ("w=", "claude -v", " && "), ("", "claude -v", "; ")]], ["\n"])
@example(["RUN "], [[("v=", "x=1", "; "), ("w=", "cd /tmp", "; "), ("", "claude -v", "; ")] * 2], ["\n"])
@example(["RUN x=true; "], [[("v=", "$x -v", "; "), ("x=claude; v=", "date +%s", "; ")]], ["\n"])
@example(["RUN f() { claude; }; "], [[("v=", "claude -v", "; ")] * 3], ["\n"])
@example(["RUN "], [[("v=", "eval claude", "; "), ("v=", "if", "; "), ("w=", "claude -v", "; ")]], ["\n"])
def test_bodies_are_read_the_same_both_ways(heads, scripts, tails):
    text = _text(heads, [_script(s) for s in scripts], tails)
    assert read_switched(text, BODY_BATCH=True) == read_switched(text, BODY_BATCH=False)
    # (and each command's spans of the same kind, each command's item and place)
    seen = []
    for on in (True, False):
        with switched(["BODY_BATCH"], on):
            runs = [i for i in parse(text).instructions if i.keyword == "RUN"]
            scripts_read = [shell.analyse_run(i) for i in runs]
            seen.append(
                [
                    (
                        [(type(c.spans).__name__, c.argv, c.start, c.end, c.item, c.nested) for c in s.commands],
                        s.items,
                        s.truncated,
                    )
                    for s in scripts_read
                ]
            )
    assert seen[0] == seen[1]


def test_the_benchmark_bodies_take_the_short_way():
    """substitution_assignments' bodies: read in a row, none queued; the first of each text by
    _body_read (which keeps its entry), the rest from the entry."""
    pairs = "".join(f"; v{i}=$(date +%s); w{i}=$(claude -v)" + (" \\\n" if i % 40 == 39 else "") for i in range(200))
    text = "FROM aishell:foundation\nRUN set -e" + pairs + "\n"
    calls = {"_queue": 0, "_body_read": 0}
    saved = {name: getattr(shell._Reader, name) for name in calls}

    def counting(name):
        def counted(self, *args, **kwargs):
            calls[name] += 1
            return saved[name](self, *args, **kwargs)

        return counted

    for name in calls:
        setattr(shell._Reader, name, counting(name))
    try:
        fast = read_switched(text, BODY_BATCH=True)
        taken = dict(calls)
        calls.update(_queue=0, _body_read=0)
        general = read_switched(text, BODY_BATCH=False)
        untaken = dict(calls)
    finally:
        for name, f in saved.items():
            setattr(shell._Reader, name, f)
    assert fast == general
    assert len(fast[1]) == 200  # (each `claude -v` an AIS002 finding)
    assert taken["_queue"] == 0 and taken["_body_read"] <= 4
    assert untaken["_queue"] >= 400 and untaken["_body_read"] >= 400
