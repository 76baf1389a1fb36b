"""A run of plain commands joined by `&&` is walked in one short loop (issue 18).

aishell/shell.py's _StatusWalk._plain_eval marks the commands of a plain line that are alone in
their pipeline, of a first word passed before and followed by `&&`, in one loop (PLAIN_RUNS: the
and_list benchmark's 800,000 `claude -v`), and leaves every other pipeline to its steps. The tests
compare failing_starts (with and without the names and unsure expansions asked), and the findings
and records of the RUNs, with it on and off: on `&&` lists of such commands broken by `||`, `|`,
`&`, `;`, newlines, `false`, guard words (`[`, `test`, `command -v`), one-word commands, `exit`,
`set -e`, a trap and a function, under every SHELL.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.model import parse

from tests.runs import switched, walks
from tests.switched import read_switched
from tests.test_status_walk_fast import _SHELLS

_PIECES = [
    "claude -v",
    "claude",
    "echo hi",
    "false",
    "true",
    "[ -f x ]",
    "test -f x",
    "command -v claude",
    "which claude",
    "grep -q x /f",
    "exit 1",
    "set -e",
    "set +e",
    "trap 'exit 0' EXIT",
    "f() { claude; }",
    "f",
    "cat",
    "x=1",
    "! claude",
]
_OPS = [" && ", " && ", " && ", " || ", " | ", " & ", "; ", "\n", " &&\n"]
_script = st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_OPS)), min_size=1, max_size=9).map(
    lambda parts: "".join(p + op for p, op in parts[:-1]) + parts[-1][0]
)


def _read(text: str):
    df = parse(text)
    return [walks(ins, _SHELLS, plain=True) for ins in df.instructions if ins.keyword == "RUN"]


@settings(max_examples=250, deadline=None)
@given(_script, st.sampled_from(["RUN {}\n", "RUN set -e; {}\n", "RUN <<EOF\n{}\nEOF\n", "RUN true && {} && echo\n"]))
@example("claude -v && claude -v && claude -v && claude -v", "RUN {}\n")
@example("claude -v && claude -v && false && claude -v && claude -v", "RUN {}\n")
@example("claude -v && claude -v && [ -f x ] && claude -v && claude -v", "RUN {}\n")
@example("claude -v && claude -v && claude -v || claude -v && claude -v", "RUN {}\n")
@example("claude -v && claude -v && claude -v | cat && claude -v && claude", "RUN {}\n")
@example("claude && claude && claude && claude && claude || claude", "RUN {}\n")
@example("[ -f x ] && [ -f x ] && [ -f x ] && [ -f x ] && claude; echo", "RUN set -e; {}\n")
@example("false && false && false && false && claude; echo", "RUN set -e; {}\n")
@example("which c && which c && which c && which c && claude; echo", "RUN set -e; {}\n")
@example("which c || claude && claude && which c && claude; echo", "RUN set -e; {}\n")
@example("grep -q x /f || claude && claude && grep -q x /f && claude; echo", "RUN set -e; {}\n")
def test_a_run_of_plain_commands_decides_the_same_both_ways(script, form):
    text = "FROM a\n" + form.format(script)
    with switched(["PLAIN_RUNS"], True):
        fast = _read(text)
    with switched(["PLAIN_RUNS"], False):
        general = _read(text)
    assert fast == general


@settings(max_examples=40, deadline=None)
@given(_script)
@example("claude -v && claude -v && claude -v && exit 1 && claude -v")
def test_runs_of_plain_commands_lint_the_same_both_ways(script):
    text = "FROM a\nRUN " + script.replace("\n", " \\\n") + "\nRUN <<EOF\n" + script + "\nEOF\n"
    assert read_switched(text, PLAIN_RUNS=True) == read_switched(text, PLAIN_RUNS=False)


def test_the_benchmark_list_takes_the_short_loop():
    """and_list's line: the commands after the second are not read by the steps (PLAIN_RUNS)."""
    text = "FROM a\nRUN true" + " && claude -v" * 300 + "\n"
    seen = []
    saved = shell._StatusWalk._guard
    shell._StatusWalk._guard = lambda self, op, opened: seen.append(op) or saved(self, op, opened)
    try:
        with switched(["PLAIN_RUNS"], True):
            fast = _read(text)
    finally:
        shell._StatusWalk._guard = saved
    with switched(["PLAIN_RUNS"], False):
        assert fast == _read(text)
    assert len(fast[0][0][0]) == 301  # (each decides: its failure ends the list, and the RUN)
    assert len(seen) <= 10  # (one `&&` a walk reads by the steps: the second pipeline's)
