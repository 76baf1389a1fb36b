"""Fast paths of the fix loop equal the general ones (issue 18, "Linear by design").

Each shortcut `aishell migrate` takes is compared with the path it replaces, on generated
inputs of its class: the answer must be the same, not only right on the examples.
"""

from __future__ import annotations

from operator import itemgetter

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.findings import SAFE, Edit, Fix
from aishell.migrate.apply import _greedy, _key, select_fixes

_edit = st.builds(
    lambda s, n, r, p: Edit(s, s + n, r, p),
    st.integers(0, 40),
    st.integers(0, 6),
    st.sampled_from(["", "x", "yz"]),
    st.sampled_from([None, None, None, "other/.dockerignore"]),
)
_fix = st.builds(lambda es: Fix(SAFE, "", tuple(es)), st.lists(_edit, min_size=0, max_size=3))


def _walk(fixes):
    keyed = []
    for f in fixes:
        if f.edits:
            keys = list(map(_key, f.edits))
            keyed.append(((min(keys), keys), f))
    keyed.sort(key=itemgetter(0))
    return _greedy(keyed)


@settings(max_examples=400, deadline=None)
@given(st.lists(_fix, max_size=12), st.integers(1, 7))
def test_selecting_disjoint_fixes_at_once_equals_the_walk(fixes, spread):
    # Spread the edits out so that both cases come up often: all disjoint, and some meeting.
    fixes = [
        Fix(f.applicability, f.message, tuple(e._replace(start=e.start * spread, end=e.end * spread) for e in f.edits))
        for f in fixes
    ]
    fixes += fixes[: len(fixes) // 4]  # a fix offered twice (two findings, one fix)
    assert select_fixes(fixes) == _walk(fixes)


def test_touching_edits_are_disjoint_and_a_shared_point_is_not():
    a = Fix(SAFE, "", (Edit(0, 5, "a"),))
    b = Fix(SAFE, "", (Edit(5, 9, "b"),))  # touches a: both apply
    c = Fix(SAFE, "", (Edit(9, 9, "c"),))  # an insertion at b's end: meets it
    d = Fix(SAFE, "", (Edit(20, 20, "d"),))
    e = Fix(SAFE, "", (Edit(20, 20, "e"),))  # the same point as d: one waits
    assert select_fixes([a, b]) == ([a, b], 0)
    assert select_fixes([a, b, c]) == ([a, b], 1)
    assert select_fixes([d, e]) == ([d], 1)
