"""A `$( )` body queued as its text alone walked again in a few steps (issue 18, r131).

aishell/shell.py's _StatusWalk.run walks a body queued as its text (no _Line: `$(echo $x)`) that
it walked before in the same row of bodies (TEXT_REPEAT, BODY_REPEAT's for such a text: each body
walked by _body_walked, nothing else walked since the first; the reassigned_substitutions
benchmark's 300,000 `$(echo $x)`) by doing again what _plain_simple did for it, without its
checks. The tests compare failing_starts (with and without the names and unsure expansions
asked), and the findings and records of the RUNs, with it on and off: on lines of such bodies
among ones that break the row (a feeder, a function, `exit`, a nested, quoted or piped
substitution, a shell, a path, a keyword, `eval`, an alias, a trap), under every SHELL.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.model import parse

from tests.runs import switched, walks
from tests.switched import read_switched
from tests.test_status_walk_fast import _SHELLS

_PIECES = [
    "x=$(date +%s)",
    "y=$(echo $x)",
    "y=$(echo  $x )",
    "y=$( echo $x)",
    "y=$(printf $x)",
    "y=$(cat $x)",
    "y=$(claude $x)",
    "y=$(/usr/bin/claude $x)",
    "y=$(claude ${x:-a})",
    "y=$(f $x)",
    "y=$(read $x)",
    "y=$(exit $x)",
    "y=$(eval $x)",
    "y=$(sh $x)",
    "y=$(if $x)",
    "y=$($x -v)",
    "y=$(echo $x | cat)",
    "y=$(echo $(claude $x))",
    'y="$(echo $x)"',
    "y=$(echo $x) z=$(claude $x)",
    "w=$(claude -v)",
    "x=claude",
    "claude -v",
    "false",
    "exit 1",
    "set -e",
    "set +e",
    "trap 'exit 0' EXIT",
    "f() { claude; }",
    "f() { exit 1; }",
    "g() { y=$(echo $x); y=$(claude $x); }",
    "g",
    "y=$(g $x)",
    "claude() { :; }",
    "echo() { :; }",
    "alias claude=true",
    "read y",
    "x=$(cat)",
    "$x -v",
]
_OPS = ["; ", "; ", "; ", " && ", " || ", " | ", " & ", "\n", " &&\n"]
_script = st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_OPS)), min_size=1, max_size=9).map(
    lambda parts: "".join(p + op for p, op in parts[:-1]) + parts[-1][0]
)
_FORMS = [
    "RUN {}\n",
    "RUN set -e; {}\n",
    "RUN <<EOF\n{}\nEOF\n",
    "RUN bash <<EOF\n{}\nEOF\n",
    "RUN true && {}; echo\n",
    "RUN sh -c '{}'\n",
]


def _read(text: str):
    df = parse(text)
    return [walks(ins, _SHELLS, plain=True) for ins in df.instructions if ins.keyword == "RUN"]


@settings(max_examples=120, deadline=None)
@given(_script, st.sampled_from(_FORMS))
@example("x=$(date +%s); y=$(echo $x); w=$(claude -v); y=$(echo $x)", "RUN set -e; {}\n")
@example("y=$(claude $x); y=$(claude $x)", "RUN set -e; {}\n")
@example("y=$(/usr/bin/claude $x); y=$(/usr/bin/claude $x)", "RUN set -e; {}\n")
@example("y=$(echo $x); claude() { :; }; y=$(claude $x)", "RUN set -e; {}\n")
@example("y=$(claude $x); exit 1; y=$(claude $x)", "RUN set -e; {}\n")
@example("y=$(echo $x); read y; y=$(echo $x)", "RUN <<EOF\n{}\nEOF\n")
@example("y=$(echo $x) | cat; y=$(echo $x)", "RUN set -e; {}\n")
@example("y=$(echo  $x ); y=$(echo  $x )", "RUN set -e; {}\n")
@example("y=$( echo $x); y=$( echo $x)", "RUN set -e; {}\n")
@example("f() { exit 1; }; y=$(f $x); y=$(f $x); claude -v", "RUN set -e; {}\n")
@example("y=$(claude $x); y=$(claude $x)\nread z\nclaude -v", "RUN bash <<EOF\n{}\nEOF\n")
@example("g() { y=$(echo $x); y=$(claude $x); }; g; g", "RUN set -e; {}\n")
def test_rows_of_text_bodies_decide_the_same_both_ways(script, form):
    text = "FROM a\n" + form.format(script.replace("'", "") if "sh -c" in form else script)
    with switched(["TEXT_REPEAT"], True):
        fast = _read(text)
    with switched(["TEXT_REPEAT"], False):
        general = _read(text)
    assert fast == general


@settings(max_examples=40, deadline=None)
@given(_script)
@example("x=$(date +%s); y=$(echo $x); w=$(claude -v); y=$(claude $x); y=$(claude $x)")
def test_rows_of_text_bodies_lint_the_same_both_ways(script):
    text = "FROM a\nRUN " + script.replace("\n", " \\\n") + "\nRUN <<EOF\n" + script + "\nEOF\n"
    assert read_switched(text, TEXT_REPEAT=True) == read_switched(text, TEXT_REPEAT=False)


def test_the_benchmark_bodies_take_the_short_way():
    """reassigned_substitutions' line: after the first of each text, no body goes through
    _body_walked (TEXT_REPEAT for `$(echo $x)`, BODY_REPEAT for the others), and the walk decides
    the same (each substitution's command)."""
    rows = "".join(
        "; x=$(date +%s); y=$(echo $x); w=$(claude -v)" + (" \\\n" if i % 40 == 39 else "") for i in range(200)
    )
    text = "FROM aishell:foundation\nRUN set -e" + rows + "\n"
    calls = [0]
    saved = shell._StatusWalk._body_walked

    def counted(self, *args, **kwargs):
        calls[0] += 1
        return saved(self, *args, **kwargs)

    shell._StatusWalk._body_walked = counted
    try:
        with switched(["TEXT_REPEAT"], True):
            fast = _read(text)
            taken = calls[0]
        calls[0] = 0
        with switched(["TEXT_REPEAT"], False):
            general = _read(text)
            untaken = calls[0]
    finally:
        shell._StatusWalk._body_walked = saved
    assert fast == general
    assert len(fast[0][0][0]) == 600  # (each substitution's command decides: errexit)
    assert taken <= len(_SHELLS) * 2 * 3 < untaken  # (the first of each text, per walk)
