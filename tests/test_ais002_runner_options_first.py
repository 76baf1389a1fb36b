"""A package manager's options before its runner's verb (`npm --prefix /app exec claude`, `npm -y
exec …`, `pnpm -C dir dlx …`, `yarn --cwd x dlx …`) still run the package runner: a warning, as
without them (these had no finding at all). Generated over each tool's verbs, its value options
(the value as the next word and attached), flags it knows and ones it does not (npm takes an
unknown option as a flag, as nopt does), `--` before the verb, and what runs (the harness's
command or package); controls: a value option whose value is the verb, and another verb."""

import itertools

import pytest

from aishell import shell
from aishell.lint import Options, lint_text
from tests.runs import switched

VERBS = {"npm": ("exec", "x"), "pnpm": ("dlx",), "yarn": ("dlx",), "bun": ("x",)}
FLAGS = {"npm": ("-y", "--silent", "--foo"), "pnpm": ("--silent",), "yarn": ("--silent",), "bun": ("--silent",)}
CALLS = ("claude -v", "@anthropic-ai/claude-code -v", "codex", "@google/gemini-cli --version")


def _options(tool: str) -> list[str]:
    values = sorted(shell._OPTIONS_FIRST_VALUES[tool])
    out = [f"{v} /v" for v in values] + [f"{v}=/v" for v in values if v.startswith("--")] + list(FLAGS[tool])
    return out


def _cases():
    for tool, verbs in VERBS.items():
        opts = _options(tool)
        for verb, call in itertools.product(verbs, CALLS):
            for n in (1, 2):
                for combo in itertools.combinations(opts, n):
                    yield f"{tool} {' '.join(combo)} {verb} {call}"
            yield f"{tool} -- {verb} {call}"
            yield f"{tool} {opts[0]} -- {verb} {call}"


CASES = list(_cases())


def _found(line: str) -> list[tuple[str, str]]:
    text = f"FROM aishell:foundation\nRUN {line}\n"
    found = lint_text(text, "/nonexistent/Dockerfile", Options(select=["AIS002"], use_config=False)).findings
    return [(f.code, f.severity) for f in found]


def test_options_before_the_verb_run_the_package_runner():
    wrong = [c for c in CASES if _found(c) != [("AIS002", "warning")]]
    assert not wrong, (len(wrong), len(CASES), wrong[:5])


def test_without_it_they_had_no_finding():
    sample = [c for c in CASES if " -- " not in c][::7]
    with switched(["RUNNER_OPTIONS_FIRST"], False):  # (the shell's memos emptied: read afresh)
        assert all(_found(c) == [] for c in sample)


@pytest.mark.parametrize(
    "line",
    [
        "npm --prefix exec claude -v",  # (`exec` is --prefix's value: the command is `claude`)
        "npm --registry x claude",
        "npm -y install claude-code-helper",
        "pnpm -C exec dlx",
        "yarn --cwd dlx claude",
        "npm --prefix /a run claude",
    ],
)
def test_no_runner_no_runner_finding(line):
    assert ("AIS002", "warning") not in _found(line)
