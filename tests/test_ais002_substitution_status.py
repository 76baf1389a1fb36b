"""AIS002: a command of assignments only exits with its last command substitution's status
(issue 18, recall where the build surely fails).

`RUN x=$(claude -v)` fails: a command with no command name exits with the status of the last
command substitution it performed (POSIX; dash and bash alike), and claude is not found. The
status walk took a substitution's status as lost (a warning where the RUN surely fails). It now
walks the last substitution of such a command, where the command decides, as a subshell whose
failure is the command's (SUBST_STATUS, _StatusWalk._last_substitution): errexit goes into it
with dash, not with bash (which clears it in a command substitution).

Generated: the assignment command (the harness in its last substitution, not last, or where the
substitution's status is not the harness's) × errexit on or not × where the command stands × where
the script runs (the line, `sh -c`, `bash -c`, a fed heredoc, `RUN <<EOF`), each judged by dash
(tests/dash.py): an error only where the harness ran and the RUN failed, a finding wherever it
ran; recall (an error) for the cases that surely fail.
"""

import itertools

import pytest

from aishell import shell
from tests.chunks import chunked, each
from tests.dash import BASH_C, SH, judge, placed
from tests.dash import CONTEXTS as DASH_CONTEXTS
from tests.severities import severities

# The command; {h} is the harness call. ALWAYS: the harness's failure is the command's status;
# ERREXIT: only where errexit goes into the substitution (dash's `set -e`).
FORMS = {
    "x=$()": "x=$({h})",
    "backquotes": "x=`{h}`",
    "quoted": 'x="$({h})"',
    "then y=1": "x=$({h}) y=1",
    "after y=1": "y=1 x=$({h})",
    "last of two": "x=$(true) y=$({h})",
    "after true": "x=$(true; {h})",
    "piped into": "x=$(echo a | {h})",
    "&& list": "x=$({h} && true)",
    "then true": "x=$({h}; true)",
    "||": "x=$({h} || true)",
    "first of two": "x=$({h}) y=$(true)",
    "nested in echo": "x=$(echo $({h}))",
    "negated": "x=$(! {h})",
    "if": "x=$(if {h}; then :; fi)",
    "export": "export x=$({h})",
    "local word": "echo x=$({h})",
    "${:-}": "x=${{z:-$({h})}}",
    "redirected": "x=$({h}) >/dev/null",
    "+=": "x+=$({h})",
    "arithmetic after": "x=$({h}) y=$(( $(true) + 1 ))",
    "joined": "x=$({h})$(true)",
    "exit first": "x=$(exit 0; {h})",
    "a function": "claude() {{ :; }}; x=$({h})",
    "in a group": "x=$({{ true; {h}; }})",
    "in a subshell": "x=$( ( {h} ) )",
    "background": "x=$({h} &)",
    "while": "x=$(while {h}; do :; done)",
}
ALWAYS = {
    "x=$()",
    "backquotes",
    "quoted",
    "then y=1",
    "after y=1",
    "last of two",
    "after true",
    "piped into",
    "&& list",
    "in a group",
    "in a subshell",
}
ERREXIT = {"then true"}
OPTIONS = {"none": "{s}", "set -e": "set -e; {s}"}
PLACES = {
    "alone": "{c}",
    "then more": "{c}; echo done",
    "after &&": "true && {c}",
    "before &&": "{c} && echo done",
    "before ||": "{c} || echo done",
    "if": "if {c}; then echo y; fi",
    "negated": "! {c}; echo done",
    "subshell": "( {c} ); echo done",
    "piped": "{c} | cat",
}
DECIDES = {"alone", "after &&"}  # the command's failure fails the script, errexit or not
DECIDES_ERREXIT = {"then more", "subshell"}  # ... under errexit
CONTEXTS = {**DASH_CONTEXTS, **BASH_C}


def _cases():
    for form, option, place, context in itertools.product(FORMS, OPTIONS, PLACES, CONTEXTS):
        command = FORMS[form].format(h="claude -v")
        script = OPTIONS[option].format(s=PLACES[place].format(c=command))
        errexit = option == "set -e"
        decides = place in DECIDES or (errexit and place in DECIDES_ERREXIT)
        sure = decides and (form in ALWAYS or (form in ERREXIT and errexit and context != "bash -c"))
        key = f"{'sure' if sure else 'maybe'}|{form}|{option}|{place}|{context}"
        yield key, *placed(script, context, CONTEXTS)


CASES = list(_cases())


@pytest.mark.skipif(SH is None, reason="needs dash")
# (Checked 100 cases an item, each in its own folder, a failure naming its case: tests/chunks.py.)
@pytest.mark.parametrize("chunk", chunked([pytest.param(*c, id=c[0]) for c in CASES]))
def test_an_assignment_fails_with_its_last_substitution(tmp_path, chunk):
    each(
        chunk,
        lambda key, text, script, tmp: judge(
            key, text, script, tmp, "recall: the substitution's failure is the command's"
        ),
        tmp_path,
    )


def test_the_sure_cases_need_the_switch(monkeypatch):
    # Without SUBST_STATUS a substitution's commands decide nothing: the sure cases are warnings.
    monkeypatch.setattr(shell, "SUBST_STATUS", False)
    sure = [text for key, text, _ in CASES if key.startswith("sure|")]
    assert len(sure) > 100
    assert all("error" not in severities(text) for text in sure)
