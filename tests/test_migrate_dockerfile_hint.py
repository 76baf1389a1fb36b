"""migrate's "a Dockerfile in a string" hint is read in time linear in the string (issue 18).

DOCKERFILE_HINT (a line that starts with FROM) was written `(?:^|(?<=\\r))\\s*FROM\\s` with re.M:
its `\\s*` crosses line breaks, so a search tried it at each line start of a run of blank lines
and read the rest of the run each time. A Python string of 30,000 blank lines that names the image
took 6.7 s in `aishell migrate --check`, 120,000 over a minute. The pattern now starts from the
last line break before the spaces (or from the text's start): the same answer on generated text,
and the class at 240 KB within ten times its linear time.
"""

import random

import pytest

from aishell.migrate import python_refs
from tests.conftest import run_cli
from tests.growth import cpu_time

_PIECES = [" ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\xa0", "FROM", "from", "FrOm", "x", "#"]


@pytest.mark.parametrize("seed", range(20))
def test_the_hint_answers_as_the_backtracking_pattern(seed):
    rng = random.Random(seed)
    for _ in range(500):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randrange(12)))
        want = python_refs._DOCKERFILE_HINT_BACKTRACKING.search(text) is not None
        assert (python_refs.DOCKERFILE_HINT.search(text) is not None) == want, repr(text)


# The hint over 120,000 blank lines (240 KB): a millisecond here; the search of the first pattern
# took over a minute. The whole CLI run of such a file: 0.5 s here (2 cores, Python 3.11, most
# of it the start), rounded up; the guard is ten times that.
LINEAR_SECONDS = 1.0


def test_blank_lines_stay_linear(tmp_path):
    text = " \n" * 120_000 + "aishell:base"
    start = cpu_time()
    assert python_refs.DOCKERFILE_HINT.search(text) is None
    assert cpu_time() - start < 0.5
    path = tmp_path / "a.py"
    path.write_text('X = """' + text + '"""\n')
    start = cpu_time()
    r = run_cli("migrate", "--check", path, cwd=tmp_path)
    elapsed = cpu_time() - start
    assert r.returncode in (0, 1), r.stderr
    assert elapsed < 10 * LINEAR_SECONDS, f"{elapsed:.1f} s for 120,000 blank lines"
