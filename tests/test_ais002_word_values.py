"""AIS002 recall: a word of text and expansions — `${X:-word}`-like ones too — names the harness
as the shell would read it, as a command's name and as an assignment's value.

`${v:-claude} -v` was read (the word, or v's value), but `x=${v:-claude}; $x -v` — the common
`CLI=${CLI:-claude}; "$CLI" --version` — was not: the value of x was not known, and the harness it
runs had no finding; nor `x=${c}aude` (a one-word value joined from variables), `${v%e}e -v`,
`${v:-cla}ude -v` (an expansion joined with text) (session 53). Now each such word's values are
read piece by piece (shell.WORD_VALUES, _Reader._word_values): one value where each piece surely
has one, else each of them (a warning at most); and the pre-check (harness.mentions_in) reads a
`${X:-word}`'s word joined with the text around it.

Generated: what v held before × the word (each operator, quoted or not, joined with text or
another variable, a positional parameter) × where it stands (a command's name, or assigned and
called) × what follows × where the RUN's script runs, judged by dash (tests/dash.py): an error
only where the harness ran and the RUN failed, a finding wherever it ran.
"""

import itertools

import pytest

from aishell import shell
from tests.chunks import chunked, each
from tests.dash import CONTEXTS, judged
from tests.severities import severities

BEFORE = {
    "unset": "",
    "null": "v=; ",
    "another": "v=ls; ",
    "the harness": "v=claude; ",
    "a path": "v=/opt/bin/claude; ",
}
EXPANSIONS = (
    "${v:-claude}",
    "${v-claude}",
    "${v:=claude}",
    "${v=claude}",
    "${v:+claude}",
    "${v+claude}",
    '"${v:-claude}"',
    "${v##*/}",
    "${v#/opt/bin/}",
    "${v%e}e",
    "${1:-claude}",
    '"${1-claude}"',
    # joined with text, quotes or another variable
    "${v:-cla}ude",
    '"${v:-cla}"ude',
    "${c}aude",
    '"$c"aude',
    "${c}${v:+x}aude",
    "${v:-${c}}aude",
)
# How the word is used: assigned to x, then x called; or the command's name itself ({w}).
CALLS = ("x={w}; $x -v", 'x={w}; "$x" -v', "x={w}; ${x} --version", 'x={w}; eval "$x -v"', "{w} -v")
TAILS = {"": "", "; true": "; true", "set -e": None}


def _cases():
    for (bname, before), exp, call, (tname, tail), where in itertools.product(
        BEFORE.items(), EXPANSIONS, CALLS, TAILS.items(), CONTEXTS
    ):
        script = f"c=cl; {before}" + call.replace("{w}", exp)
        script = f"set -e; {script}" if tail is None else script + tail
        key = f"{bname}|{exp}|{call}|{tname}|{where}"
        yield pytest.param(script, where, id=key)


# (Checked 100 cases an item, each in its own folder, a failure naming its case: tests/chunks.py.)
@pytest.mark.parametrize("chunk", chunked(list(_cases())))
def test_a_default_assigned_names_the_harness(chunk, tmp_path):
    each(chunk, judged, tmp_path)


def test_the_switch_is_what_finds_them(monkeypatch):
    """Off, such a value is not known: the harness it names has no finding."""
    for line in ('CLI=${CLI:-claude}; "$CLI" --version', "c=cl; x=${c}aude; $x -v", "v=claude; ${v%e}e -v"):
        text = f"FROM aishell:foundation\nRUN {line}\n"
        monkeypatch.setattr(shell, "WORD_VALUES", True)
        assert severities(text), line
        monkeypatch.setattr(shell, "WORD_VALUES", False)
        assert severities(text.replace("; ", ";  ")) == [], line  # (another text: AIS002 keeps answers by text)
