"""What the fix loop lints on each pass (issue 18, "Linear by design").

`aishell migrate` lints the file once per pass. A rule that declares it never offers a fix
(``FIX_AVAILABILITY = "never"``) cannot change what migrate writes, reports or holds back, so
migrate's linter (aishell.migration.linter) leaves it out: on the many-fixes benchmark file
AIS004 was 43% of the four passes. These tests prove, on every corpus file in three forms
(as is, legacy-ised as tests/test_fix_validity.py does, and with an ARG after every FROM) and
safe and unsafe, that the declaration holds (no finding of such a rule carries a fix) and that
the fix loop's result is the same, field by field, as with every rule linted.
"""

from __future__ import annotations

import re
import sys

import pytest

from aishell.errors import InputError
from aishell.findings import SAFE
from aishell.lint import Options, lint_text
from aishell.lint_rules import all_rules
from aishell.migrate import fixer
from aishell.migration import fix_text, fixing_options
from tests.conftest import corpus_files

CORPUS = corpus_files()
NEVER = [r.CODE for r in all_rules() if r.FIX_AVAILABILITY == "never"]


def _forms(text: str):
    yield text
    v = re.sub(
        r"^FROM\s+(--platform=\S+\s+)?\S+",
        lambda m: "FROM " + (m.group(1) or "") + "aishell:base",
        text,
        count=1,
        flags=re.M | re.I,
    )
    yield re.sub(r"^RUN (?![\[<-])", "RUN claude --version && ", v, flags=re.M)
    v = re.sub(r"^FROM\s+\S+(.*)$", r"FROM aishell:base\1\nARG BUILD_DATE", text, flags=re.M)
    yield re.sub(r"^RUN (?=[a-z])", "RUN claude --version && ", v, flags=re.M)


def _outcome(r: fixer.FixResult):
    """Everything migrate reports or writes from one fix loop."""
    return (
        r.text,
        r.files,
        [(f.code, f.start, f.fix) for f in r.applied],
        [(f.code, f.line, why) for f, why in r.rejected],
        r.held_back,
    )


def test_never_fixing_rules_are_left_out_of_migrates_lint():
    assert NEVER, "no rule declares FIX_AVAILABILITY = 'never': this test has nothing to prove"
    opts = fixing_options(Options(use_config=False))
    assert set(NEVER) <= set(opts.ignore)
    text = "FROM debian\nRUN make\n"
    assert not any(f.code in NEVER for f in fixer._run(lambda t, p: lint_text(t, p, opts), text, "Dockerfile")[0])


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus/dockerfiles is not present")
def test_leaving_out_never_fixing_rules_changes_no_migration():
    full = Options(use_config=False)
    files = fixes = 0
    for path in CORPUS:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        for k, form in enumerate(_forms(text)):
            try:
                everything = lint_text(form, str(path), full).findings
            except InputError:  # a file BuildKit would reject: migrate refuses it the same way either way
                continue
            assert not [f for f in everything if f.code in NEVER and f.fix], path
            files += 1
            # The file as it is has few fixes (most corpus files fix nothing): its fix loops,
            # a third of this test's time, are compared unsafe only; the legacy-ised forms both ways.
            for unsafe in (False, True) if k else (True,):
                ours = fix_text(form, str(path), full, unsafe)
                theirs = fixer.fix_text(form, str(path), lambda t, p: lint_text(t, p, full), unsafe)
                assert _outcome(ours) == _outcome(theirs), (path, unsafe)
                fixes += len(ours.applied) + sum(1 for f in theirs.remaining if f.fix and f.fix.applicability != SAFE)
    assert files > 1000 and fixes > 1000, (files, fixes)


def test_a_pass_model_is_freed_before_the_next_pass_lints(tmp_path):
    """One model alive at a time (a 10 MB file's is hundreds of MB), with the cyclic collector
    paused as the fix loop runs it: nothing the loop builds may hold the previous pass's model
    in a reference cycle (a recursive closure did, keeping two models alive at the peak)."""
    path = str(tmp_path / "Dockerfile")
    (tmp_path / "package.json").write_text("{}\n")
    opts = fixing_options(Options(use_config=False))
    previous: list = []  # the last pass's model (a Dockerfile takes no weak reference)
    alive: list[bool] = []

    def lint(text: str, p: str):
        if previous:
            df = previous.pop()
            alive.append(sys.getrefcount(df) > 2)  # anything but this local and the call's argument
            del df
        res = lint_text(text, p, opts)
        previous.append(res.df)
        return res

    text = "FROM aishell:base\nARG BUILD_DATE\nCOPY . .\nRUN claude --version && npm ci && apt-get update\nRUN make\n"
    r = fixer.fix_text(text * 20, path, lint, unsafe=True)
    assert r.applied and len(alive) >= 2, (len(r.applied), alive)
    assert not any(alive)


def test_the_last_model_kept_for_the_exit_is_one_files_at_most(monkeypatch):
    """`aishell migrate` leaves with os._exit, so the fix loop may keep its last model instead of
    freeing it (fixer.KEEP_LAST): one file's at most, dropped before the next file's first lint;
    library callers (KEEP_LAST off) keep nothing."""
    lint = lambda t, p: lint_text(t, p, fixing_options(Options(use_config=False)))  # noqa: E731
    fixer.fix_text("FROM aishell:base\n", "Dockerfile", lint)
    assert fixer._LAST == []
    monkeypatch.setattr(fixer, "KEEP_LAST", True)
    try:
        first = fixer.fix_text("FROM aishell:base\n", "Dockerfile", lint)
        assert len(fixer._LAST) == 1 and fixer._LAST[0][2] is first
        seen = []
        fixer.fix_text(
            "FROM aishell:base\nRUN make\n", "Dockerfile", lambda t, p: seen.append(len(fixer._LAST)) or lint(t, p)
        )
        assert seen[0] == 0 and len(fixer._LAST) == 1  # dropped before the next file's first lint
    finally:
        fixer._LAST.clear()
