"""AIS002 recall, by class (issue 18, "Parser and recall gaps"), each generated over its
dimensions, with the severity the build decides: an error only where the RUN surely fails.

- A command named by a parameter expansion with a default or an alternative (`${X:-claude}`,
  `${X-…}`, `${X:=…}`, `${X=…}`, `${X:+…}`, `${X+…}`, quoted or not): what the shell runs,
  from what the RUN assigned X before; a variable the RUN did not assign may come from an ENV,
  an ARG or the base image: then a warning at most.
- A command line held by a variable (`c1="$c0 -v"; $c1`): a warning (split by IFS).
- A harness's entry script run by node, bun or deno (`node …/node_modules/@anthropic-ai/
  claude-code/cli.js`): an error where `npm i -g` puts it and nothing may have, judged as a file
  of the image elsewhere (`./claude`); `deno run npm:…` fetches it (a package runner: a warning).
- Package runners behind corepack (`corepack pnpm dlx @openai/codex`): warnings, as runners are.
(Wrappers that exec their operands: tests/test_wrappers_more.py.)
"""

from __future__ import annotations

import itertools

import pytest

from aishell.harness import HARNESSES
from aishell.lint import Options, lint_text

HARNESS_NAMES = {h.name for h in HARNESSES}


def _findings(text):
    fs = lint_text(text, "Dockerfile", Options(select=["AIS002"], use_config=False)).findings
    return sorted((f.severity, text[f.start : f.end]) for f in fs)


# -- ${X<op>word} ------------------------------------------------------------------------------
OPS = [":-", "-", ":=", "=", ":+", "+"]
PRIORS = [None, "", "codex", "echo", "claude"]  # what the RUN assigned X before (None: nothing)
DEFAULTS = ["claude", "gemini", "true"]


def _expansion(op: str, prior: str | None, word: str) -> str:
    """What `${X<op>word}` gives when X is unset (None) or holds ``prior`` (bash and dash alike)."""
    is_set = prior is not None and (prior != "" or ":" not in op)
    if op.endswith("+"):
        return word if is_set else ""
    return prior if is_set else word


@pytest.mark.parametrize(
    ("op", "prior", "word", "quoted", "context"),
    list(itertools.product(OPS, PRIORS, DEFAULTS, [False, True], ["RUN {}\n", "RUN set -e; {}; echo ok\n"])),
)
def test_a_command_named_by_an_expansion_with_a_default(op, prior, word, quoted, context):
    expansion = "${X" + op + word + "}"
    if quoted:
        expansion = f'"{expansion}"'
    assign = "" if prior is None else f"X={prior}; "
    text = "FROM aishell:foundation\n" + context.format(f"{assign}{expansion} --version")
    if prior is None:
        # Not assigned here: an ENV, an ARG or the base image may set X (and `:+`/`+` then run
        # the word): the word may run, a warning.
        want = [("warning", expansion)] if word in HARNESS_NAMES else []
    else:
        runs = _expansion(op, prior, word)
        want = [("error", expansion)] if runs in HARNESS_NAMES else []
    assert _findings(text) == want, text


# -- a command line in a variable ------------------------------------------------------------
@pytest.mark.parametrize(
    ("harness", "value", "use"),
    list(
        itertools.product(
            sorted(HARNESS_NAMES),
            ['"$c0 -v"', '"${c0} -v"', '"sudo -u node $c0"', "$c0", '"$c0"', "${c0}"],
            ["$c1", '"$c1"', "${c1} --version"],
        )
    ),
)
def test_a_command_line_held_by_a_variable(harness, value, use):
    text = f"FROM aishell:foundation\nRUN c0={harness}; c1={value}; {use}\n"
    word = use.split()[0]
    if " " not in value:
        want = [("error", word)]  # a copy of one word: surely the command
    elif use.startswith('"'):
        want = []  # one word, `claude -v`: no such command (not the harness)
    else:
        want = [("warning", word)]  # split into words by IFS: a warning at most
    assert _findings(text) == want, text


# -- entry scripts run by node, bun, deno ----------------------------------------------------
RUNNERS = [
    "node {}",
    "nodejs {}",
    "node --require /x.js {}",
    "node -r /x.js --no-warnings {}",
    "node -- {}",
    "bun {}",
    "bun run {}",
    "bun --smol run {}",
    "deno run -A {}",
    "deno run --allow-read -c deno.json {}",
]
NO_RUN = ["node -e 'x' {}", "node --check {}", "node -p 1 {}", "node --version {}", "deno -h {}"]
GLOBAL = ["/usr/local/lib/node_modules/", "/usr/lib/node_modules/"]
LOCAL = ["node_modules/", "/app/node_modules/", "./node_modules/"]


def _entries(prefix):
    for h in HARNESSES:
        for tail in ("", "/", "/cli.js", "/bin/run.js", "/dist/index.js"):
            yield h, prefix + h.npm_package + tail


CASES = [(r, where, h.executables[0], path) for r in RUNNERS for where in GLOBAL + LOCAL for h, path in _entries(where)]


@pytest.mark.parametrize(("runner", "where", "exe", "path"), CASES[::3])
@pytest.mark.parametrize("copied", [False, True])
def test_a_harness_entry_script_run_by_a_script_runner(runner, where, exe, path, copied):
    head = "FROM aishell:foundation\n" + ("COPY . /app\nWORKDIR /app\n" if copied else "")
    text = head + "RUN " + runner.format(path) + "\n"
    word = runner.split()[0]
    if where in GLOBAL:
        # Where `npm i -g` puts it: surely missing unless files were copied in (then maybe there,
        # as any file of the image: no finding).
        want = [] if copied else [("error", word)]
    else:
        want = [] if copied else [("warning", word)]  # a file of the image: copied in, maybe
    assert _findings(text) == want, text
    # Installed globally first: there, no finding (AIS003 reports the install).
    h = next(h for h in HARNESSES if h.executables[0] == exe)
    installed = f"FROM node:24\nRUN npm i -g {h.npm_package}\nRUN " + runner.format(path) + "\n"
    assert _findings(installed) == [], installed


# Before it in the RUN, a command that puts no file in the image (`set -e`: the RUN's options
# written out) or one that may put the file there (then nothing is sure). On 37d797c `set -e; node
# …/cli.js -v` and the same as a `RUN <<EOF` body gave no finding (any earlier command counted).
NO_FILE_FIRST = ["set -e; {}", "set -eu; {}", "set -x; {}", "set -e; set -u; {}", "<<EOF\nset -e\n{}\nEOF"]
MAY_MAKE_IT = ["cp /tmp/x {}; {}", "echo x > {}; {}", "npm i -g x; {}", "tar -xzf x.tgz -C /usr/local; {}"]


@pytest.mark.parametrize("prelude", NO_FILE_FIRST)
@pytest.mark.parametrize(("runner", "where", "exe", "path"), CASES[::17])
def test_an_entry_script_after_a_command_that_makes_no_file(prelude, runner, where, exe, path):
    plain = "FROM aishell:foundation\nRUN " + runner.format(path) + "\n"
    text = "FROM aishell:foundation\nRUN " + prelude.format(runner.format(path)) + "\n"
    assert _findings(text) == _findings(plain), text


@pytest.mark.parametrize("prelude", MAY_MAKE_IT)
@pytest.mark.parametrize(("runner", "where", "exe", "path"), [c for c in CASES[::17] if c[1] in GLOBAL])
def test_an_entry_script_after_a_command_that_may_make_it(prelude, runner, where, exe, path):
    text = "FROM aishell:foundation\nRUN " + prelude.format(path, runner.format(path)) + "\n"
    assert all(severity != "error" for severity, _ in _findings(text)), text


@pytest.mark.parametrize(("form", "path"), list(itertools.product(NO_RUN, [p for _, p in _entries(GLOBAL[0])])))
def test_a_script_runner_that_runs_no_file(form, path):
    text = "FROM aishell:foundation\nRUN " + form.format(path) + "\n"
    assert _findings(text) == [], text


@pytest.mark.parametrize("h", HARNESSES, ids=lambda h: h.name)
def test_deno_run_npm_fetches_the_package(h):
    text = f"FROM aishell:foundation\nRUN deno run -A npm:{h.npm_package}@latest --version\n"
    assert [s for s, _ in _findings(text)] == ["warning"], text


# -- corepack --------------------------------------------------------------------------------
PMS = ["pnpm dlx", "yarn dlx", "npx", "npx -y", "pnpx", "npm exec", "npm x --"]
PREFIXES = ["corepack", "sudo corepack", "corepack enable && corepack", "env A=1 corepack"]


@pytest.mark.parametrize(("prefix", "pm", "h"), list(itertools.product(PREFIXES, PMS, HARNESSES)))
def test_a_package_runner_behind_corepack(prefix, pm, h):
    text = f"FROM aishell:foundation\nRUN {prefix} {pm} {h.npm_package} --version\n"
    assert [(s, w) for s, w in _findings(text)] == [("warning", h.npm_package)], text


@pytest.mark.parametrize(
    "line", ["corepack enable", "corepack prepare pnpm@9 --activate", "corepack claude", "corepack pnpm i"]
)
def test_corepack_s_own_commands(line):
    text = f"FROM aishell:foundation\nRUN {line}\n"
    assert _findings(text) == [], text


def test_a_value_built_from_variables_is_bounded():
    """`a="$a$a"` doubles a value each time: read past a bound, not built (200 doublings would be
    2^200 characters)."""
    text = "FROM aishell:foundation\nRUN a=claude; " + 'a="$a$a"; ' * 200 + "$a -v\n"
    assert _findings(text) == []
    text = "FROM aishell:foundation\nRUN a=claude; " + 'a="$a"; ' * 200 + 'b="$a -v"; $b\n'
    assert _findings(text) == [("warning", "$b")]


# An install into a RUN's mount: there while the RUN runs, maybe gone after it (a mount's contents
# stay out of the image). The red team's gap: `RUN --mount=type=tmpfs,target=/usr/local/lib/
# node_modules npm i -g @anthropic-ai/claude-code`, then `RUN claude -v`: no finding.
MOUNT_TYPES = ["type=tmpfs", "type=cache", "type=bind,from=tools,rw", "type=cache,sharing=locked"]
COVERING = [
    "/usr/local/lib/node_modules",
    "/usr/local/lib",
    "/usr/local",
    "/usr",
    "/usr/local/bin",
    "/usr/lib/node_modules/",
]
NOT_COVERING = ["/root/.npm", "/tmp", "/usr/local/share", "/var/cache/apt"]
MOUNT_INSTALLS = [
    "npm i -g @anthropic-ai/claude-code",
    "curl -fsSL -o /usr/local/bin/claude https://example.com/claude",
]


@pytest.mark.parametrize("install", MOUNT_INSTALLS)
@pytest.mark.parametrize("target", COVERING + NOT_COVERING)
@pytest.mark.parametrize("kind", MOUNT_TYPES)
def test_an_install_into_a_mount_may_be_gone_after_the_run(kind, target, install):
    head = "FROM aishell:foundation AS tools\nFROM aishell:foundation\n"
    text = head + f"RUN --mount={kind},target={target} {install}\nRUN claude -v\n"
    got = [f.severity for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings if f.code == "AIS002"]
    assert got == (["warning"] if target in COVERING else []), text


# A SHELL naming a harness: every RUN of the shell form after it runs the harness. The red
# team's gap: `SHELL ["claude", "-p"]` then `RUN summarise the repo`: nothing reported.
SHELLS_NAMING = ['["{exe}", "-p"]', '["/usr/local/bin/{exe}"]', '["/usr/bin/env", "{exe}", "exec"]', '["{exe}"]']


@pytest.mark.parametrize("form", SHELLS_NAMING)
@pytest.mark.parametrize("harness", HARNESSES, ids=lambda h: h.name)
def test_a_shell_naming_a_harness_is_reported_once_a_run_uses_it(harness, form):
    exe = harness.executables[0]
    shell = "SHELL " + form.format(exe=exe) + "\n"

    def ais002(text):
        return [
            (f.severity, f.line)
            for f in lint_text(text, "Dockerfile", Options(use_config=False)).findings
            if f.code == "AIS002"
        ]

    base = "FROM aishell:foundation\n"
    assert ais002(base + shell + "RUN do the thing\nRUN again\n") == [("error", 2)]
    assert ais002(base + shell) == []  # (no RUN runs it)
    assert ais002(base + shell + 'RUN ["/bin/echo", "hi"]\n') == []  # (the exec form does not)
    assert ais002("FROM python:3.12\nRUN echo\n" + shell + "RUN x\n") == [("error", 3)]
    assert ais002("FROM example.com/tools:1\n" + shell + "RUN x\n") == [("warning", 2)]
    # (a file in the image: `./claude`, `/opt/./claude`; `/usr/local/bin/./claude` is the harness's path)
    assert ais002(base + shell.replace("/usr/local/bin/", "/opt/", 1).replace(exe, "./" + exe, 1) + "RUN x\n") == []
    assert ais002(base + "SHELL " + form.format(exe="bash") + "\nRUN x\n") == []
