"""bash's syntax in a script dash runs: refused, or read otherwise (AIS002 precision).

Issue 18, round twelve (r70): a RUN's default SHELL is `/bin/sh -c`, dash on Debian, which refuses
`claude -v <<< x`, `a=(claude)`, `claude -v |& cat`, `diff <(echo) f` as syntax errors (the line,
and all after it, runs nothing), stops at `${x/a/b}`, `${a[0]}`, `${x:1}`, `${x,,}`, `${!x}` with
"Bad substitution" (the shell ends), and runs `[[` as a command that is not found (`[[ -d / ]] &&
claude -v` runs no claude); `timeout 5 ( claude -v )` neither shell takes. Each was an error. Now
a script that dash (or a `sh`, which may be dash) runs with any of them decides nothing: a warning
at most; under `SHELL ["/bin/bash", "-c"]`, in `bash -c '…'` or a body fed to bash, bash's reading
applies and the error stays where bash runs the harness and fails. `claude -v &> log` is read as
dash reads it (`claude -v &`, then `> log`: the status is lost), and so is `$'claude'` (`$claude`).
The class: the forms × where they are (the RUN's line, `sh -c`, `bash -c`, a body fed to sh or
bash, a function, a condition, under `set -e`) × the SHELL, judged by the shell that runs the RUN.
"""

import itertools
import shutil

import pytest

from tests.chunks import chunked, each
from tests.dash import SH, outcome
from tests.severities import severities

BASH = shutil.which("bash")
HEADS = {None: "FROM aishell:foundation\nRUN ", "bash": 'FROM aishell:foundation\nSHELL ["/bin/bash", "-c"]\nRUN '}
FORMS = [
    "claude -v <<< x",
    "claude -v 0<<< x",
    "timeout 5 ( claude -v )",
    "[[ -d / ]] && claude -v",
    "[[ -f /nowhere ]] || claude -v",
    "if [[ -d / ]]; then claude -v; fi",
    "a=(claude); ${a[0]} -v",
    "a=(x); claude -v",
    "declare -a a=(x); claude -v",
    "claude -v |& cat",
    "cat <(echo) > /dev/null; claude -v",
    "echo ${x/a/b}; claude -v",
    "echo ${x,,}; claude -v",
    "x=${y:1}; claude -v",
    "echo ${#a[@]}; claude -v",
    "echo $(a=(x)); claude -v",
    "claude -v; echo ${x^^}",
    "function f { claude -v; }; f",
    "claude -v &> /dev/null",
    "$'claude' -v",
    "coproc claude -v",
    # POSIX forms near them, which dash runs as bash does:
    "echo ${x:-a}; claude -v",
    "echo ${#x} ${x%a} ${x#a}; claude -v",
    "echo '<<<' '[[' 'a=(x)' '${x/a/b}'; claude -v",
    "(claude -v)",
    "echo [[; claude -v",
]
CONTEXTS = [
    "{s}",
    "set -e; {s}",
    "sh -c '{s}'",
    "bash -c '{s}'",
    "sh <<'EOF'\n{s}\nEOF\n",
    "bash <<'EOF'\n{s}\nEOF\n",
    "f() {{ {s}; }}; f",
    "if true; then {s}; fi",
    "{{ {s}; }}",
    "true; {{ {s}; }}",
    'f() {{ {s}; }}; f "$1"',
]


@pytest.mark.skipif(SH is None or BASH is None, reason="needs dash and bash")
# (Checked 100 cases an item, each in its own folder, a failure naming its case: tests/chunks.py.)
@pytest.mark.parametrize("chunk", chunked(list(itertools.product(HEADS, FORMS, CONTEXTS))))
def test_bash_syntax_is_judged_by_the_shell_that_reads_it(tmp_path, chunk):
    each(chunk, _judged_by_the_shell_that_reads_it, tmp_path)


def _judged_by_the_shell_that_reads_it(shell, form, context, tmp_path):
    script = context.format(s=form)
    found = severities(HEADS[shell] + script)
    fails, ran = outcome(script, tmp_path, shell=BASH if shell else None)
    assert "error" not in found or (fails and ran), (shell, script, found)
    assert found or not ran or form in BASH_UNREAD, (shell, script, found)


# bash's own ways to run a command that the reader does not follow (a recall gap, where bash runs
# the script; dash runs none of them): an array's element. (A `function NAME {` definition: r77.)
BASH_UNREAD = {"a=(claude); ${a[0]} -v"}


# Where bash runs the RUN's line, or the script, bash's reading: the harness runs and fails.
BASH_ERRORS = ["claude -v <<< x", "[[ -d / ]] && claude -v", "a=(x); claude -v", "echo ${x/a/b}; claude -v"]


@pytest.mark.skipif(SH is None or BASH is None, reason="needs dash and bash")
@pytest.mark.parametrize("form", BASH_ERRORS)
def test_under_bash_they_stay_errors(tmp_path, form):
    for head, script in (
        (HEADS["bash"], form),
        (HEADS[None], f"bash -c '{form}'"),
        (HEADS[None], f"bash <<'EOF'\n{form}\nEOF\n"),
        (HEADS[None] + "<<EOF\n#!/bin/bash\n", f"{form}\nEOF\n"),
    ):
        assert severities(head + script) == ["error"], (head, script)


# A compound command's list may not be empty: dash and bash refuse `( )`, `{ }`, `then fi`, `do
# done`, `f() { }` as syntax errors (nothing of the line runs), and a `;` with no command before it
# (`; x`, `true; ; x`, `y) ; esac`). The walk read them as lists that run nothing, so the harness
# after them was an error (session 52; found by
# tests/test_ais002_scopes.py's fuzz). Generated: each compound × its list empty (nothing, `;`, a
# newline) or not (`:;`) × the harness before, after or inside it × where the script runs.
COMPOUNDS = [
    "( {b} )",
    "{{ {b} }}",
    "if true; then {b} fi",
    "if {b} then :; fi",
    "if false; then :; else {b} fi",
    "if false; then :; elif {b} then :; fi",
    "while {b} do break; done",
    "until {b} do break; done",
    "while false; do {b} done",
    "for x in a; do {b} done",
    "f() {{ {b} }}",
    "f() ( {b} )",
    # A `;` with no command before it is one too; an empty `case` item is not.
    "case y in y) {b} esac",
    "true; {b} true",
    "{b} true",
    "true & {b} true",
]
LISTS = {"empty": "", ";": ";", "newline": "\n", "filled": ":;", "harness": "claude -v;"}
AROUND = {"after": "{c}; claude -v", "before": "true; {c}", "set -e, after": "set -e; {c}; claude -v"}
WHERE = {"line": "{s}", "fed": "sh <<'EOF'\n{s}\nEOF\n", "bash -c": "bash -c '{s}'"}


@pytest.mark.skipif(SH is None or BASH is None, reason="needs dash and bash")
@pytest.mark.parametrize(
    "compound,body,around,where",
    [c for c in itertools.product(COMPOUNDS, LISTS, AROUND, WHERE) if c[1] != "newline" or c[3] == "fed"],
)
def test_an_empty_compound_list_runs_nothing(tmp_path, compound, body, around, where):
    script = WHERE[where].format(s=AROUND[around].format(c=compound.format(b=LISTS[body])))
    found = severities(HEADS[None] + script)
    fails, ran = outcome(script, tmp_path)
    assert "error" not in found or (fails and ran), (script, found, fails, ran)
    assert found or not ran, (script, found, fails, ran)
