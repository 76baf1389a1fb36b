"""No pass backtracks without bound on a line that repeats a piece (issue 18, session 62).

A fuzzer found a 4 KB Dockerfile that took minutes: `wget "$ru${X:-stupUrl"; …` — an
unterminated `${X:-` before many `"$NAME"` words. The harness pre-check's pattern for
`${X:-word}` (aishell.harness._DEFAULT_WORD) could split each `$name` in the word every way
there is, and tried them all before finding no `}`: exponential in the `$name`s. Its neighbour
for `$(echo words)` (_ECHOED) was cubic in blanks with no `)`: 163 s for 8,000 spaces. A second
fuzzer run (pieces repeated hundreds of times) then found `sh -c ${X:-sh -c ${X:-…` with no `}`:
quadratic (6 s for 40 KB), re's search trying the pattern again at every `${` and reading on to
the same end each time (now harness._defaults).

The class is a pattern with overlapping ways to read a repeated piece, met by a line that never
completes it. Generated here: a line made of a prefix, a unit repeated n and GROWTH * n times,
and a suffix, each drawn from the pieces of shell syntax the rules' patterns read (expansions
with defaults, substitutions of echo, quotes, blanks, names, options, brackets), put on a RUN
line and in a heredoc body the shell expands; the pre-check alone over every (prefix, unit,
suffix) of a smaller set, and the whole lint over drawn ones. Each must grow at most MARGIN
times linearly (tests/growth.guard), and an alarm turns a run that would never end into a failure.
The rewritten patterns read the same as the old ones on generated text (their spec, kept here).
"""

from __future__ import annotations

import re
import signal
from contextlib import contextmanager
from itertools import product

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell import harness
from aishell.lint import Options, lint_text
from tests.growth import guard

PIECES = (
    "${x:-",
    "${x-",
    "${x:=",
    "${x+",
    "${ab",
    "$ab",
    "$a",
    '"$ab";',
    '"',
    "'",
    "}",
    "${",
    "$(echo",
    "$(printf",
    "`echo",
    "$(",
    ")",
    "`",
    " ",
    "\t",
    "-n ",
    "-",
    "a",
    "ab",
    "x=cl",
    "=",
    ":",
    ";",
    "&&",
    "\\",
    "c''l",
    "$'",
)
PREFIXES = ("", "${x:-", '"${x:-a', "$(echo", "`echo", "$(echo -n", "x=cl; ", "$'")
UNITS = (
    "$ab",
    '"$ab";',
    "${ab",
    "${ab}",
    "${x:-",
    "sh -c ${x:-",
    " ",
    "\t",
    "-n ",
    "a ",
    "$a",
    "ab",
    "x=cl ",
    "\\'",
    "''",
)
SUFFIXES = ("", "}", ")", "`", '"', "\n")


@contextmanager
def _within(seconds: int, what: str):
    """Fails (instead of hanging) a run that takes longer than ``seconds``: re checks signals
    while it matches, so the alarm stops a pattern that backtracks without end."""

    def stop(*_):
        raise AssertionError(f"{what}: still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _precheck(prefix: str, unit: str, suffix: str):
    def run(n: int) -> None:
        text = prefix + unit * n + suffix
        harness.mentions_in(text)
        harness._echoes_name(text)

    run.__name__ = f"pre-check {prefix!r} + {unit!r} * n + {suffix!r}"
    return run


def test_the_pre_check_grows_linearly_on_every_pumped_line():
    for prefix, unit, suffix in product(PREFIXES, UNITS, SUFFIXES):
        fn = _precheck(prefix, unit, suffix)
        with _within(20, fn.__name__):
            guard(fn, 2000 // len(unit) + 1)  # (16 n: 32 KB lines)


def _lint(prefix: str, unit: str, suffix: str, heredoc: bool):
    def run(n: int) -> None:
        line = prefix + unit * n + suffix
        if heredoc:
            text = f"FROM debian\nRUN cat <<E\n{line}\nE\n"
        else:
            text = "FROM debian\nRUN " + line.replace("\n", " ") + "\n"
        try:
            lint_text(text, "Dockerfile", Options(use_config=False))
        except Exception as e:  # a line BuildKit refuses is one clear error, never a hang
            if type(e).__name__ != "InputError":
                raise

    run.__name__ = f"lint {prefix!r} + {unit!r} * n + {suffix!r} ({'heredoc' if heredoc else 'line'})"
    return run


_piece = st.sampled_from(PIECES)


@settings(max_examples=30, deadline=None)
@given(
    prefix=st.lists(_piece, max_size=3).map("".join),
    unit=st.lists(_piece, min_size=1, max_size=3).map("".join),
    suffix=st.lists(_piece, max_size=2).map("".join),
    heredoc=st.booleans(),
)
@example(prefix='"${x:-a', unit='"$ab";', suffix="", heredoc=False)  # (the fuzzer's file)
@example(prefix="$(echo", unit=" ", suffix="x", heredoc=True)
@example(prefix="set", unit="sh -c ${X:-", suffix=" -ex", heredoc=False)  # (a second fuzzer's line)
def test_lint_grows_linearly_on_a_pumped_line(prefix, unit, suffix, heredoc):
    fn = _lint(prefix, unit, suffix, heredoc)
    with _within(60, fn.__name__):
        guard(fn, 2000 // len(unit) + 1)  # (16 n: 32 KB lines)


# The patterns as they were: what the rewritten ones must still find.
_OLD_DEFAULT_WORD = re.compile(r"\$\{[a-z_0-9]+:?[-=+]((?:[^{}$`]|\$\{?[a-z_][a-z0-9_]*\}?)*)\}")
_OLD_ECHOED = (
    r"\$\([ \t]*(?:echo|printf)[ \t]+(?:-[a-z]+[ \t]+)*([^()$`\\'\";&|<>\n]*?)[ \t]*\)"
    r"|`[ \t]*(?:echo|printf)[ \t]+(?:-[a-z]+[ \t]+)*([^()$`\\'\";&|<>\n]*?)[ \t]*`"
)


def _words(m: re.Match) -> str:
    return m.group(1) or m.group(2) or ""


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES + ("claude", "x_1", "\n", "{", "(", "printf", "${1:-", "sh -c ")), max_size=14).map(
        "".join
    )
)
def test_the_rewritten_patterns_read_as_before(text):
    matches = list(harness._defaults(text))
    assert [m.span() for m in matches] == [m.span() for m in _OLD_DEFAULT_WORD.finditer(text)]
    for word in (r"\1", ""):
        assert harness._default_sub(text, matches, word) == _OLD_DEFAULT_WORD.sub(word, text)
    assert re.sub(harness._ECHOED, _words, text) == re.sub(_OLD_ECHOED, _words, text)
    assert (re.search(harness._ECHOED, text) is None) == (re.search(_OLD_ECHOED, text) is None)
