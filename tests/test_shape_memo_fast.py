"""The reader takes a plain definition body's command texts from a memo (issue 18).

aishell/shell.py's _Reader._record_shape, which records a plain definition body's command
(DEF_RECORD), takes the command's argv, joined text and name from a memo by the body's shape
(_BODIES' words object) where one is held (SHAPE_MEMO), not made again for each definition of
the same body. The tests read and lint the same Dockerfiles with it on and off (each RUN's
commands: argv, spans, start, end, nesting, item; the items; the findings): runs of definitions
of a few bodies, each repeated, of commands of one to ten words (past ROW_WORDS), one blank, two
or a tab apart, first words that are plain, paths, harnesses, in the contexts of
tests/test_def_record_fast.py, with the memos emptied as often as after every body (their ids
then another object's).
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell

from tests.switched import read_switched
from tests.test_def_record_fast import _BEFORE, _FORMS, _WARM, _command

_bodies = st.lists(st.lists(_command, min_size=1, max_size=3), min_size=1, max_size=3)
_script = st.tuples(
    st.sampled_from(_WARM),
    st.sampled_from(_BEFORE),
    _bodies,
    st.lists(st.tuples(st.sampled_from(["f", "g", "claude", "k1"]), st.integers(0, 2)), min_size=1, max_size=8),
    st.sampled_from(["; ", "; ", " && "]),
    st.sampled_from(_BEFORE),
).map(
    lambda s: (
        s[0]
        + s[1]
        + "".join(f"{n}() {{ {' '.join(s[2][k % len(s[2])])} }}{s[4]}" for n, k in s[3])
        + s[5]
        + "claude -v; f; g"
        + (")" if s[1] == "echo $(" else "'" if s[1] == "sh -c '" else "")
    )
)


@settings(max_examples=250, deadline=None)
@given(_script, st.sampled_from(_FORMS), st.sampled_from([1, 2, 4096]))
@example("f() { echo hi; }; g() { echo hi; }; claude() { echo hi; }; claude -v", "RUN {}\n", 4096)
@example("f() { a b c d e f g h i; a  b; a\tb; }; g() { a b c d e f g h i; a  b; a\tb; }; f", "RUN {}\n", 4096)
@example("f() { ./claude x; /usr/bin/claude; }; g() { ./claude x; /usr/bin/claude; }; f", "RUN {}\n", 1)
@example("f() { echo hi; }; g() { echo  hi; }; k() { echo hi; }; h() { echo\thi; }; f", "RUN {}\n", 1)
def test_a_repeated_body_is_recorded_the_same(script, form, size):
    text = "FROM a\n" + form.format(script.replace("'", "") if "sh -c" in script and "<<" in form else script)
    saved = shell._BODIES_MAX
    try:
        shell._BODIES_MAX = size  # (1: the memos emptied at every new body)
        assert read_switched(text, SHAPE_MEMO=True) == read_switched(text, SHAPE_MEMO=False)
    finally:
        shell._BODIES_MAX = saved


def test_the_benchmark_line_takes_the_memo():
    """many_functions's line: one entry for its one body, read the same as with the switch off."""
    text = "FROM a\nRUN" + "".join(f" f{i}() {{ echo hi; }};" for i in range(100)) + " claude -v\n"
    assert read_switched(text, SHAPE_MEMO=True) == read_switched(text, SHAPE_MEMO=False)
    shell._SHAPES.clear()
    shell._BODIES.clear()
    shell.analyse_run(shell_instruction(text))
    assert len(shell._SHAPES) == 1
    shell._SHAPES.clear()


def shell_instruction(text):
    from aishell.model import parse

    shell._SEEN = {}
    return parse(text).instructions[-1]
