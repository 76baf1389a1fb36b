"""AIS002 recall, by class (issue 18, red team d11): a harness run under a name the shell builds
or looks up, generated over its dimensions, with the severity the build decides (an error only
where the RUN surely fails):

- A name joined from text and variables the RUN assigned (`c=cl; ${c}aude`, `$a$b`, `$c"aude"`):
  an error where each variable surely holds its one value, else a warning.
- A lookup's output run as the command (`$(which claude) -v`, `$(command -v claude)`, bash's
  `$(type -P claude)`): what it prints is the harness's path, or nothing (then the next word is
  the command, which fails too).
- GNU parallel (`parallel claude ::: a`): a warning (no `:::`, it runs per input line, maybe
  none; moreutils' `parallel` reads its words otherwise).
"""

from __future__ import annotations

import itertools

import pytest

from aishell.harness import HARNESSES
from aishell.lint import Options, lint_text


def _findings(text):
    fs = lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings
    return sorted((f.severity, text[f.start : f.end]) for f in fs)


def _splits(name):
    return [(name[:k], name[k:]) for k in range(1, len(name))]


REFS = ["${{{}}}", "${}"]  # how the first piece is referenced
CONTEXTS = [("RUN {} -v\n", "error"), ("RUN set -e; {} -v; echo ok\n", "error"), ("RUN {} -v || true\n", "warning")]


@pytest.mark.parametrize(
    ("exe", "ref", "context"),
    list(itertools.product([h.executables[0] for h in HARNESSES], REFS, CONTEXTS)),
)
def test_a_name_joined_from_a_variable(exe, ref, context):
    template, severity = context
    for head, tail in _splits(exe):
        word = ref.format("c") + tail if ref == "${{{}}}" else "$c" + f'"{tail}"'
        text = f"FROM aishell:foundation\nRUN c={head}; " + template.format(word)[4:]
        assert _findings(text) == [(severity, word)], text
        # Two variables joined, and a value the RUN may not have assigned (a warning at most).
        both = f"FROM aishell:foundation\nRUN a={head}; b={tail}; " + template.format("$a$b")[4:]
        assert _findings(both) == [(severity, "$a$b")], both
        maybe = f"FROM aishell:foundation\nRUN if [ -f x ]; then c={head}; fi; " + template.format(word)[4:]
        assert _findings(maybe) == [("warning", word)], maybe


@pytest.mark.parametrize("exe", [h.executables[0] for h in HARNESSES])
def test_a_joined_name_of_no_harness(exe):
    head = exe[:2]
    assert _findings(f"FROM aishell:foundation\nRUN c={head}; ${{c}}x -v\n") == []


LOOKUPS = ["which {}", "which -a {}", "command -v {}", "command -pv {}", "type -P {}", "type -p {}"]


@pytest.mark.parametrize(
    ("exe", "lookup", "quoted", "context"),
    list(itertools.product([h.executables[0] for h in HARNESSES], LOOKUPS, [False, True], CONTEXTS)),
)
def test_a_lookups_output_run(exe, lookup, quoted, context):
    template, severity = context
    word = "$(" + lookup.format(exe) + ")"
    if quoted:
        word = f'"{word}"'
    text = "FROM aishell:foundation\n" + template.format(word)
    assert _findings(text) == [(severity, exe)], text


@pytest.mark.parametrize("lookup", ["type {}", "command -V {}", "whereis {}", "echo {} | wc"])
def test_other_lookups_run_nothing(lookup):
    text = "FROM aishell:foundation\nRUN $(" + lookup.format("claude") + ") -v\n"
    assert _findings(text) == []


@pytest.mark.parametrize(
    ("exe", "options", "args"),
    list(itertools.product([h.executables[0] for h in HARNESSES], ["", "-j 2 ", "--jobs=2 -k "], ["::: a", "< list"])),
)
def test_gnu_parallel(exe, options, args):
    text = f"FROM aishell:foundation\nRUN parallel {options}{exe} -v {args}\n"
    assert _findings(text) == [("warning", exe)], text


@pytest.mark.parametrize("exe", [h.executables[0] for h in HARNESSES])
def test_parallel_that_runs_nothing(exe):
    assert _findings(f"FROM aishell:foundation\nRUN parallel --dry-run {exe} ::: a\n") == []
