"""AIS002 recall, three more classes (issue 18, "Parser and recall gaps"), each generated over its
dimensions, with the severity the build decides (an error only where the RUN surely fails):

- A harness's entry file under `$(npm root -g)` (`node $(npm root -g)/@anthropic-ai/claude-code/
  cli.js`, backticks, quoted, `--global`, `--location=global`): what `npm i -g` installs there,
  judged as the same file under /usr/local/lib/node_modules is (test_ais002_recall.py).
- GNU `parallel ::: CMD…` with no command after its options: each argument is a command line it
  runs (a warning, as `parallel claude ::: a` is: which runs, and its status, are not sure).
- A shell function named after the harness, then `unset` (`claude() { :; }; unset -f claude;
  claude -v`): the harness runs, if the `unset` did: a warning (was nothing); `unset -v` names a
  variable, a function defined again after it is the function.
"""

from __future__ import annotations

import itertools

import pytest

from aishell.harness import HARNESSES
from aishell.lint import Options, lint_text

EXES = [h.executables[0] for h in HARNESSES]


def _findings(text):
    fs = lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings
    return sorted((f.severity, text[f.start : f.end]) for f in fs)


# -- under $(npm root -g) ----------------------------------------------------------------------
ROOTS = [
    "$(npm root -g)/{}",
    '"$(npm root -g)/{}"',
    "`npm root -g`/{}",
    "$(npm -g root)/{}",
    "$( npm root --global )/{}",
    "$(npm root --location=global)/{}",
]
RUNNERS = ["node {}", "node {} -v", "node --no-warnings {} --version", "bun {}", "deno run -A {}"]
TAILS = ["/cli.js", "/bin/run.js", ""]


@pytest.mark.parametrize(("root", "runner"), list(itertools.product(ROOTS, RUNNERS)))
@pytest.mark.parametrize("copied", [False, True])
def test_an_entry_file_under_npm_root_is_the_global_one(root, runner, copied):
    head = "FROM aishell:foundation\n" + ("COPY . /app\n" if copied else "")
    for h, tail in itertools.product(HARNESSES, TAILS):
        path = h.npm_package + tail
        text = head + "RUN " + runner.format(root.format(path)) + "\n"
        literal = head + "RUN " + runner.format("/usr/local/lib/node_modules/" + path) + "\n"
        assert _findings(text) == _findings(literal), text
        installed = f"FROM node:24\nRUN npm i -g {h.npm_package}\nRUN " + runner.format(root.format(path)) + "\n"
        assert _findings(installed) == [], installed


@pytest.mark.parametrize("root", ["$(npm root)/{}", "$(npm root -g)/other/{}", "$(npm root -g){}"])
def test_other_paths_are_not_the_global_entry_file(root):
    for h in HARNESSES:
        text = "FROM aishell:foundation\nRUN node " + root.format(h.npm_package + "/cli.js") + "\n"
        assert ("error", "node") not in _findings(text), text


# -- parallel ::: CMD… --------------------------------------------------------------------------
@pytest.mark.parametrize("options", ["", "-j 2 ", "--jobs=2 -k ", "-j2 --halt now "])
@pytest.mark.parametrize(
    "form", ["::: {}", '::: "{} -v"', "::: true {}", "::: {} ::: -v", ":::+ {}", "::: '{} --version' x"]
)
@pytest.mark.parametrize("errexit", ["", "set -e; "])
def test_parallel_runs_each_argument_as_a_command(options, form, errexit):
    for exe in EXES:
        text = f"FROM aishell:foundation\nRUN {errexit}parallel {options}{form.format(exe)}\n"
        assert _findings(text) == [("warning", exe)], text


@pytest.mark.parametrize(
    "line", ["parallel ::: true", "parallel echo ::: {}", "parallel --dry-run ::: {}", "parallel ::: x ::: {}"]
)
def test_parallel_that_runs_no_harness(line):
    for exe in EXES:
        text = f"FROM aishell:foundation\nRUN {line.format(exe)}\n"
        assert _findings(text) == [], text


# -- a shell function of the harness's name, unset ---------------------------------------------
DEFINITIONS = ["{}() {{ :; }}", "function {} {{ true; }}", "{} () {{ echo hi; }}"]
UNSETS = [("unset -f {}", "warning"), ("unset {}", "warning"), ("unset -v {}", None), ("unset -f other", None)]


@pytest.mark.parametrize("definition", DEFINITIONS)
@pytest.mark.parametrize(("unset", "severity"), UNSETS)
@pytest.mark.parametrize("errexit", ["", "set -e; "])
@pytest.mark.parametrize("between", ["; ", " && ", "; [ -f /x ] && "])
def test_a_harness_function_unset_runs_the_harness(definition, unset, severity, errexit, between):
    for exe in EXES:
        text = f"FROM aishell:foundation\nRUN {errexit}{definition.format(exe)}{between}{unset.format(exe)}; {exe} -v\n"
        assert _findings(text) == ([(severity, exe)] if severity else []), text
        again = f"FROM aishell:foundation\nRUN {definition.format(exe)}; {unset.format(exe)}; {definition.format(exe)}; {exe} -v\n"
        assert _findings(again) == [], again  # (defined again: the function runs)


def test_unset_without_a_function_keeps_the_error():
    for exe in EXES:
        text = f"FROM aishell:foundation\nRUN unset -f {exe}; {exe} -v\n"
        assert _findings(text) == [("error", exe)], text
