"""A plain script's `$( )` bodies with a `$` in them batched too, with their values (issue 18, r131).

aishell/shell.py's _Reader._read_one hands the bodies of a plain script read at depth 0 (nothing
queued before them, no function held) to _batch_read past a body with a `$` in it (BATCH_VALUES),
with the snapshot _queue would take of the values it reads at its place (QUEUED_VALUES): each is
read in its turn as read() reads it from the work list, its variables holding those values, or,
where _body_read records it from a text _BODY_LINES or _BODY_WORDS holds (no note, stdin, file,
alias or scoped variable), without them. The tests compare everything a rule sees of the script
(commands, spans and their kinds, items, values) and every finding, with it on and off, on
generated scripts: variables reassigned between the bodies that read them (`x=claude; v=$($x
-v); x=date`), bodies that read a value (`$x -v`), that record their words (`echo $x`), that
assign (`x=claude`: scoped) or hold a list, an eval or a keyword, after heads that hold an alias,
a file or a function, and bodies that run out of the budget.
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
    "echo $x",
    "echo  $x $y",
    "echo $x",
    "claude $x",
    "$x -v",
    "$y",
    "echo ${x:-claude}",
    "eval $x",
    "x=claude",
    "y=$x",
    "x=$x; $x -v",
    "echo $x; claude -v",
    "sh -c $x",
    "if $x",
    "cat $x",
    "echo $1",
]
_JOINS = ["; ", " && ", " || ", " | ", "; \\\n", "; ", " \\\n  && "]
_item = st.tuples(
    st.sampled_from(["v=", "w=", "x=", "y=", "echo ", "", "x=claude; v=", "x=date; w=", "y=claude; v=", "unset x; v="]),
    st.sampled_from(_BODIES),
    st.sampled_from(_JOINS),
)


def _script(items) -> str:
    return "".join(f"{lead}$({body}){join}" for lead, body, join in items).rstrip("\\\n &|;") or "true"


_HEADS = [
    "RUN set -e; ",
    "RUN ",
    "RUN x=claude; ",
    "RUN x=claude; y=date; ",
    "RUN alias e=claude; x=e; ",
    "RUN echo claude > s.sh; x=./s.sh; ",
    "RUN f() { claude; }; x=f; ",
    "RUN cd /x && x=claude && ",
]
_TAILS = ["\n", "; $x -v\n", " && $y -v\n"]


def _text(heads, scripts, tails) -> str:
    return "FROM aishell:foundation\n" + "".join(h + s + t for h, s, t in zip(heads, scripts, tails))


def _seen(text: str) -> list:
    runs = [i for i in parse(text).instructions if i.keyword == "RUN"]
    return [
        (
            [(type(c.spans).__name__, c.argv, c.start, c.end, c.item, c.nested, c.name) for c in s.commands],
            s.items,
            s.truncated,
        )
        for s in (shell.analyse_run(i) for i in runs)
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_HEADS), min_size=1, max_size=3),
    st.lists(st.lists(_item, min_size=1, max_size=8), min_size=1, max_size=3),
    st.lists(st.sampled_from(_TAILS), min_size=1, max_size=3),
)
@example(["RUN x=claude; "], [[("v=", "date +%s", "; "), ("w=", "$x -v", "; "), ("x=", "date +%s", "; ")]], ["\n"])
@example(
    ["RUN set -e; "],
    [[("x=claude; v=", "date +%s", "; "), ("w=", "$x -v", "; "), ("x=date; w=", "claude -v", "; ")] * 2],
    ["\n"],
)
@example(["RUN "], [[("v=", "date +%s", "; "), ("w=", "echo $x", "; "), ("w=", "claude -v", "; ")] * 3], ["\n"])
@example(
    ["RUN x=claude; "],
    [[("v=", "x=date", "; "), ("w=", "echo $x", "; "), ("w=", "$x -v", "; "), ("x=date; w=", "echo $x", "; ")]],
    ["; $x -v\n"],
)
@example(
    ["RUN alias e=claude; x=e; "], [[("v=", "echo $x", "; "), ("v=", "$x", "; "), ("x=", "claude -v", "; ")]], ["\n"]
)
@example(["RUN x=claude; y=date; "], [[("v=", "y=$x", "; "), ("w=", "$y", "; "), ("y=claude; v=", "$y", "; ")]], ["\n"])
@example(
    ["RUN x=claude; "],
    [
        [
            ("v=", "echo $x", "; "),
            ("v=", "x=date", "; "),
            ("w=", "echo $x", "; "),
            ("x=", "date +%s", "; "),
            ("w=", "$x -v", "; "),
        ]
    ],
    ["\n"],
)
def test_bodies_are_read_the_same_both_ways(heads, scripts, tails):
    text = _text(heads, [_script(s) for s in scripts], tails)
    assert read_switched(text, BATCH_VALUES=True) == read_switched(text, BATCH_VALUES=False)
    seen = []
    for on in (True, False):
        with switched(["BATCH_VALUES"], on):
            seen.append(_seen(text))
    assert seen[0] == seen[1]


def test_a_body_past_the_budget_is_cut_the_same_both_ways():
    """Bodies past what the budget affords (its pool made small): the script truncated, the
    same bodies read, with the switch on and off."""
    items = [("x=claude; v=", "date +%s", "; "), ("w=", "echo $x $y", "; "), ("x=date; w=", "$x -v", "; ")] * 30
    text = _text(["RUN "], [_script(items)], ["\n"])
    seen = []
    for on in (True, False):
        with switched(["BATCH_VALUES"], on):
            shell._POOL[0] = 0
            saved = shell.NESTED_BUDGET
            shell.NESTED_BUDGET = 0.3
            try:
                seen.append(_seen(text))
            finally:
                shell.NESTED_BUDGET = saved
    assert seen[0] == seen[1]
    assert seen[0][0][2]  # (truncated)


def test_the_benchmark_bodies_take_the_short_way():
    """reassigned_substitutions' bodies: read in a row, none queued."""
    rows = "".join(
        "; x=$(date +%s); y=$(echo $x); w=$(claude -v)" + (" \\\n" if i % 40 == 39 else "") for i in range(200)
    )
    text = "FROM aishell:foundation\nRUN set -e" + rows + "\n"
    calls = {"_queue": 0}
    saved = shell._Reader._queue

    def counted(self, *args, **kwargs):
        calls["_queue"] += 1
        return saved(self, *args, **kwargs)

    shell._Reader._queue = counted
    try:
        fast = read_switched(text, BATCH_VALUES=True)
        taken = calls["_queue"]
        calls["_queue"] = 0
        general = read_switched(text, BATCH_VALUES=False)
        untaken = calls["_queue"]
    finally:
        shell._Reader._queue = saved
    assert fast == general
    assert len(fast[1]) == 200  # (each `claude -v` an AIS002 finding)
    assert taken == 0 and untaken >= 590
