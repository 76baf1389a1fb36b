"""AIS003's gate on SHELL instructions (may_name_shell) passes every text its case-blind regex
finds the word in (issue 18, "Linear by design"): only then are the RUNs under another shell
than a POSIX one looked for. (Its pre-check on installs: tests/test_ais002_fast.py.)"""

import re
import sys

from hypothesis import given
from hypothesis import strategies as st

from aishell.lint_rules import ais003_harness_installed_in_extension as ais003


def _read_as(letter: str) -> list[str]:
    """Every character the regex reads as ``letter`` (case-blind), all code points searched."""
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    return re.compile(re.escape(letter), re.I).findall(every)


def test_every_spelling_the_regex_finds_passes_the_gate():
    word = "shell"
    for k, letter in enumerate(word):
        for c in _read_as(letter):
            text = f'FROM x\n{word[:k]}{c}{word[k + 1 :]} ["pwsh", "-c"]\n'
            assert ais003._SHELL_WORD.search(text)
            assert ais003.may_name_shell(text), (letter, hex(ord(c)))


@given(st.text(alphabet="sShHeElL\u017f\u212a\u0130 x\n", max_size=14))
def test_the_gate_passes_whatever_the_regex_finds(text):
    if ais003._SHELL_WORD.search(text):
        assert ais003.may_name_shell(text)
