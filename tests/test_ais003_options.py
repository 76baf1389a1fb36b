"""AIS003's reading of install options (issue 18: a fix is valid or not offered).

Generated, not listed: seeded commands over the package managers the rule reads (npm, pnpm,
yarn classic, bun), options that take a separate value and flags placed before the subcommand,
between packages and after them, `--opt=value` forms, harness and other packages in any order,
global mode from a flag, `--location global` or npm's environment. For every command:

- AIS003 reports each harness package;
- the fixer's result parses with BuildKit (PyPI `dockerfile`);
- the fixed install is the original command minus its harness packages, word for word: every
  other package stays, every option keeps its value; with no other package, the whole command
  goes (never `npm i -g --loglevel verbose`, which installs the current project);
- an option the rule cannot read (unknown, followed by a word) gets a report and no fix.

Also a blow-up guard: ONBUILD installs at n and 16n (tests/growth.py).
"""

from __future__ import annotations

import random
import shlex

import pytest

from aishell.lint import Options, lint_text
from aishell.migration import fix_text
from tests.growth import guard

dockerfile = pytest.importorskip("dockerfile")

OPTS = Options(select=["AIS003"], use_config=False)
HEAD = "FROM aishell:foundation\n"
HARNESSES = [
    "@anthropic-ai/claude-code",
    "@anthropic-ai/claude-code@1.0.3",
    "@openai/codex",
    "@openai/codex@latest",
    "@google/gemini-cli",
    "opencode-ai",
    "claude@npm:@anthropic-ai/claude-code",
]
OTHERS = ["typescript", "eslint@9", "@types/node", "pnpm@9.1.0", "prettier", "zx"]

# (option words) per tool: options that take a separate value, and flags. Each a tuple of words
# that must stay together, in order, in the fixed command.
TOOLS = {
    "npm": {
        "install": [("install",), ("i",), ("add",)],
        "global": [("-g",), ("--global",), ("--location", "global"), ("-L", "global"), ("--location=global",)],
        "values": [
            ("--loglevel", "verbose"),
            ("--omit", "dev"),
            ("--registry", "https://registry.example.com/"),
            ("--prefix", "/usr/local"),
            ("-C", "/usr/local"),
            ("--cache", "/tmp/npm-cache"),
            ("--install-strategy", "nested"),
            ("--include", "optional"),
            ("--fetch-retries", "5"),
            ("--userconfig", "/tmp/npmrc"),
            ("--loglevel=warn",),
            ("--omit=dev",),
        ],
        "flags": [
            ("-f",),
            ("--no-fund",),
            ("--no-audit",),
            ("--ignore-scripts",),
            ("--legacy-peer-deps",),
            ("--save-exact",),
            ("--no-save",),
            ("--force", "true"),
            ("-q",),
            ("--silent",),
        ],
    },
    "pnpm": {
        "install": [("add",)],
        "global": [("-g",), ("--global",)],
        "values": [
            ("--reporter", "silent"),
            ("--loglevel", "error"),
            ("--store-dir", "/pnpm/store"),
            ("--registry", "https://registry.example.com/"),
            ("--network-concurrency", "4"),
            ("--global-dir", "/pnpm/global"),
            ("--reporter=append-only",),
        ],
        "flags": [("--ignore-scripts",), ("--silent",), ("--prefer-offline",), ("--save-exact",), ("-s",)],
    },
    "yarn": {
        "install": [("global", "add")],
        "global": [()],
        "values": [
            ("--cache-folder", "/yarn/cache"),
            ("--network-timeout", "100000"),
            ("--prefix", "/usr/local"),
            ("--registry", "https://registry.example.com/"),
            ("--cwd", "/"),
            ("--global-folder", "/yarn/global"),
        ],
        "flags": [("--silent",), ("--ignore-engines",), ("--no-progress",), ("--non-interactive",), ("--exact",)],
    },
    "bun": {
        "install": [("add",), ("install",), ("i",)],
        "global": [("-g",), ("--global",)],
        "values": [
            ("--cache-dir", "/bun/cache"),
            ("--registry", "https://registry.example.com/"),
            ("--backend", "copyfile"),
            ("--network-concurrency", "8"),
            ("--omit", "dev"),
            ("--linker", "hoisted"),
        ],
        "flags": [("--silent",), ("--no-save",), ("--verbose",), ("--no-progress",), ("--trust",), ("--exact",)],
    },
}
SEED = 20240518
CASES = 600


def _options(rng: random.Random, spec: dict, most: int) -> list[tuple[str, ...]]:
    pool = spec["values"] * 2 + spec["flags"]
    return [rng.choice(pool) for _ in range(rng.randint(0, most))]


def generate(rng: random.Random):
    """(command, harness words, other packages, option groups, global by environment)."""
    tool = rng.choice(sorted(TOOLS))
    spec = TOOLS[tool]
    env = tool == "npm" and rng.random() < 0.15
    before = _options(rng, spec, 2)  # global options, before the subcommand
    sub = list(rng.choice(spec["install"]))
    glob = [] if env else list(rng.choice(spec["global"]))
    harness = rng.sample(HARNESSES, rng.randint(1, 2))
    others = rng.sample(OTHERS, rng.choice([0, 0, 1, 2, 3]))
    packages = harness + others
    rng.shuffle(packages)
    # The words after the subcommand: packages with options among them, in any order.
    groups = [tuple(glob)] if glob else []
    groups += _options(rng, spec, 3)
    after: list[tuple[str, ...]] = [g for g in groups]
    for p in packages:
        after.insert(rng.randint(0, len(after)), (p,))
    words = [tool] + [w for g in before for w in g] + sub + [w for g in after for w in g]
    command = " ".join(shlex.quote(w) for w in words)
    if env:
        command = (
            rng.choice(["npm_config_global=true ", "NPM_CONFIG_GLOBAL=true ", "npm_config_location=global "]) + command
        )
    return command, words, harness, others, before + groups


def _runs(text: str) -> list[str]:
    """The RUN commands BuildKit reads (its parser must accept the text)."""
    cmds = dockerfile.parse_string(text)
    return [c.value[0] for c in cmds if c.cmd.upper() == "RUN"]


def _check(command, words, harness, others, groups):
    text = HEAD + f"RUN {command} && echo done\n"
    findings = lint_text(text, "Dockerfile", OPTS).findings
    assert len(findings) == len(harness), (command, [f.message for f in findings])
    result = fix_text(text, "Dockerfile", OPTS, unsafe=True)
    assert not result.rejected, (command, result.rejected)
    runs = _runs(result.text)  # BuildKit parses the fixed file
    assert len(runs) == 1, (command, result.text)
    fixed = runs[0]
    if not others:
        # Only harnesses: the whole install goes, not its options alone.
        assert fixed == "echo done", (command, fixed)
        return
    install = fixed.rsplit(" && echo done", 1)[0]
    argv = shlex.split(install)
    while argv and "=" in argv[0]:  # the environment assignment
        argv = argv[1:]
    assert argv == [w for w in words if w not in harness], (command, install)
    for p in others:
        assert p in argv
    for g in groups:  # each option with its value, together
        assert any(argv[i : i + len(g)] == list(g) for i in range(len(argv))), (command, g, install)


def test_generated_installs_keep_options_and_values():
    rng = random.Random(SEED)
    for _ in range(CASES):
        _check(*generate(rng))


@pytest.mark.parametrize(
    "command, fixed",
    [
        # The red-team's cases.
        ("npm i -g @anthropic-ai/claude-code --loglevel verbose", None),
        ("npm i -g @anthropic-ai/claude-code --omit dev", None),
        ("pnpm add -g @anthropic-ai/claude-code --reporter silent", None),
        ("npm i -g @anthropic-ai/claude-code --loglevel verbose typescript", "npm i -g --loglevel verbose typescript"),
        ("bun add -g --cache-dir /c @openai/codex zx", "bun add -g --cache-dir /c zx"),
        ("yarn --cwd / global add @google/gemini-cli --prefix /usr/local", None),
    ],
)
def test_value_options_are_not_packages(command, fixed):
    text = HEAD + f"RUN {command}\n"
    assert lint_text(text, "Dockerfile", OPTS).findings
    out = fix_text(text, "Dockerfile", OPTS, unsafe=True).text
    assert out == HEAD + (f"RUN {fixed}\n" if fixed else "")


@pytest.mark.parametrize(
    "run",
    [
        "npm --loglevel verbose i -g @anthropic-ai/claude-code && claude -v",
        "npm --omit dev install --global @openai/codex",
        "npm -C /opt --registry https://r.example/ i -g opencode-ai",
        "npm --location global i @google/gemini-cli",
        "npm_config_global=true npm i @anthropic-ai/claude-code",
        "NPM_CONFIG_LOCATION=global npm install @openai/codex",
        "env npm_config_global=true npm i @anthropic-ai/claude-code",
        "export npm_config_global=true && npm i @anthropic-ai/claude-code",
        "pnpm --reporter silent add -g @openai/codex",
        "yarn --cache-folder /c global add @openai/codex",
        "bun --cwd /x add -g @openai/codex",
    ],
)
def test_the_subcommand_after_global_options_is_found(run):
    assert lint_text(HEAD + f"RUN {run}\n", "Dockerfile", OPTS).findings, run


@pytest.mark.parametrize(
    "run",
    [
        "npm_config_global=false npm i @anthropic-ai/claude-code",  # a local install
        "npm i @anthropic-ai/claude-code",
        "npm_config_global=true npm i --no-global @openai/codex",  # the command line wins
        "npm i -g --tag @openai/codex typescript",  # a tag's value, not a package
        "npm_config_global=true sudo npm i @openai/codex",  # sudo resets the environment
    ],
)
def test_not_a_global_install(run):
    assert not lint_text(HEAD + f"RUN {run}\n", "Dockerfile", OPTS).findings, run


@pytest.mark.parametrize(
    "run",
    [
        "npm i -g --frobnicate @openai/codex typescript",  # unknown: its value, or a package?
        "npm i -g @openai/codex --frobnicate verbose",
        "pnpm add -g @openai/codex --some-new-option value",
        "yarn global add --prod @openai/codex typescript",  # `--prod [prod]`: an optional value
        "bun add -g -c bunfig.toml @openai/codex",  # `-c <STR>?`
        "npm i -g @openai/codex --loglev verbose",  # an abbreviation (nopt): a later option may clash
    ],
)
def test_an_option_it_cannot_read_gets_no_fix(run):
    text = HEAD + f"RUN {run}\n"
    findings = lint_text(text, "Dockerfile", OPTS).findings
    assert findings and all(f.fix is None for f in findings), run
    assert fix_text(text, "Dockerfile", OPTS, unsafe=True).text == text


def test_onbuild_installs_are_fixed_whole():
    text = "FROM debian\n# the harness\nONBUILD RUN npm i -g @anthropic-ai/claude-code --loglevel verbose\nRUN true\n"
    out = fix_text(text, "Dockerfile", OPTS, unsafe=True).text
    assert out == "FROM debian\nRUN true\n"
    _runs(out)


# -- blow-up guard ------------------------------------------------------------------------


def test_onbuild_installs_are_not_quadratic():
    """Each ONBUILD install's fix looked its RUN up among the file's instructions, where it is
    not (the ONBUILD is): the index was rebuilt every time, quadratic in the ONBUILDs."""

    def lint(n: int) -> None:
        # Other instructions between the installs: the index rebuilt per install grows with them.
        text = "FROM debian\n" + ("ONBUILD RUN npm i -g @anthropic-ai/claude-code\n" + "LABEL a=b\n" * 9) * n
        assert len(lint_text(text, "Dockerfile", OPTS).findings) == n

    guard(lint, 200)  # n and 16n, under 10 times the linear growth


# -- the install keeps a package, whatever its variables hold -------------------------------
#
# Round three (a red-team pass): `npm i -g $EXTRA @anthropic-ai/claude-code` became
# `npm i -g $EXTRA`: with EXTRA empty (an ARG's usual default), `npm i -g` installs the current
# folder as a global package, running its scripts (yarn, pnpm and bun fail the build). Generated
# installs whose other packages are literal names, variables (bare, braced, quoted), command
# substitutions, or names with a variable in them: where a fix removes the harness and keeps the
# command, dash runs the fixed command with every variable unset and each tool a function that
# counts the packages it is given (an empty word names none: npm reads it as no package): never
# none.

import shutil  # noqa: E402
import subprocess  # noqa: E402

from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

DASH = shutil.which("dash")
TOOL_FORMS = {"npm i -g": 2, "npm install --global": 2, "yarn global add": 2, "pnpm add -g": 2, "bun add -g": 2}
OTHER_WORDS = ["typescript", "$EXTRA", "${EXTRA}", '"$EXTRA"', "$(cat /none)", "x$V", "${EXTRA:-}", "''", "tsx@$V"]


@pytest.mark.skipif(DASH is None, reason="needs dash")
@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(sorted(TOOL_FORMS)),
    st.lists(st.sampled_from(OTHER_WORDS), min_size=1, max_size=3),
    st.sampled_from(HARNESSES[:3]),
    st.integers(0, 3),
)
@example("npm i -g", ["$EXTRA"], "@anthropic-ai/claude-code", 1)
def test_the_fixed_install_names_a_package_whatever_its_variables_hold(tmp_path, form, others, harness, at):
    words = list(others)
    words.insert(min(at, len(words)), harness)
    run = f"{form} {' '.join(words)}"
    text = HEAD + f"RUN {run}\n"
    path = str(tmp_path / "Dockerfile")
    result = fix_text(text, path, OPTS, unsafe=True)
    if result.text == text or "RUN" not in result.text[len(HEAD) :]:
        return  # no fix, or the command went whole
    dockerfile.parse_string(result.text)
    fixed = result.text[len(HEAD) :].split("RUN ", 1)[1]
    skip = TOOL_FORMS[form]
    counter = (
        "count() { shift %d; n=0; for a; do case $a in -*|'') ;; *) n=$((n+1));; esac; done; echo $n; }\n"
        'npm() { count "$@"; }; yarn() { count "$@"; }; pnpm() { count "$@"; }; bun() { count "$@"; }\n'
        "cat() { :; }\nunset EXTRA V\n"
    ) % skip
    got = subprocess.run([DASH, "-c", counter + fixed], capture_output=True, text=True, timeout=10)
    out = got.stdout.split()
    assert out and int(out[-1]) >= 1, (text, result.text, out, got.stderr)
