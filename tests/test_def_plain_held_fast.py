"""The status walk defines a plain function in one step where its reader holds functions (issue 18).

aishell/shell.py's _StatusWalk._define decides a plain definition whose body's commands
_plain_simple would each say yes to in one step (DEF_PLAIN, _plain_body); where the walk's
reader holds functions (every definition surely run puts one there: the many_functions
benchmark's line of `fN() { echo hi; };` held them from the second on), it does so too when no
first word of the body is one of them nor `unset` (DEF_PLAIN_HELD), what _plain_simple refuses
then. The tests compare failing_starts (its names decided and unsure names, under every SHELL)
and the lint findings with the switch on and off, on runs of plain definitions whose bodies call
functions defined before or after them, that end the shell, unset functions, or are plain, in
contexts where the definition surely runs or may not, with files made, calls and `set -e`.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell

from tests.runs import read_switched, walks
from tests.test_status_walk_fast import _SHELLS

# Body commands: plain ones, calls of the functions defined (or not yet), what ends the shell,
# `unset`, a harness call, commands the walk reads (`set`, `trap`, `exec`).
_BODY = [
    "echo hi;",
    "true;",
    "f;",
    "g;",
    "h x;",
    "unset f;",
    "unset -f g;",
    "exit 1;",
    "claude -v;",
    "set +e;",
    "cat;",
    "ls /x;",
    "trap x EXIT;",
    "return 1;",
    "c=claude;",
    "$c -v;",
    "set -- claude;",
    '"$@" -v;',
    "alias f=claude;",
]
# What comes before a definition: nothing, a context where it may not run, a file made.
_BEFORE = ["", "", "", "true && ", "false || ", "echo x > s.sh; ", "f; ", "g && ", "set -e; ", "unset -f f; "]
_SEP = ["; ", "; ", ";", "\n", " & ", " | ", " && "]
_defs = st.lists(
    st.tuples(
        st.sampled_from(_BEFORE),
        st.sampled_from(["f", "g", "h", "k"]),
        st.lists(st.sampled_from(_BODY), min_size=1, max_size=3),
        st.sampled_from(_SEP),
    ),
    min_size=1,
    max_size=8,
).map(lambda run: "".join(f"{b}{n}() {{ {' '.join(body)} }}{sep}" for b, n, body, sep in run))
_tail = st.sampled_from(["claude -v", "f; claude -v", "g; claude -v; true", "set -e; h; claude -v; true", "k || true"])
_FORMS = ["RUN {}\n", "RUN {}\n", "RUN true \\\n && {} \\\n && echo $(date)\n", "RUN bash -e <<EOF\n{}\nEOF\n"]


def _record(ins):
    return walks(ins, _SHELLS)


def _both(text):
    fast = read_switched(text, ["DEF_PLAIN_HELD"], True, _record)
    general = read_switched(text, ["DEF_PLAIN_HELD"], False, _record)
    return fast, general


@settings(max_examples=250, deadline=None)
@given(_defs, _tail, st.sampled_from(_FORMS), st.sampled_from([1, 3, 4096]), st.sampled_from([1, 2, 256]))
@example("f() { exit 1; }; g() { f; }; ", "g; claude -v", "RUN {}\n", 4096, 256)
@example("f() { echo hi; }; g() { f; }; f() { exit 1; }; ", "g; claude -v", "RUN {}\n", 4096, 256)
@example("f() { exit 1; }; g() { unset -f f; }; ", "g; f; claude -v", "RUN {}\n", 4096, 256)
@example("f() { echo hi; }; " * 5, "claude -v", "RUN {}\n", 2, 2)
def test_a_plain_definition_decides_the_same_with_functions_held(defs, tail, form, chunk, items):
    """failing_starts and the findings with DEF_PLAIN_HELD on and off, under every SHELL, token
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
    """many_functions's line: after the first definition the walk's reader holds functions, and
    no body goes through _unreached_items; it decides as with the switch off."""
    text = "FROM a\nRUN" + "".join(f" f{i}() {{ echo hi; }};" for i in range(200)) + " claude -v\n"
    fast, general = _both(text)
    assert fast == general
    seen = []
    saved = shell._StatusWalk._unreached_items
    shell._StatusWalk._unreached_items = lambda self, items, t=None: seen.append(t) or saved(self, items, t)
    try:
        read_switched(text, ["DEF_PLAIN_HELD"], True, _record)
    finally:
        shell._StatusWalk._unreached_items = saved
    assert len(seen) == 0
