"""AIS002: a function whose `{ }` body is followed by redirections (`f() { …; } 2>&1`) runs that
body at each call, as any other (issue 18, recall where the build surely fails).

The status walk's general path took the definition's last token for the body's `}`: behind a
redirection it found none, kept no body, and a call that decides walked nothing
(`f() { echo "$x"; claude -v; } 2>&1; f` was a warning; the plain-body fast path had it right,
and tests/test_status_walk_fast.py's random draw found the two paths apart). _StatusWalk.
_definition now finds the `}` before the redirections.

Generated: bodies that leave the general path to read them (an expansion, a quote) × the
redirections a definition may carry (each one that succeeds: a failing one is a failure of its
own, not the harness's) × where the call stands × where the script runs, judged by dash
(tests/dash.py): an error only where the harness ran and the RUN failed, a finding wherever it
ran; recall for the sure cases.
"""

import itertools

import pytest

from tests.chunks import chunked, each
from tests.dash import CONTEXTS as DASH_CONTEXTS
from tests.dash import SH, judge, placed

BODIES = {
    "expansion, then claude": 'echo "$x"; claude -v',
    "claude": "claude -v",
    "quoted word, then claude": "echo 'a b'; claude -v",
    "claude, then true": 'claude -v; echo "$x"',
    "claude ||": 'claude -v || echo "$x"',
}
SURE_BODIES = {"expansion, then claude", "claude", "quoted word, then claude"}
REDIRECTIONS = {
    "2>&1": "2>&1",
    ">/dev/null": ">/dev/null",
    "</dev/null": "</dev/null",
    "two": ">/dev/null 2>&1",
    ">>": ">>/dev/null",
    "none": "",
}
PLACES = {
    "alone": "{d}; f",
    "after &&": "{d}; true && f",
    "set -e, then more": "set -e; {d}; f; echo done",
    "then more": "{d}; f; echo done",
    "before ||": "{d}; f || true",
    "not called": "{d}; echo done",
}
SURE_PLACES = {"alone", "after &&", "set -e, then more"}
CONTEXTS = {k: DASH_CONTEXTS[k] for k in ("line", "sh -c", "RUN <<EOF")}


def _cases():
    for body, redirection, place, context in itertools.product(BODIES, REDIRECTIONS, PLACES, CONTEXTS):
        definition = f"f() {{ {BODIES[body]}; }} {REDIRECTIONS[redirection]}".rstrip()
        script = PLACES[place].format(d=definition)
        if "'" in script and context == "sh -c":
            continue
        sure = body in SURE_BODIES and place in SURE_PLACES
        key = f"{'sure' if sure else 'maybe'}|{body}|{redirection}|{place}|{context}"
        yield key, *placed(script, context, CONTEXTS)


CASES = list(_cases())


@pytest.mark.skipif(SH is None, reason="needs dash")
# (Checked 100 cases an item, each in its own folder, a failure naming its case: tests/chunks.py.)
@pytest.mark.parametrize("chunk", chunked([pytest.param(*c, id=c[0]) for c in CASES]))
def test_a_body_behind_redirections_runs_at_each_call(tmp_path, chunk):
    each(
        chunk, lambda key, text, script, tmp: judge(key, text, script, tmp, "recall: the call runs the body"), tmp_path
    )
