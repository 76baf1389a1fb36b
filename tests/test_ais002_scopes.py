"""AIS002 recall: a shell function of the harness's name is seen by the shell that defines it, not
by a new process.

`claude() { :; }; sh -c claude` runs the real claude: `sh -c`'s shell, `bash -c`'s (unless the
function is exported), `flock -c`'s, `xargs sh -c`'s, `find -exec`'s command start with no
functions. AIS002 counted any definition of the name earlier in the RUN, so each of these had no
finding at all (session 52; noted by helper r87). It now asks which new process runs the call and
which defines the function (lint_rules/ais002 FUNCTION_SCOPES, _function_unseen): a definition
counts only in the same one. Unsure forms keep the old reading: a substitution between (`sh -c
"$(claude)"` runs it in this shell's subshell) and anything that may export a function to a bash
(`export -f`, `declare`, `set -a`, `BASH_FUNC_`). A pipeline's elements and a list run in the
background are subshells too (FUNCTION_PIPED, session 53): `claude() { :; } | true; claude`, `{
claude() { :; }; } | cat`, `claude() { :; } && true &` define nothing in the RUN's shell.

Generated: where the function is defined × how the call is run × what follows it × where the RUN's
script runs (the line, a fed heredoc, `RUN <<EOF`), judged by dash and bash (tests/dash.py): an
error only where the harness ran and the RUN failed, a finding wherever it ran; the forms that
surely run it and fail are errors.
"""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.lint_rules import ais002_harness_at_build_time as ais002
from tests.chunks import chunked, each
from tests.dash import CONTEXTS, judge, outcome, placed
from tests.severities import severities

# Where the function is defined ({d} ends with `; `). "new process" defines it in a string another
# shell runs (and ends): the RUN's shell has no such function either.
DEFINED = {
    "here": "claude() { :; }; ",
    "here, spaced": "claude () { true; }; ",
    "new process": 'sh -c "claude() { :; }"; ',
    "twice": 'sh -c "claude() { :; }"; claude() { :; }; ',
    # A subshell's definitions end with it; a `case` item's `)` is no subshell's.
    "subshell": "(claude() { :; }); ",
    "subshell in a branch": "if true; then (claude() { :; }); fi; ",
    "case item": "case y in y) claude() { :; };; z) true;; esac; ",
    # A pipeline's elements and a list run in the background are subshells too (FUNCTION_PIPED).
    "piped": "claude() { :; } | true; ",
    "after a pipe": "true | claude() { :; }; ",
    "background": "claude() { :; } & ",
    "and-or list in the background": "claude() { :; } && true & ",
    "group piped": "{ claude() { :; }; } | cat; ",
    "branch piped": "if true; then claude() { :; }; fi | cat; ",
    "a pipe after it": "claude() { :; }; true | cat; ",
}
# Defined elsewhere than the RUN's shell: a call this shell runs does not see it.
ENDED = (
    "new process",
    "subshell",
    "subshell in a branch",
    "piped",
    "after a pipe",
    "background",
    "and-or list in the background",
    "group piped",
    "branch piped",
)
# How the call runs, and whether a function defined in the RUN's own shell is seen there.
CALLS = {
    "direct": ("claude", True),
    "sh -c": ("sh -c claude", False),
    "sh -c string": 'sh -c "claude -v"',
    "bash -c": ("bash -c claude", False),
    "sh -c in sh -c": ('sh -c "sh -c claude"', False),
    "flock -c": ("flock /tmp -c claude", False),
    "xargs sh -c": ("xargs sh -c claude </dev/null", False),
    "find -exec": ("find / -maxdepth 0 -exec claude \\;", False),
    "defined in the string": ('sh -c "claude() { :; }; claude"', None),
    "eval": ("eval claude", True),
    "$( )": ("x=$(claude)", True),
    "$( ) in sh -c's word": ('sh -c "$(claude)"', True),
    # bash's: dash has no `export -f` (an error that ends its shell)
    "exported by bash": ('bash -c "claude() { :; }; export -f claude; bash -c claude"', True),
    "set -a": ("set -a; bash -c claude", True),
}
CALLS["sh -c string"] = (CALLS["sh -c string"], False)
# The forms where a bash may import the function (aishell does not tell dash's `set -a`, which
# exports no function, from bash's): any definition before the call counts, as before.
UNSURE = ("set -a",)
TAILS = {"": "", "&& true": " && true", "|| true": " || true"}
WHERE = {k: CONTEXTS[k] for k in ("line", "fed", "RUN <<EOF")}


def _cases():
    for (dname, d), (cname, (call, seen)), (tname, tail), where in itertools.product(
        DEFINED.items(), CALLS.items(), TAILS.items(), WHERE
    ):
        # Sure: a function the call's shell cannot see (defined in the RUN's shell, called from a
        # new shell; or defined only in another process), nothing after it that hides its status.
        unseen = seen is False or (dname in ENDED and seen is True and cname in ("direct", "eval", "$( )"))
        sure = (
            unseen
            and tname != "|| true"
            and cname != "find -exec"  # (find: a warning, as without a function: it may match no file)
            # (A body fed to sh: a command before the call, here `sh -c`, may read the rest of the
            # body from the shell's stdin, as far as the status walk knows: a warning.)
            and not (where == "fed" and dname in ("new process", "twice"))
        )
        key = f"{'sure' if sure else 'maybe'}|{dname}|{cname}|{tname}|{where}"
        yield pytest.param(key, d + call + tail, where, id=key)


# Scripts outside the product: a subshell's definition seen in it; `case` items around the call.
ALONE = {
    "sure|subshell, nested": "( (claude() { :; }); claude )",
    "maybe|subshell, called in it": "(claude() { :; }; claude)",
    "maybe|case, called in it": "case y in y) claude() { :; }; claude;; esac",
    "maybe|case, later item": "case y in y) claude() { :; };; esac; case y in y) claude;; esac",
    "maybe|case with ( patterns": "case y in (y) claude() { :; };; (z) true;; esac; claude",
    "maybe|group": "{ claude() { :; }; }; claude",
}


def _alone():
    for (key, script), where in itertools.product(ALONE.items(), WHERE):
        yield pytest.param(f"{key}|{where}", script, where, id=f"{key}|{where}")


# (Checked 100 cases an item, each in its own folder, a failure naming its case: tests/chunks.py.)
@pytest.mark.parametrize("chunk", chunked([*_cases(), *_alone()]))
def test_function_seen_only_by_its_shell(chunk, tmp_path):
    each(chunk, _seen_only_by_its_shell, tmp_path)


def _seen_only_by_its_shell(key, script, where, tmp_path):
    text, run = placed(script, where, WHERE)
    if key.split("|")[2] in UNSURE:
        # Kept as before: no error where the harness does not run and fail (no recall asked).
        found = severities(text)
        fails, ran = outcome(run, tmp_path, cwd=tmp_path)
        assert "error" not in found or (fails and ran), (key, found, fails, ran)
        return
    judge(key, text, run, tmp_path, "a function of the name the call's shell does not have")


def test_piped_switch_is_what_finds_them(monkeypatch):
    """A definition in a pipeline or the background counts again with FUNCTION_PIPED off."""
    text = "FROM aishell:foundation\nRUN claude() { :; } | true; claude -v\n"
    assert severities(text) == ["error"]
    monkeypatch.setattr(ais002, "FUNCTION_PIPED", False)
    assert severities(text.replace("; ", ";  ")) == []  # (another text: AIS002 keeps answers by text)


def test_scopes_switch_is_what_finds_them(monkeypatch):
    """The class's recall comes from FUNCTION_SCOPES: off, the definition before counts again."""
    text = "FROM aishell:foundation\nRUN claude() { :; }; sh -c claude\n"
    assert severities(text) == ["error"]
    monkeypatch.setattr(ais002, "FUNCTION_SCOPES", False)
    assert severities(text.replace("; sh", ";  sh")) == []  # (another text: AIS002 keeps answers by text)


# Pieces of scripts around a definition and a call, in any order: subshells, groups, `case` items,
# quoted parentheses, new processes. Many are lines dash refuses; none may give an error the
# shell does not bear out (the precision side of _subshell_ends and _new_process_at).
PIECES = (
    "|",
    "&",
    "(",
    ")",
    "claude() { :; }",
    "claude",
    "sh -c claude",
    'sh -c "claude() { :; }; claude"',
    "case y in y)",
    "case y in (y)",
    ";;",
    "esac",
    "{",
    "}",
    "echo ')'",
    'echo "("',
    "echo \\)",
    "true",
    "x=$(true)",
    "if true; then",
    "fi",
    "f() {",
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.sampled_from(PIECES), min_size=2, max_size=8), where=st.sampled_from(sorted(WHERE)))
def test_no_error_the_shell_does_not_bear_out(pieces, where, tmp_path):
    script = "; ".join(pieces).replace("; ;;", " ;;").replace("(; ", "( ").replace("{; ", "{ ")
    script = script.replace("; |;", " |").replace("; &;", " &")
    if "claude()" not in script or "claude" not in script.split("claude()", 1)[1]:
        script += "; claude"
    text, run = placed(script, where, WHERE)
    found = severities(text)
    fails, ran = outcome(run, tmp_path, cwd=tmp_path)
    assert "error" not in found or (fails and ran), (script, where, found, fails, ran)
