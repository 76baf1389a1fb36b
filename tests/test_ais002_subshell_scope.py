"""A subshell's `set --` and assignments are its own, and so are a pipeline's commands'.

Issue 18, round eleven: `(set -- claude); "$@"` and `(c=claude); $c -v` were warnings, though
the parameters and variables a subshell sets are gone at its `)`: dash runs nothing there; so
was `echo claude | read c; $c -v` (each command of a pipeline runs in a subshell). The class: a
`set --`, an assignment or a `read` in a subshell (nested, after other commands, in an and-or
list), a pipeline's command or a `{ }` group (not a subshell), a use after it, inside it or in
a subshell nested in it, after parameters or a variable set before; judged by dash with stubs that record that a
harness ran and fail as "not found" does: a harness that runs must be found, an error must mean
the RUN fails and a harness ran, and nothing may be found where no harness runs.
"""

import itertools

import pytest

from tests.chunks import chunked, each
from tests.dash import SH, agrees, outcome
from tests.severities import severities
from tests.sweep import sample

HEAD = "FROM aishell:foundation\nRUN "
BEFORE = ["", "set -- true; ", "c=true; "]
STEPS = ["set -- claude", "set -- claude -v", "c=claude", "c='claude -v'", "export c=claude", "echo claude | read c"]
FORMS = [
    "({s}); {u}",
    "( {s} ); {u}",
    "({s}; true); {u}",
    "(true; {s}); {u}",
    "( ({s}) ); {u}",
    "({s}) && {u}",
    "({s}; {u})",
    "( ({s}); {u} )",
    "({s}; ({u}))",
    "{{ {s}; }}; {u}",
    "{s} | true; {u}",
    "true | {s}; {u}",
    "true | ({s}); {u}",
    "true | {{ {s}; }}; {u}",
    "true | {{ {s}; {u}; }}",
    "true | {s} | true && {u}",
    "{{ true | {s}; }}; {u}",
    "echo claude | {{ read c; {u}; }}",
    "echo claude | while read c; do {u}; done",
]
USES = ['"$@"', "$1 -v", '"$@" -v', "$c -v", "${c}"]


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
# (Checked 100 cases an item, each in its own folder, a failure naming its case: tests/chunks.py.)
@pytest.mark.parametrize("chunk", chunked(sample(itertools.product(BEFORE, STEPS, FORMS, USES), 600, "subshell scope")))
def test_a_subshell_keeps_its_own(tmp_path, chunk):
    each(chunk, _keeps_its_own, tmp_path)


def _keeps_its_own(before, step, form, use, tmp_path):
    script = before + form.format(s=step, u=use)
    found = severities(HEAD + script + "\n")
    fails, ran = outcome(script, tmp_path)
    agrees(found, fails, ran, script)
    assert not found or ran, (script, found)  # (and no false warning: the scope is known)
