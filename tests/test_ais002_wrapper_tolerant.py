"""A wrapper given the option that ignores a failed setting surely runs its command (issue 18:
an AIS002 error where the build surely fails, a warning only where it may not).

Red team (last session): `ionice -t -c 1 claude` was a warning, as `ionice -c 1 claude` is (the
real-time class needs a capability a build may not have: ioprio_set fails, nothing runs). With
`-t` (`--ignore`) ionice ignores that failure (util-linux ioprio_setid: `if (rc == -1 &&
!tolerant) err(…)`) and execs the command: it surely runs. A value it cannot read (`-c x`,
`-n 1x`) still stops it before that, and one an expansion gives may be such a value. The class
(Wrapper.tolerant_short/_long): the tool's options in any order, clustered or not, with and
without `-t`/`--ignore`, values it takes, may take or refuses, each harness. ionice runs each
line under dash with a stub harness (the oracle): with `-t` it does what it does on any system,
so there an AIS002 error must be exactly where the stub ran; everywhere, an error only where it
ran and a finding wherever it ran (tests/dash.py `agrees`).
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dash import agrees, outcome
from tests.severities import CALLS, severities

HEAD = "FROM aishell:foundation\nRUN "
CLASSES = ["0", "1", "2", "3", "4", "9", "none", "realtime", "best-effort", "idle", "Idle", "x", "", "1x", "-1"]
DATA = ["0", "4", "7", "8", "-1", "99", "x", "", "2147483648"]
TOLERANT = ["-t", "--ignore", "--ign"]


@st.composite
def _lines(draw) -> tuple[str, bool]:
    opts: list[str] = []
    if draw(st.booleans()):
        c = draw(st.sampled_from(CLASSES))
        opts.append(draw(st.sampled_from([f"-c {c!r}", f"-c{c}" if c else "-c ''", f"--class={c}"])))
    if draw(st.booleans()):
        n = draw(st.sampled_from(DATA))
        opts.append(draw(st.sampled_from([f"-n {n!r}", f"--classdata={n}"])))
    tolerant = draw(st.booleans())
    if tolerant:
        opts.insert(draw(st.integers(0, len(opts))), draw(st.sampled_from(TOLERANT)))
    if tolerant and opts[0] == "-t" and len(opts) > 1 and opts[1].startswith("-c") and draw(st.booleans()):
        opts[:2] = ["-t" + opts[1][1:]]  # (a cluster: `-tc 1`, `-tc1`)
    harness = draw(st.sampled_from(sorted(CALLS)))
    return " ".join(["ionice", *opts, CALLS[harness]]), harness, tolerant


@pytest.mark.skipif(shutil.which("ionice", path="/usr/bin:/bin") is None, reason="no ionice")
def test_ionice_with_ignore_surely_runs_what_it_can_read(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ionice")

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_lines())
    def check(drawn):
        line, harness, tolerant = drawn
        failed, ran = outcome(line + " </dev/null", tmp, harnesses=(harness,), cwd=tmp)
        found = severities(HEAD + line + "\n")
        agrees(found, failed, ran, line)
        if tolerant:
            assert found == (["error"] if ran else []), (line, found, ran)

    check()


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("ionice -t -c 1 claude -v", ["error"]),
        ("ionice -c 1 -t claude -v", ["error"]),
        ("ionice --ignore -c 1 -n 9 claude -v", ["error"]),
        ("ionice -tc1 claude -v", ["error"]),
        ("ionice -c 1 claude -v", ["warning"]),  # (no capability: nothing runs)
        ("ionice -t -c x claude -v", []),  # (not a class: refused before)
        ('ionice -t -c "$C" claude -v', ["warning"]),  # (maybe not a class)
        ("ionice -c -t claude -v", []),  # (`-t` is -c's value: not a class)
    ],
)
def test_the_named_lines(line, want):
    assert severities(HEAD + line + "\n") == want
