"""Fast paths of the fix loop equal the general ones (issue 18, "Linear by design").

Each shortcut `aishell migrate` takes is compared with the path it replaces, on generated
inputs of its class: the answer must be the same, not only right on the examples.
"""

from __future__ import annotations

import os
import re
from operator import itemgetter

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aishell.errors import InputError
from aishell.findings import SAFE, Edit, Fix
from aishell.lint import Options, lint_text
from aishell.migrate import apply as apply_mod
from aishell.migrate import fixer
from aishell.migrate.apply import _greedy, _key, select_fixes
from aishell.migration import fix_text, fixing_options
from tests.conftest import corpus_files
from tests.test_ais102_meaning import meaning
from tests.test_migrate_passes import _forms

CORPUS = corpus_files()

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


def test_a_stacking_fix_after_one_that_waits_at_its_point_waits_too():
    """Stacking fixes insert at one point in their order, as one pass each would: when one of
    them waits (it meets another fix), the stacking fixes after it at that point wait too."""
    from aishell.lint_rules._edits import StackingFix

    first = StackingFix(SAFE, "", (Edit(0, 3, ""), Edit(20, 20, "a")))
    blocked = StackingFix(SAFE, "", (Edit(4, 20, ""), Edit(20, 20, "b")))  # its deletion meets the point
    after = StackingFix(SAFE, "", (Edit(21, 25, ""), Edit(20, 20, "c")))
    elsewhere = StackingFix(SAFE, "", (Edit(26, 28, ""), Edit(30, 30, "d")))
    assert select_fixes([first, blocked, after, elsewhere]) == ([first, elsewhere], 2)


# -- stacking insertions: ARGs moved to one place in one pass ---------------------------------


def _migrate(text: str, path: str, unsafe: bool, stacking: bool, monkeypatch):
    """What migrate reports and writes for one file: the text, the other files, how many
    fixes, the warnings (as migrate_file words them) and how many are held back."""
    with monkeypatch.context() as m:
        if not stacking:
            m.setattr(apply_mod, "_stacks", lambda fix: False)  # every fix as a plain one: the loop before
        r = fix_text(text, path, Options(use_config=False), unsafe)
    warnings = list(dict.fromkeys(f"{f.code} fix at line {f.line} not applied: {why}" for f, why in r.rejected))
    return r.text, r.files, len(r.applied), warnings, r.held_back


_ARG = st.sampled_from(["BUILD_DATE", "VCS_REF", "GIT_SHA", "VERSION", "NODE_VERSION", "AUTHORS", "BUILD_DATE"])
_LINE = st.one_of(
    _ARG.map(lambda n: f"ARG {n}"),
    _ARG.map(lambda n: f"ARG {n}=1"),
    _ARG.map(lambda n: f"LABEL x=${n}"),
    _ARG.map(lambda n: f"ENV APP_VERSION=${{{n}}}"),
    _ARG.map(lambda n: f"RUN echo ${n} > /f"),
    st.sampled_from(
        [
            "RUN apt-get update",
            "RUN npm ci --ignore-scripts",
            "RUN npm ci",
            "RUN make",
            "RUN pip install -r requirements.txt",
            "RUN pip install .",
            "# a comment",
            "# aishell: ignore=AIS003 why",
            "",
            "COPY . .",
            "WORKDIR /app",
            "FROM aishell:base AS s",
            "FROM debian",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_LINE, min_size=1, max_size=14),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
    st.booleans(),
)
# Found by this test: the move of NODE_VERSION (with its LABEL) waits a pass (its LABEL's line ends
# where the others insert), and BUILD_DATE's move to the same place must wait with it.
@example(
    ["ARG GIT_SHA", "ARG NODE_VERSION", "ARG BUILD_DATE", "RUN echo $VCS_REF > /f", "LABEL x=$NODE_VERSION"],
    "\n",
    True,
    False,
)
def test_stacked_moves_give_what_one_move_a_pass_gives(lines, newline, final, unsafe):
    text = newline.join(["FROM aishell:foundation", *lines]) + (newline if final else "")
    import tempfile

    with tempfile.TemporaryDirectory() as d, pytest.MonkeyPatch.context() as mp:
        path = os.path.join(d, "Dockerfile")
        try:
            fast = _migrate(text, path, unsafe, True, mp)
        except InputError as e:
            with pytest.raises(InputError) as slow:
                _migrate(text, path, unsafe, False, mp)
            assert str(slow.value) == str(e)
            return
        _same_or_same_meaning(fast, text, path, unsafe, mp)


def _same_or_same_meaning(fast, text, path, unsafe, mp):
    """Stacking gives the text one move a pass gives, or, where the passes' order puts ARGs
    moved to one place in another order, a text that means the same (every step reads the
    same values: tests/test_ais102_meaning.py), with the same files and counts. One move a pass
    may not settle in ten passes where stacking does (tests/test_ais102_meaning.py checks what
    stacking gives there)."""
    try:
        slow = _migrate(text, path, unsafe, False, mp)
    except InputError as e:
        assert "did not settle" in str(e)
        return
    if fast != slow:
        assert fast[1:] == slow[1:]
        assert meaning(fast[0]) == meaning(slow[0])


def test_two_args_moved_to_one_step_land_in_order_in_one_pass(monkeypatch):
    text = "FROM aishell:foundation\nARG BUILD_DATE\nARG VCS_REF\nLABEL a=$VCS_REF\nRUN apt-get update\n# build\nRUN make\n"
    passes = []
    opts = fixing_options(Options(use_config=False))

    def lint(t, p):
        passes.append(t)
        return lint_text(t, p, opts)

    r = fixer.fix_text(text, "Dockerfile", lint)
    assert r.text == (
        "FROM aishell:foundation\nRUN apt-get update\nARG BUILD_DATE\nARG VCS_REF\nLABEL a=$VCS_REF\n# build\nRUN make\n"
    )
    assert len(passes) == 2  # the moves, then the pass that finds nothing more to fix


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus/dockerfiles is not present")
def test_stacked_moves_change_no_migration_of_the_corpus(monkeypatch):
    """Every corpus file in the three forms tests/test_migrate_passes.py uses (an ARG after each
    FROM among them), safe and unsafe: the same text (or meaning), files, counts and warnings
    with stacking as with one move a pass. Only files with two ARGs can stack: the others are
    skipped."""
    compared = 0
    for path in CORPUS:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        for form in _forms(text):
            if len(re.findall(r"^\s*ARG\s", form, flags=re.M | re.I)) < 2:
                continue
            for unsafe in (False, True):
                try:
                    fast = _migrate(form, str(path), unsafe, True, monkeypatch)
                except InputError as e:
                    with pytest.raises(InputError) as slow:
                        _migrate(form, str(path), unsafe, False, monkeypatch)
                    assert str(slow.value) == str(e)
                    continue
                _same_or_same_meaning(fast, form, str(path), unsafe, monkeypatch)
                compared += 1
    assert compared > 500, compared


# -- AIS102: a RUN's two verdicts, read once and remembered by its text ------------------------

_WORD = st.sampled_from(
    ["apt-get", "install", "-y", "npm", "ci", "--ignore-scripts", "run", "build", "pip", "-r", "r.txt", ".", "-e"]
    + ["python3", "-m", "venv", "/v", "make", "gem", "./x.gem", "&&", ";", "|", "$X", "sudo", "mkdir", "curl"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_WORD, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=4))
def test_remembered_run_verdicts_equal_reading_each_run(runs):
    from aishell.lint_rules import ais102_volatile_arg_early as rule
    from aishell.lint_rules._edits import can_read_build_args
    from aishell.model import parse
    from aishell.shell import analyse_run

    text = "FROM x\n" + "".join(f"RUN {r}\nARG A\nRUN {r}\n" for r in runs)  # each RUN twice, moved
    try:
        df = parse(text)
    except Exception:
        return
    for run in (i for i in df.instructions if i.keyword == "RUN"):
        direct = rule._facts(run)
        commands = analyse_run(run).commands
        ignores = bool(commands) and all(rule._quiet(c.argv) for c in commands) and not rule._environ_text(run)
        assert direct[:2] == (ignores, can_read_build_args(run))
        assert rule._run_facts(run) == direct
