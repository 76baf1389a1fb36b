"""The status walk decides a plain command whose first word it said yes to before as it did then
(issue 18, "Linear by design": the `&&` list of 800,000 harness calls).

aishell/shell.py's _StatusWalk._plain_eval remembers the first words _plain_simple said yes to
(for a command alone in its pipeline) until a command goes the general path (the only one that
makes the walk's reader, files, aliases or functions, which _plain_simple's checks read), and
does what _plain_simple does for them without asking again (PLAIN_REPEAT). Each test here
computes failing_starts (with ``named`` and ``unsure_names`` asked or not) with it on and off and
compares them, on plain lines and heredoc bodies generated from what changes the walk's answer:
list and pipeline operators, `&`, words repeated before and after what makes files, aliases,
functions, `set -e`, `exit`, traps, tests before `&&`, expansions, a body a shell reads on its
stdin (a command may eat the rest), under each SHELL.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import shell
from aishell.model import parse

from tests.runs import read_runs

_WORDS = [
    "claude -v",
    "claude -v",
    "claude",
    "codex x",
    "bin/claude -v",
    "./claude",
    "true",
    "false",
    "cat",
    "read x",
    "echo $(date)",
    "echo `date`",
    "exit 0",
    "set -e",
    "set +e",
    "set -o pipefail",
    "test -f x",
    "[ -f x ]",
    "command -v claude",
    "f",
    "trap x EXIT",
    "sh -c x",
    "X=1 claude",
    "alias claude=true",
    "alias c=claude",
    "c",
    "printf x > claude",
    "chmod +x claude",
    "cd /a",
    "$C -v",
    "C=claude",
    "f() { exit 1; }",
    "unset -f f",
]
_OPS = ["&&", "&&", "&&", "||", ";", "|", "&", "\\\n&&", "\n"]
_line = st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_OPS)), max_size=30).map(" ".join)
_SHELLS = (shell.DEFAULT_SHELL, (True, False), (True, True), (False, True))
_FORMS = [
    "RUN {}\n",
    "RUN true && {}\n",
    "RUN <<EOF\n{}\nEOF\n",
    "RUN bash <<EOF\n{}\nEOF\n",
    "RUN sh -e <<EOF && claude -v\n{}\nEOF\n",
    "RUN cat <<EOF | sh\n{}\nEOF\n",
    "RUN f() {{ {} ; }}; f\n",
]


def _walks(text: str):
    """failing_starts of every RUN of ``text`` (its script read first), for each SHELL, plain,
    with ``named`` and with ``unsure_names``."""
    got = read_runs(text, ("RUN",))
    if got is None:
        return None
    out = []
    for ins, _ in got[1]:
        for sh in _SHELLS:
            shell.analyse_run(ins)  # (again before each walk: the walk takes what it kept)
            plain = sorted(shell.failing_starts(ins, sh))
            named: dict = {}
            shell.analyse_run(ins)
            shell.failing_starts(ins, sh, named=named)
            unsure: list = []
            shell.analyse_run(ins)
            shell.failing_starts(ins, sh, unsure_names=unsure)
            out.append((plain, {k: sorted(v) for k, v in named.items()}, sorted(unsure)))
    return out


def _both(text: str):
    saved = shell.PLAIN_REPEAT
    try:
        shell.PLAIN_REPEAT = True
        shell._WALKED.clear()
        fast = _walks(text)
        shell.PLAIN_REPEAT = False
        shell._WALKED.clear()
        general = _walks(text)
    finally:
        shell.PLAIN_REPEAT = saved
        shell._WALKED.clear()
    return fast, general


@settings(max_examples=500, deadline=None)
@given(_line, st.sampled_from(_FORMS))
@example("claude -v && alias claude=true && claude -v", "RUN {}\n")
@example("claude -v && printf x > claude && claude -v && ./claude", "RUN {}\n")
@example("claude -v && cat && claude -v", "RUN bash <<EOF\n{}\nEOF\n")
@example("claude -v && f() { exit 1; } && claude -v && f && claude -v", "RUN {}\n")
@example("set -e ; claude -v ; claude -v ; exit 0 ; claude -v", "RUN {}\n")
def test_repeated_first_words_decide_the_same_both_ways(line, form):
    text = "FROM a\n" + form.format(line)
    fast, general = _both(text)
    assert fast == general


def test_an_and_list_asks_plain_simple_once_per_word():
    """The benchmark's `&&` list: _plain_simple is asked once for `true` and once for `claude`,
    not for each of the 300 calls; the answer is the general path's."""
    # (Words of this test's own: no other test's script of the same text is met in the caches.)
    text = "FROM node\nRUN true --once" + " && claude --plain-repeat" * 300 + "\n"
    calls = []
    saved = shell._StatusWalk._plain_simple
    shell._StatusWalk._plain_simple = lambda self, *a: calls.append(a) or saved(self, *a)
    try:
        df = parse(text)
        assert shell.analyse_run(df.instructions[1]).tokens is not None  # (the plain line's, kept)
        shell._WALKED.clear()
        shell.failing_starts(df.instructions[1])
    finally:
        shell._StatusWalk._plain_simple = saved
    assert len(calls) == 2
    fast, general = _both(text)
    assert fast == general and len(fast[0][0]) == 301
