"""A child shell's own variables, and the control forms whose harness surely runs and fails.

Issue 18, round thirteen: the reader that finds a RUN's commands read a nested script's
assignments (`sh -c '…'`, `bash -c`, a `$( )` body, eval's string) as values it may hold, the
status walk that decides an error as sure: `sh -c 'c=x; c=claude; y="$c"; $y -v'` was missed (two
values: no copy), so was `sh -c 'c=; $c claude -v'` (an empty value only read at the top level),
and `c=; $c $c claude -v` (the second `$c` read as a child's); a child's assignment held on for
the scripts read after it (`export c=echo; sh -c 'c=claude'; sh -c '$c -v'` was an error, and
runs no claude). Forms where dash surely runs the harness and fails were warnings: a `case` whose
plain word matches a plain pattern, `for c in claude; do $c -v; done`, `false || claude -v`.
The class: those forms and their controls (a pattern that does not match, `break`, a first command
that passes) × where they stand (the top level, `sh -c`, `bash -c`, a body fed to `sh`, a group,
`if true`, after `true;`, before `; true` under `set -e`, and where nothing is sure: a subshell,
a function, a loop, after `&&`, `||` or a test), judged by dash with stubs that record that a
harness ran and fail as "not found" does: a harness that runs must be found, an error must mean
the RUN fails and a harness ran, and where the form is sure and its place keeps it so, an error.
"""

import itertools

import pytest

from tests.dash import SH, agrees, outcome
from tests.severities import severities

HEAD = "FROM aishell:foundation\nRUN "
# (form, what is asked of it beyond the oracle's check: True, an error where its place keeps it
# sure (dash surely runs the harness and fails where the form ends the script); "warning", never
# an error (what runs depends on the environment: an ENV or the base image may set a variable
# the RUN did not); False, the oracle's check alone. No single quote in a form: each goes into
# `sh -c '…'` as it is.
FORMS = [
    ('c=x; c=claude; y="$c"; $y -v', True),
    ("c=claude; y=$c; $y -v", True),
    ("c=x; c=claude; $c -v", True),
    ('c=claude; y="$c"; c=true; $y -v', True),
    ('c=; c=claude; y="$c"; "$y" -v', True),
    ("c=; $c claude -v", True),
    ("c=; $c $c claude -v", True),
    ("c=; d=; $c $d claude -v", True),
    ("c=x; c=cl; ${c}aude -v", True),
    ("c=x; c=; ${c:-claude} -v", True),
    ("c=x; f() { c=cl; }; ${c}aude -v", False),
    ("c=; [ -f /nonexistent ] && d=; $c $d claude -v", "warning"),
    ('c=claude; c=true; y="$c"; $y claude', False),
    ("c=claude; c=; $c true", False),
    ('c=true; y="$c"; c=claude; $y claude', False),
    ("[ -f /nonexistent ] && c=; $c claude -v", "warning"),
    ("case x in x) claude -v;; esac", True),
    ("case x in y) true;; x|z) claude -v;; esac", True),
    ("case x in (y) true ;; (*) claude -v ;; esac", True),
    ("case x.y in *.y) claude -v;; esac", True),
    ("case x in y) claude -v;; esac", False),
    ("case x in x) true;; *) claude -v;; esac", False),
    ('case "$X" in x) claude -v;; esac', False),
    ("case x in [x]) claude -v;; esac", False),
    ("case x in y) true;; esac; claude -v", True),
    ("for c in claude; do $c -v; done", True),
    ("for c in claude; do :; done; $c -v", True),
    ("for c in claude; do break; $c -v; done", False),
    ("for c in claude true; do $c -v; done", False),
    ("for c in true claude; do $c -v; done", False),
    ("(for c in claude; do :; done); $c -v", False),
    ("false || claude -v", True),
    ("! true || claude -v", True),
    ("true && false || claude -v", True),
    ("false || true || claude -v", False),
    ("true || claude -v", False),
    ("false && claude -v", False),
    ("false() { :; }; false || claude -v", False),
]
# (where the form stands, whether a sure form stays sure there).
PLACES = [
    ("{}", True),
    ("sh -c '{}'", True),
    ("bash -c '{}'", True),
    ("sh <<'EOF'\n{}\nEOF", True),
    ("{{ {}; }}", True),
    ("if true; then {}; fi", True),
    ("true; {}", True),
    ("set -e; {}; true", True),
    ("export c=echo; sh -c '{}'; sh -c '$c -v'", False),
    ("( {} )", False),
    ("g() {{ {}; }}; g", False),
    ("for i in 1 2; do {}; done", False),
    ("{}; true", False),
    ("true && {}", False),
    ("[ -f /nonexistent ] || {}", False),
]


@pytest.mark.skipif(SH is None, reason="no /bin/sh")
@pytest.mark.parametrize("form,place", list(itertools.product(FORMS, PLACES)), ids=str)
def test_child_variables_and_control_forms(tmp_path, form, place):
    (body, sure), (around, keeps) = form, place
    script = around.format(body)
    found = severities(HEAD + script + "\n")
    fails, ran = outcome(script, tmp_path)
    agrees(found, fails, ran, script)
    if sure is True and keeps:
        assert found == ["error"], (script, found, fails, ran)
    elif sure == "warning":
        assert "error" not in found, (script, found, fails, ran)


# What the reader that finds the commands (aishell.shell.variable_values, which AIS003 reads too)
# holds at the last `$c`: a child shell's own assignments as the status walk holds them, sure at
# its top level, not in a function it defines, and not after it (the exported value, or the child's).
HELD = [
    ("sh -c 'c=x; c=claude; $c -v'", (["claude"], True)),
    ("sh -c 'c=x; [ -f /x ] || c=claude; $c -v'", (["x", "claude"], False)),
    ("sh -c 'c=x; f() { c=claude; }; $c -v'", (["x", "claude"], False)),
    ("export c=echo; sh -c 'c=claude'; sh -c '$c -v'", (["echo", "claude"], False)),
]


@pytest.mark.parametrize("line,held", HELD)
def test_what_the_reader_holds_in_a_child_shell(line, held):
    from aishell.model import parse
    from aishell.shell import variable_values

    text = f"FROM aishell:foundation\nRUN {line}\n"
    ins = parse(text).instructions[1]
    assert variable_values(ins)[text.rindex("$c")]["c"] == held, line


def test_a_name_joined_with_one_of_several_values_is_not_sure():
    """`c=cl; if [ -f /x ]; then c=x; fi; ${c}aude -v`: `claude` or `xaude`, neither surely:
    the expansion's span is among the unsure names."""
    from aishell.model import parse
    from aishell.shell import analyse_run

    text = "FROM aishell:foundation\nRUN c=cl; if [ -f /x ]; then c=x; fi; ${c}aude -v\n"
    script = analyse_run(parse(text).instructions[1])
    assert [c.argv[0] for c in script.commands if c.name == "claude"] == ["claude"]
    start = text.index("${c}")
    assert (start, start + len("${c}aude")) in (script.unsure_names or []), script.unsure_names
