"""AIS002 recall: a function called from a script that runs in the same shell or a subshell.

`f() { "$1" -v; }; x=$(f claude)` runs claude: a command substitution, eval's string, a value read
as a command (`c=f; $c claude`) and a trap's action run in the shell that defined the function (or
a subshell of it, which has its functions), and so does a file or stdin `.` runs. The reader read each such script with no functions,
so the call named nothing and the harness had no finding at all (a miss on 087d379; found by
tests/test_ais002_caller_errexit.py's oracle). It now gives each the functions defined before it
that it names (all of them, when it holds an expansion and they are few): CARRY_FUNCTIONS.

Generated: a function reading its parameters (or its body naming the harness) × the script it is
called from × where the RUN's script runs (the line, `sh -c`, a fed heredoc, `RUN <<EOF`), judged
by dash (tests/dash.py): an error only where the harness ran and the RUN failed, a finding
wherever it ran. Its precision side: the function defined after the call, removed before it, or
called from a new shell (`sh -c 'f claude'`, `sh d.sh`, which have no functions).
"""

import itertools

import pytest

from aishell import shell
from tests.dash import CONTEXTS, SH, agrees, outcome, placed
from tests.severities import severities

DEFINITIONS = {
    "param": ('f() { "$1" -v; }', "f claude"),
    "params": ('f() { "$@"; }', "f claude -v"),
    "second": ('f() { shift; "$1" -v; }', "f x claude"),
    "through g": ('g() { "$1" -v; }; f() { g "$1"; }', "f claude"),
}
# {c}: the call. Each runs it in this shell or a subshell of it.
CALLED_FROM = {
    "$( ) assigned": "x=$({c})",
    "$( ) assigned, more": "x=$({c}); echo done",
    "$( ) argument": "echo $({c})",
    "$( ) quoted": 'echo "$({c})"',
    "backquotes": "echo `{c}`",
    "eval string": 'eval "{c}"',
    "eval words": "eval {c}",
    "eval value": "c='{c}'; eval $c",
    "value": "c='{c}'; $c",
    "trap": "trap '{c}' EXIT",
    # A file it wrote, or its stdin, run by `.` (this shell).
    ". file echoed": "echo '{c}' > d.sh; . ./d.sh",
    ". file of a heredoc": "cat > d.sh <<'X' && . ./d.sh\n{c}\nX\n",
    ". file of an unquoted heredoc": "cat > d.sh <<X && . ./d.sh\n{c}\nX\n",
    ". /dev/stdin": ". /dev/stdin <<'X'\n{c}\nX\n",
}
# Where it calls nothing that runs the harness: no error (the oracle judges).
NOT_CALLED = {
    "defined after": "{call}; {d}",
    "unset before": "{d}; unset -f f; {call}",
    "new shell": "{d}; sh -c '{c}'",
    "file run by sh": "{d}; echo '{c}' > d.sh; sh d.sh",
}


def _cases():
    for (dname, (definition, call)), (where, form), cname in itertools.product(
        DEFINITIONS.items(), CALLED_FROM.items(), CONTEXTS
    ):
        script = f"{definition}; {form.format(c=call)}"
        if cname == "sh -c" and ("'" in script or "\n" in script):
            continue  # (its own quotes would end the string: another case)
        yield f"called|{dname}|{where}|{cname}", *placed(script, cname)
    for (dname, (definition, call)), (how, form), cname in itertools.product(
        DEFINITIONS.items(), NOT_CALLED.items(), CONTEXTS
    ):
        script = form.format(d=definition, c=call, call=f"x=$({call})")
        if cname == "sh -c" and "'" in script:
            continue
        yield f"maybe|{dname}|{how}|{cname}", *placed(script, cname)


CASES = list(_cases())


@pytest.mark.skipif(SH is None, reason="needs dash")
@pytest.mark.parametrize("key,text,script", CASES, ids=[c[0] for c in CASES])
def test_functions_seen_by_scripts_run_in_the_same_shell(tmp_path, key, text, script):
    found = severities(text)
    fails, ran = outcome(script, tmp_path, cwd=tmp_path)
    agrees(found, fails, ran, key)
    if key.startswith("called|"):
        assert ran, ("each generated call runs the harness", key)


def test_the_called_cases_need_the_switch(monkeypatch):
    # Without CARRY_FUNCTIONS the scripts see no function: most calls give no finding at all.
    monkeypatch.setattr(shell, "CARRY_FUNCTIONS", False)
    called = [text for key, text, _ in CASES if key.startswith("called|")]
    missed = [text for text in called if not severities(text)]
    assert len(missed) >= len(called) // 2, (len(missed), len(called))
