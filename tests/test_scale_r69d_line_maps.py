"""Growth guard for r69d's one-line shape (benchmarks/scale.py, literals_one_line):
python_refs._plain_literals read each literal's line again (sliced, and encoded and decoded when
not ASCII), so a line of many literals was read once per literal (64,000 pairs, 1.4 MB: 50 s).
LINE_MAPS maps each line once, as _segment did already."""

from __future__ import annotations


import pytest

from aishell.migrate import python_refs
from aishell.migrate.python_refs import rewrite_python_bounded
from tests.growth import guard

from tests.bench_scale import scale


def test_literals_on_one_line_stay_linear():
    """88 KB and 16 times that (1.4 MB: 50 s when each literal's line was read again)."""

    def migrate(n: int) -> None:
        rewrite_python_bounded(scale.literals_one_line(n)[1]["line.py"], "l.py")

    guard(migrate, 88_000)


SOURCES = [
    "x = [" + ", ".join(["b'aishell:base', '\u00e9'"] * 50) + "]\n",
    "x = [" + ", ".join(["'aishell:base', '\u00e9\U0001f600'"] * 50) + "]\n",
    "x = [" + ", ".join(["f'{a}' 'aishell:base', '\u00e9'"] * 50) + "]\n",
    "é = 1; IMAGE = 'aishell:base'; J = ('aishell:'\n  'base', '日本')\n",
    "x = f('\u00e9', 'aishell:base' + t,\n      b'aishell:base', '''é\n''', 'aishell:base')\n",
    "IMAGE = 'aishell:base'\nT = 'aishell:base' + 'é'\n",
]


@pytest.mark.parametrize("source", SOURCES, ids=range(len(SOURCES)))
def test_the_same_rewrite_with_and_without_line_maps(source, monkeypatch):
    on = rewrite_python_bounded(source, "l.py")
    monkeypatch.setattr(python_refs, "LINE_MAPS", False)
    assert rewrite_python_bounded(source, "l.py") == on
