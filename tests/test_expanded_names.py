"""A command named by an expansion runs what the expansion holds (issue 18: recall of AIS002, and
an error only where the RUN fails).

`c=claude; $c -v`, `"${c}"`, `export c=…` then `sh -c '$c'`, `for c in …; do $c; done`, `set --
claude; "$@"`, `sh -c 'exec "$@"' _ claude`, `$(echo claude) -v`: the shell expands the name
first. Generated: assignments (plain, quoted, exported, in a subshell, behind `||`, overwritten)
x uses (bare, quoted, braced, through a wrapper, a child shell, `$( )`, after `||`) and the
positional and substitution forms, each run by dash with a fake `claude` on PATH that leaves a
mark and fails. AIS002 reports the harness when it ran; never an error where it did not run or the
RUN passed; and an error where a plain assignment and a plain use made the RUN fail.
"""

from __future__ import annotations


import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.lint import Options, lint_text
from tests.dash import SH, runs_claude

pytestmark = pytest.mark.skipif(SH is None, reason="needs a POSIX shell")

# (assignment, whether it surely leaves c=claude where the use is)
ASSIGNS = [
    ("c=claude", True),
    ("c='claude'", True),
    ('c="claude"', True),
    ("export c=claude", True),
    ("readonly c=claude", True),
    ("true && c=claude", True),
    ("x=1 c=claude", True),
    ("c=claude; c=true", False),
    ("c=true", False),
    ("(c=claude)", False),
    ("true || c=claude", False),
    ('if [ -n "$NOPE" ]; then c=claude; else c=true; fi', False),
    ("c='claude -v'", False),
    ("c=$(echo claude)", True),
    ('c="$(printf claude)"', True),
    ("c=`echo claude`", True),
    ("b=claude; c=$b", True),
    ('b=claude; c="${b}"; b=true', True),
    ("c=$(echo true)", False),  # (`$c` splits it and runs claude; `"$c"` runs the command `claude -v`)
    ("c=claude; (c=true)", False),  # (c stays claude, but a subshell's assignment is read as a maybe: a warning)
]
USES = [
    ("$c -v", True),
    ('"$c" -v', True),
    ("${c} -v", True),
    ('"${c}" --version', True),
    ("env $c -v", True),
    ("command $c -v", True),
    ("$c -v || true", False),
    ("x=$($c -v)", False),
    ("echo $c", False),
    ("sh -c '$c -v'", False),
    ("$c -v; echo done", False),
]
WHOLE = [
    ('set -- claude -v; "$@"', True),
    ("set -- claude; $1 -v", True),
    ("sh -c '\"$@\"' _ claude -v", True),
    ("sh -c 'exec \"$0\" -v' claude", True),
    ("bash -c '$1 -v' _ claude", True),
    ("sh -c 'echo \"$@\"' _ claude", False),
    ('set -- claude -v; "$*"', False),
    ("c='claude -v'; \"$c\"", False),
    ("c='claude -v'; $c", True),
    ("c=$(echo claude); $c -v", True),
    ("b=claude; c=$b; $c -v", True),
    ("set -- claude -v; $*", True),
    ('set -- claude; "$*" -v', True),
    ("$(echo claude) -v", True),
    ("`printf claude` -v", True),
    ('"$(echo claude)" -v', True),
    ("$(echo echo) claude", False),
    ("for c in true claude; do $c -v; done", False),
    ("for c in claude true; do $c -v; done", False),
    ("for c in a b; do echo $c; done; claude2=x", False),
]


def _run(script: str, tmp) -> tuple[bool, bool]:
    return runs_claude(script, tmp, ())


def _check(script: str, tmp, plain: bool) -> None:
    text = f"FROM aishell:foundation\nRUN {script}\n"
    ran, failed = _run(script, tmp)
    findings = lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings
    severities = [f.severity for f in findings]
    if ran:
        assert len(findings) == 1, (text, findings)
    else:
        assert "error" not in severities, (text, findings)
    if "error" in severities:
        assert failed, (text, findings)
    if ran and failed and plain:
        assert severities == ["error"], (text, findings)


@settings(max_examples=90, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(ASSIGNS), st.sampled_from(USES), st.sampled_from(["; ", " && ", "\n"]))
def test_a_variable_named_command_runs_its_value(tmp_path_factory, assign, use, sep):
    (a, sure), (u, plain_use) = assign, use
    if sep == "\n":
        script = f"<<EOF\n{a}\n{u}\nEOF"
        body = f"{a}\n{u}\n"
        text_script = body
    else:
        script = text_script = f"{a}{sep}{u}"
    tmp = tmp_path_factory.mktemp("v")
    if sep == "\n":
        # (`RUN <<EOF`: the body is the script)
        ran, failed = _run(text_script, tmp)
        text = f"FROM aishell:foundation\nRUN {script}\n"
        findings = lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings
        severities = [f.severity for f in findings]
        assert (len(findings) == 1) if ran else ("error" not in severities), (text, findings)
        if "error" in severities:
            assert failed, (text, findings)
        return
    _check(script, tmp, sure and plain_use)


@pytest.mark.parametrize("script, plain", WHOLE)
def test_positional_parameters_and_substitutions_name_the_command(tmp_path, script, plain):
    _check(script, tmp_path, plain)


ALIASES = [
    "alias c=claude\nc -v",
    "alias c='claude -v'\nc",
    "alias c=claude\nsudo_=1 c --version",
    "alias c=claude; c -v",
    "alias c=echo\nc claude",
    "alias ll='ls -l'\nll /",
    "alias c=claude\nunalias c 2>/dev/null; true",
]


@pytest.mark.parametrize("body", ALIASES)
def test_an_alias_may_run_its_value(tmp_path, body):
    """dash expands an alias defined on an earlier line of the script (bash does not, in a script):
    a harness it names is reported where dash ran it, as a warning (the shell decides); never an
    error."""
    ran, _failed = _run(body, tmp_path)
    text = f"FROM aishell:foundation\nRUN <<EOF\n{body}\nEOF\n"
    findings = lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings
    severities = [f.severity for f in findings]
    if ran:
        assert severities == ["warning"], (text, findings)
    else:
        assert severities in ([], ["warning"]), (text, findings)
