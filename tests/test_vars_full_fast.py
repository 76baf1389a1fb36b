"""An assignment the reader cannot hold is not read at all (issue 18).

aishell/shell.py's _Reader keeps at most 256 variables: _assign skips the word of a variable it
does not hold once it holds that many. _read_plain and the status walk's _assignments do not
call it (nor make its Tokens) for an assignment of one such word (VARS_FULL: the
substitution_assignments benchmark's 600,000 `vN=$(date +%s)`). The tests compare the records and
findings with it on and off: on scripts that assign about 256 variables, then assign new and held
names (of values, of `$( )`, of harness names, copies), use them as commands, `eval` and
substitute them, on a line (`;`, `&&`, `||`), in a heredoc and in `sh -c`.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.switched import read_switched

_TAIL = [
    "c=claude",
    "v3=claude",
    "new=claude",
    "x=$(claude -v)",
    "v7=$(claude -v)",
    "y=$(date +%s)",
    "$c -v",
    "$v3 -v",
    "$new -v",
    "$x",
    "d=$c",
    "$d -v",
    'e="$c -v"',
    'eval "$e"',
    "a=1 b=claude",
    "$b",
    "set -e",
    "claude -v",
]


def _script(fill: int, first: str, tail: list[str], sep: str) -> str:
    head = [f"v{i}=$(date +%s)" if i % 2 else f"v{i}=1" for i in range(fill)]
    return sep.join([first, *head, *tail])


@settings(max_examples=20, deadline=None)
@given(
    st.integers(250, 262),
    st.sampled_from(["c=claude", "true", "set -e"]),
    st.lists(st.sampled_from(_TAIL), min_size=1, max_size=8),
    st.sampled_from(["; ", " && ", " || ", "\n"]),
    st.sampled_from(["RUN {}\n", "RUN <<EOF\n{}\nEOF\n", "RUN sh -c '{}'\n"]),
)
@example(256, "c=claude", ["new=claude", "$new -v", "v3=claude", "$v3 -v"], "; ", "RUN {}\n")
@example(257, "set -e", ["x=$(claude -v)", "v7=$(claude -v)", "$x"], "; ", "RUN {}\n")
def test_assignments_past_the_cap_read_the_same_both_ways(fill, first, tail, sep, form):
    script = _script(fill, first, tail, sep)
    if "\n" in sep and "<<" not in form:
        script = script.replace("\n", " \\\n")
    text = "FROM a\n" + form.format(script.replace("'", "") if "'{}'" in form else script)
    assert read_switched(text, VARS_FULL=True) == read_switched(text, VARS_FULL=False)
