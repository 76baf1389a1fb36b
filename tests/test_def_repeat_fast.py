"""The status walk takes a plain definition's answer again for the same body just before (issue 18).

aishell/shell.py's _StatusWalk._list_eval, for a batch's plain definition whose body is the
same one (the same shape) as the definition just before it, which _define decided in its
DEF_PLAIN step, takes that step's answer again (DEF_REPEAT): the names the body calls, or that
it may end the shell, where nothing that answer read can have changed. The tests compare
failing_starts (its names decided and unsure names, under every SHELL) and the lint findings
with the switch on and off, on runs of definitions of one body repeated, under names that are
its words, functions it calls, functions that end the shell or are defined again, with
definitions before them that end the shell or call, in contexts where they surely run or may not.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell

from tests.runs import read_switched, walks
from tests.test_def_plain_held_fast import _BODY
from tests.test_status_walk_fast import _SHELLS

_NAMES = ["f", "g", "h", "k", "echo", "true", "cat", "unset", "x1"]
_BEFORE = ["", "", "", "true && ", "echo x > s.sh; ", "f; ", "set -e; ", "unset -f f; ", "g() { f; }; "]
_SEP = ["; ", "; ", ";", "\n", " & ", " && "]
_runs = st.lists(
    st.tuples(
        st.sampled_from(_BEFORE),
        st.lists(st.sampled_from(_NAMES), min_size=1, max_size=6),
        st.lists(st.sampled_from(_BODY), min_size=1, max_size=2),
        st.sampled_from(_SEP),
    ),
    min_size=1,
    max_size=5,
).map(
    lambda runs: "".join(
        b + "".join(f"{n}() {{ {' '.join(body)} }}{sep}" for n in names) for b, names, body, sep in runs
    )
)
_tail = st.sampled_from(["claude -v", "f; claude -v", "g; claude -v; true", "set -e; h; claude -v; true", "k || true"])
_FORMS = ["RUN {}\n", "RUN {}\n", "RUN true \\\n && {} \\\n && echo $(date)\n", "RUN bash -e <<EOF\n{}\nEOF\n"]


def _record(ins):
    return walks(ins, _SHELLS)


def _both(text):
    fast = read_switched(text, ["DEF_REPEAT"], True, _record)
    general = read_switched(text, ["DEF_REPEAT"], False, _record)
    return fast, general


@settings(max_examples=300, deadline=None)
@given(_runs, _tail, st.sampled_from(_FORMS), st.sampled_from([1, 3, 4096]), st.sampled_from([1, 2, 256]))
@example(
    "f() { exit 1; }; g() { f; }; h() { f; }; f() { echo hi; }; k() { f; }; ", "k; claude -v", "RUN {}\n", 4096, 256
)
@example("x1() { exit 1; }; g() { h; }; k() { h; }; h() { x1; }; f() { h; }; ", "f; claude -v", "RUN {}\n", 4096, 256)
@example("h() { exit 1; }; g() { h; }; h() { g; }; k() { g; }; ", "k; claude -v", "RUN {}\n", 4096, 256)
@example(
    "f() { echo hi; }; g() { echo hi; }; echo() { exit 1; }; k() { echo hi; }; ", "k; claude -v", "RUN {}\n", 4096, 256
)
@example("f() { unset f; }; g() { unset f; }; k() { unset f; }; ", "claude -v", "RUN {}\n", 4096, 256)
@example("f() { g; }; h() { g; }; k() { g; }; g() { exit 1; }; ", "k; claude -v", "RUN {}\n", 2, 2)
def test_a_repeated_body_decides_the_same(defs, tail, form, chunk, items):
    """failing_starts and the findings with DEF_REPEAT on and off, under every SHELL, token
    chunks and the walk's batches cut anywhere."""
    script = defs + tail
    if "<<EOF" not in form:
        script = script.replace("\n", "; ")  # (a newline ends the RUN line)
    text = "FROM a\n" + form.format(script)
    saved = shell.TOKEN_CHUNK, shell.STREAM_ITEMS
    try:
        shell.TOKEN_CHUNK, shell.STREAM_ITEMS = chunk, items
        fast, general = _both(text)
    finally:
        shell.TOKEN_CHUNK, shell.STREAM_ITEMS = saved
    assert fast == general


def test_the_benchmark_line_takes_the_short_way():
    """many_functions's line: after the first definitions, _define is not asked again; it
    decides as with the switch off."""
    text = "FROM a\nRUN" + "".join(f" f{i}() {{ echo hi; }};" for i in range(200)) + " claude -v\n"
    fast, general = _both(text)
    assert fast == general
    seen = []
    saved = shell._StatusWalk._define
    shell._StatusWalk._define = lambda self, name, *a, **k: seen.append(name) or saved(self, name, *a, **k)
    try:
        read_switched(text, ["DEF_REPEAT"], True, _record)
    finally:
        shell._StatusWalk._define = saved
    assert len(seen) < 20 * len(_SHELLS)
