"""The closer of a backquote is found by a search (issue 18).

aishell/shell.py's _find_close finds the backquote that closes one by a search for the next
backquote or backslash (BACKQUOTE_SEARCH), not a step per character. The tests compare it with the
switch off: on generated texts of backquotes, backslashes (one at the end too) and other
characters, from every place in them, and on the findings and records of RUNs holding them.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell

from tests.switched import read_switched


def _both(s: str, i: int) -> tuple[int, int]:
    saved = shell.BACKQUOTE_SEARCH
    try:
        shell.BACKQUOTE_SEARCH = True
        fast = shell._find_close(s, i, "`")
        shell.BACKQUOTE_SEARCH = False
        general = shell._find_close(s, i, "`")
    finally:
        shell.BACKQUOTE_SEARCH = saved
    return fast, general


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="`\\a $()\n'\"", max_size=12), st.integers(0, 14))
@example("\\", 0)
@example("a\\", 0)
@example("\\`a`", 0)
@example("a`", 0)
@example("``", 3)
@example("\\\\`", 0)
def test_a_backquote_closes_where_the_loop_closes_it(s, i):
    fast, general = _both(s, i)
    assert fast == general


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["echo `date`", "x=`claude -v`", "echo \\`", "a=`echo \\` b`", "claude -v", "`", "echo `a\\"]),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(["RUN {}\n", "RUN <<EOF\n{}\nEOF\n", "RUN set -e; {}\n"]),
)
@example(["echo `date`", "claude -v"], "RUN <<EOF\n{}\nEOF\n")
def test_runs_with_backquotes_read_the_same_both_ways(pieces, form):
    text = "FROM a\n" + form.format(" && ".join(pieces) if "<<" not in form else "\n".join(pieces))
    assert read_switched(text, BACKQUOTE_SEARCH=True) == read_switched(text, BACKQUOTE_SEARCH=False)
