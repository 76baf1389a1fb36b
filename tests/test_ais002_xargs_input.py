"""The command lines xargs builds from input the RUN wrote (aishell.shell._xargs_lines).

`echo claude | xargs -I % % --version` and `printf '%s\\n' claude | xargs -n1 sh -c '"$0" -v'`
had no AIS002 finding: xargs's command was read as written (`%`, `sh -c '"$0" -v'`), without
the input it takes its words from. The class: xargs given text by `echo`/`printf`/`cat <<EOF`,
with `-I R`/`-i`/`--replace` (R replaced in its words, one line a time) or without (the input's
words after its command, `-n N` a time). The oracle is dash running the line with the real
xargs, the harnesses as stubs that record that they ran and fail as "not found" does: a harness
that runs must be reported, an error must mean the RUN fails.
"""

import shlex
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dash import SH, agrees, outcome
from tests.severities import severities

XARGS = shutil.which("xargs")
HARNESSES = ("claude", "codex")
ITEMS = ["claude", "codex", "true", "-v", "echo"]
FEEDERS = ["echo {w}", "printf '%s\\n' {w}", "printf '%s\\n' {w} | cat"]
COMMANDS = [
    "xargs -I % % --version",
    "xargs -I{} sh -c '{} --version'",
    "xargs -i sh -c '{} -v'",
    "xargs --replace=@ @ -v",
    "xargs -n1 sh -c '\"$0\" -v'",
    "xargs -n 1",
    "xargs",
    "xargs echo",
    "xargs -r sh -c '\"$0\" -v'",
    "xargs -I % echo %",
    "xargs -n2",
]


@st.composite
def lines(draw):
    words = draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=3))
    feeder = draw(st.sampled_from(FEEDERS)).format(w=" ".join(shlex.quote(w) for w in words))
    line = feeder + " | " + draw(st.sampled_from(COMMANDS))
    return draw(st.sampled_from(["", "set -e; "])) + line + draw(st.sampled_from(["", "; echo ok", " && echo ok"]))


def _outcome(line: str, tmp_path) -> tuple[bool, bool]:
    return outcome(line, tmp_path, HARNESSES)


@pytest.mark.skipif(SH is None or XARGS is None, reason="no sh or xargs")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=lines())
def test_xargs_runs_what_its_input_names(tmp_path, line):
    text = "FROM aishell:foundation\nRUN " + line + "\n"
    found = severities(text)
    fails, ran = _outcome(line, tmp_path)
    agrees(found, fails, ran, text)


@pytest.mark.parametrize(
    "line,want",
    [
        ("echo claude | xargs -I % % --version", ["warning"]),  # (-I: no input, nothing runs)
        ("echo claude | xargs -I{} sh -c '{} --version'", ["warning"]),
        ("printf '%s\\n' claude | xargs -n1 sh -c '\"$0\" -v'", ["error"]),
        ("echo claude | xargs -I % echo %", []),
        ("echo claude | xargs", []),
        ("echo 'claude' | xargs -I % % -v", ["warning"]),  # (the shell takes the quotes out)
    ],
)
def test_forms(line, want):
    assert severities(f"FROM aishell:foundation\nRUN {line}\n") == want
