"""`COPY --from=N` names a stage by its index the way BuildKit's dockerfile2llb reads it (issue
18: `--from=5` with two stages, `-1`, `+0` were taken, `+0` read as an image).

BuildKit (convert.go buildStageDependencyGraph, for every stage, built or not, before it builds
any): a value Go's strconv.Atoi reads (an optional sign, ASCII digits, within int64) is an index
into its list of states: the stages, then one state more for each image an earlier `COPY
--from=` or RUN `--mount` names (a mount without `from=` names `scratch`), walked stage by stage;
outside it, "invalid stage index N". Any other value (`99999999999999999999`, `0x1`, `٣`) is a
stage or image name. A mount's `from=` is always a name. A stage that reads itself, directly or
through others, is "circular dependency detected". The oracle is that rule written out here; the
`dockerfile` package (BuildKit's parser only) has no stage graph. Generated: signs x digits x
stage counts x earlier image references x where the COPY stands; and the severity of AIS001 in a
stage `+0`/`00` names (an error: the default build builds it).
"""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.errors import InputError
from aishell.lint import Options, lint_text


def _atoi(text: str):
    """Go's strconv.Atoi, written out: sign, then one or more ASCII digits, within int64."""
    body = text[1:] if text[:1] in ("+", "-") else text
    if not body or any(c not in "0123456789" for c in body):
        return None
    n = int(body) * (-1 if text[:1] == "-" else 1)
    return n if -(2**63) <= n <= 2**63 - 1 else None


def _lint(text: str):
    try:
        return lint_text(text, "Dockerfile", Options(use_config=False)).findings
    except InputError as e:
        return str(e)


SIGNS = ["", "+", "-", "++", "+-"]
DIGITS = [
    "0",
    "1",
    "2",
    "3",
    "00",
    "01",
    "5",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999",
    "",
    "1a",
    "\u0663",
]
# What stands before the COPY in its stage: image references BuildKit adds states for.
EARLIER = [
    "",
    "COPY --from=alpine /a /a\n",
    "RUN --mount=type=cache,target=/c true\n",
    "RUN --mount=from=busybox,target=/b true\n",
]


def _oracle(stages: int, at: int, earlier: str, value: str) -> str | None:
    """BuildKit's verdict: 'index' (invalid stage index), 'cycle', 'image' (a name no reference
    can be), or None (the graph is taken)."""
    index = _atoi(value)
    if index is None:
        # A stage or image name: no stage here is named so, so an image, whose name BuildKit
        # parses as a FROM's (`++1`, `٣`: "failed to parse stage name"; tests/test_from_reference.py).
        return None if re.fullmatch(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*", value, re.ASCII) else "image"
    states = stages + (1 if earlier else 0)
    if not 0 <= index < states:
        return "index"
    if index >= stages:
        return None  # (the state of the image named before)
    # Stage k is built FROM an image (no edge); the only edge is at -> index.
    return "cycle" if index == at else None


def _file(stages: int, at: int, earlier: str, value: str) -> str:
    out = []
    for k in range(stages):
        out.append(f"FROM ubuntu AS s{k}\n")
        if k == at:
            out.append(earlier + f"COPY --from={value} /x /x\n")
    return "".join(out)


def test_stage_indexes_as_buildkit_reads_them():
    for sign, digits, stages, earlier in itertools.product(SIGNS, DIGITS, (1, 2, 3), EARLIER):
        value = sign + digits
        if not value:
            continue
        for at in range(stages):
            text = _file(stages, at, earlier, value)
            want = _oracle(stages, at, earlier, value)
            got = _lint(text)
            if want == "index":
                assert isinstance(got, str) and f"invalid stage index {_atoi(value)}" in got, (text, got)
            elif want == "cycle":
                assert isinstance(got, str) and "circular dependency" in got, (text, got)
            elif want == "image":
                assert isinstance(got, str) and "failed to parse stage name" in got, (text, got)
            else:
                assert not isinstance(got, str), (text, got)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.integers(1, 4),
    st.lists(st.tuples(st.integers(0, 3), st.integers(-2, 5), st.sampled_from(["", "+", "0"])), max_size=4),
)
def test_cycles_through_indexes_and_names(stages, copies):
    """Edges by index (signed, zero-padded) and by name; the oracle: a stage reaching itself."""
    edges = {k: [] for k in range(stages)}
    body = {k: [] for k in range(stages)}
    for n, (at, to, form) in enumerate(copies):
        at %= stages
        value = (form + str(to)) if to >= 0 else str(to)
        if n % 2 and 0 <= to < stages:
            value = f"s{to}"  # (by name)
        body[at].append(f"COPY --from={value} /x /x\n")
        edges[at].append(to)
    text = "".join(f"FROM ubuntu AS s{k}\n" + "".join(body[k]) for k in range(stages))
    want = None
    for k in range(stages):  # BuildKit walks stage by stage: the first bad index stops it
        for to in edges[k]:
            if not 0 <= to < stages and want is None:
                want = "index"
    if want is None:

        def reaches(a, b, seen):
            return any(t == b or (t not in seen and 0 <= t < stages and reaches(t, b, seen | {t})) for t in edges[a])

        if any(reaches(k, k, {k}) for k in range(stages)):
            want = "cycle"
    got = _lint(text)
    if want == "index":
        assert isinstance(got, str) and "invalid stage index" in got, (text, got)
    elif want == "cycle":
        assert isinstance(got, str) and "circular dependency" in got, (text, got)
    else:
        assert not isinstance(got, str), (text, got)


def test_a_signed_or_padded_index_names_the_stage_for_ais001():
    """`--from=+0`/`00` is stage 0: the default build builds it, so its legacy FROM is an error;
    a mount's `from=0` is an image named `0`, not stage 0: the stage stays unbuilt (a warning)."""
    for value in ("0", "+0", "00", "-0", "+00"):
        text = f"FROM aishell:base\nRUN true\nFROM ubuntu\nCOPY --from={value} /x /x\n"
        (f,) = [f for f in _lint(text) if f.code == "AIS001"]
        assert f.severity == "error", (value, f)
    text = "FROM aishell:base\nRUN true\nFROM ubuntu\nRUN --mount=from=0,target=/m true\n"
    (f,) = [f for f in _lint(text) if f.code == "AIS001"]
    assert f.severity == "warning", f
