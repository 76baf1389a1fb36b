"""A shell fed an unquoted heredoc runs what the feeding shell's command substitutions wrote.

Red team (last session): `RUN sh <<EOF` with `$(echo claude) -v` in its body had no finding,
though AIS002's docs say a shell fed an unquoted body runs what the feeding shell's reading of
it leaves: the feeding shell runs `echo claude` and puts `claude` there, and the shell fed the
body runs `claude -v`. Each `$( )` and backtick of the body was blanked (a word that names no
command). Now one whose output is sure (FED_OUTPUT: `echo`, `printf`, `which`, `command -v`,
`type` of plain words) puts that output there, trailing newlines removed; a quoted delimiter
(`<<'EOF'`) keeps the body as written (the fed shell makes the substitution itself), and so
does an escaped `\\$(`. The class: substitution forms × where they stand (a command, a command
after `&&`, a part of a word, an argument) × words written, feeders, delimiter quoted or not;
dash runs each (the oracle): the harness call is the body's last command, so where it runs its
failure is the RUN's, and AIS002 must say an error exactly there and nothing elsewhere.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aishell import shell
from tests.dash import agrees, runs_claude
from tests.runs import switched
from tests.severities import severities

HEAD = "FROM aishell:foundation\nRUN "
FEEDERS = ["sh <<{d}", "bash <<{d}", "sh -s <<{d}", "cat <<{d} | sh", "sh /dev/stdin <<{d}"]
DELIMITERS = ["EOF", "'EOF'"]
# What the substitution writes (plain words, the forms _outer_output reads) and how it is spelled.
WRITES = ["echo {w}", "printf {w}", "echo -n {w}", "which {w}", "command -v {w}", "echo  {w} "]
WORDS = ["claude", "claude -v", "cl", "aude", "echo", "true", "claude --version", "x"]
FORMS = ["$({c})", "`{c}`", "\\$({c})"]
PLACES = ["{s} -v", "true && {s} -v", "{s}aude -v", "cl{s} -v", "echo {s}; claude -v", "{s}"]


def _body(place: str, form: str, write: str, word: str) -> str:
    return place.format(s=form.format(c=write.format(w=word)))


def test_the_fed_shell_runs_what_the_substitution_wrote(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fed")

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.sampled_from(FEEDERS),
        st.sampled_from(DELIMITERS),
        st.sampled_from(PLACES),
        st.sampled_from(FORMS),
        st.sampled_from(WRITES),
        st.sampled_from(WORDS),
    )
    def check(feeder, delimiter, place, form, write, word):
        own = form.startswith("\\") or delimiter != "EOF"  # (the fed shell's own substitution)
        # (A word the fed shell joins from its own substitution's output, `$(echo cl)aude`, is
        # the line's class, not this one: not read on the line either.)
        assume(not (own and "}a" in place or own and "l{" in place))
        # (A lookup of several names writes the paths of those found: which, not known.)
        assume(not (write.startswith(("which", "command")) and " " in word))
        body = _body(place, form, write, word)
        script = feeder.format(d=delimiter) + "\n" + body + "\nEOF\n"
        (tmp / "ran").unlink(missing_ok=True)  # (runs_claude's mark of the last example)
        ran, failed = runs_claude(script, tmp)
        assert failed == ran or not ran, script  # (the harness is the last command: it decides)
        found = severities(HEAD + script)
        if own:
            # (The fed shell's own substitution, not the feeding shell's: the line's class. Its
            # status there is not always read: `echo $(echo claude); claude -v` is a warning.)
            agrees(found, failed, ran, script)
        else:
            assert found == (["error"] if ran else []), (script, ran)

    check()


@pytest.mark.parametrize(
    ("body", "want"),
    [
        ("$(echo claude) -v", ["error"]),
        ("`echo claude` -v", ["error"]),
        ("$(which claude) -v", ["error"]),
        ("true && $(echo claude -v)", ["error"]),
        ("$(echo cl)aude -v", ["error"]),  # (joined into a word: the gates see it too)
        ("cl`echo -n aude` -v", ["error"]),
        ("echo $(echo claude) -v", []),
        ("$(echo echo) claude -v", []),
    ],
)
def test_the_named_bodies(body, want):
    assert severities(HEAD + "sh <<EOF\n" + body + "\nEOF\n") == want


@pytest.mark.parametrize("body", [_body(*p) for p in itertools.product(PLACES, FORMS, WRITES[:2], WORDS[:3])])
def test_on_and_off_differ_only_in_what_the_substitution_wrote(body):
    """FED_OUTPUT off blanks each substitution: the findings it gives are a part of those on."""
    script = HEAD + "sh <<EOF\n" + body + "\nEOF\n"
    with switched(["FED_OUTPUT"], True):
        on = severities(script)
    with switched(["FED_OUTPUT"], False):
        off = severities(script)
    assert off == [] or off == on, (body, on, off)
    assert shell.FED_OUTPUT
