"""AIS102's move keeps every byte of the lines it moves, whatever their line endings (issue 18,
"no byte lost anywhere").

The class: a move to the end of a file without a final line break, of lines whose endings
differ (a file of mixed endings: the ARG's line ends with CRLF, the `LABEL` that uses only it
with LF, or the other way round). The moved lines go after a new line break, and the file
still ends without one: the fix took the first moved line's ending off the end of the block,
so with CRLF there and LF at the end it cut the last character of the last moved line
(`LABEL d=$BUILD_DATE` became `d=$BUILD_DAT`, a safe fix changing the image's metadata), and
the other way round left a CR at the end of the file. BuildKit read both, so the verifier,
which checks that the result parses, let them through.

Generated: stages of a volatile ARG, the steps that do not use it, the `LABEL`/`ENV` lines
that use only it (continued, with comment lines above and inside), each line with its own
ending, the file ending without a line break or with one, the move to the end of the file, to
the end of a stage, or to its first use; both of the rule's paths (``_FAST`` on and off).
Every AIS102 fix, applied alone, gives a file BuildKit reads into the instructions expected
(``check_fix`` of test_fix_validity), and holds exactly the bytes it held, moved: the same
characters, each as often.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter

import pytest
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st

from aishell.context import BuildContext
from aishell.lint import lint_text
from aishell.migrate import fixer
from tests.conftest import FUZZ_SEED
from tests.test_fix_validity import OPTS, buildkit, check_fix

pytest.importorskip("dockerfile")

EXAMPLES = int(os.environ.get("AISHELL_FIX_EXAMPLES") or 300)

USES = [
    "LABEL d=${NAME}",
    "LABEL a=b \\\n  d=$NAME",
    "# the date\nLABEL org.opencontainers.image.created=$NAME",
    "ENV V=$NAME",
    "LABEL a=b \\\n# inside\n  d=$NAME",
]
STEPS = ["RUN apt-get update", "COPY /a /b", "WORKDIR /app", "RUN echo a", "# a note\nRUN mkdir -p /x"]


@st.composite
def moved_file(draw) -> str:
    name = draw(st.sampled_from(["BUILD_DATE", "GIT_SHA", "VCS_REF"]))
    lines = ["FROM debian", draw(st.sampled_from(["", "# why\n"])) + f"ARG {name}"]
    lines += draw(st.lists(st.sampled_from(STEPS), max_size=2))
    lines += [u.replace("NAME", name) for u in draw(st.lists(st.sampled_from(USES), min_size=0, max_size=2))]
    lines += draw(st.lists(st.sampled_from(STEPS), min_size=1, max_size=3))
    end = draw(st.integers(0, 3))
    if end == 1:  # another stage: the move ends the first
        lines += ["FROM alpine", "RUN true"]
    elif end == 2:  # a use: the move lands before it
        lines += [f"RUN echo ${name} > /v"]
    physical = "\n".join(lines).split("\n")
    text = "".join(ln + draw(st.sampled_from(["\n", "\r\n"])) for ln in physical)
    if draw(st.integers(0, 3)):
        text = text.rstrip("\r\n")  # mostly none: the class
    return draw(st.sampled_from(["", "\ufeff"])) + text


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "general"])
@pytest.mark.parametrize("run_seed", [FUZZ_SEED], ids=lambda s: f"seed={s}")
def test_a_move_keeps_every_byte_whatever_the_line_endings(run_seed, fast, monkeypatch):
    from aishell.lint_rules import ais102_volatile_arg_early as ais102

    monkeypatch.setattr(ais102, "_FAST", fast)
    stats = Counter()

    @seed(run_seed)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(moved_file())
    # The ARG's line ends with CRLF, the LABEL's with LF: the fix cut the LABEL's last character.
    @example("FROM debian\nARG BUILD_DATE\r\nRUN echo a\nLABEL a=b \\\n  d=$BUILD_DATE\nCOPY /a /b")
    # The other way round: a CR was left at the end of the file.
    @example("FROM debian\nARG BUILD_DATE\nRUN echo a\nLABEL a=b \\\r\n  d=$BUILD_DATE\r\nCOPY /a /b")
    def check(text):
        if buildkit(text) is None:
            return
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "Dockerfile")
            with open(path, "w", newline="") as f:
                f.write(text)
            for finding in lint_text(text, path, OPTS).findings:
                if finding.code != "AIS102" or not finding.fix:
                    continue
                r = fixer.fix_text(text, path, lambda t, p, f=finding: [f] if t == text else [], unsafe=True)
                if r.rejected:
                    stats["refused"] += 1
                    continue
                check_fix(text, r.text, r.files, finding, BuildContext.for_dockerfile(path))
                if len(buildkit(r.text)) == len(buildkit(text)):  # a move (not the removal of an ARG)
                    assert Counter(r.text) == Counter(text), f"bytes lost or gained:\n{text!r}\n{r.text!r}"
                    stats["moved"] += 1

    check()
    print("AIS102 moves:", dict(stats))
    assert stats["moved"] > EXAMPLES // 2, stats


@pytest.mark.parametrize("run_seed", [FUZZ_SEED], ids=lambda s: f"seed={s}")
def test_the_verifier_refuses_a_move_that_changes_a_byte(run_seed):
    """The same moves with one byte of the moved lines changed, as that bug changed them (the
    insertion as long as the cuts, so still a move in shape): migrate.verify refuses each, where
    it used to check only that the result parses (the moves to the end of a file without a
    final line break go to its general checks)."""
    from aishell.findings import Edit
    from aishell.migrate.verify import Layout, check_fix
    from aishell.model import parse

    stats = Counter()

    @seed(run_seed)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(moved_file(), st.integers(0, 10**6), st.sampled_from(["\r", "X", "\n"]))
    def check(text, where, byte):
        if buildkit(text) is None:
            return
        layout = Layout(parse(text, "Dockerfile"))
        for finding in lint_text(text, "Dockerfile", OPTS).findings:
            edits = finding.fix.edits if finding.code == "AIS102" and finding.fix else ()
            inserted = [e for e in edits if e.start == e.end and len(e.replacement) > 1]
            if len(edits) < 2 or len(inserted) != 1 or check_fix(layout, edits)[0] is not None:
                continue
            e = inserted[0]
            k = where % len(e.replacement)
            if e.replacement[k] == byte:
                continue
            changed = Edit(e.start, e.end, e.replacement[:k] + byte + e.replacement[k + 1 :])
            why, _ = check_fix(layout, [changed if x is e else x for x in edits])
            assert why is not None, f"a move changing a byte was accepted:\n{text!r}\n{changed}"
            stats["refused"] += 1

    check()
    print("changed moves refused:", dict(stats))
    assert stats["refused"] > EXAMPLES // 2, stats
