"""A wrapper's option word or value holding an expansion, quoted or not, reads as the tool takes
it, for every value the expansion may give: a warning at least where it may run the command
(issue 18: `nice -"+${X:-5}" claude -v` gave no finding, though nice ran claude: `-+5` is nice's
adjustment; `--"$N"` too).

The class: `WRAPPER OPT… claude -v` where an option word or value is made of a prefix (a sign, a
dash, digits, a blank), an expansion (`$X`, `${X:-5}`, `${X:-+5}`, `$(echo 5)`, backquotes) and
a suffix, with the quotes around all of it, the expansion alone, or none. dash runs each line
with the tool and a stub `claude` (the oracle: tests/test_ais002_wrapper_options.py's
`_verdict`): where the stub ran, a finding; an error only where the RUN then failed.
"""

from __future__ import annotations

import itertools
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_ais002_wrapper_options import PATH, _verdict
from tests.test_ais002_wrapper_values import LINES

EXPANSIONS = ["$X", "${X:-5}", "${X:-+5}", "$(echo 5)", "${X}5", "`echo 5`"]
PREFIXES = ["", "+", "-", "5", " "]
SUFFIXES = ["", "5", "s"]
QUOTINGS = [
    lambda a, e, b: f'"{a}{e}{b}"',
    lambda a, e, b: f'{a}"{e}"{b}',
    lambda a, e, b: f"{a}{e}{b}",
    lambda a, e, b: f"'{a}'\"{e}\"{b}",
]


def _word(prefix: str, expansion: str, suffix: str, quoting: int) -> str | None:
    if " " in prefix and quoting == 2:
        return None  # (an unquoted blank splits the word: another line)
    return QUOTINGS[quoting](prefix, expansion, suffix)


def test_nice_adjustments_an_expansion_spells(tmp_path):
    """Every nice word `-PREFIX EXPANSION SUFFIX`, each quoting: `-+$N`, `--"$N"` included."""
    if shutil.which("nice", path=PATH) is None:
        pytest.skip("nice is not installed here")
    for prefix, expansion, quoting in itertools.product(["", "+", "-"], ["$X", "${X:-5}", "$(echo 5)"], range(4)):
        word = _word(prefix, expansion, "", quoting)
        _verdict("nice", f"-{word}", tmp_path)
        _verdict("nice", f"-n 5 -{word}", tmp_path)


@pytest.mark.parametrize("name", sorted(LINES))
def test_a_generated_expansion_in_a_wrapper_value(name, tmp_path_factory):
    if shutil.which(name, path=PATH) is None:
        pytest.skip(f"{name} is not installed here")
    tmp = tmp_path_factory.mktemp(name)
    (tmp / "lk").touch()

    @settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.sampled_from(LINES[name]),
        st.sampled_from(PREFIXES),
        st.sampled_from(EXPANSIONS),
        st.sampled_from(SUFFIXES),
        st.integers(0, 3),
    )
    def check(template, prefix, expansion, suffix, quoting):
        word = _word(prefix, expansion, suffix, quoting)
        if word is not None:
            _verdict(name, template.replace("{v}", word), tmp)

    check()
