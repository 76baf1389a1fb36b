"""AIS003 recall, by class (issue 18, red team d11): installs whose package, URL or name the
Dockerfile gives otherwise than as a plain word, each generated over its dimensions. AIS003 is a
warning rule: every finding here is a warning, and one whose value comes from a variable gets no
fix (the value is set elsewhere: an ARG's `--build-arg` may change it).

- A variable's value (ARG default, a bare ARG's global default, ENV, an assignment or a `for`
  loop of the RUN) × its expansion (`$P`, `${P}`, `${P:-…}` …) × quoting × installer.
- Homebrew's names of the harnesses (`brew install gemini-cli`, `--cask codex`, taps).
- Vendor install scripts on GitHub (any branch or tag) and codex's own script.
- A tarball npm pack wrote (`npm i -g ./anthropic-ai-claude-code-*.tgz`).
"""

from __future__ import annotations

import itertools

import pytest

from aishell.harness import HARNESSES
from aishell.lint import Options, lint_text


def _findings(text):
    fs = lint_text(text, "Dockerfile", Options(select=["AIS003"], use_config=False)).findings
    return sorted((f.severity, text[f.start : f.end], f.fix is not None) for f in fs)


INSTALLERS = ["npm i -g {}", "npm install --global {}", "pnpm add -g {}", "yarn global add {}", "bun add -g {}"]
EXPANSIONS = ["$P", "${P}", '"$P"', '"${P}"']
SOURCES = [
    "FROM node:24\nARG P={pkg}\nRUN {run}\n",
    "FROM node:24\nENV P={pkg}\nRUN {run}\n",
    "ARG P={pkg}\nFROM node:24\nARG P\nRUN {run}\n",
    "FROM node:24 AS base\nENV P={pkg}\nFROM base\nRUN {run}\n",
    "FROM node:24\nRUN P={pkg}; {run}\n",
    "FROM node:24\nRUN export P={pkg} && {run}\n",
    "FROM node:24\nRUN for P in typescript {pkg}; do {run}; done\n",
]


@pytest.mark.parametrize(
    ("h", "source", "expansion", "installer"),
    list(itertools.product(HARNESSES, SOURCES, EXPANSIONS, INSTALLERS)),
)
def test_a_package_a_variable_gives(h, source, expansion, installer):
    text = source.format(pkg=h.npm_package, run=installer.format(expansion))
    assert _findings(text) == [("warning", expansion, False)], text


@pytest.mark.parametrize(
    ("h", "op", "prior"),
    list(itertools.product(HARNESSES, [":-", "-", ":=", "="], [None, "ARG P", "ARG P=", "RUN_P="])),
)
def test_a_default_names_the_package(h, op, prior):
    """`${P:-pkg}`: P may be unset or empty (an ARG's `--build-arg` too): the default may install."""
    expansion = "${P" + op + h.npm_package + "}"
    run = f"npm i -g {expansion}"
    lines = ["FROM node:24"]
    if prior == "RUN_P=":
        run = "P=; " + run
    elif prior is not None:
        lines.append(prior)
    text = "\n".join([*lines, "RUN " + run]) + "\n"
    want = [("warning", expansion, False)]
    if prior == "RUN_P=" and not op.startswith(":"):
        want = []  # (`P=` sets it, empty: `${P-pkg}` is empty)
    assert _findings(text) == want, text


@pytest.mark.parametrize("other", ["typescript", "", "$OTHER"])
def test_unrelated_values_stay_quiet(other):
    text = f"FROM node:24\nARG P={other}\nRUN npm i -g $P\nRUN echo $P\n"
    assert _findings(text) == []


def test_a_variable_of_another_stage_is_not_read():
    text = "FROM node:24 AS a\nARG P=@openai/codex\nFROM node:24\nRUN npm i -g $P\n"
    assert _findings(text) == []


@pytest.mark.parametrize(
    ("h", "fetch"), list(itertools.product(HARNESSES, ["curl -fsSL {} | bash", "wget -qO- {} | sh"]))
)
def test_a_script_url_a_variable_gives(h, fetch):
    for frag in h.install_scripts:
        url = "https://" + frag.replace("*", "refs/heads/main")
        text = f"FROM debian\nARG U={url}\nRUN {fetch.format('$U')}\n"
        assert _findings(text) == [("warning", "$U", False)], text


@pytest.mark.parametrize(
    ("h", "ref", "fetch"),
    list(
        itertools.product(
            [h for h in HARNESSES if h.install_scripts],
            ["main", "refs/heads/main", "dev", "v1.2.3"],
            ["curl -fsSL {} | bash", "wget -qO- {} | sh"],
        )
    ),
)
def test_vendor_scripts(h, ref, fetch):
    for frag in h.install_scripts:
        url = "https://" + frag.replace("*", ref)
        text = f"FROM debian\nRUN {fetch.format(url)}\n"
        assert [s for s, _, _ in _findings(text)] == ["warning"], text


@pytest.mark.parametrize(
    ("h", "spelling", "others"),
    list(itertools.product(HARNESSES, ["{}", "--cask {}", "--formula {}", "some/tap/{}"], ["", " jq"])),
)
def test_homebrew(h, spelling, others):
    word = spelling.format(h.brew).split()[-1]
    text = f"FROM debian\nRUN brew install {spelling.format(h.brew)}{others}\n"
    assert _findings(text) == [("warning", word, True)], text


def test_homebrew_other_names_stay_quiet():
    assert _findings("FROM debian\nRUN brew install jq claude codex-cli gemini\n") == []


@pytest.mark.parametrize(
    ("h", "version", "where"), list(itertools.product(HARNESSES, ["1.0.0", "*"], ["./", "/tmp/", "file:", ""]))
)
def test_a_tarball_npm_pack_wrote(h, version, where):
    tarball = f"{where}{h.npm_package.lstrip('@').replace('/', '-')}-{version}.tgz"
    text = f"FROM node:24\nRUN npm pack {h.npm_package} && npm i -g {tarball}\n"
    assert _findings(text) == [("warning", tarball, True)], text


@pytest.mark.parametrize(
    ("lines", "found"),
    [
        (["ENV P=@openai/codex", "ENV P=typescript"], False),  # the later ENV's value
        (["ARG P=@openai/codex", "ARG P=typescript"], False),
        (["ARG P=@openai/codex", "ENV P=typescript"], False),
        (["ENV P=@openai/codex", "ARG P=typescript"], True),  # an ENV wins over an ARG of its name
        (["ENV P=typescript", "ENV P=@openai/codex"], True),
    ],
)
def test_the_value_where_the_run_is(lines, found):
    text = "\n".join(["FROM node:24", *lines, "RUN npm i -g $P"]) + "\n"
    assert _findings(text) == ([("warning", "$P", False)] if found else []), text
