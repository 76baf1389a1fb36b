"""A shell started with options it does not have runs nothing (AIS002 precision).

`bash --posixx -c 'claude -v'`, `dash -o pipefail -c 'claude -v'`, `bash -e --posix -c …` (bash
reads long options only before the short ones), `bash -O nosuch -c …` are usage errors (exit 2)
before any script is read; `bash -D -c …` and `--dump-strings` print the script's strings and run
nothing. Each was an AIS002 error, which blocks the build for a harness that never runs. The class:
any option words before the script of `sh`/`dash`/`bash`, the script given by `-c` or on stdin.
The oracles are the shells themselves: the grammar tables (shell.SHELL_GRAMMARS) are compared with
what the installed dash and bash list and accept, and generated command lines with what they do.
"""

import shlex
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aishell.shell import SHELL_GRAMMARS, shell_refuses
from tests.dash import agrees, outcome
from tests.severities import severities

BASH = shutil.which("bash")
DASH = shutil.which("dash")
LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1)] + [chr(c) for c in range(ord("A"), ord("Z") + 1)]


def _run(argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=10, stdin=subprocess.DEVNULL, env={"PATH": "/usr/bin:/bin"}
    )


def _listed(shell: str, command: str) -> set[str]:
    return {line.split()[0] for line in _run([shell, "-c", command]).stdout.splitlines() if line.split()}


@pytest.mark.skipif(BASH is None or DASH is None, reason="needs the real dash and bash")
def test_grammars_are_the_installed_shells():
    """The `-o` names, bash's shopt names and long options are those the shells list, and each
    letter is taken, refused or runs nothing as the shell does it (`SHELL -X -c 'echo RAN'`)."""
    dash, bash = SHELL_GRAMMARS["dash"], SHELL_GRAMMARS["bash"]
    assert _listed(DASH, "set -o") - {"Current"} == dash.names
    assert _listed(BASH, "set -o") == bash.names
    assert _listed(BASH, "shopt") == bash.shopts
    help_text = _run([BASH, "--help"]).stdout
    longs = help_text.split("GNU long options:")[1].split("Shell options:")[0].split()
    assert set(longs) == bash.long
    for path, grammar in ((DASH, dash), (BASH, bash)):
        for letter in LETTERS:
            if letter in "oO":
                continue  # (they take a name: below)
            run = _run([path, "-" + letter, "-c", "echo RAN"])
            if letter not in grammar.short:
                want = "refused"
            elif letter in grammar.nothing_short or letter == "n":
                want = "nothing"
            else:
                want = "ran"
            got = "ran" if "RAN" in run.stdout else "refused" if run.returncode == 2 else "nothing"
            assert got == want, (path, letter, run)


# Option words to draw: taken and refused letters (alone and in clusters), `-o`/`-O` with a name
# each shell has or not, long options bash has or not (abbreviations too), `--`. Not `-l`/`--login`:
# a login shell's /etc/profile sets PATH again, so the stub harness is not found there (the
# harness is not in the image either: the RUN fails all the same).
OPTION_WORDS = [
    "-e",
    "+e",
    "-x",
    "-u",
    "-eu",
    "-xv",
    "-k",
    "-h",
    "-B",
    "-T",
    "-D",
    "-q",
    "-j",
    "-ek",
    "-eq",
    "-n",
    "-o errexit",
    "-o pipefail",
    "-o posix",
    "-o nolog",
    "-o debug",
    "-o nosuch",
    "+o errexit",
    "-O extglob",
    "-O nosuch",
    "+O nullglob",
    "--posix",
    "--norc",
    "--noprofile",
    "--rcfile /dev/null",
    "--dump-strings",
    "--pos",
    "--nosuch",
    "--verbose",
    "--pretty-print",
    "-oerrexit",
    "-Oextglob",
    "-eo",
    "--",
]


@st.composite
def lines(draw):
    shell = draw(st.sampled_from(["sh", "dash", "bash"]))
    words = draw(st.lists(st.sampled_from(OPTION_WORDS), max_size=3))
    form = draw(st.sampled_from(["-c before", "-c after", "stdin"]))
    if form == "stdin":
        return f"{shell} {' '.join(words)} <<EOF\nclaude -v\nEOF"
    opts = ["-c", *words] if form == "-c after" else [*words, "-c"]
    return f"{shell} {' '.join(opts)} {shlex.quote('claude -v')}"


@pytest.mark.skipif(BASH is None or DASH is None, reason="needs the real dash and bash")
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=lines())
def test_shell_options_read_as_the_shells_read_them(tmp_path, line):
    """An AIS002 error means the shell ran the harness and the RUN failed; a harness the shell
    ran is reported. (`sh` is dash here; in an image whose sh is another shell, an option dash
    refuses may be taken: a warning at most.)"""
    text = "FROM aishell:foundation\nRUN " + line + "\n"
    found = severities(text)
    fails, ran = outcome(line, tmp_path)
    agrees(found, fails, ran, text)


@pytest.mark.parametrize(
    "line,want",
    [
        ("bash --posixx -c 'claude -v'", []),
        ("bash -e --posix -c 'claude -v'", []),
        ("bash -D -c 'claude -v'", []),
        ("bash --dump-strings <<EOF\nclaude -v\nEOF", []),
        ("dash -o pipefail -c 'claude -v'", []),
        ("bash -O nosuch -c 'claude -v'", []),
        ("sh -o pipefail -c 'claude -v'", ["warning"]),  # (busybox's sh takes it)
        ("sh -k <<EOF\nclaude -v\nEOF", ["warning"]),
        ("bash -o pipefail -c 'claude -v'", ["error"]),
        ("bash --posix -O extglob -c 'claude -v'", ["error"]),
        ("bash --rcfile /dev/null -c 'claude -v'", ["error"]),
        ("sh -c -e 'claude -v'", ["error"]),
        ("dash -oerrexit <<EOF\nclaude -v\nEOF", []),  # (`-o` takes no name here; `r` is refused)
        ("bash -o <<EOF\nclaude -v\nEOF", ["warning"]),  # (it lists the options, then runs it)
        ("bash --pretty-print <<EOF\nclaude -v\nEOF", ["warning"]),  # (prints it, runs none)
    ],
)
def test_examples(line, want):
    assert severities("FROM aishell:foundation\nRUN " + line + "\n") == want


@given(
    name=st.sampled_from(["sh", "dash", "bash", "zsh"]),
    args=st.lists(st.sampled_from([w for words in OPTION_WORDS for w in words.split()] + ["$O", "x"]), max_size=5),
)
def test_refused_only_for_known_shells_and_never_for_an_expansion(name, args):
    """zsh's options are not known (never refused); an expansion among the options may be any:
    never refused either; `sh` is refused only as may be (None)."""
    got = shell_refuses(name, args)
    if name == "zsh" or (args and "$" in args[0]):
        assert got is False
    if name == "sh":
        assert got is not True
